"""Translation quality of the installed Arabic→English package on ../shared/eval.

Scores with sacrebleu (chrF and BLEU, with sacrebleu's own signatures) on FLORES-200 devtest
first, then TICO-19. Without an installed ar→en package it says so and exits 0, since no
model can be downloaded on the machines that run CI.

Run: `python benchmarks/eval_translation.py [--limit N] [--sets flores,tico]`
(writes outputs/benchmarks/eval_translation.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from qantara import config
from qantara.errors import ModelNotInstalled
from qantara.models import find_package
from qantara.pipeline import translate_segments
from qantara.segment import split_sentences
from qantara.types import Segment

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SETS = {
    "flores": ("eval/flores200_devtest/arb_Arab.devtest", "eval/flores200_devtest/eng_Latn.devtest"),
    "tico": ("eval/tico19_test/tico19-test.ar", "eval/tico19_test/tico19-test.en"),
}


def translate_lines(lines: list[str], translator) -> list[str]:
    """Each line is a paragraph: segmented, translated in one batch, joined back."""
    segments = [
        Segment(f"l{i}s{k}", i, sentence)
        for i, line in enumerate(lines)
        for k, sentence in enumerate(split_sentences(line) or [""])
    ]
    english: list[list[str]] = [[] for _ in lines]
    for item in translate_segments(segments, translator):
        english[item.paragraph].append(item.english)
    return [" ".join(parts) for parts in english]


def main(argv: list[str] | None = None) -> int:
    from machine_load import describe_machine
    print(describe_machine())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N lines of each set")
    parser.add_argument("--sets", default="flores,tico")
    parser.add_argument("--output", type=Path, default=REPO / "outputs" / "benchmarks" / "eval_translation.json")
    args = parser.parse_args(argv)

    settings = config.load()
    try:
        package = find_package(settings, settings.from_code, settings.to_code)
    except ModelNotInstalled as exc:
        print(f"no evaluation: {exc}")
        return 0
    if not SHARED.is_dir():
        print(f"no evaluation: {SHARED} (the evaluation sets) is absent")
        return 0

    import sacrebleu

    from qantara.translate import CTranslate2Translator

    translator = CTranslate2Translator.load(package, settings)
    results = {"model": translator.signature, "sets": {}}
    print(f"model {translator.signature}")
    print(f"{'set':<8} {'lines':>6} {'chrF':>7} {'BLEU':>7} {'sent/s':>8}")
    for name in args.sets.split(","):
        source_file, reference_file = (SHARED / p for p in SETS[name])
        sources = source_file.read_text("utf-8").splitlines()[: args.limit]
        references = reference_file.read_text("utf-8").splitlines()[: args.limit]
        start = time.perf_counter()
        hypotheses = translate_lines(sources, translator)
        seconds = time.perf_counter() - start
        chrf = sacrebleu.metrics.CHRF()
        bleu = sacrebleu.metrics.BLEU()
        chrf_score = chrf.corpus_score(hypotheses, [references])
        bleu_score = bleu.corpus_score(hypotheses, [references])
        results["sets"][name] = {
            "lines": len(sources),
            "chrF": round(chrf_score.score, 2),
            "BLEU": round(bleu_score.score, 2),
            "chrF_signature": str(chrf.get_signature()),
            "BLEU_signature": str(bleu.get_signature()),
            "sentences_per_second": round(len(sources) / seconds, 2),
        }
        print(f"{name:<8} {len(sources):>6} {chrf_score.score:>7.2f} {bleu_score.score:>7.2f} {len(sources) / seconds:>8.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
