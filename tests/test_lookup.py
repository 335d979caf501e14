"""search() and evidence() on the published tables."""
from __future__ import annotations

import pytest

from vn_la_security import api
from vn_la_security.lookup import evidence, fold, search
from vn_la_security.queries import UnknownIdError


def test_fold_ignores_case_and_latin_diacritics_but_keeps_other_scripts():
    assert fold("Đại  tướng LƯƠNG Tam Quang") == "dai tuong luong tam quang"
    assert fold("căn cước") == "can cuoc"
    lao = "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ"
    assert fold(lao) == lao                      # Lao vowel and tone signs are not accents
    assert fold("ກະຊວງປອງກນຄວາມສະຫງບ") != lao     # … so dropping them is a different word


def test_search_without_diacritics_finds_the_person_and_the_project():
    people = search("luong tam quang", tables=["people"])
    own = people[people.field.isin(["name", "name_ascii", "aliases"])]   # notes and quotes may name him elsewhere
    assert set(own["id"]) == {"luong-tam-quang"} and {"name", "name_ascii"} <= set(own["field"])
    projects = search("CAN CUOC", tables=["projects"])
    assert "la-population-id-system" in set(projects["id"])
    row = projects[projects.id == "la-population-id-system"].iloc[0]
    assert "căn cước" in row["text"].lower()


def test_a_quote_match_is_reported_for_the_row_it_cites():
    hits = search("Quyền Bộ trưởng An ninh Lào")
    quoted = hits[hits.field == "quote"]
    assert len(quoted) and quoted["citation_id"].notna().all()
    cites = api.load("citations", backend="arrow").to_pylist()
    by_id = {c["citation_id"]: c for c in cites}
    for _, h in quoted.iterrows():
        c = by_id[h["citation_id"]]
        assert (c["record_table"], c["record_id"]) == (h["table"], h["id"])
        assert fold("Quyền Bộ trưởng An ninh Lào") in fold(c["quote"])


def test_lao_script_is_searched_as_it_is():
    hits = search("ກະຊວງປ້ອງກັນຄວາມສະຫງົບ", tables=["organizations"])
    assert "la-mps" in set(hits["id"])


def test_search_rejects_empty_text_and_unknown_tables():
    with pytest.raises(ValueError, match="empty"):
        search("  ")
    with pytest.raises(ValueError, match="unknown table"):
        search("quang", tables=["meetingz"])


def test_evidence_lists_the_rows_citations_with_their_sources():
    meeting = "2015-01-15-vn-mps-la-mos-talks-vientiane"
    ev = evidence("meetings", meeting)
    cites = [c for c in api.load("citations", backend="arrow").to_pylist()
             if c["record_table"] == "meetings" and c["record_id"] == meeting]
    assert sorted(ev["citation_id"]) == sorted(c["citation_id"] for c in cites) and len(cites) > 1
    sources = {s["source_id"]: s for s in api.load("sources", backend="arrow").to_pylist()}
    for _, e in ev.iterrows():
        assert e["url"] == sources[e["source_id"]]["url"] and e["title"] == sources[e["source_id"]]["title"]
        assert e["outlet"]


def test_evidence_of_a_composite_key_and_of_an_unknown_row():
    part = api.load("participants", backend="arrow").to_pylist()[0]
    ev = evidence("participants", (part["meeting_id"], part["person_id"]))
    assert len(ev) >= 1
    with pytest.raises(UnknownIdError, match="closest: 2015-01-15-vn-mps-la-mos-talks-vientiane"):
        evidence("meetings", "2015-01-15-vn-mps-la-mos-talks-vientian")
    assert issubclass(UnknownIdError, LookupError)
    with pytest.raises(ValueError, match="not a cited table"):
        evidence("sources", "x")


def test_cli_search_and_evidence(cli):
    code, out, _ = cli("search", "can cuoc", "--table", "projects")
    assert code == 0 and "la-population-id-system" in out
    code, out, _ = cli("evidence", "meetings", "2015-01-15-vn-mps-la-mos-talks-vientiane")
    assert code == 0 and "baotintuc.vn" in out
    code, _, err = cli("evidence", "meetings", "no-such-meeting")
    assert code == 2 and "unknown meetings row 'no-such-meeting'" in err
