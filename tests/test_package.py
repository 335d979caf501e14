"""End to end: build → frictionless → wheel → load from the installed wheel; API queries; repo checks."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from fixtures import cite

from vn_la_security import api, build
from vn_la_security.models import TABLES
from vn_la_security.schemas import generated_schema_files
from vn_la_security.validate import validate

VILAY = "Đại tướng Vilay Lakhamphong, Bộ trưởng Bộ Công an Lào"

REPO = Path(__file__).resolve().parents[1]


def _publish(root: Path) -> Path:
    v = validate(root, archive=root / "archive", today=dt.date(2026, 1, 1))
    assert not v.errors, [str(d) for d in v.errors]
    build.publish(root, build.render(v.dataset, root))
    return root / build.TABLES_DIR


def test_build_is_byte_reproducible_and_check_detects_drift(root, cli):
    assert cli("build", "--root", root)[0] == 0
    first = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "data" not in p.parts}
    assert cli("build", "--root", root)[0] == 0
    second = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "data" not in p.parts}
    assert first == second
    assert cli("build", "--check", "--root", root)[0] == 0
    path = root / "data/people/luong-tam-quang.yaml"
    path.write_text(path.read_text().replace("Lương Tam Quang", "Lương Tam Quang (x)"))
    code, out, err = cli("build", "--check", "--root", root)
    assert code == 1 and "people.csv: differs" in out


def test_failed_validation_writes_nothing(root, cli):
    (root / "data/people/broken.yaml").write_text("person_id: [\n")
    code, out, err = cli("build", "--root", root)
    assert code == 1 and "nothing written" in err and "broken.yaml:" in out
    assert not (root / "datapackage.json").exists() and not (root / build.TABLES_DIR).exists()


def test_frictionless_validates_the_package(root):
    frictionless = pytest.importorskip("frictionless")
    _publish(root)
    report = frictionless.validate(str(root / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_frictionless_catches_a_broken_foreign_key(root):
    frictionless = pytest.importorskip("frictionless")
    _publish(root)
    csv_path = root / build.TABLES_DIR / "participants.csv"
    csv_path.write_text(csv_path.read_text().replace("luong-tam-quang", "nobody"))
    descriptor = (root / "datapackage.json").read_text()
    import json
    d = json.loads(descriptor)
    for r in d["resources"]:
        r.pop("hash", None)
        r.pop("bytes", None)
    (root / "datapackage.json").write_text(json.dumps(d))
    assert not frictionless.validate(str(root / "datapackage.json")).valid


def test_descriptor_declares_keys_hashes_and_enums(root):
    import json
    _publish(root)
    d = json.loads((root / "datapackage.json").read_text())
    assert d["version"] and d["licenses"][0]["name"] == "CC-BY-4.0"
    res = {r["name"]: r for r in d["resources"] if r["format"] == "csv"}
    assert set(res) == set(TABLES) == set(api.TABLE_NAMES)
    parquet = {r["name"]: r for r in d["resources"] if r["format"] == "parquet"}
    assert set(parquet) == {f"{n}-parquet" for n in TABLES}
    assert all(r["path"] == f"vn_la_security/tables/{n[:-8]}.parquet" and "bytes" not in r for n, r in parquet.items())
    assert res["participants"]["schema"]["primaryKey"] == ["meeting_id", "person_id"]
    fk = res["participants"]["schema"]["foreignKeys"]
    assert {"fields": ["person_id"], "reference": {"resource": "people", "fields": ["person_id"]}} in fk
    mt = next(f for f in res["meetings"]["schema"]["fields"] if f["name"] == "meeting_type")
    assert "talks" in mt["constraints"]["enum"] and mt["categories"] == mt["constraints"]["enum"]
    import hashlib
    for r in d["resources"]:
        data = (root / r["path"]).read_bytes()
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and r.get("bytes", len(data)) == len(data)


def test_api_types_and_queries(root, monkeypatch_env):
    # a promotion and an appointment, then an attestation later: bracketed queries
    person = root / "data/people/vilay-lakhamphong.yaml"
    rec = yaml.safe_load(person.read_text())
    rec["ranks"] = [{"rank": "general", "rank_label": "Đại tướng", "date": "2021-11-25", "date_basis": "inferred",
                     "note": "Date inferred (a test fixture).", "basis": "started", "cite": cite(VILAY)}]
    rec["positions"] = [{"org_id": "la-mps", "role": "minister", "role_label": "Bộ trưởng", "date": "2020",
                         "basis": "started", "cite": cite(VILAY)}]
    person.write_text(yaml.safe_dump(rec, allow_unicode=True))
    monkeypatch_env(str(_publish(root)))
    pd = pytest.importorskip("pandas")
    meetings = api.load("meetings")
    assert isinstance(meetings.dtypes["meeting_type"], pd.CategoricalDtype)
    assert meetings["date_start"].iloc[0] == pd.Timestamp(2024, 8, 27)
    assert api.load("meetings", backend="polars")["date_start"].dtype.__class__.__name__ == "Date"
    import pyarrow as pa
    assert pa.types.is_dictionary(api.load("meetings", backend="arrow").schema.field("meeting_type").type)
    assert api.find_person("VI-LAY LA-KHAM-PHONG") == "vilay-lakhamphong"
    assert api.find_person("luong tam quang") == "luong-tam-quang"
    assert api.find_person("nobody at all") is None
    assert api.rank_on("vilay-lakhamphong", "2024-08-27") == "general"
    assert api.rank_on("vilay-lakhamphong", "2023-01-01") == "general"      # bracketed by promotion + attestation
    assert api.rank_on("vilay-lakhamphong", "2021-01-01") is None           # before the first evidence
    assert api.rank_on("vilay-lakhamphong", "2025-01-01") is None           # after the last evidence
    assert api.positions_on("vilay-lakhamphong", "2022-06-01") == [
        {"org_id": "la-mps", "role": "minister", "certainty": "held", "tenure_id": "vilay-lakhamphong-minister-la-mps-2020"}]
    assert api.positions_on("vilay-lakhamphong", "2019-06-01") == []
    assert api.verify() == {name: "ok" for name in TABLES}
    assert list(api.load_conflicts()["kind"]) == ["quantity_mismatch"]   # the fixture's 10 vs 12 offices


def test_conflicts_view_lists_disputed_facts(root, monkeypatch_env):
    person = root / "data/people/vilay-lakhamphong.yaml"
    rec = yaml.safe_load(person.read_text())
    rec["ranks"] = [{"rank": "lieutenant_general", "rank_label": "Trung tướng", "date": "2024-08-27",
                     "basis": "attested", "disputed": True,
                     "cite": [*cite("Trung tướng Vilay Lakhamphong"),
                              {"source": "test-source-2024-08-28", "quote": "Chiều 27/8, tại Thủ đô Vientiane",
                               "quote_en": "On the afternoon of 27 August, in the capital Vientiane", "field": "date"}]}]
    person.write_text(yaml.safe_dump(rec, allow_unicode=True))
    monkeypatch_env(str(_publish(root)))
    conflicts = api.load_conflicts(backend="arrow").to_pylist()
    conflicts = [c for c in conflicts if c["kind"] != "quantity_mismatch"]
    assert [c["kind"] for c in conflicts] == ["rank_mismatch"] and conflicts[0]["subject_id"] == "vilay-lakhamphong"
    assert {conflicts[0]["claim_a"], conflicts[0]["claim_b"]} == {"lieutenant_general (attested 2024-08-27)",
                                                                  "general (attested 2024-08-27)"}


def test_corrupt_table_fails_loudly(root, monkeypatch_env, tmp_path):
    tables = _publish(root)
    monkeypatch_env(str(tables))
    data = (tables / "meetings.parquet").read_bytes()
    (tables / "meetings.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(api.DataIntegrityError, match="meetings.parquet.*hash"):
        api.load_meetings()
    api.clear_cache()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    (tables / "meetings.parquet").write_bytes(bytes(flipped))
    with pytest.raises(api.DataIntegrityError, match="hash"):
        api.verify()


def test_importing_the_package_loads_no_backend():
    code = ("import sys, vn_la_security; "
            "print(sorted(m for m in ('pandas','pyarrow','polars','pydantic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_installed_wheel_ships_and_loads_the_tables(root, tmp_path):
    """Build a package from a copy of the code with the fixture data, make a wheel, install it, load."""
    proj = tmp_path / "proj"
    shutil.copytree(REPO / "vn_la_security", proj / "vn_la_security",
                    ignore=shutil.ignore_patterns("tables", "__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-DATA"):
        shutil.copy(REPO / name, proj)
    shutil.copytree(root / "data", proj / "data")
    _publish_at = validate(proj, today=dt.date(2026, 1, 1))
    build.publish(proj, build.render(_publish_at.dataset, proj))
    wheel_dir = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheel_dir), str(proj)], check=True, capture_output=True)
    wheel = next(wheel_dir.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "vn_la_security/tables/meetings.parquet" in names
    assert "vn_la_security/tables/datapackage.json" in names
    assert not any(n.endswith(".csv") for n in names)
    assert {"vn_la_security/py.typed", "vn_la_security/catalog.py"} <= set(names)
    assert {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n} == {"LICENSE", "LICENSE-DATA"}
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(unpacked / "vn_la_security/tables/datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]   # it describes exactly what the wheel ships
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "VN_LA_SECURITY_TABLES"}
    env["PYTHONPATH"] = str(site)
    code = ("import vn_la_security as v; m = v.load_meetings(); "
            "assert v.__file__.startswith(%r), v.__file__; print(len(m), list(m.meeting_id))" % str(site))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1 ['2024-08-27-talks-vientiane']"


# --- the repository itself -------------------------------------------------------------------------
def test_generated_schemas_are_current():
    for rel, data in generated_schema_files().items():
        path = REPO / "schemas" / rel
        assert path.exists() and path.read_bytes() == data, f"schemas/{rel} is stale: run vn-la-security build"


def test_repository_data_is_valid_and_published_files_current(shipped_require):
    from fixtures import REPO_ARCHIVE

    v = validate(REPO, archive=Path(REPO_ARCHIVE) if REPO_ARCHIVE else None)
    assert not v.errors, "\n".join(map(str, v.errors[:20]))
    out = build.render(v.dataset, REPO)
    try:
        assert build.drift(REPO, out) == []
    finally:
        out.discard()
    assert not list(REPO.glob(".build-tmp-*"))


def test_validate_without_the_derived_tables_reports_exactly_the_same(shipped_require):
    """`vn-la-security validate` skips the tables only build publishes (tables=False); it must not skip a check."""
    full, checks_only = validate(REPO), validate(REPO, tables=False)
    assert full.diagnostics == checks_only.diagnostics and full.warnings
    assert full.dataset.rows["tenures"] and full.dataset.rows["conflicts"]
    assert not checks_only.dataset.rows["tenures"] and not checks_only.dataset.rows["conflicts"]
