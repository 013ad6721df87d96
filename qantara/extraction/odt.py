"""OpenDocument text (.odt), read with odfpy: the same parts as a Word document (:mod:`.docx`).

- the body in order: paragraphs, headings, lists, tables cell by cell, sections; each text
  box (a frame's ``draw:text-box``) right after the paragraph it is anchored in;
- a paragraph's spans joined, so formatting never splits a sentence; ``text:s`` spaces,
  tabs and line breaks as spaces; comments (``office:annotation``), tracked deletions, page
  numbers and generated indexes (tables of contents) left out;
- headers and footers of the master pages once each: headers before the body, footers at
  the end;
- footnotes, then endnotes, after the body, each opening with its citation as the body
  shows it, ``[1]``;
- each paragraph's direction from its style's writing mode (through parent styles and the
  default style), else from its letters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..config import Settings
from ..errors import UnreadableDocument
from ..types import ExtractedDocument
from .archive import open_zip, read_member
from .structured import Block, build_document, once

_WHAT = "OpenDocument text (.odt)"
_MIMETYPE = "application/vnd.oasis.opendocument.text"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_PARAGRAPHS = {(_TEXT, "p"), (_TEXT, "h")}
# Block containers whose children are read in order.
_CONTAINERS = {(_TEXT, name) for name in ("list", "list-item", "list-header", "section", "note-body")} | {
    (_TABLE, name) for name in ("table", "table-row", "table-rows", "table-header-rows", "table-row-group",
                                "table-cell", "table-header-columns", "table-columns")} | {
    (_DRAW, "text-box"), (_DRAW, "frame")}
# Comments, tracked changes, and page numbers (where the text fell on a page: a layout's).
_SKIPPED = {(_OFFICE, "annotation"), (_OFFICE, "annotation-end"), (_TEXT, "tracked-changes"),
            (_TEXT, "note-citation"), (_TEXT, "soft-page-break"), (_TABLE, "covered-table-cell"),
            (_TEXT, "page-number"), (_TEXT, "page-count")}
_SPACES = {(_TEXT, "tab"), (_TEXT, "line-break")}
_HEADERS = ("header", "header-left", "header-first")
_FOOTERS = ("footer", "footer-left", "footer-first")
_MODES = {"rl-tb": "rtl", "rl": "rtl", "tb-rl": "rtl", "lr-tb": "ltr", "lr": "ltr", "tb-lr": "ltr"}


def extract_odt(path: Path, settings: Settings) -> ExtractedDocument:
    return read_odt(path, settings)


def read_odt(file: Path, settings: Settings, *, source: Path | None = None, kind: str = "odt") -> ExtractedDocument:
    """Read ``file`` as an .odt; ``source``: the file it was converted from, which errors and
    the text refer to."""
    path = source or file
    with open_zip(file, settings, _WHAT, label=path) as archive:
        names = set(archive.namelist())
        mimetype = read_member(archive, "mimetype", path, _WHAT).decode("ascii", "replace").strip() \
            if "mimetype" in names else None
        manifest = read_member(archive, "META-INF/manifest.xml", path, _WHAT) \
            if "META-INF/manifest.xml" in names else b""
    if b"encryption-data" in manifest:
        raise UnreadableDocument(path, "encrypted OpenDocument file (password-protected): save it without a password")
    if mimetype is not None and mimetype != _MIMETYPE:
        raise UnreadableDocument(path, f"not an {_WHAT}: its mimetype is {mimetype!r}")
    from odf.opendocument import load

    try:
        document = load(str(file))
    except Exception as exc:  # odfpy raises whatever its SAX parser or zipfile raise
        raise UnreadableDocument(path, f"not an {_WHAT}: {type(exc).__name__}: {exc}") from exc
    if document.mimetype != _MIMETYPE:
        raise UnreadableDocument(path, f"not an {_WHAT}: its mimetype is {document.mimetype!r}")
    return build_document(path, kind, _Reader(document).blocks(), settings)


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.directions = _style_directions(document)
        self.notes: list[tuple[str, str, object]] = []  # (class, citation, body), in order of citation

    def blocks(self) -> Iterator[Block]:
        masters = [page for page in self.document.masterstyles.childNodes if _name(page) == (_STYLE, "master-page")]
        yield from once(self._story(part, "header") for page in masters for part in _parts(page, _HEADERS))
        yield from self._story(self.document.text, "body")
        for note_class in ("footnote", "endnote"):
            for kind, citation, body in self.notes:
                if kind == note_class:
                    yield from self._note(body, citation, f"{kind} {citation}")
        yield from once(self._story(part, "footer") for page in masters for part in _parts(page, _FOOTERS))

    def _note(self, body, citation: str, part: str) -> Iterator[Block]:
        first = True
        for block in self._story(body, part):
            if first and block.text.strip():
                block = Block(f"[{citation}] {block.text}", block.part, block.direction)
                first = False
            yield block

    def _story(self, container, part: str) -> Iterator[Block]:
        for child in container.childNodes:
            name = _name(child)
            if name in _PARAGRAPHS:
                yield from self._paragraph(child, part)
            elif name in _CONTAINERS:
                inner = "table" if name[0] == _TABLE and part == "body" else part
                inner = "text box" if name[0] == _DRAW and part in ("body", "table") else inner
                yield from self._story(child, inner)

    def _paragraph(self, paragraph, part: str) -> Iterator[Block]:
        pieces: list[str] = []
        boxes: list = []
        self._inline(paragraph, pieces, boxes)
        style = paragraph.getAttrNS(_TEXT, "style-name")
        yield Block("".join(pieces), part, self.directions.get(style, self.directions.get(None)))
        for box in boxes:
            yield from self._story(box, "text box" if part in ("body", "table") else part)

    def _inline(self, element, pieces: list[str], boxes: list) -> None:
        for child in element.childNodes:
            if child.nodeType == child.TEXT_NODE:
                pieces.append(child.data)
                continue
            name = _name(child)
            if name in _SKIPPED:
                continue
            if name == (_TEXT, "s"):
                pieces.append(" " * int(child.getAttrNS(_TEXT, "c") or 1))
            elif name in _SPACES:
                pieces.append(" ")
            elif name == (_TEXT, "note"):
                citation = _text_of(child, (_TEXT, "note-citation")).strip()
                kind = child.getAttrNS(_TEXT, "note-class") or "footnote"
                body = next((c for c in child.childNodes if _name(c) == (_TEXT, "note-body")), None)
                if body is not None:
                    self.notes.append((kind, citation, body))
                pieces.append(f"[{citation}]")
            elif name == (_DRAW, "text-box"):
                boxes.append(child)
            else:  # spans, links, fields, frames holding text boxes
                self._inline(child, pieces, boxes)


def _name(node) -> tuple[str, str] | None:
    return getattr(node, "qname", None)


def _parts(page, names: tuple[str, ...]) -> list:
    return [child for child in page.childNodes if _name(child) in {(_STYLE, n) for n in names}]


def _text_of(element, name: tuple[str, str]) -> str:
    for child in element.childNodes:
        if _name(child) == name:
            return "".join(n.data if n.nodeType == n.TEXT_NODE else _text_of(n, _name(n)) for n in child.childNodes)
    return ""


def _style_directions(document) -> dict[str | None, str]:
    """Paragraph direction by style name, through parent styles down to the default
    paragraph style; None: a paragraph without a style."""
    own: dict[str, str | None] = {}
    parents: dict[str, str | None] = {}
    default = None
    for styles in (document.styles, document.automaticstyles):
        for style in styles.childNodes:
            mode = None
            for properties in style.childNodes:
                if _name(properties) == (_STYLE, "paragraph-properties"):
                    mode = _MODES.get(properties.getAttrNS(_STYLE, "writing-mode") or "")
            if _name(style) == (_STYLE, "default-style") and style.getAttrNS(_STYLE, "family") == "paragraph":
                default = mode
            elif _name(style) == (_STYLE, "style"):
                own[style.getAttrNS(_STYLE, "name")] = mode
                parents[style.getAttrNS(_STYLE, "name")] = style.getAttrNS(_STYLE, "parent-style-name")
    out: dict[str | None, str] = {None: default} if default else {}
    for name in own:
        current, hops = name, 0
        while current is not None and own.get(current) is None and hops < len(own):
            current, hops = parents.get(current), hops + 1
        direction = own.get(current) if current is not None else None
        if direction or default:
            out[name] = direction or default
    return out
