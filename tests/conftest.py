"""Shared fixtures: a minimal valid site on disk, and a way to run `sitegen build` on it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from sitegen.cli import main

# `from tests.tools... import` works under `python -m pytest` (the current folder is on the
# path) but not under plain `pytest`; put the repository root on the path for both.
REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

# Hypothesis judges each example by the clock unless told otherwise: 200 ms (its deadline)
# and a health check that fails a test whose examples are slow to make. A loaded machine
# passes both, and an example that took 0.3 s there failed as 'DeadlineExceeded'. No
# property here is about speed; the tests that could hang bound that themselves (fuzz).
settings.register_profile("sitegen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sitegen")

SiteFiles = Mapping[str, str | bytes | None]

SITE_TOML = 'title = "Test Briefings"\nbase_url = "https://example.org/"\n'

BRIEFING = """\
---
title: "Jan. 27: What you need to know today"
date: 2022-01-27
summary: "Moscow says the answers leave its main demand unmet."
---
High-stakes talks between Russia and the West have so far failed.

## Jan. 27: What you need to know today

The U.S. and [[NATO]] delivered their written responses to Moscow.

[[Sergei Lavrov|Lavrov]] said there was no positive response to the main question.
"""

LAVROV = """\
---
name: Sergei Lavrov
kind: person
role: Russian Foreign Minister
aliases: [Lavrov]
---
Russia's foreign minister since 2004.
"""

NATO = """\
---
name: NATO
kind: organization
---
The North Atlantic Treaty Organization.
"""

DEFAULT_FILES: dict[str, str] = {
    "site.toml": SITE_TOML,
    "content/briefings/2022-01-27-brief.md": BRIEFING,
    "content/actors/sergei-lavrov.md": LAVROV,
    "content/actors/nato.md": NATO,
}


def briefing_text(date: str, title: str = "A day", body: str = "", **front: str) -> str:
    """A valid briefing for `date` with a lead and one item (or the given body)."""
    extra = "".join(f"{key}: {value}\n" for key, value in front.items())
    body = body or "The lead.\n\n## What you need to know\n\n[[NATO]] met.\n"
    return f'---\ntitle: "{title}"\ndate: {date}\n{extra}---\n{body}'


def write_files(root: Path, files: SiteFiles) -> None:
    """Write (text or bytes) or, for None, delete files under root."""
    for relative, content in files.items():
        path = root / relative
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site(files=None, name="site") -> the site folder. `files` overrides or adds
    files of the minimal site (path -> text or bytes; None removes a default file)."""

    def make(files: SiteFiles | None = None, name: str = "site") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        write_files(root, {**DEFAULT_FILES, **(files or {})})
        return root

    return make


def run_build(site: Path, *args: str) -> tuple[int, str, str]:
    """`sitegen build --site SITE ARGS` in process: (exit code, stdout, stderr).

    Click 8.2+ keeps stdout and stderr apart (`mix_stderr` is gone). Exceptions are not
    caught, so a crash fails the test with its traceback instead of passing as exit 1.
    """
    runner = CliRunner(catch_exceptions=False)
    result = runner.invoke(main, ["build", "--site", str(site), *args])
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (relative path -> bytes)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def html_files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*.html"))
    }


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def page() -> Iterator[Any]:
    """A Playwright page in Debian's headless chromium (never a downloaded browser). Skips
    when chromium is missing, unless SITEGEN_REQUIRE_BROWSER=1 (CI), where that fails."""
    if not CHROMIUM.exists():
        if os.environ.get("SITEGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and SITEGEN_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()
