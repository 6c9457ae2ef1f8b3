"""Write README.md from nbs/index.ipynb (nbdev's convention) without quarto.

Markdown cells are copied as they are (image links into ../figures/ made relative to the repository root); visible code cells become ```python blocks followed by their text output.
Cells with a `#| hide` directive are left out; `#| echo: false` cells show their output only (as Markdown). `--check` exits 1 when README.md is stale.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render(nb_path: Path) -> str:
    parts = []
    for cell in json.loads(nb_path.read_text())['cells']:
        src = ''.join(cell['source']).rstrip()
        lines = src.splitlines()
        directives = [l for l in lines if l.startswith('#|')]
        if any(d.split()[1:2] == ['hide'] for d in directives): continue
        if cell['cell_type'] == 'markdown': parts.append(src.replace('](../figures/', '](figures/')); continue   # paths from the repository root
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        echo = not any(d.replace(' ', '') in ('#|echo:false', '#|echo:False') for d in directives)
        if code and echo: parts.append(f"```python\n{code}\n```")
        out = ''.join(''.join(o.get('text', '')) if o.get('output_type') == 'stream'
                      else ''.join(o.get('data', {}).get('text/markdown', o.get('data', {}).get('text/plain', '')))
                      for o in cell.get('outputs', []))
        if out.strip(): parts.append(f"```\n{out.rstrip()}\n```" if echo else out.rstrip())
    return '<!-- generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text, readme = render(root / 'nbs' / 'index.ipynb'), root / 'README.md'
    if '--check' in sys.argv:
        if readme.read_text() != text: sys.exit("README.md is stale: run `make readme` (it is generated from nbs/index.ipynb)")
    else: readme.write_text(text)
