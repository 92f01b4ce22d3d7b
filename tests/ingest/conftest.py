"""Fixtures for the ingest tests: run `run_ingest` as the CLI would, capture what it says."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.ingest import run_ingest


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> list[dict]:
        return json.loads(self.out)


Ingest = Callable[..., Run]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder as `sitegen init` leaves it, before any content: ingest writes only into
    a folder with a site.toml."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "site.toml").write_text('title = "Desk"\n', encoding="utf-8")
    return folder


@pytest.fixture
def ingest(site: Path) -> Ingest:
    def run(
        *paths: str | Path,
        stdin: str = "",
        dry_run: bool = False,
        force: bool = False,
        fmt: str = "text",
        use_cache: bool = True,
    ) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = run_ingest(
            [str(p) for p in paths],
            site,
            dry_run=dry_run,
            force=force,
            fmt=fmt,
            stdin=io.StringIO(stdin),
            out=out,
            err=err,
            use_cache=use_cache,
        )
        return Run(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def raw(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a raw briefing under tmp_path/raw and return its path."""
    folder = tmp_path / "raw"

    def write(name: str, content: str | bytes) -> Path:
        folder.mkdir(exist_ok=True)
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write


def analysis_of(*paragraphs: str, registry: list | None = None, model: object = "learned"):
    """The analysis of paragraphs as one briefing's lead and background (model=None: the
    rules' attribution alone, without the learned second look)."""
    from sitegen.ingest.actors import analyse, prepare_many
    from sitegen.ingest.gazetteer import Gazetteer
    from sitegen.ingest.lexicon import load_lexicon
    from sitegen.ingest.nlp import load_pipeline

    nlp = load_pipeline()
    gazetteer = Gazetteer(load_lexicon(), registry or [], nlp.tokenizer)
    [prepared] = prepare_many([[(p, None) for p in paragraphs]], nlp)
    return analyse(prepared, gazetteer, "test.txt", model)  # type: ignore[arg-type]
