"""Fuzzing the loader and renderer (issue 11): random bytes, random YAML front matter,
random Markdown bodies and random site.toml files, each built as part of a small site.

Every case must end with exit status 0 or 1, print nothing but `path[:line]: message` lines
on stderr (no traceback), leave well-formed feeds and sitemap when it builds, and finish
within CASE_SECONDS: each case is built in a forked child that is killed at that deadline
(a bound on hangs, not a speed test).

Profiles: SITEGEN_FUZZ=ci (the default) runs a modest number of examples per test;
SITEGEN_FUZZ=long runs many more, by hand:
    SITEGEN_FUZZ=long python -m pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import os
import re
import signal
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DEFAULT_FILES, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CASE_SECONDS = 30.0  # a case takes a fraction of a second; a loaded machine, many times that
PROFILES = {"ci": 15, "long": 1000}  # examples per test
FUZZ = settings(
    max_examples=PROFILES[os.environ.get("SITEGEN_FUZZ", "ci")],
    deadline=None,  # each case has its own deadline, below
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SITE_TOML = 'title = "Fuzz"\nbase_url = "https://example.org/"\n[search]\nenabled = false\n'
BRIEFING_PATH = "content/briefings/2022-01-27-fuzz.md"
DIAGNOSTIC_LINE = re.compile(r"^[^\s:][^:]*(?::\d+)?: \S")
FRONT = '---\ntitle: "Fuzz"\ndate: 2022-01-27\n---\n'

# Pieces of each language, mixed with arbitrary characters (controls, astral, surrogates
# cannot be written as UTF-8 and so are left to the bytes test).
MARKDOWN = [
    *"[]()!<>*_`\\&#-|\"' \n\t:/@=~^{}.+%;?", "\n\n", "    ", "> ", "- ", "1. ", "## ", "# ",
    "[[NATO]]", "[[Sergei Lavrov|Lavrov]]", "[[Nobody]]", "[x](http://e.org)", "![i](x.png)",
    "[^1]", "[^1]: note", "<b>", "</b>", "<script>", "<!--", "-->", "<![CDATA[", "&amp;",
    "&#27;", "```", "~~~", "---", "***", "{#anchor}", "http://", "| a | b |\n|---|---|\n",
    "\u00e9", "\u2028", "\ufeff", "\x00", "\x1b", "\x0b", "word ", "Word. ",
]  # fmt: skip
YAML = [
    *"abc:-[]{}'\"&*!|>#%@`,? \n\t0123456789.\\", "title: ", "date: ", "2022-01-27", "2022-02-30",
    "summary: ", "actors: ", "\n- ", "quotes:\n  - actor: NATO\n    text: ", "credits: ",
    "draft: ", "yes", "NO", "null", "~", "!!python/object:os.system", "!!binary", "&a ", "*a",
    "<<: ", "---", "...", "\"\\x01\"", "\"\\e\"", "'", "%YAML 1.1\n", "\ufeff", "\x1b",
]  # fmt: skip
TOML = [
    *'abc=[]{}."#\n\t 0123456789-:,\\\'', "title = ", "base_url = ", '"https://x.org/"',
    '"javascript:x"', "timezone = ", '"UTC"', '"Mars/X"', "[paths]\n", "[markdown]\n",
    "extensions = ", '["smarty", "nl2br", "footnotes", "abbr", "def_list"]', "[pagination]\n",
    "actor_days = ", "0", "-1", "[permalinks]\n", 'briefing = "/{slug}/"', '"\\u0001"',
    "[search]\nenabled = false\n", "true",
]  # fmt: skip


def pieces(alphabet: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(st.sampled_from(alphabet), st.text(max_size=3)), max_size=max_size
    ).map("".join)


def build_case(files: dict[str, str | bytes]) -> None:
    """Build a small site with `files` in a forked child; assert how it ended."""
    with tempfile.TemporaryDirectory(prefix="sitegen-fuzz-") as folder:
        site = Path(folder) / "site"
        write_files(site, {**DEFAULT_FILES, "site.toml": SITE_TOML, **files})
        code, err = _build_in_child(site, Path(folder) / "stderr")
        assert code in (0, 1), f"exit status {code}:\n{err}"
        assert "Traceback" not in err, err
        lines = err.splitlines()
        assert all(DIAGNOSTIC_LINE.match(line) for line in lines), err
        if code == 1:
            assert lines, "a failure must say why"
        else:
            for name in ("feed.xml", "sitemap.xml"):
                ET.parse(site / "build" / name)  # well-formed, whatever the content held


def _build_in_child(site: Path, err_path: Path) -> tuple[int, str]:
    pid = os.fork()
    if pid == 0:  # the child: the CLI as `sitegen build` runs it, stderr to a file
        code = 3
        try:
            os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - (pytest's are elsewhere)
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            code = _cli_exit_code(["build", "--site", str(site), "--jobs", "1", "--no-cache"])
        except BaseException:  # a traceback: the test reports it
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + CASE_SECONDS
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), err_path.read_text(errors="replace")
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the case took more than {CASE_SECONDS:.0f} s (killed)")


def _cli_exit_code(args: list[str]) -> int:
    import click

    from sitegen.cli import main

    try:
        return main(args, standalone_mode=False) or 0  # SitegenError: 1, returned
    except click.ClickException as error:
        return error.exit_code


@FUZZ
@given(data=st.binary(max_size=3000), with_front=st.booleans())
def test_random_bytes_as_a_briefing(data: bytes, with_front: bool) -> None:
    build_case({BRIEFING_PATH: (FRONT.encode() + data) if with_front else data})


@FUZZ
@given(data=st.binary(max_size=1000), where=st.sampled_from(["content/actors/x.md", "site.toml"]))
def test_random_bytes_as_an_actor_or_site_toml(data: bytes, where: str) -> None:
    build_case({where: data})


@FUZZ
@given(yaml=pieces(YAML, 60), actor=st.booleans())
def test_random_yaml_front_matter(yaml: str, actor: bool) -> None:
    if actor:
        build_case({"content/actors/fuzz.md": f"---\nname: Fuzz\n{yaml}\n---\nA profile.\n"})
    else:
        build_case({BRIEFING_PATH: f"---\n{yaml}\n---\nThe lead.\n\n## Items\n\n[[NATO]] met.\n"})


@FUZZ
@given(body=pieces(MARKDOWN, 300), extensions=st.booleans(), actor=st.booleans())
def test_random_markdown_bodies(body: str, extensions: bool, actor: bool) -> None:
    toml = SITE_TOML
    if extensions:  # every extension on: Python-Markdown's slower paths
        everything = '["tables", "fenced_code", "sane_lists", "footnotes", "def_list", "abbr", '
        toml += f'[markdown]\nextensions = {everything}"smarty", "nl2br"]\n'
    where, text = (
        ("content/actors/fuzz.md", f"---\nname: Fuzz\n---\n{body}")
        if actor
        else (BRIEFING_PATH, FRONT + body)
    )
    build_case({"site.toml": toml, where: text})


@FUZZ
@given(toml=pieces(TOML, 40))
def test_random_site_toml(toml: str) -> None:
    build_case({"site.toml": toml})
