from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qantara.repair import repair_document
from qantara.repair.chars import fix_mirrored_brackets, fold_presentation_forms, normalise_whitespace
from qantara.arabic.lexicon import Lexicon
from qantara.arabic.direction import language
from qantara.repair.paragraphs import is_list_item, is_page_number
from qantara.repair.tatweel import strip_tatweel
from qantara.repair.track import Tracked, apply, join
from qantara.types import ExtractedDocument, PageText, SourceRef, TextLine

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (seed documents) is absent")

# A lexicon that knows nothing keeps the tests independent of enchant and wordfreq.
EMPTY = Lexicon(check=lambda word: False, zipf=lambda word: 0.0)


def text_doc(text: str, path: str = "doc.txt") -> ExtractedDocument:
    p = Path(path)
    lines = tuple(TextLine(t, SourceRef(p, 1, i + 1)) for i, t in enumerate(text.split("\n")))
    return ExtractedDocument(p, "text", (PageText(1, lines),))


def cer(reference: str, hypothesis: str) -> float:
    import difflib

    matcher = difflib.SequenceMatcher(None, reference, hypothesis, autojunk=False)
    errors = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return errors / max(1, len(reference))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufee3\ufeae\ufea3\ufe92\ufe8e", "مرحبا"),
        ("\ufefb", "لا"),
        ("\ufe70", "\u064b"),
        ("abc ١٢٣ ²", "abc ١٢٣ ²"),  # NFKC would turn ² into 2: only glyph forms are folded
    ],
)
def test_fold_presentation_forms(raw: str, expected: str) -> None:
    assert fold_presentation_forms(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("بمناســبة انعقــاد", "بمناسبة انعقاد"),
        ("كلمة", "كلمة"),
        ("الاقت ــادية", "الاقت ادية"),  # the tail of a stretched word cut at a gap
        # Typography the author meant: a dash, a prefix before a number or a Latin word, a
        # lone separated prefix in a line no kashida stretched. A stretch ending a longer
        # word is a stretched word cut at a gap.
        ("ضعيفة ـ وكان", "ضعيفة ـ وكان"),
        ("عنوانــ الماط", "عنوان الماط"),
        ("بـ 27 حادثة", "بـ 27 حادثة"),
        ("الـV", "الـV"),
        ("معادلة بـقيمة الجنيه", "معادلة بـقيمة الجنيه"),
        ("بـقيمة الــدول", "بقيمة الدول"),
    ],
)
def test_strip_tatweel(raw: str, expected: str) -> None:
    assert strip_tatweel(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  a \t b\u00a0c  ", "a b c"), ("قطبا \u064b", "قطبا\u064b"), ("وفقا \u064bلخطة", "وفقا\u064b لخطة")],
)
def test_normalise_whitespace(raw: str, expected: str) -> None:
    assert normalise_whitespace(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("المشترك )2023-2027( في", "المشترك (2023-2027) في"),
        ("الروس )%10(، و", "الروس (%10)، و"),
        ("عليها » بلاد ما وراء النهر »، نسبة", "عليها « بلاد ما وراء النهر »، نسبة"),
        ("»كازاخستان، اوزبكستان« مع", "«كازاخستان، اوزبكستان» مع"),
        (") 1 ( كازاخستان: وهي", "(1) كازاخستان: وهي"),
        ("(C5) في جدة", "(C5) في جدة"),
        ("[1] Kun.Uz, “Central”", "[1] Kun.Uz, “Central”"),
        ("قسم «آراء ورؤى» تعبر (35 %.)", "قسم «آراء ورؤى» تعبر (35 %.)"),
    ],
)
def test_fix_mirrored_brackets(raw: str, expected: str) -> None:
    assert fix_mirrored_brackets(raw) == expected


@given(st.text(alphabet="ab ()«»[]ل", max_size=30))
def test_mirrored_brackets_is_idempotent(text: str) -> None:
    once = fix_mirrored_brackets(text)
    assert fix_mirrored_brackets(once) == once


