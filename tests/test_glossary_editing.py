"""Glossary editing that protects the glossary: refusals, real file names, useful suggestions."""

from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qantara.arabic.romanize import romanize_name
from qantara_cli import app
from qantara.glossary import check_glossary, load_glossary
from qantara.glossary.damage import damage_kind, looks_damaged
from qantara.glossary.suggest import Sentence, append_entry, propose_english, render_suggestions, suggest_names

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary"
runner = CliRunner()


def _copy_glossary(tmp_path: Path) -> Path:
    folder = tmp_path / "glossary"
    shutil.copytree(GLOSSARY, folder)
    return folder


def _add(folder: Path, *args: str):
    return runner.invoke(app, ["glossary", "add", "--glossary", str(folder), *args])


# --- add refuses what would mislead ---------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        # A second Astana (the capital's other name spelled as a new row).
        (["--english", "Astana", "--arabic", "أستانة", "--type", "place"],
         "'Astana' is already an entry"),
        (["--english", "astana ", "--arabic", "استانه", "--type", "place"], "already an entry"),
        # Swapped columns.
        (["--english", "أستانة", "--arabic", "Astana City", "--type", "place"],
         "the english and arabic columns are swapped"),
        (["--english", "نور سلطان", "--arabic", "نور سلطان", "--type", "place"], "is in Arabic script"),
        (["--english", "Nur-Sultan", "--arabic", "Nur-Sultan", "--type", "place"], "has no Arabic letter"),
    ],
)
def test_add_refuses_duplicates_and_swapped_columns(tmp_path, args, message):
    folder = _copy_glossary(tmp_path)
    before = (folder / "names.csv").read_bytes()
    result = _add(folder, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert f"{folder / 'names.csv'}:" in result.output
    assert (folder / "names.csv").read_bytes() == before


def test_the_duplicate_message_names_the_first_row_and_what_to_do(tmp_path):
    folder = _copy_glossary(tmp_path)
    row = next(n for n, r in enumerate(csv.DictReader((folder / "names.csv").open(encoding="utf-8")), start=2)
               if r["english"] == "Astana")
    result = _add(folder, "--english", "Astana", "--arabic", "أستانة", "--type", "place")
    assert f"({folder / 'names.csv'} row {row}); add 'أستانة' to its variants instead" in result.output


def test_warnings_name_the_real_file_never_a_temporary_one(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    names = folder / "names.csv"
    names.write_text("english,arabic,variants,type,note,context\n"
                     "Masdar,مصدر,,organization,,شركة\n", encoding="utf-8")
    # The same company under another context rule: allowed, with a warning about row 2.
    target, problems = append_entry(folder, {"english": "Masdar", "arabic": "مصدر", "type": "organization",
                                             "context": "مدينة"})
    assert target == names and not [p for p in problems if p.severity == "error"]
    assert [(p.path, p.row, p.severity) for p in problems] == [(names, 3, "warning")]
    assert f"({names} row 2)" in problems[0].message
    result = _add(folder, "--english", "Masdar", "--arabic", "مصدر", "--type", "organization",
                  "--context", "مشروع")
    assert result.exit_code == 0
    paths = set(re.findall(r"(/[^\s:()]+\.csv)", result.output))
    assert paths == {str(names)}, result.output


def test_check_reports_swapped_rows_in_files(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("english,arabic,type\nKuwait,الكويت,place\nالبحرين,Bahrain,place\n"
                    "Oman,عمان|Oman,place\n", encoding="utf-8")
    problems = {(p.row, p.severity): p.message for p in check_glossary(path)}
    assert "swapped" in problems[(3, "error")]
    assert (4, "error") not in problems  # a variant column is not read from the arabic cell
    path.write_text("english,arabic,variants,type\nOman,عمان,Oman,place\n", encoding="utf-8")
    (problem,) = check_glossary(path)
    assert (problem.row, problem.severity) == (2, "warning") and "no Arabic letter" in problem.message


# --- suggest proposes an English form, and no damage -----------------------------------------

CORPUS = [
    Sentence("زار السيد قاسم جومارت توكاييف طشقند", "Mr. Kassym-Jomart Tokayev visited Tashkent."),
    Sentence("وقال توكاييف إن التعاون مهم", "Tokayev said that cooperation matters."),
    Sentence("التقى الرئيس شوكت ميرزاييف وفد سمرقند"),
    # Extraction damage the lexicon does not know either.
    Sentence("آآسسيياا االلووسسططىى ععنن وتقرير"),
    Sentence("إنشاء منطقة ةالية من الأسلحة"),
    Sentence("المناالإجمالي للمجموعة أالتوصيات"),
    Sentence("الاقت ادية في أوزبكستانو الاقتصادية"),
]
# Stands in for hunspell-ar: the common words above, no names, no damage.
COMMON = frozenset("زار قال وقال إن التعاون مهم التقى الرئيس وفد إنشاء منطقة من الأسلحة للمجموعة "
                   "في الاقتصادية وتقرير".split())


def _lexicon(word: str) -> bool:
    return word in COMMON


def test_every_arabic_suggestion_has_an_english_form_marked_unverified():
    found = suggest_names(CORPUS, None, _lexicon)
    arabic = [s for s in found if s.arabic]
    assert arabic and all(s.english and s.english_from for s in arabic)
    rows = list(csv.DictReader(io.StringIO(render_suggestions(found))))
    assert all(r["english"] and "english unverified" in r["note"] for r in rows if r["arabic"])
    by_arabic = {s.arabic: s for s in arabic}
    # Spelled as the translation spells it where a translation has it ...
    assert (by_arabic["توكاييف"].english, by_arabic["توكاييف"].english_from) == (
        "Tokayev", "spelled as in the translation")
    # ... else transliterated.
    assert by_arabic["قاسم جومارت توكاييف"].english == "Kassym-Jomart Tokayev"
    assert (by_arabic["ميرزاييف"].english, by_arabic["ميرزاييف"].english_from) == ("Mirzayev", "transliterated")
    assert by_arabic["سمرقند"].english == "Samarqand"
    # The translation's own spelling, found as an English candidate, is not proposed twice.
    assert "Kassym-Jomart Tokayev" not in {s.english for s in found if not s.arabic}


def test_damaged_words_are_never_suggested():
    found = {s.arabic for s in suggest_names(CORPUS, None, _lexicon)}
    assert {"توكاييف", "طشقند", "سمرقند"} <= found
    for damaged in ("آآسسيياا", "االلووسسططىى", "ععنن", "ةالية", "المناالإجمالي", "أالتوصيات",
                    "الاقت", "أوزبكستانو"):
        assert damaged not in found
        assert looks_damaged(damaged), damaged


def test_check_warns_about_rows_still_marked_unverified(tmp_path):
    path = tmp_path / "names.csv"
    text = render_suggestions(suggest_names(CORPUS[:2], None, _lexicon))
    path.write_text(text, encoding="utf-8")
    problems = check_glossary(path)
    assert problems and all(p.severity == "warning" and "marked unverified" in p.message for p in problems)
    load_glossary(path)  # warnings only: the rows are usable


@pytest.mark.parametrize(
    "arabic, english",
    [
        ("كازاخستان", "Kazakhstan"), ("أستانا", "Astana"), ("طشقند", "Tashqand"), ("سمرقند", "Samarqand"),
        ("ميرزاييف", "Mirzayev"), ("نزارباييف", "Nazarbayev"), ("كريموف", "Karimov"), ("قاسم", "Qasim"),
        ("خالد", "Khalid"), ("بيشكيك", "Bishkik"), ("الرياض", "Al-Rayad"), ("عبد الله", "Abd Al-Lah"),
        ("أوزبكستان", "Uzbakstan"), ("قيرغيزستان", "Qirghizstan"), ("شَوْكَت", "Shukit"),
    ],
)
def test_transliteration_rules(arabic, english):
    assert romanize_name(arabic) == english


def test_translation_spelling_needs_the_same_number_of_words_and_a_close_match():
    assert propose_english("توكاييف", ["President Kassym-Jomart Tokayev arrived."]) == (
        "Tokayev", "spelled as in the translation")
    assert propose_english("طشقند", ["The Minister of Energy arrived."]) == ("Tashqand", "transliterated")


# --- the damage filter on generated damage ----------------------------------------------------


def _damage(word: str, rng: random.Random) -> tuple[str, str]:
    kinds = {
        "doubled": lambda w: "".join(c + c for c in w),
        "cut start": lambda w: w[rng.randint(1, 2):],
        "cut end": lambda w: w[: -rng.randint(1, 2)],
        "ta marbuta inside": lambda w: w[:2] + "ة" + w[3:],
        "two alefs": lambda w: w[:2] + "اا" + w[2:],
        "glued conjunction": lambda w: w + "و",
    }
    kind = rng.choice(sorted(kinds))
    return kind, kinds[kind](word)


def test_generated_damage_is_caught_and_glossary_names_pass():
    from wordfreq import top_n_list, zipf_frequency

    seed = int(os.environ.get("QANTARA_TEST_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    common = [w for w in top_n_list("ar", 20_000)[2_000:] if len(w) >= 6 and w.isalpha()]
    missed, tried = [], 0
    for word in rng.sample(common, 150):
        kind, damaged = _damage(word, rng)
        if zipf_frequency(damaged, "ar") >= 1.0:
            continue  # the damage made another real word: nothing to catch
        tried += 1
        if damage_kind(damaged) is None:
            missed.append((kind, word, damaged))
    assert tried >= 100
    assert len(missed) <= 0.1 * tried, f"seed {seed}: missed {len(missed)}/{tried}: {missed[:10]}"
    names = [form for entry in load_glossary(GLOSSARY).entries for form in entry.forms]
    flagged = [(name, looks_damaged(name)) for name in names if looks_damaged(name)]
    assert flagged == [], f"seed {seed}"
