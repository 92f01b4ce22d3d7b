"""Faults around the build engine: each is one line `path[:line]: what is wrong`, exit 1 (or a
warning where the build can go on), no traceback, and the previous output untouched.

Rows of issue 11 this file covers: 1 (a dangling link among the sources), 6 (an unreadable
template), 10 (a cache that reads but is of the wrong shape, or fails its checksum), 11 (a
full disk, a read-only folder), 13 (what killed builds leave). Permission cases run as an
unprivileged user (`setpriv --reuid=65534`), so that they also mean something where the
tests run as root; mounts (a full disk, an output that is a mount point) need root and skip
without it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import briefing_text, run_build, snapshot, write_files

from sitegen import build as build_module
from sitegen import load
from sitegen.cache import CACHE_DIR, BuildCache, read_checked, shard_of, write_checked
from sitegen.output import MARKER, STAGING

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_SITE = ROOT / "tests" / "golden" / "site"
NOBODY = 65534
BRIEF = "content/briefings/2022-01-31-what-you-need-to-know.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def sitegen(
    *args: str, cwd: Path | None = None, nobody: bool = False
) -> subprocess.CompletedProcess:
    """`python -m sitegen ARGS` in a real process; as the unprivileged user `nobody` when
    asked and this process is root (otherwise as this user, unprivileged already)."""
    command = [sys.executable, "-m", "sitegen", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if nobody and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv is missing: cannot drop root for a permission test")
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                   "--", *command]  # fmt: skip
        env["HOME"] = str(cwd or "/tmp")
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder every user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-faults-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:  # undo the chmods of the tests
            with contextlib.suppress(OSError):
                if not path.is_symlink():
                    path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder, ignore_errors=True)


def give_to_nobody(folder: Path) -> None:
    if os.geteuid() == 0:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)


def assert_one_line(done: subprocess.CompletedProcess, line: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines() == [line]


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    with (site / "site.toml").open("a") as handle:
        handle.write("\n[search]\nenabled = false\n")
    return site


# --------------------------------------------------------------------------- row 1


def test_a_dangling_link_among_the_briefings_is_one_line(make_site) -> None:
    site = make_site()
    assert run_build(site)[0] == 0
    before = snapshot(site / "build")
    (site / "content/briefings/2022-02-10-x.md").symlink_to("/nonexistent")
    code, out, err = run_build(site)
    assert code == 1, out
    assert "Traceback" not in out + err
    assert err.splitlines() == [
        "content/briefings/2022-02-10-x.md: broken symbolic link (to /nonexistent): remove it"
    ]
    assert snapshot(site / "build") == before


def test_a_file_that_vanishes_after_the_listing_is_reported_at_its_path(tmp_path: Path) -> None:
    from sitegen.changes import Scan

    there, gone = tmp_path / "a.md", tmp_path / "b.md"
    there.write_text("x")
    scan = Scan.of([there, gone])
    assert list(scan.stats) == [str(there)]
    assert scan.problems == {str(gone): "cannot read file: No such file or directory"}


# --------------------------------------------------------------------------- row 6


@pytest.mark.parametrize("unreadable", ["templates/footer.html", "site.toml"])
def test_an_unreadable_template_or_site_toml_is_one_line(shared_tmp: Path, unreadable: str) -> None:
    site = shared_tmp / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    give_to_nobody(site)
    assert sitegen("build", "--site", str(site), cwd=site, nobody=True).returncode == 0
    before = tree(site / "build")
    (site / unreadable).chmod(0o000)
    done = sitegen("build", "--site", str(site), cwd=site, nobody=True)
    assert_one_line(done, f"{unreadable}: cannot read file: Permission denied")
    assert tree(site / "build") == before


# --------------------------------------------------------------------------- row 10


def built_shard(golden: Path) -> Path:
    """The cache shard that holds the golden site's first briefing, after a first build."""
    code, _, err = run_build(golden)
    assert code == 0, err
    return golden / CACHE_DIR / "briefings" / f"{shard_of(str(golden / BRIEF)):02d}.marshal"


def assert_made_again(golden: Path, shard: Path) -> None:
    """A build that re-renders every page warns once that the shard is damaged, and its
    output is a clean build's."""
    write_files(golden, {"templates/footer.html": "<footer>Changed</footer>"})  # all pages
    code, out, err = run_build(golden)
    assert code == 0, err
    assert "Traceback" not in out + err
    assert err.splitlines() == [
        f"{shard.relative_to(golden)}: warning: damaged cache file (unexpected contents); "
        "made again"
    ]
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


