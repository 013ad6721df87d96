"""OCR fallback: scanned pages and font-broken pages read by Tesseract, then post-corrected."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from support.pdf_corpus import cer, render_pdf_reportlab
from support.score import paragraphs_of
from qantara.errors import UnreadableDocument
from qantara.extraction import extract_document
from qantara.extraction.ocr import correct as ocr_correct
from qantara.extraction.ocr import tesseract as ocr_tesseract
from qantara.extraction.ocr.layout import order_words
from qantara.layout.glyphs import Glyph
from qantara.layout.lines import RawLine
from support.scan_corpus import (SCAN_DPI, SCAN_PARAGRAPHS, SCAN_SPECS, ScanSpec, available, build_scan, images_to_pdf,
                         rasterize, raw_tesseract_paragraphs, reference)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FONT_BROKEN = SHARED / "fixtures" / "pdfs" / "pdfjs__arial_unicode_ab_cidfont.pdf"
needs_tesseract = pytest.mark.skipif(
    ocr_tesseract.tesseract_problem() is not None, reason=f"{ocr_tesseract.tesseract_problem()}"
)


def _nfc(texts: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", t) for t in texts]


# ---- post-correction rules ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("للفترة 2027-2023 ستدخل", "للفترة 2023-2027 ستدخل"),
    ("من 12–5 يناير", "من 5–12 يناير"),
    # a range of years whose end keeps only its last two digits starts with the whole year
    ("كورونا 20-2019، بما", "كورونا 2019-20، بما"),
    ("كورونا 2019-20، بما", "كورونا 2019-20، بما"),
    ("بلغ 3.5 مليار", "بلغ 3.5 مليار"),
    ("الرقم 10.5-2", "الرقم 10.5-2"),
    ("في 10-07-2024 عقد", "في 2024-07-10 عقد"),
    ("في 2006/1/28 عقد", "في 28/1/2006 عقد"),
])
def test_number_ranges_are_put_back_in_reading_order(text: str, expected: str) -> None:
    assert ocr_correct.correct_line(text, "rtl") == expected


@pytest.mark.parametrize("text, expected", [
    ("الخليج العربي, وناقش", "الخليج العربي، وناقش"),
    ("في بدايتها; وأن", "في بدايتها؛ وأن"),
    ("شراكة حقيقية? يرى", "شراكة حقيقية؟ يرى"),
    ("«مكافحة الإرهاب»» شارك", "«مكافحة الإرهاب»، شارك"),
    ("الخليج العربي» وناقش", "الخليج العربي، وناقش"),
    ("«تعزيز التعاون» في", "«تعزيز التعاون» في"),
    ("منذ عام 2017) ولا سيما", "منذ عام 2017، ولا سيما"),
    ("منذ عام 2017( ولا سيما", "منذ عام 2017، ولا سيما"),
    ("في الرياض (2024) ستدخل", "في الرياض (2024) ستدخل"),
    ("(التي وقعت في الرياض) ستدخل", "(التي وقعت في الرياض) ستدخل"),
    ("Carnegie, Brookings", "Carnegie, Brookings"),
])
def test_arabic_punctuation(text: str, expected: str) -> None:
    assert ocr_correct.arabic_punctuation(text) == expected


class _Lexicon:
    """Zipf frequencies of a few words; Hunspell accepts all but the misspellings wordfreq
    counts (``UNCHECKED``)."""

    WORDS = {"مؤتمر": 4.0, "تبني": 3.5, "عربي": 4.5, "حقيقية": 4.2, "في": 7.0, "فى": 4.0, "الثلاث": 5.0,
             "مكافة": 1.9, "مكافحة": 4.9, "كافة": 5.5, "المختصة": 4.0, "الخاصة": 5.6, "اسيا": 3.7, "آسيا": 5.0,
             "يناير": 5.3, "بدايتها": 3.9}
    UNCHECKED = {"فى", "مكافة", "اسيا"}

    def known(self, token: str) -> bool:
        return ocr_correct._MARKS.sub("", token) in self.WORDS

    def zipf(self, token: str) -> float:
        return self.WORDS.get(token, 0.0)

    def score(self, token: str) -> float:
        return self.zipf(token) + (2.0 if token in self.WORDS and token not in self.UNCHECKED else 0.0)


@pytest.mark.parametrize("word, expected", [
    ("مؤتمرٌ", "مؤتمر"),  # invented tanween on a known word
    ("تبثي", "تبني"),  # dots: ث for ن
    ("فى", "في"),  # a known misspelling, far rarer than its dotted twin
    ("عربيى", "عربي"),  # final letter read twice
    ("الثلااث", "الثلاث"),
    ("كازاخستان", "كازاخستان"),  # unknown name, no known neighbour: untouched
    ("حقيقية", "حقيقية"),
    ("مكافة", "مكافحة"),  # a letter lost in a ligature, rather than a commoner word with one less
    ("الختصة", "المختصة"),
    ("اسيا", "آسيا"),  # madda lost
    ("ينايره", "يناير."),  # the stop after the word read as a letter
    ("بدايتهاء", "بدايتها؛"),
    ("توكاييف", "توكاييف"),  # a name the lexicon lacks stays
])
def test_word_corrections_need_the_lexicon_to_agree(word: str, expected: str) -> None:
    assert ocr_correct.correct_word(word, _Lexicon()) == expected


def test_correct_line_strips_bidi_controls_and_leaves_latin_lines() -> None:
    assert ocr_correct.correct_line("معهد Carnegie\u200f إلى", "rtl") == "معهد Carnegie إلى"
    assert ocr_correct.correct_line("2027-2023, ok?", "ltr") == "2027-2023, ok?"


def _line(*words: tuple[str, float]) -> RawLine:
    return RawLine(tuple(Glyph(text, x, x + 20, 0, 10, 10) for text, x in words))


@pytest.mark.parametrize("words, expected", [
    ((("ودول", 10), ("آسيا", 40), ("دول", 70)), ("دول آسيا ودول", "rtl")),
    ((("الاستثمارات", 10), ("Carnegie", 40), ("معهد", 70)), ("معهد Carnegie الاستثمارات", "rtl")),
    ((("الخليجية", 10), ("(Central", 40), ("Asia)", 70), ("الوسطى", 100)),
     ("الوسطى (Central Asia) الخليجية", "rtl")),
    ((("The", 10), ("word", 40), ("عربي", 70), ("here", 100)), ("The word عربي here", "ltr")),
])
def test_words_are_ordered_by_line_direction(words, expected) -> None:
    assert order_words(_line(*words)) == expected


# ---- without Tesseract, or with OCR turned off -------------------------------------------

@pytest.fixture(scope="module")
def one_scan(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("one-scan")
    return build_scan(ScanSpec("one", "reportlab"), folder)


def test_missing_tesseract_names_file_and_pages(one_scan: Path, monkeypatch) -> None:
    monkeypatch.setattr(ocr_tesseract.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableDocument) as info:
        extract_document(one_scan)
    assert info.value.pages == (1,)
    assert str(one_scan) in str(info.value)
    assert "page 1 needs OCR but tesseract is not installed" in info.value.problem


def test_ocr_off_reports_the_page_as_before(one_scan: Path) -> None:
    with pytest.raises(UnreadableDocument, match=r"no text layer \(image-only or blank\) on page 1"):
        extract_document(one_scan, ocr=False)


# ---- with Tesseract ----------------------------------------------------------------------

@needs_tesseract
def test_image_page_between_text_pages_is_read_and_recorded(tmp_path: Path) -> None:
    text_pdf = render_pdf_reportlab(SCAN_PARAGRAPHS[:2] * 5, tmp_path / "text.pdf")
    from pypdf import PdfReader, PdfWriter

    scan_pdf = images_to_pdf(rasterize(render_pdf_reportlab(SCAN_PARAGRAPHS[2:], tmp_path / "s.pdf"), SCAN_DPI),
                             tmp_path / "scan.pdf", SCAN_DPI)
    writer = PdfWriter()
    text_pages = PdfReader(text_pdf).pages
    writer.add_page(text_pages[0])
    writer.add_page(PdfReader(scan_pdf).pages[0])
    for page in text_pages[1:]:
        writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    document = extract_document(mixed)
    assert [p.number for p in document.ocr] == [2]
    assert document.ocr[0].words > 20 and 50 < document.ocr[0].confidence <= 100
    scanned = " ".join(line.text for line in document.pages[1].lines)
    assert "الباحثون" in scanned and "استراتيجية" in scanned
    assert all(line.ref.page == 2 and line.bbox for line in document.pages[1].lines)
    assert "وقالت الوزارة" in " ".join(line.text for line in document.pages[0].lines)


@needs_tesseract
@pytest.mark.skipif(not FONT_BROKEN.is_file(), reason=f"{FONT_BROKEN} is absent (shared fixtures)")
def test_font_broken_fixture_yields_its_arabic_word() -> None:
    document = extract_document(FONT_BROKEN)
    assert [p.number for p in document.ocr] == [1]
    assert [line.text for page in document.pages for line in page.lines] == ["عربي"]


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, tuple[float, float]]:
    """CER per scanned document: (raw Tesseract, Qantara)."""
    folder = tmp_path_factory.mktemp("scans")
    out = {}
    for spec in SCAN_SPECS:
        if not available(spec):
            continue
        pdf = build_scan(spec, folder)
        ref = _nfc(reference(spec))
        out[spec.name] = (cer(ref, _nfc(raw_tesseract_paragraphs(pdf))), cer(ref, paragraphs_of(extract_document(pdf))))
    return out


@needs_tesseract
def test_scanned_corpus_beats_raw_tesseract(scored) -> None:
    raw = sum(r for r, _ in scored.values()) / len(scored)
    ours = sum(q for _, q in scored.values()) / len(scored)
    print({name: (round(r, 4), round(q, 4)) for name, (r, q) in scored.items()}, round(raw, 4), round(ours, 4))
    assert ours < raw and all(q < r for r, q in scored.values())


@needs_tesseract
def test_scanned_corpus_meets_issue_target(scored) -> None:
    # Issue 8: mean CER <= 0.01 and no document above 0.02. Measured: 0.0030 mean,
    # 0.0000-0.0064 per document (raw Tesseract 0.29 mean).
    assert sum(q for _, q in scored.values()) / len(scored) <= 0.01
    assert max(q for _, q in scored.values()) <= 0.02


GARBLED = SHARED / "fixtures" / "pdfs-real" / "docling-project-docling__right_to_left_02.pdf"


MIXED = SHARED / "fixtures" / "pdfs-real" / "apache-pdfbox__hello3.pdf"


@needs_tesseract
@pytest.mark.skipif(not MIXED.is_file(), reason=f"{MIXED} is absent (shared fixtures)")
@pytest.mark.xfail(strict=True, reason=(
    "regression of the one-reading OCR (w/ocr): the Arabic + English reread of this line reads "
    "محمد between two Latin words as '+=' and the line is taken whole as Latin; voting it word "
    "by word loses 'World.' in the alignment. Open."))
def test_a_scanned_mixed_line_keeps_its_latin_words(tmp_path: Path) -> None:
    scan = images_to_pdf(rasterize(MIXED, SCAN_DPI), tmp_path / "scan.pdf", SCAN_DPI)
    doc = extract_document(scan)
    assert [line.text for page in doc.pages for line in page.lines] == ["Hello محمد World."]


@needs_tesseract
@pytest.mark.skipif(not GARBLED.is_file(), reason=f"{GARBLED} is absent (shared fixtures)")
def test_a_page_whose_text_layer_maps_wrong_letters_is_read_by_ocr():
    # Its text layer is detected as garbled; the re-reading of unsure words once made
    # Tesseract fail on an over-wide sheet, which must never sink the page.
    doc = extract_document(GARBLED)
    assert [page.number for page in doc.ocr] == [1]
    text = " ".join(line.text for page in doc.pages for line in page.lines)
    assert "الحكومة المصرية" in text


# ---- readings voted into one --------------------------------------------------------------

def _word(text: str, right: int, confidence: float = 90.0, top: int = 0, line: int = 1,
          height: int = 30) -> ocr_tesseract.OcrWord:
    return ocr_tesseract.OcrWord(text, right - 40, top, right, top + height, confidence, (1, 1, line))


def _reading(*texts: str, top: int = 0, line: int = 1) -> list[ocr_tesseract.OcrWord]:
    """One line of words laid out right to left, as an Arabic line is, each word's box a
    little different in height, as Tesseract's are."""
    return [_word(t, 1000 - 50 * i, top=top + i % 3, line=line, height=30 - i % 2) for i, t in enumerate(texts)]


