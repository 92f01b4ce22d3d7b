"""Actors: registry and known names, roles, organisations, countries that act, surnames."""

from __future__ import annotations

import pytest

from sitegen.ingest.actors import analyse, prepare
from sitegen.ingest.gazetteer import Gazetteer
from sitegen.ingest.lexicon import load_lexicon
from sitegen.ingest.registry import Actor


def actors_of(
    *paragraphs: str, registry: list[Actor] | None = None
) -> list[tuple[str, str, str | None]]:
    gazetteer = Gazetteer(load_lexicon(), registry or [])
    analysis = analyse(prepare([(p, None) for p in paragraphs]), gazetteer, "test.txt")
    return [(a.name, a.kind, a.role) for a in analysis.actors]


def names_of(*paragraphs: str, registry: list[Actor] | None = None) -> list[str]:
    return [name for name, _, _ in actors_of(*paragraphs, registry=registry)]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Russian Foreign Minister Sergei Lavrov said so.",
            "Sergei Lavrov",
            "Russian Foreign Minister",
        ),
        ("It was said by Kremlin spokesman Dmitry Peskov.", "Dmitry Peskov", "Kremlin spokesman"),
        (
            "Eastern Ukrainian separatist leader Denis Pushilin urged calm.",
            "Denis Pushilin",
            "Eastern Ukrainian separatist leader",
        ),
        (
            "He accepted Turkish President Recep Tayyip Erdogan’s invitation.",
            "Recep Tayyip Erdogan",
            "Turkish President",
        ),
        (
            "U.S. Secretary of State Antony Blinken spoke.",
            "Antony Blinken",
            "U.S. Secretary of State",
        ),
        (
            "European Commission President Ursula von der Leyen spoke.",
            "Ursula von der Leyen",
            "European Commission President",
        ),
        ("Russia's top diplomat Sergei Lavrov spoke.", "Sergei Lavrov", "Russia's top diplomat"),
        (
            "Luhansk regional governor Serhiy Haidai said so.",
            "Serhiy Haidai",
            "Luhansk regional governor",
        ),
        ("Slovak President Zuzana Čaputová pledged aid.", "Zuzana Čaputová", "Slovak President"),
    ],
)
def test_person_introduced_by_role(text: str, name: str, role: str) -> None:
    assert (name, "person", role) in actors_of(text)


def test_role_stays_with_its_own_person() -> None:
    found = actors_of("Czech Prime Minister Petr Fiala and Slovak President Zuzana Čaputová met.")
    assert found == [
        ("Petr Fiala", "person", "Czech Prime Minister"),
        ("Zuzana Čaputová", "person", "Slovak President"),
    ]


def test_role_in_apposition() -> None:
    found = actors_of("Dmitry Peskov, the Kremlin spokesman, said no.")
    assert found == [("Dmitry Peskov", "person", "Kremlin spokesman")]


def test_organisations_in_roles_are_not_actors() -> None:
    assert names_of("Kremlin spokesman Dmitry Peskov said no.") == ["Dmitry Peskov"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the Belarusian Defense Ministry said Thursday.", "Belarusian Defense Ministry"),
        ("Russia's defence ministry said it was ready.", "Russian Defence Ministry"),
        ("Russia’s transport ministry said traffic resumed.", "Russian Transport Ministry"),
        ("The International Court of Justice ordered a halt.", "International Court of Justice"),
        ("The U.N. General Assembly voted on Thursday.", "U.N. General Assembly"),
        ("Freed, the Israel Prison Service said.", "Israel Prison Service"),
        ("NATO said it would respond.", "NATO"),
        ("The European Union adopted sanctions.", "European Union"),
    ],
)
def test_organisations(text: str, name: str) -> None:
    assert (name, "organization") in [(n, k) for n, k, _ in actors_of(text)]


def test_descriptor_before_a_name_is_not_a_second_organisation() -> None:
    assert names_of("Ukraine's grid operator Ukrenergo said power was cut.") == ["Ukrenergo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow said it was unacceptable.", ["Russia"]),
        ("Kyiv hailed the decision.", ["Ukraine"]),
        ("Washington notified Moscow of the trip.", ["United States"]),
        ("Troops massed near the border with Ukraine.", []),
        ("Explosions were heard in Kyiv overnight.", []),
        ("Putin agreed to visit Turkey.", ["Putin"]),
        ("Russia was attacked, officials said.", []),
        ("Moscow was watching closely.", ["Russia"]),
        ("Qatar, which mediated the talks, said the pause would start soon.", ["Qatar"]),
        ("Poland, Hungary and Slovakia said they would act.", ["Poland", "Hungary", "Slovakia"]),
        ("This is according to Moscow.", ["Russia"]),
        ("They rejected Russia’s demands.", ["Russia"]),
        ("Ukrainian forces were preparing to withdraw.", ["Ukraine"]),
    ],
)
def test_countries_count_only_where_they_act(text: str, expected: list[str]) -> None:
    assert names_of(text) == expected


def test_capital_mentions_link_when_the_country_acts() -> None:
    gazetteer = Gazetteer(load_lexicon(), [])
    text = "Moscow said no. The U.S. sent answers to Moscow. Talks were held in Moscow."
    analysis = analyse(prepare([(text, None)]), gazetteer, "t.txt")
    linked = [text[m.start : m.end] for m in analysis.links[0] if m.name == "Russia"]
    assert linked == ["Moscow", "Moscow"]  # 'in Moscow' is a place


def test_groups_and_places_are_not_actors() -> None:
    text = (
        "Talks between Russia and the West stalled. Officials said residents of Crimea and "
        "the Donbas fled as shelling hit Kharkiv. Western leaders condemned it."
    )
    assert names_of(text) == []


def test_surname_resolves_to_full_name_in_the_briefing() -> None:
    found = names_of("Lavrov said talks failed.", "Russian Foreign Minister Sergei Lavrov spoke.")
    assert found == ["Sergei Lavrov"]


def test_surname_resolves_through_the_registry() -> None:
    registry = [Actor("Antony Blinken", "person")]
    assert names_of("Lavrov said he would speak with Blinken.", registry=registry) == [
        "Lavrov",
        "Antony Blinken",
    ]


def test_lone_unknown_words_need_evidence() -> None:
    assert names_of("Putin accepted the invitation.") == ["Putin"]
    assert names_of("He will speak with Blinken soon.") == ["Blinken"]
    assert names_of("Inflation hit a record. Shelling continued near Bakhmut.") == []
    assert names_of("Kyiv received 90 Stryker armoured vehicles.") == ["Ukraine"]


def test_names_inside_quotes_are_not_actors() -> None:
    assert names_of("“Sergei Shoigu must go,” the crowd chanted.") == []


def test_registry_kind_and_alias_are_used() -> None:
    registry = [Actor("Russia", "country", aliases=["Moscow", "the Kremlin's Russia"])]
    assert actors_of("Moscow said no.", registry=registry) == [("Russia", "country", None)]
