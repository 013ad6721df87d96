"""The `qantara` command line. Thin: parses options, calls the library, prints results."""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qantara import config
from qantara.errors import OutputNotWritable, QantaraError

app = typer.Typer(help="Qantara: damaged Arabic documents to clean Arabic and aligned English.", no_args_is_help=True)
glossary_app = typer.Typer(help="Find, check and grow the controlled glossary of names.", no_args_is_help=True)
models_app = typer.Typer(help="Install and list Arabic→English argos translation packages.", no_args_is_help=True)
app.add_typer(glossary_app, name="glossary")
app.add_typer(models_app, name="models")
review_app = typer.Typer(help="Take reviewers' corrections (XLIFF, TMX, TSV) back into the memory.", no_args_is_help=True)
app.add_typer(review_app, name="review")

out = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    # One plain line on stderr, never wrapped, so scripts can read it.
    print(f"qantara: {message}", file=sys.stderr)
    return typer.Exit(code)


def _os_error_line(exc: OSError, output: Path | None = None) -> str:
    """One line for a file-system error: a write under ``output`` names the folder it could not
    write; anything else, the file and the system's reason."""
    path = Path(exc.filename) if exc.filename else None
    if output is not None and path is not None and path.absolute().is_relative_to(output.absolute()):
        return str(OutputNotWritable(exc))
    return f"{path}: {(exc.strerror or str(exc)).lower()}" if path is not None else str(exc)


@contextmanager
def _one_line(verbose: bool = False, output: Path | None = None):
    """What goes wrong in the block ends the command with one line on stderr (the traceback
    too with ``-v``): Qantara's own errors, file-system errors (full disk, read-only folder,
    no permission) and the memory's SQLite errors."""
    import sqlite3

    try:
        yield
    except (QantaraError, OSError, sqlite3.Error) as exc:
        if verbose:
            traceback.print_exc()
        if isinstance(exc, OSError):
            raise _fail(_os_error_line(exc, output))
        if isinstance(exc, sqlite3.Error) and output is not None:
            raise _fail(f"{output}: the translation memory cannot be written ({exc})")
        raise _fail(str(exc))


@contextmanager
def _stopped_by_signals():
    """SIGTERM and SIGHUP end the command as Ctrl-C does, by an exception in the main thread,
    so that every ``finally`` runs: the run records that it stopped, and the Prefect server and
    worker processes it started are stopped (the default action would kill this process alone
    and leave them running)."""
    from qantara import bounded

    def interrupt(signum, frame):
        bounded.stop_all()  # else the run would wait for every document under way to be read
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"qantara {version('qantara')}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print Qantara's version and exit.")] = None,
) -> None:
    """Qantara: damaged Arabic documents to clean Arabic and aligned English."""


def _prepare_prefect_environment(verbose: bool) -> None:
    """Defaults for a Prefect that runs offline, unless the user set them."""
    # A first run migrates the temporary server's database, which on a busy two-core machine
    # takes longer than Prefect's 20 s default wait.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # Qantara runs without internet: telemetry would only log failures.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not verbose:
        # Prefect's lines (server start-up, each task's state) stay in the UI, off the terminal.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


@contextmanager
def _progress(quiet: bool):
    """Progress bars on stderr for the block, unless asked not to or stderr is no terminal."""
    from qantara.progress import reporting

    from .progress import RichProgress

    if quiet or not err.is_terminal:
        yield
        return
    with RichProgress(err) as bars, reporting(bars):
        yield


QUIET = typer.Option("--quiet", "-q", help="No progress bars.")
VERBOSE = typer.Option("--verbose", "-v", help="Print the traceback of an error too.")


