"""Validation reports: plain text, JSON, and GitHub Actions annotations plus a step-summary table.

Every format lists the same diagnostics; ``relevant`` (e.g. files changed in a pull request) only
changes the order, so the problems a contributor just made come first. Paths and messages are printed
escaped (``diagnostics.printable``): a file name carrying a newline, an escape sequence or a ``::`` workflow
command cannot forge a line or a command in any format. At most ``PER_FILE_LIMIT`` problems are listed per
file, then one ``E601`` line counts the rest.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from .diagnostics import CODES, Diagnostic, printable

FORMATS = ("text", "json", "github")
ANNOTATION_LIMIT = 10   # GitHub shows at most 10 error and 10 warning annotations per step
PER_FILE_LIMIT = 20     # problems listed per file; a file with thousands lists 20 and counts the rest


def severity(d: Diagnostic) -> str:
    return "error" if d.is_error else "warning"


def cap_per_file(diags: Iterable[Diagnostic], limit: int = PER_FILE_LIMIT) -> list[Diagnostic]:
    """The first ``limit`` problems of each file (errors before warnings, then by line), plus one ``E601``
    line per file saying how many more it has; files in their first-seen order."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diags:
        by_file.setdefault(d.path, []).append(d)
    out: list[Diagnostic] = []
    for path, items in by_file.items():
        if len(items) <= limit:
            out.extend(items)
            continue
        items.sort(key=lambda d: (not d.is_error, d.line, d.col, d.code, d.message))
        out.extend(items[:limit])
        last = items[limit - 1]
        out.append(Diagnostic(path, last.line, last.col + 1, "E601", f"… {len(items) - limit} more problems in "
                              "this file (not listed): fix these and run validate again"))
    return out


def by_relevance(diags: Iterable[Diagnostic], relevant: Iterable[str] = ()) -> list[Diagnostic]:
    """Problems in ``relevant`` files first, then by file, line and column; capped per file."""
    first = set(relevant)
    return sorted(cap_per_file(diags), key=lambda d: (d.path not in first, d.path, d.line, d.col, d.code, d.message))


def text(diags: Iterable[Diagnostic], relevant: Iterable[str] = ()) -> str:
    return "".join(f"{d}\n" for d in by_relevance(diags, relevant))


def as_json(diags: Iterable[Diagnostic], relevant: Iterable[str] = ()) -> str:
    items = [{"path": printable(d.path), "line": d.line, "col": d.col, "code": d.code, "severity": severity(d),
              "message": printable(d.message)} for d in by_relevance(diags, relevant)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    """One GitHub workflow command: ``::error file=…,line=…,col=…,title=CODE::message``."""
    props = f"file={_escape_property(d.path)},line={d.line},col={d.col},title={_escape_property(d.code)}"
    return f"::{severity(d)} {props}::{_escape_data(d.message)}"


def github(diags: Iterable[Diagnostic], relevant: Iterable[str] = (), limit: int = ANNOTATION_LIMIT) -> str:
    """Annotations for the first ``limit`` errors and ``limit`` warnings (most relevant first);
    the rest as plain ``file:line:col: CODE message`` lines so the log still holds the full list."""
    ordered = by_relevance(diags, relevant)
    shown = {"error": 0, "warning": 0}
    annotated, rest = [], []
    for d in ordered:
        kind = severity(d)
        if shown[kind] < limit:
            shown[kind] += 1
            annotated.append(annotation(d))
        else:
            rest.append(str(d))
    lines = annotated
    if rest:
        lines.append(f"{len(rest)} more problems (full table in the job summary):")
        lines.extend(rest)
    return "".join(f"{line}\n" for line in lines)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _cell(value: object) -> str:
    return printable(str(value)).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def summary_table(diags: Iterable[Diagnostic], relevant: Iterable[str] = (),
                  title: str = "vn-la-security validate") -> str:
    """The full list as a Markdown table, for ``$GITHUB_STEP_SUMMARY``."""
    ordered = by_relevance(diags, relevant)
    errors = sum(d.is_error for d in ordered)
    warnings = len(ordered) - errors
    if not ordered:
        return f"### {title}: no problems ✅\n\n"
    lines = [f"### {title}: {plural(errors, 'error')}, {plural(warnings, 'warning')}", "",
             "| file | line | col | code | problem and what to do |", "|---|---:|---:|---|---|"]
    for d in ordered:
        mark = "❌" if d.is_error else "⚠️"
        code = f"{mark} `{d.code}`"
        lines.append(f"| `{_cell(d.path)}` | {d.line} | {d.col} | {code} | {_cell(d.message)} |")
    used = sorted({d.code for d in ordered})
    lines += ["", "<details><summary>What the codes mean</summary>", ""]
    lines += [f"- `{c}`: {_cell(CODES.get(c, ''))}" for c in used]
    lines += ["", "</details>", ""]
    return "\n".join(lines) + "\n"


def render(fmt: str, diags: Iterable[Diagnostic], relevant: Iterable[str] = ()) -> str:
    if fmt == "json":
        return as_json(diags, relevant)
    if fmt == "github":
        return github(diags, relevant)
    return text(diags, relevant)
