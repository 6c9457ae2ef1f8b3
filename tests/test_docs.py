"""The docs site builds offline from the notebooks, and every page works in a real (headless Chromium) browser.

Skips, saying why, where Chromium (Debian's `chromium`), Playwright or MkDocs is missing. Screenshots of every page are
left in `_site_screens/` for a person to look at.
"""
import functools, http.server, json, shutil, subprocess, sys, threading
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']

def _missing():
    if CHROMIUM is None: return "Chromium is not installed (Debian package `chromium`)"
    if shutil.which('npm') is None: return "npm is not installed: the site's MathJax and Mermaid come from the npm registry"
    for mod in ('playwright', 'mkdocs', 'mkdocs_jupyter', 'material'):
        try: __import__(mod)
        except ImportError: return f"{mod} is not installed (requirements-dev.txt)"
    return None

pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))

@pytest.fixture(scope='module')
def site():
    r = subprocess.run([sys.executable, 'tools/docs.py'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / '_site'))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()

def test_every_page_loads_without_errors_and_shows_its_figures(site):
    from playwright.sync_api import sync_playwright
    notebooks = sorted(p.stem for p in (ROOT / 'nbs').glob('*.ipynb'))
    shots = ROOT / '_site_screens'; shots.mkdir(exist_ok=True)
    report = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={'width': 1280, 'height': 900})
        errors = []
        page.on('console', lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == 'error' else None)
        page.on('pageerror', lambda e: errors.append(f"page error: {e}"))
        # a request cut off by the next navigation (the previous page's favicon, say) is not the page's fault; a file the
        # site lacks answers 404, which the `response` handler reports
        page.on('requestfailed', lambda r: None if r.failure == 'net::ERR_ABORTED' else
                errors.append(f"request failed ({r.failure}): {r.url}"))
        page.on('response', lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(f"{site}/index.html", wait_until='networkidle')
        nav = set(page.eval_on_selector_all('nav a.md-nav__link[href]', 'els => els.map(e => e.getAttribute("href"))'))
        missing = [n for n in notebooks if f"{n}.html" not in nav and not (n == 'index' and ('index.html' in nav or '.' in nav))]
        assert not missing, f"not reachable from the navigation: {missing}"
        svg = page.eval_on_selector_all('.fv-diagram svg', 'els => els.map(e => e.getBoundingClientRect().height)')
        assert svg and min(svg) > 20, f"the home page's diagram did not render: {svg}"
        for n in notebooks:
            errors.clear()
            page.goto(f"{site}/{n}.html", wait_until='networkidle')
            imgs = page.eval_on_selector_all('article img', 'els => els.map(e => [e.getAttribute("src").slice(0, 40), e.complete && e.naturalWidth > 0])')
            broken = [src for src, ok in imgs if not ok]
            title = page.title()
            page.screenshot(path=str(shots / f"{n}.png"), full_page=n in ('index', '13_figures'))
            report[n] = dict(title=title, images=len(imgs), errors=list(errors))
            assert not errors, f"{n}: {errors}"
            assert not broken, f"{n}: images that did not display: {broken}"
        browser.close()
    (shots / 'report.json').write_text(json.dumps(report, indent=1))
    assert report['03_mask']['images'] >= 1
    for n in ('index', '13_figures', '16_verdicts'):   # the committed figures/: Figs. 3, 4 and 6 (seed bands) and Fig. 5
        assert report[n]['images'] >= 2, (n, report[n])