@app.command()
def run(
    input: Annotated[Path, typer.Option("--input", help="Folder of documents to process.")] = Path("inputs"),
    output: Annotated[Path, typer.Option("--output", help="Folder to publish into.")] = Path("outputs"),
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary folder or CSV.")] = Path("glossary"),
    ocr: Annotated[Optional[bool], typer.Option("--ocr/--no-ocr", help="OCR pages without a usable text layer.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Remake every document, changed or not.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                                                help="Documents prepared at once (default: one per core, at most 4).")] = None,
    quiet: Annotated[bool, QUIET] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's own log lines too.")] = False,
) -> None:
    """Run the Prefect flow over every document in the input folder and publish the results."""
    from qantara.lock import run_lock
    from qantara.run import plan_run
    from qantara.types import Status

    if not input.is_dir():
        raise _fail(f"{input}: input folder not found")
    with _one_line(verbose, output), _stopped_by_signals():
        # Decided before Prefect is even imported: an unchanged rerun costs a second, not a
        # server start-up.
        with run_lock(output):
            plan = plan_run(input, output, glossary, config.load({"ocr": ocr}), force=force)
        if plan.unchanged:
            summary = plan.summary()
        else:
            _prepare_prefect_environment(verbose)
            from flows.run import configured
            from qantara.server import temporary_api

            with temporary_api(), _progress(quiet):
                summary = configured(workers=jobs)(input_dir=str(input), output_dir=str(output),
                                                   glossary_dir=str(glossary), ocr=ocr, force=force)

    # File names, errors and notes are the user's data: printed as they are, never read as markup.
    table = Table(title=f"Qantara run → {escape(str(output))}")
    # Only the document name and the error may wrap: statuses and counts are read at a glance.
    table.add_column("document", overflow="fold", ratio=2)
    table.add_column("status", no_wrap=True, min_width=9)
    for column in ("segments", "MT", "flagged", "names"):
        table.add_column(column, no_wrap=True, justify="right")
    table.add_column("error", overflow="fold", ratio=3)
    styles = {Status.PUBLISHED: "green", Status.SKIPPED: "dim", Status.FAILED: "bold red"}
    for doc in summary.documents:
        table.add_row(
            escape(doc.file), f"[{styles[doc.status]}]{doc.status}[/]", str(doc.segments), str(doc.translated),
            str(doc.flagged), str(doc.glossary_hits), escape(doc.error or ""),
        )
    out.print(table)
    out.print(f"model: {escape(summary.model or 'none')} · model calls: {summary.model_calls}", highlight=False)
    for note in summary.notes:
        out.print(f"[yellow]{escape(note)}[/]", highlight=False)
    if summary.count(Status.FAILED):
        raise typer.Exit(1)


@app.command()
def serve(
    cron: Annotated[str, typer.Option("--cron", help="When to run, as a cron line.")] = "0 * * * *",
    timezone: Annotated[Optional[str], typer.Option("--timezone", help="Time zone of the cron line (IANA name, e.g. Asia/Riyadh; default UTC).")] = None,
    input: Annotated[Path, typer.Option("--input", help="Folder of documents to process.")] = Path("inputs"),
    output: Annotated[Path, typer.Option("--output", help="Folder to publish into.")] = Path("outputs"),
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary folder or CSV.")] = Path("glossary"),
    name: Annotated[str, typer.Option("--name", help="Deployment name shown in the Prefect UI.")] = "qantara-scheduled",
) -> None:
    """Serve the run as a Prefect deployment on a cron schedule, until interrupted (Ctrl-C).

    Uses the Prefect server PREFECT_API_URL names; without one, the server on
    http://127.0.0.1:4200, started for as long as this command runs if none is there."""
    from contextlib import ExitStack

    from qantara import server

    if not input.is_dir():
        raise _fail(f"{input}: input folder not found")
    _prepare_prefect_environment(verbose=True)  # a served run's log lines are its only report
    with _one_line(), _stopped_by_signals():
        schedule = server.cron_schedule(cron, timezone)
        with ExitStack() as stack:
            with err.status(f"Finding the Prefect server (PREFECT_API_URL, else "
                            f"{server.ui_url(server.local_api_url())}) …"):
                api, started = stack.enter_context(server.prefect_api())
            err.print(f"Prefect server and UI: {server.ui_url(api)}"
                      + (" (started here; it stops with this command)" if started else ""))
            from flows.run import qantara_run

            # Absolute paths: the served runs must not depend on the directory a later run starts in.
            parameters = {"input_dir": str(input.resolve()), "output_dir": str(output.resolve()),
                          "glossary_dir": str(glossary.resolve())}
            # limit=1: this process starts one run at a time; the output-folder lock covers the
            # rest (a `qantara run` by hand, or another server on the same folder).
            qantara_run.serve(name=name, schedules=[schedule], parameters=parameters, limit=1)


@app.command()
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per part.")] = False,
) -> None:
    """List the external parts Qantara uses, found or missing, and what each missing one costs.

    Exit status 1 when a part whose absence lowers the output is missing."""
    from dataclasses import asdict

    from rich.markup import escape

    from qantara.doctor import check

    parts = check()
    for part in parts:
        if as_json:
            sys.stdout.write(json.dumps(asdict(part), ensure_ascii=False) + "\n")
            continue
        status = ("[green]found  [/]" if part.found else "[bold red]MISSING[/]" if part.needed else "[yellow]absent [/]")
        out.print(f"{status} [bold]{escape(part.name)}[/]: {escape(part.detail)}", highlight=False)
        if not part.found:
            out.print(f"        without it: {escape(part.without)}", highlight=False)
            out.print(f"        to install: {escape(part.install)}", highlight=False)
    missing = [part.name for part in parts if part.needed and not part.found]
    if missing and not as_json:
        out.print(f"[bold]{len(missing)} missing part(s) lower the output:[/] {escape(', '.join(missing))}", highlight=False)
    if missing:
        raise typer.Exit(1)


@app.command()
def repair(
    file: Annotated[Path, typer.Argument(help="A .pdf or .txt file.")],
    ocr: Annotated[Optional[bool], typer.Option("--ocr/--no-ocr", help="OCR pages without a usable text layer.")] = None,
    quiet: Annotated[bool, QUIET] = False,
    verbose: Annotated[bool, VERBOSE] = False,
) -> None:
    """Print the repaired Arabic text of FILE, paragraphs separated by one blank line."""
    from qantara.pipeline import prepare_bounded, safe_stem

    with _one_line(verbose):
        settings = config.load({"ocr": ocr})
        with _progress(quiet):
            repaired = prepare_bounded(file, safe_stem(file), None, settings)
    sys.stdout.write("\n\n".join(p.text for p in repaired.paragraphs) + "\n")


def _load_names(glossary: Path | None):
    from qantara.glossary import load_glossary

    path = glossary if glossary is not None else Path("glossary")
    if glossary is None and not path.exists():
        return None
    if not path.exists():
        raise QantaraError(f"{path}: glossary not found")
    return load_glossary(path)


@app.command()
def translate(
    file: Annotated[Path, typer.Argument(help="A .pdf or .txt file.")],
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help="Glossary folder or CSV.")] = None,
    device: Annotated[Optional[str], typer.Option(help="cpu, cuda or auto.")] = None,
    compute_type: Annotated[Optional[str], typer.Option(help="CTranslate2 compute type (int8 on CPU by default).")] = None,
    beam_size: Annotated[Optional[int], typer.Option(help="Beam size (4).")] = None,
    batch_tokens: Annotated[Optional[int], typer.Option(help="Tokens per batch (2048).")] = None,
    inter_threads: Annotated[Optional[int], typer.Option(help="Batches translated in parallel (0: one per core).")] = None,
    intra_threads: Annotated[Optional[int], typer.Option(help="Threads per batch (0: one).")] = None,
    ocr: Annotated[Optional[bool], typer.Option("--ocr/--no-ocr", help="OCR pages without a usable text layer.")] = None,
    quiet: Annotated[bool, QUIET] = False,
    verbose: Annotated[bool, VERBOSE] = False,
) -> None:
    """Print the English of FILE, one paragraph for each paragraph of the repaired text."""
    from qantara.models import find_package
    from qantara.pipeline import prepare_bounded, safe_stem, translate_documents
    from qantara.publish.text import english_paragraphs
    from qantara.translate import CTranslate2Translator

    with _one_line(verbose):
        settings = config.load({
            "device": device, "compute_type": compute_type, "beam_size": beam_size, "batch_tokens": batch_tokens,
            "inter_threads": inter_threads, "intra_threads": intra_threads, "ocr": ocr,
        })
        with _progress(quiet):
            prepared = prepare_bounded(file, safe_stem(file), _load_names(glossary), settings)
        translator = CTranslate2Translator.load(find_package(settings, settings.from_code, settings.to_code), settings)
        translated = translate_documents([prepared], translator)[0]
    sys.stdout.write("\n\n".join(english_paragraphs(translated)) + "\n")