def test_tracked_edits_follow_later_steps() -> None:
    t = apply(Tracked("abـــc d"), "tatweel", "abc d")
    t = apply(t, "x", "XX abc d", record=False)
    assert [(e.start, e.end, e.before) for e in t.edits] == [(5, 5, "ـــ")]
    joined = join([Tracked("pq"), t])
    assert joined.text == "pq XX abc d" and joined.edits[0].start == 8


@pytest.mark.parametrize(("text", "expected"), [("12", True), ("- ٣ -", True), ("2023 عام", False)])
def test_is_page_number(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"), [("1. بند", True), ("- بند", True), ("(2) بند", True), ("بند 1", False)]
)
def test_is_list_item(text: str, expected: bool) -> None:
    assert is_list_item(text) is expected


@pytest.mark.parametrize(("text", "expected"), [("Central Asia (C5) summit", "en"), ("قمة جدة C5", "ar")])
def test_language(text: str, expected: str) -> None:
    assert language(text) == expected


def test_hard_wrapped_paragraph_joins_and_heading_stays() -> None:
    body = "هذه جملة طويلة بما يكفي لتملأ سطرا كاملا من النص المطبوع في الكتاب"
    text = "\n".join(["مقدمة", body, "وتكمل الجملة هنا حتى نهايتها.", "7", "1. بند أول", "The annex is English."])
    doc = repair_document(text_doc(text), lexicon=EMPTY)
    got = [(p.kind, p.language, p.text) for p in doc.paragraphs]
    assert got == [
        ("heading", "ar", "مقدمة"),
        ("body", "ar", body + " وتكمل الجملة هنا حتى نهايتها."),
        ("list-item", "ar", "1. بند أول"),
        ("body", "en", "The annex is English."),
    ]


def test_changes_point_into_repaired_paragraph() -> None:
    doc = repair_document(text_doc("  بمناســبة   انعقــاد )القمة( "), lexicon=EMPTY)
    text = doc.paragraphs[0].text
    assert text == "بمناسبة انعقاد (القمة)"
    assert {c.kind for c in doc.changes} == {"tatweel", "mirrored-bracket"}
    for change in doc.changes:
        assert text[change.start : change.end] == change.after


@needs_shared
@pytest.mark.parametrize("name", ["000_41cf3146f527e58b", "002_35611eb13f076e57", "003_5451b8ff3155cfe3", "004_dc0ec6e5dd7e186b"])
def test_clean_seed_passes_unchanged(name: str) -> None:
    source = (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    doc = repair_document(text_doc(source, name))
    squash = re.compile(r"\s+")
    assert cer(squash.sub(" ", source).strip(), " ".join(p.text for p in doc.paragraphs)) <= 0.001


def lines_doc(*lines: str) -> ExtractedDocument:
    return text_doc("\n".join(lines))


def test_orphan_tanween_lines_rejoin_and_reorder() -> None:
    doc = repair_document(
        lines_doc(" عن نموها الاقتصادي غير ", "ً", " مهما في النظام العالمي، فضلا", "ً", "أصبحت الدول قطبا"),
        lexicon=EMPTY,
    )
    assert [p.text for p in doc.paragraphs] == ["أصبحت الدول قطباً مهما في النظام العالمي، فضلاً عن نموها الاقتصادي غير"]
    assert "orphan-reorder" in {c.kind for c in doc.changes}


def test_stray_mark_line_is_dropped() -> None:
    doc = repair_document(lines_doc("ً", "", "نص عادي."), lexicon=EMPTY)
    assert [p.text for p in doc.paragraphs] == ["نص عادي."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("احترام سيادة أفغانستان واستقلالها وسلامة أراضيها . 1", "1. احترام سيادة أفغانستان واستقلالها وسلامة أراضيها"),
        ("تعزيز اندماج أفغانستان في العمليات الاقتصادية.. 3", "3. تعزيز اندماج أفغانستان في العمليات الاقتصادية."),
        ("أهمية تنفيذ الحكومة المؤقتة للمتطلبات على أساس .11", "11. أهمية تنفيذ الحكومة المؤقتة للمتطلبات على أساس"),
        ("بلغ عدد السكان في عام 2022 نحو 5", "بلغ عدد السكان في عام 2022 نحو 5"),
    ],
)
def test_move_list_number(raw: str, expected: str) -> None:
    from qantara.repair.structure import move_list_number

    assert move_list_number(raw) == expected


