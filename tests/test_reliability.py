"""Hostile input, faults and nothing lost (docs/reliability.md maps each guarantee to a test here)."""
from __future__ import annotations

import pytest

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import yaml
from fixtures import CHILD_PRELUDE, base_records, cite_stating, write_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vn_la_security import build
from vn_la_security.validate import validate

FUZZ_EXAMPLES = int(os.environ.get("VN_LA_SECURITY_FUZZ_EXAMPLES", "150"))
TODAY = dt.date(2026, 1, 1)


# --- ID lifecycle ---------------------------------------------------------------------------------
def test_removed_published_id_needs_a_tombstone(root, cli):
    assert cli("build", "--root", root)[0] == 0
    assert (root / "data/published-ids.txt").read_text().count("\n") == 9
    (root / "data/projects/village-offices.yaml").unlink()
    v = validate(root)
    e400 = [d for d in v.diagnostics if d.code == "E400"]
    assert len(e400) == 1 and e400[0].path == "data/published-ids.txt" and "village-offices" in e400[0].message
    assert cli("build", "--root", root)[0] == 1  # nothing written while it fails
    (root / "data/tombstones.yaml").write_text(
        "- table: projects\n  id: village-offices\n  replaced_by: null\n  reason: duplicate of another record\n")
    assert [d.code for d in validate(root).diagnostics] == []
    assert cli("build", "--root", root)[0] == 0
    assert "village-offices" not in (root / "data/published-ids.txt").read_text()


def test_tombstoned_id_cannot_be_reused(root):
    (root / "data/tombstones.yaml").write_text("- {table: people, id: luong-tam-quang, reason: test}\n")
    assert "E402" in [d.code for d in validate(root).diagnostics]


@pytest.mark.parametrize("name", ["published-ids.txt", "tombstones.yaml"])
@pytest.mark.parametrize("kind", ["symlink to /etc/passwd", "symlink to /dev/zero", "fifo", "folder", "oversized"])
def test_lifecycle_files_must_be_regular_files_within_a_size_cap(root, cli, name, kind):
    from vn_la_security import lifecycle

    path = root / "data" / name
    if kind.startswith("symlink"):
        path.symlink_to(kind.split(" to ")[1])
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"x" * (lifecycle.MAX_BYTES[Path("data") / name] + 1))
    code, out, err = cli("validate", "--root", root)   # returns: a FIFO or /dev/zero is never read
    assert code == 1 and "internal error" not in err
    assert out.startswith(f"data/{name}:1:1: E602 {name} ") and len(out.splitlines()) == 1
    assert "root:" not in out


def test_lifecycle_lines_are_checked_and_never_echoed(root, cli):
    (root / "data/published-ids.txt").write_bytes(b"people\tluong-tam-quang\n\x1b]0;owned\x07::error::x\n"
                                                  b"nonsense\tid\npeople\tBad_ID\n\xff\xfe\n")
    code, out, _ = cli("validate", "--root", root)
    assert code == 1
    assert "\x1b" not in out and "owned" not in out and "nonsense" not in out and "Bad_ID" not in out
    problems = [ln for ln in out.splitlines() if ln.startswith("data/published-ids.txt:")]
    assert [ln.split(":")[1] for ln in problems] == ["1"] and "E602 is not UTF-8" in problems[0]
    (root / "data/published-ids.txt").write_bytes(b"people\tluong-tam-quang\n\x1b]0;owned\x07::error::x\n"
                                                  b"nonsense\tid\npeople\tBad_ID\npeople\tluong-tam-quang\r\n")
    code, out, _ = cli("validate", "--root", root)
    lines = [ln for ln in out.splitlines() if ln.startswith("data/published-ids.txt:")]
    assert [ln.split(":")[1] for ln in lines] == ["2", "3", "4", "5"]
    assert all("E602 line is not <table><TAB><id>" in ln for ln in lines) and "owned" not in out


