"""The actor registry: content/actors/*.md, read safely, plus what ingest adds to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from slugify import slugify

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Actor:
    name: str
    kind: str  # person | organization | country | group | other
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    path: Path | None = None  # the file it was read from; None for a new actor
    source: str = ""  # for a new actor: the input it was first seen in

    @property
    def slug(self) -> str:
        return actor_slug(self.name)


def actor_slug(name: str) -> str:
    return slugify(name) or "actor"


def _front_matter(text: str) -> dict | None:
    if not text.startswith("---"):
        return None
    parts = text.split("\n---", 1)
    if len(parts) < 2:
        return None
    data = yaml.load(parts[0][3:], Loader=_Loader)
    return data if isinstance(data, dict) else None


def _actor_from(path: Path, data: dict) -> Actor | None:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list):
        aliases = []
    role = data.get("role")
    return Actor(
        name=name.strip(),
        kind=str(data.get("kind") or "other"),
        role=role if isinstance(role, str) else None,
        aliases=[str(a).strip() for a in aliases if isinstance(a, str | int) and str(a).strip()],
        path=path,
    )


def load_registry(actors_dir: Path, warnings: list[str]) -> list[Actor]:
    """Every readable actor file; unreadable ones are skipped with a warning."""
    actors: list[Actor] = []
    if not actors_dir.is_dir():
        return actors
    for path in sorted(actors_dir.glob("*.md")):
        try:
            data = _front_matter(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            warnings.append(f"{path}: not read ({type(exc).__name__}); its names are not matched")
            continue
        actor = _actor_from(path, data) if data else None
        if actor is None:
            warnings.append(f"{path}: no 'name' in its front matter; its names are not matched")
            continue
        actors.append(actor)
    return actors
