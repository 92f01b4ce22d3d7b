"""The house's rules that no linter of its own checks: DEVELOPERS.md lists every module,
the modules that write files are known, and the layer contract and mypy hold (CI runs
both too; here they fail next to the test that explains them)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "sitegen"

# Every module that writes a file at all, and why it may. Only output.py writes the output
# folder; the others write below the staging folder it hands out, or elsewhere (DEVELOPERS.md,
# "Only output.py writes the output folder"). A new writer is added here, in review.
WRITERS = {
    "output.py": "the output folder: staging, commit, the marker that is also the lock",
    "workers.py": "rendered pages below OutputFolder.staging; a forkserver job's data (temp)",
    "search.py": "Pagefind's bundle below OutputFolder.staging; its scratch folder and logs",
    "cache.py": ".sitegen-cache/, each file by a temporary file and a rename",
    "deploy.py": ".nojekyll and CNAME in its own temporary build",
    "serve.py": "the preview's temporary folder (its pid file); that folder moved away",
    "scaffold.py": "sitegen init: a new site's files, never over an existing one",
    "ingest/writer.py": "content files (a temporary file, renamed); backups of those it replaces",
    "ingest/cache.py": "ingest's own cache, by a temporary file and a rename",
}
_WRITE_METHODS = {"write_text", "write_bytes", "rename", "touch", "symlink_to", "hardlink_to"}
_WRITE_FUNCTIONS = {
    ("os", "replace"), ("os", "rename"), ("os", "write"), ("os", "pwrite"), ("os", "link"),
    ("shutil", "copy"), ("shutil", "copy2"), ("shutil", "copyfile"), ("shutil", "copytree"),
    ("shutil", "move"), ("tempfile", "NamedTemporaryFile"), ("tempfile", "mkstemp"),
}  # fmt: skip
_WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT"}


def _writes(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open":
        mode = call.args[1] if len(call.args) > 1 else None
        mode = next((k.value for k in call.keywords if k.arg == "mode"), mode)
        return isinstance(mode, ast.Constant) and bool(set(str(mode.value)) & set("wax+"))
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value.id if isinstance(func.value, ast.Name) else None
    if owner == "os" and func.attr == "open":
        return any(isinstance(n, ast.Attribute) and n.attr in _WRITE_FLAGS
                   for arg in call.args[1:] for n in ast.walk(arg))  # fmt: skip
    return (owner, func.attr) in _WRITE_FUNCTIONS or (
        owner not in ("os", "shutil", "tempfile") and func.attr in _WRITE_METHODS
    )


def _modules() -> list[str]:
    return sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))


def test_developers_md_lists_every_module_with_its_stage() -> None:
    text = (REPO / "DEVELOPERS.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    listed: dict[str, str] = {}
    folder = ""
    for line in layout.splitlines():
        match = re.match(r"^( +)(\S+)\s*(.*)$", line)
        if match is None:
            continue
        indent, name, says = match.groups()
        if len(indent) == 2:  # src/sitegen/ itself; a folder line opens its modules
            folder = name if name.endswith("/") else ""
        if name.endswith(".py"):
            listed[(folder if len(indent) > 2 else "") + name] = says
    assert sorted(listed) == _modules()
    assert all(listed.values()), "every module gets a line that says what it owns"


def test_the_modules_that_write_files_are_the_known_ones() -> None:
    writers = set()
    for name in _modules():
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        if any(isinstance(node, ast.Call) and _writes(node) for node in ast.walk(tree)):
            writers.add(name)
    assert writers == set(WRITERS)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_the_layer_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = _run(str(lint_imports), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert " BROKEN" not in done.stdout


def test_mypy_finds_no_error() -> None:
    done = _run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
