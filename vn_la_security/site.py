"""A static website of the published tables: ``vn-la-security site OUTDIR`` (needs the ``[site]`` extra).

Pages are rendered with Jinja2 (autoescape on) from the tables as ``vn_la_security.load`` gives them. Every
link is relative, nothing is loaded from outside the site, and only search needs JavaScript (plain JS over an
index written at build time as a script, so it works from ``file://``). The same tables give the same bytes.
Tables added in data release 0.2 (``organization_names``, ``tenures``, ``rank_spells``, ``agreement_parties``,
``conflicts``, ``outlets``) are used when the package has them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import api
from .plots import Spell, post_spells, rank_spells, timeline_data
from .vocab import RANK_ORDER, MeetingType

if TYPE_CHECKING:
    from .catalog import TableName

Rows = list[dict[str, Any]]
OPTIONAL_TABLES = ("organization_names", "tenures", "rank_spells", "agreement_parties", "conflicts", "outlets")
#: folder of each kind of page; also the key of ``Site.by_id``
PAGE_TABLES = {"people": "person_id", "meetings": "meeting_id", "agreements": "agreement_id",
               "projects": "project_id", "organizations": "org_id", "sources": "source_id"}
MARKER = ".vn-la-security-site"
LATEST = 10
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TYPE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#393b79", "#637939", "#000000")
MEETING_COLOURS = {t.value: TYPE_COLOURS[i % len(TYPE_COLOURS)] for i, t in enumerate(MeetingType)}


class SiteError(Exception):
    """The site cannot be written (one sentence for the user)."""


# ----------------------------------------------------------------------------- text helpers
def fold(text: str) -> str:
    """Search folding, the same as ``fold`` in search.js: đ → d, no Latin diacritics, lowercase, every run of
    characters that are not letters, digits or marks → one space."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not "\u0300" <= c <= "\u036f").lower()
    kept = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in text)
    return " ".join(kept.split())


def code(value: str | None) -> str:
    return "" if value is None else str(value).replace("_", " ")


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# ----------------------------------------------------------------------------- data
def _optional(name: str) -> Rows | None:
    try:
        return api.load(cast("TableName", name), backend="arrow").to_pylist()
    except (ValueError, api.DataIntegrityError):  # not a table of this release
        return None


def load_tables() -> dict[str, Rows]:
    """Every published table the package has, as lists of dicts; conflicts recomputed when not published."""
    tables: dict[str, Rows] = {name: api.load(name, backend="arrow").to_pylist() for name in api.TABLE_NAMES}
    for name in OPTIONAL_TABLES:
        if name not in tables:
            rows = _optional(name)
            if rows is not None:
                tables[name] = rows
    if "conflicts" not in tables and hasattr(api, "load_conflicts"):
        tables["conflicts"] = api.load_conflicts(backend="arrow").to_pylist()
    return tables


def _group(rows: Rows, key: str) -> dict[Any, Rows]:
    out: dict[Any, Rows] = defaultdict(list)
    for r in rows:
        out[r.get(key)].append(r)
    return out


def _by_date(rows: Rows, prefix: str = "date") -> Rows:
    return sorted(rows, key=lambda r: (r.get(f"{prefix}_start") or dt.date.max, str(r.get(f"{prefix}") or "")))


