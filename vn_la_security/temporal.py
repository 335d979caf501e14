"""Honest time: spells (tenures, rank_spells), meeting levels, name periods and conflicts, derived at build time.

Everything here is computed from the validated rows, after the cross-record rules, and added to the Dataset
(``fill_and_check``, then ``add_tables`` for ``build``), so ``build`` publishes it like any other table.
Nothing is typed by hand.

**Precision is not duration.** A fact dated ``2014`` says "at some time within 2014", never "throughout
2014". Every fact is the interval ``[date_start, date_end]`` of days it can mean.

**Spells of a post** (``tenures``: one person, one organisation, one role). The person's facts for the post are
taken in date order (``date_start``; at equal dates started < attested < ended).

* A spell opens with a ``started`` fact or, failing one, with its earliest fact (``start_basis`` started |
  first_attested). A ``started`` fact opens a new spell, except that it takes over a spell that has no
  ``started`` fact yet and whose every fact may lie on or after it (``date_end >= started.date_start``): a
  year-only attestation followed by a dated appointment in that year is one spell. Two ``started`` facts with
  nothing between are one start dated differently by two sources (likewise two ``ended`` facts in a row).
* A spell closes with an ``ended`` fact (``end_basis`` ended), or with its latest fact when a later spell of the
  same person follows (last_attested), or, for a single-seat post (``vocab.SINGLE_SEAT_ROLES``), at the
  latest where the next holder's spell starts (succeeded, when that start falls inside the spell's range; a
  successor after the spell's last fact gives last_attested). With nothing after it, the spell is ``open``:
  it may still run, but the data say nothing past its last fact.
* Firm bounds ("held"): from the earliest day on which some fact of the spell has certainly happened
  (min ``date_end`` over its attestations and its latest-dated start) to the latest day on which one
  certainly has not yet ended (max ``date_start``; for an
  ``ended`` fact its ``date_start``). Uncertain range ("possible"): from the opening fact's ``date_start`` to
  the closing fact's ``date_end``. A successor's firm start (its ``held_from``) cuts the possible range the day
  before; the firm bounds never pass the possible range. When the firm bounds are empty (e.g. one year-only
  fact) ``held_from``/``held_until`` are null and every day of the spell is only "possible".

**Rank spells** (``rank_spells``: one person, one rank). The person's rank facts in date order form runs of
the same rank. A higher rank (or any other rank, when its fact is a cited ``demotion``) starts a new run and
succeeds the previous one exactly as a successor closes a single-seat post. A lower rank without a
demotion contradicts the rank already reached: it becomes a spell of its own, marked ``disputed``, and does
not end the higher run.

**Meeting level** (``meetings.level``): ``ministerial`` when a participant is a minister or acting minister of
vn-mps or la-mps at the meeting (a position stated for the meeting, or a tenure firmly held on a day of the
meeting); else ``leadership`` when a head of state, party or government (president, general_secretary,
prime_minister) takes part; else ``deputy_ministerial`` when a deputy minister of either ministry does; else
``working``. Null when the meeting has no recorded participants.

**Name periods** (``organization_names``): a name recorded without ``date`` was in use from the earliest
``published_start`` to the latest ``published_end`` of the sources quoted for it (an EDTF interval, or the one
publication date when all agree; ``date_basis`` inferred).

**Conflicts**: one row per disagreement found by ``rules.find_conflicts`` (two disputed datings of one fact
side by side), plus quantity disagreements between
updates of one project and unit: two targets (or capacities) of different sizes, or two running totals
(cumulative) at overlapping dates with different quantities, or a running total lower than an earlier one.
Increments never conflict (they are separate events).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import pairwise
from dataclasses import dataclass, field
from typing import Any

from .derive import Dataset, Origin, ROW_TYPES, date_columns, record_key, slug_part
from .diagnostics import Diagnostic
from .vocab import RANK_ORDER, SINGLE_SEAT_ROLES

ONE_DAY = dt.timedelta(days=1)
_BASIS_ORDER = {"started": 0, "attested": 1, "ended": 2}
MINISTERS = frozenset({"minister", "acting_minister"})
MINISTRIES = frozenset({"vn-mps", "la-mps"})
HEADS = frozenset({"president", "general_secretary", "prime_minister"})


# ----------------------------------------------------------------------------- spells
@dataclass
class Spell:
    """A run of facts (rows with date_start, date_end, date, basis, disputed) about one post or rank."""

    facts: list[Any] = field(default_factory=list)
    openings: list[Any] = field(default_factory=list)   # started facts (several: sources disagree on the day)
    closings: list[Any] = field(default_factory=list)   # ended facts (several: sources disagree on the day)
    disputed: bool = False
    successor: Any = None        # opening fact of the spell that cut this one (succeeded)
    followed: bool = False       # a later spell follows
    cut_until: dt.date | None = None

    def add(self, f: Any) -> None:
        self.facts.append(f)
        self.disputed |= bool(f.disputed)
        if f.basis == "started":
            self.openings.append(f)
        elif f.basis == "ended":
            self.closings.append(f)

    @property
    def first(self) -> Any:
        return min(self.openings or self.facts, key=lambda f: (f.date_start, f.date_end))

    @property
    def last(self) -> Any:
        return min(self.closings, key=lambda f: (f.date_start, f.date_end)) if self.closings else \
            max(self.facts, key=lambda f: (f.date_start, f.date_end))

    @property
    def possible_from(self) -> dt.date:
        return self.first.date_start

    @property
    def possible_until(self) -> dt.date:
        own = max(f.date_end for f in (self.closings or self.facts))
        return min(own, self.cut_until) if self.cut_until else own

    @property
    def held(self) -> tuple[dt.date, dt.date] | None:
        body = [f for f in self.facts if f.basis == "attested"]
        if self.openings:
            body.append(max(self.openings, key=lambda f: f.date_end))
        body = body or self.facts
        start = max(min(f.date_end for f in body), self.possible_from)
        end = max(f.date_start for f in body)
        if self.closings:
            end = max(end, min(f.date_start for f in self.closings))
        end = min(end, self.possible_until)
        return (start, end) if start <= end else None


def _joins(spell: Spell | None, f: Any) -> bool:
    """Does fact ``f`` (in date order) belong to the current spell?"""
    if spell is None:
        return False
    if spell.closings:   # a second end straight after an end: the same end, dated differently
        return f.basis == "ended" and spell.facts[-1].basis == "ended"
    if f.basis != "started":
        return True
    if spell.openings:   # a second start with nothing between: the same start, dated differently
        return all(x.basis == "started" for x in spell.facts)
    return all(x.date_end >= f.date_start for x in spell.facts)   # takes over year-only attestations


def post_spells(facts: Iterable[Any]) -> list[Spell]:
    """The spells of one person in one post, from that post's facts (see the module docstring)."""
    spells: list[Spell] = []
    for f in sorted(facts, key=lambda f: (f.date_start, _BASIS_ORDER[f.basis], f.date_end)):
        if not _joins(spells[-1] if spells else None, f):
            spells.append(Spell())
        spells[-1].add(f)
    for a in spells[:-1]:
        a.followed = True
    return spells


