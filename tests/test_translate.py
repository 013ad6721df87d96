"""The CTranslate2 path on a generated argos package: batching, chunking, call counting."""

from __future__ import annotations

import dataclasses
import os
import zipfile

import pytest

from support.argos_package import build_argos_package, default_corpus
from qantara.config import Settings
from qantara.errors import InvalidPackage
from qantara.models import InstalledPackage, read_installed_package
from qantara.translate import (
    CTranslate2Translator,
    Translator,
    decode_pieces,
    split_long_sentence,
)

SENTENCES = [
    "العلاقات بين دول الخليج وآسيا الوسطى شهدت تطورا كبيرا في السنوات الأخيرة.",
    "قال الوزير.",
    "وقعت المملكة العربية السعودية اتفاقيات مع كازاخستان في مجالات الطاقة والتجارة والنقل.",
    "نعم",
    "The forum was held in Tashkent.",
    "ناقش الرئيس التعاون الاقتصادي والأمني مع قطر والإمارات.",
]
LONG = (
    "وأكد الوزير أن التعاون بين دول الخليج وآسيا الوسطى يشمل الطاقة والتجارة، "
    "والاستثمار في الزراعة والنقل والتعليم، وقد وقعت الحكومتان اتفاقيات جديدة؛ "
    "وناقش الطرفان مشاريع مشتركة في الثقافة والسياحة والصحة والبنية التحتية، "
    "وأعلن الرئيس عن قمة جديدة في العام المقبل لبحث الأمن الإقليمي والتنمية المستدامة"
)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> InstalledPackage:
    workdir = tmp_path_factory.mktemp("translate-package")
    with zipfile.ZipFile(build_argos_package(workdir)) as archive:
        archive.extractall(workdir / "packages")
    return read_installed_package(workdir / "packages" / "translate-ar_en-1_0")


def _settings(package: InstalledPackage, **changes) -> Settings:
    values = dict(packages_dir=package.path.parent, device="cpu", compute_type="float32")
    return Settings(**{**values, **changes})


@pytest.fixture(scope="module")
def translator(package) -> CTranslate2Translator:
    return CTranslate2Translator.load(package, _settings(package))


def test_satisfies_the_protocol(translator):
    checked: Translator = translator
    assert checked.calls == translator.calls


def test_one_non_empty_translation_per_input_in_one_call(translator):
    before = translator.calls
    outputs = translator.translate(SENTENCES)
    assert len(outputs) == len(SENTENCES)
    assert all(isinstance(o, str) and o.strip() for o in outputs)
    assert translator.calls == before + 1


def test_batched_output_equals_one_at_a_time(package, translator):
    batched = translator.translate(SENTENCES)
    singles = [translator.translate([sentence])[0] for sentence in SENTENCES]
    assert batched == singles
    # Several token batches inside the one call change nothing either.
    small_batches = CTranslate2Translator.load(package, _settings(package, batch_tokens=24))
    assert small_batches.translate(SENTENCES) == batched
    assert small_batches.calls == 1


def test_default_threads_are_one_batch_per_core_one_thread_each(package, translator):
    cores = len(os.sched_getaffinity(0))
    assert Settings(device="cpu").resolved_threads() == (cores, 1)
    assert Settings(device="cpu", inter_threads=3, intra_threads=2).resolved_threads() == (3, 2)
    assert translator.translator.num_translators == cores


def test_every_worker_gets_several_batches(package):
    four = CTranslate2Translator.load(package, _settings(package, inter_threads=4, batch_tokens=100))
    assert four.batch_tokens(10_000) == 100  # many tokens: the configured size
    assert four.batch_tokens(800) == 50  # few: 16 batches, four for each worker
    assert four.batch_tokens(3) == 1


def test_many_sentences_across_workers_equal_one_at_a_time(package, translator):
    sentences = [line for line in default_corpus()[:60] if line.strip()]
    assert translator.translate(sentences) == [translator.translate([s])[0] for s in sentences]


def test_order_of_inputs_is_restored(translator):
    forward = translator.translate(SENTENCES)
    backward = translator.translate(SENTENCES[::-1])
    assert backward == forward[::-1]


def test_empty_inputs_make_no_model_call(translator):
    before = translator.calls
    assert translator.translate([]) == []
    assert translator.translate(["", "   "]) == ["", ""]
    assert translator.calls == before


def test_blank_sentences_keep_their_place(translator):
    outputs = translator.translate(["", SENTENCES[0], " "])
    assert outputs[0] == outputs[2] == ""
    assert outputs[1] == translator.translate([SENTENCES[0]])[0]


