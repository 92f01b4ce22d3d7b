"""`sitegen deploy` with real git processes: a site repository and a local bare remote."""

from __future__ import annotations

import functools
import io
import os
import signal
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SITE_TOML, briefing_text, snapshot, write_files

from sitegen.build import BuildOptions, build
from sitegen.cli import main
from sitegen.deploy import SEARCH_INDEX
from sitegen.output import MARKER
from sitegen.search import BUNDLES_FILE
from tests.tools.polling import wait_until

DOMAIN = "news.example.org"
DEPLOY_TOML = f'title = "Test Briefings"\nbase_url = "https://{DOMAIN}/"\ncname = "{DOMAIN}"\n'
BROKEN = briefing_text("2022-02-30")  # not a real day: the build fails


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def tip(repo: Path, branch: str = "gh-pages") -> str | None:
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return found.stdout.strip() or None


def branch_files(repo: Path, ref: str = "gh-pages") -> dict[str, bytes]:
    """Every file the branch holds (path -> bytes), through `git archive`."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=repo, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return {
            m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def without_index(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not k.startswith(SEARCH_INDEX)}


def deploy(site: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["deploy", "--site", str(site), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Repos:
    site: Path  # a git repository whose root is the site
    remote: Path  # a bare repository, the site's `origin`
    tmp: Path


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git with a fixed identity and none of the machine's configuration."""
    (tmp_path / "gitconfig").write_text("")
    for name, value in {
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Test Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.org",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def repos(make_site, tmp_path: Path, git_env: None) -> Repos:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    site = make_site(
        {
            "site.toml": DEPLOY_TOML,
            "static/_data/x.txt": "kept by .nojekyll\n",
            ".gitignore": "build/\n.sitegen-cache/\n",
        }
    )
    git(site, "init", "--quiet", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "The site")
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "--quiet", "origin", "main")
    return Repos(site, remote, tmp_path)


def edit(repos: Repos, title: str) -> None:
    """A content change, committed."""
    write_files(
        repos.site, {"content/briefings/2022-01-28-next.md": briefing_text("2022-01-28", title)}
    )
    git(repos.site, "add", "-A")
    git(repos.site, "commit", "--quiet", "-m", title)


def test_deploy_publishes_exactly_the_build(repos: Repos) -> None:
    code, out, err = deploy(repos.site)
    assert code == 0, err
    assert err == ""
    [line] = out.splitlines()
    assert line.startswith("Deployed ") and "origin/gh-pages" in line
    assert line.endswith(f"https://{DOMAIN}/")

    expected_out = repos.tmp / "expected"
    build(BuildOptions(repos.site, out=expected_out, no_cache=True))
    expected = {k: v for k, v in snapshot(expected_out).items() if k != MARKER}
    expected |= {".nojekyll": b"", "CNAME": f"{DOMAIN}\n".encode()}
    published = branch_files(repos.remote)
    # Pagefind's index differs from run to run; the list of its partitions is always there
    bundles = SEARCH_INDEX + BUNDLES_FILE
    assert bundles in published and bundles in expected
    assert without_index(published) == without_index(expected)
    assert published["_data/x.txt"] == b"kept by .nojekyll\n"  # a `_` folder survives
    assert tip(repos.site) == tip(repos.remote)
    assert git(repos.remote, "rev-list", "--count", "gh-pages") == "1"


def test_working_tree_index_and_current_branch_are_untouched(repos: Repos) -> None:
    site = repos.site
    write_files(
        site, {"content/actors/nato.md": "---\nname: NATO\nkind: organization\n---\nEdited.\n"}
    )
    write_files(site, {"static/staged.txt": "staged\n", "static/untracked.txt": "new\n"})
    git(site, "add", "static/staged.txt")

    def state() -> tuple:
        return (
            git(site, "status", "--porcelain"),
            git(site, "rev-parse", "HEAD"),
            git(site, "symbolic-ref", "HEAD"),
            sorted(str(p.relative_to(site)) for p in site.rglob("*") if ".git" not in p.parts),
        )

    before = state()
    index = (site / ".git" / "index").read_bytes()
    code, _, err = deploy(site)
    assert code == 0, err
    assert (site / ".git" / "index").read_bytes() == index
    assert state() == before
    assert not (site / "build").exists() and not (site / ".sitegen-cache").exists()
    published = branch_files(repos.remote)
    assert published["untracked.txt"] == b"new\n"  # the build is of the folder as it is
    message = git(site, "log", "-1", "--format=%s", "gh-pages")
    assert message.startswith("Deploy Test Briefings from ")
    assert message.endswith("(main, with uncommitted changes)")


