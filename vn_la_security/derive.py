"""Derive the published tables from the validated records ("one fact, one place").

A row's columns come from the record field of the same name (``row_values``); only IDs, keys of the
enclosing record, ``name_ascii`` and date groups are computed here. A participant's stated rank or post
becomes a ``ranks``/``positions`` row attested on the meeting date; every row gets its citations;
composite keys are cited as ``meeting_id/person_id``.
"""
from __future__ import annotations

import collections
import hashlib
import operator
from dataclasses import dataclass, field
from typing import Any

from .dates import DateGroup, parse_edtf
from .loading import LoadedRecord, RecordFile
from .models import TABLES
from .names import ascii_name, fold  # noqa: F401 - re-exported


def slug_part(text: str) -> str:
    return text.replace("_", "-").replace("/", "-")


def date_columns(prefix: str, value: str | None, basis: str | None = "printed") -> dict[str, Any]:
    """The date group of ``value``: the EDTF text, first and last day, precision, and basis."""
    if value is None:
        return {prefix: None, f"{prefix}_start": None, f"{prefix}_end": None, f"{prefix}_precision": None,
                f"{prefix}_basis": None}
    g: DateGroup = parse_edtf(value)
    return {prefix: g.value, f"{prefix}_start": g.start, f"{prefix}_end": g.end, f"{prefix}_precision": g.precision,
            f"{prefix}_basis": basis}


def _yaml_path(*steps: Any) -> tuple:
    return steps


@dataclass(slots=True)
class Origin:
    """Where a published row comes from: a record file and the YAML path inside it."""

    file: RecordFile
    yaml_path: tuple

    @property
    def path(self) -> str:
        return self.file.path

    def locate(self, *more: Any) -> tuple[int, int]:
        return self.file.locate(*self.yaml_path, *more)


def _row_type(table: str):
    fields = list(TABLES[table].row.model_fields)
    name = "".join(w.title() for w in table.split("_")) + "Row"
    cls = collections.namedtuple(name, fields, module=__name__)  # type: ignore[misc]  # one type per table, made at import
    cls.__doc__ = f"A row of table {table} (a tuple: a third of a dict's memory, fields by attribute)."
    return cls


ROW_TYPES = {name: _row_type(name) for name in TABLES}   # table → named tuple type of its rows


@dataclass(slots=True)
class FileRows:
    """What one record file publishes: ``(table, row, YAML path)`` triples, in derivation order."""

    rows: list[tuple[str, Any, tuple]] = field(default_factory=list)
    archive_name: str | None = None   # a source's archive file name, for provenance
    fingerprint: tuple[str | None, str | None] = (None, None)   # a source's (fingerprint_sha256, checked_text)

    def add(self, table: str, values: dict[str, Any], yaml_path: tuple) -> Any:
        """Add a row given as column → value (every column of the table, no other); returns the row."""
        cls = ROW_TYPES[table]
        if len(values) != len(cls._fields):
            raise TypeError(f"{table}: columns {sorted(set(values) ^ set(cls._fields))} missing or unknown")
        row = cls._make(map(values.__getitem__, cls._fields))   # a KeyError names a missing column
        self.rows.append((table, row, yaml_path))
        return row


@dataclass
class Dataset:
    rows: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in TABLES})
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {name: [] for name in TABLES})
    archive_names: dict[str, str] = field(default_factory=dict)  # source_id → archive_name, for provenance
    #: source_id → (fingerprint_sha256, checked_text) as the source record states them, for fingerprint checks
    fingerprints: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def add_file(self, file: RecordFile, derived: FileRows) -> None:
        """Append the rows derived from one record file."""
        for table, row, yaml_path in derived.rows:
            self.rows[table].append(row)
            self.origins[table].append(Origin(file, yaml_path))
        if derived.archive_name:
            self.archive_names[derived.rows[0][1].source_id] = derived.archive_name
        if derived.fingerprint != (None, None):
            self.fingerprints[derived.rows[0][1].source_id] = derived.fingerprint


_KEY_GETTERS = {name: (operator.attrgetter(*t.primary_key), len(t.primary_key)) for name, t in TABLES.items()}


def record_key(table: str, row: Any) -> str:
    """A row's primary key as text (``meeting_id/person_id`` for a composite key)."""
    get, width = _KEY_GETTERS[table]
    return str(get(row)) if width == 1 else "/".join(map(str, get(row)))


