"""Errors and warnings that point at a file and line.

Every stage reports into a `Diagnostics` collector instead of raising on the first problem,
so that one run shows the editor every mistake at once (as Zola and MkDocs do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int | None
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


@dataclass
class Diagnostics:
    """Collects problems; `root` makes reported paths relative to the site folder."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def _where(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is None:
            return str(path)
        if path.is_absolute() and path.is_relative_to(self.root):
            return str(path.relative_to(self.root))  # even a link to nothing, as it is named
        if path.exists():
            try:
                return str(path.resolve().relative_to(self.root.resolve()))
            except ValueError:
                pass
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
