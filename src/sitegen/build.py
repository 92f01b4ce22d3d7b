"""Build: the pipeline config -> load -> model -> routes -> render -> output.

Everything is validated before the output folder is touched; pages are rendered by a pool of
forked workers (both cores) into a staging folder that replaces the output only on success.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from sitegen import __version__
from sitegen.cache import (
    CACHE_DIR,
    BriefingEntry,
    BuildCache,
    CacheData,
    RecordingLookup,
    digest,
    file_stat,
    load_entries,
    prepare_folder,
    records_of,
    shard_of,
    tree_fingerprint,
    write_shard,
)
from sitegen.charts import site_frame
from sitegen.config import SiteConfig, load_config, override_base_url
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.model import SiteModel, assemble_model, build_briefing, build_registry
from sitegen.output import InPlaceOutput, StagedOutput, check_output_folder
from sitegen.render import (
    THEME_DIR,
    PageRenderer,
    RenderContext,
    TemplateProblem,
    check_templates,
    make_environment,
    make_markdown,
    render_briefing_html,
)
from sitegen.routes import Page, plan_pages
from sitegen.search import (
    SearchIndexError,
    index_key,
    is_indexed,
    pagefind_program,
    pages_digest,
    reuse_index,
    run_pagefind,
    search_pages_glob,
)
from sitegen.source import (
    fingerprint,
    load_files,
    markdown_files,
    parse_source,
    read_text,
    site_files,
)
from sitegen.urls import Urls

Progress = Callable[[str, int, int], None]  # (stage, done, total)


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


@dataclass
class Site:
    """A loaded, validated site: what every command needs before it renders."""

    config: SiteConfig
    model: SiteModel
    urls: Urls
    pages: list[Page]
    render: RenderContext
    entries: dict[str, BriefingEntry]  # per briefing file, for the cache
    warnings: list[Diagnostic] = field(default_factory=list)
    cache_folder: Path | None = None  # None: no cache (--no-cache, or it cannot be written)


@dataclass
class BuildResult:
    output: Path
    pages: int
    rendered: int  # pages rendered anew; the others were unchanged and reused
    assets: int
    seconds: float
    warnings: list[Diagnostic]
    search_seconds: float = 0.0  # time Pagefind took; 0 when off or its index was reused


def _fail(diags: Diagnostics) -> SitegenError:
    return SitegenError(sorted(diags.errors) + sorted(diags.warnings))


def _briefing_context(config: SiteConfig) -> str:
    """The settings besides a briefing's own text that shape its parsed form and HTML."""
    return digest(__version__, config.base_path, config.markdown, config.permalinks)


def read_briefings(
    paths: list[Path], lookup: dict[str, str], config: SiteConfig, root: Path,
    cache: CacheData, workers: Workers, folder: Path | None = None,
) -> dict[str, BriefingEntry]:  # fmt: skip
    """Every briefing's cache entry: reused when its file and lookups are unchanged,
    else made anew by the workers.

    With `folder` (a cache folder made ready by `prepare_folder`), `paths` are all the
    briefings, and every cache shard that gained, changed or lost an entry is rewritten: by
    the worker that made the shard's new entries, or here when the shard only lost some.
    Without it, nothing is written."""
    context = _briefing_context(config)
    entries: dict[str, BriefingEntry] = {}
    stale: list[Path] = []
    for path in paths:
        entry = cache.briefings.get(str(path))
        fresh = (
            entry is not None
            and entry.context == context
            and entry.stat == file_stat(path)
            and entry.still_valid(lookup)
        )
        if fresh:
            entries[str(path)] = entry  # type: ignore[assignment]
        else:
            stale.append(path)
    fresh_by_shard: dict[int, dict[str, BriefingEntry]] = {}
    if folder is not None:
        for key, entry in entries.items():
            fresh_by_shard.setdefault(shard_of(key), {})[key] = entry
        stale.sort(key=lambda path: shard_of(str(path)))  # then each chunk is one shard
        chunks = _shard_chunks(stale)
    else:
        chunks = _chunks(len(stale), 200)
    _shared.update(
        config=config, lookup=lookup, paths=stale, root=root, context=context, cache=cache,
        folder=folder, fresh_by_shard=fresh_by_shard,
    )  # fmt: skip
    try:
        for chunk in _run(_briefing_chunk, chunks, workers, "reading"):
            entries.update(load_entries(chunk))
    finally:
        _shared.clear()
    if folder is not None:
        _write_shrunk_shards(folder, cache, paths, stale, fresh_by_shard)
    return entries


