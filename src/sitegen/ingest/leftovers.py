"""One ingest at a time per site, and the temporary files of a run that was killed.

Ingest writes each file to a temporary beside it and renames it into place; a run killed
(SIGKILL, a power cut) between the two leaves the temporary behind. The next run removes
those, and only those: it holds the site's ingest lock, so no other run is writing one, and
a name is removed only if it has the exact form ingest gives its temporaries, never an
editor's file (`notes.tmp`, `.draft.md.tmp`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # (Windows: no lock, so no leftovers are ever removed)
    fcntl = None  # type: ignore[assignment]

# writer.write_atomic's, writer.backup's and cache._write's temporaries: tempfile.mkstemp's 8 random
# characters of [a-z0-9_] between the prefix and the suffix each gives
_OURS = re.compile(r"\.[^/]+\.md\.[a-z0-9_]{8}\.tmp")
_CACHE_OURS = re.compile(r"\.ingest\.[a-z0-9_]{8}")


@contextlib.contextmanager
def only_run(site_dir: Path, waiting: Callable[[str], None]) -> Iterator[bool]:
    """Hold the site's ingest lock while the run writes; yields whether it is held."""
    fd = _open_lock(site_dir)
    if fd is None:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting("another sitegen ingest is writing this site; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)  # (closing it unlocks)


def _open_lock(site_dir: Path) -> int | None:
    """The site folder itself is the lock (flock takes a folder): no file is made for it,
    none left behind, and a read-only site is locked alike."""
    if fcntl is None:
        return None
    try:
        return os.open(site_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def remove_leftovers(folders: list[Path], cache_folder: Path) -> None:
    """Remove the temporaries killed runs left in the folders ingest writes (the lock held)."""
    for folder in folders:
        _remove_matching(folder, _OURS)
    _remove_matching(cache_folder, _CACHE_OURS)


def _remove_matching(folder: Path, pattern: re.Pattern[str]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # (missing, not a folder, unreadable: nothing of ours to find)
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):  # only a regular file: never a link or folder
            if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                os.unlink(entry.path)
