"""Publish: CSV + Parquet + datapackage.json + schemas, byte-reproducible, replaced atomically."""
from __future__ import annotations

import contextlib
import csv
import ctypes
import ctypes.util
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import TABLES
from .schemas import LIST_DELIMITER, arrow_schema, dumps, generated_schema_files, table_schema
from .lifecycle import PUBLISHED_IDS, published_ids_text
from .tables import Dataset
from .version import DATA_VERSION

TABLES_DIR = Path("vn_la_security") / "tables"   # shipped in the wheel (Parquet + descriptor)
SCHEMAS_DIR = Path("schemas")
DESCRIPTOR = Path("datapackage.json")
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_DELIMITER.join(value)
    return str(value)


def arrow_table(table: str, rows: list[dict[str, Any]]):
    """The published table: rows in primary-key order (a stable sort, so identical citations keep their
    first occurrence), identical citations merged, enumerations dictionary-encoded in order of appearance."""
    import pyarrow as pa
    import pyarrow.compute as pc

    spec = TABLES[table]
    schema = arrow_schema(spec)
    plain = [pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type, f.nullable) for f in schema]
    tbl = pa.Table.from_pylist(rows, schema=pa.schema(plain))
    if len(tbl):
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[(c, "ascending") for c in spec.primary_key]))
    if table == "citations" and len(tbl) > 1:
        repeated = None
        for c in spec.primary_key:
            col = tbl[c].combine_chunks()
            same = pc.equal(col.slice(1), col.slice(0, len(col) - 1))
            repeated = same if repeated is None else pc.and_(repeated, same)
        tbl = tbl.filter(pa.concat_arrays([pa.array([True]), pc.invert(repeated)]))
    columns = [tbl[f.name].combine_chunks() for f in schema]
    columns = [col.dictionary_encode() if pa.types.is_dictionary(f.type) else col for col, f in zip(columns, schema)]
    return pa.Table.from_arrays(columns, schema=schema)


def _csv_column(col):
    """A column as CSV fields, formatted like ``_cell`` and quoted like ``csv.QUOTE_MINIMAL``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = col.type
    if pa.types.is_dictionary(kind):
        col = col.cast(pa.string())
    elif pa.types.is_list(kind):
        col = pc.binary_join(col, LIST_DELIMITER)
    elif pa.types.is_boolean(kind):
        col = pc.if_else(col, "true", "false")
    elif not pa.types.is_string(kind):
        col = col.cast(pa.string())   # dates as YYYY-MM-DD, integers in decimal
    col = pc.fill_null(col, "")
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(col, '[",\r\n]'), quoted, col)


def csv_bytes(tbl) -> bytes:
    """RFC 4180 CSV (CRLF, minimal quoting, empty for null), the same bytes as Python's ``csv`` module with
    ``QUOTE_MINIMAL`` over ``_cell`` values, built column-wise by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = ",".join(tbl.column_names).encode() + b"\r\n"
    if not len(tbl):
        return header
    fields = [_csv_column(tbl[name].combine_chunks()) for name in tbl.column_names]
    lines = pc.binary_join_element_wise(*fields, ",").cast(pa.large_string())
    body = pc.binary_join(pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines),
                          pa.scalar("\r\n", pa.large_string()))
    return header + body[0].as_buffer().to_pybytes() + b"\r\n"


def parquet_bytes(tbl) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(tbl, sink, compression="zstd", use_dictionary=True, write_statistics=True)
    return sink.getvalue()


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(files: dict[str, bytes], prefix: str) -> dict[str, Any]:
    resources = []
    for name, table in TABLES.items():
        csv_data, pq_data = files[f"{name}.csv"], files[f"{name}.parquet"]
        resources.append({
            "$schema": RESOURCE_PROFILE, "name": name, "type": "table", "title": name.replace("_", " "),
            "description": (table.row.__doc__ or "").strip(), "path": f"{prefix}{name}.csv", "scheme": "file",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(csv_data), "hash": _sha(csv_data),
            "parquet": {"path": f"{prefix}{name}.parquet", "bytes": len(pq_data), "hash": _sha(pq_data)},
            "schema": table_schema(table),
        })
    return {
        "$schema": PACKAGE_PROFILE, "name": "vn-la-security", "version": DATA_VERSION,
        "title": "Vietnam–Laos public security cooperation",
        "description": "Source-cited records of security cooperation between Vietnam's Ministry of Public Security "
                       "and Laos' Ministry of Public Security (formerly Ministry of Security): meetings, officials' "
                       "ranks and posts over time, agreements and cooperation projects. Every row is cited by a "
                       "short verbatim quote (table citations).",
        "keywords": ["Vietnam", "Laos", "public security", "police cooperation", "bilateral relations"],
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": "News reports and official pages; each row's evidence is in the citations table"}],
        "resources": resources,
    }


