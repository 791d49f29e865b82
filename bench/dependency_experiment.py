"""Experiment: does each dependency learner recover the skill world's planted DAG, and does a curriculum that
follows it beat shuffled training at equal steps?

Part 1 (bench/results/dependency_recovery.json): the default skill world (CoT composites), the demo-size add-n
sweep (4 seeds) -> graph_from_asymmetry (Γ and per-example effects); tag indicators (each example tagged with
its category and the categories its chain uses) -> graph_from_tags (hill climbing, BIC); ordered-training
probes over all 56 ordered pairs (100 examples per category, 2 epochs per phase, 3 seeds) -> graph_from_probes.
Precision / recall / F1 against the planted edges, directed and ignoring orientation.

Part 2 (bench/results/curriculum.json): the same 1,600 baseline examples (200 per category) under four
schedules of equal length (3 x N examples): `shuffled` (IID), `dtcsft` (the released soft 3-block schedule,
base / dependent tiers from the planted DAG), `curriculum` (staged by planted tier with 20% replay) and `anti`
(the same stages reversed); 5 seeds each; held-out answer loss per category and the unweighted mean, with a
95% t-interval over seeds. Usage: python bench/dependency_experiment.py
"""
import json, os, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scipy import stats
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep, probe_design, schedule_design, compare_points
from instr_dep.interaction import interaction_matrix
from instr_dep.dependency import (graph_from_asymmetry, graph_from_tags, graph_from_probes, tag_indicators, taxonomy,
                                  edge_recovery)
from instr_dep.train import TrainConfig
import instr_dep.pipeline as P

def recovery(g, planted):
    d, u = edge_recovery(g, planted), edge_recovery(g, planted, directed=False)
    return dict(precision=d["precision"], recall=d["recall"], f1=d["f1"], directed=d, undirected=u,
                learned_edges=[[a, b, round(x.get("strength", 0), 4), round(x.get("stability", 1), 3)] for a, b, x in g.edges(data=True)])

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", "/tmp/instr_dep_bench")) / "dependency"   # runs are cached: a rerun resumes
    world = make_skill_world(n_train=400, n_eval=52, seed=0)
    planted = world.graph
    base = str(P.pretrain_base(world, work / "base", n=P.PRETRAIN_EXAMPLES))
    cfg = TrainConfig()
    sweep = run_sweep(world.train, world.eval, add_design(world.train, n_base=200, n_add=200), model=base, seeds=range(4), cfg=cfg,
                      out_dir=work / "sweep", workers=2, metrics=("loss",), progress=False)
    M = interaction_matrix(sweep.results)
    learners = {}
    learners["asymmetry_gamma"] = recovery(graph_from_asymmetry(M, use="gamma"), planted)
    learners["asymmetry_effects"] = recovery(graph_from_asymmetry(M, use="effects"), planted)
    parts = world.skill_tags()
    tags = [parts[c] for c in world.train.df.category]
    learners["tags_bic"] = recovery(graph_from_tags(tag_indicators(tags, world.categories), n_boot=20), planted)
    probes = run_sweep(world.train, world.eval, probe_design(world.train, n_per_category=100, epochs=2), model=base, seeds=range(3),
                       cfg=cfg, out_dir=work / "probes", workers=2, metrics=("loss",), progress=False)
    learners["probes"] = recovery(graph_from_probes(probes.results), planted)
    atomic_write_json(ROOT / "bench" / "results" / "dependency_recovery.json", dict(
        planted=sorted(map(list, planted.edges)), tags_example=parts,
        note="precision/recall/f1 at top level are for directed edges; 'undirected' ignores orientation",
        sweep_seeds=4, probe_seeds=3, **learners))
    print({k: (v["directed"]["f1"], v["undirected"]["f1"]) for k, v in learners.items()}, flush=True)

    tx = taxonomy(planted)
    tiers = tx.tier
    base_ids = add_design(world.train, n_base=200, n_add=200).point("baseline").ids
    schedules = dict(shuffled=dict(kind="shuffled", epochs=3),
                     dtcsft=dict(kind="dtcsft", base=tx.members("base"), dependent=tx.members("dependent"), epochs=3),
                     curriculum=dict(kind="staged", tiers=tiers, epochs=3, replay=0.2),
                     anti=dict(kind="anti", tiers=tiers, epochs=3, replay=0.2))
    seeds = list(range(100, 105))
    arms = run_sweep(world.train, world.eval, schedule_design(base_ids, schedules), model=base, seeds=seeds, cfg=cfg,
                     out_dir=work / "arms", workers=2, metrics=("loss",), progress=False)
    per_seed, per_cat = compare_points(arms.results, "loss")
    def ci(x):
        x = np.asarray(x); h = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        return [round(float(x.mean() - h), 5), round(float(x.mean() + h), 5)]
    names = list(schedules)
    diffs = {n: [round(float(a - b), 5) for a, b in zip(per_seed[n], per_seed["shuffled"])] for n in names if n != "shuffled"}
    out = dict(setup=dict(examples=len(base_ids), stream_length=3 * len(base_ids), seeds=seeds, tiers=tiers,
                          three_tiers=tx.three, schedules=schedules, metric="held-out answer loss, unweighted mean over categories (lower is better)"),
               per_seed={n: [round(float(x), 5) for x in per_seed[n]] for n in names},
               mean={n: dict(loss=round(float(per_seed[n].mean()), 5), ci95=ci(per_seed[n])) for n in names},
               minus_shuffled=diffs, minus_shuffled_ci95={n: ci(v) for n, v in diffs.items()},
               per_category={n: {c: round(float(per_cat.loc[n, c]), 4) for c in world.categories} for n in names},
               wall_s=round(time.perf_counter() - t0, 1))
    atomic_write_json(ROOT / "bench" / "results" / "curriculum.json", out)
    print(json.dumps(dict(mean=out["mean"], minus_shuffled_ci95=out["minus_shuffled_ci95"])))