def _votes(readings, blind=()) -> list[ocr_tesseract.OcrWord]:
    from qantara.extraction.ocr.vote import vote

    return vote(readings, _RealLexicon(), reads_latin=[k not in blind for k in range(len(readings))])


def _voted(readings, blind=()) -> list[str]:
    """The voted words of a right-to-left line, in reading order."""
    return [w.text for w in sorted(_votes(readings, blind), key=lambda w: -w.right)]


def test_each_word_is_what_most_readings_read() -> None:
    readings = [
        _reading("عقد", "مؤتمر", "بعنوان"),
        _reading("عقد", "مؤتمر", "بعتوان"),
        _reading("عفد", "£5", "بعنوان"),
    ]
    assert _voted(readings) == ["عقد", "مؤتمر", "بعنوان"]


def test_the_lexicon_breaks_a_tie() -> None:
    assert _voted([_reading("معهد", "يمر"), _reading("معهد", "يمز")]) == ["معهد", "يمر"]


def test_a_word_most_readings_did_not_see_goes() -> None:
    readings = [_reading("ستدخل", "التنفيذ"), _reading("ستدخل", "عي", "التنفيذ"), _reading("ستدخل", "التنفيذ")]
    assert _voted(readings) == ["ستدخل", "التنفيذ"]


