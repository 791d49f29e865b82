"Determinism: on CPU the same seeds give the same runs, Γ, dependency graph, LP solution and realised set, exactly."
import numpy as np

import tiny_study

def assert_same_study(a:dict, b:dict):
    "Exact equality of two `tiny_study.analyse` results (NaN equals NaN)."
    assert a["records"] == b["records"]                                          # per-category and per-item metrics of every run
    for k in ("gamma", "effects", "w"): np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    for x, y in zip(a["ci"], b["ci"]): np.testing.assert_array_equal(x, y)
    assert a["edges"] == b["edges"] and a["counts"] == b["counts"] and a["realised"] == b["realised"]

def test_same_seed_same_study(tiny_reference, tmp_path):
    _, ref = tiny_reference
    again = tiny_study.analyse(tiny_study.sweep(tmp_path / "again"))
    assert len(again["records"]) == 8 and len(again["realised"]) > 0
    assert_same_study(again, ref)
