"""YAML syntax errors in plain words.

PyYAML says what its parser expected ("expected <block end>, but found
'<block mapping start>'"); a trainer needs the line that is wrong and what to
do about it. :func:`explain` recognises the mistakes people make writing a
scenario by hand (indentation that lines up with nothing above it, a field
indented under one that already has a value, ': ' inside unquoted text, an
unclosed quote or bracket, text after a closing quote, a tab, a value that
starts with a character YAML reserves) and says each in one sentence, at the
line to fix. Anything else keeps PyYAML's words with a general hint.

The explanations read the file's tokens (PyYAML's scanner is lenient about
indentation, so it tokenises most files the parser rejects) and its lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml
from yaml import tokens as T

from coach.text import escape_controls

_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # the line breaks PyYAML counts
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s:])")
_NO_SPACE_AFTER_DASH = re.compile(r"^\s*-(?=[^\s-])")
_SIMPLE_FIELD = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][\w-]*):\s+(.*\S)\s*$")


@dataclass(frozen=True)
class _Entry:
    """Where the file starts a field or a list item (0-based line and column)."""

    kind: str  # "key" or "dash"
    line: int
    col: int
    name: str = ""  # the field's name, for a key
    has_value: bool = False  # a key with its value on the same line ("name: Sam", not "buyer:")


@dataclass(frozen=True)
class _Error:
    problem: str
    context: str
    line: int  # 0-based, where PyYAML stopped
    col: int
    context_line: int | None  # 0-based, where the construct PyYAML was reading began
    context_col: int | None


def _show(text: str, limit: int = 40) -> str:
    """Text from the file, quoted for a message: control characters visible, long text cut."""
    text = escape_controls(text, keep="")
    return "'" + (text if len(text) <= limit else text[: limit - 3] + "...") + "'"


def _spaces(n: int) -> str:
    return f"{n} space{'' if n == 1 else 's'}"


def _tokens(text: str) -> list[T.Token]:
    """Every token the scanner produces before it gives up (it rarely does)."""
    loader = yaml.SafeLoader(text)
    out: list[T.Token] = []
    try:
        while loader.check_token():
            out.append(loader.get_token())
    except yaml.YAMLError:
        out.extend(loader.tokens)
    finally:
        loader.dispose()
    return out


def _entries(tokens: list[T.Token]) -> list[_Entry]:
    """The fields and list items of block (indented) YAML, in file order."""
    out: list[_Entry] = []
    flow = 0
    for i, tok in enumerate(tokens):
        if isinstance(tok, (T.FlowSequenceStartToken, T.FlowMappingStartToken)):
            flow += 1
        elif isinstance(tok, (T.FlowSequenceEndToken, T.FlowMappingEndToken)):
            flow = max(0, flow - 1)
        elif flow:
            continue
        elif isinstance(tok, T.BlockEntryToken):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            has_value = (  # "- text", not "- id: x" (an item holding fields)
                isinstance(nxt, (T.ScalarToken, T.FlowSequenceStartToken, T.FlowMappingStartToken, T.AliasToken))
                and nxt.start_mark.line == tok.start_mark.line
                and not (i + 2 < len(tokens) and isinstance(tokens[i + 2], T.ValueToken))
            )
            out.append(_Entry("dash", tok.start_mark.line, tok.start_mark.column, "", has_value))
        elif isinstance(tok, T.KeyToken) and i + 1 < len(tokens) and isinstance(tokens[i + 1], T.ScalarToken):
            key = tokens[i + 1]
            value = tokens[i + 3] if i + 3 < len(tokens) and isinstance(tokens[i + 2], T.ValueToken) else None
            has_value = (
                isinstance(value, (T.ScalarToken, T.FlowSequenceStartToken, T.FlowMappingStartToken, T.AliasToken))
                and value.start_mark.line == key.start_mark.line
            )
            out.append(_Entry("key", key.start_mark.line, key.start_mark.column, str(key.value), has_value))
    return out


def _before(tokens: list[T.Token], line: int, col: int) -> list[T.Token]:
    return [t for t in tokens if (t.start_mark.line, t.start_mark.column) < (line, col)]


def _field_names() -> set[str]:
    from pydantic import BaseModel

    from coach.scenario.models import Scenario

    names: set[str] = set()
    todo: list[type[BaseModel]] = [Scenario]
    while todo:
        model = todo.pop()
        for name, field in model.model_fields.items():
            names.add(name)
            for tp in _types_in(field.annotation):
                if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in todo:
                    todo.append(tp)
    return names


def _types_in(annotation: object) -> list[object]:
    from typing import get_args

    out = [annotation]
    for arg in get_args(annotation):
        out += _types_in(arg)
    return out


class _Explainer:
    def __init__(self, error: _Error, text: str) -> None:
        self.e = error
        self.lines = _BREAKS.split(text)
        self.tokens = _tokens(text)
        self.entries = _entries(_before(self.tokens, error.line, error.col))

    def line(self, n: int) -> str:
        return self.lines[n] if 0 <= n < len(self.lines) else ""

    def indent(self, n: int) -> int:
        text = self.line(n)
        return len(text) - len(text.lstrip(" "))

    def content_above(self, n: int) -> int | None:
        """The nearest line above n with something on it other than a comment."""
        for i in range(n - 1, -1, -1):
            stripped = self.line(i).strip()
            if stripped and not stripped.startswith("#"):
                return i
        return None

    def thing_at(self, line: int, col: int) -> str:
        """How to name what starts at (line, col): "'role'" for a field, "this '- ' item" for a list item."""
        rest = self.line(line)[col:]
        if rest.startswith("-"):
            return "this '- ' item"
        name = re.match(r"[^:#]*?(?=:(\s|$))", rest)
        return _show(name.group().strip()) if name and name.group().strip() else "this line"

    # -- the mistakes ------------------------------------------------------------

    def explain(self) -> tuple[int, int, str] | None:
        p, c = self.e.problem, self.e.context
        for check in (self.second_document, self.tab, self.reserved_start, self.block_scalar_text, self.bad_escape, self.unclosed_quote,
                      self.after_quote, self.folded_text_dedent, self.flow, self.second_colon_or_indent,
                      self.misaligned, self.stray, self.list_on_the_field_line, self.top_level, self.not_a_field):
            found = check(p, c)
            if found is not None:
                return found
        return None

    def second_document(self, p: str, c: str) -> tuple[int, int, str] | None:
        if not p.startswith("but found another document"):
            return None
        return (self.e.line, self.e.col,
                "a '---' line here starts a second document, and a scenario file holds one: remove the '---' "
                "(and move anything below it that is another scenario to its own file)")

    def tab(self, p: str, c: str) -> tuple[int, int, str] | None:
        if "'\\t'" not in p and "'\t'" not in p:
            return None
        return (self.e.line, self.e.col,
                "a tab character: YAML allows only spaces to indent and after ':' or '-'; replace the tab with spaces")

    def reserved_start(self, p: str, c: str) -> tuple[int, int, str] | None:
        m = re.match(r"found character '(.)' that cannot start any token", p)
        if m:
            char = m.group(1)
        elif "while scanning an alias" in c or "while scanning an anchor" in c:
            char = "*" if "alias" in c else "&"
        elif p.startswith("found undefined alias"):
            name = p.removeprefix("found undefined alias").strip(" '")
            return (self.e.line, self.e.col,
                    f"a value that starts with '*' refers to an anchor (&{escape_controls(name, keep='')}) this file "
                    "does not define: if you meant the text, put the value in quotes")
        elif p.startswith("mapping keys are not allowed here"):
            char = "?"
        elif "while parsing a tag" in c or "while scanning a tag" in c:
            char = "!"
        elif "while scanning a directive" in c:
            char = "%"
        else:
            return None
        line, col = (self.e.context_line, self.e.context_col) if self.e.context_line is not None else (self.e.line, self.e.col)
        return (line, col, f"a value cannot start with '{escape_controls(char, keep='')}' unless it is in quotes "
                           f"(YAML reserves it): put the whole value in quotes{self._quoted_hint(line)}")

    def block_scalar_text(self, p: str, c: str) -> tuple[int, int, str] | None:
        if "while scanning a block scalar" not in c:
            return None
        return (self.e.line, self.e.col,
                "text cannot follow '>-' or '|' on the same line: start the text on the next line, "
                "indented further than the field")

    def bad_escape(self, p: str, c: str) -> tuple[int, int, str] | None:
        m = re.match(r"found unknown escape character '?(.)", p)
        if not m or "double-quoted" not in c:
            return None
        char = escape_controls(m.group(1), keep="")
        return (self.e.line, max(0, self.e.col - 1),
                f"inside \"...\" a backslash starts an escape, and '\\{char}' is not one: "
                "write a backslash as \\\\, or put the text in single quotes")

    def _last_quoted(self) -> T.ScalarToken | None:
        """The quoted text that ends just where PyYAML stopped, if any."""
        before = [t for t in _before(self.tokens, self.e.line, self.e.col) if not isinstance(t, T.BlockEndToken)]
        while before and isinstance(before[-1], (T.KeyToken, T.BlockMappingStartToken, T.BlockSequenceStartToken)):
            before.pop()  # the parser's own bookkeeping, queued for the text it stopped at
        last = before[-1] if before else None
        if isinstance(last, T.ScalarToken) and last.style in ("'", '"') and last.end_mark.line == self.e.line:
            return last
        return None

    def unclosed_quote(self, p: str, c: str) -> tuple[int, int, str] | None:
        if "while scanning a quoted scalar" in c and "end of stream" in p and self.e.context_line is not None:
            quote = self.line(self.e.context_line)[self.e.context_col or 0: (self.e.context_col or 0) + 1]
            return (self.e.context_line, self.e.context_col or 0,
                    f"the quote ({quote}) opened here is never closed: close it where the text ends")
        last = self._last_quoted()
        if last is None or last.start_mark.line == last.end_mark.line:
            return None
        quote = last.style
        return (last.start_mark.line, last.start_mark.column,
                f"the quote ({quote}) opened here is not closed on this line, so YAML reads on to the next {quote} "
                f"(line {last.end_mark.line + 1}): close it on this line")

    def after_quote(self, p: str, c: str) -> tuple[int, int, str] | None:
        if not p.startswith("expected") or "found '<scalar>'" not in p and "but got '<scalar>'" not in p:
            return None
        last = self._last_quoted()
        before = [t for t in _before(self.tokens, self.e.line, self.e.col) if not isinstance(t, T.BlockEndToken)]
        if last is not None:
            ends = last.end_mark.column
            if last.style == "'":
                    fix = "write an apostrophe inside '...' as two ('I''ve'), or put the text in double quotes"
            else:
                fix = "write a quote inside \"...\" as \\\", or put text with \" in it in single quotes"
            quoted = _show(last.value, 30)[1:-1]
            return (self.e.line, self.e.col,
                    f"text after a closing quote: YAML reads the quoted text as {last.style}{quoted}{last.style} and "
                    f"cannot place what follows; {fix}")
        if before and isinstance(before[-1], (T.FlowSequenceEndToken, T.FlowMappingEndToken)) \
                and before[-1].start_mark.line == self.e.line:
            bracket = "[" if isinstance(before[-1], T.FlowSequenceEndToken) else "{"
            return (self.e.line, self.e.col,
                    f"a value that starts with '{bracket}' is read as a {'list' if bracket == '[' else 'mapping'} "
                    f"up to its closing bracket, and the text after it is left over: put the whole value in quotes"
                    f"{self._quoted_hint(self.e.line)}")
        return None

    def flow(self, p: str, c: str) -> tuple[int, int, str] | None:
        """An error inside [...] or {...}: the bracket left open, or an item that needs quotes."""
        open_brackets: list[T.Token] = []
        for tok in _before(self.tokens, self.e.line, self.e.col):
            if isinstance(tok, (T.FlowSequenceStartToken, T.FlowMappingStartToken)):
                open_brackets.append(tok)
            elif isinstance(tok, (T.FlowSequenceEndToken, T.FlowMappingEndToken)) and open_brackets:
                open_brackets.pop()
        if not open_brackets:
            return None
        bracket = open_brackets[-1]
        opened, closer = ("[", "]") if isinstance(bracket, T.FlowSequenceStartToken) else ("{", "}")
        if bracket.start_mark.line != self.e.line:
            return (bracket.start_mark.line, bracket.start_mark.column,
                    f"the '{opened}' opened here is not closed on this line, so YAML reads the lines below as part "
                    f"of it: end it with '{closer}' on this line")
        return (self.e.line, self.e.col,
                f"inside {opened}...{closer}, text with ': ', ',' or quotes in it must be in quotes: "
                f"put each such item in double quotes, or write the items on their own lines starting with '- '")

    def second_colon_or_indent(self, p: str, c: str) -> tuple[int, int, str] | None:
        if not p.startswith("mapping values are not allowed here"):
            return None
        n, col = self.e.line, self.e.col
        here = self.line(n)
        if re.search(r":(\s|$)", here[:col]) or here[:col].lstrip().startswith("- "):
            # A second ': ' on the line: the text itself contains one.
            return (n, col, "a second ': ' on this line: YAML cannot tell where the field ends and the text begins; "
                            f"put the text in quotes{self._quoted_hint(n)}")
        above = self.content_above(n)
        if above is not None:
            found = self._no_space(above)
            if found is not None:
                return found
        owner = next((e for e in reversed(self.entries) if e.kind == "key" and e.line < n and e.has_value), None)
        name = self.thing_at(n, self.indent(n))
        if owner is not None:
            return (n, self.indent(n),
                    f"{name} is indented more than {_show(owner.name)} on line {owner.line + 1}, which already has a "
                    f"value, so YAML reads this line as more of that value: line it up with {_show(owner.name)} "
                    f"({_spaces(owner.col)} in), or, if it belongs under it, take the value off line {owner.line + 1}")
        return (n, col, "this line is read as more of the text on the line above (it is indented more than that "
                        "field), and text that goes on must not contain ': ': line it up, or put the text in quotes")

    def stray(self, p: str, c: str) -> tuple[int, int, str] | None:
        """Punctuation YAML cannot place: at the start of a line, or starting a value."""
        m = re.match(r"expected (?:<block end>|the node content), but found '([,:\[\]{}?])'", p)
        if not m:
            return None
        char = m.group(1)
        if char in "]}":
            # Nothing is open here (flow() handles errors inside brackets), so
            # the bracket closes nothing: one too many, or its opener missing.
            opener = "[" if char == "]" else "{"
            return (self.e.line, self.e.col,
                    f"a '{char}' that closes no '{opener}': remove it, or add the '{opener}' it belongs to")
        if self.line(self.e.line)[: self.e.col].strip() in ("", "-"):
            return (self.e.line, self.e.col,
                    f"a stray '{char}' at the start of this line: remove it (a field starts with its name, a list "
                    "item with '- ')")
        return (self.e.line, self.e.col,
                f"a value cannot start with '{char}' unless it is in quotes: put the whole value in quotes"
                f"{self._quoted_hint(self.e.line)}")

    def list_on_the_field_line(self, p: str, c: str) -> tuple[int, int, str] | None:
        if not p.startswith("sequence entries are not allowed here"):
            return None
        return (self.e.line, self.e.col,
                "a list cannot start on the same line as its field: put each '- ' item on its own line below the "
                "field, indented further than it (or, if this is text, put it in quotes)")

    def top_level(self, p: str, c: str) -> tuple[int, int, str] | None:
        if not p.startswith("expected '<document start>'"):
            return None
        first = next((i for i, line in enumerate(self.lines)
                      if line.strip() and not line.lstrip().startswith("#")), 0)
        return (self.e.line, self.e.col,
                f"this line does not fit under the file's first line (line {first + 1}), which is indented or is a "
                f"list item: the top-level fields (version: ..., id: ...) start at the left edge, with nothing "
                f"indented before them")

    def folded_text_dedent(self, p: str, c: str) -> tuple[int, int, str] | None:
        """A line of '>-' or '|' text indented less than the text's first line."""
        if "found '<scalar>'" not in p:
            return None
        before = [t for t in _before(self.tokens, self.e.line, self.e.col)
                  if not isinstance(t, (T.BlockEndToken, T.KeyToken, T.BlockMappingStartToken))]
        last = before[-1] if before else None
        if not (isinstance(last, T.ScalarToken) and last.style in ("|", ">")):
            return None
        text_line = next((i for i in range(last.start_mark.line + 1, self.e.line) if self.line(i).strip()), None)
        if text_line is None:
            return None
        owner = next((e for e in reversed(self.entries) if e.line <= last.start_mark.line), None)
        of = f" of {_show(owner.name)}" if owner is not None and owner.kind == "key" else ""
        return (self.e.line, self.indent(self.e.line),
                f"this line is indented less than the text{of} above it (line {text_line + 1} has "
                f"{self.indent(text_line)}), so YAML ends the text there and cannot place this line: indent it like "
                "the lines above")

    def _no_space(self, n: int) -> tuple[int, int, str] | None:
        text = self.line(n)
        m = _NO_SPACE_AFTER_COLON.match(text)
        if m and text[m.end():].startswith("- "):
            return (n, m.end(), f"a list cannot start on the same line as its field: put each '- ' item on its own "
                                f"line below {_show(m.group(1) + ':')}, indented further than it")
        if m:
            return (n, m.end(), f"no space after the ':' of {_show(m.group(1))}: write a space between a field's ':' "
                                "and its value")
        m = _NO_SPACE_AFTER_DASH.match(text)
        if m:
            return (n, m.end() - 1, "no space after the '-': a list item starts with '- ' (a dash and a space)")
        return None

    def misaligned(self, p: str, c: str) -> tuple[int, int, str] | None:
        """A field or list item that lines up with nothing above it, or with the wrong thing."""
        m = re.match(r"expected <block end>, but found '(<block mapping start>|<block sequence start>|\?|-)'", p)
        if not m and not p.startswith("did not find expected key") and not p.startswith("did not find expected '-'"):
            return None
        n, col = self.e.line, self.e.col
        dash = self.line(n)[col:].startswith("-")
        what = self.thing_at(n, col)
        above = [e for e in self.entries if e.line < n]
        if above and above[-1].col < col and above[-1].has_value:
            return self._under_a_value(n, col, what, above[-1])
        same = next((e for e in reversed(above) if e.col <= col), None)
        if same is not None and same.col == col:
            if same.kind == "dash" and not dash:
                key = next((e for e in above if e.line == same.line and e.kind == "key" and e.col > col), None)
                fix = (f"indent it {_spaces(key.col)} to line up with {_show(key.name)}" if key is not None
                       else "indent it further")
                return (n, col,
                        f"{what} lines up with the '- ' of the list item on line {same.line + 1}, so it is outside "
                        f"that item: {fix}, or, if line {same.line + 1} is not meant to be a list item, remove its '- '")
            if same.kind == "key" and dash:
                item = next((e for e in reversed(above) if e.kind == "dash" and e.col < col and e.line <= same.line),
                            None)
                if item is not None and any(e.line == item.line and e.col == col for e in above):
                    # The fields of the list item above start in this column:
                    # this '- ' was meant as the next item of that list.
                    return (n, col,
                            f"this '- ' item is indented {_spaces(col)}, like the fields of the list item on line "
                            f"{item.line + 1}, so YAML reads it inside that item: line it up with the '- ' on line "
                            f"{item.line + 1} ({_spaces(item.col)} in) to start the next item")
                return (n, col,
                        f"a list item ('- ') among fields: {_show(same.name)} on line {same.line + 1} is a field at "
                        f"the same indentation; remove the '- ', or put the list under a field that ends with ':'")
            return None
        after = [e for e in above if same is None or e.line > same.line]
        deeper = next((e for e in reversed(after) if e.col > col), None)
        if deeper is None:
            return None
        named = [f"{self._name(deeper)} on line {deeper.line + 1} has {deeper.col}"]
        if same is not None:
            named.append(f"{self._name(same)} on line {same.line + 1} has {same.col}")
        rule = "the items of one list" if dash else "the fields of one mapping"
        return (n, col,
                f"{what} is indented {_spaces(col)}, which lines up with nothing above it ({', '.join(named)}): "
                f"{rule} must start in the same column")

    def _under_a_value(self, n: int, col: int, what: str, owner: _Entry) -> tuple[int, int, str]:
        """A line indented under a field (or list item) that already has its value on its own line."""
        if owner.kind == "dash":
            return (n, col,
                    f"{what} is indented more than the '- ' on line {owner.line + 1}, which already has its text: "
                    f"line it up with that '- ' ({_spaces(owner.col)} in)")
        return (n, col,
                f"{what} is indented more than {_show(owner.name)} on line {owner.line + 1}, which already has a "
                f"value, so YAML cannot place it: line it up with {_show(owner.name)} ({_spaces(owner.col)} in), "
                f"or, if it belongs under it, take the value off line {owner.line + 1}")

    @staticmethod
    def _name(entry: _Entry) -> str:
        return _show(entry.name) if entry.kind == "key" else "the '- '"

    def not_a_field(self, p: str, c: str) -> tuple[int, int, str] | None:
        if not p.startswith("could not find expected ':'") or self.e.context_line is None:
            return None
        n = self.e.context_line
        text = self.line(n).strip()
        found = self._no_space(n)  # "examples:- x": a ':' there, but no space after it
        if found is not None:
            return found
        above = self.content_above(n)
        if above is not None:
            above_text = self.line(above)
            field = re.match(r"^\s*(?:-\s+)?([^:#]+):\s*(.*)$", above_text)
            if field and _BLOCK_SCALAR.match(field.group(2)) and self.indent(n) <= self.indent(above):
                return (n, self.indent(n),
                        f"the text of {_show(field.group(1).strip())} (line {above + 1}, after "
                        f"'{field.group(2).split('#')[0].strip()}') must be indented more than the field: "
                        f"indent it {_spaces(self.indent(above) + 2)}")
            if above_text.lstrip().startswith("- ") and self.indent(above) == self.indent(n):
                return (n, self.indent(n),
                        f"this line is neither a field nor a list item: if it is another item of the list above, "
                        f"start it with '- ' like line {above + 1}")
        first = re.match(r"[A-Za-z_][\w-]*", text)
        if first and first.group() in _field_names():
            return (n, self.indent(n), f"{_show(first.group())} needs a ':' after it "
                                       f"({escape_controls(first.group(), keep='')}: ...)")
        return (n, self.indent(n),
                "this line is neither a field ('name: value') nor a list item ('- ...'): add ': ' after the field "
                "name, or, if it continues the text of the field above, indent it further than that field")

    def _quoted_hint(self, n: int) -> str:
        """" (field: "the text")" for a simple one-line field, else ""."""
        m = _SIMPLE_FIELD.match(self.line(n))
        if not m or m.group(2)[0] in "\"'":
            return ""
        value = m.group(2).split(" #")[0].rstrip()
        suggestion = f"{m.group(1).strip()}: {json.dumps(value, ensure_ascii=False)}"
        return f" ({escape_controls(suggestion, keep='')})" if len(suggestion) <= 80 else ""


