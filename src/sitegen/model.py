"""The model: briefings, actors and who is mentioned where, built from parsed source files.

Pure data and pure functions: no file access, no rendering. Every problem in the content is
reported (with its file and line) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from sitegen.body import (
    FOOTNOTE_RE,
    RawBlock,
    curly,
    find_mentions,
    first_sentence,
    is_safe_url,
    mention_key,
    mention_targets,
    split_blocks,
)
from sitegen.diagnostics import Diagnostics
from sitegen.front_matter import SourceFile
from sitegen.urls import slug_problem, slugify

ACTOR_KINDS = ("person", "organization", "country", "group", "other")
# the pages say "Organisation"; an editor who writes it so in `kind:` means the same kind
_KIND_SPELLINGS = {"organisation": "organization"}
BRIEFING_KEYS = {
    "title", "date", "summary", "actors", "quotes", "credits", "source", "draft", "slug", "review",
}  # fmt: skip
ACTOR_KEYS = {
    "name", "kind", "role", "aliases", "country", "image", "image_alt", "links", "slug", "review",
}  # fmt: skip
# ASCII digits only ('２０２４-02-03' is not a date someone meant); a time after the day, if
# any, is a real time of day (hh:mm, :ss, fractions) with an optional real UTC offset.
_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$",
    re.ASCII,
)
_FILE_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?=$|[-_. ])", re.ASCII)


@dataclass(slots=True)
class Block:
    kind: str  # "lead" | "context" | "item"
    number: int  # 1-based, per kind
    anchor: str
    text: str  # Markdown source
    line: int
    section: int = -1  # index into Briefing.sections, -1 before the first heading
    actors: tuple[str, ...] = ()  # slugs mentioned, in order


@dataclass(slots=True)
class Section:
    title: str
    anchor: str
    line: int


@dataclass(slots=True)
class Quote:
    text: str
    actor: str | None  # slug, or None when the speaker is unknown
    item: int | None  # 1-based item number


# Where an actor appears in a briefing, by indexes: (the blocks that mention them, the quotes
# that are theirs, those of their quotes that those blocks do not already quote)
Appearance = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


@dataclass(slots=True)
class Briefing:
    path: str  # its file (a string: a site has thousands, and Path objects cost)
    fingerprint: str
    title: str
    date: dt.date
    slug: str
    summary: str
    url: str = ""
    credits: list[str] = field(default_factory=list)
    source: str = ""
    draft: bool = False
    review: bool = False
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    actors: tuple[str, ...] = ()  # every actor of the day: tagged, mentioned or quoted
    references: str = ""  # Markdown link definitions ([id]: url), usable by every block
    # actor slug -> Appearance: what the actor's timeline shows of this day, worked out once
    # when the file is read
    appearances: dict[str, Appearance] = field(default_factory=dict)

    @property
    def items(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "item"]

    @property
    def key(self) -> str:
        return self.date.isoformat()


@dataclass(slots=True)
class Link:
    title: str
    url: str


@dataclass(slots=True)
class Actor:
    path: Path
    fingerprint: str
    name: str
    slug: str
    kind: str = "other"
    role: str = ""
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    image: str = ""
    image_alt: str = ""
    links: list[Link] = field(default_factory=list)
    review: bool = False
    profile: str = ""  # Markdown


@dataclass(slots=True)
class TimelineDay:
    """One day in an actor's timeline: the blocks that mention them and their quotes."""

    briefing: int  # index into SiteModel.briefings
    blocks: tuple[int, ...]  # indexes into that briefing's blocks
    quotes: tuple[int, ...]  # indexes into that briefing's quotes
    unquoted: tuple[int, ...] = ()  # those of the quotes that the blocks do not quote


