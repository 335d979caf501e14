"""Fingerprint every saved text DIR/<source_id>.txt whose source's quotes it all covers; list the others.

    python scripts/fingerprint_saved.py DIR --checked-text excerpt [--root .] [--redo]

For a folder of texts saved while re-reading sources (outside the repository; the file name names the source),
this runs ``vn-la-security fingerprint SOURCE_ID DIR/SOURCE_ID.txt`` for each source that has no fingerprint
yet (all, with ``--redo``, except that an excerpt never replaces a whole article's fingerprint) and whose
every quote the text covers. A source with a quote the text does not
cover is left alone and listed with that quote: fix the quote, or save the part of the page it comes from.
Exit 0, or 1 when some sources were left alone.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vn_la_security import fingerprint as fpm
from vn_la_security.validate import load_and_derive


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--checked-text", required=True, choices=("whole_article", "excerpt"))
    p.add_argument("--root", default=".")
    p.add_argument("--redo", action="store_true", help="also re-make existing fingerprints")
    args = p.parse_args(argv)
    root, folder = Path(args.root).absolute(), Path(args.folder)
    if not (root / "data").is_dir() or not folder.is_dir():
        print(f"fingerprint_saved: need a data/ folder in {root} and a folder {folder}", file=sys.stderr)
        return 2
    _, ds = load_and_derive(root)
    language = {s.source_id: s.language for s in ds.rows["sources"]}
    quotes: dict[str, list[str]] = {}
    for c in ds.rows["citations"]:
        quotes.setdefault(c.source_id, []).append(c.quote)
    made, left = 0, 0
    for path in sorted(folder.glob("*.txt")):
        sid = path.stem
        if sid not in language:
            print(f"skipped {sid}: no such source")
            left += 1
            continue
        if fpm.path_for(root, sid).exists():
            record = (root / "data" / "sources" / f"{sid}.yaml").read_text(encoding="utf-8")
            if not args.redo:
                continue
            if args.checked_text == "excerpt" and "\nchecked_text: whole_article\n" in f"\n{record}":
                print(f"skipped {sid}: fingerprinted from the whole article already; an excerpt would replace it")
                continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
            fp = fpm.parse(fpm.make(sid, text, language[sid]).encode("ascii"), sid)
        except (OSError, UnicodeDecodeError, fpm.FingerprintError) as exc:
            print(f"skipped {sid}: {exc}")
            left += 1
            continue
        missing = [q for q in quotes.get(sid, []) if not fp.covers(q)]
        if missing or not quotes.get(sid):
            print(f"skipped {sid}: {len(missing)} of {len(quotes.get(sid, []))} quotes not in the text")
            for q in missing:
                print(f"    not in text: {q}")
            left += 1
            continue
        fpm.command(root, sid, text, args.checked_text)
        print(f"fingerprinted {sid} ({args.checked_text}, {len(quotes[sid])} quotes)")
        made += 1
    print(f"fingerprint_saved: {made} fingerprinted, {left} left alone", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
