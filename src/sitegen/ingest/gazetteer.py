"""Every name ingest already knows: the package's lists plus the registry's actors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon
from .registry import Actor
from .textutil import Token, tokenize

_JOIN = re.compile(r"(?:’s|'s)?[ \t\n]+")


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # person | organization | country | group | other | place | media
    capital: bool = False  # a capital: the government when it acts, a place otherwise
    actor: Actor | None = None  # the registry actor it names


def form_tokens(form: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(form, []))


class Gazetteer:
    def __init__(self, lexicon: Lexicon, actors: list[Actor]) -> None:
        self.lexicon = lexicon
        self._forms: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self.last_names: dict[str, set[str]] = {}
        self.actors: dict[str, Actor] = {}
        for form, known in lexicon.known.items():
            self._add(form, Entry(known.name, known.kind, known.capital))
        for actor in actors:
            self.add_actor(actor)

    def add_actor(self, actor: Actor) -> None:
        self.actors[actor.name] = actor
        for form in [actor.name, *actor.aliases]:
            known = self.lexicon.known.get(form)
            capital = bool(known and known.capital and known.name == actor.name)
            self._add(form, Entry(actor.name, actor.kind, capital, actor))
        words = actor.name.split()
        if actor.kind == "person" and len(words) >= 2:
            self.last_names.setdefault(words[-1], set()).add(actor.name)

    def _add(self, form: str, entry: Entry) -> None:
        tokens = form_tokens(form)
        if not tokens:
            return
        bucket = self._forms.setdefault(tokens[0], [])
        bucket[:] = [(t, e) for t, e in bucket if t != tokens]
        bucket.append((tokens, entry))
        bucket.sort(key=lambda pair: -len(pair[0]))

    def match(self, tokens: list[Token], at: int, text: str) -> tuple[int, Entry] | None:
        """The longest known form starting at token `at`: (its length in tokens, entry)."""
        for form, entry in self._forms.get(tokens[at].text, ()):
            end = at + len(form)
            if end <= len(tokens) and self._fits(tokens, at, form, text):
                return len(form), entry
        return None

    @staticmethod
    def _fits(tokens: list[Token], at: int, form: tuple[str, ...], text: str) -> bool:
        for offset in range(1, len(form)):
            token = tokens[at + offset]
            if token.text != form[offset] or token.masked:
                return False
            if not _JOIN.fullmatch(text, tokens[at + offset - 1].end, token.start):
                return False
        return True
