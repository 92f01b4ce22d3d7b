"""Words and sentences of one paragraph, with the spans of its quotations masked."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .lexicon import load_lexicon

_WORD = re.compile(r"\w+(?:[’'\-.&]\w+)*")
_LAST_WORD = re.compile(r"[\w.’'-]*$")
_SPACES = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[^\W\d_]|\s+\d|\s*$)")


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int  # end of the word itself; a possessive 's is left out
    possessive: bool
    sentence_start: bool
    masked: bool  # inside a quotation
    lower: str = ""
    cap: bool = False
    acronym: bool = False  # 'NATO', 'U.S.'

    def __post_init__(self) -> None:
        self.lower = self.text.lower()
        self.cap = self.text[0].isupper()
        letters = self.text.replace(".", "").replace("-", "")
        self.acronym = len(letters) >= 2 and letters.isupper() and letters.isalpha()


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


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by as many 'x' (sentences and words stay put)."""
    out = list(text)
    for start, end in spans:
        out[start:end] = "x" * (end - start)
    return "".join(out)


def tokenize(
    text: str, quoted: list[tuple[int, int]], starts: list[int] | None = None
) -> list[Token]:
    """Words of the text; `starts` are its sentence starts (from sentence_starts)."""
    starts = starts if starts is not None else sentence_starts(text)
    quote_starts = [a for a, _ in quoted]  # quotations are in order and do not overlap
    tokens: list[Token] = []
    previous = -1
    for match in _WORD.finditer(text):
        word, start, end = match.group(0), match.start(), match.end()
        if end < len(text) and text[end] == "." and _is_abbreviation(word):
            word, end = word + ".", end + 1
        possessive = word.endswith(("’s", "'s")) and len(word) > 2
        if possessive:
            word, end = word[:-2], end - 2
        sentence_start = bisect_right(starts, start) > bisect_right(starts, previous)
        previous = start
        at = bisect_right(quote_starts, start) - 1
        inside = at >= 0 and start < quoted[at][1]
        tokens.append(Token(word, start, end, possessive, sentence_start, inside))
    return tokens


def sentence_bounds(starts: list[int], length: int) -> list[tuple[int, int]]:
    return list(zip(starts, [*starts[1:], length], strict=True))


def first_sentence(text: str) -> str:
    starts = sentence_starts(text)
    end = starts[1] if len(starts) > 1 else len(text)
    return text[:end].strip()


@dataclass(slots=True, eq=False)  # compared by identity: two mentions of one name differ
class Mention:
    """A name found in a paragraph: tokens [i, j), characters [start, end)."""

    i: int
    j: int
    start: int
    end: int
    kind: str  # person | organization | country | single (a lone unknown word)
    name: str | None = None  # canonical name once known
    acting: bool = False  # does something here (matters for countries and capitals)
    link: bool = True  # becomes [[...]] markup in the body
    role: str | None = None
    capital: bool = False
    head: int = -1  # the parse token that stands for the mention in its sentence
    known: bool = False  # named by the registry or the package's lists

    def speaker_kind(self) -> str:
        return "person" if self.kind in ("person", "single") else "body"
