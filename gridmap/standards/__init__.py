"""The plan's configurable tables (消防安全网格精细化管理方案), one module per table.

Each module holds one table of the plan as plain, frozen data with Chinese and
English labels. Functions that use a table take it as a keyword argument whose
default is the plan's, so a district with other rules passes its own table
instead of editing code. For example `gridmap.standards.inspections` holds who
inspects which grid how often (定期检查制度).
"""
