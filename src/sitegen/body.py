"""Body: a briefing body's block structure, [[mentions]], safe URLs and plain text.

Pure functions of text, below the model: the model reads a body's structure from here, and
markup.py (Markdown to HTML) and plainmark.py build on its mention and URL rules. Nothing here
imports Python-Markdown.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Collection, Iterator
from typing import NamedTuple

from sitegen.mdguard import code_spans

# [[Target]] or [[Target|text shown]]; a backslash before [[ makes it literal text.
# [[Target]] or [[Target|shown text]], not after a backslash. The first "[" comes before the
# look back for the backslash, so that the search skips to each "[" instead of trying every
# position (several times faster on a briefing's text).
MENTION_RE = re.compile(r"\[(?<!\\\[)\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# the text ends before its closing '#'s, unless the last is escaped: 'We're #1 \#'
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?(?:\\#)?))?[ \t#]*$")
_LIST_MARKER_RE = re.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+")
_ANCHOR_RE = re.compile(r"[ \t]*\{#([A-Za-z][\w-]*)\}[ \t]*$")
_REFERENCE_RE = re.compile(
    r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?"  # [id]: url
    r"""(?:[ \t]+["'(](.*)["')])?[ \t]*$"""  # optional "title"
)

# '*[NATO]: North Atlantic Treaty Organization' (with the abbr extension)
_ABBR_RE = re.compile(r"^\*\[[^\]]+\]:.*$")
# '[^label]: text': a footnote's definition (with the footnotes extension); a label is
# anything up to the ']', spaces included, as Python-Markdown reads it
FOOTNOTE_RE = re.compile(r"^ {0,3}\[\^([^\]]*)\]:")
# a reference to a footnote ('[^label]', not a definition), and what can hide one from
# Markdown: fenced code, whose lines are taken whole, and code spans
_FOOTNOTE_REF_RE = re.compile(r"(?<!!)\[\^([^\]]*)\](?![ \t]*:)")


_OPENING = re.compile(r'(^|[\s(\[{\u2014\u2013/-])"')
_OPENING_SINGLE = re.compile(r"(^|[\s(\[{\u2014\u2013/-])'")


def curly(text: str) -> str:
    """Straight quotes as typographic ones ("a" -> \u201ca\u201d, it's -> it\u2019s), as the
    briefings' bodies have them: summaries, titles and profiles are often typed straight."""
    if '"' not in text and "'" not in text:
        return text
    text = _OPENING.sub("\\1\u201c", text).replace('"', "\u201d")
    return _OPENING_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")


class RawBlock(NamedTuple):  # a tuple: made about ten times per briefing, cheaply
    """A top-level piece of the body: a heading, a paragraph-like block, or one list entry."""

    # "heading" | "text" | "entry" | "references" (link definitions only) | "stray-footnote"
    # (a footnote's definition no block refers to, with the footnotes extension: see
    # _place_footnotes; "footnotes", a paragraph of definitions, is only met in between) |
    # "duplicate-footnote" (a label's second definition, an error)
    kind: str
    text: str
    line: int  # line in the file where it starts
    level: int = 0  # heading level; a duplicate footnote's: the line of the first one
    anchor: str | None = None  # an explicit {#anchor} at the end of the block


class Mention(NamedTuple):
    target: str
    shown: str
    offset: int  # in the block's text

    def line(self, text: str, first_line: int) -> int:
        return first_line + text.count("\n", 0, self.offset)


def _runs(lines: list[str], first_line: int) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines, keeping fenced code (which may hold blank lines) whole."""
    run: list[str] = []
    start = 0
    fence: str | None = None
    for offset, line in enumerate(lines):
        if fence is None and not line.strip():
            if run:
                yield start, run
            run = []
            continue
        if not run:
            start = first_line + offset
        run.append(line)
        match = _FENCE_RE.match(line) if "`" in line or "~" in line else None
        if match and fence is None:
            fence = match.group(1)[0] * 3
        elif match and fence and line.strip().startswith(fence):
            fence = None
    if run:
        yield start, run


def _split_list(run: list[str], start: int) -> Iterator[tuple[int, str]]:
    """Split a list into its entries, markers removed and continuation lines dedented."""
    marker = _LIST_MARKER_RE.match(run[0])
    assert marker is not None  # a list's run starts with its first marker
    indent = len(marker.group(1))
    entry: list[str] = []
    entry_line = start
    for offset, line in enumerate(run):
        match = _LIST_MARKER_RE.match(line)
        if match and len(match.group(1)) == indent:
            if entry:
                yield entry_line, "\n".join(entry)
            entry, entry_line = [line[match.end() :]], start + offset
        else:
            entry.append(line[min(len(line) - len(line.lstrip()), 4) :])
    if entry:
        yield entry_line, "\n".join(entry)


def _with_anchor(kind: str, text: str, line: int) -> RawBlock:
    match = _ANCHOR_RE.search(text) if "{#" in text else None
    if match:
        return RawBlock(kind, text[: match.start()].rstrip(), line, anchor=match.group(1))
    return RawBlock(kind, text, line)


def heading_text(text: str) -> str:
    """A heading's text is plain text, but for a '#' at its end, written '\\#' so that it
    is not a closing '#' (as Markdown reads it)."""
    text = text.strip()
    return text[:-2] + "#" if text.endswith("\\#") else text


def split_blocks(
    body: str, first_line: int = 1, extensions: Collection[str] = ()
) -> list[RawBlock]:
    """The body's top-level blocks, in order (see docs/content-model.md, "The body"). Some
    of the Markdown `extensions` define things for the whole document: with `footnotes`, a
    footnote defined in a paragraph of its own goes with the block that first refers to it
    (see _place_footnotes); with `abbr`, a paragraph of abbreviations ('*[NATO]: ...') is
    given to every block, as link definitions are."""
    footnotes, abbr = "footnotes" in extensions, "abbr" in extensions
    blocks: list[RawBlock] = []
    notes: list[tuple[str, RawBlock, int]] = []  # (label, its definition, where), in order
    for start, run in _runs(body.split("\n"), first_line):
        heading = _HEADING_RE.match(run[0])
        if heading and not _FENCE_RE.match(run[0]):
            text = heading_text(heading.group(2) or "")
            blocks.append(RawBlock("heading", text, start, level=len(heading.group(1))))
            run, start = run[1:], start + 1
            if not run:
                continue
        definitions = _footnote_definitions(run, start, abbr) if footnotes else None
        if definitions:
            found, others = definitions
            notes.extend((label, note, len(blocks)) for label, note in found)
            blocks.append(RawBlock("footnotes", "\n".join(run), start))
            if others:  # link or abbreviation definitions among the notes
                blocks.append(RawBlock("references", "\n".join(others), start))
        elif notes and blocks[-1].kind == "footnotes" and run[0].startswith(("    ", "\t")):
            # an indented paragraph after a footnote's definition is the note's next one
            label, note, home = notes[-1]
            notes[-1] = (label, note._replace(text=note.text + "\n\n" + "\n".join(run)), home)
        elif all(_is_definition(line, abbr) for line in run):
            blocks.append(RawBlock("references", "\n".join(run), start))
        elif _LIST_MARKER_RE.match(run[0]):
            entries = _split_list(run, start)
            blocks.extend(_with_anchor("entry", text, line) for line, text in entries)
        elif blocks and blocks[-1].kind == "entry" and run[0].startswith(("  ", "\t")):
            # an indented paragraph after a list entry continues that entry
            last = blocks.pop()
            merged = last.text + "\n\n" + "\n".join(r.strip() for r in run)
            blocks.append(RawBlock("entry", merged, last.line, anchor=last.anchor))
        else:
            blocks.append(_with_anchor("text", "\n".join(run), start))
    return _place_footnotes(blocks, notes) if notes else blocks


def _is_definition(line: str, abbr: bool) -> bool:
    """A link definition, or with the abbr extension an abbreviation's: given to every block."""
    return _REFERENCE_RE.match(line) is not None or (abbr and _ABBR_RE.match(line) is not None)


def _footnote_definitions(
    run: list[str], start: int, abbr: bool
) -> tuple[list[tuple[str, RawBlock]], list[str]] | None:
    """The footnote definitions a paragraph consists of ('[^1]: Reuters', lines indented
    under one continue it) and the link definitions (and, with `abbr`, abbreviations) among
    them, or None when it is something else."""
    if not FOOTNOTE_RE.match(run[0]):
        return None
    found: list[tuple[str, RawBlock]] = []
    others: list[str] = []
    for offset, line in enumerate(run):
        match = FOOTNOTE_RE.match(line)
        if match:
            found.append((match.group(1), RawBlock("text", line, start + offset)))
        elif _is_definition(line, abbr):
            others.append(line)
        elif line.startswith(("  ", "\t")) and not others:
            label, note = found[-1]
            found[-1] = (label, note._replace(text=f"{note.text}\n{line}"))
        else:
            return None
    return found, others


def _own_definitions(block: RawBlock) -> set[str]:
    """The labels of the footnotes a paragraph or entry defines among its own lines
    ('Talks[^1].\n[^1]: Reuters')."""
    if "]:" not in block.text:
        return set()
    return {m.group(1) for line in block.text.split("\n") if (m := FOOTNOTE_RE.match(line))}


def _place_footnotes(
    blocks: list[RawBlock], notes: list[tuple[str, RawBlock, int]]
) -> list[RawBlock]:
    """Each block is converted to HTML on its own, so a footnote defined in a paragraph of
    its own (as one writes it for Hugo or MkDocs) would reach no reference, or, given to
    every block as link definitions are, be written under each. It goes with each block
    that refers to it ('[^1]', outside code), which then shows the reference and the note;
    one no block refers to is a "stray-footnote" block, which the model warns about and
    leaves out. `notes`: (label, its definition, the index in `blocks` of its paragraph)."""
    referring: dict[str, dict[int, None]] = {}  # a label -> the blocks that refer to it
    for i, block in enumerate(blocks):
        if block.kind in ("text", "entry"):
            for label in _footnote_references(block.text):
                referring.setdefault(label, {})[i] = None
    # a note that refers to another ('[^1]: as in [^2]') takes that one where it goes; a
    # chain of notes each referring to the next, under items that each refer to one, would
    # copy the rest of the chain under each: past a budget a note goes no further
    inner: dict[str, list[str]] = {}
    for label, note, _ in notes:
        inner.setdefault(label, []).extend(_footnote_references(note.text))
    budget = 4 * len(notes) + 100
    waiting = [label for label in referring if inner.get(label)]
    while waiting and budget > 0:
        label = waiting.pop()
        for other in inner[label]:
            where = referring.setdefault(other, {})
            more = referring[label].keys() - where.keys()
            if more and budget > 0:
                budget -= len(more)
                where.update(dict.fromkeys(sorted(more)))
                if inner.get(other):
                    waiting.append(other)
    placed: dict[int, list[str]] = {}  # a block's index -> the notes it takes
    strays: dict[int, list[RawBlock]] = {}  # a footnotes paragraph's index -> its strays
    first: dict[str, int] = {}  # a label -> the line of its first definition
    owns: dict[int, set[str]] = {}  # a block's index -> the notes it defines itself
    for label, note, home in notes:
        if label in first:  # Markdown would show the last one under every reference
            again = note._replace(kind="duplicate-footnote", level=first[label])
            strays.setdefault(home, []).append(again)
            continue
        first[label] = note.line
        if label not in referring:
            strays.setdefault(home, []).append(note._replace(kind="stray-footnote"))
        for at in referring.get(label, ()):
            if at not in owns:
                owns[at] = _own_definitions(blocks[at])
            if label not in owns[at]:  # a block's own definition is the one it shows
                placed.setdefault(at, []).append(note.text)
    out: list[RawBlock] = []
    for i, block in enumerate(blocks):
        if block.kind == "footnotes":
            out.extend(strays.get(i, ()))
            continue
        if i in placed:
            block = block._replace(text="\n\n".join([block.text, *placed[i]]))
        out.append(block)
    return out


def _footnote_references(text: str) -> list[str]:
    """The labels of the footnotes a text refers to ('[^1]'), but in code."""
    if "[^" not in text:
        return []
    if "`" in text or "~" in text:
        text = _code_spans_out(_fences_out(text))
    return _FOOTNOTE_REF_RE.findall(text)


def _fences_out(text: str) -> str:
    """The text without its fenced code: a fence's lines up to the line that closes it
    (the same run of backticks or tildes, or a longer one), or to the end."""
    kept: list[str] = []
    fence = ""
    for line in text.split("\n"):
        match = _FENCE_RE.match(line)
        if not fence:
            if match:
                fence = match.group(1)
            else:
                kept.append(line)
        elif match and match.group(1).startswith(fence) and not line.strip().strip(fence[0]):
            fence = ""
    return "\n".join(kept)


def _code_spans_out(text: str) -> str:
    """The text without its code spans (mdguard.code_spans: how Markdown pairs backticks)."""
    kept: list[str] = []
    position = 0
    for opened, closed in code_spans(text):
        kept.append(text[position:opened])
        position = closed
    kept.append(text[position:])
    return "".join(kept)


def find_mentions(text: str) -> list[Mention]:
    if "[[" not in text:
        return []
    mentions = []
    for match in MENTION_RE.finditer(text):
        target = match.group(1).strip()
        mentions.append(Mention(target, (match.group(2) or target).strip(), match.start()))
    return mentions


def mention_targets(text: str) -> list[str]:
    """The targets of the text's mentions, in order (find_mentions without their places)."""
    if "[[" not in text:
        return []
    return [target.strip() for target, _ in MENTION_RE.findall(text)]


def strip_mentions(text: str) -> str:
    """The text as a reader sees it: mentions replaced by their shown text."""
    return MENTION_RE.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)


