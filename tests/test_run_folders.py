"""Run folders that two processes cannot corrupt (issue 26): a second `filtervit-train` on the same `--out` is refused
while the first runs, a killed run leaves no lock behind, and a run killed before its first checkpoint is not appended
to by a new one. On a tree of photos the test writes itself, so it runs with or without `../shared`.
"""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest

TRAIN = [sys.executable, '-m', 'filtervit.train', '--model', 'mobilenetv3_small_050', '--img-size', '48', '--bs', '4',
         '--no-progress', '--threads', '1']

@pytest.fixture(scope='module')
def photos(tmp_path_factory) -> Path:
    from filtervit.data import make_fake_image_tree
    return make_fake_image_tree(tmp_path_factory.mktemp('runs') / 'tree', ['a', 'b', 'c'], n_train=40, n_val=4, size=48)

def start(photos, out, *extra):
    return subprocess.Popen(TRAIN + ['--data', str(photos), '--out', str(out), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})

def wait_for(path: Path, proc, timeout=300):
    t0 = time.time()
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() - t0 < timeout, f"{path} never appeared"
        time.sleep(0.2)

def test_a_second_run_of_the_same_folder_is_refused(photos, tmp_path):
    out = tmp_path / 'run'
    first = start(photos, out, '--epochs', '30')
    try:
        wait_for(out / 'history.csv', first)                       # the first run is training and writing
        second = subprocess.run(TRAIN + ['--data', str(photos), '--out', str(out), '--epochs', '30', '--seed', '1'],
                                capture_output=True, text=True, timeout=300)
        assert second.returncode == 2, second.stderr[-2000:]
        assert f"is in use by process {first.pid}" in second.stderr, second.stderr[-2000:]
        assert 'Traceback' not in second.stderr, second.stderr[-2000:]
        header = (out / 'history.csv').read_text().splitlines()[0]
        assert (out / 'history.csv').read_text().count(header) == 1      # one log, one header
    finally:
        first.kill(); first.wait()
    # killed (SIGKILL): the lock went with the process, so the folder can be taken again at once
    r = subprocess.run([sys.executable, '-c', f"from filtervit.train import run_lock\nwith run_lock({str(out)!r}): print('taken')"],
                       capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == 'taken', r.stderr[-2000:]

def test_a_run_killed_before_its_first_checkpoint_is_not_appended_to(photos, tmp_path):
    out = tmp_path / 'run'
    (out).mkdir()
    (out / 'history.csv').write_text('epoch,train_loss,valid_loss,accuracy,lr,train_img_s,time\n0,1.0,1.0,0.5,0.0005,1.0,00:01\n')
    r = subprocess.run(TRAIN + ['--data', str(photos), '--out', str(out), '--epochs', '1'], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 2, r.stderr[-2000:]
    assert "holds an earlier run's files and no checkpoint to resume (history.csv)" in r.stderr, r.stderr[-2000:]
    assert (out / 'history.csv').read_text().count('\n') == 2           # untouched
