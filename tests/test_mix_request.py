"One mix request: the CLI, the MixOptimizer widget and a script ask `request_mix` the same thing and get the same mix."
import json

import numpy as np
from conftest import cli

from instr_dep.data import InstructionSet
from instr_dep.interaction import InteractionMatrix
from instr_dep.selection import MixRequest, request_mix
from instr_dep.widgets import MixOptimizer

def _sets(tmp_path):
    recs = lambda tag, sizes: [dict(id=f"{tag}-{c}-{k}", instruction=f"do {c} {k}", output=f"{tag}{k}", category=c)
                               for c, n in sizes.items() for k in range(n)]
    data = InstructionSet.from_records(recs("d", dict(math=60, code=30, poetry=30)), name="data")
    pool = InstructionSet.from_records(recs("p", dict(math=40, code=40, poetry=40)), name="pool")
    data.to_jsonl(tmp_path / "data.jsonl"); pool.to_jsonl(tmp_path / "pool.jsonl")
    G = np.array([[1.0, 0.4, -0.2], [0.5, 1.0, -0.3], [0.1, -0.1, 1.0]])
    M = InteractionMatrix(["math", "code", "poetry"], G, effects=G * 0.01, baseline_counts=dict(math=60, code=30, poetry=30))
    M.to_json(tmp_path / "gamma.json")
    return data, pool, M

def test_cli_widget_and_script_give_the_same_mix(tmp_path):
    data, pool, M = _sets(tmp_path)
    req = MixRequest(size=110, tau=0.2, delta=0.15)
    script = request_mix(M, data, pool, req).counts
    p = cli("mix", "--study", tmp_path / "gamma.json", "--data", tmp_path / "data.jsonl", "--pool", tmp_path / "pool.jsonl",
            "--out", tmp_path / "mix", "--size", 110, "--tau", 0.2, "--delta", 0.15)
    assert p.returncode == 0, p.stderr
    from_cli = json.loads((tmp_path / "mix" / "mix.manifest.json").read_text())["result"]
    mo = MixOptimizer(M, data, pool=pool, out_dir=tmp_path / "w")
    mo.size_w.value = 110; mo.tau_w.value = 0.2; mo.delta_w.value = 0.15
    assert mo.last_error is None
    assert script == from_cli == mo.result.counts, (script, from_cli, mo.result.counts)
    assert sum(script.values()) == 110 and script != {"math": 55, "code": 27, "poetry": 28}

def test_nothing_can_move_is_said_up_front(tmp_path):
    data, pool, M = _sets(tmp_path)
    p = cli("mix", "--study", tmp_path / "gamma.json", "--data", tmp_path / "data.jsonl", "--out", tmp_path / "nomix")
    assert p.returncode == 2 and "nothing can move" in p.stderr and "--pool" in p.stderr
    assert not (tmp_path / "nomix").exists()
    mo = MixOptimizer(M, data, out_dir=tmp_path / "w")
    assert "nothing can move" in mo.errors.value
