"""markup.py: the body's blocks, mentions, plain text, and Markdown to safe HTML."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.body import (
    find_mentions,
    first_sentence,
    is_plain_paragraph,
    is_safe_url,
    mention_key,
    plain_text,
    split_blocks,
    strip_mentions,
)
from sitegen.config import MARKDOWN_EXTENSIONS
from sitegen.diagnostics import Diagnostics
from sitegen.markup import MarkdownRenderer
from sitegen.model import build_briefing
from sitegen.render import render_briefing_html
from sitegen.source import load_file

ACTORS = {"nato": "/actors/nato/", "sergei lavrov": "/actors/sergei-lavrov/"}
DEFAULT_EXTENSIONS = ("tables", "fenced_code", "sane_lists")
ALL_EXTENSIONS = tuple(sorted(MARKDOWN_EXTENSIONS))


def resolve(target: str) -> str | None:
    return ACTORS.get(mention_key(target))


def renderer(
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS, plain: bool = True
) -> MarkdownRenderer:
    return MarkdownRenderer(extensions, resolve, plain=plain)


# --------------------------------------------------------------------------- split_blocks


def kinds(body: str) -> list[tuple[str, str, int]]:
    return [(b.kind, b.text, b.line) for b in split_blocks(body, 10)]


def test_split_blocks_paragraphs_heading_and_lines() -> None:
    body = "Lead.\n\nContext one.\nstill one.\n\n## What you need to know\n\nItem one.\n\nItem two."
    assert kinds(body) == [
        ("text", "Lead.", 10),
        ("text", "Context one.\nstill one.", 12),
        ("heading", "What you need to know", 15),
        ("text", "Item one.", 17),
        ("text", "Item two.", 19),
    ]
    assert split_blocks(body)[2].level == 2


def test_split_blocks_heading_directly_followed_by_text() -> None:
    assert kinds("## Items\nFirst item.") == [
        ("heading", "Items", 10),
        ("text", "First item.", 11),
    ]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("## We're #1 \\#", "We're #1 #"),  # the last '#' escaped: not a closing one
        ("## We're #1 \\# ##", "We're #1 #"),
        ("## Score 5#\\#", "Score 5##"),
        ("## \\#", "#"),
        ("## We're #1 #", "We're #1"),  # closing '#'s are left out, as Markdown does
        ("## C#", "C"),
        ("## a \\* b", "a \\* b"),  # any other backslash is shown as written
    ],
)
def test_split_blocks_a_heading_keeps_an_escaped_last_hash(line: str, text: str) -> None:
    assert kinds(line) == [("heading", text, 10)]


@pytest.mark.parametrize("marker", ["-", "*", "+", "1.", "1)"])
def test_split_blocks_every_list_entry_is_a_block(marker: str) -> None:
    second = "2" + marker[1:] if marker[0] == "1" else marker
    body = f"{marker} first\n  continued\n{second} second"
    assert kinds(body) == [("entry", "first\ncontinued", 10), ("entry", "second", 12)]


def test_split_blocks_keeps_fenced_code_with_blank_lines_whole() -> None:
    body = "```\ncode\n\n## not a heading\n\nmore\n```\n\nAfter."
    assert kinds(body) == [
        ("text", "```\ncode\n\n## not a heading\n\nmore\n```", 10),
        ("text", "After.", 18),
    ]


def test_split_blocks_tilde_fence() -> None:
    assert [b.kind for b in split_blocks("~~~\na\n\nb\n~~~\n\nc")] == ["text", "text"]


def test_split_blocks_explicit_anchor() -> None:
    blocks = split_blocks("- one {#first}\n- two\n\nA paragraph. {#para}")
    assert [(b.text, b.anchor) for b in blocks] == [
        ("one", "first"),
        ("two", None),
        ("A paragraph.", "para"),
    ]


def test_split_blocks_heading_levels_and_closing_hashes() -> None:
    blocks = split_blocks("# One #\n\n### Three")
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("heading", "One", 1),
        ("heading", "Three", 3),
    ]


def test_split_blocks_indented_paragraph_continues_an_entry() -> None:
    blocks = split_blocks("- entry\n\n  more of it\n\nNext.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("entry", "entry\n\nmore of it"),
        ("text", "Next."),
    ]


def test_split_blocks_empty_body() -> None:
    assert split_blocks("") == []
    assert split_blocks("\n\n  \n") == []


# --------------------------------------------------------------------------- mentions


def test_find_mentions_with_and_without_shown_text() -> None:
    found = find_mentions("The [[NATO]] and [[Sergei Lavrov|Lavrov]] said [[ Russia ]].")
    assert [(m.target, m.shown, m.offset) for m in found] == [
        ("NATO", "NATO", 4),
        ("Sergei Lavrov", "Lavrov", 17),
        ("Russia", "Russia", 47),
    ]


def test_find_mentions_escaped_and_broken() -> None:
    assert find_mentions("\\[[NATO]] [[]] [[a\nb]] [NATO] [[x|]]") == []
    assert find_mentions("no brackets") == []


def test_mention_line() -> None:
    text = "one\ntwo [[NATO]]"
    [mention] = find_mentions(text)
    assert mention.line(text, 20) == 21


def test_mention_key_ignores_case_spacing_and_unicode_form() -> None:
    assert mention_key("  Sergei   LAVROV ") == "sergei lavrov"
    assert mention_key("Zo\u00eb") == mention_key("Zoe\u0308")
    assert mention_key("NATO") != mention_key("NATA")


def test_strip_mentions() -> None:
    assert strip_mentions("[[NATO]] and [[Sergei Lavrov|Lavrov]]") == "NATO and Lavrov"


# --------------------------------------------------------------------------- plain text


def test_plain_text() -> None:
    text = "**Bold** [link](http://x.org) [[NATO|the alliance]] <i>it</i> `code`\n  and _em_"
    assert plain_text(text) == "Bold link the alliance it code and em"


def test_plain_text_drops_script_contents() -> None:
    assert plain_text("a <script>alert(1)</script> b") == "a b"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("One thing. Another thing.", "One thing."),
        ("Is it? Yes.", "Is it?"),
        ("He said “No.” Then left.", "He said “No.”"),
        ("[[NATO]] met. [[Russia]] did not.", "NATO met."),
        ("No end here", "No end here"),
        (
            "Putin told U.S. President Joe Biden no. Later.",
            "Putin told U.S. President Joe Biden no.",
        ),
        ("Mr. Putin spoke. Then.", "Mr. Putin spoke."),
        ("version 2.0 is out. Next.", "version 2.0 is out."),
    ],
)
def test_first_sentence(text: str, sentence: str) -> None:
    assert first_sentence(text) == sentence


def test_a_summary_leaves_out_what_footnotes_and_abbreviations_only_define() -> None:
    # a lead's footnote (placed under it by split_blocks, or written under it) gave a day
    # with no summary: its description, feed summary and archive line 'Talks[^a]. [^a]: AFP.'
    lead = "Talks resumed[^a] in NATO's capital.\n*[NATO]: North Atlantic\n\n[^a]: AFP,\n    Paris."
    assert first_sentence(lead) == "Talks resumed in NATO's capital."
    assert plain_text(lead) == "Talks resumed in NATO's capital."
    assert plain_text("See [this][^1] x") == "See [this][^1] x"  # a link, without footnotes
    # a label with a space is a footnote too (Python-Markdown's reading)
    assert plain_text("Talks[^wire copy].\n\n[^wire copy]: AFP.") == "Talks."


def test_first_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    out = first_sentence("word " * 100, limit=50)
    assert out.endswith("word…") and len(out) <= 50
    assert first_sentence("would never be enough, as " + "more " * 20, limit=24) == (
        "would never be enough…"
    )


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "url", ["https://x.org", "http://x", "mailto:a@b.c", "/actors/", "page.html", "#item-1"]
)
def test_safe_urls(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
    ],
)
def test_unsafe_urls(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Just words, with *emphasis*.", True),
        ("Two lines\nof one paragraph.", True),
        ("- a list", False),
        ("# heading", False),
        ("> quote", False),
        ("    code", False),
        ("| a |\n|---|", False),
        ("<div>x</div>", False),
        ("[id]: http://x", False),
        ("", False),
    ],
)
def test_is_plain_paragraph(text: str, plain: bool) -> None:
    assert is_plain_paragraph(text) is plain


# --------------------------------------------------------------------------- rendering


def test_mentions_render_as_links_showing_their_text() -> None:
    html = renderer().render("[[NATO]] and [[Sergei Lavrov|Russia's Lavrov]] met.")
    assert html == (
        '<p><a href="/actors/nato/" class="actor-link">NATO</a> and '
        '<a href="/actors/sergei-lavrov/" class="actor-link">Russia\'s Lavrov</a> met.</p>'
    )


def test_unknown_mention_is_plain_text() -> None:
    assert renderer().render("Hello [[Nobody|Mr. Nobody]] and [[Ghost]].") == (
        "<p>Hello Mr. Nobody and Ghost.</p>"
    )


def test_mention_in_code_stays_literal() -> None:
    html = renderer().render("```\n[[NATO]]\n```")
    assert "[[NATO]]" in html and "actor-link" not in html


def test_shown_text_is_escaped() -> None:
    html = renderer().render("[[NATO|<b>NATO</b>]]")
    assert ">&lt;b&gt;NATO&lt;/b&gt;</a>" in html


def test_empty_text_renders_nothing() -> None:
    assert renderer().render("") == ""


def test_render_blocks_one_html_per_block() -> None:
    texts = ["Lead.", "- a list entry", "```\ncode\n\nblock\n```", "Plain [[NATO]]."]
    out = renderer().render_blocks(texts)
    assert len(out) == 4
    assert out[0] == "<p>Lead.</p>"
    assert out[1] == "<ul>\n<li>a list entry</li>\n</ul>"
    assert out[2].startswith("<pre><code>code\n\nblock")
    assert 'href="/actors/nato/"' in out[3]
    assert renderer().render_blocks([]) == []


def test_a_reference_defined_in_another_block_works(tmp_path: Path) -> None:
    path = tmp_path / "2022-01-27-x.md"
    path.write_text(
        "---\ntitle: x\ndate: 2022-01-27\n---\nLead with [the text][doc].\n\n"
        '## Items\n\nSee [doc] and [again][Doc].\n\n[doc]: https://example.org/doc "Doc"\n',
        encoding="utf-8",
    )
    diags = Diagnostics()
    briefing = build_briefing(load_file(path, diags), {}, diags)
    assert briefing is not None and not diags.errors
    html = render_briefing_html(renderer(), briefing)
    assert len(html) == len(briefing.blocks) == 2
    assert html[0] == '<p>Lead with <a href="https://example.org/doc" title="Doc">the text</a>.</p>'
    assert html[1].count('href="https://example.org/doc"') == 2
    assert "[doc]" not in "".join(html)


# --------------------------------------------------------------------------- footnotes apart

FOOTNOTES = (*DEFAULT_EXTENSIONS, "footnotes")


def _footnoted(
    tmp_path: Path,
    body: str,
    extensions: tuple[str, ...] = FOOTNOTES,
    warnings: int = 0,
    date: str = "2022-01-27",
    name: str = "x",
) -> list[str]:
    """The blocks' HTML of a briefing with this body, as a build with `extensions` makes it."""
    path = tmp_path / f"{date}-{name}.md"
    path.write_text(f"---\ntitle: x\ndate: {date}\n---\nLead.\n\n## Items\n\n{body}\n")
    diags = Diagnostics()
    md = renderer(extensions)
    briefing = build_briefing(load_file(path, diags), {}, diags, md.extensions)
    assert briefing is not None and not diags.errors
    assert len(diags.warnings) == warnings, diags.warnings
    return render_briefing_html(md, briefing)


