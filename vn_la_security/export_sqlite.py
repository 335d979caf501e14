"""Export the published tables to one SQLite file with sqlite-utils (column types, primary and foreign keys,
an index on every foreign-key column, FTS5 search) plus a Datasette ``metadata.json`` generated from the row
models.

Search ignores Vietnamese diacritics twice over: each searched table ``t`` gets a hidden table ``t_search``
(same rowids) of its searched columns plus a copy folded by ``names.fold`` (which turns đ into d, something
the tokenizer does not do), indexed by ``enable_fts`` as ``t_search_fts`` with the
``unicode61 remove_diacritics 2`` tokenizer (so "Lương" and "Luong" are the same token).
"""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
from graphlib import TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .models import TABLES, Table
from .schemas import columns

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .catalog import TableName

#: columns indexed for full-text search, per table (names, aliases, titles, summaries, quotes)
SEARCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("title", "publisher"),
    "organizations": ("name_vi", "name_en", "name_lo", "aliases"),
    "people": ("name", "name_ascii", "name_lo", "aliases"),
    "meetings": ("title_en", "summary_en", "occasion", "city"),
    "participants": ("title_as_written", "rank_label"),
    "agreements": ("title_vi", "title_en"),
    "projects": ("name_vi", "name_en", "location"),
    "citations": ("quote", "quote_en"),
}
FOLDED_COLUMN = "folded"
TOKENIZER = "unicode61 remove_diacritics 2"

#: column Datasette shows for a row when another table points at it
LABEL_COLUMNS = {"sources": "title", "organizations": "name_en", "people": "name", "meetings": "title_en",
                 "agreements": "title_en", "projects": "name_en"}

LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


class ExportError(Exception):
    """The tables to export cannot be read (one sentence for the user)."""


# ----------------------------------------------------------------------------- reading
def default_tables_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("vn_la_security") / "tables"))


def read_table(name: str, tables_dir: Path | None = None):
    """One published table as a pyarrow Table: the installed package's (via ``api.load``) or the
    Parquet file in ``tables_dir``."""
    if tables_dir is None:
        from .api import load

        return load(cast("TableName", name), backend="arrow")  # load() checks the name
    import pyarrow.parquet as pq

    path = Path(tables_dir) / f"{name}.parquet"
    if not path.is_file():
        raise ExportError(f"no {name}.parquet in {tables_dir}: run `vn-la-security build` first or name the "
                          "folder of the built tables")
    try:
        return pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot read {path} ({exc}); run `vn-la-security build` first") from None


def _rows(name: str, tables_dir: Path | None) -> list[dict[str, Any]]:
    wanted = [c[0] for c in columns(TABLES[name])]
    table = read_table(name, tables_dir)
    missing = [c for c in wanted if c not in table.column_names]
    if missing:
        raise ExportError(f"{name} has no column {', '.join(missing)}: rebuild the tables with `vn-la-security build`")
    return table.select(wanted).to_pylist()


def data_version(tables_dir: Path | None = None) -> str:
    from .version import DATA_VERSION

    folder = default_tables_dir() if tables_dir is None else Path(tables_dir)
    try:
        return json.loads((folder / "datapackage.json").read_bytes()).get("version", DATA_VERSION)
    except (OSError, ValueError):
        return DATA_VERSION


# ----------------------------------------------------------------------------- writing
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def search_table_name(table: str) -> str:
    """The hidden table of ``table``'s searched text (same rowids), the content of its FTS5 table."""
    return f"{table}_search"


def fts_table_name(table: str) -> str:
    return f"{search_table_name(table)}_fts"   # enable_fts names it after its content table


def _search_text(value: Any) -> str:
    if value is None:
        return ""
    return " ; ".join(value) if isinstance(value, list) else str(value)


def _code_triggers(db: Database, table: Table) -> None:
    """sqlite-utils cannot declare CHECK constraints (simonw/sqlite-utils#358): two triggers refuse what CHECKs
    would, a value outside its enum column's codes or a boolean other than 0/1."""
    allowed = {name: ", ".join(db.quote(m.value) for m in enum) if enum else "0, 1"
               for name, kind, _, enum, _ in columns(table) if kind in ("enum", "boolean")}
    if not allowed:
        return
    when = " or ".join(f"new.{_q(name)} not in ({values})" for name, values in allowed.items())
    message = db.quote(f"{table.name}: a value outside its column's codes (booleans are 0 or 1)")
    for event in ("insert", "update"):
        db.execute(f"create trigger {_q(f'{table.name}_codes_{event}')} before {event} on {_q(table.name)} "
                   f"when {when} begin select raise(abort, {message}); end")


