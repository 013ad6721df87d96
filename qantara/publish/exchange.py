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
_XLIFF_SKELETON = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{XLIFF_NS}">\n'
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


def render_xliff(doc: Document) -> bytes:
    store = xliff.xlifffile.parsestring(_XLIFF_SKELETON.encode("utf-8"))
    original = source_file_name(doc.stem)
    store.createfilenode(original, sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
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
        unit.xmlelement.set("extradata", f"{doc.stem}#{seg.id}")
        unit.addnote(f"origin: {seg.origin}", origin="qantara")
        unit.addnote(f"version: {segment_version(seg)}", origin="qantara")
        if seg.page is not None:
            unit.addnote(f"page: {seg.page}", origin="qantara")
        if seg.all_flags:
            unit.addnote("flags: " + ", ".join(seg.all_flags), origin="qantara")
        unit.addnote(f"signature: {doc.signature}", origin="qantara")
    # translate-toolkit declares its default (1.1) namespace on each unit; nothing uses it.
    etree.cleanup_namespaces(store.document.getroot())
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
