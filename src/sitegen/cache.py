"""The build cache (.sitegen-cache/): its files, their format and their checksums.

What is kept, all of it keyed by hashes of its inputs (changes.py decides what is fresh):
- `sources.marshal`: what the last build saw of each source file: its stat and the hash of
  its bytes;
- `briefings/NN.marshal`: per briefing file, the small part of its parsed form the model
  needs (title, date, actors, where each actor appears...) and what it was made from, in
  shards (an edit rewrites one);
- `bodies/NAME.pack` and `NAME.idx`: per briefing, the rest (blocks, quotes, block HTML),
  found by the briefing's entry key, read only when a page that shows it is rendered; a
  few packs, each with its index (see BodyStore);
- `templates/KEY.marshal`: Jinja's compiled templates;
- `outputs/KEY.marshal`: per output folder, what each of its files holds (the hash of its
  bytes, and for pages the key of everything the page shows), so that a build renders only
  the pages whose key changed and writes only the files whose bytes changed;
- `outputs/KEY.pages.marshal` and `KEY.values.marshal`: per output folder, the pages its
  last build planned and the values their keys were made of (PlanRecord), so that a build
  whose plan is the same takes it as it is and works out only the keys that changed.

Every file starts with the cache's format and the hash of its payload. A file that fails its
checksum, or that reads but holds values of the wrong shape, is a warning: what it held is
made again, and nothing read from it is used. A cache of another version is ignored.

Values are records (nested tuples, lists and dicts of plain values) serialised with marshal,
many times faster than pickling the dataclasses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import marshal
import os
import secrets
import struct
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import jinja2
import markdown
import nh3

from sitegen import __version__
from sitegen.diagnostics import Diagnostic
from sitegen.keys import digest
from sitegen.model import Block, Briefing, Quote, Section
from sitegen.routes import Page
from sitegen.source import NotRegularFile, open_regular, read_regular, remove_quietly

CACHE_DIR = ".sitegen-cache"
# marshal's format may change between Python versions: a cache is only read by its own.
# 7: templates compile to other code (template_code.py), which an older sitegen cannot run
# 8: an output record keeps each file's stat (a file changed in the output is seen)
# 9: files are known by SHA-256 (keys.content_hash), no longer by BLAKE2
# 10: an output's planned pages are kept (PlanRecord); a heading's escaped last '#' is kept
#     in its text (entries made before kept it out)
# 11: a briefing's entry key (which names its body) digests its file's path too: two files
#     with the same bytes parse differently (their names give the date and the slug)
_FORMAT_NAME = "sitegen-cache-"  # how every version's header starts


def code_digest(package: Path | None = None) -> str:
    """A digest of sitegen's own Python code. A cache keeps what that code made (parsed
    briefings, their HTML, pages' keys), and the version number alone does not change
    between two commits a user installs from git or edits in place: a fix to the HTML of
    footnotes was not seen until `--no-cache`. (The theme's templates and files are sources
    of the build, tracked as the site's own are.) About 2 ms."""
    package = package or Path(__file__).resolve().parent
    found = hashlib.blake2b(digest_size=8)
    try:
        for path in sorted(package.rglob("*.py")):
            found.update(path.relative_to(package).as_posix().encode() + b"\0")
            found.update(path.read_bytes())
    except OSError:  # (a package that cannot be read as files: its version still counts)
        return "code-unknown"
    return found.hexdigest()


# the libraries whose output the cache keeps (the HTML of briefings' blocks): an upgraded
# Python-Markdown or nh3 kept the HTML the older one made until --no-cache (Jinja checks its
# own compiled templates)
LIBRARIES = f"markdown{markdown.__version__} nh3{getattr(nh3, '__version__', '')}"
FORMAT = (
    f"{_FORMAT_NAME}11 {__version__} {code_digest()} {LIBRARIES} "
    f"py{sys.version_info[0]}.{sys.version_info[1]}"
)
SOURCES = "sources.marshal"
BRIEFINGS = "briefings"  # BRIEFING_SHARDS files, each file's entry in the one its path hashes to
BRIEFING_SHARDS = 16
BODIES = "bodies"
OUTPUTS = "outputs"
TEMPLATES = "templates"

Stat = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode (see changes.py)


class Damaged(Exception):
    """A cache file that cannot be trusted; the message says why."""


def _is_problem(exc: BaseException) -> bool:
    return isinstance(exc, TypeError | ValueError | KeyError | IndexError | AttributeError)


# --------------------------------------------------------------------------- files


def write_checked(path: Path, value: Any) -> None:
    """Store a value with the format and its checksum, atomically (temporary file, rename)."""
    write_marshalled(path, marshal.dumps(value))


def write_marshalled(path: Path, payload: bytes) -> None:
    """write_checked for a value already marshalled."""
    header = f"{FORMAT}\n{checksum(payload)}\n".encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        try:
            fd = os.open(temporary, flags, 0o666)
        except FileNotFoundError:  # the folder is made by its first file only (bodies: 256)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(temporary, flags, 0o666)
        with open(fd, "wb") as handle:
            handle.write(header)
            handle.write(payload)
        try:
            os.replace(temporary, path)
        except IsADirectoryError:  # a folder where a cache file goes: the cache's own place
            remove_quietly(path)
            os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def checksum(payload: bytes) -> str:
    """A cache file's checksum. SHA-256 (its first 128 bits), which processors compute in
    hardware, checks the 12 MB of a 10,000-day site's cache three times faster than the
    BLAKE2 that keys.py keeps for short values; and a build reads all of it."""
    return hashlib.sha256(payload).hexdigest()[:32]


def read_checked(path: Path) -> Any:
    """The value of a cache file; None when there is none (or it is of another version).
    Raises Damaged when its bytes do not match its checksum or do not read."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None
    except NotRegularFile as exc:
        raise Damaged(str(exc)) from None
    except OSError as exc:
        raise Damaged(f"cannot be read ({exc.strerror or exc})") from None
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    if first < 0 or second < 0:
        raise Damaged("no header")
    if data[:first] != FORMAT.encode():
        if not data.startswith(_FORMAT_NAME.encode()):  # random bytes, another program's file
            raise Damaged("not a sitegen cache file")
        return None  # another version's cache: not damaged, just not ours
    payload = data[second + 1 :]
    if data[first + 1 : second] != checksum(payload).encode():
        raise Damaged("checksum mismatch")
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        raise Damaged("unreadable contents") from None


def damaged(root: Path, path: Path, why: str) -> Diagnostic:
    """The warning for a damaged cache file (reported relative to the site)."""
    try:
        shown = str(path.relative_to(root))
    except ValueError:
        shown = str(path)
    return Diagnostic(shown, None, f"damaged cache file ({why}); made again", "warning")


# --------------------------------------------------------------------------- briefings


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


BODY_FIELDS = frozenset({"blocks", "sections", "quotes", "references"})


class StoredBriefing(Briefing):
    """A briefing read from the cache: what the model needs is here at once, its body
    (blocks, sections, quotes, link definitions) is read from the cache the first time a
    page asks for it."""

    __slots__ = ("_entry",)
    _entry: BriefingEntry

    def __getattr__(self, name: str) -> Any:
        # only called for attributes not set yet: the body's fields until it is loaded
        if name in BODY_FIELDS:
            self._entry.load_body()
            return object.__getattribute__(self, name)
        raise AttributeError(name)


Repair = Callable[["BriefingEntry"], None]
# How far a file's mtime may lag the system clock (time.time_ns) at the moment it is written:
# Linux stamps files with a clock that advances once per tick (a few milliseconds), FAT and
# some network file systems to the second or two, and a file server's clock is its own. A
# pack another build wrote during this one, stamped a tick before this build's time_ns start,
# was taken for one finished before it and deleted by tidy (found reading the code: 1 file in
# 2,000 written just after time_ns() here has an mtime up to 5 ms earlier). As changes.py's
# RACY_NS: what is that recent is kept; the next build's tidy deletes it.
COARSE_NS = 2_000_000_000


@dataclass
class BodyStore:
    """The cache's briefing bodies, in packs (`bodies/NAME.pack`): each process that writes
    bodies in a build appends them to a pack of its own, and a record per body to the
    pack's index (`NAME.idx`: the body's key, where it is, and the checksum of the key and
    its bytes). A few large files cost this machine's file system far less than one file
    per briefing (10,000 files at 10,000 days). Packs are only appended to, so a killed
    build leaves whole records and at most a torn last one, which is never found; a body
    that fails its checksum is a warning and is made again; `tidy` deletes the packs no
    briefing uses any more and copies the live bodies of mostly dead or small packs into
    one. `repair` (set by the loader) makes a body again from its source when it is
    missing or damaged; `problems` collects the warnings."""

    folder: Path
    root: Path
    repair: Repair | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    loaded: list[BriefingEntry] | None = None  # when set, the entries that read their body
    # key -> (pack, offset, length, checksum); packs are named by their index in _packs
    _where: dict[bytes, tuple[int, int, int, bytes]] = field(default_factory=dict)
    _packs: list[str] = field(default_factory=list)
    _indexed: dict[str, int] = field(default_factory=dict)  # index file -> bytes read of it
    _readers: dict[str, int] = field(default_factory=dict)  # pack -> descriptor
    _reader_pid: int = 0
    _writer: tuple[int, int, int, int] | None = None  # (pid, pack fd, index fd, number)
    # this build's start, by the system clock, less the coarsest file-system timestamps
    # (below): a file written since has a later mtime, whatever its file system's resolution
    _started: int = field(default_factory=lambda: time.time_ns() - COARSE_NS)

    @property
    def packs(self) -> Path:
        return self.folder / BODIES

    def read(self, key: str) -> tuple | None:
        """A body, checked; None when no index names it, or when it is damaged (then
        with a warning naming its pack)."""
        binary = bytes.fromhex(key)
        where = self._where.get(binary)
        if where is None:
            self._refresh()  # written since by another process of this build, or by a repair
            where = self._where.get(binary)
            if where is None:
                return None
        path = self.packs / f"{self._packs[where[0]]}.pack"
        try:
            record = self._load(binary, where)
            _check_body(record)
            return record
        except (Damaged, NotRegularFile) as exc:
            self._warn(path, str(exc))
        except OSError as exc:
            self._warn(path, f"cannot be read ({exc.strerror})")
        except Exception as exc:  # a readable body of the wrong shape
            if not _is_problem(exc):
                raise
            self._warn(path, "unexpected contents")
        self._where.pop(binary, None)  # made again and written anew, elsewhere
        return None

    def _warn(self, path: Path, why: str) -> None:
        """One warning per pack and reason, not one per body of a damaged pack."""
        problem = damaged(self.root, path, why)
        if problem not in self.problems:
            self.problems.append(problem)

    def _load(self, binary: bytes, where: tuple[int, int, int, bytes]) -> Any:
        number, offset, length, check = where
        payload = self._read_at(self._packs[number], offset, length)
        if len(payload) != length or _pack_checksum(binary, payload) != check:
            raise Damaged("checksum mismatch")
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            raise Damaged("unreadable contents") from None

    def _read_at(self, pack: str, offset: int, length: int) -> bytes:
        if self._reader_pid != os.getpid():  # a forked worker: descriptors of its own
            self._readers, self._reader_pid = {}, os.getpid()
        fd = self._readers.get(pack)
        if fd is None:
            fd = self._readers[pack] = open_regular(self.packs / f"{pack}.pack")[0]
        if hasattr(os, "pread"):
            return os.pread(fd, length, offset)
        os.lseek(fd, offset, os.SEEK_SET)  # (Windows) the descriptor is this process's own
        return os.read(fd, length)

    def write(self, key: str, record: tuple) -> None:
        self.write_marshalled(key, marshal.dumps(record))

    def write_marshalled(self, key: str, payload: bytes) -> None:
        self.write_many([(key, payload)])

    def write_many(self, bodies: Sequence[tuple[str, bytes]]) -> None:
        """Append bodies to this process's pack, then their records to the pack's index (a
        record is only written once the bytes it names are): one write for each file,
        whatever the number of bodies (a cold build writes a body per briefing)."""
        fd, index, number = self._writer_for_process()
        offset = os.lseek(fd, 0, os.SEEK_END)
        records, where = [], []
        for key, payload in bodies:
            binary = bytes.fromhex(key)
            check = _pack_checksum(binary, payload)
            records.append(_PACK_RECORD.pack(binary, offset, len(payload), check))
            where.append((binary, (number, offset, len(payload), check)))
            offset += len(payload)
        _write_all(fd, b"".join(payload for _, payload in bodies))
        _write_all(index, b"".join(records))
        self._indexed[f"{self._packs[number]}.idx"] += sum(map(len, records))
        self._where.update(where)

    def _writer_for_process(self) -> tuple[int, int, int]:
        """This process's pack and index descriptors, and the pack's number."""
        writer = self._writer
        if writer is not None and writer[0] == os.getpid():
            return writer[1:]
        self.packs.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(6)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(self.packs / f"{name}.pack", flags, 0o666)
        index = os.open(self.packs / f"{name}.idx", flags, 0o666)
        _write_all(index, _PACK_HEADER)
        self._indexed[f"{name}.idx"] = len(_PACK_HEADER)
        self._packs.append(name)
        self._writer = (os.getpid(), fd, index, len(self._packs) - 1)
        return self._writer[1:]

    def _refresh(self) -> None:
        """Read what the index files gained since last read (new files, longer ones),
        oldest pack first: a body written later (made again) wins over an earlier one."""
        try:
            found = [(e.stat().st_mtime_ns, e.name) for e in os.scandir(self.packs)]
        except OSError:
            return
        for _, filename in sorted(f for f in found if f[1].endswith(".idx")):
            self._read_index(filename)

    def _read_index(self, filename: str) -> None:
        start = self._indexed.get(filename, 0)
        try:
            with open(open_regular(self.packs / filename)[0], "rb") as handle:  # a FIFO: no wait
                handle.seek(start)
                data = handle.read()
        except OSError:
            return
        if start == 0:
            if not data.startswith(_PACK_HEADER):
                return  # another version's (tidy deletes it) or torn at its start
            data, start = data[len(_PACK_HEADER) :], len(_PACK_HEADER)
        whole = len(data) - len(data) % _PACK_RECORD.size  # a killed writer's torn record
        if not whole:
            return
        self._indexed[filename] = start + whole
        name = filename.removesuffix(".idx")
        if name not in self._packs:
            self._packs.append(name)
        number = self._packs.index(name)
        for binary, offset, length, check in _PACK_RECORD.iter_unpack(data[:whole]):
            self._where[binary] = (number, offset, length, check)

    def keys(self) -> set[str]:
        """The keys of every body the packs hold (dead ones too, until `tidy` drops them)."""
        self._refresh()
        return {binary.hex() for binary in self._where}

    def close(self) -> None:
        """Close this process's pack and the packs it read."""
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
            os.close(self._writer[2])
        self._writer = None
        if self._reader_pid == os.getpid():
            for fd in self._readers.values():
                os.close(fd)
        self._readers = {}

    def tidy(self, live: Iterable[str]) -> None:
        """After a build: delete the packs (and anything else in the folder, such as an
        older version's bodies) that no briefing uses and that were not written during
        this build by another one; copy the live bodies of packs that are mostly dead, or
        small ones once there are many, into one new pack."""
        self.close()
        if not self.packs.is_dir():
            return
        self._refresh()
        keys = {bytes.fromhex(key) for key in live}
        used: dict[int, int] = {}  # pack number -> bytes of live bodies
        for binary, where in self._where.items():
            if binary in keys:
                used[where[0]] = used.get(where[0], 0) + where[2]
        sizes: dict[str, int] = {}  # live packs finished before this build -> their size
        for entry in os.scandir(self.packs):
            name, suffix = os.path.splitext(entry.name)
            number = self._pack_number(name) if suffix in (".pack", ".idx") else None
            stat = entry.stat(follow_symlinks=False)
            if number is not None and number in used:
                if suffix == ".pack" and stat.st_mtime_ns < self._started:
                    sizes[name] = stat.st_size
            elif stat.st_mtime_ns < self._started:
                remove_quietly(Path(entry.path))
        dead = {name for name, size in sizes.items() if used[self._packs.index(name)] * 2 < size}
        small = {name for name, size in sizes.items() if size < SMALL_PACK}
        if len(sizes) > MAX_PACKS and len(small) > 1:
            dead |= small
        if dead:
            self._merge(dead, keys)
        self.close()

    def _pack_number(self, name: str) -> int | None:
        try:
            return self._packs.index(name)
        except ValueError:
            return None

    def _merge(self, victims: set[str], keys: set[bytes]) -> None:
        numbers = {self._packs.index(name) for name in victims}
        moving = [(b, w) for b, w in self._where.items() if w[0] in numbers and b in keys]
        for binary, (number, offset, length, check) in sorted(moving, key=lambda m: m[1][:2]):
            try:
                payload = self._read_at(self._packs[number], offset, length)
            except OSError:
                continue
            if _pack_checksum(binary, payload) == check:  # else left out: made again
                self.write_marshalled(binary.hex(), payload)
        self.close()
        for name in victims:  # the index first: a pack without one is never read
            remove_quietly(self.packs / f"{name}.idx")
            remove_quietly(self.packs / f"{name}.pack")
        for binary in [b for b, w in self._where.items() if w[0] in numbers]:
            del self._where[binary]

    def remove(self, key: str) -> None:
        """Forget a body (its bytes go when `tidy` deletes or merges its pack)."""
        self._where.pop(bytes.fromhex(key), None)


