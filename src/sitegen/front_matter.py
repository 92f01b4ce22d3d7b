"""Front matter, through python-frontmatter's handlers: YAML between `---` lines, TOML
between `+++` lines (as Hugo and Zola write it), read strictly, written for ingest.

python-frontmatter's own `parse` strips the text and the body and its handlers load with
plain `yaml.safe_load`, which keeps the last of two duplicate keys, expands anchors and
reports no file line. sitegen plugs into it where it is meant to be extended, the handler:
each handler here splits by lines (so the body keeps its line numbers), loads strictly and
raises `FrontMatterError` with the file line of every problem. This module reads no file and
reports nothing; `source.py` reads the files, calls it and makes each a `SourceFile` (plain
data, defined here so that the model can take it without importing file I/O).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

FIRST_LINE = 2  # front matter starts on the file's second line, after the opening one

KeyLines = dict[Any, int]  # key, (key, i), (key, i, sub) -> file line


class FrontMatterError(Exception):
    """Front matter that cannot be read; `problems` are (file line, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))


class Split(NamedTuple):
    handler: StrictHandler
    front: str  # the text between the delimiter lines
    body: str
    body_line: int  # the file line where the body starts


class StrictHandler(BaseHandler):
    """What sitegen's handlers share: a split by lines, and loading at file lines."""

    START_DELIMITER: str
    END_DELIMITERS: tuple[str, ...]
    name = ""  # "yaml", "toml": as SourceFile records it

    def detect(self, text: str) -> bool:
        end = text.find("\n")
        return (text if end < 0 else text[:end]).rstrip() == self.START_DELIMITER

    def split_lines(self, text: str) -> Split:
        lines = text.split("\n")
        for index in range(1, len(lines)):
            if lines[index].rstrip() in self.END_DELIMITERS:
                front = "\n".join(lines[1:index])
                return Split(self, front, "\n".join(lines[index + 1 :]), index + 2)
        opened = f"front matter is opened by '{self.START_DELIMITER}' here"
        raise FrontMatterError([(1, f"{opened} but never closed by a '{self.END_DELIMITER}' line")])

    def split(self, text: str) -> tuple[str, str]:
        _, front, body, _ = self.split_lines(text)
        return front, body

    def load(self, fm: str, first_line: int = FIRST_LINE) -> dict[str, Any]:
        raise NotImplementedError

    def key_lines(self, fm: str, first_line: int = FIRST_LINE) -> KeyLines:
        raise NotImplementedError


# --------------------------------------------------------------------------- YAML

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_INT_TAG = "tag:yaml.org,2002:int"

# Dates are validated by sitegen with a line number and a clear message, so YAML must leave
# them as text. The C loader is ~10x faster; the resolver table is Python-side either way.
_FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DumperBase = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP_TAG]
        for first, entries in resolvers.items()
    }


_RESOLVERS = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)
_ANY_FIRST = tuple(_RESOLVERS.get(None, ()))  # (PyYAML's wildcard resolvers: none today)
# The implicit resolvers a plain scalar is tried against, by its first character ("" when
# empty), as PyYAML's Resolver.resolve picks them, but made once rather than per scalar.
_BY_FIRST = {
    first: (*entries, *_ANY_FIRST) for first, entries in _RESOLVERS.items() if first is not None
}


