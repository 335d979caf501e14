"""Values backed by their quotes (vn_la_security/support.py, issue 15)."""
from __future__ import annotations

import datetime as dt

import pytest
from fixtures import base_records, cite, write_dataset

from vn_la_security import support
from vn_la_security.validate import load_and_derive, validate


@pytest.mark.parametrize("quote, day", [
    ("Chiều 27/8, tại Thủ đô Vientiane", (27, 8, None)),
    ("sáng 5/2 tại Hà Nội", (5, 2, None)),
    ("chiều 25-1", (25, 1, None)),
    ("trụ sở thứ nhất đã bàn giao vào ngày 13.1 - PV", (13, 1, None)),
    ("ngày 15/01/2024", (15, 1, 2024)),
    ("ngày 15-1-2024", (15, 1, 2024)),
    ("ngày 15 tháng 1 năm 2024", (15, 1, 2024)),
    ("(27/08)", (27, 8, None)),
    ("held in Vientiane on January 15, 2024", (15, 1, 2024)),
    ("on Jan. 15", (15, 1, None)),
    ("On the 16th of May, 2018, the conference", (16, 5, 2018)),
    ("le 15 janvier 2024", (15, 1, 2024)),
    ("le 1er janvier", (1, 1, None)),
    ("el 15 de enero de 2024", (15, 1, 2024)),
    ("am 15. Januar 2024", (15, 1, 2024)),
    ("il 15 gennaio", (15, 1, None)),
    ("il 1° gennaio 2024", (1, 1, 2024)),
    ("Sept. 3, 2020", (3, 9, 2020)),
    ("ວັນທີ 15 ມັງກອນ 2024", (15, 1, 2024)),
    ("ວັນທີ ໑໕/໑/໒໐໒໔", (15, 1, 2024)),           # Lao digits
    ("วันที่ 15 มกราคม 2567", (15, 1, 2024)),        # Thai, Buddhist era
    ("2024年1月15日", (15, 1, 2024)),
    ("2024-01-15", (15, 1, 2024)),
])
def test_recognises_the_day_in_every_form_the_sources_use(quote, day):
    assert day in support.stated_days(quote)


def test_ranges_state_both_days():
    assert {(27, 8, None), (29, 8, None)} <= support.stated_days("từ 27-29/8")
    assert {(8, 1, None), (9, 1, None)} <= support.stated_days("ngày 8 và 9 tháng 1")


@pytest.mark.parametrize("quote", ["vào tháng 9/2023", "diện tích 67.5 m2", "trong năm 2015", "on Thursday",
                                   "tổng mức đầu tư 250 tỷ đồng"])
def test_no_day_where_none_is_written(quote):
    assert support.stated_days(quote) == set()


def test_a_stated_year_must_be_the_dates_year():
    assert support.states_date("ngày 15/1/2024", (dt.date(2024, 1, 15),))
    assert not support.states_date("ngày 15/1/2023", (dt.date(2024, 1, 15),))
    assert not support.states_date("ngày 16/1", (dt.date(2024, 1, 15),))


def test_values_match_as_whole_words_after_folding():
    assert support.occurs("Đại tướng", "chiều nay,  ĐẠI   TƯỚNG Lương Tam Quang")
    assert not support.occurs("Long", "Longchamps")
    assert not support.occurs("Tô Lâm", "To Lam")                       # diacritics are part of the spelling
    assert support.occurs("ກົງທອງ", "ທ່ານ ກົງທອງພົງພິຈິດ ລັດຖະມົນຕີ")       # no word boundaries in Lao


def test_quantities_are_matched_as_whole_numbers():
    assert support.states_number(224, "đã bàn giao cho phía Lào 224 trụ sở")
    assert not support.states_number(24, "đã bàn giao cho phía Lào 224 trụ sở")
    assert support.states_number(1200, "cho 1.200 học viên hằng năm")
    assert support.states_number(15, "ໄດ້ມອບ ໑໕ ຫ້ອງການ")


def _violations(root):
    _, ds = load_and_derive(root)
    return {(v.kind, v.table, v.column, v.value) for v in support.find(ds)}


def _unbacked_records():
    """The fixture without the quotes that state the agreement's signing day and two of Vilay's aliases."""
    records = base_records()
    agreement = records["agreements/2024-08-27-cooperation-plan-2025.yaml"]
    agreement["cite"] = [c for c in agreement["cite"] if c.get("field") != "signed"]
    vilay = records["people/vilay-lakhamphong.yaml"]
    vilay["cite"] = [c for c in vilay["cite"] if c.get("field") != "aliases"]
    return records


