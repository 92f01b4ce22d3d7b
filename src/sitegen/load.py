"""Load: read and validate a whole site, writing nothing but the cache's briefing bodies.

Configuration (read by the caller, which needs it to find the output), content and
templates are checked here, and every problem of all three is reported together before
anything is rendered. Briefings are parsed and their Markdown converted by the workers (most
of the work of a first build), or taken from the cache while their file is unchanged
(changes.py); a cached briefing's body is only read when a page shows it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import jinja2

from sitegen import __version__
from sitegen.cache import (
    BodyStore,
    BriefingEntry,
    Briefings,
    PlanRecord,
    SourceState,
    Stat,
    body_record,
)
from sitegen.changes import (
    DependencyValues,
    Scan,
    TemplateSet,
    dependency_values,
    file_hash,
    plan_digest,
    same_file,
    settings_digest,
)
from sitegen.config import CONFIG_NAME, NO_SUCH_FOLDER, SiteConfig
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.front_matter import SourceFile
from sitegen.keys import digest
from sitegen.markup import MarkdownRenderer
from sitegen.model import (
    Actor,
    Briefing,
    SiteModel,
    assemble_model,
    build_registry,
    check_profile_mentions,
    names_unknown_actor,
)
from sitegen.render import (
    THEME_DIR,
    RenderContext,
    check_templates,
    make_environment,
    make_markdown,
)
from sitegen.routes import Page, plan_pages
from sitegen.search import BUNDLE, BUNDLES_FILE, SCRIPTS
from sitegen.source import (
    key_line,
    load_files,
    markdown_files,
    markdown_names,
    read_text,
    site_files,
)
from sitegen.urls import Urls
from sitegen.workers import Workers, chunks_of, parse_briefing, parse_chunk, run

THEME_ASSETS = "assets"  # where the theme's static files go in the output
# Up to this many briefings, a build keeps their bodies (blocks, HTML) in memory once read
# (about 10 kB each); above, they stay in the cache (written by the workers that made them)
# and are read, and let go of, as the pages that show them are rendered.
BODIES_IN_MEMORY = 20_000


@dataclass
class BuildOptions:
    site: Path = Path(".")
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    jobs: int = 0  # 0: one per core
    min_parallel: int = 200  # below this many files or pages, forking costs more than it saves
    no_cache: bool = False  # neither read nor write the build cache


def _content_usable(content: Path, report: Diagnostics) -> bool:
    """Whether the content folder can be listed (a missing one holds no briefings). One
    line when it cannot, not one per folder expected inside it."""
    if not os.path.lexists(content) or os.path.isdir(content):
        return True
    if not _broken_link(content, report):
        report.error(content, None, "is not a folder (content/briefings/ holds the days)")
    return False


def _broken_link(folder: Path, report: Diagnostics) -> bool:
    """Whether `folder` is a symbolic link that leads nowhere, reported: a folder set up as
    a link is meant to be there, so a broken one is a mistake to name, not a site without
    that folder (which would build silently with the theme's templates or no static files)."""
    if os.path.islink(folder) and not os.path.exists(folder):
        report.error(folder, None, f"broken symbolic link (to {os.readlink(folder)}): remove it")
        return True
    return False


def _named_missing(diags: Diagnostics, key: str) -> bool:
    """Whether site.toml's [paths] names a folder that is not there (an error already
    reported at its line): what follows from its absence is no news."""
    start = f"paths.{key}: {NO_SUCH_FOLDER}:"
    return any(d.severity == "error" and d.message.startswith(start) for d in diags.items)


_FIRST = "add one as YYYY-MM-DD-<slug>.md, or run sitegen ingest"


def _unpublishable_name(output: str) -> str | None:
    """Why a static file's path cannot be published: a name that is not UTF-8 (from an
    archive made on another system) has no URL, and the output's record of its files is
    UTF-8 text (it failed there with a traceback)."""
    try:
        output.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(output[exc.start]) - 0xDC00  # os.fsdecode keeps a stray byte so
        return f"the path is not UTF-8 (byte 0x{byte:02x}): rename it (a URL cannot name it)"
    return None


SEARCH_SCRIPT = "search.js"  # the theme's, used by search.html only


@dataclass
class Sources:
    """Every file a build reads, by role. Static files come with their output path."""

    config: Path
    briefings: list[str]  # strings: there are thousands
    actors: list[Path]
    templates: list[Path]
    static: list[tuple[Path, str]]
    own_templates: list[Path] = field(default_factory=list)  # the site's, not the theme's
    # where the actor registry could not be listed (content/actors a file, unreadable, a
    # named pipe in it): names the registry lacks may be the actors there
    unlisted_actors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, config: SiteConfig, diags: Diagnostics | None = None) -> Sources:
        """The site's files as the one listing (source.site_names) finds them: what it
        refuses (a link out of the site, a pipe or device, a broken link, a folder that
        cannot be read) is reported into `diags` and left out. A `content` that is a file
        is an error; a site without briefings gets a warning (its pages would be empty)."""
        root, content = config.root, config.folder("content")
        report = diags if diags is not None else Diagnostics(root=root)
        # a folder site.toml names that is not there was reported at its line: not listed
        usable = not _named_missing(report, "content") and _content_usable(
            root / config.paths.content, report
        )  # (a link unresolved)
        own_templates = []
        if not _named_missing(report, "templates") and not _broken_link(
            root / config.paths.templates, report
        ):
            own_templates = site_files(config.folder("templates"), report, root)
        templates = own_templates + site_files(THEME_DIR / "templates")
        theme_static = THEME_DIR / "static"
        # the search page's script only where there is a search page
        unused = set() if config.search.enabled else {SEARCH_SCRIPT}
        static = [
            (path, f"{THEME_ASSETS}/{path.relative_to(theme_static).as_posix()}")
            for path in site_files(theme_static)
            if path.name not in unused
        ]
        folder = config.folder("static")
        if not _named_missing(report, "static") and not _broken_link(
            root / config.paths.static, report
        ):
            for path in site_files(folder, report, root, sources=content):
                output = path.relative_to(folder).as_posix()
                if (problem := _unpublishable_name(output)) is not None:
                    report.error(path, None, problem)
                else:
                    static.append((path, output))
        folder = content / "briefings"
        problems = len(report.items)
        briefings = markdown_names(folder, report, root) if usable else []
        if usable and not briefings and len(report.items) == problems:
            report.warning(folder, None, f"no briefings found: the site has no days ({_FIRST})")
        problems = len(report.items)
        actors = markdown_files(content / "actors", report, root) if usable else []
        unlisted = [d.path for d in report.items[problems:] if d.severity == "error"]
        return cls(
            root / CONFIG_NAME, briefings, actors, templates, static, own_templates, unlisted
        )

    def all(self) -> Iterator[Path | str]:
        yield self.config
        yield from self.briefings
        yield from self.actors
        yield from self.templates
        for path, _ in self.static:
            yield path


