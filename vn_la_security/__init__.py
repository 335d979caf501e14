"""vn-la-security: source-cited records of Vietnam–Laos public security cooperation.

>>> from vn_la_security import load_meetings, find_person, rank_on
"""
from .api import (
    DataIntegrityError, load, load_agreement_parties, load_agreements, load_citations, load_meetings,
    load_organization_names, load_outlets, load_organizations, load_participants, load_people, load_positions,
    load_project_updates, load_projects, load_rank_spells, load_ranks, load_signatories, load_sources,
    load_tenures, verify,
)
from .queries import (
    AmbiguousNameError, UnknownIdError, find_org, find_person, holders_on, load_conflicts, positions_on, rank_on,
)
from .citing import cite
from .lookup import evidence, search
from .version import DATA_VERSION, __version__

__all__ = [
    "AmbiguousNameError", "DATA_VERSION", "DataIntegrityError", "UnknownIdError", "__version__", "cite", "evidence", "find_org",
    "find_person", "holders_on", "load", "load_agreement_parties", "load_agreements", "load_citations",
    "load_conflicts", "load_meetings", "load_organization_names", "load_outlets", "load_organizations", "load_participants",
    "load_people", "load_positions", "load_project_updates", "load_projects", "load_rank_spells", "load_ranks",
    "load_signatories", "load_sources", "load_tenures", "positions_on", "rank_on", "search", "verify",
]
