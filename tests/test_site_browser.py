"""The static site in headless Chromium from file://: index, person and meeting pages render, search runs offline
and finds names and words without their diacritics. Screenshots go to test-artifacts/site/ (or
$VN_LA_SECURITY_ARTIFACTS/site/)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from fixtures import chromium_or_skip

pytest.importorskip("jinja2")
CHROMIUM = chromium_or_skip()

from test_site import FIRST_MEETING, HOSTILE_MEETING, ID_PROJECT, out, tables  # noqa: E402,F401 - fixtures

ARTIFACTS = Path(os.environ.get("VN_LA_SECURITY_ARTIFACTS", Path(__file__).parents[1] / "test-artifacts")) / "site"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("chromium-profile")


def chromium(profile: Path, *args: str) -> str:
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          timeout=90, check=True)
    return done.stdout.decode("utf-8")


def dom(page: Path, profile: Path, query: str = "") -> str:
    """The page as Chromium renders it, after its scripts ran."""
    return chromium(profile, "--dump-dom", page.as_uri() + query)


def screenshot(page: Path, profile: Path, name: str, size: str = "1280,1600", query: str = "") -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    target.unlink(missing_ok=True)
    chromium(profile, f"--screenshot={target}", f"--window-size={size}", page.as_uri() + query)
    assert target.stat().st_size > 5000, f"{target} is (nearly) empty"
    return target


def results(html: str) -> list[str]:
    """The hrefs of the search results, in order."""
    block = re.search(r'<ol id="search-results"[^>]*>(.*?)</ol>', html, re.S)
    assert block, "no result list in the page"
    return re.findall(r'<a href="([^"]+)"', block.group(1))


def test_index_renders(out, profile):
    html = dom(out / "index.html", profile)
    assert "Meetings per year, by type" in html and "<svg" in html and "<strong>3</strong> meetings" in html
    screenshot(out / "index.html", profile, "index")
    screenshot(out / "index.html", profile, "index-phone", size="390,1400")


def test_person_page_renders(out, profile):
    page = out / "people" / "vilay-lakhamphong.html"
    html = dom(page, profile)
    assert "Vilay Lakhamphong" in html and "ວິໄລ ຫຼ້າຄຳຟອງ" in html and "Ranks and posts over time" in html
    screenshot(page, profile, "person")


def test_meeting_page_renders(out, profile):
    page = out / "meetings" / f"{FIRST_MEETING}.html"
    html = dom(page, profile)
    assert "Chiều 27/8, tại Thủ đô Vientiane" in html and 'href="https://example.org/a"' in html
    screenshot(page, profile, "meeting")
    screenshot(page, profile, "meeting-phone", size="390,1400")


@pytest.mark.parametrize(("query", "expected"), [
    ("luong tam quang", "people/luong-tam-quang.html"),
    ("LƯƠNG Tam", "people/luong-tam-quang.html"),
    ("can cuoc", f"projects/{ID_PROJECT}.html"),
    ("vien chan", "meetings/2024-08-28-courtesy-call-da-nang.html"),
    ("Lakhamfong", "people/vilay-lakhamphong.html"),
    ("ວິໄລ", "people/vilay-lakhamphong.html"),
])
def test_search_finds_records_without_diacritics(out, profile, query, expected):
    html = dom(out / "search.html", profile, "?q=" + quote_plus(query))
    found = results(html)
    assert found and found[0] == expected, found
    assert all((out / href).is_file() for href in found)


def test_search_shows_hostile_text_as_text_and_reports_no_match(out, profile):
    html = dom(out / "search.html", profile, "?q=" + quote_plus("owned"))
    assert results(html) == [f"meetings/{HOSTILE_MEETING}.html"]
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html
    html = dom(out / "search.html", profile, "?q=" + quote_plus("zzzz nothing"))
    assert results(html) == [] and "0 results" in html
    screenshot(out / "search.html", profile, "search", query="?q=" + quote_plus("luong tam quang"))
