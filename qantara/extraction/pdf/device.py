"""The page's glyphs straight from pdfminer's interpreter (pdfplumber's reader underneath).

pdfplumber turns every glyph into a dict of some twenty attributes (colours, graphic state,
marked-content ids) through generic object conversion; that costs a quarter of reading a
page, more than everything Qantara does with the glyphs afterwards. This device receives the
glyphs pdfminer's interpreter draws and keeps what layout needs, computing each glyph's box
exactly as pdfminer's ``LTChar`` does (and its top and bottom as pdfplumber does), and reads
what pdfplumber's chars lack: the ``/ActualText`` of marked content, which producers such as
cairo use to give the text of a cluster of glyphs (a lam-alef ligature whose glyph has no
text of its own) — the span's glyphs then become one glyph with the span's text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import dict_value
from pdfminer.utils import decode_text

from ...layout.glyphs import KASHIDA, Glyph, is_unusable_text, names_a_letter
from .outlines import EmbeddedFonts


class GlyphDevice(PDFTextDevice):
    """Collects one page's glyphs, their text as the PDF gives it, in content-stream order."""

    def __init__(self, rsrcmgr: Any, height: float, mediabox: tuple[float, float],
                 names: dict[int, str] | None = None, fonts: EmbeddedFonts | None = None) -> None:
        super().__init__(rsrcmgr)
        self.glyphs: list[Glyph] = []
        self._height = height
        self._x_shift, self._y_shift = mediabox
        # Open marked-content sequences: the ActualText each gives (None when none) and
        # where its glyphs start.
        self._spans: list[tuple[str | None, int]] = []
        self._descents: dict[int, float] = {}
        self._names: dict[int, str] = {} if names is None else names
        self.fonts = EmbeddedFonts() if fonts is None else fonts
        # Glyphs named after a letter that draw a bar on the baseline (see render_char).
        self.letter_bars: set[int] = set()

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        text = None
        if isinstance(props, dict) and "ActualText" in props:
            value = props["ActualText"]
            if isinstance(value, bytes):
                text = decode_text(value)
            elif isinstance(value, str):
                text = value
        self._spans.append((text, len(self.glyphs)))

    def end_tag(self) -> None:
        if not self._spans:
            return
        text, start = self._spans.pop()
        if text is None or start >= len(self.glyphs):
            return
        span = self.glyphs[start:]
        # Only a cluster's known text, over several glyphs or over a glyph without text of
        # its own: spans over whole words or lines (tagged PDFs, hyphenation) are left to
        # their glyphs, and so are spans whose text says it is not known (InDesign wraps
        # kashida runs in U+FFFD), and one glyph's own text is not overruled (some producers'
        # spans are one glyph out of step with the glyphs they wrap).
        text = text.strip()
        if not text or "\ufffd" in text or any(ch.isspace() for ch in text):
            return
        if len(span) == 1 and not is_unusable_text(span[0].text):
            return
        # The cluster's base glyph (the widest) gives the baseline and size; the span's first
        # glyph (Chromium writes the mark first) its place in the stream.
        base = max(span, key=lambda g: g.x1 - g.x0)
        self.glyphs[start:] = [base._replace(
            text=text, seq=span[0].seq,
            x0=min(g.x0 for g in span), x1=max(g.x1 for g in span),
            top=min(g.top for g in span), bottom=max(g.bottom for g in span),
        )]

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        # A kashida or connector is named after whatever character its producer met, or its
        # cluster's letter, or not at all (see .outlines): its font tells.
        if (is_unusable_text(text) or len(text) == 1 and not _may_be_a_bar(text)) and self.fonts.draws_kashida(font, cid):
            if len(text) == 1 and names_a_letter(text):
                # Named after its cluster's letter, it is a connector only where the glyph
                # drawn beside it carries that letter too (HarfBuzz's producers name every
                # glyph of a cluster; fpdf2 names Amiri's lam-kaf connector alone "ل").
                self.letter_bars.add(len(self.glyphs))
            else:
                text = KASHIDA
        adv = font.char_width(cid) * fontsize * scaling
        a, b, c, d, e, f = matrix
        if font.is_vertical():
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            box = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            key = id(font)
            descent = self._descents.get(key)
            if descent is None:
                descent = self._descents[key] = font.get_descent()
            low = descent * fontsize + rise
            box = (0.0, low, adv, low + fontsize)
        # The box's corners through the matrix (apply_matrix_rect, inlined: this runs for
        # every glyph of every page).
        bx0, by0, bx1, by1 = box
        xs = (a * bx0 + c * by0 + e, a * bx1 + c * by0 + e, a * bx0 + c * by1 + e, a * bx1 + c * by1 + e)
        ys = (b * bx0 + d * by0 + f, b * bx1 + d * by0 + f, b * bx0 + d * by1 + f, b * bx1 + d * by1 + f)
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        size = (x1 - x0) if font.is_vertical() else (y1 - y0)
        top = self._height - y1 + self._y_shift
        bottom = self._height - y0 + self._y_shift
        # Distance of the baseline from the page's top, for upright glyphs, text rise
        # included (Chromium draws some clusters from another origin and makes up the
        # difference with a rise; raised footnote marks join their line in lines.py).
        baseline = self._height - (f + d * rise) + self._y_shift if b == 0 and c == 0 else None
        self.glyphs.append(Glyph(text, x0 + self._x_shift, x1 + self._x_shift, top, bottom,
                                    size, self._font_name(font), len(self.glyphs), baseline, cid))
        return adv

    def _font_name(self, font) -> str:
        """The font's name, told apart from other fonts of the same name (LibreOffice splits a
        font into subsets that may share one): a glyph's code means something in its font."""
        key = id(font)
        name = self._names.get(key)
        if name is None:
            same = sum(1 for n in self._names.values() if n.split("#")[0] == font.fontname)
            name = self._names[key] = font.fontname + (f"#{same}" if same else "")
        return name


def page_glyphs(page, font_names: dict[int, str] | None = None, fonts: EmbeddedFonts | None = None) -> list[Glyph]:
    """The glyphs of a pdfplumber page, in content-stream order. ``font_names``: the names
    given to the document's fonts so far, shared by its pages (so that a font keeps its name
    from page to page); ``fonts``: their embedded programs, read once for the document."""
    mediabox = page.mediabox
    device = GlyphDevice(page.pdf.rsrcmgr, float(page.height), (float(mediabox[0]), float(mediabox[1])),
                         font_names, fonts)
    interpreter = _Interpreter(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    glyphs = device.glyphs
    for i in device.letter_bars:
        if i < len(glyphs) and any(0 <= j < len(glyphs) and glyphs[j].text == glyphs[i].text for j in (i - 1, i + 1)):
            glyphs[i] = glyphs[i]._replace(text=KASHIDA)
    return glyphs


def _may_be_a_bar(text: str) -> bool:
    """Characters whose own glyph may be a bar on the baseline: spaces (no ink), dashes and
    low lines, the Arabic full stop."""
    return text.isspace() or text == "\u06d4" or unicodedata.category(text) in ("Pd", "Pc")


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, telling the device the dictionary of each font it loads (the
    font objects keep no map from a CID font's codes to its glyphs)."""

    def init_resources(self, resources: Any) -> None:
        super().init_resources(resources)
        try:
            fonts = dict_value(dict_value(resources).get("Font")) if resources else {}
            for fontid, spec in fonts.items():
                if fontid in self.fontmap:
                    self.device.fonts.register(self.fontmap[fontid], dict_value(spec))
        except Exception:
            # Resources pdfminer could read but not as dictionaries: no font data, no harm.
            pass
