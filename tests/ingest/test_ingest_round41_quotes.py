"""Round 41C: a speaker inverted after a reported clause, a document that speaks for its
author, and a speaking title whose holder the text names beside it (docs/ingest.md,
"Round 41C")."""

from __future__ import annotations

from .test_ingest_quotes import quotes_of


def test_an_inverted_speaker_after_a_reported_clause_that_ends_in_other_words() -> None:
    """'“...” for farmers, stresses Spokesperson Peter Hollis': the quote ends inside the
    reported clause, not right before the verb; the name after the verb still says it (not
    the governor of the sentence before)."""
    assert quotes_of(
        "Governor Vera Kross closed Selm Bay in April.",
        "The closure of Selm Bay ‘is a timely wake-up call’ for farmers, stresses "
        "Presidential Spokesperson Peter Hollis on Earth Day",
    ) == [("Peter Hollis", "is a timely wake-up call")]


def test_a_document_speaks_for_whoever_the_paragraph_says_issued_it() -> None:
    """'Kross signed an order after talks with Lind. The order states ... “...”': the
    order's words are the signer's, not the last name's."""
    assert quotes_of(
        "President Vera Kross also signed an executive order after talks with Governor Arvo "
        "Lind. The order states the government will “take every needed step to repel” the "
        "smugglers.",
    ) == [("Vera Kross", "take every needed step to repel")]


def test_a_document_goes_on_with_its_authors_words() -> None:
    """'The ministry said in the email “...”' then 'The message also claimed “...”': the
    message is the ministry's, not the governor's named between them."""
    assert quotes_of(
        "The Valdorian Health Ministry said in the email that it “knows of attempts to hide "
        "these programs”.",
        "Governor Arvo Lind has criticised the plan.",
        "The message also claimed that the programs “split farmers along regional lines”.",
    ) == [
        ("Valdorian Health Ministry", "knows of attempts to hide these programs"),
        ("Valdorian Health Ministry", "split farmers along regional lines"),
    ]


def test_a_document_that_relays_a_named_clause_is_not_its_authors_words() -> None:
    """'Lind “conveyed ...,” the statement adds': the document reports Lind's words; the
    last speaker (the ministry) is not given them."""
    found = quotes_of(
        "The Valdorian Foreign Ministry said the talks were “useful”.",
        "Arvo Lind “conveyed Valdoria’s firm backing for the mediation,” the statement adds.",
    )
    assert found[0] == ("Valdorian Foreign Ministry", "useful")
    assert found[1][0] != "Valdorian Foreign Ministry"


def test_a_speaking_title_is_the_person_the_next_sentence_names() -> None:
    """'Chile's prime minister said ... “...”. Mr Lind promised ...': the title stands for
    the person the next sentence is about, not for Chile."""
    assert quotes_of(
        "Vera Kross met Arvo Lind in Selm. Chile’s prime minister said that the attack "
        "proves “how much it matters that we stand together”. Mr Lind promised more aid.",
    ) == [("Arvo Lind", "how much it matters that we stand together")]


def test_a_speaking_title_is_the_one_person_of_the_headline_above() -> None:
    """'Teach pupils the anthem, says Vera Kross' then '“...,” the government's czar
    said': the headline's person, not the speaker of the item before."""
    assert quotes_of(
        "“The anthem unites us,” Premier Arvo Lind said on Monday.",
        "Teach pupils the national anthem, says Vera Kross",
        "Teachers ought to teach pupils to sing the anthem even if it leaves them "
        "“uncomfortable,” the government’s social mobility czar said.",
    ) == [("Arvo Lind", "The anthem unites us,"), ("Vera Kross", "uncomfortable,")]
