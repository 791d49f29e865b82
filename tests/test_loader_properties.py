"""Property-based checks of the loaders: any valid records survive a round trip through JSONL and CSV unchanged, and any
invalid line, wherever it is, gives a DataError that names its file and line."""
import csv, io, json

import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from instr_dep.core import DataError
from instr_dep.data import InstructionSet, FIELDS

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
CHARS = st.characters(blacklist_categories=("Cs",))                  # any Unicode text that UTF-8 can encode
text = st.text(CHARS, max_size=30)
required = text.filter(lambda s: s.strip() != "")

@st.composite
def record_lists(draw, min_size=1, max_size=12, chars=CHARS):
    t = st.text(chars, max_size=30)
    r = t.filter(lambda s: s.strip() != "")
    ids = draw(st.lists(r, min_size=min_size, max_size=max_size, unique=True))
    cats = draw(st.lists(r, min_size=1, max_size=3))
    return [dict(id=i, instruction=draw(r), input=draw(t), output=draw(r), category=draw(st.sampled_from(cats))) for i in ids]

def csv_text(recs) -> str:
    "RFC 4180 CSV (CRLF line ends, as Excel writes it): fields holding a line break are quoted. With a bare '\\n' line end,"
    "Python's csv writer leaves a lone '\\r' unquoted, and no reader can tell it from a line end."
    buf = io.StringIO()
    w = csv.writer(buf); w.writerow(FIELDS)
    for r in recs: w.writerow([r[f] for f in FIELDS])
    return buf.getvalue()

@settings(max_examples=60, **SETTINGS)
@given(record_lists())
def test_jsonl_round_trip(tmp_path_factory, recs):
    p = tmp_path_factory.mktemp("rt") / "data.jsonl"
    InstructionSet.from_records(recs).to_jsonl(p)
    assert InstructionSet.load(p).records() == recs

@settings(max_examples=60, **SETTINGS)
@given(record_lists())
def test_csv_round_trip(tmp_path_factory, recs):
    p = tmp_path_factory.mktemp("rt") / "data.csv"
    p.write_text(csv_text(recs), encoding="utf-8", newline="")
    assert InstructionSet.load(p).records() == recs

def _not_a_record(s:str) -> bool:
    try: return not isinstance(json.loads(s), dict)
    except ValueError: return True

bad_lines = st.one_of(
    st.text(CHARS, min_size=1, max_size=40).filter(lambda s: "\n" not in s and s.strip() and _not_a_record(s)).map(str.encode),
    st.binary(min_size=1, max_size=20).filter(lambda b: b"\n" not in b and b.strip()).map(lambda b: b"\xff" + b),   # never UTF-8
    st.sampled_from(FIELDS[1:]).flatmap(lambda f: st.sampled_from([None, "", "  ", 3, 2.5, ["x"], {"k": "v"}, True]).map(
        lambda v: ("field", f, v))),
)

@settings(max_examples=120, **SETTINGS)
@given(record_lists(max_size=8), st.data())
def test_any_invalid_jsonl_line_is_named(tmp_path_factory, recs, data):
    lines = [json.dumps(r).encode() for r in recs]
    blanks = data.draw(st.lists(st.integers(0, len(lines)), max_size=3))                   # blank lines count as lines too
    for k in sorted(blanks, reverse=True): lines.insert(k, b"")
    bad = data.draw(bad_lines)
    if isinstance(bad, tuple):                                                            # a record with one bad field
        _, field, value = bad
        rec = dict(recs[0], id="\x00bad-record")
        if value is None: rec.pop(field)
        else: rec[field] = value
        if field == "input" and (value is None or isinstance(value, str)): return        # an absent or blank input is allowed
        bad = json.dumps(rec).encode()
    k = data.draw(st.integers(0, len(lines)))
    lines.insert(k, bad)
    p = tmp_path_factory.mktemp("bad") / "data.jsonl"
    p.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(DataError) as e: InstructionSet.load(p)
    assert f"data.jsonl:{k + 1}:" in str(e.value), (k, bad, str(e.value))

@settings(max_examples=60, **SETTINGS)
@given(record_lists(min_size=2, max_size=8, chars=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")), st.data())
def test_csv_problem_is_named_at_its_line(tmp_path_factory, recs, data):
    "Fields may hold newlines (quoted): record k (from 0) starts on line 2 + k + the newlines inside the records before it."
    k = data.draw(st.integers(0, len(recs) - 1))
    recs = [dict(r, output="") if j == k else r for j, r in enumerate(recs)]
    line = 2 + k + sum(sum(r[f].count("\n") for f in FIELDS) for r in recs[:k])
    p = tmp_path_factory.mktemp("bad") / "data.csv"
    p.write_text(csv_text(recs), encoding="utf-8", newline="")
    with pytest.raises(DataError) as e: InstructionSet.load(p)
    assert f"data.csv:{line}: field 'output' is empty" in str(e.value), (k, line, str(e.value))
