"""Writing files safely: never half-written, never silently replacing a previous plan; a plan,
its review list and its PDF replaced together or not at all (`write_set`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from povertyplan.errors import OutputProblem
from povertyplan.messages import say
from povertyplan.write import faults


def prepare_folder(folder: Path) -> Path:
    """Create the output folder if needed (an official expects `-o ke-hoach-2024` to just work)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise faults.folder_not_created(error, folder) from None
    return folder


def write_new(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole, refusing to replace a file already there."""
    if path.exists():
        raise OutputProblem(say("write.exists", path=path))
    write_set([(path, data)])
    return path


def kept_name(path: Path, now: dt.datetime | None = None) -> Path:
    """Where a previous output is kept: ``<name>.ban-cu-20260305-142501.docx`` (never overwritten)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.ban-cu-{stamp}{path.suffix}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.stem}.ban-cu-{stamp}-{counter}{path.suffix}")
    return candidate


def remove_kept_copies(path: Path) -> tuple[int, tuple[Path, ...]]:
    """Delete the previous versions of `path` kept beside it (`kept_name`): for a file of personal
    data (the review list), only the last version is kept. Return how many were deleted and those
    that could not be (open in Excel, or not permitted)."""
    pattern = re.compile(re.escape(path.stem) + r"\.ban-cu-\d{8}-\d{6}(-\d+)?" + re.escape(path.suffix))
    removed, left = 0, []
    for copy in sorted(path.parent.glob(f"{glob_escape(path.stem)}.ban-cu-*{glob_escape(path.suffix)}")):
        if not pattern.fullmatch(copy.name):
            continue
        try:
            copy.unlink()
            removed += 1
        except FileNotFoundError:
            continue  # deleted meanwhile: what was asked
        except OSError:
            left.append(copy)
    return removed, tuple(left)


def glob_escape(text: str) -> str:
    """`text` matched literally by `Path.glob` (a commune's name may hold ``[``)."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def write_set(files: Sequence[tuple[Path, bytes | None]], now: dt.datetime | None = None) -> list[Path | None]:
    """Write `files` as one set: each ``(path, data)`` replaces `path` with `data` whole, keeping a
    previous file at `path` as `kept_name(path)`; with `data` None, a previous file is only moved
    aside to that name (it would no longer match the others). Return the kept names (None where
    there was no previous file), in order.

    Either every file is replaced or none is: all the new files are first written as temporary
    files in their folders, then the previous ones moved aside, then the new ones moved into
    place; on any failure what was moved is moved back, the temporary files are removed, and an
    `OutputProblem` says which file or folder and what to do.
    """
    for path, _ in files:
        if not path.parent.is_dir():
            raise OutputProblem(say("write.folder_missing", folder=path.parent))
        faults.check_not_held(path)
    temporaries: dict[Path, str] = {}
    try:
        for path, data in files:
            if data is not None:
                temporaries[path] = _temporary(path, data)
        return _swap(files, temporaries, now or dt.datetime.now())
    finally:
        for temporary in temporaries.values():
            with contextlib.suppress(OSError):
                os.remove(temporary)


def _temporary(path: Path, data: bytes) -> str:
    """`data` written to a new temporary file beside `path`, with the permissions `path` gets."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".~tao-", suffix=path.suffix, dir=path.parent)
    except OSError as error:
        raise faults.explained(error, path, replacing=False) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _file_mode(path))
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        if isinstance(error, OSError):
            raise faults.explained(error, path, replacing=False) from None
        raise
    return temporary


def _swap(
    files: Sequence[tuple[Path, bytes | None]], temporaries: dict[Path, str], now: dt.datetime
) -> list[Path | None]:
    """Move the previous files aside, then the temporary ones into place; on failure move back what was moved."""
    kept = {path: kept_name(path, now) for path, _ in files if path.exists()}
    steps = [(path, kept[path], path) for path in kept]
    steps += [(temporaries[path], path, path) for path, _ in files if path in temporaries]
    done: list[tuple[str | Path, Path]] = []
    for source, target, output in steps:
        try:
            os.replace(source, target)
        except BaseException as error:
            for moved_from, moved_to in reversed(done):
                with contextlib.suppress(OSError):
                    os.replace(moved_to, moved_from)
            if isinstance(error, OSError):
                raise faults.explained(error, output, replacing=True) from None
            raise
        done.append((source, target))
    return [kept.get(path) for path, _ in files]


def _file_mode(path: Path) -> int:
    """The permissions a plan gets: the previous file's, else the usual ones (mkstemp's are private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
