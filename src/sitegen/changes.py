"""Changes: what is new since the last build, one rule for `build` and `serve` alike.

- Sources are known by path and the hash of their bytes. A file's stat (mtime, ctime, size,
  inode) is only a shortcut to a hash already known: when it differs, the file is read and
  hashed. `cp -p`, `rsync -t` and `touch -d` can set mtime back, but no program can set
  ctime, which the kernel moves on every write. A stat taken within RACY_NS of a write can
  still hide a second write in the same tick (git's "racy" files): such a file is hashed
  again next time, however unchanged it looks.
- Templates: each page template's closure (the templates it extends, includes and imports,
  followed), and a digest of their sources. An edit re-renders the pages whose templates
  use the edited file; a template that names another at render time uses every template.
- Dependencies: each page declares what it shows (routes.py); `dependency_values` gives
  each declared dependency a value; a page's key is a digest of its template closure, the
  settings, what the page is and its dependencies' values. Equal keys, equal pages.
- The plan: the pages follow from a few of those values (which days there are, who appears
  in each, the actors) and the settings (`plan_digest`). When they are the same, a build
  takes the last build's pages and works out anew only the keys of the pages whose
  dependencies or templates changed value (`plan_keys`): an edit that leaves the plan as it
  was costs what it changed, not the 10,000 pages of the site.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2 import meta, nodes

from sitegen import __version__
from sitegen.cache import BriefingEntry, PlanRecord, SourceState, Stat
from sitegen.charts import site_frame
from sitegen.diagnostics import Diagnostics
from sitegen.keys import content_hash, digest, number_digest, raw_digest
from sitegen.render import TEMPLATE_GLOBALS
from sitegen.routes import ACTIVITY, ACTORS, CALENDAR, CHART_FRAME, Dep, Page, dep

if TYPE_CHECKING:
    from sitegen.config import SiteConfig
    from sitegen.model import SiteModel

RACY_NS = 2_000_000_000  # a stat this close to the last scan may hide a later write
_MASK = (1 << 128) - 1


def stat_of(path: Path | str) -> Stat:
    status = os.stat(path)
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)


def now_ns() -> int:
    return time.time_ns()


def settled(stat: Stat, scanned_at: int) -> bool:
    """Whether a stat taken at `scanned_at` would show any later write."""
    return max(stat[0], stat[1]) < scanned_at - RACY_NS


def same_file(stat: Stat, known: tuple[Stat, str] | None, scanned_at: int) -> bool:
    """Whether a file with this stat still has the bytes it had when `known` was taken."""
    return known is not None and known[0] == stat and settled(stat, scanned_at)


@dataclass
class Scan:
    """The source files found now, with their stats (`problems`: those that would not stat)."""

    stats: dict[str, Stat]
    problems: dict[str, str]  # path -> what is wrong with it (it cannot be read)
    started: int  # the time just before the first stat

    @classmethod
    def of(cls, paths: Iterable[Path | str]) -> Scan:
        started = now_ns()
        stats: dict[str, Stat] = {}
        problems: dict[str, str] = {}
        for path in paths:
            name = str(path)
            try:
                stats[name] = stat_of(name)
            except OSError as exc:
                problems[name] = _why(exc, name)
        return cls(stats, problems, started)

    def unchanged_since(self, state: SourceState) -> bool:
        """Every file is as the state saw it, and no file came or went."""
        if self.problems or self.stats.keys() != state.files.keys():
            return False
        files, scanned_at = state.files, state.scanned_at
        return all(
            same_file(stat, files.get(name), scanned_at) for name, stat in self.stats.items()
        )


def _why(exc: OSError, path: str) -> str:
    """What is wrong with a file that was listed but cannot be stat'ed now (it changed in
    between), in the listing's words (source.site_names)."""
    if os.path.islink(path) and not os.path.exists(path):
        return f"broken symbolic link (to {os.readlink(path)}): remove it"
    return f"cannot read file: {exc.strerror or exc}"


def file_hash(path: str, stat: Stat, state: SourceState) -> str:
    """The hash of a file's bytes: the known one while its stat says it is unchanged."""
    known = state.files.get(path)
    if same_file(stat, known, state.scanned_at):
        assert known is not None
        return known[1]
    with open(path, "rb") as handle:
        return content_hash(handle.read())


def inputs_digest(scan: Scan, hashes: Mapping[str, str], *settings: object) -> str:
    """A digest of every input of a build: equal digests, identical output."""
    files = sorted((name, hashes.get(name, "")) for name in scan.stats)
    return digest(__version__, files, *settings)


# --------------------------------------------------------------------------- templates


class TemplateError(Exception):
    """A template that cannot be read or parsed: (template file, line, message)."""

    def __init__(self, filename: str | None, line: int | None, message: str) -> None:
        super().__init__(message)
        self.filename, self.line, self.message = filename, line, message


