"""Deploy: a clean production build, committed to a branch (gh-pages) and pushed.

Only git plumbing, so that the working tree, the index and the current branch are never
touched: the build goes to a temporary folder; its files become blobs (`hash-object`, with no
filters, so the user's attributes, line-ending settings and ignore rules cannot change what is
published), a tree (`update-index` on a temporary index file, `write-tree`), and a commit whose
parent is the branch's previous tip (`commit-tree`), so the branch keeps its history. The
commit is pushed as it is (never forced), the remote is asked whether it really holds it, and
only then does the local branch move (`update-ref`).

A remote branch that has moved on since the last deploy from here (someone else deployed, or
edited the branch) is refused: the new tree would silently drop their changes. `--force`
deploys anyway, on top of the remote's tip, so even then nothing is lost from the history.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build import BuildOptions, Progress, build
from sitegen.config import CONFIG_NAME, SiteConfig, load_config
from sitegen.diagnostics import Diagnostic, Diagnostics, SitegenError
from sitegen.output import MARKER
from sitegen.search import BUNDLE, BUNDLES_FILE, ENTRY

NOJEKYLL = ".nojekyll"  # GitHub Pages would otherwise drop files and folders starting with _
CNAME = "CNAME"  # GitHub Pages' custom domain
LOCAL_PREVIEW = "http://localhost:8000/"
# The commit being pushed, named before the push and forgotten once the branch moved to it:
# a deploy stopped in between (Ctrl-C, kill, a lost connection) may have put it on the
# remote, and the next deploy knows it for its own instead of a remote that moved on.
PUSHING = "refs/sitegen/pushing/"
# The search index (search.py): Pagefind writes it differently on every run over the same
# pages, so a difference there alone is no change to deploy, as long as the same partitions
# (their pagefind-entry.json) and the list of them (bundles.json) are there.
SEARCH_INDEX = f"{BUNDLE}/"
SEARCH_LISTS = (ENTRY, BUNDLES_FILE)


@dataclass
class DeployOptions:
    site: Path = Path(".")
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str | None = None  # the commit message; by default it names the source commit
    push: bool = True
    force: bool = False  # deploy even when the remote branch moved on (on top of its tip)


@dataclass
class DeployResult:
    url: str
    summary: str  # one line for the user, ending with the site's URL
    commit: str | None  # the commit the branch holds now
    files: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)


def _short(commit: str | None) -> str:
    return (commit or "none")[:7]


def _fail(where: str | Path, message: str) -> SitegenError:
    return SitegenError([Diagnostic(str(where), None, message)])


_UNREADABLE = "fatal: Could not read from remote repository."


def _reason(stderr: str) -> str:
    """The line of git's complaint worth showing: a refused ref (with what the remote said
    about it), else git's last error."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    refused = [line.removeprefix("! ") for line in lines if line.startswith("! ")]
    if refused:
        said = [line for line in lines if line.startswith("remote: ") and line != "remote:"]
        return "; ".join(refused[:1] + said[:1])
    for marker in ("fatal:", "error:"):
        found = [i for i, line in enumerate(lines) if line.startswith(marker)]
        if found:
            at = found[-1]
            # git's closing words for any remote it cannot use; the cause is the line before
            # (ssh's, or "'/x.git' does not appear to be a git repository")
            if lines[at] == _UNREADABLE and at > 0:
                return f"{lines[at - 1]} ({_UNREADABLE.removeprefix('fatal: ')})"
            return lines[at]
    return lines[-1] if lines else "git gave no reason"


