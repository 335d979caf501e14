"""One failing and one passing case per validation rule, each checking the located diagnostic."""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from fixtures import base_records, cite, cite_stating, write_dataset

from vn_la_security.validate import validate

MEETING = "meetings/2024/2024-08-27-talks-vientiane.yaml"


def codes(root: Path, archive: bool = False) -> list[str]:
    v = validate(root, archive=root / "archive" if archive else None, today=dt.date(2026, 11, 23))
    return [d.code for d in v.diagnostics]


def diag(root: Path, code: str, archive: bool = False):
    v = validate(root, archive=root / "archive" if archive else None, today=dt.date(2026, 11, 23))
    found = [d for d in v.diagnostics if d.code == code]
    assert found, f"expected {code}, got {[str(d) for d in v.diagnostics]}"
    return found[0]


def rewrite(root: Path, rel: str, change) -> None:
    path = root / "data" / rel
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_fixture_dataset_is_valid_with_archive(root):
    assert codes(root, archive=True) == []


# --- layer 1: YAML ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, code, line", [
    ("person_id: x\nname: [\n", "E001", 3),
    ("person_id: a\nperson_id: b\n", "E002", 2),
    ("person_id: &a x\nname: *a\n", "E003", 1),
    ("person_id: !!python/object/apply:os.system ['true']\n", "E003", 1),
    ("", "E004", 1),
])
def test_yaml_layer_errors_are_located(root, text, code, line):
    (root / "data/people/bad.yaml").write_text(text, encoding="utf-8")
    d = diag(root, code)
    assert d.path == "data/people/bad.yaml" and d.line == line


def test_bom_and_non_utf8_rejected(root):
    (root / "data/people/bom.yaml").write_bytes(b"\xef\xbb\xbfperson_id: bom\n")
    (root / "data/people/latin.yaml").write_bytes("person_id: caf\xe9\n".encode("latin-1"))
    v = validate(root)
    assert {(d.path, d.code) for d in v.diagnostics} >= {("data/people/bom.yaml", "E004"),
                                                         ("data/people/latin.yaml", "E004")}


