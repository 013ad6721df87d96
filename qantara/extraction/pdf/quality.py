"""Whether a page's text layer says what the page shows.

Two kinds of wrong-letter layers:

- Glyphs named after characters that cannot stand inside an Arabic word: Ghostscript's
  pdfwrite packs a ligature's two letters into one CJK code point ("ل䐧" for "لا"), fonts
  re-encoded by a driver give ASCII ("'" for ا, "1" for ر, "N" for و), LibreOffice Impress
  with some fonts leaves Latin letters or digits between the letters of a word, and with
  the SIL fonts names a letter's glyph after a bracket. Such a character between two Arabic
  letters of one word is counted (:func:`foreign_words`), and so is a glyph named after
  punctuation that joins the two letters it stands between (:func:`wedged_symbols`); a
  real text has almost none (a typo, a number glued to a word), so the document decides: a
  page is wrong when it has several, or when the document's other pages show the same fault.
  Letters whose glyphs lost their names (:func:`stranded_blanks`) make the page unusable
  when they are many.
- Glyphs mapped to the wrong Arabic letters (a subset font whose ToUnicode table was rebuilt
  from glyph names, a calligraphic font with its own encoding): the text layer then holds
  real Arabic letters that spell nothing. Such a page is recognised by its words: in any
  Arabic text nearly every word is one Hunspell or wordfreq knows (0.96 or more on every
  clean page tried, from news to legal gazettes), while a garbled layer gets about half.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Iterator

from ...arabic.charsets import LETTERS, MARKS, SCRIPT, TATWEEL
from ...layout.glyphs import Glyph, is_unusable_text

from ...arabic.lexicon import Lexicon, bare, default_lexicon
from ...arabic.particles import PROCLITICS

_LETTER = re.compile(f"[{LETTERS}]")
_SCRIPT = re.compile(f"[{SCRIPT}]")
# Characters that do stand between the letters of Arabic words: marks, tatweel, and the
# punctuation that joins two words written without a space (و/أو, الصين–روسيا).
_JOINERS = frozenset("/-–—") | {TATWEEL}
# Words with a foreign character a page may have before its layer is doubted on its own
# (a typo or a number glued to a word happen), and share of its Arabic words they may be.
FOREIGN_WORDS = 2
FOREIGN_SHARE = 0.02
# Share of its Arabic words a page may have letters without names beside.
LOST_SHARE = 0.03
# Below this share of known Arabic words a page's text layer is garbled.
_MIN_KNOWN = 0.7
# Known-word share below which a page is doubted when the document's other pages are garbled
# (clean pages: 0.96 or more).
_CLEAN_KNOWN = 0.9
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


def page_known_share(lines: Iterable[str], lexicon: Lexicon | None = None) -> float | None:
    """A page's known-word share (:func:`known_word_share`), None when there are too few
    Arabic words to judge or no lexicon is installed (then nothing is flagged)."""
    if lexicon is None:
        lexicon, _ = default_lexicon()
        if lexicon is None:
            return None
    share, judged = known_word_share(lines, lexicon)
    return share if judged >= _MIN_WORDS else None


def is_garbled(lines: Iterable[str], lexicon: Lexicon | None = None) -> bool:
    """True when a page's Arabic words are mostly not words: its text layer maps glyphs to
    wrong letters."""
    return garbled_share(page_known_share(lines, lexicon))


def garbled_share(share: float | None) -> bool:
    """Whether a page knowing ``share`` of its words (:func:`page_known_share`) is garbled."""
    return share is not None and share < _MIN_KNOWN


def garbled_like_others(share: float | None) -> bool:
    """Whether a page of a document whose other pages are garbled is garbled too: the same
    fonts mapped the same wrong way may happen to spell more known short words on one page
    (0.69 on a re-distilled Chromium page), but not as many as a clean page does."""
    return share is not None and share < _CLEAN_KNOWN


def foreign_words(lines: Iterable[str]) -> tuple[int, int]:
    """Arabic words holding a character no Arabic word holds between two of its letters
    (anything but letters, marks and word-joining punctuation), and the Arabic words."""
    foreign = arabic = 0
    for line in lines:
        for word in line.split():
            if not _LETTER.search(word):
                continue
            arabic += 1
            foreign += _has_foreign(word)
    return foreign, arabic


@lru_cache(maxsize=65536)
def _has_foreign(word: str) -> bool:
    letters = [i for i, ch in enumerate(word) if _LETTER.match(ch)]
    # Arabic glues a proclitic to a Latin word ("وPython", "الـGDP") but no accented Latin,
    # Greek or Cyrillic letter to an Arabic one: a font re-encoded by Ghostscript names its
    # glyphs "ÿدكن", "ĉĂĤďآ".
    bare_ = [ch for ch in word if not unicodedata.combining(ch)]
    for a, b in zip(bare_, bare_[1:]):
        for letter, other in ((a, b), (b, a)):
            if (letter != TATWEEL and _LETTER.match(letter) and other.isalpha() and not other.isascii()
                    and not _SCRIPT.match(other)):
                return True
    for i in range(letters[0] + 1, letters[-1]):
        ch = word[i]
        if _LETTER.match(ch) or ch in _JOINERS or unicodedata.combining(ch) or re.match(f"[{MARKS}]", ch):
            continue
        if unicodedata.category(ch).startswith("P") and ch not in "'\"`":
            continue  # punctuation glued between two words (a missing space), not a glyph's name
        if i == 1 and ch in "'\"" and word[0] in PROCLITICS:
            continue  # a proclitic glued to a quotation it governs ('و"حالة')
        return True
    return False


# Symbols a glyph may be named after (ASCII and Latin-1 punctuation), and those that do join
# two words written without a space.
_SYMBOL = re.compile(r"[!-/:-@\[-`{-~\u00a1-\u00bf]")
_WORD_JOINING = frozenset("/-")
# Punctuation that ends a clause: glued to the next word, it is the commonest typo of Arabic
# text ("أسابيع.وتخطط"), not a letter under a wrong name.
_CLAUSE_ENDS = frozenset(".,;:!?")


def wedged_symbols(lines: Iterable[Iterable[Glyph]]) -> int:
    """Glyphs named after a symbol, standing alone between two Arabic letters they touch on
    both sides: a letter's glyph under a wrong name (LibreOffice with Scheherazade names
    medial yeh "("). Kashida glyphs named after a symbol are known by their copies laid
    over each other (layout.glyphs.name_stretchers names them tatweel before this count).
    Punctuation keeps its distance from letters, or a space glyph comes before or after it
    in the producer's order however close the font draws it (Lateef's quotes and full stops
    touch the letters beside them), or it ends a clause before a missing space."""
    count = 0
    for glyphs in lines:
        glyphs = list(glyphs)
        spaced = {s for g in glyphs if g.is_space and g.seq >= 0 for s in (g.seq - 1, g.seq + 1)}
        row = sorted((g for g in glyphs if not g.is_mark and not g.is_space and g.x1 - g.x0 >= 0.01),
                     key=lambda g: g.x0)
        for left, g, right in zip(row, row[1:], row[2:]):
            if (len(g.text) != 1 or not _SYMBOL.match(g.text) or g.text in _WORD_JOINING or g.text in _CLAUSE_ENDS
                    or (g.seq >= 0 and g.seq in spaced)):
                continue
            tol = 0.1 * g.size
            # A letter under a wrong name is the letters' own font's glyph; punctuation from a
            # fallback font is punctuation however close it is drawn (Typst's quotes).
            count += ((g.drawn_in_font_of(left) or g.drawn_in_font_of(right))
                      and g.x0 - left.x1 < tol and right.x0 - g.x1 < tol
                      and bool(_LETTER.match(left.text[-1:])) and bool(_LETTER.match(right.text[:1])))
    return count


def stranded_blanks(lines: Iterable[Iterable[Glyph]]) -> int:
    """Glyphs without text that stand for letters: a run of them touching an Arabic letter
    on one side and white on the other (an alef at a word's edge whose name a re-distilling
    lost). A run between two glyphs it touches is a kashida or connector, and one apart from
    any letter a bullet or ornament: neither counts."""
    return sum(kind == "stranded" for kind, _ in _blank_runs(lines))


def joining_blanks(lines: Iterable[Iterable[Glyph]]) -> int:
    """Glyphs without text that join letters: kashida and connectors, laid over the letters
    they stretch or between two glyphs they touch (LibreOffice justifies a narrow Arabic
    column with hundreds of them, a quarter of a page's glyphs)."""
    return sum(length for kind, length in _blank_runs(lines) if kind == "joins")


def _blank_runs(lines: Iterable[Iterable[Glyph]]) -> Iterator[tuple[str, int]]:
    """Each run of glyphs without text on a line: "joins" (over letters, or between two
    glyphs it touches), "stranded" (touching an Arabic letter on one side only) or "apart",
    with its length."""
    for glyphs in lines:
        row = sorted((g for g in glyphs if not g.is_mark and not g.is_space and g.x1 - g.x0 >= 0.01),
                     key=lambda g: g.x0)
        i = 0
        while i < len(row):
            if not is_unusable_text(row[i].text):
                i += 1
                continue
            end = i
            while end + 1 < len(row) and is_unusable_text(row[end + 1].text):
                end += 1
            tol = 0.1 * row[i].size
            left = row[i - 1] if i and row[i].x0 - row[i - 1].x1 < tol else None
            right = row[end + 1] if end + 1 < len(row) and row[end + 1].x0 - row[end].x1 < tol else None
            letters = [n for n in (left, right) if n is not None and _LETTER.match(n.text[:1] or " ")]
            if _overlapped(row, i, end) or (left is not None and right is not None):
                kind = "joins"
            elif len(letters) == 1:
                kind = "stranded"
            else:
                kind = "apart"
            yield kind, end - i + 1
            i = end + 1


def _overlapped(row: list[Glyph], i: int, end: int) -> bool:
    """Whether the run is drawn over other glyphs: LibreOffice stretches a word by kashida
    glyphs laid over each other and over the letters they stretch; a letter has its own
    place."""
    run = row[i:end + 1]
    if any(b.x0 < a.x1 - 0.1 for a, b in zip(run, run[1:])):
        return True
    x0, x1 = run[0].x0, max(g.x1 for g in run)
    covered = sum(max(0.0, min(n.x1, x1) - max(n.x0, x0)) for n in (row[i - 1] if i else None,
                  row[end + 1] if end + 1 < len(row) else None) if n is not None)
    return covered > 0.3 * (x1 - x0)


def lost_letters(stranded: int, words: int) -> bool:
    """Whether so many letters lost their names that the page's text is not what it shows
    (a producer's odd kashida placement may strand a few)."""
    return stranded >= 3 and stranded >= LOST_SHARE * words


def foreign_layer(count: int, words: int, document_has_fault: bool) -> bool:
    """Whether a page with ``count`` foreign words among ``words`` Arabic ones has a
    wrong-letter layer: several of them, or any where the document's other pages show the
    fault."""
    if count == 0:
        return False
    return document_has_fault or (count >= FOREIGN_WORDS and count >= FOREIGN_SHARE * words)
