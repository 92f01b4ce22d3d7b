"""Round 41L: a page's title is read for actors and quotes as a lead is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

RAW = (
    "Selm says the talks will \u201cresume soon\u201d\n"
    "March 3, 2026\n\n"
    "The talks between Ostria and Valdoria broke off on Monday night.\n\n"
    "KEY POINTS\n\n"
    "- Foreign Minister Arvo Lind flew home.\n"
    "- Envoy Mira Hale said the {second} would meet again.\n"
)


def _written(site: Path) -> tuple[dict, str]:
    [page] = (site / "content" / "briefings").iterdir()
    _, front, body = page.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_a_titles_speaker_and_quote_are_found(ingest, raw: Callable, site: Path) -> None:
    result = ingest(raw("brief.txt", RAW.format(second="delegations")))
    assert result.code == 0, result.err
    front, body = _written(site)
    assert front["title"] == "Selm says the talks will \u201cresume soon\u201d"
    assert "Selm" in front["actors"]
    assert {"actor": "Selm", "text": "resume soon"} in front["quotes"]
    # the title names Selm alone: its words stay in the body, where the link is
    assert body.lstrip().startswith("[[Selm]] says the talks")


def test_a_title_whose_actors_are_named_again_is_not_repeated_in_the_body(
    ingest, raw: Callable, site: Path
) -> None:
    result = ingest(raw("brief.txt", RAW.format(second="Selm delegation")))
    assert result.code == 0, result.err
    _, body = _written(site)
    assert body.lstrip().startswith("The talks between Ostria")


def test_a_lead_that_is_the_headline_under_a_junk_title_line_is_not_repeated(
    ingest, raw: Callable, site: Path
) -> None:
    """'logo' over a date line is the title line but reads as no title: the lead is the
    page's headline, and it was left in the body once the title line was read."""
    text = (
        "logo\nMarch 3, 2026\n\nLind concedes defeat in Selm vote\n\n"
        "President Arvo Lind conceded on Monday.\n\n- Mira Hale thanked voters.\n- Turnout rose.\n"
    )
    result = ingest(raw("2026-03-03.txt", text))
    assert result.code == 0, result.err
    front, body = _written(site)
    assert front["title"] == "Lind concedes defeat in Selm vote"
    assert body.lstrip().startswith("President [[Arvo Lind]] conceded")
