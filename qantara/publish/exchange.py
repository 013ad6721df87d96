"""The exchange formats translators' tools read: TMX 1.4b, XLIFF 1.2 and TSV.

TMX and XLIFF are written with translate-toolkit. XLIFF carries every segment (untranslated
ones with an empty target, so a translator can fill them); TMX carries translations only,
because a translation memory pairs a source with its translation. Languages are ``ar``/``en``.
"""

from __future__ import annotations

import csv
import io
import re

from lxml import etree
from translate.storage import tmx, xliff

from ..memory import translation_version
from ..trust import LEGEND, document_trust
from ..types import Document, Origin, Segment

SOURCE_LANG = "ar"
TARGET_LANG = "en"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
# "version": of the translation, so an import knows what a reviewer's row was made from.
TSV_COLUMNS = ("id", "arabic", "english", "origin", "flags", "document", "page", "version")
# A spreadsheet runs a cell that starts with = + - @ (also full-width, or after spaces) or
# with a tab or carriage return as a formula ("CSV injection"). Such a cell gets a leading
# apostrophe, which spreadsheets show as text. Leading apostrophes are allowed before the
# trigger, so a cell that already starts with one gets one more and `restore_cell` is the
# exact inverse of `neutralise_cell` whatever the text.
_FORMULA_START = re.compile(r"'*\s*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")

# XLIFF 1.2 target states by origin: a machine translation waits for review, a reviewer's
# translation is final, an untranslated segment is new. English source text needs nothing.
STATES = {Origin.MACHINE: "needs-review-translation", Origin.REVIEWED: "final", Origin.UNTRANSLATED: "new",
          Origin.SOURCE_ENGLISH: "final"}
# A machine translation is a suggestion, not memory: CAT tools (and their TM imports) read
# state-qualifier="mt-suggestion" so and do not leverage it as a human translation.
MT_QUALIFIER = "mt-suggestion"
# Who made a TMX entry (creationid): the model, or a reviewer through `qantara review import`.
CREATION_IDS = {Origin.MACHINE: "qantara-mt", Origin.REVIEWED: "qantara-reviewer"}
# Qantara's own XLIFF attributes (XLIFF 1.2 allows attributes of other namespaces on units):
# qt:trust, the segment's trust score, which a tool or XPath can filter units by.
QANTARA_NS = "urn:qantara:xliff:1"
GLOSSARY_FILE = "glossary.tbx"  # written once per run in the output folder
_XLIFF_SKELETON = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{XLIFF_NS}" xmlns:qt="{QANTARA_NS}">\n'
    f'<file original="NoName" source-language="{SOURCE_LANG}" datatype="plaintext"><body/></file>\n</xliff>\n'
)


def source_file_name(stem: str) -> str:
    """The XLIFF ``original`` of a document: the Arabic text file a CAT tool would translate."""
    return f"{stem}.ar.txt"


def stem_from_source_name(original: str) -> str:
    for suffix in (".ar.txt", ".txt", ".xlf", ".xliff", ".tmx", ".tsv"):
        if original.endswith(suffix):
            return original[: -len(suffix)]
    return original


def in_memory(seg: Segment) -> bool:
    """Whether a segment belongs in a translation memory: an Arabic source with a translation."""
    return seg.language == SOURCE_LANG and seg.origin in (Origin.MACHINE, Origin.REVIEWED) and bool(seg.english)


def _page(seg: Segment) -> str:
    return "" if seg.page is None else str(seg.page)


def segment_version(seg: Segment) -> str:
    """The version of a segment's published translation (see :func:`translation_version`)."""
    return translation_version(seg.english, seg.origin)


def render_tmx(doc: Document) -> bytes:
    store = tmx.tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    header = store.document.getroot().find("header")
    header.set("creationtool", "Qantara")
    header.set("creationtoolversion", doc.signature.split("|", 1)[0].partition(":")[2] or "0")
    header.set("o-tmf", "Qantara segments.jsonl")
    prop = header.makeelement("prop", {"type": "x-qantara-signature"})
    prop.text = doc.signature
    header.append(prop)
    for seg in doc.segments:
        if not in_memory(seg):
            continue
        store.addtranslation(seg.arabic, SOURCE_LANG, seg.english, TARGET_LANG)
        tu = store.units[-1].xmlelement
        tu.set("tuid", seg.id)
        creator = CREATION_IDS[seg.origin]
        tu.set("creationid", creator)
        tu.findall("tuv")[-1].set("creationid", creator)
        # TMX wants props before the tuvs.
        props = [("x-document", doc.stem), ("x-origin", seg.origin), ("x-flags", " ".join(seg.all_flags)),
                 ("x-version", segment_version(seg))]
        if seg.page is not None:
            props.append(("x-page", str(seg.page)))
        for position, (kind, value) in enumerate(props):
            element = tu.makeelement("prop", {"type": kind})
            element.text = value
            tu.insert(position, element)
    return bytes(store)


