"""Argos translation packages: validate, install, list and choose them.

An argos package (``.argosmodel``) is a zip of one folder holding ``metadata.json``,
``sentencepiece.model`` and ``model/`` (a CTranslate2 model). argostranslate's own
``install_from_path`` checks only that the file is a zip and extracts it straight into the
packages folder: it takes archives without ``metadata.json`` (after which argos cannot list
any package), packages for the wrong direction, entries that escape the packages folder and
zip bombs, and a model that crashes CTranslate2 is found only by the next run.

So a package is installed here the way argos lays it out (one folder per package in its
packages folder), in stages: the archive is validated, its declared sizes checked against a
limit; it is extracted into a hidden staging folder beside the packages, counting the bytes
written; the staged model must load and translate a sentence in a child process (a corrupt
``model.bin`` can crash CTranslate2 outright); only then does it replace the installed folder.
On any failure the installed package is left as it was.

argostranslate reads its settings and creates directories when imported, and imports stanza
and torch (seconds), so only the index download imports it, lazily. Listing and choosing
packages read ``metadata.json`` directly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from .config import Settings
from .errors import InvalidPackage, ModelNotInstalled, PackageIndexError
from .types import Issue, SourceRef

# Called with (bytes downloaded so far, total bytes or None when the server does not say).
Progress = Callable[[int, int | None], None]

_INDEX_FILE = "index.json"
_DOWNLOAD_CHUNK = 1 << 16
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_STAGING_PREFIX = ".qantara-staging-"
# The load test: a real model loads and translates one sentence in seconds; CTranslate2 maps
# the model and reserves per-thread buffers, about 1.2 GB of address space for a 200 MB model
# (the child may have 4 GiB plus twice the package).
_LOAD_TEST_SECONDS = 300
_LOAD_TEST_ADDRESS_SPACE = 4 << 30
_LOAD_TEST_SENTENCE = {"ar": "زار الوزير الكويت أمس."}
_install_lock = threading.Lock()


@dataclass(frozen=True)
class PackageMetadata:
    """What a package archive declares, read from its ``metadata.json``."""

    folder: str  # the archive's single top-level folder, its name once installed
    from_code: str
    to_code: str
    version: str
    target_prefix: str = ""


@dataclass(frozen=True)
class InstalledPackage:
    path: Path
    name: str
    from_code: str
    to_code: str
    version: str
    size_bytes: int
    target_prefix: str = ""  # argos's metadata field: a token forced at the start of output

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"


# --- validation -------------------------------------------------------------------------


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(name):
        return f"entry {name!r} has an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return f"entry {name!r} escapes the package folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"entry {name!r} is a symbolic link"
    return None


def _parse_metadata(raw: bytes, where: Path, folder: str) -> PackageMetadata:
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidPackage(where, f"metadata.json is not valid JSON ({exc})") from None
    if not isinstance(metadata, dict):
        raise InvalidPackage(where, "metadata.json does not hold a JSON object")
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        raise InvalidPackage(where, "metadata.json has no from_code/to_code")
    if metadata.get("type", "translate") != "translate":
        raise InvalidPackage(where, f"package type is {metadata.get('type')!r}, not 'translate'")
    return PackageMetadata(
        folder=folder,
        from_code=from_code,
        to_code=to_code,
        version=str(metadata.get("package_version", "")),
        target_prefix=str(metadata.get("target_prefix", "")),
    )


def _declared_size_problem(infos: list[zipfile.ZipInfo], max_bytes: int) -> str | None:
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        return (f"unpacks to {total:,} bytes, more than the {max_bytes:,} allowed "
                "(max_package_bytes); refused before extracting")
    return None


def validate_package_file(
    path: Path, *, from_code: str = "ar", to_code: str = "en", max_bytes: int | None = None
) -> PackageMetadata:
    """Check an ``.argosmodel`` archive completely; raise InvalidPackage naming it if unfit.

    With ``max_bytes``, the sizes the archive declares must add up to no more than that,
    checked before anything is decompressed.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidPackage(path, "no such file")
    if not zipfile.is_zipfile(path):
        raise InvalidPackage(path, "not a zip archive (an .argosmodel file is a zip)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            for info in infos:
                problem = _entry_problem(info)
                if problem:
                    raise InvalidPackage(path, f"unsafe archive: {problem}")
            tops = {PurePosixPath(info.filename).parts[0] for info in infos if info.filename}
            if len(tops) != 1 or not any(info.is_dir() or "/" in info.filename for info in infos):
                raise InvalidPackage(
                    path, f"must hold exactly one top-level folder, found {sorted(tops) or 'none'}"
                )
            folder = tops.pop()
            names = {info.filename for info in infos}
            if f"{folder}/metadata.json" not in names:
                raise InvalidPackage(path, f"no metadata.json in {folder}/")
            metadata = _parse_metadata(archive.read(f"{folder}/metadata.json"), path, folder)
            for required in ("model/model.bin", "sentencepiece.model"):
                if f"{folder}/{required}" not in names:
                    raise InvalidPackage(path, f"no {required} in {folder}/")
            too_big = _declared_size_problem(infos, max_bytes) if max_bytes is not None else None
            if too_big:
                raise InvalidPackage(path, too_big)
            broken = archive.testzip()
            if broken is not None:
                raise InvalidPackage(path, f"corrupt archive: bad CRC for {broken}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise InvalidPackage(path, f"corrupt archive ({exc})") from None
    if (metadata.from_code, metadata.to_code) != (from_code, to_code):
        raise InvalidPackage(
            path,
            f"package translates {metadata.from_code}→{metadata.to_code}, "
            f"expected {from_code}→{to_code}",
        )
    return metadata


# --- listing ------------------------------------------------------------------------------


def _folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def read_installed_package(folder: Path) -> InstalledPackage:
    """Read one installed package folder; raise InvalidPackage naming it if broken."""
    metadata_path = folder / "metadata.json"
    try:
        raw = metadata_path.read_bytes()
    except OSError:
        raise InvalidPackage(folder, "no readable metadata.json") from None
    metadata = _parse_metadata(raw, metadata_path, folder.name)
    return InstalledPackage(
        path=folder,
        name=folder.name,
        from_code=metadata.from_code,
        to_code=metadata.to_code,
        version=metadata.version,
        size_bytes=_folder_size(folder),
        target_prefix=metadata.target_prefix,
    )


def scan_packages(settings: Settings) -> tuple[list[InstalledPackage], list[Issue]]:
    """Installed packages, plus one Issue for each folder that is not a usable package."""
    packages_dir = settings.resolved_packages_dir()
    packages: list[InstalledPackage] = []
    issues: list[Issue] = []
    if not packages_dir.is_dir():
        return packages, issues
    for folder in sorted(packages_dir.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        try:
            packages.append(read_installed_package(folder))
        except InvalidPackage as exc:
            issues.append(Issue(SourceRef(folder), "broken-package", exc.problem))
    return packages, issues


def list_packages(settings: Settings) -> list[InstalledPackage]:
    return scan_packages(settings)[0]


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))


def find_package(
    settings: Settings, from_code: str = "ar", to_code: str = "en"
) -> InstalledPackage:
    """The newest installed package for the pair that has a model and tokenizer."""
    candidates = [
        package
        for package in list_packages(settings)
        if (package.from_code, package.to_code) == (from_code, to_code)
        and (package.path / "model" / "model.bin").is_file()
        and (package.path / "sentencepiece.model").is_file()
    ]
    if not candidates:
        raise ModelNotInstalled(f"{from_code}-{to_code}", [settings.resolved_packages_dir()])
    return max(candidates, key=lambda package: _version_key(package.version))


# --- installing ---------------------------------------------------------------------------

# Run in a child process by `verify_package` with the package folder and a sentence; prints
# one JSON line. Nothing of Qantara is imported, so a package is tested by the libraries alone.
_LOAD_TEST = r"""
import json, math, sys
folder, sentence = sys.argv[1], sys.argv[2]
where = "model/"
try:
    import ctranslate2, sentencepiece
    where = "sentencepiece.model"
    processor = sentencepiece.SentencePieceProcessor(model_file=folder + "/sentencepiece.model")
    tokens = processor.encode(sentence, out_type=str)
    where = "model/"
    translator = ctranslate2.Translator(folder + "/model", device="cpu", compute_type="auto")
    result = translator.translate_batch([tokens], beam_size=1, max_decoding_length=64,
                                        return_scores=True)[0]
    if not result.hypotheses or not result.hypotheses[0]:
        raise ValueError("the model produced no translation")
    if not all(math.isfinite(score) for score in result.scores):
        raise ValueError(f"the model's scores are not finite ({result.scores}): corrupt weights")
    processor.decode_pieces(result.hypotheses[0])
    print(json.dumps({"ok": True}))
except Exception as exc:
    print(json.dumps({"ok": False, "where": where, "error": f"{type(exc).__name__}: {exc}"}))
"""


def _limited(address_space: int) -> Callable[[], None]:
    def limit() -> None:  # runs in the child, before it starts Python
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return limit


def verify_package(package: InstalledPackage, *, timeout: float = _LOAD_TEST_SECONDS) -> None:
    """Load the package's tokenizer and model and translate one sentence, in a child process.

    A corrupt ``model.bin`` can make CTranslate2 raise anything or crash the process (a wrong
    layer index segfaults it), so the test runs apart, with its memory and time bounded.
    Raises InvalidPackage naming the folder and what failed.
    """
    sentence = _LOAD_TEST_SENTENCE.get(package.from_code, "Hello.")
    try:
        child = subprocess.run(
            [sys.executable, "-c", _LOAD_TEST, str(package.path), sentence],
            capture_output=True, text=True, timeout=timeout,
            preexec_fn=_limited(_LOAD_TEST_ADDRESS_SPACE + 2 * package.size_bytes),
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
    except subprocess.TimeoutExpired:
        raise InvalidPackage(package.path, f"model/ did not load and translate a sentence within {timeout:.0f} s") from None
    lines = child.stdout.strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        report = None
    if child.returncode < 0:
        raise InvalidPackage(package.path, f"model/ crashed CTranslate2 while loading or translating (signal {-child.returncode})")
    if not isinstance(report, dict):
        tail = (child.stderr.strip().splitlines() or ["no output"])[-1]
        raise InvalidPackage(package.path, f"model/ load test failed (exit {child.returncode}: {tail})")
    if not report.get("ok"):
        where = report.get("where") or "model/"
        raise InvalidPackage(package.path, f"{where} fails its load test ({report.get('error')})")


def _extract(path: Path, archive: zipfile.ZipFile, into: Path, max_bytes: int) -> None:
    """Extract every entry below ``into``, stopping as soon as more than ``max_bytes`` come out.

    Entry names were validated (no absolute paths, no ``..``, no links); each is written by
    this function, never by ZipFile.extractall, so the byte count covers everything written.
    """
    written = 0
    for info in archive.infolist():
        target = into.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(_DOWNLOAD_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise InvalidPackage(path, f"unpacks to more than the {max_bytes:,} bytes allowed "
                                               f"(max_package_bytes; stopped at {info.filename})")
                out.write(chunk)


def _restore_interrupted(packages_dir: Path) -> None:
    """Put back an installed package that an install killed between its two renames hid."""
    for previous in packages_dir.glob(".*.previous"):
        current = packages_dir / previous.name[1 : -len(".previous")]
        if not current.exists():
            previous.rename(current)
        else:
            shutil.rmtree(previous, ignore_errors=True)


def install_package_file(path: Path, settings: Settings) -> InstalledPackage:
    """Validate ``path``, stage it, load-test it, then make it the installed package.

    Raises InvalidPackage (naming ``path``) when anything fails; the package installed
    before, if any, is then untouched.
    """
    path = Path(path)
    limit = settings.max_package_bytes
    metadata = validate_package_file(
        path, from_code=settings.from_code, to_code=settings.to_code, max_bytes=limit
    )
    packages_dir = settings.resolved_packages_dir()
    try:
        packages_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(packages_dir).free
    except OSError as exc:
        raise InvalidPackage(path, f"cannot install into {packages_dir} ({exc.strerror or exc})") from None
    with zipfile.ZipFile(path) as archive:
        needed = sum(info.file_size for info in archive.infolist())
    if needed > free:
        raise InvalidPackage(path, f"unpacks to {needed:,} bytes but {packages_dir} has {free:,} free")
    target = packages_dir / metadata.folder
    previous = packages_dir / f".{metadata.folder}.previous"
    with _install_lock:
        _restore_interrupted(packages_dir)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=packages_dir))
        try:
            try:
                with zipfile.ZipFile(path) as archive:
                    _extract(path, archive, staging, limit)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise InvalidPackage(path, f"cannot be extracted ({exc})") from None
            try:
                verify_package(read_installed_package(staging / metadata.folder))
            except InvalidPackage as exc:
                raise InvalidPackage(path, f"not installed: {exc.problem}") from None
            # Two renames; an install killed between them is undone by _restore_interrupted.
            if target.exists():
                target.rename(previous)
            (staging / metadata.folder).rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(previous, ignore_errors=True)
    return read_installed_package(target)


def _index_url(index_url: str | None) -> str:
    url = index_url or os.environ.get("ARGOS_PACKAGE_INDEX") or (
        "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
    )
    if "://" not in url:
        url = Path(url).resolve().as_uri()
    # Like argos, a URL not naming a .json file is the folder that holds index.json.
    if not url.endswith(".json"):
        url = url.rstrip("/") + "/" + _INDEX_FILE
    return url


def _download(url: str, target: Path, progress: Progress | None) -> None:
    with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
        length = response.headers.get("Content-Length") if response.headers else None
        total = int(length) if length and length.isdigit() else None
        done = 0
        while chunk := response.read(_DOWNLOAD_CHUNK):
            out.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def install_from_index(
    settings: Settings, *, index_url: str | None = None, progress: Progress | None = None
) -> InstalledPackage:
    """Download the newest package for the settings' pair from an argos index, install it.

    ``index_url`` (else ``$ARGOS_PACKAGE_INDEX``, else argos's public index) may be an
    http(s) or file:// URL or a local path, naming index.json or the folder holding it.
    """
    url = _index_url(index_url)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            entries = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError) as exc:
        raise PackageIndexError(url, f"cannot be read ({exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageIndexError(url, f"is not valid JSON ({exc})") from None
    if not isinstance(entries, list):
        raise PackageIndexError(url, "is not a JSON list of packages")

    from argostranslate.package import AvailablePackage, argospm_package_name

    available = [AvailablePackage(entry) for entry in entries if isinstance(entry, dict)]
    matching = [
        package
        for package in available
        if (package.from_code, package.to_code) == (settings.from_code, settings.to_code)
        and package.type == "translate"
        and package.links
    ]
    if not matching:
        raise PackageIndexError(url, f"lists no {settings.from_code}→{settings.to_code} package")
    chosen = max(matching, key=lambda package: _version_key(package.package_version))

    problems = []
    with tempfile.TemporaryDirectory(prefix="qantara-download-") as tmp:
        target = Path(tmp) / f"{argospm_package_name(chosen)}.argosmodel"
        for link in chosen.links:
            try:
                _download(link, target, progress)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                problems.append(f"{link}: {exc}")
                continue
            return install_package_file(target, settings)
    raise PackageIndexError(url, "every download link failed: " + "; ".join(problems))
