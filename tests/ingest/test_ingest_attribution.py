"""The learned quote attribution: its committed weights, the code that applies them and the
script that trains them (bench/learn_attribution.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.ingest import attribution

from .conftest import analysis_of

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "sitegen" / "ingest" / "data" / "attribution.json"
SCRIPT = ROOT / "bench" / "learn_attribution.py"


def trainer():
    spec = importlib.util.spec_from_file_location("learn_attribution", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_weights_file_matches_the_features() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert data["version"] == attribution.MODEL_VERSION
    assert data["features"] == list(attribution.FEATURES)
    assert list(data["weights"]) == list(attribution.FEATURES)
    assert all(isinstance(w, float) for w in data["weights"].values())
    assert 0.0 <= data["threshold"] <= data["joint"] <= 1.0
    model = attribution.load_model()
    assert model is not None and len(model.weights) == len(attribution.FEATURES)


def test_a_weights_file_for_other_features_is_refused() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="does not match"):
        attribution.model_from(data)
    with pytest.raises(ValueError, match="does not match"):
        attribution.model_from({**json.loads(DATA.read_text()), "version": 0})


def test_the_trainer_reads_the_run_time_features() -> None:
    """The script labels what ingest's own analysis hands its observer: the candidates and
    features of attribution.candidates, the code that scores them at run time."""
    module = trainer()
    assert module.attribution is attribution
    assert module.analyse.__module__ == "sitegen.ingest.actors"
    seen: list[list[attribution.Candidate]] = []
    from sitegen.ingest.actors import analyse, prepare_many
    from sitegen.ingest.gazetteer import Gazetteer
    from sitegen.ingest.lexicon import load_lexicon
    from sitegen.ingest.nlp import load_pipeline

    nlp = load_pipeline()
    gazetteer = Gazetteer(load_lexicon(), [], nlp.tokenizer)
    text = "Arvo Lind met Vera Kross in Selm. “We agreed on nothing,” Lind said afterwards."
    [prepared] = prepare_many([[(text, None)]], nlp)
    analysis = analyse(prepared, gazetteer, "t.txt", None, lambda _p, _q, c: seen.append(c))
    assert [q.actor for q in analysis.quotes] == ["Arvo Lind"]  # the rules alone
    [options] = seen
    assert "Arvo Lind" in {c.name for c in options}
    assert all(len(c.features) == len(attribution.FEATURES) for c in options)
    model = attribution.load_model()
    assert model is not None
    assert [m.name for m in attribution.choose(options, model)] == ["Arvo Lind"]


def test_the_model_is_a_dot_product_and_a_sigmoid() -> None:
    model = attribution.Model((1.0, -2.0), 0.5, 0.5)
    assert model.score([0.0, 0.0]) == 0.5
    assert abs(model.score([1.0, 0.0]) - 0.7310585786) < 1e-9


def test_a_name_the_rules_could_not_resolve_is_not_replaced_by_a_guess() -> None:
    quotes = [
        (q.actor, q.text)
        for q in analysis_of(
            "Opposition Leader Vera Kross said she would vote no.",
            "'We will wait.' — Mister Nobody Known",
        ).quotes
    ]
    assert quotes == [(None, "We will wait.")]


def test_a_clause_whose_subject_names_no_one_is_credited_by_the_model() -> None:
    """'The party's campaign team is framing it as “...”': the rules see a subject that is no
    name; a quote credited to no one always counts wrong, so the model picks among the names
    nearby, as for a speech verb whose subject names no one."""
    text = (
        "The Valdorian Unity Party met in Selm on Monday. The party's campaign team is framing "
        "the vote as “a choice between order and chaos for every family”."
    )
    rules = analysis_of(text, model=None).quotes
    assert [q.actor for q in rules] == [None]
    assert [q.actor for q in analysis_of(text).quotes] == ["Valdorian Unity Party"]


def test_a_name_inside_the_speech_verbs_subject_is_marked() -> None:
    """'The Larkmart doctor said “...”': the subject names no one, but a name inside it tells
    whose doctor speaks (a feature of its own, in_speech_subject); the subject's own name
    ('Vera Kross said') and names elsewhere are not marked by it."""
    from sitegen.ingest.actors import analyse, prepare_many
    from sitegen.ingest.gazetteer import Gazetteer
    from sitegen.ingest.lexicon import load_lexicon
    from sitegen.ingest.nlp import load_pipeline

    nlp = load_pipeline()
    gazetteer = Gazetteer(load_lexicon(), [], nlp.tokenizer)
    marked = attribution.AT["in_speech_subject"]
    for text, inside in (
        (
            "Arvo Lind met Vera Kross in Selm on Monday. The Larkmart doctor said Lind's "
            "symptoms had “nearly cleared up”.",
            {"Larkmart"},
        ),
        ("Arvo Lind met Vera Kross in Selm. Vera Kross said the talks were “useful”.", set()),
    ):
        seen: list[list[attribution.Candidate]] = []
        [prepared] = prepare_many([[(text, None)]], nlp)
        analyse(prepared, gazetteer, "t.txt", None, lambda _p, _q, c, seen=seen: seen.append(c))
        [options] = seen
        assert "Arvo Lind" in {c.name for c in options}
        assert {c.name for c in options if c.features[marked]} == inside


def test_ingest_never_imports_a_learning_library() -> None:
    script = """