def test_a_latin_word_beats_the_junk_the_arabic_model_makes_of_it() -> None:
    readings = [
        _reading("معهد", "©ذعءم+ة0", "إلى"),
        _reading("معهد", "عذوءتده0", "إلى"),
        _reading("معهد", "أنوعمه0", "إلى"),
        _reading("معهد", "Carnegie", "إلى"),
    ]
    assert _voted(readings, blind={0, 1, 2}) == ["معهد", "Carnegie", "إلى"]


def test_arabic_read_as_latin_loses_to_the_arabic_readings() -> None:
    readings = [_reading("وناقش", "آليات"), _reading("وناقش", "آليات"), _reading("وناقش", "OUT")]
    assert _voted(readings, blind={0, 1}) == ["وناقش", "آليات"]


def test_a_latin_line_is_the_reading_that_knows_latin() -> None:
    words = [_word(t, 200 + 100 * i) for i, t in enumerate(["Hello", "محمد", "World."])]
    junk = [_word(t, 200 + 100 * i) for i, t in enumerate([".010", "محمد", "110ع11"])]
    voted = sorted(_votes([junk, junk, words], blind={0, 1}), key=lambda w: w.left)
    assert [w.text for w in voted] == ["Hello", "محمد", "World."]


def test_digits_run_into_letters_lose_to_a_latin_word_even_when_two_readings_agree() -> None:
    line = ["وأشار", "التقرير", "الصادر", "عن", "معهد", "Carnegie", "إلى", "أن"]
    junk = [t if t != "Carnegie" else "6816م:03" for t in line]
    readings = [[_word(t, 1000 - 100 * i) for i, t in enumerate(words)] for words in (junk, line, junk)]
    assert _voted(readings, blind={0, 2}) == line


