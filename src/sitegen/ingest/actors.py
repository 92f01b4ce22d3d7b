"""A briefing's actors, their mentions and quotes, from spaCy's parse of each paragraph.

An actor is whoever the text credits with an action or a statement (GUIDELINES.md): the
parse says who is the subject, agent or source (syntax.py) and whose words a quote is
(speakers.py). Names are then made canonical: the registry's spelling wins, spelling
variants of one name are one actor, a lone surname takes the full name the briefing or the
registry gives it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import attribution
from .casing import caseless, dateline_end, entity_case, for_the_parser, restore_case
from .gazetteer import Gazetteer, cased_forms, name_key
from .grammar import INSTITUTION_WORDS, TITLE_WORDS
from .lexicon import load_lexicon, words
from .nlp import parse
from .quotes import QuoteSpan, find_quotes
from .rawparse import is_link_line
from .registry import Actor
from .speakers import Speakers
from .syntax import HOME_BODY, PARTICLES, DocFinder, is_common_plural, names_in
from .textutil import Mention

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.language import Language
    from spacy.tokens import Doc


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
    """A paragraph read once: its quotes and its parse (no names known yet)."""

    text: str
    item: int | None
    quotes: list[QuoteSpan]
    doc: Doc


def prepare_many(
    briefings: list[list[tuple[str, int | None]]],
    nlp: Language,
    acronyms: Container[str] | None = None,
    known: dict[str, str] | None = None,
) -> list[list[Prepared]]:
    """Parse the paragraphs of several briefings in one stream (spaCy batches them). The
    parser reads names set in capitals in title case, and a briefing without capitals with
    them restored (casing.py); `acronyms` are forms in capitals to leave alone (the lists' by
    default), `known` the names whose capitals are known (lower case -> as written)."""
    lexicon = load_lexicon()
    keep = lexicon.acronyms if acronyms is None else acronyms
    paragraphs = [[text for text, _ in segments] for segments in briefings]
    flat = [n for n, texts in enumerate(paragraphs) if caseless(texts)]
    if flat:
        cased = known if known is not None else cased_forms(lexicon, [])
        restored = [restore_case(paragraphs[n], cased, TITLE_WORDS) for n in flat]
        names_only = [p for p in nlp.pipe_names if p not in ("tok2vec", "ner")]  # entities only
        restored_texts = [t for texts in restored for t in texts]
        docs = parse(nlp, restored_texts, disable=names_only)
        for n, texts in zip(flat, restored, strict=True):
            paragraphs[n] = entity_case(texts, [next(docs) for _ in texts])
    places = lexicon.dateline_places
    texts = [for_the_parser(text, keep, places) for texts in paragraphs for text in texts]
    docs = parse(nlp, texts)
    return [
        [Prepared(text, item, _quotes(text), next(docs)) for text, item in segments]
        for segments in briefings
    ]


def _quotes(text: str) -> list[QuoteSpan]:
    """A link line's quote marks are around titles (CONVENTIONS C16): no quotes."""
    return [] if is_link_line(text) else find_quotes(text)


_POSSESSIVE = re.compile(r"['’]s\b")


