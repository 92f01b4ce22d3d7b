"""Search: the Pagefind index of the day pages (made at build time, reproducible, reused while
no day page changes), the search page and box, and a real browser searching under a subpath.

The browser test uses Debian's chromium through Playwright (never a downloaded browser); it
skips without /usr/bin/chromium unless SITEGEN_REQUIRE_BROWSER=1."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import run_build

from sitegen import search
from sitegen.build import BuildOptions, build
from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics
from sitegen.model import Briefing, assemble_model, fold_accents
from sitegen.routes import plan_pages
from sitegen.search import _read, make_reproducible, pagefind_program
from sitegen.urls import Urls
from tests.tools.linkcheck import serve

if TYPE_CHECKING:
    from playwright.sync_api import Page

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/briefings/"
NO_SEARCH = "\n[search]\nenabled = false\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, copy, ignore=shutil.ignore_patterns(".sitegen-cache"))
    return copy


def partitions(out: Path) -> list[Path]:
    """The index's partitions, as the search page finds them (pagefind/bundles.json)."""
    listed = json.loads((out / "pagefind/bundles.json").read_text())["bundles"]
    return [out / "pagefind" / Path(b["path"]).name for b in listed]


def index_filters(bundle: Path) -> dict[str, set[str]]:
    """Filter name -> its values, read from Pagefind's index files."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    [language] = entry["languages"].values()
    meta = _read(bundle / f"pagefind.{language['hash']}.pf_meta")
    found = {}
    for name, file_hash in meta[3]:
        _, values = _read(bundle / "filter" / f"{file_hash}.pf_filter")
        found[name] = {value for value, _pages in values}
    return found


def test_day_pages_and_actor_pages_are_indexed_with_filters(site: Path, tmp_path: Path) -> None:
    result = build(BuildOptions(site, tmp_path / "out", jobs=1, no_cache=True))
    # three days: one partition, the primary; the actors' first pages: a partition of their own
    days, actors = partitions(tmp_path / "out")
    assert (days.name, actors.name) == ("days-2000-2099", "actors")
    for bundle, count in ((days, 3), (actors, 4)):
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == count
    assert index_filters(days) == {
        "actor": {"Ada Quill", "Harbour Board", "Northland"},
        "month": {"2022-01", "2022-02"},
        "year": {"2022"},
        "type": {"Day"},
    }
    assert index_filters(actors) == {"type": {"Actor"}}
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (tmp_path / "out/pagefind" / name).is_file()  # once, for every partition
        assert not (days / name).exists()
    assert (days / "wasm.en.pagefind").is_file()  # what the primary partition loads
    assert result.search_seconds > 0


def test_the_index_is_reused_until_a_day_page_changes(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(site, out, jobs=1))
    days, actors = partitions(out)
    entry = (days / "pagefind-entry.json").read_bytes()
    again = build(BuildOptions(site, out, jobs=1))
    assert again.search_seconds == 0  # kept from the previous build, not made anew
    assert (days / "pagefind-entry.json").read_bytes() == entry
    # the home page is not indexed: the index stays
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("home_recent = 5", "home_recent = 4"))
    assert build(BuildOptions(site, out, jobs=1)).search_seconds == 0
    # an actor's profile is on their (indexed) page: their partition is made again
    actors_entry = (actors / "pagefind-entry.json").read_bytes()
    profile = site / "content/actors/ada-quill.md"
    profile.write_text(profile.read_text() + "\nShe also chairs the port council.\n")
    assert build(BuildOptions(site, out, jobs=1)).search_seconds > 0
    assert (actors / "pagefind-entry.json").read_bytes() != actors_entry
    assert (days / "pagefind-entry.json").read_bytes() == entry
    day = site / "content/briefings/2022-02-02-what-you-need-to-know.md"
    day.write_text(day.read_text().replace("Ships moved again.", "Ships sailed again."))
    changed = build(BuildOptions(site, out, jobs=1))
    assert changed.search_seconds > 0
    assert (days / "pagefind-entry.json").read_bytes() != entry


def test_make_reproducible_leaves_an_index_it_does_not_know_alone(tmp_path: Path) -> None:
    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"en": {"hash": "en_x"}}}')
    (tmp_path / "pagefind.en_x.pf_meta").write_bytes(b"not gzip")
    assert make_reproducible(tmp_path) is False
    assert (tmp_path / "pagefind.en_x.pf_meta").read_bytes() == b"not gzip"


def test_every_page_has_a_search_box_that_works_without_javascript(
    site: Path, tmp_path: Path
) -> None:
    build(BuildOptions(site, tmp_path / "out", jobs=1, no_cache=True))
    for page in (tmp_path / "out").rglob("*.html"):
        html = page.read_text()
        assert (
            '<form class="site-search" role="search" aria-label="Site" action="/golden/search/"'
            ' method="get">' in html
        )
        assert 'name="q"' in html
    search = (tmp_path / "out/search/index.html").read_text()
    assert "<noscript>" in search and 'href="/golden/archive/"' in search
    assert '<script src="/golden/assets/search.js" type="module"></script>' in search
    assert 'data-bundle="/golden/pagefind/"' in search


def test_a_site_without_briefings_still_gets_a_working_search_page(make_site) -> None:
    site = make_site({"content/briefings/2022-01-27-brief.md": None})
    code, _, err = run_build(site)
    assert code == 0, err
    assert (site / "build/pagefind/pagefind.js").is_file()
    assert (site / "build/search/index.html").is_file()


def test_search_can_be_switched_off(site: Path, tmp_path: Path) -> None:
    with (site / "site.toml").open("a") as toml:
        toml.write(NO_SEARCH)
    build(BuildOptions(site, tmp_path / "out", jobs=1, no_cache=True))
    assert not (tmp_path / "out/pagefind").exists()
    assert not (tmp_path / "out/search").exists()
    assert "site-search" not in (tmp_path / "out/index.html").read_text()
    assert not (tmp_path / "out/assets/search.js").exists()  # no page would load it
    assert (tmp_path / "out/assets/style.css").is_file()


def test_a_static_file_where_pagefind_writes_its_own_is_an_error(site: Path) -> None:
    # static/pagefind/pagefind.js was replaced by Pagefind's without a word (a static file
    # wins over a generated one everywhere else); a file of another name there is kept
    (site / "static/pagefind").mkdir(parents=True)
    (site / "static/pagefind/pagefind.js").write_text("mine\n")
    (site / "static/pagefind/notes.txt").write_text("mine\n")
    code, out, err = run_build(site)
    assert code == 1, out
    assert err.splitlines() == [
        "static/pagefind/pagefind.js: the search index (Pagefind) writes pagefind/pagefind.js, "
        "in place of this file: rename it, or set [search] enabled = false in site.toml"
    ]
    (site / "static/pagefind/pagefind.js").unlink()
    code, out, err = run_build(site)
    assert code == 0, err
    assert (site / "build/pagefind/notes.txt").read_text() == "mine\n"


def test_a_missing_pagefind_is_one_clear_error(make_site, monkeypatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    site = make_site()
    code, out, err = run_build(site)
    assert code == 1, out
    assert err.splitlines() == [
        "site.toml: search is on ([search] enabled = true) but Pagefind is not installed: "
        "pip install 'pagefind[bin]', or set enabled = false"
    ]
    assert not (site / "build").exists()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built for a project-pages subpath."""
    out = tmp_path_factory.mktemp("example") / "build"
    build(BuildOptions(ROOT, out, base_url="https://example.github.io" + PREFIX, no_cache=True))
    return out


