from pathlib import Path

import pytest

from support.doubles import RecordingTranslator
from qantara.pipeline import (
    assign_stems,
    check_translation,
    safe_stem,
    segment_paragraphs,
    translate_documents,
    translate_segments,
)
from qantara.types import Document, GlossaryHit, Paragraph, Segment, SourceRef, TextLine


class FixedNames:
    def find(self, text):
        i = text.find("الكويت")
        return [GlossaryHit(i, i + 6, "الكويت", "Kuwait", "place")] if i >= 0 else []


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("report.pdf", "report"),
        ("تقرير الكويت.v2.final.txt", "تقرير الكويت.v2.final"),
        ("..txt", "document"),
        ("a:b*c.txt", "a_b_c"),
        (" spaced name .txt", "spaced name"),
    ],
)
def test_safe_stem(name, stem):
    assert safe_stem(Path(name)) == stem


def test_stems_stay_inside_the_output_folder():
    for name in ["../../etc/passwd.txt", "..", "...", "a/../../b.txt"]:
        stem = safe_stem(Path(name))
        assert "/" not in stem and stem not in {".", ".."}
        assert (Path("/out") / stem).resolve().parent == Path("/out")


def test_assign_stems_disambiguates_shared_stems():
    stems = assign_stems([Path("r.pdf"), Path("r.txt"), Path("s.txt")])
    assert stems == {Path("r.pdf"): "r_pdf", Path("r.txt"): "r_txt", Path("s.txt"): "s"}


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


def test_translate_segments_origins_and_one_call():
    segs = [Segment("p1s1", 0, "مرحبا"), Segment("p2s1", 1, "Hello", language="en"), Segment("p3s1", 2, "شكرا")]
    translator = RecordingTranslator()
    out = translate_segments(segs, translator)
    assert translator.calls == 1 and translator.seen == [["مرحبا", "شكرا"]]
    assert [o.origin for o in out] == ["machine", "source-english", "machine"]
    assert out[1].english == "Hello"


def test_without_translator_segments_are_untranslated():
    out = translate_segments([Segment("p1s1", 0, "مرحبا")], None)
    assert out[0].origin == "untranslated" and out[0].english == "" and "untranslated" in out[0].all_flags


def test_documents_are_translated_together_and_split_back():
    docs = [
        Document(Path(f"{n}.txt"), n, segments=tuple(Segment(f"p1s{i}", 0, f"{n}{i}") for i in range(k)))
        for n, k in (("a", 2), ("b", 0), ("c", 3))
    ]
    translator = RecordingTranslator()
    out = translate_documents(docs, translator)
    assert translator.calls == 1
    assert [[t.english for t in d.segments] for d in out] == [["EN(a0)", "EN(a1)"], [], ["EN(c0)", "EN(c1)", "EN(c2)"]]


@pytest.mark.parametrize(
    ("english", "flags"),
    [
        ("The minister visited Kuwait.", ()),
        ("The minister visited the country.", ("glossary-missing:Kuwait",)),
        ("", ("empty-output", "glossary-missing:Kuwait")),
        ("زار الوزير الكويت", ("glossary-missing:Kuwait", "copied-source")),
        ("Kuwait الكويت", ("arabic-in-output",)),
        ("Kuwait the the the the the the the", ("repeated-ngrams",)),
    ],
)
def test_check_translation(english, flags):
    seg = Segment("p1s1", 0, "زار الوزير الكويت", glossary=(GlossaryHit(11, 17, "الكويت", "Kuwait", "place"),))
    assert check_translation(seg, english) == flags


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
