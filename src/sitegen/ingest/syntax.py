"""Who is named in one parsed paragraph, as what, and whether they act there.

Names come from the registry and the package's lists (exact forms), from spaCy's named
entities, and from composite phrases built on the parse ("Valdorian forces", "Russia's
transport ministry", "a Brava court", "U.S. officials"). Whether a name acts is read from
its place in the dependency tree (see `acts`), never from the words next to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from .gazetteer import Entry, Gazetteer
from .grammar import (
    ACTION_NOUNS,
    ARTICLES,
    ATTITUDES,
    CAUSATIVE_VERBS,
    CONDITIONAL_MARKS,
    CONTEST_OBJECTS,
    COURT_KINDS,
    CREDIT_VERBS,
    DESIRE,
    DESIRE_NOUNS,
    EXPERIENCES,
    FILING_VERBS,
    FORCE_NOUNS,
    GOVERNMENT_NOUNS,
    INSTITUTION_WORDS,
    JOINT_NOUNS,
    JOINT_VERBS,
    LOCAL_OFFICES,
    NOT_AGENT_HEADS,
    OFFICIAL_NOUNS,
    PERSONAL_BODIES,
    PLACE_BODY_NOUNS,
    PORTFOLIO_WORDS,
    RECIPROCAL_OBJECTS,
    REPORT_NOUNS,
    SOURCE_DATA,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    STORM_WORDS,
    TITLE_WORDS,
)
from .lexicon import words
from .nlp import adjectives, common_nouns, load_pipeline, verb_lemmas
from .textutil import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_POSSESSIVE = ("'s", "’s", "'", "’")
_DASHES = ("-", "–", "—")
_SUBJECTS = ("nsubj", "csubj")
_CLAUSES = ("ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp")


def head_of(doc: Doc, i: int, j: int) -> Token:
    """The token of [i, j) whose head lies outside it (the span's syntactic head)."""
    return doc[i:j].root


# -- acting -----------------------------------------------------------------------------------
def wanted_clause(verb: Token) -> bool:
    """The verb's clause is demanded, feared, hoped for or conditional, not done:
    'wants guarantees that the Pact will never expand', 'if Valdoria attacks'."""
    if _for_to(first_conjunct(verb)):
        return True  # 'pushing for Congress to come back', 'calls for Ostria to withdraw'
    current = verb
    for _ in range(5):
        speech = current.lemma_.lower() in SPEECH_VERBS  # 'if asked, Lind says ...' is said
        if _conditional(current) or any(
            c.dep_ == "advcl" and _conditional(c) and c.tag_ in ("VBD", "VBN") and not speech
            for c in current.children
        ):
            return True  # 'if Valdoria attacks'; 'Ostria would win if the vote were held'
        if current.dep_ == "conj":
            current = current.head
            continue
        if current.dep_ not in _CLAUSES:
            return False
        if _past(current):
            return False  # 'after Selm passed the bill', 'said they have accepted': a fact
        governor = current.head
        lemma = governor.lemma_.lower()
        if governor.pos_ == "NOUN" and lemma in DESIRE_NOUNS:
            return True
        if governor.pos_ in ("VERB", "AUX") and lemma in DESIRE and current.dep_ != "advcl":
            return True
        if lemma in SPEECH_VERBS:  # reported as done: 'Kyiv said Moscow shelled the city'
            return any(c.dep_ == "advcl" and _conditional(c) for c in governor.children)
        current = governor
    return False


def _speaks(verb: Token | None) -> bool:
    """A verb of saying, or the idiom 'as X put it'."""
    if verb is None:
        return False
    lemma = verb.lemma_.lower()
    return lemma in SPEECH_VERBS or (
        lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)
    )


def _one_entity(first: Token, second: Token) -> bool:
    """Both words belong to one named entity ('the International Court of Justice')."""
    doc = first.doc
    return any(e.start <= first.i < e.end and e.start <= second.i < e.end for e in doc.ents)


def _conditional(verb: Token) -> bool:
    """'if Valdoria attacks' (but 'even if' concedes, it does not suppose)."""
    return any(
        c.dep_ == "mark"
        and c.lower_ in CONDITIONAL_MARKS
        and not (c.i > 0 and c.doc[c.i - 1].lower_ == "even")
        for c in verb.children
    )


def _for_to(verb: Token) -> bool:
    """'for the Pact to act': an infinitive with a subject of its own after 'for' is an act
    wanted, needed or waited for, never one done (C2)."""
    return any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children) and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    )


def _past(verb: Token) -> bool:
    """A clause in the past or the perfect reports what happened ('passed', 'have
    accepted'), whatever the verb above it."""
    return verb.tag_ == "VBD" or any(
        c.dep_ == "aux" and c.lemma_ == "have" and c.i < verb.i for c in verb.children
    )


def first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def acts(token: Token) -> bool:
    """Does the phrase headed by this token act: subject of a verb of doing or saying,
    agent of a passive, a source ('according to'), a party to a joint act?"""
    token = first_conjunct(token)
    return _acts_here(token) or _relative_subject(token) or _headline_future(token)


def _acts_here(token: Token) -> bool:
    dep = token.dep_
    head = token.head
    if dep in _SUBJECTS and (_files_for_outlet(token, head) or _contributes_reporting(head)):
        return False  # 'Jo Park reports for the Ledger', 'AFP contributed reporting' (GUIDELINES)
    if dep in _SUBJECTS and _presents_a_report(head):
        return True  # 'Jo Park has more', 'the Ledger has a story on ...': a source (C6)
    if dep in ("dobj", "nsubjpass") and _quoted_as_saying(head):
        return True  # 'the Courier quoted Lind as saying', 'Lind was quoted as telling'
    if dep in _SUBJECTS or dep == "nsubjpass":
        return _does(head, passive=dep == "nsubjpass")
    if dep == "appos":  # 'X's mentor, former President Y, who hands her ...'
        return head.i != token.i and head.dep_ != "appos" and acts(head)
    if dep == "pobj":
        verb = _clause_after_as(token)
        if verb is not None:  # 'as France and Germany fight': a clause, misread
            return _does(verb)
        return _acting_object(head)
    if dep == "poss":  # 'Lind's warning that rates will rise' (C14), not 'Lind's remarks'
        return _stated(head)
    if dep == "dobj":
        lemma = head.lemma_.lower()
        if lemma in RECIPROCAL_OBJECTS | CONTEST_OBJECTS and _unscheduled_infinitive(head):
            return False  # 'ready to meet Lind', 'expected to meet Lind': no meeting yet
        if lemma == "host" and token.ent_type_ != "PERSON":
            return False  # 'hosts the summit', 'hosting a Q&A': an event, not a guest
        if _imperative(head):
            return False  # 'Meet the YouTuber who ...': the reader is asked to
        if lemma in RECIPROCAL_OBJECTS or (lemma in CONTEST_OBJECTS and _does(head)):
            return True
        return _made_to(token)
    return False


# What a presenter or an outlet 'has' when it reports: 'has more', 'has the latest', 'has the
# details', 'has a story on ...'
_PRESENTED = frozenset(("more", "latest", "details", "detail", "story", "report", "update"))


def _presents_a_report(verb: Token) -> bool:
    """'Jo Park has more', 'Al Reyes has the details', 'the Ledger has a story on ...': 'have'
    with a piece of reporting for its object presents that report, not a possession
    (EXPERIENCES keeps 'have' from acting otherwise)."""
    return (
        verb.lemma_.lower() == "have"
        and not _negated(verb)
        and any(c.dep_ == "dobj" and c.lower_ in _PRESENTED for c in verb.children)
    )


def _quoted_as_saying(verb: Token) -> bool:
    """'The Courier quoted Lind as saying ...', 'cited the premier as telling the cabinet',
    'Lind was quoted as warning': the object (or the passive's subject) of a verb with 'as'
    and a speech verb's -ing form is that speech's speaker (GUIDELINES: a verb of saying)."""
    return not _negated(verb) and any(
        c.dep_ == "prep"
        and c.lower_ == "as"
        and any(
            g.dep_ == "pcomp" and g.tag_ == "VBG" and g.lemma_.lower() in SPEECH_VERBS
            for g in c.children
        )
        for c in verb.children
    )


def _made_to(obj: Token) -> bool:
    """'... prompting Lind to vow to contest the result', 'that led Selm to cut rates', 'has
    persuaded the committee to leave rates': the object of a verb that says its object did
    what the infinitive names acts as that verb's subject would (C2 on both verbs). The
    verb must be done, not only meant ('failed to persuade Lind to sign', 'may lead Selm to
    ...': a base form), nor negated."""
    verb = obj.head
    if verb.lemma_.lower() not in CAUSATIVE_VERBS or verb.tag_ in ("VB", "MD"):
        return False
    done = next(
        (
            c
            for c in verb.children
            if c.dep_ in ("xcomp", "ccomp")
            and c.i > obj.i
            and c.pos_ in ("VERB", "AUX")
            and any(a.dep_ == "aux" and a.lower_ == "to" and a.i < c.i for a in c.children)
        ),
        None,
    )
    if done is None or _negated(verb) or not _does(verb):
        return False
    return _does(done, passive=any(c.dep_ == "auxpass" for c in done.children))


_PLACE_TYPES = frozenset(("GPE", "LOC", "NORP", "FAC"))


def _files_for_outlet(subject: Token, verb: Token) -> bool:
    """A credit line: the subject of 'report' or 'write' with 'for' and a name ('Jo Park and
    Al Reyes report for the Ledger', '..., reports Jo Park for Selm Radio'). GUIDELINES:
    neither the reporters nor the outlet act there. A place there is not an outlet ('writes
    Jo Park for the Washington', a page cut off). Owned by a name, the writer files for it
    too ('the Ledger's Jo Park writes'): the outlet is the source, its writer is not listed
    (C6, C7); 'Ostria's Jo Park reported' is a place's, and stays."""
    if verb.lemma_.lower() not in FILING_VERBS or subject.pos_ != "PROPN":
        return False
    for holder in (verb, subject):
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                outlet = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if outlet is not None and _names_no_place(outlet):
                    return True
    return any(c.dep_ == "poss" and _names_no_place(c) for c in subject.children)


def _contributes_reporting(verb: Token) -> bool:
    """A credit line's verb: 'AFP contributed reporting', 'Jo Park contributed to this report'
    (GUIDELINES: no one acts there); 'Ostria contributed $5 million' is an act."""
    if verb.lemma_.lower() != "contribute":
        return False
    objects = [c for c in verb.children if c.dep_ in ("dobj", "xcomp")]  # (parsed either way)
    for to in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"):
        objects += [c for c in to.children if c.dep_ == "pobj"]
    return any(o.lower_ in _CREDITED_WORK for o in objects)


# What a credit line says was contributed: narrower than REPORT_NOUNS on purpose, since
# 'Ostria contributed to the investigation' is an act
_CREDITED_WORK = frozenset(("reporting", "report", "reports", "story", "article"))


def _names_no_place(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.ent_type_ not in _PLACE_TYPES


def _headline_future(token: Token) -> bool:
    """'Lind to visit Ostria', 'the Pact to expand its fleet': a headline's future tense,
    which the parser reads as a noun with a clause ('to visit') hanging from it."""
    doc = token.doc
    at = token.i + 1
    if token.dep_ != "ROOT" or not token.text[:1].isupper():
        return False  # a name, not '5 things to know: ...'
    if at + 1 >= len(doc) or doc[at].lower_ != "to" or doc[at].head.i != at + 1:
        return False
    verb = doc[at + 1]
    return verb.tag_ == "VB" and verb.head.i == token.i and _does(verb)


def _does(verb: Token, passive: bool = False) -> bool:
    """Does the subject of this verb act (CONVENTIONS C2)? A realised, scheduled or
    announced act, or a position ('is ready to', 'is committed to'), yes; a description ('is
    not an adversary'), an experience ('faces challenges'), what is undergone (a passive), a
    wanted or conditional clause, a question ('Will Selm go along?'), no."""
    if _small_clause(verb):
        return False  # 'the court found Lind guilty': Lind is judged, not acting
    lemma = verb.lemma_.lower()
    if passive or lemma == "be":
        attitude = verb.lower_ in ATTITUDES or any(
            c.dep_ == "acomp" and c.lower_ in ATTITUDES for c in verb.children
        )
        expletive = lemma == "be" and any(c.dep_ == "expl" for c in verb.children)
        if not (attitude or expletive or (not passive and _somewhere(verb))):
            return False  # described or undergone: 'Beijing is not an adversary'
    elif lemma in EXPERIENCES and not _contest(verb):
        return False
    if verb.sent.text.rstrip().endswith("?") or _supposed(verb):
        return False
    return not wanted_clause(verb)


# places the parser types: 'is in Beijing', 'was at Camp David'
_PLACE_TYPES = frozenset(("GPE", "LOC", "FAC"))


def _somewhere(be: Token) -> bool:
    """'Lind is in Ostria this week', 'Hale is back in Brava', 'Kross is back with a new
    album': a visit or a return, done (C2), not a description: 'be' whose only complement
    is a named place ('is in talks', 'is back in school', 'back behind bars' describe)."""
    if any(c.dep_ in ("attr", "acomp") for c in be.children):
        return False
    phrases = list(be.children)
    for back in (c for c in be.children if c.dep_ == "advmod" and c.lower_ == "back"):
        if any(c.dep_ == "prep" and c.lower_ == "with" for c in back.children):
            return True  # back with a new album, a new show
        phrases += back.children
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "at")
        and any(p.dep_ == "pobj" and p.ent_type_ in _PLACE_TYPES for p in c.children)
        for c in phrases
    )


# What schedules the infinitive after it (C2: 'is to', 'is set to', 'is due to', 'plans to')
_SCHEDULING = frozenset(("be", "set", "due", "scheduled", "slated", "plan", "head"))


