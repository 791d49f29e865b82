"""Benchmark: EE-CPO LP solve time (HiGHS through scipy) by number of categories, and the re-solve time
that drives the MixOptimizer slider.

For C in 10, 100, 1,000, 10,000: a random Γ (unit diagonal, off-diagonal N(0, 0.3)), alpha from a
Dirichlet, a trust region delta = 0.5/C and a moved share tau = 0.1; the time of `optimise_mix`
(building the sparse LP, solving, reading duals; Γ^T alpha included) is the median of repeats.
`resolve_C30_ms`: median time of re-solving a 30-category LP after a slider change of delta.
Writes bench/results/lp_timing.json. Usage: python bench/lp_timing.py
"""
import os, platform, sys, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.selection import optimise_mix

def problem(C, seed=0):
    rng = np.random.default_rng(seed)
    G = rng.normal(0, 0.3, (C, C)).astype(np.float64 if C <= 2000 else np.float32)
    np.fill_diagonal(G, 1.0)
    return G, rng.dirichlet(np.ones(C)), [f"c{k}" for k in range(C)]

def timed(f, repeats):
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return float(np.median(ts))

if __name__ == "__main__":
    out = dict(machine=dict(cpus=os.cpu_count(), platform=platform.platform()), goals=dict(C10000_s=1.0, resolve_C30_ms=50.0),
               setup="delta=0.5/C, tau=0.1 (moved-share L1 bound with C auxiliary variables), median of repeats, seconds")
    for C, rep in ((10, 20), (100, 20), (1000, 5), (10000, 3)):
        G, a, labels = problem(C)
        s = timed(lambda: optimise_mix(G, a, labels=labels, delta=0.5 / C, tau=0.1), rep)
        out[f"C{C}"] = round(s, 4); print(f"C={C}: {s:.4f} s", flush=True)
    G, a, labels = problem(30, seed=1)
    deltas = iter(np.linspace(0.005, 0.05, 200))
    ms = 1000 * timed(lambda: optimise_mix(G, a, labels=labels, delta=next(deltas)), 50)
    out["resolve_C30_ms"] = round(ms, 2); print(f"resolve C=30: {ms:.2f} ms")
    atomic_write_json(ROOT / "bench" / "results" / "lp_timing.json", out)
