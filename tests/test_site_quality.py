"""The example site (the repository root) built under a subpath: zero broken links, and
valid HTML5 by the W3C Nu checker."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from sitegen.build import BuildOptions, build
from tests.tools.linkcheck import _get, crawl, links_in, serve

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/briefings/"
PUBLIC = "https://example.github.io" + PREFIX


@pytest.fixture(scope="module")
def subpath_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "build"
    build(BuildOptions(ROOT, out, base_url=PUBLIC))
    return out


def test_example_site_has_no_broken_links_under_a_subpath(subpath_build: Path) -> None:
    with serve(subpath_build, PREFIX) as port:
        # from the home page and robots.txt: robots.txt -> sitemap.xml -> every page, and
        # every page -> feeds (and their entries' links), the search page and its scripts
        result = crawl(port, PREFIX, public_base=PUBLIC, also=("robots.txt",))
    assert result.broken == []
    html_files = list(subpath_build.rglob("*.html"))
    # every page but 404.html is reachable by following links from the home page
    assert result.pages == len(html_files) - 1
    local = f"http://127.0.0.1:{port}{PREFIX}"
    for path in (
        "feed.xml", "actors/sergei-lavrov/feed.xml", "sitemap.xml", "search/",
        "assets/search.js", "assets/actors.js",
    ):  # fmt: skip
        assert local + path in result.urls, path


def test_404_page_links_work_at_any_depth(subpath_build: Path) -> None:
    """GitHub Pages answers any missing URL with 404.html, at whatever depth it was asked."""
    with serve(subpath_build, PREFIX, not_found_page="404.html") as port:
        for missing in ("nope", "2022/01/99/", "actors/nobody/page/7/", "a/b/c/d/e.html"):
            url = f"http://127.0.0.1:{port}{PREFIX}{missing}"
            status, _, body = _get(port, urlsplit(url).path)
            assert status == 404
            html = body.decode("utf-8")
            links = [urljoin(url, link) for link in links_in(html) if not link.startswith("#")]
            assert len(links) >= 5
            for link in links:
                assert _get(port, urlsplit(link).path)[0] == 200, (missing, link)
            assert 'id="main"' in html  # the skip link's target, on the page itself


def test_link_checker_notices_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/briefings/missing/">x</a><a href="#nowhere">y</a><a href="/elsewhere/">z</a>'
    )
    with serve(tmp_path, PREFIX) as port:
        result = crawl(port, PREFIX)
    assert len(result.broken) == 3


def _vnu_jar() -> str | None:
    jar = os.environ.get("SITEGEN_VNU_JAR")
    if jar and Path(jar).is_file() and shutil.which("java"):
        return jar
    return None


def test_example_site_is_valid_html(subpath_build: Path) -> None:
    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("SITEGEN_REQUIRE_TOOLS"):
            pytest.fail("SITEGEN_VNU_JAR must point at vnu.jar (npm package vnu-jar) and java")
        pytest.skip("set SITEGEN_VNU_JAR to the Nu checker's vnu.jar to run this test")
    completed = subprocess.run(
        ["java", "-jar", jar, "--errors-only", "--skip-non-html", str(subpath_build)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr


# --------------------------------------------------------------------------- footnotes

FOOTNOTED_TOML = (
    'title = "Footnotes"\nbase_url = "https://example.github.io/briefings/"\n'
    '[markdown]\nextensions = ["tables", "footnotes", "abbr", "def_list", "smarty"]\n'
)


def _footnoted_day(day: int) -> str:
    # a footnote defined apart, one under its item, and one in a block with raw HTML
    return (
        f'---\ntitle: "Day {day}"\ndate: 2022-01-{day}\n---\nThe lead[^a].\n\n## Items\n\n'
        "**Talks.** [[NATO]] met for six hours[^1] and again[^2].\n\n"
        "- **List.** An entry with a list in it:\n\n    - one sub-entry\n    - and another\n\n"
        "**Vote.** It was <em>provisional</em>[^1].\n[^1]: Parliament.\n\n"
        "[^1]: Reuters.\n\n[^2]: Two diplomats who spoke on condition of anonymity.\n\n"
        "[^a]: AFP.\n\n"
        "| Country | Banks | Energy | Exports | Individuals | Aviation | Since |\n"
        "|---|---|---|---|---|---|---|\n"
        "| United States | SWIFT exclusion | Oil embargo | Semiconductors | 1,200 oligarchs |"
        " Airspace closed | 2022-02-24 |\n\n"
        "**Link.** At https://www.example.org/sanctions/complete-list-of-all-measures-by-sector"
        ".html and Officialreferencenumber-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789.\n"
    )


@pytest.fixture(scope="module")
def footnoted_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("footnoted")
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/actors").mkdir()
    (root / "site.toml").write_text(FOOTNOTED_TOML)
    (root / "content/actors/nato.md").write_text("---\nname: NATO\nkind: organization\n---\n")
    for day in (27, 28):
        (root / f"content/briefings/2022-01-{day}-x.md").write_text(_footnoted_day(day))
    out = root / "build"
    build(BuildOptions(root, out, base_url=PUBLIC))
    return out


def test_footnotes_have_unique_ids_and_working_links(footnoted_build: Path) -> None:
    # each block is converted on its own: two items with a [^1] each gave two id="fn:1" on
    # a day page, NATO's page (items of both days) two of each, and the item with raw HTML,
    # cleaned by nh3, lost its note's id (its reference led to the other item's note)
    for path in footnoted_build.rglob("*.html"):
        ids = re.findall(r'\bid="([^"]*)"', path.read_text())
        assert len(ids) == len(set(ids)), path
    day = (footnoted_build / "2022/01/27/index.html").read_text()
    assert day.count('class="footnote"') == 3 and day.count('class="footnote-ref"') == 4
    with serve(footnoted_build, PREFIX) as port:
        result = crawl(port, PREFIX)
    assert result.broken == []


@pytest.mark.browser
def test_a_wide_table_or_a_long_link_scrolls_no_page_sideways_on_a_phone(
    footnoted_build: Path, page: Any
) -> None:
    # a table of seven columns and a long link made the day's page 715px wide on a 390px
    # phone; the table now scrolls in a box of its own, one a keyboard can reach
    with serve(footnoted_build, PREFIX) as port:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"http://127.0.0.1:{port}{PREFIX}2022/01/27/")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390
        box = page.eval_on_selector(
            ".table-scroll", "e => [e.scrollWidth > e.clientWidth, e.tabIndex, e.role]"
        )
        assert box == [True, 0, "region"]


@pytest.mark.browser
def test_footnotes_and_lists_in_an_item_keep_the_item_width(
    footnoted_build: Path, page: Any
) -> None:
    # '.items li' (the items' two-column grid) also laid out the notes' <li> and a list's
    # entries inside an item: their text in a column a word wide under a number's place
    with serve(footnoted_build, PREFIX) as port:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"http://127.0.0.1:{port}{PREFIX}2022/01/27/")
            body = page.eval_on_selector("#item-1 .item-body", "e => e.clientWidth")
            for selector in (".footnote li", "#item-2 li"):
                widths = page.eval_on_selector_all(
                    selector, "es => es.map(e => [getComputedStyle(e).display, e.clientWidth])"
                )
                assert widths, selector
                for display, inner in widths:
                    assert display == "list-item" and inner > body * 0.8, (width, selector)
