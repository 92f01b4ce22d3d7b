"""A paragraph's first sentence, and the Mention: a name found in a paragraph."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import load_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_LAST_WORD = re.compile(r"[\w.’'-]*$")
_SPACES = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[^\W\d_]|\s+\d|\s*$)")


def _is_abbreviation(word: str) -> bool:
    lowered = word.lower()
    return (
        "." in word
        or lowered in load_lexicon().words["abbreviations"]
        or (len(word) == 1 and word.isupper())
    )


def sentence_starts(masked_text: str) -> list[int]:
    """Offsets where sentences begin (the first is 0). Abbreviations do not end one."""
    starts = [0]
    for match in _SENTENCE_END.finditer(masked_text):
        window = masked_text[max(0, match.start() - 40) : match.start()]
        before = _LAST_WORD.search(window).group(0)  # type: ignore[union-attr]
        if match.group(0).startswith(".") and _is_abbreviation(before):
            continue
        starts.append(_SPACES.match(masked_text, match.end()).end())  # type: ignore[union-attr]
    return starts


@dataclass(slots=True, eq=False)  # compared by identity: two mentions of one name differ
class Mention:
    """A name found in a paragraph: tokens [i, j), characters [start, end)."""

    i: int
    j: int
    start: int
    end: int
    kind: str  # person | organization | country | group | place (never an actor)
    name: str | None = None  # canonical name once known
    acting: bool = False  # acts or speaks here (GUIDELINES.md): only then is it an actor
    link: bool = True  # becomes [[...]] markup in the body
    role: str | None = None
    capital: bool = False
    head: int = -1  # the parse token that stands for the mention in its sentence
    known: bool = False  # named by the registry or the package's lists
    guessed: bool = False  # a place only by the model's guess: the briefing may show a person
    could_act: bool = False  # whether it acts here, were it a person (for a guessed place)
    common: bool = False  # a common plural with a capital ('Rescuers'): a name only if linked
    home: bool = False  # 'police' with no place named: the briefing's country's (HOME_BODY)
    region: bool = False  # a state or province: `<Region> authorities` if it acts (C12)
    headline: bool = False  # stands on a line written in Title Case (a headline's words)


def tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    """The tokens of a parsed paragraph that start at a character in [start, end), found by
    bisection: asked once per quote, a scan of every token made a long paragraph (a page
    pasted as one line) cost the square of its length."""
    starts = doc.user_data.get("sitegen-starts")
    if starts is None:
        starts = doc.user_data["sitegen-starts"] = [t.idx for t in doc]
    return list(doc[bisect_left(starts, start) : bisect_left(starts, end)])


def sentences_of(doc: Doc) -> list:
    """The paragraph's sentences (spaCy makes them anew on every `doc.sents`)."""
    found = doc.user_data.get("sitegen-sentences")
    if found is None:
        found = doc.user_data["sitegen-sentences"] = list(doc.sents)
    return found
