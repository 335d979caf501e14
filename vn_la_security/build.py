"""Publish: CSV + Parquet + datapackage.json + schemas, byte-reproducible.

Publishing replaces the tables and schemas folders by renames (an atomic exchange where the OS has one), so
that a build killed at any moment leaves either the old or the new files, or a state that ``build --check``
reports and the next build repairs (see ``publish``); a reader never sees a half-written file.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import hashlib
import csv
import json
import operator
import os
import re
import shutil
import signal
import tempfile
import threading
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
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
SPOOL_PREFIX = ".build-tmp-"


class PublishError(Exception):
    """``build`` refuses to publish; nothing was changed."""


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


def published_rows(table: str, rows: list[Any]) -> list[Any]:
    """Rows in primary-key order (a stable sort: of identical citations the first is kept), identical
    citations merged. IDs are texts, so this is code point order."""
    key = operator.attrgetter(*TABLES[table].primary_key)
    rows = sorted(rows, key=key)
    if table == "citations":
        rows = [r for i, r in enumerate(rows) if i == 0 or key(r) != key(rows[i - 1])]
    return rows


def _values(table: str):
    """row → its values in column order"""
    return operator.attrgetter(*TABLES[table].row.model_fields)


def arrow_table(table: str, rows: list[Any]):
    """The published table (``rows`` in published order) as one Arrow table of our schema; codes are
    dictionary-encoded, values in order of first appearance."""
    import pyarrow as pa

    schema = arrow_schema(TABLES[table])
    columns = list(zip(*map(_values(table), rows))) or [()] * len(schema)
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, schema)], schema=schema)


def _stat(path: Path) -> tuple[int, str]:
    """(bytes, sha256) of a written file, fsynced so that a rename publishes complete data."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
        return os.fstat(fh.fileno()).st_size, "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


def write_table(table: str, rows: list[Any], folder: Path) -> tuple[int, dict[str, tuple[int, str]]]:
    """Write ``<table>.csv`` (RFC 4180: CRLF, minimal quoting, empty for null) and ``<table>.parquet`` (no
    pandas metadata) into ``folder``; returns the row count and each file's (bytes, hash)."""
    import pyarrow.parquet as pq

    rows = published_rows(table, rows)
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(TABLES[table].row.model_fields)
        writer.writerows([_cell(v) for v in values] for values in map(_values(table), rows))
    pq.write_table(arrow_table(table, rows), folder / f"{table}.parquet", compression="zstd",
                   use_dictionary=True, write_statistics=True)
    return len(rows), {f"{table}.{ext}": _stat(folder / f"{table}.{ext}") for ext in ("csv", "parquet")}


def parquet_resource_name(table: str) -> str:
    return f"{table}-parquet"