@glossary_app.command("match")
def glossary_match(
    file: Annotated[Path, typer.Argument(help="A .txt or .pdf file to search.")],
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help="Glossary CSV or folder.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per match per line.")] = False,
) -> None:
    """Find the glossary's names in FILE (line numbers 1-based, offsets within the line)."""
    from qantara.extraction import extract_document
    from qantara.repair import repair_document

    try:
        names = _load_names(glossary if glossary is not None else Path("glossary"))
        doc = extract_document(file)
        if doc.kind == "pdf":
            lines = [p.text for p in repair_document(doc).paragraphs]
        else:
            lines = [line.text for page in doc.pages for line in page.lines]
    except QantaraError as exc:
        raise _fail(str(exc))
    table = Table("line", "start", "end", "arabic", "english", "type")
    for number, line in enumerate(lines, start=1):
        for hit in names.find(line):
            record = {"line": number, "start": hit.start, "end": hit.end, "arabic": hit.arabic,
                      "english": hit.english, "type": hit.type}
            if as_json:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                table.add_row(*(escape(str(v)) for v in record.values()))
    if not as_json:
        out.print(table)


@glossary_app.command("check")
def glossary_check(
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary CSV or folder.")] = Path("glossary"),
) -> None:
    """Validate the glossary files: errors and warnings with file and row."""
    from qantara.glossary import check_glossary

    paths = sorted(glossary.glob("*.csv")) if glossary.is_dir() else [glossary]
    if not paths or not all(p.exists() for p in paths):
        raise _fail(f"{glossary}: no glossary CSV found")
    problems = check_glossary(paths)
    for problem in problems:
        print(f"{problem.path}:{problem.row}: {problem.severity}: {problem.message}")
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{len(paths)} file(s), {errors} error(s), {len(problems) - errors} warning(s)")
    if errors:
        raise typer.Exit(1)


