"""Stage 1, read: a workbook file to rows of cell values, checked for safety first.

`xlsx` speaks openpyxl; `bigsheet` and `fast/` read the register of a large workbook column-wise;
`sheets` finds sheets and header rows; `cells` and `textcolumns` turn cell values into clean text
and numbers. Imports only `contract` and `errors`."""
