"""How to cite the dataset: ``vn_la_security.cite(format="bibtex" | "apa")`` with the data version."""
from __future__ import annotations

from .version import DATA_RELEASED, DATA_VERSION

AUTHOR = "vn-la-security contributors"
TITLE = "vn-la-security: Source-cited records of Vietnam–Laos public security cooperation"
LICENSE = "CC BY 4.0"
FORMATS = ("bibtex", "apa")


def cite(format: str = "bibtex") -> str:  # `format` shadows a builtin: it is the public name the docs use
    """A citation of this data release: ``format`` is ``"bibtex"`` (default) or ``"apa"``."""
    year = DATA_RELEASED[:4]
    if format == "bibtex":
        key = "vn_la_security_" + DATA_VERSION.replace(".", "_")
        return (f"@misc{{{key},\n"
                f"  author       = {{{{{AUTHOR}}}}},\n"
                f"  title        = {{{{{TITLE}}}}},\n"
                f"  year         = {{{year}}},\n"
                f"  version      = {{{DATA_VERSION}}},\n"
                f"  howpublished = {{Data set, Python package vn-la-security}},\n"
                f"  note         = {{Data version {DATA_VERSION}, released {DATA_RELEASED}; licence {LICENSE}}}\n"
                f"}}\n")
    if format == "apa":
        return f"{AUTHOR}. ({year}). {TITLE} (Version {DATA_VERSION}) [Data set]. Licence {LICENSE}.\n"
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
