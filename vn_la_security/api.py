"""Python API: load the published tables (pandas / pyarrow / polars) and query careers.

Nothing here imports a data backend until a function needs it. The loader trusts nothing in the tables
folder but the bytes it checks: the descriptor's structure, paths and sizes are checked, reads stay inside
the folder, and every Parquet file must have exactly our columns and types (``catalog.COLUMNS``); frames are
built from our schema, never from metadata embedded in the file.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from . import catalog
from .catalog import *  # noqa: F403 - TableName, TABLE_NAMES and load_<table> for every table
from .catalog import TABLE_NAMES, Backend, Dtypes, TableName

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

BACKENDS = ("pandas", "arrow", "polars")
DTYPES = ("pandas", "arrow")
MAX_DESCRIPTOR_BYTES = 16 * 2**20
MAX_TABLE_BYTES = 2**30
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_HASH = re.compile(r"sha256:[0-9a-f]{64}")


class DataIntegrityError(RuntimeError):
    """A shipped table or its descriptor is missing, truncated, malformed or does not match its hash."""


def list_tables() -> list[TableName]:
    """The names of the published tables, in the contract's order (``load(name)`` takes each)."""
    return list(TABLE_NAMES)


def _tables_dir() -> Path:
    """The shipped tables; ``VN_LA_SECURITY_TABLES`` points elsewhere (a fresh build, tests, benchmarks).

    A build killed between the two renames of a non-atomic publish leaves the folder moved aside as
    ``.tables.old-<pid>``: then that complete previous tree is read (the next build repairs the folder)."""
    override = os.environ.get("VN_LA_SECURITY_TABLES")
    folder = Path(override) if override else Path(__file__).parent / "tables"
    if not folder.exists() and folder.parent.is_dir():
        moved = sorted(p for p in folder.parent.glob(f".{folder.name}.old-*") if p.is_dir())
        if moved:
            return moved[-1]
    return folder


def clear_cache() -> None:
    """Forget loaded tables (after a rebuild in the same process)."""
    for fn in (_descriptor, _checked_bytes, _rows, _name_index):
        fn.cache_clear()


def _read_inside(folder: Path, name: str, limit: int) -> bytes:
    """The bytes of regular file ``name`` directly in ``folder`` (a symlink may not lead out of it), at
    most ``limit`` bytes; ``DataIntegrityError`` otherwise."""
    advice = "reinstall vn-la-security or run `vn-la-security build`"
    if not _FILE_NAME.fullmatch(name) or name in (".", ".."):
        raise DataIntegrityError(f"datapackage.json names a file outside the tables folder ({name!r}); {advice}")
    path = folder / name
    try:
        real = path.resolve(strict=True)
        if real.parent != folder.resolve(strict=True):
            raise DataIntegrityError(f"{name} is a link out of the tables folder; {advice}")
        if not stat.S_ISREG(os.stat(real).st_mode):
            raise DataIntegrityError(f"{name} is not a regular file; {advice}")
        with open(real, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise DataIntegrityError(f"{name} cannot be read ({exc.strerror or exc}); {advice}") from None
    except RuntimeError as exc:  # a symlink loop
        raise DataIntegrityError(f"{name} cannot be read ({exc}); {advice}") from None
    if len(data) > limit:
        raise DataIntegrityError(f"{name} is larger than expected (more than {limit} bytes); {advice}")
    return data


@cache
def _descriptor() -> dict[str, Any]:
    try:
        obj = json.loads(_read_inside(_tables_dir(), "datapackage.json", MAX_DESCRIPTOR_BYTES))
    except (ValueError, RecursionError) as exc:
        raise DataIntegrityError(f"the package's datapackage.json is not valid JSON ({type(exc).__name__}); "
                                 "reinstall vn-la-security or run `vn-la-security build`") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("resources"), list):
        raise DataIntegrityError("the package's datapackage.json has no list of resources; reinstall "
                                 "vn-la-security or run `vn-la-security build`")
    return obj


def _resource(name: str) -> tuple[str, str]:
    """``(path, hash)`` of the table's Parquet resource (``<table>-parquet``) in the descriptor."""
    for res in _descriptor()["resources"]:
        if isinstance(res, dict) and res.get("name") == f"{name}-parquet":
            path, digest = res.get("path"), res.get("hash")
            if isinstance(path, str) and isinstance(digest, str) and _HASH.fullmatch(digest):
                return path, digest
            raise DataIntegrityError(f"datapackage.json: resource {name}-parquet needs a path and a sha256 hash; "
                                     "rebuild the package")
    raise DataIntegrityError(f"table {name!r} is not in datapackage.json; rebuild the package")


