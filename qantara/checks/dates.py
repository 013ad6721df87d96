"""Month names in both languages, and Hijri dates read as the Gregorian ones they are.

Arabic names the Gregorian months two ways: the Levantine and Iraqi (كانون الثاني، شباط،
آذار … كانون الأول) and the Egyptian and Gulf (يناير … ديسمبر), often both at once
(شباط/فبراير); the Maghreb has its own (جانفي، أفريل، جوان، غشت…). Hijri months (محرم …
ذو الحجة) come with ``هـ`` years. A name that is also a common word (مارس "practised", آب
"father" once hamza is dropped, صفر "zero", رجب and شعبان as personal names; English May and
March) is strict only next to a number or after شهر/"in".

Hijri dates are converted with hijridate (Umm al-Qura, 1343–1500 AH), so that a translator
who writes "April 17, 2022" for "15 رمضان 1443 هـ" is not flagged.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from hijridate import Hijri

from .arabic_words import fold
from .facts import Fact

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")
HIJRI_MONTHS = ("Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula",
                "Jumada al-Akhira", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qada", "Dhu al-Hijja")

# Folded forms (see arabic_words.fold); "*" marks a name that is also a common word.
_ARABIC_GREGORIAN = {
    1: "يناير/كانون الثاني/جانفي", 2: "فبراير/شباط/فيفري/فبرير", 3: "*مارس/اذار", 4: "ابريل/نيسان/افريل",
    5: "مايو/ايار/*ماي", 6: "يونيو/يونيه/حزيران/جوان", 7: "يوليو/يوليه/تموز/جويليه/يوليوز",
    8: "اغسطس/اغسطوس/*اب/*اوت/غشت", 9: "سبتمبر/ايلول/شتنبر", 10: "اكتوبر/تشرين الاول",
    11: "نوفمبر/تشرين الثاني/نونبر", 12: "ديسمبر/كانون الاول/دجنبر",
}
_ARABIC_HIJRI = {
    1: "*محرم", 2: "*صفر", 3: "ربيع الاول", 4: "ربيع الثاني/ربيع الاخر", 5: "جمادي الاولي/جمادي الاول",
    6: "جمادي الاخره/جمادي الثانيه/جمادي الاخر", 7: "*رجب", 8: "*شعبان", 9: "*رمضان", 10: "*شوال",
    11: "ذو القعده/ذي القعده", 12: "ذو الحجه/ذي الحجه",
}
_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وف")
_MONTH_WORD = "شهر"


def _arabic_names() -> dict[tuple[str, ...], tuple[tuple[str, int], bool]]:
    names = {}
    for calendar, table in (("g", _ARABIC_GREGORIAN), ("h", _ARABIC_HIJRI)):
        for month, forms in table.items():
            for form in forms.split("/"):
                names[tuple(form.lstrip("*").split())] = ((calendar, month), form.startswith("*"))
    return names


_ARABIC_NAMES = _arabic_names()
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671\u0640\u064b-\u065f\u0670]+")
_NUMBER_NEAR = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_ENGLISH = re.compile(
    r"\b(?:(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
    r"|(January|February|March|April|May|June|July|August|September|October|November|December))",
    re.IGNORECASE)
_ENGLISH_HIJRI = re.compile(
    r"\b(?:(Muharram)|(Safar)|(Rabi\W{0,2}\s?(?:a|u)l[\s-]?Awwal|Rabi\W{0,2}\s?I\b)"
    r"|(Rabi\W{0,2}\s?(?:a|u)[lt][\s-]?(?:Thani|Akhir)|Rabi\W{0,2}\s?II\b)"
    r"|(Jumada\s?(?:a|u)l[\s-]?(?:Ula|Awwal|Oula)|Jumada\s?I\b)"
    r"|(Jumada\s?(?:a|u)[lt][\s-]?(?:Akhira|Akhirah|Thani|Thaniyah)|Jumada\s?II\b)"
    r"|(Rajab)|(Sha\W?ban)|(Rama[dz]h?an)|(Shawwal)|(Dh?u\W?l?\W?\s?(?:a|u)?l?[\s-]?Qa\W?dah?|Zul?\W?Qa\W?dah?)"
    r"|(Dh?u\W?l?\W?\s?(?:a|u)?l?[\s-]?Hijjah?|Zul?\W?Hijjah?))\b",
    re.IGNORECASE)
_STRONG_CONTEXT = re.compile(r"\b(?:in|of|on|since|until|till|by|from|to|during|early|late|mid|last|next|this|"
                             r"between|through|before|after|and)\W*$", re.IGNORECASE)
_AMBIGUOUS_ENGLISH = {3, 5, 8}  # March, May, August


def hijri_years(year: Decimal) -> set[Decimal]:
    """The Gregorian years a Hijri year overlaps (none for what is not a plausible one)."""
    if year != year.to_integral_value() or not 1 <= year <= 1600:
        return set()
    y = int(year)
    try:
        first, last = Hijri(y, 1, 1).to_gregorian().year, Hijri(y, 12, 1).to_gregorian().year + 1
    except (OverflowError, ValueError):
        # Outside the Umm al-Qura table: the mean year (354.37 days) is close enough.
        first = int((y - 1) * 0.970224 + 622)
        last = first + 1
    return {Decimal(g) for g in range(first, last + 1)}


def _near_number(text: str, start: int, end: int) -> bool:
    return bool(_NUMBER_NEAR.search(text[max(0, start - 4):start]) or _NUMBER_NEAR.search(text[end:end + 4]))


def _show(key: tuple[str, int]) -> str:
    calendar, month = key
    return (ENGLISH_MONTHS if calendar == "g" else HIJRI_MONTHS)[month - 1].replace(" ", "-")


def arabic_months(text: str) -> list[Fact]:
    words = [(m.start(), m.end(), fold(m.group())) for m in _ARABIC_WORD.finditer(text)]
    facts: list[Fact] = []
    i = 0
    while i < len(words):
        found = None
        for size in (2, 1):
            if i + size > len(words):
                continue
            for clitic in _CLITICS:
                first = words[i][2]
                if not first.startswith(clitic):
                    continue
                first = first[len(clitic):]
                for candidate in (first, first[2:] if first.startswith("ال") else None):
                    name = (candidate,) + tuple(w[2] for w in words[i + 1:i + size])
                    if candidate and name in _ARABIC_NAMES:
                        found = size, _ARABIC_NAMES[name]
                        break
                if found:
                    break
            if found:
                break
        if not found:
            i += 1
            continue
        size, (key, ambiguous) = found
        start, end = words[i][0], words[i + size - 1][1]
        after_month_word = i > 0 and words[i - 1][2].endswith(_MONTH_WORD)
        strict = not ambiguous or after_month_word or _near_number(text, start, end)
        fact = Fact("month", frozenset({key}), _show(key), start, end, strict)
        # شباط/فبراير, آذار (مارس): one month named twice.
        if facts and facts[-1].values == fact.values and re.fullmatch(r"[\s/()\-–]{0,4}", text[facts[-1].end:start]):
            previous = facts.pop()
            fact = Fact("month", fact.values, fact.shown, previous.start, end, strict or previous.strict)
        facts.append(fact)
        i += size
    return facts


def english_months(text: str) -> list[Fact]:
    facts = []
    for match in _ENGLISH.finditer(text):
        abbreviation, name = match.group(1), match.group(2)
        month = ENGLISH_MONTHS.index(next(m for m in ENGLISH_MONTHS if m.lower().startswith((name or abbreviation).lower()[:3]))) + 1
        near = _near_number(text, *match.span())
        if name:
            strict = name[0].isupper() and (month not in _AMBIGUOUS_ENGLISH or near
                                             or bool(_STRONG_CONTEXT.search(text[max(0, match.start() - 12):match.start()])))
        else:
            strict = abbreviation[0].isupper() and near
        facts.append(Fact("month", frozenset({("g", month)}), ENGLISH_MONTHS[month - 1], *match.span(), strict))
    for match in _ENGLISH_HIJRI.finditer(text):
        month = next(i for i, g in enumerate(match.groups(), 1) if g)
        strict = _near_number(text, *match.span())
        facts.append(Fact("month", frozenset({("h", month)}), _show(("h", month)), *match.span(), strict))
    return sorted(facts, key=lambda f: f.start)


def convert_hijri_dates(text: str, numbers: list[Fact], months: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """Arabic Hijri dates also read in the Gregorian calendar: the day, month and year of
    "15 رمضان 1443" may come out as "April 17, 2022" (a day either way: sighting differs)."""
    numbers, months = list(numbers), list(months)
    for m, month in enumerate(months):
        calendar, number = next(iter(month.values))
        if calendar != "h":
            continue
        day = next((i for i, f in enumerate(numbers) if 0 <= month.start - f.end <= 2
                    and any(isinstance(v, Decimal) and 1 <= v <= 30 for v in f.values)), None)
        year = next((i for i, f in enumerate(numbers) if 0 <= f.start - month.end <= 2
                     and any(isinstance(v, Decimal) and 1343 <= v <= 1500 for v in f.values)), None)
        if year is None:
            continue
        y = int(next(v for v in numbers[year].values if isinstance(v, Decimal) and 1343 <= v <= 1500))
        if day is not None:
            d = int(next(v for v in numbers[day].values if isinstance(v, Decimal) and 1 <= v <= 30))
            try:
                centre = Hijri(y, number, min(d, Hijri(y, number, 1).month_length())).to_gregorian()
            except (OverflowError, ValueError):
                continue
            dates = [centre + timedelta(days=k) for k in (-1, 0, 1)]
            numbers[day] = numbers[day].widened({Decimal(g.day) for g in dates})
        else:
            try:
                first = Hijri(y, number, 1).to_gregorian()
            except (OverflowError, ValueError):
                continue
            dates = [first, first + timedelta(days=29)]
        months[m] = month.widened({("g", g.month) for g in dates})
        numbers[year] = numbers[year].widened({Decimal(g.year) for g in dates})
    return numbers, months

