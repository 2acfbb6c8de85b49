"""The .docx skeleton: what every plan shares, read from `skeleton.docx` beside this module.

The skeleton holds the page (A4, the Nghị định 30 margins, Times New Roman, page numbers from
page 2), the styles and the document properties; it is built by `tools/build_skeleton.py` (with
python-docx, which a run never imports). A plan fills in the body and the core properties
(`Skeleton.docx`). It is kept as bytes only (`Skeleton`), so nothing a plan does can change it,
from any thread.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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

SKELETON_FILE = Path(__file__).with_name("skeleton.docx")
LANGUAGE = "vi-VN"  # the skeleton's; a plan in another language gets it in the styles and properties
DOCUMENT_NAME, STYLES_NAME, CORE_NAME = "word/document.xml", "word/styles.xml", "docProps/core.xml"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
CORE_TIME = "1980-01-01T00:00:00Z"  # the skeleton's own creation and change times; a plan's are its own
_EMPTY_TITLE = b"<dc:title></dc:title>"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Skeleton:
    """The .docx of an empty plan in one language.

    `kept_zip` is a zip of every part but the two a plan fills: the document (whose XML is
    `document_head` + body + `document_tail`) and the core properties (`core_template`, with an
    empty title and the skeleton's times).
    """

    kept_zip: bytes
    document_head: bytes
    document_tail: bytes
    core_template: bytes

    def docx(self, body_xml: bytes, title: str) -> bytes:
        """Return the .docx whose body is `body_xml` and whose title property is `title`.

        The body is spliced in as bytes: written in lxml's canonical form, parsing and
        serialising it again took a third of the time and changed nothing.
        """
        document_xml = self.document_head + body_xml + self.document_tail
        return zip_parts(self.kept_zip, {CORE_NAME: self.core_xml(title), DOCUMENT_NAME: document_xml})

    def core_xml(self, title: str) -> bytes:
        """Return the core properties: the title is `title`, the times are now.

        The title property holds at most 255 characters (Word cuts more): a longer title, which
        the document itself shows whole, is shortened there with "…".
        """
        title = xml_text(title)
        if len(title) > TITLE_LIMIT:
            title = title[: TITLE_LIMIT - 1].rstrip() + "…"
        now = datetime.now(timezone.utc).strftime(TIME_FORMAT).encode()
        core = self.core_template.replace(CORE_TIME.encode(), now)
        return core.replace(_EMPTY_TITLE, b"<dc:title>" + escape(title).encode("utf-8") + b"</dc:title>")


def zip_parts(kept_zip: bytes, parts: dict[str, bytes]) -> bytes:
    """Return the zip `kept_zip` (or a new one) with `parts` compressed and appended.

    Appending reuses the kept parts' compressed bytes. Word, LibreOffice and python-docx find
    parts by name, so that the plan's two parts come last does not matter.
    """
    buffer = io.BytesIO(kept_zip)
    with zipfile.ZipFile(buffer, "a" if kept_zip else "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            # A fixed time, not the clock's: the same parts make the same bytes (the time a plan
            # was made is in its core properties).
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), blob, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def skeleton(language: str) -> Skeleton:
    """The skeleton for `language` (a language tag such as ``vi-VN``), read from `SKELETON_FILE`.

    Raises `ValueError` for a language that is not a tag.
    """
    if not _LANGUAGE_TAG.fullmatch(language):
        raise ValueError(f"Language {language!r} is not a language tag such as 'vi-VN'")
    with zipfile.ZipFile(io.BytesIO(SKELETON_FILE.read_bytes())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    head, body, tail = parts.pop(DOCUMENT_NAME).partition(b"<w:body>")
    core = parts.pop(CORE_NAME)
    if not (
        body and tail.startswith(b"<w:sectPr") and core.count(CORE_TIME.encode()) == 2 and core.count(_EMPTY_TITLE) == 1
    ):
        raise RuntimeError(f"{SKELETON_FILE} is not the skeleton tools/build_skeleton.py builds")
    if language != LANGUAGE:
        parts[STYLES_NAME] = parts[STYLES_NAME].replace(
            f'w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}"'.encode(),
            f'w:val="{language}" w:eastAsia="{language}"'.encode(),
        )
        core = core.replace(
            f"<dc:language>{LANGUAGE}</dc:language>".encode(), f"<dc:language>{language}</dc:language>".encode()
        )
    return Skeleton(zip_parts(b"", parts), head + body, tail, core)
