"""Names set in capitals inside ordinary prose are read in title case (casing.py)."""

from __future__ import annotations

import pytest

from sitegen.ingest.casing import for_the_parser, recase

from .conftest import analysis_of

ACRONYMS = frozenset({"NATO", "EU", "U.S."})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tonight, President ARVO LIND heads to Selm for talks.",
            "Tonight, President Arvo Lind heads to Selm for talks.",
        ),
        (  # a short word next to a longer one is part of the name; initials stay
            "In Brava, Sen. TIM ORNDAL and J.D. VALE face off at 7 p.m. tonight.",
            "In Brava, Sen. Tim Orndal and J.D. Vale face off at 7 p.m. tonight.",
        ),
        (  # acronyms the lists know, and lone short words, are acronyms
            "LIND told NATO and GOP leaders that the EU would wait.",
            "Lind told NATO and GOP leaders that the EU would wait.",
        ),
        (  # a label before a dash or colon stays a label
            "THE NARRATIVE -- Lind said the talks were over, and Hale agreed.",
            "THE NARRATIVE -- Lind said the talks were over, and Hale agreed.",
        ),
        (  # a whole sentence in capitals is a shouted headline
            "DID LIND BLOW THE TALKS? Hale thinks so, and said it twice on the radio.",
            "DID LIND BLOW THE TALKS? Hale thinks so, and said it twice on the radio.",
        ),
        ("VALDORIA FREES ACTIVIST", "VALDORIA FREES ACTIVIST"),
        (  # a headline run into the text: its verbs and small words are no part of a name
            "The day's talking points. LIND TELLS SENATE TO WAIT Arvo Lind said on Monday.",
            "The day's talking points. Lind tells Senate to Wait Arvo Lind said on Monday.",
        ),
        (
            "Talks went on. ARVO LIND SUSPENDED FROM THE PARTY The former minister left.",
            "Talks went on. Arvo Lind suspended from the Party The former minister left.",
        ),
        (  # an acronym in brackets after its body's name stays an acronym
            "The Valdorian Disaster Response Council (VDRRMC) said it was still counting.",
            "The Valdorian Disaster Response Council (VDRRMC) said it was still counting.",
        ),
        (  # a name's small words, as a sentence writes them
            "On Monday the BANK OF VALDORIA and Sen. TIM ORNDAL met.",
            "On Monday the Bank of Valdoria and Sen. Tim Orndal met.",
        ),
        (
            "KYUNG-WHA ORN’S aide and O’NEILL met on Monday in the capital city.",
            "Kyung-Wha Orn’s aide and O’Neill met on Monday in the capital city.",
        ),
    ],
)
def test_recase(text: str, expected: str) -> None:
    assert recase(text, ACRONYMS) == expected
    assert len(recase(text, ACRONYMS)) == len(text)


def test_a_name_in_capitals_acts_and_is_shown_as_written() -> None:
    analysis = analysis_of("On Thursday, President ARVO LINDQVIST vetoed the Valdorian budget.")
    assert [a.name for a in analysis.actors] == ["Arvo Lindqvist"]
    [mention] = analysis.links[0]
    text = "On Thursday, President ARVO LINDQVIST vetoed the Valdorian budget."
    assert text[mention.start : mention.end] == "ARVO LINDQVIST"


@pytest.mark.parametrize(
    "text",
    [
        "10:42 GMT – Poland's foreign ministry summoned the Ostrian envoy.",
        "Updated at 14.05 BST Poland's foreign ministry summoned the Ostrian envoy.",
        "9.30am: Poland's foreign ministry summoned the Ostrian envoy.",
    ],
)
def test_a_live_blog_time_stamp_is_not_read_as_a_name(text: str) -> None:
    from sitegen.ingest.casing import for_the_parser

    read = for_the_parser(text, ACRONYMS)
    assert len(read) == len(text) and read.lstrip().startswith("Poland's")
    assert [a.name for a in analysis_of(text).actors] == ["Polish Foreign Ministry"]


