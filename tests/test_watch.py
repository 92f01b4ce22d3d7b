"""watch.py: what `sitegen serve` hears about, through watchfiles, with real files.

Each case runs with the system's notifications and with polling (watchfiles' fallback, and
its choice on WSL). The polling watcher of watchfiles 1.3 (notify 8) compares modification
times in whole seconds (samuelcolvin/watchfiles#319), so it misses a rewrite in the same
second as the file's previous write: polling cases rewrite a file only in a later second.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import watchfiles

from sitegen.watch import Watcher
from tests.tools.polling import wait_until

TIMEOUT = 30.0  # a bound on a hang: a busy machine may take seconds to hear a change


class Heard:
    """What a watcher reported, in order."""

    def __init__(self) -> None:
        self.batches: list[set[Path] | None] = []

    def paths(self) -> set[Path]:
        return set().union(*(batch for batch in self.batches if batch))

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not condition():
            assert loop.time() < deadline, f"not heard: {what}; heard {self.batches}"
            await asyncio.sleep(0.02)

    async def hears(self, *paths: Path) -> None:
        await self.until(lambda: set(paths) <= self.paths(), ", ".join(map(str, paths)))

    async def quiet(self) -> None:
        """Long enough for anything pending to arrive (a poll, a batch)."""
        await asyncio.sleep(0.4)


@pytest.fixture(params=[False, True], ids=["notify", "polling"])
def polling(request: pytest.FixtureRequest) -> bool:
    return request.param


async def a_second_later(path: Path, polling: bool) -> None:
    """When polling, wait for a later second than the last write of `path`."""
    if polling and path.exists():
        while int(time.time()) <= int(path.stat().st_mtime):
            await asyncio.sleep(0.05)


async def rewrite(path: Path, text: str, polling: bool) -> None:
    await a_second_later(path, polling)
    path.write_text(text)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "sub").mkdir(parents=True)
    (tmp_path / "content" / "a.md").write_text("a")
    (tmp_path / "site.toml").write_text("title = 'x'\n")
    return tmp_path


@asynccontextmanager
async def watching(site: Path, polling: bool, folders: tuple[str, ...] = ("content",)):
    heard = Heard()
    watcher = Watcher(
        [site / name for name in folders],
        [site / "site.toml"],
        heard.batches.append,
        force_polling=polling,
        poll_delay_ms=50,
    )
    watcher.start(asyncio.get_running_loop())  # returns once the watches are in place
    try:
        yield heard
    finally:
        watcher.close()


def run(scenario: Callable[[], object]) -> None:
    asyncio.run(scenario())  # type: ignore[arg-type]


def test_saved_created_and_deleted_files_and_site_toml(site: Path, polling: bool) -> None:
    content = site / "content"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            await rewrite(content / "a.md", "b", polling)
            await heard.hears(content / "a.md")
            (content / "sub" / "new.md").write_text("c")
            await heard.hears(content / "sub" / "new.md")
            heard.batches.clear()
            (content / "a.md").unlink()
            await heard.hears(content / "a.md")
            await rewrite(site / "site.toml", "title = 'y'\n", polling)
            (site / "elsewhere.txt").write_text("not the site's")
            await heard.hears(site / "site.toml")
            await heard.quiet()
            assert site / "elsewhere.txt" not in heard.paths()

    run(scenario)


def test_editor_droppings_and_hidden_files_are_not_heard(site: Path, polling: bool) -> None:
    content = site / "content"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            (content / ".drafts").mkdir()
            for name in (".a.md.swp", "a.md~", "#a.md#", "4913", "a.md.tmp", ".drafts/x.md"):
                (content / name).write_text("x")
            (content / "real.md").write_text("x")
            await heard.hears(content / "real.md")
            await heard.quiet()
            assert heard.paths() == {content / "real.md"}

    run(scenario)


def test_site_toml_replaced_by_rename_is_heard_every_time(site: Path, polling: bool) -> None:
    """vim and many editors write a new file and rename it over the old one."""

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            for round_ in range(3):
                heard.batches.clear()
                new = site / "site.toml.new"
                await a_second_later(site / "site.toml", polling)
                new.write_text(f"title = '{round_}'\n")
                os.replace(new, site / "site.toml")
                await heard.hears(site / "site.toml")

    run(scenario)


def test_a_folder_created_later_is_watched(site: Path, polling: bool) -> None:
    templates = site / "templates"

    async def scenario() -> None:
        async with watching(site, polling, ("content", "templates")) as heard:
            templates.mkdir()
            (templates / "day.html").write_text("a")
            await heard.hears(templates / "day.html")
            await heard.quiet()
            heard.batches.clear()
            await rewrite(templates / "day.html", "b", polling)
            await heard.hears(templates / "day.html")

    run(scenario)


def test_a_folder_removed_and_made_again_is_watched_again(site: Path, polling: bool) -> None:
    content = site / "content"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            shutil.rmtree(content)
            await heard.hears(content)
            content.mkdir()
            (content / "b.md").write_text("b")
            await heard.hears(content / "b.md")
            await heard.quiet()
            heard.batches.clear()
            await rewrite(content / "b.md", "c", polling)
            await heard.hears(content / "b.md")

    run(scenario)


def test_files_of_a_folder_moved_in_are_heard(site: Path, polling: bool) -> None:
    outside = site / "elsewhere" / "2022"
    outside.mkdir(parents=True)
    (outside / "x.md").write_text("x")
    (outside / "deeper").mkdir()
    (outside / "deeper" / "y.md").write_text("y")
    inside = site / "content" / "2022"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            outside.rename(inside)
            await heard.hears(inside / "x.md", inside / "deeper" / "y.md")

    run(scenario)


def test_a_site_folder_that_is_a_link_is_watched_where_it_leads_after_a_re_point(
    site: Path, polling: bool
) -> None:
    """content/ a link to one of two copies, switched with `ln -sfn` (a new link renamed
    over the old one): the files where it leads now are heard, and their later edits."""
    content, old, new = site / "content", site / "content-a", site / "content-b"
    content.rename(old)
    shutil.copytree(old, new)
    (new / "b.md").write_text("only in b")
    content.symlink_to("content-a")

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            link = site / "content.new"
            link.symlink_to("content-b")
            os.replace(link, content)
            await heard.hears(new / "a.md", new / "b.md")
            await heard.quiet()
            heard.batches.clear()
            await rewrite(new / "b.md", "edited in b", polling)
            await heard.hears(new / "b.md")
            await rewrite(old / "a.md", "edited where it no longer leads", polling)
            await heard.quiet()
            assert old / "a.md" not in heard.paths()

    run(scenario)


def test_an_edit_of_the_file_a_link_leads_to_outside_the_folders_is_heard(
    site: Path, polling: bool
) -> None:
    """content/a.md a link to a file kept elsewhere in the site: its edits are the link's."""
    store = site / "store"
    store.mkdir()
    (store / "kept.md").write_text("kept")
    link = site / "content" / "linked.md"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            link.symlink_to("../store/kept.md")
            await heard.hears(link)
            await heard.quiet()
            heard.batches.clear()
            await rewrite(store / "kept.md", "edited where the link leads", polling)
            await heard.hears(link)
            heard.batches.clear()
            link.unlink()
            await heard.hears(link)
            await heard.quiet()
            heard.batches.clear()
            await rewrite(store / "kept.md", "no link leads here now", polling)
            await heard.quiet()
            assert link not in heard.paths()

    run(scenario)


