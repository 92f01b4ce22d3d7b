"""Bad input: a clear `path: message` per file, nothing written for it, the others still done."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from sitegen.ingest.rawparse import MAX_BYTES

GOOD = "date 2022-01-27 Lead.\n\nJan. 27: What you need to know today\n\nAn item.\n"
NO_DATE_MESSAGE = (
    "no date found: put 'date YYYY-MM-DD' on the first line, a 'Date:' header, "
    "a dateline such as 'Jan. 27, 2022', or YYYY-MM-DD in the file name"
)

CASES = [
    ("empty", "2022-01-01.txt", "", "{p}: empty file"),
    ("blank", "2022-01-01.txt", " \n\n\t\n", "{p}: empty file"),
    (
        "binary",
        "2022-01-01.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "{p}: binary file (contains NUL bytes), not a text briefing",
    ),
    (
        "latin-1",
        "2022-01-01.txt",
        "date 2022-01-01 Caf\u00e9.\n".encode("latin-1"),
        "{p}:1: not valid UTF-8 (byte 0xe9, \u00e9 in Windows-1252); save the file as UTF-8",
    ),
    (
        "windows-1252 smart quotes",
        "2022-01-01.txt",
        "Lead.\n\nKEY POINTS\n\nLind said \u201cno\u201d.\n".encode("cp1252"),
        "{p}:5: not valid UTF-8 (byte 0x93, \u201c in Windows-1252); save the file as UTF-8",
    ),
    (
        "neither UTF-8 nor Windows-1252",
        "2022-01-01.txt",
        b"Lead.\n\xe9\x81\n",
        "{p}:2: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
    ),
    ("no date", "notes.txt", "Lead.\n\nWhat you need to know\n\nItem.", "{p}: " + NO_DATE_MESSAGE),
    (
        "dates disagree",
        "2022-01-28.txt",
        GOOD,
        "{p}:1: date 2022-01-27 in the text disagrees with 2022-01-28 in the file name",
    ),
    (
        "text dates disagree",
        "brief.txt",
        "Date: 2022-01-27\n\nLead.\n\nJan. 27, 2021: What you need to know\n\nItem.",
        "{p}:5: date Jan. 27, 2021 disagrees with 2022-01-27 earlier in the text",
    ),
    (
        "not a real day",
        "brief.txt",
        "date 2022-02-30 Lead.\n\nKEY POINTS\n\nItem.",
        "{p}:1: date 2022-02-30 is not a real day",
    ),
    (
        "not a real day in the name",
        "2022-02-30.txt",
        "Lead.\n\nKEY POINTS\n\nItem.",
        "{p}: date 2022-02-30 in the file name is not a real day",
    ),
    (
        "only a heading",
        "2022-01-27.txt",
        "Jan. 27: What you need to know today\n",
        "{p}: only a heading, no briefing text",
    ),
    ("only a date", "brief.txt", "date 2022-01-27\n", "{p}: no briefing text"),
]


@pytest.mark.parametrize(("case", "name", "content", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(
    ingest, raw: Callable, site: Path, case: str, name: str, content, message: str
) -> None:
    good = raw("2022-01-27-good.txt" if name == "2022-01-27.txt" else "2022-01-27.txt", GOOD)
    bad = raw(name, content)
    result = ingest(bad, good)
    assert result.code == 1
    assert message.format(p=bad) in result.err.splitlines()
    written = sorted(p.name for p in (site / "content" / "briefings").iterdir())
    assert written == ["2022-01-27-what-you-need-to-know-today.md"]  # only the good one


TOO_LARGE = "file too large (1.0 MiB; a raw briefing of 1 MiB or more is refused: one file per day)"


def test_a_mib_of_text_is_refused(ingest, raw: Callable, site: Path) -> None:
    line = "date 2022-01-27 " + "Moscow said talks would resume. " * 40 + "\n\n"
    big = raw("2022-01-27.txt", line * (MAX_BYTES // len(line) + 1))
    result = ingest(big)
    assert result.code == 1
    assert f"{big}: {TOO_LARGE}" in result.err
    assert not (site / "content").exists()


def test_a_mib_on_standard_input_is_refused(ingest, site: Path) -> None:
    result = ingest("-", stdin="x" * MAX_BYTES)
    assert result.code == 1
    assert f"-: {TOO_LARGE}" in result.err


def test_missing_path_and_empty_folder(ingest, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = ingest(tmp_path / "nope.txt", tmp_path / "empty")
    assert result.code == 1
    assert f"{tmp_path / 'nope.txt'}: no such file or folder" in result.err
    assert f"{tmp_path / 'empty'}: no .txt files in this folder or its sub-folders" in result.err


def test_two_inputs_for_one_output_file(ingest, raw: Callable) -> None:
    first, second = raw("2022-01-27.txt", GOOD), raw("2022-01-27-copy.txt", GOOD)
    result = ingest(first, second)
    assert result.code == 1
    assert f"{second}: writes the same file as {first}" in result.err


def test_failed_inputs_appear_in_json_with_their_error(ingest, raw: Callable) -> None:
    bad = raw("notes.txt", "Lead only.")
    [entry] = ingest(bad, dry_run=True, fmt="json").json()
    assert entry["source"] == str(bad)
    assert entry["date"] is None and entry["output"] is None and entry["actors"] == []
    assert entry["error"] == f"{bad}: {NO_DATE_MESSAGE}"


def special(folder: Path, name: str, kind: str) -> Path:
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(folder / "gone.txt")
    return path


SPECIAL = {
    "fifo": "a named pipe (FIFO), not a regular file: skipped",
    "device": "a character device, not a regular file: skipped",
    "dangling": "broken symbolic link (to {folder}/gone.txt): skipped",  # where it points
}


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("given", ["folder", "file"])
def test_what_is_not_a_regular_file_is_named_and_skipped(
    ingest, raw: Callable, site: Path, kind: str, given: str
) -> None:
    """In a folder or named alone, a FIFO is not waited on and a device is not read without
    end; each is named with what it is, and the good input beside it is ingested."""
    good = raw("2022-01-27.txt", GOOD)
    bad = special(good.parent, "2022-01-28.txt", kind)
    result = ingest(good.parent) if given == "folder" else ingest(bad, good)
    assert result.code == 1
    message = SPECIAL[kind].format(folder=good.parent)
    assert f"{bad}: {message}" in result.err.splitlines()
    written = sorted(p.name for p in (site / "content" / "briefings").iterdir())
    assert written == ["2022-01-27-what-you-need-to-know-today.md"]


def test_a_bad_file_named_alone_and_in_its_folder_is_reported_once(ingest, raw: Callable) -> None:
    good = raw("2022-01-27.txt", GOOD)
    bad = special(good.parent, "2022-01-28.txt", "dangling")
    result = ingest(bad, good.parent)
    assert result.code == 1
    assert [line for line in result.err.splitlines() if line.startswith(str(bad))] == [
        f"{bad}: broken symbolic link (to {good.parent}/gone.txt): skipped"
    ]


def test_a_folder_is_read_with_its_sub_folders_and_without_hidden_files(
    ingest, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    for name in ["A.TXT", "2019/05/b.txt", ".draft.txt", "._c.txt", ".git/d.txt", "e.md"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("No date in this one.\n", encoding="utf-8")
    entries = ingest(folder, dry_run=True, fmt="json").json()
    assert [e["source"] for e in entries] == [str(folder / "2019/05/b.txt"), str(folder / "A.TXT")]
    assert all(e["error"].endswith(NO_DATE_MESSAGE) for e in entries)


def test_a_link_out_of_a_folder_given_to_ingest_is_not_read(
    ingest, raw: Callable, site: Path, tmp_path: Path
) -> None:
    # raw/2022-02-01.txt -> /elsewhere/secret.txt (a raw folder unpacked from an archive):
    # the secret was written into content/briefings, and published by the next build
    good = raw("2022-01-27.txt", GOOD)
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("date 2022-02-01 password=hunter2\n\n- An item.\n")
    (good.parent / "2022-02-01.txt").symlink_to(secret)
    (good.parent / "same.txt").symlink_to("2022-01-27.txt")  # inside: the same file, once
    result = ingest(good.parent)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{good.parent}/2022-02-01.txt: symbolic link to {secret}, outside the folder given "
        "(copy the file in to ingest it): skipped"
    ]
    written = sorted(p.name for p in (site / "content" / "briefings").iterdir())
    assert written == [OUTPUT]
    assert ingest(good.parent / "2022-02-01.txt").code == 0  # named alone: read


OUTPUT = "2022-01-27-what-you-need-to-know-today.md"
IN_THE_WAY = {
    "fifo": "is a named pipe (FIFO), not a regular file",
    "folder": "is a folder, not a regular file",
    "link out": "is a symbolic link (ingest writes a file of its own there)",
    "dangling link": "is a symbolic link (ingest writes a file of its own there)",
}


@pytest.mark.parametrize("kind", IN_THE_WAY)
@pytest.mark.parametrize("force", [False, True])
def test_what_sits_where_a_briefing_goes_is_never_replaced_or_followed(
    ingest, raw: Callable, site: Path, kind: str, force: bool
) -> None:
    """Only a regular file is an earlier briefing: a link is not followed (to back up or
    compare /etc/passwd), a folder is not a traceback, a FIFO is not waited on; even with
    --force each stays as it was, with one line."""
    target = site / "content" / "briefings" / OUTPUT
    target.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to("/etc/passwd" if kind == "link out" else site / "gone.md")
    before = os.lstat(target)
    good = raw("2022-01-27.txt", GOOD)
    result = ingest(good, force=force)
    assert result.code == 1 and "Traceback" not in result.err
    message = (
        f"{good}: content/briefings/{OUTPUT} {IN_THE_WAY[kind]}: not overwritten; "
        "remove it and run ingest again"
    )
    assert message in result.err.splitlines()
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not (site / ".sitegen-backups").exists()


def test_a_named_pipe_among_the_days_briefings_is_not_waited_on(
    ingest, raw: Callable, site: Path
) -> None:
    # ingest reads the day's other files for their `source:` (an earlier title's output)
    (site / "content" / "briefings").mkdir(parents=True)
    os.mkfifo(site / "content" / "briefings" / "2022-01-27-other.md")
    result = ingest(raw("2022-01-27.txt", GOOD))  # (hung before, reading the pipe)
    assert (site / "content" / "briefings" / OUTPUT).is_file(), result.err


def test_written_files_get_the_mode_a_new_file_gets_not_a_private_one(
    ingest, raw: Callable, site: Path
) -> None:
    old = os.umask(0o022)
    try:
        assert ingest(raw("2022-01-27.txt", GOOD)).code == 0
    finally:
        os.umask(old)
    for path in (site / "content").rglob("*.md"):
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_force_backs_up_inside_the_site_when_content_is_a_link_to_elsewhere(
    ingest, raw: Callable, site: Path, tmp_path: Path
) -> None:
    # `content/` may be a link (README); the backup's path was worked out from the resolved
    # file, outside the site: a ValueError traceback
    (tmp_path / "elsewhere" / "content").mkdir(parents=True)
    (site / "content").symlink_to(tmp_path / "elsewhere" / "content")
    good = raw("2022-01-27.txt", GOOD)
    assert ingest(good).code == 0
    written = site / "content" / "briefings" / OUTPUT
    written.write_text(written.read_text() + "\nAn editor's line.\n")
    result = ingest(good, force=True)
    assert result.code == 0, result.err
    [kept] = (site / ".sitegen-backups" / "content" / "briefings").iterdir()
    assert kept.read_text().endswith("An editor's line.\n")


def test_an_earlier_briefing_that_cannot_be_read_is_one_line_not_a_traceback(
    ingest, raw: Callable, site: Path, monkeypatch
) -> None:
    from sitegen.ingest import pipeline

    good = raw("2022-01-27.txt", GOOD)
    assert ingest(good).code == 0

    def unreadable(path: Path) -> str:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pipeline, "_existing_text", unreadable)  # (root reads mode 000 files)
    result = ingest(good, force=True)
    assert result.code == 1
    line = result.err.splitlines()[-1]
    assert line.startswith(f"{good}: content/briefings/{OUTPUT}: cannot read it (")
    assert "Permission denied" in line


def test_a_folder_without_site_toml_is_refused_before_anything_is_written(
    ingest, raw: Callable, site: Path
) -> None:
    """As `sitegen build` does: run in the wrong folder (or with a typo in --site), ingest
    would scatter content/ and a cache there."""
    (site / "site.toml").unlink()
    good = raw("2022-01-27.txt", GOOD)
    result = ingest(good)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{site}: no site.toml here: pass --site the folder where site.toml is "
        "('sitegen init DIR' makes a site)"
    ]
    assert sorted(p.name for p in site.iterdir()) == []
    assert ingest(good, dry_run=True, fmt="json").code == 0  # a dry run writes nothing


@pytest.mark.parametrize(
    ("make", "why"), [(Path.mkdir, "a folder"), (os.mkfifo, "a named pipe (FIFO)")]
)
def test_a_site_toml_that_is_not_a_file_is_named_as_such(
    ingest, raw: Callable, site: Path, make: Callable, why: str
) -> None:
    """It was 'no site.toml here', beside the site.toml the editor could see."""
    config = site / "site.toml"
    config.unlink()
    make(config)
    result = ingest(raw("2022-01-27.txt", GOOD))
    assert result.code == 1
    assert result.err == f"{config}: {why}, not a regular file: remove it\n"
    assert sorted(p.name for p in site.iterdir()) == ["site.toml"]


@pytest.mark.parametrize(
    ("blocker", "message"),
    [
        ("content/briefings", "is not a folder: move it away (ingest writes the briefings there)"),
        ("content", "is not a folder: move it away (ingest writes the briefings there)"),
        ("content/briefings@", "broken symbolic link (to nowhere): remove it"),
    ],
)
def test_a_briefings_folder_that_cannot_be_written_is_one_line(
    ingest, raw: Callable, site: Path, blocker: str, message: str
) -> None:
    """A line per input said the same thing, after each had been parsed."""
    path = site / blocker.rstrip("@")
    path.parent.mkdir(exist_ok=True)
    if blocker.endswith("@"):
        path.symlink_to("nowhere")
    else:
        path.write_text("a file where the folder goes")
    inputs = [raw(f"2022-01-2{day}.txt", GOOD.replace("27", f"2{day}")) for day in range(5)]
    result = ingest(*inputs)
    assert result.code == 1
    assert result.err.splitlines() == [f"{blocker.rstrip('@')}: {message}"]
    assert result.out == ""
    assert ingest(*inputs, dry_run=True).code == 0  # (a dry run writes nothing: no need)


def test_an_actors_folder_that_cannot_be_written_is_one_line(
    ingest, raw: Callable, site: Path
) -> None:
    (site / "content").mkdir()
    (site / "content" / "actors").write_text("a file where the folder goes")
    result = ingest(raw("2022-01-27.txt", "date 2022-01-27 Arvo Lind said no.\n"))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "content/actors/arvo-lind.md: cannot write it (" in result.err


def test_stubs_stopped_by_one_cause_are_one_line(ingest, raw: Callable, site: Path) -> None:
    """content/actors a file stopped every stub alike: a line each said it forty times."""
    (site / "content").mkdir()
    (site / "content" / "actors").write_text("a file where the folder goes")
    text = "date 2022-01-27 Arvo Lind, Bea Kross, Carl Tamm and Dana Voss met on Monday.\n"
    result = ingest(raw("2022-01-27.txt", text))
    assert result.code == 1
    [line] = [line for line in result.err.splitlines() if "stubs not written" in line]
    assert line == (
        "content/actors: is not a folder: 4 new actor stubs not written "
        "(arvo-lind.md, bea-kross.md, carl-tamm.md and 1 more)"
    )
    assert "cannot write it" not in result.err
    assert "note: content/actors: is not a folder (the registry's names are not matched)" in (
        result.err.splitlines()
    )


def test_stubs_that_could_not_be_written_are_written_by_the_next_run(
    ingest, raw: Callable, site: Path
) -> None:
    actors = site / "content" / "actors"
    actors.parent.mkdir()
    actors.write_text("a file where the folder goes")
    good = raw("2022-01-27.txt", "date 2022-01-27 Arvo Lind said no.\n")
    assert ingest(good).code == 1
    actors.unlink()
    actors.mkdir()
    result = ingest(good)  # the cache must not say the stub exists
    assert result.code == 0, result.err
    assert "created content/actors/arvo-lind.md (review: true)" in result.out
    assert (actors / "arvo-lind.md").is_file()


def _linked_outside(link: Path, tmp_path: Path) -> Path:
    """A folder outside the site, and `link` leading to it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    link.symlink_to(outside)
    return outside


