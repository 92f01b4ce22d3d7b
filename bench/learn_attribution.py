#!/usr/bin/env python3
"""Train the learned quote attribution (src/sitegen/ingest/attribution.py) and judge it.

Usage: python bench/learn_attribution.py [--cv] [--write] [--outlets a,b,...] [--parts p,q]
       [--train-parts p,q] [--balance] [--read a,b] [--listwise] [--joint x] [--errors]

Parses every briefing of the corpus's parts (the nine trained on by default: tune,
validation, frozen, frozen2 to frozen7; --parts reads fewer, or any of frozen8 to frozen17 too)
once, runs ingest's analysis with the rules alone and records each quote's candidate
speakers and their features (the run-time code: attribution.candidates), labelled from the
gold files: a candidate is right when its name resolves (the project's scorer's rules) to a
gold speaker of that quote; a quote the gold leaves unattributed has no right candidate; a
quote the gold does not list is left out.

--cv   leave-one-outlet-out: for each outlet, train on the others, analyse that outlet with
       the model, pool the predictions and score them with tests/ingest/ingest_scoring.py,
       beside the rules alone on the same briefings (all outlets, all but tune, each part).
       With --train-parts, each fold trains only on the other outlets of those parts (a
       learning curve judged on the same held-out outlets: every outlet read). With
       --balance, every outlet of a fold weighs the same in training (round 12: no gain).
       --read a,b pools the outlets read while writing a change apart from the others.
       --listwise trains each fold as a softmax over each quote's candidates (--joint: its
       bar for a second speaker); round 13: no gain over the pointwise model.
--errors  counts each gold quote entry once with the committed weights (right, wrong, to no
       one, not found) and the wrong or unnamed by the rules' route, with how many had no
       right name among the candidates (docs/ingest.md, "Round 13 on quotes").
--write  train on all outlets of the parts read and write
       src/sitegen/ingest/data/attribution.json (the same bytes every time: a deterministic
       solver, rounded weights). The committed file is trained on the nine parts of PARTS
       (since round 11; frozen8 to frozen17, readable since rounds 12 to 19, are not trained
       on: --parts with them and --write would train on them; round 19c trained on the 18
       parts up to frozen16 and judged it outlet-out: no gain, see docs/ingest.md).

Needs scikit-learn (`pip install -e '.[test]'`); ingest itself never imports it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from sitegen.ingest import attribution  # noqa: E402
from sitegen.ingest.actors import Analysis, Prepared, analyse, prepare_many  # noqa: E402
from sitegen.ingest.gazetteer import Gazetteer  # noqa: E402
from sitegen.ingest.lexicon import load_lexicon  # noqa: E402
from sitegen.ingest.nlp import load_pipeline  # noqa: E402
from sitegen.ingest.quotes import QuoteSpan  # noqa: E402
from sitegen.ingest.rawparse import decode, parse_raw  # noqa: E402
from tests.ingest.ingest_scoring import (  # noqa: E402
    Totals,
    _same_quote,
    load_golds,
    name_table,
    normalise,
    quote_key,
    score,
)

CORPUS = ROOT / "tests" / "ingest_corpus"
_QUOTES = itertools.count()  # numbers the quotes whose candidates are recorded
PARTS = (
    "tune",
    "validation",
    "frozen",
    "frozen2",
    "frozen3",
    "frozen4",
    "frozen5",
    "frozen6",
    "frozen7",
)
# every part a round may read: frozen8 (round 11's validation set) is readable since round 12,
# frozen9 (round 12's) since round 13, and so on to frozen17 (round 19's validation set);
# none is trained on (round 12: outlet-out frozen8 as training data changed nothing; round
# 19c: frozen8 to frozen16 neither, see docs/ingest.md)
READABLE = (*PARTS, *(f"frozen{n}" for n in range(8, 18)))
OUT = ROOT / "src" / "sitegen" / "ingest" / "data" / "attribution.json"
C = 1.0  # the logistic regression's inverse regularisation strength
THRESHOLD = 0.0  # the best name speaks whatever its score: no speaker counts as wrong
JOINT = 0.5  # a second speaker (a joint quote) needs at least this too
DIGITS = 4  # weights are rounded so that the file is the same on every machine


@dataclass
class Briefing:
    part: str
    outlet: str
    name: str  # the file name, as the gold's "file"
    prepared: list[Prepared]
    gold: dict


@dataclass
class Row:
    part: str
    outlet: str
    features: list[float]
    label: int
    quote: int = 0  # which quote of the corpus the candidate is for (--listwise)


@dataclass
class Corpus:
    briefings: list[Briefing] = field(default_factory=list)
    gazetteer: Gazetteer | None = None


def read_corpus(only: set[str] | None, parts: tuple[str, ...] = PARTS) -> Corpus:
    nlp = load_pipeline()
    gazetteer = Gazetteer(load_lexicon(), [], nlp.tokenizer)
    found: list[tuple[str, str, Path, dict]] = []
    for part in parts:
        for folder in sorted(p for p in (CORPUS / part).iterdir() if p.is_dir()):
            if only and folder.name not in only:
                continue
            golds = {g["file"]: g for g in load_golds(folder)}
            for raw in sorted(folder.glob("*.txt")):
                found.append((part, folder.name, raw, golds[raw.name]))
    briefings = [parse_raw(decode(raw.read_bytes()), raw.name) for _, _, raw, _ in found]
    parsed = prepare_many([b.segments() for b in briefings], nlp, frozenset(gazetteer.acronyms))
    corpus = Corpus(gazetteer=gazetteer)
    for (part, outlet, raw, gold), prepared in zip(found, parsed, strict=True):
        corpus.briefings.append(Briefing(part, outlet, raw.name, prepared, gold))
    return corpus


def as_json(briefing: Briefing, analysis: Analysis) -> dict:
    """What `--dry-run --format json` gives of a briefing (the keys the scorer reads)."""
    return {
        "source": briefing.name,
        "actors": [{"name": a.name, "kind": a.kind, "role": a.role} for a in analysis.actors],
        "quotes": [{"actor": q.actor, "text": q.text} for q in analysis.quotes],
    }


def unattributed_keys(gold: dict) -> list[str]:
    """The keys of the quotes the gold leaves unattributed: entries {"text": ...}, or (in
    frozen11-frozen13 and frozen17) the bare text."""
    return [
        quote_key(q if isinstance(q, str) else q["text"])
        for q in gold.get("unattributed_quotes", [])
    ]


def rows_of(corpus: Corpus, briefing: Briefing) -> tuple[list[Row], dict]:
    """The labelled candidates of a briefing's quotes, and the rules' prediction."""
    gold = briefing.gold
    table = name_table(gold)
    keys = [(quote_key(q["text"]), q["actor"]) for q in gold.get("quotes", [])]
    loose = unattributed_keys(gold)
    rows: list[Row] = []

    def observe(_: Prepared, quote: QuoteSpan, options: list[attribution.Candidate]) -> None:
        text = quote_key(quote.text)
        speakers = {who for key, who in keys if _same_quote(key, text)}
        if not speakers and not any(_same_quote(key, text) for key in loose):
            return  # not a quote the gold lists: nothing to learn from
        number = next(_QUOTES)
        for option in options:
            right = table.get(normalise(option.name)) in speakers
            rows.append(Row(briefing.part, briefing.outlet, option.features, int(right), number))

    assert corpus.gazetteer is not None
    analysis = analyse(briefing.prepared, corpus.gazetteer, briefing.name, None, observe)
    return rows, as_json(briefing, analysis)


def train(
    rows: list[Row],
    threshold: float = THRESHOLD,
    balance: bool = False,
    listwise: bool = False,
    joint: float = JOINT,
) -> attribution.Model:
    if listwise:
        return train_listwise(rows, threshold, joint)
    from sklearn.linear_model import LogisticRegression

    learner = LogisticRegression(
        C=C, fit_intercept=False, max_iter=10000, tol=1e-10, solver="lbfgs"
    )  # converged far below the rounding, so that every machine writes the same bytes
    weights = None
    if balance:  # every outlet weighs the same, however many candidates it has
        sizes: dict[str, int] = {}
        for row in rows:
            sizes[row.outlet] = sizes.get(row.outlet, 0) + 1
        weights = [len(rows) / (len(sizes) * sizes[r.outlet]) for r in rows]
    learner.fit([r.features for r in rows], [r.label for r in rows], sample_weight=weights)
    weights = tuple(round(float(w), DIGITS) for w in learner.coef_[0])
    return attribution.Model(weights, threshold, JOINT)


def train_listwise(
    rows: list[Row], threshold: float = THRESHOLD, joint: float = JOINT
) -> attribution.Model:
    """A conditional logit: the weights make each quote's right names the likeliest among its
    own candidates (a softmax per quote, as ingest chooses), L2 as the pointwise model's; the
    bias, which a softmax cannot see, is then fitted pointwise so that the joint bar (a
    second name's sigmoid score) keeps a meaning."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.array([r.features for r in rows], dtype=float)
    y = np.array([r.label for r in rows], dtype=float)
    quotes = np.array([r.quote for r in rows])
    order = np.argsort(quotes, kind="stable")
    x, y, quotes = x[order], y[order], quotes[order]
    starts = np.flatnonzero(np.r_[True, quotes[1:] != quotes[:-1]])
    has_right = np.add.reduceat(y, starts) > 0
    keep = np.repeat(has_right, np.diff(np.r_[starts, len(quotes)]))
    x, y, quotes = x[keep], y[keep], quotes[keep]
    starts = np.flatnonzero(np.r_[True, quotes[1:] != quotes[:-1]])
    group = np.cumsum(np.r_[False, quotes[1:] != quotes[:-1]])
    free = np.ones(x.shape[1], dtype=bool)
    free[attribution.AT["bias"]] = False

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        scores = x @ w
        top = np.maximum.reduceat(scores, starts)
        e = np.exp(scores - top[group])
        total = np.add.reduceat(e, starts)
        right = np.add.reduceat(e * y, starts)
        value = -np.sum(np.log(right / total)) + 0.5 * np.sum(w[free] ** 2) / C
        p_all, p_right = e / total[group], e * y / right[group]
        grad = x.T @ (p_all - p_right) + np.where(free, w, 0.0) / C
        return float(value), grad

    w0 = np.zeros(x.shape[1])
    found = minimize(
        loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 10000, "gtol": 1e-9}
    )
    w = found.x
    w[~free] = 0.0
    offset = np.array([r.features for r in rows], dtype=float) @ w
    labels = np.array([r.label for r in rows], dtype=float)

    def bias_loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        z = offset + b[0]
        p = 1.0 / (1.0 + np.exp(-z))
        value = np.sum(np.logaddexp(0.0, z) - labels * z)
        return float(value), np.array([np.sum(p - labels)])

    w[attribution.AT["bias"]] = minimize(bias_loss, np.zeros(1), jac=True, method="L-BFGS-B").x[0]
    weights = tuple(round(float(v), DIGITS) for v in w)
    return attribution.Model(weights, threshold, joint)