def _cache_folder(root: Path) -> tuple[Path | None, Diagnostic | None]:
    """The cache folder, ready for writing; or None and a warning when it cannot be. The
    cache only saves time: the build goes on without it (even with --strict, which is about
    the content)."""
    try:
        prepare_folder(root / CACHE_DIR)
    except OSError as exc:
        message = f"cannot write the build cache ({exc.strerror or exc}); building without it"
        return None, Diagnostic(CACHE_DIR, None, message, "warning")
    return root / CACHE_DIR, None


def _shard_chunks(paths: list[Path]) -> list[range]:
    """Ranges of `paths` (sorted by shard) that each cover one shard."""
    shards = [shard_of(str(path)) for path in paths]
    chunks: list[range] = []
    start = 0
    for index in range(1, len(shards) + 1):
        if index == len(shards) or shards[index] != shards[start]:
            chunks.append(range(start, index))
            start = index
    return chunks


def _write_shrunk_shards(
    folder: Path, cache: CacheData, paths: list[Path], stale: list[Path],
    fresh_by_shard: dict[int, dict[str, BriefingEntry]],
) -> None:  # fmt: skip
    """Rewrite the shards that only lost entries (their briefings were deleted)."""
    current = {str(path) for path in paths}
    written = {shard_of(str(path)) for path in stale}
    shrunk = {shard_of(key) for key in cache.briefings if key not in current} - written
    for shard in sorted(shrunk):
        with contextlib.suppress(OSError):  # see _briefing_chunk
            write_shard(folder, shard, records_of(fresh_by_shard.get(shard, {})))


def load_site(
    options: BuildOptions, progress: Progress | None = None, cache: CacheData | None = None
) -> Site:
    """Read, validate and convert everything; raise SitegenError listing every problem.

    Briefings are parsed and their Markdown converted in one pass per file, spread over
    worker processes (most of the work of a cold build), or taken from the cache.
    """
    root = options.site.resolve()
    diags = Diagnostics(root=root)
    # site.toml's bad values become defaults, so that content and templates are checked too
    config = load_config(options.site, diags, best_effort=True)
    if config is None:
        raise _fail(diags)
    if options.base_url:
        config = override_base_url(config, options.base_url, diags)
    check_templates(config, diags)
    site_files(config.folder("static"), diags, root)  # what it refuses is reported
    content = config.folder("content")
    urls = Urls(config.base_path, config.permalinks.briefing)
    actor_files = markdown_files(content / "actors", diags, root)
    actors, lookup = build_registry(load_files(actor_files, diags), diags)
    paths = markdown_files(content / "briefings", diags, root)
    cache = cache or CacheData()
    folder, cache_problem = (None, None) if options.no_cache else _cache_folder(root)
    workers = Workers.of(options, progress)
    entries = read_briefings(paths, lookup, config, root, cache, workers, folder)
    briefings = []
    for path in paths:
        entry = entries[str(path)]
        diags.items.extend(entry.diagnostics)
        if entry.briefing is not None:
            briefings.append(entry.briefing)
    model = assemble_model(actors, lookup, briefings, include_drafts=options.drafts)
    pages = plan_pages(model, config, urls, diags)
    if options.strict:
        diags.promote_warnings()
    if diags.errors:
        raise _fail(diags)
    renderer = make_markdown(config, lookup, urls)
    profiles = {a.slug: renderer.render(a.profile) for a in actors}
    block_html = [entries[str(b.path)].html for b in model.briefings]
    ctx = RenderContext(config, model, urls, block_html, profiles, pages)
    warnings = sorted(diags.warnings) + ([cache_problem] if cache_problem else [])
    return Site(config, model, urls, pages, ctx, entries, warnings, folder)


# --------------------------------------------------------------------------- workers
# Work is handed to forked workers through this module global: set just before the pool
# forks, inherited by the children, never pickled.
_shared: dict[str, Any] = {}


