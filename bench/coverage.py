"""Benchmark: do the intervals of Γ and of the per-example effects hold their stated 95% coverage?

1. Simulated studies (`interaction.simulated_sweep`): 8 categories, true effects known (a third of the off-diagonal
   cells non-null, the rest exactly 0), seed and item noise at the magnitudes the development studies measured.
   For S = 3, 4, 5 seeds: 200 studies each; coverage of the true effects and of the true Γ by the default Student-t
   intervals (seeds and held-out items) and, for comparison, by percentile bootstrap intervals; null and non-null
   cells apart.
2. Planted worlds with a 16-seed reference: audit worlds 2031 and 2034, each seed drawing its own examples, every run
   evaluated on 64 held-out items per category (the estimate) and 256 further items (the reference). The reference
   is the 16-seed mean on the further items: independent items, so it stands for the truth of both the seeds and the
   items. For S = 3, 4, 5: 40 random subsets of the 16 seeds; coverage of the reference by each subset's intervals
   computed from the 64 items alone.

Goal: 0.90 <= coverage <= 0.98 for the default intervals, everywhere.

    python bench/coverage.py [--skip worlds]      -> bench/results/coverage.json
"""
import argparse, json, os, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.interaction import interaction_matrix, gamma_from_effects, simulated_sweep
from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep
from instr_dep.train import TrainConfig
from instr_dep.pipeline import format_base

GOAL = (0.90, 0.98)
WORLDS, REF_SEEDS, EST_ITEMS, REF_ITEMS = (2031, 2034), 16, 64, 256

def covers(M, E, G):
    "Per cell: does the effect interval cover E, the Γ interval cover G (reliable rows only)."
    e = (M.effects_ci_low <= E) & (E <= M.effects_ci_high)
    g = (M.ci_low <= G) & (G <= M.ci_high)
    return e, np.where(M.reliable[:, None], g, np.nan)

def simulated(studies=200, C=8, seed=0):
    rng = np.random.default_rng(seed)
    truth = np.where(rng.random((C, C)) < 1 / 3, rng.normal(0, 4e-4, (C, C)), 0.0)
    np.fill_diagonal(truth, rng.uniform(1e-3, 2e-3, C))
    null = (truth == 0)
    G = gamma_from_effects(truth)
    out = {}
    for S in (3, 4, 5):
        acc = {m: dict(eff=[], eff_null=[], eff_nonnull=[], gamma=[], width=[]) for m in ("t", "percentile")}
        for _ in range(studies):
            res, recs = simulated_sweep(truth, seeds=S, rng=rng)
            for m in ("t", "percentile"):
                M = interaction_matrix(res, records=recs, interval=m, n_boot=300, seed=int(rng.integers(1 << 31)))
                e, g = covers(M, truth, G)
                acc[m]["eff"] += e.ravel().tolist(); acc[m]["eff_null"] += e[null].tolist(); acc[m]["eff_nonnull"] += e[~null].tolist()
                acc[m]["gamma"] += [x for x in g.ravel() if np.isfinite(x)]
                acc[m]["width"].append(float(np.median(M.effects_ci_high - M.effects_ci_low)))
        out[f"S{S}"] = {m: {k: round(float(np.mean(v)), 4) for k, v in d.items()} for m, d in acc.items()}
        print("simulated", S, out[f"S{S}"], flush=True)
    return out

def restrict(records, keep):
    "Records and a results table on the held-out items `keep` (a boolean mask over the items) only."
    rows, recs = [], []
    for r in records:
        cats = np.asarray(r["item_categories"])[keep]
        loss = np.asarray(r["items"]["loss"])[keep]
        recs.append(dict(r, items={"loss": loss.tolist()}, item_categories=cats.tolist(),
                         item_ids=list(np.asarray(r["item_ids"])[keep])))
        for c in dict.fromkeys(cats):
            rows.append(dict(run_id=r["run_id"], point=r["point"], changed=r["changed"], n_added=r["n_added"], seed=r["seed"],
                             category=c, loss=float(loss[cats == c].mean())))
    return pd.DataFrame(rows), recs

def world(seed, work, subsets=40):
    w = make_skill_world(seed, n_eval=EST_ITEMS + REF_ITEMS)
    base = str(format_base(w.train, work / f"w{seed}" / "base_model"))
    sw = run_sweep(w.train, w.eval, lambda s: add_design(w.train, n_base=100, n_add=300, seed=s), model=base,
                   seeds=range(REF_SEEDS), cfg=TrainConfig(epochs=2), out_dir=work / f"w{seed}", workers=2, metrics=("loss",),
                   progress=False)
    rank = pd.Series(sw.records[0]["item_ids"]).groupby(sw.records[0]["item_categories"]).cumcount().to_numpy()
    est_res, est_recs = restrict(sw.records, rank < EST_ITEMS)
    ref_res, ref_recs = restrict(sw.records, rank >= EST_ITEMS)
    R = interaction_matrix(ref_res, n_boot=10)
    E, G = R.effects, gamma_from_effects(R.effects)
    rng = np.random.default_rng(seed)
    out = {}
    for S in (3, 4, 5):
        acc = dict(eff=[], gamma=[], width=[])
        for _ in range(subsets):
            pick = sorted(rng.choice(REF_SEEDS, S, replace=False).tolist())
            sub = [r for r in est_recs if r["seed"] in pick]
            M = interaction_matrix(est_res[est_res.seed.isin(pick)], records=sub, n_boot=300, seed=int(rng.integers(1 << 31)))
            e, g = covers(M, E, G)
            acc["eff"] += e.ravel().tolist(); acc["gamma"] += [x for x in g.ravel() if np.isfinite(x)]
            acc["width"].append(float(np.median(M.effects_ci_high - M.effects_ci_low)))
        out[f"S{S}"] = {k: round(float(np.mean(v)), 4) for k, v in acc.items()}
        print("world", seed, S, out[f"S{S}"], flush=True)
    return out

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--skip", nargs="*", default=[], choices=["simulated", "worlds"])
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", tempfile.gettempdir())) / "instr_dep_coverage"
    sim = simulated() if "simulated" not in a.skip else {}
    wor = {str(s): world(s, work) for s in WORLDS} if "worlds" not in a.skip else {}
    summary = dict(simulated={k: v["t"]["eff"] for k, v in sim.items()},
                   worlds={k: round(float(np.mean([wor[w][k]["eff"] for w in wor])), 4) for k in ("S3", "S4", "S5")} if wor else {},
                   simulated_gamma={k: v["t"]["gamma"] for k, v in sim.items()},
                   worlds_gamma={k: round(float(np.mean([wor[w][k]["gamma"] for w in wor])), 4) for k in ("S3", "S4", "S5")} if wor else {},
                   percentile_simulated={k: v["percentile"]["eff"] for k, v in sim.items()})
    inside = all(GOAL[0] <= c <= GOAL[1] for part in ("simulated", "worlds") for c in summary[part].values())
    atomic_write_json(ROOT / "bench" / "results" / "coverage.json", dict(
        method=__doc__.strip(), goal=dict(low=GOAL[0], high=GOAL[1], met=inside), **summary,
        details=dict(simulated=sim, worlds=wor), machine=dict(cpus=os.cpu_count()), wall_s=round(time.perf_counter() - t0, 1)))
    print(json.dumps(summary, indent=1))
