"""The bad-input catalogue: one test per way a user's data, settings or directories can be wrong. Each case asserts the
error type, that the message names what is wrong and where (file:line, category, edge, run file), and that nothing was
written. CLI cases assert exit status 2, one paragraph on stderr that starts with `instr-dep: error:`, no traceback
and no output directory."""
import json, os, warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import cli

from instr_dep.core import ConfigError, DataError, RunError, InstrDepError
from instr_dep.data import InstructionSet, split_per_category
from instr_dep.dependency import graph_from_edges
from instr_dep.interaction import InteractionMatrix
from instr_dep.selection import optimise_mix, realise_mix, compat_mix

REC = dict(id="a", instruction="Add 2 and 3.", input="", output="5", category="math")

def jsonl(path, *lines) -> Path:
    "Write `lines` (dicts as JSON, bytes as they are) to `path`, one per line."
    path.write_bytes(b"".join((l if isinstance(l, bytes) else json.dumps(l).encode()) + b"\n" for l in lines))
    return path

def snapshot(root) -> dict:
    "Every path under `root` with its size and mtime: equal snapshots mean nothing was written."
    root = Path(root)
    if not root.exists(): return {}
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}

def fails(exc, fn, *parts, untouched=None):
    "Call `fn`; it must raise `exc` whose message holds every one of `parts`, leaving `untouched` as it was."
    before = snapshot(untouched) if untouched is not None else None
    with pytest.raises(exc) as e: fn()
    msg = str(e.value)
    for p in parts: assert p in msg, f"{p!r} not in the message:\n{msg}"
    assert isinstance(e.value, InstrDepError) and "Traceback" not in msg
    if untouched is not None: assert snapshot(untouched) == before, "something was written"
    return e.value

def small_set(n=8, cats=("math", "code", "chat")):
    return InstructionSet.from_records([REC | dict(id=f"{c}{k}", category=c, output=f"{c}{k}") for c in cats for k in range(n)])

# ---------------------------------------------------------------------------------------------------------------- data
def test_utf16_file(tmp_path):
    p = tmp_path / "data.jsonl"; p.write_bytes((json.dumps(REC) + "\n").encode("utf-16"))
    fails(DataError, lambda: InstructionSet.load(p), "data.jsonl", "is UTF-16 encoded, not UTF-8", "re-save it as UTF-8")

def test_latin1_csv_names_the_line(tmp_path):
    p = tmp_path / "d.csv"; p.write_bytes("id,instruction,output,category\na,x,y,c\nb,caf\xe9,y,c\n".encode("latin-1"))
    fails(DataError, lambda: InstructionSet.load(p), "d.csv:3: not valid UTF-8")

def test_empty_jsonl_file(tmp_path):
    p = tmp_path / "empty.jsonl"; p.write_text("\n  \n")
    fails(DataError, lambda: InstructionSet.load(p), "empty.jsonl: no examples")

def test_csv_with_only_a_header(tmp_path):
    p = tmp_path / "d.csv"; p.write_text("id,instruction,output,category\n")
    fails(DataError, lambda: InstructionSet.load(p), "d.csv: no examples")

def test_null_category(tmp_path):
    p = jsonl(tmp_path / "data.jsonl", REC, REC | {"id": "b", "category": None})
    fails(DataError, lambda: InstructionSet.load(p), "data.jsonl:2: field 'category' is missing")

def test_object_where_text_is_expected(tmp_path):
    p = jsonl(tmp_path / "data.jsonl", REC | {"instruction": {"text": "Add 2 and 3."}})
    fails(DataError, lambda: InstructionSet.load(p), "data.jsonl:1: field 'instruction' must be a string, got dict")

def test_boolean_id(tmp_path):
    p = jsonl(tmp_path / "data.jsonl", REC, REC | {"id": True})
    fails(DataError, lambda: InstructionSet.load(p), "data.jsonl:2: field 'id' must be a non-empty string, got True")