class Git:
    """Runs git in the site's repository; unexpected failures become one-line errors."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(
        self,
        *args: str,
        stdin: str | bytes | None = None,
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=self.cwd,
                input=data,
                capture_output=True,
                env={**os.environ, **env} if env else None,
                check=False,
            )
        except FileNotFoundError:
            raise _fail("git", "not found: sitegen deploy needs git on the PATH") from None
        result = subprocess.CompletedProcess(
            done.args,
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )
        if check and result.returncode != 0:
            command = next((a for a in args if not a.startswith("-")), "")
            raise _fail(f"git {command}".strip(), _reason(result.stderr))
        return result

    def out(self, *args: str, **kwargs) -> str:
        return self.run(*args, **kwargs).stdout.strip()

    def commit(self, ref: str) -> str | None:
        """The commit `ref` names, or None."""
        found = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return found.stdout.strip() if found.returncode == 0 else None

    def tree(self, commit: str) -> str:
        return self.out("rev-parse", f"{commit}^{{tree}}")

    def holds(self, commit: str, tree: str) -> bool:
        """Whether the commit holds this tree, differences in the search index aside."""
        old = self.tree(commit)
        if old == tree:
            return True
        changes = self.out("diff-tree", "-r", "--no-renames", "--name-status", old, tree)
        for line in changes.splitlines():
            status, path = line.split("\t", 1)
            if not path.startswith(SEARCH_INDEX):
                return False
            if path.rsplit("/", 1)[-1] in SEARCH_LISTS and status != "M":  # came or went
                return False
        return True

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


# --------------------------------------------------------------------------- checks


def _open_repository(site: Path) -> Git:
    if not site.is_dir():
        raise _fail(site, "no such folder")
    git = Git(site)
    found = git.run("rev-parse", "--is-inside-work-tree", check=False)
    if found.returncode != 0 or found.stdout.strip() != "true":
        raise _fail(
            site,
            "not a git repository: sitegen deploy commits the build to a branch of the "
            "site's repository (git init, then git remote add origin URL)",
        )
    return git


# What `git check-ref-format` refuses in a name (git help check-ref-format): control
# characters, space, ~ ^ : ? * [ \\, "..", "@{", and components that start with "." or end
# with ".lock"; `--branch` also refuses "HEAD" and a leading "-". A leading "+" is refused
# too: `git push REMOTE +main` is a forced update, whatever the refspec's other side.
_REF_NAME_PROBLEMS = (
    (lambda name: not name, "it is empty"),
    (lambda name: name.startswith("-"), "it starts with '-' (git would read it as an option)"),
    (
        lambda name: name.startswith("+"),
        "it starts with '+' (git push would read it as a forced update)",
    ),
    (lambda name: name in ("HEAD", "@"), "it names git's current commit"),
    (
        lambda name: any(ord(c) < 0x20 or c in " ~^:?*[\\\x7f" for c in name),
        "it holds a space, a control character or one of ~ ^ : ? * [ \\",
    ),
    (lambda name: ".." in name or "@{" in name, "it holds '..' or '@{'"),
    (
        lambda name: name.startswith("/") or name.endswith(("/", ".")) or "//" in name,
        "it starts or ends with '/', ends with '.' or holds '//'",
    ),
    (
        lambda name: any(p.startswith(".") or p.endswith(".lock") for p in name.split("/")),
        "a part of it starts with '.' or ends with '.lock'",
    ),
)


def ref_name_problem(name: str) -> str | None:
    """Why git would refuse `name` as a branch name (as `git check-ref-format --branch`
    does, without asking git, so that nothing in it is ever read as an option), or None.
    Remote names follow the same rules."""
    return next((why for test, why in _REF_NAME_PROBLEMS if test(name)), None)


def _check_names(options: DeployOptions) -> None:
    for name, kind in ((options.branch, "branch"), (options.remote, "remote")):
        problem = ref_name_problem(name)
        if problem is not None:
            shown = name if name.isprintable() and name else repr(name)
            raise _fail(shown, f"not a valid {kind} name: {problem}")


def _check_branch(git: Git, branch: str) -> None:
    if git.run("check-ref-format", f"refs/heads/{branch}", check=False).returncode != 0:
        raise _fail(branch, "not a valid branch name")  # git's own rules, if they grew
    worktrees = git.out("worktree", "list", "--porcelain")
    if f"branch refs/heads/{branch}" in worktrees.splitlines():
        raise _fail(
            branch,
            "is checked out: deploy would change files under your feet; switch to your "
            "source branch (sitegen deploy never needs the deploy branch checked out)",
        )


def _check_remote(git: Git, remote: str) -> None:
    if git.run("remote", "get-url", remote, check=False).returncode != 0:
        names = git.out("remote").split()
        known = f" (remotes: {', '.join(names)})" if names else " (this repository has none)"
        raise _fail(remote, f"no such git remote{known}; add it or pass --remote NAME")


def _check_not_sources(git: Git, target: str, tips: Sequence[str | None]) -> None:
    """Refuse a deploy branch that holds the site's sources (`--branch main` from a feature
    branch): the build would be committed on top of them and pushed, the sources' files
    replaced by the built site. A branch is taken for the sources when its tip is in the
    history of the current branch, or has the site's site.toml and not the `.nojekyll`
    every deploy writes."""
    head = git.commit("HEAD")
    config = git.out("rev-parse", "--show-prefix") + CONFIG_NAME
    for tip in dict.fromkeys(t for t in tips if t is not None):
        if head is not None and git.is_ancestor(tip, head):
            why = "its tip is in the history of your current branch"
        elif _has_file(git, tip, config) and not _has_file(git, tip, NOJEKYLL):
            why = f"it has {config} and no {NOJEKYLL}"
        else:
            continue
        raise _fail(
            target,
            f"holds the site's sources, not a deploy ({why}): deploying there would replace "
            "them with the built site; pass the deploy branch (--branch, gh-pages by default)",
        )


def _has_file(git: Git, commit: str, path: str) -> bool:
    return git.run("cat-file", "-e", f"{commit}:{path}", check=False).returncode == 0


def _remote_tip(git: Git, remote: str, branch: str) -> str | None:
    """The remote branch's tip (fetched, so that it can be a parent), or None if it has none."""
    ref = f"refs/heads/{branch}"
    listed = git.run("ls-remote", "--exit-code", remote, ref, check=False)
    if listed.returncode == 2:
        return None
    if listed.returncode != 0:
        raise _fail(f"{remote}/{branch}", f"cannot reach the remote: {_reason(listed.stderr)}")
    tip = listed.stdout.split()[0]
    if git.commit(tip) is None:
        git.run("fetch", "--quiet", "--no-tags", remote, f"+{ref}:refs/remotes/{remote}/{branch}")
    return tip