class Site:
    """The tables, indexed for the pages."""

    def __init__(self, tables: dict[str, Rows]):
        self.t = tables
        self.by_id = {kind: {r[key]: r for r in tables[kind]} for kind, key in PAGE_TABLES.items()}
        self.citations = defaultdict(list)
        for c in tables["citations"]:
            self.citations[(c["record_table"], c["record_id"])].append(c)
        self.participants_of = _group(tables["participants"], "meeting_id")
        self.attended = _group(tables["participants"], "person_id")
        self.signatories_of = _group(tables["signatories"], "agreement_id")
        self.signed_by = _group(tables["signatories"], "person_id")
        self.agreements_at = _group(tables["agreements"], "meeting_id")
        self.updates_of = _group(tables["project_updates"], "project_id")
        self.updates_at = _group(tables["project_updates"], "meeting_id")
        self.ranks_of = _group(tables["ranks"], "person_id")
        self.positions_of = _group(tables["positions"], "person_id")
        self.positions_in = _group(tables["positions"], "org_id")
        self.cited_by_source = _group(tables["citations"], "source_id")
        self.children = _group(tables["organizations"], "parent_org_id")
        self.sub_agreements = _group(tables["agreements"], "parent_agreement_id")
        self.outlets = {r["outlet_id"]: r for r in tables.get("outlets", [])}
        self.org_names = _group(tables.get("organization_names", []), "org_id")
        self.tenures_of = _group(tables.get("tenures", []), "person_id")
        self.tenures_in = _group(tables.get("tenures", []), "org_id")
        self.rank_spells_of = _group(tables.get("rank_spells", []), "person_id")
        self.parties_of = _group(tables.get("agreement_parties", []), "agreement_id")
        self.parties_in = _group(tables.get("agreement_parties", []), "org_id")
        self.owner_of = {"ranks": {r["rank_id"]: ("people", r["person_id"]) for r in tables["ranks"]},
                         "positions": {r["position_id"]: ("people", r["person_id"]) for r in tables["positions"]},
                         "project_updates": {r["update_id"]: ("projects", r["project_id"])
                                             for r in tables["project_updates"]}}
        self.facts = {"ranks": {r["rank_id"]: r for r in tables["ranks"]},
                      "positions": {r["position_id"]: r for r in tables["positions"]}}
        for name, key, kind, col in (("tenures", "tenure_id", "people", "person_id"),
                                     ("rank_spells", "spell_id", "people", "person_id")):
            self.owner_of[name] = {r[key]: (kind, r[col]) for r in tables.get(name, [])}

    # -- labels and links
    def label(self, kind: str, rid: str) -> str:
        row = self.by_id.get(kind, {}).get(rid)
        if row is None:
            return rid
        if kind == "people":
            return row["name"]
        if kind == "meetings":
            return f"{row['date']} · {row['title_en']}"
        if kind == "agreements":
            return row["title_en"] or row["title_vi"] or rid
        if kind == "projects":
            return row["name_en"] or row["name_vi"] or rid
        if kind == "organizations":
            return row["name_en"] or row["name_vi"] or rid
        return row["title"] or rid

    def owner(self, table: str, rid: str) -> tuple[str, str] | None:
        """The page (kind, id) that shows the row ``rid`` of ``table``, if any."""
        if table in PAGE_TABLES:
            return (table, rid) if rid in self.by_id[table] else None
        if table in ("participants", "signatories", "organization_names", "agreement_parties") and "/" in rid:
            kind = {"participants": "meetings", "signatories": "agreements", "organization_names": "organizations",
                    "agreement_parties": "agreements"}[table]
            head = rid.split("/", 1)[0]
            return (kind, head) if head in self.by_id[kind] else None
        return self.owner_of.get(table, {}).get(rid)

    def fact_label(self, table: str, rid: str) -> str:
        r = self.facts.get(table, {}).get(rid)
        if r is None:
            page = self.owner(table, rid)
            return self.label(*page) if page and page[1] == rid else rid
        if table == "ranks":
            what = f"{code(r['rank'])}" + (f" ({r['rank_label']})" if r["rank_label"] else "")
        else:
            what = f"{code(r['role'])}, {self.label('organizations', r['org_id'])}" + (
                f" ({r['role_label']})" if r["role_label"] else "")
        return f"{what}: {r['basis']} {r['date']}"

    def conflict(self, row: dict[str, Any]) -> dict[str, Any]:
        """A conflicts row for its page: both claims side by side (each with its quotes) and the other fields."""
        table = row.get("record_table") or ""
        sides = []
        for rid, claim in (("record_id", "claim_a"), ("record_id_b", "claim_b")):
            if row.get(rid):
                sides.append({"record_id": row[rid], "claim": row.get(claim), "label": self.fact_label(table, row[rid]),
                              "page": self.owner(table, row[rid]), "evidence": self.evidence(table, row[rid])})
        shown = {"conflict_id", "record_table", "kind", "date", "detail", "subject_id", "record_id", "record_id_b",
                 "claim_a", "claim_b", "sources_a", "sources_b"}
        extra = [(k, v) for k, v in row.items() if k not in shown and v not in (None, "", [])]
        person = row.get("subject_id") if row.get("subject_id") in self.by_id["people"] else None
        return {"row": row, "table": table, "sides": sides, "extra": extra, "person": person}

    def evidence(self, table: str, rid: str) -> Rows:
        rows = sorted(self.citations.get((table, rid), []), key=lambda c: (c["field"] or "", c["citation_id"]))
        return [self.cited(c) for c in rows]

    def cited(self, c: dict[str, Any]) -> dict[str, Any]:
        source = self.by_id["sources"].get(c["source_id"], {})
        outlet = self.outlets.get(source.get("outlet_id")) if source.get("outlet_id") else None
        return {**c, "source": source, "outlet": outlet}


