"""Cross-record rules over the derived tables. Each rule yields located diagnostics.

All rules are linear or n·log n in the number of rows: grouping by key, never all-pairs.

Errors are contradictions a careful editor would never publish: the records cannot all be right (an agreement
signed at a meeting on another day, a post that ends before it starts, an organisation that is its own parent,
a meeting that only sources printed before it report, an alias that makes a name lookup find someone else).
Warnings are what is unusual but can be true and needs a look: the same person in two countries on one day (a
same-day trip across the border happens), a rank rising two steps overnight, two people with one name.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import dates, lifecycle, provenance
from .diagnostics import Diagnostic
from .models import RECORD_KINDS, TABLES
from .derive import Dataset, Origin, record_key, slug_part
from .names import fold
from .vocab import RANK_ORDER, SINGLE_SEAT_ROLES

EARLIEST = dt.date(1900, 1, 1)
_MINISTERIAL = {"minister", "acting_minister", "deputy_minister"}
SUGGESTED = 20   # unknown IDs that get "did you mean" per run (each is a pass over its table's IDs: 0.8 s at 100k)


def default_today() -> dt.date:
    """The validator's "today" (``dates.today``: the date at UTC+14, the first time zone to reach a date), so
    every runner gives the same verdict, and an event that already happened somewhere is never "future"."""
    return dates.today()


def _at(origin: Origin, code: str, message: str, *field: Any) -> Diagnostic:
    line, col = origin.locate(*field)
    return Diagnostic(origin.path, line, col, code, message)


# Nested facts whose ID is derived when omitted: the derivation (as in derive.py) and the ID field to set.
_DERIVED_IDS = {
    "ranks": (lambda r: f"{r.person_id}-{slug_part(r.rank)}-{slug_part(r.date)}", "rank_id",
              lambda r: f"two rank facts of {r.person_id} give {r.rank} on {r.date}"),
    "positions": (lambda r: f"{r.person_id}-{slug_part(r.role)}-{r.org_id}-{slug_part(r.date)}", "position_id",
                  lambda r: f"two post facts of {r.person_id} give {r.role} of {r.org_id} on {r.date}"),
    "project_updates": (lambda r: f"{r.project_id}-{slug_part(r.date)}-{slug_part(r.status)}", "update_id",
                        lambda r: f"two updates of {r.project_id} give {r.status} on {r.date}"),
}


def _duplicate_advice(name: str, row: Any, key: str) -> str:
    if name in _DERIVED_IDS:
        derive, id_field, what = _DERIVED_IDS[name]
        if derive(row) == key:
            return (f"{what(row)}, so both get the ID {key!r}: if they are one fact, merge them into one entry "
                    f"with both citations; if they are different facts, give one of them an explicit {id_field}")
    return "choose another ID"


def unique_ids(ds: Dataset) -> Iterator[Diagnostic]:
    for name, table in TABLES.items():
        if name == "citations":
            continue
        first: dict[str, Origin] = {}
        for row, origin in zip(ds.rows[name], ds.origins[name]):
            key = record_key(name, row)
            if key in first:
                other = first[key]
                what = "+".join(table.primary_key)
                advice = "remove the duplicate entry" if len(table.primary_key) > 1 else \
                    _duplicate_advice(name, row, key)
                yield _at(origin, "E204" if len(table.primary_key) > 1 else "E200",
                          f"{what} {key!r} is already used in {other.path}:{other.locate()[0]}: {advice}",
                          *([] if origin.yaml_path else [table.primary_key[-1]]))
            else:
                first[key] = origin


def _tombstones(root: Path | None) -> dict[tuple[str, str], str | None]:
    """(table, removed ID) → its replacement (or None), from data/tombstones.yaml (its problems are reported
    by ``lifecycle.check``)."""
    if root is None:
        return {}
    return {(s.table, s.id): s.replaced_by for s, _ in lifecycle.in_tree(root).stones}


class _Suggester:
    """"Did you mean" for unknown IDs: the closest existing IDs (difflib), for the first ``SUGGESTED`` unknown
    values of a run (each one compares with every ID of its table)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, value: str, target: str, keys: set[str]) -> str:
        found = self.cache.get((target, value))
        if found is None and len(self.cache) < SUGGESTED:
            close = difflib.get_close_matches(value, keys, n=3, cutoff=0.6)
            found = self.cache[(target, value)] = f" (did you mean {', '.join(close)}?)" if close else ""
        return found or ""


