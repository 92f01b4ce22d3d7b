"""Routes: plan every page before anything is rendered.

A `Page` names its URL, output file, template and the content it depends on. The plan is
what lets the whole site be validated before output is touched (URL collisions, paths that
would leave the output folder), and what incremental rebuilds use to find the pages that a
changed file affects.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics
from sitegen.model import SiteModel, actor_quotes, index_letter
from sitegen.source import load_file
from sitegen.urls import Urls, collision_key, url_to_file

# Dependency keys (their values: build.dependency_values):
# ("briefing", day) everything of one briefing; ("listing", day) what lists show of it (title,
# date, summary, URL); ("calendar",) which days there are; ("chart-frame",) what activity
# charts take from the calendar (first and last month, the shared scale's peak: see
# charts.Frame); ("briefings",) everything of every briefing; ("actor", slug) one actor's
# file; ("timeline", slug) which days and items name the actor, and with whom; ("actors",)
# every actor's file.
Dep = tuple[str, ...]

# Above this many actors, the actors index lists the most active only and the A–Z list is
# split into one page per letter (the whole list would pass the DOM budget of a page).
ACTORS_INDEX_LIMIT = 400
LATEST_QUOTES = 5  # quotes on an actor's first page; more get their own pages
QUOTES_PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    url: str  # site-relative, e.g. "2022/01/27/"
    output: str  # file under the output folder, e.g. "2022/01/27/index.html"
    template: str
    # "home" | "day" | "archive" | "year" | "month" | "actors" | "actors-letter"
    # | "actors-names" | "actor" | "actor-quotes" | "404" | "search" | "feed" | "actor-feed"
    # | "sitemap" | "robots"
    kind: str
    key: tuple = ()  # what the page is about: (briefing index,), (slug, page number), ...
    sources: tuple[str, ...] = ()  # the files it comes from, for collision messages
    deps: frozenset[Dep] = field(default_factory=frozenset)


def _day_pages(model: SiteModel, urls: Urls) -> list[Page]:
    pages = []
    for index, briefing in enumerate(model.briefings):
        url = urls.day(briefing.date, briefing.slug)
        briefing.url = url
        neighbours = {  # the pager shows their dates and links
            ("listing", model.briefings[i].key)
            for i in (index - 1, index + 1)
            if 0 <= i < len(model.briefings)
        }
        deps = {("briefing", briefing.key), *neighbours}
        deps.update(("actor", slug) for slug in briefing.actors)
        pages.append(
            Page(url, "", "day.html", "day", (index,), (str(briefing.path),), frozenset(deps))
        )
    return pages


def _archive_pages(model: SiteModel, urls: Urls) -> list[Page]:
    """The archive (days per month), and year and month pages (their days' titles)."""
    calendar = frozenset({("calendar",)})
    pages = [Page(urls.archive(), "", "archive.html", "archive", (), (), calendar)]
    by_year: dict[int, set[Dep]] = defaultdict(set)
    by_month: dict[tuple[int, int], set[Dep]] = defaultdict(set)
    for b in model.briefings:
        by_year[b.date.year].add(("listing", b.key))
        by_month[(b.date.year, b.date.month)].add(("listing", b.key))
    for year in sorted(by_year):
        deps = frozenset(by_year[year])
        pages.append(Page(urls.year(year), "", "year.html", "year", (year,), (), deps))
    for (year, month), days in sorted(by_month.items()):
        page = Page(urls.month(year, month), "", "month.html", "month", (year, month), (),
                    frozenset(days))  # fmt: skip
        pages.append(page)
    return pages


def _actor_pages(model: SiteModel, urls: Urls, per_page: int) -> list[Page]:
    """The actors index (names, mention counts: all actors and all days) and its A–Z pages
    when there are many actors, and each actor's pages: see _one_actor_pages."""
    index_deps = frozenset({("actors",), ("briefings",)})
    pages = [Page(urls.actors(), "", "actors.html", "actors", (), (), index_deps)]
    if len(model.actor_list) > ACTORS_INDEX_LIMIT:
        letters = sorted({index_letter(actor.name) for actor in model.actor_list})
        for letter in letters:
            url = urls.actors_letter(letter)
            pages.append(Page(url, "", "actors.html", "actors-letter", (letter,), (), index_deps))
        # the filter's list of every actor (on each page only one letter's are listed)
        pages.append(Page(urls.actors_names(), "", "actors-names.json", "actors-names", (), (),
                          frozenset({("actors",)})))  # fmt: skip
    for actor in model.actor_list:
        pages.extend(_one_actor_pages(model, urls, actor.slug, str(actor.path), per_page))
    return pages


def _one_actor_pages(
    model: SiteModel, urls: Urls, slug: str, source: str, per_page: int
) -> list[Page]:
    """An actor's timeline pages: each shows its own days, and every one the year index and
    dated pagers (the timeline); the first also the profile (its mentions link to other
    actors, its affiliation to an actor), the chart (in the site's chart frame), the
    co-actors and the latest quotes. An actor never mentioned shows the site's newest day
    as the page's date (the calendar). Then the pages of all their quotes."""
    days = model.timelines.get(slug, [])
    count = max(1, math.ceil(len(days) / per_page))
    key_of = model.briefings
    pages = []
    quotes = actor_quotes(model, slug)
    for number in range(1, count + 1):
        shown = days[(number - 1) * per_page : number * per_page]
        deps = {("actor", slug), ("timeline", slug)}
        deps.update(("briefing", key_of[d.briefing].key) for d in shown)
        if number == 1:
            deps.update((("actors",), ("chart-frame",) if days else ("calendar",)))
            deps.update(("briefing", key_of[b].key) for b, _ in quotes[:LATEST_QUOTES])
        url = urls.actor(slug, number)
        pages.append(Page(url, "", "actor.html", "actor", (slug, number, count), (source,),
                          frozenset(deps)))  # fmt: skip
    if len(quotes) > LATEST_QUOTES:
        quote_pages = math.ceil(len(quotes) / QUOTES_PER_PAGE)
        for number in range(1, quote_pages + 1):
            shown_quotes = quotes[(number - 1) * QUOTES_PER_PAGE : number * QUOTES_PER_PAGE]
            deps = {("actor", slug), ("timeline", slug)}
            deps.update(("briefing", key_of[b].key) for b, _ in shown_quotes)
            url = urls.actor_quotes(slug, number)
            pages.append(Page(url, "", "quotes.html", "actor-quotes", (slug, number, quote_pages),
                              (source,), frozenset(deps)))  # fmt: skip
    return pages


def _feed_pages(model: SiteModel, urls: Urls, days: int) -> list[Page]:
    """The site's feed (the latest days in full, tagged with their actors) and one feed per
    actor (the latest days that mention them: those items and quotes; a feed without
    entries is dated with the site's newest day, from the calendar)."""
    latest = model.briefings[-days:]
    deps = {("briefing", b.key) for b in latest}
    deps.update(("actor", slug) for b in latest for slug in b.actors)
    pages = [Page(urls.feed(), "", "feed.xml", "feed", (), (), frozenset(deps))]
    for actor in model.actor_list:
        shown = model.timelines.get(actor.slug, [])[:days]  # newest first
        actor_deps = {("actor", actor.slug)} if shown else {("actor", actor.slug), ("calendar",)}
        actor_deps.update(("briefing", model.briefings[d.briefing].key) for d in shown)
        pages.append(
            Page(
                urls.actor_feed(actor.slug),
                "",
                "feed.xml",
                "actor-feed",
                (actor.slug,),
                (str(actor.path),),
                frozenset(actor_deps),
            )
        )
    return pages


def _site_files(config: SiteConfig, urls: Urls) -> list[Page]:
    """What a public site needs besides its content pages. The sitemap lists every page
    with the date of the newest briefing it shows, so it depends on everything."""
    everything = frozenset({("briefings",), ("actors",)})
    pages = [
        Page(urls.not_found(), "", "404.html", "404", (), (), frozenset()),
        Page(urls.sitemap(), "", "sitemap.xml", "sitemap", (), (), everything),
        Page(urls.robots(), "", "robots.txt", "robots", (), (), frozenset()),
    ]
    if config.search.enabled:
        pages.append(Page(urls.search(), "", "search.html", "search", (), (), frozenset()))
    return pages


def plan_pages(model: SiteModel, config: SiteConfig, urls: Urls, diags: Diagnostics) -> list[Page]:
    """Every page of the site, or errors in diags (collisions, unsafe paths)."""
    everything = frozenset({("briefings",), ("actors",)})
    pages = [
        Page(urls.home(), "", "index.html", "home", (), (), everything),
        *_day_pages(model, urls),
        *_archive_pages(model, urls),
        *_actor_pages(model, urls, config.pagination.actor_days),
        *_feed_pages(model, urls, config.feeds.days),
        *_site_files(config, urls),
    ]
    planned = []
    for page in pages:
        output = url_to_file(page.url)
        if output is None:
            where = page.sources[0] if page.sources else "site.toml"
            line = _source_line(where, page.kind) if page.sources else None
            diags.error(where, line, f"URL /{page.url} would leave the output folder")
            continue
        planned.append(_with_output(page, output))
    _report_collisions(planned, diags, config.root)
    return planned


def _with_output(page: Page, output: str) -> Page:
    return Page(page.url, output, page.template, page.kind, page.key, page.sources, page.deps)


def _report_collisions(pages: list[Page], diags: Diagnostics, root: Path) -> None:
    """One error per clashing output file, naming every source that writes it (like Zola)."""
    by_file: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_file[collision_key(page.output)].append(page)
    reported: set[frozenset[str]] = set()
    for clash in by_file.values():
        if len(clash) < 2:
            continue
        sources = frozenset(s for page in clash for s in page.sources)
        if sources and sources in reported:
            continue  # two actors on one slug clash on their page and feed: say it once
        reported.add(sources)
        lines = {s: _source_line(s, page.kind) for page in clash for s in page.sources}
        names = [
            _at(os.path.relpath(s, root), lines[s]) for page in clash for s in page.sources
        ] + [f"the {page.kind} page" for page in clash if not page.sources]
        first = clash[0].sources[0] if clash[0].sources else "site.toml"
        message = f"{len(clash)} pages would write /{clash[0].url}: " + ", ".join(names)
        diags.error(first, lines.get(first), message)


_URL_KEYS = {"day": ("slug", "date"), "actor": ("slug", "name")}  # what decides a page's URL


def _source_line(source: str, kind: str) -> int | None:
    """The line of the front matter key that gives a page its URL. The file is read again
    only when there is a problem to report, so the usual build pays nothing for it."""
    loaded = load_file(Path(source), Diagnostics())
    if loaded is None:
        return None
    key = next((k for k in _URL_KEYS.get(kind, ()) if k in loaded.front), None)
    return loaded.line(key) if key else None


def _at(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"
