"README.md is generated from nbs/index.ipynb, opens with the two set-up commands, and .ci/run runs its test command."
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_readme_is_generated_from_index():
    r = subprocess.run([sys.executable, 'tools/readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    text = (ROOT / 'README.md').read_text()
    first_block = text.split('```bash\n', 1)[1].split('```', 1)[0]
    cmds = [l.split('#')[0].strip() for l in first_block.splitlines() if l.strip() and not l.startswith('#')]
    assert cmds == ['make reproduce', 'make test'], cmds
    assert 'make test' in (ROOT / '.ci' / 'run').read_text()
