"""Stage 4, compose: the plan as a `document.PlanDocument` (wording rendered from the editable
template by `templating`, marked up as in `prose`), the review list and the blank workbook as
sheet descriptions. Writes nothing."""
