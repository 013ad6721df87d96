"""The PDF transforms on their own: glyph text, visual-to-logical order, layout rules."""

from __future__ import annotations

import pytest

from qantara.pdf.bidi import reorder_visual_line
from qantara.pdf.glyphs import Glyph, drop_overdrawn, is_unusable_text, normalize_glyph_text
from qantara.pdf.layout import is_page_number, running_key


@pytest.mark.parametrize(
    "glyph, expected",
    [
        ("\ufefb", "لا"),  # lam-alef isolated ligature
        ("\ufef7", "لأ"),
        ("\ufccb", "لخ"),  # lam-khah initial ligature (pdf.js ArabicCIDTrueType)
        ("\ufe8d", "ا"),
        ("\ufe70", "\u064b"),  # isolated fathatan: the mark, without NFKC's space
        ("\ufb01", "fi"),
        ("\u00a0", " "),
        ("ب", "ب"),
        ("٣", "٣"),  # Arabic-Indic digits stay as the producer wrote them
        ("²", "²"),
    ],
)
def test_normalize_glyph_text(glyph: str, expected: str) -> None:
    assert normalize_glyph_text(glyph) == expected


@pytest.mark.parametrize(
    "text, unusable",
    [("\ufffd", True), ("\uffff", True), ("\ue000", True), ("(cid:12)", True), ("ب", False), ("a", False)],
)
def test_unusable_glyph_text(text: str, unusable: bool) -> None:
    assert is_unusable_text(text) is unusable


def _line(visual: list[str], size: float = 10.0, gap_before: set[int] = frozenset()) -> list[Glyph]:
    """Glyphs laid out left to right as given; a word gap before indexes in gap_before."""
    glyphs, x = [], 0.0
    for i, text in enumerate(visual):
        if i in gap_before:
            x += size * 0.4
        width = 0.0 if normalize_glyph_text(text).isspace() is False and _is_mark(text) else size * 0.5
        glyphs.append(Glyph(normalize_glyph_text(text), x, x + width, 0.0, size, size))
        x += width
    return glyphs


def _is_mark(text: str) -> bool:
    import unicodedata

    return all(unicodedata.category(ch) == "Mn" for ch in text)


@pytest.mark.parametrize(
    "visual, logical, direction",
    [
        # visual order of "الانتخابات" with a lam-alef ligature glyph whose text is "لا"
        (list("تاباختن") + ["\ufefb", "ا"], "الانتخابات", "rtl"),
        # a multi-letter glyph keeps its inner order
        (["ت", "لا", "ا"], "الات", "rtl"),
        # numbers keep their left-to-right order inside a right-to-left line
        (list("2014") + [" "] + list("ةيعيرشتلا"), "التشريعية 2014", "rtl"),
        # a Latin run inside Arabic
        (list("يف") + [" "] + list("Jeremy") + [" "] + list("يمسا"), "اسمي Jeremy في", "rtl"),
        # an English line with an Arabic word stays LTR; the Arabic word is reversed back
        (list("Jeremy is ") + list("يمرج") + list(" in Arabic"), "Jeremy is جرمي in Arabic", "ltr"),
        # mirrored brackets drawn in a right-to-left line
        (["("] + list("ةيبرع") + [")"], "(عربية)", "rtl"),
        (["«"] + list("ريدملا") + ["»"], "«المدير»", "rtl"),
    ],
)
def test_reorder_visual_line(visual: list[str], logical: str, direction: str) -> None:
    line = reorder_visual_line(_line(visual))
    assert (line.text, line.direction) == (logical, direction)


def test_word_gap_without_space_glyph_becomes_a_space() -> None:
    line = reorder_visual_line(_line(list("يمسا") + list("ناطلس"), gap_before={4}))
    assert line.text == "سلطان اسمي"


def test_diacritic_follows_the_letter_it_sits_on() -> None:
    # "بَت" drawn: teh at left, beh at right, fatha centred over beh
    teh = Glyph("ت", 0.0, 5.0, 0.0, 10.0, 10.0)
    beh = Glyph("ب", 5.0, 10.0, 0.0, 10.0, 10.0)
    fatha = Glyph("\u064e", 7.0, 8.0, -3.0, 7.0, 10.0)
    assert reorder_visual_line([fatha, teh, beh]).text == "بَت"


def test_stacked_marks_come_out_in_canonical_order() -> None:
    lam = Glyph("ل", 5.0, 10.0, 0.0, 10.0, 10.0)
    shadda = Glyph("\u0651", 7.0, 8.0, -3.0, 7.0, 10.0)
    fatha = Glyph("\u064e", 7.0, 8.0, -5.0, 5.0, 10.0)
    assert reorder_visual_line([lam, shadda, fatha]).text == "لَّ"
    assert reorder_visual_line([lam, fatha, shadda]).text == "لَّ"


def test_overdrawn_glyphs_are_dropped_but_repeated_letters_kept() -> None:
    a = Glyph("ل", 10.0, 12.0, 0.0, 10.0, 10.0)
    twin = Glyph("ل", 10.3, 12.3, 0.1, 10.1, 10.0)
    neighbour = Glyph("ل", 12.0, 14.0, 0.0, 10.0, 10.0)
    assert drop_overdrawn([a, twin, neighbour]) == [a, neighbour]


@pytest.mark.parametrize(
    "text, expected",
    [("12", True), ("- 3 -", True), ("صفحة 4", True), ("Page 7 of 20", True), ("٣/١٠", True),
     ("عام 2024", False), ("12 مليار", False), ("", False)],
)
def test_is_page_number(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


def test_running_key_ignores_numbers_and_spaces() -> None:
    assert running_key("تقرير  2024 - صفحة 3") == running_key("تقرير 2024 - صفحة 14")


@pytest.mark.parametrize(
    "visual",
    [
        # the text layer names the shapes drawn (legacy shaping, most producers)
        ["("] + list("فرحالا") + [")", " "] + list("ودبت"),
        # it names the logical characters (HarfBuzz producers such as fpdf2)
        [")"] + list("فرحالا") + ["(", " "] + list("ودبت"),
    ],
    ids=["shapes", "logical"],
)
def test_brackets_of_either_text_layer_convention(visual: list[str]) -> None:
    assert reorder_visual_line(_line(visual)).text == "تبدو (الاحرف)"
