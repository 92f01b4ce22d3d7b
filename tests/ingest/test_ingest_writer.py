"""The writer: Markdown that shows the raw words exactly, atomic writes, backups."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import markdown
import pytest
import yaml

from sitegen.ingest.rawparse import RawBriefing, Section
from sitegen.ingest.textutil import Mention
from sitegen.ingest.writer import _summary, backup, escape, marked_up, title_of, write_atomic


def shown(markdown_text: str) -> str:
    """What a reader sees: rendered, tags dropped, entities decoded."""
    rendered = markdown.markdown(markdown_text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "1. not a list",
        "- not a bullet",
        "> not a quote",
        "<script>alert(1)</script> stays text",
        "a [link](http://x) and [[Not A Mention]]",
        "*stars* and _underscores_ and `ticks`",
        "AT&T and &amp; and {#anchor}",
        "back\\slash",
    ],
)
def test_escaped_text_reads_word_for_word(text: str) -> None:
    escaped = escape(text)
    assert "<script" not in markdown.markdown(escaped)
    assert "[[" not in escaped
    assert shown(escaped) == text


def test_mentions_become_links_and_keep_the_words() -> None:
    text = "Lavrov met 1. Peskov"
    mentions = [
        Mention(0, 1, 0, 6, "person", "Sergei Lavrov"),
        Mention(3, 4, 14, 20, "person", "Dmitry Peskov"),
    ]
    assert marked_up(text, mentions) == "[[Sergei Lavrov|Lavrov]] met 1. [[Dmitry Peskov|Peskov]]"
    assert marked_up("1. Lavrov", [Mention(1, 2, 3, 9, "person", "Lavrov")]) == "1\\. [[Lavrov]]"


def test_write_atomic_and_backup(tmp_path: Path) -> None:
    target = tmp_path / "content" / "briefings" / "a.md"
    write_atomic(target, "one\n")
    write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]  # no temporary left over
    saved = backup(target, tmp_path)
    assert saved.parent == tmp_path / ".sitegen-backups" / "content" / "briefings"
    assert saved.name.startswith("a.md.bak-") and saved.read_text() == "two\n"
    assert backup(target, tmp_path) != saved  # same second: a new name


def test_front_matter_is_plain_yaml(tmp_path: Path) -> None:
    from sitegen.ingest.actors import analyse, prepare_many
    from sitegen.ingest.gazetteer import Gazetteer
    from sitegen.ingest.lexicon import load_lexicon
    from sitegen.ingest.nlp import load_pipeline
    from sitegen.ingest.rawparse import parse_raw
    from sitegen.ingest.writer import render_briefing

    raw = "date 2022-01-27 NO deal: Moscow said “yes: no”.\n\nKEY POINTS\n\nNATO said “1984”."
    briefing = parse_raw(raw)
    nlp = load_pipeline()
    [prepared] = prepare_many([briefing.segments()], nlp)
    analysis = analyse(prepared, Gazetteer(load_lexicon(), [], nlp.tokenizer), "x.txt")
    text = render_briefing(briefing, analysis, "raw/x.txt")
    front = text.split("---\n")[1]
    assert "&" not in front and "*" not in front  # no anchors or aliases
    data = yaml.safe_load(front)
    assert list(data) == ["title", "date", "summary", "actors", "quotes", "source"]
    assert data["quotes"] == [
        {"actor": "Russia", "text": "yes: no"},
        {"actor": "NATO", "text": "1984", "item": 1},
    ]
    assert "\ndate: 2022-01-27\n" in text


def test_the_summary_is_not_the_headline_printed_twice() -> None:
    """A live page prints its headline above the page and again as its first entry: the
    title is the headline, the summary the first sentence of news after it."""
    headline = "Lind vetoes the budget bill"
    briefing = RawBriefing(
        dt.date(2019, 5, 21), None, headline, [],
        [Section("Live", [headline, "Arvo Lind vetoed the bill on Monday, his aides said."])],
        [], [],
    )  # fmt: skip
    assert title_of(briefing) == headline
    assert _summary(briefing) == "Arvo Lind vetoed the bill on Monday, his aides said."
