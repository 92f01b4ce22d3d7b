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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostics
from sitegen.model import Actor, SiteModel, actor_quotes, index_letter
from sitegen.urls import Urls, collision_key, url_to_file

# Dependency keys (their values: changes.dependency_values). A briefing is named by its
# file, never by its day, since two briefings may share one day:
# dep("briefing", file) everything of one briefing; dep("listing", file) what lists show of
# it (title, date, summary, URL); CALENDAR which days there are, at which URLs; CHART_FRAME
# what activity charts take from the calendar (first and last month, the shared scale's
# peak: see charts.Frame); dep("actor", slug) one actor's file; dep("timeline", slug) which
# days and items name the actor, and with whom; ACTORS every actor's file; ACTIVITY every
# actor's timeline (the mention counts of the lists of actors).
# A key is a string, not a tuple: a string keeps its hash once worked out, and every page's
# key looks up each of its dependencies (200,000 of them at 10,000 days).
Dep = str
DEP_SEPARATOR = "\x00"  # in no kind, and a kind takes one argument or none: keys never clash


def dep(kind: str, *args: str) -> Dep:
    """The key of a dependency: its kind and what it is of (a file, an actor's slug)."""
    return DEP_SEPARATOR.join((kind, *args))


CALENDAR, CHART_FRAME, ACTORS, ACTIVITY = (dep(kind) for kind in (
    "calendar", "chart-frame", "actors", "activity"))  # fmt: skip
_BRIEFING = dep("briefing", "")  # the prefix of every briefing's key


# The file line of the first of these front matter keys that a file has (source.key_line):
# the plan reads no file, the loader gives it this to point messages at lines.
KeyLine = Callable[[str, tuple[str, ...]], int | None]

# Above this many actors, the actors index lists the most active only and the A–Z list is
# split into one page per letter (the whole list would pass the DOM budget of a page).
ACTORS_INDEX_LIMIT = 400
LATEST_QUOTES = 5  # quotes on an actor's first page; more get their own pages
QUOTES_PER_PAGE = 50
# The sitemap protocol's limit of URLs in one file: a site with more pages gets a sitemap
# index at /sitemap.xml that names sitemap-1.xml, sitemap-2.xml, ... (search engines refuse
# a longer one; 50,000 URLs are about 5 MB, well under its other limit, 50 MB).
SITEMAP_URLS = 50_000


@dataclass(frozen=True)
class Page:
    url: str  # site-relative, e.g. "2022/01/27/"
    output: str  # file under the output folder, e.g. "2022/01/27/index.html"
    template: str
    # "home" | "day" | "archive" | "year" | "month" | "actors" | "actors-letter"
    # | "actors-names" | "actor" | "actor-quotes" | "404" | "search" | "feed" | "actor-feed"
    # | "sitemap" | "sitemap-index" | "robots"
    kind: str
    # what the page is about: (briefing index,), (slug, page number), ...; for a part of a
    # split sitemap, (number, first, stop): the slice of the sitemap's URLs it lists
    key: tuple = ()
    sources: tuple[str, ...] = ()  # the files it comes from, for collision messages
    # what it shows, as dependency keys (a key may be there twice: a page's key counts
    # each one, and making a set of 200,000 keys on every build costs more than it saves)
    deps: tuple[Dep, ...] = ()


def briefings_shown(pages: Iterable[Page]) -> set[str]:
    """The briefing files whose whole content the pages show."""
    start = len(_BRIEFING)
    return {d[start:] for page in pages for d in page.deps if d.startswith(_BRIEFING)}


class _Keys(dict[str, Dep]):
    """Dependency keys of one kind, by what they are of, each made when first asked for."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, of: str) -> Dep:
        key = self[of] = dep(self.kind, of)
        return key


class _Deps:
    """Every dependency key, made once: by index into the model's days, by actor slug."""

    def __init__(self, model: SiteModel) -> None:
        names = [str(b.path) for b in model.briefings]
        self.briefing: list[Dep] = [dep("briefing", name) for name in names]
        self.listing: list[Dep] = [dep("listing", name) for name in names]
        self.actor = _Keys("actor")
        self.timeline = _Keys("timeline")