# --- input limits -------------------------------------------------------------------------------------
def test_oversized_file_is_rejected(root):
    (root / "data/people/big.yaml").write_text("note: '" + "x" * 1_100_000 + "'\n")
    d = [d for d in validate(root).diagnostics if d.path == "data/people/big.yaml"]
    assert d and d[0].code == "E004" and "at most" in d[0].message


def test_path_outside_data_is_refused(root, cli, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("person_id: x\n")
    code, out, _ = cli("validate", "--root", root, outside)
    assert code == 1 and "E005" in out


def test_missing_archive_is_a_usage_error(root, cli):
    code, out, err = cli("validate", "--root", root, "--archive", root / "nope")
    assert code == 2 and "archive" in err and "Traceback" not in err


# --- fuzzing: the validator answers with diagnostics, never an exception ------------------------------
def _mutations():
    leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                     st.text(max_size=20), st.just("2023-02-30"), st.just("=1+1"), st.just("a\u200bb"),
                     st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
    return leaf


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _set(obj, path, value):
    for step in path[:-1]:
        obj = obj[step]
    obj[path[-1]] = value


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_records_give_clean_diagnostics(tmp_path_factory, data):
    records = base_records()
    rel = data.draw(st.sampled_from(sorted(records)))
    record = records[rel]
    paths = [p for p in _paths(record) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        if data.draw(st.booleans()):
            _set(record, path, data.draw(_mutations()))
        else:
            parent = record
            for step in path[:-1]:
                parent = parent[step]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        paths = [p for p in _paths(record) if p]
        if not paths:
            break
    root = tmp_path_factory.mktemp("fuzz")
    write_dataset(root, records)
    v = validate(root, today=TODAY)          # must not raise
    for d in v.diagnostics:
        assert d.line >= 1 and d.col >= 1 and d.code[0] in "EW" and d.message


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                      st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=10)),
                                   lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                                   max_leaves=10).map(lambda o: yaml.safe_dump(o))))
def test_arbitrary_yaml_gives_clean_diagnostics(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("yaml")
    write_dataset(root)
    (root / "data/meetings/2024/junk.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    v = validate(root, today=TODAY)
    assert any(d.path.endswith("junk.yaml") for d in v.errors)


# --- nothing lost -------------------------------------------------------------------------------------
def _big_dataset(root: Path, n: int) -> None:
    records = base_records()
    for i in range(n):
        mid = f"2023-01-{1 + i % 28:02d}-m{i}"
        m = dict(records["meetings/2024/2024-08-27-talks-vientiane.yaml"], meeting_id=mid, date=mid[:10],
                 title_en=f"Meeting {i}", participants=[], cite=cite_stating(mid[:10]))
        records[f"meetings/2023/{mid}.yaml"] = m
    write_dataset(root, records)


def _loadable(tables: Path) -> None:
    env = dict(os.environ, VN_LA_SECURITY_TABLES=str(tables))
    # os._exit: skip interpreter teardown, where pyarrow's thread pool has aborted under heavy load (not a data issue)
    code = ("import os, vn_la_security as v; v.verify(); [v.load(n, backend='arrow') for n in v.api.TABLE_NAMES]; "
            "print('ok', flush=True); os._exit(0)")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                          cwd="/")
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_two_builds_at_once_do_not_corrupt_each_other(tmp_path):
    _big_dataset(tmp_path, 200)
    cli = CHILD_PRELUDE + "\nimport sys; from vn_la_security import cli; sys.exit(cli.main(sys.argv[1:]))"
    cmd = [sys.executable, "-c", cli, "build", "--root", str(tmp_path)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        p.wait(timeout=120)
        assert p.returncode == 0, p.stderr.read()
    _loadable(tmp_path / build.TABLES_DIR)
    check = subprocess.run([*cmd, "--check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout


def test_no_traceback_on_internal_problem(root, cli, monkeypatch):
    from vn_la_security import validate as validate_module

    def boom(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(validate_module, "validate", boom)
    code, out, err = cli("validate", "--root", root)
    assert code == 2 and "internal error" in err and "Traceback" not in err
