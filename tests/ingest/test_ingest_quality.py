"""Actor and quote quality on the annotated development set and on the shared sample.

Targets (the issue's): actor precision >= 0.90, actor recall >= 0.90, quote attribution
accuracy >= 0.90, scored with the project's own scorer (tests/ingest/ingest_scoring.py,
the same rules as the evaluation's score_ingest.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .ingest_scoring import load_golds, score

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "tests" / "ingest_devset"
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "samples").is_dir()), None
)


def predictions(ingest, *paths: Path) -> list[dict]:
    result = ingest(*paths, dry_run=True, fmt="json")
    assert result.code == 0, result.err
    return result.json()


def test_devset_is_big_enough() -> None:
    raws = sorted(DEVSET.glob("*.txt"))
    assert len(raws) >= 20
    assert all((p.parent / f"{p.stem}.gold.json").exists() for p in raws)


def test_devset_scores(ingest) -> None:
    totals = score(load_golds(DEVSET), predictions(ingest, DEVSET))
    report = totals.report()
    assert totals.precision >= 0.90, report
    assert totals.recall >= 0.90, report
    assert totals.quote_attribution >= 0.90, report


@pytest.mark.skipif(SHARED is None, reason="the shared samples are not here")
def test_shared_sample_scores(ingest) -> None:
    assert SHARED is not None
    golds = load_golds(SHARED / "samples")
    totals = score(golds, predictions(ingest, *sorted((SHARED / "samples").glob("*.txt"))))
    assert totals.precision >= 0.90, totals.report()
    assert totals.recall >= 0.90, totals.report()
    assert totals.quote_attribution >= 0.90, totals.report()


@pytest.mark.skipif(
    SHARED is None or not (SHARED / "tools" / "score_ingest.py").exists(),
    reason="the shared scorer is not here",
)
def test_own_scorer_agrees_with_the_shared_one(ingest, tmp_path: Path) -> None:
    assert SHARED is not None
    predicted = predictions(ingest, DEVSET)
    pred_file = tmp_path / "pred.json"
    pred_file.write_text(json.dumps(predicted), encoding="utf-8")
    golds = sorted(str(p) for p in DEVSET.glob("*.gold.json"))
    shared = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score_ingest.py"),
            *golds,
            "--pred",
            str(pred_file),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    ours = score(load_golds(DEVSET), predicted)
    assert shared[-2].endswith(
        f"actor_precision={ours.precision:.3f} actor_recall={ours.recall:.3f}"
    )
    assert shared[-1].endswith(f"quote_attr={ours.quote_attribution:.3f}")
