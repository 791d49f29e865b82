"""Benchmark: an interaction study of real instruction data on CPU, SmolLM2-135M-Instruct + LoRA.

Declared before the run (nothing below was chosen after seeing a result of this study):

- Data: ../shared/data/superni_skills.jsonl (Super-NaturalInstructions, Apache-2.0), loaded through the public
  loader as a user's file; the category is the task.
- Categories: five tasks from the three families that plausibly share skills, the two nearest pairs and one
  bridge: sum_numbers_in_list and sum_numbers_i_to_j (summing; the second also slices), first_i_elements and
  elements_i_to_j (slicing by position), swapped_addsub (arithmetic). Five categories give 20 off-diagonal cells,
  the fewest on which a rank agreement means anything; more do not fit the budget.
- Held-out: 16 examples per category (per-category split, seed 0), never trained on.
- Size, chosen from the budget, not from results: the CPU trains SmolLM2 + LoRA at about 190 tokens/s packed
  (bench/results/throughput.json) and these examples are 110-210 tokens, so about one example per second; a
  ~40-minute budget on 2 cores holds 4 seeds x 7 runs (baseline, 5 added points, control) of about 60 training
  examples each, 1 epoch, plus held-out loss (true and shuffled answers, which calibration and the health check read)
  on 80 items per run. Baseline 8 examples per category, 20 added
  per point (2.5x the baseline), each seed drawing its own examples. Calibration on (the project's default),
  LoRA r=8 on all linear layers, lr 5e-4, batch 4, max length 384, packing.
- Figures: split_half_sb = the off-diagonal split-half Spearman of the per-example effects (2 vs 2 seeds, every
  equal split) extrapolated to 4 seeds by Spearman-Brown; sign_agreement = over those splits, the share of cells
  significant in the full study whose two halves' mean effects have the same sign; the health verdict.
- Goals (from the issue): split_half_sb >= 0.7 and sign agreement >= 0.80.

    python bench/real_study.py [--smoke]     -> bench/results/real_study.json   (--smoke: a few steps, nothing written)
"""
import argparse, json, os, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.data import load_instructions, split_per_category
from instr_dep.interaction import _equal_splits, _offdiag
from instr_dep.models import LoraSpec
from instr_dep.train import TrainConfig
from instr_dep.pipeline import StudyConfig, run_study

DATA = ROOT.parent / "shared" / "data" / "superni_skills.jsonl"
CATEGORIES = ["sum_numbers_in_list", "sum_numbers_i_to_j", "first_i_elements", "elements_i_to_j", "swapped_addsub"]
SEEDS, N_EVAL, N_BASE, N_ADD = 4, 16, 8, 20
GOALS = dict(split_half_sb=0.7, sign_agreement=0.8)

def sign_agreement(M, rng) -> float:
    "Share of (split, significant cell) pairs whose two halves' mean effects agree in sign."
    sig = _offdiag(M.significant().astype(float)) > 0
    hits = []
    for a, b in _equal_splits(len(M.per_seed), 50, rng):
        x, y = _offdiag(M.per_seed[a].mean(0)), _offdiag(M.per_seed[b].mean(0))
        hits += (np.sign(x[sig]) == np.sign(y[sig])).tolist()
    return float(np.mean(hits)) if hits else float("nan")

def setup(smoke:bool=False):
    "The study's data, held-out split, configuration and work directory (bench/proxy_audit.py audits against this study)."
    data = load_instructions(DATA)
    data = data.subset(data.df["category"].isin(CATEGORIES).to_numpy(), name="superni-skills")
    train, ev = split_per_category(data, eval_per_category=N_EVAL if not smoke else 4, seed=0)
    cfg = StudyConfig(model="smollm2", lora=LoraSpec(r=8, alpha=16), seeds=SEEDS if not smoke else 2,
                      n_base=N_BASE if not smoke else 2, n_add=N_ADD if not smoke else 2,
                      calibrate=True, workers=2,
                      train=TrainConfig(epochs=1, lr=5e-4, batch_size=4, max_length=384, warmup_steps=0, packing=True, device="cpu"))
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", tempfile.gettempdir())) / ("instr_dep_real" + ("_smoke" if smoke else ""))
    return train, ev, cfg, work

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--smoke", action="store_true"); a = ap.parse_args()
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    train, ev, cfg, work = setup(a.smoke)
    study = run_study(train, ev, work / "study", cfg, progress=True)
    M, sh = study.matrix, study.agreement
    out = dict(method=__doc__.strip(), data=str(DATA.name), categories=CATEGORIES, seeds=len(M.seeds),
               train_examples=len(train), eval_examples=len(ev), split_half=round(sh["spearman"], 4),
               split_half_sb=round(sh["spearman_brown"], 4), split_half_ci=[round(sh["ci_low"], 4), round(sh["ci_high"], 4)],
               sign_agreement=round(sign_agreement(M, np.random.default_rng(0)), 4),
               significant_offdiagonal=int(_offdiag(M.significant().astype(float)).sum()),
               verdict=study.health.verdict, health=study.health.to_dict()["overall"] if study.health else None,
               calibration=M.meta.get("calibration"), cost=M.meta.get("cost"),
               gamma=M.to_frame().round(4).to_dict(), specific=study.specific.to_frame().round(4).to_dict() if study.specific else None,
               goals=GOALS, machine=dict(cpus=os.cpu_count()), wall_s=round(time.perf_counter() - t0, 1))
    out["goals_met"] = dict(split_half_sb=bool(out["split_half_sb"] >= GOALS["split_half_sb"]),
                            sign_agreement=bool(out["sign_agreement"] >= GOALS["sign_agreement"]))
    print(json.dumps({k: v for k, v in out.items() if k not in ("method", "gamma", "specific", "health", "calibration")}, indent=1))
    print(study.health.verdict)
    if not a.smoke: atomic_write_json(ROOT / "bench" / "results" / "real_study.json", out)
