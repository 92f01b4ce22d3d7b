"""model.py: briefings, actors, mentions, timelines and their checks."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from sitegen.diagnostics import Diagnostics
from sitegen.front_matter import SourceFile
from sitegen.model import (
    SiteModel,
    YearSpan,
    activity_summary,
    actor_quotes,
    assemble_model,
    build_briefing,
    build_registry,
    fold_accents,
    index_letter,
    parse_date,
    timeline_years,
)
from sitegen.source import load_file

LAVROV = "---\nname: Sergei Lavrov\nkind: person\naliases: [Lavrov, FM Lavrov]\n---\nProfile.\n"
NATO = "---\nname: NATO\nkind: organization\n---\n"
RUSSIA = "---\nname: Russia\nkind: country\naliases: [Moscow]\nslug: ru\n---\n"


def briefing(date: str, body: str, extra: str = "") -> str:
    return f'---\ntitle: "Day {date}"\ndate: {date}\n{extra}---\n{body}'


class Site:
    """Content files in a temporary folder, loaded and turned into a model."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diags = Diagnostics(root=root)

    def sources(self, files: dict[str, str]) -> list[SourceFile]:
        loaded = []
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            source = load_file(path, self.diags)
            assert source is not None, self.messages()
            loaded.append(source)
        return loaded

    def model(
        self,
        briefings: dict[str, str],
        actors: dict[str, str] | None = None,
        include_drafts: bool = False,
    ) -> SiteModel:
        default = {"a/lavrov.md": LAVROV, "a/nato.md": NATO, "a/russia.md": RUSSIA}
        actor_files = self.sources(default if actors is None else actors)
        found, lookup = build_registry(actor_files, self.diags)
        parsed = [build_briefing(source, lookup, self.diags) for source in self.sources(briefings)]
        days = [briefing for briefing in parsed if briefing is not None]
        return assemble_model(found, lookup, days, include_drafts)

    def messages(self) -> list[str]:
        return [d.format() for d in self.diags.items]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


def test_mentions_resolve_by_name_alias_slug_and_any_case(site: Site) -> None:
    body = (
        "Lead.\n\n## Items\n\n[[lavrov|He]] spoke.\n\n[[SERGEI-LAVROV]] again.\n\n"
        "[[fm  lavrov]] and [[Moscow]] and [[ru]] and [[nato]].\n\n[[Sergei Lavrov]].\n"
    )
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", body)})
    assert site.diags.errors == []
    [day] = model.briefings
    assert [b.actors for b in day.items] == [
        ("sergei-lavrov",),
        ("sergei-lavrov",),
        ("sergei-lavrov", "ru", "nato"),
        ("sergei-lavrov",),
    ]
    assert day.actors == ("sergei-lavrov", "ru", "nato")


def test_unknown_mention_is_a_warning_with_its_line(site: Site) -> None:
    body = "Lead.\n\n## Items\n\nFirst.\nSecond line [[Nobody]].\n"
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", body)})
    assert len(model.briefings) == 1
    assert site.messages() == [
        "b/2022-01-27-x.md:10: warning: [[Nobody]] is not in the actor registry (content/actors/)"
    ]


def test_lead_context_items_sections_and_anchors(site: Site) -> None:
    body = (
        "The lead.\n\nBackground one.\n\nBackground two.\n\n## First\n\n- one\n- two {#pinned}\n\n"
        "## Second\n\nThree.\n"
    )
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", body)})
    [day] = model.briefings
    assert [(b.kind, b.number, b.anchor, b.section) for b in day.blocks] == [
        ("lead", 1, "lead", -1),
        ("context", 1, "context-1", -1),
        ("context", 2, "context-2", -1),
        ("item", 1, "item-1", 0),
        ("item", 2, "pinned", 0),
        ("item", 3, "item-3", 1),
    ]
    assert [(s.title, s.anchor, s.line) for s in day.sections] == [
        ("First", "section-1", 11),
        ("Second", "section-2", 16),
    ]
    assert day.summary == "The lead."
    assert day.slug == "x"


