"""Web pages (.html, .htm, saved pages): the article's main text, found by trafilatura.

Navigation, breadcrumbs, share buttons, related links, comments and the site's footer are
dropped; the article's paragraphs, headings, list items, quotations and table cells are
kept in order, each a paragraph. The title, byline and date are kept as the document's
metadata, not as text to translate. The page is decoded as it declares (a byte-order mark,
then ``<meta charset>`` or its ``http-equiv`` form, then an XML declaration), else with the
detection text files get (:func:`.text.decode_text`); the direction it declares (``dir`` on
``<html>`` or ``<body>``) is every paragraph's, else each one's letters decide.
"""

from __future__ import annotations

import codecs
import re
from copy import deepcopy
from pathlib import Path
from typing import Iterator

from ..config import Settings
from ..errors import LimitExceeded, UnreadableDocument
from ..types import ExtractedDocument, Issue, SourceRef
from .structured import Block, build_document
from .text import decode_text

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# Where a page declares its encoding: within its first bytes (the HTML standard's prescan
# reads 1024; saved pages put scripts and styles first, so more is read).
_PRESCAN = 8192
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.()-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)""",
    re.IGNORECASE)
# Labels the HTML standard maps to another encoding than Python's codec of that name.
_WHATWG = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "ascii": "windows-1252", "us-ascii": "windows-1252",
           "iso-8859-6": "iso8859_6", "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8"}
_BLOCKS = {"p", "head", "item", "cell", "quote", "code"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def extract_html(path: Path, settings: Settings) -> ExtractedDocument:
    size = path.stat().st_size
    if size > 4 * settings.max_file_chars:
        raise LimitExceeded(path, f"{size:,} bytes, more than max_file_chars ({settings.max_file_chars:,} characters) "
                                  f"in any encoding", "max_file_chars")
    data = path.read_bytes()
    page, encoding, issues = decode_page(data, path)
    import trafilatura
    from lxml import etree

    try:
        tree = trafilatura.load_html(page)
    except (ValueError, etree.LxmlError) as exc:
        raise UnreadableDocument(path, f"not a web page: {exc}") from exc
    if tree is None:
        raise UnreadableDocument(path, "not a web page: no HTML could be parsed from it")
    direction = _declared_direction(tree)
    untouched = deepcopy(tree)  # trafilatura prunes the tree it reads
    found = trafilatura.bare_extraction(tree, include_comments=False, include_tables=True, with_metadata=True)
    # Without an article, trafilatura's fallback returns whatever text the page has (its
    # menus): its precision mode, which has no such fallback, says whether there is one.
    if found is None or found.body is None or not (found.text or "").strip() or \
            trafilatura.bare_extraction(untouched, include_comments=False, favor_precision=True) is None:
        raise UnreadableDocument(path, "no article text found in the page (only navigation, links or other "
                                       "page furniture)")
    metadata = tuple((name, " ".join(value.split())) for name in ("title", "author", "date", "sitename")
                     if (value := getattr(found, name, None)))
    title = dict(metadata).get("title")
    document = build_document(path, "html", _blocks(found.body, direction, title), settings,
                              encoding=encoding, metadata=metadata)
    if issues:
        from dataclasses import replace

        document = replace(document, issues=tuple(issues) + document.issues)
    return document


def decode_page(data: bytes, path: Path) -> tuple[str, str, list[Issue]]:
    """The page's text, the encoding it was read in, and an issue when its declaration was
    wrong."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return decode_text(data, path)[0], encoding, []
    declared = _declared_encoding(data[:_PRESCAN])
    if declared is not None:
        try:
            return data.decode(declared), declared, []
        except UnicodeDecodeError as exc:
            text, encoding = decode_text(data, path)
            return text, encoding, [Issue(SourceRef(path), "encoding-mismatch",
                                          f"declares {declared} but is not ({exc.reason} at byte {exc.start}); "
                                          f"read as {encoding}")]
    text, encoding = decode_text(data, path)
    return text, encoding, []


def _declared_encoding(head: bytes) -> str | None:
    for match in _DECLARED.finditer(head):
        label = (match.group(1) or match.group(2)).decode("ascii").lower()
        label = _WHATWG.get(label, label)
        try:
            return codecs.lookup(label).name
        except LookupError:
            continue
    return None


def _declared_direction(tree) -> str | None:
    for element in (tree, tree.find("body")):
        value = (element.get("dir") or "").lower() if element is not None else ""
        if value in ("rtl", "ltr"):
            return value
    return None


def _blocks(body, direction: str | None, title: str | None) -> Iterator[Block]:
    """trafilatura's article (its own XML: p, head, list/item, table/row/cell, quote) as
    paragraphs; a first heading that repeats the title is the title, kept as metadata."""
    first = True
    for element in body.iter():
        if element.tag not in _BLOCKS or any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue
        text = " ".join(_text(element).split())
        if first and element.tag == "head" and title and text == " ".join(title.split()):
            first = False
            continue
        first = False
        yield Block(text, "article", direction)


def _text(element) -> str:
    """An element's text with a space for each line break (``lb``) in it."""
    pieces = [element.text or ""]
    for child in element:
        pieces.append(" " if child.tag == "lb" else _text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)
