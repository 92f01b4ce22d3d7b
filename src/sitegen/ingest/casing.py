"""What the parser reads: names in capitals re-cased, a live blog's time stamps blanked.

Newsletters set names in capitals ("President JOE BIDEN heads to Pennsylvania", "Sen. MIKE
LEE and EVAN McMULLIN debate"); spaCy's small model reads such words as acronyms, labels or
nothing at all. The parser is given the paragraph with those words in title case, letter for
letter the same length, so every offset still points into the text as written (mentions
show the words as the outlet wrote them). Acronyms stay as they are: a capitalised word the
package's lists know ("NATO", "BBC"), a short word standing alone ("GOP", "FBI"), initials
("J.D."), Roman numerals. A paragraph mostly in capitals (a shouted headline) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache
from typing import TYPE_CHECKING

from .lexicon import load_lexicon, words

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*\.?")
_ROMAN = re.compile(r"[IVXLC]+\.?")
_SHORT = 3  # a capitalised word this short is an acronym, unless next to a longer one
# Words that a run of capitals holds when it is a headline run into the text, not a name
# ('PALIN TELLS REPUBLICANS', 'DAVID LAWS SUSPENDED FROM PARLIAMENT'), and the small words of
# a name ('BANK OF ENGLAND'): written in lower case for the parser, as a sentence would have
# them, they are no part of a name ('Palin Tells' was one).
_LOWERED = words(
    "a an the of and or for from to in on at by with as into over after amid against about "
    "is are was were be been has have had do does did will would can could may might must "
    "should shall not no "
    "says say said tells told calls called warns warned urges urged slams slammed blasts "
    "backs backed vows vowed plans planned signs signed faces faced wins won loses lost quits "
    "resigns resigned denies denied admits admitted claims claimed demands demanded seeks "
    "sought rejects rejected orders ordered learns learned learnt protest protests protested "
    "suspended arrested killed charged jailed accused sacked elected named appointed found "
    "held banned cleared sentenced ousted freed injured approves approved okays okayed "
    "defends defended attacks attacked makes made takes took gives gave gets got goes went "
    "comes came dies died his her its their our my your"
)


def _capitals(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _title(word: str) -> str:
    """'BIDEN' -> 'Biden', 'KYUNG-WHA' -> 'Kyung-Wha', 'TRUMP’S' -> 'Trump’s', 'O’NEILL' ->
    'O’Neill'; the word as it was if the case change would alter its length."""
    parts = re.split(r"([-'’])", word)
    out = []
    for index, part in enumerate(parts):
        after_apostrophe = index > 1 and parts[index - 1] in ("'", "’")
        if after_apostrophe and len(part) <= 2:
            out.append(part.lower())  # 'S, 'T, 'LL
        else:
            out.append(part[:1] + part[1:].lower())
    recased = "".join(out)
    return recased if len(recased) == len(word) else word


# A live blog's time stamp run into the entry: '10:42 GMT – ...', 'Updated at 14.05 BST ...'.
_ZONE = r"(?:GMT|BST|UTC|CET|CEST|EET|EEST|MSK|ET|EST|EDT|PT|PST|PDT|local time)"
_TIMESTAMP = re.compile(
    r"^\s*(?:(?:Updated|Posted|Last updated)(?:\s+at)?\s+)?"
    r"(?:\d{1,2}:\d{2}|\d{1,2}\.\d{2}(?=\s*(?:[ap]\.?m|" + _ZONE + r"|[–—:|-])))"
    r"(?:\s*[ap]\.?m\.?)?(?:\s+" + _ZONE + r")?(?:\s*[–—:|-])?\s+(?=\S)",
    re.IGNORECASE,
)


# A time glued to the next word by a page's layout: '10:42Arvo Lind said', '9.15amLind'.
_GLUED_TIME = re.compile(
    r"(?<![\w:.])\d{1,2}[:.]\d{2}(?:[ap]\.?m\.?)?(?:" + _ZONE + r")?(?=[A-ZÀ-ÖØ-Þ])"
)


# A wire story's dateline: 'SEOUL –', 'TOKYO/SEOUL --', 'WASHINGTON (AP) —', 'Seoul, May 27
# (Yonhap) --'. It says where the story was filed; read as a name, the city became the subject
# of the first sentence and took its quotes.
_DATELINE = re.compile(
    r"\s*(?P<places>[^\W\d_][\w'’., /-]{0,40}?)"
    r"(?P<date>,\s*[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"  # ', May 27', ', Oct 9, 2020'
    r"\s*(?P<agency>\([^()\n]{1,30}\))?"
    r"(?:\s*(?:--|[–—―])|\s+-|-(?=\s))\s*(?=\S)"
)


# Where a story was filed, as a wire service writes it before its name in brackets: a city
# of capitalised words, perhaps its state or country ('PARRIS ISLAND, S.C.', 'SELM, Ostria')
_PLACE_WORD = r"(?:[A-Z][\w'’.-]*|[a-z]{1,3}(?=[ \t]+[A-Z]))"  # 'de', 'es' inside a name
_PLACE_SHAPED = re.compile(
    rf"[A-Z][\w'’.-]*(?:[ \t]+{_PLACE_WORD}){{0,3}}"
    rf"(?:(?:,[ \t]*|[ \t]*/[ \t]*)[A-Z][\w'’.-]*(?:[ \t]+{_PLACE_WORD}){{0,3}}){{0,2}}"
)


def dateline_end(text: str, places: Container[str], countries: Container[str] | None = None) -> int:
    """Where a dateline opening the paragraph ends (0: none). Each place, in capitals (or
    in any case before an agency's name), must be one a dateline names; in mixed case, a
    city in capitals and its country ('MANILA, Philippines —') or a place or country before
    the date ('Nigeria, Oct. 29 --') is one too. Before an agency's name, any city in
    capitals is one ('SELM, Ostria (AP) —'), and so is one before a known country without it.
    `countries`: the lists' country names, in capitals."""
    found = _DATELINE.match(text)
    if not found:
        return 0
    named = found.group("places")
    if found.group("agency") and _PLACE_SHAPED.fullmatch(named.strip()):
        city = re.split(r"[,/]", named)[0].strip()
        if city == city.upper():  # 'SELM, Ostria (AP) —', known or not; not 'Arvo Lind (AP)'
            return found.end()
    if named == named.upper() or found.group("agency"):
        each = [place.strip().upper() for place in named.split("/")]
        return found.end() if all(place in places for place in each) else 0
    known = _dateline_countries() if countries is None else countries
    city, _, country = named.partition(",")
    if country and city == city.upper():
        wide = country.strip().upper()
        # a known country or state after it: a city the lists lack is one all the same
        named_so = wide in known or (city.strip() in places and wide in places)
    else:
        wide = named.strip().upper()
        named_so = bool(found.group("date")) and (wide in known or wide in places)
    return found.end() if named_so else 0


@cache
def _dateline_countries() -> frozenset[str]:
    known = load_lexicon().known
    return frozenset(f.upper() for f, what in known.items() if what.kind == "country")


# Reporters credited inside a paragraph, no actors (C6): a bracketed credit closing an item
# ('[Jo Park and Al Reyes, HuffPost]': the outlet after the last comma stays, as a source tag
# '[Courier / Jo Park]' names its outlet) and a labelled one opening a paragraph, a cell or a
# sentence ('Live reporting by Jo Park', '| Contributors: Jo Park, Al Reyes and Ann Li |',
# 'Host: Jo Park Producer: Al Reyes'). Read as names, the reporters acted.
_CREDITED_WORD = r"(?![A-Z][\w'’-]*:)[A-Z][\w.'’-]*"  # not the next label ('Producer:')
_CREDITED = rf"{_CREDITED_WORD}(?:[ \t]+{_CREDITED_WORD}){{0,3}}"
_BRACKETED = re.compile(rf"\[{_CREDITED}(?:[ \t]*(?:,|&|,?[ \t]and)[ \t]*{_CREDITED})+\]")
_LABELLED = re.compile(
    r"(?:(?:Live |Additional )?[Rr]eporting by|Contributors?:|Editor:|Host:|Producer:"
    r"|Contributing writers?:|Founded by|(?:Written|Edited|Compiled) by)"
    rf"[ \t]+{_CREDITED}(?:(?:,[ \t]*|,?[ \t]+and[ \t]+|[ \t]*&[ \t]*){_CREDITED})*"
)


def credits_blanked(text: str) -> str:
    """The paragraph with the reporters it credits blanked, letter for letter as long."""
    for found in _BRACKETED.finditer(text):
        credit = found.group(0)
        if "," in credit:  # the outlet after the last comma stays: its words are quoted
            text = _blank(text, found.start() + 1, found.start() + credit.rindex(","))
    for found in _LABELLED.finditer(text):  # after a blanked one too ('Host: ... Producer:')
        before = text[: found.start()].rstrip()
        if not before or before[-1] in "|•·.:”":
            text = _blank(text, *found.span())
    return text


def _blanked(text: str, end: int) -> str:
    """The text with its first `end` letters blanked, the last of them a line break: after
    spaces alone the model typed fewer names in the sentence that follows ('The Federal High
    Court in Abuja has ...' lost its court), after a line break it reads it as it reads the
    sentence alone."""
    return " " * (end - 1) + "\n" + text[end:]


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def for_the_parser(
    text: str, acronyms: Container[str], places: Container[str] = frozenset()
) -> str:
    """The paragraph as the parser should read it, letter for letter the same length: a
    live blog's time stamp and a wire story's dateline blanked out ('10:42 GMT – ...',
    '10:42Arvo Lind said', 'SEOUL – ...'; `places` are the forms a dateline names, in
    capitals) and so are reporters credited in it, names in capitals in title case.
    Offsets stay those of the text as written."""
    stamp = _TIMESTAMP.match(text)
    if stamp:
        text = " " * stamp.end() + text[stamp.end() :]
    blank = dateline_end(text, places)
    if blank:  # (a line break, not a space, before the story: see _blanked)
        text = _blanked(text, blank)
    text = credits_blanked(_GLUED_TIME.sub(lambda m: " " * len(m.group(0)), text))
    text = _INNER_APOSTROPHE.sub("'", text.translate(_NO_BREAK_SPACES))
    return recase(text, acronyms)


# 'Arvo\u00a0Lind': a no-break space is a space to the parser (the text keeps it)
_NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})
# 'O’Brien', 'D’Ambrosio': a typographic apostrophe inside a name, before a capital, is the
# straight one to the parser, which was trained on straight ones and reads 'O’Brien' as a
# common noun (not a possessive's: 'X called Russia’s demands “non-starters”' then reads as
# the possessive it is, and the speech noun's possessor took the quote)
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])’(?=[^\W\d_a-z])")