def test_duplicate_id_in_csv(tmp_path):
    p = tmp_path / "d.csv"; p.write_text("id,instruction,output,category\na,x,y,c\na,z,w,c\n")
    fails(DataError, lambda: InstructionSet.load(p), "d.csv:3: duplicate id 'a' (first seen at d.csv:2)")

def test_csv_location_after_a_multiline_field(tmp_path):
    "A quoted field spanning two lines: the next record's location is its real line (was one line too early)."
    p = tmp_path / "d.csv"; p.write_text('id,instruction,output,category\na,"line one\nline two",y,c\nb,x,,c\n')
    fails(DataError, lambda: InstructionSet.load(p), "d.csv:4: field 'output' is empty")

def test_directory_given_as_data_file(tmp_path):
    (tmp_path / "data.jsonl").mkdir()
    fails(DataError, lambda: InstructionSet.load(tmp_path / "data.jsonl"), "data.jsonl: is a directory")

def test_field_map_names_a_missing_column(tmp_path):
    p = jsonl(tmp_path / "data.jsonl", REC)
    fails(DataError, lambda: InstructionSet.load(p, field_map={"response": "output"}), "field_map names column 'response'", "data.jsonl")

# ---------------------------------------------------------------------------------------------- categories with 0 or 1
def test_category_with_one_training_example():
    from instr_dep.sweep import add_design
    data = small_set(n=6, cats=("math", "code")).concat(InstructionSet.from_records([REC | dict(id="p0", category="poetry")]))
    fails(ConfigError, lambda: add_design(data), "category 'poetry' has 1 training example(s)", "at least 2 examples per category")

def test_category_with_no_held_out_examples(tmp_path):
    from instr_dep.sweep import run_sweep
    train, ev = small_set(cats=("math", "code", "poetry")), small_set(cats=("math", "code"))
    fails(ConfigError, lambda: run_sweep(train, ev, out_dir=tmp_path / "out", progress=False),
          "categories without held-out examples: ['poetry']")
    assert not (tmp_path / "out").exists()

def test_mix_target_for_a_category_with_no_examples():
    fails(ConfigError, lambda: realise_mix(small_set(), None, {"math": 4, "poetry": 3}), "target names categories with no examples: ['poetry']")

# ------------------------------------------------------------------------------------------------- user graph (edges)
def test_user_graph_with_unknown_category():
    fails(ConfigError, lambda: graph_from_edges([("math", "poetry")], ["math", "code"]), "unknown categories ['poetry']",
          "categories are ['math', 'code']")

def test_cyclic_user_graph_where_a_dag_is_required():
    edges = [("math", "code"), ("code", "chat"), ("chat", "math")]
    fails(ConfigError, lambda: graph_from_edges(edges, ["math", "code", "chat"], require_dag=True), "cycle: math -> code -> chat -> math")

def test_user_graph_with_non_numeric_strength():
    fails(ConfigError, lambda: graph_from_edges([("math", "code"), ("code", "chat", "strong")], ["math", "code", "chat"]),
          "edge 1: the strength of 'code' -> 'chat' must be a finite number, got 'strong'")

def test_user_graph_with_a_malformed_edge():
    fails(ConfigError, lambda: graph_from_edges([("math", "code"), "codechat"], ["math", "code", "chat"]),
          "edge 1: an edge is (prerequisite, dependent)")

def test_user_graph_with_duplicate_categories():
    fails(ConfigError, lambda: graph_from_edges([("math", "code")], ["math", "code", "math"]), "duplicates ['math']")

# ------------------------------------------------------------------------------------------------------------ matrices
def test_non_square_matrix():
    fails(DataError, lambda: InteractionMatrix(["a", "b"], np.ones((2, 3))), "Γ must be square, got shape (2, 3)")

def test_unlabelled_array():
    fails(DataError, lambda: optimise_mix(np.eye(3), [1/3] * 3), "an array Γ needs labels")

