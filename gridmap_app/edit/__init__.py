"""The Edit grids page (pages/edit_grids.py): split, merge, reshape and draw grids, review, save.

Modules: `panels` (the operation form, the drawing map, the attribute table
and building the edits) and `review` (the pending review, the save form and
the history).
"""
