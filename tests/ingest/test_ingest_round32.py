"""Round 32: quotes not found (docs/ingest.md, "Round 32"): a straight closing mark after a
plural read as the plural's possessive."""

from __future__ import annotations

import pytest

from sitegen.ingest.quotes import find_quotes

from .test_ingest_quotes import quotes_of


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # the next straight mark opens a quote: the plural's mark closed the first one
        (
            "Lind hints at further 'hard choices' and economic 'restraint' in the budget.",
            ["hard choices", "restraint"],
        ),
        (
            "Kross accused them of 'subversive activities' and 'fuelling instability' in Selm.",
            ["subversive activities", "fuelling instability"],
        ),
        # the next straight mark is an apostrophe inside a word: it closes nothing
        (
            "Hale makes defiant 'fingernails' remarks; who supplies most of Ostria's arms?",
            ["fingernails"],
        ),
        (
            "The navy said it reflects 'a pattern of unsafe and dangerous' intercepts by "
            "Selm's air force.",
            ["a pattern of unsafe and dangerous"],
        ),
    ],
)
def test_a_plural_s_mark_closes_when_no_later_mark_can(text: str, found: list[str]) -> None:
    """A straight mark after a plural ('choices' and ...') was read as the plural's
    possessive whenever another straight mark followed; that later mark must be able to
    close the quote (after a word, not before one) for the possessive reading to stand."""
    assert [q.text for q in find_quotes(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a possessive inside a quote that closes later is still a possessive
        ("'The ministers' plan is bad,' Lind said.", ["The ministers' plan is bad,"]),
        ("'Lind and the workers' union agree', Kross said.", ["Lind and the workers' union agree"]),
        ("The ministers' plan is 'dead on arrival', Kross said.", ["dead on arrival"]),
        ("It's Lind's call, don't ask, the ministers' aides said.", []),
    ],
)
def test_a_possessive_inside_a_quote_stays_one(text: str, found: list[str]) -> None:
    assert [q.text for q in find_quotes(text)] == found


def test_the_two_quotes_reach_their_speaker() -> None:
    text = (
        "Foreign Office spokesperson Arvo Lind accused them of 'subversive activities' and "
        "'fuelling instability' in Selm."
    )
    assert quotes_of(text) == [
        ("Arvo Lind", "subversive activities"),
        ("Arvo Lind", "fuelling instability"),
    ]
