"""Front matter through python-frontmatter's handlers: YAML (`---`) and TOML (`+++`) read
strictly with file lines, and the writer ingest will use."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import frontmatter
import pytest
import yaml
from conftest import run_build, snapshot
from frontmatter.default_handlers import BaseHandler, YAMLHandler
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.diagnostics import Diagnostics
from sitegen.front_matter import (
    TOML_HANDLER,
    YAML_HANDLER,
    FrontMatterError,
    SourceFile,
    _CheckingLoader,
    _common_shape,
    dump_front_matter,
    split,
)
from sitegen.source import parse_source

B = "content/briefings/2022-01-27-brief.md"
NO_SEARCH = (
    'title = "Test Briefings"\nbase_url = "https://example.org/"\n\n[search]\nenabled = false\n'
)
BODY = "The lead.\n\n## What you need to know\n\n[[NATO]] met.\n\n[[Lavrov]] spoke.\n"

YAML_BRIEFING = f"""\
---
title: "Jan. 27: What you need to know today"
date: 2022-01-27
summary: "Moscow says the answers leave its main demand unmet."
actors: ["NATO"]
credits: ["AFP contributed reporting."]
quotes:
  - actor: Sergei Lavrov
    text: "there was no positive response to the main question"
    item: 2
---
{BODY}"""

TOML_BRIEFING = f"""\
+++
title = "Jan. 27: What you need to know today"
date = 2022-01-27  # a TOML date, read as text like YAML's
summary = "Moscow says the answers leave its main demand unmet."
actors = ["NATO"]
credits = ['AFP contributed reporting.']

[[quotes]]
actor = "Sergei Lavrov"
text = "there was no positive response to the main question"
item = 2
+++
{BODY}"""

YAML_ACTOR = """\
---
name: Sergei Lavrov
kind: person
role: Russian Foreign Minister
aliases: [Lavrov]
links:
  - {title: Ministry profile, url: "https://example.org/lavrov"}
