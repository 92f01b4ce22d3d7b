"""Markdown fidelity: every briefing block sitegen renders equals stock Python-Markdown's
`convert` of that block (tests/tools/stock_markdown.py), whether it took the plain-paragraph
path (plainmark.py) or Python-Markdown's.

Compared: hand-picked snippets of every construct, texts generated from the pieces that trip
Markdown up over many seeds (SITEGEN_FUZZ_SEEDS=N runs more), and every briefing of the
example site, the golden site and a generated benchmark corpus.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.body import mention_key
from sitegen.config import MARKDOWN_EXTENSIONS
from sitegen.diagnostics import Diagnostics
from sitegen.markup import MarkdownRenderer
from sitegen.model import build_briefing, build_registry
from sitegen.plainmark import NEUTRAL_EXTENSIONS
from sitegen.source import load_file, load_files, markdown_files
from tests.tools.stock_markdown import stock_blocks

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXTENSIONS = ("tables", "fenced_code", "sane_lists")
EXTENSION_SETS = {
    "default": DEFAULT_EXTENSIONS,
    "neutral": tuple(sorted(NEUTRAL_EXTENSIONS)),
    "all": tuple(sorted(MARKDOWN_EXTENSIONS)),
}
ACTORS = {"nato": "/actors/nato/", "known": "/actors/known/", "sergei lavrov": "/actors/sl/"}
SEEDS = int(os.environ.get("SITEGEN_FUZZ_SEEDS", "8"))


def resolve(target: str) -> str | None:
    return ACTORS.get(mention_key(target))


def assert_like_stock(
    renderer: MarkdownRenderer, texts: list[str], extensions: tuple[str, ...], references=""
) -> None:
    expected = stock_blocks(texts, references, extensions, resolve)
    assert renderer.render_blocks(texts, references) == expected, (texts, references)


SNIPPETS = [
    "plain text only",
    "*em* and **strong** and ***both***",
    "*unclosed em and **unclosed strong",
    "nested *em **strong** em* and **strong *em* strong**",
    "_under_score_ and *star*text*",
    '[link](http://example.org) and [t](http://x.org "Title")',
    "[link with *em*](http://x.org/a_b_c) and [empty]()",
    '![image](pic.png "title") and ![alt *em*](/a.png)',
    "`code` and ``double `tick` code`` and `*not em*`",
    "<span>raw</span> inline html and <b>bold</b> & <i>it</i>",
    "<div>\nblock html\n</div>",
    "&amp; &copy; &#169; &#xA9; AT&T 1 < 2 > 0 & more",
    "Tom &#38 Jerry, &#x26 and &#169 without their semicolons; &copy 2022",
    "\\*not em\\* \\[not link\\] \\\\ \\` \\_",
    "line one  \nline two  \nline three",
    "trailing backslash\\\nnext line",
    "entry\n\nmore of the same entry",
    "| a | b |\n|---|:-:|\n| 1 | *2* |\n| `3` | [4](http://x) |",
    "> quote with *em*\n> more\n\n> > nested",
    "<http://auto.link/> and <me@example.org>",
    "[ref] and [text][ref] and [Ref][]",
    "```\ncode *not em* [[NATO]]\n\n<b>x</b>\n```",
    "~~~python\ndef f(): return 1\n~~~",
    "    indented code\n    more",
    "[[NATO]] and [[Unknown]] and [[Sergei Lavrov|Lavrov's]] words",
    "**bold with `code` inside** and *em with [link](http://x) inside*",
    "<script>alert(1)</script> and <img src=x onerror=alert(1)>",
    "[x](javascript:alert(1)) and [y](JaVaScRiPt:x)",
    "html <!-- comment --> here",
    "email me@example.org and http://bare.url/path_with_underscores",
    "“quotes” -- and --- ... 'smart' \"dumb\"",
    "Ünïcödé *ëm* _ü_ **ß**",
    "a\nb\nc",
    "Term\n: definition",
    "Footnote[^1].\n\n[^1]: The note.",
    "*[HTML]: Hyper Text\n\nHTML here",
]
REFERENCES = '[ref]: http://example.org "T"\n[pic]: /a.png'


@pytest.mark.parametrize("name", EXTENSION_SETS)
def test_snippets_render_as_stock_python_markdown(name: str) -> None:
    extensions = EXTENSION_SETS[name]
    fast = MarkdownRenderer(extensions, resolve)
    for snippet in SNIPPETS:
        assert_like_stock(fast, [snippet], extensions)
    assert_like_stock(fast, SNIPPETS, extensions)
    assert_like_stock(fast, SNIPPETS, extensions, REFERENCES)


# Pieces that start or end Markdown constructs, mixed with words and mentions: the first
# list is what plain paragraphs are made of, the second what sends a block to Markdown.
PLAIN_PIECES = [
    "w", "Zoë", " ", " ", "\n", "*", "**", "*", "[[Known]]", "[[Known|s *o*]]",
    "[l](http://e.org/*a*)", "[*e*](/p?a=1&b=2)", "[**s** x](http://e.org)", "&", ">", '"',
    "'", "#", "-", "1.", "=", ":", ".", "!", "(", ")", "%", "{", "}", "+", "&x", ";", "[", "]",
    "\u00a0", "\u2028", "\x0b", "\x0c", "\x85",
]  # fmt: skip
MARKDOWN_PIECES = [
    "&#", "&#1", "&#x2", "&amp;", "_", "`", "<b>", "</b>", "<", "\\", "|", "~", "\t", "  \n",
    "[[Nobody]]", "[ref]", "[x][ref]", "]:", "\n\n", "\n- ", "\n> ", "\n    ", "```",
]  # fmt: skip


def _texts(rng: random.Random) -> list[str]:
    def piece() -> str:
        return rng.choice(MARKDOWN_PIECES if rng.random() < 0.08 else PLAIN_PIECES)

    return [
        "".join(piece() for _ in range(rng.randint(1, 14))).strip() or "w"
        for _ in range(rng.randint(1, 3))
    ]


@pytest.mark.parametrize("seed", range(SEEDS))
@pytest.mark.parametrize("name", ["default", "neutral"])
def test_generated_texts_render_as_stock_python_markdown(seed: int, name: str) -> None:
    extensions = EXTENSION_SETS[name]
    fast = MarkdownRenderer(extensions, resolve)
    assert fast._plain is not None
    rng = random.Random(seed * 7919 + len(name))
    plain = 0
    for _ in range(200):
        texts = _texts(rng)
        references = REFERENCES if rng.random() < 0.1 else ""
        plain += not references and fast._plain.render_blocks(texts) is not None
        assert_like_stock(fast, texts, extensions, references)
    assert plain >= 5  # enough of them take the plain path to mean something


def _briefings(site: Path) -> list[tuple[list[str], str]]:
    diags = Diagnostics(root=site)
    actors = load_files(markdown_files(site / "content/actors"), diags)
    _, lookup = build_registry(actors, diags)
    found = []
    for path in markdown_files(site / "content/briefings"):
        briefing = build_briefing(load_file(path, diags), lookup, diags)
        assert briefing is not None, diags.items
        found.append(([b.text for b in briefing.blocks], briefing.references, lookup))
    return found


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("corpus") / "site"
    script = ROOT / "bench" / "gen_corpus.py"
    command = [sys.executable, str(script), "--n", "150", "--out", str(site), "--seed", "3"]
    subprocess.run(command, check=True, capture_output=True)
    return site


@pytest.mark.parametrize("which", ["example", "golden", "bench"])
def test_every_corpus_briefing_renders_as_stock_python_markdown(
    which: str, bench_corpus: Path
) -> None:
    site = {"example": ROOT, "golden": ROOT / "tests/golden/site", "bench": bench_corpus}[which]
    briefings = _briefings(site)
    assert briefings
    for texts, references, lookup in briefings:

        def site_resolve(target: str, lookup=lookup) -> str | None:
            slug = lookup.get(mention_key(target))
            return f"/actors/{slug}/" if slug else None

        fast = MarkdownRenderer(DEFAULT_EXTENSIONS, site_resolve)
        expected = stock_blocks(texts, references, DEFAULT_EXTENSIONS, site_resolve)
        assert fast.render_blocks(texts, references) == expected
