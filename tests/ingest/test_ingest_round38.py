"""Round 38: a person's name as the text writes it in full (docs/ingest.md, "Round 38")."""

from __future__ import annotations

import pytest

from .test_ingest_actors import names_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Taimur Saleem Khan Jhagovi said the plan had failed.", "Taimur Saleem Khan Jhagovi"),
        ("As Mike Le Corvan reports, there are questions about the plan.", "Mike Le Corvan"),
    ],
)
def test_given_names_the_model_leaves_out_are_part_of_the_name(text: str, name: str) -> None:
    """The model may start a name at its last words ('Khan Jhagovi'); the given names the
    parse hangs from it are taken back, and a function word before a name is no title
    glued to it ('As Mike ...')."""
    assert name in names_of(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The film star Shah Rukh Khanov spoke about the issue on Monday.", "Shah Rukh Khanov"),
        ("Engineer Henry Alcavar said the works would finish in May.", "Henry Alcavar"),
        ("Secretary of Defense Ben Wallorn said the drills were defensive.", "Ben Wallorn"),
        ("Petroleum Minister Hardeep Singh Vadrani conceded that prices would rise.",
         "Hardeep Singh Vadrani"),
    ],
)  # fmt: skip
def test_english_words_and_titles_before_a_name_stay_out_of_it(text: str, name: str) -> None:
    """A common noun, a title or a portfolio before a name is not a given name."""
    assert name in names_of(text)
