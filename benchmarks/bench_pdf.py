"""PDF extraction quality and speed on a generated corpus, developed and unseen halves apart.

Draws documents at random from a seed (tests/support/generate: producers, fonts, page sizes,
one to three columns, running headers, page numbers, footnotes, Ghostscript re-distilling),
builds them (cached under outputs/benchmarks/corpus/), and prints for each half of the grid,
per producer and layout, the character error rate against the truth of Qantara, pdfplumber's
``extract_text``, pdftotext, PyMuPDF (when installed) and a naive NFKC + bidi reading.

Documents whose text layer names wrong letters (the generator checks the layer against the
truth, page by page where it can) are not scored as text: Qantara must send each of their
wrong pages to OCR or report it, and the benchmark counts the documents where it does. Then pages per second of Qantara against
pdfplumber's own ``extract_text()`` on the same text pages, timed in alternation in one
process (per document the best of a few rounds, so that a slow moment of the machine hits
both). Writes outputs/benchmarks/bench_pdf.json; the last line is ``speedup <x.xx>``
(Qantara's pages/s over pdfplumber's).

    .venv/bin/python benchmarks/bench_pdf.py [--seed N] [--count N] [--halves developed,unseen]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine_load import describe_machine, machine  # noqa: E402
from support.generate import build, draw, missing, text_available  # noqa: E402
from support.score import cer, paragraphs_of  # noqa: E402

from qantara.errors import UnreadableDocument  # noqa: E402
from qantara.extraction import extract_document  # noqa: E402

CACHE = ROOT / "outputs" / "benchmarks" / "corpus"
# The issue's target for a producer/layout cell; a wrong-letter layer whose text comes out
# within it was read right despite its stray glyph names.
CELL_TARGET = 0.01
_REPORTED = ("page-garbled-text", "page-unusable-text", "page-no-text", "page-needs-ocr")


def qantara_text(path: Path) -> str:
    return "\n".join(paragraphs_of(extract_document(path)))


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdftotext_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def naive_text(path: Path) -> str:
    """pdfplumber's text, NFKC (presentation forms to letters), each line through the bidi
    algorithm: what a quick script does."""
    from bidi.algorithm import get_display

    return "\n".join(get_display(unicodedata.normalize("NFKC", line), base_dir="R")
                     for line in pdfplumber_text(path).splitlines())


def extractors() -> dict:
    found = {"qantara": qantara_text, "pdfplumber": pdfplumber_text}
    if shutil.which("pdftotext"):
        found["pdftotext"] = pdftotext_text
    try:
        import pymupdf  # benchmark-only dependency
    except ImportError:
        pymupdf = None
    if pymupdf is not None:
        def pymupdf_text(path: Path) -> str:
            with pymupdf.open(path) as doc:
                return "\n".join(page.get_text() for page in doc)

        found["pymupdf"] = pymupdf_text
    found["naive"] = naive_text
    return found


def _build(spec):
    return build(spec, CACHE)


def corpus(seed: int, count: int, half: str, jobs: int, **kwargs) -> tuple[list, list[str]]:
    specs = draw(seed, count, half=half, **kwargs)
    skipped = [f"{s.name}: {why}" for s in specs if (why := missing(s))]
    wanted = [s for s in specs if missing(s) is None]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_build, wanted)), skipped


def reported_pages(path: Path) -> tuple[set[int], int]:
    """Pages Qantara (without OCR) reports instead of publishing as text, and the page count."""
    try:
        document = extract_document(path, ocr=False)
    except UnreadableDocument as error:
        return set(error.pages), len(error.pages)
    pages = {i.ref.page for i in document.issues if i.code in _REPORTED}
    return pages, len(document.pages)


def _published_text(path: Path) -> str:
    try:
        return "\n".join(paragraphs_of(extract_document(path, ocr=False)))
    except UnreadableDocument:
        return ""


def score(docs: list, only: list[str] | None = None) -> dict:
    rows = []
    detection = {"documents": 0, "detected": 0, "read_right": 0, "missed": []}
    tools = {k: v for k, v in extractors().items() if not only or k in only}
    for made in docs:
        spec = made.spec
        if made.layer_ok:
            row = {"name": spec.name, "producer": spec.producer_label, "columns": spec.columns,
                   "font": spec.font, "pages": made.notes["pages"]}
            for name, fn in tools.items():
                try:
                    text = fn(made.pdf)
                except Exception as error:  # an extractor that fails reads nothing
                    print(f"{spec.name}: {name} failed ({type(error).__name__}: {error})", file=sys.stderr)
                    text = ""
                row[name] = round(cer(made.truth, text), 4)
                if name == "qantara":
                    # Paragraphs are what gets translated: one cut in two, or two run together,
                    # is a wrong segment whatever the CER (which counts a line break as a space).
                    row["paragraphs_off"] = abs(len(text.split("\n")) - len(made.truth)) / len(made.truth)
            rows.append(row)
        else:
            pages, _ = reported_pages(made.pdf)
            detection["documents"] += 1
            if set(made.wrong_pages) <= pages:
                detection["detected"] += 1
            elif cer(made.truth, _published_text(made.pdf)) <= CELL_TARGET:
                # The wrong letters were stray glyph names Qantara drops (kashida named "S").
                detection["read_right"] += 1
            else:
                detection["missed"].append(spec.name)
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        cell = f"{row['producer']} {row['columns']}col"
        for name in tools:
            cells[cell][name].append(row[name])
    table = {cell: {name: round(sum(v) / len(v), 4) for name, v in by.items()} | {"documents": len(by["qantara"])}
             for cell, by in sorted(cells.items())}
    means = {name: round(sum(r[name] for r in rows) / len(rows), 4) for name in tools} if rows else {}
    off = [r["paragraphs_off"] for r in rows if "paragraphs_off" in r]
    paragraphs = {"mean_off": round(sum(off) / len(off), 4), "exact": sum(o == 0 for o in off),
                  "documents": len(off)} if off else None
    return {"cells": table, "mean": means, "documents": rows, "wrong_letter_layers": detection,
            "paragraphs": paragraphs}


def bench_speed(docs: list, rounds: int = 3) -> dict:
    import pdfplumber

    texts = [d for d in docs if d.layer_ok]
    pages = 0
    best = {"qantara": 0.0, "pdfplumber": 0.0}

    def qantara_read(path: Path) -> None:
        try:
            extract_document(path, ocr=False)
        except UnreadableDocument:  # reported instead of read: the work is done all the same
            pass

    if texts:
        qantara_read(texts[0].pdf)  # load the lexicon the page check uses, once
    for made in texts:
        with pdfplumber.open(made.pdf) as pdf:
            pages += len(pdf.pages)
        timings: dict[str, list[float]] = {"qantara": [], "pdfplumber": []}
        for _ in range(rounds):
            for name, fn in (("qantara", qantara_read), ("pdfplumber", pdfplumber_text)):
                start = time.perf_counter()
                fn(made.pdf)
                timings[name].append(time.perf_counter() - start)
        for name in best:
            best[name] += min(timings[name])
    return {"pages": pages, "qantara_pages_per_s": round(pages / best["qantara"], 2),
            "pdfplumber_pages_per_s": round(pages / best["pdfplumber"], 2),
            "speedup": round(best["pdfplumber"] / best["qantara"], 2)}


def print_half(name: str, result: dict) -> None:
    tools = list(result["mean"])
    print(f"\n{name} half: CER per producer and layout")
    print(f"{'producer / layout':24}{'docs':>5}" + "".join(f"{t:>11}" for t in tools))
    for cell, row in result["cells"].items():
        print(f"{cell:24}{row['documents']:>5}" + "".join(f"{row[t]:>11.4f}" for t in tools))
    print(f"{'mean':24}{len(result['documents']):>5}" + "".join(f"{result['mean'][t]:>11.4f}" for t in tools))
    worst = max(result["cells"].items(), key=lambda kv: kv[1]["qantara"], default=None)
    if worst:
        print(f"worst cell for qantara: {worst[0]} {worst[1]['qantara']:.4f}")
    if result["paragraphs"]:
        p = result["paragraphs"]
        print(f"qantara's paragraph count against the truth's: off by {100 * p['mean_off']:.1f}% on average, "
              f"exact in {p['exact']}/{p['documents']} documents")
    d = result["wrong_letter_layers"]
    print(f"wrong-letter layers sent to OCR or reported: {d['detected']}/{d['documents']}, read right despite "
          f"stray glyph names: {d['read_right']}, published wrong: {len(d['missed'])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--count", type=int, default=60, help="documents per half")
    parser.add_argument("--halves", default="developed,unseen")
    parser.add_argument("--jobs", type=int, default=2, help="documents built at once")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each document's CER (developed half only)")
    parser.add_argument("--tools", help="comma-separated extractors to score (default: all)")
    args = parser.parse_args()
    if not text_available():
        raise SystemExit("../shared (eval sets and seeds) is absent: nothing to generate text from")
    print(describe_machine())
    results = {}
    all_docs = []
    for half in args.halves.split(","):
        docs, skipped = corpus(args.seed, args.count, half, args.jobs)
        for line in skipped:
            print(f"skipped {line}")
        results[half] = score(docs, args.tools.split(",") if args.tools else None)
        all_docs.extend(docs)
        print_half(half, results[half])
        if args.show and half == "developed":
            for row in sorted(results[half]["documents"], key=lambda r: -r["qantara"]):
                print(f"  {row['name']:58}{row['qantara']:>8.4f}")
            for name in results[half]["wrong_letter_layers"]["missed"]:
                print(f"  wrong-letter layer published as text: {name}")
    speed = None
    if not args.no_speed:
        speed = bench_speed(all_docs)
        print(describe_machine())
        print(f"pages/s on {speed['pages']} text pages: qantara {speed['qantara_pages_per_s']}, "
              f"pdfplumber extract_text {speed['pdfplumber_pages_per_s']}")
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_pdf.json").write_text(
        json.dumps({"seed": args.seed, "machine": machine(), "halves": results, "speed": speed},
                   ensure_ascii=False, indent=2), encoding="utf-8")
    if speed:
        print(f"speedup {speed['speedup']:.2f}")


if __name__ == "__main__":
    main()
