"""What a one-ward run loads: only what its plan needs, and nothing costly to set up."""

from __future__ import annotations

import subprocess
import sys

from povertyplan.render.wordml import NOT_XML_CHARACTERS

from tests.paths import ROOT

EXAMPLE = ROOT / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx"


def _is_xml_char(code: int) -> bool:
    """XML 1.0, production [2] Char."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def test_exactly_the_characters_xml_refuses_are_dropped():
    refused = NOT_XML_CHARACTERS.findall("".join(map(chr, range(0x110000))))
    assert refused == [chr(code) for code in range(0x110000) if not _is_xml_char(code)]


def test_a_plan_without_register_data_does_not_load_the_review_list_writer(tmp_path):
    code = (
        "import sys; from povertyplan import api; "
        f"result = api.generate({str(EXAMPLE)!r}, {str(tmp_path)!r}); "
        "print(result.review, sorted(m for m in sys.modules if m in ('povertyplan.compose.review', "
        "'povertyplan.render.xlsx')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.stdout.split() == ["None", "[]"], run.stderr
