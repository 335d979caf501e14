"""Command line: ``vn-la-security <command>``.

Commands: validate, build, conflicts, info, hash, fingerprint, new, diff, search, evidence, export, explore,
plot, site. ``validate`` checks the records, ``build`` publishes the tables (``--check``: compare only),
``info`` prints versions and row counts, ``hash`` the text_sha256 of source texts, ``fingerprint`` makes a
source's quote fingerprint, ``search`` and ``evidence`` find rows and their quotes, ``conflicts`` lists
disagreements, ``new`` writes a record skeleton, ``diff`` summarises what a branch changes, ``export sqlite``
writes the SQLite file, ``explore`` opens it in Datasette, ``plot`` draws a chart, ``site`` writes the static
website.

Exit codes: 0 valid / done, 1 data errors (or drift with ``build --check``), 2 usage or I/O error.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # imported lazily at run time: `vn-la-security --version` stays instant
    from .diagnostics import Diagnostic
    from .validate import Validation

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


def _report(validation: Validation) -> None:
    for d in validation.diagnostics:
        print(d)   # Diagnostic.__str__ escapes (diagnostics.log_line)


def _base_commit(root: Path, args: argparse.Namespace) -> str | None:
    """The commit whose published IDs and tombstones bind this tree (see lifecycle.py), or None: the merge
    base with ``--changed BASE`` (default main), ``--base BASE``, or ``origin/$GITHUB_BASE_REF`` in a pull
    request's CI run. A base that cannot be resolved is a usage error, never silently skipped."""
    from .diffing import DEFAULT_BASE, GitError, merge_base

    changed = getattr(args, "changed", None)
    name = (changed or DEFAULT_BASE) if changed is not None else getattr(args, "base", None)
    hint = ""
    if name is None and os.environ.get("GITHUB_BASE_REF"):
        name = f"origin/{os.environ['GITHUB_BASE_REF']}"
        hint = " ($GITHUB_BASE_REF names the base the ID lifecycle is checked against: check out with fetch-depth: 0)"
    if name is None:
        return None
    try:
        return merge_base(root, name)
    except GitError as exc:
        raise UsageError(f"{exc}{hint}") from None


def _summary(validation: Validation) -> str:
    return (f"{validation.loaded.files} files, {len(validation.errors)} errors, "
            f"{len(validation.warnings)} warnings")


#: warnings that report a disagreement between sources the records acknowledge (kept, marked disputed)
DISAGREEMENT_CODES = {"W210", "W211", "W212", "W213", "W220"}


def _quiet_note(diagnostics) -> str | None:
    """What a run without --verbose left out: acknowledged disagreements and other warnings, counted."""
    warnings = [d for d in diagnostics if not d.is_error]
    if not warnings:
        return None
    disagreements = sum(d.code in DISAGREEMENT_CODES for d in warnings)
    others = len(warnings) - disagreements
    parts = []
    if disagreements:
        parts.append(f"{disagreements} acknowledged disagreements between sources — see `vn-la-security conflicts`")
    if others:
        codes = sorted({d.code for d in warnings if d.code not in DISAGREEMENT_CODES})
        parts.append(f"{others} other warnings ({', '.join(codes)})")
    return "; ".join(parts) + "; --verbose lists every warning"


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


def _changed_diagnostics(root: Path, v: Validation, relevant: list[str]) -> list[Diagnostic]:
    """What ``--changed`` reports: problems in the changed files that exist, the ID lifecycle's (checked
    against the base), when a record file was deleted every dangling reference (E201) it left, and when a
    fingerprint file changed (or was deleted) its source's problems and its quotes' (E914, E915)."""
    from .fingerprint import FOLDER
    from .lifecycle import PUBLISHED_IDS, TOMBSTONES

    keep = {p for p in relevant if os.path.lexists(root / p)} | {PUBLISHED_IDS.as_posix(), TOMBSTONES.as_posix()}
    deleted = any(not os.path.lexists(root / p) for p in relevant)
    printed = {p[len(FOLDER) + 1:-len(".txt")] for p in relevant if p.startswith(f"{FOLDER}/") and p.endswith(".txt")}
    quotes = set()   # (file, line) of the quotes of those sources
    if printed:
        ds = v.dataset
        keep |= {o.path for s, o in zip(ds.rows["sources"], ds.origins["sources"]) if s.source_id in printed}
        quotes = {(o.path, o.locate("quote")[0]) for c, o in zip(ds.rows["citations"], ds.origins["citations"])
                  if c.source_id in printed and o is not None}   # None: a derived row's copy of a quote
    return [d for d in v.diagnostics if d.path in keep or (deleted and d.code == "E201")
            or (d.code in ("E914", "E915") and (d.path, d.line) in quotes)]