def _create(db: Database, table: Table) -> None:
    cols = columns(table)
    key = table.primary_key
    created = db.table(table.name).create(
        {name: int if kind in ("integer", "boolean") else str for name, kind, *_ in cols},
        pk=key[0] if len(key) == 1 else key,   # sqlite-utils 3 makes no key of a 1-tuple
        foreign_keys=list(table.foreign_keys),
        not_null=[name for name, kind, nullable, *_ in cols if not nullable and kind != "list"])
    for column in table.primary_key[1:]:   # the key's own index serves only its first column
        created.create_index([column])
    _code_triggers(db, table)


def _insert(db: Database, name: str, rows: list[dict[str, Any]]) -> None:
    """Rows as plain SQLite values (sqlite-utils stores lists as JSON arrays, dates as ISO text, bools as 1/0);
    a searched table also gets its search table and FTS5 index."""
    from .names import fold

    try:
        db.table(name).insert_all(rows)
    except sqlite3.IntegrityError as exc:
        raise ExportError(f"cannot export {name} ({exc}): rebuild the tables with `vn-la-security build`") from None
    if name not in SEARCH_COLUMNS:
        return
    cols = SEARCH_COLUMNS[name]
    search = db.table(search_table_name(name)).create(
        {"id": int, **dict.fromkeys(cols, str), FOLDED_COLUMN: str}, pk="id")
    texts = ({c: _search_text(r[c]) for c in cols} for r in rows)
    search.insert_all({"id": rowid, **t, FOLDED_COLUMN: fold(" ".join(v for v in t.values() if v))}
                      for rowid, t in enumerate(texts, 1))   # rowid = the row's rowid in ``name``
    # the export is written once and served read-only: no triggers to keep the index in step with edits
    search.enable_fts([*cols, FOLDED_COLUMN], tokenize=TOKENIZER, create_triggers=False)


def _write(db: Database, tables: dict[str, Any], version: str) -> dict[str, int]:
    parents = {name: {t for _, t, _ in table.foreign_keys if t != name} for name, table in TABLES.items()}
    for name in TopologicalSorter(parents).static_order():  # sqlite-utils wants a key's target table first
        _create(db, TABLES[name])
        _insert(db, name, tables[name])
    db.index_foreign_keys()
    db.table("dataset_info").insert_all([
        {"key": "title", "value": "Vietnam–Laos public security cooperation"},
        {"key": "data_version", "value": version},
        {"key": "license", "value": LICENSE}, {"key": "license_url", "value": LICENSE_URL},
        {"key": "evidence",
         "value": "every row of every table except sources and citations is cited in the citations table"},
    ], pk="key", not_null=["value"])
    return {name: len(tables[name]) for name in TABLES}


