"""The names of the files a run writes: the year and the commune tell plans apart."""

from __future__ import annotations

from povertyplan.contract.model import GeneralInfo
from povertyplan.contract.schema import LEVELS
from povertyplan.contract.vnformat import slug


# File systems refuse names over 255 bytes; the commune's part is cut well before, so that the
# review list's and previous versions' longer names fit too.
MAX_COMMUNE_CHARS = 80


def plan_filename(info: GeneralInfo) -> str:
    """``ke-hoach-giam-ngheo-2023-phuong-bac-son.docx``."""
    commune = slug(LEVELS[info.level][0] + " " + info.name)[:MAX_COMMUNE_CHARS].rstrip("-")
    return f"ke-hoach-giam-ngheo-{info.year}-{commune}.docx"


def review_filename(info: GeneralInfo) -> str:
    """``ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx``: beside the plan it belongs to."""
    return plan_filename(info).removesuffix(".docx") + "-ra-soat.xlsx"


def summary_filename(year: int) -> str:
    """``tong-hop-2023.xlsx``: the summary of a batch's plans of `year`, beside them."""
    return f"tong-hop-{year}.xlsx"
