"""Arabic prose for generated documents, drawn at random from real text.

Sentences come from the FLORES-200 devtest and TICO-19 Arabic sides and from the clean seed
documents (../shared/seeds 000, 002, 003, 004). A paragraph is a run of consecutive sentences
of one source; into it go, at random, the things extractors get wrong: numbers (either digit
set), percentages (ending a sentence too), dates, Latin words and phrases, and brackets or
quotes round a few words.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

SHARED = Path(__file__).resolve().parents[4] / "shared"
SOURCES = (
    "eval/flores200_devtest/arb_Arab.devtest",
    "eval/tico19_test/tico19-test.ar",
    "seeds/000_41cf3146f527e58b.txt",
    "seeds/002_35611eb13f076e57.txt",
    "seeds/003_5451b8ff3155cfe3.txt",
    "seeds/004_dc0ec6e5dd7e186b.txt",
)

_LETTERS = "\u0621-\u063a\u0641-\u064a"
_HARAKAT = "\u064b-\u0652"
# Every character a sentence may hold: what documents of this kind are made of. Sentences
# with anything else (CJK, Greek, zero-width spaces, Persian letters) are left out, so that
# every font drawn from can show them.
_ALLOWED = re.compile(
    f"^[{_LETTERS}{_HARAKAT}\u0660-\u0669A-Za-z0-9 ،؛؟.,:()\\[\\]«»\"“”/%٪\\-–]+$"
)
_ARABIC = re.compile(f"[{_LETTERS}]")
_LATIN = re.compile("[A-Za-z]")
_CITATION = re.compile(r"\[\d+\]")
_SENTENCE_END = re.compile(r"(?<=[.؟!])\s+")

WESTERN = "0123456789"
EASTERN = "٠١٢٣٤٥٦٧٨٩"

LATIN_WORDS = (
    "OPEC", "NATO", "UNESCO", "World Bank", "Central Asia", "Carnegie", "Reuters", "GDP",
    "COVID-19", "Astana International Forum", "Silk Road", "IMF", "BBC", "Gulf Cooperation Council",
    "PetroChina", "Chatham House", "LNG", "Brent", "KazMunayGas", "Al Jazeera", "The Economist",
)
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر")


def available() -> bool:
    return all((SHARED / name).is_file() for name in SOURCES)


@lru_cache(maxsize=1)
def sources() -> tuple[tuple[str, ...], ...]:
    """Each source as its usable sentences, in document order."""
    out = []
    for name in SOURCES:
        sentences: list[str] = []
        for line in (SHARED / name).read_text(encoding="utf-8").splitlines():
            line = _CITATION.sub("", line.replace("\u0640", "")).strip()
            for sentence in _SENTENCE_END.split(line):
                sentence = " ".join(sentence.split())
                if _usable(sentence):
                    sentences.append(sentence)
        out.append(tuple(sentences))
    return tuple(out)


def _usable(sentence: str) -> bool:
    if not (30 <= len(sentence) <= 400) or not _ALLOWED.match(sentence):
        return False
    arabic = len(_ARABIC.findall(sentence))
    return arabic >= 0.75 * (arabic + len(_LATIN.findall(sentence))) and _balanced(sentence)


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in ("()", "[]", "«»", "“”")) and text.count('"') % 2 == 0


def digits(text: str, eastern: bool) -> str:
    return text.translate(str.maketrans(WESTERN, EASTERN)) if eastern else text


def paragraph(rng: random.Random, *, eastern: bool, sentences: tuple[int, int] = (2, 5),
              inserts: float = 1.0) -> str:
    """One paragraph: consecutive sentences of one source, with things inserted.

    ``eastern``: the document writes its numbers in Arabic-Indic digits. ``inserts``: the
    expected number of insertions per sentence."""
    pool = [s for s in sources() if len(s) > 10]
    source = rng.choice(pool)
    count = rng.randint(*sentences)
    start = rng.randrange(0, len(source) - count)
    words = " ".join(source[start:start + count]).split()
    if eastern:
        words = [digits(w, True) for w in words]
    for _ in range(_poisson(rng, inserts * count)):
        _insert(rng, words, eastern)
    return " ".join(words)


def title(rng: random.Random, *, eastern: bool) -> str:
    """A short heading: a few words of a sentence, sometimes with a year."""
    sentence = rng.choice(rng.choice(sources())).split()
    n = rng.randint(3, 7)
    start = rng.randrange(0, max(1, len(sentence) - n))
    words = [w.strip("،؛.:؟\"()[]«»“”") for w in sentence[start:start + n]]
    text = " ".join(w for w in words if w and _ARABIC.search(w))
    if rng.random() < 0.3:
        text += " " + digits(str(rng.randint(1990, 2030)), eastern)
    return text or "تقرير"


def running_header(rng: random.Random, *, eastern: bool) -> str:
    """A running header: a publication's name and issue, as journals and gazettes print."""
    name = rng.choice(("مجلة الدراسات الخليجية", "الجريدة الرسمية", "تقارير آسيا الوسطى",
                       "نشرة مركز الخليج للأبحاث", "مرصد العلاقات الدولية", "الوقائع المصرية"))
    issue = digits(str(rng.randint(1, 120)), eastern)
    year = digits(str(rng.randint(1995, 2030)), eastern)
    return rng.choice((f"{name} - العدد {issue}", f"{name} – {year}", name,
                       f"{name} - العدد {issue} في {digits(str(rng.randint(1, 28)), eastern)} "
                       f"{rng.choice(MONTHS)} سنة {year}"))


