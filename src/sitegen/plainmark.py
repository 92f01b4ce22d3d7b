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
_DECLINE_PIECES = ("![", " \n", "\n ", "\n\n")


def _declined(text: str) -> bool:
    return (
        _DECLINE_CHARS_RE.search(text) is not None
        or any(piece in text for piece in _DECLINE_PIECES)
        or text[:1].isspace()
        or text[-1:].isspace()
    )


_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.IGNORECASE)
_LINK_RE = re.compile(r"\[(?<!!\[)([^\[\]]+)\]\(([^\s()<>\"'\[\]\\`|]+)\)")  # "[" first: fast
_STARS_RE = re.compile(r"\*+")
_TOKEN_RE = re.compile(r"\x02(\d+)\x03")


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
            if not is_safe_url(url) or _declined(match.group(1)):
                raise Declined
            inner = _emphasis(match.group(1))
            return token(f'<a href="{url.replace("&", "&amp;")}">{inner}</a>')

        # Mentions go first, as in Python-Markdown, whose block parser never sees them.
        if "[[" in text:
            text = MENTION_RE.sub(mention, text)
        # Entities, and `&#` followed by digits even without its `;` (Python-Markdown's HTML
        # block parser completes `&#38` to `&#38;`), are Python-Markdown's to write.
        if "&#" in text or _ENTITY_RE.search(text) or not is_plain_paragraph(text):
            raise Declined
        if "[" in text:
            text = _LINK_RE.sub(link, text)  # first: URLs may hold _ and ~
            if "[" in text or "]" in text:
                raise Declined
        if _declined(text):
            raise Declined
        html = _emphasis(text)
        if tokens:
            html = _TOKEN_RE.sub(lambda m: tokens[int(m.group(1))], html)
        return f"<p>{html}</p>"


def _emphasis(text: str) -> str:
    """Escaped text with *em* and **strong**: runs of one or two stars in matched pairs,
    each opening star followed and each closing star preceded by a non-space."""
    if "*" not in text:
        return _escape(text)
    out: list[str] = []
    position = 0
    opener: re.Match | None = None
    for run in _STARS_RE.finditer(text):
        stars = run.group()
        if opener is None:
            following = text[run.end() : run.end() + 1]
            if len(stars) > 2 or not following or following.isspace():
                raise Declined
            out.append(_escape(text[position : run.start()]))
            opener = run
        else:
            if stars != opener.group() or text[run.start() - 1].isspace():
                raise Declined
            tag = "em" if len(stars) == 1 else "strong"
            out.append(f"<{tag}>{_escape(text[opener.end() : run.start()])}</{tag}>")
            opener = None
        position = run.end()
    if opener is not None:
        raise Declined
    out.append(_escape(text[position:]))
    return "".join(out)
