"""An OmegaT project that opens the run's documents with their memory and glossary in place.

``OUTPUT/omegat-project/``: ``omegat.project`` (Arabic → English, Lucene tokenizers),
``source/`` with every published document's Arabic text, ``tm/auto/`` with its TMX (OmegaT
fills matching segments from it when the project opens; the TMX marks machine entries with
``x-origin`` machine and ``creationid`` qantara-mt, so they read as MT, not human memory),
``glossary/glossary.tbx`` (the run's glossary) and ``omegat/segmentation.conf``: Qantara's
sentence rules as OmegaT SRX rules (qantara/data/omegat-segmentation.conf). OmegaT's default
rules do not break after ؛ or ؟ and do break before footnote marks such as [6], so its segments
would not meet ours and its pre-translation from our TMX would fall short.

The project is brought up to date by every run and review import, but only the files Qantara
made, and only those whose content changed: a translator's work (``omegat/project_save.tmx``,
``target/``) is never touched, and the sources and TMX of documents no longer published are
removed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Iterable

from ..fs import write_bytes_atomic
from .exchange import GLOSSARY_FILE, SOURCE_LANG, TARGET_LANG, source_file_name

PROJECT_DIR = "omegat-project"
SEGMENTATION = "omegat-segmentation.conf"
_PROJECT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{SOURCE_LANG}</source_lang>
        <target_lang>{TARGET_LANG}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


def segmentation_rules() -> str:
    """Qantara's Arabic sentence rules as OmegaT's segmentation.conf (an SRX in XMLDecoder form)."""
    return resources.files("qantara").joinpath("data", SEGMENTATION).read_text("utf-8")


def _update(path: Path, data: bytes) -> Path | None:
    """Write ``path`` when its content differs (an unchanged rerun touches nothing); the path
    when written."""
    if path.is_file() and path.read_bytes() == data:
        return None
    return write_bytes_atomic(path, data)


def write_omegat_project(output_dir: Path, stems: Iterable[str]) -> tuple[Path, ...]:
    """Write (or refresh) ``OUTPUT/omegat-project`` over the published documents ``stems``,
    each taken from its folder's ``<stem>.ar.txt`` and ``<stem>.tmx``, with the run's
    ``OUTPUT/glossary.tbx``; returns the files it wrote."""
    project = output_dir / PROJECT_DIR
    for sub in ("target", "dictionary"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    files = {project / "omegat.project": _PROJECT.encode("utf-8"),
             project / "omegat" / "segmentation.conf": segmentation_rules().encode("utf-8")}
    if (output_dir / GLOSSARY_FILE).is_file():
        files[project / "glossary" / GLOSSARY_FILE] = (output_dir / GLOSSARY_FILE).read_bytes()
    for stem in stems:
        folder = output_dir / stem
        for name, into in ((source_file_name(stem), "source"), (f"{stem}.tmx", "tm/auto")):
            if (folder / name).is_file():
                files[project / into / name] = (folder / name).read_bytes()
    for into, pattern in (("source", "*.ar.txt"), ("tm/auto", "*.tmx")):
        for stale in (project / into).glob(pattern):
            if stale not in files:
                stale.unlink()
    return tuple(path for path in (_update(path, data) for path, data in files.items()) if path is not None)
