"""Load record files from ``data/``: safe YAML → Pydantic models, every problem located."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import yamlio
from .diagnostics import Diagnostic
from .models import RECORD_KINDS

IGNORED_NAMES = {"README.md", ".gitkeep", "tombstones.yaml", "published-ids.txt"}  # not records


@dataclass
class LoadedRecord:
    kind: str          # folder name: sources, people, ...
    path: str          # path as displayed (relative to the project root)
    text: str          # file text, kept to locate problems
    record: Any        # the validated Pydantic model

    def locate(self, *yaml_path: Any) -> tuple[int, int]:
        return yamlio.locate(self.text, tuple(yaml_path))


@dataclass
class LoadResult:
    records: list[LoadedRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    def of_kind(self, kind: str) -> list[LoadedRecord]:
        return [r for r in self.records if r.kind == kind]


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _real_path(path: Path, real_dirs: dict[Path, Path]) -> Path:
    """``path.resolve()`` for a file that is not itself a symlink, resolving each folder once per run."""
    folder = real_dirs.get(path.parent)
    if folder is None:
        folder = real_dirs[path.parent] = path.parent.resolve()
    return folder / path.name


def discover(root: Path, paths: list[Path] | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Record files under ``root/data`` (or the given files/folders, which must lie inside it)."""
    data = (root / "data").absolute()
    diags: list[Diagnostic] = []
    candidates: list[Path] = []
    for start in paths or [data]:
        start = Path(start) if Path(start).is_absolute() else (Path.cwd() / start)
        if start.is_dir() and not start.is_symlink():
            for dirpath, dirnames, filenames in os.walk(start):
                dirnames.sort()
                for name in sorted(filenames):
                    candidates.append(Path(dirpath) / name)
                for d in list(dirnames):
                    if (Path(dirpath) / d).is_symlink():
                        diags.append(Diagnostic(display_path(Path(dirpath) / d, root), 1, 1, "E005",
                                                "folder is a symlink: records must be real files inside data/"))
                        dirnames.remove(d)
        elif start.exists() or start.is_symlink():
            candidates.append(start)
        else:
            diags.append(Diagnostic(display_path(start, root), 1, 1, "E004", "no such file or folder"))
    files: list[Path] = []
    data_real, real_dirs = data.resolve(), {}
    for p in candidates:
        shown = display_path(p, root)
        if p.name in IGNORED_NAMES:
            continue
        if p.is_symlink():
            diags.append(Diagnostic(shown, 1, 1, "E005", "file is a symlink: records must be real files inside data/"))
            continue
        try:
            rel = _real_path(p, real_dirs).relative_to(data_real)
        except ValueError:
            diags.append(Diagnostic(shown, 1, 1, "E005", "file lies outside data/: move it under data/<kind>/"))
            continue
        if p.suffix == ".yml":
            diags.append(Diagnostic(shown, 1, 1, "E006", "record files end in .yaml: rename it"))
            continue
        if p.suffix != ".yaml":
            continue
        if not rel.parts or rel.parts[0] not in RECORD_KINDS or len(rel.parts) < 2:
            diags.append(Diagnostic(shown, 1, 1, "E006",
                                    f"unknown record folder: put it under data/{{{','.join(RECORD_KINDS)}}}/"))
            continue
        files.append(p)
    return sorted(set(files)), diags


def _error_code(err_type: str) -> str:
    if err_type == "missing":
        return "E101"
    if err_type == "extra_forbidden":
        return "E102"
    return "E103"


_PATTERN_HELP = {  # regex in models.py → what a contributor should write
    r"^[A-Z]{2}$": "an ISO 3166-1 alpha-2 country code in capitals: VN, LA, KH …",
    r"^https?://\S+$": "a web address: write the full URL starting with https:// or http://",
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "a BCP 47 language code: vi, lo, en, fr …",
    r"^[0-9a-f]{64}$": "a SHA-256 (64 lowercase hex digits): compute it with `vn-la-security hash FILE`",
    r"^[a-z][a-z0-9_]*$": "a column name such as date or title_en",
    r"^[^/\\]+\.txt$": "a bare file name ending in .txt (no folders)",
}
_TYPE_HELP = {  # pydantic error type → advice (string_type only when the value is null)
    "string_type": "is empty (null) but required: write the value",
    "list_type": "must be a YAML list: [a, b] on one line, or one '- item' per line",
    "too_short": "needs at least one item (for cite: a source and a verbatim quote)",
}


