"""Builds killed (SIGKILL) at several moments: while rendering, in the middle of moving files
into place, while deleting vanished pages, before the output's marker is rewritten, while
the cache is saved, between a body's bytes and its index record, while the body packs are
tidied, while Pagefind indexes. Each time the output holds only whole files,
each the old build's or the new one's, and the next build repairs it until it is
byte-identical to a clean build.

The build runs in a child process that kills itself with SIGKILL at the chosen moment (the
Nth call of the function that does that part of the work), so the moment is exact.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.output import MARKER, STAGING

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_SITE = ROOT / "tests" / "golden" / "site"
BRIEF = "content/briefings/2022-01-31-what-you-need-to-know.md"

DRIVER = """
import os, signal, sys
from pathlib import Path
from sitegen import build, cache, output, search, workers

module, name, after = sys.argv[1], sys.argv[2], int(sys.argv[3])
owner = {"workers": workers, "output": output.OutputFolder, "cache": cache,
         "os": os, "search": search.Indexing}[module]
real = getattr(owner, name)
calls = [0]

def dying(*args, **kwargs):
    calls[0] += 1
    if calls[0] > after:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

setattr(owner, name, dying)
build.build(build.BuildOptions(Path(sys.argv[4]), jobs=1))
print("finished")
"""

# (where, what is called there, how many calls go through before the kill)
MOMENTS = {
    "rendering": ("workers", "write_file", 5),
    "moving files into place": ("os", "replace", 3),
    "deleting vanished pages": ("output", "remove", 0),
    "before the marker names the new output": ("output", "_write_marker", 1),
    "saving the cache": ("cache", "write_checked", 1),
    # a body's bytes appended to its pack, not yet its index record
    "writing a briefing's body": ("cache", "_write_all", 1),
    "tidying the body packs": ("cache", "remove_quietly", 0),
    "indexing for search": ("search", "_finish", 0),
}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def edit(site: Path) -> None:
    """Changes that touch most of the output: a template, a day, a day gone, a day added."""
    footer = site / "templates/footer.html"
    footer.write_text(footer.read_text().replace("Golden", "Gilded"))
    brief = site / BRIEF
    brief.write_text(brief.read_text().replace("said on Monday", "said on Thursday"))
    (site / "content/briefings/2022-02-02-what-you-need-to-know.md").unlink()
    (site / "content/briefings/2022-02-03-calm.md").write_text(
        '---\ntitle: "Feb. 3"\ndate: 2022-02-03\n---\nCalm.\n\n## Items\n\n[[Quill]] rested.\n'
    )


def killed_build(site: Path, moment: str) -> subprocess.CompletedProcess:
    module, name, after = MOMENTS[moment]
    command = [sys.executable, "-c", DRIVER, module, name, str(after), str(site)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_killed_build_leaves_whole_files_and_the_next_build_repairs(
    moment: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    out = site / "build"
    from sitegen.build import BuildOptions, build

    build(BuildOptions(site, jobs=1))
    old = tree(out)
    edit(site)
    build(BuildOptions(site, tmp_path / "clean", jobs=1, no_cache=True))
    new = tree(tmp_path / "clean")

    if moment == "tidying the body packs":  # packs of a build seconds ago are kept (cache.py)
        for pack in (site / ".sitegen-cache" / "bodies").iterdir():
            os.utime(pack, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    done = killed_build(site, moment)
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    left = tree(out)
    for name, data in left.items():
        if name == MARKER or name.startswith(STAGING + "/"):
            continue
        assert data in (old.get(name), new.get(name)), f"{name}: neither old nor new"
    build(BuildOptions(site, jobs=1))  # the next build
    assert tree(out) == new


INTERRUPTING = """
import os, signal, sys, time
from sitegen import cli, workers

# as started from a terminal: a test runner in the background of a shell without job
# control is started with SIGINT ignored, and this process would inherit that
signal.signal(signal.SIGINT, signal.default_int_handler)

real = workers.write_file
calls = [0]
parent = os.getpid()

def interrupting(*args, **kwargs):
    calls[0] += 1
    if calls[0] == 3 and os.getpid() != parent:  # in a forked worker
        stop_with = os.environ["STOP_WITH"]
        if stop_with == "ctrl-c":  # reaches the whole group, as a terminal's does
            os.killpg(os.getpgrp(), signal.SIGINT)
        elif stop_with == "kill":  # `kill PID`: the build's process only
            os.kill(parent, signal.SIGTERM)
        elif stop_with == "kill -INT":
            os.kill(parent, signal.SIGINT)
        else:  # `kill -9 PID`; the worker goes on, as if in the middle of a long page
            os.kill(parent, signal.SIGKILL)
            time.sleep(2)
    return real(*args, **kwargs)