---
Russia's foreign minister since 2004.
"""

TOML_ACTOR = """\
+++
name = "Sergei Lavrov"
kind = "person"
role = "Russian Foreign Minister"
aliases = ["Lavrov"]
links = [
  { title = "Ministry profile", url = "https://example.org/lavrov" },
]
+++
Russia's foreign minister since 2004.
"""


def parsed(text: str, name: str = B) -> tuple[SourceFile | None, list[str]]:
    diags = Diagnostics()
    source = parse_source(Path(name), text, diags)
    return source, [d.format() for d in diags.items]


def build_with(make_site, briefing: str, actor: str, name: str) -> dict[str, bytes]:
    site = make_site(
        {
            "site.toml": NO_SEARCH,
            B: briefing,
            "content/actors/sergei-lavrov.md": actor,
        },
        name=name,
    )
    code, out, err = run_build(site, "--strict")
    assert code == 0, out + err
    return snapshot(site / "build")


# --------------------------------------------------------------------------- TOML builds


def test_toml_briefing_and_actor_build_the_same_site_as_yaml(make_site) -> None:
    from_yaml = build_with(make_site, YAML_BRIEFING, YAML_ACTOR, "yaml")
    from_toml = build_with(make_site, TOML_BRIEFING, TOML_ACTOR, "toml")
    assert from_toml == from_yaml
    day = from_toml["2022/01/27/index.html"].decode()
    assert "there was no positive response to the main question" in day
    actor = from_toml["actors/sergei-lavrov/index.html"].decode()
    assert "Russian Foreign Minister" in actor and "https://example.org/lavrov" in actor


def test_toml_and_yaml_read_to_the_same_values() -> None:
    yaml_source, _ = parsed(YAML_BRIEFING)
    toml_source, _ = parsed(TOML_BRIEFING)
    assert yaml_source is not None and toml_source is not None
    assert toml_source.front == yaml_source.front
    assert toml_source.front["date"] == "2022-01-27"  # text: sitegen checks dates itself
    assert (toml_source.body, toml_source.body_line) == (yaml_source.body, 13)
    assert toml_source.front_format == "toml" and yaml_source.front_format == "yaml"


def test_toml_date_times_are_text_too() -> None:
    source, problems = parsed("+++\na = 2022-01-27T10:30:00+02:00\nb = [07:32:00]\n+++\n")
    assert problems == [] and source is not None
    assert source.front == {"a": "2022-01-27T10:30:00+02:00", "b": ["07:32:00"]}


# --------------------------------------------------------------------------- TOML errors


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        pytest.param(
            'title = "x"\ndate = 2022-01-27\ntitle = "y"\n',
            f"{B}:4: duplicate key 'title' (already on line 2)",
            id="duplicate-key",
        ),
        pytest.param(
            'title = "x"\n\n[[quotes]]\ntext = "a"\ntext = "b"\n',
            f"{B}:6: duplicate key 'quotes.text' (already on line 5)",
            id="duplicate-key-in-array-table",
        ),
        pytest.param(
            'title = "x"\nquotes = [{text = "a", text = "b"}]\n',
            f"{B}:3: invalid TOML: duplicate inline table key 'text'",
            id="duplicate-key-in-inline-table",
        ),
        pytest.param(
            'title = "unclosed\ndate = 2022-01-27\n',
            f"{B}:2: invalid TOML: illegal character '\\n'",
            id="unclosed-string",
        ),
        pytest.param(
            'title = "x"\nactors = ["a",\n  "b"\ndate = 2022-01-27\n',
            f"{B}:5: invalid TOML: unclosed array",
            id="unclosed-array",
        ),
        pytest.param(
            'title = "x"\ndate = 2024-02-30\n',
            f"{B}:3: invalid TOML: invalid date or datetime",
            id="not-a-day",
        ),
        pytest.param(
            'title: "x"\n',
            f"{B}:2: invalid TOML: expected '=' after a key in a key/value pair",
            id="yaml-in-toml-delimiters",
        ),
    ],
)
def test_toml_errors_point_at_their_file_line(front: str, expected: str) -> None:
    source, problems = parsed(f"+++\n{front}+++\nThe lead.\n")
    assert source is None
    assert problems == [expected]


@pytest.mark.parametrize("text", [YAML_BRIEFING, TOML_BRIEFING], ids=["yaml", "toml"])
def test_a_utf8_byte_order_mark_is_read_past(text: str) -> None:
    """Notepad and other Windows editors may save UTF-8 with a BOM: the file reads as
    without it, its lines numbered the same (Hugo and Zola accept it too)."""
    plain, problems = parsed(text)
    with_bom, bom_problems = parsed("\ufeff" + text)
    assert problems == bom_problems == []
    assert plain is not None and with_bom is not None
    assert (with_bom.front, with_bom.body, with_bom.body_line) == (
        plain.front,
        plain.body,
        plain.body_line,
    )


def test_toml_front_matter_never_closed() -> None:
    _, problems = parsed('+++\ntitle = "x"\n---\nThe lead.\n')
    assert problems == [
        f"{B}:1: front matter is opened by '+++' here but never closed by a '+++' line"
    ]


def test_model_errors_in_toml_point_at_keys_items_and_item_keys(make_site) -> None:
    briefing = (
        "+++\n"
        'title = "x"\n'  # 2
        "date = 2022-01-27\n"  # 3
        "draft = 3\n"  # 4
        "actors = [\n"  # 5
        '  "NATO",\n'  # 6
        '  "",\n'  # 7
        "]\n"  # 8
        "\n"
        "[[quotes]]\n"  # 10
        'text = "first"\n'  # 11
        "\n"
        "[[quotes]]\n"  # 13
        'text = "second"\n'  # 14
        "item = 9\n"  # 15
        "+++\n" + BODY
    )
    site = make_site({B: briefing, "site.toml": NO_SEARCH})
    code, _, err = run_build(site)
    assert code == 1
    assert err.splitlines() == [
        f"{B}:4: draft must be true or false, not the number 3",
        f"{B}:7: actors: item 2 is empty",
        f"{B}:15: quotes: item 2 points at item 9, but the briefing has items 1 to 2",
    ]


def test_a_key_yaml_reads_as_a_number_null_or_yes_is_warned_at_its_line(make_site) -> None:
    briefing = "---\ntitle: x\ndate: 2022-01-27\n1: a\nnull: b\n2.5: c\n---\n" + BODY
    site = make_site({B: briefing, "site.toml": NO_SEARCH})
    code, _, err = run_build(site)
    assert code == 0, err
    assert err.splitlines() == [
        f"{B}:4: warning: unknown key '1' (ignored)",
        f"{B}:5: warning: unknown key 'null' (ignored)",
        f"{B}:6: warning: unknown key '2.5' (ignored)",
    ]


def test_a_key_a_yaml_merge_brings_is_warned_at_its_own_line(make_site) -> None:
    """They were all at line 1, the '---' line."""
    briefing = "---\ntitle: x\ndate: 2022-01-27\n<<: {a: 1}\n<<:\n  - b: 2\n---\n" + BODY
    site = make_site({B: briefing, "site.toml": NO_SEARCH})
    code, _, err = run_build(site)
    assert code == 0, err
    assert err.splitlines() == [
        f"{B}:4: warning: unknown key 'a' (ignored)",
        f"{B}:6: warning: unknown key 'b' (ignored)",
    ]


def test_toml_key_lines_survive_strings_comments_and_dotted_keys() -> None:
    front = (
        'a = """[not = a table]\n'  # 2
        'b = "also not a key" """\n'  # 3
        "'quoted key' = 'x # not a comment'\n"  # 4
        "site.title = 'dotted'  # a comment [x]\n"  # 5
        "list = [  # comment\n"  # 6
        "  1.5,\n"  # 7
        "  1979-05-27 07:32:00,\n"  # 8
        "  [2, 3],\n"  # 9
        "  {x = 1, y = '''two\n"  # 10
        "lines'''},\n"  # 11
        "]\n"  # 12
        "[[quotes]]\n"  # 13
        "text = 'a'\n"  # 14
        '[[quotes]]\ntext = "b"\n'  # 15, 16
    )
    lines = TOML_HANDLER.key_lines(front)
    assert lines["a"] == 2
    assert "b" not in lines
    assert lines["quoted key"] == 4
    assert lines[("site", "title")] == 5
    assert [lines[("list", i)] for i in range(4)] == [7, 8, 9, 10]
    assert lines[("list", 3, "y")] == 10
    assert (lines["quotes"], lines[("quotes", 0)], lines[("quotes", 1)]) == (13, 13, 15)
    assert (lines[("quotes", 0, "text")], lines[("quotes", 1, "text")]) == (14, 16)


