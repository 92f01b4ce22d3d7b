#!/usr/bin/env python3
"""Benchmark `sitegen serve`: how long from saving one briefing to its rebuilt day page being
on disk, and to a browser showing it.

Usage: python bench/serve_bench.py [--n 10000] [--runs 5] [--workdir /tmp/sitegen-bench]
                                   [--no-browser]

The corpus is WORKDIR/site-N, made by gen_corpus.py (and shared with run.py). The server runs
as `python -m sitegen serve --port 0` in its own process; this script edits a different
briefing each run the way run.py's `onechange` does (a sentence appended to its last item),
polls the preview file for the new sentence, and has Debian's chromium (through Playwright)
wait for it on the open day page, which only the live reload can bring. After each edit it
waits for the server to finish the rebuild (every affected page, and the search index) and
restores the file. Figures are medians and maxima over the runs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import child_env, ensure_corpus  # noqa: E402 (bench/run.py: the shared corpus)

CHROMIUM = Path("/usr/bin/chromium")
REBUILT = re.compile(r"Rebuilt ([\d,]+) pages in ([\d.]+) s")
INDEXED = re.compile(r"Search index updated in ([\d.]+) s")


class Server:
    """`sitegen serve` in a child process; its output lines are collected as they come."""

    def __init__(self, site: Path) -> None:
        command = [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=child_env()
        )
        self.lines: list[str] = []
        self._lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"^Serving .* at (\S+) ", 60).group(1)
        self.root = Path(self.wait_for(r"^Preview files: (.*)$", 10).group(1))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))
                self._lock.notify_all()

    def wait_for(self, pattern: str, timeout: float, start: int = 0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for line in self.lines[start:]:
                    if match := re.search(pattern, line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise SystemExit(f"no {pattern!r} from the server:\n" + "\n".join(self.lines))
                self._lock.wait(left)

    def mark(self) -> int:
        with self._lock:
            return len(self.lines)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def day_url(server: Server, path: Path) -> tuple[str, Path]:
    """The URL and preview file of a briefing's day page (the default permalinks)."""
    year, month, day = path.name[:10].split("-")
    return f"{server.url}{year}/{month}/{day}/", server.root / year / month / day / "index.html"


def poll_file(path: Path, text: str, started: float, result: list[float]) -> None:
    deadline = started + 30
    while time.perf_counter() < deadline:
        try:
            if text in path.read_text(encoding="utf-8"):
                result.append(time.perf_counter() - started)
                return
        except OSError:
            pass
        time.sleep(0.001)


def measure(site: Path, runs: int, browser: bool) -> dict[str, list[float]]:
    started = time.perf_counter()
    server = Server(site)
    built = server.wait_for(r"^Built ([\d,]+) pages in ([\d.]+) s", 3600)
    print(f"first build: {built.group(1)} pages in {float(built.group(2)):.1f} s")
    search = "enabled = false" not in (site / "site.toml").read_text()
    if search:
        indexed = server.wait_for(INDEXED.pattern, 3600)
        print(f"first search index: {float(indexed.group(1)):.1f} s")
    figures: dict[str, list[float]] = {
        "disk": [], "browser": [], "rebuild": [], "search": [], "pages": []
    }  # fmt: skip
    files = sorted((site / "content" / "briefings").glob("*.md"))
    picked = [files[(len(files) // 2 + 37 * r) % len(files)] for r in range(runs)]
    originals = {p: p.read_bytes() for p in picked}
    page = None
    if browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        page = chromium.new_page()
    try:
        for number, path in enumerate(picked, 1):
            url, output = day_url(server, path)
            if page is not None:
                page.goto(url)
                time.sleep(0.3)  # its live socket connects
            sentence = f"Officials said more details would follow (serve edit {number})."
            text = originals[path].decode("utf-8").rstrip("\n")
            mark = server.mark()
            on_disk: list[float] = []
            path.write_text(f"{text} {sentence}\n", encoding="utf-8", newline="\n")
            saved = time.perf_counter()
            poller = threading.Thread(target=poll_file, args=(output, sentence, saved, on_disk))
            poller.start()
            if page is not None:
                page.wait_for_selector(f"text={sentence}", timeout=30_000)
                figures["browser"].append(time.perf_counter() - saved)
            poller.join()
            figures["disk"].append(on_disk[0] if on_disk else float("nan"))
            rebuilt = server.wait_for(REBUILT.pattern, 600, mark)
            figures["pages"].append(float(rebuilt.group(1).replace(",", "")))
            figures["rebuild"].append(float(rebuilt.group(2)))
            indexed = server.wait_for(INDEXED.pattern, 600, mark) if search else None
            if indexed:
                figures["search"].append(float(indexed.group(1)))
            line = f"run {number}: {path.name}: on disk {figures['disk'][-1] * 1000:.0f} ms"
            if page is not None:
                line += f", in the browser {figures['browser'][-1] * 1000:.0f} ms"
            line += f"; all {rebuilt.group(1)} pages rebuilt in {rebuilt.group(2)} s"
            print(line + (f", search index in {indexed.group(1)} s" if indexed else ""))
            mark = server.mark()
            path.write_bytes(originals[path])
            server.wait_for(INDEXED.pattern if search else REBUILT.pattern, 600, mark)
            if page is not None:  # the restore's live reload, before going to the next day
                page.wait_for_selector(f"text={sentence}", state="detached", timeout=30_000)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        if page is not None:
            playwright.stop()
        server.stop()
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="briefings in the corpus")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sitegen-bench"))
    parser.add_argument("--no-browser", action="store_true", help="only time the disk")
    args = parser.parse_args(argv)
    site = args.workdir / f"site-{args.n}"
    args.workdir.mkdir(parents=True, exist_ok=True)
    ensure_corpus(site, args.n, args.seed)
    browser = not args.no_browser and CHROMIUM.exists()
    if not browser and not args.no_browser:
        print(f"{CHROMIUM} is missing: timing the disk only")
    figures = measure(site, args.runs, browser)
    print(f"\nN={args.n} runs={args.runs} (median / max)")
    labels = {
        "disk": "save -> day page on disk",
        "browser": "save -> shown in the browser",
        "rebuild": "rebuild of every affected page (after the 0.1 s debounce)",
        "search": "then the search index (Pagefind, after 3 s without changes)",
    }
    for key, label in labels.items():
        if values := figures[key]:
            median, worst = statistics.median(values) * 1000, max(values) * 1000
            print(f"  {label}: {median:.0f} ms / {worst:.0f} ms")
    if figures["pages"]:
        print(f"  pages re-rendered per edit: {statistics.median(figures['pages']):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
