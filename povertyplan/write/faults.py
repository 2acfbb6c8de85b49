"""What keeps an output from being written, told so that the user can fix it.

A program that has the file open (Word, Excel, LibreOffice, a PDF reader), a folder that refuses
writing, a full disk: each is the user's to fix, so each becomes an `OutputProblem` naming the file
or folder, the program and what to do, never a program error.
"""

from __future__ import annotations

import errno
from pathlib import Path

from povertyplan.errors import OutputProblem
from povertyplan.messages import say

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # EDQUOT: the user's quota is used up
_REFUSED = {errno.EACCES, errno.EPERM, errno.EROFS}


def holder(path: Path) -> tuple[str, Path] | None:
    """The program that has `path` open and the lock file that tells it, or None when none is seen.

    LibreOffice keeps ``.~lock.<name>#`` beside a file it has open; Word and Excel keep ``~$<name>``
    (Word with the name's first two characters replaced when it is long enough). Only Windows also
    stops a rename of an open file, so these lock files are the one sign of it elsewhere.
    """
    libreoffice = path.with_name(f".~lock.{path.name}#")
    if libreoffice.exists():
        return "LibreOffice", libreoffice
    for lock in (path.with_name("~$" + path.name[2:]), path.with_name("~$" + path.name)):
        if lock.exists():
            return program(path), lock
    return None


def program(path: Path) -> str:
    """The program an official opens `path` with, named as they know it."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "Word"
    if suffix == ".xlsx":
        return "Excel"
    if suffix == ".pdf":
        return say("write.pdf_reader")
    return say("write.other_program")


def check_not_held(path: Path) -> None:
    """Raise OutputProblem when a program is seen to have `path` open: replacing it would lose what the user sees."""
    found = holder(path) if path.exists() else None
    if found:
        name, lock = found
        raise OutputProblem(
            say("write.held_with_lock", name=path.name, program=name, lock=lock.name, folder=path.parent)
        )


def explained(error: OSError, path: Path, replacing: bool) -> OutputProblem:
    """`error`, met while writing `path` (`replacing`: while renaming files in its folder), told to the user.

    A folder that refuses a new file refuses writing; a rename refused after that is a program
    holding the file (Windows refuses to rename a file open in Word or Excel).
    """
    if error.errno in _FULL:
        return OutputProblem(say("write.disk_full", folder=path.parent, name=path.name))
    if replacing and isinstance(error, PermissionError):
        return OutputProblem(say("write.held", name=path.name, program=program(path), folder=path.parent))
    if error.errno in _REFUSED or isinstance(error, PermissionError):
        return OutputProblem(say("write.folder_refused", folder=path.parent))
    return OutputProblem(say("write.not_written", name=path.name, reason=error.strerror or error))


def folder_not_created(error: OSError, folder: Path) -> OutputProblem:
    """`error`, met while creating the output `folder`, told to the user."""
    if error.errno in _FULL:
        return OutputProblem(say("write.disk_full_folder", folder=folder))
    if error.errno in _REFUSED or isinstance(error, PermissionError):
        return OutputProblem(say("write.folder_not_permitted", folder=folder, parent=_existing_parent(folder)))
    return OutputProblem(say("write.folder_not_created", folder=folder, reason=error.strerror or error))


def _existing_parent(folder: Path) -> Path:
    """The nearest folder above `folder` that exists: the one that refused a new folder."""
    for parent in folder.absolute().parents:
        if parent.is_dir():
            return parent
    return folder.absolute().parent
