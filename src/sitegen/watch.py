"""Watching the site's sources for `sitegen serve`.

On Linux the kernel reports changes (inotify, through ctypes: no dependency, no polling, and
a save is seen within a millisecond); elsewhere the folders are scanned twice a second.
Either way the watcher only reports paths; `serve` decides what they mean and debounces
them, so a burst of saves gives one rebuild.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import struct
from collections.abc import Callable
from pathlib import Path

# Called on the event loop with the paths that changed, or None when changes were lost
# (the kernel's queue overflowed): then anything may have changed.
OnChange = Callable[[set[Path] | None], None]

_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF = 0x400, 0x800
_IN_Q_OVERFLOW, _IN_IGNORED, _IN_ISDIR = 0x4000, 0x8000, 0x40000000
_IN_NONBLOCK, _IN_CLOEXEC = 0o4000, 0o2000000  # O_NONBLOCK, O_CLOEXEC on Linux
_MASK = (
    _IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
    | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF
)  # fmt: skip
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then the name, NUL-padded


class Watcher:
    """Reports changes to files under `folders` (recursively) and to the single `files`."""

    def __init__(self, folders: list[Path], files: list[Path], on_change: OnChange) -> None:
        self.folders = [f.resolve() for f in folders]
        self.files = {f.resolve() for f in files}
        self.on_change = on_change

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def wanted(self, path: Path) -> bool:
        return path in self.files or any(f == path or f in path.parents for f in self.folders)


def make_watcher(folders: list[Path], files: list[Path], on_change: OnChange) -> Watcher:
    try:
        return InotifyWatcher(folders, files, on_change)
    except OSError:
        return PollingWatcher(folders, files, on_change)


class InotifyWatcher(Watcher):
    def __init__(self, folders: list[Path], files: list[Path], on_change: OnChange) -> None:
        super().__init__(folders, files, on_change)
        name = ctypes.util.find_library("c")
        try:
            libc = ctypes.CDLL(name, use_errno=True)
            self._add = libc.inotify_add_watch
        except (OSError, AttributeError) as error:
            raise OSError("inotify is not available") from error
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._dirs: dict[int, Path] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        # The parents of the watched files and folders (not recursively): site.toml, and
        # folders such as templates/ that may be created later.
        for parent in {f.parent for f in self.files} | {f.parent for f in self.folders}:
            self._watch(parent)
        for folder in self.folders:
            self._watch_tree(folder)

    def _watch(self, folder: Path) -> bool:
        wd = self._add(self._fd, os.fsencode(folder), _MASK)
        if wd < 0:
            return False
        self._dirs[wd] = folder
        return True

    def _watch_tree(self, folder: Path) -> list[Path]:
        """Watch a folder and every folder below it; returns the files found in it."""
        found: list[Path] = []
        if not folder.is_dir() or not self._watch(folder):
            return found
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in dirnames:
                self._watch(Path(dirpath, name))
            found.extend(Path(dirpath, name) for name in filenames)
        return found

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        loop.add_reader(self._fd, self._read)

    def close(self) -> None:
        if self._fd < 0:
            return
        if self._loop is not None:
            self._loop.remove_reader(self._fd)
        os.close(self._fd)
        self._fd = -1

    def _read(self) -> None:
        try:
            data = os.read(self._fd, 1 << 16)
        except BlockingIOError:
            return
        changed: set[Path] = set()
        lost = False
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            raw = data[offset + _EVENT.size : offset + _EVENT.size + length]
            offset += _EVENT.size + length
            if mask & _IN_Q_OVERFLOW:
                lost = True
                continue
            folder = self._dirs.get(wd)
            if folder is None:
                continue
            if mask & _IN_IGNORED:  # the folder is gone
                del self._dirs[wd]
                continue
            path = folder / os.fsdecode(raw.rstrip(b"\0")) if length else folder
            if not self.wanted(path):
                continue
            changed.add(path)
            if mask & _IN_ISDIR and mask & (_IN_CREATE | _IN_MOVED_TO):
                changed.update(self._watch_tree(path))  # e.g. git checking out a folder
        if lost:
            self.on_change(None)
        elif changed:
            self.on_change(changed)


class PollingWatcher(Watcher):
    """Compares the size, time and inode of every file twice a second."""

    interval = 0.5

    def __init__(self, folders: list[Path], files: list[Path], on_change: OnChange) -> None:
        super().__init__(folders, files, on_change)
        self._seen = self._scan()
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _scan(self) -> dict[Path, tuple[int, int, int]]:
        found: dict[Path, tuple[int, int, int]] = {}
        paths = list(self.files)
        for folder in self.folders:
            for dirpath, _dirnames, filenames in os.walk(folder):
                paths.extend(Path(dirpath, name) for name in filenames)
        for path in paths:
            try:
                status = path.stat()
            except OSError:
                continue
            found[path] = (status.st_mtime_ns, status.st_size, status.st_ino)
        return found

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._timer = loop.call_later(self.interval, self._poll)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _poll(self) -> None:
        seen = self._scan()
        changed = {p for p in seen.keys() | self._seen.keys() if seen.get(p) != self._seen.get(p)}
        self._seen = seen
        if changed:
            self.on_change(changed)
        if self._loop is not None and self._timer is not None:
            self._timer = self._loop.call_later(self.interval, self._poll)