# -- names ---------------------------------------------------------------------------------------
class Names:
    """Canonical names for one briefing: the registry's first, else the fullest form."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def resolve(self, found: list[tuple[str, Mention]]) -> None:
        """found: (the paragraph's text, a mention in it), for every mention of a briefing."""
        # (a body of the briefing's country, 'the Government', is named by _home_bodies later:
        # its placeholder name must not become another mention's canonical 'government')
        mentions = [m for _, m in found if m.name and m.kind != "place" and not m.home]
        guessed = [m for _, m in found if m.name and m.guessed]
        full: dict[str, str] = {}  # key -> canonical, for names of two words or more
        for mention in mentions:
            key = name_key(mention.name or "")
            known = self.gaz.by_key.get(key)
            if known is not None:
                mention.name = known
            elif mention.kind != "person" or " " in (mention.name or ""):
                mention.name = full.setdefault(key, mention.name or "")
        self._shorter_forms(mentions)
        self._lone_names(mentions, guessed)
        self._abbreviations(found, mentions)
        self._short_forms(mentions)
        self._last_words(mentions)
        self._as_written(found)
        _acronyms_as_written(found)
        named = {m.name for m in mentions if not m.common}
        for mention in mentions:
            name = mention.name or ""
            if mention.common and " " not in name and (is_common_plural(name) or name not in named):
                # 'Rescuers', not someone's surname: nobody, who neither acts nor is
                # credited the headline's scare quote ('Protests over 'unfair' vote'); 'Man'
                # opening a headline, unless the briefing names someone so elsewhere
                mention.name, mention.acting, mention.link = None, False, False

    def _short_forms(self, mentions: list[Mention]) -> None:
        """'the Senate' in a briefing that names 'the U.S. Senate', 'the Defense Ministry' in
        one that names 'the Ukrainian Defense Ministry': the one body whose name ends with
        the short form after a nationality or a place."""
        bodies = {m.name or "" for m in mentions if m.kind in ("organization", "country")}
        for mention in mentions:
            short = mention.name or ""
            if mention.kind != "organization" or mention.known:
                continue
            longer = [b for b in bodies if b.endswith(" " + short) and self._qualifier(b, short)]
            if len(longer) == 1:
                mention.name = longer[0]

    def _last_words(self, mentions: list[Mention]) -> None:
        """'Carney' (typed a country in "Carney's government") in a briefing that names
        'Mark Carney', 'Petinos' beside 'Eleni Petinos' (both typed as companies), 'the
        Journal' after 'the Wall Street Journal', 'the Court' after 'the Supreme Court': a
        one-word name that is the last word of exactly one longer name of the briefing is
        that actor, whatever kind the model gave either (one actor, one name). Not a name
        the package's lists know ('Congress', 'Korea'; a paper's short name aside: 'the
        Times'), nor the last word of a name they know whole ('House' is not 'White
        House'), nor of a name with a possessive ('Muller's National' is a misread)."""
        lexicon = self.gaz.lexicon.known
        longer: dict[str, set[str]] = {}
        kinds: dict[str, str] = {}
        for mention in mentions:
            name = mention.name or ""
            listed = lexicon.get(name)
            if (
                not 2 <= len(name.split()) <= 4
                or mention.kind not in ("person", "organization", "group")
                or (listed is not None and listed.kind != "media")
                or _POSSESSIVE.search(name)
            ):
                continue
            longer.setdefault(name_key(name.split()[-1]), set()).add(name)
            if kinds.get(name) != "person":
                kinds[name] = mention.kind
        for mention in mentions:
            name = mention.name or ""
            listed = lexicon.get(name)
            if not name or " " in name or mention.common or mention.kind == "place":
                continue
            if listed is not None and listed.kind != "media":
                continue
            owners = longer.get(name_key(name), set())
            if len(owners) == 1:
                mention.name = next(iter(owners))
                mention.kind = kinds[mention.name]

    def _qualifier(self, name: str, short: str) -> bool:
        """'U.S.' in 'U.S. Senate', 'Ukrainian' in 'Ukrainian Defense Ministry': the words
        before the short form say whose it is ('White' in 'White House' does not)."""
        prefix = name[: -len(short)].strip()
        lexicon = self.gaz.lexicon
        known = lexicon.known.get(prefix)
        return (
            prefix in lexicon.demonyms
            or (prefix.endswith("ian") and len(prefix) > 5)  # 'Valdorian', as syntax.py reads it
            or (known is not None and known.kind in ("country", "place"))
            or prefix.replace(".", "").isupper()
        )

    def _abbreviations(self, found: list[tuple[str, Mention]], mentions: list[Mention]) -> None:
        """'the World Food Programme (WFP)': the briefing's 'WFP' is that body; and so is
        'KPU' after 'the General Elections Commission (KPU)' (another language's initials),
        when no body the briefing names has its initials."""
        bodies, loose = {}, {}
        for text, mention in found:
            if mention.kind not in ("organization", "country", "group") or not mention.name:
                continue
            after = _ABBREVIATION.match(text, mention.end)
            if after and _abbreviates(after.group(1), mention.name):
                bodies[name_key(after.group(1))] = mention.name
            elif after and self._renames(after.group(1), mention):
                loose[name_key(after.group(1))] = mention.name
        names = {m.name or "" for m in mentions if m.kind in ("organization", "group")}
        names |= {m.name or "" for m in mentions if m.kind == "person" and not m.known}
        shouted = {id(m) for text, m in found if _in_capitals(text[m.start : m.end])}
        for mention in mentions:
            if mention.known:
                continue
            key = name_key(mention.name or "")
            body = bodies.get(key)  # defined: even where the model typed a person ('Cecc')
            if body is None and (mention.kind != "person" or id(mention) in shouted):
                body = _expansion(mention.name or "", names, id(mention) in shouted)
            body = body or loose.get(key)
            if body is not None:
                mention.name, mention.kind = body, "organization"

    def _renames(self, short: str, mention: Mention) -> bool:
        """'(KPU)', '(MFA)', '(MoD)' after an institution's name: capitals, not its initials
        (another language's, or a common short form); never a country's or a known name's
        ('(US)', '(UN)': where it is, not what it is called) or after a person's."""
        parts = (mention.name or "").lower().split()
        capitals = sum(c.isupper() for c in short)
        return (
            mention.kind == "organization"
            and len(parts) > 1
            and any(w in INSTITUTION_WORDS or w in ("party", "union") for w in parts)
            and capitals >= max(2, len(short.replace(".", "")) - 1)
            and short not in self.gaz.lexicon.known
        )

    def _shorter_forms(self, mentions: list[Mention]) -> None:
        """'Cyril Ramaphosa' or 'C. Ramaphosa' in a briefing that names 'Matamela Cyril
        Ramaphosa', 'Lula da Silva' beside 'Luiz Inácio Lula da Silva': one person, named by
        the fullest form (a shorter name never splits a person in two)."""
        people = {m.name or "" for m in mentions if m.kind == "person" and not m.known}
        longer: dict[str, str] = {}
        for name in people:
            owners = [other for other in people if _shortens(name, other)]
            if len(owners) == 1:
                longer[name] = owners[0]
        for mention in mentions:
            if mention.kind == "person" and mention.name in longer:
                mention.name = longer[mention.name]

    def _lone_names(self, mentions: list[Mention], guessed: list[Mention]) -> None:
        """'Novak said' is the briefing's (or the registry's) one Alexander Novak; failing a
        surname, a first name ('Patrick said') or an inner name ('Lula') names the one
        person it belongs to. A name the model guessed was a place is that person too, and
        so is an untyped acting name ('Lind vows ...'; by its first name only when that
        person acts in the briefing)."""
        people = {m.name or "" for m in mentions if m.kind == "person" and " " in (m.name or "")}
        acting = {m.name for m in mentions if m.acting and m.name in people}
        surnames: dict[str, set[str]] = {}
        first_names: dict[str, set[str]] = {}
        inner: dict[str, set[str]] = {}  # 'Lula' in 'Luiz Inácio Lula da Silva'
        for name in people:
            words = name.split()
            surnames.setdefault(name_key(words[-1]), set()).add(name)
            first_names.setdefault(name_key(words[0]), set()).add(name)
            for word in words[1:-1]:
                if word[:1].isupper() and len(word) > 2:
                    inner.setdefault(name_key(word), set()).add(name)
        for mention in mentions + guessed:
            if " " in (mention.name or "") or mention.known:
                continue
            if mention.kind not in ("person", "organization", "other") and not mention.guessed:
                continue
            key = name_key(mention.name or "")
            owners = surnames.get(key) or self.gaz.last_names.get(key) or set()
            if not owners and mention.kind == "person":
                owners = first_names.get(key) or inner.get(key, set())
            elif not owners and mention.kind in ("other", "organization"):
                # 'Marta to visit Selm', 'Says Tarique' typed a company: weaker
                owners = {name for name in first_names.get(key, set()) if name in acting}
            if len(owners) > 1:  # two Linds: the one named last before this mention
                owners = _last_named(owners, mentions, mention)
            if len(owners) == 1:  # 'Novak said', even when the model took it for a company
                self._as_person(mention, next(iter(owners)))
        for mention in guessed:  # 'Igor Bobic' taken for a place, a person elsewhere
            if mention.guessed and (mention.name or "") in people:
                self._as_person(mention, mention.name or "")
        self._people_typed_as_bodies(mentions)

    @staticmethod
    def _people_typed_as_bodies(mentions: list[Mention]) -> None:
        """'Tove Kallin' typed as an organisation, 'Kallin said' as a person: one person,
        the full name (the lone surname says what kind of name it is)."""
        lone = {
            name_key(m.name or ""): m
            for m in mentions
            if m.kind == "person" and m.name and " " not in m.name and not m.known
        }
        bodies: dict[str, set[str]] = {}
        for mention in mentions:
            words = (mention.name or "").split()
            if mention.kind not in ("organization", "other") or mention.known:
                continue
            if 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words):
                bodies.setdefault(name_key(words[-1]), set()).add(mention.name or "")
        for key, names in bodies.items():
            if key not in lone or len(names) != 1:
                continue
            [name] = names
            for mention in mentions:
                if (
                    mention.name == name
                    or mention is lone[key]
                    or (mention.kind == "person" and name_key(mention.name or "") == key)
                ):
                    mention.name, mention.kind = name, "person"

    @staticmethod
    def _as_person(mention: Mention, name: str) -> None:
        if mention.guessed:  # a place only by the model's guess: acting as a person would
            mention.guessed, mention.acting = False, mention.could_act
        mention.name, mention.kind = name, "person"

    def _as_written(self, found: list[tuple[str, Mention]]) -> None:
        """An organisation from the package's lists is named as the text writes it when the
        text never uses the list's name ('Conservatives', not 'Conservative Party'; 'EU', not
        'European Union': C18, the fullest form in the text)."""
        written: dict[str, list[str]] = {}
        for text, mention in found:
            name = mention.name or ""
            if name.endswith(" Armed Forces"):
                continue  # named by the convention (C10), not by the text
            if mention.known and mention.kind == "organization" and name not in self.gaz.actors:
                written.setdefault(name, []).append(text[mention.start : mention.end])
        for name, forms in written.items():
            plain = [f.removeprefix("the ").removeprefix("The ") for f in forms]
            if any(f.casefold() == name.casefold() for f in plain):
                continue
            longest = max(plain, key=len)
            for _, mention in found:
                if mention.name == name:
                    mention.name = longest


