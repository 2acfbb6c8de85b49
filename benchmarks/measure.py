"""Run one command in a fresh process and measure it: wall time, peak memory, exit code.

The child is reaped with `os.wait4`, which returns the resource usage of that one child (and of
the processes it waited for), so peak memory is never mixed up with earlier commands' as
`getrusage(RUSAGE_CHILDREN)` differences would be. Linux reports `ru_maxrss` in KiB.
"""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

OUT = "{out}"  # placeholder in a command for a fresh, empty output folder
TAIL_LINES = 5


@dataclass(frozen=True)
class Measurement:
    """One run of one command."""

    wall: float  # seconds, from before the fork to after the child was reaped
    peak_mb: float  # peak resident set in MiB: the largest single process, not a sum
    exit_code: int
    timed_out: bool
    plans: int  # .docx files the command wrote into its output folder
    pdfs: int  # .pdf files it wrote there (with --pdf)
    tail: tuple[str, ...]  # last lines of stderr (of stdout when stderr is empty)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


def measure(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Measurement:
    """Run `argv` in `cwd` with `{out}` replaced by an empty folder; kill it after `timeout` seconds.

    `env`: variables set for this command on top of the current environment."""
    with tempfile.TemporaryDirectory(prefix="povertyplan-bench-") as scratch:
        out = Path(scratch, "out")
        out.mkdir()
        stdout_path, stderr_path = Path(scratch, "stdout"), Path(scratch, "stderr")
        with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
            wall, status, usage, timed_out = _run(
                [arg.replace(OUT, str(out)) for arg in argv],
                cwd,
                timeout,
                stdout,
                stderr,
                {**os.environ, **(env or {})},
            )
        tail = _tail(stderr_path) or _tail(stdout_path)
        plans, pdfs = (sum(1 for _ in out.glob(pattern)) for pattern in ("*.docx", "*.pdf"))
    return Measurement(wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), timed_out, plans, pdfs, tail)


def _run(argv: list[str], cwd: Path, timeout: float, stdout, stderr, env: dict[str, str]):
    """Start, wait for and time the child; a timer kills its whole process group on timeout."""
    fired = threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, start_new_session=True
    )
    killer = threading.Timer(timeout, _kill_group, (process.pid, fired))
    killer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        wall = time.perf_counter() - start
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return wall, status, usage, fired.is_set()


def _kill_group(pid: int, fired: threading.Event) -> None:
    fired.set()
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended just before the timer fired
        pass


def _tail(path: Path) -> tuple[str, ...]:
    with open(path, "rb") as stream:
        stream.seek(max(path.stat().st_size - 8192, 0))
        text = stream.read().decode("utf-8", errors="replace")
    return tuple(line for line in text.splitlines() if line.strip())[-TAIL_LINES:]


def machine_facts(python: str, cwd: Path) -> dict[str, str]:
    """What the numbers were measured on: CPU, cores, memory, OS, Python, packages, git commit."""
    versions = _output([python, "-c", _VERSIONS], cwd)
    return {
        "CPU": _cpu_model(),
        "cores (nproc)": f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()}",
        "memory": f"{_mem_total_gib():.1f} GiB",
        "OS": platform.platform(),
        "Python": _output([python, "-c", "import platform; print(platform.python_version())"], cwd),
        "packages": versions,
        "tree": f"{_output(['git', 'describe', '--always', '--dirty', '--abbrev=10'], cwd)} ({cwd})",
    }


_PACKAGES = ("pandas", "numpy", "openpyxl", "python-docx", "Jinja2", "lxml", "fastexcel", "pyarrow", "xlsxwriter")
_VERSIONS = (
    "from importlib.metadata import version, PackageNotFoundError\n"
    "def v(name):\n"
    "    try: return f'{name} {version(name)}'\n"
    "    except PackageNotFoundError: return f'{name} (not installed)'\n"
    f"print(', '.join(v(name) for name in {_PACKAGES!r}))"
)


def _output(argv: list[str], cwd: Path) -> str:
    try:
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        return f"unknown ({error})"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return float("nan")
