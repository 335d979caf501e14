#!/usr/bin/env python3
"""Write vn_la_security/catalog.py (table names, loader columns, typed load_<table> functions) from
models.TABLES. Run it after adding or changing a table or a column description."""
from pathlib import Path

from vn_la_security.schemas import catalog_source

TARGET = Path(__file__).resolve().parent.parent / "vn_la_security" / "catalog.py"

if __name__ == "__main__":
    TARGET.write_text(catalog_source(), encoding="utf-8")
    print(f"wrote {TARGET}")