def _xliff_header(file_node, doc: Document) -> None:
    """The file's header: the signature it was made under, the glossary as TBX, and the
    legend of the flags its units carry — once per file, not on every unit."""
    header = file_node.makeelement(f"{{{XLIFF_NS}}}header", {})
    file_node.insert(0, header)
    glossary = etree.SubElement(header, f"{{{XLIFF_NS}}}glossary")
    etree.SubElement(glossary, f"{{{XLIFF_NS}}}external-file", {"href": f"../{GLOSSARY_FILE}"})
    etree.SubElement(header, f"{{{XLIFF_NS}}}tool", {"tool-id": "qantara", "tool-name": "Qantara"})
    notes = [("qantara", f"signature: {doc.signature}"),
             ("qantara", "trust: qt:trust on each unit, 0-100, lowest first to review (see the README)")]
    kinds = sorted({kind.partition(":")[0] for seg in doc.segments for kind in seg.all_flags})
    notes += [("legend", f"{kind}: {LEGEND[kind].sentence}") for kind in kinds if kind in LEGEND]
    for origin, text in notes:
        etree.SubElement(header, f"{{{XLIFF_NS}}}note", {"from": origin}).text = text


def render_xliff(doc: Document) -> bytes:
    store = xliff.xlifffile.parsestring(_XLIFF_SKELETON.encode("utf-8"))
    original = source_file_name(doc.stem)
    store.createfilenode(original, sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    trust = document_trust(doc)
    for seg in doc.segments:
        unit = store.addsourceunit(seg.arabic, filename=original)
        unit.setid(seg.id)
        unit.target = seg.english if seg.origin != Origin.UNTRANSLATED else ""
        unit.xmlelement.set("approved", "yes" if seg.origin in (Origin.REVIEWED, Origin.SOURCE_ENGLISH) else "no")
        target = unit.xmlelement.find(unit.namespaced("target"))
        if target is None:  # translate-toolkit leaves out an empty target; keep one to fill in
            target = unit.xmlelement.makeelement(unit.namespaced("target"), {})
            unit.xmlelement.find(unit.namespaced("source")).addnext(target)
        target.set("state", STATES.get(seg.origin, "needs-review-translation"))
        if seg.origin == Origin.MACHINE:
            target.set("state-qualifier", MT_QUALIFIER)
        unit.xmlelement.set("extradata", f"{doc.stem}#{seg.id}")
        unit.xmlelement.set(f"{{{QANTARA_NS}}}trust", str(trust[seg.id]))
        unit.addnote(f"origin: {seg.origin}", origin="qantara")
        unit.addnote(f"version: {segment_version(seg)}", origin="qantara")
        unit.addnote(f"trust: {trust[seg.id]}", origin="qantara")
        if seg.page is not None:
            unit.addnote(f"page: {seg.page}", origin="qantara")
        if seg.all_flags:
            unit.addnote("flags: " + ", ".join(seg.all_flags), origin="qantara")
        for hit in dict.fromkeys((h.canonical_arabic or h.arabic, h.english) for h in seg.glossary):
            unit.addnote(f"{hit[0]} = {hit[1]}", origin="glossary")
        for match in seg.fuzzy:
            alt = etree.SubElement(unit.xmlelement, f"{{{XLIFF_NS}}}alt-trans",
                                   {"match-quality": f"{match.quality}%", "origin": "memory"})
            etree.SubElement(alt, f"{{{XLIFF_NS}}}source").text = match.arabic
            etree.SubElement(alt, f"{{{XLIFF_NS}}}target").text = match.english
    file_node = next(node for node in store.document.getroot().iter(f"{{{XLIFF_NS}}}file")
                     if node.get("original") == original)
    _xliff_header(file_node, doc)
    # translate-toolkit declares its default (1.1) namespace on each unit; nothing uses it.
    etree.cleanup_namespaces(store.document.getroot(), keep_ns_prefixes=["qt"])
    return bytes(store)


def neutralise_cell(text: str) -> str:
    """The text of a TSV cell that no spreadsheet runs as a formula (see `restore_cell`)."""
    return "'" + text if _FORMULA_START.match(text) else text


def restore_cell(text: str) -> str:
    """The original text of a cell written by `neutralise_cell`; other text as it is."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


def render_tsv(doc: Document) -> str:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer quotes only characters of its line terminator,
    # so with "\n" a cell holding a bare CR would be read back as two rows.
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)
    for seg in doc.segments:
        cells = (seg.id, seg.arabic, seg.english, seg.origin or "", "; ".join(seg.all_flags), doc.stem, _page(seg),
                 segment_version(seg))
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return buffer.getvalue()
