"""Overprinted glyphs: a "fake bold" heading drawn two or three times over itself.

The extractor reads every copy, so تقرير comes out تتققررييرر and a lam-alef ligature,
one glyph, comes out لالا. A word is collapsed only when all of it repeats n-fold and the
lexicon prefers the single form; a line where most words repeat that way was overprinted
as a whole (a heading), and all of it collapses, names included, spaces too.
"""

from __future__ import annotations

import re

from ..arabic.charsets import LETTERS
from ..arabic.lexicon import Lexicon, bare

_LAM_ALEF = re.compile("ل[اأإآ]")
_TOKEN = re.compile(r"\S+")
_SPACES = re.compile(r" +")
_ARABIC = re.compile(f"[{LETTERS}]")
# Words made of fewer glyphs than this say nothing alone (ممعع is مع, but لل is a word part).
MIN_UNITS = 2
# A line is overprinted as a whole when at least this share of its Arabic words repeat.
LINE_SHARE = 0.6


def single_form(token: str, times: int) -> str | None:
    """`token` with each glyph drawn once, when every glyph of it is drawn `times` times."""
    out = []
    i = 0
    while i < len(token):
        ligature = _LAM_ALEF.match(token, i)
        unit = token[i : i + 2] if ligature else token[i]
        if token[i : i + len(unit) * times] != unit * times:
            return None
        out.append(unit)
        i += len(unit) * times
    return "".join(out) if len(out) >= MIN_UNITS else None


def _repeats(token: str) -> tuple[int, str] | None:
    for times in (3, 2):
        single = single_form(token, times)
        if single is not None and _ARABIC.search(single):
            return times, single
    return None


def _prefers_single(token: str, single: str, lexicon: Lexicon | None) -> bool:
    if lexicon is None or lexicon.known(token):
        return False
    return bool(lexicon.known(single)) or any(
        lexicon.known(single[:k]) and lexicon.known(single[k:]) for k in range(2, len(bare(single)) - 1)
    )


def collapse_repeated_glyphs(text: str, lexicon: Lexicon | None) -> str:
    """Draw once every glyph an overprinted word or line drew two or three times."""
    tokens = list(_TOKEN.finditer(text))
    found = {m.start(): _repeats(m.group()) for m in tokens}
    arabic = [m for m in tokens if _ARABIC.search(m.group())]
    repeating = [m for m in arabic if found[m.start()]]
    whole = len(repeating) >= 2 and len(repeating) >= LINE_SHARE * len(arabic)
    if not repeating:
        return text
    times = max((found[m.start()][0] for m in repeating), key=[found[m.start()][0] for m in repeating].count)
    out = []
    last = 0
    for m in tokens:
        gap = text[last : m.start()]
        # Spaces were drawn n-fold with the rest of an overprinted line.
        out.append(_SPACES.sub(lambda s: " " * max(1, len(s.group()) // times), gap) if whole else gap)
        hit = found[m.start()]
        keep = m.group()
        if hit and (whole or _prefers_single(m.group(), hit[1], lexicon)):
            keep = hit[1]
        out.append(keep)
        last = m.end()
    out.append(text[last:])
    return "".join(out)