def _page(url: str, template: str, kind: str, key: tuple, sources: tuple[str, ...],
          deps: Iterable[Dep]) -> Page:  # fmt: skip
    """A page, its output file worked out from its URL ("" when it would leave the output:
    plan_pages reports it)."""
    output = url_to_file(url) or ""
    return Page(url, output, template, kind, key, sources, tuple(deps))


def _day_pages(model: SiteModel, by: _Deps) -> list[Page]:
    """One page per briefing, at the URL the model gave it (the permalink pattern)."""
    pages = []
    last = len(model.briefings) - 1
    actor = by.actor.__getitem__
    for index, briefing in enumerate(model.briefings):
        deps = [by.briefing[index], *map(actor, briefing.actors)]
        if index > 0:  # the pager shows the neighbours' dates and links
            deps.append(by.listing[index - 1])
        if index < last:
            deps.append(by.listing[index + 1])
        source = (str(briefing.path),)
        pages.append(_page(briefing.url, "day.html", "day", (index,), source, deps))
    return pages


def _archive_pages(model: SiteModel, urls: Urls, by: _Deps) -> list[Page]:
    """The archive (days per month), and year and month pages (their days' titles)."""
    pages = [_page(urls.archive(), "archive.html", "archive", (), (), [CALENDAR])]
    by_year: dict[int, set[Dep]] = defaultdict(set)
    by_month: dict[tuple[int, int], set[Dep]] = defaultdict(set)
    for index, b in enumerate(model.briefings):
        by_year[b.date.year].add(by.listing[index])
        by_month[(b.date.year, b.date.month)].add(by.listing[index])
    for year in sorted(by_year):
        pages.append(_page(urls.year(year), "year.html", "year", (year,), (), by_year[year]))
    for (year, month), days in sorted(by_month.items()):
        pages.append(_page(urls.month(year, month), "month.html", "month", (year, month), (),
                           days))  # fmt: skip
    return pages


def _actor_pages(model: SiteModel, urls: Urls, per_page: int, by: _Deps) -> list[Page]:
    """The actors index (names, mention counts: all actors and all days) and its A–Z pages
    when there are many actors, and each actor's pages: see _one_actor_pages."""
    index_deps = [ACTORS, ACTIVITY]
    pages = [_page(urls.actors(), "actors.html", "actors", (), (), index_deps)]
    if len(model.actor_list) > ACTORS_INDEX_LIMIT:
        letters = sorted({index_letter(actor.name) for actor in model.actor_list})
        for letter in letters:
            url = urls.actors_letter(letter)
            pages.append(_page(url, "actors.html", "actors-letter", (letter,), (), index_deps))
        # the filter's list of every actor (on each page only one letter's are listed)
        pages.append(_page(urls.actors_names(), "actors-names.json", "actors-names", (), (),
                           [ACTORS]))  # fmt: skip
    for actor in model.actor_list:
        pages.extend(_one_actor_pages(model, urls, actor.slug, str(actor.path), per_page, by))
    return pages


def _one_actor_pages(
    model: SiteModel, urls: Urls, slug: str, source: str, per_page: int, by: _Deps
) -> list[Page]:
    """An actor's timeline pages: each shows its own days, and every one the year index and
    dated pagers (the timeline); the first also the profile (its mentions link to other
    actors, its affiliation to an actor), the chart (in the site's chart frame), the
    co-actors and the latest quotes. An actor never mentioned shows the site's newest day
    as the page's date (the calendar). Then the pages of all their quotes."""
    days = model.timelines.get(slug, [])
    count = max(1, math.ceil(len(days) / per_page))
    pages = []
    quotes = actor_quotes(model, slug)
    sources = (source,)
    briefing = by.briefing
    own = [by.actor[slug], by.timeline[slug]]
    for number in range(1, count + 1):
        shown = days[(number - 1) * per_page : number * per_page]
        deps = [*own, *[briefing[d.briefing] for d in shown]]
        if number == 1:
            deps += (ACTORS, CHART_FRAME if days else CALENDAR)
            deps += [briefing[b] for b, _ in quotes[:LATEST_QUOTES]]
        key = (slug, number, count)
        pages.append(_page(urls.actor(slug, number), "actor.html", "actor", key, sources,
                           deps))  # fmt: skip
    if len(quotes) > LATEST_QUOTES:
        quote_pages = math.ceil(len(quotes) / QUOTES_PER_PAGE)
        for number in range(1, quote_pages + 1):
            shown_quotes = quotes[(number - 1) * QUOTES_PER_PAGE : number * QUOTES_PER_PAGE]
            deps = [*own, *[briefing[b] for b, _ in shown_quotes]]
            key = (slug, number, quote_pages)
            pages.append(_page(urls.actor_quotes(slug, number), "quotes.html", "actor-quotes",
                               key, sources, deps))  # fmt: skip
    return pages


