"""Pydantic v2 models: the single source of truth.

Two families live here:

* **record models** (``SourceRecord``, ``MeetingRecord`` …): one YAML file under ``data/`` each, with
  nested items (participants, rank facts, updates …), in ``RECORD_KINDS``. They forbid unknown keys and
  check every value a contributor types; each field's ``description`` and ``examples`` generate the
  ``new`` skeletons, docs/record-format.md and the editor JSON Schemas.
* **row models** (``MeetingRow`` …): one per published table, in ``TABLES``. Table Schemas, Parquet types,
  the data dictionary and the SQLite export are generated from them; a row column takes the value of the
  record field of the same name (derive.row_values).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
import datetime as dt
from typing import Annotated, Any, Literal

from urllib.parse import urlsplit

import langcodes
import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .dates import parse_edtf
from .vocab import (
    AgreementType, Basis, DateBasis, MeetingType, OrgType, OutletType, ParticipantRole, Precision, ProjectStatus,
    ProjectType, Rank, Role, Side, UrlStatus,
)
from .vocab import EndBasis, MeetingLevel, QuantityKind, StartBasis

# ASCII classes and an end-of-text anchor: ``$`` would also match before a trailing newline. ``match`` and
# ``fullmatch`` agree on this pattern.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: the same rule for the models (pydantic-core's Rust regex, where $ is the very end, as \Z) and JSON Schema
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
QUOTE_MAX = 250
# Invisible or deceptive characters, by Unicode category: Cc (controls; \t \n \r are allowed), Cf (format:
# zero-width, bidirectional controls, soft hyphen, tag characters …), Zl/Zp (line/paragraph separators),
# Co (private use), Cn (unassigned), Cs (surrogates); plus characters of other categories that render as
# nothing: variation selectors, the combining grapheme joiner, Hangul fillers, Mongolian free variation
# selectors, and U+FFFD (the mark of text decoded with the wrong encoding).
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_INVISIBLE_EXTRA_RE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\ufffc\ufffd"
                                 "\U000e0100-\U000e01ef]")
_SPACES_RE = re.compile("[^\\S \\t\\n\\r]")   # white space other than space, tab and newline (NBSP, en space …)
_MAX_COMBINING = 4   # Lao and Vietnamese (NFC) stack at most 3 marks on a letter; more is "Zalgo" text
_FORMULA_START = ("=", "+", "-", "@")


def _is_bad(ch: str) -> bool:
    return (unicodedata.category(ch) in _BAD_CATEGORIES and ch not in _ALLOWED_CONTROLS) \
        or bool(_INVISIBLE_EXTRA_RE.match(ch) or _SPACES_RE.match(ch))


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


# Fast path: text made only of the clean characters of the blocks our data uses (ASCII, Latin with
# Vietnamese, combining diacritics, Lao, general punctuation, currency) needs no per-character look-up.
_COMMON = [chr(c) for a, b in ((0x09, 0x0A), (0x20, 0x7E), (0xA1, 0x24F), (0x300, 0x36F), (0xE80, 0xEFF),
                                (0x1E00, 0x1EFF), (0x2010, 0x205F), (0x20A0, 0x20C0)) for c in range(a, b + 1)]
_COMMON_RE = re.compile(_char_class([c for c in _COMMON if not _is_bad(c)]) + "*")
_COMBINING_RUN_RE = re.compile(
    _char_class([c for c in _COMMON if unicodedata.combining(c)]) + f"{{{_MAX_COMBINING + 1},}}")


def _bad_char(value: str) -> str | None:
    """The first invisible, control or deceptive character in ``value``, or None."""
    return next((ch for ch in value if _is_bad(ch)), None)


_LOOKALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})   # letters that pass for Latin ones


def _mixed_script_word(value: str) -> str | None:
    """A word mixing Latin letters with look-alike letters of another script (``Lươnг``: Cyrillic г), or None."""
    for word in re.findall(r"\w+", value):
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in word if c.isalpha()}
        if "LATIN" in scripts and scripts & _LOOKALIKE_SCRIPTS:
            return word
    return None


def _too_many_marks(value: str, common: bool) -> bool:
    if common:   # the combining marks of the common blocks, by one search
        return not value.isascii() and bool(_COMBINING_RUN_RE.search(value))
    run = 0
    for ch in value:
        run = run + 1 if unicodedata.combining(ch) else 0
        if run > _MAX_COMBINING:
            return True
    return False


# Common characters but no combining mark, not empty, no white space at either end, no formula start: true of
# nearly every value (Vietnamese in NFC has precomposed letters; Lao vowel and tone marks take the long way)
_CLEAN_RE = re.compile(r"(?![\s=+\-@])"
                       + _char_class([c for c in _COMMON if not _is_bad(c) and not unicodedata.combining(c)])
                       + r"+(?<!\s)")


def _check_text(value: str) -> str:
    # Runs for every text value of every record. Clean text (one regular expression match) that is ASCII or
    # NFC passes every check below; anything else is looked at closely.
    if _CLEAN_RE.fullmatch(value) and (value.isascii() or unicodedata.is_normalized("NFC", value)):
        return value
    common = _COMMON_RE.fullmatch(value) is not None
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        raise ValueError("text is not in Unicode NFC form: re-type it or normalise the file to NFC")
    ch = None if common else _bad_char(value)
    if ch is not None:
        name = unicodedata.name(ch, "unnamed")
        raise ValueError(f"contains an invisible or control character U+{ord(ch):04X} ({name}): delete it")
    if value != value.strip():
        raise ValueError("has leading or trailing white space: remove it")
    if not value:
        raise ValueError("is empty: write the value or use null")
    if value.startswith(_FORMULA_START):
        raise ValueError(f"starts with {value[0]!r}, which spreadsheets run as a formula: rephrase it")
    if _too_many_marks(value, common):
        raise ValueError(f"stacks more than {_MAX_COMBINING} combining marks on one letter: re-type the word")
    word = None if common else _mixed_script_word(value)
    if word is not None:
        raise ValueError(f"the word {word!r} mixes Latin letters with look-alike Cyrillic, Greek or other letters: "
                         "re-type it")
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


def _check_url(value: str) -> str:
    _check_text(value)
    if any(ch.isspace() or ch == "\\" for ch in value):
        raise ValueError("contains white space or a backslash: write the address exactly as the browser shows it")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("is not a web address: write the full URL starting with https:// or http://")
    if "@" in parts.netloc:
        raise ValueError("carries a user name or password (user:pass@host): remove them, cite the public address")
    try:
        _ = parts.port
    except ValueError:
        raise ValueError("has an invalid port number: correct the address") from None
    return value


def _check_country(value: str) -> str:
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code: use VN, LA, KH, TH, CN …")
    return value


def _check_language(value: str) -> str:
    if not langcodes.tag_is_valid(value):
        raise ValueError(f"{value!r} is not a valid BCP 47 language tag: use vi, lo, en, fr, zh-Hans …")
    return value


Text = Annotated[str, AfterValidator(_check_text)]
Alias = Annotated[str, AfterValidator(_check_text), AfterValidator(_check_alias)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]   # checked by pydantic-core (Rust regex: $ is the very end)
Quote = Annotated[str, Field(max_length=QUOTE_MAX), AfterValidator(_check_text)]   # the length checked in Rust
Edtf = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_check_edtf)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code"),
                    AfterValidator(_check_country)]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", description="BCP 47 language tag"),
                     AfterValidator(_check_language)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", description="http(s) address, no credentials"),
                AfterValidator(_check_url)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Year = Annotated[int, Field(strict=True, ge=1900, le=2100)]


class _Record(BaseModel):
    """A record model. Its int and bool fields are declared ``strict=True``: numbers and booleans exactly as YAML
    writes them, no "10" or 7.0 for a count, no "yes" or 1 for true (a test holds every such field to it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False,
                              use_enum_values=True, validate_default=False)


