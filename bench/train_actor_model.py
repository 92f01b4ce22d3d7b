#!/usr/bin/env python3
"""Does a learned decision of who is an actor beat ingest's rules on unseen outlets?

Usage: python bench/train_actor_model.py [--model lr|lr-sparse|gb] [--c 1.0]
           [--threshold 0.5] [--wide] [--write FILE] [--parts tune,...] [--cache FILE]
       python bench/train_actor_model.py --train-parts tune,... --test-parts frozen11,...
           [--cache FILE] [--test-cache FILE] [--folds 5] [--model ...] [--threshold 0.5]

Issue 9's experiment (not shipped: see docs/ingest.md, "A learned actor decision"). Reads
every labelled briefing of the readable parts of tests/ingest_corpus (tune, validation,
frozen to frozen7; never frozen8, this round's validation set, nor later parts),
parses it once and takes each canonical name ingest could make an actor, with the features
of bench/actor_features.py. A name is labelled an actor when it resolves (by the project's
scorer, tests/ingest/ingest_scoring.py) to a required gold actor no earlier name of its
briefing resolved to; names resolving to an optional actor are left out of training.

Leave-one-outlet-out: for each outlet, a model trained on the other outlets decides
the held-out outlet's names (a quote's speaker stays an actor); the pooled predictions are
scored with the project's scorer beside the rules' own decision on the same candidates: all
outlets, validation+frozen outlets only (tune's rules score is optimistic), each outlet.
Then the required actors missed, split into those no candidate covers and those whose
candidate the decision rejects.

--model: lr (logistic regression on the dense features), lr-sparse (adds the sparse
features seen at least 10 times in training), gb (small gradient-boosted trees, sparse too).
--wide: add bench/actor_features.wider's candidates. --write FILE: train on all outlets and
write the weights (lr only), rounded, as JSON. --parts: which parts to read (round 4 read
tune,validation,frozen). --cache FILE: keep the parsed candidates there and read them back
on the next run (delete it after changing ingest).

--train-parts and --test-parts (round 22f): instead of leave-one-outlet-out, train on the
first parts and decide the candidates of the second, scored pooled beside the rules' decision
on the same candidates and beside every candidate accepted (the recall the candidates allow).
Besides --threshold, a threshold is chosen on the training parts only: outlet-grouped
--folds-fold cross-validation there, the best pooled F1 over THRESHOLDS. --cache holds the
training parts' candidates, --test-cache the test parts'.

Needs scikit-learn (`pip install -e '.[test]'`); `sitegen ingest` never imports it.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from actor_features import Candidate, briefing_candidates  # noqa: E402
from learn_attribution import PARTS  # noqa: E402 (the readable parts: one list for both)

from sitegen.ingest.actors import prepare_many  # noqa: E402
from sitegen.ingest.gazetteer import Gazetteer  # noqa: E402
from sitegen.ingest.lexicon import load_lexicon  # noqa: E402
from sitegen.ingest.nlp import load_pipeline  # noqa: E402
from sitegen.ingest.rawparse import decode, parse_raw  # noqa: E402
from tests.ingest.ingest_scoring import load_golds, name_table, normalise, score  # noqa: E402

CORPUS = ROOT / "tests" / "ingest_corpus"
SEED = 0
MIN_COUNT = 10  # a sparse feature seen fewer times in training is dropped
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


@dataclass
class Row:
    """One candidate name of one briefing."""

    outlet: str
    part: str
    file: str
    name: str
    features: dict[str, float]
    rules: bool
    speaker: bool
    label: int | None  # 1 actor, 0 not, None optional (not trained on)
    duplicate: bool  # resolves to a gold actor an earlier name of its briefing resolved to
    first: tuple[int, int]  # (paragraph, character) of its first mention
    first_acting: tuple[int, int]  # ... of its first acting mention (the rules')


def outlets(parts: tuple[str, ...] = PARTS) -> list[tuple[str, Path]]:
    return [
        (part, folder)
        for part in parts
        for folder in sorted((CORPUS / part).iterdir())
        if folder.is_dir()
    ]


def read_corpus(
    folders: list[tuple[str, Path]], wide: bool = False
) -> tuple[list[Row], dict[str, list[dict]]]:
    """Every candidate of every briefing of these outlets, and their golds by outlet."""
    nlp = load_pipeline()
    gazetteer = Gazetteer(load_lexicon(), [], nlp.tokenizer)  # a fresh site: no registry
    rows: list[Row] = []
    golds: dict[str, list[dict]] = {}
    for part, folder in folders:
        golds[folder.name] = load_golds(folder)
        files = [folder / g["file"] for g in golds[folder.name]]
        briefings = [parse_raw(decode(f.read_bytes()), f.name) for f in files]
        prepared = prepare_many([b.segments() for b in briefings], nlp, gazetteer.acronyms)
        for gold, paragraphs in zip(golds[folder.name], prepared, strict=True):
            found = briefing_candidates(paragraphs, gazetteer, wide)
            rows.extend(_rows(folder.name, part, gold, found))
    return rows, golds


def _rows(outlet: str, part: str, gold: dict, found: list[Candidate]) -> list[Row]:
    table = name_table(gold)
    required, optional = set(gold.get("actors", [])), set(gold.get("optional", []))
    named: set[str] = set()
    rows = []
    for candidate in sorted(found, key=lambda c: _first(c, acting=False)):
        resolved = table.get(normalise(candidate.name))
        duplicate = resolved is not None and resolved in named
        label = None if resolved in optional else int(resolved in required and not duplicate)
        speaker = candidate.features.get("speaker", 0.0) > 0
        first = _first(candidate, acting=False)
        acting = _first(candidate, acting=True) if candidate.rules else first
        rows.append(
            Row(
                outlet,
                part,
                gold["file"],
                candidate.name,
                candidate.features,
                candidate.rules,
                speaker,
                label,
                duplicate,
                first,
                acting,
            )
        )
        if resolved is not None:
            named.add(resolved)
    return rows


def _first(candidate: Candidate, acting: bool) -> tuple[int, int]:
    return min((n, m.start) for n, m in candidate.mentions if m.acting or not acting)


def predictions(rows: list[Row], accepted: list[bool]) -> list[dict]:
    """What ingest would print as these briefings' actors: the accepted names, in order of
    first acting mention (as its collector lists them; an added name's first mention)."""
    by_file: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for row, keep in zip(rows, accepted, strict=True):
        names = by_file.setdefault(row.file, [])
        if keep:
            names.append((row.first_acting, row.name))
    return [
        {"source": file, "actors": [{"name": n} for _, n in sorted(found)], "quotes": []}
        for file, found in by_file.items()
    ]


def kept(model: str, rows: list[Row]) -> list[dict[str, float]]:
    """The features a model of this kind sees."""
    if model == "lr":
        return [{k: v for k, v in r.features.items() if ":" not in k} for r in rows]
    return [r.features for r in rows]


def fit(rows: list[Row], model: str, c: float):  # -> a scikit-learn Pipeline
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train = [r for r in rows if r.label is not None]
    seen = Counter(f for r in train for f in r.features)
    data = [{k: v for k, v in f.items() if seen[k] >= MIN_COUNT} for f in kept(model, train)]
    if model == "gb":
        learner = HistGradientBoostingClassifier(
            max_depth=3, max_iter=100, learning_rate=0.05, random_state=SEED
        )
        pipeline = make_pipeline(DictVectorizer(sparse=False), learner)
    else:
        learner = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
        pipeline = make_pipeline(DictVectorizer(sort=True), learner)
    pipeline.fit(data, [r.label for r in train])
    return pipeline


def chances(pipeline, model: str, rows: list[Row]) -> list[float]:
    return [float(p) for p in pipeline.predict_proba(kept(model, rows))[:, 1]]


def decide(rows: list[Row], chance: list[float], threshold: float) -> list[bool]:
    """A quote's speaker stays an actor; the rest by the model's probability."""
    return [r.speaker or p >= threshold for r, p in zip(rows, chance, strict=True)]


def totals(golds: list[dict], rows: list[Row], accepted: list[bool]) -> str:
    result = score(golds, predictions(rows, accepted))
    return f"P {result.precision:.3f} R {result.recall:.3f} F1 {result.f1:.3f}"


def cross_validate(rows: list[Row], args) -> list[float]:
    """Each row's probability of being an actor, from a model that never saw its outlet."""
    chance = [0.0] * len(rows)
    for held in sorted({r.outlet for r in rows}):
        pipeline = fit([r for r in rows if r.outlet != held], args.model, args.c)
        index = [k for k, r in enumerate(rows) if r.outlet == held]
        held_out = chances(pipeline, args.model, [rows[k] for k in index])
        for k, p in zip(index, held_out, strict=True):
            chance[k] = p
    return chance


def grouped_folds(rows: list[Row], folds: int, args) -> list[float]:
    """Each row's probability from a model that never saw its outlet, in `folds` folds of
    whole outlets (cheaper than one fold an outlet)."""
    names = sorted({r.outlet for r in rows})
    fold = {name: k % folds for k, name in enumerate(names)}
    chance = [0.0] * len(rows)
    for held in range(folds):
        pipeline = fit([r for r in rows if fold[r.outlet] != held], args.model, args.c)
        index = [k for k, r in enumerate(rows) if fold[r.outlet] == held]
        held_out = chances(pipeline, args.model, [rows[k] for k in index])
        for k, p in zip(index, held_out, strict=True):
            chance[k] = p
    return chance


def load(parts: tuple[str, ...], cache: Path | None, wide: bool):
    """The parts' candidates and golds, from the cache when it exists."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    rows, golds = read_corpus(outlets(parts), wide)
    if cache:
        cache.write_bytes(pickle.dumps((rows, golds)))
    return rows, golds


def train_test(args) -> None:
    """Train on --train-parts, decide --test-parts' candidates; thresholds chosen on the
    training parts only."""
    train_parts, test_parts = args.train_parts.split(","), args.test_parts.split(",")
    assert not set(train_parts) & set(test_parts), "a part both trained on and tested"
    rows, golds = load(tuple(train_parts), args.cache, args.wide)
    test_rows, test_golds = load(tuple(test_parts), args.test_cache, args.wide)
    print(f"train {len(golds)} outlets, {len(rows)} candidates; ", end="")
    print(f"test {len(test_golds)} outlets, {len(test_rows)} candidates")
    gold = [g for outlet in golds.values() for g in outlet]
    chance = grouped_folds(rows, args.folds, args)
    rules = totals(gold, rows, [r.rules for r in rows])
    print(f"training parts, {args.folds}-fold by outlet: rules {rules}")
    best, best_f1 = args.threshold, -1.0
    for threshold in THRESHOLDS:
        accepted = decide(rows, chance, threshold)
        result = score(gold, predictions(rows, accepted))
        print(f"  threshold {threshold:.2f}: {totals(gold, rows, accepted)}")
        if result.f1 > best_f1:
            best, best_f1 = threshold, result.f1
    print(f"chosen on the training parts: threshold {best}")
    pipeline = fit(rows, args.model, args.c)
    test_chance = chances(pipeline, args.model, test_rows)
    test_gold = [g for outlet in test_golds.values() for g in outlet]
    print(
        f"test rules                 {totals(test_gold, test_rows, [r.rules for r in test_rows])}"
    )
    print(f"test every candidate       {totals(test_gold, test_rows, [True] * len(test_rows))}")
    for threshold in sorted({args.threshold, best}):
        accepted = decide(test_rows, test_chance, threshold)
        print(
            f"test {args.model} threshold {threshold:.2f} {totals(test_gold, test_rows, accepted)}"
        )


def separation(rows: list[Row], chance: list[float]) -> str:
    """ROC AUC of the outlet-out probabilities among the names the rules accept, and among
    those they reject: how well the model could overrule them at any threshold."""
    from sklearn.metrics import roc_auc_score

    out = []
    for label, rules in (("accepted", True), ("rejected", False)):
        index = [k for k, r in enumerate(rows) if r.rules == rules and r.label is not None]
        labels = [rows[k].label for k in index]
        auc = roc_auc_score(labels, [chance[k] for k in index])
        out.append(f"rules-{label} names {len(index)} ({sum(labels)} actors): AUC {auc:.3f}")
    return "; ".join(out)


def report(
    rows: list[Row], golds: dict[str, list[dict]], learned: dict[int, bool], read: tuple[str, ...]
) -> None:
    parts = {folder.name: part for part, folder in outlets(read)}
    names = list(parts)
    groups = [
        (f"all {len(names)} outlets", names),
        ("all but tune", [n for n in names if parts[n] != "tune"]),
        *((f"{part} part", [n for n in names if parts[n] == part]) for part in read),
        *((f"  {parts[n]}/{n}", [n]) for n in names),
    ]
    print(f"{'actor scores, outlet-out':36s} {'rules':28s} learned")
    for label, members in groups:
        index = [k for k, r in enumerate(rows) if r.outlet in members]
        sub = [rows[k] for k in index]
        gold = [g for n in members for g in golds[n]]
        rules = totals(gold, sub, [r.rules for r in sub])
        model = totals(gold, sub, [learned[k] for k in index])
        print(f"{label:36s} {rules:28s} {model}")
    required = sum(len(g.get("actors", [])) for outlet in golds.values() for g in outlet)
    positives = [k for k, r in enumerate(rows) if r.label == 1]
    print(
        f"required actors {required}: no candidate {required - len(positives)}; "
        f"a candidate the rules reject {sum(not rows[k].rules for k in positives)}, "
        f"the model rejects {sum(not learned[k] for k in positives)}; "
        f"second names for one actor the rules accept "
        f"{sum(r.rules and r.duplicate for r in rows)}"
    )


def write(rows: list[Row], args) -> None:
    pipeline = fit(rows, "lr", args.c)
    vectoriser, learner = pipeline[0], pipeline[1]
    names = vectoriser.get_feature_names_out()
    data = {
        "about": "a learned actor decision (not shipped): bench/train_actor_model.py --write",
        "c": args.c,
        "threshold": args.threshold,
        "trained_on": sum(r.label is not None for r in rows),
        "bias": round(float(learner.intercept_[0]), 4),
        "weights": {
            str(n): round(float(w), 4) for n, w in zip(names, learner.coef_[0], strict=True)
        },
    }
    args.write.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.write}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=("lr", "lr-sparse", "gb"), default="lr")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation (lr)")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--wide", action="store_true", help="wider candidates too")
    parser.add_argument("--write", type=Path, help="train on all outlets, write weights here")
    parser.add_argument("--cache", type=Path, help="parsed candidates, kept between runs")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated corpus parts")
    parser.add_argument("--train-parts", help="train on these parts (with --test-parts)")
    parser.add_argument("--test-parts", help="decide and score these parts' candidates")
    parser.add_argument("--test-cache", type=Path, help="the test parts' parsed candidates")
    parser.add_argument("--folds", type=int, default=5, help="folds choosing the threshold")
    args = parser.parse_args()
    if args.train_parts or args.test_parts:
        assert args.train_parts and args.test_parts, "--train-parts needs --test-parts"
        print(f"model {args.model}, C {args.c}, threshold {args.threshold}, wide {args.wide}")
        train_test(args)
        return
    read = tuple(args.parts.split(","))
    print(f"model {args.model}, C {args.c}, threshold {args.threshold}, wide {args.wide}")
    if args.cache and args.cache.exists():
        rows, golds = pickle.loads(args.cache.read_bytes())
    else:
        rows, golds = read_corpus(outlets(read), args.wide)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((rows, golds)))
    chance = cross_validate(rows, args)
    learned = dict(enumerate(decide(rows, chance, args.threshold)))
    report(rows, golds, learned, read)
    print(separation(rows, chance))
    if args.write:
        write(rows, args)


if __name__ == "__main__":
    main()
