"""The validation pipeline: files → models → cross-record rules → provenance.

Loading and deriving is per file, so large datasets are split into chunks of files handled by a pool of
worker processes (``jobs``); the chunks' rows are appended in file order, so the result is the same as a
single-process run. A file whose bytes are unchanged since the last run reuses its cached result
(``cache.py``). Python's cyclic garbage collector is paused meanwhile: the pipeline builds millions of
small acyclic objects, and the collector's repeated passes over them cost about a quarter of the time.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import multiprocessing.pool
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import lifecycle, provenance, rules
from .diagnostics import Diagnostic
from .cache import Entry, digest, open_cache
from .loading import LoadResult, RecordFile, discover_records, load_record
from .tables import Dataset, derive_rows

PARALLEL_MIN_FILES = 2000   # below this, starting workers costs more than it saves
CHUNK_FILES = 256           # files per task sent to a worker


@dataclass
class Validation:
    loaded: LoadResult
    dataset: Dataset
    diagnostics: list[Diagnostic]   # sorted, unique

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees everything acyclic)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_jobs() -> int:
    """Worker processes: ``VN_LA_SECURITY_JOBS`` if set, else the CPUs this process may use."""
    value = os.environ.get("VN_LA_SECURITY_JOBS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"VN_LA_SECURITY_JOBS must be a whole number, not {value!r}") from None
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Task = list[tuple[RecordFile, "bytes | None"]]   # [(record file, digest of its cached result)]


def _load_files(task: Task) -> list[Entry | None]:
    """Load and derive each file of a task; None where the file's digest equals the cached one."""
    out: list[Entry | None] = []
    for source, cached in task:
        try:
            with open(source.file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            out.append(Entry(b"", [Diagnostic(source.path, 1, 1, "E004",
                                              f"cannot read file: {exc.strerror}")], None))
            continue
        file_digest = digest(data)
        if file_digest == cached:
            out.append(None)
            continue
        loaded, problems = load_record(source, data)
        out.append(Entry(file_digest, problems, None if loaded is None else derive_rows(loaded)))
    return out


@contextlib.contextmanager
def _worker_pool(jobs: int, tasks: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """A pool of ``jobs`` forked workers, or None (run in this process) for one job or one task, or where
    fork is unavailable. Fork it early, while this process is small: the workers share its pages."""
    if jobs < 2 or tasks < 2 or "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        yield None
        return
    gc.freeze()  # keep the parent's objects out of the workers' copy-on-write pages
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, tasks)) as pool:
            yield pool
    finally:
        gc.unfreeze()


def load_and_derive(root: Path, jobs: int | None = None, cache: bool | None = None) -> tuple[LoadResult, Dataset]:
    """Every record file under ``root/data`` loaded, checked and turned into table rows, in file order.

    ``jobs``: worker processes (default: one per CPU from 2,000 files on); ``cache``: reuse and keep
    per-file results between runs (default: from 2,000 files on; see ``cache.py``).
    """
    files, diags = discover_records(root)
    loaded = LoadResult(files=len(files), diagnostics=diags)
    dataset = Dataset()
    large = len(files) >= PARALLEL_MIN_FILES
    jobs = (default_jobs() if large else 1) if jobs is None else jobs
    with _worker_pool(jobs, -(-len(files) // CHUNK_FILES)) as pool:
        store = open_cache(root, large if cache is None else cache)
        cached = store.read() if store else {}
        sources = [RecordFile(kind, shown, path) for path, shown, kind in files]
        tasks = [[(f, cached[f.path].digest if f.path in cached else None) for f in sources[i:i + CHUNK_FILES]]
                 for i in range(0, len(sources), CHUNK_FILES)]
        fresh: dict[str, Entry] = {}
        strings: dict[str, str] = {}   # one copy of each repeated text (10–15 % less memory at 10k–100k meetings)
        for task, results in zip(tasks, pool.imap(_load_files, tasks) if pool else map(_load_files, tasks)):
            for (source, _), entry in zip(task, results):
                parsed = entry is not None   # else the cached entry, whose texts are shared already
                entry = entry if parsed else cached[source.path]
                fresh[source.path] = entry
                loaded.diagnostics.extend(entry.diagnostics)
                if entry.rows is not None:
                    dataset.add_file(source, entry.rows, strings if parsed else None)
    if store is not None and (len(fresh) != len(cached) or any(cached.get(k) is not e for k, e in fresh.items())):
        store.write(fresh)
    return loaded, dataset


def validate(root: Path, paths: list[Path] | None = None, archive: Path | None = None,
             today: dt.date | None = None, jobs: int | None = None, cache: bool | None = None) -> Validation:
    """Validate the whole dataset under ``root/data``; with ``paths``, report only problems in those files.

    ``jobs``, ``cache``: see ``load_and_derive``.
    Raises ``provenance.ArchiveError`` when the archive folder cannot be read (a usage error).
    """
    root = root.absolute()
    with gc_paused():
        loaded, dataset = load_and_derive(root, jobs, cache)
        diags = list(loaded.diagnostics)
        diags.extend(rules.check_all(dataset, today))
        diags.extend(lifecycle.check(root, dataset))
        if archive is not None:
            diags.extend(provenance.check_quotes(dataset, archive))
    if paths:
        wanted, extra = discover_records(root, paths)
        shown = {path_shown for _, path_shown, _ in wanted}
        diags = [d for d in diags if d.path in shown] + [d for d in extra if d.path not in shown]
    return Validation(loaded, dataset, sorted(set(diags)))
