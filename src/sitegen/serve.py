"""`sitegen serve`: a live preview that follows every save.

- The site is built into a temporary folder of its own (never `build/`) and served under
  base_url's path, as GitHub Pages will serve it.
- Sources are watched (watch.py); a burst of changes is debounced into one rebuild, run in a
  builder thread by incremental.LiveBuild (the change engine `build` uses), which writes
  changed pages in place atomically.
- Every HTML response gets a small script that connects to a WebSocket: the server tells
  each browser to reload when the page it shows was rewritten, and shows the errors of a
  failed rebuild in an overlay (the last good site stays in place) until a rebuild succeeds.

Why tornado directly rather than livereload.Server: livereload's static handler (tornado's,
before 6.5.9) follows symlinks out of the served folder and answers 403 rather than 404; its
server owns the IOLoop, logging and a polling watcher that checks every 0.8 s and ignores
changes within 3 s of the last reload; and its WebSocket accepts any origin. Serving needs
only a small StaticFileHandler subclass and a WebSocket handler, both below.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import ipaddress
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tornado.httpserver
import tornado.httputil
import tornado.ioloop
import tornado.netutil
import tornado.web
import tornado.websocket

from sitegen.config import load_config
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError, capped
from sitegen.incremental import SEARCH_QUIET, LiveBuild, Rebuild
from sitegen.load import BuildOptions
from sitegen.output import OutputFolder
from sitegen.watch import Watcher, make_watcher
from sitegen.workers import Pool

RESERVED = "/__sitegen__/"  # the preview's own URLs: the client script and its WebSocket
QUIET = 0.1  # seconds without a change before a rebuild starts
MAX_WAIT = 1.0  # ... but no longer than this after the first change of a burst
RELOAD_ALL = (".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico",
              ".woff", ".woff2")  # fmt: skip
_EDITOR_DROPPINGS = ("~", ".swp", ".swx", ".tmp", ".bak")
TEMP_PREFIX = "sitegen-serve-"
# A connection that has not sent a whole request head within this many seconds (a client
# that never finishes its headers) is dropped, and so is a keep-alive connection left idle
# that long; browsers simply open a new one.
IDLE_TIMEOUT = 10.0
# A response that the client takes none of for this many seconds (it asked for a large file
# and stopped reading: slowloris from the other end) is abandoned and the connection closed,
# as nginx's send_timeout does; without it the file stayed open and the connection held
# for as long as the client liked, one of each per such client.
SEND_TIMEOUT = 30.0
# A request line over 8 KiB is answered 414, headers over 64 KiB 431 (nginx's and Python's
# http.server's limits). Tornado reads up to MAX_HEADERS_READ before it can answer at all:
# at its own 64 KiB a long request line got the connection closed, no status, no reason.
MAX_URI = 8 * 1024
MAX_HEADERS = 64 * 1024
MAX_HEADERS_READ = 1024 * 1024
PING_INTERVAL = 20.0  # reload sockets are pinged; one that does not answer is closed

Echo = Callable[[str], None]


@dataclass
class ServeOptions:
    site: Path = Path(".")
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    open_browser: bool = False
    jobs: int = 0  # worker processes for large rebuilds; 0: one per core
    quiet: float = QUIET
    search_quiet: float = SEARCH_QUIET
    idle_timeout: float = IDLE_TIMEOUT
    send_timeout: float = SEND_TIMEOUT


class _Stopping(Exception):
    """The server is stopping: abandon the rebuild."""


def host_warning(host: str) -> str | None:
    """A warning when the preview would be reachable from other machines."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        f"warning: --host {host} is not a loopback address: anyone who can reach this "
        "machine can read the preview"
    )


