"""Issue 12, items 6, 7, 10 and the minor rules: each rule fails on its case and stays quiet on its neighbour."""
from __future__ import annotations

import copy
import datetime as dt
import time
from pathlib import Path

import pytest
from fixtures import QUOTE_SOURCE_TEXT, base_records, cite, cite_stating, dump
from test_rules import MEETING, codes, diag, rewrite

from vn_la_security import rules
from vn_la_security.names import fold
from vn_la_security.provenance import text_sha256
from vn_la_security.validate import validate

AGREEMENT = "agreements/2024-08-27-cooperation-plan-2025.yaml"
LTQ = "people/luong-tam-quang.yaml"
VILAY = "people/vilay-lakhamphong.yaml"
SOURCE = "sources/test-source-2024-08-28.yaml"


def add(root: Path, rel: str, record: dict) -> None:
    path = root / "data" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(record), encoding="utf-8")


def line_has(root: Path, d, text: str) -> bool:
    return text in (root / d.path).read_text(encoding="utf-8").splitlines()[d.line - 1]


def errors(root: Path, archive: bool = False) -> list[str]:
    return [c for c in codes(root, archive) if c.startswith("E")]


# --- item 6: quotes ------------------------------------------------------------------------------
@pytest.mark.parametrize("quote", ["a", ",", "Quang", "Bộ Công", "., ; !", "老挝总理"])
def test_short_quotes_are_refused_even_without_an_archive(root, quote):
    rewrite(root, LTQ, lambda p: p.update(cite=cite(quote)))
    d = diag(root, "E700")
    assert d.path == f"data/{LTQ}" and line_has(root, d, "quote:")


@pytest.mark.parametrize("quote", ["Bộ Công an", "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ", "老挝公安部部长维莱拉坎丰先生"])
def test_three_words_or_twelve_letters_in_scripts_without_spaces_are_enough(root, quote):
    rewrite(root, LTQ, lambda p: p.update(cite=cite(quote)))
    assert "E700" not in codes(root)


@pytest.mark.parametrize("quote", ["ông an Việt Nam bàn giao", "0 trụ sở cho Bộ", "Bộ Công an Việt Nam bàn gia"])
def test_quote_must_match_at_word_boundaries(root, quote):
    assert quote in QUOTE_SOURCE_TEXT
    rewrite(root, LTQ, lambda p: p.update(cite=cite(quote)))
    d = diag(root, "E701", archive=True)
    assert d.path == f"data/{LTQ}" and line_has(root, d, "quote:")


def test_whole_words_next_to_punctuation_or_glued_digits_match(root):
    text = QUOTE_SOURCE_TEXT + " ảnh 2Thủ tướng Lào tiếp đoàn."    # a caption glued to its number
    (root / "archive/article.txt").write_text(text, encoding="utf-8")
    rewrite(root, SOURCE, lambda s: s.update(text_sha256=text_sha256(text)))
    rewrite(root, LTQ, lambda p: p["cite"].extend(cite("Thủ tướng Lào tiếp đoàn.")))
    assert codes(root, archive=True) == []


def test_a_quote_not_in_english_needs_our_english_rendering(root):
    rewrite(root, LTQ, lambda p: p["cite"][0].pop("quote_en"))
    d = diag(root, "E716")
    assert d.path == f"data/{LTQ}" and line_has(root, d, "quote:") and "quote_en" in d.message


def test_a_quote_from_an_english_source_needs_no_rendering(root):
    rewrite(root, SOURCE, lambda s: s.update(language="en"))
    rewrite(root, LTQ, lambda p: p["cite"][0].pop("quote_en"))
    assert "E716" not in codes(root)


def test_hash_matching_no_archived_text_is_an_error_under_archive(root):
    rewrite(root, SOURCE, lambda s: (s.update(text_sha256="ab" * 32), s.pop("archive_name")))
    d = diag(root, "E702", archive=True)
    assert d.path == f"data/{SOURCE}" and line_has(root, d, "text_sha256:")
    assert "E702" not in codes(root)          # without an archive nothing is claimed about it


def test_two_sources_cannot_share_a_text(root):
    fake = dict(base_records()[SOURCE], source_id="fake-outlet-2024-08-28", publisher="Fake Outlet",
                url="https://fake.example/a")
    add(root, "sources/fake-outlet-2024-08-28.yaml", fake)
    found = [d for d in validate(root).diagnostics if d.code == "E703"]
    assert {d.path for d in found} == {"data/sources/fake-outlet-2024-08-28.yaml", f"data/{SOURCE}"}
    assert all(line_has(root, d, "text_sha256:") for d in found)
    assert "test-source-2024-08-28" in next(d.message for d in found if "fake" in d.path)