def test_a_footnote_defined_in_a_paragraph_of_its_own_goes_with_its_reference(
    tmp_path: Path,
) -> None:
    # as Hugo and MkDocs pages write them; each block is converted on its own, so a one-word
    # definition, read as a link definition, was written under every block (11 copies of
    # id="fn:1" on a day page), and a longer one was a stray item under an unlinked [^1]
    body = "Talks resumed[^1].\n\nA second item.\n\n[^1]: Reuters, in\n    two lines."
    html = _footnoted(tmp_path, body)
    assert len(html) == 3  # the lead and two items: the definition is no item
    page = "".join(html)
    assert page.count('id="fn:2022-01-27-x:item-1:1"') == 1
    assert 'href="#fn:2022-01-27-x:item-1:1"' in html[1]
    assert "Reuters, in\ntwo lines." in html[1] and "[^" not in page


def test_a_footnote_no_paragraph_refers_to_is_left_out_with_a_warning(tmp_path: Path) -> None:
    html = _footnoted(tmp_path, "An item.\n\n[^src]: Wire copy.", warnings=1)
    assert html == ["<p>Lead.</p>", "<p>An item.</p>"]


def test_footnotes_apart_go_with_each_block_that_refers_to_them(tmp_path: Path) -> None:
    # a second item citing the same note showed 'again[^a]' as text, with no warning
    body = "First[^a].\n\nSecond[^b] and again[^a].\n\n[^a]: Note A, in words.\n\n[^b]: Note B."
    html = _footnoted(tmp_path, body)
    assert len(html) == 3
    assert "Note A" in html[1] and "Note B" not in html[1]
    assert "Note B" in html[2] and "Note A" in html[2] and "[^" not in "".join(html)
    ids, targets = _ids_and_targets("".join(html))
    assert len(ids) == len(set(ids)) == 6 and set(targets) == set(ids)  # never two on a page


