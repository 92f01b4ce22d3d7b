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


def test_a_clause_quoted_according_to_a_source_is_the_sources() -> None:
    """No speech verb: 'X “did Y”, according to Z' quotes Z's sentence (C7), not X's words."""
    assert quotes_of(
        "Premier Arvo Lind and his deputy “examined the new dam at Selm on Monday,” "
        "according to the Valdorian News Agency."
    ) == [("Valdorian News Agency", "examined the new dam at Selm on Monday,")]


def test_a_documents_words_stay_its_signers() -> None:
    """'according to' qualifies the signing, not the words: the document's signers said them."""
    assert quotes_of(
        "Premier Arvo Lind signed a document to “protect the dam against floods,” according "
        "to the Valdorian News Agency."
    ) == [("Arvo Lind", "protect the dam against floods,")]
