"""cache.py: briefing entries as records, and a cache that is unreadable counts as empty."""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
from pathlib import Path

from sitegen.cache import (
    BriefingEntry,
    BuildCache,
    CacheData,
    load_entries,
    prepare_folder,
    records_of,
    shard_of,
    write_shard,
)
from sitegen.diagnostics import Diagnostic
from sitegen.model import Block, Briefing, Quote, Section


def full_entry() -> BriefingEntry:
    """An entry in which every field of every dataclass differs from its default, so that a
    field the records forget shows up as a difference after the round trip."""
    briefing = Briefing(
        path=Path("content/briefings/2022-01-27-day.md"),
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
    )
    for instance in (briefing, *briefing.blocks, *briefing.sections, *briefing.quotes):
        for field in dataclasses.fields(instance):
            if field.default is not dataclasses.MISSING:
                assert getattr(instance, field.name) != field.default, field.name
            if field.default_factory is not dataclasses.MISSING:
                assert getattr(instance, field.name) != field.default_factory(), field.name
    diagnostic = Diagnostic("content/briefings/2022-01-27-day.md", 12, "unknown actor", "warning")
    return BriefingEntry(
        (1_700_000_000_000_000_000, 3456), "a" * 32, "context", {"nato": "nato", "x": None},
        briefing, ["<p>one</p>"], [diagnostic],
    )  # fmt: skip


def test_an_entry_survives_its_record() -> None:
    entry = full_entry()
    again = load_entries(marshal.dumps(records_of({"p": entry})))["p"]
    assert again == entry
    assert again.key == entry.key
    assert isinstance(again.briefing.blocks[0].actors, tuple)  # type: ignore[union-attr]


def test_an_entry_without_briefing() -> None:
    entry = dataclasses.replace(full_entry(), briefing=None, html=[])
    assert load_entries(marshal.dumps(records_of({"p": entry})))["p"] == entry


def test_shards_and_page_keys_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    prepare_folder(folder)
    entries = {f"content/briefings/{n}.md": full_entry() for n in range(20)}
    by_shard: dict[int, dict] = {}
    for path, entry in entries.items():
        by_shard.setdefault(shard_of(path), {})[path] = entry.record()
    for shard, records in by_shard.items():
        write_shard(folder, shard, records)
    BuildCache(folder).save(CacheData({}, str(tmp_path / "out"), {"index.html": "key"}))
    loaded = BuildCache(folder).data
    assert loaded == CacheData(entries, str(tmp_path / "out"), {"index.html": "key"})
    assert (folder / ".gitignore").read_text() == "*\n"
    assert len(list((folder / "briefings").glob("*.marshal"))) == len(by_shard) > 1


def test_an_emptied_shard_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    prepare_folder(folder)
    write_shard(folder, 3, {"p": full_entry().record()})
    write_shard(folder, 3, {})
    assert list((folder / "briefings").iterdir()) == []


def test_a_damaged_or_foreign_cache_is_empty(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    prepare_folder(folder)
    write_shard(folder, 1, {"p": full_entry().record()})
    (folder / "briefings" / "01.marshal").write_bytes(b"\x00garbage")
    (folder / "pages.marshal").write_bytes(marshal.dumps(("another-format", ("out", {}))))
    assert BuildCache(folder).data == CacheData()


def test_records_of_another_shape_are_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    prepare_folder(folder)
    write_shard(folder, 1, {"p": full_entry().record()})
    shard = folder / "briefings" / "01.marshal"
    stored_format, _ = marshal.loads(shard.read_bytes())
    shard.write_bytes(marshal.dumps((stored_format, {"p": (1, 2)})))
    assert BuildCache(folder).data.briefings == {}