def _unscheduled_infinitive(verb: Token) -> bool:
    """'is ready to meet Lind', 'was permitted to meet Lind', 'tipped to host the agency',
    'arming the rebels to fight the Pact': an infinitive that completes a word of attitude,
    permission or expectation, not of a schedule; its partner takes part in nothing yet."""
    return (
        verb.dep_ == "xcomp"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and verb.head.lemma_.lower() not in _SCHEDULING
    )


def _imperative(verb: Token) -> bool:
    """A base-form verb opening its sentence with no subject: the reader is addressed."""
    return (
        verb.tag_ == "VB"
        and verb.i == verb.sent.start
        and not any(c.dep_ in _SUBJECTS or c.dep_ == "aux" for c in verb.children)
    )


def _small_clause(head: Token) -> bool:
    """An adjective, or a noun with its determiner, with a subject of its own and no verb,
    the complement of the verb above it ('found Lind guilty', 'making the party more
    professional', 'made the church a museum'): what the verb's subject judges or makes its
    object, a description of that object and no act of it. (A noun without a determiner is
    often a verb the tagger misread: 'Lind, vice chairman, talks about ...'.)"""
    described = head.pos_ == "ADJ" or (
        head.pos_ == "NOUN" and any(c.dep_ == "det" for c in head.children)
    )
    return (
        described
        and head.dep_ in ("ccomp", "xcomp", "oprd")
        and head.head.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
    )


# modals of a hypothetical, possible or demanded act (C2); 'will' announces one, 'may' hedges
_SUPPOSING_MODALS = frozenset(("would", "could", "might", "should", "must", "'d", "’d"))


def _supposed(verb: Token) -> bool:
    """'Ostria would retaliate', 'the court could strike it down', 'Lind must resign', in
    the briefing's own voice: a hypothetical, possible or demanded act, not one done or
    announced (CONVENTIONS C2). A clause a speaker reports is left to the speaker ('Lind
    said Valdoria would host the talks': the labels count it as announced)."""
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in SPEECH_VERBS:
        return False
    auxiliaries = [c for c in verb.children if c.dep_ == "aux"]
    if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in verb.children):
        auxiliaries += [c for c in verb.head.children if c.dep_ == "aux"]  # 'would win and form'
    return any(c.lower_ in _SUPPOSING_MODALS for c in auxiliaries)


def _contest(verb: Token) -> bool:
    """'Kross will face Tran', 'face off': a contest with someone, not an experience."""
    return any(c.dep_ == "prt" or (c.dep_ == "dobj" and c.pos_ == "PROPN") for c in verb.children)


def title_of(name: Token) -> Token | None:
    """The title a name was parsed into: 'President of the European Commission Ursula von
    der Leyen' hangs the name under 'of'; the title is the phrase's head."""
    if name.dep_ != "pobj" or name.head.lower_ != "of":
        return None
    above = name.head.head
    while above.dep_ == "pobj" and above.head.lower_ == "of":
        above = above.head.head
    return above if _title_word(above.lower_) else None


# The prepositions of a title's phrase: 'ambassador to', 'head of', 'minister for', 'envoy in'
_TITLE_PREPOSITIONS = frozenset(("of", "to", "for", "in"))


def _title_above(name: Token, heads: Container[str]) -> Token | None:
    """The title whose phrase holds the name, through nested phrases and lists: 'Deputy
    Chairman of the State Agency for Tourism and Resorts of Valdoria Pavel Orn'."""
    token = name
    for _ in range(8):
        if token.dep_ in ("compound", "conj", "nmod") and token.head.i != token.i:
            token = token.head
            if _titled(token, heads):  # 'Ambassador in Selm Jo Hallan and ...' (a conjunct)
                return token
        elif token.dep_ == "pobj" and token.head.lower_ in _TITLE_PREPOSITIONS:
            token = token.head.head
            if _titled(token, heads):
                return token
        else:
            return None
    return None


def _apposed_to_a_body(name: Token) -> bool:
    """'The Commissioner of Police in Brava State, Jo Park, said': the parser hangs the
    holder's name on the last body or place of the title's phrase, not on the title."""
    body = name.head
    return (
        name.dep_ == "appos"
        and body.dep_ == "pobj"
        and body.ent_type_ != "PERSON"
        and body.text[:1].isupper()
    )


def _title_from(name: Token) -> Token | None:
    """'leaders from Ostria and Selm': the title that a country or a body is the origin of,
    whose holders act for it (CONVENTIONS C1)."""
    if name.dep_ != "pobj" or name.head.lower_ != "from":
        return None
    above = name.head.head
    return above if above.pos_ == "NOUN" and _title_word(above.lower_) else None


def _signer_word(token: Token) -> bool:
    """A word of a headline's signer: capitalised, no title ('President') and no common
    word at a line's end ('Morning', 'Live')."""
    text = token.text
    return (
        text[:1].isupper()
        and token.is_alpha
        and not _title_word(token.lower_)
        and not token.is_stop
        and token.lower_ not in _NOT_SIGNERS
    )


_CLOSING_MARKS = frozenset({"’", "”", "'", '"'})
_READER_PRONOUNS = frozenset({"you", "i", "we", "it"})
_FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP", "VB", "MD"})  # not 'powered by', 'learning'
# the first word of a verb's object: a name, a noun, an adjective, a determiner, a quotation
_OBJECT_OPENERS = frozenset(
    ("NNP", "NNPS", "NN", "NNS", "JJ", "JJR", "JJS", "RBS", "DT", "PRP$", "CD", "``")
)
_NOT_SIGNERS = frozenset({"morning", "evening", "live", "update", "updates", "video", "watch"})


def _title_word(word: str) -> bool:
    """'minister', 'Ministers': a title (singular or plural)."""
    return word in TITLE_WORDS or (word.endswith("s") and word[:-1] in TITLE_WORDS)


_POSSESSING = frozenset(("own", "possess"))


def _acting_object(preposition: Token) -> bool:
    """'by the Pact' (passive agent), 'according to X', 'talks with X', 'a report by X'."""
    word = preposition.lower_
    above = preposition.head
    if word in ("by", "from", "of") and above.lemma_.lower() in REPORT_NOUNS:
        return True
    if word in ("by", "from") and above.lower_ in SOURCE_DATA:
        return True  # 'figures from the health ministry show'
    if word in ("by", "from") and _stated(above):
        return True  # 'a warning from the Pact that rates will rise' (C14)
    if preposition.dep_ == "agent":  # 'rejected by the Pact'; 'Edited by Jo Park' credits
        lemma = above.lemma_.lower()
        if lemma in _POSSESSING:
            return False  # 'a paper owned by Selmco': a condition, not an act (C2)
        return lemma not in CREDIT_VERBS and not _to_the_reader(above)
    if word == "to" and above.lower_ == "according":
        return True
    if word == "with":
        return above.lemma_.lower() in JOINT_VERBS or above.lower_ in JOINT_NOUNS
    return False


def _to_the_reader(verb: Token) -> bool:
    """'brought to you by Selmco', 'presented to you by ...': a sponsor's credit line,
    addressed to the reader, in which the agent does nothing in the news."""
    return any(
        c.dep_ in ("dative", "prep")
        and c.lower_ == "to"
        and any(g.lower_ == "you" for g in c.children)
        for c in verb.children
    )


_FINITE_VERB_TAGS = frozenset(("VBZ", "VBP", "VBD"))
# conjunctions the parser also reads as prepositions ('as', 'after', 'before' ...)
_CLAUSE_OPENERS = frozenset(("as", "after", "before", "while", "until", "since"))


def _clause_after_as(token: Token) -> Token | None:
    """'... as France and Germany fight over policy', 'as the news agency (UNIAN) reports
    blasts', 'as Selm to ban imports', 'after Lind met ...': the parser took the conjunction
    for a preposition and the clause's subject for its object, and hung the verb elsewhere.
    The verb is the finite one (or 'to' and a verb, a headline's future) right after the
    name's phrase, when no subject of its own comes after the conjunction. Not 'such as X',
    'known as X, ...'."""
    above = token.head
    if above.lower_ not in _CLAUSE_OPENERS or any(c.lower_ == "such" for c in above.children):
        return None
    doc = token.doc
    at = token.right_edge.i + 1
    if at + 1 < len(doc) and doc[at].lower_ == "to" and doc[at + 1].tag_ == "VB":
        at += 1
    elif at >= len(doc) or doc[at].tag_ not in _FINITE_VERB_TAGS:
        return None
    verb = doc[at]
    if any(c.dep_ in _SUBJECTS and c.i > above.i for c in verb.children):
        return None
    return verb


def _usually_acts(token: Token, kind: str) -> bool:
    """Constructions the act rules reject whose names are nonetheless, in news briefings,
    mostly actors of their briefing (docs/ingest.md, round 21b: a rejected class is accepted
    when most of its names are required actors): a member named after 'including' or 'such
    as' of a group that acts ('leaders, including Arvo Lind, pledged ...'); a country that
    is a clause's subject whatever its verb ('Oman weighs the risks'). A negated one stays
    out ('Beijing is not an adversary': C2's negated row)."""
    token = first_conjunct(token)
    above = token.head
    if token.dep_ == "pobj" and _member_of(above):
        return above.head.i != above.i and acts(above.head)
    if token.dep_ not in _SUBJECTS or _negated(above) or _small_clause(above):
        return False  # 'made Valdoria a client state': described, not a clause's subject
    return kind == "country"


def _member_of(preposition: Token) -> bool:
    """'including', 'such as': what follows names members of the phrase above."""
    word = preposition.lower_
    return word == "including" or (
        word == "as" and any(c.lower_ == "such" for c in preposition.children)
    )


def _negated(verb: Token) -> bool:
    """'is not', 'has no means': a negated verb or object (C2: no act)."""
    return any(
        c.dep_ == "neg" or (c.dep_ == "dobj" and any(d.lower_ == "no" for d in c.children))
        for c in verb.children
    )


def _cited(report: Token) -> bool:
    """A report that says or finds something ('a Courier poll found'), or cited as a source
    ('according to a Courier survey', 'leads in a Courier poll'); a report only awaited or
    mentioned ('the May payrolls report is due') names no author who acts (C14)."""
    in_it = report.dep_ == "pobj" and report.head.lower_ == "in"
    return in_it or acts(report)


def _stated(noun: Token) -> bool:
    """A statement noun whose content the text gives: 'a warning that ...', 'a call to
    ...', 'a pledge: ...' (C14); without it ('a proposal from Lind') its author is only
    named."""
    if noun.pos_ != "NOUN" or not (
        noun.lemma_.lower() in SPEECH_NOUNS or noun.lower_ in SPEECH_NOUNS
    ):
        return False
    if noun.lower_ in ACTION_NOUNS:  # 'Lind's decision to resign': an act's noun (C14)
        return False
    return any(
        c.dep_ in ("acl", "ccomp", "relcl") and any(g.lower_ in ("that", "to") for g in c.children)
        for c in noun.children
    ) or any(t.text in (":", "“", '"') for t in noun.doc[noun.i + 1 : noun.i + 6])


def _part_of_a_group(token: Token) -> bool:
    """'some Unionists', 'two Unionists', 'a handful of Unionists', 'many of the Reds': a
    part of a group, nobody in particular (CONVENTIONS C8)."""
    if any(
        c.dep_ == "nummod" or (c.dep_ in ("det", "amod") and c.lower_ in QUANTIFIERS)
        for c in token.children
    ):
        return True
    above = token.head
    return token.dep_ == "pobj" and above.lower_ == "of" and above.head.lower_ in QUANTIFIERS


def _relative_subject(token: Token) -> bool:
    """'Qatar, which mediated the talks': the antecedent of a relative pronoun subject."""
    for child in token.children:
        if child.dep_ == "relcl":
            subject = next((c for c in child.children if c.dep_ in _SUBJECTS), None)
            if subject is not None and subject.lower_ in ("who", "which", "that"):
                return _does(child, passive=subject.dep_ == "nsubjpass")
    return False


# -- finding names -----------------------------------------------------------------------------
# Asides that name nobody: a party and state after a lawmaker's name ('(R-S.C.)', '(D-Conn.)'),
# a place in a photo ('(L)', '(centre)').
_ASIDES = re.compile(
    r"\((?:[A-Z]\s?[-–]\s?[A-Z][\w.]*(?:\s[A-Z][\w.]*)?|[LCR]|left|right|cent(?:er|re)|top|bottom)\)"
)
# A photo credit run into a name: 'Jo Park/Getty Images', 'Al Reyes/AFP'.
_PHOTO_CREDIT = re.compile(r"[A-Z]\w+ [A-Z][\w.-]*\s?/\s?[A-Z]")
# A quotation this long is a passage quoted from a report, whose names act as in any text;
# a shorter one is someone's words, and the names in them are nobody's mention.
EXCERPT_WORDS = 25
_SENTENCES = re.compile(r"[.!?][\"”’')]*\s|\.[\"”’')]*$")  # a sentence ends inside or at the end
HOME_BODY = "police"  # with no place named, the force of the country the briefing is about


def _is_sign(text: str) -> bool:
    """A token of symbols only (Unicode's 'other symbol' class: a bullet, a trademark or
    copyright sign, an emoji), which no name holds."""
    return all(unicodedata.category(c) == "So" for c in text)


