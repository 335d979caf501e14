"""What a branch changes in ``data/`` since a base commit: changed files (for ``validate --changed``)
and a Markdown summary of records added, changed field by field, and removed (``vn-la-security diff``).

Uses the merge base of BASE and HEAD, like a pull request does, so commits that landed on the base
branch meanwhile are not shown as the branch's changes. The working tree (including untracked files
under data/) is the "new" side.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lifecycle, yamlio
from .diagnostics import printable
from .loading import IGNORED_NAMES, not_a_record_name
from .models import RECORD_KINDS

DEFAULT_BASE = "main"
TOMBSTONES = Path("data") / "tombstones.yaml"
_SHOWN_CHARS = 80


class GitError(Exception):
    """A usage problem with git (not a repository, unknown base): one sentence for the user."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed: --changed and diff need git") from None


def merge_base(root: Path, base: str | None) -> str:
    """The commit BASE and HEAD share (BASE defaults to ``main``); ``GitError`` if there is none."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise GitError(f"{root} is not inside a git repository, so there is nothing to compare with")
    name = base or DEFAULT_BASE
    if _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").returncode != 0:
        raise GitError(f"{name!r} is not a commit or branch in this repository: fetch it (e.g. git fetch origin "
                       "main) or name another base")
    done = _git(root, "merge-base", "HEAD", name)
    if done.returncode != 0:
        raise GitError(f"HEAD and {name!r} share no history: name a base this branch grew from")
    return done.stdout.decode().strip()


def _paths(done: subprocess.CompletedProcess) -> list[str]:
    """NUL-separated path names (``git … -z``: never quoted, so non-ASCII and newlines survive); bytes
    that are not UTF-8 become surrogate escapes, as ``os.fsdecode`` makes them."""
    return [p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def changed_paths(root: Path, base: str | None) -> tuple[str, list[str]]:
    """``(base commit, paths under data/ that differ from it)``: committed, staged, unstaged and untracked;
    paths relative to ``root``, deleted files included."""
    commit = merge_base(root, base)
    diff = _git(root, "-c", "core.quotepath=off", "diff", "--name-only", "-z", "--no-renames", "--relative", commit,
                "--", "data")
    if diff.returncode != 0:
        stderr = printable(diff.stderr.decode("utf-8", "replace").strip())
        raise GitError(f"git diff against {base or DEFAULT_BASE!r} failed: {stderr}")
    untracked = _git(root, "-c", "core.quotepath=off", "ls-files", "-z", "--others", "--exclude-standard", "--", "data")
    return commit, sorted(set(_paths(diff)) | set(_paths(untracked)))


def old_text(root: Path, commit: str, path: str) -> str | None:
    """The file's text at ``commit`` (``None`` if it did not exist there)."""
    done = _git(root, "show", f"{commit}:./{path}")
    if done.returncode != 0 or len(done.stdout) > yamlio.MAX_BYTES:
        return None
    return done.stdout.decode("utf-8", "replace")


def _new_text(root: Path, path: str) -> str | None:
    """The file's text in the work tree: regular files only (a symlink is never followed), size-capped."""
    try:
        data = lifecycle.read_regular(root / path, yamlio.MAX_BYTES)
    except lifecycle.LifecycleFileError:
        return None
    return None if data is None else data.decode("utf-8", "replace")


# ----------------------------------------------------------------------------- record comparison
@dataclass
class Side:
    path: str
    kind: str
    record_id: str
    data: dict[str, Any]


@dataclass
class Change:
    old: Side | None
    new: Side | None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)   # (field path, old, new)


@dataclass
class RecordDiff:
    base: str
    commit: str
    added: list[Side] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Side] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)   # (path, problem)
    tombstones: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ids_dropped: list[tuple[str, str]] = field(default_factory=list)  # lines gone from published-ids.txt, no tombstone
    tombstones_added: list[tuple[str, str]] = field(default_factory=list)
    tombstones_removed: list[tuple[str, str]] = field(default_factory=list)


def _kind(path: str) -> str | None:
    parts = Path(path).parts
    if len(parts) >= 3 and parts[0] == "data" and parts[1] in RECORD_KINDS and path.endswith(".yaml"):
        return parts[1]
    return None