class PreviewServer:
    """Builds, watches and serves one site. `start` binds the port (raising SitegenError
    when it cannot), `run` serves until `stop` (callable from any thread), `close` removes
    the preview folder."""

    def __init__(self, options: ServeOptions, echo: Echo = print, warn: Echo = print) -> None:
        self.options = options
        self.echo, self.warn = echo, warn
        self.site = options.site.resolve()
        diags = Diagnostics(root=self.site)
        config = load_config(self.site, diags)
        if config is None:
            raise SitegenError(sorted(diags.errors))
        self.prefix = config.base_path.lstrip("/")  # "" or "briefings/"
        self.folders = [config.folder_as_named(name) for name in ("content", "templates", "static")]
        _remove_abandoned_previews()
        self.temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        (self.temp / "pid").write_text(f"{os.getpid()}\n")
        self.root = self.temp / "site"
        self.output = OutputFolder(self.root, self.temp / "staging")
        self.real_root = os.path.realpath(self.root)
        # Large rebuilds render in processes a forkserver starts: this process runs threads
        # (the event loop, the builder) and must not fork (workers.py).
        jobs = options.jobs or os.cpu_count() or 1
        self.pool = Pool(jobs) if jobs > 1 else None
        self.engine = LiveBuild(
            BuildOptions(self.site, drafts=options.drafts, jobs=options.jobs),
            self.output,
            options.search_quiet,
            self.pool,
        )
        self.clients: set[LiveSocket] = set()
        self.generation = 0  # commits so far
        self.changed_at: dict[str, int] = {}  # output file -> generation that last wrote it
        self.errors: list[str] = []  # of the last rebuild, shown in the overlay
        self.ready = False  # a good build is in place
        self.rebuilds = 0  # finished rebuilds, failed or not (tests wait on it)
        self.searches = 0  # search indexes made
        self.last: Rebuild | None = None
        self.port = options.port
        self._sockets: list[Any] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._stop_requested = False
        self._jobs: queue.Queue[tuple[set[Path], frozenset[str]] | None] = queue.Queue()
        self._builder = threading.Thread(target=self._build_loop, name="sitegen-build", daemon=True)
        self._carry: tuple[set[Path], set[str]] = (set(), set())  # builder thread only
        self._pending: set[Path] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._first_change: float | None = None
        self._watcher: Watcher | None = None

    # ---- lifecycle

    def start(self) -> None:
        host, port = self.options.host, self.options.port
        try:
            self._sockets = tornado.netutil.bind_sockets(port, host)
        except OSError as error:
            self.close()
            reason = "the port is in use" if error.errno == errno.EADDRINUSE else (
                error.strerror or str(error)
            )  # fmt: skip
            hint = " (choose another with --port)" if error.errno == errno.EADDRINUSE else ""
            raise SitegenError(f"cannot serve on {host}:{port}: {reason}{hint}") from None
        self.port = self._sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/{self.prefix}"

    def run(self) -> None:
        asyncio.run(self._main())

    def stop(self) -> None:
        """Stop serving; safe from any thread and from a signal handler."""
        self._stop_requested = True
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: stopped already
                loop.call_soon_threadsafe(stopped.set)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        for sock in self._sockets:
            sock.close()
        self._sockets = []
        _remove_soon(self.temp)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        if self._stop_requested:
            return
        app = _Application(
            [
                (RESERVED + "live", LiveSocket, {"server": self}),
                (RESERVED + "live.js", ClientScript, {"server": self}),
                (r"/(.*)", PreviewHandler, {"server": self}),
            ],
            websocket_max_message_size=64 * 1024,
            websocket_ping_interval=PING_INTERVAL,
            log_function=lambda handler: None,  # no access log: the terminal is for errors
        )
        timeout = self.options.idle_timeout
        http = tornado.httpserver.HTTPServer(
            app,
            max_body_size=64 * 1024,
            max_header_size=MAX_HEADERS_READ,
            idle_connection_timeout=timeout,  # tornado's limit on the headers, too
            body_timeout=timeout,
        )
        http.add_sockets(self._sockets)
        self._watcher = make_watcher(self.folders, [self.site / "site.toml"], self._changed)
        self._watcher.start(self._loop)
        self._builder.start()
        self._jobs.put((set(), frozenset()))  # the first build
        if self.options.open_browser:
            threading.Thread(target=self._open_browser, daemon=True).start()
        try:
            await self._stopped.wait()
        finally:
            self._watcher.close()
            http.stop()
            for client in list(self.clients):
                client.close()
            self._jobs.put(None)
            await http.close_all_connections()
            self._builder.join(timeout=2)

    def _open_browser(self) -> None:
        """--open: the preview in a browser, or one line saying that none could be started
        (a machine without a desktop, over SSH): the server goes on either way."""
        try:
            opened = webbrowser.open(self.url)
        except (webbrowser.Error, OSError):
            opened = False
        if not opened:
            self.warn(f"warning: --open: no browser could be started here; open {self.url} "
                      "yourself")  # fmt: skip

    # ---- watching and debouncing (on the event loop)

    def _changed(self, paths: set[Path] | None) -> None:
        if paths is not None:
            paths = {p for p in paths if self._relevant(p)}
            if not paths:
                return
            self._pending |= paths
        assert self._loop is not None
        now = self._loop.time()
        if self._first_change is None:
            self._first_change = now
        if self._timer is not None:
            self._timer.cancel()
        delay = min(self.options.quiet, max(0.0, self._first_change + MAX_WAIT - now))
        self._timer = self._loop.call_later(delay, self._flush)

    def _relevant(self, path: Path) -> bool:
        """Not an editor's swap or backup file, nor under a hidden folder (skipped by builds)."""
        try:
            parts = path.relative_to(self.site).parts
        except ValueError:
            parts = path.parts[-1:]
        name = path.name
        return not (
            any(part.startswith(".") for part in parts)
            or name.startswith("#")
            or name.endswith(_EDITOR_DROPPINGS)
            or name == "4913"  # vim checks that it may write to the folder
        )

    def _flush(self) -> None:
        self._timer = None
        self._first_change = None
        paths, self._pending = self._pending, set()
        viewed = frozenset(c.output for c in self.clients if c.output)
        self._jobs.put((paths, viewed))

    # ---- building (in the builder thread)

    def _build_loop(self) -> None:
        carried: tuple[set[Path], set[str]] | None = None
        while True:
            if carried is None:
                job = self._jobs.get()
                if job is None:
                    return
                carried = (set(job[0]), set(job[1]))
            self._carry = carried
            try:
                self._interrupt()  # what came in meanwhile joins this rebuild
            except _Stopping:
                return
            paths, viewed = carried
            self._carry = (set(), set())
            if not self._build(paths, frozenset(viewed)):
                return
            # Changes that arrived during the rebuild got the fast path; rebuild for the rest.
            carried = self._carry if self._carry[0] else None

    def _interrupt(self) -> set[Path]:
        """The changes queued since the last look; they are carried to the next rebuild."""
        fresh: set[Path] = set()
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return fresh
            if job is None:
                raise _Stopping
            fresh |= job[0]
            self._carry[0].update(job[0])
            self._carry[1].update(job[1])

    def _build(self, paths: set[Path], viewed: frozenset[str]) -> bool:
        """One rebuild, its outcome reported on the event loop; False when stopping."""
        loop = self._loop
        assert loop is not None

        def committed(files: list[str]) -> None:
            if files:
                loop.call_soon_threadsafe(self._committed, files)

        try:
            result = self.engine.rebuild(paths, viewed, committed, self._interrupt)
            loop.call_soon_threadsafe(self._built, result, paths)
            if not self._carry[0]:  # else the next rebuild comes first
                seconds = self.engine.index_search(self._interrupt, committed)
                if seconds is not None:
                    loop.call_soon_threadsafe(self._indexed, seconds)
        except _Stopping:
            return False
        except SitegenError as error:
            loop.call_soon_threadsafe(self._failed, error.diagnostics)
        except Exception as error:  # a bug: say so, keep serving the last good site
            trace = traceback.format_exc()
            message = f"internal error in sitegen: {type(error).__name__}: {error}"
            loop.call_soon_threadsafe(self._crashed, message, trace)
        return True

    # ---- results (on the event loop)

    def _committed(self, files: list[str]) -> None:
        self.generation += 1
        changed = set(files)
        for name in files:
            self.changed_at[name] = self.generation
        everything = any(name.endswith(RELOAD_ALL) for name in files)
        for client in list(self.clients):
            if everything or client.output in changed:
                client.send({"type": "reload"})

    def _built(self, result: Rebuild, paths: set[Path]) -> None:
        first_build = not self.ready
        self.ready = True
        self.last = result
        for warning in capped(result.warnings):
            self.warn(warning.format())
        if first_build:
            self.echo(f"Built {result.pages:,} pages in {result.seconds:.2f} s")
        elif result.rendered or result.removed:
            shown = sorted(self._shown(p) for p in paths if p.exists() or p.suffix == ".md")
            more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
            sources = ", ".join(shown[:3]) + more or "changes"
            first = f", the first in {result.first_seconds:.2f} s" if result.first_seconds else ""
            count = len(result.rendered)
            self.echo(f"Rebuilt {count:,} pages in {result.seconds:.2f} s{first} ({sources})")
        if self.errors:
            self.errors = []
            self.echo("Fixed: the preview is up to date again")
        self._follow_settings()
        self.rebuilds += 1  # counted once all is done: the new base_url path is served too
        for client in list(self.clients):
            if client.placeholder:
                client.send({"type": "reload"})
            else:
                client.send({"type": "ok"})

    def _indexed(self, seconds: float) -> None:
        self.searches += 1
        self.echo(f"Search index updated in {seconds:.2f} s")

    def _follow_settings(self) -> None:
        """After an edit of site.toml: serve under the new base_url path, watch the new
        folders."""
        snapshot = self.engine.snapshot
        assert snapshot is not None and self._loop is not None
        config = snapshot.site.config
        prefix = config.base_path.lstrip("/")
        if prefix != self.prefix:
            self.prefix = prefix
            self.echo(f"Serving at {self.url} (base_url changed)")
        folders = [config.folder_as_named(name) for name in ("content", "templates", "static")]
        if folders != self.folders and self._watcher is not None:
            self.folders = folders
            self._watcher.close()
            self._watcher = make_watcher(self.folders, [self.site / "site.toml"], self._changed)
            self._watcher.start(self._loop)

    def _failed(self, diagnostics: list[Diagnostic]) -> None:
        self.rebuilds += 1
        errors = [d for d in diagnostics if d.severity == "error"] or diagnostics
        self.errors = [d.format() for d in capped(errors)]
        for line in self.errors:
            self.warn(line)
        for client in list(self.clients):
            client.send({"type": "errors", "errors": self.errors})

    def _crashed(self, message: str, trace: str) -> None:
        self.warn(trace.rstrip())
        self._failed([Diagnostic("sitegen", None, message)])

    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.site))
        except ValueError:
            return str(path)

    # ---- what the handlers ask

    def output_of(self, url_path: str) -> str | None:
        """The file under the preview folder that a URL path shows."""
        path = unquote(url_path)
        start = "/" + self.prefix
        if not path.startswith(start):
            return None
        relative = path[len(start) :]
        return relative + "index.html" if relative == "" or relative.endswith("/") else relative

    def greet(self, client: LiveSocket, generation: int) -> None:
        if self.errors:
            client.send({"type": "errors", "errors": self.errors})
        if client.placeholder and self.ready:
            client.send({"type": "reload"})
        elif client.output and self.changed_at.get(client.output, 0) > generation:
            client.send({"type": "reload"})  # it changed while the page was loading

    def script_tag(self, placeholder: bool = False) -> bytes:
        extra = ' data-placeholder="1"' if placeholder else ""
        return (
            f'<script src="{RESERVED}live.js" data-generation="{self.generation}"{extra} '
            "defer></script>"
        ).encode()

    def allowed_host(self, handler: tornado.web.RequestHandler) -> bool:
        """On a loopback address, only requests addressed to it (no DNS rebinding)."""
        if host_warning(self.options.host) is not None:
            return True
        name = handler.request.host_name
        return name in {"localhost", "127.0.0.1", "[::1]", self.options.host.lower()}