def test_reversed_line_is_put_in_order() -> None:
    raw = "عقدت  الوسطى،  آسيا  ودول  التعاون  مجلس  منظومة  بين  القائم  السياسي  الحوار  إلى  بالإضافة"
    doc = repair_document(lines_doc(raw), lexicon=EMPTY)
    assert doc.paragraphs[0].text == "بالإضافة إلى الحوار السياسي القائم بين منظومة مجلس التعاون ودول آسيا الوسطى، عقدت"
    assert [c.kind for c in doc.changes] == ["reversed-line"]


def test_line_without_justification_gaps_is_never_reordered() -> None:
    text = "عقدت الوسطى، آسيا ودول التعاون مجلس منظومة بين القائم السياسي الحوار إلى بالإضافة"
    assert repair_document(lines_doc(text), lexicon=EMPTY).paragraphs[0].text == text


def test_hard_wrap_with_blank_lines_between_joins() -> None:
    first = "وتأتي هذه القمة تتويجا للعلاقات السياسية والاقتصادية المتنامية حيث عقد اجتماع كان الأول"
    doc = repair_document(lines_doc(first, "", "من نوعه في المنطقة.", "", "فقرة ثانية."), lexicon=EMPTY)
    assert [p.text for p in doc.paragraphs] == [first + " من نوعه في المنطقة.", "فقرة ثانية."]


def _wrapped(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current]


@pytest.mark.parametrize("blank_after_every_line", [False, True])
def test_paragraphs_emitted_bottom_to_top_are_put_back(blank_after_every_line: bool) -> None:
    source = Path(__file__).resolve().parents[1] / "inputs" / "002_35611eb13f076e57.txt"
    paragraphs = [p for p in source.read_text(encoding="utf-8").splitlines() if len(p) > 150][:4]
    emitted = []
    for n, paragraph in enumerate(paragraphs):
        lines = _wrapped(paragraph, 60)
        for line in lines[::-1] if n % 2 else lines:  # every other paragraph bottom to top
            emitted += [line, ""] if blank_after_every_line else [line]
        emitted.append("")
    doc = repair_document(lines_doc(*emitted))
    assert " ".join(p.text for p in doc.paragraphs) == " ".join(paragraphs)
    assert sum(c.kind == "vertical-order" for c in doc.changes) == len(paragraphs) // 2
    clean = [line for paragraph in paragraphs for line in _wrapped(paragraph, 60) + [""]]
    assert not repair_document(lines_doc(*clean)).changes


FAKE = Lexicon(check=lambda word: word in {"العصر", "يشمل", "العسر"}, zipf=lambda word: 4.0 if word == "العصر" else 0.0)


@pytest.mark.parametrize(
    ("raw", "expected", "issues"),
    [
        ("في الع\ufffdسر الحديث", "في العصر الحديث", 0),
        ("وهو ي\ufffdسمل", "وهو يشمل", 0),
        ("كلمة \ufffdسغريبة", "كلمة \ufffdسغريبة", 1),
    ],
)
def test_lost_seen_glyph_chosen_by_lexicon(raw: str, expected: str, issues: int) -> None:
    doc = repair_document(lines_doc(raw), lexicon=FAKE)
    assert doc.paragraphs[0].text == expected
    assert sum(i.code == "repair-lost-glyph" for i in doc.issues) == issues


def test_missing_lexicon_skips_word_steps_with_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    from qantara.repair import pipeline

    monkeypatch.setattr(pipeline, "default_lexicon", lambda: (None, "no dictionary"))
    doc = repair_document(lines_doc("في الع\ufffdسر ـالحديث"))
    assert doc.paragraphs[0].text == "في الع\ufffdسر الحديث"
    assert [i.code for i in doc.issues] == ["repair-no-lexicon"]


def test_pdf_lines_join_by_block() -> None:
    p = Path("x.pdf")
    lines = tuple(TextLine(t, SourceRef(p, 1, i + 1), block=b) for i, (t, b) in enumerate([("عنوان", 0), ("سطر أول", 1), ("وسطر ثان.", 1)]))
    doc = repair_document(ExtractedDocument(p, "pdf", (PageText(1, lines),)), lexicon=EMPTY)
    assert [(x.kind, x.text) for x in doc.paragraphs] == [("heading", "عنوان"), ("body", "سطر أول وسطر ثان.")]


