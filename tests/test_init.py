"""`sitegen init`: a new site that builds at once, and the GitHub Pages workflows."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, run_build, snapshot

from sitegen.cli import main

REPO_WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def init(folder: Path) -> tuple[int, str, str]:
    result = CliRunner(catch_exceptions=False).invoke(main, ["init", str(folder)])
    return result.exit_code, result.stdout, result.stderr


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `sitegen init` (not built; tests that build copy it)."""
    site = tmp_path_factory.mktemp("init") / "my-briefings"
    INIT_DAYS.add(dt.date.today().isoformat())
    code, _, err = init(site)
    INIT_DAYS.add(dt.date.today().isoformat())  # (another, when init ran across midnight)
    assert code == 0, err
    return site


INIT_DAYS: set[str] = set()  # the days `sitegen init` may have taken as today


def test_init_makes_a_site_that_builds_at_once(scaffolded: Path, tmp_path: Path) -> None:
    # the welcome briefing is dated the day init ran, not the day this test runs: the
    # fixture may have run before midnight and this test after (a suite run, a slow one)
    [today] = [
        day for day in INIT_DAYS if (scaffolded / f"content/briefings/{day}-welcome.md").exists()
    ]
    assert files_under(scaffolded) == {
        "site.toml",
        f"content/briefings/{today}-welcome.md",
        "content/actors/alex-rivera.md",
        "content/actors/city-council.md",
        "templates/README.md",
        ".gitignore",
        ".github/workflows/pages.yml",
        "requirements.txt",
    }
    assert 'title = "My Briefings"' in (scaffolded / "site.toml").read_text()
    assert {"build/", ".sitegen-cache/"} <= set((scaffolded / ".gitignore").read_text().split())

    site = tmp_path / "site"
    shutil.copytree(scaffolded, site)
    code, _, err = run_build(site, "--strict")  # not even a warning
    assert code == 0, err
    assert err == ""
    assert (site / "build" / "actors" / "alex-rivera" / "index.html").is_file()
    day = (site / "build" / today.replace("-", "/") / "index.html").read_text()
    assert 'href="/actors/city-council/"' in day  # the example mentions link


def test_the_gitignore_keeps_what_sitegen_writes_beside_the_sources_out_of_git(
    scaffolded: Path, tmp_path: Path
) -> None:
    """The output, the cache, and the copies `sitegen ingest --force` keeps of the briefings
    it replaced (.sitegen-backups/: old versions, drafts too) are not the site's sources: a
    `git add -A` in a new site left the backups staged for the next commit."""
    site = tmp_path / "site"
    shutil.copytree(scaffolded, site)
    written = [
        "build/index.html",
        "_site/index.html",
        ".sitegen-cache/x",
        ".sitegen-backups/content/briefings/2022-01-27-a.md.bak-20261207044451",
    ]
    for name in written:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=site, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert not [name for name in written if name in status], status
    assert "site.toml" in status


def test_init_prints_what_it_made_and_what_to_do_next(tmp_path: Path) -> None:
    code, out, err = init(tmp_path / "new")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"Created a site in {tmp_path / 'new'}/:"
    assert "  site.toml" in lines
    assert lines[-1] == f"Next: sitegen build --site {tmp_path / 'new'}"


