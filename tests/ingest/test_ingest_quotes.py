"""Quotes: every quoted passage, with the speaker the parse gives it, or none."""

from __future__ import annotations

import pytest

from sitegen.ingest.quotes import find_quotes

from .conftest import analysis_of


def quotes_of(*paragraphs: str) -> list[tuple[str | None, str]]:
    return [(q.actor, q.text) for q in analysis_of(*paragraphs).quotes]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("He said “curly” words.", ["curly"]),
        ('He said "straight" words.', ["straight"]),
        ('He said "mixed” words.', ["mixed"]),
        ("She said ‘British style’ and Ukraine’s ‘second’.", ["British style", "second"]),
        ("It isn’t a quote, it’s Russia’s.", []),
        ("“Runs on to the next paragraph", ["Runs on to the next paragraph"]),
        # a quote in a quote with the same marks; an open quote that never closed
        (
            "It is “deepening ties on “security” with Selm,” says X.",
            ["deepening ties on “security” with Selm,", "security"],
        ),
        ("“Runs on. “Next one.” Then", ["Runs on.", "Next one."]),
        # a closing mark with the next words glued to it (flattened web text)
        ("Kross: ‘We will not yield’Kross said", ["We will not yield"]),
        # a live blog's time stamp glued to the closing mark
        ("Kross said: ‘We will not yield.’12:45 Lind lands in Selm", ["We will not yield."]),
        ("Kross said: 'We will not yield.'09:10 Lind lands", ["We will not yield."]),
        ("Kross: ‘Ostria’s 1990s’ are over", ["Ostria’s 1990s"]),
        # straight single marks, as many sites and feeds write them; apostrophes are not
        ("Lind called it 'a grave mistake' on Monday.", ["a grave mistake"]),
        ("The ministers' plan is 'dead on arrival', Kross said.", ["dead on arrival"]),
        ("Kross said: 'We will not yield. Not now.'", ["We will not yield. Not now."]),
        ("It's Lind's call, don't ask, the ministers' aides said.", []),
        ("The '90s were calm until 'Operation Dawn' began.", ["Operation Dawn"]),
        ("Lind said 'it opens here and never closes", []),
    ],
)
def test_find_quotes(text: str, found: list[str]) -> None:
    assert [q.text for q in find_quotes(text)] == found


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ["Russian Foreign Minister Sergei Lavrov said “no deal.”"],
            [("Sergei Lavrov", "no deal.")],
        ),
        (["“No deal,” said Kremlin spokesman Dmitry Peskov."], [("Dmitry Peskov", "No deal,")]),
        (
            ["The Belarusian Defense Ministry said: “Troops will leave.”"],
            [("Belarusian Defense Ministry", "Troops will leave.")],
        ),
        (
            ["Russian Foreign Minister Sergei Lavrov spoke. “It is over,” he said."],
            [("Sergei Lavrov", "It is over,")],
        ),
        (
            ['Deputy Prime Minister Alexander Novak spoke. "We are working on it," Novak said.'],
            [("Alexander Novak", "We are working on it,")],
        ),
        # the speech verb that governs each quote, not the nearest name
        (
            ["Kross called it a “mistake,” and envoy Tran accused them of “meddling”."],
            [("Kross", "mistake,"), ("Tran", "meddling")],
        ),
        # a joint quote: one entry per speaker
        (
            ["NATO and the U.S. have called the demands “non-starters.”"],
            [("NATO", "non-starters."), ("United States", "non-starters.")],
        ),
        # a sentence ends at .”
        (
            ["Kross said the talks were “useful.” President Arvo Lind then left for Brava."],
            [("Kross", "useful.")],
        ),
        # a quote that stands alone continues the previous speaker's words
        (
            ["“We will fight,” President Volodymyr Zelenskiy said. “We will win.”"],
            [("Volodymyr Zelenskiy", "We will fight,"), ("Volodymyr Zelenskiy", "We will win.")],
        ),
        (
            [
                "Russian President Vladimir Putin spoke on television.",
                "“A stab in the back,” the Russian president said.",
            ],
            [("Vladimir Putin", "A stab in the back,")],
        ),
        (["“Talks failed,” a resident said."], [(None, "Talks failed,")]),
        # words reported through a second speech verb are the reporter's
        (
            ["EU chief Josep Borrell said the EU condemned it “in the harshest terms”."],
            [("Josep Borrell", "in the harshest terms")],
        ),
        # a relative pronoun speaks for its antecedent
        (
            ["It drew a response from the Chinese government, which said: “Who is the threat?”"],
            [("China", "Who is the threat?")],
        ),
        # '“...” — Name' signs a quote
        (
            ["“Capital is a vicious cycle.” — Center for International Private Enterprise"],
            [("Center for International Private Enterprise", "Capital is a vicious cycle.")],
        ),
        # an unnamed official with a title speaks for their country
        (
            ["“Gaza is in flames,” Israel’s defense minister said."],
            [("Israel", "Gaza is in flames,")],
        ),
        # marks that are no one's quote (C13): a term, a title and its byline, a name
        (["The deal includes a “dynamic” corridor."], []),
        (
            [
                "“How Lind Learned to Fight,” by Jo Parker: “Already known for his temper, Lind "
                "leaned into the role.”"
            ],
            [("Jo Parker", "Already known for his temper, Lind leaned into the role.")],
        ),
        (["He sat at a table with “Arvo Lind” and “Vera Kross” place cards."], []),
        # ... but a short quote someone is said to say is a quote
        (["Kross called the plan “a mistake”."], [("Kross", "a mistake")]),
        # the quote's words, not its marks, say where it hangs
        (
            [
                "Valdorian President Vera Kross answered the report, saying that such action "
                "“would solve nothing,” reports the Daily Courier."
            ],
            [("Vera Kross", "would solve nothing,")],
        ),
        # of two subjects the parse gives a verb, the one next to it
        (
            [
                "Officials discussed a deal, according to people familiar with the matter, "
                "something President Arvo Lind said he would “think about.”"
            ],
            [("Arvo Lind", "think about.")],
        ),
        # an inverted subject after the speech verb, names listed with 'and'
        (
            [
                "The policy is “neither a failure nor a success,” write Jo Parker and Alan "
                "Reyes at the Selm Institute."
            ],
            [
                ("Jo Parker", "neither a failure nor a success,"),
                ("Alan Reyes", "neither a failure nor a success,"),
            ],
        ),
        # a name after the verb is its subject only when the quote comes before the verb
        (
            [
                "Marta Vale, the Selm radio host, dubbed Lind ‘Dr. Nobody of Politics’, "
                "according to the Daily Courier."
            ],
            [("Marta Vale", "Dr. Nobody of Politics")],
        ),
        # a quote that holds its clause's verb is the words of that clause's subject
        (
            [
                "The government stripped the honours, according to the Daily Courier. "
                "Valdoria's president Arvo Lind “withdrew the right” of the family to use them."
            ],
            [("Arvo Lind", "withdrew the right")],
        ),
        # ... or of the subject of the verb it is coordinated with
        (
            [
                "Valdorian envoys gave assurances that the Ostrian government is united in its "
                "approach and “will stand with Selm.”"
            ],
            [("Ostria", "will stand with Selm.")],
        ),
        # 'as X put it' beside the quote
        (
            [
                "It all felt “a bit too on the nose,” as the Courier’s Jo Parker put it, with "
                "the president pushed out of the race."
            ],
            [("Jo Parker", "a bit too on the nose,")],
        ),
        # 'the story', 'the outlet': the outlet named last as a source or known as one
        (
            [
                "The Pentagon will give Valdoria intelligence, U.S. officials told the New York "
                "Times. The support “is bound to anger Ostria,” the story says."
            ],
            [("New York Times", "is bound to anger Ostria,")],
        ),
        (
            [
                "Lind will step down, according to the Daily Courier. The move “came as a "
                "surprise to his allies,” the newspaper reported."
            ],
            [("Daily Courier", "came as a surprise to his allies,")],
        ),
        # a quote nested in another is the innermost speaker's (C7)
        (
            [
                "Lind opened the fair, reports the Daily Courier. The outlet also noted that "
                "Arvo Lind commented, “‘markets are healthy everywhere’ and even criticized his "
                "rivals.”"
            ],
            [
                (
                    "Daily Courier",
                    "‘markets are healthy everywhere’ and even criticized his rivals.",
                ),
                ("Arvo Lind", "markets are healthy everywhere"),
            ],
        ),
        # an office-holder the briefing names later is that person (C1)
        (
            [
                "Plans to lift the number of Pact troops should be “up and running by next "
                "year”, says the Pact chief.",
                "Later, Pact Secretary General Jonas Berg told reporters the alliance was ready.",
            ],
            [("Jonas Berg", "up and running by next year")],
        ),
        # 'Name in Place: “...”': the name heads the phrase before the colon; a writer with
        # an outlet: the outlet's passage (C7)
        (
            ["Jo Parker in Selm: “Unofficial returns showed Lind had won less than half.”"],
            [("Jo Parker", "Unofficial returns showed Lind had won less than half.")],
        ),
        (
            ["The Guardian’s Jo Parker in Selm: “Unofficial returns showed Lind had won.”"],
            [("Guardian", "Unofficial returns showed Lind had won.")],
        ),
        (
            [
                "JUST POSTED – “Lind Was Questioned by Federal Prosecutors,” by NYT’s Elizabeth "
                "Parker and Emily Reyes: “Lind’s hiring for the post has drawn criticism.”"
            ],
            [("NYT", "Lind’s hiring for the post has drawn criticism.")],
        ),
        # an adjunct clause with its own subject is that subject's, whatever verb it hangs
        # from; a relative clause is part of what the speaker says
        (
            [
                "Western nations stepped up sanctions against Ostria, pledging aid to Valdoria, "
                'with the US ordering 7,000 more troops to Europe to "reassure Nato partners".'
            ],
            [("United States", "reassure Nato partners")],
        ),
        (
            [
                "President Arvo Lind offered condolences on Thursday, describing Kross as a "
                "talented businessman who had made “serious mistakes”."
            ],
            [("Arvo Lind", "serious mistakes")],
        ),
        # 'the Valdorian president' after a named person of no known title: an epithet
        (
            [
                "Arvo Lind ordered Valdoria's first mobilisation in decades.",
                "In a televised address, the Valdorian president warned that Valdoria would use "
                "‘all the means at our disposal’ to protect its territory.",
            ],
            [("Arvo Lind", "all the means at our disposal")],
        ),
        # 'he' takes up a speaker the model typed as a company
        (
            [
                "Unofficial returns showed Vantrell had won less than half of the vote. In a "
                "statement, Vantrell conceded that he had come up short. ‘This is already an "
                "extraordinary win,’ he said."
            ],
            [("Vantrell", "This is already an extraordinary win,")],
        ),
        # a handle before a colon: a post quoted in a newsletter
        (
            ["Two notable points: @jopark: “Valdoria had to pour $5M into ads to hold the seat.”"],
            [("@jopark", "Valdoria had to pour $5M into ads to hold the seat.")],
        ),
        # 'Name: “...”' where the parse missed the name: a name the paragraph names elsewhere
        (
            [
                "Taras Velko: ‘Corrupt politics has not gone away, it is hiding until war ends’ "
                "Taras Velko: ‘Corrupt politics has not gone away, it is hiding until war ends’"
            ],
            [("Taras Velko", "Corrupt politics has not gone away, it is hiding until war ends")]
            * 2,
        ),
        # '?”' and '!”' end a sentence: 'Name asked.' after it still says the quote
        (
            ["Vera Kross spoke first. “Why should we leave now?” Arvo Lind asked."],
            [("Arvo Lind", "Why should we leave now?")],
        ),
        # a speech verb with no words of its own says those the quote gives (the learned
        # step's choice: the rules' subject, 'aides', names nobody)
        (
            ["“They own nothing, it is mine,” several aides say Lind told them."],
            [("Lind", "They own nothing, it is mine,")],
        ),
        # a document speaks for its author
        (
            [
                "Brava struck back at a new Selm University report that says its claims are "
                "“unlawful”."
            ],
            [("Selm University", "unlawful")],
        ),
        # words relayed by a source belong to the clause's named subject
        (
            [
                "Five presidents, current President Arvo Lind along with four predecessors, "
                "signed a pledge to “protect democracy against all threats,” according to the "
                "Daily Courier."
            ],
            [("Arvo Lind", "protect democracy against all threats,")],
        ),
        # ... and a quote standing alone after 'according to X' goes on with X
        (
            [
                "Valdoria is weighing strikes on the cartels, according to the Daily Courier. "
                "“Talks among officials remain at an early stage.”"
            ],
            [("Daily Courier", "Talks among officials remain at an early stage.")],
        ),
        # a person's words a source relays are the person's (C7), and so is the quote after
        (
            [
                "The Ostrian Foreign Minister, Vera Kross, has called on Valdoria to stop "
                "firing near the dam, the Daily Courier reports. “The Valdorian army is firing "
                "from every side.”"
            ],
            [("Vera Kross", "The Valdorian army is firing from every side.")],
        ),
        (
            [
                "“The command will come,” Arvo Lind said, according to the Daily Courier. "
                "“Whoever looks at Selm will see it.”"
            ],
            [
                ("Arvo Lind", "The command will come,"),
                ("Arvo Lind", "Whoever looks at Selm will see it."),
            ],
        ),
        # a speech noun's author named by 'by' or 'from' says its words, not the one who
        # answers them
        (
            [
                "Premier Hale rejected an earlier claim by Arvo Lind that her government is "
                "“very afraid” of the cartels."
            ],
            [("Arvo Lind", "very afraid")],
        ),
        (
            [
                "The minute plays on a recent claim by the Unity Party that Ostria has “the "
                "second mightiest army on the continent”."
            ],
            [("Unity Party", "the second mightiest army on the continent")],
        ),
        # an unnamed official speaks for the body his own words name, not for one further on
        (
            [
                "Leaders from the Unity Party called the plan “an untruth” and the Selm "
                "Government planned to appeal."
            ],
            [("Unity Party", "an untruth")],
        ),
    ],
)
def test_attribution(paragraphs: list[str], expected: list[tuple[str | None, str]]) -> None:
    assert quotes_of(*paragraphs) == expected


