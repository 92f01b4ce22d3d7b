"""A guard against Markdown that would take Python-Markdown minutes or crash it.

Python-Markdown's time grows faster than the text on some shapes (found by fuzzing it; see
bench/markdown_shapes.py):
- every unclosed `[` (of a link, image or footnote) makes it rescan the rest of the
  paragraph, and so does every `(` of a link left open: 8,000 `[` on one line take 9 s,
  200,000 take hours;
- every `<` left open sends its HTML parser over the rest of the document;
- every opening run of backticks without its closing run is matched against the rest of the
  paragraph (and, in summaries, against the rest of the line by a regex that backtracks);
- the pieces of one paragraph (links, emphasis, code, line breaks) and the paragraphs of one
  document cost in proportion to the square of their number;
- lists and quotes nested a few hundred deep overflow its recursion (RecursionError).

`costly_markdown` estimates that cost from a few linear scans, before any Markdown is
converted, and names the line of a text whose estimate is over the limit, with the fix. The
estimates are calibrated on the measured costs with every Markdown extension on, so that no
accepted text found by bench/markdown_shapes.py takes more than a couple of seconds; real
briefings stay far below the limits (a 3 KB briefing is estimated at a few milliseconds, a
1 MB changelog at about the limit). The result depends on the text alone, never on the
machine or its load, so a build that passes here passes everywhere.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# The estimated seconds of conversion a text may cost: a second, plus what a text of its size
# costs when its time only grows with its length (measured: under a second per MiB), so that
# big documents pass and only shapes whose cost outgrows their size are stopped.
LIMIT = 1.0
LIMIT_PER_BYTE = 3e-6
# Measured costs (every Markdown extension on), rounded up to cover the worst shapes found.
_SCAN_STEP = 2e-6  # one character rescanned by Python-Markdown's link parser (Python code)
_TICK_STEP = 300e-9  # one character rescanned for a code span (Python code)
_ANGLE_STEP = 6e-9  # one character rescanned by the HTML parser (regular expressions)
_TAG = 50  # how much slower the HTML parser reads an unclosed tag (<a ...) than a bare <
_PIECE_PAIR = 40e-9  # a pair of pieces of one paragraph or list entry (list index, insert)
_BLOCK_PAIR = 70e-9  # a pair of paragraphs or list entries of a document (with separators)
_SPLIT_PAIR = 0.15e-9  # a pair of blank-line-separated pieces (empty ones too) of a document
_NESTED_PAIR = 250e-9  # a pair of blocks (headings, rules, quotes) inside one list entry
_CODE_STEP = 0.3e-9  # a piece of an indented code block times a character of the block
MAX_NESTING = 32  # Python-Markdown overflows its recursion at about 200 nested lists

# Line patterns start with "\n" (searched for in "\n" + text): a literal first character
# lets the regex engine skip ahead, where "^" with re.MULTILINE tries every position.
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n|$)")
_ENTRY = r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]"
_ENTRY_HERE = re.compile(_ENTRY)
_ENTRY_LINE = re.compile(rf"\n(?={_ENTRY})")
_NESTED_BLOCK = re.compile(r"\n[ \t]*(?:#|>|[-=_*][ \t]*[-=_*][ \t]*[-=_*]|```|~~~|:)")
_BRACKETS = re.compile(r"[\[\]()]")
_TICK_RUNS = re.compile(r"`+")
_ANGLES = re.compile(r"[<>]")
# what becomes an element or a stashed piece of a paragraph (with smarty, quotes and dashes;
# with nl2br, line ends)
_PIECE_CHARS = "[<*_`&\\\"'-\n"  # a link is one piece: its ]() are not counted
_PIECES = re.compile("[" + re.escape(_PIECE_CHARS) + "]")
_DEEP_LINE = re.compile(rf"\n[ \t>*+\-0-9.)]{{{MAX_NESTING + 1}}}")  # a level takes a character
# a line's quote and list markers (">" needs no space after it: ">>" is two quotes)
_CONTAINERS = re.compile(r"\n[ \t]*(?:>[ \t]*|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))+", re.MULTILINE)
_CONTAINER = re.compile(r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")


@dataclass(frozen=True)
class Costly:
    """Where a text is too costly to convert (0-based offset) and what to do about it."""

    offset: int
    message: str

    def line(self, text: str, first_line: int = 1) -> int:
        return first_line + text.count("\n", 0, self.offset)


@dataclass(frozen=True)
class _Estimate:
    seconds: float
    offset: int = 0
    message: str = ""


def costly_markdown(text: str, fenced_code: bool = False) -> Costly | None:
    """Why converting `text` would take too long (its costliest shape), or None. With
    `fenced_code` (the extension is on), what a closed fenced block holds costs nothing:
    the extension takes it out before anything else reads the text."""
    if len(text) <= MAX_NESTING:  # too short to cost anything
        return None
    if fenced_code:
        text = _fences_masked(text)
    layout = _Layout(text)
    deep = _too_deep(layout.without_code)
    if deep is not None:
        return deep
    estimates = [
        rule(text, layout)
        for rule in (_unclosed_brackets, _unclosed_code, _unclosed_angles, _pieces, _blocks)
    ]
    if sum(e.seconds for e in estimates) <= LIMIT + LIMIT_PER_BYTE * len(text):
        return None
    worst = max(estimates, key=lambda e: e.seconds)
    return Costly(worst.offset, worst.message)


# The opening line of a fenced block as the fenced_code extension reads one: three or more
# backticks or tildes at the start of a line, then perhaps {attributes}, or a language and
# hl_lines="..." (anything else after the fence: no block). It closes at the next line that is
# the same fence (as many of the same character) and spaces.
_FENCE_OPENING = re.compile(
    r"(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?"
    r"(?:hl_lines=(?P<quote>\"|')[^\n]*?(?P=quote)[ ]*)?)\n"
)
_FENCE_LINE = re.compile(r"\n(?=[`~]{3})")


def _fences_masked(text: str) -> str:
    """The text with each closed fenced block (its fences too) replaced by as many 'x': one
    piece of text with nothing to parse, no line breaks, no blank lines (a 10,000-line log
    with blank lines in it was refused as 10,000 paragraphs). Offsets stay as they were.
    Linear: a fence's closing line is looked up, not searched for (a regular expression
    searching from each of thousands of unclosed fences took their number times the text)."""
    if "```" not in text and "~~~" not in text:
        return text
    starts = [0, *(m.start() + 1 for m in _FENCE_LINE.finditer(text))] if text else []
    closing: dict[str, list[int]] = {}  # a fence -> the starts of the lines that are it
    for start in starts:
        end = text.find("\n", start)
        line = text[start : len(text) if end < 0 else end].rstrip(" ")
        if line and line.strip(line[0]) == "" and len(line) >= 3:
            closing.setdefault(line, []).append(start)
    pieces: list[str] = []
    position = 0
    for start in starts:
        if start < position:
            continue
        opening = _FENCE_OPENING.match(text, start)
        if opening is None:
            continue
        candidates = closing.get(opening.group("fence"), [])
        found = bisect.bisect_left(candidates, opening.end())
        if found == len(candidates):
            continue  # never closed: no block, and the lines are read as text
        close = candidates[found]
        end = text.find("\n", close)
        end = len(text) if end < 0 else end
        pieces += [text[position:start], "x" * (end - start)]
        position = end
    return "".join([*pieces, text[position:]]) if pieces else text


class _Layout:
    """Where the text's inline parts are, worked out when first asked for. Markdown's inline
    parsers never look past a blank line, nor past the end of a list entry: each paragraph
    (`chunks`) and each list entry (`units`) is read on its own. Python-Markdown starts a
    list only after a blank line, so a paragraph is split at entries only when it is a list.
    An indented code block (`code`: a chunk every line of which is indented by four, where
    no list, footnote or definition goes on) is no paragraph: no inline parser reads it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._chunks: list[tuple[int, int]] | None = None
        self._units: list[tuple[int, int]] | None = None
        self._code: list[list[tuple[int, int]]] | None = None

    @property
    def longest(self) -> int:
        """The length of the longest paragraph: what any one parser can rescan."""
        return max((end - start for start, end in self.chunks), default=0)

    @property
    def chunks(self) -> list[tuple[int, int]]:
        """The paragraphs (blank-line-separated pieces) that are not indented code."""
        if self._chunks is None:
            self._split()
        assert self._chunks is not None
        return self._chunks

    @property
    def code(self) -> list[list[tuple[int, int]]]:
        """The indented code blocks, each as its blank-line-separated pieces (Markdown
        joins them into one block, a piece at a time)."""
        if self._code is None:
            self._split()
        assert self._code is not None
        return self._code

    def _split(self) -> None:
        chunks: list[tuple[int, int]] = []
        code: list[list[tuple[int, int]]] = []
        start, continued, in_code = 0, False, False
        pieces = []
        for blank in _BLANK_LINES.finditer(self.text):
            if blank.start() > start:
                pieces.append((start, blank.start()))
            start = blank.end()
        if start < len(self.text):
            pieces.append((start, len(self.text)))
        if not _may_hold_code(self.text):  # most texts: every piece is a paragraph
            self._chunks, self._code = pieces, []
            return
        for start, end in _code_under_headings(self.text, pieces):
            if _is_code(self.text, start, end):
                if not continued:  # (else a list entry, note or definition goes on)
                    if not in_code:
                        code.append([])
                    code[-1].append((start, end))
                    in_code = True
                    continue
            else:
                continued = bool(_CONTINUED.search(self.text, start, end))
            chunks.append((start, end))
            in_code = False
        self._chunks, self._code = chunks, code

    @property
    def without_code(self) -> str:
        """The text with its indented code blocks' characters but line ends made 'x' (what
        looks like nested lists there is code)."""
        if not self.code:
            return self.text
        text = list(self.text)
        for block in self.code:
            for start, end in block:
                text[start:end] = _NO_NEWLINE.sub("x", self.text[start:end])
        return "".join(text)

    @property
    def units(self) -> list[tuple[int, int]]:
        if self._units is None:
            units = []
            for start, end in self.chunks:
                if not _ENTRY_HERE.match(self.text, start):
                    units.append((start, end))
                    continue
                lines = _ENTRY_LINE.finditer(self.text, start, end)
                entries = [start, *(line.start() + 1 for line in lines)]
                units.extend(zip(entries, [*entries[1:], end], strict=True))
            self._units = units
        return self._units


