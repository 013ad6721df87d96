"""When things go wrong around the documents rather than in them: a full disk, a read-only
output folder, a malformed PDF whose error text looks like Rich markup, a run killed while it
works. Each ends in one line naming the folder or file (tracebacks only with -v), a run
summary that never passes the last run off as this one, and no process left behind.

Full and read-only file systems are real ones: a small tmpfs, and a read-only bind mount
(as root, chmod stops nothing). Mounting needs root with CAP_SYS_ADMIN; where that is
missing those tests skip with the reason, and the errno is injected instead (ENOSPC
while publishing) so the run's handling is still checked everywhere.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from qantara.config import Settings
from qantara.errors import OutputNotWritable
from qantara.publish import SUMMARY_FILE
from qantara_cli import app
from support import runs
from support.runs import run_inline

TEXT = "زار وزير الخارجية الكويتي كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة.\n"
QANTARA = [sys.executable, "-m", "qantara"]


def _folders(root: Path) -> tuple[Path, Path, Path]:
    inputs, outputs, glossary = root / "inputs", root / "outputs", root / "glossary"
    inputs.mkdir(parents=True)
    glossary.mkdir()
    shutil.copy(REPO / "glossary" / "names.csv", glossary / "names.csv")
    (inputs / "a.txt").write_text(TEXT, encoding="utf-8")
    return inputs, outputs, glossary


def _settings(tmp_path: Path) -> Settings:
    return Settings(packages_dir=tmp_path / "no-packages")


def _summary(outputs: Path) -> dict:
    return json.loads((outputs / SUMMARY_FILE).read_text("utf-8"))


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or done.returncode}): needs root with CAP_SYS_ADMIN")


@pytest.fixture
def mounts():
    """Mount points made by the test, unmounted at its end."""
    made: list[Path] = []

    def mount(*args: str) -> None:
        _mount(*args)
        made.append(Path(args[-1]))

    yield mount
    for point in reversed(made):
        subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` to ``leave`` bytes of free space."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        filler.truncate(max(0, os.fstat(filler.fileno()).st_size - leave))


# --- a full disk ---------------------------------------------------------------------------

def test_a_disk_filling_during_a_run_stops_it_with_one_line_and_a_failed_summary(tmp_path, mounts):
    inputs, _, glossary = _folders(tmp_path)
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    mounts("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(outputs))
    first = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert first.outcome == "finished"
    before = {p: p.read_bytes() for p in (outputs / "a").iterdir()}
    (inputs / "b.txt").write_text(TEXT + "وقالت الحكومة إن التعاون مستمر.\n", encoding="utf-8")
    _fill(outputs, 80 << 10)  # room for the memory's SQLite index and the summary, not for a PDF
    time.sleep(1.1)  # run times are to the second
    with pytest.raises(OutputNotWritable) as raised:
        run_inline(inputs, outputs, glossary, _settings(tmp_path))
    line = str(raised.value)
    assert "\n" not in line and "no space left on device" in line and str(outputs) in line
    summary = _summary(outputs)
    assert summary["started"] != first.started  # this run's, never the last one's
    assert summary["outcome"] in ("running", "failed")
    # What was published before is all there, unchanged.
    assert {p: p.read_bytes() for p in (outputs / "a").iterdir()} == before
    (outputs / "filler").unlink()
    again = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert again.outcome == "finished" and [d.status for d in again.documents] == ["skipped", "published"]


def test_enospc_while_publishing_is_recorded_as_the_run_failing(tmp_path, monkeypatch):
    """The same without a mount: the error injected where the bytes are written."""
    inputs, outputs, glossary = _folders(tmp_path)
    first = run_inline(inputs, outputs, glossary, _settings(tmp_path))
    (inputs / "b.txt").write_text(TEXT + "وقالت الحكومة إن التعاون مستمر.\n", encoding="utf-8")
    time.sleep(1.1)  # run times are to the second

    def full(document, output_dir):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(output_dir / document.stem / ".b.ar.txt.0.tmp"))

    monkeypatch.setattr(runs, "publish_document", full)
    with pytest.raises(OutputNotWritable) as raised:
        run_inline(inputs, outputs, glossary, _settings(tmp_path))
    assert str(raised.value) == f"{outputs / 'b'}: cannot write (no space left on device)"
    summary = _summary(outputs)
    assert summary["outcome"] == "failed" and summary["started"] != first.started
    assert summary["error"] == str(raised.value)
    assert {d["file"]: d["status"] for d in summary["documents"]} == {"a.txt": "skipped", "b.txt": "failed"}
    assert "This run stopped before its end" in (outputs / "index.html").read_text("utf-8")


# --- a read-only output folder -------------------------------------------------------------

@pytest.fixture
def read_only_outputs(tmp_path, mounts):
    """A published output folder, then mounted read-only over itself."""
    inputs, outputs, glossary = _folders(tmp_path)
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    mounts("--bind", str(outputs), str(outputs))
    mounts("-o", "remount,ro,bind", str(outputs))
    return inputs, outputs, glossary


def test_a_run_into_a_read_only_folder_is_one_line(read_only_outputs):
    inputs, outputs, glossary = read_only_outputs
    before = (outputs / SUMMARY_FILE).read_bytes()
    for extra in ([], ["-v"]):
        done = subprocess.run([*QANTARA, "run", "--input", str(inputs), "--output", str(outputs), "--glossary",
                               str(glossary), "--force", "-q", *extra], capture_output=True, text=True, timeout=300)
        assert done.returncode == 1
        assert done.stderr.strip().splitlines()[-1] == f"qantara: {outputs}: cannot write (read-only file system)"
        assert ("Traceback" in done.stderr) == bool(extra)  # the traceback with -v only
    assert (outputs / SUMMARY_FILE).read_bytes() == before  # nothing was made: the last run's stands


def test_review_import_into_a_read_only_folder_is_one_line(read_only_outputs, tmp_path):
    _, outputs, _ = read_only_outputs
    edited = tmp_path / "a.tsv"
    rows = (outputs / "a" / "a.tsv").read_text("utf-8").splitlines()
    header, first = rows[0].split("\t"), rows[1].split("\t")
    first[header.index("english")] = "The Kuwaiti foreign minister visited Kazakhstan in May 2025."
    edited.write_text("\r\n".join(["\t".join(header), "\t".join(first)]) + "\r\n", encoding="utf-8")
    done = subprocess.run([*QANTARA, "review", "import", str(edited), "--output", str(outputs)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"qantara: {outputs}: cannot write (read-only file system)"]


# --- error text that looks like markup -----------------------------------------------------

def _malformed_pdf() -> bytes:
    """One page whose font dictionary has a key and no value (pdfminer: "Invalid dictionary
    construct: [/'F1']", which Rich would read as a closing tag)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 >> >> /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello) Tj ET\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_repair_of_a_malformed_pdf_is_one_line(tmp_path):
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(_malformed_pdf())
    done = subprocess.run([*QANTARA, "repair", "-q", "--no-ocr", str(pdf)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"qantara: {pdf}: ") and "Traceback" not in done.stderr


def test_names_and_errors_are_printed_as_they_are_never_as_markup(tmp_path):
    # A folder "[" holding a folder "]": every path under it reads "[/]", Rich's closing tag.
    root = tmp_path / "[" / "]"
    inputs, outputs, glossary = _folders(root)
    (inputs / "[red]notes[bold].xyz").write_text("x", encoding="utf-8")
    run_inline(inputs, outputs, glossary, _settings(tmp_path))
    result = CliRunner().invoke(app, ["run", "--input", str(inputs), "--output", str(outputs),
                                      "--glossary", str(glossary), "-q"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "[red]notes[bold].xyz" in result.output
    assert f"{inputs}/[red]notes[bold].xyz: unsupported file type" in result.output


@pytest.mark.slow
def test_a_run_prints_a_malformed_pdfs_error_as_it_is(tmp_path):
    inputs, outputs, glossary = _folders(tmp_path)
    (inputs / "broken.pdf").write_bytes(_malformed_pdf())
    done = subprocess.run([*QANTARA, "run", "--input", str(inputs), "--output", str(outputs), "--glossary",
                           str(glossary), "-q", "--no-ocr"], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "400"})
    assert done.returncode == 1, done.stderr  # one document failed, the other published
    assert "Traceback" not in done.stderr and "MarkupError" not in done.stderr
    assert "[/'F1']" in done.stdout
    assert {d["file"]: d["status"] for d in _summary(outputs)["documents"]} == {"a.txt": "published",
                                                                                "broken.pdf": "failed"}


# --- a run killed while it works -----------------------------------------------------------

def _descendants(pid: int) -> list:
    """The processes under ``pid`` with their command lines, read now (one may end any time)."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            found.append((child, " ".join(child.cmdline())))
        except psutil.Error:
            continue  # already gone
    return found


def _kill_while_running(tmp_path: Path, sig: int) -> tuple[list, int, Path]:
    """Start `qantara run` on a slow input (a scan read by OCR, several times), wait until its
    flow is under way, note every process under it, then send ``sig``."""
    inputs, outputs, glossary = _folders(tmp_path)
    for number in range(6):
        shutil.copy(REPO / "inputs" / "003_scan.pdf", inputs / f"scan{number}.pdf")
    process = subprocess.Popen([*QANTARA, "run", "--input", str(inputs), "--output", str(outputs),
                                "--glossary", str(glossary), "-q", "--jobs", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300
    children: list = []
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        summary = outputs / SUMMARY_FILE
        if summary.is_file() and _summary(outputs).get("outcome") == "running":
            time.sleep(3)  # the documents' worker processes start
            children = _descendants(process.pid)
            if len(children) >= 2:
                break
        time.sleep(0.5)
    assert len(children) >= 2, "the run never got under way"
    process.send_signal(sig)
    code = process.wait(timeout=120)
    return children, code, outputs


def _left_running(children: list, seconds: float = 60) -> list[str]:
    import psutil

    def alive(process) -> bool:
        try:
            return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [line for process, line in children if alive(process)]
        if not left:
            return []
        time.sleep(0.5)
    return left


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_run_leaves_no_process_running(tmp_path, sig):
    children, code, outputs = _kill_while_running(tmp_path, sig)
    assert any("uvicorn" in line or "prefect" in line for _, line in children)
    assert _left_running(children) == []
    assert code != 0
    summary = _summary(outputs)
    # SIGTERM: the run says it was interrupted; SIGKILL stops it dead, so it still says running.
    assert summary["outcome"] == ("failed" if sig == signal.SIGTERM else "running")