def test_a_backups_folder_that_is_a_link_is_not_written_through(
    ingest, raw: Callable, site: Path, tmp_path: Path
) -> None:
    outside = _linked_outside(site / ".sitegen-backups", tmp_path)
    good = raw("2022-01-27.txt", GOOD)
    assert ingest(good).code == 0
    written = site / "content" / "briefings" / OUTPUT
    edited = written.read_text() + "\nAn editor's line.\n"
    written.write_text(edited)
    result = ingest(good, force=True)
    assert result.code == 1
    assert result.err == (
        f"{good}: content/briefings/{OUTPUT}: not replaced: its backup cannot be kept "
        "(.sitegen-backups is a link, where the backup would go)\n"
    )
    assert written.read_text() == edited and list(outside.iterdir()) == []


def test_a_backup_cut_short_by_a_full_disk_is_not_left_behind(
    ingest, raw: Callable, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = raw("2022-01-27.txt", GOOD)
    assert ingest(good).code == 0
    written = site / "content" / "briefings" / OUTPUT
    edited = written.read_text() + "\nAn editor's line.\n"
    written.write_text(edited)
    import sitegen.ingest.writer as writer

    class FullDisk:  # the backup's file is made, and nothing fits in it
        def __init__(self, stream: IO[bytes]) -> None:
            self.stream = stream

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def opened(file: Path | int, mode: str = "r", *args: Any) -> Any:
        stream = open(file, mode, *args)  # noqa: SIM115 - closed by FullDisk
        return FullDisk(stream) if isinstance(file, int) else stream  # the backup's temporary

    monkeypatch.setattr(writer, "open", opened, raising=False)
    result = ingest(good, force=True)
    assert result.code == 1
    assert result.err.endswith(
        f"{good}: content/briefings/{OUTPUT}: not replaced: its backup cannot be kept "
        "(No space left on device)\n"
    )
    assert written.read_text() == edited
    backups = site / ".sitegen-backups"
    assert [p for p in backups.rglob("*") if p.is_file()] == []  # no empty "backup"


def test_a_backup_is_never_written_through_a_link_standing_where_it_goes(tmp_path: Path) -> None:
    import datetime as dt

    from sitegen.ingest.writer import backup

    site = tmp_path / "site"
    briefing = site / "content" / "briefings" / OUTPUT
    briefing.parent.mkdir(parents=True)
    briefing.write_text("An editor's text.\n")
    folder = site / ".sitegen-backups" / "content" / "briefings"
    folder.mkdir(parents=True)
    now = dt.datetime.now()
    for second in range(5):  # a broken link on each name the next seconds' backups take
        stamp = (now + dt.timedelta(seconds=second)).strftime("%Y%m%d%H%M%S")
        (folder / f"{OUTPUT}.bak-{stamp}").symlink_to(tmp_path / f"outside-{second}")
    kept = backup(briefing, site)
    assert not kept.is_symlink() and kept.read_text() == "An editor's text.\n"
    assert not list(tmp_path.glob("outside-*"))


def test_a_cache_folder_that_is_a_link_is_not_used(
    ingest, raw: Callable, site: Path, tmp_path: Path
) -> None:
    outside = _linked_outside(site / ".sitegen-cache", tmp_path)
    result = ingest(raw("2022-01-27.txt", GOOD))
    assert result.code == 0
    assert ".sitegen-cache is a link: the cache is not used" in result.err
    assert list(outside.iterdir()) == []


def test_a_cache_folder_that_is_a_file_is_one_warning(ingest, raw: Callable, site: Path) -> None:
    """It was two: 'cannot read it ([Errno 20] Not a directory: ...)' and 'not written
    (File exists)'."""
    (site / ".sitegen-cache").write_text("an editor's file\n")
    result = ingest(raw("2022-01-27.txt", GOOD))
    assert result.code == 0
    cache_lines = [line for line in result.err.splitlines() if "ingest.marshal" in line]
    assert cache_lines == [
        ".sitegen-cache/ingest.marshal: warning: .sitegen-cache is not a folder: "
        "the cache is not used"
    ]
    assert (site / ".sitegen-cache").read_text() == "an editor's file\n"


def test_a_link_where_an_actor_file_goes_is_never_replaced(
    ingest, raw: Callable, site: Path, tmp_path: Path
) -> None:
    actors = site / "content" / "actors"
    actors.mkdir(parents=True)
    (actors / "arvo-lind.md").symlink_to(tmp_path / "gone.md")  # an editor's, broken
    result = ingest(raw("2022-01-27.txt", "date 2022-01-27 Arvo Lind said no.\n"))
    assert (actors / "arvo-lind.md").is_symlink()
    assert "content/actors/arvo-lind.md: is a link; no stub written for 'Arvo Lind'" in (result.err)


def test_the_same_input_named_another_way_changes_nothing(
    ingest, raw: Callable, site: Path, monkeypatch
) -> None:
    good = raw("2022-01-27.txt", GOOD)
    assert ingest(good).code == 0
    written = site / "content" / "briefings" / OUTPUT
    before = written.read_bytes()
    monkeypatch.chdir(good.parent)
    for spelled in ("2022-01-27.txt", "./2022-01-27.txt", f"{good.parent}//2022-01-27.txt"):
        result = ingest(spelled)
        assert result.code == 0, result.err
        assert "unchanged" in result.out
    assert written.read_bytes() == before


def test_a_briefing_the_build_would_refuse_is_not_written(
    ingest, raw: Callable, site: Path
) -> None:
    """Thousands of Markdown pieces in one paragraph: `sitegen build` refuses such a file
    (mdguard), and with it the whole site."""
    text = "date 2022-01-27 Arvo Lind spoke.\n\n" + " ".join(["a*b_c"] * 4000) + "\n"
    result = ingest(raw("2022-01-27.txt", text))
    assert result.code == 1
    assert "too costly to convert once written: this paragraph has" in result.err
    assert not (site / "content" / "briefings").exists()


def test_an_unreadable_folder_is_named_as_such(ingest, tmp_path: Path, monkeypatch) -> None:
    import sitegen.ingest.pipeline as pipeline

    folder = tmp_path / "locked"
    folder.mkdir()

    def refuse(top, onerror=None, **kwargs):  # (root lists mode 000 folders)
        onerror(PermissionError(13, "Permission denied", str(top)))
        return iter(())

    monkeypatch.setattr(pipeline.os, "walk", refuse)
    result = ingest(folder)
    assert result.code == 1
    assert result.err.splitlines()[-1] == f"{folder}: cannot read the folder (Permission denied)"


def test_an_unreadable_sub_folder_is_named_and_the_rest_is_read(
    ingest, raw: Callable, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One locked sub-folder failed the whole folder, named as the folder given, and its
    readable files were not ingested."""
    good = raw("2022-01-27.txt", GOOD)
    locked = good.parent / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> Any:  # (root lists mode 000 folders)
        if os.fspath(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = ingest(good.parent)
    assert result.code == 1
    assert result.err.splitlines()[-1] == f"{locked}: cannot read the folder (Permission denied)"
    assert (site / "content" / "briefings" / OUTPUT).is_file()


def test_a_linked_folder_inside_the_backups_is_not_written_through(
    ingest, raw: Callable, site: Path, tmp_path: Path
) -> None:
    (site / ".sitegen-backups").mkdir()
    outside = _linked_outside(site / ".sitegen-backups" / "content", tmp_path)
    good = raw("2022-01-27.txt", GOOD)
    assert ingest(good).code == 0
    written = site / "content" / "briefings" / OUTPUT
    written.write_text(written.read_text() + "\nAn editor's line.\n")
    result = ingest(good, force=True)
    assert result.code == 1
    assert ".sitegen-backups/content is a link" in result.err
    assert list(outside.iterdir()) == []


def test_control_characters_in_a_file_name_are_escaped_everywhere(
    ingest, raw: Callable, site: Path
) -> None:
    """A name with ESC or BEL in it is written escaped in the report, in the briefing's
    `source:` and in the stub it creates: the terminal shows it as it is, and the build
    accepts the files (it refuses control characters, which feeds cannot carry)."""
    from sitegen.build import BuildOptions, build

    text = GOOD.replace("An item.", "Prime Minister Mark Rutte said talks would resume.")
    named = raw("2022-01-27-\x1b[31mred\x07.txt", text)
    raw("\x1b[2Jno-date.txt", "Nothing to date this by.\n")
    result = ingest(named.parent)
    assert result.code == 1  # the undated one
    for line in (result.out + result.err).splitlines():
        assert line.isprintable(), line
    assert "\\x1b[31mred\\x07.txt" in result.out and "\\x1b[2Jno-date.txt" in result.err
    written = [*(site / "content").rglob("*.md")]
    assert any("actors" in p.parts for p in written)  # a stub names the input too
    for path in written:
        assert all(line.isprintable() for line in path.read_text().splitlines()), path
    assert build(BuildOptions(site)).pages > 0


KILLED_AT_THE_RENAME = """
import os, signal, sys
from sitegen.cli import main
real = os.replace
def replace(source, target):
    if str(target).endswith(".md"):  # the briefing's temporary is written, not yet renamed
        os.kill(os.getpid(), signal.SIGKILL)
    real(source, target)
os.replace = replace
main(sys.argv[1:])
"""


KILLED_AT_THE_BACKUP = """
import os, signal, sys
from sitegen.cli import main
def link(source, target):  # the backup's copy is written, not yet given its name
    os.kill(os.getpid(), signal.SIGKILL)
os.link = link
main(sys.argv[1:])
"""


def test_a_run_killed_while_keeping_a_backup_leaves_no_cut_short_backup(
    raw: Callable, site: Path
) -> None:
    """--force copies the editor's file before replacing it; a kill during the copy left a
    `.bak-` file that looked whole and was not. Now only a temporary is left, which the next
    run removes, and that run keeps a whole backup."""
    good = raw("2022-01-27.txt", GOOD)
    first = [sys.executable, "-m", "sitegen", "ingest", "--site", str(site), good]
    assert subprocess.run(first, capture_output=True, timeout=300).returncode == 0
    written = site / "content" / "briefings" / OUTPUT
    edited = written.read_text() + "\nAn editor's line.\n"
    written.write_text(edited)
    command = [sys.executable, "-c", KILLED_AT_THE_BACKUP, "ingest", "--site", str(site), "--force"]
    killed = subprocess.run([*command, good], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    backups = site / ".sitegen-backups" / "content" / "briefings"
    assert [p.name for p in backups.iterdir() if ".bak-" in p.name] == []
    [left] = backups.glob(f".{OUTPUT}.*.tmp")
    assert written.read_text() == edited  # not replaced
    again = subprocess.run([*first, "--force"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert not left.exists()
    [kept] = backups.iterdir()
    assert kept.name.startswith(f"{OUTPUT}.bak-") and kept.read_text() == edited


def test_a_killed_runs_temporaries_are_removed_by_the_next_run(raw: Callable, site: Path) -> None:
    """A run killed between writing a file and renaming it left `.NAME.md.XXXXXXXX.tmp`
    behind for good; the next run removes those, and never an editor's file of that look."""
    good = raw("2022-01-27.txt", GOOD)
    command = [sys.executable, "-c", KILLED_AT_THE_RENAME, "ingest", "--site", str(site), good]
    killed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    briefings = site / "content" / "briefings"
    [left] = briefings.glob(".*.tmp")
    editors = [".draft.md.tmp", "notes.tmp", ".x.md.ABCDEFGH.tmp", ".x.md.abcdefgh.tmp.md"]
    for name in editors:
        (briefings / name).write_text("an editor's\n", encoding="utf-8")
    (site / "content" / "actors").mkdir()
    (site / "content" / "actors" / ".a.md.abcdefgh.tmp").symlink_to(site / "site.toml")
    command = [sys.executable, "-m", "sitegen", "ingest", "--site", str(site), good]
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert not left.exists()
    assert sorted(p.name for p in briefings.iterdir()) == sorted([*editors, OUTPUT])
    assert (site / "content" / "actors" / ".a.md.abcdefgh.tmp").is_symlink()


def test_a_quote_mark_inside_a_word_of_mis_decoded_text_is_no_crash(
    ingest, raw: Callable, site: Path
) -> None:
    """'Â鶹´«Ã½' (a page's name decoded twice) holds a guillemet that opens no word: the
    quote finder found a quotation with no token inside, and the speaker step raised
    IndexError (a traceback) when it was a paragraph of its own."""
    garbled = "\u00c2\u9dba\u00b9\u00b4\u00ab\u00c3\u00bd"
    text = (
        f"Morning Notes\nMarch 3, 2026\n\n{garbled}\nArvo Lind spoke.\n\n- Mira Hale spoke.\n- X.\n"
    )
    result = ingest(raw("2026-03-03.txt", text))
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert (site / "content" / "briefings" / "2026-03-03-morning-notes.md").exists()


def test_a_briefing_decoded_twice_is_no_crash(ingest, raw: Callable, site: Path) -> None:
    """A UTF-8 page read as Latin-1 and saved again ('â€¢ Selm' for '• Selm'): a name the
    model found in marks alone was trimmed to nothing, and the next step indexed past the
    paragraph's end (IndexError)."""
    page = Path(__file__).parent.parent / "ingest_corpus/frozen2/semafor/2023-01-09-semafor.txt"
    garbled = page.read_text(encoding="utf-8").encode("utf-8").decode("latin-1")
    result = ingest(raw("2023-01-09.txt", garbled), dry_run=True)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