def test_billion_laughs_is_rejected_quickly(root):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 9)]
    (root / "data/people/laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert diag(root, "E003").path == "data/people/laughs.yaml"


def test_symlink_and_wrong_folder_rejected(root, tmp_path):
    target = root / "data/people/luong-tam-quang.yaml"
    (root / "data/people/link.yaml").symlink_to(target)
    (root / "data/misc").mkdir()
    (root / "data/misc/x.yaml").write_text("a: 1\n", encoding="utf-8")
    v = validate(root)
    got = {(d.path, d.code) for d in v.diagnostics}
    assert ("data/people/link.yaml", "E005") in got and ("data/misc/x.yaml", "E006") in got


def test_file_name_must_match_id(root):
    (root / "data/people/luong-tam-quang.yaml").rename(root / "data/people/someone.yaml")
    d = diag(root, "E006")
    assert d.path == "data/people/someone.yaml" and d.line == 1 and "luong-tam-quang.yaml" in d.message


# --- layer 2: models -------------------------------------------------------------------------
def test_model_errors_all_reported_with_field_path_and_line(root):
    def change(m):
        m["meeting_type"] = "party"               # bad code
        m["colour"] = "red"                        # unknown field
        del m["summary_en"]                        # missing
        m["participants"][1]["side"] = "XX"        # nested bad code
    rewrite(root, MEETING, change)
    v = validate(root)
    mine = [d for d in v.diagnostics if d.path.endswith("2024-08-27-talks-vientiane.yaml")]
    assert {d.code for d in mine} == {"E101", "E102", "E103"}
    text = (root / "data" / MEETING).read_text().splitlines()
    side = next(d for d in mine if "participants.1.side" in d.message)
    assert text[side.line - 1].strip().startswith("side:")
    assert any("meeting_type" in d.message and "talks" in d.message for d in mine)  # lists allowed codes


@pytest.mark.parametrize("value, fragment", [
    ("2023-02-30", "not a real calendar day"),
    ("2023-13", "month must be"),
    ("2024-08-27/2024-08-01", "ends before it starts"),
    ("27/8/2024", "not an accepted date"),
])
def test_impossible_dates(root, value, fragment):
    rewrite(root, MEETING, lambda m: m.update(date=value))
    d = diag(root, "E103")
    assert fragment in d.message and d.path.endswith("talks-vientiane.yaml")


@pytest.mark.parametrize("field, value, fragment", [
    ("name", "Lu\u200bong", "invisible"),
    ("name", "Lu\u202eong", "invisible"),
    ("name", "=HYPERLINK(1)", "formula"),
    ("name", "Lương".replace("ơ", "o\u031b"), "NFC"),
    ("person_id", "Luong_Tam", "not a valid ID"),
])
def test_text_hygiene(root, field, value, fragment):
    rewrite(root, "people/luong-tam-quang.yaml", lambda p: p.update({field: value}))
    assert fragment in diag(root, "E103").message


def test_quote_longer_than_cap(root):
    rewrite(root, "people/luong-tam-quang.yaml", lambda p: p.update(cite=cite("x" * 251)))
    assert "cite.0.quote" in diag(root, "E103").message


# --- layer 3: cross-record rules -------------------------------------------------------------
def test_duplicate_id_across_two_files(root):
    recs = base_records()
    dup = dict(recs["people/luong-tam-quang.yaml"])
    (root / "data/people/x").mkdir()
    (root / "data/people/x/luong-tam-quang.yaml").write_text(yaml.safe_dump(dup, allow_unicode=True), encoding="utf-8")
    d = diag(root, "E200")
    assert "already used in data/people/" in d.message


def test_dangling_reference_points_at_the_field(root):
    rewrite(root, MEETING, lambda m: m["participants"][0].update(person_id="nobody"))
    d = diag(root, "E201")
    line = (root / "data" / MEETING).read_text().splitlines()[d.line - 1]
    assert "nobody" in line and "data/people/nobody.yaml" in d.message


def test_dangling_citation_source(root):
    rewrite(root, "people/luong-tam-quang.yaml", lambda p: p.update(cite=cite("q", source="missing-source")))
    assert "missing-source" in diag(root, "E201").message


def test_date_in_future_is_an_error(root):
    rewrite(root, MEETING, lambda m: m.update(date="2027-01-01", meeting_id="2027-01-01-x"))
    (root / "data" / MEETING).rename(root / "data/meetings/2024/2027-01-01-x.yaml")
    (root / "data/meetings/2027").mkdir()
    (root / "data/meetings/2024/2027-01-01-x.yaml").rename(root / "data/meetings/2027/2027-01-01-x.yaml")
    rewrite(root, "agreements/2024-08-27-cooperation-plan-2025.yaml", lambda a: a.update(meeting_id=None))
    assert "in the future" in diag(root, "E202").message


def test_period_end_before_start(root):
    rewrite(root, "agreements/2024-08-27-cooperation-plan-2025.yaml", lambda a: a.update(period_end=2020))
    assert diag(root, "E203").path.endswith("cooperation-plan-2025.yaml")


def test_participant_twice(root):
    rewrite(root, MEETING, lambda m: m["participants"].append(copy.deepcopy(m["participants"][0])))
    assert diag(root, "E204")


def _add_rank(root, person, rank, date, **extra):
    fact = {"rank": rank, "rank_label": rank, "date": date, "basis": "attested", "cite": cite_stating(rank, date),
            **extra}
    rewrite(root, f"people/{person}.yaml", lambda p: p.setdefault("ranks", []).append(fact))


def test_rank_disagreement_same_day_same_source_is_error(root):
    _add_rank(root, "vilay-lakhamphong", "lieutenant_general", "2024-08-27")
    assert "E210" in codes(root) and "W210" not in codes(root)


def test_rank_disagreement_marked_disputed_is_warning(root):
    _add_rank(root, "vilay-lakhamphong", "lieutenant_general", "2024-08-27", disputed=True)
    got = codes(root)
    assert "W210" in got and not any(c.startswith("E") for c in got)


def test_rank_never_goes_down_without_demotion(root):
    _add_rank(root, "vilay-lakhamphong", "major_general", "2025-01-01")
    assert "E211" in codes(root)


def test_cited_demotion_is_allowed(root):
    _add_rank(root, "vilay-lakhamphong", "major_general", "2025-01-01", demotion=True, basis="started")
    assert codes(root) == []


def test_rank_going_up_is_fine(root):
    _add_rank(root, "vilay-lakhamphong", "lieutenant_general", "2020-01-01")
    assert codes(root) == []


def test_single_seat_post_clash(root):
    fact = {"org_id": "la-mps", "role": "minister", "role_label": "Bộ trưởng", "date": "2024-08-27",
            "basis": "attested", "cite": cite("Bộ Công an Lào")}
    rewrite(root, "people/luong-tam-quang.yaml", lambda p: p.setdefault("positions", []).append(fact))
    d = diag(root, "E212")
    assert "minister of la-mps" in d.message


def test_two_people_same_role_in_different_orgs_is_fine(root):
    assert "E212" not in codes(root)  # both are ministers on the same day, of different ministries


def test_minister_and_deputy_same_day(root):
    fact = {"org_id": "la-mps", "role": "deputy_minister", "role_label": "Thứ trưởng", "date": "2024-08-27",
            "basis": "attested", "cite": cite("Bộ Công an Lào")}
    rewrite(root, "people/vilay-lakhamphong.yaml", lambda p: p.setdefault("positions", []).append(fact))
    assert "E213" in codes(root)


# --- layer 4: provenance ---------------------------------------------------------------------
def test_quote_not_in_source_text(root):
    rewrite(root, "people/luong-tam-quang.yaml", lambda p: p.update(cite=cite("Thượng tướng Lương Tam Quang")))
    d = diag(root, "E301", archive=True)
    assert d.path == "data/people/luong-tam-quang.yaml"
    assert "quote:" in (root / "data/people/luong-tam-quang.yaml").read_text().splitlines()[d.line - 1]


def test_quote_matches_after_whitespace_folding(root):
    rewrite(root, "people/luong-tam-quang.yaml",
            lambda p: p.update(cite=cite("Đại tướng Lương Tam  Quang,\nBộ trưởng")))
    assert "E301" not in codes(root, archive=True)


def test_archive_text_present_but_hash_mismatch(root):
    (root / "archive/article.txt").write_text("Một văn bản khác.", encoding="utf-8")
    got = codes(root, archive=True)
    assert "E302" in got and "E702" not in got   # one error, the precise one


def test_every_row_must_be_cited():
    from vn_la_security.models import OrganizationRecord
    with pytest.raises(Exception):
        OrganizationRecord.model_validate({"org_id": "x", "name_vi": "x", "name_en": "x", "country": "VN",
                                           "org_type": "ministry", "cite": []})


def test_only_requested_paths_are_reported(root):
    rewrite(root, MEETING, lambda m: m["participants"][0].update(person_id="nobody"))
    v = validate(root, paths=[root / "data/people"])
    assert v.diagnostics == []
    v = validate(root, paths=[root / "data" / MEETING])
    assert [d.code for d in v.diagnostics] == ["E201"]


def test_fixture_writer_round_trip(tmp_path):
    write_dataset(tmp_path)
    assert validate(tmp_path).diagnostics == []