def test_a_repeated_anchor_is_an_error(site: Site) -> None:
    body = "Lead.\n\n## Items\n\nOne {#a}\n\nTwo {#a}\n"
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", body)})
    assert model.briefings == []
    assert site.messages() == ["b/2022-01-27-x.md:11: anchor #a is already used on line 9"]


def test_no_heading_is_a_warning(site: Site) -> None:
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", "Lead only.\n")})
    assert model.briefings[0].items == []
    assert site.messages() == [
        "b/2022-01-27-x.md:5: warning: no '## ' heading: this day has no items"
    ]


def test_timelines_are_newest_first_with_monthly_counts_and_co_actors(site: Site) -> None:
    files = {
        "b/2022-01-27-a.md": briefing("2022-01-27", "[[NATO]] and [[Lavrov]].\n\n## I\n\nx\n"),
        "b/2022-02-03-b.md": briefing("2022-02-03", "Lead.\n\n## I\n\n[[NATO]] and [[Moscow]].\n"),
        "b/2022-01-30-c.md": briefing("2022-01-30", "Lead.\n\n## I\n\n[[NATO]], [[Lavrov]].\n"),
    }
    model = site.model(files)
    assert [b.key for b in model.briefings] == ["2022-01-27", "2022-01-30", "2022-02-03"]
    dates = [model.briefings[d.briefing].key for d in model.timelines["nato"]]
    assert dates == ["2022-02-03", "2022-01-30", "2022-01-27"]
    lavrov = model.timelines["sergei-lavrov"]
    assert [model.briefings[d.briefing].key for d in lavrov] == ["2022-01-30", "2022-01-27"]
    assert lavrov[1].blocks == (0,)  # the lead of Jan. 27
    assert model.monthly["nato"] == Counter({(2022, 1): 2, (2022, 2): 1})
    assert model.monthly["ru"] == Counter({(2022, 2): 1})
    assert model.co_actors["nato"] == [("sergei-lavrov", 2), ("ru", 1)]
    assert model.co_actors["ru"] == [("nato", 1)]
    assert model.mention_count("nato") == 3
    assert model.mention_count("nobody") == 0
    assert list(model.actors) == ["nato", "ru", "sergei-lavrov"]  # sorted by name


def test_tagged_actors_and_quotes_count_as_actors_of_the_day(site: Site) -> None:
    extra = (
        'actors: ["NATO"]\nquotes:\n  - actor: Lavrov\n    text: "No."\n    item: 1\n'
        '  - text: "Unattributed."\n'
    )
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", "L.\n\n## I\n\nOne.\n", extra)})
    [day] = model.briefings
    assert day.actors == ("nato", "sergei-lavrov")
    assert [(q.text, q.actor, q.item) for q in day.quotes] == [
        ("No.", "sergei-lavrov", 1),
        ("Unattributed.", None, None),
    ]
    assert model.timelines["sergei-lavrov"][0].quotes == (0,)


def test_quote_pointing_at_a_missing_item_is_an_error(site: Site) -> None:
    extra = 'quotes:\n  - actor: Lavrov\n    text: "No."\n    item: 5\n'
    body = "L.\n\n## I\n\nOne.\n\nTwo.\n"
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", body, extra)})
    assert model.briefings == []
    assert site.messages() == [
        "b/2022-01-27-x.md:7: quotes: item 1 points at item 5, but the briefing has items 1 to 2"
    ]


def test_unknown_tag_and_speaker_are_warnings(site: Site) -> None:
    extra = 'actors: [NATO, Ghost]\nquotes:\n  - actor: Phantom\n    text: "Boo."\n'
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", "L.\n\n## I\n\nx\n", extra)})
    assert len(model.briefings) == 1
    assert sorted(site.messages()) == [
        "b/2022-01-27-x.md:4: warning: actor 'Ghost' is not in the actor registry",
        "b/2022-01-27-x.md:6: warning: quote speaker 'Phantom' is not in the actor registry",
    ]