def test_a_clause_whose_subject_names_nobody_does_not_continue_the_last_speaker() -> None:
    """The rules give a clause whose subject names nobody to no one: the last speaker does not
    go on. Since round 11 the learned step then chooses among the paragraph's names, as for a
    speech verb whose subject names no one (a quote credited to no one always counts wrong);
    here it picks Lind, wrongly: an editor's correction (docs/ingest.md, round 11)."""
    text = (
        "Arvo Lind said such accusations are “nothing but slander.” Critics pointed out "
        "that the panel had sentenced the priest to “a lifetime of prayer and penitence”."
    )
    rules = [(q.actor, q.text) for q in analysis_of(text, model=None).quotes]
    assert rules == [
        ("Arvo Lind", "nothing but slander."),
        (None, "a lifetime of prayer and penitence"),
    ]


@pytest.mark.parametrize(
    "reference",
    ["the two leaders said", "both said", "they said"],
)
def test_plural_reference_is_a_joint_quote(reference: str) -> None:
    """'the two leaders said', 'both said', 'they said' after two names acting together."""
    text = f"Arvo Lind and Vera Kross met in Selm on Monday. “We agreed on nothing,” {reference}."
    assert [q.actor for q in analysis_of(text).quotes] == ["Arvo Lind", "Vera Kross"]


