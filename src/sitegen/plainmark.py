"""Plain paragraphs to HTML without Python-Markdown, byte for byte as it would write them.

Most briefing blocks are one paragraph of prose with [[mentions]], *emphasis*, **bold** and
inline links, and Python-Markdown spends about a millisecond on each briefing (most of a
cold build). This module handles exactly that subset; anything else (a character or shape
it does not know, an unknown mention, link references) makes it decline, and the briefing
goes to Python-Markdown as before. tests/test_plainmark.py compares both on every case it
accepts, including randomly generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sitegen.body import MENTION_RE, is_plain_paragraph, is_safe_url

# The extensions that leave a plain paragraph as it is; others (smarty, abbr, nl2br)
# change text anywhere, so with them everything goes to Python-Markdown.
NEUTRAL_EXTENSIONS = frozenset({"tables", "fenced_code", "sane_lists", "def_list", "footnotes"})

# Characters that start Markdown constructs this module does not write: code, escapes,
# raw HTML and autolinks, underscores, tables, strikethrough, tabs and carriage returns;
# then pieces of text that do: images, spaces around lines (line breaks, code), blank lines.
_DECLINE_CHARS_RE = re.compile(r"[`\\<_|~\t\r]")


def _declined(text: str) -> bool:
    return (
        _DECLINE_CHARS_RE.search(text) is not None
        or "![" in text  # (four `in`s cost a third of a loop over them)
        or " \n" in text
        or "\n " in text
        or "\n\n" in text
        or text[:1].isspace()
        or text[-1:].isspace()
    )


_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.IGNORECASE)
_LINK_RE = re.compile(r"\[(?<!!\[)([^\[\]]+)\]\(([^\s()<>\"'\[\]\\`|]+)\)")  # "[" first: fast


class Declined(Exception):
    """The text needs Python-Markdown."""


def _escape(text: str) -> str:
    # what Python-Markdown's serializer does to text (entities were declined before)
    return text.replace("&", "&amp;").replace(">", "&gt;")


class PlainParagraphs:
    """Renders plain paragraphs; `mention_html` gives a mention's link, or None when the
    mention is unknown (its text would then go through Markdown, so this declines)."""

    def __init__(self, mention_html: Callable[[re.Match], str | None]) -> None:
        self._mention_html = mention_html

    def render_blocks(self, texts: list[str]) -> list[str] | None:
        """Each text as one `<p>`, or None when any of them needs Python-Markdown."""
        try:
            return [self.paragraph(text) for text in texts]
        except Declined:
            return None

    def paragraph(self, text: str) -> str:
        if "\x02" in text or "\x03" in text:  # Python-Markdown's placeholder markers, and ours
            raise Declined
        tokens: list[str] = []  # finished HTML, stood in for by \x02N\x03 until the end

        def token(html: str) -> str:
            tokens.append(html)
            return f"\x02{len(tokens) - 1}\x03"

        def mention(match: re.Match) -> str:
            html = self._mention_html(match)
            if html is None:
                raise Declined
            return token(html)

        def link(match: re.Match) -> str:
            url = match.group(2)
            # a mention's token in the text or URL would never be replaced (one pass)
            if "\x02" in match.group() or not is_safe_url(url) or _declined(match.group(1)):
                raise Declined
            inner = _emphasis(match.group(1))
            return token(f'<a href="{url.replace("&", "&amp;")}">{inner}</a>')

        # Mentions go first, as in Python-Markdown, whose block parser never sees them.
        if "[[" in text:
            text = MENTION_RE.sub(mention, text)
        # Entities, and `&#` followed by digits even without its `;` (Python-Markdown's HTML
        # block parser completes `&#38` to `&#38;`), are Python-Markdown's to write.
        if "&" in text and ("&#" in text or _ENTITY_RE.search(text)):
            raise Declined
        if not is_plain_paragraph(text):
            raise Declined
        if "[" in text:
            text = _LINK_RE.sub(link, text)  # first: URLs may hold _ and ~
            if "[" in text or "]" in text:
                raise Declined
        if _declined(text):
            raise Declined
        html = _emphasis(text)
        for number, done in enumerate(tokens):  # (a few: a replace each beats a callback)
            html = html.replace(f"\x02{number}\x03", done, 1)
        return f"<p>{html}</p>"


# Text whose stars are all *em* and **strong** pairs: runs of one or two stars, each
# opening run followed and each closing run preceded by a non-space, closed by the next run,
# which is the same. (Each stretch between runs is matched one way only: no backtracking
# that grows with the text.)
_PAIRED_STARS_RE = re.compile(r"[^*]*(?:(\*\*?)(?!\s)[^*]+(?<!\s)\1(?!\*)[^*]*)*")


def _emphasis(text: str) -> str:
    """Escaped text with *em* and **strong** (see _PAIRED_STARS_RE). Escaping leaves the
    stars where they are, and in such text every `**` opens or closes a strong pair, in
    turn, and then every `*` an em pair: between each two, the text they mark."""
    html = _escape(text)
    if "*" not in text:
        return html
    if _PAIRED_STARS_RE.fullmatch(text) is None:
        raise Declined
    for stars, tag in (("**", "strong"), ("*", "em")):
        if stars in html:
            parts = html.split(stars)
            parts[1::2] = [f"<{tag}>{part}</{tag}>" for part in parts[1::2]]
            html = "".join(parts)
    return html
