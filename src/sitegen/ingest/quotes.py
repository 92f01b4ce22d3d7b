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
_JOINING = _CONJUNCTIONS | _PREPOSITIONS | words("nor yet")
_DOUBLED = re.compile(r"‘‘|’’|''(?!')")
_DETERMINERS = words("the a an its their his her our your this that these those")


@dataclass
class QuoteSpan:
    start: int  # the opening mark
    end: int  # after the closing mark (or the paragraph's end when it runs on)
    text: str
    runs_on: bool  # no closing mark: the quote goes on in the next paragraph


def _double_spans(text: str, doubled: dict[int, str]) -> list[tuple[int, int, bool]]:
    """Curly, straight or mixed double quotes. An opening mark inside an open quote nests
    when two closing marks follow before any other opening one (“... “term” ...”); else the
    open quote never closed and a new one starts. A closing mark that opens a word after a
    space while no quote is open opens one (”... ”, as some sites write both marks); two
    single marks side by side are one double mark (‘‘...’’, “...’’)."""
    spans: list[tuple[int, int, bool]] = []
    open_at: list[int] = []
    skip = -1
    for at, char in enumerate(text):
        if at == skip:
            continue
        width = 1
        if at in doubled:
            char, width, skip = doubled[at], 2, at + 1
        misused = char in _CLOSERS + '"' and not open_at  # a straight or closing mark
        if char in _OPENERS or (misused and _opens(text, at, char, width)):
            if open_at and not (char in _OPENERS and _closes_twice(text, at + 1)):
                spans.append((open_at.pop(), at, True))
            open_at.append(at)
        elif (char in _CLOSERS or char == '"') and open_at:
            spans.append((open_at.pop(), at + width, False))
    spans.extend((start, len(text), True) for start in open_at)
    return sorted(spans)


def _opens(text: str, at: int, char: str, width: int) -> bool:
    """A straight mark (or a closing one, misused) with no quote open: it opens one."""
    before = text[at - 1] if at else " "
    after = text[at + width] if at + width < len(text) else " "
    if char == '"':
        return (
            before.isspace()
            or before in _BEFORE_OPEN
            or not (after.isspace() or after in _AFTER_CLOSE)
        )
    return (before.isspace() or before in _BEFORE_OPEN) and after.isalnum()


def _doubled_marks(text: str) -> dict[int, str]:
    """Two single marks side by side standing for a double one: where, and which."""
    return {
        m.start(): "“" if m.group() == "‘‘" else "”" if m.group() == "’’" else '"'
        for m in _DOUBLED.finditer(text)
    }


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


def _single_spans(text: str, doubled: dict[int, str]) -> list[tuple[int, int, bool]]:
    """British style ‘...’ or '...': an apostrophe inside a word ('Lind's', 'don't') or
    after a plural ('the ministers' plan') never opens or closes a quote. A straight mark
    is a quote only when it closes in the paragraph; a curly one may run on."""
    spans: list[tuple[int, int, bool]] = []
    inside: int | None = None
    taken = set(doubled) | {at + 1 for at in doubled}  # parts of a double mark
    for at, char in enumerate(text):
        if at in taken:
            continue
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
    while the quote opened by `start` goes on to another straight mark later. A joining
    word after it ('hard choices' and 'restraint') owns nothing: the mark closes."""
    following = re.match(r" ([a-z]+)", text[at + 1 :])
    if following is None or following.group(1) in _JOINING:
        return False
    return "'" in text[at + 1 :]


def find_quotes(text: str) -> list[QuoteSpan]:
    """Double-quoted passages, and single-quoted ones outside them (British style, or mixed
    in one paragraph) or inside them (a quote within a quoted report)."""
    doubled = _doubled_marks(text)
    has_double = bool(doubled) or any(c in text for c in _OPENERS + _CLOSERS + '"')
    spans = _double_spans(text, doubled) if has_double else []
    doubles = list(spans)
    for start, end, runs_on in _single_spans(text, doubled):
        nested = any(a < start and end <= b for a, b, _ in doubles)  # “... ‘...’ ...”
        if nested or not any(a <= start < b or start <= a < end for a, b, _ in doubles):
            spans.append((start, end, runs_on and not has_double))
    spans.sort()
    quotes = []
    for start, end, runs_on in spans:
        opening = 2 if start in doubled else 1
        closing = 0 if runs_on else 2 if end - 2 in doubled else 1
        inner = text[start + opening : end - closing].strip()
        if inner:
            quotes.append(QuoteSpan(start, end, inner, runs_on))
    return quotes
