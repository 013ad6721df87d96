"""Review pages: one per document, an index over the corpus, and a names index.

Everything that comes from a document is escaped: documents are untrusted input. Pages are
self-contained (inline CSS and SVG, no network) so they open from the file system. The one
script is the document page's editor (:mod:`.editor`), inline and allowed by its hash alone in
the page's Content-Security-Policy, so nothing else on a page can ever run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape
from urllib.parse import quote

from ..trust import document_trust, explain
from ..types import Document, GlossaryHit, Origin, Paragraph, RunSummary, Segment, Status, flag_kind
from .editor import EDITOR_STYLE, TOOLS, editor_data, editor_script, script_source
from .exchange import segment_version
from .text import UNTRANSLATED

_STYLE = """
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#1d232b;background:#f7f7f5}
header,footer,section.report,nav{padding:12px 24px}
header h1{font-size:1.3em;margin:0 0 4px}
.meta{color:#5b6470;font-size:.85em}
table.bitext{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff}
table.bitext td,table.bitext th{vertical-align:top;padding:8px 14px;border-bottom:1px solid #e4e4e0}
table.bitext td,table.list td{overflow-wrap:anywhere;word-break:break-word}
table.list{max-width:100%}
td.ar{direction:rtl;text-align:right;font-family:"Amiri","Noto Naskh Arabic","Noto Sans Arabic",serif;font-size:1.15em;line-height:1.9}
td.en{direction:ltr;text-align:left;line-height:1.6}
td.ar div[dir=ltr]{text-align:left;font-family:"Noto Sans",sans-serif;font-size:.87em}
td.num{width:3em;color:#8a929c;font-size:.8em;text-align:center}
td.num .page{font-size:.85em;white-space:nowrap}
tr.heading td{font-weight:bold}
.seg{border-radius:3px}
.seg:target{outline:2px solid #1a73e8}
.seg.flagged{background:#fff1c2;outline:1px solid #e0b400}
.seg.reviewed{border-bottom:2px solid #1e7b34}
.seg.untranslated{color:#8a929c;font-style:italic}
mark.name{background:#dcefff;padding:0 2px;border-radius:2px}
.flags{display:block;font-size:.75em;color:#8a5a00;font-family:sans-serif;direction:ltr;text-align:left}
.fuzzy{display:block;font-size:.8em;color:#3c5a78;border-left:3px solid #9cc3e6;padding-left:6px}
table.list{border-collapse:collapse;background:#fff}
table.list td,table.list th{padding:4px 10px;border-bottom:1px solid #e4e4e0;text-align:left;vertical-align:top}
.status-failed{color:#b3261e;font-weight:bold}.status-published{color:#1e7b34}.status-skipped{color:#8a929c}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.charts figure{margin:0;background:#fff;padding:8px 12px;border:1px solid #e4e4e0}
svg text{font-family:sans-serif;font-size:11px;fill:#1d232b}
.ar-inline{font-family:"Amiri","Noto Naskh Arabic",serif;min-width:10em}
"""
# Bar colours by segment origin (index chart) and the legend order.
_ORIGIN_COLOURS = ((Origin.REVIEWED, "#1e7b34"), (Origin.MACHINE, "#1a73e8"), (Origin.SOURCE_ENGLISH, "#9aa0a6"),
                   (Origin.UNTRANSLATED, "#e8710a"))


def _page(title: str, body: str, signature: str, script: str = "") -> str:
    """A whole page; ``script``, if any, runs inline and is the only script its policy allows."""
    scripts = f" script-src {script_source(script)};" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\';{scripts} '
        'style-src \'unsafe-inline\'; img-src \'self\'">'
        f"<title>{escape(title)}</title><style>{_STYLE}{EDITOR_STYLE if script else ''}</style></head><body>{body}"
        f'<footer class="meta">Qantara signature: <code>{escape(signature)}</code></footer>'
        + (f"<script>{script}</script>" if script else "")
        + "</body></html>\n"
    )


def _href(*parts: str) -> str:
    """A relative link to a published file; stems are safe names but still percent-encoded."""
    return escape("/".join(quote(p) for p in parts))


def _mark_names(text: str, hits: tuple[GlossaryHit, ...]) -> str:
    out, pos = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < pos or hit.end > len(text):
            continue
        out.append(escape(text[pos : hit.start]))
        out.append(
            f'<mark class="name" title="{escape(hit.english)} ({escape(hit.type)})">'
            f"{escape(text[hit.start : hit.end])}</mark>"
        )
        pos = hit.end
    out.append(escape(text[pos:]))
    return "".join(out)


def _fuzzy_note(seg: Segment) -> str:
    """Reviewed translations of similar segments: shown as hints, never as the translation."""
    return "".join(
        f'<span class="fuzzy" title="{escape(m.arabic)}">{m.quality}% match, reviewed: {escape(m.english)}</span>'
        for m in seg.fuzzy)


def _segment_spans(segments: list[Segment], trust: dict[str, int]) -> tuple[str, str]:
    ar, en = [], []
    for seg in segments:
        flags = seg.all_flags
        classes = ["seg"] + (["flagged"] if flags else []) + (
            [seg.origin] if seg.origin in (Origin.UNTRANSLATED, Origin.REVIEWED) else [])
        title = f' title="{escape("; ".join(flags))}"' if flags else ""
        page = f' data-page="{seg.page}"' if seg.page is not None else ""
        attrs = (f'class="{" ".join(classes)}" data-id="{escape(seg.id)}" data-origin="{escape(seg.origin or "")}"'
                 f' data-trust="{trust[seg.id]}"{page}{title}')
        note = f'<span class="flags">{escape(", ".join(flags))}</span>' if flags else ""
        ar.append(f'<span id="ar-{escape(seg.id)}" {attrs}>{_mark_names(seg.arabic, seg.glossary)}</span>')
        english = escape(seg.english) if seg.english else escape(UNTRANSLATED)
        # The editor changes .en-text only; the version says what an exported correction was made from.
        en.append(f'<span id="en-{escape(seg.id)}" {attrs} data-version="{escape(segment_version(seg))}">'
                  f'<span class="en-text">{english}</span>{note}{_fuzzy_note(seg)}</span>')
    return " ".join(ar), " ".join(en)


def _pages(paragraph: Paragraph, segments: list[Segment]) -> str:
    """The source pages a paragraph's segments start on: "p. 3", "pp. 3–4", or nothing."""
    pages = sorted({s.page for s in segments if s.page is not None} or
                   ({paragraph.ref.page} if paragraph.ref is not None and paragraph.ref.page is not None else set()))
    if not pages:
        return ""
    label = f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"
    return f'<div class="page">{label}</div>'


def _review_order(doc: Document, trust: dict[str, int]) -> str:
    """The segments to review, least trusted first (flagged or below full trust), with the
    legend of the flags they carry."""
    order = sorted((s for s in doc.segments if s.all_flags or trust[s.id] < 100), key=lambda s: (trust[s.id], s.id))
    if not order:
        return ""
    items = "".join(
        f'<li><b>{trust[s.id]}</b> <a href="#ar-{_href(s.id)}">{escape(s.id)}</a>{_page_note(s)}'
        + (f": {escape(', '.join(s.all_flags))}" if s.all_flags else "") + "</li>"
        for s in order[:300])
    kinds = sorted({flag_kind(f) for s in doc.segments for f in s.all_flags})
    legend = "".join(f"<dt><code>{escape(k)}</code></dt><dd>{escape(explain(k))}</dd>" for k in kinds)
    return (f'<nav class="meta"><details><summary>{len(order)} segments to review, least trusted first '
            f"(trust 0–100)</summary><ol>{items}</ol></details>"
            + (f"<details><summary>What the flags mean</summary><dl>{legend}</dl></details>" if legend else "")
            + "</nav>")


def render_document_html(doc: Document, downloads: tuple[str, ...] = ()) -> str:
    trust = document_trust(doc)
    by_paragraph: dict[int, list[Segment]] = defaultdict(list)
    for seg in doc.segments:
        by_paragraph[seg.paragraph].append(seg)
    rows = []
    # English left, Arabic right, as in the PDF: each language on the side it starts from.
    for paragraph in doc.paragraphs:
        segments = by_paragraph[paragraph.index]
        ar, en = _segment_spans(segments, trust)
        ar_dir = "rtl" if paragraph.language == "ar" else "ltr"
        rows.append(
            f'<tr class="{escape(paragraph.kind)}"><td class="num">{paragraph.index + 1}{_pages(paragraph, segments)}</td>'
            f'<td class="en" dir="ltr" lang="en">{en}</td>'
            f'<td class="ar" dir="rtl" lang="ar"><div dir="{ar_dir}">{ar}</div></td></tr>'
        )
    flagged_items = [s for s in doc.segments if s.all_flags]
    origins = Counter(s.origin for s in doc.segments)
    links = " · ".join(f'<a href="{_href(name)}">{escape(name)}</a>' for name in downloads)
    header = (
        f"<header><h1>{escape(doc.path.name)}</h1><div class=\"meta\">"
        f"{len(doc.paragraphs)} paragraphs · {len(doc.segments)} segments · "
        f"{len(flagged_items)} flagged · "
        + " · ".join(f"{escape(k or '')} {v}" for k, v in sorted(origins.items(), key=lambda kv: kv[0] or ''))
        + ' · <a href="../index.html">all documents</a> · <a href="../names.html">names</a></div>'
        + (f'<div class="meta">Files: {links}</div>' if links else "")
        + "</header>" + TOOLS
    )
    flag_section = _review_order(doc, trust)
    table = (
        f'<table class="bitext" {editor_data(doc)}><colgroup><col style="width:3em"><col><col></colgroup>'
        '<thead><tr><th>¶</th><th>English</th><th dir="rtl">العربية</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    repairs = "".join(
        f"<tr><td>{c.paragraph + 1}</td><td>{escape(c.kind)}</td>"
        f'<td dir="rtl" class="ar-inline">{escape(c.before)}</td><td dir="rtl" class="ar-inline">{escape(c.after)}</td></tr>'
        for c in doc.changes[:500]
    )
    more = f"<p>… and {len(doc.changes) - 500} more in repairs.jsonl</p>" if len(doc.changes) > 500 else ""
    kinds = Counter(c.kind for c in doc.changes)
    kind_list = ", ".join(f"{escape(k)} {v}" for k, v in kinds.most_common())
    issues = "".join(f"<li>{escape(str(i.ref))}: {escape(i.code)} — {escape(i.message)}</li>" for i in doc.issues)
    report = (
        f'<section class="report" id="repairs"><h2>Repair report</h2><p>{len(doc.changes)} changes'
        + (f" ({kind_list})" if kind_list else "") + ".</p>"
        '<table class="list"><tr><th>¶</th><th>kind</th><th>before</th><th>after</th></tr>'
        f"{repairs}</table>{more}"
        + (f"<h3>Issues</h3><ul>{issues}</ul>" if issues else "")
        + "</section>"
    )
    return _page(doc.path.name, header + flag_section + table + report, doc.signature, editor_script())


def _page_note(seg: Segment) -> str:
    return f" (p. {seg.page})" if seg.page is not None else ""


def bar_chart(title: str, bars: list[tuple[str, list[tuple[str, int, str]]]], width: int = 420) -> str:
    """A horizontal (stacked) bar chart as inline SVG: ``bars`` is [(label, [(part, n, colour)])]."""
    label_w, row_h, top = 150, 20, 22
    total_max = max((sum(n for _, n, _ in parts) for _, parts in bars), default=0) or 1
    scale = (width - label_w - 50) / total_max
    height = top + row_h * len(bars) + 6
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
           f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>']
    for row, (label, parts) in enumerate(bars):
        y = top + row * row_h
        short = label if len(label) <= 22 else label[:21] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(short)}</text>')
        x = float(label_w)
        for part, n, colour in parts:
            if n:
                w = n * scale
                out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}">'
                           f"<title>{escape(label)}: {escape(part)} {n}</title></rect>")
                x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(n for _, n, _ in parts)}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend() -> str:
    return " ".join(f'<span style="color:{c}">■</span> {escape(o)}' for o, c in _ORIGIN_COLOURS)


def render_index_html(summary: RunSummary, corpus: tuple[Document, ...] = ()) -> str:
    """The run's index: its documents' status, and charts over every published document on disk."""
    on_disk = {doc.stem for doc in corpus}
    rows = []
    for doc in summary.documents:
        link = (
            f'<a href="{_href(doc.stem, doc.stem + ".html")}">{escape(doc.file)}</a>'
            if doc.status in (Status.PUBLISHED, Status.SKIPPED) and doc.stem in on_disk or doc.status == Status.PUBLISHED
            else escape(doc.file)
        )
        rows.append(
            f"<tr><td>{link}</td><td class=\"status-{escape(doc.status)}\">{escape(doc.status)}</td>"
            f"<td>{doc.segments}</td><td>{doc.translated}</td><td>{doc.flagged}</td>"
            f"<td>{doc.glossary_hits}</td><td>{escape(doc.error or '')}</td></tr>"
        )
    listed = {doc.stem for doc in summary.documents}
    for doc in corpus:  # published by an earlier run and not part of this one
        if doc.stem not in listed:
            rows.append(
                f'<tr><td><a href="{_href(doc.stem, doc.stem + ".html")}">{escape(doc.path.name)}</a></td>'
                f'<td class="status-skipped">earlier run</td><td>{len(doc.segments)}</td>'
                f'<td>{sum(1 for s in doc.segments if s.origin == Origin.MACHINE)}</td>'
                f"<td>{sum(1 for s in doc.segments if s.all_flags)}</td>"
                f"<td>{sum(len(s.glossary) for s in doc.segments)}</td><td></td></tr>"
            )
    segment_bars = [
        (b.stem, [(o, sum(1 for s in b.segments if s.origin == o), c) for o, c in _ORIGIN_COLOURS])
        for b in corpus
    ]
    kinds = Counter(flag_kind(f) for b in corpus for s in b.segments for f in s.all_flags)
    flag_bars = [(k, [("segments", n, "#e0b400")]) for k, n in kinds.most_common(15)]
    charts = (
        '<section class="report"><div class="charts">'
        f"<figure>{bar_chart('Segments per document', segment_bars)}<figcaption class=\"meta\">{_legend()}</figcaption></figure>"
        f"<figure>{bar_chart('Flags by kind', flag_bars)}</figure>"
        "</div></section>"
        if corpus else ""
    )
    notes = "".join(f"<p>{escape(n)}</p>" for n in summary.notes)
    body = (
        "<header><h1>Qantara run</h1>"
        f'<div class="meta">{escape(summary.started)} → {escape(summary.finished)} · '
        f"model {escape(summary.model or 'none installed')} · {summary.model_calls} model calls · "
        f"{summary.count('published')} published, {summary.count('skipped')} skipped, "
        f"{summary.count('failed')} failed · <a href=\"names.html\">names index</a></div>{notes}</header>"
        + charts
        + '<section class="report"><table class="list"><tr><th>document</th><th>status</th>'
        "<th>segments</th><th>translated</th><th>flagged</th><th>names</th><th>error</th></tr>"
        f"{''.join(rows)}</table></section>"
    )
    return _page("Qantara run", body, summary.signature)


def _document_links(per_doc: Counter, shown: int = 12) -> str:
    """Documents and their counts as wrapping links, the most frequent first; the rest folded."""
    links = [f'<a href="{_href(stem, stem + ".html")}">{escape(stem)}</a>&nbsp;{n}'
             for stem, n in sorted(per_doc.items(), key=lambda kv: (-kv[1], kv[0]))]
    more = (f"<details><summary>{len(links) - shown} more documents</summary>{' · '.join(links[shown:])}</details>"
            if len(links) > shown else "")
    return " · ".join(links[:shown]) + more


def render_names_html(corpus: tuple[Document, ...], signature: str) -> str:
    """Every glossary name found in the corpus with the documents it is found in, and every
    document with the names found in it. Documents are rows and cell contents, never columns,
    so the page keeps its width however many documents there are."""
    # Keyed by the English form and type: that is the name's identity across spellings.
    mentions: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
    translations: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for doc in corpus:
        for seg in doc.segments:
            for hit in seg.glossary:
                key = (hit.english, hit.type)
                mentions[key].append((doc.stem, seg.id))
                spellings[key][hit.arabic] += 1
                translations[key]["found in English" if hit.english.casefold() in seg.english.casefold()
                                  else "missing in English"] += 1
    rows = []
    names_of: dict[str, Counter] = defaultdict(Counter)
    for key in sorted(mentions, key=lambda k: (-len(mentions[k]), k)):
        english, kind = key
        per_doc = Counter(stem for stem, _ in mentions[key])
        for stem, n in per_doc.items():
            names_of[stem][english] += n
        links = " ".join(
            f'<a href="{_href(stem, stem + ".html")}#ar-{_href(seg)}">{escape(stem)}#{escape(seg)}</a>'
            for stem, seg in mentions[key][:60]
        )
        more = f" … {len(mentions[key]) - 60} more" if len(mentions[key]) > 60 else ""
        arabic = "، ".join(escape(a) for a, _ in spellings[key].most_common())
        rows.append(
            f"<tr><td>{escape(english)}</td><td dir=\"rtl\" class=\"ar-inline\">{arabic}</td><td>{escape(kind)}</td>"
            f"<td>{len(mentions[key])}</td><td>{len(per_doc)}: {_document_links(per_doc)}</td>"
            f"<td>{translations[key]['missing in English'] or ''}</td>"
            f'<td class="meta"><details><summary>{len(mentions[key])} segments</summary>{links}{more}</details></td></tr>'
        )
    by_document = "".join(
        f'<tr><td><a href="{_href(doc.stem, doc.stem + ".html")}">{escape(doc.stem)}</a></td>'
        f"<td>{len(names_of[doc.stem])}</td><td>{sum(names_of[doc.stem].values())}</td>"
        f"<td>{', '.join(escape(name) for name, _ in names_of[doc.stem].most_common())}</td></tr>"
        for doc in corpus if names_of[doc.stem]
    )
    body = (
        '<header><h1>Names</h1><div class="meta">'
        f"{len(mentions)} glossary names in {len(corpus)} documents · "
        '<a href="#documents">by document</a> · <a href="index.html">all documents</a></div></header>'
        '<section class="report"><table class="list"><tr><th>English</th><th>Arabic (as found)</th>'
        "<th>type</th><th>mentions</th><th>documents</th><th>missing in English</th><th>segments</th></tr>"
        f"{''.join(rows)}</table></section>"
        '<section class="report" id="documents"><h2>By document</h2><table class="list">'
        "<tr><th>document</th><th>names</th><th>mentions</th><th>names found</th></tr>"
        f"{by_document}</table></section>"
    )
    return _page("Qantara names", body, signature)