def cmd_validate(args: argparse.Namespace) -> int:
    from . import report
    from .validate import validate

    root = _root(args)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    archive = _archive(args)
    title = "vn-la-security validate"
    base = _base_commit(root, args)
    if args.changed is not None:
        if args.paths:
            raise UsageError("give either PATHS or --changed, not both")
        if args.base:
            raise UsageError("--changed BASE already names the base: drop --base")
        relevant = _changed(root, args.changed or None)
        title += f" (files changed since {args.changed or 'the merge base with main'})"
        if not relevant:
            print(f"validate: no files under data/ changed since {args.changed or 'the merge base with main'}; "
                  "nothing to report", file=sys.stderr)
            v = None
        else:
            v = validate(root, None, archive, base=base)
            v.diagnostics = _changed_diagnostics(root, v, relevant)
    else:
        v = validate(root, [Path(p) for p in args.paths] or None, archive, base=base, tables=False)
        relevant = _pull_request_files(root) if fmt == "github" else []
    diags = v.diagnostics if v else []
    shown = diags if args.verbose or fmt != "text" else [d for d in diags if d.is_error]
    sys.stdout.write(report.render(fmt, shown, relevant))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as fh:
            fh.write(report.summary_table(diags, relevant, title))
    if v:
        print(f"validate: {_summary(v)}", file=sys.stderr)
        note = None if args.verbose or fmt != "text" else _quiet_note(diags)
        if note:
            print(f"validate: {note}", file=sys.stderr)
    return EXIT_DATA if v and v.errors else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from . import build
    from .diagnostics import log_line
    from .validate import validate

    root = _root(args)
    base = _base_commit(root, args)
    archive = _archive(args)
    with build.build_lock(root):
        v = validate(root, None, archive, base=base)
        if args.verbose:
            _report(v)
        elif v.errors:
            for d in v.errors:
                print(d)
        if v.errors:
            print(f"build: {_summary(v)}; nothing written", file=sys.stderr)
            return EXIT_DATA
        out = build.render(v.dataset, root)
        if args.check:
            try:
                problems = build.drift(root, out)
            finally:
                out.discard()
            for p in problems:
                print(log_line(str(p)))   # drift messages name files: escaped like every diagnostic
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
    print(f"build: {v.coverage.line()}", file=sys.stderr)
    note = None if args.verbose else _quiet_note(v.diagnostics)
    if note:
        print(f"build: {note}", file=sys.stderr)
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    from . import api

    table = api.load_conflicts(backend="arrow")
    rows = table.to_pylist()
    for r in rows:
        print("\t".join("" if v is None else "|".join(map(str, v)) if isinstance(v, list) else str(v)
                        for v in r.values()))
    print(f"conflicts: {len(rows)} disagreements between sources ({', '.join(table.column_names)})", file=sys.stderr)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from . import api, fingerprint
    from .version import DATA_VERSION, __version__

    desc = api._descriptor()
    print(f"vn-la-security {__version__}, data version {desc.get('version', DATA_VERSION)}")
    for name in api.list_tables():
        print(f"  {name:<16} {api.load(name, backend='arrow').num_rows:>7} rows")
    print(fingerprint.info_line(Path(".")))
    return EXIT_OK


def cmd_hash(args: argparse.Namespace) -> int:
    from .diagnostics import log_line
    from .provenance import text_sha256

    for name in args.files:
        try:
            data = Path(name).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {name}: {exc}") from None
        print(log_line(f"{text_sha256(data)}  {name}"))
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
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise UsageError(f"cannot tell the image format from {args.output!r}: end the file name in "
                         f"{', '.join(PLOT_SUFFIXES)}")
    if not out.parent.is_dir():
        raise UsageError(f"folder {str(out.parent)!r} does not exist")
    try:
        render(args.chart, out, _tables_dir(args))
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"plot: wrote the {args.chart} chart to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from .lookup import search

    try:
        hits = search(args.text, args.table or None, backend="arrow").to_pylist()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for h in hits:
        print(f"{h['table']}\t{h['id']}\t{h['field']}\t{_one_line(h['text'])}")
    print(f"search: {len(hits)} matches", file=sys.stderr)
    return EXIT_OK


def cmd_evidence(args: argparse.Namespace) -> int:
    from .lookup import evidence
    from .queries import UnknownIdError

    try:
        rows = evidence(args.table, args.id, backend="arrow").to_pylist()
    except (ValueError, UnknownIdError) as exc:
        raise UsageError(str(exc).strip('"')) from None
    for r in rows:
        print(f"[{r['field'] or 'row'}] {r['outlet']}, {r['published'] or 'undated'}: {_one_line(r['quote'])}")
        if r["quote_en"]:
            print(f"    ({_one_line(r['quote_en'])})")
        print(f"    {r['url']}")
    return EXIT_OK


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cmd_site(args: argparse.Namespace) -> int:
    import importlib.util

    if importlib.util.find_spec("jinja2") is None:
        raise UsageError("Jinja2 is not installed: pip install 'vn-la-security[site]'")
    from . import api
    from .site import SiteError, build_site

    if (tables := _tables_dir(args)) is not None:
        os.environ["VN_LA_SECURITY_TABLES"] = str(tables.absolute())
        api.clear_cache()
    try:
        pages = build_site(Path(args.outdir))
    except SiteError as exc:
        raise UsageError(str(exc)) from None
    print(f"site: wrote {pages} pages, the search index and the downloads to {args.outdir} "
          f"(open {Path(args.outdir) / 'index.html'})", file=sys.stderr)
    return EXIT_OK


