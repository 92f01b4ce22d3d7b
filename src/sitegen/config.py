"""site.toml: a typed schema that collects every error with its line and warns on unknown keys."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.diagnostics import Diagnostic, Diagnostics
from sitegen.front_matter import toml_loads
from sitegen.source import not_xml_message, read_text

CONFIG_NAME = "site.toml"
MARKDOWN_EXTENSIONS = {
    "abbr", "def_list", "fenced_code", "footnotes", "tables", "sane_lists", "smarty", "nl2br",
}  # fmt: skip
PERMALINK_FIELDS = {"year", "month", "day", "slug"}
_DOMAIN = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")  # cname: no scheme, no path
# a well-formed BCP 47 tag, as <html lang> and Atom's xml:lang need: 'en', 'pt-BR', 'zh-Hant-TW'
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# what a permalink's own text may hold between its fields: characters that stay themselves in
# a URL path (no '#' or '?' that would end it, no '%' escapes, no spaces or quotes)
_PERMALINK_TEXT = re.compile(r"[\w.~-]*")
NO_SUCH_FOLDER = "no such folder"  # a folder [paths] names that is not there


@dataclass(frozen=True)
class Paths:
    content: str = "content"
    templates: str = "templates"
    static: str = "static"
    output: str = "build"


@dataclass(frozen=True)
class MarkdownOptions:
    extensions: tuple[str, ...] = ("tables", "fenced_code", "sane_lists")


@dataclass(frozen=True)
class Pagination:
    actor_days: int = 30  # days of an actor's timeline per page
    home_recent: int = 10  # earlier days listed on the home page
    home_actors: int = 12  # most active actors on the home page


@dataclass(frozen=True)
class Permalinks:
    briefing: str = "/{year}/{month}/{day}/"


@dataclass(frozen=True)
class Feeds:
    days: int = 20  # entries (latest days) in /feed.xml and in each actor's feed


@dataclass(frozen=True)
class Search:
    enabled: bool = True  # a /search/ page and a search box, indexed by Pagefind at build time


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str = "Briefings"
    description: str = "What you need to know, day by day."
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    cname: str = ""  # a custom domain for GitHub Pages: `sitegen deploy` writes it to CNAME
    paths: Paths = field(default_factory=Paths)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    pagination: Pagination = field(default_factory=Pagination)
    permalinks: Permalinks = field(default_factory=Permalinks)
    feeds: Feeds = field(default_factory=Feeds)
    search: Search = field(default_factory=Search)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/briefings/'."""
        return urlsplit(self.base_url).path or "/"

    def folder(self, name: str) -> Path:
        return (self.root / getattr(self.paths, name)).resolve()

    def folder_as_named(self, name: str) -> Path:
        """The folder by the name site.toml gives it: a link there is not followed (serve
        watches the link too, which may be re-pointed)."""
        return self.root.resolve() / getattr(self.paths, name)

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


# Characters a URL never holds as themselves (RFC 3986), and that would break out of an
# attribute, a script, a robots.txt line or an XML text where base_url is inserted.
_NOT_IN_URLS = frozenset("\"'<>\\^`{|}")


