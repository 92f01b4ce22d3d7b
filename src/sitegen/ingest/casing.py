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

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*\.?")
_ROMAN = re.compile(r"[IVXLC]+\.?")
_SHORT = 3  # a capitalised word this short is an acronym, unless next to a longer one


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


def for_the_parser(text: str, acronyms: Container[str]) -> str:
    """The paragraph as the parser should read it, letter for letter the same length: a
    live blog's time stamp blanked out ('10:42 GMT – ...', '10:42Arvo Lind said'), names in
    capitals in title case. Offsets stay those of the text as written."""
    stamp = _TIMESTAMP.match(text)
    if stamp:
        text = " " * stamp.end() + text[stamp.end() :]
    text = _GLUED_TIME.sub(lambda m: " " * len(m.group(0)), text)
    return recase(text, acronyms)


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
            pieces.append(_title(word))
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