def test_unlabelled_dataframe():
    fails(DataError, lambda: InteractionMatrix.from_frame(pd.DataFrame(np.eye(3))), "Γ has no category labels")
    fails(DataError, lambda: optimise_mix(pd.DataFrame(np.eye(3)), [1/3] * 3), "Γ has no category labels")

def test_matrix_with_different_row_and_column_labels():
    df = pd.DataFrame(np.eye(2), index=["math", "code"], columns=["math", "chat"])
    fails(DataError, lambda: InteractionMatrix.from_frame(df), "row labels ['math', 'code'] and column labels ['math', 'chat'] differ")

def test_matrix_with_text_in_a_cell():
    df = pd.DataFrame([[1, "n/a"], [0.2, 1]], index=["math", "code"], columns=["math", "code"])
    fails(DataError, lambda: optimise_mix(df, [0.5, 0.5]), "not numbers, e.g. ('math', 'code'): 'n/a'")

def test_ragged_matrix_on_disk(tmp_path):
    p = tmp_path / "gamma.json"; p.write_text(json.dumps({"labels": ["a", "b"], "values": [[1, 0.5], [0.2]]}))
    fails(DataError, lambda: InteractionMatrix.from_json(p), f"{p}: field 'values' is not a rectangular table")

def test_corrupt_matrix_file(tmp_path):
    p = tmp_path / "gamma.json"; p.write_text('{"labels": ["a", "b"], "values": [[1, 0.5], [0.2, 1]')
    fails(DataError, lambda: InteractionMatrix.from_json(p), f"{p}: cannot read an interaction matrix")

def test_nan_in_gamma():
    G = pd.DataFrame([[1, 0.2, 0.1], [np.nan, 1, 0.3], [0.1, 0.1, 1]], index=["math", "code", "chat"], columns=["math", "code", "chat"])
    fails(DataError, lambda: optimise_mix(G, [1/3] * 3), "Γ has NaN in the rows of ['code']", "unreliable='own'")

def test_inf_in_gamma():
    G = np.eye(3); G[0, 2] = np.inf
    fails(DataError, lambda: optimise_mix(G, [1/3] * 3, labels=["math", "code", "chat"]), "infinite values at [('math', 'chat')]")

# ------------------------------------------------------------------------------------------------------------------ LP
def test_lp_infeasible_lower_bounds():
    fails(ConfigError, lambda: optimise_mix(np.eye(3), [1/3] * 3, labels=["math", "code", "chat"], min_share={"math": 0.6, "code": 0.5}),
          "no mix satisfies the constraints: the lower bounds sum to 1.1 > 1", "math 0.6 (min share)", "code 0.5 (min share)")

def test_lp_infeasible_moved_share():
    fails(ConfigError, lambda: optimise_mix(np.eye(2), [0.5, 0.5], labels=["math", "code"], tau=0.05, min_share={"code": 0.8}),
          "more than the moved share allows, 2*tau = 0.1")

def test_lp_infeasible_in_integers():
    fails(ConfigError, lambda: optimise_mix(np.eye(2), [0.5, 0.5], labels=["math", "code"], size=1, integer=True, min_share=0.4),
          "no integer mix of 1 examples")

def test_lp_unbounded():
    """Over mixes (sum(w) = 1, w >= 0) the LP is never unbounded: only an infinite objective would make it so, and
    infinite Γ values are refused by name. Huge finite values (which HiGHS reads as infinite from 1e20 up) are solved."""
    G = np.eye(2); G[1, 0] = -np.inf
    fails(DataError, lambda: optimise_mix(G, [0.5, 0.5], labels=["math", "code"]), "infinite values at [('code', 'math')]")
    r = optimise_mix(np.array([[1.0, 1e300], [0.0, 1.0]]), [0.5, 0.5], labels=["math", "code"], delta=0.1)
    np.testing.assert_allclose(r.w, [0.4, 0.6])