def rank_runs(facts: Iterable[Any]) -> list[tuple[str, Spell]]:
    """(rank, spell) for one person's rank facts, in order (see the module docstring)."""
    out: list[tuple[str, Spell]] = []
    main: list[tuple[str, Spell]] = []   # the ladder runs, without contradicting facts
    for f in sorted(facts, key=lambda f: (f.date_start, f.date_end, -RANK_ORDER[f.rank], _BASIS_ORDER[f.basis])):
        top = main[-1] if main else None
        if top is not None and f.rank == top[0] and _joins(top[1], f):
            spell = top[1]
        elif top is None or RANK_ORDER[f.rank] < RANK_ORDER[top[0]] or f.demotion or f.rank == top[0]:
            spell = Spell()
            main.append((f.rank, spell))
            out.append((f.rank, spell))
        else:   # lower than the rank reached, no demotion: a contradiction of its own
            spell = Spell(disputed=True, followed=True)
            out.append((f.rank, spell))
        spell.add(f)
    for (_, a), (_, b) in pairwise(main):
        _succeed(a, b)
    return out


def _succeed(a: Spell, b: Spell) -> None:
    """``b`` follows ``a`` in the same seat (or on the rank ladder): b's firm start closes a at the latest."""
    a.followed = True
    b_held = b.held
    firm_start = b_held[0] if b_held else b.first.date_end
    if firm_start - ONE_DAY < a.possible_until:
        a.cut_until = max(firm_start - ONE_DAY, a.possible_from)
        a.successor = b.first


