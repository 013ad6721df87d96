"""Build scanned Arabic test PDFs: clean text rendered by the PDF corpus producers, rasterized
at 200 dpi like an office scanner, some pages mildly rotated, blurred or JPEG-compressed, and
put back together as PDFs that hold only images (no text layer at all).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .pdf_corpus import render_pdf_libreoffice, render_pdf_reportlab, soffice

SCAN_DPI = 200

# Newspaper Arabic as analysts receive it: few diacritics, Arabic comma, semicolon and
# question mark, a year range, Latin names and numbers inside Arabic lines.
SCAN_PARAGRAPHS = [
    "عقد في تشرين الثاني عام 2024 مؤتمر بعنوان «تعزيز التعاون الدولي في مكافحة الإرهاب»، "
    "شارك فيه مئات الخبراء من دول آسيا الوسطى ودول الخليج العربي، وناقش المشاركون آليات "
    "أمن الحدود وتبادل المعلومات بين الأجهزة المختصة.",
    "وقالت الوزارة في بيانها إن حجم التبادل التجاري بلغ 3.5 مليار دولار خلال السنوات الثلاث "
    "الأخيرة، وإن الخطة الجديدة للفترة 2023-2027 ستدخل حيز التنفيذ في الأول من يناير.",
    "وأشار التقرير الصادر عن معهد Carnegie إلى أن الاستثمارات الخليجية في كازاخستان "
    "وأوزبكستان تضاعفت منذ عام 2017، ولا سيما في قطاعات الطاقة والزراعة والنقل.",
    "فهل تستطيع هذه الدول أن تبني شراكة حقيقية؟ يرى الباحثون أن العلاقات بين المنطقتين ما زالت "
    "في بدايتها؛ وأن الطريق إلى شراكة استراتيجية يمر عبر التعليم والثقافة والسياحة.",
]


@dataclass(frozen=True)
class ScanSpec:
    name: str
    producer: str  # "reportlab" or "libreoffice"
    columns: int = 1
    rotate: float = 0.0  # degrees, counter-clockwise
    blur: float = 0.0  # Gaussian radius in scan pixels
    jpeg: int | None = None  # JPEG quality, None for lossless
    repeat: int = 1  # how many times the paragraphs are laid out


SCAN_SPECS = (
    ScanSpec("clean-one-column", "reportlab"),
    ScanSpec("rotated-blurred", "reportlab", rotate=0.7, blur=0.6),
    ScanSpec("two-column-jpeg", "reportlab", columns=2, jpeg=55, repeat=2),
    ScanSpec("office-jpeg", "libreoffice", jpeg=60, rotate=-0.4),
)


# More scans, outside the tests' corpus: the benchmark reports them apart, as a check that
# the figures above are not that corpus learnt by heart (their errors were looked at while
# choosing between settings, but no rule was written for one of them alone).
HELD_OUT_SPECS = (
    ScanSpec("held-office-blurred", "libreoffice", rotate=0.6, blur=0.8),
    ScanSpec("held-two-column-rotated", "reportlab", columns=2, rotate=-0.5, jpeg=50),
    ScanSpec("held-jpeg-35", "reportlab", blur=0.4, jpeg=35),
    ScanSpec("held-office-two-pages", "libreoffice", rotate=0.3, jpeg=70, repeat=2),
)


def reference(spec: ScanSpec) -> list[str]:
    """The paragraphs a perfect reading of the scan gives (page numbers dropped)."""
    return SCAN_PARAGRAPHS * spec.repeat


def available(spec: ScanSpec) -> bool:
    return spec.producer != "libreoffice" or soffice() is not None


def build_scan(spec: ScanSpec, folder: Path) -> Path:
    """Render, rasterize, degrade and reassemble one scanned PDF; returns its path."""
    clean = folder / f"{spec.name}-clean.pdf"
    paragraphs = SCAN_PARAGRAPHS * spec.repeat
    if spec.producer == "libreoffice":
        render_pdf_libreoffice(paragraphs, clean, justify=True)
    else:
        render_pdf_reportlab(paragraphs, clean, columns=spec.columns, justify=spec.columns > 1)
    pages = [degrade(image, spec) for image in rasterize(clean, SCAN_DPI)]
    out = folder / f"{spec.name}.pdf"
    images_to_pdf(pages, out, SCAN_DPI)
    return out


def rasterize(pdf: Path, dpi: int) -> list:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def degrade(image, spec: ScanSpec):
    from PIL import Image, ImageFilter

    if spec.rotate:
        image = image.rotate(spec.rotate, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if spec.blur:
        image = image.filter(ImageFilter.GaussianBlur(spec.blur))
    if spec.jpeg is not None:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=spec.jpeg)
        buffer.seek(0)
        image = Image.open(buffer).convert("L")
    return image


def images_to_pdf(images: list, path: Path, dpi: int) -> Path:
    """Image-only PDF, one page per image, page size from the image size at ``dpi``."""
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return path


def raw_tesseract_paragraphs(pdf: Path) -> list[str]:
    """Tesseract's own text for each page (Arabic + English, automatic page segmentation),
    blank-line separated blocks taken as paragraphs: the baseline Qantara must beat."""
    import os
    import subprocess

    from qantara.extraction.ocr.render import render_pages

    count = len(rasterize_count(pdf))
    paragraphs: list[str] = []
    for image in render_pages(pdf, list(range(1, count + 1))):
        png = io.BytesIO()
        image.image.save(png, format="PNG")
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "ara+eng", "--psm", "3"], input=png.getvalue(),
            capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        for block in done.stdout.decode("utf-8").split("\n\n"):
            text = " ".join(block.split())
            if text:
                paragraphs.append(text)
    return paragraphs


def rasterize_count(pdf: Path) -> range:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return range(len(document))
    finally:
        document.close()
