"""`sitegen ingest`: raw briefings in, content files out, a report of what was done.

Two passes over the inputs. The first reads each input on its own, with the registry
(`content/actors/`) as it stands: what a briefing names does not depend on whatever else is
ingested in the same run, and that is what the report (and `--format json`) gives. New
actors are then gathered across the inputs, one stub per actor: a spelling variant of
another input's new actor becomes that stub's alias. The second pass reads each input again
with the stubs known, as the next run will know them from their files, and that is what is
written: a variant links to the one actor (`[[Stub Name|variant]]`), so one actor has one
page, and a second run over the same inputs changes nothing.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..config import CONFIG_NAME, Permalinks, load_config
from ..diagnostics import Diagnostics, one_line
from ..front_matter import split as split_front_matter
from ..mdguard import costly_markdown
from ..source import NotRegularFile, load_file, not_regular, read_regular, unusable
from .actors import Analysis, Prepared, analyse, prepare_many
from .cache import CACHE_FILE, IngestCache, entry_key, record, registry_digest, restore
from .gazetteer import Gazetteer, cased_forms, name_key
from .language import reads_as_english
from .leftovers import only_run, remove_leftovers
from .lexicon import load_lexicon
from .nlp import ModelMissing, load_pipeline, pieces
from .rawparse import MAX_BYTES, IngestError, RawBriefing, decode, parse_raw, too_large
from .registry import Actor, load_registry
from .textutil import Mention
from .writer import (
    backup,
    backup_folder,
    briefing_name,
    render_briefing,
    render_stub,
    title_of,
    write_atomic,
)

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class Outcome:
    """One input: what it became, or why it could not."""

    label: str  # the path as given, or "-"
    briefing: RawBriefing | None = None
    data: bytes = b""  # the input as read
    name: str = ""  # its file name ("" for standard input)
    cached: object = None  # its cache entry, when the analysis came from the cache
    prepared: list[Prepared] = field(default_factory=list)  # its paragraphs, parsed
    # for each parsed piece: its paragraph's index and where in that paragraph it starts
    pieces: list[tuple[int, int]] = field(default_factory=list)
    found: Analysis | None = None  # what it names on its own (first pass): the report
    analysis: Analysis | None = None  # what is written (second pass, with this run's stubs)
    output: Path | None = None
    status: str = ""  # written | unchanged | replaced | refused | failed
    error: str | None = None
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Options:
    site_dir: Path
    dry_run: bool
    force: bool
    content: str = "content"  # site.toml's [paths] content, where the build reads
    permalink: str = Permalinks().briefing  # site.toml's [permalinks] briefing

    @property
    def briefings_dir(self) -> Path:
        return self.site_dir / self.content / "briefings"

    @property
    def actors_dir(self) -> Path:
        return self.site_dir / self.content / "actors"


# -- inputs ---------------------------------------------------------------------------------
def _expand(paths: list[str]) -> tuple[list[tuple[str, Path | None]], list[Outcome]]:
    inputs: list[tuple[str, Path | None]] = []
    failed: list[Outcome] = []
    for given in paths:
        path = Path(given)
        if given == "-":
            inputs.append(("-", None))
        elif (problem := unusable(given)) is not None:  # a link loop, a name too long
            failed.append(_failure(problem.path, f"{problem.message}: skipped"))
        elif path.is_dir():
            unreadable: list[OSError] = []
            listed = _raw_files(path, unreadable.append)
            for error in unreadable:  # (named, and the rest of the folder still read)
                where = os.fsdecode(error.filename) if error.filename else given
                failed.append(_failure(where, f"cannot read the folder ({_why(error)})"))
            inside = os.path.realpath(path)
            for found in listed:
                why = not_regular(found) or _linked_out(found, inside)
                if why is None:
                    inputs.append((str(found), found))
                else:
                    failed.append(_failure(str(found), f"{why}: skipped"))
            if not listed and not unreadable:
                failed.append(_failure(given, "no .txt files in this folder or its sub-folders"))
        elif path.is_file():
            inputs.append((given, path))
        elif path.is_symlink() or path.exists():  # a FIFO, a device, a dangling link
            failed.append(_failure(given, f"{not_regular(path) or 'not a regular file'}: skipped"))
        else:
            failed.append(_failure(given, "no such file or folder"))
    unique = {outcome.error: outcome for outcome in failed}  # named alone and in its folder
    return _once(inputs), list(unique.values())


def _linked_out(found: Path, folder: str) -> str | None:
    """Why a file found in a folder given to ingest is not read: a symbolic link out of that
    folder (a raw folder unpacked from an archive, `x.txt -> ~/.ssh/id_rsa`) would have what
    it leads to written into content/ and published. A file named alone is read wherever
    its link leads: the command line said so."""
    if not found.is_symlink():
        return None
    real = os.path.realpath(found)
    if real.startswith(folder + os.sep):
        return None
    return f"symbolic link to {real}, outside the folder given (copy the file in to ingest it)"


def _once(inputs: list[tuple[str, Path | None]]) -> list[tuple[str, Path | None]]:
    """Each file once, however often it is named (`raw/ raw/a.txt`, `a.txt ./a.txt`, a link
    to it): read twice, it clashed with itself ('writes the same file as raw/a.txt')."""
    seen: set[str] = set()
    kept = []
    for label, path in inputs:
        key = "-" if path is None else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            kept.append((label, path))
    return kept


def _folder_in_the_way(options: Options) -> str | None:
    """What stands where content/ or content/briefings goes (a file, a broken link), said at
    once: every briefing would fail alike, after the costly parse of every input."""
    for folder in (options.briefings_dir.parent, options.briefings_dir):
        if folder.is_dir() or not os.path.lexists(folder):
            continue
        shown = _shown(folder, options)
        if folder.is_symlink():
            return f"{shown}: {not_regular(folder)}: remove it"  # (its target named)
        return f"{shown}: is not a folder: move it away (ingest writes the briefings there)"
    return None


def _raw_files(folder: Path, unreadable: Callable[[OSError], None]) -> list[Path]:
    """The .txt files (any case: '.TXT') in a folder and its sub-folders, in order. Hidden
    files and folders are left out, as static site generators leave them: editor and system
    files ('._2022-01-27.txt' from a Mac, '.git/'). Linked folders are not entered (no loops).
    A folder that cannot be listed is told to `unreadable`, and the others are still read."""
    found = []
    for root, folders, files in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if not name.startswith(".") and name.lower().endswith(".txt"):
                found.append(Path(root, name))
    return sorted(found)


def _failure(label: str, message: str, line: int | None = None) -> Outcome:
    where = f"{label}:{line}" if line else label
    return Outcome(label, status="failed", error=f"{where}: {message}")


def _read(path: Path | None, stdin: TextIO) -> bytes:
    if path is None:
        stream = getattr(stdin, "buffer", None)
        return stream.read(MAX_BYTES) if stream else stdin.read(MAX_BYTES).encode()
    size = path.stat().st_size
    if size >= MAX_BYTES:
        raise IngestError(too_large(size))
    try:  # swapped for a FIFO or a device since it was listed: refused, not waited on
        return read_regular(path)
    except NotRegularFile as exc:
        raise IngestError(f"{exc}: skipped") from None


NOT_ENGLISH = (
    "line 1: most of this text does not read as English, and the model that finds actors and "
    "quotes is English: check the ones found, and add those it missed"
)


def _parse(label: str, path: Path | None, stdin: TextIO) -> Outcome:
    try:
        data = _read(path, stdin)
        text = decode(data)
        briefing = parse_raw(text, path.name if path else None)
    except IngestError as exc:
        return _failure(label, str(exc), exc.line)
    except OSError as exc:
        return _failure(label, f"cannot read: {exc.strerror or exc}")
    if not reads_as_english(text):  # marks it for review, as the parser's warnings do
        briefing.warnings.append(NOT_ENGLISH)
    name = path.name if path else ""
    return Outcome(label, briefing, data, name, warnings=list(briefing.warnings))


# -- actors across inputs ----------------------------------------------------------------------
def _merge_new(outcomes: list[Outcome], registry: list[Actor]) -> list[Actor]:
    """The new actors of all inputs, one per name: a spelling variant or a lone surname of
    another input's actor becomes that actor's alias (one page per actor on the site). The
    spelling most inputs use names it (then one not in capitals, the longer, the first in
    order)."""
    spellings: dict[str, list[Actor]] = {}
    for outcome in sorted(outcomes, key=lambda o: o.label):  # the same whatever the order given
        for actor in outcome.found.new_actors if outcome.found else []:
            spellings.setdefault(name_key(actor.name), []).append(actor)
    merged: dict[str, Actor] = {}
    for seen in spellings.values():
        counts = Counter(a.name for a in seen)
        order = {a.name: -index for index, a in reversed(list(enumerate(seen)))}
        shouted = {n: n.upper() == n and n.lower() != n for n in counts}  # 'JAPAN' in a slug
        name = max(counts, key=lambda n: (counts[n], not shouted[n], len(n), order[n]))
        first = next(a for a in seen if a.name == name)
        known = merged[name] = Actor(name, first.kind, first.role, [], source=first.source)
        for actor in seen:
            if actor.name != name and actor.name not in known.aliases:
                known.aliases.append(actor.name)
            known.role = known.role or actor.role
            known.aliases.extend(a for a in actor.aliases if a not in known.aliases)
    full_names: dict[str, set[str]] = {}
    for actor in [*merged.values(), *registry]:
        if actor.kind == "person" and len(actor.name.split()) >= 2:
            full_names.setdefault(name_key(actor.name.split()[-1]), set()).add(actor.name)
    for name, actor in list(merged.items()):
        owners = full_names.get(name_key(name), set())
        listed = name in load_lexicon().known  # 'Politico' the outlet is nobody's surname
        single = " " not in name and actor.kind in ("person", "organization") and not listed
        if single and len(owners) == 1:  # the model may take a lone surname for a company
            owner = merged.get(next(iter(owners)))
            if owner is not None and name not in owner.aliases:
                owner.aliases.append(name)
            del merged[name]
    return _unique_aliases(list(merged.values()), registry)


def _unique_aliases(actors: list[Actor], registry: list[Actor]) -> list[Actor]:
    """An alias may belong to one actor only: the first to claim it keeps it."""
    taken = {a.name for a in [*actors, *registry]}
    for known in registry:
        taken.update(known.aliases)
    for actor in actors:
        actor.aliases = [a for a in actor.aliases if a not in taken and a != actor.name]
        taken.update(actor.aliases)
    return actors


def _find_actors(
    outcomes: list[Outcome], registry: list[Actor], cache: IngestCache, registry_key: str
) -> list[Actor]:
    """Analyse every input, from the cache where nothing changed; else parse (the model is
    loaded once, the paragraphs of all inputs parsed in one stream). Returns the new actors
    (for stubs)."""
    readable = [o for o in outcomes if o.briefing is not None]
    by_name = {a.name: a for a in registry}
    missed = []
    for outcome in readable:
        entry = cache.get(entry_key(outcome.data, outcome.name, registry_key))
        segments = len(outcome.briefing.segments()) if outcome.briefing else 0
        try:
            restored = None if entry is None else restore(entry, by_name, segments)
        except ValueError:
            cache.problems.append("an entry of another shape: its input is analysed again")
            restored = None
        if restored is None:
            missed.append(outcome)
        else:
            outcome.analysis, outcome.cached = restored, entry
            outcome.found = outcome.analysis
    if not missed:
        return []
    nlp = load_pipeline()
    gazetteer = Gazetteer(load_lexicon(), registry, nlp.tokenizer)
    _prepare(missed, nlp, gazetteer)
    _analyse_all(missed, gazetteer)
    for outcome in missed:
        outcome.found = outcome.analysis
    new = _merge_new(outcomes, registry)
    if new:  # again with them known, as the next run will know them from their stubs
        _prepare([o for o in readable if not o.prepared], nlp, gazetteer)
        for actor in new:
            gazetteer.add_actor(actor)
        _analyse_all(readable, gazetteer)
        for outcome in readable:
            outcome.cached = None
        _stub_aliases(new, outcomes)
        new = _unique_aliases(new, registry)
    return new


def _prepare(outcomes: list[Outcome], nlp: Language, gazetteer: Gazetteer) -> None:
    segments = []
    for outcome in outcomes:
        assert outcome.briefing is not None
        cut, outcome.pieces = _cut_long_paragraphs(outcome.briefing.segments())
        segments.append(cut)
    known = cased_forms(gazetteer.lexicon, list(gazetteer.actors.values()))
    parsed = prepare_many(segments, nlp, frozenset(gazetteer.acronyms), known)
    for outcome, prepared in zip(outcomes, parsed, strict=True):
        outcome.prepared = prepared


def _cut_long_paragraphs(
    segments: list[tuple[str, int | None]],
) -> tuple[list[tuple[str, int | None]], list[tuple[int, int]]]:
    """Paragraphs over nlp.LONGEST_PIECE characters as several pieces (same item), and for
    each piece, its paragraph and offset there, to put the links back (_join_pieces)."""
    cut: list[tuple[str, int | None]] = []
    where: list[tuple[int, int]] = []
    for index, (text, item) in enumerate(segments):
        offset = 0
        for part in pieces(text):
            cut.append((part, item))
            where.append((index, offset))
            offset += len(part)
    return cut, where


def _join_pieces(analysis: Analysis, where: list[tuple[int, int]]) -> None:
    """The links of a paragraph read in pieces, in the paragraph's own offsets."""
    if len(where) == len({index for index, _ in where}):
        return  # nothing was cut
    joined: list[list[Mention]] = [[] for _ in range(where[-1][0] + 1)]
    for links, (index, offset) in zip(analysis.links, where, strict=True):
        joined[index].extend(replace(m, start=m.start + offset, end=m.end + offset) for m in links)
    analysis.links = joined


