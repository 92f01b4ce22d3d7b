"""Round 30: required actors the parse reads as not acting (docs/ingest.md, "Round 30")."""

from __future__ import annotations

import pytest

from .test_ingest_actors import names_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The former soldier took 51.8% of the vote, prompting incumbent Arvo Lind to vow "
            "to contest the result.",
            "Arvo Lind",
        ),
        (
            "The absence of direction led Vietnam to say that it is scaling back its search.",
            "Vietnam",
        ),
        (
            "Fears of a slump seem to have persuaded the Monetary Policy Committee to leave "
            "things as they are.",
            "Monetary Policy Committee",
        ),
        ("The scandal forced Arvo Lind to resign.", "Arvo Lind"),
    ],
)
def test_the_object_of_a_causative_verb_does_the_infinitive(text: str, name: str) -> None:
    """'prompting X to vow', 'led X to say', 'persuaded X to leave', 'forced X to resign':
    the verb says its object did what the infinitive names, so the object acts."""
    assert name in names_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "World leaders failed to persuade Arvo Lind to sign a joint statement.",  # not done
        "The failure of the bank may well lead Arvo Lind to ease off.",  # only possible
        "The crisis did not prompt Arvo Lind to resign.",  # negated
        "Valdoria urged Arvo Lind to resign.",  # asked for, not done: no causative verb
        "Officials asked Arvo Lind to step down.",
    ],
)
def test_an_object_asked_or_not_made_to_act_does_not_act(text: str) -> None:
    assert "Arvo Lind" not in names_of(text)
