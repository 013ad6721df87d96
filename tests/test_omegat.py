"""A real CAT tool uses our files: OmegaT pre-translates `<stem>.ar.txt` from `<stem>.tmx`.

The project ships a project-specific segmentation (omegat/segmentation.conf) for Arabic that
states Qantara's sentence rules as SRX rules: OmegaT's default rules do not break after ؛ or
؟ and break before footnote markers such as [6], so its segments and ours would not meet.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qantara.extraction import extract_document
from qantara.pipeline import translate_documents
from qantara.segment import segment_paragraphs
from qantara.types import Document
from qantara.publish import publish_document
from qantara.repair import repair_document
from qantara.types import Paragraph

from test_publish_pdf import PARAGRAPHS

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = ("000_41cf3146f527e58b.txt", "001_ddd1c7b39be48a05.txt", "004_dc0ec6e5dd7e186b.txt")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")

pytestmark = pytest.mark.skipif(
    not OMEGAT_JAR.is_file() or not shutil.which("java"),
    reason="OmegaT is not installed (Debian package `omegat`, which brings a Java runtime)",
)

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>ar</source_lang>
        <target_lang>en</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


def _rule(breaks: bool, before: str, after: str = r"\s") -> str:
    before = before.replace("<", "&lt;")  # a look-behind's "(?<=" inside XML
    return (
        '<void method="add"><object class="org.omegat.core.segmentation.Rule">'
        f'<void property="breakRule"><boolean>{"true" if breaks else "false"}</boolean></void>'
        f'<void property="beforebreak"><string>{before}</string></void>'
        f'<void property="afterbreak"><string>{after}</string></void>'
        "</object></void>"
    )


# Qantara's rules (qantara.segment) as SRX: no break after a lone letter and a full stop
# (د. م.), after a paragraph's list number ("1. "), or inside brackets; a break after
# . ! ? ; ؟ ؛ … with any closing brackets, quotes and footnote marks.
SEGMENTATION = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<java version="1.8.0" class="java.beans.XMLDecoder">'
    '<object class="org.omegat.core.segmentation.SRX"><void property="mappingRules">'
    '<object class="java.util.ArrayList"><void method="add">'
    '<object class="org.omegat.core.segmentation.MapRule">'
    '<void property="language"><string>Arabic (Qantara)</string></void>'
    '<void property="pattern"><string>(?i)ar.*</string></void>'
    '<void property="rules"><object class="java.util.ArrayList">'
    + _rule(False, r"(?:^|[^\p{L}\p{M}])\p{L}\.")
    + _rule(False, r"^\s*[0-9\u0660-\u0669]{1,3}\.")
    + _rule(False, r"(?<=\([^()]{0,400})[.!?;\u061F\u061B\u2026]+\)?")
    + _rule(True, r"[.!?;\u061F\u061B\u2026]+(?:[)\]}\u00BB\u201D\u203A&quot;']|\[\d{1,3}\]|\(\d{1,3}\))*")
    + "</object></void></object></void></object></void>"
    '<void property="version"><string>0.2.2</string></void></object></java>\n'
)


class Numbered:
    """A translator whose every output is unique, so each segment's English can be found."""

    def __init__(self, stem):
        self.stem = stem

    def translate(self, sentences):
        return [f"Translation {self.stem} number {i}." for i in range(len(sentences))]


def publish(stem: str, paragraphs, output: Path) -> Path:
    prepared = Document(Path(f"{stem}.txt"), stem, paragraphs=tuple(paragraphs),
                        segments=segment_paragraphs(paragraphs, None), signature="qantara:test")
    publish_document(translate_documents([prepared], Numbered(stem))[0], output)
    return output / stem


def documents(output: Path) -> list[Path]:
    folders = [publish("sample", [Paragraph(i, t) for i, t in enumerate(PARAGRAPHS[:3])], output)]
    if SHARED.is_dir():
        for name in SEEDS:
            paragraphs = repair_document(extract_document(SHARED / "seeds" / name)).paragraphs
            folders.append(publish(Path(name).stem, paragraphs, output))
    return folders


def test_omegat_pretranslates_from_our_tmx(tmp_path):
    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, "utf-8")
    (project / "omegat" / "segmentation.conf").write_text(SEGMENTATION, "utf-8")
    folders = documents(tmp_path / "out")
    for folder in folders:
        shutil.copy(folder / f"{folder.name}.ar.txt", project / "source")
        shutil.copy(folder / f"{folder.name}.tmx", project / "tm" / "auto")
    config = tmp_path / "omegat-config"
    config.mkdir()
    result = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project),
         "--mode=console-translate", f"--config-dir={config}"],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    log = (config / "logs" / "OmegaT.log").read_text("utf-8", errors="replace")
    # Our segmentation rules were loaded (a rule that is bad XML fails in XMLDecoder instead).
    assert "CORE_SRX_EXC_LOADING_SEG_RULES" not in log and "loadSRX" not in log

    found = total = 0
    for folder in folders:
        target = (project / "target" / f"{folder.name}.ar.txt").read_text("utf-8")
        rows = [json.loads(line) for line in (folder / "segments.jsonl").read_text("utf-8").splitlines()]
        # Segments with Arabic letters: a lone list number or dash is not text a translator sees.
        wanted = [r for r in rows if r["origin"] == "machine" and _ARABIC_LETTER.search(r["arabic"])]
        hits = [r for r in wanted if re.search(re.escape(r["english"]) + r"(?!\d)", target)]
        print(folder.name, len(hits), len(wanted))
        assert len(hits) >= 0.9 * len(wanted), (folder.name, len(hits), len(wanted))
        found, total = found + len(hits), total + len(wanted)
    print(f"OmegaT pre-translated {found}/{total} segments ({found / total:.1%})")
    assert total >= 5 and found / total >= 0.9
