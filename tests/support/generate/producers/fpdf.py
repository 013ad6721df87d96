"""fpdf2 with HarfBuzz shaping (uharfbuzz) and its own bidi algorithm, header and footer
drawn by the page callbacks. Lines are broken by ``multi_cell`` (dry run) and poured into
columns here: fpdf2's ``text_columns`` draws right-to-left lines with their runs out of
order (2.8.9)."""

from __future__ import annotations

from pathlib import Path

from ..spec import FALLBACK_FONT, FONTS, Document
from .paginate import Item, pour


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
    from fpdf.enums import MethodReturnValue

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

        def footer(self) -> None:
            if layout.numbers == "footer":
                self._furniture(layout.page_number(self.page_no()), self.h - bottom + layout.size * pt)

    pdf = Pdf(unit="mm", format=layout.page)
    pdf.set_margins(left, top, right)
    pdf.set_auto_page_break(False)
    pdf.add_font("Body", fname=FONTS[doc.spec.font][1])
    pdf.add_font("Fallback", fname=FALLBACK_FONT[1])
    pdf.set_fallback_fonts(["Fallback"])
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl")
    pdf.add_page()  # measuring needs a page
    width = layout.column_width
    lines: list[tuple[str, float, str, int]] = []  # text, size, alignment, block
    items: list[Item] = []
    for b, block in enumerate(doc.content.blocks):
        size = layout.size * (1.2 if block.kind == "h" else 1.0)
        pdf.set_font("Body", size=size)
        broken = pdf.multi_cell(width, size * pt * layout.leading, block.text, dry_run=True,
                                output=MethodReturnValue.LINES)
        for i, line in enumerate(broken):
            last = i == len(broken) - 1
            how = "J" if layout.justify and not last and block.kind == "p" else "R"
            lines.append((line, size, how, b))
            items.append(Item(size * pt * layout.leading, size * pt * 0.6 if last else 0.0))
    title_h = 0.0
    if doc.content.title:
        pdf.set_font("Body", size=layout.size * 1.6)
        title_h = pdf.multi_cell(layout.page[0] - left - right, layout.size * 1.6 * pt * 1.4, doc.content.title,
                                 align="C", dry_run=True, output=MethodReturnValue.HEIGHT) + layout.size * pt
    box = layout.page[1] - top - bottom
    for number, columns in enumerate(pour(items, box - title_h, box, layout.columns, layout.balanced), start=1):
        if number > 1:
            pdf.add_page()
        y0 = top
        if number == 1 and doc.content.title:
            pdf.set_font("Body", size=layout.size * 1.6)
            pdf.set_xy(left, top)
            pdf.multi_cell(layout.page[0] - left - right, layout.size * 1.6 * pt * 1.4, doc.content.title, align="C")
            y0 += title_h
        for k, column in enumerate(columns):
            x = layout.page[0] - right - (k + 1) * width - k * layout.gutter
            y = y0
            # A block's lines in one column go in one call, which breaks them again the same
            # way: fpdf2 justifies every line of a call but its last.
            runs: list[list[int]] = []
            for j in column:
                if runs and lines[runs[-1][-1]][3] == lines[j][3]:
                    runs[-1].append(j)
                else:
                    runs.append([j])
            for run in runs:
                _, size, how, _ = lines[run[0]]
                pdf.set_font("Body", size=size)
                pdf.set_xy(x, y)
                pdf.multi_cell(width, items[run[0]].height, " ".join(lines[j][0] for j in run),
                               align="J" if how == "J" or len(run) > 1 and lines[run[0]][2] == "J" else "R")
                y += sum(items[j].height + items[j].gap_after for j in run)
    pdf.output(str(path))
    return path
