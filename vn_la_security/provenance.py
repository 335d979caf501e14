"""Quotes checked verbatim against archived source texts (matched by SHA-256, never by file name)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from .diagnostics import Diagnostic
from .derive import Dataset

_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def text_sha256(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


class ArchiveError(Exception):
    pass


def read_archive(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """``({sha256: normalised text}, {file name: sha256})`` for every ``*.txt`` in ``folder``."""
    if not folder.is_dir():
        raise ArchiveError(f"archive folder {folder} does not exist")
    by_hash: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        try:
            text = normalise(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"cannot read archive text {path}: {exc}") from None
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        by_hash[digest] = text
        by_name[path.name] = digest
    return by_hash, by_name


def check_quotes(ds: Dataset, archive: Path) -> list[Diagnostic]:
    by_hash, by_name = read_archive(archive)
    out: list[Diagnostic] = []
    texts: dict[str, str | None] = {}
    for row, origin in zip(ds.rows["sources"], ds.origins["sources"]):
        digest = row.text_sha256
        name = ds.archive_names.get(row.source_id)
        if name and name in by_name and digest and by_name[name] != digest:
            line, col = origin.locate("text_sha256")
            out.append(Diagnostic(origin.path, line, col, "E302",
                                  f"archive text {name} is present but its SHA-256 is {by_name[name]}, not "
                                  "text_sha256: the text changed or the hash is wrong; recompute it "
                                  "(vn-la-security hash FILE)"))
        if digest and digest in by_hash:
            texts[row.source_id] = by_hash[digest]
        elif digest:
            line, col = origin.locate("text_sha256")
            out.append(Diagnostic(origin.path, line, col, "W301",
                                  "no archive text has this text_sha256: quotes from this source were not checked"))
    for row, origin in zip(ds.rows["citations"], ds.origins["citations"]):
        text = texts.get(row.source_id)
        if text is None:
            continue
        if normalise(row.quote) not in text:
            line, col = origin.locate("quote")
            out.append(Diagnostic(origin.path, line, col, "E301",
                                  f"quote not found in {row.source_id}: copy it exactly from the source "
                                  "(same words, diacritics and punctuation; no ellipses)"))
    return out
