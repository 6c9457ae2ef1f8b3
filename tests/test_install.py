"""`pip install .` gives a package that imports and builds every model without nbdev or Jupyter.

The wheel is built from this checkout and installed (without dependencies) into a fresh virtual environment. The heavy
run-time dependencies (torch, timm, ...) are borrowed from the development environment through a path entry, while an
import hook makes nbdev, execnb, IPython, Jupyter and ipywidgets unimportable: if the package needed any of them at import
or build time, this test fails.
"""
import os, subprocess, sys, sysconfig, textwrap
import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCKED = ('nbdev', 'execnb', 'IPython', 'ipykernel', 'ipywidgets', 'jupyter_client', 'jupyter_core', 'notebook')

CLEAN_ENV = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}   # no checkout on the path, whatever the caller set

def run(*cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=CLEAN_ENV, **kw)
    assert r.returncode == 0, f"{cmd} failed:\n{r.stdout}\n{r.stderr}"
    return r.stdout

@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    "(wheel, venv, its python): the wheel built from this checkout, installed without dependencies in a fresh venv that borrows them."
    tmp_path = tmp_path_factory.mktemp('install')
    run(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', tmp_path / 'dist', ROOT)
    wheel, = (tmp_path / 'dist').glob('filtervit-*.whl')
    venv = tmp_path / 'fresh'
    run(sys.executable, '-m', 'venv', '--without-pip', venv)
    py = venv / 'bin' / 'python'
    run(sys.executable, '-m', 'pip', '--python', py, 'install', '-q', '--no-deps', wheel)
    site = Path(run(py, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])').strip())
    (site / '_borrowed_deps.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')
    return wheel, venv, py

def test_wheel_installs_and_builds_models_without_nbdev_or_jupyter(installed, tmp_path):
    wheel, venv, py = installed
    script = textwrap.dedent(f"""
        import sys, importlib.abc
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name.split('.')[0] in {BLOCKED!r}: raise ModuleNotFoundError(f"{{name}} is blocked in this test")
        sys.meta_path.insert(0, Block())
        import torch, timm, filtervit
        assert filtervit.__file__.startswith({str(venv)!r}), filtervit.__file__
        x = torch.randn(2, 3, 224, 224)
        for name, n in [('filtervit_xs', 1_894_381), ('dropoutvit_xs', 1_875_556)]:
            m = timm.create_model(name, num_classes=100).eval()
            assert sum(p.numel() for p in m.parameters()) == n
            with torch.no_grad(): assert m(x).shape == (2, 100)
        loaded = sorted(k for k in sys.modules if k.split('.')[0] in {BLOCKED!r})
        assert not loaded, loaded
        print('ok', filtervit.__version__)
    """)
    out = run(py, '-c', script, cwd=tmp_path)
    assert out.startswith('ok ')


def test_wheel_ships_the_pretrained_tags_and_classifies_a_photo_offline(installed, tmp_path):
    """From the installed wheel alone (run from tmp_path, no checkout on the path): `filtervit_xs.in10_112` with
    pretrained=True loads the packaged weights, and with the cfg's own preprocessing classifies a real Imagenette photo as
    the study's run did (a photo the run got right, read from its preds.npz). Prints the wheel's size."""
    import numpy as np
    mini = ROOT.parent / 'shared' / 'data' / 'imagenette2-224-mini' / 'val'
    preds = ROOT / 'runs' / 'study-imagenette-112' / 'filtervit_xs-s2' / 'preds.npz'
    if not (mini.is_dir() and preds.exists()): pytest.skip(f"{mini} or {preds} is absent")
    with np.load(preds) as z:
        right = z['preds'][int(z['best_epoch'])] == z['targets']
        photos = [(mini / str(p), int(t)) for p, t, ok in zip(z['paths'], z['targets'], right) if ok and (mini / str(p)).exists()]
    photo, label = photos[len(photos) // 2]
    wheel, venv, py = installed
    print(f"\nwheel {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB")
    script = textwrap.dedent(f"""
        import torch, timm, filtervit
        from PIL import Image
        torch.set_num_threads(1)
        assert filtervit.__file__.startswith({str(venv)!r}), filtervit.__file__
        assert timm.list_pretrained('filtervit*') == ['filtervit_xs.in10_112'], timm.list_pretrained('filtervit*')
        m = timm.create_model('filtervit_xs.in10_112', pretrained=True).eval()
        assert m.pretrained_cfg['file'].startswith({str(venv)!r}), m.pretrained_cfg['file']
        tf = timm.data.create_transform(**timm.data.resolve_data_config(model=m))
        with torch.no_grad(): logits = m(tf(Image.open({str(photo)!r}).convert('RGB'))[None])
        c = int(logits.argmax())
        print(c, m.pretrained_cfg['label_descriptions'][m.pretrained_cfg['label_names'][c]])
    """)
    out = run(py, '-c', script, cwd=tmp_path).split()
    print(f"{photo.name} (class {label}): predicted {' '.join(out)}")
    assert int(out[0]) == label, (out, label)
