"""The Import page (pages/import_data.py): files as users have them, checked before writing.

Modules: `panels` (sources, preview, column mapping, options and the target)
and `run` (the check, the confirmation, the import and its report).
"""
