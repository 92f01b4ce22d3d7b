"""Build: `sitegen build`, the site into its output folder, doing only what changed.

    config -> output lock -> scan -> load (parse, model, plan) -> keys -> render -> assets
           -> search -> commit -> cache

Every stage reads and writes through its own module: changes.py says what changed (and
whether anything did: then the build stops after the scan), load.py reads and validates,
workers.py renders in parallel, search.py indexes, output.py writes the output in place,
cache.py keeps what the next build needs. Nothing in the output changes until everything
was made without error.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sitegen.cache import (
    CACHE_DIR,
    Briefings,
    BuildCache,
    OutputRecord,
    PlanRecord,
    SourceState,
    damaged,
    prepare_folder,
)
from sitegen.changes import Scan, inputs_digest, plan_keys, settings_digest
from sitegen.config import SiteConfig, load_config, override_base_url
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.keys import content_hash, digest
from sitegen.load import (
    BODIES_IN_MEMORY,
    BuildOptions,
    Site,
    Sources,
    load_site,
    lookup_digest,
    make_repair,
)
from sitegen.output import (
    LinkedFolder,
    OutputError,
    OutputFolder,
    UnwritableFolder,
    Waiting,
    check_output_folder,
)
from sitegen.render import PageRenderer, own_template_at_fault
from sitegen.routes import Page, briefings_shown
from sitegen.search import (
    BUNDLE,
    BUNDLES_FILE,
    ENTRY,
    RUNS_PER_CORE,
    SCRIPTS,
    Indexing,
    SearchIndexError,
    bundles_json,
    index_failure,
    partition_key,
    plan_partitions,
    program_identity,
    search_program,
)
from sitegen.source import read_regular
from sitegen.workers import Progress, Rendered, Workers, chunks_of, render_chunk, run

STAGES = ("scan", "parse", "model", "plan", "render", "write", "search")
__all__ = ["BuildOptions", "BuildResult", "build"]


@dataclass
class BuildResult:
    output: Path
    pages: int
    rendered: int  # pages rendered anew; the others were unchanged
    written: int  # files whose bytes changed (or were deleted) in the output
    assets: int
    seconds: float
    warnings: list[Diagnostic]
    search_seconds: float = 0.0  # time Pagefind took; 0 when off or nothing to re-index
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage (STAGES)


class Clock:
    """Seconds per stage of a build (`sitegen build --timings`, bench/run.py)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._stage, self._since = "scan", self.started

    def stage(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[self._stage] += now - self._since
        self._stage, self._since = name, now

    def stop(self) -> dict[str, float]:
        self.stage(self._stage)
        return self.seconds


def _fail(diags: Diagnostics) -> SitegenError:
    return SitegenError(sorted(diags.errors) + sorted(diags.warnings))


def build(
    options: BuildOptions, progress: Progress | None = None, waiting: Waiting | None = None
) -> BuildResult:
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a build makes millions of small objects and frees them all at the end
    try:
        return _build(options, progress, waiting)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(
    options: BuildOptions, progress: Progress | None, waiting: Waiting | None
) -> BuildResult:
    clock = Clock()
    root = options.site.resolve()
    diags = Diagnostics(root=root)
    # site.toml's bad values become defaults, so that content and templates are checked too
    config = load_config(options.site, diags, best_effort=True)
    if config is None:
        raise _fail(diags)
    if options.base_url is not None:  # '--base-url ""' is a mistake to report, not 'unset'
        config = override_base_url(config, options.base_url, diags)
    given = options.out.expanduser() if options.out else config.root / config.paths.output
    out = given.resolve()
    if not _refuse_the_cache(out, root, diags):
        check_output_folder(out, config, diags, given)
    if diags.errors:
        raise _check_the_rest(options, config, diags)
    program = search_program(config)
    cache, cache_problem = _open_cache(root, options.no_cache)
    output = OutputFolder(out)

    def say_waiting(message: str) -> None:
        if waiting is not None:
            waiting(Diagnostic(_shown(out), None, message, "warning").format())

    try:
        output.open(say_waiting)
    except OutputError as exc:
        message = f"cannot write the output folder: {exc}"
        raise SitegenError([Diagnostic(_shown(out), None, message)]) from None
    try:
        result = Build(options, config, out, program, cache, output, progress, clock).run(diags)
    except BaseException:
        output.close(failed=True)
        raise
    output.close()
    if cache_problem:
        result.warnings.append(cache_problem)
    return result


def _refuse_the_cache(out: Path, root: Path, diags: Diagnostics) -> bool:
    """An output inside the build cache would go with it: the cache is deleted by hand
    (it only saves time) and tidied by builds. True when refused."""
    cache = (root / CACHE_DIR).resolve()
    if out != cache and cache not in out.parents:
        return False
    message = f"refusing to use this output folder: it is inside the build cache ({cache})"
    diags.error(str(out), None, message)
    return True


def _check_the_rest(options: BuildOptions, config: SiteConfig, diags: Diagnostics) -> SitegenError:
    """The configuration has errors (in `diags`): check the content and the templates too,
    without the output folder or the cache, so that one run reports every problem."""
    sources = Sources.of(config, diags)
    workers = Workers.of(options.jobs, options.min_parallel)
    try:
        load_site(config, sources, Scan.of(sources.all()), SourceState(), Briefings(), workers,
                  options.drafts, options.strict, diags=diags)  # fmt: skip
    except SitegenError as error:
        return error
    return _fail(diags)


def _open_cache(root: Path, off: bool) -> tuple[BuildCache, Diagnostic | None]:
    """The site's cache, ready for writing; or none and a warning when it cannot be. The
    cache only saves time: the build goes on without it (even with --strict, which is about
    the content)."""
    if off:
        return BuildCache(None, root), None
    try:
        replaced = prepare_folder(root / CACHE_DIR)
    except OSError as exc:
        message = f"cannot write the build cache ({exc.strerror or exc}); building without it"
        return BuildCache(None, root), Diagnostic(CACHE_DIR, None, message, "warning")
    cache = BuildCache(root / CACHE_DIR, root)
    cache.problems += [damaged(root, path, "not a folder") for path in replaced]
    return cache, None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Build:
    """One build into a locked output folder."""

    def __init__(
        self, options: BuildOptions, config: SiteConfig, out: Path, program: Path | None,
        cache: BuildCache, output: OutputFolder, progress: Progress | None, clock: Clock,
    ) -> None:  # fmt: skip
        self.options, self.config, self.out, self.program = options, config, out, program
        self.cache, self.output, self.clock = cache, output, clock
        self.workers = Workers.of(options.jobs, options.min_parallel, progress)
        self.files: dict[str, tuple[str, str]] = {}  # the new output: file -> (hash, page key)
        self.written = 0  # files staged or removed
        self._shadowed: set[str] = set()  # pages a static file takes the place of
        self._existing: set[str] = set()  # the output's files, when no record says what
        self._made: set[str] = set()  # the output's files that sitegen wrote
        self._listed: set[str] | None = None  # the files the output's marker lists
        self._altered: set[str] = set()  # of those, files changed or removed by someone else
        self._rendered = 0
        self._stamps_changed = False  # files found with their bytes but a new stat
        self._closures: dict[str, str] = {}  # page template -> its closure's digest

    def run(self, diags: Diagnostics) -> BuildResult:
        sources = Sources.of(self.config, diags)  # what the listing refuses: errors
        scan = Scan.of(sources.all())
        state = self.cache.load_sources()
        record = self.cache.load_output(self.out)
        if record is not None and record.generation != self.output.generation:
            record = None  # the output is not what the record says (a killed build...)
        if record is not None:
            self._made = self._listed = set(record.files)  # what the marker lists, too
            record = self._without_altered(record)
        else:
            self._existing = self.output.existing_files()
            self._listed = self.output.made_files()
            made = self._listed
            self._made = self._existing if made is None else made & self._existing
        settings = self._settings()
        listed = not diags.errors  # else load_site reports what the listing refused
        if (
            record is not None and listed and not self._altered
            and _nothing_changed(scan, state, record, settings)
        ):  # fmt: skip
            return self._unchanged(record, sources, diags)
        self.clock.stage("parse")
        known = self.cache.load_briefings()
        store = self.cache.bodies
        planned = self.cache.load_plan(self.out, record.generation) if record else None
        site = load_site(
            self.config, sources, scan, state, known, self.workers, self.options.drafts,
            self.options.strict, store, diags, self.cache.templates, planned, self.clock.stage,
        )  # fmt: skip
        if store is not None:
            store.repair = make_repair(site)
        self.clock.stage("plan")
        pages = self._render_pages(site, sources, record)
        self.clock.stage("write")
        assets = self._assets(site, sources, record)
        if self.program is not None:
            self.clock.stage("search")
            search_keys, search_seconds = self._search(site, pages, record)
        else:
            search_keys, search_seconds = {}, 0.0
        self.clock.stage("write")
        removed = self._made - self.files.keys()
        self.written += len(removed)
        hashes = {name: known[1] for name, known in site.sources.files.items()}
        inputs = inputs_digest(scan, hashes, settings)
        self._refuse_replacing_others_files()
        self._commit(removed)
        stats = self._stats_after_commit(record)
        self._save(site, known, OutputRecord(self.output.generation or "", inputs, self.files,
                                             search_keys, stats, site.warnings))  # fmt: skip
        result = self._result(len(site.pages) - len(self._shadowed), self._rendered, assets)
        result.search_seconds = search_seconds
        result.warnings = [*result.warnings, *site.warnings]  # the cache's first
        return result

    def _unchanged(self, record: OutputRecord, sources: Sources, diags: Diagnostics) -> BuildResult:
        """The result of a build that found nothing changed. Its warnings are those of the
        build that made the output (the same files, the same warnings) with those of the
        settings and the listing, found again: shown as by any build, once each, and with
        --strict they fail it (the output was made by a build without it)."""
        warnings = sorted({*record.warnings, *diags.warnings})
        if self.options.strict and warnings:
            diags.items = warnings
            diags.promote_warnings()
            raise _fail(diags)
        if self._stamps_changed:  # the files' new stats, so the next build need not read them
            with contextlib.suppress(OSError):
                self.cache.save_output(self.out, record)
        page_count = sum(1 for _, key in record.files.values() if key)
        result = self._result(page_count, 0, len(sources.static))
        result.warnings = [*result.warnings, *warnings]
        return result

    def _without_altered(self, record: OutputRecord) -> OutputRecord:
        """The record without the files someone changed or removed since the last build
        (their size, mtime or ctime differ), so that they are made again."""
        now = self.output.stats(record.files)
        altered = {name for name, stat in record.stats.items() if now.get(name) != stat}
        altered -= self._restamped(altered, record, now)
        if not altered:
            return record
        self._altered = altered
        files = {name: value for name, value in record.files.items() if name not in altered}
        for name in altered:  # a search partition with a file missing is indexed again
            if name.startswith(f"{BUNDLE}/"):
                partition, _, rest = name.removeprefix(f"{BUNDLE}/").partition("/")
                files.pop(f"{BUNDLE}/{partition}/{ENTRY}" if rest else f"{BUNDLE}/pagefind.js",
                          None)  # fmt: skip
        stats = {name: record.stats[name] for name in files}
        return OutputRecord(
            record.generation, record.inputs, files, record.search, stats, record.warnings
        )

    def _restamped(
        self, altered: set[str], record: OutputRecord, now: dict[str, tuple[int, int, int]]
    ) -> set[str]:
        """Of the files whose stat changed, those that still hold the bytes sitegen wrote (an
        output restored by `rsync -a` or `cp -a`: new ctimes, the same bytes): their new
        stat goes into the record, and they are not made again. Reading them costs far less
        than rendering their pages again (a tenth of the time at 3,000 days)."""
        same: set[str] = set()
        for name in altered:
            stat = now.get(name)
            if stat is None or stat[0] != record.stats[name][0]:
                continue  # gone, or another size: changed
            try:
                data = read_regular(self.out / name)
            except OSError:
                continue
            if content_hash(data) == record.files[name][0]:
                record.stats[name] = stat
                same.add(name)
        self._stamps_changed = bool(same)
        return same

    def _refuse_replacing_others_files(self) -> None:
        """A page or static file may replace only what sitegen wrote: a file someone put in
        the output where one goes is an error, and the output is left as it is."""
        names = [name for name in self.files if name not in self._made or name in self._altered]
        try:
            blocking = self.output.in_the_way(names, self._made)
        except OSError as exc:  # a folder of the output that cannot be looked into (chmod 000)
            raise SitegenError([self._unreadable_output(exc)]) from None
        if blocking:
            message = (
                "sitegen did not write this, and the site needs its place: move it away "
                "(or into static/ to publish it); the output is unchanged"
            )
            shown = _shown(self.out)
            raise SitegenError([Diagnostic(f"{shown}/{name}", None, message) for name in blocking])

    def _unreadable_output(self, exc: OSError) -> Diagnostic:
        """The line for a part of the output that cannot be looked into: the folder that
        cannot be read or searched, rather than the file below it that was asked for."""
        path = Path(exc.filename) if isinstance(exc.filename, str) else self.out
        while (
            path != self.out
            and path.parent != path
            and not os.access(path.parent, os.R_OK | os.X_OK)
        ):
            path = path.parent
        try:
            shown = f"{_shown(self.out)}/{path.relative_to(self.out).as_posix()}".rstrip("/.")
        except ValueError:
            shown = str(path)
        return Diagnostic(shown, None, f"cannot read the output: {exc.strerror or exc}")

    def _stats_after_commit(self, record: OutputRecord | None) -> dict[str, tuple[int, ...]]:
        """Each file's size, mtime and ctime: kept for the files not written, taken anew for the
        others; a file that cannot be stat'ed gets none, and is made again next time."""
        kept = record.files if record is not None else {}
        stats: dict[str, tuple[int, ...]] = {}
        fresh = []
        for name, (hashed, _) in self.files.items():
            before = kept.get(name)
            if before is not None and before[0] == hashed and record is not None:
                stats[name] = record.stats[name]
            else:
                fresh.append(name)
        found = self.output.stats(fresh)
        stats.update({name: found.get(name, (-1,)) for name in fresh})
        return stats

    def _settings(self) -> tuple:
        """What shapes the output besides the source files."""
        program = program_identity(self.program) if self.program else None
        return (self.options.drafts, self.options.base_url, program)

    def _result(self, pages: int, rendered: int, assets: int) -> BuildResult:
        stages = self.clock.stop()
        seconds = time.perf_counter() - self.clock.started
        warnings = list(self.cache.problems)
        return BuildResult(self.out, pages, rendered, self.written, assets, seconds, warnings,
                           stages=stages)  # fmt: skip

    # ---- pages

    def _render_pages(
        self, site: Site, sources: Sources, record: OutputRecord | None
    ) -> list[Page]:
        """Render the pages whose key changed; returns the pages of the site (those a
        static file does not take the place of)."""
        # A file in static/ wins over a generated page of the same path (your own robots.txt
        # or 404.html): that page is neither rendered nor kept, and the file is copied.
        static = {output for _, output in sources.static}
        self._shadowed = {page.output for page in site.pages if page.output in static}
        pages = [page for page in site.pages if page.output not in static]
        settings = settings_digest(site.config, self.options.drafts)
        previous = record.files if record is not None else {}
        keys, self._closures = plan_keys(
            pages, site.values, site.templates, settings, site.planned, previous
        )
        to_render = []
        for page in pages:
            kept = previous.get(page.output)
            if kept is not None and kept[1] == keys[page.output]:
                self.files[page.output] = kept
            else:
                to_render.append(page)
        to_render.sort(key=_render_order)
        self.clock.stage("render")
        store = self.cache.bodies
        if store is not None and len(site.entries) > BODIES_IN_MEMORY:
            store.loaded = []  # a large site: bodies are read as pages need them, let go after
        else:
            _load_bodies(site, to_render)
        known = {output: content for output, (content, _) in previous.items()}
        # without a record, the pages are compared with the files there are, if any
        verify = record is None and bool(self._existing)
        for done in self._render(site, to_render, known, verify):
            self.files[done.output] = (done.hash, keys[done.output])
            self.written += done.staged
        self._rendered = len(to_render)
        return pages

    def _render(
        self, site: Site, pages: list[Page], known: Mapping[str, str], verify: bool
    ) -> Iterable[Rendered]:
        renderer = PageRenderer(site.render, site.env)
        if self.workers.jobs > 1 and len(pages) >= self.workers.min_parallel:
            templates = {page.template for page in pages}
            for name in list(templates):
                templates |= site.templates.uses.get(name) or frozenset()
            renderer.load_templates(templates)  # once, before the workers fork
        shared = {
            "renderer": renderer, "pages": pages, "staging": self.output.staging,
            "target": self.output.target, "known": known, "verify": verify,
            "store": self.cache.bodies,
        }  # fmt: skip
        problems: dict[tuple, Diagnostic] = {}
        done: list[Rendered] = []
        try:
            for rendered, found in run(
                render_chunk, chunks_of(len(pages), 100), self.workers, "pages", shared
            ):
                done.extend(rendered)
                for d in found:
                    if d.severity == "error":
                        problems.setdefault((d.path, d.line), d)
                    elif d not in self.cache.problems:  # a damaged body, made again
                        self.cache.problems.append(d)
        except OSError as exc:
            raise self._cannot_write(exc) from None
        if problems:
            raise SitegenError(sorted(problems.values()))
        return done

    def _cannot_write(self, exc: OSError) -> SitegenError:
        why = exc.strerror or str(exc)
        message = f"cannot write the output: {why}; the previous output is unchanged"
        return SitegenError([Diagnostic(_shown(self.out), None, message)])

    # ---- static files

    def _assets(self, site: Site, sources: Sources, record: OutputRecord | None) -> int:
        """Copy the static files whose bytes the output does not hold yet."""
        try:
            for path, relative in sources.static:
                hashed = site.sources.files[str(path)][1]
                self.files[relative] = (hashed, "")
                if not self._holds(relative, hashed, record):
                    self.output.stage_copy(path, relative)
                    self.written += 1
        except OSError as exc:
            raise self._cannot_write(exc) from None
        return len(sources.static)

    def _holds(self, relative: str, hashed: str, record: OutputRecord | None) -> bool:
        """Whether the output already holds these bytes at `relative`."""
        if record is not None:
            return record.files.get(relative, ("", ""))[0] == hashed
        return relative in self._existing and _hash_of(self.output.target / relative) == hashed

    # ---- search

    def _search(
        self, site: Site, pages: list[Page], record: OutputRecord | None
    ) -> tuple[dict[str, str], float]:
        """Index the partitions whose pages changed; returns every partition's key."""
        assert self.program is not None
        partitions = plan_partitions(pages, site.model)
        keys = {
            name: partition_key(self.program, name, {o: self.files[o][0] for o in outputs})
            for name, outputs in partitions.items()
        }
        previous = record.search if record is not None else {}
        kept = record.files if record is not None else {}
        dirty = {
            name: partitions[name]
            for name in partitions
            if previous.get(name) != keys[name] or f"{BUNDLE}/{name}/{ENTRY}" not in kept
        }
        if partitions and f"{BUNDLE}/pagefind.js" not in kept:  # Pagefind's scripts are made
            first = next(iter(partitions))  # with an index: make one again
            dirty.setdefault(first, partitions[first])
        seconds = 0.0
        if dirty:
            staging = self.output.staging
            indexing = Indexing(
                self.program, dirty, self.output.path_of, staging / ".search-scratch",
                staging / BUNDLE, RUNS_PER_CORE * self.workers.jobs,
            )  # fmt: skip
            try:
                seconds = indexing.run() or 0.0
            except (SearchIndexError, OSError) as exc:
                at_fault = partial(own_template_at_fault, site.env, config=site.config)
                failure = index_failure(exc, _shown(self.out), at_fault)
                raise SitegenError([failure]) from None
        self._bundle_files(partitions, dirty, kept)
        return keys, seconds

    def _bundle_files(
        self, partitions: Mapping[str, list[str]], dirty: Mapping[str, list[str]],
        kept: Mapping[str, tuple[str, str]],
    ) -> None:  # fmt: skip
        """Record the bundle's files: those just made (written where their bytes changed),
        and those of the partitions kept; then the list of bundles."""
        staged_bundle = self.output.staging / BUNDLE
        fresh = {
            f"{BUNDLE}/{path.relative_to(staged_bundle).as_posix()}": path
            for path in staged_bundle.rglob("*")
            if path.is_file()
        }
        for relative, path in fresh.items():
            hashed = content_hash(path.read_bytes())
            self.files[relative] = (hashed, "")
            if kept.get(relative, ("", ""))[0] == hashed:
                path.unlink()  # the output holds these bytes already
            else:
                self.written += 1
        prefixes = tuple(f"{BUNDLE}/{name}/" for name in partitions if name not in dirty)
        scripts = {f"{BUNDLE}/{name}" for name in SCRIPTS}
        for relative, value in kept.items():
            if relative.startswith(prefixes) or (relative in scripts and relative not in fresh):
                self.files[relative] = value
        tags = {name: self.files[f"{BUNDLE}/{name}/{ENTRY}"][0] for name in partitions}
        data = bundles_json(self.config.base_path, tags)
        relative = f"{BUNDLE}/{BUNDLES_FILE}"
        hashed = content_hash(data)
        self.files[relative] = (hashed, "")
        if kept.get(relative, ("", ""))[0] != hashed:
            self.output.stage_bytes(relative, data)
            self.written += 1

    # ---- committing

    def _commit(self, removed: set[str]) -> None:
        generation = digest(sorted((name, content) for name, (content, _) in self.files.items()))
        try:
            self.output.commit_all(removed, generation, self._made, self._listed, set(self.files))
        except LinkedFolder as exc:
            message = (
                "sitegen did not write this link, and the site writes a folder of pages there: "
                "move it away; the output is unchanged"
            )
            raise SitegenError([Diagnostic(_shown(exc.folder), None, message)]) from None
        except UnwritableFolder as exc:
            message = (
                "cannot write this folder of the output (its permissions, or a read-only file "
                "system); the output is unchanged"
            )
            raise SitegenError([Diagnostic(_shown(exc.folder), None, message)]) from None
        except OSError as exc:
            why = exc.strerror or str(exc)
            message = f"cannot write the output: {why}; the next build will repair it"
            raise SitegenError([Diagnostic(_shown(self.out), None, message)]) from None

    def _save(self, site: Site, known: Briefings, record: OutputRecord) -> None:
        """Keep what the next build needs; a cache that cannot be written is a warning
        (the site is built: the next build will only do more work)."""
        record.generation = self.output.generation or ""
        lookup = lookup_digest(site.model.lookup)
        entries, before = site.entries, known.entries
        changed = {name for name, entry in entries.items() if before.get(name) is not entry}
        changed |= before.keys() - entries.keys()
        changed |= {name for name in entries if known.lookups.get(name) != lookup}
        values = dict(site.values)  # (marshal writes dicts, not their subclasses)
        plan = PlanRecord(record.generation, site.plan, site.pages, values, self._closures)
        try:
            self.cache.save_output(self.out, record)
            self.cache.save_plan(self.out, plan, with_pages=site.planned is None)
            self.cache.save_sources(site.sources)
            if changed:
                self.cache.save_briefings(entries, lookup, changed)
                _forget_bodies(self.cache, entries)
        except OSError as exc:
            message = f"cannot write the build cache ({exc.strerror or exc})"
            site.warnings.append(Diagnostic(CACHE_DIR, None, message, "warning"))


# The pages that take longest to render go to the workers first (an actor's timeline page
# holds thirty days of items; a feed, its days in full), so that the build does not end
# waiting on a worker given the last of them. Pages of other kinds keep their order.
_RENDERED_FIRST = {"actor": 0, "actor-feed": 0, "feed": 0, "actor-quotes": 1}


def _render_order(page: Page) -> int:
    return _RENDERED_FIRST.get(page.kind, 2)


def _nothing_changed(scan: Scan, state: SourceState, record: OutputRecord, settings: tuple) -> bool:
    """Whether every source file is as the last build saw it (by its stat alone, which
    changes.Scan trusts only when it was taken well after the file's last write) and the
    settings are the same: then the output, which the record describes, is up to date."""
    if not scan.unchanged_since(state):
        return False
    hashes = {name: known[1] for name, known in state.files.items()}
    return record.inputs == inputs_digest(scan, hashes, settings)


def _hash_of(path: Path) -> str | None:
    try:
        return content_hash(path.read_bytes())
    except OSError:
        return None


def _load_bodies(site: Site, pages: list[Page]) -> None:
    """Read, in this process, the bodies of the briefings the pages show (their checksums
    checked, damaged ones made again), before workers fork and inherit them. (A first
    build holds every body already: the pages' 10,000 sources are not listed for nothing.)"""
    if all(entry.body_loaded for entry in site.entries.values()):
        return
    for name in sorted(briefings_shown(pages)):
        entry = site.entries.get(name)
        if entry is not None:
            _ = entry.html


def _forget_bodies(cache: BuildCache, entries: Mapping) -> None:
    """Let go of the bodies no entry names any more (their briefing changed or went)."""
    if cache.bodies is not None:
        cache.bodies.tidy(entry.key for entry in entries.values())
