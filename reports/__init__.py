"""Reports from a snapshot of a plan: the workbook in the plan's own table, the chart and the
report draft. Pure functions, snapshot in, bytes out; the heavy libraries (openpyxl, docx,
matplotlib) are imported by the module that builds each file, never here."""
