"""What Qantara finds outside itself, and what each missing part costs.

``check()`` lists every external part the main job uses (Tesseract with its Arabic data,
Hunspell's Arabic dictionary through enchant, fonts for the bilingual PDF, a translation
model, argostranslate for installing one, LibreOffice for legacy Word files, a Prefect server) as found or missing, with what
going without it costs; ``qantara doctor`` prints it. ``run_notes()`` turns the parts a run
went without into notes for its summary and its review pages, only where it lowered that
run's output.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass
from typing import Iterable, Sequence

from . import config
from .arabic.lexicon import default_lexicon, lexicon_signature
from .errors import ModelNotInstalled
from .extraction.legacy import INSTALL as LEGACY_INSTALL, libreoffice
from .extraction.ocr.tesseract import LANGUAGES, tesseract_problem
from .publish.pdf import ARABIC_FONTS, LATIN_FONTS
from .types import Document, DocumentReport


_DEBIAN = "Debian packages, installed by scripts/setup.sh"

OCR_COST = ("scanned pages and PDF pages without a usable text layer are not read: a document of only "
            "such pages fails, the others are published without those pages")
LEXICON_COST = ("word-level repairs (words split or glued by extraction, lost glyphs) are skipped, OCR "
                "readings are not checked against Arabic words, and PDFs whose fonts map glyphs to wrong "
                "letters are not detected (their text is published as it is)")
ARABIC_FONT_COST = "no bilingual PDF (<stem>.pdf) is published; every other output is"
MODEL_COST = "every segment is published untranslated ([untranslated]) for review"


@dataclass(frozen=True)
class Part:
    """One external part: found or not, what was found or what is missing, what going
    without it costs and how to get it. ``needed``: whether its absence lowers the output
    (and makes ``qantara doctor`` exit 1)."""

    name: str
    found: bool
    detail: str
    without: str
    install: str
    needed: bool = True


def _tesseract() -> Part:
    problem = tesseract_problem()
    binary = shutil.which("tesseract")
    detail = problem or f"{binary} with {LANGUAGES} data"
    if problem is None:
        try:
            version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
            detail = f"{version.splitlines()[0]} ({binary}), {LANGUAGES} data"
        except (OSError, subprocess.SubprocessError, IndexError):
            pass
    return Part("Tesseract OCR, Arabic + English", problem is None, detail, OCR_COST,
                f"tesseract-ocr tesseract-ocr-ara ({_DEBIAN})")


def _lexicon() -> Part:
    lexicon, problem = default_lexicon()
    return Part("Arabic Hunspell dictionary (enchant)", lexicon is not None,
                problem or "hunspell ar dictionary through enchant, wordfreq frequencies", LEXICON_COST,
                f"hunspell-ar libenchant-2-2 ({_DEBIAN})")


def _fonts() -> list[Part]:
    arabic = next((p for p in ARABIC_FONTS if p.is_file()), None)
    latin = next((p for p in LATIN_FONTS if p.is_file()), None)
    return [
        Part("Arabic font for the bilingual PDF", arabic is not None,
             str(arabic) if arabic else "none of " + ", ".join(map(str, ARABIC_FONTS)), ARABIC_FONT_COST,
             f"fonts-hosny-amiri or fonts-noto-core ({_DEBIAN})"),
        Part("Latin font for the bilingual PDF", latin is not None,
             str(latin) if latin else "none of " + ", ".join(map(str, LATIN_FONTS)),
             "the English column of the PDF is set in Helvetica", f"fonts-noto-core or fonts-dejavu-core ({_DEBIAN})",
             needed=False),
    ]


def _model(settings: config.Settings) -> Part:
    from .models import find_package

    pair = f"{settings.from_code}→{settings.to_code}"
    try:
        package = find_package(settings, settings.from_code, settings.to_code)
        found, detail = True, f"{package.name} {package.version} ({package.path})"
    except ModelNotInstalled as exc:
        found, detail = False, f"none in {', '.join(map(str, exc.searched)) or 'any package folder'}"
    return Part(f"{pair} translation model", found, detail, MODEL_COST,
                "qantara models install [FILE.argosmodel]")


def _argos() -> Part:
    # Found without importing it: argostranslate creates folders when imported.
    found = importlib.util.find_spec("argostranslate") is not None
    return Part("argostranslate (reads the argos package index)", found, "importable" if found else "not installed",
                "`qantara models install` without a file cannot download a model (a copied file still installs)",
                "bash scripts/setup.sh")


def _prefect_server() -> Part:
    from .server import configured_api_url, local_api_url, reachable, ui_url

    api = configured_api_url()
    if api is None:
        return Part("Prefect server", False, "none configured (PREFECT_API_URL)",
                    "each `qantara run` starts a temporary server (seconds of start-up) and keeps no run "
                    f"history; `qantara serve` uses or starts one on {ui_url(local_api_url())}",
                    "prefect server start (README: Scheduled runs)", needed=False)
    answers = reachable(api)
    return Part("Prefect server", answers, f"{api} ({'answers' if answers else 'does not answer'})",
                "runs and `qantara serve` fail while PREFECT_API_URL names a server that does not answer",
                "prefect server start (README: Scheduled runs)")


def _libreoffice() -> Part:
    binary = libreoffice()
    return Part("LibreOffice Writer (legacy .doc and .rtf files)", binary is not None,
                binary or "soffice not found", "legacy .doc and .rtf inputs fail (each saying so); .docx, .odt, "
                "web pages and EPUB do not need it", LEGACY_INSTALL, needed=False)


def check(settings: config.Settings | None = None) -> list[Part]:
    settings = settings or config.load()
    return [_tesseract(), _lexicon(), *_fonts(), _model(settings), _argos(), _libreoffice(), _prefect_server()]


def run_notes(prepared: Sequence[Document], reports: Iterable[DocumentReport]) -> list[str]:
    """Notes on the parts this run went without where that lowered what it published; the
    missing model has its own note (see qantara.run). Empty when the run remade nothing."""
    notes: list[str] = []
    reports = list(reports)
    if not prepared and not any(r.status == "failed" for r in reports):
        return notes
    # The signature's part says whether there is a lexicon without opening it (a second, which
    # a run whose reading came from the cache would spend on this note alone).
    if prepared and lexicon_signature() == "none":
        lexicon, problem = default_lexicon()
        if lexicon is None:
            notes.append(f"No Arabic Hunspell dictionary ({problem}): in {len(prepared)} document(s) "
                         f"{LEXICON_COST}. Install hunspell-ar and libenchant-2-2 (`qantara doctor`).")
    missing = tesseract_problem()
    if missing is not None:
        pages = sum(1 for doc in prepared for issue in doc.issues if issue.code == "page-needs-ocr")
        failed = [r.file for r in reports if r.status == "failed" and r.error and missing in r.error]
        if pages or failed:
            lost = [f"{pages} page(s) needing OCR were left out"] if pages else []
            lost += [f"{len(failed)} document(s) failed ({', '.join(failed)})"] if failed else []
            notes.append(f"No OCR ({missing}): {'; '.join(lost)}.")
    if prepared and not any(p.is_file() for p in ARABIC_FONTS):
        notes.append(f"No Arabic font: {ARABIC_FONT_COST}. Install fonts-hosny-amiri or fonts-noto-core.")
    return notes
