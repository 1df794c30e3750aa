"""The Assessment page (pages/assessment.py): the ranked scorecard, its workbook and the score map.

Modules: `loading` (the cached assessment, keyed on plain values; the Plan
records page reads its cached records too) and `panels` (options, KPIs, tables
and the score map).
"""