def _acronyms_as_written(found: list[tuple[str, Mention]]) -> None:
    """'UTAG', 'INDEC': a body's one-word name in capitals that the parser read re-cased
    ('Utag') is named as written, unless the briefing also writes it in lower case letters.
    A person's stays re-cased ('LIND said': a surname set in capitals)."""
    cased: set[str] = set()
    shouted: dict[str, str] = {}  # name -> as written
    for text, mention in found:
        written = text[mention.start : mention.end]
        name = mention.name or ""
        if " " in name or not written.isalpha() or mention.kind == "person":
            continue
        if written.isupper() and name == written[:1] + written[1:].lower():
            shouted[name] = written
        elif written == name:
            cased.add(name)
    for _, mention in found:
        if mention.name in shouted and mention.name not in cased:
            mention.name = shouted[mention.name]


def _shortens(short: str, name: str) -> bool:
    """'Cyril Ramaphosa', 'C. Ramaphosa' for 'Matamela Cyril Ramaphosa': the shorter name's
    words (an initial for a word) are the longer one's, in order, ending with its last."""
    words, full = short.split(), name.split()
    initials = any(len(w.rstrip(".")) == 1 for w in words[:-1])
    if len(words) < 2 or len(words) > len(full) - (not initials) or short == name:
        return False
    if name_key(words[-1]) != name_key(full[-1]):
        return False
    rest = iter(full[:-1])
    for word in words[:-1]:
        initial = len(word.rstrip(".")) == 1
        if not any((w[:1] == word[:1]) if initial else name_key(w) == name_key(word) for w in rest):
            return False
    return True


