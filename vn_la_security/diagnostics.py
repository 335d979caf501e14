"""Diagnostics: one problem, located in a file, in the shape ``file:line:col: CODE message``."""
from __future__ import annotations

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
    "E202": "date out of bounds (in the future, or before 1900)",
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
    "W301": "source text not in the archive: its quotes were not checked",
    "E303": "a published row has no citation",
    "E400": "a published ID disappeared without a tombstone",
    "E402": "a tombstoned ID is used again",
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
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