workers.write_file = interrupting
sys.argv = ["sitegen", *sys.argv[1:]]
cli.run()
"""


def interruptible_site(tmp_path: Path) -> Path:
    """A site built once, then changed so that the next build renders every page."""
    site = tmp_path / "site"
    gen = [sys.executable, str(ROOT / "bench/gen_corpus.py"), "--n", "150", "--out", str(site)]
    subprocess.run(gen, check=True, capture_output=True)
    with (site / "site.toml").open("a") as handle:
        handle.write("\n[search]\nenabled = false\n")
    from sitegen.build import BuildOptions, build

    build(BuildOptions(site, jobs=1))
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("Benchmark briefings", "Interrupted briefings"))
    return site


def interrupted_build(site: Path, stop_with: str, shell: bool = False) -> subprocess.Popen:
    """`sitegen build --jobs 2` in a session of its own (the interrupt reaches the build's
    group, not the test runner), stopped as `stop_with` says from a forked worker; with
    `shell`, run by sh, which then prints the status it saw."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "STOP_WITH": stop_with}
    command = [sys.executable, "-c", INTERRUPTING, "build", "--site", str(site), "--jobs", "2"]
    if shell:
        command = ["sh", "-c", '"$@"; echo "status $?"', "sh", *command]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("stop_with", "signum"), [("ctrl-c", signal.SIGINT), ("kill", signal.SIGTERM)]
)
def test_ctrl_c_or_kill_during_a_parallel_build_is_one_line_and_the_next_build_repairs(
    tmp_path: Path, stop_with: str, signum: int
) -> None:
    """Ctrl-C (SIGINT to the group) or `kill` (SIGTERM to the build) while forked workers
    render: the build stops its workers and says so in one line (no traceback from each
    worker), ends by the signal (as Hugo, Zola and Python do: a shell sees 130 or 143, and
    a script running the build stops), and the next build makes the output
    byte-identical to a clean one."""
    site = interruptible_site(tmp_path)
    child = interrupted_build(site, stop_with)
    _, err = child.communicate(timeout=120)
    assert child.returncode == -signum, err
    # (click ends the terminal's "^C" line first, then says why it stopped)
    assert [line for line in err.splitlines() if line] == ["Aborted."]
    from sitegen.build import BuildOptions, build

    build(BuildOptions(site, jobs=1))
    build(BuildOptions(site, tmp_path / "clean", jobs=1, no_cache=True))
    assert tree(site / "build") == tree(tmp_path / "clean")


@pytest.mark.parametrize(("stop_with", "status"), [("kill -INT", 130), ("kill", 143)])
def test_a_shell_sees_128_plus_the_signal_of_an_interrupted_build(
    tmp_path: Path, stop_with: str, status: int
) -> None:
    child = interrupted_build(interruptible_site(tmp_path), stop_with, shell=True)
    out, err = child.communicate(timeout=120)
    assert out.splitlines()[-1:] == [f"status {status}"], err
    lines = [line for line in err.splitlines() if line]
    assert lines[0] == "Aborted."
    assert lines[1:] in ([], ["Terminated"])  # (sh's own notice of a process killed so)


def processes_of_session(session: int) -> list[str]:
    """The live processes (not zombies) of a session, as `pid command` lines."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # (state, ppid, pgrp, session, ...)
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(f"{stat_file.parent.name} {stat[: stat.rindex(')') + 1]}")
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel ends them: Linux")
def test_workers_end_quietly_when_the_build_is_killed_with_sigkill(tmp_path: Path) -> None:
    """`kill -9` of the build while its forked workers render: the workers end at once
    (before, each went on with its chunk, then printed a BrokenPipeError traceback on the
    terminal); none is left running, and the next build repairs the output."""
    site = interruptible_site(tmp_path)
    child = interrupted_build(site, "kill -9")
    _, err = child.communicate(timeout=120)  # (waits for every holder of stderr)
    assert child.returncode == -signal.SIGKILL
    assert err == ""
    # (a worker closes its files before it is a zombie: allow it the moment it takes to end)
    deadline = time.monotonic() + 60  # (a bound: a loaded machine schedules them late)
    while processes_of_session(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_of_session(child.pid) == []
    from sitegen.build import BuildOptions, build

    build(BuildOptions(site, jobs=1))
    build(BuildOptions(site, tmp_path / "clean", jobs=1, no_cache=True))
    assert tree(site / "build") == tree(tmp_path / "clean")


PRESSED_TWICE = """
import os, signal, sys
import click
from sitegen import cli

signal.signal(signal.SIGINT, signal.default_int_handler)  # (as from a terminal)
real_echo, real_build = click.echo, cli.build

def echo(*args, **kwargs):
    if args and args[0] == "Aborted.":  # Ctrl-C pressed again while the first is handled
        os.kill(os.getpid(), signal.SIGINT)
    return real_echo(*args, **kwargs)

def build(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)  # the first Ctrl-C, as the build begins
    return real_build(*args, **kwargs)

click.echo, cli.build = echo, build
sys.argv = ["sitegen", *sys.argv[1:]]
cli.run()
"""


def test_ctrl_c_pressed_again_while_stopping_ends_without_a_traceback(make_site) -> None:
    site = make_site()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", PRESSED_TWICE, "build", "--site", str(site)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == -signal.SIGINT, done.stderr
    assert "Traceback" not in done.stderr
