"""One short string naming everything that changes Qantara's output (after sacrebleu).

Each component supplies its own ``name:value`` part; the parts are joined with ``|`` in a
fixed order so that two outputs with equal signatures were made the same way.
"""

from __future__ import annotations

from importlib import metadata


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def build_signature(*, glossary: str, model: str | None, decoding: str | None) -> str:
    parts = [
        f"qantara:{_version('qantara')}",
        f"pdfplumber:{_version('pdfplumber')}",
        f"glossary:{glossary}",
        f"model:{model or 'none'}",
    ]
    if decoding:
        parts.append(decoding)
    return "|".join(parts)
