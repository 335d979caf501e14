"""ID lifecycle: published IDs are tracked in a committed file; a removed ID needs a tombstone.

* ``data/published-ids.txt`` — written by ``build``: one ``<table>\\t<id>`` line per published record ID.
* ``data/tombstones.yaml`` — hand-written list of ``{table, id, replaced_by, reason}`` for removed IDs.

Both files are checked in the work tree and, when a base is known (``validate --changed [BASE]``,
``validate --base BASE``, ``$GITHUB_BASE_REF`` in CI), against their content at the merge base: a pull
request cannot delete a published record together with its line, remove a tombstone, or reuse a
tombstoned ID. Both files must be regular files (no symlinks, devices, FIFOs) within a size cap; their
lines are never echoed, only IDs that passed the ID check.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
from dataclasses import dataclass, field
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
MAX_BYTES = {PUBLISHED_IDS: 32_000_000, TOMBSTONES: yamlio.MAX_BYTES}   # 32 MB ≈ 600,000 IDs
_LINE_RE = re.compile(rf"({'|'.join(TRACKED)})\t([a-z0-9]+(?:-[a-z0-9]+)*)\Z")


class Tombstone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: Literal[TRACKED]  # type: ignore[valid-type]   # the record kinds (models.RECORD_KINDS)
    id: Slug
    replaced_by: Slug | None = None
    reason: Text


class LifecycleFileError(Exception):
    """A lifecycle file that cannot be used: not a regular file, too large, unreadable."""


@dataclass
class Lifecycle:
    """The two files' content, in the work tree or at a commit; ``problems`` located in the files."""

    published: dict[tuple[str, str], int] = field(default_factory=dict)   # (table, id) → line
    stones: list[tuple[Tombstone, int]] = field(default_factory=list)      # (tombstone, line)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def buried(self) -> set[tuple[str, str]]:
        return {(s.table, s.id) for s, _ in self.stones}


def current_ids(ds: Dataset) -> set[tuple[str, str]]:
    key = {k.folder: k.id_field for k in RECORD_KINDS.values()}
    return {(t, getattr(row, key[t])) for t in TRACKED for row in ds.rows[t]}


