"""Round 40C: a speaker described only by the body or country it belongs to
(docs/ingest.md, "Round 40C")."""

from __future__ import annotations

from .test_ingest_quotes import quotes_of


def test_a_described_speaker_speaks_for_the_country_that_owns_the_description() -> None:
    """'Chile's chief statistician blamed “...”': no one is named in that post, so the
    words are said for Chile (C1), not for the speaker of the paragraph before."""
    assert quotes_of(
        "Premier Arvo Lind said on Monday that the talks were “useful”.",
        "Chile’s chief statistician blamed “pressures of structural adjustment” for the slowdown.",
    ) == [("Arvo Lind", "useful"), ("Chile", "pressures of structural adjustment")]
