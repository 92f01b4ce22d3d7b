"""The actor registry as ingest sees it: content/actors/ read by the build's own code.

`source` reads and checks the files (UTF-8, size, front matter, safe YAML without anchors)
and `model.build_registry` makes the actors (kinds, `slug:`, aliases that clash), exactly as
`sitegen build` does; a file the build would reject is reported and its names not matched.
Ingest keeps a small mutable view of each actor, and new actors get the build's slugs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.diagnostics import Diagnostics
from sitegen.model import build_registry
from sitegen.routes import report_actor_clashes
from sitegen.source import key_line, load_files, markdown_files
from sitegen.urls import slugify


@dataclass
class Actor:
    name: str
    kind: str  # person | organization | country | group | other
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    path: Path | None = None  # the file it was read from; None for a new actor
    source: str = ""  # for a new actor: the input it was first seen in
    slug: str = ""  # the registry's (its `slug:` or its name's); new actors: from the name

    def __post_init__(self) -> None:
        self.slug = self.slug or actor_slug(self.name)


def actor_slug(name: str) -> str:
    """The build's slug of a name (urls.slugify), or 'actor' when nothing usable is left."""
    return slugify(name) or "actor"


def load_registry(actors_dir: Path, warnings: list[str]) -> list[Actor]:
    """Every actor the build would accept; each problem the build would report is a warning
    here (that file's names are not matched)."""
    site = actors_dir.parent.parent
    diags = Diagnostics(root=site)
    files = markdown_files(actors_dir, diags, site)  # (a FIFO or a link out named, as build does)
    actors, _ = build_registry(load_files(files, diags), diags)
    for problem in diags.errors:  # its warnings are the build's to give
        whose = "this actor's" if problem.path.endswith(".md") else "the registry's"
        warnings.append(f"{problem.format()} ({whose} names are not matched)")
    # two files on one slug: build's line; their names still lead to that one slug
    clashes = Diagnostics(root=site.resolve())  # paths as build shows them
    report_actor_clashes(actors, clashes, site.resolve(), key_line)
    warnings.extend(problem.format() for problem in clashes.errors)
    return [
        Actor(
            name=actor.name,
            kind=actor.kind,
            role=actor.role or None,
            aliases=list(actor.aliases),
            path=actor.path,
            slug=actor.slug,
        )
        for actor in actors
    ]