# --------------------------------------------------------------------------- record models
# Every field's contributor guidance lives here, in ``Field(description=…, examples=[…])``: the ``new``
# skeletons, docs/record-format.md and the editor JSON Schemas (schemas/records/) are generated from it.
_BASIS_NOTE = "printed (the source states it) or inferred (by a documented rule, given in note)"


class Citation(_Record):
    """Evidence for a row (or one field of it): a source and a short verbatim quote."""

    source: Slug = Field(description="source_id of the source quoted, a file in data/sources/",
                         examples=["vietnamplus-2023-12-06-cam-ket-ho-tro-lao"])
    quote: Quote = Field(description="the source's words copied exactly, original language, at most 250 characters, "
                                     "no ellipses", examples=["Đại tướng Vilay Lakhamfong"])
    quote_en: Text | None = Field(None, description="our own English translation of the quote; required when the "
                                  "source is not in English (E716)",
                                  examples=["General Vilay Lakhamfong"])
    field: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$",
                              description="the one field this quote supports; null = the whole entry",
                              examples=["aliases"])


Cites = Annotated[list[Citation], Field(min_length=1, description="evidence: at least one source and a verbatim quote")]


class OutletRecord(_Record):
    """A publication, site or agency that publishes sources (data/outlets/<outlet_id>.yaml)."""

    outlet_id: Slug = Field(description="= the file name: the outlet's short name, and its edition",
                            examples=["vietnamplus-en"])
    name: Text = Field(description="the outlet's usual name", examples=["VietnamPlus (English)"])
    country: Country | None = Field(None, description="country of the outlet (ISO 3166-1 alpha-2); null for "
                                                      "international sites", examples=["VN"])
    language: Language = Field(description="language of the edition (BCP 47); mul for a multilingual site",
                               examples=["en"])
    outlet_type: OutletType = Field(description="what kind of outlet it is", examples=["newspaper"])
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] = Field(description="home page",
                                                                   examples=["https://en.vietnamplus.vn/"])
    parent_outlet_id: Slug | None = Field(None, description="the outlet this one is an edition of, or (for a "
                                                            "mirror) copies", examples=["vna"])
    note: Text | None = Field(None, description="curators' note", examples=["A copy of another outlet's pages."])


