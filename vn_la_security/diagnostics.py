"""Diagnostics: one problem, located in a file, in the shape ``file:line:col: CODE message``."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Every code the validator can emit, with what it means. Codes starting with W are warnings.
CODES: dict[str, str] = {
    "E001": "YAML syntax error",
    "E002": "duplicate key in a mapping",
    "E003": "YAML tag, anchor or alias (not allowed in records)",
    "E004": "file cannot be read as a record (encoding, BOM, empty, too large, not a mapping)",
    "E005": "file is a symlink or lies outside data/",
    "E006": "file is in the wrong place or named differently from its ID",
    "E101": "required field missing",
    "E102": "unknown field",
    "E103": "invalid value",
    "E200": "duplicate ID",
    "E201": "reference to a record that does not exist",
    "E202": "date out of bounds (starts or, for an interval, ends in the future; or before 1900)",
    "E203": "range ends before it starts",
    "E204": "participant listed twice in one meeting / signatory twice on one agreement",
    "E210": "one source gives two different ranks for a person on the same day",
    "W210": "sources disagree on a person's rank on the same day (kept as a conflict)",
    "E211": "rank goes down the ladder without a cited demotion",
    "W211": "rank goes down the ladder, marked disputed (kept as a conflict)",
    "E212": "two people hold a single-seat post on the same day",
    "W212": "two people hold a single-seat post on the same day, marked disputed (kept as a conflict)",
    "E213": "one person is both minister and deputy minister of one organisation on the same day",
    "W213": "sources disagree whether a person is minister or deputy minister on the same day (conflict)",
    "W220": "a fact marked disputed: sources disagree (kept, listed by load_conflicts())",
    "E301": "quote not found verbatim in the archived source text",
    "E302": "archived text present but its SHA-256 does not match the source's text_sha256",
    "E303": "a published row has no citation",
    "E400": "a published ID disappeared without a tombstone",
    "E402": "a tombstoned ID is used again",
    # rules helper (issue 12): quotes, contradictions, name lookups
    "E700": "quote too short to prove anything (fewer than 3 words; 12 letters in scripts without spaces)",
    "E701": "quote found in the archived text only inside longer words",
    "E702": "with --archive: no archived text has the source's text_sha256",
    "E703": "two sources have the same text_sha256",
    "E705": "meeting dated after the publication of every source cited for it",
    "E706": "agreement signed at a meeting (meeting_id) on a date the meeting's date cannot mean",
    "E707": "a rank or post ends (basis: ended) before every recorded start of it",
    "E708": "an agreement or organisation is its own parent or predecessor (directly or through a cycle)",
    "E709": "two meetings with the same series and session",
    "E710": "a meeting with a session but no series",
    "E711": "meeting ID starts with a more precise date than the meeting's date",
    "E712": "cite.field names no column of the cited row's table",
    "E714": "a person's alias folds to another person's name, alias or ID (lookups would find the wrong person)",
    "E715": "an organisation's alias folds to another organisation's name, alias or ID",
    "W716": "two people's names fold alike (namesakes, or one person recorded twice)",
    "W720": "one person at meetings in two countries on the same day",
    "W721": "a rank two or more ladder steps above the person's rank on the day before",
    "E800": "an organisation's name occurs in none of the quotes cited for it",
    "E801": "an organisation's name has no date and none of its sources has a publication date",
    "E802": "a project update has a quantity_kind but no quantity",
    "W800": "a project update has a quantity but no quantity_kind",
    "E600": "file or folder name is not valid UTF-8",
    "E601": "too many problems in one file: the rest are counted, not listed",
    "E602": "a lifecycle file (published-ids.txt, tombstones.yaml) is not a regular file, too large or malformed",
    "E603": "an ID published at the base branch disappeared without a tombstone",
    "E604": "a tombstone present at the base branch was removed (tombstones are permanent)",
    "E605": "an ID tombstoned at the base branch is used again",
    # issue 15 (vn_la_security/support.py, fingerprint.py; see docs/provenance.md)
    "E900": "a value given as written does not occur in a quote that supports it",
    "E901": "a day-precision date (basis printed) is not stated by a quote that supports it",
    "E902": "an inferred date without a note saying how it was inferred",
    "E910": "fingerprint file unreadable or malformed",
    "E911": "fingerprint_sha256 does not match the fingerprint file (or one of them is missing)",
    "E912": "a fingerprinted source does not say which text was fingerprinted (checked_text)",
    "E913": "a file in data/fingerprints/ that is not <source_id>.txt of an existing source",
    "E914": "quote not covered by its source's fingerprint",
    "E915": "quote too short to be checked against its source's fingerprint",
    "E916": "source with neither an archived text nor a fingerprint: its quotes are unverified",
}

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(value: str) -> str:
    """``value`` safe to print on one line of a terminal or CI log: line breaks, controls and invisible
    characters as ``\\n``, ``\\x1b``, ``\\u202e``; bytes that were not UTF-8 (surrogate escapes from
    ``os.fsdecode``) as ``\\xff``. Printable text (Vietnamese, Lao …) is unchanged."""
    if value.isascii() and value.isprintable():
        return value
    out = []
    for ch in value:
        cat = unicodedata.category(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif cat == "Cs" and 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif cat[0] == "C" or cat in ("Zl", "Zp"):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000
                       else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def log_line(value: str) -> str:
    """One line for a CI log: ``printable``, and never starting with ``::`` (a GitHub workflow command)."""
    value = printable(value)
    return "\\" + value if value.lstrip().startswith("::") else value


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def __str__(self) -> str:
        """``file:line:col: CODE message`` on one line, escaped (see ``log_line``)."""
        return log_line(f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}")
