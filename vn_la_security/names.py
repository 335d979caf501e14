"""Name folding for matching spellings (no heavy imports: used at API load time).

``fold`` is the one folding function: the name lookups (``api``), the full-text index (``export_sqlite``) and the
validator's rule that no alias may stand for another person or organisation (``rules.name_collisions``) all use
it, so what the validator refuses is exactly what a lookup could not tell apart.
"""
from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter + a mark: Vietnamese đ, and the look-alike D with a
# stroke that keyboards and old encodings put in its place (Icelandic eth Ð/ð, African Ɖ/ɖ).
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ɖ": "d", "Ɖ": "D"})


def ascii_name(name: str) -> str:
    """The name without diacritics (Lương Tam Quang → Luong Tam Quang)."""
    text = unicodedata.normalize("NFD", name.translate(_NO_DECOMPOSITION))
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The spelling reduced to what tells names apart: compatibility forms unified (full-width letters,
    ligatures), diacritics removed, case folded, and every run of characters that are not letters or digits
    (spaces, hyphens, dots, apostrophes, dashes …) turned into one space."""
    text = ascii_name(unicodedata.normalize("NFKC", text)).casefold()
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    return " ".join(kept.split())
