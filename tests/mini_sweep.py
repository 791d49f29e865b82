"A small real sweep run as a separate process by the crash tests: tiny skill world, 10 design points x 2 seeds."
import sys
from pathlib import Path

from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, run_sweep
from instr_dep.train import TrainConfig

if __name__ == "__main__":
    out, workers = Path(sys.argv[1]), int(sys.argv[2])
    w = make_skill_world(categories=["A", "B", "C", "rot", "dash", "rot+A", "A+dash", "count"], n_train=40, n_eval=26)
    sw = run_sweep(w.train, w.eval, add_design(w.train, n_base=20, n_add=20), seeds=(0, 1), cfg=TrainConfig(epochs=2, device="cpu"),
                   out_dir=out, workers=workers, metrics=("loss",), progress=False)
    print("runs", len(sw.records))