@dataclass(slots=True)
class SiteModel:
    briefings: list[Briefing]  # oldest first
    actors: dict[str, Actor]  # by slug, sorted by name
    actor_list: list[Actor]  # all of them, even two that clash on a slug (routes reports it)
    timelines: Timelines  # newest first
    co_actors: Mapping[str, list[tuple[str, int]]]  # most frequent first (CoActors)
    monthly: Mapping[str, Counter[tuple[int, int]]]  # (year, month) -> days mentioned
    lookup: dict[str, str]  # mention_key(name, alias or slug) -> slug

    def mention_count(self, slug: str) -> int:
        return len(self.timelines.days.get(slug, ()))


@dataclass(slots=True, frozen=True)
class ActivitySummary:
    """An actor's activity in words: the text beside (and instead of) the chart."""

    days: int
    first_seen: dt.date
    last_seen: dt.date
    busiest_month: tuple[int, int]  # (year, month), the earliest of equals
    busiest_count: int  # days mentioned in that month
    quotes: int


@dataclass(slots=True, frozen=True)
class YearSpan:
    """The days of one year in an actor's timeline (newest first): which timeline entries,
    so that a page of the timeline can be found for a year."""

    year: int
    days: int
    first: int  # index into the timeline of the year's newest day


def activity_summary(model: SiteModel, slug: str) -> ActivitySummary | None:
    """First and last day mentioned, busiest month and the number of quotes; None when the
    actor is in no briefing."""
    timeline = model.timelines.get(slug)
    if not timeline:
        return None
    monthly = model.monthly[slug]
    busiest = min(monthly, key=lambda month: (-monthly[month], month))
    return ActivitySummary(
        days=len(timeline),
        first_seen=model.briefings[timeline[-1].briefing].date,
        last_seen=model.briefings[timeline[0].briefing].date,
        busiest_month=busiest,
        busiest_count=monthly[busiest],
        quotes=sum(len(day.quotes) for day in timeline),
    )


def timeline_years(model: SiteModel, slug: str) -> list[YearSpan]:
    """The years of an actor's timeline, newest first, with where each starts."""
    timeline = model.timelines.get(slug, [])
    starts: list[tuple[int, int]] = []  # (year, index of its newest day)
    briefings = model.briefings
    for index, day in enumerate(timeline):
        year = briefings[day.briefing].date.year
        if not starts or starts[-1][0] != year:
            starts.append((year, index))
    ends = [first for _, first in starts[1:]] + [len(timeline)] * bool(starts)
    return [YearSpan(year, end - first, first)
            for (year, first), end in zip(starts, ends, strict=True)]  # fmt: skip


def actor_quotes(model: SiteModel, slug: str) -> list[tuple[int, int]]:
    """Every quote of an actor, newest day first: (briefing index, quote index)."""
    return [(day.briefing, q) for day in model.timelines.get(slug, ()) for q in day.quotes]


# --------------------------------------------------------------------------- folding

# Letters that Unicode does not decompose into a base letter and an accent
_FOLD_SPECIAL = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ß": "ss", "ŀ": "l", "ŧ": "t",
})  # fmt: skip


