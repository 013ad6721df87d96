"""Machine translation with an argos package's tokenizer and a CTranslate2 Translator.

argostranslate calls CTranslate2 once per paragraph with a 32-token batch budget, in
practice one sentence at a time, and its sentence splitters download models at first use.
Here the caller hands over every pending sentence of a run; they are tokenized with the
package's SentencePiece model, sorted by length and sent in one ``translate_batch`` call
with token-sized batches, then decoded and target-prefix-stripped exactly as argos does.
argostranslate itself is never imported on this path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from .config import Settings
from .errors import InvalidPackage
from .models import InstalledPackage

# argos's decoding options (argostranslate.translate.apply_packaged_translation).
_LENGTH_PENALTY = 0.2
_BATCHES_PER_WORKER = 4
# Clause boundaries, tried in order when a sentence is too long for the model: after
# Arabic comma / semicolon, then before a word starting with the conjunction و, then at
# any space. Each part keeps its own punctuation.
_CLAUSE_SPLITTERS = (
    re.compile(r"(?<=[،؛,;])\s+"),
    re.compile(r"\s+(?=و\S)"),
    re.compile(r"\s+"),
)


class Translator(Protocol):
    signature: str
    calls: int  # model calls made so far

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


def translate_scored(translator, sentences: Sequence[str]) -> list[tuple[str, float | None]]:
    """(english, score) per sentence from any translator: its own ``translate_scored`` when it
    has one, else its ``translate`` with no scores."""
    scored = getattr(translator, "translate_scored", None)
    if scored is not None:
        return list(scored(sentences))
    return [(english, None) for english in translator.translate(sentences)]


def split_long_sentence(
    sentence: str, count_tokens: Callable[[str], int], limit: int, level: int = 0
) -> list[str]:
    """Cut ``sentence`` at clause boundaries into parts of at most ``limit`` tokens.

    Parts joined with single spaces give the sentence back (up to white space). A single
    word longer than ``limit`` stays whole: it cannot be cut without changing its meaning.
    """
    if count_tokens(sentence) <= limit or level >= len(_CLAUSE_SPLITTERS):
        return [sentence]
    pieces = [p for p in _CLAUSE_SPLITTERS[level].split(sentence.strip()) if p]
    if len(pieces) == 1:
        return split_long_sentence(sentence, count_tokens, limit, level + 1)
    parts: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current} {piece}" if current else piece
        if current and count_tokens(joined) > limit:
            parts.append(current)
            current = piece
        else:
            current = joined
    parts.append(current)
    return [
        chunk
        for part in parts
        for chunk in split_long_sentence(part, count_tokens, limit, level + 1)
    ]


def token_log_prob(score: float, length: int, length_penalty: float = _LENGTH_PENALTY) -> float:
    """CTranslate2's hypothesis score (summed log-probability / length ** length_penalty) as
    the mean log-probability per token, comparable across lengths: exp of it is the geometric
    mean of the token probabilities."""
    return score * max(1, length) ** length_penalty / max(1, length)


def decode_pieces(processor, pieces: Sequence[str], target_prefix: str) -> str:
    """Detokenize like argos's SentencePieceTokenizer.decode and strip the target prefix.

    argos strips the prefix from the decoded string, after its decode has turned ``_``
    into spaces, so a prefix such as ``__en__`` survives there; the forced prefix token is
    dropped before decoding here, and argos's string check is kept for other prefixes.
    """
    pieces = list(pieces)
    if target_prefix and pieces[:1] == [target_prefix]:
        pieces = pieces[1:]
    value = processor.decode_pieces(pieces).replace("▁", " ").replace("_", " ")
    if target_prefix and value.startswith(target_prefix):
        value = value[len(target_prefix) :]
    if value.startswith(" "):
        value = value[1:]
    return value


def model_signature(package: InstalledPackage) -> str:
    """The package part of the signature; known without loading the model."""
    return f"{package.name}@{package.version}"


def decoding_signature(compute_type: str, settings: Settings) -> str:
    return f"compute:{compute_type}|beam:{settings.beam_size}"


@dataclass
class CTranslate2Translator:
    package: InstalledPackage
    settings: Settings
    compute_type: str
    translator: object  # ctranslate2.Translator
    processor: object  # sentencepiece.SentencePieceProcessor
    calls: int = 0

    @classmethod
    def load(cls, package: InstalledPackage, settings: Settings) -> CTranslate2Translator:
        import ctranslate2
        import sentencepiece

        try:
            processor = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model")
            )
        except (OSError, RuntimeError) as exc:
            raise InvalidPackage(package.path, f"sentencepiece.model does not load ({exc})") from None
        compute_type = settings.resolved_compute_type()
        inter_threads, intra_threads = settings.resolved_threads()
        try:
            translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=settings.resolved_device(),
                compute_type=compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
        except (OSError, RuntimeError, ValueError) as exc:
            raise InvalidPackage(package.path, f"model/ does not load in CTranslate2 ({exc})") from None
        return cls(package, settings, compute_type, translator, processor)

    @property
    def model_signature(self) -> str:
        return model_signature(self.package)

    @property
    def decoding_signature(self) -> str:
        return decoding_signature(self.compute_type, self.settings)

    @property
    def signature(self) -> str:
        return f"model:{self.model_signature}|{self.decoding_signature}"

    def batch_tokens(self, total: int) -> int:
        """Tokens per batch for a call translating ``total`` tokens.

        The batches of one call are shared out among ``inter_threads`` workers; each worker
        gets at least `_BATCHES_PER_WORKER` of them, so that the last batches, which hold the
        longest sentences, do not leave cores idle while one finishes (``batch_tokens`` is
        the most).
        """
        workers = self.translator.num_translators
        return max(1, min(self.settings.batch_tokens, -(-total // (workers * _BATCHES_PER_WORKER))))

    def count_tokens(self, text: str) -> int:
        return len(self.processor.encode(text, out_type=str))

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """One translation per sentence, in order, with at most one model call."""
        return [english for english, _ in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str]) -> list[tuple[str, float | None]]:
        """(translation, score) per sentence, in order, with at most one model call. The score
        is the mean log-probability per target token (:func:`token_log_prob`); None for an
        empty sentence."""
        owners: list[int] = []  # sentence index of each part sent to the model
        tokens: list[list[str]] = []
        limit = self.settings.max_sentence_tokens
        for index, sentence in enumerate(sentences):
            if not sentence.strip():
                continue
            whole = self.processor.encode(sentence, out_type=str)
            parts = (
                [whole]
                if len(whole) <= limit
                else [
                    self.processor.encode(part, out_type=str)
                    for part in split_long_sentence(sentence, self.count_tokens, limit)
                ]
            )
            owners += [index] * len(parts)
            tokens += parts
        outputs = [""] * len(sentences)
        if not tokens:
            return [(text, None) for text in outputs]
        # Sorting by length packs similar lengths into each batch, so little padding.
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        prefix = self.package.target_prefix
        results = self.translator.translate_batch(
            [tokens[i] for i in order],
            target_prefix=[[prefix]] * len(order) if prefix else None,
            max_batch_size=self.batch_tokens(sum(map(len, tokens))),
            batch_type="tokens",
            beam_size=self.settings.beam_size,
            length_penalty=_LENGTH_PENALTY,
            replace_unknowns=True,
            return_scores=True,
        )
        self.calls += 1
        translated = [""] * len(tokens)
        log_probs = [(0.0, 0)] * len(tokens)  # (summed log-probability, target tokens) per part
        for position, result in zip(order, results):
            translated[position] = decode_pieces(self.processor, result.hypotheses[0], prefix)
            length = max(1, len(result.hypotheses[0]))
            log_probs[position] = (token_log_prob(result.scores[0], length) * length, length)
        sums: dict[int, tuple[float, int]] = {}
        for owner, text, (log_prob, length) in zip(owners, translated, log_probs):
            outputs[owner] = f"{outputs[owner]} {text}" if outputs[owner] else text
            total, count = sums.get(owner, (0.0, 0))
            sums[owner] = (total + log_prob, count + length)
        # A sentence cut into parts scores as the parts' tokens together.
        return [(text, sums[k][0] / sums[k][1] if k in sums else None) for k, text in enumerate(outputs)]
