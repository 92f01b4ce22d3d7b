"""Raw briefing text -> RawBriefing: date, title, lead, background, sections, credits.

Reads the reference format (`date YYYY-MM-DD` and the lead on the first line) and what
real feeds do instead: `Date:` headers, datelines in prose, dates only in the file name,
several heading styles, bullets, CRLF. It never invents a date.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from sitegen.body import heading_text as markdown_heading_text
from sitegen.source import NOT_XML, describe_char, utf16_kind

from .lexicon import load_lexicon, words

# A day's briefing is tens of kilobytes; the longest live blogs a few hundred. Parsing runs
# at roughly 100 KB in ten seconds, so a larger input is more likely a wrong file (a whole
# archive, a log) than a briefing, and would keep the parser busy for minutes.
MAX_BYTES = 1024 * 1024

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_PROSE_DATE = re.compile(
    rf"{_WEEKDAY}(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?(?:\s+|-){_MONTH.replace('month', 'month2')}"
    rf"(?:,?\s+|-)(?P<year2>\d{{4}}))",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# 2019/05/21 or 2019.05.21, and day and month in either order with dots or slashes
# (21.05.2019, 05/21/2019): read only when a part over 12 (or two equal parts) says which is
# the day.
_NUMERIC_DATE = re.compile(
    r"(?<![\d./])(?:(\d{4})[/.](\d{1,2})[/.](\d{1,2})|(\d{1,2})([./])(\d{1,2})\5(\d{4}))(?!\d)"
)
# A time of day as pages print one beside a date: '10:42 BST', '7:00 a.m. ET', '07:00:00Z'
_TIME_OF_DAY = (
    r"\d{1,2}(?:[:.]\d{2}){0,2}(?:\.\d+)?\s*(?:[ap]\.?\s?m\.?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2})|\s+(?:[A-Z]{2,5}|(?:GMT|UTC)\s?[+-]\s?\d{1,2}(?::?\d{2})?))?"
)
# '09.25.2021', which a clock's time with its seconds would also read
_DAY_MONTH_YEAR = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
# The same with a clock's shape, so that no bare number is read as one: '10:15', '3 pm'
_CLOCK_TIME = rf"(?=\d{{1,2}}(?:[:.]\d\d|\s*[ap]\.?\s?m)){_TIME_OF_DAY}"
# A line that is only a time of day: a live blog's entry ('10:15 a.m.', '4:00 am', 'Updated
# at 09.12 GMT')
_TIME_STAMP = re.compile(
    rf"^(?:(?:updated|posted|published)(?: at)?:?\s+)?(?!{_DAY_MONTH_YEAR}$){_CLOCK_TIME}$",
    re.IGNORECASE,
)
# A line that is only a date, as pages print one under their title: with a word before it
# ('Published', 'Updated on', 'Last modified on'), a time after it ('10:42 BST', 'at 7:00
# a.m. ET', 'T07:00:00Z', '| 7:00 AM', '/ 7:00 AM') or before it ('Updated 10:32 a.m. ET,
# Tue March 3, 2026'), a weekday before a numeric date ('Tuesday 03/03/2026'), then perhaps
# a reading time ('• 4 min read').
_DATELINE = re.compile(
    r"^\s*(?:live\s+)?(?:(?P<lead>published|posted|first published|(?:last )?(?:updated|modified))"
    r"(?:\s+on)?:?\s+)?"
    rf"(?:{_CLOCK_TIME},?\s+)?"
    rf"(?:{_WEEKDAY}(?=\d{{1,4}}[/.-]))?"  # a prose date's weekday is part of its match
    rf"(?P<date>{_PROSE_DATE.pattern}|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    r"|\d{4}[/.]\d{1,2}[/.]\d{1,2}|\d{1,2}(?P<sep>[./])\d{1,2}(?P=sep)\d{4})"
    rf"(?:(?:T|\s*[|·•/]\s*|,?\s+(?:at\s+)?){_TIME_OF_DAY})?"
    r"(?:(?:\s*[|·•]\s*|\s+)\d{1,3}[\s-]*min(?:ute)?s?\.?(?:\s+read)?)?\s*$",
    re.IGNORECASE,
)
# 'date 2022-01-27 The lead...', or a 'Date:' header, perhaps with a time after the date
# ('T07:00Z'; ' 07:00' or ' 7:00 a.m. ET' alone on the line), which is neither the lead nor
# the day's title. The date may be numeric as a header's may ('date 27/01/2022': day and
# month told apart by _numeric_date, or an error that asks for YYYY-MM-DD). The word 'date'
# may be left out when the lead follows the date on its line ('2022-01-27 The lead...')
_FIRST_LINE_DATE = re.compile(
    r"^\s*(?P<word>date:?[ \t]+)?"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{4}(?P<s1>[/.])\d{1,2}(?P=s1)\d{1,2}"
    r"|\d{1,2}(?P<s2>[/.])\d{1,2}(?P=s2)\d{4})(?![\d./])"
    r"(?:T\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?=\s|$)"
    r"|[ \t]+(?:at[ \t]+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \t]?[ap]\.?[ \t]?m\.?)?"
    r"(?:Z|[ \t]?[+-]\d{2}:?\d{2}|[ \t]+(?-i:UTC|GMT|[A-Z]{1,4}T)(?:[ \t]?[+-]\d{1,2})?)?"
    r"(?=[ \t]*$))?"
    r"[ \t]*(?P<rest>.*)$",
    re.I,
)
_HEADER = re.compile(
    r"^\s*(date|subject|title|headline|from|to|source|byline|by|slug|category|tags?|topic"
    r"|section|updated|published|dateline|sent|cc|bcc|reply-to)\s*:\s*(.*)$",
    re.IGNORECASE,
)
# an e-mail's 'Sent:' (Outlook's forward) dates the newsletter as a 'Date:' does
_STATED_DATE_HEADERS = ("date", "dateline", "sent")
_DATE_HEADERS = (*_STATED_DATE_HEADERS, "published", "updated")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})\b(?!,?\s+\d{{4}})", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•●▪◦–—+]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?(?:\\#)?)\s*#*\s*$")  # a last '\#' is a '#'
_DASHED_HEADING = re.compile(r"^\s*[-–—=*]{1,3}\s*(.+?)\s*[-–—=*]{1,3}\s*$")
_TOPIC_HEADING = re.compile(r"^\s*[^|]{1,40}\s\|\s\S.*$")
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")", "…", ";", ",")


class IngestError(Exception):
    """A problem that stops one input from being ingested; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Section:
    heading: str
    items: list[str] = field(default_factory=list)
    made_up: bool = False  # the input had no heading; ingest supplied one
    line: int = 0  # the heading's line in the input (0: none, as for a made-up heading)


