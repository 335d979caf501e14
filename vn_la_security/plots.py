"""Charts of the published tables (matplotlib, the ``[plot]`` extra): ``timeline``, ``careers``, ``network``.

The ``*_data`` functions turn table rows (dicts, as ``pyarrow.Table.to_pylist()`` gives them) into what a
chart shows, without matplotlib; the ``draw_*`` functions draw it; ``render`` reads the tables and writes a file.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from .vocab import RANK_ORDER, MeetingType, Rank

Rows = list[dict[str, Any]]
CHARTS = ("timeline", "careers", "network")
MIN_BAR_DAYS = 45          # a single attestation is drawn this wide so it stays visible
COUNTRY_COLOURS = {"VN": "#c8102e", "LA": "#002868"}
OTHER_COLOUR = "#7f7f7f"


# ----------------------------------------------------------------------------- data
@dataclass
class Timeline:
    years: list[int]
    by_type: dict[str, list[int]]        # meeting_type → meetings per year (aligned with years)
    signings: dict[int, int]             # year → agreements signed that year (known signing date)


def timeline_data(meetings: Rows, agreements: Rows) -> Timeline:
    """Meetings per year (by the year of ``date_start``) and type; agreements per signing year."""
    counts = Counter((m["date_start"].year, m["meeting_type"]) for m in meetings)
    signings = Counter(a["signed_start"].year for a in agreements if a.get("signed_start"))
    all_years = {y for y, _ in counts} | set(signings)
    years = list(range(min(all_years), max(all_years) + 1)) if all_years else []
    types = [t.value for t in MeetingType if any(k[1] == t.value for k in counts)]
    return Timeline(years, {t: [counts[(y, t)] for y in years] for t in types}, dict(sorted(signings.items())))


@dataclass
class Spell:
    label: str           # rank code, or post "role @ org"
    start: dt.date
    end: dt.date


@dataclass
class Career:
    person_id: str
    name: str
    country: str
    ranks: list[Spell] = field(default_factory=list)
    posts: dict[str, list[Spell]] = field(default_factory=dict)   # "role @ org" → spells

    @property
    def facts(self) -> int:
        return len(self.ranks) + sum(len(s) for s in self.posts.values())


def rank_spells(rows: Rows) -> list[Spell]:
    """Runs of the same rank, in date order, each from its first to its last dated fact."""
    spells: list[Spell] = []
    for r in sorted((r for r in rows if r["basis"] != "ended"),
                    key=lambda r: (r["date_start"], RANK_ORDER[r["rank"]])):
        if spells and spells[-1].label == r["rank"]:
            spells[-1].end = max(spells[-1].end, r["date_end"])
        else:
            spells.append(Spell(r["rank"], r["date_start"], r["date_end"]))
    return spells


def post_spells(rows: Rows) -> list[Spell]:
    """Spells of one post: from a start/attestation to the last attestation, or to an ``ended`` fact."""
    spells: list[Spell] = []
    current: Spell | None = None
    for r in sorted(rows, key=lambda r: (r["date_start"], r["basis"] == "ended")):
        if r["basis"] == "ended":
            if current is None:
                spells.append(Spell("", r["date_start"], r["date_end"]))
            else:
                current.end = max(current.end, r["date_end"])
                current = None
            continue
        if current is None:
            current = Spell("", r["date_start"], r["date_end"])
            spells.append(current)
        current.end = max(current.end, r["date_end"])
    return spells


def careers_data(people: Rows, ranks: Rows, positions: Rows, max_people: int = 12) -> list[Career]:
    """The ``max_people`` best-documented officials (most rank and post facts), oldest first fact first."""
    names = {p["person_id"]: (p["name"], p["country"]) for p in people}
    rank_rows: dict[str, Rows] = defaultdict(list)
    post_rows: dict[str, dict[str, Rows]] = defaultdict(lambda: defaultdict(list))
    for r in ranks:
        rank_rows[r["person_id"]].append(r)
    for p in positions:
        post_rows[p["person_id"]][f"{p['role'].replace('_', ' ')} @ {p['org_id']}"].append(p)
    careers = []
    for pid in sorted(set(rank_rows) | set(post_rows)):
        name, country = names.get(pid, (pid, ""))
        careers.append(Career(pid, name, country, rank_spells(rank_rows[pid]),
                              {k: post_spells(v) for k, v in sorted(post_rows[pid].items())}))
    careers.sort(key=lambda c: (-c.facts, c.person_id))
    chosen = careers[:max_people]
    chosen.sort(key=lambda c: (min(s.start for s in [*c.ranks, *(x for v in c.posts.values() for x in v)]),
                               c.person_id))
    return chosen


@dataclass
class Network:
    nodes: dict[str, tuple[str, str, int]]     # person_id → (name, country, meetings attended)
    edges: dict[tuple[str, str], int]          # (person_id, person_id) sorted → meetings together


def network_data(participants: Rows, people: Rows, max_people: int = 40) -> Network:
    """Who met whom: people are linked when they took part in the same meeting (weight = meetings)."""
    names = {p["person_id"]: (p["name"], p["country"]) for p in people}
    by_meeting: dict[str, set[str]] = defaultdict(set)
    for p in participants:
        by_meeting[p["meeting_id"]].add(p["person_id"])
    attended = Counter(pid for ids in by_meeting.values() for pid in ids)
    keep = {pid for pid, _ in sorted(attended.items(), key=lambda kv: (-kv[1], kv[0]))[:max_people]}
    edges: Counter = Counter()
    for ids in by_meeting.values():
        for a, b in combinations(sorted(ids & keep), 2):
            edges[(a, b)] += 1
    nodes = {pid: (*names.get(pid, (pid, "")), attended[pid]) for pid in sorted(keep)}
    return Network(nodes, dict(sorted(edges.items())))


# ----------------------------------------------------------------------------- drawing
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _num(day: dt.date) -> float:
    from matplotlib.dates import date2num

    return float(date2num(day))


def draw_timeline(data: Timeline):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(11, 5.5), layout="constrained")
    colours = plt.get_cmap("tab20").colors
    bottom = [0] * len(data.years)
    for i, (mtype, counts) in enumerate(data.by_type.items()):
        ax.bar(data.years, counts, bottom=bottom, color=colours[i % len(colours)], label=mtype.replace("_", " "),
               edgecolor="white", linewidth=0.5)
        bottom = [b + c for b, c in zip(bottom, counts)]
    totals = dict(zip(data.years, bottom))
    if data.signings:
        xs = list(data.signings)
        ys = [totals.get(y, 0) + 0.8 for y in xs]
        ax.scatter(xs, ys, marker="D", s=70, color="black", zorder=3, label="agreements signed (count)")
        for x, y in zip(xs, ys):
            ax.annotate(str(data.signings[x]), (x, y), xytext=(0, 7), textcoords="offset points", ha="center",
                        fontsize=9, fontweight="bold")
    ax.set_xticks(data.years)
    ax.set_xticklabels([str(y) for y in data.years], rotation=45 if len(data.years) > 14 else 0)
    top = max([*bottom, *(totals.get(y, 0) + 0.8 for y in data.signings)], default=1)
    ax.set_ylim(0, top * 1.15 + 1)
    ax.set_ylabel("meetings")
    ax.set_title("Vietnam–Laos public security meetings per year, by type; agreements signed marked")
    ax.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return fig


def draw_careers(careers: list[Career]):
    plt = _pyplot()
    from matplotlib.dates import YearLocator, DateFormatter
    from matplotlib.patches import Patch

    rows: list[tuple[str, list[Spell], bool]] = []   # (y label, spells, is rank row)
    for c in careers:
        who = f"{c.name} ({c.country})" if c.country else c.name
        rows.append((f"{who}: rank" if c.ranks else who, c.ranks, True))
        rows.extend((f"    {post}", spells, False) for post, spells in c.posts.items())
    fig, ax = plt.subplots(figsize=(12, max(3.0, 1.2 + 0.24 * len(rows))), layout="constrained")
    ranks_seen = sorted({s.label for c in careers for s in c.ranks}, key=RANK_ORDER.__getitem__)
    palette = plt.get_cmap("tab20").colors
    rank_colour = {r.value: palette[(2 * i) % 20 + (i // 10) % 2] for i, r in enumerate(Rank)}
    min_width = MIN_BAR_DAYS
    for y, (_, spells, is_rank) in enumerate(rows):
        for s in spells:
            width = max((s.end - s.start).days, min_width)
            colour = rank_colour[s.label] if is_rank else "#8c8c8c"
            ax.broken_barh([(_num(s.start), width)], (y - 0.38, 0.76), facecolors=colour,
                           edgecolor="black" if is_rank else "none", linewidth=0.3)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([label for label, _, _ in rows], fontsize=8)
    for tick, (_, _, is_rank) in zip(ax.get_yticklabels(), rows):
        if is_rank:
            tick.set_fontweight("bold")
    ax.invert_yaxis()
    starts = [s.start for _, spells, _ in rows for s in spells]
    span = (max(s.end for _, spells, _ in rows for s in spells).year - min(starts).year) if starts else 0
    ax.xaxis.set_major_locator(YearLocator(1 if span <= 12 else 2))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.tick_params(axis="x", labeltop=True)       # tall chart: years at the top too
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    handles = [Patch(facecolor=rank_colour[r], edgecolor="black", label=r.replace("_", " ")) for r in ranks_seen]
    handles.append(Patch(facecolor="#8c8c8c", label="post held (first to last dated fact)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.set_title("Officials' ranks (coloured) and posts (grey) over time, from dated, cited facts")
    return fig


def circular_layout(ids: list[str]) -> dict[str, tuple[float, float]]:
    n = max(len(ids), 1)
    return {pid: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, pid in enumerate(ids)}


def draw_network(net: Network):
    plt = _pyplot()
    from matplotlib.lines import Line2D

    order = sorted(net.nodes, key=lambda p: ({"VN": 0, "LA": 1}.get(net.nodes[p][1], 2), net.nodes[p][0]))
    pos = circular_layout(order)
    fig, ax = plt.subplots(figsize=(11, 11), layout="constrained")
    heaviest = max(net.edges.values(), default=1)
    for (a, b), w in net.edges.items():
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.plot([xa, xb], [ya, yb], color="#555555", alpha=0.25 + 0.6 * w / heaviest, linewidth=0.5 + 3 * w / heaviest,
                zorder=1)
    for pid, (x, y) in pos.items():
        name, country, n = net.nodes[pid]
        ax.scatter([x], [y], s=40 + 25 * n, color=COUNTRY_COLOURS.get(country, OTHER_COLOUR), zorder=2,
                   edgecolor="white")
        angle = math.degrees(math.atan2(y, x))
        flip = 90 < angle % 360 < 270
        ax.text(1.08 * x, 1.08 * y, f"{name} ({n})", rotation=angle + 180 if flip else angle,
                rotation_mode="anchor", ha="right" if flip else "left", va="center", fontsize=8)
    ax.set_xlim(-1.7, 1.7)
    ax.set_ylim(-1.7, 1.7)
    ax.set_aspect("equal")
    ax.axis("off")
    legend = [Line2D([], [], marker="o", linestyle="", color=c, label=k) for k, c in COUNTRY_COLOURS.items()]
    legend.append(Line2D([], [], marker="o", linestyle="", color=OTHER_COLOUR, label="other"))
    ax.legend(handles=legend, loc="upper left", frameon=False)
    ax.set_title("Who met whom: a line joins two officials who took part in the same meeting\n"
                 "(wider = more meetings together; (n) = meetings attended)")
    return fig


def render(chart: str, out: Path, tables_dir: Path | None = None) -> Path:
    """Draw ``chart`` (timeline, careers or network) from the published tables and save it to ``out``
    (format from the suffix). ``tables_dir``: folder of Parquet tables (default: the installed package's)."""
    from .export_sqlite import read_table

    def rows(name: str) -> Rows:
        return read_table(name, tables_dir).to_pylist()

    if chart == "timeline":
        fig = draw_timeline(timeline_data(rows("meetings"), rows("agreements")))
    elif chart == "careers":
        fig = draw_careers(careers_data(rows("people"), rows("ranks"), rows("positions")))
    elif chart == "network":
        fig = draw_network(network_data(rows("participants"), rows("people")))
    else:
        raise ValueError(f"chart must be one of {', '.join(CHARTS)}, not {chart!r}")
    fig.savefig(out, dpi=120)
    _pyplot().close(fig)
    return Path(out)