@functools.lru_cache(maxsize=8192)  # a pure function, asked for the same few names all day
def mention_key(name: str) -> str:
    """How mention targets are compared: case-, spacing- and Unicode-form-insensitive
    ("Zoë" typed as one character or as "e" and a combining diaeresis)."""
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name)
    return " ".join(name.casefold().split())


SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside URLs


def is_safe_url(url: str) -> bool:
    """Relative URLs and a few schemes; never javascript:, data:, vbscript:..."""
    plain = _URL_NOISE_RE.sub("", html.unescape(url)).lower()
    match = _SCHEME_RE.match(plain)
    return match is None or match.group(1) in SAFE_SCHEMES


# Lines that start a Markdown block other than a paragraph (lists, headings, quotes, code,
# raw HTML, reference definitions, rules, setext underlines of = or any number of -, table
# delimiter rows).
_NOT_PLAIN_RE = re.compile(
    r"^(?: {4}|\t| {0,3}(?:[#>|<~`=:]|\[[^\]]*\]:|[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)"
    r"|[-*_](?:\s*[-*_]){2,}\s*$|-+[ \t]*$))"
    r"|^ {0,3}\|?[ \t]*:?-+:?[ \t]*\|[ \t|:-]*$",
    re.MULTILINE,
)


def is_plain_paragraph(text: str) -> bool:
    """True when Markdown will read the whole text as exactly one paragraph."""
    return bool(text.strip()) and _NOT_PLAIN_RE.search(text) is None


