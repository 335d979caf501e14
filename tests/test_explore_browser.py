"""`vn-la-security explore` for real: Datasette on 127.0.0.1, pages read by headless Chromium.

Skipped when Chromium or Datasette is not installed, except under .ci/run (VN_LA_SECURITY_BROWSER_TESTS=1),
which installs both: there a missing one fails the run."""
from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fixture_tables import SECOND_MEETING, build_tables, explore_records
from fixtures import chromium_or_skip

CHROMIUM = chromium_or_skip()
if importlib.util.find_spec("datasette") is None:
    if os.environ.get("VN_LA_SECURITY_BROWSER_TESTS") == "1":
        pytest.fail("Datasette is required (VN_LA_SECURITY_BROWSER_TESTS=1): pip install -e '.[test]'")
    pytest.skip("needs datasette (pip install 'vn-la-security[explore]')", allow_module_level=True)

FIRST_MEETING = "2024-08-27-talks-vientiane"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"explore exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"Datasette did not answer {url} within {seconds} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tables = build_tables(tmp_path_factory.mktemp("pkg"), explore_records())
    port = _free_port()
    log = tmp_path_factory.mktemp("log") / "explore.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "vn_la_security", "explore", "--port", str(port),
                                 "--tables", str(tables)], stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/-/versions.json", proc)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("chromium-profile")


def dom(url: str, profile: Path) -> str:
    """The page as headless Chromium renders it."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--dump-dom", url]
    done = subprocess.run(cmd, capture_output=True, timeout=60, check=True)
    return done.stdout.decode("utf-8")


def test_server_listens_on_loopback_only(server):
    assert server.startswith("http://127.0.0.1:")


def test_table_page_lists_meetings(server, profile):
    page = dom(f"{server}/vn_la_security/meetings", profile)
    assert "2 rows" in page
    assert "Talks of the two ministries" in page and "Courtesy call of the Lao minister" in page
    assert "Talks, visits, receptions" in page            # table description from the row model


def test_facet_by_meeting_type(server, profile):
    page = dom(f"{server}/vn_la_security/meetings?_facet=meeting_type", profile)
    assert 'class="facet-results"' in page
    assert "meeting_type=talks" in page and "meeting_type=courtesy_call" in page
    filtered = dom(f"{server}/vn_la_security/meetings?meeting_type=courtesy_call", profile)
    assert "1 row" in filtered and SECOND_MEETING in filtered and FIRST_MEETING not in filtered


def test_search_ignores_diacritics(server, profile):
    page = dom(f"{server}/vn_la_security/meetings?_search=Vien+Chan", profile)
    assert "1 row" in page and SECOND_MEETING in page and FIRST_MEETING not in page
    page = dom(f"{server}/vn_la_security/meetings?_search=vientiane", profile)
    assert "1 row" in page and FIRST_MEETING in page and SECOND_MEETING not in page
    page = dom(f"{server}/vn_la_security/people?_search=Luong+Tam+Quang", profile)
    assert "1 row" in page and "Lương Tam Quang" in page and "Vilay" not in page


def test_canned_query_meetings_of_a_person(server, profile):
    page = dom(f"{server}/vn_la_security/meetings_of_person?person_id=luong-tam-quang", profile)
    assert "Meetings of a person" in page
    assert FIRST_MEETING in page and SECOND_MEETING not in page