def test_long_sentence_is_cut_and_every_piece_translated(package):
    limit = 24
    chunked = CTranslate2Translator.load(package, _settings(package, max_sentence_tokens=limit))
    parts = split_long_sentence(LONG, chunked.count_tokens, limit)
    assert len(parts) >= 3
    assert all(chunked.count_tokens(part) <= limit for part in parts)
    assert " ".join(parts) == LONG
    before = chunked.calls
    (whole,) = chunked.translate([LONG])
    assert chunked.calls == before + 1
    pieces = chunked.translate(parts)
    assert all(piece.strip() for piece in pieces)
    assert whole == " ".join(pieces)


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    "sentence, limit, expected",
    [
        ("قصيرة جدا", 5, ["قصيرة جدا"]),
        ("أ ب، ج د، هـ ز", 4, ["أ ب، ج د،", "هـ ز"]),
        ("أ ب؛ ج د؛ هـ ز", 2, ["أ ب؛", "ج د؛", "هـ ز"]),
        ("أ ب ج وقال د هـ", 3, ["أ ب ج", "وقال د هـ"]),
        ("أ ب ج د هـ ز", 2, ["أ ب", "ج د", "هـ ز"]),
        ("أ ب، ج د هـ ز ح", 2, ["أ ب،", "ج د", "هـ ز", "ح"]),
        ("كلمةطويلةجدا", 0, ["كلمةطويلةجدا"]),
    ],
)
def test_split_long_sentence(sentence, limit, expected):
    assert split_long_sentence(sentence, _words, limit) == expected


def test_signature_names_package_compute_type_and_beam(translator):
    assert translator.signature == "model:translate-ar_en-1_0@1.0|compute:float32|beam:4"


def test_int8_is_the_cpu_default(package):
    loaded = CTranslate2Translator.load(package, _settings(package, compute_type="auto"))
    assert "compute:int8" in loaded.signature


def test_broken_model_is_an_invalid_package(package, tmp_path):
    broken = tmp_path / package.name
    (broken / "model").mkdir(parents=True)
    (broken / "model" / "model.bin").write_bytes(b"garbage")
    (broken / "sentencepiece.model").write_bytes((package.path / "sentencepiece.model").read_bytes())
    with pytest.raises(InvalidPackage, match=str(broken)):
        CTranslate2Translator.load(dataclasses.replace(package, path=broken), _settings(package))


class _JoiningProcessor:
    """Stands in for SentencePiece: decode_pieces concatenates, as it does for these."""

    def decode_pieces(self, pieces: list[str]) -> str:
        return "".join(pieces)


@pytest.mark.parametrize(
    "pieces, prefix, expected",
    [
        (["▁Hello", "▁world"], "", "Hello world"),
        (["__en__", "▁Hello", "▁world"], "__en__", "Hello world"),
        (["▁Hi", "__en__"], "__en__", "Hi  en  "),  # only a leading prefix token goes
        (["▁Hi"], "▁Hi", ""),
        (["ab", "c"], "a", "bc"),  # argos's check on the decoded string, kept
        (["▁snake", "_case"], "", "snake case"),  # argos turns underscores into spaces
        (["▁▁Hi"], "", " Hi"),  # only the first space is dropped
        ([], "", ""),
    ],
)
def test_decode_like_argos(pieces, prefix, expected):
    assert decode_pieces(_JoiningProcessor(), pieces, prefix) == expected


def test_target_prefix_is_forced_and_stripped(package, translator):
    prefix = translator.processor.id_to_piece(50)
    prefixed = CTranslate2Translator.load(
        dataclasses.replace(package, target_prefix=prefix), _settings(package)
    )
    outputs = prefixed.translate(SENTENCES)
    assert outputs != translator.translate(SENTENCES)
    assert all(output.strip() for output in outputs)


def test_scores_are_mean_log_probabilities_per_token(translator):
    scored = translator.translate_scored(SENTENCES + [" "])
    assert [text for text, _ in scored] == translator.translate(SENTENCES + [" "])
    scores = [score for _, score in scored]
    assert scores[-1] is None  # nothing was sent for a blank sentence
    # log-probabilities: at most 0, and exp of each a geometric-mean token probability
    assert all(score is not None and -30 < score <= 0 for score in scores[:-1])


def test_token_log_prob_undoes_length_normalisation():
    from qantara.translate import token_log_prob

    # CTranslate2: score = summed log-prob / length ** penalty; per token: summed / length.
    assert token_log_prob(-6.0 / 8**0.2, 8, 0.2) == pytest.approx(-6.0 / 8)
    assert token_log_prob(-3.0, 1, 0.2) == -3.0
