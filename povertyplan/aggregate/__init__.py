"""Stage 3, aggregate: the figures of the plan (`figures`: rates, targets, totals) and the
register assessed under the poverty standard (`classify`, `assessment`). Pure functions on the
validated workbook."""
