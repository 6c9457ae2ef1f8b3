"The console scripts are installed, document their options, and fail with a clear message on bad input."
import configparser, importlib, re, subprocess, sys
from pathlib import Path
import pytest

BIN = Path(sys.executable).parent
_INI = configparser.ConfigParser(); _INI.read(Path(__file__).parents[1] / 'settings.ini')
ENTRY = dict(e.split('=') for e in _INI['DEFAULT']['console_scripts'].split())   # filtervit-train: filtervit.train:main
SCRIPTS = list(ENTRY)

def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300)

@pytest.mark.parametrize('script', SCRIPTS)
def test_help(script):
    exe = BIN / script
    assert exe.exists(), f"{script} is not installed (pip install -e .)"
    r = run(exe, '--help')
    assert r.returncode == 0 and 'usage:' in r.stdout, r.stderr

@pytest.mark.parametrize('script', SCRIPTS)
def test_program_name_is_the_console_script(script, capsys):
    "Each console script's usage and errors name it (00_core's prog_name: filtervit-<function>), one place for every command."
    module, func = ENTRY[script].split(':')
    with pytest.raises(SystemExit) as e: getattr(importlib.import_module(module), func)(['--help'])
    assert e.value.code == 0 and capsys.readouterr().out.startswith(f'usage: {script} '), script

def test_train_help_documents_every_option():
    out = run(BIN / 'filtervit-train', '--help').stdout
    for opt in ('--model', '--data', '--epochs', '--bs', '--lr', '--img-size', '--limit-per-class', '--out', '--resume',
                '--seed', '--device'):
        assert opt in out, opt

@pytest.mark.parametrize('args,flag', [(['--epochs', '0'], '--epochs'), (['--epochs', '-1'], '--epochs'),
                                       (['--limit-per-class', '0'], '--limit-per-class'),
                                       (['--val-limit-per-class', '0'], '--val-limit-per-class')])
def test_train_bad_numbers_name_the_flag(tmp_path, args, flag):
    r = run(BIN / 'filtervit-train', '--data', tmp_path, '--out', tmp_path / 'out', *args)
    assert r.returncode == 2 and flag in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert not (tmp_path / 'out').exists()

def test_study_unknown_run_is_a_clear_error(tmp_path):
    r = run(BIN / 'filtervit-study', '--runs', 'nope-s0', '--results', tmp_path)
    assert r.returncode == 2 and 'not in the grid' in r.stderr and 'Traceback' not in r.stderr

def test_train_missing_data_is_a_clear_error(tmp_path):
    r = run(BIN / 'filtervit-train', '--data', tmp_path / 'nowhere', '--out', tmp_path / 'out', '--epochs', '1')
    assert r.returncode != 0
    assert 'does not exist' in r.stderr and 'Traceback' not in r.stderr

def test_train_empty_class_is_a_clear_error(tmp_path):
    for split in ('train', 'val'): (tmp_path / 'ds' / split / 'a').mkdir(parents=True)
    r = run(BIN / 'filtervit-train', '--data', tmp_path / 'ds', '--out', tmp_path / 'out', '--epochs', '1')
    assert r.returncode != 0 and 'empty class folder' in r.stderr and 'Traceback' not in r.stderr

def test_bench_unknown_variant_fails(tmp_path):
    r = run(BIN / 'filtervit-bench', '--models', 'filtervit_xs:fast', '--out', tmp_path)
    assert r.returncode != 0 and "--models: unknown ['filtervit_xs:fast']" in r.stderr and 'Traceback' not in r.stderr
    assert not (tmp_path / 'bench.csv').exists()   # refused before anything was measured

@pytest.mark.parametrize('threads', ['0', '-1'])
def test_bench_refuses_threads_below_one(tmp_path, threads):
    r = run(BIN / 'filtervit-bench', '--threads', threads, '--runtime', 'onnxruntime', 'openvino', '--train', '--out', tmp_path)
    assert r.returncode == 2 and r.stderr == f"filtervit-bench: error: --threads must be at least 1, got {threads}\n", r.stderr
    assert not (tmp_path / 'bench.csv').exists()   # refused before anything was measured

def test_figures_needs_a_runs_folder(tmp_path):
    r = run(BIN / 'filtervit-figures', '--runs', tmp_path / 'none')
    assert r.returncode == 2 and 'is not a folder' in r.stderr and 'Traceback' not in r.stderr

