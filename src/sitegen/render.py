"""Render: Markdown bodies to HTML fragments, and planned pages to HTML with Jinja.

Rendering reads no files except templates (through Jinja's loader). A fresh Jinja
environment is made for every build. Templates use StrictUndefined, so a typo in a template
is an error naming the template line and the page, not a silently empty string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import traceback
import zoneinfo
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape as escape_html
from html import unescape as html_unescape
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from sitegen.body import curly, first_sentence, mention_key, plain_first_sentence
from sitegen.charts import activity_svg, axis_labels, site_frame
from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostic, Diagnostics
from sitegen.keys import digest
from sitegen.markup import MarkdownRenderer
from sitegen.model import (
    ActivitySummary,
    Actor,
    Block,
    Briefing,
    Quote,
    Section,
    SiteModel,
    YearSpan,
    activity_summary,
    actor_quotes,
    fold_accents,
    index_letter,
    timeline_years,
)
from sitegen.routes import ACTORS_INDEX_LIMIT, LATEST_QUOTES, QUOTES_PER_PAGE, Page, in_sitemap
from sitegen.source import not_utf8, read_text
from sitegen.template_code import OutputEnvironment, render_page
from sitegen.urls import Urls

THEME_DIR = Path(str(resources.files("sitegen") / "theme"))
KIND_LABELS = {
    "person": "People",
    "organization": "Organisations",
    "country": "Countries",
    "group": "Groups",
    "other": "Others",
}
KIND_NAMES = {  # one of each kind
    "person": "Person",
    "organization": "Organisation",
    "country": "Country",
    "group": "Group",
    "other": "Other",
}
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


class TemplateProblem(Exception):
    """A template error, already turned into `template:line: message`."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


# --------------------------------------------------------------------------- Markdown


def make_markdown(config: SiteConfig, lookup: dict[str, str], urls: Urls) -> MarkdownRenderer:
    def resolve(target: str) -> str | None:
        slug = lookup.get(mention_key(target))
        return urls.href(urls.actor(slug)) if slug else None

    return MarkdownRenderer(config.markdown.extensions, resolve)


def render_briefing_html(renderer: MarkdownRenderer, briefing: Briefing) -> list[str]:
    """HTML of each block of a briefing; its tables scroll in a box of their own, and its
    footnotes' ids name the briefing (its day and slug) and the block
    (markup.namespace_footnotes), as pages show blocks of many days."""
    html = renderer.render_blocks([b.text for b in briefing.blocks], briefing.references)
    # the day and the slug: two briefings of one day (each its own URL) differ in the slug
    day = f"{briefing.date.isoformat()}-{briefing.slug}"
    return [renderer.for_page(h, f"{day}:{b.anchor}:")
            for h, b in zip(html, briefing.blocks, strict=True)]  # fmt: skip


# --------------------------------------------------------------------------- Jinja


def long_date(value: dt.date) -> str:
    return f"{value:%A}, {MONTH_NAMES[value.month - 1]} {value.day}, {value.year}"


def short_date(value: dt.date) -> str:
    return f"{MONTH_NAMES[value.month - 1][:3]} {value.day}, {value.year}"


_TAG_OR_CODE = re.compile(r"(<(code|pre)\b.*?</\2>|<[^>]*>)", re.S)


def curly_html(html: str) -> str:
    """curly() on the text of an HTML fragment, leaving tags and code alone."""
    if '"' not in html and "'" not in html:
        return html
    parts = _TAG_OR_CODE.split(html)
    # split yields text, tag, code-group, text, ...: every third piece is text
    return "".join(curly(part) if i % 3 == 0 else (part or "") for i, part in enumerate(parts)
                   if i % 3 != 2)  # fmt: skip


_ACTOR_LINK = re.compile(r'<a href="([^"]*)" class="actor-link">(.*?)</a>', re.S)


def tidy_links(html: str, own_href: str | None = None) -> str:
    """One link per actor in a block (the first mention), and none to the page it is on:
    the other mentions stay as text."""
    if html.count('class="actor-link"') < (1 if own_href else 2):
        return html
    # split: the text before the first link, then per link its href, its text and the text
    # after it (a loop over these costs less than a function called per match)
    parts = _ACTOR_LINK.split(html)
    seen: set[str] = set()
    out = [parts[0]]
    for i in range(1, len(parts), 3):
        href = parts[i]
        if href == own_href or href in seen:
            out.append(parts[i + 1])
        else:
            seen.add(href)
            out.append(f'<a href="{href}" class="actor-link">{parts[i + 1]}</a>')  # the match
        out.append(parts[i + 2])
    return "".join(out)


_TAG = re.compile(r"<[^>]*>")


_LEAD_IN = re.compile(r"\s*(?:<p>)?<strong>(.{1,300}?)</strong>", re.S)
# the footnotes extension's references (<sup ...><a class="footnote-ref" ...>1</a></sup>)
# and its box of notes, which it writes last
_FOOTNOTES = re.compile(r'<sup\b[^>]*><a class="footnote-ref"[^>]*>[^<]*</a></sup>'
                        r'|<div class="footnote">.*', re.S)  # fmt: skip


def glance_line(html: str, limit: int = 110) -> tuple[str, str]:
    """An item as one line for the day's at-a-glance list: its bold lead-in ("Courts."), if
    it opens with one, and its first sentence. Both are read from the item's HTML, already
    rendered for the page: stripping its tags costs far less than reading the Markdown
    again, and the text is what the reader sees below, but for its footnotes ("hours1",
    "Note x. ↩")."""
    if 'class="footnote' in html:
        html = _FOOTNOTES.sub("", html)
    text = " ".join(html_unescape(_TAG.sub("", html)).split())
    lead = ""
    match = _LEAD_IN.match(html)
    if match:
        strong = " ".join(html_unescape(_TAG.sub("", match.group(1))).split())
        if len(strong) <= 60 and strong.endswith((".", ":")) and text.startswith(strong):
            lead, text = strong, text[len(strong) :].lstrip()
    return curly(lead.rstrip(".:")), curly(plain_first_sentence(text, limit))


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