def references(ds: Dataset, root: Path | None = None) -> Iterator[Diagnostic]:
    keys = {name: {record_key(name, r) for r in ds.rows[name]} for name in RECORD_KINDS}   # record tables
    folder = {name: "data/meetings/<year>/" if name == "meetings" else f"data/{name}/" for name in RECORD_KINDS}
    yaml_field = {("meetings", "meeting_id"): "meeting_id"}
    buried = _tombstones(root)
    suggest = _Suggester()
    for name, table in TABLES.items():
        for column, target, _ in table.foreign_keys:
            if target not in keys:
                continue
            rows, known = ds.rows[name], keys[target]
            for i, value in enumerate(map(operator.attrgetter(column), rows)):
                if value is None or value in known:
                    continue
                row, origin = rows[i], ds.origins[name][i]
                if name in ("ranks", "positions") and row.meeting_id and column in ("person_id", "meeting_id"):
                    continue  # derived from a participant, whose own row reports it
                # derived rank/position rows point back at their meeting: never dangling
                field_name = yaml_field.get((target, column), column)
                field_name = "source" if name == "citations" else field_name
                if (target, value) in buried:
                    new = buried[(target, value)]
                    advice = f"{value} was replaced by {new}: use {new}" if new else \
                        f"{value} was removed (data/tombstones.yaml): remove the reference or cite another record"
                    yield _at(origin, "E201", f"{field_name}: {value!r} no longer exists: {advice}", field_name)
                    continue
                hint = suggest(value, target, keys[target])
                yield _at(origin, "E201", f"{field_name}: {value!r} does not exist{hint}: "
                                          f"add {folder[target]}{value}.yaml or correct the ID", field_name)


def date_bounds(ds: Dataset, today: dt.date) -> Iterator[Diagnostic]:
    for name, rows in ds.rows.items():
        columns = TABLES[name].row.model_fields
        prefixes = [p for p in ("date", "signed", "published") if f"{p}_start" in columns]
        if not prefixes and name != "agreements":
            continue
        for row, origin in zip(rows, ds.origins[name]):
            for prefix in prefixes:
                start, end = getattr(row, f"{prefix}_start"), getattr(row, f"{prefix}_end")
                if start is None:
                    continue
                if start > today:
                    yield _at(origin, "E202", f"{prefix} {getattr(row, prefix)!r} is in the future (today is {today}): "
                                              "record events only after they happen", prefix)
                elif "/" in getattr(row, prefix) and end > today:   # an interval states its last day
                    yield _at(origin, "E202", f"{prefix} {getattr(row, prefix)!r} ends in the future (today is "
                                              f"{today}): record the event once it has ended", prefix)
                elif start < EARLIEST:
                    yield _at(origin, "E202", f"{prefix} {getattr(row, prefix)!r} is before 1900: check the year",
                              prefix)
            if name == "agreements" and row.period_start and row.period_end \
                    and row.period_end < row.period_start:
                yield _at(origin, "E203", f"period_end {row.period_end} is before period_start "
                                          f"{row.period_start}: swap or correct them", "period_end")


def _cited_sources(ds: Dataset, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], frozenset[str]]:
    """The sources citing each wanted (table, record key): one pass over the citations, memory for those only."""
    out: dict[tuple[str, str], set[str]] = {key: set() for key in wanted}
    if out:
        for c in ds.rows["citations"]:
            found = out.get((c.record_table, c.record_id))
            if found is not None:
                found.add(c.source_id)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class Conflict:
    """Two dated facts that cannot both be true, as recorded from their sources."""

    kind: str            # rank_mismatch | rank_decrease | seat_clash | role_mismatch
    table: str
    record_id: str
    other_record_id: str
    person_id: str
    date: str
    detail: str
    disputed: bool       # acknowledged in the records (disputed: true or different sources)


