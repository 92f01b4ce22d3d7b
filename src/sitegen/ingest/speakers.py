"""Whose words a quotation is, read from the parse.

A quote belongs to the subject of the speech verb that governs it, before or after it
("X said “...”", "“...,” X said", "X called it “...”"); every subject of a coordinated
subject gets it ("A and B called it “...”", "the two leaders said"); a pronoun or "the
minister" names someone already met; "according to X" and "X: “...”" name X; with no
speech verb, the quote's clause's named subject says it; a quote that stands alone
continues the previous speaker's words. A quote with no clear speaker keeps none, and
marks that nothing says anyone said (a title, a term) are no quote at all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .grammar import (
    INVERTED_SUBJECTS,
    OFFICIAL_NOUNS,
    PRONOUNS_BODY,
    PRONOUNS_PERSON,
    REPORT_NOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TITLE_WORDS,
)
from .lexicon import load_lexicon, words
from .quotes import QuoteSpan
from .syntax import first_conjunct, title_of
from .textutil import Mention, sentences_of, tokens_between

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_BACK_NOUNS = words(
    "president minister premier chancellor spokesman spokeswoman spokesperson secretary "
    "governor mayor leader senator envoy ambassador general commander chief king queen "
    "prince adviser advisor negotiator diplomat official prosecutor judge"
)
_BODY_NOUNS = words(
    "ministry ministries alliance agency bank army military government commission council "
    "court office party union organization organisation department kremlin pentagon bloc "
    "company firm group committee service authority authorities bureau"
)


_HEADS = words("chief head leader boss")
# A lone quote continues the last speaker's words only in the paragraph that credited
# them or the next one: further on, the last speaker is as often someone else (validation:
# 3 right of 9 entries before the limit, 3 of 3 after; tune unchanged).
PREVIOUS_REACH = 1
_CONTINUING = ("previous", "none-alone")  # routes a later paragraph's speaker overrides
_HONORIFICS = words("mr mrs ms miss dr sir dame lord lady prof")
_HANDLE = re.compile(r"@\w{2,30}")  # a social media handle
_SCARE_WORDS = 3  # a quote this short that no one is said to say is a term or a scare quote
_SIGNATURE_WORDS = 16  # a signature line: a name, its titles and a short description
_COLON_SIGNER_WORDS = 5  # '‘...’: Former Premier Vera Kross' signs; a longer line says more
_SIGNATURE_TITLES = 4  # 'Former Valdorian Deputy Minister Arvo Lind': titles before the name
# Nouns for a news organisation or its piece: 'the story says', 'the paper reported'.
_OUTLET_NOUNS = words("story article paper newspaper outlet daily broadcaster magazine")
_RELATIVES = words("which who that")
_OF = words("of from at in for by with")  # 'a spokesman for X', 'leaders from X', 'a report by X'
_SUBJECTS = ("nsubj", "nsubjpass")  # of a clause a quote is part of
_MILITARY = words("military army")
_AIDES = words("adviser advisor aide")  # unnamed too: 'a White House adviser said'
_REPORTING = words("say tell add write state note")  # verbs that only report others' words
_COORDINATORS = words("and but")
_COMPANY_NOUNS = words("company firm")  # 'the firm said': the company named last
# Verbs that give a thing a name or a description: 'called X's demands “absurd”'.
_NAMING = words("call dub label brand term describe deem name")
_FOUNDERS = words("founder cofounder co-founder czar")  # one-office titles beside TITLE_WORDS
_HEADLINE_WORDS = 25  # a headline-like paragraph's longest
# What a body or a person issues, which then 'says' their words: 'the statement said'.
_DOCUMENTS = words("statement message memo letter order email note release communique readout")
_DOCUMENT_REACH = 3  # paragraphs from the last speaker's words to their document's


class Speakers:
    """Credits the quotes of a briefing's paragraphs, in order."""

    def __init__(
        self, roles: dict[str, str], demonyms: dict[str, str], demonym_of: dict[str, str]
    ) -> None:
        # person name -> the role the briefing gives them ('Mr' or 'Dr' alone is no role)
        self.roles = {n: r for n, r in roles.items() if not _HONORIFICS.issuperset(_words_of(r))}
        self.demonyms = demonyms
        self.demonym_of = demonym_of
        self.last_person: Mention | None = None
        self.last_body: Mention | None = None
        self.people: list[Mention] = []
        self.bodies: list[Mention] = []
        self.previous: list[Mention] = []  # the speakers of the last quote
        self.paragraph = 0  # paragraphs read so far
        self.previous_in = -1  # the paragraph of the last quote with a speaker
        self.pair: list[Mention] = []  # the last names that acted together ('A and B met')
        self.sources: list[Mention] = []  # names met as sources ('according to X')
        self.running = False  # the last paragraph's quote ran on
        self.announced: list[Mention] = []  # 'Lind said:' ended the last paragraph
        self.introduced: list[Mention] = []  # 'Lind says the talks went well.' ended it
        self.pending: list[list[Mention]] = []  # run-on quotes whose speaker comes later
        self.unsigned: list[list[Mention]] = []  # a paragraph of quotes no one was said to say
        self.focus: Mention | None = None  # the person the text was last about (see _focus)
        self.focus_in = -1  # the paragraph that made them so
        self.headline: list[Mention] = []  # the people a headline-like last paragraph named
        # the bodies unnamed officials spoke for ('a senior U.S. official'): noun -> (body,
        # paragraph), for 'the official told reporters' after them
        self.officials: dict[str, tuple[Mention, int]] = {}

    def attribute(
        self, doc: Doc, quotes: list[QuoteSpan], mentions: list[Mention]
    ) -> list[list[Mention] | None]:
        """The speakers of each quote of a paragraph (None: marks that are no one's quote, see
        _not_a_quote)."""
        self.doc = doc
        self.text = doc.text  # (spaCy makes it from the tokens on every use)
        self.mentions = [m for m in mentions if m.name]
        self.created: list[Mention] = []  # speakers named by a description ('the military')
        self.owner: dict[int, Mention] = {}
        for mention in self.mentions:
            for k in range(mention.i, mention.j):
                self.owner.setdefault(k, mention)
            self.owner[mention.head] = mention
        self.quoted = quoted = [(q.start, q.end) for q in quotes]
        self.in_quotes = {t.i for a, b in quoted for t in tokens_between(doc, a, b)}
        self.outside = [  # antecedents: names in the text itself, not in a quoted passage
            m for m in self.mentions if not any(a <= m.start < b for a, b in quoted)
        ]
        self.sources.extend(m for m in self.mentions if _is_source(doc[m.head]))
        self.topics = self._topics()
        signer = self._signature() if self.unsigned and not quotes else None
        if signer is not None:
            for waiting in self.unsigned:
                waiting[:] = [signer]
        self.unsigned = []
        found: list[list[Mention] | None] = []
        self.routes: list[str] = []  # how each quote's speakers were found
        for number, quote in enumerate(quotes):
            nested = any(o.start < quote.start and quote.end <= o.end for o in quotes)
            self.said = False  # set when the text says someone says these words
            speakers = self._speakers(quote, number == 0, nested)
            self.routes.append(self.route)
            if self._not_a_quote(quote, speakers):
                found.append(None)
                continue
            found.append(speakers)
            self._carry_back(quote, number, speakers)
            introduced = self.route == "announced" and speakers == self.introduced
            continuing = self.route in _CONTINUING or introduced  # a signature may follow
            if continuing and self._stands_alone(self._inside(quote), False):
                self.unsigned.append(speakers)
            if speakers:
                self.previous, self.previous_in = speakers, self.paragraph
        self._remember()
        self.paragraph += 1
        self.running = bool(quotes) and quotes[-1].runs_on
        opens = bool(quotes) and self._stands_alone(self._inside(quotes[0]), True)
        self.announced = self._announcing(quotes) or (self.announced if opens else [])
        self.introduced = [] if quotes else self._introducing()
        return found

    def _inside(self, quote: QuoteSpan) -> list[Token]:
        return tokens_between(self.doc, quote.start, quote.end)

    def _signature(self) -> Mention | None:
        """A paragraph that is only a name, perhaps after a dash and the name's titles and
        before a description ('— Arvo Lind, Valdorian President', 'Rep. Ann Lind (D.,
        Ostria), chair of the budget committee', 'Valdorian President Arvo Lind, in Selm'),
        or that opens with a name and a comma ('Arvo Lind, minister of finance, defends the
        budget'): it signs the quotations of the paragraph before, when no one was said
        to say them."""
        doc = self.doc
        words = [t for t in doc if not (t.is_punct or t.is_space)]
        if not words:
            return None
        first = self._signer(_leading(list(doc)))
        if first is None:
            return None
        rest = [t for t in doc[first.j :] if not t.is_space]
        if rest and rest[0].text not in (",", "(", "—", "–", "-"):
            return None  # 'Lind's budget' is a title, not a signature
        short = len(words) <= _SIGNATURE_WORDS and not any(_finite(t) for t in words)
        if not short and not (rest and rest[0].text == ","):
            return None
        # (a longer one names its speaker first, then what they did: 'Arvo Lind, minister
        # of finance, defends the budget' under a quotation alone, as in a quotes roundup)
        return self._speaking(first)  # a person the model took for a place speaks

    def _signer(self, words: list[Token]) -> Mention | None:
        """The name a signature opens with, after its titles ('Rep.', 'Valdorian President',
        'Former'): a person there ('House Speaker Vera Kross' is hers), else the body named
        first ('The Unity Party, in a statement')."""
        body: Mention | None = None
        for word in words[: _SIGNATURE_TITLES + 1]:
            mention = self.owner.get(word.i)
            if mention is not None and mention.i == word.i:  # a name opens here
                if mention.kind == "person" or (mention.kind == "place" and not mention.known):
                    return mention  # (a person the parse took for a place: _speaking)
                if body is None and mention.kind in ("organization", "other"):
                    body = mention
                    continue
            if mention is not None and mention is body:
                continue
            if mention is not None or not _title_like(word):
                break
        return body

    def _carry_back(self, quote: QuoteSpan, number: int, speakers: list[Mention]) -> None:
        """A quotation over several paragraphs ('“A' / '“B,” Lind said'): each paragraph
        opens a quote that never closes, and only the last names who speaks. Its speaker is
        that of the earlier paragraphs too, unless they named their own."""
        opening = number == 0 and not self.text[: quote.start].strip()
        if not opening:
            self.pending = []
        elif self.pending and speakers and self.route not in _CONTINUING:
            for waiting in self.pending:
                waiting[:] = speakers
            self.pending = []
        if quote.runs_on and self.route in _CONTINUING:
            self.pending.append(speakers)
        elif quote.runs_on is False and opening and self.route not in _CONTINUING:
            self.pending = []

    def _announcing(self, quotes: list[QuoteSpan]) -> list[Mention]:
        """'Lind said:' (or 'In a statement, the Pact said:') ending a paragraph, with no
        quote after it: the quotations in the paragraphs that follow are the speaker's."""
        text = self.text.rstrip()
        if not text.endswith(":") or any(q.end >= len(text) - 1 for q in quotes):
            return []
        sentence = self.doc[len(self.doc) - 1].sent
        verbs = [t for t in sentence if t.pos_ == "VERB" and self._speech(t)]
        return self._subjects(verbs[-1]) if verbs else []

    def _introducing(self) -> list[Mention]:
        """'Lind has told Selm Radio the move is about safety.' closing a paragraph without
        quotes, as broadcasters' transcripts and many reports lead into a quotation that
        stands alone in the next paragraph: the named subject of the last sentence's speech
        verb."""
        if not self.text.strip():
            return []
        root = self.doc[len(self.doc) - 1].sent.root
        if root.pos_ != "VERB" or not self._speech(root) or not _finite_or_perfect(root):
            return []
        return self._subjects(root)

    def _opens_alone(self, quote: QuoteSpan, inside: list[Token]) -> bool:
        """The quote opens its paragraph and is a sentence of its own, ended as one (a
        headline in quote marks, '‘Put a stake through it’', ends without a stop)."""
        ended = quote.runs_on or quote.text.rstrip("”’\"' ")[-1:] in ".?!…"
        return ended and not self.text[: quote.start].strip() and self._stands_alone(inside, True)

    def _not_a_quote(self, quote: QuoteSpan, speakers: list[Mention]) -> bool:
        """Marks around a title ('“How Lind Won,” by Jo Park') or around a few words that
        nothing says anyone said (a name, a term, a scare quote) are not a quote."""
        after = self.text[quote.end : quote.end + 12]
        if quote.text.endswith(",") and re.match(r"\s*by\s+[A-Z]", after):
            return True  # a title and its byline
        if self.said:
            return False
        words = quote.text.strip(" ,.;:!?…").split()
        return not speakers and len(words) <= _SCARE_WORDS

    def _remember(self) -> None:
        """The people and bodies this paragraph named, for the next one's pronouns: the last
        that acted, else the last named."""
        for mention in self.outside:
            noun = self._official_noun(mention)
            if noun is not None and mention.kind in ("organization", "country"):
                self.officials[noun] = (mention, self.paragraph)
        people = [m for m in self.outside if m.kind == "person"]
        bodies = [m for m in self.outside if m.kind in ("organization", "country", "group")]
        if self.text.strip():
            self.headline = people if _headline_like(self.text) else []
        self.people.extend(people)
        self.bodies.extend(bodies)
        self.pair = self._together(len(self.text)) or self.pair
        if self.topics and self.topics[-1][1] is not None:
            self.focus, self.focus_in = self.topics[-1][1], self.paragraph
        elif self.topics:
            self.focus_in = self.paragraph  # 'He stressed ...': the same person goes on
        for found, attribute in ((people, "last_person"), (bodies, "last_body")):
            acting = [m for m in found if m.acting]
            if acting or found:
                setattr(self, attribute, (acting or found)[-1])

    # -- one quote ---------------------------------------------------------------------------
    def _speakers(self, quote: QuoteSpan, first: bool, nested: bool) -> list[Mention]:
        """nested: inside another quote, whose speaker quotes these words: they are the
        innermost speaker's, never the reporter's (see _reporting_verb)."""
        inside = self._inside(quote)
        self.route = "none"
        if not inside:
            return []
        predicate = self._subject_before_predicate(inside)
        if predicate is not None:
            self.said = True
            self.route = "predicate"
            return [predicate]  # 'Putin “underlined that ...”, the Kremlin says'
        verb = self._governing_verb(inside)
        self.said = verb is not None
        if verb is not None:
            outer = self._reporting_verb(verb) if not nested else None
            speakers = (self._subjects(outer) if outer is not None else []) or self._subjects(verb)
            if outer is None and self._outlet_reports(speakers):  # 'Lind hinted ..., AP reports'
                speakers = self._reported_clause(inside, self.doc[speakers[0].head]) or speakers
            if speakers:
                self.route = "verb"
                return speakers
            self.route = "none-verb"
        signed = self._signed(inside)
        if signed is None:
            signed = self._colon_signed(inside)
        if signed is not None:
            self.said = True
            self.route = "signed"
            return signed  # '“...” — Vera Kross', or a name we cannot resolve there
        named = self._colon(inside)
        if named is not None:
            self.said = True
            self.route = "colon"
            return named  # 'X: “...”' names its speaker, or someone we cannot name
        if first and self.announced and self._stands_alone(inside, True):
            self.said = True
            self.route = "announced"
            return list(self.announced)  # 'Lind said:' closed the paragraph before
        if first and self.introduced and self._opens_alone(quote, inside):
            self.said = True
            self.route = "announced"
            return list(self.introduced)  # 'Lind says ...' closed the paragraph before
        doer = None
        if verb is None and not self._stands_alone(inside, first):
            doer = self._clause_subject(inside)
            source = self._according_after(inside) if doer else []
            if source:
                self.said = True
                self.route = "according"
                return source  # 'Lind “examined the site”, according to the Courier' (C7)
            if doer:
                self.said = True
                self.route = "clause"
                return doer  # 'the US ordered troops to Europe to “reassure partners”'
        for token in inside[0].sent:  # relayed by a source: 'X, according to the Courier'
            named = self._according(token)
            if named:
                self.said = True
                self.route = "according"
                return named
        if verb is None and doer is None:  # (a subject naming nobody speaks for nobody)
            asked = self._said_after(inside)
            if asked is not None:
                self.said = True
                self.route = "asked"
                return asked  # '“Why?” Lind asked.': '?”' ended the sentence before the verb
            said = self._last_said(inside[0])
            if said:
                self.route = "last_said"
                return said  # 'Petrobras plans a subsidiary, reports Reuters. It “...”'
            if self.previous and self.paragraph - self.previous_in <= PREVIOUS_REACH:
                self.route = "previous"
                return list(self.previous)  # the words go on: 'These will be sanctions “...”'
            self.route = "none-alone" if self._stands_alone(inside, first) else "none-clause"
        elif verb is None:
            self.route = "none-nobody"
        return []

    def _according_after(self, inside: list[Token]) -> list[Mention]:
        """The source an 'according to X' after the quote names, when it qualifies the
        quoted verb or the verb the quote is an argument of: a quoted clause with no speech
        verb is then the source's sentence, not its subject's words ('Lind's troops put up
        “fierce resistance”, according to X'; not 'Lind signed a pact to “protect ...”,
        according to X', a purpose or a description of the doer's own)."""
        quoted_words = _words(inside)
        for token in self.doc[inside[-1].i + 1 : inside[-1].sent.end]:
            verb = token.head
            quoted = any(
                t.i == verb.i or (t.head.i == verb.i and t.dep_ not in ("advcl", "acl"))
                for t in quoted_words
            )
            named = self._according(token) if quoted else []
            if named:
                return named
        return []

    def _outlet_reports(self, speakers: list[Mention]) -> bool:
        """The speakers are one news outlet the lists know, named here as the subject of
        'reports' ('AP reports'); a ministry that 'has not reported' is no outlet."""
        if len(speakers) != 1 or speakers[0] not in self.mentions:
            return False
        return _listed_outlet(speakers[0]) and _is_source(self.doc[speakers[0].head])

    def _reported_clause(self, inside: list[Token], source: Token) -> list[Mention]:
        """'Lind has hinted that he will “accept the result”, AP reports': an outlet's report
        of someone's words; they are the words of the reported clause's named subject (C7),
        when it names someone other than the outlet. A quote that opens with the clause's
        verb ('Lind “vetoed the bill on Friday”, AP reports') is the report's own sentence."""
        first = _words(inside)[0]
        if first.tag_ in ("VBD", "VBZ", "VBP") and _clause_subject_of(first) is not None:
            return []
        named = self._clause_subject(inside) or []
        if any(self.doc[m.head].i == source.i or _is_source(self.doc[m.head]) for m in named):
            return []
        return named

    def _said_after(self, inside: list[Token]) -> list[Mention] | None:
        """A quote ending in '?' or '!' whose next sentence is only 'Name asked' ('shouted',
        'said'): a speech verb with no words of its own, just after the quote."""
        closing = inside[-1]
        if len(inside) < 2 or inside[-2].text not in ("?", "!") or closing.i + 1 >= len(self.doc):
            return None
        following = self.doc[closing.i + 1].sent
        verb = following.root
        if following.start != closing.i + 1 or not self._speech(verb) or verb.pos_ != "VERB":
            return None
        if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children):
            return None  # 'Lind asked the court to ...' has words of its own
        subject = _subject(verb, self.in_quotes)
        return self._named(subject) if subject is not None else None

    def _last_said(self, opening: Token) -> list[Mention]:
        """The named speaker of the last speech verb before the quote, in this paragraph and
        outside quotes, if no quote came between."""
        members = self.in_quotes
        last_quote = max((b for a, b in self.quoted if b <= opening.idx), default=-1)
        for token in reversed(self.doc[: opening.i]):
            if token.idx < last_quote:
                break
            if token.i in members:
                continue
            if token.pos_ == "VERB" and self._speech(token):
                speakers = self._subjects(token)
            else:
                speakers = self._according(token)  # 'X plans strikes, according to NBC. “...”'
            if speakers:
                return self._relayed(token, speakers) or speakers
        return []

    def _relayed(self, source: Token, speakers: list[Mention]) -> list[Mention]:
        """'Kross called for talks, the Courier reports. “...”', '“...,” Kross said,
        according to the Courier. “...”': a person's words the source relays are the
        person's (C7), the subject of the sentence's speech verb before the source's; a
        body's too ('“...,” the company said, Reuters reports. “...”'), unless it is an
        outlet."""
        if not all(_is_source(self.doc[m.head]) for m in speakers):
            return []
        for token in reversed(self.doc[source.sent.start : source.i]):
            if token.i in self.in_quotes or token.pos_ != "VERB" or not self._speech(token):
                continue
            people = [
                m
                for m in self._subjects(token)
                if m.kind == "person" or (m.kind != "place" and not _listed_outlet(m))
            ]
            if people and token.lemma_.lower() != "report":
                return people
        return []

    def _reporting_verb(self, verb: Token) -> Token | None:
        """'Borrell said the EU condemned it “in the harshest terms”': the words are those of
        whoever reports them, the subject of the speech verb the first one's clause is under."""
        current = verb
        for _ in range(4):
            if (
                current.dep_ not in ("ccomp", "conj", "advcl", "xcomp")
                or current.head.i == current.i
            ):
                return None
            below, current = current, current.head
            if current.sent.start != verb.sent.start:
                return None
            if current.pos_ in ("VERB", "AUX") and current.lemma_.lower() in _REPORTING:
                return None if _beside(below) else current
        return None

    def _signed(self, inside: list[Token]) -> list[Mention] | None:
        """'“...” — Center for International Private Enterprise': a name after a dash ([]
        when the dash is followed by a name we cannot resolve, not the last speaker)."""
        after = inside[-1].i + 1
        doc = self.doc
        while (
            after < len(doc)
            and (doc[after].is_punct or doc[after].is_space)
            and (doc[after].text not in "—–-")
        ):
            after += 1
        if after + 1 >= len(doc) or doc[after].text not in ("—", "–", "-"):
            return None
        owner = (
            self._signer(_leading(list(doc[after + 1 :])))
            or self.owner.get(after + 1)
            or self.owner.get(after + 2)
        )  # '“...” — Valdorian President Arvo Lind' is his
        if owner is None:
            end = after + 1
            while end < len(doc) and doc[end].is_title and doc[end].is_alpha:
                end += 1
            owner = self._named_elsewhere(doc[after + 1 : end].text)
        speaker = self._speaking(owner)
        if speaker is not None:
            return [speaker]
        return [] if doc[after + 1].is_title else None

    def _colon_signed(self, inside: list[Token]) -> list[Mention] | None:
        """'‘We will act’: Kross', 'Lind is ‘out of touch’: UTAG' (a headline or teaser of
        many outlets): a name alone after a colon that ends the line signs the quote before
        it. A sentence after the colon ('‘Huge gains’: Premier backs plan') is no signature."""
        doc = self.doc
        colon = inside[-1].i + 1
        if colon + 1 >= len(doc) or doc[colon].text != ":":
            return None
        rest = [t for t in doc[colon + 1 :] if not (t.is_punct or t.is_space)]
        if not rest or len(rest) > _COLON_SIGNER_WORDS or any(_finite(t) for t in rest):
            return None
        if not (rest[0].is_title or rest[0].is_upper):
            return None
        named = [self.owner[t.i] for t in rest if t.i in self.owner]
        # ('“...”: Selm Radio's Jo Park' is his words, not the outlet's)
        owner = next((m for m in named if m.kind == "person"), None) or self._signer(rest)
        # (an untyped name there is one already: syntax.DocFinder.find_line_signer)
        speaker = self._speaking(owner or self.owner.get(rest[0].i))
        return [speaker] if speaker is not None else None

    def _named_elsewhere(self, words: str) -> Mention | None:
        """The last name met so far that ends with these words ('Kross', 'Vera Kross')."""
        if not words[:1].isupper():
            return None
        return next(
            (
                m
                for m in reversed([*self.mentions, *self.people, *self.bodies])
                if m.kind != "place" and (m.name or "").endswith(words)
            ),
            None,
        )

    def _subject_before_predicate(self, inside: list[Token]) -> Mention | None:
        """A quote that opens with a speech verb, right after a name, is that name's words:
        'Putin “underlined that ...”, the Kremlin says'."""
        opening = inside[0]
        first = inside[1] if len(inside) > 1 else None
        before = opening.i - 1
        if (
            first is None
            or before < 0
            or not self._speech(first)
            or first.tag_ not in ("VBD", "VBZ")
        ):
            return None
        mention = self.owner.get(before)
        last = mention is not None and self.owner.get(before + 1) is not mention
        return self._speaking(mention) if last else None

    def _clause_subject(self, inside: list[Token]) -> list[Mention] | None:
        """No speech verb: the named subject of the verb the quote's clause hangs from ([] if
        that subject names nobody, None if there is none)."""
        members = {t.i for t in inside}
        for token in inside:  # 'Lind “vetoed the bill”': the quote holds its clause's verb
            subject = _clause_subject_of(token) if token.pos_ in ("VERB", "AUX") else None
            if subject is not None and subject.i not in self.in_quotes:
                # 'An official “said the step would ...”': a report's own words go on
                return self._named(subject) or None
        for token in inside:
            head = token.head
            for _ in range(5):
                if head.i in members or (head.i == head.head.i and head.pos_ != "VERB"):
                    break
                if head.pos_ == "VERB":
                    subject = _clause_subject_of(head)
                    if subject is not None and subject.i not in self.in_quotes:
                        return self._named(subject)
                if head.head.i == head.i:
                    break
                head = head.head
        return None

    def _governing_verb(self, inside: list[Token]) -> Token | None:
        """The nearest speech verb (or speech noun) the quote hangs from, or that hangs from
        the quote's own verb, in the same sentence."""
        members = {t.i for t in inside}
        sentence = inside[0].sent
        start, end = sentence.start, sentence.end
        candidates: list[tuple[int, Token]] = []
        for token in _words(inside):  # the marks hang anywhere: read the words
            below, head, steps = token, token.head, 0
            while head.i not in members and steps < 6 and start <= head.i < end:
                if self._speech(head) and not _named_as(head, below):
                    candidates.append((steps, head))
                    break
                if head.head.i == head.i or _own_clause(head):
                    break
                below, head, steps = head, head.head, steps + 1
        if not candidates:  # a speech verb beside the quote: '“...,” he said', 'as X put it'
            above = {a.i for t in _words(inside) for a in t.ancestors}
            for token in doc_range(self.doc, start, end):
                if token.i in members or not self._speech(token) or token.pos_ != "VERB":
                    continue
                manner = token.dep_ == "advcl" and token.head.i in above and _as_clause(token)
                if token.head.i in members or token.dep_ in ("parataxis", "ROOT") or manner:
                    candidates.append((abs(token.i - inside[0].i), token))
        if not candidates:
            return None
        return min(candidates, key=lambda pair: (pair[0], abs(pair[1].i - inside[0].i)))[1]

    @staticmethod
    def _speech(token: Token) -> bool:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX"):  # 'as Lind put it'
            return lemma in SPEECH_VERBS or (
                lemma == "put"
                and any(c.lower_ == "it" and c.dep_ == "dobj" for c in token.children)
            )
        return token.pos_ == "NOUN" and (lemma in SPEECH_NOUNS or token.lower_ in SPEECH_NOUNS)

    def _subjects(self, verb: Token) -> list[Mention]:
        """The speakers named by the subject of a speech verb (or the owner of a speech noun)."""
        current = verb
        for _ in range(4):
            if current.pos_ == "NOUN":
                owner = next((c for c in current.children if c.dep_ == "poss"), None)
                if owner is not None:
                    return self._named(owner)
                author = self._author(current)
                if author:
                    return author  # 'a claim by the Kremlin that ...'
                current = current.head  # 'in a statement, X said'
                continue
            subject = _subject(current, self.in_quotes)
            agent = next((c for c in current.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self._named(pobj)
            if subject is None and current.lemma_ in ("quote", "cite"):
                subject = next((c for c in current.children if c.dep_ == "nsubjpass"), None)
            if subject is not None:
                return self._named(subject)
            if current.dep_ in ("xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "acl"):
                current = current.head
                if current.i in self.owner and current.pos_ == "PROPN":
                    return self._named(current)  # the parser hung the verb on the name
                continue
            break
        return self._sentence_subject(verb)

    def _author(self, noun: Token) -> list[Mention]:
        """The author a speech noun names with 'by' or 'from' when it has no possessor ('an
        earlier claim by the Kremlin that ...', 'remarks from Sinodinos in which ...'): the
        words are the author's, not those of whoever the noun's clause is under ('Hale
        rejected a claim by Lind that ...' is Lind's)."""
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.i in self.owner:
                    return self._named(pobj)
        return []

    def _sentence_subject(self, verb: Token) -> list[Mention]:
        """When the parse gives the verb no subject: the name that opens its sentence, if it
        stands before the verb and is nobody's object."""
        for mention in self.mentions:
            head = self.doc[mention.head]
            if head.sent != verb.sent or mention.start > verb.idx or mention.kind == "place":
                continue
            if head.dep_ in ("nsubj", "ROOT", "appos") or head.i == head.sent.start:
                return [mention]
            if head.dep_ not in ("compound", "amod"):
                return []
        return []

    def _named(self, token: Token) -> list[Mention]:
        """Every speaker a subject names: 'A and B' are two, 'the two leaders' the last two
        named together."""
        group = self._group_before(token)
        if group and (self._plural_back(token) or token.lower_ == "they"):
            last = [m for m in self.outside if m.end <= token.idx and m.acting]
            if token.lower_ != "they" or not last or last[-1] in group:
                return group  # 'they said' only right after the names it takes up
        tokens = [token]
        tokens.extend(
            t for t in token.subtree if t.dep_ == "conj" and first_conjunct(t).i == token.i
        )
        speakers: list[Mention] = []
        for word in tokens:
            speaker = self._speaking(self._one(word))
            if speaker is not None and speaker not in speakers:
                speakers.append(speaker)
        for speaker in self._listed_with(token, speakers):
            speaker = self._speaking(speaker)
            if speaker is not None and speaker not in speakers:
                speakers.append(speaker)
        return speakers

    def _group_before(self, token: Token) -> list[Mention]:
        here = self._together(token.idx)
        group = here or (self.previous if len(self.previous) > 1 else self.pair)
        return [m for m in group if m.kind != "place"]

    def _together(self, before: int) -> list[Mention]:
        """The last names of this paragraph, before an offset, that acted together:
        'Lind and his Ostrian counterpart, Vera Kross, met'."""
        groups: dict[int, list[Mention]] = {}
        for mention in self.outside:
            if mention.end > before or not mention.acting or mention.kind == "place":
                continue
            head = self.doc[mention.head]
            while head.dep_ == "appos" and head.head.i != head.i:
                head = head.head
            group = groups.setdefault(first_conjunct(head).i, [])
            if mention not in group:
                group.append(mention)
        joint = [g for g in groups.values() if len(g) > 1]
        return joint[-1] if joint else []

    @staticmethod
    def _plural_back(token: Token) -> bool:
        """'both', 'the two leaders', 'both men', 'the pair', 'the two', 'the leaders': names
        met before, together."""
        lower = token.lower_
        if lower in ("both", "pair", "duo"):
            return True
        definite = any(c.lower_ == "the" and c.dep_ == "det" for c in token.children)
        if lower == "two" and definite:
            return True  # 'The two pledged a “fresh era”'
        counted = any(c.lower_ in ("two", "both") for c in token.children)
        leaders = definite and token.lemma_.lower() in _BACK_NOUNS  # 'The leaders said'
        return (counted or leaders) and token.tag_ == "NNS"

    def _listed_with(self, token: Token, named: list[Mention]) -> list[Mention]:
        """Names joined to a speaker by 'and' or commas in the text of the subject phrase,
        where the parse did not coordinate them ('Will Freeman and Steven Holmes' parsed as
        one name inside another)."""
        if not named:
            return []
        run: list[Mention] = []  # the names of one list, in order
        runs: list[list[Mention]] = []  # lists with an 'and' ('A, B' alone is apposition)
        joined, coordinated = True, False
        for k in range(token.left_edge.i, token.right_edge.i + 1):
            word = self.doc[k]
            mention = self.owner.get(k)
            if mention is not None:
                if mention not in run:
                    if not joined:
                        runs.append(run if coordinated else [])
                        run, coordinated = [], False
                    run.append(mention)
                joined = False
            elif word.lower_ in ("and", "&", ",") and run:
                joined = True
                coordinated = coordinated or word.lower_ != ","
            else:
                runs.append(run if coordinated else [])
                run, joined, coordinated = [], True, False
        runs.append(run if coordinated else [])
        return next((r for r in runs if len(r) > 1 and any(m in r for m in named)), [])

    @staticmethod
    def _speaking(mention: Mention | None) -> Mention | None:
        """A name that speaks is someone: the model's 'place' becomes a person; a place the
        lists know does not speak."""
        if mention is not None and mention.kind == "place":
            if mention.known:
                return None
            mention.kind = "person"
        return mention

    def _one(self, token: Token) -> Mention | None:
        mention = self.owner.get(token.i)
        if mention is not None and _office_title(token) and mention.kind != "person":
            # 'a Valdorian diplomat' -> Valdoria
            return self._office_holder(token) or self._neighbour_holder(token) or mention
        if mention is not None:
            return mention
        if token.pos_ in ("PROPN", "NOUN") and token.is_title:
            found = self._named_elsewhere(token.text)  # 'Zelenskyy', a name missed here
            if found is not None and found.kind == "person":
                return found
        lower = token.lower_
        if lower in _RELATIVES and token.head.dep_ == "relcl":
            antecedent = token.head.head  # 'the Chinese government, which said: “...”'
            return self.owner.get(antecedent.i) or (
                self._one(antecedent) if antecedent.i != token.i else None
            )
        if lower in PRONOUNS_PERSON:
            return self._focus(token) or self._nearest(token, "person") or self.last_person
        if lower in PRONOUNS_BODY:
            return self._nearest(token, "body") or self.last_body
        for child in token.children:  # 'the Pact's spokesman, Pavel Orn,'
            if child.dep_ == "appos" and child.i in self.owner:
                return self.owner[child.i]
        if (lower in TITLE_WORDS or lower in _FOUNDERS) and token.dep_ in _SUBJECTS:
            holder = self._second_subject(token) or self._neighbour_holder(token)
            if holder is not None:
                return holder
        if lower in TITLE_WORDS:  # 'President of the Commission Ursula von der Leyen'
            for inner in token.subtree:
                named = self.owner.get(inner.i)
                if named is not None and named.kind == "person" and title_of(inner) is not None:
                    return named
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        if lower in OFFICIAL_NOUNS or token.lemma_ in OFFICIAL_NOUNS:
            return self._office_holder(token) or self._body_of(token) or self._same_official(token)
        if token.lemma_.lower() in REPORT_NOUNS or lower in _OUTLET_NOUNS:
            author = next(iter(self._attached(token)), None)  # 'a Pact report that says'
            if author is not None or not any(c.lower_ == "the" for c in token.children):
                return author
            return self._last_outlet(token)  # 'the story says', 'the newspaper reported'
        if token.lemma_.lower() in _DOCUMENTS and token.dep_ in _SUBJECTS:
            return self._document_author(token)
        if lower in _MILITARY and not any(
            c.dep_ in ("amod", "compound", "poss") for c in token.children
        ):
            return self._military(token)
        if lower in _AIDES:  # 'the senior adviser said' after 'a White House adviser'
            found = self._same_official(token)
            if found is not None:
                return found
        found = self._back_reference(token)
        if found is None and lower in TITLE_WORDS:
            # 'Ostria's foreign minister said': the person the briefing names in that office,
            # else unnamed and speaking for Ostria (C1)
            return self._office_holder(token) or self._body_of(token)
        return found or self._described_body(token)

    def _document_author(self, token: Token) -> Mention | None:
        """The author of a document that speaks ('a statement from the Pact said', 'the
        statement said', 'The order states'): the one its own modifiers name, else whoever
        the paragraph said issued it ('Lind signed an order. The order states'), else the
        last speaker, when the document goes on from their words a few paragraphs before
        ('Lind said in the email ... The message also claimed') and relays no one else."""
        author = next(iter(self._attached(token)), None)
        if author is not None:
            return author
        lemma = token.lemma_.lower()
        for word in reversed(list(self.doc[: token.sent.start])):
            if word.lemma_.lower() == lemma and word.dep_ == "dobj":
                subject = _subject(word.head, self.in_quotes)
                return self._one(subject) if subject is not None else None
        if self._relays_someone(token.head):
            return None  # 'Lind “conveyed ...,” the statement adds': a named clause's words
        if len(self.previous) == 1 and self.paragraph - self.previous_in <= _DOCUMENT_REACH:
            return self.previous[0]
        return None

    def _relays_someone(self, verb: Token) -> bool:
        """The verb reports a clause whose subject is a name ('the statement adds that Lind
        pointed to ...')."""
        for clause in verb.children:
            subject = _clause_subject_of(clause) if clause.dep_ == "ccomp" else None
            if subject is not None and subject.i in self.owner:
                return True
        return False

    def _neighbour_holder(self, token: Token) -> Mention | None:
        """The person a speaking title stands for when the text names them right beside it
        and nowhere says who holds that office: the person the paragraph's next sentence is
        about ('Ostria's prime minister said “...”. Mr Lind promised ...'), else the one
        person of the headline just above the item the title opens ('Lind: ...' / 'The
        party leader said: “...”'). Only a definite title of one office, with no one named
        in its own sentence; the next sentence's person not if the briefing gives them
        another role ('Ostria's prime minister said ... Foreign Minister Jo Park will')."""
        if token.dep_ not in _SUBJECTS or not self._speech(token.head):
            return None
        if not self._one_office(token) or self._office_holder(token) is not None:
            return None
        sentence = token.sent
        here = (sentence.start_char, sentence.end_char)
        if any(m.kind == "person" and here[0] <= m.start < here[1] for m in self.outside):
            return None  # a person named beside it ('Lind met the president, who said')
        later = [s for s in sentences_of(self.doc) if s.start >= sentence.end]
        if later:
            subject = next((c for c in later[0].root.children if c.dep_ in _SUBJECTS), None)
            named = self.owner.get(subject.i) if subject is not None else None
            if named is not None and named.kind == "person" and self._may_hold(named, token):
                return named
        lead = sentence.start == 0  # the item's first sentence, right under its headline
        if lead and len(self.headline) == 1:  # (its role may be worded otherwise: 'czar')
            return self.headline[0]
        return None

    def _may_hold(self, person: Mention, title: Token) -> bool:
        """The person has no role the briefing gives, or one in the title's words ('Foreign
        Secretary Jo Park' is not 'the prime minister')."""
        role = self.roles.get(person.name or "", "").lower()
        return not role or title.lower_ in role or _holds(role, _office_words(title))

    @staticmethod
    def _one_office(token: Token) -> bool:
        """'the party leader', 'Ostria's prime minister', 'The WikiLeaks founder': one person
        in one office, named by the article or a possessor, with no name in apposition."""
        if token.tag_ not in ("NN", "NNP") or token.lower_ in OFFICIAL_NOUNS:
            return False
        if any(c.dep_ == "appos" for c in token.children):
            return False
        return any(c.lower_ == "the" or c.dep_ == "poss" for c in token.children)

    def _described_body(self, token: Token) -> Mention | None:
        """A speech verb's subject that only describes its speaker by the body or country it
        belongs to ('Ostria's government says', 'Ostria's chief statistician blamed', 'the
        Pact's negotiators said'): the words are said for that body (C1). A person's
        possessor is no such body ('Lind's aide said' is nobody's here)."""
        if token.pos_ != "NOUN" or token.dep_ not in _SUBJECTS or not self._speech(token.head):
            return None
        if any(c.dep_ == "appos" for c in token.children):
            return None  # 'the Pact's envoy, Vera Kross, says': the person speaks
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        named = self.owner.get(owner.i) if owner is not None else None
        return named if named is not None and named.kind in ("organization", "country") else None

    def _second_subject(self, title: Token) -> Mention | None:
        """The person a title phrase names when the parse made the name a second subject of
        the same verb, right after the phrase: 'says Banka youth leader & social activist
        Sharad Kumar Yadav', 'The Minister of the Capital Territory, Mr Jo Park said'."""
        after = k = title.right_edge.i + 1
        while k < len(self.doc) and (
            self.doc[k].is_punct or self.doc[k].lower_.rstrip(".") in _HONORIFICS
        ):
            k += 1
        for subject in title.head.children:
            if (
                subject.dep_ in _SUBJECTS
                and subject.i > title.i
                and after <= subject.left_edge.i <= k
            ):
                mention = self.owner.get(subject.i)
                return mention if mention is not None and mention.kind == "person" else None
        return None

    def _military(self, token: Token) -> Mention | None:
        """'The military said': the armed forces last named, or those of the country the
        text was last about."""
        earlier = self._latest_first(token)
        forces = [m for m in earlier if (m.name or "").endswith(" Armed Forces")]
        if forces:
            return forces[0]
        countries = [m for m in earlier if m.kind == "country" and m.acting]
        if not countries:
            return None
        adjective = self.demonym_of.get(countries[0].name or "", countries[0].name or "")
        return self._create(token, "organization", f"{adjective} Armed Forces")

    def _latest_first(self, token: Token) -> list[Mention]:
        """The names before a token, in this paragraph and the earlier ones, latest first."""
        here = [m for m in self.mentions if m.end <= token.idx]
        return [*reversed(here), *reversed(self.bodies)]

    def _create(self, token: Token, kind: str, name: str) -> Mention:
        """A speaker a description names ('the military'), as a mention at that word."""
        i, at = token.i, token.idx
        mention = Mention(i, i + 1, at, at + len(token), kind)
        mention.name, mention.link, mention.head = name, False, i
        self.created.append(mention)
        return mention

    def _office_holder(self, token: Token) -> Mention | None:
        """The one person of the briefing whose role is the office a title names ('Ostria's
        foreign minister', 'the top Valdorian diplomat', 'the PM'): its words are in the
        role, and so is the country or body it belongs to, when the role names one."""
        office = _office_words(token)
        if not office:
            return None
        qualifiers = self._qualifiers(token)
        holders = [
            name
            for name, role in self.roles.items()
            if _holds(role.lower(), office) and self._belongs(role, qualifiers)
        ]
        return self._create(token, "person", holders[0]) if len(holders) == 1 else None

    def _qualifiers(self, token: Token) -> list[str]:
        """The lower-case forms that name a title's country or body: 'Ostria's', 'Ostrian',
        'of the Pact', 'US', with the country's adjective and name."""
        found: list[str] = []
        for mention in self._attached(token):
            if mention.kind == "person":
                continue
            name = mention.name or ""
            found.extend([name.lower(), self.demonym_of.get(name, name).lower()])
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.text[:1].isupper():
                country = self.demonyms.get(child.text, child.text)
                found.extend([child.text.lower(), country.lower()])
        return found

    def _belongs(self, role: str, qualifiers: list[str]) -> bool:
        """A role fits a title's country or body when it names it, or a word made from it
        ('Ostrian Foreign Minister' for 'Ostria's foreign minister'; a bare 'President' may
        be anyone's)."""
        if not qualifiers:
            return True
        lower = role.lower()
        return any(q and re.search(rf"\b{re.escape(q)}", lower) for q in qualifiers)

    def _body_of(self, token: Token) -> Mention | None:
        """'a Kremlin spokesman said': an unnamed official speaks for the body, never for a
        person ('an aide to Premier Hale said' is nobody's quote here)."""
        for mention in self._attached(token):
            return mention if mention.kind in ("organization", "country") else None
        return self._demonym_country(token)

    def _demonym_country(self, token: Token) -> Mention | None:
        """'the Ostrian foreign minister said', no one named in that office: the adjective
        is no name of its own here, but the official speaks for Ostria all the same (C1)."""
        for child in token.children:
            country = self.demonyms.get(child.text) if child.dep_ in ("amod", "compound") else None
            if country is not None and child.text[:1].isupper():
                return self._create(token, "country", country)
        return None

    def _official_noun(self, mention: Mention) -> str | None:
        """'a senior U.S. official', 'a Kremlin spokesman': the noun of the unnamed official
        a body's name qualifies here (singular), if any."""
        doc = self.doc
        for k in (mention.j - 1, mention.j):
            if k == mention.i or k >= len(doc):
                continue
            if doc[k].lower_ in OFFICIAL_NOUNS or doc[k].lower_ in _AIDES:
                return doc[k].lemma_.lower()
        return None

    def _same_official(self, token: Token) -> Mention | None:
        """'the official told reporters', 'the same source said' after 'a senior U.S.
        official' (in this paragraph or the one before): that official's body again, as
        wire stories go on about one unnamed source."""
        if not any(c.lower_ in ("the", "same") for c in token.children):
            return None
        here = [m for m in self.outside if m.end <= token.idx and m.kind != "person"]
        for mention in reversed(here):
            if self._official_noun(mention) == token.lemma_.lower():
                return mention
        body, paragraph = self.officials.get(token.lemma_.lower(), (None, -9))
        return body if self.paragraph - paragraph <= PREVIOUS_REACH else None

    def _attached(self, token: Token) -> list[Mention]:
        """The names a noun's own modifiers give, nearest first: 'a Kremlin spokesman',
        'Israel's minister', 'leaders from the Unity Party', 'a report by the Courier'
        (never a name further down, in a clause of its own)."""
        found: list[Mention] = []
        for child in sorted(token.children, key=lambda c: abs(c.i - token.i)):
            words = [child]
            if child.dep_ == "prep" and child.lower_ in _OF:
                words = [c for c in child.children if c.dep_ == "pobj"]
            elif child.dep_ not in ("compound", "poss", "amod", "nmod", "npadvmod"):
                continue
            for word in words:
                mention = self.owner.get(word.i)
                if mention is None:
                    mention = next(
                        (self.owner[c.i] for c in word.children if c.i in self.owner), None
                    )
                if mention is not None and mention not in found:
                    found.append(mention)
        return found

    def _topics(self) -> list[tuple[int, Mention | None]]:
        """Each sentence's main subject when it is a person: (its word, the name), or None
        for a personal pronoun, which goes on about the person before ('Jo Park spoke on
        the radio. He said that Lind ... “...,” he added' is Park's throughout)."""
        found: list[tuple[int, Mention | None]] = []
        for sentence in sentences_of(self.doc):
            root = sentence.root
            verbs = [root, *(c for c in root.children if c.dep_ in ("aux", "auxpass"))]
            subject = next((c for v in verbs for c in v.children if c.dep_ in _SUBJECTS), None)
            if subject is None or subject.i in self.in_quotes:
                continue
            if subject.lower_ in PRONOUNS_PERSON:
                found.append((subject.i, None))
                continue
            mention = self.owner.get(subject.i)
            if mention is not None and mention.kind != "place" and self._personal(mention):
                found.append((subject.i, mention))
        return found

    def _focus(self, token: Token) -> Mention | None:
        """The person the text is about at a word: the last main subject naming one, in
        this paragraph before it, else carried from the paragraph before."""
        here = [m for at, m in self.topics if at < token.i]
        named = [m for m in here if m is not None]
        if named:
            return named[-1]
        if self.paragraph - self.focus_in <= 1:
            return self.focus
        return None

    def _nearest(self, token: Token, kind: str) -> Mention | None:
        """The nearest earlier name of that kind, a subject first ('X said ... Y. “...,” he
        said' is X's): a pronoun takes up whoever the sentence before was about."""
        passage = next(((a, b) for a, b in self.quoted if a <= token.idx < b), None)
        candidates = self.outside
        if passage is not None:  # a quote inside a quoted passage: its names count too
            candidates = [m for m in self.mentions if m in self.outside or passage[0] <= m.start]
        before = [
            m
            for m in candidates
            if m.end <= token.idx and m.kind != "place" and self._personal(m) == (kind == "person")
        ]
        acting = [m for m in before if m.acting]
        if acting:
            return acting[-1]
        if kind == "person" and self.previous and self.previous[-1].kind == "person":
            return self.previous[-1]
        return before[-1] if before else None

    def _personal(self, mention: Mention) -> bool:
        """A person, or a one-word name the package's lists do not know that is the subject of
        a speech verb ('Ossoff conceded ... “...,” he said', with Ossoff typed as a company)."""
        if mention.kind == "person":
            return True
        listed = load_lexicon().known.get(mention.name or "")
        if listed is not None or mention.kind not in ("organization", "other"):
            return False
        head = self.doc[mention.head]
        return head.dep_ == "nsubj" and self._speech(head.head) and " " not in (mention.name or "")

    def _back_reference(self, token: Token) -> Mention | None:
        """'the Russian president said', 'the ministry said': someone named before."""
        lemma = token.lemma_.lower()
        if not any(c.lower_ == "the" for c in token.children):
            return None
        if lemma in _BODY_NOUNS:
            for mention in self._latest_first(token):
                if mention.kind != "person" and lemma in (mention.name or "").lower():
                    return mention
            return self._last_company(token) if lemma in _COMPANY_NOUNS else None
        if lemma not in _BACK_NOUNS:
            return None
        qualifiers = [
            c.text.lower()
            for c in token.children
            if c.i < token.i and c.dep_ in ("compound", "amod", "nmod") and c.text[:1].isupper()
        ]
        here = [m for m in self.mentions if m.end <= token.idx and m.kind == "person"]
        people = [*reversed(here), *reversed(self.people)]
        for mention in people:  # 'the Russian president', 'the Nato chief'
            if self._titled(self.roles.get(mention.name or "", ""), lemma, qualifiers):
                return mention
        later = [n for n, role in self.roles.items() if self._titled(role, lemma, qualifiers)]
        if len(later) == 1:  # named further on: '..., says the Nato chief. Jens Stoltenberg ...'
            return self._create(token, "person", later[0])
        acting = [m for m in people if m.acting]
        if acting and not self.roles.get(acting[0].name or ""):
            return acting[0]  # 'Lind ordered ... The Valdorian president warned': an epithet
        return None

    def _last_company(self, token: Token) -> Mention | None:
        """'the firm said', 'the privately held company said': the company named last before
        it in this paragraph, else the body the text was last about (an organisation that is
        no news outlet: 'Larkmart Inc. sued ... The firm said' is Larkmart's)."""
        known = load_lexicon().known
        here = [m for m in self.mentions if m.end <= token.idx]
        for mention in [*reversed(here), self.last_body]:
            if mention is not None and mention.kind == "organization" and mention.name not in known:
                return mention
        return None

    @staticmethod
    def _titled(role: str, lemma: str, qualifiers: list[str]) -> bool:
        role = role.lower()
        if not role or not all(q in role for q in qualifiers):
            return False
        return bool(re.search(rf"\b{re.escape(lemma)}\b", role)) or bool(
            qualifiers and lemma in _HEADS
        )

    def _colon(self, inside: list[Token]) -> list[Mention] | None:
        """'Kross: “...”': a name and a colon before the quote ([] when the words before the
        colon are a name or title we cannot resolve; None when no name stands there)."""
        doc = self.doc
        before = inside[0].i - 1
        if before < 1 or doc[before].text != ":":
            return None
        name = doc[before - 1]
        if _HANDLE.fullmatch(name.text):  # '@jopark: “...”', a post quoted in a newsletter
            return [self.owner.get(name.i) or self._create(name, "person", name.text)]
        while name.dep_ in ("pobj", "prep") and name.head.i < name.i:
            owner = self.owner.get(name.i)  # 'the Courier's Jo Park in Selm: “...”' is Park's
            if owner is not None and owner.kind != "place":
                break
            name = name.head
        owner = self.owner.get(name.i)
        if owner is None or owner.kind == "place":  # 'AP/Madison: “...”'
            owner = next(
                (
                    self.owner[k]
                    for k in range(name.i, name.left_edge.i - 1, -1)
                    if k in self.owner and self.owner[k].kind != "place"
                ),
                owner,
            )
        if owner is None:  # a name found elsewhere but not here ('... ends’ Jo Park: ‘...’')
            start = name.i
            while start > name.left_edge.i and doc[start - 1].is_title and doc[start - 1].is_alpha:
                start -= 1
            owner = self._named_elsewhere(doc[start : name.i + 1].text)
        speaker = self._speaking(owner)
        if speaker is None:
            return [] if name.text[:1].isupper() else None  # a name we cannot resolve
        return [self._outlet_of(name) or speaker]

    def _last_outlet(self, token: Token) -> Mention | None:
        """The outlet named last before a token: a news organisation the lists know, or a
        name that was a source ('according to X', 'X reported')."""
        here = [m for m in self.mentions if m.end <= token.idx]
        for mention in reversed([*self.bodies, *here]):
            if mention in self.sources or _listed_outlet(mention):
                return mention
        return None

    def _according(self, token: Token) -> list[Mention]:
        """'according to X' (or to a report of X's) at this token: X, else nobody."""
        if token.lower_ != "according":
            return []
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        return self._named(source) if source is not None else []

    def _outlet_of(self, token: Token) -> Mention | None:
        """'by NYT’s Elizabeth Williamson and Emily Steel: “...”': a passage quoted from a
        report is the outlet's, whose reporters the byline names."""
        head = token
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        for child in head.children:  # 'NYT’s' is sometimes parsed as a modifier
            possessive = child.dep_ == "poss" or (
                child.dep_ in ("nmod", "compound") and any(c.dep_ == "case" for c in child.children)
            )
            if possessive and child.i in self.owner:
                owner = self.owner[child.i]
                if owner.kind in ("organization", "other"):
                    return owner
        return None

    def _stands_alone(self, inside: list[Token], first: bool) -> bool:
        """The quote is its own sentence (or opens the paragraph a quote ran on from)."""
        if not inside:  # a mark inside a word ('´«Ã½', mis-decoded text) opens no token
            return False
        sentence = inside[0].sent
        members = {t.i for t in inside}
        rest = [t for t in sentence if t.i not in members and not t.is_punct]
        if first and inside[0].i == 0 and self.running:
            return True
        return not rest


def _listed_outlet(mention: Mention) -> bool:
    """A news outlet the package's lists know ('AP', 'Reuters')."""
    known = load_lexicon().known.get(mention.name or "")
    return known is not None and known.kind == "media"


def _is_source(head: Token) -> bool:
    """'X reported', 'reports X', 'according to X', 'a report by X'."""
    if head.dep_ == "nsubj":
        return head.head.lemma_.lower() in ("report", "publish")
    if head.dep_ == "pobj":
        above = head.head.head
        return above.lower_ == "according" or (
            head.head.lower_ == "by" and above.lemma_.lower() in REPORT_NOUNS
        )
    return False


def _finite(token: Token) -> bool:
    """A verb that makes a line a sentence ('Lind said'), not a participle in a description
    ('Lind, speaking in Selm')."""
    return token.pos_ == "AUX" or token.tag_ in ("VBD", "VBZ", "VBP", "MD")


def _finite_or_perfect(verb: Token) -> bool:
    """'Lind says', 'Lind said', 'Lind has told': a statement made, not 'to say'."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or (
        verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    )


def _leading(tokens: list[Token]) -> list[Token]:
    """The words a line opens with, after any dash, up to the first mark ('— Rep. Ann Lind
    (D., Ostria)' -> Rep. Ann Lind): a signature's name never runs past one."""
    start = 0
    while start < len(tokens) and (tokens[start].is_punct or tokens[start].is_space):
        start += 1
    words = []
    for token in tokens[start:]:
        if token.is_punct:
            break
        if not token.is_space:
            words.append(token)
    return words


def _title_like(word: Token) -> bool:
    """A title or qualifier before a name on a signature line: 'Rep.', 'President',
    'Valdorian', 'Former', 'House' (capitalised, or a title word)."""
    return word.lower_.strip(".") in TITLE_WORDS or (word.is_title and word.pos_ != "VERB")


def _own_clause(verb: Token) -> bool:
    """A clause with its own subject that is no one's reported words: 'with the US ordering
    troops to “reassure partners”' is the US's, whatever verb it hangs from."""
    return (
        verb.pos_ == "VERB"
        and verb.dep_ in ("advcl", "pcomp")  # not a reported clause nor a relative one
        and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in _RELATIVES for c in verb.children
        )
    )


def _beside(clause: Token) -> bool:
    """A clause set beside a reporting verb, not under it: coordinated with it or adverbial
    to it, with a subject of its own ('Biden has said ..., and Psaki said that “...”', 'While
    Twyford says the party has “...”, Shaw says ...'). Its words are its own subject's."""
    subject = any(c.dep_ in _SUBJECTS and c.lower_ not in _RELATIVES for c in clause.children)
    if not subject:
        return False
    if clause.dep_ in ("conj", "advcl"):
        return True
    # (the parser often hangs a clause after ', and' under the verb before it: 'Biden has
    # said that ..., and Psaki said that “...”' as a clause Biden's verb reports)
    start = clause.left_edge.i
    after_and = start > 0 and clause.doc[start - 1].lower_ in _COORDINATORS
    marked = any(c.dep_ == "mark" for c in clause.children)
    return clause.dep_ == "ccomp" and after_and and not marked


def _named_as(noun: Token, below: Token) -> bool:
    """A speech noun that a naming verb's subject names with the quote: 'Lind called
    Ostria's demands “absurd”' is Lind's word for Ostria's demands, not Ostria's words
    (as 'Ostria's demand that “...”' would be): the quote modifies the noun, no clause."""
    return (
        noun.pos_ == "NOUN"
        and noun.dep_ == "dobj"
        and noun.head.lemma_.lower() in _NAMING
        and below.dep_ not in ("acl", "relcl", "ccomp", "advcl")
    )


def _as_clause(verb: Token) -> bool:
    """'as Lind put it', 'as the Courier reported'."""
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def _clause_subject_of(verb: Token) -> Token | None:
    """A verb's subject, or that of the verb it is coordinated with ('X is united and “will
    stand with Y”')."""
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subject is None and verb.dep_ == "conj":
        head = first_conjunct(verb)
        subject = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
    return subject


def _subject(verb: Token, quoted: set[int]) -> Token | None:
    """The verb's subject; when the parse gives it several ('something Lind said he would
    “think about”' makes 'something' one), the one nearest before the verb. With none and a
    quote just before the verb, a name after it is its subject inverted ('“...,” write Jo Park
    and Al Reyes')."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj", "expl")]
    before = [c for c in subjects if c.i < verb.i]
    if before:
        return before[-1]
    if subjects:
        return subjects[0]
    if not any(k in quoted for k in (verb.i - 1, verb.i - 2)) and not _reported_before(
        verb, quoted
    ):
        return None
    inverted = (c for c in verb.children if c.i > verb.i and c.dep_ in INVERTED_SUBJECTS)
    return next((c for c in inverted if c.pos_ == "PROPN" and c.i not in quoted), None)


def _headline_like(text: str) -> bool:
    """A paragraph that reads as a headline: one short line with no closing stop (its last
    words may be quoted: 'Lind to quit ‘before long’')."""
    line = text.strip()
    if "\n" in line or len(line.split()) > _HEADLINE_WORDS:
        return False
    return line.rstrip("”’\"' ")[-1:] not in ".!?"


def _reported_before(verb: Token, quoted: set[int]) -> bool:
    """The verb's reported clause holds a quote and ends right before it, behind nothing but
    punctuation: '‘is a wake-up call’ for Filipinos, stresses Jo Park' is inverted too."""
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.i > verb.i:
            continue
        edge = clause.right_edge.i
        between = verb.doc[edge + 1 : verb.i]
        if edge < verb.i and all(t.is_punct for t in between):
            return any(t.i in quoted for t in clause.subtree)
    return False


# Titles that name an office in other words: 'the PM', 'the top diplomat'.
_OFFICE_FORMS = {
    "pm": (("prime", "minister"),),
    "diplomat": (("foreign", "minister"), ("secretary", "of", "state"), ("foreign", "secretary")),
}
_NOT_OFFICE = words("top senior former then new outgoing incoming acting")


def _office_words(token: Token) -> tuple[tuple[str, ...], ...]:
    """The ways of writing the office a title word names, with its lower-case modifiers
    ('prime minister', 'foreign minister', 'deputy prime minister'); () when the word is
    plural or names no one office ('officials', 'a spokesman')."""
    lower = token.lower_.strip(".")
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
    if indefinite or token.tag_ in ("NNS", "NNPS") or lower in _HONORIFICS:
        return ()  # 'a minister said', 'officials said': no one office
    if lower in _OFFICE_FORMS:
        return _OFFICE_FORMS[lower]
    if lower in OFFICIAL_NOUNS:
        return ()
    words_before = [
        c.lower_
        for c in token.children
        if c.i < token.i
        and c.dep_ in ("amod", "compound")
        and c.text.islower()
        and c.lower_ not in _NOT_OFFICE
    ]
    return ((*words_before, token.lemma_.lower()),)


def _office_title(token: Token) -> bool:
    """A common noun naming an office ('minister', 'diplomat'), not a name's own word."""
    lower = token.lower_
    return token.text.islower() and (lower in TITLE_WORDS or lower in _OFFICE_FORMS)


def _holds(role: str, office: tuple[tuple[str, ...], ...]) -> bool:
    """The role is that office: each way of writing it is tried, its words in order."""
    patterns = (r"\b" + r"\s+".join(map(re.escape, form)) + r"\b" for form in office)
    return any(re.search(pattern, role) for pattern in patterns)


def _words_of(role: str) -> set[str]:
    return {w.strip(".").lower() for w in role.split()}


def _words(inside: list[Token]) -> list[Token]:
    """A quotation's tokens without its punctuation (all of them if that is all it has)."""
    return [t for t in inside if not t.is_punct] or inside


def doc_range(doc: Doc, start: int, end: int) -> list[Token]:
    return [doc[k] for k in range(start, end)]