def test_a_cache_file_of_the_wrong_shape_is_a_warning_and_made_again(golden: Path) -> None:
    shard = built_shard(golden)
    write_checked(shard, ["valid", "marshal", "wrong shape"])
    assert_made_again(golden, shard)


def test_a_cached_briefing_of_another_layout_is_a_warning_and_made_again(golden: Path) -> None:
    """A readable, checksummed record whose appearances have another arity (as a cache of an
    unreleased layout under the same format name had) is damaged, not a traceback."""
    shard = built_shard(golden)
    lookup, records = read_checked(shard)
    name, meta = next(iter(records.items()))
    briefing = list(meta[4])
    briefing[-1] = {slug: each[:2] for slug, each in briefing[-1].items()}
    records[name] = (*meta[:4], tuple(briefing), *meta[5:])
    write_checked(shard, (lookup, records))
    assert_made_again(golden, shard)


@pytest.mark.parametrize("streamed", [False, True], ids=["in-memory", "streamed"])
def test_a_flipped_byte_of_cached_html_is_never_published(
    golden: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if streamed:  # as for a large site: bodies read by the workers as they render
        monkeypatch.setattr(load, "BODIES_IN_MEMORY", 0)
        monkeypatch.setattr(build_module, "BODIES_IN_MEMORY", 0)
    assert run_build(golden)[0] == 0
    bodies = sorted((golden / CACHE_DIR / "bodies").rglob("*"))
    body = next(p for p in bodies if p.is_file() and b"strike" in p.read_bytes())
    data = body.read_bytes()
    at = data.rindex(b"strike")
    body.write_bytes(data[:at] + b"stroke" + data[at + 6 :])  # same size, other words
    write_files(golden, {"templates/footer.html": "<footer>Changed</footer>"})
    code, _, err = run_build(golden)
    assert code == 0, err
    shown = body.relative_to(golden)
    assert err.splitlines() == [
        f"{shown}: warning: damaged cache file (checksum mismatch); made again"
    ]
    assert not any(b"stroke" in p.read_bytes() for p in (golden / "build").rglob("*.html"))
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)
    assert BuildCache(golden / CACHE_DIR, golden).load_briefings().entries  # repaired, kept
    write_files(golden, {"templates/footer.html": "<footer>Again</footer>"})
    code, _, err = run_build(golden)  # every page again: the body made again is found
    assert (code, err) == (0, "")


def test_an_output_record_of_the_wrong_shape_makes_a_build_check_every_file(golden: Path) -> None:
    assert run_build(golden)[0] == 0
    [record] = (golden / CACHE_DIR / "outputs").glob("*[0-9a-f].marshal")  # (not the plan's)
    write_checked(record, ("another", "shape"))
    (golden / "build/index.html").write_text("tampered")  # only a full check finds it
    code, _, err = run_build(golden)
    assert code == 0, err
    assert err.splitlines() == [
        f"{CACHE_DIR}/outputs/{record.name}: warning: damaged cache file (unexpected contents); "
        "made again"
    ]
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


def edit_a_day(golden: Path, words: str) -> None:
    """An edit that leaves the plan of pages as it was: a paragraph more, naming nobody."""
    [day] = sorted((golden / "content/briefings").glob("*.md"))[:1]
    day.write_text(day.read_text(encoding="utf-8") + f"\n{words}\n", "utf-8")


@pytest.mark.parametrize("part", ["pages", "values"])
@pytest.mark.parametrize("damage", ["flipped", "shape"])
def test_a_damaged_plan_is_a_warning_and_the_pages_are_planned_again(
    golden: Path, part: str, damage: str
) -> None:
    assert run_build(golden)[0] == 0
    [path] = (golden / CACHE_DIR / "outputs").glob(f"*.{part}.marshal")
    if damage == "flipped":
        data = path.read_bytes()
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
        why = "checksum mismatch"
    else:
        write_checked(path, ("another", "shape"))
        why = "unexpected contents"
    edit_a_day(golden, "More was said later.")
    code, _, err = run_build(golden)
    assert code == 0, err
    assert err.splitlines() == [
        f"{CACHE_DIR}/outputs/{path.name}: warning: damaged cache file ({why}); made again"
    ]
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)
    edit_a_day(golden, "And more.")
    code, _, err = run_build(golden)
    assert (code, err) == (0, "")  # the plan was made whole again


