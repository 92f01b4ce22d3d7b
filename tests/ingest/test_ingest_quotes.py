"""Quotes: every quoted passage, with its speaker or with none."""

from __future__ import annotations

import pytest

from sitegen.ingest.actors import analyse, prepare
from sitegen.ingest.gazetteer import Gazetteer
from sitegen.ingest.lexicon import load_lexicon
from sitegen.ingest.quotes import find_quotes


def quotes_of(*paragraphs: str) -> list[tuple[str | None, str]]:
    gazetteer = Gazetteer(load_lexicon(), [])
    analysis = analyse(prepare([(p, None) for p in paragraphs]), gazetteer, "test.txt")
    return [(q.actor, q.text) for q in analysis.quotes]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("He said “curly” words.", ["curly"]),
        ('He said "straight" words.', ["straight"]),
        ('He said "mixed” words.', ["mixed"]),
        ("She said ‘British style’ and Ukraine’s ‘second’.", ["British style", "second"]),
        ("It isn’t a quote, it’s Russia’s.", []),
        ("“Runs on to the next paragraph", ["Runs on to the next paragraph"]),
    ],
)
def test_find_quotes(text: str, found: list[str]) -> None:
    assert [q.text for q in find_quotes(text)] == found


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ["Russian Foreign Minister Sergei Lavrov said “no deal.”"],
            [("Sergei Lavrov", "no deal.")],
        ),
        (["“No deal,” said Kremlin spokesman Dmitry Peskov."], [("Dmitry Peskov", "No deal,")]),
        (
            ["“No deal,” Kremlin spokesman Dmitry Peskov said, but added: “Let's wait.”"],
            [("Dmitry Peskov", "No deal,"), ("Dmitry Peskov", "Let's wait.")],
        ),
        (
            ["The Belarusian Defense Ministry said: “Troops will leave.”"],
            [("Belarusian Defense Ministry", "Troops will leave.")],
        ),
        (["Sergei Lavrov spoke. “It is over,” he said."], [("Sergei Lavrov", "It is over,")]),
        (
            ["Prices rose, according to NATO Secretary-General Jens Stoltenberg: “A hard winter.”"],
            [("Jens Stoltenberg", "A hard winter.")],
        ),
        (
            ["NATO and the U.S. have called the demands “non-starters.”"],
            [("NATO", "non-starters.")],
        ),
        (
            ["Sergei Aksyonov, the Russian-installed head of Crimea, said that “all is calm”."],
            [("Sergei Aksyonov", "all is calm")],
        ),
        (["“Talks failed,” officials said."], [(None, "Talks failed,")]),
        (["The deal includes a “dynamic” corridor."], [(None, "dynamic")]),
        (
            ["“We will fight. We will win,” President Volodymyr Zelenskiy said. “Never give up.”"],
            [
                ("Volodymyr Zelenskiy", "We will fight. We will win,"),
                ("Volodymyr Zelenskiy", "Never give up."),
            ],
        ),
        (
            [
                "Russian President Vladimir Putin spoke.",
                "Belarusian President Alexander Lukashenko agreed.",
                "“A stab in the back,” the Russian president said.",
            ],
            [("Vladimir Putin", "A stab in the back,")],
        ),
        (
            ["German Chancellor Olaf Scholz said: “The first part", "“and the second part.”"],
            [("Olaf Scholz", "The first part"), ("Olaf Scholz", "and the second part.")],
        ),
    ],
)
def test_attribution(paragraphs: list[str], expected: list[tuple[str | None, str]]) -> None:
    assert quotes_of(*paragraphs) == expected
