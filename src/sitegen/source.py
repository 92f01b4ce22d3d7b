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

from sitegen import front_matter
from sitegen.diagnostics import Diagnostics
from sitegen.front_matter import FrontMatterError

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class SourceFile:
    """One content file: its front matter, body, and where each key sits in the file."""

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
            handler = front_matter.HANDLERS[self.front_format]
            self._lines = handler.key_lines(self.front_text, front_matter.FIRST_LINE)
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


def fingerprint(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def parse_source(path: Path, text: str, diags: Diagnostics) -> SourceFile | None:
    """A file's text (from read_text) as front matter and body (see front_matter.py)."""
    try:
        handler, front_text, body, body_line = front_matter.split(text)
        data = handler.load(front_text, front_matter.FIRST_LINE)
    except FrontMatterError as error:
        for line, message in error.problems:
            diags.error(path, line, message)
        return None
    return SourceFile(path, data, body, body_line, front_text, fingerprint(text), handler.name)


def load_file(path: Path, diags: Diagnostics) -> SourceFile | None:
    text = read_text(path, diags)
    return None if text is None else parse_source(path, text, diags)


def markdown_files(folder: Path) -> list[Path]:
    """Every `.md` file under folder, sorted, skipping hidden files and editor backups."""
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
    return [Path(path) for path in sorted(found)]  # sorting strings: far cheaper than Paths


def load_files(paths: Iterable[Path], diags: Diagnostics) -> list[SourceFile]:
    return [source for path in paths if (source := load_file(path, diags)) is not None]
