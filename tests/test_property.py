"""The change engine's promise, as a property: after any sequence of edits, a build that
reuses its cache and the previous output gives exactly what a `--no-cache` build into an
empty folder gives, byte for byte (the output's marker, a digest of every file, included).

Hypothesis draws the edits: briefings added (two on one day, under a {slug} permalink),
edited, edited to the same size with their time set back (as `cp -p`, `rsync -t` and
`touch -d` do), renamed, deleted, made drafts; quotes added, reworded, given to another
speaker and removed; actors renamed (to another letter of the A-Z too), given and relieved
of aliases; a template and site.toml edited; files touched. It runs twice: with the
2-second "racy" window (files changed since the last scan are hashed: what a quick editor
gets) and without it (stats that look unchanged are trusted, as hours later).

Every kind of page is there, with limits made small for a small site: an actor's quotes
pages (more than one quote), the A-Z pages of the actors index (more than two actors), and
the actors' charts, whose shared frame moves as days come and go in other months and years.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import changes, render, routes
from sitegen.build import BuildOptions, build

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
BRIEFINGS = "content/briefings"
# days in the golden site's months, and before and after them (the charts' frame moves)
DAYS = ["2021-11-15", "2022-01-30", "2022-01-31", "2022-02-01", "2022-02-02", "2023-06-05"]
SLUGS = ["morning", "evening", "update"]
WORDS = ["Ships", "moved", "the", "harbour", "talks", "[[Quill]]", "[[Northland]]",
         "[[Port Board]]", "[[the Board|board]]", "*calm*", "**strike**", "ended."]  # fmt: skip
SETTINGS = (
    'title = "Golden Briefing"\nbase_url = "https://example.org/golden/"\n'
    '[permalinks]\nbriefing = "/{year}/{month}/{day}/{slug}/"\n'
    "[search]\nenabled = false\n[pagination]\nactor_days = %d\nhome_recent = %d\n"
)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# (speaker, text, item): speakers by name and by alias; item 1 exists in every briefing
QUOTES = st.tuples(
    st.sampled_from(["Ada Quill", "Quill", "Harbour Board", "the Board"]),
    st.sampled_from(["We will not be rushed", "The port is open", "No comment"]),
    st.sampled_from([None, 1]),
)


def quotes_yaml(quotes: list[tuple[str, str, int | None]]) -> str:
    if not quotes:
        return ""
    lines = ["quotes:\n"]
    for speaker, text, item in quotes:
        lines.append(f'  - actor: "{speaker}"\n    text: "{text}"\n')
        if item is not None:
            lines.append(f"    item: {item}\n")
    return "".join(lines)


def briefing(date: str, words: list[str], draft: bool = False, quotes: list = ()) -> str:
    flag = "draft: true\n" if draft else ""
    body = " ".join(words)
    front = f'title: "{date} {words[0]}"\ndate: {date}\n{flag}{quotes_yaml(list(quotes))}'
    return f"---\n{front}---\nLead {body}.\n\n## Items\n\n{body}\n"


def briefing_files(site: Path) -> list[Path]:
    return sorted((site / BRIEFINGS).glob("*.md"))


def add(site: Path, data: st.DataObject) -> str:
    date, slug = data.draw(st.sampled_from(DAYS)), data.draw(st.sampled_from(SLUGS))
    words = data.draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    path = site / BRIEFINGS / f"{date}-{slug}.md"
    quotes = data.draw(st.lists(QUOTES, max_size=2))
    path.write_text(briefing(date, words, data.draw(st.booleans()), quotes))
    return f"add {path.name} quotes={len(quotes)}"


def pick(site: Path, data: st.DataObject) -> Path | None:
    files = briefing_files(site)
    return data.draw(st.sampled_from(files)) if files else None


def edit(site: Path, data: st.DataObject) -> str:
    path = pick(site, data)
    if path is None:
        return "edit: none"
    word = data.draw(st.sampled_from(WORDS))
    path.write_text(path.read_text().rstrip("\n") + f" {word}\n")
    return f"edit {path.name} +{word}"


def same_size_edit_keeping_mtime(site: Path, data: st.DataObject) -> str:
    """One byte of the body changed, the size and the modification time kept."""
    path = pick(site, data)
    if path is None:
        return "same-size: none"
    status = path.stat()
    text = path.read_text()
    at = text.rindex("\n", 0, len(text) - 1) + 1  # the last line: the body's last item
    old = text[at]
    new = "Z" if old != "Z" else "Y"
    path.write_text(text[:at] + new + text[at + 1 :])
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    return f"same-size {path.name} {old}->{new}"


_QUOTES_BLOCK = re.compile(r"^quotes:\n(?:[ -].*\n)*", re.MULTILINE)


def quote(site: Path, data: st.DataObject) -> str:
    """A briefing's quotes replaced: added, reworded, another speaker, or none at all."""
    path = pick(site, data)
    if path is None:
        return "quote: none"
    quotes = data.draw(st.lists(QUOTES, max_size=3))
    text = path.read_text()
    end = text.index("\n---\n", 4) + 1  # the line that closes the front matter
    front = _QUOTES_BLOCK.sub("", text[:end])
    path.write_text(front + quotes_yaml(quotes) + text[end:])
    return f"quote {path.name} {quotes}"


