"""Python API: load the published tables (pandas / pyarrow / polars) and query careers.

Nothing here imports a data backend until a function needs it. The loader trusts nothing in the tables
folder but the bytes it checks: the descriptor's structure, paths and sizes are checked, reads stay inside
the folder, and every Parquet file must have exactly our columns and types (``catalog.COLUMNS``); frames are
built from our schema, never from metadata embedded in the file.
"""
from __future__ import annotations

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
    for fn in (_descriptor, _checked_bytes, _rows):
        fn.cache_clear()
    from . import queries

    queries.clear_cache()


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
        raise DataIntegrityError(
            f"{name}.parquet cannot be read ({type(exc).__name__}); reinstall or rebuild") from None
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


from .queries import (  # noqa: E402, F401 - re-exported; the queries read the loaders above
    AmbiguousNameError, UnknownIdError, find_org, find_person, holders_on, positions_on, rank_on,
)