def _temp_name(path: Path) -> Path:
    """A new file name beside ``path`` (created by the caller with the usual permissions, unlike mkstemp's 0600)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def export_sqlite(path: Path, tables_dir: Path | None = None) -> dict[str, int]:
    """Write every published table to the SQLite file ``path`` (replaced atomically); returns row counts.

    ``tables_dir``: folder of ``<table>.parquet`` files (default: the installed package's tables)."""
    from sqlite_utils import Database

    path = Path(path)
    tables = {name: _rows(name, tables_dir) for name in TABLES}
    version = data_version(tables_dir)
    tmp = _temp_name(path)
    try:
        db = Database(tmp, execute_plugins=False)
        try:
            # sqlite-utils commits every step; a temp file is deleted on failure, never renamed into place, so
            # it needs no journal or disk syncs while it is written: one fsync before the rename
            db.execute("PRAGMA journal_mode = MEMORY")
            db.execute("PRAGMA synchronous = OFF")
            # foreign keys are not enforced while writing (self-references in any row order): check them once
            counts = _write(db, tables, version)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                t, rowid, target, _ = broken[0]
                raise ExportError(f"{len(broken)} rows point at missing rows (first: {t} row {rowid} → "
                                  f"{target}); rebuild the tables with `vn-la-security build`")
        finally:
            db.close()
        with open(tmp, "r+b") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


# ----------------------------------------------------------------------------- Datasette metadata
def _column_description(kind: str, enum: Any, description: str) -> str:
    if kind == "enum":
        return f"{description}. Codes: {', '.join(m.value for m in enum)}"
    if kind == "list":
        return f"{description} (JSON array here)"
    if kind == "boolean":
        return f"{description} (1 = true, 0 = false)"
    return description


#: canned queries: name → (title, description, SQL)
CANNED_QUERIES: dict[str, tuple[str, str, str]] = {
    "meetings_of_person": (
        "Meetings of a person",
        "Every meeting the person (person_id, e.g. luong-tam-quang) took part in, oldest first.",
        "select m.meeting_id, m.date, m.city, m.country, m.meeting_type, m.title_en,\n"
        "  p.side, p.role, p.title_as_written\n"
        "from participants p join meetings m on m.meeting_id = p.meeting_id\n"
        "where p.person_id = :person_id\n"
        "order by m.date_start, m.meeting_id",
    ),
    "held_post_on_date": (
        "Who held a post on a date",
        "People the evidence says held a post (role code, e.g. minister) on a date (YYYY-MM-DD): attested "
        "that day, or attested/started before and attested/ended after with no end recorded between.",
        "select distinct f.person_id, pe.name, f.org_id, o.name_en as organization, f.role\n"
        "from positions f\n"
        "  join people pe on pe.person_id = f.person_id\n"
        "  join organizations o on o.org_id = f.org_id\n"
        "where f.role = :role and (\n"
        "  (f.basis = 'attested' and f.date_start <= :date and :date <= f.date_end)\n"
        "  or (f.basis in ('attested', 'started') and f.date_end <= :date\n"
        "    and exists (select 1 from positions a where a.person_id = f.person_id and a.org_id = f.org_id\n"
        "      and a.role = f.role and a.basis in ('attested', 'ended') and a.date_start >= :date)\n"
        "    and not exists (select 1 from positions e where e.person_id = f.person_id and e.org_id = f.org_id\n"
        "      and e.role = f.role and e.basis = 'ended' and e.date_start >= f.date_end and e.date_end < :date)))\n"
        "order by f.org_id, f.person_id",
    ),
    "ranks_of_person": (
        "Ranks of a person over time",
        "Every dated rank fact for the person (person_id), oldest first, with the meeting that attests it.",
        "select date, rank, rank_label, basis, meeting_id, disputed\n"
        "from ranks where person_id = :person_id order by date_start, rank_id",
    ),
    "search_everything": (
        "Search everything",
        "Full-text search over names, aliases, titles, summaries and quotes (diacritics ignored).",
        "\nunion all\n".join(
            f"select '{t}' as table_name, t.{_q(TABLES[t].primary_key[0])} as record_id, "
            f"snippet({fts_table_name(t)}, -1, '[', ']', '…', 12) as snippet\n"
            f"from {fts_table_name(t)} join {_q(t)} t on t.rowid = {fts_table_name(t)}.rowid\n"
            f"where {fts_table_name(t)} match :q"
            for t in SEARCH_COLUMNS
        ),
    ),
}


def datasette_metadata(database: str, version: str | None = None) -> dict[str, Any]:
    """Datasette metadata for the SQLite file whose stem is ``database``."""
    from .version import DATA_VERSION

    version = version or DATA_VERSION
    tables: dict[str, Any] = {}
    for name, table in TABLES.items():
        meta: dict[str, Any] = {
            "description": (table.row.__doc__ or "").strip(),
            "columns": {c: _column_description(kind, enum, d) for c, kind, _, enum, d in columns(table)},
        }
        if name in LABEL_COLUMNS:
            meta["label_column"] = LABEL_COLUMNS[name]
        if name in SEARCH_COLUMNS:
            meta["fts_table"] = fts_table_name(name)
            meta["fts_pk"] = "rowid"
            tables[search_table_name(name)] = {"hidden": True}
        tables[name] = meta
    tables["dataset_info"] = {"description": "Title, data version and licence of this export."}
    queries = {key: {"title": title, "description": desc, "sql": sql}
               for key, (title, desc, sql) in CANNED_QUERIES.items()}
    return {
        "title": "Vietnam–Laos public security cooperation",
        "description": f"Source-cited records of Vietnam–Laos public security cooperation, data version {version}. "
                       "Every row is cited by a short verbatim quote: see the citations table.",
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": f"vn-la-security data {version} (news reports and official pages, quoted in citations)",
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def metadata_path(db_path: Path) -> Path:
    """Where the metadata for ``db_path`` goes: ``x.db`` → ``x.metadata.json``."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.metadata.json")


def write_metadata(db_path: Path, tables_dir: Path | None = None) -> Path:
    out = metadata_path(db_path)
    data = json.dumps(datasette_metadata(Path(db_path).stem, data_version(tables_dir)), ensure_ascii=False,
                      indent=2) + "\n"
    tmp = _temp_name(out)
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


# ----------------------------------------------------------------------------- local browsing
def serve(db_path: Path, metadata_file: Path, port: int) -> None:
    """Serve the file with Datasette on 127.0.0.1 until interrupted. Raises ImportError without Datasette."""
    import uvicorn
    from datasette.app import Datasette

    metadata = json.loads(Path(metadata_file).read_text(encoding="utf-8"))
    app = Datasette(immutables=[str(db_path)], metadata=metadata).app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
