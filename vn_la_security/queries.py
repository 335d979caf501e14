"""Queries on the published tables: names to IDs, and who held what on a given day.

* ``find_person(text)`` / ``find_org(text)``: an ID from any spelling. First an exact match ignoring case,
  diacritics, hyphens and spacing (names, aliases, IDs; for organisations also every dated name); then fuzzy
  matching (rapidfuzz) for transliteration variants. ``None`` when nothing is close; ``AmbiguousNameError``
  when the text fits several (an alias shared by two people never silently picks one).
* ``holders_on(org, role, date)`` → ``[{"person_id", "certainty", "tenure_id"}]``;
  ``positions_on(person, date)`` → ``[{"org_id", "role", "certainty", "tenure_id"}]``;
  ``rank_on(person, date)`` → the rank code firmly held that day, or ``None``;
  ``rank_on(person, date, with_certainty=True)`` → ``[{"rank", "certainty", "spell_id"}]``.
  They read the derived ``tenures`` / ``rank_spells`` tables: ``certainty`` is ``"held"`` inside a spell's
  firm bounds, ``"possible"`` inside its uncertain range only (docs/temporal.md). Rows come held first.
  A person or organisation is an ID or a name; the date a ``date``, ``datetime`` or ISO string.
  An unknown ID raises ``UnknownIdError`` naming the closest IDs (an ID-shaped text — lowercase words joined
  by hyphens — is matched exactly, never fuzzily, so a mistyped ID is an error rather than a guess).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from .api import _rows
from .names import fold

_ID_SHAPE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
FUZZY_CUTOFF = 85      # rapidfuzz ratio (0-100) of the folded, space-free texts
FUZZY_MARGIN = 3       # candidates of other IDs within this many points of the best: ambiguous


class UnknownIdError(LookupError):
    """An ID or name that matches nothing; ``closest`` lists the nearest IDs."""

    def __init__(self, kind: str, text: str, closest: list[str]):
        self.kind, self.text, self.closest = kind, text, closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"unknown {kind} {text!r}{hint}")


class AmbiguousNameError(LookupError):
    """A name that fits several IDs; ``candidates`` lists them."""

    def __init__(self, kind: str, text: str, candidates: list[str]):
        self.kind, self.text, self.candidates = kind, text, candidates
        super().__init__(f"{kind} name {text!r} is ambiguous: {', '.join(candidates)}; pass an ID")


def clear_cache() -> None:
    for fn in (_index,):
        fn.cache_clear()


def _squash(text: str) -> str:
    return fold(text).replace(" ", "")


@cache
def _index(kind: str) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], frozenset[str]]:
    """(folded text → IDs, space-free folded text → IDs, all IDs) for people or organizations."""
    texts: dict[str, set[str]] = {}
    if kind == "person":
        for row in _rows("people"):
            for text in (row["person_id"], row["name"], row["name_ascii"], row["name_lo"], *(row["aliases"] or [])):
                if text:
                    texts.setdefault(text, set()).add(row["person_id"])
        ids = frozenset(r["person_id"] for r in _rows("people"))
    else:
        for row in _rows("organizations"):
            for text in (row["org_id"], row["name_vi"], row["name_en"], row["name_lo"], *(row["aliases"] or [])):
                if text:
                    texts.setdefault(text, set()).add(row["org_id"])
        for row in _rows("organization_names"):
            texts.setdefault(row["name"], set()).add(row["org_id"])
        ids = frozenset(r["org_id"] for r in _rows("organizations"))
    exact: dict[str, set[str]] = {}
    squashed: dict[str, set[str]] = {}
    for text, owners in texts.items():
        exact.setdefault(fold(text), set()).update(owners)
        squashed.setdefault(_squash(text), set()).update(owners)
    return ({k: frozenset(v) for k, v in exact.items()}, {k: frozenset(v) for k, v in squashed.items() if k},
            ids)


def _find(kind: str, text: str, fuzzy: bool = True) -> str | None:
    if not text:
        return None
    exact, squashed, _ = _index(kind)
    hit = exact.get(fold(text)) or squashed.get(_squash(text))
    if hit:
        if len(hit) > 1:
            raise AmbiguousNameError(kind, text, sorted(hit))
        return next(iter(hit))
    if not fuzzy:
        return None
    from rapidfuzz import fuzz, process

    scored = process.extract(_squash(text), list(squashed), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20)
    if not scored:
        return None
    best = scored[0][1]
    candidates = sorted({i for key, score, _ in scored if score >= best - FUZZY_MARGIN for i in squashed[key]})
    if len(candidates) > 1:
        raise AmbiguousNameError(kind, text, candidates)
    return candidates[0]


def find_person(text: str) -> str | None:
    """person_id from any spelling (name, alias, Lao script, ID): exact ignoring diacritics, case, hyphens and
    spacing, else fuzzy for transliteration variants. None when nothing is close; AmbiguousNameError when
    several people fit."""
    return _find("person", text)


def find_org(text: str) -> str | None:
    """org_id from any of an organisation's names (current, aliases, dated renderings) or its ID; as
    ``find_person``."""
    return _find("organization", text)


def _closest(kind: str, text: str) -> list[str]:
    from rapidfuzz import fuzz, process

    ids = sorted(_index(kind)[2])
    return [i for i, _, _ in process.extract(text, ids, scorer=fuzz.WRatio, limit=3)]


def _resolve(kind: str, text: str) -> str:
    """An ID, from an ID or a name; UnknownIdError when neither."""
    if not isinstance(text, str) or not text:
        raise UnknownIdError(kind, str(text), [])
    if text in _index(kind)[2]:
        return text
    found = _find(kind, text, fuzzy=not _ID_SHAPE.match(text))   # a mistyped ID is an error, not a guess
    if found is None:
        raise UnknownIdError(kind, text, _closest(kind, text))
    return found


def _as_date(value: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10]) if len(value) > 10 else dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a day: pass a date, a datetime or an ISO string such as '2024-08-27'")


def _certainty(row: dict[str, Any], day: dt.date) -> str | None:
    from .temporal import certainty

    return certainty(row, day)


def _ordered(rows: list[dict[str, Any]], *key: str) -> list[dict[str, Any]]:
    """Held before possible; one row per ``key`` (its best spell)."""
    rows.sort(key=lambda r: (r["certainty"] != "held", *(r[k] for k in key)))
    seen, out = set(), []
    for r in rows:
        k = tuple(r[k] for k in key)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def holders_on(org: str, role: str, date: dt.date | dt.datetime | str) -> list[dict[str, str]]:
    """Who held post ``role`` of ``org`` on ``date``: ``[{"person_id", "certainty", "tenure_id"}]``."""
    from .vocab import Role

    org_id, day = _resolve("organization", org), _as_date(date)
    if role not in {r.value for r in Role}:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(r.value for r in Role)}")
    rows = [{"person_id": t["person_id"], "certainty": c, "tenure_id": t["tenure_id"]}
            for t in _rows("tenures") if t["org_id"] == org_id and t["role"] == role
            and (c := _certainty(t, day))]
    return _ordered(rows, "person_id")


def positions_on(person: str, date: dt.date | dt.datetime | str) -> list[dict[str, str]]:
    """Posts of ``person`` on ``date``: ``[{"org_id", "role", "certainty", "tenure_id"}]``, held first."""
    person_id, day = _resolve("person", person), _as_date(date)
    rows = [{"org_id": t["org_id"], "role": t["role"], "certainty": c, "tenure_id": t["tenure_id"]}
            for t in _rows("tenures") if t["person_id"] == person_id and (c := _certainty(t, day))]
    return _ordered(rows, "org_id", "role")


def rank_on(person: str, date: dt.date | dt.datetime | str, with_certainty: bool = False):
    """The rank ``person`` held on ``date``.

    Default: the rank code when exactly one rank is firmly held that day by an undisputed spell, else None.
    ``with_certainty=True``: every rank the spells allow that day, ``[{"rank", "certainty", "spell_id"}]``,
    held first (disputed spells included)."""
    person_id, day = _resolve("person", person), _as_date(date)
    spells = [(s, c) for s in _rows("rank_spells") if s["person_id"] == person_id and (c := _certainty(s, day))]
    if with_certainty:
        return _ordered([{"rank": s["rank"], "certainty": c, "spell_id": s["spell_id"]} for s, c in spells], "rank")
    held = {s["rank"] for s, c in spells if c == "held" and not s["disputed"]}
    return held.pop() if len(held) == 1 else None