class DocFinder:
    """Finds the mentions of one parsed paragraph (not inside someone's quoted words)."""

    def __init__(
        self, doc: Doc, quoted: list[tuple[int, int]], gazetteer: Gazetteer,
        names: Container[str] = (),
    ) -> None:  # fmt: skip
        self.doc = doc
        self.gaz = gazetteer
        self.names = names  # words the briefing writes as names elsewhere (names_in)
        self.lex = gazetteer.lexicon
        self.used = [False] * len(doc)
        self.owner: list[Mention | None] = [None] * len(doc)
        text = doc.text  # (made from the tokens on every use)
        masked = [(a, b) for a, b in quoted if len(text[a:b].split()) < EXCERPT_WORDS]
        masked.extend(m.span() for m in _ASIDES.finditer(text))
        for token in doc:
            if any(start <= token.idx < end for start, end in masked):
                self.used[token.i] = True
        self.mentions: list[Mention] = []

    def add(self, i: int, j: int, kind: str, name: str, capital: bool = False) -> Mention:
        doc = self.doc
        mention = Mention(i, j, doc[i].idx, doc[j - 1].idx + len(doc[j - 1]), kind, name)
        mention.capital = capital
        mention.head = head_of(doc, i, j).i
        for k in range(i, j):
            self.used[k] = True
            self.owner[k] = mention
        self.mentions.append(mention)
        return mention

    def free(self, i: int, j: int) -> bool:
        return not any(self.used[i:j])

    def run(self) -> list[Mention]:
        self.find_known()
        self.find_entities()
        self.find_composites()
        self.find_proper_nouns()
        self.find_bare_bodies()
        self.find_line_signer()
        self._drop_calendar_words()
        for mention in self.mentions:
            mention.acting = self.mention_acts(mention)
            if mention.region and mention.kind == "place":
                self._region_acts(mention)
            if mention.guessed:
                mention.could_act = self._acts_as_person(mention)
            mention.common = self._common_plural(mention) or self._common_opening(mention)
            mention.headline = _headline_line(self.doc, mention.i)
        self._source_tags()
        self.mentions.sort(key=lambda m: m.start)
        return self.mentions

    def _source_tags(self) -> None:
        """'... a line in the sand. (Courier)', '... transgender students (Ledger and
        Courier).', '[Courier / Jo Park]': a digest's tag naming where an item comes from.
        The outlets there are its sources (C6), the writer after a slash is a credit."""
        text = self.doc.text
        for tag in _SOURCE_TAG.finditer(text):
            body, start = tag.group(1), tag.start(1)
            if tag.group(0).lstrip()[:1] == "(" and not _tag_may_open(text, tag.start(0)):
                continue
            if "/" in body:
                if tag.group(0).lstrip()[:1] != "[" or " / " not in body:
                    continue  # '(Jo Park/Courier)', '[Jo Park/Courier]': photo credits
                body = body.split(" / ")[0].rstrip()
            at = 0
            for separator in [*_TAG_SPLIT.finditer(body), None]:
                until = separator.start() if separator else len(body)
                self._source(start + at, start + until)
                at = separator.end() if separator else at

    def _source(self, start: int, end: int) -> None:
        span = self.doc.char_span(start, end, alignment_mode="contract")
        while span is not None and len(span) > 0 and span[-1].is_punct:
            span = span[:-1]  # '[Applause.]'
        if span is None or len(span) == 0 or not _tag_name(span.text):
            return
        owners = {self.owner[t.i] for t in span}
        if any(m is not None and (m.i < span.start or m.j > span.end) for m in owners):
            return  # a name running out of the tag: not the tag's
        if owners == {None}:
            if span[0].ent_type_ in _NOT_SOURCE_TYPES:
                return
            if len(span) == 1 and span.text[1:].islower() and span.text.lower() in common_nouns():
                return  # '(Applause)', '[Laughter]'
            self.add(span.start, span.end, "organization", span.text).acting = True
            return
        owned = [m for m in owners if m is not None]
        if any(m.kind == "person" or (m.kind in ("place", "country") and m.known) for m in owned):
            return  # '(Jo Park)', '(Valdoria)': a credit or a place, no source
        if owners == {owned[0]} and owned[0].kind != "group":
            mention = owned[0]  # '(Ambito)', typed a place by the model: the tag's outlet
            mention.kind = "organization" if mention.kind == "place" else mention.kind
            mention.acting = True
            return
        for mention in owned:  # '(Brava Gazette)': 'Brava' taken for a place
            self._absorb(mention)
        self.add(span.start, span.end, "organization", span.text).acting = True

    def _drop_calendar_words(self) -> None:
        """A feed's glued time stamps ('...the continent.Wed, 29 Mar 2023 20:32:51') give
        the model one-word 'names', 'Wed', 'Feb', 'Sep': nobody, not even a speaker."""
        for mention in [m for m in self.mentions if self._calendar_word(m)]:
            self.mentions.remove(mention)
            for k in range(mention.i, mention.j):
                self.used[k], self.owner[k] = False, None

    def _calendar_word(self, mention: Mention) -> bool:
        if mention.known or mention.j - mention.i != 1:
            return False
        return self.doc[mention.i].text.rstrip(".").lower() in CALENDAR_WORDS

    def _common_plural(self, mention: Mention) -> bool:
        """'Rescuers pull two from the rubble', 'Tributes poured in': a one-word plural common
        noun with a capital (from a headline or a sentence's start) is nobody's name unless
        it turns out to be a surname of the briefing (actors.Names decides)."""
        if mention.known or mention.j - mention.i != 1 or mention.kind == "group":
            return False
        return is_common_plural(self.doc[mention.i].text)

    def _common_opening(self, mention: Mention) -> bool:
        """'Man held as fire rages', 'Whistleblower says ...', 'Scapegoat: Girl handed six
        years': a person's name of one word that opens its sentence (or follows a headline's
        label) and is an English common noun is the capital of a sentence's start, not a
        name, unless the briefing writes it as a name elsewhere (actors.Names decides)."""
        if mention.known or mention.j - mention.i != 1 or mention.kind != "person":
            return False
        token = self.doc[mention.i]
        word = token.text
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
            return False
        lower = word.lower()
        roles = self.lex.words["role_heads"]
        if lower in _BODY_OR_TITLE or lower in roles or lower not in common_nouns():
            return False  # ('Police said', 'Treasurer says', 'Agency': bodies and titles act)
        if not _opens_sentence(token):
            return False
        sentence = token.sent
        at = token.idx - sentence.start_char
        text = sentence.text
        return _read_as_common_noun(text[:at] + word.lower() + text[at + len(word) :], at)

    def _region_acts(self, mention: Mention) -> None:
        """'Texas sued', 'Ontario seized the dogs': a state or province that acts is its
        authorities (C12), the bare name their alias; one only mentioned stays a place."""
        if first_conjunct(self.doc[mention.head]).dep_ != "nsubj":
            return  # 'the governor of Kano', 'Ontario parents', a weather line's 'Lagos'
        mention.kind = "organization"
        if self.mention_acts(mention):
            mention.acting = True
            mention.name = f"{mention.name} authorities"
        else:
            mention.kind = "place"

    def _acts_as_person(self, mention: Mention) -> bool:
        kind, mention.kind = mention.kind, "person"
        acting = self.mention_acts(mention)
        mention.kind = kind
        return acting

    # names the registry and the lists know: exact forms
    def find_known(self) -> None:
        k = 0
        doc = self.doc
        while k < len(doc):
            found = None if self.used[k] else self.gaz.match(doc, k)
            if found is None or (found[1].region and self._longer_place(k, k + found[0])):
                k += 1
                continue
            length, entry = found
            place = entry.kind in ("place", "country")
            if (
                self._inside_larger_entity(k, k + length, place)
                or self._first_name(k, k + length, entry)
                or self._last_name(k, k + length, entry)
            ):
                pass  # 'Gaza Health Ministry', 'Israel Katz', 'Joseph Muscat': a longer name
            elif entry.kind == "place":
                self.add(k, k + length, "place", entry.name).region = entry.region
            elif self._numbered_channel(k, k + length, entry):
                length += 1  # 'France 24', 'Russia 1': a broadcaster, not the country
                self.add(k, k + length, "organization", self._text(k, k + length))
            else:
                kind = "organization" if entry.kind == "media" else entry.kind
                mention = self.add(k, k + length, kind, entry.name, capital=entry.capital)
                mention.known = True
                if kind == "person":
                    mention.role = self._role(k, k + length)
            k += length

    def _inside_larger_entity(self, i: int, j: int, place: bool) -> bool:
        """'U.N. Human Rights Council': a known name inside a longer organisation's name."""
        span = self._entity_around(i)
        if span is None or self.doc[span[0]].ent_type_ != "ORG" or span[1] < j or span == (i, j):
            return False
        if place and j < span[1] and self.doc[j].lower_ in ("and", ","):
            return False  # 'Victoria and New South Wales': a list the model took for one name
        start, end = self._trim(*span)
        return end - start > j - i and self.doc[end - 1].lower_ not in NOT_AGENT_HEADS

    def _first_name(self, i: int, j: int, entry: Entry) -> bool:
        """'Israel Katz', 'Jordan Bardella', 'Georgia Meloni': a country's or a place's name
        that the model reads as the first name of a person's name running on from it."""
        if entry.kind not in ("country", "place") or entry.actor is not None:
            return False
        span = self._entity_around(i)
        if span is None or span[0] != i or span[1] <= j or self.doc[i].ent_type_ != "PERSON":
            return False
        nouns = common_nouns()
        return all(
            t.is_title and t.is_alpha and t.lower_ not in nouns and t.lemma_.lower() not in nouns
            for t in self.doc[j : span[1]]
        )

    def _numbered_channel(self, i: int, j: int, entry: Entry) -> bool:
        """'France 24 accepts no responsibility', 'Russia 1 host ...': a country's name with
        a bare number that modifies it, outside a list, is a broadcaster's name."""
        if entry.kind != "country" or entry.capital or j >= len(self.doc) or self.used[j]:
            return False
        number = self.doc[j]
        listed = {t.text for t in self.doc[max(i - 1, 0) : j + 2]} & {",", ";"}
        return (
            number.is_digit
            and number.dep_ == "nummod"
            and number.head.i in range(i, j)
            and not listed  # 'Russia 29, China 12, UK 11': a table's counts
        )

    def _last_name(self, i: int, j: int, entry: Entry) -> bool:
        """'Joseph Muscat', 'Leila de Lima', 'Jaime Santiago': a capital's name that ends a
        person's name the model reads, after a given name (and a particle)."""
        if not entry.capital or entry.actor is not None:
            return False
        span = self._entity_around(i)
        if span is None or span[1] != j or span[0] >= i or self.doc[i].ent_type_ != "PERSON":
            return False
        before = self.doc[span[0] : i]
        return before[0].is_title and all(
            (t.is_title and t.is_alpha) or t.lower_ in PARTICLES for t in before
        )

    def _longer_place(self, i: int, j: int) -> bool:
        """'Kansas City', 'Southern California', 'Papua New Guinea', 'Essential California':
        a state's name inside a longer name, which is not the state; inside a person's
        name as the model reads it, the person's rules decide."""
        doc = self.doc
        after = j < len(doc) and doc[j].is_title and doc[j].is_alpha
        before = (
            i > 0 and doc[i - 1].is_title and doc[i - 1].is_alpha and not doc[i - 1].is_sent_start
        )
        in_person = doc[i].ent_type_ == "PERSON"  # "Rajasthan's Anardeen Khan", 'Telangana CM'
        return after or before or in_person

    def _entity_around(self, i: int) -> tuple[int, int] | None:
        """The model's entity holding token i, from the tokens' IOB tags: `doc.ents` builds
        every span of the text on each call, which made a long text quadratic."""
        doc = self.doc
        if doc[i].ent_iob_ not in ("B", "I"):
            return None
        start = i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return start, end

    # named entities of the model
    def _label(self, text: str) -> bool:
        """'NARRATIVE', 'VIRUS-OUTBREAK': a section label or story slug in capitals, not a
        name (short acronyms and names the lists know are names)."""
        letters = text.replace("-", "").replace(" ", "").replace(".", "")
        return (
            letters.isalpha()
            and letters.isupper()
            and (len(letters) > 6 or "-" in text)
            and text not in self.lex.known
        )

    def _entities(self) -> list[tuple[int, int, str]]:
        """The model's entities; two person spans that touch are one ('Ursula von der' +
        'Leyen'); an organisation stops at a parenthesis ('World Health Organization (WHO')."""
        spans: list[tuple[int, int, str]] = []
        for entity in self.doc.ents:
            start, end, label = entity.start, entity.end, entity.label_
            touching = bool(spans) and spans[-1][2] == "PERSON" and spans[-1][1] == start
            if touching and (label == "PERSON" or self.doc[start - 1].lower_ in PARTICLES):
                start, label = spans.pop()[0], "PERSON"  # 'Ursula von der' + 'Leyen'

            cut = next((t.i for t in self.doc[start:end] if t.text in "([{"), end)
            if label == "PERSON" and cut == end:
                cut = self._hyphenated_end(end)
            spans.append((start, cut, label))
        return spans

    def _hyphenated_end(self, end: int) -> int:
        """'Yoon Suk' + '-yeol', 'Han Duck' + '-soo': the model may end a person's name at a
        hyphen inside its last word; the name runs to the end of that word."""
        doc = self.doc
        while (
            end + 1 < len(doc)
            and doc[end].text == "-"
            and not doc[end - 1].whitespace_
            and not doc[end].whitespace_
            and doc[end + 1].is_alpha
        ):
            end += 2
        return end

    def find_entities(self) -> None:
        for start, end, label in self._entities():
            if label == "NORP":
                self._party(start, end)
            if label not in ("PERSON", "ORG", "GPE"):
                continue
            i, j = self._trim(start, end)
            if j <= i:
                continue  # only signs and marks ('■ “'), as garbled text holds
            if label in ("ORG", "GPE") and (k := self._holder_glued_on(i, j)) < j:
                self.add(k, j, "person", self._text(k, j))  # '... to Selm Pavel Orn said'
                j = k
            if label == "ORG" and self._text(i, j) == _CAPITAL_GOVERNMENT:
                continue  # 'the Government': whose, find_bare_bodies says
            if label in ("PERSON", "ORG") and self._glued_role_word(i, j, label):
                i, label = i + 1, "PERSON"  # 'County Clerk Jo Park', 'Member of Parliament ...'
            if label == "PERSON" and i < j:
                i = self._given_names_before(i, j)
                i = self._skip_titles(i, j)
                i, j = self._headline_verbs(i, j)
                if self._common_word_opening(i, j):
                    i += 1
            if j <= i or not self.free(i, j):
                continue
            text = self._text(i, j)
            if not any(c.isupper() for c in text) or text.lower().rstrip(".") in TITLE_WORDS:
                continue
            if label == "PERSON" and text.lower() in INSTITUTION_WORDS:
                continue  # 'the Prime Minister's Office': a title's body (_leader_office)
            if self._label(text) or (
                len(text.replace(".", "")) <= 2
                and text not in self.lex.known
                and not (label == "ORG" and text.isalpha() and acts(head_of(self.doc, i, j)))
            ):
                continue  # 'S.C.' in '(R-S.C.)', a stray initial ('EC explains ...' acts)
            if self._thing(i, j) or _PHOTO_CREDIT.search(text):
                continue  # 'the Dow', 'Storm Idalia'; 'Jo Park/Getty Images' credits a photo
            if label == "PERSON":
                titled = self._title_only(i, j) and not self._given_names_and_a_title(i, j)
                if self._looks_like_person(i, j) and not titled:
                    self.add(i, j, "person", text).role = self._role(i, j)
            elif label == "ORG":
                last = self.doc[j - 1]
                if ":" in text or self._title_only(i, j):
                    continue  # 'Foreign Ministers of NATO', 'Bromley: Conservative'
                if self._titled_name(i, j):
                    self.add(i, j, "person", text).role = self._role(i, j)
                elif last.lower_ not in NOT_AGENT_HEADS and not self._demonym_only(i, j):
                    self.add(i, j, "organization", self._org_name(i, j))
            elif self.lex.known.get(text) is None and acts(head_of(self.doc, i, j)):
                # an acting name the model took for a place ('speak with Blinken'); a name
                # that only acts through speech or a joint act is taken for a person, one
                # that does something else for the place's government ('the Vatican found')
                self._maybe_person(i, j, governs=True)
            else:
                self.add(i, j, "place", text).guessed = self.lex.known.get(text) is None

    def _thing(self, i: int, j: int) -> bool:
        """Markets and weather named like actors (C15): 'the Dow', 'S&P 500', 'Storm Idalia',
        'Super Typhoon Haiyan'."""
        text = self._text(*self._trim(i, j)).lower()
        return text in self.lex.words["market_names"] or any(
            t.lower_ in STORM_WORDS for t in self.doc[i : min(j - 1, i + 2)]
        )

    def _role(self, i: int, j: int) -> str | None:
        """The title the text gives a person: 'Russian Foreign Minister Sergei Lavrov',
        'Dmitry Peskov, the Kremlin spokesman,'."""
        doc = self.doc
        head = head_of(doc, i, j)
        start = head.left_edge.i
        # an item's label before a bar or a colon is no part of it ('Ostria | President Lind')
        start = max([start] + [t.i + 1 for t in doc[start:i] if t.text in _LABEL_MARKS])
        while start < i and (
            doc[start].lower_ in ARTICLES or doc[start].is_punct or doc[start].is_space
        ):
            start += 1
        if (
            start < i
            and (self._has_title(start, i) or self._occupation_before(i))
            and not all(t.lower_.rstrip(".") in _HONORIFICS for t in doc[start:i])
            and not _has_clause(doc[start:i])
        ):
            return doc[start:i].text
        for child in head.children:
            if child.dep_ == "appos" and child.i >= j:
                a, b = self._trim(child.left_edge.i, child.right_edge.i + 1)
                b = next((t.i for t in doc[a:b] if t.text in (",", ";", "(")), b)
                if b > a and self._has_title(a, b) and not _has_clause(doc[a:b]):
                    return doc[a:b].text
        return None

    def _title_only(self, i: int, j: int) -> bool:
        """'Conservative Justice Secretary', 'Foreign Ministers of NATO': a title, nobody's
        name (a name is not headed by a role; 'Royal College of Surgeons' is a college)."""
        word = head_of(self.doc, i, j).lower_
        heads = self.lex.words["role_heads"]
        singular = word[:-1] if word.endswith("s") else word
        return _title_word(word) or word in heads or singular in heads

    def _given_names_and_a_title(self, i: int, j: int) -> bool:
        """'Ross Lord', 'Madeleine King', 'Hun Sen': a person's name whose last word is also
        a title; the words before it are given names: no title, portfolio, adjective or
        nationality ('Justice Secretary', 'Prime Minister', 'Saudi King'). Given names
        may be common nouns ('Ross', 'Angus'), so a common noun stays."""
        words = self.doc[i : j - 1]
        last_two = self.doc[j - 2 : j].text.lower()  # 'Vice President', 'Prime Minister'
        return (
            j - i >= 2
            and head_of(self.doc, i, j).i == j - 1
            and self.doc[j - 1].lower_.rstrip(".") in TITLE_WORDS  # not 'Centre MEP'
            and last_two not in self.lex.words["role_heads"]
            and all(self._plain_given_name(t) for t in words)
        )

    def _plain_given_name(self, word: Token) -> bool:
        text = word.lower_
        return (
            word.is_title
            and word.is_alpha
            and text not in self.lex.words["stopwords"]
            and not _titled(word, self.lex.words["role_heads"])
            and text not in PORTFOLIO_WORDS
            and text not in adjectives()
            and not self._demonym(word.text)
            and self.lex.known.get(word.text) is None
        )

    def _has_title(self, i: int, j: int) -> bool:
        return any(_titled(t, self.lex.words["role_heads"]) for t in self.doc[i:j])

    def _titled_name(self, i: int, j: int) -> bool:
        """'German Chancellor Olaf Scholz', 'first lady Olena Zelenska': two or three
        capitalised words after a title that the parse hangs from them are a person, though
        the model typed them an organisation."""
        if not 2 <= j - i <= 3 or i == 0:
            return False
        title = self.doc[i - 1]
        words = self.doc[i:j]
        return (
            title.lower_.rstrip(".") in TITLE_WORDS
            and i <= title.head.i < j
            and all(t.is_title and t.is_alpha for t in words)
            and not any(
                t.lower_ in ORG_NOUNS or t.lower_ in INSTITUTION_WORDS or self._demonym(t.text)
                for t in words
            )
        )

    def _occupation_before(self, i: int) -> bool:
        """'Census Bureau demographer Grayson Vincent', 'Rangers manager Jo Park': a common
        noun in lower case right before the name, which the parse hangs from it, says what
        the person is, as a title does."""
        word = self.doc[i - 1]
        return (
            word.tag_ == "NN"
            and word.is_lower
            and word.is_alpha
            and word.dep_ == "compound"
            and i <= word.head.i
        )

    def _party(self, start: int, end: int) -> None:
        """'Democrats', 'House Republicans', 'the Tories': a party's members act as a group
        (a demonym plural, 'Ostrians', does not)."""
        i, j = self._trim(start, end)
        last = self.doc[j - 1] if j > i else None
        if last is None or not self.free(i, j) or last.lower_ not in PARTY_MEMBERS:
            return
        if _part_of_a_group(last):
            return  # 'some Unionists', 'two Unionists', 'a handful of Unionists' (C8)
        self.add(i, j, "group", self._party_name(i, j))

    def _party_name(self, i: int, j: int) -> str:
        """'Senate Unionists', 'Brava Unionists', 'the Unionists' -> `Unionist Party` (C8: a
        chamber, state or caucus qualifier makes no separate actor); 'Free Unionists' or
        'the Greens' stay as written (another party, or no one form of the name)."""
        qualifiers = self.doc[i : j - 1]
        if not all(
            t.is_lower or t.lower_ in CHAMBERS or t.ent_type_ in ("GPE", "LOC") for t in qualifiers
        ):
            return self._text(i, j)
        member = self.doc[j - 1].text.title()[:-1]  # 'Unionist', 'Democrat'
        if member.endswith("crat"):
            return f"{member}ic Party"  # 'Democrats' -> 'Democratic Party'
        if member.endswith(("ist", "an", "ive", "al")):  # 'Republican', 'Liberal'
            return f"{member} Party"
        return self._text(i, j)  # 'Greens', 'Tories': no one full name to make

    def _maybe_person(self, i: int, j: int, governs: bool = False) -> None:
        """An acting name the model did not type (or typed as a place): 'the Pact' is a body,
        'the grocers Fenwick and Larkmart' are what the noun says, a name that speaks or
        takes part in a joint act is a person, a place that does something its government."""
        head = first_conjunct(head_of(self.doc, i, j))
        described = head.head if head.dep_ == "appos" else None
        if described is not None:
            head = described
        verb = head.head if head.dep_ in ("nsubj", "pobj") else None
        if verb is not None and verb.dep_ in ("prep", "agent"):
            verb = verb.head
        lemma = verb.lemma_.lower() if verb is not None else ""
        start = self._skip_titles(i, j)
        alone = self.doc[start:j].text.lower().rstrip(".")
        if alone in TITLE_WORDS or alone in OFFICIAL_NOUNS or self._label(self.doc[start:j].text):
            return
        if self._title_only(start, j):
            return  # 'Foreign Ministers of NATO', 'our Washington Correspondent'
        the = i > 0 and self.doc[i - 1].lower_ == "the" and not governs
        if described is not None:
            kind = "person" if described.lemma_.lower() in TITLE_WORDS else "organization"
            self.add(start, j, kind, self._text(start, j))
        elif the and self._named(i, j):
            self.add(i, j, "organization", self._text(i, j))
        elif _speaks(verb) or lemma in JOINT_VERBS or lemma in JOINT_NOUNS:
            if j - i == 1 and _short_name(self.doc[i]):  # 'UTAG says': a body's short name
                self.add(i, j, "organization", self._text(i, j))
            else:
                self.add(start, j, "person", self._text(start, j)).role = self._role(start, j)
        elif governs and head.dep_ == "nsubj" and self._named(i, j):
            self.add(i, j, "other", self._text(i, j))
        elif start > i and self._named(start, j):  # 'Sen. Orndal', 'Gov. Hale': a person
            self.add(start, j, "person", self._text(start, j)).role = self._role(start, j)
        elif head.dep_ == "pobj" and head.head.dep_ == "agent" and self._agent_name(i, j):
            # 'a plan drafted by Selmora', 'a poll carried out by Pollwise': a passive's agent
            # does the act; a place is never one (acts() has left credits out)
            self.add(i, j, "organization", self._text(i, j))
        else:
            self.add(i, j, "place", self._text(i, j)).guessed = True

    def _agent_name(self, i: int, j: int) -> bool:
        """A name, not a common noun with a capital ('by the Archbishop', 'by the Office')."""
        return self._named(i, j) and not (j - i == 1 and self.doc[i].lower_ in common_nouns())

    def _named(self, i: int, j: int) -> bool:
        """Words that look like a name: capitalised, letters only ('AM11/8/20' is not)."""
        return all(t.is_alpha and t.text[:1].isupper() for t in self.doc[i:j] if not t.is_punct)

    def find_proper_nouns(self) -> None:
        """Capitalised proper nouns the model did not label, when they act as speakers."""
        doc = self.doc
        k = 0
        while k < len(doc):
            token = doc[k]
            proper = token.pos_ == "PROPN" or self._name_opening_a_line(token)
            cased = token.is_title or _short_name(token) or _initials_after_the(token)
            if self.used[k] or not proper or not cased or self._typed(token):
                k += 1
                continue
            end = k + 1
            while end < len(doc) and not self.used[end]:
                if (joined := self._hyphen_joined(end)) > end:  # 'Essaibi-George', 'al-Faisal'
                    end = joined
                    continue
                if doc[end].pos_ != "PROPN":
                    break
                if not token.is_title or not doc[end].is_title or self._typed(doc[end]):
                    break
                end += 1
            words = doc[k:end]
            stop = self.lex.words["stopwords"]
            # a common word inside a longer name is part of it ('Theresa May', 'Human Rights
            # Watch'); one that opens the run or stands alone is not a name ('Read', 'May')
            plain = words[0].lower_ not in stop
            demonym = any(
                self._demonym(w.text) or (w.ent_type_ == "NORP" and w.text.endswith("s"))
                for w in words
            )  # 'Ostrians', 'young Valdorians': a nationality's people, nobody in particular
            thing = doc[end - 1].lower_ in NOT_AGENT_HEADS or self._thing(k, end)  # 'Penal Code'
            if plain and not demonym and not thing and acts(head_of(doc, k, end)):
                self._maybe_person(k, end)
            elif k > 0 and k <= (cut := self._holder_glued_on(k - 1, end)) < end:
                self.add(cut, end, "person", self._text(cut, end))  # '... of Selm Pavel Orn'
            k = end

    def _hyphen_joined(self, i: int) -> int:
        """Where a hyphenated surname that goes on at token i ends, or i: the parser splits
        'Essaibi-George' and 'al-Faisal' into three tokens, and the last alone was taken
        for the name ('George', with 'Annissa Essaibi-' for a role). The hyphen touches
        both words, the word after it is capitalised, and a lower-case particle before it
        ('al-', 'el-', 'bin-') touches the name it follows only through the hyphen."""
        doc = self.doc
        start = i
        if doc[i].is_lower and doc[i].is_alpha and len(doc[i]) <= 3 and doc[i - 1].whitespace_:
            i += 1  # 'Turki al-Faisal': the particle opens the surname
        elif doc[i - 1].whitespace_:
            return start
        if i + 1 >= len(doc) or doc[i].text not in _HYPHENS or doc[i - 1].whitespace_:
            return start
        if len(doc[i - 1]) < 2:  # 'R-Longview', 'D-Austin', 'T-Rex': a letter, not a name
            return start
        after = doc[i + 1]
        if doc[i].whitespace_ or not after.is_title or not after.is_alpha or self.used[after.i]:
            return start
        return i + 2

    def _name_opening_a_line(self, token: Token) -> bool:
        """'Starmer sets out plan', '1. Trump confirms deal': a headline's first word, which
        the model takes for a common noun ('trump'), is a name when the briefing writes it
        as one elsewhere, inside a sentence."""
        return token.text in self.names and token.dep_ == "nsubj" and _opens_a_line(token)

    @staticmethod
    def _typed(token: Token) -> bool:
        """Labelled by the model as a person, organisation or country (found already) or as
        a date or number. Its other labels are often wrong on names: a surname taken for a
        nationality ('Albanese'), a company for a title, a person or an institution for a
        building ('Mykhaylo Podolyak says')."""
        return token.ent_type_ in _NAMED_ALREADY or token.ent_type_ in _NUMBERS

    def _trim(self, i: int, j: int) -> tuple[int, int]:
        doc = self.doc
        # a name starts after a sign the model or the capitals ran past: 'Market & Commodity
        # ■ Taiwan' (a bullet opens the next item), 'Cheat Sheet® Trump', an emoji
        i = max((k + 1 for k in range(i, j) if _is_sign(doc[k].text)), default=i)
        while i < j and (doc[i].lower_ in ARTICLES or doc[i].is_punct or doc[i].is_space):
            i += 1  # a space: a live blog's blanked time stamp ('10:42 Azeri authorities')
        while j > i and (doc[j - 1].text in _POSSESSIVE or doc[j - 1].is_punct):
            j -= 1
        return i, j

    def _given_names_before(self, i: int, j: int) -> int:
        """'Anders Fogh Rasmussen', 'Taimur Saleem Khan Jhagra': the model may start a
        person's name at a later word, leaving given names it does not know outside. Up to
        two such words are taken back: capitalised proper nouns the parse hangs from the
        name (compounds), with no entity type of their own, that are no English word (a
        title, a function word or a common noun: 'Engineer', 'Defense' after 'Secretary
        of'), not after 'of', and not on a Title Case line, where every word is capitalised."""
        doc = self.doc
        if _title_case_line(doc, i):
            return i
        start = i
        while i > max(start - 2, 0) and self._given_name(doc[i - 1], i, j):
            i -= 1
        return i if i == start or self._name_starts(i, j) else start

    def _name_starts(self, i: int, j: int) -> bool:
        """Nothing of the name runs on before word i: not a word glued to it ('Qasym-'), nor
        another capitalised part of it that is also an English word ('Shah Rukh'), which
        a name of more words may take from elsewhere; a title may stand there."""
        if i == 0:
            return True
        before = self.doc[i - 1]
        if not before.whitespace_:
            return False
        part = before.dep_ == "compound" and i <= before.head.i < j and before.is_title
        title = (
            before.lower_.rstrip(".") in TITLE_WORDS
            or before.lower_ in self.lex.words["role_heads"]
        )
        return not part or title

    def _given_name(self, word: Token, i: int, j: int) -> bool:
        return (
            word.dep_ == "compound"
            and i <= word.head.i < j
            and word.tag_ == "NNP"
            and not word.ent_type_
            and word.whitespace_ != ""
            and not (word.i > 0 and word.nbor(-1).lower_ == "of")
            and self._no_english_word(word)
        )

    def _glued_role_word(self, i: int, j: int, label: str) -> bool:
        """The model ran the last word of a title into the name after it: 'Member of
        Parliament Tam Hale' ('Parliament' hangs from the 'of' before the span), 'County Clerk
        Jo Park' (a common noun after a capitalised word that qualifies it). The rest must
        be a name of two words or more."""
        if i == 0 or j - i < 3 or (label == "ORG" and j - i != 3):
            return False
        first, before, rest = self.doc[i], self.doc[i - 1], self.doc[i + 1 : j]
        if not all(t.is_alpha and t.text[:1].isupper() for t in rest):
            return False
        if label == "ORG" and any(
            t.lower_ in ORG_NOUNS or t.lower_ in INSTITUTION_WORDS for t in rest
        ):
            return False
        if first.dep_ == "pobj" and first.head.i == i - 1 and first.head.lower_ == "of":
            return True  # 'Member of Parliament Tam Hale', 'Secretary of State Jo Park'
        return (
            label == "PERSON"
            and before.is_alpha
            and before.text[:1].isupper()
            and not before.ent_type_
            and before.lower_.rstrip(".") not in TITLE_WORDS
            and before.lower_ not in self.lex.words["role_heads"]
            and before.lower_ not in self.lex.words["stopwords"]  # 'As Mike Hale reports'
            and first.lower_ in common_nouns()
            and first.lower_ not in TITLE_WORDS
        )

    def _headline_verbs(self, i: int, j: int) -> tuple[int, int]:
        """In a Title Case line the model may run a headline's verb into a person's name:
        'What President Trump Did With ...', 'Will Barry Bonds and ...' (a verb or modal by
        the parse), 'Trump Delivers State of the Union', 'Biden Speaks' (read as a plural
        name; a verb's -s form that is no noun). The name is the rest (one word or more); the
        words after a verb inside the span must be names ('Huerta Charges Biden')."""
        if j - i < 2 or not _title_case_line(self.doc, i):
            return i, j
        first = self.doc[i]
        if first.tag_ == "MD" or (first.pos_ in ("VERB", "AUX") and first.tag_ != "VBN"):
            return i + 1, j
        cut = next((k for k in range(i + 1, j) if _headline_verb(self.doc[k])), j)
        if all(t.tag_ in ("NNP", "NNPS") for t in self.doc[cut + 1 : j]):
            j = cut  # not 'Helicopter Brought Down', 'COVID-19 Hospitalizations Are Soaring'
        return i, j

    def _common_word_opening(self, i: int, j: int) -> bool:
        """'Crossbenchers Adam Bandt, Helen Haines ...', 'Congratulating Sheikh Hasina, ...',
        'Top Biden aide quits': the model ran the capitalised common word that opens the
        sentence (a plural, a gerund, an adjective, as its own tagger reads it) into the
        person's name after it; the name is the proper nouns that follow."""
        first = self.doc[i]
        lemma = first.lemma_.lower()
        english = lemma in common_nouns() or lemma in adjectives() or lemma in verb_lemmas()
        return (
            j - i >= 2
            and first.tag_ in _COMMON_WORD_TAGS
            and english  # not a given name the tagger misread ('Asra Abdullah Alsehli')
            and first.is_title
            and first.is_alpha
            and _opens_sentence(first)
            and all(t.tag_ in ("NNP", "NNPS") for t in self.doc[i + 1 : j])
        )

    def _skip_titles(self, i: int, j: int) -> int:
        """'Bishop Juan Barros', 'Sen. Ron Orndal', 'Maj-Gen Zaw Min Tun': the name after the
        titles; 'Minister of Defence Hanno Pevkur': the name after the portfolio (two words or
        more left)."""
        heads = self.lex.words["role_heads"]
        start = i
        while i < j - 1 and (word := self.doc[i].lower_.rstrip(".")):
            ranked = word in ("-", "–") and self.doc[i + 1].lower_.rstrip(".") in TITLE_WORDS
            if not (_titled(self.doc[i], heads) or ranked):
                break  # ('ranked': the hyphen of a rank, 'Maj-Gen Zaw Min Tun')
            i += 1
        if i == start:  # 'City Councilor Annissa Essaibi-George': a title after its qualifier
            titles = [m for m in range(start, j - 2) if _titled(self.doc[m], heads)]
            if titles and all(t.is_title for t in self.doc[start : titles[-1]]):
                i = titles[-1] + 1
        if self._after_office(start):
            while i < j - 2 and self.doc[i].lower_ in PORTFOLIO_WORDS:
                i += 1
        return i

    def _after_office(self, i: int) -> bool:
        """`i` follows the 'of' or 'for' of an office, or a portfolio's first words: 'Minister
        of ...', 'Minister of Economic Affairs and ...'."""
        doc = self.doc
        k = i - 1
        while k >= 0 and doc[k].lower_ in PORTFOLIO_WORDS:
            k -= 1
        return (
            k >= 1
            and doc[k].lower_ in ("of", "for")
            and doc[k - 1].lower_.rstrip(".") in TITLE_WORDS
        )

    def _holder_glued_on(self, i: int, j: int) -> int:
        """Where a title's holder begins inside the words [i, j), or j: 'Valdoria's ambassador
        to the United States Pavel Orn said', 'a top official of the Selm Water Agency Jo
        Hallan told': the model runs the holder's name into the body or place of the
        title's phrase. The name is a surname after one or two given names that are no
        English word (`_name_word`), after a capitalised word of the body's that is neither
        a given name nor a title ('Senate Majority Leader Jo Park' is a person's title),
        and a title governs the phrase ('of', 'to', 'for', 'in' up from the name)."""
        doc = self.doc
        if j - i < 3 or not self._surname_word(doc[j - 1]):
            return j
        k = j - 1
        while k > i + 1 and j - k < 3 and self._name_word(doc[k - 1]):
            k -= 1
        before = doc[k - 1]
        if k == j - 1 or self._name_word(before) or not before.text[:1].isupper():
            return j
        if _titled(before, self.lex.words["role_heads"]):
            return j
        return k if _title_above(doc[j - 1], self.lex.words["role_heads"]) else j

    def _surname_word(self, word: Token) -> bool:
        """A capitalised word of letters (an apostrophe allowed: "O'Hale") that is no title,
        function word, nationality, listed name or body's head ('Center', 'Agency'); the
        lemmatizer lists some surnames as nouns, so a common noun may be one."""
        text = word.lower_
        return (
            word.text[:1].isupper()
            and word.text.replace("'", "").replace("’", "").isalpha()
            and len(word) > 2
            and text not in self.lex.words["stopwords"]
            and not _titled(word, self.lex.words["role_heads"])
            and text not in INSTITUTION_WORDS
            and text not in ORG_NOUNS
            and text not in NOT_AGENT_HEADS
            and not self._demonym(word.text)
            and self.lex.known.get(word.text) is None
        )

    def _name_word(self, word: Token) -> bool:
        """A capitalised word that English has no other use for: a given name."""
        return self._no_english_word(word) and word.lower_ not in adjectives()

    def _no_english_word(self, word: Token) -> bool:
        """A capitalised word of three letters or more that is no function word, title, role,
        common noun, nationality or name the lists know (as a word or its singular)."""
        english = (word.lower_, word.lemma_.lower(), word.lower_.removesuffix("s"))
        return (
            word.is_title
            and word.is_alpha
            and len(word) > 2
            and not any(w in self.lex.words["stopwords"] or w in TITLE_WORDS for w in english)
            and not any(w in self.lex.words["role_heads"] or w in common_nouns() for w in english)
            and not self._demonym(word.text)
            and self.lex.known.get(word.text) is None
        )

    def _demonym(self, word: str) -> bool:
        """'Ostrian', and its plural 'Ostrians': a nationality, never a name."""
        return word in self.lex.demonyms or (word.endswith("s") and word[:-1] in self.lex.demonyms)

    def _looks_like_person(self, i: int, j: int) -> bool:
        """Not a nationality ('Ostrian', 'Young Ostrians') nor a name run into the words after
        it ('Zed North in Selm'); other lower-case words are part of a person's name
        ('Kang Kyung-wha', 'Ronaldo dela Cruz', 'Ana de la Vega')."""
        tokens = self.doc[i:j]
        if any(self._demonym(t.text) for t in tokens) and j - i == 1:
            return False
        if self._demonym(tokens[-1].text) and tokens[-1].text.endswith("s"):
            return False  # 'Young Ostrians': a group
        stop = self.lex.words["stopwords"]
        return not any(
            t.is_alpha and t.is_lower and t.lower_ in stop and t.lower_ not in PARTICLES
            for t in tokens
        )

    def _demonym_only(self, i: int, j: int) -> bool:
        """'Ostrian', 'Ostrian-': a nationality and signs; not a name with an apostrophe
        ("O'Toole" is no word of letters only)."""
        tokens = self.doc[i:j]
        demonyms = [self._demonym(t.text) for t in tokens]
        return any(demonyms) and all(d or t.is_punct for d, t in zip(demonyms, tokens, strict=True))

    def _org_name(self, i: int, j: int) -> str:
        """'Defense Ministry' owned by a country ('Ukraine's Defense Ministry') takes its
        adjective: 'Ukrainian Defense Ministry'."""
        text = self._text(i, j)
        if self.doc[j - 1].lower_ not in INSTITUTION_WORDS:
            return text  # 'Germany's Olaf Scholz', 'Germany's Deutsche Bank': names of their own
        country = self._owner_country(head_of(self.doc, i, j), i)
        return f"{country} {text}" if country else text

    def _owner_country(self, head: Token, i: int) -> str | None:
        for child in self.doc[head.left_edge.i : i]:
            if child.dep_ not in ("poss", "compound", "amod", "nmod"):
                continue
            mention = self.owner[child.i]
            gpe = mention is not None and mention.kind == "place" and child.ent_type_ == "GPE"
            if mention is not None and (mention.kind == "country" or gpe):
                self._absorb(mention)
                return self.demonym(mention.name or "")
        return None

    def _absorb(self, mention: Mention) -> None:
        """A country named inside a composite ('Russia's ministry') is not a mention of it."""
        self.mentions.remove(mention)
        for k in range(mention.i, mention.j):
            self.owner[k] = None
            self.used[k] = False

    def demonym(self, country: str) -> str:
        """'Russia' -> 'Russian'; a country the lists do not know, by the usual ending
        ('Valdoria' -> 'Valdorian'), else its name."""
        known = self.lex.adjective_of.get(country)
        if known:
            return known
        return country + "n" if country.endswith("ia") else country

    def country_of(self, adjective: str) -> str | None:
        """'Russian' -> 'Russia'; an adjective the lists do not know, by the usual ending
        ('Valdorian' -> 'Valdoria'), else None."""
        known = self.lex.demonyms.get(adjective)
        if known:
            return known
        return adjective[:-1] if adjective.endswith("ian") and len(adjective) > 5 else None

    def _text(self, i: int, j: int) -> str:
        span: Span = self.doc[i:j]
        return span.text

    # composite actors on the parse
    def find_composites(self) -> None:
        for token in self.doc:
            if self.used[token.i] or token.pos_ not in ("NOUN", "PROPN"):
                continue
            lower = token.lower_
            if lower in PERSONAL_BODIES:  # 'Nicaragua's Ortega government': the person's
                self._personal_body(token)
                if self.used[token.i]:
                    continue
            if lower in FORCE_NOUNS or token.lemma_.lower() in FORCE_NOUNS:
                self._forces(token)
            elif lower in OFFICIAL_NOUNS:
                self._officials(token)
            elif lower in _AIDE_NOUNS and not self._named_official(token):
                self._leader_office(token)  # 'a Valdorian presidential aide' (C1)
            elif lower in GOVERNMENT_NOUNS:
                self._government(token)
            elif lower in PLACE_BODY_NOUNS and self._possessed(token):
                self._institution(token)  # 'Ostria's supreme court', as its ministry
            elif lower in PLACE_BODY_NOUNS:
                self._place_body(token)
            elif lower == "office" and self._leader_office(token):
                continue
            elif lower in INSTITUTION_HEADS:
                self._institution(token)
            elif lower == "presidency":
                self._presidency(token)
            elif lower in LOCAL_OFFICES:
                self._local_authorities(token)

    def find_bare_bodies(self) -> None:
        """'the government said', 'the foreign ministry says' in a paragraph that names one
        country and no other: that country's government (C11) and ministry."""
        countries = {m.name for m in self.mentions if m.kind == "country" and not m.capital}
        if len(countries) > 1:
            return
        country = next(iter(countries), None)
        for token in self.doc:
            lower = token.lower_
            written = token.is_lower or token.text == _CAPITAL_GOVERNMENT
            if self.used[token.i] or not written or lower not in _BARE_BODIES:
                continue
            first = token.left_edge
            if first.lower_ != "the" or not all(
                t.is_alpha and t.is_lower for t in self.doc[first.i + 1 : token.i]
            ):
                continue  # 'the Hamas-run ministry', 'the government of Selm': named otherwise
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
                continue
            if lower == "government":
                mention = self.add(first.i + 1, token.i + 1, "country", country or lower)
                mention.link = False
                # no country named here: the briefing's, if it has one (actors._home_bodies)
                mention.home = country is None
                continue
            if country is None:
                continue
            words = [t.text.title() for t in self.doc[first.i + 1 : token.i + 1]]
            name = " ".join([self.demonym(country or ""), *words])
            self.add(first.i + 1, token.i + 1, "organization", name)

    def _nationality(
        self, token: Token, places: bool = False
    ) -> tuple[int, str, Mention | None] | None:
        """The country a noun is of: 'Valdorian forces', 'Valdoria's army', 'U.S. troops'
        (with places: also 'Gaza' in 'the Gaza health ministry')."""
        kinds = ("country", "place") if places else ("country",)
        for child in sorted(token.children, key=lambda c: c.i):
            if child.i > token.i or child.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            if child.text in self.lex.demonyms:
                return child.i, self.lex.demonyms[child.text], None
            mention = self.owner[child.i]
            if mention is not None and mention.kind in kinds:
                return mention.i, mention.name or "", mention
            if mention is not None and mention.kind == "place" and child.ent_type_ == "GPE":
                return mention.i, mention.name or "", mention  # 'Valdoria's army'
            country = self.country_of(child.text) if child.ent_type_ == "NORP" else None
            if mention is None and country:  # 'Valdorian forces': a nationality not listed
                return child.i, country, None
        return None

    def _body_owner(self, token: Token) -> Mention | None:
        for child in token.children:
            if child.i < token.i and child.dep_ in ("compound", "poss", "nmod"):
                mention = self.owner[child.i]
                if mention is not None and mention.kind == "organization":
                    return mention
        return None

    def _country_phrase(self, token: Token) -> tuple[int, str, str] | None:
        """(first token, country, adjective) of 'Valdorian forces', 'Russia's army'; the
        country's own mention gives way to the phrase."""
        found = self._nationality(token)
        if found is None:
            return None
        start, country, owner = found
        adjective = self._adjective(country, owner)
        if owner is not None:
            self._absorb(owner)
        return start, country, adjective

    def _forces(self, token: Token) -> None:
        found = self._country_phrase(token)
        if found is not None:
            start, _, adjective = found
            self.add(start, token.i + 1, "organization", f"{adjective} Armed Forces")

    def _named_after(self, token: Token) -> bool:
        """'the media regulator Medianadzor', 'the regulator, Medianadzor,': the body has a
        name of its own, which is the actor."""
        after = token.i + 1
        return (after < len(self.doc) and self.owner[after] is not None) or any(
            c.dep_ == "appos" and self.owner[c.i] is not None for c in token.children
        )

    def _possessed(self, token: Token) -> bool:
        """'Ostria's supreme court', 'Selm's police': a country's or a place's own body,
        named like its ministry ('Ostrian Supreme Court'); a country's authorities are the
        country (C11), by `_place_body`."""
        children = list(token.children)
        return (
            token.lower_ != "authorities"
            and any(c.dep_ == "poss" and c.i < token.i for c in children)
            and not any(c.dep_ == "prep" and c.lower_ == "of" for c in children)
        )  # 'Valdoria's Court of Appeal' is named as written

    def _institution(self, token: Token) -> None:
        """'Russia's transport ministry', 'the Ukrainian foreign ministry'; not 'Valdoria's
        media regulator Medianadzor', where the name after the title is the actor."""
        found = self._nationality(token, places=True)
        if found is None or self._named_after(token):
            return
        start, country, owner = found
        after = owner.j if owner is not None else start + 1
        kept = [t for t in self.doc[after : token.i] if t.tag_ != "POS"]  # not the "'s"
        words = "".join(t.text_with_ws for t in kept if t.is_alpha or t.text == "-").split()
        words = [w for w in words if any(c.isalpha() for c in w)]  # 'anti-corruption'
        if owner is not None:
            self._absorb(owner)
        adjective = self._adjective(country, owner)
        name = " ".join([adjective, *(w[:1].upper() + w[1:] for w in words), token.text.title()])
        self.add(start, token.i + 1, "organization", name)

    def _leader_office(self, token: Token) -> bool:
        """'Valdoria's presidential office', 'the Valdorian prime minister's office', 'Valdorian
        President Arvo Lind's office' -> `Office of the President of Valdoria` (C11)."""
        title, country, start = None, None, token.i
        for child in token.children:
            if child.i > token.i:
                continue
            if child.dep_ == "amod" and child.lower_ == "presidential":
                title = "President"
            elif child.dep_ == "poss" and (office := self._office_of(child)) is not None:
                title, country = office
                start = child.left_edge.i
        if title is None:
            return False
        if country is None:
            found = self._country_phrase(token)
            if found is None:
                return self._office_as_named(start, token)
            start, country, _ = found
        start, end = self._trim(start, token.i + 1)
        if not self.free(start, end):
            start = token.i  # a person named before it keeps his own mention
        self.add(start, end, "organization", f"Office of the {title} of {country}")
        return True

    def _office_as_named(self, start: int, office: Token) -> bool:
        """'the Prime Minister's Office said', no country named with it: the office is
        named as the text names it, in capitals (lower case, it may be anyone's)."""
        start, end = self._trim(start, office.i + 1)
        if start == office.i or not office.text[:1].isupper() or not self.free(start, end):
            return False
        self.add(start, end, "organization", self._text(start, end))
        return True

    def _office_of(self, holder: Token) -> tuple[str, str | None] | None:
        """(title, country) of 'the Valdorian prime minister' or of 'Valdorian President Arvo
        Lind' (a person whose role names a country and a leader's title)."""
        mention = self.owner[holder.i]
        if mention is not None and mention.kind == "person":
            words = (mention.role or "").split()
            if len(words) < 2 or (country := self.country_of(words[0])) is None:
                return None
            title = _LEADER_TITLES.get(" ".join(words[1:]).lower())
            return (title, country) if title else None
        written = holder.lower_
        if written == "minister" and holder.i > 0 and self.doc[holder.i - 1].lower_ == "prime":
            written = "prime minister"
        title = _LEADER_TITLES.get(written)
        if title is None:
            return None
        found = self._country_phrase(holder)
        return title, found[1] if found is not None else None

    def _personal_body(self, token: Token) -> None:
        """'the Biden administration', 'the Warnock campaign' (a person's name before it);
        'President Joe Biden's administration' is the Biden administration too (C11)."""
        before = self.owner[token.i - 1] if token.i > 0 else None
        if before is None:
            start = self._untyped_name_before(token)
            if start is None:
                self._possessed_personal_body(token)
                return
        elif before.j != token.i or not self._leader_name(before, token):
            return
        else:
            start = before.i
            self._absorb(before)
        written = self.doc[start : token.i].text
        self.add(start, token.i + 1, "organization", f"{written} {token.lower_}")

    def _leader_name(self, owner: Mention, body: Token, possessed: bool = False) -> bool:
        """A person's name, or a guessed place's the parse makes the noun's compound, ending
        in a capital (not 'the Narendra Modi-led government'); before 'administration',
        which only a leader has, also an organisation's the lists do not know, as the model
        types 'Trump' of 'the Trump administration', and so before a possessive when it has a
        person's two words or more ('Olaf Scholz's government'; not a country the lists
        lack, 'Benin's government')."""
        if not self.doc[owner.j - 1].text[:1].isupper():
            return False
        if owner.kind == "place":  # 'the Ontario government': the parse must join them
            return any(c.i == owner.j - 1 and c.dep_ == "compound" for c in body.children)
        if owner.kind == "person":
            return True
        if owner.kind != "organization" or owner.known:
            return False
        return body.lower_ == _LEADERS_BODY or (possessed and owner.j - owner.i > 1)

    def _untyped_name_before(self, token: Token) -> int | None:
        """Where a run of capitalised proper nouns no mention took, right before the noun,
        starts: 'the Modi government', 'the Prabowo Subianto administration' (the model
        gives 'Modi' no type, or takes the name for a place it does not report)."""
        doc = self.doc
        if token.lower_ != _LEADERS_BODY or not any(c.lower_ == "the" for c in token.children):
            return None
        start = token.i
        while start > 0 and not self.used[start - 1]:
            word = doc[start - 1]
            if word.pos_ != "PROPN" or not word.is_title or word.ent_type_ in ("GPE", "NORP"):
                break
            if word.lower_.rstrip(".") in TITLE_WORDS or word.lower_ in self.lex.words["stopwords"]:
                break
            if word.text in self.lex.known:
                break
            start -= 1
        return start if start < token.i else None

    def _possessed_personal_body(self, token: Token) -> None:
        """'Trump's administration', 'Premier Arvo Lind's government': a person's, named
        by the surname as GUIDELINES names it ('Lind administration'). The person stays
        an actor when he acts elsewhere; here the body does."""
        if token.lower_ not in _POSSESSED_BODIES:
            return
        doc = self.doc
        owner = next(
            (self.owner[c.i] for c in token.children if c.dep_ == "poss" and c.i < token.i),
            None,
        )
        if owner is None or owner.kind == "place" or not self._leader_name(owner, token, True):
            return
        if owner.j + 1 != token.i:
            return
        if doc[owner.j].lower_ not in ("'s", "’s") or any(self.used[owner.j : token.i + 1]):
            return
        surname = doc[owner.j - 1].text
        self._absorb(owner)
        self.add(owner.i, token.i + 1, "organization", f"{surname} {token.lower_}")

    def _presidency(self, token: Token) -> None:
        """'The French presidency said' -> Office of the President of France."""
        found = self._country_phrase(token)
        if found is not None:
            start, country, _ = found
            self.add(start, token.i + 1, "organization", f"Office of the President of {country}")

    def _adjective(self, country: str, owner: Mention | None) -> str:
        """'U.S. troops' -> 'U.S.'; 'Russia's army', 'Russian army' -> 'Russian'."""
        if owner is not None:
            written = self.doc[owner.i : owner.j].text
            if written.replace(".", "").isupper():
                return written
            if owner.kind == "place":
                return self.demonym(written) if self.doc[owner.i].ent_type_ == "GPE" else written
        return self.demonym(country)

    def _officials(self, token: Token) -> None:
        """'Valdorian officials said' -> Valdoria; 'a senior Pact official said' -> the Pact."""
        if self._named_official(token) or self._military_official(token):
            return
        if self._leader_office(token):
            return  # 'the Valdorian president's spokesman', 'a presidential official' (C1)
        if not self._serves_a_state(token):
            body = self._body_owner(token)  # 'Goldman Sachs analysts said': the firm's
            if body is not None:
                body.head, body.link = token.i, True
            return
        if self._government(token):
            return
        body = self._body_owner(token)
        if body is not None:
            body.head = token.i  # 'a senior Pact official said': the Pact speaks
            body.link = True
        else:
            self._local_authorities(token)

    @staticmethod
    def _serves_a_state(token: Token) -> bool:
        """'Chinese researchers', 'experts in Delhi', 'Israeli opposition leaders', 'Indian
        community leaders': people of a country or a city who are not its officials speak
        for themselves (or their firm), not for its government or authorities."""
        if token.lower_ in _PROFESSIONS:
            return False
        if token.lower_ != "leaders":
            return True
        # 'community leaders', 'opposition leaders': leaders of something other than the state
        return not any(
            c.dep_ == "compound" and c.pos_ == "NOUN" and c.is_lower for c in token.children
        )

    def _military_official(self, token: Token) -> bool:
        """'a US army spokesman', 'Israeli military officials', unnamed: they speak for the
        country's armed forces (C1, C10), not for the country."""
        military = (c.lower_ in _MILITARY_WORDS for c in token.children if c.dep_ in _MODIFIERS)
        found = self._country_phrase(token) if any(military) else None
        if found is None:
            return False
        start, _, adjective = found
        self.add(start, token.i + 1, "organization", f"{adjective} Armed Forces")
        return True

    def _local_authorities(self, token: Token) -> None:
        """'officials in Brava', 'Brava health officials', 'the Brava governor', 'Selm's mayor'
        (unnamed): the authorities of a city or region, `Brava authorities` (C12). A
        country's are the country (`_government`)."""
        if self._named_official(token):
            return
        place = None
        for child in token.children:
            if child.i < token.i and child.dep_ in ("compound", "poss", "nmod"):
                place = child
            elif child.dep_ == "prep" and child.lower_ in ("in", "of"):
                place = next((c for c in child.children if c.dep_ == "pobj"), None)
        mention = self.owner[place.i] if place is not None else None
        if mention is None or (mention.known and mention.kind != "place"):
            return
        one_word = mention.j - mention.i == 1 and mention.kind == "organization"
        if mention.kind not in ("place", "other") and not one_word:
            return
        name = mention.name or ""
        self._absorb(mention)
        start, end = self._trim(min(mention.i, token.i), max(mention.j, token.i + 1))
        if self.free(start, end):
            self.add(start, end, "organization", f"{name} authorities")

    def _named_official(self, token: Token) -> bool:
        """'the EU's top diplomat, Josep Borrell': the official is named, and acts himself;
        the body is only in his description (CONVENTIONS C1); 'X, the former minister and
        San Antonio mayor' too."""
        token = first_conjunct(token)
        near = [c for c in token.children if c.dep_ == "appos"]
        if token.dep_ in ("appos", "compound"):
            near.append(token.head)
        return any(self._person_at(t) for t in near)

    def _government(self, token: Token) -> bool:
        """'the Russian government', 'Valdorian officials': the country itself."""
        found = self._country_phrase(token)
        if found is None:
            return False
        start, country, _ = found
        self.add(start, token.i + 1, "country", country).link = False
        return True

    def _place_body(self, token: Token) -> None:
        """'a Brava court', 'Brava authorities', 'authorities in Brava', 'Russian police';
        'police' alone, speaking ('Police said'), is the briefing's country's."""
        place = None
        kinds = self._court_kinds(token)
        for child in token.children:
            if child.i < token.i - len(kinds) and child.dep_ in ("compound", "amod", "nmod"):
                place = child
            elif child.dep_ == "prep" and child.lower_ in ("in", "of"):
                place = next((c for c in child.children if c.dep_ == "pobj"), None)
                if place is not None and _one_entity(token, place):
                    place = None  # 'authorities in Brava', not 'the Court of Justice'
        speaks = token.dep_ == "nsubj" and token.head.lemma_.lower() in SPEECH_VERBS
        noun = " ".join([*(t.text for t in kinds), token.lower_]).replace(" - ", "-")
        introduced = any(c.lower_ in ("a", "an") for c in token.children)
        if place is None and kinds and introduced and self.free(kinds[0].i, token.i + 1):
            # 'a federal appeals court' ('the military court' may be any, or none)
            self.add(kinds[0].i, token.i + 1, "organization", noun)
            return
        if place is None and token.lower_ == HOME_BODY and speaks:
            self.add(token.i, token.i + 1, "organization", HOME_BODY).home = True
            return  # ('Police said ...': the briefing's country's, see actors._home_bodies)
        if place is None or not place.text[:1].isupper():
            return
        mention = self.owner[place.i]
        one_word = mention is not None and mention.j - mention.i == 1 and not mention.known
        if mention is not None and mention.kind not in ("place", "country") and not one_word:
            return
        adjective = mention is None or (mention.kind == "place" and mention.j - mention.i == 1)
        country = self.lex.demonyms.get(place.text) if adjective else None  # 'Ukrainian' as GPE
        if token.lower_ == "authorities" and (country or (mention and mention.kind == "country")):
            # 'Israeli authorities', like its officials, are the country
            start, end = min(place.i, token.i), max(place.i, token.i) + 1
            if mention is not None:
                self._absorb(mention)
                start, end = min(mention.i, token.i), max(mention.j, token.i + 1)
            country = country or (mention and mention.name) or ""
            self.add(start, end, "country", country).link = False
            return
        if mention is not None:
            city = mention.capital and token.lower_ == "court"  # 'a court in Beijing'
            if mention.kind == "country" and not city:
                name = self.demonym(mention.name or "")
            else:
                name = place.text if city else (mention.name or place.text)
            self._absorb(mention)
        elif place.i < token.i:
            name = self._text(*self._trim(place.left_edge.i, place.i + 1))
        else:
            name = place.text
        if place.i < token.i:
            start, end = place.left_edge.i, token.i + 1
        else:
            start, end = token.i, place.i + 1
        start, end = self._trim(start, end)
        if self.free(start, end):
            self.add(start, end, "organization", f"{name} {noun}")

    def _court_kinds(self, token: Token) -> list[Token]:
        """The words before 'court' that say its kind ('state', 'district', 'federal
        appeals', 'anti-terrorism'): part of its name, after any place ('a Montana state
        court', 'the Tynda district court')."""
        if token.lower_ != "court":
            return []
        k = token.i
        while k > 0 and self.doc[k - 1].lower_ in COURT_KINDS and not self.used[k - 1]:
            k -= 1
        while k < token.i and self.doc[k].text == "-":
            k += 1
        return list(self.doc[k : token.i])

    # acting
    def mention_acts(self, mention: Mention) -> bool:
        head = self.doc[mention.head]
        if mention.kind == "place":
            return False
        if self._claims(mention):  # 'Lind: ...', not a section label ('Daily Briefing: ...')
            return not (
                self._section_label(mention)
                or self._topic_label(mention)
                or self._place_label(mention)
            )
        if self._signs_line(mention):  # 'Talks will resume - Lind'
            return True
        if head.dep_ == "appos" and head.head.lower_ in _READER_PRONOUNS:
            return False  # "You're reading: Daily Digest: ...", a page's furniture
        if self._describes_a_person(mention, head):
            return False  # 'Jo Park, a lifelong Unionist, ran': a person's description (C17)
        if head.dep_ == "poss" and mention.kind == "country" and self._unnamed_office(head.head):
            return acts(head.head)  # 'Ostria's president said': the country speaks (C1)
        if self._verb_read_as_noun(mention):  # 'Selmco axes its late show' (a headline)
            return True
        # 'Kremlin spokesman Dmitry Peskov': part of a title; a bracketed short form makes the
        # parser write 'nmod' for the same thing ('the Unity Party (UP) workers fought')
        if head.dep_ in ("compound", "nmod"):
            noun = head.head  # but 'the Likud party said' acts, and so does the author of a
            if noun.lemma_.lower() in ORG_NOUNS and mention.kind != "person":
                return acts(noun)
            return noun.lemma_.lower() in REPORT_NOUNS and _cited(noun)  # cited report (C14)
        title = title_of(head)
        if title is None and mention.kind == "person" and self._glued_holder(mention):
            title = _title_above(head, self.lex.words["role_heads"])
        if title is None and mention.kind == "person" and _apposed_to_a_body(head):
            title = _title_above(head.head, self.lex.words["role_heads"])
        if title is not None and mention.kind == "person":
            return acts(title)  # 'President of the Commission Ursula von der Leyen said'
        if title is None and mention.kind != "person" and self._listed_with_a_body(head):
            title = title_of(first_conjunct(head))  # 'the leaders of Ostria and Selm met'
        if title is None and mention.kind in ("country", "organization"):
            title = _title_from(first_conjunct(head))  # 'leaders from Ostria and Selm met'
        if title is not None and not self._named_holder(title):
            return acts(title)  # 'the head of Air France-KLM said': an unnamed official
        return acts(head) or _usually_acts(head, mention.kind)

    def _glued_holder(self, mention: Mention) -> bool:
        """A person's name right after a capitalised word of a body's or a place's name
        ('... to the United States Pavel Orn'): the holder of the title above, not an
        object of its phrase."""
        before = self.doc[mention.i - 1] if mention.i > 0 else None
        return (
            before is not None
            and before.text[:1].isupper()
            and not before.is_punct
            and not _titled(before, self.lex.words["role_heads"])
            and not self._name_word(before)
        )

    def _verb_read_as_noun(self, mention: Mention) -> bool:
        """'Nigerian army names gunmen', 'Selmco axes Jo Park's show', 'Brava sentences
        rioters': a headline's verb that can be a plural noun, right after the name, which
        the parser read as a noun the name modifies, in a line where it found no verb at
        all. What follows the word begins its object (a name, an adjective, a determiner, a
        quotation), not a preposition or a participle ('IDF tanks operating in Gaza', 'MEE
        readers.', 'Boracay rules for the closure')."""
        doc = self.doc
        at = mention.j
        if doc[mention.head].dep_ != "compound" or at + 1 >= len(doc):
            return False
        word, after = doc[at], doc[at + 1]
        sentence = word.sent
        if (
            word.tag_ != "NNS"
            or after.tag_ not in _OBJECT_OPENERS
            or sentence.text.rstrip().endswith("?")
        ):
            return False
        return not any(t.tag_ in _FINITE_VERB_TAGS or t.tag_ == "MD" for t in sentence)

    def _listed_with_a_body(self, token: Token) -> bool:
        """A later member of a list whose first member is a country or a body ('Ostria' of
        'Ostria, Selm and Brava'); not a portfolio's second half ('Minister of Trade and
        Industry')."""
        first = first_conjunct(token)
        owner = self.owner[first.i] if first.i != token.i else None
        return owner is not None and owner.kind in ("country", "organization", "group")

    def _claims(self, mention: Mention) -> bool:
        """'Lind: talks will resume' (a headline, a caption, a video title): a statement by
        the name that opens it (CONVENTIONS C16); quoted words after it are a quote."""
        doc = self.doc
        first = doc[mention.i]
        if mention.j >= len(doc) or doc[mention.j].text != ":" or first.i != first.sent.start:
            return False
        rest = doc[mention.j + 1 : first.sent.end]
        opens_quote = len(rest) > 0 and rest[0].text in ("“", '"', "‘", "'")
        return not opens_quote and any(t.pos_ in ("VERB", "AUX") for t in rest)

    def _place_label(self, mention: Mention) -> bool:
        """'Ukraine: Kyiv's forces pushed back ...', 'New Delhi: The Supreme Court asked
        ...': a country or its capital before a colon, then a clause with a subject of its
        own, is the item's topic or dateline; the clause's subject acts, not the place."""
        if mention.kind != "country":
            return False
        doc = self.doc
        rest = doc[mention.j + 1 : doc[mention.i].sent.end]
        subjects = [t for t in rest if t.dep_ in ("nsubj", "nsubjpass") and t.head.i > mention.j]
        # ('Iran: We saved them; Lind, study history' is Iran's statement)
        return bool(subjects) and not any(t.lower_ in _SPEAKERS for t in subjects)

    def find_line_signer(self) -> None:
        """The name after a headline's last dash ('... will turn things around - Lind',
        '- UTAG'), one the model left untyped: a capitalised word or two, or an acronym."""
        doc = self.doc
        end = len(doc)
        while end > 0 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        start = end
        while start > end - 3 and start > 0 and _signer_word(doc[start - 1]):
            start -= 1
        signed = self._headline_claim(start) or self._quote_signature(start)
        if start == end or not self.free(start, end) or not signed:
            return
        words = doc[start:end]
        acronym = len(words) == 1 and words[0].text.isupper() and len(words[0].text) > 1
        self.add(start, end, "organization" if acronym else "person", words.text)

    def _signs_line(self, mention: Mention) -> bool:
        """'Voting for Lind will turn things around - Unity Party' (a front-page roundup's
        headline, a teaser): the name after the last dash says what the line before it
        says. Not a page's or an outlet's name after a title ('... - The Selm Times')."""
        doc = self.doc
        if any(not (t.is_punct or t.is_space) for t in doc[mention.j :]):  # stops at the first
            return False
        known = self.gaz.match(doc, mention.i)
        if known is not None and known[1].kind == "media":
            return False
        return self._headline_claim(mention.i) or self._quote_signature(mention.i)

    def _quote_signature(self, name: int) -> bool:
        """'‘We will act’: Kross', 'Lind is ‘out of touch’: Vera Kross': a quotation, a
        colon, and the name that ends the line, as many outlets' headlines and teasers sign
        their quotes (speakers.py credits them)."""
        doc = self.doc
        return name >= 2 and doc[name - 1].text == ":" and doc[name - 2].text in _CLOSING_MARKS

    def _headline_claim(self, name: int) -> bool:
        """Whether a dash comes before token `name`, after one sentence that says something
        (three words or more, a finite verb), as a headline is written."""
        doc = self.doc
        if name < 4 or doc[name - 1].text not in ("-", "–", "—"):
            return False
        said = doc.text[: doc[name - 1].idx].strip()
        if _SENTENCES.search(said):
            return False  # a letter's or a newsletter's signature: '... renters. — Jo Park'
        claim = [t for t in doc[: name - 1] if not (t.is_punct or t.is_space)]
        return len(claim) >= 3 and any(t.tag_ in _FINITE_TAGS for t in claim)

    @staticmethod
    def _section_label(mention: Mention) -> bool:
        """'Daily Briefing: ...', 'Biden Administration: ...': a name of two words or more
        that no list knows and that is no person's, before a colon, heads a section."""
        words = (mention.name or "").split()
        return mention.kind in ("organization", "other") and not mention.known and len(words) > 1

    def _topic_label(self, mention: Mention) -> bool:
        """'Ground Rent: defaulters risk ...', 'Sky Hunters: border guards ...': a 'person'
        of two words or more before a colon whose every word is an English common word (a
        noun or an adjective, as the model's lexicon knows them) names a topic, not someone."""
        tokens = self.doc[mention.i : mention.j]
        return (
            mention.kind == "person"
            and not mention.known
            and len(tokens) > 1
            and all(
                (t.is_lower and t.lower_ in self.lex.words["stopwords"])
                or t.lemma_.lower() in common_nouns()
                or t.lower_ in adjectives()
                for t in tokens
            )
        )

    def _unnamed_office(self, noun: Token) -> bool:
        """A title standing for someone the text does not name here, who speaks: 'Ostria's
        foreign minister said'."""
        return (
            _title_word(noun.lower_)
            and noun.dep_ == "nsubj"
            and _speaks(noun.head)
            and self.owner[noun.i] is None
            and not self._named_official(noun)
        )

    def _describes_a_person(self, mention: Mention, head: Token) -> bool:
        """A body or group in apposition to a person's mention: 'Jo Park, a lifelong
        Unionist', 'Sen. Jo Park (Selm)'. Not a list's member the parser hung there ('Jo Park,
        Al Reyes, Bo Tan and ...': the apposition has conjuncts), nor a person."""
        return (
            head.dep_ == "appos"
            and mention.kind != "person"
            and self._person_at(head.head)
            and not any(c.dep_ == "conj" for c in head.children)
        )

    def _person_at(self, token: Token) -> bool:
        """Whether a person's mention holds this token."""
        mention = self.owner[token.i]
        return mention is not None and mention.kind == "person"

    def _named_holder(self, title: Token) -> bool:
        """'the head of X, Ana Lind, said': the title has its person, who acts instead; so
        does 'Ana Lind, head of X, said', the title in apposition to its holder, whatever
        type the model gave the name (it types many a person's name ORG: 'Olusegun Runsewe,
        the director general of X')."""
        if title.dep_ == "appos" and self.owner[title.head.i] is not None:
            return True
        return any(self._person_at(token) for token in title.subtree)


