"""The .docx skeleton: what every plan in one language shares, and where it is kept.

The skeleton holds the page (A4, the Nghị định 30 margins, Times New Roman, page numbers) and the
styles; `docx_setup.py` sets it up with python-docx. It is kept as bytes only (`Skeleton`), so
nothing a plan does can change it, from any thread: in memory for the process and in the cache
folder (`output.cache_dir`) for later runs, so that a run which finds it there does not even
import python-docx. A plan fills in the body and the core properties (`Skeleton.docx`).

A kept skeleton is used only when it was made by the same code: the file's name carries a digest
of the modules that shape it (`SOURCES`), the language, and python-docx's and lxml's package
files (which carry their versions); its content carries a digest of itself.
"""
from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from povertyplan.write.files import cache_dir, code_digest, write_cache_file
from povertyplan.render.wordml import escape, xml_text

FONT_NAME = "Times New Roman"
# ND30 Phụ lục I: A4 portrait, margins top/bottom 20–25, left 30–35, right 15–20 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20.0, 20.0, 30.0, 15.0
HEADER_DISTANCE_MM = 10.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
BODY_PT = 14
PAGE_NUMBER_PT = 13
TITLE_LIMIT = 255

# Stand-ins for what a plan puts in the core properties; they must not occur anywhere else.
TITLE_MARK = "POVERTYPLAN-TITLE-MARK"
TIME_MARK = datetime(1901, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # python-docx's
TIME_MARK_TEXT = TIME_MARK.strftime(TIME_FORMAT).encode()


@dataclass(frozen=True)
class Skeleton:
    """The .docx python-docx writes for an empty plan in one language.

    `kept_zip` is a zip of every part but the two a plan fills: the document (`document_name`,
    whose XML is `document_head` + body + `document_tail`) and the core properties
    (`core_name`, whose XML is `core_template` with the title and time stamps marked).
    """

    kept_zip: bytes
    document_name: str
    document_head: bytes
    document_tail: bytes
    core_name: str
    core_template: bytes

    def docx(self, body_xml: bytes, title: str) -> bytes:
        """Return the .docx whose body is `body_xml` and whose title property is `title`.

        The body is spliced in as bytes: written in lxml's canonical form, parsing and
        serialising it again took a third of the time and changed nothing.
        """
        document_xml = self.document_head + body_xml + self.document_tail
        return zip_parts(self.kept_zip, {self.core_name: self.core_xml(title),
                                         self.document_name: document_xml})

    def core_xml(self, title: str) -> bytes:
        """Return the core properties: the title is `title`, the times are now.

        The title property holds at most 255 characters (python-docx refuses more, Word cuts
        them): a longer title, which the document itself shows whole, is shortened there with "…".
        """
        title = xml_text(title)
        if len(title) > TITLE_LIMIT:
            title = title[: TITLE_LIMIT - 1].rstrip() + "…"
        now = datetime.now(timezone.utc).strftime(TIME_FORMAT).encode()
        core = self.core_template.replace(TIME_MARK_TEXT, now)
        return core.replace(TITLE_MARK.encode(), escape(title).encode("utf-8"))


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def zip_parts(kept_zip: bytes, parts: dict[str, bytes]) -> bytes:
    """Return the zip `kept_zip` (or a new one) with `parts` compressed and appended.

    Appending reuses the kept parts' compressed bytes: compressing the 800 kB of styles for
    every plan cost a quarter of the time budget. Word, LibreOffice and python-docx find parts
    by name, so that the plan's two parts now come last does not matter.
    """
    buffer = io.BytesIO(kept_zip)
    with zipfile.ZipFile(buffer, "a" if kept_zip else "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            # A fixed time, not the clock's: the same parts make the same bytes (a kept skeleton
            # set up again is identical; the time a plan was made is in its core properties).
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), blob, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- where it is kept ----------------------------------------------------------------------------

_MAGIC = b"povertyplan docx skeleton 1\n"
# The code a skeleton comes from: its set-up and what that imports from this package (this module
# among them; `output` only finds and writes the file). tests/test_caching.py checks that none
# is missing.
SOURCES = tuple(Path(__file__).with_name(f"{name}.py") for name in ("docx_setup", "skeleton", "wordml"))


@functools.lru_cache(maxsize=8)
def skeleton(language: str) -> Skeleton:
    """The skeleton for `language`: the one kept in the cache folder if it was made by the same
    code with the same python-docx and lxml, else one set up now (and kept there)."""
    folder = cache_dir()
    path = folder / f"docx-skeleton-{_key(language)}.bin" if folder else None
    kept = _read(path) if path else None
    if kept is None:
        from povertyplan.render import docx_setup  # python-docx: only when no skeleton is kept

        kept = docx_setup.set_up(language)
        if path:
            write_cache_file(path, _to_bytes(kept))
    return kept


def _key(language: str) -> str:
    """What the skeleton depends on: `SOURCES`, the language, python-docx and lxml (their
    package files, which carry their versions)."""
    import importlib.util

    specs = [importlib.util.find_spec(library) for library in ("docx", "lxml")]
    origins = [spec.origin if spec and spec.origin else "" for spec in specs]
    label = _MAGIC + language.encode() + b"\0" + "\0".join(origins).encode()
    return code_digest([*SOURCES, *(Path(origin) for origin in origins if origin)], label)[:32]


def _to_bytes(kept: Skeleton) -> bytes:
    """`kept` as the bytes of a cache file: a mark, a digest, then each field with its length."""
    fields = (kept.kept_zip, kept.document_name.encode(), kept.document_head,
              kept.document_tail, kept.core_name.encode(), kept.core_template)
    body = b"".join(len(field).to_bytes(8, "big") + field for field in fields)
    return _MAGIC + hashlib.sha256(body).digest() + body


def _read(path: Path) -> Skeleton | None:
    """The skeleton kept at `path`, or None when it is missing, unreadable or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(_MAGIC) + 32
    body = data[start:]
    if data[:len(_MAGIC)] != _MAGIC or hashlib.sha256(body).digest() != data[start - 32:start]:
        return None
    fields, at = [], 0
    while at + 8 <= len(body):
        size = int.from_bytes(body[at:at + 8], "big")
        fields.append(body[at + 8:at + 8 + size])
        at += 8 + size
    if len(fields) != 6 or at != len(body):
        return None
    kept_zip, document_name, head, tail, core_name, core_template = fields
    return Skeleton(kept_zip, document_name.decode(), head, tail, core_name.decode(), core_template)
