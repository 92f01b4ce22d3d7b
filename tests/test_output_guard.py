"""The output folder: sitegen refuses folders whose replacement would destroy something, removes
pages of deleted content, and a failed build changes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import briefing_text, run_build, snapshot, write_files

REFUSAL = "refusing to use this output folder: it"


@pytest.fixture
def site(make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built site at tmp/s, with the current folder set to it (for relative --out)."""
    root = make_site(name="s")
    code, _, err = run_build(root)
    assert code == 0, err
    monkeypatch.chdir(root)
    return root


def assert_refused(root: Path, out: str, reason: str) -> None:
    """One line `FOLDER: refusing ... REASON`, FOLDER naming --out (relative to the site
    when it exists there), and not one file changed."""
    before = snapshot(root.parent)
    code, stdout, stderr = run_build(root, "--out", out)
    assert code == 1, stdout
    assert "Traceback" not in stdout + stderr
    [line] = stderr.splitlines()
    shown, _, message = line.partition(": ")
    assert message == f"{REFUSAL} {reason}"
    assert (root / shown).resolve() == Path(out).expanduser().resolve()
    assert snapshot(root.parent) == before


def test_refuses_the_file_system_root(site: Path) -> None:
    assert_refused(site, "/", "is the file system root")


def test_refuses_the_home_folder_written_as_tilde(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    write_files(home, {"notes.txt": "keep me"})
    monkeypatch.setenv("HOME", str(home))
    assert_refused(site, "~", "is your home folder")
    assert not (site / "~").exists()
    assert (home / "notes.txt").read_text() == "keep me"


def test_refuses_the_site_folder(site: Path) -> None:
    assert_refused(site, str(site), "is the site folder itself")


@pytest.mark.parametrize(
    ("out", "folder"),
    [
        ("content/", "content"),
        ("content/x", "content"),
        ("content/briefings", "content"),
        ("templates/", "templates"),
        ("static", "static"),
    ],
)
def test_refuses_content_templates_and_static(site: Path, out: str, folder: str) -> None:
    assert_refused(site, out, f"is inside or above the {folder} folder ({site / folder})")


def test_refuses_a_folder_above_content(site: Path) -> None:
    reason = f"is inside or above the content folder ({site / 'content'})"
    assert_refused(site, str(site.parent), reason)


def test_refuses_a_file(site: Path) -> None:
    assert_refused(site, "site.toml", "exists and is not a folder")


@pytest.mark.parametrize("chain", [False, True])
def test_refuses_a_broken_link_and_makes_nothing_where_it_leads(
    site: Path, tmp_path: Path, chain: bool
) -> None:
    # a build through a dangling link made the folder it leads to, somewhere else
    target = tmp_path / "elsewhere" / "deep"
    os.symlink(target, tmp_path / "first")
    os.symlink(tmp_path / "first" if chain else target, tmp_path / "out")
    to = os.readlink(tmp_path / "out")
    fix = "a build would make a folder where it leads: make that folder, or remove the link"
    assert_refused(site, str(tmp_path / "out"), f"is a broken symbolic link (to {to}); {fix}")
    assert not (tmp_path / "elsewhere").exists()
    # a folder below one: the link is named
    code, out, err = run_build(site, "--out", str(tmp_path / "out" / "site"))
    assert code == 1, out
    assert err.splitlines() == [
        f"{tmp_path / 'out' / 'site'}: refusing to use this output folder: {tmp_path / 'out'} "
        f"(on its way) is a broken symbolic link (to {to}); {fix}"
    ]
    assert not (tmp_path / "elsewhere").exists()
    # set in site.toml
    toml = (site / "site.toml").read_text(encoding="utf-8")
    (site / "site.toml").write_text(f'{toml}[paths]\noutput = "{tmp_path / "out"}"\n')
    code, out, err = run_build(site)
    assert code == 1, out
    assert not (tmp_path / "elsewhere").exists()
    # once the folder is there, the link is followed
    target.mkdir(parents=True)
    code, _, err = run_build(site)
    assert code == 0, err
    assert (target / "index.html").is_file()


def test_builds_into_another_folder(site: Path, tmp_path: Path) -> None:
    code, out, err = run_build(site, "--out", str(tmp_path / "public"))
    assert code == 0, err
    assert (tmp_path / "public/2022/01/27/index.html").is_file()
    assert out.startswith("Built ")


def test_pages_of_deleted_content_are_removed(site: Path) -> None:
    write_files(site, {"content/briefings/2022-01-28-next.md": briefing_text("2022-01-28")})
    assert run_build(site)[0] == 0
    assert (site / "build/2022/01/28/index.html").is_file()
    write_files(site, {"content/briefings/2022-01-28-next.md": None})
    assert run_build(site)[0] == 0
    assert not (site / "build/2022/01/28").exists()
    assert (site / "build/2022/01/27/index.html").is_file()


def test_a_git_checkout_in_the_output_survives_rebuilds(site: Path) -> None:
    write_files(site, {"build/.git/HEAD": "ref: refs/heads/gh-pages\n", "build/stale.txt": "x"})
    assert run_build(site)[0] == 0
    assert (site / "build/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert run_build(site, "--no-cache")[0] == 0
    assert (site / "build/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"


def test_a_file_put_in_the_output_by_hand_is_kept_by_every_build(site: Path) -> None:
    """As Hugo does: a build deletes only files it wrote (the marker lists them), with the
    cache, without it (--no-cache) and after it was deleted alike."""
    assert run_build(site)[0] == 0
    mine = {"build/notes.txt": "mine", "build/2022/01/27/draft.html": "mine too"}
    write_files(site, mine)
    write_files(site, {"content/briefings/2022-01-28-next.md": briefing_text("2022-01-28")})
    assert run_build(site)[0] == 0
    write_files(site, {"content/briefings/2022-01-28-next.md": None})
    assert run_build(site, "--no-cache")[0] == 0
    assert not (site / "build/2022/01/28").exists()  # sitegen's own page: deleted
    shutil.rmtree(site / ".sitegen-cache")
    assert run_build(site)[0] == 0
    for name, text in mine.items():
        assert (site / name).read_text() == text


@pytest.mark.parametrize(
    "broken",
    [
        {"content/briefings/2022-01-27-brief.md": "---\ntitle: [\n---\n"},
        {"templates/day.html": "{% extends 'base.html' %}{% block main %}{{ nosuch }}"},
        {"templates/index.html": "{% extends 'base.html' %}{% block main %}{{ 1 // 0 }}"},
    ],
    ids=["content-error", "template-error", "template-runtime-error"],
)
def test_a_failed_build_changes_nothing(site: Path, broken: dict) -> None:
    before = snapshot(site / "build")
    write_files(site, broken)
    code, out, err = run_build(site)
    assert code == 1, out
    assert "Traceback" not in out + err
    assert snapshot(site / "build") == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".build.")]
    assert leftovers == []


def test_a_failed_build_does_not_create_the_output_folder(site: Path, tmp_path: Path) -> None:
    write_files(site, {"templates/day.html": "{{ nosuch }}"})
    code, _, _ = run_build(site, "--out", str(tmp_path / "public"))
    assert code == 1
    assert not (tmp_path / "public").exists()
    assert not list(tmp_path.glob(".public.*"))


def test_refuses_a_non_empty_folder_that_sitegen_did_not_write(site: Path, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work")
    assert_refused(
        site,
        str(documents),
        "holds files that sitegen did not write (no .sitegen-output); empty it or pick another",
    )


def test_writes_into_an_empty_folder_and_replaces_its_own_output(
    site: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_build(site, "--out", str(empty))[0] == 0
    assert (empty / ".sitegen-output").is_file()
    assert run_build(site, "--out", str(empty))[0] == 0


def test_an_output_folder_another_build_makes_at_the_same_moment_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds start at once on a missing output folder: both see it missing, one makes
    it first; the other takes the folder as made (and never removes it) instead of failing
    with 'File exists'."""
    from sitegen.output import OutputFolder

    target = tmp_path / "public"
    target.mkdir()  # the other build, between this one's look and its mkdir
    real_exists = Path.exists
    monkeypatch.setattr(Path, "exists", lambda p: p != target and real_exists(p))
    folder = OutputFolder(target)
    folder.open()
    folder.close(failed=True)
    assert target.is_dir()


def test_a_file_deleted_or_changed_in_the_output_is_made_again(site: Path) -> None:
    """As a Hugo or Zola build would: what sitegen wrote and someone deleted or changed in
    the output (its size, mtime or ctime differ from the record) is written again."""
    clean = snapshot(site / "build")
    (site / "build/index.html").unlink()
    (site / "build/404.html").write_text("edited by hand")
    page = site / "build/2022/01/27/index.html"
    stat = page.stat()
    page.write_bytes(b"x" * stat.st_size)  # the same size and mtime: still seen
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    shutil.rmtree(site / "build/archive")
    code, _, err = run_build(site)
    assert code == 0, err
    assert snapshot(site / "build") == clean


def test_an_output_restored_with_its_bytes_is_not_made_again(site: Path) -> None:
    """An output folder restored by `rsync -a` or `cp -a` (a CI cache, a backup): the same
    bytes and mtimes, new ctimes and inodes. Its files are read and found to be what
    sitegen wrote, so no page is rendered or written again (before: every page was), and
    the next build trusts their new stats without reading them."""
    from sitegen import build as build_module
    from sitegen.build import BuildOptions, build

    clean = snapshot(site / "build")
    shutil.copytree(site / "build", site / "restored", symlinks=True)  # (copy2: mtimes kept)
    shutil.rmtree(site / "build")
    (site / "restored").rename(site / "build")
    edited = site / "build/2022/01/27/index.html"
    stat = edited.stat()
    edited.write_bytes(b"x" * stat.st_size)  # one file changed, same size and mtime
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = build(BuildOptions(site, jobs=1))
    assert (result.rendered, result.written) == (1, 1)
    assert snapshot(site / "build") == clean
    read = []
    real = build_module.read_regular
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "read_regular", lambda path: read.append(path) or real(path))
        result = build(BuildOptions(site, jobs=1))
    assert (result.rendered, result.written, read) == (0, 0, [])


@pytest.mark.parametrize("where", ["file-for-folder", "folder-for-file", "link-for-folder"])
def test_something_of_yours_where_the_site_writes_is_an_error(
    site: Path, tmp_path: Path, where: str
) -> None:
    """A file (or folder, or link) someone put where a page goes is never replaced: one line
    per path, exit 1, and the output unchanged, with or without the cache."""
    shutil.rmtree(site / "build/archive")
    if where == "file-for-folder":
        (site / "build/archive").write_text("my notes")
        blocked = "archive"
    elif where == "folder-for-file":
        (site / "build/404.html").unlink()
        write_files(site, {"build/404.html/mine.txt": "mine"})
        blocked = "404.html"
    else:
        elsewhere = tmp_path / "elsewhere"
        write_files(elsewhere, {"index.html": "not sitegen's"})
        (site / "build/archive").symlink_to(elsewhere)
        blocked = "archive"
    before = snapshot(site / "build")
    for flags in ([], ["--no-cache"]):
        code, out, err = run_build(site, *flags)
        assert code == 1, out
        assert "Traceback" not in out + err
        assert err.splitlines() == [
            f"build/{blocked}: sitegen did not write this, and the site needs its place: move "
            "it away (or into static/ to publish it); the output is unchanged"
        ]
        assert snapshot(site / "build") == before
    if where == "link-for-folder":
        assert (tmp_path / "elsewhere/index.html").read_text() == "not sitegen's"


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "no-cache"])
def test_a_static_file_that_becomes_a_folder_and_back_replaces_its_own_output(
    site: Path, tmp_path: Path, cached: bool
) -> None:
    """static/x a file, then a folder of files, then a file again: each build replaces
    what sitegen wrote there. Before, the file's old place was deleted after the folder
    was moved in ("cannot write the output: Is a directory"), and sitegen's own folder was
    refused as someone else's ("sitegen did not write this")."""
    flags = [] if cached else ["--no-cache"]
    for step, files in enumerate([
        {"static/x": "a file\n"},
        {"static/x": None, "static/x/inner.txt": "in a folder\n", "static/x/sub/deep.txt": "d"},
        {"static/x/inner.txt": None, "static/x/sub/deep.txt": None},
        {"static/x": "a file again\n"},
    ]):  # fmt: skip
        if step == 2:
            shutil.rmtree(site / "static/x")
            continue
        write_files(site, files)
        code, _, err = run_build(site, *flags)
        assert code == 0, err
        clean = tmp_path / f"clean-{step}"
        assert run_build(site, "--out", str(clean), "--no-cache")[0] == 0
        assert snapshot(site / "build") == snapshot(clean), step
    write_files(site, {"static/x": None, "static/x/inner.txt": "a folder again\n"})
    assert run_build(site, *flags)[0] == 0
    write_files(site, {"build/x/mine.txt": "mine"})  # someone else's file in that folder
    shutil.rmtree(site / "static/x")
    write_files(site, {"static/x": "a file\n"})
    before = snapshot(site / "build")
    code, _, err = run_build(site, *flags)
    assert code == 1
    assert err.startswith("build/x: sitegen did not write this")
    assert snapshot(site / "build") == before


def test_a_first_build_another_build_just_began_in_the_folder_is_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first builds of one folder start together: between this one's look for the
    marker and its listing, the other made the marker and its staging folder. That is a
    build of sitegen's (the lock then orders the two), not someone else's files."""
    from sitegen.config import load_config
    from sitegen.diagnostics import Diagnostics
    from sitegen.output import MARKER, STAGING, check_output_folder

    site = tmp_path / "site"
    write_files(site, {"site.toml": 'title = "T"\nbase_url = "https://example.org/"\n'})
    diags = Diagnostics(root=site)
    config = load_config(site, diags)
    target = tmp_path / "public"
    write_files(target, {MARKER: "", f"{STAGING}/index.html": "being made"})
    real_is_file = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda p: p.name != MARKER and real_is_file(p))
    check_output_folder(target, config, diags)
    assert diags.errors == []


@pytest.mark.parametrize("kind", ["link", "folder"])
def test_a_marker_that_is_not_a_regular_file_is_refused_and_nothing_is_written(
    site: Path, tmp_path: Path, kind: str
) -> None:
    """A `.sitegen-output` that is a link (a hostile checkout's: the build would write the
    marker through it, over the file it leads to) or a folder is refused in one line."""
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's file")
    marker = site / "build/.sitegen-output"
    marker.unlink()
    if kind == "link":
        marker.symlink_to(victim)
    else:
        marker.mkdir()
    assert_refused(
        site, "build", "holds a .sitegen-output that is not a regular file (a link, a folder...); "
        "remove it",
    )  # fmt: skip
    assert victim.read_text() == "someone's file"


@pytest.mark.parametrize("damage", [b"", b"\x89garbage\x00" * 20, b"files: 1\nindex.html\n"])
def test_a_marker_sitegen_did_not_write_claims_no_file(site: Path, damage: bytes) -> None:
    """An empty or damaged `.sitegen-output` would have made every file of the folder
    sitegen's, and a build deleted them: such a folder is refused, its files kept."""
    assert run_build(site)[0] == 0
    write_files(site, {"build/notes.txt": "mine"})
    (site / "build/.sitegen-output").write_bytes(damage)
    assert_refused(
        site, "build", "holds files that sitegen did not write (its .sitegen-output is not "
        "sitegen's); empty it or pick another",
    )  # fmt: skip
    assert (site / "build/notes.txt").read_text() == "mine"


def test_a_folder_of_pages_replaced_by_a_link_is_refused_by_a_cached_build(
    site: Path, tmp_path: Path
) -> None:
    """The cached build replaced the link with a folder holding only the edited page (the
    others gone, exit 0); it now refuses, as a build without the cache does."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site / "build/2022/01", elsewhere)
    shutil.rmtree(site / "build/2022/01")
    (site / "build/2022/01").symlink_to(elsewhere)
    path = site / "content/briefings/2022-01-27-brief.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    before = snapshot(site / "build")
    code, _, stderr = run_build(site)
    assert code == 1
    assert stderr.splitlines() == [
        "build/2022/01: sitegen did not write this link, and the site writes a folder of "
        "pages there: move it away; the output is unchanged"
    ]
    assert snapshot(site / "build") == before