class SourceRecord(_Record):
    """One published text we quote from. ID: <outlet>-<date>-<short-title>."""

    source_id: Slug = Field(description="= the file name: outlet, date and a few words of the title",
                            examples=["vietnamplus-2023-12-06-cam-ket-ho-tro-lao"])
    title: Text = Field(description="headline as published, original language",
                        examples=["Bộ Công an Việt Nam cam kết hỗ trợ Lào trong năm Chủ tịch ASEAN 2024"])
    publisher: Text = Field(description="publisher as credited on the page (free text)",
                            examples=["VietnamPlus (TTXVN)"])
    outlet_id: Slug = Field(description="the outlet that published the page, a file in data/outlets/; the original "
                                        "outlet, not a mirror, when both are found", examples=["vietnamplus"])
    url: Url = Field(
        description="the URL as found, https://…",
        examples=["https://www.vietnamplus.vn/bo-cong-an-viet-nam-cam-ket-ho-tro-lao-trong-nam-chu-tich-asean-2024"
                  "-post912024.vnp"])
    url_status: UrlStatus = Field(description="original = the outlet's own URL, mirror = a copy on another host, "
                                              "inferred = derived, not itself seen, or unknown", examples=["original"])
    published: Edtf | None = Field(None, description="publication date, EDTF, at the precision the page gives; "
                                                     "null if unknown", examples=["2023-12"])
    published_basis: DateBasis = Field(DateBasis.printed, description=_BASIS_NOTE, examples=["printed"])
    language: Language = Field(description="language of the text, BCP 47", examples=["vi"])
    text_sha256: Sha256 | None = Field(None, description="SHA-256 of the normalised text the quotes were checked "
                                                         "against: vn-la-security hash ARTICLE.txt",
                                       examples=["676f3a9b343eb432452d5b55db14b7791b5d55021b7fc786ded3c96a4e405ed6"])
    archive_name: str | None = Field(None, pattern=r"^[^/\\]+\.txt$",
                                     description="file name of that text in the archive folder (informational)",
                                     examples=["001_32c7cf5c29c9a34a.txt"])
    note: Text | None = Field(None, description="how the date or URL was established, mirrors …",
                              examples=["URL re-found with the search tool (same text)."])
    checked_text: Literal["whole_article", "excerpt"] | None = Field(
        None, description="which text data/fingerprints/<source_id>.txt was made from: the whole article, or an "
                          "excerpt (only the part read; every quote must come from it)", examples=["excerpt"])
    fingerprint_sha256: Sha256 | None = Field(None, description="SHA-256 of data/fingerprints/<source_id>.txt "
                                                                "(written by `vn-la-security fingerprint`)",
                                              examples=["0c1d2e3f" * 8])


class OrgName(_Record):
    """One rendering of an organisation's name (table organization_names)."""

    name: Text = Field(description="the name exactly as written; it must occur in one of the quotes",
                       examples=["Bộ An ninh Lào"])
    language: Language = Field(description="language of the rendering, BCP 47", examples=["vi"])
    date: Edtf | None = Field(None, description="period of use (EDTF); omitted = from the earliest to the latest "
                              "publication date of the sources quoted", examples=["2015-01-15/2021-12-25"])
    cite: Cites