def _feed_pages(model: SiteModel, urls: Urls, days: int, by: _Deps) -> list[Page]:
    """The site's feed (the latest days in full, tagged with their actors) and one feed per
    actor (the latest days that mention them: those items and quotes; a feed without
    entries is dated with the site's newest day, from the calendar)."""
    latest = range(max(0, len(model.briefings) - days), len(model.briefings))
    deps: set[Dep] = {by.briefing[i] for i in latest}
    deps.update(by.actor[slug] for i in latest for slug in model.briefings[i].actors)
    pages = [_page(urls.feed(), "feed.xml", "feed", (), (), deps)]
    for actor in model.actor_list:
        shown = model.timelines.get(actor.slug, [])[:days]  # newest first
        actor_deps = [by.actor[actor.slug], *[by.briefing[d.briefing] for d in shown]]
        if not shown:
            actor_deps.append(CALENDAR)
        pages.append(_page(urls.actor_feed(actor.slug), "feed.xml", "actor-feed", (actor.slug,),
                           (str(actor.path),), actor_deps))  # fmt: skip
    return pages


def _site_files(config: SiteConfig, urls: Urls, content: list[Page], limit: int) -> list[Page]:
    """What a public site needs besides its content pages. The sitemap lists every page
    with the date of the newest briefing it shows: the days, the actors and their pages."""
    pages = [
        _page(urls.not_found(), "404.html", "404", (), (), ()),
        _page(urls.robots(), "robots.txt", "robots", (), (), ()),
    ]
    if config.search.enabled:
        pages.append(_page(urls.search(), "search.html", "search", (), (), ()))
    listed = sum(in_sitemap(page) for page in (*content, *pages))
    return pages + _sitemap_pages(urls, listed, limit)


def in_sitemap(page: Page) -> bool:
    """Every HTML page but 404.html is in the sitemap."""
    return page.output.endswith(".html") and page.kind != "404"


def _sitemap_pages(urls: Urls, listed: int, limit: int) -> list[Page]:
    """One sitemap.xml, or, above `limit` URLs, an index at that URL and the parts it names."""
    everything = [CALENDAR, ACTORS, ACTIVITY]
    if listed <= limit:
        return [_page(urls.sitemap(), "sitemap.xml", "sitemap", (), (), everything)]
    parts = [
        _page(urls.sitemap_part(number), "sitemap.xml", "sitemap",
              (number, first, min(first + limit, listed)), (), everything)
        for number, first in enumerate(range(0, listed, limit), start=1)
    ]  # fmt: skip
    return [_page(urls.sitemap(), "sitemap-index.xml", "sitemap-index", (), (), everything), *parts]


def _home_page(model: SiteModel, urls: Urls, recent: int, by: _Deps) -> Page:
    """The latest day in full, the days before it listed, the most mentioned actors."""
    deps: set[Dep] = {ACTORS, ACTIVITY}
    if model.briefings:
        deps.add(by.briefing[-1])
        deps.update(by.listing[-recent - 1 : -1])
    return _page(urls.home(), "index.html", "home", (), (), deps)


