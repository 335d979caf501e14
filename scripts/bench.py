#!/usr/bin/env python3
"""Benchmark validate / build / loading on synthetic datasets and record the results.

    python scripts/bench.py --sizes 1000,10000 --repeat 3
    python scripts/bench.py --sizes 1000,10000,100000 --repeat 1 --label at-100k

For each size N (meetings) it generates ``scripts/synth.py N`` once (kept under ``--work``), then measures,
each in a fresh subprocess (wall time with ``time.perf_counter`` around the process; memory as the peak RSS
of the largest single process, from ``os.wait4``, and as the peak of the process tree's summed PSS, sampled
every 0.2 s from ``/proc/PID/smaps_rollup`` — PSS counts pages that forked workers share once), interleaving
each measurement with its baseline so that both see the same machine load:

* ``vn-la-security validate --root DIR --no-cache`` (default worker processes) and ``... --jobs 1`` (one
  process) against the floor: one process that merely parses every YAML file with
  ``yaml.load(text, Loader=yaml.CSafeLoader)``; time per record file (one process) excludes interpreter
  start-up and imports (the median of a process doing only ``import vn_la_security.cli, vn_la_security.validate``);
* ``vn-la-security build --root DIR --no-cache`` (validate + render + publish, nothing cached), and
  ``build`` right after a ``validate`` that filled the per-file result cache (the usual sequence: README,
  CI). The cache lives in ``WORK/cache-N`` (``VN_LA_SECURITY_CACHE``) and is emptied before each run;
* ``frictionless validate datapackage.json`` on the built tables, for comparison;
* cold ``load_meetings()`` against a process doing only ``pq.read_table(path).to_pandas()`` on the same
  file, and ``load_meetings(backend="arrow")`` against a bare pyarrow read; the arrow process exits 3
  if ``pandas`` is in ``sys.modules`` afterwards. The arrow baseline is ``pq.ParquetFile(path).read()``, the
  fastest bare read: ``pq.read_table`` goes through ``pyarrow.dataset``, which imports pandas.

How the loader is pointed at the synthetic tables: the API reads
``importlib.resources.files("vn_la_security") / "tables"``. The benchmark makes ``WORK/pkg-N/vn_la_security/``,
a folder of symlinks to the real package's modules plus ``tables -> DIR/vn_la_security/tables`` (what
``build --root DIR`` wrote), and runs the load processes with ``PYTHONPATH=WORK/pkg-N``. ``PYTHONPATH``
precedes the editable install's finder, so that copy is imported (checked in a warm-up run, which also
compiles the ``.pyc`` files, so every timed run is a fresh process with warm bytecode and page caches).
Nothing in the real package is touched.

Results (medians) go to ``docs/performance.md`` between ``<!-- bench:LABEL -->`` markers, so runs with
different ``--label`` values (e.g. before/after a fix) sit side by side; the rest of the file is kept.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the package as imported (normally REPO/vn_la_security; a copy when PYTHONPATH points at one)
PACKAGE = Path(importlib.util.find_spec("vn_la_security").origin).parent
PYTHON = sys.executable
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
# the fastest bare read: pq.read_table goes through pyarrow.dataset, which imports pandas (~0.5 s more)
BARE_ARROW = "import sys, pyarrow.parquet as pq; pq.ParquetFile(sys.argv[1]).read()"
CHECK_COPY = ("import sys, vn_la_security as v; from importlib import resources; "
              "print(resources.files('vn_la_security') / 'tables'); print(len(v.load_meetings()))")

TARGETS = {"validate_vs_floor": 2.0, "per_record_growth": 1.2, "load_pandas": 1.15, "load_arrow": 1.15,
           "build_seconds": 60.0, "build_rss_mb": 2048.0}


@dataclass
class Run:
    wall: float        # seconds
    rss_mb: float      # peak resident set size of the largest single process (the child or a worker it waited for)
    rc: int
    out: str
    err: str
    timed_out: bool = False
    pss_mb: float = 0.0  # peak, sampled every 0.2 s, of the summed proportional set size of the process tree


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                for child in fh.read().split():
                    pids += _tree(int(child))
    except OSError:
        pass
    return pids


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared between processes (fork's copy-on-write) counted once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, timeout: float | None = None) -> Run:
    """Run ``cmd``; wall time, the largest process's peak RSS (``os.wait4``: max over the child and the
    workers it waited for) and the sampled peak of the tree's summed PSS (the memory the whole job uses)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        killed, done, peak_pss = threading.Event(), threading.Event(), [0]

        def sample() -> None:
            while not done.wait(0.2):
                peak_pss[0] = max(peak_pss[0], sum(_pss_kb(p) for p in _tree(proc.pid)))

        sampler = threading.Thread(target=sample, daemon=True) if Path("/proc/self/smaps_rollup").exists() else None
        if sampler:
            sampler.start()
        timer = threading.Timer(timeout, lambda: (killed.set(), proc.kill())) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        if timer:
            timer.cancel()
        if sampler:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_maxrss / 1024, proc.returncode, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"), killed.is_set(), peak_pss[0] / 1024)