def rename(site: Path, data: st.DataObject) -> str:
    path = pick(site, data)
    if path is None:
        return "rename: none"
    target = path.with_name(f"{path.name[:10]}-{data.draw(st.sampled_from(SLUGS))}.md")
    if target.exists():
        return "rename: taken"
    shutil.move(path, target)  # keeps the time, like a rename in an editor
    return f"rename {path.name} -> {target.name}"


def delete(site: Path, data: st.DataObject) -> str:
    path = pick(site, data)
    if path is None or len(briefing_files(site)) < 2:
        return "delete: none"
    path.unlink()
    return f"delete {path.name}"


def touch(site: Path, data: st.DataObject) -> str:
    path = pick(site, data)
    if path is None:
        return "touch: none"
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    return f"touch {path.name}"


def actor(site: Path, data: st.DataObject) -> str:
    board = site / "content/actors/harbour-board.md"
    quill = site / "content/actors/ada-quill.md"
    choice = data.draw(st.sampled_from(["alias+", "alias-", "role", "rename"]))
    text = board.read_text()
    if choice == "alias+" and "Port Board" not in text:
        board.write_text(text.replace('"the Board"', '"the Board", "Port Board"'))
    elif choice == "alias-":
        board.write_text(text.replace(', "Port Board"', ""))
    elif choice == "role":
        role = data.draw(st.sampled_from(["Harbour Minister", "Port Minister", "Minister"]))
        lines = quill.read_text().splitlines(keepends=True)
        quill.write_text("".join(f"role: {role}\n" if x.startswith("role:") else x for x in lines))
    else:  # a new name (another letter of the A-Z: Ida); the slug and the alias Quill stay
        name = data.draw(st.sampled_from(["Ada Quill", "Ada M. Quill", "A. Quill", "Ida Quill"]))
        lines = [x for x in quill.read_text().splitlines(True) if not x.startswith("slug:")]
        lines = [f"name: {name}\nslug: ada-quill\n" if x.startswith("name:") else x for x in lines]
        quill.write_text("".join(lines))
    return f"actor {choice}"


def template(site: Path, data: st.DataObject) -> str:
    word = data.draw(st.sampled_from(["Golden", "Gilded", "Silver"]))
    footer = site / "templates/footer.html"
    text = footer.read_text()
    start = text.index("<p>") + 3
    footer.write_text(text[:start] + word + text[text.index(" footer override") :])
    return f"template {word}"


def site_toml(site: Path, data: st.DataObject) -> str:
    days, recent = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4))
    (site / "site.toml").write_text(SETTINGS % (days, recent))
    return f"site.toml actor_days={days} home_recent={recent}"


EDITS: list[Callable[[Path, st.DataObject], str]] = [
    add, add, edit, same_size_edit_keeping_mtime, rename, delete, touch, quote, quote, actor,
    actor, template, site_toml,
]  # fmt: skip


def new_site(root: Path) -> Path:
    site = root / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    (site / "site.toml").write_text(SETTINGS % (2, 5))
    # one day with two briefings from the start, one naming an actor only by an alias (and
    # quoting her: with the golden site's quote, three, on two quotes pages)
    quotes = [("Quill", "The port is open", 1), ("Ada Quill", "No comment", None)]
    evening = briefing("2022-02-01", ["Calm", "[[Quill]]"], quotes=quotes)
    (site / BRIEFINGS / "2022-02-01-evening.md").write_text(evening)
    return site


def check_edit_sequences(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-property-") as temporary:
        root = Path(temporary)
        site = new_site(root)
        out = root / "out"
        build(BuildOptions(site, out, jobs=1))
        for page in ("actors/ada-quill/quotes/page/2", "actors/a-z/h", "actors/a-z/names.json"):
            assert (out / page).exists(), f"the site lacks a kind of page: {page}"
        done = []
        # every kind of edit in every example, in an order and with values drawn
        for step, change in enumerate(data.draw(st.permutations(EDITS))):
            done.append(change(site, data))
            build(BuildOptions(site, out, jobs=1))
            clean = root / f"clean-{step}"
            build(BuildOptions(site, clean, jobs=1, no_cache=True))
            assert tree(out) == tree(clean), done


@pytest.mark.parametrize("racy_ns", [changes.RACY_NS, 0], ids=["racy-window", "stats-trusted"])
def test_cached_builds_equal_clean_builds_after_any_edits(
    racy_ns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "RACY_NS", racy_ns)
    for module in (routes, render):  # every kind of page, on a small site
        monkeypatch.setattr(module, "LATEST_QUOTES", 1)  # more: quotes pages
        monkeypatch.setattr(module, "QUOTES_PER_PAGE", 2)  # more: a second one
        monkeypatch.setattr(module, "ACTORS_INDEX_LIMIT", 2)  # more: A-Z pages

    @settings(
        max_examples=int(os.environ.get("SITEGEN_PROPERTY_EXAMPLES", "6")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        check_edit_sequences(data)

    run()