def fold_accents(text: str) -> str:
    """Text without accents ("Yılmaz" -> "Yilmaz", "Håkansson" -> "Hakansson"), so that
    what a reader types without them still matches. Search does the same to the query."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def index_letter(name: str) -> str:
    """The A–Z letter a name is filed under ("Łukasz" under L); '#' for the rest."""
    for char in fold_accents(name).upper():
        if char.isalnum():
            return char if "A" <= char <= "Z" else "#"
    return "#"


# --------------------------------------------------------------------------- checks


class _Fields:
    """Typed access to one file's front matter; every problem is reported with its line."""

    def __init__(self, source: SourceFile, diags: Diagnostics) -> None:
        self.source = source
        self.diags = diags

    def error(self, message: str, *key: Any) -> None:
        self.diags.error(self.source.path, self.source.line(*key), message)

    def warning(self, message: str, *key: Any) -> None:
        self.diags.warning(self.source.path, self.source.line(*key), message)

    def unknown_keys(self, known: set[str]) -> None:
        for key in self.source.front:
            if key not in known:
                self.warning(f"unknown key '{_as_written(key)}' (ignored)", key)

    def text(self, key: str, required: bool = False) -> str:
        value = self.source.front.get(key)
        if value is None:
            if required:
                self.diags.error(self.source.path, 1, f"missing required key '{key}'")
            return ""
        if not isinstance(value, str):
            self.error(f"{key} must be text, not {_describe(value)}; put it in quotes", key)
            return ""
        if required and not value.strip():
            self.error(f"{key} is empty", key)
        return value.strip()

    def flag(self, key: str) -> bool:
        value = self.source.front.get(key, False)
        if not isinstance(value, bool):
            self.error(f"{key} must be true or false, not {_describe(value)}", key)
            return False
        return value

    def entries(self, key: str, shape: str) -> list[Any]:
        """A list whose items are checked by the caller (`shape`: what each holds, for the
        message); [] when the key is absent or, after an error, not a list."""
        value = self.source.front.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{key} must be a list of {shape}", key)
            return []
        return value

    def names(self, key: str) -> list[tuple[str, int]]:
        """A list of names (or a single name), with each one's index for `source.line`."""
        value = self.source.front.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value.strip(), 0)]
        if not isinstance(value, list):
            self.error(f"{key} must be a list of names, not {_describe(value)}", key)
            return []
        names = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                names.append((item.strip(), index))
            else:
                self.error(f"{key}: item {index + 1} {_not_a_name(item)}", key, index)
        return names


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _as_written(key: Any) -> str:
    """A key as YAML writes it: `null: x` is the key None, `yes: x` True."""
    if key is None:
        return "null"
    return str(key).lower() if isinstance(key, bool) else str(key)


def _not_a_name(item: Any) -> str:
    if isinstance(item, bool):
        return (
            f"is read by YAML as the yes/no value {str(item).lower()}, not a name "
            '(unquoted NO, yes, on, off...); put the name in quotes, e.g. "NO"'
        )
    if isinstance(item, int | float):
        return f'is read by YAML as the number {item}, not a name; put it in quotes: "{item}"'
    if isinstance(item, str):
        return "is empty"
    return f"must be a name, not {_describe(item)}"


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """(date, None) or (None, what is wrong)."""
    if isinstance(value, dt.date):  # an explicit `!!timestamp` tag: read as the text it was
        value = value.isoformat()
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "date is empty; write it as YYYY-MM-DD"
    text = str(value).strip()
    match = _DATE_RE.match(text) if isinstance(value, str) else None
    if not match:
        return None, f"date {text!r} must be written as YYYY-MM-DD (for example 2022-01-27)"
    year, month, day, hour, minute, second, off_hours, off_minutes = match.groups()
    try:
        day_read = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None, f"date {text!r} is not a real day"
    if hour is not None and (
        int(hour) > 23
        or int(minute) > 59
        or int(second or 0) > 59
        or int(off_hours or 0) > 23
        or int(off_minutes or 0) > 59
    ):
        return None, f"date {text!r} has a time that is not a real time of day"
    return day_read, None


def _file_date(path: Path) -> dt.date | None:
    match = _FILE_DATE_RE.match(path.stem)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


# --------------------------------------------------------------------------- actors


def build_actor(source: SourceFile, diags: Diagnostics) -> Actor | None:
    fields = _Fields(source, diags)
    fields.unknown_keys(ACTOR_KEYS)
    errors_before = len(diags.errors)
    name = fields.text("name", required=True)
    slug = _actor_slug(fields, name)
    kind = fields.text("kind") or "other"
    kind = _KIND_SPELLINGS.get(kind, kind)
    if kind not in ACTOR_KINDS:
        fields.error(f"kind {kind!r} must be one of: {', '.join(ACTOR_KINDS)}", "kind")
    actor = Actor(
        path=source.path,
        fingerprint=source.fingerprint,
        name=name,
        slug=sys.intern(slug),  # named in every briefing: marshal then keeps one of each
        kind=kind,
        role=fields.text("role"),
        aliases=[alias for alias, _ in fields.names("aliases")],
        country=fields.text("country"),
        image=_image(fields),
        image_alt=fields.text("image_alt"),
        links=_links(fields),
        review=fields.flag("review"),
        profile=source.body.strip(),
    )
    return actor if len(diags.errors) == errors_before else None


