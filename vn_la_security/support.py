"""Values backed by their quotes (issue 15).

Every value that claims to be *as written* (a title, rank or post as written, a name or alias, a Vietnamese
title, a quantity) must occur in a quote that supports it; every date at day precision whose basis is
``printed`` must be stated (day and month) by a quote that supports it; every ``inferred`` date must say in the
row's note how it was inferred (see docs/provenance.md).

A quote supports a column when it is cited for the row with ``field: null`` or ``field: <that column>``.
Values are compared after NFC, case folding and white-space folding, as whole words (for Lao, Thai, Chinese
and other scripts written without spaces: as a substring). Not checked: standard labels that are ours, not the
source's words — ``name_en``, ``title_en`` and an organisation's ``name_vi`` (the renderings an organisation's
name had, as written, are its ``names:``, table ``organization_names``).

Every violation is an error of ``validate`` and ``build`` (E900–E902); ``scripts/provenance_report.py`` lists
them all, by kind, table and column.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic
from .derive import Dataset, Origin, record_key
from .names import ascii_name

_KIND_CODE = {"value": "E900", "date": "E901", "inferred": "E902"}

# table → columns whose value must occur in a supporting quote
VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": ("title_as_written", "rank_label"),
    "ranks": ("rank_label",),
    "positions": ("role_label",),
    "people": ("name", "aliases"),
    "organizations": ("name_lo", "aliases"),   # name_vi is our standard label (renderings: organization_names)
    "agreements": ("title_vi",),
    "projects": ("name_vi",),
    "project_updates": ("quantity",),
}
# a quote cited for the code column also supports the label written next to it
_ALSO_FIELD = {"rank_label": "rank", "role_label": "role"}
DATE_PREFIXES: dict[str, str] = {"meetings": "date", "ranks": "date", "positions": "date",
                                 "project_updates": "date", "agreements": "signed", "sources": "published"}


# --------------------------------------------------------------------------- folding and matching
def fold(text: str) -> str:
    """NFC, case-folded, runs of white space as one space."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())


# Thai, Lao, Burmese, Khmer, kana, CJK ideographs, Hangul
_SPACELESS = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def spaceless(text: str) -> bool:
    """True when ``text`` has a letter of a script written without spaces between words."""
    return _SPACELESS.search(text) is not None


def occurs(value: str, quote: str) -> bool:
    """``value`` occurs in ``quote`` (folded; as whole words unless it is in a script without spaces)."""
    return _occurs_folded(fold(value), fold(quote))


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M"


def _occurs_folded(v: str, q: str) -> bool:
    if not v:
        return False
    if spaceless(v):
        return v in q
    at = q.find(v)
    while at >= 0:
        end = at + len(v)
        if not (at and _is_word(q[at - 1]) and _is_word(v[0])) and \
                not (end < len(q) and _is_word(q[end]) and _is_word(v[-1])):
            return True
        at = q.find(v, at + 1)
    return False


_DIGIT_MAP = {c: str(unicodedata.digit(chr(c))) for base in (0x0ED0, 0x0E50, 0xFF10) for c in range(base, base + 10)}


_OTHER_DIGIT = re.compile("[\u0ed0-\u0ed9\u0e50-\u0e59\uff10-\uff19]")


def ascii_digits(text: str) -> str:
    """Lao (໐–໙), Thai (๐–๙) and full-width digits as ASCII digits."""
    return text.translate(_DIGIT_MAP) if _OTHER_DIGIT.search(text) else text


_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,  ]\d{3})+|\d+)(?![\d])")


def states_number(quantity: int, quote: str) -> bool:
    """The quote writes ``quantity`` in digits (thousands may be separated by ``.``, ``,`` or a space)."""
    return any(int(re.sub(r"\D", "", m.group(1))) == quantity for m in _NUMBER.finditer(ascii_digits(quote)))