def _last_named(owners: set[str], mentions: list[Mention], mention: Mention) -> set[str]:
    """Of several people with one surname, the one named last before `mention`."""
    last = None
    for other in mentions:
        if other is mention:
            break
        if other.name in owners:
            last = other.name
    return {last} if last else owners


_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z.&-]{1,9})\)")
_SMALL_WORDS = words("of the and for in on at to de del la")


def _abbreviates(short: str, name: str) -> bool:
    """'WFP' for 'World Food Programme', 'ISIS' for 'Islamic State in Iraq and Syria', 'BOK'
    for 'Bank of Korea': the letters of the short form, in order, begin the name's words."""
    letters = [c for c in short if c.isalpha()]
    every = [w for w in re.split(r"[\s-]+", name) if w]
    main = [w for w in every if w.lower() not in _SMALL_WORDS]
    return len(letters) >= 2 and any(_initials_in(letters, words) for words in (main, every))


def _initials_in(letters: list[str], words: list[str]) -> bool:
    """Whether the letters, in order, begin words of `words`, the first its first ('BOK':
    'Bank of Korea' counts its small words too)."""
    if not words or letters[0].lower() != words[0][0].lower():
        return False
    initials = iter(w[0].lower() for w in words)
    return all(any(c.lower() == i for i in initials) for c in letters)


