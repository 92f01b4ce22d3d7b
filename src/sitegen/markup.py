"""Markup: Markdown to safe HTML, with [[mentions]] as links to actor pages.

Python-Markdown, stock, is the reference: its only additions here are registered through its
extension API (mentions, unsafe URLs dropped), and plainmark.py writes the plain paragraphs it
fully understands byte for byte as Python-Markdown would (tests/test_markdown_fidelity.py
compares both with stock `markdown.Markdown(...).convert`). No file access. A new
`MarkdownRenderer` is made for each build (and each worker process), so no state leaks from
one build into the next.
"""

from __future__ import annotations

import html
import importlib
import re
import secrets
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
import nh3
from markdown import treeprocessors
from markdown.preprocessors import Preprocessor

from sitegen.body import MENTION_RE, SAFE_SCHEMES, is_safe_url
from sitegen.plainmark import NEUTRAL_EXTENSIONS, PlainParagraphs


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
    # the footnotes extension's: its references, notes and their box (see _footnote_only)
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
}
# the ids and the class the footnotes extension writes ('fn:1', 'fnref:1', 'fnref2:1')
_FOOTNOTE_ID_RE = re.compile(r"fn(?:ref\d*)?:")


def _footnote_only(tag: str, attribute: str, value: str) -> str | None:
    """Of the attributes allowed for footnotes, only the footnotes' own: a block with raw
    HTML in it kept its footnote reference but lost the note's id (its link led to another
    item's note of the same label, or nowhere) and the note's box its class."""
    if attribute == "id":
        return value if _FOOTNOTE_ID_RE.match(value) else None
    if tag == "div":
        return value if value == "footnote" else None
    return value


def sanitise(html_text: str) -> str:
    """Drop scripts, event handlers, styles and unsafe URLs from rendered HTML."""
    return nh3.clean(
        html_text,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_footnote_only,
        link_rel=None,
        url_schemes=SAFE_SCHEMES,
    )


# a table's opening and closing tags (the tables extension's, or raw HTML cleaned by nh3)
_TABLE_TAG_RE = re.compile(r"<(/?)table\b[^>]*>")


def scrolling_tables(html_text: str) -> str:
    """Each table in a box of its own that scrolls sideways: a table of many columns made
    the whole page wider than a phone. The box can be focused (tabindex), so that keyboard
    users can scroll it too, and is a named region, as WCAG asks of such a box."""
    if "<table" not in html_text:
        return html_text
    return _TABLE_TAG_RE.sub(
        lambda m: "</table></div>" if m.group(1) else
        f'<div class="table-scroll" role="region" aria-label="Table" tabindex="0">{m.group(0)}',
        html_text,
    )  # fmt: skip


# a footnote's id, or a link to one: id="fn:1", href="#fnref:1", href="#fnref2:1"; the label
# up to the closing quote
_FOOTNOTE_TARGET_RE = re.compile(r'(\b(?:id="|href="#)fn(?:ref\d*)?:)([^"]*)"')
_SPACES_RE = re.compile(r"\s+")


def namespace_footnotes(html_text: str, prefix: str) -> str:
    """The footnotes' ids in a block's HTML (and the links to them) with `prefix` after
    'fn:': each block is converted on its own, so two items that each define a [^1] both
    gave id="fn:1", and an actor's page, which shows items of many days, had one per day.
    `prefix` names the block ('2022-01-27-x:item-3:'), so every id is unique on any page. A
    label's spaces ([^wire copy]) become '-': an id has none (the Nu checker: bad value)."""
    if "fn" not in html_text or 'class="footnote' not in html_text:
        return html_text
    return _FOOTNOTE_TARGET_RE.sub(
        lambda m: f'{m.group(1)}{prefix}{_SPACES_RE.sub("-", m.group(2))}"', html_text
    )


def make_markdown_instance(
    extensions: tuple[str, ...], resolve: Callable[[str], str | None]
) -> markdown.Markdown:
    """Stock Python-Markdown with the site's extensions, mentions and the URL check."""
    chosen = [_stock_extension(name) for name in extensions]
    md = markdown.Markdown(extensions=[*chosen, _MentionExtension(resolve)])
    md.treeprocessors.register(_UnsafeUrls(md), "unsafe_urls", 0)
    return md


