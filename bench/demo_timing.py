"""Benchmark: wall time and peak memory of `instr-dep demo` (default and --quick) on this machine.

Runs each demo in a fresh output directory as a subprocess and samples the resident memory of the
whole process tree (the main process and its worker processes) every 0.2 s from /proc.
Writes bench/results/demo.json. Usage: python bench/demo_timing.py [--only quick|full]
"""
import argparse, json, os, platform, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json

def tree_rss_kb(pid):
    "Sum of VmRSS over `pid` and all its descendants (Linux /proc)."
    kids = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit(): continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            kids.setdefault(int(stat[1]), []).append(int(d.name))
        except OSError: continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop(); todo += kids.get(p, [])
        try:
            for line in (Path("/proc") / str(p) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"): total += int(line.split()[1])
        except OSError: pass
    return total

def measure(args):
    out = Path(tempfile.mkdtemp()) / "demo"
    cmd = [sys.executable, "-m", "instr_dep.cli", "demo", "--out", str(out), "--no-progress", *args]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1"))
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss_kb(p.pid)); time.sleep(0.2)
    wall = time.perf_counter() - t0
    stdout, stderr = p.communicate()
    if p.returncode: raise SystemExit(f"demo failed:\n{stderr[-3000:]}")
    g = json.loads((out / "gamma.json").read_text())
    res = dict(command="instr-dep demo " + " ".join(args), wall_s=round(wall, 1), peak_rss_mb=round(peak / 1024),
               split_half_spearman=round(g["meta"]["split_half"]["spearman"], 3), planted=g["meta"]["planted"],
               runs=g["meta"]["cost"]["runs"], run_cpu_s=round(g["meta"]["cost"]["wall_s"], 1), stdout=stdout.strip().splitlines())
    shutil.rmtree(out.parent)
    return res

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--only", choices=["quick", "full"]); a = ap.parse_args()
    results = dict(machine=dict(cpus=os.cpu_count(), python=platform.python_version(), platform=platform.platform()),
                   goals=dict(full_wall_s=180, quick_wall_s=120))
    for name, args in (("quick", ["--quick"]), ("full", [])):
        if a.only and a.only != name: continue
        results[name] = measure(args)
        print(name, {k: v for k, v in results[name].items() if k != "stdout"}, flush=True)
    atomic_write_json(ROOT / "bench" / "results" / "demo.json", results)