def _explicit_slug(fields: _Fields) -> str:
    """The front matter's `slug:` ("" when there is none); an unsafe one is reported, and so
    is one that is empty (`slug: ''`, blanks, `slug:` with no value): it stood for no slug,
    so the page took the derived one silently, a URL the editor did not ask for."""
    if "slug" not in fields.source.front:
        return ""
    value = fields.source.front["slug"]
    explicit = fields.text("slug")
    if explicit and (problem := slug_problem(explicit)):
        fields.error(problem, "slug")
    elif not explicit and (value is None or isinstance(value, str)):  # (other types: text says)
        fields.error("slug is empty: give the page's URL slug, or remove the key", "slug")
    return explicit


def _actor_slug(fields: _Fields, name: str) -> str:
    explicit = _explicit_slug(fields)
    if explicit:
        return explicit
    if not name:
        return ""
    slug = slugify(name)  # (only letters, digits and '-': "AC/DC" is ac-dc, never a path)
    if not slug:
        fields.error(f"name {name!r} gives an empty URL slug; add a slug: key", "name")
    return slug


def _image(fields: _Fields) -> str:
    image = fields.text("image")
    if not image:
        return image
    why = _image_problem(image)
    if why is not None:
        message = f"image {image!r} must be a path under static/ or an http(s) URL"
        fields.error(f"{message}{why}", "image")
        return ""
    return image


_HTTP_RE = re.compile(r"https?://", re.IGNORECASE)
_NOT_IN_URL_RE = re.compile(r"[\s\"'<>\\`]")


def _image_problem(image: str) -> str | None:
    """Why an actor's image is refused ("" when only the message's start is needed), or
    None. A path is put under the site's address as it is, so '../../x' or '//host/x' would
    leave the site (and, under a subpath on a shared host, show another site's file)."""
    if not is_safe_url(image) or (":" in image.split("/", 1)[0] and not _HTTP_RE.match(image)):
        return ""  # javascript:, data:, mailto:...
    if _NOT_IN_URL_RE.search(image):
        return " (it holds a space, a quote or one of < > \\ `; write a space as %20)"
    if _HTTP_RE.match(image):
        return None
    if image.startswith("//"):
        return " ('//' starts another host's address: write https://)"
    if ".." in image.split("/"):
        return " ('..' would leave static/)"
    return None


def _links(fields: _Fields) -> list[Link]:
    links = []
    for index, item in enumerate(fields.entries("links", "{title, url}")):
        if isinstance(item, str):
            links.append(Link(item, item))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            links.append(Link(str(item.get("title") or item["url"]), item["url"]))
        else:
            fields.error(f"links: item {index + 1} needs a url", "links", index)
    for index, link in enumerate(links):
        why = None
        if not re.match(r"^(https?://|mailto:|/)", link.url, re.IGNORECASE):
            why = ""
        elif link.url.startswith("//"):  # was passed as it is: another host, in sameAs too
            why = " ('//' starts another host's address: write https://)"
        elif _NOT_IN_URL_RE.search(link.url):
            why = " (it holds a space, a quote or one of < > \\ `; write a space as %20)"
        if why is not None:
            message = f"links: {link.url!r} must be an http(s) URL{why}"
            fields.error(message, "links", index, "url")
    return links


def _label_line(source: SourceFile | None, label_index: int) -> int:
    """The line of an actor's name (label 0) or of alias number label_index."""
    if source is None:
        return 1
    return source.line("name") if label_index == 0 else source.line("aliases", label_index - 1)


