"""Incremental rebuilds for `sitegen serve`: the site stays in memory between rebuilds, only
changed files are read again, and only pages whose content changed are rendered and written.

A rebuild loads the site with `build.load_site`, reusing the in-memory entry of every
briefing file whose stat and actor lookups are unchanged (so only edited files are parsed),
and compares the new site with the previous one. A page is rendered again when
- it is new, or planned differently (URL, template, key or `deps`),
- one of its `deps` changed value (`build.dependency_values`, as for the build cache),
- a template it uses changed (its `extends`, `include` and `import`s, followed), or
- the settings changed (`build.site_digest`): then every page is.
Pages that disappeared are deleted. tests/test_serve.py checks the result against clean
builds after a scripted sequence of edits.

Loading a 10,000-day site still takes a second or so, so an edit of one briefing that keeps
its date, slug and draft flag first gets a fast path: its day page is rendered from the
previous site with that one briefing swapped in, and put in place at once, so what the editor
looks at follows the save within a blink. The full comparison then renders every affected
page, that one included (it is only written again if its bytes differ).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import meta

from sitegen.build import (
    BuildOptions,
    Site,
    Workers,
    copy_assets,
    dependency_values,
    load_site,
    read_briefings,
    search_program,
    site_digest,
    write_pages,
)
from sitegen.cache import CACHE_DIR, BriefingEntry, BuildCache, CacheData, digest
from sitegen.diagnostics import Diagnostic, SitegenError
from sitegen.output import InPlaceOutput
from sitegen.render import make_environment
from sitegen.routes import Page
from sitegen.search import BUNDLE, is_indexed, make_reproducible, search_pages_glob

OnCommit = Callable[[list[str]], None]  # the files just put in place (site-relative)
Interrupt = Callable[[], Collection[Path]]  # the files changed since the rebuild started
SLICE = 1000  # pages rendered between two looks at new changes
PARALLEL = 3000  # from this many pages, render in worker processes (forking a big process,
# and collecting all its garbage afterwards, costs more than it saves below)
SEARCH_QUIET = 3.0  # seconds without a change before the search index is made again
_SERIAL = Workers(jobs=1, min_parallel=1 << 30)


@dataclass(frozen=True)
class Templates:
    """What each page template pulls in, and a digest of every template's source."""

    sources: dict[str, str | None]  # template name -> digest of its source (None: missing)
    uses: dict[str, frozenset[str] | None]  # page template -> all it uses; None: unknown

    @classmethod
    def scan(
        cls, env: jinja2.Environment, page_templates: Iterable[str], parsed: _Parsed
    ) -> Templates:
        """`parsed` remembers what each source refers to: parsing is the slow part."""
        sources: dict[str, str | None] = {}
        refs: dict[str, frozenset[str] | None] = {}
        for name in page_templates:
            _visit(env, name, sources, refs, parsed)
        return cls(sources, {name: _closure(name, refs) for name in page_templates})

    def changed_since(self, before: Templates) -> set[str]:
        names = self.sources.keys() | before.sources.keys()
        return {n for n in names if self.sources.get(n, "?") != before.sources.get(n, "?")}

    def affects(self, template: str, changed: set[str]) -> bool:
        if not changed:
            return False
        used = self.uses.get(template)
        return used is None or not used.isdisjoint(changed)


_Parsed = dict[str, frozenset[str] | None]  # source digest -> the templates it refers to