# --------------------------------------------------------------------------- YAML, unchanged


def test_the_first_line_chooses_the_format() -> None:
    _, problems = parsed("title: x\n---\nbody\n")
    assert problems == [
        f"{B}:1: no front matter: the file must start with a '---' line (YAML) or '+++' (TOML)"
    ]
    with pytest.raises(FrontMatterError):
        split("+++ toml\n+++\n")
    assert split("---  \ntitle: x\n...\nbody").handler is YAML_HANDLER  # YAML's document end


def test_yaml_anchors_and_nested_duplicates_are_still_refused() -> None:
    _, problems = parsed("---\ntitle: x\nlinks:\n  - &l {title: a, title: b}\n---\n")
    assert problems == [f"{B}:4: YAML anchor '&l' is not allowed"]
    _, problems = parsed("---\ntitle: x\nlinks:\n  - {title: a, title: b}\n---\n")
    assert problems == [f"{B}:4: duplicate key 'title' (already on line 4)"]


def test_the_handlers_are_python_frontmatter_handlers() -> None:
    """python-frontmatter's own entry points work with them (its `parse` strips the body)."""
    assert isinstance(YAML_HANDLER, YAMLHandler) and isinstance(TOML_HANDLER, BaseHandler)
    post = frontmatter.loads(TOML_BRIEFING, handler=TOML_HANDLER)
    assert post["date"] == "2022-01-27" and post.content == BODY.strip()
    with pytest.raises(FrontMatterError):
        frontmatter.loads("---\na: 1\na: 2\n---\n", handler=YAML_HANDLER)


# --------------------------------------------------------------------------- writing


TRICKY: dict = {
    "title": "Jan. 27: What: you need to know # today",
    "date": dt.date(2022, 1, 27),
    "summary": "- starts like a list item, ends with a colon:",
    "actors": ["NO", "1984", "null", "Zoë Ñúñez", "'quoted'", '"double"', "&anchor", "*alias"],
    "quotes": [
        {"actor": None, "text": "line one\nline two\n", "item": 2},
        {"actor": "A", "text": "x" * 1500},
        {"actor": "B", "text": "  spaces around  ", "item": 1},
    ],
    # (a control character such as BEL is refused by the loader: XML cannot carry it)
    "credits": ["2022-01-27", "@handle", "tab\there", "back\\slash"],
    "source": "raw/2022-01-27.txt",
    "review": True,
}


