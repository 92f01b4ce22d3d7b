"""What a public site needs: Atom feeds, sitemap.xml, robots.txt, and each page's title,
description, canonical URL, OpenGraph/Twitter tags and JSON-LD structured data."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from sitegen.build import BuildOptions, build

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
BASE = "https://example.github.io/briefings/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DAY_PAGES = ["2022/01/31/index.html", "2022/02/01/index.html", "2022/02/02/index.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden site with its own robots.txt removed (so the generated one is used)."""
    root = tmp_path_factory.mktemp("publishing") / "site"
    shutil.copytree(GOLDEN_SITE, root, ignore=shutil.ignore_patterns(".sitegen-cache", "static"))
    return root


@pytest.fixture(scope="module")
def out(site: Path) -> Path:
    folder = site.parent / "build"
    build(BuildOptions(site, folder, base_url=BASE, jobs=1, no_cache=True))
    return folder


def html_pages(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))


def page_url(relative: str) -> str:
    """The public URL of an output file."""
    return BASE + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


# --------------------------------------------------------------------------- feeds


def feeds(out: Path) -> list[Path]:
    return [out / "feed.xml", *sorted((out / "actors").glob("*/feed.xml"))]


def test_every_feed_parses_without_errors_and_has_the_required_atom_elements(out: Path) -> None:
    assert len(feeds(out)) == 5  # the site's and one per actor (four actors)
    for path in feeds(out):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        feed = parsed.feed
        assert feed.id and feed.title and feed.author
        assert RFC3339.match(feed.updated), feed.updated
        assert feed.link.startswith(BASE)
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.author
            assert RFC3339.match(entry.updated), entry.updated
            assert entry.link.startswith(BASE)
        # feedparser forgives; the raw XML must have them too (RFC 4287, section 4.1)
        root = ET.fromstring(path.read_bytes())
        for name in ("id", "title", "updated", "author/" + ATOM + "name"):
            assert root.find(ATOM + name) is not None, (path, name)
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == page_url(
            str(path.relative_to(out))
        )
        for entry in root.iter(ATOM + "entry"):
            for name in ("id", "title", "updated", "link", "author", "content"):
                assert entry.find(ATOM + name) is not None, (path, name)


def test_the_site_feed_has_the_latest_days_in_full_newest_first(out: Path) -> None:
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert parsed.feed.title == "Golden Briefing"
    assert [e.link for e in parsed.entries] == [
        BASE + "2022/02/02/",
        BASE + "2022/02/01/",
        BASE + "2022/01/31/",
    ]
    jan31 = parsed.entries[2]
    assert jan31.summary == "The harbour strike enters its second week."
    content = jan31.content[0].value
    assert "Harbour Minister Ada Quill" in content and "Wire services contributed" in content
    assert "We will not be rushed" in content  # the quotes too
    # links in the content are absolute: mentions, item anchors
    assert f'href="{BASE}actors/ada-quill/"' in content
    assert f'href="{BASE}2022/01/31/#item-1"' in content
    assert 'href="/' not in content and 'href="#' not in content
    assert {t.term for t in jan31.tags} == {"northland", "harbour-board", "ada-quill"}


def test_an_actor_feed_has_the_days_that_mention_them(out: Path) -> None:
    parsed = feedparser.parse((out / "actors/ada-quill/feed.xml").read_bytes())
    assert parsed.feed.title == "Ada Quill · Golden Briefing"
    assert parsed.feed.link == BASE + "actors/ada-quill/"
    assert len(parsed.entries) == 3
    contents = [e.content[0].value for e in parsed.entries]
    assert "thanked the workers" in contents[0]
    assert "The first ferry left" not in contents[0]  # items without her are left out
    assert "We will not be rushed" in contents[2]
    empty = feedparser.parse((out / "actors/silent-partner/feed.xml").read_bytes())
    assert not empty.bozo and empty.entries == []


