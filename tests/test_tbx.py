import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from translate.storage.tbx import tbxfile
from typer.testing import CliRunner

from qantara_cli import app
from qantara.glossary import GlossaryEntry, load_glossary
from qantara.glossary.tbx import render_tbx

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ENTRIES = (
    GlossaryEntry("Kuwait", "الكويت", type="place"),
    GlossaryEntry("Shavkat Mirziyoyev", "شوكت ميرضيائيف", ("ميرزاييف", "شوكت ميرزاييف"), "person",
                  note="President of Uzbekistan"),
    GlossaryEntry("Masdar", "مصدر", type="organization", note="also 'source' & <noun>",
                  context=("شركة", "شركات")),
)


def _terms(entry, lang):
    return [t.text for ls in entry.iter("langSet") if ls.get(XML_LANG) == lang for t in ls.iter("term")]


def test_tbx_reparses_with_translate_toolkit():
    store = tbxfile.parsestring(render_tbx(ENTRIES))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == 3
    assert [[t.text for t in u.get_source_terms()] for u in units] == [
        ["الكويت"], ["شوكت ميرضيائيف", "ميرزاييف", "شوكت ميرزاييف"], ["مصدر"]
    ]
    assert [[t.text for t in u.get_target_terms()] for u in units] == [
        ["Kuwait"], ["Shavkat Mirziyoyev"], ["Masdar"]
    ]
    notes = units[2].getnotes()
    assert "type: organization" in notes and "also 'source' & <noun>" in notes
    assert "شركة | شركات" in notes


def test_tbx_reparses_with_elementtree():
    root = ET.fromstring(render_tbx(ENTRIES))
    assert root.tag == "martif" and root.get("type") == "TBX"
    entries = root.findall("./text/body/termEntry")
    assert [e.get("id") for e in entries] == ["qantara-1", "qantara-2", "qantara-3"]
    assert _terms(entries[1], "ar") == ["شوكت ميرضيائيف", "ميرزاييف", "شوكت ميرزاييف"]
    assert _terms(entries[1], "en") == ["Shavkat Mirziyoyev"]
    # The Arabic langSet comes first: readers not told the languages take it as the source.
    assert entries[0].find("langSet").get(XML_LANG) == "ar"


def test_empty_glossary_is_a_valid_empty_tbx():
    root = ET.fromstring(render_tbx(()))
    assert root.findall("./text/body/termEntry") == []


def test_cli_export_writes_one_entry_per_row(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(GLOSSARY, folder)
    target = tmp_path / "out" / "names.tbx"
    result = CliRunner().invoke(app, ["glossary", "export", "--glossary", str(folder), "--output", str(target)])
    assert result.exit_code == 0, result.output
    rows = load_glossary(folder).entries
    entries = ET.parse(target).getroot().findall("./text/body/termEntry")
    assert len(entries) == len(rows) >= 60
    assert [_terms(e, "en")[0] for e in entries] == [r.english for r in rows]
    assert [_terms(e, "ar") for e in entries] == [list(r.forms) for r in rows]
    assert len([u for u in tbxfile.parsefile(str(target)).units if not u.isheader()]) == len(rows)


def test_cli_export_refuses_a_broken_glossary(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("english,arabic,type\nKuwait,الكويت,planet\n", encoding="utf-8")
    target = tmp_path / "names.tbx"
    result = CliRunner().invoke(app, ["glossary", "export", "--glossary", str(bad), "--output", str(target)])
    assert result.exit_code == 1
    assert "unknown type" in result.output
    assert not target.exists()


@pytest.mark.parametrize("rows", [1, 2])
def test_cli_export_of_several_files_keeps_all_rows(tmp_path, rows):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "a.csv").write_text("english,arabic\nKuwait,الكويت\n", encoding="utf-8")
    if rows == 2:
        (folder / "b.csv").write_text("english,arabic\nTashkent,طشقند\n", encoding="utf-8")
    target = tmp_path / "g.tbx"
    result = CliRunner().invoke(app, ["glossary", "export", "--glossary", str(folder), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert len(ET.parse(target).getroot().findall("./text/body/termEntry")) == rows
