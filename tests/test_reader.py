"""The reader's pages at scale: the actors index (most active, A–Z, filter, letter pages),
actor timelines by year with dated pagers and collected quotes, the day at a glance, one
link per actor per item, accent-folded search, and the DOM budget of every kind of page.

Browser tests use Debian's chromium through Playwright (see conftest.page)."""

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
from hypothesis import given
from hypothesis import strategies as st

from sitegen import render, routes, scaffold
from sitegen.build import BuildOptions, build
from sitegen.render import curly, curly_html, glance_line, tidy_links
from tests.tools.linkcheck import serve

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
PREFIX = "/briefings/"
DOM_BUDGET = 1500
NO_SEARCH = "\n[search]\nenabled = false\n"
YILMAZ = "---\nname: İlkay Yılmaz\nkind: person\nrole: Trade Envoy\n---\nAn envoy.\n"


# --------------------------------------------------------------------------- units


def test_curly_quotes_in_text_and_in_html_but_not_in_tags_or_code() -> None:
    assert curly('He said "no" and it\'s over.') == "He said \u201cno\u201d and it\u2019s over."
    assert curly('\'Tis ("a")') == "\u2018Tis (\u201ca\u201d)"
    html = '<p>A "b" <a href="/x/" class="y">it\'s</a> <code>"raw"</code></p>'
    assert curly_html(html) == (
        '<p>A \u201cb\u201d <a href="/x/" class="y">it\u2019s</a> <code>"raw"</code></p>'
    )


def test_one_link_per_actor_per_block_and_none_to_the_page_itself() -> None:
    link = '<a href="/actors/{0}/" class="actor-link">{1}</a>'
    html = " ".join(
        [link.format("ru", "Russia"), link.format("ru", "Moscow"), link.format("nato", "NATO"),
         link.format("ru", "Russia")]
    )  # fmt: skip
    assert (
        tidy_links(html)
        == f"{link.format('ru', 'Russia')} Moscow {link.format('nato', 'NATO')} Russia"
    )
    assert tidy_links(html, "/actors/ru/") == f"Russia Moscow {link.format('nato', 'NATO')} Russia"


def _tidy_links_by_sub(html: str, own_href: str | None = None) -> str:
    """tidy_links as it was written before (a function per match): the reference."""
    if html.count('class="actor-link"') < (1 if own_href else 2):
        return html
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        if match.group(1) == own_href or match.group(1) in seen:
            return match.group(2)
        seen.add(match.group(1))
        return match.group(0)

    return render._ACTOR_LINK.sub(keep_first, html)


_LINK_PIECES = st.sampled_from(
    ['<a href="/actors/ru/" class="actor-link">', '<a href="/actors/nato/" class="actor-link">',
     '<a href="" class="actor-link">', '<a href="/x/">', "</a>", "Russia", " ", "\n", "<p>",
     "</p>", '"', '<a href="/actors/ru/"', ' class="actor-link">', "<em>NATO</em>", "é"]
)  # fmt: skip


@given(
    st.lists(_LINK_PIECES, max_size=14).map("".join),
    st.sampled_from([None, "", "/actors/ru/", "/actors/nato/", "/x/"]),
)
def test_tidy_links_is_the_same_as_a_substitution_per_match(html: str, own: str | None) -> None:
    assert tidy_links(html, own) == _tidy_links_by_sub(html, own)


def test_an_item_at_a_glance_keeps_its_bold_lead_in() -> None:
    """From the item's HTML: **Courts.** The judge said "no". Then more."""
    html = "<p><strong>Courts.</strong> The judge said &quot;no&quot;. Then more.</p>"
    assert glance_line(html) == ("Courts", "The judge said \u201cno\u201d.")
    html = '<p><a href="/actors/nato/" class="actor-link">NATO</a> met. Then more.</p>'
    assert glance_line(html) == ("", "NATO met.")
    # **[Courts](/c/).** Judges *met* U.S. envoys. X.
    html = '<p><strong><a href="/c/">Courts</a>.</strong> Judges <em>met</em> U.S. envoys. X.</p>'
    assert glance_line(html) == ("Courts", "Judges met U.S. envoys.")
    assert glance_line("<p><strong>Not a lead-in</strong> here. More.</p>") == (
        "",
        "Not a lead-in here.",
    )


