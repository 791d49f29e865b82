"Every intervention design runs on the skill world (small sizes, real fine-tuning runs) and yields a matrix with confidence intervals."
import numpy as np
import pytest

from instr_dep.skillworld import make_skill_world
from instr_dep.sweep import add_design, remove_design, loo_design, factorial_design, swarm_design, run_sweep
from instr_dep.interaction import interaction_matrix, split_half_agreement, effects_from_results
from instr_dep.train import TrainConfig

@pytest.fixture(scope="module")
def world():
    return make_skill_world(categories=["A", "C", "rot", "rot+A"], n_train=24, n_eval=26)

DESIGNS = {
    "add": lambda t: add_design(t, n_base=12, n_add=12),
    "add_fixed_steps": lambda t: add_design(t, n_base=12, n_add=12, budget="steps"),
    "remove": lambda t: remove_design(t, n_remove=8),
    "leave_one_out": lambda t: loo_design(t, control=False),
    "factorial": lambda t: factorial_design(t, ["A", "rot", "rot+A"], n_add=12, n_base=12),
    "swarm": lambda t: swarm_design(t, k=8, n_base=12, seed=0),
}

@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_design_gives_a_matrix_with_cis(world, tmp_path, name):
    d = DESIGNS[name](world.train)
    sw = run_sweep(world.train, world.eval, d, seeds=(0, 1), cfg=TrainConfig(epochs=1, device="cpu"), out_dir=tmp_path,
                   metrics=("loss",), progress=False)
    M = interaction_matrix(sw.results, n_boot=200)
    expected = ["A", "rot", "rot+A"] if name == "factorial" else world.categories
    assert M.labels == expected
    assert M.ci_low is not None and M.ci_low.shape == (len(expected), len(expected))
    assert np.isfinite(M.effects).all()
    assert M.meta["design"] == ("factorial" if name == "factorial" else "swarm" if name == "swarm" else "intervention")
    if name == "add_fixed_steps":                       # every point trains exactly as many examples as the baseline
        assert {r["stream_length"] for r in sw.records} == {len(d.point("baseline").ids)}

def test_item_and_seed_resampling(world, tmp_path):
    sw = run_sweep(world.train, world.eval, add_design(world.train, n_base=12, n_add=12), seeds=(0, 1), cfg=TrainConfig(epochs=1, device="cpu"),
                   out_dir=tmp_path, metrics=("loss",), progress=False)
    widths = {}
    for rs in ("seeds", "items", "both"):
        M = interaction_matrix(sw.results, resample=rs, records=sw.records, n_boot=200)
        widths[rs] = np.nanmedian(M.effects_ci_high - M.effects_ci_low)
    assert widths["both"] >= min(widths["seeds"], widths["items"])
    assert split_half_agreement(effects_from_results(sw.results).per_seed)["n_splits"] == 1
