"""Run the ``gridmap`` command as ``python -m gridmap.cli``."""

from gridmap.cli import run

run()
