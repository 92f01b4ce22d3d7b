"""Golden output: the whole build of tests/golden/site must equal tests/golden/expected/.

After an intended change of output, update the golden files with
    SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff in git before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.build import BuildOptions, build
from sitegen.output import MARKER

GOLDEN = Path(__file__).parent / "golden"


# Pagefind's search index: binary, and its bytes change with Pagefind's version, not ours
# (test_search.py checks it); the output's marker names a digest of every file, the index
# included. The tests below compare everything else.
SEARCH_BUNDLE = "pagefind"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.relative_to(folder).parts[0] != SEARCH_BUNDLE
        and path.name != MARKER
    }


def test_golden_site_builds_exactly_as_recorded(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(BuildOptions(GOLDEN / "site", out, jobs=1, no_cache=True))
    assert (out / SEARCH_BUNDLE / "bundles.json").is_file()
    expected_dir = GOLDEN / "expected"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir, ignore=shutil.ignore_patterns(SEARCH_BUNDLE, MARKER))
    actual, expected = _tree(out), _tree(expected_dir)
    assert sorted(actual) == sorted(expected), "files added or missing"
    for name in expected:
        assert actual[name].decode() == expected[name].decode(), name


def test_parallel_and_serial_builds_are_identical(tmp_path: Path) -> None:
    site = GOLDEN / "site"
    build(BuildOptions(site, tmp_path / "one", jobs=1, no_cache=True))
    build(BuildOptions(site, tmp_path / "two", jobs=2, min_parallel=0, no_cache=True))
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    # the search index too: Pagefind's own output is made reproducible (see search.py)
    assert _all_files(tmp_path / "one" / SEARCH_BUNDLE) == _all_files(
        tmp_path / "two" / SEARCH_BUNDLE
    )


def _all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
