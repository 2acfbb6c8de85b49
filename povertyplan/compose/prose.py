"""The template's light markup, turned into paragraphs.

Kept deliberately small so an official can edit the wording in Notepad:
- paragraphs are separated by a blank line; line breaks inside a paragraph are spaces;
- ``# I. MỤC ĐÍCH, YÊU CẦU`` is a section heading, ``## 1. Mục đích`` a sub-heading;
- ``**chữ đậm**`` is bold, ``*chữ nghiêng*`` italic, inside any paragraph;
- a paragraph that is only ``[[bảng chỉ tiêu]]`` or ``[[bảng phân công]]`` places that table;
- ``\\`` before a character prints it as written (workbook values are escaped this way, so text
  in a cell can never become markup).
"""

from __future__ import annotations

import re

from povertyplan.compose.document import Paragraph, Run

_PLACEHOLDER = re.compile(r"^\[\[\s*(.+?)\s*\]\]$")
_INLINE = re.compile(r"\\(.)|(\*\*)|(\*)", re.DOTALL)
_MARKUP_CHARS = re.compile(r"([\\*\[\]#])")


def escape(text: str) -> str:
    """Make workbook text print as written: escape markup characters, fold line breaks."""
    return _MARKUP_CHARS.sub(r"\\\1", " ".join(text.split("\n")))


def parse(text: str) -> list[Paragraph | str]:
    """Split rendered template text into paragraphs, and table names where a table goes."""
    blocks: list[Paragraph | str] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip()):
        line = " ".join(part.strip() for part in chunk.splitlines() if part.strip())
        if not line:
            continue
        placeholder = _PLACEHOLDER.match(line)
        if placeholder:
            blocks.append(placeholder[1])
        elif line.startswith("## "):
            blocks.append(Paragraph(_runs(line[3:].strip(), bold=True), "heading2"))
        elif line.startswith("# "):
            blocks.append(Paragraph(_runs(line[2:].strip(), bold=True), "heading1"))
        else:
            blocks.append(Paragraph(_runs(line), "body"))
    return blocks


def plain(text: str) -> str:
    """Rendered text of a one-line template block (the summary), markup removed."""
    return "".join(run.text for run in _runs(" ".join(text.split())))


def _runs(line: str, bold: bool = False) -> tuple[Run, ...]:
    runs: list[Run] = []
    buffer: list[str] = []
    italic = False
    position = 0

    def flush() -> None:
        if buffer:
            runs.append(Run("".join(buffer), bold=bold, italic=italic))
            buffer.clear()

    for match in _INLINE.finditer(line):
        buffer.append(line[position : match.start()])
        position = match.end()
        if match[1] is not None:
            buffer.append(match[1])
            continue
        flush()
        if match[2]:
            bold = not bold
        else:
            italic = not italic
    buffer.append(line[position:])
    flush()
    return _merge(runs)


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    return tuple(merged)