# a base class picked at run time (libyaml's when present), which the types cannot say
class _FastLoader(_FastBase):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _RESOLVERS

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, as Resolver.resolve gives it for a loader without path
        resolvers (this one has none), in fewer steps: it runs for every node of every file."""
        if kind is yaml.ScalarNode:
            # a plain scalar: a number, a boolean, null... or a string
            return _plain_tag(value) if implicit[0] else _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


def _plain_tag(value: str) -> str:
    """The tag YAML gives a plain (unquoted) scalar: its first implicit resolver that
    matches, else text."""
    for tag, regexp in _BY_FIRST.get(value[:1], _ANY_FIRST):
        if regexp.match(value):
            return tag
    return _STR_TAG


class _CheckingLoader(yaml.SafeLoader):
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


class _Dumper(_DumperBase):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value used twice is written twice: the reader refuses aliases


_Duplicate = tuple[int, str, int]  # (0-based line, key, 0-based line of its first use)


# Python reads and prints whole numbers of at most this many digits (sys.int_info's default
# limit): a longer one in front matter or TOML raised ValueError, a traceback, where it was
# read, or where a message quoted it (a hexadecimal one is read, but not printed).
MAX_DIGITS = 4300
_MAX_BITS = int(MAX_DIGITS * 3.3219)  # 10**4300 is about 2**14284
TOO_LONG = f"a number longer than {MAX_DIGITS:,} digits: put it in quotes if it is text"


class _NumberTooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line  # 0-based line of the front matter


def _integer(node: yaml.ScalarNode, loader: Any) -> Any:
    """An int node's value as PyYAML makes it (0x, 0o, 1_000, sexagesimal...), refusing a
    number Python cannot read or print."""
    try:
        value = loader.construct_object(node)
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise _NumberTooLong(node.start_mark.line) from None
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        raise _NumberTooLong(node.start_mark.line)
    return value


def _check_numbers(node: yaml.Node, loader: Any) -> None:
    """Every whole number below a node that PyYAML is about to make, checked first."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _INT_TAG:
            _integer(node, loader)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_numbers(item, loader)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _check_numbers(key, loader)
            _check_numbers(value, loader)


def _plain_int(digits: str) -> int | None:
    """Plain decimal digits as a number, as item numbers are written (what PyYAML makes of
    them); None for any other whole number (0x1F, 1_000, 010, -3...)."""
    if (
        digits.isdigit()
        and digits.isascii()
        and (digits[0] != "0" or digits == "0")
        and len(digits) <= MAX_DIGITS
    ):
        return int(digits)
    return None


def _construct(node: yaml.Node, loader: Any, duplicates: list[_Duplicate]) -> Any:
    """The Python value of a composed YAML node, as SafeLoader would make it, but faster
    for the strings, whole numbers, lists and mappings front matter is made of, and noting
    duplicate keys (YAML forbids them; PyYAML would silently keep the last). Every other
    node (other numbers, booleans, null, merge keys, explicit tags) goes to PyYAML's safe
    constructor."""
    tag = node.tag
    if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _INT_TAG and isinstance(node, yaml.ScalarNode):
        number = _plain_int(node.value)
        return _integer(node, loader) if number is None else number
    if tag == _SEQ_TAG and isinstance(node, yaml.SequenceNode):
        return [_construct(item, loader, duplicates) for item in node.value]
    if tag == _MAP_TAG and isinstance(node, yaml.MappingNode):
        if any(key.tag != _STR_TAG for key, _ in node.value):  # merge keys, numbers as keys
            _check_numbers(node, loader)
            return loader.construct_object(node, deep=True)
        mapping: dict[str, Any] = {}
        seen_on: dict[str, int] = {}  # key -> line of its first use
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line
            if key in mapping:
                duplicates.append((line, key, seen_on[key]))
            seen_on.setdefault(key, line)
            mapping[key] = _construct(value_node, loader, duplicates)
        return mapping
    _check_numbers(node, loader)  # explicit tags (!!set, !!omap) on what holds numbers
    return loader.construct_object(node, deep=True)


def _reject_anchors(front: str) -> tuple[int, str] | None:
    """(0-based line, message) of the first YAML anchor or alias, which we refuse: a few
    nested aliases expand into gigabytes when the data is walked ("billion laughs")."""
    for event in yaml.parse(front, Loader=_CheckingLoader):
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            continue
        line = event.start_mark.line if event.start_mark is not None else 0
        if isinstance(event, yaml.AliasEvent):
            return line, f"YAML alias '*{anchor}' is not allowed"
        return line, f"YAML anchor '&{anchor}' is not allowed"
    return None


