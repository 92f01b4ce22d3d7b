"""Finding names in one paragraph: known forms, roles + names, organisations, lone names.

Each finder marks the tokens it takes so that later ones skip them. Nothing here knows a
particular person: the rules are the grammar of English news text and the word lists.
"""

from __future__ import annotations

import re
from functools import cache

from .gazetteer import Gazetteer
from .lexicon import Lexicon, load_lexicon, words
from .textutil import Mention, Token

_CONNECTORS = frozenset({"of", "for", "the", "to"})
_GAP = re.compile(r"(?:’s|'s)?[ \t]+")
_PLAIN_GAP = re.compile(r"[ \t]+")
LOCATIVE = words(
    "in at near outside around across over inside into toward towards through within above "
    "beyond from to of off on onto via under along"
)
_CAPITAL_LOCATIVE = LOCATIVE - {"from", "to", "of", "on", "via"}
_PERSON_CONTEXT = words(
    "with told met meets meeting urged thanked invited called asked accused criticised "
    "criticized praised congratulated warned by hosted visited phoned joined replaced "
    "succeeded ousted sacked appointed nominated named backed endorsed"
)
_PREPOSITIONS = words(
    "with between against for about among of in on at to from into near over under than "
    "including like unlike toward towards without"
)
_PREFIXED_NAME = re.compile(r"(?:al|el|bin|ben|ibn|abu)-[A-Z]\w+")
_COLON = re.compile(r"\s*:")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who)\b[^,;.]{1,120},\s+")
_AGENT_BEFORE = re.compile(r"(?:according to|\bby)\s+(?:the\s+)?$")
_NAME_LISTS = (
    "stopwords",
    "months",
    "weekdays",
    "role_heads",
    "role_words",
    "org_heads",
    "group_words",
    "honorifics",
    "place_heads",
    "event_words",
)
_BE = frozenset({"is", "was", "were", "are", "been", "being", "be"})
_OWNED = words(
    "office government administration party forces troops army regime allies aides spokesman "
    "spokeswoman spokesperson camp cabinet team campaign"
)


@cache
def verb_forms() -> frozenset[str]:
    """Inflected forms of the lexicon's action verbs (plan -> plans, planned, planning)."""
    forms: set[str] = set(load_lexicon().words["speech_verbs"])
    for base in load_lexicon().words["action_verbs"]:
        forms.update({base, base + "s", base + "ed", base + "d", base + "ing", base + "es"})
        if base.endswith("y"):
            forms.update({base[:-1] + "ies", base[:-1] + "ied"})
        if base.endswith("e"):
            forms.add(base[:-1] + "ing")
        if re.fullmatch(r".*[^aeiou][aeiou][bdgmnprt]", base):
            forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return frozenset(forms)


@cache
def _not_name_words() -> frozenset[str]:
    words = load_lexicon().words
    return frozenset().union(*(words[name] for name in _NAME_LISTS))


def is_verb(word: str, strict: bool = False) -> bool:
    if word in verb_forms():
        return True
    return not strict and len(word) > 4 and word.endswith("ed") and word.isalpha()