def _day(row: Any) -> dt.date | None:
    return row.date_start if row.date_precision == "day" and row.date_start == row.date_end else None


def find_conflicts(ds: Dataset) -> Iterator[tuple[Conflict, Origin]]:
    """Rank mismatches and decreases, single-seat clashes, minister/deputy clashes, and every other fact
    the records mark ``disputed: true`` (e.g. an appointment dated differently by two sources)."""
    seen: set[str] = set()
    for conflict, origin in _clashes(ds):
        seen.update((conflict.record_id, conflict.other_record_id))
        yield conflict, origin
    for table, key in (("ranks", "rank_id"), ("positions", "position_id")):
        for row, origin in zip(ds.rows[table], ds.origins[table]):
            if row.disputed and getattr(row, key) not in seen:
                what = row.rank if table == "ranks" else f"{row.role} of {row.org_id}"
                yield Conflict("disputed", table, getattr(row, key), "", row.person_id, row.date,
                               f"{what} ({row.basis} {row.date}): {row.note or 'marked disputed'}",
                               True), origin


def _clashes(ds: Dataset) -> Iterator[tuple[Conflict, Origin]]:
    """Conflicts in order; a mismatch not marked disputed is acknowledged when its two facts are cited by
    different sources (decided after the pass, for the few records involved)."""
    found: list[tuple[Conflict, Origin, tuple | None]] = []   # conflict, origin, the two keys whose sources decide
    for conflict, origin, keys in _clash_candidates(ds):
        found.append((conflict, origin, keys if keys and not conflict.disputed else None))
    sources = _cited_sources(ds, {k for _, _, keys in found if keys for k in keys})
    for conflict, origin, keys in found:
        if keys and sources[keys[0]] != sources[keys[1]]:
            conflict = dataclasses.replace(conflict, disputed=True)
        yield conflict, origin


def _clash_candidates(ds: Dataset) -> Iterator[tuple[Conflict, Origin, tuple | None]]:
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(ds.rows["ranks"]):
        if row.basis != "ended":
            by_person[row.person_id].append(i)
    for person, idxs in by_person.items():
        rows = ds.rows["ranks"]
        idxs.sort(key=lambda i: (rows[i].date_start, rows[i].date_end, RANK_ORDER[rows[i].rank]))
        same_day: dict[dt.date, int] = {}
        best: int | None = None  # highest rank seen so far
        for i in idxs:
            row = rows[i]
            day = _day(row)
            if day is not None:
                j = same_day.setdefault(day, i)
                if j != i and rows[j].rank != row.rank:
                    yield (Conflict("rank_mismatch", "ranks", row.rank_id, rows[j].rank_id, person, str(day),
                                    f"{row.rank} vs {rows[j].rank}", row.disputed or rows[j].disputed),
                           ds.origins["ranks"][i], (("ranks", rows[j].rank_id), ("ranks", row.rank_id)))
            if best is not None:
                top = rows[best]
                if RANK_ORDER[row.rank] > RANK_ORDER[top.rank] and row.date_start > top.date_end \
                        and not row.demotion:
                    yield (Conflict("rank_decrease", "ranks", row.rank_id, top.rank_id, person, row.date,
                                    f"{row.rank} on {row.date} after {top.rank} on {top.date}",
                                    row.disputed or top.disputed), ds.origins["ranks"][i], None)
            if best is None or RANK_ORDER[row.rank] < RANK_ORDER[rows[best].rank] or row.demotion:
                best = i
    seats: dict[tuple[str, str, dt.date], int] = {}
    ministerial: dict[tuple[str, str, dt.date], int] = {}
    prows = ds.rows["positions"]
    for i, row in enumerate(prows):
        day = _day(row)
        if day is None or row.basis == "ended":
            continue
        if row.role in SINGLE_SEAT_ROLES and row.basis == "attested":
            j = seats.setdefault((row.org_id, row.role, day), i)
            if prows[j].person_id != row.person_id:
                yield (Conflict("seat_clash", "positions", row.position_id, prows[j].position_id,
                                row.person_id, str(day),
                                f"{row.role} of {row.org_id} also held by {prows[j].person_id}",
                                row.disputed or prows[j].disputed), ds.origins["positions"][i], None)
        if row.role in _MINISTERIAL:
            j = ministerial.setdefault((row.person_id, row.org_id, day), i)
            if prows[j].role != row.role:
                yield (Conflict("role_mismatch", "positions", row.position_id, prows[j].position_id,
                                row.person_id, str(day), f"{row.role} vs {prows[j].role} of {row.org_id}",
                                row.disputed or prows[j].disputed), ds.origins["positions"][i],
                       (("positions", prows[j].position_id), ("positions", row.position_id)))


