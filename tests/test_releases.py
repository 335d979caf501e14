"""Data releases: SemVer data version everywhere, CITATION.cff, cite(), CHANGELOG and its ID lists."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from fixture_tables import build_tables
from fixtures import base_records, load_script
from fixtures import cite as fixture_cite

import vn_la_security
from vn_la_security.version import DATA_RELEASED, DATA_VERSION

ROOT = Path(__file__).resolve().parents[1]
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@pytest.fixture(scope="module")
def release_tables(tmp_path_factory) -> Path:
    return build_tables(tmp_path_factory.mktemp("v1"))


def test_data_version_is_semver_and_in_the_descriptor(release_tables):
    assert SEMVER.match(DATA_VERSION)
    assert vn_la_security.DATA_VERSION == DATA_VERSION
    descriptor = json.loads((release_tables / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == DATA_VERSION


def test_citation_cff_matches_the_release():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"authors", "message", "title"} <= set(cff)
    assert cff["authors"] == [{"name": "vn-la-security contributors"}]
    assert cff["version"] == DATA_VERSION and str(cff["date-released"]) == DATA_RELEASED
    assert cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"


def test_changelog_starts_with_this_release():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## \[(.+?)\] - (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert first and first.groups() == (DATA_VERSION, DATA_RELEASED)


def test_cite_bibtex_and_apa():
    bib = vn_la_security.cite()
    assert bib == vn_la_security.cite(format="bibtex")
    assert bib.startswith("@misc{vn_la_security_" + DATA_VERSION.replace(".", "_") + ",")
    assert f"version      = {{{DATA_VERSION}}}" in bib and "{{vn-la-security contributors}}" in bib
    assert bib.count("{") == bib.count("}")
    apa = vn_la_security.cite(format="apa")
    assert apa.startswith(f"vn-la-security contributors. ({DATA_RELEASED[:4]}).")
    assert f"(Version {DATA_VERSION}) [Data set]" in apa
    with pytest.raises(ValueError, match="bibtex, apa"):
        vn_la_security.cite(format="mla")


def test_changelog_script_lists_added_changed_and_removed(release_tables, tmp_path):
    changelog = load_script("changelog")
    records = copy.deepcopy(base_records())
    records["meetings/2024/2024-08-27-talks-vientiane.yaml"]["summary_en"] = "The two ministers held talks."
    del records["projects/village-offices.yaml"]
    records["people/nguyen-van-a.yaml"] = {"person_id": "nguyen-van-a", "name": "Nguyễn Văn A", "country": "VN",
                                           "cite": fixture_cite("Ông Nguyễn Văn A")}
    later = build_tables(tmp_path, records)
    diff = changelog.compare(changelog.table_rows(release_tables), changelog.table_rows(later))
    assert diff["people"]["added"] == ["nguyen-van-a"]
    assert diff["meetings"]["changed"] == [("2024-08-27-talks-vientiane", ["summary_en"])]
    assert diff["projects"]["removed"] == ["village-offices"]
    assert len(diff["project_updates"]["removed"]) == 2 and diff["organizations"] == {
        "added": [], "changed": [], "removed": []}
    text = changelog.section("0.2.0", "2026-12-01", diff)
    assert text.startswith("## [0.2.0] - 2026-12-01\n")
    assert "### Added\n\n- `people` (1): `nguyen-van-a`" in text
    assert "- `meetings` (1): `2024-08-27-talks-vientiane` (summary_en)" in text
    assert "### Removed\n\n- `projects` (1): `village-offices`\n- `project_updates`: 2 rows" in text


def test_changelog_script_first_release_adds_everything(release_tables, capsys):
    changelog = load_script("changelog")
    assert changelog.main(["--tables", str(release_tables), "--version", "0.1.0", "--date", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "### Changed" not in out and "### Removed" not in out
    assert "- `people` (2): `luong-tam-quang`, `vilay-lakhamphong`" in out
    assert changelog.main(["--tables", str(release_tables.parent / "missing")]) == 2
