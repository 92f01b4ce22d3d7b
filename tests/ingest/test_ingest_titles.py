"""The day's title on the committed corpus: the page's headline as the gold gives it (its
`headline`), or the day's default title where the page has none. Pasted pages put furniture
around their headline (a sponsor, a credit, a date, a section label); the title must not be
that. The thresholds are the figures measured when they were set, less a margin: they catch
a regression (docs/ingest.md, "Raw input", has the figures before and after)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from sitegen.ingest.rawparse import decode, default_title, parse_raw
from sitegen.ingest.writer import title_of

CORPUS = Path(__file__).resolve().parents[1] / "ingest_corpus"
# measured 0.563 (parts read while writing the rules), 0.556, 0.553 and 0.526 (parts not read);
# raised after round 18 (docs/ingest.md, "Round 18 on titles") to its figures less about 0.02
THRESHOLDS = {
    ("tune", "validation", "frozen", "frozen2", "frozen3", "frozen4"): 0.62,  # 0.642 round 18
    ("frozen5", "frozen6", "frozen7", "frozen8"): 0.59,  # 0.609 round 18
    ("frozen9",): 0.50,
    ("frozen10",): 0.61,  # 0.632 round 18
    ("frozen11",): 0.68,  # 0.379 scored once; 0.724 with rules written after reading it
    ("frozen12",): 0.52,  # 0.509 scored once; 0.545 round 18
    ("frozen13",): 0.33,  # 0.333 scored once; 0.354 round 18
    ("frozen14",): 0.77,  # 0.621 scored once, at the end of round 15; 0.793 round 18
    ("frozen15",): 0.57,  # 0.542 scored once, at the end of round 16; 0.593 round 18
    ("frozen16",): 0.64,  # 0.403 scored once, at the end of round 17; 0.662 round 18
    ("frozen17",): 0.35,  # 0.377 scored once, at the end of round 18 (0.390 before its title rules)
    ("frozen18",): 0.59,  # 0.615 scored once, at the end of round 19 (the same before it)
    ("frozen19",): 0.58,  # 0.605 scored once, at the end of round 20 (the same before it)
    ("frozen20",): 0.51,  # 0.532 scored once, at the end of round 21 (the same before it)
    ("frozen21",): 0.52,  # 0.493 scored once, at the end of round 22; 0.547 round 24
    ("frozen22",): 0.42,  # 0.447 scored once, at the end of round 25 (the same before it)
    ("frozen23",): 0.11,  # 0.132 scored once, at the end of round 31 (the same before it)
}


def _words(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, plain)
    return " ".join(re.sub(r"[^\w' ]", " ", text.casefold()).split())


def _right(gold_path: Path) -> bool:
    gold = json.loads(gold_path.read_text("utf-8"))
    raw = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
    briefing = parse_raw(decode(raw.read_bytes()), raw.name)
    wanted = gold.get("headline") or default_title(briefing.date)
    return _words(title_of(briefing)) == _words(wanted)


@pytest.mark.parametrize("parts", list(THRESHOLDS), ids=lambda parts: "+".join(parts))
def test_the_title_is_the_pages_headline(parts: tuple[str, ...]) -> None:
    golds = [path for part in parts for path in sorted((CORPUS / part).glob("*/*.gold.json"))]
    assert golds
    share = sum(map(_right, golds)) / len(golds)
    assert share >= THRESHOLDS[parts], f"{share:.3f} of {len(golds)} titles right"
