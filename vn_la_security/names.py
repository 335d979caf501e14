"""Name folding for matching spellings (no heavy imports: used at API load time)."""
from __future__ import annotations

import unicodedata


def ascii_name(name: str) -> str:
    """The name without diacritics (Lương Tam Quang → Luong Tam Quang)."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lowercase, without diacritics, with hyphens, dots and runs of spaces folded to one space."""
    return " ".join(ascii_name(text).lower().replace("-", " ").replace(".", " ").split())