_CODES = {"disputed": ("W220", "W220"), "rank_mismatch": ("E210", "W210"), "rank_decrease": ("E211", "W211"),
          "seat_clash": ("E212", "W212"), "role_mismatch": ("E213", "W213")}
_ADVICE = {
    "rank_mismatch": "if the sources really disagree, keep both and mark them disputed: true",
    "rank_decrease": "if a source states a demotion set demotion: true; if sources disagree mark disputed: true",
    "seat_clash": "check the dates and posts; if sources disagree mark the positions disputed: true",
    "role_mismatch": "check the title as written; if sources disagree mark the positions disputed: true",
}


def conflicts(ds: Dataset) -> Iterator[Diagnostic]:
    for c, origin in find_conflicts(ds):
        error, warning = _CODES[c.kind]
        if c.disputed:
            other = f" ({c.other_record_id})" if c.other_record_id else ""
            yield _at(origin, warning, f"{c.person_id} on {c.date}: {c.detail}{other}")
        else:
            yield _at(origin, error, f"{c.person_id} on {c.date}: {c.detail} "
                                     f"(see {c.other_record_id}): {_ADVICE[c.kind]}")


def _first_by_key(ds: Dataset, table: str) -> dict[str, tuple[Any, Origin]]:
    out: dict[str, tuple[Any, Origin]] = {}
    for row, origin in zip(ds.rows[table], ds.origins[table]):
        out.setdefault(record_key(table, row), (row, origin))
    return out


def reported_before_held(ds: Dataset) -> Iterator[Diagnostic]:
    """E705: a meeting dated after the publication of every source cited for it (a text printed before an
    event can only announce it; often the date is wrong by a year). An undated source stops the rule."""
    published = {r.source_id: (r.published_end or dt.date.max, r) for r in ds.rows["sources"]}
    latest: dict[str, tuple[dt.date, Any]] = {}   # meeting → latest publication among its sources
    for c in ds.rows["citations"]:
        if c.record_table == "meetings" and c.source_id in published and (
                c.record_id not in latest or latest[c.record_id][0] < published[c.source_id][0]):
            latest[c.record_id] = published[c.source_id]
    for row, origin in zip(ds.rows["meetings"], ds.origins["meetings"]):
        end, last = latest.get(row.meeting_id, (dt.date.max, None))
        if end < row.date_start:
            yield _at(origin, "E705", f"date {row.date!r} is after the publication of every source cited for this "
                                      f"meeting (the latest, {last.source_id}, was published {last.published}): a text "
                                      "printed before an event cannot report it; correct the date, or cite a report "
                                      "published on or after the meeting", "date")


