"""File names: the year and the commune, in ASCII, short enough for any file system."""

from __future__ import annotations

import dataclasses

from povertyplan import api
from povertyplan.write.names import plan_filename, review_filename
from tests.paths import EXAMPLE


def test_the_plan_is_named_after_the_year_and_the_commune():
    info = api.check(EXAMPLE).workbook.info
    assert plan_filename(info) == "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx"
    assert review_filename(info) == "ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx"


def test_a_very_long_commune_name_still_gives_a_name_a_file_system_accepts(tmp_path):
    info = dataclasses.replace(api.check(EXAMPLE).workbook.info, name="Bắc Sơn " * 60)
    name = review_filename(info).replace(".xlsx", ".ban-cu-20260101-000000-99.xlsx")
    assert len(name.encode()) < 200
    (tmp_path / name).write_bytes(b"")
