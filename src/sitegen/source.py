"""Loading: read content files and split them into front matter and body.

This stage only reads and parses; it knows nothing of briefings or actors (see model.py).
Problems are reported as `path:line: message` into a Diagnostics collector.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from sitegen import front_matter
from sitegen.diagnostics import Diagnostic, Diagnostics
from sitegen.front_matter import FrontMatterError, SourceFile
from sitegen.keys import content_hash
from sitegen.mdguard import costly_markdown

MAX_FILE_BYTES = 20 * 1024 * 1024
# What XML 1.0 cannot carry (feeds and sitemaps are XML): C0 controls but tab, line feed and
# carriage return, and the noncharacters U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHAR_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_CONTROL_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
    "ESC", "FS", "GS", "RS", "US",
)  # fmt: skip


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """The file as text with `\\n` line ends, or None after reporting why it cannot be read:
    not a regular file, over the size limit, not UTF-8, or holding characters XML cannot
    carry."""
    raw = _read_bytes(path, diags)
    if raw is None:
        return None
    text = _decode(path, raw, diags)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problem = xml_problem(text) if _may_not_be_xml(raw, text) else None
    if problem is not None:
        offset, message = problem
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        diags.error(path, line, message.format(where=f" at column {column}"))
        return None
    return text


def _read_bytes(path: Path, diags: Diagnostics) -> bytes | None:
    """At most the size limit plus one byte of a regular file. Opening does not block (a FIFO
    would wait for a writer), and what the file is comes from the open file itself, so a
    file swapped for a device or a FIFO after it was listed is still refused."""
    try:
        fd, status = open_regular(path)
    except NotRegularFile as exc:
        diags.error(path, None, f"{exc}: remove it")
        return None
    except OSError as exc:
        diags.error(path, None, f"cannot read file: {exc.strerror}")
        return None
    try:
        if status.st_size > MAX_FILE_BYTES:
            diags.error(path, None, _too_big(status.st_size))
            return None
        raw = _read_at_most(fd, status.st_size, MAX_FILE_BYTES + 1)
    except OSError as exc:
        diags.error(path, None, f"cannot read file: {exc.strerror}")
        return None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        diags.error(path, None, _too_big(len(raw)))
        return None
    return raw


class NotRegularFile(OSError):
    """What read_regular raises for a FIFO, a device, a socket or a folder."""


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """All of a regular file, for files the build keeps itself (its cache, its output).
    Raises OSError for anything else: opening does not block on a FIFO, and a device (a
    link to /dev/zero) is refused rather than read without end."""
    fd, status = open_regular(path)
    try:
        return _read_at_most(fd, status.st_size, 1 << 62)
    finally:
        os.close(fd)


# no wait for a FIFO's writer, no terminal taken over (flags POSIX has, Windows does not)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file, opened for reading without blocking, and its status
    (taken from the open file, so a file swapped after it was listed is still judged);
    raises NotRegularFile for anything else."""
    fd = os.open(path, _OPEN_FLAGS)
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise NotRegularFile(f"{_kind(status.st_mode)}, not a regular file")
    return fd, status


def remove_quietly(path: Path) -> None:
    """Remove whatever is at path, if anything: a folder with all it holds, a file, a link, a
    FIFO. shutil.rmtree alone would open a FIFO before checking that it is a folder, and
    wait for a writer that never comes. For the build's own files (cache, staging)."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass


def not_regular(path: Path) -> str | None:
    """Why a path given as a file is not one (a dangling link, a FIFO, a device...), or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"broken symbolic link (to {os.readlink(path)})" if path.is_symlink() else None
    except OSError as exc:
        return f"cannot read file: {exc.strerror}"
    return None if stat.S_ISREG(mode) else f"{_kind(mode)}, not a regular file"


def _read_at_most(fd: int, expected: int, limit: int) -> bytes:
    """Up to `limit` bytes; one read when the file has the `expected` size (most files): a
    regular file's read that returns less than it asked for has reached the end."""
    asked = min(expected + 1, limit)
    parts = [os.read(fd, asked)]
    total = len(parts[0])
    if total < asked:
        return parts[0]
    while parts[-1] and total < limit:
        parts.append(os.read(fd, min(1 << 20, limit - total)))
        total += len(parts[-1])
    return parts[0] if len(parts) == 2 and not parts[1] else b"".join(parts)


def _too_big(size: int) -> str:
    shown = f"{size / 2**20:.1f} MiB" if size >= MAX_FILE_BYTES + 2**20 // 10 else "over 20 MiB"
    return f"file is {shown}; the limit is 20 MiB"


