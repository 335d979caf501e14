"""SQLite export: tables, keys, indexes, diacritic-blind search, atomic writes, Datasette metadata, CLI."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fixture_tables import SECOND_MEETING, build_tables, explore_records

from vn_la_security.cli import main
from vn_la_security.export_sqlite import (
    CANNED_QUERIES, FOLDED_COLUMN, SEARCH_COLUMNS, TOKENIZER, ExportError, datasette_metadata, export_sqlite,
    fts_table_name, metadata_path, search_table_name, write_metadata,
)
from vn_la_security.models import TABLES
from vn_la_security.schemas import columns


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return build_tables(tmp_path_factory.mktemp("pkg"), explore_records())


@pytest.fixture(scope="module")
def db(tables_dir, tmp_path_factory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("out") / "vn_la_security.db"
    export_sqlite(path, tables_dir)
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def search(conn: sqlite3.Connection, table: str, text: str) -> list[str]:
    """Primary keys of the rows Datasette's ``?_search=text`` shows (each word quoted, as Datasette does)."""
    fts = fts_table_name(table)
    match = " ".join(f'"{w}"' for w in text.split())
    pk = TABLES[table].primary_key[0]
    sql = f"select {pk} from {table} where rowid in (select rowid from {fts} where {fts} match ?) order by 1"
    return [r[0] for r in conn.execute(sql, (match,))]


def test_every_table_with_all_rows_and_columns(db, tables_dir):
    for name, table in TABLES.items():
        expected = pq.read_table(tables_dir / f"{name}.parquet").num_rows
        assert db.execute(f"select count(*) from {name}").fetchone()[0] == expected, name
        cols = [r[1] for r in db.execute(f"pragma table_info({name})")]
        assert cols == [c[0] for c in columns(table)]
    assert db.execute("select count(*) from meetings").fetchone()[0] == 2
    info = dict(db.execute("select key, value from dataset_info"))
    assert info["license"] == "CC BY 4.0" and re.fullmatch(r"\d+\.\d+\.\d+", info["data_version"])


def test_primary_and_foreign_keys_and_indexes(db):
    for name, table in TABLES.items():
        pk = sorted((r[5], r[1]) for r in db.execute(f"pragma table_info({name})") if r[5])
        assert tuple(c for _, c in pk) == table.primary_key, name
        fks = {(r[3], r[2], r[4]) for r in db.execute(f"pragma foreign_key_list({name})")}
        assert fks == set(table.foreign_keys), name
        indexed = {db.execute(f"pragma index_info('{r[1]}')").fetchone()[2]
                   for r in db.execute(f"pragma index_list({name})")}
        for column, _, _ in table.foreign_keys:
            assert column in indexed, (name, column)
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_values_are_plain_sqlite_types(db):
    aliases, = db.execute("select aliases from people where person_id = 'vilay-lakhamphong'").fetchone()
    assert json.loads(aliases) == ["Vilay Lakhamfong", "Vi-lay Lạ-khăm-phong"]
    row = db.execute("select date_start, date_precision, typeof(session) from meetings "
                     "where meeting_id = '2024-08-27-talks-vientiane'").fetchone()
    assert row == ("2024-08-27", "day", "null")
    assert db.execute("select demotion, disputed from ranks limit 1").fetchone() == (0, 0)
    assert db.execute("select quantity from project_updates").fetchone() == (10,)


