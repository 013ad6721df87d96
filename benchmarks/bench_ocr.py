"""OCR quality and speed on the scanned corpus: CER per document for raw Tesseract (its own
text output, ara+eng, automatic page segmentation) and for Qantara, side by side, and pages
per second for Qantara's OCR path; then the same for held-out scans outside the tests' corpus.

    .venv/bin/python benchmarks/bench_ocr.py

Writes outputs/benchmarks/ocr.json; the last line is ``speedup <x.xx>`` (raw CER / Qantara CER).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdf_corpus import cer, paragraphs_of  # noqa: E402
from scan_corpus import (HELD_OUT_SPECS, SCAN_SPECS, available, build_scan, rasterize_count,  # noqa: E402
                         raw_tesseract_paragraphs, reference)

from qantara.extraction import extract_document  # noqa: E402
from qantara.extraction.ocr import tesseract_problem  # noqa: E402


def _nfc(texts: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", t) for t in texts]


def bench_ocr(specs=SCAN_SPECS) -> dict:
    problem = tesseract_problem()
    if problem:
        raise SystemExit(problem)
    rows = []
    pages = 0
    seconds = 0.0
    with tempfile.TemporaryDirectory() as work:
        for spec in specs:
            if not available(spec):
                continue
            pdf = build_scan(spec, Path(work))
            ref = _nfc(reference(spec))
            raw = cer(ref, _nfc(raw_tesseract_paragraphs(pdf)))
            start = time.perf_counter()
            document = extract_document(pdf)
            seconds += time.perf_counter() - start
            pages += len(rasterize_count(pdf))
            rows.append({"document": spec.name, "raw_tesseract": round(raw, 4),
                         "qantara": round(cer(ref, paragraphs_of(document)), 4)})
    raw_mean = sum(r["raw_tesseract"] for r in rows) / len(rows)
    ours_mean = sum(r["qantara"] for r in rows) / len(rows)
    return {"documents": rows, "raw_mean": round(raw_mean, 4), "qantara_mean": round(ours_mean, 4),
            "pages_per_second": round(pages / seconds, 3)}


def _table(result: dict) -> None:
    print(f"{'document':<26}{'raw tesseract':>15}{'qantara':>10}")
    for row in result["documents"]:
        print(f"{row['document']:<26}{row['raw_tesseract']:>15.4f}{row['qantara']:>10.4f}")
    print(f"{'mean':<26}{result['raw_mean']:>15.4f}{result['qantara_mean']:>10.4f}")
    print(f"pages/s (qantara, OCR + layout + correction): {result['pages_per_second']}")


def main() -> None:
    from machine_load import describe_machine
    print(describe_machine())
    result = bench_ocr()
    _table(result)
    print("held out (scans outside the tests' corpus):")
    held = bench_ocr(HELD_OUT_SPECS)
    _table(held)
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ocr.json").write_text(json.dumps({**result, "held_out": held}, ensure_ascii=False, indent=2),
                                  encoding="utf-8")
    # The headline is a quality ratio, CER of raw Tesseract over Qantara's, on the test scans.
    print(f"speedup {result['raw_mean'] / max(result['qantara_mean'], 1e-6):.2f}")


if __name__ == "__main__":
    main()
