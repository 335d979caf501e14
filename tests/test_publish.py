"""Publishing and loading under attack and faults: hostile Parquet metadata, edited descriptors, a hostile
tables folder, kills between the publish steps, SIGTERM, hand-written files; the typed loader API."""
from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from fixtures import CHILD_PRELUDE

from vn_la_security import api, build, catalog
from vn_la_security.models import TABLES
from vn_la_security.schemas import arrow_schema, catalog_source
from vn_la_security.validate import validate

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 1, 1)


def _built(root: Path) -> Path:
    v = validate(root, today=TODAY)
    assert not v.errors
    build.publish(root, build.render(v.dataset, root))
    return root / build.TABLES_DIR


def _rehash(root: Path, table_file: str) -> None:
    """Update the file's hash (and bytes) in both descriptors, as an attacker would."""
    data = (root / build.TABLES_DIR / table_file).read_bytes()
    for desc in (root / build.DESCRIPTOR, root / build.TABLES_DIR / "datapackage.json"):
        d = json.loads(desc.read_text())
        for r in d["resources"]:
            if r["path"].endswith(table_file):
                r["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
                if "bytes" in r:
                    r["bytes"] = len(data)
        desc.write_text(json.dumps(d))


# --- issue 12 item 1: hostile Parquet metadata, edited descriptors ------------------------------------
def test_parquet_with_hostile_pandas_metadata_is_reported_and_loads_right(root, cli, monkeypatch_env):
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = _built(root)
    path = tables / "projects.parquet"
    table = pq.read_table(path)
    meta = pa.Table.from_pandas(table.to_pandas(), preserve_index=False).schema.pandas_metadata
    for col in meta["columns"]:   # swap the two organisations' names
        col["name"] = {"funder_org_id": "beneficiary_org_id", "beneficiary_org_id": "funder_org_id"}.get(col["name"],
                                                                                                       col["name"])
    hostile = table.replace_schema_metadata({b"pandas": json.dumps(meta).encode()})
    pq.write_table(hostile, path, compression="zstd")
    assert pq.read_table(path).to_pandas()["funder_org_id"].iloc[0] == "la-mps"   # the attack works on pandas
    _rehash(root, "projects.parquet")
    code, out, _ = cli("build", "--check", "--root", root)
    assert code == 1 and "projects.parquet: differs from a fresh build" in out
    monkeypatch_env(str(tables))
    assert api.verify()["projects"] == "ok"               # the hashes were updated: only content tells
    projects = api.load_projects()
    assert (projects["funder_org_id"].iloc[0], projects["beneficiary_org_id"].iloc[0]) == ("vn-mps", "la-mps")


def test_parquet_with_other_columns_or_types_is_refused(root, monkeypatch_env):
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = _built(root)
    monkeypatch_env(str(tables))
    path = tables / "projects.parquet"
    table = pq.read_table(path)
    for bad in (table.rename_columns([*table.column_names[:-2], table.column_names[-1], table.column_names[-2]]),
                table.set_column(0, "project_id", pa.array([1] * len(table), pa.int64())),
                table.set_column(3, "project_type", pa.array(["bribery"] * len(table)).dictionary_encode())):
        pq.write_table(bad, path)
        _rehash(root, "projects.parquet")
        api.clear_cache()
        with pytest.raises(api.DataIntegrityError, match="projects.parquet"):
            api.load_projects(backend="arrow")


def test_check_confirms_descriptor_hashes_match_the_files(root, cli):
    _built(root)
    for desc in (root / build.DESCRIPTOR, root / build.TABLES_DIR / "datapackage.json"):
        original = desc.read_text()
        d = json.loads(original)
        d["resources"][-1]["hash"] = "sha256:" + "0" * 64   # a Parquet hash, which the content check ignores
        desc.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n")
        code, out, _ = cli("build", "--check", "--root", root)
        assert code == 1 and "do not match the file" in out
        desc.write_text(original)
    assert cli("build", "--check", "--root", root)[0] == 0


# --- issue 12 item 11: a hostile tables folder ---------------------------------------------------------
def _edit_resource(d: dict, **changes) -> dict:
    res = next(r for r in d["resources"] if r["name"] == "meetings-parquet")
    res.update(changes)
    return d


HOSTILE = {
    "dotdot": lambda d, t: _edit_resource(d, path="../outside.parquet"),
    "absolute": lambda d, t: _edit_resource(d, path=str(t / "meetings.parquet")),
    "subfolder": lambda d, t: _edit_resource(d, path="sub/meetings.parquet"),
    "path not a string": lambda d, t: _edit_resource(d, path=["meetings.parquet"]),
    "hash a number": lambda d, t: _edit_resource(d, hash=12),
    "resources not a list": lambda d, t: {**d, "resources": {"meetings-parquet": {}}},
    "resource not an object": lambda d, t: {**d, "resources": ["meetings-parquet"]},
    "not an object": lambda d, t: [d],
}


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_hostile_descriptor_gives_data_integrity_error(root, monkeypatch_env, attack):
    tables = _built(root)
    (tables.parent / "outside.parquet").write_bytes((tables / "meetings.parquet").read_bytes())
    desc = tables / "datapackage.json"
    desc.write_text(json.dumps(HOSTILE[attack](json.loads(desc.read_text()), tables)))
    monkeypatch_env(str(tables))
    with pytest.raises(api.DataIntegrityError):
        api.load_meetings()
    with pytest.raises(api.DataIntegrityError):
        api.verify()


@pytest.mark.parametrize("attack", ["deep json", "symlink out", "descriptor to /dev/zero", "fifo", "too big"])
def test_hostile_files_give_data_integrity_error(root, monkeypatch_env, tmp_path, attack):
    tables = _built(root)
    outside = tmp_path / "outside.parquet"
    outside.write_bytes((tables / "meetings.parquet").read_bytes())
    if attack == "deep json":
        (tables / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000)
    elif attack == "symlink out":
        (tables / "meetings.parquet").unlink()
        (tables / "meetings.parquet").symlink_to(outside)   # same bytes and hash, but outside the folder
    elif attack == "descriptor to /dev/zero":
        (tables / "datapackage.json").unlink()
        (tables / "datapackage.json").symlink_to("/dev/zero")
    elif attack == "fifo":
        (tables / "meetings.parquet").unlink()
        os.mkfifo(tables / "meetings.parquet")
    else:
        (tables / "datapackage.json").write_bytes(b" " * (api.MAX_DESCRIPTOR_BYTES + 1))
    monkeypatch_env(str(tables))
    with pytest.raises(api.DataIntegrityError):
        api.load_meetings()


# --- issue 12 item 9: kills between the publish steps, SIGTERM, stale spools, hand-written files -----
# A child process builds with os.rename / os.replace / shutil.rmtree counted while ``publish`` runs, and
# ends itself (os._exit, like SIGKILL: no cleanup) right before operation number STEP.
KILL_AT = CHILD_PRELUDE + r"""
import os, shutil, sys
from vn_la_security import build, cli
step, exchange = int(sys.argv[1]), sys.argv[2] == "1"
count = [0]
def counted(fn):
    def wrapper(*a, **k):
        if publishing[0]:
            count[0] += 1
            if count[0] == step:
                os._exit(9)
        return fn(*a, **k)
    return wrapper
publishing = [False]
os.rename, os.replace, shutil.rmtree = counted(os.rename), counted(os.replace), counted(shutil.rmtree)
if not exchange:
    build._exchange = lambda a, b: False      # as on macOS / BSD: the two-rename fallback
publish = build.publish
def watched(root, out):
    publishing[0] = True
    publish(root, out)
    publishing[0] = False
build.publish = watched
code = cli.main(["build", "--root", sys.argv[3]])
print("steps", count[0])
sys.exit(code)
"""


def _run_build(root: Path, step: int, exchange: bool) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILL_AT, str(step), "1" if exchange else "0", str(root)],
                          capture_output=True, text=True, timeout=120)