def _visit(
    env: jinja2.Environment,
    name: str,
    sources: dict[str, str | None],
    refs: dict[str, frozenset[str] | None],
    parsed: _Parsed,
) -> None:
    if name in sources:
        return
    assert env.loader is not None
    try:
        source = env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        sources[name], refs[name] = None, frozenset()
        return
    except jinja2.TemplateError as error:  # e.g. not UTF-8: rendering will report it
        sources[name], refs[name] = digest("unreadable", str(error)), None
        return
    sources[name] = key = digest(source)
    if key not in parsed:
        try:
            found = list(meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            found = [None]  # rendering reports it; until then, assume it uses anything
        parsed[key] = None if None in found else frozenset(n for n in found if n is not None)
    refs[name] = parsed[key]
    for other in refs[name] or ():
        _visit(env, other, sources, refs, parsed)


def _closure(name: str, refs: dict[str, frozenset[str] | None]) -> frozenset[str] | None:
    seen, todo = {name}, [name]
    while todo:
        used = refs.get(todo.pop())
        if used is None:
            return None  # a name computed at render time, or a syntax error
        todo.extend(used - seen)
        seen |= used
    return frozenset(seen)


@dataclass
class Snapshot:
    """The last site that was built without errors, and what it was built from."""

    site: Site
    values: dict[tuple, str]  # dependency -> value
    digest: str  # settings and span of days
    templates: Templates
    static: frozenset[str]  # files copied from the static folders
    pages: dict[str, Page] = field(init=False)  # by output file
    day_pages: dict[str, Page] = field(init=False)  # by briefing file
    index: dict[str, int] = field(init=False)  # briefing file -> index in the model

    def __post_init__(self) -> None:
        self.pages = {page.output: page for page in self.site.pages}
        self.day_pages = {p.sources[0]: p for p in self.site.pages if p.kind == "day"}
        self.index = {str(b.path): i for i, b in enumerate(self.site.model.briefings)}


@dataclass
class Rebuild:
    pages: int  # pages of the site
    rendered: list[str]  # the pages rendered (by output file)
    written: list[str]  # files put in place (their bytes changed)
    removed: list[str]  # files deleted
    seconds: float
    first_seconds: float | None  # until the first pages (edited, on screen) were in place
    warnings: list[Diagnostic]  # warnings that the previous build did not have


class LiveBuild:
    """The site of a `serve` session, rebuilt into `output` after every change."""

    def __init__(
        self, options: BuildOptions, output: InPlaceOutput, search_quiet: float = SEARCH_QUIET
    ) -> None:
        self.options = options
        self.output = output
        self.search_quiet = search_quiet
        self.search_stale = True  # the preview's search index does not match its day pages
        self._search: tuple[Path | None, str] = (None, "")  # Pagefind and its glob
        self.snapshot: Snapshot | None = None
        self.failed = False  # the last rebuild failed: the preview is the snapshot
        self.env: jinja2.Environment | None = None
        self._fresh: set[str] = set()  # written by the fast path for later changes
        self._parsed: _Parsed = {}
        # The newest entry of every briefing file, seeded from the build cache if there is one.
        cache = BuildCache(options.site.resolve() / CACHE_DIR)
        self.entries: dict[str, BriefingEntry] = dict(cache.data.briefings)

    @property
    def root(self) -> Path:
        return self.output.target

    def rebuild(
        self,
        changed: Collection[Path] = (),
        viewed: Collection[str] = (),
        on_commit: OnCommit | None = None,
        interrupt: Interrupt | None = None,
    ) -> Rebuild:
        """Bring the preview up to date, or raise SitegenError when the site has errors.

        `changed`: the files reported changed; `viewed`: output files open in a browser,
        written first. Between its stages the rebuild calls `interrupt`, which returns the
        files changed since it started: their day pages are put in place at once (the fast
        path), and the caller must rebuild again for the rest.
        """
        started = time.perf_counter()
        written: list[str] = []

        def notify(files: list[str]) -> None:
            written.extend(files)
            if on_commit is not None:
                on_commit(files)

        self._fresh = set()
        gc_was_enabled = gc.isenabled()
        gc.disable()  # loading makes many small objects that live long: see build.build
        try:
            early = [] if self.failed else self._edited_days(changed, notify)
            first = time.perf_counter() - started if early else None
            result = self._update(set(viewed) | set(early), notify, interrupt, started, first)
            result.written = [name for name in written if name not in result.removed]
        except BaseException:
            self.output.discard()
            self.failed = True
            raise
        finally:
            if gc_was_enabled:
                gc.enable()
            # The site lives on: freeze it, so that the collector does not scan it again.
            # Worker pools (build._run) unfreeze everything, old garbage too: then sweep all.
            gc.collect(1 if gc.get_freeze_count() else 2)
            gc.freeze()
        self.failed = False
        return result

    # ---- the fast path: edited briefings' day pages from the previous site

    def _edited_days(self, changed: Collection[Path], notify: OnCommit) -> list[str]:
        snap = self.snapshot
        if snap is None or not changed:
            return []
        site = snap.site
        folder = site.config.folder("content") / "briefings"
        changed = [p for p in changed if p.suffix == ".md" or p.exists()]  # not temporary files
        if any(p.suffix != ".md" or folder not in p.parents for p in changed):
            return []  # settings, actors, templates or static files: only the full path
        known = [p for p in changed if str(p) in site.entries and p.is_file()]
        if not known:
            return []
        root = self.options.site.resolve()
        entries = read_briefings(
            known, site.model.lookup, site.config, root, CacheData(self.entries), _SERIAL
        )
        self.entries.update(entries)
        briefings = list(site.model.briefings)
        block_html = list(site.render.block_html)
        pages = []
        for path, entry in entries.items():
            index, new = snap.index.get(path), entry.briefing
            if index is None or new is None or entry.key == site.entries[path].key:
                continue  # a draft, a file with errors (reported by the full path), no change
            old = briefings[index]
            if (new.date, new.slug, new.draft) != (old.date, old.slug, old.draft):
                continue  # it moves: only the full path knows where to
            new.url = old.url
            briefings[index], block_html[index] = new, entry.html
            pages.append(snap.day_pages[path])
        if not pages:
            return []
        model = dataclasses.replace(site.model, briefings=briefings)
        ctx = dataclasses.replace(site.render, model=model, block_html=block_html)
        write_pages(ctx, pages, self.output, _SERIAL, self.env)
        notify(self.output.commit(p.output for p in pages))
        return [p.output for p in pages]

    def _check(self, interrupt: Interrupt | None, notify: OnCommit) -> bool:
        """Serve the edits made since this rebuild started by the fast path; True if any.
        The pages it writes are newer than this rebuild's: it must not overwrite them."""
        if interrupt is None or not (changed := interrupt()):
            return False
        if not self.failed:
            self._fresh.update(self._edited_days(changed, notify))
        return True

    def _commit(self, pages: list[Page], notify: OnCommit) -> None:
        """Put rendered pages in place, except those the fast path wrote meanwhile (newer)."""
        names = []
        for page in pages:
            if page.output in self._fresh:
                (self.output.staging / page.output).unlink(missing_ok=True)
            else:
                names.append(page.output)
        notify(self.output.commit(names))

    # ---- the full path

    def _update(
        self,
        first: set[str],
        notify: OnCommit,
        interrupt: Interrupt | None,
        started: float,
        first_seconds: float | None,
    ) -> Rebuild:
        old = self.snapshot
        site = load_site(self.options, None, CacheData(self.entries))
        self.entries = dict(site.entries)
        program = search_program(site.config)  # missing when search is on: an error, as in build
        self._check(interrupt, notify)
        if self.env is None or old is None or old.site.config != site.config:
            self.env = make_environment(site.config)
        templates = Templates.scan(self.env, {p.template for p in site.pages}, self._parsed)
        if old is not None and templates.changed_since(old.templates):
            self.env = make_environment(site.config)  # it has compiled the old ones
        self.output.copied = set()
        copy_assets(site.config, self.output)
        new = Snapshot(
            site,
            dependency_values(site),
            site_digest(site, self.options.drafts),
            templates,
            frozenset(self.output.copied),
        )
        dirty, removed = _compare(old, new)
        # The pages on screen first, in place at once; then the others, staged in slices
        # (a change that comes in meanwhile gets the fast path between two slices) and put
        # in place together once all of them rendered without error.
        head = [p for p in dirty if p.output in first]
        rest = [p for p in dirty if p.output not in first]
        if head:
            self._check(interrupt, notify)
            write_pages(site.render, head, self.output, _SERIAL, self.env)
            self._commit(head, notify)
            first_seconds = first_seconds or time.perf_counter() - started
        workers = Workers.of(self.options, None) if len(rest) >= PARALLEL else _SERIAL
        for start in range(0, len(rest), SLICE):
            self._check(interrupt, notify)
            write_pages(site.render, rest[start : start + SLICE], self.output, workers, self.env)
        self._commit(rest, notify)
        self.output.remove(removed)
        if removed:
            notify(removed)
        before = set(old.site.warnings) if old else set()
        self.snapshot = new
        days = {o for o, p in (old.pages.items() if old else ()) if is_indexed(p.kind, p.key)}
        if any(is_indexed(p.kind, p.key) for p in dirty) or days.intersection(removed):
            self.search_stale = True
        has_days = any(is_indexed(page.kind, page.key) for page in site.pages)
        # as build does: no page yet, and Pagefind needs some page, the search page its scripts
        glob = search_pages_glob(site.config.permalinks.briefing) if has_days else "**/*.html"
        self._search = (program, glob)
        return Rebuild(
            len(site.pages),
            [page.output for page in dirty],
            [],  # filled in by rebuild
            removed,
            time.perf_counter() - started,
            first_seconds,
            [w for w in site.warnings if w not in before],
        )

    # ---- the search index

    def index_search(
        self, interrupt: Interrupt | None = None, on_commit: OnCommit | None = None
    ) -> float | None:
        """After a rebuild: index its day pages with Pagefind as `build` does, once changes
        have paused for `search_quiet` seconds (it takes seconds on a large site). A change
        meanwhile gets the fast path and postpones the index: the caller rebuilds, then
        calls this again. Returns the seconds Pagefind took, None when it did not run."""
        notify = on_commit or (lambda files: None)
        program, glob = self._search
        bundle = self.root / BUNDLE
        if self.snapshot is None or self.failed:
            return None
        if program is None:  # search is off
            if bundle.exists():
                self.output.remove(_files(bundle, self.root))
            return None
        if not self.search_stale and (bundle / "pagefind-entry.json").is_file():
            return None
        deadline = time.monotonic() + self.search_quiet
        while time.monotonic() < deadline:
            if self._check(interrupt, notify):
                return None
            time.sleep(0.05)
        started = time.perf_counter()
        staged = self.output.staging / BUNDLE
        shutil.rmtree(staged, ignore_errors=True)
        # search.run_pagefind's command, writing elsewhere, and in the background: it can
        # take seconds, and a new change must not wait for it.
        command = [str(program), "--site", ".", "--output-path", str(staged), "--glob", glob,
                   "--silent"]  # fmt: skip
        with tempfile.TemporaryFile("w+") as errors:
            process = subprocess.Popen(
                command, cwd=self.root, stdout=subprocess.DEVNULL, stderr=errors, text=True
            )
            while process.poll() is None:
                if self._check(interrupt, notify):
                    process.kill()
                    process.wait()
                    shutil.rmtree(staged, ignore_errors=True)
                    return None
                time.sleep(0.02)
            errors.seek(0)
            problem = errors.read().strip()
        if process.returncode != 0:
            shutil.rmtree(staged, ignore_errors=True)
            lines = problem.splitlines() or [f"exit status {process.returncode}"]
            message = f"search index: Pagefind failed: {lines[-1]}"
            raise SitegenError([Diagnostic(str(self.root), None, message)])
        make_reproducible(staged)
        new = _files(staged, self.output.staging)
        # The entry file last: until it changes, it names the old files, which stay till then.
        new.sort(key=lambda name: name.endswith("pagefind-entry.json"))
        notify(self.output.commit(new))
        self.output.remove(set(_files(bundle, self.root)) - set(new))
        self.search_stale = False
        return time.perf_counter() - started


def _files(folder: Path, base: Path) -> list[str]:
    """Every file under folder, relative to base."""
    return [
        (Path(dirpath, name).relative_to(base)).as_posix()
        for dirpath, _dirnames, filenames in os.walk(folder)
        for name in filenames
    ]


def _compare(old: Snapshot | None, new: Snapshot) -> tuple[list[Page], list[str]]:
    """The pages to render and the files to delete to turn the old preview into the new."""
    shadowed = new.static  # a static file takes the place of a page, as in `build`
    pages = [p for p in new.site.pages if p.output not in shadowed]
    if old is None or old.digest != new.digest:
        dirty = pages
    else:
        names = old.values.keys() | new.values.keys()
        deps = {d for d in names if old.values.get(d) != new.values.get(d)}
        templates = new.templates.changed_since(old.templates)
        dirty = [
            page
            for page in pages
            if old.pages.get(page.output) != page
            or page.output in old.static
            or not page.deps.isdisjoint(deps)
            or new.templates.affects(page.template, templates)
            or old.templates.affects(page.template, templates)
        ]
    gone: set[str] = set()
    if old is not None:
        gone = (old.pages.keys() | old.static) - new.pages.keys() - shadowed
    return dirty, sorted(gone)