_NAMED_ALREADY = ("PERSON", "ORG", "GPE", "LOC", "LAW")  # found already, or never agents
_NUMBERS = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")
PARTY_MEMBERS = words(
    "democrats republicans conservatives tories liberals socialists greens communists "
    "nationalists labourites unionists"
)
_LEADER_TITLES = {
    "president": "President",
    "prime minister": "Prime Minister",
    "premier": "Prime Minister",
    "chancellor": "Chancellor",
}
QUANTIFIERS = words("some many several few most other others handful number dozen dozens")
CHAMBERS = words("house senate assembly congress parliament legislature caucus state")
# 'the Unión Cívica Radical party': the noun only says what the name is
ORG_NOUNS = words(
    "party group company firm agency movement coalition alliance union organisation "
    "organization bank militia faction"
)


_ROMAN_NUMERAL = re.compile(r"[IVXLC]+")


_HYPHENS = frozenset("-\u2010\u2011")


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _title_case_line(doc: Doc, i: int) -> bool:
    """Whether the line token `i` stands on has most of its words capitalised (three
    words or more, short function words aside): a headline written in Title Case."""
    text = doc.text
    start = text.rfind("\n", 0, doc[i].idx) + 1
    end = text.find("\n", doc[i].idx)
    words = _WORD.findall(text, start, end if end >= 0 else len(text))
    long = [w for w in words if len(w) > 3]
    return (
        len(words) >= 3 and len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)
    )


