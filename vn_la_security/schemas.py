"""Generate Table Schemas, JSON Schemas and Arrow schemas from the Pydantic models.

``record_fields`` reads the record models' fields (type, default, description, examples) once for every
generator of contributor guidance: the editor JSON Schemas here, the ``new`` skeletons (skeletons.py) and
docs/record-format.md (scripts/gen_docs.py).
"""
from __future__ import annotations

import datetime as dt
import json
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import models
from .models import RECORD_KINDS, SLUG_PATTERN, TABLES, Table

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
LIST_DELIMITER = "|"


def column_type(annotation: Any) -> tuple[str, bool, type[Enum] | None]:
    """``(kind, nullable, enum)`` with kind in string/date/integer/boolean/list/enum."""
    nullable = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) != len(typing.get_args(annotation))
        annotation = args[0]
        origin = typing.get_origin(annotation)
    if origin is list:
        return "list", nullable, None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "enum", nullable, annotation
    if annotation is dt.date:
        return "date", nullable, None
    if annotation is bool:
        return "boolean", nullable, None
    if annotation is int:
        return "integer", nullable, None
    return "string", nullable, None


def columns(table: Table) -> list[tuple[str, str, bool, type[Enum] | None, str]]:
    """``(name, kind, nullable, enum, description)`` per column, in order."""
    out = []
    for name, info in table.row.model_fields.items():
        kind, nullable, enum = column_type(info.annotation)
        out.append((name, kind, nullable, enum, info.description or ""))
    return out


def table_schema(table: Table) -> dict[str, Any]:
    fields = []
    for name, kind, nullable, enum, description in columns(table):
        f: dict[str, Any] = {"name": name, "description": description}
        constraints: dict[str, Any] = {}
        if kind == "enum":
            codes = [m.value for m in enum]  # type: ignore[union-attr]
            f["type"] = "string"
            f["categories"] = codes
            constraints["enum"] = codes
        elif kind == "list":
            f.update({"type": "list", "delimiter": LIST_DELIMITER, "itemType": "string"})
        else:
            f["type"] = kind
        if not nullable and kind not in ("list", "boolean"):
            constraints["required"] = True
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    schema: dict[str, Any] = {"$schema": TABLESCHEMA_PROFILE, "fields": fields,
                              "primaryKey": list(table.primary_key), "missingValues": [""]}
    fks = []
    for column, target, target_column in table.foreign_keys:
        ref: dict[str, Any] = {"fields": [target_column]}
        if target != table.name:
            ref = {"resource": target, "fields": [target_column]}
        fks.append({"fields": [column], "reference": ref})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def arrow_schema(table: Table):
    import pyarrow as pa

    types_ = {"string": pa.string(), "date": pa.date32(), "integer": pa.int64(), "boolean": pa.bool_(),
              "list": pa.list_(pa.string()), "enum": pa.dictionary(pa.int32(), pa.string())}
    return pa.schema([pa.field(name, types_[kind], nullable=nullable or kind == "list",
                               metadata={"description": description})
                      for name, kind, nullable, _, description in columns(table)])


# --------------------------------------------------------------------------- record fields
@dataclass(frozen=True)
class RecordField:
    """One field of a record model, as the generators of contributor guidance need it."""

    name: str
    kind: str                      # id, date, text, pattern, integer, boolean, code, list, items
    label: str                     # the format in words, e.g. "ID", "EDTF date", "integer ≥ 1"
    required: bool
    default: Any                   # when not required: None, False, [], an enum value …
    enum: type[Enum] | None
    item: type[BaseModel] | None   # the model of each item of an ``items`` field
    description: str
    examples: list[Any]


_VALIDATOR_KINDS = {models._check_edtf: ("date", "EDTF date, quoted")}


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Strip ``| None`` and ``Annotated[…]``: the bare type and every constraint found on the way."""
    metadata = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            for m in more:
                metadata.extend(m.metadata if isinstance(m, FieldInfo) else [m])
        else:
            return annotation, metadata


def _constraint(metadata: list[Any], name: str) -> Any:
    return next((getattr(m, name) for m in metadata if getattr(m, name, None) is not None), None)


def _kind(annotation: Any, metadata: list[Any]) -> tuple[str, str, type[Enum] | None, type[BaseModel] | None]:
    base, metadata = _unwrap(annotation, metadata)
    if typing.get_origin(base) is list:
        item, _ = _unwrap(typing.get_args(base)[0], [])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "items", "list of items (below)", None, item
        return "list", "list of text", None, None
    if isinstance(base, type) and issubclass(base, Enum):
        return "code", "code", base, None
    if base is bool:
        return "boolean", "true or false", None, None
    if base is int:
        ge, le = _constraint(metadata, "ge"), _constraint(metadata, "le")
        label = f"integer {ge}–{le}" if ge is not None and le is not None else (
            f"integer ≥ {ge}" if ge is not None else "integer")
        return "integer", label, None, None
    for m in metadata:
        if isinstance(m, AfterValidator) and m.func in _VALIDATOR_KINDS:
            kind, label = _VALIDATOR_KINDS[m.func]
            return kind, label, None, None
    pattern = _constraint(metadata, "pattern")
    if pattern == SLUG_PATTERN:
        return "id", "ID", None, None
    if pattern is not None:
        return "pattern", f"text matching `{pattern}`", None, None
    max_length = _constraint(metadata, "max_length")
    return "text", f"text, at most {max_length} characters" if max_length else "text", None, None


def record_fields(model: type[BaseModel]) -> list[RecordField]:
    """The fields of a record model, in order."""
    out = []
    for name, info in model.model_fields.items():
        kind, label, enum, item = _kind(info.annotation, info.metadata)
        required = info.is_required()
        default = None if required else info.get_default(call_default_factory=True)
        if isinstance(default, Enum):
            default = default.value
        out.append(RecordField(name, kind, label, required, None if default is PydanticUndefined else default,
                               enum, item, info.description or "", list(info.examples or [])))
    return out


def record_json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema (draft 2020-12) per record kind, for editors (``# yaml-language-server: $schema=``):
    every field with its description and examples, and the ID pattern on every ID field."""
    out = {}
    for folder, kind in RECORD_KINDS.items():
        schema = kind.model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        _add_id_patterns(schema, kind.model)
        for model in _nested_models(kind.model):
            _add_id_patterns(schema["$defs"][model.__name__], model)
        out[folder] = schema
    return out