def _briefing_chunk(indexes: Sequence[int]) -> bytes:
    """Load, check and convert some briefing files (in a worker); their entries as
    marshalled records (see cache.py). With a cache folder the chunk is one shard, which
    is written here with the shard's unchanged entries."""
    config, lookup, cache = _shared["config"], _shared["lookup"], _shared["cache"]
    context = _shared["context"]
    renderer = make_markdown(config, lookup, Urls(config.base_path, config.permalinks.briefing))
    results = {}
    for index in indexes:
        path = _shared["paths"][index]
        diags = Diagnostics(root=_shared["root"])
        stat = file_stat(path)
        text = read_text(path, diags)
        known = cache.briefings.get(str(path))
        if (
            text is not None
            and known is not None
            and known.context == context
            and known.fingerprint == fingerprint(text)
            and known.still_valid(lookup)
        ):  # touched, not changed
            known.stat = stat
            results[str(path)] = known
            continue
        asked = RecordingLookup(lookup)
        source = parse_source(path, text, diags) if text is not None else None
        briefing = build_briefing(source, asked, diags) if source else None
        html = render_briefing_html(renderer, briefing) if briefing else []
        results[str(path)] = BriefingEntry(
            stat, source.fingerprint if source else "", context, asked.asked, briefing, html,
            diags.items,
        )  # fmt: skip
    records = records_of(results)
    folder = _shared["folder"]
    if folder is not None and results:
        shard = shard_of(next(iter(results)))
        unchanged = _shared["fresh_by_shard"].get(shard, {})
        with contextlib.suppress(OSError):  # a shard left as it was is only out of date
            write_shard(folder, shard, {**records_of(unchanged), **records})
    return marshal.dumps(records)


def _render_chunk(indexes: Sequence[int]) -> tuple[int, list[Diagnostic]]:
    renderer: PageRenderer = _shared["renderer"]
    output: StagedOutput = _shared["output"]
    pages: list[Page] = _shared["pages"]
    problems: dict[tuple, Diagnostic] = {}
    written = 0
    for i in indexes:
        try:
            output.write(pages[i].output, renderer.render(pages[i]))
            written += 1
        except TemplateProblem as problem:
            d = problem.diagnostic
            problems.setdefault((d.path, d.line), d)
    return written, list(problems.values())


def _collecting(work: tuple[Callable, range]) -> Any:
    """Run a task in a worker, then free the reference cycles it left (Jinja's rendering
    leaves some on every page). The collector is off during builds; in a forked worker a
    collection only looks at the worker's own objects (the inherited ones are frozen), so
    it is cheap, and it halves a worker's peak memory."""
    task, chunk = work
    result = task(chunk)
    gc.collect()
    return result


def _chunks(count: int, size: int) -> list[range]:
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


@dataclass(frozen=True)
class Workers:
    jobs: int
    min_parallel: int
    progress: Progress | None = None

    @classmethod
    def of(cls, options: BuildOptions, progress: Progress | None) -> Workers:
        return cls(options.jobs or os.cpu_count() or 1, options.min_parallel, progress)


def _run(task: Callable, chunks: list[range], workers: Workers, stage: str) -> Iterator[Any]:
    """Run task over chunks, in forked workers when it pays, reporting progress. Results
    come in order as they are ready, so the caller takes them in while the workers go on."""
    total = sum(len(c) for c in chunks)
    done = 0
    jobs, progress = workers.jobs, workers.progress
    if jobs <= 1 or total < workers.min_parallel:
        iterator = map(task, chunks)
        pool = None
    else:
        gc.freeze()  # keep the children from copying pages just to update gc headers
        pool = multiprocessing.get_context("fork").Pool(jobs)
        iterator = pool.imap(_collecting, [(task, chunk) for chunk in chunks])
    try:
        for chunk, result in zip(chunks, iterator, strict=True):
            done += len(chunk)
            if progress:
                progress(stage, done, total)
            yield result
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            gc.unfreeze()


