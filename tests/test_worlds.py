"""Planted worlds and studies of unseen data: the premise holds in a fast form, calibration follows its rule, the CLI
writes a world a study can read back."""
import json

import numpy as np
import pytest
from conftest import cli

from instr_dep.skillworld import make_skill_world, read_planted
from instr_dep.sweep import premise_design, premise_summary, run_sweep
from instr_dep.train import TrainConfig
from instr_dep.pipeline import format_base, run_study, StudyConfig, GAIN_RANGE, MAX_PILOTS

def test_premise_holds_in_a_fast_form(tmp_path):
    """A model that has learned the parts (the cipher A and the route rot) learns the composite rot+A faster than one
    that spent the same steps on unrelated data (the cipher C and count), at a constant learning rate, on 3 seeds.
    The first stage must be long enough for the parts to be learned: at 400 examples the head start is +0.05 nats with an
    interval reaching below 0 (the parts are barely learned); at 800 it is +0.21 (0.07 to 0.34)."""
    w = make_skill_world(categories=["A", "C", "rot", "rot+A", "count"], n_train=800, n_eval=48, seed=7)
    base = str(format_base(w.train, tmp_path / "base", n=1500))
    d = premise_design(w.train, "rot+A", ["A", "rot"], ["C", "count"], n_first=800, n_composite=160)
    sw = run_sweep(w.train, w.eval, d, model=base, seeds=(0, 1, 2), cfg=TrainConfig(scheduler="constant_with_warmup"),
                   out_dir=tmp_path / "premise", workers=2, metrics=("loss",), progress=False)
    s = premise_summary(sw.results, "rot+A")
    assert s["holds"], s                                   # fillers - parts: 95% interval above 0
    assert s["alone_minus_parts"]["mean"] > 0, s

def test_calibration_follows_its_rule(tmp_path):
    "Pilots start at the configured epochs, double below the target range, halve above it; the nearest pilot is chosen."
    w = make_skill_world(categories=["A", "rot", "rot+A", "count"], n_train=60, n_eval=16, seed=3)
    r = run_study(w.train, w.eval, tmp_path / "s", StudyConfig(seeds=2, workers=2, format_examples=300, train=TrainConfig(epochs=1)),
                  progress=False)
    pilots, (lo, hi) = r.calibration.pilots, GAIN_RANGE
    assert pilots[0]["epochs"] == 1 and 1 <= len(pilots) <= MAX_PILOTS
    for a, b in zip(pilots, pilots[1:]):
        assert b["epochs"] == (2 * a["epochs"] if a["median_gain"] < lo else max(1, a["epochs"] // 2)), pilots
    dist = lambda p: max(lo - p["median_gain"], p["median_gain"] - hi, 0)
    assert dist(next(p for p in pilots if p["epochs"] == r.calibration.epochs)) == min(dist(p) for p in pilots)
    assert r.matrix.meta["train"]["epochs"] == r.calibration.epochs
    man = json.loads((tmp_path / "s" / "instr_dep.json").read_text())
    assert man["config"]["calibration"]["epochs"] == r.calibration.epochs

def test_world_command_writes_a_user_file(tmp_path):
    p = cli("world", "--seed", 12, "--out", tmp_path / "w.jsonl", "--n-train", 30, "--n-eval", 6)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(l) for l in (tmp_path / "w.jsonl").read_text().splitlines()]
    w = make_skill_world(seed=12, n_train=30, n_eval=6)
    assert len(rows) == len(w.train) + len(w.eval) and {r["split"] for r in rows} == {"train", "eval"}
    assert sorted(read_planted(tmp_path / "w.jsonl").edges) == w.planted_edges()
    bad = tmp_path / "bad.jsonl"
    bad.write_text((tmp_path / "w.jsonl").read_text().replace('"split": "eval"', '"split": "test"', 1))
    p = cli("run", "--data", bad, "--out", tmp_path / "o")
    assert p.returncode == 2 and "bad.jsonl:" in p.stderr and "field 'split' must be 'train' or 'eval', got 'test'" in p.stderr
    assert not (tmp_path / "o").exists()
