from pathlib import Path

from support.doubles import RecordingTranslator
from qantara.memory import MemoryTranslator, TranslationMemory, normalize_segment
from qantara.pipeline import translate_documents
from qantara.types import Document, Segment


def test_normalize_segment():
    assert normalize_segment("  مجلـــس   التعاون\n") == "مجلس التعاون"
    assert normalize_segment("مَجلس") != normalize_segment("مجلس")  # diacritics carry meaning


def test_memory_translator_never_translates_twice(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        inner = RecordingTranslator("EN<{}>")
        engine = MemoryTranslator(inner, memory, "m@1")
        assert engine.translate(["أ", "ب", "أ"]) == ["EN<أ>", "EN<ب>", "EN<أ>"]
        assert inner.seen == [["أ", "ب"]]  # duplicates go to the model once
        assert engine.translate(["ب", "ج"]) == ["EN<ب>", "EN<ج>"]
        assert inner.seen[-1] == ["ج"] and inner.calls == 2
        assert engine.translate(["أ", "ج"]) and inner.calls == 2  # all cached: no call
        # Another model does not reuse this one's output.
        other = RecordingTranslator("EN<{}>")
        MemoryTranslator(other, memory, "m@2").translate(["أ"])
        assert other.calls == 1
    # The memory persists across handles (runs).
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        inner = RecordingTranslator("EN<{}>")
        assert MemoryTranslator(inner, memory, "m@1").translate(["أ", "ب", "ج"]) == ["EN<أ>", "EN<ب>", "EN<ج>"]
        assert inner.calls == 0


def test_reviewed_translations_win_and_fill_identical_segments(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_reviewed([("زار الوزير   الكويت.", "The minister visited Kuwait.", "a", "p1s1")])
        docs = [
            Document(Path("a.txt"), "a", segments=(Segment("p1s1", 0, "زار الوزير الكويت."), Segment("p1s2", 0, "ثم عاد."))),
            Document(Path("b.txt"), "b", segments=(Segment("p3s1", 2, "زار الوزير الكويت."),)),
        ]
        reviewed = memory.reviewed(s.arabic for d in docs for s in d.segments)
        inner = RecordingTranslator("EN<{}>")
        a, b = (doc.segments for doc in translate_documents(docs, inner, reviewed))
    assert inner.seen == [["ثم عاد."]]
    assert (a[0].origin, a[0].english, a[0].all_flags) == ("reviewed", "The minister visited Kuwait.", ())
    assert a[1].origin == "machine"
    assert (b[0].origin, b[0].english) == ("reviewed", "The minister visited Kuwait.")
    assert b[0].all_flags == ("reviewed-from:a#p1s1",)