@glossary_app.command("add")
def glossary_add(
    english: Annotated[str, typer.Option("--english", help="Canonical English form.")],
    arabic: Annotated[str, typer.Option("--arabic", help="Canonical Arabic form.")],
    variants: Annotated[str, typer.Option("--variants", help="Other Arabic spellings, separated by |.")] = "",
    kind: Annotated[str, typer.Option("--type", help="person, place, organization or other.")] = "other",
    note: Annotated[str, typer.Option("--note", help="Free text for editors.")] = "",
    context: Annotated[str, typer.Option("--context", help="Arabic context words, separated by |.")] = "",
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary folder (adds to its names.csv) or CSV.")] = Path("glossary"),
) -> None:
    """Append one entry to the glossary, only if the glossary still checks clean with it."""
    from qantara.glossary.suggest import append_entry

    if not glossary.exists() and glossary.suffix.lower() != ".csv":
        raise _fail(f"{glossary}: glossary folder not found")
    values = {"english": english.strip(), "arabic": arabic.strip(), "variants": variants.strip(),
              "type": kind.strip().lower(), "note": note.strip(), "context": context.strip()}
    target, problems = append_entry(glossary, values)
    for problem in problems:
        print(f"{problem.path}:{problem.row}: {problem.severity}: {problem.message}",
              file=sys.stderr if problem.severity == "error" else sys.stdout)
    if any(p.severity == "error" for p in problems):
        raise _fail(f"{target}: entry not added (the file is unchanged)")
    print(f"added {values['english']} = {values['arabic']} to {target}")


@glossary_app.command("suggest")
def glossary_suggest(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Arabic text files to read as well.")] = None,
    output: Annotated[Path, typer.Option("--output", help="Output folder whose segments.jsonl files are read.")] = Path("outputs"),
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary folder or CSV.")] = Path("glossary"),
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many suggestions.")] = 50,
) -> None:
    """Print names the corpus uses but the glossary lacks, as CSV rows to complete and append."""
    from qantara.glossary.suggest import arabic_lexicon, read_segments, read_text_files, render_suggestions, suggest_names

    missing = [f for f in files or () if not f.is_file()]
    if missing:
        raise _fail(f"{missing[0]}: file not found")
    try:
        names = _load_names(glossary) if glossary.exists() else None
        sentences = (read_segments(output) if output.is_dir() else []) + read_text_files(files or ())
    except (QantaraError, OSError, ValueError) as exc:
        raise _fail(str(exc))
    if not sentences:
        raise _fail(f"nothing to read: no segments.jsonl under {output} and no FILES given")
    lexicon = arabic_lexicon()
    if lexicon is None:
        print("qantara: no Arabic lexicon (pyenchant + hunspell-ar); unknown-word suggestions skipped",
              file=sys.stderr)
    sys.stdout.write(render_suggestions(suggest_names(sentences, names, lexicon, limit)))


@glossary_app.command("export")
def glossary_export(
    glossary: Annotated[Path, typer.Option("--glossary", help="Glossary folder or CSV.")] = Path("glossary"),
    output: Annotated[Path, typer.Option("--output", help="TBX file to write.")] = Path("outputs/glossary.tbx"),
) -> None:
    """Write the glossary as TBX (Arabic terms with their variants, English targets)."""
    from qantara.fs import write_bytes_atomic
    from qantara.glossary.tbx import render_tbx

    try:
        names = _load_names(glossary)
    except QantaraError as exc:
        raise _fail(str(exc))
    write_bytes_atomic(output, render_tbx(names.entries))
    print(f"wrote {len(names.entries)} entries to {output}")