class OrganizationRecord(_Record):
    """One organisation (ministry, party body, unit …)."""

    org_id: Slug = Field(description="= the file name: country code and a short name", examples=["la-mps"])
    name_vi: Text = Field(description="Vietnamese name: our standard label, like name_en (not checked against the "
                                      "quotes); the renderings as the sources write them, with their dates, go in "
                                      "names:", examples=["Bộ Công an Lào"])
    name_en: Text = Field(description="English name", examples=["Ministry of Public Security of Laos"])
    name_lo: Text | None = Field(None, description="Lao name, if a source gives it",
                                 examples=["ກະຊວງປ້ອງກັນຄວາມສະຫງົບ"])
    country: Country = Field(description="ISO 3166-1 alpha-2 code", examples=["LA"])
    org_type: OrgType = Field(description="kind of organisation", examples=["ministry"])
    parent_org_id: Slug | None = Field(None, description="org_id of the organisation this one belongs to",
                                       examples=["vn-mps"])
    predecessor_org_id: Slug | None = Field(None, description="org_id of the organisation this one succeeded")
    aliases: list[Alias] = Field(default_factory=list, description="other names seen",
                                 examples=[["Bộ Công an nước CHDCND Lào"]])
    note: Text | None = Field(None, description="curators' note: names, history, doubts")
    cite: Cites
    names: list[OrgName] = Field(default_factory=list, description="every rendering of the body's name, "
                                 "each with its language, the period it was in use and a quote containing it")


class RankFact(_Record):
    """A dated rank fact not stated at a meeting (a promotion, a biography)."""

    rank_id: Slug | None = Field(None, description="derived when omitted (<person>-<rank>-<date>): set it only to "
                                                   "resolve a clash")
    rank: Rank = Field(description="rank code (one ladder for both countries)", examples=["general"])
    rank_label: Text = Field(description="the rank as written in the source", examples=["Đại tướng"])
    date: Edtf = Field(description="EDTF, quoted, at the source's precision", examples=["2023-08"])
    date_basis: DateBasis = Field(DateBasis.printed, description=_BASIS_NOTE, examples=["printed"])
    basis: Basis = Field(description="attested = held on that date, started = began, ended", examples=["attested"])
    demotion: bool = Field(False, strict=True, description="true only for an explicit, cited demotion")
    disputed: bool = Field(False, strict=True,
                           description="true when sources disagree: kept and reported as a conflict")
    note: Text | None = Field(None, description="how the date was established, doubts")
    cite: Cites


class PositionFact(_Record):
    """A dated post fact not stated at a meeting (an appointment, an election)."""

    position_id: Slug | None = Field(None, description="derived when omitted (<person>-<role>-<org>-<date>): set it "
                                                       "only to resolve a clash")
    org_id: Slug = Field(description="org_id of the organisation, a file in data/organizations/", examples=["la-mps"])
    role: Role = Field(description="post code", examples=["minister"])
    role_label: Text = Field(description="the post as written in the source", examples=["Bộ trưởng Bộ Công an Lào"])
    date: Edtf = Field(description="EDTF, quoted, at the source's precision", examples=["2020"])
    date_basis: DateBasis = Field(DateBasis.printed, description=_BASIS_NOTE, examples=["printed"])
    basis: Basis = Field(description="attested = held on that date, started = began, ended", examples=["started"])
    disputed: bool = Field(False, strict=True,
                           description="true when sources disagree: kept and reported as a conflict")
    note: Text | None = Field(None, description="how the date was established, doubts")
    cite: Cites


class PersonRecord(_Record):
    """One person, one person_id: every other spelling goes into aliases."""

    person_id: Slug = Field(description="= the file name: the name without diacritics; never change it once published",
                            examples=["vilay-lakhamphong"])
    name: Text = Field(description="as Vietnamese sources write it (with diacritics), or the usual romanisation",
                       examples=["Vilay Lakhamphong"])
    name_lo: Text | None = Field(None, description="name in Lao script, if a source gives it",
                                 examples=["ສົມແກ້ວ ສີລາວົງ"])
    country: Country = Field(description="ISO 3166-1 alpha-2 code of the country the person serves", examples=["LA"])
    aliases: list[Alias] = Field(default_factory=list, description="every other spelling seen",
                                 examples=[["Vilay Lakhamfong", "Vi-lay Lạ-khăm-phong"]])
    note: Text | None = Field(None, description="curators' note: identity, spellings, doubts")
    cite: Cites
    ranks: list[RankFact] = Field(default_factory=list, description="rank facts NOT stated at a meeting "
                                                                    "(promotions, biographies)")
    positions: list[PositionFact] = Field(default_factory=list, description="post facts NOT stated at a meeting "
                                                                            "(appointments, elections)")