def signed_at_meeting(ds: Dataset) -> Iterator[Diagnostic]:
    """E706: an agreement signed at a meeting (meeting_id) on a date the meeting's date cannot mean."""
    meetings = _first_by_key(ds, "meetings")
    for row, origin in zip(ds.rows["agreements"], ds.origins["agreements"]):
        meeting = meetings.get(row.meeting_id, (None,))[0]
        if meeting is None or row.signed_start is None:
            continue
        if row.signed_end < meeting.date_start or meeting.date_end < row.signed_start:
            yield _at(origin, "E706", f"signed {row.signed!r} but meeting_id {row.meeting_id!r} is dated "
                                      f"{meeting.date!r}: an agreement signed at a meeting is signed on its date; "
                                      "correct signed or the meeting's date, or remove meeting_id if it was signed "
                                      "elsewhere", "signed")


def _fact_what(table: str, row: Any) -> str:
    return row.rank if table == "ranks" else f"{row.role} of {row.org_id}"


def ends_before_starts(ds: Dataset) -> Iterator[Diagnostic]:
    """E707: a rank or post of a person that ends (basis: ended) before every recorded start of it, with no
    fact showing it held before the end. Facts marked disputed are left to W220."""
    for table, key, id_field in (("ranks", lambda r: (r.person_id, r.rank), "rank_id"),
                                 ("positions", lambda r: (r.person_id, r.org_id, r.role), "position_id")):
        facts: dict[tuple, list[int]] = defaultdict(list)
        rows = ds.rows[table]
        for i, row in enumerate(rows):
            facts[key(row)].append(i)
        for idxs in facts.values():
            held = [rows[i] for i in idxs if rows[i].basis != "ended"]
            starts = [r for r in held if r.basis == "started"]
            for i in idxs:
                end = rows[i]
                if end.basis != "ended" or end.disputed or not starts:
                    continue
                if any(r.date_start <= end.date_end for r in held) or any(r.disputed for r in starts):
                    continue
                first = min(starts, key=lambda r: r.date_start)
                yield _at(ds.origins[table][i], "E707",
                          f"{end.person_id}: {_fact_what(table, end)} ended {end.date} but started only later "
                          f"({first.date}, {getattr(first, id_field)}): correct the date; if the end closes an "
                          "earlier term, add that term's start or a fact attested before the end; if the sources "
                          "disagree, mark both facts disputed: true", "date")


_PARENTS = (("agreements", "parent_agreement_id", "agreement", "its own parent"),
            ("organizations", "parent_org_id", "organisation", "its own parent"),
            ("organizations", "predecessor_org_id", "organisation", "its own predecessor"))


def cycles(ds: Dataset) -> Iterator[Diagnostic]:
    """E708: an agreement or organisation that is, through its parents or predecessors, its own parent or
    predecessor (each row has at most one: a walk from every row, each row visited once)."""
    for table, column, noun, what in _PARENTS:
        rows = _first_by_key(ds, table)
        parent = {k: getattr(r, column) for k, (r, _) in rows.items() if getattr(r, column) in rows}
        done: set[str] = set()
        for start in rows:
            path: list[str] = []
            node: str | None = start
            while node is not None and node not in done and node not in path:
                path.append(node)
                node = parent.get(node)
            if node is not None and node in path:
                loop = path[path.index(node):]
                shown = " → ".join([*loop, node])
                for member in loop:
                    yield _at(rows[member][1], "E708", f"{column} makes a cycle ({shown}): an {noun} cannot be "
                                                       f"{what}; correct {column} (null if there is none)", column)
            done.update(path)


def series_sessions(ds: Dataset) -> Iterator[Diagnostic]:
    """E709 at every meeting sharing its series and session with another; E710: a session without a series."""
    numbered: dict[tuple[str, int], list[tuple[str, Origin]]] = defaultdict(list)
    for row, origin in zip(ds.rows["meetings"], ds.origins["meetings"]):
        if row.session is None:
            continue
        if row.series is None:
            yield _at(origin, "E710", f"session {row.session} without a series: add series: <series-slug> or "
                                      "remove session", "session")
        else:
            numbered[(row.series, row.session)].append((row.meeting_id, origin))
    for (series, session), meetings in numbered.items():
        for meeting_id, origin in meetings if len(meetings) > 1 else ():
            others = ", ".join(repr(m) for m, _ in meetings if m != meeting_id)
            yield _at(origin, "E709", f"session {session} of series {series!r} is also meeting {others}: correct the "
                                      "session number, or merge the records if they are one meeting (a multi-day "
                                      "meeting takes an interval date)", "session")


