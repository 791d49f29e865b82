"""Benchmark: a study of data the project has never seen, with defaults only.

For each audit world, exactly what a user would type:

    instr-dep world --seed S --out W/world.jsonl
    instr-dep run --data W/world.jsonl --out W/study          (no other option)

then the study's headline matrix (Γ as in the paper, gamma.json) is held against the planted graph written
beside the data (world.planted.json): the AUC of cells Γ[dependent, prerequisite]
against cells of unrelated categories (interaction.compare_with_graph). Also recorded: the paper's Γ, the
seed-to-seed agreement, the health verdict, the calibration's choice and the wall time of each command.

A deliberately broken regime, the one the unseen-data issue started from (a from-scratch tiny model, no
format stage, no calibration, one epoch), must get the verdict `not interpretable`.

The audit seeds are fixed here, before the bench ran; the defaults (format stage, intervention size,
calibration range, health thresholds) were chosen on development worlds 100-109 only.

    python bench/unseen_worlds.py            -> bench/results/unseen_worlds.json
"""
import json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import read_planted
from instr_dep.interaction import InteractionMatrix, compare_with_graph

AUDIT_SEEDS = (2031, 2032, 2033, 2034, 2035)
GOALS = dict(auc=0.9, worlds_meeting_auc=4, max_wall_s=180)

def cli(*args):
    "Run `instr-dep ARGS` as a user would; return (wall seconds, stdout)."
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "instr_dep.cli", *map(str, args)], capture_output=True, text=True,
                       env=dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1"))
    if p.returncode != 0: raise SystemExit(f"instr-dep {' '.join(map(str, args))} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return time.perf_counter() - t0, p.stdout

def study(work, seed, *extra):
    wdir = work / f"world{seed}"; shutil.rmtree(wdir, ignore_errors=True); wdir.mkdir(parents=True)
    cli("world", "--seed", seed, "--out", wdir / "world.jsonl")
    wall, out = cli("run", "--data", wdir / "world.jsonl", "--out", wdir / "study", "--no-progress", *extra)
    doc = json.loads((wdir / "study" / "gamma.json").read_text())
    planted = read_planted(wdir / "world.jsonl")
    spec, raw = InteractionMatrix.from_dict(doc["specific"]), InteractionMatrix.from_dict(doc)
    r, s = compare_with_graph(raw, planted)[1], compare_with_graph(spec, planted)[1]
    cal = doc["meta"].get("calibration") or {}
    return dict(seed=seed, categories=raw.labels, planted_edges=sorted(map(list, planted.edges)), auc=round(r["auc_gamma"], 4),
                auc_specific=round(s["auc_gamma"], 4), auc_both_directions=round(r["auc_gamma_both_directions"], 4),
                split_half=round(doc["meta"]["split_half"]["spearman"], 4),
                split_half_specific=round(doc["health"]["overall"]["split_half_specific"]["spearman"], 4),
                verdict=doc["health"]["verdict"], epochs=cal.get("epochs"),
                pilots=[[p["epochs"], p["median_gain"]] for p in cal.get("pilots", [])], wall_s=round(wall, 1),
                summary=out.strip().splitlines()[-1])

if __name__ == "__main__":
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", tempfile.gettempdir())) / "instr_dep_unseen"
    t0 = time.perf_counter()
    worlds = []
    for s in AUDIT_SEEDS:
        worlds.append(study(work, s)); print(json.dumps(worlds[-1]), flush=True)
    broken = study(work, AUDIT_SEEDS[0], "--format-examples", "0", "--no-calibrate", "--epochs", "1")
    print("broken regime:", broken["verdict"], flush=True)
    met = sum(w["auc"] >= GOALS["auc"] for w in worlds)
    atomic_write_json(ROOT / "bench" / "results" / "unseen_worlds.json", dict(
        method=__doc__.strip().splitlines()[0], audit_seeds=list(AUDIT_SEEDS), goals=GOALS, worlds=worlds,
        broken_regime=dict(settings="--format-examples 0 --no-calibrate --epochs 1 (world %d)" % AUDIT_SEEDS[0], **broken),
        broken_regime_verdict=broken["verdict"], worlds_meeting_auc=met,
        max_wall_s=max(w["wall_s"] for w in worlds), machine=dict(cpus=os.cpu_count()), total_wall_s=round(time.perf_counter() - t0, 1)))
    print(f"AUC >= {GOALS['auc']} on {met}/{len(worlds)} worlds; slowest study {max(w['wall_s'] for w in worlds):.0f} s")
