"""workers.py: chunks run in forked workers and in the build's own process, results in order."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time

import pytest

from sitegen import workers
from sitegen.diagnostics import SitegenError
from sitegen.workers import Workers, chunks_of, run

PARENT = os.getpid()


def who_ran(chunk: range) -> tuple[int, list[int]]:
    if os.getpid() != PARENT:
        time.sleep(0.02)  # a forked worker is slow: the build's process takes chunks too
    return os.getpid(), [i * workers._shared["factor"] for i in chunk]


def test_forked_workers_and_this_process_share_the_chunks_and_results_come_in_order() -> None:
    chunks = chunks_of(300, 10)
    progress: list[int] = []
    jobs = Workers(
        jobs=3, min_parallel=1, progress=lambda stage, done, total: progress.append(done)
    )
    results = list(run(who_ran, chunks, jobs, "test", {"factor": 2}))
    assert [values for _, values in results] == [[i * 2 for i in c] for c in chunks]
    pids = {pid for pid, _ in results}
    assert PARENT in pids and len(pids - {PARENT}) >= 1  # this process and its workers
    assert progress == list(range(10, 301, 10))
    assert gc.get_freeze_count() == 0 and workers._shared == {}


def test_chunks_run_here_free_their_cycles_and_leave_nothing_frozen() -> None:
    def cycles(chunk: range) -> int:
        for _ in chunk:
            loop: list = []
            loop.append(loop)  # garbage that only the collector frees
        return gc.get_count()[0]

    gc.disable()  # as during a build
    try:
        counts = list(run(cycles, chunks_of(1000, 100), Workers(jobs=1), "test", {}))
    finally:
        gc.enable()
    assert max(counts) < 200  # each chunk starts with the last one's cycles gone
    assert gc.get_freeze_count() == 0


def dies_in_a_worker(chunk: range) -> list[int]:
    if os.getpid() != workers._shared["parent"] and chunk.start == 0:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does
    time.sleep(0.01)
    return list(chunk)


@pytest.mark.parametrize("started", ["forked", "pool"])
def test_a_worker_killed_alone_stops_the_work_with_an_error_not_a_hang(started: str) -> None:
    """A multiprocessing.Pool starts another worker in a dead one's place, and the chunk
    the dead one held never comes back: `build` (forked workers) and `serve` (a Pool's,
    from a forkserver) waited for it for ever."""
    outcome: list[BaseException | None] = []
    pool = workers.Pool(2) if started == "pool" else None
    jobs = Workers(jobs=3, min_parallel=1, pool=pool)

    def work() -> None:
        try:
            list(run(dies_in_a_worker, chunks_of(100, 10), jobs, "test", {"parent": os.getpid()}))
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout=120)  # a hang guard, not a timing
    assert not thread.is_alive(), "the work waited for a dead worker's chunk"
    [error] = outcome
    assert isinstance(error, SitegenError)
    assert str(error) == f"sitegen: {workers.WORKER_KILLED}"
    assert gc.get_freeze_count() == 0 and workers._shared == {}
    if pool is not None:  # and the pool works again for the next job
        assert list(run(who_ran, chunks_of(20, 10), jobs, "test", {"factor": 1}))[1][1] == list(
            range(10, 20)
        )