def _side(path: str, text: str | None, problems: list[tuple[str, str]], when: str) -> Side | None:
    kind = _kind(path)
    if text is None or kind is None:
        return None
    try:
        data = yamlio.parse(text)
    except yamlio.YamlProblem as p:
        problems.append((path, f"{when}: line {p.line}: {p.message}"))
        return None
    if not isinstance(data, dict):
        problems.append((path, f"{when}: not a YAML mapping"))
        return None
    record_id = data.get(RECORD_KINDS[kind].id_field)
    return Side(path, kind, record_id if isinstance(record_id, str) else Path(path).stem, data)


_ITEM_KEYS = ("person_id", "rank_id", "position_id", "update_id")


def _item_labels(items: list[Any]) -> list[str]:
    """Stable labels for list items: their ID-like key when every item has a distinct one, else the index."""
    for key in _ITEM_KEYS:
        labels = [str(i.get(key)) if isinstance(i, dict) and i.get(key) is not None else None for i in items]
        if all(labels) and len(set(labels)) == len(labels):
            return labels  # type: ignore[return-value]
    return [str(n) for n in range(len(items))]


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{field path: scalar or list of scalars}``; lists of mappings are keyed by item ID or index."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and any(isinstance(i, (dict, list)) for i in value):
        out = {}
        for label, item in zip(_item_labels(value), value):
            out.update(flatten(item, f"{prefix}[{label}]"))
        return out
    return {prefix: value}


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    a, b = flatten(old), flatten(new)
    missing = object()
    out = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key, missing), b.get(key, missing)
        if va != vb:
            out.append((key, None if va is missing else va, None if vb is missing else vb))
    return out


