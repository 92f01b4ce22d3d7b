"""`sitegen init`: a new site that builds at once, from the files in `scaffold/`.

The files are copied as they are, but for a few `@name@` placeholders. Names starting with
`dot-` become dotfiles (`dot-gitignore` -> `.gitignore`): package data and tools handle
dotfiles unevenly, so none is shipped. `DATE` in a file name is today's date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from importlib import metadata, resources
from pathlib import Path

from sitegen.diagnostics import Diagnostic, SitegenError

SCAFFOLD_DIR = Path(str(resources.files("sitegen") / "scaffold"))


def _title(folder: Path) -> str:
    """'my-briefings' -> 'My Briefings': a first title for site.toml. Characters a title
    cannot show (control characters: the build refuses them) separate words too."""
    shown = "".join(char if char.isprintable() else " " for char in folder.name)
    words = " ".join(re.sub(r"[-_.]+", " ", shown).split())
    if not words:
        return "Briefings"
    return words.title() if words == words.lower() else words


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and control characters (DEL
    too, which JSON leaves raw but TOML forbids) escaped."""
    return '"' + "".join(_toml_escaped(char) for char in text) + '"'


def _toml_escaped(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if char < " " or char == "\x7f":
        return f"\\u{ord(char):04X}"
    return char


def _requirement() -> str:
    """How the Pages workflow can install this sitegen: the repository and commit it was
    installed from (PEP 610's direct_url.json), when that is a public git URL."""
    try:
        text = metadata.distribution("sitegen").read_text("direct_url.json")
        direct = json.loads(text) if text else {}
    except (metadata.PackageNotFoundError, ValueError):
        return ""
    vcs = direct.get("vcs_info") if isinstance(direct, dict) else None
    url = direct.get("url", "") if isinstance(direct, dict) else ""
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or not url.startswith("https://"):
        return ""
    return f"sitegen @ git+{url}@{vcs.get('commit_id', '')}\n".replace("@\n", "\n")


def _target(relative: Path, today: dt.date) -> Path:
    parts = [("." + p[4:]) if p.startswith("dot-") else p for p in relative.parts]
    parts[-1] = parts[-1].replace("DATE", today.isoformat())
    return Path(*parts)


def _check_folder(folder: Path) -> None:
    problem = None
    if not _is_utf8(folder.resolve().name):
        problem = "the folder's name is not UTF-8: site.toml could not hold it as the title"
    elif folder.is_symlink() and not folder.exists():  # (mkdir said 'File exists')
        problem = f"broken symbolic link (to {os.readlink(folder)}): remove it"
    elif folder.exists() and not folder.is_dir():
        problem = "exists and is not a folder"
    elif folder.is_dir() and any(folder.iterdir()):
        problem = "exists and is not empty: sitegen init makes a site in a new or empty folder"
    if problem:
        raise SitegenError([Diagnostic(str(folder), None, problem)])


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")  # a byte that is not UTF-8 is a lone surrogate here
    except UnicodeEncodeError:
        return False
    return True


def create_site(folder: Path, today: dt.date | None = None) -> list[str]:
    """Write a new site into `folder` (new or empty); returns the files made, relative."""
    _check_folder(folder)
    today = today or dt.date.today()
    values = {
        "@title@": toml_string(_title(folder.resolve())),
        "@date@": today.isoformat(),
        "@requirement@\n": _requirement(),
    }
    made = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for source in sorted(p for p in SCAFFOLD_DIR.rglob("*") if p.is_file()):
            relative = _target(source.relative_to(SCAFFOLD_DIR), today)
            text = source.read_text(encoding="utf-8")
            for placeholder, value in values.items():
                text = text.replace(placeholder, value)
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            with open(folder / relative, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            made.append(relative.as_posix())
    except OSError as error:
        where = error.filename or folder
        problem = Diagnostic(str(where), None, f"cannot write: {error.strerror}")
        raise SitegenError([problem]) from None
    return sorted(made)