class ParagraphFinder:
    """Runs the finders over one paragraph's tokens."""

    def __init__(self, text: str, tokens: list[Token], gazetteer: Gazetteer) -> None:
        self.text = text
        self.tokens = tokens
        self.gaz = gazetteer
        self.lex: Lexicon = gazetteer.lexicon
        self.words = self.lex.words
        self.used = [t.masked for t in tokens]
        self.mentions: list[Mention] = []
        self._owner: list[Mention | None] = [None] * len(tokens)  # token -> its mention
        self._nameish: list[bool | None] = [None] * len(tokens)

    # -- small predicates --------------------------------------------------------------------
    def joined(self, left: int, right: int, possessive_ok: bool = True) -> bool:
        """Tokens left and right (= left + 1) stand side by side with only spaces between."""
        pattern = _GAP if possessive_ok else _PLAIN_GAP
        a, b = self.tokens[left], self.tokens[right]
        return bool(pattern.fullmatch(self.text, a.end, b.start)) and (
            possessive_ok or not a.possessive
        )

    def nameish_at(self, k: int) -> bool:
        cached = self._nameish[k]
        if cached is None:
            cached = self._nameish[k] = self.nameish(self.tokens[k])
        return cached

    def nameish(self, token: Token) -> bool:
        """Could this word be part of a person's name?"""
        if token.masked or token.acronym or any(c.isdigit() for c in token.text):
            return False
        text = token.text
        if not text[0].isupper():
            return bool(_PREFIXED_NAME.fullmatch(text))
        lower = token.lower.rstrip(".")
        if lower in _not_name_words():
            return False
        if text in self.lex.demonyms:
            return False
        parts = text.split("-")
        return not any(p[:1].islower() for p in parts[1:])

    def role_part(self, token: Token, index: int) -> bool:
        lower = token.lower
        return (
            lower in self.words["role_heads"]
            or (lower in self.words["role_words"] and lower not in _CONNECTORS)
            or lower.endswith(tuple(self.words["role_word_suffixes"]))
            or token.text in self.lex.demonyms
            or self._body_at(index)
        )

    def _body_at(self, index: int) -> bool:
        mention = self.mention_at(index)
        return mention is not None and mention.kind in ("organization", "country")

    def mention_at(self, index: int) -> Mention | None:
        return self._owner[index] if 0 <= index < len(self._owner) else None

    def add(self, mention: Mention) -> Mention:
        for k in range(mention.i, mention.j):
            self.used[k] = True
            self._owner[k] = mention
        self.mentions.append(mention)
        return mention

    def _mentions_in(self, start: int, end: int) -> list[Mention]:
        found = (self._owner[k] for k in range(start, end))
        return list(dict.fromkeys(m for m in found if m is not None and m.i >= start))

    def remove(self, mention: Mention) -> None:
        self.mentions.remove(mention)
        for k in range(mention.i, mention.j):
            if self._owner[k] is mention:
                self._owner[k] = None

    def span_text(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j - 1].end]

    # -- acting ------------------------------------------------------------------------------
    def governed(self, i: int) -> bool:
        """Is the name starting at token i the object of a preposition ('with nearby Belarus')?"""
        for back in (1, 2):
            if i - back < 0 or not self.joined(i - back, i - back + 1, False):
                return False
            word = self.tokens[i - back].lower
            if word in _PREPOSITIONS:
                return True
            if word in ("the", "a", "an") or self.tokens[i - back].cap:
                continue
            if back == 1 and word.isalpha() and not is_verb(word):
                continue
            return False
        return False

    def acting_after(self, j: int, strict: bool = False, i: int | None = None) -> bool:
        """Is the name ending before token j the subject of a verb: 'Moscow (has) said'?"""
        tokens = self.tokens
        if j == 0 or j >= len(tokens) or tokens[j - 1].possessive:
            return False
        if i is not None and self.governed(i):
            return False
        if _COLON.match(self.text, tokens[j - 1].end):
            return True
        k = self._skip_apposition(j)
        if k == j and not _PLAIN_GAP.fullmatch(self.text, tokens[j - 1].end, tokens[j].start):
            return False
        skipped: list[str] = []
        while k < len(tokens) and len(skipped) < 4 and tokens[k].lower in self.words["auxiliaries"]:
            if tokens[k].masked or k + 1 >= len(tokens) or not self.joined(k, k + 1, False):
                return False
            skipped.append(tokens[k].lower)
            k += 1
        if k >= len(tokens) or tokens[k].masked or not tokens[k].text[0].islower():
            return False
        return self._verb_after(tokens[k].lower, skipped, strict)

    @staticmethod
    def _verb_after(word: str, skipped: list[str], strict: bool) -> bool:
        """A verb the subject does: 'was preparing' yes, 'was attacked' (passive) no."""
        passive_voice = bool(_BE & set(skipped))
        if passive_voice:
            return word.endswith("ing") and word != "being"
        return is_verb(word, strict)

    def _skip_apposition(self, k: int) -> int:
        """'Qatar, which mediated the talks, said': the verb after the clause."""
        match = _RELATIVE_CLAUSE.match(self.text, self.tokens[k - 1].end)
        if not match:
            return k
        resume = match.end()
        return next((n for n in range(k, len(self.tokens)) if self.tokens[n].start >= resume), k)

    def acting_before(self, i: int) -> bool:
        """'according to Moscow', 'rejected by Kyiv'."""
        head = self.text[max(0, self.tokens[i].start - 20) : self.tokens[i].start]
        return bool(_AGENT_BEFORE.search(head))

    def acting_owner(self, j: int) -> bool:
        """'Russia’s demands', 'Erdogan’s invitation'."""
        tokens = self.tokens
        if j >= len(tokens) or not tokens[j - 1].possessive or tokens[j].masked:
            return False
        return tokens[j].lower in self.words["action_nouns"]

    def compute_acting(self, mention: Mention) -> None:
        mention.acting = (
            self.acting_after(mention.j, i=mention.i)
            or self.acting_before(mention.i)
            or self.acting_owner(mention.j)
        )

    # -- finder 1: forms the gazetteer knows --------------------------------------------------
    def find_known(self) -> None:
        k = 0
        while k < len(self.tokens):
            found = None if self.used[k] else self.gaz.match(self.tokens, k, self.text)
            if found is None:
                k += 1
                continue
            length, entry = found
            if entry.kind in ("place", "media"):
                for n in range(k, k + length):
                    self.used[n] = True
            else:
                mention = Mention(
                    k,
                    k + length,
                    self.tokens[k].start,
                    self.tokens[k + length - 1].end,
                    entry.kind,
                    entry.name,
                    capital=entry.capital,
                )
                self.add(mention)
            k += length

    # -- finder 2: 'the Belarusian Defense Ministry', 'Ukrainian forces' ----------------------
    def _phrase_after(self, k: int, list_name: str) -> int:
        """Length of the longest phrase of the named list starting at token k."""
        best = 0
        for size in range(1, 5):
            end = k + size
            if end > len(self.tokens) or any(self.used[n] for n in range(k, end)):
                break
            if any(not self.joined(n, n + 1, False) for n in range(k, end - 1)):
                break
            words = " ".join(t.lower for t in self.tokens[k:end])
            if words in self.words[list_name]:
                best = size
        return best

    def _country_of(self, k: int) -> tuple[str, Mention | None] | None:
        token = self.tokens[k]
        if token.text in self.lex.demonyms and not self.used[k]:
            return self.lex.demonyms[token.text], None
        mention = self.mention_at(k)
        if mention and mention.kind == "country" and token.possessive and mention.j == k + 1:
            return mention.name or "", mention
        return None

    def find_bodies(self) -> None:
        for k in range(len(self.tokens) - 1):
            country = self._country_of(k)
            if country is None or not self.joined(k, k + 1):
                continue
            name, owner = country
            size = self._phrase_after(k + 1, "gov_nouns")
            if size:
                self._add_government(k, size, name, owner)
                continue
            size = self._phrase_after(k + 1, "body_nouns") or self._headed_phrase(k + 1)
            if size and not self._name_follows(k + 1 + size):
                self._add_body(k, size, name, owner)

    def _headed_phrase(self, k: int) -> int:
        """'transport ministry', 'Investigative Committee': words ending in an organisation noun."""
        for size in range(1, 4):
            end = k + size
            if end > len(self.tokens) or any(self.used[n] for n in range(k, end)):
                return 0
            if size > 1 and not self.joined(end - 2, end - 1, False):
                return 0
            if not self.tokens[end - 1].text.isalpha():
                return 0
            if self.tokens[end - 1].lower in self.words["org_heads"]:
                return size
        return 0

    def _name_follows(self, k: int) -> bool:
        """'Ukraine’s grid operator Ukrenergo': the phrase only describes the name after it."""
        return k < len(self.tokens) and self.tokens[k].cap and self.joined(k - 1, k, False)

    def _demonym(self, country: str) -> str:
        return next((d for d, c in self.lex.demonyms.items() if c == country), country)

    def _add_body(self, k: int, size: int, country: str, owner: Mention | None) -> None:
        words = [t.text[0].upper() + t.text[1:] for t in self.tokens[k + 1 : k + 1 + size]]
        first = self.tokens[k].text if owner is None else self._demonym(country)
        if owner is not None:
            self.remove(owner)
        mention = Mention(
            k,
            k + 1 + size,
            self.tokens[k].start,
            self.tokens[k + size].end,
            "organization",
            " ".join([first, *words]),
        )
        self.add(mention)

    def _add_government(self, k: int, size: int, country: str, owner: Mention | None) -> None:
        mention = owner or Mention(
            k, k + 1, self.tokens[k].start, self.tokens[k].end, "country", country, link=False
        )
        if owner is None:
            self.add(mention)
        mention.acting = self.acting_after(k + 1 + size)
        for n in range(k + 1, k + 1 + size):
            self.used[n] = True

    # -- finder 3: organisations named by a capitalised run ending in 'Ministry', 'Party' ----
    def find_organizations(self) -> None:
        k = 0
        while k < len(self.tokens):
            end = self._capital_run(k)
            if end > k:
                self._organization_in(k, end)
            k = max(end, k + 1)

    def _capital_run(self, k: int) -> int:
        tokens = self.tokens
        if self.used[k] or not tokens[k].cap:
            return k
        end = k + 1
        while end < len(tokens) and not self.used[end] and self.joined(end - 1, end, False):
            token = tokens[end]
            if token.cap or (
                token.lower in ("of", "for", "and", "the", "on")
                and end + 1 < len(tokens)
                and (
                    tokens[end + 1].cap
                    and not self.used[end + 1]
                    and self.joined(end, end + 1, False)
                )
            ):
                end += 1
            else:
                break
        if end < len(tokens) and tokens[end - 1].possessive:
            return end
        return end

    def _organization_in(self, k: int, end: int) -> None:
        while k < end and (self.tokens[k].lower in self.words["stopwords"]):
            k += 1
        if end == k:
            return
        words = [t.lower for t in self.tokens[k:end]]
        heads = self.words["org_heads"]
        of_after_head = any(w in heads and "of" in words[n + 1 :] for n, w in enumerate(words))
        if words[-1] in heads or of_after_head:
            k = self._known_prefix(k)
            if end - k < 2:
                return
            name = self.span_text(k, end)
            self.add(
                Mention(
                    k, end, self.tokens[k].start, self.tokens[end - 1].end, "organization", name
                )
            )
        elif words[-1] in self.words["place_heads"] or words[-1] in self.words["event_words"]:
            for n in range(k, end):
                self.used[n] = True

    def _known_prefix(self, k: int) -> int:
        """'U.N. General Assembly', 'Israel Prison Service': a known name opens the run."""
        owner = self.mention_at(k - 1) if k else None
        if owner is None or owner.kind not in ("organization", "country") or owner.j != k:
            return k
        if not self.joined(k - 1, k, False):
            return k
        self.remove(owner)
        return owner.i

    # -- finder 4: people, with the role that introduces them -------------------------------
    def find_people(self) -> None:
        k = 0
        while k < len(self.tokens):
            known = self.mention_at(k)
            if known and known.kind in ("person", "single") and known.i == k:
                known.role = known.role or self._role_before(k)
                k = known.j
                continue
            end = self._name_run(k)
            if end > k:
                self._person(k, end)
                k = end
            else:
                k += 1

    def _name_run(self, k: int) -> int:
        tokens = self.tokens
        if self.used[k] or not self.nameish_at(k):
            return k
        end = k + 1
        while end < len(tokens) and end - k < 5 and not tokens[end - 1].possessive:
            if self.used[end] or not self.joined(end - 1, end, False):
                break
            if self.nameish_at(end):
                end += 1
            else:
                after = self._after_particles(end)
                if after == end:
                    break
                end = after + 1
        return end

    def _after_particles(self, k: int) -> int:
        """'von der' in 'Ursula von der Leyen': the index of the name word after them, else k."""
        n = k
        while (
            n < len(self.tokens) and n - k < 3 and self.tokens[n].lower in self.words["particles"]
        ):
            if n + 1 >= len(self.tokens) or not self.joined(n, n + 1, False):
                return k
            n += 1
        if k < n < len(self.tokens) and self.nameish(self.tokens[n]):
            return n
        return k

    def _person(self, k: int, end: int) -> None:
        role = self._role_before(k)
        single = end - k == 1
        kind = "single" if single and role is None else "person"
        mention = Mention(
            k,
            end,
            self.tokens[k].start,
            self.tokens[end - 1].end,
            kind,
            None if kind == "single" else self.span_text(k, end),
            role=role,
        )
        if role is None and not single:
            mention.role = self._role_after(end)
        if (
            single
            and role is None
            and k
            and self.tokens[k - 1].lower.rstrip(".") in (self.words["honorifics"])
        ):
            mention.kind = "person"
            mention.name = self.tokens[k].text
        self.add(mention)

    def _role_before(self, k: int) -> str | None:
        """The role just before a name: 'Russian Foreign Minister', 'Kremlin spokesman'."""
        tokens, start, heads, n = self.tokens, None, 0, k - 1
        while n >= 0 and not tokens[n].masked and self.joined(n, n + 1):
            token, lower = tokens[n], tokens[n].lower
            if token.possessive and not self._country_or_known(n):
                break
            if lower in _CONNECTORS:
                if start is None or n == 0 or not self.role_part(tokens[n - 1], n - 1):
                    break
            elif lower in self.words["role_heads"]:
                heads += 1
            elif not self.role_part(token, n) and not (start is not None and self._role_place(n)):
                break
            start, n = n, n - 1
        if start is None or heads == 0:
            return None
        while tokens[start].lower in _CONNECTORS:
            start += 1
        for m in self._mentions_in(start, k):
            self.remove(m)
        for index in range(start, k):
            self.used[index] = True
        return self.span_text(start, k)

    def _role_place(self, n: int) -> bool:
        """'Luhansk governor', 'Labour leader': a place or party naming whose role it is."""
        token = self.tokens[n]
        known_place = self.used[n] and self.mention_at(n) is None and not token.masked
        return known_place or (self.nameish(token) and not token.sentence_start)

    def _country_or_known(self, n: int) -> bool:
        return self._body_at(n) or self.tokens[n].text in self.lex.demonyms

    def _role_after(self, end: int) -> str | None:
        """'Dmitry Peskov, the Kremlin spokesman, said': the role in apposition."""
        tokens = self.tokens
        if end >= len(tokens) or not re.fullmatch(
            r",\s*", self.text[tokens[end - 1].end : tokens[end].start]
        ):
            return None
        n = end + (1 if tokens[end].lower in ("the", "a", "an") else 0)
        first, last_head = n, None
        while n < len(tokens) and n - first < 8 and not tokens[n].masked:
            if tokens[n].lower in self.words["role_heads"]:
                last_head = n
            elif not (self.role_part(tokens[n], n) or tokens[n].lower in _CONNECTORS):
                break
            if n + 1 < len(tokens) and not self.joined(n, n + 1):
                n += 1
                break
            n += 1
        if last_head is None or last_head != n - 1:
            return None
        for mention in self._mentions_in(first, last_head):
            if mention.kind in ("organization", "country"):
                self.remove(mention)  # 'the Kremlin spokesman': part of the role
        return self.span_text(first, n)

    # -- finder 5: acronyms nobody listed ('the SBU said') -----------------------------------
    def find_acronyms(self) -> None:
        for k, token in enumerate(self.tokens):
            if self.used[k] or not token.acronym or len(token.text.replace(".", "")) > 6:
                continue
            if token.lower.rstrip(".") in self.words["stopwords"]:
                continue
            mention = Mention(k, k + 1, token.start, token.end, "single")
            self.add(mention)

    def run(self) -> list[Mention]:
        self.find_known()
        self.find_bodies()
        self.find_organizations()
        self.find_people()
        self.find_acronyms()
        for mention in self.mentions:
            if not mention.acting:
                self.compute_acting(mention)
        self.mentions.sort(key=lambda m: m.start)
        return self.mentions

    # -- evidence that a lone unknown word names someone -------------------------------------
    def lone_name_evidence(self, mention: Mention) -> bool:
        tokens, k = self.tokens, mention.i
        token = tokens[k]
        previous = tokens[k - 1] if k and self.joined(k - 1, k, False) else None
        if self.acting_before(k) or self.acting_owner(mention.j):
            return True
        if previous is not None and (
            previous.lower in ("the", "a", "an") or previous.text.isdigit()
        ):
            return False
        if token.acronym:
            return self.acting_after(mention.j, strict=True)
        if token.possessive:
            return mention.j < len(tokens) and tokens[mention.j].lower in _OWNED
        if token.sentence_start:
            return self._plausible_start(token) and self.acting_after(mention.j, strict=True)
        if previous is not None and previous.lower in LOCATIVE:
            return False
        if self.acting_after(mention.j, strict=True):
            return True
        return previous is not None and previous.lower in _PERSON_CONTEXT

    def _plausible_start(self, token: Token) -> bool:
        """A capitalised first word that is not a common noun ('Shelling', 'Prices')."""
        lower = token.lower
        endings = (
            "ing",
            "tion",
            "sion",
            "ity",
            "ment",
            "ness",
            "ance",
            "ence",
            "ism",
            "ship",
            "s",
            "ure",
            "age",
            "ery",
        )
        return not lower.endswith(endings) and lower not in self.words["common_nouns"]

    def as_place(self, mention: Mention) -> bool:
        """'in Moscow', 'outside Downing Street', 'at the Pentagon': a place, not an actor."""
        if mention.kind not in ("organization", "country") or mention.acting:
            return False
        if mention.kind == "country" and not mention.capital:
            return False
        k = mention.i - (1 if mention.i and self.tokens[mention.i - 1].lower == "the" else 0)
        return k > 0 and self.tokens[k - 1].lower in _CAPITAL_LOCATIVE