_ID_DAY = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(?:-|$)")
_ID_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])(?:-|$)")
_PRECISION = {"year": 0, "month": 1, "day": 2}


def meeting_id_precision(ds: Dataset) -> Iterator[Diagnostic]:
    """E711: a meeting ID that starts with a more precise date than the meeting's date (2024-08-27-… for
    date 2024-08): the ID would claim a day no source gives."""
    for row, origin in zip(ds.rows["meetings"], ds.origins["meetings"]):
        shown = "day" if _ID_DAY.match(row.meeting_id) else "month" if _ID_MONTH.match(row.meeting_id) else "year"
        if _PRECISION[shown] > _PRECISION[row.date_precision]:
            yield _at(origin, "E711", f"meeting_id {row.meeting_id!r} starts with a {shown} but date {row.date!r} "
                                      f"is a {row.date_precision}: start the ID with the date as written "
                                      f"({row.date}-…), or give the full date if a source states it", "meeting_id")


def cite_fields(ds: Dataset) -> Iterator[Diagnostic]:
    """E712: ``cite.field`` that names no column of the cited row's table (one cite item can cite several
    derived rows, e.g. a participant's rank and post: any of their tables will do)."""
    tables: dict[tuple[str, tuple], set[str]] = defaultdict(set)
    for row, origin in zip(ds.rows["citations"], ds.origins["citations"]):
        if row.field is not None:
            tables[(origin.path, origin.yaml_path)].add(row.record_table)
    for row, origin in zip(ds.rows["citations"], ds.origins["citations"]):
        if row.field is None:
            continue
        names = tables[(origin.path, origin.yaml_path)]
        columns = {c for t in names for c in TABLES[t].row.model_fields}
        if row.field not in columns:
            yield _at(origin, "E712", f"field: {row.field!r} is not a column of {' or '.join(sorted(names))}: use "
                                      f"one of {', '.join(sorted(columns))}, or remove field to cite the whole row",
                      "field")


def _names(table: str, row: Any) -> Iterable[tuple[str, tuple, str]]:
    """(spelling, YAML path, kind) of every name a lookup finds a person or an organisation by."""
    if table == "people":
        yield row.person_id, ("person_id",), "ID"
        yield row.name, ("name",), "name"
        if row.name_lo:
            yield row.name_lo, ("name_lo",), "Lao name"
    else:
        yield row.org_id, ("org_id",), "ID"
        for column in ("name_vi", "name_en", "name_lo"):
            if getattr(row, column):
                yield getattr(row, column), (column,), column
    for i, alias in enumerate(row.aliases):
        yield alias, ("aliases", i), "alias"


def name_collisions(ds: Dataset) -> Iterator[Diagnostic]:
    """E714 (people) / E715 (organisations): an alias that folds (``names.fold``) to a name, alias or ID of
    another record, reported at both ends; W716: two people whose names or IDs fold alike (namesakes exist)."""
    for table, key, error, noun in (("people", "person_id", "E714", "person"),
                                    ("organizations", "org_id", "E715", "organisation")):
        spellings: dict[str, list[tuple[str, str, tuple, str, Origin]]] = defaultdict(list)
        for row, origin in zip(ds.rows[table], ds.origins[table]):
            for text, at, kind in _names(table, row):
                spellings[fold(text)].append((getattr(row, key), text, at, kind, origin))
        for entries in spellings.values():
            if len({e[0] for e in entries}) < 2:
                continue
            holders: dict[str, tuple[list[str], str]] = {}   # record → (kinds of its spellings here, file)
            for rid, _, _, kind, origin in entries:
                holders.setdefault(rid, ([], origin.path))[0].append(kind)
            for rid, text, at, kind, origin in entries:
                others = [(o, kinds, path) for o, (kinds, path) in holders.items() if o != rid]
                shown = "; ".join(f"the {' and '.join(dict.fromkeys(k))} of {o} ({path})" for o, k, path in others[:3])
                shown += f" and {len(others) - 3} more" if len(others) > 3 else ""
                if kind == "alias" or any("alias" in k for _, k, _ in others):
                    yield _at(origin, error, f"{kind} {text!r} is also {shown}: a lookup by this spelling could "
                                             f"find the wrong {noun}; remove the alias that is not theirs, or merge "
                                             "the two records if they are one", *at)
                elif table == "people" and kind != "ID":
                    yield _at(origin, "W716", f"{kind} {text!r} is also {shown}: if they are one person merge the "
                                              "records; if namesakes, lookups by this name are ambiguous", *at)


