"""Fuzzy-match lookup cost: the length-windowed index (qantara.memory.FuzzyIndex, queries in
runs of similar length, one cdist call each) against one rapidfuzz extractOne per query over
every reviewed translation, side by side, with the same results.

Memory: every Arabic sentence of the shared seeds and of the evaluation sets' Arabic side
(FLORES-200, TICO-19, Tatoeba), stored as reviewed. Queries: the segments of the seeds, a word
of each changed at random (seed printed; QANTARA_FUZZY_SEED replays), plus unrelated eval
sentences. Run: `python benchmarks/bench_fuzzy.py`; last line `speedup <x.xx>`.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from qantara.extraction import extract_document
from qantara.memory import FUZZY_THRESHOLD, FuzzyIndex, Reviewed, normalize_segment
from qantara.repair import repair_document
from qantara.segment import segment_paragraphs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVAL_ARABIC = ("eval/flores200_devtest/arb_Arab.devtest", "eval/tico19_test/tico19-test.ar",
               "eval/tatoeba_test_ara_eng/tatoeba-test-v2021-08-07.ara")


def main() -> None:
    seed = int(os.environ.get("QANTARA_FUZZY_SEED", random.randrange(1 << 30)))
    print(f"seed {seed}")
    rng = random.Random(seed)
    seeds = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        paragraphs = repair_document(extract_document(path)).paragraphs
        seeds += [s.arabic for s in segment_paragraphs(paragraphs, None) if len(s.arabic.split()) >= 4]
    evals = [line.strip() for name in EVAL_ARABIC if (SHARED / name).is_file()
             for line in (SHARED / name).read_text("utf-8").splitlines() if line.strip()]
    entries = {normalize_segment(t): Reviewed("e", "doc", "s") for t in seeds + evals[: len(evals) // 2]}
    queries = []
    for text in seeds:
        words = text.split()
        words[rng.randrange(len(words))] = rng.choice(words)
        queries.append(" ".join(words))
    queries += rng.sample(evals[len(evals) // 2:], min(len(seeds), len(evals) // 2))
    keys = list(entries)
    print(f"{len(keys)} reviewed entries, {len(queries)} queries")

    start = time.perf_counter()
    index = FuzzyIndex(entries.items())
    windowed = index.search_many(queries, limit=1)
    t_index = time.perf_counter() - start
    start = time.perf_counter()
    full = [process.extractOne(normalize_segment(q), keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD,
                               processor=None) for q in queries]
    t_full = time.perf_counter() - start

    same = sum(1 for q, w, f in zip(queries, windowed, full)
               if (int(f[1]) if f and f[0] != normalize_segment(q) else None) == (w[0].quality if w else None))
    matched = sum(1 for w in windowed if w)
    print(f"matched {matched}/{len(queries)} queries; same best score as the full scan: {same}/{len(queries)}")
    print(f"index {t_index * 1000 / len(queries):.2f} ms/query, full scan {t_full * 1000 / len(queries):.2f} ms/query")
    print(f"speedup {t_full / t_index:.2f}")


if __name__ == "__main__":
    main()
