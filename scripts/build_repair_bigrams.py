"""Rebuild qantara/data/repair_bigrams.json and letter_pairs.json, the word-pair and
letter-pair tables the repair steps consult.

Trained on clean Arabic only: TICO-19 and Tatoeba from ../shared/eval and the clean seeds
(000, 002, 003, 004). FLORES-200 is left out: the repair benchmark (benchmarks/bench_repair.py) measures on it.
Run from the repository root: `.venv/bin/python scripts/build_repair_bigrams.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

from qantara.repair.bigrams import build_table
from qantara.repair.garbled import build_letter_pairs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = [
    SHARED / "eval/tico19_test/tico19-test.ar",
    SHARED / "eval/tatoeba_test_ara_eng/tatoeba-test-v2021-08-07.ara",
    *(SHARED / "seeds" / f"{name}.txt" for name in (
        "000_41cf3146f527e58b", "002_35611eb13f076e57", "003_5451b8ff3155cfe3", "004_dc0ec6e5dd7e186b",
    )),
]

lines = [line for path in SOURCES for line in path.read_text(encoding="utf-8").splitlines()]
table = build_table(lines)
target = ROOT / "qantara" / "data" / "repair_bigrams.json"
target.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
print(f"{len(lines)} lines, {len(table['pairs'])} pairs, {target.stat().st_size} bytes → {target}")
letters = build_letter_pairs(lines)
target = ROOT / "qantara" / "data" / "letter_pairs.json"
target.write_text(json.dumps(letters, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
print(f"{len(letters['logprob'])} letters, {target.stat().st_size} bytes → {target}")
