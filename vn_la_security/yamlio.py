"""Safe YAML reading with line numbers.

Fast path: PyYAML's C parser with a restricted resolver (no timestamps, no YAML 1.1 yes/no booleans),
rejecting duplicate keys, aliases and non-core tags while constructing, and nesting deeper than
``MAX_DEPTH``. Line numbers are computed only when a file has a problem (``Locator``), by composing that
one file once more, however many problems it has.
"""
from __future__ import annotations

import contextlib
import re
from typing import Any, ClassVar

import yaml

MAX_BYTES = 1_000_000  # 1 MB per record file: far above any real record
MAX_INT_DIGITS = 18    # fits a 64-bit integer (Parquet int64); Python refuses int() beyond 4,300 digits anyway
MAX_DEPTH = 24         # nested mappings/lists; real records nest 7 deep (meeting → participant → positions …)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_CORE_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP}
# Anchors (&a) and explicit tags (!x) at a token start; a cheap trigger for the exact event check.
_SUSPECT_RE = re.compile(r"(?:^|[\s,\[{:-])[&!][^\s]", re.M)
# Deep nesting needs many brackets or a long run of indentation/indicators at a line start; only then is
# the depth measured exactly, from parser events (no recursion, so no RecursionError or C stack overflow).
_DEEP_LINE_RE = re.compile(rf"^[ \t?:-]{{{2 * MAX_DEPTH}}}", re.M)


class YamlProblem(Exception):
    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


class RecordLoader(_Base):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers: ClassVar[dict] = {}

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            m = node.start_mark
            raise YamlProblem("E003", "YAML aliases (*name) are not allowed: write the value out",
                              m.line + 1, m.column + 1)
        if node.tag not in _CORE_TAGS:
            m = node.start_mark
            raise YamlProblem("E003", f"YAML tag {node.tag!r} is not allowed: remove it", m.line + 1, m.column + 1)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                m = key_node.start_mark
                raise YamlProblem("E103", f"keys must be text, not {type(key).__name__} {key!r}",
                                  m.line + 1, m.column + 1)
            if key in result:
                m = key_node.start_mark
                raise YamlProblem("E002", f"duplicate key {key!r}: keep one", m.line + 1, m.column + 1)
            result[key] = self.construct_object(value_node, deep=deep)
        return result


def _add_resolvers(cls: type[yaml.resolver.BaseResolver]) -> None:
    # YAML 1.2 core schema, minus timestamps (dates stay text); floats need a dot, as in PyYAML's dumper,
    # so text such as 1e100 written unquoted by common tools stays text.
    cls.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    cls.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    cls.add_implicit_resolver("tag:yaml.org,2002:float",
                              re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
                              list("-+.0123456789"))
    cls.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


_add_resolvers(RecordLoader)
_RESOLVERS = RecordLoader.yaml_implicit_resolvers   # first character of a plain scalar → [(tag, pattern)]


