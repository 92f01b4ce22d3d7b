"""The reference for every Markdown test: stock `markdown.Markdown(...).convert`.

The only additions are the two that sitegen registers through Python-Markdown's public
extension API (mentions as links, unsafe URLs dropped), and nh3 on documents with raw HTML,
exactly as the site applies it. Each block is converted on its own, with the briefing's link
definitions after it: that is what a block of a briefing means.
"""

from __future__ import annotations

from collections.abc import Callable

import markdown

from sitegen.markup import _MentionExtension, _UnsafeUrls, sanitise

Resolve = Callable[[str], str | None]


def stock_html(text: str, extensions: tuple[str, ...], resolve: Resolve) -> str:
    md = markdown.Markdown(extensions=[*extensions, _MentionExtension(resolve)])
    md.treeprocessors.register(_UnsafeUrls(md), "unsafe_urls", 0)
    html = md.convert(text)
    return sanitise(html) if "<" in text else html


def stock_blocks(
    texts: list[str], references: str, extensions: tuple[str, ...], resolve: Resolve
) -> list[str]:
    trailer = f"\n\n{references}" if references else ""
    return [stock_html(text + trailer, extensions, resolve) for text in texts]
