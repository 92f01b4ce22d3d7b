"""Loading: read content files and split them into front matter and body.

This stage only reads and parses; it knows nothing of briefings or actors (see model.py).
Problems are reported as `path:line: message` into a Diagnostics collector.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitegen.diagnostics import Diagnostics

MAX_FILE_BYTES = 20 * 1024 * 1024
BOM = "\ufeff"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# Dates are validated by sitegen with a line number and a clear message, so YAML must leave
# them as text. The C loader is ~10x faster; the resolver table is Python-side either way.
_FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP_TAG]
        for first, entries in resolvers.items()
    }


class _FastLoader(_FastBase):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


_Duplicate = tuple[int, str, int]  # (0-based line, key, 0-based line of its first use)


def _construct(node: yaml.Node, loader: Any, duplicates: list[_Duplicate]) -> Any:
    """The Python value of a composed YAML node, as SafeLoader would make it, but faster
    for the strings, lists and mappings front matter is made of, and noting duplicate keys
    (YAML forbids them; PyYAML would silently keep the last). Every other node (numbers,
    booleans, null, merge keys, explicit tags) goes to PyYAML's safe constructor."""
    tag = node.tag
    if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _SEQ_TAG and isinstance(node, yaml.SequenceNode):
        return [_construct(item, loader, duplicates) for item in node.value]
    if tag == _MAP_TAG and isinstance(node, yaml.MappingNode):
        if any(key.tag != _STR_TAG for key, _ in node.value):  # merge keys, numbers as keys
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
    return loader.construct_object(node, deep=True)


class _CheckingLoader(yaml.SafeLoader):
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


@dataclass
class SourceFile:
    """One content file: its front matter, body, and where each key sits in the file."""

    path: Path
    front: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    front_text: str = ""
    fingerprint: str = ""
    _lines: dict[Any, int] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict[Any, int]:
        """key, (key, i), (key, i, sub) -> line; worked out only when a message needs it."""
        if self._lines is None:
            node = yaml.compose(self.front_text, Loader=_CheckingLoader)
            self._lines = _key_lines(node, 2) if node is not None else {}
        return self._lines

    def line(self, *key: Any) -> int:
        """Best line for a key path, falling back to its parent, then the first line."""
        while key:
            wanted = key[0] if len(key) == 1 else key
            if wanted in self.lines:
                return self.lines[wanted]
            key = key[:-1]
        return 1


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """The file as text with `\\n` line ends, or None after reporting why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.error(path, None, f"file is {size / 2**20:.1f} MiB; the limit is 20 MiB")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(path, None, f"cannot read file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        diags.error(path, line, f"not valid UTF-8: byte 0x{byte:02x} at column {column}")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(path: Path, text: str, diags: Diagnostics) -> tuple[str, str, int] | None:
    """(front matter text, body, body's first line) or None after reporting the problem."""
    if text.startswith(BOM):
        diags.error(path, 1, "file starts with a UTF-8 byte-order mark (BOM); save it without one")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        diags.error(path, 1, "no front matter: the file must start with a '---' line")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    diags.error(path, 1, "front matter is opened by '---' here but never closed by a '---' line")
    return None


def _reject_anchors(front: str) -> tuple[int, str] | None:
    """(0-based line, message) of the first YAML anchor or alias, which we refuse: a few
    nested aliases expand into gigabytes when the data is walked ("billion laughs")."""
    for event in yaml.parse(front, Loader=_CheckingLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line, f"YAML alias '*{event.anchor}' is not allowed"
        if getattr(event, "anchor", None):
            return event.start_mark.line, f"YAML anchor '&{event.anchor}' is not allowed"
    return None


def _key_lines(node: yaml.Node, first_line: int) -> dict[Any, int]:
    """Line of every top-level key, list item and list-item key, for error messages."""
    lines: dict[Any, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = key_node.value
        lines[key] = first_line + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[(key, i)] = first_line + item.start_mark.line
                if isinstance(item, yaml.MappingNode):
                    for sub_key, sub_value in item.value:
                        lines[(key, i, sub_key.value)] = first_line + sub_value.start_mark.line
    return lines


def _yaml_problem(exc: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str]:
    """The line and message of a YAML error, naming where an unclosed construct began."""
    mark = exc.problem_mark or exc.context_mark
    line = first_line + mark.line if mark else first_line
    message = f"invalid YAML: {exc.problem or exc.context}"
    start = exc.context_mark
    if exc.problem and exc.context and start is not None and first_line + start.line != line:
        message += f" ({exc.context} that starts on line {first_line + start.line})"
    return line, message


def parse_front_matter(
    path: Path, front: str, first_line: int, diags: Diagnostics
) -> dict[str, Any] | None:
    """Safe-load YAML front matter that starts at `first_line` of the file."""
    try:
        if "&" in front or "*" in front:  # only then can there be anchors: check precisely
            found = _reject_anchors(front)
            if found:
                diags.error(path, first_line + found[0], found[1])
                return None
        loader = _FastLoader(front)
        duplicates: list[_Duplicate] = []
        try:
            node = loader.get_single_node()
            data = _construct(node, loader, duplicates) if node is not None else {}
        finally:
            loader.dispose()
        if duplicates:
            for line, key, first in duplicates:
                message = f"duplicate key {key!r} (already on line {first_line + first})"
                diags.error(path, first_line + line, message)
            return None
    except yaml.MarkedYAMLError as exc:
        line, message = _yaml_problem(exc, first_line)
        diags.error(path, line, message)
        return None
    except yaml.YAMLError as exc:
        diags.error(path, first_line, f"invalid YAML: {exc}")
        return None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        diags.error(path, first_line, f"front matter must be a mapping of keys, not {kind}")
        return None
    return data


def fingerprint(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def parse_source(path: Path, text: str, diags: Diagnostics) -> SourceFile | None:
    """A file's text (from read_text) as front matter and body."""
    parts = split_front_matter(path, text, diags)
    if parts is None:
        return None
    front_text, body, body_line = parts
    data = parse_front_matter(path, front_text, 2, diags)
    if data is None:
        return None
    return SourceFile(path, data, body, body_line, front_text, fingerprint(text))


def load_file(path: Path, diags: Diagnostics) -> SourceFile | None:
    text = read_text(path, diags)
    return None if text is None else parse_source(path, text, diags)


def markdown_files(folder: Path) -> list[Path]:
    """Every `.md` file under folder, sorted, skipping hidden files and editor backups."""
    return [Path(name) for name in markdown_names(folder)]


def markdown_names(folder: Path) -> list[str]:
    """`markdown_files` as strings: a build lists 10,000 files, and Path objects cost."""
    if not folder.is_dir():
        return []
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            os.path.join(dirpath, name)
            for name in filenames
            if name.endswith(".md") and not name.startswith((".", "#"))
        )
    return sorted(found)


def load_files(paths: Iterable[Path], diags: Diagnostics) -> list[SourceFile]:
    return [source for path in paths if (source := load_file(path, diags)) is not None]


def site_files(folder: Path) -> list[Path]:
    """Every file under folder (templates, static files), sorted, skipping hidden files and
    folders; [] when there is no such folder. The one place that lists them."""
    if not folder.is_dir():
        return []
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(os.path.join(dirpath, name) for name in filenames if not name.startswith("."))
    return [Path(path) for path in sorted(found)]
