"""The Inspections page (pages/inspections.py): heat, tallies, compliance, hazards, recording.

Modules: `panels` (the views offered and their order), `loading` (cached
analysis on plain values), `widgets` (labels, maps, outlines and filters the
views share), `views` (heat map, missing inspections, tallies), `compliance`
(schedule compliance), `hazards` (the hazard closed loop) and `records` (the
recording form at a map click).
"""
