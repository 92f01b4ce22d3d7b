"""Round 40b: false actors (docs/ingest.md, "Round 40B")."""

from __future__ import annotations

import pytest

from .test_ingest_actors import actors_of, names_of


def test_a_common_word_opening_the_sentence_is_no_part_of_a_name() -> None:
    """'Crossbenchers Tam Velder, ...': the model ran the plural that opens the sentence into
    the person's name after it."""
    names = names_of(
        "Crossbenchers Tam Velder, Ora Kestin and Bo Kettle yesterday put out a joint call for"
        " a new port."
    )
    assert "Tam Velder" in names
    assert "Crossbenchers Tam Velder" not in names


def test_the_subject_of_for_and_an_infinitive_does_not_act() -> None:
    """'for Valdoria to withdraw': an act wanted or demanded, not done (C2)."""
    assert names_of("The mayor called for Valdoria to withdraw its troops.") == []


@pytest.mark.parametrize(
    "paragraphs",
    [
        (
            "Tarvik Osmane called on the council to hold a fair vote.",
            "Tarvik virtually addressed the closing session of the traders' union.",
        ),
        (
            "Wang Ting-hsu, a Valdorian lawmaker, said the bill was flawed.",
            "Wang urged the council to act.",
        ),
    ],
)
def test_an_acting_persons_first_word_typed_a_company_is_that_person(
    paragraphs: tuple[str, str],
) -> None:
    """'Tarvik' (a given name) or 'Wang' (a family name written first), typed as a company,
    in a briefing whose one acting person's name opens with it: that person."""
    actors = actors_of(*paragraphs)
    assert len(actors) == 1
    assert actors[0][1] == "person"


def test_a_topic_of_common_words_before_a_colon_makes_no_claim() -> None:
    """'Sky Hunters: ...': a label of English common words before a colon is a topic, not
    a person's statement (C16 stays for names: 'Lind: talks will resume')."""
    assert names_of("Sky Hunters: Valdorian border guards shoot down drones") == []
