"""The glossary as TBX, the terminology exchange format translators' tools import.

One `termEntry` per glossary row: an Arabic `langSet` whose first term is the canonical
form and whose further terms are the variants, an English `langSet` with the canonical
English form, the type as a concept-level note, the editors' note and the context words as
notes. translate-toolkit writes the XML so that what we produce is what it (and the CAT
tools it is tested against) read back.
"""

from __future__ import annotations

from collections.abc import Sequence

from translate.storage.tbx import tbxfile, tbxunit

from .matcher import GlossaryEntry

SOURCE_LANGUAGE = "ar"
TARGET_LANGUAGE = "en"


def _add_entry(store: tbxfile, entry: GlossaryEntry, number: int) -> tbxunit:
    # addsourceunit makes the Arabic langSet first, which readers that are not told the
    # languages take to be the source.
    unit = store.addsourceunit(entry.arabic)
    unit.setid(f"qantara-{number}")
    unit.set_source_terms(list(entry.forms))
    unit.set_target_terms([entry.english], TARGET_LANGUAGE)
    unit.addnote(f"type: {entry.type}", origin="type")
    if entry.note:
        unit.addnote(entry.note, origin="editor")
    if entry.context:
        unit.addnote("context: " + " | ".join(entry.context), origin="context")
    return unit


def render_tbx(entries: Sequence[GlossaryEntry]) -> bytes:
    """The TBX document (UTF-8 bytes) for the entries, one termEntry per entry, in order."""
    store = tbxfile(sourcelanguage=SOURCE_LANGUAGE, targetlanguage=TARGET_LANGUAGE)
    for number, entry in enumerate(entries, start=1):
        _add_entry(store, entry, number)
    return bytes(store)
