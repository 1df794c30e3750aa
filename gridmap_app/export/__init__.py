"""The Export page (pages/export.py): a print-ready map or a per-grid atlas as PDF.

Modules: `files` (the cached builders of a map's PDF and PNG and of an atlas's
PDF, zip and preview) and `panels` (the options form and the downloads).
"""
