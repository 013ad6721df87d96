"""Round-trip corpora in the structured text formats, generated at random from a seed.

The same kind of content (clean Arabic prose from FLORES-200, cut into paragraphs, with a
heading, a table, a text box, a footnote, an endnote, a header and a footer, an English
phrase and numbers here and there) is written as Word (python-docx, with raw WordprocessingML
for what it cannot write), OpenDocument (odfpy), a saved web page (trafilatura's input: an
article inside a site's navigation, breadcrumbs, share bar, related links, comments and
footer), an EPUB (chapters named so that their spine order is not their name order) and a
legacy .doc (LibreOffice's conversion of the Word file). Each :class:`Made` says what a
reader must give back (``reference``, in reading order) and what it must never give
(``furniture``: comments, tracked deletions, a page's boilerplate, a book's table of contents).

What varies, drawn from the seed: the prose (one half of the sentences is developed on, the
other never looked at while developing: :data:`HALVES`), paragraph counts and lengths, where
formatting runs break (inside words too), how direction is declared (on each paragraph,
through the style, not at all), the table's shape, where the table, text box and note marks
fall, the page's encoding and how it is declared, the boilerplate's amount and place.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from support.damage import FLORES, _sentences

FORMATS = ("docx", "odt", "html", "epub", "doc")
HALVES = {"developed": 0, "unseen": 1}
_ENGLISH = ("(Gulf Cooperation Council)", "(Shanghai Cooperation Organisation)", "(OPEC+)", "(C5+1)",
            "(Belt and Road Initiative)", "(Astana International Forum)")


def available() -> bool:
    return FLORES.is_file()


@dataclass
class Made:
    path: Path
    reference: list[str]  # the paragraphs a reader must give, in reading order
    furniture: list[str] = field(default_factory=list)  # texts it must never give

    def leaked(self, texts: list[str]) -> list[str]:
        """The ``texts`` (segments, paragraphs) holding furniture; a furniture text that the
        document's own prose also says (a section's name, "التعليقات") is no evidence."""
        prose = "\n".join(self.reference)
        wanted = [f for f in self.furniture if f not in prose]
        return [t for t in texts if any(f in t for f in wanted)]


@dataclass
class Content:
    """What one document says, whatever its format."""

    title: str
    header: str
    footer: str
    body: list[str]
    heading: str
    heading_at: int
    table: list[list[str]]
    table_at: int
    box: str
    box_at: int
    footnote: str
    footnote_at: int
    endnote: str
    endnote_at: int
    bold: list[list[int]]  # per body paragraph, the cut points of its formatting runs
    furniture: list[str]  # sentences for comments, deletions, boilerplate


def content(seed: int, half: int) -> Content:
    rng = random.Random(seed)
    pool = list(_sentences(half))
    rng.shuffle(pool)
    sentences = iter(pool)

    def paragraph(lo: int, hi: int) -> str:
        text = " ".join(next(sentences) for _ in range(rng.randint(lo, hi)))
        if rng.random() < 0.2:  # an English phrase inside the Arabic
            words = text.split()
            at = rng.randrange(1, len(words))
            text = " ".join(words[:at] + [rng.choice(_ENGLISH)] + words[at:])
        return text

    def short() -> str:
        return " ".join(next(sentences).split()[:rng.randint(3, 7)])

    body = [paragraph(1, 3) for _ in range(rng.randint(4, 8))]
    rows, cols = rng.randint(2, 4), rng.randint(2, 3)
    return Content(
        title=short(), header=short(), footer=short(), body=body,
        heading=short(), heading_at=rng.randrange(len(body)),
        table=[[short() for _ in range(cols)] for _ in range(rows)], table_at=rng.randrange(len(body) + 1),
        box=paragraph(1, 1), box_at=rng.randrange(len(body)),
        footnote=paragraph(1, 1), footnote_at=rng.randrange(len(body)),
        endnote=paragraph(1, 1), endnote_at=rng.randrange(len(body)),
        bold=[sorted(rng.sample(range(1, len(p)), min(len(p) - 1, rng.randint(0, 5)))) for p in body],
        furniture=[next(sentences) for _ in range(12)],
    )


def mark_at(text: str) -> int:
    """Where a note's mark goes in its paragraph: after the middle word."""
    words = text.split()
    return len(" ".join(words[:max(1, len(words) // 2)]))


def _marked(c: Content) -> list[str]:
    """The body as readers give it: note marks after their words, footnote before endnote."""
    body = list(c.body)
    for k in sorted({c.footnote_at, c.endnote_at}):
        marks = ("[1]" if k == c.footnote_at else "") + ("[i]" if k == c.endnote_at else "")
        at = mark_at(body[k])
        body[k] = body[k][:at] + marks + body[k][at:]
    return body


def _body_order(c: Content, body: list[str]) -> list[tuple[str, object]]:
    """The body's items in order: ("p", text), ("h", text), ("table", rows), with the text box
    ("box", text) right after the paragraph it is anchored in."""
    items: list[tuple[str, object]] = []
    for k, text in enumerate(body):
        if k == c.table_at:
            items.append(("table", c.table))
        if k == c.heading_at:
            items.append(("h", c.heading))
        items.append(("p", (k, text)))
        if k == c.box_at:
            items.append(("box", c.box))
    if c.table_at == len(body):
        items.append(("table", c.table))
    return items


def _flat(items: list[tuple[str, object]]) -> list[str]:
    out = []
    for kind, value in items:
        if kind == "table":
            out.extend(cell for row in value for cell in row)
        elif kind == "p":
            out.append(value[1])
        else:
            out.append(value)
    return out


# --- Word ---------------------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = (f'xmlns:w="{_W_NS}" '
               'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
               'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
               'xmlns:v="urn:schemas-microsoft-com:vml" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def docx_xml(fragment: str):
    from lxml import etree

    return etree.fromstring(f"<root {_NAMESPACES}>{fragment}</root>")[0]


def docx_run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/><w:bCs/><w:rtl/></w:rPr>" if bold else "<w:rPr><w:rtl/></w:rPr>"
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph_xml(text: str) -> str:
    return f'<w:p><w:pPr><w:bidi/></w:pPr>{docx_run(text)}</w:p>'


def text_box_xml(text: str, rng: random.Random, raw: bool = False) -> str:
    """A text box as Word saves it: DrawingML, with a VML fallback holding the same text
    (one paragraph, or with ``raw`` the paragraphs' XML)."""
    content = f"<w:txbxContent>{text if raw else _paragraph_xml(text)}</w:txbxContent>"
    n = rng.randrange(1, 1 << 16)
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="{n}" '
            f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="2743200" cy="914400"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
            f'<wp:docPr id="{n}" name="Text Box {n}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="914400"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>'
            f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape id="Text Box {n}" style="width:216pt;height:72pt"><v:textbox>{content}'
            f'</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _notes_part(document, kind: str, text: str, mark_field: str):
    """A footnotes or endnotes part holding one note (id 1) after the two separators."""
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    tag = kind[:-1]
    separators = "".join(f'<w:{tag} w:type="{t}" w:id="{i}"><w:p><w:r><w:{s}/></w:r></w:p></w:{tag}>'
                         for t, i, s in (("separator", -1, "separator"), ("continuationSeparator", 0, "continuationSeparator")))
    note = (f'<w:{tag} w:id="1"><w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:{mark_field}/></w:r>{docx_run(" " + text)}</w:p></w:{tag}>')
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} {_NAMESPACES}>{separators}{note}</w:{kind}>'
    content_type = CT.WML_FOOTNOTES if kind == "footnotes" else CT.WML_ENDNOTES
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, blob.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES)


def write_docx(c: Content, folder: Path, rng: random.Random, name: str = "document.docx",
               first_page_footer: bool = False) -> Made:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement

    document = docx.Document()
    direction = rng.choice(("direct", "style", "none"))
    if direction == "style":
        document.styles["Normal"].element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    section = document.sections[0]
    section.header.paragraphs[0].text = c.header
    section.footer.paragraphs[0].text = c.footer
    if rng.random() < 0.5:  # a page number field: where the text fell, not text (left out)
        section.footer.add_paragraph()._p.extend(docx_xml(x) for x in (
            docx_run("صفحة "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', docx_run("1"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
        footer_lines = [c.footer, "صفحة"]
    else:
        footer_lines = [c.footer]
    if rng.random() < 0.5:  # a first-page header saying the same: given once
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = c.header
        if first_page_footer:
            first = section.first_page_footer._element
            first.remove(first[0])
            first.extend(deepcopy(paragraph) for paragraph in section.footer._element)
    _notes_part(document, "footnotes", c.footnote, "footnoteRef")
    _notes_part(document, "endnotes", c.endnote, "endnoteRef")
    furniture = iter(c.furniture)
    left_out = []

    def paragraph(text: str, cuts=(), style: str | None = None, marks: dict[int, list[str]] | None = None):
        p = document.add_paragraph(style=style)
        if direction == "direct":
            p._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        edges = [0, *cuts, len(text)]
        for k, (start, end) in enumerate(zip(edges, edges[1:])):
            piece = text[start:end]
            wrap = rng.choice(("run", "run", "run", "hyperlink", "insertion", "control"))
            if wrap == "run" or not piece.strip():
                run = p.add_run(piece)
                run.bold = k % 2 == 1
                run.font.rtl = True
            else:  # what Word writes around runs: links, tracked insertions, content controls
                inner = docx_run(piece, bold=k % 2 == 1)
                if wrap == "hyperlink":
                    rid = document.part.relate_to("https://example.org/a", RT.HYPERLINK, is_external=True)
                    p._p.append(docx_xml(f'<w:hyperlink r:id="{rid}">{inner}</w:hyperlink>'))
                elif wrap == "insertion":
                    p._p.append(docx_xml(f'<w:ins w:id="{rng.randrange(1000, 9999)}" w:author="x" '
                                     f'w:date="2024-01-01T00:00:00Z">{inner}</w:ins>'))
                else:
                    p._p.append(docx_xml(f'<w:sdt><w:sdtPr><w:id w:val="{rng.randrange(1 << 20)}"/></w:sdtPr>'
                                     f'<w:sdtContent>{inner}</w:sdtContent></w:sdt>'))
            noise = rng.choice(("", "", '<w:proofErr w:type="spellStart"/>', '<w:bookmarkStart w:id="0" w:name="b"/>'
                                '<w:bookmarkEnd w:id="0"/>', '<w:r><w:lastRenderedPageBreak/></w:r>'))
            if noise:
                p._p.append(docx_xml(noise))
            for reference in (marks or {}).get(end, ()):
                p._p.append(docx_xml(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{reference} w:id="1"/></w:r>'))
        return p

    for kind, value in _body_order(c, c.body):
        if kind == "h":
            paragraph(value, style="Heading 1")
        elif kind == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            for row, texts in zip(table.rows, value):
                for cell, text in zip(row.cells, texts):
                    cell.paragraphs[0].text = text
            if rng.random() < 0.5:  # a merged cell holds its text once
                merged = table.cell(0, 0).merge(table.cell(0, 1))
                merged.paragraphs[0].text = " ".join(value[0][:2])
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
                value = [[" ".join(value[0][:2]), *value[0][2:]], *value[1:]]
                c.table = value  # what the reference reads
        elif kind == "box":
            document.paragraphs[-1]._p.append(docx_xml(text_box_xml(value, rng)))
        else:
            k, text = value
            cuts = [x for x in c.bold[k] if text[x - 1] != " " or rng.random() < 0.5]
            marks: dict[int, list[str]] = {}
            at = mark_at(text)
            if k == c.footnote_at:
                marks.setdefault(at, []).append("footnoteReference")
            if k == c.endnote_at:
                marks.setdefault(at, []).append("endnoteReference")
            p = paragraph(text, sorted({*cuts, *marks} - {len(text)}), marks=marks)
            if p.runs and rng.random() < 0.3:  # a comment on the paragraph: never read
                comment = next(furniture)
                document.add_comment(p.runs[0], text=comment, author="مراجع", initials="م")
                left_out.append(comment)
            if rng.random() < 0.3:  # a tracked deletion: never read; a tracked insertion: read
                deleted = next(furniture)
                p._p.append(docx_xml(f'<w:del w:id="{90 + k}" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r>'
                                 f'<w:delText xml:space="preserve"> {escape(deleted)}</w:delText></w:r></w:del>'))
                left_out.append(deleted)
    path = folder / name
    document.save(path)
    reference = [c.header, *_flat(_body_order(c, _marked(c))), f"[1] {c.footnote}", f"[i] {c.endnote}", *footer_lines]
    return Made(path, reference, left_out)


# --- OpenDocument -------------------------------------------------------------------------------


def write_odt(c: Content, folder: Path, rng: random.Random) -> Made:
    from odf import draw, office, style, table, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    rtl = style.Style(name="Arabic", family="paragraph")
    rtl.addElement(style.ParagraphProperties(writingmode="rl-tb", textalign="right"))
    document.styles.addElement(rtl)
    bold = style.Style(name="Bold", family="text")
    bold.addElement(style.TextProperties(fontweight="bold", fontweightcomplex="bold"))
    document.automaticstyles.addElement(bold)
    layout = style.PageLayout(name="Page")
    document.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    header = style.Header()
    header.addElement(text.P(stylename=rtl, text=c.header))
    footer = style.Footer()
    footer.addElement(text.P(stylename=rtl, text=c.footer))
    master.addElement(header)
    master.addElement(footer)
    document.masterstyles.addElement(master)
    furniture = iter(c.furniture)
    left_out = []

    def note(kind: str, citation: str, body: str):
        element = text.Note(noteclass=kind, id=f"{kind}{citation}")
        element.addElement(text.NoteCitation(text=citation))
        note_body = text.NoteBody()
        note_body.addElement(text.P(stylename=rtl, text=body))
        element.addElement(note_body)
        return element

    for kind, value in _body_order(c, c.body):
        if kind == "h":
            document.text.addElement(text.H(outlinelevel=1, stylename=rtl, text=value))
        elif kind == "table":
            grid = table.Table(name=f"Table{rng.randrange(1000)}")
            grid.addElement(table.TableColumn(numbercolumnsrepeated=len(value[0])))
            for texts in value:
                row = table.TableRow()
                for t in texts:
                    cell = table.TableCell()
                    cell.addElement(text.P(stylename=rtl, text=t))
                    row.addElement(cell)
                grid.addElement(row)
            document.text.addElement(grid)
        elif kind == "box":
            frame = draw.Frame(anchortype="paragraph", width="6cm", height="2cm")
            box = draw.TextBox()
            box.addElement(text.P(stylename=rtl, text=value))
            frame.addElement(box)
            document.text.childNodes[-1].addElement(frame)
        else:
            k, body = value
            p = text.P(stylename=rtl)
            at = mark_at(body)
            edges = sorted({0, *c.bold[k], at, len(body)})
            for n, (start, end) in enumerate(zip(edges, edges[1:])):
                piece = body[start:end]
                if n % 2:
                    p.addElement(text.Span(stylename=bold, text=piece))
                else:
                    p.addText(piece)
                if end == at and k == c.footnote_at:
                    p.addElement(note("footnote", "1", c.footnote))
                if end == at and k == c.endnote_at:
                    p.addElement(note("endnote", "i", c.endnote))
            if rng.random() < 0.3:
                comment = next(furniture)
                annotation = office.Annotation()
                annotation.addElement(text.P(text=comment))
                p.addElement(annotation)
                left_out.append(comment)
            document.text.addElement(p)
    path = folder / "document.odt"
    document.save(str(path))
    reference = [c.header, *_flat(_body_order(c, _marked(c))), f"[1] {c.footnote}", f"[i] {c.endnote}", c.footer]
    return Made(path, reference, left_out)


# --- Web page -----------------------------------------------------------------------------------

_SECTIONS = ("الرئيسية", "سياسة", "اقتصاد", "الخليج", "آسيا الوسطى", "رأي", "تحقيقات", "فيديو", "اتصل بنا")
_SHARE = ("شارك على فيسبوك", "تويتر", "واتساب", "تيليغرام", "نسخ الرابط", "طباعة")


def write_html(c: Content, folder: Path, rng: random.Random) -> Made:
    """A saved news page: the article inside the site's furniture."""
    furniture = iter(c.furniture)
    related = [next(furniture) for _ in range(rng.randint(3, 5))]
    comments = [next(furniture) for _ in range(rng.randint(2, 4))]
    author = f"بقلم: {' '.join(next(furniture).split()[:2])}"
    nav = "".join(f'<li><a href="/{k}">{s}</a></li>' for k, s in enumerate(rng.sample(_SECTIONS, rng.randint(5, 9))))
    crumbs = " &rsaquo; ".join(f'<a href="/{k}">{s}</a>' for k, s in enumerate(rng.sample(_SECTIONS, 3)))
    share = '<div class="share-bar">' + "".join(f'<a class="share" href="#">{s}</a>' for s in _SHARE) + "</div>"
    share_top = rng.random() < 0.5
    container = rng.choice(('article class="post"', 'div class="post-body"', 'div id="article-content"'))
    paragraphs = []
    for kind, value in _body_order(c, c.body):
        if kind == "h":
            paragraphs.append(f"<h2>{escape(value)}</h2>")
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{escape(t)}</td>" for t in row) + "</tr>" for row in value)
            paragraphs.append(f"<table>{rows}</table>")
        elif kind == "box":
            paragraphs.append(f"<blockquote><p>{escape(value)}</p></blockquote>")
        else:
            k, body = value
            edges = [0, *c.bold[k], len(body)]
            tags = rng.sample(("strong", "b", "em", "span", "a"), 2)
            pieces = [escape(body[a:b]) if n % 2 == 0 else _inline(tags[n % 4 // 2], escape(body[a:b]))
                      for n, (a, b) in enumerate(zip(edges, edges[1:]))]
            paragraphs.append(f"<p>{''.join(pieces)}</p>")
    encoding = rng.choice(("utf-8", "windows-1256", "utf-8-sig"))
    declared = {"utf-8": '<meta charset="utf-8">', "utf-8-sig": "",
                "windows-1256": rng.choice(('<meta charset="windows-1256">',
                                            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'))}
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>{declared[encoding]}<title>{escape(c.title)} | الجسر الإخباري</title>
<meta name="author" content="{escape(author)}"><meta property="article:published_time" content="2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z">
<style>nav ul{{display:flex}}</style><script>var ads = [];</script></head>
<body><header class="site-header"><div class="logo">الجسر الإخباري</div><nav class="main-nav"><ul>{nav}</ul></nav></header>
<div class="breadcrumbs">{crumbs}</div>
<main><{container}>
<h1 class="entry-title">{escape(c.title)}</h1>
<div class="byline"><span class="author">{escape(author)}</span> &middot; <time datetime="2024-03-12">12 مارس 2024</time></div>
{share if share_top else ""}
<div class="entry-content">
{chr(10).join(paragraphs)}
</div>
{"" if share_top else share}
<div class="tags">وسوم: <a href="/t/1">{_SECTIONS[3]}</a> <a href="/t/2">{_SECTIONS[4]}</a></div>
<div class="newsletter"><p>اشترك في النشرة البريدية</p><form><input type="email"><button>اشتراك</button></form></div>
</{container.split()[0]}>
<aside class="related"><h3>اقرأ أيضا</h3><ul>{"".join(f'<li><a href="/r/{k}">{escape(t)}</a></li>' for k, t in enumerate(related))}</ul></aside>
<section id="comments" class="comments"><h3>التعليقات</h3>{"".join(f'<div class="comment"><p class="comment-author">زائر {k}</p><p>{escape(t)}</p></div>' for k, t in enumerate(comments))}</section>
</main>
<footer class="site-footer"><p>جميع الحقوق محفوظة &copy; 2024 الجسر الإخباري</p><a href="/privacy">سياسة الخصوصية</a></footer>
</body></html>"""
    path = folder / rng.choice(("page.html", "page.htm"))
    data = page.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding, errors="xmlcharrefreplace")
    path.write_bytes(data)
    boilerplate = ["جميع الحقوق محفوظة", "اشترك في النشرة البريدية", "اقرأ أيضا", "التعليقات", "وسوم:", _SHARE[0]]
    return Made(path, _flat(_body_order(c, c.body)), related + comments + [author] + boilerplate)


def _inline(tag: str, text: str) -> str:
    if tag != "a":
        return f"<{tag}>{text}</{tag}>"
    # Articles link a name or a few words, not whole paragraphs (those are link lists).
    words = text.split(" ")
    return f'<a href="/tag/{len(text)}">{" ".join(words[:3])}</a>' + "".join(" " + w for w in words[3:])


# --- EPUB ---------------------------------------------------------------------------------------


def write_epub(c: Content, folder: Path, rng: random.Random) -> Made:
    """An EPUB 3 whose chapters' file names sort otherwise than their spine order."""
    items = _flat(_body_order(c, c.body))
    count = rng.randint(3, 5)
    cuts = sorted(rng.sample(range(1, len(items)), min(count - 1, len(items) - 1)))
    chapters = [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)])]
    names = [f"{rng.choice('abcdefgh')}{rng.randrange(100)}_{k}.xhtml" for k in range(len(chapters))]
    while names == sorted(names):
        rng.shuffle(names)
    toc = [" ".join(ch[0].split()[:4]) for ch in chapters]
    path = folder / "book.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                   '</rootfiles></container>', compress_type=zipfile.ZIP_DEFLATED)
        manifest = "".join(f'<item id="c{k}" href="text/{n}" media-type="application/xhtml+xml"/>' for k, n in enumerate(names))
        spine = "".join(f'<itemref idref="c{k}"/>' for k in range(len(names)))
        z.writestr("OEBPS/content.opf", f'<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
                   f'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   f'<dc:identifier id="id">urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}</dc:identifier>'
                   f'<dc:title>{escape(c.title)}</dc:title><dc:language>ar</dc:language></metadata>'
                   f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
                   f'{manifest}</manifest><spine page-progression-direction="rtl"><itemref idref="nav"/>{spine}</spine></package>',
                   compress_type=zipfile.ZIP_DEFLATED)
        links = "".join(f'<li><a href="text/{n}">{escape(t)}</a></li>' for n, t in zip(names, toc))
        z.writestr("OEBPS/nav.xhtml", _xhtml(f'<nav epub:type="toc"><h1>المحتويات</h1><ol>{links}</ol></nav>'))
        for name, chapter in zip(names, chapters):
            blocks = []
            for k, t in enumerate(chapter):
                words = t.split()
                if k == 0:
                    blocks.append(f"<h1>{escape(t)}</h1>")
                elif rng.random() < 0.3 and len(words) > 4:  # a line break inside a paragraph
                    at = rng.randrange(1, len(words))
                    blocks.append(f"<p>{escape(' '.join(words[:at]))}<br/>{escape(' '.join(words[at:]))}</p>")
                elif rng.random() < 0.3:
                    blocks.append(f'<div class="para"><span>{escape(t)}</span></div>')
                else:
                    blocks.append(f"<p>{escape(t)}</p>")
            z.writestr(f"OEBPS/text/{name}", _xhtml("".join(blocks)), compress_type=zipfile.ZIP_DEFLATED)
    return Made(path, items, [])


def _xhtml(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" '
            'xmlns:epub="http://www.idpf.org/2007/ops" lang="ar" dir="rtl"><head><title>x</title>'
            '<style>p{margin:0}</style></head>'
            f'<body>{body}</body></html>')


# --- legacy Word, through LibreOffice -----------------------------------------------------------


def write_doc(c: Content, folder: Path, rng: random.Random) -> Made:
    # LibreOffice's .doc round trip loses the footer of a section whose first page has a
    # header of its own and no footer (Word shows that footer from page 2 on): such a .doc
    # gives its first page the footer too.
    made = write_docx(c, folder, rng, name="source.docx", first_page_footer=True)
    soffice = shutil.which("soffice")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(made.path)],
                       check=True, capture_output=True, timeout=180)
    made.path.unlink()
    return Made(folder / "source.doc", made.reference, made.furniture)


WRITERS = {"docx": write_docx, "odt": write_odt, "html": write_html, "epub": write_epub, "doc": write_doc}


def make(fmt: str, seed: int, half: int, folder: Path) -> Made:
    """One document of format ``fmt`` drawn from ``seed``, from the prose's ``half``."""
    rng = random.Random(f"{fmt}/{seed}")
    return WRITERS[fmt](content(seed, half), folder, rng)


# --- broken files -------------------------------------------------------------------------------


def write_broken(folder: Path | None) -> dict[str, tuple[str, str]]:
    """One file of each way a structured document arrives broken (none without a ``folder``):
    case -> (file name, what the error must say)."""
    cases = {
        "docx-not-zip": ("not-a-zip.docx", "not a zip archive"),
        "zip-not-docx": ("other-zip.docx", "not a word document"),
        "docx-encrypted": ("locked.docx", "encrypted"),
        "odt-encrypted": ("locked.odt", "encrypted"),
        "html-no-article": ("menu-only.html", "no article text"),
        "epub-no-spine": ("no-spine.epub", "without a spine"),
    }
    if folder is None:
        return cases
    (folder / cases["docx-not-zip"][0]).write_bytes(b"PK\x03\x04 this is not really a zip archive" * 20)
    with zipfile.ZipFile(folder / cases["zip-not-docx"][0], "w") as z:
        z.writestr("data/readme.txt", "نص عربي في أرشيف ليس مستند وورد")
    # What Office writes for a password-protected file: an OLE2 compound file whose streams
    # include "EncryptedPackage" (the real zip, encrypted).
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    ole += "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0") + "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    ole += random.Random(3).randbytes(4096)
    (folder / cases["docx-encrypted"][0]).write_bytes(bytes(ole))
    with zipfile.ZipFile(folder / cases["odt-encrypted"][0], "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", random.Random(4).randbytes(2048))
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
                   'manifest:checksum-type="SHA1/1K" manifest:checksum="x"/></manifest:file-entry></manifest:manifest>')
    nav = "".join(f'<li><a href="/{k}">{s}</a></li>' for k, s in enumerate(_SECTIONS))
    (folder / cases["html-no-article"][0]).write_text(
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الجسر</title></head><body>'
        f'<nav><ul>{nav}</ul></nav><footer>جميع الحقوق محفوظة</footer></body></html>', encoding="utf-8")
    with zipfile.ZipFile(folder / cases["epub-no-spine"][0], "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile '
                   'full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr("content.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
                   '<metadata/><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
                   '</manifest></package>')
        z.writestr("c1.xhtml", _xhtml("<p>نص الفصل</p>"))
    return cases
