"""The review list holds personal data: only its last version is kept, and what could not be deleted is said."""

import datetime as dt
from pathlib import Path

from povertyplan.write.files import kept_name, remove_kept_copies

REVIEW = "ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx"


def test_every_kept_copy_of_the_review_is_deleted_and_nothing_else(tmp_path):
    review = tmp_path / REVIEW
    review.write_bytes(b"new")
    copies = [
        kept_name(review, dt.datetime(2024, 1, 5, 10, 15)),
        review.with_name(review.stem + ".ban-cu-20240105-101500-2.xlsx"),
    ]
    others = [
        review.with_name(review.stem + ".ban-cu-ghi-chu.xlsx"),
        tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son.ban-cu-20240105-101500.docx",
        tmp_path / "ke-hoach-giam-ngheo-2023-xa-tan-lap-ra-soat.ban-cu-20240105-101500.xlsx",
    ]
    for path in copies + others:
        path.write_bytes(b"old")
    assert remove_kept_copies(review) == (2, ())
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([review.name, *(path.name for path in others)])


def test_a_name_with_glob_characters_is_matched_literally(tmp_path):
    review = tmp_path / "ke-hoach-[thu]-ra-soat.xlsx"
    copy = kept_name(review)
    copy.write_bytes(b"old")
    (tmp_path / "ke-hoach-t-ra-soat.ban-cu-20240105-101500.xlsx").write_bytes(b"other")
    assert remove_kept_copies(review) == (1, ())
    assert not copy.exists() and len(list(tmp_path.iterdir())) == 1


def test_a_copy_that_cannot_be_deleted_is_returned_and_the_others_deleted(tmp_path, monkeypatch):
    review = tmp_path / REVIEW
    held, free = (review.with_name(f"{review.stem}.ban-cu-2024010{day}-101500.xlsx") for day in (5, 6))
    for path in (held, free):
        path.write_bytes(b"old")
    unlink = Path.unlink

    def refusing(path, missing_ok=False):
        if path == held:
            raise PermissionError(13, "Permission denied")
        unlink(path, missing_ok)

    monkeypatch.setattr(Path, "unlink", refusing)
    assert remove_kept_copies(review) == (1, (held,))
    assert held.exists() and not free.exists()
