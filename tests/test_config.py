"""config.py: site.toml's schema, defaults, and every mistake with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import SiteConfig, base_url_problem, load_config
from sitegen.diagnostics import Diagnostics


def load(tmp_path: Path, toml: str | bytes) -> tuple[SiteConfig | None, list[str]]:
    """(config or None, every diagnostic formatted as `path:line: message`)."""
    path = tmp_path / "site.toml"
    if isinstance(toml, bytes):
        path.write_bytes(toml)
    else:
        path.write_text(toml, encoding="utf-8")
    diags = Diagnostics(root=tmp_path)
    config = load_config(tmp_path, diags)
    return config, [d.format() for d in diags.items]


def test_defaults_from_an_empty_file(tmp_path: Path) -> None:
    config, messages = load(tmp_path, "")
    assert messages == []
    assert config is not None
    assert config.root == tmp_path.resolve()
    assert config.title == "Briefings"
    assert config.base_url == "http://localhost:8000/"
    assert config.base_path == "/"
    assert config.language == "en"
    assert config.timezone == "UTC"
    assert config.markdown.extensions == ("tables", "fenced_code", "sane_lists")
    assert config.pagination.actor_days == 30
    assert config.permalinks.briefing == "/{year}/{month}/{day}/"
    assert config.folder("content") == tmp_path.resolve() / "content"
    assert config.folder("output") == tmp_path.resolve() / "build"


def test_values_are_read_and_base_url_gets_its_slash(tmp_path: Path) -> None:
    toml = (
        'title = "Daily"\nbase_url = "https://x.github.io/repo"\ntimezone = "Europe/Kyiv"\n'
        '[pagination]\nactor_days = 5\n[markdown]\nextensions = ["tables", "smarty"]\n'
        '[paths]\noutput = "public"\n[permalinks]\nbriefing = "/{year}/{slug}/"\n'
    )
    config, messages = load(tmp_path, toml)
    assert messages == []
    assert config is not None
    assert (config.title, config.base_url) == ("Daily", "https://x.github.io/repo/")
    assert config.base_path == "/repo/"
    assert config.pagination.actor_days == 5
    assert config.pagination.home_recent == 10  # untouched defaults stay
    assert config.markdown.extensions == ("tables", "smarty")
    assert config.folder("output") == tmp_path.resolve() / "public"
    assert config.permalinks.briefing == "/{year}/{slug}/"


def test_a_utf8_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    config, messages = load(tmp_path, '\ufeff# a comment\ntitle = "Daily"\n'.encode())
    assert messages == []
    assert config is not None and config.title == "Daily"


def test_with_base_url(tmp_path: Path) -> None:
    config, _ = load(tmp_path, "")
    assert config is not None
    other = config.with_base_url("https://preview.example/sub")
    assert (other.base_url, other.base_path) == ("https://preview.example/sub/", "/sub/")
    assert config.base_url == "http://localhost:8000/"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param(
            "title = 3\n", "site.toml:1: title must be text (in quotes), not 3", id="title-number"
        ),
        pytest.param(
            '\n[pagination]\nactor_days = "10"\n',
            "site.toml:3: pagination.actor_days must be a whole number, not '10'",
            id="int-as-text",
        ),
        pytest.param(
            "[pagination]\nhome_recent = true\n",
            "site.toml:2: pagination.home_recent must be a whole number, not True",
            id="int-as-bool",
        ),
        pytest.param(
            '[markdown]\nextensions = "tables"\n',
            "site.toml:2: markdown.extensions must be a list of text values, not 'tables'",
            id="list-as-text",
        ),
        pytest.param(
            "[markdown]\nextensions = [1]\n",
            "site.toml:2: markdown.extensions must be a list of text values, not [1]",
            id="list-of-numbers",
        ),
        pytest.param(
            'title = "x"\npaths = "build"\n', "site.toml:2: [paths] must be a table", id="table"
        ),
        pytest.param(
            '[search]\nenabled = "no"\n',
            "site.toml:2: search.enabled must be true or false, not 'no'",
            id="bool-as-text",
        ),
        pytest.param(
            "[feeds]\ndays = 2.5\n",
            "site.toml:2: feeds.days must be a whole number, not 2.5",
            id="feed-days-float",
        ),
        pytest.param(
            "\n[feeds]\ndays = 0\n", "site.toml:3: feeds.days must be at least 1", id="no-feed-days"
        ),
        pytest.param(
            'title = "x"\ntitle = "y"\n',
            "site.toml:2: invalid TOML: Cannot overwrite a value (at line 2, column 12)",
            id="duplicate-key",
        ),
        pytest.param(
            'title = "x"\nlanguage = [\n\n',
            "site.toml:2: invalid TOML: Invalid value (at end of document)",
            id="unclosed-at-end",
        ),
    ],
)
def test_wrong_types_are_errors_with_their_line(tmp_path: Path, toml: str, message: str) -> None:
    config, messages = load(tmp_path, toml)
    assert config is None
    assert messages == [message]


def test_unknown_keys_are_warnings_with_their_line(tmp_path: Path) -> None:
    toml = 'title = "x"\ncolour = "red"\n\n[pagination]\nper_page = 3\n\n[sidebar]\nshow = 1\n'
    config, messages = load(tmp_path, toml)
    assert config is not None and config.title == "x"
    assert messages == [
        "site.toml:2: warning: unknown key 'colour'",
        "site.toml:5: warning: unknown key 'pagination.per_page'",
        "site.toml:7: warning: unknown key 'sidebar'",
    ]


@pytest.mark.parametrize(
    "toml, message",
    [
        ('title = "x"\nsearch.enabled = "yes"\n',
         "site.toml:2: search.enabled must be true or false, not 'yes'"),
        ('title = "x"\n\n[[search]]\nenabled = true\n', "site.toml:3: [search] must be a table"),
        ('title = "x"\n\n[sidebar.left]\nshow = 1\n',
         "site.toml:3: warning: unknown key 'sidebar'"),
        ('title = "x"\nsidebar.left.show = 1\n', "site.toml:2: warning: unknown key 'sidebar'"),
        ('title = "x"\n[ "search" ]\n\'enabled\' = 1\n',
         "site.toml:3: search.enabled must be true or false, not 1"),
    ],
)  # fmt: skip
def test_dotted_keys_arrays_of_tables_and_subtables_have_their_line(
    tmp_path: Path, toml: str, message: str
) -> None:
    assert load(tmp_path, toml)[1] == [message]


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("example.org", "base_url must be an absolute http(s) URL, not 'example.org'"),
        (
            "ftp://example.org/",
            "base_url must be an absolute http(s) URL, not 'ftp://example.org/'",
        ),
        ("https:///path/", "base_url must be an absolute http(s) URL, not 'https:///path/'"),
    ],
)
def test_bad_base_url(tmp_path: Path, base_url: str, message: str) -> None:
    config, messages = load(tmp_path, f'title = "x"\nbase_url = "{base_url}"\n')
    assert config is None
    assert messages == [f"site.toml:2: {message}"]


@pytest.mark.parametrize(
    "base_url",
    [
        "https://user.github.io/briefings/",
        "https://münchen.example/",  # an international name, as browsers take it
        "https://xn--mnchen-3ya.example/",  # the same in punycode
        "http://127.0.0.1:8000/",
        "http://[::1]:8000/",
        "http://localhost:8000/",
        "https://example.org./",  # a fully qualified name's final dot
        "http://dev_box.lan/",  # underscores: not RFC 1123, but browsers resolve them
    ],
)
def test_real_host_names_are_accepted(base_url: str) -> None:
    assert base_url_problem(base_url) is None


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd"])
def test_bad_timezone(tmp_path: Path, zone: str) -> None:
    config, messages = load(tmp_path, f'timezone = "{zone}"\n')
    assert config is None
    assert messages == [f"site.toml:1: unknown timezone {zone!r} (use a name like 'Europe/Kyiv')"]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{year}/{day}/", "permalinks.briefing must start and end with '/', not '{year}/{day}/'"),
        ("/{year}/{day}", "permalinks.briefing must start and end with '/', not '/{year}/{day}'"),
        ("/{year}/{week}/{day}/", "permalinks.briefing uses unknown fields ['week']"),
        (
            "/{year}/{month}/",
            "permalinks.briefing must contain {day} or {slug} so that days get their own page",
        ),
        ("/../{slug}/", "permalinks.briefing must not contain '..'"),
        ("/{year}//{slug}/", "permalinks.briefing must not have an empty or '.' folder: "
                             "'/{year}//{slug}/'"),
        ("/{year}/./{slug}/", "permalinks.briefing must not have an empty or '.' folder: "
                              "'/{year}/./{slug}/'"),
        # a folder name the file system refuses: the build failed when writing, with no line
        ("/" + "n" * 250 + "{year}{month}/{slug}/", "permalinks.briefing has a folder name of "
         "at least 256 bytes; file systems allow 255: '" + "n" * 40 + "'..."),
        # a '#' or '?' would end the URL's path (the page unreachable at its own link); '%'
        # would be decoded by the server; a space or a quote is not a valid URL character
        *[
            (pattern, "permalinks.briefing may hold letters, digits, '-', '_', '.', '~' and "
                      f"fields such as {{year}}, not {found!r}: {pattern!r}")
            for pattern, found in [("/{year}/#{slug}/", "#"), ("/news?/{slug}/", "?"),
                                   ("/{year}/%2F/{slug}/", "%"), ("/{year} x/{slug}/", " "),
                                   ("/{year}/{{slug}}/", "{")]
        ],
    ],
)  # fmt: skip
def test_bad_permalink(tmp_path: Path, pattern: str, message: str) -> None:
    config, messages = load(tmp_path, f'[permalinks]\nbriefing = "{pattern}"\n')
    assert config is None
    assert messages == [f"site.toml:2: {message}"]


@pytest.mark.parametrize("pattern", ["/{year}-{month}/{day}.{slug}/", "/nouvelles/é/{slug}/",
                                     "/~desk/{year}/{month}/{day}/"])  # fmt: skip
def test_good_permalinks(tmp_path: Path, pattern: str) -> None:
    config, messages = load(tmp_path, f'[permalinks]\nbriefing = "{pattern}"\n')
    assert messages == [] and config is not None and config.permalinks.briefing == pattern


@pytest.mark.parametrize(
    ("language", "hint"),
    [("english", ""), ("", ""), ("en_US", " (use 'en-US')"), ('en\\" onload=\\"x', ""),
     ("e", ""), ("en-", "")],
)  # fmt: skip
def test_a_language_that_is_not_a_language_tag_is_refused(
    tmp_path: Path, language: str, hint: str
) -> None:
    # it becomes <html lang> and Atom's xml:lang, where the validators want a BCP 47 tag
    config, messages = load(tmp_path, f'language = "{language}"\n')
    shown = language.replace("\\", "")
    assert config is None
    assert messages == [
        f"site.toml:1: language must be a language tag like 'en' or 'pt-BR', not {shown!r}{hint}"
    ]


@pytest.mark.parametrize("language", ["en", "pt-BR", "zh-Hant-TW", "de-CH-1996"])
def test_language_tags_are_accepted(tmp_path: Path, language: str) -> None:
    config, messages = load(tmp_path, f'language = "{language}"\n')
    assert messages == [] and config is not None and config.language == language


def test_other_value_checks(tmp_path: Path) -> None:
    toml = (
        '[markdown]\nextensions = ["tables", "toc"]\n'
        "[pagination]\nactor_days = 0\n"
        '[paths]\noutput = " "\n'
    )
    config, messages = load(tmp_path, toml)
    assert config is None
    assert messages[0].startswith("site.toml:2: unknown Markdown extension 'toc' (known: abbr, ")
    assert messages[1:] == [
        "site.toml:4: pagination.actor_days must be at least 1",
        "site.toml:6: paths.output must not be empty",
    ]


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    toml = (
        'title = 3\nbase_url = "nope"\ntimezone = "Nowhere/Town"\n[pagination]\nactor_days = "x"\n'
    )
    config, messages = load(tmp_path, toml)
    assert config is None
    assert [m.split(":")[1] for m in messages] == ["1", "5", "2", "3"]


def test_missing_site_toml(tmp_path: Path) -> None:
    diags = Diagnostics(root=tmp_path)
    assert load_config(tmp_path, diags) is None
    [message] = [d.format() for d in diags.items]
    assert message.endswith(
        "site.toml: no site.toml here: run sitegen in a site folder or pass --site"
    )


@pytest.mark.parametrize("given", [".", "empty", "./empty/", "../here/empty"])
def test_a_missing_site_toml_is_named_as_given(tmp_path: Path, monkeypatch, given: str) -> None:
    """`build --site empty` said 'site.toml: no site.toml here', the current folder's."""
    (tmp_path / "here" / "empty").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "here" / ("empty" if given == "." else ""))
    diags = Diagnostics(root=Path(given).resolve())
    assert load_config(Path(given), diags) is None
    expected = {".": "site.toml", "../here/empty": "../here/empty/site.toml"}
    assert [d.format() for d in diags.items] == [
        f"{expected.get(given, 'empty/site.toml')}: no site.toml here: run sitegen in a site "
        "folder or pass --site"
    ]


