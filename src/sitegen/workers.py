"""Workers: the processes that read briefings and render pages, on every core.

`sitegen build` runs in one thread: it forks its workers when it has work for them, and
they inherit the loaded site (nothing is copied or pickled); it works on chunks itself
beside them (see `_forked`). The preview server runs threads, and a process with threads
must not fork (a child can inherit a lock that another thread held), so `serve` keeps a
`Pool` of processes started by a forkserver, a clean single-threaded process, and sends
them each job's data once, through a file.

The tasks take ranges of indexes into lists held in `_shared`, set before the work starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import marshal
import os
import pickle
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.cache import BodyStore, BriefingEntry, RecordingLookup, body_record
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.keys import content_hash
from sitegen.markup import MarkdownRenderer
from sitegen.model import build_briefing
from sitegen.render import (
    PageRenderer,
    TemplateProblem,
    make_environment,
    make_markdown,
    render_briefing_html,
)
from sitegen.source import fingerprint, parse_source, read_regular, read_text
from sitegen.urls import Urls

Progress = Callable[[str, int, int], None]  # (stage, done, total)

# The work of the current job: set by `run` before workers start (inherited when they fork,
# loaded from a file by a Pool's processes), read by the tasks.
_shared: dict[str, Any] = {}


class Pool:
    """Processes for `serve`, started by a forkserver (see the module's docstring) for each
    large job and stopped after it, so that they hold no memory between rebuilds."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Any = None
        self._job = 0

    def map(self, task: Callable, chunks: list[range], shared: dict[str, Any]) -> Iterator[Any]:
        """The task's results over the chunks, in order. The processes are a
        ProcessPoolExecutor's, as `build`'s (see _forked): a worker killed on its own is an
        error (the preview shows it, and the next save rebuilds), not a rebuild that waits
        for ever."""
        import multiprocessing  # (only when there is work for processes: it costs a start-up)
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sitegen.workers"])
        self._job += 1
        with tempfile.NamedTemporaryFile(prefix="sitegen-job-", suffix=".pickle") as handle:
            pickle.dump(shared, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            work = [(task, handle.name, self._job, chunk) for chunk in chunks]
            others = {child.pid for child in multiprocessing.active_children()}
            self._pool = pool = ProcessPoolExecutor(
                self.jobs, context, initializer=_leave_interrupts_to_parent
            )
            finished = False
            try:
                yield from pool.map(_pool_task, work)
                finished = True
            except BrokenProcessPool:
                raise SitegenError(WORKER_KILLED) from None
            finally:
                if not finished:  # stopped (an error, a newer change): chunks not wanted
                    _kill_children(others)
                self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_loaded_job: tuple[str, int] | None = None


def _leave_interrupts_to_parent(parent: int | None = None) -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker ignores it, so that
    only the build stops (and stops its workers), without a traceback from each worker;
    and a worker stopped by the build (SIGTERM) just ends, whatever the CLI made of it.
    A worker also ends, quietly, when the process that started it dies (`kill -9`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)


_PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with_parent(parent: int | None) -> None:
    """On Linux, have the kernel kill this worker when its parent dies. Otherwise a worker
    of a build killed with SIGKILL goes on with its chunk, then prints a BrokenPipeError
    traceback on the terminal as it sends the result to nobody. (A serve Pool's workers are
    the forkserver's children, and the forkserver ends when serve does.) `parent`: the pid
    the worker was forked from, to catch a parent that died before the request was made."""
    if not sys.platform.startswith("linux"):
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(0)


def _pool_task(work: tuple[Callable, str, int, range]) -> Any:
    global _loaded_job
    task, path, job, chunk = work
    if _loaded_job != (path, job):
        _shared.clear()
        with open(path, "rb") as handle:
            _shared.update(pickle.load(handle))
        _loaded_job = (path, job)
    return task(chunk)


@dataclass(frozen=True)
class Workers:
    jobs: int = 1
    min_parallel: int = 200  # below this many files or pages, forking costs more than it saves
    progress: Progress | None = None
    pool: Pool | None = None  # serve's; None: fork when there is work

    @classmethod
    def of(cls, jobs: int, min_parallel: int = 200, progress: Progress | None = None) -> Workers:
        return cls(jobs or os.cpu_count() or 1, min_parallel, progress)


SERIAL = Workers(jobs=1, min_parallel=1 << 30)


def chunks_of(count: int, size: int) -> list[range]:
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def run(
    task: Callable, chunks: list[range], workers: Workers, stage: str, shared: dict[str, Any]
) -> Iterator[Any]:
    """Run task over chunks with `shared` as its data, in workers when it pays, reporting
    progress. Results come in order as they are ready, so the caller takes them in while
    the workers go on."""
    total = sum(len(c) for c in chunks)
    done = 0
    _shared.clear()
    _shared.update(shared)
    if workers.jobs <= 1 or total < workers.min_parallel:
        results: Iterator[Any] = _here(task, chunks)
    elif workers.pool is not None:
        results = workers.pool.map(task, chunks, shared)
    else:
        results = _forked(task, chunks, workers.jobs)
    try:
        for chunk, result in zip(chunks, results, strict=True):
            done += len(chunk)
            if workers.progress:
                workers.progress(stage, done, total)
            yield result
    finally:
        _shared.clear()


def _here(task: Callable, chunks: list[range]) -> Iterator[Any]:
    """Run the chunks in this process. As in a forked worker, the reference cycles each
    chunk leaves are freed after it (the collector is off during a build: rendering 10k
    days in one process grew to twice the memory of the site), and what was there before
    is frozen first, so that each collection looks at the chunk's objects only. A process
    that froze its objects itself (serve's, between rebuilds) is left as it is."""
    if len(chunks) < 2 or gc.get_freeze_count():
        yield from map(task, chunks)
        return
    gc.freeze()
    try:
        for chunk in chunks:
            yield _done_here(task, chunk)
    finally:
        gc.unfreeze()


def _done_here(task: Callable, chunk: range) -> Any:
    """A chunk's task in this process, then its reference cycles freed; what is left (what
    the caller kept of the chunks before) is frozen, so that the next collection does not
    look at it again."""
    result = task(chunk)
    gc.collect()
    gc.freeze()
    return result


# Chunks queued for each forked worker: enough to keep it busy while this process works
# on a chunk of its own.
QUEUED_PER_WORKER = 2
# How soon, while workers run, this process's main thread hands Python's lock (the GIL) to
# the executor's threads when they ask for it (Python's default: 5 ms). A worker's result
# comes through a pipe of 64 KB, and the worker waits until the executor's thread here has
# read all of it, taking the lock back for every 64 KB: a chunk of parsed briefings (1 MB)
# kept the worker waiting about 50 ms, half as long as it took to parse it.
SWITCH_INTERVAL = 0.0005


def _forked(task: Callable, chunks: list[range], jobs: int) -> Iterator[Any]:
    """Run the chunks in jobs - 1 forked workers and in this process, which takes a chunk
    whenever the workers have enough queued. A forked worker ends up with its own copy of
    most of the data it inherits (every object it reads has its reference count written,
    which copies the page it lives on), so each worker costs about the whole site in
    memory: this process working too saves one of them, at no cost in time (it would
    otherwise mostly wait).

    The workers are a ProcessPoolExecutor's, not a multiprocessing.Pool's: when a worker
    dies (the kernel's out-of-memory killer, a `kill -9` of it alone), a Pool starts
    another and the chunks the dead one held never come back, so the build waited for
    them for ever (and terminating that Pool hung too); the executor reports it."""
    import multiprocessing  # (see Pool.map)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    gc.freeze()  # keep the children from copying pages just to update gc headers
    others = {child.pid for child in multiprocessing.active_children()}
    pool = ProcessPoolExecutor(
        jobs - 1, multiprocessing.get_context("fork"), _leave_interrupts_to_parent,
        (os.getpid(),),
    )  # fmt: skip
    pending: dict[int, Any] = {}  # chunk index -> Future (queued) or [result] (done here)
    queued_limit = QUEUED_PER_WORKER * (jobs - 1)
    next_chunk = 0

    def hand_out() -> None:
        """Queue chunks for the workers up to the limit."""
        nonlocal next_chunk
        while next_chunk < len(chunks) and sum(map(_waiting, pending.values())) < queued_limit:
            pending[next_chunk] = pool.submit(_collecting, (task, chunks[next_chunk]))
            next_chunk += 1

    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    finished = False
    try:
        for index in range(len(chunks)):
            # the workers' queues are topped up before each chunk done here and each
            # result given out (the caller's work on it is time the workers would idle)
            hand_out()
            while _waiting(pending[index]) and next_chunk < len(chunks):
                pending[next_chunk] = [_done_here(task, chunks[next_chunk])]
                next_chunk += 1
                hand_out()
            found = pending.pop(index)  # (a worker's: its result is waited for)
            yield found[0] if isinstance(found, list) else found.result()
        finished = True
    except BrokenProcessPool:
        raise SitegenError(WORKER_KILLED) from None
    finally:
        sys.setswitchinterval(switch_interval)
        if not finished:  # stopped (an error, Ctrl-C): the workers' chunks are not wanted
            _kill_children(others)
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _kill_children(others: set[int | None]) -> None:
    """Kill this process's worker processes but `others` (as Pool.terminate did)."""
    import multiprocessing

    for child in multiprocessing.active_children():
        if child.pid not in others:
            child.kill()


WORKER_KILLED = (
    "a worker process was killed (out of memory?); the build stopped and the output is "
    "unchanged: build again (with fewer --jobs if memory is short)"
)


def _waiting(pending: Any) -> bool:
    """Whether a chunk's result is still being made by a worker."""
    return not isinstance(pending, list) and not pending.done()


def _collecting(work: tuple[Callable, range]) -> Any:
    """Run a task in a forked worker, then free the reference cycles it left (few: pages
    are rendered by template_code.render_page, which breaks the cycles Jinja's imports
    with context make, but a site's templates may make others). The collector is off
    during builds; in a forked worker a collection only looks at the worker's own objects
    (the inherited ones are frozen), so it is cheap."""
    task, chunk = work
    result = task(chunk)
    gc.collect()
    return result


# --------------------------------------------------------------------------- reading


def parse_chunk(indexes: Sequence[int]) -> bytes:
    """Read, check and convert some briefing files; marshalled records, one per file:
    ("same",) when the file was only touched (its text hashes as `known` says), else
    ("new", meta record, marshalled body record). With a body store, new bodies are
    written to it here, in parallel, and sent back only when `bodies` says the build keeps
    them (as the bytes written: a body is marshalled once)."""
    config, lookup, known = _shared["config"], _shared["lookup"], _shared["known"]
    store: BodyStore | None = _shared["store"]
    renderer = _shared.get("markdown")  # the build's own, when inherited or in its process
    if renderer is None:
        urls = Urls(config.base_path, config.permalinks.briefing)
        renderer = _shared["markdown"] = make_markdown(config, lookup, urls)
    results: dict[str, tuple] = {}
    bodies: list[tuple[str, str, bytes]] = []  # (file, key, marshalled body) of new entries
    for index in indexes:
        name = _shared["paths"][index]
        path = Path(name)
        diags = Diagnostics(root=_shared["root"])
        text = read_text(path, diags)
        previous = known.get(name)  # (none in a cold build: no text hashed for nothing)
        if text is not None and previous is not None and previous == fingerprint(text):
            results[name] = ("same",)
            continue
        entry = parse_briefing(path, text, lookup, renderer, _shared["context"], diags)
        bodies.append((name, entry.key, marshal.dumps(body_record(entry))))
        results[name] = ("new", entry.meta_record(), None)
    kept = False
    if store is not None and bodies:
        with contextlib.suppress(OSError):  # a body not kept is made again when needed
            store.write_many([(key, body) for _, key, body in bodies])
            kept = True
    if not kept or _shared["bodies"]:  # else the build reads them from the store later
        for name, _, body in bodies:
            results[name] = (*results[name][:2], body)
    return marshal.dumps(results)


def parse_briefing(
    path: Path, text: str | None, lookup: Mapping[str, str], renderer: MarkdownRenderer,
    context: str, diags: Diagnostics,
) -> BriefingEntry:  # fmt: skip
    """One briefing file's entry: its parsed form, block HTML and problems (`text` None:
    the file could not be read, and `diags` says why)."""
    asked = RecordingLookup(lookup)
    source = parse_source(path, text, diags, renderer.extensions) if text is not None else None
    briefing = build_briefing(source, asked, diags, renderer.extensions) if source else None
    html = render_briefing_html(renderer, briefing) if briefing else []
    fingerprint_ = source.fingerprint if source else ""
    return BriefingEntry(
        fingerprint_, context, asked.asked, briefing, html, diags.items, path=str(path)
    )


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Rendered:
    """A page rendered by a worker: its bytes' hash, and whether they were staged (they
    differ from what the output holds)."""

    output: str
    hash: str
    staged: bool


def render_chunk(indexes: Sequence[int]) -> tuple[list[Rendered], list[Diagnostic]]:
    """Render pages into the staging folder, skipping those whose bytes the output already
    holds (`known`: output file -> hash; with `verify`, the output's files are read).
    Bodies read from the cache meanwhile are let go of after the chunk when `store` keeps
    a list of them (a large site: see load.BODIES_IN_MEMORY)."""
    renderer = _shared.get("renderer")
    if renderer is None:  # in a Pool's process: made once per job
        ctx = _shared["ctx"]
        renderer = _shared["renderer"] = PageRenderer(ctx, make_environment(ctx.config))
    pages, staging, target = _shared["pages"], _shared["staging"], _shared["target"]
    known: dict[str, str] = _shared["known"]
    verify: bool = _shared["verify"]
    problems: dict[tuple, Diagnostic] = {}
    done: list[Rendered] = []
    made: set[str] = set()
    seen = len(_shared["store"].problems) if _shared.get("store") is not None else 0
    for index in indexes:
        page = pages[index]
        try:
            data = renderer.render_bytes(page)
        except TemplateProblem as problem:
            d = problem.diagnostic
            problems.setdefault((d.path, d.line), d)
            continue
        hashed = content_hash(data)
        previous = known.get(page.output)
        if previous is None and verify:
            previous = _hash_of(target / page.output)
        staged = previous != hashed
        if staged:
            write_file(staging, page.output, data, made)
        done.append(Rendered(page.output, hashed, staged))
    store: BodyStore | None = _shared.get("store")
    if store is not None:
        # damaged bodies made again (in a worker: the build must hear of them)
        problems.update(((d.path, d.line), d) for d in store.problems[seen:])
        for entry in store.loaded or ():
            entry.unload()
        if store.loaded is not None:
            store.loaded.clear()
    return done, list(problems.values())


def _hash_of(path: Path) -> str | None:
    try:
        return content_hash(read_regular(path))  # a FIFO or a device there is not waited on
    except OSError:
        return None


def write_file(folder: Path, relative: str, data: bytes, made: set[str]) -> None:
    """Write a file under folder (`relative`: a page's output path, with `/`), making its
    missing parent folders: each one mkdir, once per worker and chunk (`made`: the folders
    made, relative to folder; most pages are alone in a folder of their own, whose parents
    the pages before made), rather than makedirs' stat of every parent for every page."""
    top = os.fspath(folder)
    parent = relative.rpartition("/")[0]
    if parent and parent not in made:
        missing = []
        while parent and parent not in made:
            missing.append(parent)
            parent = parent.rpartition("/")[0]
        for each in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(f"{top}/{each}")
            made.add(each)
    _write_new(f"{top}/{relative}", data)


# a file's flags for the staging folder (which holds only what this build wrote)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
_WRITE_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_new(path: str, data: bytes) -> None:
    """Write a file in three system calls (open, write, close): `open(path, "wb")` adds a
    stat, a terminal check and a seek for every one of a site's thousands of pages."""
    fd = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:  # (a write may write less than it was given)
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
