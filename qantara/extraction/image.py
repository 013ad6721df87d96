"""Images of pages (JPEG, PNG, TIFF, WebP): every frame read by the OCR path scanned PDF pages take.

Each frame is opened with Pillow, turned the way its EXIF orientation says it is seen, made
grayscale (CMYK, palette and 16-bit images converted, transparency laid on white paper) and
sized at the resolution the file declares, or as wide as an A4 page where it declares none,
and drawn for OCR at the resolution scanned PDF pages are drawn at (the OCR straightens it, as
it does scanned pages). Frames are sized from their headers before any pixel is decoded: a
frame over ``max_page_pixels`` is refused, never decoded, and a file over ``max_pages`` frames
is refused whole. Blank frames are reported and never OCR'd, as blank PDF pages are.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator

from .. import bounded
from ..config import Settings
from ..errors import LimitExceeded, UnreadableDocument
from ..types import ExtractedDocument, Issue, OcrPage, SourceRef
from .ocr import read_image, tesseract_problem
from .ocr.render import DEFAULT_DPI, PageImage, fitting_dpi, is_blank
from .pdf import PageLines, assemble

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"})
# A file without a resolution (phone photos and screenshots declare none, or 72, the EXIF
# default, meant for screens) is taken to be as wide as an A4 page: a photo of a page is
# framed on the page. Its resolution is then its width over this, within the bounds below.
ASSUMED_WIDTH_INCHES = 8.27
ASSUMED_DPI_RANGE = (100.0, 600.0)
# A declared resolution under this is a screen default (72, 96), not a scan's.
_LEAST_SCAN_DPI = 100.0
_BLANK_PROBE_PIXELS = 2_000_000


def extract_image(path: Path, settings: Settings | None = None) -> ExtractedDocument:
    """OCR every frame of an image file; raise UnreadableDocument when none has text (or
    Tesseract is missing), LimitExceeded over ``max_pages`` or ``max_page_pixels``."""
    path = Path(path)
    settings = settings or Settings()
    missing = tesseract_problem()
    if missing is not None:
        raise UnreadableDocument(path, f"an image is read by OCR but {missing}")
    pages: list[PageLines] = []
    issues: list[Issue] = []
    done: list[OcrPage] = []
    for image in page_images(path, settings):
        if image.problem is not None:
            pages.append(PageLines(image.number, image.width, image.height, [], problem=image.problem))
            if image.problem == "too-large":
                issues.append(Issue(SourceRef(path, image.number), "page-too-large", _too_large(image, settings)))
            continue
        result = read_image(image)
        problem = None if result.lines else "no-text"
        pages.append(PageLines(image.number, image.width, image.height, result.lines, problem=problem))
        done.append(OcrPage(image.number, result.confidence, result.words))
    if len(pages) == 1 and pages[0].problem == "too-large":
        raise LimitExceeded(path, issues[0].message, "max_page_pixels")
    document = assemble(path, pages, issues, tuple(done))
    return ExtractedDocument(path, "image", document.pages, issues=document.issues, ocr=document.ocr)


def page_images(path: Path, settings: Settings) -> Iterator[PageImage]:
    """Each frame as the grayscale image OCR reads, sized in points at its resolution; blank and
    oversized frames come back without an image."""
    from PIL import Image

    with _opened(path) as image:
        frames = getattr(image, "n_frames", 1)
        if frames > settings.max_pages:
            raise LimitExceeded(path, f"{frames} pages, more than the limit of {settings.max_pages} (max_pages)",
                                "max_pages")
        bounded.report_pages(frames)
        for index in range(frames):
            image.seek(index)
            dpi = declared_dpi(image)
            width, height = image.size
            if _exif_turns(image):
                width, height = height, width
            points = (width * 72 / dpi, height * 72 / dpi)
            if width * height > settings.max_page_pixels:
                yield PageImage(index + 1, None, *points, dpi, "too-large")
                continue
            with _decoding(path):
                gray = grayscale(image)
            probe = gray if width * height <= _BLANK_PROBE_PIXELS else gray.reduce(2)
            if is_blank(probe):
                yield PageImage(index + 1, None, *points, dpi, "blank")
                continue
            # Drawn at the resolution PDF pages are drawn at for OCR, so that an image reads
            # as the same page scanned into a PDF does.
            used = fitting_dpi(*points, DEFAULT_DPI, settings.max_page_pixels)
            if abs(used - dpi) >= 1:
                gray = gray.resize((round(gray.width * used / dpi), round(gray.height * used / dpi)), Image.BICUBIC)
            yield PageImage(index + 1, gray, *points, used)


def _opened(path: Path):
    from PIL import Image

    with _decoding(path):
        return Image.open(path)


class _decoding:
    """Pillow's errors while decoding, as a refusal that names the file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        from PIL import Image

        # Frames are sized against max_page_pixels first; Pillow's own bomb check stays as a
        # backstop, an error rather than a warning.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return self

    def __exit__(self, kind, error, trace):
        self._warnings.__exit__(kind, error, trace)
        from PIL import Image

        if isinstance(error, Image.UnidentifiedImageError):
            raise UnreadableDocument(self.path, "not an image Pillow can read (damaged, or not what its name says)") from None
        if isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
            raise LimitExceeded(self.path, f"image too large to decode ({error})", "max_page_pixels") from None
        if isinstance(error, (OSError, SyntaxError, ValueError, EOFError)):
            raise UnreadableDocument(self.path, f"image cannot be decoded ({error})") from None
        return False


def declared_dpi(image) -> float:
    """The horizontal resolution the file declares, else the one that makes the frame (as
    seen, EXIF orientation applied) as wide as an A4 page."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if value >= _LEAST_SCAN_DPI:
        return value
    width = image.size[1] if _exif_turns(image) else image.size[0]
    low, high = ASSUMED_DPI_RANGE
    return min(max(width / ASSUMED_WIDTH_INCHES, low), high)


def _exif_turns(image) -> bool:
    """Whether the EXIF orientation turns the image a quarter (width and height swap)."""
    return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def grayscale(image):
    """The frame as seen (EXIF orientation applied), 8-bit gray, transparency on white."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit gray: keep the top 8 bits of the range actually used.
        low, high = image.getextrema()
        scale = 255 / max(high - low, 1)
        image = image.point(lambda v: (v - low) * scale).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode in ("RGB", "L") and "transparency" in image.info):
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image)
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image.convert("L")


def _too_large(image: PageImage, settings: Settings) -> str:
    pixels = round(image.width * image.dpi / 72) * round(image.height * image.dpi / 72)
    return (f"page {image.number} is too large to OCR: {pixels:,} pixels, over max_page_pixels "
            f"({settings.max_page_pixels:,}); not decoded")


__all__ = ["ASSUMED_WIDTH_INCHES", "IMAGE_SUFFIXES", "declared_dpi", "extract_image", "grayscale", "page_images"]
