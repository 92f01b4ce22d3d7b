"""bench/run.py with --hugo: sitegen's cold builds take turns with Hugo's, one ratio per pair.

A stand-in for the shared Hugo script (it prints what the real one prints) keeps the test
free of Hugo; the builds are real, on a 12-briefing corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_cold_builds_alternate_with_hugo_and_report_paired_ratios(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    fake = tmp_path / "hugo.sh"
    fake.write_text(
        "#!/bin/bash\n"
        f"ls '{tmp_path}/work/site-12/build/index.html' >/dev/null && echo call >> '{calls}'\n"
        "echo 'hugo_cold_s=0.50 hugo_peak_mb=10 pages=1 (hugo fake)'\n"
    )
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "12", "--runs", "2",
           "--search", "off", "--scenarios", "cold", "--hugo", "--hugo-script", str(fake),
           "--workdir", str(tmp_path / "work")]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # the script ran once after each cold build (each time a built site was there), not once
    assert calls.read_text().split() == ["call", "call"]
    data = json.loads((tmp_path / "work" / "results.json").read_text())
    pairs = data["sizes"][0]["cold_pairs"]
    assert len(pairs) == 2
    for pair in pairs:  # each ratio is that pair's sitegen time over that pair's Hugo time
        assert pair["ratio"] == pytest.approx(pair["sitegen_s"] / 0.5, abs=0.002)
    assert data["hugo"]["12"]["pair_ratios"] == [p["ratio"] for p in pairs]
    assert "median of 2 paired ratios=" in proc.stdout


def test_memory_fs_times_a_cold_build_into_it_and_leaves_nothing_there(tmp_path: Path) -> None:
    fake = tmp_path / "hugo.sh"
    fake.write_text("#!/bin/bash\necho 'hugo_cold_s=0.50 hugo_peak_mb=10 pages=1 (hugo fake)'\n")
    memory = tmp_path / "mem"
    memory.mkdir()
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "12", "--runs", "1",
           "--search", "off", "--scenarios", "cold", "--hugo", "--hugo-script", str(fake),
           "--workdir", str(tmp_path / "work"), "--memory-fs", str(memory)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pair = json.loads((tmp_path / "work" / "results.json").read_text())["sizes"][0]["cold_pairs"][0]
    assert pair["sitegen_mem_s"] > 0 and pair["sitegen_mem_cpu_s"] > 0
    assert "hugo_mem_s" not in pair  # the fake script made no Hugo site to build
    assert list(memory.iterdir()) == []  # each output is deleted once timed


def test_memory_fs_must_be_a_folder(tmp_path: Path) -> None:
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--memory-fs", str(tmp_path / "no")]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "--memory-fs" in proc.stderr
