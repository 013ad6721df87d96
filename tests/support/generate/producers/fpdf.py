"""fpdf2 with HarfBuzz shaping (uharfbuzz): text columns, balanced or not, header and footer
drawn by the page callbacks."""

from __future__ import annotations

from pathlib import Path

from ..spec import FALLBACK_FONT, FONTS, Document


def fpdf2_available() -> bool:
    try:
        import fpdf  # noqa: F401
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def render_fpdf2(doc: Document, path: Path) -> Path:
    """fpdf2 has no footnotes: its documents carry none."""
    from fpdf import FPDF

    layout = doc.layout
    top, right, bottom, left = layout.margins
    pt = 0.3528  # mm per point

    class Pdf(FPDF):
        def _furniture(self, text: str, y: float) -> None:
            self.set_font("Body", size=layout.size * 0.8)
            self.set_xy(left, y)
            self.cell(self.w - left - right, layout.size * 0.8 * pt * 1.4, text, align="C")

        def header(self) -> None:
            parts = [layout.header] if layout.header else []
            if layout.numbers == "header":
                parts.append(layout.page_number(self.page_no()))
            if parts:
                self._furniture("   ".join(parts), top - layout.size * pt * 2.2)
            self.set_xy(left, top)

        def footer(self) -> None:
            if layout.numbers == "footer":
                self._furniture(layout.page_number(self.page_no()), self.h - bottom + layout.size * pt)

    pdf = Pdf(unit="mm", format=layout.page)
    pdf.set_margins(left, top, right)
    pdf.set_auto_page_break(True, margin=bottom)
    pdf.add_font("Body", fname=FONTS[doc.spec.font][1])
    pdf.add_font("Fallback", fname=FALLBACK_FONT[1])
    pdf.set_fallback_fonts(["Fallback"])
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
    pdf.add_page()
    height = layout.size * pt * layout.leading
    if doc.content.title:
        pdf.set_font("Body", size=layout.size * 1.6)
        pdf.multi_cell(0, layout.size * 1.6 * pt * 1.4, doc.content.title, align="C")
        pdf.ln(layout.size * pt)
    align = "J" if layout.justify else "R"
    with pdf.text_columns(ncols=layout.columns, gutter=layout.gutter, balance=layout.balanced,
                          text_align=align, line_height=layout.leading) as columns:
        for block in doc.content.blocks:
            size = layout.size * (1.2 if block.kind == "h" else 1.0)
            pdf.set_font("Body", size=size)
            paragraph = columns.paragraph(text_align="R" if block.kind == "h" else align,
                                          bottom_margin=height * 0.6)
            paragraph.write(block.text)
            columns.end_paragraph()
    pdf.output(str(path))
    return path
