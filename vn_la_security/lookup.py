"""Find rows by their words, and show the evidence of one row.

``search(text)`` looks for ``text`` in the names, aliases, titles, summaries, labels, notes and quotes of the
published tables, ignoring case and Latin diacritics (Vietnamese ``đ`` included: "can cuoc" finds "căn cước");
Lao, Thai and other scripts are compared as they are (after NFC and case folding). A match in a quote is
reported for the row the quote supports. ``evidence(table, id)`` lists the citations of one row with their
sources and outlets.
"""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from .catalog import TableName

#: columns searched, per table (a citation's quote is reported for the row it cites)
SEARCHED: dict[str, tuple[str, ...]] = {
    "outlets": ("name",),
    "sources": ("title", "publisher"),
    "organizations": ("name_vi", "name_en", "name_lo", "aliases"),
    "organization_names": ("name",),
    "people": ("name", "name_ascii", "name_lo", "aliases"),
    "ranks": ("rank_label",),
    "positions": ("role_label",),
    "meetings": ("title_en", "summary_en", "occasion", "city"),
    "participants": ("title_as_written", "rank_label"),
    "agreements": ("title_vi", "title_en"),
    "projects": ("name_vi", "name_en", "location"),
    "project_updates": ("unit",),
    "citations": ("quote", "quote_en"),
}
#: notes are searched too, where a table has them
NOTE = "note"


def fold(text: str) -> str:
    """Case-folded, NFC, white space folded, without the diacritics of Latin letters (đ → d); other
    scripts keep their marks (a Lao vowel sign is part of the word, not an accent)."""
    out: list[str] = []
    latin_base = False
    for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")):
        if unicodedata.combining(ch):
            if latin_base:
                continue
        else:
            latin_base = ch < "\u0250"
        out.append(ch)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).casefold().split())


def _tables():
    from .models import TABLES   # here: importing the package loads no pydantic

    return TABLES


def _published_tables() -> list[str]:
    from . import api

    TABLES = _tables()
    names = set(api.list_tables()) if hasattr(api, "list_tables") else set(api.TABLE_NAMES)
    return [name for name in TABLES if name in names]


def _rows(table: str) -> list[dict[str, Any]]:
    from . import api

    return api.load(cast("TableName", table), backend="arrow").to_pylist()  # load() checks the name


def _key(table: str, row: dict[str, Any]) -> str:
    TABLES = _tables()
    return "/".join(str(row[c]) for c in TABLES[table].primary_key)


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    return [v for v in value if v] if isinstance(value, list) else [str(value)]


def search(text: str, tables: list[str] | tuple[str, ...] | str | None = None, backend: str = "pandas"):
    """Rows whose words contain ``text`` (case- and diacritic-insensitive), one result per matching value.

    Parameters
    ----------
    text : str
        What to look for, e.g. ``"luong tam quang"`` or ``"can cuoc"``.
    tables : list of str, optional
        Only report rows of these tables (a quote counts for the table of the row it cites).
    backend : {"pandas", "arrow", "polars"}

    Returns
    -------
    A table with columns ``table``, ``id`` (the row's key; ``meeting_id/person_id`` for composite keys),
    ``field`` (the column that matched), ``text`` (its value) and ``citation_id`` (set when a quote matched).

    Examples
    --------
    >>> search("can cuoc", tables=["projects"])[["table", "id", "field"]]  # doctest: +SKIP
    """
    TABLES = _tables()
    wanted = fold(text or "")
    if not wanted:
        raise ValueError("search text is empty")
    available = _published_tables()
    only = {tables} if isinstance(tables, str) else set(tables) if tables else None
    if only is not None and only - set(available):
        raise ValueError(f"unknown table(s) {', '.join(sorted(only - set(available)))}; "
                         f"tables: {', '.join(available)}")
    hits: list[dict[str, Any]] = []
    for table in available:
        columns = [c for c in (*SEARCHED.get(table, ()), NOTE) if c in TABLES[table].row.model_fields]
        if not columns or (only is not None and table != "citations" and table not in only):
            continue
        for row in _rows(table):
            for column in columns:
                for value in _values(row[column]):
                    if wanted not in fold(value):
                        continue
                    if table == "citations":
                        if only is None or row["record_table"] in only:
                            hits.append({"table": row["record_table"], "id": row["record_id"], "field": column,
                                         "text": value, "citation_id": row["citation_id"]})
                    else:
                        hits.append({"table": table, "id": _key(table, row), "field": column, "text": value,
                                     "citation_id": None})
    hits.sort(key=lambda h: (available.index(h["table"]) if h["table"] in available else len(available),
                             h["id"], h["field"], h["citation_id"] or ""))
    return _frame(hits, ("table", "id", "field", "text", "citation_id"), backend)


def evidence(table: str, record_id: str | tuple[str, ...], backend: str = "pandas"):
    """The citations of one row, each with its source and outlet.

    Parameters
    ----------
    table : str
        A cited table, e.g. ``"meetings"``.
    record_id : str or tuple
        The row's key; for composite keys a tuple ``(meeting_id, person_id)`` or ``"meeting_id/person_id"``.

    Returns
    -------
    A table with columns ``citation_id``, ``field`` (null: the whole row), ``quote``, ``quote_en`` (our
    translation), ``source_id``, ``title``, ``outlet``, ``url``, ``url_status``, ``published``, ``language``.

    Raises
    ------
    queries.UnknownIdError
        When the table has no row with that key (the message names the closest keys).
    """
    import difflib

    TABLES = _tables()
    if table not in TABLES or table in ("sources", "citations", "outlets"):
        cited = [t for t, spec in TABLES.items() if spec.cited]
        raise ValueError(f"{table!r} is not a cited table; cited tables: {', '.join(cited)}")
    key = "/".join(record_id) if isinstance(record_id, tuple) else str(record_id)
    keys = {_key(table, r) for r in _rows(table)}
    if key not in keys:
        from .queries import UnknownIdError   # the one "unknown ID" error of the API

        raise UnknownIdError(f"{table} row", key, difflib.get_close_matches(key, sorted(keys), n=3))
    sources = {r["source_id"]: r for r in _rows("sources")}
    outlets = {r["outlet_id"]: r for r in _rows("outlets")} if "outlets" in _published_tables() else {}
    out = []
    for c in _rows("citations"):
        if c["record_table"] != table or c["record_id"] != key:
            continue
        s = sources[c["source_id"]]
        outlet = outlets.get(s.get("outlet_id"), {}).get("name") or s["publisher"]
        out.append({"citation_id": c["citation_id"], "field": c["field"], "quote": c["quote"],
                    "quote_en": c["quote_en"], "source_id": c["source_id"], "title": s["title"], "outlet": outlet,
                    "url": s["url"], "url_status": s["url_status"], "published": s["published"],
                    "language": s["language"]})
    out.sort(key=lambda r: (r["field"] or "", r["published"] or "", r["source_id"], r["citation_id"]))
    return _frame(out, ("citation_id", "field", "quote", "quote_en", "source_id", "title", "outlet", "url",
                        "url_status", "published", "language"), backend)


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...], backend: str):
    import pyarrow as pa

    table = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in columns]))
    if backend == "arrow":
        return table
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    if backend != "pandas":
        raise ValueError(f"backend must be one of pandas, arrow, polars, not {backend!r}")
    return table.to_pandas()
