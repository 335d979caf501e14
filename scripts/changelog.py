#!/usr/bin/env python3
"""Print a CHANGELOG.md section for a data release: record IDs added, changed and removed per table.

    python scripts/changelog.py                                  # everything in the built tables is added
    python scripts/changelog.py --previous /tmp/v0.1.0/tables    # compared with an earlier release's tables

Reads the built Parquet tables (default: vn_la_security/tables, written by `vn-la-security build`). IDs are
listed for the tables curators edit; derived tables (ranks, positions, participants …) get counts.
SemVer for data: major = schema change, minor = records added, patch = corrections.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
def _listed() -> tuple[str, ...]:
    from vn_la_security.models import RECORD_KINDS

    return tuple(RECORD_KINDS)   # the tables curators edit: IDs listed; the others get counts


def table_rows(folder: Path, missing_ok: bool = False) -> dict[str, dict[str, dict[str, Any]]]:
    """``{table: {record key: row}}`` from the Parquet files in ``folder``; with ``missing_ok`` (an earlier
    release), a table that release did not have yet is empty."""
    import pyarrow.parquet as pq

    from vn_la_security.models import TABLES

    out = {}
    for name in TABLES:
        path = Path(folder) / f"{name}.parquet"
        if missing_ok and not path.exists():
            out[name] = {}
            continue
        rows = pq.read_table(path).to_pylist()
        out[name] = {"/".join(str(r[c]) for c in TABLES[name].primary_key): r for r in rows}
    return out


def compare(old: dict[str, dict[str, dict]], new: dict[str, dict[str, dict]]) -> dict[str, dict[str, list]]:
    """Per table: ``added`` and ``removed`` keys, ``changed`` as (key, changed columns)."""
    from vn_la_security.diffing import field_changes

    out = {}
    for name in new.keys() | old.keys():
        a, b = old.get(name, {}), new.get(name, {})
        changed = [(k, [f for f, _, _ in field_changes(a[k], b[k])]) for k in sorted(a.keys() & b.keys())
                   if a[k] != b[k]]
        out[name] = {"added": sorted(b.keys() - a.keys()), "changed": changed,
                     "removed": sorted(a.keys() - b.keys())}
    return out


def section(version: str, date: str, diff: dict[str, dict[str, list]]) -> str:
    from vn_la_security.models import TABLES

    lines = [f"## [{version}] - {date}", ""]
    for what in ("added", "changed", "removed"):
        entries = []
        for name in TABLES:
            items = diff.get(name, {}).get(what, [])
            if not items:
                continue
            if name not in _listed():
                entries.append(f"- `{name}`: {len(items)} rows")
                continue
            ids = [f"`{k}` ({', '.join(cols)})" if what == "changed" else f"`{k}`"
                   for k, cols in (items if what == "changed" else [(k, []) for k in items])]
            entries.append(f"- `{name}` ({len(items)}): " + ", ".join(ids))
        if entries:
            lines += [f"### {what.capitalize()}", "", *entries, ""]
    if len(lines) == 2:
        lines += ["No record changes.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from vn_la_security.version import DATA_VERSION

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tables", type=Path, default=ROOT / "vn_la_security" / "tables", help="built tables")
    p.add_argument("--previous", type=Path, help="the previous release's tables (default: none, all added)")
    p.add_argument("--version", default=DATA_VERSION, help=f"release version (default: {DATA_VERSION})")
    p.add_argument("--date", default=dt.date.today().isoformat(), help="release date (default: today)")
    args = p.parse_args(argv)
    try:
        new = table_rows(args.tables)
        old = table_rows(args.previous, missing_ok=True) if args.previous else {}
    except OSError as exc:
        print(f"changelog: cannot read the tables ({exc}); run `vn-la-security build` first", file=sys.stderr)
        return 2
    sys.stdout.write(section(args.version, args.date, compare(old, new)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
