"""A learned second look at whose a quote is: the rules (speakers.py) choose, then a small
logistic model scores every name that could be the speaker and keeps those it trusts.

For each quote the candidates are the names the rules chose, every name in the quote's
paragraph and the paragraph before, and the speakers of the quote before. Each is described
by a few numbers read off the parse (`features`): whether the rules chose it and by which
route, where it stands from the quote (sentence, side, distance), how it relates to the
speech verb and how often it is named. The weights (`data/attribution.json`) are
trained by `bench/learn_attribution.py` on the committed corpus; here they are applied in
plain Python, a dot product and a sigmoid, so ingest needs no learning library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from .grammar import INVERTED_SUBJECTS, SPEECH_VERBS, TITLE_WORDS
from .textutil import sentences_of, tokens_between

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .quotes import QuoteSpan
    from .textutil import Mention

MODEL_VERSION = 1
ROUTES = (
    "predicate",
    "verb",
    "signed",
    "colon",
    "announced",
    "clause",
    "according",
    "asked",
    "last_said",
    "previous",
)
NONE_ROUTES = ("none", "none-verb", "none-alone", "none-clause", "none-nobody")  # no one, why
FEATURES = (
    "bias",
    "rules_chose",
    *(f"rules_{route}" for route in ROUTES),
    "rules_chose_several",
    "rules_chose_none",
    *(f"rules_{route.replace('-', '_')}" for route in NONE_ROUTES),
    "previous_speaker",
    "previous_speaker_far",
    "same_sentence",
    "previous_sentence",
    "next_sentence",
    "paragraph_before",
    "inside_quote",
    "before_quote",
    "nearest_before",
    "nearest_after",
    "log_distance",
    "subject",
    "subject_of_speech_verb",
    "subject_of_governor",
    "subject_of_speech_before",
    "subject_of_speech_after",
    "subject_of_root",
    "in_speech_subject",
    "last_named_before",
    "object_or_oblique",
    "possessor_or_modifier",
    "has_role",
    "title_word_near",
    "created",
    "acting",
    "log_mentions",
    "log_quote_words",
    "quote_alone",
)

AT = {name: k for k, name in enumerate(FEATURES)}  # a feature's place in a vector


@dataclass
class Candidate:
    """A name that may have said a quote, with the mention that stands for it."""

    name: str
    mention: Mention
    features: list[float]


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    threshold: float  # a name scored at least this is a speaker
    joint: float  # a second or later name must score at least this too

    def score(self, features: list[float]) -> float:
        total = sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-total))


@cache
def load_model() -> Model | None:
    """The committed weights (None if the file is missing: the rules decide alone)."""
    try:
        text = resources.files("sitegen.ingest").joinpath("data/attribution.json").read_text()
    except FileNotFoundError:
        return None
    return model_from(json.loads(text))


def model_from(data: dict) -> Model:
    if data.get("version") != MODEL_VERSION or tuple(data.get("features", ())) != FEATURES:
        raise ValueError("data/attribution.json does not match this version of ingest")
    weights = tuple(float(data["weights"][name]) for name in FEATURES)
    return Model(weights, float(data["threshold"]), float(data["joint"]))


@dataclass
class Paragraph:
    """What the features of a quote's candidates need to know of its paragraph."""

    doc: Doc
    mentions: list[Mention]  # named mentions, the rules' created ones included
    created: set[int]  # ids of mentions the rules created ('the military')
    before: list[Mention]  # named mentions of the paragraph before


