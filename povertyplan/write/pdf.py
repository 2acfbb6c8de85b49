"""Plans as PDF/A-2b, made by LibreOffice: the one module that runs it.

The provinces' e-office systems sign plans as PDF and expect PDF/A (archival: every font embedded,
nothing left to the reader's computer). LibreOffice lays out the .docx and exports it; it is found
on PATH or in its usual install folders. It runs headless with a profile of its own in a temporary
folder, so that a LibreOffice the user has open neither takes the job nor is disturbed by it, and
converts many plans per process: starting it takes seconds, a plan a fraction of one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from povertyplan.errors import OutputProblem
from povertyplan.messages import say

# PDF/A-2b: "SelectPdfVersion" 2 in LibreOffice's PDF export (7.4 and later read the options as JSON).
FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
PDFA_2 = b"<pdfaid:part>2</pdfaid:part>"  # LibreOffice writes the XMP metadata uncompressed
STALL_SECONDS = 120.0  # LibreOffice that finishes no plan for this long is stuck, and is stopped
PLANS_PER_PROCESS = 25  # fewer plans than this do not pay for starting one more LibreOffice
MAX_PROCESSES = 4  # LibreOffices running at once: each takes some 250 MB
PLANS_PER_CALL = 200  # LibreOffice silently skips the files named after about its 247th argument


class PdfUnavailable(OutputProblem):
    """No LibreOffice to make PDFs with (not installed, or it cannot be started)."""


def find_soffice() -> str | None:
    """LibreOffice's program: on PATH (``soffice``, ``libreoffice``), else in its usual install
    folder; None when absent."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((str(path) for path in install_folders() if path.is_file()), None)


def require_soffice() -> str:
    """`find_soffice()`, or PdfUnavailable saying how to install LibreOffice."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(say("write.pdf_no_libreoffice"))
    return soffice


def install_folders() -> list[Path]:
    """Where LibreOffice's installers put its program on this system."""
    if sys.platform == "win32":
        roots = [os.environ.get(name) for name in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        return [Path(root, "LibreOffice", "program", "soffice.exe") for root in dict.fromkeys(filter(None, roots))]
    if sys.platform == "darwin":
        bundle = Path("LibreOffice.app", "Contents", "MacOS", "soffice")
        return [Path("/Applications") / bundle, Path.home() / "Applications" / bundle]
    # libreoffice.org's own packages install to /opt/libreofficeX.Y; the snap is on PATH when set up
    return sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True) + [Path("/snap/bin/libreoffice")]


def convert(documents: Sequence[tuple[str, bytes]], processes: int = 1) -> list[bytes | str]:
    """Each ``(name, .docx bytes)`` of `documents` as PDF/A-2b bytes, or the message saying why it was not made.

    At most `processes` LibreOffice processes run at once (fewer for few documents), each given
    an equal share of at most `PLANS_PER_CALL` documents. Raise PdfUnavailable when LibreOffice is
    not installed or cannot be started.
    """
    soffice = require_soffice()
    at_once = max(1, min(processes, MAX_PROCESSES, len(documents) // PLANS_PER_PROCESS))
    calls = at_once * -(-len(documents) // (at_once * PLANS_PER_CALL))
    try:
        with tempfile.TemporaryDirectory(prefix="povertyplan-pdf-", ignore_cleanup_errors=True) as work:
            runs = [
                _Run(Path(work, f"lo{number}"), list(range(number, len(documents), calls))) for number in range(calls)
            ]
            try:
                _run_all(runs, soffice, documents, at_once)
            finally:
                for run in runs:
                    run.stop()
            return _results(runs, documents)
    except PdfUnavailable:
        raise
    except OSError as error:  # the temporary folder: a full disk, say
        reason = error.strerror or error
        raise PdfUnavailable(say("write.pdf_temporary", folder=tempfile.gettempdir(), reason=reason)) from None


def _results(runs: list[_Run], documents: Sequence[tuple[str, bytes]]) -> list[bytes | str]:
    results: list[bytes | str] = [b""] * len(documents)
    for run in runs:
        for index in run.indices:
            results[index] = run.result(index, documents[index][0])
    return results


@dataclass
class _Run:
    """One LibreOffice process converting the documents at `indices`, in `folder`: their copies,
    the PDFs and the profile of its own."""

    folder: Path
    indices: list[int]
    process: subprocess.Popen | None = None
    stalled: bool = False
    finished: int = 0
    progress_at: float = field(default_factory=time.monotonic)

    def start(self, soffice: str, documents: Sequence[tuple[str, bytes]]) -> None:
        inputs = self.folder / "in"
        inputs.mkdir(parents=True)
        names = []
        for index in self.indices:  # numbered: two plans of one batch may share a name
            names.append(str(inputs / f"{index:05d}.docx"))
            Path(names[-1]).write_bytes(documents[index][1])
        command = [
            soffice,
            f"-env:UserInstallation={(self.folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            FILTER,
            "--outdir",
            str(self.folder / "out"),
            *names,
        ]
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **_own_group()
            )
        except OSError as error:
            reason = error.strerror or error
            raise PdfUnavailable(say("write.pdf_not_started", program=soffice, reason=reason)) from None
        self.progress_at = time.monotonic()

    def running(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        finished = len(list((self.folder / "out").glob("*.pdf")))
        if finished > self.finished:
            self.finished, self.progress_at = finished, time.monotonic()
        elif time.monotonic() - self.progress_at > STALL_SECONDS:
            self.stalled = True
            self.stop()
            return False
        return True

    def stop(self) -> None:
        """End this LibreOffice and the processes it started (its launcher starts the real one)."""
        if self.process is None or self.process.poll() is not None:
            return
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(self.process.pid)], capture_output=True, check=False)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def result(self, index: int, name: str) -> bytes | str:
        path = self.folder / "out" / f"{index:05d}.pdf"
        data = path.read_bytes() if path.is_file() else b""
        if data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"):
            return data if PDFA_2 in data else say("write.pdf_not_pdfa", name=name)
        if self.stalled:
            return say("write.pdf_stalled", name=name, seconds=round(STALL_SECONDS))
        if self.process is not None and self.process.returncode:
            return say("write.pdf_crashed", name=name, code=self.process.returncode)
        return say("write.pdf_not_made", name=name)


def _own_group() -> dict:
    """Start LibreOffice in a process group of its own, so that it and its children can be ended
    together, and so that Ctrl+C, which `convert` answers by ending it, does not reach it first."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _run_all(runs: list[_Run], soffice: str, documents: Sequence[tuple[str, bytes]], at_once: int) -> None:
    """Start the runs, `at_once` at a time, until all have ended; one that finishes no plan for
    `STALL_SECONDS` is stopped."""
    waiting, active = list(runs), []
    while waiting or active:
        active = [run for run in active if run.running()]
        while waiting and len(active) < at_once:
            active.append(waiting.pop(0))
            active[-1].start(soffice, documents)
        if active:
            time.sleep(0.1)
