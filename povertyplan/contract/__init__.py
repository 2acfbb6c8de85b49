"""The contract every stage shares: the workbook's Vietnamese sheet, column and item names
(`schema`), the data model the stages pass on (`model`), the poverty standards (`standards`) and
the Vietnamese way of writing numbers and dates (`vnformat`). Imports no other stage."""