def write_pages(
    ctx: RenderContext,
    pages: list[Page],
    output: StagedOutput | InPlaceOutput,
    workers: Workers,
    env: jinja2.Environment | None = None,  # `serve` keeps one while templates are unchanged
) -> int:
    renderer = PageRenderer(ctx, env or make_environment(ctx.config))
    _shared.update(renderer=renderer, output=output, pages=pages)
    try:
        results = list(_run(_render_chunk, _chunks(len(pages), 100), workers, "pages"))
    finally:
        _shared.clear()
    problems: dict[tuple, Diagnostic] = {}
    for _, found in results:
        for d in found:
            problems.setdefault((d.path, d.line), d)
    if problems:
        raise SitegenError(sorted(problems.values()))
    return sum(written for written, _ in results)


def site_digest(site: Site, drafts: bool) -> str:
    """What every page shows besides its templates and its deps: the settings. (The span of
    days is the ("chart-frame",) dependency of the pages with charts.)"""
    return digest(__version__, repr(site.config), drafts)


def dependency_values(site: Site) -> dict[tuple, str]:
    """The value of every dependency a page can declare (routes.Dep): a page whose
    dependencies keep their values shows the same content."""
    model = site.model
    by_dep: dict[tuple, str] = {  # the slug and URL come from the file name, not its text
        ("briefing", b.key): digest(site.entries[str(b.path)].key, b.slug, b.url)
        for b in model.briefings
    }
    by_dep[("briefings",)] = digest(sorted(by_dep.values()))
    by_dep.update(
        (("listing", b.key), digest(b.title, b.date, b.slug, b.url, b.summary, b.draft))
        for b in model.briefings
    )
    by_dep[("calendar",)] = digest([b.date for b in model.briefings])
    by_dep[("chart-frame",)] = digest(repr(site_frame(b.date for b in model.briefings)))
    actors = {("actor", a.slug): digest(a.fingerprint, a.slug) for a in model.actor_list}
    by_dep.update(actors)
    by_dep[("actors",)] = digest(sorted(actors.values()))
    for slug, timeline in model.timelines.items():
        days = [(model.briefings[d.briefing].key, d.blocks, d.quotes) for d in timeline]
        monthly = sorted(model.monthly.get(slug, {}).items())
        by_dep[("timeline", slug)] = digest(days, model.co_actors.get(slug), monthly)
    return by_dep


def page_keys(site: Site, drafts: bool) -> dict[str, str]:
    """Output file -> a key over everything its page shows (see cache.py)."""
    templates = tree_fingerprint([site.config.folder("templates"), THEME_DIR / "templates"])
    everything = digest(site_digest(site, drafts), templates)
    by_dep = dependency_values(site)
    keys = {}
    for page in site.pages:
        values = sorted(by_dep.get(d) or repr(d) for d in page.deps)  # repr: not a dependency
        keys[page.output] = digest(everything, page.template, page.kind, page.key, page.url,
                                   values)  # fmt: skip
    return keys


def _reuse_pages(
    pages: list[Page], keys: dict[str, str], cache: CacheData, out: Path, output: StagedOutput
) -> list[Page]:
    """Link the unchanged pages from the previous output; returns the pages to render."""
    if cache.output != str(out):
        return pages
    to_render = []
    for page in pages:
        if cache.pages.get(page.output) != keys[page.output] or not output.reuse(
            out / page.output, page.output
        ):
            to_render.append(page)
    return to_render


def static_files(config: SiteConfig) -> set[str]:
    """The output paths of the site's static files (as copy_assets writes them)."""
    static = config.folder("static")
    return {path.relative_to(static).as_posix() for path in site_files(static, site=config.root)}


