"""Warnings GridMap itself emits (turned into errors in the test suite)."""


class GridmapWarning(UserWarning):
    """Base class of GridMap's own warnings."""
