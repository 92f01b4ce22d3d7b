"""rawparse: dates, headings, items, credits in the layouts real feeds use."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.ingest.rawparse import (
    CASELESS,
    IngestError,
    decode,
    default_title,
    is_credit_line,
    parse_raw,
    unglue,
)
from sitegen.ingest.writer import headline_of

REFERENCE = (
    " date 2022-01-27 Lead sentence one. Lead sentence two.\n\nBackground here.\n\n"
    "Jan. 27: What you need to know today\n\nFirst item.\n\nSecond item.\n\n"
    "AFP contributed reporting."
)


def test_reference_format() -> None:
    briefing = parse_raw(REFERENCE, "2022-01-27.txt")
    assert briefing.date == dt.date(2022, 1, 27)
    assert briefing.lead == "Lead sentence one. Lead sentence two."
    assert briefing.background == ["Background here."]
    assert [s.heading for s in briefing.sections] == ["Jan. 27: What you need to know today"]
    assert briefing.sections[0].items == ["First item.", "Second item."]
    assert briefing.credits == ["AFP contributed reporting."]
    assert briefing.warnings == []


@pytest.mark.parametrize(
    ("text", "file_name"),
    [
        ("Date: 2022-03-16\n\nLead.\n\nWhat you need to know\n\nItem.", "x.txt"),
        ("Date: Jan. 27, 2022\n\nLead.\n\nWhat you need to know\n\nItem.", None),
        ("Thursday, January 27, 2022\n\nLead.\n\nWHAT YOU NEED TO KNOW\n\nItem.", None),
        ("27 January 2022\nLead.\n\nKEY POINTS\n- Item.", None),
        ("Jan. 27, 2022 — Lead.\n\nWhat you need to know\n\nItem.", None),
        ("Lead.\n\nWhat you need to know\n\nItem.", "feed-2022-01-27.txt"),
    ],
)
def test_date_variants(text: str, file_name: str | None) -> None:
    briefing = parse_raw(text, file_name)
    expected = dt.date(2022, 3, 16) if "03-16" in text else dt.date(2022, 1, 27)
    assert briefing.date == expected
    assert briefing.lead == "Lead."


@pytest.mark.parametrize(
    "header",
    [
        "Date: 2022-01-27T07:00Z",
        "Date: 2022-01-27T07:00:00.123+01:00",
        "Date: 2022-01-27 07:00",
        "date 2022-01-27 7:00 a.m. ET",
        "Date: 2022-01-27 at 10:42 BST",
        "date 2022-01-27 12:00 UTC",
    ],
)
def test_a_time_after_a_first_line_date_is_neither_lead_nor_title(header: str) -> None:
    # 'Date: 2022-01-27T07:00Z' made 'T07:00Z' the day's headline (the file was named
    # 2022-01-27-t07-00z.md), and 'Date: 2022-01-27 07:00' made '07:00' the lead
    briefing = parse_raw(f"{header}\n\nLead.\n\nJan. 27: What you need to know\n\nItem.")
    assert briefing.date == dt.date(2022, 1, 27)
    assert briefing.lead == "Lead."
    assert briefing.headline == "Jan. 27: What you need to know"
    assert briefing.background == []


def test_a_lead_on_the_date_line_that_starts_with_a_time_word_stays_whole() -> None:
    briefing = parse_raw("date 2022-01-27 10:30 that morning, talks began.\n\n- Item.")
    assert briefing.lead == "10:30 that morning, talks began."


@pytest.mark.parametrize(
    "dateline",
    [
        "Thursday 27 January 2022",
        "Jan 27th, 2022",
        "27th January 2022",
        "Published January 27, 2022 at 7:00 a.m. ET",
        "Posted on 27 Jan 2022, 10:42 GMT",
        "2022-01-27 06:00 UTC+2",
        "Updated: 27 January 2022 10:42 BST",
        "Jan 27, 2022 | 7:00 AM",
        "27 Jan 2022 • 4 min read",
        "Last modified on Thu 27 Jan 2022 07.01 GMT",
        "27-Jan-2022",
        "2022.01.27",
        "27th of January, 2022",
        "Updated 10:42 a.m. ET, Thu January 27, 2022",  # the time before the date
        "10:42 GMT 27 January 2022",
        "Updated: January 27, 2022 / 10:42 AM EST",
        "Live Updated 27 Jan 2022 10.32 GMT",
        "Thursday 27/01/2022",
        # round 41L: a page's meta data around the date
        "January 27, 2022 9:40 PM 3 min read",
        "27 Jan 2022 — 6:00 AM",
        "January 27, 2022 | Updated 6:00 a.m.",
        "Last Updated : 27 Jan 2022, 06:00 AM IST",
        "Published: 27 January 2022 Updated: 28 January 2022",
        "Thursday, January 27, 2022 — Issue #412",
        "Jo Park · January 27, 2022 · 4 min read",
        "Written by Jo Park on January 27, 2022",
        "Thursday 27 January 2022 | Selm",
    ],
)
@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_date_line_under_a_title_line(dateline: str, gap: str) -> None:
    briefing = parse_raw(f"• Morning Briefing{gap}{dateline}\n\nLead.\n\nKEY POINTS\n\nItem.")
    assert briefing.date == dt.date(2022, 1, 27)
    assert briefing.title == "Morning Briefing"
    assert briefing.lead == "Lead."


@pytest.mark.parametrize(
    "later", ["Updated Jan. 27, 2022 at 9:00 a.m.", "Last modified on 27 Jan 2022"]
)
def test_an_updated_date_counts_only_when_the_page_gives_no_other(later: str) -> None:
    text = f"Published Jan. 26, 2022\n{later}\n\nLead.\n\n- Item."
    assert parse_raw(text).date == dt.date(2022, 1, 26)


@pytest.mark.parametrize(
    "first", ["Your briefing for Thursday, January 27, 2022", "Morning Briefing (Jan. 27, 2022)"]
)
def test_a_first_line_title_with_a_date_in_it_dates_the_briefing(first: str) -> None:
    briefing = parse_raw(f"{first}\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- Item.")
    assert (briefing.date, briefing.lead) == (dt.date(2022, 1, 27), first)
    assert headline_of(briefing) == first  # the writer's title


def test_a_first_line_sentence_with_a_date_is_the_lead() -> None:
    text = "Good morning, it's Thursday, January 27, 2022.\n\nKEY POINTS\n\n- Item."
    briefing = parse_raw(text, "2022-01-27.txt")
    assert (briefing.title, briefing.lead) == (
        None,
        "Good morning, it's Thursday, January 27, 2022.",
    )


@pytest.mark.parametrize(
    "dek",
    ["Lind resigned on January 27, 2022.", "Talks in Selm ended on 27 Jan 2022 without a deal"],
)
def test_a_short_sentence_with_a_date_under_a_title_is_text(dek: str) -> None:
    briefing = parse_raw(f"Morning Briefing\n\n{dek}\n\nKEY POINTS\n\n- Item.", "2022-01-27.txt")
    assert dek in [briefing.lead, *briefing.background]


def test_dateline_is_not_part_of_the_lead() -> None:
    briefing = parse_raw("Jan. 27, 2022 — Talks stalled.\n\nKEY POINTS\n\nItem.")
    assert briefing.lead == "Talks stalled."


@pytest.mark.parametrize(
    ("heading_line", "heading"),
    [
        ("Jan. 27: What you need to know today", "Jan. 27: What you need to know today"),
        ("– Diplomacy –", "Diplomacy"),
        ("DIPLOMACY | The grain deal", "DIPLOMACY | The grain deal"),
        ("ON THE GROUND", "ON THE GROUND"),
        ("1. Diplomacy", "1. Diplomacy"),
        ("## At the summit", "At the summit"),
        ("## At the summit ##", "At the summit"),
        ("## We're #1 \\#", "We're #1 #"),  # pasted Markdown: an escaped '#' is kept
        ("Key developments:", "Key developments"),
        ("Latest developments", "Latest developments"),
    ],
)
def test_heading_styles(heading_line: str, heading: str) -> None:
    text = f"date 2022-01-27 Lead.\n\n{heading_line}\n\nAn item that is a sentence."
    briefing = parse_raw(text)
    assert [s.heading for s in briefing.sections] == [heading]
    assert briefing.sections[0].items == ["An item that is a sentence."]


@pytest.mark.parametrize("marker", ["-", "*", "•", "1.", "2)", "–"])
def test_bullets_become_items(marker: str) -> None:
    text = f"date 2022-01-27 Lead.\n\nKey points\n{marker} First one.\n{marker} Second\n  wrapped."
    assert parse_raw(text).sections[0].items == ["First one.", "Second wrapped."]


def test_several_headings_number_items_on() -> None:
    text = "date 2022-01-27 Lead.\n\n– A –\n\nOne.\n\n– B –\n\nTwo.\n\nThree."
    briefing = parse_raw(text)
    assert [(s.heading, s.items) for s in briefing.sections] == [
        ("A", ["One."]),
        ("B", ["Two.", "Three."]),
    ]
    assert [item for _, item in briefing.segments()] == [None, 1, 2, 3]


def test_missing_heading_takes_paragraphs_after_the_lead_as_items() -> None:
    briefing = parse_raw("Lead.\n\nOne.\n\nTwo.", "2022-06-24.txt")
    assert briefing.sections[0].heading == "June 24: What you need to know"
    assert briefing.sections[0].items == ["One.", "Two."]
    assert briefing.headline is None
    # the line where the items start, for the report's `path:line:`
    assert briefing.warnings == [
        "line 3: no heading found: the paragraphs from here on are taken as the items"
    ]


def test_title_line_before_lead_and_bullets() -> None:
    briefing = parse_raw("UKRAINE BRIEFING\nDate: 2022-01-27\n\nLead.\n\n- One.\n- Two.")
    assert briefing.title == "UKRAINE BRIEFING"
    assert briefing.lead == "Lead."
    assert briefing.sections[0].items == ["One.", "Two."]


def test_title_header() -> None:
    briefing = parse_raw("Title: Bridge blast\nDate: 2022-10-08\n\nLead.\n\nKey points\n\nOne.")
    assert briefing.headline == "Bridge blast"


def test_crlf_and_bom() -> None:
    text = decode(("\ufeff" + REFERENCE).replace("\n", "\r\n").encode("utf-8"))
    assert parse_raw(text).sections[0].items == ["First item.", "Second item."]


@pytest.mark.parametrize(
    "credit",
    [
        "AFP contributed reporting.",
        "Reporting by Reuters bureaus",
        "(Editing by Jane Doe)",
        "Reuters and AFP contributed reporting.",
        "Additional reporting by A. Writer",
        "—With assistance from Jo Park and Al Reyes.",
    ],
)
def test_credit_lines(credit: str) -> None:
    briefing = parse_raw(f"date 2022-01-27 Lead.\n\nKEY POINTS\n\nItem.\n\n{credit}")
    assert briefing.credits == [credit]
    assert briefing.sections[0].items == ["Item."]


def test_heading_naming_another_day_is_a_warning() -> None:
    briefing = parse_raw("date 2022-01-27 Lead.\n\nJan. 26: What you need to know\n\nItem.")
    assert briefing.warnings == [
        "line 3: heading 'Jan. 26: What you need to know' names another day than 2022-01-27"
    ]


def test_heading_warnings_name_the_heading_line() -> None:
    text = "date 2022-01-27\n\nBridge blast\n\nKEY POINTS\n\nOne.\n\nTHE LATEST\n"
    briefing = parse_raw(text)
    assert briefing.title == "Bridge blast"
    assert [(s.heading, s.line) for s in briefing.sections] == [
        ("KEY POINTS", 5),
        ("THE LATEST", 9),
    ]
    assert briefing.warnings == [
        "line 5: no lead paragraph before the first heading",
        "line 9: heading 'THE LATEST' has no items",
    ]


def test_default_title_uses_news_month_style() -> None:
    assert default_title(dt.date(2022, 9, 21)) == "Sept. 21: What you need to know"
    assert default_title(dt.date(2022, 3, 2)) == "March 2: What you need to know"


def test_no_date_is_an_error_and_never_invented() -> None:
    with pytest.raises(IngestError, match="no date found"):
        parse_raw("Lead.\n\nJan. 27: What you need to know\n\nItem.", "notes.txt")


@pytest.mark.parametrize(
    "line",
    [
        "By Jo Park and Al Reyes",
        "(By Selm News Agency)",
        "Jo Park and",
        "— Ana Lind",
        "Rami Said/Reuters",
        "Ana Lind for The Daily Courier",
        "(Photo by JO PARK / AFP)",
        "(Photographer: Al Reyes/Bloomberg)",
        "Copyright AFP JO PARK",
    ],
)
def test_bylines_and_photo_credits_anywhere_are_credits(line: str) -> None:
    text = f"date 2022-01-27 Lead.\n\nKEY POINTS\n\n{line}\nItem one.\n\nItem two."
    briefing = parse_raw(text)
    assert briefing.credits == [line]
    assert briefing.sections[0].items == ["Item one.", "Item two."]


@pytest.mark.parametrize(
    "line",
    ["Russia and Ukraine", "Trump says tariffs stay", "- Second", "(By comparison, prices fell.)"],
)
def test_text_lines_are_not_credits(line: str) -> None:
    assert not is_credit_line(line)


def test_file_name_date_wins_over_a_prose_date_with_a_warning() -> None:
    text = "Monday, December 29, 2025\n\nLead.\n\nKEY POINTS\n\nItem."
    briefing = parse_raw(text, "2020-06-27-ap.txt")
    assert briefing.date == dt.date(2020, 6, 27)
    assert briefing.warnings[0] == (
        "line 1: date Monday, December 29, 2025 differs from 2020-06-27 in the file name, "
        "which is used"
    )


def test_many_prose_dates_that_differ_from_the_file_name_make_one_warning() -> None:
    text = "Lead.\n\nKEY POINTS\n\nJan. 3, 2021\n\nItem one.\n\nJan. 5, 2021\n\nItem two."
    briefing = parse_raw(text, "2021-01-09-listing.txt")
    assert briefing.date == dt.date(2021, 1, 9)
    differing = [w for w in briefing.warnings if "differs from" in w]
    assert len(differing) == 1, briefing.warnings
    assert differing[0].endswith("which is used (1 more date in the text differs too)")


def test_a_stated_date_must_agree_with_the_file_name() -> None:
    with pytest.raises(IngestError, match="disagrees with 2020-06-27 in the file name"):
        parse_raw("Date: 2020-06-28\n\nLead.\n\nKEY POINTS\n\nItem.", "2020-06-27.txt")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [  # the first date won silently; the later one was read as text
        ("Date: 2022-01-27\ndate 2022-01-28 Lead.", 2, "date 2022-01-28 disagrees with 2022-01-27"),
        ("date 2022-01-28 Lead.\nDate: 2022-01-27", 2, "date 2022-01-27 disagrees with 2022-01-28"),
        ("Date: 2022-01-27\nDate: 2022-01-28", 2, "date 2022-01-28 disagrees with 2022-01-27"),
        ("date 2022-01-27\n\nDate: January 28, 2022", 3, "date January 28, 2022 disagrees with"),
        ("Date: 2022-01-27\nSubject: x\nJanuary 28, 2022", 3, "date January 28, 2022 disagrees"),
    ],
)
def test_a_date_stated_twice_at_the_top_must_agree(text: str, line: int, message: str) -> None:
    with pytest.raises(IngestError, match=message) as raised:
        parse_raw(f"{text}\n\nKEY POINTS\n\nItem.")
    assert raised.value.line == line
    # with the file name's date too: a stated date that differs from it is an error, a
    # date line a warning (as before)
    if "Subject" in text:
        briefing = parse_raw(f"{text}\n\nKEY POINTS\n\nItem.", "2022-01-27.txt")
        assert briefing.warnings[0].startswith("line 3: date January 28, 2022 differs from")
        return
    with pytest.raises(IngestError, match=r"28.* in the text disagrees with 2022-01-27 in the"):
        parse_raw(f"{text}\n\nKEY POINTS\n\nItem.", "2022-01-27.txt")


def test_a_date_stated_again_that_agrees_is_not_text() -> None:
    text = "Date: 2022-01-27\nDate: Jan. 27, 2022\ndate 2022-01-27 The lead.\n\nKEY POINTS\n\nItem."
    briefing = parse_raw(text)
    assert briefing.date == dt.date(2022, 1, 27)
    assert briefing.lead == "The lead."
    briefing = parse_raw(
        "date 2022-01-27 The lead.\nUpdated January 28, 2022\n\nKEY POINTS\n\nItem."
    )
    assert briefing.date == dt.date(2022, 1, 27)  # an update may come a day later


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        (
            "Kross: ‘We will not yield’Kross: ‘We will not yield’",
            "Kross: ‘We will not yield’ Kross: ‘We will not yield’",
        ),
        ("calls for “calm,”published at 15:34", "calls for “calm,” published at 15:34"),
        (
            "Valdoria’s O’Brien visits Côte d’Ivoire, don’t he",
            "Valdoria’s O’Brien visits Côte d’Ivoire, don’t he",
        ),
    ],
)
def test_text_glued_to_a_closing_quote_mark_is_set_apart(line: str, fixed: str) -> None:
    assert unglue(line) == fixed
    assert parse_raw(f"date 2024-01-02 {line}").lead == fixed


LONG = (
    "Valdoria's parliament voted late on Tuesday to extend the state of emergency by ninety "
    "days, after a night of talks between the governing bloc and two smaller parties."
)


def test_a_block_with_unwrapped_lines_keeps_each_line_apart() -> None:
    """A web page flattened into lines (one line longer than any wrap width): a heading or a
    sentence without a full stop on a line of its own is not glued to the next line."""
    text = (
        "Date: 2024-03-05\n\nLead.\n\nKEY POINTS\n\n"
        f"Emergency extended\n{LONG}\nSelm markets\nThe Selm index fell 2 percent in early trade\n"
        "Traders cited the vote."
    )
    briefing = parse_raw(text)
    headings = [s.heading for s in briefing.sections]
    assert headings == ["KEY POINTS", "Emergency extended", "Selm markets"]
    assert briefing.sections[1].items == [LONG]
    assert briefing.sections[2].items == [
        "The Selm index fell 2 percent in early trade",
        "Traders cited the vote.",
    ]


def test_a_hard_wrapped_paragraph_is_still_one_paragraph() -> None:
    text = (
        "Date: 2024-03-05\n\nLead.\n\nKEY POINTS\n\n"
        "Valdoria's parliament voted late on Tuesday to extend the state of\n"
        "emergency by ninety days, after a night of talks between the governing\n"
        "bloc and Selm Unity."
    )
    [section] = parse_raw(text).sections
    assert len(section.items) == 1 and section.items[0].endswith("bloc and Selm Unity.")


@pytest.mark.parametrize("label", ["Read more:", "READ MORE", "Also read:", "Related:"])
def test_a_bare_link_label_takes_the_titles_after_it(label: str) -> None:
    """'Read more:' and the article titles under it are one link line: not a section
    heading with the titles as items, and not glued to the next paragraph (C16)."""
    text = (
        f"Date: 2024-03-05\n\nLead.\n\nEmergency extended\n\n{LONG}\n"
        f"{label}\nLind vows to stay the course\nSelm braces for a long spring\n"
        "Markets\nThe Selm index fell 2 percent on Tuesday, its worst day in a year."
    )
    briefing = parse_raw(text)
    items = [item for section in briefing.sections for item in section.items]
    assert f"{label} Lind vows to stay the course; Selm braces for a long spring; Markets" in items
    assert items[-1] == "The Selm index fell 2 percent on Tuesday, its worst day in a year."
    assert not any(s.heading.lower().startswith(("read", "also", "rel")) for s in briefing.sections)


def test_a_link_line_starts_a_unit_of_its_own() -> None:
    text = (
        "Date: 2024-03-05\n\nLead.\n\nKEY POINTS\n\nThe Selm index fell 2 percent\n"
        "Read more: Lind vows to stay the course\nTraders cited the vote in Valdoria."
    )
    [section] = parse_raw(text).sections
    assert section.items == [
        "The Selm index fell 2 percent",
        "Read more: Lind vows to stay the course",
        "Traders cited the vote in Valdoria.",
    ]


CAPTIONS = (
    "date 2031-03-04 Evening Roundup\n\n"
    "6:00 pm\n"
    "good evening. i'm jo park. the valdorian parliament voted tonight to delay the budget, "
    "and president arvo lind said the vote was a mistake that would cost the country dearly. "
    ">> we will bring it back next week, and we will win it then.\n"
    "6:01 pm\n"
    "in ostria, the central bank held its rate steady for a third month, and the finance "
    "minister, mira hale, told reporters the economy was cooling faster than expected. "
    "the opposition leader, tomas kross, called for her to resign before the summer.\n"
)


def test_a_caseless_transcript_is_warned_about() -> None:
    """Captions and speech-to-text run in lower case: the parser cannot tell names from
    other words, and the editor is told why ingest found almost nobody."""
    assert CASELESS in parse_raw(CAPTIONS).warnings


@pytest.mark.parametrize(
    "text",
    [
        CAPTIONS.replace("arvo lind", "Arvo Lind")
        .replace("mira hale", "Mira Hale")
        .replace("valdorian", "Valdorian")
        .replace("ostria", "Ostria")
        .replace("good", "Good")
        .replace(". i'm jo park. the", ". I'm Jo Park. The")
        .replace("in ostria", "In Ostria"),
        "date 2031-03-04 lead.\n\nheadline\n\n- a short item in lower case.\n",  # too little
    ],
    ids=["prose", "short"],
)
def test_ordinary_or_short_text_is_not(text: str) -> None:
    assert CASELESS not in parse_raw(text).warnings


def test_invisible_characters_pasted_from_the_web_do_not_hide_the_date_line() -> None:
    text = "\u200b\u200bdate 2023-04-06 Arvo Lind spoke.\n\nKEY POINTS\n\nAn\u2060 item\ufeff."
    briefing = parse_raw(text, "2023-04-06-x.txt")
    assert briefing.lead == "Arvo Lind spoke."
    assert briefing.sections[0].items == ["An item."]
    assert briefing.warnings == []


@pytest.mark.parametrize("spacer", ["\u2800", "\u3164", "\u2800 \u2800", "\uffa0\t"])
def test_a_line_of_blank_looking_spacers_is_a_blank_line(spacer: str) -> None:
    text = f"Morning Notes\n{spacer}\nArvo Lind spoke.\n{spacer}\nKEY POINTS\n{spacer}\n- An item."
    briefing = parse_raw(text, "2023-04-06-x.txt")
    assert briefing.title == "Morning Notes"
    assert briefing.lead == "Arvo Lind spoke."
    assert [s.heading for s in briefing.sections] == ["KEY POINTS"]
    assert briefing.sections[0].items == ["An item."]


@pytest.mark.parametrize(
    "chrome",
    ["Back to top", "Search this blog", "Sign in", "Menu", "Link copied to clipboard",
     "Listen to Selm Radio News", "SRI Live!", "Listen live", "A+", "Adjust font size",
     "11 MIN READ", "View web version", "[link removed]", "Follow us on Mastodon", "Print"],
)  # fmt: skip
def test_a_page_furniture_line_before_the_title_is_left_out(chrome: str) -> None:
    text = f"{chrome}\n\nMorning Notes\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- An item."
    briefing = parse_raw(text, "2023-04-06-x.txt")
    assert briefing.title == "Morning Notes"
    assert briefing.lead == "Arvo Lind spoke."


@pytest.mark.parametrize(
    "line",
    ["Listen to the people.", "Watch the border, Lind says", "Print media shrinks", "A plan"],
)
def test_a_line_that_only_begins_like_furniture_is_text(line: str) -> None:
    briefing = parse_raw(
        f"Morning Notes\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- {line}", "2023-04-06-x.txt"
    )
    assert briefing.sections[0].items == [line]


@pytest.mark.parametrize("rule", ["--", "|", "* * *", "***", "___", "• • •", "=====", " | | "])
def test_a_line_that_only_parts_the_text_is_a_blank_line(rule: str) -> None:
    text = (
        f"Morning Notes\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- Lind met Tran.\n{rule}\n- Tran left."
    )
    briefing = parse_raw(text, "2023-04-06-x.txt")
    assert briefing.sections[0].items == ["Lind met Tran.", "Tran left."]


def test_a_lone_dash_or_bullet_is_not_taken_for_a_rule() -> None:
    briefing = parse_raw(
        "Notes\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- A - B.\n- C.", "2023-04-06-x.txt"
    )
    assert briefing.sections[0].items == ["A - B.", "C."]


@pytest.mark.parametrize(
    "dateline",
    [
        "2023/04/16",
        "16.04.2023",
        "16/4/2023 08:15",
        "04/16/2023",  # the second part is over 12: month first
        "Published 16.04.2023, 7:00",
        "2023-04-16T07:00:00Z",
        "2023-04-16 07:00:00+02:00",
    ],
)
def test_numeric_date_lines_in_other_shapes(dateline: str) -> None:
    expected = dt.date(2023, 4, 16)
    briefing = parse_raw(f"Morning Notes\n{dateline}\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- Item.")
    assert briefing.date == expected
    assert briefing.title == "Morning Notes"
    assert briefing.lead == "Arvo Lind spoke."


def test_a_date_header_in_slashes() -> None:
    assert parse_raw("Date: 2023/04/06\n\nLead.\n\n- Item.").date == dt.date(2023, 4, 6)


@pytest.mark.parametrize(
    "first", ["date 16/04/2023", "date 16.04.2023", "date 2023/04/16", "Date 04/16/2023"]
)
def test_the_reference_first_line_takes_a_numeric_date_as_a_header_does(first: str) -> None:
    """'Date: 16/04/2023' was read, 'date 16/04/2023' said 'no date found'."""
    briefing = parse_raw(f"{first} Arvo Lind spoke.\n\nKEY POINTS\n\n- Item.")
    assert briefing.date == dt.date(2023, 4, 16)
    assert briefing.lead == "Arvo Lind spoke."


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (
            "date 05/04/2023",
            "date 05/04/2023 could be day-month or month-day: write it as YYYY-MM-DD",
        ),
        ("date 31/02/2023", "date 31/02/2023 is not a real day"),
    ],
)
def test_a_doubtful_numeric_date_on_the_first_line_is_an_error_at_line_1(
    first: str, message: str
) -> None:
    with pytest.raises(IngestError) as caught:
        parse_raw(f"{first} Arvo Lind spoke.\n\n- Item.")
    assert (str(caught.value), caught.value.line) == (message, 1)


@pytest.mark.parametrize("dateline", ["05.04.2023", "05/04/2023"])
def test_a_numeric_date_that_could_be_either_order_is_an_error_saying_how_to_fix(
    dateline: str,
) -> None:
    with pytest.raises(IngestError) as caught:
        parse_raw(f"Morning Notes\n{dateline}\n\nArvo Lind spoke.\n\n- Item.")
    assert str(caught.value) == (
        f"date {dateline} could be day-month or month-day: write it as YYYY-MM-DD"
    )
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "between",
    ["By Jo Park\n", "By Jo Park and Ann Li\n\n", "Talks resume as the council meets\n"],
    ids=["byline", "byline-gap", "dek"],
)
def test_a_byline_or_dek_between_the_title_and_its_date_line(between: str) -> None:
    text = (
        f"Morning Notes\n{between}Tuesday 21 May 2019\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- Item."
    )
    briefing = parse_raw(text)
    assert briefing.date == dt.date(2019, 5, 21)
    assert briefing.title == "Morning Notes"
    assert [s.heading for s in briefing.sections] == ["KEY POINTS"]
    if between.startswith("By"):
        assert briefing.credits == [between.strip()]
        assert briefing.lead == "Arvo Lind spoke."
    else:  # the dek is kept, as the lead
        assert [briefing.lead, *briefing.background] == [between.strip(), "Arvo Lind spoke."]


def test_a_short_line_under_a_known_title_is_kept_as_text() -> None:
    text = "Title: Morning Notes\n\nTalks Resume\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- Item."
    briefing = parse_raw(text, "2019-05-21.txt")
    assert briefing.title == "Morning Notes"
    assert [briefing.lead, *briefing.background] == ["Talks Resume", "Arvo Lind spoke."]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (
            "<p>Arvo Lind said talks &amp; trade would resume.</p>",
            "Arvo Lind said talks & trade would resume.",
        ),
        ("Arvo&nbsp;Lind said &#8220;yes&#x201D;.<br/>", "Arvo\u00a0Lind said \u201cyes\u201d."),
        (
            "**Arvo Lind** said [talks](https://example.org/a) would resume.",
            "Arvo Lind said talks would resume.",
        ),
        ("Arvo Lind spoke. ![a photo](/img/a.jpg)", "Arvo Lind spoke. "),
        (
            "AT&T and R&D &copy stay as typed; so does 2*3*4.",
            "AT&T and R&D &copy stay as typed; so does 2*3*4.",
        ),
        ("A bell&#7; and a break&#10;are spaces.", "A bell and a break are spaces."),
    ],
)
def test_html_and_markdown_markup_pasted_into_the_text_is_removed(written: str, read: str) -> None:
    briefing = parse_raw(f"{written}\n\n## Key points\n\n- <b>An</b> item.", "2019-05-21.txt")
    assert briefing.lead == read.strip()
    assert [s.heading for s in briefing.sections] == ["Key points"]
    assert briefing.sections[0].items == ["An item."]


@pytest.mark.parametrize(
    "chrome",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Share this article",
        "Skip to main content",
        "Listen to this article · 4 min",
        "Drone footage over the plant 02:13 - Source: Selm TV",  # a video's caption
        "Unsubscribe | Manage preferences",  # a newsletter's footer
        "You received this email because you signed up for Morning Notes.",
        "Follow AP's coverage of the floods at https://example.org/hub/floods",
        "Show key events only",
        "Please turn on JavaScript in your browser to use this feature",
        "Leave a comment",  # a newsletter platform's buttons
        "Subscribe now",
        "Thanks for reading Morning Notes! Subscribe for free to receive new posts.",
        "Like getting Morning Notes? Subscribe to Notes.example for unlimited access.",
    ],
)
def test_page_furniture_lines_are_not_headings_or_items(chrome: str) -> None:
    text = (
        f"{chrome}\n\nMorning Notes\nMay 21, 2019\n\nArvo Lind spoke.\n\n{chrome}\n\n"
        f"KEY POINTS\n\n- An item.\n{chrome}\n- Another item."
    )
    briefing = parse_raw(text)
    assert briefing.title == "Morning Notes"
    assert briefing.lead == "Arvo Lind spoke."
    assert [(s.heading, s.items) for s in briefing.sections] == [
        ("KEY POINTS", ["An item.", "Another item."])
    ]
    assert briefing.warnings == []


def test_a_numbered_headline_over_its_story_heads_it() -> None:
    text = (
        "Five things for today\nMarch 3, 2026\n\n"
        "1. Talks stall\nForeign Minister Arvo Lind said on Monday that the talks in Selm had"
        " broken down.\n\n"
        "2. Rates hold\nThe central bank of Ostria kept its main rate at 4% for a third month.\n"
    )
    briefing = parse_raw(text)
    assert briefing.title == "Five things for today"
    assert [(s.heading, s.items[0][:16]) for s in briefing.sections] == [
        ("1. Talks stall", "Foreign Minister"),
        ("2. Rates hold", "The central bank"),
    ]


def test_a_numbered_list_of_short_items_stays_a_list() -> None:
    text = "March 3, 2026\n\nArvo Lind spoke.\n\nKEY POINTS\n\n1. Talks stall\n2. Rates hold\n"
    assert parse_raw(text).sections[0].items == ["Talks stall", "Rates hold"]


def test_a_live_blogs_time_stamps_head_its_entries() -> None:
    text = (
        "Ostria live\nMarch 3, 2026\n\nTalks stalled.\n\n10:15 a.m.\n\nArvo Lind spoke.\n\n"
        "Updated at 09.12 GMT\n\nKira Moss replied.\n\n12\n\nA number is no time."
    )
    briefing = parse_raw(text)
    assert briefing.lead == "Talks stalled."
    assert [(s.heading, s.items) for s in briefing.sections] == [
        ("10:15 a.m.", ["Arvo Lind spoke."]),
        ("Updated at 09.12 GMT", ["Kira Moss replied.", "12", "A number is no time."]),
    ]


def test_a_live_entrys_headline_under_its_time_heads_it() -> None:
    text = (
        "Ostria election: live\nMarch 3, 2026\n\n"
        "Posted at 10:32\nLind concedes defeat\n\nPresident Arvo Lind conceded on Monday.\n\n"
        "Posted at 09:58\nTurnout highest in decades\n"
        "The electoral commission says turnout reached 78%, the highest since 1990.\n"
    )
    briefing = parse_raw(text)
    assert briefing.title == "Ostria election: live"
    assert briefing.lead == ""  # the first entry is no dek
    assert [(s.heading, s.items) for s in briefing.sections] == [
        ("Lind concedes defeat", ["President Arvo Lind conceded on Monday."]),
        (
            "Turnout highest in decades",
            ["The electoral commission says turnout reached 78%, the highest since 1990."],
        ),
    ]


def test_a_pages_one_time_over_its_intro_is_dropped() -> None:
    text = (
        "March 3, 2026\n\n05:05 AM ET\n\nFive things to know for your day.\n\n"
        "1. TALKS\n\nArvo Lind spoke.\n\n2. RATES\n\nKira Moss replied.\n"
    )
    briefing = parse_raw(text)
    assert briefing.title is None  # (it was the time)
    assert briefing.lead == "Five things to know for your day."
    assert [s.heading for s in briefing.sections] == ["1. TALKS", "2. RATES"]


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("Sent: Tuesday, March 3, 2026 6:02 AM", dt.date(2026, 3, 3)),  # Outlook's forward
        ("Date: Tue, Mar 3, 2026 at 6:02 AM", dt.date(2026, 3, 3)),  # Gmail's
    ],
)
def test_a_forwarded_newsletters_email_headers(header: str, date: dt.date) -> None:
    text = (
        "---------- Forwarded message ---------\n"
        f"From: Morning Notes <notes@news.example>\n{header}\n"
        "To: Jo Reader <jo@example.com>\nCc: desk@example.com\n"
        "Subject: Morning Notes: Talks stall\n\n"
        "Good morning. Here's what you need to know today.\n\n"
        "KEY POINTS\n\n- Arvo Lind spoke.\n"
    )
    briefing = parse_raw(text, "notes.txt")
    assert briefing.date == date
    assert briefing.title == "Morning Notes: Talks stall"
    assert briefing.lead == "Good morning. Here's what you need to know today."
    sections = [(s.heading, s.items) for s in briefing.sections]
    assert sections == [("KEY POINTS", ["Arvo Lind spoke."])]


def test_a_sentence_that_names_a_source_after_a_time_is_text() -> None:
    text = "Arvo Lind spoke at 10:42 - Source: Selm TV was there to see it.\n\nKEY POINTS\n\n- X."
    assert parse_raw(text, "2019-05-21.txt").lead.startswith("Arvo Lind spoke at 10:42")


def test_a_sentence_about_sharing_is_text() -> None:
    text = "Share this article with Arvo Lind.\n\nKEY POINTS\n\n- Advertisement revenue fell."
    briefing = parse_raw(text, "2019-05-21.txt")
    assert briefing.lead == "Share this article with Arvo Lind."
    assert briefing.sections[0].items == ["Advertisement revenue fell."]


def test_tabs_and_runs_of_spaces_between_words_are_one_space() -> None:
    text = "Morning Notes\n\n\tMinister   Arvo\tLind spoke.\n\nKEY POINTS\n\n\t- Jo  Park \t left."
    briefing = parse_raw(text, "2019-05-21.txt")
    assert briefing.lead == "Minister Arvo Lind spoke."
    assert briefing.sections[0].items == ["Jo Park left."]


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("By Jo Park, May 21, 2019", "By Jo Park"),
        ("By Jo Park and Ann Li | 21 May 2019 • 4 min read", "By Jo Park and Ann Li"),
        ("By Jo Park — Tuesday, 21 May 2019 07.00 BST", "By Jo Park"),
    ],
)
def test_a_byline_and_the_date_on_one_line(line: str, credit: str) -> None:
    briefing = parse_raw(f"Morning Notes\n{line}\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- Item.")
    assert briefing.date == dt.date(2019, 5, 21)
    assert briefing.title == "Morning Notes"
    assert briefing.credits == [credit]
    assert briefing.lead == "Arvo Lind spoke."


def test_an_ambiguous_numeric_date_line_gives_way_to_the_file_name() -> None:
    text = "Morning Notes\n05/06/2019\n\nLead.\n\n- Item."
    assert parse_raw(text, "2019-06-05-notes.txt").date == dt.date(2019, 6, 5)
    with pytest.raises(IngestError, match="could be day-month or month-day"):
        parse_raw(text, "notes.txt")


@pytest.mark.parametrize("date", ["2026-03-02", "2026.03.02", "13/03/2026"])
def test_a_date_opening_the_first_line_without_the_word_date(date: str) -> None:
    """'2026-03-02 The lead...': the reference format without its word 'date' is read the
    same way (before, the file had no date)."""
    briefing = parse_raw(f"{date} Leaders met in the capital.\n\nKEY POINTS\n\nItem one.")
    assert briefing.date in (dt.date(2026, 3, 2), dt.date(2026, 3, 13))
    assert briefing.lead == "Leaders met in the capital."


@pytest.mark.parametrize(
    ("first", "message"),
    [
        ("2026-02-30 Leaders met.", "date 2026-02-30 is not a real day"),
        ("03/02/2026 Leaders met.", "could be day-month or month-day"),
    ],
)
def test_a_bad_date_opening_the_first_line_is_named_at_line_1(first: str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as raised:
        parse_raw(f"{first}\n\nKEY POINTS\n\nItem.")
    assert raised.value.line == 1


def test_a_bare_first_line_date_gives_way_to_the_file_name_with_a_warning() -> None:
    """Without the word 'date' the line is a page's date, not a statement: the file name's
    date wins, as it does over a dateline."""
    briefing = parse_raw("03/02/2026 Leaders met.\n\nKEY POINTS\n\nItem.", "2026-03-02-x.txt")
    assert briefing.date == dt.date(2026, 3, 2)
    briefing = parse_raw("2026-03-05 Leaders met.\n\nKEY POINTS\n\nItem.", "2026-03-02-x.txt")
    assert briefing.date == dt.date(2026, 3, 2)
    assert "date 2026-03-05 differs from 2026-03-02" in briefing.warnings[0]


def test_headers_under_a_date_header_are_taken_out_and_the_subject_is_the_title() -> None:
    """An e-mail pasted whole: 'Date:' first, then 'From:', 'To:', 'Subject:'. Before, only
    the date was read and the other headers were text ('Subject: ...' became the title)."""
    text = (
        "Date: 2026-03-04\nFrom: Desk <desk@example.org>\nTo: All\nSubject: Morning Report\n\n"
        "Leaders met on Tuesday.\n\nTOP STORIES\n\n1. Arvo Lind said the talks were useful."
    )
    briefing = parse_raw(text)
    assert briefing.title == "Morning Report"
    assert briefing.lead == "Leaders met on Tuesday."
    assert briefing.sections[0].items == ["Arvo Lind said the talks were useful."]


def test_after_a_lead_on_the_date_line_a_header_like_line_is_text() -> None:
    text = "date 2026-03-04 Leaders met.\nSource: the ministry said so.\n\nKEY POINTS\n\nItem."
    briefing = parse_raw(text)
    assert briefing.title is None
    assert briefing.background == ["Source: the ministry said so."]


@pytest.mark.parametrize(
    "title",
    ["# Morning Briefing — 2026-03-02", "Morning Briefing | 2026-03-02", "Briefing 2026/03/02"],
)
def test_a_numeric_date_in_the_title_heading_dates_the_briefing(title: str) -> None:
    """A prose date in a heading dated the briefing; an ISO or year-first one gave 'no date
    found'."""
    briefing = parse_raw(f"{title}\n\nMinister Arvo Lind said the talks had stalled.\n", "x.txt")
    assert briefing.date == dt.date(2026, 3, 2)