PLACES = frozenset({"SEOUL", "TOKYO", "WASHINGTON", "NEW YORK", "WASHINGTON, D.C."})
COUNTRIES = frozenset({"SOUTH KOREA", "CHILE"})


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("SEOUL – Premier Arvo Lind said", "Premier Arvo Lind said"),
        ("TOKYO/SEOUL -- Ostria fired two missiles", "Ostria fired two missiles"),
        ("WASHINGTON (AP) — Arvo Lind said", "Arvo Lind said"),
        ("NEW YORK - Arvo Lind said", "Arvo Lind said"),
        ("WASHINGTON, D.C. — Arvo Lind said", "Arvo Lind said"),
        ("Seoul, May 27 (Yonhap) -- Arvo Lind said", "Arvo Lind said"),
        # in mixed case: a city in capitals and its country, a place or country and a date
        ("SEOUL, South Korea — Sen. Arvo Lind said", "Sen. Arvo Lind said"),
        ("Chile, Oct. 29 -- The Selm High Court said", "The Selm High Court said"),
        ("Seoul, May 6 -- The Selm High Court said", "The Selm High Court said"),
        # before an agency's name, a place the lists lack, with its country or state
        ("SELM, Ostria (AP) — Arvo Lind said", "Arvo Lind said"),
        ("SEOUL, South Korea (AP) — Arvo Lind said", "Arvo Lind said"),
        ("PORT SELM, S.C. (AP) — Arvo Lind said", "Arvo Lind said"),
        ("SELM (Reuters) - Arvo Lind said", "Arvo Lind said"),
        ("SELM, Oct 9, 2020 (AFP) – Arvo Lind said", "Arvo Lind said"),
        # a city the lists lack, in capitals, before a country they know
        ("SELM, Chile — Arvo Lind said", "Arvo Lind said"),
    ],
)
def test_a_wire_dateline_is_blanked(text: str, rest: str) -> None:
    from sitegen.ingest.casing import dateline_end

    end = dateline_end(text, PLACES, COUNTRIES)
    assert text[end:] == rest
    read = for_the_parser(text, ACRONYMS, PLACES)
    assert len(read) == len(text) and read.lstrip() == rest


def test_a_blanked_dateline_ends_in_a_line_break() -> None:
    """After spaces alone the model typed fewer names in the sentence that follows."""
    read = for_the_parser("SEOUL – The Selm High Court said", ACRONYMS, PLACES)
    assert read == " " * 7 + "\nThe Selm High Court said"


@pytest.mark.parametrize(
    "text",
    [
        "TRUMP AT CPAC - Arvo Lind said",  # a newsletter's label, not a place
        "NATO – The alliance said it would wait.",
        "SEOUL-BASED firms said they would wait.",  # a hyphen inside a word
        "Seoul – Arvo Lind said",  # in title case, only with an agency's name
        "Seoul said on Monday that it would wait.",
        "Seoul, South Korea – Arvo Lind said",  # the city in title case: a name, not a dateline
        "SEOUL, Selm – Arvo Lind said",  # no country after the city
        "Chile – Arvo Lind said",  # a country in title case, no date
        "Lind, May 6 -- Arvo Lind said",  # a date after no place
        "SELM — Arvo Lind said",  # a word in capitals the lists lack, no agency: a label
        "Arvo Lind (Selm) — Tam Hale said",  # no place before the bracket
        "the minister (AP) — Arvo Lind said",
    ],
)
def test_only_a_dateline_is_blanked(text: str) -> None:
    from sitegen.ingest.casing import dateline_end

    assert dateline_end(text, PLACES, COUNTRIES) == 0


def test_a_dateline_neither_acts_nor_speaks() -> None:
    """Read as a name, the city was the first sentence's subject and took its quote."""
    analysis = analysis_of(
        "SEOUL – Ostrian Prime Minister Arvo Lind said he relayed Ostria’s “serious concern”"
        " to Selmish Premier Tam Hale in their talks on Sunday."
    )
    assert [a.name for a in analysis.actors] == ["Arvo Lind"]
    assert [(q.actor, q.text) for q in analysis.quotes] == [("Arvo Lind", "serious concern")]


def test_a_role_does_not_open_with_the_blanked_dateline() -> None:
    analysis = analysis_of("SEOUL – Ostrian Prime Minister Arvo Lind said he would wait.")
    assert [(a.name, a.role) for a in analysis.actors] == [("Arvo Lind", "Ostrian Prime Minister")]


def test_a_price_is_not_a_time_stamp() -> None:
    from sitegen.ingest.casing import for_the_parser

    text = "12.50 euros a litre was the price, the ministry said."
    assert for_the_parser(text, ACRONYMS) == text


@pytest.mark.parametrize(
    "text",
    [
        "Lind spoke at dawn. 10:42Arvo Lind said the vote was rigged.",
        "Lind spoke at dawn. 9.15amArvo Lind said the vote was rigged.",
    ],
)
def test_a_time_glued_to_the_next_word_is_not_part_of_a_name(text: str) -> None:
    from sitegen.ingest.casing import for_the_parser

    read = for_the_parser(text, ACRONYMS)
    assert len(read) == len(text) and "Arvo Lind said" in read and ":" not in read[20:30]
    assert [a.name for a in analysis_of(text).actors] == ["Arvo Lind"]


def test_a_figure_glued_to_a_unit_is_kept() -> None:
    from sitegen.ingest.casing import for_the_parser

    text = "Inflation rose 3.25percent in May, the bank said."
    assert for_the_parser(text, ACRONYMS) == text


# -- a briefing without capitals (captions, speech-to-text) ------------------------------------
TRANSCRIPT = (
    "good evening. president arvo lind of valdoria said tonight that nato troops would stay "
    "in selm through the winter, and the ostrian army pulled back from the border. lind told "
    "reporters the talks were over. the president wants a deal by friday, and i think he "
    "will get one, said our correspondent who was there in the capital all week long."
)