def model_data(model: attribution.Model, rows: list[Row], parts: tuple[str, ...]) -> dict:
    return {
        "about": (
            "Logistic weights over attribution.FEATURES, written by "
            f"bench/learn_attribution.py --write from tests/ingest_corpus/{{{','.join(parts)}}}"
        ),
        "version": attribution.MODEL_VERSION,
        "features": list(attribution.FEATURES),
        "weights": dict(zip(attribution.FEATURES, model.weights, strict=True)),
        "threshold": model.threshold,
        "joint": model.joint,
        "trained_on": {"candidates": len(rows), "right": sum(r.label for r in rows)},
    }


def line(label: str, totals: Totals) -> str:
    return (
        f"{label:30s} F1 {totals.f1:.3f} found {totals.quote_found:.3f} "
        f"attr {totals.quote_attribution:.3f} prec {totals.quote_precision:.3f}"
    )


def cross_validate(
    corpus: Corpus,
    rows: list[Row],
    rules: dict[str, dict],
    threshold: float,
    train_parts: tuple[str, ...] = PARTS,
    balance: bool = False,
    read: frozenset[str] = frozenset(),
    listwise: bool = False,
    joint: float = JOINT,
) -> None:
    assert corpus.gazetteer is not None
    outlets = sorted({b.outlet for b in corpus.briefings})
    learned: dict[str, dict] = {}
    for outlet in outlets:
        fold = [r for r in rows if r.outlet != outlet and r.part in train_parts]
        model = train(fold, threshold, balance, listwise, joint)
        for briefing in corpus.briefings:
            if briefing.outlet == outlet:
                analysis = analyse(briefing.prepared, corpus.gazetteer, briefing.name, model)
                learned[briefing.name] = as_json(briefing, analysis)

    def pooled(members: list[Briefing], predicted: dict[str, dict]) -> Totals:
        return score([b.gold for b in members], [predicted[b.name] for b in members])

    print(f"{'outlet (part)':30s} rules | learned (leave-one-outlet-out)")
    for outlet in outlets:
        members = [b for b in corpus.briefings if b.outlet == outlet]
        label = f"{outlet} ({members[0].part})"
        print(line(label, pooled(members, rules)), "|", line("", pooled(members, learned))[31:])
    groups = {
        "== all": corpus.briefings,
        "== all but tune": [b for b in corpus.briefings if b.part != "tune"],
    }
    if read:  # the outlets read while writing a change, and the others (the keep rule)
        groups["== outlets read"] = [b for b in corpus.briefings if b.outlet in read]
        groups["== outlets not read"] = [b for b in corpus.briefings if b.outlet not in read]
    for part in READABLE:
        groups[f"== {part}"] = [b for b in corpus.briefings if b.part == part]
    for label, members in groups.items():
        if not members:
            continue
        print(line(label, pooled(members, rules)), "|", line("", pooled(members, learned))[31:])
    changed = filled = 0
    for name, predicted in rules.items():
        pairs = zip(predicted["quotes"], learned[name]["quotes"], strict=False)
        for before, after in pairs:
            changed += bool(before["actor"]) and before["actor"] != after["actor"]
            filled += not before["actor"] and bool(after["actor"])
    print(f"entries whose speaker the model changed: {changed}; given one where the rules")
    print(f"gave none: {filled} (entries compared in order, a rough count)")
    print("speakers given to quotes the gold leaves unattributed: rules", end=" ")
    print(unattributed_credits(corpus, rules), "| learned", unattributed_credits(corpus, learned))


