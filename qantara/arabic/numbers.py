"""Numbers inside right-to-left text in the order clean Arabic text writes them.

A number and the signs beside it read left to right inside a right-to-left line, and
producers and OCR engines disagree on how to draw or read what surrounds them: a percent
sign is drawn left of its number by some ("%47" on the page for "47%"), a range right-most
first by others ("2027-2023"). The page alone does not say which logical order the writer
typed, but Arabic text does, overwhelmingly: in the FLORES, TICO-19 and seed texts the
percent sign follows its number 206 times in 214, and ranges run upwards.
"""

from __future__ import annotations

import re

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_NUMBER = f"[{_DIGIT}]+(?:[.,٫][{_DIGIT}]+)*"
_PERCENT_FIRST = re.compile(f"(?<![{_DIGIT}.,٫])([%\u066a])({_NUMBER})")
# A range of two whole numbers, not part of a longer chain (an ISO date).
_RANGE = re.compile(f"(?<![{_DIGIT}.,٫\\-–])([{_DIGIT}]+)\\s?([-–])\\s?([{_DIGIT}]+)(?![{_DIGIT}.,٫]|[-–][{_DIGIT}])")
_VALUE = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u06f0\u06f1\u06f2\u06f3\u06f4"
                       "\u06f5\u06f6\u06f7\u06f8\u06f9", "01234567890123456789")


def percent_after_number(text: str) -> str:
    """"%47" back to "47%" (the sign follows its number)."""
    return _PERCENT_FIRST.sub(lambda m: m.group(2) + m.group(1), text)


def order_number_ranges(text: str) -> str:
    """"2027-2023" back to "2023-2027": a range runs upwards; "20-2019" back to "2019-20":
    a range of years whose end keeps only its last two digits starts with the whole year."""
    def ordered(m: re.Match) -> str:
        a, dash, b = m.group(1), m.group(2), m.group(3)
        x, y = int(a.translate(_VALUE)), int(b.translate(_VALUE))
        if (len(a), len(b)) == (4, 2):
            return m.group(0)
        if (len(a), len(b)) == (2, 4) or x > y:
            return f"{b}{dash}{a}"
        return m.group(0)

    return _RANGE.sub(ordered, text)


def order_numbers(text: str) -> str:
    """Both rules, for a right-to-left line."""
    return order_number_ranges(percent_after_number(text))