def recase(text: str, acronyms: Container[str]) -> str:
    """The text with names in capitals in title case (same length, same offsets)."""
    words = list(_WORD.finditer(text))
    capitals = [m for m in words if _capitals(m.group(0))]
    lower = sum(m.group(0)[0].islower() for m in words)
    if not capitals or lower < 2 or 3 * len(capitals) > 2 * len(words):
        return text  # a shouted headline: nothing tells names from other words
    pieces, at = [], 0
    for run in _runs(capitals):
        if not _a_name(run, acronyms):
            continue
        for match in run:
            word = match.group(0)
            if word in acronyms or word.rstrip(".") in acronyms or _ROMAN.fullmatch(word):
                continue
            if "." in word.rstrip("."):
                continue  # initials: 'J.D.'
            pieces.append(text[at : match.start()])
            small = match is not run[0] and word.lower() in _LOWERED
            pieces.append(
                word.lower() if small and len(word.lower()) == len(word) else _title(word)
            )
            at = match.end()
    pieces.append(text[at:])
    return "".join(pieces)


def _runs(capitals: list[re.Match]) -> list[list[re.Match]]:
    """Words in capitals next to each other, only spaces between: 'HOUSE MAJORITY LEADER'."""
    runs: list[list[re.Match]] = []
    for match in capitals:
        if runs:
            last = runs[-1][-1]
            between = match.string[last.end() : match.start()]
            if between.strip() == "" and "\n" not in between:
                runs[-1].append(match)
                continue
        runs.append([match])
    return runs


