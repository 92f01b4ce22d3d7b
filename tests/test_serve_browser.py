"""The live preview in a real browser: Debian's chromium through Playwright (never a
downloaded browser). Skipped without /usr/bin/chromium unless SITEGEN_REQUIRE_BROWSER=1."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_serve import BRIEF, edit, running, save, site, without_search  # noqa: F401 (site: fixture)

if TYPE_CHECKING:
    from playwright.sync_api import Page


pytestmark = pytest.mark.browser

# A bound on a hang, not a timing: a save's rebuild and the page's reload took over 3 s on
# a loaded machine.
WAIT_MS = 30_000


def test_the_page_follows_each_save_and_shows_errors_until_fixed(
    site: Path,  # noqa: F811
    page: Page,
) -> None:
    with running(without_search(site)) as server:
        page.goto(server.url + "2022/01/31/")
        page.wait_for_selector("text=said on Monday")

        # A save shows up without touching the browser.
        edit(site / BRIEF, "said on Monday", "said on Wednesday")
        page.wait_for_selector("text=said on Wednesday", timeout=WAIT_MS)

        # A broken template: the page stays, with the error over it.
        footer = site / "templates/footer.html"
        good = footer.read_text()
        save(footer, good.replace("urls.archive()", "urls.archive("))
        overlay = page.wait_for_selector("#sitegen-errors", timeout=WAIT_MS)
        assert "templates/footer.html:1: " in overlay.inner_text()
        assert page.is_visible("text=said on Wednesday")

        # Fixed: the overlay goes, the page is there.
        save(footer, good)
        page.wait_for_selector("#sitegen-errors", state="detached", timeout=WAIT_MS)
        assert page.is_visible("text=said on Wednesday")