def _days_mentioning(out: Path, word: str) -> set[str]:
    days = set()
    for path in out.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"):
        body = path.read_text().split("data-pagefind-body")[1]
        article = body.split(">", 1)[1].split("</article>")[0]
        if re.search(rf"\b{word}\b", re.sub(r"<[^>]+>", " ", article), re.IGNORECASE):
            days.add(PREFIX + str(path.parent.relative_to(out)) + "/")
    return days


def _status(page: Page) -> str:
    """'N days and M actors for “TERM”', once the search is done."""
    return page.wait_for_selector(".search-status:text-matches('^\\\\d+ days?')").inner_text()


def _result_links(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".search-results a", "links => links.map(a => a.getAttribute('href'))"
    )


def _all_results(page: Page) -> list[str]:
    for _ in range(50):  # ten at a time, "More results" for the others
        if not page.is_visible(".search-more"):
            break
        shown = page.locator(".search-results li").count()
        page.click(".search-more")
        # until those results are in (it was a wait of 0.1 s: a slower fetch had the
        # button clicked again while the first click's results were on their way)
        page.wait_for_function(
            """shown => document.querySelectorAll(".search-results li").length > shown
                || document.querySelector(".search-more").hidden""",
            arg=shown,
        )
    return _result_links(page)


@pytest.mark.browser
def test_typing_a_surname_in_the_search_box_finds_their_days_and_page(
    example_site: Path, page: Page
) -> None:
    expected = _days_mentioning(example_site, "Lavrov")
    assert len(expected) >= 3
    with serve(example_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}")
        page.fill("#site-search-q", "Lavrov")
        page.press("#site-search-q", "Enter")
        page.wait_for_url(re.compile(r"/briefings/search/\?q=Lavrov$"))
        assert _status(page).startswith(f"{len(expected)} days and 1 actor for")
        # the actor's page first, above the days
        actors = page.eval_on_selector_all(".search-actors a", "a => a.map(x => x.pathname)")
        assert actors == [PREFIX + "actors/sergei-lavrov/"]
        assert {link.split("#")[0] for link in _all_results(page)} == expected
        # each result: its date, and the item that matches (not a list of names)
        first = page.inner_text(".search-results li >> nth=0")
        assert re.match(r"^[A-Z]+DAY, [A-Z]+ \d+, 2022", first)
        assert "Lavrov" in page.inner_text(".search-results li mark >> nth=0")
        assert any("#item-" in link for link in _result_links(page))
        page.click(".search-results a >> nth=0")
        page.wait_for_selector("article.digest h1")
        assert re.search(r"/briefings/\d{4}/\d\d/\d\d/", page.url)