_CitationRow = ROW_TYPES["citations"]
assert _CitationRow._fields == ("citation_id", "record_table", "record_id", "field", "source_id", "quote",
                                "quote_en"), "_cite builds citation rows by position: update it with the row model"


def _cite(out: FileRows, table: str, row: Any, cites: list, at: tuple) -> None:
    """Citation rows for ``row``; ``at`` is the YAML path of the mapping holding the ``cite:`` list."""
    key = record_key(table, row)
    rows, sha256 = out.rows, hashlib.sha256
    for i, c in enumerate(cites):   # the most numerous rows (one per cite item and row it supports)
        digest = sha256("\x1f".join((table, key, c.field or "", c.source, c.quote)).encode()).hexdigest()
        rows.append(("citations", _CitationRow(f"c-{digest[:16]}", table, key, c.field, c.source, c.quote,
                                               c.quote_en), (*at, "cite", i)))


def _add_cited(out: FileRows, table: str, values: dict[str, Any], cites: list, at: tuple,
               cite_at: tuple | None = None) -> None:
    row = out.add(table, values, at)
    _cite(out, table, row, cites, at if cite_at is None else cite_at)


@dataclass(frozen=True)
class _Plan:
    """How a row of one table is made from one record type: computed once per pair (the models do not change)."""

    groups: tuple[str, ...]                  # date-group prefixes (``date`` → date, date_start, …)
    copied: tuple[str, ...]                  # columns copied from the record field of the same name
    defaults: tuple[tuple[str, Any], ...]    # (column, row model default) where the record has no such field
    required: tuple[str, ...]                # required columns the record lacks: must be derived
    getter: Any = None                       # operator.attrgetter of the copied fields (two or more)

    def copy(self, record: Any) -> dict[str, Any]:
        """The copied columns of a row, read from ``record`` (one C-level attribute getter per plan)."""
        if self.getter is not None:
            return dict(zip(self.copied, self.getter(record)))
        return {c: getattr(record, c) for c in self.copied}


_PLANS: dict[tuple[str, type], _Plan] = {}


def _plan(table: str, kind: type) -> _Plan:
    plan = _PLANS.get((table, kind))
    if plan is None:
        columns = TABLES[table].row.model_fields
        fields = getattr(kind, "model_fields", {})
        groups = tuple(c for c in columns if f"{c}_precision" in columns)
        grouped = {f"{g}{suffix}" for g in groups for suffix in ("", "_start", "_end", "_precision", "_basis")}
        rest = [c for c in columns if c not in grouped]
        copied = tuple(c for c in rest if c in fields)
        plan = _PLANS[(table, kind)] = _Plan(
            groups, copied,
            tuple((c, columns[c].get_default(call_default_factory=True)) for c in rest
                  if c not in fields and not columns[c].is_required()),
            tuple(c for c in rest if c not in fields and columns[c].is_required()),
            operator.attrgetter(*copied) if len(copied) > 1 else None)
    return plan


def row_values(table: str, record: Any, **derived: Any) -> dict[str, Any]:
    """Every column of a ``table`` row: the ``derived`` values (IDs, keys of the enclosing record …), else
    the date group of a ``<p>``/``<p>_start``/``<p>_end``/``<p>_precision`` column family (from the record's
    ``<p>`` and ``<p>_basis``), else the record's field of the same name, else the row model's default.

    So a field added to a record model and to its row model (same name) is published with no edit here.
    """
    plan = _plan(table, type(record))
    values = plan.copy(record)
    for prefix in plan.groups:
        if prefix not in derived:
            values.update(date_columns(prefix, getattr(record, prefix), getattr(record, f"{prefix}_basis", "printed")))
    if plan.defaults:
        values.update(plan.defaults)
    if derived:
        values.update(derived)
    for column in plan.required:
        if column not in values:
            raise KeyError(f"{table}.{column}: neither derived nor a field of {type(record).__name__}")
    return values


def _source(out: FileRows, r: Any) -> None:
    out.add("sources", row_values("sources", r), ())
    out.archive_name = r.archive_name
    out.fingerprint = (r.fingerprint_sha256, r.checked_text)


