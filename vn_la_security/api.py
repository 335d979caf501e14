"""Python API: load the published tables (pandas / pyarrow / polars) and query careers.

Nothing here imports a data backend until a function needs it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

#: the published tables, in the contract's order (tests check this against models.TABLES)
TABLE_NAMES = ("outlets", "sources", "organizations", "people", "ranks", "positions", "meetings", "participants",
               "agreements", "signatories", "projects", "project_updates", "citations")

BACKENDS = ("pandas", "arrow", "polars")


class DataIntegrityError(RuntimeError):
    """A shipped table is missing, truncated or does not match its hash in datapackage.json."""


def _tables_dir():
    """The shipped tables; ``VN_LA_SECURITY_TABLES`` points elsewhere (a fresh build, tests, benchmarks)."""
    override = os.environ.get("VN_LA_SECURITY_TABLES")
    if override:
        return Path(override)
    here = Path(__file__).parent
    if here.is_dir():  # an ordinary install: no need to import importlib.resources (~12 ms of a cold load)
        return here / "tables"
    from importlib import resources

    return resources.files("vn_la_security") / "tables"


def clear_cache() -> None:
    """Forget loaded tables (after a rebuild in the same process)."""
    for fn in (_descriptor, _checked_bytes, _rows, _name_index):
        fn.cache_clear()


@cache
def _descriptor() -> dict[str, Any]:
    path = _tables_dir() / "datapackage.json"
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise DataIntegrityError(f"cannot read the package's datapackage.json ({exc}); reinstall vn-la-security "
                                 "or run `vn-la-security build`") from None


def _resource(name: str) -> dict[str, Any]:
    for res in _descriptor()["resources"]:
        if res["name"] == name:
            return res
    raise DataIntegrityError(f"table {name!r} is not in datapackage.json; rebuild the package")


@cache
def _checked_bytes(name: str) -> bytes:
    """The Parquet file, after a cheap check (size and Parquet magic) against the descriptor."""
    meta = _resource(name)["parquet"]
    path = _tables_dir() / meta["path"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataIntegrityError(f"{name}.parquet cannot be read ({exc.strerror}); reinstall or rebuild") from None
    if len(data) != meta["bytes"] or data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise DataIntegrityError(f"{name}.parquet is corrupt or partial ({len(data)} bytes, expected "
                                 f"{meta['bytes']}); reinstall vn-la-security or run `vn-la-security build`")
    return data


def verify() -> dict[str, str]:
    """Check every shipped table against the SHA-256 in datapackage.json. Returns ``{table: "ok"}``;
    raises ``DataIntegrityError`` naming the first bad file."""
    import hashlib  # here, not at the top: loading a table should import only what it needs (~3 ms)

    out = {}
    for name in TABLE_NAMES:
        data = _checked_bytes(name)
        expected = _resource(name)["parquet"]["hash"]
        actual = "sha256:" + hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise DataIntegrityError(f"{name}.parquet does not match its hash in datapackage.json "
                                     f"({actual} != {expected}); reinstall or rebuild")
        out[name] = "ok"
    return out


def _arrow_table(name: str):
    import pyarrow as pa
    import pyarrow.parquet as pq

    if name not in TABLE_NAMES:
        raise ValueError(f"unknown table {name!r}; tables: {', '.join(TABLE_NAMES)}")
    # ParquetFile.read, not pq.read_table: read_table goes through pyarrow.dataset, which imports pandas (~0.5 s)
    return pq.ParquetFile(pa.BufferReader(_checked_bytes(name))).read()


def load(name: str, backend: str = "pandas"):
    """Load one published table: ``backend`` is ``"pandas"`` (default), ``"arrow"`` or ``"polars"``.

    Dates are dates (pandas: ``date32[pyarrow]``), codes are categoricals/dictionaries, nullable integers
    stay integers (pandas ``Int64``)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    table = _arrow_table(name)
    if backend == "arrow":
        return table
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.date32(): pd.ArrowDtype(pa.date32()), pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return table.to_pandas(types_mapper=mapping.get)


def _loader(name: str):
    def loader(backend: str = "pandas"):
        return load(name, backend)

    loader.__name__ = f"load_{name}"
    loader.__doc__ = f"Load the ``{name}`` table (see ``load`` and docs/data-dictionary.md)."
    return loader


load_outlets = _loader("outlets")
load_sources = _loader("sources")
load_organizations = _loader("organizations")
load_people = _loader("people")
load_ranks = _loader("ranks")
load_positions = _loader("positions")
load_meetings = _loader("meetings")
load_participants = _loader("participants")
load_agreements = _loader("agreements")
load_signatories = _loader("signatories")
load_projects = _loader("projects")
load_project_updates = _loader("project_updates")
load_citations = _loader("citations")


