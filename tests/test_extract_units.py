"""The PDF transforms on their own: glyph text, visual-to-logical order, layout rules."""

from __future__ import annotations

import pytest

from qantara.extraction.pdf.bidi import reorder_visual_line
from qantara.layout.glyphs import Glyph, drop_overdrawn, is_unusable_text, normalize_glyph_text
from qantara.layout.blocks import is_page_number, running_key


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
        # an ISO date after Arabic words is drawn with its numbers right to left (UAX #9
        # types them Arabic numbers, which a hyphen does not join), at the line's end too
        (list("14-06-2024") + [" "] + list(".نيفرطلا"), "الطرفين. 2024-06-14", "rtl"),
        (list("يف") + [" "] + list("14-06-2024") + [" "] + list("خيراتب"), "بتاريخ 2024-06-14 في", "rtl"),
        # a comma glued to a number's left side: the text runs leftwards from the number
        (list("كراش") + [" "] + list("Silk Road") + [" ", "،"] + list("2024") + [" "] + list("ليربأ"),
         "أبريل 2024، Silk Road شارك", "rtl"),
        # after a Latin word the date is part of its left-to-right run
        (list("ةحفاكمل") + [" "] + list("COVID-19") + [" "] + list("ءابولا"), "الوباء COVID-19 لمكافحة", "rtl"),
        (list("ةيلاتلا") + [" "] + list("Road 2024-06-14") + [" "] + list("ةطيرخ"), "خريطة Road 2024-06-14 التالية",
         "rtl"),
        # a bracket pair around Latin after Arabic takes the Arabic direction and parts the
        # runs: a date after it follows the Latin (on its right), one before it the Arabic
        (list("يف") + [" "] + list("1992-04-19") + [" "] + list("(C5)") + [" "] + list("ىطسولا"),
         "الوسطى (C5) 1992-04-19 في", "rtl"),
        (list("(C5)") + [" "] + list("14-06-2024") + [" "] + list("يف"), "في 2024-06-14 (C5)", "rtl"),
    ],
)
def test_reorder_visual_line(visual: list[str], logical: str, direction: str) -> None:
    line = reorder_visual_line(_line(visual))
    assert (line.text, line.direction) == (logical, direction)


def test_a_latin_line_opening_a_bracket_at_its_right_end_is_right_to_left() -> None:
    """A Latin phrase wrapped onto a line of its own in an Arabic paragraph: no left-to-right
    line opens a bracket at its end, so it follows the page's direction; without one, it is
    left to right."""
    assert reorder_visual_line(_line(list("Astana International(")), "rtl").text == "(Astana International"
    assert reorder_visual_line(_line(list(")Astana International")), "rtl").text == "Astana International)"
    assert reorder_visual_line(_line(list("(Astana International)")), "rtl").text == "(Astana International)"


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


def test_running_key_ignores_a_page_number_with_its_label() -> None:
    # A gutter cut "صفحة 2" off the second page's head; the first page's is whole.
    assert running_key("مرصد العلاقات الدولية صفحة 1") == running_key("مرصد العلاقات الدولية")
    assert running_key("Page 3 | Gulf Monitor") == running_key("| Gulf Monitor")
    assert running_key("مرصد العلاقات الدولية") != running_key("مرصد العلاقات")


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


# ---- Persian letter forms, ActualText spans, line direction, page quality, line grouping --


@pytest.mark.parametrize(
    "glyph, arabic, expected",
    [
        ("\ufbfe", True, "\u064a"),  # farsi yeh medial, dotted: the Arabic yeh drawn
        ("\ufbfe", False, "\u06cc"),  # on a Persian page it stays Persian
        ("\ufbfd", True, "\u0649"),  # farsi yeh final, dotless: alef maksura
        ("\ufbad", True, "\u0647"),  # heh doachashmee medial
        ("\u06be", True, "\u0647"),
        ("\ufb91", True, "\u0643"),  # keheh medial: the kaf drawn
        ("\ufee8", True, "\u0646"),  # ordinary presentation forms unchanged by the flag
        ("حَبيبي h", False, "h"),  # an ActualText span pinned on one glyph: its last word
        ("حَبيبي ", False, "حَبيبي"),
    ],
)
def test_normalize_glyph_text_letter_forms(glyph: str, arabic: bool, expected: str) -> None:
    assert normalize_glyph_text(glyph, arabic) == expected