def same_day_two_countries(ds: Dataset) -> Iterator[Diagnostic]:
    """W720: one person at meetings in two countries on the same day (possible across a border, so a warning)."""
    meetings = _first_by_key(ds, "meetings")
    seen: dict[tuple[str, dt.date], tuple[str, str]] = {}
    for row, origin in zip(ds.rows["participants"], ds.origins["participants"]):
        meeting = meetings.get(row.meeting_id, (None,))[0]
        if meeting is None or (day := _day(meeting)) is None:
            continue
        country, other = seen.setdefault((row.person_id, day), (meeting.country, meeting.meeting_id))
        if country != meeting.country:
            yield _at(origin, "W720", f"{row.person_id} is also at {other} in {country} on {day}, but this meeting is "
                                      f"in {meeting.country}: check both dates and places (a same-day trip is "
                                      "possible)", "person_id")


def rank_leaps(ds: Dataset) -> Iterator[Diagnostic]:
    """W721: a rank two or more ladder steps above the person's rank on the day before (promotions come one
    step at a time; one of the two facts is probably misread). Same-day differences are E210/W210."""
    by_day: dict[tuple[str, dt.date], dict[str, Any]] = defaultdict(dict)
    for row in ds.rows["ranks"]:
        day = _day(row)
        if day is not None and row.basis != "ended":
            by_day[(row.person_id, day)].setdefault(row.rank, row)
    for row, origin in zip(ds.rows["ranks"], ds.origins["ranks"]):
        day = _day(row)
        if day is None or row.basis == "ended":
            continue
        for before in by_day.get((row.person_id, day - dt.timedelta(days=1)), {}).values():
            if RANK_ORDER[before.rank] - RANK_ORDER[row.rank] >= 2:
                yield _at(origin, "W721", f"{row.person_id}: {row.rank} on {row.date}, two or more steps above "
                                          f"{before.rank} the day before ({before.rank_id}): check both ranks as "
                                          "written", *([] if row.meeting_id else ["rank"]))
                break


def every_row_cited(ds: Dataset) -> Iterator[Diagnostic]:
    cited = {(c.record_table, c.record_id) for c in ds.rows["citations"]}
    for name, table in TABLES.items():
        if not table.cited:
            continue
        for row, origin in zip(ds.rows[name], ds.origins[name]):
            if (name, record_key(name, row)) not in cited:
                yield _at(origin, "E303", f"{name} row {record_key(name, row)!r} has no citation: add cite:")


def check_all(ds: Dataset, today: dt.date | None = None, root: Path | None = None) -> list[Diagnostic]:
    """Every cross-record rule; ``today`` defaults to ``default_today()``; ``root`` (the project folder) lets
    references to removed IDs name their replacement from data/tombstones.yaml."""
    out: list[Diagnostic] = list(references(ds, root))
    for rule in (unique_ids, every_row_cited, conflicts, reported_before_held, signed_at_meeting, ends_before_starts,
                 cycles, series_sessions, meeting_id_precision, cite_fields, name_collisions, same_day_two_countries,
                 rank_leaps, provenance.quote_lengths, provenance.english_renderings,
                 provenance.unique_text_hashes):
        out.extend(rule(ds))
    out.extend(date_bounds(ds, today or default_today()))
    return out
