"""Word (.docx): every part a reader sees, in order, as paragraphs.

python-docx opens the package (checking it is a Word document) and resolves its
relationships; the text is read from the WordprocessingML itself, because python-docx's own
paragraphs miss text boxes, footnotes, endnotes and content controls. What is read:

- the body in document order: paragraphs, tables (cell by cell, nested ones too), content
  controls; each text box right after the paragraph it is anchored in (Word stores a box
  twice, as DrawingML and as a VML fallback: the fallback is skipped);
- a paragraph's runs joined, so formatting (bold inside a sentence) never splits it; tracked
  insertions and fields' last results kept; deletions, field codes, comments and page
  numbers (PAGE, NUMPAGES fields: where the text fell on a page) left out;
- headers and footers once each (not once per page or section): headers before the body,
  footers at the end;
- footnotes, then endnotes, after the body, each opening with the mark its reference has in
  the body: ``[1]`` for footnotes, ``[i]`` for endnotes, numbered in order of reference as
  Word numbers them;
- each paragraph's direction as the document declares it (``w:bidi``, directly or through
  its style), else from its letters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from lxml import etree

from ..config import Settings
from ..errors import UnreadableDocument
from ..types import ExtractedDocument
from .archive import ole_kind, open_zip
from .structured import Block, build_document, once

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WHAT = "Word document (.docx)"
# Inline elements that stand for text.
_SPACES = {_W + "tab", _W + "ptab", _W + "br", _W + "cr"}
_CHARS = {_W + "noBreakHyphen": "-", _W + "softHyphen": ""}
# Subtrees whose text is not the document's text: properties, deleted runs, field codes,
# comment marks, symbols drawn from a symbol font.
_SKIPPED = {_W + tag for tag in ("pPr", "rPr", "sdtPr", "del", "moveFrom", "delText", "delInstrText",
                                 "commentReference", "annotationRef", "sym", "fldData")}
_FALSE = {"0", "false", "off"}


def extract_docx(path: Path, settings: Settings) -> ExtractedDocument:
    """Read a .docx; an OLE file named .docx is refused as encrypted or converted as the
    legacy Word file it is (:mod:`.legacy`)."""
    ole = ole_kind(path)
    if ole == "encrypted":
        raise UnreadableDocument(path, "encrypted Word document (password-protected): save it without a password")
    if ole == "legacy":
        from .legacy import extract_legacy

        return extract_legacy(path, settings)
    return read_docx(path, settings)


def read_docx(file: Path, settings: Settings, *, source: Path | None = None, kind: str = "docx") -> ExtractedDocument:
    """Read ``file`` as a .docx; ``source``: the file it was converted from, which errors and
    the text refer to."""
    source = source or file
    open_zip(file, settings, _WHAT, label=source).close()
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(file))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise UnreadableDocument(source, f"not a {_WHAT}: {exc}") from exc
    return build_document(source, kind, _Reader(document).blocks(), settings)


class _Reader:
    def __init__(self, document) -> None:
        self.part = document.part
        self.styles = _style_directions(document.styles.element)
        self.footnotes: dict[str, str] = {}  # note id -> its mark, in order of reference
        self.endnotes: dict[str, str] = {}
        self.note_mark = ""  # the mark of the note being read

    def blocks(self) -> Iterator[Block]:
        body = self.part.element.body
        furniture = self._furniture(body)
        yield from once(self._story(part, "header") for part in furniture["header"])
        yield from self._story(body, "body")
        for kind, marks in (("footnote", self.footnotes), ("endnote", self.endnotes)):
            notes = self._related(kind + "s")
            for note_id, mark in marks.items():
                note = notes.get(note_id)
                if note is not None:
                    self.note_mark = mark
                    yield from self._story(note, f"{kind} {mark.strip('[]')}")
        yield from once(self._story(part, "footer") for part in furniture["footer"])

    def _furniture(self, body) -> dict[str, list]:
        """The header and footer parts the sections use, each once, in section order."""
        found: dict[str, list] = {"header": [], "footer": []}
        seen = set()
        for section in body.iter(_W + "sectPr"):
            for kind in found:
                for reference in section.iter(_W + kind + "Reference"):
                    rel = self.part.rels.get(reference.get(_R + "id"))
                    if rel is None or rel.is_external or rel.target_part.partname in seen:
                        continue
                    seen.add(rel.target_part.partname)
                    found[kind].append(_element(rel.target_part))
        return found

    def _related(self, kind: str) -> dict[str, etree._Element]:
        """The notes of the footnotes or endnotes part, by id."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        reltype = RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES
        for rel in self.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                root = _element(rel.target_part)
                return {note.get(_W + "id"): note for note in root if note.get(_W + "type") in (None, "normal")}
        return {}

    def _story(self, container, part: str) -> Iterator[Block]:
        """The block-level content of a body, cell, text box, header or note, in order."""
        for child in container:
            tag = child.tag
            if tag == _W + "p":
                yield from self._paragraph(child, part)
            elif tag == _W + "tbl":
                for row in _wrapped(child, _W + "tr"):
                    for cell in _wrapped(row, _W + "tc"):
                        yield from self._story(cell, "table" if part == "body" else part)
            elif tag == _MC + "AlternateContent":
                yield from self._story(_chosen(child), part)
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"):
                yield from self._story(child, part)

    def _paragraph(self, paragraph, part: str) -> Iterator[Block]:
        pieces: list[str] = []
        boxes: list = []
        self.fields: list[list[str]] = []  # open complex fields: their instruction so far
        self._inline(paragraph, pieces, boxes)
        yield Block("".join(pieces), part, self._direction(paragraph))
        for box in boxes:
            yield from self._story(box, "text box" if part in ("body", "table") else part)

    def _inline(self, element, pieces: list[str], boxes: list) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == _W + "t":
                if not any(_is_page_field(instruction) for instruction in self.fields):
                    pieces.append(child.text or "")
            elif tag == _W + "fldChar":
                kind = child.get(_W + "fldCharType")
                if kind == "begin":
                    self.fields.append([])
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == _W + "instrText":
                if self.fields:
                    self.fields[-1].append(child.text or "")
            elif tag == _W + "fldSimple" and _is_page_field([child.get(_W + "instr") or ""]):
                continue
            elif tag in _SPACES:
                pieces.append(" ")
            elif tag in _CHARS:
                pieces.append(_CHARS[tag])
            elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
                pieces.append(self._reference(child, tag == _W + "footnoteReference"))
            elif tag in (_W + "footnoteRef", _W + "endnoteRef"):
                pieces.append(self.note_mark)
            elif tag == _W + "txbxContent":
                boxes.append(child)
            elif tag == _MC + "AlternateContent":
                self._inline(_chosen(child), pieces, boxes)
            else:  # runs, hyperlinks, insertions, fields' results, drawings holding text boxes
                self._inline(child, pieces, boxes)

    def _reference(self, reference, footnote: bool) -> str:
        marks = self.footnotes if footnote else self.endnotes
        note_id = reference.get(_W + "id")
        if note_id not in marks:
            number = len(marks) + 1
            custom = (reference.get(_W + "customMarkFollows") or "0").lower() not in _FALSE
            # A custom mark is the run's own text, which follows.
            marks[note_id] = "" if custom else f"[{number if footnote else _roman(number)}]"
        return marks[note_id]

    def _direction(self, paragraph) -> str | None:
        bidi = paragraph.find(f"{_W}pPr/{_W}bidi")
        if bidi is not None:
            return _bidi(bidi)
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        return self.styles.get(style.get(_W + "val") if style is not None else None, self.styles.get(None))