def test_negative_size():
    fails(ConfigError, lambda: optimise_mix(np.eye(2), [0.5, 0.5], labels=["math", "code"], size=-100), "size must be > 0, got -100")

def test_unknown_category_in_lp_bounds():
    fails(ConfigError, lambda: optimise_mix(np.eye(2), [0.5, 0.5], labels=["math", "code"], min_share={"poetry": 0.1}),
          "min_share names unknown category ['poetry']", "categories are ['math', 'code']")

def test_misspelled_lp_constraint():
    fails(ConfigError, lambda: optimise_mix(np.eye(2), [0.5, 0.5], labels=["math", "code"], max_shares=0.6),
          "unknown constraint(s) ['max_shares']", "did you mean 'max_share'?")

def test_lp_bound_that_is_not_a_number():
    fails(ConfigError, lambda: optimise_mix(np.eye(2), [0.5, 0.5], labels=["math", "code"], max_share={"math": "60%"}),
          "max_share['math'] must be a number >= 0, got '60%'")

def test_importance_missing_a_category():
    fails(ConfigError, lambda: optimise_mix(np.eye(3), {"math": 2, "code": 1}, labels=["math", "code", "chat"]), "alpha has no value for ['chat']")

def test_compat_counts_with_unknown_category():
    fails(ConfigError, lambda: compat_mix(np.eye(2), {"math": 100, "poetry": 30}, labels=["math", "code"]),
          "counts names categories that Γ does not have: ['poetry']")

# ------------------------------------------------------------------------------------------------------ models, devices
def test_model_path_that_does_not_exist(tmp_path):
    from instr_dep.models import load_model
    fails(ConfigError, lambda: load_model(str(tmp_path / "no-such-model")), f"model path '{tmp_path / 'no-such-model'}' does not exist")

def test_hub_id_while_offline():
    from instr_dep.models import load_model
    fails(ConfigError, lambda: load_model("HuggingFaceTB/SmolLM2-135M-Instruct"), "'HuggingFaceTB/SmolLM2-135M-Instruct' is not a local directory",
          "hub id", "never downloads")

def test_model_directory_without_config(tmp_path):
    from instr_dep.models import load_model
    (tmp_path / "weights.bin").write_bytes(b"\0")
    fails(ConfigError, lambda: load_model(str(tmp_path)), "has no config.json")

def test_cuda_without_gpu():
    import torch
    from instr_dep.models import resolve_device
    if torch.cuda.is_available(): pytest.skip("a GPU is present")
    fails(ConfigError, lambda: resolve_device("cuda"), "device 'cuda' requested but no CUDA GPU is visible", "use device='cpu'")

def test_unknown_device():
    from instr_dep.models import resolve_device
    fails(ConfigError, lambda: resolve_device("tpu"), "unknown device 'tpu'")

# ------------------------------------------------------------------------------------------------ run directories, cache
def test_existing_foreign_output_directory(tmp_path):
    from instr_dep.core import prepare_run_dir
    (tmp_path / "thesis.tex").write_text("precious")
    fails(RunError, lambda: prepare_run_dir(tmp_path, "study", "abc", {}), f"{tmp_path}: is not empty and is not an instr_dep run directory",
          untouched=tmp_path)

def test_run_directory_from_an_older_version(tmp_path):
    from instr_dep.core import prepare_run_dir, MANIFEST
    (tmp_path / MANIFEST).write_text(json.dumps(dict(tool="instr_dep", format=0, kind="study", fingerprint="abc")))
    (tmp_path / "runs").mkdir(); (tmp_path / "runs" / "old.json").write_text("{}")
    fails(RunError, lambda: prepare_run_dir(tmp_path, "study", "abc", {}), f"{tmp_path}: run directory written by an older layout (format 0",
          untouched=tmp_path)

def test_manifest_that_is_not_ours(tmp_path):
    from instr_dep.core import prepare_run_dir, MANIFEST
    (tmp_path / MANIFEST).write_text("[1, 2, 3]")
    fails(RunError, lambda: prepare_run_dir(tmp_path, "study", "abc", {}), "instr_dep.json is not an instr_dep manifest", untouched=tmp_path)