@pytest.mark.browser
def test_filters_list_only_values_with_results_and_narrow_them(
    example_site: Path, page: Page
) -> None:
    with serve(example_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}search/?q=Moscow")
        before = int(_status(page).split()[0])
        options = page.eval_on_selector_all(
            "#search-actor option", "o => o.slice(1).map(x => x.textContent)"
        )
        assert options and all(re.search(r"\((\d+)\)$", o) for o in options)
        assert all(int(re.search(r"\((\d+)\)$", o).group(1)) > 0 for o in options)
        page.select_option("#search-actor", "Sergei Lavrov")
        page.wait_for_function(
            f"() => parseInt(document.querySelector('.search-status').textContent) < {before}"
        )
        assert "actor=Sergei+Lavrov" in page.url
        hrefs = _all_results(page)
        assert hrefs and {h.split("#")[0] for h in hrefs} <= _days_mentioning(
            example_site, "Lavrov"
        )
        # months are offered for the chosen year only, newest first, by name
        page.select_option("#search-year", "2022")
        page.wait_for_function("() => !document.querySelector('#search-month').disabled")
        months = page.eval_on_selector_all(
            "#search-month option", "o => o.slice(1).map(x => x.textContent)"
        )
        assert months and months[0].startswith("February 2022")


@pytest.mark.browser
def test_newest_first_orders_the_results_by_date(example_site: Path, page: Page) -> None:
    with serve(example_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}search/?q=Ukraine&order=newest")
        _status(page)
        _all_results(page)
        days = [h.split("#")[0] for h in _result_links(page)]
        assert len(days) >= 5
        assert days == sorted(days, reverse=True)  # /YYYY/MM/DD/ sorts by date
        # the word is marked, not the comma or full stop after it ("Ukraine," was)
        marks = page.eval_on_selector_all("mark", "m => m.map(x => x.textContent)")
        assert "Ukraine’s" in marks
        assert all(re.fullmatch(r"\w(.*\w)?", mark) for mark in marks), marks