# --- item 7: contradictions ----------------------------------------------------------------------
def test_interval_ending_in_the_future_is_an_error_but_the_current_month_is_not(root):
    today = dt.date(2026, 11, 23)

    def update(date):
        rewrite(root, "projects/village-offices.yaml", lambda p: p["updates"][0].update(date=date))
        return [d for d in validate(root, today=today).diagnostics if d.code == "E202"]

    found = update("2026-11-20/2026-11-30")
    assert len(found) == 1 and "ends in the future" in found[0].message and line_has(root, found[0], "date:")
    assert update("2026-11") == [] and update("2026-11-20/2026-11-23") == []


def test_meeting_after_every_citing_source_is_an_error(root):
    rewrite(root, SOURCE, lambda s: s.update(published="2024-08-26"))
    d = diag(root, "E705")
    assert d.path == f"data/{MEETING}" and line_has(root, d, "date:") and "2024-08-26" in d.message


def test_one_later_or_undated_source_is_enough_for_a_meeting(root):
    rewrite(root, SOURCE, lambda s: s.update(published="2024-08"))      # may be on or after the 27th
    assert "E705" not in codes(root)
    rewrite(root, SOURCE, lambda s: s.update(published="2024-08-26"))
    later = dict(base_records()[SOURCE], source_id="later-2024-09-01", published="2024-09-01", text_sha256=None)
    add(root, "sources/later-2024-09-01.yaml", later)
    rewrite(root, MEETING, lambda m: m["cite"].extend(cite("Chiều 27/8, tại Thủ đô", "later-2024-09-01")))
    assert "E705" not in codes(root)


@pytest.mark.parametrize("signed, code", [("2024-08-26", "E706"), ("2023", "E706"), ("2024-08", None),
                                          ("2024-08-27", None)])
def test_agreement_signed_at_a_meeting_must_share_its_date(root, signed, code):
    rewrite(root, AGREEMENT, lambda a: a.update(signed=signed))
    if code is None:
        assert "E706" not in codes(root)
    else:
        d = diag(root, code)
        assert d.path == f"data/{AGREEMENT}" and line_has(root, d, "signed:")


def _fact(kind: str, basis: str, date: str, **extra) -> dict:
    what = {"rank": "general", "rank_label": "Đại tướng"} if kind == "ranks" else \
        {"org_id": "vn-mps", "role": "minister", "role_label": "Bộ trưởng"}
    return {**what, "date": date, "basis": basis, "cite": cite("Bộ trưởng Bộ Công an Lào"), **extra}


@pytest.mark.parametrize("kind", ["ranks", "positions"])
def test_rank_or_post_ending_before_it_starts_is_an_error(root, kind):
    rewrite(root, LTQ, lambda p: p.update({kind: [_fact(kind, "started", "2020-01-01"),
                                                  _fact(kind, "ended", "2019-05-01")]}))
    d = diag(root, "E707")
    assert d.path == f"data/{LTQ}" and line_has(root, d, "2019-05-01")


@pytest.mark.parametrize("kind", ["ranks", "positions"])
@pytest.mark.parametrize("other", [
    {"basis": "attested", "date": "2018"},                 # held before the end: an earlier term
    {"basis": "started", "date": "2019-05"},               # may be on or before the end day
    {"basis": "started", "date": "2020-01-01", "disputed": True},
])
def test_an_earlier_term_an_imprecise_date_or_a_dispute_is_not_a_contradiction(root, kind, other):
    extra = {k: v for k, v in other.items() if k not in ("basis", "date")}
    facts = [_fact(kind, "ended", "2019-05-01"), _fact(kind, other["basis"], other["date"], **extra)]
    if other["basis"] == "attested":
        facts.append(_fact(kind, "started", "2020-01-01"))
    rewrite(root, LTQ, lambda p: p.update({kind: facts}))
    assert "E707" not in codes(root)


def test_organisation_that_is_its_own_predecessor(root):
    rewrite(root, "organizations/la-mps.yaml", lambda o: o.update(predecessor_org_id="la-mps"))
    d = diag(root, "E708")
    assert "la-mps → la-mps" in d.message and line_has(root, d, "predecessor_org_id:")