@dataclass(frozen=True)
class TemplateSet:
    """What each page template pulls in, and a digest of every template's source."""

    sources: dict[str, str | None]  # template name -> digest of its source (None: missing)
    uses: dict[str, frozenset[str] | None]  # page template -> all it uses; None: unknown

    @classmethod
    def scan(
        cls,
        env: jinja2.Environment,
        page_templates: Iterable[str],
        parsed: dict[str, list[str] | None],
        diags: Diagnostics | None = None,
    ) -> TemplateSet:
        """`parsed` (source digest -> the templates it names; kept in the cache) saves
        parsing templates that did not change. Problems go to `diags` when given (at their
        file and line), else raise TemplateError."""
        sources: dict[str, str | None] = {}
        refs: dict[str, frozenset[str] | None] = {}
        for name in sorted(page_templates):
            try:
                _visit(env, name, sources, refs, parsed)
            except TemplateError as problem:
                if diags is None:
                    raise
                diags.error(problem.filename or name, problem.line, problem.message)
        if None in refs.values():  # a name computed at render time may be any template
            _every_source(env, sources)
        return cls(sources, {name: _closure(name, refs) for name in page_templates})

    def digest_for(self, template: str) -> str:
        """A digest of the sources of every template the page template uses."""
        used = self.uses.get(template)
        names = sorted(self.sources) if used is None else sorted(used)
        return digest([(name, self.sources.get(name)) for name in names])

    def changed_since(self, before: TemplateSet) -> set[str]:
        names = self.sources.keys() | before.sources.keys()
        return {n for n in names if self.sources.get(n, "?") != before.sources.get(n, "?")}


def _visit(
    env: jinja2.Environment,
    name: str,
    sources: dict[str, str | None],
    refs: dict[str, frozenset[str] | None],
    parsed: dict[str, list[str] | None],
) -> None:
    if name in sources:
        return
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        sources[name], refs[name] = None, frozenset()  # rendering reports it, if it is used
        return
    except jinja2.TemplateSyntaxError as error:  # e.g. not UTF-8 (render._Utf8Loader)
        raise TemplateError(error.filename, error.lineno, error.message or str(error)) from None
    except OSError as error:  # unreadable: permissions, a vanished file
        where = error.filename if isinstance(error.filename, str) else name
        message = f"cannot read file: {error.strerror or error}"  # as source.read_text says
        raise TemplateError(where, None, message) from None
    sources[name] = key = digest(source)
    if key not in parsed:
        try:
            tree = env.parse(source, name, filename)
            found = list(meta.find_referenced_templates(tree))
            named = {node.name for node in tree.find_all(nodes.Name)}
            found += [other for each, other in TEMPLATE_GLOBALS.items() if each in named]
        except jinja2.TemplateSyntaxError as error:
            message = error.message or "invalid template syntax"
            raise TemplateError(filename, error.lineno, message) from None
        except RecursionError:  # (as render.check_templates says it)
            message = "blocks nested too deeply (too deep for Jinja's parser): flatten them"
            raise TemplateError(filename, None, message) from None
        parsed[key] = None if None in found else sorted(n for n in found if n is not None)
    names = parsed[key]
    refs[name] = None if names is None else frozenset(names)
    for other in names or ():
        _visit(env, other, sources, refs, parsed)


def _every_source(env: jinja2.Environment, sources: dict[str, str | None]) -> None:
    """The digest of every template there is, not only those named: a page whose templates
    compute a name at render time (`{% include name %}`) depends on all of them. They are
    only read, not parsed: one the site never renders may stay broken, as before."""
    assert env.loader is not None
    for name in env.loader.list_templates():
        if name in sources:
            continue
        try:
            sources[name] = digest(env.loader.get_source(env, name)[0])
        except (jinja2.TemplateError, OSError) as error:
            sources[name] = digest("unreadable", type(error).__name__)


def _closure(name: str, refs: dict[str, frozenset[str] | None]) -> frozenset[str] | None:
    seen, todo = {name}, [name]
    while todo:
        used = refs.get(todo.pop())
        if used is None:
            return None  # a name computed at render time
        todo.extend(used - seen)
        seen |= used
    return frozenset(seen)


# --------------------------------------------------------------------------- pages


def settings_digest(config: SiteConfig, drafts: bool) -> str:
    """What every page shows besides its templates and its deps: the settings. (The span of
    days is the ("chart-frame",) dependency of the pages with charts: a new day re-renders
    them only when it moves the frame.)"""
    return digest(__version__, repr(config), drafts)


class DependencyValues(dict[Dep, int]):
    """Dependency key -> its value, a 128-bit number (the digest of what it stands for)."""

    def __missing__(self, key: Dep) -> int:
        # a dependency without a value (the timeline of an actor never mentioned, a page of
        # an actor that clashes) is valued by its key alone
        return number_digest(key)


