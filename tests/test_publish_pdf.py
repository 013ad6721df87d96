"""The bilingual PDF survives Qantara's own reader: its Arabic comes back with CER ≤ 0.005.

CER is measured over the Arabic words (Arabic-script runs, punctuation such as ، ؛ ؟ included)
in reading order: the English column interleaves with the Arabic one on the page, and Latin
text, digits and brackets are not what this checks.
"""

import difflib
import re
from pathlib import Path

import pytest

from qantara.extraction import extract_document
from qantara.pipeline import translate_documents
from qantara.segment import segment_paragraphs
from qantara.types import Document
from qantara.publish.pdf import ARABIC_FONTS, register_fonts, render_pdf, wrap_arabic
from qantara.repair import repair_document
from qantara.types import Paragraph

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F]+")
pytestmark = pytest.mark.skipif(not any(p.is_file() for p in ARABIC_FONTS), reason="no Arabic font installed")

PARAGRAPHS = [
    "لمَّا أرادت طاجيكستان أن ترتقي بجهودها في مكافحة الإرهاب، ولَّت وجهها شطر الكويت؛ دولةٌ صغيرة المساحة.",
    "وقال الوزير: «لا بد من التعاون بين دول الخليج وآسيا الوسطى» في مؤتمر عُقد عام 2024 بحضور مئات الخبراء "
    "والمسؤولين من الأمم المتحدة والاتحاد الأوروبي ومنظمة التعاون الإسلامي، وناقش المشاركون أمن الحدود "
    "وتمويل الإرهاب والتطرف العنيف، واتفقوا على إنشاء آلية إقليمية لتبادل المعلومات؟ نعم، وهذا هو الأهم.",
    "هل تستطيع الإمارات والسعودية وقطر أن تجعل من أوزبكستان وكازاخستان شريكين لا غنى عنهما؟",
] * 6


class Echo:
    def translate(self, sentences):
        return [f"English sentence {i} about Gulf and Central Asian relations." for i, _ in enumerate(sentences)]


def cer(reference: str, hypothesis: str) -> float:
    matcher = difflib.SequenceMatcher(None, reference, hypothesis, autojunk=False)
    errors = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return errors / max(1, len(reference))


def arabic_words(texts) -> str:
    return " ".join(run for text in texts for run in _ARABIC_RUN.findall(text))


def bitext_of(paragraphs, path=Path("doc.txt")):
    prepared = Document(path, "doc", paragraphs=tuple(paragraphs), segments=segment_paragraphs(paragraphs, None),
                        signature="qantara:test")
    return translate_documents([prepared], Echo())[0]