def py(code: str, *args: str, **kw) -> Run:
    return run([PYTHON, "-c", code, *args], **kw)


def cli(*args: str, **kw) -> Run:
    return run([PYTHON, "-m", "vn_la_security", *args], **kw)


def median(runs: list[Run], attr: str = "wall") -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def checked(r: Run, what: str) -> Run:
    if r.rc != 0:
        raise SystemExit(f"{what} failed (exit {r.rc}):\n{r.out[-2000:]}\n{r.err[-2000:]}")
    return r


def dataset(work: Path, n: int, seed: int) -> tuple[Path, int]:
    root = work / f"synth-{n}-seed{seed}"
    done = root / ".complete"
    if not done.exists():
        if root.exists():
            raise SystemExit(f"{root} exists but is incomplete: delete it")
        start = time.perf_counter()
        synth.generate(n, seed, root)
        done.write_text(f"{time.perf_counter() - start:.1f}\n")
        print(f"  generated {root} in {done.read_text().strip()} s", flush=True)
    files = sum(1 for _ in (root / "data").rglob("*.yaml"))
    return root, files


def package_copy(work: Path, n: int, root: Path) -> Path:
    """``WORK/pkg-N/vn_la_security``: symlinks to the real modules, ``tables`` → the synthetic build."""
    pkg = work / f"pkg-{n}" / "vn_la_security"
    pkg.mkdir(parents=True, exist_ok=True)
    for entry in PACKAGE.iterdir():
        if entry.name in ("tables", "__pycache__"):
            continue
        link = pkg / entry.name
        if not link.is_symlink():
            link.symlink_to(entry)
    tables = pkg / "tables"
    if not tables.is_symlink():
        tables.symlink_to(root / "vn_la_security" / "tables")
    for link in pkg.iterdir():   # modules removed from the real package since the last run
        if link.is_symlink() and not link.exists():
            link.unlink()
    return pkg.parent


