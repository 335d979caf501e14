"""`vn-la-security site OUTDIR`: every page parses, every internal link resolves, nothing is loaded from outside,
record text is escaped, the output is deterministic, downloads carry true checksums."""
from __future__ import annotations

import datetime as dt

import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixture_tables import SECOND_MEETING, build_tables, explore_records
from fixtures import cite

pytest.importorskip("jinja2")

from vn_la_security import api, site  # noqa: E402
from vn_la_security.cli import main  # noqa: E402

HOSTILE = '<script>alert("owned")</script> & <img src=x onerror=alert(1)>'
HOSTILE_MEETING = "2024-08-hostile-text"
ID_PROJECT = "population-id-system"
FIRST_MEETING = "2024-08-27-talks-vientiane"


def site_records():
    """The explore fixture plus a Lao-script name, a project named in Vietnamese with căn cước, and a
    meeting whose text is an HTML injection attempt (it must show as text)."""
    records = explore_records()
    records["people/vilay-lakhamphong.yaml"]["name_lo"] = "ວິໄລ ຫຼ້າຄຳຟອງ"
    records[f"projects/{ID_PROJECT}.yaml"] = {
        "project_id": ID_PROJECT, "name_vi": "Dự án hệ thống quản lý dân cư và căn cước công dân",
        "name_en": "Population and citizen ID system", "project_type": "it_system", "funder_org_id": "vn-mps",
        "beneficiary_org_id": "la-mps", "cite": cite("Dự án hệ thống quản lý dân cư và căn cước công dân"),
    }
    records[f"meetings/2024/{HOSTILE_MEETING}.yaml"] = {
        "meeting_id": HOSTILE_MEETING, "date": "2024-08", "city": "Vientiane", "country": "LA",
        "meeting_type": "other", "title_en": HOSTILE, "summary_en": f"Summary {HOSTILE}",
        "cite": cite("Chiều 27/8, tại Thủ đô Vientiane"),
    }
    return records


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    folder = build_tables(tmp_path_factory.mktemp("pkg"), site_records())
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VN_LA_SECURITY_TABLES", str(folder))
        api.clear_cache()
        yield folder
    api.clear_cache()