_LABEL_END = re.compile(r"\s*(?:--|[—–…:|])")
_SENTENCE_END = re.compile(r"[.?!]+(?:\s|$)")
_OPENING = re.compile(r"(?:^|[.?!:|…—–-]\s*|\n)[\s\"“‘'(\[]*$")


def _a_name(run: list[re.Match], acronyms: Container[str]) -> bool:
    """A run of capitals inside a sentence is a name or a title ('President JOE BIDEN
    said'); one that ends in a label's dash or colon ('THE NARRATIVE -- ...', 'ABOUT LAST
    NIGHT: ...'), or that is a whole sentence ('DID TRUMP BOTCH THIS SHUTDOWN?'), is a label
    or a shouted headline; a lone short word is an acronym ('GOP')."""
    text = run[0].string
    first, last = run[0], run[-1]
    if len(run) > 6 or _LABEL_END.match(text, last.end()):
        return False
    bracketed = text[first.start() - 1 : first.start()] + text[last.end() : last.end() + 1]
    if len(run) == 1 and bracketed == "()":
        return False  # 'the National Disaster Council (NDRRMC)': a body's acronym
    opening = bool(_OPENING.search(text[: first.start()]))
    ending = bool(_SENTENCE_END.match(text, last.end())) or last.end() == len(text.rstrip())
    if opening and ending and len(run) > 1:
        return False
    return any(
        _letters(m.group(0)) > _SHORT and m.group(0) not in acronyms and "." not in m.group(0)
        for m in run
    )


