"""Output: the only code that writes the output folder, which it updates in place.

- A build first writes what it makes into a staging folder inside the output (so it is on
  the same file system, even when the output is a mount point) and only files whose bytes
  changed. Nothing in the output changes until everything was made without error.
- `commit` then moves each staged file over the old one with a rename, so a reader (a web
  server, `serve`) gets the old file or the new one, never half of one, and deletes the
  files of vanished content. The output folder itself is never renamed or replaced.
- A lock (on the marker file) keeps a second build off the same output until the first is
  done; the staging folder of a killed build is removed by the next one, under the lock.
- The marker names the output's content (a digest of its files' hashes) once a commit is
  complete, and says `updating` while one is under way: a killed build leaves a marker that
  names nothing, and the next build then checks every file (build.py).
- The marker also lists the files sitegen wrote, to tell them from files someone else put
  in the folder: those are never deleted, and a page that would replace one is an error. A
  commit lists the files it may add before it moves them, so a killed build's files are
  listed too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from stat import S_ISREG

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics
from sitegen.source import remove_quietly

if sys.platform != "win32":
    import fcntl
else:  # Windows: builds of one output must then not overlap
    fcntl = None

# Never touched in the output: a git checkout of the deploy branch that a user keeps there.
PRESERVED = (".git",)
# Written into every output folder. A build writes into a non-empty folder only when it
# holds this file, so a mistyped --out can never wipe someone's documents.
MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is written by sitegen; every build updates its contents.\n"
STAGING = ".sitegen-staging"
STATE_WIDTH = 40  # the state line's value is padded to this: it is rewritten in place
UPDATING = "updating"
# Left beside the output by sitegen 0.1's builds, which swapped whole folders.
_OLD_LEFTOVERS = (".{}.staging-*", ".{}.old-*")


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(
    out: Path, config: SiteConfig, diags: Diagnostics, given: Path | None = None
) -> None:
    """Refuse folders whose contents sitegen would replace but did not write, and an output
    (`given`: as the user named it, links not followed) that a broken link stands for."""
    link = _broken_link_on_the_way(Path(os.path.abspath(given))) if given is not None else None
    if link is not None:
        what = "it is" if link == Path(os.path.abspath(str(given))) else f"{link} (on its way) is"
        message = (
            f"refusing to use this output folder: {what} a broken symbolic link (to "
            f"{os.readlink(link)}); a build would make a folder where it leads: make that "
            "folder, or remove the link"
        )
        diags.error(str(given), None, message)
        return
    out = out.resolve()
    reason = None
    if out == Path(out.anchor):
        reason = "is the file system root"
    elif out == Path.home().resolve():
        reason = "is your home folder"
    elif out == config.root:
        reason = "is the site folder itself"
    else:
        for name in ("content", "templates", "static"):
            folder = config.folder(name)
            if _is_within(out, folder) or _is_within(folder, out):
                reason = f"is inside or above the {name} folder ({folder})"
                break
    if reason is None and out.exists() and not out.is_dir():
        reason = "exists and is not a folder"
    if reason is None and _not_a_marker(out / MARKER):
        reason = f"holds a {MARKER} that is not a regular file (a link, a folder...); remove it"
    if reason is None and _foreign(out):
        why = f"no {MARKER}" if not (out / MARKER).exists() else f"its {MARKER} is not sitegen's"
        reason = f"holds files that sitegen did not write ({why}); empty it or pick another"
    if reason:
        diags.error(str(out), None, f"refusing to use this output folder: it {reason}")


def _broken_link_on_the_way(path: Path) -> Path | None:
    """The broken symbolic link that `path`, or the nearest of its folders that is there,
    is (a chain of links that ends nowhere too), or None. Through one, a build made the
    folder the link leads to, somewhere else than the user looked (Hugo and Zola users
    expect no folder made elsewhere)."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            if os.path.islink(candidate) and not os.path.exists(candidate):
                return candidate
            return None
    return None


def _not_a_marker(marker: Path) -> bool:
    """A marker that is a link (a build would write through it, to wherever it leads), a
    folder, a pipe...: not one that sitegen wrote."""
    try:
        return not S_ISREG(os.lstat(marker).st_mode)
    except OSError:
        return False


