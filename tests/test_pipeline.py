"""The fast paths of the pipeline give the same results as the plain ones: worker processes, the per-file
result cache, and the column-wise CSV writer."""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vn_la_security import build, cache, validate as validate_module
from vn_la_security.models import TABLES
from vn_la_security.tables import ROW_TYPES
from vn_la_security.validate import validate

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "synth.py"


def _synth(n: int, out: Path) -> Path:
    spec = importlib.util.spec_from_file_location("synth", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n, seed=3, out=out)


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


def test_worker_processes_give_the_single_process_result(broken):
    one = validate(broken, jobs=1, cache=False)
    two = validate(broken, jobs=2, cache=False)
    assert {d.code for d in one.errors} == {"E001", "E101", "E102", "E201", "E006", "E200"}
    assert _snapshot(one) == _snapshot(two)
    # problems found by the rules are located by re-reading the file
    dangling = [d for d in two.errors if d.code == "E201"]
    assert dangling and all(d.line > 1 for d in dangling)


def test_the_cache_reuses_unchanged_files_and_reparses_changed_ones(broken, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    parsed: list[str] = []
    real = validate_module.load_record

    def counting(source, data=None):
        parsed.append(source.path)
        return real(source, data)

    monkeypatch.setattr(validate_module, "load_record", counting)
    plain = validate(broken, jobs=1, cache=False)
    files = len(parsed)
    parsed.clear()

    first = validate(broken, jobs=1, cache=True)
    assert len(parsed) == files and list((tmp_path / "cache").glob("results-*.pickle"))
    parsed.clear()
    second = validate(broken, jobs=1, cache=True)
    assert parsed == []
    assert _snapshot(first) == _snapshot(second) == _snapshot(plain)

    # an edit is seen: the file is parsed again and its new problem reported
    target = sorted((broken / "data" / "sources").glob("*.yaml"))[0]
    original = target.read_bytes()
    try:
        target.write_text(original.decode() + "surprise: 1\n", encoding="utf-8")
        third = validate(broken, jobs=1, cache=True)
        assert parsed == [target.relative_to(broken).as_posix()]
        assert any(d.code == "E102" and d.path == parsed[0] for d in third.errors)
    finally:
        target.write_bytes(original)
    parsed.clear()
    assert _snapshot(validate(broken, jobs=1, cache=True)) == _snapshot(plain)
    assert len(parsed) == 1


def test_a_damaged_foreign_or_unwritable_cache_is_ignored(broken, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    plain = _snapshot(validate(broken, jobs=1, cache=False))
    validate(broken, jobs=1, cache=True)
    [path] = folder.glob("results-*.pickle")
    for damage in (path.read_bytes()[: len(path.read_bytes()) // 2], b"not a pickle", b""):
        path.write_bytes(damage)
        assert _snapshot(validate(broken, jobs=1, cache=True)) == plain
    # written by other code: its fingerprint differs, so nothing is reused
    monkeypatch.setattr(cache, "_fingerprint", lambda root: b"other code")
    parsed = []
    real = validate_module.load_record
    monkeypatch.setattr(validate_module, "load_record", lambda s, d=None: parsed.append(s) or real(s, d))
    assert _snapshot(validate(broken, jobs=1, cache=True)) == plain and parsed
    # a cache folder that cannot be created is not an error
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert _snapshot(validate(broken, jobs=1, cache=True)) == plain
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert cache.cache_folder() is None


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
    "rank_label": TRICKY, "date": TRICKY, "date_start": DATES, "date_end": DATES, "date_precision": MAYBE,
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


def test_cli_jobs_and_cache_options(broken, cli, monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    one = cli("validate", "--root", broken, "--jobs", "1", "--no-cache")
    two = cli("validate", "--root", broken, "--jobs", "2")
    assert one[0] == two[0] == 1 and one[1] == two[1] and "E201" in one[1]
    assert not (tmp_path / "cache").exists()   # 40 meetings: below the size where the cache is used
    with pytest.raises(SystemExit) as exc:
        cli("validate", "--root", broken, "--jobs", "0")
    assert exc.value.code == 2
    monkeypatch.setenv("VN_LA_SECURITY_JOBS", "many")
    code, _, err = cli("validate", "--root", broken)
    assert code == 2 and "VN_LA_SECURITY_JOBS" in err


def test_writing_in_batches_changes_nothing_but_the_parquet_row_groups(broken, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    v = validate(broken, jobs=1, cache=False)
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