def close_single_seats(seats: dict[tuple[str, str], list[tuple[str, Spell]]]) -> None:
    """For each single-seat (org, role): every spell is closed by the next other holder's start."""
    for spells in seats.values():
        spells.sort(key=lambda ps: (ps[1].possible_from, ps[1].held[0] if ps[1].held else ps[1].possible_until))
        for i, (person, a) in enumerate(spells):
            nxt = next(((p, b) for p, b in spells[i + 1:] if p != person
                        and b.possible_from > a.possible_from), None)
            if nxt is None:
                continue
            a_held, b_held = a.held, nxt[1].held
            if a_held and b_held and b_held[0] <= a_held[0]:
                continue  # the "successor" is firmly in the seat first: a clash, reported by the rules
            _succeed(a, nxt[1])


def _end_basis(s: Spell) -> str:
    if s.closings:
        return "ended"
    if s.successor is not None:
        return "succeeded"
    return "last_attested" if s.followed else "open"


def spell_columns(s: Spell) -> dict[str, Any]:
    """The start/end groups, bases, counts and firm/possible bounds of a spell (shared by both tables)."""
    end_fact = s.successor if s.successor is not None else s.last
    held = s.held
    return {
        **_group("start", s.first), "start_basis": "started" if s.openings else "first_attested",
        **_group("end", end_fact), "end_basis": _end_basis(s),
        "first_attested": min(s.facts, key=lambda f: (f.date_start, f.date_end)).date,
        "last_attested": max(s.facts, key=lambda f: (f.date_start, f.date_end)).date,
        "n_facts": len(s.facts), "disputed": s.disputed,
        "held_from": held[0] if held else None, "held_until": held[1] if held else None,
        "possible_from": s.possible_from, "possible_until": s.possible_until,
    }


def _group(prefix: str, fact: Any) -> dict[str, Any]:
    cols = date_columns(prefix, fact.date)
    cols.pop(f"{prefix}_basis")   # the spell's own start_basis / end_basis replace the date basis
    return cols


def _unique(ident: str, used: set[str]) -> str:
    out, n = ident, 1
    while out in used:
        n += 1
        out = f"{ident}-{n}"
    used.add(out)
    return out


def tenure_spells(positions: Iterable[Any]) -> list[tuple[str, str, str, Spell]]:
    """(person_id, org_id, role, spell) for every spell in the positions rows."""
    by_post: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for r in positions:
        by_post[(r.person_id, r.org_id, r.role)].append(r)
    out = []
    seats: dict[tuple[str, str], list[tuple[str, Spell]]] = defaultdict(list)
    for (person, org, role), facts in sorted(by_post.items()):
        for s in post_spells(facts):
            out.append((person, org, role, s))
            if role in SINGLE_SEAT_ROLES:
                seats[(org, role)].append((person, s))
    close_single_seats(seats)
    return out


def tenure_rows(positions: Iterable[Any]) -> list[tuple[dict[str, Any], Spell]]:
    used: set[str] = set()
    rows = []
    for person, org, role, s in tenure_spells(positions):
        tid = _unique(f"{person}-{slug_part(role)}-{org}-{slug_part(s.first.date)}", used)
        rows.append(({"tenure_id": tid, "person_id": person, "org_id": org, "role": role, **spell_columns(s)}, s))
    return rows


def rank_spell_rows(ranks: Iterable[Any]) -> list[tuple[dict[str, Any], Spell]]:
    by_person: dict[str, list[Any]] = defaultdict(list)
    for r in ranks:
        by_person[r.person_id].append(r)
    used: set[str] = set()
    rows = []
    for person, facts in sorted(by_person.items()):
        for rank, s in rank_runs(facts):
            sid = _unique(f"{person}-{slug_part(rank)}-{slug_part(s.first.date)}", used)
            rows.append(({"spell_id": sid, "person_id": person, "rank": rank, **spell_columns(s)}, s))
    return rows


