"""List every value and date not backed by a quote, and every source whose quotes are unverified (issue 15).

    python scripts/provenance_report.py [--root DIR] [--archive DIR]

Prints the counts per kind and per table/column, then one line per violation (``file:line:col: CODE message``,
as validate reports them among its other errors), then the sources with neither a fingerprint nor an archived
text. Exit 0 always: it is a work list, not a check (``vn-la-security validate`` is the check).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from vn_la_security import fingerprint, support
from vn_la_security.validate import load_and_derive


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", default=".", help="repository root (default: current folder)")
    p.add_argument("--archive", metavar="DIR", help="folder of archived source texts, as for validate")
    args = p.parse_args(argv)
    root = Path(args.root).absolute()
    if not (root / "data").is_dir():
        print(f"provenance_report: no data/ folder in {root}", file=sys.stderr)
        return 2
    archive = Path(args.archive) if args.archive else None
    _, ds = load_and_derive(root)
    violations = support.find(ds)
    cov = fingerprint.coverage(root, ds, archive)
    kinds = Counter(v.kind for v in violations)
    print(f"# provenance report: {len(violations)} violations "
          f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items())) or 'none'})")
    print(f"# {cov.line()}")
    print("\n## by kind, table and column")
    for (kind, table, column), n in sorted(Counter((v.kind, v.table, v.column) for v in violations).items()):
        print(f"{n:5}  {kind:<9} {table}.{column}")
    print("\n## violations")
    for d in sorted(support.to_diagnostic(v) for v in violations):
        print(d)
    unverified = cov.unverified_sources
    print(f"\n## {len(unverified)} sources with neither a fingerprint nor an archived text")
    for source_id in unverified:
        print(source_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