@dataclass
class RawBriefing:
    date: dt.date
    title: str | None  # a title line or `Title:` header that is not a section heading
    lead: str
    background: list[str]
    sections: list[Section]
    credits: list[str]
    warnings: list[str]

    @property
    def headline(self) -> str | None:
        if self.title:
            return self.title
        return next((s.heading for s in self.sections if not s.made_up), None)

    @property
    def title_read(self) -> bool:
        """The title line is read for actors and quotes as a lead is: a page's headline
        names who acts ('Dubai says safety of residents “top priority”'), whether or not a
        date line under it made it the title."""
        return bool(self.title) and self.title != self.lead

    def segments(self) -> list[tuple[str, int | None]]:
        """(text, item number or None) for the title (see title_read), lead, background and
        items, in order."""
        out: list[tuple[str, int | None]] = []
        if self.title and self.title_read:
            out.append((self.title, None))
        if self.lead:
            out.append((self.lead, None))
        out.extend((text, None) for text in self.background)
        number = 0
        for section in self.sections:
            for item in section.items:
                number += 1
                out.append((item, number))
        return out


@dataclass
class _Unit:
    kind: str  # para | bullet | heading | link (a link line, until titles are joined to it)
    text: str
    line: int
    made_up: bool = False
    # heads one story, never the briefing: a numbered headline ('1. Talks stall') or a live
    # blog's time stamp ('Posted at 10:32')
    story_head: bool = False


@dataclass
class _DateClue:
    value: str  # as written
    line: int | None
    where: str  # "text" or "file name"
    stated: bool = False  # a 'date' first line or a 'Date:' header, not a date in the prose


def too_large(size: int) -> str:
    return (
        f"file too large ({size / 1048576:.1f} MiB; a raw briefing of {MAX_BYTES >> 20} MiB or "
        "more is refused: one file per day)"
    )


def decode(data: bytes) -> str:
    """Bytes of a raw briefing -> text, or IngestError saying why it is not one. Control
    characters are kept here; parse_raw removes them, with a warning."""
    if len(data) >= MAX_BYTES:
        raise IngestError(too_large(len(data)))
    kind = utf16_kind(data)
    if kind is not None:
        raise IngestError(f"{kind} text, not UTF-8; save the file as UTF-8", 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data:
            raise IngestError("binary file (contains NUL bytes), not a text briefing") from None
        line = data.count(b"\n", 0, exc.start) + 1
        byte = f"byte 0x{data[exc.start]:02x}{_as_windows_1252(data, exc.start)}"
        raise IngestError(f"not valid UTF-8 ({byte}); save the file as UTF-8", line) from None
    zeros = text.count("\x00")
    if zeros > 16 and zeros * 100 > len(text):  # valid UTF-8, but zeros where text has none
        raise IngestError("binary file (contains NUL bytes), not a text briefing")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError("empty file")
    return text


def _as_windows_1252(data: bytes, at: int) -> str:
    """', “ in Windows-1252' when the whole file reads as Windows-1252 (Word's smart quotes
    and older Windows editors), to say which character it is and where it came from."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return f", {data[at : at + 1].decode('cp1252')} in Windows-1252"


def strip_controls(text: str) -> tuple[str, str | None]:
    """The text without the characters XML cannot carry (a feed could not be made with
    them), and a warning naming the first one and its line, or None when there were none."""
    found = NOT_XML.search(text)
    if found is None:
        return text, None
    count = len(NOT_XML.findall(text))
    line = text.count("\n", 0, found.start()) + 1
    more = f" and {count - 1:,} more" if count > 1 else ""
    warning = (
        f"line {line}: removed {describe_char(found.group())}{more}: "
        "feeds (XML) cannot carry control characters"
    )
    return NOT_XML.sub("", text), warning


def _numeric_date(clue: _DateClue) -> tuple[int, int, int] | None:
    """(year, month, day) of 2019/05/21, 21.05.2019 or 05/21/2019; None for other shapes."""
    match = _NUMERIC_DATE.fullmatch(clue.value)
    if match is None:
        return None
    if match.group(1):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    first, second, year = int(match.group(4)), int(match.group(6)), int(match.group(7))
    if first != second and first <= 12 and second <= 12:
        raise IngestError(
            f"date {clue.value} could be day-month or month-day: write it as YYYY-MM-DD",
            clue.line,
        )
    return (year, second, first) if first > 12 or first == second else (year, first, second)


def _to_date(clue: _DateClue) -> dt.date:
    iso = _ISO_DATE.fullmatch(clue.value)
    numeric = None if iso else _numeric_date(clue)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif numeric:
        year, month, day = numeric
    else:
        match = _PROSE_DATE.fullmatch(clue.value)
        assert match is not None
        month_name = (match.group("month") or match.group("month2"))[:3].lower()
        year = int(match.group("year") or match.group("year2"))
        month, day = _MONTHS[month_name], int(match.group("day") or match.group("day2"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        where = "" if clue.where == "text" else " in the file name"
        raise IngestError(f"date {clue.value}{where} is not a real day", clue.line) from None


def _file_name_clue(file_name: str | None) -> _DateClue | None:
    if not file_name:
        return None
    match = _ISO_DATE.search(file_name)
    return _DateClue(match.group(0), None, "file name") if match else None


def _decide_date(
    text_clues: list[_DateClue], file_clue: _DateClue | None, warnings: list[str]
) -> dt.date:
    """The briefing's day. A date in the file name wins over dates met in the prose (a page's
    print date, a story's own dateline), with a warning; a stated date ('date' first line,
    'Date:' header) must agree with it. Without one, the text's dates must agree."""
    dates = []
    for clue in text_clues:
        try:
            dates.append((_to_date(clue), clue))
        except IngestError:
            if file_clue is None or clue.stated:
                raise
            # a page's date line that is no real day, or could be day-month or month-day
            # ('05/06/2019'): the file name's date decides, as it does over other dates
    if file_clue:
        from_name = _to_date(file_clue)
        differing = [clue for day, clue in dates if day != from_name]
        for clue in differing:
            if clue.stated:
                raise IngestError(
                    f"date {clue.value} in the text disagrees with {file_clue.value} "
                    "in the file name",
                    clue.line,
                )
        if differing:
            # one warning per file: a listing page dates each of its entries
            first, more = differing[0], len(differing) - 1
            also = f" ({more} more date{'s' if more > 1 else ''} in the text differ"
            also += "s too)" if more == 1 else " too)"
            warnings.append(
                f"line {first.line}: date {first.value} differs from {file_clue.value} in the "
                f"file name, which is used{also if more else ''}"
            )
        return from_name
    for later, clue in dates[1:]:
        if later != dates[0][0]:
            raise IngestError(
                f"date {clue.value} disagrees with {dates[0][1].value} earlier in the text",
                clue.line,
            )
    if dates:
        return dates[0][0]
    raise IngestError(
        "no date found: put 'date YYYY-MM-DD' on the first line, a 'Date:' header, "
        "a dateline such as 'Jan. 27, 2022', or YYYY-MM-DD in the file name"
    )


