"Modules depend only downward: a module exported from notebook NN (or NNa, after NN) imports only modules of notebooks before it."
import ast, re
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / 'filtervit'

def chapter_of() -> dict[str, tuple[int, str]]:
    "Module name -> (number, letter) of the notebook it is exported from: `10_recipe` -> (10, ''), `10a_train` -> (10, 'a')."
    out = {}
    for f in PKG.glob('*.py'):
        m = re.search(r'File to edit: \.\./nbs/(\d+)([a-z]?)_\w+\.ipynb', f.read_text())
        if m: out[f.stem] = (int(m[1]), m[2])
    return out

def package_imports(f: Path) -> set[str]:
    "The filtervit modules `f` imports (relative or absolute), at any depth of its code."
    mods = set()
    for node in ast.walk(ast.parse(f.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module: mods.add(node.module.split('.')[0])
            elif node.level == 1: mods.update(a.name for a in node.names)
            elif node.module and node.module.startswith('filtervit.'): mods.add(node.module.split('.')[1])
            elif node.module == 'filtervit': mods.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            mods.update(a.name.split('.')[1] for a in node.names if a.name.startswith('filtervit.'))
    return mods

def test_every_module_comes_from_a_numbered_notebook():
    assert set(chapter_of()) == {f.stem for f in PKG.glob('*.py')} - {'__init__', '_modidx'}

def test_no_module_imports_a_later_chapter():
    num = chapter_of()
    upward = [(m, dep, num[m], num[dep]) for m in num for dep in package_imports(PKG / f'{m}.py')
              if dep in num and num[dep] >= num[m] and dep != m]
    assert not upward, f"modules importing a later (or the same) chapter: {upward}"

def test_chapters_order_by_number_then_letter():
    num = chapter_of()
    assert num['recipe'] < num['train'] < num['deploy'], (num['recipe'], num['train'], num['deploy'])

def test_run_folders_have_one_reader_below_their_readers():
    """Issue 25: `runs` (09a) is the one reader of a run folder (names, "finished", the log, predictions, weights). It needs
    only the core and the models, so it sits below the recipe and every chapter that reads runs; the figures no longer
    stand on the bench and the export."""
    num = chapter_of()
    readers = ('recipe', 'train', 'deploy', 'figures', 'interpret', 'study', 'verdicts')
    assert all(num['data'] < num['runs'] < num[m] for m in readers), {m: num[m] for m in ('runs',) + readers}
    assert package_imports(PKG / 'runs.py') == {'core', 'models'}, package_imports(PKG / 'runs.py')
    assert not package_imports(PKG / 'figures.py') & {'bench', 'deploy'}, package_imports(PKG / 'figures.py')
    assert 'runs' in package_imports(PKG / 'verdicts.py') and 'study' not in package_imports(PKG / 'verdicts.py')

def test_the_checker_sees_an_upward_import(tmp_path):
    f = tmp_path / 'x.py'
    f.write_text("from .study import study\nimport filtervit.train\ndef g():\n    from filtervit.bench import main\n")
    assert package_imports(f) == {'study', 'train', 'bench'}

def test_the_package_door_loads_only_the_models():
    """`filtervit/__init__.py` (hand-written) imports `models` alone, so that `import filtervit` registers the models
    with timm and nothing more. Python runs it before any submodule, so `import filtervit.core` loads chapter 08 too:
    the price of timm's registration on import, the contract users rely on (`import filtervit; timm.create_model(...)`)."""
    assert package_imports(PKG / '__init__.py') == {'models'}
    num = chapter_of()
    def closure(m, seen=()):
        deps = package_imports(PKG / f'{m}.py') & set(num)
        return set(deps).union(*(closure(d, seen + (m,)) for d in deps if d not in seen))
    assert all(num[d] <= num['models'] for d in closure('models')), closure('models')

def test_importing_the_package_registers_both_models():
    import subprocess, sys
    code = ("import sys, timm, filtervit; print(sorted(timm.list_models(['filtervit*', 'dropoutvit*'])));"
            "print(sorted(m for m in sys.modules if m.startswith('filtervit.')))")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=PKG.parent, check=True).stdout
    names, mods = out.splitlines()
    assert names == "['dropoutvit_xs', 'filtervit_xs']", names
    assert 'filtervit.train' not in mods and 'filtervit.study' not in mods, mods   # nothing above the models floor