def _code_under_headings(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces, those that are a '#' heading line with indented code right under it
    ('## Logs' and a log indented by four, without a blank line between) as two: Markdown
    reads the heading and the code as blocks of their own."""
    if "\n#" not in text and not text.startswith("#"):
        return pieces
    split: list[tuple[int, int]] = []
    for start, end in pieces:
        line_end = text.find("\n", start, end) if text.startswith("#", start) else -1
        if line_end > 0 and _is_code(text, line_end + 1, end):
            split += [(start, line_end), (line_end + 1, end)]
        else:
            split.append((start, end))
    return split


def _may_hold_code(text: str) -> bool:
    """Whether some line of `text` could start an indented code block (four spaces or a tab);
    a cheap test that spares most texts the split into pieces."""
    return "\t" in text or "\n    " in text or text.startswith("    ")


def _is_code(text: str, start: int, end: int) -> bool:
    """Whether every line of text[start:end] is indented by four columns."""
    return bool(_CODE_LINE.match(text, start)) and not _NOT_CODE.search(text, start, end)


# a line indented by four columns (a tab is four), and a line that is not
_CODE_LINE = re.compile(r"(?: {4}| {0,3}\t)")
_NOT_CODE = re.compile(r"\n(?! {4}| {0,3}\t)")
_NO_NEWLINE = re.compile(r"[^\n]")
# what an indented piece after it continues (not code): a list entry, a footnote, a definition
# (on any line of the piece before it: a definition's ':' comes after its term)
_CONTINUED = re.compile(
    r"^[ ]{0,3}(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|\[\^[^\]\n]*\]:|:[ \t])", re.M
)


def _small(bound: float) -> bool:
    """A rule whose upper bound is this small needs no closer look (five rules together stay
    under half the limit)."""
    return bound <= LIMIT / 10


def _too_deep(text: str) -> Costly | None:
    lines = "\n" + text
    if _DEEP_LINE.search(lines) is None:
        return None
    for line in _CONTAINERS.finditer(lines):
        prefix = line.group()[1:]
        indent = len(prefix) - len(prefix.lstrip(" \t"))
        depth = len(_CONTAINER.findall(prefix)) + prefix[:indent].expandtabs(4).count("    ")
        if depth > MAX_NESTING:
            return Costly(
                line.start(),  # (of the "\n" before the line: the line's own offset in text)
                f"lists and quotes nested {depth} deep; Markdown can nest at most "
                f"{MAX_NESTING} (deeper nesting overflows its parser): flatten them",
            )
    return None


def _unclosed_brackets(text: str, layout: _Layout) -> _Estimate:
    """Python-Markdown's link parser scans from every `[` to its `]` (or the end of the
    paragraph or list entry), and from every `(` of a link to its `)`."""
    bound = (text.count("[") + text.count("(")) * layout.longest * _SCAN_STEP
    if _small(bound):
        return _Estimate(bound)
    scanned = 0
    unclosed, first = 0, len(text)
    for start, end in layout.units:
        squares: list[int] = []
        rounds: list[int] = []  # the '(' of links, and '(' inside them
        for mark in _BRACKETS.finditer(text, start, end):
            char, at = mark.group(), mark.start()
            if char == "[":
                squares.append(at)
            elif char == "]":
                if squares:
                    scanned += at - squares.pop()
            elif char == "(":
                if rounds or (at > start and text[at - 1] == "]"):
                    rounds.append(at)
            elif rounds:
                scanned += at - rounds.pop()
        for at in squares + rounds:
            scanned += end - at
            first = min(first, at)
        unclosed += len(squares) + len(rounds)
    message = (
        f"{unclosed:,} '[' or '(' of links are never closed, and Markdown would read the rest "
        "of the paragraph again for each one (for minutes): close them, or write them as \\[ "
        "and \\("
    )
    return _Estimate(scanned * _SCAN_STEP, first if unclosed else 0, message)


def _unclosed_code(text: str, layout: _Layout) -> _Estimate:
    """A run of backticks opens code that only a run of the same length closes. Python-Markdown
    matches an unclosed run against the rest of the paragraph from each of its backticks;
    the summary's plain-text regex, against the rest of the line, with backtracking."""
    ticks = text.count("`")
    bound = (ticks * _TICK_STEP + ticks * ticks * _ANGLE_STEP) * len(text)
    if _small(bound):
        return _Estimate(bound)
    seconds = 0.0
    first = -1
    for start, end in layout.chunks:
        runs = [(m.start(), m.end() - m.start()) for m in _TICK_RUNS.finditer(text, start, end)]
        closed: set[int] = set()
        waiting: dict[int, int] = {}  # run length -> index of the open run of that length
        for index, (at, length) in enumerate(runs):
            opener = waiting.pop(length, None)
            if opener is None:
                waiting[length] = index
            else:
                closed.update((opener, index))
                seconds += (at - runs[opener][0]) * _TICK_STEP
        for index, (at, length) in enumerate(runs):
            if index in closed:
                continue
            line_end = text.find("\n", at, end)
            rest_of_line = (line_end if line_end >= 0 else end) - at
            seconds += length * (end - at) * _TICK_STEP
            seconds += length * length * rest_of_line * _ANGLE_STEP
            first = at if first < 0 else first
    message = (
        "backticks open code that is never closed by as many backticks, and Markdown would read "
        "the rest of the paragraph again for each one (for minutes): close the code, or write "
        "them as \\`"
    )
    return _Estimate(seconds, max(first, 0), message)


