"""Render: Markdown bodies to HTML fragments, and planned pages to HTML with Jinja.

Rendering reads no files except templates (through Jinja's loader). A fresh Jinja
environment is made for every build. Templates use StrictUndefined, so a typo in a template
is an error naming the template line and the page, not a silently empty string.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.charts import activity_svg
from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostic
from sitegen.markup import MarkdownRenderer, mention_key
from sitegen.model import Briefing, Section, SiteModel
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


def make_environment(config: SiteConfig) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [
        _Utf8Loader(str(config.folder("templates"))),
        _Utf8Loader(str(THEME_DIR / "templates")),
    ]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        long_date=long_date,
        short_date=short_date,
        month_name=lambda m: MONTH_NAMES[m - 1],
        tojson_safe=lambda v: Markup(json.dumps(v, ensure_ascii=False).replace("</", "<\\/")),
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


@dataclass
class RenderContext:
    """Everything the page renderer needs; built once per build, shared by workers."""

    config: SiteConfig
    model: SiteModel
    urls: Urls
    block_html: list[list[str]]  # per briefing, per block
    profile_html: dict[str, str]  # per actor slug


class PageRenderer:
    def __init__(self, ctx: RenderContext, env: jinja2.Environment) -> None:
        self.ctx = ctx
        self.env = env
        model = ctx.model
        self.first_month = (model.briefings[0].date.year, model.briefings[0].date.month) if (
            model.briefings
        ) else (1970, 1)
        self.last_month = (model.briefings[-1].date.year, model.briefings[-1].date.month) if (
            model.briefings
        ) else (1970, 1)
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
        }
        self.globals = {
            "site": ctx.config,
            "href": self.href,
            "absolute": self.absolute,
            "asset": lambda name: self.href(ctx.urls.asset(name)),
            "actor_url": lambda slug: self.href(ctx.urls.actor(slug)),
            "actors": model.actors,
            "urls": ctx.urls,
            "mention_count": model.mention_count,
            "chart": self.chart,
            "kind_labels": KIND_LABELS,
            "generator": "sitegen",
        }

    def href(self, url: str) -> str:
        return self.ctx.urls.href(url)

    def absolute(self, url: str) -> str:
        return self.ctx.config.base_url + url

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
            "digest": {"intro": intro, "sections": sections},
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
        )
        return view

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
        model = self.ctx.model
        actor = model.actors[slug]
        timeline = model.timelines.get(slug, [])
        size = self.ctx.config.pagination.actor_days
        days = []
        for entry in timeline[(number - 1) * size : number * size]:
            briefing = model.briefings[entry.briefing]
            html = self.ctx.block_html[entry.briefing]
            days.append({
                "briefing": briefing,
                "blocks": [(briefing.blocks[i], Markup(html[i])) for i in entry.blocks],
                "quotes": [briefing.quotes[i] for i in entry.quotes],
            })  # fmt: skip
        return {
            "title": actor.name if number == 1 else f"{actor.name} (page {number})",
            "actor": actor,
            "profile": Markup(self.ctx.profile_html.get(slug, "")),
            "days": days,
            "mention_days": len(timeline),
            "page_number": number,
            "page_count": count,
            "page_url": lambda n: self.href(self.ctx.urls.actor(slug, n)),
            "co_actors": [(model.actors[s], n) for s, n in model.co_actors.get(slug, [])],
        }
