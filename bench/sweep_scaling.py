"""Benchmark: wall time of the same sweep on the local runner (1 process), on Ray with 1 and 2 workers, and on the
local runner with 2 processes, measured side by side in one run on this machine.

The sweep: the full demo's (skill world, 200 + 200 examples per category, 8 categories + control, seeds 0-3:
40 CPU-bound runs of the tiny model of about 2-3 s each, one torch thread per run for every runner). Each runner
writes to a fresh directory (nothing cached). Start-up costs (Ray's cluster, worker processes importing torch) are
included: they are part of what a user waits for. `ratio_2_workers` = local(1 process) / Ray(2 workers); goal >= 1.8 on 2 cores.
Writes bench/results/sweep_scaling.json. Usage: python bench/sweep_scaling.py
"""
import os, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep
from instr_dep.train import TrainConfig
import instr_dep.pipeline as P

if __name__ == "__main__":
    import torch
    torch.set_num_threads(1)                       # every run uses one thread: the local 1-process baseline too
    world = make_skill_world(seed=0)
    work = Path(tempfile.mkdtemp(prefix="scaling_"))
    base = str(P.format_base(world.train, work / "base"))
    design = add_design(world.train, n_base=100, n_add=300)
    seeds = (0, 1, 2, 3)
    out = dict(machine=dict(cpus=os.cpu_count()), runs=len(design.points) * len(seeds), goal_ratio_2_workers=1.8)
    runs = {}
    for name, runner, workers in (("local_1", "local", 1), ("ray_1", "ray", 1), ("ray_2", "ray", 2), ("local_2", "local", 2)):
        t0 = time.perf_counter()
        sw = run_sweep(world.train, world.eval, design, model=base, seeds=seeds, cfg=TrainConfig(), out_dir=work / name,
                       workers=workers, runner=runner, metrics=("loss",), progress=False)
        runs[name] = round(time.perf_counter() - t0, 2)
        out.setdefault("mean_run_s", {})[name] = round(sum(r["wall_s"] for r in sw.records) / len(sw.records), 3)
        print(name, runs[name], flush=True)
        if name == "local_1": ref = sw.results.set_index(["seed", "point", "category"])["loss"].sort_index()
        else:
            diff = (sw.results.set_index(["seed", "point", "category"])["loss"].sort_index() - ref).abs().max()
            out[f"max_abs_loss_diff_{name}_vs_local_1"] = float(diff)
    out["wall_s"] = runs
    out["ratio_2_workers"] = round(runs["local_1"] / runs["ray_2"], 3)
    out["ratio_local_2_processes"] = round(runs["local_1"] / runs["local_2"], 3)
    atomic_write_json(ROOT / "bench" / "results" / "sweep_scaling.json", out)
    print(out)
