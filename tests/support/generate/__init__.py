"""A seeded random generator of Arabic PDF corpora, and scans of them, with ground truth.

    specs = draw(seed, 20, half="developed")        # the same seed draws the same documents
    docs = [build(s, cache_dir) for s in specs if missing(s) is None]
    docs[0].pdf, docs[0].truth, docs[0].layer_ok

Every axis the world varies is drawn: producer (LibreOffice Writer and Impress, WeasyPrint,
Chromium, Typst, fpdf2 + HarfBuzz, pango-view/cairo, reportlab, any of them re-distilled by
Ghostscript), font, page size, one to three columns with random gutters, balanced or not,
alignment, size and leading, running headers, page numbers in either digit set and place,
footnotes, headings, and the prose itself (:mod:`.text`); scans add resolution, rotation, blur,
noise and JPEG. The grid of cells (producer × font × columns) is split by a fixed rule
(:func:`half_of`) into a half developed on and a half never looked at while developing.

    python -m support.generate SEED COUNT OUT_DIR [--half developed|unseen] [--scans]

(from ``tests/``) writes the documents and their truth to OUT_DIR, to look at them.
"""

from .build import VERSION, build, missing
from .spec import FONTS, PRODUCERS, Document, Generated, Scan, Spec, document, draw, half_of
from .text import available as text_available

__all__ = ["FONTS", "PRODUCERS", "VERSION", "Document", "Generated", "Scan", "Spec", "build", "document",
           "draw", "half_of", "missing", "text_available"]
