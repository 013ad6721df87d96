"""PDF extraction: round trips through generated PDFs, the shared real PDFs, bad PDFs."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from support.pdf_corpus import (
    AMIRI,
    PARAGRAPHS,
    cer,
    render_pdf_libreoffice,
    render_pdf_reportlab,
    render_pdf_weasyprint,
    soffice,
    weasyprint_available,
)
from support.score import paragraphs_of
from qantara.errors import UnreadableDocument
from qantara.extraction import extract_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURES = SHARED / "fixtures" / "pdfs"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
needs_amiri = pytest.mark.skipif(not AMIRI.is_file(), reason="fonts-hosny-amiri not installed")

TITLE = "تقرير عن العلاقات الخليجية"


def _nfc(texts: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", t) for t in texts]


ROUND_TRIP = PARAGRAPHS * 3


def _assert_round_trip(pdf: Path, title_in_body: bool = True) -> None:
    """Several pages that read back as the source paragraphs, CER ≤ 0.005. The running
    header (the title) goes from every page; the title stays where the body shows it too."""
    doc = extract_document(pdf)
    assert len(doc.pages) >= 2
    got = paragraphs_of(doc)
    expected = [TITLE, *ROUND_TRIP] if title_in_body else ROUND_TRIP
    assert cer(_nfc(expected), got) <= 0.005
    assert len(got) == len(expected)


@needs_amiri
@pytest.mark.parametrize(
    "layout",
    [
        {},
        {"justify": True},
        {"columns": 2},
        {"columns": 2, "justify": True},
        {"overdraw": True},
    ],
    ids=["right-aligned", "justified", "two-columns", "two-columns-justified", "overdrawn-bold"],
)
def test_reportlab_round_trip_cer(tmp_path: Path, layout: dict) -> None:
    _assert_round_trip(render_pdf_reportlab(ROUND_TRIP, tmp_path / "doc.pdf", title=TITLE, **layout))


@needs_amiri
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (libreoffice-writer-nogui) not installed")
@pytest.mark.parametrize("justify", [True, False], ids=["justified", "right-aligned"])
def test_libreoffice_round_trip_cer(tmp_path: Path, justify: bool) -> None:
    source = PARAGRAPHS * 3
    pdf = render_pdf_libreoffice(source, tmp_path / "doc.pdf", title=TITLE, justify=justify)
    got = paragraphs_of(extract_document(pdf))
    assert cer(_nfc([TITLE, *source]), got) <= 0.005
    assert len(got) == len(source) + 1


@pytest.mark.skipif(not weasyprint_available(), reason="weasyprint not installed")
@pytest.mark.parametrize(
    "layout",
    [{}, {"justify": False}, {"columns": 2}],
    ids=["justified", "right-aligned", "two-columns"],
)
def test_weasyprint_round_trip_cer(tmp_path: Path, layout: dict) -> None:
    # HTML with dir="rtl": HarfBuzz shaping, a fallback font for Latin and brackets (other
    # glyph boxes on the same baseline), running header and page numbers.
    _assert_round_trip(render_pdf_weasyprint(ROUND_TRIP, tmp_path / "doc.pdf", title=TITLE, **layout),
                       title_in_body=False)


@needs_amiri
def test_running_header_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    pdf = render_pdf_reportlab(PARAGRAPHS * 4, tmp_path / "doc.pdf", title=TITLE)
    doc = extract_document(pdf)
    texts = [line.text for page in doc.pages for line in page.lines]
    assert len(doc.pages) >= 2
    assert texts.count(TITLE) == 1
    assert not any(t.strip().isdigit() for t in texts)


@needs_amiri
def test_lines_carry_geometry_refs_and_direction(tmp_path: Path) -> None:
    english = "The Gulf states and Central Asia signed 12 agreements in 2023."
    pdf = render_pdf_reportlab([PARAGRAPHS[0], english], tmp_path / "doc.pdf")
    doc = extract_document(pdf)
    lines = [line for page in doc.pages for line in page.lines]
    assert lines[-1].text == english
    assert lines[-1].direction == "ltr"
    assert lines[0].direction == "rtl"
    for i, line in enumerate(lines, start=1):
        x0, top, x1, bottom = line.bbox
        assert 0 <= x0 < x1 <= doc.pages[0].width and 0 <= top < bottom <= doc.pages[0].height
        assert line.size == pytest.approx(13, abs=0.5)
        assert (line.ref.path, line.ref.page, line.ref.line) == (pdf, 1, i)
    assert lines[-1].block != lines[0].block


@needs_amiri
def test_brackets_guillemets_numbers_and_latin_come_out_in_logical_order(tmp_path: Path) -> None:
    text = "قال «المدير» إن 3.5 مليار (Central Asia) في عام 2024 [تقريبا]."
    doc = extract_document(render_pdf_reportlab([text], tmp_path / "doc.pdf"))
    assert doc.pages[0].lines[0].text == text


# ---- the real PDFs of ../shared/fixtures/pdfs ------------------------------------------

SHARED_EXPECTED = [
    ("tabula-java__mednine.pdf", ["الانتخابات التشريعية 2014", "ورقة كشف نتائج دائرة مدنين"]),
    ("tabula-java__arabic.pdf", ["اسمي سلطان", "مرحباً", "عندي 47 قطط", "Jeremy is جرمي in Arabic"]),
    ("pdfjs__ArabicCIDTrueType.pdf", ["انواع الخطوط العربية"]),
]


@needs_shared
@pytest.mark.parametrize("name, expected", SHARED_EXPECTED, ids=[n for n, _ in SHARED_EXPECTED])
def test_shared_fixture_yields_expected_strings(name: str, expected: list[str]) -> None:
    doc = extract_document(FIXTURES / name)
    lines = [line.text for page in doc.pages for line in page.lines]
    for phrase in expected:
        assert any(phrase in line for line in lines), (phrase, lines[:10])
    # The broken-ligature spellings naive extraction gives must not appear.
    for wrong in ("الانتخاابت", "األصوات", "املصرح"):
        assert not any(wrong in line for line in lines)


@needs_shared
def test_mixed_direction_line_stays_ltr() -> None:
    doc = extract_document(FIXTURES / "tabula-java__arabic.pdf")
    (line,) = [line for line in doc.pages[0].lines if line.text.startswith("Jeremy is")]
    assert line.direction == "ltr"


@needs_shared
def test_glyphs_mapped_to_replacement_characters_are_unextractable() -> None:
    from qantara.extraction import extract_pdf

    # Without OCR (which reads such pages when Tesseract is installed) the page has no text.
    path = FIXTURES / "pdfjs__arial_unicode_ab_cidfont.pdf"
    with pytest.raises(UnreadableDocument) as info:
        extract_pdf(path, ocr=False)
    assert info.value.pages == (1,)
    assert "page 1" in info.value.problem and "U+FFFD" in info.value.problem
    assert str(path) in str(info.value)


# ---- bad input ---------------------------------------------------------------------------


def _encrypted(tmp_path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _image_only(tmp_path: Path) -> Path:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(50, 50, 300, 400, fill=1)
        c.showPage()
    c.save()
    return path


def _truncated(tmp_path: Path) -> Path:
    whole = render_pdf_reportlab(PARAGRAPHS, tmp_path / "whole.pdf")
    path = tmp_path / "cut.pdf"
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def _random_pdf(tmp_path: Path) -> Path:
    import random

    path = tmp_path / "noise.pdf"
    path.write_bytes(random.Random(1).randbytes(5000))
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda tmp: tmp / "missing.pdf", "file not found"),
        (_empty, "empty file"),
        (lambda tmp: (tmp / "sheet.xlsx").write_bytes(b"PK") and tmp / "sheet.xlsx", "unsupported file type '.xlsx'"),
        (_random_pdf, "not a PDF file"),
        (_truncated, "truncated PDF"),
        (_encrypted, "encrypted PDF"),
        (_image_only, r"no text layer \(image-only or blank\) on pages 1, 2"),
    ],
    ids=["missing", "zero-byte", "unsupported", "random-bytes", "truncated", "encrypted", "image-only"],
)
def test_unreadable_documents_raise_clear_errors(tmp_path: Path, make, problem: str) -> None:
    path = make(tmp_path)
    with pytest.raises(UnreadableDocument, match=problem) as info:
        extract_document(path)
    assert info.value.path == path
    assert "\n" not in str(info.value)


def test_corrupt_body_after_valid_header(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 500 + b"\n%%EOF\n")
    with pytest.raises(UnreadableDocument, match="corrupt"):
        extract_document(path)


@pytest.mark.skipif(not Path("/usr/bin/qpdf").exists(), reason="qpdf not installed")
@needs_amiri
def test_aes256_encrypted_pdf_with_user_password(tmp_path: Path) -> None:
    import subprocess

    plain = render_pdf_reportlab(PARAGRAPHS[:1], tmp_path / "plain.pdf")
    locked = tmp_path / "aes.pdf"
    subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", str(plain), str(locked)], check=True)
    with pytest.raises(UnreadableDocument, match="encrypted PDF"):
        extract_document(locked)


# ---- the real PDFs of ../shared/fixtures/pdfs-real (passages read off the rendered pages) --

REAL = SHARED / "fixtures" / "pdfs-real"
REAL_EXPECTED = [
    ("apache-pdfbox__BidiSample.pdf", ["A line with an Arabic العربية word embedded.", "الختبار", "١٤ إبريل ١٤٣٤"]),
    ("apache-pdfbox__hello3.pdf", ["Hello محمد World."]),
    ("py-pdf-fpdf2__bidi_arabic_lorem_ipsum.pdf", [
        "ما فائدته ؟",
        "هناك حقيقة مثبتة منذ زمن طويل وهي أن المحتوى المقروء لصفحة ما",
        "فتجعلها تبدو (أي الأحرف) وكأنها",
    ]),
    ("py-pdf-fpdf2__text_mixed_text_shaping.pdf", ["مثال على اللغة العربية"]),
    ("py-pdf-pypdf__multilang.pdf", ["مرحبا بالعالم"]),
    ("docling-project-docling__right_to_left_01.pdf", [
        "تحسين الإنتاجية وحل المشكلات من خلال البرمجة بلغة R وPython",
    ]),
]


@needs_shared
@pytest.mark.parametrize("name, expected", REAL_EXPECTED, ids=[n for n, _ in REAL_EXPECTED])
def test_real_pdf_passages(name: str, expected: list[str]) -> None:
    doc = extract_document(REAL / name)
    text = "\n".join(line.text for page in doc.pages for line in page.lines)
    for phrase in expected:
        assert phrase in text, (phrase, text[:500])


@pytest.mark.parametrize("text", ["عقد في تشرين الثاني/نوفمبر 2024 مؤتمر", "يمكن للطرفين و/أو الشركاء", "خط شمال-جنوب"])
def test_slash_and_hyphen_between_arabic_words_survive(tmp_path, text):
    path = render_pdf_reportlab([text], tmp_path / "joiners.pdf")
    lines = [line.text for page in extract_document(path).pages for line in page.lines]
    assert lines == [text]
