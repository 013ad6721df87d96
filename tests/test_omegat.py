"""A real CAT tool uses our files: OmegaT opens the project a run writes
(qantara.publish.omegat), pre-translates every `<stem>.ar.txt` from `<stem>.tmx` with
Qantara's Arabic segmentation rules, and reads the run's glossary.tbx with its own TBX reader.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qantara.extraction import extract_document
from qantara.glossary import load_glossary
from qantara.glossary.tbx import render_tbx
from qantara.pipeline import translate_documents
from qantara.publish.omegat import PROJECT_DIR, write_omegat_project
from qantara.segment import segment_paragraphs
from qantara.types import Document
from qantara.publish import publish_document
from qantara.repair import repair_document
from qantara.types import Paragraph

from test_publish_pdf import PARAGRAPHS

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ("000_41cf3146f527e58b.txt", "001_ddd1c7b39be48a05.txt", "004_dc0ec6e5dd7e186b.txt")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")

pytestmark = pytest.mark.skipif(
    not OMEGAT_JAR.is_file() or not shutil.which("java"),
    reason="OmegaT is not installed (Debian package `omegat`, which brings a Java runtime)",
)

class Numbered:
    """A translator with one output per distinct sentence, so each segment's English can be
    found; like a model, it translates the same sentence the same way (a heading repeated as
    a running head gets one translation, which OmegaT fills in both places)."""

    def __init__(self, stem):
        self.stem = stem

    def translate(self, sentences):
        number = {s: i for i, s in enumerate(dict.fromkeys(sentences))}
        return [f"Translation {self.stem} number {number[s]}." for s in sentences]


NAMES = load_glossary(ROOT / "glossary")

# OmegaT's own TBX reader, as its Glossary pane uses it, under our project's settings (it picks
# the langSets by the project's languages): prints "source<TAB>target" per term.
GLOSSARY_DUMP = """
import org.omegat.core.Core;
import org.omegat.core.data.NotLoadedProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.util.ProjectFileStorage;
public class GlossaryDump {
    public static void main(String[] args) throws Exception {
        final ProjectProperties props = ProjectFileStorage.loadProjectProperties(new java.io.File(args[0]));
        Core.setProject(new NotLoadedProject() {
            @Override public ProjectProperties getProjectProperties() { return props; }
        });
        for (GlossaryEntry e : GlossaryReaderTBX.read(new java.io.File(args[1]), false)) {
            System.out.println(e.getSrcText() + "\t" + e.getLocText());
        }
    }
}
"""


def publish(stem: str, paragraphs, output: Path) -> Path:
    prepared = Document(Path(f"{stem}.txt"), stem, paragraphs=tuple(paragraphs),
                        segments=segment_paragraphs(paragraphs, NAMES), signature="qantara:test")
    publish_document(translate_documents([prepared], Numbered(stem))[0], output)
    return output / stem


def documents(output: Path) -> list[Path]:
    folders = [publish("sample", [Paragraph(i, t) for i, t in enumerate(PARAGRAPHS[:3])], output)]
    if SHARED.is_dir():
        for name in SEEDS:
            paragraphs = repair_document(extract_document(SHARED / "seeds" / name)).paragraphs
            folders.append(publish(Path(name).stem, paragraphs, output))
    return folders


def omegat_glossary(project: Path, tbx: Path, work: Path) -> set[tuple[str, str]]:
    """The (source, target) terms OmegaT's TBX reader finds in ``tbx`` for ``project``."""
    (work / "GlossaryDump.java").write_text(GLOSSARY_DUMP, "utf-8")
    subprocess.run(["javac", "-cp", str(OMEGAT_JAR), "-d", str(work), str(work / "GlossaryDump.java")],
                   check=True, capture_output=True, timeout=120)
    result = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", f"{OMEGAT_JAR}:{work}", "GlossaryDump",
                             str(project), str(tbx)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return {tuple(line.split("\t", 1)) for line in result.stdout.splitlines() if "\t" in line}


def test_omegat_opens_our_project(tmp_path):
    out = tmp_path / "out"
    folders = documents(out)
    (out / "glossary.tbx").write_bytes(render_tbx(NAMES.entries))
    write_omegat_project(out, [f.name for f in folders])
    project = out / PROJECT_DIR
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
    names = set()
    for folder in folders:
        target = (project / "target" / f"{folder.name}.ar.txt").read_text("utf-8")
        rows = [json.loads(line) for line in (folder / "segments.jsonl").read_text("utf-8").splitlines()]
        names |= {(h["arabic"], h["english"]) for r in rows for h in r["glossary"]}
        # Segments with Arabic letters: a lone list number or dash is not text a translator sees.
        wanted = [r for r in rows if r["origin"] == "machine" and _ARABIC_LETTER.search(r["arabic"])]
        missed = [r for r in wanted if not re.search(re.escape(r["english"]) + r"(?!\d)", target)]
        print(folder.name, len(wanted) - len(missed), len(wanted), [r["arabic"] for r in missed[:3]])
        found, total = found + len(wanted) - len(missed), total + len(wanted)
    print(f"OmegaT pre-translated {found}/{total} segments ({found / total:.1%})")
    assert total >= 5 and found == total

    # The glossary OmegaT shows: every name found in the samples, with its English.
    terms = omegat_glossary(project, project / "glossary" / "glossary.tbx", tmp_path)
    english_of = {}
    for source, target in terms:
        english_of.setdefault(target, set()).add(source)
    assert names, "the samples name nothing from the glossary"
    for arabic, english in names:
        assert english in english_of, (arabic, english)
    print(f"OmegaT reads {len(terms)} glossary terms; the samples name {len(names)}")