def plan_pages(
    model: SiteModel,
    config: SiteConfig,
    urls: Urls,
    diags: Diagnostics,
    key_line: KeyLine | None = None,
) -> list[Page]:
    """Every page of the site, or errors in diags (collisions, unsafe paths), at the line of
    the key that gives the page its URL when `key_line` is given."""
    by = _Deps(model)
    pages = [
        _home_page(model, urls, config.pagination.home_recent, by),
        *_day_pages(model, by),
        *_archive_pages(model, urls, by),
        *_actor_pages(model, urls, config.pagination.actor_days, by),
        *_feed_pages(model, urls, config.feeds.days, by),
    ]
    pages += _site_files(config, urls, pages, SITEMAP_URLS)
    planned = []
    for page in pages:
        if not page.output:
            where = page.sources[0] if page.sources else "site.toml"
            line = _url_line(where, page.kind, key_line) if page.sources else None
            diags.error(where, line, f"URL /{page.url} would leave the output folder")
            continue
        planned.append(page)
    _report_collisions(planned, diags, config.root, key_line, config.permalinks.briefing)
    return planned


def report_actor_clashes(
    actors: Iterable[Actor], diags: Diagnostics, root: Path, key_line: KeyLine | None
) -> None:
    """Actors on one slug, reported as plan_pages reports their pages' clash (for ingest,
    which reads the registry but plans no pages)."""
    pages = []
    for actor in actors:
        source = (os.path.abspath(actor.path),)  # absolute, as build's are
        pages.append(_page(Urls.actor(actor.slug), "actor.html", "actor", (), source, ()))
    _report_collisions(pages, diags, root, key_line, "")


def _report_collisions(
    pages: list[Page], diags: Diagnostics, root: Path, key_line: KeyLine | None, permalink: str
) -> None:
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
        first = clash[0].sources[0] if clash[0].sources else "site.toml"
        names, line = _clash_names(clash, root, key_line)
        message = f"{len(clash)} pages would write /{clash[0].url}: " + names
        diags.error(first, line, message + _day_hint(clash, permalink))


# A clash names its first sources only: 500 briefings on one URL made a line of 40 KB.
CLASH_SOURCES_SHOWN = 5


def _clash_names(clash: list[Page], root: Path, key_line: KeyLine | None) -> tuple[str, int | None]:
    """The sources that write one file, each at the line that gives its URL, then the pages
    no file makes; past CLASH_SOURCES_SHOWN, how many more (a line is found by reading the
    file again, so only for the sources shown). Also the first source's line, if any."""
    named = [(s, page.kind) for page in clash for s in page.sources]
    unnamed = [f"the {page.kind} page" for page in clash if not page.sources]
    total = len(named) + len(unnamed)
    lines = [_url_line(s, kind, key_line) for s, kind in named[:CLASH_SOURCES_SHOWN]]
    shown = [
        _at(os.path.relpath(s, root), line) for (s, _), line in zip(named, lines, strict=False)
    ]
    shown += unnamed[: CLASH_SOURCES_SHOWN - len(shown)]
    more = f" and {total - len(shown)} more" if total > len(shown) else ""
    first_line = lines[0] if lines and clash[0].sources else None
    return ", ".join(shown) + more, first_line


def _day_hint(clash: list[Page], permalink: str) -> str:
    """Two briefings of one day under a permalink without {slug}: say the two ways out, since
    this is what ingesting two outlets' briefings of the same day leads to."""
    if "{slug}" in permalink or any(page.kind != "day" for page in clash):
        return ""
    return (
        f" (the permalink {permalink} makes one page per day: merge them into one file, "
        "or add {slug} to [permalinks] briefing in site.toml)"
    )


_URL_KEYS = {"day": ("slug", "date"), "actor": ("slug", "name")}  # what decides a page's URL


def _url_line(source: str, kind: str, key_line: KeyLine | None) -> int | None:
    """The line of the front matter key that gives a page its URL. The file is read again
    only when there is a problem to report, so the usual build pays nothing for it."""
    return key_line(source, _URL_KEYS.get(kind, ())) if key_line is not None else None


def _at(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"
