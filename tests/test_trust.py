"""Trust scores (qantara.trust): the legend covers every flag, and the score orders segments as
a reviewer should read them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from qantara import checks
from qantara.trust import LEGEND, UNSCORED_MODEL, document_trust, explain, segment_trust
from qantara.types import Document, Flag, Origin, Paragraph, RepairChange, Segment, TextLine, SourceRef, Translation


def test_legend_explains_every_flag_kind():
    kinds = {flag.value for flag in Flag} | set(checks.KINDS)
    assert kinds - set(LEGEND) == set(), "add the new flag kind to qantara.trust.LEGEND"
    assert set(LEGEND) - kinds == set()
    for kind, meaning in LEGEND.items():
        assert meaning.sentence.endswith(".") and len(meaning.sentence) > 20, kind
        assert 0 <= meaning.weight <= 1, kind


def test_explain_reads_the_kind_of_a_flag_with_detail():
    assert explain("number-mismatch:2022≠2020") == LEGEND[checks.NUMBER_MISMATCH].sentence
    assert explain("glossary-missing:Kuwait") == LEGEND[Flag.GLOSSARY_MISSING].sentence


def seg(origin=Origin.MACHINE, flags=(), score=None, english="The delegation arrived.") -> Segment:
    return Segment("p1s1", 0, "وصل الوفد.", translation=Translation(english, origin, tuple(flags), score))


def test_trust_ordering():
    confident = seg(score=math.log(0.9))
    hesitant = seg(score=math.log(0.4))
    unscored = seg()
    reviewed = seg(Origin.REVIEWED)
    wrong_number = seg(score=math.log(0.9), flags=("number-mismatch:2022≠2020",))
    untranslated = seg(Origin.UNTRANSLATED, (Flag.UNTRANSLATED.value,), english="")
    ranked = [segment_trust(s) for s in (reviewed, confident, unscored, hesitant, wrong_number, untranslated)]
    assert ranked == sorted(ranked, reverse=True) and len(set(ranked)) == len(ranked)
    assert ranked[0] == 100 and ranked[-1] == 0
    assert segment_trust(confident) == 90 and segment_trust(unscored) == round(100 * UNSCORED_MODEL)
    # OCR confidence and repairs lower it, each by its own factor.
    assert segment_trust(confident, ocr_confidence=50) == 45
    assert segment_trust(confident, repairs=2) == round(90 * 0.81)


def test_document_trust_counts_ocr_and_the_repairs_inside_each_segment():
    path = Path("scan.pdf")
    text = "وصل الوفد. ثم عقد اجتماعا."
    paragraph = Paragraph(0, text, lines=(TextLine(text, SourceRef(path, 1, 1), confidence=80.0),), line_starts=(0,))
    first = Segment("p1s1", 0, "وصل الوفد.", translation=Translation("They arrived.", Origin.REVIEWED))
    second = Segment("p1s2", 0, "ثم عقد اجتماعا.", translation=Translation("Then they met.", Origin.REVIEWED))
    change = RepairChange("join", 0, text.index("اجتماعا"), text.index("اجتماعا") + 7, "اجتما عا", "اجتماعا")
    doc = Document(path, "scan", paragraphs=(paragraph,), changes=(change,), segments=(first, second))
    assert document_trust(doc) == {"p1s1": 80, "p1s2": 72}


@pytest.mark.parametrize("kind", sorted(LEGEND))
def test_every_weight_lowers_or_keeps_the_score(kind):
    assert segment_trust(seg(score=0.0, flags=(f"{kind}:x",))) == round(100 * LEGEND[kind].weight)