@pytest.fixture(scope="module")
def two_bundle_site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with its days in two partitions, as a larger site's are: January's
    days in the primary, February's in a second one, the actors in a third."""
    program = pagefind_program()
    if program is None:
        pytest.skip("no pagefind program")
    root = tmp_path_factory.mktemp("two-bundles")
    out = root / "build"
    shutil.copytree(example_site, out, ignore=shutil.ignore_patterns("pagefind"))
    jobs = {
        name: sorted(p.relative_to(out).as_posix() for p in out.glob(glob))
        for name, glob in (("jan", "2022/01/*/index.html"), ("feb", "2022/02/*/index.html"),
                           ("actors", "actors/*/index.html"))
    }  # fmt: skip
    search.Indexing(program, jobs, lambda o: out / o, root / "scratch", out / "pagefind").run()
    tags = {name: name for name in jobs}
    (out / "pagefind/bundles.json").write_bytes(search.bundles_json(PREFIX, tags))
    return out


@pytest.mark.browser
def test_newest_first_is_ordered_over_all_bundles(two_bundle_site: Path, page: Page) -> None:
    """Pagefind orders merged results by score, whatever the sort: the page orders them."""
    expected = _days_mentioning(two_bundle_site, "Ukraine")
    assert {d[len(PREFIX) : len(PREFIX) + 7] for d in expected} == {"2022/01", "2022/02"}
    with serve(two_bundle_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}search/?q=Ukraine&order=newest")
        assert _status(page).startswith(f"{len(expected)} days")
        days = [h.split("#")[0] for h in _all_results(page)]
        assert days == sorted(expected, reverse=True)
        # best match still lists them all, from both bundles. The count is shown last, once
        # the first results are in (it was a wait of 0.3 s: a slower search was still
        # under way, its list empty or the newest-first one): blank it, wait for it again.
        page.eval_on_selector(".search-status", "status => { status.textContent = ''; }")
        page.select_option("#search-order", "")
        assert _status(page).startswith(f"{len(expected)} days")
        assert "order=" not in page.url
        assert {h.split("#")[0] for h in _all_results(page)} == expected


@pytest.mark.browser
def test_without_javascript_the_search_box_still_leads_to_the_search_page(
    example_site: Path, page: Page
) -> None:
    context = page.context.browser.new_context(java_script_enabled=False)  # type: ignore[union-attr]
    try:
        plain = context.new_page()
        with serve(example_site, PREFIX) as port:
            plain.goto(f"http://127.0.0.1:{port}{PREFIX}2022/01/27/")
            plain.fill("#site-search-q", "Lavrov")
            plain.press("#site-search-q", "Enter")
            plain.wait_for_url(re.compile(r"/briefings/search/\?q=Lavrov$"))
            # (Chromium with scripts switched off by the driver still hides <noscript>, so
            # the fallback is checked in the page, not on screen.)
            html = plain.content()
            assert "Searching needs JavaScript" in html.split("<noscript>")[1]
            assert not plain.is_visible(".search-options")
    finally:
        context.close()


# --------------------------------------------------------------------------- partitions


def _model_with_days(*days: str):

    briefings = [
        Briefing(f"content/briefings/{day}-x.md", "f", day, dt.date.fromisoformat(day), "x", "")
        for day in days
    ]
    urls = Urls("/", "/{year}/{month}/{day}/")
    model = assemble_model([], {}, briefings, day_url=urls.day)

    pages = plan_pages(model, SiteConfig(root=Path("/site")), urls, Diagnostics())
    return model, pages


def _daily(start: str, count: int) -> list[str]:

    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=n)).isoformat() for n in range(count)]


def test_partitions_are_blocks_of_years_newest_first_and_stay_put_as_days_come() -> None:
    model, pages = _model_with_days(*_daily("2016-01-01", 6 * 365))
    assert search.years_per_partition(model) == 2  # 366 days a year at most: 2 years <= 800
    found = search.plan_partitions(pages, model)
    assert list(found) == ["days-2020-2021", "days-2018-2019", "days-2016-2017"]
    assert len(found["days-2018-2019"]) == 730
    # new days go to the block of their year; no day moves to another block
    bigger, more_pages = _model_with_days(*_daily("2016-01-01", 6 * 365 + 30))
    again = search.plan_partitions(more_pages, bigger)
    assert list(again) == ["days-2022-2023", *found]
    for name, outputs in found.items():
        assert set(outputs) <= set(again[name])
    assert again["days-2016-2017"] == found["days-2016-2017"]


