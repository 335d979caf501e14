"""Command line: ``vn-la-security validate|build|info|hash|fingerprint``.

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


def _report(validation) -> None:
    for d in validation.diagnostics:
        print(d)


def _summary(validation) -> str:
    return (f"{validation.loaded.files} files, {len(validation.errors)} errors, "
            f"{len(validation.warnings)} warnings")


def _changed(root: Path, base: str | None) -> list[str]:
    """Paths under data/ changed since ``base`` (see ``diffing.changed_paths``); a git problem is a usage error."""
    from .diffing import GitError, changed_paths

    try:
        return changed_paths(root, base)[1]
    except GitError as exc:
        raise UsageError(str(exc)) from None


def _pull_request_files(root: Path) -> list[str]:
    """Best effort, for ordering annotations: files changed against the pull request's base branch."""
    from .diffing import GitError, changed_paths

    base = os.environ.get("GITHUB_BASE_REF")
    try:
        return changed_paths(root, f"origin/{base}" if base else None)[1]
    except GitError:
        return []


def cmd_validate(args: argparse.Namespace) -> int:
    from . import report
    from .validate import validate

    root = _root(args)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    archive = _archive(args)
    title = "vn-la-security validate"
    if args.changed is not None:
        if args.paths:
            raise UsageError("give either PATHS or --changed, not both")
        relevant = _changed(root, args.changed or None)
        existing = [p for p in relevant if (root / p).exists() or (root / p).is_symlink()]
        title += f" (files changed since {args.changed or 'the merge base with main'})"
        if not existing:
            print(f"validate: no files under data/ changed since {args.changed or 'the merge base with main'}; "
                  "nothing to report", file=sys.stderr)
            v = None
        else:
            v = validate(root, [root / p for p in existing], archive)
    else:
        v = validate(root, [Path(p) for p in args.paths] or None, archive)
        relevant = _pull_request_files(root) if fmt == "github" else []
    diags = v.diagnostics if v else []
    sys.stdout.write(report.render(fmt, diags, relevant))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as fh:
            fh.write(report.summary_table(diags, relevant, title))
    if v:
        print(f"validate: {_summary(v)}", file=sys.stderr)
    return EXIT_DATA if v and v.errors else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from . import build, fingerprint
    from .validate import validate

    root = _root(args)
    archive = _archive(args)
    with build.build_lock(root):
        v = validate(root, None, archive)
        if v.errors:
            _report(v)
            print(f"build: {_summary(v)}; nothing written", file=sys.stderr)
            return EXIT_DATA
        out = build.render(v.dataset, root)
        if args.check:
            try:
                problems = build.drift(root, out)
            finally:
                out.discard()
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
    print(f"build: {fingerprint.coverage(root, v.dataset, archive).line()}", file=sys.stderr)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from . import api, fingerprint
    from .version import DATA_VERSION, __version__

    desc = api._descriptor()
    print(f"vn-la-security {__version__}, data version {desc.get('version', DATA_VERSION)}")
    for res in desc["resources"]:
        print(f"  {res['name']:<16} {api.load(res['name'], backend='arrow').num_rows:>7} rows")
    print(fingerprint.info_line(Path(".")))
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


def cmd_fingerprint(args: argparse.Namespace) -> int:
    from .fingerprint import FingerprintError, command

    root = _root(args)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from None
    try:
        lines, covered = command(root, args.source_id, text, args.checked_text)
    except FingerprintError as exc:
        raise UsageError(str(exc)) from None
    print("\n".join(lines), file=sys.stderr)
    return EXIT_OK if covered else EXIT_DATA


def cmd_new(args: argparse.Namespace) -> int:
    from .skeletons import SkeletonError, write

    root = _root(args)
    if args.name and args.kind != "person":
        raise UsageError(f"a name is only used by `new person`; for a {args.kind} give --slug")
    try:
        path = write(args.kind, root, name=args.name, slug=args.slug, date=args.date, source=args.source,
                     country=args.country)
    except SkeletonError as exc:
        raise UsageError(str(exc)) from None
    shown = path.relative_to(root).as_posix()
    print(shown)
    print(f"new: wrote {shown}: fill in every TODO and \"\", then run `vn-la-security validate {shown}`",
          file=sys.stderr)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from .diffing import GitError, markdown, record_diff

    root = _root(args)
    try:
        diff = record_diff(root, args.base)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(markdown(diff))
    return EXIT_OK


def _tables_dir(args: argparse.Namespace) -> Path | None:
    if not getattr(args, "tables", None):
        return None
    path = Path(args.tables)
    if not path.is_dir():
        raise UsageError(f"tables folder {args.tables!r} does not exist")
    return path


def cmd_export(args: argparse.Namespace) -> int:
    from .export_sqlite import ExportError, export_sqlite, write_metadata

    path = Path(args.path)
    if not path.parent.is_dir():
        raise UsageError(f"folder {str(path.parent)!r} does not exist")
    try:
        counts = export_sqlite(path, _tables_dir(args))
        meta = write_metadata(path, _tables_dir(args))
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"export: wrote {sum(counts.values())} rows in {len(counts)} tables to {path} and Datasette metadata "
          f"to {meta} (browse: datasette {path} -m {meta})", file=sys.stderr)
    return EXIT_OK


