#!/usr/bin/env python3
"""Generate a valid synthetic dataset of N meetings, for benchmarks and scale tests.

    python scripts/synth.py 10000 --seed 1 --out /tmp/synth-10k

Writes ``OUT/data/<kind>/...`` (one YAML file per record, meetings under ``data/meetings/<year>/``) in the
real record format, deterministically from the seed (same seed and N → same bytes). Without ``--out`` it
writes to a new temporary folder and prints its path.

Proportions per N meetings: N/2 sources, N/10 people (at least 8), N/500 organisations per country (at
least 2), N/4 agreements, N/20 projects with 1–3 updates each, 2–6 participants per meeting.

The data obey the cross-record rules (``vn_la_security/rules.py``) by construction:
* a person's rank is a non-decreasing function of the date (promotion every ``interval`` days), so ranks
  never go down and one person never has two ranks on one day;
* the single-seat post (minister) of an organisation in a year belongs to one designated person, and
  every other post a person holds at an organisation is a function of (person, year), so no seat clash
  and no minister/deputy clash on one day;
* all dates lie in 1995–2024 (never in the future); IDs carry a running number (unique); every
  reference points at a generated record; every record and nested item has a ``cite:``.
Quotes are not taken from real texts: each source's fingerprint (``data/fingerprints/``) is made of the quotes
that cite it, so every quote is checked against it, as in the real data; no archive check applies.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import tempfile
from pathlib import Path
from typing import Any

from vn_la_security import fingerprint
from vn_la_security.provenance import text_sha256

FIRST_DAY = dt.date(1995, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
EPOCH = dt.date(1985, 1, 1)          # rank clock start (before any generated date)

RANKS = ["general", "colonel_general", "lieutenant_general", "major_general", "brigadier_general",
         "senior_colonel", "colonel", "lieutenant_colonel", "major", "captain", "senior_lieutenant",
         "first_lieutenant", "second_lieutenant"]
RANK_LABELS = {"general": "Đại tướng", "colonel_general": "Thượng tướng", "lieutenant_general": "Trung tướng",
               "major_general": "Thiếu tướng", "brigadier_general": "Chuẩn tướng", "senior_colonel": "Đại tá",
               "colonel": "Thượng tá", "lieutenant_colonel": "Trung tá", "major": "Thiếu tá", "captain": "Đại úy",
               "senior_lieutenant": "Thượng úy", "first_lieutenant": "Trung úy", "second_lieutenant": "Thiếu úy"}
ROLE_LABELS = {"minister": "Bộ trưởng", "deputy_minister": "Thứ trưởng", "department_head": "Cục trưởng"}
MEETING_TYPES = ["talks", "courtesy_call", "reception", "bilateral_meeting", "official_visit", "working_visit",
                 "conference", "review_conference", "signing_ceremony", "handover_ceremony"]
AGREEMENT_TYPES = ["agreement", "cooperation_plan", "implementation_plan", "mou", "minutes", "joint_statement"]
PROJECT_TYPES = ["construction", "equipment", "it_system", "training", "restoration"]
STATUSES = ["planned", "groundbreaking", "under_construction", "completed", "handed_over", "inaugurated"]
CITIES = {"VN": ["Hà Nội", "Đà Nẵng", "Nghệ An", "Điện Biên"], "LA": ["Vientiane", "Luang Prabang", "Savannakhet",
                                                                        "Champasak"]}
GIVEN = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Xuân"]
LAO = ["Vilay", "Somkeo", "Khamphone", "Bounmy", "Souksavanh", "Phonesay", "Thongchanh", "Viengxay"]
LAO_FAMILY = ["Lakhamphong", "Silavong", "Phommachanh", "Sisoulith", "Keomany", "Vongsa", "Chanthala"]


def q(value: Any) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def to_yaml(record: dict[str, Any]) -> str:
    """Block-style YAML for the record shapes used here (mappings of scalars and lists of mappings)."""
    lines: list[str] = []
    _emit(record, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(mapping: dict[str, Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if not isinstance(value, list):
            lines.append(f"{pad}{key}: {q(value)}")
        elif not value:
            lines.append(f"{pad}{key}: []")
        else:
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    start = len(lines)
                    _emit(item, indent + 4, lines)
                    lines[start] = f"{pad}  - {lines[start][indent + 4:]}"
                else:
                    lines.append(f"{pad}  - {q(item)}")


class Synth:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.rng = random.Random(seed)
        self.n_sources = max(2, n // 2)
        self.n_people = max(8, n // 10)
        self.orgs_per_country = max(2, n // 500)
        self.files: dict[str, str] = {}          # path under data/ → YAML text
        self.quoted: dict[str, list[str]] = {}   # source_id → its quotes (the text its fingerprint is made of)

    # ------------------------------------------------------------------ helpers
    def source_id(self, i: int) -> str:
        return f"synth-source-{i:07d}"

    def cite(self, words: str, field: str | None = None) -> list[dict[str, Any]]:
        rng = self.rng
        item: dict[str, Any] = {"source": self.source_id(rng.randrange(self.n_sources)),
                                "quote": f"Theo nguồn tin, {words}, hai bên nhất trí tăng cường hợp tác."}
        self.quoted.setdefault(item["source"], []).append(item["quote"])
        item["quote_en"] = f"According to the report, {words}, both sides agreed to strengthen cooperation."
        if field:
            item["field"] = field
        return [item]

    def day(self) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1))

    def rank_on(self, person: dict[str, Any], day: dt.date) -> str:
        """Non-decreasing in ``day``: one step up the ladder every ``interval`` days, capped at general."""
        steps = (day - EPOCH).days // person["interval"]
        return RANKS[max(0, person["base"] - steps)]

    def role_on(self, person: dict[str, Any], year: int) -> str:
        org_people = self.people_by_org[person["org"]]
        if org_people[year % len(org_people)] is person:
            return "minister"                       # the one holder of the seat that year
        return "deputy_minister" if (person["index"] + year) % 3 == 0 else "department_head"

    def add(self, rel: str, record: dict[str, Any]) -> None:
        self.files[rel] = to_yaml(record)

    # ------------------------------------------------------------------ records
    def generate(self) -> dict[str, str]:
        rng = self.rng
        outlets = ["cand", "vietnamplus", "vov", "pasaxon"]
        for outlet in outlets:
            self.add(f"outlets/{outlet}.yaml", {
                "outlet_id": outlet, "name": outlet.title(), "country": "VN", "language": "vi",
                "outlet_type": "newspaper", "url": f"https://example.org/{outlet}/"})
        sources = []
        for i in range(self.n_sources):
            # published after every generated event: a text cannot report a later meeting (rule E705)
            published = (LAST_DAY + (self.day() - FIRST_DAY) / 365).isoformat()
            outlet = rng.choice(outlets)
            sources.append({
                "source_id": self.source_id(i), "title": f"Bộ Công an hai nước tăng cường hợp tác (bài {i})",
                "publisher": outlet.title(), "outlet_id": outlet,
                "url": f"https://example.org/news/{i}", "url_status": "original", "published": published,
                "language": "vi", "text_sha256": None, "note": None})

        self.orgs = {c: [f"{c.lower()}-synth-org-{k}" for k in range(self.orgs_per_country)] for c in ("VN", "LA")}
        for country, ids in self.orgs.items():
            for k, org_id in enumerate(ids):
                self.add(f"organizations/{org_id}.yaml", {
                    "org_id": org_id, "name_vi": f"Đơn vị {k} Bộ Công an {'Việt Nam' if country == 'VN' else 'Lào'}",
                    "name_en": f"Unit {k} of the {country} Ministry of Public Security", "name_lo": None,
                    "country": country, "org_type": "ministry" if k == 0 else "police_unit",
                    "parent_org_id": ids[0] if k else None, "predecessor_org_id": None, "aliases": [],
                    "note": None, "cite": self.cite(f"Đơn vị {k}")})

        self.people: list[dict[str, Any]] = []
        self.people_by_org: dict[str, list[dict[str, Any]]] = {}
        for i in range(self.n_people):
            country = "VN" if i % 2 == 0 else "LA"
            person = {"index": i, "id": f"synth-person-{i:06d}", "country": country,
                      "org": self.orgs[country][(i // 2) % self.orgs_per_country],
                      "base": rng.randrange(4, len(RANKS)), "interval": rng.randrange(1500, 3000),
                      "name": (f"{rng.choice(GIVEN)} {rng.choice(MIDDLE)} Số {i}" if country == "VN"
                               else f"{rng.choice(LAO)} {rng.choice(LAO_FAMILY)} {i}")}
            self.people.append(person)
            self.people_by_org.setdefault(person["org"], []).append(person)
        for person in self.people:
            self.add_person(person)

        self.by_country = {c: [p for p in self.people if p["country"] == c] for c in ("VN", "LA")}
        meetings = [self.add_meeting(i) for i in range(self.n)]
        for i in range(max(1, self.n // 4)):
            self.add_agreement(i, meetings[rng.randrange(len(meetings))])
        for i in range(max(1, self.n // 20)):
            self.add_project(i, meetings)
        for source in sources:   # written last: each source's fingerprint is made of the quotes citing it
            self.add_fingerprint(source)
        return self.files

    def add_fingerprint(self, source: dict[str, Any]) -> None:
        """The source's fingerprint of a text made of its quotes (every source of a release has one: E916)."""
        sid = source["source_id"]
        text = "\n".join(self.quoted.get(sid, [f"Bài {sid}: hai bên nhất trí tăng cường hợp tác."]))
        content = fingerprint.make(sid, text, source["language"])
        self.files[f"fingerprints/{sid}.txt"] = content
        self.add(f"sources/{sid}.yaml", {**source, "text_sha256": text_sha256(text), "checked_text": "whole_article",
                                        "fingerprint_sha256": hashlib.sha256(content.encode("ascii")).hexdigest()})

    def add_person(self, p: dict[str, Any]) -> None:
        rng = self.rng
        ranks, positions = [], []
        for k in (1, 2):                                   # promotions: the day the rank changes
            day = EPOCH + dt.timedelta(days=k * p["interval"])
            if FIRST_DAY <= day <= LAST_DAY:
                rank = self.rank_on(p, day)
                ranks.append({"rank": rank, "rank_label": RANK_LABELS[rank], "date": day.isoformat(),
                              "basis": "started",
                              "cite": self.cite(f"ngày {day.day}/{day.month}/{day.year} thăng cấp "
                                                f"{RANK_LABELS[rank]}")})
        if rng.random() < 0.5:                             # an appointment known from a biography
            year = rng.randrange(FIRST_DAY.year, LAST_DAY.year + 1)
            positions.append({"org_id": p["org"], "role": "other", "role_label": "Phó Cục trưởng",
                              "date": str(year), "basis": "started", "cite": self.cite("được bổ nhiệm Phó Cục trưởng")})
        aliases = [p["name"].replace(" ", "-")] if rng.random() < 0.3 else []
        self.add(f"people/{p['id']}.yaml", {
            "person_id": p["id"], "name": p["name"], "name_lo": None, "country": p["country"],
            "aliases": aliases, "note": None,
            "cite": self.cite(" (".join([p["name"], *aliases]) + ")" * len(aliases)), "ranks": ranks,
            "positions": positions})

    def participant(self, p: dict[str, Any], role: str, start: dt.date) -> dict[str, Any]:
        rng = self.rng
        item: dict[str, Any] = {"person_id": p["id"], "org_id": p["org"], "side": p["country"], "role": role,
                                "title_as_written": "Lãnh đạo Bộ Công an"}
        words = f"{p['name']}, Lãnh đạo Bộ Công an"
        if rng.random() < 0.6:
            rank = self.rank_on(p, start)
            item["rank"], item["rank_label"] = rank, RANK_LABELS[rank]
            words = f"{RANK_LABELS[rank]} {words}"
        if rng.random() < 0.5:
            post = self.role_on(p, start.year)
            item["positions"] = [{"org_id": p["org"], "role": post, "role_label": ROLE_LABELS[post]}]
            words = f"{words}, {ROLE_LABELS[post]}"
        item["cite"] = self.cite(words)
        return item

    def add_meeting(self, i: int) -> dict[str, Any]:
        rng = self.rng
        start = self.day()
        date = start.isoformat()
        if rng.random() < 0.1 and start < LAST_DAY:
            date = f"{date}/{(start + dt.timedelta(days=1)).isoformat()}"
        mtype = rng.choice(MEETING_TYPES)
        meeting_id = f"{start.isoformat()}-{mtype.replace('_', '-')}-{i:07d}"
        country = rng.choice(("VN", "LA"))
        count = rng.randrange(2, 7)
        people = rng.sample(self.by_country["VN"], count // 2) + rng.sample(self.by_country["LA"], count - count // 2)
        participants = [self.participant(p, "head_of_delegation" if k in (0, count // 2) else "member", start)
                        for k, p in enumerate(people)]
        record = {"meeting_id": meeting_id, "date": date, "city": rng.choice(CITIES[country]), "country": country,
                  "meeting_type": mtype, "title_en": f"Synthetic {mtype.replace('_', ' ')} number {i}",
                  "summary_en": ("The two ministries of public security reviewed their cooperation in preventing "
                                 "cross-border crime, training officers and exchanging information, and agreed on "
                                 f"next steps. Synthetic record {i} generated for benchmarks."),
                  "occasion": None, "series": None, "session": None, "note": None,
                  "cite": self.cite(f"ngày {start.day}/{start.month}/{start.year}, tại {record_city(country)}"),
                  "participants": participants}
        if rng.random() < 0.05:
            record["series"], record["session"] = "synth-conference", i + 1   # one meeting per session (E709)
        self.add(f"meetings/{start.year}/{meeting_id}.yaml", record)
        return {"id": meeting_id, "start": start, "people": people}

    def add_agreement(self, i: int, meeting: dict[str, Any]) -> None:
        rng = self.rng
        signed = meeting["start"]
        agreement_id = f"{signed.isoformat()}-synth-agreement-{i:07d}"
        heads = [meeting["people"][0], meeting["people"][-1]]
        self.add(f"agreements/{agreement_id}.yaml", {
            "agreement_id": agreement_id, "title_vi": f"Kế hoạch hợp tác năm {signed.year + 1}",
            "title_en": f"Cooperation plan {signed.year + 1} (synthetic {i})",
            "agreement_type": rng.choice(AGREEMENT_TYPES), "signed": signed.isoformat(), "meeting_id": meeting["id"],
            "period_start": signed.year + 1, "period_end": signed.year + 1 + rng.randrange(3),
            "parent_agreement_id": None, "note": None,
            "cite": self.cite(f"ngày {signed.day}/{signed.month}/{signed.year} ký Kế hoạch hợp tác năm "
                              f"{signed.year + 1}"),
            "signatories": [{"person_id": p["id"], "org_id": p["org"], "cite": self.cite(f"{p['name']} ký")}
                            for p in heads]})

    def add_project(self, i: int, meetings: list[dict[str, Any]]) -> None:
        rng = self.rng
        project_id = f"synth-project-{i:06d}"
        days = sorted({self.day() for _ in range(rng.randrange(1, 4))})
        updates = []
        for k, day in enumerate(days):
            quantity = rng.randrange(1, 50) if rng.random() < 0.5 else None
            said = f"ngày {day.day}/{day.month}/{day.year} bàn giao công trình {i}" + (
                f": {quantity} trụ sở" if quantity is not None else "")
            update: dict[str, Any] = {"date": day.isoformat(), "status": STATUSES[min(k * 2, len(STATUSES) - 1)],
                                      "quantity": quantity, "unit": "offices", "meeting_id": None, "note": None,
                                      "cite": self.cite(said)}
            if rng.random() < 0.3:
                update["meeting_id"] = meetings[rng.randrange(len(meetings))]["id"]
            updates.append(update)
        self.add(f"projects/{project_id}.yaml", {
            "project_id": project_id, "name_vi": f"Công trình hợp tác số {i}", "name_en": f"Cooperation project {i}",
            "project_type": rng.choice(PROJECT_TYPES), "funder_org_id": self.orgs["VN"][0],
            "beneficiary_org_id": self.orgs["LA"][i % self.orgs_per_country], "location": None, "note": None,
            "cite": self.cite(f"công trình hợp tác số {i}"), "updates": updates})


def record_city(country: str) -> str:
    return "Hà Nội" if country == "VN" else "Vientiane"


def generate(n: int, seed: int = 0, out: Path | None = None) -> Path:
    """Write the dataset under ``out`` (a new temporary folder by default) and return the folder."""
    root = Path(out) if out else Path(tempfile.mkdtemp(prefix=f"vnla-synth-{n}-"))
    files = Synth(n, seed).generate()
    made: set[Path] = set()
    for rel, text in files.items():
        path = root / "data" / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))
    return root


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of meetings")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="folder to write (default: a new temporary folder)")
    args = p.parse_args(argv)
    if args.out and (args.out / "data").exists():
        p.error(f"{args.out}/data already exists: choose an empty folder")
    print(generate(args.n, args.seed, args.out))


if __name__ == "__main__":
    main()
