"""A searchable PDF of a scanned input: its page images with an invisible text layer.

The pages are the original ones: a scanned PDF's own pages, untouched but for the text added
to those that were OCR'd; an image's frames wrapped by img2pdf as they are stored (a JPEG
stays the same JPEG), or as lossless PNG where the frame had to be turned or converted first.

The text layer is what Qantara read (after OCR correction and repair), one line at a time over
the line it was read from, in render mode 3 (invisible). It is set in a glyphless font (the
one Tesseract ships for its own PDFs: every code is one invisible glyph of half an em, and its
ToUnicode map is the identity), so the text is the Unicode given here, never a font's shaping.

Arabic layers of OCR'd PDFs are easy to get backwards (OCRmyPDF #655/#718/#1157, Tesseract
#238): extractors order what they find by position and apply the bidirectional algorithm to
it, as they must for a typeset page, so logical text laid out left to right comes out
reversed. Here each word stands where a typesetter would draw it: the words of an Arabic line
from right to left, the letters of an Arabic word from right to left, numbers and Latin words
left to right inside them; the words are written in reading order, and punctuation and numbers
at the edge of an Arabic word are held by right-to-left marks (see :func:`_held`). Then
pdftotext, PyMuPDF, PDFium (Chromium) and pdfplumber all give the text back in logical order
(tests/test_searchable.py).
"""

from __future__ import annotations

import glob
import io
import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Sequence

from ..extraction.ocr.layout import is_rtl, visual_order
from ..types import Document

# The glyphless font's advance, in thousandths of an em: each word's horizontal scale is set
# so that its letters span its width on the page.
_ADVANCE = 500
_FONT = "/QantaraText"
_RTL_CLASSES = frozenset({"R", "AL"})
# Characters that read left to right inside an Arabic word (digits, Latin), and the marks
# that extractors read as part of a number beside them (3.5, 1,000, 30%, and 2011. at a
# sentence's end: pdftotext, MuPDF and PDFium all read "2011." drawn as ".2011" as ".2011").
_LTR_CLASSES = frozenset({"L", "EN", "AN"})
_NUMBER_MARKS = frozenset(".,:%\u060c\u066a\u066b\u066c")
# Separators that join two numbers when one stands each side (2023-2027, 3/4, 10:30).
_NUMBER_SEPARATORS = frozenset("-+/\u2013")


@dataclass(frozen=True)
class LayerLine:
    """One line of text in logical order, and where it stands on its page as displayed:
    left, top, right, bottom in points from the top-left corner; bottom is the baseline."""

    page: int  # 1-based
    text: str
    box: tuple[float, float, float, float]


def layer_lines(document: Document) -> list[LayerLine]:
    """The document's OCR'd lines as repaired: each line's share of its paragraph's text, over
    the box it was read from (lines the repair dropped, running heads, are not there)."""
    out = []
    for paragraph in document.paragraphs:
        ends = paragraph.line_starts[1:] + (len(paragraph.text),)
        for line, start, end in zip(paragraph.lines, paragraph.line_starts, ends):
            text = paragraph.text[start:end].strip()
            if line.confidence is not None and line.bbox is not None and line.ref.page and text:
                out.append(LayerLine(line.ref.page, text, line.bbox))
    return out


class SearchableUnavailable(RuntimeError):
    """The source cannot be given a text layer (not a PDF or image pikepdf/img2pdf can take)."""


def render_searchable_pdf(source: Path, lines: Sequence[LayerLine]) -> bytes:
    """The source's pages (a PDF's, or an image's frames at the resolution OCR read them),
    each with the given lines as its text layer."""
    import pikepdf

    source = Path(source)
    try:
        if source.suffix.lower() == ".pdf":
            pdf = pikepdf.open(source)
        else:
            pdf = pikepdf.open(io.BytesIO(image_pdf(source)))
            # img2pdf gives each conversion an /ID of its own, which the saved file would keep
            # (with deterministic_id only the second half is the content's).
            if "/ID" in pdf.trailer:
                del pdf.trailer.ID
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise SearchableUnavailable(f"{source.name}: its pages cannot be copied ({exc})") from None
    with pdf:
        font = _glyphless_font(pdf)
        by_page: dict[int, list[LayerLine]] = {}
        for line in lines:
            by_page.setdefault(line.page, []).append(line)
        for number, page_lines in sorted(by_page.items()):
            if 1 <= number <= len(pdf.pages):
                _add_layer(pdf, pdf.pages[number - 1], page_lines, font)
        out = io.BytesIO()
        # Fixed ids and no timestamps: the same reading gives the same bytes.
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def image_pdf(source: Path) -> bytes:
    """The image's frames as PDF pages at the resolution OCR read them: as stored where
    img2pdf can take them and EXIF orientation needs no more than its /Rotate; otherwise each
    frame turned (and made 8-bit, transparency on white), stored as lossless PNG."""
    import img2pdf
    from PIL import Image

    from ..extraction.image import declared_dpi

    with Image.open(source) as image:
        orientation = image.getexif().get(0x0112, 1)
        as_stored = orientation == 1 or (image.format == "JPEG" and orientation in (3, 6, 8))
        # Pages sized as OCR sized them, so the lines' boxes need no scaling.
        dpi = declared_dpi(image)
    # No creation date: the same image gives the same bytes, so a rerun does not rewrite it.
    options = {"rotation": img2pdf.Rotation.ifvalid, "layout_fun": img2pdf.get_fixed_dpi_layout_fun((dpi, dpi)),
               "nodate": True}
    if as_stored:
        try:
            return img2pdf.convert(str(source), **options)
        except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError, OSError):
            pass  # alpha, 16-bit, unusual modes: converted below
    return img2pdf.convert(*_converted_frames(source), **options)