def candidates(
    paragraph: Paragraph,
    quote: QuoteSpan,
    rules: list[Mention],
    route: str,
    previous: list[Mention],
    gap: int = 0,
) -> list[Candidate]:
    """Every name that may be the quote's speaker, with its features. `previous`: the
    speakers of the last quote that had any, `gap` paragraphs before this one."""
    doc = paragraph.doc
    inside = tokens_between(doc, quote.start, quote.end)
    if not inside:
        return []
    sentence = inside[0].sent
    sentences = sentences_of(doc)
    at = next(k for k, s in enumerate(sentences) if s.start == sentence.start)
    governor = _governor(inside)
    speakers_of = _speech_subjects(sentence, inside)
    by_name: dict[str, list[tuple[Mention, bool]]] = {}
    for mention in paragraph.mentions:
        if mention.name and mention.kind != "place":
            by_name.setdefault(mention.name, []).append((mention, False))
    for mention in [*rules, *previous]:
        if mention.name and mention.name not in by_name:
            by_name.setdefault(mention.name, []).append((mention, True))
    for mention in paragraph.before:
        if mention.name and mention.kind != "place" and mention.name not in by_name:
            by_name.setdefault(mention.name, []).append((mention, True))
    nearest_of = {  # each name's mention nearest the quote
        name: min(ms, key=lambda p: _position(p[0], p[1], doc, quote, inside)[1])
        for name, ms in by_name.items()
    }
    spans = {name: _position(m, far, doc, quote, inside) for name, (m, far) in nearest_of.items()}
    before = [n for n, (side, dist, _) in spans.items() if side < 0 and dist < 99]
    after = [n for n, (side, dist, _) in spans.items() if side > 0 and dist < 99]
    nearest_before = min(before, key=lambda n: spans[n][1], default=None)
    nearest_after = min(after, key=lambda n: spans[n][1], default=None)
    chosen = {m.name for m in rules}
    said_before = {m.name for m in previous}
    words = [t for t in inside if not t.is_punct]
    alone = not [t for t in sentence if t.i not in {u.i for u in inside} and not t.is_punct]
    found = []
    for name, mentions in by_name.items():
        features = _features(
            nearest_of[name][0],
            [m for m, _ in mentions],
            paragraph,
            sentences,
            at,
            governor,
            quote,
        )
        features[AT["rules_chose"]] = float(name in chosen)
        for r in ROUTES:
            features[AT[f"rules_{r}"]] = float(name in chosen and route == r)
        features[AT["rules_chose_several"]] = float(name in chosen and len(chosen) > 1)
        features[AT["rules_chose_none"]] = float(not chosen)
        for r in NONE_ROUTES:
            features[AT[f"rules_{r.replace('-', '_')}"]] = float(route == r)
        features[AT["previous_speaker"]] = float(name in said_before)
        features[AT["previous_speaker_far"]] = float(name in said_before and gap > 1)
        features[AT["before_quote"]] = float(spans[name][0] < 0)
        features[AT["nearest_before"]] = float(name == nearest_before)
        features[AT["nearest_after"]] = float(name == nearest_after)
        features[AT["log_distance"]] = math.log1p(spans[name][1])
        features[AT["log_quote_words"]] = math.log1p(len(words))
        features[AT["quote_alone"]] = float(alone)
        for key, heads in speakers_of.items():
            if any(_covers(m, heads) for m, far in mentions if not far):
                features[AT[key]] = 1.0
        if features[AT["subject_of_speech_before"]] or features[AT["subject_of_speech_after"]]:
            features[AT["in_speech_subject"]] = 0.0  # the subject's own name ('Vera Kross')
        last = paragraph.before[-1].name if paragraph.before else None
        features[AT["last_named_before"]] = float(name == last)
        found.append(Candidate(name, nearest_of[name][0], features))
    return found


def _position(
    mention: Mention, far: bool, doc: Doc, quote: QuoteSpan, inside: list[Token]
) -> tuple[int, int, bool]:
    """(side, token distance, inside): -1 before the quote, 1 after, 0 inside; a name from
    elsewhere (another paragraph, a created one) is far (distance 99)."""
    if far or _far(mention, doc):
        return (-1, 99, False)
    if quote.start <= mention.start < quote.end:
        return (0, 50, True)
    if mention.end <= quote.start:
        return (-1, max(0, inside[0].i - mention.j), False)
    return (1, max(0, mention.i - inside[-1].i), False)