@pytest.fixture(scope="module")
def out(tables, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "www"
    assert site.build_site(folder) > 10
    return folder


class Page(HTMLParser):
    """Tags with their attributes, and the text, of one page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def links(self) -> list[tuple[str, str, str]]:
        return [(tag, k, v) for tag, attrs in self.tags for k, v in attrs.items() if k in ("href", "src")]


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_internal_link_resolves(out):
    checked = 0
    for path in pages(out):
        for tag, attr, value in parse(path).links():
            if re.match(r"https?://", value):
                continue
            assert value and not value.startswith(("/", "//", "file:")), f"{path}: {attr}={value!r} is not relative"
            target = (path.parent / value.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(out)}: <{tag} {attr}={value!r}> points at nothing"
            assert target.is_relative_to(out.resolve()), f"{path}: {value!r} leaves the site"
            checked += 1
    assert checked > 100


def test_nothing_is_loaded_from_outside_and_external_links_go_to_sources(out, tables):
    source_urls = {s["url"] for s in api.load("sources", backend="arrow").to_pylist()}
    external = set()
    for path in pages(out):
        for tag, attrs in parse(path).tags:
            for attr in ("href", "src"):
                value = attrs.get(attr, "")
                if re.match(r"(https?:)?//", value):
                    assert tag == "a", f"{path}: <{tag} {attr}={value!r}> loads from outside the site"
                    external.add(value)
    assert external and external <= source_urls
    css = (out / "assets" / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_hostile_record_text_is_shown_as_text(out):
    page_path = out / "meetings" / f"{HOSTILE_MEETING}.html"
    html = page_path.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    page = parse(page_path)
    assert not [t for t, _ in page.tags if t in ("script", "img")]
    assert HOSTILE in "".join(page.text)
    index = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index, "the index is a script: no raw < in its strings"
    listing = parse(out / "meetings" / "index.html")
    assert not [t for t, _ in listing.tags if t in ("script", "img")] and HOSTILE in "".join(listing.text)


def test_meeting_page_shows_participants_agreements_and_evidence(out, tables):
    page = parse(out / "meetings" / f"{FIRST_MEETING}.html")
    text = " ".join("".join(page.text).split())
    assert "Bộ trưởng Bộ Công an Lào" in text                       # title as written
    assert "Cooperation plan 2025" in text                           # agreement signed there
    assert "Chiều 27/8, tại Thủ đô Vientiane" in text                # the quote
    assert "Test News" in text and "2024-08-28" in text              # publisher and date of the source
    hrefs = {v for _, k, v in page.links()}
    assert "https://example.org/a" in hrefs
    assert "../people/luong-tam-quang.html" in hrefs and "../agreements/2024-08-27-cooperation-plan-2025.html" in hrefs


def test_person_page_shows_names_chart_meetings_and_agreements(out):
    html = (out / "people" / "vilay-lakhamphong.html").read_text(encoding="utf-8")
    assert 'lang="lo">ວິໄລ ຫຼ້າຄຳຟອງ<' in html
    assert "Vilay Lakhamfong; Vi-lay Lạ-khăm-phong" in html
    assert "<svg" in html and "general" in html
    assert f"../meetings/{SECOND_MEETING}.html" in html and f"../meetings/{FIRST_MEETING}.html" in html
    quang = (out / "people" / "luong-tam-quang.html").read_text(encoding="utf-8")
    assert "../agreements/2024-08-27-cooperation-plan-2025.html" in quang
    assert "minister · Ministry of Public Security of Viet Nam" in quang      # a lane of the career chart


def test_other_pages(out):
    project = (out / "projects" / "village-offices.html").read_text(encoding="utf-8")
    assert "handed over" in project and "<strong>10</strong> offices" in project
    org = (out / "organizations" / "la-mps.html").read_text(encoding="utf-8")
    assert "../people/vilay-lakhamphong.html" in org and "<h3>minister</h3>" in org
    source = (out / "sources" / "test-source-2024-08-28.html").read_text(encoding="utf-8")
    assert "../meetings/2024-08-27-talks-vientiane.html" in source and "../projects/village-offices.html" in source
    assert (out / "conflicts.html").is_file() and (out / "agreements" / "index.html").is_file()


def test_index_has_counts_timeline_latest_and_citation(out):
    import vn_la_security

    html = (out / "index.html").read_text(encoding="utf-8")
    page = parse(out / "index.html")
    text = " ".join("".join(page.text).split())
    assert "3 meetings" in text and "2 people" in text
    assert vn_la_security.cite("apa").strip() in text
    bars = re.findall(r"<title>(\d{4}): (\d+) ([a-z ]+)</title>", html)
    assert sorted(bars) == [("2024", "1", "courtesy call"), ("2024", "1", "other"), ("2024", "1", "talks")]
    latest = html.index("Latest meetings")
    assert html.index(SECOND_MEETING, latest) < html.index(FIRST_MEETING, latest)   # newest first


def test_search_index_folds_vietnamese(out):
    js = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(js.removeprefix("window.VLS_INDEX = ").rstrip().rstrip(";"))
    by_url = {e[3]: e for e in entries}
    assert by_url["people/luong-tam-quang.html"][4] == "luong tam quang"
    assert "can cuoc" in by_url[f"projects/{ID_PROJECT}.html"][5]
    assert "vi lay la kham phong" in by_url["people/vilay-lakhamphong.html"][5]
    assert all((out / e[3]).is_file() for e in entries)
    assert site.fold("Đà Nẵng, Viên Chăn!") == "da nang vien chan"


def test_downloads_carry_their_sha256(out):
    html = (out / "downloads.html").read_text(encoding="utf-8")
    files = [p for p in (out / "downloads").rglob("*") if p.is_file() and p.name != "SHA256SUMS"]
    assert {p.suffix for p in files} == {".zip", ".db", ".json", ".csv", ".parquet"}
    sums = (out / "downloads" / "SHA256SUMS").read_text(encoding="utf-8")
    for p in files:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        assert digest in html, p
        assert f"{digest}  {p.relative_to(out / 'downloads').as_posix()}\n" in sums
    package = next(p for p in files if p.suffix == ".zip")
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        descriptor = json.loads(zf.read("datapackage.json"))
        assert {r.get("format") for r in descriptor["resources"]} == {"csv", "parquet"}
        for res in descriptor["resources"]:
            assert res["path"] in names
            assert "sha256:" + hashlib.sha256(zf.read(res["path"])).hexdigest() == res["hash"]


def test_same_tables_same_bytes(out, tmp_path):
    again = tmp_path / "again"
    site.build_site(again)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_release_02_tables_are_used_when_present(tables, tmp_path):
    """organization_names, tenures, rank_spells, outlets, meetings.level and quantity_kind show up."""
    data = site.load_tables()
    data["meetings"] = [{**m, "level": "ministerial"} for m in data["meetings"]]
    data["project_updates"] = [{**u, "quantity_kind": "cumulative"} for u in data["project_updates"]]
    data["organization_names"] = [{"org_id": "la-mps", "name": "Bộ An ninh Lào", "language": "vi",
                                   "date": "1990/2015", "date_start": None, "date_end": None,
                                   "date_precision": "year"}]
    data["tenures"] = [{"tenure_id": "t1", "person_id": "vilay-lakhamphong", "org_id": "la-mps", "role": "minister",
                        "start_start": None, "first_attested": "2020-08-01", "end_end": None,
                        "last_attested": "2024-08-28", "end_basis": "open", "n_facts": 3, "disputed": False}]
    data["outlets"] = [{"outlet_id": "test-news", "name": "Test News Agency", "country": "VN", "language": "vi",
                        "outlet_type": "news_agency"}]
    data["sources"] = [{**s, "outlet_id": "test-news"} for s in data["sources"]]
    www = tmp_path / "www"
    www.mkdir()
    site.render_site(www, data)
    meeting = (www / "meetings" / f"{FIRST_MEETING}.html").read_text(encoding="utf-8")
    assert "<dt>Level</dt><dd>ministerial</dd>" in meeting and "Test News Agency" in meeting
    assert '<span class="tag">cumulative</span>' in (www / "projects" / "village-offices.html").read_text("utf-8")
    org = (www / "organizations" / "la-mps.html").read_text(encoding="utf-8")
    assert "Names over time" in org and "Bộ An ninh Lào" in org
    assert "<td>2020-08-01</td><td>open</td><td>3</td>" in org
    person = (www / "people" / "vilay-lakhamphong.html").read_text(encoding="utf-8")
    assert "2020-08-01 – 2024-08-28" in person                       # the tenure drawn in the chart


def test_cli_writes_and_replaces_its_own_site_only(tables, tmp_path, capsys):
    www = tmp_path / "www"
    assert main(["site", str(www), "--tables", str(tables)]) == 0
    assert (www / "index.html").is_file()
    (www / "stale.html").write_text("old", encoding="utf-8")
    assert main(["site", str(www)]) == 0
    assert not (www / "stale.html").exists() and (www / "index.html").is_file()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    capsys.readouterr()
    assert main(["site", str(foreign)]) == 2
    assert "not empty and was not written by `vn-la-security site`" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_dates_keep_their_precision_and_conflicts_show_both_claims(tables, tmp_path):
    data = site.load_tables()
    base = next(t for t in data["tenures"] if t["person_id"] == "vilay-lakhamphong" and t["role"] == "minister")
    data["tenures"] = [t for t in data["tenures"] if t is not base] + [{
        **base, "start": "2020", "start_start": dt.date(2020, 1, 1), "start_end": dt.date(2020, 12, 31),
        "start_precision": "year", "start_basis": "started", "end_basis": "ended"}]
    data["organizations"] = [{**o, "predecessor_org_id": o["org_id"]} if o["org_id"] == "la-mps" else o
                             for o in data["organizations"]]
    rank = next(r for r in data["ranks"] if r["person_id"] == "vilay-lakhamphong")
    data["ranks"].append({**rank, "rank_id": "vilay-other-rank", "rank": "lieutenant_general",
                          "rank_label": "Trung tướng"})
    data["citations"].append({"citation_id": "c-test", "record_table": "ranks", "record_id": "vilay-other-rank",
                              "field": None, "source_id": "test-source-2024-08-28", "quote": "Trung tướng Vilay",
                              "quote_en": "Lieutenant General Vilay"})
    data["conflicts"] = [{"conflict_id": "c1", "kind": "rank_mismatch", "record_table": "ranks", "field": "rank",
                          "subject_id": "vilay-lakhamphong", "date": rank["date"], "record_id": rank["rank_id"],
                          "claim_a": "general", "sources_a": ["test-source-2024-08-28"],
                          "record_id_b": "vilay-other-rank", "claim_b": "lieutenant_general",
                          "sources_b": ["test-source-2024-08-28"], "detail": "general vs lieutenant_general",
                          "treatment": "both kept, marked disputed"}]
    www = tmp_path / "www"
    www.mkdir()
    site.render_site(www, data)
    org = (www / "organizations" / "la-mps.html").read_text(encoding="utf-8")
    assert f"<td>2020</td><td>{base['end']}</td>" in org               # not padded to 2020-01-01
    assert "Successor of" not in org and "Succeeded by" not in org  # no link to itself
    conflicts = parse(www / "conflicts.html")
    text = " ".join("".join(conflicts.text).split())
    assert "Claim 1: general (Đại tướng): attested 2024-08-27" in text
    assert "Claim 2: lieutenant general (Trung tướng): attested 2024-08-27" in text
    assert "Trung tướng Vilay" in text and "Lieutenant General Vilay" in text
    assert ("a", {"href": "people/vilay-lakhamphong.html"}) in conflicts.tags
