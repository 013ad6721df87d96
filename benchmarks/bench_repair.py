"""Damage benchmark for the repair stage: CER before and after repair, per kind of damage.

Clean Arabic (FLORES-200 devtest sentences from ../shared/eval, grouped into paragraphs) is
damaged the way seed 001 was, one kind at a time and all at once, then repaired. Run:
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
TARGET_CER = 0.01
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a]+$")


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: words aligned first (difflib), then Levenshtein inside each
    differing stretch, which keeps whole-document CER fast and close to exact."""
    ref, hyp = reference.split(), hypothesis.split()
    errors = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes():
        if tag != "equal":
            errors += _levenshtein(" ".join(ref[i1:i2]), " ".join(hyp[j1:j2])) + (tag != "replace")
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


def split_pieces(p: str, rng: random.Random) -> str:
    """Cut some long words in two with a space, a quarter of them with the pieces swapped."""
    out = []
    for word in p.split():
        if len(word) >= 6 and _ARABIC_ONLY.match(word) and rng.random() < 0.2:
            cut = rng.randint(2, len(word) - 2)
            head, tail = word[:cut], word[cut:]
            out.extend([tail, head] if rng.random() < 0.25 else [head, tail])
        else:
            out.append(word)
    return " ".join(out)


def split_words(p: str, rng: random.Random) -> list[str]:
    # Hard-wrapped, so some cut words are spread over two lines as in seed 001.
    return hard_wrap(split_pieces(p, rng), rng)


def all_at_once(p: str, rng: random.Random) -> list[str]:
    """Every damage on the same text: glyphs, brackets, tatweel, list number, split words,
    hard wraps, then per line either an orphaned tanween or reversed word order."""
    (p,) = tatweel(mirrored(lost_glyph(p, rng)[0], rng)[0], rng)
    number, body = p.split(". ", 1)
    wrapped = wrap(split_pieces(body, rng))
    # A moved list number lands at the end of the item's first line, as in seed 001.
    wrapped[0] = f"{wrapped[0]} . {number}"
    lines = []
    for n, line in enumerate(wrapped):
        orphaned = orphan_tanween(line, rng) if rng.random() < 0.5 else [line]
        if len(orphaned) == 1 and rng.random() < 0.5:
            words = line.split()
            if n == 0:
                # Seed 001 shows a reversed numbered line as "حديد . 5 سكة خط ...".
                words = words[:-2]
                orphaned = [f"{words[-1]} . {number} " + "  ".join(words[-2::-1])]
            else:
                orphaned = ["  ".join(words[::-1])]
        lines.extend(x for piece in orphaned for x in (piece, ""))
    return lines


DAMAGES = {
    "none": lambda p, rng: [p],
    "tatweel": tatweel,
    "reversed-lines": reversed_lines,
    "orphan-tanween": orphan_tanween,
    "mirrored-brackets": mirrored,
    "lost-glyph": lost_glyph,
    "list-numbers": list_number,
    "hard-wraps": hard_wrap,
    "split-words": split_words,
    "all-at-once": all_at_once,
}


def clean_paragraphs(count: int, rng: random.Random, kind: str) -> list[str]:
    sentences = [s.strip() for s in FLORES.read_text(encoding="utf-8").splitlines() if s.strip()]
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, 3 * count, 3)]
    if kind in ("mirrored-brackets", "all-at-once"):
        paragraphs = [re.sub(r"(\S+ \S+)", lambda m: f"({m.group(1)})" if rng.random() < 0.1 else m.group(1), p) for p in paragraphs]
        paragraphs = [p.replace("(", "«", 1).replace(")", "»", 1) for p in paragraphs]
    if kind in ("list-numbers", "all-at-once"):
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
    from machine_load import describe_machine
    print(describe_machine())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=60)
    args = parser.parse_args()
    if not FLORES.is_file():
        print(f"{FLORES} is missing: this benchmark needs ../shared", file=sys.stderr)
        return 2
    results = {kind: run(kind, args.paragraphs) for kind in DAMAGES}
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "repair.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    # A quality benchmark: the table is the result, printed last (target: CER after <= 0.01).
    print(f"{'damage':20} {'CER before':>10} {'CER after':>10} {'target':>6} {'paras':>9} {'s':>6}")
    for kind, r in results.items():
        ok = "ok" if r["cer_after"] <= TARGET_CER else "MISS"
        print(f"{kind:20} {r['cer_before']:10.4f} {r['cer_after']:10.4f} {ok:>6} "
              f"{r['paragraphs_found']:4d}/{r['paragraphs_expected']:<4d} {r['seconds']:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