@needs_shared
def test_seed_001_defects_are_repaired() -> None:
    source = (SEEDS / "001_ddd1c7b39be48a05.txt").read_text(encoding="utf-8")
    doc = repair_document(text_doc(source, "001"))
    text = "\n\n".join(p.text for p in doc.paragraphs)
    assert "\u0640" not in text and "\ufffd" not in text
    assert not re.search(r"(^|\s)[\u064b-\u065f\u0670]", text, re.M)
    assert not re.search(r"(^|\s)\)(?=\w)|(?<=\w)\((\s|$)", text, re.M)
    assert "بالإضافة إلى الحوار السياسي القائم بين منظومة مجلس التعاون ودول آسيا الوسطى، عقدت" in text
    assert "ترتبط إيران بعلاقات تاريخية مع شعوب آسيا الوسطى" in text
    assert "الإمام البخاري والترمذي والشاشي" in text
    # A paragraph's short last line, reversed: its full stop says which end is the end.
    assert "وفقاً لخطة العمل المشترك.\n" in text
    assert any(p.language == "en" and "Central Asia" in p.text for p in doc.paragraphs)
    # The overprinted heading reads once; brackets are mirrored only in garbled paragraphs.
    readable = "\n".join(p.text for p in doc.paragraphs if "garbled" not in p.flags)
    assert "تقرير عن" in text
    assert not [w for w in readable.split() if re.fullmatch(r"(?:([\u0621-\u064a])\1){3,}", w)]
    assert not re.search(r"(^|\s)\)(?=\w)|(?<=\w)\((\s|$)", readable, re.M)
    # The UN resolution's pages (lines 1151-1319) came from a wrong-letter font: flagged
    # there (nearly all: 72 of 77 now; see the README), nowhere else.
    flagged = [p.ref.line for p in doc.paragraphs if "garbled" in p.flags]
    assert flagged and all(1151 <= line <= 1319 for line in flagged)
    assert len(flagged) >= 0.85 * sum(1 for p in doc.paragraphs if 1151 <= p.ref.line <= 1319)


SPLIT = Lexicon(check=lambda word: word in {"الاقتصادية", "المواقف", "في", "كتاب"}, zipf=lambda word: 0.0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("في الا قتصادية", "في الاقتصادية"),
        ("وتنسيق المو اقف في", "وتنسيق المواقف في"),
        ("في كتاب", "في كتاب"),  # two known words stay two words
    ],
)
def test_split_words_join(raw: str, expected: str) -> None:
    from qantara.repair.words import join_split_words

    assert join_split_words(raw, SPLIT) == expected


@needs_shared
def test_clean_eval_arabic_passes_unchanged() -> None:
    lines = (SHARED / "eval" / "flores200_devtest" / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()[:150]
    doc = repair_document(text_doc("\n".join(lines), "flores"))
    assert cer(" ".join(" ".join(l.split()) for l in lines), " ".join(p.text for p in doc.paragraphs)) <= 0.001


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A two-word paragraph tail read backwards: the full stop lands on the first word.
        ("المشترك.   العمل", "العمل المشترك."),
        ("أفغانستان. في  الموظفين", "الموظفين في أفغانستان."),
        # A numbered item read backwards piece by piece, number after the first word.
        (
            "إيران . 6 برنامج  تجاه  المشتركة  الجهود  بتنسيق  يتعلق  الوسطى فيما  آسيا  مع دول  التعاون  بحث موضوع",
            "6. بحث موضوع التعاون مع دول آسيا الوسطى فيما يتعلق بتنسيق الجهود المشتركة تجاه برنامج إيران",
        ),
        # One wide gap in a long clean line is justification, not reversal.
        (
            "الاجتماع في مقر الأمانة العامة لمجلس التعاون  في 7 سبتمبر 2022، وصدر عن الاجتماع الوزاري بيان حدد",
            "الاجتماع في مقر الأمانة العامة لمجلس التعاون في 7 سبتمبر 2022، وصدر عن الاجتماع الوزاري بيان حدد",
        ),
    ],
)
def test_reversed_line_evidence(raw: str, expected: str) -> None:
    assert repair_document(lines_doc(raw), lexicon=EMPTY).paragraphs[0].text == expected


