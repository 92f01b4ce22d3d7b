"""bench/train_actor_model.py, the learned actor decision tried in issue 9 (not shipped),
judges a model against the rules on candidates it reads through `actors.mentions_of`. Its
rules column means something only if those candidates, decided by the rules, are exactly
what `sitegen ingest` prints: checked here on two outlets. Needs no scikit-learn."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .ingest_scoring import score
from .score_corpus import predict

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "ingest_corpus"


def _experiment():
    path = ROOT / "bench" / "train_actor_model.py"
    spec = importlib.util.spec_from_file_location("train_actor_model", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_rules_decision_on_the_candidates_is_what_ingest_prints() -> None:
    experiment = _experiment()
    folders = [("validation", CORPUS / "validation" / "dw"), ("tune", CORPUS / "tune" / "nyt")]
    rows, golds = experiment.read_corpus(folders)
    simulated = experiment.predictions(rows, [r.rules for r in rows])
    printed = predict(*(folder for _, folder in folders))
    by_file = {Path(p["source"]).name: {a["name"] for a in p["actors"]} for p in printed}
    for entry in simulated:
        assert {a["name"] for a in entry["actors"]} == by_file[entry["source"]], entry["source"]
    gold = [g for outlet in golds.values() for g in outlet]
    ours, real = score(gold, simulated), score(gold, printed)
    assert (ours.precision, ours.recall) == (real.precision, real.recall)
    assert any(r.label == 1 for r in rows) and any(r.label == 0 for r in rows)
    assert all("rules" in r.features and "speaker" in r.features for r in rows)