def _actor_lookup(
    actors: list[Actor], diags: Diagnostics, sources: dict[Path, SourceFile] | None = None
) -> dict[str, str]:
    """Every name, alias and slug -> actor slug; an alias claimed twice is an error, reported
    at the line of the second claim."""
    sources = sources or {}
    lookup: dict[str, str] = {}
    owner_path: dict[str, Path] = {}
    for actor in actors:
        lookup.setdefault(mention_key(actor.slug), actor.slug)  # slug clashes: see routes
        owner_path.setdefault(mention_key(actor.slug), actor.path)
    for actor in actors:
        for label_index, label in enumerate((actor.name, *actor.aliases)):
            key = mention_key(label)
            other = lookup.get(key)
            if other is not None and other != actor.slug and owner_path[key] != actor.path:
                diags.error(
                    actor.path,
                    _label_line(sources.get(actor.path), label_index),
                    f"{label!r} already names another actor (in {owner_path[key].name}); "
                    "an alias may belong to one actor only",
                )
                continue
            lookup[key] = actor.slug
            owner_path[key] = actor.path
    return lookup


# --------------------------------------------------------------------------- briefings


def _structure(raw_blocks: list[RawBlock]) -> tuple[list[Block], list[Section]]:
    blocks: list[Block] = []
    sections: list[Section] = []
    counts: Counter[str] = Counter()
    for raw in raw_blocks:
        if raw.kind in ("references", "stray-footnote", "duplicate-footnote"):
            continue
        if raw.kind == "heading":
            anchor = sys.intern(f"section-{len(sections) + 1}")
            sections.append(Section(raw.text, anchor, raw.line))
            continue
        if sections:
            kind = "item"
        else:
            kind = "lead" if not counts["lead"] and not counts["context"] else "context"
        counts[kind] += 1
        # interned, as slugs are: thousands of briefings repeat them, and marshal keeps one
        anchor = raw.anchor or sys.intern("lead" if kind == "lead" else f"{kind}-{counts[kind]}")
        blocks.append(Block(kind, counts[kind], anchor, raw.text, raw.line, len(sections) - 1))
    return blocks, sections


_UNKNOWN_ACTOR = " is not in the actor registry"  # what every unknown-name warning says


def names_unknown_actor(message: str) -> bool:
    """Whether a briefing's warning is about a name the registry does not have (a mention,
    a quote's speaker, an entry of actors:)."""
    return message.endswith((_UNKNOWN_ACTOR, f"{_UNKNOWN_ACTOR} (content/actors/)"))


def _resolve_mentions(block: Block, lookup: Mapping[str, str], fields: _Fields) -> None:
    slugs = [lookup.get(mention_key(target)) for target in mention_targets(block.text)]
    if None in slugs:  # a name the registry lacks: found again, for its line
        for mention in find_mentions(block.text):
            if lookup.get(mention_key(mention.target)) is None:
                fields.diags.warning(
                    fields.source.path,
                    mention.line(block.text, block.line),
                    f"[[{mention.target}]]{_UNKNOWN_ACTOR} (content/actors/)",
                )
    # the slugs, in order of first mention
    block.actors = tuple(slug for slug in dict.fromkeys(slugs) if slug is not None)


def _quotes(fields: _Fields, lookup: Mapping[str, str], item_count: int) -> list[Quote]:
    quotes = []
    for index, entry in enumerate(fields.entries("quotes", "{actor, text, item}")):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            fields.error(f"quotes: item {index + 1} needs text: in quotes", "quotes", index)
            continue
        actor = _quote_actor(fields, entry.get("actor"), lookup, index)
        item = entry.get("item")
        problem = _item_problem(item, item_count)
        if problem:
            fields.error(f"quotes: item {index + 1} {problem}", "quotes", index, "item")
            item = None
        quotes.append(Quote(entry["text"].strip(), actor, item))
    return quotes