class ParticipantPosition(_Record):
    """A post the source states for a participant: published as a positions row on the meeting date."""

    org_id: Slug = Field(description="org_id of the organisation", examples=["vn-mps"])
    role: Role = Field(description="post code", examples=["minister"])
    role_label: Text = Field(description="the post as written in the source", examples=["Bộ trưởng Bộ Công an"])


class Participant(_Record):
    """One person the source names at the meeting."""

    person_id: Slug = Field(description='person_id of a file in data/people/ (vn-la-security new person "Name")',
                            examples=["to-lam"])
    org_id: Slug | None = Field(None, description="org_id of the organisation represented", examples=["vn-mps"])
    side: Side = Field(description="the side the person is on", examples=["VN"])
    role: ParticipantRole = Field(description="role in the meeting", examples=["host"])
    title_as_written: Text | None = Field(None, description="the title exactly as the source writes it",
                                          examples=["Bộ trưởng Bộ Công an"])
    rank: Rank | None = Field(None, description="rank stated in this source: published as a ranks row on the "
                                                "meeting date", examples=["general"])
    rank_label: Text | None = Field(None, description="the rank as written", examples=["Đại tướng"])
    positions: list[ParticipantPosition] = Field(
        default_factory=list, description="posts stated in this source: published as positions rows on the "
                                          "meeting date",
        examples=[[{"org_id": "vn-mps", "role": "minister", "role_label": "Bộ trưởng Bộ Công an"}]])
    cite: Cites


class MeetingRecord(_Record):
    """One meeting = one distinct encounter (talks, a courtesy call, a ceremony …)."""

    meeting_id: Slug = Field(description="= the file name; starts with the date; never change it once published",
                             examples=["2024-03-05-to-lam-receives-khonsi-naovalat"])
    date: Edtf = Field(description='EDTF, quoted: "YYYY-MM-DD", "YYYY-MM", "YYYY" or "YYYY-MM-DD/YYYY-MM-DD"; '
                                   "never pad a month to the 1st", examples=["2024-03-05"])
    date_basis: DateBasis = Field(DateBasis.printed, description=_BASIS_NOTE, examples=["printed"])
    city: Text | None = Field(None, description="city in English, or null if not reported", examples=["Hanoi"])
    country: Country = Field(description="venue, ISO 3166-1 alpha-2 code", examples=["VN"])
    meeting_type: MeetingType = Field(description="kind of encounter", examples=["reception"])
    title_en: Text = Field(description="short English title, our own words",
                           examples=["Minister Tô Lâm receives Khonsi Naovalat"])
    summary_en: Text = Field(description="one paragraph, our own English words (never copied article text)",
                             examples=["On 5 March 2024 in Hanoi, Minister Tô Lâm received Colonel Khonsi Naovalat …"])
    occasion: Text | None = Field(None, description="what the meeting was part of, free text",
                                  examples=["Tô Lâm's official visit to Laos, September 2023"])
    series: Slug | None = Field(None, description="ID of the recurring series this meeting belongs to",
                                examples=["vn-la-security-cooperation-conference"])
    session: int | None = Field(None, strict=True, ge=1, description="session number within the series",
                                examples=[12])
    note: Text | None = Field(None, description="how the date or year was established, doubts, related meetings")
    cite: Cites
    participants: list[Participant] = Field(default_factory=list, description="one item per person the source names")


class Signatory(_Record):
    """One person who signed the agreement."""

    person_id: Slug = Field(description="person_id of the signatory", examples=["to-lam"])
    org_id: Slug | None = Field(None, description="org_id of the organisation signed for", examples=["vn-mps"])
    cite: Cites


def _party_as_mapping(value: Any) -> Any:
    return {"org_id": value} if isinstance(value, str) else value


class _AgreementParty(_Record):
    """One organisation party to an agreement: an org ID, or {org_id, cite} when its own quote names it."""

    org_id: Slug = Field(description="the party organisation, a file in data/organizations/", examples=["la-mps"])
    cite: list[Citation] | None = Field(None, description="omitted = the agreement's own cite names the parties")


AgreementParty = Annotated[_AgreementParty, BeforeValidator(_party_as_mapping)]