def test_the_fixture_is_backed_and_each_kind_of_unbacked_value_is_found(tmp_path):
    assert _violations(write_dataset(tmp_path / "base")) == set()
    assert _violations(write_dataset(tmp_path / "unbacked", _unbacked_records())) == {
        ("date", "agreements", "signed", "2024-08-27"),
        ("value", "people", "aliases", "Vilay Lakhamfong"),
        ("value", "people", "aliases", "Vi-lay Lạ-khăm-phong"),
    }


def test_field_decides_what_a_quote_supports(tmp_path):
    records = base_records()
    vilay = records["people/vilay-lakhamphong.yaml"]
    for c in vilay["cite"]:
        if c.get("field") == "aliases":
            c["field"] = "note"                 # the same quote, cited for another column, supports nothing else
    people = records["people/luong-tam-quang.yaml"]
    people["cite"] = [{**cite("Đại tướng Lương Tam Quang")[0], "field": "note"}, *cite("Bộ trưởng Bộ Công an")]
    write_dataset(tmp_path, records)
    assert _violations(tmp_path) == {("value", "people", "name", "Lương Tam Quang"),
                                     ("value", "people", "aliases", "Vilay Lakhamfong"),
                                     ("value", "people", "aliases", "Vi-lay Lạ-khăm-phong")}


def test_an_organisations_name_vi_is_a_label_but_its_aliases_and_peoples_names_are_as_written(tmp_path):
    records = base_records()
    la_mps = records["organizations/la-mps.yaml"]
    la_mps["name_vi"] = "Bộ Công an nước Cộng hòa Dân chủ Nhân dân Lào"    # our label: in no quote, not checked
    la_mps["aliases"] = ["Bộ An ninh Lào"]                                  # as written: must be in a quote
    records["people/luong-tam-quang.yaml"]["name"] = "Lương T. Quang"        # as written: must be in a quote
    write_dataset(tmp_path, records)
    assert _violations(tmp_path) == {("value", "organizations", "aliases", "Bộ An ninh Lào"),
                                     ("value", "people", "name", "Lương T. Quang")}
    assert {d.code for d in validate(tmp_path).errors} == {"E900"}


def test_participants_positions_and_quantities_are_checked_against_their_own_cites(tmp_path):
    records = base_records()
    meeting = records["meetings/2024/2024-08-27-talks-vientiane.yaml"]
    meeting["participants"][0]["positions"][0]["role_label"] = "Bộ trưởng Công an"   # not in its quote
    meeting["participants"][1]["title_as_written"] = "Phó Thủ tướng"
    records["projects/village-offices.yaml"]["updates"][0]["quantity"] = 12
    write_dataset(tmp_path / "changed", records)
    found = _violations(tmp_path / "changed") - _violations(write_dataset(tmp_path / "base"))
    assert found == {("value", "positions", "role_label", "Bộ trưởng Công an"),
                     ("value", "participants", "title_as_written", "Phó Thủ tướng"),
                     ("value", "project_updates", "quantity", "12")}


def test_an_inferred_date_needs_a_note_and_is_then_not_checked_against_quotes(tmp_path):
    records = base_records()
    agreement = records["agreements/2024-08-27-cooperation-plan-2025.yaml"]
    agreement["signed_basis"] = "inferred"
    write_dataset(tmp_path, records)
    assert ("inferred", "agreements", "signed_basis", "2024-08-27") in _violations(tmp_path)
    agreement["note"] = "Date inferred: signed at the talks of 27/8 (same report)."
    write_dataset(tmp_path, records)
    assert not {v for v in _violations(tmp_path) if v[1] == "agreements"}


def test_every_violation_is_a_located_error_of_validate_and_build(tmp_path, cli):
    assert not validate(write_dataset(tmp_path / "base")).errors
    root = write_dataset(tmp_path / "unbacked", _unbacked_records())
    errors = validate(root).errors
    assert sorted((d.path, d.code) for d in errors) == [
        ("data/agreements/2024-08-27-cooperation-plan-2025.yaml", "E901"),
        ("data/people/vilay-lakhamphong.yaml", "E900"),
        ("data/people/vilay-lakhamphong.yaml", "E900"),
    ]
    alias = next(d for d in errors if "Vi-lay" in d.message)
    text = (root / alias.path).read_text(encoding="utf-8").splitlines()
    assert "Vi-lay Lạ-khăm-phong" in text[alias.line - 1]
    assert "add a cite whose quote contains it" in alias.message
    code, out, err = cli("build", "--root", root)
    assert code == 1 and "E901" in out and "nothing written" in err and not (root / "datapackage.json").exists()