def _headline_line(doc: Doc, i: int) -> bool:
    """A line in Title Case that does not end as a sentence does: a headline, not a
    sentence full of names ('Arvo Lind, Bea Kross, Carl Tamm and Dana Voss met on Monday.')."""
    text, start = doc.text, doc[i].idx
    end = text.find("\n", start)
    rest_of_line = text[start : end if end >= 0 else len(text)].rstrip()
    return _title_case_line(doc, i) and not rest_of_line.endswith(".")


def _headline_verb(token: Token) -> bool:
    """A verb by the parse, or a verb's -s form the model read as a plural name ('Repeats')."""
    if token.tag_ in ("MD", "VBD", "VBZ", "VBP"):
        return True
    word = token.lower_
    return _verb_s_form(token) or (
        token.tag_ == "NNPS" and word.endswith("s") and word[:-1] in verb_lemmas()
    )


def _verb_s_form(token: Token) -> bool:
    """'Speaks', 'Delivers': a verb's third-person form that the model's lemmatizer knows as
    a verb and not as a noun."""
    word = token.lower_
    if not (token.is_title and word.endswith("s")) or len(word) < 4:
        return False
    verbs = verb_lemmas()
    nouns = common_nouns()
    stems = {word[:-1], word[:-2]} if word.endswith("es") else {word[:-1]}
    return any(s in verbs for s in stems) and not any(s in nouns for s in stems | {word})


