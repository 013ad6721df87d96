"""Kashida justification: the tatweel character (U+0640) only stretches a word, so it goes."""

from __future__ import annotations

TATWEEL = "\u0640"


def strip_tatweel(text: str) -> str:
    return text.replace(TATWEEL, "")