@models_app.command("install")
def models_install(
    path: Annotated[Optional[Path], typer.Argument(help="A local .argosmodel file; omit to use the argos index.")] = None,
) -> None:
    """Install an Arabic→English argos package from a file, or from the argos package index."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from qantara.models import install_from_index, install_package_file

    settings = config.load()
    try:
        if path is not None:
            with err.status(f"Installing {path} …"):
                package = install_package_file(path, settings)
        else:
            with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), console=err) as bar:
                task_id = bar.add_task("Downloading from the argos index", total=None)

                def progress(done: int, total: int | None) -> None:
                    bar.update(task_id, completed=done, total=total)

                package = install_from_index(settings, progress=progress)
    except QantaraError as exc:
        raise _fail(str(exc))
    out.print(escape(f"installed {package.name} {package.version} ({package.from_code}→{package.to_code}) in {package.path}"),
              highlight=False)


@models_app.command("list")
def models_list() -> None:
    """List installed argos packages with version and size."""
    from qantara.models import list_packages

    settings = config.load()
    packages = list_packages(settings)
    table = Table("name", "from", "to", "version", "size", "path", title=escape(str(settings.resolved_packages_dir())))
    for pkg in packages:
        table.add_row(*(escape(str(v)) for v in (pkg.name, pkg.from_code, pkg.to_code, pkg.version)),
                      f"{pkg.size_bytes / 1e6:.1f} MB", escape(str(pkg.path)))
    out.print(table)
    if not packages:
        out.print("no packages installed; `qantara models install [FILE.argosmodel]` installs one")


@review_app.command("import")
def review_import(
    file: Annotated[Path, typer.Argument(help="An edited .xlf/.xliff, .tmx or .tsv file.")],
    output: Annotated[Path, typer.Option("--output", help="The output folder the file was published in.")] = Path("outputs"),
    force: Annotated[bool, typer.Option("--force", help="Apply translations made from an older version over newer "
                                        "reviewed ones (refused as conflicts without it).")] = False,
    reviewer: Annotated[Optional[str], typer.Option("--reviewer", help="Who made the file's translations, for the "
                                                    "history, where the file does not say (default: $USER).")] = None,
) -> None:
    """Store the reviewed translations of FILE in the memory and re-publish the documents they touch."""
    from qantara.review import import_review

    if not file.is_file():
        raise _fail(f"{file}: file not found")
    if not output.is_dir():
        raise _fail(f"{output}: output folder not found")
    with _one_line(output=output):
        report = import_review(file, output, force=force, reviewer=reviewer)
    print(f"{report.file}: {report.units} units, {len(report.applied)} applied, {report.unchanged} unchanged, "
          f"{len(report.unmatched)} unmatched, {len(report.conflicts)} conflicts")
    for item in report.applied:
        print(f"applied\t{item.document}#{item.segment_id}\t{item.english}")
    for problem in report.unmatched:
        print(f"unmatched\t{problem.document or ''}#{problem.segment_id or ''}\t{problem.reason}")
    for problem in report.conflicts:
        print(f"conflict\t{problem.document or ''}#{problem.segment_id or ''}\t{problem.reason}")
    if report.updated_documents:
        print(f"re-published {', '.join(report.updated_documents)} ({report.filled} segments now reviewed)")
    if report.conflicts:
        raise typer.Exit(1)


@review_app.command("history")
def review_history(
    output: Annotated[Path, typer.Option("--output", help="The output folder whose memory holds the history.")] = Path("outputs"),
    document: Annotated[Optional[str], typer.Option("--document", help="Only this document (stem).")] = None,
    segment: Annotated[Optional[str], typer.Option("--segment", help="Only this segment id (with --document).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list on stdout.")] = False,
) -> None:
    """Every reviewer's translation imports met: who, when, from which file, old → new, and what became of it."""
    from qantara.review import review_history as history

    if segment is not None and document is None:
        raise _fail("--segment needs --document")
    if not output.is_dir():
        raise _fail(f"{output}: output folder not found")
    try:
        entries = history(output, document, segment)
    except QantaraError as exc:
        raise _fail(str(exc))
    if as_json:
        print(json.dumps([entry._asdict() for entry in entries], ensure_ascii=False, indent=2))
        return
    for e in entries:
        print(f"{e.at}\t{e.outcome}\t{e.document or ''}#{e.segment_id or ''}\t{e.reviewer or '?'}\t"
              f"{e.review_file or ''}\t{e.old_english if e.old_english is not None else '?'} → {e.new_english}"
              + (f"\t{e.reason}" if e.reason else ""))
    if not entries:
        print("no review history" + (f" for {document}" + (f"#{segment}" if segment else "") if document else ""))


def main() -> None:  # pragma: no cover - console entry point
    app()
