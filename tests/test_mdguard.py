"""mdguard: Markdown whose conversion would take Python-Markdown minutes is named, at its
line, before it is converted; real Markdown is left alone. (How long the shapes take is
measured by bench/markdown_shapes.py, never here.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.mdguard import MAX_NESTING, costly_markdown

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")

SHAPES = {
    "a line of [": ("[" * 8000, 1, "8,000 '[' or '(' of links are never closed"),
    "[ on every line": ("[\n" * 8000, 1, "8,000 '[' or '(' of links are never closed"),
    "images": ("![" * 10_000, 1, "10,000 '[' or '(' of links are never closed"),
    "footnotes": ("[^" * 10_000, 1, "10,000 '[' or '(' of links are never closed"),
    "mention brackets": ("[[" * 10_000, 1, "20,000 '[' or '(' of links are never closed"),
    "link parentheses": ("[x](" * 5000, 1, "5,000 '[' or '(' of links are never closed"),
    "link after emphasis": ("_[" * 5000, 1, "5,000 '[' or '(' of links are never closed"),
    "one run of backticks": ("`" * 5000, 1, "backticks open code that is never closed"),
    "open tags": ("<a " * 20_000, 1, "20,000 '<' are never closed by '>'"),
    "instructions": ("<?x " * 10_000, 1, "10,000 '<' are never closed by '>'"),
    "lists on one line": ("1. " * 300 + "a", 1, "lists and quotes nested 300 deep"),
    "quotes": ("> " * 100 + "a", 1, "lists and quotes nested 100 deep"),
    "list staircase": (
        "\n".join("    " * i + "- a" for i in range(40)),
        MAX_NESTING + 1,  # indented 32 levels, and a list entry
        f"lists and quotes nested {MAX_NESTING + 1} deep",
    ),
    "emphasis": ("*a* " * 30_000, 1, "this paragraph has 60,000 pieces of Markdown"),
    "smart quotes": ('"a" ' * 30_000, 1, "this paragraph has 60,000 pieces of Markdown"),
    "paragraphs": ("a\n\n" * 30_000, 1, "the text has 30,000 paragraphs and list entries"),
    "blank lines": ("a" + "\n" * 600_000, 1, "the text has 300,000 blank lines"),
    "headings in a list": ("- a\n" + "b\n# h\n" * 3000, 1, "this paragraph or list has 3,000"),
}


@pytest.mark.parametrize(("text", "line", "start"), SHAPES.values(), ids=SHAPES.keys())
def test_costly_shapes_are_named_at_their_line(text: str, line: int, start: str) -> None:
    costly = costly_markdown(text)
    assert costly is not None
    assert costly.message.startswith(start), costly.message
    assert costly.line(text) == line
    assert "\n" not in costly.message


def test_the_line_counts_from_where_the_body_starts() -> None:
    text = "A lead.\n\n## Items\n\nFine.\n\nBad " + "[" * 9000 + "\n"
    costly = costly_markdown(text)
    assert costly is not None
    assert costly.line(text, first_line=5) == 5 + 6  # the body starts on line 5 of its file


def test_shapes_just_under_the_limits_pass() -> None:
    assert costly_markdown("[" * 500) is None  # a few hundred unclosed brackets are fine
    assert costly_markdown("1. " * MAX_NESTING + "a") is None
    assert costly_markdown("\n".join(f"[link {i}](https://e.org/{i})" for i in range(2000))) is None


def test_what_closed_code_holds_is_not_counted_as_pieces() -> None:
    # a 10,000-line log in a fenced block converts in milliseconds (what a code span or
    # fence holds is taken out before any other inline pattern runs); it was refused as
    # "this paragraph has 10,007 pieces of Markdown"
    log = '12:00 GET /a?x=1&y=2 <200> *ok* "q" - [x]\n' * 10_000
    assert costly_markdown(f"```\n{log}```\n") is None
    assert costly_markdown(f"Output: `{log}` ends.\n") is None
    # the same pieces outside code, or after a backtick that opens nothing, still count
    assert costly_markdown(log) is not None
    assert costly_markdown(f"\\`{'*a* ' * 30_000}`") is not None
    assert costly_markdown("`a` " * 30_000) is not None  # each span is a piece


LOG = "".join(f'{i:05} GET /a?x=1&y=2 *ok* "q" - [x] `t` --\n' for i in range(10_000))


def test_an_indented_code_block_is_not_counted_as_a_paragraph() -> None:
    # a 10,000-line log indented by four converts in a tenth of a second (no inline parser
    # reads code); it was refused as "this paragraph has 89,999 pieces of Markdown"
    indented = "".join(f"    {line}\n" for line in LOG.splitlines())
    assert costly_markdown(f"A lead.\n\n{indented}\nAfter.\n") is None
    assert costly_markdown(f"A lead.\n\n{indented.replace('    ', chr(9))}") is None
    # with a blank line now and then, as logs have
    spaced = indented.replace("00 GET", "00 GET\n\n    ")
    assert costly_markdown(f"A lead.\n\n{spaced}") is None
    # right under a heading, without a blank line: Markdown reads the heading on its own
    assert costly_markdown(f"A lead.\n\n## Logs\n{indented}") is None
    assert costly_markdown(f"A lead.\n\n## Logs\nText.\n{indented}") is not None  # text
    # nested-looking lines in code are code
    assert costly_markdown("A lead.\n\n    " + "> " * 40 + "x\n") is None


def test_what_an_indented_block_holds_still_counts_where_markdown_reads_it() -> None:
    indented = "".join(f"    {line}\n" for line in LOG.splitlines())
    # after a list entry, a footnote or a definition it goes on with them: parsed as text
    for before in ("- an entry", "1. an entry", "[^1]: a note", "Term\n: a definition"):
        assert costly_markdown(f"{before}\n\n{indented}") is not None, before
    # an indented line inside a paragraph is part of it
    assert costly_markdown(f"A lead.\n{indented}") is not None
    # the HTML parser reads code too: every '<' left open still costs
    assert costly_markdown("A lead.\n\n" + "    x <y\n" * 4000) is not None
    # thousands of blank-line-separated pieces of one indented block are joined one by one
    costly = costly_markdown("A lead.\n\n" + "    a line of code\n\n" * 60_000)
    assert costly is not None
    assert costly.message.startswith("this indented code block has 60,000 blank lines")


def test_a_fenced_block_with_blank_lines_is_not_counted_with_fenced_code() -> None:
    # a 10,000-line log with blank lines in a fenced block: with fenced_code, the extension
    # stashes it before any parser reads the text; it was refused as 10,000 paragraphs
    spaced = LOG.replace("\n", "\n\n")
    for fence, info in (("```", ""), ("~~~~", " python"), ("```", " {.log #x}")):
        text = f"A lead.\n\n{fence}{info}\n{spaced}{fence}\n\nAfter.\n"
        assert costly_markdown(text, fenced_code=True) is None, (fence, info)
        assert costly_markdown(text) is not None  # without the extension: paragraphs
    assert costly_markdown("```\n" + "> " * 40 + "x\n```\n", fenced_code=True) is None
    # what is no fenced block for the extension still counts: never closed, closed by
    # another fence, an info string it does not take, a fence that is indented
    for text in (
        f"```\n{spaced}",
        f"```\n{spaced}````\n",
        f"```\n{spaced}~~~\n",
        f"``` two words\n{spaced}```\n",
        f" ```\n{spaced} ```\n",
    ):
        assert costly_markdown(text, fenced_code=True) is not None, text[:12]
    brackets = "[" * 8000
    assert costly_markdown(f"```\n{brackets}\n\n```\n", fenced_code=True) is None
    costly = costly_markdown(f"A lead.\n\n``` a b\n{brackets}\n```\n", fenced_code=True)
    assert costly is not None and costly.line(f"A lead.\n\n``` a b\n{brackets}\n") == 4


def markdown_bodies(*folders: Path) -> list[tuple[Path, str]]:
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            _, _, body = text.partition("\n---\n") if text.startswith("---\n") else ("", "", text)
            found.append((path, body))
    return found


def test_real_markdown_passes(tmp_path: Path) -> None:
    """The example site, the golden site, the project's own documents and a generated
    corpus of briefings (the benchmark's) are all far from the limits."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "200", "--out",
         str(tmp_path / "corpus"), "--seed", "7"],
        check=True, capture_output=True,
    )  # fmt: skip
    bodies = markdown_bodies(
        ROOT / "content", ROOT / "tests" / "golden" / "site", ROOT / "docs", tmp_path / "corpus"
    )
    bodies += [(ROOT / name, (ROOT / name).read_text()) for name in ("README.md", "DEVELOPERS.md")]
    assert len(bodies) > 500
    refused = [(path, costly.message) for path, body in bodies if (costly := costly_markdown(body))]
    assert refused == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared documents are not here")
def test_the_shared_documents_pass() -> None:
    refused = [path for path, body in markdown_bodies(SHARED) if costly_markdown(body)]
    assert refused == []