def test_history_grows_by_one_commit_per_deploy_and_no_change_is_nothing(repos: Repos) -> None:
    assert deploy(repos.site)[0] == 0
    first = tip(repos.remote)
    edit(repos, "The next day")
    code, out, err = deploy(repos.site, "--message", "Second deploy")
    assert code == 0, err
    second = tip(repos.remote)
    assert git(repos.remote, "rev-parse", "gh-pages^") == first
    assert git(repos.remote, "log", "-1", "--format=%B", "gh-pages") == "Second deploy"
    assert b"The next day" in branch_files(repos.remote)["2022/01/28/index.html"]

    code, out, err = deploy(repos.site)
    assert code == 0, err
    assert out.startswith(
        f"Nothing to deploy: origin/gh-pages already holds this build ({second[:7]})"
    )
    assert tip(repos.remote) == second
    assert git(repos.remote, "rev-list", "--count", "gh-pages") == "2"


def test_a_failed_build_deploys_nothing(repos: Repos) -> None:
    write_files(repos.site, {"content/briefings/2022-01-27-brief.md": BROKEN})
    code, out, err = deploy(repos.site)
    assert code == 1 and out == ""
    assert err.startswith("content/briefings/2022-01-27-brief.md:3: date '2022-02-30'")
    assert tip(repos.site) is None and tip(repos.remote) is None

    git(repos.site, "checkout", "--quiet", "--", "content")
    assert deploy(repos.site)[0] == 0
    published = tip(repos.remote)
    write_files(repos.site, {"content/briefings/2022-01-27-brief.md": BROKEN})
    code, _, err = deploy(repos.site)
    assert code == 1, err
    assert tip(repos.site) == published == tip(repos.remote)


def test_a_remote_that_moved_on_is_refused_without_force(repos: Repos) -> None:
    assert deploy(repos.site)[0] == 0
    other = repos.tmp / "other"
    git(repos.tmp, "clone", "--quiet", "--branch", "gh-pages", str(repos.remote), str(other))
    write_files(other, {"extra.txt": "someone else's change\n"})
    git(other, "add", "extra.txt")
    git(other, "commit", "--quiet", "-m", "Someone else")
    git(other, "push", "--quiet", "origin", "gh-pages")
    theirs = tip(repos.remote)
    ours = tip(repos.site)
    edit(repos, "Our next day")

    code, out, err = deploy(repos.site)
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("origin/gh-pages: the remote branch has moved on") and "--force" in line
    assert tip(repos.remote) == theirs and tip(repos.site) == ours

    code, out, err = deploy(repos.site, "--force")
    assert code == 0, err
    assert git(repos.remote, "rev-parse", "gh-pages^") == theirs  # their history is kept
    assert "extra.txt" not in branch_files(repos.remote)  # the branch holds our build
    assert tip(repos.site) == tip(repos.remote)


def test_cname_is_kept_when_site_toml_no_longer_sets_it(repos: Repos) -> None:
    assert deploy(repos.site)[0] == 0
    write_files(repos.site, {"site.toml": SITE_TOML})
    edit(repos, "Without cname")
    code, _, err = deploy(repos.site)
    assert code == 0, err
    assert branch_files(repos.remote)["CNAME"] == f"{DOMAIN}\n".encode()


def test_no_push_commits_locally_and_the_next_deploy_pushes_it(repos: Repos) -> None:
    code, out, err = deploy(repos.site, "--no-push")
    assert code == 0, err
    assert "not pushed" in out
    committed = tip(repos.site)
    assert committed is not None and tip(repos.remote) is None

    code, out, err = deploy(repos.site)
    assert code == 0, err
    assert out.startswith(f"Pushed the deploy committed earlier ({committed[:7]})")
    assert tip(repos.remote) == committed


def test_a_rejected_push_is_an_error_and_moves_nothing(repos: Repos) -> None:
    hook = repos.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'deploys are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, out, err = deploy(repos.site)
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("origin/gh-pages: push rejected: ")
    assert line.endswith("(pre-receive hook declined); remote: deploys are frozen")
    assert tip(repos.site) is None and tip(repos.remote) is None


