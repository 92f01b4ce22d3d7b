"""Builds that reuse the cache give exactly the output of a clean build, after any edit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import build as build_module
from sitegen import load
from sitegen.build import BuildOptions, build
from sitegen.cache import BODIES, CACHE_DIR, BodyStore, BuildCache
from sitegen.diagnostics import SitegenError

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
BRIEF = "content/briefings/2022-01-31-what-you-need-to-know.md"
DAY_2 = "content/briefings/2022-02-01-what-you-need-to-know.md"
RENAMED = "name: Ada M. Quill\nslug: ada-quill"
FEEDS = "[feeds]\ndays = 1\n\n"
NO_SEARCH = "[search]\nenabled = false\n\n"


def board_file(site: Path) -> Path:
    return site / "content/actors/harbour-board.md"


def quill_file(site: Path) -> Path:
    return site / "content/actors/ada-quill.md"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def _bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _include_computed(site: Path) -> None:
    (site / "templates/part.html").write_text("Part A\n")
    _edit(site / "templates/footer.html", "Gilded", 'Gilded{% include "pa" ~ "rt.html" %}')


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("nothing", lambda s: None),
    ("edit an item", lambda s: _edit(s / BRIEF, "said on Monday", "said on Tuesday")),
    ("touch without change", lambda s: _bump_mtime(s / BRIEF)),
    (
        "add a day",
        lambda s: (s / "content/briefings/2022-02-03-what-you-need-to-know.md").write_text(
            '---\ntitle: "Feb. 3"\ndate: 2022-02-03\n---\nCalm.\n\n## Items\n\n[[Quill]] rested.\n'
        ),
    ),
    # inside the chart frame: same first and last month, no busier month (see the test below)
    ("add a day in the span", lambda s: (s / "content/briefings/2022-01-30-quiet.md").write_text(
        '---\ntitle: "Jan. 30"\ndate: 2022-01-30\n---\nQuiet.\n\n## Items\n\n[[Quill]] rested.\n'
    )),
    (
        "rename a day",
        lambda s: (s / "content/briefings/2022-02-03-what-you-need-to-know.md").rename(
            s / "content/briefings/2022-02-03-calm.md"
        ),
    ),
    ("delete a day", lambda s: (s / "content/briefings/2022-02-03-calm.md").unlink()),
    (
        "add an alias",
        lambda s: _edit(
            s / "content/actors/harbour-board.md", '"the Board"', '"the Board", "Port Board"'
        ),
    ),
    (
        "mention via the new alias",
        lambda s: _edit(s / BRIEF, "walked out.", "walked out, and the [[Port Board]] followed."),
    ),
    ("drop the alias", lambda s: _edit(board_file(s), ', "Port Board"', "")),
    (
        "mention an actor on a day that did not name them",  # counts on the actors index
        lambda s: _edit(s / DAY_2, "on its website.", "on its website; [[Northland]] noticed."),
    ),
    ("retitle a day", lambda s: _edit(s / DAY_2, 'title: "', 'title: "Retitled: ')),
    # the actor's collected quotes (first page) show a quote of a day beyond its timeline
    ("edit a quote", lambda s: _edit(s / BRIEF, "We will not be rushed", "We won't be rushed")),
    ("edit a summary", lambda s: _edit(s / BRIEF, "second week.", "second week, again.")),
    # an affiliation is linked when it names an actor
    ("affiliate to another actor", lambda s: _edit(quill_file(s), "country: Northland",
                                                   "country: Harbour Board")),
    ("rename an actor", lambda s: _edit(quill_file(s), "name: Ada Quill", RENAMED)),
    ("edit a template", lambda s: _edit(s / "templates/footer.html", "Golden", "Gilded")),
    ("include a template by a computed name", lambda s: _include_computed(s)),
    ("edit the template included by a computed name",  # (its edit was never seen)
     lambda s: (s / "templates/part.html").write_text("Part B\n")),
    ("edit site.toml", lambda s: _edit(s / "site.toml", "actor_days = 2", "actor_days = 1")),
    ("fewer feed days", lambda s: _edit(s / "site.toml", "[pagination]", FEEDS + "[pagination]")),
    ("drop the static robots.txt", lambda s: (s / "static/robots.txt").unlink()),
    ("static robots.txt again", lambda s: (s / "static/robots.txt").write_text("User-agent: *\n")),
    ("switch search off", lambda s: _edit(s / "site.toml", "[feeds]", NO_SEARCH + "[feeds]")),
]  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, copy, ignore=shutil.ignore_patterns(".sitegen-cache"))
    return copy


def _cached_briefings(site: Path) -> set[str]:
    return set(BuildCache(site / CACHE_DIR, site).load_briefings().entries)


def _briefing_files(site: Path) -> set[str]:
    return {str(p) for p in (site / "content/briefings").glob("*.md")}


# jobs=2 with min_parallel=1: the cached builds fork workers, which write the bodies;
# streamed: bodies left in the cache and read as pages need them, as for a large site
@pytest.mark.parametrize(("jobs", "streamed"), [(1, False), (2, False), (1, True), (2, True)])
def test_cached_builds_match_clean_builds_after_each_edit(
    site: Path, tmp_path: Path, jobs: int, streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if streamed:
        monkeypatch.setattr(load, "BODIES_IN_MEMORY", 0)
        monkeypatch.setattr(build_module, "BODIES_IN_MEMORY", 0)
    out = tmp_path / "out"
    build(BuildOptions(site, out, jobs=jobs, min_parallel=1))
    for name, edit in EDITS:
        edit(site)
        result = build(BuildOptions(site, out, jobs=jobs, min_parallel=1))
        clean = tmp_path / f"clean-{name.replace(' ', '-')}"
        build(BuildOptions(site, clean, jobs=1, no_cache=True))
        assert _tree(out) == _tree(clean), f"after: {name}"
        assert _cached_briefings(site) == _briefing_files(site), f"cache after: {name}"
        if name == "nothing":
            assert result.rendered == 0, "an unchanged site re-rendered pages"


def _bodies(site: Path) -> set[str]:
    return BodyStore(site / CACHE_DIR, site).keys()


def _entry_keys(site: Path) -> set[str]:
    cache = BuildCache(site / CACHE_DIR, site)
    return {entry.key for entry in cache.load_briefings().entries.values()}


def test_an_edit_writes_its_own_body_and_keeps_the_others(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(site, out, jobs=1))
    before = _bodies(site)
    assert before == _entry_keys(site)
    _edit(site / BRIEF, "said on Monday", "said on Tuesday")
    build(BuildOptions(site, out, jobs=1))
    after = _bodies(site)
    assert len(after - before) == 1 and after >= _entry_keys(site)
    assert len(list((site / CACHE_DIR / BODIES).glob("*.pack"))) <= 2


def test_a_one_line_edit_re_renders_only_the_pages_that_show_it(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(BuildOptions(site, out, jobs=1))
    _edit(site / "content/briefings/2022-02-02-what-you-need-to-know.md", "Ships", "Boats")
    again = build(BuildOptions(site, out, jobs=1))
    assert 0 < again.rendered < first.pages


def _inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*.html")}


def test_a_new_day_redraws_the_charts_of_other_actors_only_when_their_frame_changes(
    site: Path, tmp_path: Path
) -> None:
    """Actors' first pages depend on the chart frame (first and last month, the busiest
    month's days), not on every date: a new day in a quiet month leaves the first page of
    an actor it does not name as it was (reused, so the same file), a day that makes a
    month the busiest redraws every chart on the new scale."""
    out = tmp_path / "out"
    board = "actors/harbour-board/index.html"
    build(BuildOptions(site, out, jobs=1))
    before = _inodes(out)
    day = '---\ntitle: "{0}"\ndate: {0}\n---\nQuiet.\n\n## Items\n\n[[Quill]] rested.\n'
    (site / "content/briefings/2022-01-30-quiet.md").write_text(day.format("2022-01-30"))
    build(BuildOptions(site, out, jobs=1))
    after = _inodes(out)
    assert after[board] == before[board]
    assert after["actors/ada-quill/index.html"] != before["actors/ada-quill/index.html"]
    (site / "content/briefings/2022-02-03-quiet.md").write_text(day.format("2022-02-03"))
    build(BuildOptions(site, out, jobs=1))
    assert _inodes(out)[board] != after[board]  # February now has 3 days: a new scale
    assert "full height is 3 days" in (out / board).read_text()


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failure(
    site: Path, tmp_path: Path
) -> None:
    (site / CACHE_DIR).write_text("not a folder")  # as when the disk is full or read-only
    result = build(BuildOptions(site, tmp_path / "out", jobs=1, strict=True))
    assert result.pages > 0
    assert [d.format() for d in result.warnings] == [
        f"{CACHE_DIR}: warning: cannot write the build cache (Not a directory); "
        "building without it",
    ]
    clean = tmp_path / "clean"
    build(BuildOptions(site, clean, jobs=1, no_cache=True))
    assert _tree(tmp_path / "out") == _tree(clean)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_briefing_copied_over_another_does_not_lend_it_its_body(
    site: Path, tmp_path: Path, jobs: int
) -> None:
    """The same bytes in another file are another briefing: copied over the next day's
    file (`cp -p`), they fail there (their date disagrees with its name), and the empty
    body of that failure was stored under the key of the original's body, which a later
    build read: a traceback (IndexError) rendering the original's actor pages."""
    out, day_3 = tmp_path / "out", site / "content/briefings/2022-02-02-what-you-need-to-know.md"
    build(BuildOptions(site, out, jobs=jobs, min_parallel=1))
    kept = day_3.read_bytes()
    shutil.copy2(site / DAY_2, day_3)
    with pytest.raises(SitegenError, match="disagrees with the date in the file name"):
        build(BuildOptions(site, out, jobs=jobs, min_parallel=1))
    day_3.write_bytes(kept)
    _edit(site / BRIEF, "said on Monday", "said on Tuesday")  # its pages show day 2 too
    build(BuildOptions(site, out, jobs=jobs, min_parallel=1))
    clean = tmp_path / "clean"
    build(BuildOptions(site, clean, jobs=1, no_cache=True))
    assert _tree(out) == _tree(clean)
