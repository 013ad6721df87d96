"""LibreOffice Writer and Impress: flat ODF documents converted to PDF headless.

Writer lays the text out itself (HarfBuzz shaping, kashida justification, its own footnote
area and running header/footer); page columns fill one after the other, section columns are
balanced. Impress gets the text already cut into slides, one text box per column.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..spec import FONTS, Document

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)
_EASTERN_FORMAT = "١, ٢, ٣, ..."


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def writer_available() -> bool:
    return soffice() is not None


def impress_available() -> bool:
    # The Impress filter ships in its own package (libreoffice-impress-nogui).
    return soffice() is not None and any(Path(p).exists() for p in (
        "/usr/lib/libreoffice/program/libsdlo.so", "/usr/lib/libreoffice/program/libsdlo.so.0"))


def _convert(source_text: str, suffix: str, path: Path) -> Path:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"doc{suffix}"
        source.write_text(source_text, encoding="utf-8")
        subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{work}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=300,
        )
        shutil.move(str(Path(work) / "doc.pdf"), path)
    return path


def _text_props(size: float) -> str:
    # "F" is the document's one declared font face; Latin and Arabic runs both use it, and
    # LibreOffice falls back through fontconfig for what it lacks.
    return (f'<style:text-properties style:font-name="F" style:font-name-complex="F" '
            f'fo:font-size="{size}pt" style:font-size-complex="{size}pt" '
            f'style:language-complex="ar" style:country-complex="SA" fo:language="en" fo:country="US"/>')


def _paragraph_style(name: str, size: float, align: str, leading: float, space: float) -> str:
    return (
        f'<style:style style:name="{name}" style:family="paragraph">'
        f'<style:paragraph-properties fo:text-align="{align}" style:writing-mode="rl-tb" '
        f'fo:line-height="{round(leading * 100)}%" fo:margin-top="0cm" fo:margin-bottom="{space:.2f}pt"/>'
        f'{_text_props(size)}</style:style>'
    )


def render_writer(doc: Document, path: Path) -> Path:
    layout = doc.layout
    family = FONTS[doc.spec.font][0]
    top, right, bottom, left = layout.margins
    fmt = _EASTERN_FORMAT if layout.eastern else "1"
    align = "justify" if layout.justify else "start"
    columns = (f'<style:columns fo:column-count="{layout.columns}" fo:column-gap="{layout.gutter}mm"/>'
               if layout.columns > 1 else "")
    page_columns = columns if not layout.balanced else ""
    section_columns = columns if layout.balanced else ""

    def number() -> str:
        before, after = layout.number_format.split("{n}")
        return (f'{escape(before)}<text:page-number style:num-format="{fmt}" text:select-page="current">1'
                f'</text:page-number>{escape(after)}')

    header_parts = []
    if layout.header:
        header_parts.append(escape(layout.header))
    if layout.numbers == "header":
        header_parts.append(number())
    header = (f'<style:header><text:p text:style-name="Furniture">{"<text:tab/>".join(header_parts)}</text:p></style:header>'
              if header_parts else "")
    footer = (f'<style:footer><text:p text:style-name="Furniture">{number()}</text:p></style:footer>'
              if layout.numbers == "footer" else "")
    body: list[str] = []
    if doc.content.title:
        body.append(f'<text:p text:style-name="Title">{escape(doc.content.title)}</text:p>')
    inner: list[str] = []
    n = 0
    for block in doc.content.blocks:
        if block.kind == "h":
            inner.append(f'<text:p text:style-name="Heading">{escape(block.text)}</text:p>')
            continue
        words = [escape(w) for w in block.text.split()]
        if block.note:
            n += 1
            words[block.note_at] += (
                f'<text:note text:id="n{n}" text:note-class="footnote"><text:note-citation>{n}</text:note-citation>'
                f'<text:note-body><text:p text:style-name="Note">{escape(block.note)}</text:p></text:note-body></text:note>'
            )
        inner.append(f'<text:p text:style-name="Body">{" ".join(words)}</text:p>')
    if section_columns:
        body.append(f'<text:section text:style-name="Cols" text:name="Body">{"".join(inner)}</text:section>')
    else:
        body.extend(inner)
    size = layout.size
    source = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="F" svg:font-family={quoteattr(family)}/></office:font-face-decls>
<office:styles>
<text:notes-configuration text:note-class="footnote" style:num-format="{fmt}" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
<style:default-style style:family="paragraph"><style:paragraph-properties style:writing-mode="rl-tb"/>{_text_props(size)}</style:default-style>
{_paragraph_style("Body", size, align, layout.leading, size * 0.6)}
{_paragraph_style("Title", round(size * 1.6, 1), "center", 1.3, size)}
{_paragraph_style("Heading", round(size * 1.25, 1), "start", 1.3, size * 0.4)}
{_paragraph_style("Note", round(size * 0.8, 1), "start", 1.2, 2)}
{_paragraph_style("Furniture", round(size * 0.8, 1), "center", 1.2, 0)}
</office:styles>
<office:automatic-styles>
<style:style style:name="Cols" style:family="section"><style:section-properties>{section_columns}</style:section-properties></style:style>
<style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="{layout.page[0]}mm" fo:page-height="{layout.page[1]}mm"
 fo:margin-top="{top}mm" fo:margin-bottom="{bottom}mm" fo:margin-left="{left}mm" fo:margin-right="{right}mm" style:writing-mode="rl-tb">{page_columns}</style:page-layout-properties>
<style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="4mm"/></style:header-style>
<style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="4mm"/></style:footer-style>
</style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="PL">{header}{footer}</style:master-page></office:master-styles>
<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>
"""
    return _convert(source, ".fodt", path)