def test_an_item_at_a_glance_leaves_out_its_footnotes() -> None:
    # the reference's number and the note were read as the item's words: 'six hours1 and',
    # 'Short item1 Note x. ↩'
    html = (
        '<p><strong>Third.</strong> Short item<sup id="fnref:d:item-3:x"><a class="footnote-ref"'
        ' href="#fn:d:item-3:x">1</a></sup></p>\n<div class="footnote">\n<hr />\n<ol>\n'
        '<li id="fn:d:item-3:x">\n<p>Note x.&#160;<a class="footnote-backref" '
        'href="#fnref:d:item-3:x" title="Jump back to footnote 1 in the text">&#8617;</a></p>\n'
        "</li>\n</ol>\n</div>"
    )
    assert glance_line(html) == ("Third", "Short item")


# --------------------------------------------------------------------------- built pages


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    build(BuildOptions(ROOT, out, base_url="https://example.github.io" + PREFIX, no_cache=True))
    return out


def test_day_page_has_a_glance_list_dated_title_and_one_link_per_actor_per_item(
    example_site: Path,
) -> None:
    day = (example_site / "2022/01/24/index.html").read_text()
    assert "<title>Jan. 24: What you need to know today · Jan 24, 2022 · " in day
    assert '<nav class="glance" aria-labelledby="glance-heading" data-pagefind-ignore>' in day
    assert day.count("<h1>") == 1
    assert ">Jan. 24: What you need to know today</h2>" not in day  # the H1 is not repeated
    for item in re.findall(r'<li id="item-\d+">.*?</li>', day, re.S):
        hrefs = re.findall(r'href="([^"]*)" class="actor-link"', item)
        assert len(hrefs) == len(set(hrefs)), item


def test_actor_page_has_facts_quotes_affiliation_and_no_link_to_itself(example_site: Path) -> None:
    putin = (example_site / "actors/vladimir-putin/index.html").read_text()
    for fact in ("First seen", "Last seen", "Busiest month", "Days in the briefings"):
        assert f"<dt>{fact}</dt>" in putin
    assert 'class="actor-link"' in putin
    assert 'href="/briefings/actors/vladimir-putin/" class="actor-link"' not in putin
    assert '<h2 id="quotes-heading">Quotes' in putin
    assert '· <a href="/briefings/actors/russia/">Russia</a></p>' in putin  # affiliation
    assert 'class="feed-link" href="/briefings/actors/vladimir-putin/feed.xml"' in putin
    assert '<nav class="pager" aria-label="Timeline pages">' in putin
    assert re.search(r'<span class="pager-label">Older</span> \w{3} \d+, 2022', putin)


def test_each_search_landmark_of_a_page_has_a_name_of_its_own(example_site: Path) -> None:
    """The actors index and the search page each have a search form beside the header's:
    two search landmarks with no name, which axe reports (landmark-unique), and which a
    screen reader's list of landmarks cannot tell apart."""
    for page in ["index.html", "actors/index.html", "search/index.html"]:
        html = (example_site / page).read_text()
        forms = re.findall(r"<form\b[^>]*\brole=\"search\"[^>]*>", html)
        names = [re.search(r'aria-label="([^"]+)"', form) for form in forms]
        assert all(names), (page, forms)
        assert len({n.group(1) for n in names if n}) == len(forms), (page, forms)
    assert html.count('role="search"') == 2


def test_month_and_home_lists_show_the_date_and_summary(example_site: Path) -> None:
    month = (example_site / "2022/01/index.html").read_text()
    assert re.search(
        r'<a class="day-title" href="/briefings/2022/01/24/"><time datetime="2022-01-24">'
        r"Monday, January 24, 2022</time></a>\s*<p>The Pentagon puts 8,500",
        month,
    )
    home = (example_site / "index.html").read_text()
    assert home.count('class="day-title"') >= 5
    # the archive: a year per row, its twelve months, those without briefings not linked
    archive = (example_site / "archive/index.html").read_text()
    row = archive.split('<ul class="month-row">')[1].split("</ul>")[0]
    assert row.count("<li") == 12
    assert '<a href="/briefings/2022/01/" title="January 2022: ' in row
    assert '<li class="empty">Dec</li>' in row


def test_a_count_of_one_is_singular_on_a_new_sites_pages(tmp_path: Path) -> None:
    """`sitegen init`'s site (one day, actors seen once) said "1 days" beside each actor on
    the home page and "full height is 1 days" under an actor's chart."""
    site = tmp_path / "site"
    scaffold.create_site(site, today=dt.date(2026, 12, 7))
    (site / "site.toml").write_text((site / "site.toml").read_text() + NO_SEARCH)
    out = tmp_path / "build"
    build(BuildOptions(site, out, no_cache=True))
    pages = [out / "index.html", out / "actors/alex-rivera/index.html", out / "2026/index.html"]
    for page in pages:
        text = re.sub(r"<[^>]+>", "", page.read_text())
        assert not re.search(r"\b1 (days|briefings)\b", text), page
    home = (out / "index.html").read_text()
    assert '<span class="count">1 day</span>' in home
    assert "full height is 1 day," in (out / "actors/alex-rivera/index.html").read_text()
    assert "The 1 briefing of 2026, by month." in (out / "2026/index.html").read_text()


