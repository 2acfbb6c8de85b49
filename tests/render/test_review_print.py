"""The review list printed: LibreOffice turns it into a PDF whose pages are landscape A4, each as wide
as the table with its header repeated, and whose rows are tall enough for their wrapped text (no
text runs into the next row). Skipped without LibreOffice (soffice) and poppler (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from povertyplan.render import xlsx as xlsx_out
from povertyplan.render.xlsx_fit import line_count
from tests.render.test_review_workbook import review_bytes
from tests.survey_builders import household, survey_workbook

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice or poppler is not installed"
)
HEADS = ("Nguyễn Thị Hồng Nhung", "Lê Hoàng Phương Thảo Nguyên", "Trần Văn An", "Tống Thị Hồng Liên")


def long_list(folder: Path) -> Path:
    """A ward whose 90 households all disagree with the standard, with long names and many deprivations."""
    households = [
        household(
            f"DS-{n:03d}",
            "Hộ nghèo" if n % 3 else "Hộ cận nghèo",
            income=2_600_000 + 100_000 * (n % 4),
            lacking=n % 9,
            Ghi_chú=None,
            **{"Họ tên chủ hộ": HEADS[n % len(HEADS)]},
        )
        for n in range(1, 91)
    ]
    return survey_workbook(folder, households, name="dai.xlsx")


def to_pdf(folder: Path, *books: Path) -> list[Path]:
    profile = f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, books)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [book.with_suffix(".pdf") for book in books]


def pages(pdf: Path) -> list[tuple[tuple[float, float], list[tuple[str, np.ndarray]]]]:
    """Each page's size and its words with their boxes (xMin, yMin, xMax, yMax), as pdftotext finds them."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout
    found = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.DOTALL):
        words = [
            (m[5], np.array([float(m[i]) for i in range(1, 5)]))
            for m in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page[3]
            )
        ]
        found.append(((float(page[1]), float(page[2])), words))
    return found


def overlapping(words: list[tuple[str, np.ndarray]]) -> int:
    """How many pairs of words are printed over each other (text run into the next row)."""
    if not words:
        return 0
    boxes = np.array([box for _, box in words])
    # The middle half of each box: accents stacked on a line reach into the line above it.
    quarter = (boxes[:, 3] - boxes[:, 1]) / 4
    boxes = np.column_stack([boxes[:, 0] + 0.5, boxes[:, 1] + quarter, boxes[:, 2] - 0.5, boxes[:, 3] - quarter])
    x = (boxes[:, None, 0] < boxes[None, :, 2]) & (boxes[None, :, 0] < boxes[:, None, 2])
    y = (boxes[:, None, 1] < boxes[None, :, 3]) & (boxes[None, :, 1] < boxes[:, None, 3])
    return int(np.triu(x & y, k=1).sum())


@pytest.fixture(scope="module")
def printed(tmp_path_factory, request):
    """The long list printed as written, and printed with every data row one line high."""
    folder = tmp_path_factory.mktemp("in")
    workbook = long_list(folder)
    (folder / "ra-soat.xlsx").write_bytes(review_bytes(workbook))
    patch = pytest.MonkeyPatch()
    patch.setattr(xlsx_out, "data_row_heights", lambda rows, wrapped: [None] * len(rows))
    try:
        (folder / "mot-dong.xlsx").write_bytes(review_bytes(workbook))
    finally:
        patch.undo()
    return [pages(pdf) for pdf in to_pdf(folder, folder / "ra-soat.xlsx", folder / "mot-dong.xlsx")]


def test_every_page_is_landscape_a4(printed):
    review, _ = printed
    assert {(round(width), round(height)) for (width, height), _ in review} == {(842, 595)}


def test_the_list_takes_several_pages_each_as_wide_as_the_table_with_its_header(printed):
    review, _ = printed
    listed = [words for _, words in review if any(text.startswith("DS-") for text, _ in words)]
    assert len(listed) >= 3
    for words in listed:
        first_row = min(box[1] for text, box in words if text.startswith("DS-"))
        assert {"TT", "Mã", "chủ", "Lý", "do"} <= {
            text for text, box in words if box[3] <= first_row
        }  # the header, above the rows
        assert max(box[2] for _, box in words) < 842 - 20  # the last column is on the page


def test_no_row_runs_into_the_next(printed):
    review, one_line_rows = printed
    assert [overlapping(words) for _, words in review] == [0] * len(review)
    assert sum(overlapping(words) for _, words in one_line_rows) > 100  # the check sees rows too short


def test_a_line_holds_whole_words_and_a_long_word_is_broken():
    assert line_count("một hai ba", 10) == 1
    assert line_count("một hai ba bốn năm sáu", 10) == 3
    assert line_count("dòng một\ndòng hai", 30) == 2
    assert line_count("x" * 25, 10) == 3 and line_count("ab " + "x" * 20, 10) == 3