# --------------------------------------------------------------------------- the tree


def _site_files(out: Path) -> list[str]:
    """Every file of the build, as relative POSIX paths (the build's marker left out)."""
    files = []
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames.sort()
        for name in sorted(filenames):
            relative = (Path(dirpath) / name).relative_to(out).as_posix()
            if relative != MARKER:
                files.append(relative)
    for relative in files:
        if "\n" in relative or "\r" in relative:
            raise _fail(relative, "cannot deploy a file whose name contains a line break")
    return files


def _add_pages_files(out: Path, config: SiteConfig, git: Git, previous: str | None) -> None:
    """.nojekyll always; CNAME from site.toml, else the one the previous deploy had."""
    (out / NOJEKYLL).write_bytes(b"")
    if config.cname:
        (out / CNAME).write_text(config.cname + "\n", encoding="utf-8")
    elif previous and not (out / CNAME).exists():
        kept = git.run("cat-file", "blob", f"{previous}:{CNAME}", check=False)
        if kept.returncode == 0:
            (out / CNAME).write_text(kept.stdout, encoding="utf-8")


def _write_tree(git: Git, out: Path, files: Sequence[str], scratch: Path) -> str:
    """The build as a git tree, through a temporary index: the real one is never used."""
    paths = "".join(f"{out / relative}\n" for relative in files)
    blobs = git.out("hash-object", "-w", "--no-filters", "--stdin-paths", stdin=paths).split()
    entries = []
    for relative, blob in zip(files, blobs, strict=True):
        mode = "100755" if os.stat(out / relative).st_mode & 0o111 else "100644"
        entries.append(f"{mode} {blob}\t{relative}\0")
    env = {"GIT_INDEX_FILE": str(scratch / "index")}
    git.run("update-index", "--add", "-z", "--index-info", stdin="".join(entries), env=env)
    return git.out("write-tree", env=env)