def test_drafts_are_left_out_unless_asked_for(site: Site) -> None:
    files = {
        "b/2022-01-27-a.md": briefing("2022-01-27", "[[NATO]].\n\n## I\n\nx\n"),
        "b/2022-01-28-b.md": briefing("2022-01-28", "[[NATO]].\n\n## I\n\nx\n", "draft: true\n"),
    }
    model = site.model(files)
    assert [b.key for b in model.briefings] == ["2022-01-27"]
    assert model.mention_count("nato") == 1
    drafts = Site(site.root / "again").model(files, include_drafts=True)
    assert [(b.key, b.draft) for b in drafts.briefings] == [
        ("2022-01-27", False),
        ("2022-01-28", True),
    ]
    assert drafts.mention_count("nato") == 2


def test_unknown_keys_are_warnings(site: Site) -> None:
    site.model({"b/2022-01-27-x.md": briefing("2022-01-27", "L.\n\n## I\n\nx\n", "colour: red\n")})
    assert site.messages() == ["b/2022-01-27-x.md:4: warning: unknown key 'colour' (ignored)"]


def test_an_alias_may_belong_to_one_actor_only(site: Site) -> None:
    actors = {"a/lavrov.md": LAVROV, "a/other.md": "---\nname: Other\naliases: [Lavrov]\n---\n"}
    site.model({}, actors)
    # actors are taken in name order: "Other" claims the alias first; the second claim is
    # reported where it is written
    assert site.messages() == [
        "a/lavrov.md:4: 'Lavrov' already names another actor (in other.md); "
        "an alias may belong to one actor only"
    ]


def test_a_twice_claimed_alias_is_reported_on_its_own_line(site: Site) -> None:
    actors = {
        "a/first.md": "---\nname: Alpha\naliases: [Moscow]\n---\n",
        "a/second.md": "---\nname: Beta\nkind: country\naliases:\n  - Kremlin\n  - Moscow\n---\n",
    }
    site.model({}, actors)
    assert site.messages() == [
        "a/second.md:6: 'Moscow' already names another actor (in first.md); "
        "an alias may belong to one actor only",
    ]


ACTOR_ERRORS = {
    "kind": (
        "name: X\nkind: planet\n",
        "a/x.md:3: kind 'planet' must be one of: person, organization, country, group, other",
    ),
    "name-number": (
        "name: 1984\n",
        "a/x.md:2: name must be text, not the number 1984; put it in quotes",
    ),
    "name-missing": ("kind: person\n", "a/x.md:1: missing required key 'name'"),
    "image-javascript": (
        "name: X\nimage: 'javascript:alert(1)'\n",
        "a/x.md:3: image 'javascript:alert(1)' must be a path under static/ or an http(s) URL",
    ),
    # a path goes under the site's address as it is: /briefings/../../etc/passwd on a
    # shared host is another site's file
    "image-dotdot": (
        "name: X\nimage: ../../etc/passwd\n",
        "a/x.md:3: image '../../etc/passwd' must be a path under static/ or an http(s) URL "
        "('..' would leave static/)",
    ),
    "image-another-host": (  # was made /evil.example/x.png, a path of the site
        "name: X\nimage: //evil.example/x.png\n",
        "a/x.md:3: image '//evil.example/x.png' must be a path under static/ or an http(s) URL "
        "('//' starts another host's address: write https://)",
    ),
    "image-quote": (
        "name: X\nimage: 'x.png\" onerror=\"alert(1)'\n",
        "a/x.md:3: image 'x.png\" onerror=\"alert(1)' must be a path under static/ or an http(s) "
        "URL (it holds a space, a quote or one of < > \\ `; write a space as %20)",
    ),
    "image-mailto": (
        "name: X\nimage: 'mailto:x@example.org'\n",
        "a/x.md:3: image 'mailto:x@example.org' must be a path under static/ or an http(s) URL",
    ),
    "link-ftp": (
        "name: X\nlinks:\n  - title: t\n    url: ftp://x\n",
        "a/x.md:5: links: 'ftp://x' must be an http(s) URL",
    ),
    "link-another-host": (  # accepted as a path ('/'), in the page and in sameAs
        "name: X\nlinks:\n  - title: t\n    url: //evil.example/\n",
        "a/x.md:5: links: '//evil.example/' must be an http(s) URL ('//' starts another host's "
        "address: write https://)",
    ),
    "link-space": (
        "name: X\nlinks:\n  - title: t\n    url: https://x.example/a b\n",
        "a/x.md:5: links: 'https://x.example/a b' must be an http(s) URL (it holds a space, a "
        "quote or one of < > \\ `; write a space as %20)",
    ),
    "alias-yes": (
        "name: X\naliases: [yes]\n",
        "a/x.md:3: aliases: item 1 is read by YAML as the yes/no value true, not a name "
        '(unquoted NO, yes, on, off...); put the name in quotes, e.g. "NO"',
    ),
}


