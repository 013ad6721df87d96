"""Build real argos-format ``.argosmodel`` packages for tests and benchmarks.

A package is a zip holding one folder with ``metadata.json``, ``sentencepiece.model`` and
``model/`` (a CTranslate2 Transformer). The Transformer here is written with
``ctranslate2.specs`` and seeded random weights: its output is nonsense, but it is loaded,
tokenized, batched and decoded exactly like a real argos package, which is what the tests
need. Not a test module (no ``test_`` prefix); tests and benchmarks import it.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
_FLORES = SHARED / "eval" / "flores200_devtest"
_CORPUS_LINES = 300  # per language; enough for a 300-piece vocabulary, trained in ~0.1 s
_MAX_POSITIONS = 1024
_SLOPE = 0.05  # dimension 0 of the residual stream at position t
_LAYER_OUTPUT_SCALE = 0.3
_EOS_SHARPNESS = 40.0  # </s> logit change per unit of (dim0 - dim1): 2 per decoding step

_AR_WORDS = (
    "العلاقات بين دول الخليج وآسيا الوسطى شهدت تطورا كبيرا في السنوات الأخيرة "
    "وقد وقعت المملكة العربية السعودية والإمارات وقطر اتفاقيات مع كازاخستان وأوزبكستان "
    "في مجالات الطاقة والتجارة والاستثمار والنقل والزراعة والتعليم والثقافة "
    "الرئيس الوزير الحكومة الشركة المشروع التعاون الاقتصادي السياسي الأمني الدولي "
    "قال أعلن زار استقبل أكد ناقش بحث اتفق وقع افتتح عقد اجتماع مؤتمر قمة منتدى"
).split()
_EN_WORDS = (
    "relations between the Gulf states and Central Asia have developed greatly in recent "
    "years Saudi Arabia the United Arab Emirates and Qatar signed agreements with Kazakhstan "
    "Uzbekistan in energy trade investment transport agriculture education culture president "
    "minister government company project economic political security international cooperation "
    "said announced visited received confirmed discussed agreed opened held meeting summit forum"
).split()


def default_corpus() -> list[str]:
    """FLORES devtest lines when ../shared is present, else generated Arabic/English lines."""
    arabic, english = _FLORES / "arb_Arab.devtest", _FLORES / "eng_Latn.devtest"
    if arabic.is_file() and english.is_file():
        lines = []
        for path in (arabic, english):
            lines += path.read_text("utf-8").splitlines()[:_CORPUS_LINES]
        return lines
    rng = random.Random(0)
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(5, 20))) + "."
        for words in (_AR_WORDS, _EN_WORDS)
        for _ in range(_CORPUS_LINES)
    ]


def _train_sentencepiece(corpus: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,  # a tiny corpus may not support the full vocabulary
        num_threads=1,  # deterministic
        minloglevel=2,
    )
    return model.getvalue()


def _write_model(
    model_dir: Path,
    pieces: list[str],
    *,
    num_layers: int,
    num_heads: int,
    d_model: int,
    ffn: int,
    seed: int,
    length_ratio: float,
) -> None:
    """Random weights, except for two residual dimensions that make output lengths real.

    Dimension 0 carries the position (``_SLOPE * t``, from the position encodings, which
    no layer writes to); the first decoder layer's cross-attention, with zero queries,
    averages the source positions into dimension 1; the </s> logit reads ``dim0 - dim1``
    (every other logit ignores both), so decoding stops after about
    ``length_ratio`` times the source length, as a real model's output does. Without
    that, a random model's output length is random and mostly the 256-token maximum.
    """
    from ctranslate2.specs import TransformerSpec
    from ctranslate2.specs.transformer_spec import PositionEncoderSpec

    rng = np.random.default_rng(seed)
    vocab = len(pieces)

    def dense(rows: int, cols: int, scale: float = 1.0) -> np.ndarray:
        return (scale * rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def embeddings() -> np.ndarray:
        weight = dense(vocab, d_model)
        weight[:, :2] = 0
        return weight

    def residual_out(rows: int, cols: int) -> np.ndarray:
        # Small layer outputs keep the residual stream near unit scale, so layer norms
        # divide dims 0 and 1 by about the same amount at every position.
        weight = dense(rows, cols, _LAYER_OUTPUT_SCALE)
        weight[:2] = 0
        return weight

    def positions() -> PositionEncoderSpec:
        spec = PositionEncoderSpec()
        encodings = np.zeros((_MAX_POSITIONS, d_model), np.float32)
        encodings[:, 0] = _SLOPE * np.arange(_MAX_POSITIONS)
        spec.encodings = encodings
        return spec

    def norm(layer_norm) -> None:
        layer_norm.gamma = np.ones(d_model, np.float32)
        layer_norm.beta = np.zeros(d_model, np.float32)

    def feed_forward(spec) -> None:
        norm(spec.layer_norm)
        spec.linear_0.weight = dense(ffn, d_model)
        spec.linear_1.weight = residual_out(d_model, ffn)

    spec = TransformerSpec.from_config(num_layers, num_heads)
    spec.encoder.embeddings[0].weight = embeddings()
    spec.encoder.position_encodings = positions()
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = dense(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = residual_out(d_model, d_model)
        feed_forward(layer.ffn)
    norm(spec.encoder.layer_norm)

    spec.decoder.embeddings.weight = embeddings()
    spec.decoder.position_encodings = positions()
    for index, layer in enumerate(spec.decoder.layer):
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = dense(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = residual_out(d_model, d_model)
        norm(layer.attention.layer_norm)
        query = dense(d_model, d_model)
        key_value = dense(2 * d_model, d_model)
        output = residual_out(d_model, d_model)
        if index == 0:
            # Zero queries attend uniformly to the source: the value of dim 0 averages the
            # source positions, (n - 1) / 2 * _SLOPE, written to dim 1 scaled to ratio * n.
            query[:] = 0
            key_value[d_model + 1] = 0
            key_value[d_model + 1, 0] = 1
            output[:, 1] = 0
            output[1, 1] = 2 * length_ratio
        layer.attention.linear[0].weight = query
        layer.attention.linear[1].weight = key_value
        layer.attention.linear[2].weight = output
        feed_forward(layer.ffn)
    norm(spec.decoder.layer_norm)
    projection = dense(vocab, d_model)
    projection[:, :2] = 0
    eos = pieces.index("</s>")
    projection[eos] = 0
    projection[eos, :2] = (_EOS_SHARPNESS, -_EOS_SHARPNESS)
    spec.decoder.projection.weight = projection

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    model_dir.mkdir()
    spec.save(str(model_dir))


def build_argos_package(
    workdir: Path,
    *,
    from_code: str = "ar",
    to_code: str = "en",
    version: str = "1.0",
    num_layers: int = 2,
    num_heads: int = 4,
    d_model: int = 64,
    ffn: int = 128,
    vocab_size: int = 300,
    seed: int = 0,
    corpus: list[str] | None = None,
    length_ratio: float = 1.0,
    target_prefix: str = "",
) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into ``workdir``; return its path."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    sp_model = _train_sentencepiece(corpus if corpus is not None else default_corpus(), vocab_size)

    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]

    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    target = workdir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        _write_model(
            model_dir,
            pieces,
            num_layers=num_layers,
            num_heads=num_heads,
            d_model=d_model,
            ffn=ffn,
            seed=seed,
            length_ratio=length_ratio,
        )
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
            archive.writestr(f"{name}/sentencepiece.model", sp_model)
            archive.writestr(f"{name}/README.md", "Random-weight test package.\n")
            for file in sorted(model_dir.iterdir()):
                archive.write(file, f"{name}/model/{file.name}")
    return target