def _unclosed_angles(text: str, layout: _Layout) -> _Estimate:
    """Every `<` sends the HTML parser looking for its `>`, over the whole text; what looks
    like a tag, a comment or a declaration is read by slower code."""
    opens = text.count("<")
    bound = opens * len(text) * _ANGLE_STEP * _TAG
    if _small(bound):
        return _Estimate(bound)
    seconds = 0.0
    pending: list[int] = []
    for mark in _ANGLES.finditer(text):
        if mark.group() == "<":
            pending.append(mark.start())
            continue
        for at in pending:
            seconds += _angle_cost(text, at, mark.start())
        pending.clear()
    for at in pending:
        seconds += _angle_cost(text, at, len(text))
    message = (
        f"{len(pending) or opens:,} '<' are never closed by '>', and the HTML parser would read "
        "the rest of the text again for each one (for minutes): write them as &lt;"
    )
    return _Estimate(seconds, pending[0] if pending else text.find("<"), message)


def _angle_cost(text: str, at: int, closed_at: int) -> float:
    following = text[at + 1 : at + 2]
    weight = _TAG if following.isalpha() or following in ("/", "!", "?") else 1
    return (closed_at - at) * weight * _ANGLE_STEP


def _pieces(text: str, layout: _Layout) -> _Estimate:
    """Markdown walks the tree of a paragraph with list lookups and inserts whose cost grows
    with the square of its pieces (links, emphasis, code, entities, line breaks, and with
    smarty quotes and dashes)."""
    bound = len(text) * layout.longest * _PIECE_PAIR  # pieces of a paragraph <= its length
    if _small(bound):
        return _Estimate(bound)
    seconds = 0.0
    worst, worst_at = 0, 0
    for start, end in layout.units:
        count = _pieces_outside_code(text, start, end)
        seconds += count * count * _PIECE_PAIR
        if count > worst:
            worst, worst_at = count, start
    message = (
        f"this paragraph has {worst:,} pieces of Markdown (links, emphasis, code, quotes, "
        "line breaks), and Markdown's time grows with the square of their number (minutes at "
        "this size): split the paragraph"
    )
    return _Estimate(seconds, worst_at, message)


