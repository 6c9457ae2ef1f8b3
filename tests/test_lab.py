"""The notebooks in a real JupyterLab: the mask explorer of `14_interpret` runs, renders, and answers its controls.

Starts `jupyter lab` on 127.0.0.1 with a token (autosave off, on a copy of the notebook, so the repository is never
written; every cell rendered, not only those in view), opens the explorer's notebook in headless Chromium through Playwright, runs every cell, and checks in the page
that the explorer's picture appears, that changing the photo, the layer and K redraws it, that it names the weights it
shows, and that the upload takes a real JPEG from `../shared/data`. Screenshots are left in `_lab_screens/`.

Skips, saying why, where Chromium (Debian's `chromium`), Playwright, JupyterLab or `../shared/data` is missing.
"""
import json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get('FILTERVIT_SHARED_DATA') or ROOT.parent / 'shared' / 'data')
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
JUPYTER = Path(sys.executable).parent / 'jupyter'
FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update']

def _missing():
    if CHROMIUM is None: return "Chromium is not installed (Debian package `chromium`)"
    for mod in ('playwright', 'jupyterlab', 'ipywidgets'):
        try: __import__(mod)
        except ImportError: return f"{mod} is not installed (requirements-dev.txt)"
    if not (SHARED / 'imagenet-samples-img100-s1').is_dir(): return f"the shared photos are not in {SHARED}"
    return None

pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))

@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp('lab')
    nb = json.loads((ROOT / 'nbs' / '14_interpret.ipynb').read_text())   # a copy, without the cell that re-exports the package
    nb['cells'] = [c for c in nb['cells'] if 'nbdev_export' not in ''.join(c['source'])]
    (work / 'nbs').mkdir(); (work / 'nbs' / '14_interpret.ipynb').write_text(json.dumps(nb))
    (work / 'runs').symlink_to(ROOT / 'runs')                            # the notebook's ../runs: the committed study
    settings = work / 'settings' / '@jupyterlab' / 'docmanager-extension'; settings.mkdir(parents=True)
    (settings / 'plugin.jupyterlab-settings').write_text('{"autosave": false}')
    tracker = work / 'settings' / '@jupyterlab' / 'notebook-extension'; tracker.mkdir(parents=True)
    (tracker / 'tracker.jupyterlab-settings').write_text('{"windowingMode": "none"}')   # every cell in the page, not only those in view
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = {**os.environ, 'JUPYTERLAB_SETTINGS_DIR': str(work / 'settings'), 'FILTERVIT_SHARED_DATA': str(SHARED),
           'JUPYTER_RUNTIME_DIR': str(work / 'runtime'), 'OMP_NUM_THREADS': '2'}
    server = subprocess.Popen([str(JUPYTER), 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', f'--IdentityProvider.token={token}',
                               f'--ServerApp.root_dir={work}', '--ServerApp.open_browser=False', *(['--allow-root'] if os.geteuid() == 0 else [])],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(work / 'server.log', 'w'))
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try: urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2); break
        except OSError: time.sleep(0.5)
    else: server.kill(); pytest.fail(f"JupyterLab did not start: {(work / 'server.log').read_text()[-2000:]}")
    yield url, token, work
    server.terminate(); server.wait(30)

def picture(page) -> str:
    "The explorer's current picture (a PNG data URL), once there is one."
    # the first picture comes after "Run All Cells" has run every cell above the explorer on 2 cores: ~200-240 s alone
    # (a CI run timed out at 240 s), so the first wait allows twice that; later pictures are one draw each
    page.wait_for_selector('.widget-vbox .jp-OutputArea-output img', timeout=480_000)
    return page.eval_on_selector('.widget-vbox .jp-OutputArea-output img', 'e => e.src')

def redrawn(page, before: str) -> str:
    "Wait until the explorer's picture differs from `before`; return it."
    page.wait_for_function("b => { const i = document.querySelector('.widget-vbox .jp-OutputArea-output img'); return i && i.src !== b; }",
                           arg=before, timeout=120_000)
    return picture(page)

def test_the_explorer_runs_and_answers_its_controls(lab):
    from playwright.sync_api import sync_playwright
    url, token, work = lab
    shots = ROOT / '_lab_screens'; shots.mkdir(exist_ok=True)
    jpeg = sorted((SHARED / 'imagenet-samples-img100-s1').glob('*.JPEG'))[-1]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={'width': 1400, 'height': 1000})
        try: explore(page, url, token, jpeg, shots)
        except Exception:
            page.screenshot(path=str(shots / 'failure.png'))
            print(page.inner_text('.jp-Notebook')[-4000:] if page.locator('.jp-Notebook').count() else page.content()[-4000:])
            raise
        finally: browser.close()

def explore(page, url, token, jpeg, shots):
    page.goto(f"{url}/lab/tree/nbs/14_interpret.ipynb?token={token}")
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=120_000)
    page.wait_for_selector('text=Kernel status: Idle', state='attached', timeout=120_000)        # the kernel has started
    page.wait_for_timeout(2000)                                       # let the notebook panel settle before the menu
    page.click('.lm-MenuBar-itemLabel:text-is("Run")')
    page.wait_for_selector('.lm-Menu-itemLabel:text-is("Run All Cells")')
    page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
    first = picture(page)
    page.locator('.widget-vbox').first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / '1_explorer.png'))
    desc = page.inner_text('.widget-vbox .widget-html')
    assert desc.startswith('FilterViT:') and ('trained' in desc or 'UNTRAINED' in desc), desc     # it names its weights
    selects = page.locator('.widget-vbox .widget-dropdown select')                                  # photo, layer
    selects.nth(1).select_option('1'); after_layer = redrawn(page, first)
    page.screenshot(path=str(shots / '2_layer1.png'))
    readout = page.locator('.widget-vbox .widget-readout').first                                   # K
    readout.click(); page.keyboard.press('Control+A'); page.keyboard.type('32'); page.keyboard.press('Enter')
    after_k = redrawn(page, after_layer)
    page.screenshot(path=str(shots / '3_k32.png'))
    options = selects.nth(0).locator('option').all_inner_texts()
    selects.nth(0).select_option(options[2]); after_photo = redrawn(page, after_k)
    with page.expect_file_chooser() as chooser: page.click('.widget-vbox .widget-upload')      # the upload path
    chooser.value.set_files(str(jpeg))
    page.wait_for_function("n => [...document.querySelectorAll('.widget-vbox .widget-dropdown select option')].some(o => o.textContent === n)",
                           arg=jpeg.name, timeout=60_000)
    # the handler adds the option, then selects it: two messages, so the test waits for the second, not only the first
    page.wait_for_function("n => { const s = document.querySelector('.widget-vbox .widget-dropdown select'); return s && s.value === n; }",
                           arg=jpeg.name, timeout=60_000)
    redrawn(page, after_photo)
    assert selects.nth(0).input_value() == jpeg.name
    page.screenshot(path=str(shots / '4_upload.png'))
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]:has-text("Traceback")').count()
    assert errors == 0, 'a cell of the notebook raised'
