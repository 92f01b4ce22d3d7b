"""Search: the Pagefind index of the day pages, made at build time, so that full-text search
works on a static host with no server and no network.

Pagefind (the `pagefind` package with its `bin` extra, a self-contained Rust program) reads
the pages already written to the staging folder and writes `pagefind/` beside them: the
index, in fragments a browser loads as needed, and the search page's scripts. Only elements
marked `data-pagefind-body` are indexed (the theme marks the digest of each day page);
`data-pagefind-filter` marks the actor and month filters.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from sitegen.cache import digest
from sitegen.output import StagedOutput

BUNDLE = "pagefind"  # the folder under the output, as Urls.search_bundle() links it


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


def index_key(program: Path, *parts: object) -> str:
    """A key over the program (by its path, size and time) and what it indexes."""
    status = program.stat()
    return digest(str(program), status.st_size, status.st_mtime_ns, *parts)


def pages_digest(folder: Path, outputs: list[str]) -> str:
    """The paths and bytes of some written pages (the day pages: what Pagefind indexes)."""
    hasher = hashlib.blake2b(digest_size=16)
    for relative in sorted(outputs):
        hasher.update(relative.encode("utf-8") + b"\x00")
        hasher.update((folder / relative).read_bytes())
    return hasher.hexdigest()


def reuse_index(previous_output: Path, output: StagedOutput) -> bool:
    """Hard-link the previous build's index into the staging folder; False if it is
    missing or cannot be linked (the index is then made anew)."""
    folder = previous_output / BUNDLE
    if not (folder / "pagefind-entry.json").is_file():
        return False
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            if not output.reuse(path, str(path.relative_to(previous_output))):
                return False
    return True


class SearchIndexError(Exception):
    """Pagefind failed; the message is its own output."""


def day_pages_glob(permalink: str) -> str:
    """A glob of Pagefind's that matches the day pages of a permalink pattern, so that it
    does not read (and parse) every actor and archive page only to skip it: each path
    segment with a {field} becomes '*'. Only a speed-up: data-pagefind-body still decides
    what is indexed, so a glob that matches more (e.g. '*/index.html') is harmless."""
    segments = [s for s in permalink.strip("/").split("/") if s]
    if any(ch in s for s in segments for ch in "*?[]!\\,") or any(
        ("{" in s) != ("}" in s) for s in segments
    ):
        return "**/*.html"
    return "/".join("*" if "{" in s else s for s in segments) + "/index.html"


def is_indexed(kind: str, key: tuple) -> bool:
    """The pages search finds: the day pages, and the first page of each actor (their name,
    role and profile), so that an actor's name leads to their page."""
    return kind == "day" or (kind == "actor" and key[1] == 1)


def search_pages_glob(permalink: str) -> str:
    """day_pages_glob, and the actors' first pages."""
    days = day_pages_glob(permalink)
    return days if days == "**/*.html" else "{" + days + ",actors/*/index.html}"


def run_pagefind(
    program: Path, site: Path, glob: str = "**/*.html", timeout: float = 3600
) -> float:
    """Index the HTML under site into site/pagefind/; returns the seconds it took.

    Runs in the site folder itself (a fresh staging folder), so that a stray pagefind.yml
    in the user's working folder cannot change what is indexed."""
    started = time.perf_counter()
    completed = subprocess.run(
        [program, "--site", ".", "--output-subdir", BUNDLE, "--glob", glob, "--quiet"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        message = (completed.stderr.strip() or completed.stdout.strip()).splitlines()
        raise SearchIndexError(message[-1] if message else f"exit status {completed.returncode}")
    make_reproducible(site / BUNDLE)
    return time.perf_counter() - started


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
