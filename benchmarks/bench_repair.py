"""Damage benchmark for the repair stage: CER before and after repair, per kind of damage.

Documents are generated at random from a seed (tests/support/damage.py): FLORES-200 devtest
prose, which no table the repair learns from has seen, dressed as reports are and damaged
one kind at a time, then with every kind together. The generator's parameter grid is split
into developed and unseen cells; only the unseen half counts. Garbled paragraphs cannot be
repaired: they must be flagged, and flagged paragraphs leave both sides of the CER (a missed
one adds its garbage, a clean one wrongly flagged loses its text). Run:
    python benchmarks/bench_repair.py [--seed N] [--paragraphs N] [--split developed|unseen|both]
Writes outputs/benchmarks/repair.json and prints a table; needs ../shared.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.damage import FLORES, KINDS, Cell, Document, cells, generate  # noqa: E402

from qantara.repair import repair_document  # noqa: E402
from qantara.types import Document as Record, ExtractedDocument, Flag, PageText, SourceRef, TextLine  # noqa: E402

_SPACE = re.compile(r"\s+")
TARGET_ONE = 0.002
TARGET_ALL = 0.005


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def errors(reference: str, hypothesis: str) -> int:
    """Character edits: words aligned first (difflib), then Levenshtein inside each differing
    stretch, which keeps whole-document CER fast and close to exact."""
    ref, hyp = reference.split(), hypothesis.split()
    total = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes():
        if tag != "equal":
            total += _levenshtein(" ".join(ref[i1:i2]), " ".join(hyp[j1:j2])) + (tag != "replace")
    return total


def cer(reference: str, hypothesis: str) -> float:
    return errors(reference, hypothesis) / max(1, len(reference))


def as_extracted(lines: list[str], name: str) -> ExtractedDocument:
    path = Path(f"{name}.txt")
    return ExtractedDocument(
        path, "text", (PageText(1, tuple(TextLine(t, SourceRef(path, 1, i + 1)) for i, t in enumerate(lines))),)
    )


def is_garbled(paragraph) -> bool:
    return Flag.GARBLED in paragraph.flags


def score(doc: Document, repaired: Record) -> dict[str, float]:
    reference = " ".join(p for i, p in enumerate(doc.reference) if i not in doc.garbled)
    damaged = _SPACE.sub(" ", " ".join(doc.lines)).strip()
    kept = " ".join(p.text for p in repaired.paragraphs if not is_garbled(p))
    flagged = [p.text for p in repaired.paragraphs if is_garbled(p)]
    garbage = {w for text in doc.garbled.values() for w in text.split()}
    flagged_words = {w for text in flagged for w in text.split()}
    hit = sum(1 for text in doc.garbled.values() if _share(text.split(), flagged_words) >= 0.5)
    false = sum(1 for text in flagged if _share(text.split(), garbage) < 0.5)
    return {
        "chars": len(reference),
        "errors_before": errors(reference, damaged),
        "errors_after": errors(reference, kept),
        "changes": len(repaired.changes),
        "garbled": len(doc.garbled),
        "garbled_found": hit,
        "false_flags": false,
        "paragraphs": len(doc.reference),
    }


def _share(words: list[str], pool: set[str]) -> float:
    return sum(1 for w in words if w in pool) / max(1, len(words))


def run(kind: str, grid: list[Cell], seed: int, paragraphs: int) -> dict[str, float]:
    kinds = set(KINDS) if kind == "all" else set() if kind == "none" else {kind}
    totals: dict[str, float] = {}
    start = time.perf_counter()
    for cell in grid:
        rng = random.Random(f"{seed}/{kind}/{cell.name}")
        doc = generate(kinds, cell, rng, paragraphs)
        repaired = repair_document(as_extracted(doc.lines, f"{kind}-{cell.name}"))
        for key, value in score(doc, repaired).items():
            totals[key] = totals.get(key, 0) + value
    totals["seconds"] = time.perf_counter() - start
    totals["cer_before"] = totals["errors_before"] / max(1, totals["chars"])
    totals["cer_after"] = totals["errors_after"] / max(1, totals["chars"])
    return totals


def main() -> int:
    from machine_load import describe_machine
    print(describe_machine())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--paragraphs", type=int, default=8, help="paragraphs per generated document (one per cell)")
    parser.add_argument("--split", choices=("developed", "unseen", "both"), default="both")
    parser.add_argument("--kinds", nargs="*", default=None, help="only these kinds (default: none, each kind, all)")
    args = parser.parse_args()
    if not FLORES.is_file():
        print(f"{FLORES} is missing: this benchmark needs ../shared", file=sys.stderr)
        return 2
    kinds = args.kinds or ["none", *KINDS, "all"]
    splits = ["developed", "unseen"] if args.split == "both" else [args.split]
    results = {split: {kind: run(kind, cells(split), args.seed, args.paragraphs) for kind in kinds} for split in splits}
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "repair.json").write_text(json.dumps({"seed": args.seed, "results": results}, indent=2), encoding="utf-8")
    # A quality benchmark: the table is the result (targets: each kind <= 0.002, all <= 0.005).
    print(f"seed {args.seed}, {args.paragraphs} paragraphs per cell")
    for split in splits:
        print(f"\n{split} cells ({len(cells(split))})")
        print(f"{'damage':18} {'CER before':>10} {'CER after':>10} {'target':>6} {'changes':>8} {'garbled':>9} {'false':>6} {'s':>6}")
        for kind, r in results[split].items():
            target = TARGET_ALL if kind == "all" else TARGET_ONE
            ok = "ok" if r["cer_after"] <= target and (kind != "none" or r["changes"] == 0) else "MISS"
            found = f"{int(r['garbled_found'])}/{int(r['garbled'])}" if r["garbled"] else "-"
            print(f"{kind:18} {r['cer_before']:10.4f} {r['cer_after']:10.4f} {ok:>6} {int(r['changes']):8d} "
                  f"{found:>9} {int(r['false_flags']):6d} {r['seconds']:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
