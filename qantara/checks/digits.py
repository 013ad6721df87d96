"""Numbers written in digits, in either language: the three digit sets, their separators and
what may follow them (a scale word, a percent sign, an ordinal ending, a Hijri marker).

Arabic text uses Western (0-9), Arabic-Indic (٠-٩) and Persian (۰-۹) digits, and writes
decimals and thousands with ``٫``/``٬`` or with ``.``/``,`` either way round; English text
uses ``.`` and ``,`` one way. A number whose separators can be read more than one way keeps
every reading (:func:`readings`), and matches the other side on any of them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import product

DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_TO_WESTERN = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                            "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
                            "01234567890123456789")
ARABIC_DECIMAL = "\u066b"  # ٫
ARABIC_THOUSANDS = "\u066c"  # ٬
_SEPARATORS = ".," + ARABIC_DECIMAL + ARABIC_THOUSANDS
# A run of digits with single separators between digits; "7١77" is one number.
NUMBER = re.compile(rf"(?<![{DIGITS}])[{DIGITS}]+(?:[{_SEPARATORS}][{DIGITS}]+)*")
_GROUP = re.compile(rf"[{_SEPARATORS}]")
_SETS = (frozenset("0123456789"), frozenset("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"),
         frozenset("\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"))


def western(text: str) -> str:
    return text.translate(_TO_WESTERN)


def digit_sets(token: str) -> int:
    """How many digit sets the token's digits come from, Western or Eastern: Arabic-Indic and
    Persian digits look alike but for 4, 5 and 6, and a text typed on a Persian keyboard mixes
    them without a misreading."""
    return (any(c in _SETS[0] for c in token)) + (any(c in _SETS[1] or c in _SETS[2] for c in token))


def _parse(groups: list[str], seps: list[str], thousands: str | None, decimal: str | None) -> Decimal | None:
    if decimal in seps and (seps.count(decimal) > 1 or seps[-1] != decimal):
        return None
    if thousands in seps and not 1 <= len(groups[0]) <= 3:
        return None
    whole = groups[0]
    for sep, group in zip(seps, groups[1:]):
        if sep == thousands and len(group) == 3:
            whole += group
        elif sep == decimal:
            return Decimal(f"{whole}.{group}")
        else:
            return None
    return Decimal(whole)


def readings(token: str, english: bool) -> frozenset[Decimal]:
    """Every value the digits can stand for (empty: the separators make no number, as in
    ``1,1``, which is then two numbers). English reads ``,`` as thousands and ``.`` as the
    decimal point; Arabic writers use both either way, and ``٬``/``٫`` as Arabic-Indic ones."""
    token = western(token)
    seps = _GROUP.findall(token)
    groups = _GROUP.split(token)
    if not seps:
        return frozenset({Decimal(token)})
    if english:
        # 42.000 is 42,000 from a translator who writes thousands the European way.
        options = [(",", "."), (".", None)]
    else:
        options = [(t, d) for t, d in product((None, ",", ".", ARABIC_THOUSANDS), (None, ".", ",", ARABIC_DECIMAL))
                   if t != d]
    values = {_parse(groups, seps, t, d) for t, d in options}
    values.discard(None)
    return frozenset(values)


def pieces(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """A token with no reading as one number, cut at its separators: (start, end, digits)."""
    out, pos = [], match.start()
    for part in _GROUP.split(match.group()):
        out.append((pos, pos + len(part), part))
        pos += len(part) + 1
    return out
