#!/usr/bin/env python3
"""Write a synthetic sitegen site: N daily briefings and 300 actors (benchmark corpus).

Usage: python bench/gen_corpus.py --n N --out DIR [--seed 1] [--stats]
The same (seed, N) gives byte-identical files. Stdlib only. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import re
import shutil
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import NamedTuple

END = dt.date(2022, 1, 27)
MARKER = ".sitegen-bench"
SITE_TOML = 'title = "Benchmark briefings"\nbase_url = "https://example.org/"\nlanguage = "en"\n'


def words(text: str, sep: str | None = None) -> list[str]:
    """Split a word list (on whitespace, or on `sep`), folding line breaks into spaces."""
    return [" ".join(x.split()) for x in text.split(sep)]


MONTHS = words("Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.")
FIRST = words("""Anika Boris Carmen Dmitri Elena Farid Greta Hassan Ingrid Jonas Katarina Luis
Marta Nikolai Olena Pavel Rosa Stefan Tamara Umar Vera Walter Ximena Yusuf Zofia Adrian Beatriz
Cyril Dalia Emil Fatima Helga Ivo Jana Kemal Lucia Mateo Nadia Oskar Priya Rafael Sanna Tomás
Viktor Wen Zoë Jérôme Søren Łukasz Ágnes İlkay Chiara Amara Kofi Mei Ravi Leila""")
LAST = words("""Abramov Bergström Castellano Dragunov Eriksen Ferrante Grabowski Halloran Ivanenko
Jovanović Kowalczyk Lindqvist Moreau Novak Okafor Petrenko Quiroga Rasmussen Sokolov Tkachenko
Umarov Vásquez Wójcik Yılmaz Zelenko Albescu Brandt Czerny Delacroix Esposito Fitzgerald Gunnarsson
Horváth Ishikawa Kaminski Lebedev Marchetti Nieminen O'Donnell Pellegrini Romanenko Schultz Tanaka
Valdez Weber Dağdelen Śliwińska Müller-Brandt Øvergaard Núñez Çelik Łukasiewicz Håkansson Žukauskas
Dvořák Kovács Gökçe Sørensen Ibáñez Jiménez Adeyemi Banerjee Chowdhury Eze Fonseca Galanis Haddad
Iyer Jansen Kuznetsova Lambert Mensah Nakamura Oyelaran Papadakis Qureshi Rossi Santos Takahashi
Uribe Vermeulen Whitaker Yamamoto Zapata Achterberg Boateng Cardoso Dimitrov Engström Falk Ghosh
Hoffmann Ilić Jensen Karimov Larsen Mwangi Nordin Ortega Popescu Rahman Toivonen Ueda Vuković""")
ORG_A = words("Northern Atlantic Eastern Continental Federal United Baltic Central Pacific")
YAML_WORDS = {"YES", "NO", "ON", "OFF", "TRUE", "FALSE", "NULL", "NAN", "INF"}
RANKS = ["", "", "Deputy ", "Former ", "Acting "]
ORG_B = words(
    """Security Council|Trade Union|Energy Agency|Defence Alliance|Health
Authority|Monetary Fund|Election Commission|Grain Board|Shipping Authority|Rights Court|Statistics
Office|Parliament""",
    "|",
)
OFFICES = words(
    """Foreign Minister|Finance Minister|Defence Minister|Health Minister|Energy
Minister|Chief Negotiator|Central Bank Governor|Opposition Leader|Union Chair|Mayor of the
Capital|Senior Adviser|Party Spokeswoman|Army Chief of Staff|Election Commissioner|Trade
Commissioner|Envoy""",
    "|",
)
OUTLETS = words(
    """Reuters|AFP|The Associated Press|Bloomberg|The Capital Ledger|Harbor Evening
Post|Global Dispatch|Frontier News Agency""",
    "|",
)
PLACES = words(
    """the capital|the border region|the northern provinces|the port city|the eastern
front|the coastal districts|the mountain towns|the industrial belt|the river delta""",
    "|",
)
TOPICS = words(
    """ceasefire talks|energy prices|the grain corridor|vaccine supplies|the trade