_BASE_HELP = ("check the ID lifecycle against published-ids.txt and tombstones.yaml at the merge base with "
              "BASE (default: origin/$GITHUB_BASE_REF when that is set, else no base)")
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def _port(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1–65535)")
    return int(value)


def parser() -> argparse.ArgumentParser:
    from .skeletons import KINDS

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
                        "with main), still checked against the whole dataset, plus ID-lifecycle problems and "
                        "references left dangling by deleted files")
    v.add_argument("--base", metavar="BASE", help=_BASE_HELP)
    v.add_argument("--verbose", action="store_true", help="print every warning (default: errors, and warnings counted)")
    v.set_defaults(func=cmd_validate)

    b = sub.add_parser("build", help="validate, then write CSV, Parquet, datapackage.json and schemas")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if published files are stale")
    b.add_argument("--archive", metavar="DIR", help="also check quotes against this archive")
    b.add_argument("--root", default=".", help="repository root (default: current folder)")
    b.add_argument("--base", metavar="BASE", help=_BASE_HELP)
    b.add_argument("--verbose", action="store_true", help="print every warning")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("conflicts", help="disagreements between sources, both claims side by side")
    c.set_defaults(func=cmd_conflicts)

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
    n.add_argument("kind", choices=tuple(KINDS))
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
    e.add_argument("--port", type=_port, default=8001, help="port on 127.0.0.1 (default: 8001)")
    e.add_argument("--tables", metavar="DIR", help="folder of <table>.parquet (default: the installed package's)")
    e.set_defaults(func=cmd_explore)

    g = sub.add_parser("plot", help="draw a chart to a PNG/SVG/PDF file (needs the [plot] extra)")
    g.add_argument("chart", choices=("timeline", "careers", "network"),
                   help="timeline: meetings per year by type, signings marked; careers: ranks and posts over "
                        "time; network: who met whom")
    g.add_argument("-o", "--output", required=True, metavar="FILE", help="image file to write (.png, .svg, .pdf)")
    g.add_argument("--tables", metavar="DIR", help="folder of <table>.parquet (default: the installed package's)")
    g.set_defaults(func=cmd_plot)

    s = sub.add_parser("search", help="rows whose names, titles, labels, notes or quotes contain TEXT "
                                      "(case and diacritics ignored)")
    s.add_argument("text", metavar="TEXT")
    s.add_argument("--table", action="append", metavar="TABLE", help="only this table (repeatable)")
    s.set_defaults(func=cmd_search)

    ev = sub.add_parser("evidence", help="the citations of one row, with their sources")
    ev.add_argument("table", metavar="TABLE", help="e.g. meetings")
    ev.add_argument("id", metavar="ID", help="the row's key (meeting_id/person_id for participants)")
    ev.set_defaults(func=cmd_evidence)

    w = sub.add_parser("site", help="write a static website of the tables to OUTDIR (needs the [site] extra)")
    w.add_argument("outdir", metavar="OUTDIR", help="folder to write (new, empty, or a site written before: replaced)")
    w.add_argument("--tables", metavar="DIR", help="folder of the built tables: datapackage.json, CSV and Parquet "
                                                   "(default: the installed package's)")
    w.set_defaults(func=cmd_site)
    return p


def _version() -> str:
    from .version import DATA_VERSION, __version__

    return f"vn-la-security {__version__} (data {DATA_VERSION})"


def main(argv: list[str] | None = None) -> int:
    from .diagnostics import log_line

    args = parser().parse_args(argv)
    if argv is None and args.command in ("validate", "build"):
        # This process is the command (not a caller's, which passes argv): it ends when the check does, and
        # its garbage is acyclic, freed by reference counting. With the cyclic collector off, the one full
        # pass over the loaded dataset (a third of a second at 10,000 meetings) is never made.
        gc.disable()
    try:
        return args.func(args)
    except UsageError as exc:
        print(log_line(f"vn-la-security: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never show a traceback to a contributor
        from .api import DataIntegrityError
        from .build import PublishError
        from .provenance import ArchiveError

        if isinstance(exc, (ArchiveError, DataIntegrityError, PublishError, OSError)):
            print(log_line(f"vn-la-security: error: {exc}"), file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("VN_LA_SECURITY_DEBUG"):
            raise
        print(f"vn-la-security: internal error ({type(exc).__name__}: {exc}); please report it with the "
              "command you ran (set VN_LA_SECURITY_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE
