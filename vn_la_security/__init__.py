"""vn-la-security: source-cited records of Vietnam–Laos public security cooperation.

>>> from vn_la_security import load_meetings, find_person, rank_on
"""
from .api import (
    DataIntegrityError, find_person, load, load_agreements, load_citations, load_conflicts, load_meetings,
    load_organizations, load_participants, load_people, load_positions, load_project_updates, load_projects,
    load_outlets, load_ranks, load_signatories, load_sources, positions_on, rank_on, verify,
)
from .citing import cite
from .lookup import evidence, search
from .version import DATA_VERSION, __version__

__all__ = [
    "DATA_VERSION", "DataIntegrityError", "__version__", "cite", "evidence", "search", "find_person", "load", "load_agreements",
    "load_citations", "load_conflicts", "load_meetings", "load_organizations", "load_participants", "load_people",
    "load_positions", "load_project_updates", "load_projects", "load_ranks", "load_signatories", "load_sources", "load_outlets",
    "positions_on", "rank_on", "verify",
]
