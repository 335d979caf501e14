"""Derive the published tables from the validated records ("one fact, one place").

A participant's stated rank or post becomes a ``ranks``/``positions`` row attested on the meeting date;
every row gets its citations; composite keys are cited as ``meeting_id/person_id``.
"""
from __future__ import annotations

import collections
import hashlib
from dataclasses import dataclass, field
from types import SimpleNamespace
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
    cls = collections.namedtuple("".join(w.title() for w in table.split("_")) + "Row", fields, module=__name__)
    cls.__doc__ = f"A row of table {table} (a tuple: a third of a dict's memory, fields by attribute)."
    return cls


ROW_TYPES = {name: _row_type(name) for name in TABLES}   # table → named tuple type of its rows


@dataclass(slots=True)
class FileRows:
    """What one record file publishes: ``(table, row, YAML path)`` triples, in derivation order."""

    rows: list[tuple[str, Any, tuple]] = field(default_factory=list)
    archive_name: str | None = None   # a source's archive file name, for provenance

    def add(self, table: str, values: dict[str, Any], yaml_path: tuple) -> Any:
        """Add a row given as column → value (every column of the table); returns the row."""
        row = ROW_TYPES[table](**values)
        self.rows.append((table, row, yaml_path))
        return row


@dataclass
class Dataset:
    rows: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in TABLES})
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {name: [] for name in TABLES})
    archive_names: dict[str, str] = field(default_factory=dict)  # source_id → archive_name, for provenance

    def add_file(self, file: RecordFile, derived: FileRows) -> None:
        """Append the rows derived from one record file."""
        for table, row, yaml_path in derived.rows:
            self.rows[table].append(row)
            self.origins[table].append(Origin(file, yaml_path))
        if derived.archive_name:
            self.archive_names[derived.rows[0][1].source_id] = derived.archive_name


def record_key(table: str, row: Any) -> str:
    pk = TABLES[table].primary_key
    return str(getattr(row, pk[0])) if len(pk) == 1 else "/".join(str(getattr(row, c)) for c in pk)


def _cite(out: FileRows, table: str, row: Any, cites: list, at: tuple) -> None:
    """Citation rows for ``row``; ``at`` is the YAML path of the mapping holding the ``cite:`` list."""
    key = record_key(table, row)
    for i, c in enumerate(cites):
        digest = hashlib.sha256("\x1f".join((table, key, c.field or "", c.source, c.quote)).encode()).hexdigest()
        out.add("citations", {
            "citation_id": f"c-{digest[:16]}", "record_table": table, "record_id": key, "field": c.field,
            "source_id": c.source, "quote": c.quote, "quote_en": c.quote_en,
        }, _yaml_path(*at, "cite", i))


def _add_cited(out: FileRows, table: str, values: dict[str, Any], cites: list, at: tuple,
               cite_at: tuple | None = None) -> None:
    row = out.add(table, values, at)
    _cite(out, table, row, cites, at if cite_at is None else cite_at)


def _source(out: FileRows, r: Any) -> None:
    row = {"source_id": r.source_id, "title": r.title, "publisher": r.publisher, "url": r.url,
           "url_status": r.url_status, **date_columns("published", r.published, r.published_basis), "language": r.language,
           "text_sha256": r.text_sha256, "note": r.note}
    out.add("sources", row, ())
    out.archive_name = r.archive_name


def _organization(out: FileRows, r: Any) -> None:
    row = {"org_id": r.org_id, "name_vi": r.name_vi, "name_en": r.name_en, "name_lo": r.name_lo,
           "country": r.country, "org_type": r.org_type, "parent_org_id": r.parent_org_id,
           "predecessor_org_id": r.predecessor_org_id, "aliases": list(r.aliases), "note": r.note}
    _add_cited(out, "organizations", row, r.cite, ())
    for i, n in enumerate(r.names):
        # an omitted period is filled in after loading, from the citing sources (temporal.fill_name_periods)
        basis = "printed" if n.date is not None else None
        _add_cited(out, "organization_names", {"org_id": r.org_id, "name": n.name, "language": n.language,
                                               **date_columns("date", n.date, basis)}, n.cite, _yaml_path("names", i))


def _rank_row(person_id: str, fact: Any, rank_id: str, meeting_id: str | None, date: str,
              basis: str) -> dict[str, Any]:
    return {"rank_id": rank_id, "person_id": person_id, "rank": fact.rank, "rank_label": fact.rank_label,
            **date_columns("date", date, basis), "basis": getattr(fact, "basis", "attested"), "meeting_id": meeting_id,
            "demotion": getattr(fact, "demotion", False), "disputed": getattr(fact, "disputed", False),
            "note": getattr(fact, "note", None)}


def _position_row(person_id: str, fact: Any, position_id: str, meeting_id: str | None, date: str,
                  basis: str) -> dict[str, Any]:
    return {"position_id": position_id, "person_id": person_id, "org_id": fact.org_id, "role": fact.role,
            "role_label": fact.role_label, **date_columns("date", date, basis), "basis": getattr(fact, "basis", "attested"),
            "meeting_id": meeting_id, "disputed": getattr(fact, "disputed", False), "note": getattr(fact, "note", None)}


