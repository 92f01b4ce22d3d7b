"""Round 40L: a country or its capital before a colon that opens an item (docs/ingest.md)."""

from __future__ import annotations

import pytest

from .test_ingest_actors import names_of


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # the item's topic: the clause after the colon has a subject of its own
        (
            "France: Prime Minister Arvo Lind survived a confidence vote by 12 votes.",
            "Arvo Lind",
            "France",
        ),
        # a capital's dateline, as Indian papers open an item (the capital stands for India)
        (
            "New Delhi: The Supreme Court on Tuesday asked the government to reply.",
            "Supreme Court",
            "India",
        ),
    ],
)
def test_a_country_labelling_an_item_does_not_act(text: str, name: str, country: str) -> None:
    names = names_of(text)
    assert name in names
    assert country not in names


def test_a_country_whose_statement_follows_the_colon_acts() -> None:
    assert "France" in names_of("France: we will respond to any attack.")
