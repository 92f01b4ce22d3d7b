"""A briefing's actors, their mentions and quotes.

Persons and organisations count wherever they are named; a country or capital counts only
where it acts (says, wants, sends; 'according to'; 'Russia’s demands'), since a place that
does nothing is not an actor. A lone surname takes the full name the briefing or the
registry gives it ("Lavrov" -> Sergei Lavrov); a lone unknown word counts only with
evidence that it names someone ("Putin accepted", "spoke with Blinken").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .finders import ParagraphFinder
from .gazetteer import Gazetteer
from .quotes import Attributor, Paragraph, QuoteSpan, find_quotes
from .registry import Actor
from .textutil import Mention, Token, mask, sentence_bounds, sentence_starts, tokenize


@dataclass
class Quote:
    actor: str | None
    text: str
    item: int | None


@dataclass
class Analysis:
    actors: list[Actor]  # in order of first appearance (registry actors as they are)
    links: list[list[Mention]]  # per segment: the mentions that become [[...]] markup
    quotes: list[Quote]
    new_actors: list[Actor]  # found here and not in the registry
    new_aliases: dict[str, list[str]] = field(default_factory=dict)  # registry name -> forms


@dataclass(frozen=True)
class Prepared:
    """A paragraph read once: its quotes, sentences and words (no names known yet)."""

    text: str
    item: int | None
    quotes: list[QuoteSpan]
    sentences: list[tuple[int, int]]
    tokens: list[Token]


def prepare(segments: list[tuple[str, int | None]]) -> list[Prepared]:
    prepared = []
    for text, item in segments:
        quotes = find_quotes(text)
        spans = [(q.start, q.end) for q in quotes]
        starts = sentence_starts(mask(text, spans) if spans else text)
        tokens = tokenize(text, [(s + 1, e) for s, e in spans], starts)
        prepared.append(Prepared(text, item, quotes, sentence_bounds(starts, len(text)), tokens))
    return prepared


@dataclass
class _Segment:
    text: str
    item: int | None
    finder: ParagraphFinder
    quotes: list[QuoteSpan]
    sentences: list[tuple[int, int]]


def _segment(part: Prepared, gazetteer: Gazetteer) -> _Segment:
    finder = ParagraphFinder(part.text, part.tokens, gazetteer)
    finder.run()
    return _Segment(part.text, part.item, finder, part.quotes, part.sentences)


def _full_names(segments: list[_Segment]) -> dict[str, set[str]]:
    """Last word -> the multi-word person names that end with it."""
    table: dict[str, set[str]] = {}
    for segment in segments:
        for mention in segment.finder.mentions:
            words = (mention.name or "").split()
            if mention.kind == "person" and len(words) >= 2:
                table.setdefault(words[-1], set()).add(mention.name or "")
    return table


def _resolve_lone_names(segments: list[_Segment], gazetteer: Gazetteer) -> None:
    """Give each lone unknown word a name, or drop it when nothing says it names someone."""
    in_briefing = _full_names(segments)
    accepted: dict[str, str] = {}
    lone = [(s, m) for s in segments for m in s.finder.mentions if m.kind == "single"]
    for segment, mention in lone:
        word = segment.text[mention.start : mention.end]
        owners = in_briefing.get(word) or gazetteer.last_names.get(word) or set()
        if mention.name is None and len(owners) == 1:
            mention.name = next(iter(owners))
        elif mention.name is None and segment.finder.lone_name_evidence(mention):
            mention.name = word
        if mention.name:
            accepted[word] = mention.name
    for segment, mention in lone:
        word = segment.text[mention.start : mention.end]
        mention.name = mention.name or accepted.get(word)
        acronym = segment.finder.tokens[mention.i].acronym
        mention.kind = "organization" if acronym else "person"
    for segment in segments:
        segment.finder.mentions = [m for m in segment.finder.mentions if m.name]


def _propagate_coordination(segment: _Segment) -> None:
    """'NATO and the U.S. have called', 'Poland, Hungary and Slovakia said': all of a list
    act when its last name does. A comma alone joins names only inside such a list."""
    mentions = segment.finder.mentions
    in_list = False
    for left, right in reversed(list(pairwise(mentions))):
        gap = segment.text[left.end : right.start]
        joined = bool(re.fullmatch(r",?\s+(?:and|or)\s+(?:the\s+)?", gap)) or (
            in_list and bool(re.fullmatch(r",\s+(?:the\s+)?", gap))
        )
        if joined:
            left.acting = left.acting or right.acting
        in_list = joined


def _attribute(segments: list[_Segment]) -> list[Quote]:
    roles = {m.name: m.role for s in segments for m in s.finder.mentions if m.role and m.name}
    attributor = Attributor(roles)
    quotes: list[Quote] = []
    for segment in segments:
        finder = segment.finder
        paragraph = Paragraph(segment.text, finder.tokens, finder.mentions, segment.sentences)
        speakers = attributor.attribute(paragraph, segment.quotes)
        for quote, speaker in zip(segment.quotes, speakers, strict=True):
            if speaker is not None:
                speaker.acting = True
            quotes.append(Quote(speaker.name if speaker else None, quote.text, segment.item))
    return quotes


class _Collector:
    """Turns the mentions into the actor list, links, new actors and new aliases."""

    def __init__(self, gazetteer: Gazetteer, source: str) -> None:
        self.gaz = gazetteer
        self.source = source
        self.order: list[str] = []
        self.kinds: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.forms: dict[str, list[str]] = {}

    def counts(self, mention: Mention, acting_countries: set[str]) -> bool:
        return mention.kind != "country" or mention.name in acting_countries

    def collect(self, segments: list[_Segment]) -> list[list[Mention]]:
        acting = {
            m.name
            for s in segments
            for m in s.finder.mentions
            if m.kind == "country" and m.acting and m.name
        }
        links: list[list[Mention]] = []
        for segment in segments:
            kept = []
            for mention in segment.finder.mentions:
                if not mention.name or not self.counts(mention, acting):
                    continue
                place = segment.finder.as_place(mention)
                if place and mention.kind == "organization":
                    continue
                self._note(mention, segment.text[mention.start : mention.end])
                if mention.link and not place:
                    kept.append(mention)
            links.append(kept)
        return links

    def _note(self, mention: Mention, written: str) -> None:
        name = mention.name or ""
        if name not in self.kinds:
            self.order.append(name)
            self.kinds[name] = mention.kind
            self.forms[name] = []
        if mention.role and name not in self.roles:
            self.roles[name] = mention.role
        if mention.link and written != name and written not in self.forms[name]:
            self.forms[name].append(written)

    def actors(self) -> tuple[list[Actor], list[Actor], dict[str, list[str]]]:
        actors, new, aliases = [], [], {}
        for name in self.order:
            known = self.gaz.actors.get(name)
            if known is not None:
                actors.append(known)
                unseen = [f for f in self.forms[name] if f not in known.aliases]
                if unseen:
                    aliases[name] = unseen
                continue
            actor = Actor(
                name,
                self.kinds[name],
                self.roles.get(name),
                list(self.forms[name]),
                source=self.source,
            )
            actors.append(actor)
            new.append(actor)
        return actors, new, aliases


def analyse(prepared: list[Prepared], gazetteer: Gazetteer, source: str) -> Analysis:
    """Actors, links and quotes of a briefing's lead, background and items (see prepare)."""
    parts = [_segment(part, gazetteer) for part in prepared]
    _resolve_lone_names(parts, gazetteer)
    for part in parts:
        part.finder.mentions.sort(key=lambda m: m.start)
        _propagate_coordination(part)
    quotes = _attribute(parts)
    collector = _Collector(gazetteer, source)
    links = collector.collect(parts)
    actors, new, aliases = collector.actors()
    return Analysis(actors, links, quotes, new, aliases)
