"""The synthetic dataset generator used by the benchmark: deterministic and valid."""
from __future__ import annotations

from pathlib import Path

from fixtures import load_script

from vn_la_security.validate import validate


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes_and_a_valid_dataset(tmp_path):
    synth = load_script("synth")
    first = _files(synth.generate(30, seed=7, out=tmp_path / "a"))
    second = _files(synth.generate(30, seed=7, out=tmp_path / "b"))
    assert first == second
    assert len([p for p in first if p.startswith("data/meetings/")]) == 30
    assert _files(synth.generate(30, seed=8, out=tmp_path / "c")) != first

    v = validate(tmp_path / "a")
    assert v.errors == []
    assert v.loaded.files == len([p for p in first if not p.startswith("data/fingerprints/")])   # + a fingerprint per source
    assert len([p for p in first if p.startswith("data/fingerprints/")]) == len(v.dataset.rows["sources"])
    assert len(v.dataset.rows["meetings"]) == 30
    assert v.dataset.rows["ranks"] and v.dataset.rows["positions"]  # participants' ranks and posts derived
    assert any(r.role == "minister" for r in v.dataset.rows["positions"])  # single-seat posts exercised