def test_an_edit_takes_the_last_plan_and_a_new_day_plans_again(golden: Path) -> None:
    """The pages file is written only when the plan changes; the output is a clean build's
    either way."""
    assert run_build(golden)[0] == 0
    [pages] = (golden / CACHE_DIR / "outputs").glob("*.pages.marshal")
    planned = pages.read_bytes()
    pages.touch()
    stamp = pages.stat().st_mtime_ns
    edit_a_day(golden, "Officials said more would follow.")
    assert run_build(golden)[0] == 0
    assert pages.stat().st_mtime_ns == stamp  # the same plan: not written again
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)
    write_files(golden, {"content/briefings/2031-01-02-later.md": briefing_text("2031-01-02")})
    assert run_build(golden)[0] == 0
    assert pages.read_bytes() != planned  # a new day: a new plan
    shutil.rmtree(clean)
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


def special_file(path: Path, kind: str) -> None:
    """Put a FIFO, or a link to an endless device, where a regular file was."""
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


KIND_SHOWN = {"fifo": "a named pipe (FIFO)", "device": "a character device"}


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_cache_file_that_is_a_fifo_or_a_device_is_a_warning_not_a_hang(
    golden: Path, kind: str
) -> None:
    assert run_build(golden)[0] == 0
    special_file(golden / CACHE_DIR / "sources.marshal", kind)
    write_files(golden, {"templates/footer.html": "<footer>Changed</footer>"})
    done = sitegen("build", cwd=golden)  # a real process: a hang is a timeout, not a stuck suite
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"{CACHE_DIR}/sources.marshal: warning: damaged cache file "
        f"({KIND_SHOWN[kind]}, not a regular file); made again"
    ]
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_the_caches_gitignore_as_a_fifo_or_a_link_is_replaced_not_waited_on(
    golden: Path, kind: str
) -> None:
    # a FIFO there: the build opened it to write '*' and waited for a reader for ever
    assert run_build(golden)[0] == 0
    ignore = golden / CACHE_DIR / ".gitignore"
    outside = golden.parent / "theirs.txt"
    outside.write_text("theirs\n")
    ignore.unlink()
    os.mkfifo(ignore) if kind == "fifo" else ignore.symlink_to(outside)
    done = sitegen("build", cwd=golden)
    assert done.returncode == 0, done.stderr
    assert ignore.is_file() and not ignore.is_symlink()
    assert ignore.read_text() == "*\n" and outside.read_text() == "theirs\n"


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("suffix", [".pack", ".idx"])
def test_a_body_pack_that_is_a_fifo_or_a_device_is_not_waited_on(
    golden: Path, kind: str, suffix: str
) -> None:
    assert run_build(golden)[0] == 0
    [pack] = (golden / CACHE_DIR / "bodies").glob(f"*{suffix}")
    special_file(pack, kind)
    write_files(golden, {"templates/footer.html": "<footer>Changed</footer>"})  # all pages
    done = sitegen("build", cwd=golden)
    assert done.returncode == 0, done.stderr
    if suffix == ".pack":  # once, not once per body it held
        assert done.stderr.splitlines() == [
            f"{pack.relative_to(golden)}: warning: damaged cache file "
            f"({KIND_SHOWN[kind]}, not a regular file); made again"
        ]
    else:  # an index that cannot be read names no bodies: they are made again, silently
        assert done.stderr == ""
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_output_file_that_is_a_fifo_or_a_device_is_replaced_not_read(
    golden: Path, kind: str
) -> None:
    """Without the cache's record of the output, a build compares each page with the file
    there: a FIFO or a device in its place is neither waited on nor read without end."""
    assert run_build(golden)[0] == 0
    shutil.rmtree(golden / CACHE_DIR)
    special_file(golden / "build/index.html", kind)
    done = sitegen("build", cwd=golden)
    assert done.returncode == 0, done.stderr
    assert (golden / "build/index.html").is_file()
    assert not (golden / "build/index.html").is_symlink()
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