def _remove_soon(folder: Path) -> None:
    """Delete the preview folder without making the user wait (10,000 pages take seconds):
    rename it out of the way, then leave it to a detached `rm -rf`, a new program (this
    process runs threads and must not fork). What is left goes at the next start."""
    doomed = folder.with_name(folder.name + "-removing")
    rm = shutil.which("rm")
    try:
        folder.rename(doomed)
    except OSError:
        doomed, rm = folder, None
    if rm is None:
        shutil.rmtree(doomed, ignore_errors=True)
        return
    remover = subprocess.Popen(
        [rm, "-rf", "--", str(doomed)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    # A thread waits for it: no zombie, and no Popen dropped while its program still runs
    # (Python warns of that, a ResourceWarning).
    threading.Thread(target=remover.wait, name="sitegen-remove", daemon=True).start()


def _remove_abandoned_previews() -> None:
    """Preview folders of servers that were killed before they could remove them."""
    for folder in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        try:
            os.kill(int((folder / "pid").read_text()), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # not ours to judge: another user's, or being set up


def inject(page: bytes, tag: bytes) -> bytes:
    at = page.find(b"</head>")
    if at < 0:
        at = page.lower().find(b"</head>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


PLACEHOLDER = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Preview</title></head>
<body><p>sitegen is building the preview; this page reloads when it is ready.</p></body></html>
"""


class _SendDeadline(tornado.web.RequestHandler):
    """Each piece of a response must be taken by the client within `send_timeout` seconds
    (tornado has timeouts for reading a request, none for writing the answer)."""

    send_timeout = SEND_TIMEOUT

    def flush(self, include_footers: bool = False) -> asyncio.Future[None]:
        sent = super().flush(include_footers)
        if not sent.done():
            loop = tornado.ioloop.IOLoop.current()
            timer = loop.call_later(self.send_timeout, self._too_slow)
            sent.add_done_callback(lambda _: loop.remove_timeout(timer))
        return sent

    def _too_slow(self) -> None:
        """Close the connection: the pending write fails (StaticFileHandler then stops
        reading the file), and the client sees the connection end."""
        stream = getattr(self.request.connection, "stream", None)
        if stream is not None:
            stream.close()


class PreviewHandler(_SendDeadline, tornado.web.StaticFileHandler):
    """The preview folder under base_url's path, and nothing else: no `..`, no symlink out
    of the folder, no NUL byte, no directory listing; HTML gets the live-reload script."""

    server: PreviewServer
    html: bytes | None = None
    html_digest = ""

    # tornado's handlers take their own initialize() arguments: the types cannot say so
    def initialize(self, server: PreviewServer) -> None:  # type: ignore[override]
        self.server = server
        self.send_timeout = server.options.send_timeout
        super().initialize(path=str(server.root), default_filename="index.html")

    def prepare(self) -> None:
        if not self.server.allowed_host(self):
            raise tornado.web.HTTPError(400)

    async def get(self, path: str, include_body: bool = True) -> None:
        prefix = self.server.prefix
        if not path.startswith(prefix):
            if prefix and path in ("", prefix[:-1]):
                self.redirect("/" + prefix)
                return
            raise tornado.web.HTTPError(404)
        if not self.server.ready:
            self.set_status(503)
            self._send_html(inject(PLACEHOLDER, self.server.script_tag(placeholder=True)))
            return
        await super().get(path[len(prefix) :], include_body)

    def parse_url_path(self, url_path: str) -> str:
        if "\x00" in url_path or "\\" in url_path:
            raise tornado.web.HTTPError(400)
        if ".." in url_path.split("/"):
            raise tornado.web.HTTPError(404)
        root = self.server.real_root
        target = os.path.realpath(os.path.join(root, url_path))
        if url_path.endswith("/") and not os.path.isdir(target):
            raise tornado.web.HTTPError(404)  # 'feed.xml/': a file is no folder (nor on Pages)
        if os.path.isdir(target):
            target = os.path.realpath(os.path.join(target, "index.html"))
        if target != root and not target.startswith(root + os.sep):
            raise tornado.web.HTTPError(404)  # e.g. a symlink to somewhere else
        return url_path

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        path = super().validate_absolute_path(root, absolute_path)
        self.html = None
        if path is not None and path.endswith((".html", ".htm")):
            data = Path(path).read_bytes()
            self.html_digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            self.html = inject(data, self.server.script_tag())
        return path

    def get_content_size(self) -> int:
        return len(self.html) if self.html is not None else super().get_content_size()

    # a classmethod in tornado; here the instance's HTML (with the reload script) is needed
    def get_content(  # type: ignore[override]
        self, abspath: str, start: int | None = None, end: int | None = None
    ) -> Any:
        if self.html is not None:
            return self.html[start:end]
        return super().get_content(abspath, start, end)

    def compute_etag(self) -> str | None:
        """From the file itself: tornado caches hashes by path, and pages change."""
        if self.html is not None:
            return f'"{self.html_digest}"'
        assert self.absolute_path is not None
        status = os.stat(self.absolute_path)
        return f'"{status.st_ino:x}-{status.st_mtime_ns:x}-{status.st_size:x}"'

    def should_return_304(self) -> bool:
        # Only by ETag: a page rewritten within the second keeps its Last-Modified.
        return bool(self.request.headers.get("If-None-Match")) and self.check_etag_header()

    def get_content_type(self) -> str:
        kind = super().get_content_type()
        textual = kind.startswith("text/") or kind.endswith(("/javascript", "/json", "/xml"))
        return f"{kind}; charset=utf-8" if textual and "charset" not in kind else kind

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code == 403:  # tornado's answer for what is not a regular file
            self.set_status(404)
            status_code = 404
        page = self.server.root / "404.html"
        if status_code == 404 and self.server.ready and page.is_file():
            self._send_html(inject(page.read_bytes(), self.server.script_tag()))
            return
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"{status_code} {self._reason}\n")

    def _send_html(self, body: bytes) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(body)


class _Application(tornado.web.Application):
    """Refuses an over-long request line or headers before routing, for every handler."""

    def find_handler(
        self, request: tornado.httputil.HTTPServerRequest, **kwargs: Any
    ) -> tornado.web._HandlerDelegate:
        status = _too_long(request)
        if status is not None:
            return self.get_handler_delegate(request, _Refusal, {"status_code": status})
        return super().find_handler(request, **kwargs)


def _too_long(request: tornado.httputil.HTTPServerRequest) -> int | None:
    if len(request.uri or "") > MAX_URI:
        return 414
    size = sum(len(name) + len(value) + 4 for name, value in request.headers.get_all())
    return 431 if size > MAX_HEADERS else None


class _Refusal(_SendDeadline):
    """A status and its reason in one line of text (tornado's ErrorHandler answers HTML)."""

    def initialize(self, status_code: int) -> None:
        self.status_code = status_code

    def prepare(self) -> None:
        self.set_status(self.status_code)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"{self.status_code} {self._reason}\n")


class ClientScript(_SendDeadline):
    def initialize(self, server: PreviewServer) -> None:
        self.server = server
        self.send_timeout = server.options.send_timeout

    def prepare(self) -> None:
        if not self.server.allowed_host(self):
            raise tornado.web.HTTPError(400)

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(CLIENT_SCRIPT)


class LiveSocket(tornado.websocket.WebSocketHandler):
    """One open page: it says which page it shows; it is told to reload, or what failed."""

    output: str | None = None
    placeholder = False

    def initialize(self, server: PreviewServer) -> None:
        self.server = server

    def prepare(self) -> None:
        if not self.server.allowed_host(self):
            raise tornado.web.HTTPError(400)

    def open(self, *args: str, **kwargs: str) -> None:
        self.server.clients.add(self)

    def on_message(self, message: str | bytes) -> None:
        try:
            hello = json.loads(message)
            path, generation = str(hello["path"]), int(hello.get("generation", 0))
        except (ValueError, KeyError, TypeError):
            return
        self.output = self.server.output_of(path)
        self.placeholder = bool(hello.get("placeholder"))
        self.server.greet(self, generation)

    def on_close(self) -> None:
        self.server.clients.discard(self)

    def send(self, message: dict[str, Any]) -> None:
        try:
            self.write_message(json.dumps(message))
        except tornado.websocket.WebSocketClosedError:
            self.server.clients.discard(self)


CLIENT_SCRIPT = r"""// sitegen serve: reload on rebuild; show the errors of a failed rebuild.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = Number(script.getAttribute("data-generation") || 0);
  var placeholder = script.getAttribute("data-placeholder") === "1";
  var overlay = null;

  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "sitegen-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
      "max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;background:#2b0b0b;" +
      "color:#ffeaea;border-top:4px solid #e5484d;text-align:left;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("strong");
    title.textContent = "The last change did not build. Showing the last good version.";
    var list = document.createElement("pre");
    list.style.cssText = "margin:.5em 0 0;white-space:pre-wrap;font:inherit;color:inherit";
    list.textContent = errors.join("\n");
    overlay.appendChild(title);
    overlay.appendChild(list);
    document.body.appendChild(overlay);
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") +
      location.host + "/__sitegen__/live");
    socket.onopen = function () {
      socket.send(JSON.stringify(
        {path: location.pathname, generation: generation, placeholder: placeholder}));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "reload") { location.reload(); }
      else if (message.type === "errors") { show(message.errors); }
      else if (message.type === "ok") { hide(); }
    };
    socket.onclose = function () { setTimeout(connect, 1000); };
  }

  connect();
})();
"""


def serve(options: ServeOptions, echo: Echo, warn: Echo) -> int:
    """Run the preview until Ctrl-C (or SIGTERM); returns the exit status."""
    import multiprocessing
    import signal

    warning = host_warning(options.host)
    server = PreviewServer(options, echo, warn)
    server.start()  # raises SitegenError when the port cannot be used
    if warning:
        warn(warning)
    owner = os.getpid()

    def on_signal(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a worker process: the server is going away
            os._exit(1)
        server.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    echo(f"Serving {server.site} at {server.url} (Ctrl-C to stop)")
    echo(f"Preview files: {server.root}")
    try:
        server.run()
    finally:
        server.close()  # the worker pool first: its own shutdown, not a kill mid-task
        for child in multiprocessing.active_children():
            child.terminate()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    echo("Stopped.")
    return 0