@pytest.mark.parametrize(
    "texts, arabic",
    [(["\ufbfe", "\ufe94"], True), (["پ", "ی"], False), (["\ufb58"], False), (["a", "b"], True)],
)
def test_page_is_arabic(texts: list[str], arabic: bool) -> None:
    from qantara.layout.glyphs import page_is_arabic

    assert page_is_arabic(texts) is arabic


@pytest.mark.parametrize(
    "visual, default, direction",
    [
        # starts with Latin, ends with Arabic, neither twice the other: the page decides
        (list("(de Finibus)") + [" "] + list("ريخلا لوح"), "rtl", "rtl"),
        (list("(de Finibus)") + [" "] + list("ريخلا لوح"), "ltr", "ltr"),
        # Latin at both ends: left to right whatever the page
        (list("Jeremy is ") + list("يمرج") + list(" in Arabic"), "rtl", "ltr"),
        # no letters at all: the page's direction
        (list("111 •"), "ltr", "ltr"),
    ],
)
def test_line_direction_with_page_default(visual: list[str], default: str, direction: str) -> None:
    from qantara.extraction.pdf.bidi import line_direction

    assert line_direction(_line(visual), default) == direction


def test_mixed_line_in_rtl_page_keeps_logical_brackets() -> None:
    # fpdf2 writes the logical bracket for each mirrored glyph: ")" drawn left of "de"
    visual = list(")de Finibus Bonorum et Malorum(") + [" "] + list(reversed("حول أقاصي الخير والشر"))
    line = reorder_visual_line(_line(visual), "rtl")
    assert line.text == "حول أقاصي الخير والشر (de Finibus Bonorum et Malorum)"


def _lexicon(known: set[str]):
    from qantara.arabic.lexicon import Lexicon

    return Lexicon(check=lambda word: word in known, zipf=lambda word: 0.0)


@pytest.mark.parametrize(
    "lines, garbled",
    [
        (["كتب الولد الدرس"] * 10, False),
        (["كتب الولد الدرس", "صوو عييهاوخ لوال المر اوة"] * 5, True),  # 3 of 8 words known
        (["صوو عييهاوخ"] * 5, False),  # too few words to judge
        (["The words of an English page"] * 20, False),
    ],
)
def test_is_garbled(lines: list[str], garbled: bool) -> None:
    from qantara.extraction.pdf.quality import is_garbled

    assert is_garbled(lines, _lexicon({"كتب", "الولد", "الدرس"})) is garbled


def test_superscript_joins_its_line_and_stray_mark_is_dropped() -> None:
    from qantara.layout.lines import group_lines

    body = [Glyph(ch, 10.0 + 5 * i, 15.0 + 5 * i, 0.0, 12.0, 12.0) for i, ch in enumerate("دوكين")]
    footnote = Glyph("١", 3.0, 6.0, -2.0, 6.0, 8.0)  # raised, smaller, beside the word
    hamza = Glyph("\u0654", 20.0, 20.0, -40.0, -28.0, 20.0)  # far above every line
    lines = group_lines([*body, footnote, hamza])
    assert len(lines) == 1
    assert footnote in lines[0].glyphs and hamza not in lines[0].glyphs


def test_glyphs_on_one_baseline_share_a_line_whatever_their_boxes() -> None:
    from qantara.layout.lines import group_lines

    # A fallback font's box sits 5pt higher than the main font's on the same baseline.
    arabic = [Glyph(ch, 10.0 + 5 * i, 15.0 + 5 * i, 0.0, 13.0, 13.0, "Naskh", baseline=4.8) for i, ch in enumerate("بتث")]
    latin = [Glyph(ch, 30.0 + 5 * i, 35.0 + 5 * i, -5.0, 8.0, 13.0, "Sans", baseline=4.8) for i, ch in enumerate("abc")]
    (line,) = group_lines(arabic + latin)
    assert (line.top, line.bottom) == (0.0, 13.0)  # the main font's box