def test_output_directory_under_a_file(tmp_path):
    from instr_dep.core import prepare_run_dir
    (tmp_path / "notes.txt").write_text("mine")
    fails(RunError, lambda: prepare_run_dir(tmp_path / "notes.txt" / "out", "study", "abc", {}), "notes.txt is a file, not a directory",
          untouched=tmp_path)

def test_corrupted_run_cache_file(tmp_path):
    "A truncated run file (a crash of an older version, a full disk) is set aside, named, and its run is redone."
    from instr_dep.sweep import load_run
    f = tmp_path / "s0_baseline_0123456789.json"; f.write_text('{"format": 1, "metrics": {"math": {"loss": 1.2')
    with pytest.warns(UserWarning, match=r"run cache file .*s0_baseline_0123456789\.json was unreadable .* moved to s0_baseline_0123456789\.corrupt"):
        assert load_run(f) is None
    assert not f.exists() and (tmp_path / "s0_baseline_0123456789.corrupt").exists()

def test_run_record_from_an_older_version(tmp_path):
    from instr_dep.sweep import load_run
    f = tmp_path / "s0_baseline_0123456789.json"; f.write_text(json.dumps(dict(format=0, metrics={})))
    fails(RunError, lambda: load_run(f), f"{f}: run record format 0", "delete the runs/ folder", untouched=tmp_path)

# ----------------------------------------------------------------------------------------------------------------- CLI
def data_file(tmp_path, n=8) -> Path:
    return jsonl(tmp_path / "data.jsonl", *[REC | dict(id=f"{c}{k}", category=c, output=f"{c}{k}") for c in ("math", "code", "chat") for k in range(n)])

def one_paragraph_error(stderr:str, *parts):
    assert "Traceback" not in stderr, stderr
    text = stderr.strip()
    assert "\n\n" not in text, f"more than one paragraph:\n{stderr}"
    err = text[text.index("instr-dep: error:"):]
    for p in parts: assert p in err, f"{p!r} not in:\n{err}"

def test_cli_utf16_file(tmp_path):
    p = tmp_path / "data.jsonl"; p.write_bytes((json.dumps(REC) + "\n").encode("utf-16"))
    r = cli("run", "--data", p, "--out", tmp_path / "out", "--quick", "--no-progress")
    assert r.returncode == 2
    one_paragraph_error(r.stderr, "data.jsonl: the file is UTF-16 encoded, not UTF-8")
    assert not (tmp_path / "out").exists()

def test_cli_empty_file(tmp_path):
    (tmp_path / "data.jsonl").write_text("")
    r = cli("run", "--data", tmp_path / "data.jsonl", "--out", tmp_path / "out", "--quick", "--no-progress")
    assert r.returncode == 2
    one_paragraph_error(r.stderr, "data.jsonl: no examples")
    assert not (tmp_path / "out").exists()

def test_cli_category_with_one_example(tmp_path):
    p = jsonl(tmp_path / "data.jsonl", *[REC | dict(id=f"m{k}") for k in range(4)], REC | dict(id="p", category="poetry"))
    r = cli("run", "--data", p, "--out", tmp_path / "out", "--quick", "--no-progress")
    assert r.returncode == 2
    one_paragraph_error(r.stderr, "categories too small to split", "'poetry': 1")
    assert not (tmp_path / "out").exists()

def test_cli_cuda_without_gpu(tmp_path):
    "The one heavy CLI case (it imports torch): settings are checked before the run directory is created."
    import torch
    if torch.cuda.is_available(): pytest.skip("a GPU is present")
    r = cli("run", "--data", data_file(tmp_path), "--out", tmp_path / "out", "--quick", "--no-progress", "--device", "cuda")
    assert r.returncode == 2
    one_paragraph_error(r.stderr, "device 'cuda' requested but no CUDA GPU is visible")
    assert not (tmp_path / "out").exists()

