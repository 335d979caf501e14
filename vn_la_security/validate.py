"""The validation pipeline: files → models → cross-record rules → provenance."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import lifecycle, provenance, rules
from .diagnostics import Diagnostic
from .loading import LoadResult, discover, display_path, load_records
from .tables import Dataset, derive


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


def validate(root: Path, paths: list[Path] | None = None, archive: Path | None = None,
             today: dt.date | None = None) -> Validation:
    """Validate the whole dataset under ``root/data``; with ``paths``, report only problems in those files.

    Raises ``provenance.ArchiveError`` when the archive folder cannot be read (a usage error).
    """
    root = root.absolute()
    loaded = load_records(root)
    diags = list(loaded.diagnostics)
    dataset = derive(loaded)
    diags.extend(rules.check_all(dataset, today))
    diags.extend(lifecycle.check(root, dataset))
    if archive is not None:
        diags.extend(provenance.check_quotes(dataset, archive))
    if paths:
        wanted, extra = discover(root, paths)
        shown = {display_path(p, root) for p in wanted}
        diags = [d for d in diags if d.path in shown] + [d for d in extra if d.path not in shown]
    return Validation(loaded, dataset, sorted(set(diags)))
