"""Round 41b: false actors (docs/ingest.md, "Round 41B")."""

from __future__ import annotations

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


def test_the_subject_of_an_adjective_complement_does_not_act() -> None:
    """'found X guilty': X is what the court judges, not an actor."""
    assert names_of("The appeals court found Tarvo Lindqvist guilty of fraud on Monday.") == []


def test_the_partner_of_a_meeting_someone_is_ready_for_does_not_act() -> None:
    """'ready to meet X': no meeting has taken place; a scheduled one still counts (C4)."""
    assert names_of("Ravi Selm said he was ready to meet Valdorian President Arvo Lind.") == [
        "Ravi Selm"
    ]
    assert "Bea Kross" in names_of("Arvo Lind is set to meet Bea Kross on Friday.")