def main_run(capsys, tmp_path, *args, out=None):
    "`instr-dep run` in this process (the same code as the command, without a second torch import)."
    from instr_dep.cli import main
    rc = main(["run", "--data", str(data_file(tmp_path)), "--out", str(out or tmp_path / "out"), "--quick", "--no-progress", *map(str, args)])
    return rc, capsys.readouterr().err

def test_cli_model_path_that_does_not_exist(tmp_path, capsys):
    rc, err = main_run(capsys, tmp_path, "--model", tmp_path / "no-such-model")
    assert rc == 2
    one_paragraph_error(err, f"model path '{tmp_path / 'no-such-model'}' does not exist")
    assert not (tmp_path / "out").exists()

def test_cli_hub_id_while_offline(tmp_path, capsys):
    rc, err = main_run(capsys, tmp_path, "--model", "HuggingFaceTB/SmolLM2-135M-Instruct")
    assert rc == 2
    one_paragraph_error(err, "looks like a Hugging Face hub id")
    assert not (tmp_path / "out").exists()

def test_cli_negative_workers(tmp_path, capsys):
    rc, err = main_run(capsys, tmp_path, "--workers", "-2")
    assert rc == 2
    one_paragraph_error(err, "workers must be >= 0")
    assert not (tmp_path / "out").exists()

def test_cli_existing_foreign_output_directory(tmp_path, capsys):
    out = tmp_path / "out"; out.mkdir(); (out / "thesis.tex").write_text("precious")
    before = snapshot(out)
    rc, err = main_run(capsys, tmp_path, out=out)
    assert rc == 2
    one_paragraph_error(err, f"{out}: is not empty and is not an instr_dep run directory")
    assert snapshot(out) == before

def test_cli_run_directory_from_an_older_version(tmp_path, capsys):
    out = tmp_path / "out"; out.mkdir()
    (out / "instr_dep.json").write_text(json.dumps(dict(tool="instr_dep", format=0, kind="study", fingerprint="abc")))
    before = snapshot(out)
    rc, err = main_run(capsys, tmp_path, out=out)
    assert rc == 2
    one_paragraph_error(err, f"{out}: run directory written by an older layout", "use a new output directory")
    assert snapshot(out) == before

def test_cli_output_directory_under_a_file(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    rc, err = main_run(capsys, tmp_path, out=tmp_path / "notes.txt" / "out")
    assert rc == 2
    one_paragraph_error(err, "notes.txt is a file, not a directory")
    assert (tmp_path / "notes.txt").read_text() == "mine"

def test_cli_mix_without_a_study(tmp_path, capsys):
    from instr_dep.cli import main
    rc = main(["mix", "--study", str(tmp_path / "nowhere"), "--data", str(data_file(tmp_path)), "--out", str(tmp_path / "mix")])
    assert rc == 2
    one_paragraph_error(capsys.readouterr().err, "no gamma.json in", "nowhere")
    assert not (tmp_path / "mix").exists()

def test_cli_mix_unknown_export_format(tmp_path, capsys):
    from instr_dep.cli import main
    rc = main(["mix", "--study", str(tmp_path), "--data", str(data_file(tmp_path)), "--out", str(tmp_path / "mix"), "--export", "alpaca"])
    assert rc == 2
    one_paragraph_error(capsys.readouterr().err, "unknown export format(s) ['alpaca']", "llamafactory")
    assert not (tmp_path / "mix").exists()

def test_cli_proxy_model_path_that_does_not_exist(tmp_path, capsys):
    from instr_dep.cli import main
    rc = main(["proxy", "--data", str(data_file(tmp_path)), "--out", str(tmp_path / "out"), "--model", str(tmp_path / "nope"), "--no-progress"])
    assert rc == 2
    one_paragraph_error(capsys.readouterr().err, "does not exist")
    assert not (tmp_path / "out").exists()