def _letters(word: str) -> int:
    return sum(c.isalpha() for c in word)


# -- text without capitals ---------------------------------------------------------------------
# Closed captions and speech-to-text run a whole briefing in lower case (or all in capitals):
# the parser, which tells names from other words by their capitals, then finds almost nobody.
# Such a briefing is given to the parser with the capitals the text itself implies restored:
# sentence starts, the names the registry and the package's lists know, a name after a title
# ("president arvo lind"), and that name wherever else the briefing uses it ("lind said").

_SENTENCE_START = re.compile(r"(?:^|[.?!]\s+|>>\s*|\n)[\s\"“‘'(\[-]*([^\W\d_])")
_LOWER_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Words after a title that are no name: what usually follows an untitled title.
_NOT_NAMES = re.compile(
    r"(?:\w+(?:ed|ing|ly)|says?|said|told|tells|wants?|thinks?|knows?|gets?|got|goes|went|"
    r"made|makes|spoke|wrote|took|takes|gave|gives|came|comes|met|meets|left|sees|saw|"
    r"calls?|warns?|urges?|adds?|asks?|tries|hopes?|plans?|signs?|vows?|of|and|or|for|to|"
    r"in|on|at|by|with|from|is|was|has|had|will|would|can|could|may|might|must|should)"
)
_DETERMINERS = words("the a an his her its their our your this that these those every")


def caseless(texts: list[str]) -> bool:
    """A briefing almost without capitals (or almost all in capitals): fewer than one letter
    in 200 of the other case over the whole text, or, as ingest's warning judges it
    (rawparse.py), in the lines long enough to judge (150 letters or more) that hold most
    of those lines' letters (a transcript under a cased programme line)."""
    judged = flat = total = total_upper = 0
    for text in texts:
        for line in text.split("\n"):
            letters = sum(c.isalpha() for c in line)
            upper = sum(c.isupper() for c in line)
            total, total_upper = total + letters, total_upper + upper
            if letters < 150:
                continue
            judged += letters
            if min(upper, letters - upper) * 200 < letters:
                flat += letters
    whole = total >= 200 and min(total_upper, total - total_upper) * 200 < total
    return whole or (judged >= 300 and flat * 2 > judged)