def _bench_site(tmp: Path, days: int) -> Path:
    corpus = tmp / f"corpus{days}"
    subprocess.run(
        [sys.executable, str(ROOT / "bench/gen_corpus.py"), "--n", str(days), "--out", str(corpus)],
        check=True, capture_output=True,
    )  # fmt: skip
    return corpus


@pytest.fixture(scope="module")
def bench_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated site of 400 days and 300 actors, under a subpath."""
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "build"
    build(BuildOptions(_bench_site(tmp, 400), out, base_url="https://example.github.io" + PREFIX,
                       no_cache=True))  # fmt: skip
    return out


YEAR_LINK = r'<a href="([^"]*#y(\d{4}))"(?: aria-current="true")?>\d{4} <span class="count">'


def test_busy_actor_has_a_year_index_quote_pages_and_unique_titles(bench_build: Path) -> None:
    busiest = max(
        (p for p in bench_build.glob("actors/*/index.html") if p.parent.name != "a-z"),
        key=lambda p: len(list(p.parent.glob("page/*/index.html"))),
    )
    html = busiest.read_text()
    years = re.findall(YEAR_LINK, html)
    assert len(years) >= 2
    for href, year in years:
        target = bench_build / href.split("#")[0].removeprefix(PREFIX) / "index.html"
        page = target if href.split("#")[0] else busiest
        assert f'id="y{year}"' in page.read_text(), href
    quotes = busiest.parent / "quotes/index.html"
    years = re.findall(YEAR_LINK, quotes.read_text())
    assert len(years) >= 2  # the quotes by year, too
    for href, year in years:
        path = href.split("#")[0]
        page = bench_build / path.removeprefix(PREFIX) / "index.html" if path else quotes
        assert f'<figure class="quote" id="y{year}">' in page.read_text(), href
    titles: dict[str, str] = {}
    for path in bench_build.rglob("*.html"):
        if "pagefind" in path.parts:
            continue
        title = re.search(r"<title>(.*?)</title>", path.read_text()).group(1)
        assert title not in titles, (path, titles.get(title))
        titles[title] = str(path)


def test_the_year_index_marks_the_years_of_the_page_shown(bench_build: Path) -> None:
    """On page 7 of 21 of a busy actor's timeline (or of their quotes), no year in the year
    index said which years the page holds."""
    busiest = max(
        (p.parent for p in bench_build.glob("actors/*/index.html") if p.parent.name != "a-z"),
        key=lambda p: len(list(p.glob("page/*/index.html"))),
    )
    pages = [*busiest.glob("page/*/index.html"), *busiest.glob("quotes/page/*/index.html")]
    assert len(pages) >= 4
    for page in [busiest / "index.html", busiest / "quotes/index.html", *pages]:
        html = page.read_text()
        index, rest = html.split('<nav class="year-nav"')[1].split("</nav>", 1)
        marked = set(re.findall(r'#y(\d{4})" aria-current="true">', index))
        shown = rest.split('<nav class="pager"')[0]
        assert marked == set(re.findall(r'<time datetime="(\d{4})-', shown)), page


def test_many_actors_get_one_index_page_per_letter(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "ACTORS_INDEX_LIMIT", 1)
    monkeypatch.setattr(render, "ACTORS_INDEX_LIMIT", 1)
    site = make_site({"content/actors/yilmaz.md": YILMAZ})
    out = site / "out"
    build(BuildOptions(site, out, jobs=1, no_cache=True))
    index = (out / "actors/index.html").read_text()
    assert 'href="/actors/a-z/i/">I</a>' in index and 'href="/actors/a-z/n/">N</a>' in index
    letter = (out / "actors/a-z/i/index.html").read_text()
    assert "İlkay Yılmaz" in letter and "NATO" not in letter.split('id="az-heading"')[1]
    # the filter's list of everyone, by name, for any letter page
    assert 'data-names="/actors/a-z/names.json"' in letter
    names = json.loads((out / "actors/a-z/names.json").read_text())["actors"]
    assert [n[0] for n in names] == ["İlkay Yılmaz", "NATO", "Sergei Lavrov"]
    assert names[0][1:] == ["/actors/ilkay-yilmaz/", "person"]


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def accent_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden site with an actor whose name has letters that do not decompose (ı)."""
    tmp = tmp_path_factory.mktemp("accent")
    site = tmp / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    (site / "content/actors/yilmaz.md").write_text(YILMAZ, encoding="utf-8")
    day = site / "content/briefings/2022-02-02-what-you-need-to-know.md"
    day.write_text(
        day.read_text().replace("The first ferry", "[[İlkay Yılmaz]] saw the first ferry")
    )
    out = tmp / "build"
    build(BuildOptions(site, out, base_url="https://example.github.io" + PREFIX, no_cache=True))
    return out


