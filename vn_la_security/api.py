"""Python API: load the published tables (pandas / pyarrow / polars) and query careers.

Nothing here imports a data backend until a function needs it.
"""
from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

#: the published tables, in the contract's order (tests check this against models.TABLES)
TABLE_NAMES = ("outlets", "sources", "organizations", "people", "ranks", "positions", "meetings", "participants",
               "agreements", "signatories", "projects", "project_updates", "citations",
               "organization_names", "tenures", "rank_spells", "agreement_parties", "conflicts")

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
    for fn in (_descriptor, _checked_bytes, _rows):
        fn.cache_clear()
    from . import queries

    queries.clear_cache()


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
load_organization_names = _loader("organization_names")
load_tenures = _loader("tenures")
load_rank_spells = _loader("rank_spells")
load_agreement_parties = _loader("agreement_parties")


# ----------------------------------------------------------------------------- queries
@cache
def _rows(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(_arrow_table(name).to_pylist())


from .queries import (  # noqa: E402, F401 - re-exported; the queries read the loaders above
    AmbiguousNameError, UnknownIdError, find_org, find_person, holders_on, load_conflicts, positions_on, rank_on,
)