def test_constraints_reject_bad_rows(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into meetings (meeting_id, date, date_start, date_end, date_precision, country, "
                   "meeting_type, title_en, summary_en) values ('x', '2024', '2024-01-01', '2024-12-31', 'year', "
                   "'VN', 'picnic', 't', 's')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into people (person_id, name, name_ascii, country) values ('luong-tam-quang', 'a', 'a', 'VN')")


def test_compound_keys_and_an_index_led_by_every_key_column(db):
    compound = [t for t in TABLES.values() if len(t.primary_key) > 1]
    assert {t.name for t in compound} >= {"participants", "signatories", "organization_names"}
    for table in TABLES.values():
        leading = {db.execute(f"pragma index_info('{r[1]}')").fetchone()[2]
                   for r in db.execute(f"pragma index_list({table.name})")}
        # every foreign-key column and every key column after the first can be looked up by an index
        assert {c for c, _, _ in table.foreign_keys} | set(table.primary_key) <= leading, table.name


def test_codes_and_booleans_are_enforced(tables_dir, tmp_path):
    path = tmp_path / "x.db"
    export_sqlite(path, tables_dir)
    conn = sqlite3.connect(path)
    cols = [c[0] for c in columns(TABLES["meetings"])]
    good = dict(zip(cols, conn.execute("select * from meetings limit 1").fetchone()))

    def insert(table: str, row: dict) -> None:
        conn.execute(f"insert into {table} ({', '.join(row)}) values ({', '.join('?' for _ in row)})",
                     tuple(row.values()))

    insert("meetings", {**good, "meeting_id": "x-good"})          # a complete row with valid codes goes in
    for bad in ({"meeting_type": "picnic"}, {"date_precision": "week"}, {"level": "global"}):
        with pytest.raises(sqlite3.IntegrityError, match="outside its column's codes"):
            insert("meetings", {**good, "meeting_id": "x-bad", **bad})
    with pytest.raises(sqlite3.IntegrityError, match="outside its column's codes"):
        conn.execute("update meetings set meeting_type = 'picnic' where meeting_id = 'x-good'")
    insert("meetings", {**good, "meeting_id": "x-no-level", "level": None})   # NULL is allowed where optional
    rank_cols = [c[0] for c in columns(TABLES["ranks"])]
    rank = dict(zip(rank_cols, conn.execute("select * from ranks limit 1").fetchone()))
    with pytest.raises(sqlite3.IntegrityError, match="booleans are 0 or 1"):
        insert("ranks", {**rank, "rank_id": "r-bad", "disputed": 2})
    conn.close()


def test_search_tables_use_fts5_with_the_diacritic_blind_tokenizer(db):
    meta = datasette_metadata("x")["databases"]["x"]["tables"]
    for table, cols in SEARCH_COLUMNS.items():
        fts = fts_table_name(table)
        sql, = db.execute("select sql from sqlite_master where name = ?", (fts,)).fetchone()
        assert "USING FTS5" in sql and f"tokenize='{TOKENIZER}'" in sql, table
        assert [r[1] for r in db.execute(f"pragma table_info({fts})")] == [*cols, FOLDED_COLUMN]
        # the search table has one row per row of the table, at the same rowid
        assert (db.execute(f"select count(*) from {table} t join {search_table_name(table)} s on s.id = t.rowid")
                .fetchone() == db.execute(f"select count(*) from {table}").fetchone())
        assert meta[table]["fts_table"] == fts and meta[search_table_name(table)] == {"hidden": True}
    # nothing else: the published tables, dataset_info, the search tables and their FTS5 tables
    names = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
    fts_names = {fts_table_name(t) for t in SEARCH_COLUMNS}
    shadow = {n for n in names if any(n.startswith(f + "_") for f in fts_names)}
    assert names - shadow == {*TABLES, "dataset_info", *map(search_table_name, SEARCH_COLUMNS), *fts_names}


def _copy(tables_dir: Path, dest: Path) -> Path:
    dest.mkdir()
    for f in tables_dir.iterdir():
        (dest / f.name).write_bytes(f.read_bytes())
    return dest


def test_bad_tables_are_clear_errors_and_keep_the_old_file(tables_dir, tmp_path, capsys):
    out = tmp_path / "x.db"
    out.write_bytes(b"old")
    corrupt = _copy(tables_dir, tmp_path / "corrupt")
    (corrupt / "people.parquet").write_bytes(b"not parquet")
    with pytest.raises(ExportError, match=r"cannot read .*people.parquet"):
        export_sqlite(out, corrupt)
    short = _copy(tables_dir, tmp_path / "short")
    pq.write_table(pq.read_table(short / "meetings.parquet").drop(["title_en"]), short / "meetings.parquet")
    with pytest.raises(ExportError, match="meetings has no column title_en"):
        export_sqlite(out, short)
    bad_code = _copy(tables_dir, tmp_path / "bad_code")
    meetings = pq.read_table(bad_code / "meetings.parquet")
    column = meetings.schema.get_field_index("meeting_type")
    picnic = pa.array(["picnic"] * meetings.num_rows, meetings.schema.field(column).type)
    pq.write_table(meetings.set_column(column, meetings.schema.field(column), picnic), bad_code / "meetings.parquet")
    with pytest.raises(ExportError, match="cannot export meetings"):
        export_sqlite(out, bad_code)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad_code", "corrupt", "short", "x.db"]
    for folder in (corrupt, short, bad_code):
        assert main(["export", "sqlite", str(out), "--tables", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("vn-la-security: error:") == 3


def test_search_ignores_diacritics_case_and_d_stroke(db):
    assert search(db, "people", "Luong Tam Quang") == ["luong-tam-quang"]
    assert search(db, "people", "lương tam quang") == ["luong-tam-quang"]
    assert search(db, "people", "lakhamfong") == ["vilay-lakhamphong"]          # alias
    assert search(db, "people", "Vi-lay La-kham-phong") == ["vilay-lakhamphong"]  # alias, hyphenated
    assert search(db, "meetings", "Vien Chan") == [SECOND_MEETING]
    assert search(db, "meetings", "viên chăn") == [SECOND_MEETING]
    assert search(db, "meetings", "vientiane") == ["2024-08-27-talks-vientiane"]
    # đ has no decomposition: only the folded copy makes "Da Nang" find "Đà Nẵng", and both ways work
    assert search(db, "meetings", "Da Nang") == [SECOND_MEETING]
    assert search(db, "meetings", "Đà Nẵng") == [SECOND_MEETING]
    assert len(search(db, "citations", "dai tuong luong")) >= 1
    assert search(db, "meetings", "Hanoi") == []


def test_folded_copy_holds_folded_text(db):
    folded, = db.execute(f"select f.{FOLDED_COLUMN} from {fts_table_name('meetings')} f "
                         "join meetings m on m.rowid = f.rowid where m.meeting_id = ?", (SECOND_MEETING,)).fetchone()
    assert "da nang" in folded and "vien chan" in folded and folded == folded.lower()


def test_search_columns_exist_in_models():
    for table, cols in SEARCH_COLUMNS.items():
        assert set(cols) <= set(TABLES[table].row.model_fields), table


def test_replaces_atomically_and_keeps_old_file_on_failure(tables_dir, tmp_path):
    out = tmp_path / "x.db"
    out.write_bytes(b"old")
    export_sqlite(out, tables_dir)
    assert sqlite3.connect(out).execute("select count(*) from people").fetchone() == (2,)
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    assert out.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777   # usual permissions, not mkstemp's 0600
    plain.unlink()
    before = out.read_bytes()
    # a participant pointing at a person who is not there: the export refuses and leaves the file alone
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in tables_dir.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    people = pq.read_table(broken / "people.parquet")
    pq.write_table(people.slice(1), broken / "people.parquet")
    with pytest.raises(ExportError, match="missing rows"):
        export_sqlite(out, broken)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "x.db"]


def test_missing_table_is_a_clear_error(tables_dir, tmp_path):
    with pytest.raises(ExportError, match="no outlets.parquet in"):
        export_sqlite(tmp_path / "x.db", tmp_path)
    assert not (tmp_path / "x.db").exists()


def test_datasette_metadata_from_models(db):
    meta = datasette_metadata("vn_la_security", "1.2.3")
    assert meta["license"] == "CC BY 4.0" and "1.2.3" in meta["source"]
    tables = meta["databases"]["vn_la_security"]["tables"]
    for name, table in TABLES.items():
        assert tables[name]["description"] == table.row.__doc__.strip()
        for column, info in table.row.model_fields.items():
            assert tables[name]["columns"][column].startswith(info.description), (name, column)
    assert "talks, courtesy_call" in tables["meetings"]["columns"]["meeting_type"]
    fts = {t["fts_table"] for t in tables.values() if "fts_table" in t}
    existing = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
    assert fts and fts <= existing


def test_canned_queries_run(db):
    queries = datasette_metadata("x")["databases"]["x"]["queries"]
    assert set(queries) == set(CANNED_QUERIES)
    rows = db.execute(queries["meetings_of_person"]["sql"], {"person_id": "vilay-lakhamphong"}).fetchall()
    assert [r[0] for r in rows] == ["2024-08-27-talks-vientiane", SECOND_MEETING]
    hits = db.execute(queries["search_everything"]["sql"], {"q": "Luong"}).fetchall()
    assert ("people", "luong-tam-quang") in {(t, i) for t, i, _ in hits}


def test_who_held_a_post_on_a_date(tables_dir, tmp_path):
    path = tmp_path / "x.db"
    export_sqlite(path, tables_dir)
    conn = sqlite3.connect(path)
    sql = CANNED_QUERIES["held_post_on_date"][2]

    def held(day: str) -> list[str]:
        return sorted(r[0] for r in conn.execute(sql, {"role": "minister", "date": day}))

    assert held("2024-08-27") == ["luong-tam-quang", "vilay-lakhamphong"]
    assert held("2024-09-15") == []      # nothing attests it after the meeting
    insert = ("insert into positions (position_id, person_id, org_id, role, role_label, date, date_start, "
              "date_end, date_precision, date_basis, basis, disputed) values (?, 'luong-tam-quang', 'vn-mps', 'minister', "
              "'Bộ trưởng', ?, ?, ?, 'day', 'printed', ?, 0)")
    conn.execute(insert, ("p-later", "2024-12-01", "2024-12-01", "2024-12-01", "attested"))
    assert held("2024-09-15") == ["luong-tam-quang"]   # bracketed by two attestations
    conn.execute(insert, ("p-end", "2024-10-01", "2024-10-01", "2024-10-01", "ended"))
    assert held("2024-09-15") == ["luong-tam-quang"]   # the end comes after the day
    assert held("2024-10-15") == []                    # ended between


def test_cli_export_writes_db_and_metadata(tables_dir, tmp_path, capsys):
    out = tmp_path / "data.db"
    assert main(["export", "sqlite", str(out), "--tables", str(tables_dir)]) == 0
    meta = json.loads(metadata_path(out).read_text(encoding="utf-8"))
    assert "data" in meta["databases"]
    assert sqlite3.connect(out).execute("select count(*) from meetings").fetchone() == (2,)
    assert "data.metadata.json" in capsys.readouterr().err


def test_cli_export_usage_errors(tables_dir, tmp_path, capsys):
    assert main(["export", "sqlite", str(tmp_path / "nope" / "x.db"), "--tables", str(tables_dir)]) == 2
    assert main(["export", "sqlite", str(tmp_path / "x.db"), "--tables", str(tmp_path / "missing")]) == 2
    assert main(["export", "sqlite", str(tmp_path / "x.db"), "--tables", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("vn-la-security: error:") == 3


def test_write_metadata_names_the_database_after_the_file(tables_dir, tmp_path):
    path = write_metadata(tmp_path / "my.db", tables_dir)
    assert path.name == "my.metadata.json"
    assert list(json.loads(path.read_text(encoding="utf-8"))["databases"]) == ["my"]


def test_explore_without_datasette_says_what_to_install(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else real(name, *a))
    assert main(["explore"]) == 2
    assert "pip install 'vn-la-security[explore]'" in capsys.readouterr().err


def test_explore_refuses_a_busy_port(tables_dir, capsys):
    import socket

    pytest.importorskip("datasette")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["explore", "--port", str(port), "--tables", str(tables_dir)]) == 2
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err