def _tables_seen_by_loader(tables: Path) -> dict[str, bytes]:
    env = dict(os.environ, VN_LA_SECURITY_TABLES=str(tables))
    # os._exit after the output is flushed: under heavy load pyarrow's worker threads can abort the
    # interpreter's shutdown ("terminate called without an active exception") after all the work is done
    code = ("import vn_la_security as v, json, sys, os; v.verify(); "
            "print(json.dumps({n: v.load(n, backend='arrow').to_pylist() for n in v.list_tables()}, default=str)); "
            "sys.stdout.flush(); os._exit(0)")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


PUBLISHED = (build.TABLES_DIR.parent, build.SCHEMAS_DIR, build.DESCRIPTOR, Path("data/published-ids.txt"))


def _save(root: Path, to: Path) -> Path:
    for rel in PUBLISHED:
        (to / rel).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (root / rel).is_dir() else shutil.copy2)(root / rel, to / rel)
    return to


def _restore(saved: Path, root: Path) -> None:
    for rel in PUBLISHED:
        shutil.rmtree(root / rel) if (root / rel).is_dir() else (root / rel).unlink()
        (shutil.copytree if (saved / rel).is_dir() else shutil.copy2)(saved / rel, root / rel)


@pytest.mark.parametrize("exchange", [True, False], ids=["rename-exchange", "two-renames"])
def test_kill_at_every_publish_step_leaves_old_or_new_and_the_next_build_repairs(root, cli, exchange, tmp_path):
    assert _run_build(root, 10**6, exchange).returncode == 0
    tables = root / build.TABLES_DIR
    old = _tables_seen_by_loader(tables)
    saved = _save(root, tmp_path / "saved")
    person = root / "data/people/luong-tam-quang.yaml"
    original = person.read_text()
    person.write_text(original.replace("Lương Tam Quang", "Lương Tam Quang (new)"))
    done = _run_build(root, 10**6, exchange)
    steps = int(done.stdout.split()[-1])
    new = _tables_seen_by_loader(tables)
    assert new != old and steps >= 4
    for step in range(1, steps + 1):
        _restore(saved, root)                                              # back to the old published state
        killed = _run_build(root, step, exchange)
        assert killed.returncode == 9, killed.stderr
        assert _tables_seen_by_loader(tables) in (old, new), f"mixed tables after a kill at step {step}"
        code, out, _ = cli("build", "--check", "--root", root)
        assert code == 1 or step == steps, f"kill at step {step}: build --check saw nothing wrong"
        assert _run_build(root, 10**6, exchange).returncode == 0           # the next build repairs
        assert cli("build", "--check", "--root", root)[0] == 0              # = the new tables
        assert not [p.name for p in (*root.iterdir(), *tables.parent.iterdir()) if p.name.startswith(".") and
                    ("build-tmp" in p.name or ".old-" in p.name)], f"leftovers after step {step}"


