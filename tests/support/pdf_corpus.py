"""Render Arabic test PDFs and score extraction against the text they were made from.

The reportlab route is the legacy one many real PDFs come from: each line is shaped with
arabic-reshaper (presentation forms, lam-alef ligatures) and put in visual order with
python-bidi before it is drawn, so the text layer holds presentation forms in visual order.
"""

from __future__ import annotations

import re
from pathlib import Path

AMIRI_DIR = Path("/usr/share/fonts/opentype/fonts-hosny-amiri")
AMIRI = AMIRI_DIR / "Amiri-Regular.ttf"
NOTO_NASKH = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")
_ARABIC = re.compile(r"[\u0600-\u06ff]")

# Clean Arabic with the things extraction gets wrong: numbers, Latin words, brackets,
# guillemets, lam-alef ligatures, diacritics (shadda, tanween).
PARAGRAPHS = [
    "عُقد في تشرين الثاني عام 2024 مؤتمرٌ بعنوان «تعزيز التعاون الدولي في مكافحة الإرهاب»، "
    "شارك فيه مئات الخبراء من دول آسيا الوسطى (Central Asia) ودول الخليج العربي، "
    "وناقش المشاركون آليات أمن الحدود وتبادل المعلومات بين الأجهزة المختصة.",
    "وقالت الوزارة في بيانها إن حجم التبادل التجاري بلغ 3.5 مليار دولار خلال السنوات الثلاث "
    "الأخيرة، وإن الاتفاقية الجديدة (التي وقعت في الرياض) ستدخل حيز التنفيذ في الأول من يناير.",
    "لمَّا أرادت طاجيكستان أن ترتقي بجهودها في مكافحة الإرهاب، ولَّت وجهها شطر دولة الكويت؛ "
    "دولةٌ صغيرة المساحة لكنها واسعة الخبرة في هذا المجال.",
    "وأشار التقرير الصادر عن معهد Carnegie إلى أن الاستثمارات الخليجية في كازاخستان "
    "وأوزبكستان تضاعفت منذ عام 2017، ولا سيما في قطاعات الطاقة والزراعة والنقل.",
    "ويرى الباحثون أن العلاقات بين المنطقتين ما زالت في بدايتها، وأن الطريق إلى شراكة "
    "استراتيجية حقيقية يمر عبر التعليم والثقافة والسياحة والتبادل الأكاديمي.",
]


def _register_amiri() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Amiri" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Amiri", str(AMIRI)))
    return "Amiri"


