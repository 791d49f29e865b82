"Crash safety: a sweep killed with SIGKILL in the middle loses no finished run and recomputes none; two sweeps on one directory do not corrupt each other."
import json, os, signal, subprocess, sys, time
from pathlib import Path

import pytest
from conftest import ROOT, cli

def _start(out, workers=1, threads=None, demo=False):
    "A sweep in its own process (and process group): the mini sweep, or the quick demo."
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    if threads: env["OMP_NUM_THREADS"] = str(threads)          # two sweeps on two cores: one thread each, no oversubscription
    cmd = ([sys.executable, "-m", "instr_dep.cli", "demo", "--quick", "--out", str(out), "--no-progress", "--workers", str(workers)]
           if demo else [sys.executable, str(ROOT / "tests" / "mini_sweep.py"), str(out), str(workers)])
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

def _runs(out):
    return {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")} if (out / "runs").exists() else {}

@pytest.mark.parametrize("workers", [2])             # one worker process is covered by the random-moment kills of tiny_study
def test_sigkill_mid_sweep_then_resume(tmp_path, workers):
    out = tmp_path / "sweep"
    p = _start(out, workers=workers)
    deadline = time.time() + 240
    while len(_runs(out)) < 5 and time.time() < deadline and p.poll() is None: time.sleep(0.2)
    assert p.poll() is None, "the sweep finished before it could be killed: " + p.stderr.read().decode()[-2000:]
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    before = _runs(out)
    assert 5 <= len(before) < 20
    for f in (out / "runs").glob("*.json"): json.loads(f.read_text())          # every file that exists is complete
    r = _start(out, workers=workers); r.wait(timeout=300)
    assert r.returncode == 0, r.stderr.read().decode()[-3000:]
    after = _runs(out)
    assert len(after) == 20
    assert {k: after[k] for k in before} == before                               # finished runs were not recomputed

def test_two_demos_share_a_directory(tmp_path):
    out = tmp_path / "demo"
    a = _start(out, threads=1, demo=True); time.sleep(1.0); b = _start(out, threads=1, demo=True)
    ra, rb = a.wait(timeout=600), b.wait(timeout=600)
    assert ra == 0 and rb == 0, (a.stderr.read().decode()[-2000:], b.stderr.read().decode()[-2000:])
    runs = list((out / "runs").glob("*.json"))
    g = json.loads((out / "gamma.json").read_text())
    C = len(g["values"])
    assert C == 9 and len(runs) >= 2 * (C + 2)                 # every run of both seeds (and the calibration's pilots)
    for f in runs: json.loads(f.read_text())

def test_sigkill_at_random_moments_then_resume(tiny_reference, tmp_path):
    """The tiny study's sweep, forked and SIGKILLed three times at seeded random moments: after every kill the run directory
    reads back, no later fork recomputes a finished run, and the resumed study equals an uninterrupted one exactly."""
    import tiny_study
    from test_determinism import assert_same_study
    out = tmp_path / "killed"
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    p = subprocess.run([sys.executable, str(ROOT / "tests" / "tiny_study.py"), "kill", str(out), "7"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    log = json.loads((out / "kills.json").read_text())
    assert sum(k["killed"] for k in log) == 3 and any(len(k["runs"]) < 8 for k in log), log     # kills landed mid-sweep
    for a, b in zip(log, log[1:]): assert {k: b["runs"][k] for k in a["runs"]} == a["runs"]     # nothing redone
    sw = tiny_study.sweep(out)                                                                    # resume here
    final = tiny_study.runs(out)
    assert len(final) == 8 and {k: final[k] for k in log[-1]["runs"]} == log[-1]["runs"]
    assert_same_study(tiny_study.analyse(sw), tiny_reference[1])
