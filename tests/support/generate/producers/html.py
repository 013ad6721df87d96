"""Web routes: the same right-to-left HTML laid out by WeasyPrint (Pango/HarfBuzz, its own PDF
writer) and printed to PDF by headless Chromium (Skia), driven by Playwright."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from ..spec import FALLBACK_FONT, FONTS, Document

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: pango or another system library missing
        return False
    return True


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _body(doc: Document, notes: bool) -> str:
    parts = []
    if doc.content.title:
        parts.append(f"<h1>{escape(doc.content.title)}</h1>")
    for block in doc.content.blocks:
        if block.kind == "h":
            parts.append(f"<h2>{escape(block.text)}</h2>")
            continue
        words = [escape(w) for w in block.text.split()]
        if block.note and notes:
            words[block.note_at] += f'<span class="fn">{escape(block.note)}</span>'
        parts.append(f"<p>{' '.join(words)}</p>")
    return "".join(parts)


def _families(doc: Document) -> str:
    # System fonts by their fontconfig names: both engines find them, and fall back through
    # fontconfig for what the font lacks.
    return f"{FONTS[doc.spec.font][0]!r}, {FALLBACK_FONT[0]!r}"


def _common_css(doc: Document) -> str:
    layout = doc.layout
    return (
        f"html {{font-family: {_families(doc)}; font-size: {layout.size}pt; line-height: {layout.leading}}}"
        f"body {{margin: 0; text-align: {'justify' if layout.justify else 'right'}}}"
        f"h1 {{font-size: 1.6em; text-align: center; margin: 0 0 0.8em 0; column-span: all; line-height: 1.3}}"
        f"h2 {{font-size: 1.2em; margin: 0.4em 0 0.3em 0; line-height: 1.3}}"
        f"p {{margin: 0 0 0.6em 0}}"
        f".cols {{columns: {layout.columns}; column-gap: {layout.gutter}mm;"
        f" column-fill: {'balance' if layout.balanced else 'auto'}}}"
    )


def render_weasyprint(doc: Document, path: Path) -> Path:
    from weasyprint import HTML

    layout = doc.layout
    top, right, bottom, left = layout.margins
    counter = "counter(page, arabic-indic)" if layout.eastern else "counter(page)"
    before, after = layout.number_format.split("{n}")
    number = f"{_css_string(before)} {counter} {_css_string(after)}"
    boxes = []
    header = [] if not layout.header else [_css_string(layout.header)]
    if layout.numbers == "header":
        header.append(f'"  " {number}')
    if header:
        boxes.append(f"@top-center {{content: {' '.join(header)}; font-family: {_families(doc)}; font-size: 0.8em}}")
    if layout.numbers == "footer":
        boxes.append(f"@bottom-center {{content: {number}; font-family: {_families(doc)}; font-size: 0.8em}}")
    note_counter = "counter(footnote, arabic-indic)" if layout.eastern else "counter(footnote)"
    css = (
        _common_css(doc)
        + f"@page {{size: {layout.page[0]}mm {layout.page[1]}mm; margin: {top}mm {right}mm {bottom}mm {left}mm;"
        + "".join(boxes) + "}"
        + ".fn {float: footnote; font-size: 0.8em; text-align: right}"
        + f"::footnote-call {{content: {note_counter}; vertical-align: super; font-size: 0.7em; line-height: 1}}"
        + f"::footnote-marker {{content: {note_counter} ' '}}"
    )
    page = (f'<html dir="rtl" lang="ar"><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body><div class="cols">{_body(doc, notes=True)}</div></body></html>')
    HTML(string=page).write_pdf(path)
    return path


def render_chromium(doc: Document, path: Path) -> Path:
    """Chromium has no footnotes: its documents carry none (see :func:`spec.NOTE_PRODUCERS`)."""
    from playwright.sync_api import sync_playwright

    layout = doc.layout
    top, right, bottom, left = layout.margins
    before, after = layout.number_format.split("{n}")
    # Chromium's templates give the page number in Western digits only.
    number = f'{escape(before)}<span class="pageNumber"></span>{escape(after)}'
    style = f"font-family: {_families(doc)}; font-size: {layout.size * 0.8}pt; width: 100%; text-align: center"
    header_parts = [escape(layout.header)] if layout.header else []
    if layout.numbers == "header":
        header_parts.append(number)
    header = f'<div dir="rtl" style="{style}">{" &nbsp; ".join(header_parts)}</div>' if header_parts else "<span></span>"
    footer = f'<div dir="rtl" style="{style}">{number}</div>' if layout.numbers == "footer" else "<span></span>"
    page = (f'<html dir="rtl" lang="ar"><head><meta charset="utf-8"><style>{_common_css(doc)}</style></head>'
            f'<body><div class="cols">{_body(doc, notes=False)}</div></body></html>')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            tab = browser.new_page()
            tab.set_content(page, wait_until="load")
            tab.pdf(path=str(path), width=f"{layout.page[0]}mm", height=f"{layout.page[1]}mm",
                    margin={"top": f"{top}mm", "right": f"{right}mm", "bottom": f"{bottom}mm", "left": f"{left}mm"},
                    display_header_footer=bool(header_parts) or layout.numbers == "footer",
                    header_template=header, footer_template=footer, print_background=False)
        finally:
            browser.close()
    return path
