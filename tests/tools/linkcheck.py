"""Serve a built site under a URL prefix (as GitHub Pages serves a project site) and crawl
it over real HTTP, reporting broken internal links and missing #anchors."""

from __future__ import annotations

import http.client
import http.server
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return "/nonexistent-outside-prefix"
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path, prefix: str) -> Iterator[int]:
    """Serve folder at http://127.0.0.1:PORT{prefix}; yields the port."""
    handler = type("Handler", (_PrefixHandler,), {"prefix": prefix})

    def make(*args: object, **kwargs: object) -> _PrefixHandler:
        return handler(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(values[name] or "")


@dataclass
class CrawlResult:
    pages: int = 0
    checked: int = 0
    broken: list[str] = field(default_factory=list)


def crawl(port: int, prefix: str, start: str = "") -> CrawlResult:
    """Follow every internal link from the home page; every URL must answer 200 and every
    #fragment must name an id on its page."""
    base = f"http://127.0.0.1:{port}{prefix}"
    result = CrawlResult()
    pages: dict[str, _Links | None] = {}
    queue: deque[tuple[str, str]] = deque([(base + start, "(start)")])
    fragments: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while queue:
        url, referrer = queue.popleft()
        target, _, fragment = url.partition("#")
        if fragment:
            fragments.append((target, unquote(fragment), referrer))
        if target in seen:
            continue
        seen.add(target)
        status, content_type, body = _get(port, urlsplit(target).path)
        result.checked += 1
        if status != 200:
            result.broken.append(f"{target} ({status}) linked from {referrer}")
            continue
        if "text/html" not in content_type:
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        pages[target] = parser
        result.pages += 1
        for link in parser.links:
            absolute = urljoin(target, link)
            if absolute.startswith(base):
                queue.append((absolute, target))
            elif absolute.startswith(f"http://127.0.0.1:{port}/"):
                result.broken.append(f"{absolute} is outside {prefix}, linked from {target}")
    for target, fragment, referrer in fragments:
        page = pages.get(target)
        if page is not None and fragment not in page.ids:
            result.broken.append(f"{target}#{fragment} has no such anchor (from {referrer})")
    return result


def _get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()