def test_a_caseless_briefing_is_told_from_ordinary_prose() -> None:
    from sitegen.ingest.casing import caseless

    assert caseless([TRANSCRIPT])
    assert caseless([TRANSCRIPT.upper()])  # all in capitals: no more telling than none
    cased_line = "VALDORIA TONIGHT WITH JO PARK (Captions By The Network)\n"
    assert caseless([cased_line + TRANSCRIPT + "\n" + TRANSCRIPT])
    prose = TRANSCRIPT.replace("arvo lind", "Arvo Lind").replace("lind told", "Lind told")
    assert not caseless([prose.replace("valdoria", "Valdoria").replace("good", "Good")])
    assert not caseless(["president lind spoke."])  # too short to judge


def test_a_caseless_briefing_gets_its_capitals_back() -> None:
    from sitegen.ingest.casing import restore_case

    known = {"nato": "NATO", "ostrian": "Ostrian", "valdoria": "Valdoria"}
    titles = frozenset({"president", "sen"})
    [restored] = restore_case([TRANSCRIPT], known, titles)
    assert len(restored) == len(TRANSCRIPT)
    assert restored.startswith("Good evening. President Arvo Lind of Valdoria said tonight")
    assert "NATO troops" in restored and "the Ostrian army" in restored
    assert "Lind told reporters" in restored  # the name a title gave, wherever it recurs
    assert "The president wants a deal" in restored  # 'the president': no name follows
    assert "I think he will" in restored and "selm" in restored  # unknown, untitled: as is
    [shouted] = restore_case([TRANSCRIPT.upper()], known, titles)
    assert shouted == restored


def test_actors_are_found_in_a_caseless_briefing() -> None:
    analysis = analysis_of(TRANSCRIPT)
    names = {a.name for a in analysis.actors}
    assert "Arvo Lind" in names
    [mention, *_] = analysis.links[0]
    assert TRANSCRIPT[mention.start : mention.end] == "arvo lind"  # shown as written


def test_names_the_parser_finds_without_capitals_get_them() -> None:
    from spacy.tokens import Doc, Span

    from sitegen.ingest.casing import entity_case
    from sitegen.ingest.nlp import load_pipeline

    vocab = load_pipeline().vocab
    words = ["then", "arvo", "lind", "met", "the", "selm", "bank", "board"]
    first = Doc(vocab, words=words, spaces=[True] * 7 + [False])
    first.ents = [Span(first, 1, 3, label="PERSON"), Span(first, 4, 7, label="ORG")]
    words = ["lind", "said", "the", "talks", "went", "well", "on", "monday"]
    second = Doc(vocab, words=words, spaces=[True] * 7 + [False])
    second.ents = [Span(second, 7, 8, label="DATE")]
    texts = [first.text, second.text]
    assert entity_case(texts, [first, second]) == [
        "then Arvo Lind met the Selm Bank board",  # 'the' is no part of a name
        "Lind said the talks went well on monday",  # a person's name, wherever it recurs
    ]


def test_a_no_break_space_is_a_space_to_the_parser() -> None:
    text = "Prime Minister Arvo\u00a0Lind said\u202fso."
    read = for_the_parser(text, frozenset())
    assert read == "Prime Minister Arvo Lind said so."
    assert len(read) == len(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Lind won the vote. [Jo Park and Al Reyes, Courier]", "Lind won the vote. [, Courier]"),
        ("  • Live reporting by Jo Park", "•"),
        (
            "A letter from the Courier | Contributors: Jo Park, Al Reyes and Ann Li"
            " | Editor: Tam Ode",
            "A letter from the Courier | |",
        ),
        ("The vote is close. Host: Jo Park Producer: Al Reyes", "The vote is close."),
    ],
)
def test_reporters_credited_inside_a_paragraph_are_blanked(text: str, kept: str) -> None:
    from sitegen.ingest.casing import credits_blanked

    read = credits_blanked(text)
    assert len(read) == len(text)
    assert " ".join(read.split()).replace("[ ,", "[,") == kept


@pytest.mark.parametrize(
    "text",
    [
        "A fund founded by Jo Park said it would sue.",  # an act, not a label
        "Park said “[Lind and Hale] will sign” on Monday.",  # a name put in a quote
        "The study, reporting by region, found Lind ahead.",
        "Lind won. [Courier / Jo Park]",  # a source tag: the outlet is a source
    ],
)
def test_only_a_credit_is_blanked(text: str) -> None:
    from sitegen.ingest.casing import credits_blanked

    assert credits_blanked(text) == text


def test_reporters_in_a_bracketed_credit_do_not_act() -> None:
    analysis = analysis_of(
        "Ostria said it would veto the plan, Arvo Lind told reporters."
        " [Jo Park and Al Reyes, Courier]"
    )
    names = [a.name for a in analysis.actors]
    assert "Jo Park" not in names and "Al Reyes" not in names
    assert "Arvo Lind" in names
