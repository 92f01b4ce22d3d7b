"""`sitegen serve`: a real server on an ephemeral port, requests over real sockets.

The preview equals a clean build after every edit; paths that try to leave the preview
folder get 404 or 400 and the server keeps answering; a failed rebuild keeps the last good
site and tells the browser why; a burst of saves gives one rebuild.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

import sitegen
from sitegen.build import BuildOptions, build
from sitegen.diagnostics import SitegenError
from sitegen.incremental import LiveBuild
from sitegen.output import MARKER, OutputFolder
from sitegen.search import ENTRY
from sitegen.serve import PreviewServer, ServeOptions, host_warning
from sitegen.watch import Watcher
from tests.tools.polling import wait_until

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
ROOT = Path(__file__).resolve().parent.parent
BRIEF = "content/briefings/2022-01-31-what-you-need-to-know.md"
DAY = "/golden/2022/01/31/"
NO_SEARCH = "\n[search]\nenabled = false\n"
SECRET = "TOP-SECRET-3f9a"
# How long a test waits for what the server does (a first build, a rebuild, a message): a
# bound on a hang, never a timing. A loaded machine took over 4 s for a rebuild's round trip.
WAIT = 30.0


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, copy, ignore=shutil.ignore_patterns(".sitegen-cache"))
    return copy


def without_search(site: Path) -> Path:
    """Pagefind costs a few tenths of a second per build; most tests do not need it."""
    with (site / "site.toml").open("a") as handle:
        handle.write(NO_SEARCH)
    return site


@contextmanager
def running(
    site: Path, lines: list[str] | None = None, **options: object
) -> Iterator[PreviewServer]:
    """A preview server in a thread, after its first build; stopped and removed after.
    What it prints goes to `lines`."""
    settings = {"port": 0, "quiet": 0.05, "search_quiet": 0.0, "jobs": 1, **options}
    lines = [] if lines is None else lines
    server = PreviewServer(ServeOptions(site, **settings), lines.append, lines.append)  # type: ignore[arg-type]
    server.start()
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: server.rebuilds >= 1, 2 * WAIT), lines
        yield server
    finally:
        server.stop()
        thread.join(WAIT)
        server.close()


def rebuilt(server: PreviewServer, edit: Callable[[], object], timeout: float = WAIT) -> None:
    """Make an edit and wait for the rebuild it causes."""
    before = server.rebuilds
    edit()
    assert wait_until(lambda: server.rebuilds > before, timeout), "no rebuild after the edit"


def request(server: PreviewServer, path: str, method: str = "GET", **headers: str):
    """A request with the path exactly as written (http.client does not normalise it)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def build_clean(site: Path, where: Path) -> Path:
    build(BuildOptions(site, where, jobs=1, no_cache=True))
    return where


def assert_same_as_clean_build(server: PreviewServer, site: Path, where: Path, step: str) -> None:
    """The preview, once the rebuilds the edit causes are done, is what a clean build makes.
    An edit of several writes (a folder, then a file in it) may reach the server as two
    batches, each its own rebuild, when the machine is loaded: the rebuild the test waited
    for may be the first. So the preview is compared until it matches (a bound on a
    preview that never does, not a timing) and then once more for the report."""
    build_clean(site, where)
    clean = tree(where)

    def matches() -> bool:
        try:
            return tree(server.root) == clean
        except OSError:  # (a file replaced as it was read: the rebuild is under way)
            return False

    wait_until(matches, WAIT)
    preview = tree(server.root)
    assert sorted(preview) == sorted(clean), f"after {step}: files differ"
    different = [name for name in clean if preview[name] != clean[name]]
    assert not different, f"after {step}: {different} differ"


