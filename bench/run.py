#!/usr/bin/env python3
"""Benchmark `sitegen build` on generated corpora: cold, no-change and one-file-change builds,
search off and on, with the seconds of each stage and the peak memory.

Usage: python bench/run.py [--sizes 1000,10000] [--search off,on] [--runs 3]
                           [--workdir /tmp/sitegen-bench] [--hugo]
Results are printed as a table and written to WORKDIR/results.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HUGO_SCRIPT = Path("/work/shared/bench/hugo_side_by_side.sh")
MARKER = ".sitegen-bench"
SCENARIOS = ("cold", "nochange", "onechange")
STAGES = ("scan", "parse", "model", "plan", "render", "write", "search")
TIMINGS = re.compile(r"^timings: (.*) total=([0-9.]+)$", re.MULTILINE)


class Run(NamedTuple):
    wall_s: float
    cpu_s: float  # user + system, of the build and every process it started
    peak_mb: float  # the most the build's processes held at once (summed PSS, sampled)
    largest_mb: float  # the most any one of them held (what /usr/bin/time -f %M reports)
    pages: int
    stages: dict[str, float]


def child_env() -> dict[str, str]:
    """The environment for sitegen: finds the package in ROOT/src even if not installed."""
    env = dict(os.environ)
    if (ROOT / "src").is_dir():
        paths = [str(ROOT / "src"), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def fail(what: str, cmd: list[str], proc: subprocess.CompletedProcess) -> None:
    print(f"\n{what} failed (exit {proc.returncode}): {' '.join(cmd)}", file=sys.stderr)
    for stream in (proc.stdout, proc.stderr):
        if stream.strip():
            print(stream.rstrip(), file=sys.stderr)
    sys.exit(1)


def set_search(site: Path, enabled: bool) -> None:
    """Switch the Pagefind index on or off in the corpus's site.toml."""
    config = site / "site.toml"
    text = re.sub(r"\n\[search\]\nenabled = \w+\n", "\n", config.read_text())
    config.write_text(text + f"\n[search]\nenabled = {'true' if enabled else 'false'}\n")


def ensure_corpus(site: Path, n: int, seed: int) -> None:
    """Generate the corpus unless SITE already holds the one for (n, seed)."""
    marker = site / MARKER
    if marker.is_file() and marker.read_text() == f"n={n} seed={seed}\n":
        print(f"N={n}: reusing corpus in {site}")
        return
    cmd = [
        sys.executable, str(BENCH / "gen_corpus.py"), "--n", str(n), "--out", str(site),
        "--seed", str(seed), "--stats",
    ]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        fail("corpus generation", cmd, proc)
    print(f"N={n}: generated corpus in {site} in {time.perf_counter() - t0:.1f} s")
    print("  " + proc.stderr.strip().replace("\n", "\n  "))


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0


# --------------------------------------------------------------------------- memory


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        found.setdefault(int(fields[1]), []).append(int(entry.name))
    return found