def copy_assets(config: SiteConfig, output: StagedOutput) -> int:
    count = output.copy_tree(THEME_DIR / "static", "assets")
    static = config.folder("static")
    # only what the listing accepts: no link out of the site, no device or pipe
    count += output.copy_tree(static, files=site_files(static, site=config.root))
    return count


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    started = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a build makes millions of small objects and frees them all at the end
    try:
        return _build(options, progress, started)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(options: BuildOptions, progress: Progress | None, started: float) -> BuildResult:
    cache_store = BuildCache(None if options.no_cache else options.site.resolve() / CACHE_DIR)
    cache = cache_store.data
    site = load_site(options, progress, cache)
    out = (options.out.expanduser() if options.out else site.config.folder("output")).resolve()
    diags = Diagnostics(root=site.config.root)
    check_output_folder(out, site.config, diags)
    if diags.errors:
        raise _fail(diags)
    program = search_program(site.config)
    # A file in static/ wins over a generated page of the same path (your own robots.txt or
    # 404.html): that page is neither rendered nor cached, and the file is copied as it is.
    static = static_files(site.config)
    pages = [page for page in site.pages if page.output not in static]
    keys = page_keys(site, options.drafts)
    keys = {page.output: keys[page.output] for page in pages}
    output = StagedOutput(out)
    search_seconds = 0.0
    try:
        to_render = _reuse_pages(pages, keys, cache, out, output)
        rendered = write_pages(site.render, to_render, output, Workers.of(options, progress))
        if program is not None:
            days = [page.output for page in pages if is_indexed(page.kind, page.key)]
            # no page yet: Pagefind needs some page, and the search page its scripts
            glob = search_pages_glob(site.config.permalinks.briefing) if days else "**/*.html"
            search_keys, search_seconds = _index(program, days, glob, keys, cache, out, output)
            keys.update(search_keys)
        assets = copy_assets(site.config, output)
        output.commit()
    except BaseException:
        output.discard()
        raise
    try:
        if site.cache_folder is not None:
            cache_store.save(CacheData(site.entries, str(out), keys))
    except OSError as exc:  # the site is built; the next build will just do more work
        message = f"cannot write the build cache ({exc.strerror or exc})"
        site.warnings.append(Diagnostic(CACHE_DIR, None, message, "warning"))
    return BuildResult(
        out, len(site.pages), rendered, assets, time.perf_counter() - started, site.warnings,
        search_seconds,
    )  # fmt: skip


# The search index's keys are kept with the page keys, under names no page can have: one
# over the day pages' keys (known before rendering), one over their bytes (after).
SEARCH_INDEX = "pagefind/"
SEARCH_INDEX_BY_KEYS = "pagefind/#keys"


def search_program(config: SiteConfig) -> Path | None:
    """Pagefind's program when search is on; a missing one is an error before any output."""
    if not config.search.enabled:
        return None
    program = pagefind_program()
    if program is None:
        message = (
            "search is on ([search] enabled = true) but Pagefind is not installed: "
            "pip install 'pagefind[bin]', or set enabled = false"
        )
        raise SitegenError([Diagnostic("site.toml", None, message)])
    return program


def _index(
    program: Path, days: list[str], glob: str, keys: dict[str, str], cache: CacheData,
    out: Path, output: StagedOutput,
) -> tuple[dict[str, str], float]:  # fmt: skip
    """Index the day pages with Pagefind, or link the previous index when the day pages are
    the same: by their keys (nothing to read), else by their bytes (an edit of an actor's
    profile or of another page's template re-renders day pages without changing them).
    Returns the keys to remember and the seconds Pagefind took (0 when reused)."""
    previous = cache.pages if cache.output == str(out) else {}
    by_keys = index_key(program, glob, sorted(keys[day] for day in days))
    bundle = output.staging / SEARCH_INDEX
    if previous.get(SEARCH_INDEX_BY_KEYS) == by_keys and SEARCH_INDEX in previous:
        if reuse_index(out, output):
            return {SEARCH_INDEX_BY_KEYS: by_keys, SEARCH_INDEX: previous[SEARCH_INDEX]}, 0.0
        shutil.rmtree(bundle, ignore_errors=True)
    by_bytes = index_key(program, glob, pages_digest(output.staging, days))
    remember = {SEARCH_INDEX_BY_KEYS: by_keys, SEARCH_INDEX: by_bytes}
    if previous.get(SEARCH_INDEX) == by_bytes:
        if reuse_index(out, output):
            return remember, 0.0
        shutil.rmtree(bundle, ignore_errors=True)
    try:
        return remember, run_pagefind(program, output.staging, glob)
    except (SearchIndexError, OSError, subprocess.SubprocessError) as exc:
        message = f"search index: Pagefind failed: {exc}"
        raise SitegenError([Diagnostic(str(output.target), None, message)]) from None