def _expansion(short: str, names: set[str], shouted: bool = False) -> str | None:
    """'the VRS' in a briefing that names 'the Valdorian Revenue Service' and no other body
    with those initials: the one name whose words' initials are the capitals, each once.
    Written in capitals ('TEPCO', 'KUNA', 'IPOB', 'HS', whatever the parser made of them),
    the letters may also begin the words by more than one ('TEPCO': Tokyo Electric Power
    COmpany; 'KUNA': KUwait News Agency; four letters at least) or take a small word's
    ('IPOB': Indigenous People Of Biafra); every word of the name gives its first letter."""
    letters = short.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha()):
        return None
    if letters.isupper():
        found = [n for n in names if n != short and _initials(n) == letters]
        if len(found) == 1 or not shouted:
            return found[0] if len(found) == 1 else None
    if not shouted:
        return None
    found = [n for n in names if name_key(n) != name_key(short) and _stands_for(letters, n)]
    return found[0] if len(found) == 1 else None


def _stands_for(letters: str, name: str) -> bool:
    words = [re.sub(r"\W", "", w).lower() for w in re.split(r"[\s-]+", name)]
    words = [w for w in words if w]
    short = letters.lower()
    if len(words) < 2:
        return False

    def walk(at: int, word: int) -> bool:
        if word == len(words):
            return at == len(short)
        options = ([0] if words[word] in _SMALL_WORDS else []) + [1, 2, 3]
        for n in options:
            if n > 1 and len(short) < 4:
                break
            if n and short[at : at + n] != words[word][:n]:
                continue
            if walk(at + n, word + 1):  # (n is 0 only for a small word)
                return True
        return False

    return walk(0, 0)


def _in_capitals(written: str) -> bool:
    letters = written.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SMALL_WORDS]
    return "".join(w[0] for w in words if w[0].isupper())


# -- the analysis --------------------------------------------------------------------------------
@dataclass
class _Segment:
    part: Prepared
    mentions: list[Mention]


