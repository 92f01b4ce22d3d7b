"""Round 40a: missed actors (docs/ingest.md, "Round 40A")."""

from __future__ import annotations

import pytest

from .test_ingest_actors import names_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Valdoria’s ambassador to the United States Pavel Orn said relations were in crisis.",
            "Pavel Orn",
        ),
        (
            "Spokesman of the Velm Information-Analytical Center Tarik Vaslenko said at a "
            "briefing that the front was stable.",
            "Tarik Vaslenko",
        ),
        (
            "Deputy Chairman of the State Agency for Tourism and Resorts Pavlo Drenin told "
            "reporters on Tuesday that tourists were gone.",
            "Pavlo Drenin",
        ),
    ],
)
def test_a_holder_run_into_the_body_of_the_title_acts(text: str, name: str) -> None:
    """'<title> of/to <body or place> <Given Surname> said': the model runs the holder's
    name into the body's or the place's name (one organisation, or no entity at all); the
    holder is the person named at the end, and does what the title does."""
    names = names_of(text)
    assert name in names
    assert not any(n != name and n.endswith(name) for n in names)


def test_a_title_before_the_name_is_no_body() -> None:
    """'a spokesman for Senate Majority Leader Tamsin Orly': the name after a title is
    that title's holder, someone the spokesman speaks for, not the one who speaks."""
    assert "Tamsin Orly" not in names_of(
        "A spokesman for Senate Majority Leader Tamsin Orly said the vote would wait."
    )


def test_a_holder_the_parse_lists_with_the_title_acts_as_the_title() -> None:
    """'Turkey's Ambassador in Baku Hulusi Yelmaz and other dignitaries attended': the parse
    makes the name a conjunct of the title it holds; the name is the title's holder (one
    person, not 'Baku Hulusi Yelmaz')."""
    names = names_of(
        "Azerbaijani President Orlan Vesk, Turkey's Ambassador in Baku Hulusi Yelmaz and "
        "other dignitaries attended the ceremony."
    )
    assert "Hulusi Yelmaz" in names
    assert "Baku Hulusi Yelmaz" not in names
