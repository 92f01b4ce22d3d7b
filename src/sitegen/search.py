"""Search: the Pagefind index of the site, made at build time, so that full-text search
works on a static host with no server and no network.

Pagefind (the `pagefind` package with its `bin` extra, a self-contained Rust program) reads
pages and writes an index in fragments that a browser loads as needed. Only elements marked
`data-pagefind-body` are indexed (the theme marks the digest of each day page);
`data-pagefind-filter` marks the actor and month filters.

The index is split into partitions (`plan_partitions`): day pages by blocks of years sized to
at most TARGET_PAGES pages, so that an edit re-indexes one block (about a second) instead of
the whole site, and the memory Pagefind takes is bounded by the largest block. A page's
partition follows from the page alone, so new days never move old ones. In the browser the
search page merges them (Pagefind's `mergeIndex`, all at once). On disk:

    pagefind/                    the scripts the search page loads (pagefind.js, the UI)
    pagefind/bundles.json        {"bundles": [{"path": ..., "tag": ...}, ...]}: every
                                 partition's URL, the newest days first (Pagefind's primary
                                 index), and a tag that changes with its content
    pagefind/days-2020-2022/     one partition's index (and the WebAssembly and worker
                                 the primary index needs)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostic, SitegenError
from sitegen.keys import digest
from sitegen.model import SiteModel
from sitegen.routes import Page

BUNDLE = "pagefind"  # the folder under the output, as Urls.search_bundle() links it
BUNDLES_FILE = "bundles.json"
# Page kinds in the index, and the partition each goes to (days: see plan_partitions).
# Actor pages are in "actors", a partition of their own (only their first page: see
# is_indexed), so that an actor's name finds their page; actor.html marks what is indexed.
INDEXED: dict[str, str | None] = {"day": None, "actor": "actors"}
TARGET_PAGES = 800  # per partition: about a second of Pagefind and 150 MB (search-partitions.md)
_SPANS = (1, 2, 3, 4, 5, 10, 20, 50, 100, 1000)  # years per block of days
# Pagefind's scripts for the page, kept once at the top of the bundle folder; the rest of
# what it writes (index, WebAssembly, web worker) stays in each partition.
SCRIPTS = frozenset({
    "pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-highlight.js",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-component-ui.js",
    "pagefind-component-ui.css",
})  # fmt: skip
ENTRY = "pagefind-entry.json"
# Pagefind runs at once per core. A run of one partition leaves a core idle in its serial
# phases; two per core keep both busy: indexing 10,000 days in 15 partitions took 17 s
# against 21 s for one index of everything (34 s with one run per core), in the same
# minutes, each about 150 MB.
RUNS_PER_CORE = 2


def pagefind_program() -> Path | None:
    """The Pagefind executable: PAGEFIND_BINARY_PATH, the `pagefind-bin(-extended)` package
    that `pip install 'pagefind[bin]'` brings, or one on PATH; None when there is none."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        program = get_executable()
    except (FileNotFoundError, OSError):
        return None
    return program if program is not None and program.is_file() else None


def search_program(config: SiteConfig) -> Path | None:
    """Pagefind's program when search is on; a missing one is an error before any output
    (of a build, and of each preview rebuild)."""
    if not config.search.enabled:
        return None
    program = pagefind_program()
    if program is None:
        message = (
            "search is on ([search] enabled = true) but Pagefind is not installed: "
            "pip install 'pagefind[bin]', or set enabled = false"
        )
        raise SitegenError([Diagnostic("site.toml", None, message)])
    return program


def program_identity(program: Path) -> tuple:
    """The program, by its path, size and time: another Pagefind may index differently."""
    status = program.stat()
    return (str(program), status.st_size, status.st_mtime_ns)


class SearchIndexError(Exception):
    """Pagefind failed; the message is its own output."""

    def __init__(self, message: str, partition: str | None = None) -> None:
        super().__init__(message)
        self.partition = partition


# Pagefind's last line when no page of a run had text it indexes
_NOTHING_INDEXED = "did not contain any html files"


def index_failure(
    exc: SearchIndexError | OSError, where: str, at_fault: Callable[[str], str]
) -> Diagnostic:
    """The line for a failed index: at the template of a partition whose pages have no
    text Pagefind reads (an empty data-pagefind-body, no <html> element: an edited
    day.html), else Pagefind's own words at `where` (the output). `at_fault` names the
    file to blame for a page template (render.own_template_at_fault: the site's base.html
    that the theme's day.html extends, or the page template in templates/)."""
    partition = getattr(exc, "partition", None)
    name = "day.html" if partition and partition.startswith("days-") else "actor.html"
    if partition in (None, "site") or _NOTHING_INDEXED not in str(exc):
        return Diagnostic(where, None, f"search index: Pagefind failed: {exc}")
    path = at_fault(name)
    message = (
        "search finds no text on the pages made with this template: Pagefind reads a page "
        "with an <html> element, and the text of its data-pagefind-body element (or of its "
        "<body>); write them, or set [search] enabled = false in site.toml"
    )
    return Diagnostic(path, 1, message)


