"""The GitHub Pages workflows, run as a fresh runner would run them.

Each `run:` step of the build job runs literally, in order, with `bash -e` (GitHub's default
shell), in a fresh clone and with a fresh venv first on PATH. The `uses:` steps are
simulated: checkout is that `git clone`, setup-python that venv (with a current pip),
configure-pages gives a realistic `base_url`, and upload-pages-artifact is where the built
site is checked. The
repository is cloned as it is on disk (committed or not), so that the test sees the edits
it is run on; `sitegen init`'s site installs sitegen from that clone, by a git URL as a real
site's requirements.txt does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from sitegen.scaffold import create_site

pytestmark = pytest.mark.slow

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PIP_TIMEOUT = 900
# pip's own patience with the package index, for every pip the steps run: a runner's pip
# retries 5 times with 15 s for each read, and a slow or flaky index failed a whole job
# here. More retries and a longer read change nothing the workflow does.
PIP_PATIENCE = {"PIP_RETRIES": "10", "PIP_TIMEOUT": "60"}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit_all(folder: Path) -> None:
    git("init", "-q", "-b", "main", cwd=folder)
    git("add", "-A", cwd=folder)
    git("commit", "-q", "-m", "snapshot", cwd=folder)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository as it is on disk (tracked and new files, not ignored ones), committed
    to a new git repository that the runners clone."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of sitegen")
    origin = tmp_path_factory.mktemp("origin") / "sitegen"
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO)
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted but not yet committed is left out
            (origin / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, origin / name)
    commit_all(origin)
    return origin


class Runner:
    """One job's runner: a checkout, a venv and the environment its steps see."""

    def __init__(self, root: Path, repository: Path, base_url: str) -> None:
        self.root = root
        self.workspace = root / "workspace"
        self.venv = root / "python"
        self.temp = root / "runner-temp"
        self.repository = repository
        self.base_url = base_url
        self.outputs: dict[str, dict[str, str]] = {}
        self.artifact: Path | None = None
        self.log: list[str] = []

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env.update(CI="true", GITHUB_ACTIONS="true", RUNNER_TEMP=str(self.temp))
        env.update(PIP_PATIENCE)
        env["GITHUB_WORKSPACE"] = str(self.workspace)
        env.update(extra)
        return env

    def expand(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", match[1])
            if found is None or found[2] not in self.outputs.get(found[1], {}):
                pytest.fail(f"the test does not know the expression {match[0]!r}")
            return self.outputs[found[1]][found[2]]

        return EXPRESSION.sub(value, text)

    def uses(self, step: dict[str, Any]) -> None:
        action = step["uses"].split("@")[0]
        if action == "actions/checkout":
            git("clone", "-q", str(self.repository), str(self.workspace), cwd=self.root)
        elif action == "actions/setup-python":
            self.temp.mkdir()
            subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True, timeout=300)
            # setup-python's Python comes with a current pip (a venv's bundled one may be
            # too old to read `name @ git+file:///...`)
            upgrade = [str(self.venv / "bin" / "python"), "-m", "pip", "install", "-q", "-U", "pip"]
            subprocess.run(
                upgrade, check=True, timeout=PIP_TIMEOUT, capture_output=True,
                env={**os.environ, **PIP_PATIENCE},
            )  # fmt: skip
        elif action == "actions/configure-pages":
            self.outputs[step["id"]] = {"base_url": self.base_url}
        elif action == "actions/upload-pages-artifact":
            self.artifact = self.workspace / step["with"]["path"]
        else:
            pytest.fail(f"the test does not simulate {action}")

    def run(self, step: dict[str, Any]) -> None:
        script = self.temp / f"step-{len(self.log)}.sh"
        script.write_text(self.expand(step["run"]) + "\n")
        env = self.environment({k: self.expand(str(v)) for k, v in step.get("env", {}).items()})
        where = self.workspace / step.get("working-directory", ".")
        done = subprocess.run(
            ["bash", "-e", str(script)], cwd=where, env=env, capture_output=True, text=True,
            timeout=PIP_TIMEOUT, check=False,
        )  # fmt: skip
        self.log.append(f"$ {step['run']}\n{done.stdout}{done.stderr}")
        assert done.returncode == 0, "\n".join(self.log)

    def job(self, workflow: Path, name: str = "build") -> None:
        for step in yaml.safe_load(workflow.read_text())["jobs"][name]["steps"]:
            if "uses" in step:
                self.uses(step)
            else:
                self.run(step)


def check_site(site: Path | None, prefix: str) -> None:
    """The published folder is a whole site whose links all carry the base path."""
    assert site is not None and (site / "index.html").is_file()
    assert (site / "404.html").is_file() and (site / "feed.xml").is_file()
    pages = list(site.rglob("*.html"))
    assert len(pages) > 5
    assert any(p.parent.parent.name == "actors" for p in pages), "no actor page"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        links = re.findall(r'(?:href|src|action)="(/[^"]*)"', text)
        stray = [link for link in links if not link.startswith(prefix)]
        assert not stray, f"{page}: links outside {prefix}: {stray[:5]}"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{prefix}actors/' in home


def test_this_repositorys_pages_workflow_builds_the_example_site(
    repository: Path, tmp_path: Path
) -> None:
    runner = Runner(tmp_path, repository, "https://owner.github.io/sitegen")
    runner.job(repository / ".github" / "workflows" / "pages.yml")
    check_site(runner.artifact, "/sitegen/")
    assert runner.artifact is not None
    assert (runner.artifact / "2022" / "01" / "27" / "index.html").is_file()


def test_sitegen_inits_pages_workflow_builds_the_new_site(repository: Path, tmp_path: Path) -> None:
    site = tmp_path / "origin" / "my-briefings"
    create_site(site)
    (site / "requirements.txt").write_text(f"sitegen @ git+file://{repository}\n")
    commit_all(site)
    runner = Runner(tmp_path / "runner", site, "https://owner.github.io/my-briefings")
    runner.root.mkdir()
    runner.job(site / ".github" / "workflows" / "pages.yml")
    check_site(runner.artifact, "/my-briefings/")