def _header_lines(lines: list[str], clues: list[_DateClue]) -> tuple[int, str | None]:
    """Consume `Key: value` headers and datelines at the top; return (first body line, title).
    A date line under a title and its dek is read and blanked in `lines`; the dek stays text."""
    title = None
    updated: list[_DateClue] = []  # used only when the page gives no other date
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        header = _HEADER.match(line)
        dateline = _DATELINE.match(line) if index == _first_text(lines) else _date_line(line)
        if dateline:
            _note_dateline(dateline, index, clues, updated)
        elif header and header.group(1).lower() in _DATE_HEADERS:
            value = header.group(2)
            found = _ISO_DATE.search(value) or _PROSE_DATE.search(value)
            found = found or _NUMERIC_DATE.search(value)
            if found and header.group(1).lower() in _STATED_DATE_HEADERS:
                clues.append(_DateClue(found.group(0).strip(), index + 1, "text", stated=True))
        elif header and header.group(1).lower() in ("title", "headline", "subject"):
            title = header.group(2).strip() or None
        elif not header:
            if title is None and index == _first_text(lines) and _header_follows(lines, index):
                title = _BULLET.sub("", line).strip()
                index += 1
                continue
            dated = _dateline_after(lines, index) if title and _is_dek(line) else None
            if dated is not None:
                _note_dateline(_date_line(lines[dated]), dated, clues, updated)
                lines[dated] = ""
            break
        index += 1
    if updated and not clues:
        clues.append(updated[0])
    return index, title


def _dates_stated_again(
    lines: list[str], start: int, clues: list[_DateClue], headers: bool
) -> str | None:
    """The top lines after a dated first line ('Date: 2022-01-27', 'date 2022-01-27 The
    lead'): another 'Date:' header, a 'date YYYY-MM-DD' line or a line that is only a date
    there states a date too. Read as text, it let the first date win silently over one that
    disagrees with it (issue 3: no invented dates); now _decide_date compares them, and a
    date that agrees is taken out of the text as the first one is. With `headers` (the
    first line was a header, not a lead), the other headers are taken out as
    _header_lines takes them, and a 'Subject:' or 'Title:' is the title, which it returns;
    after a lead they are passed over as they were."""
    title = None
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        stated = _FIRST_LINE_DATE.match(line)
        header = _HEADER.match(line)
        if stated:
            clues.append(_DateClue(stated.group("date"), index + 1, "text", stated=True))
            lines[index] = stated.group("rest")
            if stated.group("rest").strip():  # the lead: the top ends here
                return title
        elif header and header.group(1).lower() in _STATED_DATE_HEADERS:
            value = header.group(2)
            found = _ISO_DATE.search(value) or _PROSE_DATE.search(value)
            found = found or _NUMERIC_DATE.search(value)
            if found:
                clues.append(_DateClue(found.group(0).strip(), index + 1, "text", stated=True))
                lines[index] = ""
        elif (dateline := _DATELINE.match(line)) is not None:
            _note_dateline(dateline, index, clues, [])  # an 'Updated' date may differ
            lines[index] = ""
        elif header and headers and header.group(1).lower() not in ("by", "byline"):
            if header.group(1).lower() in ("title", "headline", "subject"):
                title = header.group(2).strip() or title
            lines[index] = ""  # 'From:', 'To:', 'Source:': an e-mail's or a page's furniture
        elif not header:
            return title
    return title


def _note_dateline(
    dateline: re.Match | None, index: int, clues: list[_DateClue], updated: list[_DateClue]
) -> None:
    assert dateline is not None
    clue = _DateClue(dateline.group("date").strip(), index + 1, "text")
    is_update = (dateline.group("lead") or "").lower().endswith(("updated", "modified"))
    (updated if is_update else clues).append(clue)


def _first_text(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip()), 0)


def _next_text(lines: list[str], index: int) -> int | None:
    """The next line with text after lines[index], after at most two blank lines (one, and
    the line of a byline taken out)."""
    return next(
        (i for i in range(index + 1, index + 4) if i < len(lines) and lines[i].strip()), None
    )


def _dateline_after(lines: list[str], index: int) -> int | None:
    """The line that is only a date right after lines[index] (or one blank line on), if any."""
    following = _next_text(lines, index)
    return following if following is not None and _date_line(lines[following]) else None


# What a page prints around its date on the line under its title, besides times and marks:
# 'Last Updated : 03 Mar 2026', 'Issue 412 · March 3, 2026', 'Jo Park · March 3, 2026 · 4
# min read', 'Written by Jo Park on March 3, 2026', 'Tuesday 3 March 2026 | Selm'
_META_WORDS = words(
    "updated last published first posted modified on at by written edited issue edition no "
    "vol volume min mins minute minutes read listen and am pm a.m p.m"
)


