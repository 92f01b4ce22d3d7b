"""Markup: the briefing body's block structure, actor mentions, and Markdown to safe HTML.

Pure functions and a renderer object; no file access. A new `MarkdownRenderer` is made for
each build (and each worker process), so no state leaks from one build into the next.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from typing import NamedTuple

import markdown
import nh3
from markdown import treeprocessors, util
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor

# [[Target]] or [[Target|text shown]]; a backslash before [[ makes it literal text.
MENTION_RE = re.compile(r"(?<!\\)\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_LIST_MARKER_RE = re.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+")
_ANCHOR_RE = re.compile(r"[ \t]*\{#([A-Za-z][\w-]*)\}[ \t]*$")
_REFERENCE_RE = re.compile(
    r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?"  # [id]: url
    r"""(?:[ \t]+["'(](.*)["')])?[ \t]*$"""  # optional "title"
)


class RawBlock(NamedTuple):  # a tuple: made about ten times per briefing, cheaply
    """A top-level piece of the body: a heading, a paragraph-like block, or one list entry."""

    kind: str  # "heading" | "text" | "entry" | "references" (link definitions only)
    text: str
    line: int  # line in the file where it starts
    level: int = 0  # heading level
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
    indent = len(_LIST_MARKER_RE.match(run[0]).group(1))  # type: ignore[union-attr]
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


def split_blocks(body: str, first_line: int = 1) -> list[RawBlock]:
    """The body's top-level blocks, in order (see docs/content-model.md, "The body")."""
    blocks: list[RawBlock] = []
    for start, run in _runs(body.split("\n"), first_line):
        heading = _HEADING_RE.match(run[0])
        if heading and not _FENCE_RE.match(run[0]):
            text = (heading.group(2) or "").strip()
            blocks.append(RawBlock("heading", text, start, level=len(heading.group(1))))
            run, start = run[1:], start + 1
            if not run:
                continue
        if all(_REFERENCE_RE.match(line) for line in run):
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
    return blocks


def find_mentions(text: str) -> list[Mention]:
    if "[[" not in text:
        return []
    mentions = []
    for match in MENTION_RE.finditer(text):
        target = match.group(1).strip()
        mentions.append(Mention(target, (match.group(2) or target).strip(), match.start()))
    return mentions


def strip_mentions(text: str) -> str:
    """The text as a reader sees it: mentions replaced by their shown text."""
    return MENTION_RE.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)


def split_references(body: str) -> tuple[str, dict[str, tuple[str, str | None]]]:
    """Remove `[id]: url "title"` lines so that every block can use every reference."""
    references: dict[str, tuple[str, str | None]] = {}
    kept = []
    for line in body.split("\n"):
        match = _REFERENCE_RE.match(line)
        if match and not match.group(1).startswith("^"):
            references[match.group(1).strip().lower()] = (match.group(2), match.group(3))
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept), references


@functools.lru_cache(maxsize=8192)  # a pure function, asked for the same few names all day
def mention_key(name: str) -> str:
    """How mention targets are compared: case-, spacing- and Unicode-form-insensitive
    ("Zoë" typed as one character or as "e" and a combining diaeresis)."""
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name)
    return " ".join(name.casefold().split())


class _MentionStash(Preprocessor):
    """Turns [[mentions]] into finished links before Markdown parses the text.

    Stashing them as raw HTML (as Python-Markdown does with inline HTML) is much cheaper
    than an inline pattern, which is tried on every piece of every paragraph. The shown
    text is plain text; fenced code, stashed earlier, keeps its [[brackets]].
    """

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str], str | None]) -> None:
        super().__init__(md)
        self.resolve = resolve
        self._html: dict[str, tuple[str, bool]] = {}  # mention text -> (HTML, is a link)

    def _mention_html(self, match: re.Match) -> tuple[str, bool]:
        target = match.group(1).strip()
        shown = html.escape((match.group(2) or target).strip(), quote=False)
        url = self.resolve(target)
        if url is None:
            return shown, False
        return f'<a href="{html.escape(url)}" class="actor-link">{shown}</a>', True

    def _known(self, match: re.Match) -> tuple[str, bool]:
        # the same few mentions recur on every page: work each one out once per build
        found = self._html.get(match.group(0))
        if found is None:
            found = self._html[match.group(0)] = self._mention_html(match)
        return found

    def _link(self, match: re.Match) -> str:
        text, is_link = self._known(match)
        return self.md.htmlStash.store(text) if is_link else text

    def link_html(self, match: re.Match) -> str | None:
        """A known mention's link; None for an unknown one (its text stays Markdown)."""
        text, is_link = self._known(match)
        return text if is_link else None

    def run(self, lines: list[str]) -> list[str]:
        return [MENTION_RE.sub(self._link, line) if "[[" in line else line for line in lines]