# ----------------------------------------------------------------------------- charts (inline SVG)
def _svg_text(x: float, y: float, text: str, cls: str = "", anchor: str = "start") -> str:
    from markupsafe import escape

    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{c}>{escape(text)}</text>'


def timeline_svg(meetings: Rows) -> tuple[str, list[tuple[str, str, int]]]:
    """Stacked bars of meetings per year by type; returns the SVG and the legend (type, colour, total)."""
    from markupsafe import escape

    data = timeline_data(meetings, [])
    if not data.years:
        return "", []
    height, left, bottom, top = 300, 36, 28, 14
    step = min(64.0, (720 - left - 8) / len(data.years))
    width = round(left + 8 + step * len(data.years))
    totals = [sum(c[i] for c in data.by_type.values()) for i in range(len(data.years))]
    peak = max(totals) or 1
    scale = (height - bottom - top) / peak
    parts = [f'<svg class="chart timeline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             'role="img" aria-labelledby="timeline-title">',
             '<title id="timeline-title">Meetings per year, by type</title>']
    tick = max(1, round(peak / 5))
    for v in range(0, peak + 1, tick):
        y = height - bottom - v * scale
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(_svg_text(left - 6, y + 4, str(v), "axis", "end"))
    label_every = 1 if len(data.years) <= 14 else 2
    for i, year in enumerate(data.years):
        x = left + i * step + step * 0.12
        y = height - bottom
        for mtype, counts in data.by_type.items():
            n = counts[i]
            if not n:
                continue
            h = n * scale
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.76:.1f}" height="{h:.1f}" '
                         f'fill="{MEETING_COLOURS[mtype]}"><title>{year}: {n} {escape(code(mtype))}</title></rect>')
        if i % label_every == 0:
            parts.append(_svg_text(left + i * step + step / 2, height - bottom + 16, str(year), "axis", "middle"))
        if totals[i]:
            parts.append(_svg_text(left + i * step + step / 2, y - 3, str(totals[i]), "value", "middle"))
    parts.append("</svg>")
    legend = [(code(t), MEETING_COLOURS[t], sum(c)) for t, c in data.by_type.items()]
    return "".join(parts), legend


def _years_axis(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)


def _spells_from_rows(rows: Rows, label_key: str) -> list[Spell]:
    """Spells from a published spell table (``rank_spells`` / ``tenures``): start and end of each row."""
    out = []
    for r in rows:
        start = _day(r.get("start_start")) or _day(r.get("first_attested"))
        if start is None:
            continue
        end = _day(r.get("end_end")) or _day(r.get("last_attested")) or start
        out.append(Spell(str(r.get(label_key) or ""), start, max(start, end)))
    return sorted(out, key=lambda s: (s.start, s.label))