@dataclass
class Outputs:
    tables: dict[str, bytes]      # file name in TABLES_DIR → bytes
    schemas: dict[str, bytes]     # relative path in SCHEMAS_DIR → bytes
    descriptor: bytes             # root datapackage.json
    rows: dict[str, int]
    published_ids: bytes = b""    # data/published-ids.txt


def render(ds: Dataset) -> Outputs:
    files: dict[str, bytes] = {}
    counts = {}
    for name in TABLES:
        tbl = arrow_table(name, ds.rows[name])
        counts[name] = len(tbl)
        files[f"{name}.csv"] = csv_bytes(tbl)
        files[f"{name}.parquet"] = parquet_bytes(tbl)
        del tbl
    files["datapackage.json"] = dumps(descriptor(files, ""))
    root_descriptor = dumps(descriptor(files, f"{TABLES_DIR.as_posix()}/"))
    return Outputs(files, generated_schema_files(), root_descriptor, counts, published_ids_text(ds))


# ----------------------------------------------------------------------------- atomic publishing
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def _swap_in(staged: Path, target: Path) -> None:
    """Replace folder ``target`` by ``staged`` so that readers see the old or the new tree, never a mix."""
    if target.exists() and _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the old tree
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(staged, target)
    if old.exists():
        shutil.rmtree(old)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time per checkout (the second waits)."""
    with open(root / ".build.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def publish(root: Path, out: Outputs) -> None:
    """Write every output to a staging folder, then swap each published folder in atomically."""
    staging = Path(tempfile.mkdtemp(prefix=".build-tmp-", dir=root))
    try:
        _write_tree(staging / "tables", out.tables)
        _write_tree(staging / "schemas", out.schemas)
        _write_tree(staging / "root", {DESCRIPTOR.name: out.descriptor, PUBLISHED_IDS.name: out.published_ids})
        (root / TABLES_DIR).parent.mkdir(parents=True, exist_ok=True)
        _swap_in(staging / "tables", root / TABLES_DIR)
        _swap_in(staging / "schemas", root / SCHEMAS_DIR)
        os.replace(staging / "root" / DESCRIPTOR.name, root / DESCRIPTOR)
        os.replace(staging / "root" / PUBLISHED_IDS.name, root / PUBLISHED_IDS)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ----------------------------------------------------------------------------- drift check
def _without_parquet_hashes(data: bytes) -> Any:
    obj = json.loads(data)
    for res in obj.get("resources", []):
        res.get("parquet", {}).pop("bytes", None)
        res.get("parquet", {}).pop("hash", None)
    return obj


def _same_parquet(a: bytes, b: bytes) -> bool:
    import pyarrow.parquet as pq

    try:
        ta, tb = pq.read_table(io.BytesIO(a)), pq.read_table(io.BytesIO(b))
    except Exception:  # noqa: BLE001 - an unreadable committed file is drift
        return False
    return ta.schema.equals(tb.schema) and ta.equals(tb)


def drift(root: Path, out: Outputs) -> list[str]:
    """Published files that differ from a fresh build (Parquet compared by content, since its bytes
    depend on the pyarrow version; everything else byte for byte)."""
    problems = []
    expected: dict[Path, bytes] = {root / TABLES_DIR / k: v for k, v in out.tables.items()}
    expected.update({root / SCHEMAS_DIR / k: v for k, v in out.schemas.items()})
    expected[root / DESCRIPTOR] = out.descriptor
    expected[root / PUBLISHED_IDS] = out.published_ids
    for path, data in sorted(expected.items()):
        rel = path.relative_to(root).as_posix()
        if not path.exists():
            problems.append(f"{rel}: missing")
            continue
        current = path.read_bytes()
        if current == data:
            continue
        if path.suffix == ".parquet" and _same_parquet(current, data):
            continue
        if path.name == "datapackage.json" and _without_parquet_hashes(current) == _without_parquet_hashes(data):
            continue
        problems.append(f"{rel}: differs from a fresh build")
    for folder, names in ((root / TABLES_DIR, set(out.tables)), (root / SCHEMAS_DIR, set(out.schemas))):
        if folder.exists():
            for p in sorted(folder.rglob("*")):
                if p.is_file() and p.relative_to(folder).as_posix() not in names:
                    problems.append(f"{p.relative_to(root).as_posix()}: not produced by the build (stale)")
    return problems