@dataclass
class Site:
    """A loaded, validated site: what every command needs before it renders."""

    config: SiteConfig
    model: SiteModel
    urls: Urls
    pages: list[Page]
    render: RenderContext
    entries: dict[str, BriefingEntry]  # per briefing file
    templates: TemplateSet
    env: jinja2.Environment  # the build's Jinja environment (its templates checked)
    sources: SourceState  # every source file's stat and hash, for the next build
    listing: Sources  # the files it was loaded from
    parsed: int = 0  # briefing files read anew
    warnings: list[Diagnostic] = field(default_factory=list)
    values: DependencyValues = field(default_factory=DependencyValues)  # changes.py
    plan: str = ""  # what the pages follow from (changes.plan_digest)
    planned: PlanRecord | None = None  # the last build's plan, when `pages` are its pages


def briefing_context(config: SiteConfig) -> str:
    """The settings besides a briefing's own text that shape its parsed form and HTML."""
    return digest(__version__, config.base_path, config.markdown, config.permalinks)


def load_site(
    config: SiteConfig,
    sources: Sources,
    scan: Scan,
    state: SourceState,
    known: Briefings,
    workers: Workers,
    drafts: bool = False,
    strict: bool = False,
    store: BodyStore | None = None,
    diags: Diagnostics | None = None,
    compiled: jinja2.BytecodeCache | None = None,
    planned: PlanRecord | None = None,
    stage: Callable[[str], None] = lambda name: None,
) -> Site:
    """Read, validate and convert everything; raise SitegenError listing every problem of
    the content and the templates (and any already in `diags`: the configuration's).

    `scan` is the stat of every source (taken before anything is read), `state` and
    `known` what the previous build saw and made, `planned` the plan it made: its pages are
    taken when the plan would be the same. `stage` is told when the model and the plan
    begin (build's timings)."""
    diags = diags or Diagnostics(root=config.root)
    for name, why in sorted(scan.problems.items()):
        diags.error(name, None, why)
    urls = Urls(config.base_path, config.permalinks.briefing)
    actor_sources = load_files(sources.actors, diags, config.markdown.extensions)
    actors, lookup = build_registry(actor_sources, diags)
    check_profile_mentions(actors, actor_sources, lookup, diags)
    _check_images(actors, actor_sources, sources, config, diags)
    paths = [name for name in sources.briefings if name in scan.stats]
    renderer = make_markdown(config, lookup, urls)  # one per build: parsing, then profiles
    entries, parsed = read_briefings(
        paths, scan, state, known, lookup, config, workers, store, renderer
    )
    briefings = []
    for path in paths:
        entry = entries[path]
        diags.items.extend(entry.diagnostics)
        if entry.briefing is not None:
            briefings.append(entry.briefing)
    registered = {actor.path for actor in actors}
    unread = sources.unlisted_actors + [p for p in sources.actors if p not in registered]
    _hold_back_follow_ons(diags, unread)
    stage("model")
    model = assemble_model(actors, lookup, briefings, drafts, urls.day)
    stage("plan")
    values = dependency_values(model, entries)
    plan = plan_digest(model, values, settings_digest(config, drafts))
    if planned is not None and planned.digest == plan and not diags.errors:
        pages = planned.pages  # (that plan passed plan_pages's checks)
    else:
        pages, planned = plan_pages(model, config, urls, diags, key_line), None
    _static_clashes(sources.static, pages, diags)
    if config.search.enabled:
        _search_clashes(sources.static, diags)
    env = make_environment(config, compiled)
    parsed_templates = dict(state.templates)
    check_templates(config, sources.own_templates, diags, parsed_templates)
    templates = TemplateSet({}, {})
    if not diags.errors:  # (a template the checks refused may be a pipe: not opened again)
        templates = TemplateSet.scan(env, {p.template for p in pages}, parsed_templates, diags)
    hashes = {str(s.path): s.fingerprint for s in actor_sources}
    hashes.update((name, entry.fingerprint) for name, entry in entries.items())
    files = _source_hashes(scan, state, hashes, diags)
    if strict:
        diags.promote_warnings()
    if diags.errors:
        raise SitegenError(sorted(diags.errors) + sorted(diags.warnings))
    ctx = RenderContext(
        config, model, urls, BlockHtml(model.briefings, entries), Profiles(actors, renderer),
        pages,
    )  # fmt: skip
    new_state = SourceState(scan.started, files, _used(parsed_templates, templates))
    return Site(config, model, urls, pages, ctx, entries, templates, env, new_state, sources,
                parsed, sorted(diags.warnings), values, plan, planned)  # fmt: skip


