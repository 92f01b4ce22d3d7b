"""Serve a built site under a URL prefix (as GitHub Pages serves a project site) and crawl
it over real HTTP, reporting broken internal links and missing #anchors.

Besides HTML links (href, src, GET form actions) the crawl follows robots.txt's Sitemap
lines, a sitemap's <loc>s and an Atom feed's links, including those inside its entries'
HTML content; absolute URLs under the site's public base_url are checked on the local
server. XML that does not parse counts as broken."""

from __future__ import annotations

import http.client
import http.server
import threading
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    not_found_page = ""  # like GitHub Pages: this file (e.g. "404.html") for missing paths

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.not_found_page
        if code != 404 or not self.not_found_page or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return "/nonexistent-outside-prefix"
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path, prefix: str, not_found_page: str = "") -> Iterator[int]:
    """Serve folder at http://127.0.0.1:PORT{prefix}; yields the port. With not_found_page,
    a missing path answers 404 with that file, as GitHub Pages does with 404.html."""
    handler = type(
        "Handler", (_PrefixHandler,), {"prefix": prefix, "not_found_page": not_found_page}
    )

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
        if tag == "form" and (values.get("method") or "get").lower() == "get":
            self.links.append(values.get("action") or "")


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


_ATOM = "{http://www.w3.org/2005/Atom}"
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _xml_links(body: bytes) -> list[str]:
    """Sitemap <loc>s; Atom <link href>s and the links in entries' HTML content."""
    root = ET.fromstring(body)
    links = [loc.text or "" for loc in root.iter(f"{_SITEMAP}loc")]
    links += [link.get("href") or "" for link in root.iter(f"{_ATOM}link")]
    for content in root.iter(f"{_ATOM}content"):
        if content.get("type") == "html":
            links += links_in(content.text or "")
    return links


def _robots_links(body: bytes) -> list[str]:
    lines = body.decode("utf-8").splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]


@dataclass
class CrawlResult:
    pages: int = 0  # HTML pages
    checked: int = 0
    broken: list[str] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)  # every URL fetched, without its #fragment


def crawl(
    port: int, prefix: str, start: str = "", public_base: str = "", also: tuple[str, ...] = ()
) -> CrawlResult:
    """Follow every internal link from the home page (and from the `also` paths, such as
    robots.txt); every URL must answer 200 and every #fragment must name an id on its page.
    Absolute links under public_base (the site's base_url) are followed on the local server."""
    base = f"http://127.0.0.1:{port}{prefix}"
    result = CrawlResult()
    pages: dict[str, _Links | None] = {}
    queue: deque[tuple[str, str]] = deque((base + path, "(start)") for path in (start, *also))
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
        result.urls.add(target)
        if status != 200:
            result.broken.append(f"{target} ({status}) linked from {referrer}")
            continue
        if "text/html" in content_type:
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            pages[target] = parser
            result.pages += 1
            links = parser.links
        elif "xml" in content_type:
            try:
                links = _xml_links(body)
            except ET.ParseError as error:
                result.broken.append(f"{target} is not well-formed XML: {error}")
                continue
        elif target.endswith("/robots.txt"):
            links = _robots_links(body)
        else:
            continue
        for link in links:
            absolute = urljoin(target, link)
            if public_base and absolute.startswith(public_base):
                absolute = base + absolute[len(public_base) :]
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
