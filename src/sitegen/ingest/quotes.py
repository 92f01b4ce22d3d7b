"""Quoted passages and who said them.

Finds quotations in curly, straight, mixed or single (British) quote marks, then credits
each to the speaker the sentence names: "X said", "said X", "according to X", "X told ...",
"X: “...”", a pronoun after a named speaker, the subject of the sentence it sits in, or
the speaker of the quote it continues. A quote with no clear speaker keeps none.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from .lexicon import load_lexicon, words
from .textutil import Mention, Token

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
    spans: list[tuple[int, int, bool]] = []
    inside: int | None = None
    for at, char in enumerate(text):
        if char in _OPENERS or (char == '"' and inside is None and _straight_opens(text, at)):
            if inside is not None:
                spans.append((inside, at, True))
            inside = at
        elif (char in _CLOSERS or char == '"') and inside is not None:
            spans.append((inside, at + 1, False))
            inside = None
    if inside is not None:
        spans.append((inside, len(text), True))
    return spans


def _single_spans(text: str) -> list[tuple[int, int, bool]]:
    """British style ‘...’: an apostrophe inside a word never closes a quote."""
    spans: list[tuple[int, int, bool]] = []
    inside: int | None = None
    for at, char in enumerate(text):
        if char == "‘" and inside is None and (at == 0 or not text[at - 1].isalnum()):
            inside = at
        elif char == "’" and inside is not None:
            after = text[at + 1] if at + 1 < len(text) else " "
            if not after.isalnum() and not text[at - 1].isspace():
                spans.append((inside, at + 1, False))
                inside = None
    if inside is not None:
        spans.append((inside, len(text), True))
    return spans


def find_quotes(text: str) -> list[QuoteSpan]:
    has_double = any(c in text for c in _OPENERS + _CLOSERS + '"')
    spans = _double_spans(text) if has_double else _single_spans(text)
    quotes = []
    for start, end, runs_on in spans:
        inner = text[start + 1 : end if runs_on else end - 1].strip()
        if inner:
            quotes.append(QuoteSpan(start, end, inner, runs_on))
    return quotes


class Paragraph:
    """What attribution needs to know about one paragraph, indexed for quick look-ups."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        mentions: list[Mention],
        sentences: list[tuple[int, int]],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.mentions = mentions  # resolved ones, by position
        self.sentences = sentences  # on the text with quotations masked
        self._starts = [t.start for t in tokens]
        self._ends = [m.end for m in mentions]
        self._owner: list[Mention | None] = [None] * len(tokens)
        for mention in mentions:
            for k in range(mention.i, mention.j):
                self._owner[k] = mention

    def tokens_between(self, start: int, end: int) -> list[int]:
        low, high = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [k for k in range(low, high) if not self.tokens[k].masked]

    def mention_at(self, k: int) -> Mention | None:
        return self._owner[k] if 0 <= k < len(self._owner) else None

    def before(self, position: int) -> Iterator[Mention]:
        """Mentions ending at or before the position, nearest first."""
        return reversed(self.mentions[: bisect_right(self._ends, position)])

    def sentence_of(self, position: int) -> tuple[int, int]:
        index = bisect_right([a for a, _ in self.sentences], position) - 1
        return self.sentences[max(index, 0)]