def certainty(row: Any, day: dt.date) -> str | None:
    """``"held"``, ``"possible"`` or None for a tenures/rank_spells row (a mapping) on ``day``."""
    if row["held_from"] is not None and row["held_from"] <= day <= row["held_until"]:
        return "held"
    if row["possible_from"] <= day <= row["possible_until"]:
        return "possible"
    return None


# ----------------------------------------------------------------------------- meeting levels
def meeting_levels(meetings: Iterable[Any], participants: Iterable[Any], positions: Iterable[Any],
                   tenures: Iterable[dict[str, Any]]) -> dict[str, str | None]:
    """meeting_id → level (rule in the module docstring)."""
    people: dict[str, set[str]] = defaultdict(set)
    for p in participants:
        people[p.meeting_id].add(p.person_id)
    stated: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for r in positions:
        if r.meeting_id:
            stated[(r.meeting_id, r.person_id)].add((r.org_id, r.role))
    firm: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in tenures:
        if t["held_from"] is not None:
            firm[t["person_id"]].append(t)
    out: dict[str, str | None] = {}
    for m in meetings:
        if not people[m.meeting_id]:
            out[m.meeting_id] = None
            continue
        posts: set[tuple[str, str]] = set()
        for person in people[m.meeting_id]:
            posts |= stated[(m.meeting_id, person)]
            posts |= {(t["org_id"], t["role"]) for t in firm[person]
                      if t["held_from"] <= m.date_end and t["held_until"] >= m.date_start}
        if any(org in MINISTRIES and role in MINISTERS for org, role in posts):
            out[m.meeting_id] = "ministerial"
        elif any(role in HEADS for _, role in posts):
            out[m.meeting_id] = "leadership"
        elif any(org in MINISTRIES and role == "deputy_minister" for org, role in posts):
            out[m.meeting_id] = "deputy_ministerial"
        else:
            out[m.meeting_id] = "working"
    return out


