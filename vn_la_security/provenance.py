"""Quotes checked against archived source texts (matched by SHA-256, never by file name).

A quote proves something only if it is long enough to be specific and is found as whole words:

* **length** (E700, always checked): at least ``QUOTE_MIN_WORDS`` words (runs between white space that hold a
  letter or digit); a quote in a script written without spaces between words (Lao, Thai, Khmer, Myanmar,
  Tibetan, Chinese, Japanese) may instead have at least ``QUOTE_MIN_LETTERS`` letters and digits.
* **whole words** (E301 / E701, with ``--archive``): the quote must occur in the normalised text with no word
  running on across either end: no letter next to a letter, no digit next to a digit (``10 trụ sở`` does not
  match ``110 trụ sở``, ``ông an`` does not match ``Công an``). Where the quote's edge or the neighbouring
  character is in a script without spaces, a boundary cannot be seen and is not required.
* **hashes**: under ``--archive`` a ``text_sha256`` that matches no archived text is an error (E702: the quotes
  could not be checked, and a made-up hash must not pass) unless the source has a fingerprint, which checks its
  quotes in every run; two sources can never share a ``text_sha256``
  (E703, always checked: one text is one source, a second outlet printing it is noted, not added).
"""
from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from .diagnostics import Diagnostic
from .derive import Dataset, Origin

_WS = re.compile(r"\s+")
_ALNUM = re.compile(r"[^\W_]")   # a letter or digit
QUOTE_MIN_WORDS = 3
QUOTE_MIN_LETTERS = 12
# Scripts written without spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer, kana, CJK ideographs.
_UNSPACED = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                       "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


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


def _word_char(c: str) -> bool:
    return unicodedata.category(c)[0] in "LNM"


def too_short(quote: str) -> bool:
    """Fewer than ``QUOTE_MIN_WORDS`` words (or, in a script without spaces, ``QUOTE_MIN_LETTERS`` letters)."""
    words = (w for w in quote.split() if _ALNUM.search(w))
    if next(itertools.islice(words, QUOTE_MIN_WORDS - 1, None), None) is not None:   # stops at the third
        return False
    return not (_UNSPACED.search(quote) and sum(map(_word_char, quote)) >= QUOTE_MIN_LETTERS)


def _kind(c: str) -> str:
    """``L`` for a letter or mark, ``N`` for a digit, else the category's first letter."""
    kind = unicodedata.category(c)[0]
    return "L" if kind == "M" else kind


def _joined(a: str, b: str) -> bool:
    """Whether ``a`` followed by ``b`` runs on as one word: two letters or two digits of a script with spaces
    (a letter next to a digit is taken as a boundary: extracted texts glue captions such as ``ảnh 2Thủ``)."""
    return _kind(a) == _kind(b) and _kind(a) in "LN" and not _UNSPACED.match(a) and not _UNSPACED.match(b)


def find_quote(quote: str, text: str) -> str | None:
    """``"whole"`` if the normalised quote occurs in ``text`` at word boundaries, ``"part"`` if only inside
    longer words, ``None`` if not at all."""
    quote = normalise(quote)
    found, start = None, text.find(quote)
    while start >= 0 and quote:
        end = start + len(quote)
        run_on = (start and _joined(text[start - 1], quote[0])) or (end < len(text) and _joined(quote[-1], text[end]))
        if not run_on:
            return "whole"
        found, start = "part", text.find(quote, start + 1)
    return found


def _at(origin: Origin, code: str, message: str, *field: str) -> Diagnostic:
    line, col = origin.locate(*field)
    return Diagnostic(origin.path, line, col, code, message)


