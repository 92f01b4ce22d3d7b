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
    """British style ‘...’: an apostrophe inside a word never closes a quote."""
    spans: list[tuple[int, int, bool]] = []
    inside: int | None = None
    for at, char in enumerate(text):
        if char == "‘" and inside is None and (at == 0 or not text[at - 1].isalnum()):
            inside = at
        elif char == "’" and inside is not None:
            after = text[at + 1] if at + 1 < len(text) else " "
            word = re.search(r"\w*$", text[:at]).group(0)  # type: ignore[union-attr]
            glued = after.isupper() and len(word) > 1  # 'ends’Then' (text run together)
            if (glued or not after.isalnum()) and not text[at - 1].isspace():
                spans.append((inside, at + 1, False))
                inside = None
    if inside is not None:
        spans.append((inside, len(text), True))
    return spans


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


# -- frames ---------------------------------------------------------------------------------------
# A quotation that is a sentence of its own has clauses the parser mixes with the sentence
# around it ("“They own nothing, it is mine,” aides say Lind told them": the quote's verbs
# compete with "say" and "told" for the root). The frame of a paragraph is its text with each
# such quotation's words replaced by a one-word placeholder, parsed apart: the speech verb and
# its subject are then read from a short, plain sentence.
PLACEHOLDER = "Yes"  # parsed as an interjection hanging from the speech verb, before or after
_FRAME_WORDS = 3  # a shorter quotation is a phrase of the sentence, parsed in place
_END_MARKS = {".": ".", ",": ",", "?": "?", "!": "!", "…": ".", ";": ",", ":": ","}


@dataclass
class Frame:
    """A paragraph's text with its sentence quotations replaced by a placeholder, and where
    each character of it came from."""

    text: str
    pieces: list[tuple[int, int, int]]  # (start, end) in the frame -> start in the paragraph
    replaced: list[int]  # indexes of the quotes whose words the placeholder stands for
    placeholders: list[tuple[int, int]]  # (start, end) of each placeholder in the frame

    def in_placeholder(self, at: int) -> bool:
        return any(start <= at < end for start, end in self.placeholders)

    def source_offset(self, at: int) -> int:
        """The paragraph offset of a frame offset (a placeholder's: inside its quote)."""
        for start, end, source in self.pieces:
            if start <= at < end:
                return source + at - start
        return self.pieces[-1][2] if self.pieces else 0


def is_sentence_quote(quote: QuoteSpan) -> bool:
    """A quotation that is a sentence (or several) in itself: it opens with a capital or a
    digit and has several words; a title in capitals ('The Long Road Home') is a name."""
    words = quote.text.split()
    if len(words) < _FRAME_WORDS or not (quote.text[:1].isupper() or quote.text[:1].isdigit()):
        return False
    content = [w for w in words if w[:1].isalpha() and len(w) > 3]
    return not content or not all(w[:1].isupper() for w in content)


def frame_of(text: str, quotes: list[QuoteSpan]) -> Frame | None:
    """The frame of a paragraph, or None when no quotation in it is a sentence."""
    chosen = [
        n
        for n, q in enumerate(quotes)
        if is_sentence_quote(q)
        and not any(o.start < q.start and q.end <= o.end for o in quotes if o is not q)
    ]
    if not chosen:
        return None
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    placeholders: list[tuple[int, int]] = []
    length = copied = 0
    for n in chosen:
        quote = quotes[n]
        inner_end = quote.end if quote.runs_on else quote.end - 1
        kept = text[copied : quote.start + 1]  # up to and with the opening mark
        pieces.append((length, length + len(kept), copied))
        parts.append(kept)
        length += len(kept)
        inner = text[quote.start + 1 : inner_end].rstrip()
        word = PLACEHOLDER + _END_MARKS.get(inner[-1:], "")
        pieces.append((length, length + len(word), quote.start + 1))
        placeholders.append((length, length + len(word)))
        parts.append(word)
        length += len(word)
        copied = inner_end
    rest = text[copied:]
    pieces.append((length, length + len(rest), copied))
    parts.append(rest)
    return Frame("".join(parts), pieces, chosen, placeholders)