def _titled(token: Token, heads: Container[str]) -> bool:
    """A title word ('Councilor', 'Sen.') or the head of a role ('spokesman')."""
    word = token.lower_.rstrip(".")
    return word in TITLE_WORDS or word in heads


def _short_name(token: Token) -> bool:
    """A name in capitals or with a capital inside ('UTAG', 'THISDAY', 'MaltaToday'), alone
    among words of mixed case (in a line in capitals every word is) and not in brackets
    after another name ('Jo Park (SDE)': her party, named in passing)."""
    text = token.text
    if sum(c.isalpha() for c in text) < 3 or not text[:1].isupper():
        return False
    inner = any(a.islower() and b.isupper() for a, b in pairwise(text))
    if not (token.is_upper or inner) or _ROMAN_NUMERAL.fullmatch(text):
        return False  # 'Aquino III': a number
    doc = token.doc
    around = [doc[k] for k in (token.i - 1, token.i + 1) if 0 <= k < len(doc)]
    bracketed = token.i > 0 and doc[token.i - 1].text == "("
    if bracketed or any(t.is_upper and t.is_alpha for t in around):
        return False
    return sum(t.is_alpha and t.text[:1].islower() for t in token.sent) >= 2


def _initials_after_the(token: Token) -> bool:
    """'the DA', 'the FT': two capitals after 'the' are a body's initials (a shorter
    word in capitals is no name; _short_name wants three letters)."""
    text = token.text
    return (
        len(text) == 2
        and text.isalpha()
        and text.isupper()
        and token.i > 0
        and token.nbor(-1).lower_ == "the"
    )


