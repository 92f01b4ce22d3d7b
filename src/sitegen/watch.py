"""Watching the site's sources for `sitegen serve`, with watchfiles.

watchfiles (Rust's notify: inotify, FSEvents, Windows' ReadDirectoryChangesW, and polling
where none of them works) waits in threads of its own. Two watches: the site's folders
(content/, templates/, static/) recursively, and the folders that hold them and site.toml,
not recursively. The second sees site.toml however an editor saves it (vim replaces the
file, which ends a watch on the file itself), and a site folder created or removed later,
which restarts the first. The watcher only reports paths, on the event loop; `serve`
decides what they mean and debounces them, so a burst of saves gives one rebuild.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import watchfiles

# Called on the event loop with the paths that changed, or None when changes may have been
# lost (a watch failed and was restarted): then anything may have changed.
OnChange = Callable[[set[Path] | None], None]

STEP_MS = 10  # watchfiles hands over its events once none came for this long...
GROUP_MS = 200  # ...or this long after the first; serve's own debounce comes after
RETRY_SECONDS = 0.5  # before a failed watch starts again
LOOK_MS = 500  # the flat watch looks for site folders that came back at least this often
SWEEP_SECONDS = 1.0  # when polling: the pause between two looks at every file's full stat
READY_SECONDS = 10.0  # at most this long for a watch to be in place (a bound, not a timing)

# A file's stat as the sweep compares it: (mtime in seconds, what else shows a write)
Seen = tuple[int, tuple[int, int, int]]


class SiteFilter(watchfiles.DefaultFilter):
    """watchfiles' default filter (version control folders, caches, editor swap and backup
    files), applied below the watched folders, plus the site's rules: only the watched
    files and what is under the watched folders, nothing under a hidden folder or hidden
    itself (builds skip those), none of the temporary files editors leave."""

    ignore_entity_patterns = (
        *watchfiles.DefaultFilter.ignore_entity_patterns,
        r"^#",  # emacs's #autosave#
        r"\.(swp|swx|tmp|bak)$",
        r"^4913$",  # vim checks that it may write to the folder
    )

    def __init__(self, folders: Iterable[Path], files: Iterable[Path]) -> None:
        super().__init__()
        self.folders = tuple(folders)
        self.files = frozenset(files)
        self.targets: frozenset[Path] = frozenset()  # files that links in the folders lead to

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        where = Path(path)
        if where in self.files or where in self.folders or where in self.targets:
            return True
        relative = self.below(where)
        if relative is None or any(part.startswith(".") for part in relative.parts):
            return False
        return super().__call__(change, str(relative))

    def below(self, path: Path) -> Path | None:
        """`path` relative to the watched folder it is in, if any."""
        for folder in self.folders:
            if path.is_relative_to(folder):
                return path.relative_to(folder)
        return None


class _Watch:
    """One watchfiles.watch in a thread of its own, until `stop` is set. `ready` is set once
    the watch is in place (or has ended): a change made after that is heard."""

    def __init__(self, paths: list[Path], recursive: bool, owner: Watcher) -> None:
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(
            target=owner._follow,
            args=(paths, recursive, _StopAsked(self.stop, self.ready)),
            name="sitegen-watch",
            daemon=True,
        )
        self.thread.start()

    def wait_ready(self) -> None:
        self.ready.wait(READY_SECONDS)


class _StopAsked:
    """The stop event as watchfiles is given it. watchfiles first asks it from inside its
    watch, which it enters once the system's watches are added (or, polling, the first look
    at every file is taken): the first ask says that the watch is in place. The thread may
    be scheduled late on a busy machine: a change made before that would not be heard."""

    def __init__(self, stop: threading.Event, ready: threading.Event) -> None:
        self.stop, self.ready = stop, ready

    def is_set(self) -> bool:
        self.ready.set()
        return self.stop.is_set()


class Watcher:
    """Reports changes to files under `folders` (recursively) and to the single `files`."""

    def __init__(
        self,
        folders: list[Path],
        files: list[Path],
        on_change: OnChange,
        force_polling: bool | None = None,  # None: watchfiles decides (WATCHFILES_FORCE_POLLING)
        poll_delay_ms: int = 300,
    ) -> None:
        # the folders by the names the site gives them (a link kept as a link), and where
        # they lead now: a link re-pointed (`ln -sfn`) moves the watch to its new place
        self.named = [f.parent.resolve() / f.name for f in folders]
        self.folders = [f.resolve() for f in folders]
        self.files = {f.resolve() for f in files}
        self.on_change = on_change
        self.filter = SiteFilter(self.folders, self.files | set(self.named))
        self.force_polling = force_polling
        self.poll_delay_ms = poll_delay_ms
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._parents: _Watch | None = None
        self._trees: _Watch | None = None
        # files outside the watched folders that links in them lead to (a briefing that is a
        # link to a file elsewhere) -> those links; their folders have a watch of their own
        self._links: dict[Path, set[Path]] = {}
        self._targets: _Watch | None = None
        self._watched: list[Path] = []  # the folders the recursive watch covers
        self._sweep: threading.Thread | None = None  # when polling (see _sweeping)
        self._stop_sweep = threading.Event()
        # when polling: each file the poller reported, as it was then (and when), for the
        # sweep to compare with: a save in the same second after that is one it cannot see
        self._reported: dict[str, tuple[int, Seen]] = {}

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        holders = {path.parent for path in (*self.files, *self.folders, *self.named)}
        self._parents = _Watch(sorted(p for p in holders if p.is_dir()), False, self)
        self._watch_trees()
        self._watch_targets()
        self._parents.wait_ready()  # (the others waited for theirs)
        if self.polling():
            seen = self._full_stats()  # (taken now: a change after start returns is seen)
            self._sweep = threading.Thread(
                target=self._sweeping, args=(seen,), name="sitegen-sweep", daemon=True
            )
            self._sweep.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            watches = [w for w in (self._parents, self._trees, self._targets) if w is not None]
        self._stop_sweep.set()
        for watch in watches:
            watch.stop.set()
        for watch in watches:
            watch.thread.join(timeout=2)
        if self._sweep is not None:
            self._sweep.join(timeout=2)

    def polling(self) -> bool:
        """Whether watchfiles polls (forced, or on WSL) rather than being notified."""
        if self.force_polling is not None:
            return self.force_polling
        try:  # (watchfiles' own rule, which it does not export)
            from watchfiles.main import _default_force_polling

            return bool(_default_force_polling(None))
        except ImportError:
            flag = os.getenv("WATCHFILES_FORCE_POLLING", "").lower()
            return flag not in ("", "false", "disable", "disabled")

    def _sweeping(self, seen: dict[str, Seen]) -> None:
        """The thread that sees, when polling, the writes the poller cannot: the poller
        compares modification times to the second, so a file rewritten with its size and
        time stamp kept (`cp -p`, `rsync -t`, `touch -d`) or saved twice in one second
        looks unchanged to it. The kernel moves a file's ctime on every write, and no
        program can set it back: this thread compares it (and the size and inode), and
        reports the files whose change the poller, seeing the same second, will not."""
        while not self._stop_sweep.wait(SWEEP_SECONDS):
            began = time.monotonic_ns()
            now = self._full_stats()
            # The poller may have reported a file between two sweeps in the second of a
            # save that came after (its time differs from the last sweep's, not from what
            # the poller saw): compared with what it was when reported, too.
            with self._lock:
                reported = {name: state for name, (_, state) in self._reported.items()}
                self._reported = {
                    name: entry for name, entry in self._reported.items() if entry[0] >= began
                }
            missed = {
                Path(name)
                for name, (second, rest) in now.items()
                if any(
                    before is not None and before[0] == second and before[1] != rest
                    for before in (seen.get(name), reported.get(name))
                )
                and self.filter(watchfiles.Change.modified, name)  # (only these: it costs)
            }
            seen = now
            if missed:
                self._deliver(missed)

    def _note_reported(self, paths: Iterable[Path]) -> None:
        """When polling: keep each reported file's stat as it is now (see _sweeping)."""
        when = time.monotonic_ns()
        for path in paths:
            try:
                status = os.stat(path)
            except OSError:
                continue
            state = (int(status.st_mtime), (status.st_ctime_ns, status.st_size, status.st_ino))
            with self._lock:
                self._reported[str(path)] = (when, state)

    def _full_stats(self) -> dict[str, Seen]:
        """Every file's stat under the watched folders (hidden ones left out) and of the
        watched files: 10,000 files take about a tenth of a second."""
        found: dict[str, Seen] = {}
        paths = [str(path) for path in self.files]
        for folder in list(self._watched):
            for where, folders, names in os.walk(folder):
                folders[:] = [name for name in folders if not name.startswith(".")]
                paths += [os.path.join(where, name) for name in names]
        for name in paths:
            try:
                status = os.stat(name)
            except OSError:
                continue
            rest = (status.st_ctime_ns, status.st_size, status.st_ino)
            found[name] = (int(status.st_mtime), rest)
        return found

    def _watch_trees(self, renewed: Collection[Path] = ()) -> list[Path]:
        """(Re)start the recursive watch over the folders that exist now; returns the files
        of the folders it did not cover before and of the `renewed` ones (created again,
        moved in: a watch on the old folder sees nothing of the new one). Their files are
        listed once the new watch is in place: a file written meanwhile is in the list or
        heard by the watch."""
        with self._lock:
            if self._closed:
                return []
            self._follow_links()
            existing = [folder for folder in self.folders if folder.is_dir()]
            if self._trees is not None:
                self._trees.stop.set()
            self._trees = trees = _Watch(existing, True, self) if existing else None
            new = [f for f in existing if f not in self._watched or f in renewed]
            self._watched = existing
        if trees is not None:
            trees.wait_ready()
        return [path for folder in new for path in self._files_under(folder)]

    def _watch_targets(self) -> None:
        """Watch the files outside the watched folders that links in them lead to: an edit
        there changes the site as much as one of the link itself."""
        found: dict[Path, set[Path]] = {}
        for folder in list(self._watched):
            for where, folders, names in os.walk(folder):
                folders[:] = [name for name in folders if not name.startswith(".")]
                for name in names:
                    link = os.path.join(where, name)
                    if os.path.islink(link):
                        target = Path(os.path.realpath(link))
                        if self.filter.below(target) is None:
                            found.setdefault(target, set()).add(Path(link))
        with self._lock:
            if self._closed:
                return
            before = {target.parent for target in self._links}
            self._links = found
            self.filter.targets = frozenset(found)
            holders = {target.parent for target in found}
            if holders == before:
                return
            if self._targets is not None:
                self._targets.stop.set()
            watched = sorted(holder for holder in holders if holder.is_dir())
            self._targets = targets = _Watch(watched, False, self) if watched else None
        if targets is not None:
            targets.wait_ready()

    def _follow_links(self) -> None:
        """Where each site folder leads now: a link to a folder that was re-pointed is
        watched at its new place (the old place is someone else's folder now)."""
        now = [name.resolve() for name in self.named]
        if now != self.folders:
            self.folders = now
            self.filter.folders = tuple(now)

    def _files_under(self, folder: Path) -> list[Path]:
        found: list[Path] = []
        for dirpath, _dirnames, filenames in os.walk(folder):
            found.extend(Path(dirpath, name) for name in filenames)
        return [path for path in found if self.filter(watchfiles.Change.added, str(path))]

    def _follow(self, paths: list[Path], recursive: bool, stop: _StopAsked) -> None:
        """The body of a watch thread: report every batch until stopped. After a failure
        (a folder removed as the watch starts, the system refusing a watch) it says once
        that anything may have changed, and watches again what still exists."""
        try:
            self._follow_until_stopped(paths, recursive, stop)
        finally:
            stop.ready.set()  # (ended before its watch was in place: none to wait for)

    def _follow_until_stopped(self, paths: list[Path], recursive: bool, stop: _StopAsked) -> None:
        failing = False
        while not stop.stop.is_set():
            existing = [path for path in paths if path.is_dir()]
            if not existing:
                return  # the other watch sees a folder come back
            try:
                for changes in watchfiles.watch(
                    *existing,
                    watch_filter=self.filter,
                    debounce=GROUP_MS,
                    step=STEP_MS,
                    stop_event=stop,
                    recursive=recursive,
                    raise_interrupt=False,
                    ignore_permission_denied=True,  # the build reports unreadable folders
                    rust_timeout=LOOK_MS,
                    yield_on_timeout=not recursive,  # an empty batch now and then
                    force_polling=self.force_polling,
                    poll_delay_ms=self.poll_delay_ms,
                ):
                    failing = False
                    self._report(changes)
                    if not recursive:
                        self._look_for_folders()
                return
            except (OSError, RuntimeError):
                stop.ready.set()  # (what failed is said below: start need not wait)
                if stop.stop.wait(RETRY_SECONDS):
                    return
                if not failing:
                    self._deliver(None)
                failing = True

    def _report(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        paths: set[Path] = set()
        folders: set[Path] = set()  # site folders created, removed or replaced
        known = {link for links in self._links.values() for link in links}
        for change, raw in changes:
            path = Path(raw)
            if path in self.named and path not in self.folders:  # a link to a site folder
                before = set(self.folders)
                self._follow_links()
                moved = set(self.folders) - before  # (none: only its time stamp changed)
                folders |= moved
                paths |= moved | ({path} if moved else set())
                continue
            if path in self.folders:
                # A new time stamp on a watched folder is no news; on one that is not watched
                # it is (polling sees a folder removed and made again between two looks so).
                if change != watchfiles.Change.modified or path not in self._watched:
                    folders.add(path)
                    paths.add(path)
                continue
            links = self._links.get(path)
            if links is not None:  # a file a link in the site leads to
                paths |= {path, *links}
                continue
            paths.add(path)
            if change == watchfiles.Change.added and path.is_dir():
                paths.update(self._files_under(path))  # e.g. git checking out a folder
        if folders:
            paths.update(self._watch_trees(renewed=folders))
        if folders or any(path.is_symlink() or path in known for path in paths):
            self._watch_targets()  # a link made, re-pointed or removed
        if paths:
            if self._sweep is not None:
                self._note_reported(paths)
            self._deliver(paths)

    def _look_for_folders(self) -> None:
        """Watch a site folder that exists but is not watched: one removed and made again
        between two looks of a polling watch, which compares folder times to the second,
        or the new place of a site folder's link that was re-pointed."""
        before = set(self.folders)
        self._follow_links()  # (a poller may not see a link re-pointed: it compares times)
        moved = set(self.folders) - before
        appeared = {f for f in self.folders if f not in self._watched and f.is_dir()}
        if appeared or moved:
            self._deliver(moved | appeared | set(self._watch_trees(renewed=appeared)))

    def _deliver(self, paths: set[Path] | None) -> None:
        loop = self._loop
        if loop is None or self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: serve is stopping
            loop.call_soon_threadsafe(self.on_change, paths)


def make_watcher(folders: list[Path], files: list[Path], on_change: OnChange) -> Watcher:
    return Watcher(folders, files, on_change)
