"""Code version and data release version (SemVer: major = schema change, minor = records added,
patch = corrections)."""

__version__ = "0.1.0"
DATA_VERSION = "0.1.0"
