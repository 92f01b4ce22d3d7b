"""Incremental rebuilds for `sitegen serve`, with the change engine `build` uses.

The site stays in memory between rebuilds. A rebuild scans the sources and loads the site
as `build` does (load.py: only changed files are read again), keys every page by what it
shows (changes.py) and renders the pages whose key changed, writing a file only when its
bytes changed (output.py). The preview's record of what each file holds plays the part of
the build's output record. tests/test_serve.py checks the result against clean builds after
a scripted sequence of edits.

Loading a 10,000-day site still takes a second or so, so an edit of one briefing that keeps
its date, slug and draft flag first gets a fast path: its day page is rendered from the
previous site with that one briefing swapped in, and put in place at once, so what the editor
looks at follows the save within a blink. The full rebuild then renders every affected page,
that one included (it is only written again if its bytes differ).

Large rebuilds render in worker processes. The server runs threads, so they come from a
`workers.Pool` (a forkserver's), never from a fork of this process.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sitegen.cache import (
    CACHE_DIR,
    BriefingEntry,
    Briefings,
    BuildCache,
    PlanRecord,
    SourceState,
)
from sitegen.changes import Scan, plan_keys, settings_digest
from sitegen.config import load_config
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.keys import content_hash
from sitegen.load import (
    BuildOptions,
    Site,
    Sources,
    load_site,
    lookup_digest,
    read_briefings,
)
from sitegen.output import OutputFolder
from sitegen.render import PageRenderer, own_template_at_fault
from sitegen.routes import Page
from sitegen.search import (
    BUNDLE,
    BUNDLES_FILE,
    ENTRY,
    Indexing,
    SearchIndexError,
    bundles_json,
    index_failure,
    partition_key,
    plan_partitions,
    search_program,
)
from sitegen.workers import SERIAL, Pool, Workers, chunks_of, render_chunk, run

OnCommit = Callable[[list[str]], None]  # the files just put in place (site-relative)
Interrupt = Callable[[], Collection[Path]]  # the files changed since the rebuild started
SLICE = 1000  # pages rendered between two looks at new changes
PARALLEL = 3000  # from this many pages, render in worker processes (sending them the site
# costs more than it saves below)
SEARCH_QUIET = 3.0  # seconds without a change before the search index is made again


@dataclass
class Snapshot:
    """The last site that was built without errors, and what it was built from."""

    site: Site
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
        self,
        options: BuildOptions,
        output: OutputFolder,
        search_quiet: float = SEARCH_QUIET,
        pool: Pool | None = None,
    ) -> None:
        self.options = options
        self.output = output
        output.target.mkdir(parents=True, exist_ok=True)
        output.discard()
        self.search_quiet = search_quiet
        self.workers = Workers(jobs=pool.jobs if pool else 1, min_parallel=PARALLEL, pool=pool)
        self.snapshot: Snapshot | None = None
        self.failed = False  # the last rebuild failed: the preview is the snapshot
        self.files: dict[str, tuple[str, str]] = {}  # the preview: file -> (hash, page key)
        self.search_keys: dict[str, str] = {}  # partitions in the preview -> their keys
        self._search: tuple[Path | None, dict[str, list[str]], dict[str, str]] = (None, {}, {})
        self._fresh: set[str] = set()  # written by the fast path for later changes
        self.state, self.entries = _seed(options.site.resolve())
        self.lookups: dict[str, str] = {}  # per briefing: the lookup its entry was checked with
        # the plan of the last whole rebuild, whose keys self.files holds (changes.plan_keys)
        self.plan: PlanRecord | None = None

    @property
    def root(self) -> Path:
        return self.output.target

    @property
    def search_stale(self) -> bool:
        _, partitions, keys = self._search
        return bool(partitions) and keys != self.search_keys

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
        names = [str(p) for p in known]
        scan = Scan.of(names)
        cached = Briefings(self.entries)
        entries, _ = read_briefings(
            names, scan, SourceState(), cached, site.model.lookup, site.config, SERIAL
        )
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
        renderer = PageRenderer(ctx, site.env)
        for page in pages:
            data = renderer.render_bytes(page)
            self.output.stage_bytes(page.output, data)
            # no key: the next whole rebuild renders it again and finds these bytes, even
            # when the edit was undone meanwhile (its key is then the old one) or that
            # rebuild's own rendering of it was not put in place (self._fresh)
            self.files[page.output] = (content_hash(data), "")
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

    def _commit(self, outputs: list[str], notify: OnCommit) -> None:
        """Put staged files in place, except those the fast path wrote meanwhile (newer)."""
        names = []
        for output in outputs:
            if output in self._fresh:
                (self.output.staging / output).unlink(missing_ok=True)
            else:
                names.append(output)
        notify(self.output.commit(names))

    # ---- the full path

    def _load(self) -> Site:
        root = self.options.site.resolve()
        diags = Diagnostics(root=root)
        # as build does: site.toml's bad values become defaults, and load_site reports them
        # with the content's and the templates' problems
        config = load_config(self.options.site, diags, best_effort=True)
        if config is None:
            raise SitegenError(sorted(diags.errors))
        sources = Sources.of(config, diags)
        scan = Scan.of(sources.all())
        site = load_site(
            config, sources, scan, self.state, Briefings(self.entries, self.lookups),
            self.workers, self.options.drafts, diags=diags, planned=self.plan,
        )  # fmt: skip
        self.state, self.entries = site.sources, site.entries
        self.lookups = dict.fromkeys(site.entries, lookup_digest(site.model.lookup))
        return site

    def _update(
        self,
        first: set[str],
        notify: OnCommit,
        interrupt: Interrupt | None,
        started: float,
        first_seconds: float | None,
    ) -> Rebuild:
        old = self.snapshot
        site = self._load()
        program = search_program(site.config)  # missing when search is on: an error, as in build
        self._check(interrupt, notify)
        static = site.listing.static
        shadowed = {output for _, output in static}
        pages = [page for page in site.pages if page.output not in shadowed]
        settings = settings_digest(site.config, self.options.drafts)
        keys, closures = plan_keys(
            pages, site.values, site.templates, settings, site.planned, self.files
        )
        self.plan = None  # until this rebuild is whole (a stopped one leaves keys of both)
        dirty = [p for p in pages if self.files.get(p.output, ("", ""))[1] != keys[p.output]]
        # The pages on screen first, in place at once; then the others, staged in slices
        # (a change that comes in meanwhile gets the fast path between two slices) and put
        # in place together once all of them rendered without error.
        head = [p for p in dirty if p.output in first]
        rest = [p for p in dirty if p.output not in first]
        new_files: dict[str, tuple[str, str]] = {}
        if head:
            self._check(interrupt, notify)
            staged = self._render(site, head, keys, new_files, SERIAL)
            self._commit(staged, notify)
            first_seconds = first_seconds or time.perf_counter() - started
        staged = []
        for start in range(0, len(rest), SLICE):
            self._check(interrupt, notify)
            staged += self._render(site, rest[start : start + SLICE], keys, new_files)
        for output in self._fresh:  # the fast path's bytes are there, not this rebuild's
            if output in self.files:
                new_files[output] = self.files[output]
        for page in pages:
            new_files.setdefault(page.output, self.files.get(page.output, ("", "")))
        staged += self._assets(site, static, new_files)
        self._commit(staged, notify)
        kept_bundle = {f: v for f, v in self.files.items() if f.startswith(f"{BUNDLE}/")}
        removed = sorted(self.files.keys() - new_files.keys() - kept_bundle.keys())
        self.output.remove(removed)
        if removed:
            notify(removed)
        self.files = {**kept_bundle, **new_files}
        before = set(old.site.warnings) if old else set()
        self.snapshot = Snapshot(site)
        self.plan = PlanRecord("", site.plan, site.pages, dict(site.values), closures)
        partitions, search_keys = {}, {}
        if program is not None:
            partitions = plan_partitions(pages, site.model)
            for name, outputs in partitions.items():
                hashes = {output: self.files[output][0] for output in outputs}
                search_keys[name] = partition_key(program, name, hashes)
        self._search = (program, partitions, search_keys)
        return Rebuild(
            len(site.pages),
            [page.output for page in dirty],
            [],  # filled in by rebuild
            removed,
            time.perf_counter() - started,
            first_seconds,
            [w for w in site.warnings if w not in before],
        )

    def _render(
        self,
        site: Site,
        pages: list[Page],
        keys: dict[str, str],
        into: dict[str, tuple[str, str]],
        workers: Workers | None = None,
    ) -> list[str]:
        """Render pages into the staging folder; returns those whose bytes changed."""
        workers = workers or self.workers
        known = {output: content for output, (content, _) in self.files.items()}
        shared: dict = {"pages": pages, "staging": self.output.staging, "target": self.root,
                        "known": known, "verify": False}  # fmt: skip
        parallel = workers.pool is not None and len(pages) >= workers.min_parallel
        if parallel:
            shared["ctx"] = _portable(site)
        else:
            shared["renderer"] = PageRenderer(site.render, site.env)
        problems: dict[tuple, Diagnostic] = {}
        staged: list[str] = []
        for done, found in run(render_chunk, chunks_of(len(pages), 100), workers, "", shared):
            for rendered in done:
                into[rendered.output] = (rendered.hash, keys[rendered.output])
                if rendered.staged:
                    staged.append(rendered.output)
            for d in found:
                problems.setdefault((d.path, d.line), d)
        if problems:
            raise SitegenError(sorted(problems.values()))
        return staged

    def _assets(
        self, site: Site, static: list[tuple[Path, str]], into: dict[str, tuple[str, str]]
    ) -> list[str]:
        staged = []
        for path, relative in static:
            hashed = site.sources.files[str(path)][1]
            into[relative] = (hashed, "")
            if self.files.get(relative, ("", ""))[0] != hashed:
                self.output.stage_copy(path, relative)
                staged.append(relative)
        return staged

    # ---- the search index

    def index_search(
        self, interrupt: Interrupt | None = None, on_commit: OnCommit | None = None
    ) -> float | None:
        """After a rebuild: index the partitions whose day pages changed with Pagefind, as
        `build` does, once changes have paused for `search_quiet` seconds. A change
        meanwhile gets the fast path and postpones the index: the caller rebuilds, then
        calls this again. Returns the seconds Pagefind took, None when it did not run."""
        notify = on_commit or (lambda files: None)
        program, partitions, keys = self._search
        if self.snapshot is None or self.failed:
            return None
        bundle_files = [f for f in self.files if f.startswith(f"{BUNDLE}/")]
        if program is None:  # search is off
            if bundle_files:
                self.output.remove(bundle_files)
                self.files = {f: v for f, v in self.files.items() if f not in bundle_files}
            return None
        if not self.search_stale:
            return None
        deadline = time.monotonic() + self.search_quiet
        while time.monotonic() < deadline:
            if self._check(interrupt, notify):
                return None
            time.sleep(0.05)
        dirty = {
            name: outputs
            for name, outputs in partitions.items()
            if self.search_keys.get(name) != keys[name]
        }
        if f"{BUNDLE}/pagefind.js" not in self.files and partitions:
            first = next(iter(partitions))
            dirty.setdefault(first, partitions[first])
        staging = self.output.staging
        indexing = Indexing(
            program, dirty, self.output.path_of, staging / ".search-scratch", staging / BUNDLE
        )
        try:
            seconds = indexing.run(lambda: self._check(interrupt, notify))
        except (SearchIndexError, OSError) as exc:
            self.output.discard()
            assert self.snapshot is not None
            site = self.snapshot.site
            at_fault = partial(own_template_at_fault, site.env, config=site.config)
            failure = index_failure(exc, str(self.root), at_fault)
            raise SitegenError([failure]) from None
        if seconds is None:
            self.output.discard()
            return None
        self._commit_bundles(partitions, dirty, keys, notify)
        return seconds

    def _commit_bundles(
        self, partitions: dict[str, list[str]], dirty: dict[str, list[str]],
        keys: dict[str, str], notify: OnCommit,
    ) -> None:  # fmt: skip
        staged_bundle = self.output.staging / BUNDLE
        fresh = {}
        for path in staged_bundle.rglob("*"):
            if path.is_file():
                fresh[f"{BUNDLE}/{path.relative_to(staged_bundle).as_posix()}"] = path
        for relative, path in fresh.items():
            self.files[relative] = (content_hash(path.read_bytes()), "")
        gone = [
            f for f in self.files
            if f.startswith(f"{BUNDLE}/") and f not in fresh
            and (f.split("/")[1] in dirty or f.split("/")[1] not in partitions)
            and f.count("/") > 1
        ]  # fmt: skip
        for name in gone:
            del self.files[name]
        tags = {name: self.files[f"{BUNDLE}/{name}/{ENTRY}"][0] for name in partitions}
        config = self.snapshot.site.config if self.snapshot else None
        data = bundles_json(config.base_path if config else "/", tags)
        self.output.stage_bytes(f"{BUNDLE}/{BUNDLES_FILE}", data)
        self.files[f"{BUNDLE}/{BUNDLES_FILE}"] = (content_hash(data), "")
        # the entry files last: until one changes, it names the old files, kept till then
        order = sorted(fresh, key=lambda name: name.endswith(ENTRY))
        notify(self.output.commit([*order, f"{BUNDLE}/{BUNDLES_FILE}"]))
        self.output.remove(gone)
        self.output.discard()
        self.search_keys = {name: keys[name] for name in partitions}


def _seed(root: Path) -> tuple[SourceState, dict[str, BriefingEntry]]:
    """What the site's build cache knows, if there is one, so that the first build of a
    session does not read every briefing again. The bodies are read at once: the cache is
    not this session's, and a build may change it meanwhile."""
    cache = BuildCache(root / CACHE_DIR, root)
    if not (root / CACHE_DIR).is_dir():
        return SourceState(), {}
    state, entries = cache.load_sources(), cache.load_briefings().entries
    try:
        for entry in entries.values():
            _ = entry.html
            if entry.briefing is not None:
                _ = entry.briefing.blocks
    except Exception:  # a cache that cannot be used only costs the first build its time
        return SourceState(), {}
    for entry in entries.values():
        entry.detach()
    if cache.bodies is not None:
        cache.bodies.close()
    return state, entries


def _portable(site: Site) -> object:
    """The render context as a worker process needs it: plain lists and dicts."""
    ctx = site.render
    return dataclasses.replace(
        ctx,
        block_html=[ctx.block_html[i] for i in range(len(ctx.block_html))],
        profile_html={slug: ctx.profile_html[slug] for slug in ctx.profile_html},
    )
