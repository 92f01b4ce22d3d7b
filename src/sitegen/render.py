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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from sitegen.body import first_sentence, mention_key
from sitegen.charts import activity_svg
from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostic
from sitegen.markup import MarkdownRenderer
from sitegen.model import Actor, Block, Briefing, Quote, Section, SiteModel
from sitegen.routes import Page
from sitegen.urls import Urls

THEME_DIR = Path(str(resources.files("sitegen") / "theme"))
KIND_LABELS = {
    "person": "People",
    "organization": "Organisations",
    "country": "Countries",
    "group": "Groups",
    "other": "Others",
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
    """HTML of each block of a briefing."""
    return renderer.render_blocks([b.text for b in briefing.blocks], briefing.references)


# --------------------------------------------------------------------------- Jinja


def long_date(value: dt.date) -> str:
    return f"{value:%A}, {MONTH_NAMES[value.month - 1]} {value.day}, {value.year}"


def short_date(value: dt.date) -> str:
    return f"{MONTH_NAMES[value.month - 1][:3]} {value.day}, {value.year}"


_JSON_IN_HTML = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)  # fmt: skip


def ld_json(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> element. Titles and names come from
    editors and ingested text: escaping <, > and & keeps a "</script>" in them from ending
    the element, and the JSON still parses to the same strings."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
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
        url = match.group(2)
        if url.startswith("#"):
            url = page_url.split("#")[0] + url
        elif not url.startswith("//"):
            url = origin + url
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
            data = exc.object
            line = data.count(b"\n", 0, exc.start) + 1
            filename = str(Path(self.searchpath[0], *template.split("/")))
            message = f"not valid UTF-8: byte 0x{data[exc.start]:02x}"
            raise jinja2.TemplateSyntaxError(message, line, template, filename) from None


def make_environment(
    config: SiteConfig, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """A fresh environment; `compiled` keeps compiled templates between builds."""
    loaders: list[jinja2.BaseLoader] = [
        _Utf8Loader(str(config.folder("templates"))),
        _Utf8Loader(str(THEME_DIR / "templates")),
    ]
    env = jinja2.Environment(
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
        tojson_safe=lambda v: Markup(json.dumps(v, ensure_ascii=False).replace("</", "<\\/")),
        ld_json=ld_json,
        xml_text=xml_text,
        absolute_links=absolute_links,
    )
    return env


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
    quotes: list[Quote]


@dataclass(slots=True)
class Digest:
    """A briefing's body as the digest_body macro shows it."""

    intro: list[tuple[Block, Markup]]  # lead and background blocks, with their HTML
    sections: list[tuple[Section, list[tuple[Block, Markup]]]]  # headings and their items


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
    block_html: Sequence[list[str]]  # per briefing, per block (read from the cache as needed)
    profile_html: Mapping[str, str]  # per actor slug (converted as needed)
    pages: list[Page] = field(default_factory=list)  # the whole plan, for the sitemap


class PageRenderer:
    def __init__(self, ctx: RenderContext, env: jinja2.Environment) -> None:
        self.ctx = ctx
        self.env = env
        model = ctx.model
        self.first_month = (
            (model.briefings[0].date.year, model.briefings[0].date.month)
            if model.briefings
            else (1970, 1)
        )
        self.last_month = (
            (model.briefings[-1].date.year, model.briefings[-1].date.month)
            if model.briefings
            else (1970, 1)
        )
        self._labels: dict[int, tuple[str, str, str]] = {}  # see _day_labels
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
            "actor": self._actor,
            "404": lambda page: {"title": "Page not found"},
            "search": lambda page: {"title": "Search"},
            "feed": self._feed,
            "actor-feed": self._actor_feed,
            "sitemap": self._sitemap,
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
            "kind_labels": KIND_LABELS,
            "generator": "sitegen",
        }

    def href(self, url: str) -> str:
        return self.ctx.urls.href(url)

    def absolute(self, url: str) -> str:
        return self.ctx.config.base_url + url

    def timestamp(self, day: dt.date | None) -> str:
        """A day as an RFC 3339 time (midnight in the site's timezone): dates in feeds and
        structured data come from the content only, so builds stay reproducible."""
        if day is None:
            return "1970-01-01T00:00:00+00:00"
        return dt.datetime.combine(day, dt.time(), self.zone).isoformat()

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

    def chart(self, slug: str, width: int = 240, height: int = 48) -> Markup:
        counts = self.ctx.model.monthly.get(slug)
        if counts is None:
            return Markup("")
        name = self.ctx.model.actors[slug].name
        svg = activity_svg(
            counts, self.first_month, self.last_month, name=name, width=width, height=height
        )
        return Markup(svg)

    def render(self, page: Page) -> str:
        values = self._views[page.kind](page)
        values.setdefault("structured_data", None)
        values.setdefault("og_type", "website")
        values.setdefault("og_image", None)
        values.setdefault("feeds", [])
        values["feeds"].append((self.ctx.config.title, self.href(self.ctx.urls.feed())))
        values.update(self.globals, page=page, canonical=self.absolute(page.url))
        try:
            return self.env.get_template(page.template).render(values)
        except Exception as exc:  # a template may raise anything: TypeError on `"a" + 1`...
            path, line = template_location(exc, self.ctx.config)
            if line is None and not isinstance(exc, jinja2.TemplateError):
                raise  # not from a template: a bug in sitegen, worth its traceback
            message = f"{template_message(exc)} (while rendering /{page.url})"
            raise TemplateProblem(Diagnostic(path, line, message)) from None

    # ---- views: the values each kind of page gets

    def _day_view(self, index: int) -> dict[str, Any]:
        model = self.ctx.model
        briefing = model.briefings[index]
        html = self.ctx.block_html[index]
        blocks = [(block, Markup(html[i])) for i, block in enumerate(briefing.blocks)]
        sections: list[tuple[Section, list]] = [(section, []) for section in briefing.sections]
        intro = []
        for pair in blocks:
            (sections[pair[0].section][1] if pair[0].kind == "item" else intro).append(pair)
        return {
            "briefing": briefing,
            "blocks": blocks,
            "digest": Digest(intro, sections),
            "day_actors": [model.actors[slug] for slug in briefing.actors],
        }

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
            previous=briefings[index - 1] if index > 0 else None,
            next=briefings[index + 1] if index + 1 < len(briefings) else None,
            og_type="article",
            published=self.timestamp(briefings[index].date),
            structured_data=self._news_article(page, briefings[index]),
        )
        return view

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
        years: dict[int, dict[int, int]] = {}
        for (year, month), days in self.by_month.items():
            years.setdefault(year, {})[month] = len(days)
        return {
            "title": "Archive",
            "years": sorted(((y, sorted(m.items())) for y, m in years.items()), reverse=True),
        }

    def _year(self, page: Page) -> dict[str, Any]:
        (year,) = page.key
        months = sorted((m, days) for (y, m), days in self.by_month.items() if y == year)
        return {"title": str(year), "year": year, "months": months}

    def _month(self, page: Page) -> dict[str, Any]:
        year, month = page.key
        days = self.by_month[(year, month)]
        return {"title": f"{MONTH_NAMES[month - 1]} {year}", "year": year, "month": month,
                "days": days}  # fmt: skip

    def _actors(self, page: Page) -> dict[str, Any]:
        model = self.ctx.model
        groups: dict[str, list] = {}
        for actor in model.actors.values():
            groups.setdefault(actor.kind, []).append((actor, model.mention_count(actor.slug)))
        ordered = [(kind, groups[kind]) for kind in KIND_LABELS if kind in groups]
        return {"title": "Actors", "groups": ordered}

    def _actor(self, page: Page) -> dict[str, Any]:
        slug, number, count = page.key
        model, urls = self.ctx.model, self.ctx.urls
        actor = model.actors[slug]
        timeline = model.timelines.get(slug, [])
        size = self.ctx.config.pagination.actor_days
        days = []
        for entry in timeline[(number - 1) * size : number * size]:
            briefing = model.briefings[entry.briefing]
            html = self.ctx.block_html[entry.briefing]
            days.append(TimelineDayView(
                briefing, *self._day_labels(entry.briefing),
                [(briefing.blocks[i], Markup(html[i])) for i in entry.blocks],
                [briefing.quotes[i] for i in entry.quotes],
            ))  # fmt: skip
        return {
            "title": actor.name if number == 1 else f"{actor.name} (page {number})",
            "og_type": "profile" if actor.kind == "person" else "website",
            "og_image": self._image_url(actor),
            "feeds": [
                (f"{actor.name} · {self.ctx.config.title}", self.href(urls.actor_feed(slug)))
            ],
            "structured_data": self._profile_page(page, actor),
            "actor": actor,
            "profile": Markup(self.ctx.profile_html.get(slug, "")),
            "days": days,
            "mention_days": len(timeline),
            "page_number": number,
            "page_count": count,
            "page_url": lambda n: self.href(self.ctx.urls.actor(slug, n)),
            "co_actors": [(model.actors[s], n) for s, n in model.co_actors.get(slug, [])],
        }

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
        """Every HTML page but 404.html, with the date of the newest briefing it shows."""
        urls = [
            (self.absolute(p.url), self.newest_shown(p))
            for p in self.ctx.pages
            if p.output.endswith(".html") and p.kind != "404"
        ]
        return {"title": "Sitemap", "sitemap": urls}
