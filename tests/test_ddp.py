"""`filtervit-train` under `torchrun`: two processes on CPU (gloo) train one DistributedDataParallel model on a tree of
photos the test writes itself (10 classes, 8 training and 5 validation photos each), so it runs with or without
`../shared`. Only rank 0 writes; the validation accuracy is what one process computes with the same weights; a run killed
after its first epoch resumes.
"""
import json, os, signal, socket, subprocess, sys, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
TORCHRUN = Path(sys.executable).parent / 'torchrun'

@pytest.fixture(scope='module')
def photos(tmp_path_factory) -> Path:
    from filtervit.data import make_fake_image_tree
    return make_fake_image_tree(tmp_path_factory.mktemp('ddp') / 'tree', [f'class{i}' for i in range(10)],
                                n_train=8, n_val=5, size=72)

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def torchrun(data, out, *extra, wait=True):
    cmd = [str(TORCHRUN), '--nproc_per_node', '2', '--master_port', str(free_port()), '-m', 'filtervit.train',
           '--model', 'filtervit_xs', '--data', str(data), '--img-size', '64', '--bs', '8', '--limit-per-class', '8',
           '--val-limit-per-class', '5', '--seed', '0', '--no-progress', '--out', str(out), *extra]
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    if not wait: return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)

def test_two_processes_train_once_and_validate_like_one(photos, tmp_path):
    r = torchrun(photos, tmp_path / 'run', '--epochs', '1')
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    run = tmp_path / 'run'
    res = json.loads((run / 'result.json').read_text())
    assert (res['status'], res['processes'], res['epochs_done'], res['data']['n_valid']) == ('completed', 2, 1, 50)
    lines = (run / 'history.csv').read_text().splitlines()
    assert len(lines) == 2 and lines[0].startswith('epoch,'), lines       # one header, one epoch: rank 1 wrote nothing
    assert sorted(p.name for p in run.iterdir()) == ['.lock', 'best.pth', 'checkpoint.pth', 'history.csv', 'preds.npz', 'result.json']
    assert r.stdout.count('"status": "completed"') == 1                    # the summary line comes from rank 0 only
    # one process, the same weights, the whole validation set: the same accuracy and the same per-photo predictions
    import numpy as np, torch
    from filtervit.runs import load_run_model
    from filtervit.data import image_dataloaders
    model, _ = load_run_model(run)
    dls = image_dataloaders(photos, 64, 8, 8, 5, num_workers=0, seed=0)
    with torch.inference_mode(): logits = torch.cat([model(x) for x, _ in dls.valid])
    pred, y = logits.argmax(1), torch.cat([y for _, y in dls.valid])
    acc = (pred == y).float().mean().item()
    logged = float(lines[1].split(',')[3])
    assert abs(acc - logged) < 1e-6 and abs(acc - res['best_accuracy']) < 1e-6, (acc, logged, res['best_accuracy'])
    saved = np.load(run / 'preds.npz')
    assert (saved['preds'][0] == pred.numpy()).all()
    np.testing.assert_allclose(saved['last_logits'].astype(np.float32), logits.numpy(), rtol=2e-3, atol=2e-3)   # float16 in the file

def test_a_killed_two_process_run_resumes(photos, tmp_path):
    # three epochs, killed as soon as epoch 0's checkpoint exists: on a loaded machine the kill may land an epoch late,
    # and the resumed job must then finish what is left (possibly nothing) all the same
    run = tmp_path / 'run'
    p = torchrun(photos, run, '--epochs', '3', wait=False)
    t0 = time.time()
    while not (run / 'checkpoint.pth').exists():                         # epoch 0 is saved ...
        assert p.poll() is None, p.stdout.read()[-3000:]
        assert time.time() - t0 < 600, 'no checkpoint after 10 minutes'
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL); p.wait()                            # ... and the whole job is killed in epoch 1
    assert not (run / 'result.json').exists()
    r = torchrun(photos, run, '--epochs', '3', '--resume')
    errors = [l for l in (r.stdout + r.stderr).splitlines() if 'filtervit-train: error' in l]   # rank 0's, if any
    assert r.returncode == 0, '\n'.join(errors) + r.stdout[-3000:] + r.stderr[-3000:]
    res = json.loads((run / 'result.json').read_text())
    assert (res['status'], res['epochs_done'], res['processes']) == ('completed', 3, 2)
    assert [l.split(',')[0] for l in (run / 'history.csv').read_text().splitlines()] == ['epoch', '0', '1', '2']
    # killed after its last checkpoint but before result.json: a resume has nothing to train, and both ranks go straight
    # to the end (before rank 0 alone trimmed the log, the two raced on it here and one died with FileNotFoundError)
    log = (run / 'history.csv').read_text()
    (run / 'result.json').unlink()
    r = torchrun(photos, run, '--epochs', '3', '--resume')
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert json.loads((run / 'result.json').read_text())['status'] == 'completed' and (run / 'history.csv').read_text() == log

def test_a_second_run_is_refused_while_a_two_process_run_holds_the_folder(photos, tmp_path):
    # rank 0 holds the run's lock for the whole job: a plain second run of the same --out is refused, and writes nothing
    run = tmp_path / 'run'
    p = torchrun(photos, run, '--epochs', '50', wait=False)                 # far longer than the check below
    try:
        t0 = time.time()
        while not ((run / '.lock').exists() and (run / '.lock').read_text().strip()):   # rank 0 has taken the lock
            assert p.poll() is None, p.stdout.read()[-3000:]
            assert time.time() - t0 < 600, 'no lock after 10 minutes'
            time.sleep(0.2)
        holder = (run / '.lock').read_text().strip()
        cmd = [sys.executable, '-m', 'filtervit.train', '--model', 'filtervit_xs', '--data', str(photos), '--img-size', '64',
               '--bs', '8', '--epochs', '1', '--no-progress', '--threads', '1', '--out', str(run)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert p.poll() is None, 'the job ended before the second run was refused: the check proved nothing'
    finally:
        os.killpg(p.pid, signal.SIGKILL); p.wait()
    assert r.returncode == 2, r.stdout[-2000:] + r.stderr[-2000:]
    assert f'is in use by process {holder}' in r.stderr and 'Traceback' not in r.stderr, r.stderr[-2000:]
    log = (run / 'history.csv').read_text().splitlines() if (run / 'history.csv').exists() else ['epoch,']
    assert sum(l.startswith('epoch,') for l in log) == 1, log                # one writer: one header
