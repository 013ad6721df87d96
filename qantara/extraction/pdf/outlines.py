"""What a glyph draws, read from the font program a PDF embeds, whatever text it is named with.

Producers name the glyphs that only join letters after something else: LibreOffice names the
kashida glyphs that justify an Arabic line after whatever character it met first ("+" with
Scheherazade, "(" with Noto Naskh Arabic) or not at all (KacST Office); HarfBuzz-based
producers (WeasyPrint) give each glyph of a cluster the cluster's letter, so Amiri's connector
between lam and kaf reads as a second "ل". Copies laid over each other give some away
(layout.glyphs.name_stretchers), single ones do not. The font says what they are: a joining
stroke is a flat bar lying on the baseline, which no letter and no symbol a text names but a
dash is (a full stop is a dot, a hyphen lies above the baseline, an underscore below it).
"""

from __future__ import annotations

import struct
from io import BytesIO
from typing import Any

# A bar lying on the baseline, in em: its foot on the baseline (within the rounding of the
# outlines of the SIL, Noto, KacST and Amiri fonts: -0.005 to 0), no higher than a
# joining stroke (0.061-0.09 in those fonts; a full stop reaches 0.064-0.12 but dips below
# the baseline and is as high as it is wide), and wider than high. In those fonts only
# tatweel, its stretched forms, Amiri's lam-kaf connector, the Arabic full stop (U+06D4) and
# Noto Naskh's hyphens are such bars.
_FOOT = (-0.006, 0.01)
_TOP = 0.1
_WIDER = 1.3


class EmbeddedFonts:
    """The embedded programs of a document's fonts, each parsed once, on first need."""

    def __init__(self) -> None:
        self._specs: dict[int, tuple[Any, dict]] = {}
        self._programs: dict[int, tuple[Any, Any] | None] = {}
        self._bars: dict[tuple[int, int], bool] = {}

    def register(self, font: Any, spec: dict) -> None:
        """The font dictionary pdfminer's ``font`` was made from (pdfminer keeps no glyph map
        of a CID font). The font is held with it, so that its id names no other font."""
        self._specs.setdefault(id(font), (font, spec))

    def draws_kashida(self, font: Any, cid: int) -> bool:
        """Whether glyph ``cid`` of pdfminer's ``font`` draws a bar on the baseline (False
        when the font's program is not embedded or cannot be read)."""
        key = (id(font), cid)
        verdict = self._bars.get(key)
        if verdict is None:
            verdict = self._bars[key] = _is_bar(self._ink(font, cid))
        return verdict

    def _ink(self, font: Any, cid: int) -> tuple[float, float, float, float] | None:
        loaded = self._program(font)
        if loaded is None:
            return None
        program, glyph_of = loaded
        try:
            gid = glyph_of(cid)
            return None if gid is None else program.bounds(gid)
        except Exception:
            # A damaged or unusual font program says nothing either way.
            return None

    def _program(self, font: Any):
        key = id(font)
        if key not in self._programs:
            held = self._specs.get(key)
            try:
                self._programs[key] = _truetype(font, held[1] if held else None)
            except Exception:
                self._programs[key] = None
        return self._programs[key]


class _Program:
    """An embedded TrueType program's glyph boxes, read from each glyph's header (the
    outlines themselves are never decoded: reading a page must stay about as fast as
    pdfplumber's own parsing)."""

    def __init__(self, font) -> None:
        self.font = font
        self._em = font["head"].unitsPerEm
        self._loca = font["loca"]
        self._glyf = font.reader["glyf"]

    def bounds(self, gid: int) -> tuple[float, float, float, float] | None:
        if not 0 < gid < len(self._loca) - 1:
            return None
        start, end = self._loca[gid], self._loca[gid + 1]
        if end - start < 10:
            return None  # no outline
        _, x0, y0, x1, y1 = struct.unpack(">hhhhh", self._glyf[start:start + 10])
        return x0 / self._em, y0 / self._em, x1 / self._em, y1 / self._em


def _truetype(font: Any, spec: dict | None):
    """(glyph boxes, code -> glyph number) of an embedded TrueType program: a simple font's
    codes through its symbol or Macintosh cmap, as PDF reads a symbolic TrueType font (PDF
    32000-1, 9.6.6.4); a CID font's through its CIDToGIDMap. None for other fonts."""
    from pdfminer.pdffont import PDFTrueTypeFont
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import literal_name

    if spec is not None and literal_name(spec.get("Subtype")) == "Type0":
        descendant = resolve1(resolve1(spec.get("DescendantFonts"))[0])
        if literal_name(descendant.get("Subtype")) != "CIDFontType2":
            return None
        program = _parse(resolve1(resolve1(descendant.get("FontDescriptor")).get("FontFile2")))
        if program is None:
            return None
        mapping = resolve1(descendant.get("CIDToGIDMap"))
        table = None if mapping is None or literal_name(mapping) == "Identity" else mapping.get_data()

        def glyph_of(cid: int) -> int:
            return cid if table is None else int.from_bytes(table[2 * cid:2 * cid + 2], "big")

        return program, glyph_of
    if not isinstance(font, PDFTrueTypeFont):
        return None
    program = _parse(resolve1(font.descriptor.get("FontFile2")))
    if program is None or "cmap" not in program.font:
        return None
    return program, lambda code: _simple_glyph(program.font, code)


def _parse(stream) -> _Program | None:
    if stream is None:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(stream.get_data()), lazy=True)
    return _Program(font) if "glyf" in font and "loca" in font else None


def _simple_glyph(font, code: int) -> int | None:
    name = None
    for table in font["cmap"].tables:
        if (table.platformID, table.platEncID) == (3, 0):
            name = table.cmap.get(0xF000 + code) or table.cmap.get(code)
            if name:
                break
    else:
        for table in font["cmap"].tables:
            if (table.platformID, table.platEncID) == (1, 0):
                name = table.cmap.get(code)
                break
    return font.getGlyphID(name) if name else None


def _is_bar(ink: tuple[float, float, float, float] | None) -> bool:
    if ink is None:
        return False
    x0, y0, x1, y1 = ink
    height = y1 - y0
    return _FOOT[0] <= y0 <= _FOOT[1] and y1 <= _TOP and (x1 - x0) >= _WIDER * height
