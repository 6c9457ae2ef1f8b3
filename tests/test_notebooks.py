"""What the docs build runs of each notebook: imports, exported definitions and `show_doc`, nothing else.

nbdev's `exec_show_docs` (run by `tools/docs.py`) executes every cell of a notebook with exports that holds an import, an
export directive or a `show_doc` call, from the repository root rather than from `nbs/`. A test or demo that shares a
cell with an import is therefore run by the docs build, with paths such as `../runs` pointing outside the checkout (a CI
run failed so). Each such cell must hold imports and `show_doc` calls only; tests and demos keep to cells of their own.
"""
import ast, json, warnings
from pathlib import Path
import pytest
from nbdev.process import NBProcessor
from nbdev.processors import _do_eval, add_show_docs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / 'nbs').glob('*.ipynb'))
DOC_DIRECTIVES = {'export', 'exports', 'exporti', 'exec_doc'}

def _harmless(stmt: ast.stmt) -> bool:
    "An import, `show_doc(...)`, or `warnings.filterwarnings(...)`: what a cell the docs build runs may hold."
    if isinstance(stmt, (ast.Import, ast.ImportFrom)): return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        f = stmt.value.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ''
        return name in ('show_doc', 'filterwarnings')
    return False

def docs_executed(path: Path) -> list:
    "(cell index, first line) of each cell that nbdev's docs processing would run although it is neither an export nor imports and `show_doc`."
    proc = NBProcessor(path, procs=[add_show_docs]); proc.process()   # as the docs build: it decides `has_docs_`
    if not proc.nb.has_docs_: return []
    bad = []
    for c in proc.nb.cells:
        if c.cell_type != 'code' or c.directives_.keys() & DOC_DIRECTIVES: continue
        with warnings.catch_warnings():   # nbdev warns of 'imports and other code': this test reports those cells itself
            warnings.simplefilter('ignore'); run = _do_eval(c)
        if run and not all(_harmless(s) for s in ast.parse(c.source).body):
            bad.append((c.idx_, c.source.strip().splitlines()[0]))
    return bad

@pytest.mark.parametrize('path', NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_docs_build_runs_no_test_or_demo(path):
    assert docs_executed(path) == [], f"{path.name}: cells the docs build would run (move their imports to the import cell)"

def test_the_check_catches_a_mixed_cell(tmp_path):
    nb = json.loads(NOTEBOOKS[0].read_text())
    nb['cells'].append(dict(cell_type='code', id='mixed', metadata={}, outputs=[], execution_count=None,
                            source="import json\nprint(json.loads('1'))"))
    (tmp_path / 'mixed.ipynb').write_text(json.dumps(nb))
    assert [s for _, s in docs_executed(tmp_path / 'mixed.ipynb')] == ['import json']
