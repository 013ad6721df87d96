"""Refit the garbled-paragraph model (qantara/repair/garbled.py: WEIGHTS and BIAS).

A logistic regression of "this paragraph was set in a wrong-letter font" on the judge's
measures (letter pairs, share of unknown words, numbers mixing digit systems), over the
paragraphs the repair makes of documents generated on the *developed* cells of
tests/support/damage.py (garbled alone, all damage together, clean), seeds 7 and 8. The
unseen cells stay out. Needs ../shared and numpy. Run from the repository root:
`.venv/bin/python scripts/fit_garbled.py`, then copy the printed weights into garbled.py.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_repair import _share, as_extracted  # noqa: E402
from support.damage import KINDS, cells, generate  # noqa: E402

from qantara.arabic.lexicon import bare, default_lexicon  # noqa: E402
from qantara.repair import garbled, repair_document  # noqa: E402

SEEDS = (7, 8)
L2 = 0.01


def measures(text: str, lexicon, pairs) -> list[float] | None:
    words = [w for w in (bare(t) for t in garbled._WORD.findall(text)) if len(w) >= 2]
    if len(words) < garbled.MIN_WORDS:
        return None
    unknown = sum(1 for w in words if not lexicon.known(w)) / len(words)
    return [-pairs.mean(words), unknown, min(2, len(garbled._MIXED_DIGITS.findall(text)))]


def main() -> None:
    lexicon, problem = default_lexicon()
    if lexicon is None:
        sys.exit(problem)
    pairs = garbled.load_letter_pairs()
    rows, labels = [], []
    for seed in SEEDS:
        for name, kinds in (("garbled", {"garbled"}), ("all", set(KINDS)), ("none", set())):
            for cell in cells("developed"):
                doc = generate(kinds, cell, random.Random(f"{seed}/{name}/{cell.name}"), 8)
                garbage = {w for text in doc.garbled.values() for w in text.split()}
                for paragraph in repair_document(as_extracted(doc.lines, cell.name), lexicon).paragraphs:
                    row = measures(paragraph.text, lexicon, pairs) if paragraph.language == "ar" else None
                    if row is not None:
                        rows.append(row)
                        labels.append(_share(paragraph.text.split(), garbage) >= 0.5)
    x, y = np.array(rows), np.array(labels, float)
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / spread]
    w = np.zeros(z.shape[1])
    for _ in range(50):  # Newton's method on the L2-penalised log-likelihood
        p = 1 / (1 + np.exp(-z @ w))
        w -= np.linalg.solve((z.T * (p * (1 - p))) @ z + L2 * np.eye(len(w)), z.T @ (p - y) + L2 * w)
    raw = w[1:] / spread
    bias = w[0] - float((w[1:] * mean / spread).sum())
    print(f"{len(y)} paragraphs, {int(y.sum())} garbled")
    print(f'WEIGHTS = {{"letters": {raw[0]:.2f}, "unknown": {raw[1]:.2f}, "mixed": {raw[2]:.2f}}}')
    print(f"BIAS = {bias:.2f}")


if __name__ == "__main__":
    main()