def test_a_name_we_cannot_resolve_before_a_colon_stops_the_last_speaker() -> None:
    """'NAME: “...”' credits someone: when we cannot say who, nobody, not the last speaker."""
    quotes = quotes_of(
        "Jo Parker spoke first. “We will win,” she said.",
        "-- ZED NORTH in SELM: “Unofficial returns showed Lind had won less than half.”",
    )
    assert quotes == [
        ("Jo Parker", "We will win,"),
        (None, "Unofficial returns showed Lind had won less than half."),
    ]


@pytest.mark.parametrize(("mark", "close"), [("“", "”"), ("‘", "’"), ("'", "'")])
def test_a_quotation_of_several_sentences_is_one_sentence(mark: str, close: str) -> None:
    """A quotation of two sentences, in double or single marks, hangs from the speech verb
    after it, not from the speaker of the paragraph before."""
    quotes = quotes_of(
        f"Arvo Lind said the talks failed. {mark}We will not yield. Not now,{close} he said.",
        f"{mark}The plan is dead. We leave,{close} Vera Kross told reporters.",
    )
    assert quotes == [
        ("Arvo Lind", "We will not yield. Not now,"),
        ("Vera Kross", "The plan is dead. We leave,"),
    ]


def test_a_single_quote_closing_a_sentence_ends_it() -> None:
    """'.’' ends the sentence: the next one's speaker does not take the quote."""
    quotes = quotes_of("Kross said the talks were ‘useful.’ President Arvo Lind then left.")
    assert quotes == [("Kross", "useful.")]