# --------------------------------------------------------------------------- partitions


def years_per_partition(model: SiteModel) -> int:
    """The most years per block whose busiest year keeps a block within TARGET_PAGES."""
    busiest = max(Counter(b.date.year for b in model.briefings).values(), default=0)
    fitting = [span for span in _SPANS if span * busiest <= TARGET_PAGES]
    return max(fitting) if fitting else 1


def is_indexed(kind: str, key: tuple) -> bool:
    """The pages search finds: the day pages, and the first page of each actor (their name,
    role and profile), so that an actor's name leads to their page."""
    return kind in INDEXED and (kind != "actor" or key[1] == 1)


def plan_partitions(pages: Iterable[Page], model: SiteModel) -> dict[str, list[str]]:
    """Partition name -> the output files of its pages, the newest days' partition first.
    With no page to index, one partition of every HTML page (the search page still needs
    Pagefind's scripts)."""
    span = years_per_partition(model)
    found: dict[str, list[str]] = defaultdict(list)
    newest: dict[str, int] = {}
    html = []
    for page in pages:
        if page.output.endswith(".html"):
            html.append(page.output)
        if not is_indexed(page.kind, page.key):
            continue
        name = INDEXED[page.kind]
        if name is None:  # a day: its block of years
            year = model.briefings[page.key[0]].date.year
            start = year - year % span
            name = f"days-{start}" if span == 1 else f"days-{start}-{start + span - 1}"
            newest[name] = max(newest.get(name, year), year)
        found[name].append(page.output)
    if not found:
        return {"site": sorted(html)} if html else {}
    order = sorted(found, key=lambda n: (n not in newest, -newest.get(n, 0), n))
    return {name: sorted(found[name]) for name in order}


def partition_key(program: Path, name: str, pages: Mapping[str, str]) -> str:
    """A key over what Pagefind would read for a partition: its pages' paths and hashes."""
    return digest(program_identity(program), name, sorted(pages.items()))


