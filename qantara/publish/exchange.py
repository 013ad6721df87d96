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

from ..types import Bitext, TranslatedSegment

SOURCE_LANG = "ar"
TARGET_LANG = "en"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
TSV_COLUMNS = ("id", "arabic", "english", "origin", "flags", "document")
# A spreadsheet runs a cell that starts with = + - @ (also full-width, or after spaces) or
# with a tab or carriage return as a formula ("CSV injection"). Such a cell gets a leading
# apostrophe, which spreadsheets show as text. Leading apostrophes are allowed before the
# trigger, so a cell that already starts with one gets one more and `restore_cell` is the
# exact inverse of `neutralise_cell` whatever the text.
_FORMULA_START = re.compile(r"'*\s*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")

# XLIFF 1.2 target states by origin: a machine translation waits for review, a reviewer's
# translation is final, an untranslated segment is new. English source text needs nothing.
STATES = {"machine": "needs-review-translation", "reviewed": "final", "untranslated": "new",
          "source-english": "final"}
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


def flags_of(item: TranslatedSegment) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.segment.flags + item.flags))


def in_memory(item: TranslatedSegment) -> bool:
    """Whether a segment belongs in a translation memory: an Arabic source with a translation."""
    return item.segment.language == SOURCE_LANG and item.origin in ("machine", "reviewed") and bool(item.english)


def render_tmx(bitext: Bitext) -> bytes:
    store = tmx.tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    header = store.document.getroot().find("header")
    header.set("creationtool", "Qantara")
    header.set("creationtoolversion", bitext.signature.split("|", 1)[0].partition(":")[2] or "0")
    header.set("o-tmf", "Qantara segments.jsonl")
    prop = header.makeelement("prop", {"type": "x-qantara-signature"})
    prop.text = bitext.signature
    header.append(prop)
    for item in bitext.segments:
        if not in_memory(item):
            continue
        store.addtranslation(item.segment.arabic, SOURCE_LANG, item.english, TARGET_LANG)
        tu = store.units[-1].xmlelement
        tu.set("tuid", item.segment.id)
        # TMX wants props before the tuvs.
        for position, (kind, value) in enumerate(
            (("x-document", bitext.stem), ("x-origin", item.origin), ("x-flags", " ".join(flags_of(item))))
        ):
            element = tu.makeelement("prop", {"type": kind})
            element.text = value
            tu.insert(position, element)
    return bytes(store)


def render_xliff(bitext: Bitext) -> bytes:
    store = xliff.xlifffile.parsestring(_XLIFF_SKELETON.encode("utf-8"))
    original = source_file_name(bitext.stem)
    store.createfilenode(original, sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    for item in bitext.segments:
        unit = store.addsourceunit(item.segment.arabic, filename=original)
        unit.setid(item.segment.id)
        unit.target = item.english if item.origin != "untranslated" else ""
        unit.xmlelement.set("approved", "yes" if item.origin in ("reviewed", "source-english") else "no")
        target = unit.xmlelement.find(unit.namespaced("target"))
        if target is None:  # translate-toolkit leaves out an empty target; keep one to fill in
            target = unit.xmlelement.makeelement(unit.namespaced("target"), {})
            unit.xmlelement.find(unit.namespaced("source")).addnext(target)
        target.set("state", STATES.get(item.origin, "needs-review-translation"))
        unit.xmlelement.set("extradata", f"{bitext.stem}#{item.segment.id}")
        unit.addnote(f"origin: {item.origin}", origin="qantara")
        flags = flags_of(item)
        if flags:
            unit.addnote("flags: " + ", ".join(flags), origin="qantara")
        unit.addnote(f"signature: {bitext.signature}", origin="qantara")
    # translate-toolkit declares its default (1.1) namespace on each unit; nothing uses it.
    etree.cleanup_namespaces(store.document.getroot())
    return bytes(store)


def neutralise_cell(text: str) -> str:
    """The text of a TSV cell that no spreadsheet runs as a formula (see `restore_cell`)."""
    return "'" + text if _FORMULA_START.match(text) else text


def restore_cell(text: str) -> str:
    """The original text of a cell written by `neutralise_cell`; other text as it is."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


def render_tsv(bitext: Bitext) -> str:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer quotes only characters of its line terminator,
    # so with "\n" a cell holding a bare CR would be read back as two rows.
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)
    for item in bitext.segments:
        cells = (item.segment.id, item.segment.arabic, item.english, item.origin,
                 "; ".join(flags_of(item)), bitext.stem)
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return buffer.getvalue()