def _foreign(out: Path) -> bool:
    """A non-empty folder that is not a previous output of sitegen."""
    try:
        if not out.is_dir() or _sitegen_marker(out / MARKER):
            return False
        # the marker and the staging folder alone: a first build of this folder that began
        # since the line above (two builds started together), not someone else's files
        ours = {MARKER, STAGING, *PRESERVED}
        return any(entry.name not in ours for entry in out.iterdir())
    except OSError:
        return False  # unreadable: opening it for the build reports why


def _sitegen_marker(marker: Path) -> bool:
    """A marker that sitegen wrote: it opens with sitegen's words. An empty one, or one of
    other bytes, makes no claim on the folder's files (a build deletes the files of the
    folder that it believes are its own)."""
    try:
        with marker.open("rb") as stream:
            return stream.read(len(MARKER_TEXT)) == MARKER_TEXT.encode()
    except OSError:
        return False


class OutputError(Exception):
    """The output folder cannot be written; the message says why, in one line."""


class UnwritableFolder(OutputError):
    """A folder of the output that the commit would change cannot be written; found before
    anything changed."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder


class LinkedFolder(UnwritableFolder):
    """A folder of the output that the commit would write into is a symbolic link (someone
    put it there): replaced, the pages of the folder it led to would be gone; written
    through, they would land wherever it leads. Found before anything changed."""


Waiting = Callable[[str], None]


class OutputFolder:
    """One output folder, opened (locked) for a build; see the module's docstring."""

    def __init__(self, target: Path, staging: Path | None = None) -> None:
        self.target = target
        self.staging = staging or target / STAGING
        self._lock: int | None = None
        self._created: list[Path] = []  # made by `open`: removed again if the build fails
        self.generation: str | None = None  # what the marker named when the folder opened

    # ---- opening and closing

    def open(self, waiting: Waiting | None = None) -> None:
        """Lock the folder (making it if needed) and clear what killed builds left."""
        try:
            self._make_folders()
            marker = self.target / MARKER
            if not marker.exists():
                self._created.append(marker)
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
            self._lock = os.open(marker, flags, 0o644)
            self._take_lock(waiting)
            self.generation = self._read_generation()
            remove_quietly(self.staging)
            self._remove_old_leftovers()
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.close(failed=True)
            raise OutputError(_reason(exc)) from None

    def _make_folders(self) -> None:
        missing = []
        folder = self.target
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                if not folder.is_dir():
                    raise
                continue  # another build made it at the same moment: the lock decides next
            self._created.append(folder)

    def _take_lock(self, waiting: Waiting | None) -> None:
        assert self._lock is not None
        if fcntl is None:
            return
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting("another build is writing this folder; waiting for it to finish")
            fcntl.flock(self._lock, fcntl.LOCK_EX)

    def _read_generation(self) -> str | None:
        assert self._lock is not None
        text = os.pread(self._lock, 4096, 0).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.startswith("state: "):
                value = line.removeprefix("state: ").strip()
                return None if value == UPDATING else value
        return None

    def _write_marker(self, state: str, files: set[str] | None = None) -> None:
        """Rewrite the marker in place: it is also the lock, so it must keep its inode.
        With `files`, the whole of it; else only the state (the list stays as it is).
        Not fsync'ed (that cost a build with one edit up to a fifth of its time): a killed
        build's writes are in the page cache all the same, and after a power cut, which can
        lose any of the output's renames too, the next build finds each file that is not
        what its record says by its stat, and makes it again."""
        assert self._lock is not None
        line = f"state: {state:<{STATE_WIDTH}}\n"
        if files is None:
            os.pwrite(self._lock, line.encode(), len(MARKER_TEXT.encode()))
        else:
            names = "".join(f"{name}\n" for name in sorted(files))
            data = f"{MARKER_TEXT}{line}files: {len(files)}\n{names}".encode()
            os.pwrite(self._lock, data, 0)
            os.ftruncate(self._lock, len(data))

    def _remove_old_leftovers(self) -> None:
        parent, name = self.target.parent, self.target.name
        for pattern in _OLD_LEFTOVERS:
            for stale in parent.glob(pattern.format(name)):
                remove_quietly(stale)

    def close(self, failed: bool = False) -> None:
        """Remove the staging folder and unlock; after a failure, also remove the marker and
        the output folder if this build made them (nothing else is in it then)."""
        remove_quietly(self.staging)
        if failed:
            for path in reversed(self._created):
                with contextlib.suppress(OSError):
                    if path.name == MARKER:
                        path.unlink()
                    else:
                        path.rmdir()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    # ---- what a build reads

    def existing_files(self) -> set[str]:
        """Every file in the output but the marker and what is preserved or staged."""
        found: set[str] = set()
        skip = {MARKER, STAGING, *PRESERVED}
        for dirpath, dirnames, filenames in os.walk(self.target):
            relative = os.path.relpath(dirpath, self.target)
            if relative == ".":
                dirnames[:] = [d for d in dirnames if d not in skip]
                filenames = [f for f in filenames if f not in skip]
                relative = ""
            found.update(os.path.join(relative, name) if relative else name for name in filenames)
        return found

    def made_files(self) -> set[str] | None:
        """The files sitegen wrote here, as the marker lists them; None when it lists none
        (an output of an older sitegen: then every file there counts as sitegen's)."""
        assert self._lock is not None
        size = os.fstat(self._lock).st_size
        lines = os.pread(self._lock, size, 0).decode("utf-8", "replace").split("\n")
        for number, line in enumerate(lines):
            if line.startswith("files: ") and line[7:].isdigit():
                count = int(line[7:])
                names = lines[number + 1 : number + 1 + count]
                # fewer: a marker torn by a kill; it is read as no list at all
                return set(names) if len(names) == count and "" not in names else None
        return None

    def stats(self, relatives: Iterable[str]) -> dict[str, tuple[int, int, int]]:
        """Size, mtime and ctime of each file that is there (a regular file, links not
        followed): any write changes the ctime, even one that puts the mtime back. Each
        path is looked up from the folder's descriptor (half the time of whole paths: a
        build with nothing to do stats every file of the output)."""
        found = {}
        by_folder = os.stat in os.supports_dir_fd
        folder = os.open(self.target, os.O_RDONLY) if by_folder else None
        try:
            for relative in relatives:
                try:
                    if folder is not None:
                        stat = os.stat(relative, dir_fd=folder, follow_symlinks=False)
                    else:
                        stat = os.lstat(os.path.join(self.target, relative))
                except OSError:
                    continue
                if S_ISREG(stat.st_mode):
                    found[relative] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        finally:
            if folder is not None:
                os.close(folder)
        return found

    def in_the_way(self, relatives: Iterable[str], made: set[str]) -> list[str]:
        """The files not in `made` (someone else's) that writing `relatives` would replace:
        at a file's own path, or where one of its folders goes."""
        found: list[str] = []
        folders_seen: set[str] = set()
        absent: set[str] = set()  # folders not there: nothing below them is in the way
        for relative in relatives:
            parts = relative.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder in absent:
                    break
                if folder in folders_seen:
                    continue
                folders_seen.add(folder)
                path = self.target / folder
                if not os.path.lexists(path):
                    absent.add(folder)
                    break
                if path.is_symlink() or not path.is_dir():
                    if folder not in made:
                        found.append(folder)
                    break
            else:
                path = self.target / relative
                if path.is_dir() and not path.is_symlink():
                    # a folder of sitegen's files (static/x, now a file) goes; one that
                    # holds anything else is someone else's
                    if not _holds_only(path, relative, made):
                        found.append(relative)
                elif relative not in made and os.path.lexists(path):
                    found.append(relative)
        return sorted(set(found))

    def path_of(self, relative: str) -> Path:
        """Where a file's newest bytes are: staged, or else in the output."""
        staged = self.staging / relative
        return staged if staged.exists() else self.target / relative

    # ---- staging

    def stage_copy(self, source: Path, relative: str) -> None:
        shutil.copy2(source, self._staged(relative))

    def stage_bytes(self, relative: str, data: bytes) -> None:
        self._staged(relative).write_bytes(data)

    def _staged(self, relative: str) -> Path:
        """Where a file is staged. The preview commits files one by one and keeps the
        staging folder, so a folder they were in stays there, empty: a file staged at its
        path would be copied into it (static/sub, a folder, then a file: sub/sub)."""
        dest = self.staging / relative
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        _clear_files_above(dest, self.staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    # ---- committing

    def commit_all(
        self, removed: Iterable[str], generation: str, made_before: set[str],
        listed: set[str] | None, made: set[str],
    ) -> None:  # fmt: skip
        """Move everything staged into place, delete `removed`, name the new content. The
        marker's list of the files sitegen wrote (`listed`: what it lists now, None when
        unknown) first gains every file this commit may leave if killed, and ends as
        `made`."""
        problem = _commit_problem(self.staging, self.target, removed)
        if problem is not None:
            raise problem
        if listed is not None and not self._lists_files():
            listed = None
        if listed is None or not made <= listed:
            listed = made_before | (listed or set()) | made
            self._write_marker(UPDATING, listed)
        else:
            self._write_marker(UPDATING)
        _merge(self.staging, self.target)
        self.remove(removed)
        self._write_marker(generation, made if made != listed else None)
        self.generation = generation

    def _lists_files(self) -> bool:
        assert self._lock is not None
        return b"\nfiles: " in os.pread(self._lock, 4096, 0)

    def commit(self, relatives: Iterable[str]) -> list[str]:
        """Move some staged files into place (the preview server's partial commits);
        returns those that were staged."""
        moved = []
        for relative in relatives:
            staged, dest = self.staging / relative, self.target / relative
            if not staged.exists():
                continue
            _clear_files_above(dest, self.target)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.is_dir():
                shutil.rmtree(dest)
            os.replace(staged, dest)
            moved.append(relative)
        return moved

    def remove(self, relatives: Iterable[str]) -> None:
        """Delete files (of pages that no longer exist) and the folders they leave empty."""
        for relative in sorted(relatives, reverse=True):
            path = self.target / relative
            # (IsADirectoryError: a folder of pages has taken the file's place)
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
                path.unlink()
            parent = path.parent
            while parent != self.target and _is_within(parent, self.target):
                try:
                    parent.rmdir()
                except OSError:
                    break
                parent = parent.parent

    def discard(self) -> None:
        """Forget everything staged and not committed."""
        remove_quietly(self.staging)
        self.staging.mkdir(parents=True, exist_ok=True)


def _merge(staging: Path, target: Path) -> None:
    """Move the staged tree into the target: a folder the target does not have moves in
    one rename (a first build moves a handful of folders), a file replaces its old self.
    Folders go first and `pagefind-entry.json` last, so that Pagefind's entry file never
    names index files that are not in place yet."""
    with os.scandir(staging) as scan:
        entries = sorted(scan, key=lambda e: (not e.is_dir(), e.name == "pagefind-entry.json"))
    for entry in entries:
        dest = target / entry.name
        if entry.is_dir(follow_symlinks=False):
            if dest.is_dir() and not dest.is_symlink():
                _merge(Path(entry.path), dest)
                continue
            _clear(dest)
        elif dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)  # a page that was a folder of pages
        os.replace(entry.path, dest)
    with contextlib.suppress(OSError):
        staging.rmdir()


