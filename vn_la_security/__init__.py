"""vn-la-security: source-cited records of Vietnam–Laos public security cooperation.

>>> from vn_la_security import load_meetings, list_tables, find_person, rank_on
"""
from . import catalog
from .api import DataIntegrityError, find_person, list_tables, load, load_conflicts, positions_on, rank_on, verify
from .catalog import *  # noqa: F403 - TableName and load_<table> for every table
from .citing import cite
from .version import DATA_VERSION, __version__

__all__ = [
    "DATA_VERSION", "DataIntegrityError", "__version__", "cite", "find_person", "list_tables", "load",
    "load_conflicts", "positions_on", "rank_on", "verify",
]
__all__ += catalog.__all__
