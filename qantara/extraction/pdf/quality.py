"""Whether a page's text layer says what the page shows.

Some fonts map their glyphs to the wrong code points (a subset font whose ToUnicode table was
rebuilt from glyph names, a calligraphic font with its own encoding): the text layer then
holds real Arabic letters that spell nothing. Such a page is recognised by its words: in any
Arabic text nearly every word is one Hunspell or wordfreq knows (0.96 or more on every clean
page tried, from news to legal gazettes), while a garbled layer gets about half of them.
"""

from __future__ import annotations

from typing import Iterable

from ...arabic.lexicon import Lexicon, bare, default_lexicon

# Below this share of known Arabic words a page's text layer is garbled.
_MIN_KNOWN = 0.7
# Fewer Arabic words than this say nothing either way (a title, a label, an English page).
_MIN_WORDS = 15
# Enough words to judge a page; checking every word of a dense page would cost more than
# parsing it.
_SAMPLE = 80


def known_word_share(lines: Iterable[str], lexicon: Lexicon) -> tuple[float, int]:
    """Share of a page's Arabic words the lexicon knows, over an even sample of them, and
    how many words were judged."""
    words = [w for line in lines for w in line.split()]
    step = max(1, len(words) // _SAMPLE)
    judged = known = 0
    for word in words[::step]:
        letters = bare(word)
        if not letters or not ("\u0621" <= letters[0] <= "\u06d3"):
            continue
        verdict = lexicon.known(word)
        if verdict is None:
            continue
        judged += 1
        known += verdict
    return (known / judged if judged else 1.0), judged


def is_garbled(lines: Iterable[str], lexicon: Lexicon | None = None) -> bool:
    """True when a page's Arabic words are mostly not words: its text layer maps glyphs to
    wrong letters. Without a lexicon installed nothing can be judged, and nothing is flagged."""
    if lexicon is None:
        lexicon, _ = default_lexicon()
        if lexicon is None:
            return False
    share, judged = known_word_share(lines, lexicon)
    return judged >= _MIN_WORDS and share < _MIN_KNOWN
