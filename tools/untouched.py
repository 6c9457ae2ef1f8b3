"""Fail when a test wrote a tracked file: list the tracked files modified after STAMP (made when the tests began).

    python tools/untouched.py .venv/.test-start

A test writes into temporary folders; the committed figures, tables and notebooks are written by commands
(`make figures`, `make export`), never by `make test`. Identical rewrites count too: the check is on modification times.
"""
import subprocess, sys
from pathlib import Path

def touched(stamp: Path, root: Path) -> list[str]:
    "Tracked files under `root` modified after `stamp`."
    since = stamp.stat().st_mtime
    files = subprocess.run(['git', 'ls-files', '-z'], cwd=root, capture_output=True, check=True).stdout.decode().split('\0')
    return [f for f in files if f and (root / f).exists() and (root / f).stat().st_mtime > since]

if __name__ == '__main__':
    if len(sys.argv) != 2: sys.exit("usage: python tools/untouched.py STAMP")
    root, stamp = Path(__file__).resolve().parent.parent, Path(sys.argv[1])
    if not stamp.exists(): sys.exit(f"untouched: {stamp} is missing (it is made when the tests begin)")
    if not (root / '.git').exists(): print("untouched: not a git checkout, nothing to check"); sys.exit(0)
    bad = touched(stamp, root)
    if bad: sys.exit("the tests wrote tracked files (a test must write only temporary ones): " + ', '.join(bad))
    print("untouched: no test wrote a tracked file")
