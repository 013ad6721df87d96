"""Character-level repairs: presentation forms, whitespace, mirrored brackets and quotes."""

from __future__ import annotations

import re
import unicodedata

from ..arabic.charsets import MARKS

# Only presentation-form glyphs are folded: NFKC over all text would also rewrite digits,
# superscripts and compatibility letters that clean text uses on purpose.
_PRESENTATION = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFE]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
_SPACE_BEFORE_MARK = re.compile(f" +(?=[{MARKS}])")
# Seed 001's "وفقـا ًلخطة": the tanween slid past the space onto the next word's start.
_MARK_STARTS_WORD = re.compile(f" ([{MARKS}]+)(?=[\u0621-\u064a])")

_OPEN_TO_CLOSE = {"(": ")", "[": "]", "{": "}", "«": "»"}
_CLOSE_TO_OPEN = {v: k for k, v in _OPEN_TO_CLOSE.items()}
_BRACKETS = re.compile(r"[()\[\]{}«»]")
# A list number the extractor wrapped in mirrored parentheses with spaces: ") 1 (" -> "(1)".
_MIRRORED_NUMBER = re.compile(r"(?<!\S)\)\s?([0-9٠-٩]{1,3})\s?\((?!\S)")
_CLOSING_CONTEXT = set(" .,،;؛:!?؟\"'”’-")


def _fold(match: re.Match[str]) -> str:
    # NFKC gives isolated harakat forms a leading space (U+FE70 -> " \u064b"): drop it.
    return unicodedata.normalize("NFKC", match.group()).strip() or match.group()


def fold_presentation_forms(text: str) -> str:
    """Map Arabic presentation-form glyphs (U+FB50–U+FDFF, U+FE70–U+FEFE) to base letters."""
    return _PRESENTATION.sub(_fold, text)


def normalise_whitespace(text: str) -> str:
    """One plain space between words, none at the ends, none before a detached diacritic."""
    text = _MARK_STARTS_WORD.sub(r"\1 ", _SPACES.sub(" ", text))
    return _SPACE_BEFORE_MARK.sub("", text).strip()


def _role(text: str, i: int) -> str | None:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if _BRACKETS.match(before) or _BRACKETS.match(after):
        return None  # brackets side by side say nothing about each other
    opens = before.isspace()
    closes = after.isspace() or after in _CLOSING_CONTEXT
    if opens and not after.isspace() and not closes:
        return "open"
    if closes and not before.isspace() and not opens:
        return "close"
    return None


def fix_mirrored_brackets(text: str) -> str:
    """Turn brackets and guillemets around whose context says they face the wrong way.

    A bracket glued to the word after it opens, one glued to the word before it closes;
    one standing between spaces is decided by nesting depth (a closer with nothing open
    must be an opener, and guillemets do not nest).
    """
    text = _MIRRORED_NUMBER.sub(r"(\1)", text)
    chars = list(text)
    depth = dict.fromkeys(_OPEN_TO_CLOSE, 0)
    for match in _BRACKETS.finditer(text):
        i, ch = match.start(), match.group()
        opener = _CLOSE_TO_OPEN.get(ch, ch)
        role = _role(text, i)
        if role is None:
            if ch not in _OPEN_TO_CLOSE and depth[opener] == 0:
                role = "open"
            elif ch == "«" and depth[opener] > 0:
                role = "close"
        if role == "open":
            chars[i] = opener
            depth[opener] += 1
        elif role == "close":
            chars[i] = _OPEN_TO_CLOSE[opener]
            depth[opener] = max(0, depth[opener] - 1)
        else:
            depth[opener] += 1 if ch == opener else -1 if depth[opener] else 0
    return "".join(chars)
