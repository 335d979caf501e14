"""The validation pipeline: files → models → cross-record rules → provenance.

Every record file is read, parsed, checked and turned into table rows in one process, in file order;
then the cross-record rules, the ID lifecycle and the quote checks run over the derived rows.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import fingerprint, lifecycle, provenance, rules, support, temporal
from .diagnostics import Diagnostic
from .loading import LoadResult, RecordFile, discover_records, load_record
from .derive import Dataset, derive_rows


@dataclass
class Validation:
    loaded: LoadResult
    dataset: Dataset
    diagnostics: list[Diagnostic]   # sorted, unique
    coverage: fingerprint.Coverage  # how this run verified each quote (the build summary prints it)

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


def load_and_derive(root: Path) -> tuple[LoadResult, Dataset]:
    """Every record file under ``root/data`` loaded, checked and turned into table rows, in file order."""
    files, diags = discover_records(root)
    loaded = LoadResult(files=len(files), diagnostics=diags)
    dataset = Dataset()
    for path, shown, kind in files:
        source = RecordFile(kind, shown, path)
        record, problems = load_record(source)
        loaded.diagnostics.extend(problems)
        if record is not None:
            dataset.add_file(source, derive_rows(record))
    return loaded, dataset


def validate(root: Path, paths: list[Path] | None = None, archive: Path | None = None,
             today: dt.date | None = None, base: str | None = None, tables: bool = True) -> Validation:
    """Validate the whole dataset under ``root/data``; with ``paths``, report only problems in those files
    (and always the ID lifecycle's). ``base``: a commit whose published IDs and tombstones bind this tree.
    ``tables=False``: skip the derived tables (tenures, rank_spells, conflicts, meeting levels) that only
    ``build`` publishes; every check still runs, so the diagnostics are the same (a test holds them equal).

    Raises ``provenance.ArchiveError`` when the archive folder cannot be read (a usage error).
    """
    root = root.absolute()
    with gc_paused():
        loaded, dataset = load_and_derive(root)
        diags = list(loaded.diagnostics)
        diags.extend(rules.check_all(dataset, today, root))
        diags.extend(support.check(dataset))
        checked, coverage = fingerprint.verify(root, dataset, archive)
        diags.extend(checked)
        kept = lifecycle.check(root, dataset, base)
        diags.extend(kept)
        if archive is not None:
            diags.extend(provenance.check_quotes(dataset, archive, fingerprint.fingerprinted(root)))
        diags.extend(temporal.fill_and_check(dataset))   # name periods, quantity kinds
        if tables:
            temporal.add_tables(dataset)   # tenures, rank_spells, conflicts, meeting levels
    if paths:
        wanted, extra = discover_records(root, paths)
        shown = {path_shown for _, path_shown, _ in wanted}
        diags = [d for d in diags if d.path in shown] + [d for d in extra if d.path not in shown] + kept
    return Validation(loaded, dataset, sorted(set(diags)), coverage)
