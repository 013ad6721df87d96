"""Throughput: argos's per-paragraph CTranslate2 calls against Qantara's batched call.

Builds a transformer-base-sized argos package (6+6 layers, d 512, ffn 2048) with random
weights and translates the same Arabic sentences two ways, with the same decoding options
(beam 4, length penalty 0.2, replace_unknowns):

- argos: what ``argostranslate.translate`` does after sentence splitting, one
  ``translate_batch`` call per paragraph with ``max_batch_size=32`` tokens, on a Translator
  made with argos's own thread settings (``inter_threads=1``, ``intra_threads=0``: one batch
  at a time, CTranslate2's default threads). argostranslate itself is not called: its
  sentence splitters need the network.
- qantara: ``CTranslate2Translator.translate`` over all sentences at once, with Qantara's
  settings (length-sorted token batches, one batch per core, one thread per batch).

Each compute type is a row: int8 (the CPU default), float32 (where the two must agree
exactly), and float16 when a CUDA device is present. The paths alternate over
``--rounds`` rounds and each keeps its fastest round, so a busy machine slows both alike.
``--sweep`` adds rows for other batch sizes and thread splits, measured in the same rounds
(how the defaults were chosen).
Prints the machine's cores and load, sentences/s, the ratio of CPU seconds per sentence (the
work saved, which a busy machine does not blur), identical outputs, and last ``speedup
<x.xx>`` (the default compute type); writes outputs/benchmarks/bench_translate.json.

    .venv/bin/python benchmarks/bench_translate.py [--sentences 160] [--rounds 3] [--sweep]
        [--compute int8,float32]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.argos_package import SHARED, build_argos_package, default_corpus  # noqa: E402
from machine_load import describe_machine, machine  # noqa: E402
from qantara.config import Settings  # noqa: E402
from qantara.models import InstalledPackage, read_installed_package  # noqa: E402
from qantara.translate import CTranslate2Translator, decode_pieces  # noqa: E402

ARGOS_BATCH_TOKENS = 32
SENTENCES_PER_PARAGRAPH = 4
BEAM = 4
# (batch_tokens, inter_threads, intra_threads) tried by --sweep; 0 threads: Qantara's default.
# The batch size is the most a batch holds: every worker still gets four batches at least.
SWEEP = [(2048, 1, 2), (256, 0, 0), (512, 0, 0), (1 << 20, 0, 0), (2048, 1, 1)]


def _sentences(count: int) -> list[str]:
    flores = SHARED / "eval" / "flores200_devtest" / "arb_Arab.devtest"
    if flores.is_file():
        lines = flores.read_text("utf-8").splitlines()
    else:
        lines = default_corpus()[: len(default_corpus()) // 2]  # the Arabic half
    return [line for line in lines if line.strip()][:count]


def argos_engine(package: InstalledPackage, device: str, compute_type: str) -> CTranslate2Translator:
    """A Translator made the way argostranslate makes one (its default thread settings)."""
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(str(package.path / "model"), device=device,
                                        compute_type=compute_type, inter_threads=1, intra_threads=0)
    processor = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
    settings = Settings(device=device, compute_type=compute_type, beam_size=BEAM)
    return CTranslate2Translator(package, settings, compute_type, translator, processor)


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
            beam_size=BEAM,
            num_hypotheses=1,
            length_penalty=0.2,
            return_scores=True,
        )
        outputs += [decode_pieces(engine.processor, r.hypotheses[0], "") for r in results]
    return outputs


def _rows(package: InstalledPackage, texts: list[str], rounds: int, device: str, compute_type: str,
          configs: list[Settings]) -> list[dict]:
    """One row per Qantara configuration, each against the same argos runs.

    In every round the argos path and each configuration run once, in an order that rotates
    from round to round; each keeps its fastest round.
    """
    paragraphs = [texts[i : i + SENTENCES_PER_PARAGRAPH] for i in range(0, len(texts), SENTENCES_PER_PARAGRAPH)]
    argos = argos_engine(package, device, compute_type)
    engines = [CTranslate2Translator.load(package, settings) for settings in configs]
    runs = [lambda: translate_like_argos(argos, paragraphs)]
    runs += [lambda engine=engine: engine.translate(texts) for engine in engines]
    for engine in (argos, *engines):
        engine.translate(texts[:2])  # warm up allocations outside the timings
    wall = [float("inf")] * len(runs)
    cpu = list(wall)
    outputs: list[list[str]] = [[] for _ in runs]
    for round_ in range(rounds):
        order = list(range(len(runs)))
        for index in order[round_ % len(order):] + order[: round_ % len(order)]:
            start, start_cpu = time.perf_counter(), time.process_time()
            outputs[index] = runs[index]()
            wall[index] = min(wall[index], time.perf_counter() - start)
            cpu[index] = min(cpu[index], time.process_time() - start_cpu)
    total_tokens = sum(map(argos.count_tokens, texts))
    rows = []
    for index, (engine, settings) in enumerate(zip(engines, configs), start=1):
        inter, intra = settings.resolved_threads()
        rows.append({
            "compute_type": compute_type,
            "device": device,
            "batch_tokens": engine.batch_tokens(total_tokens),
            "inter_threads": inter,
            "intra_threads": intra,
            "argos_sentences_per_s": round(len(texts) / wall[0], 2),
            "qantara_sentences_per_s": round(len(texts) / wall[index], 2),
            "speedup": round(wall[0] / wall[index], 2),
            # CPU seconds (all threads) per sentence: the work done, whatever else runs.
            "argos_cpu_s_per_sentence": round(cpu[0] / len(texts), 4),
            "qantara_cpu_s_per_sentence": round(cpu[index] / len(texts), 4),
            "identical_outputs": sum(a == b for a, b in zip(outputs[0], outputs[index])),
            "signature": engine.signature,
        })
    return rows


def bench_translate(sentences: int, rounds: int, sweep: bool, compute_types: list[str]) -> dict:
    import ctranslate2

    texts = _sentences(sentences)
    cuda = ctranslate2.get_cuda_device_count() > 0
    with tempfile.TemporaryDirectory() as tmp:
        archive = build_argos_package(
            Path(tmp), num_layers=6, num_heads=8, d_model=512, ffn=2048, vocab_size=8000
        )
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(Path(tmp) / "packages")
        package = read_installed_package(Path(tmp) / "packages" / "translate-ar_en-1_0")
        rows = []
        for compute_type in compute_types:
            default = Settings(device="cpu", compute_type=compute_type, beam_size=BEAM)
            configs = [default] + [
                dataclasses.replace(default, batch_tokens=tokens, inter_threads=inter, intra_threads=intra)
                for tokens, inter, intra in (SWEEP if sweep else [])
            ]
            rows += _rows(package, texts, rounds, "cpu", compute_type, configs)
        if cuda:
            gpu = Settings(device="cuda", compute_type="float16", beam_size=BEAM)
            rows += _rows(package, texts, rounds, "cuda", "float16", [gpu])
    return {"sentences": len(texts), "beam_size": BEAM, "cuda": cuda, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=160)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sweep", action="store_true", help="also try other batch sizes and thread splits")
    parser.add_argument("--compute", default="int8,float32", help="CPU compute types, comma-separated")
    args = parser.parse_args()
    print(describe_machine())
    before = machine()
    result = bench_translate(args.sentences, args.rounds, args.sweep, args.compute.split(","))
    result["machine"] = {"before": before, "after": machine()}
    out = ROOT / "outputs" / "benchmarks" / "bench_translate.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    rows = result["rows"]
    print(f"{rows[0]['signature']}, {result['sentences']} sentences, best of {args.rounds} rounds"
          + ("" if result["cuda"] else "; no CUDA device: no float16 row"))
    print(f"{'compute':<9}{'device':<7}{'batch':>6}{'inter':>6}{'intra':>6}"
          f"{'argos/s':>9}{'qantara/s':>11}{'ratio':>7}{'cpu ratio':>10}{'identical':>11}")
    for row in rows:
        cpu_ratio = row["argos_cpu_s_per_sentence"] / max(row["qantara_cpu_s_per_sentence"], 1e-9)
        print(f"{row['compute_type']:<9}{row['device']:<7}{row['batch_tokens']:>6}{row['inter_threads']:>6}"
              f"{row['intra_threads']:>6}{row['argos_sentences_per_s']:>9.2f}{row['qantara_sentences_per_s']:>11.2f}"
              f"{row['speedup']:>7.2f}{cpu_ratio:>10.2f}{row['identical_outputs']:>7}/{result['sentences']}")
    print(describe_machine())
    print(f"speedup {rows[0]['speedup']:.2f}")


if __name__ == "__main__":
    main()
