"""Publish: CSV + Parquet + datapackage.json + schemas, byte-reproducible, replaced atomically."""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import fcntl
import hashlib
import io
import json
import operator
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
from .derive import Dataset
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


BATCH_ROWS = 65536   # rows converted to Arrow and written at a time (a Parquet row group each)


def published_rows(table: str, rows: list[Any]) -> list[Any]:
    """Rows in primary-key order (a stable sort: of identical citations the first is kept), identical
    citations merged. IDs are texts, so this is code point order."""
    key = operator.attrgetter(*TABLES[table].primary_key)
    rows = sorted(rows, key=key)
    if table == "citations":
        rows = [r for i, r in enumerate(rows) if i == 0 or key(r) != key(rows[i - 1])]
    return rows


def table_batches(table: str, rows: list[Any], batch_rows: int | None = None) -> Iterator[Any]:
    """The published table as Arrow tables of at most ``batch_rows`` rows (one when empty), so that Arrow
    never holds a whole large table. Enumerations are dictionary-encoded against one dictionary per column
    (values in order of first appearance), shared by every batch."""
    import pyarrow as pa
    import pyarrow.compute as pc

    schema = arrow_schema(TABLES[table])
    batch_rows = batch_rows or BATCH_ROWS
    rows = published_rows(table, rows)
    dictionaries = {i: pa.array([v for v in dict.fromkeys(r[i] for r in rows) if v is not None], pa.string())
                    for i, f in enumerate(schema) if pa.types.is_dictionary(f.type)}
    for start in range(0, max(len(rows), 1), batch_rows):
        columns = list(zip(*rows[start:start + batch_rows])) or [()] * len(schema)
        arrays = []
        for i, f in enumerate(schema):
            if i in dictionaries:
                values = pa.array(columns[i], type=pa.string())
                indices = pc.index_in(values, value_set=dictionaries[i]).cast(pa.int32())
                arrays.append(pa.DictionaryArray.from_arrays(indices, dictionaries[i]))
            else:
                arrays.append(pa.array(columns[i], type=f.type))
        del columns
        yield pa.Table.from_arrays(arrays, schema=schema)


def arrow_table(table: str, rows: list[Any]):
    """The whole published table (see ``table_batches``), for tests and small data."""
    import pyarrow as pa

    return pa.concat_tables(table_batches(table, rows))


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


def _csv_body(tbl) -> bytes:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(tbl):
        return b""
    fields = [_csv_column(tbl[name].combine_chunks()) for name in tbl.column_names]
    lines = pc.binary_join_element_wise(*fields, ",").cast(pa.large_string())
    del fields
    body = pc.binary_join(pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines),
                          pa.scalar("\r\n", pa.large_string()))
    return body[0].as_buffer().to_pybytes() + b"\r\n"


def _csv_header(tbl) -> bytes:
    return ",".join(tbl.column_names).encode() + b"\r\n"


def csv_bytes(tbl) -> bytes:
    """RFC 4180 CSV (CRLF, minimal quoting, empty for null), the same bytes as Python's ``csv`` module with
    ``QUOTE_MINIMAL`` over ``_cell`` values, built column-wise by Arrow."""
    return _csv_header(tbl) + _csv_body(tbl)


class _HashingFile:
    """A file opened for writing that also counts and hashes what is written (and is fsynced on close)."""

    def __init__(self, path: Path):
        self.fh = open(path, "wb")
        self.digest, self.size = hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.digest.update(data)
        self.size += len(data)

    def close(self) -> tuple[int, str]:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        return self.size, "sha256:" + self.digest.hexdigest()