def _features(
    mention: Mention,
    mentions: list[Mention],
    paragraph: Paragraph,
    sentences: list[Span],
    at: int,
    governor: Token | None,
    quote: QuoteSpan,
) -> list[float]:
    doc = paragraph.doc
    values = [0.0] * len(FEATURES)

    def put(name: str, value: float | bool) -> None:
        values[AT[name]] = float(value)

    put("bias", 1)
    here = [m for m in mentions if m in paragraph.mentions and not _far(m, doc)]
    if not here:
        put("paragraph_before", any(m in paragraph.before for m in mentions))
    for m in here:
        token = doc[m.head] if 0 <= m.head < len(doc) else doc[m.i]
        where = next(k for k, s in enumerate(sentences) if s.start <= token.i < s.end)
        inside = quote.start <= m.start < quote.end
        if inside:
            put("inside_quote", 1)
            continue
        for name, offset in (("same_sentence", 0), ("previous_sentence", -1), ("next_sentence", 1)):
            if where - at == offset:
                put(name, 1)
        if token.dep_ in ("nsubj", "nsubjpass"):
            put("subject", 1)
            if token.head.lemma_.lower() in SPEECH_VERBS:
                put("subject_of_speech_verb", 1)
            if governor is not None and token.head.i == governor.i:
                put("subject_of_governor", 1)
        elif token.dep_ in ("dobj", "pobj", "dative", "attr", "agent"):
            put("object_or_oblique", 1)
        elif token.dep_ in ("poss", "compound", "amod", "nmod"):
            put("possessor_or_modifier", 1)
        window = doc[max(0, m.i - 3) : min(len(doc), m.j + 3)]
        if any(t.lower_ in TITLE_WORDS for t in window):
            put("title_word_near", 1)
    put("has_role", any(m.role for m in mentions))
    put("created", any(id(m) in paragraph.created for m in mentions))
    put("acting", any(m.acting for m in mentions))
    put("log_mentions", math.log1p(len(here)))
    return values


def _speech_subjects(sentence: Span, inside: list[Token]) -> dict[str, set[int]]:
    """The words that are subjects of the speech verb nearest before the quote in its
    sentence, of the first one after it ('“...,” says X' too) and of the sentence's root;
    a coordinated subject counts whole ('A and B said')."""
    members = {t.i for t in inside}
    verbs = [
        t
        for t in sentence
        if t.i not in members and t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS
    ]
    before = [v for v in verbs if v.i < inside[0].i]
    after = [v for v in verbs if v.i > inside[-1].i]
    subjects = {
        "subject_of_speech_before": _subject_words(before[-1]) if before else set(),
        "subject_of_speech_after": _subject_words(after[0], inverted=True) if after else set(),
        "subject_of_root": _subject_words(sentence.root),
    }
    heads = subjects["subject_of_speech_before"] | subjects["subject_of_speech_after"]
    subjects["in_speech_subject"] = {  # 'Ostria's chief statistician said': Ostria
        t.i for h in heads for t in sentence.doc[h].subtree if t.i not in heads
    }
    return subjects


def _subject_words(verb: Token, inverted: bool = False) -> set[int]:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and inverted:
        subjects = [c for c in verb.children if c.i > verb.i and c.dep_ in INVERTED_SUBJECTS]
    words: set[int] = set()
    for subject in subjects:
        words.add(subject.i)
        words.update(c.i for c in subject.conjuncts)
    return words


def _covers(mention: Mention, heads: set[int]) -> bool:
    return mention.head in heads or any(k in heads for k in range(mention.i, mention.j))


def _far(mention: Mention, doc: Doc) -> bool:
    return mention.j > len(doc) or doc[mention.i].idx != mention.start


def _governor(inside: list[Token]) -> Token | None:
    """The first word outside the quote that its words hang from ('X said “...”')."""
    members = {t.i for t in inside}
    for token in inside:
        head = token.head
        while head.i in members and head.head.i != head.i:
            head = head.head
        if head.i not in members:
            return head
    return None


# Routes by which the rules found who speaks and it names no one we know: a name they could
# not resolve ('Jo Park: “...”', '— Mister Nobody'). Someone said it, not any candidate: the
# model does not guess. A quote's clause whose subject is no name ('The president's team is
# casting Lind as “reckless”') is no such route: the description stands for someone the
# text names nearby, and a quote credited to no one always counts wrong (round 11: leave one
# outlet out 0.760 / 0.788 -> 0.762 / 0.790 attribution / precision, frozen8 0.543 / 0.578 ->
# 0.576 / 0.611).
UNRESOLVED = ("signed", "colon")


def choose(found: list[Candidate], model: Model) -> list[Mention]:
    """The speakers the model trusts, in the order the text names them: the best name if it
    scores at least the threshold, and every other name scoring at least the joint
    threshold too ('A and B said' gives both)."""
    scores = [model.score(c.features) for c in found]
    if not scores or max(scores) < model.threshold:
        return []
    best = scores.index(max(scores))
    bar = max(model.joint, model.threshold)
    together = AT["rules_chose_several"]  # the rules read a joint quote ('A and B said')
    joint = bool(found[best].features[together])  # and the model agrees on one of them
    return [
        c.mention
        for k, c in enumerate(found)
        if k == best or scores[k] >= bar or (joint and c.features[together])
    ]
