from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import write_archive, write_dataset  # noqa: E402

from vn_la_security import fingerprint
from vn_la_security.cli import main  # noqa: E402

SHIPPED_REQUIRE = fingerprint.REQUIRE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A valid fixture dataset (data/ + an archive/ of its source text)."""
    write_dataset(tmp_path)
    write_archive(tmp_path / "archive")
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def fixture_sources_are_not_fingerprinted():
    """E916 (``fingerprint.REQUIRE``: a source with neither a fingerprint nor an archived text is an error) is
    about the repository's sources. The fixture datasets' one source is not fingerprinted (tests of other rules
    change its quotes freely), so every test runs with it off (child processes set it off themselves, with
    CHILD_PRELUDE); tests of the repository's own data take ``shipped_require``, the E916 tests switch it on."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fingerprint, "REQUIRE", False)
        yield


@pytest.fixture
def shipped_require(monkeypatch):
    """``fingerprint.REQUIRE`` as shipped, for a test of the repository's own data."""
    monkeypatch.setattr(fingerprint, "REQUIRE", SHIPPED_REQUIRE)


@pytest.fixture(autouse=True)
def no_ci_env(monkeypatch):
    """Every test runs as on a contributor's machine: no GitHub Actions variables and no archive folder from the
    environment (CI sets VN_LA_SECURITY_ARCHIVE for its own validate step; fixture datasets have other texts).
    The repository test reads the archive CI named from ``fixtures.REPO_ARCHIVE``."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_BASE_REF", "VN_LA_SECURITY_ARCHIVE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


@pytest.fixture
def monkeypatch_env(monkeypatch):
    """Point the API at a built tables folder (and forget cached tables) for the duration of a test."""
    from vn_la_security import api

    def point(folder: str) -> None:
        monkeypatch.setenv("VN_LA_SECURITY_TABLES", folder)
        api.clear_cache()

    yield point
    api.clear_cache()   # after the test; monkeypatch then restores the variable
