from pathlib import Path

from support.doubles import RecordingTranslator
from qantara.memory import MemoryTranslator, TranslationMemory, normalize_segment
from qantara.pipeline import translate_documents
from qantara.types import Document, Origin, Segment


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


def test_fuzzy_matches_from_reviewed_translations(tmp_path):
    from qantara.memory import apply_fuzzy
    from qantara.types import Document, Segment, Translation

    reviewed = "وصل وفد الكويت إلى أستانا يوم الاثنين لبحث التعاون في مجال الطاقة."
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_reviewed([(reviewed, "A Kuwaiti delegation reached Astana on Monday to discuss energy.", "a", "p1s1"),
                               ("جملة أخرى لا علاقة لها بالموضوع إطلاقا.", "Something else.", "a", "p2s1")])
        one_word = reviewed.replace("الاثنين", "الثلاثاء")
        found = memory.fuzzy([one_word, reviewed, "نص مختلف تماما عن كل ما سبق."])
    # One word changed: one match, with its similarity; the exact text is an exact match, not
    # a fuzzy one; unrelated text has none.
    assert list(found) == [one_word]
    (match,) = found[one_word]
    assert match.english.startswith("A Kuwaiti delegation") and (match.file, match.segment_id) == ("a", "p1s1")
    # Rounded down: a 99.6 % match must not read as 100 %.
    assert match.quality == int(fuzz_ratio(one_word, reviewed)) and 85 <= match.quality < 100

    # A hint beside the machine translation, never in its place; none on reviewed segments.
    machine = Segment("p1s1", 0, one_word, translation=Translation("MT output.", Origin.MACHINE))
    done = Segment("p1s2", 0, reviewed, translation=Translation("Reviewed.", Origin.REVIEWED))
    doc = apply_fuzzy(Document(tmp_path / "b.txt", "b", segments=(machine, done)), found | {reviewed: found[one_word]})
    assert doc.segments[0].english == "MT output." and doc.segments[0].fuzzy == (match,)
    assert doc.segments[1].fuzzy == ()


def fuzz_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    from qantara.memory import normalize_segment

    return fuzz.ratio(normalize_segment(a), normalize_segment(b))


def test_fuzzy_length_window_loses_no_match():
    """The length window is exact: searching it finds what scoring every entry finds."""
    import random

    from rapidfuzz import fuzz

    from qantara.memory import FUZZY_THRESHOLD, FuzzyIndex, Reviewed

    rng = random.Random(19)
    words = "وصل الوفد إلى الكويت ثم عقد اجتماعا مع الوزير في أستانا حول الطاقة والتجارة".split()
    entries = {" ".join(rng.choices(words, k=rng.randint(2, 14))): Reviewed("e", "f", "s") for _ in range(400)}
    index = FuzzyIndex(entries.items())
    for _ in range(60):
        query = " ".join(rng.choices(words, k=rng.randint(2, 14)))
        best = max((fuzz.ratio(query, key), key) for key in entries if key != query)
        found = index.search(query, limit=1)
        if best[0] >= FUZZY_THRESHOLD:
            assert found and found[0].quality == int(best[0])
        else:
            assert found == ()
