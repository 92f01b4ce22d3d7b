"""URLs: the site's URL scheme, slugs, and the mapping from URLs to output files.

Page URLs are kept site-relative ("2022/01/27/"); `Urls.href` prefixes base_url's path so
that the same build works at the domain root and under a GitHub project-pages subpath.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata

from slugify import slugify as _slugify

_SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A slug is a folder's name in the output, which the file system caps at 255 bytes: a longer
# one failed the whole build at the write, naming the output, not the file that set it.
MAX_SLUG = 200


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphenated; '' when nothing usable is left (e.g. '!!!')."""
    if len(text) <= 80 and _SAFE_SLUG.match(text) and not text.endswith("-") and "--" not in text:
        return text  # already a slug (most file names): skip the costly transliteration
    return _slugify(text, max_length=80, word_boundary=True)


def slug_problem(slug: str) -> str | None:
    """Why an explicit slug is unusable in a URL, or None."""
    if "/" in slug or "\\" in slug or ".." in slug:
        return f"slug {slug!r} must not contain '/', '\\' or '..'"
    if not _SAFE_SLUG.match(slug):
        hint = slugify(slug)  # ('' for '-' or '!!!': no hint to give)
        tip = f"try {hint!r}" if hint else "start with a letter or digit"
        return f"slug {slug!r} must be lower-case letters, digits and hyphens ({tip})"
    if len(slug) > MAX_SLUG:
        return f"slug {slug[:40]!r}... is {len(slug):,} characters long; at most {MAX_SLUG}"
    return None


def url_to_file(url: str) -> str | None:
    """'2022/01/27/' -> '2022/01/27/index.html'; None when the URL would leave the output."""
    if url.startswith("/") or "\\" in url or "\x00" in url:
        return None
    target = url + "index.html" if url == "" or url.endswith("/") else url
    if "//" not in target and "/." not in "/" + target:
        return target  # no empty, "." or ".." segment: nothing normpath would change
    normal = posixpath.normpath(target)
    if normal.startswith("..") or normal != target or posixpath.isabs(normal):
        return None
    return target


def collision_key(path: str) -> str:
    """Two output paths that one file system or one browser would treat as the same file."""
    return unicodedata.normalize("NFKC", path).casefold()


class Urls:
    """The URL scheme of one site; every link in every template comes from here."""

    def __init__(self, base_path: str, briefing_pattern: str) -> None:
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.briefing_pattern = briefing_pattern

    def href(self, url: str) -> str:
        """A site-relative URL as a link that works under base_url's path."""
        return self.base_path + url

    def day(self, date: dt.date, slug: str) -> str:
        path = self.briefing_pattern.format(
            year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
        )
        return path.lstrip("/")

    @staticmethod
    def home() -> str:
        return ""

    @staticmethod
    def archive() -> str:
        return "archive/"

    @staticmethod
    def year(year: int) -> str:
        return f"{year:04d}/"

    @staticmethod
    def month(year: int, month: int) -> str:
        return f"{year:04d}/{month:02d}/"

    @staticmethod
    def actors() -> str:
        return "actors/"

    @staticmethod
    def actor(slug: str, page: int = 1) -> str:
        return f"actors/{slug}/" if page == 1 else f"actors/{slug}/page/{page}/"

    @staticmethod
    def actor_quotes(slug: str, page: int = 1) -> str:
        return f"actors/{slug}/quotes/" if page == 1 else f"actors/{slug}/quotes/page/{page}/"

    @staticmethod
    def actors_letter(letter: str) -> str:
        """A page of the A–Z actors index (used when there are too many for one page)."""
        return f"actors/a-z/{'other' if letter == '#' else letter.lower()}/"

    @staticmethod
    def actors_names() -> str:
        """Every actor's name, kind and page as JSON, for the filter of a paged A–Z."""
        return "actors/a-z/names.json"

    @staticmethod
    def not_found() -> str:
        return "404.html"

    @staticmethod
    def feed() -> str:
        return "feed.xml"

    @staticmethod
    def actor_feed(slug: str) -> str:
        return f"actors/{slug}/feed.xml"

    @staticmethod
    def search() -> str:
        return "search/"

    @staticmethod
    def search_bundle() -> str:
        """The folder Pagefind writes its index and scripts to."""
        return "pagefind/"

    @staticmethod
    def sitemap() -> str:
        return "sitemap.xml"

    @staticmethod
    def sitemap_part(number: int) -> str:
        """A part of a sitemap too long for one file (routes.SITEMAP_URLS)."""
        return f"sitemap-{number}.xml"

    @staticmethod
    def robots() -> str:
        return "robots.txt"

    @staticmethod
    def asset(name: str) -> str:
        return f"assets/{name}"