def test_cycle_of_parents_is_reported_at_every_member(root):
    rewrite(root, "organizations/la-mps.yaml", lambda o: o.update(parent_org_id="vn-mps"))
    rewrite(root, "organizations/vn-mps.yaml", lambda o: o.update(parent_org_id="la-mps"))
    found = [d for d in validate(root).diagnostics if d.code == "E708"]
    assert {d.path for d in found} == {"data/organizations/la-mps.yaml", "data/organizations/vn-mps.yaml"}
    assert all(line_has(root, d, "parent_org_id:") for d in found)


def test_agreement_that_is_its_own_parent_and_a_plain_chain(root):
    other = dict(base_records()[AGREEMENT], agreement_id="2024-08-27-annex", meeting_id=None,
                 parent_agreement_id="2024-08-27-cooperation-plan-2025")
    add(root, "agreements/2024-08-27-annex.yaml", other)
    assert "E708" not in codes(root)            # a chain is fine
    rewrite(root, AGREEMENT, lambda a: a.update(parent_agreement_id="2024-08-27-annex"))
    d = diag(root, "E708")
    assert "annex" in d.message and "cooperation-plan-2025" in d.message


def test_same_series_and_session_twice(root):
    rewrite(root, MEETING, lambda m: m.update(series="vn-la-talks", session=3))
    second = copy.deepcopy(base_records()[MEETING])
    second.update(meeting_id="2024-08-27-second-talks", series="vn-la-talks", session=3)
    add(root, "meetings/2024/2024-08-27-second-talks.yaml", second)
    found = [d for d in validate(root).diagnostics if d.code == "E709"]
    assert {d.path for d in found} == {f"data/{MEETING}", "data/meetings/2024/2024-08-27-second-talks.yaml"}
    assert all(line_has(root, d, "session:") for d in found)
    rewrite(root, "meetings/2024/2024-08-27-second-talks.yaml", lambda m: m.update(session=4))
    assert "E709" not in codes(root)


def test_session_without_series(root):
    rewrite(root, MEETING, lambda m: m.update(session=3))
    d = diag(root, "E710")
    assert line_has(root, d, "session:")


@pytest.mark.parametrize("date, code", [("2024-08", "E711"), ("2024", "E711"), ("2024-08-27", None),
                                        ("2024-08-27/2024-08-28", None)])
def test_meeting_id_no_more_precise_than_its_date(root, date, code):
    rewrite(root, MEETING, lambda m: m.update(date=date))
    if code is None:
        assert "E711" not in codes(root)
    else:
        d = diag(root, code)
        assert line_has(root, d, "meeting_id:") and date in d.message


# --- item 10: name lookups ------------------------------------------------------------------------
IMPOSTOR = "people/impostor.yaml"


def _impostor(root: Path, **fields) -> None:
    add(root, IMPOSTOR, {"person_id": "impostor", "name": "Nguyễn Văn A", "country": "VN",
                         "cite": cite("Bộ trưởng Bộ Công an Lào"), **fields})


@pytest.mark.parametrize("alias", ["Lương Tam Quang", "LUONG-TAM-QUANG", "Luong  Tam. Quang", "Lương Tam–Quang",
                                   "Vilay Lakhamfong", "vi lay la kham phong"])
def test_alias_of_another_persons_name_alias_or_id_is_an_error_at_both_ends(root, alias):
    _impostor(root, aliases=[alias])
    found = [d for d in validate(root).diagnostics if d.code == "E714"]
    assert f"data/{IMPOSTOR}" in {d.path for d in found}
    assert {d.path for d in found} - {f"data/{IMPOSTOR}"}, "the other end is reported too (validate PATHS, --changed)"
    mine = next(d for d in found if d.path == f"data/{IMPOSTOR}")
    assert line_has(root, mine, alias) and ("luong-tam-quang" in mine.message or "vilay-lakhamphong" in mine.message)


def test_an_id_spelled_like_another_persons_alias(root):
    add(root, "people/vilay-lakhamfong.yaml", {"person_id": "vilay-lakhamfong", "name": "Somebody Else",
                                                "country": "LA", "cite": cite("Bộ trưởng Bộ Công an Lào")})
    found = {(d.path, d.code) for d in validate(root).diagnostics}
    assert {("data/people/vilay-lakhamfong.yaml", "E714"), (f"data/{VILAY}", "E714")} <= found


def test_namesakes_are_a_warning_and_own_aliases_are_fine(root):
    _impostor(root, name="Lương Tam Quang", aliases=["Nguyễn Văn A"],
              cite=cite_stating("Lương Tam Quang", "Nguyễn Văn A"))
    got = codes(root)
    assert "W716" in got and not [c for c in got if c.startswith("E")]


