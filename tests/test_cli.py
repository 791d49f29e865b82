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
    assert g["labels"] == ["A", "B", "C", "D", "AB", "CD", "ABC", "count"]
    assert {"values", "ci_low", "ci_high"} <= set(g)
    C = len(g["labels"])
    assert all(len(row) == C for row in g["values"])
    for i in range(C):                                  # unit diagonal wherever the row is reliable
        if g["reliable"][i]: assert abs(g["values"][i][i] - 1) < 1e-9
    res = pd.read_csv(out / "results.csv")
    assert res.run_id.nunique() == 2 * 10 and set(res.category) == set(g["labels"])
    assert (out / "heatmap.png").read_bytes()[:4] == b"\x89PNG"
    assert "split-half Spearman" in p.stdout

def test_demo_shows_planted_structure(quick_demo):
    "Even the quick demo separates planted from unrelated cells (the full demo's figures are in the README)."
    out, _ = quick_demo
    planted = json.loads((out / "gamma.json").read_text())["meta"]["planted"]
    assert planted["auc_planted_vs_unrelated"] > 0.8, planted
    assert planted["planted_positive_significant"] >= planted["planted_cells"] // 2, planted

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
