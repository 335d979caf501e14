"""vn-la-security: source-cited records of Vietnam–Laos public security cooperation.

>>> from vn_la_security import load_meetings, list_tables, find_person, rank_on
"""
from . import catalog
from .api import DataIntegrityError, list_tables, load, verify
from .catalog import *  # noqa: F403 - TableName and load_<table> for every table
from .queries import AmbiguousNameError, UnknownIdError, find_org, find_person, holders_on, positions_on, rank_on
from .citing import cite
from .lookup import evidence, search
from .version import DATA_VERSION, __version__

__all__ = [
    "AmbiguousNameError", "DATA_VERSION", "DataIntegrityError", "UnknownIdError", "__version__", "cite", "evidence",
    "find_org", "find_person", "holders_on", "list_tables", "load", "positions_on", "rank_on", "search", "verify",
]
__all__ += catalog.__all__