# Each pattern of plain_text stops at what would open another of its kind, or looks a
# bounded way ahead, so that its time grows with the text: what a fenced or indented code
# block holds reaches here unguarded (mdguard does not count it), and 30,000 '*a ' on one
# line of a fenced block in an actor's profile took 35 s, 10,000 lines of '[' 9 s.
_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\)){0,2000}\)")
_EMPHASIS_RE = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.{1,500}?)(?<=\S)\1")
_TAG_RE = re.compile(r"<[^<>]*>")
# A sentence ends at . ! ? before a capital, but not after an initial or a title ("U.S.
# President", "J. Smith", "Mr. Putin"). Only the match's end is used: matching the mark
# first, rather than looking behind for it, keeps the other checks off most positions.
_SENTENCE_END_RE = re.compile(
    r"[.!?](?<!\b[A-Z]\.)(?<!\bM[rs]\.)(?<!\bMrs\.)(?<!\b[DS][rt]\.)[”\"’']?(?=\s+[A-Z“\"])"
)


# what the footnotes and abbr extensions read and never show: a footnote's reference and
# its definition (with the lines indented under it), a line defining an abbreviation
_NOT_SHOWN_RE = re.compile(
    r"(?<!\])\[\^[^\[\]]*\](?!:)|^ {0,3}\[\^[^\[\]\n]*\]:.*(?:\n(?: {4}|\t).*)*$"
    r"|^\*\[[^\[\]\n]+\]:.*$",
    re.MULTILINE,
)