def test_a_change_right_after_start_is_heard_when_the_watch_threads_start_late(
    site: Path, polling: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy machine schedules the watch threads late: a save made once `start` has
    returned (serve's first build reads the files then) went unheard until the threads
    had set their watches up. start returns once they have."""
    import sitegen.watch

    real = watchfiles.watch

    def late(*args: Any, **kwargs: Any) -> Iterator[set[tuple[watchfiles.Change, str]]]:
        time.sleep(0.5)  # as a thread that is not scheduled for half a second
        yield from real(*args, **kwargs)

    monkeypatch.setattr(sitegen.watch.watchfiles, "watch", late)
    content = site / "content"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            (content / "new.md").write_text("new")
            await rewrite(site / "site.toml", "title = 'y'\n", polling)
            await heard.hears(content / "new.md", site / "site.toml")

    run(scenario)


def test_close_stops_the_watch_threads(site: Path) -> None:
    def watch_threads() -> Iterator[threading.Thread]:
        return (t for t in threading.enumerate() if t.name == "sitegen-watch")

    async def scenario() -> None:
        async with watching(site, polling=False) as heard:
            assert len(list(watch_threads())) == 2
        (site / "content" / "a.md").write_text("after close")
        await heard.quiet()
        assert heard.batches == []

    run(scenario)
    # close asks the threads to stop and waits a while for them; a busy machine may not
    # have run them since (a bound on a hang, not a timing)
    assert wait_until(lambda: not list(watch_threads()), TIMEOUT), list(watch_threads())


def test_a_rewrite_that_keeps_size_and_time_stamp_is_heard(site: Path, polling: bool) -> None:
    """`cp -p`, `rsync -t` or `touch -d` after an edit of the same size: the file's mtime is
    what it was. Notifications see the write; the poller, which compares mtimes, does not,
    so when polling the watcher compares ctimes too (before: never heard). A second save
    within one second is the same case."""
    page = site / "content" / "a.md"

    async def scenario() -> None:
        async with watching(site, polling) as heard:
            before = page.stat()
            await asyncio.sleep(1.1)  # (a later ctime, whatever the clock's resolution)
            page.write_text("z")
            os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
            await heard.hears(page)

    run(scenario)


def test_a_second_same_size_save_in_the_second_the_poller_reported_is_heard(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Polling: a save the poller reports, then another of the same size in the same second.
    The poller sees the same time and size; the sweep compared the file with its own last
    look, taken before the first save (another second), and let it pass too: the preview
    kept the first save for good. The sweep compares with what the poller reported."""
    import sitegen.watch

    monkeypatch.setattr(sitegen.watch, "SWEEP_SECONDS", 3.0)  # no sweep between the saves
    path = site / "content" / "a.md"

    # Both saves are given one whole-second time stamp, as two saves within one second
    # get: waiting for the clock to start a second made the test depend on the poller
    # hearing the first save within that second, which a loaded machine missed (CI).
    second = int(time.time()) + 10  # (the poller hears only a later time)

    def save(text: str) -> None:
        path.write_text(text)
        os.utime(path, (second, second))

    async def scenario() -> None:
        async with watching(site, True) as heard:
            save("first")
            await heard.hears(path)
            heard.batches.clear()
            save("again")  # same size, same second
            await heard.hears(path)

    run(scenario)
