"""Score ingest on the corpus, each outlet in a run of its own, and two groups of outlets.

    python -m tests.ingest.score_corpus [--part tune] [--group OUTLET,OUTLET...] [-v] [--roles]
        [OUTLET...]

Prints one line per outlet (its briefings ingested alone, as `--dry-run --format json`),
then the totals of the `--group` outlets, of the others and of all: the numbers an
outlet-out check compares (develop looking at one group, judge a change on the other). With
-v, each file's missed and extra actors and wrong quotes. A briefing's output does not depend
on the other inputs of a run, so these are also the numbers of one run over everything.
With --roles, a line on the roles of each group's found actors (ingest_scoring.score_roles).
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
from pathlib import Path

from sitegen.ingest import run_ingest

from .ingest_scoring import Totals, load_golds, score, score_roles

CORPUS = Path(__file__).resolve().parents[1] / "ingest_corpus"


def predict(*folders: Path) -> list[dict]:
    """What `sitegen ingest --dry-run --format json FOLDER...` prints, in one run."""
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as site:
        code = run_ingest(
            [str(folder) for folder in folders],
            Path(site),
            dry_run=True,
            force=False,
            fmt="json",
            stdin=io.StringIO(),
            out=out,
            err=err,
            use_cache=False,
        )
    if code != 0:
        raise SystemExit(err.getvalue())
    return json.loads(out.getvalue())


def line(label: str, totals: Totals) -> str:
    return (
        f"{label:32s} P {totals.precision:.3f} R {totals.recall:.3f} F1 {totals.f1:.3f} "
        f"found {totals.quote_found:.3f} attr {totals.quote_attribution:.3f} "
        f"prec {totals.quote_precision:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outlets", nargs="*", help="outlets to score (default: all)")
    parser.add_argument("--part", default="tune")
    parser.add_argument("--group", default="", help="comma-separated outlets of group A")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--roles", action="store_true", help="also score the found actors' roles")
    args = parser.parse_args()
    folder = CORPUS / args.part
    names = args.outlets or sorted(p.name for p in folder.iterdir() if p.is_dir())
    golds, predicted = {}, {}
    for name in names:
        golds[name] = load_golds(folder / name)
        predicted[name] = predict(folder / name)
        totals = score(golds[name], predicted[name])
        print(line(name, totals))
        if args.verbose:
            print(totals.report())
    group = [n for n in args.group.split(",") if n in names]
    groups = [("all", names)]
    if group:
        groups[:0] = [("group A", group), ("the others", [n for n in names if n not in group])]
    for label, members in groups:
        totals = score(
            [g for n in members for g in golds[n]], [p for n in members for p in predicted[n]]
        )
        print(line(f"== {label}", totals))
        if args.roles:
            roles = score_roles(
                [g for n in members for g in golds[n]], [p for n in members for p in predicted[n]]
            )
            print(roles.line(f"== {label}"))


if __name__ == "__main__":
    main()
