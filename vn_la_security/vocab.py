"""Controlled vocabularies (codes) of the published data (listed per table in docs/data-dictionary.md).

Each vocabulary is a ``StrEnum``; its members' docstrings live in ``DESCRIPTIONS`` and feed the
generated schemas and docs. Extend a vocabulary only by adding a documented code.
"""
from __future__ import annotations

from enum import StrEnum


class Rank(StrEnum):
    """One ladder for both countries, highest first."""

    general = "general"
    colonel_general = "colonel_general"
    lieutenant_general = "lieutenant_general"
    major_general = "major_general"
    brigadier_general = "brigadier_general"
    senior_colonel = "senior_colonel"
    colonel = "colonel"
    lieutenant_colonel = "lieutenant_colonel"
    major = "major"
    captain = "captain"
    senior_lieutenant = "senior_lieutenant"
    first_lieutenant = "first_lieutenant"
    second_lieutenant = "second_lieutenant"


#: position on the ladder: 0 = highest
RANK_ORDER: dict[str, int] = {r.value: i for i, r in enumerate(Rank)}


class Role(StrEnum):
    minister = "minister"
    acting_minister = "acting_minister"
    deputy_minister = "deputy_minister"
    prime_minister = "prime_minister"
    deputy_prime_minister = "deputy_prime_minister"
    president = "president"
    vice_president = "vice_president"
    general_secretary = "general_secretary"
    politburo_member = "politburo_member"
    secretariat_member = "secretariat_member"
    standing_secretariat_member = "standing_secretariat_member"
    central_committee_member = "central_committee_member"
    national_assembly_chair = "national_assembly_chair"
    ambassador = "ambassador"
    charge_d_affaires = "charge_d_affaires"
    head_of_representative_office = "head_of_representative_office"
    department_head = "department_head"
    provincial_police_director = "provincial_police_director"
    other = "other"


#: posts that one person at a time holds in a given organisation
SINGLE_SEAT_ROLES: frozenset[str] = frozenset(
    {"minister", "acting_minister", "prime_minister", "president", "general_secretary",
     "national_assembly_chair", "ambassador"}
)


class MeetingType(StrEnum):
    talks = "talks"
    courtesy_call = "courtesy_call"
    reception = "reception"
    bilateral_meeting = "bilateral_meeting"
    official_visit = "official_visit"
    working_visit = "working_visit"
    conference = "conference"
    review_conference = "review_conference"
    signing_ceremony = "signing_ceremony"
    handover_ceremony = "handover_ceremony"
    groundbreaking = "groundbreaking"
    inauguration = "inauguration"
    other = "other"


class ParticipantRole(StrEnum):
    head_of_delegation = "head_of_delegation"
    host = "host"
    co_chair = "co_chair"
    member = "member"
    other = "other"


class Side(StrEnum):
    VN = "VN"
    LA = "LA"
    other = "other"


class AgreementType(StrEnum):
    agreement = "agreement"
    cooperation_plan = "cooperation_plan"
    implementation_plan = "implementation_plan"
    mou = "mou"
    minutes = "minutes"
    joint_statement = "joint_statement"
    extension_protocol = "extension_protocol"
    regulation = "regulation"
    other = "other"


class ProjectType(StrEnum):
    construction = "construction"
    equipment = "equipment"
    it_system = "it_system"
    training = "training"
    restoration = "restoration"
    other = "other"


class ProjectStatus(StrEnum):
    proposed = "proposed"
    planned = "planned"
    groundbreaking = "groundbreaking"
    under_construction = "under_construction"
    completed = "completed"
    handed_over = "handed_over"
    inaugurated = "inaugurated"
    ongoing = "ongoing"
    reviewed = "reviewed"
    other = "other"


class OrgType(StrEnum):
    """Not fixed by the contract; our extension."""

    ministry = "ministry"
    government = "government"
    party_body = "party_body"
    state_office = "state_office"
    police_unit = "police_unit"
    academy = "academy"
    embassy = "embassy"
    representative_office = "representative_office"
    legislature = "legislature"
    international_forum = "international_forum"
    province = "province"
    other = "other"


class OutletType(StrEnum):
    """Kind of outlet that published a source (contract 0.2; ``government_portal``, ``blog``, ``other`` are ours)."""

    news_agency = "news_agency"
    ministry_portal = "ministry_portal"
    government_portal = "government_portal"
    newspaper = "newspaper"
    broadcaster = "broadcaster"
    aggregator = "aggregator"
    mirror = "mirror"
    encyclopedia = "encyclopedia"
    digest = "digest"
    blog = "blog"
    other = "other"


class Basis(StrEnum):
    attested = "attested"
    started = "started"
    ended = "ended"


class DateBasis(StrEnum):
    """Whether a date is printed in its source or inferred by a documented rule (see the record's note)."""

    printed = "printed"
    inferred = "inferred"


class StartBasis(StrEnum):
    """How a derived spell (tenures, rank_spells) begins."""

    started = "started"
    first_attested = "first_attested"


class EndBasis(StrEnum):
    """How a derived spell ends."""

    ended = "ended"
    succeeded = "succeeded"
    last_attested = "last_attested"
    open = "open"


class MeetingLevel(StrEnum):
    """Derived level of a meeting (docs/temporal.md)."""

    ministerial = "ministerial"
    deputy_ministerial = "deputy_ministerial"
    leadership = "leadership"
    working = "working"


class QuantityKind(StrEnum):
    """What a project update's quantity counts."""

    cumulative = "cumulative"
    increment = "increment"
    target = "target"
    capacity = "capacity"


class Certainty(StrEnum):
    """Answer of holders_on / positions_on / rank_on for one day."""

    held = "held"
    possible = "possible"


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class UrlStatus(StrEnum):
    original = "original"
    mirror = "mirror"
    inferred = "inferred"
    unknown = "unknown"


DESCRIPTIONS: dict[str, str] = {
    "Rank": "Rank code, one ladder for both countries, highest first: general (Đại tướng), colonel_general "
    "(Thượng tướng), lieutenant_general (Trung tướng), major_general (Thiếu tướng), brigadier_general, "
    "senior_colonel (Đại tá), colonel (Thượng tá), lieutenant_colonel (Trung tá), major (Thiếu tá), "
    "captain (Đại úy), senior_lieutenant (Thượng úy), first_lieutenant (Trung úy), second_lieutenant (Thiếu úy).",
    "Basis": "attested = held on that date; started = began on that date (appointment, promotion); "
    "ended = ended on that date.",
    "Precision": "Precision of the date as the source gives it.",
    "StartBasis": "started = the spell opens with a recorded appointment or promotion; first_attested = it opens with "
    "the earliest fact that shows it held.",
    "EndBasis": "ended = a recorded end; succeeded = closed by the start of the next holder of a single-seat post "
    "(or of the next rank); last_attested = a later spell follows, this one ends at its last fact; open = nothing "
    "recorded after the last fact.",
    "MeetingLevel": "ministerial = a minister or acting minister of vn-mps or la-mps takes part; "
    "leadership = a head of "
    "state, party or government takes part without the minister; deputy_ministerial = a deputy minister of either "
    "ministry is the highest participant; working = none of these.",
    "QuantityKind": "cumulative = a running total (\"224 offices handed over by August 2023\"); increment = this event "
    "only (one handover); target = planned (\"287 planned\"); capacity = what a facility holds or serves.",
    "Certainty": "held = inside a spell's firm bounds; possible = inside its uncertain range only.",
    "UrlStatus": "original = the outlet's own URL as archived; mirror = a copy on another host; inferred = the "
    "original URL derived from a mirror, not itself seen; unknown.",
}
