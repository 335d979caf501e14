#!/usr/bin/env python3
"""Measure the performance targets of issue 13 side by side, in one run, and print a Markdown block.

    python scripts/bench.py --sizes 1000,10000 [--repeat 5] [--work /tmp/vnla-bench]

For each size N it generates ``scripts/synth.py N`` once (kept under ``--work``) and times fresh processes,
each interleaved with its baseline, and the sizes in turn, so that what is compared sees the same machine
load (medians of ``--repeat`` rounds):

* validate: ``vn-la-security validate --root DIR`` against the floor, a process that only reads every YAML
  file and parses it with ``yaml.load(text, Loader=yaml.CSafeLoader)``. Target ≤ 2× (aim 1.5×).
* time per record file: (validate − start-up) / files, start-up being ``import vn_la_security.cli,
  vn_la_security.validate``. Target: at the largest size ≤ 1.2× that at the smallest.
* cold ``load_meetings()`` against ``pq.read_table(path).to_pandas()`` on the same file (target ≤ 1.15×),
  and ``load_meetings(backend="arrow")``, which must not import pandas (the process exits 3 if it does).
  The loader reads the synthetic tables through ``VN_LA_SECURITY_TABLES``.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402

FLOOR = """
import os, sys, yaml
for dirpath, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".yaml"):
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                yaml.load(fh.read(), Loader=yaml.CSafeLoader)
"""
STARTUP = "import vn_la_security.cli, vn_la_security.validate"
LOAD_PANDAS = "from vn_la_security import load_meetings; load_meetings()"
BARE_PANDAS = "import sys, pyarrow.parquet as pq; pq.read_table(sys.argv[1]).to_pandas()"
LOAD_ARROW = ("import sys; from vn_la_security import load_meetings; load_meetings(backend='arrow'); "
              "sys.exit(3 if 'pandas' in sys.modules else 0)")


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - start
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)[:200]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return wall, done.returncode


def py(code: str, *args: str, env: dict | None = None) -> tuple[float, int]:
    return timed([sys.executable, "-c", code, *args], env)


def dataset(work: Path, n: int) -> Path:
    root = work / f"synth-{n}"
    if not (root / ".complete").exists():
        synth.generate(n, 1, root)
        subprocess.run([sys.executable, "-m", "vn_la_security", "build", "--root", str(root)], check=True,
                       capture_output=True, cwd=tempfile.gettempdir())   # not the checkout: import what is installed
        (root / ".complete").write_text("")
    return root


def measure(sizes: list[int], repeat: int, work: Path) -> list[dict]:
    """Every size's runs in one loop (floor, validate, start-up of each size in turn, ``repeat`` rounds), so
    that the sizes, compared by time per file, see the same machine load as well as each pair."""
    roots = {n: dataset(work, n) for n in sizes}
    runs: dict[int, dict[str, list[float]]] = {n: {"floor": [], "validate": [], "startup": []} for n in sizes}
    for n in sizes:
        py(FLOOR, str(roots[n] / "data"))   # warm the page cache
    for _ in range(repeat):
        for n in sizes:
            runs[n]["floor"].append(py(FLOOR, str(roots[n] / "data"))[0])
            runs[n]["validate"].append(timed([sys.executable, "-m", "vn_la_security", "validate", "--root",
                                              str(roots[n])])[0])
            runs[n]["startup"].append(py(STARTUP)[0])
    return [_summarise(n, roots[n], runs[n], repeat) for n in sizes]


def _summarise(n: int, root: Path, run: dict[str, list[float]], repeat: int) -> dict:
    files = sum(1 for _ in (root / "data").rglob("*.yaml"))
    tables = root / "vn_la_security" / "tables"
    env = {**os.environ, "VN_LA_SECURITY_TABLES": str(tables)}
    lp, bp, la, imports = [], [], [], False
    for _ in range(max(repeat, 5)):
        lp.append(py(LOAD_PANDAS, env=env)[0])
        bp.append(py(BARE_PANDAS, str(tables / "meetings.parquet"))[0])
        wall, code = py(LOAD_ARROW, env=env)
        la.append(wall)
        imports |= code == 3
    med = statistics.median
    floor, validate, startup = run["floor"], run["validate"], run["startup"]
    return {"n": n, "files": files, "floor": med(floor), "validate": med(validate), "startup": med(startup),
            "pair_ratios": sorted(v / f for v, f in zip(validate, floor)),
            "per_record_ms": (med(validate) - med(startup)) / files * 1000, "load_pandas": med(lp),
            "bare_pandas": med(bp), "load_arrow": med(la), "arrow_imports_pandas": imports}


def report(results: list[dict], repeat: int) -> str:
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "--",
                            "vn_la_security", "scripts"], capture_output=True, text=True).stdout.strip()
    small, large = results[0], results[-1]
    lines = [f"Commit {commit}{' (with uncommitted changes)' if dirty else ''}, {time.strftime('%Y-%m-%d')}, "
             f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
             f"{os.getloadavg()[0]:.1f}; medians of {repeat} runs (cold loads: {max(repeat, 5)}).", "",
             "| meetings | files | YAML floor | validate | ratio | ms / file | load_meetings() | bare pandas | ratio "
             "| arrow load | pandas imported |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['n']:,} | {r['files']:,} | {r['floor']:.2f} s | {r['validate']:.2f} s | "
                     f"{r['validate'] / r['floor']:.2f}× | {r['per_record_ms']:.3f} | {r['load_pandas']:.2f} s | "
                     f"{r['bare_pandas']:.2f} s | {r['load_pandas'] / r['bare_pandas']:.2f}× | "
                     f"{r['load_arrow']:.2f} s | {'yes' if r['arrow_imports_pandas'] else 'no'} |")
    growth = large["per_record_ms"] / small["per_record_ms"]
    floor_growth = (large["floor"] / large["files"]) / (small["floor"] / small["files"])
    ok = {"validate ≤ 2× the floor": large["validate"] / large["floor"] <= 2,
          f"ms per file at {large['n']:,} ≤ 1.2× at {small['n']:,} ({growth:.2f}×)": growth <= 1.2,
          "cold load_meetings() ≤ 1.15× bare": all(r["load_pandas"] / r["bare_pandas"] <= 1.15 for r in results),
          "backend='arrow' never imports pandas": not any(r["arrow_imports_pandas"] for r in results)}
    lines += [""] + [f"- {what}: **{'PASS' if passed else 'MISS'}**" for what, passed in ok.items()]
    lines.append(f"- for comparison, the floor's own time per file grew {floor_growth:.2f}× (machine load)")
    pairs = large["pair_ratios"]
    lines.append(f"- validate ÷ floor of each interleaved pair at {large['n']:,}: "
                 + ", ".join(f"{r:.2f}×" for r in pairs) + " (the spread is the machine's noise)")
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of meetings")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vnla-bench")
    args = p.parse_args()
    results = measure([int(n) for n in args.sizes.split(",")], args.repeat, args.work)
    print(report(results, args.repeat))


if __name__ == "__main__":
    main()
