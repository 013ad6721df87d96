"""Make inputs/002_sample.pdf: the first paragraphs of seed 002 rendered the legacy way.

Run from the repository root with ../shared present: `.venv/bin/python scripts/make_sample_pdf.py`.
The PDF is committed, so the main job shows the PDF path without ../shared.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdf_corpus import render_pdf_reportlab  # noqa: E402

seed = ROOT.parent / "shared" / "seeds" / "002_35611eb13f076e57.txt"
paragraphs = [line.strip() for line in seed.read_text("utf-8").splitlines() if line.strip()]
render_pdf_reportlab(paragraphs, ROOT / "inputs" / "002_sample.pdf", title="الكويت وطاجيكستان: التعاون في أمن الحدود", justify=True)
