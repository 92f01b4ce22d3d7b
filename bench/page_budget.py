#!/usr/bin/env python3
"""Walk a built site and report the reader's page budgets: DOM elements per page, gzipped
weight of the HTML, and duplicate <title>s. Prints the worst page of each kind.

Usage: python bench/page_budget.py BUILD_DIR [--check]
Budgets (issue 12): at most 1,500 elements on any page, no duplicate titles, a day page at
most 15 KB and the busiest actor's first page at most 30 KB gzipped (the shared CSS and JS
are not counted: they are cached across pages). With --check the exit status is 1 when a
budget is exceeded. Stdlib only.

Elements are counted as start tags (`<name`), which is what a browser's DOM holds for the
theme's markup: every element is written out, and text never holds a raw `<` (it is escaped,
also inside JSON-LD). The weight is gzip at level 6, what static hosts serve.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DOM_BUDGET = 1500
DAY_KB = 15.0
ACTOR_KB = 30.0

_TAG = re.compile(rb"<[a-zA-Z]")
_TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
_KINDS = (
    ("day", re.compile(r"^\d{4}/\d{2}/\d{2}/")),
    ("month", re.compile(r"^\d{4}/\d{2}/index\.html$")),
    ("year", re.compile(r"^\d{4}/index\.html$")),
    ("archive", re.compile(r"^archive/index\.html$")),
    ("actors index", re.compile(r"^actors/index\.html$")),
    ("actors A–Z letter", re.compile(r"^actors/a-z/")),
    ("actor quotes", re.compile(r"^actors/[^/]+/quotes/")),
    ("actor timeline page 2+", re.compile(r"^actors/[^/]+/page/")),
    ("actor", re.compile(r"^actors/[^/]+/index\.html$")),
    ("search", re.compile(r"^search/index\.html$")),
    ("home", re.compile(r"^index\.html$")),
    ("404", re.compile(r"^404\.html$")),
)


@dataclass
class PageStats:
    path: str
    kind: str
    elements: int
    gzip_kb: float
    title: str


def page_kind(relative: str) -> str:
    return next((kind for kind, pattern in _KINDS if pattern.search(relative)), "other")


def measure(root: Path, path: Path) -> PageStats:
    data = path.read_bytes()
    relative = path.relative_to(root).as_posix()
    title = _TITLE.search(data)
    return PageStats(
        relative,
        page_kind(relative),
        len(_TAG.findall(data)),
        len(gzip.compress(data, 6)) / 1024,
        title.group(1).decode("utf-8").strip() if title else "",
    )


def walk(root: Path) -> list[PageStats]:
    skip = {"pagefind", "assets"}
    return [
        measure(root, path)
        for path in sorted(root.rglob("*.html"))
        if path.relative_to(root).parts[0] not in skip
    ]


def busiest_actor(pages: list[PageStats]) -> PageStats | None:
    """The first page of the actor with the most timeline pages (then the heaviest)."""
    timeline_pages: dict[str, int] = defaultdict(int)
    for page in pages:
        if page.kind in ("actor", "actor timeline page 2+"):
            timeline_pages[page.path.split("/")[1]] += 1
    firsts = [p for p in pages if p.kind == "actor"]
    if not firsts:
        return None
    return max(firsts, key=lambda p: (timeline_pages[p.path.split("/")[1]], p.gzip_kb))


def report(pages: list[PageStats]) -> list[str]:
    """Print the table and return the budgets that are exceeded."""
    by_kind: dict[str, list[PageStats]] = defaultdict(list)
    for page in pages:
        by_kind[page.kind].append(page)
    print(f"{'kind':24} {'pages':>6} {'max elements':>13} {'max gzip KB':>12}  worst page")
    for kind, members in sorted(by_kind.items()):
        most = max(members, key=lambda p: p.elements)
        heaviest = max(members, key=lambda p: p.gzip_kb)
        print(f"{kind:24} {len(members):6} {most.elements:13} {heaviest.gzip_kb:12.1f}  "
              f"{most.path} (elements), {heaviest.path} (weight)")  # fmt: skip
    failures = []
    over = [p for p in pages if p.elements > DOM_BUDGET]
    if over:
        failures.append(f"{len(over)} pages over {DOM_BUDGET} elements, e.g. {over[0].path}")
    titles: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        titles[page.title].append(page.path)
    duplicates = {t: paths for t, paths in titles.items() if len(paths) > 1}
    for title, paths in list(duplicates.items())[:5]:
        print(f"duplicate title {title!r}: {', '.join(paths[:3])}")
    if duplicates:
        failures.append(f"{len(duplicates)} duplicate titles")
    days = by_kind.get("day", [])
    heaviest_day = max(days, key=lambda p: p.gzip_kb, default=None)
    if heaviest_day and heaviest_day.gzip_kb > DAY_KB:
        failures.append(f"day page {heaviest_day.path} is {heaviest_day.gzip_kb:.1f} KB")
    busiest = busiest_actor(pages)
    if busiest:
        print(f"busiest actor: {busiest.path}, {busiest.elements} elements, "
              f"{busiest.gzip_kb:.1f} KB gzip")  # fmt: skip
        if busiest.gzip_kb > ACTOR_KB:
            failures.append(f"busiest actor {busiest.path} is {busiest.gzip_kb:.1f} KB")
    print(
        f"pages={len(pages)} max_elements={max((p.elements for p in pages), default=0)} "
        f"duplicate_titles={sum(len(p) - 1 for p in duplicates.values())} "
        f"day_max_kb={heaviest_day.gzip_kb if heaviest_day else 0:.1f} "
        f"busiest_actor_kb={busiest.gzip_kb if busiest else 0:.1f}"
    )
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (sitegen build's output folder)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is exceeded")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: not a built site (no index.html)", file=sys.stderr)
        return 2
    failures = report(walk(args.site))
    for failure in failures:
        print(f"over budget: {failure}")
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