# ----------------------------------------------------------------------------- queries
@cache
def _rows(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(_arrow_table(name).to_pylist())


@cache
def _name_index() -> dict[str, str]:
    from .names import fold

    index: dict[str, str] = {}
    for row in _rows("people"):
        for text in (row["person_id"], row["name"], row["name_ascii"], *(row["aliases"] or [])):
            index.setdefault(fold(text), row["person_id"])
    return index


def find_person(text: str) -> str | None:
    """person_id from any spelling (name, alias, ID), ignoring diacritics, case, hyphens and spacing."""
    from .names import fold

    return _name_index().get(fold(text)) if text else None


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _held_on(rows: list[dict[str, Any]], day: dt.date) -> bool:
    """Rows of one fact (one rank, or one post) over time: does the evidence say it held on ``day``?

    Held when a row attests it on that day, or it is bracketed: attested/started on or before, and
    attested/ended on or after (ends are checked by the caller for changes between)."""
    before = after = False
    for r in rows:
        if r["basis"] == "attested" and r["date_start"] <= day <= r["date_end"]:
            return True
        if r["basis"] in ("attested", "started") and r["date_end"] <= day:
            before = True
        if r["basis"] in ("attested", "ended") and r["date_start"] >= day:
            after = True
    return before and after


def rank_on(person_id: str, date: dt.date | str) -> str | None:
    """The rank the evidence says ``person_id`` held on ``date``: an attestation covering that day, or
    attestations of the same rank before and after with no other rank recorded between. ``None`` when the
    evidence does not say (or disagrees)."""
    from .vocab import RANK_ORDER

    day = _as_date(date)
    rows = [r for r in _rows("ranks") if r["person_id"] == person_id and r["basis"] != "ended"]
    exact = {r["rank"] for r in rows if r["date_start"] <= day <= r["date_end"] and r["basis"] == "attested"}
    if exact:
        return exact.pop() if len(exact) == 1 else None
    earlier = [r for r in rows if r["date_end"] <= day]
    later = [r for r in rows if r["date_start"] >= day]
    if not earlier or not later:
        return None
    last = max(earlier, key=lambda r: (r["date_end"], -RANK_ORDER[r["rank"]]))
    first = min(later, key=lambda r: (r["date_start"], RANK_ORDER[r["rank"]]))
    if last["rank"] != first["rank"]:
        return None
    between = [r for r in rows if last["date_end"] <= r["date_start"] and r["date_end"] <= first["date_start"]]
    return last["rank"] if all(r["rank"] == last["rank"] for r in between) else None


def positions_on(person_id: str, date: dt.date | str) -> list[dict[str, str]]:
    """Posts (``org_id``, ``role``) the evidence says ``person_id`` held on ``date``: attested that day,
    or attested/started before and attested/ended after with no end recorded between."""
    day = _as_date(date)
    by_post: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in _rows("positions"):
        if r["person_id"] == person_id:
            by_post.setdefault((r["org_id"], r["role"]), []).append(r)
    held = []
    for (org, role), rows in sorted(by_post.items()):
        ended_between = any(r["basis"] == "ended" and r["date_end"] < day for r in rows) and not any(
            r["basis"] in ("attested", "started") and r["date_start"] > max(
                x["date_end"] for x in rows if x["basis"] == "ended" and x["date_end"] < day) and r["date_end"] <= day
            for r in rows)
        exact = any(r["basis"] == "attested" and r["date_start"] <= day <= r["date_end"] for r in rows)
        if exact or (_held_on(rows, day) and not ended_between):
            held.append({"org_id": org, "role": role})
    return held


def load_conflicts(backend: str = "pandas"):
    """Disagreements between sources (rank mismatches and decreases, single-seat and minister/deputy
    clashes), recomputed from the published ranks and positions tables, with the citing sources."""
    import pyarrow as pa

    from .rules import find_conflicts
    from .derive import ROW_TYPES, Dataset

    ds = Dataset()
    for name in ("ranks", "positions", "citations"):
        ds.rows[name] = [ROW_TYPES[name](**r) for r in _rows(name)]
    ds.origins["ranks"] = [None] * len(ds.rows["ranks"])  # type: ignore[list-item]
    ds.origins["positions"] = [None] * len(ds.rows["positions"])  # type: ignore[list-item]
    cites: dict[tuple[str, str], list[str]] = {}
    for c in ds.rows["citations"]:
        cites.setdefault((c.record_table, c.record_id), []).append(c.source_id)
    out = []
    for c, _ in find_conflicts(ds):
        out.append({"kind": c.kind, "table": c.table, "person_id": c.person_id, "date": c.date,
                    "record_id": c.record_id, "other_record_id": c.other_record_id, "detail": c.detail,
                    "acknowledged": c.disputed,
                    "sources": sorted(set(cites.get((c.table, c.record_id), []))),
                    "other_sources": sorted(set(cites.get((c.table, c.other_record_id), [])))})
    out.sort(key=lambda r: (r["person_id"], r["date"], r["kind"], r["record_id"]))
    cols = ["kind", "table", "person_id", "date", "record_id", "other_record_id", "detail", "acknowledged",
            "sources", "other_sources"]
    table = pa.Table.from_pylist(out, schema=pa.schema([
        (c, pa.list_(pa.string()) if c.endswith("sources") else pa.bool_() if c == "acknowledged" else pa.string())
        for c in cols]))
    if backend == "arrow":
        return table
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas()