def test_rules_down_a_short_page_are_not_a_word_height() -> None:
    # A page of one line between two rules: they are ink bands as high as the page.
    from PIL import Image, ImageDraw

    from qantara.extraction.ocr.geometry import word_height

    page = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(page)
    for x in (20, 1174):
        draw.rectangle((x, 20, x + 6, 1580), fill=0)
    for x in range(700, 1100, 90):
        draw.rectangle((x, 300, x + 60, 328), fill=0)  # words 29 px high
    assert 27 <= word_height(page, 150) <= 31


def test_a_number_read_with_its_dropped_digits_wins() -> None:
    readings = [_reading("بلغ", "5", "مليار"), _reading("بلغ", "5", "مليار"), _reading("بلغ", "3.5", "مليار")]
    assert _voted(readings) == ["بلغ", "3.5", "مليار"]


def test_a_box_round_two_lines_ink_is_no_vote() -> None:
    # Two readings boxed the line's last word with ink of the line below, and read junk.
    line = ["عقد", "مؤتمر", "بعنوان", "يمر", "بين", "آسيا"]
    blob = ocr_tesseract.OcrWord("2", 710, 0, 750, 95, 40.0, (1, 1, 1))
    readings = [_reading(*line), _reading(*line)[:-1] + [blob], _reading(*line)[:-1] + [blob]]
    assert _voted(readings) == line