# ----------------------------------------------------------------------------- conflicts
def quantity_conflicts(updates: list[Any]) -> Iterator[tuple[Any, Any]]:
    """Pairs of updates of one project and unit that disagree: two targets (or capacities) with different
    quantities (a plan has one size), or two running totals at overlapping dates with different quantities, or a
    running total lower than an earlier one. Each update is compared with the previous different claim only."""
    groups: dict[tuple, list[Any]] = defaultdict(list)
    for u in updates:
        if u.quantity is not None and u.quantity_kind in ("cumulative", "target", "capacity"):
            groups[(u.project_id, u.unit, u.quantity_kind)].append(u)
    for (_, _, kind), rows in sorted(groups.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        rows.sort(key=lambda u: (u.date_start, u.date_end, u.update_id))
        for a, b in pairwise(rows):
            if a.quantity == b.quantity:
                continue
            if kind != "cumulative" or b.date_start <= a.date_end or b.quantity < a.quantity:
                yield a, b


# ----------------------------------------------------------------------------- the build step
def _cites_of(ds: Dataset) -> dict[tuple[str, str], list[Any]]:
    out: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for c in ds.rows["citations"]:
        out[(c.record_table, c.record_id)].append(c)
    return out


def _add(ds: Dataset, table: str, values: dict[str, Any], origin: Origin | None,
         cites: Iterable[tuple[str | None, Any]]) -> None:
    """Add a derived row with copies of existing citations (``(field, citation row)`` pairs)."""
    row = ROW_TYPES[table](**values)
    ds.rows[table].append(row)
    ds.origins[table].append(origin)  # type: ignore[arg-type]
    key = record_key(table, row)
    seen = set()
    for fld, c in cites:
        digest = hashlib.sha256("\x1f".join((table, key, fld or "", c.source_id, c.quote)).encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        ds.rows["citations"].append(ROW_TYPES["citations"](
            citation_id=f"c-{digest[:16]}", record_table=table, record_id=key, field=fld, source_id=c.source_id,
            quote=c.quote, quote_en=c.quote_en))
        ds.origins["citations"].append(origin)  # type: ignore[arg-type]


def _origin_of(ds: Dataset, table: str) -> dict[int, Origin]:
    return {id(r): o for r, o in zip(ds.rows[table], ds.origins[table])}


def _spell_cites(cites, table: str, s: Spell, key: str) -> list[tuple[str, Any]]:
    end = s.successor if s.successor is not None else s.last
    return [("start", c) for c in cites[(table, getattr(s.first, key))]] + \
           [("end", c) for c in cites[(table, getattr(end, key))]]


def fill_name_periods(ds: Dataset) -> list[Diagnostic]:
    """Give every organization_names row without a date the span of its sources' publication dates; check
    that each name occurs in one of its quotes (E800, E801)."""
    published = {s.source_id: s for s in ds.rows["sources"]}
    cites: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for c in ds.rows["citations"]:
        if c.record_table == "organization_names":
            cites[(c.record_table, c.record_id)].append(c)
    diags: list[Diagnostic] = []
    renamed: dict[str, str] = {}
    rows = ds.rows["organization_names"]
    for i, (row, origin) in enumerate(zip(rows, ds.origins["organization_names"])):
        key = record_key("organization_names", row)
        own = cites[("organization_names", key)]
        if not any(row.name.casefold() in c.quote.casefold() for c in own):
            line, col = origin.locate("name")
            diags.append(Diagnostic(origin.path, line, col, "E800", f"name {row.name!r} occurs in none of its "
                                    "quotes: quote the words that contain it"))
        if row.date is not None:
            continue
        dated = [published[c.source_id] for c in own if c.source_id in published
                 and published[c.source_id].published_start is not None]
        if not dated:
            line, col = origin.locate()
            diags.append(Diagnostic(origin.path, line, col, "E801", f"name {row.name!r} has no date and none of its "
                                    "sources has a publication date: write date: (EDTF)"))
            continue
        start = min(s.published_start for s in dated)
        end = max(s.published_end for s in dated)
        one = {s.published for s in dated}
        period = one.pop() if len(one) == 1 else f"{start.isoformat()}/{end.isoformat()}"
        rows[i] = row._replace(**date_columns("date", period, "inferred"))
        renamed[key] = record_key("organization_names", rows[i])
    if renamed:
        for j, c in enumerate(ds.rows["citations"]):
            if c.record_table == "organization_names" and c.record_id in renamed:
                new = renamed[c.record_id]
                digest = hashlib.sha256("\x1f".join(("organization_names", new, c.field or "", c.source_id,
                                                     c.quote)).encode()).hexdigest()
                ds.rows["citations"][j] = c._replace(record_id=new, citation_id=f"c-{digest[:16]}")
    return diags


def check_quantity_kinds(ds: Dataset) -> Iterator[Diagnostic]:
    for u, origin in zip(ds.rows["project_updates"], ds.origins["project_updates"]):
        if u.quantity is not None and u.quantity_kind is None:
            line, col = origin.locate("quantity")
            yield Diagnostic(origin.path, line, col, "W800", f"update {u.update_id!r} has a quantity but no "
                             "quantity_kind: say whether it is cumulative, increment, target or capacity")
        elif u.quantity is None and u.quantity_kind is not None:
            line, col = origin.locate("quantity_kind")
            yield Diagnostic(origin.path, line, col, "E802", f"update {u.update_id!r} has a quantity_kind but no "
                             "quantity: remove quantity_kind or add the quantity")


def _treatment(acknowledged: bool, marked: bool) -> str:
    if marked:
        return "both kept, marked disputed"
    return "both kept, cited to different sources" if acknowledged else "unresolved: validation fails"


def _claim(table: str, row: Any) -> str:
    if table == "ranks":
        return f"{row.rank} ({row.basis} {row.date})"
    if table == "positions":
        return f"{row.person_id}: {row.role} of {row.org_id} ({row.basis} {row.date})"
    return f"{row.quantity} {row.unit or ''} ({row.quantity_kind} {row.date})".replace("  ", " ")


_FIELD = {"rank_mismatch": "rank", "rank_decrease": "rank", "seat_clash": "person_id", "role_mismatch": "role",
          "disputed": "", "quantity_mismatch": "quantity"}


def add_conflicts(ds: Dataset, cites: dict[tuple[str, str], list[Any]]) -> None:
    """The ``conflicts`` table: rules.find_conflicts and quantity disagreements, both claims side by side."""
    from .rules import find_conflicts

    key_col = {"ranks": "rank_id", "positions": "position_id", "project_updates": "update_id"}
    index = {t: {getattr(r, key_col[t]): r for r in ds.rows[t]} for t in key_col}
    found: list[tuple[Any, ...]] = []
    alone: dict[tuple, list[tuple]] = defaultdict(list)   # disputed facts of one person, post/rank and basis
    for c, origin in find_conflicts(ds):
        entry = (c.kind, c.table, c.record_id, c.other_record_id or None, c.date, c.detail, c.disputed, origin)
        if c.kind == "disputed":
            r = index[c.table][c.record_id]
            what = r.rank if c.table == "ranks" else (r.org_id, r.role)
            alone[(c.table, c.person_id, what, r.basis)].append(entry)
        else:
            found.append(entry)
    for group in alone.values():   # two sources dating one fact differently: side by side
        if len(group) == 1:
            found.append(group[0])
        for first, second in pairwise(group):
            found.append((*first[:3], second[2], *first[4:]))
    found += [("quantity_mismatch", "project_updates", a.update_id, b.update_id, a.date,
               f"{a.project_id}: {a.quantity_kind} {a.quantity} ({a.date}) vs {b.quantity} ({b.date}) "
               f"{a.unit or ''}".rstrip(), True, None)
              for a, b in quantity_conflicts(ds.rows["project_updates"])]
    used: set[str] = set()

    def sources(table: str, r: Any) -> list[str]:
        return sorted({c.source_id for c in cites[(table, getattr(r, key_col[table]))]})

    for kind, table, rid, other, date, detail, acknowledged, origin in found:
        a, b = index[table][rid], index[table].get(other) if other else None
        marked = bool(getattr(a, "disputed", False) or getattr(b, "disputed", False))
        subject = a.project_id if table == "project_updates" else a.person_id
        fld = _FIELD[kind] or ("rank" if table == "ranks" else "role")
        cid = _unique(f"{kind.replace('_', '-')}-{rid}", used)
        _add(ds, "conflicts", {
            "conflict_id": cid, "kind": kind, "record_table": table, "record_id": rid, "field": fld,
            "subject_id": subject, "date": date, "claim_a": _claim(table, a), "sources_a": sources(table, a),
            "record_id_b": other, "claim_b": _claim(table, b) if b is not None else None,
            "sources_b": sources(table, b) if b is not None else [], "detail": detail,
            "treatment": "kept, marked disputed" if b is None else _treatment(acknowledged, marked),
        }, origin, [("claim_a", c) for c in cites[(table, rid)]]
            + [("claim_b", c) for c in (cites[(table, other)] if other else [])])


def fill_and_check(ds: Dataset) -> list[Diagnostic]:
    """Fill name periods (warning where they cannot be) and check quantity kinds: the derivation steps that
    can report a problem, run by every validate after the cross-record rules."""
    diags = fill_name_periods(ds)
    diags.extend(check_quantity_kinds(ds))
    return diags


def add_tables(ds: Dataset) -> None:
    """Add tenures, rank_spells and conflicts (with their citations) and meeting levels, once, after
    ``fill_and_check``; only ``build`` needs them (``validate(…, tables=True)``)."""
    cites = _cites_of(ds)
    origins = _origin_of(ds, "positions")
    tenures = tenure_rows(ds.rows["positions"])
    for values, s in tenures:
        _add(ds, "tenures", values, origins.get(id(s.first)), _spell_cites(cites, "positions", s, "position_id"))
    origins = _origin_of(ds, "ranks")
    for values, s in rank_spell_rows(ds.rows["ranks"]):
        _add(ds, "rank_spells", values, origins.get(id(s.first)), _spell_cites(cites, "ranks", s, "rank_id"))
    levels = meeting_levels(ds.rows["meetings"], ds.rows["participants"], ds.rows["positions"],
                            [v for v, _ in tenures])
    ds.rows["meetings"] = [m._replace(level=levels[m.meeting_id]) for m in ds.rows["meetings"]]
    add_conflicts(ds, cites)
