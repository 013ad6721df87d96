"""Arabic number words: a rule table of the words and the grammar that joins them
("ثلاثة ملايين وخمسمائة ألف" = 3,500,000, "خمسة عشر ألفاً" = 15,000, "ألفين" = 2,000).

Arabic counts in a closed set of words: units (with masculine and feminine forms), ``عشر``
after a unit for the teens, tens in ``-ون``/``-ين``, hundreds (fused, ``ثلاثمائة``, or apart),
and scale words in singular, dual and plural; a larger part comes first and the rest follow
with ``و`` (units before tens: ``خمسة وعشرون``). No maintained Python package reads them
well (pyarabic reads ``مائتين`` as 0 and ``الحادي عشر`` as 10), so the table is here.
Words are compared without diacritics or tatweel, with أ إ آ ٱ as ا, ى as ي and ة as ه.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from ..arabic.charsets import MARKS, TATWEEL


class Role(Enum):
    UNIT = "unit"  # 1-10
    TEEN = "teen"  # عشر after a unit: +10
    TEN = "ten"  # 20-90
    HUNDRED = "hundred"
    SCALE = "scale"  # ألف, مليون: multiplies what came before (or stands for one)
    DUAL = "dual"  # ألفين: two of the scale
    PLURAL = "plural"  # آلاف: only after a count (alone it is "thousands", no number)
    HALF = "half"  # ونصف after a scale or a unit
    ORDINAL = "ordinal"  # الثالث; الحادي only in compounds
    DECADE = "decade"  # التسعينيات


@dataclass(frozen=True)
class Word:
    role: Role
    value: Decimal
    # A word that is also a common non-number (ست "lady", ألّف "wrote", ألفا "alpha", أحد
    # "someone"): alone it never has to appear in the English.
    ambiguous: bool = False
    # أحد, اثنا: only inside a teen (أحد عشر); alone they are no number.
    needs_teen: bool = False


def _forms(*stems: str) -> list[str]:
    return [s for stem in stems for s in stem.split("/")]


# Spoken forms (تلاتة, اتنين, تمنية, ميّة) follow the standard ones.
_UNITS = {
    1: "واحد/واحده", 2: "اثنان/اثنين/اثنتان/اثنتين/اتنين", 3: "ثلاث/ثلاثه/تلات/تلاته/تلاتا/تلت",
    4: "اربع/اربعه", 5: "خمس/خمسه", 6: "سته", 7: "سبع/سبعه", 8: "ثمان/ثماني/ثمانيه/تمانيه/تمنيه/تمن",
    9: "تسع/تسعه", 10: "عشره",
}
_AMBIGUOUS_UNITS = {6: "ست"}
_TENS = {20: "عشرون/عشرين/عشرونا", 30: "ثلاثون/ثلاثين/تلاتين", 40: "اربعون/اربعين", 50: "خمسون/خمسين",
         60: "ستون/ستين", 70: "سبعون/سبعين", 80: "ثمانون/ثمانين/تمانين", 90: "تسعون/تسعين"}
_HUNDRED_STEMS = ("مائه", "مئه", "ماءه")
_HUNDREDS = {3: "ثلاث", 4: "اربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثمان/ثماني", 9: "تسع"}
_TWO_HUNDRED = "مائتان/مائتين/مئتان/مئتين/مائتا/مئتا/مائتي/مئتي/مايتين/ميتين"
_SCALES = {10**3: ("الف", "الفان/الفين", "الاف"), 10**6: ("مليون/مليونا", "مليونان/مليونين", "ملايين"),
           10**9: ("مليار/بليون/ملياراً", "ملياران/مليارين/بليونين", "مليارات/بلايين"),
           10**12: ("تريليون/ترليون", "تريليونين/ترليونين", "تريليونات/ترليونات")}
_ORDINALS = {1: "اول/اولي/حادي/حاديه", 2: "ثاني/ثانيه/ثان", 3: "ثالث/ثالثه", 4: "رابع/رابعه",
             5: "خامس/خامسه", 6: "سادس/سادسه", 7: "سابع/سابعه", 8: "ثامن/ثامنه", 9: "تاسع/تاسعه",
             10: "عاشر/عاشره"}
_DECADES = {20: "عشرين", 30: "ثلاثين", 40: "اربعين", 50: "خمسين", 60: "ستين", 70: "سبعين",
            80: "ثمانين", 90: "تسعين"}


def _table() -> dict[str, Word]:
    table: dict[str, Word] = {}
    for value, forms in _UNITS.items():
        for form in _forms(forms):
            table[form] = Word(Role.UNIT, Decimal(value))
    for value, form in _AMBIGUOUS_UNITS.items():
        table[form] = Word(Role.UNIT, Decimal(value), ambiguous=True)
    table["عشر"] = Word(Role.TEEN, Decimal(10))
    for form in ("احد", "احدي"):
        table[form] = Word(Role.UNIT, Decimal(1), ambiguous=True, needs_teen=True)
    for form in ("اثنا", "اثنتا", "اثني", "اثنتي"):
        table[form] = Word(Role.UNIT, Decimal(2), needs_teen=True)
    for value, forms in _TENS.items():
        for form in _forms(forms):
            table[form] = Word(Role.TEN, Decimal(value))
    for stem in _HUNDRED_STEMS:
        table[stem] = Word(Role.HUNDRED, Decimal(100))
        for unit, forms in _HUNDREDS.items():
            for form in _forms(forms):
                table[form + stem] = Word(Role.HUNDRED, Decimal(unit * 100))
    for form in _forms(_TWO_HUNDRED):
        table[form] = Word(Role.HUNDRED, Decimal(200))
    for scale, (single, dual, plural) in _SCALES.items():
        for form in _forms(single):
            table[form] = Word(Role.SCALE, Decimal(scale), ambiguous=scale == 1000)
        for form in _forms(dual):
            table[form] = Word(Role.DUAL, Decimal(2 * scale))
        for form in _forms(plural):
            table[form] = Word(Role.PLURAL, Decimal(scale))
    table["نصف"] = Word(Role.HALF, Decimal("0.5"))
    for value, forms in _ORDINALS.items():
        for form in _forms(forms):
            table[form] = Word(Role.ORDINAL, Decimal(value))
    for value, stem in _DECADES.items():
        for form in (stem + "يات", stem + "ات"):
            table[form] = Word(Role.DECADE, Decimal(value))
    return table


_WORDS = _table()
_MARKS = re.compile(f"[{MARKS}{TATWEEL}]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Proclitics a number word can carry: a conjunction, a preposition, the article.
_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
# Words that give a number only loosely: a half past the hour is :30, a quarter :15; ضعف
# is "double"; ثلاثي الأبعاد "three-dimensional", سباعيات "sevens".
_LOOSE = {"نصف": (Decimal("0.5"), Decimal(30), Decimal(50)), "ربع": (Decimal("0.25"), Decimal(15), Decimal(25)),
          "ثلث": (Decimal(1) / Decimal(3), Decimal(20)), "ثلثي": (Decimal(2) / Decimal(3),),
          "ثلثا": (Decimal(2) / Decimal(3),), "صفر": (Decimal(0),), "ضعف": (Decimal(2),), "ضعفين": (Decimal(2),), "اضعاف": (Decimal(2),),
          **{stem + ending: (Decimal(n),) for n, stem in ((2, "ثنائ"), (3, "ثلاث"), (4, "رباع"), (5, "خماس"),
                                                          (6, "سداس"), (7, "سباع"), (8, "ثمان"), (9, "تساع"), (10, "عشار"))
             for ending in ("ي", "يه", "يات")}}
# بالمئة, في المائة: the percent sign in words, never a hundred.
PERCENT_WORDS = frozenset({"مئه", "مائه", "ميه"})


def fold(word: str) -> str:
    """The form the tables use: no diacritics or tatweel, one alef, ي for ى, ه for ة."""
    return _MARKS.sub("", word).translate(_FOLD)


def _stems(word: str):
    """(stem, conjunction, article) for each way of taking clitics off a folded word."""
    for prefix in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix):]
        conj = prefix.startswith("و")
        yield rest, conj, False
        if rest.startswith("ال"):
            yield rest[2:], conj, True
        if prefix.endswith("ل") and rest.startswith("ل"):
            yield rest[1:], conj, True


def lookup(word: str) -> tuple[Word, bool, bool] | None:
    """The number word inside ``word`` (clitics taken off), whether it starts with و and
    whether it carries the article (العشرين, the twentieth)."""
    for stem, conj, article in _stems(fold(word)):
        if stem in _WORDS:
            return _WORDS[stem], conj, article
        # Accusative tanween written with an alef: ألفاً, عشرينا.
        if stem.endswith("ا") and stem[:-1] in _WORDS and _WORDS[stem[:-1]].role is not Role.UNIT:
            return _WORDS[stem[:-1]], conj, article
    return None


def loose_values(word: str) -> tuple[Decimal, ...]:
    """What a fraction or multiple word may stand for on the other side (نصف: 0.5, :30)."""
    return next((_LOOSE[stem] for stem, _, _ in _stems(fold(word)) if stem in _LOOSE), ())


def is_percent_word(word: str, previous: str) -> bool:
    """بالمئة, or المائة after في: a percent sign, not a hundred."""
    folded = fold(word)
    return any(stem in PERCENT_WORDS and article and (folded.startswith("بال") or fold(previous) == "في")
               for stem, _, article in _stems(folded))


@dataclass
class Phrase:
    """Number words read together, left to right, as Arabic builds a number."""

    start: int
    end: int
    total: Decimal = Decimal(0)  # the parts already multiplied by their scale
    current: Decimal = Decimal(0)  # the part below the next scale
    last: Role | None = None
    scale: Decimal = Decimal(0)
    words: int = 0
    ambiguous: bool = True
    article: bool = False  # العشرين, السادسة: an ordinal as often as a count
    ordinal: bool = False
    decade: bool = False
    incomplete: bool = False

    @property
    def value(self) -> Decimal:
        return self.total + self.current

    def add(self, word: Word, conj: bool, article: bool = False) -> bool:
        """Take the next word into the number; False when it starts another one."""
        role, value, last = word.role, word.value, self.last
        if last is None:
            self.article = article
            if role in (Role.PLURAL, Role.HALF):
                return False
            if role is Role.SCALE or role is Role.DUAL:
                self.total, self.scale = value, value / (2 if role is Role.DUAL else 1)
            else:
                self.current = value
            self.ordinal, self.decade = role is Role.ORDINAL, role is Role.DECADE
            self.incomplete = word.needs_teen
        elif self.decade or self.incomplete and role is not Role.TEEN:
            return False
        elif (role is Role.TEEN or role is Role.UNIT and value == 10) and not conj \
                and last in (Role.UNIT, Role.ORDINAL) and self.current % 100 < 10:
            self.current += value
            self.incomplete = False
        elif role is Role.UNIT and conj and last in (Role.HUNDRED, Role.SCALE, Role.DUAL, Role.PLURAL):
            self.current += value
        elif role is Role.TEN and conj and (last in (Role.UNIT, Role.ORDINAL) and self.current % 100 < 10
                                            or last in (Role.HUNDRED, Role.SCALE, Role.DUAL, Role.PLURAL)):
            self.current += value
        elif role is Role.HUNDRED and not conj and last is Role.UNIT and value == 100 and self.current < 10:
            self.current *= 100
        elif role is Role.HUNDRED and conj and last in (Role.SCALE, Role.DUAL, Role.PLURAL):
            self.current += value
        elif role in (Role.SCALE, Role.PLURAL) and not conj and last in (Role.UNIT, Role.TEEN, Role.TEN, Role.HUNDRED) \
                and (not self.scale or value < self.scale):
            self.total += self.current * value
            self.current, self.scale = Decimal(0), value
        elif role is Role.SCALE and not conj and last is Role.SCALE and value > self.scale:
            self.total *= value  # ألف مليون
            self.scale = value
        elif role is Role.HALF and conj and last in (Role.SCALE, Role.DUAL, Role.PLURAL):
            self.total += self.scale / 2
        elif role is Role.SCALE and last is Role.HALF and value == self.scale:
            pass  # مليون ونصف المليون
        elif role is Role.HALF and conj and last in (Role.UNIT, Role.TEEN, Role.TEN):
            self.current += value
        else:
            return False
        self.last = role
        self.words += 1
        self.ambiguous = self.ambiguous and word.ambiguous
        return True
