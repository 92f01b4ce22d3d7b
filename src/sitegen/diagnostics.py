"""Errors and warnings that point at a file and line.

Every stage reports into a `Diagnostics` collector instead of raising on the first problem,
so that one run shows the editor every mistake at once (as Zola and MkDocs do).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@functools.total_ordering
@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int | None
    message: str
    severity: Severity = "error"

    def _order(self) -> tuple[str, int, str, str]:
        """By file, then line: a problem of the whole file (no line) first. (Compared as
        fields, a line None beside a number of the same file was a TypeError.)"""
        return (self.path, -1 if self.line is None else self.line, self.message, self.severity)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self._order() < other._order()

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return one_line(f"{where}: {prefix}{self.message}")


def one_line(text: str) -> str:
    """The text with its control characters (a newline in a file's name, a byte that is
    not UTF-8 in one) written as Python escapes, so that a problem stays on one line and
    its path can be told apart from the next. Bidirectional overrides and isolates are
    escaped too: shown raw, they reorder the rest of the line ('evil\u202etxt.md')."""
    if text.isprintable():
        return text
    return "".join(repr(char)[1:-1] if _escaped(char) else char for char in text)


def _escaped(char: str) -> bool:
    return char in _BIDI_CONTROLS or unicodedata.category(char) in _ESCAPED


_ESCAPED = {"Cc", "Cs", "Zl", "Zp"}  # control characters, lone surrogates, line breaks
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Problems shown per file: 50,000 unknown keys in one front matter were 50,000 lines (4 MB).
SHOWN_PER_FILE = 20


def capped(diagnostics: list[Diagnostic], shown: int = SHOWN_PER_FILE) -> list[Diagnostic]:
    """The problems with at most `shown` of each file, the rest counted in one line after
    them (an error when any of them is)."""
    counts: dict[str, int] = {}
    for diagnostic in diagnostics:
        counts[diagnostic.path] = counts.get(diagnostic.path, 0) + 1
    if all(count <= shown for count in counts.values()):
        return diagnostics
    kept: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for diagnostic in diagnostics:
        seen[diagnostic.path] = seen.get(diagnostic.path, 0) + 1
        if seen[diagnostic.path] <= shown:
            kept.append(diagnostic)
        if seen[diagnostic.path] == shown and counts[diagnostic.path] > shown:
            kept.append(_more(diagnostic.path, diagnostics, shown))
    return kept


def _more(path: str, diagnostics: list[Diagnostic], shown: int) -> Diagnostic:
    hidden = [d for d in diagnostics if d.path == path][shown:]
    severity: Severity = "error" if any(d.severity == "error" for d in hidden) else "warning"
    more = f"{len(hidden):,} more problem{'s' if len(hidden) > 1 else ''} in this file"
    return Diagnostic(path, None, f"{more}, not shown: fix those above first", severity)


@dataclass
class Diagnostics:
    """Collects problems; `root` makes reported paths relative to the site folder."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def _where(self, path: Path | str) -> str:
        """The path relative to the site folder when it is inside it. The path's own name is
        kept, not what it links to (a link to /dev/zero is reported where it is), and a path
        that cannot be looked at (a broken link, a folder without permission) still is."""
        path = Path(path)
        if self.root is None or not path.is_absolute():  # "site.toml", "--base-url": as given
            return str(path)
        root = self.root.resolve()
        as_given = Path(os.path.abspath(path))
        for candidate in (as_given, Path(os.path.realpath(as_given.parent), as_given.name)):
            try:
                return str(candidate.relative_to(root))
            except ValueError:
                continue
        return str(path)

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(self._where(path), line, message, "error"))

    def warning(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(self._where(path), line, message, "warning"))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error."""
        self.items = [Diagnostic(d.path, d.line, d.message, "error") for d in self.items]


class SitegenError(Exception):
    """A user-facing failure: printed as its lines, never as a traceback."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic] | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("sitegen", None, diagnostics)]
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))