def test_a_site_folder_that_does_not_exist_is_named_as_given(tmp_path: Path) -> None:
    missing = tmp_path / "mistyped"
    diags = Diagnostics(root=missing)
    assert load_config(missing, diags) is None
    assert [d.format() for d in diags.items] == [
        f"{missing}: no such folder: pass --site the folder where site.toml is"
    ]


def test_site_toml_that_is_not_utf8(tmp_path: Path) -> None:
    config, messages = load(tmp_path, b'title = "ok"\n\ntitle2 = "\xe9"\n')
    assert config is None
    assert messages == [
        "site.toml:3: not valid UTF-8: byte 0xe9 at column 11 (Windows-1252 or Latin-1 text?); "
        "save the file as UTF-8"
    ]


def test_feeds_and_search_settings(tmp_path: Path) -> None:
    config, messages = load(tmp_path, "")
    assert config is not None
    assert (config.feeds.days, config.search.enabled) == (20, True)
    config, messages = load(tmp_path, "[feeds]\ndays = 5\n[search]\nenabled = false\n")
    assert messages == []
    assert config is not None
    assert (config.feeds.days, config.search.enabled) == (5, False)


STATIC_FIX = "it would publish the Markdown sources, drafts too: use a folder of its own"


@pytest.mark.parametrize(
    ("static", "problem"),
    [
        (".", "must not be the site folder or above it"),
        ("..", "must not be the site folder or above it"),
        ("./content/", "must not be the content folder or above it"),
        ("content/briefings", "must not be inside content/briefings"),
        ("content/actors/img", "must not be inside content/actors"),
    ],
)
def test_a_static_folder_that_holds_the_sources_is_refused(
    tmp_path: Path, static: str, problem: str
) -> None:
    # static = "." with the output elsewhere published site.toml, templates/ and every
    # briefing's Markdown, drafts included
    config, messages = load(tmp_path, f'[paths]\nstatic = "{static}"\noutput = "/tmp/x-out"\n')
    assert config is None
    assert messages == [f"site.toml:2: paths.static {problem}: {STATIC_FIX}"]


