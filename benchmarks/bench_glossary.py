"""Glossary matching speed: a 10,000-entry glossary against a million words of real Arabic.

The text is the Arabic side of the shared evaluation sets (FLORES-200, TICO-19, Tatoeba),
repeated to at least a million words and matched paragraph by paragraph, as the flow does.
The glossary is the shipped one plus synthetic transliteration-like names (one to three
words, one or two variants each, some with the article, some with a context rule), written
as CSV and read through `load_glossary`, so the load time includes checking.

Run: `python benchmarks/bench_glossary.py` (one core; prints a table, writes
outputs/benchmarks/glossary.json).
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
import time
from pathlib import Path

from qantara.glossary import load_glossary

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL_ARABIC = (
    "eval/flores200_devtest/arb_Arab.devtest",
    "eval/tico19_test/tico19-test.ar",
    "eval/tatoeba_test_ara_eng/tatoeba-test-v2021-08-07.ara",
)
ENTRIES = 10_000
MIN_WORDS = 1_000_000
PARAGRAPH_LINES = 8
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_ENDINGS = ("ستان", "وف", "يف", "اباد", "ية", "ان", "ي", "ا")


def _synthetic_name(rng: random.Random) -> str:
    words = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        word = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 6)))
        words.append(word + rng.choice(_ENDINGS))
    name = " ".join(words)
    return "ال" + name if rng.random() < 0.2 else name


def write_synthetic_glossary(folder: Path, entries: int = ENTRIES, seed: int = 5) -> Path:
    """The shipped glossary plus synthetic entries up to `entries` rows, as CSV in `folder`."""
    rng = random.Random(seed)
    shipped = (REPO / "glossary" / "names.csv").read_text(encoding="utf-8")
    (folder / "names.csv").write_text(shipped, encoding="utf-8")
    taken = set()
    rows = []
    while len(rows) + shipped.count("\n") - 1 < entries:
        forms = [_synthetic_name(rng) for _ in range(rng.choice((2, 2, 3)))]
        if taken & set(forms) or len(set(forms)) < len(forms):
            continue
        taken.update(forms)
        context = "شركة|مدينة" if rng.random() < 0.05 else ""
        kind = rng.choice(("person", "place", "organization", "other"))
        rows.append([f"Name {len(rows)}", forms[0], "|".join(forms[1:]), kind, "", context])
    with (folder / "synthetic.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["english", "arabic", "variants", "type", "note", "context"])
        writer.writerows(rows)
    return folder


def real_paragraphs(min_words: int = MIN_WORDS) -> tuple[list[str], int]:
    lines = []
    for name in EVAL_ARABIC:
        lines.extend(x for x in (SHARED / name).read_text(encoding="utf-8").splitlines() if x)
    paragraphs = [
        "\n".join(lines[i : i + PARAGRAPH_LINES]) for i in range(0, len(lines), PARAGRAPH_LINES)
    ]
    words_once = sum(len(p.split()) for p in paragraphs)
    repeats = -(-min_words // words_once)
    return paragraphs * repeats, words_once * repeats


def bench_glossary() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_synthetic_glossary(Path(tmp))
        started = time.perf_counter()
        glossary = load_glossary(folder)
        load_s = time.perf_counter() - started
    paragraphs, words = real_paragraphs()
    started = time.perf_counter()
    hits = sum(len(glossary.find(p)) for p in paragraphs)
    match_s = time.perf_counter() - started
    forms = sum(len(e.forms) for e in glossary.entries)
    return {
        "entries": len(glossary.entries),
        "forms": forms,
        "load_s": round(load_s, 3),
        "words": words,
        "hits": hits,
        "match_s": round(match_s, 3),
        "words_per_s": round(words / match_s),
    }


def main() -> None:
    from machine_load import describe_machine
    print(describe_machine())
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} is absent: the benchmark needs its evaluation sets")
    result = bench_glossary()
    out = REPO / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "glossary.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value:>12,}" if isinstance(value, int) else
              f"{key:<{width}}  {value:>12}")


if __name__ == "__main__":
    main()
