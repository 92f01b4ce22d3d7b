"""The example site (the repository root) built under a subpath: zero broken links, and
valid HTML5 by the W3C Nu checker."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from sitegen.build import BuildOptions, build
from tests.tools.linkcheck import _get, crawl, links_in, serve

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/briefings/"
PUBLIC = "https://example.github.io" + PREFIX


@pytest.fixture(scope="module")
def subpath_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "build"
    build(BuildOptions(ROOT, out, base_url=PUBLIC))
    return out


def test_example_site_has_no_broken_links_under_a_subpath(subpath_build: Path) -> None:
    with serve(subpath_build, PREFIX) as port:
        # from the home page and robots.txt: robots.txt -> sitemap.xml -> every page, and
        # every page -> feeds (and their entries' links), the search page and its scripts
        result = crawl(port, PREFIX, public_base=PUBLIC, also=("robots.txt",))
    assert result.broken == []
    html_files = list(subpath_build.rglob("*.html"))
    # every page but 404.html is reachable by following links from the home page
    assert result.pages == len(html_files) - 1
    local = f"http://127.0.0.1:{port}{PREFIX}"
    for path in (
        "feed.xml", "actors/sergei-lavrov/feed.xml", "sitemap.xml", "search/",
        "assets/search.js", "assets/actors.js",
    ):  # fmt: skip
        assert local + path in result.urls, path


def test_404_page_links_work_at_any_depth(subpath_build: Path) -> None:
    """GitHub Pages answers any missing URL with 404.html, at whatever depth it was asked."""
    with serve(subpath_build, PREFIX, not_found_page="404.html") as port:
        for missing in ("nope", "2022/01/99/", "actors/nobody/page/7/", "a/b/c/d/e.html"):
            url = f"http://127.0.0.1:{port}{PREFIX}{missing}"
            status, _, body = _get(port, urlsplit(url).path)
            assert status == 404
            html = body.decode("utf-8")
            links = [urljoin(url, link) for link in links_in(html) if not link.startswith("#")]
            assert len(links) >= 5
            for link in links:
                assert _get(port, urlsplit(link).path)[0] == 200, (missing, link)
            assert 'id="main"' in html  # the skip link's target, on the page itself


def test_link_checker_notices_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/briefings/missing/">x</a><a href="#nowhere">y</a><a href="/elsewhere/">z</a>'
    )
    with serve(tmp_path, PREFIX) as port:
        result = crawl(port, PREFIX)
    assert len(result.broken) == 3


def _vnu_jar() -> str | None:
    jar = os.environ.get("SITEGEN_VNU_JAR")
    if jar and Path(jar).is_file() and shutil.which("java"):
        return jar
    return None


def test_example_site_is_valid_html(subpath_build: Path) -> None:
    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("SITEGEN_REQUIRE_TOOLS"):
            pytest.fail("SITEGEN_VNU_JAR must point at vnu.jar (npm package vnu-jar) and java")
        pytest.skip("set SITEGEN_VNU_JAR to the Nu checker's vnu.jar to run this test")
    completed = subprocess.run(
        ["java", "-jar", jar, "--errors-only", "--skip-non-html", str(subpath_build)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