def test_the_next_command_is_quoted_for_the_shell_when_the_path_needs_it(tmp_path: Path) -> None:
    code, out, _ = init(tmp_path / "my desk")
    assert code == 0
    assert out.splitlines()[-1] == f"Next: sitegen build --site '{tmp_path / 'my desk'}'"


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = init(tmp_path / "empty")
    assert code == 0, err
    assert (tmp_path / "empty" / "site.toml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    code, out, err = init(folder)
    assert code == 1 and out == ""
    assert err == (
        f"{folder}: exists and is not empty: sitegen init makes a site in a new or empty folder\n"
    )
    assert files_under(folder) == {"notes.txt"}
    assert (folder / "notes.txt").read_text() == "mine\n"


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    code, _, err = init(tmp_path / "file")
    assert code == 1
    assert err == f"{tmp_path / 'file'}: exists and is not a folder\n"


def test_init_names_a_broken_link(tmp_path: Path) -> None:
    """It was 'cannot write: File exists', of a path that does not exist."""
    (tmp_path / "site").symlink_to(tmp_path / "gone")
    code, _, err = init(tmp_path / "site")
    assert code == 1
    assert err == f"{tmp_path / 'site'}: broken symbolic link (to {tmp_path / 'gone'}): remove it\n"
    assert not (tmp_path / "gone").exists()


# --------------------------------------------------------------------------- workflows


def check_jsonschema() -> list[str]:
    script = Path(sys.executable).with_name("check-jsonschema")
    if script.is_file():
        return [str(script)]
    found = shutil.which("check-jsonschema")
    if found:
        return [found]
    if os.environ.get("SITEGEN_REQUIRE_TOOLS") == "1":
        pytest.fail("check-jsonschema is missing (pip install -e '.[test]')")
    pytest.skip("check-jsonschema is not installed")


def workflows(scaffolded: Path) -> dict[str, Path]:
    return {
        "scaffolded": scaffolded / ".github" / "workflows" / "pages.yml",
        "repository": REPO_WORKFLOW,
    }


@pytest.mark.parametrize("which", ["scaffolded", "repository"])
def test_workflow_is_valid_for_github(scaffolded: Path, which: str) -> None:
    path = workflows(scaffolded)[which]
    done = subprocess.run(
        [*check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("which", ["scaffolded", "repository"])
def test_workflow_builds_with_the_pages_base_url(scaffolded: Path, which: str) -> None:
    """GitHub's own Pages actions; the build gets configure-pages' base_url."""
    workflow = yaml.safe_load(workflows(scaffolded)[which].read_text())
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    configure = steps["actions/configure-pages"]
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "_site/"
    [build_step] = [s for s in build["steps"] if "sitegen build" in s.get("run", "")]
    assert build_step["run"] == 'sitegen build --base-url "$BASE_URL" --out _site'
    assert build_step["env"]["BASE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    [deploy_step] = deploy["steps"]
    assert deploy_step["uses"].startswith("actions/deploy-pages@")


@pytest.mark.parametrize(
    ("name", "title"),
    [("q\x1bw", "Q W"), ("k\x7fl", "K L"), ("line\nbreak", "Line Break"), ('say "hi"\\', None)],
)
def test_a_name_with_odd_characters_makes_a_site_that_builds(name, title, tmp_path) -> None:
    site = tmp_path / name
    code, out, err = init(site)
    assert code == 0, err
    text = (site / "site.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text)["title"] == (title or name.title())
    build_code, build_out, build_err = run_build(site, "--strict")
    assert build_code == 0, build_err
    for line in (out + build_out).splitlines():  # each line whole, no raw ESC or DEL
        assert line.isprintable(), line
    assert len(build_out.splitlines()) == 1


def test_the_next_line_pastes_back_to_the_folders_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "it's\x1b\\odd"
    code, out, err = init(Path(name))
    assert code == 0, err
    next_line = out.splitlines()[-1]
    assert next_line.isprintable(), next_line  # a raw ESC would drive the terminal
    word = next_line.removeprefix("Next: sitegen build --site ")
    pasted = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, text=True)
    assert pasted.stdout == name


def test_a_name_that_is_not_utf8_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"\xfe")
    code, out, err = init(folder)
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"{tmp_path}/\\udcfe: the folder's name is not UTF-8: {NOT_UTF8}"]
    assert not os.path.lexists(folder)


NOT_UTF8 = "site.toml could not hold it as the title"


@pytest.mark.parametrize(  # base.html: the theme's page templates extend it (they were named)
    "template", ["day.html", "index.html", "actor.html", "archive.html", "404.html", "base.html"]
)
@pytest.mark.parametrize("text", ["", "  \n\t\n", "{% if false %}x{% endif %}\n"])
def test_a_page_template_that_renders_nothing_is_one_line_at_it(
    scaffolded: Path, tmp_path: Path, template: str, text: str
) -> None:
    site = tmp_path / "site"
    shutil.copytree(scaffolded, site)
    assert run_build(site)[0] == 0
    before = snapshot(site / "build")
    (site / "templates" / template).write_text(text)
    code, _, err = run_build(site)
    assert code == 1
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"templates/{template}:1: renders an empty page (while rendering /")
    assert snapshot(site / "build") == before


@pytest.mark.parametrize(
    "text",
    [
        "<!doctype html><title>x</title><p>{{ page.url }}</p>",  # no <html>: Pagefind skips it
        "<!doctype html><html><body><main data-pagefind-body> </main></body></html>",
        "<!doctype html><html><body><p> </p></body></html>",
    ],
)
def test_a_day_template_with_nothing_for_search_is_one_line_at_it(
    scaffolded: Path, tmp_path: Path, text: str
) -> None:
    site = tmp_path / "site"
    shutil.copytree(scaffolded, site)
    assert run_build(site)[0] == 0
    before = snapshot(site / "build")
    (site / "templates" / "day.html").write_text(text)
    code, _, err = run_build(site)
    assert code == 1
    assert len(err.splitlines()) == 1, err
    assert err.startswith("templates/day.html:1: search finds no text on the pages made with")
    assert snapshot(site / "build") == before
    # with search off, such a page is the editor's to make, as in Hugo or Zola
    toml = site / "site.toml"
    toml.write_text(toml.read_text() + "\n[search]\nenabled = false\n")
    assert run_build(site)[0] == 0


def test_a_base_template_with_nothing_for_search_is_named_not_the_themes_day_html(
    scaffolded: Path, tmp_path: Path
) -> None:
    # an overridden base.html without <html>: the line named templates/day.html, a file
    # the site does not have
    site = tmp_path / "site"
    shutil.copytree(scaffolded, site)
    assert run_build(site)[0] == 0
    before = snapshot(site / "build")
    (site / "templates/base.html").write_text("<!doctype html>{% block main %}{% endblock %}")
    code, _, err = run_build(site)
    assert code == 1
    assert err.startswith("templates/base.html:1: search finds no text on the pages made with")
    assert len(err.splitlines()) == 1, err
    assert snapshot(site / "build") == before