_JSON_IN_HTML = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)  # fmt: skip


def ld_json(value: Any, separators: tuple[str, str] = (",", ":")) -> Markup:
    """JSON for a <script> element (JSON-LD, or data for a script). Titles, names and
    settings come from editors and ingested text: escaping <, > and & keeps a "</script>" or
    "<!--" in them from ending the element, and the JSON still parses to the same strings."""
    text = json.dumps(value, ensure_ascii=False, separators=separators)
    for char, escaped in _JSON_IN_HTML:  # str.translate with a dict is slower on long text
        if char in text:
            text = text.replace(char, escaped)
    return Markup(text)


def xml_text(value: Any) -> Markup:
    """Already-safe HTML (e.g. a rendered macro) as escaped text, for Atom's type="html"."""
    return Markup.escape(str.__str__(value) if isinstance(value, str) else str(value))


_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([#/][^"]*)"')


def absolute_links(html: Any, page_url: str) -> Markup:
    """Make a fragment's links work outside the site (in a feed reader): `#item-2` points
    into page_url, `/path` gets page_url's scheme and host. Other URLs are kept."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page_url))

    def fix(match: re.Match[str]) -> str:
        url = match.group(2)  # already escaped in the fragment; what is put before it is not
        if url.startswith("#"):
            url = escape_html(page_url.split("#")[0]) + url
        elif not url.startswith("//"):
            url = escape_html(origin) + url
        return f'{match.group(1)}{url}"'

    return Markup(_LINK_ATTR.sub(fix, str.__str__(html) if isinstance(html, str) else str(html)))


def tag_uri(base_url: str, date: dt.date, specific: str) -> str:
    """A stable Atom id (RFC 4151): the site's host, the day the entry was first
    published, and a path that names it. It survives changes of the permalink scheme."""
    return f"tag:{urlsplit(base_url).hostname or 'localhost'},{date.isoformat()}:{specific}"


class _Utf8Loader(jinja2.FileSystemLoader):
    """Reports a template that is not UTF-8 as an error with its file and line."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            line, message = not_utf8(exc.object)  # as for content files
            filename = str(Path(self.searchpath[0], *template.split("/")))
            raise jinja2.TemplateSyntaxError(message, line, template, filename) from None


def make_environment(
    config: SiteConfig, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """A fresh environment; `compiled` keeps compiled templates between builds."""
    loaders: list[jinja2.BaseLoader] = [
        _Utf8Loader(str(config.folder("templates"))),
        _Utf8Loader(str(THEME_DIR / "templates")),
    ]
    env = OutputEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        # HTML and XML (feeds, sitemap) escape every value; robots.txt is plain text
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=compiled,
    )
    env.filters.update(
        long_date=long_date,
        short_date=short_date,
        month_name=lambda m: MONTH_NAMES[m - 1],
        tojson_safe=lambda value: ld_json(value, (", ", ": ")),
        ld_json=ld_json,
        xml_text=xml_text,
        absolute_links=absolute_links,
        curly=curly,
        fold=fold_accents,
        number=lambda n: f"{n:,}",  # 6,229
    )
    env.globals["range"] = capped_range
    return env


# As Jinja's sandbox caps it: `range(10**9)|list` filled memory until the kernel killed the
# build (exit 137, no message); a site's pages need a few thousand at most
MAX_RANGE = 100_000


def capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise jinja2.TemplateRuntimeError(
            f"range({', '.join(map(str, args))}) has {len(numbers):,} numbers; "
            f"the limit is {MAX_RANGE:,}"
        )
    return numbers


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
# The globals that render a template themselves (PageRenderer.chip): a page template that
# calls one uses that template, as if it imported it (changes.TemplateSet).
TEMPLATE_GLOBALS = {"chip": "_macros.html"}


def check_templates(
    config: SiteConfig,
    paths: Iterable[Path],
    diags: Diagnostics,
    known_good: Container[str] = (),
) -> None:
    """Report the site's templates that cannot be used, before anything is rendered, so
    that they come with the content's problems: files that cannot be read (see
    source.read_text) and syntax errors. `paths`: the site's own templates, as the one
    listing (source.site_files) found them; `known_good`: digests of template sources that
    parsed before (changes.TemplateSet keeps them), not parsed again."""
    folder = config.folder("templates")
    env: jinja2.Environment | None = None
    for path in paths:
        if not path.name.endswith(TEMPLATE_SUFFIXES):
            continue
        text = read_text(path, diags)
        if text is None or digest(text) in known_good:
            continue
        env = env or make_environment(config)
        try:  # compiled, not only parsed: Python's own limits are met only there
            env.compile(text, path.relative_to(folder).as_posix(), str(path))
        except jinja2.TemplateSyntaxError as exc:
            diags.error(path, exc.lineno, exc.message or "invalid template syntax")
        except (SyntaxError, RecursionError) as exc:  # 21 nested for loops, 500 nested ifs
            why = exc.msg if isinstance(exc, SyntaxError) else "too deep for Jinja's parser"
            diags.error(path, None, f"blocks nested too deeply ({why}): flatten them")
        except ValueError as exc:  # Jinja works out `10**5000` when it compiles, then
            # cannot write it (Python's 4,300-digit limit): was a traceback
            diags.error(path, None, f"cannot be compiled: {_compile_problem(exc)}")


def _compile_problem(exc: ValueError) -> str:
    if "integer string conversion" in str(exc):
        return "it computes a number of more than 4,300 digits, which Python cannot write"
    return str(exc).split("\n", 1)[0]


def template_location(exc: BaseException, config: SiteConfig) -> tuple[str, int | None]:
    """The template file and line where a rendering error happened."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return _display_path(exc.filename, config), exc.lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return _display_path(frame.filename, config), frame.lineno
    return "templates", None


def template_message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template {exc.name!r} not found (in templates/ or the built-in theme)"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.message or "invalid template syntax"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def template_chain(env: jinja2.Environment, name: str) -> list[jinja2.Template]:
    """The template `name` and those it extends in turn (`{% extends "..." %}` with a name
    written out): the last of them writes the page."""
    chain = [env.get_template(name)]
    seen = {name}
    while chain[-1].filename is not None:
        try:
            with open(chain[-1].filename, encoding="utf-8") as file:
                tree = env.parse(file.read())
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError, RecursionError):
            break
        extends = tree.find(jinja2.nodes.Extends)
        parent = getattr(extends.template, "value", None) if extends is not None else None
        if not isinstance(parent, str) or parent in seen:
            break
        seen.add(parent)
        try:
            chain.append(env.get_template(parent))
        except jinja2.TemplateError:
            break
    return chain


def own_template_at_fault(env: jinja2.Environment, name: str, config: SiteConfig) -> str:
    """The path to name when pages of template `name` lack what the theme's templates write
    (an <html> element, text to index): the first of its chain that is the site's own (an
    overridden base.html, when day.html is the theme's), else `name` in templates/."""
    own = config.folder("templates")
    try:
        chain = template_chain(env, name)
    except (jinja2.TemplateError, OSError):
        chain = []
    for template in chain:
        if template.filename is not None and Path(template.filename).resolve().is_relative_to(own):
            return _display_path(template.filename, config)
    return _display_path(str(own / name), config)


def _display_path(filename: str, config: SiteConfig) -> str:
    path = Path(filename)
    for base in (config.root, THEME_DIR.parent.parent):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return filename


@dataclass(slots=True)
class TimelineDayView:
    """One day of an actor's timeline (actor.html). A class rather than a dict: Jinja looks
    `day.href` up as an attribute first, and a dict would make it fail and retry."""

    briefing: Briefing
    href: str
    date_iso: str
    date_long: str
    blocks: list[tuple[Block, Markup]]  # the day's blocks that mention the actor, with HTML
    quotes: list[Quote]  # the actor's quotes that are not already in those blocks
    year_anchor: str = ""  # "y2021" on the newest day of a year, for the year index


@dataclass(slots=True)
class QuoteView:
    """A quote in an actor's collected quotes, with the day and item it comes from."""

    quote: Quote
    href: str  # the day page, at the quote's item when it has one
    date_iso: str
    date_short: str
    year_anchor: str = ""  # "y2021" on the newest quote of a year, for the year index


@dataclass(slots=True)
class PagerLink:
    href: str
    label: str  # "page 3"
    dates: str  # "Mar 3, 2021 – Jan 5, 2021"


@dataclass(slots=True, frozen=True)
class ActorFacts:
    years: list[YearSpan]
    summary: ActivitySummary | None
    quotes: list[tuple[int, int]]  # (briefing index, quote index), newest first
    quote_years: list[tuple[int, int, int]]  # see PageRenderer._quote_years


@dataclass(slots=True)
class ActorRow:
    """An actor in the actors index: `share` is their days against the busiest actor's, in
    percent, so that the bars of all actors are on one scale."""

    actor: Actor
    days: int
    share: float


@dataclass(slots=True)
class Digest:
    """A briefing's body as the digest_body macro shows it."""

    intro: list[tuple[Block, Markup]]  # lead and background blocks, with their HTML
    sections: list[tuple[Section, list[tuple[Block, Markup]]]]  # headings and their items
    glance: list[tuple[Block, str, str]]  # each item: its lead-in and first sentence


@dataclass(slots=True, frozen=True)
class SiteLinks:
    """Links on every page, worked out once per build rather than on each page."""

    home: str
    archive: str
    actors: str
    search: str
    style: str
    favicon: str


@dataclass
class RenderContext:
    """Everything the page renderer needs; built once per build, shared by workers."""

    config: SiteConfig
    model: SiteModel
    urls: Urls
    block_html: Sequence[Sequence[str]]  # per briefing, per block (read from the cache as needed)
    profile_html: Mapping[str, str]  # per actor slug (converted as needed)
    pages: list[Page] = field(default_factory=list)  # the whole plan, for the sitemap


class PageRenderer:
    def __init__(self, ctx: RenderContext, env: jinja2.Environment) -> None:
        self.ctx = ctx
        self.env = env
        model = ctx.model
        self._labels: dict[int, tuple[str, str, str]] = {}  # see _day_labels
        self._facts: dict[str, ActorFacts] = {}  # see actor_facts
        self._years: dict[str, list[tuple[int, int, int, str]]] = {}  # see _year_links
        self._chips: dict[tuple[str, bool], Markup] = {}  # see chip
        self._stamps: dict[dt.date, str] = {}  # see timestamp
        self._folded: dict[str, str | None] = {}  # see _folded_name
        self._macros: Any = None  # _macros.html as a module, with the build's globals only
        self.frame = site_frame(b.date for b in model.briefings)
        self.chart_unit = self.frame.unit  # a property that walks the months: once per build
        self._axis = axis_labels(self.frame.first, self.frame.last)
        self.by_month: dict[tuple[int, int], list[Briefing]] = {}
        for briefing in model.briefings:
            self.by_month.setdefault((briefing.date.year, briefing.date.month), []).append(briefing)
        self._views: dict[str, Callable[[Page], dict[str, Any]]] = {
            "home": self._home,
            "day": self._day,
            "archive": self._archive,
            "year": self._year,
            "month": self._month,
            "actors": self._actors,
            "actors-letter": self._actors,
            "actors-names": self._actors_names,
            "actor": self._actor,
            "actor-quotes": self._actor_quotes,
            "404": lambda page: {"title": "Page not found"},
            "search": self._search,
            "feed": self._feed,
            "actor-feed": self._actor_feed,
            "sitemap": self._sitemap,
            "sitemap-index": self._sitemap_index,
            "robots": lambda page: {"title": "robots.txt"},
        }
        self.zone = zoneinfo.ZoneInfo(ctx.config.timezone)
        self.globals = {
            "site": ctx.config,
            "href": self.href,
            "absolute": self.absolute,
            "asset": lambda name: self.href(ctx.urls.asset(name)),
            "actor_url": lambda slug: self.href(ctx.urls.actor(slug)),
            "actors": model.actors,
            "urls": ctx.urls,
            "links": SiteLinks(
                home=self.href(ctx.urls.home()),
                archive=self.href(ctx.urls.archive()),
                actors=self.href(ctx.urls.actors()),
                search=self.href(ctx.urls.search()),
                style=self.href(ctx.urls.asset("style.css")),
                favicon=self.href(ctx.urls.asset("favicon.svg")),
            ),
            "mention_count": model.mention_count,
            "chart": self.chart,
            "chart_axis": lambda: self._axis,
            "chip": self.chip,
            "kind_labels": KIND_LABELS,
            "kind_names": KIND_NAMES,
            "generator": "sitegen",
        }

    def href(self, url: str) -> str:
        return self.ctx.urls.href(url)

    def chip(self, actor: Actor, search_filter: bool = False) -> Markup:
        """The actor_chip macro of _macros.html (the theme's, or the site's own) for one
        actor, rendered once per build: an actor is named on hundreds of pages, and a macro
        call costs more than the chip's few tags. The macro sees the build's globals only, as
        a chip is the same on every page."""
        key = (actor.slug, search_filter)
        html = self._chips.get(key)
        if html is None:
            if self._macros is None:
                template = self.env.get_template("_macros.html")
                self._macros = template.make_module(self.globals)
            html = Markup(self._macros.actor_chip(actor, search_filter=search_filter))
            self._chips[key] = html
        return html

    def actor_facts(self, slug: str) -> ActorFacts:
        """What every page of an actor derives from the whole timeline, worked out once per
        actor: a busy actor has hundreds of timeline and quote pages."""
        facts = self._facts.get(slug)
        if facts is None:
            model = self.ctx.model
            quotes = actor_quotes(model, slug)
            facts = self._facts[slug] = ActorFacts(
                timeline_years(model, slug), activity_summary(model, slug), quotes,
                self._quote_years(quotes),
            )  # fmt: skip
        return facts

    def absolute(self, url: str) -> str:
        return self.ctx.config.base_url + url

    def timestamp(self, day: dt.date | None) -> str:
        """A day as an RFC 3339 time (midnight in the site's timezone): dates in feeds and
        structured data come from the content only, so builds stay reproducible."""
        if day is None:
            return "1970-01-01T00:00:00+00:00"
        stamp = self._stamps.get(day)
        if stamp is None:  # (a day's page, its feeds and their entries ask for it again)
            stamp = self._stamps[day] = dt.datetime.combine(day, dt.time(), self.zone).isoformat()
        return stamp

    def newest_shown(self, page: Page) -> dt.date | None:
        """The date of the newest briefing a page shows (the sitemap's lastmod); for a page
        that shows none, such as the profile of an actor never mentioned, the site's newest."""
        model = self.ctx.model
        if not model.briefings:
            return None
        if page.kind == "day":
            return model.briefings[page.key[0]].date
        if page.kind == "month":
            return self.by_month[page.key][-1].date
        if page.kind == "year":
            return max(days[-1].date for (y, _), days in self.by_month.items() if y == page.key[0])
        if page.kind == "actor-quotes":  # newest first, too
            quotes = self.actor_facts(page.key[0]).quotes
            return model.briefings[quotes[(page.key[1] - 1) * QUOTES_PER_PAGE][0]].date
        if page.kind in ("actor", "actor-feed"):  # timelines are newest first
            timeline = model.timelines.get(page.key[0], [])
            number = page.key[1] if page.kind == "actor" else 1
            first = (number - 1) * self.ctx.config.pagination.actor_days
            if first < len(timeline):
                return model.briefings[timeline[first].briefing].date
        return model.briefings[-1].date

    def _organisation(self) -> dict[str, Any]:
        config = self.ctx.config
        return {"@type": "Organization", "name": config.title, "url": config.base_url}

    def _entity(self, actor: Actor) -> dict[str, Any]:
        """An actor as schema.org data: a Person, or an Organization for every other kind
        (Google's ProfilePage takes only those two)."""
        return {
            "@type": "Person" if actor.kind == "person" else "Organization",
            "name": actor.name,
            "url": self.absolute(self.ctx.urls.actor(actor.slug)),
        }

    def chart(self, slug: str, width: int = 240, height: int = 48, shared: bool = True) -> Markup:
        """An actor's mentions over the site's whole span. Shared: the bars' full height is
        the most days published in one period, the same for every actor; else the actor's
        own busiest period."""
        counts = self.ctx.model.monthly.get(slug)
        if counts is None:
            return Markup("")
        name = self.ctx.model.actors[slug].name
        frame = self.frame
        svg = activity_svg(
            counts, frame.first, frame.last, name=name, width=width, height=height,
            max_bars=frame.max_bars, scale=frame.scale if shared else None,
        )  # fmt: skip
        return Markup(svg)

    def load_templates(self, names: Iterable[str]) -> None:
        """Load (on a cold cache: compile) these templates now, before the build forks its
        workers, which then inherit them instead of each compiling them again. One that does
        not load is left to the pages that use it, which report why."""
        for name in sorted(names):
            try:
                self.env.get_template(name)
            except Exception:  # (reported by the page that uses it: see render)
                continue

    def render_bytes(self, page: Page) -> bytes:
        """The page as UTF-8: a lone surrogate a template wrote ('\\ud800') is a problem at
        the template, not a traceback (found by encoding, which every page is anyway)."""
        html = self.render(page)
        try:
            return html.encode("utf-8")
        except UnicodeEncodeError as exc:
            template = self.env.get_template(page.template)
            path = _display_path(template.filename or page.template, self.ctx.config)
            message = (
                f"writes {html[exc.start]!r}, a lone surrogate, which UTF-8 cannot encode "
                f"(while rendering /{page.url})"
            )
            raise TemplateProblem(Diagnostic(path, None, message)) from None

    def render(self, page: Page) -> str:
        values = self._views[page.kind](page)
        values.setdefault("structured_data", None)
        values.setdefault("og_type", "website")
        values.setdefault("og_image", None)
        values.setdefault("feeds", [])
        values.setdefault("page_title", values["title"])
        values["feeds"].append((self.ctx.config.title, self.href(self.ctx.urls.feed())))
        values.update(self.globals, page=page, canonical=self.absolute(page.url))
        try:
            template = self.env.get_template(page.template)
            html = render_page(template, values)
        except Exception as exc:  # a template may raise anything: TypeError on `"a" + 1`...
            path, line = template_location(exc, self.ctx.config)
            if line is None and not isinstance(exc, jinja2.TemplateError):
                raise  # not from a template: a bug in sitegen, worth its traceback
            message = f"{template_message(exc)} (while rendering /{page.url})"
            raise TemplateProblem(Diagnostic(path, line, message)) from None
        if page.output.endswith(".html") and (not html or html.isspace()):  # (no copy)
            # never what anyone means to publish (and Pagefind stops at a site of them)
            root = template_chain(self.env, page.template)[-1]
            path = _display_path(root.filename or root.name or page.template, self.ctx.config)
            through = f", which {page.template} extends" if root.name != page.template else ""
            message = (
                f"renders an empty page (while rendering /{page.url}{through}): "
                "a page template must write the page's HTML"
            )
            raise TemplateProblem(Diagnostic(path, 1, message))
        return html

    # ---- views: the values each kind of page gets

    def _day_view(self, index: int) -> dict[str, Any]:
        model = self.ctx.model
        briefing = model.briefings[index]
        html = list(self.ctx.block_html[index])  # each block decoded once (cache.PackedHtml)
        blocks = [(block, Markup(tidy_links(html[i]))) for i, block in enumerate(briefing.blocks)]
        sections: list[tuple[Section, list]] = [
            (self._section(section, briefing), []) for section in briefing.sections
        ]
        intro: list[tuple[Block, Markup]] = []
        for pair in blocks:
            (sections[pair[0].section][1] if pair[0].kind == "item" else intro).append(pair)
        glance = [(block, *glance_line(html[i])) for i, block in enumerate(briefing.blocks)
                  if block.kind == "item"]  # fmt: skip
        return {
            "briefing": briefing,
            "blocks": blocks,
            "digest": Digest(intro, sections, glance),
            "day_actors": [model.actors[slug] for slug in briefing.actors],
            # the names that have accents, without them: for search (see day.html)
            "folded_names": ", ".join(
                folded
                for slug in briefing.actors
                if (folded := self._folded_name(slug)) is not None
            ),
        }

    def _folded_name(self, slug: str) -> str | None:
        """An actor's name without its accents, or None when it has none (once per actor:
        the same names are on thousands of day pages)."""
        if slug not in self._folded:
            name = self.ctx.model.actors[slug].name
            folded = fold_accents(name)
            self._folded[slug] = folded if folded != name else None
        return self._folded[slug]

    @staticmethod
    def _section(section: Section, briefing: Briefing) -> Section:
        """A heading that only repeats the day's title (the page's H1) says what follows."""
        if _same_words(section.title, briefing.title):
            return Section("The day in detail", section.anchor, section.line)
        return section

    def _search(self, page: Page) -> dict[str, Any]:
        """The search page: search.js finds the index's partitions in pagefind/bundles.json,
        so that the page stays the same as they change."""
        return {"title": "Search"}

    def _home(self, page: Page) -> dict[str, Any]:
        model = self.ctx.model
        count = self.ctx.config.pagination.home_recent
        latest = self._day_view(len(model.briefings) - 1) if model.briefings else None
        recent = model.briefings[-count - 1 : -1][::-1] if model.briefings else []
        active = sorted(model.actors.values(), key=lambda a: (-model.mention_count(a.slug), a.name))
        top = [a for a in active if model.mention_count(a.slug)]
        return {
            "title": self.ctx.config.title,
            "latest": latest,
            "recent": recent,
            "top_actors": top[: self.ctx.config.pagination.home_actors],
        }

    def _day(self, page: Page) -> dict[str, Any]:
        (index,) = page.key
        briefings = self.ctx.model.briefings
        view = self._day_view(index)
        view.update(
            title=briefings[index].title,
            page_title=self.dated_title(briefings[index]),
            previous=briefings[index - 1] if index > 0 else None,
            next=briefings[index + 1] if index + 1 < len(briefings) else None,
            og_type="article",
            published=self.timestamp(briefings[index].date),
            structured_data=self._news_article(page, briefings[index]),
        )
        return view

    @staticmethod
    def dated_title(briefing: Briefing) -> str:
        """A day's title with its full date, unless the title has the year: titles such as
        "Jan. 27: What you need to know today" recur every year."""
        title = curly(briefing.title)
        if str(briefing.date.year) in title:
            return title
        return f"{title} · {short_date(briefing.date)}"

    def _news_article(self, page: Page, briefing: Briefing) -> dict[str, Any]:
        """schema.org NewsArticle with the properties Google's article documentation asks
        for (headline, dates, author with name and url, publisher) and the page it is on."""
        config, model = self.ctx.config, self.ctx.model
        published = self.timestamp(briefing.date)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": briefing.title,
            "datePublished": published,
            "dateModified": published,
            "author": [
                {
                    "@type": "Organization",
                    "name": config.author or config.title,
                    "url": config.base_url,
                }
            ],
            "publisher": self._organisation(),
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.absolute(page.url)},
            "url": self.absolute(page.url),
            "inLanguage": config.language,
        }
        if briefing.summary:
            data["description"] = briefing.summary
        if briefing.actors:
            data["mentions"] = [self._entity(model.actors[slug]) for slug in briefing.actors]
        return data

    def _archive(self, page: Page) -> dict[str, Any]:
        """Every year as one row of its twelve months (None for a month without briefings),
        newest first: 30 years fit on a screen or two."""
        years: dict[int, list[int | None]] = {}
        for (year, month), days in self.by_month.items():
            years.setdefault(year, [None] * 12)[month - 1] = len(days)
        briefings = self.ctx.model.briefings
        return {
            "title": "Archive",
            "years": [(y, sum(c or 0 for c in counts), counts)
                      for y, counts in sorted(years.items(), reverse=True)],
            "first": briefings[0].date if briefings else None,
            "last": briefings[-1].date if briefings else None,
            "days": len(briefings),
        }  # fmt: skip

    def _year(self, page: Page) -> dict[str, Any]:
        (year,) = page.key
        months = sorted((m, days) for (y, m), days in self.by_month.items() if y == year)
        return {"title": f"Briefings of {year}", "year": year, "months": months,
                "days": sum(len(days) for _, days in months)}  # fmt: skip

    def _month(self, page: Page) -> dict[str, Any]:
        year, month = page.key
        days = self.by_month[(year, month)]
        return {"title": f"{MONTH_NAMES[month - 1]} {year}", "year": year, "month": month,
                "days": days}  # fmt: skip

    def _actors(self, page: Page) -> dict[str, Any]:
        """The actors index: the most active of each kind on one scale, and every actor A–Z;
        above ACTORS_INDEX_LIMIT actors, the A–Z list is one page per letter."""
        model, urls = self.ctx.model, self.ctx.urls
        busiest = max((model.mention_count(slug) for slug in model.actors), default=0) or 1
        rows = [
            ActorRow(a, model.mention_count(a.slug), round(100 * model.mention_count(a.slug)
                                                           / busiest, 1))
            for a in model.actors.values()
        ]  # fmt: skip
        by_kind: dict[str, list[ActorRow]] = {}
        for row in rows:
            by_kind.setdefault(row.actor.kind, []).append(row)
        kinds = [(kind, by_kind[kind]) for kind in KIND_LABELS if kind in by_kind]
        letters: dict[str, list[ActorRow]] = {}
        by_name = sorted(rows, key=lambda r: (fold_accents(r.actor.name).casefold(), r.actor.slug))
        for row in by_name:
            letters.setdefault(index_letter(row.actor.name), []).append(row)
        paged = len(model.actor_list) > ACTORS_INDEX_LIMIT
        letter = page.key[0] if page.kind == "actors-letter" else None

        def letter_href(each: str) -> str:
            if paged:
                return self.href(urls.actors_letter(each))
            return f"#letter-{'other' if each == '#' else each.lower()}"

        shown = letters if not paged else {letter: letters[letter]} if letter else {}
        top = [
            (kind, sorted(members, key=lambda r: (-r.days, r.actor.name))[:10])
            for kind, members in kinds
        ]
        return {
            "title": "Actors" if letter is None else f"Actors: {letter}",
            "kinds": [(kind, len(members)) for kind, members in kinds],
            "top": [(kind, members) for kind, members in top if members and members[0].days],
            "letters": [(each, letter_href(each)) for each in letters],
            "shown": list(shown.items()),
            "current_letter": letter,
            "paged": paged,
            "names_href": self.href(urls.actors_names()) if paged else None,
            "actor_count": len(rows),
        }

    def _actors_names(self, page: Page) -> dict[str, Any]:
        """Every actor as [name, page, kind], by name: what the filter of a paged actors
        index searches, since each of its pages lists one letter's actors only."""
        by_name = sorted(self.ctx.model.actors.values(),
                         key=lambda a: (fold_accents(a.name).casefold(), a.slug))  # fmt: skip
        names = [[a.name, self.href(self.ctx.urls.actor(a.slug)), a.kind] for a in by_name]
        return {"title": "Actors", "names": names}

    def _actor(self, page: Page) -> dict[str, Any]:
        slug, number, count = page.key
        model, urls = self.ctx.model, self.ctx.urls
        actor = model.actors[slug]
        own_href = self.href(urls.actor(slug))
        timeline = model.timelines.get(slug, [])
        size = self.ctx.config.pagination.actor_days
        facts = self.actor_facts(slug)
        years = facts.years
        year_starts = {span.first: f"y{span.year}" for span in years}
        days = []
        start = (number - 1) * size
        for offset, entry in enumerate(timeline[start : start + size]):
            briefing = model.briefings[entry.briefing]
            html = self.ctx.block_html[entry.briefing]
            blocks = [(briefing.blocks[i], Markup(tidy_links(html[i], own_href)))
                      for i in entry.blocks]  # fmt: skip
            day_quotes = [briefing.quotes[i] for i in entry.unquoted]
            days.append(TimelineDayView(
                briefing, *self._day_labels(entry.briefing), blocks, day_quotes,
                year_anchor=year_starts.get(start + offset, ""),
            ))  # fmt: skip
        quotes = facts.quotes
        title = actor.name if number == 1 else f"{actor.name}: timeline, page {number}"
        values = {
            "title": title,
            "og_type": "profile" if actor.kind == "person" else "website",
            "og_image": self._image_url(actor),
            "feeds": [
                (f"{actor.name} · {self.ctx.config.title}", self.href(urls.actor_feed(slug)))
            ],
            "feed_href": self.href(urls.actor_feed(slug)),
            "structured_data": self._profile_page(page, actor),
            "actor": actor,
            "profile": Markup(curly_html(self.ctx.profile_html.get(slug, ""))),
            "affiliation": self._affiliation(actor),
            "days": days,
            "mention_days": len(timeline),
            "summary": facts.summary,
            "chart_unit": self.chart_unit,
            "chart_peak": self.frame.peak,
            "years": [
                (year, days, f"#y{year}" if target == number else f"{target_href}#y{year}")
                for year, days, target, target_href in self._year_links(slug, size)
            ],
            "page_number": number,
            "page_count": count,
            "newer": self._timeline_pager(slug, number - 1, count, size),
            "older": self._timeline_pager(slug, number + 1, count, size),
            "co_actors": [(model.actors[s], n) for s, n in model.co_actors.get(slug, [])],
            "latest_quotes": [self._quote_view(b, q) for b, q in quotes[:LATEST_QUOTES]],
            "quote_count": len(quotes),
            "quotes_href": self.href(urls.actor_quotes(slug)) if len(quotes) > LATEST_QUOTES
            else None,
        }  # fmt: skip
        return values

    def _actor_quotes(self, page: Page) -> dict[str, Any]:
        slug, number, count = page.key
        model, urls = self.ctx.model, self.ctx.urls
        actor = model.actors[slug]
        facts = self.actor_facts(slug)
        quotes = facts.quotes
        shown = quotes[(number - 1) * QUOTES_PER_PAGE : number * QUOTES_PER_PAGE]

        def pager(n: int) -> PagerLink | None:
            if not 1 <= n <= count:
                return None
            part = quotes[(n - 1) * QUOTES_PER_PAGE : n * QUOTES_PER_PAGE]
            dates = self._date_range(model.briefings[part[0][0]].date,
                                     model.briefings[part[-1][0]].date)  # fmt: skip
            return PagerLink(self.href(urls.actor_quotes(slug, n)), f"page {n}", dates)

        suffix = "" if number == 1 else f", page {number}"
        years = facts.quote_years  # worked out once per actor, not once per page
        anchors = {first: f"y{year}" for year, _, first in years}
        views = []
        for offset, (b, q) in enumerate(shown):
            view = self._quote_view(b, q)
            view.year_anchor = anchors.get((number - 1) * QUOTES_PER_PAGE + offset, "")
            views.append(view)

        def year_href(first: int) -> str:
            target = first // QUOTES_PER_PAGE + 1
            return "" if target == number else self.href(urls.actor_quotes(slug, target))

        return {
            "years": [(year, count, f"{year_href(first)}#y{year}") for year, count, first in years],
            "title": f"{actor.name}: quotes{suffix}",
            "actor": actor,
            "actor_href": self.href(urls.actor(slug)),
            "feeds": [
                (f"{actor.name} · {self.ctx.config.title}", self.href(urls.actor_feed(slug)))
            ],
            "quotes": views,
            "quote_count": len(quotes),
            "structured_data": self._profile_page(page, actor),
            "page_number": number,
            "page_count": count,
            "newer": pager(number - 1),
            "older": pager(number + 1),
        }

    def _quote_years(self, quotes: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """(year, quotes, index of its newest quote) for quotes newest first."""
        briefings = self.ctx.model.briefings
        years: list[tuple[int, int, int]] = []
        for index, (b, _) in enumerate(quotes):
            year = briefings[b].date.year
            if years and years[-1][0] == year:
                years[-1] = (year, years[-1][1] + 1, years[-1][2])
            else:
                years.append((year, 1, index))
        return years

    def _quote_view(self, briefing_index: int, quote_index: int) -> QuoteView:
        briefing = self.ctx.model.briefings[briefing_index]
        quote = briefing.quotes[quote_index]
        href, date_iso, _ = self._day_labels(briefing_index)
        if quote.item:
            href += f"#item-{quote.item}"
        return QuoteView(quote, href, date_iso, short_date(briefing.date))

    @staticmethod
    def _date_range(newest: dt.date, oldest: dt.date) -> str:
        if newest == oldest:
            return short_date(newest)
        return f"{short_date(newest)} – {short_date(oldest)}"

    def _year_links(self, slug: str, size: int) -> list[tuple[int, int, int, str]]:
        """Each year of an actor's timeline: (year, days, the number of the page where it
        starts, that page's link), worked out once per actor rather than on each page."""
        links = self._years.get(slug)
        if links is None:
            links = self._years[slug] = [
                (span.year, span.days, span.first // size + 1,
                 self.href(self.ctx.urls.actor(slug, span.first // size + 1)))
                for span in self.actor_facts(slug).years
            ]  # fmt: skip
        return links

    def _timeline_pager(self, slug: str, number: int, count: int, size: int) -> PagerLink | None:
        """A link to another timeline page, labelled with the dates it covers."""
        if not 1 <= number <= count:
            return None
        model = self.ctx.model
        part = model.timelines[slug][(number - 1) * size : number * size]
        dates = self._date_range(model.briefings[part[0].briefing].date,
                                 model.briefings[part[-1].briefing].date)  # fmt: skip
        return PagerLink(self.href(self.ctx.urls.actor(slug, number)), f"page {number}", dates)

    def _affiliation(self, actor: Actor) -> tuple[str, str | None] | None:
        """The actor's country or organisation, linked when it is an actor too."""
        if not actor.country:
            return None
        slug = self.ctx.model.lookup.get(mention_key(actor.country))
        if slug is None or slug == actor.slug:
            return actor.country, None
        return actor.country, self.href(self.ctx.urls.actor(slug))

    def _day_labels(self, index: int) -> tuple[str, str, str]:
        """A day's link and dates as timelines show them: worked out once per day, which
        appears in the timelines of all its actors."""
        labels = self._labels.get(index)
        if labels is None:
            briefing = self.ctx.model.briefings[index]
            labels = self._labels[index] = (
                self.href(briefing.url),
                briefing.date.isoformat(),
                long_date(briefing.date),
            )
        return labels

    def _image_url(self, actor: Actor) -> str | None:
        if not actor.image:
            return None
        return actor.image if "://" in actor.image else self.absolute(actor.image.lstrip("/"))

    def _profile_page(self, page: Page, actor: Actor) -> dict[str, Any]:
        """schema.org ProfilePage about a Person or Organization: Google requires
        mainEntity with a name; description, alternateName, sameAs and image help."""
        entity = self._entity(actor)
        description = actor.role or first_sentence(actor.profile)
        if description:
            entity["description"] = description
        if actor.kind == "person" and actor.role:
            entity["jobTitle"] = actor.role
        if actor.aliases:
            entity["alternateName"] = list(actor.aliases)
        if actor.links:
            entity["sameAs"] = [link.url for link in actor.links]
        if image := self._image_url(actor):
            entity["image"] = image
        return {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "url": self.absolute(page.url),
            "dateModified": self.timestamp(self.newest_shown(page)),
            "mainEntity": entity,
        }

    # ---- feeds and the sitemap

    def _feed_values(self, title: str, url: str, page_url: str, entries: list) -> dict[str, Any]:
        briefings = self.ctx.model.briefings
        newest = entries[0]["date"] if entries else briefings[-1].date if briefings else None
        return {
            "title": title,
            "feed_url": self.absolute(url),
            "page_url": self.absolute(page_url),
            "updated": self.timestamp(newest),
            "author": self.ctx.config.author or self.ctx.config.title,
            "entries": entries,
        }

    def _entry(self, briefing: Briefing, entry_id: str) -> dict[str, Any]:
        return {
            "id": entry_id,
            "briefing": briefing,
            "date": briefing.date,
            "updated": self.timestamp(briefing.date),
            "url": self.absolute(briefing.url),
        }

    def _feed(self, page: Page) -> dict[str, Any]:
        """The latest days in full, newest first."""
        config, model = self.ctx.config, self.ctx.model
        entries = []
        for index in range(len(model.briefings) - 1, -1, -1)[: config.feeds.days]:
            briefing = model.briefings[index]
            specific = f"{config.base_path}briefing/{briefing.key}/{briefing.slug}"
            entry = self._entry(briefing, tag_uri(config.base_url, briefing.date, specific))
            entry.update(self._day_view(index))  # the digest, quotes and actors (as categories)
            entries.append(entry)
        return self._feed_values(config.title, page.url, self.ctx.urls.home(), entries)

    def _actor_feed(self, page: Page) -> dict[str, Any]:
        """The latest days that mention an actor: those items and the actor's quotes."""
        (slug,) = page.key
        config, model = self.ctx.config, self.ctx.model
        actor = model.actors[slug]
        entries = []
        for day in model.timelines.get(slug, [])[: config.feeds.days]:
            briefing = model.briefings[day.briefing]
            html = self.ctx.block_html[day.briefing]
            specific = f"{config.base_path}actors/{slug}/{briefing.key}/{briefing.slug}"
            entry = self._entry(briefing, tag_uri(config.base_url, briefing.date, specific))
            entry.update(
                blocks=[(briefing.blocks[i], Markup(html[i])) for i in day.blocks],
                quotes=[briefing.quotes[i] for i in day.quotes],
            )
            entries.append(entry)
        values = self._feed_values(
            f"{actor.name} · {config.title}", page.url, self.ctx.urls.actor(slug), entries
        )
        values["actor"] = actor
        return values

    def _sitemap(self, page: Page) -> dict[str, Any]:
        """Every HTML page but 404.html, with the date of the newest briefing it shows; a
        part of a split sitemap lists its slice of them (routes.SITEMAP_URLS)."""
        listed = [p for p in self.ctx.pages if in_sitemap(p)]
        if page.key:
            _, first, stop = page.key
            listed = listed[first:stop]
        urls = [(self.absolute(p.url), self.newest_shown(p)) for p in listed]
        return {"title": "Sitemap", "sitemap": urls}

    def _sitemap_index(self, page: Page) -> dict[str, Any]:
        """The parts of a split sitemap, each with the newest lastmod of the pages it lists."""
        listed = [p for p in self.ctx.pages if in_sitemap(p)]
        parts = []
        for part in self.ctx.pages:
            if part.kind == "sitemap" and part.key:
                _, first, stop = part.key
                dates = [d for p in listed[first:stop] if (d := self.newest_shown(p))]
                parts.append((self.absolute(part.url), max(dates, default=None)))
        return {"title": "Sitemap index", "sitemaps": parts}