def _parquet_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema of a Parquet resource, as frictionless can check it: it reads Parquet through pandas,
    which gives list cells as arrays and nullable integers as floats, so those columns are typed ``any`` (the
    Parquet file types them: a list of strings, a 64-bit integer); foreign keys point at Parquet resources."""
    fields = []
    for f in schema["fields"]:
        f = {k: v for k, v in f.items() if k not in ("delimiter", "itemType")}
        if f["type"] == "list" or (f["type"] == "integer" and not f.get("constraints", {}).get("required")):
            f["type"] = "any"
        fields.append(f)
    keys = [{**fk, "reference": {**fk["reference"], "resource": parquet_resource_name(fk["reference"]["resource"])}}
            if "resource" in fk["reference"] else fk for fk in schema.get("foreignKeys", [])]
    out = {k: v for k, v in schema.items() if k not in ("missingValues", "foreignKeys")}
    return {**out, "fields": fields, **({"foreignKeys": keys} if keys else {})}


def descriptor(files: dict[str, tuple[int, str]], prefix: str, csv_files: bool = True) -> dict[str, Any]:
    """The Data Package; ``files``: table file name → (bytes, hash). Each table is a CSV resource named as
    the table, with its Table Schema (unless ``csv_files`` is false: the wheel ships no CSV), and a Parquet
    resource ``<table>-parquet`` (see ``_parquet_schema``) with a hash but no ``bytes`` (frictionless counts
    no bytes of Parquet files, so it would report any byte count as wrong)."""
    resources = []
    for name, table in TABLES.items():
        common = {"$schema": RESOURCE_PROFILE, "type": "table", "description": (table.row.__doc__ or "").strip(),
                  "scheme": "file"}
        if csv_files:
            size, digest = files[f"{name}.csv"]
            resources.append({
                "name": name, "title": name.replace("_", " "), **common, "path": f"{prefix}{name}.csv",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "bytes": size, "hash": digest,
                "schema": table_schema(table),
            })
        resources.append({
            "name": parquet_resource_name(name), "title": f"{name.replace('_', ' ')} (Parquet)", **common,
            "path": f"{prefix}{name}.parquet", "format": "parquet", "mediatype": PARQUET_MEDIATYPE,
            "hash": files[f"{name}.parquet"][1], "schema": _parquet_schema(table_schema(table)),
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
    is a rename), after removing spool folders left by processes that no longer run."""
    _remove_stale_spools(root)
    spool = Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-", dir=root))
    try:
        tables = spool / "tables"
        tables.mkdir()
        files: dict[str, tuple[int, str]] = {}
        counts = {}
        for name in TABLES:
            counts[name], written = write_table(name, ds.rows[name], tables)
            files.update(written)
        _write_tree(tables, {"datapackage.json": dumps(descriptor(files, "", csv_files=False))})
        _write_tree(spool / "schemas", generated_schema_files())
        _write_tree(spool / "root", {DESCRIPTOR.name: dumps(descriptor(files, f"{TABLES_DIR.as_posix()}/")),
                                     PUBLISHED_IDS.name: published_ids_text(ds)})
        return Outputs(spool, counts)
    except BaseException:
        shutil.rmtree(spool, ignore_errors=True)
        raise


# ----------------------------------------------------------------------------- atomic publishing
_RENAME_EXCHANGE = 2
_LEFTOVER = re.compile(r"\.(?:build-tmp-|tables\.old-|schemas\.old-)(\d+)")


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


def _alive(pid: int) -> bool:
    """Does process ``pid`` still run? (Off POSIX: assume so, and leave its folders alone.)"""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(folder: Path) -> list[tuple[Path, int]]:
    """Spool and old-tree folders in ``folder`` with the ID of the process that made them."""
    if not folder.is_dir():
        return []
    found = ((p, _LEFTOVER.match(p.name)) for p in sorted(folder.iterdir()))
    return [(p, int(m.group(1))) for p, m in found if m and p.is_dir() and not p.is_symlink()]


def _remove_stale_spools(root: Path) -> None:
    """Delete spool folders left by builds that were killed (their process no longer runs)."""
    for spool, pid in _leftovers(root):
        if spool.name.startswith(SPOOL_PREFIX) and not _alive(pid):
            shutil.rmtree(spool, ignore_errors=True)


def _recover_folders(root: Path) -> None:
    """Repair what a killed publish left: put back a tables or schemas folder that was moved aside but not
    replaced (the non-atomic fallback of ``_swap_in``), and delete old trees of dead processes."""
    for target in (root / TABLES_DIR, root / SCHEMAS_DIR):
        for old, pid in _leftovers(target.parent):
            if not old.name.startswith(f".{target.name}.old-") or (_alive(pid) and pid != os.getpid()):
                continue
            if not target.exists():
                os.rename(old, target)
            else:
                shutil.rmtree(old, ignore_errors=True)


def _write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def _swap_in(staged: Path, target: Path) -> None:
    """Replace folder ``target`` by ``staged`` so that readers see the old or the new tree, never a mix.
    Without an atomic exchange, the old tree is first renamed to ``.<name>.old-<pid>``: a kill between the
    two renames leaves no ``target``, which the loader (``api._tables_dir``) and the next build
    (``_recover_folders``) both recover from."""
    if target.exists() and _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the old tree
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(staged, target)
    shutil.rmtree(old, ignore_errors=True)


