"""Round 39C: quotes credited by the verb that names the words, and by the source a quoted
clause is taken from (docs/ingest.md, "Round 39C")."""

from __future__ import annotations

import pytest

from .test_ingest_quotes import quotes_of


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (  # the naming verb's subject describes the other's demands in its own words
            "Arvo Lind called Ostria's demands “absurd and dangerous” on Monday.",
            [("Arvo Lind", "absurd and dangerous")],
        ),
        (  # a speech noun's clause is its author's words
            "Bo Hale rejected Vera Kross's claim that “the budget is balanced” on Monday.",
            [("Vera Kross", "the budget is balanced")],
        ),
    ],
)
def test_a_speech_noun_named_by_a_verb_is_the_namers_words(
    paragraph: str, expected: list[tuple[str, str]]
) -> None:
    """'X called Y's demands “...”': the quote is X's description, not Y's demand."""
    assert quotes_of(paragraph) == expected