def write_table(table: str, rows: list[Any], folder: Path) -> tuple[int, dict[str, tuple[int, str]]]:
    """Write ``<table>.csv`` and ``<table>.parquet`` into ``folder``, a batch of rows at a time; returns
    the row count and each file's (bytes, hash)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_file, count = _HashingFile(folder / f"{table}.csv"), 0
    pq_path = folder / f"{table}.parquet"
    try:
        with pq.ParquetWriter(pq_path, arrow_schema(TABLES[table]), compression="zstd", use_dictionary=True,
                              write_statistics=True) as writer:
            for i, tbl in enumerate(table_batches(table, rows)):
                if i == 0:
                    csv_file.write(_csv_header(tbl))
                csv_file.write(_csv_body(tbl))
                writer.write_table(tbl)
                count += len(tbl)
                del tbl
                pa.default_memory_pool().release_unused()
    finally:
        csv_stat = csv_file.close()
    with open(pq_path, "rb+") as fh:
        os.fsync(fh.fileno())
        fh.seek(0)
        pq_stat = pq_path.stat().st_size, "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()
    return count, {f"{table}.csv": csv_stat, f"{table}.parquet": pq_stat}


def descriptor(files: dict[str, tuple[int, str]], prefix: str) -> dict[str, Any]:
    """The Data Package; ``files``: table file name → (bytes, hash)."""
    resources = []
    for name, table in TABLES.items():
        (csv_size, csv_hash), (pq_size, pq_hash) = files[f"{name}.csv"], files[f"{name}.parquet"]
        resources.append({
            "$schema": RESOURCE_PROFILE, "name": name, "type": "table", "title": name.replace("_", " "),
            "description": (table.row.__doc__ or "").strip(), "path": f"{prefix}{name}.csv", "scheme": "file",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": csv_size, "hash": csv_hash,
            "parquet": {"path": f"{prefix}{name}.parquet", "bytes": pq_size, "hash": pq_hash},
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
    """A rendered build, written to a spool folder inside the project until published or discarded."""

    spool: Path                   # tables/, schemas/ and root/ (datapackage.json, published-ids.txt)
    rows: dict[str, int]          # rows per table

    def files(self) -> dict[Path, Path]:
        """Published path (relative to the project root) → spooled file."""
        out = {TABLES_DIR / p.name: p for p in sorted((self.spool / "tables").iterdir())}
        out.update({SCHEMAS_DIR / p.relative_to(self.spool / "schemas"): p
                    for p in sorted((self.spool / "schemas").rglob("*")) if p.is_file()})
        out[DESCRIPTOR] = self.spool / "root" / DESCRIPTOR.name
        out[PUBLISHED_IDS] = self.spool / "root" / PUBLISHED_IDS.name
        return out

    def discard(self) -> None:
        shutil.rmtree(self.spool, ignore_errors=True)


def render(ds: Dataset, root: Path) -> Outputs:
    """Write every published file to a new spool folder in ``root`` (same file system, so that publishing
    is a rename). Each table is converted and written a batch of rows at a time."""
    from .validate import gc_paused

    spool = Path(tempfile.mkdtemp(prefix=".build-tmp-", dir=root))
    try:
        tables = spool / "tables"
        tables.mkdir()
        files: dict[str, tuple[int, str]] = {}
        counts = {}
        with gc_paused():   # sorting and converting millions of rows: the cyclic GC would rescan them all
            for name in TABLES:
                counts[name], written = write_table(name, ds.rows[name], tables)
                files.update(written)
        _write_tree(tables, {"datapackage.json": dumps(descriptor(files, ""))})
        _write_tree(spool / "schemas", generated_schema_files())
        _write_tree(spool / "root", {DESCRIPTOR.name: dumps(descriptor(files, f"{TABLES_DIR.as_posix()}/")),
                                     PUBLISHED_IDS.name: published_ids_text(ds)})
        return Outputs(spool, counts)
    except BaseException:
        shutil.rmtree(spool, ignore_errors=True)
        raise


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
    """Swap each published folder in atomically from the spool, then replace the root files."""
    try:
        (root / TABLES_DIR).parent.mkdir(parents=True, exist_ok=True)
        _swap_in(out.spool / "tables", root / TABLES_DIR)
        _swap_in(out.spool / "schemas", root / SCHEMAS_DIR)
        os.replace(out.spool / "root" / DESCRIPTOR.name, root / DESCRIPTOR)
        os.replace(out.spool / "root" / PUBLISHED_IDS.name, root / PUBLISHED_IDS)
    finally:
        out.discard()


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
    expected = out.files()
    for rel, spooled in sorted(expected.items()):
        path = root / rel
        if not path.exists():
            problems.append(f"{rel.as_posix()}: missing")
            continue
        current, data = path.read_bytes(), spooled.read_bytes()
        if current == data:
            continue
        if path.suffix == ".parquet" and _same_parquet(current, data):
            continue
        if path.name == "datapackage.json" and _without_parquet_hashes(current) == _without_parquet_hashes(data):
            continue
        problems.append(f"{rel.as_posix()}: differs from a fresh build")
    for folder in (root / TABLES_DIR, root / SCHEMAS_DIR):
        if folder.exists():
            for p in sorted(folder.rglob("*")):
                if p.is_file() and p.relative_to(root) not in expected:
                    problems.append(f"{p.relative_to(root).as_posix()}: not produced by the build (stale)")
    return problems