import sys
from tests.ingest.conftest import analysis_of
analysis_of("Arvo Lind said: “We agreed on nothing.”")
print(sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy", "numpy")))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "sklearn" not in done.stdout and "scipy" not in done.stdout, done.stdout


def test_training_writes_the_committed_weights(tmp_path: Path) -> None:
    """Reproducible: the script, run again over the committed corpus, writes the same file:
    the same candidates, features and settings exactly, the same weights within one unit of
    their last digit (releases of scikit-learn and NumPy differ in round-off: a fresh install
    in December 2026 moved four of them by 0.0001, and a byte-for-byte test failed)."""
    pytest.importorskip("sklearn")
    out = tmp_path / "attribution.json"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--write", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    made, committed = json.loads(out.read_bytes()), json.loads(DATA.read_bytes())
    made_weights, committed_weights = made.pop("weights"), committed.pop("weights")
    assert made == committed
    assert list(made_weights) == list(committed_weights)
    for name, weight in committed_weights.items():
        assert made_weights[name] == pytest.approx(weight, abs=0.00015), name


def test_balanced_training_weighs_every_outlet_the_same() -> None:
    """--balance: an outlet with many candidates pulls the weights no harder than one with
    few (a feature only the big outlet shows right loses weight against the small one's)."""
    pytest.importorskip("sklearn")
    module = trainer()
    n = len(attribution.FEATURES)

    def row(outlet: str, feature: int, label: int) -> object:
        features = [0.0] * n
        features[0], features[feature] = 1.0, 1.0
        return module.Row("tune", outlet, features, label)

    big = [row("valdoria-daily", 1, 1) for _ in range(30)] + [row("valdoria-daily", 2, 0)] * 30
    small = [row("ostria-post", 1, 0), row("ostria-post", 2, 1)]
    plain = module.train(big + small)
    balanced = module.train(big + small, balance=True)
    assert plain.weights[1] > balanced.weights[1]
    assert plain.weights[2] < balanced.weights[2]


def test_training_reads_unattributed_quotes_as_entries_or_bare_text() -> None:
    """Some parts' golds (frozen11-frozen13, frozen17) list an unattributed quote as its bare
    text, the others as {"text": ...}: the training script reads both."""
    module = trainer()
    gold = {"unattributed_quotes": ["“We agreed on nothing.”", {"text": "We agreed."}]}
    assert module.unattributed_keys(gold) == [
        module.quote_key("“We agreed on nothing.”"),
        module.quote_key("We agreed."),
    ]
