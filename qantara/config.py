"""Settings: one frozen object, loaded from pyproject, then the environment, then overrides.

Later sources win: ``[tool.qantara]`` in pyproject.toml, then ``QANTARA_*`` environment
variables, then explicit overrides (CLI options). Nothing here runs at import time.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from .errors import SettingsError

_DEVICES = ("auto", "cpu", "cuda")
# The settings that bound what one document may cost. The resource ones (time, CPU, memory)
# decide only whether a document finishes, never what it publishes.
RESOURCE_LIMITS = ("time_limit", "cpu_limit", "time_per_page", "time_per_mb", "memory_limit_mb")
_MAY_BE_ZERO = ("inter_threads", "intra_threads", "time_per_page", "time_per_mb")
LIMITS = RESOURCE_LIMITS + ("max_pages", "max_page_pixels", "max_stream_mb", "max_file_chars", "max_line_chars")
_COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int8_float16", "int16",
                  "float16", "bfloat16", "float32")


@dataclass(frozen=True)
class Settings:
    input_dir: Path = Path("inputs")
    output_dir: Path = Path("outputs")
    glossary_dir: Path = Path("glossary")
    # Where argos packages live; None means argostranslate's own default
    # ($ARGOS_PACKAGES_DIR, else ~/.local/share/argos-translate/packages).
    packages_dir: Path | None = None
    from_code: str = "ar"
    to_code: str = "en"
    device: str = "auto"
    compute_type: str = "auto"  # int8 on CPU, float16 on CUDA
    # Batches translated at once, and threads per batch. 0: one batch per core on CPU (one on
    # CUDA), one thread each. With one thread per batch a sentence's float32 translation does
    # not depend on the batch it is in; several threads split matrix products by batch shape.
    inter_threads: int = 0
    intra_threads: int = 0
    beam_size: int = 4
    batch_tokens: int = 2048
    max_sentence_tokens: int = 200
    max_package_bytes: int = 2 << 30  # what a model package may unpack to (argos's are < 0.5 GB)
    ocr: bool = True  # read pages without a usable text layer with Tesseract
    # What one document may cost (README "Limits"). Each document is prepared in a worker
    # process stopped at its wall-clock, CPU or memory limit; the time limits grow with the
    # document: ``time_per_page`` for each PDF page and ``time_per_mb`` for each MiB of file.
    time_limit: int = 300  # seconds of wall clock
    cpu_limit: int = 300  # seconds of processor time of the worker itself
    time_per_page: int = 30
    time_per_mb: int = 10
    memory_limit_mb: int = 1024  # resident memory of the worker and the OCR processes it starts
    # Limits where the cost comes from; a document over one fails with a message naming it.
    max_pages: int = 2000
    max_page_pixels: int = 40_000_000  # a page rendered for OCR is scaled down to fit
    max_stream_mb: int = 128  # bytes a PDF stream may inflate to
    max_file_chars: int = 3_000_000  # characters of a text file
    max_line_chars: int = 5000  # longer lines are cut (at a sentence end where there is one)
    # A symlink in the input folder whose target lies outside it is skipped unless this is set.
    follow_outside_links: bool = False

    def __post_init__(self) -> None:
        if self.device not in _DEVICES:
            raise SettingsError(f"device must be one of {', '.join(_DEVICES)}, not {self.device!r}")
        if self.compute_type not in _COMPUTE_TYPES:
            raise SettingsError(
                f"compute_type must be one of {', '.join(_COMPUTE_TYPES)}, not {self.compute_type!r}"
            )
        at_least_one = ("beam_size", "batch_tokens", "max_sentence_tokens", "max_package_bytes", *LIMITS)
        for name in at_least_one:
            if getattr(self, name) < 1 and name not in _MAY_BE_ZERO:
                raise SettingsError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in _MAY_BE_ZERO:
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must be >= 0, not {getattr(self, name)}")

    def resolved_device(self) -> str:
        if self.device != "auto":
            return self.device
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"

    def resolved_compute_type(self) -> str:
        if self.compute_type != "auto":
            return self.compute_type
        return "float16" if self.resolved_device() == "cuda" else "int8"

    def resolved_threads(self) -> tuple[int, int]:
        """CTranslate2's ``(inter_threads, intra_threads)`` for these settings."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        inter = self.inter_threads or (cores if self.resolved_device() == "cpu" else 1)
        return inter, self.intra_threads or 1

    def resolved_packages_dir(self) -> Path:
        if self.packages_dir is not None:
            return self.packages_dir
        env = os.environ.get("ARGOS_PACKAGES_DIR")
        if env:
            return Path(env)
        data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
        return data_home / "argos-translate" / "packages"


def _coerce(name: str, raw: Any) -> Any:
    field = {f.name: f for f in fields(Settings)}[name]
    kind = str(field.type)
    try:
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            if str(raw).strip().lower() in ("1", "true", "yes", "on"):
                return True
            if str(raw).strip().lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError("expected true or false")
        if "int" in kind:
            return int(raw)
        if "Path" in kind:
            return None if raw in (None, "") else Path(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: cannot use {raw!r} ({exc})") from None


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    pyproject: Path | None = Path("pyproject.toml"),
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build Settings from pyproject, then QANTARA_* variables, then ``overrides``."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    if pyproject is not None and pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("qantara", {})
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{pyproject}: {exc}") from None
        for key, value in table.items():
            name = key.replace("-", "_")
            if name not in known:
                raise SettingsError(f"{pyproject}: unknown setting [tool.qantara] {key}")
            values[name] = _coerce(name, value)
    env = os.environ if environ is None else environ
    for name in known:
        raw = env.get(f"QANTARA_{name.upper()}")
        if raw is not None:
            values[name] = _coerce(name, raw)
    for name, value in (overrides or {}).items():
        if value is None:
            continue
        if name not in known:
            raise SettingsError(f"unknown setting {name}")
        values[name] = _coerce(name, value)
    return Settings(**values)


def resolve(settings: Settings | Mapping[str, Any] | None) -> Settings:
    """Accept None, a mapping of overrides, or Settings (like pdfplumber's TableSettings)."""
    if settings is None:
        return Settings()
    if isinstance(settings, Settings):
        return settings
    return dataclasses.replace(Settings(), **{k: v for k, v in settings.items() if v is not None})
