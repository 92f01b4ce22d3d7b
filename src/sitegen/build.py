"""Build: the pipeline config -> load -> model -> routes -> render -> output.

Everything is validated before the output folder is touched; pages are rendered by a pool of
forked workers (both cores) into a staging folder that replaces the output only on success.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.config import SiteConfig, load_config
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.model import Briefing, SiteModel, assemble_model, build_briefing, build_registry
from sitegen.output import StagedOutput, check_output_folder
from sitegen.render import (
    THEME_DIR,
    PageRenderer,
    RenderContext,
    TemplateProblem,
    make_environment,
    make_markdown,
    render_briefing_html,
)
from sitegen.routes import Page, plan_pages
from sitegen.source import load_file, load_files, markdown_files
from sitegen.urls import Urls

Progress = Callable[[str, int, int], None]  # (stage, done, total)
PARALLEL_THRESHOLD = 200  # pages; below this, forking costs more than it saves


@dataclass
class BuildOptions:
    site: Path = Path(".")
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    jobs: int = 0  # 0: one per core


@dataclass
class Site:
    """A loaded, validated site: what every command needs before it renders."""

    config: SiteConfig
    model: SiteModel
    urls: Urls
    pages: list[Page]
    render: RenderContext
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass
class BuildResult:
    output: Path
    pages: int
    assets: int
    seconds: float
    warnings: list[Diagnostic]


def _fail(diags: Diagnostics) -> SitegenError:
    return SitegenError(sorted(diags.errors) + sorted(diags.warnings))


def load_site(options: BuildOptions, progress: Progress | None = None) -> Site:
    """Read, validate and convert everything; raise SitegenError listing every problem.

    Briefings are parsed and their Markdown converted in one pass per file, spread over
    worker processes: together that is most of the work of a build.
    """
    root = options.site.resolve()
    diags = Diagnostics(root=root)
    config = load_config(options.site, diags)
    if config is None:
        raise _fail(diags)
    if options.base_url:
        config = config.with_base_url(options.base_url)
    content = config.folder("content")
    urls = Urls(config.base_path, config.permalinks.briefing)
    actors, lookup = build_registry(load_files(markdown_files(content / "actors"), diags), diags)
    paths = markdown_files(content / "briefings")
    _shared.update(config=config, lookup=lookup, urls=urls, paths=paths, root=root)
    try:
        jobs = options.jobs or os.cpu_count() or 1
        chunks = _run(_briefing_chunk, _chunks(len(paths), 200), jobs, "reading", progress)
    finally:
        _shared.clear()
    briefings, html_by_path = [], {}
    for result in chunks:
        for briefing, html, found in result:
            diags.items.extend(found)
            if briefing is not None:
                briefings.append(briefing)
                html_by_path[briefing.path] = html
    model = assemble_model(actors, lookup, briefings, include_drafts=options.drafts)
    pages = plan_pages(model, config, urls, diags)
    if options.strict:
        diags.promote_warnings()
    if diags.errors:
        raise _fail(diags)
    renderer = make_markdown(config, lookup, urls)
    profiles = {a.slug: renderer.render(a.profile) for a in actors}
    block_html = [html_by_path[b.path] for b in model.briefings]
    ctx = RenderContext(config, model, urls, block_html, profiles)
    return Site(config, model, urls, pages, ctx, sorted(diags.warnings))


# --------------------------------------------------------------------------- workers
# Work is handed to forked workers through this module global: set just before the pool
# forks, inherited by the children, never pickled.
_shared: dict[str, Any] = {}


def _briefing_chunk(indexes: Sequence[int]) -> list[tuple[Briefing | None, list[str], list]]:
    """Load, check and convert some briefing files (in a worker)."""
    config, lookup, urls = _shared["config"], _shared["lookup"], _shared["urls"]
    renderer = make_markdown(config, lookup, urls)
    results = []
    for index in indexes:
        diags = Diagnostics(root=_shared["root"])
        source = load_file(_shared["paths"][index], diags)
        briefing = build_briefing(source, lookup, diags) if source else None
        html = render_briefing_html(renderer, briefing) if briefing else []
        results.append((briefing, html, diags.items))
    return results


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


def _chunks(count: int, size: int) -> list[range]:
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _run(
    task: Callable, chunks: list[range], jobs: int, stage: str, progress: Progress | None
) -> list:
    """Run task over chunks, in forked workers when it pays, reporting progress."""
    total = sum(len(c) for c in chunks)
    results, done = [], 0
    if jobs <= 1 or total < PARALLEL_THRESHOLD:
        iterator = map(task, chunks)
        pool = None
    else:
        gc.freeze()  # keep the children from copying pages just to update gc headers
        pool = multiprocessing.get_context("fork").Pool(jobs)
        iterator = pool.imap(task, chunks)
    try:
        for chunk, result in zip(chunks, iterator, strict=True):
            results.append(result)
            done += len(chunk)
            if progress:
                progress(stage, done, total)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            gc.unfreeze()
    return results


def write_pages(
    ctx: RenderContext,
    pages: list[Page],
    output: StagedOutput,
    jobs: int,
    progress: Progress | None = None,
) -> int:
    renderer = PageRenderer(ctx, make_environment(ctx.config))
    _shared.update(renderer=renderer, output=output, pages=pages)
    try:
        results = _run(_render_chunk, _chunks(len(pages), 100), jobs, "pages", progress)
    finally:
        _shared.clear()
    problems: dict[tuple, Diagnostic] = {}
    for _, found in results:
        for d in found:
            problems.setdefault((d.path, d.line), d)
    if problems:
        raise SitegenError(sorted(problems.values()))
    return sum(written for written, _ in results)


def copy_assets(config: SiteConfig, output: StagedOutput) -> int:
    count = output.copy_tree(THEME_DIR / "static", "assets")
    static = config.folder("static")
    if static.is_dir():
        count += output.copy_tree(static)
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
    site = load_site(options, progress)
    out = (options.out or site.config.folder("output")).resolve()
    diags = Diagnostics(root=site.config.root)
    check_output_folder(out, site.config, diags)
    if diags.errors:
        raise _fail(diags)
    jobs = options.jobs or os.cpu_count() or 1
    output = StagedOutput(out)
    try:
        pages = write_pages(site.render, site.pages, output, jobs, progress)
        assets = copy_assets(site.config, output)
        output.commit()
    except BaseException:
        output.discard()
        raise
    return BuildResult(out, pages, assets, time.perf_counter() - started, site.warnings)
