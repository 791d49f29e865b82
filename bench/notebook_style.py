"""Measure: how the notebooks and the exported modules read (the figures of the notebook-rhythm issue).

- export cells (`#| export` / `#| exporti`): median non-blank lines, share with at most two top-level definitions;
- public parameters (every parameter of a function, method or dataclass field in a module's `__all__`, `self`/`cls`
  and `*args`/`**kw` aside): share with a docment (the comment `show_doc` renders), read by fastcore.docments;
- code lines of instr_dep/*.py (the generated _modidx.py aside) over 120 characters, and lines joining statements with `;`;
- `fcntl` in instr_dep/ (hand-written file locks); the size of the public surface (`__all__` names).

    python bench/notebook_style.py            -> bench/results/notebook_style.json
"""
import ast, importlib, inspect, io, json, os, re, sys, tokenize
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json

GOALS = dict(median_export_cell_lines=20, share_cells_at_most_two_defs=0.9, share_params_documented=0.9,
             share_long_lines=0.02, fcntl_uses=0)

def export_cells():
    for nb in sorted((ROOT / "nbs").glob("*.ipynb")):
        for c in json.loads(nb.read_text())["cells"]:
            src = "".join(c["source"])
            if c["cell_type"] == "code" and re.match(r"\s*#\|\s*export", src): yield nb.name, src

def n_defs(src):
    try: tree = ast.parse(src)
    except SyntaxError: return 0
    return sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body)

def public_params():
    from fastcore.docments import docments
    out = []
    for f in sorted((ROOT / "instr_dep").glob("*.py")):
        if f.name.startswith("_"): continue
        mod = importlib.import_module(f"instr_dep.{f.stem}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name, None)
            targets = []
            if inspect.isclass(obj):
                if hasattr(obj, "__dataclass_fields__"): targets.append((name, obj, list(obj.__dataclass_fields__)))
                else:
                    targets += [(f"{name}.{m}", fn, None) for m, fn in vars(obj).items()
                                if inspect.isfunction(fn) and (not m.startswith("_") or m == "__init__")]
            elif inspect.isfunction(obj) and obj.__module__ == mod.__name__: targets.append((name, obj, None))
            for qual, fn, fields in targets:
                try: docs = docments(fn, full=False)
                except Exception: docs = {}
                if fields is None:
                    try: sig = inspect.signature(fn)
                    except (TypeError, ValueError): continue
                    fields = [p.name for p in sig.parameters.values()
                              if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
                out += [(f.stem, qual, p, bool(docs.get(p))) for p in fields]
    return out

def code_lines():
    long = semi = total = 0; fcntl = 0
    for f in sorted((ROOT / "instr_dep").glob("*.py")):
        if f.name == "_modidx.py": continue
        text = f.read_text()
        fcntl += len(re.findall(r"\bfcntl\b", text))
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
        semi_lines = {t.start[0] for t in toks if t.type == tokenize.OP and t.string == ";"}
        for k, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.strip().startswith("#"): continue
            total += 1; long += len(line) > 120; semi += k in semi_lines
    return total, long, semi, fcntl

if __name__ == "__main__":
    cells = list(export_cells())
    lines = [sum(1 for l in src.splitlines() if l.strip()) for _, src in cells]
    defs = [n_defs(src) for _, src in cells]
    params = public_params()
    total, long, semi, fcntl = code_lines()
    surface = sum(len(getattr(importlib.import_module(f"instr_dep.{f.stem}"), "__all__", []))
                  for f in (ROOT / "instr_dep").glob("*.py") if not f.name.startswith("_"))
    undocumented = {}
    for mod, qual, p, ok in params:
        if not ok: undocumented.setdefault(mod, []).append(f"{qual}({p})")
    out = dict(method=__doc__.strip(), export_cells=len(cells), median_export_cell_lines=float(np.median(lines)),
               share_cells_at_most_two_defs=round(float(np.mean([d <= 2 for d in defs])), 3),
               cells_with_four_or_more_defs=int(sum(d >= 4 for d in defs)), longest_export_cell=int(max(lines)),
               public_params=len(params), share_params_documented=round(float(np.mean([ok for *_, ok in params])), 3),
               code_lines=total, share_long_lines=round(long / total, 4), lines_joined_with_semicolon=semi, fcntl_uses=fcntl,
               public_names=surface, undocumented_by_module={k: len(v) for k, v in undocumented.items()}, goals=GOALS)
    out["goals_met"] = dict(median_export_cell_lines=out["median_export_cell_lines"] <= GOALS["median_export_cell_lines"],
                            share_cells_at_most_two_defs=out["share_cells_at_most_two_defs"] >= GOALS["share_cells_at_most_two_defs"],
                            share_params_documented=out["share_params_documented"] >= GOALS["share_params_documented"],
                            share_long_lines=out["share_long_lines"] <= GOALS["share_long_lines"], fcntl_uses=fcntl == 0)
    print(json.dumps({k: v for k, v in out.items() if k != "method"}, indent=1))
    if "--list" in sys.argv:
        for mod, items in undocumented.items(): print(mod, ", ".join(items))
    atomic_write_json(ROOT / "bench" / "results" / "notebook_style.json", out)