def _pss_mb(pid: int) -> float:
    """A process's proportional set size: its private memory plus its share of memory it
    shares (forked workers share most of the build's), so that a sum over processes
    counts each page once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants (workers, Pagefind): the sum
    of their proportional set sizes."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            children = _children()
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(children.get(pid, ()))
            self.peak = max(self.peak, sum(_pss_mb(pid) for pid in tree))
            self.done.wait(self.interval)


def build(site: Path, dest: Path | None = None) -> Run:
    """One `sitegen build --timings` in a child process: its wall time, CPU time and peak
    memory (os.wait4 counts the workers and Pagefind runs it waited for) and stages."""
    dest = dest or site / "build"
    cmd = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--out", str(dest),
           "--timings"]  # fmt: skip
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=child_env())
        memory = TreeMemory(child.pid)
        memory.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        memory.done.set()
        memory.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        texts = [f.read().decode("utf-8", "replace") for f in (out, err)]
    proc = subprocess.CompletedProcess(cmd, child.returncode, *texts)
    if proc.returncode:
        fail("sitegen build", cmd, proc)
    found = TIMINGS.search(proc.stderr)
    stages = {}
    if found:
        stages = {k: float(v) for k, v in (part.split("=") for part in found.group(1).split())}
    cpu = usage.ru_utime + usage.ru_stime
    largest = usage.ru_maxrss / 1024
    return Run(wall, cpu, memory.peak, largest, count_pages(dest), stages)


# Outputs and caches that the cold runs set aside. They are deleted only when every timing
# is done: on ext4 without a journal (this machine's disk), creating files is several times
# slower for a few minutes after many files were deleted, because the file system skips the
# freed inodes while they are recent. Deleting the previous output just before a cold build
# would time that, not the build.
TRASH = ".bench-trash"


def set_aside(path: Path, workdir: Path) -> None:
    if path.exists():
        trash = workdir / TRASH
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.parent.name}-{path.name}-{time.time_ns()}")


def cold(site: Path, runs: int, workdir: Path) -> list[Run]:
    results = []
    for _ in range(runs):
        set_aside(site / "build", workdir)
        set_aside(site / ".sitegen-cache", workdir)
        results.append(build(site))
    return results


def no_change(site: Path, runs: int) -> list[Run]:
    """Builds with nothing changed. One build first: the last cold build saw files that
    were written seconds before, which a build hashes once more (changes.RACY_NS)."""
    time.sleep(2.1)
    build(site)
    return [build(site) for _ in range(runs)]


def one_change(site: Path, runs: int) -> list[Run]:
    """Append a sentence to the last item of a different briefing each run; restore after."""
    files = sorted((site / "content" / "briefings").glob("*.md"))
    picked = [files[(len(files) // 2 + 37 * r) % len(files)] for r in range(runs)]
    originals = {p: p.read_bytes() for p in picked}
    results = []
    try:
        for r, path in enumerate(picked, 1):
            text = originals[path].decode("utf-8").rstrip("\n")
            edit = f" Officials said more details would follow (benchmark edit {r})."
            path.write_text(text + edit + "\n", encoding="utf-8", newline="\n")
            results.append(build(site))
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    build(site)  # back to the corpus as generated
    return results


def summarize(runs: list[Run]) -> dict:
    wall = statistics.median(r.wall_s for r in runs)
    pages = runs[-1].pages
    stages = {s: statistics.median(r.stages.get(s, 0.0) for r in runs) for s in STAGES}
    return {
        "runs_s": [round(r.wall_s, 3) for r in runs],
        "wall_s": wall,
        "cpu_s": statistics.median(r.cpu_s for r in runs),
        "pages": pages,
        "pages_per_s": pages / wall if wall > 0 else None,
        "peak_mb": max(r.peak_mb for r in runs),  # the process tree's, summed PSS
        "largest_process_mb": max(r.largest_mb for r in runs),  # one process's peak RSS
        "stages": stages,
    }


def hugo_site(n: int, workdir: Path) -> Path:
    """Where the shared script keeps its Hugo site of n briefings."""
    return workdir / f"hugo-{n}"


def hugo(n: int, workdir: Path, script: Path) -> dict | None:
    """Hugo's cold build time on the same machine, via the shared side-by-side script."""
    if not script.is_file():
        print(f"N={n}: skipping Hugo: {script} not found")
        return None
    print(f"N={n}: running {script} (Hugo, 3 cold builds)...", flush=True)
    cmd = ["bash", str(script), str(n), str(hugo_site(n, workdir))]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    found = re.search(r"hugo_cold_s=([0-9.]+) hugo_peak_mb=([0-9]+)", proc.stdout)
    if proc.returncode or not found:
        print(f"N={n}: Hugo run failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
        return None
    print("  " + proc.stdout.strip())
    return {"cold_s": float(found.group(1)), "peak_mb": float(found.group(2))}


def cold_beside_hugo(site: Path, n: int, args: argparse.Namespace) -> tuple[dict, list[dict]]:
    """Cold builds that take turns with Hugo's: each sitegen build is followed by one call of
    the shared script (its median of 3 Hugo builds), and each pair gives a ratio. This
    virtual machine's speed drifts by tens of per cent within minutes, so two figures
    measured a quarter of an hour apart can give any ratio; a pair's two figures are
    measured within a minute of each other, and the median of the pairs' ratios is the
    figure to report."""
    runs: list[Run] = []
    pairs: list[dict] = []
    for _ in range(args.runs):
        runs.extend(cold(site, 1, args.workdir))
        found = hugo(n, args.workdir, args.hugo_script)
        if found is None:
            break
        pair = {"sitegen_s": round(runs[-1].wall_s, 3), **found}
        pair["ratio"] = round(runs[-1].wall_s / found["cold_s"], 3)
        if (fresh := hugo_into_fresh_folder(n, args.workdir)) is not None:
            pair["hugo_fresh_s"] = round(fresh, 3)
            pair["ratio_fresh"] = round(runs[-1].wall_s / fresh, 3)
        if args.memory_fs is not None:
            pair.update(both_in_memory(site, n, args))
        pairs.append(pair)
    return summarize(runs), pairs


def hugo_into_fresh_folder(n: int, workdir: Path) -> float | None:
    """One Hugo build of the shared script's site into a new folder, timed here. The script
    deletes Hugo's last output just before each of its builds, and on this disk creating
    files is slower for minutes after many were deleted (see `set_aside`), which sitegen's
    cold builds here do not pay; this figure does not pay it either."""
    dest = workdir / f"hugo-fresh-{time.time_ns()}"
    found = hugo_build(n, workdir, dest)
    set_aside(dest, workdir)
    return found[0] if found else None


def hugo_build(n: int, workdir: Path, dest: Path) -> tuple[float, float] | None:
    """Wall and CPU seconds of one Hugo build of the shared script's site into `dest`; None
    when Hugo or that site (made by the script's first run) is missing, or the build fails."""
    site = hugo_site(n, workdir)
    if shutil.which("hugo") is None or not (site / "content").is_dir():
        return None
    wall, cpu, code = timed(["hugo", "--quiet", "-s", str(site), "-d", str(dest)])
    return (wall, cpu) if code == 0 else None


def both_in_memory(site: Path, n: int, args: argparse.Namespace) -> dict:
    """One cold sitegen build and one Hugo build, one after the other, each into a new folder
    on a memory file system (`--memory-fs`, e.g. /dev/shm): the generators' own work, with
    this machine's disk left out. Each output is deleted at once (free on a memory file
    system). Wall and CPU seconds (user + system, with every process each started)."""
    found: dict = {}
    set_aside(site / ".sitegen-cache", args.workdir)
    dest = args.memory_fs / f"sitegen-{time.time_ns()}"
    try:
        run = build(site, dest)
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    found.update(sitegen_mem_s=round(run.wall_s, 3), sitegen_mem_cpu_s=round(run.cpu_s, 3))
    dest = args.memory_fs / f"hugo-{time.time_ns()}"
    try:
        hugo_run = hugo_build(n, args.workdir, dest)
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    if hugo_run is not None:
        wall, cpu = hugo_run
        found.update(hugo_mem_s=round(wall, 3), hugo_mem_cpu_s=round(cpu, 3),
                     ratio_mem=round(run.wall_s / wall, 3),
                     ratio_mem_cpu=round(run.cpu_s / cpu, 3))  # fmt: skip
    return found


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, children included) and exit status of a
    command whose output is discarded."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def bench_size(n: int, search: str, args: argparse.Namespace) -> dict:
    site = args.workdir / f"site-{n}"
    ensure_corpus(site, n, args.seed)
    set_search(site, search == "on")
    print(f"N={n}: building, search {search} ({args.runs} runs per scenario)...", flush=True)
    result: dict = {"n": n, "site": str(site), "search": search}
    scenarios = args.scenarios
    if "cold" in scenarios and args.hugo and search == "off":
        result["cold"], result["cold_pairs"] = cold_beside_hugo(site, n, args)
    elif "cold" in scenarios:
        result["cold"] = summarize(cold(site, args.runs, args.workdir))
    if "nochange" in scenarios:
        result["nochange"] = summarize(no_change(site, args.runs))
    if "onechange" in scenarios:
        result["onechange"] = summarize(one_change(site, args.runs))
    return result