class AgreementRecord(_Record):
    """One agreement, plan, MoU, minutes or joint statement."""

    agreement_id: Slug = Field(description="= the file name; starts with the signing date when known",
                               examples=["2023-09-29-vn-mps-la-mps-cooperation-plan-2024"])
    title_vi: Text | None = Field(None, description="Vietnamese title as written",
                                  examples=["Kế hoạch hợp tác năm 2024"])
    title_en: Text = Field(description="English title", examples=["2024 cooperation plan between the two ministries"])
    agreement_type: AgreementType = Field(description="kind of document", examples=["cooperation_plan"])
    signed: Edtf | None = Field(None, description="signing date, EDTF, quoted; null if it is only referenced",
                                examples=["2023-09-29"])
    signed_basis: DateBasis = Field(DateBasis.printed, description=_BASIS_NOTE, examples=["printed"])
    meeting_id: Slug | None = Field(None, description="meeting_id of the meeting where it was signed, if recorded")
    period_start: Year | None = Field(None, description="first year covered", examples=[2024])
    period_end: Year | None = Field(None, description="last year covered", examples=[2024])
    parent_agreement_id: Slug | None = Field(None, description="agreement_id of the agreement this one implements "
                                                               "or extends")
    note: Text | None = Field(None, description="curators' note")
    cite: Cites
    signatories: list[Signatory] = Field(default_factory=list, description="who signed, one item per person")
    parties: list[AgreementParty] = Field(default_factory=list, description="organisations party to the document; "
                                          "an org ID alone is cited by the agreement's own cite")


class ProjectUpdate(_Record):
    """A dated status report of a project."""

    update_id: Slug | None = Field(None, description="derived when omitted (<project>-<date>-<status>): set it only "
                                                     "to resolve a clash")
    date: Edtf = Field(description="EDTF, quoted; never pad a month to the 1st", examples=["2023-12-06"])
    date_basis: DateBasis = Field(DateBasis.printed, description=_BASIS_NOTE, examples=["printed"])
    status: ProjectStatus = Field(description="status reached or reported", examples=["handed_over"])
    quantity: int | None = Field(None, strict=True, ge=0, description="a count (integer), e.g. offices handed over",
                                 examples=[3])
    unit: Text | None = Field(None, description="what quantity counts", examples=["offices"])
    meeting_id: Slug | None = Field(None, description="meeting_id of the meeting where it happened or was reported")
    note: Text | None = Field(None, description="curators' note")
    cite: Cites
    quantity_kind: QuantityKind | None = Field(None, description="what `quantity` means: cumulative (a running "
                                               "total), increment (this event only), target (planned) or capacity")


class ProjectRecord(_Record):
    """One cooperation project; its dated progress goes into updates."""

    project_id: Slug = Field(description="= the file name", examples=["la-asem9-security-equipment"])
    name_vi: Text | None = Field(None, description="Vietnamese name as written",
                                 examples=["Trung tâm chỉ huy An ninh Bộ Công an Lào"])
    name_en: Text = Field(description="English name",
                          examples=["Security Command Centre of the Lao Ministry of Public Security"])
    project_type: ProjectType = Field(description="kind of project", examples=["equipment"])
    funder_org_id: Slug | None = Field(None, description="org_id of the funding organisation", examples=["vn-mps"])
    beneficiary_org_id: Slug | None = Field(None, description="org_id of the receiving organisation",
                                            examples=["la-mps"])
    location: Text | None = Field(None, description="where", examples=["Vientiane"])
    note: Text | None = Field(None, description="curators' note")
    cite: Cites
    updates: list[ProjectUpdate] = Field(default_factory=list, description="dated status reports")


@dataclass(frozen=True)
class RecordKind:
    folder: str          # folder under data/
    model: type[_Record]
    id_field: str