@pytest.mark.parametrize(
    "body",
    [
        "First[^1].\n\n[^1]: Note one.\n\nSecond[^1].\n\n[^1]: Note two.",
        "First[^1].\n\nSecond[^1].\n\n[^1]: Note one.\n[^1]: Note two.",
    ],
)
def test_a_footnote_label_defined_twice_is_an_error_at_the_second(tmp_path: Path, body) -> None:
    # two items each with their own [^1] (as one writes them per item): ids were unique, but
    # Python-Markdown showed the last definition under both, 'Note two' as the first item's
    # source, without a word
    path = tmp_path / "2022-01-27-x.md"
    path.write_text(f"---\ntitle: x\ndate: 2022-01-27\n---\nLead.\n\n## Items\n\n{body}\n")
    diags = Diagnostics()
    build_briefing(load_file(path, diags), {}, diags, FOOTNOTES)
    second = 9 + body[: body.index("Note two")].count("\n")
    assert [d.format() for d in diags.items] == [
        f"{path}:{second}: footnote [^1] is defined again (first at line "
        f"{9 + body[: body.index('Note one')].count(chr(10))}): Markdown would show the last "
        "definition at every reference to it; give each note its own label"
    ]


def test_an_items_own_footnote_wins_over_one_apart_with_its_label(tmp_path: Path) -> None:
    # the note apart was added under the item too, and Markdown showed it (the last one),
    # the item's own note replaced without a word
    body = "First[^1].\n[^1]: Own note.\n\nSecond[^1].\n\n[^1]: A note apart."
    html = _footnoted(tmp_path, body)
    assert "Own note." in html[1] and "A note apart." not in html[1]
    assert "A note apart." in html[2] and "Own note." not in html[2]


