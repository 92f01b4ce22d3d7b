"""Round 18 on titles: the furniture pasted pages print where their headline stands (a photo's
caption, the page's controls, a teaser about the page's own stories, a byline with the
writer's role, a broadcast's slot) is not the day's title. Invented pages only."""

from __future__ import annotations

import pytest

from sitegen.ingest.rawparse import parse_raw
from sitegen.ingest.writer import title_of

DEFAULT = "May 21: What you need to know"


def _title(first_line: str) -> str:
    text = f"{first_line}\n\nArvo Lind spoke in Selm on Monday.\n\nKEY POINTS\n\n- An item."
    return title_of(parse_raw(text, "2019-05-21.txt"))


@pytest.mark.parametrize(
    "caption",
    [
        "Troops march in Selm, Ostria, May 20, 2019. REUTERS/Jo Park |",
        "[Reuters / Mira Tran]",
        "Official Selm Palace Photo by Jo Park",
        "jo park/iStock",
        "Ostrian President Arvo Lind (R) and Valdorian Prime Minister Mira Tran (L)",
    ],
)
def test_a_photos_caption_or_credit_is_not_the_title(caption: str) -> None:
    assert _title(caption) == DEFAULT


@pytest.mark.parametrize(
    "headline",
    [
        "Lind and Tran meet in Selm",
        "Reuters reporters freed in Ostria",  # an agency named, no photographer's slash
        "Left (and right) unite behind the budget",
    ],
)
def test_a_headline_is_still_the_title(headline: str) -> None:
    assert _title(headline) == headline


@pytest.mark.parametrize(
    "notice",
    [
        "View email online",
        "Your browser does not support HTML5 audio",
        "Accessibility links",
        "You've read your free stories for this month",
        "See more at: http://selmcourier.example/tv",
        "Setup News Ticker SELM COURIER May 21, 2019",
        "Also See:",
    ],
)
def test_a_pages_control_or_notice_is_not_the_title(notice: str) -> None:
    assert _title(notice) == DEFAULT


@pytest.mark.parametrize(
    "teaser",
    [
        "Here are today's top stories on SelmCourier.example",
        "These are the top stories",
        "A look at the headlines right now",
        "Good day. These are the stories from the Selm Courier",
        "A handpicked list of stories to read before your day begins",
        "Get the latest news",
    ],
)
def test_a_teaser_about_the_pages_own_stories_is_not_the_title(teaser: str) -> None:
    assert _title(teaser) == DEFAULT


def test_a_headline_about_a_look_at_something_else_is_still_the_title() -> None:
    assert _title("A look at Lind's budget") == "A look at Lind's budget"


@pytest.mark.parametrize(
    "byline",
    [
        "| Jo Park | Editor of the Selm Courier |",
        "| | Jo Park | Editor of the Selm Courier |",
        "A message from Jo Park, Editor of the Selm Courier",
        "Jo Park Editor: Selm Courier Lind vetoes the budget",
    ],
)
def test_a_byline_with_the_writers_role_is_not_the_title(byline: str) -> None:
    assert _title(byline) == DEFAULT


def test_a_headline_about_an_editor_is_still_the_title() -> None:
    headline = "Courier editor resigns over Lind story"
    assert _title(headline) == headline


def test_a_broadcasts_slot_is_not_the_title() -> None:
    assert _title("tv Selm Morning News SCN May 21, 2019 4:00am-5:00am EDT") == DEFAULT
    assert _title("Lind speaks at 9am, Tran at 10am") == "Lind speaks at 9am, Tran at 10am"


@pytest.mark.parametrize(
    "links",
    [
        "Go to Contents Go to Navigation",
        "12 views Skip to first unread message",
        "share with facebook share with twitter",
        "Share to or",
        "Back to list",
    ],
)
def test_a_pages_links_to_its_parts_are_not_the_title(links: str) -> None:
    assert _title(links) == DEFAULT


@pytest.mark.parametrize("control", ["Go to Contents Go to Navigation", "Accessibility links"])
def test_under_a_pages_control_the_first_heading_is_the_title(control: str) -> None:
    text = (
        f"{control}\n\nSelm News Summary\n\nMay 21, 2019\n\nLind vetoes the budget\n\n"
        "Arvo Lind vetoed the budget on Monday, his office said."
    )
    assert title_of(parse_raw(text, "2019-05-21.txt")) == "Selm News Summary"