def visual_line(text: str) -> str:
    """Legacy shaping: presentation forms (harakat kept), visual order, mirrored brackets.

    python-bidi's pure-Python algorithm, because its Rust ``get_display`` does not mirror.
    """
    import arabic_reshaper
    from bidi.algorithm import get_display

    reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})
    return get_display(reshaper.reshape(text), base_dir="R")


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current: list[str] = []
    for word in text.split():
        trial = " ".join(current + [word])
        if current and stringWidth(visual_line(trial), font, size) > width:
            lines.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def render_pdf_reportlab(
    paragraphs: list[str],
    path: Path,
    *,
    title: str | None = None,
    size: float = 13,
    justify: bool = False,
    columns: int = 1,
    overdraw: bool = False,
) -> Path:
    """Draw paragraphs right-aligned (or justified) on A4 pages, legacy-shaped.

    ``title`` becomes a heading on page 1 and a running header on every page; every page
    gets a page number at the bottom. ``overdraw`` draws each line twice, offset by a
    fraction of a point, as producers fake bold.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _register_amiri()
    page_w, page_h = A4
    margin, gutter = 60.0, 30.0
    col_w = (page_w - 2 * margin - gutter * (columns - 1)) / columns
    leading = size * 1.6
    c = canvas.Canvas(str(path), pagesize=A4)
    page = 1
    column = 0

    def start_page() -> float:
        if title:
            c.setFont(font, 9)
            c.drawRightString(page_w - margin, page_h - 35, visual_line(title))
        c.setFont(font, 9)
        c.drawCentredString(page_w / 2, 30, str(page))
        return page_h - margin - 20

    def draw_line(text: str, right: float, y: float, stretch: bool) -> None:
        if not _ARABIC.search(text):  # English paragraphs: left-aligned, no shaping
            c.drawString(right - col_w, y, text)
            return
        visual = visual_line(text)
        for dx in ((0.0, 0.3) if overdraw else (0.0,)):
            if not stretch:
                c.drawRightString(right - dx, y, visual)
                continue
            words = visual.split(" ")
            widths = [stringWidth(w, font, size) for w in words]
            gap = (col_w - sum(widths)) / max(1, len(words) - 1)
            x = right - col_w
            for word, w in zip(words, widths):
                c.drawString(x + dx, y, word)
                x += w + gap

    y = start_page()
    if title:
        c.setFont(font, size * 1.5)
        c.drawRightString(page_w - margin, y, visual_line(title))
        y -= size * 3
    top = y
    for paragraph in paragraphs:
        c.setFont(font, size)
        lines = _wrap(paragraph, col_w, font, size)
        for i, line in enumerate(lines):
            if y < margin + 20:
                column += 1
                if column >= columns:
                    c.showPage()
                    page += 1
                    column = 0
                    top = start_page()
                y = top
                c.setFont(font, size)
            right = page_w - margin - column * (col_w + gutter)
            draw_line(line, right, y, justify and i < len(lines) - 1)
            y -= leading
        y -= size * 0.9
    c.save()
    return path


def edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: list[str], hypothesis: list[str]) -> float:
    """Character error rate of extracted paragraphs against the source paragraphs.

    Paragraph by paragraph when the counts agree (fast); otherwise over the joined text, so a
    wrong paragraph split costs one character per split.
    """
    total = sum(len(p) for p in reference) or 1
    if len(reference) == len(hypothesis):
        return sum(edit_distance(r, h) for r, h in zip(reference, hypothesis)) / total
    return edit_distance("\n".join(reference), "\n".join(hypothesis)) / total


def soffice() -> str | None:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf_libreoffice(
    paragraphs: list[str], path: Path, *, title: str | None = None, justify: bool = True
) -> Path:
    """Right-to-left paragraphs in Amiri, laid out and shaped by LibreOffice Writer
    (HarfBuzz), exported to PDF: the route most office documents take."""
    import html
    import subprocess
    import tempfile

    align = "justify" if justify else "right"
    body = "".join(
        f'<p dir="rtl" style="text-align:{align}">{html.escape(p)}</p>' for p in paragraphs
    )
    if title:
        body = f'<h1 dir="rtl">{html.escape(title)}</h1>' + body
    page = (
        '<html><head><meta charset="utf-8"><style>body{font-family:Amiri;font-size:13pt}'
        f'h1{{font-size:20pt}}</style></head><body dir="rtl">{body}</body></html>'
    )
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / (path.stem + ".html")
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{work}/profile", "--headless",
             "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
             "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=180,
        )
        Path(work, path.stem + ".pdf").replace(path)
    return path


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: pango or another system library missing
        return False
    return True


def render_pdf_weasyprint(
    paragraphs: list[str], path: Path, *, title: str | None = None, justify: bool = True, columns: int = 1
) -> Path:
    """Right-to-left HTML (``dir="rtl"``) in Noto Naskh Arabic laid out by WeasyPrint
    (Pango/HarfBuzz): the route of documents published from the web. The title runs as a
    header on every page, over page numbers at the foot.

    Not Amiri: WeasyPrint gives each glyph of a subset font one text, the first cluster it
    met, so Amiri's contextual lam and kaf forms read as the wrong letters elsewhere
    ("اللكويت"); pdftotext shows the same, the text layer itself is wrong.
    """
    import html

    from weasyprint import HTML

    align = "justify" if justify else "right"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    running = f'@top-center {{content: "{title}"; font-family: Naskh; font-size: 10pt}}' if title else ""
    page = (
        '<html dir="rtl" lang="ar"><head><meta charset="utf-8"><style>'
        f'@font-face {{font-family: Naskh; src: url("{NOTO_NASKH.as_uri()}")}}'
        f"@page {{size: A4; margin: 2.5cm 2cm; {running}"
        "@bottom-center {content: counter(page); font-family: Naskh; font-size: 10pt}}"
        f"body {{font-family: Naskh; font-size: 13pt; text-align: {align}; columns: {columns}; column-gap: 1.2cm}}"
        "p {margin: 0 0 0.6em 0}"
        f"</style></head><body>{body}</body></html>"
    )
    HTML(string=page).write_pdf(path)
    return path