def restore_case(texts: list[str], known: dict[str, str], titles: frozenset[str]) -> list[str]:
    """A caseless briefing's paragraphs with capitals restored, letter for letter the same
    length. `known`: lower-case form -> the form as written ('nato' -> 'NATO'); `titles`:
    lower-case title words ('president', 'sen')."""
    chars = [list(_unshouted(text)) for text in texts]
    texts = [text.lower() if len(text.lower()) == len(text) else text for text in texts]
    names: set[str] = set()
    for text, out in zip(texts, chars, strict=True):
        names.update(_after_titles(text, out, titles))
    by_first = _by_first_word(known)
    for text, out in zip(texts, chars, strict=True):
        _known_forms(text, out, by_first)
        for word in _LOWER_WORD.finditer(text):
            if word.group(0) in names:
                out[word.start()] = out[word.start()].upper()
        for start in _SENTENCE_START.finditer(text):
            out[start.start(1)] = out[start.start(1)].upper()
        for word in re.finditer(r"\bi\b", text):
            out[word.start()] = "I"
    return ["".join(out) for out in chars]


def entity_case(texts: list[str], docs: list[Doc]) -> list[str]:
    """The restored paragraphs with the names the parser still found without capitals
    ('donald trump', 'microsoft') capitalised, and a person's name wherever else the briefing
    uses it: a second reading then sees them as names."""
    labels = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
    chars = [list(text) for text in texts]
    people: set[str] = set()
    for out, doc in zip(chars, docs, strict=True):
        for entity in doc.ents:
            if entity.label_ not in labels:
                continue
            for token in entity:
                if token.is_alpha and not token.is_stop and token.text.islower():
                    out[token.idx] = out[token.idx].upper()
                    if entity.label_ == "PERSON" and len(token) > 2:
                        people.add(token.text)
    for text, out in zip(texts, chars, strict=True):
        for word in _LOWER_WORD.finditer(text):
            if word.group(0) in people:
                out[word.start()] = out[word.start()].upper()
    return ["".join(out) for out in chars]


def _unshouted(text: str) -> str:
    """A paragraph all in capitals in lower case (its capitals tell nothing); another as
    written (its capitals stay)."""
    letters = [c for c in text if c.isalpha()]
    shouted = sum(c.isupper() for c in letters) * 2 > len(letters)
    return text.lower() if shouted and len(text.lower()) == len(text) else text


def _after_titles(text: str, out: list[str], titles: frozenset[str]) -> set[str]:
    """'president arvo lind said' -> 'President Arvo Lind said'; a title after an article or
    a possessive ('the president said') names nobody here."""
    found: set[str] = set()
    words = list(_LOWER_WORD.finditer(text))
    for n, word in enumerate(words[:-1]):
        if word.group(0) not in titles:
            continue
        if n > 0 and words[n - 1].group(0) in _DETERMINERS:
            continue
        taken: list[re.Match[str]] = []
        for after in words[n + 1 : n + 4]:
            between = text[(taken[-1] if taken else word).end() : after.start()]
            if between.strip(" .") or _NOT_NAMES.fullmatch(after.group(0)):
                break
            if after.group(0) in titles or len(after.group(0)) < 2:
                break
            taken.append(after)
        if not taken:
            continue
        out[word.start()] = out[word.start()].upper()
        for after in taken:
            out[after.start()] = out[after.start()].upper()
            found.add(after.group(0))
    return found


def _by_first_word(known: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    by_first: dict[str, list[tuple[str, str]]] = {}
    for lower, form in known.items():
        first = _LOWER_WORD.match(lower)
        if first is not None:
            by_first.setdefault(first.group(0), []).append((lower, form))
    for forms in by_first.values():
        forms.sort(key=lambda pair: -len(pair[0]))
    return by_first


def _known_forms(text: str, out: list[str], by_first: dict[str, list[tuple[str, str]]]) -> None:
    """Known names as the lists write them ('nato' -> 'NATO', 'white house')."""
    for word in _LOWER_WORD.finditer(text):
        if word.start() > 0 and text[word.start() - 1].isalnum():
            continue
        for lower, form in by_first.get(word.group(0), ()):
            end = word.start() + len(lower)
            if text[word.start() : end] == lower and not text[end : end + 1].isalnum():
                out[word.start() : end] = list(form)
                break