def split_lines(text: str) -> list[str]:
    """text's lines, split where PyYAML counts a line break."""
    return _BREAKS.split(text)


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, message), 1-based, for a YAML syntax error in text."""
    mark = exc.problem_mark or exc.context_mark
    if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in (exc.problem or ""):
        where = mark or exc.context_mark
        return ((where.line + 1, where.column + 1) if where else (1, 1)) + (
            "a value that starts with '!' is a YAML tag (such as !!python/object), which a scenario does not "
            "allow: if you meant the text, put the value in quotes",
        )
    error = _Error(
        problem=exc.problem or "", context=exc.context or "",
        line=mark.line if mark is not None else 0, col=mark.column if mark is not None else 0,
        context_line=exc.context_mark.line if exc.context_mark is not None else None,
        context_col=exc.context_mark.column if exc.context_mark is not None else None,
    )
    try:
        found = _Explainer(error, text).explain()
    except RecursionError:  # a hostile file's tokens; PyYAML's own words still say something
        found = None
    if found is not None:
        line, col, message = found
        return line + 1, col + 1, message
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem and exc.context_mark is not None:
        problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
    if isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
        problem += "; check the indentation and quotes here and on the line before"
    return error.line + 1, error.col + 1, problem


def swallowed_list_item(node: yaml.ScalarNode, lines: list[str]) -> tuple[int, int, str] | None:
    """Plain (unquoted) text running over several lines with a continuation line
    that starts with '- ': a list item YAML read as more text (valid YAML, so
    nothing else would say so). (line, column, message), 0-based."""
    if node.style is not None or node.start_mark.line == node.end_mark.line:
        return None
    first = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
    for n in range(node.start_mark.line + 1, node.end_mark.line + 1):
        line = lines[n] if n < len(lines) else ""
        if not line.lstrip().startswith("- "):
            continue
        start = node.start_mark.column
        if first[start:start + 1] == "-" and first[start + 1:start + 2] not in ("", " "):
            return (node.start_mark.line, start,
                    f"no space after the '-': a list item starts with '- ' (a dash and a space), so YAML reads "
                    f"lines {node.start_mark.line + 1}-{n + 1} as one text")
        return (n, len(line) - len(line.lstrip()),
                f"YAML reads this '- ' line as more of the text that begins on line {node.start_mark.line + 1}, "
                "not as a list item: start every '- ' of a list in the same column, under a field with "
                "nothing after its ':'")
    return None