def _save_cache(
    outcomes: list[Outcome], cache: IngestCache, options: Options, unwritten: set[str]
) -> None:
    """Entries under the registry as this run leaves it (with its new stubs). An analysis
    that names a new actor whose stub this run did not write (its input failed or was
    refused, the stub could not be written) is not kept: it was made with that stub known,
    and under the registry as it is it would tell the next run there is no stub to write."""
    if options.dry_run:
        return
    if not cache.enabled:
        cache.forget_written()
        return
    key = registry_digest(options.actors_dir)
    cache.save(
        {
            entry_key(o.data, o.name, key): o.cached or record(o.analysis)
            for o in outcomes
            if o.briefing is not None
            and o.analysis is not None
            and (o.cached or not _names(o.analysis) & unwritten)
        }
    )


def _analyse_all(outcomes: list[Outcome], gazetteer: Gazetteer) -> None:
    for outcome in outcomes:
        outcome.analysis = analyse(outcome.prepared, gazetteer, outcome.label)
        _join_pieces(outcome.analysis, outcome.pieces)


def _stub_aliases(new: list[Actor], outcomes: list[Outcome]) -> None:
    """Forms seen on the second pass belong in the new stubs' aliases."""
    by_name = {a.name: a for a in new}
    for outcome in sorted(outcomes, key=lambda o: o.label):
        for name, forms in (outcome.analysis.new_aliases if outcome.analysis else {}).items():
            if name in by_name:
                actor = by_name[name]
                actor.aliases.extend(f for f in forms if f not in actor.aliases)