agreement|sanctions relief|the budget vote|troop movements|the refugee crisis|interest rates|the
election recount|the pipeline dispute|supply chain delays|the court ruling|the strike at the
docks|the new security pact|wildfire recovery|the housing shortage|the census results|the debt
negotiations""",
    "|",
)
VERBS = words(
    """warned about|pushed back on|announced new measures on|called for talks on|raised
concerns over|offered few details about|signalled a shift on|rejected criticism of|promised a
review of|defended the handling of|sought support for|dismissed reports about""",
    "|",
)
ADJ = words("""fragile long-delayed contested sweeping modest emergency unexpected bipartisan
controversial temporary record""")
NOUNS = words("package deadline proposal inquiry plan deal agreement ruling forecast mission")
TIMES = words(
    """on Wednesday|late on Tuesday|this week|over the weekend|on Thursday morning|after
midnight|on Monday|in a televised address|at a news conference|in a statement""",
    "|",
)
CLAUSES = words(
    """as officials scrambled to contain the fallout|a move that analysts said could
reshape the debate|though the details remained unclear|according to two people familiar with the
discussions|even as prices continued to climb|amid growing pressure from opposition
lawmakers|raising questions about the timetable|a week after a similar announcement was
withdrawn|while markets reacted cautiously|drawing a sharp response from neighbouring
governments""",
    "|",
)
QUOTES = words(
    """We will not accept a deal that leaves our people worse off|This is a serious
moment and it calls for a serious response|Nobody wants escalation, but we are prepared for every
scenario|The numbers speak for themselves|Our door remains open to dialogue|We have been clear from
the beginning about our red lines|It is too early to say whether this will hold|The situation on
the ground is changing by the hour|We are asking for patience, not blind trust|Families cannot wait
another winter for help|We expect our partners to keep their promises""",
    "|",
)
KICKERS = words("Diplomacy Economy Markets Politics Health Energy Courts Climate Security")
LINKS = words("full report|live updates|an explainer|the latest figures|a timeline", "|")
EMPH = words("not|hardly|still not|never|probably not", "|")


class Actor(NamedTuple):
    name: str
    kind: str  # "person" or "organization"
    role: str = ""
    surname: str = ""


def slugify(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def q(s: str) -> str:  # a YAML double-quoted scalar (JSON string syntax is valid YAML)
    return json.dumps(s, ensure_ascii=False)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def display(a: Actor, link: bool = False) -> str:
    text = f"[[{a.name}]]" if link else a.name
    return f"the {text}" if a.kind == "organization" and not a.name.isupper() else text


def make_pool(rng: random.Random) -> list[Actor]:
    """220 people, 60 organisations, 20 acronyms; unique names and slugs; shuffled by rank."""
    lasts = list(dict.fromkeys(LAST))
    rng.shuffle(lasts)  # every surname once, then repeats of 40 of them: those are shared
    pool: list[Actor] = []
    taken: set[str] = set()
    for i in range(220):
        last = lasts[i] if i < len(lasts) else rng.choice(lasts[:40])
        while slugify(name := f"{rng.choice(FIRST)} {last}") in taken:
            pass
        taken.add(slugify(name))
        pool.append(Actor(name, "person", rng.choice(RANKS) + rng.choice(OFFICES), last))
    orgs = rng.sample([f"{a} {b}" for a, b in itertools.product(ORG_A, ORG_B)], 60)
    while len(orgs) < 80:
        acro = "".join(rng.choice("ABCDEFGHIKLMNOPRSTUVW") for _ in range(rng.randint(3, 5)))
        if acro not in YAML_WORDS and acro not in orgs:
            orgs.append(acro)
    pool += [Actor(x, "organization") for x in orgs]
    assert len({slugify(a.name) for a in pool}) == len(pool), "slug collision"
    rng.shuffle(pool)  # popularity rank is the position after this shuffle
    return pool


def aliases(pool: list[Actor]) -> dict[str, list[str]]:
    """A person's surname is an alias only when no other actor has it (or is named it)."""
    counts = Counter(a.surname for a in pool if a.surname)
    names = {a.name.lower() for a in pool}
    return {
        a.name: [a.surname] if counts[a.surname] == 1 and a.surname.lower() not in names else []
        for a in pool
    }


