"""OCR quality and speed on generated scans, developed and unseen halves apart.

Draws documents at random from a seed (tests/support/generate), renders them with their
producer and "prints and scans" them (150-300 dpi, rotation, blur, noise, JPEG; image-only
PDFs, cached under outputs/benchmarks/corpus/), then prints for each half of the grid, per
producer and layout, the character error rate against the truth of Qantara's OCR path and of
one plain Tesseract pass (ara+eng, automatic page segmentation, its own text), and pages per
second of both, side by side on the same pages (Qantara's pool against one Tesseract process
per page on as many cores). Writes outputs/benchmarks/ocr.json; the last line is
``speedup <x.xx>``: Qantara's pages/s over the plain pass's (OCR speed is reported here, not
yet a target).

    .venv/bin/python benchmarks/bench_ocr.py [--seed N] [--count N] [--halves developed,unseen]
"""

from __future__ import annotations

import argparse
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
from qantara.extraction.ocr import DEFAULT_WORKERS, tesseract_problem  # noqa: E402
from qantara.extraction.ocr.render import render_pages  # noqa: E402


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def plain_tesseract(pdf: Path, workers: int) -> str:
    """Tesseract's own text of each page (one pass, ara+eng, automatic segmentation), one
    process per page, at most ``workers`` at once."""
    def read(png: bytes) -> str:
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "ara+eng", "--psm", "3"], input=png,
                              capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        return done.stdout.decode("utf-8")

    pngs = [image.png for image in render_pages(pdf, list(range(1, page_count(pdf) + 1)))]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return "\n".join(pool.map(read, pngs))


def score(docs: list) -> dict:
    rows = []
    seconds = {"qantara": 0.0, "tesseract": 0.0}
    pages = 0
    for made in docs:
        spec = made.spec
        start = time.perf_counter()
        ours = "\n".join(paragraphs_of(extract_document(made.pdf)))
        seconds["qantara"] += time.perf_counter() - start
        start = time.perf_counter()
        raw = plain_tesseract(made.pdf, DEFAULT_WORKERS)
        seconds["tesseract"] += time.perf_counter() - start
        n = page_count(made.pdf)
        pages += n
        rows.append({"name": spec.name, "producer": spec.producer_label, "columns": spec.columns,
                     "pages": n, "dpi": spec.scan.dpi, "qantara": round(cer(made.truth, ours), 4),
                     "tesseract": round(cer(made.truth, raw), 4)})
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for name in ("qantara", "tesseract"):
            cells[f"{row['producer']} {row['columns']}col"][name].append(row[name])
    table = {cell: {n: round(sum(v) / len(v), 4) for n, v in by.items()} | {"documents": len(by["qantara"])}
             for cell, by in sorted(cells.items())}
    means = {n: round(sum(r[n] for r in rows) / len(rows), 4) for n in ("qantara", "tesseract")} if rows else {}
    speed = {"pages": pages, "seconds": {k: round(v, 1) for k, v in seconds.items()},
             "qantara_pages_per_s": round(pages / seconds["qantara"], 3) if pages else 0.0,
             "tesseract_pages_per_s": round(pages / seconds["tesseract"], 3) if pages else 0.0}
    return {"cells": table, "mean": means, "documents": rows, "speed": speed}


def print_half(name: str, result: dict, show: bool) -> None:
    print(f"\n{name} half: CER per producer and layout (scans)")
    print(f"{'producer / layout':24}{'docs':>5}{'qantara':>11}{'tesseract':>11}")
    for cell, row in result["cells"].items():
        print(f"{cell:24}{row['documents']:>5}{row['qantara']:>11.4f}{row['tesseract']:>11.4f}")
    if result["mean"]:
        print(f"{'mean':24}{len(result['documents']):>5}{result['mean']['qantara']:>11.4f}"
              f"{result['mean']['tesseract']:>11.4f}")
    if show:
        for row in sorted(result["documents"], key=lambda r: -r["qantara"]):
            print(f"  {row['name']:58}{row['qantara']:>8.4f}{row['tesseract']:>8.4f}")
    s = result["speed"]
    print(f"pages/s on {s['pages']} pages: qantara {s['qantara_pages_per_s']}, "
          f"one plain tesseract pass {s['tesseract_pages_per_s']} ({DEFAULT_WORKERS} at once)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--count", type=int, default=8, help="scanned documents per half")
    parser.add_argument("--halves", default="developed,unseen")
    parser.add_argument("--jobs", type=int, default=2, help="documents built at once")
    parser.add_argument("--show", action="store_true", help="print each document's CER (developed half only)")
    args = parser.parse_args()
    problem = tesseract_problem()
    if problem:
        raise SystemExit(problem)
    if not text_available():
        raise SystemExit("../shared (eval sets and seeds) is absent: nothing to generate text from")
    print(describe_machine())
    results = {}
    for half in args.halves.split(","):
        docs, skipped = corpus(args.seed, args.count, half, args.jobs, scans=True)
        for line in skipped:
            print(f"skipped {line}")
        results[half] = score(docs)
        print_half(half, results[half], args.show and half == "developed")
    print(describe_machine())
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ocr.json").write_text(json.dumps({"seed": args.seed, "machine": machine(), "halves": results},
                                             ensure_ascii=False, indent=2), encoding="utf-8")
    ours = sum(r["speed"]["pages"] for r in results.values()) / max(
        1e-9, sum(r["speed"]["seconds"]["qantara"] for r in results.values()))
    plain = sum(r["speed"]["pages"] for r in results.values()) / max(
        1e-9, sum(r["speed"]["seconds"]["tesseract"] for r in results.values()))
    print(f"speedup {ours / plain:.2f}")


if __name__ == "__main__":
    main()
