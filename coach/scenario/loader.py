"""Reading a scenario file: `yaml.safe_load` semantics with the position of every
key and value, limits against hostile input, and pydantic's errors turned into
``FILE:LINE:COL: path.to.field: message`` lines."""

from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from coach.scenario.checks import Loc, cross_check, did_you_mean, dotted, lint
from coach.scenario.errors import ScenarioError
from coach.scenario.syntax import split_lines, swallowed_list_item
from coach.scenario.syntax import explain as explain_syntax_error
from coach.text import escape_controls
from coach.scenario.models import FORMAT_VERSION, FORMAT_VERSIONS, Scenario


#: Files above this size are refused before parsing (a scenario is a few KB).
MAX_BYTES = 1024 * 1024
#: At most this many aliases (*name) in one file: enough to reuse lines, too few for a bomb.
MAX_ALIASES = 200
#: At most this many YAML nodes, counting every alias as the nodes it stands for.
MAX_NODES = 20_000
#: At most this deep nesting of mappings and lists.
MAX_DEPTH = 50


class _Refused(Exception):
    """Raised inside the loader when input breaks a limit; carries the YAML mark."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that counts what it composes, so alias bombs, deep nesting and
    recursive aliases stop early with a position instead of eating memory or stack."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._nodes = 0
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open_anchors:
                raise _Refused(event.start_mark, f"alias *{event.anchor} refers to the node that contains it (a recursive alias)")
            node = super().compose_node(parent, index)
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(event.start_mark, f"more than {MAX_ALIASES} aliases (*name): refusing a possible alias bomb")
            self._nodes += self._sizes.get(id(node), 1)
            if self._nodes > MAX_NODES:
                raise _Refused(
                    event.start_mark,
                    f"aliases expand to more than {MAX_NODES} YAML nodes: refusing a possible alias bomb",
                )
            return node
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        if anchor:
            self._open_anchors.add(anchor)
        before = self._nodes
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor:
                self._open_anchors.discard(anchor)
        self._nodes += 1
        self._sizes[id(node)] = self._nodes - before
        if self._nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"more than {MAX_NODES} YAML nodes: too large for a scenario")
        return node


_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class _Parsed:
    data: Any
    values: dict[Loc, Any]  # loc -> mark of the value node
    keys: dict[Loc, Any]  # loc -> mark of the key node
    key_text: dict[Loc, str]  # loc -> the key as written
    scalar_text: dict[Loc, str]  # loc -> a scalar value as written
    problems: list[tuple[Any, Loc, str]]  # (mark, loc, message) found while reading
    lines: list[str]  # the text's lines, to look at how a value was written


def _walk(loader: _LineLoader, node: Any, loc: Loc, parsed: _Parsed) -> None:
    parsed.values.setdefault(loc, node.start_mark)
    if isinstance(node, MappingNode):
        seen: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if knode.tag == _MERGE_TAG or not isinstance(knode, ScalarNode):
                continue  # merged fields keep their parent's position; complex keys fail in the constructor
            key = loader.construct_object(knode)
            try:
                hash(key)
            except TypeError:
                continue
            sub = loc + (key,)
            if key in seen:
                message = f"duplicate key '{knode.value}' (first at line {seen[key].line + 1})"
                if loc and isinstance(loc[-1], int) and seen[key] is node.value[0][0].start_mark:
                    # The item's first field again: most likely the next item, its '- ' forgotten.
                    message += "; if this line starts the next item of the list, begin it with '- '"
                parsed.problems.append((knode.start_mark, sub, message))
                continue
            seen[key] = knode.start_mark
            parsed.keys[sub] = knode.start_mark
            parsed.key_text[sub] = str(knode.value)
            if not isinstance(key, str):
                # pydantic may name a non-text key (1, true, null) by its str()
                parsed.keys.setdefault(loc + (str(key),), knode.start_mark)
                parsed.key_text.setdefault(loc + (str(key),), str(knode.value))
            _walk(loader, vnode, sub, parsed)
    elif isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            _walk(loader, child, loc + (i,), parsed)
    elif isinstance(node, ScalarNode):
        parsed.scalar_text[loc] = str(node.value)
        swallowed = swallowed_list_item(node, parsed.lines)
        if swallowed is not None:
            line, col, message = swallowed
            parsed.problems.append((yaml.error.Mark("", 0, line, col, None, None), loc, message))


def _line_col_of(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _parse(text: str, name: str) -> _Parsed:
    """Parse YAML text into Python data plus the position of every key and value."""
    loader: _LineLoader | None = None
    try:
        loader = _LineLoader(text)  # the reader checks for control characters here
        loader.name = name
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([f"{name}:1:1: the file is empty; start from `coach scenario new TITLE`"])
        parsed = _Parsed(None, {}, {}, {}, {}, [], split_lines(text))
        _walk(loader, node, (), parsed)
        parsed.data = loader.construct_document(node)
        return parsed
    except _Refused as exc:
        raise ScenarioError([f"{name}:{exc.mark.line + 1}:{exc.mark.column + 1}: {exc.message}"]) from None
    except yaml.MarkedYAMLError as exc:
        line, col, problem = explain_syntax_error(exc, text)
        raise ScenarioError([f"{name}:{line}:{col}: YAML syntax error: {problem}"]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col_of(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else 0
        raise ScenarioError(
            [f"{name}:{line}:{col}: control character #x{char:04x} is not allowed in YAML; is this a text file?"]
        ) from None
    except yaml.YAMLError as exc:  # anything else PyYAML raises
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError([f"{name}:1:1: YAML error: {first}"]) from None
    except RecursionError:
        raise ScenarioError([f"{name}:1:1: nested too deeply to read"]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional from a type annotation."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin is Union or origin is types.UnionType:
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class whose fields live at loc (None if loc is not a model)."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if get_origin(tp) is list:
                tp = get_args(tp)[0]
            else:
                return None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _position(parsed: _Parsed, loc: Loc, *, key: bool = False) -> tuple[int, int]:
    if key and loc in parsed.keys:
        mark = parsed.keys[loc]
        return mark.line + 1, mark.column + 1
    probe = loc
    while True:
        if probe in parsed.values:
            # A value's own line; for a mapping or list that starts on the next
            # line, the key that introduces it reads better.
            mark = parsed.values[probe]
            if probe in parsed.keys and probe != loc:
                mark = parsed.keys[probe]
            return mark.line + 1, mark.column + 1
        if not probe:
            return 1, 1
        probe = probe[:-1]


_YAML_TYPES = {bool: "true/false", int: "a number", float: "a number"}

#: pydantic error types that mean "not an acceptable number" on a number field.
_NUMBER_ERRORS = frozenset({
    "float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number",
    "greater_than_equal", "less_than_equal", "greater_than", "less_than",
})


def _expected_number(loc: Loc) -> str | None:
    """What a number field takes, from its type and bounds ("a number 0-100",
    "a whole number 1-200"), or None if loc is not a number field."""
    model = _model_at(loc[:-1]) if loc else None
    field = model.model_fields.get(loc[-1]) if model is not None and isinstance(loc[-1], str) else None
    if field is None or _unwrap(field.annotation) not in (int, float):
        return None
    low = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in field.metadata if hasattr(m, "le")), None)
    kind = "a whole number" if _unwrap(field.annotation) is int else "a number"
    if low is not None and high is not None:
        return f"{kind} {low:g}{' to ' if low < 0 else '-'}{high:g}"
    if low is not None:
        return f"{kind}, at least {low:g}"
    if high is not None:
        return f"{kind}, at most {high:g}"
    return kind


def _number_message(expected: str, value: Any, written: str | None) -> str:
    if value is None:
        return f"expected {expected}, but it is empty"
    if not isinstance(value, str):
        return f"expected {expected}, got {written if written is not None else _describe(value)}"
    message = f"expected {expected}, got {_describe(value)}"
    if re.fullmatch(r"-?\d+,\d+", value.strip()):
        message += f": write decimals with a point ({value.strip().replace(',', '.')})"
    return message


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _suggest(name: str, allowed: list[str]) -> str:
    """"; did you mean 'x'?" for a close match, else the allowed names."""
    close = did_you_mean(name, allowed)
    if close:
        return f"; did you mean '{close}'?"
    return f" (allowed: {', '.join(allowed)})" if allowed else ""


def _comment_hint(parsed: _Parsed, loc: Loc) -> str:
    """Why a text written on its key's line came out empty: a ' #' there
    starts a comment, so `company: #1 Physio` has no value. ('# words', with a
    space, reads as a comment the trainer meant.)"""
    mark = parsed.keys.get(loc)
    if mark is None or mark.line >= len(parsed.lines):
        return ""
    m = re.match(r"\s*(?:-\s+)?([^\s:#][^:#]*):\s+(#\S(?:.*\S)?)\s*$", parsed.lines[mark.line])
    if m is None or m.group(1).strip() != parsed.key_text.get(loc, str(loc[-1])):
        return ""
    value = json.dumps(m.group(2), ensure_ascii=False)
    return escape_controls(f"; a '#' after a space starts a comment, so YAML sees no value here: "
                           f"put the value in quotes ({m.group(1).strip()}: {value})", keep="")


def _flow_comma_hint(parsed: _Parsed, loc: Loc) -> str:
    """An unknown field inside {...} that has a space in it is most likely the
    rest of a text cut at a ',' ({say: Like I said, two salaries, ...})."""
    mark = parsed.values.get(loc[:-1])
    name = parsed.key_text.get(loc, "")
    if mark is None or " " not in name.strip() or mark.line >= len(parsed.lines):
        return ""
    if parsed.lines[mark.line][mark.column:mark.column + 1] != "{":
        return ""
    return "; inside {...} a ',' ends the text before it: put text with a ',' in quotes"


def _friendly(err: dict[str, Any], parsed: _Parsed) -> tuple[Loc, str, bool]:
    """Turn one pydantic error into (loc, message, point_at_key)."""
    loc = tuple(err["loc"])
    if len(loc) > 1 and loc[-1] == "say" and loc[:-1] in parsed.scalar_text:
        loc = loc[:-1]  # a plain line read as {say: line}: report it where it was written
    typ = err["type"]
    msg = err["msg"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if typ == "missing":
        return loc, "required field missing", False
    if typ == "invalid_key":
        # YAML read the key as a number, true/false or null: report it as written.
        name = parsed.key_text.get(loc, str(loc[-1]) if loc else "?")
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        return loc[:-1] + (name,), f"unknown field '{escape_controls(name, keep='')}'{_suggest(name, allowed)}", True
    if typ == "extra_forbidden":
        name = escape_controls(parsed.key_text.get(loc, str(loc[-1])), keep="")
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        return loc, f"unknown field '{name}'{_suggest(name, allowed)}{_flow_comma_hint(parsed, loc)}", True
    written = parsed.scalar_text.get(loc)
    expected = _expected_number(loc) if typ in _NUMBER_ERRORS else None
    if expected is not None:
        return loc, _number_message(expected, value, written), False
    if typ == "string_type" and type(value) in _YAML_TYPES:
        shown = written if written is not None else _describe(value)
        return loc, f"must be text, but YAML reads {shown} as {_YAML_TYPES[type(value)]}: put it in quotes", False
    if typ == "string_type" and isinstance(value, dict):
        return loc, "must be text, but YAML read a 'key: value' pair: put the line in quotes (it contains ': ')", False
    if typ == "string_type" and value is None:
        return loc, "must be text, but it is empty" + _comment_hint(parsed, loc), False
    if typ == "list_type":
        if isinstance(value, str):
            return loc, "must be a list: write each item on its own line starting with '- ', or [\"a\", \"b\"]", False
        return loc, f"must be a list, not {_describe(value)}", False
    if typ == "string_type" and isinstance(value, list):
        return loc, f"must be text, not a list ({_describe(value)})", False
    if typ in ("model_type", "model_attributes_type", "dict_type"):
        if value is None:
            return loc, "must be a mapping of fields (key: value lines), but it is empty: indent its fields under it", False
        return loc, f"must be a mapping of fields (key: value lines), not {_describe(value)}", False
    if typ == "string_pattern_mismatch":
        return loc, f"{_describe(value)} is not an id: use lowercase letters and digits, words joined by '-'", False
    if typ == "too_short":
        n = ctx.get("min_length", 1)
        return loc, f"must have at least {n} item{'s' if n != 1 else ''}", False
    if typ in ("bool_type", "bool_parsing"):
        return loc, f"must be true or false (got {_describe(value)})", False
    if typ == "literal_error":
        return loc, f"must be {ctx.get('expected', '')} (got {_describe(value)})", False
    if typ == "value_error":
        return loc, msg.removeprefix("Value error, "), False
    msg = msg.replace("Input should be", "must be", 1).replace("String should", "must", 1)
    if typ in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        msg += f" (got {_describe(value)})"
    return loc, msg, False


def _check_top_level(parsed: _Parsed, name: str, fmt) -> None:
    """A mapping with a version this code reads, or one line saying what is wrong."""
    data = parsed.data
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a single text", type(None): "empty"}.get(type(data), f"a {type(data).__name__}")
        line, col = _position(parsed, ())
        raise ScenarioError(
            [f"{name}:{line}:{col}: the top level must be a mapping of fields (version: 1, id: ..., title: ...), not {kind}"]
        )
    version = data.get("version")
    if "version" in data and not (type(version) is int and version in FORMAT_VERSIONS):
        line, col = _position(parsed, ("version",))
        known = " or ".join(str(v) for v in FORMAT_VERSIONS)
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            msg = f"unsupported version {parsed.scalar_text.get(('version',), version)}: this coach reads version {known}"
        elif isinstance(version, str):
            number = version.strip() if version.strip() in {str(v) for v in FORMAT_VERSIONS} else FORMAT_VERSION
            msg = f"must be the number {number}, not the text {version!r}: remove the quotes"
        elif version is None:
            msg = f"must be {known}, but it is empty"
        else:
            msg = f"must be {known} (got {parsed.scalar_text.get(('version',), _describe(version))})"
        raise ScenarioError([fmt(line, col, ("version",), msg)])


def _validate(parsed: _Parsed, name: str, text: str, path: Path | None) -> Scenario:
    data = parsed.data

    def fmt(line: int, col: int, loc: Loc, msg: str) -> str:
        return f"{name}:{line}:{col}: {dotted(loc)}: {msg}" if loc else f"{name}:{line}:{col}: {msg}"

    _check_top_level(parsed, name, fmt)
    found: list[tuple[int, int, str]] = []
    for mark, loc, msg in parsed.problems:
        found.append((mark.line + 1, mark.column + 1, fmt(mark.line + 1, mark.column + 1, loc, msg)))
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data, context={"_skip_cross_checks": True})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key also makes the field it meant "missing": report the
        # misspelling alone, since its did-you-mean names the missing field.
        missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
        explained: set[Loc] = set()
        for e in errors:
            if e["type"] == "extra_forbidden":
                parent = tuple(e["loc"])[:-1]
                model = _model_at(parent)
                written = parsed.key_text.get(tuple(e["loc"]), str(e["loc"][-1]))
                if model:
                    close = did_you_mean(written, model.model_fields)
                    if close and parent + (close,) in missing:
                        explained.add(parent + (close,))
        # A value already reported while reading (a swallowed list item) is
        # usually invalid too; its first message says why.
        explained |= {loc for _, loc, _ in parsed.problems}
        for err in errors:
            if tuple(err["loc"]) in explained:
                continue
            loc, msg, at_key = _friendly(err, parsed)
            if err["type"] == "missing":
                line, col = _position(parsed, loc[:-1], key=True)
            elif err["type"] == "invalid_key":
                line, col = _position(parsed, tuple(err["loc"]), key=True)
            else:
                line, col = _position(parsed, loc, key=at_key)
            found.append((line, col, fmt(line, col, loc, msg)))
    if scenario is not None:
        for loc, msg in cross_check(scenario):
            line, col = _position(parsed, loc)
            found.append((line, col, fmt(line, col, loc, msg)))
    if found:
        found.sort(key=lambda t: (t[0], t[1]))
        messages: list[str] = []
        for _, _, m in found:
            if m not in messages:
                messages.append(m)
        raise ScenarioError(messages)
    assert scenario is not None
    scenario._source_text = text
    scenario._source_path = path
    return scenario


def _too_big(name: str, size: int | None) -> str:
    what = f"{size / (1024 * 1024):.1f} MB" if size else "too large"
    return f"{name}:1:1: {what}: scenario files are limited to {MAX_BYTES // 1024} KB; is this the right file?"


def load_scenario_text(text: str, name: str = "<string>", *, path: Path | None = None) -> Scenario:
    """Validate a scenario from YAML text; ``name`` is used in error messages.

    Raises ScenarioError with one ``NAME:LINE:COL: field: message`` line per problem.
    """
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError([_too_big(name, len(text.encode("utf-8", "surrogatepass")))])
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col_of(text, nul)
        raise ScenarioError([f"{name}:{line}:{col}: binary data (a NUL byte): not a YAML text file"])
    text = text.removeprefix("\ufeff")
    parsed = _parse(text, name)
    return _validate(parsed, name, text, path)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Files above MAX_BYTES, binary files and text that is not UTF-8 are refused
    before parsing. Raises ScenarioError (one line per problem, each starting
    with the file name, line and column).
    """
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise ScenarioError([f"{name}: is a directory, not a scenario file"])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError([_too_big(name, size)])
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # a device or pipe may report size 0
    except FileNotFoundError:
        raise ScenarioError([f"{name}: no such file"]) from None
    except PermissionError:
        raise ScenarioError([f"{name}: permission denied"]) from None
    except OSError as exc:
        raise ScenarioError([f"{name}: cannot read: {exc.strerror or exc}"]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([_too_big(name, None)])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise ScenarioError([f"{name}:{line}:{col}: binary data (a NUL byte): not a YAML text file"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [f"{name}:{line}:{col}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"]
        ) from None
    return load_scenario_text(text, name, path=path)



def scenario_warnings(scenario: Scenario, name: str | None = None,
                      problems: list[tuple[Loc, str]] | None = None) -> list[str]:
    """lint() (or the given (location, message) pairs) as ``FILE:LINE:COL:
    field: warning: message`` lines, positioned in the source text."""
    name = name or (str(scenario.source_path) if scenario.source_path else "<string>")
    problems = lint(scenario) if problems is None else problems
    if not problems:
        return []
    try:
        parsed = _parse(scenario.source_text, name) if scenario.source_text else None
    except ScenarioError:
        parsed = None
    found = []
    for loc, msg in problems:
        line, col = _position(parsed, loc, key=True) if parsed else (1, 1)
        found.append((line, col, f"{name}:{line}:{col}: {dotted(loc)}: warning: {msg}"))
    found.sort(key=lambda t: (t[0], t[1]))
    return [m for _, _, m in found]
