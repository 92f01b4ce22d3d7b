"""A title that heads a speech verb's subject and the person it names (docs/ingest.md,
round 31): the name the parse made a second subject of the verb, after the title."""

from __future__ import annotations

from .conftest import analysis_of


def quotes_of(*paragraphs: str) -> list[tuple[str | None, str]]:
    return [(q.actor, q.text) for q in analysis_of(*paragraphs).quotes]


def test_a_name_parsed_as_a_second_subject_after_its_title_speaks() -> None:
    """'‘Offer your hand, not judgment’, says Banka youth leader & social activist Sharad
    Kumar Yadav' (theprint): the parse gives 'says' two subjects, the title phrase first;
    the quote went to the place that modifies the title."""
    text = "“Offer your hand, not judgment”, says Selm youth leader & social activist Arvo Lind"
    assert quotes_of(text) == [("Arvo Lind", "Offer your hand, not judgment")]
