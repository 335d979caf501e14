"""Command line: ``vn-la-security validate|build|info|hash``.

Exit codes: 0 valid / done, 1 data errors (or drift with ``build --check``), 2 usage or I/O error.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _root(args: argparse.Namespace) -> Path:
    root = Path(args.root).absolute()
    if not (root / "data").is_dir():
        raise UsageError(f"no data/ folder in {root}: run from the repository root or pass --root DIR")
    return root


def _archive(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "archive", None) or os.environ.get("VN_LA_SECURITY_ARCHIVE")
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"archive folder {value!r} does not exist")
    return path


def _report(validation, out=sys.stdout) -> None:
    for d in validation.diagnostics:
        print(d, file=out)


def _summary(validation) -> str:
    return (f"{validation.loaded.files} files, {len(validation.errors)} errors, "
            f"{len(validation.warnings)} warnings")


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    root = _root(args)
    v = validate(root, [Path(p) for p in args.paths] or None, _archive(args))
    _report(v)
    print(f"validate: {_summary(v)}", file=sys.stderr)
    return EXIT_DATA if v.errors else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from . import build
    from .validate import validate

    root = _root(args)
    with build.build_lock(root):
        v = validate(root, None, _archive(args))
        if v.errors:
            _report(v)
            print(f"build: {_summary(v)}; nothing written", file=sys.stderr)
            return EXIT_DATA
        out = build.render(v.dataset)
        if args.check:
            problems = build.drift(root, out)
            for p in problems:
                print(p)
            if problems:
                print(f"build --check: {len(problems)} published files differ from the records: "
                      "run `vn-la-security build` and commit the result", file=sys.stderr)
                return EXIT_DATA
            print("build --check: published files match the records", file=sys.stderr)
            return EXIT_OK
        build.publish(root, out)
    rows = ", ".join(f"{n} {t}" for t, n in out.rows.items())
    print(f"build: {_summary(v)}; wrote {len(out.rows)} tables ({rows}) to {build.TABLES_DIR}/, "
          f"{build.DESCRIPTOR} and {build.SCHEMAS_DIR}/", file=sys.stderr)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from . import api
    from .version import DATA_VERSION, __version__

    desc = api._descriptor()
    print(f"vn-la-security {__version__}, data version {desc.get('version', DATA_VERSION)}")
    for res in desc["resources"]:
        print(f"  {res['name']:<16} {api.load(res['name'], backend='arrow').num_rows:>7} rows")
    return EXIT_OK


def cmd_hash(args: argparse.Namespace) -> int:
    from .provenance import text_sha256

    for name in args.files:
        try:
            data = Path(name).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {name}: {exc}") from None
        print(f"{text_sha256(data)}  {name}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vn-la-security", description="Validate, build and inspect the dataset.")
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check records (YAML, models, cross-record rules, quotes)")
    v.add_argument("paths", nargs="*", help="files or folders to report on (default: all of data/)")
    v.add_argument("--archive", metavar="DIR", help="folder of source texts (*.txt) to check quotes against "
                                                    "(default: $VN_LA_SECURITY_ARCHIVE)")
    v.add_argument("--root", default=".", help="repository root (default: current folder)")
    v.set_defaults(func=cmd_validate)

    b = sub.add_parser("build", help="validate, then write CSV, Parquet, datapackage.json and schemas")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if published files are stale")
    b.add_argument("--archive", metavar="DIR", help="also check quotes against this archive")
    b.add_argument("--root", default=".", help="repository root (default: current folder)")
    b.set_defaults(func=cmd_build)

    i = sub.add_parser("info", help="data version and row counts of the installed tables")
    i.set_defaults(func=cmd_info)

    h = sub.add_parser("hash", help="text_sha256 of source texts, as sources/*.yaml record it")
    h.add_argument("files", nargs="+")
    h.set_defaults(func=cmd_hash)
    return p


def _version() -> str:
    from .version import DATA_VERSION, __version__

    return f"vn-la-security {__version__} (data {DATA_VERSION})"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"vn-la-security: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - never show a traceback to a contributor
        from .api import DataIntegrityError
        from .provenance import ArchiveError

        if isinstance(exc, (ArchiveError, DataIntegrityError, OSError)):
            print(f"vn-la-security: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("VN_LA_SECURITY_DEBUG"):
            raise
        print(f"vn-la-security: internal error ({type(exc).__name__}: {exc}); please report it with the "
              "command you ran (set VN_LA_SECURITY_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE
