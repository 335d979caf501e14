"""ID lifecycle: published IDs are tracked in a committed file; a removed ID needs a tombstone.

* ``data/published-ids.txt`` — written by ``build``: one ``<table>\\t<id>`` line per published record ID.
* ``data/tombstones.yaml`` — hand-written list of ``{table, id, replaced_by, reason}`` for removed IDs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from . import yamlio
from .diagnostics import Diagnostic
from .models import RECORD_KINDS, Slug, Text
from .derive import Dataset

PUBLISHED_IDS = Path("data") / "published-ids.txt"
TOMBSTONES = Path("data") / "tombstones.yaml"
TRACKED = tuple(RECORD_KINDS)  # sources, organizations, people, meetings, agreements, projects


class Tombstone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: Literal["outlets", "sources", "organizations", "people", "meetings", "agreements", "projects"]
    id: Slug
    replaced_by: Slug | None = None
    reason: Text


def current_ids(ds: Dataset) -> set[tuple[str, str]]:
    key = {k.folder: k.id_field for k in RECORD_KINDS.values()}
    return {(t, getattr(row, key[t])) for t in TRACKED for row in ds.rows[t]}


def published_ids_text(ds: Dataset) -> bytes:
    return "".join(f"{t}\t{i}\n" for t, i in sorted(current_ids(ds))).encode("utf-8")


def _read_tombstones(root: Path) -> tuple[list[tuple[Tombstone, int]], list[Diagnostic]]:
    path = root / TOMBSTONES
    if not path.exists():
        return [], []
    shown = TOMBSTONES.as_posix()
    try:
        text = yamlio.decode(path.read_bytes())
        raw = yamlio.parse(text)
    except yamlio.YamlProblem as p:
        return [], [Diagnostic(shown, p.line, p.col, p.code, p.message)]
    if not isinstance(raw, list):
        return [], [Diagnostic(shown, 1, 1, "E004", "tombstones.yaml must be a list of {table, id, replaced_by, reason}")]
    out, diags = [], []
    for i, item in enumerate(raw):
        line, col = yamlio.locate(text, (i,))
        try:
            out.append((Tombstone.model_validate(item), line))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                where = ".".join(str(p) for p in err["loc"])
                diags.append(Diagnostic(shown, line, col, "E103", f"[{i}].{where}: {err['msg']}"))
    return out, diags


def check(root: Path, ds: Dataset) -> list[Diagnostic]:
    stones, diags = _read_tombstones(root)
    ids = current_ids(ds)
    buried = {(s.table, s.id) for s, _ in stones}
    shown = TOMBSTONES.as_posix()
    for stone, line in stones:
        if (stone.table, stone.id) in ids:
            diags.append(Diagnostic(shown, line, 1, "E402", f"{stone.table} ID {stone.id!r} has a tombstone but is "
                                                            "used again: IDs are never reused; choose a new ID"))
        if stone.replaced_by and (stone.table, stone.replaced_by) not in ids:
            diags.append(Diagnostic(shown, line, 1, "E201", f"replaced_by {stone.replaced_by!r} is not a current "
                                                            f"{stone.table} ID: correct it"))
    path = root / PUBLISHED_IDS
    if path.exists():
        for n, line_text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            table, _, rid = line_text.partition("\t")
            if (table, rid) not in ids and (table, rid) not in buried:
                diags.append(Diagnostic(PUBLISHED_IDS.as_posix(), n, 1, "E400",
                                        f"published {table} ID {rid!r} no longer exists: restore the record, or add "
                                        f"{{table: {table}, id: {rid}, replaced_by: <new id or null>, reason: ...}} "
                                        "to data/tombstones.yaml"))
    return diags