# Fields whose result is where the text fell on a page: a layout's, not the document's.
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF"}


def _is_page_field(instruction: list[str]) -> bool:
    words = "".join(instruction).split()
    return bool(words) and words[0].upper() in _PAGE_FIELDS


def _bidi(element) -> str:
    return "ltr" if (element.get(_W + "val") or "1").lower() in _FALSE else "rtl"


def _style_directions(styles) -> dict[str | None, str]:
    """Paragraph direction by style id, through ``basedOn`` down to the document's defaults;
    None: a paragraph without a style (the default paragraph style)."""
    own: dict[str, str | None] = {}
    based: dict[str, str | None] = {}
    default_style = None
    for style in styles.iter(_W + "style"):
        style_id = style.get(_W + "styleId")
        bidi = style.find(f"{_W}pPr/{_W}bidi")
        own[style_id] = _bidi(bidi) if bidi is not None else None
        parent = style.find(_W + "basedOn")
        based[style_id] = parent.get(_W + "val") if parent is not None else None
        if style.get(_W + "type") == "paragraph" and (style.get(_W + "default") or "0").lower() not in _FALSE:
            default_style = style_id
    default = styles.find(f"{_W}docDefaults/{_W}pPrDefault/{_W}pPr/{_W}bidi")
    out: dict[str | None, str] = {}
    for style_id in own:
        current, hops = style_id, 0
        while current is not None and own.get(current) is None and hops < len(own):
            current, hops = based.get(current), hops + 1
        if current is not None and own.get(current) is not None:
            out[style_id] = own[current]
        elif default is not None:
            out[style_id] = _bidi(default)
    if default_style in out:
        out[None] = out[default_style]
    elif default is not None:
        out[None] = _bidi(default)
    return out


def _wrapped(element, tag: str) -> Iterator:
    """``element``'s children of ``tag``, also those wrapped in content controls or custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _wrapped(child, tag)


def _chosen(alternate):
    """The branch of an mc:AlternateContent a reader shows: its first Choice, else its Fallback."""
    for branch in alternate:
        if branch.tag in (_MC + "Choice", _MC + "Fallback"):
            return branch
    return alternate


def _element(part):
    """A part's XML root: python-docx parses the parts it knows, the others are parsed here
    (without entities or network)."""
    element = getattr(part, "element", None)
    if element is not None:
        return element
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(part.blob, parser)


def _roman(number: int) -> str:
    """Lower-case roman numerals, Word's default for endnote marks."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out
