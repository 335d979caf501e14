"""Pydantic v2 models: the single source of truth.

Two families live here:

* **record models** (``SourceRecord``, ``MeetingRecord`` …): one YAML file under ``data/`` each, with
  nested items (participants, rank facts, updates …). They forbid unknown keys and check every
  value a contributor types.
* **row models** (``MeetingRow`` …): one per published table, in ``TABLES``. Table Schemas,
  JSON Schemas, Parquet types and the data dictionary are generated from them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .dates import parse_edtf
from .vocab import (
    AgreementType, Basis, DateBasis, MeetingType, OrgType, ParticipantRole, Precision, ProjectStatus,
    ProjectType, Rank, Role, Side, UrlStatus,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
QUOTE_MAX = 250
# Zero-width, bidirectional controls and other invisible format characters (Unicode category Cf),
# plus C0/C1 controls other than ordinary whitespace.
_INVISIBLE_RE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e"
                           r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_FORMULA_START = ("=", "+", "-", "@")


def _check_text(value: str) -> str:
    if unicodedata.normalize("NFC", value) != value:
        raise ValueError("text is not in Unicode NFC form: re-type it or normalise the file to NFC")
    m = _INVISIBLE_RE.search(value)
    if m:
        raise ValueError(f"contains an invisible or control character U+{ord(m.group()):04X}: delete it")
    if value != value.strip():
        raise ValueError("has leading or trailing white space: remove it")
    if not value:
        raise ValueError("is empty: write the value or use null")
    if value.startswith(_FORMULA_START):
        raise ValueError(f"starts with {value[0]!r}, which spreadsheets run as a formula: rephrase it")
    return value


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(
            f"{value!r} is not a valid ID: use lowercase letters, digits and single hyphens, "
            "e.g. 'luong-tam-quang' or '2024-08-27-talks-vientiane'"
        )
    return value


def _check_edtf(value: str) -> str:
    parse_edtf(value)
    return value


def _year_as_text(value: Any) -> Any:
    # ``date: 2024`` (unquoted) arrives as an int: accept it as the year it means.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _check_alias(value: str) -> str:
    if "|" in value:
        raise ValueError("must not contain '|' (it separates list items in the CSV files)")
    return value


Text = Annotated[str, AfterValidator(_check_text)]
Alias = Annotated[str, AfterValidator(_check_text), AfterValidator(_check_alias)]
Slug = Annotated[str, AfterValidator(_check_slug)]
Quote = Annotated[str, AfterValidator(_check_text), Field(max_length=QUOTE_MAX)]
Edtf = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_check_edtf)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", description="BCP 47 language tag")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Year = Annotated[int, Field(ge=1900, le=2100)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False,
                              use_enum_values=True, validate_default=False)


# --------------------------------------------------------------------------- record models
class Citation(_Record):
    """Evidence for a row (or one field of it): a source and a short verbatim quote."""

    source: Slug = Field(description="source_id of the source quoted")
    quote: Quote = Field(description="verbatim words of the source, original language, NFC, at most 250 characters")
    quote_en: Text | None = Field(None, description="our own English rendering of the quote")
    field: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$", description="column the quote supports; null = the whole row")


Cites = Annotated[list[Citation], Field(min_length=1, description="at least one citation")]


class SourceRecord(_Record):
    """A published text we quote from (data/sources/<source_id>.yaml)."""

    source_id: Slug
    title: Text
    publisher: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    url_status: UrlStatus
    published: Edtf | None = Field(None, description="publication date, EDTF, at the precision the page supports")
    published_basis: DateBasis = Field(DateBasis.printed, description="printed (the source states it) or inferred (by a documented rule, given in note)")
    language: Language
    text_sha256: Sha256 | None = Field(None, description="SHA-256 of the normalised text the quotes were checked against")
    archive_name: str | None = Field(None, pattern=r"^[^/\\]+\.txt$", description="file name of the text in an archive folder (informational)")
    note: Text | None = None
    checked_text: Literal["whole_article", "excerpt"] | None = Field(
        None, description="which text data/fingerprints/<source_id>.txt was made from: the whole article, or an "
                          "excerpt (only the part read; every quote must come from it)")
    fingerprint_sha256: Sha256 | None = Field(None, description="SHA-256 of data/fingerprints/<source_id>.txt "
                                                                "(written by `vn-la-security fingerprint`)")


class OrganizationRecord(_Record):
    org_id: Slug
    name_vi: Text
    name_en: Text
    name_lo: Text | None = None
    country: Country
    org_type: OrgType
    parent_org_id: Slug | None = None
    predecessor_org_id: Slug | None = None
    aliases: list[Alias] = Field(default_factory=list)
    note: Text | None = None
    cite: Cites


class RankFact(_Record):
    rank_id: Slug | None = Field(None, description="derived when omitted: <person>-<rank>-<date>")
    rank: Rank
    rank_label: Text
    date: Edtf
    date_basis: DateBasis = Field(DateBasis.printed, description="printed (the source states it) or inferred (by a documented rule, given in note)")
    basis: Basis
    demotion: bool = Field(False, description="true only for an explicit, cited demotion")
    disputed: bool = Field(False, description="true when sources disagree: kept and reported as a conflict")
    note: Text | None = None
    cite: Cites


class PositionFact(_Record):
    position_id: Slug | None = Field(None, description="derived when omitted: <person>-<role>-<org>-<date>")
    org_id: Slug
    role: Role
    role_label: Text
    date: Edtf
    date_basis: DateBasis = Field(DateBasis.printed, description="printed (the source states it) or inferred (by a documented rule, given in note)")
    basis: Basis
    disputed: bool = False
    note: Text | None = None
    cite: Cites


class PersonRecord(_Record):
    person_id: Slug
    name: Text
    name_lo: Text | None = None
    country: Country
    aliases: list[Alias] = Field(default_factory=list)
    note: Text | None = None
    cite: Cites
    ranks: list[RankFact] = Field(default_factory=list)
    positions: list[PositionFact] = Field(default_factory=list)


class ParticipantPosition(_Record):
    org_id: Slug
    role: Role
    role_label: Text


class Participant(_Record):
    person_id: Slug
    org_id: Slug | None = None
    side: Side
    role: ParticipantRole
    title_as_written: Text | None = None
    rank: Rank | None = None
    rank_label: Text | None = None
    positions: list[ParticipantPosition] = Field(default_factory=list)
    cite: Cites


class MeetingRecord(_Record):
    meeting_id: Slug
    date: Edtf
    date_basis: DateBasis = Field(DateBasis.printed, description="printed (the source states it) or inferred (by a documented rule, given in note)")
    city: Text | None = None
    country: Country
    meeting_type: MeetingType
    title_en: Text
    summary_en: Text
    occasion: Text | None = None
    series: Slug | None = Field(None, description="recurring series this meeting belongs to")
    session: int | None = Field(None, ge=1, description="session number within the series")
    note: Text | None = None
    cite: Cites
    participants: list[Participant] = Field(default_factory=list)


class Signatory(_Record):
    person_id: Slug
    org_id: Slug | None = None
    cite: Cites


class AgreementRecord(_Record):
    agreement_id: Slug
    title_vi: Text | None = None
    title_en: Text
    agreement_type: AgreementType
    signed: Edtf | None = None
    signed_basis: DateBasis = Field(DateBasis.printed, description="printed (the source states it) or inferred (by a documented rule, given in note)")
    meeting_id: Slug | None = None
    period_start: Year | None = None
    period_end: Year | None = None
    parent_agreement_id: Slug | None = None
    note: Text | None = None
    cite: Cites
    signatories: list[Signatory] = Field(default_factory=list)


class ProjectUpdate(_Record):
    update_id: Slug | None = Field(None, description="derived when omitted: <project>-<date>-<status>")
    date: Edtf
    date_basis: DateBasis = Field(DateBasis.printed, description="printed (the source states it) or inferred (by a documented rule, given in note)")
    status: ProjectStatus
    quantity: int | None = Field(None, ge=0)
    unit: Text | None = None
    meeting_id: Slug | None = None
    note: Text | None = None
    cite: Cites


class ProjectRecord(_Record):
    project_id: Slug
    name_vi: Text | None = None
    name_en: Text
    project_type: ProjectType
    funder_org_id: Slug | None = None
    beneficiary_org_id: Slug | None = None
    location: Text | None = None
    note: Text | None = None
    cite: Cites
    updates: list[ProjectUpdate] = Field(default_factory=list)


@dataclass(frozen=True)
class RecordKind:
    folder: str          # folder under data/
    model: type[_Record]
    id_field: str


RECORD_KINDS: dict[str, RecordKind] = {
    k.folder: k
    for k in (
        RecordKind("sources", SourceRecord, "source_id"),
        RecordKind("organizations", OrganizationRecord, "org_id"),
        RecordKind("people", PersonRecord, "person_id"),
        RecordKind("meetings", MeetingRecord, "meeting_id"),
        RecordKind("agreements", AgreementRecord, "agreement_id"),
        RecordKind("projects", ProjectRecord, "project_id"),
    )
}


# --------------------------------------------------------------------------- row models
class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class SourceRow(_Row):
    """Published texts quoted as evidence."""

    source_id: str = Field(description="source ID (slug)")
    title: str = Field(description="headline as published")
    publisher: str = Field(description="outlet")
    url: str = Field(description="URL as found")
    url_status: UrlStatus = Field(description="original, mirror (copy on another host), inferred (derived, not seen) or unknown")
    published: str | None = Field(None, description="publication date (EDTF)")
    published_start: dt.date | None = Field(None, description="earliest day `published` can mean")
    published_end: dt.date | None = Field(None, description="latest day `published` can mean")
    published_precision: Precision | None = Field(None, description="precision of `published`")
    published_basis: DateBasis | None = Field(None, description="printed (stated by the source) or inferred (by a documented rule)")
    language: str = Field(description="BCP 47 language of the text")
    text_sha256: str | None = Field(None, description="SHA-256 of the NFC, whitespace-folded text the quotes were checked against")
    note: str | None = Field(None, description="curators' note")


class OrganizationRow(_Row):
    """Ministries, governments, party bodies and units."""

    org_id: str = Field(description="organisation ID (slug)")
    name_vi: str = Field(description="Vietnamese name")
    name_en: str = Field(description="English name")
    name_lo: str | None = Field(None, description="Lao name")
    country: str = Field(description="ISO 3166-1 alpha-2")
    org_type: OrgType = Field(description="kind of organisation")
    parent_org_id: str | None = Field(None, description="organisation this one belongs to")
    predecessor_org_id: str | None = Field(None, description="organisation this one succeeded")
    aliases: list[str] = Field(default_factory=list, description="other names seen, '|'-separated in CSV")
    note: str | None = Field(None, description="curators' note")


class PersonRow(_Row):
    """Officials named in a cooperation context."""

    person_id: str = Field(description="person ID (slug)")
    name: str = Field(description="name as Vietnamese sources write it, or the usual romanisation")
    name_ascii: str = Field(description="name without diacritics")
    name_lo: str | None = Field(None, description="name in Lao script")
    country: str = Field(description="ISO 3166-1 alpha-2")
    aliases: list[str] = Field(default_factory=list, description="every other spelling seen, '|'-separated in CSV")
    note: str | None = Field(None, description="curators' note")


class RankRow(_Row):
    """Dated rank facts: attested at a meeting, or a promotion/biographical fact."""

    rank_id: str = Field(description="rank fact ID")
    person_id: str = Field(description="whose rank")
    rank: Rank = Field(description="rank code (one ladder, see vocabulary)")
    rank_label: str = Field(description="the rank as written in the source")
    date: str = Field(description="date of the fact (EDTF)")
    date_start: dt.date = Field(description="earliest day `date` can mean")
    date_end: dt.date = Field(description="latest day `date` can mean")
    date_precision: Precision = Field(description="precision of `date`")
    date_basis: DateBasis = Field(description="printed (stated by the source) or inferred (by a documented rule)")
    basis: Basis = Field(description="attested (held on that date), started (began) or ended")
    meeting_id: str | None = Field(None, description="meeting at which it was attested, if any")
    demotion: bool = Field(False, description="an explicit, cited demotion")
    disputed: bool = Field(False, description="sources disagree; see conflicts")
    note: str | None = Field(None, description="curators' note")


class PositionRow(_Row):
    """Dated post facts (government, party and police posts)."""

    position_id: str = Field(description="position fact ID")
    person_id: str = Field(description="who")
    org_id: str = Field(description="in which organisation")
    role: Role = Field(description="post code")
    role_label: str = Field(description="the post as written in the source")
    date: str = Field(description="date of the fact (EDTF)")
    date_start: dt.date = Field(description="earliest day `date` can mean")
    date_end: dt.date = Field(description="latest day `date` can mean")
    date_precision: Precision = Field(description="precision of `date`")
    date_basis: DateBasis = Field(description="printed (stated by the source) or inferred (by a documented rule)")
    basis: Basis = Field(description="attested, started or ended")
    meeting_id: str | None = Field(None, description="meeting at which it was attested, if any")
    disputed: bool = Field(False, description="sources disagree; see conflicts")
    note: str | None = Field(None, description="curators' note")


class MeetingRow(_Row):
    """Talks, visits, receptions, conferences and ceremonies."""

    meeting_id: str = Field(description="meeting ID (slug, starts with its date)")
    date: str = Field(description="date (EDTF; an interval for multi-day events)")
    date_start: dt.date = Field(description="earliest day `date` can mean")
    date_end: dt.date = Field(description="latest day `date` can mean")
    date_precision: Precision = Field(description="precision of `date`")
    date_basis: DateBasis = Field(description="printed (stated by the source) or inferred (by a documented rule)")
    city: str | None = Field(None, description="city")
    country: str = Field(description="ISO 3166-1 alpha-2 of the venue")
    meeting_type: MeetingType = Field(description="kind of encounter")
    title_en: str = Field(description="our English title")
    summary_en: str = Field(description="our one-paragraph English summary")
    occasion: str | None = Field(None, description="occasion (e.g. AMMTC-18, a state visit)")
    series: str | None = Field(None, description="recurring series")
    session: int | None = Field(None, description="session number within the series")
    note: str | None = Field(None, description="curators' note")


class ParticipantRow(_Row):
    """Who took part in which meeting, with the title the source gives."""

    meeting_id: str = Field(description="meeting")
    person_id: str = Field(description="participant")
    org_id: str | None = Field(None, description="organisation represented")
    side: Side = Field(description="VN, LA or other")
    role: ParticipantRole = Field(description="role in the meeting")
    title_as_written: str | None = Field(None, description="title exactly as written in the source")
    rank: Rank | None = Field(None, description="rank stated in the source (also in `ranks`)")
    rank_label: str | None = Field(None, description="rank as written")


class AgreementRow(_Row):
    """Agreements, plans, MoUs, minutes and joint statements."""

    agreement_id: str = Field(description="agreement ID (slug)")
    title_vi: str | None = Field(None, description="Vietnamese title as written")
    title_en: str = Field(description="English title")
    agreement_type: AgreementType = Field(description="kind of document")
    signed: str | None = Field(None, description="signing date (EDTF), null if unknown")
    signed_start: dt.date | None = Field(None, description="earliest day `signed` can mean")
    signed_end: dt.date | None = Field(None, description="latest day `signed` can mean")
    signed_precision: Precision | None = Field(None, description="precision of `signed`")
    signed_basis: DateBasis | None = Field(None, description="printed (stated by the source) or inferred (by a documented rule)")
    meeting_id: str | None = Field(None, description="meeting where it was signed")
    period_start: int | None = Field(None, description="first year covered")
    period_end: int | None = Field(None, description="last year covered")
    parent_agreement_id: str | None = Field(None, description="agreement this one implements or extends")
    note: str | None = Field(None, description="curators' note")


class SignatoryRow(_Row):
    """Who signed which agreement."""

    agreement_id: str = Field(description="agreement")
    person_id: str = Field(description="signatory")
    org_id: str | None = Field(None, description="organisation signed for")


class ProjectRow(_Row):
    """Cooperation projects: buildings, systems, equipment, training."""

    project_id: str = Field(description="project ID (slug)")
    name_vi: str | None = Field(None, description="Vietnamese name as written")
    name_en: str = Field(description="English name")
    project_type: ProjectType = Field(description="kind of project")
    funder_org_id: str | None = Field(None, description="funding organisation")
    beneficiary_org_id: str | None = Field(None, description="receiving organisation")
    location: str | None = Field(None, description="where")
    note: str | None = Field(None, description="curators' note")


class ProjectUpdateRow(_Row):
    """Dated status updates of projects."""

    update_id: str = Field(description="update ID")
    project_id: str = Field(description="project")
    date: str = Field(description="date of the status (EDTF)")
    date_start: dt.date = Field(description="earliest day `date` can mean")
    date_end: dt.date = Field(description="latest day `date` can mean")
    date_precision: Precision = Field(description="precision of `date`")
    date_basis: DateBasis = Field(description="printed (stated by the source) or inferred (by a documented rule)")
    status: ProjectStatus = Field(description="status reached or reported")
    quantity: int | None = Field(None, description="a count, e.g. offices handed over")
    unit: str | None = Field(None, description="what `quantity` counts")
    meeting_id: str | None = Field(None, description="meeting where it happened or was reported")
    note: str | None = Field(None, description="curators' note")


class CitationRow(_Row):
    """Evidence: every row of every other table has at least one."""

    citation_id: str = Field(description="citation ID (derived, stable)")
    record_table: str = Field(description="table of the cited row")
    record_id: str = Field(description="primary key of the cited row ('meeting_id/person_id' for composite keys)")
    field: str | None = Field(None, description="column supported; null = the whole row")
    source_id: str = Field(description="source quoted")
    quote: str = Field(description="verbatim quote, original language, NFC, at most 250 characters")
    quote_en: str | None = Field(None, description="our English rendering")


@dataclass(frozen=True)
class Table:
    name: str
    row: type[_Row]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    cited: bool = True


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("sources", SourceRow, ("source_id",), cited=False),
        Table("organizations", OrganizationRow, ("org_id",),
              (("parent_org_id", "organizations", "org_id"), ("predecessor_org_id", "organizations", "org_id"))),
        Table("people", PersonRow, ("person_id",)),
        Table("ranks", RankRow, ("rank_id",),
              (("person_id", "people", "person_id"), ("meeting_id", "meetings", "meeting_id"))),
        Table("positions", PositionRow, ("position_id",),
              (("person_id", "people", "person_id"), ("org_id", "organizations", "org_id"),
               ("meeting_id", "meetings", "meeting_id"))),
        Table("meetings", MeetingRow, ("meeting_id",)),
        Table("participants", ParticipantRow, ("meeting_id", "person_id"),
              (("meeting_id", "meetings", "meeting_id"), ("person_id", "people", "person_id"),
               ("org_id", "organizations", "org_id"))),
        Table("agreements", AgreementRow, ("agreement_id",),
              (("meeting_id", "meetings", "meeting_id"), ("parent_agreement_id", "agreements", "agreement_id"))),
        Table("signatories", SignatoryRow, ("agreement_id", "person_id"),
              (("agreement_id", "agreements", "agreement_id"), ("person_id", "people", "person_id"),
               ("org_id", "organizations", "org_id"))),
        Table("projects", ProjectRow, ("project_id",),
              (("funder_org_id", "organizations", "org_id"), ("beneficiary_org_id", "organizations", "org_id"))),
        Table("project_updates", ProjectUpdateRow, ("update_id",),
              (("project_id", "projects", "project_id"), ("meeting_id", "meetings", "meeting_id"))),
        Table("citations", CitationRow, ("citation_id",), (("source_id", "sources", "source_id"),), cited=False),
    )
}
