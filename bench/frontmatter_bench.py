#!/usr/bin/env python3
"""Time the front-matter layer: `source.parse_source` on every file of a generated corpus.

Usage: python bench/frontmatter_bench.py [--n 2000] [--runs 7] [--rounds 3] [--against REV]

Each measurement runs in a fresh process: the files are read into memory first, then every
file is split and parsed `--runs` times. Reported: the median over the processes of each
process's median pass, and the fastest pass (the least disturbed on a busy machine).
`--against REV` times the `src/` of that git revision too, alternating with this tree's in
every round, so that both are measured in the same minute on the same (possibly busy)
machine. The corpus's briefings are also converted to TOML front matter (`+++`) and timed
with this tree's code.
Stdlib only, like the other scripts here; see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# Runs in the child process: argv = [src folder, corpus folder, runs].
CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.diagnostics import Diagnostics
from sitegen.source import parse_source
files = sorted(Path(sys.argv[2]).rglob("*.md"))
texts = [(path, path.read_text(encoding="utf-8")) for path in files]
times = []
for _ in range(int(sys.argv[3])):
    diags = Diagnostics()
    start = time.perf_counter()
    for path, text in texts:
        parse_source(path, text, diags)
    times.append(time.perf_counter() - start)
    if diags.errors:
        sys.exit(diags.errors[0].format())
print(json.dumps({"files": len(texts), "times": times}))
"""


def ensure_corpus(site: Path, n: int) -> None:
    marker = site / ".sitegen-bench"
    if marker.is_file() and marker.read_text() == f"n={n} seed=1\n":
        return
    cmd = [sys.executable, str(BENCH / "gen_corpus.py"), "--n", str(n), "--out", str(site)]
    subprocess.run(cmd, check=True)


def toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are all valid in TOML
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r} in this benchmark")


def to_toml(front: dict[str, Any]) -> str:
    """The corpus's front matter (text, dates, lists of text, lists of tables) as TOML."""
    lines, tables = [], []
    for key, value in front.items():
        if key == "date" and isinstance(value, str):
            lines.append(f"date = {dt.date.fromisoformat(value).isoformat()}")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for table in value:
                tables += ["", f"[[{key}]]"]
                tables += [f"{k} = {toml_value(v)}" for k, v in table.items()]
        else:
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines + tables) + "\n"


def make_toml_corpus(site: Path, out: Path) -> None:
    """The briefings of `site` with the same front matter written as TOML."""
    sys.path.insert(0, str(ROOT / "src"))
    from sitegen.diagnostics import Diagnostics
    from sitegen.source import load_file

    (out / "content" / "briefings").mkdir(parents=True, exist_ok=True)
    for path in sorted((site / "content" / "briefings").glob("*.md")):
        source = load_file(path, Diagnostics())
        assert source is not None, path
        text = f"+++\n{to_toml(source.front)}+++\n{source.body}"
        (out / "content" / "briefings" / path.name).write_text(text, encoding="utf-8")


def export_revision(revision: str, into: Path) -> Path:
    """`src/` of a git revision, extracted into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "src"],
        check=True, capture_output=True,
    )  # fmt: skip
    tar_path = into / "src.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def measure(src: Path, corpus: Path, runs: int) -> tuple[int, list[float]]:
    """(files, seconds of each pass over them) in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(src), str(corpus), str(runs)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"measuring {src} on {corpus} failed:\n{done.stdout}{done.stderr}")
    result = json.loads(done.stdout)
    return result["files"], result["times"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="briefings in the corpus")
    ap.add_argument("--runs", type=int, default=7, help="passes per process (median kept)")
    ap.add_argument("--rounds", type=int, default=3, help="processes per variant")
    ap.add_argument("--against", metavar="REV", help="also time src/ of this git revision")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sitegen-bench")
    args = ap.parse_args(argv)

    site = args.workdir / f"fm-site-{args.n}"
    ensure_corpus(site, args.n)
    with tempfile.TemporaryDirectory(prefix="sitegen-fm-bench-") as temp:
        toml_corpus = Path(temp) / "toml"
        make_toml_corpus(site, toml_corpus)
        variants = {"this tree, YAML": (ROOT / "src", site / "content")}
        if args.against:
            old_src = export_revision(args.against, Path(temp))
            variants[f"{args.against}, YAML"] = (old_src, site / "content")
        variants["this tree, TOML briefings"] = (ROOT / "src", toml_corpus / "content")
        medians: dict[str, list[float]] = {name: [] for name in variants}
        fastest: dict[str, float] = {}
        files: dict[str, int] = {}
        for round_ in range(args.rounds):
            order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
            for name in order:
                files[name], times = measure(*variants[name], args.runs)
                medians[name].append(statistics.median(times))
                fastest[name] = min(fastest.get(name, min(times)), min(times))
    print(f"corpus: {site} ({args.n} briefings); {args.rounds} rounds x {args.runs} runs")
    heads = ("files", "median ms", "us/file", "fastest ms", "us/file")
    print(f"{'':32} {heads[0]:>6}  {heads[1]:>9}  {heads[2]:>7}  {heads[3]:>10}  {heads[4]:>7}")
    for name, values in medians.items():
        median, best = statistics.median(values), fastest[name]
        print(
            f"{name:32} {files[name]:6}  {median * 1000:9.1f}  {median / files[name] * 1e6:7.1f}"
            f"  {best * 1000:10.1f}  {best / files[name] * 1e6:7.1f}"
        )
    if args.against:
        ours, theirs = "this tree, YAML", f"{args.against}, YAML"
        by_median = statistics.median(medians[ours]) / statistics.median(medians[theirs])
        by_fastest = fastest[ours] / fastest[theirs]
        print(f"this tree / {args.against}: {by_median:.3f} (medians), {by_fastest:.3f} (fastest)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