def published_ids_text(ds: Dataset) -> bytes:
    return "".join(f"{t}\t{i}\n" for t, i in sorted(current_ids(ds))).encode("utf-8")


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file (``None`` if it does not exist); ``LifecycleFileError`` for a symlink,
    device, FIFO or folder, or a file over ``limit`` bytes. Never blocks on a FIFO, never follows a link."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    if os.path.islink(path):
        raise LifecycleFileError("is a symlink: it must be a regular file committed in the repository")
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LifecycleFileError("is a symlink: it must be a regular file committed in the repository") from None
        raise LifecycleFileError(f"cannot be read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LifecycleFileError("is not a regular file (a folder, device or FIFO): replace it with the real file")
        if st.st_size > limit:
            raise LifecycleFileError(f"is {st.st_size:,} bytes, over the {limit:,}-byte limit: it is not ours; "
                                     "restore it from the main branch")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise LifecycleFileError(f"is over the {limit:,}-byte limit: restore it from the main branch")
    return data


def _parse_published(data: bytes, shown: str, out: Lifecycle) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        out.problems.append(Diagnostic(shown, 1, 1, "E602",
                                       "is not UTF-8 text: regenerate it with `vn-la-security build`"))
        return
    for n, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        m = _LINE_RE.fullmatch(line)
        if m is None:   # never echo the line: it may hold anything
            out.problems.append(Diagnostic(shown, n, 1, "E602", "line is not <table><TAB><id>: regenerate the file "
                                                                "with `vn-la-security build`"))
            continue
        out.published.setdefault((m.group(1), m.group(2)), n)


def _parse_tombstones(data: bytes, shown: str, out: Lifecycle) -> None:
    try:
        text = yamlio.decode(data)
        raw = yamlio.parse(text)
    except yamlio.YamlProblem as p:
        out.problems.append(Diagnostic(shown, p.line, p.col, p.code, p.message))
        return
    if not isinstance(raw, list):
        out.problems.append(Diagnostic(shown, 1, 1, "E004", "tombstones.yaml must be a list of "
                                                            "{table, id, replaced_by, reason}"))
        return
    locate = yamlio.Locator(text)
    for i, item in enumerate(raw):
        line, col = locate((i,))
        try:
            out.stones.append((Tombstone.model_validate(item), line))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                where = ".".join(str(p) for p in err["loc"])
                out.problems.append(Diagnostic(shown, line, col, "E103", f"[{i}].{where}: {err['msg']}"))


def _parse(rel: Path, data: bytes | None, out: Lifecycle, shown: str) -> None:
    if data is not None:
        (_parse_published if rel == PUBLISHED_IDS else _parse_tombstones)(data, shown, out)


def in_tree(root: Path) -> Lifecycle:
    """The two files as they are in the work tree."""
    out = Lifecycle()
    for rel in (PUBLISHED_IDS, TOMBSTONES):
        try:
            data = read_regular(root / rel, MAX_BYTES[rel])
        except LifecycleFileError as exc:
            out.problems.append(Diagnostic(rel.as_posix(), 1, 1, "E602", f"{rel.name} {exc}"))
            continue
        _parse(rel, data, out, rel.as_posix())
    return out


def at_commit(root: Path, commit: str) -> Lifecycle:
    """The two files as committed at ``commit`` (read from git objects: regular blobs only, size-capped)."""
    out = Lifecycle()
    for rel in (PUBLISHED_IDS, TOMBSTONES):
        shown = rel.as_posix()
        listed = subprocess.run(["git", "-C", str(root), "ls-tree", "-l", "-z", commit, "--", shown],
                                capture_output=True, check=False).stdout.decode("utf-8", "replace")
        if not listed:
            continue
        meta = listed.split("\t", 1)[0].split()
        mode, obj, size = meta[0], meta[2], meta[3]
        where = f"at the base {commit[:10]}"
        if mode not in ("100644", "100755"):
            out.problems.append(Diagnostic(shown, 1, 1, "E602", f"{rel.name} {where} is not a regular file: fix "
                                                                 "the base branch first"))
            continue
        if int(size) > MAX_BYTES[rel]:
            out.problems.append(Diagnostic(shown, 1, 1, "E602", f"{rel.name} {where} is over the "
                                           f"{MAX_BYTES[rel]:,}-byte limit: fix the base branch first"))
            continue
        blob = subprocess.run(["git", "-C", str(root), "cat-file", "blob", obj], capture_output=True, check=False)
        base = Lifecycle()
        _parse(rel, blob.stdout, base, shown)
        out.published.update(base.published)
        out.stones.extend(base.stones)   # the base's own problems are not this branch's: not reported
    return out


def _record_origins(ds: Dataset, wanted: set[tuple[str, str]]):
    key = {k.folder: k.id_field for k in RECORD_KINDS.values()}
    for table in {t for t, _ in wanted}:
        for row, origin in zip(ds.rows[table], ds.origins[table]):
            if (table, getattr(row, key[table])) in wanted:
                yield table, getattr(row, key[table]), origin


def check(root: Path, ds: Dataset, base: str | None = None) -> list[Diagnostic]:
    """Lifecycle problems in the work tree; with ``base`` (a commit), also against the files at ``base``."""
    now = in_tree(root)
    diags = list(now.problems)
    ids = current_ids(ds)
    buried = now.buried
    shown = TOMBSTONES.as_posix()
    for stone, line in now.stones:
        if (stone.table, stone.id) in ids:
            diags.append(Diagnostic(shown, line, 1, "E402", f"{stone.table} ID {stone.id!r} has a tombstone but is "
                                                            "used again: IDs are never reused; choose a new ID"))
        if stone.replaced_by and (stone.table, stone.replaced_by) not in ids:
            diags.append(Diagnostic(shown, line, 1, "E201", f"replaced_by {stone.replaced_by!r} is not a current "
                                                            f"{stone.table} ID: correct it"))
    for (table, rid), n in now.published.items():
        if (table, rid) not in ids and (table, rid) not in buried:
            diags.append(Diagnostic(PUBLISHED_IDS.as_posix(), n, 1, "E400",
                                    f"published {table} ID {rid!r} no longer exists: restore the record, or add "
                                    f"{{table: {table}, id: {rid}, replaced_by: <new id or null>, reason: ...}} "
                                    "to data/tombstones.yaml"))
    if base is None:
        return diags
    then = at_commit(root, base)
    diags.extend(then.problems)
    at = f"at the base {base[:10]}"
    for (table, rid) in sorted(then.published):
        if (table, rid) not in ids and (table, rid) not in buried and (table, rid) not in now.published:
            diags.append(Diagnostic(PUBLISHED_IDS.as_posix(), 1, 1, "E603",
                                    f"{table} ID {rid!r} was published {at} and is gone, together with its line in "
                                    f"data/published-ids.txt: restore the record, or add {{table: {table}, id: {rid}, "
                                    "replaced_by: <new id or null>, reason: ...}} to data/tombstones.yaml"))
    gone = sorted((s.table, s.id) for s, _ in then.stones if (s.table, s.id) not in buried)
    for table, rid in gone:
        diags.append(Diagnostic(shown, 1, 1, "E604", f"the tombstone of {table} ID {rid!r} ({at}) was removed: "
                                                     "tombstones are permanent; put it back"))
    reused = {(t, i) for t, i in gone if (t, i) in ids}
    for table, rid, origin in _record_origins(ds, reused):
        line, col = origin.locate()
        diags.append(Diagnostic(origin.path, line, col, "E605", f"{table} ID {rid!r} was tombstoned {at}: IDs are "
                                                                "never reused; choose a new ID"))
    return diags
