"""Tests of the `gridmap` command line: a package, so its conftest.py is `cli.conftest`."""