# -- writing -----------------------------------------------------------------------------------
def _place(outcomes: list[Outcome], options: Options) -> None:
    """Decide each output file; two inputs may not write the same one."""
    claimed: dict[Path, str] = {}
    for outcome in outcomes:
        if outcome.briefing is None:
            continue
        output = options.briefings_dir / briefing_name(outcome.briefing)
        if output in claimed:
            outcome.status = "failed"
            outcome.error = (
                f"{outcome.label}: writes the same file as {claimed[output]} "
                f"({output.name}): same date and heading"
            )
            outcome.briefing = None
            continue
        claimed[output] = outcome.label
        outcome.output = output


def _write_briefing(outcome: Outcome, options: Options, cache: IngestCache) -> None:
    assert outcome.briefing and outcome.analysis and outcome.output
    content = render_briefing(outcome.briefing, outcome.analysis, outcome.label)
    path = outcome.output
    where = os.path.relpath(path, options.site_dir)  # the record's key: the site may move
    origin = _origin(outcome)
    in_the_way = _in_the_way(path)
    if in_the_way:
        outcome.status = "refused"
        outcome.error = (
            f"{outcome.label}: {_shown(path, options)} {in_the_way}: not overwritten; "
            "remove it and run ingest again"
        )
        return
    try:
        existing = _existing_text(path)
    except OSError as exc:  # (unreadable, or swapped for something else since the look)
        outcome.status = "refused"
        outcome.error = f"{outcome.label}: {_shown(path, options)}: cannot read it ({exc})"
        return
    if existing == content or (
        existing is not None and _without_source(existing) == _without_source(content)
    ):  # (the same input named another way: './raw/x.txt', an absolute path)
        outcome.status = "unchanged"
        if existing == content and not options.dry_run:  # (not an editor's source: line)
            cache.holds(where, existing.encode("utf-8"), origin)
        return
    costly = costly_markdown(split_front_matter(content)[2])
    if costly is not None:  # `sitegen build` would refuse the file, and the site with it
        outcome.status = "failed"
        outcome.error = f"{outcome.label}: too costly to convert once written: {costly.message}"
        return
    own = existing is not None and cache.is_own(where, existing.encode("utf-8"), origin)
    if existing is not None and not options.force and not own:
        outcome.status = "refused"
        outcome.error = f"{outcome.label}: {_shown(path, options)} {_whose(existing, where, cache)}"
        return
    outcome.status = "replaced" if existing is not None else "written"
    if existing is None:
        outcome.warnings.extend(_earlier_outputs(outcome, options))
    if not options.dry_run:
        if existing is not None and not own:  # (ingest's own output is made again)
            try:
                outcome.backup = backup(path, options.site_dir)
            except OSError as exc:  # (not the briefing's fault: say where the copy goes)
                outcome.status = "refused"
                outcome.error = (
                    f"{outcome.label}: {_shown(path, options)}: not replaced: its backup "
                    f"cannot be kept ({_why(exc)})"
                )
                return
        try:
            write_atomic(path, content)
            cache.wrote(where, content.encode("utf-8"), origin)
        except OSError as exc:
            outcome.status = "failed"
            outcome.error = f"{outcome.label}: {_cannot_write(path, exc, options)}"