# --------------------------------------------------------------------------- deploy


def _default_message(git: Git, config: SiteConfig) -> str:
    head = git.commit("HEAD")
    if head is None:
        return f"Deploy {config.title}"
    branch = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
    where = [branch or "detached HEAD"]
    # --no-optional-locks: status must not refresh and rewrite the index
    changes = git.out("--no-optional-locks", "status", "--porcelain", "--", str(config.root))
    if changes:
        where.append("with uncommitted changes")
    return f"Deploy {config.title} from {head[:12]} ({', '.join(where)})"


def _config_warnings(config: SiteConfig) -> list[Diagnostic]:
    path = CONFIG_NAME  # reported like the build's problems: relative to the site
    warnings = []
    if config.base_url == LOCAL_PREVIEW:
        warnings.append(
            Diagnostic(
                path, None,
                f"base_url is still {LOCAL_PREVIEW}: set it to the address the site is "
                "served from, or its links and feeds will point at the wrong place",
                "warning",
            )
        )  # fmt: skip
    host = config.base_url.split("/")[2] if "//" in config.base_url else ""
    if config.cname and host.lower() != config.cname.lower():
        warnings.append(
            Diagnostic(
                path, None,
                f"cname is {config.cname!r} but base_url's host is {host!r}: "
                f"set base_url to https://{config.cname}/",
                "warning",
            )
        )  # fmt: skip
    return warnings


def _choose_parent(
    git: Git, local: str | None, remote: str | None, options: DeployOptions
) -> tuple[str | None, bool]:
    """(the previous tip to build on, whether the remote moved on since our last deploy)."""
    if not options.push:  # no network: the local branch, else what we last saw of the remote
        return local or git.commit(f"refs/remotes/{options.remote}/{options.branch}"), False
    if remote is None or local is None or local == remote:
        return local or remote, False
    if git.is_ancestor(remote, local):  # earlier --no-push deploys, not pushed yet
        return local, False
    return remote, True


@dataclass
class _Outcome:
    url: str
    files: int
    warnings: list[Diagnostic]

    def done(self, text: str, commit: str | None = None) -> DeployResult:
        return DeployResult(self.url, f"{text}: {self.url}", commit, self.files, self.warnings)

    def nothing(self, target: str, commit: str) -> DeployResult:
        text = f"Nothing to deploy: {target} already holds this build ({_short(commit)})"
        return DeployResult(self.url, f"{text}: {self.url}", commit, 0, self.warnings)


def _build_tree(
    git: Git, options: DeployOptions, previous: str | None, progress: Progress | None
) -> tuple[str, SiteConfig, _Outcome]:
    """A clean production build in a temporary folder, as a tree in the repository."""
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as scratch:
        out = Path(scratch) / "site"
        built = build(BuildOptions(options.site, out=out, no_cache=True), progress)
        config = load_config(options.site, Diagnostics(root=options.site.resolve()))
        assert config is not None  # the build has just read it without errors
        _add_pages_files(out, config, git, previous)
        files = _site_files(out)
        tree = _write_tree(git, out, files, Path(scratch))
    warnings = [*built.warnings, *_config_warnings(config)]
    return tree, config, _Outcome(config.base_url, len(files), warnings)


