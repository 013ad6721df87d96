"""The real PDFs of ../shared/fixtures/pdfs-real: each page must read as its rendering shows.

The passages below were read off the pages rendered with ``pdftoppm -png -r 100``. Two
liberties, both about how a font draws text rather than what it says: kashida (tatweel,
U+0640) that stretches justified words is removed before comparing, and where a font draws
ASCII digits as Arabic-Indic ones (the Egyptian gazette) the passages keep the text layer's
ASCII digits.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from qantara.extraction import extract_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "fixtures" / "pdfs-real"
needs_shared = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/fixtures/pdfs-real is absent")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _page_lines(name: str, page: int) -> list[str]:
    doc = extract_document(REAL / name)
    (found,) = [p for p in doc.pages if p.number == page]
    return [_nfc(line.text.replace("\u0640", "")) for line in found.lines]


# (file, page, passages the rendered page shows, each within one line)
PASSAGES = [
    ("jsoma-natural-pdf__arabic.pdf", 1, [
        "قانون رقم 8 لسنة 2022",
        "بشأن إصدار قانون المنشآت الفندقية والسياحية",
        "باسم الشعب",
        "قرر مجلس النواب القانون الآتى نصه ، وقد أصدرناه ؛",
        "(المادة الأولى)",
        "تسرى أحكام هذا القانون والقانون المرافق على جميع المنشآت الفندقية",
        "لاتُخل أحكام القانون المرافق بالتراخيص السارية وقت العمل به ، وتلتزم المنشآت",
        "مع عدم الإخلال بأحكام قانون نظام الإدارة المحلية الصادر بالقانون رقم 43 لسنة",
        "رقم 1 لسنة 1992 فى شأن محال بيع العاديات والسلع السياحية .",
    ]),
    ("aliftype-amiri__Documentation-Arabic.pdf", 2, [
        "الخط الأميري خط نسخي موجه لطباعة الكتب و النصوص الطويلة، و هو إحياء و محاكاة",
        "للخط الطباعي الجميل الذي تميزت به مطبعة بولاق منذ أوائل القرن العشرين.",
        "استُخدِم هذا الخط في طباعة المصحف الأميري، و هو من المصاحف القليلة التي طبعت",
        # footnote marks stay on their lines, as superscripts do on the page
        "من معيار يونيكود١",
        "يستخدم الخط الأميري تقنية أوبن تيب٢ للخطوط الحاسوبية الذكية",
        "البرمجيات التي لا تطبّق معيار أوبن تيب بدرجة كافية.",
    ]),
    ("mozilla-pdf.js__issue5677.pdf", 1, ["عذراً.", "إشترى", "ماذا؟", "السّيّدة"]),
    ("mozilla-pdf.js__issue19971.pdf", 6, [
        # Persian yeh and heh forms in the text layer stand for the Arabic letters drawn
        "هذه فقرة إضافية أطول. يوضح هذا القسم أهمية دراسة الجغرافيا.",
        "الأماكن والعلاقات بين الناس وبيئاتهم. يستكشف الجغرافيون الخصائص الفيزيائية لسطح الأرض",
        "نحصل على تقدير أعمق لترابط عالمنا والتحديات والفرص التي تواجه الإنسانية",
        "Este es un párrafo adicional más largo.",
    ]),
    ("pymupdf-PyMuPDF__test-E+A.pdf", 1, [
        "وكان الرئيس الامريكى بيل كلينتون قد اكد مساء اول من امس",
        "بابا الفاتيكان يوحنا بولس الثانى",
        "“وجدير بالذكر”",
        "هذا و",
        "The ST word ‘الفاتيكان’ in the",
        "يغسل الشعر بشامبو من",
        "Pope John-Paul II",
    ]),
    ("py-pdf-sample-files__habibi.pdf", 1, ["habibi حَبيبي"]),
    ("apache-pdfbox__PDFBOX-4531-bidi-ligature-2.pdf", 1, ["אּ", "لا"]),
]


@needs_shared
@pytest.mark.parametrize("name, page, passages", PASSAGES, ids=[n for n, _, _ in PASSAGES])
def test_real_page_reads_as_rendered(name: str, page: int, passages: list[str]) -> None:
    lines = _page_lines(name, page)
    text = "\n".join(lines)
    for passage in passages:
        assert _nfc(passage) in text, (passage, lines)


@needs_shared
def test_amiri_stray_hamza_and_footnote_marks_are_not_lines() -> None:
    # The headings' glyphs have no text layer; the hamza of one of them does, and used to
    # come out as a line of its own, as did the raised footnote marks.
    lines = _page_lines("aliftype-amiri__Documentation-Arabic.pdf", 2)
    assert not any(unicodedata.category(line[0]) == "Mn" for line in lines if line)
    assert "١" not in lines and "\u0654" not in lines


@needs_shared
def test_bidi_ligature_keeps_lam_before_alef() -> None:
    lines = _page_lines("apache-pdfbox__PDFBOX-4531-bidi-ligature-2.pdf", 1)
    assert "لا" in lines and "ال" not in lines


@needs_shared
def test_fpdf2_brackets_around_latin_in_arabic_lines() -> None:
    # fpdf2 (HarfBuzz) writes the logical bracket for the mirrored glyph; lines with more
    # Latin than Arabic letters still read right to left in this right-to-left document.
    text = "\n".join(_page_lines("py-pdf-fpdf2__bidi_arabic_lorem_ipsum.pdf", 1))
    assert "للمفكر شيشيرون (Cicero) والذي" in text
    assert "Finibus Bonorum et Malorum) للمفكر" in text
    assert ")Cicero(" not in text and ")de" not in text
    page2 = "\n".join(_page_lines("py-pdf-fpdf2__bidi_arabic_lorem_ipsum.pdf", 2))
    assert '"حول أقاصي الخير والشر" (de Finibus Bonorum et Malorum)' in page2


def _problems(name: str, pages: int = 8) -> list[tuple[int, str | None]]:
    import pdfplumber

    from qantara.extraction.pdf.device import page_glyphs
    from qantara.extraction.pdf.reader import read_page

    with pdfplumber.open(REAL / name) as pdf:
        return [
            (number, read_page(page_glyphs(page), number, float(page.width), float(page.height)).problem)
            for number, page in enumerate(pdf.pages[:pages], start=1)
        ]


@needs_shared
@pytest.mark.parametrize(
    "name, problem",
    [
        ("docling-project-docling__right_to_left_02.pdf", "garbled-text"),
        # Its calligraphic font maps most glyphs to private-use codes and Latin letters.
        ("mozilla-pdf.js__ThuluthFeatures.pdf", "unusable-text"),
    ],
    ids=["docling-rtl-02", "thuluth"],
)
def test_pages_with_wrong_letters_are_reported_not_passed_on(name: str, problem: str) -> None:
    from qantara.extraction.pdf.reader import PageLines, _page_message

    assert _problems(name) == [(1, problem)]
    if problem == "garbled-text":
        message = _page_message(PageLines(1, 0.0, 0.0, [], problem))
        assert message == "page 1: text layer maps glyphs to wrong letters; needs OCR"


@needs_shared
@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.pdf")) if REAL.is_dir() else [])
def test_clean_real_pdfs_are_not_flagged_garbled(name: str) -> None:
    garbled = [n for n, problem in _problems(name) if problem == "garbled-text"]
    assert garbled == ([1] if name == "docling-project-docling__right_to_left_02.pdf" else [])