def route_of(options: list[attribution.Candidate]) -> str:
    """The rules' route for a quote, read back from its candidates' features."""
    for route in attribution.ROUTES:
        if any(o.features[attribution.AT[f"rules_{route}"]] for o in options):
            return route
    for route in attribution.NONE_ROUTES:
        if options and options[0].features[attribution.AT[f"rules_{route.replace('-', '_')}"]]:
            return route
    return "no names"  # the paragraph named no one the quote could be by


def _recorder(
    seen: list[tuple[str, list[str], str]],
) -> Callable[[Prepared, QuoteSpan, list[attribution.Candidate]], None]:
    def observe(_: Prepared, quote: QuoteSpan, options: list[attribution.Candidate]) -> None:
        seen.append((quote_key(quote.text), [o.name for o in options], route_of(options)))

    return observe


def count_errors(corpus: Corpus) -> None:
    """--errors: each gold quote entry once, with the committed weights: credited right,
    wrong, to no one, not found; the wrong or unnamed by the rules' route, and whether the
    right name was among the candidates (round 13's recount)."""
    assert corpus.gazetteer is not None
    status: dict[str, int] = {}
    by_route: dict[str, list[tuple[str, bool]]] = {}
    for briefing in corpus.briefings:
        table = name_table(briefing.gold)
        seen: list[tuple[str, list[str], str]] = []
        analysis = analyse(
            briefing.prepared, corpus.gazetteer, briefing.name, observe=_recorder(seen)
        )
        predicted = [(quote_key(q.text), q.actor) for q in analysis.quotes]
        for gold in briefing.gold.get("quotes", []):
            key, speaker = quote_key(gold["text"]), gold["actor"]
            actors = [a for k, a in predicted if _same_quote(key, k)]
            if not actors:
                verdict = "not found"
            elif any(a and table.get(normalise(a)) == speaker for a in actors):
                verdict = "right"
            else:
                verdict = "wrong" if any(actors) else "no one"
            status[verdict] = status.get(verdict, 0) + 1
            if verdict in ("wrong", "no one"):
                found = next((s for s in seen if _same_quote(key, s[0])), None)
                names, route = (found[1], found[2]) if found else ([], "unresolved")
                among = any(table.get(normalise(n)) == speaker for n in names)
                by_route.setdefault(route, []).append((briefing.outlet, among))
    print(", ".join(f"{k} {v}" for k, v in status.items()))
    print(f"{'route':12s} wrong/no one (outlets) | right name not a candidate (outlets)")
    for route, cases in sorted(by_route.items(), key=lambda kv: -len(kv[1])):
        missing = [o for o, among in cases if not among]
        print(
            f"{route:12s} {len(cases):4d} ({len({o for o, _ in cases}):2d}) | "
            f"{len(missing):4d} ({len(set(missing)):2d})"
        )


