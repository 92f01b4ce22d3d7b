"""Scores `sitegen ingest --dry-run --format json` output against gold files.

The rules are those of the evaluation's scorer, so the tests need no file outside the
project:
- a predicted actor name resolves to a gold actor through the gold's names, optional names
  and aliases, compared case-, accent- and punctuation-insensitively, a leading "the" aside;
  a lone surname resolves to the one gold person (2-4 capitalised words) ending with it;
- a name resolving to a required actor is a hit, to an optional one is neither hit nor
  miss, to nothing (or to an actor already named) is a false positive;
- a gold quote is found when a predicted quote's text contains it or lies within it, the
  shorter being at least 60% of the longer; it is attributed when one such prediction
  names an actor resolving to the gold speaker;
- quote precision: of the predicted quote entries whose text is a gold quote, the share
  credited to one of that text's gold speakers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


def normalise(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.casefold().replace("’", "'").replace("‘", "'").strip()
    plain = re.sub(r"^the\s+", "", plain)
    plain = re.sub(r"[^\w\s']", " ", plain)
    return " ".join(plain.split())


def quote_key(text: str | None) -> str:
    return " ".join(re.sub(r"'", " ", normalise(text)).split())


def _person_like(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def name_table(gold: dict) -> dict[str, str]:
    """Normalised surface form -> gold actor (or optional) name."""
    names = list(gold.get("actors", [])) + list(gold.get("optional", []))
    table = {normalise(name): name for name in names}
    for surface, name in (gold.get("aliases") or {}).items():
        if name:
            table.setdefault(normalise(surface), name)
    surnames: dict[str, set[str]] = {}
    for name in filter(_person_like, names):
        surnames.setdefault(normalise(name.split()[-1]), set()).add(name)
    for surname, owners in surnames.items():
        if len(owners) == 1 and surname not in table:
            table[surname] = next(iter(owners))
    return table


@dataclass
class FileScore:
    found: set[str] = field(default_factory=set)
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    quotes: int = 0
    quotes_found: int = 0
    quotes_attributed: int = 0
    credited: int = 0  # predicted entries whose text is a gold quote
    credited_right: int = 0  # ... and whose actor is one of its gold speakers
    wrong_quotes: list[str] = field(default_factory=list)


def score_file(gold: dict, predicted: dict) -> FileScore:
    table = name_table(gold)
    result = FileScore()
    required, optional = set(gold.get("actors", [])), set(gold.get("optional", []))
    seen: set[str] = set()
    for actor in predicted.get("actors") or []:
        name = actor.get("name") if isinstance(actor, dict) else actor
        if not name:
            continue
        resolved = table.get(normalise(name))
        if resolved is not None and resolved in seen:
            result.extra.append(f"{name} (second name for {resolved})")
        elif resolved in required:
            result.found.add(resolved)
        elif resolved not in optional:
            result.extra.append(name)
        if resolved is not None:
            seen.add(resolved)
    result.missed = sorted(required - result.found)
    _score_quotes(gold, predicted, table, result)
    return result


def _same_quote(key: str, text: str) -> bool:
    return bool(
        key
        and text
        and (key in text or text in key)
        and min(len(key), len(text)) >= 0.6 * max(len(key), len(text))
    )


def _score_quotes(gold: dict, predicted: dict, table: dict[str, str], result: FileScore) -> None:
    guesses = [(quote_key(q.get("text")), q.get("actor")) for q in predicted.get("quotes") or []]
    gold_keys = [(quote_key(q["text"]), q["actor"]) for q in gold.get("quotes", [])]
    for text, actor in guesses:
        speakers = {who for key, who in gold_keys if _same_quote(key, text)}
        if speakers:
            result.credited += 1
            result.credited_right += bool(actor and table.get(normalise(actor)) in speakers)
    for quote in gold.get("quotes", []):
        result.quotes += 1
        key = quote_key(quote["text"])
        speakers = [actor for text, actor in guesses if _same_quote(key, text)]
        if not speakers:
            result.wrong_quotes.append(f"not found: {quote['text'][:50]}")
            continue
        result.quotes_found += 1
        if any(a and table.get(normalise(a)) == quote["actor"] for a in speakers):
            result.quotes_attributed += 1
        else:
            result.wrong_quotes.append(f"{speakers} not {quote['actor']}: {quote['text'][:50]}")


@dataclass
class Totals:
    precision: float
    recall: float
    quote_found: float
    quote_attribution: float
    quote_precision: float
    per_file: dict[str, FileScore]

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def figures(self) -> tuple[float, ...]:
        """Actor precision, recall and F1; quotes found, attributed, precision."""
        return (self.precision, self.recall, self.f1, self.quote_found,
                self.quote_attribution, self.quote_precision)  # fmt: skip

    def summary(self) -> str:
        return (
            f"actor_f1={self.f1:.3f} quote_found={self.quote_found:.3f} "
            f"quote_attr={self.quote_attribution:.3f} quote_prec={self.quote_precision:.3f}"
        )

    def report(self) -> str:
        lines = []
        for name, s in sorted(self.per_file.items()):
            if s.missed or s.extra or s.wrong_quotes:
                lines.append(f"{name}: missed {s.missed} extra {s.extra} quotes {s.wrong_quotes}")
        lines.append(
            f"actor_precision={self.precision:.3f} actor_recall={self.recall:.3f} "
            f"quote_found={self.quote_found:.3f} quote_attr={self.quote_attribution:.3f} "
            f"quote_prec={self.quote_precision:.3f}"
        )
        return "\n".join(lines)


def score(golds: list[dict], predictions: list[dict]) -> Totals:
    by_file = {Path(p.get("source") or "").name: p for p in predictions}
    per_file = {g["file"]: score_file(g, by_file.get(g["file"], {})) for g in golds}
    hits = sum(len(s.found) for s in per_file.values())
    extra = sum(len(s.extra) for s in per_file.values())
    missed = sum(len(s.missed) for s in per_file.values())
    quotes = sum(s.quotes for s in per_file.values())
    credited = sum(s.credited for s in per_file.values())
    return Totals(
        precision=hits / (hits + extra) if hits + extra else 0.0,
        recall=hits / (hits + missed) if hits + missed else 0.0,
        quote_found=sum(s.quotes_found for s in per_file.values()) / quotes if quotes else 1.0,
        quote_attribution=(
            sum(s.quotes_attributed for s in per_file.values()) / quotes if quotes else 1.0
        ),
        quote_precision=(
            sum(s.credited_right for s in per_file.values()) / credited if credited else 1.0
        ),
        per_file=per_file,
    )


def load_golds(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.gold.json"))]


@dataclass
class RoleTotals:
    """Roles of the required actors ingest found whose gold gives one: the same role
    (compared as names are), one inside the other ('Fed President' for 'Minneapolis Fed
    President'), another role, or none; and roles given to found actors the gold gives none."""

    gold: int = 0
    same: int = 0
    within: int = 0
    other: int = 0
    missing: int = 0
    unasked: int = 0

    def line(self, label: str) -> str:
        share = self.gold or 1
        return (
            f"{label:32s} roles of {self.gold:4d} found actors: same {self.same / share:.3f} "
            f"within {self.within / share:.3f} other {self.other / share:.3f} "
            f"none {self.missing / share:.3f}; given where the gold has none: {self.unasked}"
        )


def score_roles(golds: list[dict], predictions: list[dict]) -> RoleTotals:
    by_file = {Path(p.get("source") or "").name: p for p in predictions}
    totals = RoleTotals()
    for gold in golds:
        table, roles = name_table(gold), gold.get("roles") or {}
        required = set(gold.get("actors", []))
        for actor in by_file.get(gold["file"], {}).get("actors") or []:
            resolved = table.get(normalise(actor.get("name")))
            if resolved not in required:
                continue
            want, got = normalise(roles.get(resolved)), normalise(actor.get("role"))
            if not want:
                totals.unasked += bool(got)
                continue
            totals.gold += 1
            if not got:
                totals.missing += 1
            elif got == want:
                totals.same += 1
            elif got in want or want in got:
                totals.within += 1
            else:
                totals.other += 1
    return totals