# --------------------------------------------------------------------------- dates stated in quotes
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "enero", "januar", "jänner", "gennaio", "ມັງກອນ", "มกราคม", "ม.ค."),
    2: ("february", "feb", "février", "fevrier", "févr", "febrero", "februar", "febbraio", "ກຸມພາ", "กุมภาพันธ์",
        "ก.พ."),
    3: ("march", "mar", "mars", "marzo", "märz", "ມີນາ", "มีนาคม", "มี.ค."),
    4: ("april", "apr", "avril", "abril", "aprile", "ເມສາ", "เมษายน", "เม.ย."),
    5: ("may", "mai", "mayo", "maggio", "ພຶດສະພາ", "พฤษภาคม", "พ.ค."),
    6: ("june", "jun", "juin", "junio", "juni", "giugno", "ມິຖຸນາ", "มิถุนายน", "มิ.ย."),
    7: ("july", "jul", "juillet", "julio", "juli", "luglio", "ກໍລະກົດ", "กรกฎาคม", "ก.ค."),
    8: ("august", "aug", "août", "aout", "agosto", "ສິງຫາ", "สิงหาคม", "ส.ค."),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "ກັນຍາ", "กันยายน",
        "ก.ย."),
    10: ("october", "oct", "octobre", "octubre", "oktober", "ottobre", "ຕຸລາ", "ตุลาคม", "ต.ค."),
    11: ("november", "nov", "novembre", "noviembre", "ພະຈິກ", "พฤศจิกายน", "พ.ย."),
    12: ("december", "dec", "décembre", "decembre", "déc", "diciembre", "dezember", "dicembre", "ທັນວາ", "ธันวาคม",
         "ธ.ค."),
}
_MONTH_OF = {name: m for m, names in _MONTH_NAMES.items() for name in names}
_ENGLISH = {n for m in _MONTH_NAMES.values() for n in m[:2]} | {"sept"}
_MONTHS_RE = "|".join(re.escape(n) for n in sorted(_MONTH_OF, key=len, reverse=True))
_EN_RE = "|".join(re.escape(n) for n in sorted(_ENGLISH, key=len, reverse=True))
_NOT_LATIN = r"(?![a-zà-ÿ])"
# one day, or two joined by a dash or a word ("27-29/8", "8 và 9 tháng 1", "15 et 16 janvier")
_DAYS = (r"(?<![\d/.])(?P<d1>\d{1,2})(?:\s*(?:[-–,]|và|đến|tới|and|to|et|au|y|al|bis|e)\s*(?:ngày\s+)?"
         r"(?P<d2>\d{1,2}))?")
_YEAR = r"(?P<y>\d{4})"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)" + _YEAR + r"-(?P<m>\d{1,2})-(?P<d1>\d{1,2})(?!\d)"),                       # 2024-01-15
    re.compile(r"(?:" + _YEAR + r"\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]"),          # 2024年1月15日
    re.compile(_DAYS + r"\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?!\d)"),  # 15/1, 15-1-2024
    re.compile(_DAYS + r"\s*(?:tháng|ເດືອນ|เดือน)\s*(?P<m>\d{1,2})(?!\d)(?:\s*(?:năm|,|/)?\s*" + _YEAR + r")?"),
    re.compile(_DAYS + r"(?:\s*(?:er|st|nd|rd|th|º|°|\.))?\s*(?:de\s+|of\s+)?(?P<mn>" + _MONTHS_RE + r")" + _NOT_LATIN
               + r"\.?(?:\s*(?:de\s+|,\s*|พ\.ศ\.\s*|ค\.ศ\.\s*)?" + _YEAR + r")?"),                  # 15 janvier
    re.compile(r"(?<![a-zà-ÿ])(?P<mn>" + _EN_RE + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
               r"(?:\s*[-–]\s*(?P<d2>\d{1,2}))?(?:,?\s+" + _YEAR + r")?"),                            # January 15
]

_NEEDS = ("-", "月", None, None, None, None)   # a character each pattern's matches contain, when there is one


def stated_days(quote: str) -> set[tuple[int, int, int | None]]:
    """Every (day, month, year or None) the quote states, in any of the recognised forms."""
    return _stated_days_folded(fold(quote))


def _stated_days_folded(folded: str) -> set[tuple[int, int, int | None]]:
    text = ascii_digits(folded)
    found: set[tuple[int, int, int | None]] = set()
    for pattern, needs in zip(_DATE_PATTERNS, _NEEDS, strict=True):
        if needs and needs not in text:
            continue   # the pattern cannot match: a substring test is cheaper than the scan
        for m in pattern.finditer(text):
            g = m.groupdict()
            month = _MONTH_OF[g["mn"]] if g.get("mn") else int(g["m"])
            year = int(g["y"]) if g.get("y") else None
            if year is not None and year < 100:
                year += 2000
            if year is not None and year > 2400:   # Buddhist era (Thai, sometimes Lao)
                year -= 543
            for day in (g.get("d1"), g.get("d2")):
                if day and 1 <= int(day) <= 31 and 1 <= month <= 12:
                    found.add((int(day), month, year))
    return found


def states_date(quote: str, days: tuple[dt.date, ...]) -> bool:
    """The quote states one of ``days`` (day and month; the year too when it gives one)."""
    return _states(stated_days(quote), days)


def _states(stated: set[tuple[int, int, int | None]], days: tuple[dt.date, ...]) -> bool:
    return any((d, m) == (day.day, day.month) and y in (None, day.year) for d, m, y in stated for day in days)


