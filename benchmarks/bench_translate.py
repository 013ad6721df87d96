"""Throughput: argos's per-paragraph CTranslate2 calls against Qantara's one batched call.

Builds a transformer-base-sized argos package (6+6 layers, d 512, ffn 2048) with random
weights, loads it once, and translates the same Arabic sentences two ways with the same
Translator object and the same decoding options (beam, length penalty, replace_unknowns):

- argos: what ``argostranslate.translate`` does after sentence splitting, one
  ``translate_batch`` call per paragraph with ``max_batch_size=32`` tokens (ARGOS_BATCH_SIZE's
  default). argostranslate itself is not called: its sentence splitters need the network.
- qantara: ``CTranslate2Translator.translate`` over all sentences at once (length-sorted,
  ``batch_tokens`` per batch).

Prints sentences/s for both, whether the outputs agree, and last ``speedup <x.xx>``; writes
the figures to outputs/benchmarks/bench_translate.json.

    .venv/bin/python benchmarks/bench_translate.py [--sentences 160] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.argos_package import SHARED, build_argos_package, default_corpus  # noqa: E402
from qantara.config import Settings  # noqa: E402
from qantara.models import read_installed_package  # noqa: E402
from qantara.translate import CTranslate2Translator, decode_pieces  # noqa: E402

ARGOS_BATCH_TOKENS = 32
SENTENCES_PER_PARAGRAPH = 4


def _sentences(count: int) -> list[str]:
    flores = SHARED / "eval" / "flores200_devtest" / "arb_Arab.devtest"
    if flores.is_file():
        lines = flores.read_text("utf-8").splitlines()
    else:
        lines = default_corpus()[: len(default_corpus()) // 2]  # the Arabic half
    return [line for line in lines if line.strip()][:count]


def translate_like_argos(engine: CTranslate2Translator, paragraphs: list[list[str]]) -> list[str]:
    """argostranslate.translate.apply_packaged_translation, one call per paragraph."""
    outputs = []
    for paragraph in paragraphs:
        tokenized = [engine.processor.encode(sentence, out_type=str) for sentence in paragraph]
        results = engine.translator.translate_batch(
            tokenized,
            target_prefix=None,
            replace_unknowns=True,
            max_batch_size=ARGOS_BATCH_TOKENS,
            batch_type="tokens",
            beam_size=engine.settings.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
            return_scores=True,
        )
        outputs += [decode_pieces(engine.processor, r.hypotheses[0], "") for r in results]
    return outputs


def bench_translate(sentences: int, threads: int, inter_threads: int, batch_tokens: int) -> dict:
    texts = _sentences(sentences)
    paragraphs = [
        texts[i : i + SENTENCES_PER_PARAGRAPH] for i in range(0, len(texts), SENTENCES_PER_PARAGRAPH)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        archive = build_argos_package(
            Path(tmp), num_layers=6, num_heads=8, d_model=512, ffn=2048, vocab_size=8000
        )
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(Path(tmp) / "packages")
        package = read_installed_package(Path(tmp) / "packages" / "translate-ar_en-1_0")
        settings = Settings(
            device="cpu", compute_type="int8", beam_size=4, batch_tokens=batch_tokens,
            inter_threads=inter_threads, intra_threads=threads // inter_threads,
        )
        engine = CTranslate2Translator.load(package, settings)
        engine.translate(texts[:2])  # warm up allocations outside the timings

        start = time.perf_counter()
        argos = translate_like_argos(engine, paragraphs)
        argos_s = time.perf_counter() - start
        start = time.perf_counter()
        ours = engine.translate(texts)
        ours_s = time.perf_counter() - start

    words = [len(o.split()) for o in ours]
    return {
        "sentences": len(texts),
        "paragraphs": len(paragraphs),
        "threads": threads,
        "inter_threads": inter_threads,
        "batch_tokens": batch_tokens,
        "compute_type": "int8",
        "beam_size": 4,
        "argos_sentences_per_s": len(texts) / argos_s,
        "qantara_sentences_per_s": len(texts) / ours_s,
        "identical_outputs": sum(a == b for a, b in zip(argos, ours)),
        "identical_output_words": sum(len(a.split()) == w for a, w in zip(argos, words)),
        "mean_output_words": sum(words) / len(words),
        "speedup": argos_s / ours_s,
        "signature": engine.signature,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=160)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--inter-threads", type=int, default=1)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    args = parser.parse_args()
    result = bench_translate(args.sentences, args.threads, args.inter_threads, args.batch_tokens)
    out = ROOT / "outputs" / "benchmarks" / "bench_translate.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"{result['signature']}, {result['sentences']} sentences in {result['paragraphs']} paragraphs")
    print(f"argos per-paragraph   {result['argos_sentences_per_s']:7.2f} sentences/s")
    print(f"qantara batched       {result['qantara_sentences_per_s']:7.2f} sentences/s")
    print(
        f"identical outputs     {result['identical_outputs']}/{result['sentences']} "
        f"(same length {result['identical_output_words']}/{result['sentences']}, "
        f"mean {result['mean_output_words']:.1f} words)"
    )
    print(f"speedup {result['speedup']:.2f}")


if __name__ == "__main__":
    main()