def _stock_extension(name: str) -> markdown.extensions.Extension | str:
    """A stock extension by its module, as Python-Markdown loads one named `markdown.
    extensions.NAME`: by its short name, Markdown would first search every installed
    package's entry points (importlib.metadata), which costs a build more than the rest of
    making the instance. Other names are left to Markdown."""
    if not name.isidentifier():
        return name
    try:
        module = importlib.import_module(f"markdown.extensions.{name}")
    except ImportError:
        return name
    return module.makeExtension()


class _UnsafeUrls(treeprocessors.Treeprocessor):
    """Drops link and image URLs with unsafe schemes (Markdown's own links; raw HTML is
    cleaned by nh3)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_url(value):
                    del element.attrib[attribute]


# Extensions whose definitions apply to the whole document: blocks that use them are
# converted one by one, as a block on its own would be.
_DOCUMENT_WIDE = frozenset({"footnotes", "abbr"})


class MarkdownRenderer:
    """Markdown to safe HTML for one build; resolves [[mentions]] to actor URLs."""

    def __init__(
        self, extensions: tuple[str, ...], resolve: Callable[[str], str | None], plain: bool = True
    ) -> None:
        self._md = make_markdown_instance(extensions, resolve)
        self._plain: PlainParagraphs | None = None
        if plain and NEUTRAL_EXTENSIONS.issuperset(extensions):
            mentions = self._md.preprocessors["actor_mention"]
            assert isinstance(mentions, _MentionStash)  # registered by make_markdown_instance
            self._plain = PlainParagraphs(mentions.link_html)
        self._document_wide = not _DOCUMENT_WIDE.isdisjoint(extensions)
        # what the body's blocks follow from (body.split_blocks: footnotes, abbreviations)
        self.extensions = extensions
        self._footnotes = "footnotes" in extensions
        # a paragraph no text will contain, put between blocks converted together
        self._separator = f"sitegen{secrets.token_hex(8)}split"

    def for_page(self, html_text: str, footnotes_prefix: str = "") -> str:
        """Converted HTML as pages show it: tables scroll in a box of their own, footnotes'
        ids carry `footnotes_prefix` (see namespace_footnotes)."""
        html_text = scrolling_tables(html_text)
        return namespace_footnotes(html_text, footnotes_prefix) if self._footnotes else html_text

    def _elements(self, text: str) -> list[str]:
        """Markdown.convert, but each top-level element's HTML separately."""
        md = self._md
        md.reset()
        lines = text.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        root = md.parser.parseDocument(lines).getroot()
        assert root is not None  # parseDocument always makes a root <div>
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
        """Stock `Markdown.convert`, made safe."""
        if not text.strip():
            return ""
        self._md.reset()
        return self._safe(self._md.convert(text), text)

    def render_blocks(self, texts: list[str], references: str = "") -> list[str]:
        """Each block's HTML, as `render` gives it for the block followed by the briefing's
        link definitions (`references`). Plain paragraphs take plainmark's path; the others
        are converted as one document when that gives the same HTML (much faster), split
        at separator paragraphs, else one by one."""
        if not texts:
            return []
        if self._plain is not None and not references:
            done = self._plain.render_blocks(texts)
            if done is not None:
                return done
        trailer = f"\n\n{references}" if references else ""
        if self._joinable(texts):
            joined = self._render_joined(texts, trailer)
            if joined is not None:
                return joined
        return [self.render(text + trailer) for text in texts]

    def _joinable(self, texts: list[str]) -> bool:
        """Whether converting the blocks together cannot change any block's HTML: no
        extension whose definitions reach across the document (footnotes, abbreviations),
        no link definition inside a block (it would reach the other blocks)."""
        if self._document_wide:
            return False
        # Raw HTML and character references go through Python-Markdown's HTML block parser,
        # whose handling of one block can depend on the blocks before it.
        return not any("]:" in text or "<" in text or "&" in text for text in texts)

    def _render_joined(self, texts: list[str], trailer: str) -> list[str] | None:
        marker = f"<p>{self._separator}</p>"
        pieces = self._elements(f"\n\n{self._separator}\n\n".join(texts) + trailer)
        groups: list[list[str]] = [[]]
        for piece in pieces:
            if piece == marker:
                groups.append([])
            else:
                groups[-1].append(piece)
        if len(groups) != len(texts):  # a block swallowed a separator
            return None
        return [self._safe("\n".join(g), t + trailer) for g, t in zip(groups, texts, strict=True)]