def _kind(mode: int) -> str:
    kinds = {
        stat.S_ISFIFO: "a named pipe (FIFO)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
        stat.S_ISDIR: "a folder",
    }
    return next((name for test, name in kinds.items() if test(mode)), "a special file")


_C0_BYTES = bytes(byte for byte in range(32) if byte not in b"\t\n\r")


def _may_not_be_xml(raw: bytes, text: str) -> bool:
    """A quick look (at C speed) for what xml_problem looks for character by character."""
    return (
        len(raw.translate(None, _C0_BYTES)) != len(raw)
        or b"\xef\xbf\xbe" in raw  # U+FFFE
        or b"\xef\xbf\xbf" in raw  # U+FFFF
        or "&#" in text
    )


def utf16_kind(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes are text in one of those (with a byte-order mark,
    or ASCII text with a zero byte beside every character), else None."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = raw[:4096]
    if b"\x00" not in sample or len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if min(even, odd) * 8 < max(even, odd):  # zeros on one side: one byte of two is zero
        return "UTF-16"
    first, last = sample[0::4].count(0), sample[3::4].count(0)
    if (  # two middle bytes zero, and the character's byte not (at the start or the end)
        sample[1::4].count(0) + sample[2::4].count(0) >= len(sample) // 2 * 3 // 4
        and min(first, last) * 8 < max(first, last)
    ):
        return "UTF-32"
    return None  # zeros everywhere (a run of NULs, a PNG's header): binary, not text


def _decode(path: Path, raw: bytes, diags: Diagnostics) -> str | None:
    if utf16_kind(raw) is None:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    line, message = not_utf8(raw)
    diags.error(path, line, message)
    return None


def not_utf8(raw: bytes) -> tuple[int, str]:
    """(line, message) for bytes that are not UTF-8 text (content, site.toml, templates)."""
    kind = utf16_kind(raw)
    if kind is not None:
        return 1, f"the file is {kind} text, not UTF-8: save it as UTF-8"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        # no UTF-8 sequence anywhere: most likely text saved in a one-byte encoding
        guess = "" if _UTF8_SEQUENCE.search(raw) else " (Windows-1252 or Latin-1 text?)"
        return line, (
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at column {column}{guess}; "
            "save the file as UTF-8"
        )
    raise ValueError("the bytes are UTF-8")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def xml_problem(text: str) -> tuple[int, str] | None:
    """(offset, message) of the first character that XML cannot carry, written as itself or
    as a character reference (`&#27;`), or None. The message has a `{where}` field for the
    column."""
    found = NOT_XML.search(text)
    if found is not None:
        others = len(NOT_XML.findall(text, found.end()))
        more = f" (and {others:,} more in the file)" if others else ""
        return found.start(), f"{describe_char(found.group())}{{where}}: {_XML_FIX}{more}"
    if "&#" in text:
        for reference in _CHAR_REFERENCE.finditer(text):
            hexadecimal, decimal = reference.groups()
            digits = (hexadecimal or decimal).lstrip("0") or "0"
            # past 8 digits: past U+10FFFF (and never int() on thousands of digits)
            code = 0x110000 if len(digits) > 8 else int(digits, 16 if hexadecimal else 10)
            what = f"character reference {reference.group()}{{where}} stands for"
            if code > 0x10FFFF:  # passed through as it is: an HTML error, a U+FFFD in browsers
                return reference.start(), f"{what} no character (past U+10FFFF); remove it"
            if NOT_XML.match(chr(code)) or 0xD800 <= code <= 0xDFFF:  # surrogates: as above
                return reference.start(), f"{what} {describe_char(chr(code))}: {_XML_FIX}"
    return None


_XML_FIX = "feeds (XML) cannot carry it; remove it"


def not_xml_message(value: str) -> str | None:
    """What is wrong with a text (a setting's value) holding a character XML cannot carry."""
    found = NOT_XML.search(value)
    return None if found is None else f"{describe_char(found.group())}: {_XML_FIX}"


def describe_char(char: str) -> str:
    """'control character U+001B (ESC)', or 'noncharacter U+FFFE'."""
    code = ord(char)
    if code < 0x20:
        return f"control character U+{code:04X} ({_CONTROL_NAMES[code]})"
    if 0xD800 <= code <= 0xDFFF:
        return f"surrogate U+{code:04X} (half of a UTF-16 pair, not a character)"
    return f"noncharacter U+{code:04X}"


def fingerprint(text: str) -> str:
    """The content hash of the text's bytes (the two are compared: changes.file_hash)."""
    return content_hash(text.encode("utf-8"))


def parse_source(
    path: Path, text: str, diags: Diagnostics, extensions: Collection[str] = ()
) -> SourceFile | None:
    """A file's text (from read_text) as front matter and body (see front_matter.py);
    `extensions`, the Markdown extensions its body is converted with (what a fenced block
    holds costs nothing with fenced_code; without it, it is text like any other)."""
    try:
        handler, front_text, body, body_line = front_matter.split(text)
        data = handler.load(front_text, front_matter.FIRST_LINE)
    except FrontMatterError as error:
        for line, message in error.problems:
            diags.error(path, line, message)
        return None
    source = SourceFile(path, data, body, body_line, front_text, fingerprint(text), handler.name)
    if "\\" in front_text and not _check_escapes(source, diags):
        return None
    costly = costly_markdown(body, "fenced_code" in extensions)
    if costly is not None:
        diags.error(path, costly.line(body, body_line), costly.message)
        return None
    return source


def _check_escapes(source: SourceFile, diags: Diagnostics) -> bool:
    """YAML's escapes ("\\x1b", "\\0", "\\e") can write characters that XML cannot carry;
    False after reporting the first in each value."""
    good = True
    for key, value in _strings(source.front, ()):
        found = NOT_XML.search(value)
        if found is not None:
            name = key[0] if key else "a key"
            what = f"{name}: {describe_char(found.group())}, written as an escape"
            diags.error(source.path, source.line(*_line_key(key)), f"{what}: {_XML_FIX}")
            good = False
    return good


def _strings(value: Any, key: tuple) -> Iterator[tuple[tuple, str]]:
    """Every text in front matter (keys too), with its key path."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(name, key)
            yield from _strings(item, (*key, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*key, index))


def _line_key(key: tuple) -> tuple:
    """A key path as SourceFile.line takes it: key, then item index, then item key."""
    return key[:3]


def load_file(
    path: Path, diags: Diagnostics, extensions: Collection[str] = ()
) -> SourceFile | None:
    text = read_text(path, diags)
    return None if text is None else parse_source(path, text, diags, extensions)


def key_line(path: str, keys: Iterable[str]) -> int | None:
    """The line of the first of `keys` that the file's front matter has, the file read again
    (for a message: see routes.KeyLine)."""
    loaded = load_file(Path(path), Diagnostics())
    if loaded is None:
        return None
    key = next((k for k in keys if k in loaded.front), None)
    return loaded.line(key) if key else None


def markdown_files(
    folder: Path, diags: Diagnostics | None = None, site: Path | None = None
) -> list[Path]:
    """Every `.md` file under folder, sorted, skipping hidden files and editor backups; what
    cannot be read is reported as site_files says."""
    return [Path(name) for name in markdown_names(folder, diags, site)]


def markdown_names(
    folder: Path, diags: Diagnostics | None = None, site: Path | None = None
) -> list[str]:
    """`markdown_files` as strings: a build lists 10,000 files, and Path objects cost."""
    return site_names(folder, diags, site, _is_markdown)


def _is_markdown(name: str) -> bool:
    return name.endswith(".md") and not name.startswith("#")


def site_files(
    folder: Path,
    diags: Diagnostics | None = None,
    site: Path | None = None,
    wanted: Callable[[str], bool] = lambda name: True,
    sources: Path | None = None,
) -> list[Path]:
    """`site_names` as paths."""
    return [Path(name) for name in site_names(folder, diags, site, wanted, sources)]


def site_names(
    folder: Path,
    diags: Diagnostics | None = None,
    site: Path | None = None,
    wanted: Callable[[str], bool] = lambda name: True,
    sources: Path | None = None,
) -> list[str]:
    """Every regular file under `folder` (content, templates or static) whose name is
    `wanted`, sorted; hidden files and folders (`.name`) are skipped. A missing folder has
    none. Whatever cannot be used is reported into `diags` at its path and left out: a folder
    that cannot be read, a named pipe, device or socket, a broken symbolic link, and a
    symbolic link that leads outside the site folder (`site`) and `folder`, which is refused
    so that nothing from elsewhere on the machine (`/etc/passwd`) can be published. The
    folder itself may be a link, or set elsewhere in site.toml. With `sources` (the content
    folder, when listing static/, whose files are published as they are), a link into it or
    to a folder above it is refused too: it would publish the Markdown, drafts included."""
    report = diags if diags is not None else Diagnostics()
    top = os.path.realpath(folder)
    roots = [top] + ([os.path.realpath(site)] if site is not None else [])
    private = os.path.realpath(sources) if sources is not None else None
    if not _is_folder(folder, report):
        return []
    found: list[str] = []
    seen = {top}
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError as exc:
            report.error(current, None, f"cannot read this folder: {exc.strerror}")
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            try:
                kind = _entry_kind(entry, roots, wanted(entry.name), private)
            except OSError as exc:
                report.error(entry.path, None, f"cannot read: {exc.strerror}")
                continue
            if kind == "folder":
                real = os.path.realpath(entry.path)
                if real not in seen:  # a link to a folder already listed (or a loop)
                    seen.add(real)
                    pending.append(entry.path)
            elif kind == "file":
                found.append(entry.path)
            elif kind:
                report.error(entry.path, None, kind)
    return sorted(found)  # sorting strings: far cheaper than Paths


def _is_folder(folder: Path, report: Diagnostics) -> bool:
    try:
        status = os.stat(folder)
    except FileNotFoundError:
        if os.path.islink(folder):
            target = os.readlink(folder)
            report.error(folder, None, f"broken symbolic link (to {target}): remove it")
        return False
    except OSError as exc:
        report.error(folder, None, f"cannot read this folder: {exc.strerror}")
        return False
    if not stat.S_ISDIR(status.st_mode):
        report.error(folder, None, "is not a folder")
        return False
    return True


def _entry_kind(
    entry: os.DirEntry, roots: list[str], wanted: bool, private: str | None = None
) -> str:
    """'folder' (to list), 'file' (to use), '' (to skip), or what is wrong with it."""
    if entry.is_symlink():
        real = os.path.realpath(entry.path)
        if not os.path.exists(real):
            return (
                f"broken symbolic link (to {os.readlink(entry.path)}): remove it" if wanted else ""
            )
        if not any(real == root or real.startswith(root + os.sep) for root in roots):
            if not wanted and not os.path.isdir(real):
                return ""
            return f"symbolic link to {real}, outside the site: refused (copy the file in instead)"
        problem = _link_inside_problem(real, roots) or _into_sources(real, private)
        if problem is not None:
            return problem if wanted or os.path.isdir(real) else ""
    if entry.is_dir():
        return "folder"
    if not wanted:
        return ""
    if entry.is_file():
        return "file"
    return f"{_kind(entry.stat().st_mode)}, not a regular file: remove it"


def _into_sources(real: str, sources: str | None) -> str | None:
    if sources is None:
        return None
    if real == sources or real.startswith(sources + os.sep) or sources.startswith(real + os.sep):
        return (
            f"symbolic link to {real}, the content folder or in it: refused (from static/ "
            "it would publish the Markdown sources, drafts too)"
        )
    return None


def _link_inside_problem(real: str, roots: list[str]) -> str | None:
    """Why a symbolic link that stays in the site may not be followed: it leads to a hidden
    file or folder (`.git/config`, which may hold a token in a remote's URL; `.env`; the
    build's cache), which a listing skips when it meets one itself, or to a folder that
    holds the listed folder or the site (`static/all -> ..`), which would publish the
    site's Markdown sources, drafts too. `roots`: the listed folder, then the site."""
    top = roots[0]
    if any(root.startswith(real + os.sep) or root == real != top for root in roots):
        return (
            f"symbolic link to {real}, a folder that holds this folder or the site: refused "
            "(from static/ it would publish the Markdown sources, drafts too)"
        )
    for root in roots:  # the listed folder first: it may itself be under a hidden folder
        if real.startswith(root + os.sep):
            if any(part.startswith(".") for part in real[len(root) + 1 :].split(os.sep)):
                return (
                    f"symbolic link to {real}, a hidden file or folder (such as .git): "
                    "refused (hidden files are never published: copy the file in instead)"
                )
            break
    return None


def load_files(
    paths: Iterable[Path], diags: Diagnostics, extensions: Collection[str] = ()
) -> list[SourceFile]:
    return [source for path in paths if (source := load_file(path, diags, extensions)) is not None]


def shortened(text: str) -> str:
    """A text longer than any file's name (255) cut to its first 60 characters: a path of
    5,000 would bury its error."""
    return text if len(text) <= 255 else text[:60] + "…"


# What the OS says of a path it cannot look up at all, whatever the command would do with it
_UNUSABLE_PATH = {
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links",
}


def unusable(value: str | os.PathLike[str]) -> Diagnostic | None:
    """What the OS says of a path it cannot look up at all, as one line; None otherwise."""
    try:
        os.stat(os.path.abspath(value))  # absolute: the whole path must fit PATH_MAX
    except OSError as error:
        if error.errno in _UNUSABLE_PATH:
            return Diagnostic(shortened(os.fsdecode(value)), None, _UNUSABLE_PATH[error.errno])
    except ValueError:  # a NUL byte (argv cannot hold one): left to the command
        return None
    return None