def _roles(segments: list[_Segment], gazetteer: Gazetteer) -> dict[str, str]:
    """Each person's title: the one this briefing gives, else the registry's."""
    roles: dict[str, str] = {}
    for segment in segments:
        for mention in segment.mentions:
            if mention.role and mention.name and mention.kind == "person":
                roles.setdefault(mention.name, mention.role)
    for segment in segments:
        for mention in segment.mentions:
            known = gazetteer.actors.get(mention.name or "")
            if known is not None and known.role and mention.kind == "person":
                roles.setdefault(known.name, known.role)
    return roles


_LEARNED = "learned"  # the committed model (attribution.load_model)


def _attribute(
    segments: list[_Segment],
    gazetteer: Gazetteer,
    model: attribution.Model | str | None = _LEARNED,
    observe: Callable[[Prepared, QuoteSpan, list[attribution.Candidate]], None] | None = None,
) -> list[Quote]:
    """The rules credit each quote (speakers.py); then the learned model, given the rules'
    choice among the candidates, keeps the speakers it trusts (attribution.py)."""
    lexicon = gazetteer.lexicon
    speakers = Speakers(_roles(segments, gazetteer), lexicon.demonyms, lexicon.adjective_of)
    found = []  # a quote's speakers may be named in a later paragraph: credit at the end
    routes, created = [], []
    stories = [_new_story(s.part.text, lexicon.dateline_places) for s in segments]
    for segment, story in zip(segments, stories, strict=True):
        part = segment.part
        if story:
            speakers.previous = []  # the last story's speaker says nothing in this one
        found.append(speakers.attribute(part.doc, part.quotes, segment.mentions))
        routes.append(list(speakers.routes))
        created.append({id(m) for m in speakers.created})
        segment.mentions.extend(speakers.created)
    learned = attribution.load_model() if model == _LEARNED else model
    assert not isinstance(learned, str)
    credits: list[tuple[QuoteSpan, list[Mention], int | None]] = []
    previous: list[Mention] = []
    previous_at, before = 0, list[Mention]()
    for at, (segment, credited, ways, made) in enumerate(
        zip(segments, found, routes, created, strict=True)
    ):
        part = segment.part
        if stories[at]:
            previous, before = [], []  # nor the names of the last story's last paragraph
        named = [m for m in segment.mentions if m.name]
        paragraph = attribution.Paragraph(part.doc, named, made, before)
        for quote, who, route in zip(part.quotes, credited, ways, strict=True):
            if who is None:
                continue  # marks around a title, a name or a term: no one's quote
            unresolved = not who and route in attribution.UNRESOLVED
            if (learned is not None or observe is not None) and not unresolved:
                gap = at - previous_at
                options = attribution.candidates(paragraph, quote, who, route, previous, gap)
                if observe is not None:
                    observe(part, quote, options)
                if learned is not None:
                    who = attribution.choose(options, learned)
            credits.append((quote, who, part.item))
            if who:
                previous, previous_at = who, at
        before = named
    quotes: list[Quote] = []
    for quote, who, item in credits:
        for speaker in who:
            speaker.acting = True
            quotes.append(Quote(speaker.name, quote.text, item))
        if not who:
            quotes.append(Quote(None, quote.text, item))
    return quotes


def _new_story(text: str, places: Container[str]) -> bool:
    """A wire dateline opens the paragraph ('LONDON, May 25 (UPI) --'): a page of several
    wire stories (UPI's NewsTrack, a digest of agency copy) starts another one here."""
    return dateline_end(text, places) > 0


