import pytest

from qantara.segment import split_sentences

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
