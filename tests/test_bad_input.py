"Every validation error of the data loader, through the API and through the CLI: a clear message naming file and line, no traceback, no output."
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import cli

from instr_dep.core import DataError
from instr_dep.data import InstructionSet, load_instructions, split_per_category

GOOD = dict(id="a", instruction="Add 2 and 3.", input="", output="5", category="math")

def write_jsonl(path, lines):
    path.write_bytes(b"".join((l if isinstance(l, bytes) else json.dumps(l).encode()) + b"\n" for l in lines))
    return path

CASES = {
    "malformed_json": ([GOOD, b'{"id": "b", "instruction": "x" "output": "y", "category": "c"}'], "data.jsonl:2: malformed JSON"),
    "not_an_object": ([GOOD, b'["a", "list"]'], "data.jsonl:2: expected a JSON object, got list"),
    "wrong_encoding": ([GOOD, '{"id": "b", "instruction": "caf\u00e9", "output": "y", "category": "c"}'.encode("latin-1")],
                       "data.jsonl:2: not valid UTF-8"),
    "missing_output": ([GOOD, {k: v for k, v in GOOD.items() if k != "output"} | {"id": "b"}], "data.jsonl:2: field 'output' is missing"),
    "empty_instruction": ([GOOD, GOOD | {"id": "b", "instruction": "   "}], "data.jsonl:2: field 'instruction' is empty"),
    "empty_category": ([GOOD, GOOD | {"id": "b", "category": ""}], "data.jsonl:2: field 'category' is empty"),
    "non_string_output": ([GOOD, GOOD | {"id": "b", "output": 5}], "data.jsonl:2: field 'output' must be a string, got int"),
    "non_string_input": ([GOOD, GOOD | {"id": "b", "input": ["x"]}], "data.jsonl:2: field 'input' must be a string, got list"),
    "duplicate_id": ([GOOD, GOOD], "data.jsonl:2: duplicate id 'a' (first seen at data.jsonl:1)"),
    "empty_id": ([GOOD, GOOD | {"id": ""}], "data.jsonl:2: field 'id' must be a non-empty string"),
    "no_category_column": ([{k: v for k, v in GOOD.items() if k != "category"}], "required field(s) ['category'] not found"),
}

@pytest.mark.parametrize("case", sorted(CASES))
def test_loader_names_the_problem_and_its_line(tmp_path, case):
    lines, expected = CASES[case]
    path = write_jsonl(tmp_path / "data.jsonl", lines)
    with pytest.raises(DataError) as e:
        InstructionSet.load(path)
    assert expected in str(e.value)

@pytest.mark.parametrize("case", ["malformed_json", "duplicate_id", "missing_output"])
def test_cli_reports_bad_data_without_traceback_or_output(tmp_path, case):
    lines, expected = CASES[case]
    path = write_jsonl(tmp_path / "data.jsonl", lines)
    p = cli("run", "--data", path, "--out", tmp_path / "out", "--quick", "--no-progress")
    assert p.returncode == 2
    assert expected in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "out").exists()

def test_all_problems_reported_at_once(tmp_path):
    path = write_jsonl(tmp_path / "data.jsonl", [GOOD, GOOD | {"id": "b", "output": ""}, GOOD | {"id": "c", "category": ""}])
    with pytest.raises(DataError) as e: InstructionSet.load(path)
    msg = str(e.value)
    assert "2 problem(s)" in msg and "data.jsonl:2" in msg and "data.jsonl:3" in msg

def test_category_too_small_to_split():
    recs = [GOOD | {"id": str(k)} for k in range(5)] + [GOOD | {"id": "x", "category": "poetry"}]
    with pytest.raises(DataError) as e: split_per_category(InstructionSet.from_records(recs))
    assert "too small to split" in str(e.value) and "'poetry': 1" in str(e.value)

def test_csv_location_is_the_file_line(tmp_path):
    (tmp_path / "d.csv").write_text("id,instruction,output,category\na,x,y,c\nb,x,,c\n")
    with pytest.raises(DataError) as e: InstructionSet.load(tmp_path / "d.csv")
    assert "d.csv:3: field 'output' is empty" in str(e.value)

def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(DataError, match="file not found"): InstructionSet.load(tmp_path / "nope.jsonl")
    (tmp_path / "d.txt").write_text("x")
    with pytest.raises(DataError, match="unknown file type"): InstructionSet.load(tmp_path / "d.txt")

def test_real_samples_load(shared):
    assert len(load_instructions(shared / "dolly_sample.jsonl")) == 477
    assert len(load_instructions(shared / "natinst_sample.jsonl")) == 344
