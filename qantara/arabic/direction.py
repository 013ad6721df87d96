"""Which way a text runs, and which language it is in, by one rule for every stage: a text is
Latin (left to right; English) when its Latin letters outnumber its Arabic-script ones, and
Arabic (right to left) otherwise. Digits and punctuation have no direction of their own and
are not counted."""

from __future__ import annotations

import re

from .charsets import LETTERS, PRESENTATION_FORMS

_ARABIC = re.compile(f"[{LETTERS}{PRESENTATION_FORMS}]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def is_latin(text: str) -> bool:
    return len(_LATIN.findall(text)) > len(_ARABIC.findall(text))


def direction(text: str) -> str:
    """"ltr" or "rtl"."""
    return "ltr" if is_latin(text) else "rtl"


def language(text: str) -> str:
    """"en" or "ar"."""
    return "en" if is_latin(text) else "ar"
