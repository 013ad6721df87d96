"""PDF extraction quality and speed: Qantara against pdfplumber's own text, pdftotext and
PyMuPDF (when installed: a benchmark-only dependency).

Renders the test corpus (tests/pdf_corpus.py) with each producer available here (reportlab,
LibreOffice, WeasyPrint), then prints the character error rate of each extractor per
producer, and pages per second of Qantara against pdfplumber's ``extract_text()`` on the same
pages, timed in alternation in one process (best of several rounds, so that a slow moment of
the machine hits both). Writes outputs/benchmarks/bench_pdf.json. The last line is
``speedup <x.xx>``: Qantara's pages/s over pdfplumber's (below 1 means Qantara is slower; the
issue allows 0.8, i.e. 25 % on top of pdfplumber's parsing).

    .venv/bin/python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdf_corpus import (  # noqa: E402
    PARAGRAPHS,
    edit_distance,
    paragraphs_of,
    render_pdf_libreoffice,
    render_pdf_reportlab,
    render_pdf_weasyprint,
    soffice,
    weasyprint_available,
)

from qantara.extraction import extract_document  # noqa: E402

TITLE = "تقرير عن العلاقات الخليجية"
_SPACES = re.compile(r"\s+")


def producers() -> dict[str, callable]:
    found = {
        "reportlab right-aligned": lambda p, path: render_pdf_reportlab(p, path, title=TITLE),
        "reportlab justified": lambda p, path: render_pdf_reportlab(p, path, title=TITLE, justify=True),
        "reportlab two-column": lambda p, path: render_pdf_reportlab(p, path, title=TITLE, columns=2, justify=True),
    }
    if soffice():
        found["libreoffice justified"] = lambda p, path: render_pdf_libreoffice(p, path, title=TITLE)
        found["libreoffice right-aligned"] = lambda p, path: render_pdf_libreoffice(
            p, path, title=TITLE, justify=False)
    if weasyprint_available():
        found["weasyprint justified"] = lambda p, path: render_pdf_weasyprint(p, path, title=TITLE)
        found["weasyprint two-column"] = lambda p, path: render_pdf_weasyprint(p, path, title=TITLE, columns=2)
    return found


def flat(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def qantara_text(path: Path) -> str:
    return " ".join(paragraphs_of(extract_document(path)))


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdftotext_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def extractors() -> dict[str, callable]:
    found = {"qantara": qantara_text, "pdfplumber": pdfplumber_text}
    if shutil.which("pdftotext"):
        found["pdftotext"] = pdftotext_text
    try:
        import pymupdf  # benchmark-only dependency
    except ImportError:
        return found

    def pymupdf_text(path: Path) -> str:
        with pymupdf.open(path) as doc:
            return "\n".join(page.get_text() for page in doc)

    found["pymupdf"] = pymupdf_text
    return found


def cer(reference: str, hypothesis: str) -> float:
    return edit_distance(flat(reference), flat(hypothesis)) / max(1, len(flat(reference)))


def bench_quality(work: Path) -> dict[str, dict[str, float]]:
    source = PARAGRAPHS * 3
    reference = " ".join([TITLE, *source])
    table: dict[str, dict[str, float]] = {}
    for name, render in producers().items():
        pdf = render(source, work / (re.sub(r"\W+", "-", name) + ".pdf"))
        table[name] = {ex: round(cer(reference, fn(pdf)), 4) for ex, fn in extractors().items()}
    return table


def bench_speed(work: Path, rounds: int = 5) -> dict[str, float]:
    import pdfplumber

    pdf = render_pdf_reportlab(PARAGRAPHS * 30, work / "speed.pdf", title=TITLE, justify=True)
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    extract_document(pdf)  # load the lexicon the page-quality check uses, once per process
    timings: dict[str, list[float]] = {"qantara": [], "pdfplumber": []}
    for _ in range(rounds):
        for name, fn in (("qantara", extract_document), ("pdfplumber", pdfplumber_text)):
            start = time.perf_counter()
            fn(pdf)
            timings[name].append(time.perf_counter() - start)
    ours, theirs = min(timings["qantara"]), min(timings["pdfplumber"])
    return {"pages": pages, "qantara_pages_per_s": round(pages / ours, 2),
            "pdfplumber_pages_per_s": round(pages / theirs, 2), "speedup": round(theirs / ours, 2)}


def main() -> None:
    from machine_load import describe_machine
    print(describe_machine())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        quality = bench_quality(work)
        speed = bench_speed(work)
    names = list(next(iter(quality.values())))
    print(f"{'producer':28}" + "".join(f"{n:>12}" for n in names))
    for producer, row in quality.items():
        print(f"{producer:28}" + "".join(f"{row[n]:>12.4f}" for n in names))
    means = {n: sum(row[n] for row in quality.values()) / len(quality) for n in names}
    print(f"{'mean':28}" + "".join(f"{means[n]:>12.4f}" for n in names))
    print(f"pages/s on {speed['pages']} pages: qantara {speed['qantara_pages_per_s']}, "
          f"pdfplumber extract_text {speed['pdfplumber_pages_per_s']}")
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_pdf.json").write_text(
        json.dumps({"cer": quality, "mean_cer": means, "speed": speed}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    print(f"speedup {speed['speedup']:.2f}")


if __name__ == "__main__":
    main()