@pytest.mark.parametrize("x", [0.0, 0.29, 0.61, 1.19, 1.21, 7.45])
@pytest.mark.parametrize("dx, dy", [(0.2, 0.0), (-0.2, 0.25), (0.0, -0.29), (0.29, 0.29)])
def test_overdrawn_twin_found_across_grid_cells(x: float, dx: float, dy: float) -> None:
    a = Glyph("ب", x, x + 3.0, x, x + 3.0, 3.0)  # tolerance 0.3
    twin = Glyph("ب", x + dx, x + dx + 3.0, x + dy, x + dy + 3.0, 3.0)
    apart = Glyph("ب", x + 0.35, x + 3.35, x, x + 3.0, 3.0)
    assert drop_overdrawn([a, twin]) == [a]
    assert drop_overdrawn([a, apart]) == [a, apart]


def _glyphs(words: list[str], lines: int = 4) -> list[Glyph]:
    """The words drawn right to left on a few lines."""
    glyphs = []
    for row in range(lines):
        x = 500.0
        for word in words:
            for ch in word:  # logical order, drawn leftwards
                glyphs.append(Glyph(ch, x - 6, x, 20.0 * row, 20.0 * row + 12, 12.0, "F", len(glyphs)))
                x -= 6
            x -= 4
    return glyphs


@pytest.mark.parametrize(
    "words, problem",
    [
        (["كتب", "الولد", "الدرس", "في", "المدرسة"], None),
        (["صوو", "عييهاوخ", "لوال", "اوة", "ياى"], "garbled-text"),
        # Persian (پ): not judged against the Arabic lexicon
        (["پدر", "صوو", "عييهاوخ", "لوال", "اوة"], None),
    ],
    ids=["arabic", "garbled", "persian"],
)
def test_read_page_flags_garbled_arabic_only(words: list[str], problem: str | None) -> None:
    from qantara.extraction.pdf.reader import read_page
    from qantara.arabic.lexicon import default_lexicon

    if default_lexicon()[0] is None:
        pytest.skip("no Arabic lexicon (hunspell-ar, wordfreq) installed")
    page = read_page(_glyphs(words), 1, 600.0, 800.0)
    assert page.problem == problem
    assert bool(page.lines) is (problem is None)


_GRID_FONTS = ("NotoNaskhArabic-Regular", "NotoKufiArabic-Regular", "NotoSansArabic-Regular", "KacstBook",
               "KacstOffice", "Scheherazade*-Regular", "Lateef-Regular", "Amiri-Regular")


@pytest.mark.parametrize("name", _GRID_FONTS)
def test_only_a_kashida_draws_a_bar_on_the_baseline(name: str) -> None:
    # The outline rule of qantara.extraction.pdf.outlines, over every Arabic font the
    # generated corpora draw with: the tatweel glyph is a bar, no symbol or letter is.
    import glob

    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    from qantara.extraction.pdf.outlines import _is_bar

    files = glob.glob(f"/usr/share/fonts/**/{name}.ttf", recursive=True)
    if not files:
        pytest.skip(f"{name} is not installed")
    font = TTFont(files[0])
    em, glyphs, cmap = font["head"].unitsPerEm, font.getGlyphSet(), font.getBestCmap()

    def ink(ch: str):
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(ch)]].draw(pen)
        return None if pen.bounds is None else tuple(v / em for v in pen.bounds)

    # Amiri draws its tatweel with no width of ink (it stretches by other means).
    if not name.startswith("Amiri"):
        assert _is_bar(ink("\u0640"))
    for ch in ".-_+()*،؛:!=/\\|~\"'" + "ابجدهوزحطيكلمنسعفصقرشتثخذضظغ" + "0123456789٠١٢٣":
        if ord(ch) in cmap:
            assert not _is_bar(ink(ch)), ch