@pytest.mark.parametrize(("front", "message"), ACTOR_ERRORS.values(), ids=ACTOR_ERRORS.keys())
def test_actor_errors(site: Site, front: str, message: str) -> None:
    model = site.model({}, {"a/x.md": f"---\n{front}---\n"})
    assert model.actors == {}
    assert site.messages() == [message]


def test_actor_fields(site: Site) -> None:
    text = (
        "---\nname: Recep Tayyip Erdoğan\nkind: person\nrole: President\nimage: erdogan.jpg\n"
        "links:\n  - title: Site\n    url: https://example.org/\n  - https://example.com/\n"
        "---\nTurkey's president.\n"
    )
    model = site.model({}, {"a/erdogan.md": text})
    actor = model.actors["recep-tayyip-erdogan"]
    assert (actor.kind, actor.role, actor.image, actor.profile) == (
        "person",
        "President",
        "erdogan.jpg",
        "Turkey's president.",
    )
    assert [(link.title, link.url) for link in actor.links] == [
        ("Site", "https://example.org/"),
        ("https://example.com/", "https://example.com/"),
    ]


def test_the_british_spelling_of_organisation_is_the_same_kind(site: Site) -> None:
    model = site.model({}, {"a/x.md": "---\nname: Valdorian Grocers\nkind: organisation\n---\n"})
    assert model.actors["valdorian-grocers"].kind == "organization"
    assert site.messages() == []


@pytest.mark.parametrize(
    ("name", "slug"), [("AC/DC", "ac-dc"), ("Jammu/Kashmir", "jammu-kashmir"), ("../x", "x")]
)
def test_a_name_with_a_slash_gets_a_plain_slug(site: Site, name: str, slug: str) -> None:
    # slugify keeps letters, digits and '-' only: a name can never make a path of its URL
    model = site.model({}, {"a/x.md": f"---\nname: {name}\nkind: group\n---\n"})
    assert list(model.actors) == [slug]
    assert site.messages() == []


NOT_A_TIME = "has a time that is not a real time of day"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-27", (dt.date(2022, 1, 27), None)),
        ("2022-01-27T10:30:00Z", (dt.date(2022, 1, 27), None)),
        ("2022-01-27 10:30:00+02:00", (dt.date(2022, 1, 27), None)),
        ("2024-02-29", (dt.date(2024, 2, 29), None)),
        ("2023-02-29", (None, "date '2023-02-29' is not a real day")),
        ("2024-13-01", (None, "date '2024-13-01' is not a real day")),
        (
            "27.01.2022",
            (None, "date '27.01.2022' must be written as YYYY-MM-DD (for example 2022-01-27)"),
        ),
        (
            20220127,
            (None, "date '20220127' must be written as YYYY-MM-DD (for example 2022-01-27)"),
        ),
        ("  ", (None, "date is empty; write it as YYYY-MM-DD")),
        (None, (None, "date is empty; write it as YYYY-MM-DD")),
        # `date: !!timestamp 2022-01-27`: a date object, read as the text it was written as
        (dt.date(2022, 1, 27), (dt.date(2022, 1, 27), None)),
        (dt.datetime(2022, 1, 27, 23, 30), (dt.date(2022, 1, 27), None)),
        (dt.datetime(2022, 1, 27, 23, 30, 1, 5, dt.UTC), (dt.date(2022, 1, 27), None)),
        ("2022-01-27T23:59:59.5-05:30", (dt.date(2022, 1, 27), None)),
        ("2022-01-27 07:00", (dt.date(2022, 1, 27), None)),
        # the time after the day is a real one too (25 o'clock, or no time at all, was read)
        *(
            (f"2022-01-27{time}", (None, f"date '2022-01-27{time}' {NOT_A_TIME}"))
            for time in ("T25:00:00", "T10:60", "T10:00:61", "T10:00+24:00", "T10:00-05:75")
        ),
        *(
            (text, (None, f"date '{text}' must be written as YYYY-MM-DD (for example 2022-01-27)"))
            for text in ("2022-01-27T::", "2022-01-27T1.2.3", "２０２２-01-27", "٢٠٢٢-٠١-٢٧")
        ),
    ],
)
def test_parse_date(value: object, expected: tuple) -> None:
    assert parse_date(value) == expected