def _yaml_problem(exc: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str]:
    """The line and message of a YAML error, naming where an unclosed construct began."""
    mark = exc.problem_mark or exc.context_mark
    line = first_line + mark.line if mark else first_line
    message = f"invalid YAML: {exc.problem or exc.context}"
    start = exc.context_mark
    if exc.problem and exc.context and start is not None and first_line + start.line != line:
        message += f" ({exc.context} that starts on line {first_line + start.line})"
    return line, message


def _scalar(node: yaml.ScalarNode) -> Any:
    """A key's value as the loader makes it (1, None, True), for its line."""
    try:
        value = yaml.SafeLoader("").construct_object(node)
    except yaml.YAMLError:
        return node.value
    return value if isinstance(value, Hashable) else node.value


def _mapping(data: Any, first_line: int) -> dict[str, Any]:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise FrontMatterError(
            [(first_line, f"front matter must be a mapping of keys, not {kind}")]
        )
    return data


# --------------------------------------------------------------------------- the common shape

# Nearly all front matter is `key: value` lines, a list of quotes (`- actor: ...` and the
# item's keys under it) and a list of credits in brackets. _common_shape reads exactly that
# in one pass over the lines, for a fraction of what libyaml and the node walk cost, and
# gives up (None) on anything else, which the loader then reads as before: it need not know
# YAML's corners (comments, escapes, tabs, anchors, tags, folded lines, duplicate keys),
# only never read a line otherwise than YAML does (test_front_matter compares the two).
_COMMON_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|$)")
_QUOTED_LIST = re.compile(r'\[ *(?:"[^"\\]*" *(?:, *"[^"\\]*" *)*)?\]')
_QUOTED_ITEM = re.compile(r'"([^"\\]*)"')
# what YAML reads as something else at the start of a plain scalar (indicators), or in it
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_UNREAD = object()  # a value _common_shape leaves to the loader


def _common_shape(front: str) -> dict[str, Any] | None:
    """The front matter's mapping when it has the common shape (see above), else None."""
    data: dict[str, Any] = {}
    listed = ""  # the last top-level key when it had no value on its line: a list may follow
    items: list[Any] | None = None  # that list, from its first item on
    dash = 0  # the column of its dashes
    item: dict[str, Any] | None = None  # its last item, when that is a mapping
    for line in front.split("\n"):
        if not line:
            continue
        if not line.isprintable():  # tabs, control characters, other line ends
            return None
        indent = len(line) - len(line.lstrip(" "))
        if listed and line.startswith("- ", indent) and (items is None or indent == dash):
            if items is None:
                items = data[listed] = []
                dash = indent
            rest = line[indent + 2 :]
            item = {} if _COMMON_KEY.match(rest) else None
            value = _common_scalar(rest) if item is None else item
            if value is _UNREAD or (item is not None and _read_pair(item, rest) is None):
                return None
            items.append(value)
        elif item is not None and indent == dash + 2:
            if _read_pair(item, line[indent:]) is None:
                return None
        elif indent == 0 and line[0] != "-":
            key = _read_pair(data, line, alone=True)
            if key is None:
                return None
            listed = key if _COMMON_KEY.fullmatch(line) else ""
            items = item = None
        else:
            return None
    return data or None


def _read_pair(mapping: dict[str, Any], line: str, alone: bool = False) -> str | None:
    """Reads a `key: value` line into the mapping: its key, or None when it is not of the
    common shape. `alone`: a key with nothing after it is read (as null), not refused."""
    found = _COMMON_KEY.match(line)
    if found is None:
        return None
    key, rest = found.group(1), line[found.end() :]
    if key in mapping or not _text_key(key):  # a duplicate; `yes:`, `null:`
        return None
    value = _common_scalar(rest) if rest else None if alone else _UNREAD
    if value is _UNREAD:
        return None
    mapping[key] = value
    return key


