"""Make the sample PDFs in inputs/: 002_sample.pdf, seed 002 rendered the legacy way, and
003_scan.pdf, the first paragraphs of seed 003 as an office scanner would give them (200 dpi,
slightly rotated, JPEG, no text layer), which the main job reads by OCR.

Run from the repository root with ../shared present: `.venv/bin/python scripts/make_sample_pdf.py`.
The PDFs are committed, so the main job shows both PDF paths without ../shared.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import tempfile  # noqa: E402

from support.pdf_corpus import render_pdf_reportlab  # noqa: E402
from support.scan_corpus import SCAN_DPI, ScanSpec, degrade, images_to_pdf, rasterize  # noqa: E402

seed = ROOT.parent / "shared" / "seeds" / "002_35611eb13f076e57.txt"
paragraphs = [line.strip() for line in seed.read_text("utf-8").splitlines() if line.strip()]
render_pdf_reportlab(paragraphs, ROOT / "inputs" / "002_sample.pdf", title="الكويت وطاجيكستان: التعاون في أمن الحدود", justify=True)

seed = ROOT.parent / "shared" / "seeds" / "003_5451b8ff3155cfe3.txt"
paragraphs = [line.strip() for line in seed.read_text("utf-8").splitlines() if line.strip()][:5]
with tempfile.TemporaryDirectory() as work:
    clean = render_pdf_reportlab(paragraphs, Path(work) / "clean.pdf", justify=True)
    spec = ScanSpec("sample", "reportlab", rotate=0.3, jpeg=70)
    images_to_pdf([degrade(page, spec) for page in rasterize(clean, SCAN_DPI)], ROOT / "inputs" / "003_scan.pdf", SCAN_DPI)