class _Collector:
    """Turns the mentions into the actor list, links, new actors and new aliases."""

    def __init__(self, gazetteer: Gazetteer, source: str) -> None:
        self.gaz = gazetteer
        self.source = source
        self.order: list[str] = []
        self.kinds: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.forms: dict[str, list[str]] = {}

    def collect(self, segments: list[_Segment]) -> list[list[Mention]]:
        acting = {m.name for s in segments for m in s.mentions if m.acting and m.name}
        for segment in segments:
            for mention in segment.mentions:
                if mention.acting and mention.name and mention.kind != "place":
                    self._note(mention)
        links: list[list[Mention]] = []
        for segment in segments:
            kept = []
            for mention in segment.mentions:
                if mention.name not in acting or not mention.link or mention.kind == "place":
                    continue
                if mention.capital and not mention.acting:
                    continue  # 'talks in Moscow': the city, not the government
                written = segment.part.text[mention.start : mention.end]
                forms = self.forms.setdefault(mention.name or "", [])
                if written != mention.name and written not in forms:
                    forms.append(written)
                if mention.role and mention.name not in self.roles:
                    self.roles[mention.name or ""] = mention.role
                kept.append(mention)
            links.append(kept)
        return links

    def _note(self, mention: Mention) -> None:
        name = mention.name or ""
        if name not in self.kinds:
            self.order.append(name)
            self.kinds[name] = mention.kind

    def actors(self) -> tuple[list[Actor], list[Actor], dict[str, list[str]]]:
        actors, new, aliases = [], [], {}
        for name in self.order:
            known = self.gaz.actors.get(name)
            forms = self.forms.get(name, [])
            if known is not None:
                actors.append(known)
                unseen = [f for f in forms if f not in known.aliases]
                if unseen:
                    aliases[name] = unseen
                continue
            actor = Actor(name, self.kinds[name], self.roles.get(name), list(forms))
            actor.source = self.source
            actors.append(actor)
            new.append(actor)
        return actors, new, aliases


def analyse(
    prepared: list[Prepared],
    gazetteer: Gazetteer,
    source: str,
    model: attribution.Model | str | None = _LEARNED,
    observe: Callable[[Prepared, QuoteSpan, list[attribution.Candidate]], None] | None = None,
) -> Analysis:
    """Actors, links and quotes of a briefing's lead, background and items. `model`: the
    learned attribution's weights (None: the rules' choice alone); `observe` sees every
    quote's candidates (bench/learn_attribution.py)."""
    segments, quotes = _read(prepared, gazetteer, model, observe)
    collector = _Collector(gazetteer, source)
    links = collector.collect(segments)
    actors, new, aliases = collector.actors()
    return Analysis(actors, links, quotes, new, aliases)


def _read(
    prepared: list[Prepared],
    gazetteer: Gazetteer,
    model: attribution.Model | str | None = _LEARNED,
    observe: Callable[[Prepared, QuoteSpan, list[attribution.Candidate]], None] | None = None,
) -> tuple[list[_Segment], list[Quote]]:
    """Each paragraph's mentions (whether each acts, by the rules), names made canonical,
    quotes credited."""
    segments = []
    names = names_in(part.doc for part in prepared)
    for part in prepared:
        quoted = [(q.start, q.end) for q in part.quotes]
        if is_link_line(part.text):  # titles of other articles: nobody acts there (C16)
            segments.append(_Segment(part, []))
            continue
        finder = DocFinder(part.doc, quoted, gazetteer, names)
        segments.append(_Segment(part, _as_typed(part.text, finder.run())))
    Names(gazetteer).resolve([(s.part.text, m) for s in segments for m in s.mentions])
    _home_bodies(segments, gazetteer)
    _no_publications(segments)
    _headline_phrases(segments)
    _words_in_a_name(segments)
    return segments, _attribute(segments, gazetteer, model, observe)