def _item_problem(item: Any, item_count: int) -> str | None:
    """What is wrong with a quote's `item:`, the number of the item it comes from."""
    if item is None:
        return None
    if isinstance(item, bool) or not isinstance(item, int):  # text ('2' in quotes), a list...
        return f"points at item {item!r}: write the item's number, e.g. item: 2"
    if 1 <= item <= item_count:
        return None
    if not item_count:
        return f"points at item {item}, but the briefing has no items (no '## ' heading)"
    return f"points at item {item!r}, but the briefing has items 1 to {item_count}"


def _quote_actor(fields: _Fields, name: Any, lookup: Mapping[str, str], index: int) -> str | None:
    if name is None or name == "":
        return None
    if not isinstance(name, str):
        fields.error(f"quotes: item {index + 1}: actor {_not_a_name(name)}", "quotes", index)
        return None
    slug = lookup.get(mention_key(name))
    if slug is None:
        fields.warning(f"quote speaker {name!r}{_UNKNOWN_ACTOR}", "quotes", index)
    return slug


def _briefing_date(fields: _Fields) -> dt.date | None:
    if "date" not in fields.source.front:
        fields.diags.error(fields.source.path, 1, "missing required key 'date'")
        return None
    date, problem = parse_date(fields.source.front["date"])
    if problem:
        fields.error(problem, "date")
        return None
    from_name = _file_date(fields.source.path)
    named = _FILE_DATE_RE.match(fields.source.path.stem)
    if from_name is None and named is not None:  # (it was taken without a word)
        fields.error(f"the file name's date {named.group(0)} is not a real day", "date")
        return None
    if from_name and date and from_name != date:
        fields.error(f"date {date} disagrees with the date in the file name ({from_name})", "date")
        return None
    return date


def _briefing_slug(fields: _Fields) -> str:
    explicit = _explicit_slug(fields)
    if explicit:
        return explicit
    stem = _FILE_DATE_RE.sub("", fields.source.path.stem).strip("-_. ")
    return slugify(stem) or "briefing"


def build_briefing(
    source: SourceFile,
    lookup: Mapping[str, str],
    diags: Diagnostics,
    extensions: Collection[str] = (),
) -> Briefing | None:
    """A briefing's parsed form (None when it has errors). `extensions`: the Markdown
    extensions on (footnotes and abbreviations defined apart go where they apply)."""
    fields = _Fields(source, diags)
    fields.unknown_keys(BRIEFING_KEYS)
    errors_before = len(diags.errors)
    title = fields.text("title", required=True)
    date = _briefing_date(fields)
    raw_blocks = split_blocks(source.body, source.body_line, extensions)
    blocks, sections = _structure(raw_blocks)
    for raw in raw_blocks:
        if raw.kind == "stray-footnote":
            label = FOOTNOTE_RE.match(raw.text)
            fields.diags.warning(source.path, raw.line,
                                 f"footnote [^{label.group(1) if label else ''}] is defined, "
                                 "but no paragraph refers to it: it is left out")  # fmt: skip
        elif raw.kind == "duplicate-footnote":
            label = FOOTNOTE_RE.match(raw.text)
            fields.diags.error(source.path, raw.line,
                               f"footnote [^{label.group(1) if label else ''}] is defined again "
                               f"(first at line {raw.level}): Markdown would show the last "
                               "definition at every reference to it; give each note its own "
                               "label")  # fmt: skip
    for block in blocks:
        _resolve_mentions(block, lookup, fields)
    if not sections and blocks:
        diags.warning(source.path, source.body_line, "no '## ' heading: this day has no items")
    item_count = sum(1 for b in blocks if b.kind == "item")
    quotes = _quotes(fields, lookup, item_count)
    tagged = []
    for name, index in fields.names("actors"):
        slug = lookup.get(mention_key(name))
        if slug is None:
            fields.warning(f"actor {name!r}{_UNKNOWN_ACTOR}", "actors", index)
        else:
            tagged.append(slug)
    _check_anchors(blocks, fields)
    lead = next((b for b in blocks if b.kind == "lead"), None)
    summary = fields.text("summary") or (first_sentence(lead.text) if lead else "")
    briefing = Briefing(
        path=str(source.path),
        fingerprint=source.fingerprint,
        title=title,
        date=date or dt.date.min,
        slug=_briefing_slug(fields),
        summary=summary,
        credits=[credit for credit, _ in fields.names("credits")],
        source=fields.text("source"),
        draft=fields.flag("draft"),
        review=fields.flag("review"),
        blocks=blocks,
        sections=sections,
        quotes=quotes,
        references="\n".join(r.text for r in raw_blocks if r.kind == "references"),
    )
    everyone = [*tagged, *(s for b in blocks for s in b.actors), *(q.actor for q in quotes)]
    briefing.actors = tuple(dict.fromkeys(s for s in everyone if s))
    briefing.appearances = _appearances(briefing)
    return briefing if len(diags.errors) == errors_before and date else None