def test_dumped_front_matter_reads_back_identically() -> None:
    body = "The lead.\n\n## Heading\n\n---\n\nAn item after a rule.\n"
    text = dump_front_matter(TRICKY, body)
    source, problems = parsed(text)
    assert problems == [] and source is not None
    assert source.front == {**TRICKY, "date": "2022-01-27"}  # dates come back as text
    assert source.body == body


def test_a_value_used_twice_is_written_twice_not_as_an_alias() -> None:
    shared = ["NATO", "Russia"]
    text = dump_front_matter({"title": "x", "actors": shared, "optional": shared}, "")
    assert "&" not in text and "*" not in text
    source, problems = parsed(text)
    assert problems == [] and source is not None
    assert source.front["optional"] == shared


def test_dump_writes_what_ingest_writes_today() -> None:
    data = {
        "title": "Jan. 27: What you need to know today",
        "date": dt.date(2022, 1, 27),
        "quotes": [{"actor": "Sergei Lavrov", "text": "no positive response", "item": 2}],
        "source": "raw/2022-01-27.txt",
    }
    assert dump_front_matter(data, "Lead.\n") == (
        "---\n"
        "title: 'Jan. 27: What you need to know today'\n"
        "date: 2022-01-27\n"
        "quotes:\n"
        "- actor: Sergei Lavrov\n"
        "  text: no positive response\n"
        "  item: 2\n"
        "source: raw/2022-01-27.txt\n"
        "---\n"
        "Lead.\n"
    )


# Scalars in front matter as editors write them, and the ones YAML reads as something else
_SCALARS = st.one_of(
    st.sampled_from(
        ["", "~", "null", "Null", "yes", "No", "on", "OFF", "true", "y", "n", "0", "00", "010",
         "0x1F", "0o17", "0b101", "1_000", "190:20:30", "-3", "+4", ".5", "1e3", ".inf", "-.Inf",
         ".nan", "=", "<<", "2022-01-27", "１２", "²", "3 items", "Tom & Jerry"]
    ),
    st.text(alphabet=st.sampled_from("0123456789+-._:eEoxbn ~=<aTy"), max_size=8),
)  # fmt: skip


@given(_SCALARS, st.sampled_from(["plain", "quoted"]))
def test_fast_loader_reads_scalars_as_pyyaml_does(value: str, style: str) -> None:
    """The loader's shortcuts (its resolver, numbers made directly) give what PyYAML's own
    safe loader makes of the same text, dates left as text."""
    text = f"key: {value}\n" if style == "plain" else f"key: {json.dumps(value)}\n"
    try:
        expected = yaml.load(text, Loader=_CheckingLoader)
    except yaml.YAMLError:
        with pytest.raises(FrontMatterError):
            YAML_HANDLER.load(text)
        return
    got = YAML_HANDLER.load(text)
    assert got == expected
    assert type(got["key"]) is type(expected["key"])


# Front matter lines near the common shape that _common_shape reads without libyaml, and
# pieces that take a text out of it (YAML's corners): keys, values and indents of all kinds
_KEYS = st.sampled_from(["title", "date", "item", "text", "a-b", "_x", "yes", "No", "null",
                         "n", "Title", "x1", "on", "<<", "1", "k k", "ü", "-a", "?a"])  # fmt: skip
