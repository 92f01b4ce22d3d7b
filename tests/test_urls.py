"""urls.py: slugs, the URL scheme, and URLs to output files (never outside the output)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.urls import Urls, collision_key, slug_problem, slugify, url_to_file


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),
        ("Sergei Lavrov", "sergei-lavrov"),
        ("NATO", "nato"),
        ("Zoë", "zoe"),
        ("Zoe\u0308", "zoe"),
        ("Volodymyr Zelensky's office", "volodymyr-zelensky-s-office"),
        ("  U.S. State   Department  ", "u-s-state-department"),
        ("what-you-need-to-know", "what-you-need-to-know"),
        ("already--double", "already-double"),
        ("trailing-", "trailing"),
        ("!!!", ""),
        ("", ""),
        ("---", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_is_short() -> None:
    slug = slugify("word " * 40)
    assert 0 < len(slug) <= 80
    assert not slug.endswith("-")


@pytest.mark.parametrize("slug", ["nato", "sergei-lavrov", "g7", "2022-summit"])
def test_good_slugs(slug: str) -> None:
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("../x", "slug '../x' must not contain '/', '\\' or '..'"),
        ("/etc/x", "slug '/etc/x' must not contain '/', '\\' or '..'"),
        ("a\\b", "slug 'a\\\\b' must not contain '/', '\\' or '..'"),
        ("..", "slug '..' must not contain '/', '\\' or '..'"),
        (
            "Big Name",
            "slug 'Big Name' must be lower-case letters, digits and hyphens (try 'big-name')",
        ),
        ("-x", "slug '-x' must be lower-case letters, digits and hyphens (try 'x')"),
        # (nothing to try: it said "(try '')")
        (
            "-",
            "slug '-' must be lower-case letters, digits and hyphens (start with a letter or "
            "digit)",
        ),
        (
            "!!!",
            "slug '!!!' must be lower-case letters, digits and hyphens (start with a letter "
            "or digit)",
        ),
    ],
)
def test_bad_slugs(slug: str, message: str) -> None:
    assert slug_problem(slug) == message


@pytest.mark.parametrize(
    ("url", "output"),
    [
        ("", "index.html"),
        ("2022/01/27/", "2022/01/27/index.html"),
        ("actors/nato/page/2/", "actors/nato/page/2/index.html"),
        ("404.html", "404.html"),
    ],
)
def test_url_to_file(url: str, output: str) -> None:
    assert url_to_file(url) == output


@pytest.mark.parametrize(
    "url",
    [
        "../x/",
        "a/../../x/",
        "a/../b/",
        "/etc/x/",
        "a//b/",
        "./a/",
        "a\\..\\b/",
        "a\x00b/",
        "..",
    ],
)
def test_url_to_file_rejects_paths_that_leave_or_bend(url: str) -> None:
    assert url_to_file(url) is None


def test_collision_key_folds_case_and_unicode_form() -> None:
    assert collision_key("actors/NATO/index.html") == collision_key("actors/nato/index.html")
    assert collision_key("actors/Zo\u00eb/") == collision_key("actors/Zoe\u0308/")
    assert collision_key("actors/ﬁ/") == collision_key("actors/fi/")  # NFKC ligature
    assert collision_key("actors/a/") != collision_key("actors/b/")


def test_urls_scheme() -> None:
    urls = Urls("/", "/{year}/{month}/{day}/")
    day = dt.date(2022, 1, 7)
    assert urls.day(day, "brief") == "2022/01/07/"
    assert urls.home() == ""
    assert urls.archive() == "archive/"
    assert urls.year(2022) == "2022/"
    assert urls.month(2022, 3) == "2022/03/"
    assert urls.actors() == "actors/"
    assert urls.actor("nato") == "actors/nato/"
    assert urls.actor("nato", 2) == "actors/nato/page/2/"
    assert urls.asset("style.css") == "assets/style.css"
    assert urls.href("2022/") == "/2022/"
    assert Urls("/", "/days/{slug}/").day(day, "brief") == "days/brief/"


def test_href_under_a_subpath() -> None:
    urls = Urls("/repo", "/{year}/{month}/{day}/")
    assert urls.href("") == "/repo/"
    assert urls.href(urls.actor("nato")) == "/repo/actors/nato/"
