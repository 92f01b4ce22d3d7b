"""Untrusted text: no script, event handler or javascript: URL reaches the site, text is never
run as a template, and no output path leaves the output folder."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import html_files, run_build, snapshot

B = "content/briefings/2022-01-27-brief.md"

HOSTILE_BODY = """\
Lead <script>alert(1)</script> with {{ 7*7 }} and {% raw %}raw{% endraw %} text.

<script>alert(2)</script>

<img src=x onerror=alert(1)>

<svg onload=alert(1)><circle r="1"/></svg>

<iframe src="https://evil.example/"></iframe>

<style>body { display: none }</style>

<a href="javascript:alert(3)">a</a> <a href="JaVaScRiPt:alert(3)">b</a>
<a href="java&#x09;script:alert(3)">c</a> <a href=" javascript:alert(3)">d</a>
<img src="data:text/html;base64,PHNjcmlwdD4=">

## What you need to know

[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](java\tscript:alert(1))
[w](&#106;avascript:alert(1)) ![i](javascript:alert(1)) <javascript:alert(1)>

[[NATO|<b onclick="alert(1)">NATO</b>]] said {{ 7*7 }} and {% raw %}.

`<script>alert(1)</script>` in code, and [a reference][evil].

[evil]: javascript:alert(1)
"""

HOSTILE_BRIEFING = f"""\
---
title: "<script>alert(1)</script> {{{{ 7*7 }}}} {{% raw %}}"
date: 2022-01-27
summary: "<script>alert(1)</script> {{{{ 7*7 }}}}"
quotes:
  - actor: NATO
    text: "<script>alert(1)</script> {{{{ 7*7 }}}}"
credits: ["<script>alert(1)</script>"]
---
{HOSTILE_BODY}"""

HOSTILE_ACTOR = """\
---
name: "<b>Bold</b> {{ 7*7 }}"
slug: bold
role: "<script>alert(1)</script>"
aliases: ["<i>alias</i>"]
---
Profile <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)).
"""

DANGEROUS_TAGS = {"script", "iframe", "style", "object", "embed", "frame", "base"}
# The site's own scripts, the only ones allowed: JSON-LD data blocks (no "<" inside, so no
# text can end them early) and the search page's scripts, from the site's own files.
OWN_SCRIPT = re.compile(
    r'<script type="application/ld\+json">[^<]*</script>'
    r'|<script src="/assets/(?:search\.js" type="module"|actors\.js" defer)></script>'
)
# Pagefind's program files (the same for every site, no content in them) are not scanned.
THIRD_PARTY = re.compile(r"^pagefind/[^/]+\.(?:js|css)$")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}


class _Elements(HTMLParser):
    """Every real element (not escaped text) with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe_markup(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(OWN_SCRIPT.sub("", html))
    problems = []
    for tag, attrs in parser.found:
        if tag in DANGEROUS_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=>")
            plain = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name in URL_ATTRIBUTES and plain.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


@pytest.fixture
def hostile_site(make_site) -> Path:
    site = make_site({B: HOSTILE_BRIEFING, "content/actors/bold.md": HOSTILE_ACTOR})
    code, out, err = run_build(site)
    assert code == 0, err
    assert "Traceback" not in out + err
    return site


def test_no_script_handler_or_javascript_url_in_any_output_file(hostile_site: Path) -> None:
    built = snapshot(hostile_site / "build")
    assert len(built) > 5
    for name, data in built.items():
        if THIRD_PARTY.match(name):
            continue
        text = OWN_SCRIPT.sub("", data.decode("utf-8", errors="replace")).lower()
        for needle in ("<script", "onerror=", "onload=", "javascript:", "<iframe", "<style"):
            assert needle not in text, f"{needle} in {name}"


def test_no_dangerous_element_or_attribute_in_any_page(hostile_site: Path) -> None:
    for name, html in html_files(hostile_site / "build").items():
        assert unsafe_markup(html) == [], name


def test_hostile_titles_stay_data_inside_json_ld(hostile_site: Path) -> None:
    pages = html_files(hostile_site / "build")
    day = pages["2022/01/27/index.html"]
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', day, re.S)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["headline"] == "<script>alert(1)</script> {{ 7*7 }} {% raw %}"
    actor = pages["actors/bold/index.html"]
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', actor, re.S)
    assert json.loads(block)["mainEntity"]["name"] == "<b>Bold</b> {{ 7*7 }}"


def test_the_checker_itself_catches_unsafe_markup() -> None:
    assert unsafe_markup('<p onclick="x">') == ["<p onclick=>"]
    broken_out = '<script type="application/ld+json">{"a": "</script><script>x</script>"}'
    assert unsafe_markup(broken_out) == ["<script>"]
    assert unsafe_markup('<script src="/elsewhere.js" defer></script>') == ["<script>"]
    assert unsafe_markup('<a href=" java\tscript:x">') == ["<a href=' java\\tscript:x'>"]
    assert unsafe_markup("<script>x</script>") == ["<script>"]
    assert unsafe_markup("<p>&lt;script&gt; onerror=</p>") == []


def test_hostile_text_is_shown_escaped(hostile_site: Path) -> None:
    day = (hostile_site / "build/2022/01/27/index.html").read_text(encoding="utf-8")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %}</h1>" in day
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</code>" in day  # the code span
    shown = '&lt;b onclick="alert(1)"&gt;NATO&lt;/b&gt;'
    assert f'<a href="/actors/nato/" class="actor-link">{shown}</a>' in day
    actor = (hostile_site / "build/actors/bold/index.html").read_text(encoding="utf-8")
    assert '<h1 data-pagefind-weight="10">&lt;b&gt;Bold&lt;/b&gt; {{ 7*7 }}</h1>' in actor
    assert "<b>Bold" not in actor