# --------------------------------------------------------------------------- row 11


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_is_one_line_and_leaves_the_output_as_it_was(
    golden: Path, tmp_path: Path
) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        out = disk / "build"
        assert run_build(golden, "--out", str(out))[0] == 0
        before = tree(out)
        filler = disk / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as handle:
            while True:  # fill what is left, to the last block
                handle.write(b"\0" * 4096)
                handle.flush()
        write_files(
            golden,
            {"templates/footer.html": "<footer>A longer footer, " + "x" * 3000 + "</footer>"},
        )
        code, stdout, err = run_build(golden, "--out", str(out))
        assert code == 1, stdout
        assert "Traceback" not in stdout + err
        assert err.splitlines() == [
            f"{out}: cannot write the output: No space left on device; "
            "the previous output is unchanged"
        ]
        assert tree(out) == before
        assert not (out / STAGING).exists()
        filler.unlink()
        assert run_build(golden, "--out", str(out))[0] == 0  # room again: it goes through


def test_an_output_whose_parent_is_read_only_still_builds(shared_tmp: Path) -> None:
    site = shared_tmp / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    parent = shared_tmp / "public"
    out = parent / "site"
    out.mkdir(parents=True)
    give_to_nobody(shared_tmp)
    parent.chmod(0o555)  # like a container volume: the folder is writable, not its parent
    done = sitegen("build", "--site", str(site), "--out", str(out), cwd=site, nobody=True)
    assert done.returncode == 0, done.stderr
    missing = parent / "other"
    done = sitegen("build", "--site", str(site), "--out", str(missing), cwd=site, nobody=True)
    assert_one_line(done, f"{missing}: cannot write the output folder: Permission denied")
    assert not missing.exists()


def built_by_nobody(shared_tmp: Path) -> tuple[Path, Path]:
    """The golden site in shared_tmp, built once by `nobody`: (site, its output)."""
    site = shared_tmp / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    give_to_nobody(shared_tmp)
    assert sitegen("build", "--site", str(site), cwd=site, nobody=True).returncode == 0
    return site, site / "build"


def test_a_read_only_output_is_one_line_and_left_as_it_was(shared_tmp: Path) -> None:
    site, out = built_by_nobody(shared_tmp)
    before = tree(out)
    out.chmod(0o555)
    done = sitegen("build", "--site", str(site), cwd=site, nobody=True)
    assert_one_line(done, "build: cannot write the output folder: Permission denied")
    out.chmod(0o755)
    assert tree(out) == before


def test_a_read_only_folder_inside_the_output_is_one_line_and_nothing_changes(
    shared_tmp: Path,
) -> None:
    """A page's folder that cannot be written (or one a deleted page leaves): found before
    the commit begins, so no other file of the output has changed either."""
    site, out = built_by_nobody(shared_tmp)
    before = tree(out)
    (out / "2022/02/01").chmod(0o555)
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("Golden Briefing", "Gilded Briefing"))
    done = sitegen("build", "--site", str(site), cwd=site, nobody=True)
    assert_one_line(
        done,
        "build/2022/02/01: cannot write this folder of the output (its permissions, or a "
        "read-only file system); "
        "the output is unchanged",
    )
    assert tree(out) == before
    (out / "2022/02/01").chmod(0o755)
    assert sitegen("build", "--site", str(site), cwd=site, nobody=True).returncode == 0
    assert b"Gilded" in (out / "2022/02/01/index.html").read_bytes()


def test_an_output_that_is_a_mount_point_builds_twice(golden: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "volume", "64m") as out:
        assert run_build(golden, "--out", str(out))[0] == 0
        write_files(golden, {"templates/footer.html": "<footer>Mounted</footer>"})
        code, _, err = run_build(golden, "--out", str(out))
        assert code == 0, err
        clean = tmp_path / "clean"
        assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
        assert tree(out) == tree(clean)


# --------------------------------------------------------------------------- row 13 and the lock


def test_what_killed_builds_left_is_removed_by_the_next_build(golden: Path) -> None:
    assert run_build(golden)[0] == 0
    write_files(golden, {f"build/{STAGING}/2022/01/31/index.html": "half a build"})
    old_style = golden / ".build.staging-x1y2"  # sitegen 0.1 staged beside the output
    write_files(old_style, {"index.html": "older still"})
    (old_style.parent / ".build.old-z3").mkdir()
    assert run_build(golden)[0] == 0
    assert not (golden / "build" / STAGING).exists()
    assert not old_style.exists() and not (golden / ".build.old-z3").exists()


