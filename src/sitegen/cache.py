"""The build cache: what the previous build made from which inputs, kept outside the output.

Two levels, both keyed by fingerprints of their inputs, never by time alone:
- per briefing file: the parsed Briefing and its HTML, reused while the file, the build
  settings that shape it, and the actor names it looked up are unchanged;
- per page: a key over the page's template set, settings and the fingerprints of the content
  it depends on (the page plan's `deps`); an unchanged page is hard-linked from the previous
  output instead of rendered again.
A cache that cannot be read is ignored: the build is then simply cold.

Briefing entries travel as records, nested tuples of plain values, serialised with marshal:
from the worker processes that read briefings to the build, and into the cache files. For
10,000 briefings that takes a fraction of a second; pickling the dataclasses took seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
import os
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.diagnostics import Diagnostic
from sitegen.model import Block, Briefing, Quote, Section

CACHE_DIR = ".sitegen-cache"
# marshal's format may change between Python versions: a cache is only read by its own
_FORMAT = f"sitegen-cache-2-{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"


def digest(*parts: Any) -> str:
    # repr writes control characters escaped, so the NUL separators cannot be forged
    text = "\x00".join([repr(part) for part in parts])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


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

    def record(self) -> tuple:
        """The entry as plain values (see the module's docstring)."""
        briefing = _briefing_record(self.briefing) if self.briefing is not None else None
        diagnostics = [(d.path, d.line, d.message, d.severity) for d in self.diagnostics]
        return (
            self.stat, self.fingerprint, self.context, self.asked, briefing, self.html,
            diagnostics,
        )  # fmt: skip

    @classmethod
    def from_record(cls, record: tuple) -> BriefingEntry:
        stat, fingerprint, context, asked, briefing, html, diagnostics = record
        return cls(
            tuple(stat), fingerprint, context, asked,
            _briefing_from_record(briefing) if briefing is not None else None, html,
            [Diagnostic(*d) for d in diagnostics],
        )  # fmt: skip


def _briefing_record(b: Briefing) -> tuple:
    return (
        str(b.path), b.fingerprint, b.title, b.date.toordinal(), b.slug, b.summary, b.url,
        b.credits, b.source, b.draft, b.review,
        [(x.kind, x.number, x.anchor, x.text, x.line, x.section, x.actors) for x in b.blocks],
        [(x.title, x.anchor, x.line) for x in b.sections],
        [(x.text, x.actor, x.item) for x in b.quotes],
        b.actors, b.references,
    )  # fmt: skip


def _briefing_from_record(r: tuple) -> Briefing:
    path, fingerprint, title, day, slug, summary, url, credits, source, draft, review = r[:11]
    blocks, sections, quotes, actors, references = r[11:]
    return Briefing(
        Path(path), fingerprint, title, dt.date.fromordinal(day), slug, summary, url, credits,
        source, draft, review, [Block(*x) for x in blocks], [Section(*x) for x in sections],
        [Quote(*x) for x in quotes], actors, references,
    )  # fmt: skip


def records_of(entries: dict[str, BriefingEntry]) -> dict[str, tuple]:
    return {path: entry.record() for path, entry in entries.items()}


def load_entries(data: bytes) -> dict[str, BriefingEntry]:
    return _from_records(marshal.loads(data))


def _from_records(records: dict[str, tuple]) -> dict[str, BriefingEntry]:
    return {path: BriefingEntry.from_record(record) for path, record in records.items()}


# The briefing entries are kept in shards, each briefing in the shard its path hashes to:
# an edit rewrites one shard (a few hundred kB at 10,000 briefings), and in a cold build the
# workers that read the briefings write the shards themselves, in parallel.
SHARDS = 64
SHARD_FOLDER = "briefings"


def shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % SHARDS


def _write_atomically(path: Path, value: Any) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        marshal.dump((_FORMAT, value), out)
    os.replace(temporary, path)


def write_shard(folder: Path, shard: int, records: dict[str, tuple]) -> None:
    """Store one shard's entries (folder: the cache folder), or remove an empty shard."""
    path = folder / SHARD_FOLDER / f"{shard:02d}.marshal"
    if records:
        _write_atomically(path, records)
    else:
        path.unlink(missing_ok=True)


def prepare_folder(folder: Path) -> None:
    """Make the cache folder (and keep it out of git) before anything is written into it."""
    (folder / SHARD_FOLDER).mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n")


@dataclass
class CacheData:
    briefings: dict[str, BriefingEntry] = field(default_factory=dict)
    output: str = ""  # the output folder the page keys describe
    pages: dict[str, str] = field(default_factory=dict)  # output file -> page key


class BuildCache:
    """The briefing shards (written while briefings are read, see build.read_briefings) and
    the page keys (written by `save`, after the output is in place)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        records: dict[str, tuple] = {}
        if folder is not None and (folder / SHARD_FOLDER).is_dir():
            for path in sorted((folder / SHARD_FOLDER).glob("*.marshal")):
                records.update(self._load(path, dict))
        pages = self._load(folder / "pages.marshal", tuple) if folder else ()
        try:
            briefings = _from_records(records)
        except Exception:  # records of another shape: a cold build
            briefings = {}
        self.data = CacheData(briefings, *(pages or ("", {})))

    @staticmethod
    def _load(path: Path, kind: type) -> Any:
        if not path.is_file():
            return kind()
        try:
            with open(path, "rb") as handle:
                stored_format, value = marshal.load(handle)
            if stored_format != _FORMAT or not isinstance(value, kind):
                return kind()
        except Exception:  # a damaged or foreign cache only costs a cold build
            return kind()
        return value

    def save(self, data: CacheData) -> None:
        """Store the page keys (the briefing shards are already written)."""
        if self.folder is None:
            return
        prepare_folder(self.folder)
        _write_atomically(self.folder / "pages.marshal", (data.output, data.pages))
        for name in ("briefings.pickle", "pages.pickle"):  # sitegen 0.1's cache
            (self.folder / name).unlink(missing_ok=True)