def read_tombstones(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """``{(table, id): tombstone}`` from data/tombstones.yaml (empty if it is missing or unusable: `validate`
    reports the file's own problems)."""
    return {(s.table, s.id): s.model_dump() for s, _ in lifecycle.in_tree(root).stones}


def record_diff(root: Path, base: str | None) -> RecordDiff:
    root = root.absolute()
    commit, paths = changed_paths(root, base)
    now, then = lifecycle.in_tree(root), lifecycle.at_commit(root, commit)
    result = RecordDiff(base or DEFAULT_BASE, commit,
                        tombstones={(s.table, s.id): s.model_dump() for s, _ in now.stones},
                        ids_dropped=sorted(set(then.published) - set(now.published) - now.buried),
                        tombstones_added=sorted(now.buried - then.buried),
                        tombstones_removed=sorted(then.buried - now.buried))
    old: dict[tuple[str, str], Side] = {}
    new: dict[tuple[str, str], Side] = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if path not in (lifecycle.PUBLISHED_IDS.as_posix(), lifecycle.TOMBSTONES.as_posix()) \
                and name not in IGNORED_NAMES and (problem := not_a_record_name(name)):
            if os.path.lexists(root / path):
                result.unreadable.append((path, f"now: {problem}"))
            continue
        problems = len(result.unreadable)
        before = _side(path, old_text(root, commit, path), result.unreadable, "before")
        after = _side(path, _new_text(root, path), result.unreadable, "now")
        if len(result.unreadable) > problems:
            continue   # one side cannot be read: neither "added" nor "removed", just listed as not compared
        if before:
            old[(before.kind, before.record_id)] = before
        if after:
            new[(after.kind, after.record_id)] = after
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None:
            result.added.append(b)  # type: ignore[arg-type]
        elif b is None:
            result.removed.append(a)
        else:
            changes = field_changes(a.data, b.data)
            if changes or a.path != b.path:
                result.changed.append(Change(a, b, changes))
    return result


# ----------------------------------------------------------------------------- Markdown
def _shown(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else repr(value) if not isinstance(value, list) \
        else "[" + ", ".join(str(v) for v in value) + "]"
    text = printable(" ".join(str(text).split()))
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 1] + "…"
    return "`" + text.replace("`", "'") + "`"


_CONTEXT = 30   # characters kept on each side of a change inside a long text


def _edit(old: str, new: str) -> tuple[str, str]:
    """The changed middle of two texts, with a little context: ``("…same old same…", "…same new same…")``."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    lo = max(0, start - _CONTEXT)
    head = ("…" if lo else "") + old[lo:start]
    tail_old = old[len(old) - end:][:_CONTEXT]
    tail = tail_old + ("…" if end > _CONTEXT else "")
    return head + old[start:len(old) - end] + tail, head + new[start:len(new) - end] + tail


def change_line(name: str, old: Any, new: Any) -> str:
    """One Markdown line for a changed field: list items added/removed, the changed part of a long text."""
    if isinstance(old, list) and isinstance(new, list):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = ([f"added {', '.join(_shown(v) for v in added)}"] if added else []) + \
                ([f"removed {', '.join(_shown(v) for v in removed)}"] if removed else [])
        return f"  - `{name}`: " + ("; ".join(parts) if parts else "items reordered")
    if isinstance(old, str) and isinstance(new, str):
        a, b = " ".join(old.split()), " ".join(new.split())
        if max(len(a), len(b)) > _SHOWN_CHARS:
            a, b = _edit(a, b)
            return f"  - `{name}`: {_code(a)} → {_code(b)}"
    return f"  - `{name}`: {_shown(old)} → {_shown(new)}"




def _code(value: str) -> str:
    """A path or ID as Markdown code on one line (escaped, no backticks)."""
    return "`" + printable(str(value)).replace("`", "'") + "`"


def _lifecycle_lines(diff: RecordDiff) -> list[str]:
    added = {(s.kind, s.record_id) for s in diff.added}
    lines = []
    for table, rid in diff.ids_dropped:
        lines.append(f"- **⚠ published ID removed from `{lifecycle.PUBLISHED_IDS.as_posix()}`**: {table} {_code(rid)}"
                     " (published IDs stay listed; a removed record needs a tombstone)")
    for table, rid in diff.tombstones_removed:
        reused = " — **and its ID is used again**" if (table, rid) in added else ""
        lines.append(f"- **⚠ tombstone removed** (tombstones are permanent): {table} {_code(rid)}{reused}")
    for table, rid in diff.tombstones_added:
        stone = diff.tombstones.get((table, rid), {})
        lines.append(f"- tombstone added: {table} {_code(rid)}, replaced by {_shown(stone.get('replaced_by'))}")
    return lines


def markdown(diff: RecordDiff) -> str:
    counts = f"{len(diff.added)} added, {len(diff.changed)} changed, {len(diff.removed)} removed"
    lines = [f"## Data changes since {_code(diff.base)} ({diff.commit[:10]})", "", f"**{counts}**", ""]
    life = _lifecycle_lines(diff)
    if not (diff.added or diff.changed or diff.removed or diff.unreadable or life):
        return "\n".join([*lines[:2], "No record files changed.", ""]) + "\n"
    if diff.added:
        lines += ["### Added", ""]
        lines += [f"- {s.kind} {_code(s.record_id)} — {_code(s.path)}" for s in diff.added]
        lines.append("")
    if diff.changed:
        lines += ["### Changed", ""]
        for c in diff.changed:
            assert c.old and c.new
            moved = f" (moved from {_code(c.old.path)})" if c.old.path != c.new.path else ""
            lines.append(f"- {c.new.kind} {_code(c.new.record_id)} — {_code(c.new.path)}{moved}")
            lines += [change_line(name, a, b) for name, a, b in c.fields]
        lines.append("")
    if diff.removed:
        lines += ["### Removed", ""]
        for s in diff.removed:
            stone = diff.tombstones.get((s.kind, s.record_id))
            if stone is None:
                shown_id = printable(s.record_id).replace(chr(96), chr(39))
                note = f"**⚠ removed without tombstone**: add `{{table: {s.kind}, id: {shown_id}, replaced_by: …, " \
                       f"reason: …}}` to `{TOMBSTONES.as_posix()}`"
            else:
                note = (f"tombstone: replaced by {_shown(stone.get('replaced_by'))}, "
                        f"reason {_shown(stone.get('reason'))}")
            lines.append(f"- {s.kind} {_code(s.record_id)} — {_code(s.path)}: {note}")
        lines.append("")
    if diff.unreadable:
        lines += ["### Not compared (YAML or file-name problem)", ""]
        lines += [f"- {_code(path)} {printable(problem)}" for path, problem in diff.unreadable]
        lines.append("")
    if life:
        lines += ["### ID lifecycle", "", *life, ""]
    return "\n".join(lines) + "\n"