class _Signals:
    """SIGTERM ends a build like Ctrl-C (``SystemExit``, so that ``finally`` blocks remove the spool), except
    inside ``publish``'s renames, where it waits until they are done."""

    critical = False
    pending = False

    @classmethod
    def handler(cls, signum: int, frame: Any) -> None:
        if cls.critical:
            cls.pending = True
        else:
            raise SystemExit(128 + signum)

    @classmethod
    @contextlib.contextmanager
    def deferred(cls) -> Iterator[None]:
        cls.critical = True
        try:
            yield
        finally:
            cls.critical = False
        if cls.pending:
            cls.pending = False
            raise SystemExit(128 + signal.SIGTERM)


@contextlib.contextmanager
def _file_lock(fh) -> Iterator[None]:
    """An exclusive lock on an open file, waiting for it: ``fcntl`` on POSIX, ``msvcrt`` on Windows."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
        return
    try:
        import msvcrt
    except ImportError:
        raise PublishError("this platform offers no file lock (neither fcntl nor msvcrt): build cannot make sure "
                           "it runs alone") from None
    fh.seek(0)
    while True:
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)   # retries for 10 s, then raises
            break
        except OSError:
            continue
    try:
        yield
    finally:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time per checkout (the second waits). While held, SIGTERM ends the build cleanly;
    on the way out no spool folder of this process remains."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _Signals.handler) if main else None
    try:
        with open(root / ".build.lock", "a+") as fh, _file_lock(fh):
            try:
                yield
            finally:
                for spool, pid in _leftovers(root):
                    if spool.name.startswith(SPOOL_PREFIX) and pid == os.getpid():
                        shutil.rmtree(spool, ignore_errors=True)
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _previous_tables(root: Path) -> set[str]:
    """Table names in the currently published descriptor (files of tables since removed are ours too)."""
    try:
        old = json.loads((root / DESCRIPTOR).read_bytes())
        return {r["name"] for r in old["resources"] if isinstance(r.get("name"), str)}
    except (OSError, ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return set()


def foreign_files(root: Path, out: Outputs) -> list[str]:
    """Files in the published folders that no build produced (hand-written, or copied in): ``publish``
    would delete them, so it refuses instead."""
    ours = set(out.files())
    for name in _previous_tables(root):
        ours |= {TABLES_DIR / f"{name}.csv", TABLES_DIR / f"{name}.parquet", SCHEMAS_DIR / "tables" / f"{name}.json"}
    found = []
    for folder in (root / TABLES_DIR, root / SCHEMAS_DIR):
        if folder.exists():
            found += [p.relative_to(root).as_posix() for p in sorted(folder.rglob("*"))
                      if not p.is_dir() and p.relative_to(root) not in ours]
    return found


def publish(root: Path, out: Outputs) -> None:
    """Publish a rendered build: swap the tables folder in, then the schemas folder, then replace
    ``data/published-ids.txt`` and, last, ``datapackage.json``. A kill between steps leaves each folder
    old or new (or recoverable, see ``_swap_in``), and the root descriptor's hashes then disagree with the
    tables, which ``build --check`` reports; the next build repairs everything. Refuses (``PublishError``,
    nothing changed) when the published folders hold files no build produced."""
    try:
        _recover_folders(root)
        foreign = foreign_files(root, out)
        if foreign:
            raise PublishError(f"{len(foreign)} files in {TABLES_DIR}/ or {SCHEMAS_DIR}/ were not produced by "
                               f"`vn-la-security build` ({', '.join(map(repr, foreign[:5]))}"
                               f"{', …' if len(foreign) > 5 else ''}); these folders are replaced by every build: "
                               "move the files elsewhere, then build again")
        with _Signals.deferred():
            (root / TABLES_DIR).parent.mkdir(parents=True, exist_ok=True)
            _swap_in(out.spool / "tables", root / TABLES_DIR)
            _swap_in(out.spool / "schemas", root / SCHEMAS_DIR)
            os.replace(out.spool / "root" / PUBLISHED_IDS.name, root / PUBLISHED_IDS)
            os.replace(out.spool / "root" / DESCRIPTOR.name, root / DESCRIPTOR)
    finally:
        out.discard()


# ----------------------------------------------------------------------------- drift check
def _without_parquet_hashes(obj: Any) -> Any:
    """A descriptor without the Parquet resources' hashes (Parquet bytes depend on the pyarrow
    version; its content is compared instead)."""
    for res in obj.get("resources", []):
        if res.get("format") == "parquet":
            res.pop("hash", None)
    return obj


def _parquet_problem(current: bytes, fresh: bytes) -> str | None:
    """How a committed Parquet file differs from a fresh one: rows, Arrow schema with its metadata (field
    descriptions, and any other key such as ``pandas``), Parquet column types, or compression codecs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        a, b = pq.ParquetFile(pa.BufferReader(current)), pq.ParquetFile(pa.BufferReader(fresh))
        ma, mb = a.metadata, b.metadata
        if set(ma.metadata or {}) != set(mb.metadata or {}):
            return f"file metadata keys {sorted(ma.metadata or {})} != {sorted(mb.metadata or {})}"
        if not a.schema_arrow.equals(b.schema_arrow, check_metadata=True):
            return "Arrow schema or its metadata differs"
        if not ma.schema.equals(mb.schema):
            return "Parquet column types differ"
        codecs = [{ma.row_group(i).column(j).compression for i in range(ma.num_row_groups)}
                  for j in range(ma.num_columns)]
        if codecs != [{mb.row_group(i).column(j).compression for i in range(mb.num_row_groups)}
                      for j in range(mb.num_columns)]:
            return "compression differs"
        if not a.read().equals(b.read()):
            return "rows differ"
    except Exception as exc:  # an unreadable committed file is drift
        return f"unreadable ({type(exc).__name__})"
    return None


