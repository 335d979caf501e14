"""``vn-la-security new KIND``: a record file to fill in, with the right name, ID and comments.

A skeleton is generated from the record model (models.py): every field is present, in model order, with
its description and allowed codes in a comment. Values the contributor must supply are ``TODO`` (codes,
IDs, dates) or ``""`` (free text): both fail validation with a located message until they are filled in,
so a skeleton never passes unnoticed. Optional fields show their default (``null``, ``false``, ``[]``).
"""
from __future__ import annotations

import json
import os
import re
import textwrap
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .dates import parse_edtf
from .models import RECORD_KINDS, SLUG_RE, RecordKind
from .names import ascii_name
from .schemas import RecordField, record_fields

# ``new meeting`` … : record kinds by the singular of their folder (MeetingRecord → meeting).
KINDS: dict[str, RecordKind] = {k.model.__name__.removesuffix("Record").lower(): k for k in RECORD_KINDS.values()}
SHOW_ITEM = {"participants", "updates"}   # nested lists shown with one item to fill in; others as []
COMMENT_COLUMN = 34
WIDTH = 118


class SkeletonError(Exception):
    """A usage problem (bad option, file exists): one sentence for the user."""


def slugify(text: str) -> str:
    """``Lương Tam Quang`` → ``luong-tam-quang``."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_name(text).lower()).strip("-")


def codes(enum: type[Enum]) -> str:
    return " | ".join(m.value for m in enum)


def _lines(spec: list[tuple[str, str]]) -> str:
    """Render ``(yaml line, comment)`` pairs with comments aligned and wrapped."""
    out = []
    for line, comment in spec:
        if not comment:
            out.append(line)
            continue
        pad = max(COMMENT_COLUMN, len(line) + 1)
        parts = textwrap.wrap(comment, WIDTH - pad - 2, break_on_hyphens=False) or [""]
        out.append(f"{line:<{pad}}# {parts[0]}")
        out.extend(f"{' ' * pad}# {p}" for p in parts[1:])
    return "\n".join(out) + "\n"




def _value(f: RecordField, given: dict[str, Any]) -> tuple[str, str]:
    """The YAML value of a field and the start of its comment (``TODO: `` when the contributor must write it)."""
    if f.name in given:
        value = given[f.name]
        return (json.dumps(value, ensure_ascii=False) if f.kind in ("date", "text") else str(value)), ""
    if f.required:
        if f.kind == "text":
            return '""', "TODO: "
        return ('"TODO"' if f.kind == "date" else "TODO"), ""
    if isinstance(f.default, str):
        return f.default, ""
    return json.dumps(f.default, ensure_ascii=False), ""   # null, false, []


def _comment(f: RecordField) -> str:
    comment = f.description
    if f.enum is not None and not all(m.value in comment for m in f.enum):
        comment += ("; " if comment else "") + f"one of: {codes(f.enum)}"
    return comment


def _item_summary(model: type[BaseModel]) -> str:
    return ", ".join(f"{g.name} ({codes(g.enum)})" if g.enum is not None else g.name for g in record_fields(model))


def _fields(model: type[BaseModel], given: dict[str, Any], source: str | None, first: str,
            indent: str) -> list[tuple[str, str]]:
    """Lines for the fields of ``model``: the first line starts with ``first``, the others with ``indent``."""
    out: list[tuple[str, str]] = []
    for i, f in enumerate(record_fields(model)):
        lead = first if i == 0 else indent
        if f.item is not None and (f.required or f.name in SHOW_ITEM):
            item_given = ({"source": source} if source else {}) if f.name == "cite" else given.get(f.name, {})
            out.append((f"{lead}{f.name}:", _comment(f) + ("" if f.required else "; use [] if none")))
            out += _fields(f.item, item_given, source, f"{indent}  - ", f"{indent}    ")
        elif f.item is not None:
            out.append((f"{lead}{f.name}: []", f"{_comment(f)}; each item: {_item_summary(f.item)}"))
        else:
            value, todo = _value(f, given)
            out.append((f"{lead}{f.name}: {value}", todo + _comment(f)))
    return out


def _skeleton(kind: str, path: Path, root: Path, given: dict[str, Any], source: str | None) -> tuple[Path, str]:
    model = KINDS[kind].model
    schema = Path(os.path.relpath(root / "schemas" / "records" / f"{KINDS[kind].folder}.schema.json", path.parent))
    rel = path.relative_to(root).as_posix()
    spec = [
        (f"# yaml-language-server: $schema={schema.as_posix()}", ""),
        (f"# {(model.__doc__ or '').strip()}", ""),
        ("# Fill in every TODO and \"\", delete optional lines you do not need (see CONTRIBUTING.md), then run", ""),
        (f"#   vn-la-security validate {rel}", ""),
        *_fields(model, given, source, "", ""),
    ]
    return path, _lines(spec)


def _date(value: str) -> str:
    try:
        parse_edtf(value)
    except ValueError as exc:
        raise SkeletonError(f"--date {value!r}: {exc}") from None
    return value


def _slug(value: str | None, option: str) -> str:
    if not value:
        raise SkeletonError(f"{option} is required: a short lowercase name such as 'talks-vientiane'")
    if not SLUG_RE.match(value):
        raise SkeletonError(f"{option} {value!r} is not a valid ID part: use lowercase letters, digits and single "
                            "hyphens, e.g. 'talks-vientiane'")
    return value


def meeting(root: Path, date: str | None, slug: str | None, **_: object) -> tuple[Path, dict[str, Any]]:
    if not date:
        raise SkeletonError("--date is required for a meeting: the day it happened, e.g. --date 2024-08-27")
    date = _date(date)
    record_id = f"{date.split('/')[0]}-{_slug(slug, '--slug')}"
    return root / "data" / "meetings" / date[:4] / f"{record_id}.yaml", {"meeting_id": record_id, "date": date}


def person(root: Path, name: str | None, slug: str | None, **_: object) -> tuple[Path, dict[str, Any]]:
    if not name:
        raise SkeletonError('a person needs a name: vn-la-security new person "Lương Tam Quang"')
    record_id = _slug(slug or slugify(name), "--slug")
    return root / "data" / "people" / f"{record_id}.yaml", {"person_id": record_id, "name": name}


def agreement(root: Path, date: str | None, slug: str | None, **_: object) -> tuple[Path, dict[str, Any]]:
    slug = _slug(slug, "--slug")
    signed = _date(date) if date else None
    record_id = f"{signed.split('/')[0]}-{slug}" if signed else slug
    return root / "data" / "agreements" / f"{record_id}.yaml", {"agreement_id": record_id, "signed": signed}


def project(root: Path, slug: str | None, date: str | None = None, **_: object) -> tuple[Path, dict[str, Any]]:
    record_id = _slug(slug, "--slug")
    updates = {"date": _date(date)} if date else {}
    return root / "data" / "projects" / f"{record_id}.yaml", {"project_id": record_id, "updates": updates}


def source(root: Path, slug: str | None, date: str | None, **_: object) -> tuple[Path, dict[str, Any]]:
    record_id = _slug(slug, "--slug")
    published = _date(date) if date else None
    return root / "data" / "sources" / f"{record_id}.yaml", {"source_id": record_id, "published": published}


def _default(kind: str):
    """Any other kind: the ID is ``--slug`` and the file sits in the kind's folder."""
    def build(root: Path, slug: str | None, **_: object) -> tuple[Path, dict[str, Any]]:
        record_id = _slug(slug, "--slug")
        return root / "data" / KINDS[kind].folder / f"{record_id}.yaml", {KINDS[kind].id_field: record_id}
    return build