def test_a_footnote_label_may_have_spaces(tmp_path: Path) -> None:
    # Python-Markdown reads '[^wire copy]' as a footnote: its definition apart was a stray
    # item (an empty item with a dead back-link) and the reference stayed text; an id has
    # no spaces (the Nu checker: bad value)
    html = _footnoted(tmp_path, "Talks[^wire copy].\n\n[^wire copy]: AFP, in words.")
    assert len(html) == 2 and "AFP, in words." in html[1] and "[^" not in html[1]
    ids, targets = _ids_and_targets(html[1])
    assert ids == ["fnref:2022-01-27-x:item-1:wire-copy", "fn:2022-01-27-x:item-1:wire-copy"]
    assert set(targets) == set(ids)


def test_a_footnote_apart_keeps_its_indented_paragraphs(tmp_path: Path) -> None:
    # a note's second paragraph (indented, after a blank line) was an item of its own, a
    # code block
    body = "Talks[^1].\n\n[^1]: Reuters.\n\n    A second paragraph.\n\nNext item."
    html = _footnoted(tmp_path, body)
    assert len(html) == 3 and "<pre>" not in "".join(html)
    assert "<p>A second paragraph." in html[1] and html[2] == "<p>Next item.</p>"


def test_a_footnote_reference_in_code_is_no_reference(tmp_path: Path) -> None:
    # the note went under the code block, with a back-link to no reference
    body = "```\nx[^1]\n```\n\nIt is `[^1]`.\n\nTalks[^1].\n\n[^1]: Reuters, in words."
    html = _footnoted(tmp_path, body, (*FOOTNOTES, "fenced_code"))
    assert len(html) == 4 and "Reuters" not in html[1] + html[2] and "Reuters" in html[3]
    ids, targets = _ids_and_targets("".join(html))
    assert set(targets) == set(ids)


