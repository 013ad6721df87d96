"""What the checks compare: a fact of one side (a number, a month) with every reading of it
the other side may legitimately carry."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable


@dataclass(frozen=True)
class Fact:
    """One number or month found in a text.

    ``values`` holds every reading of it (``1,500`` in Arabic may be 1500 or 1.5; a Hijri year
    is also the Gregorian years it spans); two facts agree when their readings meet.
    A ``strict`` fact must be carried by the other side; the others (``one``, an ordinal, a
    word that is also something else) only serve to match a strict fact of the other side.
    """

    kind: str  # "number" or "month"
    values: frozenset[Hashable]
    shown: str  # as a flag shows it: Western digits, ``%`` for a percentage, English month names
    start: int
    end: int
    strict: bool = True

    def widened(self, extra: set[Hashable] | frozenset[Hashable]) -> Fact:
        return Fact(self.kind, self.values | frozenset(extra), self.shown, self.start, self.end, self.strict)


def show_number(value: Decimal, percent: bool = False) -> str:
    """``Decimal('3.50E+6')`` → ``3500000``: plain digits, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")
