"""Round 41b: false actors (docs/ingest.md, "Round 41B")."""

from __future__ import annotations

import pytest

from .test_ingest_actors import names_of


def test_a_title_in_apposition_has_its_holder_whatever_the_models_type() -> None:
    """'X, the director general of the Council, said': X holds the title and speaks; the
    council does not act, even where the model typed X's name as a body (C17)."""
    names = names_of(
        "Daily Ledger says Maja Tegmark Lindell, the director general of the Selm Council for"
        " Arts and Culture, said work is under way."
    )
    assert "Maja Tegmark Lindell" in names
    assert "Selm Council for Arts and Culture" not in names


@pytest.mark.parametrize(
    "text",
    [
        "The appeals court found Tarvo Lindqvist guilty of fraud on Monday.",
        "A 1934 decree made the Selm Basilica a museum.",
        "The treaty of 1921 made Valdoria a client state.",
    ],
)
def test_the_subject_of_a_complement_without_a_verb_does_not_act(text: str) -> None:
    """'found X guilty', 'made X a museum': X is what the verb's subject judges or makes it,
    not an actor; a country there is no clause's subject either."""
    assert names_of(text) == []


def test_the_partner_of_a_meeting_someone_is_ready_for_does_not_act() -> None:
    """'ready to meet X': no meeting has taken place; a scheduled one still counts (C4)."""
    assert names_of("Ravi Selm said he was ready to meet Valdorian President Arvo Lind.") == [
        "Ravi Selm"
    ]
    assert "Bea Kross" in names_of("Arvo Lind is set to meet Bea Kross on Friday.")


def test_the_owner_in_a_passive_of_owning_does_not_act() -> None:
    """'owned by X': a possession, a condition and no act (C2)."""
    assert names_of("The paper, owned by the Selmco Group, will close in May.") == []


def test_what_is_hosted_is_no_guest_unless_a_person() -> None:
    """'hosting the Selm Economic Ministers Meeting': an event; 'hosted Arvo Lind': a guest."""
    assert names_of("Valdoria is hosting the Selm Economic Ministers Meeting through Tuesday.") == [
        "Valdoria"
    ]
    assert "Arvo Lind" in names_of("Valdoria hosted Ostrian President Arvo Lind on Monday.")


def test_the_object_of_an_imperative_meet_does_not_act() -> None:
    """'Meet the ...': the reader is addressed; nobody meets anyone."""
    assert names_of("Meet the Selm Rovers, the club taking on the league.") == []
