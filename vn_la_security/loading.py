"""Load record files from ``data/``: safe YAML → Pydantic models, every problem located."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from . import yamlio
from .diagnostics import Diagnostic
from .models import RECORD_KINDS, SLUG_PATTERN, MeetingRecord

IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store"}          # not records, anywhere under data/
OTHER_FOLDERS = {"fingerprints"}   # folders of data/ that hold no records (checked by their own module)
LIFECYCLE_NAMES = {"tombstones.yaml", "published-ids.txt"}      # not records, directly in data/ only
MAX_FOLDER_DEPTH = 8        # data/<kind>/…: meetings use data/meetings/<year>/, nothing needs more
MAX_PROBLEMS_PER_FILE = 20  # model errors located and listed per file; then one "… N more problems" line


@functools.lru_cache(maxsize=16)
def _locator(file: str, mtime_ns: int, size: int) -> yamlio.Locator:
    try:
        text = yamlio.decode(Path(file).read_bytes())
    except (OSError, yamlio.YamlProblem):
        text = ""
    return yamlio.Locator(text)


def locate_in_file(file: str, yaml_path: tuple) -> tuple[int, int]:
    """Line and column of ``yaml_path`` in a record file, read again from disk (texts are not kept in
    memory: problems are rare, and at 100k files the texts would cost gigabytes; the last few files'
    node trees are kept, so many problems in one file compose it once). 1:1 if it is unreadable."""
    try:
        st = os.stat(file)
    except OSError:
        return 1, 1
    return _locator(file, st.st_mtime_ns, st.st_size)(yaml_path)


@dataclass(frozen=True, slots=True)
class RecordFile:
    """A record file: its kind (folder name), its path as displayed and its absolute path."""

    kind: str
    path: str          # as displayed (relative to the project root)
    file: str          # absolute path, re-read only to locate problems

    def locate(self, *yaml_path: Any) -> tuple[int, int]:
        return locate_in_file(self.file, tuple(yaml_path))


@dataclass(slots=True)
class LoadedRecord:
    source: RecordFile
    record: Any        # the validated Pydantic model

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def path(self) -> str:
        return self.source.path

    def locate(self, *yaml_path: Any) -> tuple[int, int]:
        return self.source.locate(*yaml_path)


@dataclass
class LoadResult:
    """What loading found: how many record files, and the problems located in them."""

    files: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _real_dir(folder: str, real_dirs: dict[str, str]) -> str:
    """``os.path.realpath`` of a folder, computed once per run."""
    real = real_dirs.get(folder)
    if real is None:
        real = real_dirs[folder] = os.path.realpath(folder)
    return real


def discover_records(root: Path, paths: list[Path] | None = None
                     ) -> tuple[list[tuple[str, str, str]], list[Diagnostic]]:
    """Record files under ``root/data`` (or the given files/folders, which must lie inside it), sorted by
    path, as ``(absolute path, path as displayed, kind)``; plus problems with files that are not records.

    Plain string paths throughout: at 100,000 files ``pathlib`` costs seconds.
    """
    root_s = str(root.absolute())
    data = os.path.join(root_s, "data")
    diags: list[Diagnostic] = []
    candidates: list[tuple[str, bool, bool]] = []   # (absolute path, is a symlink, is a regular file)

    prefix = root_s.rstrip(os.sep) + os.sep

    def shown_of(path: str) -> str:
        if path.startswith(prefix):   # every path found by walking data/ (a plain slice: relpath costs more)
            return path[len(prefix):].replace(os.sep, "/")
        rel = os.path.relpath(path, root_s)
        return path if rel.startswith("..") else rel.replace(os.sep, "/")

    def walk(top: str) -> None:   # iterative: a folder 1,000 levels deep is reported, not a RecursionError
        stack = [(top, 0)]
        while stack:
            folder, depth = stack.pop()
            if depth > MAX_FOLDER_DEPTH:
                diags.append(Diagnostic(shown_of(folder), 1, 1, "E006", f"folders nested more than "
                                        f"{MAX_FOLDER_DEPTH} deep under data/: records live in data/<kind>/ "
                                        "(meetings in data/meetings/<year>/); move the files up"))
                continue
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
            for e in reversed(entries):
                if e.is_dir(follow_symlinks=False):
                    stack.append((e.path, depth + 1))
                elif e.is_symlink() and e.is_dir():
                    diags.append(Diagnostic(shown_of(e.path), 1, 1, "E005",
                                            "folder is a symlink: records must be real files inside data/"))
                else:
                    candidates.append((e.path, e.is_symlink(), e.is_file(follow_symlinks=False)))

    for start in paths or [Path(data)]:
        start_s = os.path.normpath(os.path.join(os.getcwd(), str(start)))   # absolute paths stay as they are
        if os.path.isdir(start_s) and not os.path.islink(start_s):
            walk(start_s)
        elif os.path.lexists(start_s):
            candidates.append((start_s, os.path.islink(start_s), os.path.isfile(start_s)))
        else:
            diags.append(Diagnostic(shown_of(start_s), 1, 1, "E004", "no such file or folder"))
    data_real = os.path.realpath(data)
    real_dirs: dict[str, str] = {}
    found: dict[str, tuple[str, str, str]] = {}
    for path, is_link, is_file in candidates:
        name = os.path.basename(path)
        if name in IGNORED_NAMES or (name in LIFECYCLE_NAMES and os.path.dirname(path) == data):
            continue
        shown = shown_of(path)
        if not _utf8(path):
            diags.append(Diagnostic(shown, 1, 1, "E600", "file or folder name is not valid UTF-8: rename it "
                                                         "(record files are named <id>.yaml, in plain ASCII)"))
            continue
        if is_link:
            diags.append(Diagnostic(shown, 1, 1, "E005", "file is a symlink: records must be real files inside data/"))
            continue
        if not is_file:   # a FIFO would block the run, a device would be read forever
            diags.append(Diagnostic(shown, 1, 1, "E005", "not a regular file (a FIFO, socket or device): records "
                                                         "must be real files inside data/"))
            continue
        if shown.startswith("data/") and shown.split("/", 2)[1] in OTHER_FOLDERS:
            continue   # a real file in data/fingerprints/: checked by fingerprint.py
        real = os.path.join(_real_dir(os.path.dirname(path), real_dirs), name)
        if not real.startswith(data_real + os.sep):
            diags.append(Diagnostic(shown, 1, 1, "E005", "file lies outside data/: move it under data/<kind>/"))
            continue
        problem = not_a_record_name(name)
        if problem:
            diags.append(Diagnostic(shown, 1, 1, "E006", problem))
            continue
        parts = real[len(data_real) + 1:].split(os.sep)
        if len(parts) < 2 or parts[0] not in RECORD_KINDS:
            diags.append(Diagnostic(shown, 1, 1, "E006",
                                    f"unknown record folder: put it under data/{{{','.join(RECORD_KINDS)}}}/"))
            continue
        found[path] = (path, shown, parts[0])
    return sorted(found.values(), key=lambda f: f[0].split(os.sep)), diags


def _utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:   # os.fsdecode turned undecodable bytes into lone surrogates
        return False
    return True


def not_a_record_name(name: str) -> str | None:
    """What is wrong with a file name under data/ that is not ``<id>.yaml``, or None."""
    stem, _, ext = name.rpartition(".")
    if ext == "yaml" and stem:
        return None
    if ext.lower() in ("yaml", "yml") and stem:
        return f"record files end in .yaml (lowercase): rename it to {stem}.yaml"
    lower = name.lower()
    for marker in (".yaml.", ".yml."):
        if marker in lower:
            base = name[: lower.index(marker)]
            return f"{name!r} is not a record file (it ends after .yaml): rename it to {base}.yaml, or move it " \
                   "out of data/"
    return f"{name!r} is not a record file: records are YAML files named <id>.yaml; convert it, or move it " \
           "out of data/"


def _error_code(err_type: str) -> str:
    if err_type == "missing":
        return "E101"
    if err_type == "extra_forbidden":
        return "E102"
    return "E103"


_PATTERN_HELP = {  # regex in models.py → what a contributor should write
    SLUG_PATTERN: "a valid ID: use lowercase letters, digits and single hyphens, e.g. 'luong-tam-quang' or "
                  "'2024-08-27-talks-vientiane'",
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
    "int_type": "must be a whole number written without quotes or decimals, e.g. 3",
    "bool_type": "must be true or false, unquoted",
}


def _short(part: object, limit: int = 60) -> str:
    text = str(part)
    return text if len(text) <= limit else repr(text[: limit - 1] + "…")


def _explain(err: ErrorDetails) -> str:
    loc = ".".join(_short(p) for p in err["loc"])
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
        shown = err.get("input")
        got = f" (got {shown!r})" if kind in ("int_type", "bool_type") and len(repr(shown)) <= 60 else ""
        return f"{loc}: {_TYPE_HELP[kind]}{got}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    shown = err.get("input")
    if isinstance(shown, (str, int, float)) and len(str(shown)) <= 60:
        return f"{loc}: {msg} (got {shown!r})"
    return f"{loc}: {msg}"


def _wrong_folder(kind: str, raw: dict) -> str | None:
    """The folder a record belongs in when it lacks its own folder's ID field but has another kind's."""
    if RECORD_KINDS[kind].id_field in raw:
        return None
    found = {k for k, spec in RECORD_KINDS.items() if spec.id_field in raw}
    # an agreement also names its meeting_id: the kind whose model has every ID field found is the one
    return next((k for k in sorted(found) if all(RECORD_KINDS[o].id_field in RECORD_KINDS[k].model.model_fields
                                                 for o in found)), None)


def load_record(source: RecordFile, data: bytes | None = None) -> tuple[LoadedRecord | None, list[Diagnostic]]:
    """Load a record file (``data``: its bytes, if already read): the model, or located problems."""
    shown, kind_name, file = source.path, source.kind, source.file
    kind = RECORD_KINDS[kind_name]
    try:
        if data is None:
            with open(file, "rb") as fh:
                data = fh.read()
        text = yamlio.decode(data)
        raw = yamlio.parse(text)
    except yamlio.YamlProblem as p:
        return None, [Diagnostic(shown, p.line, p.col, p.code, p.message)]
    except OSError as exc:
        return None, [Diagnostic(shown, 1, 1, "E004", f"cannot read file: {exc.strerror}")]
    if not isinstance(raw, dict):
        return None, [Diagnostic(shown, 1, 1, "E004", "a record file must be a YAML mapping (key: value lines)")]
    locate = yamlio.Locator(text)
    wrong = _wrong_folder(kind_name, raw)
    if wrong:
        line, col = locate((RECORD_KINDS[wrong].id_field,))
        return None, [Diagnostic(shown, line, col, "E006", f"wrong folder: this is a {wrong} record (it has "
                                 f"{RECORD_KINDS[wrong].id_field}): move it to data/{wrong}/")]
    try:
        record = kind.model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        diags = []
        for err in errors[:MAX_PROBLEMS_PER_FILE]:
            line, col = locate(tuple(err["loc"]))
            diags.append(Diagnostic(shown, line, col, _error_code(err["type"]), _explain(err)))
        if len(errors) > MAX_PROBLEMS_PER_FILE:
            diags.append(Diagnostic(shown, line, col + 1, "E601", f"… {len(errors) - MAX_PROBLEMS_PER_FILE} more "
                                    "problems in this file (not listed): fix these and run validate again"))
        return None, diags
    loaded = LoadedRecord(source, record)
    record_id = getattr(record, kind.id_field)
    folder, name = os.path.split(file)
    if os.path.splitext(name)[0] != record_id:
        line, col = locate((kind.id_field,))
        return loaded, [Diagnostic(shown, line, col, "E006",
                                   f"file name {name!r} does not match {kind.id_field} {record_id!r}: "
                                   f"rename the file to {record_id}.yaml")]
    if isinstance(record, MeetingRecord):
        year = record.meeting_id[:4]
        if folder and os.path.basename(folder) != year:
            line, col = locate(("meeting_id",))
            return loaded, [Diagnostic(shown, line, col, "E006",
                                       "meeting files live in data/meetings/<year>/: "
                                       f"move it to data/meetings/{year}/")]
        if not record.meeting_id.startswith(record.date[:10].split("/")[0][: len(record.date[:10])]):
            line, col = locate(("meeting_id",))
            return loaded, [Diagnostic(shown, line, col, "E006",
                                       f"meeting_id must start with the meeting's date {record.date.split('/')[0]!r}")]
    return loaded, []