@functools.lru_cache(maxsize=1024)  # the same few keys in every file
def _text_key(key: str) -> bool:
    return _plain_tag(key) == _STR_TAG


def _common_scalar(text: str) -> Any:
    """A value written on one line: text in quotes without escapes, a list of such in
    brackets, or a plain scalar that is text, a whole number, a boolean or null; else
    _UNREAD."""
    if not text:  # (a list item with nothing after its dash)
        return _UNREAD
    first = text[0]
    if first in "\"'":
        inner = text[1:-1]
        if len(text) > 1 and text[-1] == first and first not in inner and "\\" not in inner:
            return inner
        return _UNREAD
    if first == "[":
        return _QUOTED_ITEM.findall(text) if _QUOTED_LIST.fullmatch(text) else _UNREAD
    if first in _INDICATORS or text[-1] in " :" or ": " in text or "#" in text:
        return _UNREAD
    tag = _plain_tag(text)
    if tag == _STR_TAG:
        return text
    if tag == _INT_TAG:
        number = _plain_int(text)
        return _UNREAD if number is None else number
    if tag == _BOOL_TAG:
        return _BOOLS[text.lower()]
    return None if tag == _NULL_TAG else _UNREAD


class SitegenYAMLHandler(StrictHandler, YAMLHandler):
    """python-frontmatter's YAML handler with sitegen's loader: safe, dates left as text, no
    anchors or aliases, no duplicate keys (nested ones too), every error at its file line.
    A YAML document end (`...`) closes the front matter too."""

    FM_BOUNDARY = re.compile(r"^---[^\S\n]*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "---"
    END_DELIMITERS = ("---", "...")
    name = "yaml"

    # python-frontmatter's handlers take `**kwargs: object`; this one takes the file line
    def load(self, fm: str, first_line: int = FIRST_LINE) -> dict[str, Any]:  # type: ignore[override]
        common = _common_shape(fm)
        return self.load_any(fm, first_line) if common is None else common

    def load_any(self, fm: str, first_line: int = FIRST_LINE) -> dict[str, Any]:
        """`load` without the shortcut for the common shape: any YAML, through libyaml."""
        try:
            if "&" in fm or "*" in fm:  # only then can there be anchors: check precisely
                found = _reject_anchors(fm)
                if found:
                    raise FrontMatterError([(first_line + found[0], found[1])])
            loader = _FastLoader(fm)
            duplicates: list[_Duplicate] = []
            try:
                node = loader.get_single_node()
                data = _construct(node, loader, duplicates) if node is not None else {}
            finally:
                loader.dispose()
        except _NumberTooLong as exc:
            raise FrontMatterError([(first_line + exc.line, TOO_LONG)]) from None
        except yaml.MarkedYAMLError as exc:
            raise FrontMatterError([_yaml_problem(exc, first_line)]) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow (DEL, C1)
            line = first_line + fm.count("\n", 0, exc.position)
            character = f"U+{exc.character:04X}"
            message = f"invalid YAML: it does not allow the character {character}; remove it"
            raise FrontMatterError([(line, message)]) from None
        except yaml.YAMLError as exc:
            message = f"invalid YAML: {str(exc).splitlines()[0]}"
            raise FrontMatterError([(first_line, message)]) from None
        if duplicates:
            raise FrontMatterError(
                [
                    (
                        first_line + line,
                        f"duplicate key {key!r} (already on line {first_line + first})",
                    )
                    for line, key, first in duplicates
                ]
            )
        return _mapping(data, first_line)

    def key_lines(self, fm: str, first_line: int = FIRST_LINE) -> KeyLines:
        """Line of every top-level key, list item and list-item key, for error messages.
        Empty when the pure-Python loader refuses what libyaml read (`title: <tab>` then a
        list item): the message is then given at the file, not a traceback."""
        lines: KeyLines = {}
        try:
            node = yaml.compose(fm, Loader=_CheckingLoader)
        except yaml.YAMLError:
            return lines
        if not isinstance(node, yaml.MappingNode):
            return lines
        for key_node, value_node in node.value:
            key = key_node.value
            lines[key] = first_line + key_node.start_mark.line
            if key_node.tag == _MERGE_TAG:  # `<<: {a: 1}`: 'a' is at its own line, not line 1
                merged = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for part in merged:
                    for sub_key, _ in part.value if isinstance(part, yaml.MappingNode) else []:
                        lines.setdefault(sub_key.value, first_line + sub_key.start_mark.line)
            if key_node.tag != _STR_TAG and isinstance(key_node, yaml.ScalarNode):
                lines.setdefault(_scalar(key_node), lines[key])  # `1:`, `null:`: not text keys
            if isinstance(value_node, yaml.SequenceNode):
                for i, item in enumerate(value_node.value):
                    lines[(key, i)] = first_line + item.start_mark.line
                    if isinstance(item, yaml.MappingNode):
                        for sub_key, sub_value in item.value:
                            lines[(key, i, sub_key.value)] = first_line + sub_value.start_mark.line
        return lines

    def export(self, metadata: Mapping[str, object], **kwargs: object) -> str:
        """Block style in the given key order, long lines kept whole, no aliases."""
        return yaml.dump(
            dict(metadata),
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            width=1000,
            default_flow_style=False,
        )

    def format(self, post: frontmatter.Post, **kwargs: object) -> str:
        """The front matter, then the body exactly as given (python-frontmatter's own
        template adds a blank line and strips the body)."""
        return f"---\n{self.export(post.metadata)}---\n{post.content}"


# --------------------------------------------------------------------------- TOML

_TOML_AT = re.compile(
    r"^(?P<message>.*?) \(at (?:line (?P<line>\d+), column \d+|end of document)\)$"
)
_DUPLICATE_MESSAGES = ("Cannot overwrite a value", "Cannot declare", "Duplicate inline table key")


class SitegenTOMLHandler(StrictHandler):
    """TOML front matter with the standard library's tomllib (TOML 1.0), in
    python-frontmatter's handler API. Its own TOMLHandler exists only when the `toml`
    package is installed, which is unmaintained and reads an older TOML, so this one
    extends the base handler with the same `+++` delimiters. Dates and times become ISO text,
    as YAML's do, so that sitegen checks them the same way."""

    FM_BOUNDARY = re.compile(r"^\+\+\+[^\S\n]*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"
    END_DELIMITERS = ("+++",)
    name = "toml"

    def load(self, fm: str, first_line: int = FIRST_LINE) -> dict[str, Any]:
        try:
            data = toml_loads(fm + "\n")  # a final newline: errors then fall on a line
        except tomllib.TOMLDecodeError as exc:
            raise FrontMatterError([_toml_problem(str(exc), fm, first_line)]) from None
        return _dates_as_text(data)

    def key_lines(self, fm: str, first_line: int = FIRST_LINE) -> KeyLines:
        return _TomlKeys(fm, first_line).lines


def toml_loads(text: str) -> dict[str, Any]:
    """tomllib.loads, but arrays or inline tables nested past its recursion (about 500 deep:
    a RecursionError's traceback) are a TOMLDecodeError at the line where they pass 100."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError(
            f"arrays or tables nested too deeply: flatten them (at line {_deep_line(text)}, "
            "column 1)"
        ) from None
    except ValueError as exc:  # a decimal number past Python's limit: not a TOMLDecodeError
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise
        raise _long_number_error(text) from None
    if _holds_a_huge_number(data):  # 0x... of thousands of digits: read, but never printable
        raise _long_number_error(text)
    return data


_LONG_NUMBER = re.compile(r"[0-9a-fA-F_]{1000,}")


def _long_number_error(text: str) -> tomllib.TOMLDecodeError:
    """The error for a number too long, at the first line holding a long run of digits
    (quotes not minded: only for the message)."""
    found = _LONG_NUMBER.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return tomllib.TOMLDecodeError(f"{TOO_LONG} (at line {line}, column 1)")


def _holds_a_huge_number(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_a_huge_number(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_a_huge_number(item) for item in value)
    return isinstance(value, int) and value.bit_length() > _MAX_BITS


def _deep_line(text: str, deepest: int = 100) -> int:
    """The line where brackets and braces first nest past `deepest` (quotes not minded:
    only for the message), else the last."""
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > deepest:
                return number
    return text.count("\n") or 1


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    return value


def _toml_problem(error: str, fm: str, first_line: int) -> tuple[int, str]:
    """tomllib's message ("... (at line 3, column 7)") as a file line and our wording."""
    match = _TOML_AT.match(error)
    if match is None:
        return first_line, f"invalid TOML: {error}"
    text = match["message"]
    last = first_line + max(fm.count("\n"), 0)  # "end of document": the last line
    line = first_line + int(match["line"]) - 1 if match["line"] else last
    if text.startswith(_DUPLICATE_MESSAGES):
        read = "\n".join(fm.split("\n")[: line - first_line + 1])  # up to the error
        keys = _TomlKeys(read, first_line)
        for at, dotted, first in keys.duplicates:
            if at <= line:
                return at, f"duplicate key {dotted!r} (already on line {first})"
    return min(line, last), f"invalid TOML: {text[:1].lower()}{text[1:]}"


_TOML_TOKEN = re.compile(
    r"""(?P<skip>[ \t]+|\#[^\n]*)
    |(?P<newline>\n)
    |(?P<string>\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*"{3,5}|'''[\s\S]*?'{3,5}
        |"(?:[^"\\\n]|\\.)*"|'[^'\n]*')
    |(?P<punct>[\[\]{},=.])
    |(?P<bare>[^\s\[\]{},=\#"'.]+)
    |(?P<other>.)""",
    re.VERBOSE,
)


class _Token(NamedTuple):
    kind: str
    text: str
    line: int  # 0-based line of the front matter


def _toml_tokens(text: str) -> Iterator[_Token]:
    line = 0
    for match in _TOML_TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "skip":
            yield _Token(kind, match.group(), line)
        line += match.group().count("\n")


class _TomlKeys:
    """Where each key, array item and item key of TOML front matter is: tomllib keeps no
    positions. Reads text that tomllib accepted, or its part before tomllib's error."""

    def __init__(self, fm: str, first_line: int) -> None:
        self.first_line = first_line
        self.lines: KeyLines = {}
        self.duplicates: list[tuple[int, str, int]] = []  # (line, dotted key, first line)
        self._tokens = list(_toml_tokens(fm))
        self._at = 0
        with contextlib.suppress(IndexError):  # past tomllib's error: what was read stands
            self._statements()

    def _peek(self, ahead: int = 0) -> _Token:
        return self._tokens[self._at + ahead]

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    def _note(self, path: tuple[Any, ...], token: _Token, statement: bool = False) -> None:
        key = path[0] if len(path) == 1 else path
        line = self.first_line + token.line
        if key in self.lines and statement:
            dotted = ".".join(str(part) for part in path if isinstance(part, str))
            self.duplicates.append((line, dotted, self.lines[key]))
        self.lines.setdefault(key, line)

    def _statements(self) -> None:
        table: tuple[Any, ...] = ()
        counts: dict[tuple[Any, ...], int] = {}
        while self._at < len(self._tokens):
            token = self._peek()
            if token.kind == "newline":
                self._take()
            elif token.text == "[" and token.kind == "punct":
                double = self._peek(1).text == "["
                self._at += 2 if double else 1
                path = self._key("]")
                self._at += 2 if double else 1
                if double:
                    counts[path] = counts.get(path, -1) + 1
                    self._note(path, token)
                    table = (*path, counts[path])
                    self._note(table, token)
                else:
                    table = path
                    self._note(table, token, statement=True)
            else:
                path = (*table, *self._key("="))
                self._take()  # "="
                self._note(path, token, statement=True)
                self._value(path)

    def _key(self, end: str) -> tuple[str, ...]:
        parts: list[str] = []
        while not (self._peek().kind == "punct" and self._peek().text == end):
            token = self._take()
            if token.kind == "string":
                parts.append(tomllib.loads(f"k = {token.text}")["k"])
            elif token.kind == "bare":
                parts.append(token.text)
        return tuple(parts)

    def _value(self, path: tuple[Any, ...]) -> None:
        token = self._take()
        if token.kind == "punct" and token.text == "[":
            index = 0
            while not (self._peek().kind == "punct" and self._peek().text == "]"):
                if self._peek().kind == "newline" or self._peek().text == ",":
                    self._take()
                    continue
                self._note((*path, index), self._peek())
                self._value((*path, index))
                index += 1
            self._take()
        elif token.kind == "punct" and token.text == "{":
            while not (self._peek().kind == "punct" and self._peek().text == "}"):
                if self._peek().text == ",":
                    self._take()
                    continue
                start = self._peek()
                sub = (*path, *self._key("="))
                self._take()  # "="
                self._note(sub, start)
                self._value(sub)
            self._take()
        else:  # a scalar: up to the next comma, closing bracket or line end
            while self._at < len(self._tokens):
                ahead = self._peek()
                if ahead.kind == "newline" or (ahead.kind == "punct" and ahead.text in ",]}"):
                    break
                self._take()


# --------------------------------------------------------------------------- reading, writing

YAML_HANDLER = SitegenYAMLHandler()
TOML_HANDLER = SitegenTOMLHandler()
HANDLERS: dict[str, StrictHandler] = {h.name: h for h in (YAML_HANDLER, TOML_HANDLER)}
BOM = "\ufeff"


@dataclass
class SourceFile:
    """One content file as parsed: its front matter, body, and where each key sits in the file
    (plain data that the model takes; source.py reads the file and makes it)."""

    path: Path
    front: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    front_text: str = ""
    fingerprint: str = ""
    front_format: str = "yaml"  # or "toml": the front_matter handler that read it
    _lines: dict[Any, int] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict[Any, int]:
        """key, (key, i), (key, i, sub) -> line; worked out only when a message needs it."""
        if self._lines is None:
            handler = HANDLERS[self.front_format]
            self._lines = handler.key_lines(self.front_text, FIRST_LINE)
        return self._lines

    def line(self, *key: Any) -> int:
        """Best line for a key path, falling back to its parent, then the first line."""
        while key:
            wanted = key[0] if len(key) == 1 else key
            if wanted in self.lines:
                return self.lines[wanted]
            key = key[:-1]
        return 1


def split(text: str) -> Split:
    """Front matter and body of a file's text (with `\\n` line ends), by its first line."""
    # Windows editors may start UTF-8 with a byte-order mark: read past it, as Hugo does
    text = text.removeprefix(BOM)
    handler = frontmatter.detect_format(text, HANDLERS.values())
    if not isinstance(handler, StrictHandler):
        # (a file just created by an editor, or truncated: say so, not what it lacks)
        empty = "the file is empty; " if not text.strip() else ""
        raise FrontMatterError(
            [(1, f"{empty}no front matter: the file must start with a '---' line (YAML) or "
                 "'+++' (TOML)")]
        )  # fmt: skip
    return handler.split_lines(text)


def dump_front_matter(data: Mapping[str, Any], body: str) -> str:
    """A content file: `data` as YAML front matter, then `body` as it is. Read back, it gives
    `data` again, but for dates, which come back as their ISO text (sitegen checks them)."""
    post = frontmatter.Post(body, YAML_HANDLER)
    post.metadata = dict(data)
    return frontmatter.dumps(post)