class _MentionExtension(markdown.Extension):
    def __init__(self, resolve: Callable[[str], str | None]) -> None:
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # after fenced code (25) and raw HTML blocks (20) have been set aside
        md.preprocessors.register(_MentionStash(md, self.resolve), "actor_mention", 15)


_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}


def sanitise(html_text: str) -> str:
    """Drop scripts, event handlers, styles and unsafe URLs from rendered HTML."""
    return nh3.clean(
        html_text, attributes=_ALLOWED_ATTRIBUTES, link_rel=None, url_schemes=_SAFE_SCHEMES
    )


# Python-Markdown's inline patterns and the text each needs in order to match at all.
# Inline patterns are most of Markdown's cost: every pattern is tried on every text node.
# A pattern whose trigger is absent from a node cannot match there, so skipping it changes
# nothing but the time taken. Patterns not listed (from extensions) are always tried.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),  # newer Markdown: one DelimiterProcessor for * and _
    "em_strong2": ("_",),
}
_ALL_TRIGGERS = frozenset(t for triggers in _TRIGGERS.values() for t in triggers)
_BASE_INLINE = treeprocessors.InlineProcessor
_CAN_PREFILTER = hasattr(_BASE_INLINE, "_InlineProcessor__handleInline") and hasattr(
    _BASE_INLINE, "_InlineProcessor__applyPattern"
)


class _PrefilteredInline(_BASE_INLINE):
    """Python-Markdown's inline processor, minus the tries that cannot match. It replaces
    the private loop `__handleInline` (checked for at import; the equivalence test in
    tests/test_markup.py compares its output with the stock processor's)."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        by_object = {
            id(self.md.inlinePatterns[name]): frozenset(triggers)
            for name, triggers in _TRIGGERS.items()
            if name in self.md.inlinePatterns
        }
        self._triggers = [by_object.get(id(pattern)) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        patterns, triggers = self.inlinePatterns, self._triggers
        # Matches only ever remove triggers (placeholders hold none), so this stays safe.
        present = {t for t in _ALL_TRIGGERS if t in data}
        start = 0
        while patternIndex < len(triggers):
            needed = triggers[patternIndex]
            if needed is not None and needed.isdisjoint(present):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(
                patterns[patternIndex], data, patternIndex, start
            )
            if not matched:
                patternIndex += 1
        return data


class _HtmlBlocksIfAny(HtmlBlockPreprocessor):
    """Python-Markdown feeds every document to an HTML parser to set raw HTML blocks
    aside; a document without '<' has none, and skipping the parser saves a quarter."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("<" in line for line in lines):
            return lines
        return super().run(lines)


def make_markdown_instance(extensions: tuple[str, ...], resolve: Callable[[str], str | None],
                           prefilter: bool = True) -> markdown.Markdown:  # fmt: skip
    md = markdown.Markdown(extensions=[*extensions, _MentionExtension(resolve)])
    if prefilter and _CAN_PREFILTER:
        md.treeprocessors.register(_PrefilteredInline(md), "inline", 20)
    if prefilter and "html_block" in md.preprocessors:
        md.preprocessors.register(_HtmlBlocksIfAny(md), "html_block", 20)
    return md


_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside URLs


def is_safe_url(url: str) -> bool:
    """Relative URLs and a few schemes; never javascript:, data:, vbscript:..."""
    plain = _URL_NOISE_RE.sub("", html.unescape(url)).lower()
    match = _SCHEME_RE.match(plain)
    return match is None or match.group(1) in _SAFE_SCHEMES


