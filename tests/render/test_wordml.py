"""wordml writes lengths as python-docx wrote them."""

from __future__ import annotations

import pytest

from povertyplan.render import wordml


LENGTHS = [0, 0.5, 1, 2, 4, 6, 11, 12.5, 13, 14, 1.27, 10.0, 17.4, 27, 32.5, 37.5, 57.75, 82.5, 99.99, 165]


@pytest.mark.parametrize("value", LENGTHS)
def test_lengths_round_as_python_docx_rounds_them(value):
    from docx.shared import Mm, Pt

    assert wordml.pt_twips(value) == Pt(value).twips
    assert wordml.mm_twips(value) == Mm(value).twips
    assert wordml.half_points(value) == int(Pt(value).pt * 2)