def plain_text(text: str) -> str:
    """Markdown as plain text, for summaries and meta descriptions (escaped later)."""
    if "[^" in text or "*[" in text:
        text = _NOT_SHOWN_RE.sub("", text)
    text = strip_mentions(text)
    text = _LINK_RE.sub(r"\1", text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    if "<" in text:
        text = _TAG_RE.sub("", _without_scripts(text))
    return " ".join(text.split())


def _without_scripts(text: str) -> str:
    """The text without its <script> and <style> elements (what is in them is no text),
    each found once: a regular expression looking for the end of each of thousands of
    unclosed ones read the rest of the text for each."""
    lower = text.lower()
    for tag in ("script", "style"):
        if f"<{tag}" not in lower:
            continue
        kept, position = [], 0
        while (opened := lower.find(f"<{tag}", position)) >= 0:
            after = lower[opened + 1 + len(tag) : opened + 2 + len(tag)]
            if after and (after.isalnum() or after in "_-"):  # '<scripts>': another tag
                kept.append(text[position : opened + 1])
                position = opened + 1
                continue
            closed = lower.find(f"</{tag}", opened)
            end = lower.find(">", closed) if closed >= 0 else -1
            if end < 0:
                break  # never closed: kept as it is (its tags go below)
            kept.append(text[position:opened])
            position = end + 1
        text = "".join([*kept, text[position:]])
        lower = text.lower()
    return text


def first_sentence(text: str, limit: int = 300) -> str:
    return plain_first_sentence(plain_text(text), limit)


def plain_first_sentence(plain: str, limit: int = 300) -> str:
    """The first sentence of plain text, cut at a word with an ellipsis past `limit`."""
    end = _SENTENCE_END_RE.search(plain)
    sentence = plain[: end.end()] if end else plain
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # not "enough,…"
