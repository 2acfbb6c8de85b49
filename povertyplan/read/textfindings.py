"""Text cells in an old encoding or garbled, converted as they are read and noted for validate.

The reader converts every text cell it reads (`CellTexts`, or `legacycolumns` for a large sheet
read column-wise) and notes in `TextFindings` which cells it converted from which encoding and
which were garbled; the validate stage turns the notes about the cells the plan uses into one
warning per sheet, or an error per garbled cell. Rows are Excel's, columns count from 0 (A).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np

from povertyplan.read.legacy import GARBLED, TCVN3, TCVN3_CAPITALS, decode, font_encoding, recognise, typed_in_bytes

# The garbled cells of a column kept with their text, for messages: one more than a check prints.
SAMPLES = 21


class TextFindings:
    """The cells converted or found garbled while a workbook was read.

    `converted`: (sheet, column, encoding) → the rows of the cells converted from it;
    `garbled`: (sheet, column) → the rows of garbled cells; `samples`: (sheet, column) → the first
    garbled cells' (text as found, text repaired or None when it cannot be).
    """

    def __init__(self) -> None:
        self.converted: dict[tuple[str, int, str], array] = {}
        self.garbled: dict[tuple[str, int], array] = {}
        self.samples: dict[tuple[str, int], list[tuple[str, str | None]]] = {}
        self._encodings: Counter = Counter()
        self._sheet_encodings: dict[str, Counter] = {}

    def dominant(self, sheet: str | None = None) -> str | None:
        """The old encoding most cells converted so far were in (`TCVN3` counts its capitals): those
        of `sheet` when it has any (a sheet is typed in one encoding, the workbook may mix them),
        else the workbook's; None when none was converted."""
        counts = self._sheet_encodings.get(sheet) or self._encodings
        return counts.most_common(1)[0][0] if counts else None

    def note(self, sheet: str, row: int, column: int, kind: str, found: str, text: str) -> None:
        """Note one cell converted from `kind` (an encoding, or `legacy.GARBLED`)."""
        self.note_rows(sheet, column, kind, [row], [found], [text])

    def note_rows(
        self,
        sheet: str,
        column: int,
        kind: str,
        rows: Iterable[int],
        found: Iterable[str] = (),
        texts: Iterable[str] = (),
    ) -> None:
        """Note the cells of one column at `rows` (ascending) converted from `kind`; for garbled
        cells, also their text as found and repaired (the first ones are kept for messages)."""
        rows = np.asarray(rows, dtype=np.int32)
        if kind != GARBLED:
            self.converted.setdefault((sheet, column, kind), array("i")).frombytes(rows.tobytes())
            encoding = TCVN3 if kind == TCVN3_CAPITALS else kind
            self._encodings[encoding] += len(rows)
            self._sheet_encodings.setdefault(sheet, Counter())[encoding] += len(rows)
            return
        self.garbled.setdefault((sheet, column), array("i")).frombytes(rows.tobytes())
        samples = self.samples.setdefault((sheet, column), [])
        for raw, text in zip(found, texts):
            if len(samples) >= SAMPLES:
                break
            samples.append((raw, None if text == raw else text))


class CellTexts:
    """The text cells of one sheet in Unicode, as `xlsx` reads them row by row.

    `fonts` maps a cell style's index to the old encoding its font draws (`legacy.font_encoding`):
    the text of such a cell is converted as that font draws it (what the official sees in Excel),
    unless it holds letters no 8-bit encoding has (it was typed in Unicode). Other text is
    converted only when its characters show an old encoding or a garbled import (`legacy.recognise`;
    where they read as well in TCVN3 as in VNI, the encoding of most cells converted so far wins).
    """

    def __init__(self, sheet: str, fonts: dict[int, str], findings: TextFindings):
        self.sheet, self.fonts, self.findings = sheet, fonts, findings

    def __call__(self, row: int, column: int, value: str, style: int) -> str:
        """The Unicode text of the cell at `row`, `column` holding `value` in style `style`."""
        encoding = self.fonts.get(style) if self.fonts else None
        if encoding is not None and typed_in_bytes(value):
            text = decode(value, encoding)
            if text != value:
                self.findings.note(self.sheet, row, column, encoding, value, text)
            return text
        if value.isascii():
            return value
        found = recognise(value, self.findings.dominant(self.sheet))
        if found is None:
            return value
        self.findings.note(self.sheet, row, column, found[0], value, found[1])
        return found[1]


def styles_fonts(font_names: list[str | None], style_fonts: list[int | None]) -> dict[int, str]:
    """Cell style index → the old encoding of its font, for the styles whose font is an old one,
    given the workbook's font names and each cell style's font index."""
    encodings = [font_encoding(name) for name in font_names]
    return {
        style: encodings[font]
        for style, font in enumerate(style_fonts)
        if font is not None and 0 <= font < len(encodings) and encodings[font]
    }
