"""Actor and quote quality on the committed corpus of real briefings, scored per outlet.

`tests/ingest_corpus/PART/OUTLET/` holds paraphrased real daily briefings with gold labels
that follow GUIDELINES.md and docs/labelling.md (see each outlet's README.md), in thirteen
parts split by outlet:

- `tune`: what ingest's rules were developed on;
- `validation`: six outlets the rules were never written against; while developing, only its
  summary scores were looked at, to tell whether a change generalises;
- `frozen`: seven outlets nobody working on ingest read or scored; scored once, at the end
  of issue 9's first round.
- `frozen2`: eight more outlets, built and labelled (by two annotators) after the rules were
  last changed and while the learned attribution was developed without them; scored once,
  at the end of the round that added it, then the validation set of round 5 (summary scores
  only).
- `frozen3`: eight more outlets (76 briefings), built and labelled (by two annotators) while
  round 5 worked without them; scored once, at the end of round 5, then round 6's
  validation set (summary scores only); training data since round 7.
- `frozen4`: eight more outlets (80 briefings), built and labelled (by two annotators) while
  round 6 worked without them; scored once, at the end of round 6, then round 7's
  validation set (summary scores only); training data since round 8.
- `frozen5`: eight more outlets (76 briefings), built and labelled (by two annotators) while
  round 7 worked without them; scored once, at the end of round 7, then round 8's
  validation set (summary scores only); training data since round 9.
- `frozen6`: eight more outlets (80 briefings), built and labelled (by two annotators) while
  round 8 worked without them; scored once, at the end of round 8, then round 9's
  validation set (summary scores only); training data since round 11.
- `frozen7`: eight more outlets (79 briefings), built and labelled (by two annotators) while
  round 9 worked without them; scored once, at the end of round 9, then round 10's
  validation set (summary scores only); training data since round 11.
- `frozen8`: nine more outlets (69 briefings), built and labelled (by two annotators) while
  round 10 worked without them; scored once, at the end of round 10, then round 11's
  validation set (summary scores only). Not training data.
- `frozen9`: eight more outlets (76 briefings), built and labelled (by two annotators) while
  round 11 worked without them; scored once, at the end of round 11, then round 12's
  validation set (summary scores only). Not training data.
- `frozen10`: eight more outlets (76 briefings), built and labelled (by two annotators) while
  round 12 worked without them; scored once, at the end of round 12, then round 13's
  validation set (summary scores only). Not training data.
- `frozen11`: six more outlets (58 briefings), built and labelled (by three annotators, checked
  by two) while round 13 worked without them; scored once, at the end of round 13. Not
  training data.
- `frozen12`: six more outlets (55 briefings), built and labelled (by four annotators, checked
  by three) while this session's three changes (datelines, portfolios, titles) were written
  without them; scored once, after those changes. Not training data.
- `frozen13`: five more outlets (48 briefings), built and labelled (by three annotators,
  checked by two) while the acronym rule was written on frozen12 without them; scored once,
  at the end of the session. Not training data.
- `frozen14`: six more outlets (58 briefings), built and labelled (by three annotators,
  checked by three) while round 15's rules were written on the spent parts without them;
  scored once, at the end of round 15. Not training data.
- `frozen15`: six more outlets (59 briefings), built and labelled (by three annotators,
  checked by three) while round 16's rules were written on the spent parts without them;
  scored once, at the end of round 16. Not training data. One outlet (GMA News) writes its
  rundowns in Tagalog with English names and quotes.
- `frozen16`: eight more outlets (77 briefings), built and labelled (by four annotators,
  checked by four) while round 17's rules were written on the spent parts without them;
  scored once, at the end of round 17. Round 18's training data.
- `frozen17`: eight more outlets (77 briefings), built and labelled (by four annotators,
  checked by four) while round 18's rules were written on the spent parts without them;
  scored once, at the end of round 18. Round 19's validation part; not training data.
- `frozen18`: eight more outlets (78 briefings), built and labelled (by four annotators,
  checked by four) while round 19's rules were written on the spent parts without them;
  scored once, at the end of round 19. Not training data.
- `frozen19`: eight more outlets (76 briefings), built and labelled (by four annotators,
  checked by four) while round 20's rules were written on the spent parts without them;
  scored once, at the end of round 20. Not training data.
- `frozen20`: eight more outlets (77 briefings), built and labelled (by four annotators,
  checked by four) while round 21's rules were written on the spent parts without them;
  scored once, at the end of round 21. Not training data.
- `frozen21`: eight more outlets (75 briefings), built and labelled (by four annotators,
  checked by four) while round 22's rules were tried on the spent parts without them;
  scored once, at the end of round 22 (which kept no rule). Not training data.
- `frozen22`: eight more outlets (76 briefings), built and labelled (by four annotators,
  checked by four) while round 25's rules were written on the spent parts without them;
  scored once, at the end of round 25. Not training data.
- `frozen23`: eight more outlets (76 briefings), built and labelled (by four annotators,
  checked by four) while rounds 29-31's rules were written on the spent parts without them;
  scored with the session's starting code and once at the end of round 31. Not training data.

The first nine parts are training data (since round 11): the learned quote attribution
(attribution.py, trained by bench/learn_attribution.py) is fitted on every outlet of them,
so their quote figures here are not held out (nor is their actor F1, which the attribution
touches). `frozen2` is spent for actors too: round 5 judged its actor rules by frozen2's
summary scores (never its texts).
The held-out figures are the leave-one-outlet-out ones in docs/ingest.md; a next round needs
new outlets.

Each part has its own thresholds below, scored with the project's scorer
(tests/ingest/ingest_scoring.py, the rules of the evaluation's score_ingest.py, which a test
below compares it with). Every threshold is the score measured when it was set, less a small
margin: they catch a regression. They are not the issue's targets (actor F1 >= 0.90, quote
attribution >= 0.90, quote precision >= 0.95, quote found >= 0.97 on outlets ingest never
saw), which the validation and frozen parts do not reach yet (docs/ingest.md has the table).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .ingest_scoring import Totals, load_golds, score
from .score_corpus import predict

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "ingest_corpus"
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "samples").is_dir()), None
)

# part -> (actor F1, quote found, quote attribution, quote precision), overall, measured at
# the end of round 9 (actors and quotes merged, the learned attribution retrained on the
# first seven parts: in-sample figures for those; earlier figures in brackets). Round 11
# trains it on the first nine parts (tune to frozen7); every part's figures since are in
# docs/ingest.md, "Round 11 on quotes":
THRESHOLDS = {
    # 0.898 / 0.996 / 0.900 / 0.919 (round 8: 0.898 / 0.996 / 0.904 / 0.915)
    "tune": (0.88, 0.98, 0.88, 0.90),
    # 0.860 / 0.974 / 0.753 / 0.776 (round 8: 0.859 / 0.974 / 0.740 / 0.750)
    "validation": (0.84, 0.95, 0.73, 0.75),
    # 0.810 / 0.950 / 0.710 / 0.747 (rules alone, scored once: 0.776 / 0.950 / 0.620 / 0.653)
    "frozen": (0.79, 0.93, 0.69, 0.72),
    # 0.803 / 0.958 / 0.802 / 0.823, round 5's validation set (summary scores only; first
    # scored 0.788 at the end of round 4; rules alone then: 0.785 / 0.958 / 0.617 / 0.606;
    # round 8: 0.797 / 0.958 / 0.784 / 0.787)
    "frozen2": (0.78, 0.93, 0.78, 0.80),
    # 0.766 / 0.963 / 0.565 / 0.606 (round 8: 0.761 / 0.963 / 0.556 / 0.596); training data
    # since round 7; round 6's validation set; scored 0.740 at the end of round 5, unseen
    "frozen3": (0.74, 0.94, 0.54, 0.58),
    # 0.764 / 0.945 / 0.761 / 0.787 (round 8: 0.751 / 0.945 / 0.734 / 0.759), round 7's
    # validation set, training data since round 8; scored 0.741 / 0.945 / 0.734 / 0.759 at
    # the end of round 6, unseen
    "frozen4": (0.74, 0.92, 0.74, 0.76),
    # 0.794 / 0.950 / 0.736 / 0.780 (round 8, not trained on: 0.781 / 0.950 / 0.714 /
    # 0.769), round 8's validation set; scored 0.763 / 0.950 / 0.664 / 0.715 at the end of
    # round 7, unseen. Training data since round 9.
    "frozen5": (0.77, 0.93, 0.71, 0.76),
    # 0.816 / 0.985 / 0.772 / 0.770, round 9's validation set (summary scores only); scored
    # 0.796 / 0.975 / 0.761 / 0.768 once at the end of round 8, unseen. Training data since
    # round 11: 0.819 / 0.985 / 0.802 / 0.793.
    "frozen6": (0.79, 0.96, 0.77, 0.76),
    # 0.765 / 0.938 / 0.673 / 0.710, scored once at the end of round 9, unseen (main before
    # round 9: 0.758 / 0.938 / 0.646 / 0.682); round 10's validation set (summary scores
    # only): actor F1 0.769. Training data since round 11: 0.776 / 0.938 / 0.655 / 0.685
    # after its merge (two quotes fewer right, in-sample and outlet-out alike).
    "frozen7": (0.74, 0.91, 0.63, 0.66),
    # 0.702 / 0.957 / 0.543 / 0.565, scored once at the end of round 10, unseen (main before
    # round 10, i.e. round 9: the same figures); 0.707 with the calendar words left out, a
    # change made after reading it. Not training data. Round 11's validation set (summary
    # scores only, read all round to choose among variants): 0.723 / 0.957 / 0.696 / 0.680
    # after its merge (actors and quotes together, the weights retrained).
    "frozen8": (0.70, 0.93, 0.66, 0.65),
    # 0.740 / 0.964 / 0.643 / 0.649, scored once at the end of round 11, unseen (main before
    # round 11: 0.746 / 0.964 / 0.652 / 0.658). Not training data. Round 12's validation set
    # (summary scores only): 0.741 / 0.964 / 0.643 / 0.649 after its merge.
    "frozen9": (0.71, 0.94, 0.61, 0.62),
    # 0.747 / 0.959 / 0.711 / 0.761, scored once at the end of round 12, unseen (main before
    # round 12: 0.745 / 0.959 / 0.711 / 0.761). Not training data.
    "frozen10": (0.72, 0.93, 0.68, 0.73),
    # 0.801 / 1.000 / 0.829 / 0.829, scored once at the end of round 13, unseen (main before
    # round 13: the same; round 13 changed nothing at run time). Not training data. 0.809 /
    # 1.000 / 0.886 / 0.886 with the dateline and portfolio rules (written after reading it).
    "frozen11": (0.78, 0.97, 0.79, 0.79),
    # 0.617 / 0.968 / 0.806 / 0.826, scored once after the dateline and portfolio rules,
    # unseen (main before them: the same figures). Not training data. 0.624 with the acronym
    # rule (written after reading it).
    "frozen12": (0.60, 0.94, 0.78, 0.80),
    # 0.713 / 0.957 / 0.870 / 0.889, scored once at the end of the session, unseen (main as
    # the session began: the same figures). Not training data.
    "frozen13": (0.69, 0.93, 0.84, 0.86),
    # 0.766 / 0.972 / 0.597 / 0.597, scored once at the end of round 15, unseen (main as the
    # session began: 0.767 / 0.972 / 0.597 / 0.597). Not training data. 0.769 / 0.972 / 0.625 /
    # 0.625 with the hyphenated-rank rule (written after reading it).
    "frozen14": (0.74, 0.94, 0.57, 0.57),
    # 0.680 / 0.966 / 0.603 / 0.638, scored once at the end of round 16, unseen (main as the
    # session began: 0.677 / 0.966 / 0.586 / 0.603). Not training data. 0.682 with the
    # bracketed-byline rule (written after reading it).
    "frozen15": (0.65, 0.93, 0.57, 0.60),
    # 0.721 / 0.973 / 0.699 / 0.726, scored once at the end of round 17, unseen (main as the
    # session began: the same figures). 0.752 actor F1 with round 18's credits rule (written
    # after reading it).
    "frozen16": (0.69, 0.94, 0.67, 0.70),
    # 0.756 / 0.986 / 0.738 / 0.757, scored once at the end of round 18, unseen (main as the
    # session began: the same figures). Not training data. 0.758 actor F1 with round 19's
    # rules (frozen17 was their validation part).
    "frozen17": (0.72, 0.95, 0.70, 0.72),
    # 0.779 / 0.976 / 0.747 / 0.761, scored once at the end of round 19, unseen (main as the
    # session began: the same figures). Not training data.
    "frozen18": (0.75, 0.94, 0.71, 0.73),
    # 0.792 / 0.985 / 0.758 / 0.750, scored once at the end of round 20, unseen (main as the
    # session began: 0.791 / 0.985 / 0.750 / 0.742). Not training data. 0.798 actor F1 with
    # the hyphenated-surname rule (written after reading it).
    "frozen19": (0.76, 0.95, 0.72, 0.72),
    # 0.751 / 0.976 / 0.735 / 0.759, scored once at the end of round 21, unseen (main as the
    # session began: 0.739 / 0.976 / 0.759 / 0.783). Not training data. 0.759 / 0.783 in
    # attribution and quote precision with 'restate' a verb of saying, 0.762 actor F1 with a
    # newsletter's 'Round Up' (both found after reading it).
    "frozen20": (0.72, 0.95, 0.73, 0.75),
    # 0.743 / 1.000 / 0.927 / 0.905, scored once at the end of round 22, unseen (main as the
    # session began: the same figures; round 22 kept no rule). Not training data. 0.750
    # actor F1 with a name starting after a sign ('Market & Commodity ■ Taiwan', found after
    # reading it). Only 41 quotes: one quote is 0.024 of attribution.
    "frozen21": (0.71, 0.97, 0.89, 0.87),
    # 0.779 / 1.000 / 0.789 / 0.786, scored once at the end of round 25, unseen (main as the
    # session began: the same figures; round 25's two rules moved none of its names). Not
    # training data.
    "frozen22": (0.75, 0.97, 0.75, 0.75),
    # 0.755 / 0.949 / 0.718 / 0.757, scored once at the end of round 31, unseen (main as the
    # session began: the same figures; rounds 29-31 moved none of its names or quotes). Not
    # training data.
    "frozen23": (0.72, 0.92, 0.68, 0.72),
}
PREDICTED: dict[str, list[dict]] = {}  # part -> what ingest printed, filled by `scored`
OUTLET_FLOOR = 0.70  # actor F1 of every tune outlet: no outlet is left behind entirely


def outlets(part: str) -> list[Path]:
    folder = CORPUS / part
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def predictions(ingest, *paths: Path) -> list[dict]:
    result = ingest(*paths, dry_run=True, fmt="json")
    assert all(entry["error"] is None for entry in result.json()), result.err
    return result.json()


@pytest.fixture(scope="module")
def scored() -> dict[str, dict[str, Totals]]:
    """part -> outlet (and 'all') -> scores, from one ingest run per part."""
    results: dict[str, dict[str, Totals]] = {}
    for part in THRESHOLDS:
        folders = outlets(part)
        if not folders:
            continue
        predicted = predict(*folders)
        PREDICTED[part] = predicted
        by_outlet = {f.name: score(load_golds(f), predicted) for f in folders}
        golds = [g for f in folders for g in load_golds(f)]
        by_outlet["all"] = score(golds, predicted)
        results[part] = by_outlet
    return results


def test_corpus_is_complete() -> None:
    tune = outlets("tune")
    assert len(tune) >= 10
    for folder in tune:
        raws = sorted(folder.glob("*.txt"))
        assert raws and (folder / "README.md").is_file(), folder
        assert all((p.parent / f"{p.stem}.gold.json").exists() for p in raws), folder
    assert sum(len(list(f.glob("*.gold.json"))) for f in tune) >= 100


@pytest.mark.parametrize("part", list(THRESHOLDS))
def test_part_scores(scored, part: str) -> None:
    if part not in scored:
        pytest.skip(f"no {part} part in tests/ingest_corpus/")
    totals = scored[part]["all"]
    per_outlet = "\n".join(f"{o}: {t.summary()}" for o, t in scored[part].items())
    f1, found, attributed, precise = THRESHOLDS[part]
    assert totals.f1 >= f1, per_outlet
    assert totals.quote_found >= found, per_outlet
    assert totals.quote_attribution >= attributed, per_outlet
    assert totals.quote_precision >= precise, per_outlet


def test_every_quote_speaker_is_an_actor_of_its_briefing(scored) -> None:
    for entry in PREDICTED["tune"]:
        names = {a["name"] for a in entry["actors"]}
        strays = {q["actor"] for q in entry["quotes"] if q["actor"] and q["actor"] not in names}
        assert not strays, entry["source"]


@pytest.mark.parametrize("outlet", ["afp", "kyiv-independent", "moscow-times"])
def test_a_briefing_reads_the_same_alone_as_with_others(scored, ingest, outlet: str) -> None:
    """What a briefing names does not depend on what else is ingested in the same run
    (GUIDELINES.md): an outlet alone gives what the whole corpus in one run gives. These
    three spell the same people differently (Zelensky, Zelenskiy, Zelenskyy)."""
    alone = predictions(ingest, CORPUS / "tune" / outlet)
    together = {Path(e["source"]).name: e for e in PREDICTED["tune"]}
    for entry in alone:
        other = together[Path(entry["source"]).name]
        assert (entry["actors"], entry["quotes"]) == (other["actors"], other["quotes"])


def test_no_calendar_word_is_an_actor(scored) -> None:
    """Feeds glue their time stamps to the text ('...the continent.Wed, 29 Mar 2023'), and
    the model types 'Wed', 'Feb', 'Sep' as names: they were actors, even speakers, in
    frozen2 and frozen8. (Months that are also names, 'May', 'June', are not in the list.)"""
    from sitegen.ingest.syntax import CALENDAR_WORDS

    assert {"wed", "feb", "sept"} <= CALENDAR_WORDS and not {"may", "june"} & CALENDAR_WORDS
    for part, entries in PREDICTED.items():
        for entry in entries:
            named = {a["name"] for a in entry["actors"]} | {q["actor"] for q in entry["quotes"]}
            calendar = {n for n in named if n and n.lower().rstrip(".") in CALENDAR_WORDS}
            assert not calendar, (part, entry["source"], calendar)


def test_no_tune_outlet_left_behind(scored) -> None:
    low = {o: t.summary() for o, t in scored["tune"].items() if t.f1 < OUTLET_FLOOR}
    assert not low


@pytest.mark.skipif(SHARED is None, reason="the shared samples are not here")
def test_shared_sample_scores(ingest) -> None:
    assert SHARED is not None
    golds = load_golds(SHARED / "samples")
    totals = score(golds, predictions(ingest, *sorted((SHARED / "samples").glob("*.txt"))))
    assert totals.f1 >= 0.90, totals.report()
    assert totals.quote_attribution >= 0.85, totals.report()


@pytest.mark.skipif(
    SHARED is None or not (SHARED / "tools" / "score_ingest.py").exists(),
    reason="the shared scorer is not here",
)
def test_own_scorer_agrees_with_the_shared_one(ingest, tmp_path: Path) -> None:
    assert SHARED is not None
    folders = outlets("tune")[:4]
    predicted = predictions(ingest, *folders)
    pred_file = tmp_path / "pred.json"
    pred_file.write_text(json.dumps(predicted), encoding="utf-8")
    golds = sorted(str(p) for f in folders for p in f.glob("*.gold.json"))
    shared = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_ingest.py"), *golds, "--pred", pred_file],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    ours = score([g for f in folders for g in load_golds(f)], predicted)
    assert shared[-2].endswith(
        f"actor_precision={ours.precision:.3f} actor_recall={ours.recall:.3f}"
    )
    assert shared[-1] == ours.summary()


def test_a_briefing_without_capitals_keeps_most_of_its_actors(tmp_path: Path) -> None:
    """Caption and speech-to-text transcripts come in lower case: ingest restores the
    capitals the text implies (casing.restore_case). AFP's briefings lower-cased, the gold
    unchanged (the scorer ignores case): actor F1 0.793 (0.088 before the restoring; as
    written, 0.885)."""
    source = CORPUS / "tune" / "afp"
    folder = tmp_path / "afp"
    folder.mkdir()
    for raw in source.glob("*.txt"):
        (folder / raw.name).write_text(raw.read_text(encoding="utf-8").lower(), encoding="utf-8")
    totals = score(load_golds(source), predict(folder))
    assert totals.f1 >= 0.77, totals.summary()
