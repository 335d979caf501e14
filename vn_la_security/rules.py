"""Cross-record rules over the derived tables. Each rule yields located diagnostics.

All rules are linear or n·log n in the number of rows: grouping by key, never all-pairs.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic
from .models import TABLES
from .derive import Dataset, Origin, record_key
from .vocab import RANK_ORDER, SINGLE_SEAT_ROLES

EARLIEST = dt.date(1900, 1, 1)
_MINISTERIAL = {"minister", "acting_minister", "deputy_minister"}


def _at(origin: Origin, code: str, message: str, *field: Any) -> Diagnostic:
    line, col = origin.locate(*field)
    return Diagnostic(origin.path, line, col, code, message)


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
                yield _at(origin, "E204" if len(table.primary_key) > 1 else "E200",
                          f"{what} {key!r} is already used in {other.path}:{other.locate()[0]}: "
                          f"{'remove the duplicate entry' if len(table.primary_key) > 1 else 'choose another ID'}",
                          *([] if origin.yaml_path else [table.primary_key[-1]]))
            else:
                first[key] = origin


def references(ds: Dataset) -> Iterator[Diagnostic]:
    keys = {name: {record_key(name, r) for r in ds.rows[name]} for name in ("outlets", "sources", "organizations",
                                                                               "people", "meetings", "agreements", "projects")}
    folder = {"organizations": "data/organizations/", "people": "data/people/", "meetings": "data/meetings/<year>/",
              "agreements": "data/agreements/", "projects": "data/projects/", "sources": "data/sources/",
              "outlets": "data/outlets/"}
    yaml_field = {("meetings", "meeting_id"): "meeting_id"}
    for name, table in TABLES.items():
        for column, target, _ in table.foreign_keys:
            if target not in keys:
                continue
            for row, origin in zip(ds.rows[name], ds.origins[name]):
                value = getattr(row, column)
                if value is None or value in keys[target]:
                    continue
                if name in ("ranks", "positions") and row.meeting_id and column in ("person_id", "meeting_id"):
                    continue  # derived from a participant, whose own row reports it
                # derived rank/position rows point back at their meeting: never dangling
                field_name = yaml_field.get((target, column), column)
                field_name = "source" if name == "citations" else field_name
                yield _at(origin, "E201", f"{field_name}: {value!r} does not exist: add {folder[target]}{value}.yaml "
                                          f"or correct the ID", field_name)


def date_bounds(ds: Dataset, today: dt.date) -> Iterator[Diagnostic]:
    for name, rows in ds.rows.items():
        columns = TABLES[name].row.model_fields
        prefixes = [p for p in ("date", "signed", "published") if f"{p}_start" in columns]
        if not prefixes and name != "agreements":
            continue
        for row, origin in zip(rows, ds.origins[name]):
            for prefix in prefixes:
                start = getattr(row, f"{prefix}_start")
                if start is None:
                    continue
                if start > today:
                    yield _at(origin, "E202", f"{prefix} {getattr(row, prefix)!r} is in the future (today is {today}): "
                                              "record events only after they happen", prefix)
                elif start < EARLIEST:
                    yield _at(origin, "E202", f"{prefix} {getattr(row, prefix)!r} is before 1900: check the year", prefix)
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


def _day(row: dict[str, Any]) -> dt.date | None:
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


def every_row_cited(ds: Dataset) -> Iterator[Diagnostic]:
    cited = {(c.record_table, c.record_id) for c in ds.rows["citations"]}
    for name, table in TABLES.items():
        if not table.cited:
            continue
        for row, origin in zip(ds.rows[name], ds.origins[name]):
            if (name, record_key(name, row)) not in cited:
                yield _at(origin, "E303", f"{name} row {record_key(name, row)!r} has no citation: add cite:")


def check_all(ds: Dataset, today: dt.date | None = None) -> list[Diagnostic]:
    today = today or dt.date.today()
    out: list[Diagnostic] = []
    for rule in (unique_ids, references, every_row_cited, conflicts):
        out.extend(rule(ds))
    out.extend(date_bounds(ds, today))
    return out
