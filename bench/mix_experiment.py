"""Experiment: does the EE-CPO mix beat simple mixes at equal budget? (planted world 0, tiny model after its format stage)

1. A skill world whose baseline is skewed (A, C and count large; composites small), with a pool of
   300 extra examples per category.
2. Γ is measured on that baseline by the add-n sweep (4 seeds, +120 examples per design point).
3. Four mixes of the same size N (the baseline's) are built from baseline + pool:
   `proportional` (the baseline itself), `uniform` (N/C each), `lp` (EE-CPO with an L1 budget tau,
   alpha = baseline proportions) and `compat` (the released sign-based procedure, 3% moved); and three
   variants of the LP: a per-category trust region delta instead of tau (`lp_trust`), and the objective
   in performance units, alpha^T E w with the per-example effects E (`lp_effects`, `lp_effects_trust`).
4. Each mix fine-tunes the base model for 5 seeds (seeds 100-104, not those of the sweep); held-out
   answer loss per category. The headline metric is the alpha-weighted mean loss (the importance
   the LP optimises); the unweighted mean is reported too.

Writes bench/results/mix_experiment.json.  Usage: python bench/mix_experiment.py [--tau 0.2]
"""
import argparse, json, os, sys, tempfile, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep, mixes_design, compare_points
from instr_dep.interaction import interaction_matrix, split_half_agreement
from instr_dep.selection import optimise_mix, compat_mix, realise_mix, largest_remainder
from instr_dep.train import TrainConfig
import instr_dep.pipeline as P

BASELINE = {"rot": 300, "swap": 100, "A": 300, "C": 100, "E": 300, "swap+C": 60, "rot+C": 60, "swap+E": 40, "count": 240}
POOL = 300

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--tau", type=float, default=0.2); ap.add_argument("--delta", type=float, default=0.02)
    ap.add_argument("--seeds", type=int, default=5)
    a = ap.parse_args()
    t0 = time.perf_counter()
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", "/tmp/instr_dep_bench")) / "mix"        # runs are cached: a rerun resumes
    world = make_skill_world(seed=0, n_train={c: n + POOL for c, n in BASELINE.items()})
    base_model = str(P.format_base(world.train, work / "base"))
    cfg = TrainConfig()
    design = add_design(world.train, n_base=BASELINE, n_add=120)
    sweep = run_sweep(world.train, world.eval, design, model=base_model, seeds=range(4), cfg=cfg, out_dir=work / "sweep", workers=2,
                      metrics=("loss",), progress=False)
    M = interaction_matrix(sweep.results)
    base_ids = design.point("baseline").ids
    base_set = world.train.subset(base_ids)
    pool_set = world.train.subset([i for i in world.train.ids if i not in set(base_ids)])
    N = len(base_ids); cats = world.categories
    alpha = np.array([BASELINE[c] for c in cats], float) / N
    available = world.train.counts().to_dict()
    lp = optimise_mix(M, alpha, tau=a.tau, size=N, available=available, unreliable="own")
    variants = dict(                                             # beyond the four arms: the same LP with a per-category trust region,
        lp_trust=optimise_mix(M, alpha, delta=a.delta, size=N, available=available, unreliable="own"),   # and in performance units
        lp_effects=optimise_mix(M, alpha, tau=a.tau, size=N, available=available, objective="effects"),
        lp_effects_trust=optimise_mix(M, alpha, delta=a.delta, size=N, available=available, objective="effects"))
    cm = compat_mix(M, counts=BASELINE, pool_counts={c: POOL for c in cats}, unreliable="own")
    targets = dict(proportional=dict(BASELINE), uniform=dict(zip(cats, largest_remainder(N, np.ones(len(cats))).tolist())),
                   lp=lp.counts, compat=cm["target"], **{k: v.counts for k, v in variants.items()})
    mixes = {}
    for name, tgt in targets.items():
        mix, man = realise_mix(base_set, pool_set, tgt, seed=0, dedup=False, reason=name)   # skill-world facts repeat by design
        assert len(mix) == N, (name, len(mix))
        mixes[name] = mix.ids
    seeds = list(range(100, 100 + a.seeds))
    arms = run_sweep(world.train, world.eval, mixes_design(mixes), model=base_model, seeds=seeds, cfg=cfg, out_dir=work / "arms",
                     workers=2, metrics=("loss",), progress=False)
    weighted, per_cat = compare_points(arms.results, "loss", weights=dict(zip(cats, alpha)))
    unweighted, _ = compare_points(arms.results, "loss")
    names = list(targets)
    out = dict(
        setup=dict(baseline=BASELINE, pool_per_category=POOL, size=N, tau=a.tau, delta=a.delta, sweep_seeds=[0, 1, 2, 3], seeds=seeds,
                   train=vars(cfg), metric="held-out answer loss (lower is better); 'weighted' = alpha-weighted mean over categories"),
        gamma=dict(labels=M.labels, values=np.round(M.values, 3).tolist(), reliable=M.reliable.tolist(),
                   split_half=split_half_agreement(M.per_seed)),
        mixes={n: targets[n] for n in names}, lp_binding={"lp": lp.binding, **{k: v.binding for k, v in variants.items()}},
        compat_moves=dict(up=cm["up"], down=cm["down"]),
        per_seed={n: dict(weighted=[round(float(x), 5) for x in weighted[n]], unweighted=[round(float(x), 5) for x in unweighted[n]])
                  for n in names},
        mean={n: dict(weighted=round(float(weighted[n].mean()), 5), unweighted=round(float(unweighted[n].mean()), 5),
                      weighted_sd=round(float(weighted[n].std(ddof=1)), 5)) for n in names},
        per_category={n: {c: round(float(per_cat.loc[n, c]), 4) for c in cats} for n in names},
        lp_wins_weighted_per_seed={n: int((weighted["lp"] < weighted[n]).sum()) for n in names if n != "lp"},
        best_lp_variant_vs_proportional={k: int((weighted[k] < weighted["proportional"]).sum()) for k in ["lp", *variants]},
        wall_s=round(time.perf_counter() - t0, 1))
    atomic_write_json(ROOT / "bench" / "results" / "mix_experiment.json", out)
    print(json.dumps(dict(mean=out["mean"], vs_prop=out["best_lp_variant_vs_proportional"], mixes=out["mixes"])))