def _appearances(briefing: Briefing) -> dict[str, Appearance]:
    in_blocks: dict[str, list[int]] = {}  # slug -> the blocks naming it (one pass over them)
    for i, block in enumerate(briefing.blocks):
        for slug in block.actors:
            in_blocks.setdefault(slug, []).append(i)
    in_quotes: dict[str | None, list[int]] = {}
    for i, quote in enumerate(briefing.quotes):
        in_quotes.setdefault(quote.actor, []).append(i)
    found = {}
    for slug in briefing.actors:
        blocks = tuple(in_blocks.get(slug, ()))
        quotes = tuple(in_quotes.get(slug, ()))
        found[slug] = (blocks, quotes, _unquoted(briefing, blocks, quotes))
    return found


def _unquoted(
    briefing: Briefing, blocks: tuple[int, ...], quotes: tuple[int, ...]
) -> tuple[int, ...]:
    """The quotes that the blocks do not already quote (a timeline shows them beside the
    blocks). Worked out here rather than when a page is rendered, so that rendering never
    reads a block's Markdown: the forked render workers then leave it in shared memory."""
    if not quotes:
        return ()
    text = " ".join(curly(briefing.blocks[i].text) for i in blocks)
    return tuple(i for i in quotes if curly(briefing.quotes[i].text) not in text)


def _check_anchors(blocks: list[Block], fields: _Fields) -> None:
    seen: dict[str, int] = {}
    for block in blocks:
        if block.anchor in seen:
            fields.diags.error(
                fields.source.path,
                block.line,
                f"anchor #{block.anchor} is already used on line {seen[block.anchor]}",
            )
        seen.setdefault(block.anchor, block.line)


# --------------------------------------------------------------------------- the site


class Timelines(Mapping[str, list[TimelineDay]]):
    """Each actor's timeline, newest first. Only the days' indexes are gathered for every
    actor (the dependency values read those); an actor's TimelineDay list is made when a
    page first asks: an edit's rebuild shows a few actors, not the 55,000 days of 300."""

    def __init__(self, briefings: list[Briefing]) -> None:
        days: dict[str, list[int]] = defaultdict(list)
        for index in range(len(briefings) - 1, -1, -1):
            for slug in briefings[index].appearances:
                days[slug].append(index)
        self.days: dict[str, list[int]] = dict(days)  # slug -> briefing indexes, newest first
        self._briefings = briefings
        self._made: dict[str, list[TimelineDay]] = {}

    def __getitem__(self, slug: str) -> list[TimelineDay]:
        made = self._made.get(slug)
        if made is None:
            briefings = self._briefings
            made = self._made[slug] = [
                TimelineDay(index, *briefings[index].appearances[slug])
                for index in self.days[slug]  # KeyError: never mentioned
            ]
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)

    def __contains__(self, slug: object) -> bool:
        return slug in self.days