@pytest.mark.browser
def test_a_name_typed_without_its_accents_finds_the_actor_page_and_days(
    accent_site: Path, page: Page
) -> None:
    with serve(accent_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}search/?q=Yilmaz")
        page.wait_for_selector(".search-status:text-matches('^1 day and 1 actor')")
        assert page.eval_on_selector_all(".search-actors a", "a => a.map(x => x.pathname)") == [
            PREFIX + "actors/ilkay-yilmaz/"
        ]
        [link] = page.eval_on_selector_all(".search-results a", "a => a.map(x => x.pathname)")
        assert link == PREFIX + "2022/02/02/"
        # the excerpt is the item, with the name as written, not the hidden folded names
        assert "Yılmaz saw the first ferry" in page.inner_text(".search-results p")


@pytest.mark.browser
def test_actors_index_filter_and_a_to_z_jump(example_site: Path, page: Page) -> None:
    with serve(example_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}actors/")
        rows = ".az-list li"
        total = page.locator(rows).count()
        assert total == len(list(example_site.glob("actors/*/index.html")))
        page.fill("#actor-filter-q", "zelensk")  # part of a name, any case
        assert page.locator(f"{rows}:visible").all_inner_texts() == [
            page.locator(f"{rows}:has-text('Zelenskiy')").inner_text()
        ]
        page.fill("#actor-filter-q", "")
        page.select_option("#actor-filter-kind", "country")
        countries = page.locator(f"{rows}:visible")
        assert 0 < countries.count() < total
        assert all(c == "k-country" for c in countries.evaluate_all("l => l.map(x => x.className)"))
        page.select_option("#actor-filter-kind", "")
        page.click(".az a:text-is('S')")
        assert page.url.endswith("#letter-s")
        assert page.locator("#letter-s").is_visible()


@pytest.mark.browser
def test_actors_index_without_javascript(example_site: Path, page: Page) -> None:
    context = page.context.browser.new_context(java_script_enabled=False)  # type: ignore[union-attr]
    try:
        plain = context.new_page()
        with serve(example_site, PREFIX) as port:
            plain.goto(f"http://127.0.0.1:{port}{PREFIX}actors/")
            assert not plain.is_visible(".actor-filter")  # needs JavaScript: hidden
            assert plain.locator(".az-list li:visible").count() == len(
                list(example_site.glob("actors/*/index.html"))
            )
            plain.click(".az a:text-is('V')")
            assert plain.url.endswith("#letter-v")
            plain.click("#letter-v + ul a >> nth=0")
            plain.wait_for_selector(".actor-header h1")
    finally:
        context.close()


