"""OCR quality and speed on generated scans, developed and unseen halves apart.

Draws scanned documents at random from a seed (tests/support/generate: the PDF producers,
fonts and layouts of bench_pdf.py, printed and scanned at 150-300 dpi with rotation, blur,
noise and JPEG), builds them (cached under outputs/benchmarks/corpus/), and reads each one
twice, side by side:

- **plain Tesseract**: one pass per page, Arabic + English, automatic page segmentation, on
  the page rendered at 300 dpi, one page per core (``OMP_THREAD_LIMIT=1``), its own text
  output; the page images are rendered before the clock starts;
- **Qantara**: ``extract_document`` (rendering, OCR, layout, correction), as the main job
  reads a scan.

It prints, for each half of the grid, the character error rate of both per producer and
layout, then pages per second of both over all pages (the two alternate document by
document, so that a busy moment of the machine hits both), the core count and the load.
Writes outputs/benchmarks/ocr.json; the last line is ``speedup <x.xx>`` (Qantara's
pages/s over plain Tesseract's).

    .venv/bin/python benchmarks/bench_ocr.py [--seed N] [--count N] [--halves developed,unseen]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_pdf import corpus  # noqa: E402
from machine_load import describe_machine, machine  # noqa: E402
from support.generate import text_available  # noqa: E402
from support.score import cer, paragraphs_of  # noqa: E402

from qantara.extraction import extract_document  # noqa: E402
from qantara.extraction.ocr import tesseract_problem  # noqa: E402
from qantara.extraction.ocr.render import render_pages  # noqa: E402

TEXTS = ROOT / "outputs" / "benchmarks" / "ocr"
PLAIN_DPI = 300


def page_images(pdf: Path, pages: int) -> list[bytes]:
    """The pages as PNG files, what the tesseract program reads."""
    out = []
    for page in render_pages(pdf, list(range(1, pages + 1)), PLAIN_DPI):
        if page.image is not None:
            buffer = io.BytesIO()
            page.image.save(buffer, format="PNG")
            out.append(buffer.getvalue())
    return out


def plain_tesseract(png: bytes) -> str:
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "ara+eng", "--psm", "3"], input=png,
                          capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return done.stdout.decode("utf-8")


def read_both(made, cores: int, flip: bool) -> dict:
    """One document read by plain Tesseract (a page per core) and by Qantara, in the order
    ``flip`` says; their texts and seconds."""
    images = page_images(made.pdf, made.notes["pages"])
    out: dict = {}

    def plain() -> None:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=cores) as pool:
            out["plain"] = "\n".join(pool.map(plain_tesseract, images))
        out["plain_s"] = time.perf_counter() - start

    def ours() -> None:
        start = time.perf_counter()
        out["qantara"] = "\n".join(paragraphs_of(extract_document(made.pdf)))
        out["qantara_s"] = time.perf_counter() - start

    for step in ((ours, plain) if flip else (plain, ours)):
        step()
    return out


def score(docs: list, cores: int, keep_texts: bool) -> dict:
    rows = []
    for k, made in enumerate(docs):
        spec = made.spec
        read = read_both(made, cores, flip=k % 2 == 1)
        row = {"name": spec.name, "producer": spec.producer_label, "columns": spec.columns, "font": spec.font,
               "scan": repr(spec.scan), "pages": made.notes["pages"],
               "tesseract": round(cer(made.truth, read["plain"]), 4),
               "qantara": round(cer(made.truth, read["qantara"]), 4),
               "tesseract_s": round(read["plain_s"], 2), "qantara_s": round(read["qantara_s"], 2)}
        rows.append(row)
        print(f"  {spec.name:58}{row['pages']:>3} p  tesseract {row['tesseract']:.4f} {row['tesseract_s']:6.1f} s"
              f"  qantara {row['qantara']:.4f} {row['qantara_s']:6.1f} s", flush=True)
        if keep_texts:
            TEXTS.mkdir(parents=True, exist_ok=True)
            (TEXTS / f"{spec.name}.qantara.txt").write_text(read["qantara"], encoding="utf-8")
            (TEXTS / f"{spec.name}.truth.txt").write_text("\n".join(made.truth), encoding="utf-8")
    cells: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        cells[f"{row['producer']} {row['columns']}col"].append(row)
    table = {cell: {tool: round(sum(r[tool] for r in members) / len(members), 4) for tool in ("tesseract", "qantara")}
             | {"documents": len(members)} for cell, members in sorted(cells.items())}
    means = {tool: round(sum(r[tool] for r in rows) / len(rows), 4) for tool in ("tesseract", "qantara")} if rows else {}
    return {"cells": table, "mean": means, "documents": rows}


def print_half(name: str, result: dict) -> None:
    print(f"\n{name} half: CER per producer and layout")
    print(f"{'producer / layout':24}{'docs':>5}{'tesseract':>11}{'qantara':>11}")
    for cell, row in result["cells"].items():
        print(f"{cell:24}{row['documents']:>5}{row['tesseract']:>11.4f}{row['qantara']:>11.4f}")
    if result["mean"]:
        print(f"{'mean':24}{len(result['documents']):>5}{result['mean']['tesseract']:>11.4f}"
              f"{result['mean']['qantara']:>11.4f}")
        worst = max(result["cells"].items(), key=lambda kv: kv[1]["qantara"])
        print(f"worst cell for qantara: {worst[0]} {worst[1]['qantara']:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--count", type=int, default=24, help="documents per half")
    parser.add_argument("--halves", default="developed,unseen")
    parser.add_argument("--jobs", type=int, default=2, help="documents built at once")
    parser.add_argument("--cores", type=int, default=2, help="pages plain Tesseract reads at once")
    parser.add_argument("--texts", action="store_true",
                        help="write Qantara's text and the truth of the developed half to outputs/benchmarks/ocr/")
    args = parser.parse_args()
    if not text_available():
        raise SystemExit("../shared (eval sets and seeds) is absent: nothing to generate text from")
    problem = tesseract_problem()
    if problem:
        raise SystemExit(problem)
    from qantara.arabic.lexicon import default_lexicon

    default_lexicon()  # loaded once per worker in the main job: not on the clock
    print(describe_machine())
    results = {}
    for half in args.halves.split(","):
        docs, skipped = corpus(args.seed, args.count, half, args.jobs, scans=True)
        for line in skipped:
            print(f"skipped {line}")
        print(f"\n{half} half ({len(docs)} documents, seed {args.seed}):")
        results[half] = score(docs, args.cores, args.texts and half == "developed")
        print_half(half, results[half])
    rows = [r for result in results.values() for r in result["documents"]]
    pages = sum(r["pages"] for r in rows)
    plain = pages / sum(r["tesseract_s"] for r in rows)
    ours = pages / sum(r["qantara_s"] for r in rows)
    print(describe_machine())
    print(f"pages/s on {pages} scanned pages: qantara {ours:.3f}, plain tesseract (one pass, a page per core) "
          f"{plain:.3f}")
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ocr.json").write_text(json.dumps(
        {"seed": args.seed, "machine": machine(), "halves": results,
         "speed": {"pages": pages, "qantara_pages_per_s": round(ours, 3), "tesseract_pages_per_s": round(plain, 3)}},
        ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"speedup {ours / plain:.2f}")


if __name__ == "__main__":
    main()