def _resolve(self: RecordLoader, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """``BaseResolver.resolve`` for this loader, which has no path resolvers and no wildcard resolvers: the
    same tags, without the generic look-ups (it runs once per node of every file)."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, pattern in _RESOLVERS.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


RecordLoader.resolve = _resolve
# With no path resolvers, the composer's two per-node hooks do nothing; C built-ins that take the same
# arguments and return at once (``slice(parent, index)``, ``tuple()``) spare two Python calls per node.
RecordLoader.yaml_path_resolvers = {}
RecordLoader.descend_resolver = staticmethod(slice)
RecordLoader.ascend_resolver = staticmethod(tuple)
RecordLoader.add_constructor("tag:yaml.org,2002:map", RecordLoader.construct_mapping)
def _int(node: yaml.ScalarNode) -> int:
    if len(node.value.lstrip("+-")) > MAX_INT_DIGITS:
        m = node.start_mark
        raise YamlProblem("E103", f"a number with more than {MAX_INT_DIGITS} digits: records hold years and counts; "
                                  "quote it if it is text", m.line + 1, m.column + 1)
    return int(node.value)


RecordLoader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: _int(node))


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise YamlProblem("E004", f"file is {len(data):,} bytes; a record file may be at most {MAX_BYTES:,}: split it")
    if data.startswith(b"\xef\xbb\xbf"):
        raise YamlProblem("E004", "file starts with a byte-order mark (BOM): save it as UTF-8 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem("E004", "file is not valid UTF-8: save it as UTF-8", line, 1) from None
    if not text or text.isspace():   # (no stripped copy of every file)
        raise YamlProblem("E004", "file is empty: write a record or delete the file")
    return text


def _check_depth(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH and not _DEEP_LINE_RE.search(text):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    assert m is not None  # the parser marks every event
                    raise YamlProblem("E004", f"values nested more than {MAX_DEPTH} levels deep: a record is "
                                              "flat key: value lines with short lists; restructure it",
                                      m.line + 1, m.column + 1)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # the syntax error is reported by the parse, with its location


def _check_events(text: str) -> None:
    for event in yaml.parse(text, Loader=_Base):
        anchor = getattr(event, "anchor", None)
        tag = getattr(event, "tag", None)
        m = event.start_mark
        assert m is not None  # the parser marks every event
        if isinstance(event, yaml.AliasEvent) or anchor:
            raise YamlProblem("E003", "YAML anchors and aliases (&name, *name) are not allowed: write values out",
                              m.line + 1, m.column + 1)
        if tag and isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)) \
                and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]) and tag != "!":
            raise YamlProblem("E003", f"YAML tag {tag!r} is not allowed: remove it", m.line + 1, m.column + 1)


_Scalar, _Mapping, _Sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


def _build(node: yaml.Node) -> Any:
    """Python values from a composed node tree; the same results as ``RecordLoader``'s constructor, about
    2.5× faster (no generic constructor dispatch; text keys and values, most nodes, taken without a call).
    Only for texts without ``&`` or ``!``, which therefore hold no anchors, aliases or explicit tags."""
    cls, tag = node.__class__, node.tag
    if cls is _Scalar:
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _INT:
            return _int(node)  # type: ignore[arg-type]  # cls is yaml.ScalarNode, which mypy cannot narrow
        if tag == _BOOL:
            return node.value.lower() == "true"
        if tag == _FLOAT:
            return float(node.value)
    elif cls is _Mapping and tag == _MAP:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is _Scalar and key_node.tag == _STR:
                key = key_node.value
            else:
                key = _build(key_node)
                if key.__class__ is not str:
                    m = key_node.start_mark
                    raise YamlProblem("E103", f"keys must be text, not {type(key).__name__} {key!r}",
                                      m.line + 1, m.column + 1)
            if key in result:
                m = key_node.start_mark
                raise YamlProblem("E002", f"duplicate key {key!r}: keep one", m.line + 1, m.column + 1)
            result[key] = value_node.value if value_node.__class__ is _Scalar and value_node.tag == _STR \
                else _build(value_node)
        return result
    elif cls is _Sequence and tag == _SEQ:
        return [item.value if item.__class__ is _Scalar and item.tag == _STR else _build(item)
                for item in node.value]
    m = node.start_mark
    raise YamlProblem("E003", f"YAML tag {tag!r} is not allowed: remove it", m.line + 1, m.column + 1)


def parse(text: str) -> Any:
    """Parse one YAML document safely; raise ``YamlProblem`` with a location on any problem."""
    _check_depth(text)
    suspect = "&" in text or "!" in text   # a substring test at C speed: most records hold neither
    if suspect and _SUSPECT_RE.search(text):
        with contextlib.suppress(yaml.YAMLError):  # the syntax error is reported below with its location
            _check_events(text)
    try:
        loader = RecordLoader(text)
        try:
            if suspect:  # may hold anchors, aliases or tags: the checking constructor
                return loader.get_single_data()
            node = loader.get_single_node()
        finally:
            loader.dispose()
        return None if node is None else _build(node)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlProblem("E001", f"YAML syntax error: {msg}", (mark.line + 1) if mark else 1,
                          (mark.column + 1) if mark else 1) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("E001", f"YAML error: {exc}") from None


class Locator:
    """Lines and columns of values in one text, composed (at most) once for any number of look-ups."""

    def __init__(self, text: str):
        self.text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def _node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                _check_depth(self.text)
                self._root = yaml.compose(self.text, Loader=_Base)
            except (yaml.YAMLError, YamlProblem):
                self._root = None
        return self._root

    def __call__(self, path: tuple) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path`` (keys and list indexes).

        Walks as deep as the path exists; a missing key points at its parent mapping.
        """
        node = self._node()
        if node is None:
            return 1, 1
        mark = node.start_mark
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for k, v in node.value:
                    if getattr(k, "value", None) == step:
                        mark, node = k.start_mark, v
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


def locate(text: str, path: tuple) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``path`` in ``text`` (one look-up; see ``Locator``)."""
    return Locator(text)(path)