def _opens_a_line(token: Token) -> bool:
    """The first word of its sentence, after nothing but marks ('1.', '•'), or after a dash
    that opens it ('WHOOPI'S DEFENDERS - Actress ...')."""
    before = token.doc[token.sent.start : token.i]
    marks_only = all(
        t.is_punct or t.is_space or t.like_num or t.tag_ == "LS" or t.pos_ == "SYM" for t in before
    )
    return marks_only or before[-1].text in _DASHES


def names_in(docs: Iterable[Doc]) -> frozenset[str]:
    """The last words of the names of people and organisations that the model finds inside
    a sentence somewhere in the briefing ('Sanders' of 'Bernie Sanders'; not at a sentence's
    start, where every word has a capital)."""
    found = set()
    for doc in docs:
        for entity in doc.ents:
            first, last = entity[0], entity[-1]
            if entity.label_ not in ("PERSON", "ORG") or not last.is_title:
                continue
            if not (first.is_sent_start or _opens_a_line(first)):
                found.add(last.text)
    return frozenset(found)


_BARE_BODIES = words("government ministry")  # 'the government' of the one country named
_CAPITAL_GOVERNMENT = "Government"  # 'the Government said', as British and Irish papers write it
_POSSESSED_BODIES = words("administration government campaign")  # 'Lind's campaign', C11
_MILITARY_WORDS = words("military army navy")  # 'a US army spokesman' speaks for the forces
_MODIFIERS = ("amod", "compound")
# Of OFFICIAL_NOUNS, those who speak for a firm or themselves, never for a state
_PROFESSIONS = words(
    "analyst analysts economist economists strategist strategists researchers experts"
)
_AIDE_NOUNS = words("aide aides adviser advisers advisor advisors")
_LEADERS_BODY = "administration"  # 'the Lind administration': only a leader's name comes before it
INSTITUTION_HEADS = words(
    "ministry department office parliament cabinet police navy army guard service staff "
    "agency regulator commission council watchdog bank"
)
PARTICLES = words("von van der den de del della da di du la le al el bin ben ibn abu dos das ter")


