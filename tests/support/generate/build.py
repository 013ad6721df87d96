"""Build a drawn document: render it with its producer, re-distil or scan it, label its text
layer, and cache the result by what it was made from."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from .producers.cairo import cairo_available, render_cairo
from .producers.fpdf import fpdf2_available, render_fpdf2
from .producers.html import chromium_available, render_chromium, render_weasyprint, weasyprint_available
from .producers.office import impress_available, render_impress, render_writer, writer_available
from .producers.reportlab_ import render_reportlab, reportlab_available
from .producers.typst_ import render_typst, typst_available
from .scan import scan_pdf
from .spec import Generated, Spec, document

# Bump when a change to the generator changes what a spec builds (invalidates caches), or
# only how a built document's text layer is judged.
VERSION = 2
LABEL_VERSION = 4

RENDERERS = {
    "writer": (writer_available, render_writer),
    "impress": (impress_available, render_impress),
    "weasyprint": (weasyprint_available, render_weasyprint),
    "chromium": (chromium_available, render_chromium),
    "typst": (typst_available, render_typst),
    "fpdf2": (fpdf2_available, render_fpdf2),
    "cairo": (cairo_available, render_cairo),
    "reportlab": (reportlab_available, render_reportlab),
}
# A text layer whose letters and digits differ from what the page shows by more than this
# share is a wrong-letter layer.
_LAYER_TOLERANCE = 0.02
# Letters, digits and the hamza marks, counted on decomposed text: an alef and a hamza drawn
# as two glyphs show the same letter as one أ.
_COUNTED = re.compile(r"[\u0621-\u064a\u0654\u0655A-Za-z0-9\u0660-\u0669]")
_UNMAPPED = re.compile(r"\(cid:\d+\)")


def ghostscript() -> str | None:
    return shutil.which("gs")


def missing(spec: Spec) -> str | None:
    """Why this machine cannot build ``spec``, or None."""
    available, _ = RENDERERS[spec.producer]
    if not available():
        return f"{spec.producer} is not installed"
    if spec.redistill and ghostscript() is None:
        return "ghostscript (gs) is not installed"
    return None


def build(spec: Spec, cache: Path) -> Generated:
    """The document of ``spec`` under ``cache`` (built once; later calls read it back)."""
    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(f"{VERSION}|{spec!r}".encode()).hexdigest()[:12]
    pdf = cache / f"{spec.name}-{key}.pdf"
    meta = pdf.with_suffix(".json")
    if pdf.is_file() and meta.is_file():
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("label") != LABEL_VERSION and spec.scan is None:
            data["wrong_pages"] = wrong_pages(pdf, data["truth"], document(spec))
            data["label"] = LABEL_VERSION
            meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return Generated(spec, pdf, data["truth"], data.get("wrong_pages"), data["notes"])
    doc = document(spec)
    _, render = RENDERERS[spec.producer]
    with tempfile.TemporaryDirectory() as work:
        rendered = render(doc, Path(work) / "rendered.pdf")
        if spec.redistill:
            rendered = redistill(rendered, Path(work) / "redistilled.pdf")
        truth = doc.truth()
        wrong = None
        if spec.scan is not None:
            scan_pdf(rendered, spec.scan, Path(work) / "scan.pdf", spec.seed)
            rendered = Path(work) / "scan.pdf"
        else:
            wrong = wrong_pages(rendered, truth, doc)
        notes = {"pages": page_count(rendered), "layout": repr(doc.layout)}
        partial = pdf.with_suffix(".part")
        shutil.copyfile(rendered, partial)
        meta.write_text(json.dumps({"truth": truth, "wrong_pages": wrong, "notes": notes, "label": LABEL_VERSION},
                                   ensure_ascii=False),
                        encoding="utf-8")
        partial.replace(pdf)
    return Generated(spec, pdf, truth, wrong, notes)


def redistill(pdf: Path, out: Path) -> Path:
    """Ghostscript's pdfwrite, as "print to PDF" through a PostScript driver does."""
    subprocess.run([ghostscript(), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={out}", str(pdf)], check=True, capture_output=True, timeout=300)
    return out


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document_ = pdfium.PdfDocument(str(pdf))
    try:
        return len(document_)
    finally:
        document_.close()


def _letters(text: str) -> Counter:
    text = unicodedata.normalize("NFKD", _UNMAPPED.sub("", text))
    return Counter(_COUNTED.findall(text))


def _glyph_letters(char: dict) -> str:
    """What a glyph shows by its text: a glyph drawn with no advance whose text holds a mark
    is that mark (producers name mark glyphs after their whole cluster); other zero-width
    glyphs are a ligature's further letters."""
    text = char["text"]
    if char["x1"] - char["x0"] < 0.01:
        decomposed = unicodedata.normalize("NFKD", text)
        marks = "".join(ch for ch in decomposed if unicodedata.combining(ch))
        return marks or text
    return text


def _names_a_letter(ch: str) -> bool:
    """A letter, digit or pictograph (what a glyph of a wrong-letter layer is named after);
    not U+FFFD (a glyph with no text is no wrong letter) nor Latin-1 symbols (kashida glyphs
    LibreOffice names "£" or "(" carry no letter either)."""
    category = unicodedata.category(ch)
    return category[0] in "LN" or (category == "So" and ch != "\ufffd" and ord(ch) > 0xFF)


def wrong_pages(pdf: Path, truth: list[str], doc) -> list[int]:
    """Pages whose text layer names wrong letters: a page naming a letter, digit or
    pictograph the document never shows (a ligature named after a CJK character); every
    page when the letters and digits of the layer (the body's, plus the running header's and
    page numbers' on every page, in any order) differ from what the pages show."""
    import pdfplumber

    known = set(unicodedata.normalize("NFKD", " ".join(truth)))
    layout = doc.layout
    furniture: list[str] = []
    layer = Counter()
    foreign: list[int] = []
    with pdfplumber.open(pdf) as handle:
        pages = len(handle.pages)
        for n in range(1, pages + 1):
            furniture.extend(([layout.header] if layout.header else []) + [layout.page_number(n), str(n)])
        known |= set(unicodedata.normalize("NFKD", " ".join(furniture)))
        for n, page in enumerate(handle.pages, start=1):
            text = "".join(_glyph_letters(c) for c in page.chars)
            layer.update(_letters(text))
            shown = set(unicodedata.normalize("NFKD", _UNMAPPED.sub("", text)))
            if any(_names_a_letter(ch) for ch in shown - known):
                foreign.append(n)
    expected = _letters(" ".join(truth + furniture))
    wrong = sum(((layer - expected) + (expected - layer)).values())
    if wrong > _LAYER_TOLERANCE * max(1, sum(expected.values())):
        return list(range(1, pages + 1))
    return foreign
