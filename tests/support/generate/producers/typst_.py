"""Typst (the PyPI package): its own layout, shaping (rustybuzz) and PDF writer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..spec import FALLBACK_FONT, FONTS, Document


def typst_available() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def _string(text: str) -> str:
    """Text as a Typst string expression: nothing in it is read as markup."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_typst(doc: Document, path: Path) -> Path:
    import typst

    layout = doc.layout
    family = FONTS[doc.spec.font][0]
    top, right, bottom, left = layout.margins
    numbering = "١" if layout.eastern else "1"
    before, after = layout.number_format.split("{n}")
    number = (f'#context [{_string(before)}#counter(page).display("{numbering}"){_string(after)}]')
    header_parts = [_string(layout.header)] if layout.header else []
    if layout.numbers == "header":
        header_parts.append(number)
    header = f'align(center, text(size: 0.8em)[{" #h(1em) ".join(header_parts)}])' if header_parts else "none"
    footer = f"align(center, text(size: 0.8em)[{number}])" if layout.numbers == "footer" else "none"
    lines = [
        f'#set page(width: {layout.page[0]}mm, height: {layout.page[1]}mm, '
        f'margin: (top: {top}mm, right: {right}mm, bottom: {bottom}mm, left: {left}mm), '
        f'columns: {layout.columns}, header: {header}, footer: {footer})',
        f"#set columns(gutter: {layout.gutter}mm)",
        f'#set text(font: ("{family}", "{FALLBACK_FONT[0]}"), size: {layout.size}pt, lang: "ar", dir: rtl)',
        f"#set par(justify: {'true' if layout.justify else 'false'}, leading: {max(0.2, layout.leading - 1):.2f}em, "
        f"spacing: {max(0.5, layout.leading - 0.4):.2f}em)",
        f'#set footnote(numbering: "{numbering}")',
    ]
    if doc.content.title:
        lines.append(f"#place(top + center, scope: \"parent\", float: true, "
                     f"text(size: 1.6em)[{_string(doc.content.title)}])")
    for block in doc.content.blocks:
        if block.kind == "h":
            lines.append(f"#block(text(size: 1.2em)[{_string(block.text)}])")
            continue
        words = [_string(w) for w in block.text.split()]
        if block.note:
            words[block.note_at] += f"#footnote[{_string(block.note)}]"
        lines.append(" ".join(words) + "\n")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "doc.typ"
        source.write_text("\n".join(lines), encoding="utf-8")
        font_dirs = sorted({str(Path(FONTS[doc.spec.font][1]).parent), str(Path(FALLBACK_FONT[1]).parent)})
        typst.compile(str(source), output=str(path), font_paths=font_dirs)
    return path