SWAPPED = Lexicon(check=lambda word: word in {"الاقتصادية", "في"}, zipf=lambda word: {"في": 6.5}.get(word, 0.0))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("في صادية الاقت", "في الاقتصادية"),  # pieces swapped
        ("في الاقت صادية،", "في الاقتصادية،"),  # punctuation stays at the end
    ],
)
def test_split_words_join_in_either_order(raw: str, expected: str) -> None:
    from qantara.repair.words import join_split_words

    assert join_split_words(raw, SWAPPED) == expected


def test_full_wrapped_line_ending_in_stop_continues_paragraph() -> None:
    from qantara.repair.paragraphs import continues

    full = "و" * 78 + "."
    assert continues(full, "تتمة الفقرة", "تتمة الفقرة", 80)
    assert not continues("جملة قصيرة.", "فقرة جديدة", "فقرة جديدة", 80)
    assert not continues(full, "1. بند", "1. بند", 80)


def _text_doc(text: str):
    from pathlib import Path

    from qantara.types import ExtractedDocument, PageText, SourceRef, TextLine

    lines = tuple(TextLine(t, SourceRef(Path("t.txt"), 1, i + 1)) for i, t in enumerate(text.split("\n")))
    return ExtractedDocument(Path("t.txt"), "text", (PageText(1, lines),))


def test_blank_lines_end_paragraphs_where_the_author_used_them():
    text = (
        "كانت الزيارة الأولى من نوعها منذ سنوات طويلة وكانت\nناجحة بكل المقاييس.\n\n"
        "تعاون البلدان في مجالات الطاقة والنقل والتجارة وكان\nالتعاون مثمرا للجانبين."
    )
    paragraphs = [p.text for p in repair_document(_text_doc(text)).paragraphs]
    assert paragraphs == [
        "كانت الزيارة الأولى من نوعها منذ سنوات طويلة وكانت ناجحة بكل المقاييس.",
        "تعاون البلدان في مجالات الطاقة والنقل والتجارة وكان التعاون مثمرا للجانبين.",
    ]


def test_blank_lines_after_every_line_do_not_end_paragraphs():
    text = "كانت الزيارة الأولى من نوعها منذ سنوات طويلة وكانت\n\nناجحة بكل المقاييس.\n\nوتعاون البلدان."
    paragraphs = [p.text for p in repair_document(_text_doc(text)).paragraphs]
    assert paragraphs[0] == "كانت الزيارة الأولى من نوعها منذ سنوات طويلة وكانت ناجحة بكل المقاييس."


def test_seed_001_hard_wrapped_lines_join_across_its_blank_lines():
    # The booklet's extractor left a blank line after every line: those say nothing.
    seed = Path(__file__).resolve().parents[1] / "inputs" / "001_ddd1c7b39be48a05.txt"
    from qantara.extraction import extract_document

    paragraphs = [p.text for p in repair_document(extract_document(seed)).paragraphs]
    assert any("القمة التي تستضيفها المملكة العربية السعودية، أعدت الأمانة العامة" in p for p in paragraphs)


@pytest.mark.parametrize(("token", "parts"), [
    ("العمرمن", ["العمر", "من"]),  # a run edge glues a preposition to a word
    ("المبيعاتقال", ["المبيعات", "قال"]),  # or one of the commonest verbs
    ("أبوظبي", ["أبوظبي"]),  # names the lexicon lacks stay whole
    ("عبدالله", ["عبدالله"]),
    ("كانجار", ["كانجار"]),
])
def test_glued_run_edges_are_cut_into_words(token: str, parts: list[str]) -> None:
    from qantara.arabic.lexicon import default_lexicon
    from qantara.repair.order import pieces

    lexicon, problem = default_lexicon()
    if lexicon is None:
        pytest.skip(f"no Arabic lexicon: {problem}")
    assert [p.text for p in pieces(token, lexicon)] == parts
