"""Every name ingest already knows: the package's lists plus the registry's actors."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .registry import Actor

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc


def name_key(name: str) -> str:
    """One key for the spellings of one name: accents, case, Zelenskiy / Zelensky /
    Zelenskyy, Sergei / Sergey, Dmitry / Dmitri, Defence / Defense, a leading 'the', a middle
    initial."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", plain.replace("’", "'").replace("'s ", " "))
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 2:  # a middle initial: 'Donald J. Trump' is 'Donald Trump'
        words = [w for n, w in enumerate(words) if len(w) > 1 or n in (0, len(words) - 1)]
    keyed = []
    for word in words:
        word = word.replace("defence", "defense").replace("organisation", "organization")
        if len(word) > 3:
            word = re.sub(r"(?:iy|yy|ii|ij|y)$", "i", word)
        keyed.append(word)
    return " ".join(keyed)


def cased_forms(lexicon: Lexicon, actors: list[Actor]) -> dict[str, str]:
    """The known names with capitals, by their lower-case form ('nato' -> 'NATO'), for text
    written without capitals (casing.restore_case). A form that is also a common word in
    lower case ('US', 'WHO') is left out."""
    from spacy.lang.en.stop_words import STOP_WORDS  # ingest only: spaCy is loaded anyway

    forms = [*lexicon.known, *lexicon.demonyms]
    for actor in actors:
        forms.extend([actor.name, *actor.aliases])
    cased: dict[str, str] = {}
    for form in forms:
        lower = form.lower()
        if len(lower) != len(form) or lower == form or len(lower) < 3 or lower in STOP_WORDS:
            continue
        cased.setdefault(lower, form)
    return cased


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # person | organization | country | group | other | place | media
    capital: bool = False  # a capital: the government when it acts, a place otherwise
    actor: Actor | None = None  # the registry actor it names
    region: bool = False  # a state or province: its authorities when it acts (C12)


class Gazetteer:
    """Known forms, matched token by token as spaCy's tokenizer splits them."""

    def __init__(self, lexicon: Lexicon, actors: list[Actor], tokenizer: Tokenizer) -> None:
        self.lexicon = lexicon
        self.tokenizer = tokenizer
        self._forms: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self.last_names: dict[str, set[str]] = {}  # name_key of a surname -> full names
        self.by_key: dict[str, str] = {}  # name_key of a registry name or alias -> name
        self.actors: dict[str, Actor] = {}
        self.acronyms: set[str] = set(lexicon.acronyms)  # forms in capitals: never re-cased
        for form, known in lexicon.known.items():
            self._add(form, Entry(known.name, known.kind, known.capital, region=known.region))
        for actor in actors:
            self.add_actor(actor)

    def add_actor(self, actor: Actor) -> None:
        self.actors[actor.name] = actor
        for form in [actor.name, *actor.aliases]:
            if form.upper() == form:
                self.acronyms.add(form)
            known = self.lexicon.known.get(form)
            capital = bool(known and known.capital and known.name == actor.name)
            self._add(form, Entry(actor.name, actor.kind, capital, actor))
            if form == actor.name or " " in form:  # a one-word alias only as written
                self.by_key.setdefault(name_key(form), actor.name)
        words = actor.name.split()
        if actor.kind == "person" and len(words) >= 2:
            self.last_names.setdefault(name_key(words[-1]), set()).add(actor.name)

    def _add(self, form: str, entry: Entry) -> None:
        tokens = tuple(t.text for t in self.tokenizer(form))
        if not tokens:
            return
        bucket = self._forms.setdefault(tokens[0], [])
        bucket[:] = [(t, e) for t, e in bucket if t != tokens]
        bucket.append((tokens, entry))
        bucket.sort(key=lambda pair: -len(pair[0]))

    def match(self, doc: Doc, at: int) -> tuple[int, Entry] | None:
        """The longest known form starting at token `at`: (its length in tokens, entry)."""
        for form, entry in self._forms.get(doc[at].text, ()):
            end = at + len(form)
            if end <= len(doc) and all(
                doc[at + n].text == word for n, word in enumerate(form[1:], 1)
            ):
                return len(form), entry
        return None