@pytest.mark.parametrize("static", ["static", "assets", "content/files", "../shared-static"])
def test_a_static_folder_of_its_own_is_accepted(tmp_path: Path, static: str) -> None:
    (tmp_path / static).mkdir(parents=True)
    config, messages = load(tmp_path, f'[paths]\nstatic = "{static}"\n')
    assert messages == [] and config is not None


def test_folders_site_toml_names_must_exist(tmp_path: Path) -> None:
    # a mistyped name built a site without its days, templates or static files
    (tmp_path / "file").write_text("x", encoding="utf-8")
    toml = '[paths]\ncontent = "nope"\ntemplates = "../t"\nstatic = "assets"\noutput = "out"\n'
    (tmp_path / "site").mkdir()
    config, messages = load(tmp_path / "site", toml)
    assert config is None
    assert messages == [
        "site.toml:2: paths.content: no such folder: 'nope' (create it, or correct the name)",
        "site.toml:3: paths.templates: no such folder: '../t' (create it, or correct the name)",
        "site.toml:4: paths.static: no such folder: 'assets' (create it, or correct the name)",
    ]
    # a path through a file: one line at site.toml's, not one per folder listed beneath it
    config, messages = load(tmp_path, '[paths]\nstatic = "file/x"\n')
    assert messages == [
        "site.toml:2: paths.static: no such folder: 'file/x' ('file' is a file, not a folder)"
    ]
    config, messages = load(tmp_path, 'paths = { content = "nope" }\n')
    assert messages == [
        "site.toml:1: paths.content: no such folder: 'nope' (create it, or correct the name)"
    ]
    diags = Diagnostics(root=tmp_path)
    config = load_config(tmp_path, diags, best_effort=True)
    # kept as named (ingest writes there; the build checks the rest and fails)
    assert config is not None and config.paths.content == "nope"