def test_a_word_one_reading_missed_does_not_cut_the_line() -> None:
    # The first reading lacks the line's fourth word, the gap to the fifth is wider than a
    # word's height; the others read on without a gap.
    full = ["عقد", "مؤتمر", "بعنوان", "يمر", "شراكة"]
    readings = [[w for w in _reading(*full) if w.text != "يمر"], _reading(*full), _reading(*full)]
    for reading in readings:
        for w in reading:
            if w.text == "شراكة":
                reading[reading.index(w)] = ocr_tesseract.OcrWord(w.text, w.left, w.top, w.right, w.bottom,
                                                                  w.confidence, (1, 1, 2))
    assert {w.line for w in _votes(readings)} == {(0, 0, 0)}


def test_a_line_only_one_reading_saw_is_dropped() -> None:
    first = _reading("عقد", "مؤتمر") + _reading("يمر", top=200, line=2)
    assert _voted([first, _reading("عقد", "مؤتمر")]) == ["عقد", "مؤتمر"]


def test_voted_words_keep_reading_order_with_latin_runs() -> None:
    from qantara.extraction.ocr.layout import page_lines
    from qantara.extraction.ocr.vote import vote

    # Right to left on the page: the Latin run reads left to right.
    page = ["وأشار", "التقرير", "الصادر", "عن", "معهد", "Endowment", "Carnegie", "إلى", "أن"]
    words = [_word(t, 1000 - 50 * i, top=i % 3) for i, t in enumerate(page)]
    voted = vote([words, list(words)], _RealLexicon())
    assert [line.text for line in page_lines(voted, 0.24)[0]] == [
        "وأشار التقرير الصادر عن معهد Carnegie Endowment إلى أن"]


def test_a_shared_line_box_does_not_make_a_heading() -> None:
    from qantara.extraction.ocr.vote import vote

    body = _reading("عقد", "مؤتمر", "بعنوان", "يمر")
    # Tesseract gave every word of the second line the line's box, twice as tall.
    tall = [ocr_tesseract.OcrWord(w.text, w.left, 60, w.right, 120, 90.0, (1, 1, 2)) for w in _reading("معهد", "إلى")]
    voted = vote([body + tall, body + tall], _RealLexicon())
    heights = {w.text: w.bottom - w.top for w in voted}
    assert heights["معهد"] == heights["عقد"] < 40


class _RealLexicon(_Lexicon):
    WORDS = {"عقد": 4.0, "مؤتمر": 4.5, "بعنوان": 4.5, "معهد": 4.5, "إلى": 7.0, "ستدخل": 3.5, "التنفيذ": 4.5,
             "عي": 1.0, "التعليم": 4.5, "شراكة": 4.0, "يمر": 4.0, "وناقش": 4.0, "آليات": 4.5, "بلغ": 4.5,
             "مليار": 5.0, "بين": 6.0, "آسيا": 5.0}