def test_a_fifo_where_the_staging_folder_goes_is_removed_not_waited_on(golden: Path) -> None:
    assert run_build(golden)[0] == 0
    os.mkfifo(golden / "build" / STAGING)
    os.mkfifo(golden / ".build.staging-x1y2")
    done = sitegen("build", cwd=golden)  # a real process: a hang is a timeout
    assert done.returncode == 0, done.stderr
    assert not (golden / "build" / STAGING).exists()
    assert not (golden / ".build.staging-x1y2").exists()


def test_a_second_build_waits_for_the_first(golden: Path) -> None:
    """The lock is the marker file's: while another build holds it, a build waits (and
    says so), and only then clears the staging folder, which is the other build's."""
    assert run_build(golden)[0] == 0
    staged = golden / "build" / STAGING / "in-progress.html"
    write_files(golden, {"build/.sitegen-staging/in-progress.html": "the other build's"})
    with open(golden / "build" / MARKER, "r+") as marker:
        fcntl.flock(marker, fcntl.LOCK_EX)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        waiting = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "build", "--site", str(golden)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        # until it says it waits (it was a sleep of 3 s: a child that took longer to start
        # found the lock free, built without waiting and said nothing)
        said = first_line(waiting, 60)
        assert said == (
            f"{golden / 'build'}: warning: another build is writing this folder; waiting for "
            "it to finish"
        )
        assert waiting.poll() is None  # still waiting
        assert staged.exists()  # the other build's work is left alone meanwhile
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert err == ""  # nothing after the line it said while waiting
    assert not staged.exists()


def first_line(process: subprocess.Popen, timeout: float) -> str:
    """The first line a process writes on stderr (without its end), or what it wrote
    when it ended; fails the test after `timeout` s without one (a bound on a hang)."""
    assert process.stderr is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stderr.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout).rstrip("\n")
    except queue.Empty:
        pytest.fail(f"nothing on stderr within {timeout:.0f} s")


def test_two_builds_at_once_both_succeed(golden: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "sitegen", "build", "--site", str(golden)]
    builds = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
              for _ in range(2)]  # fmt: skip
    for process in builds:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    clean = golden.parent / "clean"
    assert run_build(golden, "--no-cache", "--out", str(clean))[0] == 0
    assert tree(golden / "build") == tree(clean)


def test_a_site_that_fails_leaves_no_output_folder_and_no_lock(make_site, tmp_path: Path) -> None:
    site = make_site({"content/briefings/2022-01-28-b.md": briefing_text("2022-01-29")})
    code, _, _ = run_build(site, "--out", str(tmp_path / "public"))
    assert code == 1
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("name", ["sources.marshal", "briefings/*.marshal", "outputs/*.marshal"])
def test_a_folder_where_a_cache_file_goes_is_replaced_once(golden: Path, name: str) -> None:
    """A cache file replaced by a folder: one warning, and the build puts the file back in
    its place, so that the next build neither warns again nor loses its cache."""
    assert run_build(golden)[0] == 0
    [path] = sorted((golden / CACHE_DIR).glob(name))[:1]
    path.unlink()
    write_files(path, {"x": "x"})
    code, _, err = run_build(golden)
    assert code == 0, err
    shown = path.relative_to(golden)
    assert err.splitlines() == [
        f"{shown}: warning: damaged cache file (a folder, not a regular file); made again"
    ]
    code, out, err = run_build(golden)
    assert (code, err) == (0, "")
    assert "unchanged" in out


@pytest.mark.parametrize("name", ["briefings", "bodies", "outputs", "templates"])
def test_a_file_where_a_cache_folder_goes_is_replaced_once(golden: Path, name: str) -> None:
    """The cache's own folder replaced by a file: one warning, and the build makes the
    folder again (it warned on every build that it could not write the cache)."""
    assert run_build(golden)[0] == 0
    folder = golden / CACHE_DIR / name
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    code, _, err = run_build(golden)
    assert code == 0, err
    assert err.splitlines() == [
        f"{CACHE_DIR}/{name}: warning: damaged cache file (not a folder); made again"
    ]
    assert folder.is_dir()
    code, out, err = run_build(golden)
    assert (code, err) == (0, "")
    assert "unchanged" in out


def test_the_temporary_files_of_a_killed_cache_write_are_removed(golden: Path) -> None:
    """A build killed while writing a cache file leaves `.NAME.PID.tmp`: the next build
    removes it (its process is gone), and leaves a running process's own alone."""
    assert run_build(golden)[0] == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    left = [golden / CACHE_DIR / f".sources.marshal.{dead}.tmp",
            golden / CACHE_DIR / f"briefings/.03.marshal.{dead}.tmp"]  # fmt: skip
    alive = golden / CACHE_DIR / f"outputs/.x.marshal.{os.getpid()}.tmp"
    for path in [*left, alive]:
        path.write_bytes(b"half a cache file")
    assert run_build(golden)[0] == 0
    assert not any(path.exists() for path in left)
    assert alive.exists()