def measure(n: int, args: argparse.Namespace) -> dict:
    print(f"N={n}", flush=True)
    root, files = dataset(args.work, n, args.seed)
    k = args.repeat
    res: dict = {"n": n, "files": files}

    # the per-file result cache, private to this run and emptied before every cold measurement
    cache = args.work / f"cache-{n}"
    cenv = {**os.environ, "VN_LA_SECURITY_CACHE": str(cache)}

    def cold(*command: str) -> Run:
        shutil.rmtree(cache, ignore_errors=True)
        r = cli(*command, "--root", str(root), "--no-cache", env=cenv)
        if r.rc != 0:
            raise SystemExit(f"{' '.join(command)} failed in {root}:\n{r.out[:2000]}{r.err[-500:]}")
        return r

    py(FLOOR, str(root / "data"))                 # warm the page cache
    floor, validate, validate1, startup = [], [], [], []
    for _ in range(k):
        floor.append(checked(py(FLOOR, str(root / "data")), "floor"))
        validate.append(cold("validate"))                      # default workers, nothing cached
        validate1.append(cold("validate", "--jobs", "1"))      # one process, nothing cached
        startup.append(checked(py(STARTUP), "startup"))
    res.update(floor_s=median(floor), validate_s=median(validate), validate1_s=median(validate1),
               startup_s=median(startup), validate_rss_mb=median(validate, "rss_mb"),
               validate_pss_mb=median(validate, "pss_mb"), floor_rss_mb=median(floor, "rss_mb"))
    res["validate_vs_floor"] = res["validate_s"] / res["floor_s"]
    res["validate1_vs_floor"] = res["validate1_s"] / res["floor_s"]
    res["per_record_ms"] = (res["validate1_s"] - res["startup_s"]) / files * 1000
    print(f"  validate {res['validate_s']:.2f} s ({res['validate1_s']:.2f} s in one process) vs floor "
          f"{res['floor_s']:.2f} s", flush=True)

    builds = [cold("build") for _ in range(k)]
    res.update(build_s=median(builds), build_rss_mb=max(r.rss_mb for r in builds),
               build_pss_mb=max(r.pss_mb for r in builds))
    # warm: the usual sequence (validate, then build) with the cache the validate wrote
    warm = []
    for _ in range(k):
        shutil.rmtree(cache, ignore_errors=True)
        checked(cli("validate", "--root", str(root), env=cenv), "validate (filling the cache)")
        warm.append(checked(cli("build", "--root", str(root), env=cenv), "build (cached)"))
    res.update(build_warm_s=median(warm), build_warm_rss_mb=max(r.rss_mb for r in warm),
               build_warm_pss_mb=max(r.pss_mb for r in warm))
    shutil.rmtree(cache, ignore_errors=True)
    print(f"  build {res['build_s']:.2f} s, {res['build_rss_mb']:.0f} MB; after validate "
          f"{res['build_warm_s']:.2f} s, {res['build_warm_rss_mb']:.0f} MB", flush=True)
    res["rows"] = table_rows(root)

    if args.frictionless:
        fl = run([str(Path(PYTHON).with_name("frictionless")), "validate", "datapackage.json"], cwd=root,
                 timeout=args.frictionless_timeout)
        res.update(frictionless_s=fl.wall, frictionless_rss_mb=fl.rss_mb, frictionless_timed_out=fl.timed_out,
                   frictionless_valid=fl.rc == 0 and not fl.timed_out)
        print(f"  frictionless {fl.wall:.1f} s (exit {fl.rc}{', timed out' if fl.timed_out else ''})", flush=True)

    # cwd: python -c puts the current folder first on sys.path, which would shadow the copy from a checkout
    env = {**os.environ, "PYTHONPATH": str(package_copy(args.work, n, root))}
    here = {"env": env, "cwd": args.work}
    parquet = str(root / "vn_la_security" / "tables" / "meetings.parquet")
    check = checked(py(CHECK_COPY, **here), "load check").out.split()
    if not (check[0].startswith(str(args.work / f"pkg-{n}")) and check[1] == str(n)):
        raise SystemExit(f"the package copy is not the one imported: {check}")
    py(BARE_PANDAS, parquet)
    lp, bp, la, ba = [], [], [], []
    for _ in range(max(k, args.load_repeat)):
        lp.append(checked(py(LOAD_PANDAS, **here), "load_meetings()"))
        bp.append(checked(py(BARE_PANDAS, parquet), "bare pandas"))
        la.append(py(LOAD_ARROW, **here))
        ba.append(checked(py(BARE_ARROW, parquet), "bare arrow"))
    res.update(load_pandas_s=median(lp), bare_pandas_s=median(bp), load_arrow_s=median(la), bare_arrow_s=median(ba),
               arrow_imports_pandas=any(r.rc == 3 for r in la), load_pandas_rss_mb=median(lp, "rss_mb"),
               bare_pandas_rss_mb=median(bp, "rss_mb"))
    if any(r.rc not in (0, 3) for r in la):
        bad = next(r for r in la if r.rc not in (0, 3))
        raise SystemExit(f"load_meetings(backend='arrow') failed (exit {bad.rc}): {bad.out[-1000:]}{bad.err[-2000:]}")
    res["load_pandas"] = res["load_pandas_s"] / res["bare_pandas_s"]
    res["load_arrow"] = res["load_arrow_s"] / res["bare_arrow_s"]
    print(f"  load pandas {res['load_pandas']:.2f}x, arrow {res['load_arrow']:.2f}x", flush=True)
    return res