@pytest.mark.parametrize("core, text, expected", [
    ("5", "3.5", True),
    ("24", "2024", True),
    ("2017", "62017", False),  # the Arabic comma after it read as a digit
    ("5", "333", False),
    ("2017", "2017", False),
])
def test_number_rereading_only_restores_dropped_digits(core, text, expected) -> None:
    from qantara.extraction.ocr.numbers import restores_digits

    assert restores_digits(core, text) is expected


def test_a_percentage_read_as_digits_is_read_again_with_its_sign() -> None:
    # The Arabic model reads the "%56" a right-to-left line shows as "9056"; the English
    # reading gives the sign back, on its left on the page, after the number in the text.
    import glob

    from PIL import Image, ImageDraw, ImageFont

    from qantara.extraction.ocr.numbers import reread_numbers

    fonts = glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True)
    if not fonts:
        pytest.skip("DejaVu Sans is not installed")
    page = Image.new("L", (600, 160), 255)
    draw = ImageDraw.Draw(page)
    draw.text((200, 50), "%56", font=ImageFont.truetype(fonts[0], 48), fill=0)
    left, top, right, bottom = draw.textbbox((200, 50), "%56", font=ImageFont.truetype(fonts[0], 48))
    word = ocr_tesseract.OcrWord("9056", left, top, right, bottom, 80.0, (1, 1, 1))
    assert [w.text for w in reread_numbers(page, [word])] == ["56%"]


@pytest.mark.parametrize("turn", [0.0, 1.0, -0.6])
def test_skew_of_columns_set_at_other_heights(turn: float) -> None:
    # Three columns of "lines" (bars with word gaps), each column's lines a third of a line
    # lower than the one before: across the page they line up at a slant, which the page's
    # whole projection profile took for the page's skew (-1.5 degrees on a straight page).
    from PIL import Image, ImageDraw

    from qantara.extraction.ocr.geometry import skew

    page = Image.new("L", (2400, 3200), 255)
    draw = ImageDraw.Draw(page)
    for column in range(3):
        x0 = 150 + column * 730
        for line in range(40):
            y = 200 + line * 66 + column * 22
            for word in range(5):
                draw.rectangle((x0 + word * 130, y, x0 + word * 130 + 105, y + 30), fill=0)
    assert skew(page.rotate(turn, fillcolor=255)) == pytest.approx(turn, abs=0.3)


def test_commas_told_from_full_stops_by_size_where_their_shapes_agree() -> None:
    # KacST: both marks round; the comma a small blob, the full stop a larger dot. The marks
    # ending paragraphs (words 4 and 5) are full stops: the other group is the commas.
    from qantara.extraction.ocr.punctuation import _by_size

    marks = {0: (1.0, 0.05), 1: (0.9, 0.06), 2: (1.1, 0.055), 3: (1.0, 0.05), 4: (1.0, 0.13), 5: (1.2, 0.12),
             6: (1.0, 0.125)}
    rule = _by_size(marks, {4, 5})
    assert rule is not None
    assert [i for i, m in marks.items() if rule.is_comma(m)] == [0, 1, 2, 3]
    # Paragraph ends in both groups say nothing; one group of sizes says nothing.
    assert _by_size(marks, {0, 4}) is None
    assert _by_size({i: (1.0, 0.05 + 0.002 * i) for i in range(6)}, {5}) is None


@pytest.mark.parametrize("core, text, expected", [
    ("9648", "48%", True),  # the sign read as two digits
    ("48", "48%", True),
    ("0", "30%", True),  # a digit dropped with the sign
    ("3", "30%", True),
    ("5", "48%", False),
    ("9648", "48", False),  # no sign read: nothing says it is one
])
def test_percent_rereading_restores_the_sign_and_the_digits_dropped_with_it(core, text, expected) -> None:
    from qantara.extraction.ocr.numbers import restores_percent

    assert restores_percent(core, text) is expected