def test_footnotes_among_abbreviations_and_link_definitions(tmp_path: Path) -> None:
    # a paragraph of footnotes with an abbreviation or a link definition in it was an item
    # of its own (the note under it, with a dead back-link) and the abbreviation reached
    # no block
    body = "EU talks[^1], [a][x].\n\n[^1]: Reuters, in words.\n*[EU]: European Union\n[x]: /a"
    html = _footnoted(tmp_path, body, (*FOOTNOTES, "abbr"))
    assert len(html) == 2 and "Reuters" in html[1] and '<abbr title="European Union">' in html[1]
    assert '<a href="/a">a</a>' in html[1]


def test_a_footnote_a_note_refers_to_goes_with_it(tmp_path: Path) -> None:
    # '[^1]: see [^2]': the second note was left out (no paragraph refers to it) and the
    # first showed '[^2]' as text
    body = "Talks[^1].\n\n[^1]: See[^2].\n\n[^2]: Wire copy, itself[^2]."
    html = _footnoted(tmp_path, body)
    assert "Wire copy" in html[1] and "[^" not in html[1]
    ids, targets = _ids_and_targets(html[1])
    assert len(ids) == len(set(ids)) == 5 and set(targets) == set(ids)


def test_a_chain_of_footnotes_is_not_copied_under_every_item() -> None:
    # each item refers to one note of a chain (each note to the next): every item took the
    # rest of the chain, n * n / 2 notes (minutes and gigabytes for 10,000)
    n = 2000
    items = "\n\n".join(f"Item {i}[^n{i}]." for i in range(n))
    notes = "\n".join(f"[^n{i}]: Note {i}[^n{i + 1}]." for i in range(n))
    body = f"## H\n\n{items}\n\n{notes}"
    blocks = split_blocks(body, 1, ("footnotes",))
    assert len(blocks) == n + 1
    assert sum(b.text.count("\n[^") for b in blocks) <= 5 * n + 100


def test_without_the_footnotes_extension_a_caret_label_is_a_link_definition(
    tmp_path: Path,
) -> None:
    html = _footnoted(
        tmp_path, "See [this][^1].\n\n[^1]: https://example.org/x", DEFAULT_EXTENSIONS
    )
    assert len(html) == 2
    assert html[1] == '<p>See <a href="https://example.org/x">this</a>.</p>'


def test_abbreviations_defined_in_a_paragraph_of_their_own_reach_every_block(
    tmp_path: Path,
) -> None:
    # the definitions were an item of their own, empty once converted (an empty item 6 and
    # an empty line in the day's at-a-glance list), and reached no other paragraph
    body = (
        "The NATO summit opens.\n\nNATO allies meet.\n\n*[NATO]: North Atlantic Treaty Organization"
    )
    html = _footnoted(tmp_path, body, (*DEFAULT_EXTENSIONS, "abbr"))
    assert len(html) == 3
    assert all(
        '<abbr title="North Atlantic Treaty Organization">NATO</abbr>' in h for h in html[1:]
    )


def _ids_and_targets(html: str) -> tuple[list[str], list[str]]:
    ids = re.findall(r'\bid="([^"]*)"', html)
    return ids, re.findall(r'href="#([^"]*)"', html)