@cache
def _checked_bytes(name: str) -> bytes:
    """The Parquet file, checked against its SHA-256 in the descriptor."""
    import hashlib

    path, expected = _resource(name)
    data = _read_inside(_tables_dir(), path, MAX_TABLE_BYTES)
    actual = "sha256:" + hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise DataIntegrityError(f"{name}.parquet is corrupt, partial or replaced: it does not match its hash in "
                                 f"datapackage.json ({actual} != {expected}); reinstall vn-la-security or run "
                                 "`vn-la-security build`")
    return data


def verify() -> dict[str, str]:
    """Check every shipped table against the SHA-256 in datapackage.json (``load`` checks the tables it
    reads). Returns ``{table: "ok"}``; raises ``DataIntegrityError`` naming the first bad file."""
    for name in TABLE_NAMES:
        _checked_bytes(name)
    return {name: "ok" for name in TABLE_NAMES}


def arrow_schema(name: str):
    """Our Arrow schema of table ``name`` (from ``catalog.COLUMNS``; no metadata)."""
    import pyarrow as pa

    kinds = {"string": pa.string(), "date": pa.date32(), "integer": pa.int64(), "boolean": pa.bool_(),
             "list": pa.list_(pa.string()), "code": pa.dictionary(pa.int32(), pa.string())}
    return pa.schema([pa.field(col, kinds[kind], nullable=nullable)
                      for col, kind, nullable, _, _ in catalog.COLUMNS[name]])


def _arrow_table(name: str):
    import pyarrow as pa
    import pyarrow.parquet as pq

    if name not in TABLE_NAMES:
        raise ValueError(f"unknown table {name!r}; tables: {', '.join(TABLE_NAMES)}")
    schema = arrow_schema(name)
    try:
        # ParquetFile.read, not pq.read_table: read_table goes through pyarrow.dataset, which imports pandas
        table = pq.ParquetFile(pa.BufferReader(_checked_bytes(name))).read()
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        raise DataIntegrityError(f"{name}.parquet cannot be read ({type(exc).__name__}); reinstall or rebuild") from None
    found = [(f.name, f.type) for f in table.schema]
    if found != [(f.name, f.type) for f in schema]:
        raise DataIntegrityError(f"{name}.parquet does not have the published columns and types "
                                 f"({', '.join(f'{n}: {t}' for n, t in found)[:300]}); reinstall or rebuild")
    for (col, _, nullable, categories, _), column in zip(catalog.COLUMNS[name], table.columns):
        if not nullable and column.null_count:
            raise DataIntegrityError(f"{name}.parquet: column {col} has empty values; reinstall or rebuild")
        if categories is not None:
            unknown = {v for chunk in column.chunks for v in chunk.dictionary.to_pylist()} - set(categories)
            if unknown:
                raise DataIntegrityError(f"{name}.parquet: column {col} has unknown codes "
                                         f"{sorted(map(str, unknown))[:5]}; reinstall or rebuild")
    return pa.Table.from_arrays(table.columns, schema=schema)   # our schema: none of the file's metadata


def _to_pandas(name: str, table):
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    df = table.to_pandas(types_mapper=mapping.get, date_as_object=False)
    for col, kind, _, categories, ordered in catalog.COLUMNS[name]:
        if kind == "code":
            df[col] = df[col].cat.set_categories(categories, ordered=ordered)
        elif kind == "list":
            df[col] = pd.Series(table.column(col).to_pylist(), index=df.index, dtype=object)
    return df


@overload
def load(name: TableName, backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load(name: TableName, backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load(name: TableName, backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load(name: TableName, backend: Backend = "pandas", *,
         dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load one published table.

    Parameters
    ----------
    name : str
        A table name (``list_tables()``).
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return. Arrow and polars keep their natural types (dates, dictionaries,
        lists, nullable integers).
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only. ``"pandas"``: dates are ``datetime64``, ``rank`` an ordered categorical up the rank
        ladder (highest rank compares greatest), other codes categoricals of every allowed code, list
        columns Python lists, integers ``Int64`` and booleans ``boolean`` (nullable). ``"arrow"``: every
        column keeps its Arrow type (``pd.ArrowDtype``).

    Examples
    --------
    >>> from vn_la_security import load
    >>> ranks = load("ranks")
    >>> ranks[ranks["rank"] >= "major_general"]  # doctest: +SKIP
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if dtypes not in DTYPES:
        raise ValueError(f"dtypes must be one of {', '.join(DTYPES)}, not {dtypes!r}")
    table = _arrow_table(name)
    if backend == "arrow":
        return table
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    if dtypes == "arrow":
        import pandas as pd

        return table.to_pandas(types_mapper=pd.ArrowDtype)
    return _to_pandas(name, table)


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