def print_table(results: list[dict], hugo_by_n: dict[int, dict]) -> None:
    head = (
        f"{'N':>7} {'search':<6} {'scenario':<10} {'wall s':>7} {'cpu s':>6} {'peak MB':>7} "
        f"{'max RSS':>7}"
    )
    print("\n" + head + "  " + " ".join(f"{s:>6}" for s in STAGES))
    for res in results:
        for name in SCENARIOS:
            if name not in res:
                continue
            s = res[name]
            stages = " ".join(f"{s['stages'][k]:>6.2f}" for k in STAGES)
            print(f"{res['n']:>7} {res['search']:<6} {name:<10} {s['wall_s']:>7.2f} "
                  f"{s['cpu_s']:>6.2f} {s['peak_mb']:>7.0f} {s['largest_process_mb']:>7.0f}  "
                  f"{stages}")  # fmt: skip
    for n, h in hugo_by_n.items():
        colds = [r["cold"]["wall_s"] for r in results if r["n"] == n and r["search"] == "off"
                 and "cold" in r]  # fmt: skip
        ratio = f" sitegen_cold/hugo_cold={colds[0] / h['cold_s']:.2f}" if colds else ""
        if h.get("pair_ratios"):
            ratios = h["pair_ratios"]
            ratio += (f"; median of {len(ratios)} paired ratios={statistics.median(ratios):.2f}"
                      f" (pairs: {', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip
        if fresh := h.get("pair_ratios_fresh"):
            ratio += (f"; against Hugo into a fresh folder={statistics.median(fresh):.2f}"
                      f" (pairs: {', '.join(f'{r:.2f}' for r in fresh)})")  # fmt: skip
        for key, what in (("pair_ratios_memory", "both into a memory file system"),
                          ("pair_cpu_ratios_memory", "CPU seconds, both into memory")):  # fmt: skip
            if found := h.get(key):
                ratio += (f"; {what}={statistics.median(found):.2f}"
                          f" (pairs: {', '.join(f'{r:.2f}' for r in found)})")  # fmt: skip
        print(f"N={n} hugo_cold_s={h['cold_s']:.2f} hugo_peak_mb={h['peak_mb']:.0f}{ratio}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated briefing counts")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/sitegen-bench"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="runs per scenario (median reported)")
    ap.add_argument("--hugo", action="store_true", help="also time Hugo on the same machine")
    ap.add_argument("--search", default="off,on", help="off, on or off,on: the Pagefind index")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help=", ".join(SCENARIOS))
    ap.add_argument("--hugo-script", type=Path, default=HUGO_SCRIPT)
    ap.add_argument("--memory-fs", type=Path, default=None,
                    help="with --hugo: also time both cold builds into this folder of a "
                    "memory file system (e.g. /dev/shm), leaving the disk out")  # fmt: skip
    args = ap.parse_args(argv)
    try:
        args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        ap.error("--sizes must be comma-separated integers")
    args.search = [s for s in args.search.split(",") if s]
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    if not set(args.search) <= {"on", "off"} or not set(args.scenarios) <= set(SCENARIOS):
        ap.error("--search takes off and on, --scenarios " + ", ".join(SCENARIOS))
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        ap.error("--sizes and --runs must be positive")
    if args.memory_fs is not None and not args.memory_fs.is_dir():
        ap.error(f"--memory-fs: {args.memory_fs} is not a folder")
    return args


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def compile_package() -> None:
    """Compile sitegen's modules to bytecode before timing, as installing it does (pip
    compiles a package's modules; a checkout writes its __pycache__ on its first run).
    Python reads that bytecode even under PYTHONDONTWRITEBYTECODE, which only stops it
    writing: on a machine that sets it (this one does), every timed build would otherwise
    compile sitegen's 9,000 lines anew, some 0.05 s that no installed sitegen spends."""
    compileall.compile_dir(ROOT / "src" / "sitegen", quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    compile_package()
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "seed": args.seed,
        "runs": args.runs,
        "load_average_before": load_average(),
    }
    results: list[dict] = []
    hugo_by_n: dict[int, dict] = {}
    try:
        for n in args.sizes:
            for search in args.search:
                results.append(bench_size(n, search, args))
                out = args.workdir / "results.json"  # rewritten as it goes: partial runs survive
                out.write_text(json.dumps({"meta": meta, "sizes": results}, indent=2) + "\n")
            pairs = [p for r in results if r["n"] == n for p in r.get("cold_pairs", [])]
            if pairs:
                hugo_by_n[n] = {
                    "cold_s": statistics.median(p["cold_s"] for p in pairs),
                    "peak_mb": max(p["peak_mb"] for p in pairs),
                    "pair_ratios": [p["ratio"] for p in pairs],
                    "pair_ratios_fresh": [p["ratio_fresh"] for p in pairs if "ratio_fresh" in p],
                    "pair_ratios_memory": [p["ratio_mem"] for p in pairs if "ratio_mem" in p],
                    "pair_cpu_ratios_memory": [
                        p["ratio_mem_cpu"] for p in pairs if "ratio_mem_cpu" in p
                    ],
                }
            elif args.hugo and (found := hugo(n, args.workdir, args.hugo_script)):
                hugo_by_n[n] = found
    finally:
        shutil.rmtree(args.workdir / TRASH, ignore_errors=True)
    meta["load_average_after"] = load_average()
    data = {"meta": meta, "sizes": results, "hugo": hugo_by_n}
    (args.workdir / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    print_table(results, hugo_by_n)
    print(
        f"\nload average before {meta['load_average_before']}, after {meta['load_average_after']}"
    )
    print(f"results: {args.workdir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