def test_a_deploy_stopped_after_the_remote_took_its_push_is_taken_up_by_the_next(
    repos: Repos,
) -> None:
    # Ctrl-C while git push waited for the remote: the remote held the new commit, the local
    # branch did not, and every later deploy was refused as "moved on" ("it is at X, which
    # does not contain Y", though X was made on top of Y)
    assert deploy(repos.site)[0] == 0
    first = tip(repos.site)
    marker = repos.tmp / "received"
    hook = repos.remote / "hooks" / "post-receive"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep 60\n")
    hook.chmod(0o755)
    edit(repos, "Stopped")
    command = [sys.executable, "-m", "sitegen", "deploy", "--site", str(repos.site)]
    # as from a terminal: a test runner in the background of a shell without job control
    # (CI's, or `pytest &`) has SIGINT ignored, which the deploy would inherit and keep
    restore = functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL)
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True, preexec_fn=restore)  # fmt: skip
    try:
        assert wait_until(marker.exists, 60)
        os.killpg(child.pid, signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == -signal.SIGINT and b"Traceback" not in err, err
    stopped = tip(repos.remote)
    assert stopped != first and tip(repos.site) == first
    hook.unlink()

    edit(repos, "After the stop")
    code, _, err = deploy(repos.site)
    assert code == 0, err
    assert git(repos.remote, "rev-parse", "gh-pages^") == stopped  # on top of the stopped one
    assert tip(repos.site) == tip(repos.remote)
    assert git(repos.site, "for-each-ref", "refs/sitegen") == ""


def test_not_a_git_repository(make_site, git_env: None) -> None:
    site = make_site()
    code, out, err = deploy(site)
    assert code == 1 and out == ""
    assert (
        err == f"{site}: not a git repository: sitegen deploy commits the build to a branch "
        "of the site's repository (git init, then git remote add origin URL)\n"
    )


def test_no_such_remote(repos: Repos) -> None:
    code, out, err = deploy(repos.site, "--remote", "upstream")
    assert code == 1 and out == ""
    assert err == "upstream: no such git remote (remotes: origin); add it or pass --remote NAME\n"


def test_a_remote_that_is_no_repository_is_named_with_the_cause(repos: Repos) -> None:
    # git's last line, "Could not read from remote repository.", was all the error said
    missing = repos.tmp / "moved.git"
    git(repos.site, "remote", "set-url", "origin", str(missing))
    code, out, err = deploy(repos.site)
    assert code == 1 and out == ""
    assert err == (
        f"origin/gh-pages: cannot reach the remote: fatal: '{missing}' does not appear to be "
        "a git repository (Could not read from remote repository.)\n"
    )


def test_the_checked_out_branch_is_refused(repos: Repos) -> None:
    code, _, err = deploy(repos.site, "--branch", "main")
    assert code == 1
    assert err.startswith("main: is checked out: ")
    assert tip(repos.remote, "main") == git(repos.site, "rev-parse", "HEAD")


def test_a_branch_of_the_sources_is_refused_as_the_deploy_branch(repos: Repos) -> None:
    # `sitegen deploy --branch main` from a feature branch committed the built site on top of
    # main and pushed it: the remote's main held the built site instead of the sources
    sources = tip(repos.remote, "main")
    git(repos.site, "checkout", "--quiet", "-b", "feature")
    code, out, err = deploy(repos.site, "--branch", "main")
    assert code == 1 and out == ""
    assert err == (
        "origin/main: holds the site's sources, not a deploy (its tip is in the history of "
        "your current branch): deploying there would replace them with the built site; pass "
        "the deploy branch (--branch, gh-pages by default)\n"
    )
    # main moved on after feature branched off: its tip is no ancestor, but holds site.toml
    git(repos.site, "checkout", "--quiet", "main")
    edit(repos, "Later on main")
    git(repos.site, "push", "--quiet", "origin", "main")
    sources = tip(repos.remote, "main")
    git(repos.site, "checkout", "--quiet", "feature")
    code, out, err = deploy(repos.site, "--branch", "main", "--force")
    assert code == 1 and out == ""
    assert err.startswith("origin/main: holds the site's sources, not a deploy (it has site.toml")
    assert tip(repos.remote, "main") == sources == tip(repos.site, "main")
    # a real deploy branch is still deployed to, and again
    assert deploy(repos.site)[0] == 0
    edit(repos, "On feature")
    code, _, err = deploy(repos.site)
    assert code == 0, err


def test_a_branch_of_the_sources_known_only_from_the_remote_is_refused_without_push(
    repos: Repos,
) -> None:
    # `--no-push --branch main` with no local main (a clone on a feature branch): the build
    # was committed on top of origin/main, the sources, to a new local main, and the hint
    # said `git push origin main` would publish it (replacing the sources on the remote)
    git(repos.site, "checkout", "--quiet", "-b", "feature")
    git(repos.site, "branch", "--quiet", "-D", "main")
    code, out, err = deploy(repos.site, "--no-push", "--branch", "main")
    assert code == 1 and out == ""
    assert err.startswith("main: holds the site's sources, not a deploy (its tip is in the ")
    assert git(repos.site, "branch", "--list", "main") == ""


def test_a_local_preview_base_url_is_warned_about(repos: Repos) -> None:
    write_files(repos.site, {"site.toml": 'title = "T"\nbase_url = "http://localhost:8000/"\n'})
    code, out, err = deploy(repos.site, "--no-push")
    assert code == 0, err
    assert err.startswith("site.toml: warning: base_url is still http://localhost:8000/: ")
    assert out.startswith("Committed ") and out.endswith(": http://localhost:8000/\n")
