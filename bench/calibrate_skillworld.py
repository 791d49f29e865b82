"""Benchmark: how precisely the skill-world study measures interactions, and what the precision comes from.

Runs the default skill-world study (the `instr-dep demo` configuration) and variants that undo one
design choice each, then reports for every variant the seed-to-seed agreement of off-diagonal
effects (split-half Spearman), the planted-vs-unrelated AUC and the number of planted cells that
are positive and significant. Writes bench/results/skillworld_calibration.json.

    python bench/calibrate_skillworld.py [--seeds 4] [--only NAME ...]
"""
import argparse, json, os, sys, tempfile, time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import make_skill_world
from instr_dep.train import TrainConfig
from instr_dep.interaction import interaction_matrix, split_half_agreement, compare_with_graph
import instr_dep.pipeline as P

VARIANTS = {
    "default": dict(),                                                 # pretrained base, add +100%, linear decay, CRN
    "no_pretrained_base": dict(base=False),                            # fresh tiny model: format and ciphers learned together
    "small_intervention": dict(n_add=50),                              # +25% of a category instead of +100%
    "constant_lr": dict(train=dict(scheduler="constant_with_warmup")),  # no decay: the last steps' noise stays in the weights
}

def run(name, spec, seeds, workdir):
    world = make_skill_world(n_train=400, n_eval=52, seed=0)
    cfg = P.StudyConfig(seeds=seeds, n_base=200, n_add=spec.get("n_add", 200), train=replace(TrainConfig(), **spec.get("train", {})))
    if spec.get("base", True): cfg.model = str(P.pretrain_base(world, workdir / "base", n=P.PRETRAIN_EXAMPLES))
    t0 = time.perf_counter()
    r = P.run_study(world.train, world.eval, workdir / name, cfg, graph=world.graph, kind=name, progress=False)
    res = {}
    for adjust in ("none", "control"):
        M = interaction_matrix(r.sweep.results, adjust=adjust)
        s = compare_with_graph(M, world.graph)[1]
        res[adjust] = dict(split_half=split_half_agreement(M.per_seed), auc=s["auc_planted_vs_unrelated"],
                           planted_positive_significant=s["planted_positive_significant"], planted_cells=s["planted_cells"],
                           unreliable_rows=int((~M.reliable).sum()))
    return dict(config=spec, seeds=seeds, wall_s=round(time.perf_counter() - t0, 1), **res)

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--seeds", type=int, default=4); ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="calib_"))
    out = dict(machine=dict(cpus=os.cpu_count()), note="split_half = Spearman of off-diagonal per-example effects between disjoint seed halves")
    for name, spec in VARIANTS.items():
        if a.only and name not in a.only: continue
        out[name] = run(name, spec, a.seeds, work)
        print(name, json.dumps({k: out[name][k] for k in ("none", "wall_s")}), flush=True)
    atomic_write_json(ROOT / "bench" / "results" / "skillworld_calibration.json", out)