SIGTERM_DURING_RENDER = CHILD_PRELUDE + r"""
import os, signal, sys
from vn_la_security import build, cli
write = build.write_table
def write_then_term(name, rows, folder):
    if name == "meetings":
        os.kill(os.getpid(), signal.SIGTERM)
    return write(name, rows, folder)
build.write_table = write_then_term
sys.exit(cli.main(["build", "--root", sys.argv[1]]))
"""


def test_sigterm_during_a_build_leaves_no_spool_and_changes_nothing(root, cli):
    _built(root)
    before = {p: p.read_bytes() for p in sorted((root / build.TABLES_DIR).iterdir())}
    person = root / "data/people/luong-tam-quang.yaml"
    person.write_text(person.read_text().replace("Lương Tam Quang", "Lương Tam Quang (new)"))
    done = subprocess.run([sys.executable, "-c", SIGTERM_DURING_RENDER, str(root)], capture_output=True, timeout=120)
    assert done.returncode == 128 + 15, done.stderr
    assert not list(root.glob(".build-tmp-*"))
    assert {p: p.read_bytes() for p in sorted((root / build.TABLES_DIR).iterdir())} == before


def test_stale_spools_of_dead_processes_are_removed_by_the_next_build(root, cli):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = root / f".build-tmp-{dead.stdout.strip()}-abc"
    (stale / "tables").mkdir(parents=True)
    alive = root / f".build-tmp-{os.getppid()}-abc"   # a running process's spool is left alone
    alive.mkdir()
    assert cli("build", "--root", root)[0] == 0
    assert not stale.exists() and alive.exists()


def test_build_refuses_to_delete_hand_written_files(root, cli):
    _built(root)
    notes = [root / build.TABLES_DIR / "NOTES.md", root / "schemas" / "tables" / "my-view.json"]
    for p in notes:
        p.write_text("mine\n")
    snapshot = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "data" not in p.parts and p.name != ".build.lock"}
    path = root / "data/people/luong-tam-quang.yaml"
    path.write_text(path.read_text().replace("Lương Tam Quang", "Lương Tam Quang (x)"))
    code, _, err = cli("build", "--root", root)
    assert code == 2 and "NOTES.md" in err and "my-view.json" in err and "not produced by" in err
    after = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "data" not in p.parts and p.name != ".build.lock"}
    assert after == snapshot and not list(root.glob(".build-tmp-*"))