# --------------------------------------------------------------------------- variants
# Each: a real `sitegen build` process on a site that built once, then one thing made wrong.
# A Hugo or Zola user expects one line naming the path, exit 1, no traceback, no hang, and
# the previous output as it was.

NEW = "content/briefings/2022-02-05-new.md"
FRONT = '---\ntitle: "Feb. 5"\ndate: 2022-02-05\n---\n'


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


def _replace_with_file(path: Path) -> None:
    shutil.rmtree(path)
    path.write_text("x\n")


VARIANTS = {
    "site.toml is a folder": (
        lambda s: _replace_with_folder(s / "site.toml"), [],
        "site.toml: a folder, not a regular file: remove it",
    ),
    "templates is a file": (
        lambda s: _replace_with_file(s / "templates"), [], "templates: is not a folder",
    ),
    "content is a file": (
        lambda s: _replace_with_file(s / "content"), [],
        "content: is not a folder (content/briefings/ holds the days)",
    ),
    "a briefing that is a FIFO": (
        lambda s: os.mkfifo(s / NEW), [],
        f"{NEW}: a named pipe (FIFO), not a regular file: remove it",
    ),
    "a briefing that is a dangling link": (
        lambda s: (s / NEW).symlink_to(s / "gone.md"), [],
        f"{NEW}: broken symbolic link (to {{site}}/gone.md): remove it",
    ),
    "a 0-byte briefing": (
        lambda s: (s / NEW).write_bytes(b""), [],
        f"{NEW}:1: the file is empty; no front matter: the file must start with a '---' line "
        "(YAML) or '+++' (TOML)",
    ),
    "a NUL byte in a briefing": (
        lambda s: (s / NEW).write_bytes(FRONT.encode() + b"Lead.\n\nA \x00 here.\n"), [],
        f"{NEW}:7: control character U+0000 (NUL) at column 3: feeds (XML) cannot carry it; "
        "remove it",
    ),
    "invalid UTF-8 in a briefing": (
        lambda s: (s / NEW).write_bytes(FRONT.encode() + b"Lead.\n\nCaf\xe9.\n"), [],
        f"{NEW}:7: not valid UTF-8: byte 0xe9 at column 4 (Windows-1252 or Latin-1 text?); "
        "save the file as UTF-8",
    ),
    "a newline in a briefing's name": (
        lambda s: (s / "content/briefings/2022-02-05-a b é\nc.md").write_text(
            FRONT.replace("02-05", "02-06")
        ), [],
        "content/briefings/2022-02-05-a b é\\nc.md:3: date 2022-02-06 disagrees with the date "
        "in the file name (2022-02-05)",
    ),
    "the output inside content/": (
        lambda s: None, ["--out", "content/site"],
        "content/site: refusing to use this output folder: it is inside or above the content "
        "folder ({site}/content)",
    ),
    "the output is the site folder": (
        lambda s: None, ["--out", "."],
        ".: refusing to use this output folder: it is the site folder itself",
    ),
    "the output is the home folder": (
        lambda s: None, ["--out", "~"],
        "{home}: refusing to use this output folder: it is your home folder",
    ),
    "the output inside the build cache": (
        lambda s: None, ["--out", ".sitegen-cache/site"],
        ".sitegen-cache/site: refusing to use this output folder: it is inside the build "
        "cache ({site}/.sitegen-cache)",
    ),
    "the output is /": (
        lambda s: None, ["--out", "/"],
        "/: refusing to use this output folder: it is the file system root",
    ),
}  # fmt: skip


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_is_one_line_in_a_real_process_and_the_output_is_kept(
    golden: Path, variant: str
) -> None:
    make, args, line = VARIANTS[variant]
    assert sitegen("build", "--site", str(golden), cwd=golden).returncode == 0
    before = tree(golden / "build")
    make(golden)
    done = sitegen("build", "--site", ".", *args, cwd=golden)
    home = os.path.expanduser("~")
    assert_one_line(done, line.format(site=golden.resolve(), home=home))
    assert tree(golden / "build") == before