def table_rows(root: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    folder = root / "vn_la_security" / "tables"
    return {p.stem: pq.read_metadata(p).num_rows for p in sorted(folder.glob("*.parquet"))}


# ----------------------------------------------------------------------------- report
def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    versions = {}
    for dist in ("PyYAML", "pydantic", "pydantic-core", "pyarrow", "pandas", "frictionless"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "vn_la_security"],
                           capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": f"{mem_kb / 1024 / 1024:.0f} GiB",
            "python": platform.python_version(), "libs": ", ".join(f"{k} {v}" for k, v in versions.items()),
            "commit": commit + (" (package modules modified in the working tree)" if dirty else ""),
            "os": platform.platform()}


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**MISS**")


def report(results: list[dict], args: argparse.Namespace, started: str, load: tuple[str, str], m: dict) -> str:
    lines = [
        f"### Run `{args.label}` — {started}",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; {m['os']}",
        f"- Python {m['python']}; {m['libs']}",
        f"- Code: commit {m['commit']}; package imported from `{PACKAGE}`",
        f"- Command: `python scripts/bench.py {' '.join(sys.argv[1:])}` (median of {args.repeat} runs; "
        f"cold loads median of {max(args.repeat, args.load_repeat)})",
        f"- Load average at start / end: {load[0]} / {load[1]} (ratios compare runs interleaved in the same minute)",
        "",
        "Times are wall-clock medians. *validate* and *build* run with nothing cached (`--no-cache`) and the "
        "default worker processes; *1 process* is `validate --jobs 1 --no-cache`; *build after validate* is "
        "`build` after a `validate` filled the result cache. Memory: *RSS* is the peak of the largest single "
        "process, *PSS* the sampled peak of the whole process tree (shared pages counted once).",
        "",
        "| N meetings | files | rows (all tables) | floor: parse YAML | validate | validate / floor | "
        "1 process | 1 process / floor | per record (1 process, excl. start-up) | validate RSS / PSS | "
        "build | build RSS / PSS | build after validate | its RSS / PSS | frictionless validate |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        fl = "not run" if "frictionless_s" not in r else (
            f"> {r['frictionless_s']:.0f} s (timed out)" if r["frictionless_timed_out"]
            else f"{r['frictionless_s']:.1f} s{'' if r['frictionless_valid'] else ' (invalid!)'}")
        lines.append(f"| {r['n']:,} | {r['files']:,} | {sum(r['rows'].values()):,} | {r['floor_s']:.2f} s | "
                     f"{r['validate_s']:.2f} s | {r['validate_vs_floor']:.2f}× | {r['validate1_s']:.2f} s | "
                     f"{r['validate1_vs_floor']:.2f}× | {r['per_record_ms']:.3f} ms | "
                     f"{r['validate_rss_mb']:.0f} / {r['validate_pss_mb']:.0f} MB | {r['build_s']:.2f} s | "
                     f"{r['build_rss_mb']:.0f} / {r['build_pss_mb']:.0f} MB | {r['build_warm_s']:.2f} s | "
                     f"{r['build_warm_rss_mb']:.0f} / {r['build_warm_pss_mb']:.0f} MB | {fl} |")
    lines += ["", "| N meetings | `load_meetings()` | bare pyarrow→pandas | ratio | `backend=\"arrow\"` | "
                  "bare `pq.ParquetFile(path).read()` | ratio | pandas imported by arrow? |",
              "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r['n']:,} | {r['load_pandas_s']:.3f} s | {r['bare_pandas_s']:.3f} s | "
                     f"{r['load_pandas']:.2f}× | {r['load_arrow_s']:.3f} s | {r['bare_arrow_s']:.3f} s | "
                     f"{r['load_arrow']:.2f}× | {'**yes**' if r['arrow_imports_pandas'] else 'no'} |")

    big = max(results, key=lambda r: r["n"])
    small = min(results, key=lambda r: r["n"])
    at = f"N={big['n']:,}" + ("" if big["n"] >= 100_000 else " (100k not in this run)")
    growth = big["per_record_ms"] / small["per_record_ms"]
    t = TARGETS
    rows = [
        ("validate ≤ 2× YAML-parse floor", at, f"{big['validate_vs_floor']:.2f}×",
         big["validate_vs_floor"] <= t["validate_vs_floor"]),
        (f"time per record at the largest N ≤ 1.2× at N={small['n']:,}", at, f"{growth:.2f}×",
         growth <= t["per_record_growth"] if big is not small else None),
        ("cold `load_meetings()` ≤ 1.15× bare pyarrow→pandas", "every N",
         ", ".join(f"{r['load_pandas']:.2f}×" for r in results), all(r["load_pandas"] <= t["load_pandas"] for r in results)),
        ("`backend=\"arrow\"` ≤ 1.15× bare pyarrow", "every N",
         ", ".join(f"{r['load_arrow']:.2f}×" for r in results), all(r["load_arrow"] <= t["load_arrow"] for r in results)),
        ("`backend=\"arrow\"` never imports pandas", "every N",
         "imports pandas" if any(r["arrow_imports_pandas"] for r in results) else "pandas not imported",
         not any(r["arrow_imports_pandas"] for r in results)),
        ("validate in one process ≤ 2× YAML-parse floor", at, f"{big['validate1_vs_floor']:.2f}×",
         big["validate1_vs_floor"] <= t["validate_vs_floor"]),
        ("build < 60 s, nothing cached", at, f"{big['build_s']:.1f} s",
         big["build_s"] < t["build_seconds"] if big["n"] >= 100_000 else None),
        ("build < 60 s, after validate", at, f"{big['build_warm_s']:.1f} s",
         big["build_warm_s"] < t["build_seconds"] if big["n"] >= 100_000 else None),
        ("build memory < 2 GB (whole tree, PSS)", at,
         f"{max(big['build_pss_mb'], big['build_warm_pss_mb']):.0f} MB (largest process "
         f"{max(big['build_rss_mb'], big['build_warm_rss_mb']):.0f} MB RSS)",
         max(big["build_pss_mb"], big["build_warm_pss_mb"], big["build_rss_mb"], big["build_warm_rss_mb"])
         < t["build_rss_mb"] if big["n"] >= 100_000 else None),
    ]
    lines += ["", "| target | measured at | result | verdict |", "|---|---|---|---|"]
    lines += [f"| {name} | {where} | {value} | {verdict(ok)} |" for name, where, value, ok in rows]
    lines += ["", "Rows per table at the largest N: " + ", ".join(f"{k} {v:,}" for k, v in big["rows"].items()), ""]
    return "\n".join(lines)


