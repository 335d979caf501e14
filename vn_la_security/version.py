"""Code version and data release version (SemVer: major = schema change, minor = records added,
patch = corrections)."""

__version__ = "0.3.0"
DATA_VERSION = "0.3.0"
#: date of the data release DATA_VERSION (also in CHANGELOG.md and CITATION.cff)
DATA_RELEASED = "2026-12-02"