_BUILDERS = {"meeting": meeting, "person": person, "agreement": agreement, "project": project, "source": source}


def skeleton(kind: str, root: Path, **options: object) -> tuple[Path, str]:
    """``(path, text)`` of a new record file; ``SkeletonError`` on bad options."""
    country = options.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
        raise SkeletonError(f"--country {country!r}: use an ISO 3166-1 alpha-2 code such as VN or LA")
    src = options.get("source")
    if src is not None and not SLUG_RE.match(str(src)):
        raise SkeletonError(f"--source {src!r} is not a source_id (lowercase letters, digits, hyphens)")
    root = root.absolute()
    path, given = _BUILDERS.get(kind, _default(kind))(root, **options)
    if country is not None and "country" in KINDS[kind].model.model_fields:
        given["country"] = country
    return _skeleton(kind, path, root, {k: v for k, v in given.items() if v is not None},
                     None if src is None else str(src))


def write(kind: str, root: Path, **options: object) -> Path:
    """Create the skeleton file; refuse to overwrite an existing one."""
    path, text = skeleton(kind, root, **options)
    if path.exists():
        raise SkeletonError(f"{path.relative_to(root.absolute()).as_posix()} already exists: edit it, or choose "
                            "another --slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:
        fh.write(text)
    return path
