#!/usr/bin/env python3
"""Hunt Markdown shapes that are slow to convert, and check that the guard stops them.

Random short units of Markdown syntax are repeated into texts of growing size. For each
shape the script finds the largest size that `sitegen.mdguard.costly_markdown` accepts (up to
--max-size) and times sitegen's Markdown path on it (conversion with every extension on, and
the plain-text summary; the body's blocks and the body whole, as a build converts briefings
and actor profiles) in a child process. A shape whose accepted text takes longer than
--limit seconds (more for big texts, in proportion to the guard's own allowance) is a hole
in the guard; `--stock` instead times Python-Markdown alone on
texts of two sizes and reports shapes whose time grows faster than the text (how the guard's
shapes were found).

Usage: python bench/markdown_shapes.py [--tries 200] [--seed 1] [--limit 3] [--stock]
Timings depend on the machine and its load: compare runs made in the same minute.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sitegen.body import first_sentence, split_blocks
from sitegen.markup import MarkdownRenderer
from sitegen.mdguard import LIMIT, LIMIT_PER_BYTE, costly_markdown

ALPHABET = [
    *"[]()!<>*_`\\&#-|\"' \na:/@=~^{}.1\t;?%+",
    "\n\n", "    ", "> ", "- ", "1. ", "http://", "<a ", "</", "<!--", "-->", "[^", "]:", "](",
    "![", "**", "__", "``", "&amp;", "<div>", "\n---\n", "|-|", "[[", "]]", "<![", "<?",
]  # fmt: skip
PREFIXES = ["", "a ", "[a](", "<div>\n", "```\n", "> ", "- ", "***", "__", "| a | b |\n|-|-|\n"]
EXTENSIONS = ("tables", "fenced_code", "sane_lists", "footnotes", "def_list", "abbr", "smarty",
              "nl2br")  # fmt: skip


def convert(text: str, stock: bool, queue: multiprocessing.Queue) -> None:
    try:
        started = time.perf_counter()
        if stock:
            import markdown

            markdown.markdown(text, extensions=list(EXTENSIONS))
        else:  # as a build does with a body: its blocks, and a profile whole
            renderer = MarkdownRenderer(EXTENSIONS, lambda name: None)
            blocks = [b.text for b in split_blocks(text) if b.kind != "heading"]
            renderer.render_blocks(blocks)
            renderer.render(text)
            first_sentence(text)
        queue.put(f"{time.perf_counter() - started:.3f}")
    except BaseException as error:
        queue.put(type(error).__name__)


def timed(text: str, stock: bool, timeout: float) -> str:
    """Seconds (as text), an exception's name, or 'timeout'."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=convert, args=(text, stock, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return "timeout"
    return queue.get()


def shape(rng: random.Random) -> tuple[str, str]:
    unit = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 5)))
    return rng.choice(PREFIXES), unit


def text_of(prefix: str, unit: str, size: int) -> str:
    return prefix + (unit * (size // len(unit) + 1))[:size]


def slow(result: str, limit: float) -> bool:
    try:
        return float(result) > limit
    except ValueError:
        return True  # an exception or a timeout


def check_guard(prefix: str, unit: str, max_size: int, limit: float) -> str | None:
    size, accepted = 1000, None
    while size <= max_size and costly_markdown(text_of(prefix, unit, size)) is None:
        accepted, size = size, size * 2
    if accepted is None:
        return None
    # the guard allows more time to bigger texts (as much as a linear cost would take)
    allowed = limit * (LIMIT + LIMIT_PER_BYTE * accepted) / LIMIT
    result = timed(text_of(prefix, unit, accepted), False, allowed * 10)
    return f"accepted at {accepted:,} chars: {result}" if slow(result, allowed) else None


def check_stock(prefix: str, unit: str, limit: float) -> str | None:
    small = timed(text_of(prefix, unit, 3000), True, limit * 10)
    large = timed(text_of(prefix, unit, 12000), True, limit * 10)
    if slow(small, limit * 10) or slow(large, limit * 10):
        return f"3,000 chars: {small}; 12,000 chars: {large}"
    if float(large) > 0.3 and float(large) > 8 * max(float(small), 0.01):
        return f"3,000 chars: {small} s; 12,000 chars: {large} s"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=3.0, help="seconds a text may take")
    parser.add_argument("--max-size", type=int, default=1_024_000)
    parser.add_argument("--stock", action="store_true", help="time Python-Markdown alone")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    found = 0
    for _ in range(args.tries):
        prefix, unit = shape(rng)
        if args.stock:
            problem = check_stock(prefix, unit, args.limit)
        else:
            problem = check_guard(prefix, unit, args.max_size, args.limit)
        if problem:
            found += 1
            print(f"prefix {prefix!r} unit {unit!r}: {problem}", flush=True)
    print(f"{found} of {args.tries} shapes {'grow fast' if args.stock else 'got past the guard'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
