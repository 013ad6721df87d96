"""pango-view (Pango shaping, cairo's PDF backend). pango-view draws one block of text on a
page of its own size; each paragraph, heading, title and piece of furniture is drawn so and the
pieces are placed on the pages with pypdf, keeping cairo's own text layer."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from ..spec import FONTS, Document
from .paginate import Item, pour

_MM = 72 / 25.4


def cairo_available() -> bool:
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return False
    return shutil.which("pango-view") is not None


def _draw(text: str, family: str, size: float, width: float, folder: Path, name: str, *,
          align: str = "natural", justify: bool = False, leading: float = 1.3):
    """One block of text as a one-page PDF of its own size; returns the page."""
    from pypdf import PdfReader

    out = folder / f"{name}.pdf"
    command = ["pango-view", "-q", f"--output={out}", f"--font={family} {size}", "--rtl",
               f"--width={int(width)}", "--margin=0", "--wrap=word", f"--line-spacing={leading:.2f}",
               f"--text={text}"]
    if justify:
        command.append("--justify")
    if align != "natural":
        command.append(f"--align={align}")
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return PdfReader(out).pages[0]


def _split(text: str) -> tuple[str, str]:
    """The paragraph in two at a word near its middle that opens with an Arabic letter: pango
    gives each block the direction of its first strong character, so a half opening with a
    Latin word would be set left to right, which the one paragraph of the truth is not."""
    words = text.split()
    half = len(words) // 2
    arabic = [k for k, word in enumerate(words) if k and _first_strong(word) in ("R", "AL")]
    if arabic:
        half = min(arabic, key=lambda k: abs(k - half))
    return " ".join(words[:half]), " ".join(words[half:])


def _first_strong(word: str) -> str | None:
    return next((t for t in map(unicodedata.bidirectional, word) if t in ("L", "R", "AL")), None)


def render_cairo(doc: Document, path: Path) -> Path:
    """A paragraph taller than a column is drawn as two (the same text)."""
    from pypdf import PageObject, PdfWriter, Transformation

    layout = doc.layout
    family = FONTS[doc.spec.font][0]
    page_w, page_h = layout.page[0] * _MM, layout.page[1] * _MM
    top, right, bottom, left = (m * _MM for m in layout.margins)
    col_w = layout.column_width * _MM
    gutter = layout.gutter * _MM
    size = layout.size
    box = page_h - top - bottom
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        texts: list[tuple[str, str]] = [(b.kind, b.text) for b in doc.content.blocks]
        pieces = []
        i = 0
        while i < len(texts):
            kind, text = texts[i]
            pt = size * (1.2 if kind == "h" else 1.0)
            piece = _draw(text, family, pt, col_w, folder, f"b{i}-{len(pieces)}",
                          justify=layout.justify and kind == "p", leading=layout.leading - 0.2)
            if float(piece.mediabox.height) > box * 0.9 and len(text.split()) > 4:
                texts[i:i + 1] = [(kind, part) for part in _split(text)]
                continue
            pieces.append((text, piece))
            i += 1
        title = None
        if doc.content.title:
            title = _draw(doc.content.title, family, size * 1.6, page_w - left - right, folder, "title", align="center")
        items = [Item(float(p.mediabox.height), size * 0.6) for _, p in pieces]
        title_h = float(title.mediabox.height) + size if title is not None else 0.0
        pages = pour(items, box - title_h, box, layout.columns, layout.balanced)
        writer = PdfWriter()
        for number, columns in enumerate(pages, start=1):
            page = PageObject.create_blank_page(width=page_w, height=page_h)

            def place(piece, x: float, y_top: float) -> None:
                h = float(piece.mediabox.height)
                page.merge_transformed_page(piece, Transformation().translate(x, page_h - y_top - h))

            head = [layout.header] if layout.header else []
            if layout.numbers == "header":
                head.append(layout.page_number(number))
            furniture = size * 0.8
            if head:
                place(_draw("   ".join(head), family, furniture, page_w - left - right, folder, f"h{number}",
                            align="center"), left, top - furniture * 2.5)
            if layout.numbers == "footer":
                place(_draw(layout.page_number(number), family, furniture, page_w - left - right, folder,
                            f"f{number}", align="center"), left, page_h - bottom + furniture)
            y0 = top
            if number == 1 and title is not None:
                place(title, left, y0)
                y0 += title_h
            for k, column in enumerate(columns):
                x = page_w - right - (k + 1) * col_w - k * gutter
                y = y0
                for j in column:
                    place(pieces[j][1], x, y)
                    y += items[j].height + items[j].gap_after
            writer.add_page(page)
        writer.write(str(path))
    return path
