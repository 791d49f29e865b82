"""Benchmark: the retraining noise ceiling of Γ on the skill world, for 3 and 5 seeds.

The demo-size add-n sweep (200 + 200 examples per category, 8 categories, control point) with seeds 0-4; the
split-half Spearman of the off-diagonal per-example effects (seeds split into groups of S//2 and the rest, all
splits averaged), its 95% interval (bootstrap over matrix cells, pooled over splits) and the Spearman-Brown estimate
for the full matrix. Also the same with resampling of held-out items (the CI width of Γ cells, seeds vs items vs both).
Writes bench/results/noise_ceiling.json. Usage: python bench/noise_ceiling.py
"""
import json, os, sys, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep
from instr_dep.interaction import effects_from_results, split_half_agreement, interaction_matrix
from instr_dep.train import TrainConfig
import instr_dep.pipeline as P

if __name__ == "__main__":
    t0 = time.perf_counter()
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", "/tmp/instr_dep_bench")) / "noise"
    world = make_skill_world(seed=0)
    base = str(P.format_base(world.train, work / "base"))
    sw = run_sweep(world.train, world.eval, add_design(world.train, n_base=100, n_add=300), model=base, seeds=range(5),
                   cfg=TrainConfig(), out_dir=work / "sweep", workers=2, metrics=("loss",), progress=False)
    res = sw.results
    out = dict(setup="skill world seed 0, add-n +200 per category, seeds 0-4, metric loss, adjust none",
               cost=sw.cost(), wall_s=None)
    for S in (3, 5):
        eff = effects_from_results(res[res.seed < S])
        sh = split_half_agreement(eff.per_seed)
        out[f"seeds_{S}"] = dict(spearman=round(sh["spearman"], 4), ci_low=round(sh["ci_low"], 4), ci_high=round(sh["ci_high"], 4),
                                 spearman_brown=round(sh["spearman_brown"], 4), n_splits=sh["n_splits"],
                                 split_sizes=[S // 2, S - S // 2])
        print(S, out[f"seeds_{S}"], flush=True)
    widths = {}
    for rs in ("seeds", "items", "both"):
        M = interaction_matrix(res, resample=rs, records=sw.records, n_boot=500)
        off = ~np.eye(M.n, dtype=bool)
        widths[rs] = dict(median_effect_ci_width=float(np.median((M.effects_ci_high - M.effects_ci_low)[off])),
                          significant_cells=int(M.significant()[off].sum()))
    out["ci_width_by_resampling"] = widths
    out["wall_s"] = round(time.perf_counter() - t0, 1)
    atomic_write_json(ROOT / "bench" / "results" / "noise_ceiling.json", out)
    print(json.dumps(widths))
