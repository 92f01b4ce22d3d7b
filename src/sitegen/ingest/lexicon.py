"""The package's word lists (data/*.txt, data/lexicon.json), loaded once.

The finders in actors.py and quotes.py know no names of their own: everything they know
about countries, capitals, organisations, roles and verbs comes from these files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Known:
    """A name the package knows: what it stands for and whether it can act."""

    name: str  # canonical name ("Russia")
    kind: str  # country | organization | place | media
    capital: bool = False  # "Moscow": the government when it acts, a place otherwise
    region: bool = False  # "Texas": its authorities when it acts, a place otherwise (C12)


@dataclass(frozen=True)
class Lexicon:
    known: dict[str, Known]  # surface form -> what it names
    demonyms: dict[str, str]  # "Russian" -> "Russia"
    adjective_of: dict[str, str]  # "Russia" -> "Russian" (the first demonym listed)
    words: dict[str, frozenset[str]]  # lexicon.json lists, lower case
    credit_patterns: tuple[str, ...]
    dateline_places: frozenset[str]  # in capitals: "SEOUL", "NEW YORK" (casing.py)

    @property
    def acronyms(self) -> frozenset[str]:
        """Known forms written in capitals ('NATO', 'BBC'): never re-cased (casing.py)."""
        return _capital_forms(tuple(self.known))


def words(text: str) -> frozenset[str]:
    """A set of words written as one string ("in at near ...")."""
    return frozenset(text.split())


def _data_lines(name: str) -> list[str]:
    text = (
        resources.files("sitegen.ingest")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _split(field: str) -> list[str]:
    return [part.strip() for part in field.split(";") if part.strip()]


def _countries(known: dict[str, Known], demonyms: dict[str, str]) -> dict[str, str]:
    """Fills the known forms and the demonyms; returns each country's adjective for naming
    its bodies: the first listed, which may be the name itself ('Myanmar military' ->
    `Myanmar Armed Forces`, as news text writes it), never a demonym then."""
    adjective_of: dict[str, str] = {}
    for line in _data_lines("countries.txt"):
        name, aliases, adjectives, capitals = [*line.split("|"), "", "", ""][:4]
        name = name.strip()
        for form in [name, *_split(aliases)]:
            known[form] = Known(name, "country")
        for capital in _split(capitals):
            known[capital] = Known(name, "country", capital=True)
        for adjective in _split(adjectives):
            adjective_of.setdefault(name, adjective)
            if adjective != name:
                demonyms[adjective] = name
    return adjective_of


def _organizations(known: dict[str, Known]) -> None:
    for line in _data_lines("organizations.txt"):
        name, aliases = [*line.split("|"), ""][:2]
        name = name.strip()
        for form in [name, *_split(aliases)]:
            known.setdefault(form, Known(name, "organization"))


def _places(known: dict[str, Known]) -> None:
    for line in _data_lines("places.txt"):
        for place in _split(line):
            known.setdefault(place, Known(place, "place"))


def _regions(known: dict[str, Known]) -> None:
    for line in _data_lines("regions.txt"):
        for region in _split(line):
            known.setdefault(region, Known(region, "place", region=True))


def _dateline_places(known: dict[str, Known]) -> frozenset[str]:
    """Every form a dateline may take, in capitals: datelines.txt's cities, capitals, places."""
    cities = [city for line in _data_lines("datelines.txt") for city in _split(line)]
    places = [form for form, what in known.items() if what.capital or what.kind == "place"]
    return frozenset(form.upper() for form in [*cities, *places])


@cache
def _capital_forms(forms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f for f in forms if any(c.isalpha() for c in f) and f.upper() == f)


@cache
def load_lexicon() -> Lexicon:
    known: dict[str, Known] = {}
    demonyms: dict[str, str] = {}
    adjective_of = _countries(known, demonyms)
    _organizations(known)
    _places(known)
    _regions(known)
    raw = json.loads(
        resources.files("sitegen.ingest")
        .joinpath("data")
        .joinpath("lexicon.json")
        .read_text("utf-8")
    )
    for outlet in raw["media"]:
        known.setdefault(outlet, Known(outlet, "media"))
    words = {
        key: frozenset(w.lower() for w in value)
        for key, value in raw.items()
        if isinstance(value, list) and key not in ("media", "credit_patterns")
    }
    return Lexicon(
        known,
        demonyms,
        adjective_of,
        words,
        tuple(raw["credit_patterns"]),
        _dateline_places(known),
    )