def test_an_ambiguous_numeric_date_in_a_heading_asks_for_iso() -> None:
    with pytest.raises(IngestError, match="could be day-month or month-day"):
        parse_raw("Briefing 05/06/2026\n\nMinister Arvo Lind said the talks stalled.\n", "x.txt")


HEADLINES_OVER_STORIES = (
    "Date: 2026-03-02\n\nLeaders met again on Monday.\n\n"
    "Talks stall\nForeign Minister Arvo Lind said on Sunday that the talks had reached a wall.\n\n"
    "Markets wobble\nThe central bank of Ostria held rates, its governor Mara Quell said.\n"
)


def test_a_short_headline_line_over_its_story_is_a_heading_not_words_of_the_story() -> None:
    """'Talks stall' glued to 'Foreign Minister ...' made the role 'Talks stall Foreign
    Minister'."""
    briefing = parse_raw(HEADLINES_OVER_STORIES, "x.txt")
    assert [s.heading for s in briefing.sections] == ["Talks stall", "Markets wobble"]
    assert briefing.sections[0].items == [
        "Foreign Minister Arvo Lind said on Sunday that the talks had reached a wall."
    ]


@pytest.mark.parametrize(
    "block",
    [
        # text wrapped at a width fills every line but the last
        "The foreign minister of Ostria said on Sunday that the talks had\nreached a wall.",
        # a sentence cut by a line break
        "Good morning. Let's\nskip to the news of the day, which is about the budget and its vote.",
        # a byline's word alone, a breadcrumb
        "By\nJuly 26, 2022 at 6:30 a.m. EDT (Jo Park for The Ostrian Post)",
        "You are here\nHome > News > World",
        # the next line goes on with the sentence
        "The minister and\nthe governor of the central bank met on Sunday in the capital city.",
    ],
)
def test_lines_that_are_not_a_headline_over_a_story_stay_one_paragraph(block: str) -> None:
    briefing = parse_raw(f"Date: 2026-03-02\n\nLead.\n\nNews\n\n{block}\n", "x.txt")
    assert [s.heading for s in briefing.sections] == ["News"]
    assert briefing.sections[0].items == [" ".join(block.split("\n"))]