def _person(out: FileRows, r: Any) -> None:
    row = {"person_id": r.person_id, "name": r.name, "name_ascii": ascii_name(r.name), "name_lo": r.name_lo,
           "country": r.country, "aliases": list(r.aliases), "note": r.note}
    _add_cited(out, "people", row, r.cite, ())
    for i, f in enumerate(r.ranks):
        rid = f.rank_id or f"{r.person_id}-{slug_part(f.rank)}-{slug_part(f.date)}"
        _add_cited(out, "ranks", _rank_row(r.person_id, f, rid, None, f.date, f.date_basis), f.cite, _yaml_path("ranks", i))
    for i, f in enumerate(r.positions):
        pid = f.position_id or f"{r.person_id}-{slug_part(f.role)}-{f.org_id}-{slug_part(f.date)}"
        _add_cited(out, "positions", _position_row(r.person_id, f, pid, None, f.date, f.date_basis), f.cite,
                   _yaml_path("positions", i))


def _meeting(out: FileRows, r: Any) -> None:
    row = {"meeting_id": r.meeting_id, **date_columns("date", r.date, r.date_basis), "city": r.city, "country": r.country,
           "meeting_type": r.meeting_type, "title_en": r.title_en, "summary_en": r.summary_en,
           "occasion": r.occasion, "series": r.series, "session": r.session, "note": r.note,
           "level": None}  # derived after loading (temporal.meeting_levels)
    _add_cited(out, "meetings", row, r.cite, ())
    for i, p in enumerate(r.participants):
        at = _yaml_path("participants", i)
        prow = {"meeting_id": r.meeting_id, "person_id": p.person_id, "org_id": p.org_id, "side": p.side,
                "role": p.role, "title_as_written": p.title_as_written, "rank": p.rank, "rank_label": p.rank_label}
        _add_cited(out, "participants", prow, p.cite, at)
        if p.rank is not None:
            fact = SimpleNamespace(rank=p.rank, rank_label=p.rank_label or p.rank)
            _add_cited(out, "ranks", _rank_row(p.person_id, fact, f"{p.person_id}-at-{r.meeting_id}", r.meeting_id,
                                               r.date, r.date_basis), p.cite, _yaml_path("participants", i, "rank"), at)
        for j, pos in enumerate(p.positions):
            pid = f"{p.person_id}-{slug_part(pos.role)}-{pos.org_id}-at-{r.meeting_id}"
            _add_cited(out, "positions", _position_row(p.person_id, pos, pid, r.meeting_id, r.date, r.date_basis), p.cite,
                       _yaml_path("participants", i, "positions", j), at)


def _agreement(out: FileRows, r: Any) -> None:
    row = {"agreement_id": r.agreement_id, "title_vi": r.title_vi, "title_en": r.title_en,
           "agreement_type": r.agreement_type, **date_columns("signed", r.signed, r.signed_basis), "meeting_id": r.meeting_id,
           "period_start": r.period_start, "period_end": r.period_end,
           "parent_agreement_id": r.parent_agreement_id, "note": r.note}
    _add_cited(out, "agreements", row, r.cite, ())
    for i, s in enumerate(r.signatories):
        _add_cited(out, "signatories", {"agreement_id": r.agreement_id, "person_id": s.person_id, "org_id": s.org_id},
                   s.cite, _yaml_path("signatories", i))
    for i, party in enumerate(r.parties):
        at = _yaml_path("parties", i)
        _add_cited(out, "agreement_parties", {"agreement_id": r.agreement_id, "org_id": party.org_id},
                   party.cite or r.cite, at, at if party.cite else ())


def _project(out: FileRows, r: Any) -> None:
    row = {"project_id": r.project_id, "name_vi": r.name_vi, "name_en": r.name_en, "project_type": r.project_type,
           "funder_org_id": r.funder_org_id, "beneficiary_org_id": r.beneficiary_org_id, "location": r.location,
           "note": r.note}
    _add_cited(out, "projects", row, r.cite, ())
    for i, u in enumerate(r.updates):
        uid = u.update_id or f"{r.project_id}-{slug_part(u.date)}-{slug_part(u.status)}"
        urow = {"update_id": uid, "project_id": r.project_id, **date_columns("date", u.date, u.date_basis), "status": u.status,
                "quantity": u.quantity, "unit": u.unit, "meeting_id": u.meeting_id, "note": u.note,
                "quantity_kind": u.quantity_kind}
        _add_cited(out, "project_updates", urow, u.cite, _yaml_path("updates", i))


_DERIVE = {"sources": _source, "organizations": _organization, "people": _person, "meetings": _meeting,
           "agreements": _agreement, "projects": _project}


def derive_rows(lr: LoadedRecord) -> FileRows:
    """The rows that one loaded record publishes (with their citations)."""
    out = FileRows()
    _DERIVE[lr.kind](out, lr.record)
    return out