def base_url_problem(url: str) -> str | None:
    """What is wrong with a base_url (from site.toml or --base-url), or None. It must be an
    absolute http(s) URL with a host, without user name, password, query or fragment, and
    without spaces, quotes, control characters or other characters URLs never hold."""
    for position, char in enumerate(url, 1):
        if char in _NOT_IN_URLS or char.isspace() or unicodedata.category(char)[0] == "C":
            return (
                f"must not contain spaces, quotes, control characters or any of <>\\^`{{|}}: "
                f"found {char!r} at character {position} of {url!r}"
            )
    escape = _BAD_ESCAPE.search(url)
    if escape is not None:  # every link would carry it: Nu errors, or a NUL in every path
        what = escape.group()
        if len(what) == 3:
            return f"must not hold an escaped control character ({what}): {url!r}"
        return f"has a '%' that is not followed by two hexadecimal digits: {url!r}"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"is not a valid URL ({exc}): {url!r}"
    if port == 0:
        return f"is not a valid URL (port 0): {url!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an absolute http(s) URL, not {url!r}"
    if parts.username is not None or parts.password is not None:
        return f"must not hold a user name or password: {url!r}"
    host_problem = _host_problem(parts.hostname)
    if host_problem is not None:
        return f"has a host name that cannot exist ({host_problem}): {url!r}"
    if "?" in url or "#" in url:
        return f"must not have a query (?) or a fragment (#): page paths go after it: {url!r}"
    segments = parts.path.split("/")[1:]  # ('/a/b/': a, b and the empty name after it)
    if segments and not segments[-1]:
        segments.pop()
    if any(_DOT_SEGMENT.fullmatch(segment) for segment in segments):
        # '//x/feed.xml' is a link to the host x; browsers resolve '/../' and '/./' away
        return (
            f"must not have '//', '/./' or '/../' in its path: links would lead elsewhere: {url!r}"
        )
    return None


def _host_problem(host: str) -> str | None:
    """Why a URL's host name cannot be a real host (RFC 1123 labels, IDNA), or None.
    IP literals pass: urlsplit has checked the bracketed IPv6 form."""
    if ":" in host:
        return None
    name = host[:-1] if host.endswith(".") else host
    if _IPV4.fullmatch(name) and all(int(part) <= 255 for part in name.split(".")):
        return None
    if name.rsplit(".", 1)[-1].isdigit():  # browsers read it as an IPv4 address, and fail
        return "a name that ends in a number must be an IPv4 address, four numbers of 0-255"
    if len(name) > 253:
        return "longer than 253 characters"
    for label in name.split("."):
        if not label:
            return "an empty label"
        if label.isascii():
            if not _ASCII_LABEL.fullmatch(label):
                return f"label {label!r} must be 1-63 letters, digits or inner hyphens"
            if label.lower().startswith("xn--") and not _punycode_ok(label):
                return f"label {label!r} is not valid punycode"
        elif not _punycode_ok(label):
            return f"label {label!r} cannot be written as an international domain name"
    return None


def _punycode_ok(label: str) -> bool:
    """Whether an IDN label round-trips through IDNA (an 'xn--' label must decode)."""
    try:
        ascii_form = label.encode("idna")
        return len(ascii_form) <= 63 and bool(ascii_form.decode("idna"))
    except UnicodeError:
        return False


_ASCII_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")  # '_': browsers accept it
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_BAD_ESCAPE = re.compile(r"%(?:[01][0-9a-fA-F]|7[fF])|%(?![0-9a-fA-F]{2})")
_DOT_SEGMENT = re.compile(r"|(?:\.|%2e){1,2}", re.IGNORECASE)  # as browsers read them


def override_base_url(config: SiteConfig, url: str, diags: Diagnostics) -> SiteConfig:
    """The config with `--base-url`, checked as base_url in site.toml is."""
    problem = base_url_problem(url)
    if problem is not None:
        diags.error("--base-url", None, problem)
        return config
    return config.with_base_url(url)


class _KeyLines:
    """Finds the line of `[table]` / `key =` in TOML text (tomllib keeps no positions)."""

    # `[table]`, `[[table]]` (an array of tables), `[a.b]`; `key =`, `a.b =` (dotted keys)
    _TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            if match := self._TABLE.match(line):
                table = self._parts(match.group(1))
                self._add(table, number)
            elif match := self._KEY.match(line):
                self._add((*table, *self._parts(match.group(1))), number)

    @staticmethod
    def _parts(dotted: str) -> tuple[str, ...]:
        return tuple(part.strip().strip("\"'") for part in dotted.split("."))

    def _add(self, key: tuple[str, ...], number: int) -> None:
        """The line of a key, and of each table it opens ('[a.b]' and 'a.b =' open 'a')."""
        for end in range(1, len(key) + 1):
            self.lines.setdefault(key[:end], number)

    def of(self, *key: str) -> int | None:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None


