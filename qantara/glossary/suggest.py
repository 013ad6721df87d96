"""Growing the glossary: appending a checked row, and proposing names it still lacks.

`append_entry` adds one row to a glossary CSV only when the whole glossary, with that row,
passes `check_glossary`; the file is replaced atomically, so a refused or interrupted add
leaves it as it was.

`suggest_names` reads a processed corpus (Arabic sentences, and their English where there is
one) and proposes names the glossary does not know, each with how often it was seen and an
example sentence, from three signals:
- the words after a title or a naming word (السيد، الرئيس، وزير، شركة ...);
- Arabic words the Arabic spelling lexicon does not know: mostly transliterated foreign
  names (ميرزاييف، تلوبردي), since hunspell-ar knows Arabic words with their clitics;
- capitalised words in the English output that are rare English words (wordfreq).
Words inside a name the glossary already matches are never proposed, nor words that look like
extraction damage (:mod:`.damage`). Each Arabic name comes with a proposed English form: the
translation's spelling when the English of its sentences has a capitalised name close to its
transliteration, else the transliteration itself (:mod:`qantara.arabic.romanize`); the note
marks it unverified, and `glossary check` warns about every row still marked so.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from difflib import SequenceMatcher

from ..arabic.charsets import MARKS, TATWEEL
from ..arabic.lexicon import default_lexicon
from ..arabic.romanize import romanize_name
from ..fs import write_text_atomic
from ..record import read_jsonl, segment_from_row
from ..types import Flag, Origin, Segment
from .damage import looks_damaged
from .matcher import (
    COLUMNS, UNVERIFIED, Glossary, GlossaryProblem, _csv_files, check_glossary, normalize_arabic,
)

Lexicon = Callable[[str], bool]

# Titles before a person's name, and words that name the kind of thing that follows.
_PERSON_TITLES = frozenset(
    "السيد السيدة الرئيس الشيخ الشيخة الأمير الأميرة الملك الملكة الدكتور الدكتورة "
    "المهندس السفير سفير السفيرة وزير وزيرة الوزير الوزيرة المستشار الجنرال".split()
)
_ORGANIZATION_WORDS = frozenset("شركة شركات مؤسسة منظمة هيئة بنك مصرف صندوق مجموعة".split())
_PLACE_WORDS = frozenset("مدينة محافظة ولاية إقليم منطقة ميناء مطار جمهورية".split())
_TRIGGERS = (
    dict.fromkeys(_PERSON_TITLES, "person")
    | dict.fromkeys(_ORGANIZATION_WORDS, "organization")
    | dict.fromkeys(_PLACE_WORDS, "place")
)
# Function words that never start or continue a name.
_STOPWORDS = frozenset(
    "في من إلى الى على عن أن إن ان أو او و ثم مع هذا هذه ذلك تلك التي الذي الذين قد لم لن "
    "كان كانت يكون بين بعد قبل عند حول خلال منذ حتى كما لا ما هو هي هم كل بعض غير أي".split()
)
# Words between وزير and the name: the ministry, not the person (وزير خارجية طاجيكستان).
_OFFICES = frozenset("خارجية داخلية دفاع مالية اقتصاد طاقة تجارة دولة عدل زراعة صحة نقل".split())
# Second halves of compound given names, which carry the article (سراج الدين، عبد الله).
_NAME_ARTICLE_WORDS = frozenset("الله الدين الرحمن الرحيم العزيز الكريم".split())
_NAME_FIRST_HALVES = frozenset("عبد أبو ابو".split())
_CONJUNCTIONS = "وف"
_MAX_TITLE_SKIP = 3  # words after وزير before the name: الخارجية الكازاخستاني ...
_MAX_NAME_WORDS = 3
_MIN_UNKNOWN_LENGTH = 4
_RARE_ENGLISH_ZIPF = 3.0
_EXAMPLE_CHARS = 160
_TRANSLATIONS_KEPT = 5  # English sentences kept per Arabic candidate, to find its spelling in
# A capitalised phrase of the translation at least this close to the transliteration is taken
# as the translation's spelling of the name (Tokayev for توكاييف, read Tukayev).
_MIN_SPELLING_MATCH = 0.6

_BARRIER = " \u00a4 "  # stands for a known name: a non-word token that ends a candidate
_INSIDE_WORD = re.compile(f"[{TATWEEL}{MARKS}]+")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u06fa-\u06ff]+")
_TOKEN = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+|[^\s\u0621-\u064a]")
_CAPITALISED_RUN = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)")
_ENGLISH_WORD = re.compile(r"[A-Za-z]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)\s*$")
_TITLE_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|St)\.\s+$")


@dataclass(frozen=True)
class Sentence:
    arabic: str
    english: str = ""


@dataclass(frozen=True)
class Suggestion:
    english: str
    arabic: str
    type: str
    count: int
    example: str
    reasons: tuple[str, ...] = field(default=())
    english_from: str = ""  # where a proposed English form came from; "" when it was seen

    def row(self) -> dict[str, str]:
        why = ", ".join(self.reasons)
        note = f"seen {self.count}x ({why}); e.g. {self.example}"
        if self.english_from:
            note += f"; {UNVERIFIED} ({self.english_from})"
        return {"english": self.english, "arabic": self.arabic, "variants": "", "type": self.type,
                "note": note, "context": ""}


# --- adding a row ----------------------------------------------------------------------------


def _row_text(header: Sequence[str], values: dict[str, str], newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow([values.get(h, "") for h in header])
    return buffer.getvalue()


def append_entry(
    glossary: Path, values: dict[str, str]
) -> tuple[Path, list[GlossaryProblem]]:
    """Append `values` (column → text) to the glossary CSV, if the result checks clean.

    `glossary` is a CSV file or a folder (then its names.csv, created if absent). Returns the
    file and every problem of the glossary with the row added; when one of them is an error
    nothing was written.
    """
    target = glossary / "names.csv" if glossary.is_dir() else glossary
    others = [p for p in _csv_files(glossary) if p.resolve() != target.resolve()] if glossary.is_dir() else []
    raw = target.read_bytes() if target.exists() else b""
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    # Decoded by hand: read_text would turn the file's \r\n into \n.
    original = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in original else "\n"
    if original.strip():
        header = [h.strip().lower() for h in next(csv.reader(io.StringIO(original)))]
        prefix = original if original.endswith(("\n", "\r")) else original + newline
    else:
        header = list(COLUMNS)
        prefix = ",".join(COLUMNS) + newline
    unplaced = [k for k, v in values.items() if v and k not in header]
    if unplaced:
        problem = f"the file has no column for {', '.join(unplaced)}; add it to the header first"
        return target, [GlossaryProblem(target, 1, "error", problem)]
    candidate = prefix + _row_text(header, values, newline)
    problems = check_glossary([*others, target], pending={target: candidate})
    if not any(p.severity == "error" for p in problems):
        write_text_atomic(target, bom + candidate)
    return target, problems


# --- reading a corpus ------------------------------------------------------------------------


def segment_sentences(segments: Iterable[Segment]) -> list[Sentence]:
    """The Arabic segments, each with its English when it has a translation. A garbled
    segment's words are a wrong font's, not names to propose."""
    return [Sentence(s.arabic, s.english if s.origin != Origin.UNTRANSLATED else "")
            for s in segments if s.language == "ar" and s.arabic and Flag.GARBLED not in s.flags]


def read_segments(output_dir: Path) -> list[Sentence]:
    """The Arabic segments (with their English) of every segments.jsonl under `output_dir`."""
    return segment_sentences(segment_from_row(row) for path in sorted(output_dir.rglob("segments.jsonl"))
                             for row in read_jsonl(path))


def read_text_files(paths: Iterable[Path]) -> list[Sentence]:
    """Each non-blank line of the given UTF-8 text files, as an Arabic sentence."""
    return [
        Sentence(line.strip())
        for path in paths
        for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        if line.strip()
    ]


def arabic_lexicon() -> Lexicon | None:
    """hunspell-ar's verdict on a word, or None when the lexicon is missing (that signal is
    then skipped). The shared lexicon, with its lock: Hunspell is not thread-safe."""
    lexicon, _ = default_lexicon()
    return lexicon.check if lexicon is not None else None


# --- proposing names -------------------------------------------------------------------------


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.examples: dict[tuple[str, str], str] = {}
        self.types: dict[tuple[str, str], str] = {}
        self.reasons: dict[tuple[str, str], dict[str, None]] = {}
        self.translations: dict[tuple[str, str], dict[str, None]] = {}
        self.sentence = 0
        self.english = ""  # the current sentence's translation
        self._seen: set[tuple[str, str, int, int]] = set()

    def add(self, english: str, arabic: str, kind: str, reason: str, example: str, at: int) -> None:
        """Count a name seen at token/char `at` of the current sentence (once, whatever said so)."""
        key = (english, arabic)
        if (english, arabic, self.sentence, at) not in self._seen:
            self._seen.add((english, arabic, self.sentence, at))
            self.counts[key] += 1
        if key not in self.examples:
            self.examples[key] = _example(example, english or arabic)
        if kind and not self.types.get(key):
            self.types[key] = kind
        self.reasons.setdefault(key, {})[reason] = None
        translations = self.translations.setdefault(key, {})
        if arabic and self.english and len(translations) < _TRANSLATIONS_KEPT:
            translations[self.english] = None


def _masked(text: str, glossary: Glossary | None) -> str:
    # Known names are blanked out so that no word of theirs is proposed again.
    if glossary is not None:
        for hit in reversed(glossary.find(text)):
            text = text[: hit.start] + _BARRIER + text[hit.end :]
    return _INSIDE_WORD.sub("", text)


def _strip_conjunction(word: str) -> str:
    return word[1:] if len(word) > _MIN_UNKNOWN_LENGTH and word[0] in _CONJUNCTIONS else word


def _example(text: str, needle: str = "") -> str:
    """The sentence, or the part of it around `needle` when it is long."""
    text = " ".join(_INSIDE_WORD.sub("", text).split())
    if len(text) <= _EXAMPLE_CHARS:
        return text
    at = max(0, text.find(needle)) if needle else 0
    start = max(0, min(at - _EXAMPLE_CHARS // 3, len(text) - _EXAMPLE_CHARS))
    clip = text[start : start + _EXAMPLE_CHARS]
    return ("…" if start else "") + clip + ("…" if start + _EXAMPLE_CHARS < len(text) else "")


def _quoted(tokens: Sequence[str], start: int) -> list[str]:
    """The words of «...» opening at `start` (company names are often quoted), or []."""
    if start >= len(tokens) or tokens[start] not in "«\"“":
        return []
    words = []
    for token in tokens[start + 1 : start + 2 + _MAX_NAME_WORDS]:
        if token in "»\"”":
            return words
        if not _ARABIC_WORD.fullmatch(token):
            return []
        words.append(token)
    return []


def _after_triggers(
    tokens: Sequence[str], lexicon: Lexicon | None, tally: _Tally, example: str
) -> None:
    for i, token in enumerate(tokens):
        kind = _TRIGGERS.get(_strip_conjunction(token)) or _TRIGGERS.get(token)
        if kind is None:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j] in "/:-–":  # السيد / أمير خان متقي
            j += 1
        # Skip the ministry, nationality or rank after the title (وزير الخارجية الكازاخستاني).
        while (kind == "person" and j < len(tokens) and j - i <= _MAX_TITLE_SKIP
               and (tokens[j].startswith("ال") or tokens[j] in _OFFICES)):
            j += 1
        quoted = _quoted(tokens, j)
        name, at = (quoted, j + 1) if quoted else ([], j)
        while not quoted and j < len(tokens) and len(name) < _MAX_NAME_WORDS:
            word = tokens[j]
            if not _ARABIC_WORD.fullmatch(word) or word in _STOPWORDS or word in _TRIGGERS:
                break
            if kind == "person":
                compound = word in _NAME_ARTICLE_WORDS or (name and name[-1] in _NAME_FIRST_HALVES)
                if name and word.startswith("ال") and not compound:
                    break
            # After شركة or منطقة most words are common nouns (شركة طيران، منطقة خالية); a
            # foreign name is what the lexicon does not know.
            elif lexicon is None or lexicon(word):
                break
            name.append(word)
            j += 1
        if name and len("".join(name)) > 2:
            tally.add("", " ".join(name), kind, f"after {token}", example, at)


def _is_glued(word: str, lexicon: Lexicon) -> bool:
    """Two known words run together by a damaged PDF (الدوليتقديرات), not a foreign name."""
    return any(
        lexicon(word[:k]) and lexicon(word[k:])
        for k in range(2, len(word) - 1)
    )


def _with_hamza(word: str) -> tuple[str, ...]:
    """The word with a hamza on a bare initial alef (اجمالي, الارهاب), as the lexicon spells it."""
    at = 2 if word.startswith("الا") else 0 if word.startswith("ا") else -1
    if at < 0:
        return ()
    return tuple(word[:at] + alef + word[at + 1 :] for alef in "أإآ")


def _unknown_words(tokens: Sequence[str], lexicon: Lexicon, tally: _Tally, example: str) -> None:
    for at, token in enumerate(tokens):
        if len(token) < _MIN_UNKNOWN_LENGTH or not _ARABIC_WORD.fullmatch(token) or token in _STOPWORDS:
            continue
        if lexicon(token):
            continue
        word = _strip_conjunction(token)
        if any(lexicon(form) for form in {word, *_with_hamza(word)} - {token}):
            continue
        if _is_glued(word, lexicon):
            continue
        tally.add("", word, "", "not in the Arabic lexicon", example, at)


def _english_names(english: str, tally: _Tally, example: str, known: Sequence[str]) -> None:
    from wordfreq import zipf_frequency

    for m in _CAPITALISED_RUN.finditer(english):
        phrase = m.group(1)
        before = english[: m.start(1)]
        # A capital after a full stop says nothing, except after Mr. or Dr.
        if _SENTENCE_START.search(before) and not _TITLE_ABBREVIATION.search(before):
            continue
        folded = phrase.casefold()
        if any(folded in k or re.search(rf"\b{re.escape(k)}\b", folded) for k in known):
            continue
        words = _ENGLISH_WORD.findall(phrase)
        if all(zipf_frequency(w.lower(), "en") >= _RARE_ENGLISH_ZIPF for w in words):
            continue
        tally.add(phrase, "", "", "capitalised, rare in English", example, m.start(1))


def propose_english(arabic: str, translations: Iterable[str] = ()) -> tuple[str, str]:
    """A proposed English form of an Arabic name, and where it came from.

    The capitalised phrase of the translations (as many words as the name) closest to the
    name's transliteration, when it is close enough; else the transliteration.
    """
    guess = romanize_name(arabic)
    size = len(arabic.split())
    best, best_ratio = "", _MIN_SPELLING_MATCH
    for english in translations:
        for run in _CAPITALISED_RUN.finditer(english):
            # Words of the run, hyphenated parts counted apart (Kassym-Jomart for قاسم جومارت).
            words = list(_ENGLISH_WORD.finditer(english, run.start(1), run.end(1)))
            for first in range(len(words) - size + 1):
                phrase = english[words[first].start() : words[first + size - 1].end()]
                ratio = SequenceMatcher(None, phrase.casefold(), guess.casefold()).ratio()
                if ratio > best_ratio:
                    best, best_ratio = phrase, ratio
    return (best, "spelled as in the translation") if best else (guess, "transliterated")


def suggest_names(
    sentences: Iterable[Sentence],
    glossary: Glossary | None = None,
    lexicon: Lexicon | None = None,
    limit: int | None = None,
    damaged: Callable[[str], str | None] = looks_damaged,
) -> list[Suggestion]:
    """Names in `sentences` that the glossary does not match, most frequent first.

    ``damaged``: :func:`looks_damaged`, or the same answers kept from an earlier run."""
    known = [e.english.casefold() for e in glossary.entries] if glossary is not None else []
    known_arabic = (
        {normalize_arabic(f).strip() for e in glossary.entries for f in e.forms} if glossary else set()
    )
    tally = _Tally()
    for number, sentence in enumerate(sentences):
        tally.sentence, tally.english = number, sentence.english
        example = sentence.arabic
        tokens = _TOKEN.findall(_masked(sentence.arabic, glossary))
        _after_triggers(tokens, lexicon, tally, example)
        if lexicon is not None:
            _unknown_words(tokens, lexicon, tally, example)
        if sentence.english:
            _english_names(sentence.english, tally, sentence.english, known)
    suggestions = []
    for key, count in tally.counts.items():
        english, arabic = key
        # A bare word the glossary knows only as a variant form is still known.
        if arabic and (normalize_arabic(arabic).strip() in known_arabic or damaged(arabic)):
            continue
        source = ""
        if arabic and not english:
            english, source = propose_english(arabic, tally.translations[key])
        suggestions.append(Suggestion(english, arabic, tally.types.get(key, ""), count,
                                      tally.examples[key], tuple(tally.reasons[key]), source))
    # An English-only candidate that an Arabic one already proposes is the same name.
    paired = {s.english for s in suggestions if s.arabic}
    suggestions = [s for s in suggestions if s.arabic or s.english not in paired]
    suggestions.sort(key=lambda s: (-s.count, s.arabic or s.english))
    return suggestions[:limit] if limit is not None else suggestions


def render_suggestions(suggestions: Sequence[Suggestion]) -> str:
    """CSV text with the glossary's header, one row per suggestion, ready to complete."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(s.row() for s in suggestions)
    return buffer.getvalue()
