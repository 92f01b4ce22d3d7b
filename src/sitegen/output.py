"""Output: the only code that writes the output folder.

A build writes into a fresh staging folder beside the target and swaps it in only when
everything succeeded, so a failed build never leaves a half-written site and files of
deleted content never linger (as Lektor prunes stale artefacts).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics

# Kept from the old output: a git checkout of the deploy branch that a user keeps in build/.
PRESERVED = (".git",)
# Written into every output folder. A build replaces a non-empty folder only when it holds
# this file, so a mistyped --out can never wipe someone's documents.
MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is written by sitegen; every build replaces its contents.\n"


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(out: Path, config: SiteConfig, diags: Diagnostics) -> None:
    """Refuse folders whose replacement would destroy something that is not output."""
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
    if reason is None and _foreign(out):
        reason = f"holds files that sitegen did not write (no {MARKER}); empty it or pick another"
    if reason:
        diags.error(str(out), None, f"refusing to use this output folder: it {reason}")


def _foreign(out: Path) -> bool:
    """A non-empty folder that is not a previous output of sitegen."""
    if not out.is_dir() or (out / MARKER).is_file():
        return False
    return any(entry.name not in PRESERVED for entry in out.iterdir())


class _Staging:
    """Writing files under `self.staging`, each folder made once."""

    staging: Path
    _made: set[str]

    def _staged(self, relative: str) -> Path:
        path = self.staging / relative
        parent = str(path.parent)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return path

    def write(self, relative: str, content: str | bytes) -> None:
        """Stage a file; it reaches the target when the output commits."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(self._staged(relative), "wb") as handle:
            handle.write(data)


class StagedOutput(_Staging):
    """Writes into a hidden sibling folder; `commit` swaps it in, `discard` removes it."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._clean_leftovers()
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}.staging-", dir=self.target.parent)
        )
        (self.staging / MARKER).write_text(MARKER_TEXT)
        self._made: set[str] = set()

    def _clean_leftovers(self) -> None:
        """Staging folders of builds that were killed before they could clean up."""
        for stale in self.target.parent.glob(f".{self.target.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in self.target.parent.glob(f".{self.target.name}.staging-*"):
            if stale.is_dir() and not _alive(stale):
                shutil.rmtree(stale, ignore_errors=True)

    def reuse(self, previous: Path, relative: str) -> bool:
        """Put an unchanged file of the previous output in place by hard link (files are
        never changed in place, only replaced, so sharing the inode is safe)."""
        try:
            os.link(previous, self._staged(relative))
        except OSError:
            return False
        return True

    def copy_tree(
        self, source: Path, relative: str = "", files: Iterable[Path] | None = None
    ) -> int:
        """Copy a folder (static files) into the output; returns the number of files.
        `files`: the files under source to copy (source.site_files), instead of all."""
        count = 0
        for src in _walk(source) if files is None else files:
            dest = self.staging / relative / src.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            count += 1
        return count

    def commit(self) -> None:
        """Swap the staging folder in for the target."""
        for name in PRESERVED:
            kept = self.target / name
            if kept.exists() and not (self.staging / name).exists():
                kept.rename(self.staging / name)
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.parent))
            old.rmdir()
            self.target.rename(old)
            self.staging.rename(self.target)
            _remove_in_background(old)
        else:
            self.staging.rename(self.target)
        os.chmod(self.target, 0o755)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


class InPlaceOutput(_Staging):
    """Updates a folder while it is being served (the `serve` preview), file by file.

    Pages are written under a staging folder (by forked workers too) and moved over the old
    files with `os.replace` only on `commit`, so a reader gets the old file or the new one,
    never half of one, and a failed rebuild changes nothing. `staging` must be on the same
    file system as `target` and outside it.
    """

    def __init__(self, target: Path, staging: Path) -> None:
        self.target = target.resolve()
        self.staging = staging.resolve()
        self.target.mkdir(parents=True, exist_ok=True)
        self._made: set[str] = set()
        self.copied: set[str] = set()  # files `copy_tree` put in place, for pruning
        self.discard()

    def commit(self, relatives: Iterable[str]) -> list[str]:
        """Move staged files into place; returns those whose bytes changed (the others are
        left alone, so that nothing reloads a page that looks the same)."""
        changed = []
        for relative in relatives:
            staged, dest = self.staging / relative, self.target / relative
            if _same_bytes(staged, dest):
                staged.unlink()
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, dest)
            changed.append(relative)
        return changed

    def discard(self) -> None:
        """Forget everything staged and not committed."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._made.clear()

    def remove(self, relatives: Iterable[str]) -> None:
        """Delete files (of pages that no longer exist) and the folders they leave empty."""
        for relative in relatives:
            path = self.target / relative
            path.unlink(missing_ok=True)
            parent = path.parent
            while parent != self.target and _is_within(parent, self.target):
                try:
                    parent.rmdir()
                except OSError:
                    break
                parent = parent.parent

    def copy_tree(
        self, source: Path, relative: str = "", files: Iterable[Path] | None = None
    ) -> int:
        """Copy a folder (static files) into place like `StagedOutput.copy_tree`, skipping
        files that are already there with the same size and time; returns the number of
        files. Each file is replaced atomically, and recorded in `copied`."""
        count = 0
        for src in _walk(source) if files is None else files:
            rel = (Path(relative) / src.relative_to(source)).as_posix()
            dest = self.target / rel
            self.copied.add(rel)
            count += 1
            if _same_stat(src, dest):
                continue
            staged = self.staging / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, staged)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, dest)
        return count


def _walk(folder: Path) -> Iterable[Path]:
    """Every file under folder but hidden ones (the theme's own files)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        yield from (Path(dirpath) / name for name in filenames if not name.startswith("."))


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _same_stat(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.stat(), b.stat()
    except OSError:
        return False
    return sa.st_size == sb.st_size and sa.st_mtime_ns == sb.st_mtime_ns


def _remove_in_background(folder: Path) -> None:
    """Delete the replaced output without making the user wait for it (thousands of
    files). A leftover, if the machine stops first, is removed by the next build."""
    if not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    pid = os.fork()
    if pid == 0:  # child: detach, delete, leave without running any cleanup of the parent
        try:
            os.setsid()
            if os.fork() == 0:
                _let_go_of_standard_streams()
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _let_go_of_standard_streams() -> None:
    """Point stdin, stdout and stderr at /dev/null: whoever reads the build's output through
    a pipe (CI logs, `| tail`, a test) would otherwise wait for the deletion to finish."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _alive(folder: Path) -> bool:
    """A staging folder is in use while it was touched in the last hour (another build)."""
    import time

    try:
        return time.time() - folder.stat().st_mtime < 3600
    except OSError:
        return False
