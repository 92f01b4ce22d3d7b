#!/usr/bin/env python3
"""Time `sitegen ingest` on raw briefings: a first ingest, then a re-run over the same input.

Usage: python bench/ingest_bench.py [--n 1000] [--seed 1] [--keep DIR] [--raw DIR]

Writes N raw briefings (one a day, `date YYYY-MM-DD` and the lead on the first line,
background, a "What you need to know" heading, 6-9 items with roles, quotes and
capitals, a credit line) into a temporary folder, or takes the .txt files of --raw (e.g. a
corpus of real briefings), ingests them into a fresh site, then again with nothing changed.
Each run is timed as a whole, in this process: the first includes loading spaCy's model
(once) and parsing every paragraph; the second finds every briefing in ingest's cache.
Targets (issue 9, 1,000 briefings on 2 cores): first ingest <= 150 ms per briefing,
re-run <= 10 ms per briefing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sitegen.ingest import run_ingest

FIRST = [
    "Anika",
    "Boris",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hassan",
    "Ingrid",
    "Jonas",
    "Katarina",
    "Luis",
    "Marta",
    "Nikolai",
    "Olena",
    "Pavel",
    "Rosa",
    "Stefan",
]
LAST = [
    "Abramov",
    "Bergstrom",
    "Castellano",
    "Dragunov",
    "Eriksen",
    "Ferrante",
    "Grabowski",
    "Halloran",
    "Ivanenko",
    "Jovanovic",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrenko",
    "Quiroga",
    "Rasmussen",
    "Sokolov",
    "Dağdelen",
    "Śliwińska",
]
ROLES = [
    "Russian Foreign Minister",
    "Ukrainian President",
    "Kremlin spokesman",
    "German Chancellor",
    "NATO Secretary-General",
    "Polish Defence Minister",
    "EU foreign policy chief",
    "Turkish President",
    "U.S. Secretary of State",
]
CAPITALS = ["Moscow", "Kyiv", "Washington", "Berlin", "Warsaw", "Ankara", "Paris", "London"]
BODIES = [
    "NATO",
    "the European Union",
    "the Kremlin",
    "the Belarusian Defense Ministry",
    "the United Nations",
    "the Pentagon",
]
QUOTES = [
    "We will not accept a deal that leaves our people worse off",
    "Nobody wants escalation, but we are prepared for every scenario",
    "The situation on the ground is changing by the hour",
    "Our door remains open to dialogue",
]
MONTHS = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]


def item(rng: random.Random, people: list[str]) -> str:
    person, role = rng.choice(people), rng.choice(ROLES)
    surname = person.split()[-1]
    choice = rng.randrange(4)
    if choice == 0:
        return (
            f"{role} {person} said “{rng.choice(QUOTES)},” adding that talks with "
            f"{rng.choice(CAPITALS)} would continue. {surname} spoke after a meeting in Geneva."
        )
    if choice == 1:
        return f"“{rng.choice(QUOTES)},” {surname} told reporters on Tuesday."
    if choice == 2:
        return (
            f"{rng.choice(CAPITALS)} said it would send more air defence systems, and "
            f"{rng.choice(BODIES)} said it was ready to help."
        )
    body = rng.choice(BODIES)
    return f"{body[0].upper()}{body[1:]} warned of new strikes on energy sites."


def briefing(rng: random.Random, day: dt.date) -> str:
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(4)]
    lead = (
        f"date {day.isoformat()} Talks between {rng.choice(CAPITALS)} and the West stalled "
        f"again on {day:%A}, with {people[0]} warning of a long winter."
    )
    background = (
        "Moscow has amassed troops near the border, and Washington has promised more "
        "aid. The sides last met in Geneva."
    )
    heading = f"{MONTHS[day.month - 1]} {day.day}: What you need to know today"
    items = [item(rng, people) for _ in range(rng.randint(6, 9))]
    return "\n\n".join([lead, background, heading, *items, "AFP contributed reporting."]) + "\n"


def generate(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    start = dt.date(2022, 1, 27)
    for offset in range(count):
        day = start - dt.timedelta(days=offset)
        (folder / f"{day.isoformat()}.txt").write_text(briefing(rng, day), encoding="utf-8")


def _ingest(raw: Path, site: Path) -> tuple[float, int]:
    out, err = io.StringIO(), io.StringIO()
    began = time.perf_counter()
    code = run_ingest(
        [str(raw)],
        site,
        dry_run=False,
        force=False,
        fmt="text",
        stdin=sys.stdin,
        out=out,
        err=err,
    )
    seconds = time.perf_counter() - began
    if not (site / "content" / "briefings").is_dir():  # the figure would time a refusal
        problems = [line for line in err.getvalue().splitlines() if ": warning:" not in line]
        sys.exit("ingest wrote nothing, so there is nothing to time:\n" + "\n".join(problems[:5]))
    return seconds, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--raw", type=Path, help="time these .txt files instead of generated ones")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        raw = args.raw or args.keep or Path(temporary) / "raw"
        if args.raw is None:
            raw.mkdir(parents=True, exist_ok=True)
            generate(raw, args.n, args.seed)
        count = len(list(raw.glob("*.txt")))
        site = Path(temporary) / "site"
        site.mkdir()
        (site / "site.toml").write_text('title = "Bench"\n', encoding="utf-8")  # a site
        first, code = _ingest(raw, site)
        again, code_again = _ingest(raw, site)
        written = len(list((site / "content" / "briefings").glob("*.md")))
        actors = len(list((site / "content" / "actors").glob("*.md")))
    print(
        f"first ingest of {count} raw briefings: {first:.2f} s, {1000 * first / count:.1f} ms "
        f"per briefing ({written} briefings, {actors} actor stubs, exit {code})"
    )
    print(
        f"re-run over the unchanged input: {again:.2f} s, {1000 * again / count:.1f} ms "
        f"per briefing (exit {code_again})"
    )
    return code or code_again


if __name__ == "__main__":
    sys.exit(main())
