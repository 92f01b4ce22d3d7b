"""Ingest mutated copies of the corpus's raw files and report every traceback.

    python -m tests.ingest.fuzz_corpus [--files 250] [--seed 1] [--keep FOLDER]
        [--part tune ...]

Each file is a develop briefing changed one way, as real input arrives damaged: decoded
twice (UTF-8 read as Latin-1), all capitals or none, quote marks, bars and line breaks
strewn in, lines shuffled, characters dropped, or cut short. A user's file may be bad and
be refused in one line; it must never raise. Crashing inputs are kept in --keep.
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from sitegen.ingest import run_ingest

from .score_corpus import CORPUS

DEVELOP = ["tune", "validation", "frozen"] + [f"frozen{i}" for i in range(2, 18)]
MARKS = ['"', "“", "”", "‘", "’", "«", "»", "„", "'", "(", ")", "—", ":", "|", "•", "\n", "#"]


def _strewn(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(len(chars) // 50):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(MARKS))
    return "".join(chars)


def _dropped(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(len(chars) // 30):
        if chars:
            del chars[rng.randrange(len(chars))]
    return "".join(chars)


def _shuffled(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    rng.shuffle(lines)
    return "\n".join(lines)


MUTATIONS: list[Callable[[str, random.Random], str]] = [
    lambda text, rng: text.encode("utf-8").decode("latin-1"),
    lambda text, rng: text.upper(),
    lambda text, rng: text.lower(),
    _strewn,
    _shuffled,
    lambda text, rng: text.replace("\n", " "),
    _dropped,
    lambda text, rng: text[: rng.randrange(len(text) + 1)],
]


def crashes(text: str, name: str) -> str | None:
    """The traceback ingesting `text` (as file `name`, dry run) raises, if any."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_text(text, encoding="utf-8")
        try:
            run_ingest(
                [str(source)],
                Path(folder) / "site",
                dry_run=True,
                force=False,
                fmt="json",
                stdin=io.StringIO(),
                out=io.StringIO(),
                err=io.StringIO(),
                use_cache=False,
            )
        except Exception:
            return traceback.format_exc()
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--part", action="append", help="parts to draw from (default: develop)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    files = sorted(f for part in args.part or DEVELOP for f in (CORPUS / part).rglob("*.txt"))
    found = 0
    for number in range(args.files):
        original = rng.choice(files)
        mutate = rng.choice(MUTATIONS)
        text = mutate(original.read_text(encoding="utf-8"), rng)
        failure = crashes(text, original.name)
        if failure is not None:
            found += 1
            kept = args.keep / f"crash-{args.seed}-{number}.txt"
            kept.write_text(text, encoding="utf-8")
            print(f"{original}: {failure.splitlines()[-1]} (kept as {kept})", flush=True)
    print(f"{args.files} mutated files, {found} tracebacks")


if __name__ == "__main__":
    main()
