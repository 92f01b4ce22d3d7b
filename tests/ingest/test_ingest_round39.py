"""Round 39a: missed actors (docs/ingest.md, "Round 39A")."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from sitegen.ingest.syntax import _initials_after_the

from .test_ingest_actors import names_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mara Tillsen has more.", "Mara Tillsen"),
        ("Colm Aherny has the latest from Selm.", "Colm Aherny"),
        ("The Valdoria Ledger has a story on how the port was sold.", "Valdoria Ledger"),
    ],
)
def test_a_presenter_who_has_the_report_is_a_source(text: str, name: str) -> None:
    """'has more', 'has the latest', 'has a story on ...': 'have' with a piece of reporting
    for its object presents a report (C6: a source), not a possession."""
    assert name in names_of(text)


@pytest.mark.parametrize(
    "text",
    ["Mara Tillsen has a house in Selm.", "Colm Aherny does not have the details."],
)
def test_what_someone_has_is_no_act(text: str) -> None:
    assert names_of(text) == []


def test_a_passive_agent_the_model_took_for_a_place_acts() -> None:
    """'carried out by Pollvana': the model types the unknown name a place (GPE); a
    passive's agent does the act, and a place is none, so it is a body."""
    assert "Pollvana" in names_of(
        "The survey, carried out by Pollvana, shows support for the party."
    )


def test_a_name_whose_last_word_is_a_title_is_a_person() -> None:
    """'Marten King', like 'Ross Lord' or 'Hun Sen': a surname that is also a title after a
    given name is still a person's name, not a title alone."""
    assert "Marten King" in names_of("Marten King said the vote would go ahead.")


def test_a_title_of_two_words_stays_a_title() -> None:
    assert names_of("The Vice President said the vote would go ahead.") == []


def test_two_capitals_after_the_are_a_body() -> None:
    """'the DA', 'the FT': a body's initials, which a word of two capitals alone is not
    (the model types invented initials itself; this reads the words as the rule does)."""
    doc = Doc(
        spacy.blank("en").vocab, words=["The", "KD", "has", "complained", "and", "KD", "left", "."]
    )
    assert _initials_after_the(doc[1])
    assert not _initials_after_the(doc[5]) and not _initials_after_the(doc[0])


def test_a_sponsor_the_text_brings_to_the_reader_does_not_act() -> None:
    """'brought to you by Selmco': a sponsor's credit addressed to the reader (a credit
    line: GUIDELINES), not a passive's agent who acts."""
    assert names_of("This episode was brought to you by Selmco.") == []