_SOURCE_LINE = re.compile(r"^source: .*\n(?:[ ]+.*\n)*", re.MULTILINE)


def _whose(existing: str, where: str, cache: IngestCache) -> str:
    """Why a briefing is not replaced: an editor's change, or another input's file (two
    inputs of one day and heading), which '(edited by hand?)' misnamed."""
    other = cache.origin_of(where, existing.encode("utf-8"))
    if other is None:
        return (
            "exists and differs (edited by hand?); not overwritten: use --force to replace "
            "it (a backup is kept)"
        )
    try:  # (as the editor would type it, when it is below the current folder)
        shown = os.path.relpath(other) if Path(other).is_relative_to(Path.cwd()) else other
    except OSError:  # the current folder was deleted
        shown = other
    return (
        f"was written from {shown}, another input with that day and headline; not overwritten: "
        "use --force to replace it (a backup is kept), or give one of them another headline"
    )


def _origin(outcome: Outcome) -> str | None:
    """The input a briefing is made from, as the written record knows it: its real path
    (None for standard input, whose briefings ingest never replaces without --force)."""
    return None if outcome.label == "-" else os.path.realpath(outcome.label)


def _without_source(text: str) -> str:
    """A briefing file without its `source:` line (the input's path as it was given)."""
    return _SOURCE_LINE.sub("", text, count=1)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _cannot_write(path: Path, exc: OSError, options: Options) -> str:
    """`path: cannot write it (why)`, naming a file that stands where a folder goes."""
    return f"{_shown(path, options)}: cannot write it ({_write_failure(path, exc, options)})"


