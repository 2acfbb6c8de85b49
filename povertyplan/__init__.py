"""Plan generator: a commune's Excel workbook in, its Nghị định 30 poverty-reduction plan out."""
from povertyplan.api import check, generate

__all__ = ["check", "generate"]
__version__ = "1.0.0"
