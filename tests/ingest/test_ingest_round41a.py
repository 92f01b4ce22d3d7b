"""Round 41a: missed actors (docs/ingest.md, "Round 41A")."""

from __future__ import annotations

import pytest

from .test_ingest_actors import names_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Valdorian Foreign Minister Pavel Orn is in Ostria this week for talks on the border.",
            "Pavel Orn",
        ),
        (
            "Foreign Minister Pavel Orn was in Valdoria on Tuesday, where he met the premier.",
            "Pavel Orn",
        ),
        ("Singer Tarik Vaslenko is back with a new album.", "Tarik Vaslenko"),
    ],
)
def test_a_visit_or_a_return_is_an_act(text: str, name: str) -> None:
    """'X is in <named place>', 'X is back with ...': a visit or a return, done (C2)."""
    assert name in names_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jo Hallan is in talks with the union.",
        "Jo Hallan is back in parliament after a recount.",
        "Pressure is building on Ostria's president to pardon heir Jo Hallan, who is back "
        "behind bars.",
        "Jo Hallan is the new mayor of Valdoria.",
    ],
)
def test_a_state_or_a_description_is_no_visit(text: str) -> None:
    """'is in talks', 'is back in parliament', 'back behind bars': no named place, no act."""
    assert "Jo Hallan" not in names_of(text)


def test_a_holder_named_after_the_title_s_phrase_acts_as_the_title() -> None:
    """'The Commissioner of Police in Selm State, Tarik Vaslenko, ordered ...': the parser
    hangs the name on the phrase's last body or place; it is the title's holder."""
    assert "Tarik Vaslenko" in names_of(
        "The Commissioner of Police in Selm State, Tarik Vaslenko, ordered a curfew."
    )


def test_the_author_of_figures_is_a_source() -> None:
    """'Data from the Selm Institute suggests ...': numbers and findings a body publishes
    make it a source, as a report does (C14)."""
    assert "Selm Institute" in names_of("Data from the Selm Institute suggests rents fell.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "It also quotes the Selm Chamber of Architects as saying the plan had failed.",
            "Selm Chamber of Architects",
        ),
        (
            "Lo cited Premier Tarik Vaslenko as telling the Cabinet that tests were scarce.",
            "Tarik Vaslenko",
        ),
        (
            "Tarik Vaslenko was quoted as telling the Cabinet that tests were scarce.",
            "Tarik Vaslenko",
        ),
    ],
)
def test_one_quoted_as_saying_speaks(text: str, name: str) -> None:
    """'quoted X as saying', 'X was quoted as telling': X is the speaker."""
    assert name in names_of(text)