class Monthly(Mapping[str, Counter[tuple[int, int]]]):
    """Each actor's days mentioned per (year, month): counted for an actor when a page
    first asks (a rebuild after an edit draws few charts)."""

    def __init__(self, briefings: list[Briefing], timelines: Timelines) -> None:
        self._briefings, self._timelines = briefings, timelines
        self._found: dict[str, Counter[tuple[int, int]]] = {}

    def __getitem__(self, slug: str) -> Counter[tuple[int, int]]:
        found = self._found.get(slug)
        if found is None:
            dates = [self._briefings[index].date for index in self._timelines.days[slug]]
            found = self._found[slug] = Counter((d.year, d.month) for d in dates)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._timelines)

    def __len__(self) -> int:
        return len(self._timelines)


class CoActors(Mapping[str, list[tuple[str, int]]]):
    """Each actor's most frequent companions, (slug, days together), most first: worked
    out for an actor when a page first asks (a rebuild after an edit shows few of them)."""

    def __init__(self, briefings: list[Briefing], timelines: Timelines, limit: int = 8) -> None:
        self._briefings, self._timelines, self._limit = briefings, timelines, limit
        self._found: dict[str, list[tuple[str, int]]] = {}

    def __getitem__(self, slug: str) -> list[tuple[str, int]]:
        found = self._found.get(slug)
        if found is None:
            days = self._timelines.days[slug]  # KeyError: never mentioned
            counts = Counter(chain.from_iterable(self._briefings[index].actors for index in days))
            del counts[slug]
            key = lambda kv: (-kv[1], kv[0])  # noqa: E731
            found = self._found[slug] = heapq.nsmallest(self._limit, counts.items(), key=key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._timelines)

    def __len__(self) -> int:
        return len(self._timelines)


def build_registry(
    actor_sources: list[SourceFile], diags: Diagnostics
) -> tuple[list[Actor], dict[str, str]]:
    """The actors, sorted by name, and the lookup from names, aliases and slugs to slugs."""
    actors = [a for s in actor_sources if (a := build_actor(s, diags)) is not None]
    actors.sort(key=lambda a: (a.name.casefold(), a.slug))
    return actors, _actor_lookup(actors, diags, {s.path: s for s in actor_sources})


def check_profile_mentions(
    actors: list[Actor], actor_sources: list[SourceFile], lookup: Mapping[str, str],
    diags: Diagnostics,
) -> None:  # fmt: skip
    """A warning at its line for each `[[mention]]` in an actor's profile that the registry
    lacks, as in a briefing (the profile shows it as plain text)."""
    registered = {actor.path for actor in actors}
    for source in actor_sources:
        if source.path not in registered or "[[" not in source.body:
            continue
        for mention in find_mentions(source.body):
            if mention_key(mention.target) not in lookup:
                diags.warning(
                    source.path,
                    mention.line(source.body, source.body_line),
                    f"[[{mention.target}]]{_UNKNOWN_ACTOR} (content/actors/)",
                )


def assemble_model(
    actors: list[Actor],
    lookup: dict[str, str],
    briefings: list[Briefing],
    include_drafts: bool = False,
    day_url: Callable[[dt.date, str], str] | None = None,
) -> SiteModel:
    """The site from its validated parts: days in order, each day's URL (from `day_url`,
    the permalink pattern) and each actor's timeline."""
    briefings = [b for b in briefings if include_drafts or not b.draft]
    briefings.sort(key=lambda b: (b.date, b.slug, b.path))
    if day_url is not None:
        for briefing in briefings:
            briefing.url = day_url(briefing.date, briefing.slug)
    timelines = Timelines(briefings)
    return SiteModel(
        briefings=briefings,
        actors={a.slug: a for a in actors},
        actor_list=actors,
        timelines=timelines,
        co_actors=CoActors(briefings, timelines),
        monthly=Monthly(briefings, timelines),
        lookup=lookup,
    )