class Attributor:
    """Credits the quotes of a briefing's paragraphs, in order, to mentions."""

    def __init__(self, roles: dict[str, str]) -> None:
        words = load_lexicon().words
        self.roles = roles  # name -> the role the briefing gives it anywhere
        self.speech = words["speech_verbs"]
        self.aux = words["auxiliaries"]
        self.back_refs = words["back_reference_nouns"]
        self.last_person: Mention | None = None
        self.last_body: Mention | None = None
        self.running_speaker: Mention | None = None  # a quote ran on from the last paragraph
        self.people: list[Mention] = []  # every person named so far, in order

    def _pronoun(self, word: str, before: int, para: Paragraph) -> Mention | None:
        kind = {"he": "person", "she": "person", "it": "body"}.get(word)
        if kind is None:
            return None
        nearest = next((m for m in para.before(before) if m.speaker_kind() == kind), None)
        return nearest or (self.last_person if kind == "person" else self.last_body)

    def _back_reference(
        self, noun: str, before: int, para: Paragraph, demonym: str | None = None
    ) -> Mention | None:
        """'the ministry said', 'the Russian president said': who was named before."""
        if noun in _ORG_NOUNS:
            bodies = (m for m in para.before(before) if m.speaker_kind() == "body")
            return next((m for m in bodies if noun in (m.name or "").lower()), None)
        here = (m for m in para.before(before) if m.speaker_kind() == "person")
        people = list(chain(here, reversed(self.people)))
        for mention in people:
            role = self.roles.get(mention.name or "", "").lower()
            if re.search(rf"\b{re.escape(noun)}\b", role) and (
                demonym is None or demonym.lower() in role
            ):
                return mention
        return next((m for m in people if m.name not in self.roles), None)

    def _described(self, idx: list[int], para: Paragraph, before: int) -> Mention | None:
        """Tokens like 'the (Russian) president' naming someone mentioned earlier."""
        words = [para.tokens[k] for k in idx[-3:]]
        if not words or words[-1].lower not in self.back_refs:
            return None
        if not any(w.lower == "the" for w in words[:-1]):
            return None
        demonym = next((w.text for w in words if w.text in load_lexicon().demonyms), None)
        return self._back_reference(words[-1].lower, before, para, demonym)

    def _first_of_coordination(self, mention: Mention, para: Paragraph) -> Mention:
        """'NATO and the U.S. have called ...': the subject's first name speaks."""
        current = mention
        for earlier in para.before(mention.start):
            gap = para.text[earlier.end : current.start]
            if not re.fullmatch(r",?\s+(?:and|or)\s+(?:the\s+)?", gap):
                break
            current = earlier
        return current

    # -- the phrase after a quote: “...,” X said / said X / he said ------------------------
    def _speaker_phrase(
        self, idx: list[int], para: Paragraph, quote: QuoteSpan
    ) -> Mention | bool | None:
        """Tokens naming a speaker; returns a mention, None (named but not an actor) or False."""
        if not idx:
            return False
        first = para.tokens[idx[0]]
        if first.lower in ("he", "she", "it", "they") and len(idx) == 1:
            return self._pronoun(first.lower, quote.start, para)
        mentions = list(dict.fromkeys(m for k in idx if (m := para.mention_at(k)) is not None))
        if mentions:
            determiner = first.lower in ("a", "an", "the", "one")
            return mentions[-1] if determiner else mentions[0]
        if first.lower == "the" and len(idx) <= 3:
            return self._described(idx, para, quote.start)
        return None

    def _after(self, para: Paragraph, quote: QuoteSpan, end: int) -> Mention | bool | None:
        idx = para.tokens_between(quote.end, end)[:14]
        words = [para.tokens[k].lower for k in idx]
        if not idx or para.text[quote.end : para.tokens[idx[0]].start].strip(" ,;:–—-"):
            return False
        if words[0] in self.speech or (
            words[0] in self.aux and len(words) > 1 and words[1] in self.speech
        ):
            skip = 1 if words[0] in self.speech else 2
            return self._speaker_phrase(idx[skip : skip + 8], para, quote)
        if "according" in words[:1] and len(words) > 2 and words[1] == "to":
            return self._speaker_phrase(idx[2:8], para, quote)
        if words[0] in _PREPOSITIONS or words[0] in _CONJUNCTIONS:
            return False
        for n, word in enumerate(words[:12]):
            if word in self.speech and n and not self._noun_use(para, idx[n]):
                phrase = idx[:n]
                while phrase and para.tokens[phrase[-1]].lower in self.aux:
                    phrase = phrase[:-1]
                return self._speaker_phrase(phrase, para, quote)
            if para.tokens[idx[n]].text in ("that", "which", "who"):
                break
        return False

    # -- the phrase before a quote: X said “...” / X: “...” / according to X ----------------
    def _before(self, para: Paragraph, quote: QuoteSpan, start: int) -> Mention | None:
        idx = para.tokens_between(start, quote.start)
        head = para.text[start : quote.start]
        according = re.search(r"according to\s+(?:the\s+)?$", head)
        best: Mention | None = None
        for n, k in enumerate(idx):
            token = para.tokens[k]
            if token.lower in self.speech and not self._noun_use(para, k):
                subject = self._subject_before(para, idx[:n], k)
                if subject is not None:
                    best = subject
        colon = re.search(r":\s*$", head)
        if colon and idx:
            mention = para.mention_at(idx[-1])
            if mention:
                return mention
        if according is None:
            for k in idx:
                match = _ACCORDING.match(para.text, para.tokens[k].start)
                mention = para.mention_at(k + 2) or para.mention_at(k + 3)
                if match and mention:
                    return mention
        return best or self._subject(para, idx)

    @staticmethod
    def _noun_use(para: Paragraph, k: int) -> bool:
        """'Russia’s demands', 'the claims': a speech word used as a noun."""
        if k == 0:
            return False
        before = para.tokens[k - 1]
        return before.possessive or before.lower in _DETERMINERS

    def _subject_before(self, para: Paragraph, idx: list[int], verb: int) -> Mention | None:
        """The speaker of 'X (has) said', 'X, the minister, said', 'the Russian president said'."""
        back = list(idx)
        while back and para.tokens[back[-1]].lower in self.aux:
            back.pop()
        if not back:
            return None
        token = para.tokens[back[-1]]
        verb_start = para.tokens[verb].start
        if "," in para.text[token.end : verb_start]:
            return self._apposed(para, token.start, verb_start)
        if token.lower in ("he", "she", "it"):
            return self._pronoun(token.lower, token.start, para)
        mention = para.mention_at(back[-1])
        if mention is None:
            return self._described(back, para, token.start)
        if para.tokens[mention.j - 1].possessive:
            return None
        return self._first_of_coordination(mention, para)

    def _apposed(self, para: Paragraph, limit: int, verb_start: int) -> Mention | None:
        """'Sergei Aksyonov, the Russian-installed head of Crimea, said'."""
        for mention in para.before(limit):
            if verb_start - mention.end > 160:
                return None
            gap = para.text[mention.end : verb_start]
            if re.fullmatch(r"\s*,[^,;“”\"]{1,120},\s*(?:\w+\s+){0,2}", gap):
                return mention
        return None

    def _subject(self, para: Paragraph, idx: list[int]) -> Mention | None:
        """The sentence's subject when the quote sits in its predicate: 'X called it “...”'."""
        if not idx:
            return None
        first = para.tokens[idx[0]]
        if first.lower in ("he", "she"):
            return self._pronoun(first.lower, first.start, para)
        for k in idx[:8]:  # past 'the' and a role: 'President Vladimir Putin offered ...'
            mention = para.mention_at(k)
            if mention is not None:
                return mention if mention.acting else None
            token = para.tokens[k]
            if not (token.cap or token.lower in ("the", "a", "an")):
                return None
        return None

    # -- the public part -------------------------------------------------------------------
    def attribute(self, para: Paragraph, quotes: list[QuoteSpan]) -> list[Mention | None]:
        speakers: list[Mention | None] = []
        previous: Mention | None = None
        for number, quote in enumerate(quotes):
            start, end = para.sentence_of(quote.start)
            start, end = max(start, quote.start - _REACH), min(end, quote.end + _REACH)
            speaker = self._after(para, quote, end)
            if speaker is False:
                speaker = self._before(para, quote, start)
            if speaker is None and number == 0 and quote.start <= 1 and self.running_speaker:
                speaker = self.running_speaker
            if speaker is False or (speaker is None and self._alone(para, quote, start, end)):
                speaker = previous
            speakers.append(speaker or None)
            previous = speaker or None
        self._remember(para, quotes, speakers)
        return speakers

    def _alone(self, para: Paragraph, quote: QuoteSpan, start: int, end: int) -> bool:
        """The quote is its own sentence, so it goes on from the speaker before."""
        outside = para.text[start : quote.start] + para.text[quote.end : end]
        return not re.search(r"\w", outside)

    def _remember(
        self, para: Paragraph, quotes: list[QuoteSpan], speakers: list[Mention | None]
    ) -> None:
        people = [m for m in para.mentions if m.speaker_kind() == "person"]
        bodies = [m for m in para.mentions if m.speaker_kind() == "body"]
        self.last_person = people[-1] if people else self.last_person
        self.people.extend(people)
        self.last_body = bodies[-1] if bodies else self.last_body
        runs_on = quotes and quotes[-1].runs_on
        self.running_speaker = speakers[-1] if runs_on else None