def test_mr_is_no_title_for_the_president() -> None:
    """'Mr Lind' gives Lind no role: 'the Prime Minister' after him is still him."""
    quotes = quotes_of(
        "Arvo Lind has ruled out a snap election.",
        "The Prime Minister, speaking in Selm, said his government was ‘getting on with it’.",
        "‘We were elected to deliver,’ Mr Lind said.",
    )
    assert [actor for actor, _ in quotes] == ["Arvo Lind", "Arvo Lind"]


def test_said_with_a_colon_closing_the_paragraph_names_the_next_quote() -> None:
    quotes = quotes_of(
        "Vera Kross met Arvo Lind on Monday. Afterwards, Lind said:",
        "“We cannot wait any longer. The time is now.”",
        "“And we will not,” Vera Kross said.",
    )
    assert quotes == [
        ("Arvo Lind", "We cannot wait any longer. The time is now."),
        ("Vera Kross", "And we will not,"),
    ]


def test_restated_with_a_colon_names_the_quotes_under_it() -> None:
    """'restate' is a verb of saying: 'Kallin restated the redline:' names the bulleted
    quotes after it, not the speaker of the item before (found after frozen20's scoring)."""
    quotes = quotes_of(
        "• Pact Commander Arvo Lind spoke to the council, asserting that “the enemy is near”:",
        "• Commission Chairman Tove Kallin restated the leader’s redline on nuclear rights:",
        "• “If the Pact does not accept our needs, we would resume our previous activities.”",
    )
    assert quotes[-1][0] == "Tove Kallin"