def deploy(options: DeployOptions, progress: Progress | None = None) -> DeployResult:
    _check_names(options)
    git = _open_repository(options.site.resolve())
    _check_branch(git, options.branch)
    if options.push:
        _check_remote(git, options.remote)
    local = git.commit(f"refs/heads/{options.branch}")
    remote = _remote_tip(git, options.remote, options.branch) if options.push else None
    if options.push:
        local = _adopt_stopped_push(git, options.branch, local, remote)
    parent, moved_on = _choose_parent(git, local, remote, options)
    target = f"{options.remote}/{options.branch}" if options.push else options.branch
    # (the parent too: with --no-push it may be what was last seen of the remote's branch)
    _check_not_sources(git, target, [local, remote, parent])
    tree, config, outcome = _build_tree(git, options, parent, progress)

    if remote is not None and git.holds(remote, tree):  # e.g. a colleague deployed the same
        if local is None or git.is_ancestor(local, remote):
            _move_branch(git, options.branch, remote, local)
        return outcome.nothing(target, remote)
    if moved_on and not options.force:
        on_top = local is not None and remote is not None and git.is_ancestor(local, remote)
        where = (
            f"{_short(remote)}, a commit made elsewhere on top of {_short(local)}"
            if on_top
            else f"{_short(remote)}, which does not contain {_short(local)}"
        )
        raise _fail(
            target,
            f"the remote branch has moved on since the last deploy from here (it is at "
            f"{where}): deploy with --force to put this build on top of it (its history is "
            "kept)",
        )
    if parent is not None and git.holds(parent, tree):
        if options.push and parent != remote:  # committed earlier with --no-push
            _push(git, options, parent)
            _forget_push(git, options.branch)
            text = f"Pushed the deploy committed earlier ({_short(parent)}) to {target}"
            return outcome.done(text, parent)
        return outcome.nothing(target, parent)

    message = options.message or _default_message(git, config)
    args = ["commit-tree", tree, "-F", "-"] + (["-p", parent] if parent else [])
    commit = git.out(*args, stdin=message + "\n")
    if options.push:
        _push(git, options, commit)
    _move_branch(git, options.branch, commit, local)
    _forget_push(git, options.branch)
    files = f"{outcome.files:,} files"
    if options.push:
        return outcome.done(f"Deployed {files} to {target} ({_short(commit)})", commit)
    return outcome.done(
        f"Committed {files} to {options.branch} ({_short(commit)}), not pushed "
        f"(git push {options.remote} {options.branch} publishes it)",
        commit,
    )


def _push(git: Git, options: DeployOptions, commit: str) -> None:
    """Push without force, then ask the remote whether it really holds the commit."""
    where = f"{options.remote}/{options.branch}"
    git.run("update-ref", PUSHING + options.branch, commit)
    pushed = git.run("push", options.remote, f"{commit}:refs/heads/{options.branch}", check=False)
    if pushed.returncode != 0:
        _forget_push(git, options.branch)
        raise _fail(where, f"push rejected: {_reason(pushed.stderr)}")
    now = _remote_tip(git, options.remote, options.branch)
    if now != commit:
        raise _fail(where, f"push reported success but the remote holds {now}, not {commit}")


def _forget_push(git: Git, branch: str) -> None:
    git.run("update-ref", "-d", PUSHING + branch, check=False)


def _adopt_stopped_push(git: Git, branch: str, local: str | None, remote: str | None) -> str | None:
    """The local branch's tip, moved to the remote's when the remote holds the commit that a
    deploy stopped during its push (after the remote took it) had made on top of it."""
    pushing = git.commit(PUSHING + branch)
    if pushing is None:
        return local
    if pushing == remote and (local is None or git.is_ancestor(local, remote)):
        _move_branch(git, branch, remote, local)
        local = remote
    _forget_push(git, branch)
    return local


def _move_branch(git: Git, branch: str, new: str, old: str | None) -> None:
    """Point the local branch at `new` if it still is at `old` (it may not exist)."""
    git.run("update-ref", "-m", "sitegen deploy", f"refs/heads/{branch}", new, old or "")