def test_text_is_never_run_as_a_template(hostile_site: Path) -> None:
    pages = html_files(hostile_site / "build")
    day = pages["2022/01/27/index.html"]
    assert day.count("{{ 7*7 }}") >= 4  # title, summary, lead, item, quote
    assert "{% raw %}raw{% endraw %}" in day
    assert "49" not in day
    assert "{{ 7*7 }}" in pages["actors/bold/index.html"]
    assert "49" not in pages["actors/bold/index.html"]


def test_unsafe_actor_image_and_link_urls_are_errors(make_site) -> None:
    site = make_site(
        {
            "content/actors/x.md": "---\nname: X\nimage: 'javascript://x%0aalert(1)'\n"
            "links:\n  - title: t\n    url: 'javascript:alert(1)'\n---\n",
        }
    )
    code, out, err = run_build(site)
    assert code == 1, out
    lines = err.splitlines()
    assert (
        "content/actors/x.md:3: image 'javascript://x%0aalert(1)' must be a path under static/ "
        "or an http(s) URL" in lines
    )
    assert "content/actors/x.md:6: links: 'javascript:alert(1)' must be an http(s) URL" in lines
    assert not (site / "build").exists()


@pytest.mark.parametrize(
    ("permalink", "message"),
    [
        ("/../{slug}/", "permalinks.briefing must not contain '..'"),
        ("/{year}/../../{day}/", "permalinks.briefing must not contain '..'"),
        ("{slug}/", "permalinks.briefing must start and end with '/', not '{slug}/'"),
    ],
)
def test_permalinks_cannot_leave_the_output_folder(make_site, permalink, message) -> None:
    toml = f'base_url = "https://example.org/"\n\n[permalinks]\nbriefing = "{permalink}"\n'
    site = make_site({"site.toml": toml})
    code, out, err = run_build(site)
    assert code == 1, out
    assert f"site.toml:4: {message}" in err.splitlines()
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert not (site / "build").exists()


def test_a_briefing_slug_cannot_leave_the_output_folder(make_site) -> None:
    toml = 'base_url = "https://example.org/"\n[permalinks]\nbriefing = "/{slug}/"\n'
    brief = '---\ntitle: x\ndate: 2022-01-27\nslug: "../../escape"\n---\nLead.\n'
    site = make_site({"site.toml": toml, B: brief})
    code, out, err = run_build(site)
    assert code == 1, out
    assert f"{B}:4: slug '../../escape' must not contain '/', '\\' or '..'" in err.splitlines()
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