def _write_failure(path: Path, exc: OSError, options: Options) -> str:
    folder = next((p for p in path.parents if p.exists() or p.is_symlink()), None)
    if folder is not None and not folder.is_dir():
        return f"{_shown(folder, options)} is not a folder"
    return _why(exc)


def _in_the_way(path: Path) -> str | None:
    """Why ingest may not replace what is at `path`: only a regular file (or nothing) is an
    earlier briefing. A link is not followed (its target may be anywhere, /etc/passwd), and a
    folder, a named pipe or a device is something an editor put there, not ours to remove."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # (a file where its folder goes: written, it fails in one line)
        return None if exc.errno == errno.ENOTDIR else f"cannot be looked at ({_why(exc)})"
    if stat.S_ISLNK(mode):
        return "is a symbolic link (ingest writes a file of its own there)"
    if not stat.S_ISREG(mode):
        return f"is {not_regular(path)}"
    return None


def _existing_text(path: Path) -> str | None:
    """An earlier briefing's text (None: there is none); one that is not UTF-8 is only
    different (it is refused or, with --force, backed up and replaced)."""
    try:
        return read_regular(path).decode("utf-8")
    except (FileNotFoundError, NotADirectoryError):  # (a file where its folder goes)
        return None
    except UnicodeDecodeError:
        return ""


def _earlier_outputs(outcome: Outcome, options: Options) -> list[str]:
    """Files of the same day written earlier from the same source under another title (the
    input's title was edited, or a newer sitegen reads it better): left in place, since an
    editor may have worked on them, but named, or the site would show the day twice."""
    assert outcome.briefing and outcome.output
    day = outcome.briefing.date.isoformat()
    found = []
    for path in sorted(options.briefings_dir.glob(f"{day}-*.md")):
        if path != outcome.output and _source_of(path) == outcome.label:
            found.append(
                f"{_shown(path, options)} was written from this input under another title: "
                f"remove it if {_shown(outcome.output, options)} replaces it"
            )
    return found


def _warn_shared_days(outcomes: list[Outcome], options: Options) -> None:
    """A briefing written for a day that already has another (two outlets' briefings of one
    day): under a permalink without {slug} the build refuses both, so say it now, with the
    two ways out. The file is still written: the editor decides which way to go."""
    permalink = options.permalink
    if "{slug}" in permalink:
        return
    planned = {o.output for o in outcomes if o.output is not None and o.error is None}
    by_day: dict[str, set[Path]] = {}  # the folder listed once, not once per briefing
    for path in [*planned, *options.briefings_dir.glob("*.md")]:
        by_day.setdefault(path.name[:11], set()).add(path)
    for outcome in outcomes:
        if outcome.status not in ("written", "replaced") or outcome.output is None:
            continue
        assert outcome.briefing is not None
        day = outcome.briefing.date.isoformat()
        others = sorted(by_day.get(f"{day}-", set()) - {outcome.output})
        others = [p for p in others if p in planned or _source_of(p) != outcome.label]
        if others:
            shown = ", ".join(_shown(p, options) for p in others)
            outcome.warnings.append(
                f"{day} already has a briefing ({shown}); the permalink {permalink} makes one "
                "page per day, so `sitegen build` will refuse both: merge them into one file, "
                "or add {slug} to [permalinks] briefing in site.toml"
            )


def _options(site_dir: Path, dry_run: bool, force: bool) -> Options:
    """The run's options with what it needs of site.toml, read once: the content folder (the
    build reads there) and the briefing permalink; their defaults when site.toml is missing
    or wrong (its errors are the build's to report)."""
    config = load_config(site_dir, Diagnostics(), best_effort=True)
    if config is None:
        return Options(site_dir, dry_run, force)
    return Options(site_dir, dry_run, force, config.paths.content, config.permalinks.briefing)


def _source_of(path: Path) -> str | None:
    """The `source:` in a briefing file's front matter, or None (unreadable, hand-made), read
    as the build reads it (a named pipe there is not waited on)."""
    found = load_file(path, Diagnostics())
    source = found.front.get("source") if found is not None else None
    return None if source is None else str(source)


def _shown(path: Path, options: Options) -> str:
    try:
        return str(path.relative_to(options.site_dir))
    except ValueError:
        return str(path)


def _named_in_kept(new: list[Actor], outcomes: list[Outcome]) -> list[Actor]:
    """The new actors that a briefing in content/ names after this run (written, replaced or
    already there): an input that failed or was refused (an edited file, not replaced
    without --force) leaves no stub behind, which would make a page for someone the site
    does not mention, or bring back a stub an editor deleted."""
    named: set[str] = set()
    for outcome in outcomes:
        if outcome.status in _VERBS and outcome.analysis is not None:
            named |= _names(outcome.analysis)
    return [actor for actor in new if actor.name in named]


def _names(analysis: Analysis) -> set[str]:
    """Every actor an analysis names: its actors, its links' and its quotes' speakers."""
    named = {actor.name for actor in analysis.actors}
    named.update(m.name for links in analysis.links for m in links if m.name and m.link)
    named.update(quote.actor for quote in analysis.quotes if quote.actor)
    return named


def _write_stubs(
    actors: list[Actor], registry: list[Actor], options: Options
) -> tuple[list[Actor], list[str], list[str]]:
    """(actors whose stubs were created, notes on stubs not written, errors): an actor's file
    is never replaced, nor a link where it goes, even a broken one (an editor's); nor is a
    stub written on the URL of an actor whose file has another name (its `slug:`): the build
    would refuse both."""
    created: list[Actor] = []
    skipped: list[str] = []
    failures: dict[str, list[Path]] = {}  # why -> the stubs it stopped
    taken = {actor.slug: actor.path for actor in registry if actor.path is not None}
    for actor in actors:
        path = _stub_path(actor, options)
        if os.path.lexists(path):
            what = "is a link" if path.is_symlink() else "exists (another name?)"
            skipped.append(f"{_shown(path, options)}: {what}; no stub written for '{actor.name}'")
            continue
        owner = taken.get(actor.slug)
        if owner is not None:
            skipped.append(
                f"{_shown(owner, options)}: its slug '{actor.slug}' is the URL a stub for "
                f"'{actor.name}' would take (another name?); no stub written: add the name "
                "to its aliases if it is that actor"
            )
            continue
        if not options.dry_run:
            try:
                write_atomic(path, render_stub(actor))
            except OSError as exc:
                failures.setdefault(_write_failure(path, exc, options), []).append(path)
                continue
        created.append(actor)
    return created, skipped, [_stubs_failed(why, paths, options) for why, paths in failures.items()]


def _stubs_failed(why: str, paths: list[Path], options: Options) -> str:
    """One line per cause: content/actors a file (or read-only, or a full disk) stops every
    stub alike, and a line per stub said the same thing forty times."""
    if len(paths) == 1:
        return f"{_shown(paths[0], options)}: cannot write it ({why})"
    names = ", ".join(path.name for path in paths[:3])
    more = f" and {len(paths) - 3:,} more" if len(paths) > 3 else ""
    folder = _shown(options.actors_dir, options)
    if why == f"{folder} is not a folder":
        why = "is not a folder"
    return f"{folder}: {why}: {len(paths):,} new actor stubs not written ({names}{more})"


def _stub_path(actor: Actor, options: Options) -> Path:
    return options.actors_dir / f"{actor.slug}.md"


# -- reporting ---------------------------------------------------------------------------------
def _as_json(outcome: Outcome, options: Options) -> dict:
    """What the input names on its own (first pass): the same whatever else is ingested."""
    briefing, analysis = outcome.briefing, outcome.found
    return {
        "source": outcome.label,
        "date": briefing.date.isoformat() if briefing else None,
        "headline": title_of(briefing) if briefing else None,
        "output": _shown(outcome.output, options) if outcome.output else None,
        "actors": [
            {"name": a.name, "kind": a.kind, "role": a.role}
            for a in (analysis.actors if analysis else [])
        ],
        "quotes": [
            {"actor": q.actor, "text": q.text} for q in (analysis.quotes if analysis else [])
        ],
        "credits": list(briefing.credits) if briefing else [],
        "warnings": outcome.warnings,
        "error": outcome.error,
    }


_VERBS = {
    "written": ("wrote", "would write"),
    "replaced": ("replaced", "would replace"),
    "unchanged": ("unchanged", "unchanged"),
}


def _report_text(
    outcomes: list[Outcome], created: list[Actor], options: Options, out: TextIO
) -> None:
    for outcome in outcomes:
        if outcome.status not in _VERBS or not outcome.output or not outcome.analysis:
            continue
        verb = _VERBS[outcome.status][1 if options.dry_run else 0]
        extra = f" (backup: {_shown(outcome.backup, options)})" if outcome.backup else ""
        counts = f"{len(outcome.analysis.actors)} actors, {len(outcome.analysis.quotes)} quotes"
        shown = _shown(outcome.output, options)
        _line(out, f"{verb} {shown} from {outcome.label}: {counts}{extra}")
    for actor in created:
        shown = _shown(_stub_path(actor, options), options)
        _line(out, f"{'would create' if options.dry_run else 'created'} {shown} (review: true)")
    done = sum(o.status in _VERBS for o in outcomes)
    failed = sum(o.error is not None for o in outcomes)
    if options.dry_run:  # nothing was written: say what a run would do
        summary = f"{done} of {len(outcomes)} inputs would be ingested, {len(created)} new "
        _line(out, f"{summary}actor stubs, {failed} failed (dry run: nothing written)")
        return
    _line(
        out,
        f"{done} of {len(outcomes)} inputs ingested, {len(created)} new actor stubs, "
        f"{failed} failed",
    )


def _notes(outcomes: list[Outcome], registry: list[Actor], options: Options) -> list[str]:
    """Aliases of existing actor files seen in the text, for the editor to add by hand."""
    notes = []
    for outcome in outcomes:
        for name, forms in (outcome.analysis.new_aliases if outcome.analysis else {}).items():
            actor = next((a for a in registry if a.name == name), None)
            if actor is not None and actor.path is not None:
                shown = ", ".join(f"'{f}'" for f in forms)
                notes.append(
                    f"{_shown(actor.path, options)}: seen as {shown} in {outcome.label}; "
                    "add to its aliases if right"
                )
    return notes


def _variant_notes(new: list[Actor], outcomes: list[Outcome], options: Options) -> list[str]:
    """Names an input gave on its own that are written as another input's new actor (a
    spelling variant, a lone surname): they are that stub's aliases."""
    owner = {alias: actor for actor in new for alias in actor.aliases}
    notes = []
    for outcome in sorted(outcomes, key=lambda o: o.label):
        for actor in outcome.found.new_actors if outcome.found else []:
            stub = owner.get(actor.name)
            if stub is not None and actor.name != stub.name:
                path = _shown(_stub_path(stub, options), options)
                notes.append(
                    f"{path}: '{actor.name}' in {outcome.label} is written as this new actor "
                    "(listed in its aliases)"
                )
    return notes


def run_ingest(
    paths: list[str],
    site_dir: Path,
    *,
    dry_run: bool,
    force: bool,
    fmt: str,
    stdin: TextIO,
    out: TextIO,
    err: TextIO,
    use_cache: bool = True,
) -> int:
    """Ingest raw briefings into site_dir/content; returns 0, or 1 if any input failed."""
    options = _options(Path(site_dir), dry_run, force)
    config = options.site_dir / CONFIG_NAME
    if not dry_run and not config.is_file():
        why = not_regular(config)  # (a folder or a named pipe is there, not missing)
        _line(
            err,
            f"{config}: {why}: remove it"
            if why
            else f"{options.site_dir}: no {CONFIG_NAME} here: pass --site the folder where "
            f"{CONFIG_NAME} is ('sitegen init DIR' makes a site)",
        )
        return 1
    if dry_run:
        return _ingest(paths, options, fmt, stdin, out, err, use_cache)
    with only_run(options.site_dir, lambda why: _line(err, f"note: {why}")) as alone:
        if alone:  # no other run is writing: any temporary of ingest's is a killed run's
            cache_folder = options.site_dir / CACHE_FILE.parent
            written = [options.briefings_dir, options.actors_dir]
            backups = [backup_folder(folder, options.site_dir) for folder in written]
            remove_leftovers(written + backups, cache_folder)
        return _ingest(paths, options, fmt, stdin, out, err, use_cache)


def _ingest(
    paths: list[str],
    options: Options,
    fmt: str,
    stdin: TextIO,
    out: TextIO,
    err: TextIO,
    use_cache: bool,
) -> int:
    blocked = None if options.dry_run else _folder_in_the_way(options)
    if blocked is not None:  # no briefing can be written: one line, not one per input
        _line(err, blocked)
        return 1
    registry_warnings: list[str] = []
    registry = load_registry(options.actors_dir, registry_warnings)
    cache = IngestCache(options.site_dir, use_cache)
    inputs, failed = _expand(paths)
    outcomes = [_parse(label, path, stdin) for label, path in inputs]
    try:
        new = _find_actors(outcomes, registry, cache, registry_digest(options.actors_dir))
    except ModelMissing as exc:
        _line(err, str(exc))
        return 1
    _place(outcomes, options)
    for outcome in outcomes:
        if outcome.output is not None and outcome.error is None:
            _write_briefing(outcome, options, cache)
    _warn_shared_days(outcomes, options)
    found, new = new, _named_in_kept(new, outcomes)
    created, skipped, stub_errors = _write_stubs(new, registry, options)
    unwritten = {actor.name for actor in found} - {actor.name for actor in created}
    _save_cache(outcomes, cache, options, unwritten)
    everything = failed + outcomes
    if fmt == "json":
        listing = [_as_json(o, options) for o in everything]
        out.write(json.dumps(listing, ensure_ascii=False, indent=1) + "\n")
    else:
        _report_text(everything, created, options, out)
    notes = _notes(outcomes, registry, options) + _variant_notes(new, outcomes, options)
    for line in registry_warnings + skipped + notes:
        _line(err, f"note: {line}")
    for problem in cache.problems:
        _line(err, f"{_shown(cache.path, options)}: warning: {problem}")
    for outcome in everything:
        for warning in outcome.warnings:
            _line(err, f"{_located(outcome.label, warning)}")
        if outcome.error:
            _line(err, outcome.error)
    for line in stub_errors:
        _line(err, line)
    return 1 if stub_errors or any(o.error for o in everything) else 0


def _line(stream: TextIO, text: str) -> None:
    """One line of the report: a control character in a file's name is written escaped, so
    it cannot move the terminal's cursor or split the line."""
    stream.write(one_line(text) + "\n")


_LINE_FIRST = re.compile(r"line (\d+): ")


def _located(label: str, warning: str) -> str:
    """`path:line: warning: ...` when the warning names its line, as build's warnings do."""
    found = _LINE_FIRST.match(warning)
    if found is None:
        return f"{label}: warning: {warning}"
    return f"{label}:{found.group(1)}: warning: {warning[found.end() :]}"