def quote_lengths(ds: Dataset) -> Iterator[Diagnostic]:
    """E700 for every quote too short to prove anything (``a``, ``,``, one word)."""
    short: dict[str, bool] = {}   # by quote: a cite item gives a citation row per row it supports
    for i, row in enumerate(ds.rows["citations"]):
        if row.quote not in short:
            short[row.quote] = too_short(row.quote)
        if short[row.quote]:   # a cite item citing several derived rows gives one (deduplicated) message
            yield _at(ds.origins["citations"][i], "E700",
                      f"quote {row.quote!r} is too short to prove anything: quote at least {QUOTE_MIN_WORDS} "
                      f"consecutive words of the source ({QUOTE_MIN_LETTERS} letters in Lao, Thai, Chinese or "
                      "Japanese), copied exactly", "quote")


def english_renderings(ds: Dataset) -> Iterator[Diagnostic]:
    """E716 for every quote from a source not in English that has no ``quote_en`` (our English rendering), so
    that a reader without the source's language can check the evidence."""
    language = {row.source_id: row.language for row in ds.rows["sources"]}
    for i, row in enumerate(ds.rows["citations"]):
        lang = language.get(row.source_id, "en")
        if not row.quote_en and lang.split("-")[0] != "en":
            yield _at(ds.origins["citations"][i], "E716",
                      f"quote {row.quote[:60]!r} is in {lang} but has no quote_en: add quote_en with our English "
                      "translation of exactly that quote", "quote")


def unique_text_hashes(ds: Dataset) -> Iterator[Diagnostic]:
    """E703 at every source whose text_sha256 another source also has (both ends: either may be the new one)."""
    by_hash: dict[str, list[tuple[str, Origin]]] = defaultdict(list)
    for row, origin in zip(ds.rows["sources"], ds.origins["sources"]):
        if row.text_sha256 is not None:
            by_hash[row.text_sha256].append((row.source_id, origin))
    for sharing in by_hash.values():
        for source_id, origin in sharing if len(sharing) > 1 else ():
            others = ", ".join(f"{s!r} ({o.path})" for s, o in sharing if s != source_id)
            yield _at(origin, "E703", f"text_sha256 is also the text of source {others}: one text is one source; "
                                      "if another outlet republished it, keep one source and name the other copy "
                                      "in its note", "text_sha256")


def check_quotes(ds: Dataset, archive: Path, fingerprinted: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Quotes checked verbatim against the archived texts. A source in ``fingerprinted`` (it has a fingerprint,
    checked in every run) whose text is not in this archive is not an error: its ``text_sha256`` names the text
    its fingerprint was made from, which the curator holds and the project does not publish."""
    by_hash, by_name = read_archive(archive)
    out: list[Diagnostic] = []
    texts: dict[str, str | None] = {}
    for row, origin in zip(ds.rows["sources"], ds.origins["sources"]):
        digest = row.text_sha256
        name = ds.archive_names.get(row.source_id)
        if digest and digest in by_hash:
            texts[row.source_id] = by_hash[digest]
        elif name and name in by_name and digest:
            out.append(_at(origin, "E302", f"archive text {name} is present but its SHA-256 is {by_name[name]}, not "
                                           "text_sha256: the text changed or the hash is wrong; recompute it "
                                           "(vn-la-security hash FILE)", "text_sha256"))
        elif digest and row.source_id not in fingerprinted:
            out.append(_at(origin, "E702", f"no text in the archive {archive} has this text_sha256, so the quotes "
                                           "of this source cannot be checked: add the text to the archive, correct "
                                           "the hash (vn-la-security hash FILE), or set text_sha256: null if no "
                                           "archived copy exists", "text_sha256"))
    for row, origin in zip(ds.rows["citations"], ds.origins["citations"]):
        text = texts.get(row.source_id)
        if text is None:
            continue
        found = find_quote(row.quote, text)
        if found is None:
            out.append(_at(origin, "E301", f"quote not found in {row.source_id}: copy it exactly from the source "
                                           "(same words, diacritics and punctuation; no ellipses)", "quote"))
        elif found == "part":
            out.append(_at(origin, "E701", f"quote found in {row.source_id} only inside longer words (it starts or "
                                           "ends in the middle of a word): quote whole words", "quote"))
    return out
