"""The build cache: what the previous build made from which inputs, kept outside the output.

Two levels, both keyed by fingerprints of their inputs, never by time alone:
- per briefing file: the parsed Briefing and its HTML, reused while the file, the build
  settings that shape it, and the actor names it looked up are unchanged;
- per page: a key over the page's template set, settings and the fingerprints of the content
  it depends on (the page plan's `deps`); an unchanged page is hard-linked from the previous
  output instead of rendered again.
A cache that cannot be read is ignored: the build is then simply cold.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.diagnostics import Diagnostic
from sitegen.model import Briefing

CACHE_DIR = ".sitegen-cache"
_FORMAT = f"sitegen-cache-1-{__version__}"


def digest(*parts: Any) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(repr(part).encode("utf-8"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def file_stat(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def tree_fingerprint(folders: Iterable[Path]) -> str:
    """Names and contents of every file under the folders (templates: they are few)."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            hasher.update(str(path.relative_to(folder)).encode() + b"\x00" + path.read_bytes())
    return hasher.hexdigest()


class RecordingLookup(Mapping[str, str]):
    """The actor lookup, remembering every name asked for and the answer given, so that a
    cached briefing is reused only while those answers stay the same. It wraps the lookup
    without copying it (one is made per briefing)."""

    def __init__(self, lookup: Mapping[str, str]) -> None:
        self._lookup = lookup
        self.asked: dict[str, str | None] = {}

    def __getitem__(self, key: str) -> str:
        value = self._lookup.get(key)
        self.asked[key] = value
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._lookup.get(key)
        self.asked[key] = value
        return default if value is None else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._lookup)

    def __len__(self) -> int:
        return len(self._lookup)


@dataclass
class BriefingEntry:
    stat: tuple[int, int]
    fingerprint: str  # of the file's text
    context: str  # the build settings that shape the result
    asked: dict[str, str | None]  # actor names looked up -> the slug they gave
    briefing: Briefing | None
    html: list[str]
    diagnostics: list[Diagnostic]

    @functools.cached_property
    def key(self) -> str:
        """Everything the briefing's parsed form and HTML depend on."""
        return digest(self.fingerprint, self.context, sorted(self.asked.items()))

    def still_valid(self, lookup: dict[str, str]) -> bool:
        return all(lookup.get(name) == slug for name, slug in self.asked.items())


@dataclass
class CacheData:
    briefings: dict[str, BriefingEntry] = field(default_factory=dict)
    output: str = ""  # the output folder the page keys describe
    pages: dict[str, str] = field(default_factory=dict)  # output file -> page key


class BuildCache:
    """Two files: the briefings (large, rewritten only when one changed) and the pages."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        briefings = self._load("briefings.pickle", dict)
        pages = self._load("pages.pickle", tuple) or ("", {})
        self.data = CacheData(briefings, *pages)

    def _load(self, name: str, kind: type) -> Any:
        if self.folder is None or not (self.folder / name).is_file():
            return kind()
        try:
            with open(self.folder / name, "rb") as handle:
                stored_format, value = pickle.load(handle)
        except Exception:  # a damaged or foreign cache only costs a cold build
            return kind()
        return value if stored_format == _FORMAT and isinstance(value, kind) else kind()

    def _save(self, name: str, value: Any) -> None:
        assert self.folder is not None
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.")
        with os.fdopen(handle, "wb") as out:
            pickle.dump((_FORMAT, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / name)

    def save(self, data: CacheData) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n")
        old = self.data.briefings
        changed = old.keys() != data.briefings.keys() or any(
            old[path] is not entry for path, entry in data.briefings.items()
        )
        if changed:
            self._save("briefings.pickle", data.briefings)
        self._save("pages.pickle", (data.output, data.pages))