@pytest.mark.parametrize(
    ("title", "wanted"),
    [
        ("Accessibility links", "Lind vetoes the budget"),  # the page's control: its heading
        ("Presented by Larkmart Bank", DEFAULT),  # a sponsor: the heading is a section's label
    ],
)
def test_a_heading_is_the_title_only_under_a_pages_control(title: str, wanted: str) -> None:
    text = (
        f"Title: {title}\n\nLind vetoes the budget\n\n"
        "- Arvo Lind vetoed the budget on Monday, his office said.\n- Mira Tran arrived."
    )
    assert title_of(parse_raw(text, "2019-05-21.txt")) == wanted


@pytest.mark.parametrize(
    "artwork",
    ["Selm Daily - podcast cover", "Selm Daily Cover Selm Daily Profile", "Selm Daily cover art"],
)
def test_a_podcasts_artwork_is_not_the_title(artwork: str) -> None:
    assert _title(artwork) == DEFAULT


def test_under_a_podcasts_artwork_the_first_heading_is_the_title() -> None:
    text = (
        "Title: Selm Daily - podcast cover\n\nSelm Daily\n\n"
        "- Arvo Lind vetoed the budget on Monday, his office said.\n- Mira Tran arrived."
    )
    assert title_of(parse_raw(text, "2019-05-21.txt")) == "Selm Daily"


def test_a_headline_about_a_cover_is_still_the_title() -> None:
    assert _title("Selm magazine cover sparks protest") == "Selm magazine cover sparks protest"


@pytest.mark.parametrize("label", ["Live updates (closed)", "Blog is now closed", "Key events"])
def test_a_live_pages_label_is_not_the_title(label: str) -> None:
    assert _title(label) == DEFAULT


def test_under_a_live_pages_label_the_first_heading_is_the_title() -> None:
    text = (
        "Title: Live blog update| Valdoria-Ostria war\n\nEvening recap\n\n"
        "- Arvo Lind vetoed the budget on Monday, his office said.\n- Mira Tran arrived."
    )
    assert title_of(parse_raw(text, "2019-05-21.txt")) == "Evening recap"


def test_live_updates_on_a_story_are_still_the_title() -> None:
    headline = "Live updates: Lind vetoes the budget"
    assert _title(headline) == headline


@pytest.mark.parametrize(
    "aside",
    [
        "Hello, and welcome to Selm!",
        "Ok, let's break down what happened",
        "Plus, a mayor's regrets",
    ],
)
def test_a_greeting_or_an_aside_is_not_the_title(aside: str) -> None:
    assert _title(aside) == DEFAULT


def test_a_headline_opening_with_such_a_word_is_still_the_title() -> None:
    assert _title("Hello Kitty maker opens Selm store") == "Hello Kitty maker opens Selm store"


@pytest.mark.parametrize(
    "appeal", ["Your support helps us to tell the story", "Follow here for the latest updates"]
)
def test_the_pages_appeal_to_its_reader_is_not_the_title(appeal: str) -> None:
    assert _title(appeal) == DEFAULT


@pytest.mark.parametrize(
    ("first_item", "wanted"),
    [
        (
            "Friday’s papers: Lind wins, and a cold spring",
            "Friday’s papers: Lind wins, and a cold spring",
        ),
        (
            "Newspaper Headlines: Lind vetoes the budget",
            "Newspaper Headlines: Lind vetoes the budget",
        ),
        ("Lind wins, and a cold spring", DEFAULT),  # a story's headline, not the edition's
        ("Selm: Arvo Lind won the vote last night.", DEFAULT),  # a sentence
        ('Selm: Arvo Lind called the vote "a farce."', DEFAULT),  # a sentence ended in a quote
        ("08:15 Arvo Lind opens the talks in Selm", DEFAULT),  # a live blog's time, no label
    ],
)
def test_under_a_label_an_editions_name_and_headline_is_the_title(
    first_item: str, wanted: str
) -> None:
    text = f"Podcasts\n\n- {first_item}\n- Arvo Lind won in Selm last night."
    assert title_of(parse_raw(text, "2019-05-21.txt")) == wanted


@pytest.mark.parametrize(
    "headline",
    [
        "Billionaire pledges to donate half his fortune to Selm fund",
        "Former editor of the Selm Courier jailed over phone hacking",
        "Correspondent of the Courier detained in Ostria",
        "Disability groups decry accessibility cuts in budget",
        "Minister: help us rebuild the flooded towns",
        "Ostria war: your support matters, says Lind",
        "So, what happens now? Markets brace for rate decision",
        "Get ready for the biggest news of the year in Selm",
        "Senate votes to follow along party lines on budget",
    ],
)
def test_a_headline_with_the_furnitures_words_elsewhere_is_the_title(headline: str) -> None:
    """The furniture's words inside a headline ("donate", "editor of", "help us") are not
    furniture: each form is a line's shape (where it starts, what precedes it)."""
    assert _title(headline) == headline
