from pathlib import Path

import pytest

from support.doubles import RecordingTranslator
from qantara.pipeline import (
    assign_stems,
    check_translation,
    safe_stem,
    translate_documents,
    translate_segments,
)
from qantara.types import Document, GlossaryHit, Segment


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
    stems = assign_stems([Path("r.pdf"), Path("r.txt"), Path("s.txt")]).names
    assert stems == {Path("r.pdf"): "r_pdf", Path("r.txt"): "r_txt", Path("s.txt"): "s"}


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