def test_activity_summary_years_and_quotes_of_an_actor(site: Site) -> None:
    quote = 'quotes:\n  - actor: Sergei Lavrov\n    text: "No."\n    item: 1\n'
    files = {
        "b/2021-12-30-x.md": briefing("2021-12-30", "Lead.\n\n## I\n\n[[Lavrov]] spoke.\n"),
        "b/2022-01-03-x.md": briefing("2022-01-03", "Lead.\n\n## I\n\n[[Lavrov]] met.\n", quote),
        "b/2022-01-05-x.md": briefing("2022-01-05", "Lead.\n\n## I\n\n[[Lavrov]] left.\n"),
        "b/2022-02-01-x.md": briefing("2022-02-01", "Lead.\n\n## I\n\n[[NATO]] met.\n"),
    }
    model = site.model(files)
    summary = activity_summary(model, "sergei-lavrov")
    assert summary is not None
    assert (summary.first_seen, summary.last_seen) == (dt.date(2021, 12, 30), dt.date(2022, 1, 5))
    assert (summary.days, summary.busiest_month, summary.busiest_count) == (3, (2022, 1), 2)
    assert summary.quotes == 1
    assert timeline_years(model, "sergei-lavrov") == [YearSpan(2022, 2, 0), YearSpan(2021, 1, 2)]
    assert actor_quotes(model, "sergei-lavrov") == [(1, 0)]
    assert activity_summary(model, "ru") is None


@pytest.mark.parametrize(
    ("name", "folded", "letter"),
    [
        ("İlkay Yılmaz", "Ilkay Yilmaz", "I"),
        ("Łukasz Håkansson", "Lukasz Hakansson", "L"),
        ("Søren Øvergaard", "Soren Overgaard", "S"),
        ("Zoë Dvořák", "Zoe Dvorak", "Z"),
        ("«The» Board", "«The» Board", "T"),
        ("1st Brigade", "1st Brigade", "#"),
    ],
)
def test_names_fold_to_plain_letters_and_file_under_one(
    name: str, folded: str, letter: str
) -> None:
    assert fold_accents(name) == folded
    assert index_letter(name) == letter


def test_a_timeline_shows_beside_the_blocks_only_the_quotes_they_do_not_quote(site: Site) -> None:
    extra = (
        "quotes:\n  - actor: Lavrov\n    text: \"We are 'ready'.\"\n    item: 1\n"
        "  - actor: Lavrov\n    text: Not in the items.\n"
        '  - actor: NATO\n    text: "No."\n'
    )
    body = "L.\n\n## I\n\n[[Lavrov]] said: “We are ‘ready’.”\n\nAnd [[NATO]].\n"
    model = site.model({"b/2022-01-27-x.md": briefing("2022-01-27", body, extra)})
    [day] = model.briefings
    [lavrov] = model.timelines["sergei-lavrov"]
    # the first quote is in the block that names him (straight quotes matched as curly ones)
    assert (lavrov.blocks, lavrov.quotes, lavrov.unquoted) == ((1,), (0, 1), (1,))
    assert day.appearances["sergei-lavrov"] == ((1,), (0, 1), (1,))
    assert day.appearances["nato"] == ((2,), (2,), (2,))