def cmd_explore(args: argparse.Namespace) -> int:
    import importlib.util
    import socket
    import tempfile

    from .export_sqlite import ExportError, export_sqlite, serve, write_metadata

    if importlib.util.find_spec("datasette") is None:
        raise UsageError("Datasette is not installed: pip install 'vn-la-security[explore]'")
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", args.port))
        except OSError:
            raise UsageError(f"port {args.port} on 127.0.0.1 is in use: pass another with --port") from None
    with tempfile.TemporaryDirectory(prefix="vn-la-security-explore-") as tmp:
        db = Path(tmp) / "vn_la_security.db"
        try:
            export_sqlite(db, _tables_dir(args))
            meta = write_metadata(db, _tables_dir(args))
        except ExportError as exc:
            raise UsageError(str(exc)) from None
        print(f"explore: serving http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
        serve(db, meta, args.port)
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    import importlib.util

    from .export_sqlite import ExportError

    if importlib.util.find_spec("matplotlib") is None:
        raise UsageError("matplotlib is not installed: pip install 'vn-la-security[plot]'")
    from .plots import render

    out = Path(args.output)
    if not out.parent.is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist")
    try:
        render(args.chart, out, _tables_dir(args))
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"plot: wrote the {args.chart} chart to {out}", file=sys.stderr)
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
    v.add_argument("--format", choices=("text", "json", "github"),
                   help="text (default), json, or github annotations (default when GITHUB_ACTIONS=true)")
    v.add_argument("--changed", nargs="?", const="", metavar="BASE",
                   help="report only problems in files under data/ changed since BASE (default: the merge base "
                        "with main), still checked against the whole dataset")
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

    f = sub.add_parser("fingerprint", help="fingerprint a source's text (data/fingerprints/SOURCE_ID.txt) and "
                                           "check that source's quotes against it")
    f.add_argument("source_id", metavar="SOURCE_ID")
    f.add_argument("file", metavar="FILE|-", help="the saved page or pasted text (UTF-8); - reads standard input")
    f.add_argument("--checked-text", required=True, choices=("whole_article", "excerpt"),
                   help="is the text the whole article, or only the part read?")
    f.add_argument("--root", default=".", help="repository root (default: current folder)")
    f.set_defaults(func=cmd_fingerprint)

    n = sub.add_parser("new", help="write a record skeleton to fill in (right file name, ID, allowed codes)")
    n.add_argument("kind", choices=("meeting", "person", "agreement", "project", "source", "organization"))
    n.add_argument("name", nargs="?", help='a person\'s name, e.g. "Lương Tam Quang" (the ID is derived from it)')
    n.add_argument("--slug", help="the ID (or, for meetings and dated agreements, the part after the date)")
    n.add_argument("--date", help="EDTF date: the meeting's date, an agreement's signing date, a source's "
                                  "publication date or a project update's date")
    n.add_argument("--source", metavar="SOURCE_ID", help="prefill cite: with this source_id")
    n.add_argument("--country", help="ISO 3166-1 alpha-2 code (VN, LA …) for a person, meeting or organization")
    n.add_argument("--root", default=".", help="repository root (default: current folder)")
    n.set_defaults(func=cmd_new)

    d = sub.add_parser("diff", help="Markdown summary of records added, changed and removed since BASE")
    d.add_argument("base", metavar="BASE", help="commit or branch to compare with (uses its merge base with HEAD)")
    d.add_argument("--root", default=".", help="repository root (default: current folder)")
    d.set_defaults(func=cmd_diff)

    x = sub.add_parser("export", help="write every table to one SQLite file (+ Datasette metadata)")
    x.add_argument("format", choices=("sqlite",), help="output format")
    x.add_argument("path", metavar="PATH", help="SQLite file to write (replaced atomically), e.g. vn_la_security.db")
    x.add_argument("--tables", metavar="DIR", help="folder of <table>.parquet (default: the installed package's)")
    x.set_defaults(func=cmd_export)

    e = sub.add_parser("explore", help="browse the tables in Datasette on 127.0.0.1 (needs the [explore] extra)")
    e.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default: 8001)")
    e.add_argument("--tables", metavar="DIR", help="folder of <table>.parquet (default: the installed package's)")
    e.set_defaults(func=cmd_explore)

    g = sub.add_parser("plot", help="draw a chart to a PNG/SVG/PDF file (needs the [plot] extra)")
    g.add_argument("chart", choices=("timeline", "careers", "network"),
                   help="timeline: meetings per year by type, signings marked; careers: ranks and posts over "
                        "time; network: who met whom")
    g.add_argument("-o", "--output", required=True, metavar="FILE", help="image file to write (.png, .svg, .pdf)")
    g.add_argument("--tables", metavar="DIR", help="folder of <table>.parquet (default: the installed package's)")
    g.set_defaults(func=cmd_plot)
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