def read_back(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return arabic_words(p.text for p in repair_document(extract_document(path)).paragraphs)


def test_pdf_arabic_reads_back(tmp_path):
    paragraphs = tuple(Paragraph(i, t) for i, t in enumerate(PARAGRAPHS))
    pdf = render_pdf(bitext_of(paragraphs))
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2
    expected = arabic_words(PARAGRAPHS)
    assert cer(expected, read_back(pdf, tmp_path)) <= 0.005


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent (shared seeds)")
def test_seed_pdf_arabic_reads_back(tmp_path):
    source = SHARED / "seeds" / "002_35611eb13f076e57.txt"
    repaired = repair_document(extract_document(source))
    pdf = render_pdf(bitext_of(repaired.paragraphs, source))
    expected = arabic_words(p.text for p in repaired.paragraphs if p.language == "ar")
    assert cer(expected, read_back(pdf, tmp_path)) <= 0.005


def test_arabic_lines_are_broken_before_reordering():
    text = PARAGRAPHS[1]
    lines = wrap_arabic(text, register_fonts()[0], 12, 200)
    assert len(lines) > 3 and " ".join(lines) == " ".join(text.split())  # logical order kept



def test_long_tokens_wrap_inside_their_column():
    """A URL or run of garbage in the English and a long Arabic token stay in their columns:
    no glyph of the English column crosses into the Arabic one, nor the other way."""
    import io

    import pdfplumber

    from qantara.publish import pdf

    url = "https://www.example.org/reports/" + "gulf-central-asia-relations-" * 8 + "annex.pdf"
    garbage = "ﻻﻹﻷ" * 30
    arabic = [f"انظر التقرير في {url} للمزيد.", "كلمة " + "بببببسسسسسشششش" * 8 + " نهاية."]
    paragraphs = [Paragraph(i, t) for i, t in enumerate(arabic)]
    prepared = Document(Path("long.txt"), "long", paragraphs=tuple(paragraphs),
                        segments=segment_paragraphs(paragraphs, None), signature="qantara:test")

    class Long:
        def translate(self, sentences):
            return [f"See {url} and {'x' * 300} {garbage}." for _ in sentences]

    data = render_pdf(translate_documents([prepared], Long())[0])
    width = pdf._PAGE[0]
    column = (width - 2 * pdf._MARGIN - pdf._GUTTER) / 2
    english_right = pdf._MARGIN + column
    arabic_left = width - pdf._MARGIN - column
    with pdfplumber.open(io.BytesIO(data)) as document:
        chars = [c for page in document.pages for c in page.chars]
    english = [c for c in chars if round(c["size"]) == pdf._EN_SIZE and c["x0"] < width / 2]
    arabic = [c for c in chars if round(c["size"]) == pdf._AR_SIZE]
    assert len(english) > 300 and len(arabic) > 100
    assert max(c["x1"] for c in english) <= english_right + 0.5
    assert min(c["x0"] for c in arabic) >= arabic_left - 0.5


def test_a_pdf_drawn_from_the_cached_arabic_lines_is_the_one_drawn_afresh(tmp_path, monkeypatch):
    """Publishing keeps each Arabic paragraph's drawn lines in the stage cache; publishing again
    (a glossary edit, a review) shapes nothing and draws the same bytes as a PDF drawn afresh.
    A damaged entry is shaped again, and an entry holds the document's paragraphs of now only."""
    from qantara.publish import pdf, publish_document, shape_cache

    doc = bitext_of(tuple(Paragraph(i, t) for i, t in enumerate(PARAGRAPHS)))
    afresh = render_pdf(doc)
    out = tmp_path / "out"
    publish_document(doc, out)
    cache = shape_cache(out)
    key = cache.shape_key(doc.stem)
    kept = cache.load_map("shape", key, lambda v: True)
    assert sorted(kept) == sorted(set(PARAGRAPHS))  # each distinct paragraph once
    shaped: list[str] = []
    real = pdf._arabic_lines
    monkeypatch.setattr(pdf, "_arabic_lines", lambda text, *rest: shaped.append(text) or real(text, *rest))
    publish_document(doc, out)
    assert shaped == [] and (out / "doc" / "doc.pdf").read_bytes() == afresh

    (out / ".qantara-cache" / "shape" / f"{key}.json").write_text('{"لمَّا": [1', encoding="utf-8")
    publish_document(doc, out)
    assert sorted(shaped) == sorted(set(PARAGRAPHS)) and (out / "doc" / "doc.pdf").read_bytes() == afresh
    assert cache.load_map("shape", key, lambda v: True) == kept

    shorter = bitext_of(tuple(Paragraph(i, t) for i, t in enumerate(PARAGRAPHS[:2])))
    publish_document(shorter, out)
    assert sorted(cache.load_map("shape", key, lambda v: True)) == sorted(PARAGRAPHS[:2])


def test_the_cached_lines_key_changes_with_the_font(monkeypatch):
    from qantara.publish import pdf

    fonts = [p for p in ARABIC_FONTS if p.is_file()]
    other = next((p for p in Path("/usr/share/fonts").rglob("*.ttf") if p not in fonts), None)
    if other is None:
        pytest.skip("only one font installed")
    before = pdf.shaping_version()
    monkeypatch.setattr(pdf, "ARABIC_FONTS", (other,))
    assert pdf.shaping_version() != before