def _check_type(value: Any, expected: type, name: str) -> str | None:
    if expected is bool and not isinstance(value, bool):
        return f"{name} must be true or false, not {value!r}"
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{name} must be a whole number, not {value!r}"
    if expected is str and not isinstance(value, str):
        return f"{name} must be text (in quotes), not {value!r}"
    if expected is tuple and not (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return f"{name} must be a list of text values, not {value!r}"
    return None


def _section(cls: type, table: dict[str, Any], prefix: tuple[str, ...], ctx: _Ctx) -> Any:
    """Build one dataclass section, reporting wrong types and unknown keys."""
    known = {f.name: f for f in fields(cls) if f.name != "root"}
    values: dict[str, Any] = {}
    for key, value in table.items():
        dotted = ".".join((*prefix, key))
        spec = known.get(key)
        if spec is None:
            ctx.diags.warning(ctx.path, ctx.lines.of(*prefix, key), f"unknown key '{dotted}'")
            continue
        default = getattr(cls(**({"root": ctx.root} if cls is SiteConfig else {})), key)
        if hasattr(default, "__dataclass_fields__"):
            if not isinstance(value, dict):
                ctx.diags.error(ctx.path, ctx.lines.of(*prefix, key), f"[{dotted}] must be a table")
                continue
            values[key] = _section(type(default), value, (*prefix, key), ctx)
            continue
        problem = _check_type(value, type(default), dotted) or _check_characters(value, dotted)
        if problem:
            ctx.diags.error(ctx.path, ctx.lines.of(*prefix, key), problem)
            continue
        values[key] = tuple(value) if isinstance(default, tuple) else value
    return values if cls is SiteConfig else cls(**values)


def _check_characters(value: Any, name: str) -> str | None:
    """Settings end up in pages and feeds: no characters that XML cannot carry (TOML's
    escapes, such as "\\u0001" or "\\e", can write them)."""
    for text in value if isinstance(value, list) else [value]:
        problem = not_xml_message(text) if isinstance(text, str) else None
        if problem:
            return f"{name}: {problem}"
    return None


@dataclass
class _Ctx:
    path: Path
    root: Path
    lines: _KeyLines
    diags: Diagnostics


def _validate(config: SiteConfig, ctx: _Ctx, named: Collection[str]) -> list[tuple[str, ...]]:
    """Report every bad value; returns the keys of the values that are bad. `named`: the
    [paths] keys site.toml sets."""
    wrong: list[tuple[str, ...]] = []

    def bad(key: tuple[str, ...], message: str) -> None:
        ctx.diags.error(ctx.path, ctx.lines.of(*key), message)
        wrong.append(key)

    problem = base_url_problem(config.base_url)
    if problem is not None:
        bad(("base_url",), f"base_url {problem}")
    if config.cname and not _DOMAIN.fullmatch(config.cname):
        bad(("cname",), f"cname must be a bare domain like 'example.org', not {config.cname!r}")
    if not _LANGUAGE_TAG.fullmatch(config.language):
        hint = f" (use {config.language.replace('_', '-')!r})" if "_" in config.language else ""
        bad(("language",), f"language must be a language tag like 'en' or 'pt-BR', "
                           f"not {config.language!r}{hint}")  # fmt: skip
    try:
        zoneinfo.ZoneInfo(config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        bad(("timezone",), f"unknown timezone {config.timezone!r} (use a name like 'Europe/Kyiv')")
    for name in config.markdown.extensions:
        if name not in MARKDOWN_EXTENSIONS:
            known = ", ".join(sorted(MARKDOWN_EXTENSIONS))
            bad(("markdown", "extensions"), f"unknown Markdown extension {name!r} (known: {known})")
    for key in ("actor_days", "home_recent", "home_actors"):
        if getattr(config.pagination, key) < 1:
            bad(("pagination", key), f"pagination.{key} must be at least 1")
    if config.feeds.days < 1:
        bad(("feeds", "days"), "feeds.days must be at least 1")
    _validate_permalink(config.permalinks.briefing, lambda m: bad(("permalinks", "briefing"), m))
    for key in ("content", "templates", "static", "output"):
        if not getattr(config.paths, key).strip():
            bad(("paths", key), f"paths.{key} must not be empty")
    if config.paths.static.strip() and config.paths.content.strip():
        problem = _static_problem(config)
        if problem:
            bad(("paths", "static"), f"paths.static {problem}")
    for key in ("content", "templates", "static"):
        if key in named and ("paths", key) not in wrong and getattr(config.paths, key).strip():
            problem = _missing_folder(config, key)
            if problem:
                ctx.diags.error(ctx.path, ctx.lines.of("paths", key), problem)
    return wrong


def _missing_folder(config: SiteConfig, key: str) -> str | None:
    """A folder site.toml names that does not exist: a mistyped name would otherwise build a
    site without its days, its templates or its static files, with at most a warning (as
    MkDocs does for its docs_dir, it is refused). Left unnamed, a missing folder is no
    mistake: a site may have no static files, and the theme's templates serve. A broken link
    is named at its own path when the folder is listed. (Not added to the keys with bad
    values: defaulted, ingest would write into another folder than the one named.)"""
    named = getattr(config.paths, key)
    try:
        os.lstat(config.root / named)
    except FileNotFoundError:
        return f"paths.{key}: {NO_SUCH_FOLDER}: {named!r} (create it, or correct the name)"
    except NotADirectoryError:  # one line here, not one per folder listed beneath it
        blocker = _file_on_the_way(config.root, named)
        return f"paths.{key}: {NO_SUCH_FOLDER}: {named!r} ({blocker!r} is a file, not a folder)"
    except OSError:  # unreadable on the way: listing it says so, at its path
        return None
    return None


def _file_on_the_way(root: Path, named: str) -> str:
    """The first part of `named` (relative to `root`) that is something other than a folder."""
    parts = Path(named).parts
    for count in range(1, len(parts) + 1):
        partial = Path(*parts[:count])
        if not (root / partial).is_dir():
            return str(partial)
    return named


def _static_problem(config: SiteConfig) -> str | None:
    """Why the static folder cannot be: every file in it is published as it is, so one
    that holds the site's sources would publish their Markdown, drafts included."""
    static, content = config.folder("static"), config.folder("content")
    fix = "it would publish the Markdown sources, drafts too: use a folder of its own"
    if static == config.root.resolve() or static in config.root.resolve().parents:
        return f"must not be the site folder or above it: {fix}"
    if static == content or static in content.parents:
        return f"must not be the content folder or above it: {fix}"
    for part in ("briefings", "actors"):
        folder = content / part
        if static == folder or folder in static.parents:
            return f"must not be inside content/{part}: {fix}"
    root = config.root.resolve()
    if root in static.parents and any(
        part.startswith(".") for part in static.relative_to(root).parts
    ):  # what a build never publishes: .git (its config may hold a token), the build cache
        return (
            "must not be a hidden folder of the site or inside one (.git, .sitegen-cache): "
            "what it holds is never published: use a folder of its own"
        )
    return None


def _with_defaults(config: SiteConfig, keys: list[tuple[str, ...]]) -> SiteConfig:
    """The config with the default in place of every bad value: enough to go on checking
    the content and the templates, so that one run reports every problem."""
    for key in keys:
        if len(key) == 1:
            config = replace(config, **{key[0]: getattr(SiteConfig(config.root), key[0])})
        else:
            section = getattr(config, key[0])
            default = getattr(type(section)(), key[1])
            config = replace(config, **{key[0]: replace(section, **{key[1]: default})})
    return config


def _validate_permalink(pattern: str, report: Any) -> None:
    used = set(re.findall(r"\{(\w+)\}", pattern))
    if not pattern.startswith("/") or not pattern.endswith("/"):
        report(f"permalinks.briefing must start and end with '/', not {pattern!r}")
    elif used - PERMALINK_FIELDS:
        report(f"permalinks.briefing uses unknown fields {sorted(used - PERMALINK_FIELDS)}")
    elif not ({"slug", "day"} & used):
        report("permalinks.briefing must contain {day} or {slug} so that days get their own page")
    elif ".." in pattern.split("/"):
        report("permalinks.briefing must not contain '..'")
    else:
        _validate_permalink_text(pattern, report)


def _validate_permalink_text(pattern: str, report: Any) -> None:
    """The text around the fields: folder names a URL keeps as they are."""
    segments = pattern[1:-1].split("/")
    if pattern != "/" and ("" in segments or "." in segments):
        report(f"permalinks.briefing must not have an empty or '.' folder: {pattern!r}")
        return
    for segment in segments:
        text = re.sub(r"\{\w+\}", "", segment)
        if not _PERMALINK_TEXT.fullmatch(text):
            found = next(c for c in text if not _PERMALINK_TEXT.fullmatch(c))
            report(f"permalinks.briefing may hold letters, digits, '-', '_', '.', '~' and "
                   f"fields such as {{year}}, not {found!r}: {pattern!r}")  # fmt: skip
            return
        shortest = len(text.encode()) + sum(
            _FIELD_WIDTH[f] for f in re.findall(r"\{(\w+)\}", segment)
        )
        if shortest > MAX_NAME_BYTES:  # every page's folder: the build failed when writing
            report(f"permalinks.briefing has a folder name of at least {shortest} bytes; file "
                   f"systems allow {MAX_NAME_BYTES}: {segment[:40]!r}...")  # fmt: skip
            return


# The fewest characters each field writes ({slug}: one), and the longest name of a file or
# folder that Linux, macOS and Windows file systems take, in bytes.
_FIELD_WIDTH = {"year": 4, "month": 2, "day": 2, "slug": 1}
MAX_NAME_BYTES = 255


def _toml_error_line(message: str, text: str) -> int | None:
    """tomllib says "(at line 3, column 9)", or "(at end of document)": its last line."""
    line = re.search(r"line (\d+)", message)
    if line:
        return int(line.group(1))
    return len(text.rstrip().split("\n")) if "end of document" in message else None


def load_config(site_dir: Path, diags: Diagnostics, best_effort: bool = False) -> SiteConfig | None:
    """Read site.toml; None when it is missing or has errors (all of them reported). With
    `best_effort`, a site.toml that is valid TOML but has bad values still gives a config,
    with defaults for those values, so that the caller can check the rest of the site too
    (the errors are in `diags`)."""
    root = site_dir.resolve()
    path = root / CONFIG_NAME
    if not root.is_dir():  # a mistyped --site: say so, not "no site.toml" in a folder that is not
        message = "no such folder: pass --site the folder where site.toml is"
        diags.items.append(Diagnostic(str(site_dir), None, message))  # as given, not as "."
        return None
    if not os.path.lexists(path):  # anything else there (a folder, a pipe) read_text names
        # named as given (`--site empty` -> empty/site.toml): shown from the site, it was
        # 'site.toml', which reads as the current folder's
        message = "no site.toml here: run sitegen in a site folder or pass --site"
        diags.items.append(Diagnostic(str(site_dir / CONFIG_NAME), None, message))
        return None
    text = read_text(path, diags)  # reports invalid UTF-8 with its line, as for content
    if text is None:
        return None
    text = text.removeprefix("\ufeff")  # a UTF-8 byte-order mark, as front matter allows
    try:
        table = toml_loads(text)
    except tomllib.TOMLDecodeError as exc:
        diags.error(path, _toml_error_line(str(exc), text), f"invalid TOML: {exc}")
        return None
    ctx = _Ctx(path, root, _KeyLines(text), diags)
    errors_before = len(diags.errors)
    values = _section(SiteConfig, table, (), ctx)
    config = SiteConfig(root=root, **values)
    paths = table.get("paths")
    named = set(paths) if isinstance(paths, dict) else set()
    wrong = _validate(config, ctx, named)  # base_url as written, in messages too
    config = replace(config, base_url=normalise_base_url(config.base_url))
    if len(diags.errors) == errors_before:
        return config
    return _with_defaults(config, wrong) if best_effort else None