def _date_line(line: str) -> re.Match | None:
    """A line that is only a date (_DATELINE), or a short line of a page's meta data that
    holds a date with a year: besides its dates, times, numbers and marks, only the words
    pages print there (_META_WORDS) and a few capitalised ones (a byline's name, a place).
    A word of prose in lower case ('Lind resigned on March 3, 2026') makes it text."""
    found = _DATELINE.match(line)
    if found or len(line) > 100:
        return found
    dates = list(_PROSE_DATE.finditer(line)) or list(_ISO_DATE.finditer(line))
    if not dates or len(dates) > 2:
        return None
    rest = re.sub(_CLOCK_TIME, " ", _PROSE_DATE.sub(" ", _ISO_DATE.sub(" ", line)))
    words = re.findall(r"[^\W\d_][\w'’.]*", rest)
    other = [w for w in words if w.lower().rstrip(".") not in _META_WORDS]
    if len(other) > 3 or not all(w[0].isupper() for w in other):
        return None
    update = re.search(r"\b(?:updated|modified)\b", line[: dates[0].start()], re.IGNORECASE)
    return _DATELINE.match(("Updated " if update else "") + dates[0].group(0).strip())


def _is_dek(line: str) -> bool:
    """A standfirst under a title: one short line, not a list item."""
    return len(line.split()) <= 30 and not _BULLET.match(line)


def _header_follows(lines: list[str], index: int) -> bool:
    """The first line is a title when a header ('Date: ...') follows it directly, or a line
    that is only a date follows it (directly or after one blank line), or a dek and then such
    a line."""
    if index + 1 < len(lines) and _HEADER.match(lines[index + 1]):
        return True
    if _dateline_after(lines, index) is not None:
        return True
    dek = _next_text(lines, index)
    return dek is not None and _is_dek(lines[dek]) and _dateline_after(lines, dek) is not None


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text)]
    small = {"a", "an", "the", "of", "on", "in", "to", "and", "for", "at", "by", "with", "vs"}
    content = [w for w in words if w.lower() not in small]
    return bool(content) and all(w[0].isupper() for w in content)


def heading_text(line: str, alone: bool = False) -> str | None:
    """The heading a line holds, or None when it is text. Decoration is dropped.
    `alone`: the line stands by itself (or just above a list), as headings do."""
    stripped = line.strip()
    words = stripped.split()
    if not words or len(stripped) > 120:
        return None
    md = _MD_HEADING.match(stripped)
    if md and md.group(1):
        return markdown_heading_text(md.group(1))
    dashed = _DASHED_HEADING.match(stripped)
    if dashed and len(words) <= 14:
        return dashed.group(1)
    if _TIME_STAMP.match(stripped):  # a live blog's entry: '10:15 a.m.', 'Updated at 09.12 GMT'
        return stripped
    short = len(words) <= 14
    open_ended = not stripped.endswith(_TERMINAL)
    if (
        short
        and re.search(r"what you need to know", stripped, re.I)
        and (open_ended or len(words) <= 9)
        and not re.search(r"[.!?]\s+[A-Z]", stripped)  # 'Good morning. Here's what you ...'
    ):
        return stripped
    letters = [c for c in stripped if c.isalpha()]
    if short and len(letters) >= 3 and all(c.isupper() for c in letters) and open_ended:
        return stripped
    if short and open_ended and _TOPIC_HEADING.match(stripped):
        return stripped
    if len(words) <= 8 and open_ended and _is_title_case(_NUMBERED.sub("", stripped)):
        return stripped
    if len(words) <= 8 and stripped.endswith(":") and not re.search(r"[.!?]", stripped):
        return stripped.rstrip(":").strip() or None
    if alone and len(words) <= 6 and open_ended and stripped[0].isupper():
        return stripped
    return None


def _short_of(lines: list[tuple[int, str]]) -> bool:
    """A headline over its story ('Talks stall' over 'The minister said ...'): the first line
    (after its number, if any) is a phrase of two words or more, under half as long as the
    block's longest line, which is a sentence's length, so it is no line of text wrapped at
    a width (which fills each line but the last); the next line starts a sentence."""
    first, following = _NUMBERED.sub("", lines[0][1]).strip(), lines[1][1].strip()
    longest = max(len(text.strip()) for _, text in lines[1:])
    return (
        len(first.split()) >= 2
        and not re.search(r"[.!?:]\s", first)
        and len(first) * 2 <= longest
        and longest >= 50
        and following[:1].isupper()
    )


def _block_units(block: list[tuple[int, str]]) -> list[_Unit]:
    """One blank-line separated block -> headings, bullets, link lines and paragraphs."""
    units: list[_Unit] = []
    lines = list(block)
    first_line, first = lines[0]
    over_story = len(lines) > 1 and _short_of(lines)
    alone = len(lines) == 1 or bool(_BULLET.match(lines[1][1])) or over_story
    heading = heading_text(first, alone)
    numbered = heading is None and over_story and _NUMBERED.match(first) is not None
    if numbered:
        heading = _numbered_headline(first)
    if (
        heading is not None
        and not _looks_like_item(first)
        and not _is_credit(first)
        and not is_link_line(first)
    ):
        stamped = _TIME_STAMP.match(heading) is not None
        units.append(_Unit("heading", heading, first_line, story_head=numbered or stamped))
        lines = lines[1:]
        if stamped and _headline_first(lines):
            # a live entry's time, then its headline over its text ('Posted at 10:32' /
            # 'Lind concedes defeat' / 'President Lind has ...'): the headline heads it
            units[-1].text = lines[0][1].strip()
            lines = lines[1:]
    if not lines:
        return units
    bulleted = any(_BULLET.match(text) for _, text in lines)
    separate = all(text.rstrip().endswith(_TERMINAL) for _, text in lines[:-1])
    for number, text in lines:
        stripped = text.strip()
        bullet = _BULLET.match(text)
        if is_link_line(stripped):
            units.append(_Unit("link", stripped, number))
        elif bullet:
            units.append(_Unit("bullet", text[bullet.end() :].strip(), number))
        elif units and units[-1].kind not in ("heading", "link") and (bulleted or not separate):
            units[-1].text += " " + stripped
        else:
            units.append(_Unit("para", stripped, number))
    return units


