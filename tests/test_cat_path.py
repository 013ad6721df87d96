"""What a CAT tool reads from a run: XLIFF units with glossary terms, trust, MT marked and
fuzzy matches as alt-trans; the signature and flag legend once per file; TMX entries whose
origin and creator say machine or reviewer; a TBX and an OmegaT project per run."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from lxml import etree

from qantara.publish import publish_document, publish_run
from qantara.publish.exchange import QANTARA_NS, render_tmx, render_xliff
from qantara.publish.omegat import PROJECT_DIR
from qantara.glossary import load_glossary
from qantara.types import FuzzyMatch, Origin, RunSummary

from test_publish import mixed_bitext

X = "{urn:oasis:names:tc:xliff:document:1.2}"
ROOT = Path(__file__).resolve().parents[1]
# XLIFF 1.2 (xliff-core-1.2-strict.xsd): a trans-unit holds source, seg-source?, target?,
# then any of context-group, count-group, prop-group, note, alt-trans; a file, header? then body.
_UNIT_ORDER = {"source": 0, "seg-source": 1, "target": 2}
_STATE_QUALIFIERS = {"exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited",
                     "leveraged-mt", "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar",
                     "rejected-inaccurate", "rejected-length", "rejected-spelling", "tm-suggestion"}


def bitext():
    doc = mixed_bitext()
    machine = doc.segments[0]
    fuzzy = (FuzzyMatch("وصل الوفد إلى قطر.", "The delegation arrived in Qatar.", 87, "other", "p4s1"),)
    segments = (dataclasses.replace(machine, fuzzy=fuzzy, translation=dataclasses.replace(
        machine.translation, score=math.log(0.8))),) + doc.segments[1:]
    return dataclasses.replace(doc, segments=segments)


def check_xliff_structure(root) -> None:
    assert root.tag == f"{X}xliff" and root.get("version") == "1.2"
    for file_node in root.iter(f"{X}file"):
        children = [etree.QName(c).localname for c in file_node]
        assert children == ["header", "body"]
        for unit in file_node.iter(f"{X}trans-unit"):
            names = [etree.QName(c).localname for c in unit]
            head = [n for n in names if n in _UNIT_ORDER]
            assert names[: len(head)] == head and head == sorted(head, key=_UNIT_ORDER.get) and head[0] == "source"
            assert set(names) - set(_UNIT_ORDER) <= {"note", "alt-trans", "context-group", "prop-group"}
            target = unit.find(f"{X}target")
            if target.get("state-qualifier") is not None:
                assert target.get("state-qualifier") in _STATE_QUALIFIERS
            for alt in unit.findall(f"{X}alt-trans"):
                assert [etree.QName(c).localname for c in alt] == ["source", "target"]
                assert alt.get("match-quality").endswith("%")


def test_xliff_units_carry_trust_glossary_mt_state_and_fuzzy_matches():
    from translate.storage import xliff

    data = render_xliff(bitext())
    assert len(xliff.xlifffile.parsestring(data).units) == 4
    root = etree.fromstring(data)
    check_xliff_structure(root)
    units = {u.get("id"): u for u in root.iter(f"{X}trans-unit")}
    machine, reviewed, untranslated = units["p1s1"], units["p1s2"], units["p2s1"]
    assert machine.find(f"{X}target").get("state-qualifier") == "mt-suggestion"
    assert reviewed.find(f"{X}target").get("state-qualifier") is None
    # Trust: an attribute units can be filtered by (least trusted first to review).
    trust = {uid: int(u.get(f"{{{QANTARA_NS}}}trust")) for uid, u in units.items()}
    assert trust["p1s2"] == 100 and trust["p2s1"] == 0 and 0 < trust["p1s1"] < 100
    assert [u.get("id") for u in root.xpath("//x:trans-unit[@qt:trust < 50]",
                                             namespaces={"x": X[1:-1], "qt": QANTARA_NS})] == ["p2s1"]
    notes = [(n.get("from"), n.text) for n in machine.findall(f"{X}note")]
    assert ("glossary", "الكويت = Kuwait") in notes
    assert not any(text.startswith("signature") for _, text in notes)
    (alt,) = machine.findall(f"{X}alt-trans")
    assert (alt.get("match-quality"), alt.get("origin")) == ("87%", "memory")
    assert alt.find(f"{X}target").text == "The delegation arrived in Qatar."
    # Never the translation: the unit's own target is the machine's.
    assert machine.find(f"{X}target").text == "The delegation arrived in Kuwait."
    assert untranslated.findall(f"{X}alt-trans") == []
    header = root.find(f"{X}file/{X}header")
    notes = [(n.get("from"), n.text) for n in header.findall(f"{X}note")]
    assert ("qantara", "signature: qantara:test|model:none") in notes
    assert any(origin == "legend" and text.startswith("untranslated: ") for origin, text in notes)
    assert header.find(f"{X}glossary/{X}external-file").get("href") == "../glossary.tbx"


def test_tmx_marks_machine_and_reviewed_entries():
    root = etree.fromstring(render_tmx(bitext()))
    tus = {tu.get("tuid"): tu for tu in root.iter("tu")}
    for tuid, origin, creator in (("p1s1", "machine", "qantara-mt"), ("p1s2", "reviewed", "qantara-reviewer")):
        tu = tus[tuid]
        assert {p.get("type"): p.text for p in tu.findall("prop")}["x-origin"] == origin
        assert tu.get("creationid") == creator and tu.findall("tuv")[-1].get("creationid") == creator


def test_records_and_review_page_carry_trust_and_fuzzy_matches(tmp_path):
    publish_document(bitext(), tmp_path)
    rows = [json.loads(line) for line in (tmp_path / "mix" / "segments.jsonl").read_text("utf-8").splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert by_id["p1s1"]["fuzzy"][0]["quality"] == 87 and by_id["p1s1"]["english"].endswith("Kuwait.")
    assert by_id["p1s1"]["score"] == math.log(0.8) and by_id["p2s1"]["trust"] == 0
    page = (tmp_path / "mix" / "mix.html").read_text("utf-8")
    assert "87% match, reviewed: The delegation arrived in Qatar." in page
    assert f'data-trust="{by_id["p1s1"]["trust"]}"' in page
    # The review list: least trusted first, and the legend of its flags.
    order = page.index("segments to review")
    assert page.index('href="#ar-p2s1"', order) < page.index('href="#ar-p1s1"', order)
    assert "No translation: no model was installed" in page


def test_run_writes_tbx_and_an_omegat_project(tmp_path):
    names = load_glossary(ROOT / "glossary")
    doc = bitext()
    publish_document(doc, tmp_path)
    summary = RunSummary((), 0, doc.signature, "2025-01-01T00:00:00", "2025-01-01T00:00:01")
    publish_run(summary, tmp_path, [doc], names.entries)
    tbx = etree.parse(str(tmp_path / "glossary.tbx"))
    assert len(tbx.findall(".//termEntry")) == len(names.entries)
    project = tmp_path / PROJECT_DIR
    assert (project / "omegat.project").is_file() and (project / "glossary" / "glossary.tbx").is_file()
    assert (project / "source" / "mix.ar.txt").read_bytes() == (tmp_path / "mix" / "mix.ar.txt").read_bytes()
    assert (project / "tm" / "auto" / "mix.tmx").is_file()
    etree.parse(str(project / "omegat" / "segmentation.conf"))
    # A translator's own work in the project survives the next run; a document gone is removed.
    (project / "omegat" / "project_save.tmx").write_text("mine", "utf-8")
    (project / "source" / "gone.ar.txt").write_text("old", "utf-8")
    written = publish_run(summary, tmp_path, [doc], names.entries)
    assert (project / "omegat" / "project_save.tmx").read_text("utf-8") == "mine"
    # Nothing changed: nothing of the project is written again.
    assert not [p for p in written if PROJECT_DIR in p.parts]
    assert not (project / "source" / "gone.ar.txt").exists()