def test_build_module_needs_no_fcntl_and_says_so_without_a_lock(root, cli, monkeypatch):
    tree = ast.parse((REPO / "vn_la_security/build.py").read_text())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not any(a.name == "fcntl" for n in top for a in getattr(n, "names", []))
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    code, _, err = cli("build", "--root", root)
    assert code == 2 and "no file lock" in err


# --- issue 13 item 4 and issue 17 item 3: the typed loader API and pandas types ----------------------
def test_catalog_is_generated_from_the_models():
    assert (REPO / "vn_la_security/catalog.py").read_text(encoding="utf-8") == catalog_source(), \
        "vn_la_security/catalog.py is stale: run python scripts/gen_catalog.py"
    assert typing.get_args(catalog.TableName) == tuple(TABLES) == catalog.TABLE_NAMES
    assert api.list_tables() == list(TABLES)
    import vn_la_security

    for name, table in TABLES.items():
        loader = getattr(vn_la_security, f"load_{name}")
        assert all(f"        {col} : " in loader.__doc__ for col in table.row.model_fields)
        assert api.arrow_schema(name).equals(arrow_schema(table))   # equals ignores the descriptions


def test_pandas_types_rank_order_and_arrow_option(root, monkeypatch_env):
    import pandas as pd
    import pyarrow as pa

    monkeypatch_env(str(_built(root)))
    meetings = api.load_meetings()
    assert str(meetings["date_start"].dtype).startswith("datetime64")
    assert (meetings["date_start"] >= "2020-01-01").all() and meetings["date_start"].dt.year.iloc[0] == 2024
    assert list(meetings["meeting_type"].cat.categories) == list(catalog.COLUMNS["meetings"][8][3])
    assert str(meetings["session"].dtype) == "Int64"
    people = api.load_people()
    assert isinstance(people["aliases"].iloc[0], list)
    participants = api.load_participants()
    rank = participants["rank"]
    assert rank.cat.ordered and rank.cat.categories[-1] == "general"
    assert (rank > "colonel").all() and not (rank < "major").any()
    ranks = api.load_ranks()
    assert str(ranks["demotion"].dtype) == "boolean"
    arrow_typed = api.load_meetings(dtypes="arrow")
    assert arrow_typed["date_start"].dtype == pd.ArrowDtype(pa.date32())
    assert api.load_meetings(backend="polars")["date_start"].dtype.__class__.__name__ == "Date"
    with pytest.raises(ValueError, match="dtypes"):
        api.load_meetings(dtypes="numpy")  # type: ignore[arg-type]


def test_arrow_backend_never_imports_pandas(root):
    tables = _built(root)
    code = ("import sys, vn_la_security as v; [v.load(n, backend='arrow') for n in v.list_tables()]; "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, VN_LA_SECURITY_TABLES=str(tables)))
    assert done.stdout.strip() == "False", done.stderr


# --- issue 13 item 5: the sdist can rebuild and test -------------------------------------------------
def test_sdist_ships_what_rebuilding_and_testing_need(tmp_path):
    import tarfile

    pytest.importorskip("build")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    sdist = next(tmp_path.glob("*.tar.gz"))
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    for needed in ("LICENSE", "LICENSE-DATA", "CITATION.cff", "pyproject.toml", "MANIFEST.in",
                   "scripts/synth.py", "scripts/gen_catalog.py", "docs/performance.md", "tests/conftest.py",
                   "data/published-ids.txt", "vn_la_security/catalog.py", "vn_la_security/py.typed"):
        assert needed in names, needed
    assert any(n.startswith("data/meetings/") for n in names)
    assert sdist.name.startswith("vn_la_security-") and __import__("vn_la_security").__version__ in sdist.name
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "src", filter="data")
    unpacked = next((tmp_path / "src").iterdir())
    check = subprocess.run([sys.executable, "-m", "vn_la_security", "build", "--check", "--root", str(unpacked)],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]   # its published files are current
