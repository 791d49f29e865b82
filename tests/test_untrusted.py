"""Untrusted content: instruction text and category names are user data. Fed as markup (a script tag, attribute-breaking
quotes), they come out of the HTML report and the plotly figures' hover and tick texts escaped, never as markup. Also: no
pickle reads anything back from disk, trust_remote_code is off by default, and weights are saved as safetensors."""
import inspect, json, re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from instr_dep.dependency import graph_from_edges, taxonomy
from instr_dep.interaction import interaction_matrix, compare_with_graph
from instr_dep.plots import heatmap_figure, graph_figure
from instr_dep.report import interaction_report

SCRIPT = "<script>alert(1)</script>"
ATTR = '" onmouseover="x'
IMG = "'><img src=x onerror=y>"
PAYLOADS = [SCRIPT, ATTR, IMG]
RAW = [SCRIPT, "<script>alert", 'onmouseover="x', "<img src=x", "'><img"]      # none of these may survive anywhere

@pytest.fixture(scope="module")
def study():
    "A synthetic add-n sweep (2 seeds) over three categories named by the payloads, its Γ, a user graph and their comparison."
    cats = PAYLOADS
    rng = np.random.default_rng(0)
    rows = []
    for s in (0, 1):
        for p, changed in [("baseline", None), ("control", None)] + [(f"add:{c}", c) for c in cats]:
            for c in cats:
                gain = 0.3 if changed == c else 0.1 if changed is not None else 0.05 if p == "control" else 0.0
                rows.append(dict(run_id=f"s{s}_{p}", point=p, changed=changed, n_added=0 if p == "baseline" else 10, seed=s,
                                 category=c, loss=2.0 - gain + rng.normal(0, 0.01), n_train=30, steps=4, tokens=100, wall_s=1.0,
                                 device="cpu", composition=json.dumps({c: 10 for c in cats})))
    results = pd.DataFrame(rows)
    M = interaction_matrix(results, n_boot=200)
    g = graph_from_edges([(SCRIPT, ATTR), (ATTR, IMG)], cats)
    return M, results, g

def strings(obj):
    "Every string inside a nested structure of dicts, lists and arrays."
    if isinstance(obj, str): yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items(): yield from strings(k); yield from strings(v)
    elif isinstance(obj, (list, tuple, np.ndarray)):
        for v in obj: yield from strings(v)

def assert_no_markup(texts, where):
    for t in texts:
        for raw in RAW: assert raw not in t, f"{where}: unescaped {raw!r} in {t!r}"

def test_heatmap_hover_and_ticks_are_escaped(study):
    M, _, _ = study
    for what in ("gamma", "effects"):
        fig = heatmap_figure(M, what=what)
        texts = list(strings(fig.to_plotly_json()))
        assert_no_markup(texts, f"heatmap ({what})")
        assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in texts)          # the name is shown, as text
        assert any("&#x27;&gt;&lt;img src=x onerror=y&gt;" in t for t in texts)

def test_graph_figure_hover_and_labels_are_escaped(study):
    _, _, g = study
    fig = graph_figure(g)
    texts = list(strings(fig.to_plotly_json()))
    assert_no_markup(texts, "graph figure")
    assert any("&quot; onmouseover=&quot;x" in t for t in texts)

def test_report_escapes_instruction_text_and_category_names(study):
    M, results, g = study
    examples = pd.DataFrame({"category": PAYLOADS, "instruction": [f"Explain {p}" for p in PAYLOADS], "input": [IMG] * 3,
                             "output": [ATTR] * 3})
    stats = pd.DataFrame({"train": [10, 10, 10]}, index=pd.Index(PAYLOADS, name="category"))
    dep = dict(graph=g, taxonomy=taxonomy(g), warnings=[f"a warning about {SCRIPT}"], recovery=None)
    html = interaction_report(M, results, data_stats=stats, agreement=None, cost=dict(wall_s=60, tokens=1000),
                              config=dict(data=SCRIPT, note=ATTR), comparison=compare_with_graph(M, g), planted_edges=list(g.edges),
                              examples=examples, dependency=dep, title=f"study of {IMG}")
    body = html.replace(re.search(r"<script type=\"text/javascript\">.*?</script>", html, re.S).group(0), "")   # plotly.js itself
    assert_no_markup([body], "report")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&quot; onmouseover=&quot;x" in body
    # the only script tags left are plotly's figure scripts: one per figure, each opening a plotly call
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", body, re.S)
    assert scripts and all("Plotly.newPlot" in s or "window.PLOTLYENV" in s for s in scripts), [s[:80] for s in scripts]

def test_no_pickle_when_reading_from_disk():
    "Nothing in the library unpickles: no pickle/joblib/dill, no pd.read_pickle, no allow_pickle, torch.load only with weights_only."
    bad = []
    for f in sorted((ROOT / "instr_dep").glob("*.py")):
        for n, line in enumerate(f.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if re.search(r"\b(import\s+(c?pickle|joblib|dill)|from\s+(c?pickle|joblib|dill)\s+import|read_pickle|allow_pickle\s*=\s*True)", code):
                bad.append(f"{f.name}:{n}: {line.strip()}")
            if "torch.load(" in code and "weights_only=True" not in code: bad.append(f"{f.name}:{n}: {line.strip()}")
            if re.search(r"safe_serialization\s*=\s*False", code): bad.append(f"{f.name}:{n}: {line.strip()}")
    assert not bad, "unsafe deserialisation:\n" + "\n".join(bad)

def test_trust_remote_code_is_off_by_default():
    from instr_dep.models import load_model
    from instr_dep.sweep import run_sweep, SweepSpec
    assert inspect.signature(load_model).parameters["trust_remote_code"].default is False
    assert inspect.signature(run_sweep).parameters["trust_remote_code"].default is False
    assert SweepSpec.__dataclass_fields__["trust_remote_code"].default is False
    calls = [l for f in (ROOT / "instr_dep").glob("*.py") for l in f.read_text().splitlines() if "trust_remote_code=True" in l]
    assert not calls, calls

def test_weights_are_saved_as_safetensors(tmp_path):
    from instr_dep.models import load_model, save_model, TinyConfig
    model, tok = load_model(TinyConfig(d_model=16, n_layers=1, n_heads=2, max_len=32), device="cpu")
    save_model(model, tok, tmp_path / "m")
    names = {p.name for p in (tmp_path / "m").iterdir()}
    assert "model.safetensors" in names and not any(n.endswith((".bin", ".pt", ".pkl", ".pth")) for n in names), names