def actor_file(a: Actor, alias: list[str], rng: random.Random) -> str:
    lines = ["---", f"name: {q(a.name)}", f"kind: {a.kind}"]
    lines += [f"role: {q(a.role)}"] if a.role else []
    lines += [f"aliases: [{', '.join(q(x) for x in alias)}]"] if alias else []
    topic, year = rng.choice(TOPICS), rng.randint(1995, 2021)
    if a.kind == "person":
        bio = f"{a.name}, {a.role.lower()}, has been a regular voice on {topic} since {year}."
    else:
        bio = f"{cap(display(a))} is a {rng.choice(ADJ)} body active on {topic} since {year}."
    return "\n".join([*lines, "---", bio, ""])


class Day:
    """Writes one briefing; tracks mentions (surname only after a full-name mention) and quotes."""

    def __init__(self, rng: random.Random, actors: list[Actor], day: dt.date) -> None:
        self.rng, self.actors, self.day = rng, actors, day
        self.todo = list(actors)  # the first sentences mention every actor of the day
        self.seen: set[str] = set()
        self.quotes: list[tuple[str, str, int]] = []

    def pick(self) -> Actor:
        return self.todo.pop(0) if self.todo else self.rng.choice(self.actors)

    def m(self, a: Actor) -> str:
        if a.kind == "person" and a.name in self.seen and self.rng.random() < 0.6:
            return f"[[{a.name}|{a.surname}]]"
        self.seen.add(a.name)
        return display(a, link=True)

    def link(self) -> str:
        topic, n = slugify(self.rng.choice(TOPICS)), self.rng.randint(100, 999)
        return f"[{self.rng.choice(LINKS)}](https://example.com/{self.day:%Y/%m/%d}/{topic}-{n})"

    def sentence(self, item: int = 0) -> str:
        r, a, c = self.rng.random(), self.pick(), self.rng.choice
        if item and r < 0.3:
            return self.quote(a, item)
        if r < 0.45:
            return cap(
                f"{self.m(a)} said {c(TIMES)} that the {c(ADJ)} {c(NOUNS)} on {c(TOPICS)}"
                f" would *{c(EMPH)}* be enough, {c(CLAUSES)}."
            )
        s = cap(f"{self.m(a)} {c(VERBS)} {c(TOPICS)} {c(TIMES)}, {c(CLAUSES)}")
        if r < 0.6:
            return f"{s} (see {self.link()})."
        if r < 0.7:
            return f"{s}, with a **{c(ADJ)} {c(NOUNS)}** expected in {c(PLACES)}."
        return s + "."

    def quote(self, a: Actor, item: int) -> str:
        c, text = self.rng.choice, self.rng.choice(QUOTES)
        self.quotes.append((a.name, text, item))
        if a.kind != "person":
            return f"“{text},” a spokesperson for {self.m(a)} said {c(TIMES)}, on {c(TOPICS)}."
        if self.rng.random() < 0.5:
            return f"“{text},” {self.m(a)} said {c(TIMES)}, {c(CLAUSES)}."
        m = self.m(a)
        return f"“{text},” said {m}, the {a.role.lower()}, speaking {c(TIMES)} about {c(TOPICS)}."

    def body(self, heading: str) -> str:
        rng, d = self.rng, self.day
        lead = " ".join(self.sentence() for _ in range(rng.randint(2, 3)))
        lead = f"Good morning. {lead} Here is what you need to know on {d:%A}, {date_name(d)}."
        bg = (
            f"The dispute over {rng.choice(TOPICS)} has simmered since {rng.choice(MONTHS)}"
            f" {rng.randint(1, 28)}, when {self.m(self.pick())} first {rng.choice(VERBS)} it. "
            + self.sentence()
        )
        paras = [lead, bg, f"## {heading}"]
        for item, k in enumerate(spread(rng, rng.randint(6, 10), rng.randint(14, 17)), 1):
            text = " ".join(self.sentence(item) for _ in range(k))
            text = f"**{rng.choice(KICKERS)}.** {text}" if rng.random() < 0.6 else text
            paras.append(text + (f" Read {self.link()}." if rng.random() < 0.2 else ""))
        return "\n\n".join(paras) + "\n"