def test_a_quotation_over_paragraphs_is_the_speaker_named_at_its_end() -> None:
    """'“A' / '“B,” Lind said': one entry per paragraph, each the speaker named in the last
    (CONVENTIONS C13), not the speaker met before."""
    quotes = quotes_of(
        "Vera Kross spoke first. “It was useful,” she said. Arvo Lind spoke later.",
        "“We cannot wait any longer. The time is now.",
        "“Nobody will be left behind,” Lind said.",
    )
    assert quotes == [
        ("Vera Kross", "It was useful,"),
        ("Arvo Lind", "We cannot wait any longer. The time is now."),
        ("Arvo Lind", "Nobody will be left behind,"),
    ]


@pytest.mark.parametrize(
    "signature",
    [
        "— Arvo Lind, Valdorian President",
        "Arvo Lind",
        # titles before the name, a party and state, a description after it
        "— Rep. Arvo Lind (D., Ostria), chair of the House Budget Committee",
        "- Sen. Arvo Lind, R-Ostria, on the floor Monday",
        "— Valdorian President Arvo Lind, in a speech in Selm",
        "—Arvo Lind, the Ostrian finance minister, speaking to reporters",
    ],
)
def test_a_name_on_its_own_signs_the_quote_before(signature: str) -> None:
    """'“...”' then '— Arvo Lind, Valdorian President' (a quote of the day): his words."""
    quotes = quotes_of(
        "Vera Kross spoke first. “It was useful,” she said.",
        "“We cannot wait any longer.”",
        signature,
    )
    assert quotes == [("Vera Kross", "It was useful,"), ("Arvo Lind", "We cannot wait any longer.")]


def test_a_name_and_a_comma_under_a_lone_quote_sign_it_in_a_quotes_roundup() -> None:
    """A roundup of the week's quotes: each quotation alone, then its speaker, their role
    and what they did ('Arvo Lind, minister of finance, defends ...')."""
    quotes = quotes_of(
        "THEY SAID IT",
        "“WE STILL HAVE NO IDEA.”",
        "Arvo Lindqvist, minister of finance, on where the missing budget papers might be.",
        "“THE COURT FAILED IN ITS DUTY.”",
        "Vera Kross, a lawyer for the opposition, files a complaint against the court in Selm.",
    )
    assert quotes == [
        ("Arvo Lindqvist", "WE STILL HAVE NO IDEA."),
        ("Vera Kross", "THE COURT FAILED IN ITS DUTY."),
    ]


@pytest.mark.parametrize(
    "line", ["Lind budget plans", "President Lind said the talks would go on in Selm."]
)
def test_a_title_or_a_sentence_with_a_name_in_it_signs_nothing(line: str) -> None:
    quotes = quotes_of(
        "Vera Kross spoke first. “It was useful,” she said.",
        "“We cannot wait any longer.”",
        line,
    )
    assert quotes[1][0] not in ("Lind", "Arvo Lind")


def test_a_lone_quote_far_from_the_last_speaker_has_none_by_the_rules() -> None:
    """By the rules, a quote standing alone continues the last speaker's words only in the
    paragraph that credited them or the next one; further on it is nobody's. The learned
    model (attribution.py) then gives it the name it scores best: on the corpus, held out by
    outlet, that was right more often than no one (docs/ingest.md)."""
    paragraphs = (
        "Vera Kross spoke first. “It was useful,” she said.",
        "“And it will go on.”",
        "Arvo Lind left for Brava on Tuesday.",
        "“Nothing was agreed on the border.”",
    )
    assert [(q.actor, q.text) for q in analysis_of(*paragraphs, model=None).quotes] == [
        ("Vera Kross", "It was useful,"),
        ("Vera Kross", "And it will go on."),
        (None, "Nothing was agreed on the border."),
    ]
    learned = quotes_of(*paragraphs)
    assert learned[:2] == [("Vera Kross", "It was useful,"), ("Vera Kross", "And it will go on.")]
    assert learned[2][0] in ("Vera Kross", "Arvo Lind")


def test_a_dash_signature_names_the_speaker_or_nobody() -> None:
    """'‘...’ - Vera Kross, opposition leader' is hers even where the parse found no name
    there; a signature we cannot resolve gives no speaker, not the last one."""
    quotes = quotes_of(
        "Opposition Leader Vera Kross said she would vote no. “It is a con,” she said.",
        "'We cannot wait.' - Vera Kross, opposition leader",
        "'We will wait.' — Mister Nobody Known",
    )
    assert quotes == [
        ("Vera Kross", "It is a con,"),
        ("Vera Kross", "We cannot wait."),
        (None, "We will wait."),
    ]


@pytest.mark.parametrize(
    ("signature", "speaker"),
    [
        ("— Valdorian President Arvo Lind", "Arvo Lind"),
        ("— Former Valdorian Deputy Minister Arvo Lind, in Selm", "Arvo Lind"),
        ("— House Speaker Vera Kross", "Vera Kross"),
        ("– The Unity Party, in a statement", "Unity Party"),
    ],
)
def test_a_dash_signature_may_open_with_titles(signature: str, speaker: str) -> None:
    """'“...” — Valdorian President Arvo Lind': the person after the titles, not a body
    named in them ('House'); a body when the signature names no person."""
    quotes = quotes_of(
        "Lawmakers met on the budget on Monday.",
        f"“We cannot keep spending money we do not have.” {signature}",
    )
    assert quotes == [(speaker, "We cannot keep spending money we do not have.")]


