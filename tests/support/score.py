"""Character error rate of an extraction against the generated truth.

Both sides are compared as one flat text (Unicode NFC, any run of white space one space), so
that a paragraph split differently costs nothing while every letter, mark, digit and
punctuation sign out of place, missing or extra costs one edit.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def flat(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def cer(truth: list[str] | str, text: str) -> float:
    from rapidfuzz.distance import Levenshtein

    reference = flat(truth if isinstance(truth, str) else "\n".join(truth))
    return Levenshtein.distance(reference, flat(text)) / max(1, len(reference))


def paragraphs_of(document) -> list[str]:
    """An extracted document's lines joined into paragraphs by their block ids."""
    out: list[str] = []
    last = None
    for page in document.pages:
        for line in page.lines:
            if line.block == last and out:
                out[-1] += " " + line.text
            else:
                out.append(line.text)
            last = line.block
    return out
