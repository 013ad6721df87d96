"""Damage benchmark for the repair stage: CER before and after repair, per kind of damage.

Clean Arabic (FLORES-200 devtest sentences from ../shared/eval, grouped into paragraphs) is
damaged the way seed 001 was, one kind at a time, then repaired. Run:
    python benchmarks/bench_repair.py [--paragraphs N]
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

from qantara.repair import repair_document
from qantara.types import ExtractedDocument, PageText, SourceRef, TextLine

ROOT = Path(__file__).resolve().parents[1]
FLORES = ROOT.parent / "shared" / "eval" / "flores200_devtest" / "arb_Arab.devtest"
_CONNECTS = re.compile(r"(?<=[بتثجحخسشصضطظعغفقكلمنهي])(?=[\u0621-\u064a])")
_SPACE = re.compile(r"\s+")


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate from difflib's alignment (an upper bound on Levenshtein's)."""
    errors = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, reference, hypothesis, autojunk=False).get_opcodes():
        if tag != "equal":
            errors += max(i2 - i1, j2 - j1)
    return errors / max(1, len(reference))


def wrap(text: str, width: int = 80) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current] if current else lines


def tatweel(p: str, rng: random.Random) -> list[str]:
    return [_CONNECTS.sub(lambda m: "ـــ" if rng.random() < 0.15 else "", p)]


def reversed_lines(p: str, rng: random.Random) -> list[str]:
    return ["  ".join(line.split()[::-1]) if rng.random() < 0.5 else line for line in wrap(p)]


def orphan_tanween(p: str, rng: random.Random) -> list[str]:
    words = p.split()
    spots = [i for i, w in enumerate(words) if w.endswith("اً") and 0 < i < len(words) - 1]
    if not spots:
        return [p]
    i = rng.choice(spots)
    return [" ".join(words[i + 1 :]), "ً", " ".join(words[:i] + [words[i][:-1]])]


def mirrored(p: str, rng: random.Random) -> list[str]:
    return [p.translate(str.maketrans("()«»", ")(»«"))]


def lost_glyph(p: str, rng: random.Random) -> list[str]:
    return [re.sub("[سشصض]", lambda m: "\ufffdس" if rng.random() < 0.5 else m.group(), p)]


def list_number(p: str, rng: random.Random) -> list[str]:
    number, body = p.split(". ", 1)
    return [f"{body} . {number}"]


def hard_wrap(p: str, rng: random.Random) -> list[str]:
    return [x for line in wrap(p) for x in (line, "")]


DAMAGES = {
    "none": lambda p, rng: [p],
    "tatweel": tatweel,
    "reversed-lines": reversed_lines,
    "orphan-tanween": orphan_tanween,
    "mirrored-brackets": mirrored,
    "lost-glyph": lost_glyph,
    "list-numbers": list_number,
    "hard-wraps": hard_wrap,
}


def clean_paragraphs(count: int, rng: random.Random, kind: str) -> list[str]:
    sentences = [s.strip() for s in FLORES.read_text(encoding="utf-8").splitlines() if s.strip()]
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, 3 * count, 3)]
    if kind == "mirrored-brackets":
        paragraphs = [re.sub(r"(\S+ \S+)", lambda m: f"({m.group(1)})" if rng.random() < 0.1 else m.group(1), p) for p in paragraphs]
        paragraphs = [p.replace("(", "«", 1).replace(")", "»", 1) for p in paragraphs]
    if kind == "list-numbers":
        paragraphs = [f"{i + 1}. {p}" for i, p in enumerate(paragraphs)]
    return paragraphs


def run(kind: str, count: int) -> dict[str, float]:
    rng = random.Random(7)
    paragraphs = clean_paragraphs(count, rng, kind)
    lines: list[str] = []
    for p in paragraphs:
        lines.extend(DAMAGES[kind](p, rng))
        lines.append("")
    path = Path(f"{kind}.txt")
    doc = ExtractedDocument(path, "text", (PageText(1, tuple(TextLine(t, SourceRef(path, 1, i + 1)) for i, t in enumerate(lines))),))
    start = time.perf_counter()
    repaired = repair_document(doc)
    seconds = time.perf_counter() - start
    reference = " ".join(paragraphs)
    before = _SPACE.sub(" ", " ".join(lines)).strip()
    after = " ".join(p.text for p in repaired.paragraphs)
    return {
        "cer_before": cer(reference, before),
        "cer_after": cer(reference, after),
        "paragraphs_expected": len(paragraphs),
        "paragraphs_found": len(repaired.paragraphs),
        "seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=60)
    args = parser.parse_args()
    if not FLORES.is_file():
        print(f"{FLORES} is missing: this benchmark needs ../shared", file=sys.stderr)
        return 2
    results = {kind: run(kind, args.paragraphs) for kind in DAMAGES}
    print(f"{'damage':20} {'CER before':>10} {'CER after':>10} {'paras':>9} {'s':>6}")
    for kind, r in results.items():
        print(f"{kind:20} {r['cer_before']:10.4f} {r['cer_after']:10.4f} "
              f"{r['paragraphs_found']:4d}/{r['paragraphs_expected']:<4d} {r['seconds']:6.2f}")
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "repair.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"worst {max(r['cer_after'] for r in results.values()):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
