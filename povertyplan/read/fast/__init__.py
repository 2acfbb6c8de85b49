"""The hand-written column reader for large registers (measured: see benchmarks/RESULTS.md).

Contract: given a sheet of an .xlsx, return exactly the values openpyxl would read for the
register's columns, or None for any XML it does not know, so that openpyxl reads that sheet.
It never raises on damaged XML."""