@lru_cache(maxsize=None)
def _advance(file: str) -> float:
    """Mean advance of the font's Arabic letters, in ems."""
    from fontTools.ttLib import TTFont

    font = TTFont(file)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    widths = [metrics[cmap[c]][0] for c in range(0x0627, 0x064B) if c in cmap]
    return sum(widths) / len(widths) / font["head"].unitsPerEm


def _slides(doc: Document) -> list[list[list[str]]]:
    """The blocks cut into slides, each slide a list of columns, each a list of texts. A
    slide holds what fits its boxes by an estimate from the font's letter widths (boxes grow
    past the slide, slides do not); a block too long for a box is cut in two."""
    layout = doc.layout
    mm = layout.size * 0.3528
    box_height = layout.page[1] - layout.margins[0] - layout.margins[2] - 28
    chars_per_line = layout.column_width / (mm * _advance(FONTS[doc.spec.font][1]))
    lines_per_box = box_height / (mm * layout.leading * 1.15) * 0.85
    texts = [b.text for b in doc.content.blocks]
    slides: list[list[list[str]]] = [[[] for _ in range(layout.columns)]]
    column = 0
    used = 0.0
    while texts:
        text = texts.pop(0)
        need = len(text) / chars_per_line + 1.5
        if need > lines_per_box and len(text.split()) > 4:
            words = text.split()
            texts[:0] = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])]
            continue
        if used and used + need > lines_per_box:
            column += 1
            used = 0.0
            if column == layout.columns:
                slides.append([[] for _ in range(layout.columns)])
                column = 0
        slides[-1][column].append(text)
        used += need
    return slides


def render_impress(doc: Document, path: Path) -> Path:
    layout = doc.layout
    family = FONTS[doc.spec.font][0]
    width, height = layout.page
    top, right, bottom, left = layout.margins
    # In Impress, "end" is the right edge of a right-to-left paragraph (Writer says "start").
    align = "justify" if layout.justify else "end"
    pages = []
    for number, slide in enumerate(_slides(doc), start=1):
        frames = []
        y = top
        if doc.content.title and number == 1:
            frames.append(_frame("Title", left, top, width - left - right, 16, [doc.content.title], "center"))
        y = top + 20
        for i, column in enumerate(slide):
            if not column:
                continue
            x = width - right - (i + 1) * layout.column_width - i * layout.gutter
            frames.append(_frame("Body", x, y, layout.column_width, height - y - bottom - 8, column, align))
        if layout.numbers:
            frames.append(_frame("Number", width / 2 - 15, height - bottom, 30, 7,
                                 [layout.page_number(number)], "center"))
        pages.append(f'<draw:page draw:name="s{number}" draw:master-page-name="M">{"".join(frames)}</draw:page>')
    size = layout.size

    def style(name: str, pt: float) -> str:
        return (f'<style:style style:name="{name}" style:family="paragraph">'
                f'<style:paragraph-properties style:writing-mode="rl-tb" fo:line-height="{round(layout.leading * 100)}%" '
                f'fo:margin-bottom="{pt * 0.5:.1f}pt"/>{_text_props(pt)}</style:style>')

    source = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:font-face-decls><style:font-face style:name="F" svg:font-family={quoteattr(family)}/></office:font-face-decls>
<office:styles>{style("Body", size)}{style("Title", round(size * 1.5, 1))}{style("Number", round(size * 0.6, 1))}
<style:style style:name="Box" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="none"
 draw:auto-grow-height="true" fo:min-height="1cm" fo:padding-top="0mm" fo:padding-bottom="0mm" fo:padding-left="0mm" fo:padding-right="0mm"
 draw:textarea-vertical-align="top"/></style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="PM"><style:page-layout-properties fo:page-width="{width}mm" fo:page-height="{height}mm" fo:margin-top="0mm" fo:margin-bottom="0mm" fo:margin-left="0mm" fo:margin-right="0mm"/></style:page-layout>
<style:style style:name="Al-justify" style:family="paragraph" style:parent-style-name="Body"><style:paragraph-properties fo:text-align="justify" style:writing-mode="rl-tb"/></style:style>
<style:style style:name="Al-end" style:family="paragraph" style:parent-style-name="Body"><style:paragraph-properties fo:text-align="end" style:writing-mode="rl-tb"/></style:style>
<style:style style:name="Al-center" style:family="paragraph" style:parent-style-name="Title"><style:paragraph-properties fo:text-align="center" style:writing-mode="rl-tb"/></style:style>
<style:style style:name="Al-number" style:family="paragraph" style:parent-style-name="Number"><style:paragraph-properties fo:text-align="center"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="M" style:page-layout-name="PM"/></office:master-styles>
<office:body><office:presentation>{"".join(pages)}</office:presentation></office:body></office:document>
"""
    return _convert(source, ".fodp", path)


def _frame(kind: str, x: float, y: float, w: float, h: float, texts: list[str], align: str) -> str:
    style = {"Title": "Al-center", "Number": "Al-number"}.get(kind, f"Al-{align}")
    paragraphs = "".join(f'<text:p text:style-name="{style}">{escape(t)}</text:p>' for t in texts)
    return (f'<draw:frame draw:style-name="Box" svg:x="{x:.1f}mm" svg:y="{y:.1f}mm" svg:width="{w:.1f}mm" '
            f'svg:height="{h:.1f}mm"><draw:text-box>{paragraphs}</draw:text-box></draw:frame>')
