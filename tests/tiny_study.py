"""The smallest real study, for the determinism and crash tests: a 3-category skill world (the cipher A, the route rot and
the composite rot+A), an add-n sweep of 4 points x 2 seeds with a 1-layer model, then Γ, the asymmetry graph, the mix LP and the realised set.

Run as a script (`python tests/tiny_study.py kill OUT SEED`), it is the crash test's victim: it imports everything once,
then forks the sweep three times and SIGKILLs each fork after a seeded random delay, checking the run directory after
every kill; the log of what it saw goes to OUT/kills.json."""
import json, os, random, signal, sys, time, warnings
from pathlib import Path

import numpy as np

from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep, load_run
from instr_dep.train import TrainConfig
from instr_dep.models import TinyConfig
from instr_dep.interaction import interaction_matrix
from instr_dep.dependency import graph_from_asymmetry
from instr_dep.selection import optimise_mix, realise_mix

SEEDS = (0, 1)
CFG = TrainConfig(epochs=1, device="cpu", batch_size=8, max_length=32, warmup_steps=2)
TINY = TinyConfig(d_model=16, n_layers=1, n_heads=2, max_len=32)

def world(): return make_skill_world(categories=["A", "rot", "rot+A"], n_train=12, n_eval=6)

def sweep(out, w=None):
    w = w or world()
    return run_sweep(w.train, w.eval, add_design(w.train, n_base=6, n_add=6, control=False), seeds=SEEDS, cfg=CFG, tiny=TINY,
                     out_dir=out, workers=1, metrics=("loss",), progress=False)

def analyse(sw, w=None) -> dict:
    "Everything downstream of the sweep, as plain values that compare exactly."
    w = w or world()
    M = interaction_matrix(sw.results, n_boot=200, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                  # three categories: the graph is 'nearly complete' by construction
        g = graph_from_asymmetry(M, n_boot=200, keep_unstable=True, seed=0)
    base = w.train.subset(sw.design.point("baseline").ids)
    pool = w.train.subset([i for i in w.train.ids if i not in set(base.ids)])
    mix = optimise_mix(M, alpha=base.counts().to_dict(), objective="effects", delta=0.2, size=len(base))
    realised, _ = realise_mix(base, pool, mix.counts, seed=0)
    return dict(records={r["run_id"]: (r["metrics"], r["items"]) for r in sw.records}, gamma=M.values, effects=M.effects,
                ci=(M.effects_ci_low, M.effects_ci_high), edges=sorted(g.edges(data=True)), w=mix.w, counts=mix.counts,
                realised=realised.ids)

def runs(out) -> dict:
    "Finished run files and their modification times."
    return {p.name: p.stat().st_mtime_ns for p in sorted((Path(out) / "runs").glob("*.json"))} if (Path(out) / "runs").exists() else {}

def kill_cycles(out, seed:int, n:int=3, total:int=8) -> list:
    """Fork the sweep `n` times and SIGKILL each fork at a random moment: once a random number (0 to 2) of further runs
    has finished (never past `total` - 3), plus a random fraction of the time one run takes here, so that kills land
    inside runs and between them whatever the machine's speed. After each kill, every run file on disk must read back
    as a complete record."""
    rng, log, w = random.Random(seed), [], world()
    per_run = None
    for k in range(n):
        target, frac = min(len(runs(out)) + rng.randint(0, 2), total - 3), rng.uniform(0.0, 0.9)
        n0, t0 = len(runs(out)), time.time()
        pid = os.fork()
        if pid == 0:                                     # the child: the sweep, resumed from whatever is on disk
            try: sweep(out, w)
            finally: os._exit(0)
        alive = lambda: os.waitpid(pid, os.WNOHANG) == (0, 0)
        seen, t_last = n0, None
        while len(runs(out)) < target and alive():
            if len(runs(out)) > seen:
                now = time.time()
                if t_last is not None: per_run = now - t_last
                seen, t_last = len(runs(out)), now
            time.sleep(0.002)
        extra = frac * (per_run or 0.1)
        t1 = time.time()
        while time.time() - t1 < extra and alive(): time.sleep(0.002)
        try: os.kill(pid, signal.SIGKILL); killed = True
        except ProcessLookupError: killed = False
        if killed: os.waitpid(pid, 0)
        files = runs(out)
        for name in files: assert load_run(Path(out) / "runs" / name) is not None, name      # complete, current format
        log.append(dict(target=target, extra=extra, per_run=per_run, killed=killed, runs=files))
    return log

if __name__ == "__main__" and sys.argv[1] == "kill":
    out, seed = Path(sys.argv[2]), int(sys.argv[3])
    log = kill_cycles(out, seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "kills.json").write_text(json.dumps(log))
    print("kills", [len(l["runs"]) for l in log])