def _headline_first(lines: list[tuple[int, str]]) -> bool:
    """The block's lines start with a headline: over its story, or alone."""
    if len(lines) == 1:
        return heading_text(lines[0][1], alone=True) is not None
    return len(lines) > 1 and _short_of(lines)


def _numbered_headline(line: str) -> str | None:
    """'1. Talks stall', '3) Storms' on the line over a story: a story's number and a short
    phrase with no sentence end, as "5 things" lists head each story. Read as a bullet, it
    was glued to the story ('Talks stall Foreign Minister Arvo Lind said ...')."""
    text = _NUMBERED.sub("", line).strip()
    shaped = len(text.split()) <= 10 and text[:1].isupper() and not text.endswith(_TERMINAL)
    return line.strip() if shaped else None


# A line that links to other articles: 'Read more: ...', 'Also read: ...', 'Related: ...'
# (CONVENTIONS C16: titles, not text). A bare label takes the title lines after it.
_LINK_LABEL = re.compile(
    r"^(?:read more|read also|also read|more reading|further reading|see also|related"
    r"(?: stories| articles| coverage| content| reading)?|recommended(?: reading)?"
    r"|more on this(?: story| topic)?)\s*(?:[:>»|–—-]+|$)",
    re.IGNORECASE,
)
_LINK_TITLE_WORDS = 20


def is_link_line(text: str) -> bool:
    """'Read more: ...', 'Also read: ...', 'Related: ...', or such a label alone."""
    return bool(_LINK_LABEL.match(text.strip()))


def _join_link_titles(units: list[_Unit]) -> list[_Unit]:
    """A bare 'Read more:' takes the titles that follow it (lines with no sentence end),
    so they are one link line, not headings or items of their own."""
    joined: list[_Unit] = []
    taking = False  # the last unit is a bare link label, or one that took titles already
    for unit in units:
        title = (
            unit.kind in ("heading", "para")
            and len(unit.text.split()) <= _LINK_TITLE_WORDS
            and not unit.text.rstrip().endswith((".", "!", "?", "…"))
        )
        if taking and title:
            label = joined[-1]
            bare = _LINK_LABEL.fullmatch(label.text.strip()) is not None
            label.text = label.text.rstrip() + (" " if bare else "; ") + unit.text
            continue
        taking = unit.kind == "link" and _LINK_LABEL.fullmatch(unit.text.strip()) is not None
        joined.append(unit)
    for unit in joined:
        if unit.kind == "link":
            unit.kind = "para"
    return joined


def _looks_like_item(line: str) -> bool:
    """A bullet or numbered line that is a sentence, not a numbered heading."""
    return bool(_BULLET.match(line)) and line.rstrip().endswith(_TERMINAL)


# A closing quote mark with the next words glued to it, as flattened web pages run a title
# into the next line: '...until war ends’Serhiy Prytula', '...,”published at 15:34'.
_GLUED = re.compile(
    r"(?<=\w”)(?=\w)|(?<=[.,!?;]”)(?=\w)|(?<=[a-z]{2}’)(?=[A-Z])|(?<=[.,!?;]’)(?=\w)"
)


def unglue(line: str) -> str:
    """The line with a space after each closing quote mark that text is glued to."""
    return _GLUED.sub(" ", line)


# A line longer than this is not text wrapped at a fixed width: in a block that has one,
# every line break ends a unit (a web page or e-mail flattened into lines).
_WRAP_WIDTH = 100