@pytest.fixture(scope="module")
def paged_actors_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden site and an accented actor, with the A–Z list split by letter (as above
    routes.ACTORS_INDEX_LIMIT actors)."""
    tmp = tmp_path_factory.mktemp("paged")
    site = tmp / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    (site / "content/actors/yilmaz.md").write_text(YILMAZ, encoding="utf-8")
    out = tmp / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routes, "ACTORS_INDEX_LIMIT", 1)
        patch.setattr(render, "ACTORS_INDEX_LIMIT", 1)
        build(BuildOptions(site, out, base_url="https://example.github.io" + PREFIX, jobs=1,
                           no_cache=True))  # fmt: skip
    return out


@pytest.mark.browser
def test_a_paged_actors_filter_finds_actors_of_every_letter(
    paged_actors_site: Path, page: Page
) -> None:
    with serve(paged_actors_site, PREFIX) as port:
        page.goto(f"http://127.0.0.1:{port}{PREFIX}actors/a-z/i/")  # lists İlkay Yılmaz only
        assert page.locator(".all-actors li").all_inner_texts() == ["İlkay Yılmaz\n0"]
        page.fill("#actor-filter-q", "north")  # on the N page
        page.wait_for_selector(".filter-matches li")
        links = page.eval_on_selector_all(".filter-matches a", "a => a.map(x => x.pathname)")
        assert links == [PREFIX + "actors/northland/"]
        assert not page.is_visible(".all-actors")  # the page's own list, while filtering
        page.fill("#actor-filter-q", "")
        page.select_option("#actor-filter-kind", "person")
        names = page.locator(".filter-matches a").all_inner_texts()
        assert names == ["Ada Quill", "İlkay Yılmaz"]  # by name, accents folded
        page.select_option("#actor-filter-kind", "")
        assert page.is_visible(".all-actors") and not page.is_visible(".filter-matches")
        page.goto(f"http://127.0.0.1:{port}{PREFIX}actors/")  # the index lists no letter
        page.fill("#actor-filter-q", "yilmaz")
        page.click(".filter-matches a >> nth=0")
        page.wait_for_url(re.compile(r"/actors/ilkay-yilmaz/$"))
    context = page.context.browser.new_context(java_script_enabled=False)  # type: ignore[union-attr]
    try:
        plain = context.new_page()
        with serve(paged_actors_site, PREFIX) as port:
            plain.goto(f"http://127.0.0.1:{port}{PREFIX}actors/")
            assert not plain.is_visible(".actor-filter")
            plain.click(".az a:text-is('N')")
            plain.click(".all-actors a:text-is('Northland')")
            plain.wait_for_url(re.compile(r"/actors/northland/$"))
    finally:
        context.close()


@pytest.mark.browser
def test_every_kind_of_page_stays_within_the_dom_budget(bench_build: Path, page: Page) -> None:
    busiest = max(
        (p.parent for p in bench_build.glob("actors/*/index.html") if p.parent.name != "a-z"),
        key=lambda p: len(list(p.glob("page/*/index.html"))),
    )
    slug = busiest.name
    year = max(p.parent.name for p in bench_build.glob("[0-9][0-9][0-9][0-9]/index.html"))
    month = sorted(bench_build.glob(f"{year}/[0-9][0-9]/index.html"))[0].parent.name
    day = sorted(bench_build.glob(f"{year}/{month}/[0-9][0-9]/index.html"))[-1].parent.name
    pages = ["", f"{year}/{month}/{day}/", "archive/", f"{year}/", f"{year}/{month}/", "actors/",
             f"actors/{slug}/", f"actors/{slug}/page/2/", f"actors/{slug}/quotes/",
             "search/?q=election"]  # fmt: skip
    with serve(bench_build, PREFIX) as port:
        for relative in pages:
            page.goto(f"http://127.0.0.1:{port}{PREFIX}{relative}")
            if relative.startswith("search/"):
                page.wait_for_selector(".search-results li")
            count = page.evaluate("document.getElementsByTagName('*').length")
            assert count <= DOM_BUDGET, (relative, count)


def test_chips_come_from_the_sites_own_actor_chip_macro_and_follow_its_edits(
    tmp_path: Path,
) -> None:
    """A chip is rendered once per actor and build (render.PageRenderer.chip), through the
    _macros.html the site has: an override of the macro still takes effect everywhere, and
    an edit of it reaches every page in a cached rebuild, even a page whose template calls
    chip() without importing _macros.html."""
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, site)
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ chip(actors["ada-quill"]) }}{% endblock %}'
    )
    theme = (ROOT / "src/sitegen/theme/templates/_macros.html").read_text()
    chip = '<a class="chip chip-{{ actor.kind }}"'
    assert chip in theme
    macros = site / "templates/_macros.html"
    out = tmp_path / "out"

    def chips_after_build(mark: str) -> tuple[str, str]:
        macros.write_text(theme.replace(chip, f'<a class="chip {mark} chip-{{{{ actor.kind }}}}"'))
        build(BuildOptions(site, out))
        day = (out / "2022/02/01/index.html").read_text()
        actor = (out / "actors/ada-quill/index.html").read_text()
        return day, actor

    for mark in ("mine", "edited"):
        day, actor = chips_after_build(mark)
        in_day = re.findall(r'<a class="chip [^"]*"[^>]*data-pagefind-filter="actor">', day)
        with_others = actor.split("Appears most with", 1)[1]
        assert in_day and all(f"chip {mark} chip-" in each for each in in_day)
        assert f'<a class="chip {mark} chip-' in with_others
        assert '<a class="chip chip-' not in day + actor
        assert f'<a class="chip {mark} chip-person"' in (out / "404.html").read_text()
