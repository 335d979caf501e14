"""``vn-la-security new KIND``: a record file to fill in, with the right name, ID and comments.

A skeleton is shaped like a valid record: every field is present, with its allowed codes in a comment.
Values the contributor must supply are ``TODO`` (codes, IDs) or ``""`` (free text): both fail
validation with a located message until they are filled in, so a skeleton never passes unnoticed.
"""
from __future__ import annotations

import os
import re
import textwrap
from enum import Enum
from pathlib import Path

from . import vocab
from .dates import parse_edtf
from .models import SLUG_RE
from .names import ascii_name

KINDS = {"meeting": "meetings", "person": "people", "agreement": "agreements", "project": "projects",
         "source": "sources", "organization": "organizations"}
COMMENT_COLUMN = 34
WIDTH = 118


class SkeletonError(Exception):
    """A usage problem (bad option, file exists): one sentence for the user."""


def slugify(text: str) -> str:
    """``Lương Tam Quang`` → ``luong-tam-quang``."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_name(text).lower()).strip("-")


def codes(enum: type[Enum]) -> str:
    return " | ".join(m.value for m in enum)


def _lines(spec: list[tuple[str, str]]) -> str:
    """Render ``(yaml line, comment)`` pairs with comments aligned and wrapped."""
    out = []
    for line, comment in spec:
        if not comment:
            out.append(line)
            continue
        pad = max(COMMENT_COLUMN, len(line) + 1)
        parts = textwrap.wrap(comment, WIDTH - pad - 2, break_on_hyphens=False) or [""]
        out.append(f"{line:<{pad}}# {parts[0]}")
        out.extend(f"{' ' * pad}# {p}" for p in parts[1:])
    return "\n".join(out) + "\n"


def _cite(indent: str, source: str | None) -> list[tuple[str, str]]:
    return [
        (f"{indent}cite:", "evidence: at least one source and a verbatim quote"),
        (f"{indent}  - source: {source or 'TODO'}", "a source_id in data/sources/ (vn-la-security new source)"),
        (f'{indent}    quote: ""', "TODO: copy the words exactly, original language, ≤ 250 characters, no ellipses"),
        (f"{indent}    quote_en: null", "optional: our own English rendering"),
        (f"{indent}    field: null", "optional: the one column this quote supports (e.g. date); null = the whole entry"),
    ]


def _date(value: str) -> str:
    try:
        parse_edtf(value)
    except ValueError as exc:
        raise SkeletonError(f"--date {value!r}: {exc}") from None
    return value


def _slug(value: str | None, option: str) -> str:
    if not value:
        raise SkeletonError(f"{option} is required: a short lowercase name such as 'talks-vientiane'")
    if not SLUG_RE.match(value):
        raise SkeletonError(f"{option} {value!r} is not a valid ID part: use lowercase letters, digits and single "
                            "hyphens, e.g. 'talks-vientiane'")
    return value


def _header(kind: str, path: Path, root: Path, record_id: str, intro: str) -> list[tuple[str, str]]:
    schema = Path(os.path.relpath(root / "schemas" / "records" / f"{KINDS[kind]}.schema.json", path.parent))
    rel = path.relative_to(root).as_posix()
    return [
        (f"# yaml-language-server: $schema={schema.as_posix()}", ""),
        (f"# {intro}", ""),
        ("# Fill in every TODO and \"\", delete optional lines you do not need (see CONTRIBUTING.md), then run", ""),
        (f"#   vn-la-security validate {rel}", ""),
    ]


def meeting(root: Path, date: str | None, slug: str | None, source: str | None, country: str | None,
            **_: object) -> tuple[Path, str]:
    if not date:
        raise SkeletonError("--date is required for a meeting: the day it happened, e.g. --date 2024-08-27")
    date = _date(date)
    record_id = f"{date.split('/')[0]}-{_slug(slug, '--slug')}"
    path = root / "data" / "meetings" / date[:4] / f"{record_id}.yaml"
    spec = _header("meeting", path, root, record_id,
                   "One meeting = one distinct encounter (talks, a courtesy call, a ceremony …).") + [
        (f"meeting_id: {record_id}", "= the file name; starts with the date; never change it once published"),
        (f'date: "{date}"', 'EDTF, quoted: "YYYY-MM-DD", "YYYY-MM", "YYYY" or "YYYY-MM-DD/YYYY-MM-DD"; never pad a '
                            "month to the 1st"),
        ('city: ""', "TODO: city in English (e.g. Vientiane), or null if not reported"),
        (f"country: {country or 'TODO'}", "venue, ISO 3166-1 alpha-2: VN | LA | KH …"),
        ("meeting_type: TODO", f"one of: {codes(vocab.MeetingType)}"),
        ('title_en: ""', "TODO: short English title, our own words"),
        ('summary_en: ""', "TODO: one paragraph, our own English words (never copied article text)"),
        ("occasion: null", "free text, e.g. AMMTC-18 or a state visit"),
        ("series: null", "recurring series ID, e.g. vn-la-security-cooperation-conference"),
        ("session: null", "session number within the series (integer)"),
        ("note: null", "how the date or year was established, doubts, related meetings"),
        *_cite("", source),
        ("participants:", "one item per person the source names; use [] if none"),
        ("  - person_id: TODO", 'a person_id in data/people/ (vn-la-security new person "Name")'),
        ("    org_id: null", "organisation represented, an org_id in data/organizations/"),
        ("    side: TODO", f"one of: {codes(vocab.Side)}"),
        ("    role: TODO", f"one of: {codes(vocab.ParticipantRole)}"),
        ("    title_as_written: null", "the title exactly as the source writes it"),
        ("    rank: null", f"rank stated in this source, one of: {codes(vocab.Rank)}"),
        ("    rank_label: null", "the rank as written, e.g. Đại tướng"),
        ("    positions: []", 'posts stated in this source: - {org_id: vn-mps, role: minister, role_label: '
                              f'"Bộ trưởng Bộ Công an"}}; role one of: {codes(vocab.Role)}'),
        *_cite("    ", source),
    ]
    return path, _lines(spec)


def person(root: Path, name: str | None, slug: str | None, source: str | None, country: str | None,
           **_: object) -> tuple[Path, str]:
    if not name:
        raise SkeletonError('a person needs a name: vn-la-security new person "Lương Tam Quang"')
    record_id = _slug(slug or slugify(name), "--slug")
    path = root / "data" / "people" / f"{record_id}.yaml"
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    spec = _header("person", path, root, record_id,
                   "One person, one person_id: every other spelling goes into aliases.") + [
        (f"person_id: {record_id}", "= the file name; the name without diacritics; never change it once published"),
        (f"name: {quoted}", "as Vietnamese sources write it (with diacritics), or the usual romanisation"),
        ("name_lo: null", "name in Lao script, if a source gives it"),
        (f"country: {country or 'TODO'}", "ISO 3166-1 alpha-2: VN | LA | …"),
        ("aliases: []", 'every other spelling seen, e.g. ["Vilay Lakhamfong", "Vi-lay Lạ-khăm-phong"]'),
        ("note: null", ""),
        *_cite("", source),
        ("ranks: []", "rank facts NOT stated at a meeting (promotions, biographies); each item: rank ("
                      f"{codes(vocab.Rank)}), rank_label, date, basis ({codes(vocab.Basis)}), "
                      "demotion, disputed, note, cite"),
        ("positions: []", "post facts NOT stated at a meeting (appointments); each item: org_id, role ("
                          f"{codes(vocab.Role)}), role_label, date, basis, disputed, note, cite"),
    ]
    return path, _lines(spec)


def agreement(root: Path, date: str | None, slug: str | None, source: str | None, **_: object) -> tuple[Path, str]:
    slug = _slug(slug, "--slug")
    signed = _date(date) if date else None
    record_id = f"{signed.split('/')[0]}-{slug}" if signed else slug
    path = root / "data" / "agreements" / f"{record_id}.yaml"
    spec = _header("agreement", path, root, record_id,
                   "One agreement, plan, MoU, minutes or joint statement.") + [
        (f"agreement_id: {record_id}", "= the file name; starts with the signing date when known"),
        ("title_vi: null", "Vietnamese title as written"),
        ('title_en: ""', "TODO: English title"),
        ("agreement_type: TODO", f"one of: {codes(vocab.AgreementType)}"),
        (f'signed: "{signed}"' if signed else "signed: null", 'EDTF, quoted ("2023-09-29", "2023-09"), or null if '
                                                            "only referenced"),
        ("meeting_id: null", "the meeting where it was signed, if recorded"),
        ("period_start: null", "first year covered (integer), or null"),
        ("period_end: null", "last year covered (integer), or null"),
        ("parent_agreement_id: null", "the agreement this one implements or extends"),
        ("note: null", ""),
        *_cite("", source),
        ("signatories: []", "each item: {person_id: …, org_id: …, cite: [{source: …, quote: …}]}"),
    ]
    return path, _lines(spec)


def project(root: Path, slug: str | None, source: str | None, date: str | None = None,
            **_: object) -> tuple[Path, str]:
    record_id = _slug(slug, "--slug")
    path = root / "data" / "projects" / f"{record_id}.yaml"
    spec = _header("project", path, root, record_id,
                   "One cooperation project; its dated progress goes into updates.") + [
        (f"project_id: {record_id}", "= the file name"),
        ("name_vi: null", "Vietnamese name as written"),
        ('name_en: ""', "TODO: English name"),
        ("project_type: TODO", f"one of: {codes(vocab.ProjectType)}"),
        ("funder_org_id: null", "an org_id in data/organizations/"),
        ("beneficiary_org_id: null", "an org_id in data/organizations/"),
        ("location: null", ""),
        ("note: null", ""),
        *_cite("", source),
        ("updates:", "dated status reports; use [] if none"),
        (f'  - date: "{_date(date) if date else "TODO"}"', "EDTF, quoted; never pad a month to the 1st"),
        ("    status: TODO", f"one of: {codes(vocab.ProjectStatus)}"),
        ("    quantity: null", "a count (integer), e.g. 10 offices handed over"),
        ("    unit: null", "what quantity counts, e.g. offices"),
        ("    meeting_id: null", "the meeting where it happened or was reported"),
        ("    note: null", ""),
        *_cite("    ", source),
    ]
    return path, _lines(spec)


def source(root: Path, slug: str | None, date: str | None, **_: object) -> tuple[Path, str]:
    record_id = _slug(slug, "--slug")
    path = root / "data" / "sources" / f"{record_id}.yaml"
    published = f'"{_date(date)}"' if date else "null"
    spec = _header("source", path, root, record_id,
                   "One published text we quote from. ID: <outlet>-<date>-<short-title>.") + [
        (f"source_id: {record_id}", "= the file name"),
        ('title: ""', "TODO: headline as published, original language"),
        ('publisher: ""', "TODO: publisher as credited on the page, e.g. VnExpress, Báo Công an nhân dân"),
        ("outlet_id: TODO", "the outlet's ID in data/outlets/ (add one if it is new); the original, not a mirror"),
        ("url: TODO", "the URL as found, https://…"),
        ("url_status: TODO", "original = the outlet's own URL | mirror = a copy on another host | inferred = "
                             "derived, not itself seen | unknown"),
        (f"published: {published}", "EDTF, quoted, at the precision the page gives; null if unknown"),
        ("language: TODO", "BCP 47: vi | lo | en | fr …"),
        ("text_sha256: null", "vn-la-security hash ARTICLE.txt, for the text the quotes were checked against"),
        ("archive_name: null", "optional: file name of that text in the archive folder"),
        ("note: null", "how the date or URL was established, mirrors …"),
    ]
    return path, _lines(spec)


def organization(root: Path, slug: str | None, source: str | None, country: str | None,
                 **_: object) -> tuple[Path, str]:
    record_id = _slug(slug, "--slug")
    path = root / "data" / "organizations" / f"{record_id}.yaml"
    spec = _header("organization", path, root, record_id, "One organisation (ministry, party body, unit …).") + [
        (f"org_id: {record_id}", "= the file name, e.g. vn-mps, la-mps"),
        ('name_vi: ""', "TODO: Vietnamese name"),
        ('name_en: ""', "TODO: English name"),
        ("name_lo: null", "Lao name, if a source gives it"),
        (f"country: {country or 'TODO'}", "ISO 3166-1 alpha-2: VN | LA | …"),
        ("org_type: TODO", f"one of: {codes(vocab.OrgType)}"),
        ("parent_org_id: null", "the organisation this one belongs to"),
        ("predecessor_org_id: null", "the organisation this one succeeded"),
        ("aliases: []", "other names seen"),
        ("note: null", ""),
        *_cite("", source),
    ]
    return path, _lines(spec)


_BUILDERS = {"meeting": meeting, "person": person, "agreement": agreement, "project": project,
             "source": source, "organization": organization}


def skeleton(kind: str, root: Path, **options: object) -> tuple[Path, str]:
    """``(path, text)`` of a new record file; ``SkeletonError`` on bad options."""
    country = options.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
        raise SkeletonError(f"--country {country!r}: use an ISO 3166-1 alpha-2 code such as VN or LA")
    src = options.get("source")
    if src is not None and not SLUG_RE.match(str(src)):
        raise SkeletonError(f"--source {src!r} is not a source_id (lowercase letters, digits, hyphens)")
    return _BUILDERS[kind](root.absolute(), **options)


def write(kind: str, root: Path, **options: object) -> Path:
    """Create the skeleton file; refuse to overwrite an existing one."""
    path, text = skeleton(kind, root, **options)
    if path.exists():
        raise SkeletonError(f"{path.relative_to(root.absolute()).as_posix()} already exists: edit it, or choose "
                            "another --slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:
        fh.write(text)
    return path