def test_pages_of_another_kind_get_a_partition_of_their_own(monkeypatch) -> None:
    """How actor pages join the index, once their template marks what to index."""
    model, pages = _model_with_days("2022-01-27", "2022-01-28")
    monkeypatch.setitem(search.INDEXED, "archive", "lists")
    found = search.plan_partitions(pages, model)
    assert found == {
        "days-2000-2099": ["2022/01/27/index.html", "2022/01/28/index.html"],
        "lists": ["archive/index.html"],
    }


def test_without_days_one_partition_of_every_page_carries_the_scripts() -> None:
    model, pages = _model_with_days()
    found = search.plan_partitions(pages, model)
    assert list(found) == ["site"]
    assert {"index.html", "search/index.html"} <= set(found["site"])


@pytest.fixture(scope="module")
def partitioned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus over three calendar years, indexed one partition per year."""
    root = tmp_path_factory.mktemp("partitioned")
    site = root / "site"
    command = [sys.executable, str(ROOT / "bench/gen_corpus.py"), "--n", "400", "--out",
               str(site), "--seed", "5"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    before = search.TARGET_PAGES
    search.TARGET_PAGES = 200  # 400 days: blocks of one year each
    try:
        build(BuildOptions(site, root / "out", jobs=1, no_cache=True))
    finally:
        search.TARGET_PAGES = before
    return root / "out"


def test_a_partitioned_index_lists_its_partitions(partitioned_site: Path) -> None:
    listed = json.loads((partitioned_site / "pagefind/bundles.json").read_text())["bundles"]
    assert [b["path"] for b in listed] == [
        "/pagefind/days-2022/",
        "/pagefind/days-2021/",
        "/pagefind/days-2020/",
        "/pagefind/actors/",  # the actors' first pages
    ]
    for bundle in listed:
        entry = partitioned_site / bundle["path"].strip("/") / "pagefind-entry.json"
        assert bundle["tag"] and entry.is_file()


def _articles(out: Path) -> dict[str, str]:
    """Day page URL -> the text Pagefind indexes (the digest's text, tags removed)."""
    found = {}
    for path in out.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"):
        body = path.read_text().split("data-pagefind-body")[1]
        article = body.split(">", 1)[1].split("</article>")[0]
        found["/" + str(path.parent.relative_to(out)) + "/"] = re.sub(r"<[^>]+>", " ", article)
    return found


def _a_surname_on_many_days(out: Path, articles: dict[str, str]) -> tuple[str, set[str]]:
    """The surname most mentioned in early 2021, and the day pages that mention it."""
    names = re.findall(r'class="actor-link">([A-Za-z]+)<', "".join(
        p.read_text() for p in out.glob("2021/0[1-3]/*/index.html")
    ))  # fmt: skip
    word = max(set(names), key=names.count)
    return word, {url for url, text in articles.items() if re.search(rf"\b{word}\b", text)}


@pytest.mark.browser
def test_the_search_page_merges_every_partition(partitioned_site: Path, page: Page) -> None:
    articles = _articles(partitioned_site)
    word, days = _a_surname_on_many_days(partitioned_site, articles)
    assert {day[1:5] for day in days} == {"2020", "2021", "2022"}  # in every partition
    with serve(partitioned_site, "/") as port:
        page.goto(f"http://127.0.0.1:{port}/search/?q={word}")
        assert int(_status(page).split()[0]) == len(days)


@pytest.mark.browser
def test_more_results_clicked_twice_at_once_lists_each_day_once_newest_first(
    partitioned_site: Path, page: Page
) -> None:
    """A double click on "More results" (the second click before the first batch is in) used
    to run two batches at once: newest first, each took its own month from the shared list
    and one month's results overwrote the other's, so days were listed twice, out of order
    or not at all. The batches are now fetched one after the other, in the order clicked."""
    word, days = _a_surname_on_many_days(partitioned_site, _articles(partitioned_site))
    months = {day[:9] for day in days}
    assert len(days) > 30 and len(months) >= 3  # several batches, each over several months
    with serve(partitioned_site, "/") as port:
        page.goto(f"http://127.0.0.1:{port}/search/?q={word}&order=newest")
        assert int(_status(page).split()[0]) == len(days)
        assert page.locator(".search-results li").count() == 10
        page.eval_on_selector(".search-more", "more => { more.click(); more.click(); }")
        page.wait_for_function(
            """() => document.querySelectorAll(".search-results li").length >= 30
                || document.querySelector(".search-more").hidden"""
        )
        shown = [h.split("#")[0] for h in _all_results(page)]
    assert len(shown) == len(set(shown)), "a day listed twice"
    assert shown == sorted(days, reverse=True)


def _surname_of_most_people(out: Path) -> tuple[str, set[str]]:
    """The surname (without accents) that most people share, and their pages' paths."""
    index = (out / "actors/index.html").read_text()
    pages: dict[str, set[str]] = {}
    for href, name in re.findall(r'<li class="k-person"[^>]*><a href="([^"]+)">([^<]+)</a>', index):
        pages.setdefault(fold_accents(name.split()[-1]), set()).add(href)
    surname = max(pages, key=lambda s: len(pages[s]))
    return surname, pages[surname]


@pytest.mark.browser
def test_every_actor_of_a_shared_surname_is_listed_and_excerpts_skip_the_heading(
    partitioned_site: Path, page: Page
) -> None:
    """Searching a surname that five actors share listed four of them under "and 5 actors"
    (the fifth was nowhere); and a match near a day's top showed the page's heading as the
    excerpt's start ("Sunday, October 3, 20212021. Oct. 3: What you need to …"), the
    date and the title that the result shows above it, and the hidden year."""
    surname, actor_pages = _surname_of_most_people(partitioned_site)
    assert 5 <= len(actor_pages) <= 8
    with serve(partitioned_site, "/") as port:
        page.goto(f"http://127.0.0.1:{port}/search/?q={surname}")
        status = _status(page)
        assert f" and {len(actor_pages)} actors for" in status
        listed = page.eval_on_selector_all(".search-actors a", "a => a.map(x => x.pathname)")
        assert set(listed) == actor_pages
        results = page.eval_on_selector_all(
            ".search-results li",
            """lis => lis.map(li => [li.querySelector(".result-title").textContent,
                                    li.querySelector("p").textContent])""",
        )
    assert len(results) == 10
    for title, text in results:
        heading = title.split(" · ")[-1]  # "Item 3 · Oct. 3: What you need to know today"
        assert heading not in text, text
        assert not re.search(r"\b(19|20)\d\d(19|20)\d\d\b", text), text
        assert not re.match(r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, ", text), text


@pytest.mark.browser
def test_a_double_click_on_more_results_loads_one_batch_and_opens_no_result(
    partitioned_site: Path, page: Page
) -> None:
    """A reader's double click on "More results", whose first click's batch came in before
    the second click: the list grew under the pointer, and the second click opened the
    result that now sat where the button had been. The second click of a double click now
    neither opens a result nor asks for another batch."""
    word, days = _a_surname_on_many_days(partitioned_site, _articles(partitioned_site))
    with serve(partitioned_site, "/") as port:
        page.goto(f"http://127.0.0.1:{port}/search/?q={word}&order=newest")
        _status(page)
        url = page.url
        page.locator(".search-more").scroll_into_view_if_needed()
        box = page.locator(".search-more").bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)  # the first click: ten more results, above the button
        page.wait_for_function("() => document.querySelectorAll('.search-results li').length >= 20")
        assert page.evaluate(f"() => !!document.elementFromPoint({x}, {y}).closest('a')")
        # what became of the clicks that reached a link (seen last, once the page's own
        # handlers have run)
        page.evaluate(
            """() => { window.linkClicks = [];
                window.addEventListener("click", (e) => { if (e.target.closest("a"))
                  window.linkClicks.push(e.defaultPrevented); }); }"""
        )
        page.mouse.move(x, y)
        page.mouse.down(click_count=2)  # the second click, on a result now
        page.mouse.up(click_count=2)
        assert page.evaluate("() => window.linkClicks") == [True]
        assert page.url == url
        assert page.locator(".search-results li").count() == 20
        shown = [h.split("#")[0] for h in _result_links(page)]
    assert shown == sorted(days, reverse=True)[:20]
