"""Make inputs/007_photo.jpg: the first paragraphs of seed 000 printed on one page and
photographed with a phone (turned a little, lit unevenly, stored on its side with an EXIF
orientation, no resolution declared), which the main job reads by OCR and publishes with a
searchable PDF.

Run from the repository root with ../shared present: `.venv/bin/python scripts/make_sample_photo.py`.
The photo is committed, so the main job shows the image path without ../shared.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.pdf_corpus import render_pdf_reportlab  # noqa: E402
from support.scan_corpus import SCAN_DPI, rasterize  # noqa: E402
from support.photo import photograph  # noqa: E402

seed = ROOT.parent / "shared" / "seeds" / "000_41cf3146f527e58b.txt"
paragraphs = [line.strip() for line in seed.read_text("utf-8").splitlines() if line.strip()][:3]
with tempfile.TemporaryDirectory() as work:
    clean = render_pdf_reportlab(paragraphs, Path(work) / "clean.pdf", justify=True)
    page = rasterize(clean, SCAN_DPI)[0]
    (ROOT / "inputs" / "007_photo.jpg").write_bytes(photograph(page, random.Random(5)))