# --------------------------------------------------------------------------- the checks
@dataclass(frozen=True)
class Violation:
    kind: str            # value | date | inferred
    table: str
    record_id: str
    column: str
    value: str
    origin: Origin
    at: tuple            # YAML path of the offending value, below the row
    message: str

    @property
    def code(self) -> str:
        return _KIND_CODE[self.kind]


def _folded(folds: dict[str, str], text: str) -> str:
    """``fold(text)``, once per distinct text: a cite item gives a citation row per row it supports, and labels
    and titles repeat across rows."""
    folded = folds.get(text)
    if folded is None:
        folded = folds[text] = fold(text)
    return folded


def _quotes(ds: Dataset, folds: dict[str, str]) -> dict[tuple[str, str], list[tuple[str | None, str]]]:
    """(field, folded quote) of every citation, by (table, record key)."""
    out: dict[tuple[str, str], list[tuple[str | None, str]]] = defaultdict(list)
    for c in ds.rows["citations"]:
        out[(c.record_table, c.record_id)].append((c.field, _folded(folds, c.quote)))
    return out


def _supporting(quotes: list[tuple[str | None, str]], column: str) -> list[str]:
    wanted = {None, column, _ALSO_FIELD.get(column)}
    return [q for f, q in quotes if f in wanted]


def _values(row: Any, column: str) -> Iterator[tuple[Any, tuple]]:
    value = getattr(row, column)
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield item, (column, i)
    elif value is not None:
        yield value, (column,)


def find(ds: Dataset) -> list[Violation]:
    """Every value and date not backed by a supporting quote, and every inferred date without a note."""
    folds: dict[str, str] = {}
    quotes = _quotes(ds, folds)
    stated: dict[str, set[tuple[int, int, int | None]]] = {}   # the days each folded quote states
    out: list[Violation] = []
    for table, columns in VALUE_COLUMNS.items():
        for row, origin in zip(ds.rows[table], ds.origins[table]):
            if table == "ranks" and row.meeting_id:
                continue   # a participant's rank: checked as the participant's rank_label
            key = record_key(table, row)
            for column in columns:
                support = _supporting(quotes.get((table, key), []), column)
                for value, at in _values(row, column):
                    if column == "aliases" and table == "people" and value == ascii_name(row.name):
                        continue   # the name without diacritics: name_ascii, derived, not a spelling claimed
                    folded = _folded(folds, str(value))
                    ok = (states_number(value, " ".join(support)) if column == "quantity"
                          else any(_occurs_folded(folded, q) for q in support))
                    if not ok:
                        out.append(Violation("value", table, key, column, str(value), origin, at,
                                             f"{column} {value!r} does not occur in any quote cited for this "
                                             f"{'row' if origin.yaml_path else 'record'} with field: null or "
                                             f"field: {column}: add a cite whose quote contains it, or correct "
                                             "the value to what the source writes"))
    for table, prefix in DATE_PREFIXES.items():
        for row, origin in zip(ds.rows[table], ds.origins[table]):
            value = getattr(row, prefix)
            if value is None or (table in ("ranks", "positions") and row.meeting_id):
                continue   # no date, or the meeting's date (checked with the meeting)
            key = record_key(table, row)
            if getattr(row, f"{prefix}_basis") == "inferred":
                if not row.note:
                    out.append(Violation("inferred", table, key, f"{prefix}_basis", value, origin,
                                         (f"{prefix}_basis",),
                                         f"{prefix} {value!r} is inferred but the note does not say how: write the "
                                         "rule in note (see docs/provenance.md, e.g. 'Date inferred: publication "
                                         "date 2024-01-16 + \"hôm qua\".')"))
                continue
            if table == "sources" or getattr(row, f"{prefix}_precision") != "day":
                continue
            days = (getattr(row, f"{prefix}_start"), getattr(row, f"{prefix}_end"))
            supporting = _supporting(quotes.get((table, key), []), prefix)
            for q in supporting:
                if q not in stated:
                    stated[q] = _stated_days_folded(q)
            if not any(_states(stated[q], days) for q in supporting):
                out.append(Violation("date", table, key, prefix, value, origin, (prefix,),
                                     f"{prefix} {value!r} is not stated (day and month) in any quote cited for it "
                                     f"(field: null or {prefix}): add a cite with field: {prefix} whose quote states "
                                     f"the day (e.g. 'ngày {days[0].day}/{days[0].month}'), or set "
                                     f"{prefix}_basis: inferred and say how in note"))
    return out


def to_diagnostic(v: Violation) -> Diagnostic:
    line, col = v.origin.locate(*v.at)
    return Diagnostic(v.origin.path, line, col, v.code, v.message)


def check(ds: Dataset) -> list[Diagnostic]:
    """An error for every violation."""
    return [to_diagnostic(v) for v in find(ds)]
