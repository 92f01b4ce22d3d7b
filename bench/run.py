#!/usr/bin/env python3
"""Benchmark `sitegen build` on generated corpora: cold, no-change and one-file-change builds.

Usage: python bench/run.py [--sizes 1000,10000] [--workdir /tmp/sitegen-bench] [--hugo]
Results are printed as a table and written to WORKDIR/results.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
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
import time
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TIME = Path("/usr/bin/time")
HUGO_SCRIPT = Path("/work/shared/bench/hugo_side_by_side.sh")
MARKER = ".sitegen-bench"
SCENARIOS = ("cold", "nochange", "onechange")


class Run(NamedTuple):
    wall_s: float
    peak_kb: int
    pages: int


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
        sys.executable,
        str(BENCH / "gen_corpus.py"),
        "--n",
        str(n),
        "--out",
        str(site),
        "--seed",
        str(seed),
        "--stats",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        fail("corpus generation", cmd, proc)
    print(f"N={n}: generated corpus in {site} in {time.perf_counter() - t0:.1f} s")
    print("  " + proc.stderr.strip().replace("\n", "\n  "))


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0


def build(site: Path) -> Run:
    """One `sitegen build` as a subprocess: wall seconds, peak RSS (KB), pages written."""
    cmd = [
        sys.executable,
        "-m",
        "sitegen",
        "build",
        "--site",
        str(site),
        "--out",
        str(site / "build"),
    ]
    if TIME.exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            full = [str(TIME), "-f", "%e %M", "-o", tf.name, *cmd]
            proc = subprocess.run(full, capture_output=True, text=True, cwd=ROOT, env=child_env())
            if proc.returncode:
                fail("sitegen build", cmd, proc)
            wall, kb = tf.read().split()[-2:]  # the last line is ours ("%e %M")
        return Run(float(wall), int(kb), count_pages(site / "build"))
    wall, kb, proc = run_measured(cmd)
    if proc.returncode:
        fail("sitegen build", cmd, proc)
    return Run(wall, kb, count_pages(site / "build"))


def run_measured(cmd: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Without /usr/bin/time: perf_counter for the wall time, and the child's own resource
    usage from os.wait4 (like getrusage(RUSAGE_CHILDREN), but for this child alone)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=child_env())
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        texts = [f.read().decode("utf-8", "replace") for f in (out, err)]
    return wall, usage.ru_maxrss, subprocess.CompletedProcess(cmd, child.returncode, *texts)


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
    return results


def summarize(runs: list[Run]) -> dict:
    wall = statistics.median(r.wall_s for r in runs)
    pages = runs[-1].pages
    return {
        "runs_s": [r.wall_s for r in runs],
        "wall_s": wall,
        "pages": pages,
        "pages_per_s": pages / wall if wall > 0 else None,
        "peak_mb": max(r.peak_kb for r in runs) / 1024,
    }


def hugo(n: int, workdir: Path, script: Path) -> float | None:
    """Hugo's cold build time on the same machine, via the shared side-by-side script."""
    if not script.is_file():
        print(f"N={n}: skipping Hugo: {script} not found")
        return None
    print(f"N={n}: running {script} (Hugo, 3 cold builds)...", flush=True)
    cmd = ["bash", str(script), str(n), str(workdir / f"hugo-{n}")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    found = re.search(r"hugo_cold_s=([0-9.]+)", proc.stdout)
    if proc.returncode or not found:
        print(f"N={n}: Hugo run failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
        return None
    print("  " + proc.stdout.strip())
    return float(found.group(1))


def bench_size(n: int, args: argparse.Namespace) -> dict:
    site = args.workdir / f"site-{n}"
    ensure_corpus(site, n, args.seed)
    set_search(site, args.search == "on")
    print(f"N={n}: building, search {args.search} ({args.runs} runs per scenario)...", flush=True)
    result: dict = {"n": n, "site": str(site), "search": args.search}
    result["cold"] = summarize(cold(site, args.runs, args.workdir))
    result["nochange"] = summarize([build(site) for _ in range(args.runs)])
    result["onechange"] = summarize(one_change(site, args.runs))
    if args.hugo:
        hugo_s = hugo(n, args.workdir, args.hugo_script)
        result["hugo_cold_s"] = hugo_s
        result["ratio_sitegen_to_hugo"] = result["cold"]["wall_s"] / hugo_s if hugo_s else None
    return result


def print_table(results: list[dict]) -> None:
    print(f"\n{'N':>7}  {'scenario':<10} {'wall s':>8} {'pages/s':>9} {'peak MB':>8}")
    for res in results:
        for name in SCENARIOS:
            s = res[name]
            rate = f"{s['pages_per_s']:.0f}" if s["pages_per_s"] else "-"
            print(f"{res['n']:>7}  {name:<10} {s['wall_s']:>8.2f} {rate:>9} {s['peak_mb']:>8.0f}")
    print()
    for res in results:
        c, nc, oc = (res[name] for name in SCENARIOS)
        print(
            f"N={res['n']} cold_s={c['wall_s']:.2f} nochange_s={nc['wall_s']:.2f} "
            f"onechange_s={oc['wall_s']:.2f} peak_mb={c['peak_mb']:.0f} pages={c['pages']}"
        )
        if res.get("ratio_sitegen_to_hugo"):
            print(
                f"N={res['n']} sitegen_cold/hugo_cold={res['ratio_sitegen_to_hugo']:.2f} "
                f"(hugo_cold_s={res['hugo_cold_s']:.2f})"
            )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated briefing counts")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/sitegen-bench"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="runs per scenario (median reported)")
    ap.add_argument("--hugo", action="store_true", help="also time Hugo on the same machine")
    ap.add_argument(
        "--search",
        choices=("on", "off"),
        default="on",
        help="build the Pagefind search index (on, the default) or not",
    )
    ap.add_argument("--hugo-script", type=Path, default=HUGO_SCRIPT)
    args = ap.parse_args(argv)
    try:
        args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        ap.error("--sizes must be comma-separated integers")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        ap.error("--sizes and --runs must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "seed": args.seed,
        "runs": args.runs,
        "timer": str(TIME) if TIME.exists() else "perf_counter+wait4",
    }
    results = []
    try:
        for n in args.sizes:
            results.append(bench_size(n, args))
            out = args.workdir / "results.json"  # rewritten after each size: partial runs survive
            out.write_text(json.dumps({"meta": meta, "sizes": results}, indent=2) + "\n")
    finally:
        shutil.rmtree(args.workdir / TRASH, ignore_errors=True)
    print_table(results)
    print(f"\nresults: {args.workdir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