def _check_images(
    actors: Sequence[Actor],
    actor_sources: Sequence[SourceFile],
    sources: Sources,
    config: SiteConfig,
    diags: Diagnostics,
) -> None:
    """A warning for each actor image that is a path no static file has: the page and its
    link previews would show a broken image."""
    static = {output for _, output in sources.static}
    by_path = {source.path: source for source in actor_sources}
    for actor in actors:
        if not actor.image or "://" in actor.image:
            continue
        name = urllib.parse.unquote(actor.image.split("#")[0].split("?")[0]).lstrip("/")
        if name not in static:
            source = by_path.get(actor.path)
            line = source.line("image") if source is not None else None
            where = f"{config.paths.static}/{name}".replace("//", "/")
            diags.warning(
                actor.path,
                line,
                f"image {actor.image!r} is not a file of the site ({where} does not exist): "
                "the page would show a broken image",
            )


def _search_clashes(static: list[tuple[Path, str]], diags: Diagnostics) -> None:
    """A static file where Pagefind writes one of its own (pagefind/pagefind.js, its list
    of bundles) is an error: the index is written after the static files, so Pagefind's
    file took its place without a word (and the other way round the search would break)."""
    for path, output in static:
        folder, _, name = output.partition("/")
        if folder == BUNDLE and (name in SCRIPTS or name == BUNDLES_FILE):
            diags.error(
                path,
                None,
                f"the search index (Pagefind) writes {output}, in place of this file: rename "
                "it, or set [search] enabled = false in site.toml",
            )