RECORD_KINDS: dict[str, RecordKind] = {
    k.folder: k
    for k in (
        RecordKind("outlets", OutletRecord, "outlet_id"),
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


class OutletRow(_Row):
    """Outlets (news agencies, newspapers, portals, mirrors) that published the sources."""

    outlet_id: str = Field(description="outlet ID (slug)")
    name: str = Field(description="usual name of the outlet")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2; null for international sites")
    language: str = Field(description="BCP 47 language of the edition (mul: multilingual)")
    outlet_type: OutletType = Field(description="kind of outlet")
    url: str = Field(description="home page")
    parent_outlet_id: str | None = Field(None, description="outlet this one is an edition of, or copies (mirrors)")
    note: str | None = Field(None, description="curators' note")


class SourceRow(_Row):
    """Published texts quoted as evidence."""

    source_id: str = Field(description="source ID (slug)")
    title: str = Field(description="headline as published")
    publisher: str = Field(description="publisher as credited on the page (free text; see outlet_id)")
    outlet_id: str = Field(description="outlet that published it")
    url: str = Field(description="URL as found")
    url_status: UrlStatus = Field(description="original, mirror (copy on another host), inferred (derived, not "
                                              "seen) or unknown")
    published: str | None = Field(None, description="publication date (EDTF)")
    published_start: dt.date | None = Field(None, description="earliest day `published` can mean")
    published_end: dt.date | None = Field(None, description="latest day `published` can mean")
    published_precision: Precision | None = Field(None, description="precision of `published`")
    published_basis: DateBasis | None = Field(None, description="printed (stated by the source) or inferred (by "
                                                                "a documented rule)")
    language: str = Field(description="BCP 47 language of the text")
    text_sha256: str | None = Field(None, description="SHA-256 of the NFC, whitespace-folded text the quotes were "
                                                      "checked against")
    note: str | None = Field(None, description="curators' note")


class OrganizationRow(_Row):
    """Ministries, governments, party bodies and units."""

    org_id: str = Field(description="organisation ID (slug)")
    name_vi: str = Field(description="Vietnamese name: our standard label, like name_en (the renderings as written "
                                     "are in organization_names)")
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
    level: MeetingLevel | None = Field(None, description="derived: ministerial, leadership, deputy_ministerial or "
                                       "working (rule in docs/temporal.md); null when no participant is recorded")


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
    signed_basis: DateBasis | None = Field(None, description="printed (stated by the source) or inferred (by a "
                                                             "documented rule)")
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
    quantity_kind: QuantityKind | None = Field(None, description="cumulative, increment, target or capacity; "
                                               "null when there is no quantity")


class CitationRow(_Row):
    """Evidence: every row of every other table has at least one."""

    citation_id: str = Field(description="citation ID (derived, stable)")
    record_table: str = Field(description="table of the cited row")
    record_id: str = Field(description="primary key of the cited row ('meeting_id/person_id' for composite keys)")
    field: str | None = Field(None, description="column supported; null = the whole row")
    source_id: str = Field(description="source quoted")
    quote: str = Field(description="verbatim quote, original language, NFC, at most 250 characters")
    quote_en: str | None = Field(None, description="our English rendering")



class OrganizationNameRow(_Row):
    """Every rendering of an organisation's name, with the period it was in use (one body, many names)."""

    org_id: str = Field(description="organisation")
    name: str = Field(description="the name as written in the quoted sources")
    language: str = Field(description="BCP 47 language of the name")
    date: str = Field(description="period of use (EDTF): as recorded, or the span of the citing sources' "
                                  "publication dates")
    date_start: dt.date = Field(description="earliest day `date` can mean")
    date_end: dt.date = Field(description="latest day `date` can mean")
    date_precision: Precision = Field(description="precision of `date`")
    date_basis: DateBasis = Field(description="printed (recorded with the name) or inferred (from the citing "
                                              "sources' publication dates)")


class TenureRow(_Row):
    """Derived: one spell of a person in a post, from the dated position facts (rule in docs/temporal.md)."""

    tenure_id: str = Field(description="tenure ID: <person>-<role>-<org>-<start>")
    person_id: str = Field(description="who")
    org_id: str = Field(description="in which organisation")
    role: Role = Field(description="post code")
    start: str = Field(description="date of the opening fact (EDTF)")
    start_start: dt.date = Field(description="earliest day `start` can mean")
    start_end: dt.date = Field(description="latest day `start` can mean")
    start_precision: Precision = Field(description="precision of `start`")
    start_basis: StartBasis = Field(description="started (an appointment is recorded) or first_attested (the "
                                                "earliest fact)")
    end: str = Field(description="date of the closing fact (EDTF): the end, the last fact, or the successor's start")
    end_start: dt.date = Field(description="earliest day `end` can mean")
    end_end: dt.date = Field(description="latest day `end` can mean")
    end_precision: Precision = Field(description="precision of `end`")
    end_basis: EndBasis = Field(description="ended, succeeded (closed by the next holder's start), last_attested "
                                "(a later spell "
                                "follows) or open (nothing recorded after the last fact)")
    first_attested: str = Field(description="date (EDTF) of the earliest fact of the spell")
    last_attested: str = Field(description="date (EDTF) of the latest fact of the spell")
    n_facts: int = Field(description="number of position facts in the spell")
    disputed: bool = Field(description="a fact of the spell is disputed; see conflicts")
    held_from: dt.date | None = Field(None, description="first day the post is certainly held (null: no such day)")
    held_until: dt.date | None = Field(None, description="last day the post is certainly held (null: no such day)")
    possible_from: dt.date = Field(description="first day the post may have been held")
    possible_until: dt.date = Field(description="last day the post may have been held")


class RankSpellRow(_Row):
    """Derived: the period each rank is known to have been held, from the dated rank facts (docs/temporal.md)."""

    spell_id: str = Field(description="spell ID: <person>-<rank>-<start>")
    person_id: str = Field(description="whose rank")
    rank: Rank = Field(description="rank code")
    start: str = Field(description="date of the opening fact (EDTF)")
    start_start: dt.date = Field(description="earliest day `start` can mean")
    start_end: dt.date = Field(description="latest day `start` can mean")
    start_precision: Precision = Field(description="precision of `start`")
    start_basis: StartBasis = Field(description="started (a promotion is recorded) or first_attested")
    end: str = Field(description="date of the closing fact (EDTF): the end, the last fact, or the next rank's start")
    end_start: dt.date = Field(description="earliest day `end` can mean")
    end_end: dt.date = Field(description="latest day `end` can mean")
    end_precision: Precision = Field(description="precision of `end`")
    end_basis: EndBasis = Field(description="ended, succeeded (the next rank began), last_attested or open")
    first_attested: str = Field(description="date (EDTF) of the earliest fact of the spell")
    last_attested: str = Field(description="date (EDTF) of the latest fact of the spell")
    n_facts: int = Field(description="number of rank facts in the spell")
    disputed: bool = Field(description="a fact of the spell is disputed or contradicts a higher rank held before")
    held_from: dt.date | None = Field(None, description="first day the rank is certainly held (null: no such day)")
    held_until: dt.date | None = Field(None, description="last day the rank is certainly held (null: no such day)")
    possible_from: dt.date = Field(description="first day the rank may have been held")
    possible_until: dt.date = Field(description="last day the rank may have been held")


class AgreementPartyRow(_Row):
    """Organisations party to each agreement (ministry-to-ministry, city police, trilateral …)."""

    agreement_id: str = Field(description="agreement")
    org_id: str = Field(description="party organisation")


class ConflictRow(_Row):
    """Derived: one row per disagreement between sources, both claims side by side."""

    conflict_id: str = Field(description="conflict ID (derived, stable)")
    kind: str = Field(description="rank_mismatch, rank_decrease, seat_clash, role_mismatch, disputed or "
                                  "quantity_mismatch")
    record_table: str = Field(description="table of the disagreeing rows")
    record_id: str = Field(description="row of claim A")
    field: str = Field(description="column in disagreement")
    subject_id: str = Field(description="person or project the claims are about")
    date: str = Field(description="date (EDTF) of the disagreement")
    claim_a: str = Field(description="value given by claim A")
    sources_a: list[str] = Field(default_factory=list, description="sources of claim A, '|'-separated in CSV")
    record_id_b: str | None = Field(None, description="row of claim B (null: a single fact marked disputed)")
    claim_b: str | None = Field(None, description="value given by claim B")
    sources_b: list[str] = Field(default_factory=list, description="sources of claim B, '|'-separated in CSV")
    detail: str = Field(description="what disagrees")
    treatment: str = Field(description="how the dataset treats it, e.g. 'both kept, marked disputed'")


@dataclass(frozen=True)
class Table:
    name: str
    row: type[_Row]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    cited: bool = True
    derived: bool = False   # computed by build from the other tables (temporal.py), never typed by hand


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("outlets", OutletRow, ("outlet_id",), (("parent_outlet_id", "outlets", "outlet_id"),), cited=False),
        Table("sources", SourceRow, ("source_id",), (("outlet_id", "outlets", "outlet_id"),), cited=False),
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
        Table("organization_names", OrganizationNameRow, ("org_id", "name", "date"),
              (("org_id", "organizations", "org_id"),)),
        Table("tenures", TenureRow, ("tenure_id",),
              (("person_id", "people", "person_id"), ("org_id", "organizations", "org_id")), derived=True),
        Table("rank_spells", RankSpellRow, ("spell_id",), (("person_id", "people", "person_id"),), derived=True),
        Table("agreement_parties", AgreementPartyRow, ("agreement_id", "org_id"),
              (("agreement_id", "agreements", "agreement_id"), ("org_id", "organizations", "org_id"))),
        Table("conflicts", ConflictRow, ("conflict_id",), derived=True),
    )
}
