"""Side-by-side review pages: one per document, and an index over the run.

Everything that comes from a document is escaped: documents are untrusted input. Pages are
self-contained (inline CSS, no scripts, no network) so they open from the file system.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from ..types import Bitext, GlossaryHit, RunSummary, TranslatedSegment
from .text import UNTRANSLATED

_STYLE = """
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#1d232b;background:#f7f7f5}
header,footer,section.report{padding:12px 24px}
header h1{font-size:1.3em;margin:0 0 4px}
.meta{color:#5b6470;font-size:.85em}
table.bitext{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff}
table.bitext td,table.bitext th{vertical-align:top;padding:8px 14px;border-bottom:1px solid #e4e4e0}
td.ar{direction:rtl;text-align:right;font-family:"Amiri","Noto Naskh Arabic","Noto Sans Arabic",serif;font-size:1.15em;line-height:1.9}
td.en{direction:ltr;text-align:left;line-height:1.6}
td.num{width:3em;color:#8a929c;font-size:.8em;text-align:center}
.seg{border-radius:3px}
.seg.flagged{background:#fff1c2;outline:1px solid #e0b400}
.seg.untranslated{color:#8a929c;font-style:italic}
mark.name{background:#dcefff;padding:0 2px;border-radius:2px}
.flags{display:block;font-size:.75em;color:#8a5a00;font-family:sans-serif;direction:ltr;text-align:left}
table.list{border-collapse:collapse;background:#fff}
table.list td,table.list th{padding:4px 10px;border-bottom:1px solid #e4e4e0;text-align:left}
.status-failed{color:#b3261e;font-weight:bold}.status-published{color:#1e7b34}.status-skipped{color:#8a929c}
"""


def _page(title: str, body: str, signature: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}"
        f'<footer class="meta">Qantara signature: <code>{escape(signature)}</code></footer>'
        "</body></html>\n"
    )


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


def _segment_spans(items: list[TranslatedSegment]) -> tuple[str, str]:
    ar, en = [], []
    for item in items:
        seg = item.segment
        flags = list(dict.fromkeys(seg.flags + item.flags))
        classes = ["seg"] + (["flagged"] if flags else []) + ([item.origin] if item.origin == "untranslated" else [])
        attrs = f'class="{" ".join(classes)}" data-id="{escape(seg.id)}" data-origin="{escape(item.origin)}"'
        note = f'<span class="flags">{escape(", ".join(flags))}</span>' if flags else ""
        ar.append(f'<span id="ar-{escape(seg.id)}" {attrs}>{_mark_names(seg.arabic, seg.glossary)}</span>')
        english = escape(item.english) if item.english else escape(UNTRANSLATED)
        en.append(f'<span id="en-{escape(seg.id)}" {attrs}>{english}{note}</span>')
    return " ".join(ar), " ".join(en)


def render_document_html(bitext: Bitext) -> str:
    by_paragraph: dict[int, list[TranslatedSegment]] = defaultdict(list)
    for item in bitext.segments:
        by_paragraph[item.segment.paragraph].append(item)
    rows = []
    for paragraph in bitext.paragraphs:
        ar, en = _segment_spans(by_paragraph[paragraph.index])
        rows.append(
            f'<tr class="{escape(paragraph.kind)}"><td class="num">{paragraph.index + 1}</td>'
            f'<td class="ar" dir="rtl" lang="ar">{ar}</td><td class="en" dir="ltr" lang="en">{en}</td></tr>'
        )
    flagged = sum(1 for s in bitext.segments if s.flags or s.segment.flags)
    origins = Counter(s.origin for s in bitext.segments)
    header = (
        f"<header><h1>{escape(bitext.path.name)}</h1><div class=\"meta\">"
        f"{len(bitext.paragraphs)} paragraphs · {len(bitext.segments)} segments · "
        f"{flagged} flagged · "
        + " · ".join(f"{escape(k)} {v}" for k, v in sorted(origins.items()))
        + ' · <a href="../index.html">all documents</a></div></header>'
    )
    table = (
        '<table class="bitext"><colgroup><col style="width:3em"><col><col></colgroup>'
        '<thead><tr><th>¶</th><th dir="rtl">العربية</th><th>English</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    repairs = "".join(
        f"<tr><td>{c.paragraph + 1}</td><td>{escape(c.kind)}</td>"
        f'<td dir="rtl">{escape(c.before)}</td><td dir="rtl">{escape(c.after)}</td></tr>'
        for c in bitext.changes[:500]
    )
    more = f"<p>… and {len(bitext.changes) - 500} more in repairs.jsonl</p>" if len(bitext.changes) > 500 else ""
    issues = "".join(f"<li>{escape(str(i.ref))}: {escape(i.code)} — {escape(i.message)}</li>" for i in bitext.issues)
    report = (
        f'<section class="report"><h2>Repair report</h2><p>{len(bitext.changes)} changes.</p>'
        '<table class="list"><tr><th>¶</th><th>kind</th><th>before</th><th>after</th></tr>'
        f"{repairs}</table>{more}"
        + (f"<h3>Issues</h3><ul>{issues}</ul>" if issues else "")
        + "</section>"
    )
    return _page(bitext.path.name, header + table + report, bitext.signature)


def render_index_html(summary: RunSummary) -> str:
    rows = []
    for doc in summary.documents:
        link = (
            f'<a href="{escape(doc.stem)}/{escape(doc.stem)}.html">{escape(doc.file)}</a>'
            if doc.status == "published"
            else escape(doc.file)
        )
        rows.append(
            f"<tr><td>{link}</td><td class=\"status-{escape(doc.status)}\">{escape(doc.status)}</td>"
            f"<td>{doc.segments}</td><td>{doc.translated}</td><td>{doc.flagged}</td>"
            f"<td>{doc.glossary_hits}</td><td>{escape(doc.error or '')}</td></tr>"
        )
    notes = "".join(f"<p>{escape(n)}</p>" for n in summary.notes)
    body = (
        "<header><h1>Qantara run</h1>"
        f'<div class="meta">{escape(summary.started)} → {escape(summary.finished)} · '
        f"model {escape(summary.model or 'none installed')} · {summary.model_calls} model calls · "
        f"{summary.count('published')} published, {summary.count('skipped')} skipped, "
        f"{summary.count('failed')} failed</div>{notes}</header>"
        '<section class="report"><table class="list"><tr><th>document</th><th>status</th>'
        "<th>segments</th><th>translated</th><th>flagged</th><th>names</th><th>error</th></tr>"
        f"{''.join(rows)}</table></section>"
    )
    return _page("Qantara run", body, summary.signature)