def _static_clashes(static: list[tuple[Path, str]], pages: list[Page], diags: Diagnostics) -> None:
    """A static file may take a page's place (the same path: it wins), but not a folder's:
    a file where the site writes a folder of files (`static/actors`), or a file in a folder
    whose name is a page's or another file's (`static/robots.txt/x`), cannot both be in
    the output. Without this check the build copied the file into the folder instead
    (`actors/actors`), or failed on writing it with no path named."""
    theme = THEME_DIR.resolve()
    outputs = {output: "" for _, output in static}
    firsts = {output.partition("/")[0] for output in outputs}
    for page in pages:  # (only the pages whose first folder a static file names)
        if page.output.partition("/")[0] in firsts:
            outputs.setdefault(page.output, page.url)
    folders: dict[str, str] = {}  # folder -> a file in it
    for output in outputs:
        parts = output.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), output)
    for path, output in static:
        if theme in path.parents:
            continue  # (a clash with the theme's files is reported at the site's file)
        if output in folders:
            inside = folders[output]
            diags.error(path, None, f"the site writes {inside} inside the folder {output}/, "
                        "whose place this file would take: rename it")  # fmt: skip
            continue
        parts = output.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in outputs:
                what = f"the page /{outputs[folder]}" if outputs[folder] else "a static file"
                diags.error(path, None, f"{folder} is {what}, so no folder of that name can "
                            "hold this file: rename its folder")  # fmt: skip
                break


def _source_hashes(
    scan: Scan, state: SourceState, known: dict[str, str], diags: Diagnostics
) -> dict[str, tuple[Stat, str]]:
    """Every source's stat and hash (those not read yet, static files, are read here): one
    that cannot be read (its permissions) is an error at its path, not a traceback; once,
    when reading it for its checks (a template) has already said so."""
    files = {}
    unread = Diagnostics(root=diags.root)
    for name, stat in scan.stats.items():
        try:
            files[name] = (stat, known.get(name) or file_hash(name, stat, state))
        except OSError as exc:
            unread.error(name, None, f"cannot read file: {exc.strerror or exc}")
    reported = {d.path for d in diags.errors}
    diags.items.extend(d for d in unread.items if d.path not in reported)
    return files


def _hold_back_follow_ons(diags: Diagnostics, unread: list[str | Path]) -> None:
    """While an actor file cannot be read, a name the registry lacks may well be that
    actor's: those warnings are one line at the file, not one per mention (158 lines for
    one actor file's bad YAML buried its one error). They are listed again once it reads."""
    if not unread:
        return
    kept = [d for d in diags.items if d.severity == "error" or not names_unknown_actor(d.message)]
    held = len(diags.items) - len(kept)
    if not held:
        return
    diags.items = kept
    others = f" (and {len(unread) - 1} other actor files)" if len(unread) > 1 else ""
    this = "this file" if str(unread[0]).endswith(".md") else "this part of the registry"
    diags.warning(
        unread[0],
        None,
        f"{held:,} warning{'s' if held > 1 else ''} about names not in the actor registry held "
        f"back while {this}{others} cannot be read (they may be its actor's)",
    )


def _used(parsed: dict[str, list[str] | None], templates: TemplateSet) -> dict:
    """The parsed templates worth keeping: those of the templates in use."""
    return {key: parsed[key] for key in templates.sources.values() if key in parsed}


