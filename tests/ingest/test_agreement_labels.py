"""The agreement study's labels (tests/ingest_agreement, read by bench/agreement.py) are
labels of frozen16's own briefings, in the gold files' shape, whose texts are in them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.agreement import as_prediction, unattributed_text
from tests.ingest.ingest_scoring import score

ROOT = Path(__file__).resolve().parents[2]
AGREEMENT = ROOT / "tests" / "ingest_agreement"
FROZEN16 = ROOT / "tests" / "ingest_corpus" / "frozen16"
LABELS = sorted(AGREEMENT.glob("*/*/*.gold.json"))


def test_both_annotators_label_the_same_briefings() -> None:
    names = {who: {p.relative_to(AGREEMENT / who) for p in LABELS if p.parts[-3] == who}
             for who in ("A", "B")}  # fmt: skip
    assert len(names["A"]) == 24
    assert names["A"] == names["B"]


@pytest.mark.parametrize("path", LABELS, ids=lambda p: "/".join(p.parts[-3:]))
def test_labels_are_of_a_frozen16_briefing_and_found_in_its_text(path: Path) -> None:
    label = json.loads(path.read_text(encoding="utf-8"))
    gold_path = FROZEN16 / path.parent.name / path.name
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert list(label) == list(gold)  # the same fields, in the same order
    assert label["file"] == gold["file"]
    text = (FROZEN16 / path.parent.name / label["file"]).read_text(encoding="utf-8")
    for quote in label["quotes"]:
        assert quote["text"] in text
        assert quote["actor"] in label["actors"] + label["optional"]
    for said in label["unattributed_quotes"]:
        assert unattributed_text(said) in text


def test_the_gold_scores_itself_perfectly() -> None:
    """The study's conversion loses nothing: the gold, as a prediction, scores itself 1."""
    golds = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(FROZEN16.glob("*/*.gold.json"))
    ]
    totals = score(golds, [as_prediction(g) for g in golds])
    assert (totals.f1, totals.quote_attribution, totals.quote_precision) == (1.0, 1.0, 1.0)
