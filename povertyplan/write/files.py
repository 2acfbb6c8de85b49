"""Writing files safely: never half-written, never silently replacing a previous plan."""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from povertyplan.errors import OutputProblem
from povertyplan.messages import say


def prepare_folder(folder: Path) -> Path:
    """Create the output folder if needed (an official expects `-o ke-hoach-2024` to just work)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputProblem(say("write.folder_not_created", folder=folder, reason=error.strerror or error)) from None
    return folder


def write_new(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole, refusing to replace a file already there."""
    if path.exists():
        raise OutputProblem(say("write.exists", path=path))
    write_atomically(path, lambda stream: stream.write(data))
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


def _locked_by_office(path: Path) -> bool:
    """Word and Excel keep ``~$name`` beside a file they have open (the first two characters replaced)."""
    owner = path.with_name("~$" + path.name[2:])
    return owner.exists() or path.with_name("~$" + path.name).exists()


def write_atomically(path: Path, write: Callable[[object], None]) -> Path | None:
    """Write `path` through a temporary file in the same folder, then rename it into place.

    A previous file at `path` is first renamed to `kept_name(path)`; that name is returned (or
    None). On any failure the temporary file is removed and the previous file is back in place.
    """
    folder = path.parent
    if not folder.is_dir():
        raise OutputProblem(say("write.folder_missing", folder=folder))
    if path.exists() and _locked_by_office(path):
        raise OutputProblem(say("write.open_in_word", name=path.name))
    handle, temporary = tempfile.mkstemp(prefix=".~tao-", suffix=path.suffix, dir=folder)
    try:
        return _move_into_place(handle, temporary, path, write)
    except PermissionError:
        raise OutputProblem(say("write.not_permitted", name=path.name)) from None
    except OSError as error:
        raise OutputProblem(say("write.not_written", name=path.name, reason=error.strerror or error)) from None


def _move_into_place(handle: int, temporary: str, path: Path, write: Callable[[object], None]) -> Path | None:
    """Write the new file `temporary` (open as `handle`, in `path`'s folder) through `write`, then
    rename it to `path`: readers see the old file or the new one, never half of it.

    It gets the usual permissions (not mkstemp's private ones) and a previous file at `path` is
    first renamed to `kept_name(path)`, which is returned. On any failure the temporary file is
    removed, the previous file put back, and the error raised again.
    """
    kept = None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temporary, _file_mode(path))
        if path.exists():
            kept = kept_name(path)
            os.replace(path, kept)
        os.replace(temporary, path)
        return kept
    except BaseException:
        _restore(temporary, kept, path)
        raise


def _file_mode(path: Path) -> int:
    """The permissions a plan gets: the previous file's, else the usual ones (mkstemp's are private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _restore(temporary: str, kept: Path | None, path: Path) -> None:
    if os.path.exists(temporary):
        os.remove(temporary)
    if kept is not None and kept.exists() and not path.exists():
        os.replace(kept, path)
