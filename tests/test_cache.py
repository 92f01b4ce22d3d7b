"""cache.py: entries as records, checksummed files, and a cache that cannot be trusted is a
warning, never a source of output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
import os
import pickle
import time
from pathlib import Path

import pytest

from sitegen.cache import (
    BODIES,
    FORMAT,
    BodyStore,
    BriefingEntry,
    BuildCache,
    Damaged,
    OutputRecord,
    PackedHtml,
    PlanRecord,
    SourceState,
    StoredBriefing,
    body_record,
    code_digest,
    prepare_folder,
    read_checked,
    shard_of,
    write_checked,
)
from sitegen.diagnostics import Diagnostic
from sitegen.model import Block, Briefing, Quote, Section
from sitegen.routes import Page


def full_entry() -> BriefingEntry:
    """An entry in which every field of every dataclass differs from its default, so that a
    field the records forget shows up as a difference after the round trip."""
    briefing = Briefing(
        path="content/briefings/2022-01-27-day.md",
        fingerprint="f" * 32,
        title="Jan. 27: What you need to know",
        date=dt.date(2022, 1, 27),
        slug="day",
        summary="A summary.",
        url="2022/01/27/",
        credits=["Jane Doe contributed reporting."],
        source="raw/2022-01-27.txt",
        draft=True,
        review=True,
        blocks=[Block("item", 1, "item-1", "[[NATO]] met.", 12, 0, ("nato",))],
        sections=[Section("What you need to know", "what-you-need-to-know", 10)],
        quotes=[Quote("We are ready.", "nato", 1)],
        actors=("nato", "russia"),
        references='[doc]: https://example.org "Doc"',
        appearances={"nato": ((0,), (0,), ()), "russia": ((), (), ())},
    )
    for instance in (briefing, *briefing.blocks, *briefing.sections, *briefing.quotes):
        for field in dataclasses.fields(instance):
            if field.default is not dataclasses.MISSING:
                assert getattr(instance, field.name) != field.default, field.name
            if field.default_factory is not dataclasses.MISSING:
                assert getattr(instance, field.name) != field.default_factory(), field.name
    diagnostic = Diagnostic("content/briefings/2022-01-27-day.md", 12, "unknown actor", "warning")
    return BriefingEntry(
        "a" * 32, "context", {"nato": "nato", "x": None}, briefing, ["<p>one</p>"], [diagnostic]
    )


def round_trip(entry: BriefingEntry) -> BriefingEntry:
    meta, body = marshal.loads(marshal.dumps((entry.meta_record(), body_record(entry))))
    return BriefingEntry.from_records(meta, body)


def test_an_entry_survives_its_records() -> None:
    entry = full_entry()
    again = round_trip(entry)
    assert again == entry
    assert again.key == entry.key
    assert again.briefing == entry.briefing
    assert isinstance(again.briefing.blocks[0].actors, tuple)  # type: ignore[union-attr]


def test_an_entry_without_briefing() -> None:
    entry = BriefingEntry("", "context", {}, None, [], [Diagnostic("p", 1, "broken")])
    assert round_trip(entry) == entry


def test_a_stored_briefing_reads_its_body_only_when_a_page_asks(tmp_path: Path) -> None:
    store = BodyStore(tmp_path, tmp_path)
    entry = full_entry()
    store.write(entry.key, body_record(entry))
    stored = BriefingEntry.from_records(entry.meta_record(), None, store)
    assert isinstance(stored.briefing, StoredBriefing)
    assert stored.briefing.title == entry.briefing.title  # type: ignore[union-attr]
    assert stored.briefing.appearances == {"nato": ((0,), (0,), ()), "russia": ((), (), ())}
    store.close()
    for path in (tmp_path / BODIES).iterdir():  # nothing has read the body yet: now it cannot
        path.unlink()
    store.remove(entry.key)
    with pytest.raises(RuntimeError, match="is lost"):
        _ = stored.html
    store.write(entry.key, body_record(entry))
    assert stored.briefing.blocks == entry.briefing.blocks  # type: ignore[union-attr]
    assert stored.html == ["<p>one</p>"]
    assert stored == entry


def test_a_damaged_body_is_made_again_with_a_warning(tmp_path: Path) -> None:
    store = BodyStore(tmp_path, tmp_path)
    entry = full_entry()
    store.write(entry.key, body_record(entry))
    store.close()
    [path] = (tmp_path / BODIES).glob("*.pack")
    data = bytearray(path.read_bytes())
    data[-3] ^= 1  # one flipped bit of the cached HTML
    path.write_bytes(bytes(data))
    store = BodyStore(tmp_path, tmp_path)  # the next build's
    repaired: list[str] = []
    store.repair = lambda e: (repaired.append(e.key), e.replace_with(full_entry()))  # type: ignore[func-returns-value]
    stored = BriefingEntry.from_records(entry.meta_record(), None, store)
    assert stored.html == ["<p>one</p>"]  # made again, not read from the damaged file
    assert repaired == [entry.key]
    shown = path.relative_to(tmp_path)
    assert [d.format() for d in store.problems] == [
        f"{shown}: warning: damaged cache file (checksum mismatch); made again"
    ]


def _packs(folder: Path) -> set[str]:
    return {p.name for p in (folder / BODIES).glob("*.pack")}


def _age(folder: Path) -> None:
    """Date the packs back, as if written by an earlier build."""
    for path in (folder / BODIES).iterdir():
        os.utime(path, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))


def _body(n: int) -> tuple:
    return ((), (), (), f"body {n}", [])


KEYS = [f"{n:032x}" for n in range(1, 6)]


def test_bodies_are_found_by_another_process_even_after_a_killed_writer(tmp_path: Path) -> None:
    writer = BodyStore(tmp_path, tmp_path)
    for n, key in enumerate(KEYS[:2]):
        writer.write(key, _body(n))
    writer.close()
    [index] = (tmp_path / BODIES).glob("*.idx")
    with open(index, "ab") as handle:
        handle.write(b"\x01" * 20)  # a record torn by a kill
    reader = BodyStore(tmp_path, tmp_path)
    assert [reader.read(key) for key in KEYS[:3]] == [_body(0), _body(1), None]
    assert reader.problems == []  # missing is not damaged: made again without a word


def test_a_body_of_the_wrong_shape_or_unreadable_is_damaged(tmp_path: Path) -> None:
    store = BodyStore(tmp_path, tmp_path)
    store.write(KEYS[0], ("not", "a", "body"))
    store.write_marshalled(KEYS[1], b"\xff not marshal")
    store.close()
    reader = BodyStore(tmp_path, tmp_path)
    assert reader.read(KEYS[0]) is None and reader.read(KEYS[1]) is None
    [pack] = (tmp_path / BODIES).glob("*.pack")
    shown = pack.relative_to(tmp_path)
    assert [d.format() for d in reader.problems] == [
        f"{shown}: warning: damaged cache file ({why}); made again"
        for why in ("unexpected contents", "unreadable contents")
    ]


def test_tidy_deletes_unused_packs_and_merges_mostly_dead_ones(tmp_path: Path) -> None:
    first = BodyStore(tmp_path, tmp_path)
    for n, key in enumerate(KEYS[:4]):
        first.write(key, _body(n))
    first.close()
    (tmp_path / BODIES / "ab").mkdir()  # an older cache's folder of loose bodies
    _age(tmp_path)
    [old] = _packs(tmp_path)
    second = BodyStore(tmp_path, tmp_path)
    second.write(KEYS[4], _body(4))
    second.tidy([KEYS[0], KEYS[4]])  # the first pack: 1 of 4 bodies live
    assert old not in _packs(tmp_path) and len(_packs(tmp_path)) == 2
    assert not (tmp_path / BODIES / "ab").exists()
    reader = BodyStore(tmp_path, tmp_path)
    assert [reader.read(key) for key in KEYS] == [_body(0), None, None, None, _body(4)]
    _age(tmp_path)
    third = BodyStore(tmp_path, tmp_path)
    third.tidy([KEYS[4]])
    assert len(_packs(tmp_path)) == 1
    assert BodyStore(tmp_path, tmp_path).read(KEYS[4]) == _body(4)


def test_tidy_keeps_a_pack_written_during_the_build_on_a_coarse_file_system(
    tmp_path: Path,
) -> None:
    # file systems stamp mtimes with a coarse clock (a tick; FAT and network file systems, a
    # second or two): a pack another build wrote while this one ran could be dated before
    # this build's time.time_ns() start, and tidy deleted it as an old unused pack
    building = BodyStore(tmp_path, tmp_path)
    other = BodyStore(tmp_path, tmp_path)
    other.write(KEYS[1], _body(1))
    other.close()
    [pack] = _packs(tmp_path)
    for path in (tmp_path / BODIES).iterdir():  # as a file system with 1-second stamps has it
        written = path.stat().st_mtime_ns
        os.utime(path, ns=(written // 10**9 * 10**9, written // 10**9 * 10**9))
    building.write(KEYS[0], _body(0))
    building.tidy([KEYS[0]])
    assert pack in _packs(tmp_path)
    assert BodyStore(tmp_path, tmp_path).read(KEYS[1]) == _body(1)
    # once it is older than any file system's resolution, it goes
    _age(tmp_path)
    BodyStore(tmp_path, tmp_path).tidy([KEYS[0]])
    assert pack not in _packs(tmp_path)


def test_many_small_packs_are_merged_into_one(tmp_path: Path) -> None:
    for n in range(10):  # ten one-edit builds
        store = BodyStore(tmp_path, tmp_path)
        store.write(f"{n + 1:032x}", _body(n))
        store.close()
    _age(tmp_path)
    live = [f"{n + 1:032x}" for n in range(10)]
    BodyStore(tmp_path, tmp_path).tidy(live)
    assert len(_packs(tmp_path)) == 1
    reader = BodyStore(tmp_path, tmp_path)
    assert [reader.read(key) for key in live] == [_body(n) for n in range(10)]


def test_checksummed_files(tmp_path: Path) -> None:
    path = tmp_path / "value.marshal"
    write_checked(path, {"a": (1, 2)})
    assert read_checked(path) == {"a": (1, 2)}
    assert path.read_bytes().startswith(FORMAT.encode() + b"\n")
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x40
    path.write_bytes(bytes(data))
    with pytest.raises(Damaged, match="checksum mismatch"):
        read_checked(path)
    path.write_bytes(b"sitegen-cache-1 0.0.1 py3.9\nxyz\npayload")  # another version's
    assert read_checked(path) is None
    assert read_checked(tmp_path / "missing") is None
    path.write_bytes(b"garbage without a header")
    with pytest.raises(Damaged, match="no header"):
        read_checked(path)
    path.write_bytes(b"\x8f\x02garbage\nwith lines\nthat look like a header")
    with pytest.raises(Damaged, match="not a sitegen cache file"):
        read_checked(path)


def test_a_cache_made_by_other_code_is_another_format(tmp_path: Path) -> None:
    # the version number alone stayed 0.1.0 from commit to commit: a user who installed a
    # newer sitegen from git kept the HTML the older one had cached (a footnote fix unseen)
    package = tmp_path / "sitegen"
    (package / "ingest").mkdir(parents=True)
    (package / "render.py").write_text("A = 1\n")
    (package / "ingest" / "x.py").write_text("B = 2\n")
    before = code_digest(package)
    assert code_digest(package) == before  # the same code, the same cache
    (package / "render.py").write_text("A = 2\n")
    assert code_digest(package) != before
    assert code_digest() in FORMAT  # the installed code's is in every cache file's header
    (package / "render.py").write_text("A = 1\n")
    (package / "notes.txt").write_text("not code\n")
    assert code_digest(package) == before


def test_a_cache_made_with_other_markdown_or_nh3_is_another_format() -> None:
    # the blocks' HTML is kept: an upgraded Python-Markdown or nh3 (pip install -U) kept
    # the HTML the older one made until --no-cache
    import markdown
    import nh3

    assert f"markdown{markdown.__version__} " in FORMAT and f"nh3{nh3.__version__} " in FORMAT


WARNED = Diagnostic("b.md", 9, "[[Nobody]] is not in the actor registry", "warning")


def state_round_trip(tmp_path: Path) -> BuildCache:
    folder = tmp_path / "cache"
    prepare_folder(folder)
    cache = BuildCache(folder, tmp_path)
    stat = (1, 2, 3, 4)
    cache.save_sources(SourceState(5, {"site.toml": (stat, "h")}, {"t": ["base.html"]}))
    cache.save_briefings({"b.md": full_entry()}, "lookup", ["b.md"])
    files, stats = {"index.html": ("h", "k")}, {"index.html": (10, 11, 12)}
    cache.save_output(tmp_path / "out", OutputRecord("g", "i", files, {}, stats, [WARNED]))
    return cache


def test_the_state_and_output_records_round_trip(tmp_path: Path) -> None:
    state_round_trip(tmp_path)
    cache = BuildCache(tmp_path / "cache", tmp_path)
    assert cache.load_sources() == SourceState(5, {"site.toml": ((1, 2, 3, 4), "h")},
                                               {"t": ["base.html"]})  # fmt: skip
    loaded = cache.load_briefings()
    assert loaded.entries["b.md"].key == full_entry().key
    assert loaded.lookups == {"b.md": "lookup"}
    record = cache.load_output(tmp_path / "out")
    assert record == OutputRecord(
        "g", "i", {"index.html": ("h", "k")}, {}, {"index.html": (10, 11, 12)}, [WARNED]
    )
    assert cache.load_output(tmp_path / "elsewhere") is None
    assert cache.problems == []
    assert (tmp_path / "cache/.gitignore").read_text() == "*\n"


def test_a_plan_is_read_back_for_its_own_output_and_generation_only(tmp_path: Path) -> None:
    pages = [
        Page("", "index.html", "index.html", "home", (), (), ("actors", "briefing\x00b.md")),
        Page("a/", "a/index.html", "actor.html", "actor", ("a", 1, 1), ("actors/a.md",), ()),
    ]
    plan = PlanRecord("g", "d", pages, {"actors": 2**127 + 5}, {"index.html": "c"})
    cache = BuildCache(tmp_path / "cache", tmp_path)
    cache.save_plan(tmp_path / "out", plan, with_pages=True)
    assert cache.load_plan(tmp_path / "out", "g") == plan
    assert cache.load_plan(tmp_path / "out", "another generation") is None
    assert cache.load_plan(tmp_path / "elsewhere", "g") is None
    newer = PlanRecord("h", "e", pages, {}, {})
    cache.save_plan(tmp_path / "out", newer, with_pages=False)  # its pages: another plan's
    assert cache.load_plan(tmp_path / "out", "h") is None
    assert cache.problems == []


@pytest.mark.parametrize("name", ["sources.marshal", f"briefings/{shard_of('b.md'):02d}.marshal"])
def test_a_readable_cache_file_of_the_wrong_shape_is_a_warning(tmp_path: Path, name: str) -> None:
    state_round_trip(tmp_path)
    write_checked(tmp_path / "cache" / name, {"not": "the shape"})  # valid, checksum right
    cache = BuildCache(tmp_path / "cache", tmp_path)
    sources, briefings = cache.load_sources(), cache.load_briefings().entries
    assert (sources == SourceState()) is (name == "sources.marshal")
    assert (briefings == {}) is name.startswith("briefings/")
    assert [d.format() for d in cache.problems] == [
        f"cache/{name}: warning: damaged cache file (unexpected contents); made again"
    ]


def test_a_damaged_output_record_is_a_warning(tmp_path: Path) -> None:
    state_round_trip(tmp_path)
    [path] = (tmp_path / "cache/outputs").iterdir()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))  # (its last byte, flipped)
    cache = BuildCache(tmp_path / "cache", tmp_path)
    assert cache.load_output(tmp_path / "out") is None
    assert [d.format() for d in cache.problems] == [
        f"cache/outputs/{path.name}: warning: damaged cache file (checksum mismatch); made again"
    ]


def test_packed_html_reads_as_the_list_of_strings_it_was_made_from() -> None:
    arena = bytearray()
    first = PackedHtml.of(["<p>one</p>" * 10_000], arena)
    pieces = ["<p>“Dağdelen”</p>", "", "<p>ŁĄ 😀</p>"]
    packed = PackedHtml.of(pieces, arena)  # after another briefing's, in the same arena
    assert list(packed) == pieces and list(first) == ["<p>one</p>" * 10_000]
    assert len(packed) == 3 and packed[-1] == pieces[-1] and packed[1:] == pieces[1:]
    assert packed == pieces and packed != pieces[:2]
    with pytest.raises(IndexError):
        packed[3]
    assert pickle.loads(pickle.dumps(packed)) == pieces  # alone, not with the arena
    assert len(pickle.dumps(packed)) < 200
    entry = round_trip(full_entry())
    meta, body = entry.meta_record(), body_record(entry)
    packed_entry = BriefingEntry.from_records(meta, body, None, bytearray())
    assert isinstance(packed_entry.html, PackedHtml)
    assert packed_entry == entry and body_record(packed_entry) == body


@pytest.mark.parametrize("linked", [".sitegen-cache", ".sitegen-cache/briefings"])
def test_a_cache_folder_that_is_a_link_is_not_written_through(
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: str
) -> None:
    """The cache would be written wherever the link leads (/etc, a colleague's folder): the
    build goes on without it, with a warning."""
    from conftest import run_build

    site = make_site()
    monkeypatch.chdir(site)
    assert run_build(site)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = site / linked
    if link.exists():
        link.rename(elsewhere / "moved")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere)
    before = sorted(p.name for p in elsewhere.iterdir())
    code, _, stderr = run_build(site)
    assert code == 0
    assert f"cannot write the build cache ({linked} is a link); building without it" in stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == before


def test_a_damaged_shard_that_no_briefing_uses_is_written_again(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A moved site leaves shards of its old paths; damaged, one warned in every build and
    was never made again (no briefing of the site falls in it)."""
    from conftest import run_build

    from sitegen.cache import BRIEFING_SHARDS, shard_of

    site = make_site()
    monkeypatch.chdir(site)
    assert run_build(site)[0] == 0
    used = {shard_of(str(p.resolve())) for p in (site / "content").rglob("*.md")}
    orphan = next(n for n in range(BRIEFING_SHARDS) if n not in used)
    shard = site / f".sitegen-cache/briefings/{orphan:02d}.marshal"
    shard.write_bytes(os.urandom(50))
    briefing = site / "content/briefings/2022-01-27-brief.md"
    briefing.write_text(briefing.read_text() + "\nOne more line.\n")
    code, _, stderr = run_build(site)
    assert code == 0 and f"{orphan:02d}.marshal: warning: damaged cache file" in stderr
    briefing.write_text(briefing.read_text() + "\nAnd another.\n")
    code, _, stderr = run_build(site)
    assert code == 0 and "damaged" not in stderr
