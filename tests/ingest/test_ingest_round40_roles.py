"""Round 40L: a person's role as the text gives it (docs/ingest.md, "Round 40L")."""

from __future__ import annotations

import pytest

from .ingest_scoring import score_roles
from .test_ingest_actors import actors_of


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        # an abbreviated title with its dot is a title
        ("Sen. Tova Brandt spoke about the bill.", "Tova Brandt", "Sen."),
        # a common noun in lower case right before the name says what the person is
        (
            "Selm Bureau demographer Ilse Varro told the Courier that it was sooner.",
            "Ilse Varro",
            "Selm Bureau demographer",
        ),
        ("Ostrian footballer Pavo Lenski said he would stay.", "Pavo Lenski", "Ostrian footballer"),
        # a courtesy title is no role: the apposition after the name gives it
        (
            "Mr Arvo Lind, the former prime minister, said he would not run.",
            "Arvo Lind",
            "former prime minister",
        ),
        ("Sir Arvo Lind said the plan would work.", "Arvo Lind", None),
        # an item's label before a bar is no part of the role (round 41L)
        ("Ostria | President Arvo Lind said he would not sign.", "Arvo Lind", "President"),
        # an apposition ends at its comma, not in the verb after it
        (
            "Mara Quell, adviser to President Arvo Lind, called the blast a provocation.",
            "Mara Quell",
            "adviser to President Arvo Lind",
        ),
    ],
)
def test_the_role_the_text_gives(text: str, name: str, role: str | None) -> None:
    assert (name, "person", role) in actors_of(text)


def test_a_titled_name_the_model_types_an_organisation_is_a_person() -> None:
    """'German Chancellor Olaf Scholz': the small model types some names after a title an
    organisation (ORG); two or three capitalised words the title hangs from are a person."""
    assert ("Olaf Scholz", "person", "German Chancellor") in actors_of(
        "German Chancellor Olaf Scholz said the talks would go on."
    )


def test_the_role_score_compares_found_actors_roles_with_the_gold() -> None:
    gold = {
        "file": "a.txt",
        "actors": ["Arvo Lind", "Mara Quell", "Ivo Rask", "Tova Brandt", "Selm"],
        "roles": {
            "Arvo Lind": "Ostrian Prime Minister",
            "Mara Quell": "Minneapolis Fed President",
            "Ivo Rask": "Mayor",
            "Tova Brandt": "Sen.",
        },
    }
    predicted = {
        "source": "raw/a.txt",
        "actors": [
            {"name": "Arvo Lind", "role": "Ostrian prime minister"},  # the same, any case
            {"name": "Mara Quell", "role": "Fed President"},  # within the gold's
            {"name": "Ivo Rask", "role": "Governor"},  # another
            {"name": "Tova Brandt", "role": None},  # none
            {"name": "Selm", "role": "City"},  # the gold gives none
            {"name": "Jo Park", "role": "Reporter"},  # not a gold actor: not counted
        ],
    }
    roles = score_roles([gold], [predicted])
    counts = (roles.gold, roles.same, roles.within, roles.other, roles.missing, roles.unasked)
    assert counts == (4, 1, 1, 1, 1, 1)
