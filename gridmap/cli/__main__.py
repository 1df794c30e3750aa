from gridmap.cli import run

run()
