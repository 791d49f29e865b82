"Shared fixtures: the repository root, the real data samples beside it, and a clean environment for subprocesses."
import os, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

def run(args, cwd=ROOT, timeout=900, check=False):
    "Run a command with the offline environment CI uses; returns the CompletedProcess."
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PYTHONUNBUFFERED="1")
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"{args} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p

def cli(*args, **kw):
    return run([sys.executable, "-m", "instr_dep.cli", *map(str, args)], **kw)

@pytest.fixture(scope="session")
def shared():
    if not SHARED.exists(): pytest.skip(f"real data samples not found at {SHARED}")
    return SHARED

@pytest.fixture(scope="session")
def tiny_reference(tmp_path_factory):
    "The tiny study (tests/tiny_study.py) run once, uninterrupted: (run directory, analysis)."
    import tiny_study
    out = tmp_path_factory.mktemp("tiny_reference") / "out"
    return out, tiny_study.analyse(tiny_study.sweep(out))