def test_a_dash_signature_ends_at_the_first_mark() -> None:
    """'“Title” – AP/Selm: “Gov. Vera Kross ...”': a credit and a colon, not her signature."""
    quotes = quotes_of(
        "“Three leaders skip the rally” – AP/Selm: “Gov. Vera Kross on Wednesday said she "
        "would stay away from the rally in Brava.”"
    )
    assert quotes[0][1] == "Three leaders skip the rally"
    assert quotes[0][0] != "Vera Kross"


def test_he_takes_up_the_person_the_text_is_about_not_a_name_in_a_clause() -> None:
    """A pronoun speaks for the last person who was a sentence's main subject: a name in a
    clause under it ('He stressed that Lind ...') or a speaker two paragraphs up is not
    whom the text is about."""
    quotes = quotes_of(
        "Jo Parker, Selm Radio's deputy editor, has, as usual, given his view of the day.",
        "He stressed how much it matters that Foreign Minister Arvo Lind is meeting the Ostrians.",
        "“Tomorrow is a hugely significant moment,” he says of the meeting.",
    )
    assert quotes == [("Jo Parker", "Tomorrow is a hugely significant moment,")]


def test_a_paragraph_opening_with_he_is_about_the_last_paragraph_s_subject() -> None:
    quotes = quotes_of(
        "“Pay them more,” Vera Kross, a retired nurse, told the minister.",
        "Arvo Lind also dropped a campaign pledge to fine patients who miss appointments.",
        "He promised to put “fairness at the centre” of the choices he will make.",
    )
    assert quotes == [("Vera Kross", "Pay them more,"), ("Arvo Lind", "fairness at the centre")]


def test_a_surname_the_parse_missed_is_the_person_named_before() -> None:
    """'Lindvyy called on ...': the parser took the surname for a common noun and no
    mention stands there, but the briefing named 'Arvo Lindvyy' before."""
    quotes = quotes_of(
        "Valdorian President Arvo Lindvyy visited troops in the north on Monday.",
        "Lindvyy called on the country’s allies to supply more weapons so Valdoria can reach "
        "a “turning point” in the war.",
    )
    assert quotes == [("Arvo Lindvyy", "turning point")]


@pytest.mark.parametrize(
    "said",
    [
        "Valdoria's foreign minister later said the talks were “a first step toward peace”.",
        "The top Valdorian diplomat later said the talks were “a first step toward peace”.",
    ],
)
def test_an_office_the_briefing_names_is_its_holder(said: str) -> None:
    """C1: 'Valdoria's foreign minister', with 'Valdorian Foreign Minister Vera Kross'
    named in the briefing, is Kross, not Valdoria."""
    quotes = quotes_of(
        "Valdorian Foreign Minister Vera Kross met Ostrian officials in Selm on Monday.", said
    )
    assert quotes == [("Vera Kross", "a first step toward peace")]


def test_the_pm_is_the_prime_minister_the_briefing_names() -> None:
    paragraphs = (
        "Prime Minister Arvo Lind flew to Selm on Monday.",
        "The PM said the visit would bring “a new chapter” for both countries.",
    )
    assert [q.actor for q in analysis_of(*paragraphs, model=None).quotes] == ["Arvo Lind"]


@pytest.mark.parametrize(
    "said",
    [
        "Ostria's president said the visit was “a dark day” for the region.",  # another country
        "A Valdorian president said the visit was “a dark day” for the region.",  # not one office
    ],
)
def test_an_office_holder_is_not_someone_of_another_country(said: str) -> None:
    paragraphs = ("Valdorian President Arvo Lind flew to Selm on Monday.", said)
    actors = [q.actor for q in analysis_of(*paragraphs, model=None).quotes]
    assert "Arvo Lind" not in actors


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("‘If there is a case, the party will act against Park’: Kross", "Kross"),
        ("Lind is 'drawing up a list of his enemies': Halvorsen", "Halvorsen"),
        ("- Cutting the levy 'borders on a cynical stunt': Vera Kross", "Vera Kross"),
        ("“We will stand by the result.” :Selm Radio's Jo Park.", "Jo Park"),
    ],
)
def test_a_name_alone_after_a_colon_signs_the_quote_before_it(line: str, speaker: str) -> None:
    """'‘...’: Kross', a headline's or teaser's signature after a colon (the model often
    types no one-word name there): the quote is the name's, never the clause's subject."""
    quotes = quotes_of("Talks on the budget went on in Selm on Monday.", line)
    assert quotes[0][0] == speaker


