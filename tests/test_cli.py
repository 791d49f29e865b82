"The instr-dep command end to end: the quick demo writes its files, resumes without recomputing, and refuses to mix studies."
import json, os
from pathlib import Path

import pandas as pd
import pytest
from conftest import cli

@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    p = cli("demo", "--quick", "--out", out, "--no-progress")
    assert p.returncode == 0, p.stderr[-4000:]
    return out, p

def test_demo_writes_gamma_results_report_heatmap(quick_demo):
    out, p = quick_demo
    for f in ("gamma.json", "results.csv", "report.html", "heatmap.png", "instr_dep.json"):
        assert (out / f).exists(), f
    g = json.loads((out / "gamma.json").read_text())
    assert g["labels"] == ["rot", "swap", "A", "C", "E", "swap+C", "rot+C", "swap+E", "count"]      # world 0 of the family
    assert {"values", "ci_low", "ci_high"} <= set(g)
    C = len(g["labels"])
    assert all(len(row) == C for row in g["values"])
    for i in range(C):                                  # unit diagonal wherever the row is reliable
        if g["reliable"][i]: assert abs(g["values"][i][i] - 1) < 1e-9
    res = pd.read_csv(out / "results.csv")
    assert res.run_id.nunique() == 2 * (C + 2) and set(res.category) == set(g["labels"])
    assert (out / "heatmap.png").read_bytes()[:4] == b"\x89PNG"
    assert "split-half Spearman" in p.stdout
    assert p.stdout.strip().splitlines()[-1].startswith("health: ")                  # the verdict is the last line
    assert {"specific", "health"} <= set(g) and g["health"]["verdict"] == p.stdout.strip().splitlines()[-1][len("health: "):]
    man = json.loads((out / "instr_dep.json").read_text())
    assert man["config"]["calibration"]["epochs"] >= 1 and man["config"]["calibration"]["pilots"]

def test_demo_compares_with_the_planted_graph(quick_demo):
    "The demo holds Γ (and the specific Γ) against its planted graph; how well it does is measured by bench/unseen_worlds.py."
    out, _ = quick_demo
    g = json.loads((out / "gamma.json").read_text())
    planted = g["meta"]["planted"]
    assert planted["planted_cells"] == 12, planted                                          # 6 edges, both directions
    assert 0 <= planted["auc_planted_vs_unrelated"] <= 1 and 0 <= planted["specific"]["auc_planted_vs_unrelated"] <= 1
    dependents = {"swap+C", "rot+C", "swap+E"}                                              # world 0's planted children
    ok = any(g["reliable"][g["labels"].index(c)] for c in dependents)
    for a in (planted["auc_gamma"], planted["specific"]["auc_gamma"]):   # Γ's AUC exists exactly when a dependent's row is usable
        assert (a is not None and 0 <= a <= 1) if ok else a is None, (a, g["reliable"])

def test_demo_resumes_without_recomputing(quick_demo):
    out, _ = quick_demo
    runs = sorted((out / "runs").glob("*.json"))
    stamp = {p.name: p.stat().st_mtime_ns for p in runs}
    p = cli("demo", "--quick", "--out", out, "--no-progress")
    assert p.returncode == 0, p.stderr[-3000:]
    assert {q.name: q.stat().st_mtime_ns for q in sorted((out / "runs").glob("*.json"))} == stamp

def test_demo_refuses_a_directory_it_did_not_write(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    p = cli("demo", "--quick", "--out", tmp_path, "--no-progress")
    assert p.returncode == 2
    assert "not an instr_dep run directory" in p.stderr and "Traceback" not in p.stderr
    assert (tmp_path / "thesis.tex").read_text() == "precious"

def test_run_on_a_user_file(tmp_path, shared):
    "instr-dep run on a slice of the Super-NaturalInstructions sample with the tiny model."
    df = pd.read_json(shared / "natinst_sample.jsonl", lines=True)
    df = df[df.category.isin(["Mathematics", "Sentiment Analysis", "Program Execution"])].groupby("category").head(12)
    df.to_json(tmp_path / "ni.jsonl", orient="records", lines=True)
    p = cli("run", "--data", tmp_path / "ni.jsonl", "--out", tmp_path / "o", "--quick", "--no-progress", "--max-length", "96")
    assert p.returncode == 0, p.stderr[-3000:]
    g = json.loads((tmp_path / "o" / "gamma.json").read_text())
    assert sorted(g["labels"]) == ["Mathematics", "Program Execution", "Sentiment Analysis"]
