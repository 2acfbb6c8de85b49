"""Stage 2, validate: rows read from each sheet to the `contract.model.Workbook`, with every
problem collected (`collector`) instead of stopping at the first. `workbook.read_workbook` runs
stages 1 and 2."""
