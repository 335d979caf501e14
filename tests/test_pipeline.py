"""The published tables: order, CSV bytes (an independent csv-module oracle) and Parquet content."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fixtures import load_script

from vn_la_security import build
from vn_la_security.models import TABLES
from vn_la_security.validate import validate


def _synth(n: int, out: Path) -> Path:
    return load_script("synth").generate(n, seed=3, out=out)


def _break_some_files(root: Path) -> None:
    """A YAML error, model errors, a misnamed duplicate and a dangling reference: located diagnostics of
    every layer (file, model, rules)."""
    meetings = sorted((root / "data" / "meetings").rglob("*.yaml"))
    meetings[0].write_text(meetings[0].read_text(encoding="utf-8") + "title_en: [unclosed\n", encoding="utf-8")
    text = meetings[1].read_text(encoding="utf-8")
    meetings[1].write_text(text.replace("meeting_type:", "meeting_kind:", 1), encoding="utf-8")
    people = sorted((root / "data" / "people").glob("*.yaml"))
    dup = people[0].read_text(encoding="utf-8")
    (root / "data" / "people" / "zz-copy.yaml").write_text(dup, encoding="utf-8")
    text = meetings[2].read_text(encoding="utf-8")
    person = next(line.split(":", 1)[1].strip() for line in text.splitlines() if "person_id:" in line)
    meetings[2].write_text(text.replace(person, "no-such-person", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    root = _synth(40, tmp_path_factory.mktemp("synth") / "d")
    _break_some_files(root)
    return root


def _reference_order(table: str, rows: list) -> list:
    """The published order, written out independently: a stable sort on the key columns as text; of
    citations with the same ID only the first is kept."""
    pk = TABLES[table].primary_key
    seen, out = set(), []
    for row in sorted(rows, key=lambda r: tuple(str(getattr(r, c)) for c in pk)):
        key = tuple(getattr(row, c) for c in pk)
        if table == "citations" and key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out


def _reference_csv(table: str, rows: list) -> bytes:
    """Python's csv module over ``_cell`` values, written out independently of build.write_table."""
    columns = list(TABLES[table].row.model_fields)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in _reference_order(table, rows):
        writer.writerow([build._cell(getattr(row, c)) for c in columns])
    return buf.getvalue().encode("utf-8")


def test_published_tables_are_in_order_and_parquet_matches_csv(broken, tmp_path):
    import pyarrow.parquet as pq

    v = validate(broken)
    for name in ("citations", "participants", "ranks", "meetings"):
        assert len(v.dataset.rows[name]) > 7
        count, files = build.write_table(name, v.dataset.rows[name], tmp_path)
        assert (tmp_path / f"{name}.csv").read_bytes() == _reference_csv(name, v.dataset.rows[name])
        expected = [{c: getattr(r, c) for c in TABLES[name].row.model_fields}
                    for r in _reference_order(name, v.dataset.rows[name])]
        pf = pq.ParquetFile(tmp_path / f"{name}.parquet")
        assert count == len(expected) and pf.read().to_pylist() == expected
        assert b"pandas" not in (pf.metadata.metadata or {})