# a pack index: its format line, then per body: key, offset, length, checksum of key + body
_PACK_HEADER = f"{FORMAT} bodies\n".encode()
_PACK_RECORD = struct.Struct("<16sQI16s")
MAX_PACKS = 8  # above this many packs, the small ones are merged into one
SMALL_PACK = 4 << 20


def _pack_checksum(key: bytes, payload: bytes) -> bytes:
    check = hashlib.sha256(key)
    check.update(payload)
    return check.digest()[:16]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class BriefingEntry:
    """One briefing file as a build read it: the hash of its text, the settings and actor
    lookups its result depends on, the parsed briefing, its block HTML, its problems."""

    __slots__ = (
        "_asked",
        "_asked_record",
        "_html",
        "_key",
        "_store",
        "briefing",
        "context",
        "dep_values",
        "diagnostics",
        "fingerprint",
        "path",
    )

    def __init__(
        self, fingerprint: str, context: str, asked: dict[str, str | None] | None,
        briefing: Briefing | None, html: Sequence[str] | None, diagnostics: list[Diagnostic],
        store: BodyStore | None = None, path: str = "",
    ) -> None:  # fmt: skip
        self.fingerprint = fingerprint
        self.path = path  # the briefing file's: its name gives the date and the slug
        self.context = context
        self._asked: dict[str, str | None] | None = asked
        self._asked_record: bytes | None = None  # the same, marshalled: as the cache keeps it
        self.briefing = briefing
        self.diagnostics = diagnostics
        self._html = html  # None: still in the body store
        self._store = store
        self._key: str | None = None
        # the values of the briefing's dependencies (changes.briefing_values), once worked out
        self.dep_values: tuple | None = None

    @property
    def key(self) -> str:
        """Everything the briefing's parsed form and HTML depend on; names its body. The
        file's path is part of it: the same bytes in another file (copied over it) may parse
        to another briefing, or to none (a date that disagrees with its name), and the body
        of one must never be taken for the other's."""
        if self._key is None:
            asked = sorted(self.asked.items())
            self._key = digest(self.fingerprint, self.context, asked, self.path)
        return self._key

    @property
    def asked(self) -> dict[str, str | None]:
        """Every actor name the briefing looked up, and the answer it got. An entry read
        from the cache keeps them marshalled until asked: a build needs them only when the
        actor lookup changed, and 10,000 small dicts cost a rebuild more to read than
        everything else in its entry."""
        if self._asked is None:
            asked = marshal.loads(self._asked_record or b"")
            if not isinstance(asked, dict):
                raise TypeError("not the names an entry looked up")
            self._asked = asked
        return self._asked

    def _asked_marshalled(self) -> bytes:
        if self._asked_record is None:
            self._asked_record = marshal.dumps(self.asked)
        return self._asked_record

    @property
    def store(self) -> BodyStore | None:
        return self._store

    def detach(self) -> None:
        """Let go of the body store (once the body is loaded): for entries that outlive
        the build that read them."""
        self._store = None

    def still_valid(self, lookup: Mapping[str, str]) -> bool:
        try:
            asked = self.asked
        except (EOFError, ValueError, TypeError):  # a damaged record: made again
            return False
        return all(lookup.get(name) == slug for name, slug in asked.items())

    @property
    def body_loaded(self) -> bool:
        """Whether the body is in memory (else it is read from the store when asked for)."""
        return self._html is not None

    @property
    def html(self) -> Sequence[str]:
        if self._html is None:
            self.load_body()
        assert self._html is not None
        return self._html

    def load_body(self) -> None:
        """Read the body from the store; if it is missing or damaged, have it made again."""
        store, briefing = self._store, self.briefing
        record = store.read(self.key) if store is not None else None
        if record is not None and briefing is not None:
            self.fill(record)
        elif store is not None and store.repair is not None:
            store.repair(self)
        if self._html is None:
            raise RuntimeError(f"the cached body of {briefing and briefing.path} is lost")
        if store is not None and store.loaded is not None:
            store.loaded.append(self)

    def unload(self) -> None:
        """Let go of a body read from the store (it is read again when asked for)."""
        briefing = self.briefing
        if isinstance(briefing, StoredBriefing):
            for name in BODY_FIELDS:
                with contextlib.suppress(AttributeError):
                    delattr(briefing, name)
            self._html = None

    def fill(self, record: tuple, arena: bytearray | None = None) -> None:
        """Take a body record; with an arena, its block HTML is kept packed in it."""
        blocks, sections, quotes, references, html = record
        briefing = self.briefing
        if briefing is not None:
            briefing.blocks = [Block(*x) for x in blocks]
            briefing.sections = [Section(*x) for x in sections]
            briefing.quotes = [Quote(*x) for x in quotes]
            briefing.references = references
        self._html = list(html) if arena is None else PackedHtml.of(html, arena)

    def replace_with(self, other: BriefingEntry) -> None:
        """Take another entry's briefing and body (a repair made from the same source)."""
        if self.briefing is not None and other.briefing is not None:
            self.fill(body_record(other))
        else:
            self._html = other.html

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BriefingEntry):
            return NotImplemented
        return (self._compared(), body_record(self)) == (other._compared(), body_record(other))

    def _compared(self) -> tuple:
        """What makes two entries equal: the record, its lookups as values (two equal
        dicts may marshal to different bytes), without the dependency values (worked out
        from the rest, when first needed)."""
        record = self.meta_record()
        return (record[:3], self.asked, record[4:-1])

    # unhashable: equal entries may change (typeshed declares unhashable types the same way)
    __hash__ = None  # type: ignore[assignment]

    # ---- records (see the module's docstring)

    def meta_record(self) -> tuple:
        briefing = _meta_of(self.briefing) if self.briefing is not None else None
        diagnostics = [(d.path, d.line, d.message, d.severity) for d in self.diagnostics]
        asked = self._asked_marshalled()
        return (self.key, self.fingerprint, self.context, asked, briefing, diagnostics,
                self.dep_values)  # fmt: skip

    @classmethod
    def from_records(
        cls, meta: tuple, body: tuple | None = None, store: BodyStore | None = None,
        arena: bytearray | None = None,
    ) -> BriefingEntry:  # fmt: skip
        key, fingerprint, context, asked, briefing, diagnostics, dep_values = meta
        if not (isinstance(asked, bytes) and isinstance(fingerprint, str)):
            raise TypeError("not an entry")
        if dep_values is not None and not isinstance(dep_values, tuple):
            raise TypeError("not an entry")
        entry = cls(
            fingerprint, context, None, None, None, [Diagnostic(*d) for d in diagnostics], store
        )
        entry._asked_record = asked
        entry._key = key  # made by this very code from these values: not worked out again
        entry.dep_values = dep_values
        if briefing is not None:
            entry.briefing = _briefing_of(briefing, entry, full=body is not None)
        if body is not None:
            _check_body(body)
            entry.fill(body, arena)
        elif briefing is None:
            entry._html = []
        return entry