def footnote(rng: random.Random, *, eastern: bool) -> str:
    sentence = rng.choice(rng.choice(sources()))
    words = sentence.split()[: rng.randint(5, 18)]
    if eastern:
        words = [digits(w, True) for w in words]
    text = " ".join(words).rstrip("،؛:")
    if not _balanced(text):
        text = re.sub("[()\\[\\]«»“”\"]", "", text)
    return text.rstrip(".") + "."


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: means here are small.
    import math

    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return str(rng.randint(1, 2030))
    if kind < 0.7:
        return f"{rng.randint(1, 999)}.{rng.randint(1, 99)}"
    return f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"


def _insert(rng: random.Random, words: list[str], eastern: bool) -> None:
    """Put one of the hard things somewhere in the word list (in place)."""
    at = rng.randint(1, max(1, len(words) - 1))
    kind = rng.choice(("number", "percent", "percent-end", "date", "latin", "bracket", "quote", "range"))
    if kind == "number":
        words.insert(at, digits(_number(rng), eastern))
    elif kind == "percent":
        n = digits(str(rng.randint(1, 99)), eastern)
        words[at:at] = ["بنسبة", n + ("٪" if eastern else "%")]
    elif kind == "percent-end":
        # A percentage ending a sentence: "… بنسبة 47%."
        for i in range(len(words)):
            if words[i].endswith(".") and _ARABIC.search(words[i]):
                n = digits(str(rng.randint(1, 99)), eastern)
                words[i] = words[i][:-1]
                words[i + 1:i + 1] = ["بنسبة", n + ("٪" if eastern else "%") + "."]
                return
        words.insert(at, digits(f"{rng.randint(1, 99)}%", eastern))
    elif kind == "date":
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1990, 2030)
        form = rng.choice((f"{day}/{month}/{year}", f"{year}-{month:02d}-{day:02d}", None))
        if form is None:
            words[at:at] = [digits(str(day), eastern), MONTHS[month - 1], digits(str(year), eastern)]
        else:
            words.insert(at, digits(form, eastern))
    elif kind == "range":
        a = rng.randint(1990, 2025)
        words.insert(at, digits(f"{a}-{a + rng.randint(1, 9)}", eastern))
    elif kind == "latin":
        latin = rng.choice(LATIN_WORDS)
        words.insert(at, f"({latin})" if rng.random() < 0.4 else latin)
    else:
        # brackets or quotes round one to four Arabic words
        span = rng.randint(1, 4)
        end = min(len(words), at + span)
        inner = words[at:end]
        if not inner or not all(_ARABIC.search(w) and re.fullmatch(f"[{_LETTERS}{_HARAKAT}]+", w) for w in inner):
            return
        left, right = rng.choice((("(", ")"), ("«", "»"), ("[", "]"), ('"', '"'))) if kind == "bracket" \
            else rng.choice((("«", "»"), ("“", "”"), ('"', '"')))
        inner[0] = left + inner[0]
        inner[-1] = inner[-1] + right
        words[at:end] = inner
