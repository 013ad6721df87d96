"""The signature: its format (pinned), its parts, and the stage keys derived from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from qantara import signature
from qantara.config import Settings
from qantara.memory import TranslationMemory, reviewed_version
from qantara.models import InstalledPackage
from qantara.repair import STEPS
from qantara.signature import STAGE_CODE, build_signature, code_version, settings_version
from support.imports import import_closure, package_modules

PACKAGE = InstalledPackage(name="translate-ar_en", version="1.9", from_code="ar", to_code="en",
                           path=Path("/nowhere"), size_bytes=0)


@pytest.fixture
def pinned(monkeypatch):
    """Every outside fact the signature reads, fixed."""
    versions = {"qantara": "0.1.0", "pdfplumber": "0.11.10", "pypdfium2": "5.15.2", "wordfreq": "3.1.1"}
    monkeypatch.setattr(signature, "version", lambda dist: versions[dist])
    monkeypatch.setattr(signature, "code_hash", lambda parts=None: "c0de" if parts is None else "c0de-" + parts[0])
    monkeypatch.setattr(signature, "tesseract_version", lambda: "5.3.0")
    monkeypatch.setattr(signature, "lexicon_signature", lambda: "hunspell-ar+wordfreq-3.1.1")
    signature._tool_parts.cache_clear()
    yield
    signature._tool_parts.cache_clear()


def test_signature_format_is_pinned(pinned):
    settings = Settings(compute_type="int8", beam_size=4, max_sentence_tokens=200)
    assert str(build_signature(settings, glossary="9f8e7d6c5b4a", package=PACKAGE)) == (
        "qantara:0.1.0+c0de|pdfplumber:0.11.10|ocr:tesseract-5.3.0+pdfium-5.15.2|"
        "lexicon:hunspell-ar+wordfreq-3.1.1|repair:" + "+".join(STEPS) + "|glossary:9f8e7d6c5b4a|"
        "model:translate-ar_en@1.9|compute:int8|beam:4|max-tokens:200"
    )
    # Without a model, without OCR: nothing about decoding, and OCR says it was off.
    assert str(build_signature(Settings(ocr=False), glossary="none", package=None)) == (
        "qantara:0.1.0+c0de|pdfplumber:0.11.10|ocr:off|lexicon:hunspell-ar+wordfreq-3.1.1|repair:"
        + "+".join(STEPS) + "|glossary:none|model:none"
    )


def test_every_setting_that_changes_output_changes_the_signature(pinned):
    base = Settings(compute_type="int8")
    signatures = {str(build_signature(s, glossary="g", package=PACKAGE))
                  for s in (base, Settings(compute_type="float32"), Settings(compute_type="int8", beam_size=2),
                            Settings(compute_type="int8", max_sentence_tokens=50),
                            Settings(compute_type="int8", ocr=False))}
    assert len(signatures) == 5
    # Speed alone does not.
    assert str(build_signature(Settings(compute_type="int8", batch_tokens=512, inter_threads=2), glossary="g",
                               package=PACKAGE)) == str(build_signature(base, glossary="g", package=PACKAGE))


def test_stage_keys_change_only_with_what_the_stage_depends_on(pinned):
    base = build_signature(Settings(), glossary="g1", package=None)
    other_glossary = build_signature(Settings(), glossary="g2", package=None)
    other_model = build_signature(Settings(), glossary="g1", package=PACKAGE)
    no_ocr = build_signature(Settings(ocr=False), glossary="g1", package=None)
    assert base.stages["read"] == other_glossary.stages["read"] == other_model.stages["read"]
    assert base.stages["segment"] != other_glossary.stages["segment"]
    assert base.stages["segment"] == other_model.stages["segment"]
    assert no_ocr.stages["read"] != base.stages["read"] and no_ocr.stages["segment"] != base.stages["segment"]
    # Damage verdicts depend on their code and wordfreq alone.
    assert base.stages["damage"] == other_glossary.stages["damage"] == other_model.stages["damage"] \
        == no_ocr.stages["damage"]


def test_damage_verdicts_key_changes_with_wordfreq(pinned, monkeypatch):
    before = build_signature(Settings(), glossary="g", package=None).stages["damage"]
    pinned_version = signature.version
    monkeypatch.setattr(signature, "version", lambda dist: "3.2.0" if dist == "wordfreq" else pinned_version(dist))
    assert build_signature(Settings(), glossary="g", package=None).stages["damage"] != before


def test_memory_key_is_the_translation_part(pinned):
    sig = build_signature(Settings(compute_type="int8"), glossary="g", package=PACKAGE)
    assert sig.translation == "model:translate-ar_en@1.9|compute:int8|beam:4|max-tokens:200"
    assert build_signature(Settings(), glossary="g", package=None).translation == "model:none"


@pytest.mark.parametrize(("stage", "roots"), [
    ("read", ["qantara.read"]),
    ("segment", ["qantara.segment", "qantara.glossary.matcher"]),
    ("damage", ["qantara.glossary.damage"]),
])
def test_stage_code_covers_everything_the_stage_runs(stage, roots):
    """A stage's cache key hashes its code: every module the stage imports must be in it."""
    modules = package_modules()
    covered = {(REPO / "qantara" / part) for part in STAGE_CODE[stage]}

    def inside(path: Path) -> bool:
        return any(path == c or c in path.parents for c in covered)

    missing = [name for name in import_closure(roots) if name != "qantara" and not inside(modules[name])]
    assert missing == []


def test_repair_steps_list_every_change_the_repair_records():
    recorded = set()
    for path in (REPO / "qantara" / "repair").glob("*.py"):
        text = path.read_text("utf-8")
        recorded |= set(re.findall(r'apply\([\w.]+, "([a-z-]+)"', text))
        recorded |= set(re.findall(r'Edit\("([a-z-]+)"', text))
    assert recorded - {"line-start"} <= set(STEPS)


def test_versions_change_with_what_they_fingerprint(tmp_path):
    assert code_version() == code_version()
    assert settings_version(Settings()) != settings_version(Settings(beam_size=2))
    assert settings_version(Settings()) == settings_version(Settings(output_dir=Path("elsewhere")))
    memory_file = tmp_path / "translation-memory.sqlite"
    assert reviewed_version(memory_file) == "none"
    with TranslationMemory(memory_file) as memory:
        empty = reviewed_version(memory_file)
        memory.store_reviewed([("نص", "text", "doc", "p1s1")])
    assert reviewed_version(memory_file) != empty
