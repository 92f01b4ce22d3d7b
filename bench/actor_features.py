"""Candidates and features for the learned actor decision tried in issue 9 (not shipped).

The rules (src/sitegen/ingest/syntax.py, speakers.py) find a briefing's names and say,
mention by mention, whether each acts. Here each canonical name of a briefing becomes one
`Candidate`, described by numbers read from the rules and the parse (`features`): the rules'
own decision, whether it speaks a quote, its kind, the dependency role of each mention's
head and the word governing it, the model's entity label, title words nearby, position
(first paragraph, sentence start), casing, gazetteer hits. `wider` proposes further names
the rules do not find (noun phrases holding a proper noun). bench/train_actor_model.py
trains on them and judges the result outlet-out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitegen.ingest.actors import Prepared, mentions_of
from sitegen.ingest.gazetteer import Gazetteer, name_key
from sitegen.ingest.grammar import SPEECH_VERBS, TITLE_WORDS
from sitegen.ingest.lexicon import Lexicon
from sitegen.ingest.rawparse import is_link_line
from sitegen.ingest.syntax import EXCERPT_WORDS, acts
from sitegen.ingest.textutil import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

KINDS = ("person", "organization", "country", "group", "other")
DEPS = ("nsubj", "nsubjpass", "agent", "poss", "pobj", "dobj", "compound", "appos", "conj")
LABELS = ("PERSON", "ORG", "GPE", "NORP")
_NOT_NAME = ("PRP$", "POS", "WP$")


@dataclass
class Candidate:
    """One canonical name of a briefing and its mentions (paragraph number, mention)."""

    name: str
    kind: str
    mentions: list[tuple[int, Mention]] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)

    @property
    def rules(self) -> bool:
        """The rules make it an actor: one of its mentions acts."""
        return any(m.acting for _, m in self.mentions)


def briefing_candidates(
    prepared: list[Prepared], gazetteer: Gazetteer, wide: bool = False
) -> list[Candidate]:
    """The names of one briefing that could be actors, as ingest reads it, with features."""
    segments, quotes = mentions_of(prepared, gazetteer)
    extra: set[Mention] = set()
    if wide:
        for part, mentions in segments:
            if is_link_line(part.text):
                continue
            shorter = [(q.start, q.end) for q in part.quotes if len(q.text.split()) < EXCERPT_WORDS]
            for mention in wider(part.doc, mentions, shorter):
                mention.name = gazetteer.by_key.get(name_key(mention.name or ""), mention.name)
                extra.add(mention)
                mentions.append(mention)
    speakers = {q.actor for q in quotes if q.actor}
    return candidates([(p.doc, m) for p, m in segments], speakers, gazetteer.lexicon, extra)


def candidates(
    segments: list[tuple[Doc, list[Mention]]],
    speakers: set[str],
    lexicon: Lexicon,
    extra: set[Mention],
) -> list[Candidate]:
    """The names that could be actors (places never are), each with its features."""
    found: dict[str, Candidate] = {}
    for number, (_, mentions) in enumerate(segments):
        for mention in mentions:
            if mention.name and mention.kind != "place":
                candidate = found.setdefault(mention.name, Candidate(mention.name, mention.kind))
                candidate.mentions.append((number, mention))
    docs = [doc for doc, _ in segments]
    for candidate in found.values():
        candidate.features = features(candidate, docs, candidate.name in speakers, lexicon)
        if all(m in extra for _, m in candidate.mentions):
            candidate.features["wide"] = 1.0
    return list(found.values())


def wider(doc: Doc, mentions: list[Mention], quoted: list[tuple[int, int]]) -> list[Mention]:
    """Noun phrases with a proper noun in them ('Kyiv authorities', 'The Economist') that
    no mention of the rules covers and that are no one's quoted words. They start as not
    acting: only a model would make one an actor."""
    taken = {k for m in mentions for k in range(m.i, m.j)}
    found = []
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.dep_ not in ("det", "case") and t.tag_ not in _NOT_NAME]
        if not words or not any(t.pos_ == "PROPN" for t in words):
            continue
        i, j = words[0].i, words[-1].i + 1
        if any(k in taken for k in range(chunk.start, chunk.end)) or not doc[i].is_title:
            continue
        start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
        if any(a <= start < b for a, b in quoted):
            continue
        kind = "person" if chunk.root.ent_type_ == "PERSON" else "organization"
        mention = Mention(i, j, start, end, kind, doc[i:j].text)
        mention.head = chunk.root.i
        found.append(mention)
    return found


def features(
    candidate: Candidate, docs: list[Doc], speaker: bool, lexicon: Lexicon
) -> dict[str, float]:
    """What the rules and the parse say about one name. Dense features have plain names;
    sparse ones (the word governing a mention, its tag...) have a ':' in theirs."""
    mentions = [m for _, m in candidate.mentions]
    segments = {number for number, _ in candidate.mentions}
    rules = float(candidate.rules)
    kind = candidate.kind if candidate.kind in KINDS else "other"
    name = candidate.name
    known = lexicon.known.get(name)
    out: dict[str, float] = {
        "rules": rules,
        "rules_share": sum(m.acting for m in mentions) / len(mentions),
        f"rules_{kind}": rules,
        "speaker": float(speaker),
        "mentions": math.log1p(len(mentions)),
        "segments": math.log1p(len(segments)),
        f"kind_{kind}": 1.0,
        "known": float(any(m.known for m in mentions)),
        "role": float(any(m.role for m in mentions)),
        "first_segment": float(0 in segments),
        "first_segment_only": float(segments == {0}),
        "one_word": float(" " not in name),
        "capitals": float(name.replace(".", "").replace(" ", "").isupper()),
        "place_name": float(known is not None and known.kind in ("country", "place")),
        "demonym": float(any(w in lexicon.demonyms for w in name.split())),
    }
    labels: set[str] = set()
    for number, mention in candidate.mentions:
        doc = docs[number]
        if not 0 <= mention.head < len(doc):
            continue
        head = doc[mention.head]
        dep = "agent" if head.dep_ == "pobj" and head.head.dep_ == "agent" else head.dep_
        if dep in DEPS:
            out[f"dep_{dep}"] = 1.0
        if dep in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in SPEECH_VERBS:
            out["speech_verb"] = 1.0
        if acts(head):
            out["parse_acts"] = 1.0
        if any(t.lower_ in TITLE_WORDS for t in doc[max(0, mention.i - 3) : mention.j + 3]):
            out["title_near"] = 1.0
        if mention.i == head.sent.start:
            out["sentence_start"] = 1.0
        labels.add(head.ent_type_)
        for word in _context(head, mention.acting):
            out[word] = 1.0
    for label in LABELS:
        if label in labels:
            out[f"ent_{label}"] = 1.0
    if not labels & set(LABELS):
        out["ent_none"] = 1.0
    return out


def _context(head: Token, acting: bool) -> list[str]:
    """Sparse features: the mention's role and the word that governs it ('d:nsubj>announce',
    'd:pobj>by>attack'), its tag and entity label, the word before its phrase."""
    dep, governor = head.dep_, head.head
    out = [f"d:{dep}", f"tag:{head.tag_}", f"ent:{head.ent_type_ or '-'}"]
    if dep == "pobj":
        out.append(f"d:pobj>{governor.lower_}")
        out.append(f"d:pobj>{governor.lower_}>{governor.head.lemma_.lower()}")
    elif governor.i != head.i:
        out.append(f"d:{dep}>{governor.lemma_.lower()}")
        out.append(f"d:{dep}>{governor.dep_}")
    if acting:
        out.append(f"acts:{dep}")
    left = head.left_edge
    if left.i > 0:
        out.append(f"before:{head.doc[left.i - 1].lower_}")
    return out