def _commit_problem(staging: Path, target: Path, removed: Iterable[str]) -> UnwritableFolder | None:
    """Why committing would fail half way, found before it begins: a link where it moves a
    folder of pages (LinkedFolder), or a folder it would change (by a rename into it, or a
    file deleted from it) that this process may not write (permissions, a read-only file
    system)."""
    folders = {os.path.dirname(os.path.join(target, relative)) for relative in removed}
    pending = [(staging, target)]
    while pending:
        staged, folder = pending.pop()
        with os.scandir(staged) as scan:
            entries = list(scan)
        if entries:
            folders.add(str(folder))
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                continue
            dest = folder / entry.name
            if dest.is_symlink():
                return LinkedFolder(dest)
            if dest.is_dir():
                pending.append((Path(entry.path), dest))
    for name in sorted(folders):
        if os.path.isdir(name) and not os.access(name, os.W_OK | os.X_OK):
            return UnwritableFolder(Path(name))
    return None


def _clear_files_above(dest: Path, target: Path) -> None:
    """Remove a file where a folder above `dest` goes (the preview's own folder: a static
    file that became a folder of files)."""
    for parent in reversed(dest.relative_to(target).parents):
        path = target / parent
        if parent != Path(".") and (path.is_symlink() or path.is_file()):
            path.unlink()
            return


def _holds_only(folder: Path, relative: str, made: set[str]) -> bool:
    """Whether every file below `folder` (the output's `relative`) is one sitegen wrote:
    no one else's file, link or folder of files is there."""
    for dirpath, dirnames, filenames in os.walk(folder):
        below = os.path.relpath(dirpath, folder)
        prefix = relative if below == "." else f"{relative}/{Path(below).as_posix()}"
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            if f"{prefix}/{name}" not in made or os.path.islink(os.path.join(dirpath, name)):
                return False
    return True


def _clear(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "No space left on device"
    return exc.strerror or str(exc)