def test_a_sentence_after_a_colon_is_no_signature() -> None:
    """'‘...’: Ostrian Premier Says No ...' says more than a name: no one signs there."""
    quotes = quotes_of(
        "Talks on the budget went on in Selm on Monday.",
        "‘We will never sign it’: Ostrian Premier Says No To The Pact Again Today",
    )
    assert quotes == [(None, "We will never sign it")]


def test_a_speech_verb_closing_a_paragraph_introduces_the_quote_alone_after_it() -> None:
    """'Lind has told Selm Radio the move is about safety.' and then a paragraph that is only
    a quotation (a broadcaster's transcript): the quotation is Lind's, not a name met
    later or before."""
    quotes = quotes_of(
        "Foreign Minister Vera Kross welcomed the decision of her Ostrian counterpart.",
        "Prime Minister Arvo Lind has told Selm Radio the move is about young people.",
        "“What we want to do is to get our kids off their devices. It is doing harm.”",
        "Detective Inspector Jo Park says the case is the hardest he has worked on.",
        "“I was in the room when we put a name to the face and it was a happy room.”",
    )
    assert [speaker for speaker, _ in quotes] == ["Arvo Lind", "Jo Park"]


def test_a_quoted_headline_after_a_speech_verb_is_not_introduced() -> None:
    """A quotation without a stop ('‘Put a stake through it’', a headline) opens the next
    teaser: the rules do not give it to the writer the teaser before named."""
    paragraphs = (
        "The campaign against Lind has hurt his chances, writes Arvo Kross.",
        "‘Put a stake through the plan’",
    )
    quotes = analysis_of(*paragraphs, model=None).quotes
    assert [(q.actor, q.text) for q in quotes] == [(None, "Put a stake through the plan")]


def test_the_official_after_a_countrys_unnamed_official_speaks_for_it_again() -> None:
    """'A senior Ostrian official confirmed ...' and then '“...,” the official told the
    Courier': the same unnamed official, so Ostria's words, not the outlet's."""
    quotes = quotes_of(
        "A senior Valdorian official familiar with the talks confirmed the Ostrian demand.",
        "“It was put to them as a demand,” the official told the Selm Courier.",
        "A Kremlin spokesman declined to comment on the talks.",
        "“We will see,” the spokesman said later.",
    )
    assert quotes == [
        ("Valdoria", "It was put to them as a demand,"),
        ("Kremlin", "We will see,"),
    ]


def test_a_wire_dateline_starts_a_story_the_last_speaker_is_not_in() -> None:
    """A page of wire stories ('LONDON, May 25 (UPI) --' opens each): a quote no one is said
    to say in the next story is not the last story's speaker's, nor a name of its last
    paragraph's."""
    quotes = quotes_of(
        "LONDON, May 25 (UPI) -- Floods hit the north. “The town has been destroyed,” Jo "
        "Park said.",
        "PARIS, May 25 (UPI) -- “We think it will be a long week.” Talks resumed on Tuesday.",
    )
    assert quotes == [
        ("Jo Park", "The town has been destroyed,"),
        (None, "We think it will be a long week."),
    ]


def test_the_adviser_after_a_bodys_unnamed_adviser_speaks_for_it() -> None:
    """'a Kremlin adviser said' and then 'the senior adviser said ... “...”': the same
    unnamed adviser, so the body's words."""
    quotes = quotes_of(
        "The president's speech will stress the alliance, a Kremlin adviser said.",
        "At a briefing, the senior national security adviser said the speech will highlight "
        "“the essential nature of the alliance.”",
    )
    assert quotes == [("Kremlin", "the essential nature of the alliance.")]


def test_a_countrys_unnamed_minister_by_its_adjective_speaks_for_the_country() -> None:
    """'the Chilean foreign minister said', no one named in that office: the minister speaks
    for Chile (C1), as 'Chile's foreign minister' does; a holder the briefing names is
    still the speaker."""
    assert quotes_of("The pact is “a grave mistake”, the Chilean foreign minister said.") == [
        ("Chile", "a grave mistake")
    ]
    named = quotes_of(
        "Selm ought to “think again” about the pact, the Chilean president said.",
        "Chilean President Jo Park flew to Selm.",
    )
    assert named == [("Jo Park", "think again")]


def test_an_abbreviated_rank_does_not_cut_the_name_after_it() -> None:
    """'Brig. Gen. Arvo Lind', 'Lt. Col. Vera Kross': the model's tokenizer splits 'Brig.'
    and 'Lt.' from their stop, which then ends the sentence and leaves 'Brig' the speaker.
    Abbreviated ranks and titles are a closed class kept whole (nlp.RANK_ABBREVIATIONS)."""
    assert quotes_of(
        "“We are searching the villages,” said Selm police head Brig. Gen. Arvo Lind on Monday."
    ) == [("Arvo Lind", "We are searching the villages,")]
    assert quotes_of("Army spokesman Lt. Col. Vera Kross said the unit was “ready”.") == [
        ("Vera Kross", "ready")
    ]