class _UnsafeUrls(treeprocessors.Treeprocessor):
    """Drops link and image URLs with unsafe schemes (Markdown's own links; raw HTML is
    cleaned by nh3)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_url(value):
                    del element.attrib[attribute]


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


class MarkdownRenderer:
    """Markdown to safe HTML for one build; resolves [[mentions]] to actor URLs."""

    def __init__(self, extensions: tuple[str, ...], resolve: Callable[[str], str | None],
                 prefilter: bool = True, plain: bool = True) -> None:  # fmt: skip
        self._md = make_markdown_instance(extensions, resolve, prefilter)
        self._md.treeprocessors.register(_UnsafeUrls(self._md), "unsafe_urls", 0)
        # imported here: plainmark builds on this module's mention and URL rules
        from sitegen.plainmark import NEUTRAL_EXTENSIONS, PlainParagraphs

        self._plain: PlainParagraphs | None = None
        if plain and NEUTRAL_EXTENSIONS.issuperset(extensions):
            self._plain = PlainParagraphs(self._md.preprocessors["actor_mention"].link_html)
        # a paragraph no text will contain, put between blocks that are not plain paragraphs
        self._separator = f"sitegen{secrets.token_hex(8)}split"

    def _elements(self, text: str) -> list[str]:
        """Markdown.convert, but each top-level element's HTML separately."""
        md = self._md
        md.reset()
        lines = text.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        root = md.parser.parseDocument(lines).getroot()
        for treeprocessor in md.treeprocessors:
            root = treeprocessor.run(root) or root
        pieces = []
        for element in root:
            piece = md.serializer(element)
            for postprocessor in md.postprocessors:
                piece = postprocessor.run(piece)
            pieces.append(piece.strip())
        return pieces

    @staticmethod
    def _safe(html_text: str, source: str) -> str:
        # Markdown's own output is escaped and its URLs checked; only raw HTML needs nh3.
        return sanitise(html_text) if "<" in source else html_text

    def render(self, text: str) -> str:
        if not text.strip():
            return ""
        return self._safe("\n".join(self._elements(text)), text)

    def render_blocks(self, texts: list[str], references: str = "") -> list[str]:
        """Each block's HTML. The blocks are converted as one document (much faster, and
        `references`, link definitions, work in all), then split at top-level elements:
        one per block when all are plain paragraphs, else at separator paragraphs."""
        if not texts:
            return []
        if self._plain is not None and not references:
            done = self._plain.render_blocks(texts)
            if done is not None:
                return done
        trailer = f"\n\n{references}" if references else ""
        if all(is_plain_paragraph(t) for t in texts):
            pieces = self._elements("\n\n".join(texts) + trailer)
            if len(pieces) == len(texts):
                return [self._safe(p, t) for p, t in zip(pieces, texts, strict=True)]
        marker = f"<p>{self._separator}</p>"
        pieces = self._elements(f"\n\n{self._separator}\n\n".join(texts) + trailer)
        groups: list[list[str]] = [[]]
        for piece in pieces:
            if piece == marker:
                groups.append([])
            else:
                groups[-1].append(piece)
        if len(groups) != len(texts):  # a block swallowed a separator: one at a time
            return [self.render(text + trailer) for text in texts]
        return [self._safe("\n".join(g), t) for g, t in zip(groups, texts, strict=True)]

    def render_inline(self, text: str) -> str:
        """One line of Markdown without its paragraph wrapper (titles, quotes)."""
        out = self.render(text)
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            return out[3:-4]
        return out


_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
# A sentence ends at . ! ? before a capital, but not after an initial or a title ("U.S.
# President", "J. Smith", "Mr. Putin").
_SENTENCE_END_RE = re.compile(
    r"(?<!\b[A-Z]\.)(?<!\bM[rs]\.)(?<!\bMrs\.)(?<!\b[DS][rt]\.)(?<=[.!?])[”\"’']?(?=\s+[A-Z“\"])"
)


def plain_text(text: str) -> str:
    """Markdown as plain text, for summaries and meta descriptions (escaped later)."""
    text = strip_mentions(text)
    text = _LINK_RE.sub(r"\1", text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.I | re.S)
    text = re.sub(r"<[^>]*>", "", text)
    return " ".join(text.split())


def first_sentence(text: str, limit: int = 300) -> str:
    return plain_first_sentence(plain_text(text), limit)


def plain_first_sentence(plain: str, limit: int = 300) -> str:
    """The first sentence of plain text, cut at a word with an ellipsis past `limit`."""
    end = _SENTENCE_END_RE.search(plain)
    sentence = plain[: end.end()] if end else plain
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # not "enough,…"