def bundles_json(base_path: str, partitions: Mapping[str, str]) -> bytes:
    """The list the search page merges (see the module's docstring): partition -> tag."""
    bundles = [
        {"path": f"{base_path}{BUNDLE}/{name}/", "tag": tag} for name, tag in partitions.items()
    ]
    text = json.dumps({"bundles": bundles}, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


@dataclass
class Indexing:
    """Pagefind's runs for some partitions, in parallel: `start`, then `wait` (or `kill`)."""

    program: Path
    jobs: dict[str, list[str]]  # partition -> its pages (output files)
    source_of: Callable[[str], Path]  # a page's current bytes (staged, or in the output)
    scratch: Path  # a folder for the pages Pagefind reads (hard links)
    bundle: Path  # where the bundle goes (the staging folder's pagefind/)
    parallel: int = 2 * RUNS_PER_CORE

    def run(self, interrupt: Callable[[], bool] | None = None) -> float | None:
        """Index every partition; the seconds it took, or None when `interrupt` said to
        stop (what was begun is removed)."""
        started = time.perf_counter()
        waiting = list(self.jobs)
        running: dict[str, tuple[subprocess.Popen, Any]] = {}
        try:
            while waiting or running:
                while waiting and len(running) < self.parallel:
                    name = waiting.pop(0)
                    running[name] = self._start(name)
                for name, (process, errors) in list(running.items()):
                    if process.poll() is not None:
                        del running[name]
                        self._finish(name, process, errors)
                if interrupt is not None and interrupt():
                    return None
                time.sleep(0.01)
        finally:
            for process, errors in running.values():
                process.kill()
                process.wait()
                errors.close()
            shutil.rmtree(self.scratch, ignore_errors=True)
        return time.perf_counter() - started

    def _start(self, name: str) -> tuple[subprocess.Popen, Any]:
        site = self.scratch / name
        for output in self.jobs[name]:
            _link(self.source_of(output), site / output)
        out = self.bundle / name
        shutil.rmtree(out, ignore_errors=True)
        command = [str(self.program), "--site", ".", "--output-path", str(out), "--quiet"]
        errors = open(self.scratch / f"{name}.log", "w+")  # noqa: SIM115 (closed in _finish)
        # run in the folder of links, so that a pagefind.yml elsewhere changes nothing
        process = subprocess.Popen(command, cwd=site, stdout=errors, stderr=errors, text=True)
        return process, errors

    def _finish(self, name: str, process: subprocess.Popen, errors: Any) -> None:
        errors.seek(0)
        said = errors.read().strip().splitlines()
        errors.close()
        if process.returncode != 0:
            raise SearchIndexError(said[-1] if said else f"exit status {process.returncode}", name)
        out = self.bundle / name
        make_reproducible(out)
        for script in SCRIPTS:
            path = out / script
            if path.exists():
                os.replace(path, self.bundle / script)
        shutil.rmtree(self.scratch / name, ignore_errors=True)


def _link(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


# --------------------------------------------------------------------------- reproducible
# Pagefind 1.x writes the values of each filter in hash-map order, which changes from run to
# run (a known TODO in its indexer), and the file names are hashes of the contents: so two
# runs on the same pages give different files, and a deploy would push a "new" index every
# time. `make_reproducible` sorts the values and renames the files as Pagefind itself would.
# It checks that it reads Pagefind's format exactly (decoding and encoding again gives the
# same bytes) and leaves the index as it is otherwise: searching works either way.

_PREFIX = b"pagefind_dcd"  # Pagefind's marker at the start of every compressed index file


class _Unexpected(Exception):
    """The index is not in the format this code knows."""


def _cbor_decode(data: bytes) -> Any:
    """The CBOR subset Pagefind's indexes use: integers, strings, byte strings, arrays."""

    def item(pos: int) -> tuple[Any, int]:
        major, info = data[pos] >> 5, data[pos] & 31
        pos += 1
        if info < 24:
            value = info
        elif info <= 27:
            size = 1 << (info - 24)
            value, pos = int.from_bytes(data[pos : pos + size], "big"), pos + size
        else:
            raise _Unexpected(f"CBOR item {major}/{info}")
        if major == 0:
            return value, pos
        if major in (2, 3):
            chunk, pos = data[pos : pos + value], pos + value
            return (chunk if major == 2 else chunk.decode("utf-8")), pos
        if major == 4:
            items = []
            for _ in range(value):
                one, pos = item(pos)
                items.append(one)
            return items, pos
        raise _Unexpected(f"CBOR major type {major}")

    value, end = item(0)
    if end != len(data):
        raise _Unexpected("trailing bytes")
    return value


def _cbor_encode(value: Any) -> bytes:
    def head(major: int, number: int) -> bytes:
        if number < 24:
            return bytes([major << 5 | number])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if number < 1 << (8 * size):
                return bytes([major << 5 | info]) + number.to_bytes(size, "big")
        raise _Unexpected("integer too large")

    if isinstance(value, bool) or value is None:
        raise _Unexpected(repr(value))
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)
    raise _Unexpected(type(value).__name__)


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_PREFIX):
        raise _Unexpected(f"{path.name} has no Pagefind marker")
    data = raw[len(_PREFIX) :]
    value = _cbor_decode(data)
    if _cbor_encode(value) != data:
        raise _Unexpected(f"{path.name} does not encode back to the same bytes")
    return value


def _pagefind_hash(data: bytes) -> str:
    """Pagefind's file hash: SHA-1 hex with each byte written without its leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _write(folder: Path, template: str, language: str, length: int, value: Any) -> str:
    """Write an index file under its content hash; returns the hash (e.g. 'en_1a2b3c4')."""
    data = _cbor_encode(value)
    name = f"{language}_{_pagefind_hash(data)[:length]}"
    path = folder / template.format(name)
    path.write_bytes(gzip.compress(_PREFIX + data, compresslevel=9, mtime=0))
    return name


def make_reproducible(bundle: Path) -> bool:
    """Sort the filter values of a Pagefind index (see above); False if it was left as is."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plan = []
        for language, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _read(meta_path)
            filters = {name: (bundle / "filter" / f"{h}.pf_filter") for name, h in meta[3]}
            decoded = {name: _read(path) for name, path in filters.items()}
            plan.append((language, info, meta_path, meta, decoded, filters))
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, _Unexpected):
        return False
    for language, info, meta_path, meta, decoded, files in plan:
        for path in files.values():
            path.unlink()
        hashes = {}
        for name in sorted(decoded):
            filter_name, values = decoded[name]
            hashes[name] = _write(
                bundle / "filter", "{}.pf_filter", language, 7, [filter_name, sorted(values)]
            )
        meta[3] = [[name, hashes[name]] for name in sorted(hashes)]
        meta_path.unlink()
        info["hash"] = _write(bundle, "pagefind.{}.pf_meta", language, 10, meta)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return True
