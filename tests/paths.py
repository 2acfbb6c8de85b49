"""Where the tests find the project and its files, from any folder of tests/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx"
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"
