"""EDTF dates (the subset the contract allows) and the date group they expand to."""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

# ASCII digits only (``\d`` also matches Arabic-Indic, Devanagari, Lao … digits) and full matches only
# (``$`` would also match before a trailing newline).
_DAY = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_PATTERNS = (
    (re.compile(rf"{_DAY}/{_DAY}"), "interval"),
    (re.compile(_DAY), "day"),
    (re.compile(r"([0-9]{4})-([0-9]{2})"), "month"),
    (re.compile(r"([0-9]{4})"), "year"),
)
#: The earliest time zone on Earth (Line Islands, UTC+14). "Today" is the calendar day there, so a date
#: that is today anywhere in the world is never "in the future", whatever the runner's own time zone.
EARLIEST_ZONE = timezone(timedelta(hours=14))


def today() -> date:
    """Today's date in UTC+14: the latest calendar day any place on Earth has reached. The one
    definition of "today" for the future-date checks, the same on every runner (time zone, TZ, locale)."""
    return datetime.now(EARLIEST_ZONE).date()


@dataclass(frozen=True, slots=True)
class DateGroup:
    """``value`` as written (EDTF) with the earliest and latest calendar day it can mean."""

    value: str
    start: date
    end: date
    precision: str  # day | month | year

    def overlaps(self, other: DateGroup) -> bool:
        return self.start <= other.end and other.start <= self.end


def _day(y: str, m: str, d: str, text: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar day") from None


def parse_edtf(text: str) -> DateGroup:
    """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DD/YYYY-MM-DD``.

    Raises ``ValueError`` with a message meant for a contributor.
    """
    if not isinstance(text, str):
        raise ValueError("a date must be a quoted string such as \"2024-08-27\", \"2024-08\" or \"2024\"")
    return _parse(text)


@functools.lru_cache(maxsize=4096)   # each date is parsed by its model and again by derive; many repeat
def _parse(text: str) -> DateGroup:    # (a DateGroup is frozen; a ValueError is raised again, not cached)
    for pattern, kind in _PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = m.groups()
        if kind == "interval":
            start, end = _day(g[0], g[1], g[2], text), _day(g[3], g[4], g[5], text)
            if end < start:
                raise ValueError(f"interval {text!r} ends before it starts")
            return DateGroup(text, start, end, "day")
        if kind == "day":
            d = _day(g[0], g[1], g[2], text)
            return DateGroup(text, d, d, "day")
        if kind == "month":
            y, mo = int(g[0]), int(g[1])
            if not 1 <= mo <= 12:
                raise ValueError(f"{text!r}: month must be 01–12")
            return DateGroup(text, date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month")
        y = int(g[0])
        if y < 1:
            raise ValueError(f"{text!r}: year out of range")
        return DateGroup(text, date(y, 1, 1), date(y, 12, 31), "year")
    raise ValueError(
        f"{text!r} is not an accepted date: use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD (EDTF)"
    )