def _organization(out: FileRows, r: Any) -> None:
    _add_cited(out, "organizations", row_values("organizations", r), r.cite, ())
    for i, n in enumerate(r.names):
        # an omitted period is filled in after loading, from the citing sources (temporal.fill_name_periods)
        basis = "printed" if n.date is not None else None
        _add_cited(out, "organization_names", {"org_id": r.org_id, "name": n.name, "language": n.language,
                                               **date_columns("date", n.date, basis)}, n.cite, _yaml_path("names", i))


def _person(out: FileRows, r: Any) -> None:
    _add_cited(out, "people", row_values("people", r, name_ascii=ascii_name(r.name)), r.cite, ())
    for i, f in enumerate(r.ranks):
        rid = f.rank_id or f"{r.person_id}-{slug_part(f.rank)}-{slug_part(f.date)}"
        _add_cited(out, "ranks", row_values("ranks", f, rank_id=rid, person_id=r.person_id), f.cite,
                   _yaml_path("ranks", i))
    for i, f in enumerate(r.positions):
        pid = f.position_id or f"{r.person_id}-{slug_part(f.role)}-{f.org_id}-{slug_part(f.date)}"
        _add_cited(out, "positions", row_values("positions", f, position_id=pid, person_id=r.person_id), f.cite,
                   _yaml_path("positions", i))


def _meeting(out: FileRows, r: Any) -> None:
    _add_cited(out, "meetings", row_values("meetings", r), r.cite, ())
    # A participant's stated rank and posts are facts attested on the meeting date.
    attested = {"meeting_id": r.meeting_id, "basis": "attested", **date_columns("date", r.date, r.date_basis)}
    for i, p in enumerate(r.participants):
        at = _yaml_path("participants", i)
        _add_cited(out, "participants", row_values("participants", p, meeting_id=r.meeting_id), p.cite, at)
        if p.rank is not None:
            _add_cited(out, "ranks", row_values("ranks", p, rank_id=f"{p.person_id}-at-{r.meeting_id}",
                                                rank_label=p.rank_label or p.rank, **attested),
                       p.cite, _yaml_path("participants", i, "rank"), at)
        for j, pos in enumerate(p.positions):
            pid = f"{p.person_id}-{slug_part(pos.role)}-{pos.org_id}-at-{r.meeting_id}"
            _add_cited(out, "positions", row_values("positions", pos, position_id=pid, person_id=p.person_id,
                                                    **attested),
                       p.cite, _yaml_path("participants", i, "positions", j), at)


def _agreement(out: FileRows, r: Any) -> None:
    _add_cited(out, "agreements", row_values("agreements", r), r.cite, ())
    for i, s in enumerate(r.signatories):
        _add_cited(out, "signatories", row_values("signatories", s, agreement_id=r.agreement_id), s.cite,
                   _yaml_path("signatories", i))
    for i, party in enumerate(r.parties):
        at = _yaml_path("parties", i)
        _add_cited(out, "agreement_parties", {"agreement_id": r.agreement_id, "org_id": party.org_id},
                   party.cite or r.cite, at, at if party.cite else ())


def _project(out: FileRows, r: Any) -> None:
    _add_cited(out, "projects", row_values("projects", r), r.cite, ())
    for i, u in enumerate(r.updates):
        uid = u.update_id or f"{r.project_id}-{slug_part(u.date)}-{slug_part(u.status)}"
        _add_cited(out, "project_updates", row_values("project_updates", u, update_id=uid, project_id=r.project_id),
                   u.cite, _yaml_path("updates", i))


# Record kinds with nested items or extras; any other kind publishes one cited row in the table of its folder.
_DERIVE = {"sources": _source, "organizations": _organization, "people": _person, "meetings": _meeting,
           "agreements": _agreement, "projects": _project}


def derive_rows(lr: LoadedRecord) -> FileRows:
    """The rows that one loaded record publishes (with their citations)."""
    out = FileRows()
    if lr.kind in _DERIVE:
        _DERIVE[lr.kind](out, lr.record)
    elif TABLES[lr.kind].cited:
        _add_cited(out, lr.kind, row_values(lr.kind, lr.record), lr.record.cite, ())
    else:   # reference rows (outlets): evidence is not asked of them
        out.add(lr.kind, row_values(lr.kind, lr.record), ())
    return out
