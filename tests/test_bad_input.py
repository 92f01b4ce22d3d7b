"""Bad input: every mistake is one `path:line: message` line, exit 1, no traceback, and the
previous build stays exactly as it was."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import NATO as NATO_ACTOR
from conftest import briefing_text, run_build, snapshot, write_files

B = "content/briefings/2022-01-27-brief.md"
BODY = "The lead.\n\n## What you need to know\n\n[[NATO]] met.\n"
NFC, NFD = "Zo\u00eb", "Zoe\u0308"
DIAGNOSTIC_LINE = re.compile(r"^[^\s:][^:]*(?::\d+)?: \S")


def front(yaml_text: str, body: str = BODY) -> str:
    return f"---\n{yaml_text}---\n{body}"


def actor(yaml_text: str) -> str:
    return f"---\n{yaml_text}---\nA profile.\n"


def day_template(*lines: str) -> str:
    return "\n".join(["{% extends 'base.html' %}", "{% block main %}", *lines, "{% endblock %}"])


Expected = str | re.Pattern[str] | tuple[str | re.Pattern[str], ...]

CASES = [
    pytest.param(
        {B: front('title: "unclosed\ndate: 2022-01-27\n')},
        f"{B}:3: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar that starts on line 2)",
        id="yaml-unclosed-quote",
    ),
    pytest.param(
        {B: front("title: a: b\ndate: 2022-01-27\n")},
        re.compile(re.escape(f"{B}:2: invalid YAML: mapping values are not allowed ") + ".+"),
        id="yaml-invalid-mapping",
    ),
    pytest.param(  # libyaml reads it; the pure-Python loader that finds lines refuses the tab
        {B: front("title: \t\n- \ndate: 2022-01-27\n")},
        f"{B}:1: title must be text, not a list; put it in quotes",
        id="yaml-tab-then-list-item",
    ),
    pytest.param(
        {B: "---\ntitle: x\ndate: 2022-01-27\nThe lead.\n"},
        f"{B}:1: front matter is opened by '---' here but never closed by a '---' line",
        id="front-matter-never-closed",
    ),
    pytest.param(
        {B: front("- title\n- date\n")},
        f"{B}:2: front matter must be a mapping of keys, not a list",
        id="front-matter-list",
    ),
    pytest.param(
        {B: front("just some text\n")},
        f"{B}:2: front matter must be a mapping of keys, not a single value",
        id="front-matter-scalar",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\na: &a [x, x]\nb: &b [*a, *a]\n")},
        f"{B}:4: YAML anchor '&a' is not allowed",
        id="yaml-anchors-billion-laughs",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2024-02-30\n")},
        f"{B}:3: date '2024-02-30' is not a real day",
        id="date-not-a-day",
    ),
    pytest.param(
        {B: front('title: x\ndate: 2022-01-27\nquotes:\n  - {actor: NATO, text: t, item: "1"}\n')},
        # was "points at item '1', but the briefing has items 1 to 1"
        f"{B}:5: quotes: item 1 points at item '1': write the item's number, e.g. item: 2",
        id="quote-item-in-quotes",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\nquotes:\n  - {text: t, item: 1}\n", "Lead.\n")},
        # was "but the briefing has items 1 to 0"
        f"{B}:5: quotes: item 1 points at item 1, but the briefing has no items (no '## ' heading)",
        id="quote-item-without-items",
    ),
    pytest.param(
        {"content/briefings/2026-02-30-x.md": front("title: x\ndate: 2026-02-28\n")},
        # built as a day of 2026-02-28, whatever the name said
        "content/briefings/2026-02-30-x.md:3: the file name's date 2026-02-30 is not a real day",
        id="date-in-the-file-name-not-a-day",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2024-2-3\n")},
        f"{B}:3: date '2024-2-3' must be written as YYYY-MM-DD (for example 2022-01-27)",
        id="date-no-zero-padding",
    ),
    pytest.param(
        {B: front("title: x\ndate: 03/02/2024\n")},
        f"{B}:3: date '03/02/2024' must be written as YYYY-MM-DD (for example 2022-01-27)",
        id="date-slashes",
    ),
    pytest.param(
        {B: front("title: x\ndate:\n")},
        f"{B}:3: date is empty; write it as YYYY-MM-DD",
        id="date-empty",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-28\n")},
        f"{B}:3: date 2022-01-28 disagrees with the date in the file name (2022-01-27)",
        id="date-disagrees-with-file-name",
    ),
    pytest.param(
        {B: front('title: "x"\ndate: 2022-01-27\nsummary: a\ntitle: "y"\n')},
        f"{B}:5: duplicate key 'title' (already on line 2)",
        id="yaml-duplicate-key",
    ),
    pytest.param(
        {B: front('title: x\ndate: 2022-01-27\nquotes:\n  - text: "a"\n    text: "b"\n')},
        f"{B}:6: duplicate key 'text' (already on line 5)",
        id="yaml-duplicate-nested-key",
    ),
    pytest.param(
        {B: front("date: 2022-01-27\n")},
        f"{B}:1: missing required key 'title'",
        id="missing-title",
    ),
    pytest.param(
        {B: front("title: x\n")},
        f"{B}:1: missing required key 'date'",
        id="missing-date",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\nactors: [NO, 1984]\n")},
        (
            f"{B}:4: actors: item 1 is read by YAML as the yes/no value false, not a name "
            '(unquoted NO, yes, on, off...); put the name in quotes, e.g. "NO"',
            f"{B}:4: actors: item 2 is read by YAML as the number 1984, not a name; "
            'put it in quotes: "1984"',
        ),
        id="actors-no-and-number",
    ),
    pytest.param(
        {"content/briefings/2022-01-27-other.md": front("title: y\ndate: 2022-01-27\n")},
        f"{B}:3: 2 pages would write /2022/01/27/: {B}:3, content/briefings/2022-01-27-other.md:3"
        " (the permalink /{year}/{month}/{day}/ makes one page per day: merge them into one "
        "file, or add {slug} to [permalinks] briefing in site.toml)",
        id="two-briefings-same-url",
    ),
    pytest.param(
        {"content/actors/nato2.md": actor("name: Nato\nslug: nato\n")},
        "content/actors/nato.md:2: 2 pages would write /actors/nato/: "
        "content/actors/nato.md:2, content/actors/nato2.md:3",
        id="actors-differ-by-case",
    ),
    pytest.param(
        {
            "content/actors/zoe-a.md": actor(f"name: {NFC}\n"),
            "content/actors/zoe-b.md": actor(f"name: {NFD}\n"),
        },
        "content/actors/zoe-b.md:2: 2 pages would write /actors/zoe/: "
        "content/actors/zoe-b.md:2, content/actors/zoe-a.md:2",
        id="actors-differ-by-unicode-form",
    ),
    pytest.param(
        {"content/actors/x.md": actor("name: X\nslug: ../x\n")},
        "content/actors/x.md:3: slug '../x' must not contain '/', '\\' or '..'",
        id="actor-slug-dotdot",
    ),
    pytest.param(
        {"content/actors/x.md": actor("name: X\nslug: /etc/x\n")},
        "content/actors/x.md:3: slug '/etc/x' must not contain '/', '\\' or '..'",
        id="actor-slug-absolute",
    ),
    pytest.param(
        {"content/actors/x.md": actor("name: X\nslug: " + "a" * 300 + "\n")},
        # was 'build: cannot write the output: File name too long', naming no file
        f"content/actors/x.md:3: slug '{'a' * 40}'... is 300 characters long; at most 200",
        id="actor-slug-too-long-for-a-file-name",
    ),
    *(
        pytest.param(  # each took the derived slug silently, a URL nobody asked for
            {where: text},
            f"{where}:{line}: slug is empty: give the page's URL slug, or remove the key",
            id=f"slug-empty-{n}",
        )
        for n, (where, text, line) in enumerate(
            [
                ("content/actors/x.md", actor("name: X\nslug: ''\n"), 3),
                ("content/actors/x.md", actor("slug: '  '\nname: X\n"), 2),
                ("content/actors/x.md", actor("name: X\nslug:\n"), 3),
                (B, front('title: x\ndate: 2022-01-27\nslug: ""\n'), 4),
                (B, front('slug: "\\t "\ntitle: x\ndate: 2022-01-27\n'), 2),
                (B, front("title: x\ndate: 2022-01-27\nslug: ~\n"), 4),
            ]
        )
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\nslug: '///'\n")},
        f"{B}:4: slug '///' must not contain '/', '\\' or '..'",
        id="briefing-slug-slashes",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\nslug: '!!!'\n")},
        f"{B}:4: slug '!!!' must be lower-case letters, digits and hyphens "
        "(start with a letter or digit)",
        id="briefing-slug-slugifies-to-nothing",
    ),
    pytest.param(
        {"content/actors/x.md": actor("name: '!!!'\n")},
        "content/actors/x.md:2: name '!!!' gives an empty URL slug; add a slug: key",
        id="actor-name-slugifies-to-nothing",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\n").encode() + b"Line ten \xff here\n"},
        f"{B}:10: not valid UTF-8: byte 0xff at column 10 (Windows-1252 or Latin-1 text?); "
        "save the file as UTF-8",
        id="not-utf8",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\n", "x" * (21 * 2**20))},
        f"{B}: file is 21.0 MiB; the limit is 20 MiB",
        id="file-over-20-mib",
    ),
    pytest.param(
        {"templates/day.html": day_template("<p>", "{% if %}", "</p>")},
        # found while the site loads, with the content's errors: no page to name
        "templates/day.html:4: Expected an expression, got 'end of statement block'",
        id="template-syntax-error",
    ),
    pytest.param(
        {"templates/footer.html": "{% if true %}" * 500 + "x" + "{% endif %}" * 500},
        # Jinja's parser recursed out: a 3,000-line traceback
        "templates/footer.html: blocks nested too deeply (too deep for Jinja's parser): "
        "flatten them",
        id="template-nested-past-the-parser",
    ),
    pytest.param(
        {
            "templates/footer.html": "".join(f"{{% for a{i} in [1] %}}" for i in range(21))
            + "x"
            + "{% endfor %}" * 21
        },
        # parsed, but Python cannot compile it: was named at base.html's include, with the
        # line of the generated code
        "templates/footer.html: blocks nested too deeply (too many statically nested "
        "blocks): flatten them",
        id="template-nested-past-python",
    ),
    pytest.param(
        {"templates/day.html": day_template("<p>", "{{ 10**5000 }}", "</p>")},
        # Jinja folds the constant when it compiles, then cannot write it: a traceback
        "templates/day.html: cannot be compiled: it computes a number of more than 4,300 "
        "digits, which Python cannot write",
        id="template-number-past-pythons-limit",
    ),
    pytest.param(
        {"templates/day.html": day_template("<p>", "{{ nosuch }}", "</p>")},
        "templates/day.html:4: 'nosuch' is undefined (while rendering /2022/01/27/)",
        id="template-undefined-variable",
    ),
    pytest.param(
        {"templates/day.html": day_template("{{ site.title + 1 }}")},
        'templates/day.html:3: TypeError: can only concatenate str (not "int") to str '
        "(while rendering /2022/01/27/)",
        id="template-runtime-error",
    ),
    pytest.param(
        {"templates/day.html": day_template("{{ range(10**9)|list|length }}")},
        # filled memory until the kernel killed the build: exit 137, no message
        "templates/day.html:3: range(1000000000) has 1,000,000,000 numbers; the limit is "
        "100,000 (while rendering /2022/01/27/)",
        id="template-range-past-memory",
    ),
    pytest.param(
        {"templates/day.html": "{% extends 'nosuch.html' %}\n"},
        "templates/day.html:1: template 'nosuch.html' not found (in templates/ or the "
        "built-in theme) (while rendering /2022/01/27/)",
        id="template-missing-parent",
    ),
    pytest.param(
        {"templates/day.html": b"{% extends 'base.html' %}\n\xff\n"},
        "templates/day.html:2: not valid UTF-8: byte 0xff at column 1 (Windows-1252 or Latin-1 "
        "text?); save the file as UTF-8",
        id="template-not-utf8",
    ),
    pytest.param(
        {B: "+++\ntitle = 'x'\ndate = 2022-01-27\nx = " + "[" * 600 + "]" * 600 + "\n+++\n"},
        # tomllib recursed out: a RecursionError's traceback
        f"{B}:4: invalid TOML: arrays or tables nested too deeply: flatten them",
        id="toml-front-matter-nested-past-the-parser",
    ),
    pytest.param(
        {
            "site.toml": 'base_url = "https://example.org/"\nx = {a = '
            + "[" * 600
            + "]" * 600
            + "}\n"
        },
        "site.toml:2: invalid TOML: arrays or tables nested too deeply: flatten them "
        "(at line 2, column 1)",
        id="site-toml-nested-past-the-parser",
    ),
    pytest.param(
        {B: front("title: x\ndate: 2022-01-27\nsummary: " + "9" * 5000 + "\n")},
        # int() refused it (Python's 4,300-digit limit): a ValueError's traceback
        f"{B}:4: a number longer than 4,300 digits: put it in quotes if it is text",
        id="yaml-number-past-pythons-limit",
    ),
    pytest.param(
        {B: front("title: 0x" + "f" * 5000 + "\ndate: 2022-01-27\n")},
        # read, but the message quoting it could not print it: a traceback
        f"{B}:2: a number longer than 4,300 digits: put it in quotes if it is text",
        id="yaml-hex-number-too-long-to-print",
    ),
    pytest.param(
        {
            B: front(
                "title: x\ndate: 2022-01-27\nquotes:\n  - {text: t, item: 1" + "0" * 5000 + "}\n"
            )
        },
        f"{B}:5: a number longer than 4,300 digits: put it in quotes if it is text",
        id="yaml-quote-item-past-pythons-limit",
    ),
    pytest.param(
        {B: "+++\ntitle = 'x'\ndate = 2022-01-27\nx = " + "9" * 5000 + "\n+++\n"},
        f"{B}:4: invalid TOML: a number longer than 4,300 digits: put it in quotes if it is text",
        id="toml-front-matter-number-past-pythons-limit",
    ),
    pytest.param(
        {"site.toml": 'base_url = "https://example.org/"\ntitle = 0x' + "f" * 5000 + "\n"},
        "site.toml:2: invalid TOML: a number longer than 4,300 digits: put it in quotes if it "
        "is text (at line 2, column 1)",
        id="site-toml-number-too-long-to-print",
    ),
    pytest.param(
        {"site.toml": 'base_url = "https://example.org/"\ntitle = 3\n'},
        "site.toml:2: title must be text (in quotes), not 3",
        id="site-toml-wrong-type",
    ),
    pytest.param(
        {"site.toml": b'base_url = "https://example.org/"\ntitle = "\xff"\n'},
        "site.toml:2: not valid UTF-8: byte 0xff at column 10 (Windows-1252 or Latin-1 text?); "
        "save the file as UTF-8",
        id="site-toml-not-utf8",
    ),
    # a static file where the site writes a folder: was copied into it (actors/actors,
    # assets/assets), and the cached build of the same site refused its own folder
    pytest.param(
        {"static/actors": "mine\n"},
        "static/actors: the site writes actors/index.html inside the folder actors/, whose "
        "place this file would take: rename it",
        id="static-file-where-a-folder-of-pages-goes",
    ),
    pytest.param(
        {"static/assets": "mine\n"},
        re.compile(
            r"static/assets: the site writes assets/\S+ inside the folder assets/, "
            r"whose place this file would take: rename it"
        ),
        id="static-file-where-the-themes-folder-goes",
    ),
    # a static folder named as a page: 'cannot write the output: File exists', no path
    pytest.param(
        {"static/sitemap.xml/notes.txt": "mine\n"},
        "static/sitemap.xml/notes.txt: sitemap.xml is the page /sitemap.xml, so no folder of "
        "that name can hold this file: rename its folder",
        id="static-folder-named-as-a-page",
    ),
]


def assert_reported(stderr: str, expected: Expected) -> None:
    lines = stderr.splitlines()
    for one in expected if isinstance(expected, tuple) else (expected,):
        if isinstance(one, re.Pattern):
            assert any(one.fullmatch(line) for line in lines), (one.pattern, stderr)
        else:
            assert one in lines, stderr


def assert_clean_failure(site: Path, code: int, out: str, err: str) -> None:
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    assert "Built" not in out
    assert err.strip(), "an error must be explained"
    for line in err.splitlines():
        assert DIAGNOSTIC_LINE.match(line), f"not a path:line: message line: {line!r}"
    assert not list(site.glob(".build.staging-*"))


@pytest.fixture
def built_site(make_site):
    """A site that built once; returns (site, bytes of every file of its build/)."""
    site = make_site()
    code, _, err = run_build(site)
    assert code == 0, err
    return site, snapshot(site / "build")


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_bad_input_is_one_clear_error_and_keeps_the_previous_build(
    built_site, files: dict, expected: Expected
) -> None:
    site, before = built_site
    write_files(site, files)
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    assert_reported(err, expected)
    assert snapshot(site / "build") == before


def test_a_url_collision_is_one_error_naming_both_sources(built_site) -> None:
    site, _ = built_site
    write_files(
        site, {"content/briefings/2022-01-27-other.md": front("title: y\ndate: 2022-01-27\n")}
    )
    _, _, err = run_build(site)
    clashes = [line for line in err.splitlines() if "would write" in line]
    assert len(clashes) == 1
    assert "2022-01-27-brief.md" in clashes[0] and "2022-01-27-other.md" in clashes[0]


def test_unknown_mention_is_a_warning_with_file_and_line(built_site) -> None:
    site, _ = built_site
    write_files(site, {B: front("title: x\ndate: 2022-01-27\n", "Lead.\n\n## H\n\n[[Nobody]].\n")})
    code, out, err = run_build(site)
    assert code == 0, err
    assert f"{B}:9: warning: [[Nobody]] is not in the actor registry (content/actors/)" in (
        err.splitlines()
    )
    assert out.startswith("Built ") and out.rstrip().endswith(", 1 warning")
    page = (site / "build/2022/01/27/index.html").read_text(encoding="utf-8")
    assert "Nobody" in page and "[[Nobody]]" not in page


def test_unknown_mention_fails_under_strict(built_site) -> None:
    site, before = built_site
    write_files(site, {B: front("title: x\ndate: 2022-01-27\n", "Lead.\n\n## H\n\n[[Nobody]].\n")})
    code, out, err = run_build(site, "--strict")
    assert_clean_failure(site, code, out, err)
    assert f"{B}:9: [[Nobody]] is not in the actor registry (content/actors/)" in err.splitlines()
    assert snapshot(site / "build") == before


def test_unknown_mention_in_an_actor_profile_is_a_warning_and_fails_under_strict(
    built_site,
) -> None:
    # a profile's [[mention]] links as a briefing's does; one the registry lacks was shown
    # as plain text without a word, under --strict too
    site, before = built_site
    profile = (
        "---\nname: Yuri Zed\nkind: person\n---\n\nProfile.\n\nMet [[NATO]] and\n[[Nobody]].\n"
    )
    write_files(site, {"content/actors/yuri-zed.md": profile})
    code, out, err = run_build(site, "--strict")
    assert_clean_failure(site, code, out, err)
    line = "content/actors/yuri-zed.md:9: [[Nobody]] is not in the actor registry (content/actors/)"
    assert line in err.splitlines()
    assert snapshot(site / "build") == before
    code, out, err = run_build(site)
    assert code == 0, err
    assert err.splitlines() == [line.replace(":9: ", ":9: warning: ")]


def test_an_actor_image_that_no_static_file_has_is_a_warning(built_site) -> None:
    site, _ = built_site
    nato = NATO_ACTOR.replace("kind:", "image: /img/nato%20logo.png\nkind:")
    write_files(site, {"content/actors/nato.md": nato})
    code, out, err = run_build(site)  # was silent: a broken <img> and og:image
    assert code == 0, err
    assert err.splitlines() == [
        "content/actors/nato.md:3: warning: image '/img/nato%20logo.png' is not a file of the "
        "site (static/img/nato logo.png does not exist): the page would show a broken image"
    ]
    write_files(site, {"static/img/nato logo.png": b"\x89PNG"})
    code, out, err = run_build(site)
    assert (code, err) == (0, "")
    page = (site / "build/actors/nato/index.html").read_text(encoding="utf-8")
    assert 'src="/img/nato%20logo.png"' in page
    write_files(site, {"static/img/nato logo.png": None})
    code, out, err = run_build(site, "--strict")
    assert_clean_failure(site, code, out, err)


def test_unknown_site_toml_key_is_a_warning(make_site) -> None:
    site = make_site({"site.toml": 'base_url = "https://example.org/"\n\ncolour = "red"\n'})
    code, _, err = run_build(site)
    assert code == 0, err
    assert "site.toml:3: warning: unknown key 'colour'" in err.splitlines()
    assert (site / "build/index.html").is_file()


def test_every_broken_file_is_reported_in_one_run(built_site) -> None:
    site, before = built_site
    write_files(
        site,
        {
            B: front("title: x\ndate: 2024-02-30\n"),
            "content/briefings/2022-01-28-b.md": front('title: "open\ndate: 2022-01-28\n'),
            "content/briefings/2022-01-29-c.md": front("date: 2022-01-29\n"),
            "content/actors/x.md": actor("name: X\nslug: ../x\n"),
            "content/actors/y.md": actor("name: '!!!'\n"),
        },
    )
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    lines = err.splitlines()
    assert f"{B}:3: date '2024-02-30' is not a real day" in lines
    assert any(
        line.startswith("content/briefings/2022-01-28-b.md:3: invalid YAML") for line in lines
    )
    assert "content/briefings/2022-01-29-c.md:1: missing required key 'title'" in lines
    assert any(line.startswith("content/actors/x.md:3: slug '../x'") for line in lines)
    assert any(line.startswith("content/actors/y.md:2: name '!!!'") for line in lines)
    assert snapshot(site / "build") == before


NO_BRIEFINGS = (
    "content/briefings: warning: no briefings found: the site has no days "
    "(add one as YYYY-MM-DD-<slug>.md, or run sitegen ingest)"
)


@pytest.mark.parametrize("how", ["no content folder", "empty content folder", "no briefings"])
def test_a_site_without_briefings_builds_with_one_warning(make_site, how: str) -> None:
    """As Hugo warns of a site without pages: the build succeeds (the theme's pages and the
    actors), and one line says why the site has no days."""
    site = make_site()
    shutil.rmtree(site / "content/briefings")
    if how != "no briefings":
        shutil.rmtree(site / "content")
    if how == "empty content folder":
        (site / "content").mkdir()
    code, out, err = run_build(site)
    assert code == 0, err
    assert err.splitlines() == [NO_BRIEFINGS]
    assert out.rstrip().endswith(", 1 warning")
    assert (site / "build/index.html").is_file()
    code, out, err = run_build(site, "--strict")
    assert code == 1
    assert err.splitlines() == [NO_BRIEFINGS.replace("warning: ", "")]


NOT_A_FOLDER = "content: is not a folder (content/briefings/ holds the days)"
BROKEN = "content: broken symbolic link (to nowhere): remove it"


@pytest.mark.parametrize(
    ("make", "expected"),
    [(lambda path: path.write_text("x\n"), NOT_A_FOLDER),
     (lambda path: path.symlink_to("nowhere"), BROKEN)],
    ids=["a file", "a broken link"],
)  # fmt: skip
def test_a_content_that_is_not_a_folder_is_one_error(built_site, make, expected: str) -> None:
    """One line (before: one per folder expected inside it), and the output unchanged."""
    site, before = built_site
    shutil.rmtree(site / "content")
    make(site / "content")
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    assert err.splitlines() == [expected]
    assert snapshot(site / "build") == before


def test_a_build_that_finds_nothing_changed_shows_the_warnings_again(
    built_site, monkeypatch
) -> None:
    """A build that stops after the scan (nothing changed) shows the warnings of the build
    that made the output, once each, as Hugo shows them at every build; and --strict
    fails on them (before: no warning, and --strict built)."""
    from sitegen import changes

    site, _ = built_site
    write_files(
        site,
        {
            B: front("title: x\ndate: 2022-01-27\n", "Lead.\n\n## H\n\n[[Nobody]].\n"),
            "site.toml": (site / "site.toml").read_text() + '\ncolour = "red"\n',
        },
    )
    code, _, first = run_build(site)
    assert code == 0, first
    expected = [
        f"{B}:9: warning: [[Nobody]] is not in the actor registry (content/actors/)",
        f"site.toml:{len((site / 'site.toml').read_text().splitlines())}: warning: "
        "unknown key 'colour'",
    ]
    assert first.splitlines() == expected
    monkeypatch.setattr(changes, "RACY_NS", -(10**12))  # every stat is settled: no hashing
    code, out, again = run_build(site)
    assert code == 0, again
    assert "unchanged)" in out
    assert again.splitlines() == expected
    code, out, strict = run_build(site, "--strict")
    assert_clean_failure(site, code, out, strict)
    assert strict.splitlines() == [line.replace("warning: ", "") for line in expected]


def test_a_newline_in_a_file_name_stays_inside_its_one_line(built_site) -> None:
    """A briefing named with a space, an accent and a newline (any name a file system
    takes): its problem is still one line, the newline written as `\\n` (before: the line
    was cut in two, the second half looking like another path)."""
    site, before = built_site
    name = "content/briefings/2022-01-28-a b é\nc.md"
    write_files(site, {name: front("title: x\ndate: 2022-01-29\n")})
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    assert err.splitlines() == [
        "content/briefings/2022-01-28-a b é\\nc.md:3: date 2022-01-29 disagrees with the "
        "date in the file name (2022-01-28)"
    ]
    assert snapshot(site / "build") == before
    write_files(site, {name: front("title: x\ndate: 2022-01-28\n")})
    code, _, err = run_build(site)
    assert code == 0, err
    assert (site / "build/2022/01/28/index.html").is_file()


def test_a_clash_of_many_sources_names_the_first_few_and_counts_the_rest(built_site) -> None:
    """500 briefings on one URL were one line of 40 KB: every clash is still reported,
    each on its line, with its first sources and how many more."""
    site, before = built_site
    days = {"2022-01-27": 500, "2022-01-28": 3, "2022-01-29": 40}
    write_files(
        site,
        {
            f"content/briefings/{day}-b{i:03}.md": briefing_text(day, f"T{i}")
            for day, count in days.items()
            for i in range(count)
        },
    )
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    clashes = [line for line in err.splitlines() if "would write" in line]
    assert len(clashes) == 3 and len(err.splitlines()) == 3, err
    assert len(err) < 2000, err
    lines = [f"content/briefings/2022-01-27-b{i:03}.md:3" for i in range(5)]
    assert clashes[0] == (
        f"{lines[0]}: 501 pages would write /2022/01/27/: {', '.join(lines)} and 496 more "
        "(the permalink /{year}/{month}/{day}/ makes one page per day: merge them into one "
        "file, or add {slug} to [permalinks] briefing in site.toml)"
    )
    assert ": 3 pages would write /2022/01/28/: " in clashes[1] and " more" not in clashes[1]
    assert ": 40 pages would write /2022/01/29/: " in clashes[2] and " and 35 more (" in clashes[2]
    assert snapshot(site / "build") == before


@pytest.mark.parametrize("strict", [False, True])
def test_an_actor_file_that_cannot_be_read_is_one_error_not_one_warning_per_mention(
    built_site, strict: bool
) -> None:
    """Bad YAML in one actor file gave its error and then a warning for every mention of
    that actor (158 lines). The warnings it may cause are one line at the file until it reads."""
    site, before = built_site
    mentions = "Lead [[NATO]].\n\n## H\n\n[[NATO]] met. [[Nato|The alliance]] spoke. [[Nobody]].\n"
    days = [f"2022-02-{day:02}" for day in range(1, 21)]
    write_files(
        site,
        {
            "content/actors/nato.md": actor('name: NATO\nkind: "organization\n'),
            **{
                f"content/briefings/{day}-b.md": briefing_text(day, body=mentions, actors="[NATO]")
                for day in days
            },
        },
    )
    code, out, err = run_build(site, *(["--strict"] if strict else []))
    assert_clean_failure(site, code, out, err)
    error = "content/actors/nato.md:3: invalid YAML: found unexpected end of stream"
    held = (
        f"content/actors/nato.md: {'' if strict else 'warning: '}101 warnings about names "
        "not in the actor registry held back while this file cannot be read (they may be its "
        "actor's)"
    )  # 5 in each of 20 briefings, and the site's own [[NATO]]
    assert err.splitlines() == ([held, error] if strict else [error, held])
    assert snapshot(site / "build") == before
    write_files(site, {"content/actors/nato.md": NATO_ACTOR})
    code, out, err = run_build(site)
    assert code == 0 and "content/actors/nato.md" not in err
    assert len([line for line in err.splitlines() if "[[Nobody]]" in line]) == 20


@pytest.mark.parametrize("make", ["file", "fifo"])
def test_an_actor_registry_that_cannot_be_listed_holds_back_the_unknown_name_warnings(
    built_site, make: str
) -> None:
    """content/actors a file (or a named pipe in it) was one error, then one warning for
    every mention in every briefing: they are one line while the registry cannot be read."""
    site, before = built_site
    actors = site / "content" / "actors"
    days = [f"2022-02-{day:02}" for day in range(1, 6)]
    body = "Lead [[NATO]].\n\n## H\n\n[[Arvo Lind]] met.\n"  # Lind: maybe in pipe.md
    write_files(site, {f"content/briefings/{d}-b.md": briefing_text(d, body=body) for d in days})
    if make == "file":
        shutil.rmtree(actors)
        actors.write_text("a file where the registry goes")
        where, error = "content/actors", "content/actors: is not a folder"
    else:
        os.mkfifo(actors / "pipe.md")
        where = "content/actors/pipe.md"
        error = f"{where}: a named pipe (FIFO), not a regular file: remove it"
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    lines = err.splitlines()
    assert lines[0] == error and len(lines) == 2, err
    assert lines[1].startswith(f"{where}: warning: ") and " held back while " in lines[1]
    assert snapshot(site / "build") == before


def test_a_template_that_writes_a_lone_surrogate_is_one_error_at_it(built_site) -> None:
    """'{{ "\\ud800" }}' was a traceback (UnicodeEncodeError) where the page was encoded."""
    site, before = built_site
    write_files(site, {"templates/day.html": day_template("<main>{{ '\\ud800' }}</main>")})
    code, out, err = run_build(site)
    assert_clean_failure(site, code, out, err)
    assert err.splitlines()[0].startswith(
        "templates/day.html: writes '\\ud800', a lone surrogate, which UTF-8 cannot encode "
        "(while rendering /"
    )
    assert snapshot(site / "build") == before


def test_thousands_of_problems_in_one_file_are_twenty_lines_and_a_count(built_site) -> None:
    """50,000 unknown keys in one front matter were 50,000 lines (4 MB) of warnings."""
    site, _ = built_site
    keys = "".join(f"k{i}: v\n" for i in range(50_000))
    write_files(site, {B: front(f"title: x\ndate: 2022-01-27\n{keys}")})
    code, out, err = run_build(site)
    assert code == 0, err
    lines = err.splitlines()
    assert lines[:2] == [
        f"{B}:4: warning: unknown key 'k0' (ignored)",
        f"{B}:5: warning: unknown key 'k1' (ignored)",
    ]
    assert lines[20:] == [
        f"{B}: warning: 49,980 more problems in this file, not shown: fix those above first"
    ]
    assert out.rstrip().endswith(", 50,000 warnings"), out  # the count is of them all