class PackedHtml(Sequence[str]):
    """A briefing's block HTML, kept as UTF-8 in an arena (a bytearray shared by the
    briefings read together) and decoded block by block when asked for.

    Forked render workers read every briefing's HTML. Reading a Python object writes its
    reference count, which makes the worker copy the page the object lives on: strings
    would be copied into every worker. The arena's bytes are only read, so the workers
    share them with the build; and UTF-8 takes half the room of the strings (curly quotes
    and accented names make most of them two bytes a character)."""

    __slots__ = ("_arena", "_ends")

    def __init__(self, arena: bytearray, ends: array) -> None:
        self._arena = arena
        self._ends = ends  # where each block starts (first) and ends (the rest)

    @classmethod
    def of(cls, pieces: Iterable[str], arena: bytearray) -> PackedHtml:
        ends = array("Q", [len(arena)])
        for piece in pieces:
            arena += piece.encode("utf-8", "surrogatepass")
            ends.append(len(arena))
        return cls(arena, ends)

    def __len__(self) -> int:
        return len(self._ends) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        ends = self._ends
        return self._arena[ends[index] : ends[index + 1]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:  # (Sequence's would check each index twice)
        arena, ends = self._arena, self._ends
        for index in range(len(ends) - 1):
            yield arena[ends[index] : ends[index + 1]].decode("utf-8", "surrogatepass")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedHtml | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like a list

    def __reduce__(self) -> tuple:
        return list, (list(self),)  # pickled alone, not with the whole arena


def body_record(entry: BriefingEntry) -> tuple:
    b = entry.briefing
    if b is None:
        return ((), (), (), "", list(entry.html))
    html = list(entry.html)  # loads the body first if it is still in the store
    return (
        [(x.kind, x.number, x.anchor, x.text, x.line, x.section, x.actors) for x in b.blocks],
        [(x.title, x.anchor, x.line) for x in b.sections],
        [(x.text, x.actor, x.item) for x in b.quotes],
        b.references,
        html,
    )


def _check_body(record: Any) -> None:
    """A body record of the wrong shape raises here, before anything is built from it."""
    blocks, sections, quotes, references, html = record
    if not (isinstance(references, str) and isinstance(html, list | tuple)):
        raise TypeError("not a body")
    if len(html) != len(blocks) or any(not isinstance(piece, str) for piece in html):
        raise TypeError("not the HTML of its blocks")
    for items, size in ((blocks, 7), (sections, 3), (quotes, 3)):
        if any(len(item) != size for item in items):
            raise TypeError("not a body")


def _meta_of(b: Briefing) -> tuple:
    return (
        b.path, b.fingerprint, b.title, b.date.toordinal(), b.slug, b.summary, b.url,
        b.credits, b.source, b.draft, b.review, b.actors, b.appearances,
    )  # fmt: skip


def _briefing_of(r: tuple, entry: BriefingEntry, full: bool) -> Briefing:
    path, fingerprint, title, day, slug, summary, url, credits, source, draft, review = r[:11]
    actors, appearances = r[11:]
    if not isinstance(appearances, dict):
        raise TypeError("not a briefing")
    for each in appearances.values():  # (blocks, quotes, unquoted), read by _timelines
        if not (isinstance(each, tuple) and len(each) == 3):
            raise TypeError("not a briefing's appearances")
    briefing = Briefing.__new__(Briefing if full else StoredBriefing)
    briefing.path = path
    briefing.fingerprint = fingerprint
    briefing.title = title
    briefing.date = dt.date.fromordinal(day)
    briefing.slug = slug
    briefing.summary = summary
    briefing.url = url
    briefing.credits = list(credits)
    briefing.source = source
    briefing.draft = draft
    briefing.review = review
    briefing.actors = tuple(actors)
    briefing.appearances = appearances
    if isinstance(briefing, StoredBriefing):  # (not full)
        briefing._entry = entry
    return briefing


# --------------------------------------------------------------------------- the state


@dataclass
class SourceState:
    """What a build saw of the site's source files (changes.py compares it with now)."""

    scanned_at: int = 0  # time.time_ns() just before the stats were taken
    files: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # path -> (stat, hash)
    templates: dict[str, list[str] | None] = field(default_factory=dict)  # see changes.py

    def record(self) -> tuple:
        return (self.scanned_at, self.files, self.templates)


class BuildCache:
    """The cache folder of one site; `folder` None: no cache (--no-cache)."""

    def __init__(self, folder: Path | None, root: Path) -> None:
        self.folder = folder
        self.root = root
        self.problems: list[Diagnostic] = []
        self.bodies = BodyStore(folder, root, problems=self.problems) if folder else None
        self.templates = TemplateCode(folder, root, self.problems) if folder else None
        # briefing shards found damaged: written again by the next save, even when no
        # briefing of the site falls in them any more (a moved site's old entries)
        self._damaged_shards: set[int] = set()

    def _read(self, name: str) -> tuple[Path, Any]:
        assert self.folder is not None
        path = self.folder / name
        try:
            return path, read_checked(path)
        except Damaged as exc:
            self.problems.append(damaged(self.root, path, str(exc)))
            return path, None

    def _wrong_shape(self, path: Path, exc: Exception) -> None:
        if not _is_problem(exc):
            raise exc
        self.problems.append(damaged(self.root, path, "unexpected contents"))

    def load_sources(self) -> SourceState:
        if self.folder is None:
            return SourceState()
        path, value = self._read(SOURCES)
        if value is None:
            return SourceState()
        try:
            scanned_at, files, templates = value
            if not (isinstance(scanned_at, int) and isinstance(files, dict)):
                raise TypeError("not a source state")
            for stat, hashed in files.values():
                if len(stat) != 4 or not isinstance(hashed, str):
                    raise TypeError("not a file state")
            return SourceState(scanned_at, files, dict(templates))
        except Exception as exc:
            self._wrong_shape(path, exc)
            return SourceState()

    def save_sources(self, state: SourceState) -> None:
        if self.folder is not None:
            write_checked(self.folder / SOURCES, state.record())

    def load_briefings(self) -> Briefings:
        """The entries of the briefing files, bodies left in the store until asked for."""
        found = Briefings()
        if self.folder is None or not (self.folder / BRIEFINGS).is_dir():
            return found
        for shard in range(BRIEFING_SHARDS):
            path, value = self._read(f"{BRIEFINGS}/{shard:02d}.marshal")
            if value is None:
                if os.path.lexists(path):  # damaged, or another version's: made again
                    self._damaged_shards.add(shard)
                continue
            try:
                lookup, records = value
                entries = {
                    name: BriefingEntry.from_records(meta, None, self.bodies)
                    for name, meta in records.items()
                }
            except Exception as exc:
                self._wrong_shape(path, exc)
                self._damaged_shards.add(shard)
                continue
            found.entries.update(entries)
            found.lookups.update(dict.fromkeys(entries, lookup))
        return found

    def save_briefings(
        self, entries: Mapping[str, BriefingEntry], lookup: str, changed: Iterable[str]
    ) -> None:
        """Store the entries, rewriting only the shards that hold a changed file (or
        all of them for a new actor lookup, `lookup` being its digest)."""
        if self.folder is None:
            return
        dirty = {shard_of(name) for name in changed} | self._damaged_shards
        self._damaged_shards = set()
        shards: dict[int, dict[str, tuple]] = {number: {} for number in dirty}
        for name, entry in entries.items():
            records = shards.get(shard_of(name))
            if records is not None:
                records[name] = entry.meta_record()
        for number, records in shards.items():
            write_checked(self.folder / BRIEFINGS / f"{number:02d}.marshal", (lookup, records))

    # ---- what an output folder holds

    def load_output(self, out: Path) -> OutputRecord | None:
        if self.folder is None:
            return None
        path, value = self._read(f"{OUTPUTS}/{digest(str(out))}.marshal")
        if value is None:
            return None
        try:
            if isinstance(value, tuple) and len(value) == 6:  # (an older sitegen's record)
                return None
            where, generation, inputs, files, search, stats, warnings = value
            if where != str(out) or not isinstance(files, dict) or not isinstance(search, dict):
                raise TypeError("not an output record")
            for content, key in files.values():
                if not (isinstance(content, str) and isinstance(key, str)):
                    raise TypeError("not a file record")
            if not isinstance(stats, dict) or stats.keys() != files.keys():
                raise TypeError("not the files' stats")
            for stat in stats.values():
                if not (isinstance(stat, tuple) and all(isinstance(n, int) for n in stat)):
                    raise TypeError("not a file's stat")
            shown = [Diagnostic(*warning) for warning in warnings]
            if not all(isinstance(d.path, str) and isinstance(d.message, str) for d in shown):
                raise TypeError("not a warning")
            return OutputRecord(generation, inputs, files, search, stats, shown)
        except Exception as exc:
            self._wrong_shape(path, exc)
            return None

    def save_output(self, out: Path, record: OutputRecord) -> None:
        if self.folder is None:
            return
        value = (
            str(out), record.generation, record.inputs, record.files, record.search, record.stats,
            [(d.path, d.line, d.message, d.severity) for d in record.warnings],
        )  # fmt: skip
        write_checked(self.folder / OUTPUTS / f"{digest(str(out))}.marshal", value)

    # ---- what the last build planned

    def load_plan(self, out: Path, generation: str) -> PlanRecord | None:
        """The plan of the build that made this output's `generation` (the output record's),
        or None: none kept, or kept for another generation."""
        if self.folder is None:
            return None
        name = digest(str(out))
        path, value = self._read(f"{OUTPUTS}/{name}.values.marshal")
        if value is None:
            return None
        try:
            where, made_for, planned, values, closures = value
            if where != str(out) or made_for != generation:
                return None  # a build that stopped after its plan was kept: not ours
            if not (isinstance(values, dict) and isinstance(closures, dict)):
                raise TypeError("not the values of a plan")
        except Exception as exc:
            self._wrong_shape(path, exc)
            return None
        path, value = self._read(f"{OUTPUTS}/{name}.pages.marshal")
        if value is None:
            return None
        try:
            where, digest_of_pages, columns = value
            if where != str(out) or digest_of_pages != planned:
                return None
            pages = _pages_of(columns)
        except Exception as exc:
            self._wrong_shape(path, exc)
            return None
        return PlanRecord(generation, planned, pages, values, closures)

    def save_plan(self, out: Path, plan: PlanRecord, with_pages: bool) -> None:
        """Keep the plan's values, and its pages when they are new (an edit's build takes
        the last plan's: they are the same)."""
        if self.folder is None:
            return
        name = digest(str(out))
        if with_pages:
            pages = (str(out), plan.digest, _columns_of(plan.pages))
            write_checked(self.folder / OUTPUTS / f"{name}.pages.marshal", pages)
        values = (str(out), plan.generation, plan.digest, plan.values, plan.closures)
        write_checked(self.folder / OUTPUTS / f"{name}.values.marshal", values)


_PAGE_FIELDS = ("url", "output", "template", "kind", "key", "sources", "deps")
_PAGE_TYPES = (str, str, str, str, tuple, tuple, tuple)


def _columns_of(pages: list[Page]) -> tuple[list, ...]:
    """Pages as one list per field: marshalled and read back faster than a tuple each."""
    return tuple([getattr(page, name) for page in pages] for name in _PAGE_FIELDS)


def _pages_of(columns: Any) -> list[Page]:
    if not (isinstance(columns, tuple) and len(columns) == len(_PAGE_FIELDS)):
        raise TypeError("not a plan's pages")
    count = len(columns[0])
    for column, kind in zip(columns, _PAGE_TYPES, strict=True):
        if not isinstance(column, list) or len(column) != count:
            raise TypeError("not a plan's pages")
        if {type(value) for value in column} - {kind}:
            raise TypeError("not a page's field")
    # each page's fields set at once: a frozen dataclass's __init__ takes twice as long
    make, pages = object.__new__, []
    for values in zip(*columns, strict=True):
        page = make(Page)
        page.__dict__.update(zip(_PAGE_FIELDS, values, strict=True))
        pages.append(page)
    return pages


def shard_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % BRIEFING_SHARDS


@dataclass
class Briefings:
    """The cached briefing entries, and per file the digest of the actor lookup its entry
    was last checked against (equal to today's: no need to check its lookups again)."""

    entries: dict[str, BriefingEntry] = field(default_factory=dict)
    lookups: dict[str, str] = field(default_factory=dict)


@dataclass
class OutputRecord:
    """What an output folder holds, as of the generation its marker names (output.py)."""

    generation: str
    inputs: str  # a digest of every input (changes.Inputs): equal, and nothing has changed
    files: dict[str, tuple[str, str]]  # output file -> (hash of its bytes, page key or "")
    search: dict[str, str] = field(default_factory=dict)  # search partition -> its key
    # output file -> (size, mtime_ns, ctime_ns) after the commit: a file that differs was
    # changed or removed by someone else since, and is made again
    stats: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # the build's warnings, shown again by a build that finds nothing changed
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass
class PlanRecord:
    """The pages a build planned (routes.plan_pages) and what they follow from (a digest,
    changes.plan_digest), with the values their keys were made of: every dependency's, and
    every page template's closure (changes.plan_keys). Kept for the output generation that
    build made, whose record holds the keys."""

    generation: str
    digest: str
    pages: list[Page]
    values: dict[str, int]
    closures: dict[str, str]


class TemplateCode(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept between builds (compiling them anew takes a tenth
    of a second); each file checksummed like the rest of the cache. Jinja itself checks
    that a template's source is unchanged before it uses its compiled code."""

    def __init__(self, folder: Path, root: Path, problems: list[Diagnostic]) -> None:
        self.folder, self.root, self.problems = folder / TEMPLATES, root, problems

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self.folder / f"{bucket.key}.marshal"
        try:
            code = read_checked(path)
        except Damaged as exc:
            self.problems.append(damaged(self.root, path, str(exc)))
            return
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # not kept: compiled again next time
            write_checked(self.folder / f"{bucket.key}.marshal", bucket.bytecode_to_string())


def prepare_folder(folder: Path) -> list[Path]:
    """Make the cache folder (and keep it out of git) before anything is written into it.
    A link there, or to a folder inside it, is refused: the cache would be written wherever
    it leads (the content, templates and static files refuse links out of the site too).
    Returns the cache's own folders that were something else (a file, a FIFO), replaced by
    empty folders: else every build would warn that it cannot write them."""
    linked = _a_linked_folder(folder)
    if linked is not None:
        raise OSError(f"{linked.relative_to(folder.parent)} is a link")
    if os.path.lexists(folder) and not folder.is_dir():  # someone's file: not ours to remove
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    replaced = []
    for name in (BRIEFINGS, BODIES, OUTPUTS, TEMPLATES):
        sub = folder / name
        if os.path.lexists(sub) and not sub.is_dir():
            remove_quietly(sub)
            replaced.append(sub)
        sub.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if os.path.islink(ignore) or not ignore.is_file():
        remove_quietly(ignore)  # (a FIFO there: writing would wait for a reader for ever)
        ignore.write_text("*\n")
    _remove_dead_temporaries(folder)
    return replaced


def _remove_dead_temporaries(folder: Path) -> None:
    """Remove the temporary files (`.NAME.PID.tmp`, see write_marshalled) of builds killed
    while writing them; those of a process that still runs are another build's, at work."""
    for sub in (folder, folder / BRIEFINGS, folder / OUTPUTS, folder / TEMPLATES):
        for path in sub.glob(".*.tmp"):
            pid = path.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not _running(int(pid)):
                remove_quietly(path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or not a pid: left alone
    return True


def _a_linked_folder(folder: Path) -> Path | None:
    """The cache folder, or a folder below it, when it is a symbolic link."""
    if folder.is_symlink():
        return folder
    for root, folders, _ in os.walk(folder):
        for name in folders:
            if os.path.islink(os.path.join(root, name)):
                return Path(root, name)
    return None
