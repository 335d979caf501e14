"""Property test: valid generated records → build → load gives back the same values."""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from fixtures import write_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vn_la_security import api, build
from vn_la_security.names import fold
from vn_la_security.validate import validate
from vn_la_security.vocab import MeetingType, ParticipantRole, Rank, Side

ALPHABET = "abcdeghiklmnopqrstuvxyđươạăâêôơưàáảãạĐƯÔ Lào0123456789,.'\"()–"
FORMULA = ("=", "+", "-", "@")


def _clean(s: str) -> str:
    return unicodedata.normalize("NFC", " ".join(s.split()))


text = st.text(alphabet=ALPHABET, min_size=1, max_size=30).map(_clean).filter(
    lambda s: bool(s) and not s.startswith(FORMULA))
slug = st.from_regex(r"[a-z][a-z0-9]{1,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
day = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 12, 31))
edtf = st.one_of(day.map(str), day.map(lambda d: d.strftime("%Y-%m")), day.map(lambda d: str(d.year)))
SRC = "src-a"


def _quote(*values: str | None, date: str | None = None) -> list[dict]:
    """A cite whose quote states the values (as written) and the day of a day-precision date."""
    said = ["x y z", *(v for v in values if v)]
    if date and len(date) == 10:
        said.append(f"ngày {int(date[8:])}/{int(date[5:7])}")
    return [{"source": SRC, "quote": " | ".join(said), "quote_en": "[en] " + " | ".join(said)}]


@st.composite
def datasets(draw):
    people = draw(st.lists(slug, min_size=1, max_size=4, unique=True))
    records = {"outlets/o.yaml": {"outlet_id": "o", "name": "o", "language": "vi", "outlet_type": "newspaper",
                                  "url": "https://e.org/"},
               f"sources/{SRC}.yaml": {"source_id": SRC, "title": "t", "publisher": "p", "outlet_id": "o",
                                       "url": "https://e.org/a",
                                       "url_status": "original", "language": "vi"}}
    names = {pid: draw(text) for pid in people}
    used: dict[str, str] = {}   # folded alias → its person
    for pid in people:
        # an alias that folds to another person's name, alias or ID is an error (E714): keep only the others
        taken = {fold(t) for other in people if other != pid for t in (other, names[other])}
        aliases = [a for a in draw(st.lists(text, max_size=2)) if fold(a) not in taken and used.get(fold(a), pid) == pid]
        used.update((fold(a), pid) for a in aliases)
        records[f"people/{pid}.yaml"] = {"person_id": pid, "name": names[pid], "country": "LA",
                                         "aliases": aliases, "cite": _quote(names[pid], *aliases)}
    meetings = {}
    for _ in range(draw(st.integers(1, 4))):
        date = draw(edtf)
        mid = f"{date}-{draw(slug)}"
        if mid in meetings:
            continue
        attendees = draw(st.lists(st.sampled_from(people), unique=True, max_size=3))
        meetings[mid] = {
            "meeting_id": mid, "date": date, "city": draw(st.none() | text), "country": "VN",
            "meeting_type": draw(st.sampled_from(list(MeetingType))).value, "title_en": draw(text),
            "summary_en": draw(text), "occasion": draw(st.none() | text),
            **draw(st.just({}) | st.builds(lambda n: {"series": f"series-{mid}", "session": n}, st.integers(1, 30))),
            "cite": _quote(date=date),
            "participants": [{"person_id": p, "side": draw(st.sampled_from(list(Side))).value,
                              "role": draw(st.sampled_from(list(ParticipantRole))).value,
                              "title_as_written": title, "cite": _quote(title)}
                             for p in attendees for title in [draw(st.none() | text)]],
        }
    for mid, m in meetings.items():
        records[f"meetings/{mid[:4]}/{mid}.yaml"] = m
    # one rank per person at most, so the ladder rules cannot fire
    for pid in people:
        if draw(st.booleans()):
            rank = draw(st.sampled_from(list(Rank))).value
            label, date = draw(text), draw(edtf)
            records[f"people/{pid}.yaml"]["ranks"] = [{"rank": rank, "rank_label": label, "date": date,
                                                       "basis": "attested", "cite": _quote(label, date=date)}]
    return records


def _build(records, tmp: Path) -> tuple[Path, object]:
    write_dataset(tmp, records)
    v = validate(tmp, today=dt.date(2026, 1, 1))
    assert not v.errors, [str(d) for d in v.errors]
    build.publish(tmp, build.render(v.dataset, tmp))
    return tmp, v


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(datasets())
def test_build_then_load_gives_back_the_records(monkeypatch_env, tmp_path_factory, records):
    # a fresh folder per example (tmp_path would be shared by every example of one test)
    root, _ = _build(records, tmp_path_factory.mktemp("roundtrip"))
    monkeypatch_env(str(root / build.TABLES_DIR))
    meetings = {r["meeting_id"]: r for r in api.load("meetings", backend="arrow").to_pylist()}
    expected = {r["meeting_id"]: r for rel, r in records.items() if rel.startswith("meetings/")}
    assert set(meetings) == set(expected)
    for mid, rec in expected.items():
        row = meetings[mid]
        for field in ("date", "city", "country", "meeting_type", "title_en", "summary_en", "occasion", "session"):
            assert row[field] == rec.get(field), field
        assert row["date_start"] <= row["date_end"]
    people = {r["person_id"]: r for r in api.load("people", backend="polars").to_dicts()}
    for rel, rec in records.items():
        if rel.startswith("people/"):
            assert people[rec["person_id"]]["name"] == rec["name"]
            assert list(people[rec["person_id"]]["aliases"] or []) == rec["aliases"]
            try:   # a name that is also another person's alias is ambiguous, and must say so
                assert api.find_person(rec["name"].upper()) == rec["person_id"]
            except api.AmbiguousNameError as exc:
                assert rec["person_id"] in exc.candidates
    parts = api.load("participants", backend="pandas")
    assert len(parts) == sum(len(r.get("participants", [])) for r in expected.values())
    ranks = api.load("ranks", backend="arrow").to_pylist()
    assert sorted(r["rank"] for r in ranks) == sorted(
        f["rank"] for rel, rec in records.items() if rel.startswith("people/") for f in rec.get("ranks", []))
