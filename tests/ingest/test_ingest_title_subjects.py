"""A title that heads a speech verb's subject and the person it names (docs/ingest.md,
round 31): the name the parse made a second subject after the title, and a headline's one
person called by their office in the item's first sentence."""

from __future__ import annotations

import pytest

from .conftest import analysis_of


def quotes_of(*paragraphs: str) -> list[tuple[str | None, str]]:
    return [(q.actor, q.text) for q in analysis_of(*paragraphs).quotes]


def test_a_name_parsed_as_a_second_subject_after_its_title_speaks() -> None:
    """'‘Offer your hand, not judgment’, says Banka youth leader & social activist Sharad
    Kumar Yadav' (theprint): the parse gives 'says' two subjects, the title phrase first;
    the quote went to the place that modifies the title."""
    text = "“Offer your hand, not judgment”, says Selm youth leader & social activist Arvo Lind"
    assert quotes_of(text) == [("Arvo Lind", "Offer your hand, not judgment")]


def test_a_headline_person_is_the_office_the_first_sentence_names() -> None:
    """'Nasrallah: Israeli settlers screaming louder due to Hezbollah' over '“...,” the
    terrorist leader said' (jerusalem-post), 'Farage: ‘Amateurism’ cost Reform UK' over 'The
    party leader said' (the-telegraph, was another leader named before): the description
    names the headline's one person."""
    assert quotes_of(
        "Labour Party leader Arvo Lind met the unions in Selm on Monday.",
        "Vera Kross: Ostrian settlers screaming louder due to the Pact",
        "“The cries of the settlers grow louder because of our operations,” the party leader said.",
    ) == [("Vera Kross", "The cries of the settlers grow louder because of our operations,")]


@pytest.mark.parametrize(
    "description",
    [
        "the head of the Pact",  # names its own body: someone else
        "a party leader",  # not definite
        "the spokesman",  # speaks for another
    ],
)
def test_a_headline_person_is_not_every_description(description: str) -> None:
    """By the rules: the learned step may still choose the one name near."""
    analysis = analysis_of(
        "Vera Kross: Ostrian settlers screaming louder due to the Pact",
        f"“The cries of the settlers grow louder because of our operations,” {description} said.",
        model=None,
    )
    assert all(q.actor != "Vera Kross" for q in analysis.quotes)