def _pieces_outside_code(text: str, start: int, end: int) -> int:
    """The pieces of text[start:end], a closed code span or fence counting as one: what is
    inside is taken out before any other inline pattern runs (a 10,000-line log in a fenced
    block converts in milliseconds, and was refused as 10,000 pieces)."""
    count, position = 0, start
    for opened, closed in code_spans(text, start, end):
        count += len(_PIECES.findall(text, position, opened)) + 1
        position = closed
    return count + len(_PIECES.findall(text, position, end))


def code_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The closed code spans of text[start:end] as Markdown pairs its backticks, each as
    (start, end) with its backticks: a run of backticks closes at the next run of the same
    length; one that never closes, or comes after a backslash, opens nothing (Markdown reads
    on inside). Linear in the number of runs (a regular expression pairing them took 16 s
    over a line of 2,000 backticks)."""
    end = len(text) if end is None else end
    if text.find("`", start, end) < 0:
        return []
    runs = [(m.start(), m.end()) for m in _TICK_RUNS.finditer(text, start, end)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last.get(length)
        last[length] = index
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        closing = following[index]
        opened_at = runs[index][0]
        if closing is None or (opened_at > start and text[opened_at - 1] == "\\"):
            index += 1
            continue
        spans.append((opened_at, runs[closing][1]))
        index = closing + 1
    return spans


def _blocks(text: str, layout: _Layout) -> _Estimate:
    """...and so does a document's with the square of its paragraphs and list entries (each
    list pop and index is a walk over all of them), a list entry's with the square of the
    headings, rules and quotes in it, and the block parser's with the square of the blank
    lines (it pops the first of its blocks, one at a time)."""
    lines = text.count("\n") + 1
    if _small(lines * lines * _NESTED_PAIR):
        return _Estimate(lines * lines * _NESTED_PAIR)
    units = len(layout.units) + len(layout.code)  # an indented code block: one element
    splits = text.count("\n\n")
    # the pieces of an indented code block are joined one at a time, each copying the code
    # so far: the pieces times the block's length
    code = sum(len(block) * (block[-1][1] - block[0][0]) for block in layout.code) * _CODE_STEP
    worst, worst_at = 0, 0
    nested = 0.0
    for start, end in layout.chunks:
        count = len(_NESTED_BLOCK.findall(text, start, end))  # lines after the first
        nested += count * count * _NESTED_PAIR
        if count > worst:
            worst, worst_at = count, start
    terms = [
        (
            units * units * _BLOCK_PAIR,
            0,
            f"the text has {units:,} paragraphs and list entries, and Markdown's time grows "
            "with the square of their number (minutes at this size): split it into several "
            "files",
        ),
        (
            nested,
            worst_at,
            f"this paragraph or list has {worst:,} headings, rules or quotes inside it, and "
            "Markdown's time grows with the square of their number (minutes at this size): "
            "put blank lines between them",
        ),
        (
            splits * splits * _SPLIT_PAIR,
            0,
            f"the text has {splits:,} blank lines, and Markdown's time grows with the square "
            "of their number (minutes at this size): remove the empty ones",
        ),
    ]
    if layout.code:
        blocks = max(layout.code, key=len)
        terms.append(
            (
                code,
                blocks[0][0],
                f"this indented code block has {len(blocks):,} blank lines, and Markdown's time "
                "grows with their number times the block's length (minutes at this size): put "
                "it in a fenced block (```) or remove the blank lines",
            )
        )
    _, offset, message = max(terms, key=lambda term: term[0])
    return _Estimate(sum(term[0] for term in terms), offset, message)