def test_a_statement_beside_a_reporting_verb_is_its_own_subjects() -> None:
    """'Lind has said ..., and Kross said that “...”', 'While Kross says ... “...”, Lind
    says ...': a clause coordinated with a reporting verb, or adverbial to it, with a subject
    of its own, is not reported by that verb: its words are its own subject's. A clause under
    the reporting verb still is ('Lind said the Pact condemned it “...”' is Lind's)."""
    assert quotes_of(
        "Arvo Lind has said before that the talks will fail, and Foreign Minister Vera Kross "
        "said on Monday that “an agreement could come at any moment.”"
    ) == [("Vera Kross", "an agreement could come at any moment.")]
    assert quotes_of(
        "While Vera Kross says the party has “different priorities”, Arvo Lind says the "
        "coalition is breaking down."
    ) == [("Vera Kross", "different priorities")]
    assert quotes_of("Arvo Lind said the Pact condemned it “in the harshest terms”.") == [
        ("Arvo Lind", "in the harshest terms")
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "The blast was “most probably an accident”, says a Valdorian army spokesman.",
            [("Valdorian Armed Forces", "most probably an accident")],
        ),
        (
            "Troops are “securing the port”, a senior Valdorian military official said.",
            [("Valdorian Armed Forces", "securing the port")],
        ),
    ],
)
def test_an_unnamed_military_official_speaks_for_the_armed_forces(
    paragraph: str, expected: list[tuple[str, str]]
) -> None:
    """C1 and C10: an unnamed official of a country's army or military speaks for its armed
    forces, not for the country (a named one, 'army spokesman Arvo Lind', for himself)."""
    assert quotes_of(paragraph) == expected


def test_the_two_after_two_names_is_a_joint_quote() -> None:
    """C13: 'the two' (a number standing alone for the names met together) says the quote
    jointly, as 'the two leaders' does."""
    assert quotes_of(
        "Arvo Lind and Vera Kross met in Selm on Thursday. The two pledged a “fresh era” of "
        "partnership."
    ) == [("Arvo Lind", "fresh era"), ("Vera Kross", "fresh era")]


def test_the_company_is_the_company_named_last() -> None:
    """'the privately held company said', no name of its own: the company named last before
    it speaks, not the outlet that relays the statement."""
    assert quotes_of(
        "Drone maker Larkmart Technology said it will halt sales in Ostria.",
        "“Larkmart is reviewing its compliance,” the privately held company said in a "
        "statement, Reuters reports.",
    ) == [("Larkmart Technology", "Larkmart is reviewing its compliance,")]


def test_a_bodys_words_relayed_by_an_outlet_stay_the_bodys() -> None:
    """C7: '“...,” X said, Reuters reports. “...”': the next quote goes on with X's words,
    a company's as a person's, not the outlet's."""
    assert quotes_of(
        "“Larkmart is reviewing its compliance,” Larkmart Technology said in a statement, "
        "Reuters reports. “While this review is under way, sales will stop.”"
    ) == [
        ("Larkmart Technology", "Larkmart is reviewing its compliance,"),
        ("Larkmart Technology", "While this review is under way, sales will stop."),
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "A top Valdorian presidential aide called for the “elimination” of Ostrian drone "
            "factories.",
            [("Office of the President of Valdoria", "elimination")],
        ),
        (
            "The Valdorian president’s spokesman said that Lind would sign “accords” with the "
            "rebels.",
            [("Office of the President of Valdoria", "accords")],
        ),
    ],
)
def test_an_unnamed_presidential_aide_speaks_for_the_presidents_office(
    paragraph: str, expected: list[tuple[str, str]]
) -> None:
    """C1: 'a presidential aide said' -> `Office of the President of Valdoria`; the
    president's spokesman too (a named one speaks for himself)."""
    assert quotes_of(paragraph) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (  # the reported clause's own subject says the words (C7)
            "Former Valdorian president Arvo Lind has hinted that he will “be the very first to "
            "accept” the outcome, AP reports.",
            [("Arvo Lind", "be the very first to accept")],
        ),
        (  # a span that opens with the clause's verb is the report's own sentence (C7)
            "Valdoria and militants in Selm “restarted cross-border attacks on Friday”, AP "
            "reports.",
            [("AP", "restarted cross-border attacks on Friday")],
        ),
    ],
)
def test_words_an_outlet_reports_are_the_reported_speakers(
    paragraph: str, expected: list[tuple[str, str]]
) -> None:
    assert quotes_of(paragraph) == expected