def _lines_apart(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A block hard-wrapped at a fixed width is one unit of text; a block with a line longer
    than any wrap width holds one heading, title or paragraph per line."""
    if len(block) > 1 and any(len(text.strip()) > _WRAP_WIDTH for _, text in block):
        return [[line] for line in block]
    return [block]


def _units(lines: list[str], offset: int) -> list[_Unit]:
    units: list[_Unit] = []
    block: list[tuple[int, str]] = []
    for index, line in enumerate([*lines, ""]):
        if line.strip():
            block.append((offset + index + 1, line))
        elif block:
            for part in _lines_apart(block):
                units.extend(_block_units(part))
            block = []
    return units


def _is_credit(text: str) -> bool:
    lowered = text.strip().lower()
    return len(lowered) < 300 and any(re.search(p, lowered) for p in load_lexicon().credit_patterns)


_NAME = r"[A-Z][\w.'’-]+(?:[ \t]+(?:[A-Z][\w.'’-]*|de|van|von|al|bin))*"
_FULL = r"[A-Z][a-z’'-]+(?:[ \t]+[A-Z][a-z’'-]+){1,2}"  # a person's name: two or three words
_AGENCY = r"(?:AFP|AP|Reuters|Getty Images|EPA|Bloomberg|Xinhua|Anadolu|Sipa|Shutterstock)"
_CREDIT_LINES = [
    re.compile(p)
    for p in (
        # (a byline may stand in brackets: '(By Central News Agency)')
        rf"^\(?(?:By|BY|With help from|(?:Edited|Written|Compiled|Produced) by)[ \t]+{_NAME}"
        rf"(?:(?:,|[ \t]+and|[ \t]*&)[ \t]+{_NAME})*\.?\)?$",
        rf"^{_NAME}[ \t]+(?:and|&)$",  # a byline cut short: 'Jonathan Wolfe and'
        rf"^—[ \t]*{_NAME}$",  # a signature: '— David Leonhardt'
        rf"^{_NAME}[ \t]*/[ \t]*{_NAME}(?:[ \t]*[/—–-][ \t]*.{{0,60}})?$",  # 'Rodi Said/Reuters'
        rf"^{_NAME}[ \t]+for[ \t]+(?:The[ \t]+|the[ \t]+)?{_NAME}$",  # 'X for The New York Times'
        rf"^{_NAME},[ \t]*{_AGENCY}$",  # 'Zinyange Auntony, AFP'
        r"^\(?(?:Photo|Photograph|Photographer|Picture|Image|Credit|Illustration)s?\b.{0,100}$",
        rf"^\(?{_AGENCY}[ \t]+Photo\b.{{0,80}}$",
        r"^(?:Copyright|©)\b.{0,100}$",
        r"^/[ \t]*[A-Z]+[ \t]*/.{0,80}$",  # '/ AFP / NAME'
    )
]


_NAME_LIST = re.compile(rf"^{_FULL}(?:,[ \t]+{_FULL})*,?[ \t]+(?:and|&)[ \t]+{_FULL}$")


def is_credit_line(line: str) -> bool:
    """A byline or photo credit standing on its own line, wherever it is: never text.
    A bare list of people's names ('Al Ray, Jo Park and Ann Li') is a live blog's byline,
    unless a name in it is a place the package knows ('North Korea and South Korea')."""
    stripped = line.strip()
    if not 0 < len(stripped) <= 120:
        return False
    if _NAME_LIST.match(stripped):
        names = re.split(r",[ \t]*|[ \t]+(?:and|&)[ \t]+", stripped)
        return not any(name.strip() in load_lexicon().known for name in names)
    return any(p.match(stripped) for p in _CREDIT_LINES)


def _pull_credit_lines(lines: list[str], start: int) -> tuple[list[str], list[str]]:
    """The lines with every byline and photo credit taken out, and those credits. A line of
    cells ('| By Jo Park | Presented by ... |', as web pages flatten into text) loses its
    credit cells and keeps the others."""
    credits, kept = [], list(lines)
    for index in range(start, len(lines)):
        if is_credit_line(lines[index]):
            credits.append(lines[index].strip())
            kept[index] = ""
        elif "|" in lines[index]:
            cells = [c.strip() for c in lines[index].split("|")]
            found = [c for c in cells if is_credit_line(c)]
            if found:
                credits.extend(found)
                rest = [c for c in cells if c and c not in found]
                kept[index] = " | ".join(rest)
    return kept, credits


_DATED_BYLINE = re.compile(r"^(?P<credit>.+?)\s*[,|·•–—]\s*(?P<date>\S.*)$")


def _split_dated_bylines(lines: list[str], start: int) -> list[str]:
    """A byline and the date on one line near the top ('By Jo Park, May 21, 2019', 'Jo Park ·
    21 May 2019'): the line keeps the date, and the byline is returned as a credit."""
    credits = []
    for index in range(start, min(start + 6, len(lines))):
        match = _DATED_BYLINE.match(lines[index].strip())
        if match and _DATELINE.match(match.group("date")) and is_credit_line(match["credit"]):
            credits.append(match.group("credit"))
            lines[index] = match.group("date")
    return credits


def _take_credits(units: list[_Unit]) -> list[str]:
    credits: list[str] = []
    while units and units[-1].kind != "heading" and _is_credit(units[-1].text):
        credits.insert(0, units.pop().text)
    return credits


def _strip_dateline(units: list[_Unit], clues: list[_DateClue]) -> None:
    """A dateline opening the first paragraph ("Jan. 27, 2022 - ...") is a date, not text."""
    if not units or units[0].kind == "heading":
        return
    match = _PROSE_DATE.match(units[0].text) or _ISO_DATE.match(units[0].text)
    if not match:
        return
    rest = units[0].text[match.end() :]
    separator = re.match(r"\s*[-–—:|]\s*", rest)
    if separator:
        clues.append(_DateClue(match.group(0).strip(), units[0].line, "text"))
        units[0].text = rest[separator.end() :]


def _heading_dates(units: list[_Unit], clues: list[_DateClue]) -> None:
    """A date in a heading ('Morning Briefing — March 2, 2026', '# Briefing | 2026-03-02')
    dates the briefing as a dateline does; numeric ones as a 'Date:' header's are read."""
    for unit in units:
        if unit.kind == "heading":
            match = (
                _PROSE_DATE.search(unit.text)
                or _ISO_DATE.search(unit.text)
                or _NUMERIC_DATE.search(unit.text)
            )
            if match:
                clues.append(_DateClue(match.group(0).strip(), unit.line, "text"))


def _dated_title_line(units: list[_Unit]) -> re.Match | None:
    """The file's first line is a title with a date in it, in words no heading's rule reads:
    'Your briefing for Tuesday, March 3, 2026', 'Morning Briefing (March 3, 2026)'. A short
    line that is no sentence; 'Good morning, it's Tuesday, March 3, 2026.' is the lead."""
    if len(units) < 2 or units[0].kind != "para":
        return None
    text = units[0].text
    if len(text.split()) > 12 or text.endswith((".", "!", "?")):
        return None
    return None if re.search(r"[.!?]\s+[A-Z]", text) else _PROSE_DATE.search(text)


def _leading_title(units: list[_Unit], title: str | None) -> tuple[str | None, list[_Unit]]:
    """A heading before all text is the briefing's title when a lead (not items) follows it:
    another heading comes later, or a paragraph is followed by bullets."""
    if _page_time(units):
        units = units[1:]
    if len(units) < 2 or units[0].kind != "heading" or units[0].story_head:
        return title, units  # ('1. Talks stall' heads the first story, not the briefing)
    rest = units[1:]
    another_heading = any(u.kind == "heading" for u in rest)
    lead_then_bullets = rest[0].kind == "para" and any(u.kind == "bullet" for u in rest)
    if not (another_heading or lead_then_bullets):
        return title, units
    if title is None or units[0].text == title:
        return units[0].text, rest
    if rest[0].kind == "para":  # under a known title, a short line before the lead: its dek
        units[0].kind = "para"
    return title, units


def _page_time(units: list[_Unit]) -> bool:
    """The first unit is the only time stamp: the page's time ('05:05 AM ET' over a
    newsletter's intro), not a live blog's first entry."""
    stamps = [u for u in units if u.kind == "heading" and _TIME_STAMP.match(u.text)]
    return bool(units) and stamps[:1] == units[:1] and len(stamps) == 1


def _with_heading(units: list[_Unit], heading: str, warnings: list[str]) -> list[_Unit]:
    """No heading: items start at the first bullet after the lead, else right after it."""
    bullets = [i for i, u in enumerate(units) if u.kind == "bullet" and i > 0]
    at = bullets[0] if bullets else 1
    if at >= len(units):
        warnings.append("no heading and no items: only a lead")
        return units
    warnings.append(
        f"line {units[at].line}: no heading found: the paragraphs from here on are taken as "
        "the items"
    )
    return [*units[:at], _Unit("heading", heading, units[at].line, made_up=True), *units[at:]]


def _assemble(units: list[_Unit], date: dt.date, title: str | None) -> RawBriefing:
    warnings: list[str] = []
    title, units = _leading_title(units, title)
    if not any(u.kind == "heading" for u in units):
        units = _with_heading(units, title or default_title(date), warnings)
    lead, background, sections = "", [], []
    for unit in units:
        if unit.kind == "heading":
            line = 0 if unit.made_up else unit.line
            sections.append(Section(unit.text, made_up=unit.made_up, line=line))
        elif sections:
            sections[-1].items.append(unit.text)
        elif not lead:
            lead = unit.text
        else:
            background.append(unit.text)
    if not lead and sections:
        warnings.append(f"{_at(sections[0])}no lead paragraph before the first heading")
    warnings.extend(f"{_at(s)}heading '{s.heading}' has no items" for s in sections if not s.items)
    return RawBriefing(date, title, lead, background, sections, [], warnings)


_AP_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


def default_title(date: dt.date) -> str:
    return f"{_AP_MONTHS[date.month - 1]} {date.day}: What you need to know"


def _check_heading_days(sections: list[Section], date: dt.date, warnings: list[str]) -> None:
    for section in sections:
        match = _MONTH_DAY.search(section.heading)
        if not match:
            continue
        month = _MONTHS[match.group("month")[:3].lower()]
        if (month, int(match.group("day"))) != (date.month, date.day):
            warnings.append(
                f"{_at(section)}heading '{section.heading}' names another day than {date}"
            )


def _at(section: Section) -> str:
    """'line N: ' for a warning about a heading of the input, which the report turns into
    `path:N: warning: ...` (an editor jumps there); nothing for a made-up heading."""
    return f"line {section.line}: " if section.line else ""


# Zero-width space, word joiner, a byte-order mark inside the text: invisible characters that
# pages pasted from the web carry, which would hide a 'date' line or split a name.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
# Characters that draw nothing but are not white space to Python (the Braille blank, the
# Hangul fillers): pages and chat apps use lines of them as blank lines, which must part
# paragraphs as an empty line does. The line stays, so line numbers hold.
_BLANK_LOOKING = re.compile("^(?:[^\\S\n]|[\u2800\u3164\u115f\u1160\uffa0])+$", re.M)
# A line that only parts the text: a rule ('--', '***', '* * *', '___', '• • •') or a lone
# pipe left by a flattened table or email layout. Read as a blank line; left in, it became an
# item ('--'), a bullet ('* *') or the tail of the line above ('Lind left. |').
_SEPARATOR_LINE = re.compile(r"^[^\S\n]*(?:(?:[-–—|*_=~·•.#+][^\S\n]*){2,}|\|[^\S\n]*)$", re.M)


# Markup left in text copied from a page's source or a Markdown file, which the site would
# otherwise show as typed ('&amp;', '<p>', '**', '[words](https://...)'): the words stay, the
# markup goes. Entities need their ';' ('AT&T', 'R&D' are text); only common HTML tags.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(
    r"</?(?:p|br|b|i|u|em|strong|span|div|a|small|sup|sub|h[1-6]|li|ul|ol|blockquote|font)"
    r"(?:\s[^<>\n]*)?/?>",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\((?:https?://|/|#)[^()\s]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]*?\S)\1")


# A line that is a web page's furniture, not its text: ad slots, share and player buttons,
# skip and back-to-top links, menu and sign-in buttons, text-size and print controls, a
# reading time, a newsletter's "view web version" and its footer ("Unsubscribe | Manage
# preferences"). Left in, each would become a heading, an item or the title ('Advertisement'
# with no items, 'Link copied to clipboard' as the day's title). Whole lines only: the same
# words inside a sentence are text.
_CONTROL = (
    r"(?:advertisement|advertisment|sponsored(?: content)?|skip advertisement"
    r"|share(?: this(?: article| story| page)?| on (?:facebook|twitter|x|linkedin|whatsapp))?"
    r"|skip to (?:main )?content|(?:story|article) continues below(?: advertisement)?"
    r"|continue reading(?: below)?|scroll to continue(?: with content)?"
    r"|(?:read|view|open) in (?:your )?browser|view (?:the )?(?:web|online) version"
    r"|play article|listen to this (?:article|story)|copy link|(?:link )?copied(?: to clipboard)?"
    r"|(?:listen|watch)(?: live| now)?|listen to [^\n.?]{1,40} (?:live|news|radio)!?|\w+ live!"
    r"|adjust (?:the )?(?:font|text) size|(?:font|text) size|a[+-]|\d{1,3} min(?:ute)?s? read"
    r"|print(?: this)?(?: article| story| page)?|e-?mail this(?: article| story| page)?"
    r"|\[link removed\]|follow us(?: on [^\n.?]{1,30})?|social (?:channels|media links)"
    r"|back to top|search(?: this blog| this site| tool)?|sign in|log ?in|menu"
    # a live page's controls
    r"|(?:show )?key events(?: only)?|pinned post"
    r"|(?:please )?(?:turn on|enable) javascript[^\n]{0,60}"
    # a newsletter's footer links
    r"|unsubscribe|manage (?:your )?(?:preferences|subscriptions?|email settings)"
    r"|update (?:your )?(?:preferences|subscription)|forward (?:this )?to a friend|sign up here!?"
    # a newsletter platform's buttons
    r"|leave a comment|subscribe(?: now| for free)?|restack|upgrade to paid|read in app"
    r"|give a gift subscription)"
)
_PAGE_CHROME = re.compile(
    rf"^[ \t]*{_CONTROL}(?:[ \t]*[|·•][ \t]*{_CONTROL})*"  # 'Unsubscribe | Manage preferences'
    r"(?:[ \t]*[·•|][ \t]*\d{1,3}[ \t]*min(?:ute)?s?(?: read| listen)?)?"  # '· 4 min'
    r"[ \t]*[.:]?[ \t]*$"
    # a video's caption and running time, as a player prints it: 'Drone footage shows the
    # plant 02:13 - Source: Global News'
    r"|^[^\n]{1,160}\b\d{1,2}:\d{2}[ \t]*[-–—][ \t]*Source:"
    r"(?-i:(?:[ \t]+[A-Z0-9][\w.&'’-]*){1,4})$"
    # a wire's pointer to its other stories: 'Follow AP's coverage of the war at https://...'
    r"|^[ \t]*follow (?:[\w.&]+['’]s |our )?(?:full |complete |live |latest )?coverage\b.*$"
    # a newsletter's footer: 'You received this email because you signed up. Unsubscribe'
    r"|^[ \t]*you(?:'re|’re| are)? (?:received|receiving|got) this (?:e-?mail|newsletter)"
    r" (?:because|as|since|from)\b.*$"
    # its thanks and call to subscribe: 'Thanks for reading X! Subscribe for free to ...'
    r"|^[ \t]*thanks? (?:you )?for reading\b[^\n]{0,80}[.!] *subscribe\b.*$"
    # or 'Like getting this briefing? Subscribe to ...', 'Enjoying X? Sign up ...'
    r"|^[ \t]*(?:like|enjoy(?:ing)?|love|want)\b[^\n]{0,80}\?[ \t]*(?:subscribe|sign up)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)


# Tabs and runs of spaces between words, as pages copied from a browser carry: one space,
# as a browser shows them; left in, they split a name ('Arvo<TAB>Lind' was read as 'Lind')
# or made two actors of one ('Jo  Park'). Indentation is left to the parser.
_SPACE_RUN = re.compile(r"(?<=[^\W_])(?: {2,}|[ \t]*\t[ \t]*)(?=[^\W_])")


def _without_markup(text: str) -> str:
    text = _TAG.sub("", _MD_STRONG.sub(r"\2", text))
    text = _MD_LINK.sub(lambda m: "" if m.group(1) else m.group(2), text)
    return _ENTITY.sub(_character, text)


def _character(entity: re.Match) -> str:
    """The character an entity stands for; a space for a line break or a control character
    ('&#10;', '&#27;'), which would move lines or could not be carried by a feed."""
    value = html.unescape(entity.group(0))
    return " " if "\n" in value or "\r" in value or NOT_XML.search(value) else value


def parse_raw(text: str, file_name: str | None = None) -> RawBriefing:
    """Parse decoded text (see decode); file_name supplies a date when the text has none."""
    text, removed = strip_controls(text)
    text = _BLANK_LOOKING.sub("", _INVISIBLE.sub("", _without_markup(text)))
    text = _SEPARATOR_LINE.sub("", text)
    text = _SPACE_RUN.sub(" ", _PAGE_CHROME.sub("", text))
    briefing = _parse(text, file_name)
    if removed:
        briefing.warnings.insert(0, removed)
    return briefing


def _parse(text: str, file_name: str | None) -> RawBriefing:
    lines = text.split("\n")
    clues: list[_DateClue] = []
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    first = _FIRST_LINE_DATE.match(lines[start])
    if first and not first.group("word") and not first.group("rest").strip():
        first = None  # a date alone on its line: a page's date line (_header_lines)
    title = None
    if first:
        # without the word, a date the file name's date overrides (as it does a dateline's)
        stated = bool(first.group("word"))
        clues.append(_DateClue(first.group("date"), start + 1, "text", stated=stated))
        lines = [*lines[:start], first.group("rest"), *lines[start + 1 :]]
        title = _dates_stated_again(lines, start + 1, clues, not first.group("rest").strip())
    else:  # credits first: a byline may stand between a title line and its date line
        bylines = _split_dated_bylines(lines, start)
        lines, credit_lines = _pull_credit_lines(lines, start)
        credit_lines[:0] = bylines
        start, title = _header_lines(lines, clues)
    if first:
        lines, credit_lines = _pull_credit_lines(lines, start)
    units = _join_link_titles(_units([unglue(line) for line in lines[start:]], start))
    credits = credit_lines + _take_credits(units)
    if not first:
        _strip_dateline(units, clues)
    _heading_dates(units, clues)
    titled = _dated_title_line(units) if title is None else None
    if titled is not None:  # (it stays the lead: the writer titles the page with a lead
        # that reads as a headline, and its actors are read)
        clues.append(_DateClue(titled.group(0), units[0].line, "text"))
    date_warnings: list[str] = []
    date = _decide_date(clues, _file_name_clue(file_name), date_warnings)
    if not any(u.kind != "heading" for u in units):
        raise IngestError("only a heading, no briefing text" if units else "no briefing text")
    briefing = _assemble(units, date, title)
    briefing.warnings[:0] = date_warnings
    briefing.credits = credits
    _check_heading_days(briefing.sections, date, briefing.warnings)
    if _caseless(text):
        briefing.warnings.append(CASELESS)
    return briefing


CASELESS = (
    "the text is almost all in lower case (as captions and speech-to-text often are): ingest "
    "restores the capitals it can infer (sentence starts, names it knows, names after a title), "
    "but other names cannot be told from other words, so many actors and speakers will be "
    "missed; restore the capitals first"
)


def _caseless(text: str) -> bool:
    """Most of the prose has no capitals: lines long enough to judge (a sentence or more)
    that have fewer than one capital in 200 letters hold most of the long lines' letters.
    Ordinary prose has one in 20 or 30; a caption transcript's few capitals are in its
    programme line and time stamps, which are short."""
    caseless = judged = 0
    for line in text.split("\n"):
        letters = sum(c.isalpha() for c in line)
        if letters < 150:
            continue
        judged += letters
        if sum(c.isupper() for c in line) * 200 < letters:
            caseless += letters
    return judged >= 300 and caseless * 2 > judged
