"""Export the published tables to one SQLite file (keys, indexes, diacritic-blind full-text search)
plus a Datasette ``metadata.json`` generated from the row models.

Search ignores Vietnamese diacritics twice over: each FTS5 table uses the ``unicode61 remove_diacritics 2``
tokenizer on the original text (so "Lương" and "Luong" are the same token) and also indexes a copy folded
by ``names.fold`` (which turns đ into d, something the tokenizer does not do).
"""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .models import TABLES, Table
from .schemas import columns

if TYPE_CHECKING:
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
SQL_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "list": "TEXT",
             "enum": "TEXT"}


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


def data_version(tables_dir: Path | None = None) -> str:
    from .version import DATA_VERSION

    folder = default_tables_dir() if tables_dir is None else Path(tables_dir)
    try:
        return json.loads((folder / "datapackage.json").read_bytes()).get("version", DATA_VERSION)
    except (OSError, ValueError):
        return DATA_VERSION


# ----------------------------------------------------------------------------- schema
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table) -> str:
    lines = []
    for name, kind, nullable, enum, _ in columns(table):
        line = f"{_q(name)} {SQL_TYPES[kind]}"
        if not nullable and kind != "list":
            line += " NOT NULL"
        if kind == "enum":
            codes = ", ".join("'" + m.value + "'" for m in enum)  # type: ignore[union-attr]
            line += f" CHECK ({_q(name)} IN ({codes}))"
        elif kind == "boolean":
            line += f" CHECK ({_q(name)} IN (0, 1))"
        lines.append(line)
    lines.append(f"PRIMARY KEY ({', '.join(_q(c) for c in table.primary_key)})")
    for column, target, target_column in table.foreign_keys:
        lines.append(f"FOREIGN KEY ({_q(column)}) REFERENCES {_q(target)} ({_q(target_column)})")
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def index_sql(table: Table) -> list[str]:
    """An index on every foreign-key column and every primary-key column after the first (the primary
    key's own index already serves its first column)."""
    wanted = [c for c, _, _ in table.foreign_keys] + list(table.primary_key[1:])
    out = []
    for column in dict.fromkeys(wanted):
        if column == table.primary_key[0]:
            continue
        out.append(f"CREATE INDEX {_q(f'idx_{table.name}_{column}')} ON {_q(table.name)} ({_q(column)})")
    return out


def fts_table_name(table: str) -> str:
    return f"{table}_fts"


def create_fts_sql(table: str) -> str:
    cols = ", ".join(_q(c) for c in (*SEARCH_COLUMNS[table], FOLDED_COLUMN))
    return f"CREATE VIRTUAL TABLE {_q(fts_table_name(table))} USING fts5({cols}, tokenize = '{TOKENIZER}')"


# ----------------------------------------------------------------------------- values
def _sql_value(value: Any) -> Any:
    if value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _search_text(value: Any) -> str:
    if value is None:
        return ""
    return " ; ".join(value) if isinstance(value, list) else str(value)


def _write(conn: sqlite3.Connection, tables: dict[str, Any], version: str) -> dict[str, int]:
    from .names import fold

    counts = {}
    for name, table in TABLES.items():
        conn.execute(create_table_sql(table))
        cols = [c[0] for c in columns(table)]
        rows = tables[name].select(cols).to_pylist()
        placeholders = ", ".join("?" for _ in cols)
        conn.executemany(f"INSERT INTO {_q(name)} VALUES ({placeholders})",
                         ([_sql_value(r[c]) for c in cols] for r in rows))
        for sql in index_sql(table):
            conn.execute(sql)
        counts[name] = len(rows)
        if name in SEARCH_COLUMNS:
            search = SEARCH_COLUMNS[name]
            conn.execute(create_fts_sql(name))
            fts_rows = []
            for rowid, r in zip(range(1, len(rows) + 1), rows):
                texts = [_search_text(r[c]) for c in search]
                fts_rows.append((rowid, *texts, fold(" ".join(t for t in texts if t))))
            conn.executemany(f"INSERT INTO {_q(fts_table_name(name))} (rowid, "
                             f"{', '.join(_q(c) for c in (*search, FOLDED_COLUMN))}) "
                             f"VALUES (?, {', '.join('?' for _ in (*search, FOLDED_COLUMN))})", fts_rows)
    conn.execute("CREATE TABLE dataset_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.executemany("INSERT INTO dataset_info VALUES (?, ?)", [
        ("title", "Vietnam–Laos public security cooperation"), ("data_version", version),
        ("license", LICENSE), ("license_url", LICENSE_URL),
        ("evidence", "every row of every table except sources and citations is cited in the citations table"),
    ])
    return counts


def _temp_name(path: Path) -> Path:
    """A new file name beside ``path`` (created by the caller with the usual permissions, unlike mkstemp's 0600)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def export_sqlite(path: Path, tables_dir: Path | None = None) -> dict[str, int]:
    """Write every published table to the SQLite file ``path`` (replaced atomically); returns row counts.

    ``tables_dir``: folder of ``<table>.parquet`` files (default: the installed package's tables)."""
    path = Path(path)
    tables = {name: read_table(name, tables_dir) for name in TABLES}
    version = data_version(tables_dir)
    tmp = _temp_name(path)
    try:
        conn = sqlite3.connect(tmp)
        try:
            # rows are inserted in table order, not dependency order: check the keys once at the end
            counts = _write(conn, tables, version)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                t, rowid, target, _ = broken[0]
                raise ExportError(f"{len(broken)} rows point at missing rows (first: {t} row {rowid} → "
                                  f"{target}); rebuild the tables with `vn-la-security build`")
            conn.commit()
        finally:
            conn.close()
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
