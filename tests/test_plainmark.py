"""plainmark.py: plain paragraphs written exactly as Python-Markdown writes them.

Every accepted text is compared with stock `markdown.Markdown(...).convert`
(tests/tools/stock_markdown.py): hand-picked shapes, every briefing of the example and golden
sites, and a few thousand generated texts built from the pieces that trip Markdown up
(tests/test_markdown_fidelity.py does the same over more seeds and a benchmark corpus).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from sitegen.body import mention_key
from sitegen.diagnostics import Diagnostics
from sitegen.markup import MarkdownRenderer
from sitegen.model import build_briefing, build_registry
from sitegen.plainmark import NEUTRAL_EXTENSIONS, Declined, PlainParagraphs, _emphasis, _escape
from sitegen.source import load_file, load_files, markdown_files
from tests.tools.stock_markdown import stock_blocks

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXTENSIONS = ("tables", "fenced_code", "sane_lists")
ACTORS = {"known": "/actors/known/", "nato": "/actors/nato/"}


def resolve(target: str) -> str | None:
    return ACTORS.get(mention_key(target))


def stock(texts: list[str], extensions=DEFAULT_EXTENSIONS, references: str = "") -> list[str]:
    return stock_blocks(texts, references, extensions, resolve)


def plain(extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> PlainParagraphs:
    fast = MarkdownRenderer(extensions, resolve)
    assert fast._plain is not None
    return fast._plain


ACCEPTED = [
    "Plain prose, with commas; colons: and a full stop.",
    "**Courts.** A bold lead-in, then *emphasis* and **strong** words.",
    "[[NATO]] said so, and [[Known|the known one]] agreed.",
    "**[[NATO]]** in bold, and *[[Known]]* in italics.",
    "Read [live updates](https://example.com/2022/01/27/live?a=1&b=2) here.",
    "A link with [*emphasis* inside](https://example.org/a_b*c*) works.",
    "Two lines\nin one paragraph, with “curly quotes” and ’apostrophes’.",
    "AT&T and R&D, 3 > 2, \"straight quotes\" and 'single' ones.",
    "Zoë Müller-Brandt, Dağdelen, Śliwińska: İlkay Yılmaz.",
    "Prices rose 5% (from $3 to $3.15) on Jan. 27 #energy {not an anchor}.",
    "2*3*4 is intraword emphasis in Python-Markdown.",
    "A relative [link](/actors/nato/) and a [mail](mailto:press@example.org).",
]

DECLINED = [
    "`code` spans",
    "snake_case words",
    "a backslash \\* escape",
    "raw <b>HTML</b>",
    "an entity &amp; here",
    "a [reference] link",
    "a [text][id] reference",
    "an ![image](pic.png)",
    "an [[Unknown Actor]] mention",
    "an unsafe [link](javascript:alert(1))",
    "***both*** at once",
    "a lone * star",
    "an *unclosed emphasis",
    "nested *em **strong** em*",
    "* a list entry",
    "1. a numbered entry",
    "# a heading",
    "Setext heading\n--",
    "> a quote",
    "    indented code",
    " leading space",
    "trailing space ",
    "line break  \nhere",
    "two\n\nparagraphs",
    "a | table | row",
    "~~strike~~",
    "tab\there",
    "a [link to [[Known]]](http://e.org) naming an actor",
    "a [link]([[Known]]) to a mention",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_texts_match_python_markdown(text: str) -> None:
    fast = MarkdownRenderer(DEFAULT_EXTENSIONS, resolve)
    assert fast._plain is not None
    assert fast._plain.render_blocks([text]) is not None, text
    assert fast.render_blocks([text]) == stock([text])


@pytest.mark.parametrize("text", DECLINED)
def test_declines_what_it_does_not_write(text: str) -> None:
    assert plain().render_blocks([text]) is None
    # and one declined block sends the whole briefing to Python-Markdown
    assert plain().render_blocks([ACCEPTED[0], text]) is None


@pytest.mark.parametrize(
    "text", ["See [the [[Known]] report](http://e.org/a) now.", "See [it]([[Known]]) now."]
)
def test_a_mention_in_a_link_is_written_as_python_markdown_writes_it(text: str) -> None:
    """A mention in a link's text (or its URL) left the stand-in for its HTML, the control
    characters \x02 and \x03 around a number, in the page ('the \x020\x03 report')."""
    got = MarkdownRenderer(DEFAULT_EXTENSIONS, resolve).render_blocks([text])
    assert "\x02" not in got[0] and "\x03" not in got[0]
    assert got == stock([text])


def test_link_references_go_to_python_markdown() -> None:
    fast = MarkdownRenderer(DEFAULT_EXTENSIONS, resolve)
    texts = ["See [the text][doc] and [doc]."]
    references = '[doc]: https://example.org/doc "Doc"'
    assert fast.render_blocks(texts, references) == stock(texts, references=references)
    assert 'title="Doc"' in fast.render_blocks(texts, references)[0]


@pytest.mark.parametrize("extension", ["smarty", "abbr", "nl2br"])
def test_extensions_that_change_text_turn_the_plain_path_off(extension: str) -> None:
    fast = MarkdownRenderer((*DEFAULT_EXTENSIONS, extension), resolve)
    assert fast._plain is None
    assert NEUTRAL_EXTENSIONS.isdisjoint({extension})


def _site_briefing_texts(site: Path) -> list[tuple[list[str], str]]:
    diags = Diagnostics(root=site)
    _, lookup = build_registry(load_files(markdown_files(site / "content/actors"), diags), diags)
    found = []
    for path in markdown_files(site / "content/briefings"):
        briefing = build_briefing(load_file(path, diags), lookup, diags)
        assert briefing is not None
        found.append(([b.text for b in briefing.blocks], briefing.references))
    return found


@pytest.mark.parametrize("site", [ROOT, ROOT / "tests/golden/site"], ids=["example", "golden"])
def test_every_example_briefing_matches_python_markdown(site: Path) -> None:
    fast = MarkdownRenderer(DEFAULT_EXTENSIONS, resolve)
    briefings = _site_briefing_texts(site)
    assert briefings
    for texts, references in briefings:
        assert fast.render_blocks(texts, references) == stock(texts, references=references)


# Pieces that start or end Markdown constructs, mixed with words and mentions.
PIECES = [
    "w", "Zoë", " ", " ", "\n", "*", "**", "*", "[[Known]]", "[[Known|s *o*]]",
    "[l](http://e.org/*a*)", "[*e*](/p?a=1&b=2)", "[**s** x](http://e.org)", "](http://e.org)",
    "&", ">", '"',
    "'", "#", "-", "1.", "=", ":", ".", "!", "(", ")", "%", "{", "}", "+", "&x", "&#", ";",
    "[", "]", "\u00a0", "\u2028", "\x0b", "\x0c", "\x85",
]  # fmt: skip


@pytest.mark.parametrize("extensions", [DEFAULT_EXTENSIONS, tuple(sorted(NEUTRAL_EXTENSIONS))])
def test_generated_texts_match_python_markdown(extensions: tuple[str, ...]) -> None:
    fast = MarkdownRenderer(extensions, resolve)
    assert fast._plain is not None
    rng = random.Random(20221027)
    accepted = 0
    for _ in range(4000):
        texts = [
            "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
            for _ in range(rng.randint(1, 2))
        ]
        got = fast._plain.render_blocks(texts)
        if got is None:
            continue
        accepted += 1
        assert got == stock(texts, extensions), texts
    assert accepted > 500  # enough of the generated texts take the plain path to mean something


def _emphasis_by_runs(text: str) -> str | None:
    """_emphasis as a walk over the runs of stars (as it was written before its regular
    expression): the reference its shortcut must agree with; None for declined."""
    out: list[str] = []
    position = 0
    opener: re.Match | None = None
    for run in re.finditer(r"\*+", text):
        stars = run.group()
        if opener is None:
            following = text[run.end() : run.end() + 1]
            if len(stars) > 2 or not following or following.isspace():
                return None
            out.append(_escape(text[position : run.start()]))
            opener = run
        else:
            if stars != opener.group() or text[run.start() - 1].isspace():
                return None
            tag = "em" if len(stars) == 1 else "strong"
            out.append(f"<{tag}>{_escape(text[opener.end() : run.start()])}</{tag}>")
            opener = None
        position = run.end()
    if opener is not None:
        return None
    out.append(_escape(text[position:]))
    return "".join(out)


STAR_PIECES = ["*", "*", "**", "***", "a", "bc", " ", "\n", "\u00a0", "\u2028", "&", ">", "é"]


def test_emphasis_pairs_stars_as_a_walk_over_their_runs() -> None:
    rng = random.Random(20261207)
    for _ in range(30000):
        text = "".join(rng.choice(STAR_PIECES) for _ in range(rng.randint(1, 12)))
        try:
            got: str | None = _emphasis(text)
        except Declined:
            got = None
        assert got == _emphasis_by_runs(text), repr(text)