def career_rows(site: Site, person_id: str) -> list[tuple[str, list[Spell], bool]]:
    """(label, spells, is a rank lane) for a person: one lane per rank (highest first), then one per post."""
    if site.rank_spells_of.get(person_id):
        ranks = _spells_from_rows(site.rank_spells_of[person_id], "rank")
    else:
        ranks = rank_spells(site.ranks_of.get(person_id, []))
    rows: list[tuple[str, list[Spell], bool]] = []
    for rank in sorted({s.label for s in ranks}, key=lambda r: RANK_ORDER.get(r, len(RANK_ORDER))):
        rows.append((f"rank: {code(rank)}", [s for s in ranks if s.label == rank], True))
    posts: dict[tuple[str, str], Rows] = defaultdict(list)
    tenures = site.tenures_of.get(person_id)
    for p in tenures or site.positions_of.get(person_id, []):
        posts[(p["role"], p["org_id"])].append(p)
    for (role, org), facts in sorted(posts.items()):
        spells = _spells_from_rows(facts, "role") if tenures else post_spells(facts)
        rows.append((f"{code(role)} · {site.label('organizations', org)}", spells, False))
    return rows


def career_svg(rows: list[tuple[str, list[Spell], bool]]) -> str:
    """Ranks and posts over time: one lane per rank and per post, each spell a bar."""
    from markupsafe import escape

    spells = [s for _, ss, _ in rows for s in ss]
    if not spells:
        return ""
    lo, hi = _years_axis(min(s.start for s in spells), max(s.end for s in spells))
    width, left, right, lane = 720, 8, 8, 38
    height = 24 + lane * len(rows)
    span = (hi - lo).days or 1

    def x(day: dt.date) -> float:
        return left + (day - lo).days / span * (width - left - right)

    parts = [f'<svg class="chart career" viewBox="0 0 {width} {height}" role="img" aria-labelledby="career-title">',
             '<title id="career-title">Ranks and posts over time</title>']
    years = list(range(lo.year, hi.year + 1))
    every = max(1, len(years) // 8)
    for year in years[::every]:
        gx = x(dt.date(year, 1, 1))
        parts.append(f'<line class="grid" x1="{gx:.1f}" x2="{gx:.1f}" y1="0" y2="{height - 20}"/>')
        parts.append(_svg_text(gx + 2, height - 6, str(year), "axis"))
    for i, (label, ss, is_rank) in enumerate(rows):
        y = 4 + i * lane
        parts.append(_svg_text(left, y + 11, label, "lane"))
        for s in ss:
            x0, x1 = x(s.start), x(s.end)
            w = max(x1 - x0, 4.0)
            cls = "bar rank-bar" if is_rank else "bar"
            parts.append(f'<rect class="{cls}" x="{x0:.1f}" y="{y + 15}" width="{w:.1f}" height="14">'
                         f'<title>{escape(label)}: {s.start} – {s.end}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------- search index
def search_entries(site: Site) -> list[list[str]]:
    """[kind, title, detail, url, folded title, folded rest] per page, in a fixed order."""
    out = []

    def add(kind: str, rid: str, title: str, detail: str, *texts: Any) -> None:
        words: list[str] = []
        for t in texts:
            if isinstance(t, list):
                words.extend(str(x) for x in t)
            elif t:
                words.append(str(t))
        out.append([kind, title, detail, f"{kind}/{rid}.html", fold(title), fold(" ".join([rid, *words]))])

    for p in site.t["people"]:
        add("people", p["person_id"], p["name"], p["country"], p["name_ascii"], p["name_lo"], p["aliases"])
    for o in site.t["organizations"]:
        names = [n["name"] for n in site.org_names.get(o["org_id"], [])]
        add("organizations", o["org_id"], site.label("organizations", o["org_id"]), o["country"], o["name_vi"],
            o["name_lo"], o.get("aliases"), names)
    for m in _by_date(site.t["meetings"]):
        add("meetings", m["meeting_id"], m["title_en"], f"{m['date']} · {m['city'] or m['country']}",
            m["summary_en"], m["occasion"], m["city"], m["date"])
    for a in _by_date(site.t["agreements"], "signed"):
        add("agreements", a["agreement_id"], site.label("agreements", a["agreement_id"]),
            a["signed"] or code(a["agreement_type"]), a["title_vi"], a["title_en"])
    for p in site.t["projects"]:
        add("projects", p["project_id"], site.label("projects", p["project_id"]), code(p["project_type"]),
            p["name_vi"], p["location"])
    for s in site.t["sources"]:
        add("sources", s["source_id"], s["title"], f"{s['publisher']} · {s['published']}", s["publisher"])
    return out


# ----------------------------------------------------------------------------- downloads
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_downloads(folder: Path) -> tuple[list[dict[str, Any]], str]:
    """Copy the published CSV + Parquet files (checked against datapackage.json), zip the data package and
    export the SQLite file; returns one entry per file (name, path, bytes, sha256) and the data version."""
    from .export_sqlite import ExportError, export_sqlite, write_metadata

    tables_dir = Path(str(api._tables_dir()))
    root = tables_dir.parent.parent                # a checkout: root/vn_la_security/tables
    descriptor_path = root / "datapackage.json"    # the root descriptor lists the CSV and the Parquet files
    if not descriptor_path.is_file():
        raise SiteError(f"{descriptor_path} is missing: build the site from a checkout after `vn-la-security build` "
                        "(an installed wheel ships Parquet only)")
    try:
        descriptor = json.loads(descriptor_path.read_bytes())
    except ValueError as exc:
        raise SiteError(f"{descriptor_path} is not valid JSON ({exc}): run `vn-la-security build`") from None
    version = descriptor.get("version", "")
    packaged = {**descriptor, "resources": []}     # the zip's descriptor: the same resources, paths inside the zip
    members: list[tuple[str, Path | bytes]] = []
    for res in descriptor["resources"]:
        src = root / res["path"]
        kind = res.get("format", "csv")
        if not src.is_file():
            raise SiteError(f"{src} is missing: run `vn-la-security build` first")
        if "sha256:" + _sha256(src) != res["hash"]:
            raise SiteError(f"{src} does not match its hash in datapackage.json: run `vn-la-security build`")
        dest = folder / kind / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        members.append((f"{kind}/{src.name}", src))
        packaged["resources"].append({**res, "path": f"{kind}/{src.name}"})
    members.append(("datapackage.json", json.dumps(packaged, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"))
    zip_path = folder / f"vn-la-security-data-{version}.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, src in sorted(members):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, src if isinstance(src, bytes) else src.read_bytes())
    db = folder / "vn_la_security.db"
    try:
        export_sqlite(db)
        write_metadata(db)
    except ExportError as exc:
        raise SiteError(str(exc)) from None
    files = [zip_path, db, db.with_name("vn_la_security.metadata.json"),
             *sorted((folder / "csv").iterdir()), *sorted((folder / "parquet").iterdir())]
    entries: list[dict[str, Any]] = [
        {"name": f.name, "path": f.relative_to(folder.parent).as_posix(), "bytes": f.stat().st_size,
         "sha256": _sha256(f), "kind": f.parent.name if f.parent != folder else f.suffix.lstrip(".")}
        for f in files]
    (folder / "SHA256SUMS").write_text("".join(f"{e['sha256']}  {e['path'][len('downloads/'):]}\n"
                                               for e in entries), encoding="utf-8")
    return entries, version


# ----------------------------------------------------------------------------- rendering
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context

    env = Environment(loader=PackageLoader("vn_la_security", "site_templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

    @pass_context
    def url(context, kind: str, rid: str | None = None) -> str:
        """Relative link from the page being rendered to a page (kind, id) or a file path (kind alone)."""
        return context["root"] + (kind if rid is None else f"{kind}/{rid}.html")

    env.globals["url"] = url
    env.filters["code"] = code
    env.filters["size"] = lambda n: f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"
    return env


class _Writer:
    def __init__(self, out: Path, site: Site, common: dict[str, Any]):
        self.out, self.site, self.common = out, site, common
        self.env = _environment()
        self.pages = 0

    def page(self, path: str, template: str, **ctx: Any) -> None:
        depth = path.count("/")
        html = self.env.get_template(template).render(root="../" * depth, s=self.site, page_path=path,
                                                      **self.common, **ctx)
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.pages += 1


def _edtf_at(rows: Rows, day: dt.date, side: str) -> str:
    """The date as the sources give it (EDTF, at its precision) of the fact that starts or ends on ``day``."""
    for r in sorted(rows, key=lambda r: str(r["date"])):
        if r[f"date_{side}"] == day:
            return r["date"]
    return day.isoformat()


def _holders(site: Site, org_id: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each post of the organization with its holders over time: (role, [{person_id, start, end, facts, …}]),
    start and end as the sources date them."""
    by_role: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if site.tenures_in.get(org_id):
        for t in site.tenures_in[org_id]:
            for s in _spells_from_rows([t], "role"):
                by_role[t["role"]].append({"person_id": t["person_id"], "sort": s.start,
                                           "start": t.get("start") or s.start.isoformat(),
                                           "end": t.get("end") or s.end.isoformat(), "facts": t.get("n_facts"),
                                           "open": t.get("end_basis") == "open", "disputed": bool(t.get("disputed"))})
    else:
        facts: dict[tuple[str, str], Rows] = defaultdict(list)
        for p in site.positions_in.get(org_id, []):
            facts[(p["role"], p["person_id"])].append(p)
        for (role, pid), rows in facts.items():
            for s in post_spells(rows):
                by_role[role].append({"person_id": pid, "sort": s.start, "start": _edtf_at(rows, s.start, "start"),
                                      "end": _edtf_at(rows, s.end, "end"), "facts": len(rows), "open": False,
                                      "disputed": any(r["disputed"] for r in rows)})
    return [(role, sorted(h, key=lambda x: (x["sort"], x["person_id"]))) for role, h in sorted(by_role.items())]


def render_site(out: Path, tables: dict[str, Rows]) -> int:
    """Write every page, asset and download into the empty folder ``out``; returns the number of pages."""
    from .citing import cite

    site = Site(tables)
    downloads, version = write_downloads(out / "downloads")
    counts = {name: len(rows) for name, rows in tables.items()}
    common = {"data_version": version, "counts": counts}
    w = _Writer(out, site, common)
    assets = Path(__file__).parent / "site_templates" / "assets"
    (out / "assets").mkdir()
    for f in sorted(assets.iterdir()):
        shutil.copyfile(f, out / "assets" / f.name)
    entries = search_entries(site)
    (out / "assets" / "search-index.js").write_text(
        "window.VLS_INDEX = " + json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c") + ";\n", encoding="utf-8")
    (out / MARKER).write_text("written by vn-la-security site; this folder is replaced on each run\n",
                              encoding="utf-8")

    svg, legend = timeline_svg(tables["meetings"])
    from markupsafe import Markup

    meetings = _by_date(tables["meetings"])
    w.page("index.html", "index.html", timeline=Markup(svg), legend=legend, latest=meetings[::-1][:LATEST],
           citation=cite("apa").strip(), bibtex=cite("bibtex"), downloads=downloads)
    w.page("downloads.html", "downloads.html", downloads=downloads, bibtex=cite("bibtex"),
           citation=cite("apa").strip())
    w.page("search.html", "search.html")
    w.page("conflicts.html", "conflicts.html", conflicts=[site.conflict(c) for c in tables.get("conflicts", [])])

    w.page("meetings/index.html", "list_meetings.html", meetings=meetings[::-1])
    for m in meetings:
        parts = sorted(site.participants_of.get(m["meeting_id"], []),
                       key=lambda p: ({"VN": 0, "LA": 1}.get(p["side"], 2), p["role"] != "head_of_delegation",
                                      p["person_id"]))
        part_evidence = [(p, site.evidence("participants", f"{m['meeting_id']}/{p['person_id']}")) for p in parts]
        w.page(f"meetings/{m['meeting_id']}.html", "meeting.html", m=m, participants=parts,
               part_evidence=part_evidence, agreements=_by_date(site.agreements_at.get(m["meeting_id"], []), "signed"),
               updates=_by_date(site.updates_at.get(m["meeting_id"], [])), evidence=site.evidence("meetings",
                                                                                                 m["meeting_id"]))
    people = sorted(tables["people"], key=lambda p: (p["country"], fold(p["name"])))
    w.page("people/index.html", "list_people.html", people=people)
    for p in people:
        pid = p["person_id"]
        rows = career_rows(site, pid)
        attended = sorted(site.attended.get(pid, []),
                          key=lambda x: (site.by_id["meetings"][x["meeting_id"]]["date_start"], x["meeting_id"]))
        signed = sorted(site.signed_by.get(pid, []), key=lambda x: x["agreement_id"])
        w.page(f"people/{pid}.html", "person.html", p=p, chart=Markup(career_svg(rows)),
               ranks=[(r, site.evidence("ranks", r["rank_id"])) for r in _by_date(site.ranks_of.get(pid, []))],
               positions=[(r, site.evidence("positions", r["position_id"]))
                          for r in _by_date(site.positions_of.get(pid, []))],
               attended=attended, signed=signed, evidence=site.evidence("people", pid))
    agreements = _by_date(tables["agreements"], "signed")
    w.page("agreements/index.html", "list_agreements.html", agreements=agreements)
    for a in agreements:
        aid = a["agreement_id"]
        w.page(f"agreements/{aid}.html", "agreement.html", a=a, signatories=site.signatories_of.get(aid, []),
               parties=site.parties_of.get(aid, []), children=site.sub_agreements.get(aid, []),
               sig_evidence=[(x, site.evidence("signatories", f"{aid}/{x['person_id']}"))
                             for x in site.signatories_of.get(aid, [])],
               evidence=site.evidence("agreements", aid))
    projects = sorted(tables["projects"], key=lambda p: p["project_id"])
    w.page("projects/index.html", "list_projects.html", projects=projects)
    for p in projects:
        updates = _by_date(site.updates_of.get(p["project_id"], []))
        w.page(f"projects/{p['project_id']}.html", "project.html", p=p,
               updates=[(u, site.evidence("project_updates", u["update_id"])) for u in updates],
               evidence=site.evidence("projects", p["project_id"]))
    orgs = sorted(tables["organizations"], key=lambda o: (o["country"], o["org_id"]))
    w.page("organizations/index.html", "list_organizations.html", orgs=orgs)
    for o in orgs:
        oid = o["org_id"]
        w.page(f"organizations/{oid}.html", "organization.html", o=o, holders=_holders(site, oid),
               names=_by_date(site.org_names.get(oid, [])), children=site.children.get(oid, []),
               successors=[x for x in tables["organizations"] if x["predecessor_org_id"] == oid and x is not o],
               projects=[x for x in projects if oid in (x["funder_org_id"], x["beneficiary_org_id"])],
               agreements=[a for a in agreements if any(x["agreement_id"] == a["agreement_id"]
                                                        for x in site.parties_in.get(oid, []))],
               evidence=site.evidence("organizations", oid))
    sources = sorted(tables["sources"], key=lambda s: (s["published_start"] or dt.date.min, s["source_id"]),
                     reverse=True)
    w.page("sources/index.html", "list_sources.html", sources=sources)
    for src in sources:
        cites = sorted(site.cited_by_source.get(src["source_id"], []),
                       key=lambda c: (c["record_table"], c["record_id"], c["field"] or "", c["citation_id"]))
        w.page(f"sources/{src['source_id']}.html", "source.html", src=src, cites=cites,
               outlet=site.outlets.get(src.get("outlet_id")) if src.get("outlet_id") else None,
               supports=Counter(c["record_table"] for c in cites))
    return w.pages


def build_site(outdir: Path) -> int:
    """Render the site into ``outdir``, replacing it only when complete: ``outdir`` must be new, empty or a site
    this function wrote before. Returns the number of pages."""
    outdir = Path(outdir).absolute()
    if outdir.exists():
        if not outdir.is_dir():
            raise SiteError(f"{outdir} is a file, not a folder")
        if any(outdir.iterdir()) and not (outdir / MARKER).is_file():
            raise SiteError(f"{outdir} is not empty and was not written by `vn-la-security site`; "
                            "name a new or empty folder")
    if not outdir.parent.is_dir():
        raise SiteError(f"folder {outdir.parent} does not exist")
    tables = load_tables()
    tmp = outdir.with_name(f".{outdir.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    tmp.mkdir()
    try:
        pages = render_site(tmp, tables)
        if outdir.exists():
            old = tmp.with_suffix(".old")
            outdir.rename(old)
            tmp.rename(outdir)
            shutil.rmtree(old)
        else:
            tmp.rename(outdir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return pages

