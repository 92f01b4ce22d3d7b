"""Hostile files and faults (issue 11): each ends as one `path[:line]: what is wrong` line,
exit status 1, no traceback, no hang, nothing published that should not be, and the previous
output untouched. Builds that could hang run in a child process with a deadline."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import BRIEFING, DEFAULT_FILES, briefing_text, run_build, snapshot, write_files

from sitegen.deploy import ref_name_problem
from sitegen.diagnostics import Diagnostics
from sitegen.ingest.rawparse import IngestError, decode, parse_raw
from sitegen.serve import PreviewServer, ServeOptions
from sitegen.source import read_text
from tests.tools.polling import wait_until

B = "content/briefings/2022-01-27-brief.md"


def site_toml(extra: str = "") -> str:
    """site.toml with search off (Pagefind is not what these tests are about)."""
    head = 'title = "Test Briefings"\nbase_url = "https://example.org/"\n'
    return f"{head}{extra}[search]\nenabled = false\n"


TOML = site_toml()
DIAGNOSTIC_LINE = re.compile(r"^[^\s:][^:]*(?::\d+)?: \S")
DEADLINE = 60  # seconds a build in a child process may take before it counts as a hang
# seconds a connection the preview (idle_timeout=0.5) should drop may stay open before that
# counts as held: a bound, not a timing (a loaded machine runs the server's loop late)
HELD = 30
NOBODY = 65534


def front(yaml_text: str, body: str = "The lead.\n\n## What you need to know\n\nAn item.\n") -> str:
    return f"---\n{yaml_text}---\n{body}"


@pytest.fixture
def built(make_site) -> tuple[Path, dict[str, bytes]]:
    """A site (search off) that built once, and the bytes of every file of its build/."""
    site = make_site({"site.toml": TOML})
    code, _, err = run_build(site)
    assert code == 0, err
    return site, snapshot(site / "build")


def build_in_child(site: Path, *args: str, prefix: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """`sitegen build` in its own process (after `prefix`, setpriv's command to drop
    privileges): a hang fails the test at the deadline instead of stopping the run."""
    command = [*prefix, sys.executable, "-m", "sitegen", "build", "--site", str(site), *args]
    env = {**os.environ, "HOME": str(site.parent)}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build hung for {DEADLINE} s")
    return done.returncode, done.stdout, done.stderr


def assert_fails_cleanly(site: Path, result: tuple[int, str, str], *expected: str) -> None:
    """Exit 1, no traceback, every line a diagnostic, the expected lines among them, and no
    staging folder left."""
    code, out, err = result
    assert code == 1, (out, err)
    assert "Traceback" not in out + err, err
    assert "Built" not in out
    for line in err.splitlines():
        assert DIAGNOSTIC_LINE.match(line), f"not a path:line: message line: {line!r}"
    for line in expected:
        assert line in err.splitlines(), err
    assert not list(site.glob(".build.staging-*"))


def assert_untouched(site: Path, before: dict[str, bytes]) -> None:
    assert snapshot(site / "build") == before


# --------------------------------------------------------------------------- rows 1 and 2
# What is not a regular file, at its path; links out of the site refused (README: "Files").

WHERES = ["content/briefings/2022-02-10-x.md", "content/actors/x.md", "templates/x.html",
          "static/x.txt"]  # fmt: skip


@pytest.mark.parametrize("where", WHERES)
def test_a_broken_link_is_an_error_at_its_path(built, where: str) -> None:
    site, before = built
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/nonexistent", site / where)
    result = build_in_child(site)
    assert_fails_cleanly(
        site, result, f"{where}: broken symbolic link (to /nonexistent): remove it"
    )
    assert_untouched(site, before)


@pytest.mark.parametrize("folder", ["templates", "static", "content/actors"])
def test_a_site_folder_that_is_a_broken_link_is_an_error_not_a_missing_folder(
    built, folder: str
) -> None:
    # without the check, a broken `templates` link built silently with the theme's templates
    site, before = built
    shutil.rmtree(site / folder, ignore_errors=True)
    os.symlink("/nonexistent", site / folder)
    result = build_in_child(site)
    assert_fails_cleanly(
        site, result, f"{folder}: broken symbolic link (to /nonexistent): remove it"
    )
    assert_untouched(site, before)


@pytest.mark.parametrize("where", WHERES)
def test_a_named_pipe_is_refused_not_read(built, where: str) -> None:
    site, before = built
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(site / where)
    result = build_in_child(site)
    assert_fails_cleanly(
        site, result, f"{where}: a named pipe (FIFO), not a regular file: remove it"
    )
    assert_untouched(site, before)


@pytest.mark.parametrize("where", WHERES)
def test_a_link_to_a_device_is_refused(built, where: str) -> None:
    site, before = built
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/dev/zero", site / where)
    result = build_in_child(site)
    message = (
        f"{where}: symbolic link to /dev/zero, outside the site: refused (copy the file in instead)"
    )
    assert_fails_cleanly(site, result, message)
    assert_untouched(site, before)


def test_a_socket_and_a_link_to_a_pipe_inside_the_site_are_refused(built) -> None:
    site, before = built
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(site / "content/briefings/s.md"))
    try:
        os.mkfifo(site / "pipe")
        os.symlink("../../pipe", site / "content/actors/p.md")
        result = build_in_child(site)
    finally:
        server.close()
    assert_fails_cleanly(
        site,
        result,
        "content/briefings/s.md: a socket, not a regular file: remove it",
        "content/actors/p.md: a named pipe (FIFO), not a regular file: remove it",
    )
    assert_untouched(site, before)


def test_site_toml_as_a_pipe_is_named_as_one(built) -> None:
    site, before = built
    (site / "site.toml").unlink()
    os.mkfifo(site / "site.toml")
    result = build_in_child(site)
    assert_fails_cleanly(
        site, result, "site.toml: a named pipe (FIFO), not a regular file: remove it"
    )
    assert_untouched(site, before)


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")]
)
def test_reading_never_starts_on_what_is_not_a_regular_file(path: str, kind: str) -> None:
    diags = Diagnostics()
    assert read_text(Path(path), diags) is None
    assert [d.format() for d in diags.items] == [f"{path}: {kind}, not a regular file: remove it"]


def test_a_pipe_given_to_read_text_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    diags = Diagnostics(root=tmp_path)
    assert read_text(tmp_path / "pipe", diags) is None  # would block forever if opened plainly
    assert [d.format() for d in diags.items] == [
        "pipe: a named pipe (FIFO), not a regular file: remove it"
    ]


# --------------------------------------------------------------------------- row 3


def test_a_line_of_8000_brackets_is_one_error_at_its_line(built) -> None:
    site, before = built
    write_files(site, {B: front("title: x\ndate: 2022-01-27\n", "Lead.\n\n## H\n\n" + "[" * 8000)})
    result = build_in_child(site)
    message = (
        f"{B}:9: 8,000 '[' or '(' of links are never closed, and Markdown would read the rest "
        "of the paragraph again for each one (for minutes): close them, or write them as \\[ "
        "and \\("
    )
    assert_fails_cleanly(site, result, message)
    assert_untouched(site, before)


@pytest.mark.parametrize(
    ("body", "start"),
    [
        ("[" * 200_000, "200,000 '[' or '(' of links are never closed"),
        ("![" * 20_000, "20,000 '[' or '(' of links are never closed"),
        ("[[" * 20_000, "40,000 '[' or '(' of links are never closed"),
        ("[\n" * 8_000, "8,000 '[' or '(' of links are never closed"),
        ("[x](" * 8_000, "8,000 '[' or '(' of links are never closed"),
        ("`" * 5_000, "backticks open code that is never closed"),
        ("<a " * 30_000, "30,000 '<' are never closed by '>'"),
        ("1. " * 300 + "a", "lists and quotes nested 300 deep"),
        ("*a* " * 30_000, "this paragraph has 60,000 pieces of Markdown"),
        ("a\n\n" * 30_000, "the text has 30,000 paragraphs and list entries"),
    ],
    ids=[
        "brackets",
        "images",
        "mentions",
        "lines",
        "links",
        "code",
        "tags",
        "nesting",
        "pieces",
        "paragraphs",
    ],
)
def test_other_costly_shapes_are_errors_too(built, body: str, start: str) -> None:
    site, before = built
    actor = f"---\nname: Slow\n---\n{body}"
    write_files(site, {"content/actors/slow.md": actor})
    code, out, err = build_in_child(site)
    assert_fails_cleanly(site, (code, out, err))
    [line] = err.splitlines()
    assert line.startswith(f"content/actors/slow.md:4: {start}"), line
    assert_untouched(site, before)


# --------------------------------------------------------------------------- row 4

CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
NAMES = dict(zip(CONTROLS, [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "VT", "FF", "SO", "SI", "DLE",
    "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS",
    "US",
], strict=True))  # fmt: skip


@pytest.mark.parametrize("shape", ["indented", "fenced with blank lines"])
def test_a_10000_line_code_block_builds_as_python_markdown_writes_it(built, shape) -> None:
    # both were refused as thousands of pieces or paragraphs, though Python-Markdown converts
    # them in a tenth of a second
    site, _ = built
    lines = [f"{i:05} GET /a?x=1&y=2 *ok* - [x] `t` <b> --" for i in range(10_000)]
    if shape == "indented":
        code = "".join(f"    {line}\n" for line in lines)
    else:
        code = "```text\n" + "".join(f"{line}\n\n" for line in lines) + "```\n"
    body = f"The lead.\n\n## What you need to know\n\nAn item.\n\n{code}"
    write_files(site, {B: briefing_text("2022-01-27", body=body)})
    code_, _, err = run_build(site)
    assert code_ == 0, err
    page = (site / "build/2022/01/27/index.html").read_text(encoding="utf-8")
    expected = markdown.markdown(code, extensions=["tables", "fenced_code", "sane_lists"])
    assert expected.startswith("<pre>") and expected in page


@pytest.mark.parametrize(
    "code",
    ["*a " * 100_000 + "\n", "".join(f"line {i} [b <c\n\n" for i in range(10_000))],
    ids=["emphasis on one line", "brackets on many"],
)
def test_an_actor_profile_with_code_builds_in_linear_time(built, code: str) -> None:
    # an actor's page describes them by their profile's first sentence, made plain by
    # regular expressions that read what code holds too: 30,000 '*a ' on one line of a
    # fenced block took 35 s (100,000: minutes), 10,000 lines of '[b' 9 s
    site, _ = built
    profile = f"---\nname: Logger\n---\nA profile.\n\n```\n{code}```\n"
    write_files(site, {"content/actors/logger.md": profile})
    code_, _, err = build_in_child(site)
    assert code_ == 0, err


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_control_character_in_a_body_is_an_error_at_its_line_and_column(built, char) -> None:
    site, before = built
    write_files(
        site, {B: front("title: x\ndate: 2022-01-27\n", f"Lead.\n\n## H\n\nAn {char}item.\n")}
    )
    code, out, err = run_build(site)
    what = f"control character U+{ord(char):04X} ({NAMES[char]})"
    message = f"{B}:9: {what} at column 4: feeds (XML) cannot carry it; remove it"
    assert_fails_cleanly(site, (code, out, err), message)
    assert_untouched(site, before)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {B: front('title: "Jan. 27 \x1b[31m"\ndate: 2022-01-27\n')},
            f"{B}:2: control character U+001B (ESC) at column 17: feeds (XML) cannot carry it; "
            "remove it",
        ),
        (
            {B: front('title: "Jan. 27 \\e[31m"\ndate: 2022-01-27\n')},
            f"{B}:2: title: control character U+001B (ESC), written as an escape: feeds (XML) "
            "cannot carry it; remove it",
        ),
        (
            {B: front('title: x\ndate: 2022-01-27\nsummary: "a\\x00b"\n')},
            f"{B}:4: summary: control character U+0000 (NUL), written as an escape: feeds (XML) "
            "cannot carry it; remove it",
        ),
        (
            {B: front('title: x\ndate: 2022-01-27\ncredits: ["ok", "\\u000b"]\n')},
            f"{B}:4: credits: control character U+000B (VT), written as an escape: feeds (XML) "
            "cannot carry it; remove it",
        ),
        (
            {"content/actors/nato.md": '---\nname: NATO\nrole: "a\\fb"\n---\nProfile.\n'},
            "content/actors/nato.md:3: role: control character U+000C (FF), written as an "
            "escape: feeds (XML) cannot carry it; remove it",
        ),
        (
            {"content/actors/nato.md": "---\nname: NATO\n---\nProfile \x01.\n"},
            "content/actors/nato.md:4: control character U+0001 (SOH) at column 9: feeds (XML) "
            "cannot carry it; remove it",
        ),
        (
            {
                B: front(
                    "title: x\ndate: 2022-01-27\n", "Lead &#27; and &#x1; here.\n\n## H\n\nI.\n"
                )
            },
            f"{B}:5: character reference &#27; at column 6 stands for control character U+001B "
            "(ESC): feeds (XML) cannot carry it; remove it",
        ),
        (
            {B: front("title: x\ndate: 2022-01-27\n", "Lead.\n\n## H\n\nA `&#xD800;` here.\n")},
            # passed into the page as it was: a Nu error, U+FFFD in a browser
            f"{B}:9: character reference &#xD800; at column 4 stands for surrogate U+D800 (half "
            "of a UTF-16 pair, not a character): feeds (XML) cannot carry it; remove it",
        ),
        (
            {B: front("title: x\ndate: 2022-01-27\n", "Lead &#x110000; &#" + "9" * 30 + ";.\n")},
            f"{B}:5: character reference &#x110000; at column 6 stands for no character (past "
            "U+10FFFF); remove it",
        ),
        (
            {B: front("title: x\ndate: 2022-01-27\n", "Lead &#" + "9" * 5000 + ";.\n")},
            f"{B}:5: character reference &#{'9' * 5000}; at column 6 stands for no character "
            "(past U+10FFFF); remove it",
        ),
        (
            {B: front("title: x\ndate: 2022-01-27\n", "Lead \ufffe.\n\n## H\n\nI.\n")},
            f"{B}:5: noncharacter U+FFFE at column 6: feeds (XML) cannot carry it; remove it",
        ),
        (
            {"site.toml": site_toml('description = "a\\u0007b"\n')},
            "site.toml:3: description: control character U+0007 (BEL): feeds (XML) cannot "
            "carry it; remove it",
        ),
        (
            {"site.toml": TOML.replace('title = "Test Briefings"', 'title = "Test\x02"')},
            "site.toml:1: control character U+0002 (STX) at column 14: feeds (XML) cannot carry "
            "it; remove it",
        ),
    ],
    ids=[
        "title-raw",
        "title-escape",
        "summary-nul",
        "credits-vt",
        "actor-role",
        "actor-body",
        "char-reference",
        "char-reference-surrogate",
        "char-reference-past-unicode",
        "char-reference-thousands-of-digits",
        "noncharacter",
        "toml-escape",
        "toml-raw",
    ],
)
def test_control_characters_anywhere_are_errors(built, files: dict, expected: str) -> None:
    site, before = built
    write_files(site, files)
    code, out, err = run_build(site)
    assert_fails_cleanly(site, (code, out, err), expected)
    assert_untouched(site, before)


def test_ingest_removes_control_characters_with_a_warning() -> None:
    raw = (
        "date 2022-01-27 Lead \x1b[31mred\x00.\n\nJan. 27: What you need to know\n\nAn \x0bitem.\n"
    )
    briefing = parse_raw(decode(raw.encode()))
    assert briefing.warnings[0] == (
        "line 1: removed control character U+001B (ESC) and 2 more: feeds (XML) cannot carry "
        "control characters"
    )
    text = " ".join(segment for segment, _ in briefing.segments())
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert "Lead [31mred." in text


def test_ingest_writes_no_control_character(tmp_path: Path) -> None:
    from io import StringIO

    from sitegen.ingest import run_ingest

    raw = tmp_path / "2022-01-27.txt"
    raw.write_bytes(
        b"date 2022-01-27 Lead\x07 here.\n\nJan. 27: What you need to know\n\nItem \x1b.\n"
    )
    out, err = StringIO(), StringIO()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "site.toml").write_text('title = "Desk"\n', encoding="utf-8")
    code = run_ingest([str(raw)], tmp_path / "site", dry_run=False, force=False, fmt="text",
                      stdin=StringIO(), out=out, err=err)  # fmt: skip
    assert code == 0, err.getvalue()
    assert f"{raw}:1: warning: removed control character U+0007 (BEL) and 1 more" in (
        err.getvalue()
    )
    [written] = (tmp_path / "site/content/briefings").glob("*.md")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", written.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- row 5


AS_NOBODY = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--")
# root that file permissions apply to (where `nobody` cannot reach this Python)
WITHOUT_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")


def _works(prefix: tuple[str, ...]) -> bool:
    probe = [*prefix, sys.executable, "-c", "import sitegen"]
    return subprocess.run(probe, capture_output=True, cwd="/").returncode == 0


@contextmanager
def unprivileged_site(files: dict[str, str]) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """A site and the command prefix that builds it without privileges: root reads
    everything, so a permission test as root would test nothing. As root, the site belongs
    to `nobody` and builds run as `nobody` through setpriv, or, when `nobody` cannot reach
    this Python (a checkout under /root), as root without the capabilities that override
    file permissions. As anyone else, builds run as that user."""
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv is needed to drop root's privileges")
        prefix = next((p for p in (AS_NOBODY, WITHOUT_OVERRIDE) if _works(p)), ())
        if not prefix:
            pytest.skip("setpriv could not drop root's privileges here")
    holder = Path(tempfile.mkdtemp(prefix="sitegen-unprivileged-"))
    try:
        site = holder / "site"
        write_files(site, {**DEFAULT_FILES, "site.toml": TOML, **files})
        if prefix == AS_NOBODY:
            for path in [holder, *holder.rglob("*")]:
                os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        yield site, prefix
    finally:  # (each test gives back the permission it took)
        shutil.rmtree(holder, ignore_errors=True)


@pytest.mark.parametrize(
    "folder",
    ["content/briefings", "content/actors", "templates", "static", "content/briefings/2022"],
)
def test_a_folder_that_cannot_be_read_is_reported_not_dropped(folder: str) -> None:
    files = {
        "templates/footer.html": "<footer>ours</footer>\n",
        "static/robots.txt": "User-agent: *\n",
        "content/briefings/2022/2022-01-28-more.md": briefing_text("2022-01-28"),
    }
    with unprivileged_site(files) as (site, prefix):
        code, _, err = build_in_child(site, prefix=prefix)
        assert code == 0, err
        before = snapshot(site / "build")
        (site / folder).chmod(0)
        result = build_in_child(site, prefix=prefix)
        (site / folder).chmod(0o755)
        message = f"{folder}: cannot read this folder: Permission denied"
        assert_fails_cleanly(site, result, message)
        assert snapshot(site / "build") == before


@pytest.mark.parametrize("name", [B, "static/notes.txt"])
def test_a_file_that_cannot_be_read_is_reported(name: str) -> None:
    """A static file was a traceback (PermissionError where its bytes were hashed)."""
    with unprivileged_site({"static/notes.txt": "Notes.\n"}) as (site, prefix):
        assert build_in_child(site, prefix=prefix)[0] == 0
        before = snapshot(site / "build")
        (site / name).chmod(0)
        result = build_in_child(site, "--no-cache", prefix=prefix)  # else its cached entry is used
        assert_fails_cleanly(site, result, f"{name}: cannot read file: Permission denied")
        assert snapshot(site / "build") == before
        result = build_in_child(site, prefix=prefix)  # (with the cache: it is read anew)
        assert_fails_cleanly(site, result, f"{name}: cannot read file: Permission denied")


@pytest.mark.parametrize("args", [(), ("--no-cache",)])
def test_a_folder_of_the_output_that_cannot_be_read_is_one_line(args: tuple[str, ...]) -> None:
    # build/actors made unreadable: a PermissionError traceback where the build looked for
    # files of others in the way of its pages
    with unprivileged_site({}) as (site, prefix):
        assert build_in_child(site, prefix=prefix)[0] == 0
        (site / "build/actors").chmod(0)
        result = build_in_child(site, *args, prefix=prefix)
        (site / "build/actors").chmod(0o755)
        message = f"{site}/build/actors: cannot read the output: Permission denied"
        assert_fails_cleanly(site, result, message)


# --------------------------------------------------------------------------- row 7


def test_a_link_to_etc_passwd_in_static_is_never_published(built) -> None:
    site, before = built
    (site / "static").mkdir(exist_ok=True)
    os.symlink("/etc/passwd", site / "static/pw.txt")
    result = build_in_child(site)
    message = (
        "static/pw.txt: symbolic link to /etc/passwd, outside the site: refused (copy the file "
        "in instead)"
    )
    assert_fails_cleanly(site, result, message)
    assert_untouched(site, before)
    assert not (site / "build/pw.txt").exists()


def test_links_out_of_the_site_are_refused_in_every_folder(built, tmp_path: Path) -> None:
    site, before = built
    elsewhere = tmp_path / "elsewhere"
    write_files(elsewhere, {"a.md": BRIEFING, "t.html": "<p>x</p>", "docs/x.txt": "x"})
    links = {
        "content/briefings/2022-01-28-a.md": elsewhere / "a.md",
        "templates/day.html": elsewhere / "t.html",
        "static/docs": elsewhere / "docs",
    }
    for where, target in links.items():
        (site / where).parent.mkdir(exist_ok=True)
        os.symlink(target, site / where)
    result = build_in_child(site)
    assert_fails_cleanly(
        site,
        result,
        *(
            f"{where}: symbolic link to {target}, outside the site: refused (copy the file in "
            "instead)"
            for where, target in links.items()
        ),
    )
    assert_untouched(site, before)


def test_links_inside_the_site_are_followed_and_loops_end(built) -> None:
    site, _ = built
    write_files(site, {"extra/notes.txt": "shared\n", "extra/more/deep.txt": "deep\n"})
    (site / "static").mkdir(exist_ok=True)
    os.symlink("../extra/notes.txt", site / "static/notes.txt")
    os.symlink("../extra/more", site / "static/more")
    os.symlink(".", site / "static/loop")
    code, _, err = build_in_child(site)
    assert code == 0, err
    assert (site / "build/notes.txt").read_text() == "shared\n"
    assert (site / "build/more/deep.txt").read_text() == "deep\n"
    assert not (site / "build/notes.txt").is_symlink()


def test_links_inside_the_site_to_its_hidden_files_or_its_sources_are_refused(built) -> None:
    # static/gc -> ../.git/config published the git configuration (a remote's URL may hold
    # a token), and static/all -> .. every briefing's Markdown, drafts too: links inside
    # the site were followed wherever they led
    site, before = built
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    subprocess.run(["git", "-C", str(site), "remote", "add", "origin",
                    "https://user:SECRET@example.org/x.git"], check=True)  # fmt: skip
    write_files(site, {".env": "TOKEN=SECRET\n"})
    (site / "static").mkdir(exist_ok=True)
    links = {"static/gc": "../.git/config", "static/gitdir": "../.git", "static/env": "../.env",
             "static/all": "..", "content/briefings/up": ".."}  # fmt: skip
    for where, target in links.items():
        os.symlink(target, site / where)
    result = build_in_child(site)
    real = os.path.realpath(site)
    hidden = (
        "a hidden file or folder (such as .git): refused (hidden files are never published: "
        "copy the file in instead)"
    )
    holds = (
        "a folder that holds this folder or the site: refused (from static/ it would publish "
        "the Markdown sources, drafts too)"
    )
    assert_fails_cleanly(
        site,
        result,
        f"static/gc: symbolic link to {real}/.git/config, {hidden}",
        f"static/gitdir: symbolic link to {real}/.git, {hidden}",
        f"static/env: symbolic link to {real}/.env, {hidden}",
        f"static/all: symbolic link to {real}, {holds}",
        f"content/briefings/up: symbolic link to {real}/content, {holds}",
    )
    assert_untouched(site, before)


def test_links_from_static_into_the_content_folder_are_refused(built) -> None:
    # static/src -> ../content/briefings (or one briefing, or content/) published the
    # Markdown sources, drafts too, as `[paths] static = "content"` would have
    site, before = built
    (site / "static").mkdir(exist_ok=True)
    briefing = sorted((site / "content/briefings").glob("*.md"))[0]
    links = {"static/src": "../content/briefings", "static/all": "../content",
             "static/one.md": f"../content/briefings/{briefing.name}"}  # fmt: skip
    for where, target in links.items():
        os.symlink(target, site / where)
    result = build_in_child(site)
    content = os.path.realpath(site / "content")
    refused = (
        "the content folder or in it: refused (from static/ it would publish the Markdown "
        "sources, drafts too)"
    )
    assert_fails_cleanly(
        site,
        result,
        f"static/all: symbolic link to {content}, {refused}",
        f"static/one.md: symbolic link to {content}/briefings/{briefing.name}, {refused}",
        f"static/src: symbolic link to {content}/briefings, {refused}",
    )
    assert_untouched(site, before)


@contextmanager
def preview(site: Path, send_timeout: float = 30.0) -> Iterator[PreviewServer]:
    options = ServeOptions(site, port=0, quiet=0.05, jobs=1, idle_timeout=0.5,
                           send_timeout=send_timeout)  # fmt: skip
    server = PreviewServer(options, lambda line: None, lambda line: None)
    server.start()
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: server.rebuilds >= 1, DEADLINE)
        yield server
    finally:
        server.stop()
        thread.join(DEADLINE)  # (before its folder is removed: a loaded machine is slow)
        server.close()


def get(server: PreviewServer, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=HELD) as raw:
        raw.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := raw.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1]), reply


def test_a_static_folder_that_holds_the_site_never_publishes_a_draft(make_site, tmp_path) -> None:
    # static = "." with the output elsewhere copied site.toml and every briefing's Markdown,
    # drafts included, into the site
    draft = briefing_text("2022-01-28", "Not for readers", draft="true")
    out = tmp_path / "public"
    toml = f'{TOML}[paths]\nstatic = "."\noutput = "{out}"\n'
    site = make_site({"site.toml": toml, "content/briefings/2022-01-28-x.md": draft})
    code, out_text, err = run_build(site)
    assert code == 1, out_text
    assert err.splitlines() == [
        f"site.toml:{toml.count(chr(10)) - 1}: paths.static must not be the site folder or "
        "above it: it would publish the Markdown sources, drafts too: use a folder of its own"
    ]
    assert not out.exists()


NOT_THERE = "(create it, or correct the name)"
UNDER_A_FILE = "('afile' is a file, not a folder)"


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("content", "nope", NOT_THERE),
        ("templates", "theme", NOT_THERE),
        ("static", "assets", NOT_THERE),
        ("static", "static", NOT_THERE),
        *[(key, "afile/x", UNDER_A_FILE) for key in ("content", "templates", "static")],
        ("content", "./afile/x/y", UNDER_A_FILE),
    ],
)
def test_a_folder_site_toml_names_that_does_not_exist_is_refused(built, key, value, why) -> None:
    # `content = "nope"` built a site without days, with one warning and exit 0 (MkDocs
    # refuses a docs_dir that is not there); a mistyped templates or static folder built
    # silently with the theme's templates or without the site's static files. Under a file
    # ('afile/x'), it gave one "cannot read this folder: Not a directory" per folder listed
    # beneath it, and no line in site.toml.
    site, before = built
    shutil.rmtree(site / "static", ignore_errors=True)
    (site / "afile").write_text("not a folder\n", encoding="utf-8")
    text = (site / "site.toml").read_text(encoding="utf-8")
    (site / "site.toml").write_text(f'{text}[paths]\n{key} = "{value}"\n', encoding="utf-8")
    code, out, err = run_build(site)
    assert code == 1, out
    line = text.count("\n") + 2
    assert err.splitlines() == [f"site.toml:{line}: paths.{key}: no such folder: {value!r} {why}"]
    assert_untouched(site, before)


def test_a_folder_left_at_its_default_may_be_missing(built) -> None:
    site, _ = built
    shutil.rmtree(site / "static", ignore_errors=True)
    shutil.rmtree(site / "templates", ignore_errors=True)
    code, _, err = run_build(site)
    assert code == 0, err


@pytest.mark.parametrize("static", [".sitegen-cache", ".git/x", "./.hidden"])
def test_a_static_folder_that_is_hidden_is_refused(make_site, static: str) -> None:
    # static = ".sitegen-cache" published the cache's records of every briefing, drafts too
    # (and ".git" its config, whose remote URL may hold a token)
    toml = f'{TOML}[paths]\nstatic = "{static}"\n'
    site = make_site({"site.toml": toml})
    (site / static / "sub").mkdir(parents=True, exist_ok=True)
    (site / static / "sub/config").write_text("token", encoding="utf-8")
    code, out, err = run_build(site)
    assert code == 1, out
    assert err.splitlines() == [
        f"site.toml:{toml.count(chr(10))}: paths.static must not be a hidden folder of the "
        "site or inside one (.git, .sitegen-cache): what it holds is never published: use a "
        "folder of its own"
    ]
    assert not (site / "build").exists()


def test_a_static_file_whose_name_is_not_utf8_is_an_error_at_its_path(built) -> None:
    # the build failed with a traceback writing the output's record of its files
    site, before = built
    (site / "static/d\udcff").mkdir(parents=True)
    (site / "static/caf\udce9.txt").write_text("x", encoding="utf-8")
    (site / "static/d\udcff/y.txt").write_text("x", encoding="utf-8")
    result = build_in_child(site)
    fix = "rename it (a URL cannot name it)"
    assert_fails_cleanly(
        site,
        result,
        f"static/caf\\udce9.txt: the path is not UTF-8 (byte 0xe9): {fix}",
        f"static/d\\udcff/y.txt: the path is not UTF-8 (byte 0xff): {fix}",
    )
    assert_untouched(site, before)


def test_the_preview_does_not_serve_a_link_to_etc_passwd(built) -> None:
    site, _ = built
    with preview(site) as server:
        assert server.ready
        rebuilds = server.rebuilds
        (site / "static").mkdir(exist_ok=True)
        os.symlink("/etc/passwd", site / "static/pw.txt")
        assert wait_until(lambda: server.rebuilds > rebuilds, DEADLINE)
        assert any(
            line.startswith("static/pw.txt: symbolic link to /etc/passwd") for line in server.errors
        )
        status, reply = get(server, "/pw.txt")
        assert status == 404 and b"root:" not in reply


# --------------------------------------------------------------------------- row 8


def test_configuration_content_and_template_errors_come_together(built) -> None:
    site, before = built
    write_files(
        site,
        {
            "site.toml": site_toml('timezone = "Mars/Olympus"\n'),
            "content/briefings/2022-01-28-bad.md": briefing_text("2022-02-30"),
            "templates/day.html": "{% extends 'base.html' %}\n{% block main %}{% if %}\n",
        },
    )
    (site / "static").mkdir(exist_ok=True)
    os.mkfifo(site / "static/pipe.txt")
    result = build_in_child(site)
    assert_fails_cleanly(
        site,
        result,
        "site.toml:3: unknown timezone 'Mars/Olympus' (use a name like 'Europe/Kyiv')",
        "content/briefings/2022-01-28-bad.md:3: date '2022-02-30' is not a real day",
        "templates/day.html:2: Expected an expression, got 'end of statement block'",
        "static/pipe.txt: a named pipe (FIFO), not a regular file: remove it",
    )
    assert_untouched(site, before)


def test_a_bad_base_url_does_not_hide_content_errors(built) -> None:
    site, before = built
    write_files(
        site,
        {
            "site.toml": TOML.replace("https://example.org/", "ftp://example.org/"),
            B: front("title: x\ndate: 2024-02-30\n"),
        },
    )
    code, out, err = run_build(site)
    assert_fails_cleanly(
        site,
        (code, out, err),
        "site.toml:2: base_url must be an absolute http(s) URL, not 'ftp://example.org/'",
        f"{B}:3: date '2024-02-30' is not a real day",
    )
    assert_untouched(site, before)


# --------------------------------------------------------------------------- row 9

BAD_URLS = [
    ("javascript:alert(1)//x/", "must be an absolute http(s) URL, not 'javascript:alert(1)//x/'"),
    ("data:text/html,x/", "must be an absolute http(s) URL, not 'data:text/html,x/'"),
    ("//x.example/", "must be an absolute http(s) URL, not '//x.example/'"),
    ("https://x.example/\"><script>alert(1)</script>/",
     "must not contain spaces, quotes, control characters or any of <>\\^`{|}: found '\"' at "
     "character 19 of 'https://x.example/\"><script>alert(1)</script>/'"),
    ("https://x.example/a b/",
     "must not contain spaces, quotes, control characters or any of <>\\^`{|}: found ' ' at "
     "character 20 of 'https://x.example/a b/'"),
    ("https://x.example/it's/",
     "must not contain spaces, quotes, control characters or any of <>\\^`{|}: found \"'\" at "
     "character 21 of \"https://x.example/it's/\""),
    ("https://x.example/\x01/",
     "must not contain spaces, quotes, control characters or any of <>\\^`{|}: found '\\x01' at "
     "character 19 of 'https://x.example/\\x01/'"),
    ("https://x.example/\u202e/",
     "must not contain spaces, quotes, control characters or any of <>\\^`{|}: found '\\u202e' "
     "at character 19 of 'https://x.example/\\u202e/'"),
    ("https://user:secret@x.example/", "must not hold a user name or password: "
     "'https://user:secret@x.example/'"),
    ("https://x.example/?a=1", "must not have a query (?) or a fragment (#): page paths go after "
     "it: 'https://x.example/?a=1'"),
    # every link would be '//evil.example/feed.xml': another host's
    ("https://x.example//evil.example/", "must not have '//', '/./' or '/../' in its path: links "
     "would lead elsewhere: 'https://x.example//evil.example/'"),
    ("https://x.example/a/%2E%2e/", "must not have '//', '/./' or '/../' in its path: links "
     "would lead elsewhere: 'https://x.example/a/%2E%2e/'"),
    ("", "must be an absolute http(s) URL, not ''"),  # not "unset": the option was given
    ("https://xn--/", "has a host name that cannot exist (label 'xn--' must be 1-63 letters, "
     "digits or inner hyphens): 'https://xn--/'"),
    ("https://xn--zz.example/", "has a host name that cannot exist (label 'xn--zz' is not valid "
     "punycode): 'https://xn--zz.example/'"),
    ("https://x..example/", "has a host name that cannot exist (an empty label): "
     "'https://x..example/'"),
    # these were accepted, and every link of the site carried them
    ("https://x.example/a%00b/", "must not hold an escaped control character (%00): "
     "'https://x.example/a%00b/'"),
    ("https://x.example/100%/", "has a '%' that is not followed by two hexadecimal digits: "
     "'https://x.example/100%/'"),
    ("https://999.1.1.1/", "has a host name that cannot exist (a name that ends in a number "
     "must be an IPv4 address, four numbers of 0-255): 'https://999.1.1.1/'"),
    ("https://x.example.123/", "has a host name that cannot exist (a name that ends in a "
     "number must be an IPv4 address, four numbers of 0-255): 'https://x.example.123/'"),
    ("https://x.example:0/", "is not a valid URL (port 0): 'https://x.example:0/'"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "problem"), BAD_URLS, ids=range(len(BAD_URLS)))
def test_a_bad_base_url_option_is_refused(built, url: str, problem: str) -> None:
    site, before = built
    code, out, err = run_build(site, "--base-url", url)
    assert_fails_cleanly(site, (code, out, err), f"--base-url: {problem}")
    # (site.toml says "base_url must ...", the option "--base-url: must ...")
    assert_untouched(site, before)


@pytest.mark.parametrize(("url", "problem"), BAD_URLS, ids=range(len(BAD_URLS)))
def test_a_bad_base_url_in_site_toml_is_refused(built, url: str, problem: str) -> None:
    site, before = built
    toml = TOML.replace('"https://example.org/"', json.dumps(url))  # a TOML basic string
    problem = " " + problem
    write_files(site, {"site.toml": toml})
    code, out, err = run_build(site)
    if "\x01" in url:  # written as a TOML escape: refused as any setting's control character
        problem = ": control character U+0001 (SOH): feeds (XML) cannot carry it; remove it"
    assert_fails_cleanly(site, (code, out, err), f"site.toml:2: base_url{problem}")
    assert_untouched(site, before)


HOSTILE = "</script><script>alert(1)</script> <!-- & \"q\" 'a' <b>"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def test_settings_are_escaped_wherever_they_reach_html_xml_json_ld_and_robots(make_site) -> None:
    base = "https://x.example/a&b/"
    toml = (
        f"title = {json.dumps(HOSTILE)}\ndescription = {json.dumps(HOSTILE)}\n"
        f"author = {json.dumps(HOSTILE)}\nbase_url = {json.dumps(base)}\n"
        "[search]\nenabled = false\n"
    )
    site = make_site({"site.toml": toml})
    code, _, err = run_build(site)
    assert code == 0, err
    out = site / "build"
    for page in out.rglob("*.html"):
        parser = _Scripts()
        parser.feed(page.read_text(encoding="utf-8"))
        for attrs, text in parser.scripts:
            assert "alert(1)" not in text or attrs.get("type") == "application/ld+json", page
            if attrs.get("type") == "application/ld+json":
                data = json.loads(text)
                assert data.get("publisher", data.get("mainEntity", {})) is not None
    day = (out / "2022/01/27/index.html").read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', day).group(1))
    assert ld["publisher"]["name"] == HOSTILE and ld["author"][0]["url"] == base
    for name in ("feed.xml", "sitemap.xml", "actors/nato/feed.xml"):
        ET.parse(out / name)  # well-formed XML
    feed = ET.parse(out / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}title").text == HOSTILE
    content = feed.find(f"{atom}entry/{atom}content").text
    assert 'href="https://x.example/a&amp;b/actors/' in content  # escaped inside the HTML
    robots = (out / "robots.txt").read_text().splitlines()
    assert robots[-1] == f"Sitemap: {base}sitemap.xml"


# --------------------------------------------------------------------------- row 12


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("HEAD", "it names git's current commit"),
        ("@", "it names git's current commit"),
        ("-x", "it starts with '-' (git would read it as an option)"),
        ("--force", "it starts with '-' (git would read it as an option)"),
        ("a..b", "it holds '..' or '@{'"),
        ("a@{1}", "it holds '..' or '@{'"),
        ("a b", "it holds a space, a control character or one of ~ ^ : ? * [ \\"),
        ("a\tb", "it holds a space, a control character or one of ~ ^ : ? * [ \\"),
        ("a:b", "it holds a space, a control character or one of ~ ^ : ? * [ \\"),
        ("x~1", "it holds a space, a control character or one of ~ ^ : ? * [ \\"),
        ("a/", "it starts or ends with '/', ends with '.' or holds '//'"),
        ("a.", "it starts or ends with '/', ends with '.' or holds '//'"),
        ("a//b", "it starts or ends with '/', ends with '.' or holds '//'"),
        ("pages.lock", "a part of it starts with '.' or ends with '.lock'"),
        ("x/.hidden", "a part of it starts with '.' or ends with '.lock'"),
        ("", "it is empty"),
    ],
)
def test_branch_names_follow_gits_rules(name: str, problem: str) -> None:
    assert ref_name_problem(name) == problem
    if name and not name.startswith("-"):
        git = subprocess.run(["git", "check-ref-format", "--branch", name], capture_output=True)
        assert git.returncode != 0 or name == "@", "git accepts what we refuse"


@pytest.mark.parametrize("name", ["gh-pages", "main", "site/pages", "héllo", "v1.0"])
def test_good_branch_names_pass(name: str) -> None:
    assert ref_name_problem(name) is None


@pytest.fixture
def repository(built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site, _ = built
    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for command in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], cwd=site, check=True, capture_output=True)  # fmt: skip
    return site


DASH = "it starts with '-' (git would read it as an option)"
PLUS = "it starts with '+' (git push would read it as a forced update)"
ODD_CHARACTER = "it holds a space, a control character or one of ~ ^ : ? * [ \\"


def refs(site: Path) -> str:
    return subprocess.run(["git", "for-each-ref"], cwd=site, capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--branch", "HEAD"], "HEAD: not a valid branch name: it names git's current commit"),
        (["--branch", "-x"], f"-x: not a valid branch name: {DASH}"),
        (["--remote", "-x"], f"-x: not a valid remote name: {DASH}"),
        (["--branch", "a\x1bb"], f"'a\\x1bb': not a valid branch name: {ODD_CHARACTER}"),
        (["--branch", "+main"], f"+main: not a valid branch name: {PLUS}"),
    ],
    ids=["HEAD", "dash-branch", "dash-remote", "control", "plus-branch"],
)
def test_deploy_refuses_bad_branch_and_remote_names(repository: Path, args, expected) -> None:
    from click.testing import CliRunner

    from sitegen.cli import main

    before = refs(repository)
    result = CliRunner().invoke(main, ["deploy", "--site", str(repository), "--no-push", *args])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [expected]
    assert refs(repository) == before  # no refs/heads/HEAD, no commit


# --------------------------------------------------------------------------- row 14


def test_a_client_that_never_finishes_its_headers_is_dropped(built) -> None:
    site, _ = built
    with (
        preview(site) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=HELD) as slow,
    ):
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        status, _ = get(server, "/")  # others are still served meanwhile
        assert status == 200
        started = time.monotonic()
        try:
            assert slow.recv(1024) == b"", "the server answered a request it never got"
        except TimeoutError:
            pytest.fail(f"the half-sent request was held for {HELD} s")
        assert time.monotonic() - started < HELD


def test_an_idle_connection_is_dropped_too(built) -> None:
    site, _ = built
    with (
        preview(site) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=HELD) as idle,
    ):
        try:
            assert idle.recv(1024) == b""
        except TimeoutError:
            pytest.fail(f"an idle connection was held for {HELD} s")


def _open_here(path: str) -> bool:
    """Whether this process (the preview runs in one of its threads) has `path` open."""
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}").endswith(path):
                return True
    return False


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc/self/fd")
def test_a_client_that_stops_reading_its_answer_is_dropped(built) -> None:
    # slowloris from the other end: a client asked for a large file and read none of it;
    # the file stayed open and the connection held for as long as the client liked
    site, _ = built
    size = 16 * 2**20
    (site / "static").mkdir(exist_ok=True)
    (site / "static/big.bin").write_bytes(b"x" * size)
    with preview(site, send_timeout=0.5) as server:
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.settimeout(HELD)
        with slow:
            slow.connect(("127.0.0.1", server.port))
            slow.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert wait_until(lambda: _open_here("/big.bin"), HELD), "the file was never sent"
            status, _ = get(server, "/")  # others are still served meanwhile
            assert status == 200
            if not wait_until(lambda: not _open_here("/big.bin"), HELD):
                pytest.fail(f"a client that read nothing was held for {HELD} s")
            received = 0
            while chunk := slow.recv(2**20):
                received += len(chunk)
            assert received < size  # the connection was closed, the answer abandoned
            status, _ = get(server, "/")
            assert status == 200


# --------------------------------------------------------------------------- row 15


@pytest.mark.parametrize(
    ("encoding", "kind"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"),
     ("utf-32-le", "UTF-32")],
)  # fmt: skip
def test_a_utf16_briefing_is_named_with_the_fix(built, encoding: str, kind: str) -> None:
    site, before = built
    write_files(site, {B: BRIEFING.encode(encoding)})
    code, out, err = run_build(site)
    message = f"{B}:1: the file is {kind} text, not UTF-8: save it as UTF-8"
    assert_fails_cleanly(site, (code, out, err), message)
    assert_untouched(site, before)


def test_latin1_text_is_named_with_the_fix(built) -> None:
    site, before = built
    write_files(site, {B: front("title: Café\ndate: 2022-01-27\n").encode("latin-1")})
    code, out, err = run_build(site)
    message = (
        f"{B}:2: not valid UTF-8: byte 0xe9 at column 11 (Windows-1252 or Latin-1 text?); save "
        "the file as UTF-8"
    )
    assert_fails_cleanly(site, (code, out, err), message)
    assert_untouched(site, before)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_ingest_names_utf16(encoding: str) -> None:
    raw = "date 2022-01-27 Lead.\n\nJan. 27: What you need to know\n\nItem.\n".encode(encoding)
    with pytest.raises(IngestError) as caught:
        decode(raw)
    kind = "UTF-32" if "32" in encoding else "UTF-16"
    assert (str(caught.value), caught.value.line) == (
        f"{kind} text, not UTF-8; save the file as UTF-8",
        1,
    )


@pytest.mark.parametrize(
    "raw",
    [b"\0" * 100, b"\x89PNG\r\n\x1a\n" + b"\0" * 50],
    ids=["nuls", "png"],
)
def test_ingest_calls_zeros_binary_not_utf32(raw: bytes) -> None:
    # a run of NUL bytes (or a PNG named .txt) was "UTF-32 text, not UTF-8; save the file
    # as UTF-8": zeros in every position are no UTF-32 text
    with pytest.raises(IngestError) as caught:
        decode(raw)
    assert str(caught.value) == "binary file (contains NUL bytes), not a text briefing"


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_byte_order_mark_is_still_named(encoding: str) -> None:
    raw = "date 2022-01-27 Lead.\n\nItem.\n".encode(encoding)
    with pytest.raises(IngestError) as caught:
        decode(raw)
    assert str(caught.value) == "UTF-32 text, not UTF-8; save the file as UTF-8"