def spread(rng: random.Random, items: int, sentences: int) -> list[int]:
    """Sentences per item: 1-3 each, about `sentences` in all (keeps bodies near 3-4 KB)."""
    counts = [1] * items
    for _ in range(min(sentences, 3 * items) - items):
        counts[rng.choice([i for i, c in enumerate(counts) if c < 3])] += 1
    return counts


def date_name(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}"


def briefing(rng: random.Random, pool: list[Actor], cum: list[float], d: dt.date) -> tuple:
    """One briefing: (file name, file text, body, actors of the day)."""
    actors: list[Actor] = []
    for _ in range(rng.randint(3, 8)):  # distinct actors, weight 1/rank
        while (a := rng.choices(pool, cum_weights=cum)[0]) in actors:
            pass
        actors.append(a)
    day = Day(rng, actors, d)
    body = day.body(title := f"{date_name(d)}: What you need to know today")
    summary = (
        f"{cap(display(actors[0]))} {rng.choice(VERBS)} {rng.choice(TOPICS)}, while "
        f"{display(actors[1])} {rng.choice(VERBS)} {rng.choice(TOPICS)}."
    )
    credits = [f"{x} contributed reporting." for x in rng.sample(OUTLETS, rng.randint(1, 2))]
    fm = [f"title: {q(title)}", f"date: {d:%Y-%m-%d}", f"summary: {q(summary)}"]
    fm += ["quotes:"] if day.quotes else []
    for who, text, item in day.quotes:
        fm += [f"  - actor: {q(who)}", f"    text: {q(text)}", f"    item: {item}"]
    fm += [f"credits: [{', '.join(q(x) for x in credits)}]", f"source: raw/{d:%Y-%m-%d}.txt"]
    text = "---\n" + "\n".join(fm) + "\n---\n" + body
    return f"{d:%Y-%m-%d}-what-you-need-to-know.md", text, body, actors


def prepare(out: Path) -> None:
    """Empty `out`, refusing anything that is not a folder this tool (or sitegen) made."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        sys.exit(f"gen_corpus: refusing to replace {out}: not a folder")
    if out.exists() and any(out.iterdir()):
        if not (out / "site.toml").exists() and not (out / MARKER).exists():
            sys.exit(f"gen_corpus: refusing to replace {out}: it has no site.toml or {MARKER}")
        shutil.rmtree(out)
    (out / "content/briefings").mkdir(parents=True, exist_ok=True)
    (out / "content/actors").mkdir()
    (out / MARKER).write_text("incomplete\n")


def generate(n: int, out: Path, seed: int) -> tuple[Counter, list[int]]:
    rng = random.Random(seed)
    pool = make_pool(rng)
    cum = list(itertools.accumulate(1 / r for r in range(1, len(pool) + 1)))
    prepare(out)
    (out / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    alias = aliases(pool)
    for a in pool:
        path = out / "content/actors" / f"{slugify(a.name)}.md"
        path.write_text(actor_file(a, alias[a.name], rng), encoding="utf-8", newline="\n")
    counts: Counter = Counter()
    sizes = []
    for i in range(n):
        name, text, body, actors = briefing(rng, pool, cum, END - dt.timedelta(days=i))
        path = out / "content/briefings" / name
        path.write_text(text, encoding="utf-8", newline="\n")
        counts.update(a.name for a in actors)
        sizes.append(len(body.encode()))
    (out / MARKER).write_text(f"n={n} seed={seed}\n")
    return counts, sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of briefings (days)")
    ap.add_argument("--out", type=Path, required=True, help="site folder (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stats", action="store_true", help="print corpus statistics to stderr")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be at least 1")
    counts, sizes = generate(args.n, args.out, args.seed)
    if args.stats:
        top = ", ".join(f"{k} {v / args.n:.0%}" for k, v in counts.most_common(5))
        print(
            f"briefings={args.n} distinct_actors={len(counts)} "
            f"mean_body_bytes={sum(sizes) / len(sizes):.0f}\ntop 5 actors by share: {top}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
