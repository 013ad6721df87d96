"""The review page's editor: a reviewer corrects or approves English in the page itself and
exports the corrections as a TSV that ``qantara review import`` takes.

It works offline from file:// with no server: edits are kept in the browser's localStorage,
keyed by document and signature, until they are published (a page re-rendered after the
import shows them as reviewed) or discarded, so a reload or a closed tab loses nothing. The
export has the TSV's own columns (``TSV_COLUMNS``, read by :func:`qantara.review.read_tsv`)
plus ``reviewer``; each row carries the version of the translation it was made from, so an
import refuses a correction made on a page older than the published translation. Cells are
neutralised as the published TSV's are, by the same pattern.

Segment text reaches the script only through the DOM (textContent, data attributes) and goes
back into it only as textContent, never as markup.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from ..types import Document
from .exchange import _FORMULA_START, TSV_COLUMNS

EXPORT_COLUMNS = TSV_COLUMNS + ("reviewer",)

# Hidden until the script runs: without it the page is the read-only page it always was.
TOOLS = (
    '<div id="review-tools" class="review-tools meta" hidden>'
    '<label><input type="checkbox" id="edit-mode"> Edit translations</label> '
    '<label>Reviewer <input type="text" id="reviewer" size="14" autocomplete="name"></label> '
    '<span id="edit-count"></span> '
    '<button type="button" id="export" disabled>Export corrections (TSV)</button> '
    '<button type="button" id="discard" disabled>Discard</button> '
    '<span id="edit-status" role="status"></span>'
    '<details id="changes"><summary>Your changes</summary><ol id="change-list"></ol></details>'
    "</div>"
)

EDITOR_STYLE = """
.review-tools{position:sticky;top:0;z-index:2;background:#eef3fb;border-bottom:1px solid #c9d7ee;padding:6px 24px}
.review-tools details{display:inline-block;margin-left:8px}
.review-tools ol{max-height:40vh;overflow:auto;margin:4px 0;background:#fff;padding:6px 6px 6px 28px}
.review-tools del{color:#8a929c}.review-tools ins{text-decoration:none;color:#1a4fa0}
table.bitext.editing td.en .en-text[contenteditable]{outline:1px dotted #9ab;min-width:2em;display:inline-block}
table.bitext.editing td.en .en-text:empty::before{content:"type a translation";color:#8a929c}
.seg.edited .en-text{background:#e2ecff;text-decoration:underline dashed #1a73e8}
.seg.approved{box-shadow:inset 3px 0 0 #1e7b34}
button.approve{font-size:.75em;margin-left:4px;padding:0 4px;cursor:pointer}
table.bitext:not(.editing) button.approve{display:none}
.seg.approved button.approve{background:#1e7b34;color:#fff}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var table = document.querySelector("table.bitext");
  var tools = document.getElementById("review-tools");
  if (!table || !tools) return;
  var data = table.dataset;
  var KEY = "qantara-review:" + data.stem + ":" + data.signature;
  var REVIEWER_KEY = "qantara-review:reviewer";
  var columns = data.columns.split(" ");
  var formula = new RegExp(data.formula);
  var EDITABLE = ["machine", "reviewed", "untranslated"];
  var storage = null;
  try { storage = window.localStorage; storage.getItem(KEY); } catch (e) { storage = null; }
  var edits = new Map();
  try {
    var saved = JSON.parse((storage && storage.getItem(KEY)) || "null");
    if (saved && Array.isArray(saved.edits)) edits = new Map(saved.edits);
  } catch (e) { edits = new Map(); }
  var $ = function (id) { return document.getElementById(id); };
  var status = $("edit-status");
  var segs = new Map();
  Array.prototype.forEach.call(table.querySelectorAll("td.en .seg"), function (el) {
    var origin = el.getAttribute("data-origin");
    var text = el.querySelector(".en-text");
    if (EDITABLE.indexOf(origin) < 0 || !text) return;
    var id = el.getAttribute("data-id");
    var ar = document.getElementById("ar-" + id);
    segs.set(id, {el: el, text: text, id: id, origin: origin, version: el.getAttribute("data-version"),
                  page: el.getAttribute("data-page") || "", shown: text.textContent,
                  original: origin === "untranslated" ? "" : text.textContent,
                  arabic: ar ? ar.textContent : ""});
  });

  function clean(text) { return text.replace(/\s+/g, " ").trim(); }

  function save() {
    if (!storage) { status.textContent = "this browser keeps no edits across reloads: export before closing"; return; }
    try {
      if (edits.size) storage.setItem(KEY, JSON.stringify({edits: Array.from(edits)}));
      else storage.removeItem(KEY);
    } catch (e) { status.textContent = "could not keep the edits in the browser (" + e.name + "): export them now"; }
  }

  function paint(seg) {
    var edit = edits.get(seg.id);
    var editing = table.classList.contains("editing");
    seg.el.classList.toggle("edited", !!edit && edit.english !== seg.original);
    seg.el.classList.toggle("approved", !!edit && edit.approved);
    if (edit) seg.el.setAttribute("data-was", seg.original);
    else seg.el.removeAttribute("data-was");
    if (!edit && document.activeElement !== seg.text) {
      seg.text.textContent = editing && seg.origin === "untranslated" ? "" : seg.shown;
    }
  }

  function summary() {
    var edited = 0, approved = 0, list = $("change-list");
    list.textContent = "";
    edits.forEach(function (edit, id) {
      var seg = segs.get(id);
      var was = seg ? seg.original : "";
      if (edit.english !== was) edited += 1;
      if (edit.approved) approved += 1;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#en-" + id;
      link.textContent = id;
      item.appendChild(link);
      item.appendChild(document.createTextNode(edit.approved && edit.english === was ? " approved: " : ": "));
      if (edit.english !== was) {
        var del = document.createElement("del");
        del.textContent = was || "(untranslated)";
        item.appendChild(del);
        item.appendChild(document.createTextNode(" → "));
      }
      var ins = document.createElement("ins");
      ins.textContent = edit.english;
      item.appendChild(ins);
      list.appendChild(item);
    });
    $("edit-count").textContent = edited + " edited · " + approved + " approved";
    $("export").disabled = $("discard").disabled = edits.size === 0;
  }

  function record(seg, approved) {
    var english = clean(seg.text.textContent);
    var before = edits.get(seg.id);
    if (!english || (english === seg.original && !approved)) edits.delete(seg.id);
    else edits.set(seg.id, {english: english, approved: !!approved, arabic: seg.arabic, page: seg.page,
                            base: before ? before.base : seg.version});
    save(); paint(seg); summary();
  }

  function cell(value) {
    value = String(value == null ? "" : value);
    if (formula.test(value)) value = "'" + value;
    return /[\t\r\n"]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function exportTsv() {
    var reviewer = clean($("reviewer").value);
    var lines = [columns.map(cell).join("\t")];
    edits.forEach(function (edit, id) {
      var row = {id: id, arabic: edit.arabic, english: edit.english, origin: "reviewed", flags: "",
                 document: data.stem, page: edit.page, version: edit.base, reviewer: reviewer};
      lines.push(columns.map(function (c) { return cell(row[c]); }).join("\t"));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/tab-separated-values;charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = data.stem + ".corrections.tsv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 10000);
    status.textContent = "exported " + edits.size + " corrections to " + link.download +
      ": import it with `qantara review import`; they stay here until the page shows them published";
  }

  function setEditing(on) {
    table.classList.toggle("editing", on);
    segs.forEach(function (seg) {
      if (on) {
        try { seg.text.contentEditable = "plaintext-only"; } catch (e) { seg.text.contentEditable = "true"; }
        seg.text.spellcheck = true;
        if (seg.origin === "machine" && !seg.el.querySelector("button.approve")) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "approve";
          button.textContent = "\u2713";
          button.title = "Approve this translation as it stands";
          seg.el.insertBefore(button, seg.text.nextSibling);
        }
      } else {
        seg.text.removeAttribute("contenteditable");
      }
      paint(seg);
    });
  }

  table.addEventListener("input", function (event) {
    var el = event.target.closest && event.target.closest(".seg");
    var seg = el && segs.get(el.getAttribute("data-id"));
    if (seg) record(seg, (edits.get(seg.id) || {}).approved);
  });
  table.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList.contains("en-text")) { event.preventDefault(); event.target.blur(); }
  });
  table.addEventListener("click", function (event) {
    if (!event.target.classList.contains("approve")) return;
    var seg = segs.get(event.target.closest(".seg").getAttribute("data-id"));
    if (seg) record(seg, !(edits.get(seg.id) || {}).approved);
  });
  $("edit-mode").addEventListener("change", function (event) { setEditing(event.target.checked); });
  $("export").addEventListener("click", exportTsv);
  $("discard").addEventListener("click", function () {
    if (!window.confirm("Discard " + edits.size + " corrections not yet exported or published?")) return;
    edits.clear(); save(); segs.forEach(paint); summary();
  });
  $("reviewer").value = (storage && storage.getItem(REVIEWER_KEY)) || "";
  $("reviewer").addEventListener("input", function (event) {
    if (storage) { try { storage.setItem(REVIEWER_KEY, event.target.value); } catch (e) { /* kept in the field */ } }
  });

  // Edits kept from an earlier visit; those the page now shows as published are done.
  edits.forEach(function (edit, id) {
    var seg = segs.get(id);
    if (seg && seg.origin === "reviewed" && edit.english === seg.original) { edits.delete(id); return; }
    if (seg) seg.text.textContent = edit.english;
  });
  save();
  segs.forEach(paint);
  summary();
  tools.hidden = false;
}());
"""


def editor_script() -> str:
    return _SCRIPT


def script_source(script: str) -> str:
    """The Content-Security-Policy source that allows this inline script and nothing else."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def formula_start_js() -> str:
    """The TSV's formula pattern as a JavaScript RegExp: its ``\\s`` spelled out as Python's
    (JavaScript's differs), so the page neutralises exactly the cells the TSV does."""
    spaces = "".join(f"\\u{c:04x}" for c in range(0x3001) if chr(c).isspace())
    return "^" + _FORMULA_START.pattern.replace(r"\s", f"[{spaces}]")


def editor_data(doc: Document) -> str:
    """The attributes of the page's table the script reads: document, signature, export columns."""
    return (f'data-stem="{escape(doc.stem)}" data-signature="{escape(doc.signature)}" '
            f'data-columns="{escape(" ".join(EXPORT_COLUMNS))}" data-formula="{escape(formula_start_js())}"')
