"""One short string naming everything that changes Qantara's output (after sacrebleu), and
the keys that decide what a run must make again.

Each stage contributes its parts, in the order the stages run:

- reading (extraction + repair): the PDF library, the OCR engine (or ``off``), the lexicon the
  repair steps use, and the repair steps;
- segmentation: the glossary's version;
- translation: the model package and version and the decoding settings, the sentence length
  limit among them;

and the whole: Qantara's version with a hash of the package's code and data. The parts are
joined with ``|`` (``qantara:0.1.0+1a2b3c4d5e6f|pdfplumber:0.11.10|ocr:tesseract-5.3.0|...``), so
two outputs with equal signatures were made the same way. The stage keys add the hash of each
stage's own code, so a cached stage (:mod:`qantara.cache`) is reused exactly while nothing it
depends on changed, and never again once something did. The damage verdicts on names the run
suggests for the glossary have a key of their own (their code and wordfreq's version).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from .arabic.lexicon import lexicon_signature
from .config import LIMITS, RESOURCE_LIMITS, Settings
from .extraction.ocr.tesseract import tesseract_version
from .models import InstalledPackage
from .repair import STEPS
from .translate import decoding_signature, model_signature

_PACKAGE = Path(__file__).resolve().parent
# The code each cached stage runs, as parts of the package (folders or files); test_signature
# checks that each covers everything its stage imports.
STAGE_CODE = {
    "read": ("arabic", "layout", "extraction", "repair", "data", "read.py", "record.py", "types.py", "errors.py",
             "progress.py", "config.py", "bounded.py"),
    "segment": ("segment.py", "glossary", "arabic", "record.py", "types.py", "errors.py", "fs.py"),
    # Whether a name looks like extraction damage (glossary suggestions).
    "damage": ("glossary", "arabic", "types.py", "errors.py"),
}
_TOOLS = ("pdfplumber", "ocr", "lexicon")
_TRANSLATION = ("model", "compute", "beam", "max-tokens")
# The limits that change what a document reads as (a page drawn smaller for OCR, a line cut);
# the time, CPU and memory limits decide only whether it is read at all.
_READ_SETTINGS = tuple(name for name in LIMITS if name not in RESOURCE_LIMITS)
# The settings that shape outputs. Folders, threads and batch sizes change how fast, not what.
_OUTPUT_SETTINGS = ("ocr", "from_code", "to_code", "device", "compute_type", "beam_size", "max_sentence_tokens",
                    *_READ_SETTINGS)


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def _hash(*values: str) -> str:
    digest = hashlib.sha256()
    for value in values:
        digest.update(value.encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:12]


def code_hash(parts: tuple[str, ...] | None = None) -> str:
    """A hash of the package's files in ``parts`` (folders or files), or of all of them."""
    digest = hashlib.sha256()
    roots = [_PACKAGE / part for part in parts] if parts is not None else [_PACKAGE]
    files = sorted({f for root in roots for f in (root.rglob("*") if root.is_dir() else [root])})
    for file in files:
        if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc":
            digest.update(str(file.relative_to(_PACKAGE)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def code_version() -> str:
    """Qantara's version plus a hash of all its code and data: any change remakes every output."""
    return f"{version('qantara')}+{code_hash()}"


@cache
def _tool_parts(ocr: bool) -> tuple[tuple[str, str], ...]:
    engine = tesseract_version()
    ocr_part = "off" if not ocr else (f"tesseract-{engine}+pdfium-{version('pypdfium2')}" if engine else "none")
    return (("pdfplumber", version("pdfplumber")), ("ocr", ocr_part), ("lexicon", lexicon_signature()))


@dataclass(frozen=True)
class Signature:
    """Everything that shapes the outputs, part by part, with each stage's key."""

    parts: tuple[tuple[str, str], ...]  # (name, value), printed in this order
    stages: dict[str, str] = field(default_factory=dict)  # stage -> key of everything it depends on

    def __str__(self) -> str:
        return "|".join(f"{name}:{value}" for name, value in self.parts)

    def part(self, name: str) -> str:
        return dict(self.parts)[name]

    @property
    def translation(self) -> str:
        """The translation stage's parts: what keys machine translations in the memory."""
        return self._joined(_TRANSLATION)

    @property
    def tools(self) -> str:
        """The libraries and engines reading depends on, apart from Qantara's own code."""
        return self._joined(_TOOLS)

    def _joined(self, names: tuple[str, ...]) -> str:
        return "|".join(f"{n}:{v}" for n, v in self.parts if n in names)


def build_signature(settings: Settings, *, glossary: str, package: InstalledPackage | None) -> Signature:
    """The signature of a run with these settings, glossary version and model package."""
    read = _tool_parts(settings.ocr) + (("repair", "+".join(STEPS)),)
    translate: tuple[tuple[str, str], ...] = (("model", model_signature(package) if package else "none"),)
    if package is not None:
        decoding = decoding_signature(settings.resolved_compute_type(), settings)
        translate += tuple(tuple(p.split(":", 1)) for p in decoding.split("|"))
        translate += (("max-tokens", str(settings.max_sentence_tokens)),)
    parts = (("qantara", code_version()),) + read + (("glossary", glossary),) + translate
    read_key = _hash(code_hash(STAGE_CODE["read"]), *(f"{n}:{v}" for n, v in read),
                     *(f"{name}={getattr(settings, name)}" for name in _READ_SETTINGS))
    return Signature(parts, {
        "read": read_key,
        "segment": _hash(read_key, code_hash(STAGE_CODE["segment"]), f"glossary:{glossary}"),
        "damage": _hash(code_hash(STAGE_CODE["damage"]), f"wordfreq:{version('wordfreq')}"),
    })


def settings_version(settings: Settings) -> str:
    """A hash of the settings that change outputs (folders, threads and batch sizes are left out)."""
    return _hash(*(f"{name}={getattr(settings, name)}" for name in _OUTPUT_SETTINGS))
