"""EPUB: the chapters in spine order (the reading order the book declares, whatever their
file names), each chapter's block elements (paragraphs, headings, list items, quotations,
table cells…) a paragraph each, ``<br>`` a space, scripts and styles left out. The navigation
document (the table of contents) is left out; the book's title, author and date are kept as
metadata. Paragraph direction: the nearest ``dir`` attribute, else the letters.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote

from lxml import etree

from ..config import Settings
from ..errors import UnreadableDocument
from ..types import ExtractedDocument
from .archive import open_zip, read_member
from .structured import Block, build_document

_WHAT = "EPUB"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_ENC = "{http://www.w3.org/2001/04/xmlenc#}"
_CHAPTER_TYPES = {"application/xhtml+xml", "text/html", "application/xml"}
_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd blockquote pre td th caption figcaption div section article "
                        "aside header footer nav main table tr ul ol dl figure address hr body".split())
_SKIPPED_TAGS = frozenset({"script", "style", "head", "template", "title"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def extract_epub(path: Path, settings: Settings) -> ExtractedDocument:
    with open_zip(path, settings, _WHAT) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = read_member(archive, "mimetype", path, _WHAT).decode("ascii", "replace").strip()
            if mimetype != "application/epub+zip":
                raise UnreadableDocument(path, f"not an {_WHAT}: its mimetype is {mimetype!r}")
        container = _xml(read_member(archive, "META-INF/container.xml", path, _WHAT), path, "META-INF/container.xml")
        rootfile = container.find(f".//{_CONTAINER}rootfile")
        opf_name = rootfile.get("full-path") if rootfile is not None else None
        if not opf_name:
            raise UnreadableDocument(path, f"not an {_WHAT}: META-INF/container.xml names no package document")
        package = _xml(read_member(archive, opf_name, path, _WHAT), path, opf_name)
        chapters = _spine(package, posixpath.dirname(opf_name), path)
        encrypted = _encrypted(archive, names, path)
        locked = [c for c in chapters if c in encrypted]
        if locked:
            raise UnreadableDocument(path, f"DRM-protected {_WHAT}: {len(locked)} of its {len(chapters)} chapters are "
                                           f"encrypted")
        blocks = [block for number, name in enumerate(chapters, start=1)
                  for block in _chapter(read_member(archive, name, path, _WHAT), f"chapter {number}", path)]
    return build_document(path, "epub", blocks, settings, metadata=_metadata(package))


def _xml(data: bytes, path: Path, name: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(path, f"damaged {_WHAT}: {name} is not well-formed XML ({exc})") from exc


def _spine(package, folder: str, path: Path) -> list[str]:
    """The archive names of the chapters, in spine order."""
    manifest = {item.get("id"): item for item in package.iter(_OPF + "item")}
    spine = package.find(_OPF + "spine")
    refs = [ref.get("idref") for ref in spine.iter(_OPF + "itemref")] if spine is not None else []
    if not refs:
        raise UnreadableDocument(path, f"{_WHAT} without a spine: the book declares no reading order of its chapters")
    chapters = []
    for ref in refs:
        item = manifest.get(ref)
        if item is None or "nav" in (item.get("properties") or "").split():
            continue
        if (item.get("media-type") or "") not in _CHAPTER_TYPES:
            continue
        chapters.append(posixpath.normpath(posixpath.join(folder, unquote(item.get("href") or ""))))
    if not chapters:
        raise UnreadableDocument(path, f"{_WHAT} whose spine holds no XHTML chapter")
    return chapters


def _encrypted(archive, names: set[str], path: Path) -> set[str]:
    """Members META-INF/encryption.xml lists (fonts are often obfuscated: only chapters matter)."""
    if "META-INF/encryption.xml" not in names:
        return set()
    root = _xml(read_member(archive, "META-INF/encryption.xml", path, _WHAT), path, "META-INF/encryption.xml")
    return {unquote(ref.get("URI") or "") for ref in root.iter(_ENC + "CipherReference")}


def _metadata(package) -> tuple[tuple[str, str], ...]:
    out = []
    for name, tag in (("title", "title"), ("author", "creator"), ("date", "date")):
        element = package.find(f".//{_DC}{tag}")
        if element is not None and (element.text or "").strip():
            out.append((name, " ".join(element.text.split())))
    return tuple(out)


def _chapter(data: bytes, part: str, path: Path) -> Iterator[Block]:
    import lxml.html

    from .html import decode_page

    text, _, _ = decode_page(data, path)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(path, f"damaged {_WHAT}: a chapter cannot be parsed ({exc})") from exc
    blocks: list[Block] = []
    pieces: list[str] = []
    _walk(root, None, pieces, blocks, part)
    _flush(pieces, blocks, part, _direction(root, None))
    return iter(blocks)


def _walk(element, direction: str | None, pieces: list[str], blocks: list[Block], part: str) -> None:
    direction = _direction(element, direction)
    tag = element.tag.rpartition("}")[2].lower() if isinstance(element.tag, str) else None
    if tag in _SKIPPED_TAGS:
        return
    block = tag in _BLOCK_TAGS
    if block:
        _flush(pieces, blocks, part, direction)
    if tag == "br":
        pieces.append(" ")
    elif tag is not None:
        pieces.append(element.text or "")
    for child in element:
        _walk(child, direction, pieces, blocks, part)
        pieces.append(child.tail or "")
    if block:
        _flush(pieces, blocks, part, direction)


def _flush(pieces: list[str], blocks: list[Block], part: str, direction: str | None) -> None:
    text = "".join(pieces)
    pieces.clear()
    if text.strip():
        blocks.append(Block(text, part, direction))


def _direction(element, inherited: str | None) -> str | None:
    value = (element.get("dir") or "").lower() if isinstance(element.tag, str) else ""
    return value if value in ("rtl", "ltr") else inherited