def _converted_frames(source: Path) -> list[bytes]:
    from PIL import Image, ImageOps

    from ..extraction.image import grayscale

    frames = []
    with Image.open(source) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frame = ImageOps.exif_transpose(image)
            if frame.mode.startswith("I") or frame.mode == "F":
                frame = grayscale(image)
            elif frame.mode not in ("1", "L", "RGB"):
                paper = Image.new("RGBA", frame.size, (255, 255, 255, 255))
                frame = Image.alpha_composite(paper, frame.convert("RGBA")).convert("RGB")
            buffer = io.BytesIO()
            frame.save(buffer, format="PNG", dpi=image.info.get("dpi", (72, 72)))
            frames.append(buffer.getvalue())
    return frames


def _add_layer(pdf, page, lines: list[LayerLine], font) -> None:
    import pikepdf

    box = [float(v) for v in page.cropbox]
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    user_w, user_h = box[2] - box[0], box[3] - box[1]
    shown_h = user_w if rotate in (90, 270) else user_h
    matrix = {
        0: (1, 0, 0, 1, box[0], box[1]),
        90: (0, 1, -1, 0, box[0] + user_w, box[1]),
        180: (-1, 0, 0, -1, box[0] + user_w, box[1] + user_h),
        270: (0, -1, 1, 0, box[0], box[1] + user_h),
    }[rotate if rotate in (0, 90, 180, 270) else 0]
    parts = ["q", " ".join(_number(v) for v in matrix) + " cm", "BT", "3 Tr"]
    for line in lines:
        x0, top, x1, bottom = line.box
        parts.extend(_line_ops(line.text, x0, x1, shown_h - bottom, bottom - top))
    parts += ["ET", "Q"]
    content = pdf.make_stream(("\n".join(parts) + "\n").encode("ascii"))
    # Wrapped in q/Q as a whole: whatever state the page's own content leaves cannot move the text.
    page.contents_coalesce()
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\n"))
    page.contents_add(content)
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    if "/Font" not in page.obj.Resources:
        page.obj.Resources.Font = pikepdf.Dictionary()
    page.obj.Resources.Font[_FONT] = font


def _line_ops(text: str, left: float, right: float, baseline: float, size: float) -> list[str]:
    """One line's words, each over its place on the page with its letters in visual order
    and stretched over its share of the line: words get widths in proportion to their
    letters, with one letter's width between two words."""
    words = [w for w in text.split() if _encodable(w)]
    if not words or right <= left or size <= 0:
        return []
    size = max(size, 1.0)
    rtl = is_rtl(words)
    if rtl:
        words = [_held(w) for w in words]
    order = visual_order(words, rtl)
    letters = sum(_spacing(w) for w in words) + len(words) - 1
    unit = (right - left) / letters
    ops = [f"{_FONT} {_number(size)} Tf"]
    scale = 100 * unit * 1000 / (_ADVANCE * size)
    starts, x = {}, left
    for i in order:
        starts[i] = x
        x += unit * (_spacing(words[i]) + 1)
    # Written in reading order: extractors that keep the stream's order within a line (MuPDF
    # for numbers among Arabic words, pdftotext -raw) then need no reordering of the words.
    for i in range(len(words)):
        ops.append(f"1 0 0 1 {_number(starts[i])} {_number(baseline)} Tm {_number(scale)} Tz "
                   f"[{_shown(visual_letters(words[i], rtl))}] TJ")
    return ops


def _held(word: str) -> str:
    """The word of an Arabic line with a right-to-left mark at each end that is not an Arabic
    letter. Extractors resolve a full stop or comma at a word's edge, and a number, by
    what stands beyond it on the page; the gap between words lets them take the line's edge
    or the number for left-to-right and move the mark to the next word or the number to the
    other end (pdftotext gives "سوريا ،وهو", MuPDF moves numbers). The mark, invisible and
    ignorable, is the Unicode way to hold them in place."""
    if unicodedata.bidirectional(word[0]) not in _RTL_CLASSES:
        word = "\u200f" + word
    if unicodedata.bidirectional(word[-1]) not in _RTL_CLASSES:
        word = word + "\u200f"
    return word