def _explain(err: dict) -> str:
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "missing":
        return f"{loc}: required field is missing: add it"
    if kind == "extra_forbidden":
        return f"{loc}: unknown field: remove it or check the spelling (see docs/record-format.md)"
    if kind == "enum":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"{loc}: {err['input']!r} is not an allowed code; use one of {allowed}"
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") in _PATTERN_HELP:
        return f"{loc}: {err['input']!r} is not {_PATTERN_HELP[err['ctx']['pattern']]}"
    if kind in _TYPE_HELP and (err.get("input") is None) == (kind == "string_type"):
        return f"{loc}: {_TYPE_HELP[kind]}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    shown = err.get("input")
    if isinstance(shown, (str, int, float)) and len(str(shown)) <= 60:
        return f"{loc}: {msg} (got {shown!r})"
    return f"{loc}: {msg}"


def load_file(path: Path, root: Path, kind_name: str | None = None) -> tuple[LoadedRecord | None, list[Diagnostic]]:
    shown = display_path(path, root)
    kind_name = kind_name or path.resolve().relative_to((root / "data").resolve()).parts[0]
    kind = RECORD_KINDS[kind_name]
    try:
        text = yamlio.decode(path.read_bytes())
        raw = yamlio.parse(text)
    except yamlio.YamlProblem as p:
        return None, [Diagnostic(shown, p.line, p.col, p.code, p.message)]
    except OSError as exc:
        return None, [Diagnostic(shown, 1, 1, "E004", f"cannot read file: {exc.strerror}")]
    if not isinstance(raw, dict):
        return None, [Diagnostic(shown, 1, 1, "E004", "a record file must be a YAML mapping (key: value lines)")]
    try:
        record = kind.model.model_validate(raw)
    except ValidationError as exc:
        diags = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            line, col = yamlio.locate(text, loc)
            diags.append(Diagnostic(shown, line, col, _error_code(err["type"]), _explain(err)))
        return None, diags
    loaded = LoadedRecord(kind_name, shown, text, record)
    record_id = getattr(record, kind.id_field)
    if path.stem != record_id:
        line, col = loaded.locate(kind.id_field)
        return loaded, [Diagnostic(shown, line, col, "E006",
                                   f"file name {path.name!r} does not match {kind.id_field} {record_id!r}: "
                                   f"rename the file to {record_id}.yaml")]
    if kind_name == "meetings":
        year = record.meeting_id[:4]
        if len(path.parent.parts) and path.parent.name != year:
            line, col = loaded.locate("meeting_id")
            return loaded, [Diagnostic(shown, line, col, "E006",
                                       f"meeting files live in data/meetings/<year>/: move it to data/meetings/{year}/")]
        if not record.meeting_id.startswith(record.date[:10].split("/")[0][: len(record.date[:10])]):
            line, col = loaded.locate("meeting_id")
            return loaded, [Diagnostic(shown, line, col, "E006",
                                       f"meeting_id must start with the meeting's date {record.date.split('/')[0]!r}")]
    return loaded, []


def load_records(root: Path, paths: list[Path] | None = None) -> LoadResult:
    files, diags = discover(root, paths)
    result = LoadResult(diagnostics=diags, files=len(files))
    data_real, real_dirs = (root / "data").resolve(), {}
    for path in files:  # discover checked that each lies in data/<kind>/ and is not a symlink
        loaded, problems = load_file(path, root, _real_path(path, real_dirs).relative_to(data_real).parts[0])
        result.diagnostics.extend(problems)
        if loaded is not None:
            result.records.append(loaded)
    return result
