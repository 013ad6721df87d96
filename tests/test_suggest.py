import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qantara_cli import app
from qantara.glossary import COLUMNS, build_glossary, GlossaryEntry, load_glossary
from qantara.glossary.suggest import (
    Sentence,
    append_entry,
    arabic_lexicon,
    read_segments,
    render_suggestions,
    suggest_names,
)

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary"
runner = CliRunner()

KNOWN = build_glossary([
    GlossaryEntry("Kuwait", "الكويت", type="place"),
    GlossaryEntry("Tajikistan", "طاجيكستان", type="place"),
    GlossaryEntry("Shavkat Mirziyoyev", "شوكت ميرزاييف", ("ميرزاييف",), "person"),
])
# A stand-in for hunspell-ar: knows the common words of the corpus below, no foreign names.
COMMON = frozenset(
    "زار قال التقى إلى في مع وفد الخارجية اليوم أمس طيران شركة منطقة خالية مدنية مشتركة الطاقة "
    "عن الاتفاق وأكد التعاون اجتماع عقد".split()
)


def lexicon(word):
    return word in COMMON or word.startswith("ال") and word[2:] in COMMON


CORPUS = [
    Sentence("زار السيد أمير خان متقي الكويت اليوم", "Mr. Amir Khan Muttaqi visited Kuwait today."),
    Sentence("التقى السيد أمير خان متقي وفد الكويت", "Amir Khan Muttaqi met the Kuwaiti delegation."),
    Sentence("وقال وزير الخارجية سراج الدين مهر الدين إن الاتفاق مهم"),
    Sentence("وأكد الرئيس شوكت ميرزاييف أهمية التعاون مع طاجيكستان"),
    Sentence("عقد اجتماع مع شركة «أكوا باور» في طشقند"),
    Sentence("شركة طيران مدنية مشتركة في منطقة خالية"),
    Sentence("قال تلوبردي في طشقند أمس"),
]


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _copy_glossary(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(GLOSSARY, folder)
    return folder


# --- suggest -------------------------------------------------------------------------------


def test_suggestions_rank_names_by_frequency_with_examples():
    found = suggest_names(CORPUS, KNOWN, lexicon)
    by_arabic = {s.arabic: s for s in found if s.arabic}
    assert by_arabic["أمير خان متقي"].count == 2 and by_arabic["أمير خان متقي"].type == "person"
    assert "السيد أمير خان متقي" in by_arabic["أمير خان متقي"].example
    assert by_arabic["سراج الدين مهر"].type == "person"  # the ministry is skipped
    assert by_arabic["أكوا باور"].type == "organization"  # quoted company name
    assert "طشقند" in by_arabic and by_arabic["طشقند"].count == 2
    assert "تلوبردي" in by_arabic
    assert found[0].arabic == "أمير خان متقي" or found[0].count >= 2
    assert [s.count for s in found] == sorted((s.count for s in found), reverse=True)


@pytest.mark.parametrize("word", ["الكويت", "طاجيكستان", "شوكت ميرزاييف", "ميرزاييف", "خالية", "طيران"])
def test_known_names_and_common_words_are_not_proposed(word):
    assert word not in {s.arabic for s in suggest_names(CORPUS, KNOWN, lexicon)}


def test_rare_capitalised_english_words_are_proposed():
    found = suggest_names(CORPUS, KNOWN, lexicon)
    english = {s.english: s for s in found if s.english}
    assert "Amir Khan Muttaqi" in english
    assert "Kuwait" not in english and "Mr" not in english  # known name; sentence start


def test_without_a_lexicon_titles_still_work():
    found = {s.arabic for s in suggest_names(CORPUS, KNOWN, None)}
    assert "أمير خان متقي" in found
    assert "تلوبردي" not in found  # only the lexicon could say it is foreign


def test_limit_and_csv_shape():
    text = render_suggestions(suggest_names(CORPUS, KNOWN, lexicon, limit=3))
    rows = _rows(text)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert len(rows) == 3
    assert all(r["note"].startswith("seen ") and "e.g. " in r["note"] for r in rows)


def test_real_lexicon_knows_arabic_and_not_transliterations():
    check = arabic_lexicon()
    if check is None:
        pytest.skip("pyenchant with hunspell-ar is not installed")
    assert check("الوزير") and check("والتعاون")
    assert not check("تلوبردي")


def _write_segments(folder):
    doc = folder / "report"
    doc.mkdir(parents=True)
    records = [
        {"id": "p1s1", "language": "ar", "arabic": s.arabic, "english": s.english, "origin": "machine"}
        for s in CORPUS
    ] + [{"id": "p9s1", "language": "en", "arabic": "English annex", "english": "English annex",
          "origin": "source-english"}]
    (doc / "segments.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


def test_read_segments_keeps_arabic_segments(tmp_path):
    _write_segments(tmp_path)
    sentences = read_segments(tmp_path)
    assert len(sentences) == len(CORPUS)
    assert sentences[0].english.startswith("Mr. Amir")


def test_cli_suggest_reads_outputs_and_files(tmp_path):
    _write_segments(tmp_path / "outputs")
    extra = tmp_path / "extra.txt"
    extra.write_text("قالت السيدة غولنارا كريموفا\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "suggest", "--output", str(tmp_path / "outputs"),
                                 "--glossary", str(GLOSSARY), "--limit", "40", str(extra)])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert {"أمير خان متقي", "غولنارا كريموفا"} <= {r["arabic"] for r in rows}
    assert "كازاخستان" not in {r["arabic"] for r in rows}


def test_cli_suggest_with_nothing_to_read_fails(tmp_path):
    result = runner.invoke(app, ["glossary", "suggest", "--output", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "nothing to read" in result.output


# --- add -----------------------------------------------------------------------------------


def test_cli_add_appends_a_checked_row(tmp_path):
    folder = _copy_glossary(tmp_path)
    before = (folder / "names.csv").read_text(encoding="utf-8")
    result = runner.invoke(app, [
        "glossary", "add", "--glossary", str(folder), "--english", "Amir Khan Muttaqi",
        "--arabic", "أمير خان متقي", "--variants", "متقي|أمير متقي", "--type", "person",
        "--note", "Afghan foreign minister, seed 004", "--context", "السيد|الوزير",
    ])
    assert result.exit_code == 0, result.output
    after = (folder / "names.csv").read_text(encoding="utf-8")
    assert after.startswith(before)
    entry = load_glossary(folder).entries[-1]
    assert (entry.english, entry.arabic, entry.variants, entry.type, entry.context) == (
        "Amir Khan Muttaqi", "أمير خان متقي", ("متقي", "أمير متقي"), "person", ("السيد", "الوزير")
    )
    assert [h.english for h in load_glossary(folder).find("قال السيد متقي")] == ["Amir Khan Muttaqi"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--english", "Qatar", "--arabic", "الكويت"], "is also 'Kuwait'"),
        (["--english", "Kuwait", "--arabic", "الكويت", "--type", "place"], "duplicate of"),
        (["--english", "Somewhere", "--arabic", "مكان ما", "--type", "planet"], "unknown type"),
        (["--english", "", "--arabic", "مكان ما"], "missing english"),
        (["--english", "Nowhere", "--arabic", "ـ"], "empty Arabic form"),
    ],
)
def test_cli_add_refuses_and_leaves_the_file_unchanged(tmp_path, args, message):
    folder = _copy_glossary(tmp_path)
    before = (folder / "names.csv").read_bytes()
    result = runner.invoke(app, ["glossary", "add", "--glossary", str(folder), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert f"{folder / 'names.csv'}:" in result.output  # file and row
    assert (folder / "names.csv").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in GLOSSARY.iterdir())


def test_add_checks_against_the_other_files_of_the_folder(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "places.csv").write_text("english,arabic\nKuwait,الكويت\n", encoding="utf-8")
    target, problems = append_entry(folder, {"english": "Qatar", "arabic": "الكويت"})
    assert target == folder / "names.csv"
    assert any(p.severity == "error" and p.path == target for p in problems)
    assert not target.exists()
    target, problems = append_entry(folder, {"english": "Qatar", "arabic": "قطر", "type": "place"})
    assert not [p for p in problems if p.severity == "error"]
    assert target.read_text(encoding="utf-8") == ",".join(COLUMNS) + "\nQatar,قطر,,place,,\n"


def test_add_follows_the_file_header_quoting_and_line_endings(tmp_path):
    path = tmp_path / "names.csv"
    path.write_bytes("\ufeffarabic,english,note\r\nالكويت,Kuwait,x".encode("utf-8"))
    _, problems = append_entry(path, {"english": "Gulf Cooperation Council (GCC)", "arabic": "مجلس التعاون",
                                      "note": 'a "quoted", note'})
    assert problems == []
    assert path.read_bytes().decode("utf-8") == (
        "\ufeffarabic,english,note\r\nالكويت,Kuwait,x\r\n"
        'مجلس التعاون,Gulf Cooperation Council (GCC),"a ""quoted"", note"\r\n'
    )
    _, problems = append_entry(path, {"english": "Qatar", "arabic": "قطر", "type": "place"})
    assert problems and "no column for type" in problems[0].message