def test_figures_refuses_an_empty_runs_folder(tmp_path):
    r = run(BIN / 'filtervit-figures', '--runs', tmp_path, '--out', tmp_path / 'figs')
    assert r.returncode == 2 and 'holds no run' in r.stderr and 'Traceback' not in r.stderr
    assert not (tmp_path / 'figs').exists()

def test_interpret_needs_a_trained_run(tmp_path):
    r = run(BIN / 'filtervit-interpret', '--run', tmp_path)
    assert r.returncode == 2 and 'is not a trained run' in r.stderr and 'Traceback' not in r.stderr

@pytest.mark.parametrize('script', SCRIPTS)
def test_help_describes_every_option(script):
    "Every option of every command has help text, and no default is printed twice or as None."
    out = run(BIN / script, '--help').stdout
    entries = re.split(r'\n(?=  -)', out.split('options:\n', 1)[1].rstrip())
    assert len(entries) > 1, out
    for e in entries:   # an entry is the invocation, then its help on the same line (after 2+ spaces) or indented below
        m = re.match(r'(\S.*?)( {2,}|\n)(.*)', e.strip(), flags=re.S)
        invocation, help_text = (m.group(1), m.group(3)) if m else (e.strip(), '')
        assert help_text.strip(), f"{script}: {invocation} has no help text"
        assert help_text.count('(default') <= 1, f"{script}: {invocation} shows its default twice"
    assert '(default: None)' not in out, out

@pytest.mark.parametrize('args,says', [
    (['--bs', '1'], '--bs 1: filtervit_xs has BatchNorm, which in training mode needs more than one value per channel'),
    (['--img-size', '4000', '--bs', '64'], 'a training step of filtervit_xs needs about'),   # issue 26, row 13
    (['--data', 'img100:x:/p'], '--data img100:x:/p: expected img100:<subset 1-5>:<ImageNet folder>')])
def test_train_refuses_before_any_data_or_training(tmp_path, args, says):
    "One line naming the flag, exit status 2, before the data folder is even read (tmp_path has no train/ or val/)."
    r = run(BIN / 'filtervit-train', '--data', tmp_path, '--out', tmp_path / 'out', *args)
    assert r.returncode == 2 and 'Traceback' not in r.stderr, r.stderr
    line = next(l for l in r.stderr.splitlines() if l.startswith('filtervit-train: error: '))
    assert says in line and 'split is missing' not in r.stderr, r.stderr
    assert not (tmp_path / 'out').exists()

@pytest.mark.parametrize('args,msg', [(['--int8'], '--int8 needs --calibration <photo folder>'),
                                      (['--int8', '--calibration', '{tmp}'], 'holds no photo')])
def test_export_int8_needs_calibration_photos(tmp_path, args, msg):
    "`filtervit-export --int8` refuses, in one line and before exporting anything, without a folder of calibration photos."
    args = [a.format(tmp=tmp_path) for a in args]
    r = run(BIN / 'filtervit-export', '--onnx', tmp_path / 'm.onnx', '--untrained', *args)
    assert r.returncode == 2 and msg in r.stderr and r.stderr.count('\n') == 1, r.stderr
    assert not (tmp_path / 'm.onnx').exists()

@pytest.mark.parametrize('onnx,folder,why', [('/proc/x.onnx', '/proc', 'No such file or directory'),
                                             ('{tmp}/a_file/sub/m.onnx', '{tmp}/a_file', 'Not a directory')])
def test_export_refuses_an_unwritable_place_before_exporting(tmp_path, onnx, folder, why):
    """`filtervit-export --onnx` where no file can be written (procfs, below a file) is refused in one line, exit status 2,
    before any model is built or exported (it used to fail only after the export's minute of work)."""
    (tmp_path / 'a_file').write_text('x')
    onnx, folder = onnx.format(tmp=tmp_path), folder.format(tmp=tmp_path)
    r = run(BIN / 'filtervit-export', '--onnx', onnx, '--untrained')
    assert (r.returncode, r.stderr) == (2, f"filtervit-export: error: --onnx {onnx}: cannot write in {folder} ({why})\n"), r.stderr
    assert r.stdout == ''   # nothing exported: an export prints the file it wrote