def save(path: Path, text: str) -> None:
    """Write a watched file whole, as an editor that saves by renaming does: a write in
    place is a truncation, then the bytes, and a loaded machine let a rebuild read the
    file in between (an empty briefing: an error, a rebuild the test did not mean)."""
    temporary = path.with_name(f".{path.name}.saving")  # hidden: neither watched nor built
    temporary.write_text(text)
    os.replace(temporary, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    save(path, text.replace(old, new))


# --------------------------------------------------------------------------- serving


def test_serves_the_site_under_base_urls_path(site: Path) -> None:
    with running(without_search(site)) as server:
        assert server.url == f"http://127.0.0.1:{server.port}/golden/"
        status, _, body = request(server, DAY)
        assert status == 200
        assert b"<h1>Jan. 31: What you need to know today</h1>" in body
        assert b'<script src="/__sitegen__/live.js"' in body  # injected, not on disk
        assert b"__sitegen__" not in (server.root / "2022/01/31/index.html").read_bytes()
        status, headers, _ = request(server, "/")
        assert (status, headers["Location"]) == (302, "/golden/")
        status, headers, _ = request(server, "/golden/2022/01/31")
        assert (status, headers["Location"]) == (301, DAY)
        status, _, body = request(server, "/golden/no/such/page/")
        assert status == 404 and b"Page not found" in body  # the site's own 404 page
        status, headers, body = request(server, "/golden/assets/style.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert headers["Cache-Control"] == "no-cache"
        status, headers, _ = request(server, DAY, "GET", **{"If-None-Match": headers["Etag"]})
        assert status == 200  # an ETag of another file does not match
        status, headers, _ = request(server, DAY)
        status, _, _ = request(server, DAY, "GET", **{"If-None-Match": headers["Etag"]})
        assert status == 304
        status, _, body = request(server, "/__sitegen__/live.js")
        assert status == 200 and b"WebSocket" in body


TRAVERSALS = [
    "/../site.toml",
    "/..%2fsite.toml",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%252f..%252fetc/passwd",
    "/golden/../site.toml",
    "/golden/..%2fsite.toml",
    "/golden/..%2F..%2Fsite.toml",
    "/golden/%2e%2e/site.toml",
    "/golden/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/golden/..%252f..%252fetc/passwd",
    "/golden/%252e%252e/site.toml",
    "/golden/..\\..\\site.toml",
    "/golden/%5c..%5c..%5csite.toml",
    "/golden/%00",
    "/golden/index.html%00.css",
    "//etc/passwd",
    "/golden//etc/passwd",
    "/golden/assets/../../site.toml",
]


def test_paths_that_leave_the_preview_folder_are_refused(site: Path) -> None:
    with running(without_search(site)) as server:
        (server.temp / "site.toml").write_text(f"{SECRET} = 1\n")  # a target next to the root
        for path in TRAVERSALS:
            status, _, body = request(server, path)
            assert status in (400, 404), f"{path}: {status}"
            assert SECRET.encode() not in body and b"root:" not in body, path
        status, _, _ = request(server, DAY)
        assert status == 200, "the server stopped answering"


def test_a_file_asked_for_as_a_folder_is_not_found(site: Path) -> None:
    # '/index.html/' was served 200, where GitHub Pages (and any static host) answers 404
    with running(without_search(site)) as server:
        for path in ("/golden/index.html/", "/golden/feed.xml/", "/golden/2022/01/31/index.html/"):
            status, _, _ = request(server, path)
            assert status == 404, f"{path}: {status}"
        assert request(server, "/golden/2022/01/31/")[0] == 200


def test_a_nul_byte_in_the_raw_request_line_is_refused(site: Path) -> None:
    with running(without_search(site)) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
            raw.sendall(b"GET /golden/\x00/../../site.toml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            reply = raw.recv(4096)
        assert reply.split(b" ")[1] in (b"400", b"404") or reply == b"", reply[:80]
        assert request(server, DAY)[0] == 200


@pytest.mark.parametrize(
    ("line", "headers", "status"),
    [
        (b"/golden/" + b"a" * 65536, b"", b"414 Request-URI Too Long"),
        (b"/golden/" + b"a" * 9000, b"", b"414 Request-URI Too Long"),
        (b"/__sitegen__/live.js?" + b"a" * 9000, b"", b"414 Request-URI Too Long"),
        (b"/golden/", b"X-Big: " + b"a" * 70000 + b"\r\n", b"431 Request Header Fields Too Large"),
    ],
)
def test_an_over_long_request_is_answered_with_its_status(
    site: Path, line: bytes, headers: bytes, status: bytes
) -> None:
    """At tornado's 64 KiB a request line got the connection closed, with no status."""
    with running(without_search(site)) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
            raw.sendall(
                b"GET "
                + line
                + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + headers
                + b"\r\n"
            )
            reply = b""
            while chunk := raw.recv(4096):
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 " + status + b"\r\n"), reply[:80]
        assert reply.endswith(b"\r\n\r\n" + status + b"\n")
        assert request(server, DAY)[0] == 200


def test_symlinks_and_sibling_folders_outside_the_preview_are_not_served(site: Path) -> None:
    with running(without_search(site)) as server:
        root = server.root
        secret = server.temp / f"{root.name}-private"  # starts like the preview folder
        secret.mkdir()
        (secret / "secret.txt").write_text(SECRET)
        outside = server.temp.parent / f"{server.temp.name}-evil"
        outside.mkdir()
        (outside / "secret.txt").write_text(SECRET)
        (root / "link.toml").symlink_to(site / "site.toml")
        (root / "linked-folder").symlink_to(secret, target_is_directory=True)
        (root / "escape").mkdir()
        (root / "escape" / "index.html").symlink_to(secret / "secret.txt")
        try:
            for path in [
                "/golden/link.toml",
                "/golden/linked-folder/secret.txt",
                "/golden/escape/",
                f"/golden/../{secret.name}/secret.txt",
                f"/golden/..%2f{secret.name}%2fsecret.txt",
                f"/golden/../../{outside.name}/secret.txt",
            ]:
                status, _, body = request(server, path)
                assert status in (400, 404), f"{path}: {status}"
                assert SECRET.encode() not in body and b"base_url" not in body, path
        finally:
            shutil.rmtree(outside)
        assert request(server, DAY)[0] == 200


def test_no_directory_listings_and_only_its_own_host(site: Path) -> None:
    with running(without_search(site)) as server:
        status, _, body = request(server, "/golden/assets/")
        assert status == 404 and b"Page not found" in body  # not a list of the folder
        status, _, _ = request(server, DAY, Host="evil.example")  # DNS rebinding
        assert status == 400
        status, _, _ = request(server, DAY, Host=f"localhost:{server.port}")
        assert status == 200


def test_the_folders_of_killed_servers_are_removed(site: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    abandoned = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    (abandoned / "pid").write_text(f"{gone.pid}\n")
    alive = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    (alive / "pid").write_text(f"{os.getpid()}\n")
    try:
        with running(without_search(site)):
            assert not abandoned.exists()
            assert alive.exists()
    finally:
        shutil.rmtree(alive)
        shutil.rmtree(abandoned, ignore_errors=True)


def test_binding_beyond_loopback_is_warned_about() -> None:
    assert host_warning("127.0.0.1") is None
    assert host_warning("::1") is None
    assert host_warning("localhost") is None
    warning = host_warning("0.0.0.0")
    assert warning and warning.startswith("warning:") and "\n" not in warning


# --------------------------------------------------------------------------- rebuilding

STEPS: list[tuple[str, Callable[[Path], object]]] = [
    ("edit an item", lambda s: edit(s / BRIEF, "said on Monday", "said on Tuesday")),
    (
        "add a day",
        lambda s: save(
            s / "content/briefings/2022-02-03-what-you-need-to-know.md",
            '---\ntitle: "Feb. 3"\ndate: 2022-02-03\n---\nCalm.\n\n## Items\n\n[[Quill]] rested.\n',
        ),
    ),
    (
        "rename a day",
        lambda s: (s / "content/briefings/2022-02-03-what-you-need-to-know.md").rename(
            s / "content/briefings/2022-02-03-calm.md"
        ),
    ),
    ("delete a day", lambda s: (s / "content/briefings/2022-02-03-calm.md").unlink()),
    (
        "add an alias",
        lambda s: edit(
            s / "content/actors/harbour-board.md", '"the Board"', '"the Board", "Port Board"'
        ),
    ),
    (
        "mention via the new alias",
        lambda s: edit(s / BRIEF, "walked out.", "walked out, and the [[Port Board]] followed."),
    ),
    ("edit a template", lambda s: edit(s / "templates/footer.html", "Golden", "Gilded")),
    ("edit site.toml", lambda s: edit(s / "site.toml", "actor_days = 2", "actor_days = 1")),
]  # fmt: skip


def test_the_preview_equals_a_clean_build_after_each_edit(site: Path, tmp_path: Path) -> None:
    with running(without_search(site)) as server:
        assert_same_as_clean_build(server, site, tmp_path / "clean-0", "the first build")
        for number, (step, change) in enumerate(STEPS, 1):
            rebuilt(server, lambda change=change: change(site))
            assert not server.errors, (step, server.errors)
            assert_same_as_clean_build(server, site, tmp_path / f"clean-{number}", step)


MORE_STEPS: list[tuple[str, Callable[[Path], object]]] = [
    ("add an alias", lambda s: edit(s / "content/actors/harbour-board.md", '"the Board"',
                                    '"the Board", "Port Board"')),
    ("drop the alias", lambda s: edit(s / "content/actors/harbour-board.md", ', "Port Board"', "")),
    ("rename an actor", lambda s: edit(s / "content/actors/ada-quill.md", "name: Ada Quill",
                                       "name: Ada M. Quill\nslug: ada-quill")),
    ("override a theme template", lambda s: save(s / "templates/404.html",
        '{% extends "base.html" %}{% block main %}<p>Lost at sea.</p>{% endblock %}')),
    ("edit a static file", lambda s: save(s / "static/robots.txt", "User-agent: *\n")),
    ("add a static file over a page", lambda s: (s / "static/archive").mkdir() or save(
        s / "static/archive/index.html", "<p>moved</p>")),
    ("remove it again", lambda s: shutil.rmtree(s / "static/archive")),
    ("make a day a draft", lambda s: edit(s / BRIEF, "date: 2022-01-31",
                                          "date: 2022-01-31\ndraft: true")),
]  # fmt: skip


def test_the_preview_follows_actors_templates_static_files_and_drafts(
    site: Path, tmp_path: Path
) -> None:
    with running(without_search(site)) as server:
        for number, (step, change) in enumerate(MORE_STEPS, 1):
            rebuilt(server, lambda change=change: change(site))
            assert not server.errors, (step, server.errors)
            assert_same_as_clean_build(server, site, tmp_path / f"clean-{number}", step)


def _file_to_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    save(path / "inner.txt", "in a folder\n")


def _folder_to_file(path: Path) -> None:
    shutil.rmtree(path)
    save(path, "a file again\n")


# static/x a folder of files, then a file (the preview copied it into the folder its first
# commit left in the staging folder: x/x), then a folder again
FILE_AND_FOLDER_STEPS = [
    ("a static file", lambda s: save(s / "static/x", "a file\n")),
    ("the file becomes a folder", lambda s: _file_to_folder(s / "static/x")),
    ("the folder becomes a file", lambda s: _folder_to_file(s / "static/x")),
    ("and a folder again", lambda s: _file_to_folder(s / "static/x")),
]


def test_a_static_file_that_becomes_a_folder_and_back_is_previewed_as_built(
    site: Path, tmp_path: Path
) -> None:
    with running(without_search(site)) as server:
        for number, (step, change) in enumerate(FILE_AND_FOLDER_STEPS, 1):
            rebuilt(server, lambda change=change: change(site))
            assert not server.errors, (step, server.errors)
            assert_same_as_clean_build(server, site, tmp_path / f"clean-{number}", step)


def test_a_content_folder_link_re_pointed_is_previewed_as_built(site: Path, tmp_path: Path) -> None:
    """content/ is a link to one of two copies of the content, switched with `ln -sfn`
    (a new link renamed over it): the preview follows, and then the edits where it leads."""
    without_search(site)
    (site / "content").rename(site / "content-a")
    shutil.copytree(site / "content-a", site / "content-b")
    brief = site / "content-b" / BRIEF.removeprefix("content/")
    edit(brief, "## ", "A paragraph only b has.\n\n## ")
    (site / "content").symlink_to("content-a")

    def re_point() -> None:
        (site / "content.new").symlink_to("content-b")
        os.replace(site / "content.new", site / "content")

    with running(site) as server:
        rebuilt(server, re_point)
        assert_same_as_clean_build(server, site, tmp_path / "clean-1", "the link re-pointed")
        rebuilt(server, lambda: edit(brief, "## ", "Then an edit in b.\n\n## "))
        assert_same_as_clean_build(server, site, tmp_path / "clean-2", "an edit where it leads")


def test_a_briefing_that_is_a_link_to_a_file_elsewhere_follows_its_edits(
    site: Path, tmp_path: Path
) -> None:
    """A briefing replaced by a link to a file outside content/ (kept in the site): an edit
    of that file is previewed as a build makes it."""
    kept = site / "kept" / Path(BRIEF).name
    kept.parent.mkdir()
    shutil.copy(site / BRIEF, kept)
    with running(without_search(site)) as server:
        (site / BRIEF).unlink()
        rebuilt(server, lambda: (site / BRIEF).symlink_to(f"../../kept/{kept.name}"))
        rebuilt(server, lambda: edit(kept, "## ", "A paragraph written where it leads.\n\n## "))
        assert_same_as_clean_build(server, site, tmp_path / "clean", "an edit where it leads")


@pytest.mark.skipif(shutil.which("true") is None, reason="needs a POSIX system")
def test_the_search_index_is_the_one_a_clean_build_makes(site: Path, tmp_path: Path) -> None:
    from sitegen.search import pagefind_program

    if pagefind_program() is None:
        if os.environ.get("SITEGEN_REQUIRE_TOOLS") == "1":
            pytest.fail("Pagefind is missing (a core dependency: pip install -e .)")
        pytest.skip("Pagefind is not installed")
    with running(site) as server:
        assert wait_until(lambda: server.searches == 1, WAIT)
        rebuilt(server, lambda: edit(site / BRIEF, "said on Monday", "said on Friday"))
        assert wait_until(lambda: server.searches == 2, WAIT)
        bundles = json.loads((server.root / "pagefind/bundles.json").read_text())["bundles"]
        for bundle in bundles:
            assert (server.root / "pagefind" / Path(bundle["path"]).name / ENTRY).is_file()
        assert_same_as_clean_build(server, site, tmp_path / "clean", "an edit, with search")


def test_an_edit_re_renders_only_the_pages_that_show_it(site: Path) -> None:
    with running(without_search(site)) as server:
        total = server.last.pages if server.last else 0
        rebuilt(server, lambda: edit(site / BRIEF, "said on Monday", "said on Sunday"))
        assert server.last is not None
        assert 0 < len(server.last.rendered) < total
        assert "2022/01/31/index.html" in server.last.written
        assert "actors/silent-partner/index.html" not in server.last.written  # never mentioned
        assert server.last.first_seconds is not None  # the day page came first, on its own


def test_a_template_change_re_renders_the_pages_that_use_it(site: Path) -> None:
    with running(without_search(site)) as server:
        theme = Path(sitegen.__file__).parent / "theme" / "templates" / "actors.html"
        override = theme.read_text().replace("</h1>", " (preview)</h1>", 1)
        rebuilt(server, lambda: save(site / "templates/actors.html", override))
        assert server.last is not None
        assert server.last.rendered == server.last.written == ["actors/index.html"]


def test_an_actor_edit_re_renders_its_page_and_the_pages_that_show_it(site: Path) -> None:
    with running(without_search(site)) as server:
        actor = site / "content/actors/ada-quill.md"
        rebuilt(server, lambda: edit(actor, "role: Harbour Minister", "role: Port Minister"))
        assert server.last is not None
        rendered = set(server.last.rendered)  # rendered, written only if their bytes changed
        assert {"actors/ada-quill/index.html", "2022/01/31/index.html"} <= rendered
        assert "archive/index.html" not in rendered  # it shows no actor
        assert "actors/ada-quill/index.html" in server.last.written


@pytest.mark.parametrize("slow_settings", [False, True])
def test_a_new_base_url_path_moves_the_preview(
    site: Path, monkeypatch: pytest.MonkeyPatch, slow_settings: bool
) -> None:
    """A rebuild is counted once the new path is served too: a test (or anything that waits
    on the count) never sees the count before the move (a slow machine did, once)."""
    if slow_settings:
        follow = PreviewServer._follow_settings

        def slowly(self: PreviewServer) -> None:
            time.sleep(0.3)
            follow(self)

        monkeypatch.setattr(PreviewServer, "_follow_settings", slowly)
    with running(without_search(site)) as server:
        new = "https://example.org/golden/preview/"
        rebuilt(server, lambda: edit(site / "site.toml", "https://example.org/golden/", new))
        assert server.url == f"http://127.0.0.1:{server.port}/golden/preview/"
        assert request(server, "/golden/preview/2022/01/31/")[0] == 200
        assert request(server, DAY)[0] == 404


def test_a_save_during_a_rebuild_is_not_overwritten_by_it(site: Path, tmp_path: Path) -> None:
    """The edit of a day's neighbour comes in while the rebuild for the first edit renders:
    it gets the fast path, and that rebuild, which loaded the files before, must not put
    its older version of the page back."""
    without_search(site)
    engine = LiveBuild(BuildOptions(site, jobs=1), OutputFolder(tmp_path / "p", tmp_path / "s"))
    engine.rebuild()
    first, second = site / BRIEF, site / "content/briefings/2022-02-01-what-you-need-to-know.md"
    edit(first, "said on Monday", "said on Wednesday")
    calls: list[int] = []

    def meanwhile() -> list[Path]:
        calls.append(1)
        if len(calls) > 1:
            return []
        edit(second, "## ", "A late addition.\n\n## ")
        return [second]

    engine.rebuild([first], interrupt=meanwhile)
    assert b"A late addition." in (tmp_path / "p/2022/02/01/index.html").read_bytes()
    assert b"said on Wednesday" in (tmp_path / "p/2022/01/31/index.html").read_bytes()
    engine.rebuild([second])  # what the server does next with the carried change
    preview, clean = tree(tmp_path / "p"), tree(build_clean(site, tmp_path / "clean"))
    assert preview == clean


def test_a_fast_path_page_of_a_failed_rebuild_is_made_again_when_the_edit_is_undone(
    site: Path, tmp_path: Path
) -> None:
    """A save of a day and of a broken file: the day's page gets the fast path, then the
    rebuild fails. The editor undoes the day's edit and fixes the other file: the briefing
    is what the last good rebuild had, so its page's key too, and the preview kept showing
    the undone edit (the fast path had recorded its bytes under the old key)."""
    without_search(site)
    engine = LiveBuild(BuildOptions(site, jobs=1), OutputFolder(tmp_path / "p", tmp_path / "s"))
    engine.rebuild()
    day, broken = site / BRIEF, site / "content/briefings/2022-02-05-broken.md"
    kept = day.read_bytes()
    edit(day, "said on Monday", "said on Wednesday")
    broken.write_text("---\ntitle: [\n---\n")
    with pytest.raises(SitegenError):
        engine.rebuild([day, broken])
    assert b"said on Wednesday" in (tmp_path / "p/2022/01/31/index.html").read_bytes()
    day.write_bytes(kept)
    broken.unlink()
    engine.rebuild([day, broken])
    assert tree(tmp_path / "p") == tree(build_clean(site, tmp_path / "clean"))


def test_a_fast_path_page_written_during_a_rebuild_is_made_again_when_the_edit_is_undone(
    site: Path, tmp_path: Path
) -> None:
    """A save during a rebuild gets the fast path (its page is newer than the rebuild's,
    which is not put in place); then the editor undoes it, back to what that rebuild
    loaded: the page's key is the rebuild's, and the preview kept the undone edit."""
    without_search(site)
    engine = LiveBuild(BuildOptions(site, jobs=1), OutputFolder(tmp_path / "p", tmp_path / "s"))
    engine.rebuild()
    first = site / BRIEF
    edit(first, "said on Monday", "said on Wednesday")
    loaded = first.read_bytes()
    calls: list[int] = []

    def meanwhile() -> list[Path]:
        calls.append(1)
        if len(calls) > 1:
            return []
        edit(first, "said on Wednesday", "said on Thursday")
        return [first]

    engine.rebuild([first], interrupt=meanwhile)
    assert b"said on Thursday" in (tmp_path / "p/2022/01/31/index.html").read_bytes()
    first.write_bytes(loaded)  # undone: back to what the rebuild had loaded
    engine.rebuild([first])
    assert tree(tmp_path / "p") == tree(build_clean(site, tmp_path / "clean"))


def test_a_burst_of_saves_gives_one_rebuild(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """20 files written at once reach the server in one or a few batches of the watcher,
    within `quiet` of each other: one rebuild. That they reach it within `quiet` is made
    sure of, whatever the machine's load: the server's loop waits until the watcher has
    passed on every file (a test process not scheduled for 0.2 s in the middle of its
    writes made two bursts of them, and two rebuilds)."""
    passed_on: list[Path] = []
    deliver = Watcher._deliver

    def noted(self: Watcher, paths: set[Path] | None) -> None:
        passed_on.extend(paths or ())
        deliver(self, paths)

    monkeypatch.setattr(Watcher, "_deliver", noted)
    with running(without_search(site), quiet=0.2) as server:
        before = server.rebuilds
        folder = site / "content/briefings"
        written = [folder / f"2021-12-{day:02d}-brief.md" for day in range(1, 21)]
        burst = threading.Event()
        assert server._loop is not None
        server._loop.call_soon_threadsafe(burst.wait, WAIT)  # the loop waits for the burst
        for day, path in enumerate(written, 1):  # like git checking out 20 files
            front = f'---\ntitle: "Dec. {day}"\ndate: 2021-12-{day:02d}\n---\n'
            save(path, f"{front}Quiet day {day}.\n")
        assert wait_until(lambda: set(written) <= set(passed_on), WAIT), passed_on
        burst.set()
        assert wait_until(lambda: server.rebuilds > before, WAIT)
        time.sleep(0.5)  # no second rebuild follows
        assert server.rebuilds == before + 1
        assert (server.root / "2021/12/20/index.html").is_file()


def test_polling_serve_sees_a_same_size_edit_whose_time_stamp_is_kept(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where serve polls (WSL, some network and container mounts): an edit of the same
    size, its mtime set back (`cp -p`, `rsync -t`), is rebuilt and served (before: the
    poller, which compares mtimes, never reported it)."""
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1")
    brief = site / BRIEF
    with running(without_search(site)) as server:
        assert b"said on Monday" in request(server, DAY)[2]
        before = brief.stat()
        time.sleep(1.1)  # (a later ctime, whatever the clock's resolution)

        def same_size_same_mtime() -> None:  # in place, as `cp -p` writes (not save)
            brief.write_text(brief.read_text().replace("said on Monday", "said on Friday"))
            os.utime(brief, ns=(before.st_atime_ns, before.st_mtime_ns))

        rebuilt(server, same_size_same_mtime)
        assert wait_until(lambda: b"said on Friday" in request(server, DAY)[2], WAIT)


def test_a_failed_rebuild_keeps_the_last_good_site_and_says_why(site: Path) -> None:
    with running(without_search(site)) as server:
        page = server.root / "2022/01/31/index.html"
        good = page.read_bytes()
        rebuilt(server, lambda: edit(site / BRIEF, "said on Monday", "said on Saturday"))
        rebuilt(server, lambda: edit(site / BRIEF, "date: 2022-01-31", "date: 2022-01-32"))
        assert server.errors == [
            f"{BRIEF}:3: date '2022-01-32' is not a real day",
        ]
        assert b"Saturday" in page.read_bytes() and page.read_bytes() != good
        status, _, body = request(server, DAY)
        assert status == 200 and b"Saturday" in body  # still served
        rebuilt(server, lambda: edit(site / BRIEF, "date: 2022-01-32", "date: 2022-01-31"))
        assert server.errors == []


def test_a_site_with_errors_from_the_start_is_served_once_fixed(site: Path) -> None:
    edit(site / BRIEF, "date: 2022-01-31", "date: 2022-01-32")
    with running(without_search(site)) as server:
        assert server.errors == [f"{BRIEF}:3: date '2022-01-32' is not a real day"]
        status, _, body = request(server, DAY)
        assert status == 503 and b'data-placeholder="1"' in body  # it reloads when ready
        rebuilt(server, lambda: edit(site / BRIEF, "date: 2022-01-32", "date: 2022-01-31"))
        assert server.errors == [] and request(server, DAY)[0] == 200


def _greeted(server: PreviewServer, path: str) -> bool:
    """Whether the server has a live socket's hello for the page at `path` (and greeted it:
    both happen in one call on its event loop)."""
    output = server.output_of(path)
    try:
        return any(client.output == output for client in list(server.clients))
    except RuntimeError:  # (the set changed as it was copied, on the server's loop)
        return False


async def _watch_page(
    server: PreviewServer, path: str, during: Callable[[], object], count: int
) -> list[dict]:
    """Open the live socket as the page at `path` would, run `during`, collect the first
    `count` messages (for `count` 1: a reload is sent before the "ok" of its rebuild)."""
    socket_ = await websocket_connect(
        f"ws://127.0.0.1:{server.port}/__sitegen__/live",
    )
    socket_.write_message(json.dumps({"path": path, "generation": server.generation}))
    # until the server has the hello (it was a sleep of 0.1 s: a hello handled after the
    # edit's rebuild got another greeting than the one the test expects)
    deadline = time.monotonic() + WAIT
    while not _greeted(server, path):
        assert time.monotonic() < deadline, "the server never had the page's hello"
        await asyncio.sleep(0.01)
    during()
    messages: list[dict] = []
    deadline = time.monotonic() + WAIT
    while len(messages) < count and time.monotonic() < deadline:
        try:
            raw = await asyncio.wait_for(socket_.read_message(), deadline - time.monotonic())
        except TimeoutError:
            break
        if raw is None:
            break
        messages.append(json.loads(raw))
    socket_.close()
    # wait for the closing handshake, so the socket is closed here, not later by the
    # garbage collector (a ResourceWarning, an error under filterwarnings = error)
    with contextlib.suppress(TimeoutError):
        while await asyncio.wait_for(socket_.read_message(), 2) is not None:
            pass
    return messages


def test_the_browser_is_told_to_reload_the_page_it_shows(site: Path) -> None:
    with running(without_search(site)) as server:
        change = lambda: edit(site / BRIEF, "said on Monday", "said on Thursday")  # noqa: E731
        messages = asyncio.run(_watch_page(server, DAY, change, 1))
        assert {"type": "reload"} in messages
        other = "/golden/actors/silent-partner/"  # not on that day
        change = lambda: edit(site / BRIEF, "said on Thursday", "said on Friday")  # noqa: E731
        messages = asyncio.run(_watch_page(server, other, change, 1))
        assert messages == [{"type": "ok"}]  # the rebuild's end, and no reload before it


def test_a_template_error_is_shown_in_the_page_until_it_is_fixed(site: Path) -> None:
    with running(without_search(site)) as server:
        footer = site / "templates/footer.html"
        good = footer.read_text()
        broken = lambda: save(footer, good.replace("urls.archive()", "urls.archive("))  # noqa: E731
        messages = asyncio.run(_watch_page(server, DAY, broken, 1))
        assert messages and messages[0]["type"] == "errors"
        [line] = messages[0]["errors"]
        assert line.startswith("templates/footer.html:1: "), line
        fixed = lambda: save(footer, good)  # noqa: E731
        messages = asyncio.run(_watch_page(server, DAY, fixed, 2))
        assert messages[0]["type"] == "errors"  # said again to a page that connects
        assert {"type": "ok"} in messages
        assert server.errors == []


# --------------------------------------------------------------------------- the command


def _serve(site: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(site), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("started", [True, False])
def test_open_starts_a_browser_or_says_that_none_could_be(
    site: Path, monkeypatch: pytest.MonkeyPatch, started: bool
) -> None:
    """`serve --open` where no browser can be started (no desktop, over SSH) said nothing:
    the user waited for a window that never came."""
    asked: list[str] = []

    def browser(url: str) -> bool:
        asked.append(url)
        return started

    monkeypatch.setattr(webbrowser, "open", browser)
    lines: list[str] = []
    with running(without_search(site), lines, open_browser=True) as server:
        assert wait_until(lambda: asked, WAIT)
        assert asked == [server.url]
        if not started:
            assert wait_until(lambda: any("--open" in line for line in lines), WAIT), lines
    said = [line for line in lines if "--open" in line]
    if started:
        assert said == []
    else:
        assert said == [
            f"warning: --open: no browser could be started here; open {asked[0]} yourself"
        ]


def test_a_port_in_use_is_a_one_line_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _serve(site, "--port", str(port))
        out, err = process.communicate(timeout=2 * WAIT)
    assert process.returncode == 1
    assert err.splitlines() == [
        f"sitegen: cannot serve on 127.0.0.1:{port}: the port is in use (choose another with "
        "--port)"
    ]
    assert out == ""


def test_a_folder_without_site_toml_is_a_one_line_error(tmp_path: Path) -> None:
    process = _serve(tmp_path, "--port", "0")
    _, err = process.communicate(timeout=2 * WAIT)
    assert process.returncode == 1
    [line] = err.splitlines()
    assert line.endswith(": no site.toml here: run sitegen in a site folder or pass --site")


def test_ctrl_c_stops_cleanly(site: Path) -> None:
    process = _serve(without_search(site), "--port", "0")
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith(f"Serving {site} at http://127.0.0.1:"), first
    preview = Path(process.stdout.readline().split(": ", 1)[1].strip())
    assert process.stdout.readline().startswith("Built ")
    assert preview.is_dir()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=2 * WAIT)
    assert process.returncode in (0, 130)
    assert "Traceback" not in err and err == "", err
    assert out.strip().endswith("Stopped.")
    assert not preview.exists() and not preview.parent.exists()


def test_large_rebuilds_render_in_processes_that_were_not_forked_from_the_server(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server runs threads (the event loop, the builder); a fork of it could inherit a
    lock another thread holds. Its large rebuilds use a forkserver's processes instead."""
    from sitegen import incremental

    monkeypatch.setattr(incremental, "PARALLEL", 1)  # every rebuild is a large one

    def no_fork() -> int:
        raise AssertionError("the preview server forked itself")

    monkeypatch.setattr(os, "fork", no_fork)
    with running(without_search(site), jobs=2) as server:
        assert not server.errors, server.errors
        rebuilt(server, lambda: edit(site / BRIEF, "said on Monday", "said on Saturday"), 30)
        assert not server.errors, server.errors
        assert_same_as_clean_build(server, site, tmp_path / "clean", "a rebuild in workers")