# Months and weekdays as time stamps abbreviate them, and weekdays in full; not the months
# that are also names ('May', 'June', 'April', 'August').
CALENDAR_WORDS = words(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat "
    "sun monday tuesday wednesday thursday friday saturday sunday"
)


# A source tag closing a paragraph, or a sentence ('(Ledger).'): '[Ledger]', '(Ledger and
# Courier)', '[Ledger / Jo Park]'.
_SOURCE_TAG = re.compile(r"\s*[\[(]([A-Z][^\])\[(]{0,60})[\])](?=\.?\s*$|\.\s+\S)", re.MULTILINE)
_TAG_SPLIT = re.compile(r"\s+and\s+|\s*,\s*")
_NOT_SOURCE_TYPES = ("PERSON", "GPE", "LOC", "DATE", "TIME", "CARDINAL", "NORP")


def _tag_may_open(text: str, at: int) -> bool:
    """A bracket after a sentence's end, or after a word in lower case: not '...the Valdorian
    Revenue Service (VRS).', an abbreviation explained."""
    before = text[:at].rstrip()
    if not before or before[-1] in ".!?\"”’'":
        return True
    words = before.split()
    return words[-1][:1].islower()


def _tag_name(text: str) -> bool:
    """A name in a tag: capitalised words, not a party label ('R-KY'), one letter, a date
    or a photo credit ('AP Photo', 'Getty Images')."""
    words = text.split()
    if (
        len(text) < 2
        or re.match(r"^[A-Z]-", text)
        or words[0].rstrip(".").lower() in CALENDAR_WORDS
    ):
        return False
    if any(w.lower() in _CREDIT_WORDS for w in words):
        return False
    if not re.fullmatch(r"[\w .&’'-]+", text):
        return False  # 'GMT+1', 'File: Jo Park'
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _TAG_JOINS for w in words)


# the tagger's common words: a plural, a gerund or participle, an adjective, an adverb
_COMMON_WORD_TAGS = frozenset(("NNS", "VBG", "VBN", "VBD", "JJ", "JJR", "JJS", "RB"))

_TAG_JOINS = frozenset(("of", "the", "de", "&"))
_CREDIT_WORDS = frozenset(("photo", "photos", "images", "via"))


# Common nouns that name who acts when they open a sentence: a body or a title
_BODY_OR_TITLE = INSTITUTION_WORDS | INSTITUTION_HEADS | OFFICIAL_NOUNS | TITLE_WORDS


def _has_clause(words: Span) -> bool:
    """A verb that is said or done, not a participle: 'Government likely to collapse before
    Lapid takes over as PM' is a headline run into a name, no title."""
    return any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in words)


_TAGGING_ONLY = ["parser", "lemmatizer", "ner"]
_SPEAKERS = frozenset(("i", "we"))  # a statement's own subject: the label is its speaker
# Courtesy titles: 'Mr', 'Sir' say how a person is addressed, not what they do (no role)
_HONORIFICS = words("mr mrs ms miss mx sir dame sheikh")
_LABEL_MARKS = ("|", ":", "—", "–")  # after an item's label: 'Ostria | President Lind'


@cache
def _read_as_common_noun(sentence: str, at: int) -> bool:
    """Whether the model, given the sentence with the word at `at` in lower case, reads it
    as a common noun ('man held as ...'), not a name ('putin keeps ...', 'google tells
    ...'): the model's noun index holds the famous names of its dictionary too. Only the
    tagger is needed, so the parser and the entity model are left out (half the time)."""
    for token in load_pipeline()(sentence, disable=_TAGGING_ONLY):
        if token.idx == at:
            return token.pos_ == "NOUN"
    return False


def _opens_sentence(token: Token) -> bool:
    """It opens a line (above), or follows a headline's label and a colon ('Scapegoat: Girl
    handed six years')."""
    return _opens_a_line(token) or token.doc[token.i - 1].text == ":"


def is_common_plural(word: str) -> bool:
    """'Rescuers', 'Protests', 'Tributes', 'Zoos', 'Casualties': a capitalised plural whose
    singular the model's lexicon knows as a common noun ('Hamas', 'Lind' are no plurals)."""
    lower = word.lower()
    if not (word[:1].isupper() and word[1:].islower() and lower.endswith("s") and len(word) > 3):
        return False
    singulars = {lower[:-1]}
    if lower.endswith("es"):
        singulars.add(lower[:-2])
    if lower.endswith("ies"):
        singulars.add(lower[:-3] + "y")
    return not singulars.isdisjoint(common_nouns())