def _as_typed(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names with the apostrophes the text has: the parser read 'O’Brien' with a straight
    one (casing.for_the_parser), the page shows it as written."""
    for mention in mentions:
        written = text[mention.start : mention.end]
        if mention.name and "’" in written and "'" not in written:
            mention.name = mention.name.replace("'", "’")
    return mentions


def _home_bodies(segments: list[_Segment], gazetteer: Gazetteer) -> None:
    """'Police said ...' with no place named: the police of the country the paragraph names
    (one country only), else of the country the whole briefing is plainly about (named at
    least twice, and twice as often as any other: a paper seldom names its own country):
    'Swedish police' in a Swedish paper's digest (C10). Otherwise nobody's: a digest's
    stories are from many countries."""
    overall = _dominant(
        Counter(m.name or "" for s in segments for m in s.mentions if _names_a_country(m))
    )
    for segment in segments:
        here = {m.name for m in segment.mentions if _names_a_country(m)}
        home = next(iter(here)) if len(here) == 1 else None if here else overall
        for mention in segment.mentions:
            if not mention.home:
                continue
            if home is None:
                mention.name, mention.acting, mention.link = None, False, False
                continue
            if mention.kind == "country":  # 'the government said': the country (C11)
                mention.name = home
                continue
            adjective = gazetteer.lexicon.adjective_of.get(home, home)
            mention.name = f"{adjective} {HOME_BODY}"


# A newsletter's, a bulletin's or a podcast's own name ('Early Edition', 'Morning Briefing',
# 'Quartz Daily Brief', 'Iran News Round Up', whose 'Up' the name leaves out): the outlet's
# product, never an actor (C6), whatever it seems to do
_PUBLICATION_WORDS = words(
    "brief briefing briefings edition digest newsletter podcast bulletin roundup round-up round"
)


def _no_publications(segments: list[_Segment]) -> None:
    for segment in segments:
        for mention in segment.mentions:
            last = (mention.name or "").rsplit(" ", 1)[-1].lower()
            if mention.kind != "person" and last in _PUBLICATION_WORDS:
                mention.name, mention.acting, mention.link = None, False, False


def _headline_phrases(segments: list[_Segment]) -> None:
    """'Senate Passes Stimulus', 'Ukrainian Cities Flattened', 'Biden & Harris': a body's
    name of several words that the package's lists do not know and that the briefing
    writes only on lines in Title Case, where every word has a capital, is a headline's
    words the model joined into a name (C16): nobody, who neither acts nor speaks."""
    elsewhere = {m.name for s in segments for m in s.mentions if not m.headline}
    for segment in segments:
        for mention in segment.mentions:
            name = mention.name or ""
            if (
                mention.kind in ("organization", "other")
                and " " in name
                and not mention.known
                and name not in elsewhere
            ):
                mention.name, mention.acting, mention.link = None, False, False


# The small words a person's name writes in lower case ('Ana de la Vega', 'Ronald dela
# Rosa', 'Correia e Silva'): a closed class, the name particles of several languages
_NAME_PARTICLES = PARTICLES | words("dela y e do dos das zu vom ten op bint binti")


def _words_in_a_name(segments: list[_Segment]) -> None:
    """'Andrey Arshavin handed Arsenal', 'Covid-19 vaccine development', 'Ho ho': a
    person's name holding a word in lower case that is no name particle is words the
    model ran together, not someone who acts or speaks."""
    for segment in segments:
        for mention in segment.mentions:
            name = mention.name or ""
            if mention.kind == "person" and any(
                w.islower() and w not in _NAME_PARTICLES for w in name.split()
            ):
                mention.name, mention.acting, mention.link = None, False, False


def _names_a_country(mention: Mention) -> bool:
    """A country named as such: not 'the government', which stands for the one found here."""
    return mention.kind == "country" and bool(mention.name) and not mention.home


def _dominant(counts: Counter[str]) -> str | None:
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return None
    return ranked[0][0] if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1] else None


def mentions_of(
    prepared: list[Prepared], gazetteer: Gazetteer
) -> tuple[list[tuple[Prepared, list[Mention]]], list[Quote]]:
    """What `analyse` decides the actors from: each paragraph with its mentions, and the
    quotes. For bench/train_actor_model.py, which tries a learned decision on top."""
    segments, quotes = _read(prepared, gazetteer)
    return [(s.part, s.mentions) for s in segments], quotes