_INNER = st.text(alphabet=st.sampled_from("aZ 1:#,-[]{}&*!'\"\\é\t…\u00a0\x85\u2028"), max_size=6)
_VALUES = st.one_of(
    _SCALARS,
    _INNER,
    _INNER.map(lambda s: f'"{s}"'),
    _INNER.map(lambda s: f"'{s}'"),
    st.lists(_INNER.map(lambda s: f'"{s}"'), max_size=3).map(lambda v: f"[{', '.join(v)}]"),
    st.sampled_from(["[]", "[ ]", '["a",]', '[ "a" , "b" ]', "['a']", "[a, b]", "{}", "&a x",
                     "*a", "!!str 1", "|", ">", '"a" # c', "a # c", "a #c", "a:", "a: b",
                     '"a"b', "- a", "-a", "@a", "%a", "`a`", "a  b", "a ", " a", "12", "0",
                     "007", "1.5", "true", "Off", "~", "2022-01-27 10:00:00"]),
)  # fmt: skip
_SEPARATORS = st.sampled_from([": ", ":", ":  ", ": \t", " : ", ":\t"])
_INDENTS = st.sampled_from(["", "", "  ", "  ", "    ", " ", "   ", "\t"])
_LINES = st.one_of(
    st.tuples(_INDENTS, _KEYS, _SEPARATORS, _VALUES).map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[3]}"),
    st.tuples(_INDENTS, _KEYS).map(lambda t: f"{t[0]}{t[1]}:"),
    st.tuples(_INDENTS, st.sampled_from(["- ", "-  ", "-"]), _KEYS, _SEPARATORS, _VALUES).map(
        lambda t: "".join(t)
    ),
    st.tuples(_INDENTS, st.sampled_from(["- ", "-"]), _VALUES).map(lambda t: "".join(t)),
    st.sampled_from(["", " ", "# comment", "  # comment", "...", "---", "%YAML 1.1"]),
)


_WORDS = st.text(alphabet=st.sampled_from("ab Zé1.,:'\"&*#-"), min_size=1, max_size=8).filter(
    lambda s: s[0] not in "'\"&*#-: " and s[-1] not in ": " and ": " not in s and "#" not in s
)
_COMMON_VALUES = st.one_of(
    _WORDS, _WORDS.map(lambda s: f'"{s}"'), _WORDS.map(lambda s: f"'{s}'"),
    st.integers(0, 20).map(str), st.lists(_WORDS.map(lambda s: f'"{s}"'), max_size=3).map(
        lambda v: f"[{', '.join(v)}]"
    ),
)  # fmt: skip
_COMMON_KEYS = st.from_regex(r"[a-fnoty][a-fnoty_-]{0,4}", fullmatch=True)
_PAIRS = st.tuples(
    st.one_of(_COMMON_KEYS, _COMMON_KEYS, _KEYS),
    st.sampled_from([": ", ": ", ":  "]),
    st.one_of(_COMMON_VALUES, _COMMON_VALUES, _VALUES),
).map("".join)


@st.composite
def _near_common(draw: st.DrawFn) -> str:
    """Front matter of the common shape (keys, lists of values or of mappings), some of its
    lines then replaced by any of _LINES."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            lines.append(draw(_PAIRS))
            continue
        lines.append(f"{draw(_COMMON_KEYS)}:")
        dash = draw(st.sampled_from(["", "  ", " "]))
        for _ in range(draw(st.integers(0, 3))):
            pairs = draw(st.lists(_PAIRS, max_size=3))
            if not pairs:
                lines.append(f"{dash}- {draw(st.one_of(_COMMON_VALUES, _VALUES))}")
                continue
            lines.append(f"{dash}- {pairs[0]}")
            lines.extend(f"{dash}  {pair}" for pair in pairs[1:])
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        lines[draw(st.integers(0, len(lines) - 1))] = draw(_LINES)
    return "\n".join(lines)


@settings(max_examples=300)  # (20,000 examples read the same, 3,067 by the shortcut)
@given(_near_common())
def test_the_common_shape_reads_as_libyaml_does(text: str) -> None:
    """The loader's shortcut for the common shape of front matter gives what libyaml and the
    full loader give (values, their types, key order), or leaves the text to them."""
    common = _common_shape(text)
    if common is None:
        return
    full = YAML_HANDLER.load_any(text)
    assert repr(common) == repr(full)


def test_the_common_shape_is_read_without_libyaml() -> None:
    """What briefings hold is read by the shortcut (else the test above tests little)."""
    text = (
        'title: "Sept. 12: What you need to know today"\ndate: 1994-09-12\n'
        "summary: Lavrov's reply, quoted\ndraft: false\nreview:\nquotes:\n"
        '  - actor: "İlkay Yılmaz"\n    text: "We expect our partners to keep"\n    item: 2\n'
        'credits: ["Global Dispatch contributed reporting.", "AP"]\nsource: raw/x.txt\n'
        "actors:\n- Sergei Lavrov\n- 'NATO'\n"
    )
    expected = YAML_HANDLER.load_any(text)
    assert _common_shape(text) == expected
    assert expected["quotes"][0]["item"] == 2 and expected["review"] is None
