"""Writing files safely: never half-written, never silently replacing a previous plan.

Also where work that depends only on the program (not on a workbook) is kept between runs: the
per-user cache folder, which saves time and is never needed for a run to succeed.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
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


def _swap(files: Sequence[tuple[Path, bytes | None]], temporaries: dict[Path, str],
          now: dt.datetime) -> list[Path | None]:
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


def _move_into_place(handle: int, temporary: str, path: Path, write: Callable[[object], None], keep_previous: bool = False) -> Path | None:
    """Write the new file `temporary` (open as `handle`, in `path`'s folder) through `write`, then
    rename it to `path`: readers see the old file or the new one, never half of it.

    With `keep_previous`, it gets the usual permissions (not mkstemp's private ones) and a
    previous file at `path` is first renamed to `kept_name(path)`, which is returned. On any
    failure the temporary file is removed, the previous file put back, and the error raised again.
    """
    kept = None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        if keep_previous:
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


CACHE_ENV = "POVERTYPLAN_CACHE_DIR"  # a folder to cache in instead of the user's; empty: no cache


def cache_dir() -> Path | None:
    """The folder for this program's cache (created if needed), or None when there is none to use.

    The user's cache folder (``~/.cache/povertyplan``, ``~/Library/Caches/povertyplan`` or
    ``%LOCALAPPDATA%\\povertyplan``), or the one `CACHE_ENV` names. What is cached there is loaded
    as code, so on POSIX a folder that another user owns or may write to is not used.
    """
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "":
        return None
    try:
        folder = Path(chosen) if chosen else _user_cache_root() / "povertyplan"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to find
        return None
    if os.name == "posix" and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return folder


def _user_cache_root() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or tempfile.gettempdir())
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def write_cache_file(path: Path, data: bytes) -> None:
    """Replace `path` with `data` whole (readers see the old file or the new one); give up silently on failure."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        _move_into_place(handle, temporary, path, lambda stream: stream.write(data))
    except OSError:
        pass  # the cache only saves time


def code_digest(paths: Iterable[Path], label: bytes = b"") -> str:
    """A hex digest of `label` and the bytes of each file of `paths`: cache entries made by that
    code carry it in their names, so that editing any of the files leaves the old entries unused."""
    digest = hashlib.sha256(label)
    for path in paths:
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
