"""Make the sample structured documents in inputs/ from the seed documents already there:
005_gcc_central_asia.docx, seed 000 as a Word report (header, page-number footer, headings,
bold lead-ins, the disclaimer in a text box, the reference list), and
006_samarkand_summit.html, seed 004 as the saved web page it came from (windows-1256, site
navigation, breadcrumbs, byline, share bar, related links, comments, footer around the
article).

Run from the repository root: `.venv/bin/python scripts/make_sample_docs.py`. The files are
committed, so the main job reads both formats without this script.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import random  # noqa: E402

from support.formats import docx_run, docx_xml, text_box_xml  # noqa: E402

INPUTS = ROOT / "inputs"


def lines_of(name: str) -> list[str]:
    return [line.strip() for line in (INPUTS / name).read_text("utf-8").splitlines()]


def make_docx() -> None:
    import docx
    from docx.oxml import OxmlElement

    lines = [line for line in lines_of("000_41cf3146f527e58b.txt") if line]
    document = docx.Document()
    document.styles["Normal"].element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    section = document.sections[0]
    section.header.paragraphs[0].text = "دول مجلس التعاون الخليجي وآسيا الوسطى: تقدير موقف"
    section.footer.paragraphs[0]._p.extend(docx_xml(x) for x in (
        docx_run("صفحة "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', docx_run("1"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    disclaimer = lines.index("بيان إخلاء المسؤولية:")
    for k, line in enumerate(lines):
        if k in (disclaimer, disclaimer + 1):
            continue
        if len(line) < 160 and not line.startswith("["):
            document.add_paragraph(line, style="Heading 2")
            continue
        paragraph = document.add_paragraph()
        # A bold lead-in, as reports set their first words: the sentence goes on in the next run.
        cut = line.find(" ", 40) if not line.startswith("[") else -1
        if cut > 0 and k % 3 == 0:
            paragraph.add_run(line[:cut]).bold = True
            paragraph.add_run(line[cut:])
        else:
            paragraph.add_run(line)
        if k == disclaimer - 1:  # the disclaimer in a box beside the last paragraph before it
            box = "".join(f"<w:p><w:pPr><w:bidi/></w:pPr>{docx_run(t, bold=n == 0)}</w:p>"
                          for n, t in enumerate(lines[disclaimer:disclaimer + 2]))
            paragraph._p.append(docx_xml(text_box_xml(box, random.Random(0), raw=True)))
    document.core_properties.title = "دول مجلس التعاون الخليجي وآسيا الوسطى"
    document.save(INPUTS / "005_gcc_central_asia.docx")


def make_html() -> None:
    lines = lines_of("004_dc0ec6e5dd7e186b.txt")
    title, date, author = lines[2], "2025-04-09", "Maram Akram"
    crumbs = " &rsaquo; ".join(f'<a href="/c/{k}">{escape(c.strip())}</a>' for k, c in enumerate(lines[1].split(">")))
    body: list[str] = []
    items: list[str] = []
    for line in lines[7:]:
        if line == "-" or not line:
            continue
        if line.startswith("[") or lines[lines.index(line) - 1] == "-":
            items.append(f"<li>{escape(line)}</li>")
            continue
        if items:
            body.append(f"<ul>{''.join(items)}</ul>")
            items = []
        body.append(f"<h3>{escape(line)}</h3>" if len(line) < 70 else f"<p>{escape(line)}</p>")
    if items:
        body.append(f"<ul>{''.join(items)}</ul>")
    nav = "".join(f'<li><a href="/s/{k}">{s}</a></li>' for k, s in enumerate(
        ("الرئيسية", "من نحن", lines[0], "تقارير وملفات", "وحدة الشرق الأوسط", "الإصدارات", "اتصل بنا")))
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>{escape(title)} - مركز شاف لتحليل الأزمات والدراسات المستقبلية</title>
<meta name="author" content="{author}"><meta property="article:published_time" content="{date}T10:00:00+00:00">
<link rel="stylesheet" href="style.css"><script>window.dataLayer = window.dataLayer || [];</script>
</head><body class="single-post">
<header id="masthead"><div class="site-branding"><a href="/">مركز شاف لتحليل الأزمات والدراسات المستقبلية</a></div>
<nav id="site-navigation" class="main-navigation"><ul class="menu">{nav}</ul></nav>
<form class="search"><input type="search" placeholder="بحث …"></form></header>
<div class="breadcrumbs">{crumbs}</div>
<div id="primary"><main id="main"><article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{escape(title)}</h1>
<div class="entry-meta"><span class="posted-on"><time datetime="{date}">أبريل 9, 2025</time></span>
<span class="byline">Posted by: <a class="url fn n" href="/author/maram">{author}</a></span>
<span class="cat-links">Category: <a href="/c/1">تقارير وملفات</a> <a href="/c/2">تقدير موقف</a> <a href="/c/3">وحدة الشرق الأوسط</a></span>
<span class="comments-link"><a href="#respond">لا توجد تعليقات</a></span></div></header>
<div class="entry-content">
{chr(10).join(body)}
</div>
<footer class="entry-footer"><div class="share-buttons"><span>شارك:</span><a href="#">فيسبوك</a><a href="#">تويتر</a><a href="#">واتساب</a><a href="#">لينكدإن</a><a href="#">البريد الإلكتروني</a></div></footer>
</article>
<nav class="post-navigation"><a rel="prev" href="/p/1">المقال السابق: العلاقات التركية الأوزبكية في ضوء زيارة أردوغان إلى طشقند</a>
<a rel="next" href="/p/3">المقال التالي: مستقبل ممر النقل الدولي العابر لبحر قزوين</a></nav>
<div id="comments" class="comments-area"><div id="respond"><h3>اترك تعليقاً</h3><form><textarea></textarea>
<p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *</p><button>إرسال التعليق</button></form></div></div>
</main></div>
<aside id="secondary"><section class="widget"><h2>أحدث المقالات</h2><ul>
<li><a href="/p/4">تقدير موقف: انعكاسات الحرب في أوكرانيا على أمن الطاقة في آسيا الوسطى</a></li>
<li><a href="/p/5">قراءة في نتائج الانتخابات البرلمانية في كازاخستان</a></li>
<li><a href="/p/6">الصين وآسيا الوسطى: من الحزام والطريق إلى قمة شيان</a></li></ul></section></aside>
<footer id="colophon" class="site-footer"><p>جميع الحقوق محفوظة © 2025 مركز شاف لتحليل الأزمات والدراسات المستقبلية</p>
<ul><li><a href="/privacy">سياسة الخصوصية</a></li><li><a href="/contact">اتصل بنا</a></li></ul></footer>
</body></html>
"""
    (INPUTS / "006_samarkand_summit.html").write_bytes(page.encode("windows-1256", errors="xmlcharrefreplace"))


if __name__ == "__main__":
    make_docx()
    make_html()
