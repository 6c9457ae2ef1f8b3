"""Build the docs site offline: nbdev's own notebook processing, rendered by MkDocs (Material + mkdocs-jupyter).

nbdev 2 renders docs with quarto, which these machines cannot install. This keeps nbdev's processing (`proc_nbs`: the
`#| hide` / `#| export` / `#| echo` directives honoured, `show_doc` rendered to Markdown, nothing else executed, so slow
cells show their saved outputs) and hands the processed notebooks to MkDocs. Where quarto exists, `nbdev_docs` still works.

    python tools/docs.py            # -> _site/ (open _site/index.html)
"""
from __future__ import annotations
import html, json, os, re, shutil, subprocess, sys, warnings
import yaml
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC, SITE = ROOT / '_mkdocs', ROOT / '_site'

def directives(src: str) -> dict:
    return {m[0]: m[1].strip() for m in re.findall(r'^#\|\s*([\w-]+):?(.*)$', src, flags=re.M)}

def clean_notebook(path: Path) -> dict:
    "Strip `#|` lines from code, hide the input of `echo: false` cells, drop cells left empty."
    nb = json.loads(path.read_text())
    cells = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'raw' and src.startswith('---'):   # nbdev's front matter: the title and one-line summary
            meta = yaml.safe_load(src.strip().strip('-')) or {}
            nb['metadata']['title'] = meta.get('title', path.stem)
            c = dict(cell_type='markdown', metadata={}, source=f"# {nb['metadata']['title']}\n\n*{meta.get('description', '')}*")
        if c['cell_type'] == 'markdown':   # ```mermaid blocks become diagrams drawn by the vendored mermaid (diagrams.js)
            c['source'] = re.sub(r'```mermaid\n(.*?)```', lambda m: f'<div class="fv-diagram">\n{html.escape(m.group(1))}</div>',
                                 ''.join(c['source']), flags=re.S).replace('](../figures/', '](figures/')   # copied by build()
        if c['cell_type'] == 'code':
            src = ''.join(c['source'])
            d = directives(src)
            c['source'] = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            if d.get('echo') == 'false' or d.get('output') == 'asis':
                c.setdefault('metadata', {}).setdefault('tags', []).append('remove_input')
            for o in c.get('outputs', []):   # show_doc's Markdown carries quarto-only link attributes: drop them
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = re.sub(r'\{target="_blank"[^}]*\}', '', ''.join(md))
            if not c['source'] and not c.get('outputs'): continue
        cells.append(c)
    nb['cells'] = cells
    nb['metadata'].pop('widgets', None)   # no live widget state is saved; its presence would pull a widget manager from a CDN
    return nb


MATHJAX = '2.7.9'   # the MathJax 2 API that mkdocs-jupyter's notebook template configures
MERMAID = '11'
MATHJAX_PARTS = ('MathJax.js', 'config', 'extensions', 'jax/input/TeX', 'jax/output/CommonHTML', 'jax/element',
                 'fonts/HTML-CSS/TeX/woff', 'localization/en')

def npm_package(name: str, version: str) -> Path | None:
    "Folder of npm package `name@version`, installed once into `.docs-cache/`; None (with a message) without npm."
    cache = ROOT / '.docs-cache'
    pkg = cache / 'node_modules' / name
    ok = (pkg / 'package.json').exists() and json.loads((pkg / 'package.json').read_text())['version'].startswith(version)
    if not ok:
        if shutil.which('npm') is None:
            print(f"docs: npm not found, {name} is not vendored (see tools/docs.py)", file=sys.stderr)
            return None
        subprocess.run(['npm', 'install', '--silent', '--no-audit', '--no-fund', '--prefix', str(cache), f'{name}@{version}'],
                       check=True, timeout=300)
    return pkg

def vendor_assets(dest: Path) -> dict:
    "Copy MathJax and Mermaid under `dest` (the site works offline); mkdocs config entries that point to them."
    cfg = {}
    mj = npm_package('mathjax', MATHJAX)
    if mj:
        for part in MATHJAX_PARTS:
            src, dst = mj / part, dest / 'mathjax' / part
            dst.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
        cfg['mathjax'] = 'assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
    else: print("docs: formulas will show as TeX source", file=sys.stderr)
    mm = npm_package('mermaid', MERMAID)
    if mm:
        (dest / 'javascripts').mkdir(parents=True, exist_ok=True)
        shutil.copy2(mm / 'dist' / 'mermaid.min.js', dest / 'javascripts' / 'mermaid.min.js')
        (dest / 'javascripts' / 'diagrams.js').write_text(
            "document.addEventListener('DOMContentLoaded', () => {\n"
            "  mermaid.initialize({startOnLoad: false});\n"
            "  mermaid.run({nodes: document.querySelectorAll('.fv-diagram')});\n});\n")
        cfg['extra_javascript'] = ['assets/javascripts/mermaid.min.js', 'assets/javascripts/diagrams.js']
    else: print("docs: the diagram on the home page will show as its source", file=sys.stderr)
    return cfg

def build() -> int:
    cfg = ConfigParser(); cfg.read(ROOT / 'settings.ini'); cfg = cfg['DEFAULT']
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from nbdev.serve import proc_nbs
        proc_nbs(force=True, n_workers=0)
    shutil.rmtree(SRC, ignore_errors=True); (SRC / 'docs').mkdir(parents=True)
    assets = vendor_assets(SRC / 'docs' / 'assets')
    shutil.copytree(ROOT / 'figures', SRC / 'docs' / 'figures')   # the charts that pages show from ../figures/
    nav = []
    for p in sorted((ROOT / '_proc').glob('*.ipynb'), key=lambda p: (p.name != 'index.ipynb', p.name)):
        nb = clean_notebook(p)
        (SRC / 'docs' / p.name).write_text(json.dumps(nb))
        nav.append({('Home' if p.name == 'index.ipynb' else f"{p.stem.split('_')[0]}. {nb['metadata'].get('title', p.stem)}"): p.name})
    (SRC / 'mkdocs.yml').write_text(json.dumps({
        'site_name': cfg.get('lib_name', 'filtervit'), 'site_description': cfg.get('description', ''),
        'docs_dir': 'docs', 'site_dir': str(SITE), 'use_directory_urls': False, 'nav': nav,
        'extra_javascript': assets.get('extra_javascript', []),
        'theme': {'name': 'material', 'font': False, 'features': ['navigation.footer']},
        'markdown_extensions': ['tables', 'admonition'],
        'plugins': [{'mkdocs-jupyter': {'execute': False, 'include_source': False, 'no_prompt': True, 'include_requirejs': False,
                                        'custom_mathjax_url': assets.get('mathjax', ''),
                                        'remove_tag_config': {'remove_input_tags': ['remove_input']}}}],
    }, indent=1))
    env = dict(os.environ, NO_MKDOCS_2_WARNING='1')
    r = subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '-f', str(SRC / 'mkdocs.yml')], capture_output=True, text=True, env=env)
    print(r.stdout + r.stderr)
    print(f"{len(nav)} pages -> {SITE}")
    return r.returncode

if __name__ == '__main__': sys.exit(build())