def visual_letters(word: str, rtl: bool = True) -> str:
    """A word's letters in the order they stand from left to right: an Arabic word's reversed,
    and in an Arabic line (``rtl``) any word without a Latin letter, except runs of digits and
    Latin letters (with the marks beside a number: 2011., 30%, ٢٠٢٠،), which read left to
    right. Harakat stay with their letter (see :func:`_shown`). Brackets are not mirrored: an
    extractor reversing the run puts them back."""
    clusters: list[str] = []
    for char in word:
        if clusters and _is_mark(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    classes = [unicodedata.bidirectional(c[0]) for c in clusters]
    if not (_RTL_CLASSES & set(classes) or (rtl and "L" not in classes)):
        return word
    ltr = [c in _LTR_CLASSES for c in classes]
    digits = [c in ("EN", "AN") for c in classes]
    for k, cluster in enumerate(clusters):
        before, after = k > 0 and digits[k - 1], k + 1 < len(clusters) and digits[k + 1]
        if cluster in _NUMBER_SEPARATORS and before and after:
            ltr[k] = digits[k] = True
    grown = True
    while grown:  # marks beside a number, and beside those marks (٣٢٪.)
        grown = False
        for k, cluster in enumerate(clusters):
            beside = (k > 0 and digits[k - 1]) or (k + 1 < len(clusters) and digits[k + 1])
            if cluster in _NUMBER_MARKS and beside and not digits[k]:
                ltr[k] = digits[k] = grown = True
    out: list[str] = []
    run: list[str] = []
    for cluster, inner in zip(reversed(clusters), reversed(ltr)):
        if inner:
            run.append(cluster)
            continue
        out.extend(reversed(run))
        run = []
        out.append(cluster[::-1])  # its harakat before it: read backwards, they follow it
    out.extend(reversed(run))
    return "".join(out)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) == "Mn"


def _spacing(word: str) -> int:
    """Letters that take room on the line (harakat take none)."""
    return sum(1 for c in word if not _is_mark(c))


@cache
def _mark_widths() -> list:
    """The /W entries that give every combining mark of the BMP no advance."""
    marks = [c for c in range(0x10000) if _is_mark(chr(c))]
    out: list = []
    start = prev = marks[0]
    for code in marks[1:] + [-1]:
        if code != prev + 1:
            out += [start, prev, 0]
            start = code
        prev = code
    return out


def _shown(letters: str) -> str:
    """A TJ array's body: each letter, with its harakat, which have no advance, at its left
    edge: before it for an Arabic letter (reversed with it; so pdftotext keeps the word whole
    and MuPDF, PDFium and Qantara put the mark back after its letter), or moved back over it
    after a Latin one."""
    out = []
    marks = ""
    for k, char in enumerate(letters):
        if _is_mark(char):
            marks += char
            if k + 1 < len(letters):
                continue
            out.append(f"{_ADVANCE}<{_hex(marks)}>{-_ADVANCE}")  # after its letter, at the end
        elif marks:
            out.append(f"<{_hex(marks)}><{_hex(char)}>")
        else:
            out.append(f"<{_hex(char)}>")
        if not _is_mark(char) or k + 1 == len(letters):
            marks = ""
    return "".join(out)


def _encodable(word: str) -> bool:
    return all(ord(c) <= 0xFFFF for c in word)


def _hex(text: str) -> str:
    return "".join(f"{ord(c):04X}" for c in text)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


@cache
def _font_program() -> bytes | None:
    """Tesseract's glyphless font (``pdf.ttf`` beside its language data), installed with it."""
    places = [os.environ.get("TESSDATA_PREFIX", ""), "/usr/share/tesseract-ocr/*/tessdata",
              "/usr/share/tessdata", "/usr/local/share/tessdata"]
    for place in places:
        for found in sorted(glob.glob(os.path.join(place, "pdf.ttf"))) if place else ():
            return Path(found).read_bytes()
    return None


_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _glyphless_font(pdf):
    """A Type 0 font whose two-byte codes are Unicode code points, each drawn as glyph 1."""
    import pikepdf

    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.GlyphLessFont, Flags=5,
        FontBBox=[0, 0, _ADVANCE, 1000], ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000, StemV=80,
    )
    program = _font_program()
    if program is not None:
        descriptor.FontFile2 = pdf.make_stream(program)
    cid = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=_ADVANCE, W=_mark_widths(),
        CIDToGIDMap=pdf.make_stream(b"\x00\x01" * 65536),
    )
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name.GlyphLessFont,
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid)],
        ToUnicode=pdf.make_stream(_TO_UNICODE),
    ))
