"""Quoted passages: where each opens and closes, in curly, straight, mixed or single
(British) quote marks. Whose words they are is speakers.py's work."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import words

_OPENERS = "“„«"
_CLOSERS = "”»"
_BEFORE_OPEN = "([{–—-/"
_AFTER_CLOSE = ".,;:!?)]}…"
_PREPOSITIONS = words(
    "of in on at to for from with by about over into after before during against between than "
    "as like since until amid despite"
)
_ACCORDING = re.compile(r"according to\s")
_REACH = 400  # how far from a quote its speaker may be named, in characters
_CONJUNCTIONS = words("and but or then while as before after because so when")
_ORG_NOUNS = words(
    "ministry alliance agency group company bank army military government commission council "
    "court office party union organization organisation department kremlin pentagon bloc"
)
_DETERMINERS = words("the a an its their his her our your this that these those")


@dataclass
class QuoteSpan:
    start: int  # the opening mark
    end: int  # after the closing mark (or the paragraph's end when it runs on)
    text: str
    runs_on: bool  # no closing mark: the quote goes on in the next paragraph


def _straight_opens(text: str, at: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if before.isspace() or before in _BEFORE_OPEN:
        return True
    return not (after.isspace() or after in _AFTER_CLOSE)


def _double_spans(text: str) -> list[tuple[int, int, bool]]:
    """Curly, straight or mixed double quotes. An opening mark inside an open quote nests
    when two closing marks follow before any other opening one (“... “term” ...”); else the
    open quote never closed and a new one starts."""
    spans: list[tuple[int, int, bool]] = []
    open_at: list[int] = []
    for at, char in enumerate(text):
        if char in _OPENERS or (char == '"' and not open_at and _straight_opens(text, at)):
            if open_at and not (char in _OPENERS and _closes_twice(text, at + 1)):
                spans.append((open_at.pop(), at, True))
            open_at.append(at)
        elif (char in _CLOSERS or char == '"') and open_at:
            spans.append((open_at.pop(), at + 1, False))
    spans.extend((start, len(text), True) for start in open_at)
    return sorted(spans)


def _closes_twice(text: str, at: int) -> bool:
    closers = 0
    for char in text[at:]:
        if char in _OPENERS:
            return False
        if char in _CLOSERS:
            closers += 1
            if closers == 2:
                return True
    return False


def _single_spans(text: str) -> list[tuple[int, int, bool]]:
    """British style ‘...’ or '...': an apostrophe inside a word ('Lind's', 'don't') or
    after a plural ('the ministers' plan') never opens or closes a quote. A straight mark
    is a quote only when it closes in the paragraph; a curly one may run on."""
    spans: list[tuple[int, int, bool]] = []
    inside: int | None = None
    for at, char in enumerate(text):
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if inside is None:
            curly = char == "‘" and not before.isalnum()
            straight = char == "'" and _opens_straight(before, after)
            if curly or straight:
                inside = at
        elif char == "’" or (char == "'" and text[inside] == "'"):
            word = re.search(r"\w*$", text[:at]).group(0)  # type: ignore[union-attr]
            glued = after.isupper() and len(word) > 1  # 'ends’Then' (text run together)
            stamped = after.isdigit() and before in ".!?,…"  # 'yield.’12:45': a live blog's time
            closes = glued or stamped or not after.isalnum()
            if closes and not before.isspace() and at > inside + 1:
                if char == "'" and before == "s" and _plural_possessive(text, inside, at):
                    continue
                spans.append((inside, at + 1, False))
                inside = None
    if inside is not None and text[inside] == "‘":
        spans.append((inside, len(text), True))
    return spans


def _opens_straight(before: str, after: str) -> bool:
    """A straight single mark opens a quote at the start of a word: after a space, a
    bracket or a dash, before a letter (not an elision such as '90s)."""
    return (before.isspace() or before in _BEFORE_OPEN) and after.isalpha()


def _plural_possessive(text: str, start: int, at: int) -> bool:
    """'the ministers' plan': an apostrophe after a plural, followed by the noun it owns,
    while the quote opened by `start` goes on to another straight mark later."""
    return "'" in text[at + 1 :] and bool(re.match(r" [a-z]", text[at + 1 : at + 3]))


def find_quotes(text: str) -> list[QuoteSpan]:
    """Double-quoted passages, and single-quoted ones outside them (British style, or mixed
    in one paragraph) or inside them (a quote within a quoted report)."""
    has_double = any(c in text for c in _OPENERS + _CLOSERS + '"')
    spans = _double_spans(text) if has_double else []
    doubles = list(spans)
    for start, end, runs_on in _single_spans(text):
        nested = any(a < start and end <= b for a, b, _ in doubles)  # “... ‘...’ ...”
        if nested or not any(a <= start < b or start <= a < end for a, b, _ in doubles):
            spans.append((start, end, runs_on and not has_double))
    spans.sort()
    quotes = []
    for start, end, runs_on in spans:
        inner = text[start + 1 : end if runs_on else end - 1].strip()
        if inner:
            quotes.append(QuoteSpan(start, end, inner, runs_on))
    return quotes
