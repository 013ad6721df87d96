import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qantara.glossary import load_glossary
from qantara.glossary.names import count_names, name_flags, protect_names, restore_names
from qantara.pipeline import translate_segments
from qantara.types import GlossaryHit, Segment

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary"
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z ()'.-]*[A-Za-z)]|[A-Za-z]")


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


class Scripted:
    """A test double: a model that keeps the Latin runs of its input, then edits them."""

    def __init__(self, edit=lambda names: names):
        self.edit = edit
        self.calls = 0
        self.seen = []

    def translate(self, sentences):
        self.calls += 1
        self.seen.append(list(sentences))
        out = []
        for s in sentences:
            names = self.edit(_LATIN_RUN.findall(s))
            out.append("The report mentions " + " and ".join(names) + ".")
        return out


def _segment(glossary, arabic):
    return Segment("p1s1", 0, arabic, glossary=tuple(glossary.find(arabic)))


@pytest.mark.parametrize(
    ("arabic", "protected"),
    [
        ("زار الوزير الكويت", "زار الوزير Kuwait"),
        ("بالكويت", "بـ Kuwait"),
        ("للكويت", "لـ Kuwait"),
        ("وبالكويت", "وبـ Kuwait"),
        ("وصل إلى طشقند وسمرقند", "وصل إلى Tashkent و Samarkand"),
        ("فطشقند", "ف Tashkent"),
        ("بِالكويت اليوم", "بـ Kuwait اليوم"),
        ("في آسيا الوسطى", "في Central Asia"),
        ("قال شوكت ميرزاييف", "قال Shavkat Mirziyoyev"),
        ("الكويتية ليست الكويت", "الكويتية ليست Kuwait"),
        ("لا أسماء هنا", "لا أسماء هنا"),
    ],
)
def test_protect_names(glossary, arabic, protected):
    assert protect_names(arabic, glossary.find(arabic)) == protected


def test_copying_model_restores_every_name_without_flags(glossary):
    seg = _segment(glossary, "زار شوكت ميرزاييف طشقند وبالكويت")
    model = Scripted()
    [out] = translate_segments([seg], model)
    assert model.calls == 1
    assert model.seen == [["زار Shavkat Mirziyoyev Tashkent وبـ Kuwait"]]
    assert out.english == "The report mentions Shavkat Mirziyoyev Tashkent and Kuwait."
    assert out.all_flags == ()


def test_dropped_name_is_flagged(glossary):
    seg = _segment(glossary, "زار طشقند والكويت")
    [out] = translate_segments([seg], Scripted(lambda names: [n for n in names if n != "Kuwait"]))
    assert "glossary-missing:Kuwait" in out.all_flags
    assert "glossary-missing:Tashkent" not in out.all_flags


def test_duplicated_name_is_flagged(glossary):
    seg = _segment(glossary, "زار الكويت")
    [out] = translate_segments([seg], Scripted(lambda names: names + names))
    assert out.all_flags == ("glossary-duplicated:Kuwait",)


def test_a_name_found_twice_must_come_out_twice(glossary):
    seg = _segment(glossary, "من الكويت إلى الكويت")
    assert len(seg.glossary) == 2
    [once] = translate_segments([seg], Scripted(lambda names: names[:1]))
    [twice] = translate_segments([seg], Scripted())
    assert once.all_flags == ("glossary-missing:Kuwait",)
    assert twice.all_flags == ()


@pytest.mark.parametrize(
    ("edit", "english", "flags"),
    [
        # Case only: restored silently, the name is intact.
        (lambda n: [x.upper() for x in n], "The report mentions Kazakhstan.", ()),
        # A respelling close to the name: restored, and said so.
        (lambda n: ["Kazakstan"], "The report mentions Kazakhstan.", ("placeholder-mangled:Kazakhstan",)),
        (lambda n: ["Kazakh stan"], "The report mentions Kazakhstan.", ("placeholder-mangled:Kazakhstan",)),
        # Another word altogether is not guessed at.
        (lambda n: ["Kyrgyzstan"], "The report mentions Kyrgyzstan.", ("glossary-missing:Kazakhstan",)),
    ],
)
def test_mangled_names_are_repaired_or_flagged(glossary, edit, english, flags):
    seg = _segment(glossary, "زار كازاخستان")
    [out] = translate_segments([seg], Scripted(edit))
    assert (out.english, out.all_flags) == (english, flags)


def test_short_names_are_never_guessed(glossary):
    seg = _segment(glossary, "زار إيران")
    [out] = translate_segments([seg], Scripted(lambda n: ["Iraq"]))
    assert out.english == "The report mentions Iraq."
    assert out.all_flags == ("glossary-missing:Iran",)


def test_copied_clitic_stubs_never_reach_the_english(glossary):
    class StubCopier:
        def translate(self, sentences):
            return ["He arrived وبـ Kuwait and لـ  Tashkent." for _ in sentences]

    seg = _segment(glossary, "وصل وبالكويت ولطشقند")
    [out] = translate_segments([seg], StubCopier())
    assert out.english == "He arrived Kuwait and Tashkent."
    assert out.all_flags == ("placeholder-leftover",)


def test_a_respelling_never_swallows_a_correct_name():
    hits = [GlossaryHit(0, 5, "x", "Kazakhstan", "place"), GlossaryHit(6, 9, "y", "Kazakhstan", "place")]
    text, flags = restore_names("Kazakhstan and Kazakstan.", hits)
    assert text == "Kazakhstan and Kazakhstan."
    assert flags == ("placeholder-mangled:Kazakhstan",)


@pytest.mark.parametrize(
    ("english", "counts"),
    [
        ("Central Asia and Asia", {"Central Asia": 1, "Asia": 1}),
        ("Central Asia", {"Central Asia": 1, "Asia": 0}),
        ("Asian markets in asia", {"Central Asia": 0, "Asia": 1}),
        ("Kuwait's and Kuwaiti", {"Central Asia": 0, "Asia": 0}),
    ],
)
def test_count_names_masks_longer_names(english, counts):
    assert dict(count_names(english, ["Asia", "Central Asia"])) == counts


def test_name_flags_without_hits_is_empty():
    assert name_flags("Anything at all", []) == ()
    assert restore_names("بـ stays when no names were protected", []) == (
        "بـ stays when no names were protected", ()
    )


_CLITICS = ["", "و", "ف", "ب", "ل", "وب", "فل", "ك"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CLITICS), st.sampled_from(
    ["الكويت", "طشقند", "سمرقند", "كازاخستان", "آسيا الوسطى", "شوكت ميرزاييف", "روسيا"])),
    min_size=1, max_size=6))
def test_protected_names_survive_a_copying_model(glossary, words):
    # ل before the article is written لل (للكويت), as Arabic spelling requires.
    arabic = "قال " + " ثم ".join(
        c + (w[1:] if c.endswith("ل") and w.startswith("ال") else w) for c, w in words
    )
    seg = _segment(glossary, arabic)
    assert len(seg.glossary) == len(words)
    protected = protect_names(arabic, seg.glossary)
    assert all(h.arabic not in protected for h in seg.glossary)
    [out] = translate_segments([seg], Scripted())
    # Repeated names may trip repeated-ngrams; what matters here is that none was lost.
    assert not [f for f in out.all_flags if f.startswith(("glossary-", "placeholder-"))]
    assert all(h.english in out.english for h in seg.glossary)