class BlockHtml(Sequence[Sequence[str]]):
    """The block HTML of the model's briefings (RenderContext.block_html), taken from
    their entries, which read it from the cache when first asked."""

    def __init__(self, briefings: list[Briefing], entries: Mapping[str, BriefingEntry]) -> None:
        self._entries = [entries[b.path] for b in briefings]

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Sequence[str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[Sequence[str]]: ...
    def __getitem__(self, index: int | slice) -> Sequence[str] | list[Sequence[str]]:
        if isinstance(index, slice):
            return [entry.html for entry in self._entries[index]]
        return self._entries[index].html


class Profiles(Mapping[str, str]):
    """Actor profiles as HTML (RenderContext.profile_html), converted when first shown."""

    def __init__(self, actors: list[Actor], renderer: MarkdownRenderer) -> None:
        self._profiles = {actor.slug: actor.profile for actor in actors}
        self._renderer = renderer
        self._html: dict[str, str] = {}

    def __getitem__(self, slug: str) -> str:
        html = self._html.get(slug)
        if html is None:
            html = self._html[slug] = self._renderer.for_page(
                self._renderer.render(self._profiles[slug])
            )
        return html

    def __iter__(self) -> Iterator[str]:
        return iter(self._profiles)

    def __len__(self) -> int:
        return len(self._profiles)


def lookup_digest(lookup: Mapping[str, str]) -> str:
    return digest(sorted(lookup.items()))


def read_briefings(
    paths: list[str],
    scan: Scan,
    state: SourceState,
    known: Briefings,
    lookup: Mapping[str, str],
    config: SiteConfig,
    workers: Workers,
    store: BodyStore | None = None,
    renderer: MarkdownRenderer | None = None,
) -> tuple[dict[str, BriefingEntry], int]:
    """Every briefing's entry: the known one while its file, settings and actor lookups are
    unchanged, else made anew by the workers (which write new bodies to `store`, and use
    `renderer` when given: a `serve` Pool's processes make their own). Returns the entries
    and how many files were read."""
    context = briefing_context(config)
    today = lookup_digest(lookup)
    entries: dict[str, BriefingEntry] = {}
    stale: list[str] = []
    candidates: dict[str, str] = {}  # stale file -> the hash its entry was made from
    files, scanned_at, stats = state.files, state.scanned_at, scan.stats
    for name in paths:
        entry = known.entries.get(name)
        if entry is None or entry.context != context:
            stale.append(name)
            continue
        if known.lookups.get(name) != today and not entry.still_valid(lookup):
            stale.append(name)
            continue
        previous = files.get(name)
        if (
            previous is not None
            and same_file(stats[name], previous, scanned_at)
            and previous[1] == entry.fingerprint
        ):
            entries[name] = entry
        else:
            stale.append(name)
            candidates[name] = entry.fingerprint
    shared = {
        "config": config, "lookup": lookup, "paths": stale, "root": config.root,
        "context": context, "known": candidates, "store": store,
        "bodies": len(paths) <= BODIES_IN_MEMORY,
    }  # fmt: skip
    if renderer is not None and workers.pool is None:  # (a Pool would pickle it)
        shared["markdown"] = renderer
    arena = bytearray()  # the block HTML of the bodies kept in memory (cache.PackedHtml)
    for data in run(parse_chunk, chunks_of(len(stale), 100), workers, "reading", shared):
        for name, record in marshal.loads(data).items():
            if record[0] == "same":  # touched, not changed
                entries[name] = known.entries[name]
            else:
                body = None if record[2] is None else marshal.loads(record[2])
                entries[name] = BriefingEntry.from_records(record[1], body, store, arena)
    return entries, len(stale)


def make_repair(site: Site) -> Callable[[BriefingEntry], None]:
    """A way to make a briefing's body again from its file, for when its cache file is
    missing or damaged (cache.BodyStore): the briefing is parsed again, as when it changed.
    It runs wherever the body is asked for, in a worker too, so it uses no worker job."""
    config, lookup = site.config, site.model.lookup
    renderers: list[MarkdownRenderer] = []

    def repair(entry: BriefingEntry) -> None:
        if entry.briefing is None:
            return
        path = Path(entry.briefing.path)
        if not renderers:
            renderers.append(make_markdown(config, lookup, site.urls))
        diags = Diagnostics(root=config.root)
        text = read_text(path, diags)
        made = parse_briefing(path, text, lookup, renderers[0], entry.context, diags)
        if made.key != entry.key:  # the file changed while this build ran
            message = "changed while the site was being built; build again"
            raise SitegenError([Diagnostic(str(path), None, message)])
        entry.replace_with(made)
        if entry.store is not None:
            with contextlib.suppress(OSError):
                entry.store.write(entry.key, body_record(made))

    return repair
