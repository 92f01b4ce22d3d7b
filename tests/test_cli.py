"""The command line, through click's CliRunner and as a real `python -m sitegen` process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import briefing_text, html_files, run_build

import sitegen
from sitegen import __version__
from sitegen.cli import _checked_host, main
from sitegen.diagnostics import one_line

SUMMARY = re.compile(r"Built (\d+) pages and (\d+) assets into (.+)/ in \d+\.\d\d s")


def python_m_sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(v for k, v in attrs if k in ("href", "src") and v is not None)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"sitegen, version {__version__}\n"


def test_build_prints_one_summary_line(make_site) -> None:
    site = make_site()
    code, out, err = run_build(site)
    assert code == 0, err
    assert err == ""
    [line] = out.splitlines()
    match = SUMMARY.fullmatch(line)
    assert match, line
    # home, day, archive, year, month, actors, two actors, 404, search; the site's feed, two
    # actors' feeds, sitemap.xml, robots.txt
    assert int(match.group(1)) == 15
    assert int(match.group(2)) >= 1
    assert Path(match.group(3)).resolve() == (site / "build").resolve()
    assert len(html_files(site / "build")) == 10


def test_unknown_option_is_a_usage_error(make_site) -> None:
    code, out, err = run_build(make_site(), "--nope")
    assert code == 2
    assert "No such option" in err and "--nope" in err
    assert out == ""


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["bild"])
    assert result.exit_code == 2
    assert "No such command 'bild'" in result.stderr


@pytest.mark.parametrize(
    ("args", "where", "wrong"),
    [
        (["bild"], "sitegen", "No such command 'bild'"),
        (["--nope"], "sitegen", "No such option '--nope'"),
        (["build", "--nope"], "sitegen build", "No such option '--nope'"),
        (["build", "--site"], "sitegen build", "Option '--site' requires an argument"),
        (["build", "--jobs", "-2"], "sitegen build", "Invalid value for '--jobs'"),
        (["build", "--jobs", "100000"], "sitegen build", "Invalid value for '--jobs'"),
        (["ingest"], "sitegen ingest", "Missing argument 'PATHS...'"),
        (["ingest", "x.txt", "--format", "xml"], "sitegen ingest", "Invalid value"),
        (["serve", "--port", "abc"], "sitegen serve", "Invalid value for '--port'"),
    ],
)
def test_a_usage_error_is_one_line(args: list[str], where: str, wrong: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="sitegen")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{where}: ") and wrong in line, line
    assert line.endswith(f"See '{where} --help'.")
    assert result.stdout == ""


def test_sitegen_alone_shows_the_help() -> None:
    result = CliRunner().invoke(main, [])
    assert "Commands:" in result.output and "build" in result.output


def test_python_m_sitegen_help(tmp_path: Path) -> None:
    result = python_m_sitegen("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout and "build" in result.stdout


def test_python_m_sitegen_exit_codes(make_site, tmp_path: Path) -> None:
    site = make_site({"content/briefings/2022-01-27-brief.md": "---\ntitle: [\n---\n"})
    broken = python_m_sitegen("build", "--site", str(site), cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stderr.startswith("content/briefings/2022-01-27-brief.md:")
    assert "Traceback" not in broken.stderr
    usage = python_m_sitegen("build", "--nope", cwd=tmp_path)
    assert usage.returncode == 2
    assert "No such option" in usage.stderr and "--nope" in usage.stderr


def test_drafts_are_built_only_with_drafts(make_site) -> None:
    draft = briefing_text("2022-01-28", title="Draft day", draft="true")
    site = make_site({"content/briefings/2022-01-28-draft.md": draft})
    assert run_build(site)[0] == 0
    assert not (site / "build/2022/01/28").exists()
    assert "Draft day" not in (site / "build/index.html").read_text(encoding="utf-8")
    code, _, err = run_build(site, "--drafts")
    assert code == 0, err
    page = (site / "build/2022/01/28/index.html").read_text(encoding="utf-8")
    assert "Draft day" in page and '<span class="badge">Draft</span>' in page


def test_base_url_under_a_subpath(make_site) -> None:
    site = make_site()
    code, _, err = run_build(site, "--base-url", "https://x.github.io/repo/")
    assert code == 0, err
    pages = html_files(site / "build")
    assert "2022/01/27/index.html" in pages  # files stay at the top of the output
    internal = 0
    for name, html in pages.items():
        for url in links(html):
            if url.startswith(("#", "mailto:")):
                continue
            if url.startswith(("http://", "https://")):
                assert not url.startswith("https://example.org/"), (name, url)
                continue
            assert url.startswith("/repo/"), (name, url)
            internal += 1
        assert '<link rel="canonical" href="https://x.github.io/repo/' in html, name
    assert internal > 50


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_report_that_cannot_be_written_is_one_line_not_a_traceback(make_site) -> None:
    """`sitegen build > log` on a full disk: the site is built, the summary cannot be
    written; one line on stderr and exit 1 (before: an OSError traceback)."""
    site = make_site()
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "build", "--site", str(site)],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["<stdout>: cannot write: No space left on device"]
    assert (site / "build/index.html").is_file()


@pytest.mark.parametrize(
    "mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"]
)
def test_one_line_escapes_bidirectional_overrides_and_isolates(mark: str) -> None:
    # shown raw, U+202E makes 'evil\u202etxt.md' display as 'evilmd.txt'
    shown = one_line(f"content/evil{mark}txt.md: bad date")
    assert mark not in shown
    assert shown == f"content/evil\\u{ord(mark):04x}txt.md: bad date"


def test_one_line_keeps_printable_text_as_it_is() -> None:
    assert one_line("content/été — 2022.md: bad date") == "content/été — 2022.md: bad date"


PATH_ARGUMENTS = [
    ["build", "--site", "{}"],
    ["build", "--out", "{}"],
    ["serve", "--site", "{}"],
    ["deploy", "--site", "{}"],
    ["init", "{}"],
    ["ingest", "--site", "{}", "-"],  # (a raw input's loop is that input's failure alone)
]


@pytest.mark.parametrize("args", PATH_ARGUMENTS)
def test_a_path_too_long_is_one_line(args: list[str], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a" * 5000
    result = CliRunner().invoke(main, [arg.format(name) for arg in args])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"{'a' * 60}…: file name too long"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", PATH_ARGUMENTS)
def test_a_symlink_loop_is_one_line(args: list[str], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("loop").symlink_to("loop")
    result = CliRunner().invoke(main, [arg.format("loop") for arg in args])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == ["loop: too many levels of symbolic links"]


def test_ingest_names_each_unusable_input_and_ingests_the_rest(tmp_path: Path, monkeypatch) -> None:
    """A loop inside a path was 'no such file or folder', a name too long a traceback; then
    either stopped the whole run, the good inputs beside it not ingested."""
    monkeypatch.chdir(tmp_path)
    Path("loop").symlink_to("loop")
    Path("a.txt").write_text("date 2022-01-27\nOfficials met.\n", encoding="utf-8")
    args = ["ingest", "--dry-run", "a.txt", "loop/x.txt", "b" * 300, "loop"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "from a.txt" in result.stdout
    assert "1 of 4 inputs would be ingested" in result.stdout
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert errors == [
        "loop/x.txt: too many levels of symbolic links: skipped",
        f"{'b' * 60}…: file name too long: skipped",
        "loop: too many levels of symbolic links: skipped",
    ]


def test_a_symlink_loop_above_the_output_is_one_line(make_site) -> None:
    site = make_site({})
    (site / "loop").symlink_to("loop")
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", f"{site}/loop/out"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"{site}/loop/out: too many levels of symbolic links"]


@pytest.mark.parametrize("host", ["", "\udcff", "a" * 5000, "a\x1bb", "two words", "a..b"])
def test_a_bad_host_is_a_one_line_usage_error(host: str, tmp_path: Path) -> None:
    args = ["serve", "--site", str(tmp_path), "--host", host]
    result = CliRunner().invoke(main, args, prog_name="sitegen")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("sitegen serve: Invalid value for '--host': "), line
    assert len(line) < 250 and line.isprintable()


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "fe80::1%lo", "0.0.0.0", "localhost."])
def test_a_good_host_is_taken(host: str) -> None:
    assert _checked_host(click.Context(main), click.Option(["--host"]), host) == host


def sitegen_with(redirect: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m sitegen ARGS` run by the shell with `redirect` (`>&-`: stdout closed),
    importing the sitegen under test."""
    env = {**os.environ, "PYTHONPATH": str(Path(sitegen.__file__).parents[1])}
    command = ["sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, "-m", "sitegen", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("redirect", "args", "expected"),
    [
        (">&-", ["ingest", "--dry-run", "--format", "json", "a.txt"], "<stdout>: closed"),
        ("<&-", ["ingest", "--dry-run", "-"], "<stdin>: closed"),
    ],
)
def test_ingest_with_a_closed_stream_is_one_line(redirect, args, expected, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Officials met on Monday.\n")
    done = sitegen_with(redirect, *args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [expected]


@pytest.mark.parametrize("paths", [[""], ["a.txt", ""]])
def test_ingest_refuses_an_empty_path(paths: list[str], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Officials met on Monday.\n")
    result = CliRunner().invoke(main, ["ingest", "--dry-run", *paths], prog_name="sitegen")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("sitegen ingest: Invalid value for 'PATHS...': an empty path"), line


def test_serves_report_lines_escape_control_characters(tmp_path: Path, monkeypatch) -> None:
    import sitegen.serve

    def serve(options, echo, warn) -> int:
        echo(f"Serving {options.site} at http://127.0.0.1:8000/ (Ctrl-C to stop)")
        return 0

    monkeypatch.setattr(sitegen.serve, "serve", serve)
    site = tmp_path / "q\x1bw"
    site.mkdir()
    result = CliRunner().invoke(main, ["serve", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"Serving {tmp_path}/q\\x1bw at http://127.0.0.1:8000/ (Ctrl-C to stop)\n"
    )


def test_a_build_with_stderr_closed_still_builds(make_site) -> None:
    site = make_site({"content/briefings/2022-01-27-brief.md": briefing_text("2022-01-27")})
    done = sitegen_with("2>&-", "build", "--site", str(site), cwd=site)
    assert done.returncode == 0
    assert done.stdout.startswith("Built ")
    assert (site / "build/index.html").is_file()