def unattributed_credits(corpus: Corpus, predicted: dict[str, dict]) -> int:
    """How many predicted entries name a speaker for a quote the gold says has none."""
    count = 0
    for briefing in corpus.briefings:
        loose = unattributed_keys(briefing.gold)
        for quote in predicted[briefing.name]["quotes"]:
            text = quote_key(quote["text"])
            count += bool(quote["actor"]) and any(_same_quote(key, text) for key in loose)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--outlets", default="")
    parser.add_argument("--parts", default=",".join(PARTS), help="the corpus parts to read")
    parser.add_argument(
        "--train-parts", default="", help="--cv: train each fold on these parts only"
    )
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--balance", action="store_true", help="--cv: weigh every outlet the same")
    parser.add_argument("--listwise", action="store_true", help="--cv: a softmax per quote")
    parser.add_argument("--errors", action="store_true", help="the wrong quotes, by route")
    parser.add_argument("--joint", type=float, default=JOINT, help="--listwise: the joint bar")
    parser.add_argument("--out", type=Path, default=OUT, help="where --write writes")
    parser.add_argument(
        "--read", default="", help="--cv: outlets read while writing a change (pooled apart)"
    )
    args = parser.parse_args()
    parts = tuple(p for p in READABLE if p in args.parts.split(","))
    corpus = read_corpus(set(filter(None, args.outlets.split(","))) or None, parts)
    if args.errors:
        count_errors(corpus)
    rows: list[Row] = []
    rules: dict[str, dict] = {}
    for briefing in corpus.briefings:
        found, predicted = rows_of(corpus, briefing)
        rows.extend(found)
        rules[briefing.name] = predicted
    print(
        f"{len(corpus.briefings)} briefings, {len(rows)} candidates, "
        f"{sum(r.label for r in rows)} right"
    )
    if args.cv:
        train_parts = tuple(filter(None, args.train_parts.split(","))) or parts
        read = frozenset(filter(None, args.read.split(",")))
        cross_validate(
            corpus,
            rows,
            rules,
            args.threshold,
            train_parts,
            args.balance,
            read,
            args.listwise,
            args.joint,
        )
    if args.write:
        data = model_data(train(rows), rows, parts)
        args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
