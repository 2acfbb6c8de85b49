"""The names of the files a run writes: the year and the commune tell plans apart."""
from __future__ import annotations

from povertyplan.contract.model import GeneralInfo
from povertyplan.contract.schema import LEVELS
from povertyplan.contract.vnformat import slug


def plan_filename(info: GeneralInfo) -> str:
    """``ke-hoach-giam-ngheo-2023-phuong-bac-son.docx``."""
    return f"ke-hoach-giam-ngheo-{info.year}-{slug(LEVELS[info.level][0] + ' ' + info.name)}.docx"


def review_filename(info: GeneralInfo) -> str:
    """``ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx``: beside the plan it belongs to."""
    return plan_filename(info).removesuffix(".docx") + "-ra-soat.xlsx"


def summary_filename(year: int) -> str:
    """``tong-hop-2023.xlsx``: the summary of a batch's plans of `year`, beside them."""
    return f"tong-hop-{year}.xlsx"