def briefing_values(entry: BriefingEntry) -> tuple[int, int, bytes]:
    """One briefing's values: of everything it shows, of what lists show of it, and of where
    each actor appears in it (for the timelines). They follow from what the entry was made
    from, so they are worked out once and kept with it (in the cache too); the URL, which
    follows from the date, the slug and the permalinks (in the entry's context), is checked
    all the same."""
    b = entry.briefing
    assert b is not None
    kept = entry.dep_values
    if kept is not None and kept[0] == b.url:
        return kept[1], kept[2], kept[3]
    day = b.date.toordinal()
    # the slug and URL come from the file name and the permalinks, not from its text
    shows = number_digest(f"{entry.key} {b.slug} {b.url}")
    listed = number_digest(repr((b.title, day, b.slug, b.url, b.summary, b.draft)))
    appears = raw_digest(f"{b.path}\x00{day}\x00{b.appearances!r}".encode("utf-8", "surrogatepass"))
    entry.dep_values = (b.url, shows, listed, appears)
    return shows, listed, appears


def dependency_values(model: SiteModel, entries: Mapping[str, BriefingEntry]) -> DependencyValues:
    """The value of every dependency a page can declare (routes.py): a page whose
    dependencies keep their values shows the same content. Made cheaply: this runs on
    every build."""
    by_dep = DependencyValues()
    appearances = []  # per day: a digest of where each actor appears in it
    for b in model.briefings:
        name = b.path
        shows, listed, appears = briefing_values(entries[name])
        by_dep[dep("briefing", name)] = shows
        by_dep[dep("listing", name)] = listed
        appearances.append(appears)
    by_dep[CALENDAR] = number_digest(repr([(b.date.toordinal(), b.url) for b in model.briefings]))
    by_dep[CHART_FRAME] = number_digest(repr(site_frame(b.date for b in model.briefings)))
    actors = {a.slug: number_digest(f"{a.fingerprint} {a.slug}") for a in model.actor_list}
    for slug, value in actors.items():
        by_dep[dep("actor", slug)] = value
    by_dep[ACTORS] = number_digest(repr(sorted(actors.items())))
    timelines = []
    for slug, indexes in model.timelines.days.items():
        # the days, their dates and who appears in each: so also the monthly counts and the
        # co-actors, which follow from them
        days = b"".join([appearances[index] for index in indexes])
        value = number_digest(days)
        by_dep[dep("timeline", slug)] = value
        timelines.append((slug, value))
    by_dep[ACTIVITY] = number_digest(repr(sorted(timelines)))
    return by_dep


def plan_digest(model: SiteModel, values: DependencyValues, settings: str) -> str:
    """What routes.plan_pages makes the pages of: the settings; the actors' slugs, files and
    names (their index letters); the days in order, by file, with their dates and URLs (the
    calendar); and who appears in each day, quoted how many times (the timelines, in
    ACTIVITY). Equal digests, equal plans."""
    actors = [(a.slug, str(a.path), a.name) for a in model.actor_list]
    days = "\x00".join([b.path for b in model.briefings]).encode("utf-8", "surrogatepass")
    return digest(settings, actors, raw_digest(days), values[CALENDAR], values[ACTIVITY])


def plan_keys(
    pages: list[Page], values: DependencyValues, templates: TemplateSet, settings: str,
    before: PlanRecord | None, kept: Mapping[str, tuple[str, str]],
) -> tuple[dict[str, str], dict[str, str]]:  # fmt: skip
    """Every page's key (page_keys) and every page template's closure. With `before`, the
    last build's plan of these same pages, and `kept`, the keys that build gave them (the
    output record's): a page whose dependencies and template closure have the values they
    had keeps its key; only the others are keyed anew."""
    closures = {name: templates.digest_for(name) for name in {page.template for page in pages}}
    if before is None:
        return page_keys(pages, values, closures, settings), closures
    changed = {key for key, value in values.items() if before.values.get(key) != value}
    changed.update(before.values.keys() - values.keys())
    templates_changed = {name for name, value in closures.items()
                         if before.closures.get(name) != value}  # fmt: skip
    keys: dict[str, str] = {}
    anew = []
    for page in pages:
        key = kept.get(page.output, _NO_KEY)[1]
        if key and page.template not in templates_changed and changed.isdisjoint(page.deps):
            keys[page.output] = key
        else:  # (a file with no key in the record is a static file's, or made again)
            anew.append(page)
    keys.update(page_keys(anew, values, closures, settings))
    return keys, closures


_NO_KEY = ("", "")


def page_identity(page: Page) -> tuple:
    """What a page is, in terms that do not move when other pages come and go: a day page's
    key is its position among the days, which its file name stands in for."""
    key = page.sources if page.kind == "day" else page.key
    return (page.kind, page.template, page.url, key)


def page_keys(
    pages: Iterable[Page], values: DependencyValues, closures: Mapping[str, str], settings: str
) -> dict[str, str]:
    """Output file -> a key over everything its page shows (`closures`: each page template's
    TemplateSet.digest_for). Its dependencies count as the sum of their values (modulo
    2**128), in any order: a sum needs neither sorting nor joining, which for 200,000
    dependencies cost more than the rest of a rebuild's keys."""
    value_of = values.__getitem__
    keys = {}
    for page in pages:
        shown = sum(map(value_of, page.deps)) & _MASK
        text = f"{settings}\x01{closures[page.template]}\x01{page_identity(page)!r}\x01{shown:x}"
        keys[page.output] = content_hash(text.encode())
    return keys