def test_footnote_ids_name_their_day_and_block(tmp_path: Path) -> None:
    # each block is converted on its own: two items that each define a [^1] under them both
    # gave id="fn:1" and id="fnref:1" (the Nu checker: duplicate ID; the second reference
    # led to the first item's note), and an actor's page, which shows items of many days,
    # had an id="fn:1" per day
    body = "First[^1].\n[^1]: Reuters.\n\nSecond[^1] and[^1].\n[^1]: AP."
    html = _footnoted(tmp_path, body)
    ids, targets = _ids_and_targets("".join(html))
    assert len(ids) == len(set(ids)) == 5  # two notes, three references
    assert set(targets) == set(ids)
    assert 'href="#fn:2022-01-27-x:item-2:1"' in html[2] and "AP." in html[2]
    other = _footnoted(tmp_path, body.replace("First", "Other"), date="2022-01-28")
    assert set(_ids_and_targets("".join(other))[0]).isdisjoint(ids)
    # a second briefing of the same day (its own slug and URL), on an actor's page beside it
    evening = _footnoted(tmp_path, body.replace("First", "Later"), name="evening")
    assert set(_ids_and_targets("".join(evening))[0]).isdisjoint(ids)


def test_a_block_with_raw_html_keeps_its_footnote_ids(tmp_path: Path) -> None:
    # such a block goes through the sanitiser, which dropped the note's id and its box's
    # class: the reference led to another item's note of the same label, or nowhere
    body = 'An <em>item</em>[^1] <span id="mine" class="x">here</span>.\n\n[^1]: Reuters.'
    html = _footnoted(tmp_path, body)[1]
    ids, targets = _ids_and_targets(html)
    assert sorted(ids) == ["fn:2022-01-27-x:item-1:1", "fnref:2022-01-27-x:item-1:1"]
    assert sorted(targets) == sorted(ids)
    assert '<div class="footnote">' in html and "mine" not in html and 'class="x"' not in html
    assert renderer().render('<div class="x" id="fn:1">a</div>') == "<div>a</div>"


def test_a_table_scrolls_in_a_box_of_its_own(tmp_path: Path) -> None:
    # a table of many columns made the whole page wider than a phone (715px on a 390px one)
    html = _footnoted(tmp_path, "| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.")
    assert html[1].startswith(
        '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>'
    )
    assert html[1].endswith("</table></div>") and html[1].count("<div") == 1
    assert "table" not in html[2]


def test_a_profile_footnote_label_with_spaces_gives_an_id_without(tmp_path: Path) -> None:
    # an actor's profile is converted whole; '[^wire copy]' gave id="fn:wire copy"
    from sitegen.load import Profiles
    from sitegen.model import Actor

    actor = Actor(tmp_path / "a.md", "", "A", "a")
    actor.profile = "Says so[^wire copy].\n\n[^wire copy]: AFP."
    html = Profiles([actor], renderer(FOOTNOTES))["a"]
    ids, targets = _ids_and_targets(html)
    assert ids == ["fnref:wire-copy", "fn:wire-copy"] and set(targets) == set(ids)


def test_finding_footnote_references_is_linear_in_the_backticks_around_them() -> None:
    # code spans are skipped when finding which blocks refer to a note; the regular
    # expression that paired their backticks took 16 s over a run of 2,000 and 126 s over
    # 2,000 runs of two (in its own process, so that a hang fails at a generous deadline)
    script = (
        "from sitegen.body import _footnote_references as refs\n"
        "for text in ('`' * 40000, '`` ' * 20000, '`x`` ' * 20000, '\\n~~~' * 20000):\n"
        "    assert refs('[^1] ' + text + '\\n[^2]') == ['1', '2'], text[:10]\n"
        "assert refs('[^a] `[^b]` ``[^c]`` [^d]') == ['a', 'd']\n"
        "assert refs('[^a]\\n```\\n[^b]\\n```\\n[^c]') == ['a', 'c']\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_footnote_reference_between_escaped_backticks_is_not_in_code() -> None:
    # body pairs backticks as mdguard does (code_spans): after a backslash a run opens
    # nothing, and Python-Markdown shows the reference as a footnote there
    from sitegen.body import _footnote_references as refs

    assert refs("\\`[^a]\\` and `[^b]`") == ["a"]