def write_report(path: Path, label: str, block: str) -> None:
    start, end = f"<!-- bench:{label} -->", f"<!-- /bench:{label} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Performance\n\nGenerated by `scripts/bench.py` on synthetic data from `scripts/synth.py` "
        "(see the docstrings for what is measured and how). Each run below is replaced when the benchmark "
        "is re-run with the same `--label`.\n\n")
    new = f"{start}\n{block}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: new, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of meetings")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (median reported)")
    p.add_argument("--load-repeat", type=int, default=7, help="minimum runs for the (fast) cold-load measurements")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vnla-bench",
                   help="where synthetic datasets are generated and kept between runs")
    p.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    p.add_argument("--label", default="latest", help="name of this run's block in the report")
    p.add_argument("--no-frictionless", dest="frictionless", action="store_false")
    p.add_argument("--frictionless-timeout", type=float, default=900)
    args = p.parse_args()
    args.work = args.work.absolute()
    args.work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    at_start = machine()  # the commit measured is the one checked out when the run starts
    load_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    results = [measure(int(n), args) for n in args.sizes.split(",")]
    load_end = " ".join(f"{x:.1f}" for x in os.getloadavg())
    (args.work / f"results-{args.label}.json").write_text(json.dumps(results, indent=2))
    write_report(args.out, args.label, report(results, args, started, (load_start, load_end), at_start))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
