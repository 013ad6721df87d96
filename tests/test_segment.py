from pathlib import Path

import pytest

from qantara.segment import segment_paragraphs, split_sentences
from qantara.types import GlossaryHit, Paragraph, SourceRef, TextLine

CASES = [
    ("", []),
    ("جملة واحدة بلا نقطة", ["جملة واحدة بلا نقطة"]),
    ("الأولى. الثانية؟ الثالثة! الرابعة؛ الخامسة", ["الأولى.", "الثانية؟", "الثالثة!", "الرابعة؛", "الخامسة"]),
    # decimal point, not a boundary
    ("ارتفع النمو 3.5 في المئة. ثم تراجع", ["ارتفع النمو 3.5 في المئة.", "ثم تراجع"]),
    # footnote marker stays with its sentence
    ("لكنه تأجل.[1] ويمثل هذا التعاون", ["لكنه تأجل.[1]", "ويمثل هذا التعاون"]),
    # nothing inside brackets or guillemets is split
    ("عقدت قمة (جدة. 2023) ثم. قال «هذا. ذاك» نعم", ["عقدت قمة (جدة. 2023) ثم.", "قال «هذا. ذاك» نعم"]),
    # a lone letter before a full stop is an abbreviation
    ("قال د. محمد إن العام 2023 م. كان صعبا. وأضاف", ["قال د. محمد إن العام 2023 م. كان صعبا.", "وأضاف"]),
    ("ماذا؟! لا أعرف...  حقا", ["ماذا؟!", "لا أعرف...", "حقا"]),
    ("Hello world. This stays English.", ["Hello world.", "This stays English."]),
    # a list number opening the item is not a sentence of its own
    ("5. التأكيد على التعاون. ثم", ["5. التأكيد على التعاون.", "ثم"]),
    ("١٢. بند. آخر 3. بند", ["١٢. بند.", "آخر 3.", "بند"]),
    ("السطر الأول\nيكمل هنا.", ["السطر الأول يكمل هنا."]),
]


@pytest.mark.parametrize(("paragraph", "expected"), CASES)
def test_split_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected


@pytest.mark.parametrize(("paragraph", "_"), CASES)
def test_sentences_rejoin_to_the_paragraph(paragraph, _):
    assert " ".join(split_sentences(paragraph)) == " ".join(paragraph.split())


# --- paragraphs into segments -----------------------------------------------------------

class FixedNames:
    def find(self, text):
        i = text.find("الكويت")
        return [GlossaryHit(i, i + 6, "الكويت", "Kuwait", "place")] if i >= 0 else []


def test_segments_carry_ids_language_and_names():
    paragraphs = [
        Paragraph(0, "زار الوزير الكويت. ثم عاد."),
        Paragraph(1, "An English annex. Kuwait.", language="en"),
    ]
    segments = segment_paragraphs(paragraphs, FixedNames())
    assert [s.id for s in segments] == ["p1s1", "p1s2", "p2s1", "p2s2"]
    assert segments[0].glossary[0].english == "Kuwait"
    assert segments[0].arabic[segments[0].glossary[0].start : segments[0].glossary[0].end] == "الكويت"
    assert segments[2].language == "en" and segments[2].glossary == ()


def _lines(page: int, *confidences: float | None, first: int = 1) -> tuple[TextLine, ...]:
    return tuple(TextLine("سطر", SourceRef(Path("a.pdf"), page, first + k), confidence=c)
                 for k, c in enumerate(confidences))


def test_segments_from_ocr_pages_are_flagged_with_confidence():
    paragraphs = [
        Paragraph(0, "نص من طبقة النص.", ref=SourceRef(Path("a.pdf"), page=1), lines=_lines(1, None)),
        Paragraph(1, "نص ممسوح ضوئيا. جملة ثانية.", ref=SourceRef(Path("a.pdf"), page=2), lines=_lines(2, 91.4)),
    ]
    segments = segment_paragraphs(paragraphs, None)
    assert segments[0].flags == ()
    assert [s.flags for s in segments[1:]] == [("ocr", "ocr-confidence:91")] * 2


def test_ocr_confidence_is_the_paragraphs_least_sure_line():
    paragraphs = [
        Paragraph(0, "فقرة أولى.", ref=SourceRef(Path("a.pdf"), page=1, line=1), lines=_lines(1, 95.0, 91.0, 42.0)),
        Paragraph(1, "فقرة ثانية.", ref=SourceRef(Path("a.pdf"), page=1, line=4), lines=_lines(1, 96.0, 93.0, first=4)),
    ]
    segments = segment_paragraphs(paragraphs, None)
    assert [s.flags for s in segments] == [("ocr", "ocr-confidence:42"), ("ocr", "ocr-confidence:93")]


def test_each_segment_knows_the_page_and_line_it_starts_on():
    # A paragraph running from the foot of page 1 onto page 2: its second sentence starts there.
    lines = (TextLine("الجملة الأولى تنتهي هنا. والثانية", SourceRef(Path("a.pdf"), 1, 30)),
             TextLine("تبدأ في الصفحة التالية. وثالثة.", SourceRef(Path("a.pdf"), 2, 1)))
    text = "الجملة الأولى تنتهي هنا. والثانية تبدأ في الصفحة التالية. وثالثة."
    paragraph = Paragraph(0, text, ref=lines[0].ref, lines=lines, line_starts=(0, len(lines[0].text) + 1))
    segments = segment_paragraphs([paragraph], None)
    assert [(s.arabic.split()[0], s.ref.page, s.ref.line) for s in segments] == [
        ("الجملة", 1, 30), ("والثانية", 1, 30), ("وثالثة.", 2, 1)]
