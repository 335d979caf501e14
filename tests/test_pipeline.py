"""The column-wise CSV writer gives the bytes of Python's csv module."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from fixtures import load_script
from hypothesis import given, settings
from hypothesis import strategies as st

from vn_la_security import build
from vn_la_security.derive import ROW_TYPES
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


def _snapshot(v) -> tuple:
    origins = {t: [(o.path, o.yaml_path) for o in found] for t, found in v.dataset.origins.items()}
    return v.diagnostics, v.dataset.rows, origins, v.dataset.archive_names, v.loaded.files


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
    """What build wrote before it used Arrow: Python's csv module over ``_cell`` values."""
    columns = list(TABLES[table].row.model_fields)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in _reference_order(table, rows):
        writer.writerow([build._cell(getattr(row, c)) for c in columns])
    return buf.getvalue().encode("utf-8")


TRICKY = st.text(alphabet=st.sampled_from(list('ab ,"\r\n|\'ệ\u0300\t;')), max_size=8)
MAYBE = st.none() | TRICKY
DATES = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(max_examples=60, deadline=None)
@given(orgs=st.lists(st.fixed_dictionaries({
    "org_id": st.text(alphabet="abc-", min_size=1, max_size=3), "name_vi": TRICKY, "name_en": MAYBE,
    "name_lo": MAYBE, "country": st.sampled_from(["VN", "LA"]), "org_type": st.sampled_from(["ministry", "police"]),
    "parent_org_id": MAYBE, "predecessor_org_id": MAYBE, "aliases": st.lists(TRICKY, max_size=3), "note": MAYBE,
}), max_size=8), ranks=st.lists(st.fixed_dictionaries({
    "rank_id": st.text(alphabet="ab", min_size=1, max_size=2), "person_id": TRICKY, "rank": TRICKY,
    "rank_label": TRICKY, "date": TRICKY, "date_start": DATES, "date_end": DATES, "date_precision": MAYBE, "date_basis": MAYBE,
    "basis": TRICKY, "meeting_id": MAYBE, "demotion": st.booleans(), "disputed": st.booleans(), "note": MAYBE,
}), max_size=8), cites=st.lists(st.fixed_dictionaries({
    "citation_id": st.sampled_from(["c-1", "c-2", "c-3"]), "record_table": TRICKY, "record_id": TRICKY,
    "field": MAYBE, "source_id": TRICKY, "quote": TRICKY, "quote_en": MAYBE,
}), max_size=8))
def test_arrow_csv_is_byte_identical_to_the_csv_module(orgs, ranks, cites):
    for table, values in (("organizations", orgs), ("ranks", ranks), ("citations", cites)):
        rows = [ROW_TYPES[table](**v) for v in values]
        tbl = build.arrow_table(table, rows)
        assert build.csv_bytes(tbl) == _reference_csv(table, rows)
        assert tbl.num_rows == len(_reference_order(table, rows))   # identical citations merged, others kept


def test_writing_in_batches_changes_nothing_but_the_parquet_row_groups(broken, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    v = validate(broken)
    whole, batched = tmp_path / "whole", tmp_path / "batched"
    whole.mkdir()
    batched.mkdir()
    for name in ("citations", "participants", "ranks", "meetings"):
        assert len(v.dataset.rows[name]) > 7
        monkeypatch.setattr(build, "BATCH_ROWS", 10**9)
        n_whole, files_whole = build.write_table(name, v.dataset.rows[name], whole)
        monkeypatch.setattr(build, "BATCH_ROWS", 7)
        n_batched, files_batched = build.write_table(name, v.dataset.rows[name], batched)
        assert n_whole == n_batched == pq.ParquetFile(batched / f"{name}.parquet").metadata.num_rows
        assert files_whole[f"{name}.csv"] == files_batched[f"{name}.csv"]   # same bytes and hash
        assert (whole / f"{name}.csv").read_bytes() == build.csv_bytes(build.arrow_table(name, v.dataset.rows[name]))
        a, b = pq.read_table(whole / f"{name}.parquet"), pq.read_table(batched / f"{name}.parquet")
        assert pq.ParquetFile(batched / f"{name}.parquet").metadata.num_row_groups == -(-n_batched // 7)
        assert a.schema.equals(b.schema) and a.to_pylist() == b.to_pylist()
