"""Argos translation packages: validate, install, list and choose them.

An argos package (``.argosmodel``) is a zip of one folder holding ``metadata.json``,
``sentencepiece.model`` and ``model/`` (a CTranslate2 model). argostranslate's own
``install_from_path`` checks only that the file is a zip: it extracts archives without
``metadata.json`` (after which argos cannot list any package), packages for the wrong
direction and entries that escape the packages folder, and its error never names the file.
So every archive is validated here first, and only then handed to argostranslate.

argostranslate reads its settings and creates directories when imported, and its install
imports stanza and torch (seconds), so it is imported lazily by the install functions only.
Listing and choosing packages read ``metadata.json`` directly and never import it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import threading
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from .config import Settings
from .errors import InvalidPackage, ModelNotInstalled, PackageIndexError, QantaraError
from .types import Issue, SourceRef

# Called with (bytes downloaded so far, total bytes or None when the server does not say).
Progress = Callable[[int, int | None], None]

_INDEX_FILE = "index.json"
_DOWNLOAD_CHUNK = 1 << 16
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_argos_lock = threading.Lock()
# What argostranslate declares only for its own translate() (see scripts/deps.py).
_ARGOS_TRANSLATE_ONLY = frozenset({"stanza", "torch", "minisbd", "spacy", "sacremoses"})


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


def validate_package_file(
    path: Path, *, from_code: str = "ar", to_code: str = "en"
) -> PackageMetadata:
    """Check an ``.argosmodel`` archive completely; raise InvalidPackage naming it if unfit."""
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


def verify_package(package: InstalledPackage) -> None:
    """Load the package's tokenizer and model once; raise InvalidPackage if either fails."""
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
    except (OSError, RuntimeError) as exc:
        raise InvalidPackage(package.path, f"sentencepiece.model does not load ({exc})") from None
    try:
        ctranslate2.Translator(str(package.path / "model"), device="cpu", compute_type="auto")
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidPackage(package.path, f"model/ does not load in CTranslate2 ({exc})") from None


# --- installing ---------------------------------------------------------------------------


def _argos_package_module(packages_dir: Path):
    """argostranslate.package, with its settings pointed at ``packages_dir``."""
    previous = os.environ.get("ARGOS_PACKAGES_DIR")
    # argostranslate.settings reads ARGOS_PACKAGES_DIR (and creates the folder) at import,
    # so set it for the first import, then restore the caller's environment.
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir)
    try:
        import argostranslate.package as argos_package
        import argostranslate.settings as argos_settings
    except ImportError as exc:
        raise QantaraError(f"argostranslate is not installed ({exc}); `bash scripts/setup.sh` installs it") from None
    finally:
        if previous is None:
            del os.environ["ARGOS_PACKAGES_DIR"]
        else:
            os.environ["ARGOS_PACKAGES_DIR"] = previous
    # Later calls may name another folder: argos keeps the values read at import.
    argos_settings.package_data_dir = packages_dir
    argos_settings.package_dirs = [packages_dir]
    return argos_package


def install_package_file(path: Path, settings: Settings) -> InstalledPackage:
    """Validate ``path`` and install it with argostranslate into the settings' folder."""
    path = Path(path)
    metadata = validate_package_file(path, from_code=settings.from_code, to_code=settings.to_code)
    packages_dir = settings.resolved_packages_dir()
    packages_dir.mkdir(parents=True, exist_ok=True)
    target = packages_dir / metadata.folder
    # Extracting over an installed version would leave its stale files behind, so it is
    # moved aside (hidden from listing) and put back if the new one fails.
    previous = packages_dir / f".{metadata.folder}.previous"
    with _argos_lock:
        argos_package = _argos_package_module(packages_dir)
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():
            target.rename(previous)
        try:
            try:
                argos_package.install_from_path(path)
            except ModuleNotFoundError as exc:
                # install_from_path extracts the archive, then imports argostranslate.translate
                # only to clear that module's language cache; it needs what argos translates
                # with (stanza and torch, minisbd), which Qantara does not install. Unimportable,
                # it holds no cache; the checks below prove the extraction complete.
                if exc.name not in _ARGOS_TRANSLATE_ONLY:
                    raise InvalidPackage(path, f"argostranslate could not install it ({exc})") from None
            except Exception as exc:  # argos raises bare Exception; keep its message
                raise InvalidPackage(path, f"argostranslate could not install it ({exc})") from None
            try:
                argos_package.Package(target)  # argos itself must be able to read it
                installed = read_installed_package(target)
                verify_package(installed)
            except (InvalidPackage, OSError, ValueError) as exc:
                raise InvalidPackage(path, f"installed but unusable, removed again ({exc})") from None
        except InvalidPackage:
            shutil.rmtree(target, ignore_errors=True)
            if previous.exists():
                previous.rename(target)
            raise
        shutil.rmtree(previous, ignore_errors=True)
    return installed


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