def _descriptor_problems(root: Path, rel: Path, data: bytes) -> list[str]:
    """Each resource of a committed descriptor must match the committed file it describes (bytes, hash)."""
    try:
        resources = json.loads(data)["resources"]
        paths = [(r["path"], r.get("bytes"), r["hash"]) for r in resources]
    except (ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return [f"{rel.as_posix()}: not a valid descriptor"]
    problems = []
    base = (root / rel).parent
    for path, size, digest in paths:
        file = base / path if isinstance(path, str) else None
        if file is None or not file.is_file():
            problems.append(f"{rel.as_posix()}: resource {path!r} is missing")
            continue
        with open(file, "rb") as fh:
            actual = "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()
        if actual != digest or (size is not None and file.stat().st_size != size):
            problems.append(f"{rel.as_posix()}: bytes/hash of {path} do not match the file")
    return problems


def drift(root: Path, out: Outputs) -> list[str]:
    """Published files that differ from a fresh build (Parquet compared by content, schema and metadata,
    since its bytes depend on the pyarrow version; everything else byte for byte, descriptors apart from
    the Parquet bytes/hash), and committed descriptors whose bytes/hash do not match the committed files."""
    problems = []
    expected = out.files()
    for rel, spooled in sorted(expected.items()):
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel.as_posix()}: missing")
            continue
        current, data = path.read_bytes(), spooled.read_bytes()
        if path.name == "datapackage.json":
            problems += _descriptor_problems(root, rel, current)
        if current == data:
            continue
        if path.suffix == ".parquet":
            why = _parquet_problem(current, data)
            if why is None:
                continue
            problems.append(f"{rel.as_posix()}: differs from a fresh build ({why})")
            continue
        if path.name == "datapackage.json":
            try:
                if _without_parquet_hashes(json.loads(current)) == _without_parquet_hashes(json.loads(data)):
                    continue
            except (ValueError, RecursionError, AttributeError):
                pass
        problems.append(f"{rel.as_posix()}: differs from a fresh build")
    for folder in (root / TABLES_DIR, root / SCHEMAS_DIR):
        if folder.exists():
            for p in sorted(folder.rglob("*")):
                if not p.is_dir() and p.relative_to(root) not in expected:
                    problems.append(f"{p.relative_to(root).as_posix()}: not produced by the build (stale)")
    return problems