def _nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []
    for f in record_fields(model):
        if f.item is not None and f.item not in out:
            out += [f.item, *(m for m in _nested_models(f.item) if m not in out)]
    return out


def _add_id_patterns(schema: dict[str, Any], model: type[BaseModel]) -> None:
    for f in record_fields(model):
        if f.kind == "id":
            prop = schema["properties"][f.name]
            target = next((b for b in prop.get("anyOf", []) if b.get("type") == "string"), prop)
            target["pattern"] = SLUG_PATTERN


def dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def generated_schema_files() -> dict[str, bytes]:
    """Relative path under ``schemas/`` → file bytes."""
    files = {f"tables/{name}.json": dumps(table_schema(t)) for name, t in TABLES.items()}
    files.update({f"records/{k}.schema.json": dumps(s) for k, s in record_json_schemas().items()})
    return files


# ----------------------------------------------------------------------------- the loaders' catalog
CATALOG_KINDS = {"string": "string", "date": "date", "integer": "integer", "boolean": "boolean", "list": "list",
                 "enum": "code"}
PANDAS_TYPES = {"string": "str", "date": "datetime64", "integer": "Int64 (nullable)",
                "boolean": "boolean (nullable)", "list": "list of str", "code": "category"}


def loader_columns(table: Table) -> tuple[tuple[str, str, bool, tuple[str, ...] | None, bool], ...]:
    """``(name, kind, nullable, categories, ordered)`` per column, as ``api`` loads it: codes are
    categories in vocabulary order, except ranks, ordered up the ladder (highest rank compares greatest)."""
    from .vocab import RANK_ORDER, Rank

    out = []
    for name, kind, nullable, enum, _ in columns(table):
        categories, ordered = None, False
        if enum is not None:
            ordered = enum is Rank
            codes = [m.value for m in enum]
            categories = tuple(sorted(codes, key=RANK_ORDER.__getitem__, reverse=True) if ordered else codes)
        out.append((name, CATALOG_KINDS[kind], nullable or kind == "list", categories, ordered))
    return tuple(out)


def _loader_source(name: str, table: Table) -> str:
    lines = []
    for col, kind, _, _, _, description in ((*c, d[4]) for c, d in zip(loader_columns(table), columns(table))):
        ptype = "ordered category (up the rank ladder)" if col == "rank" else PANDAS_TYPES[kind]
        lines.append(f"        {col} : {ptype}\n            {description.strip() or col}")
    title = (table.row.__doc__ or name).strip().splitlines()[0].rstrip(".")
    body = "\n".join(lines)
    first = next(iter(table.row.model_fields))
    return f'''

@overload
def load_{name}(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_{name}(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_{name}(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_{name}(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``{name}`` table: {title}.

    Parameters
    ----------
    backend : {{"pandas", "arrow", "polars"}}, default "pandas"
        The kind of table to return.
    dtypes : {{"pandas", "arrow"}}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

{body}

    Examples
    --------
    >>> from vn_la_security import load_{name}
    >>> df = load_{name}()
    >>> df.columns[0]
    '{first}'
    """
    from .api import load

    return load("{name}", backend, dtypes=dtypes)
'''


def catalog_source() -> str:
    """The text of ``vn_la_security/catalog.py`` (written by ``scripts/gen_catalog.py``)."""
    names = list(TABLES)
    cols = "".join(f"    {n!r}: (\n" + "".join(f"        {c!r},\n" for c in loader_columns(t)) + "    ),\n"
                   for n, t in TABLES.items())
    loaders = "".join(_loader_source(n, t) for n, t in TABLES.items())
    quoted = ", ".join(map(repr, names))
    exported = "".join(f'    "load_{n}",\n' for n in names)
    return f'''"""The published tables: their names, the columns the loader expects, and one typed loader per table.

Generated from ``models.TABLES`` by ``python scripts/gen_catalog.py``: do not edit (a test checks that it is
current). Importing it imports no data library.
"""
# ruff: noqa: E501 - generated: long code lists stay on one line
from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

TableName = Literal[
    {quoted},
]
Backend = Literal["pandas", "arrow", "polars"]
Dtypes = Literal["pandas", "arrow"]

TABLE_NAMES: tuple[TableName, ...] = (
    {quoted},
)

#: table → ``(column, kind, nullable, categories, ordered)``; kind: string, date, integer, boolean, list, code
COLUMNS: dict[str, tuple[tuple[str, str, bool, tuple[str, ...] | None, bool], ...]] = {{
{cols}}}

__all__ = [
    "TABLE_NAMES", "Backend", "Dtypes", "TableName",
{exported}]
{loaders}'''
