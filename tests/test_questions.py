"""Hand-checked questions and answers on the real published data.

Each expected answer was read off the records and their quotes (data/people/*.yaml, data/meetings/), not
computed by the code under test. Run after `vn-la-security build` (the shipped tables).
"""
from __future__ import annotations

import datetime as dt

import pytest

from vn_la_security import api, find_org, find_person, holders_on, positions_on, rank_on

pytestmark = pytest.mark.skipif(not (api._tables_dir() / "tenures.parquet").exists(),
                                reason="tables not built with the derived tables")


def _who(org: str, role: str, day: str) -> dict[str, str]:
    return {r["person_id"]: r["certainty"] for r in holders_on(org, role, day)}


MINISTERS = [
    # Lao ministry. Thongbanh: minister from spring 2005, died 17 May 2014 (kampuspedia-de-thongbanh-sengaphone).
    ("la-mps", "minister", "2010-06-01", {"thongbanh-sengaphone": "held"}),
    ("la-mps", "minister", "2014-02-01", {"thongbanh-sengaphone": "held"}),
    # Somkeo named acting minister in 2014 (year only): only "possible" in February, firm on 15 Jan 2015
    # ("Quyền Bộ trưởng Somkeo Silavong", baotintuc-2015-01).
    ("la-mps", "acting_minister", "2014-02-01", {"somkeo-silavong": "possible"}),
    ("la-mps", "minister", "2014-06-01", {}),
    ("la-mps", "acting_minister", "2015-01-15", {"somkeo-silavong": "held"}),
    # Somkeo minister 1 Dec 2015 (laophatthananews) and 6 May 2018 (Laotian Times).
    ("la-mps", "minister", "2017-01-01", {"somkeo-silavong": "held"}),
    # Vilay: minister from 18 Aug 2020 through Dec 2025 (the Feb 2020 report naming him minister was not found again).
    ("la-mps", "minister", "2022-06-01", {"vilay-lakhamphong": "held"}),
    # Vanthong Kongmany appointed 17 or 19 January 2026 (sources disagree), minister on 5 Feb 2026.
    ("la-mps", "minister", "2026-01-18", {"vanthong-kongmany": "possible"}),
    ("la-mps", "minister", "2026-02-01", {"vanthong-kongmany": "held"}),
    # Vietnamese ministry. Lê Hồng Anh 28 Jan 2002 – 3 Aug 2011; Trần Đại Quang 3 Aug 2011 – 8 Apr 2016.
    ("vn-mps", "minister", "2005-01-01", {"le-hong-anh": "held"}),
    ("vn-mps", "minister", "2013-01-01", {"tran-dai-quang": "held"}),
    ("vn-mps", "minister", "2020-02-10", {"to-lam": "held"}),
    # Tô Lâm relieved 22 May 2024 (one source prints 22/5/2025, disputed); Lương Tam Quang appointed 6 June 2024.
    ("vn-mps", "minister", "2024-06-01", {"to-lam": "possible"}),
    ("vn-mps", "minister", "2025-01-12", {"luong-tam-quang": "held"}),
]


@pytest.mark.parametrize(("org", "role", "day", "expected"), MINISTERS)
def test_ministers_on_dates(org, role, day, expected):
    assert _who(org, role, day) == expected


RANKS = [
    ("vilay-lakhamphong", "2021-04-15", "colonel_general"),   # "Senior Lieutenant General", March 2021 (month only)
    ("vilay-lakhamphong", "2023-01-01", "general"),           # promoted 25 Nov 2021
    ("vilay-lakhamphong", "2022-06-20", "general"),           # the Laotian Times' "Lt. Gen." is kept apart, disputed
    ("somkeo-silavong", "2016-06-01", "major_general"),       # promoted 1 Dec 2015, attested 6 May 2018
    ("to-lam", "2020-01-01", "general"),                      # Đại tướng from 29 Jan 2019
    ("vilay-lakhamphong", "2019-01-01", None),                # no evidence before March 2021
]


@pytest.mark.parametrize(("person", "day", "expected"), RANKS)
def test_ranks_on_dates(person, day, expected):
    assert rank_on(person, day) == expected


def test_rank_attested_in_a_month_is_only_possible_inside_it():
    # vietnamplus-en-2021-03-23 dates the rank to March 2021 only: on 23 March it may not yet have applied
    assert rank_on("vilay-lakhamphong", "2021-03-23") is None
    assert [r["certainty"] for r in rank_on("vilay-lakhamphong", "2021-03-23", with_certainty=True)] == ["possible"]


def test_disputed_rank_is_listed_with_certainty():
    ranks = {r["rank"]: r["certainty"] for r in rank_on("vilay-lakhamphong", "2022-06-20", with_certainty=True)}
    assert ranks == {"general": "held", "lieutenant_general": "held"}


LEVELS = [
    ("2020-02-10-to-lam-vilay-lakhamphong-talks-vientiane", "ministerial"),   # both ministers
    ("2017-03-16-nguyen-xuan-phuc-receives-somkeo-silavong", "ministerial"),  # Lao minister received by the PM
    ("2019-07-16-thongloun-sisoulith-receives-bui-van-nam", "leadership"),    # Lao PM receives a deputy minister
    ("2018-05-16-vn-la-security-cooperation-conference-9", "deputy_ministerial"),  # two deputy ministers
    ("2014-07-clv-ministers-conference-crime-prevention-2", "ministerial"),   # Bộ trưởng Bộ Công an Trần Đại Quang
]


@pytest.mark.parametrize(("meeting", "expected"), LEVELS)
def test_meeting_levels(meeting, expected):
    rows = {r["meeting_id"]: r["level"] for r in api._rows("meetings")}
    assert rows[meeting] == expected


def test_names_and_positions_by_any_spelling():
    assert find_person("Thoong Băn Sẻng A Phon") == "thongbanh-sengaphone"   # Vietnamese phonetic rendering
    assert find_person("VILAY LAKHAMFONG") == "vilay-lakhamphong"
    assert find_org("Bộ An ninh Lào") == "la-mps"
    assert find_org("ກະຊວງປ້ອງກັນຄວາມສະຫງົບ") == "la-mps"
    with pytest.raises(LookupError, match="ambiguous"):
        find_org("Ministry of Public Security")    # a name both ministries carry
    posts = positions_on("Vilay Lakhamphong", dt.datetime(2023, 1, 1, 12, 0))
    assert {"org_id": "la-mps", "role": "minister"} in [{k: p[k] for k in ("org_id", "role")} for p in posts]


def test_one_lao_ministry_with_dated_names():
    names = {r["name"]: r for r in api._rows("organization_names") if r["org_id"] == "la-mps"}
    assert names["Bộ An ninh Lào"]["date_end"] < names["Bộ Công an Lào"]["date_end"]
    assert not any(r["org_id"] == "la-mos" for r in api._rows("organizations"))


def test_quantity_conflict_published():
    rows = [r for r in api._rows("conflicts") if r["kind"] == "quantity_mismatch"]
    assert {(r["claim_a"], r["claim_b"]) for r in rows} == {("232 offices (target 2021-11-01)",
                                                             "287 offices (target 2021-12)")}