def test_feed_ids_are_unique_and_stable_across_permalink_changes(
    site: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    build(BuildOptions(site, first, base_url=BASE, jobs=1, no_cache=True))
    moved = tmp_path / "moved-site"
    shutil.copytree(site, moved)
    with (moved / "site.toml").open("a") as toml:
        toml.write('\n[permalinks]\nbriefing = "/days/{year}-{month}-{day}/"\n')
    second = tmp_path / "second"
    build(BuildOptions(moved, second, base_url=BASE, jobs=1, no_cache=True))
    ids = []
    for path in feeds(first):
        before = [e.id for e in feedparser.parse(path.read_bytes()).entries]
        after_path = second / path.relative_to(first)
        after = feedparser.parse(after_path.read_bytes()).entries
        assert [e.id for e in after] == before  # same ids...
        assert all("/days/" in e.link for e in after)  # ...though the links moved
        ids += before
    assert len(ids) == len(set(ids))
    assert all(i.startswith("tag:example.github.io,2022-") for i in ids)


def test_feeds_days_setting_limits_the_entries(site: Path, tmp_path: Path) -> None:
    limited = tmp_path / "site"
    shutil.copytree(site, limited)
    with (limited / "site.toml").open("a") as toml:
        toml.write("\n[feeds]\ndays = 1\n")
    build(BuildOptions(limited, tmp_path / "out", jobs=1, no_cache=True))
    parsed = feedparser.parse((tmp_path / "out/feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["Feb. 2: What you need to know today"]
    actor = feedparser.parse((tmp_path / "out/actors/ada-quill/feed.xml").read_bytes())
    assert len(actor.entries) == 1


def test_every_page_links_its_feeds_in_the_head(out: Path) -> None:
    for relative in html_pages(out):
        head = (out / relative).read_text().split("</head>")[0]
        assert (
            '<link rel="alternate" type="application/atom+xml" title="Golden Briefing" '
            'href="/briefings/feed.xml">' in head
        ), relative
    actor = (out / "actors/ada-quill/index.html").read_text()
    assert 'href="/briefings/actors/ada-quill/feed.xml"' in actor.split("</head>")[0]


# --------------------------------------------------------------------------- sitemap, robots


def test_sitemap_lists_every_html_page_with_its_lastmod(out: Path) -> None:
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    assert root.tag == SITEMAP + "urlset"
    listed = {
        url.findtext(SITEMAP + "loc"): url.findtext(SITEMAP + "lastmod")
        for url in root.iter(SITEMAP + "url")
    }
    expected = {page_url(p) for p in html_pages(out) if p != "404.html"}
    assert set(listed) == expected
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod or "") for lastmod in listed.values())
    # the date of the newest briefing each page shows, never the build time
    assert listed[BASE + "2022/01/31/"] == "2022-01-31"
    assert listed[BASE + "2022/01/"] == "2022-01-31"
    assert listed[BASE] == "2022-02-02"
    assert listed[BASE + "actors/ada-quill/"] == "2022-02-02"
    assert listed[BASE + "actors/ada-quill/page/2/"] == "2022-01-31"  # older days
    assert listed[BASE + "actors/harbour-board/"] == "2022-02-01"


def _sitemap_urls(path: Path) -> list[tuple[str | None, str | None]]:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == SITEMAP + "urlset"
    return [(u.findtext(SITEMAP + "loc"), u.findtext(SITEMAP + "lastmod")) for u in root]


def test_a_sitemap_over_the_protocols_limit_is_split_and_named_by_an_index(
    site: Path, out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search engines take at most 50,000 URLs per sitemap file (100,000 days are more):
    above the limit, sitemap.xml is an index of parts that together list every page once,
    in the same order, and each part's lastmod in the index is the newest of its pages."""
    monkeypatch.setattr("sitegen.routes.SITEMAP_URLS", 7)
    split = tmp_path / "split"
    build(BuildOptions(site, split, base_url=BASE, jobs=1, no_cache=True))
    index = ET.fromstring((split / "sitemap.xml").read_bytes())
    assert index.tag == SITEMAP + "sitemapindex"
    entries = [(s.findtext(SITEMAP + "loc"), s.findtext(SITEMAP + "lastmod")) for s in index]
    whole = _sitemap_urls(out / "sitemap.xml")  # the same site in one sitemap
    assert [loc for loc, _ in entries] == [
        f"{BASE}sitemap-{n}.xml" for n in range(1, -(-len(whole) // 7) + 1)
    ]
    parts = [_sitemap_urls(split / f"sitemap-{n}.xml") for n in range(1, len(entries) + 1)]
    assert all(0 < len(part) <= 7 for part in parts)
    assert [url for part in parts for url in part] == whole
    assert [lastmod for _, lastmod in entries] == [max(d for _, d in part) for part in parts]
    assert f"Sitemap: {BASE}sitemap.xml" in (split / "robots.txt").read_text().splitlines()


def test_the_parts_of_a_split_sitemap_go_when_the_site_fits_one_again(
    site: Path, out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deleted day takes the site back under the limit: the next (incremental) build
    writes one sitemap again and deletes the parts, as a clean build would have it."""
    own = tmp_path / "site"
    shutil.copytree(site, own)
    listed = len(_sitemap_urls(out / "sitemap.xml"))
    monkeypatch.setattr("sitegen.routes.SITEMAP_URLS", listed - 1)
    built = tmp_path / "out"
    build(BuildOptions(own, built, base_url=BASE, jobs=1))
    assert sorted(p.name for p in built.glob("sitemap*.xml")) == [
        "sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"
    ]  # fmt: skip
    (own / "content/briefings/2022-01-31-what-you-need-to-know.md").unlink()
    build(BuildOptions(own, built, base_url=BASE, jobs=1))
    assert [p.name for p in built.glob("sitemap*.xml")] == ["sitemap.xml"]
    clean = tmp_path / "clean"
    build(BuildOptions(own, clean, base_url=BASE, jobs=1, no_cache=True))
    assert (built / "sitemap.xml").read_bytes() == (clean / "sitemap.xml").read_bytes()
    assert ET.fromstring((clean / "sitemap.xml").read_bytes()).tag == SITEMAP + "urlset"


def test_robots_txt_points_at_the_sitemap(out: Path) -> None:
    text = (out / "robots.txt").read_text()
    assert text.splitlines()[0] == "User-agent: *"
    assert f"Sitemap: {BASE}sitemap.xml" in text.splitlines()


def test_a_robots_txt_in_static_wins_and_its_removal_brings_the_generated_one_back(
    site: Path, tmp_path: Path
) -> None:
    own = tmp_path / "site"
    shutil.copytree(site, own)
    (own / "static").mkdir()
    (own / "static/robots.txt").write_text("User-agent: *\nDisallow: /\n")
    out = tmp_path / "out"
    build(BuildOptions(own, out, jobs=1))
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    build(BuildOptions(own, out, jobs=1))  # cached: still the static one
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    (own / "static/robots.txt").unlink()
    build(BuildOptions(own, out, jobs=1))
    assert "Sitemap: https://example.org/golden/sitemap.xml" in (out / "robots.txt").read_text()


# --------------------------------------------------------------------------- page metadata


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.title = ""
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in values or "property" in values):
            self.meta[values.get("name") or values["property"]] = values.get("content", "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.links["canonical"] = values["href"]
        elif tag == "title" or (tag == "script" and values.get("type") == "application/ld+json"):
            self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def head_of(out: Path, relative: str) -> _Head:
    parser = _Head()
    parser.feed((out / relative).read_text())
    return parser


def test_every_page_has_title_description_canonical_opengraph_and_twitter_tags(out: Path) -> None:
    for relative in html_pages(out):
        head = head_of(out, relative)
        assert head.title.strip(), relative
        canonical = head.links["canonical"]
        assert canonical == page_url(relative), relative
        for name in ("description", "og:title", "og:description", "og:type", "og:site_name",
                     "twitter:card", "twitter:title", "twitter:description"):  # fmt: skip
            assert head.meta.get(name, "").strip(), (relative, name)
        assert head.meta["og:url"] == canonical
        assert head.meta["og:description"] == head.meta["description"]
    day = head_of(out, "2022/01/31/index.html")
    assert day.meta["og:type"] == "article"
    assert day.meta["og:title"] == "Jan. 31: What you need to know today · Jan 31, 2022"
    assert day.meta["article:published_time"] == "2022-01-31T00:00:00+00:00"
    assert head_of(out, "actors/ada-quill/index.html").meta["og:type"] == "profile"


def test_day_pages_carry_a_news_article(out: Path) -> None:
    for relative in DAY_PAGES:
        [block] = head_of(out, relative).json_ld
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        # what Google's Article structured data asks for
        assert data["headline"] and len(data["headline"]) <= 110
        for key in ("datePublished", "dateModified"):
            assert RFC3339.match(data[key]), data[key]
        [author] = data["author"]
        assert author["@type"] in ("Person", "Organization") and author["name"]
        assert author["url"] == BASE
        assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"]
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": page_url(relative)}
    data = json.loads(head_of(out, "2022/01/31/index.html").json_ld[0])
    assert data["headline"] == "Jan. 31: What you need to know today"
    assert data["datePublished"] == "2022-01-31T00:00:00+00:00"
    assert data["description"] == "The harbour strike enters its second week."
    assert {m["name"] for m in data["mentions"]} == {"Northland", "Harbour Board", "Ada Quill"}


def test_actor_pages_carry_a_profile_page(out: Path) -> None:
    data = json.loads(head_of(out, "actors/ada-quill/index.html").json_ld[0])
    assert data["@type"] == "ProfilePage"
    assert data["dateModified"] == "2022-02-02T00:00:00+00:00"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Ada Quill"
    assert person["description"] == "Harbour Minister"
    assert person["alternateName"] == ["Quill"]
    assert person["sameAs"] == ["https://example.org/quill"]
    assert person["url"] == BASE + "actors/ada-quill/"
    board = json.loads(head_of(out, "actors/harbour-board/index.html").json_ld[0])
    assert board["mainEntity"]["@type"] == "Organization"
    assert board["mainEntity"]["name"] == "Harbour Board"
    for relative in html_pages(out):
        if relative.startswith("actors/") and relative != "actors/index.html":
            [block] = head_of(out, relative).json_ld
            assert json.loads(block)["mainEntity"]["name"]


def test_other_pages_carry_no_structured_data(out: Path) -> None:
    for relative in ("index.html", "archive/index.html", "actors/index.html", "404.html"):
        assert head_of(out, relative).json_ld == []
