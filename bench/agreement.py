#!/usr/bin/env python3
"""How far do two careful people agree with the gold labels? The ceiling a program can be held to.

Usage: python bench/agreement.py [--list] [--ingest PRED.json]

tests/ingest_agreement/A and B hold two annotators' labels of the same 24 briefings of
frozen16 (3 from each of its 8 outlets), made blind: each read GUIDELINES.md,
docs/labelling.md and the raw text only, never frozen16's gold, its harmonisation log or
the other's labels. Each annotator's required actors and quotes are scored as if they were
a prediction, with the project's scorer (tests/ingest/ingest_scoring.py: the rules of
../shared/tools/score_ingest.py), against the committed gold and against the other
annotator. --ingest scores `sitegen ingest --dry-run --format json` output for the same
24 files beside them; --list prints their raw files' paths, for that command:

    sitegen ingest --site S --dry-run --format json $(python bench/agreement.py --list) > p.json
    python bench/agreement.py --ingest p.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ingest.ingest_scoring import Totals, score  # noqa: E402

AGREEMENT = ROOT / "tests" / "ingest_agreement"
GOLD = ROOT / "tests" / "ingest_corpus" / "frozen16"


def labels(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/*.gold.json"))]


def unattributed_text(entry: str | dict) -> str:
    """The gold files write an unattributed quote as its text or as {"text", "why"}."""
    return entry if isinstance(entry, str) else entry["text"]


def as_prediction(gold: dict) -> dict:
    """An annotator's labels in the shape ingest prints: required actors, every quote."""
    quotes = [{"actor": q["actor"], "text": q["text"]} for q in gold["quotes"]]
    quotes += [{"actor": None, "text": unattributed_text(u)} for u in gold["unattributed_quotes"]]
    actors = [{"name": name} for name in gold["actors"]]
    return {"source": gold["file"], "actors": actors, "quotes": quotes}


def raw_file(label: dict) -> Path:
    return GOLD / label["outlet"] / label["file"]


def committed_gold(files: list[dict]) -> list[dict]:
    paths = [raw_file(f).with_suffix("").with_suffix(".gold.json") for f in files]
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def row(label: str, totals: Totals) -> str:
    return f"| {label} | " + " | ".join(f"{x:.3f}" for x in totals.figures) + " |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ingest", type=Path, help="ingest's JSON for the 24 raw files")
    ap.add_argument("--list", action="store_true", help="print the 24 raw files' paths")
    args = ap.parse_args()
    first, second = labels(AGREEMENT / "A"), labels(AGREEMENT / "B")
    if args.list:
        print("\n".join(str(raw_file(f)) for f in first))
        return 0
    gold = committed_gold(first)
    print("| labels scored | actor P | actor R | actor F1 | found | attribution | precision |")
    print("|---|---|---|---|---|---|---|")
    print(row("annotator A vs gold", score(gold, [as_prediction(g) for g in first])))
    print(row("annotator B vs gold", score(gold, [as_prediction(g) for g in second])))
    print(row("annotator A vs B", score(second, [as_prediction(g) for g in first])))
    print(row("annotator B vs A", score(first, [as_prediction(g) for g in second])))
    if args.ingest:
        predicted = json.loads(args.ingest.read_text(encoding="utf-8"))
        print(row("ingest vs gold", score(gold, predicted)))
        print(row("ingest vs A", score(first, predicted)))
        print(row("ingest vs B", score(second, predicted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