def test_organisation_alias_of_another_organisation(root):
    rewrite(root, "organizations/vn-mps.yaml", lambda o: o.update(aliases=["Bộ Công an Lào"]))
    found = {d.path for d in validate(root).diagnostics if d.code == "E715"}
    assert found == {"data/organizations/vn-mps.yaml", "data/organizations/la-mps.yaml"}


@pytest.mark.parametrize("a, b", [("Đại tướng", "\u00d0ại tướng"), ("Đại tướng", "dai tuong"),
                                  ("Lương", "Ｌương"), ("Straße", "STRASSE"), ("Vi-lay", "Vi–lay"),
                                  ("Kham’phong", "kham phong"), ("Tô Lâm", "to-lam")])
def test_fold_is_strong_enough(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_different_names_apart():
    assert fold("Lương Tam Quang") != fold("Lương Tam Quảng Ninh") and fold("Tô Lâm") != fold("Tô Lan")


# --- minor rules ----------------------------------------------------------------------------------
def test_cite_field_must_name_a_column(root):
    rewrite(root, LTQ, lambda p: p["cite"][0].update(field="rank"))      # people have no rank column
    d = diag(root, "E712")
    assert line_has(root, d, "field:") and "people" in d.message
    rewrite(root, LTQ, lambda p: p["cite"][0].update(field="name"))
    rewrite(root, MEETING, lambda m: m["participants"][0]["cite"][0].update(field="date"))   # its rank's date
    assert "E712" not in codes(root)


def test_reference_to_a_tombstoned_id_names_its_replacement(root):
    (root / "data/tombstones.yaml").write_text(
        "- table: organizations\n  id: la-mos\n  replaced_by: la-mps\n  reason: One ministry.\n", encoding="utf-8")
    rewrite(root, MEETING, lambda m: m["participants"][1].update(org_id="la-mos"))
    d = diag(root, "E201")
    assert "la-mos was replaced by la-mps: use la-mps" in d.message and line_has(root, d, "la-mos")


def test_unknown_id_suggests_the_closest(root):
    rewrite(root, MEETING, lambda m: m["participants"][0].update(person_id="luong-tam-quagn"))
    assert "did you mean luong-tam-quang?" in diag(root, "E201").message
    rewrite(root, MEETING, lambda m: m["participants"][0].update(person_id="zzz"))
    assert "did you mean" not in diag(root, "E201").message


def test_derived_id_collision_says_what_to_change(root):
    fact = _fact("ranks", "attested", "2020-01-01")
    rewrite(root, LTQ, lambda p: p.update(ranks=[fact, copy.deepcopy(fact)]))
    d = diag(root, "E200")
    assert "luong-tam-quang-general-2020-01-01" in d.message
    assert "merge them" in d.message and "explicit rank_id" in d.message and "choose another ID" not in d.message


def test_same_person_in_two_countries_on_one_day_is_a_warning(root):
    other = copy.deepcopy(base_records()[MEETING])
    other.update(meeting_id="2024-08-27-hanoi-reception", country="VN", city="Hà Nội",
                 participants=other["participants"][:1])
    add(root, "meetings/2024/2024-08-27-hanoi-reception.yaml", other)
    got = codes(root)
    assert "W720" in got and not [c for c in got if c.startswith("E")]
    rewrite(root, "meetings/2024/2024-08-27-hanoi-reception.yaml", lambda m: m.update(country="LA"))
    assert "W720" not in codes(root)


@pytest.mark.parametrize("rank, warned", [("major_general", True), ("colonel_general", False)])
def test_rank_rising_two_steps_overnight_is_a_warning(root, rank, warned):
    fact = {"rank": rank, "rank_label": rank, "date": "2024-08-26", "basis": "attested",
            "cite": cite_stating(rank, "2024-08-26")}
    rewrite(root, VILAY, lambda p: p.update(ranks=[fact]))
    got = codes(root)
    assert ("W721" in got) == warned and not [c for c in got if c.startswith("E")]


def test_today_does_not_depend_on_the_runners_time_zone(monkeypatch):
    seen = set()
    for zone in ("Pacific/Kiritimati", "UTC", "Pacific/Pago_Pago", "Asia/Vientiane"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        seen.add(rules.default_today())
    monkeypatch.delenv("TZ")
    time.tzset()
    assert len(seen) == 1 and seen.pop() >= dt.datetime.now(dt.timezone.utc).date()
