"""reportlab: the legacy route many real PDFs come from. Each line is shaped with
arabic-reshaper (presentation forms, lam-alef ligatures, harakat kept) and put in visual order
with python-bidi before it is drawn, so the text layer holds presentation forms in visual
order. Characters the font lacks are drawn in a fallback font, run by run."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..spec import FALLBACK_FONT, FONTS, Document
from .paginate import Item, pour

_MM = 72 / 25.4


def reportlab_available() -> bool:
    try:
        import arabic_reshaper  # noqa: F401
        import reportlab  # noqa: F401
    except ImportError:
        return False
    return True


def visual_line(text: str) -> str:
    """Legacy shaping: presentation forms (harakat kept), visual order, mirrored brackets
    (python-bidi's pure-Python algorithm: its Rust ``get_display`` does not mirror)."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})
    return get_display(reshaper.reshape(text), base_dir="R")


@lru_cache(maxsize=None)
def _cmap(file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(file).getBestCmap())


def _register(name: str, file: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, file))
    return name


def _runs(visual: str, font: str, covered: frozenset[int]) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for ch in visual:
        name = font if ord(ch) in covered or ch == " " else "Fallback"
        if runs and runs[-1][1] == name:
            runs[-1] = (runs[-1][0] + ch, name)
        else:
            runs.append((ch, name))
    return runs


def render_reportlab(doc: Document, path: Path) -> Path:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    layout = doc.layout
    font = _register(f"Body-{doc.spec.font}", FONTS[doc.spec.font][1])
    _register("Fallback", FALLBACK_FONT[1])
    covered = _cmap(FONTS[doc.spec.font][1])
    page_w, page_h = layout.page[0] * _MM, layout.page[1] * _MM
    top, right, bottom, left = (m * _MM for m in layout.margins)
    col_w = layout.column_width * _MM
    gutter = layout.gutter * _MM
    size = layout.size

    def width(text: str, pt: float) -> float:
        return sum(stringWidth(run, name, pt) for run, name in _runs(visual_line(text), font, covered))

    def wrap(text: str, pt: float) -> list[str]:
        lines: list[str] = []
        current: list[str] = []
        for word in text.split():
            if current and width(" ".join(current + [word]), pt) > col_w:
                lines.append(" ".join(current))
                current = [word]
            else:
                current.append(word)
        if current:
            lines.append(" ".join(current))
        return lines

    def draw(c, text: str, pt: float, x_right: float, y: float, span: float, how: str) -> None:
        """``how``: "right", "center" or "justify" (across ``span``)."""
        visual = visual_line(text)
        words = [_runs(w, font, covered) for w in visual.split(" ")]
        widths = [sum(stringWidth(r, n, pt) for r, n in w) for w in words]
        space = stringWidth(" ", font, pt)
        total = sum(widths) + space * (len(words) - 1)
        gap = space
        if how == "justify" and len(words) > 1:
            gap = (span - sum(widths)) / (len(words) - 1)
            x = x_right - span
        elif how == "center":
            x = x_right - span + (span - total) / 2
        else:
            x = x_right - total
        for runs, w in zip(words, widths):
            for run, name in runs:
                c.setFont(name, pt)
                c.drawString(x, y, run)
                x += stringWidth(run, name, pt)
            x += gap

    # Lines as items: (text, size, how, last line of its block)
    lines: list[tuple[str, float, str]] = []
    items: list[Item] = []
    for block in doc.content.blocks:
        pt = size * (1.2 if block.kind == "h" else 1.0)
        wrapped = wrap(block.text, pt)
        for i, line in enumerate(wrapped):
            last = i == len(wrapped) - 1
            how = "justify" if layout.justify and not last and block.kind == "p" else "right"
            lines.append((line, pt, how))
            items.append(Item(pt * layout.leading, pt * 0.6 if last else 0.0))
    title_h = size * 3.2 if doc.content.title else 0.0
    box = page_h - top - bottom
    pages = pour(items, box - title_h, box, layout.columns, layout.balanced)
    c = canvas.Canvas(str(path), pagesize=(page_w, page_h))
    for number, columns in enumerate(pages, start=1):
        furniture = size * 0.8
        head = [layout.header] if layout.header else []
        if layout.numbers == "header":
            head.append(layout.page_number(number))
        if head:
            draw(c, "   ".join(head), furniture, page_w - right, page_h - top + furniture * 1.5, page_w - left - right, "center")
        if layout.numbers == "footer":
            draw(c, layout.page_number(number), furniture, page_w - right, bottom - furniture * 2.2, page_w - left - right, "center")
        y0 = page_h - top
        if number == 1 and doc.content.title:
            draw(c, doc.content.title, size * 1.6, page_w - right, y0 - size * 1.6, page_w - left - right, "center")
            y0 -= title_h
        for k, column in enumerate(columns):
            x_right = page_w - right - k * (col_w + gutter)
            y = y0
            for j in column:
                text, pt, how = lines[j]
                y -= pt * layout.leading
                draw(c, text, pt, x_right, y + pt * (layout.leading - 1) / 2, col_w, how)
                y -= items[j].gap_after
        c.showPage()
    c.save()
    return path
