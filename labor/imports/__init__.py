"""Spreadsheet imports of worker rosters, placements and monthly payroll: read the file (formulas as
their values), check every row set-based, preview the problems, then import every valid row or
nothing in one transaction. Rows are matched, so the same file twice changes nothing."""
