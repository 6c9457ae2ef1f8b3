"""Run notebooks top to bottom and save their outputs (what the docs and README show), in `nbs/` as the working directory.

    python tools/execute.py nbs/index.ipynb nbs/16_verdicts.ipynb

Only for notebooks whose cells are quick or whose outputs should be refreshed from committed results; nbdev_clean after.
"""
import os, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def execute(path: Path):
    nb = read_nb(path)
    cwd = os.getcwd(); os.chdir(path.parent)
    try:
        shell = CaptureShell()
        shell.run_all(nb, exc_stop=True)
    finally: os.chdir(cwd)
    write_nb(nb, path)

if __name__ == '__main__':
    for p in sys.argv[1:]: execute(Path(p).resolve()); print(f"executed {p}")
