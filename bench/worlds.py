"""Benchmark: the science of instr_dep re-run on random planted worlds it was never tuned on.

World seeds, arms and objectives are fixed here before the bench ran (development worlds: 100-109).
For every audit world (`make_skill_world(seed)`, 400 training and 64 held-out examples per category, the tiny
model's format stage on the world's training inputs, as `instr-dep run` does):

1. Premise. For every composite category: train its planted parents first (`premise:parts`), unrelated
   categories first (`premise:fillers`, the same number of steps) or nothing (`premise:alone`), then the same
   200 examples of the composite, at a constant learning rate after warm-up (the composite phase gets the same
   step sizes in every arm); 3 seeds. Objective: the composite's held-out loss. The world's premise holds when
   the mean over its composites of (fillers - parts), per seed, has a 95% Student-t interval above 0.
2. The standard study: `run_study` with the defaults of `instr-dep run` (format stage, calibration, 3 seeds);
   AUC of planted cells Γ[dependent, prerequisite] against unrelated cells, on the paper's Γ (the headline)
   and on the specific Γ, also split by the kind of prerequisite (cipher, route, format, composite); split-half
   agreement; health verdict.
3. Dependency recovery, directed precision / recall / F1 against the planted edges, per learner: asymmetry of
   the specific Γ and of the paper's Γ (the standard study), a Bayesian network over category indicators from
   tags (rule tagger over the instruction text: one rule per skill word), tag-profile inclusion over the same
   tags, ordered-training probes (100 examples per category and phase, 2 seeds). Every learned graph is
   reduced to its direct edges (transitive reduction when acyclic) before scoring, as the planted graph is.
4. Curricula: the standard baseline (100 per category) under `shuffled`, `dtcsft` (released soft blocks),
   `staged` (planted tiers, 20% replay) and `anti` (reversed), each 3 x N examples, constant learning rate
   after warm-up, 5 seeds; objective: mean held-out loss over categories; each category's learning-rate share
   per schedule is reported next to the result.
5. Designs at equal compute: add-n (the paper's), remove-n, leave-one-out, the Dirichlet swarm and, over 4
   categories (the first composite with two parents, its parents and count), the full factorial; each given (about) the training tokens of the 3-seed add-n sweep by
   its number of seeds; objective: AUC of Γ against the planted graph, per 10^12 FLOPs.

    python bench/worlds.py [--seeds 2031 ...] [--skip designs ...]   -> bench/results/worlds.json
"""
import argparse, itertools, json, os, sys, tempfile, time, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np
import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scipy import stats
from instr_dep.core import atomic_write_json
from instr_dep.skillworld import make_skill_world, factors, ROUTES, FORMATS, CIPHERS
from instr_dep.sweep import (add_design, remove_design, loo_design, swarm_design, factorial_design, premise_design,
                             premise_summary, probe_design, schedule_design, compare_points, run_sweep)
from instr_dep.interaction import interaction_matrix, compare_with_graph, _auc
from instr_dep.dependency import (graph_from_asymmetry, graph_from_tags, graph_from_probes, graph_from_tag_inclusion,
                                  tag_profiles, profile_indicators, taxonomy, edge_recovery)
from instr_dep.tagging import RuleTagger
from instr_dep.curriculum import make_schedule, lr_share
from instr_dep.train import TrainConfig
from instr_dep.pipeline import run_study, StudyConfig, format_base

AUDIT_SEEDS = (2031, 2032, 2033, 2034, 2035)
GOALS = dict(premise_worlds=4, best_directed_f1=0.8, f1_worlds=4)
FLAT = dict(scheduler="constant_with_warmup", warmup_steps=20)

def t_ci(x, level=0.95):
    x = np.asarray(x, float)
    if len(x) < 2: return [float("nan"), float("nan")]
    h = stats.t.ppf((1 + level) / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return [round(float(x.mean() - h), 5), round(float(x.mean() + h), 5)]

def direct(g):
    "The learned graph reduced to direct edges (transitive reduction when acyclic), as the planted graph is."
    if g.number_of_edges() and nx.is_directed_acyclic_graph(g):
        r = nx.transitive_reduction(g); r.add_nodes_from(g.nodes); return r
    return g

def recovery(g, planted):
    d = edge_recovery(direct(g), planted)
    return dict(precision=round(d["precision"], 4), recall=round(d["recall"], 4), f1=round(d["f1"], 4),
                undirected_f1=round(edge_recovery(direct(g), planted, directed=False)["f1"], 4),
                edges=sorted(map(list, direct(g).edges)))

def premise(world, base, work, seeds=(0, 1, 2)):
    g = world.graph
    comps = [c for c in world.categories if g.in_degree(c) > 0]
    out, per_seed = {}, []
    for c in comps:
        related = nx.ancestors(g, c) | nx.descendants(g, c) | {c}
        related |= {x for x in world.categories if nx.ancestors(g, x) & nx.ancestors(g, c)}
        fillers = [x for x in world.categories if x not in related]
        parts = sorted(g.predecessors(c))
        d = premise_design(world.train, c, parts, fillers, n_first=400, n_composite=200)
        sw = run_sweep(world.train, world.eval, d, model=base, seeds=seeds, cfg=TrainConfig(**FLAT), out_dir=work / f"premise_{c}",
                       workers=2, metrics=("loss",), progress=False)
        out[c] = premise_summary(sw.results, c)
        out[c].update(parts=parts, fillers=fillers)
        per_seed.append(out[c]["fillers_minus_parts"]["per_seed"])
    pooled = np.mean(np.array(per_seed), axis=0) if per_seed else np.array([])
    ci = t_ci(pooled)
    return dict(composites=out, pooled_per_seed=pooled.round(5).tolist(), pooled_ci95=ci, holds=bool(ci[0] > 0))

def rule_tagger():
    words = {r: rf"\b{r}\b" for r in ROUTES} | {f: rf"\b{f}\b" for f in FORMATS} | {f"map {c}": rf"\bmap {c}\b" for c in CIPHERS}
    return RuleTagger(words | {"count": r"\bcount\b"}, default="other")

def learners(world, study, base, work):
    planted = world.graph
    out = dict(asymmetry_specific=recovery(graph_from_asymmetry(study.specific), planted),
               asymmetry_paper=recovery(graph_from_asymmetry(study.matrix), planted))
    tags = rule_tagger()(world.train).tags
    prof = tag_profiles(world.train.df.category.tolist(), tags)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["tags_bayesian_network"] = recovery(graph_from_tags(profile_indicators(tags, prof), n_boot=10), planted)
        out["tags_inclusion"] = recovery(graph_from_tag_inclusion(prof), planted)
        pr = run_sweep(world.train, world.eval, probe_design(world.train, n_per_category=100, epochs=2), model=base, seeds=(0, 1),
                       cfg=TrainConfig(**FLAT), out_dir=work / "probes", workers=2, metrics=("loss",), progress=False)
        out["probes"] = recovery(graph_from_probes(pr.results), planted)
    return out

def curricula(world, base, work, ids, seeds=(100, 101, 102, 103, 104)):
    tx = taxonomy(world.graph)
    sch = dict(shuffled=dict(kind="shuffled", epochs=3),
               dtcsft=dict(kind="dtcsft", base=tx.members("base"), dependent=tx.members("dependent"), epochs=3),
               staged=dict(kind="staged", tiers=tx.tier, epochs=3, replay=0.2),
               anti=dict(kind="anti", tiers=tx.tier, epochs=3, replay=0.2))
    cat = dict(zip(world.train.df.id, world.train.df.category))
    share = {}
    for n, k in sch.items():
        stream = make_schedule(ids=ids, categories=[cat[i] for i in ids], seed=seeds[0], **k)
        share[n] = {c: round(v, 4) for c, v in lr_share(stream, [cat[i] for i in stream], **FLAT).items()}
    arms = run_sweep(world.train, world.eval, schedule_design(ids, sch), model=base, seeds=seeds, cfg=TrainConfig(**FLAT),
                     out_dir=work / "curricula", workers=2, metrics=("loss",), progress=False)
    per_seed, _ = compare_points(arms.results, "loss")
    diffs = {n: (per_seed[n] - per_seed["shuffled"]).round(5).tolist() for n in sch if n != "shuffled"}
    return dict(per_seed={n: per_seed[n].round(5).tolist() for n in sch}, minus_shuffled=diffs,
                minus_shuffled_ci95={n: t_ci(v) for n, v in diffs.items()}, lr_share=share,
                lr_share_max_gap=round(max(abs(share[n][c] - share["shuffled"][c]) for n in share for c in share[n]), 4),
                tiers=tx.tier, three_tiers=tx.three)

def designs(world, base, work, ref_examples):
    out = {}
    g = world.graph                                     # the factorial's 4 categories: a composite, its parents, count
    comp = next(c for c in world.categories if g.in_degree(c) >= 2)
    four = (sorted(g.predecessors(comp))[:2] + [comp, "count"])
    todo = dict(add=lambda t: add_design(t, n_base=100, n_add=300),
                remove=lambda t: remove_design(t, n_remove=300, n_base=400),
                leave_one_out=lambda t: loo_design(t, n_base=100, control=False),
                swarm=lambda t: swarm_design(t, n_base=100, seed=0),
                factorial=lambda t: factorial_design(t, four, n_base=100, n_add=300))
    tcfg = TrainConfig(epochs=2)
    for name, make in todo.items():
        d = make(world.train)
        examples_per_seed = sum(len(p.ids) for p in d.points) * tcfg.epochs      # what a seed of this design trains on
        seeds = max(2, int(round(ref_examples / examples_per_seed)))
        sw = run_sweep(world.train, world.eval, d, model=base, seeds=range(seeds), cfg=tcfg, out_dir=work / f"design_{name}",
                       workers=2, metrics=("loss",), progress=False)
        try:
            M = interaction_matrix(sw.results, n_boot=500)
            auc = compare_with_graph(M, world.graph.subgraph(M.labels).copy())[1]["auc_gamma"]
        except Exception as e: M, auc = None, float("nan"); print(f"  {name}: {type(e).__name__}: {e}", flush=True)
        flops = sw.cost()["flops"]
        out[name] = dict(seeds=seeds, runs=len(sw.records), flops=flops, tokens=sw.cost()["tokens"], auc=round(auc, 4),
                         auc_per_tflop=round(auc / (flops / 1e12), 4) if np.isfinite(auc) else None,
                         categories=M.labels if M is not None else None)
    return out

def world_bench(seed, work, skip):
    t0 = time.perf_counter()
    w = make_skill_world(seed)
    work = work / f"world{seed}"; work.mkdir(parents=True, exist_ok=True)
    base = str(format_base(w.train, work / "base_model"))
    res = dict(seed=seed, categories=w.categories, planted_edges=sorted(map(list, w.graph.edges)),
               shape=dict(levels=max(nx.get_node_attributes(w.graph, "level").values()) + 1,
                          isolated=[c for c in w.categories if w.graph.degree(c) == 0]))
    if "premise" not in skip:
        res["premise"] = premise(w, base, work); res["premise_holds"] = res["premise"]["holds"]
        print(f"  premise: {res['premise']['pooled_ci95']} holds={res['premise_holds']}", flush=True)
    st = run_study(w.train, w.eval, work / "study", StudyConfig(), graph=w.graph, progress=False, overwrite=True)
    sp = compare_with_graph(st.specific, w.graph)[1]
    res["study"] = dict(auc=round(st.comparison[1]["auc_gamma"], 4), auc_specific=round(sp["auc_gamma"], 4),
                        split_half=round(st.agreement["spearman"], 4), verdict=st.health.verdict,
                        epochs=st.calibration.epochs, flops=st.matrix.meta["cost"]["flops"], wall_s=round(st.wall_s, 1))
    cells = st.comparison[0]
    unrel = cells[cells.relation == "unrelated"].gamma.dropna()
    down = cells[cells.relation == "planted: parent -> child"].dropna(subset=["gamma"])
    kind = lambda c: "composite" if "+" in c else "route" if c in ROUTES else "format" if c in FORMATS else "cipher"
    res["study"]["auc_by_prerequisite_kind"] = {k: dict(cells=int(len(g)), auc=round(_auc(g.gamma, unrel), 4), mean_gamma=round(float(g.gamma.mean()), 4))
                                                for k, g in down.groupby(down.changed.map(kind))}
    print(f"  study: {res['study']}", flush=True)
    if "learners" not in skip:
        res["learners"] = learners(w, st, base, work)
        best = max(res["learners"], key=lambda k: res["learners"][k]["f1"])
        res["best_learner"], res["best_directed_f1"] = best, res["learners"][best]["f1"]
        res["best_intervention_learner"] = max(("asymmetry_specific", "asymmetry_paper", "probes"), key=lambda k: res["learners"][k]["f1"])
        res["best_intervention_f1"] = res["learners"][res["best_intervention_learner"]]["f1"]
        print("  learners:", {k: v["f1"] for k, v in res["learners"].items()}, flush=True)
    if "curricula" not in skip:
        ids = add_design(w.train, n_base=100, n_add=300).point("baseline").ids
        res["curricula"] = curricula(w, base, work, ids)
        print("  curricula:", res["curricula"]["minus_shuffled_ci95"], flush=True)
    if "designs" not in skip:
        ref = sum(len(p.ids) for p in add_design(w.train, n_base=100, n_add=300).points) * 2 * 3
        res["designs"] = designs(w, base, work, ref)
        print("  designs:", {k: (v["auc"], v["seeds"]) for k, v in res["designs"].items()}, flush=True)
    res["wall_s"] = round(time.perf_counter() - t0, 1)
    return res

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="*", default=list(AUDIT_SEEDS))
    ap.add_argument("--skip", nargs="*", default=[], choices=["premise", "learners", "curricula", "designs"])
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    work = Path(os.environ.get("INSTR_DEP_BENCH_CACHE", tempfile.gettempdir())) / "instr_dep_worlds"
    t0 = time.perf_counter()
    worlds = []
    for s in a.seeds:
        print(f"world {s}", flush=True)
        worlds.append(world_bench(s, work, set(a.skip)))
    summary = dict(premise_holds=sum(w.get("premise_holds", False) for w in worlds),
                   best_f1_at_least_goal=sum(w.get("best_directed_f1", 0) >= GOALS["best_directed_f1"] for w in worlds),
                   study_auc=[w["study"]["auc"] for w in worlds])
    if all("learners" in w for w in worlds):
        summary["learner_f1"] = {k: dict(per_world=[w["learners"][k]["f1"] for w in worlds],
                                         mean=round(float(np.mean([w["learners"][k]["f1"] for w in worlds])), 4),
                                         ci95=t_ci([w["learners"][k]["f1"] for w in worlds]))
                                 for k in worlds[0]["learners"]}
    if all("curricula" in w for w in worlds):
        summary["curricula_minus_shuffled"] = {n: dict(per_world=[float(np.mean(w["curricula"]["minus_shuffled"][n])) for w in worlds],
                                                       ci95=t_ci([float(np.mean(w["curricula"]["minus_shuffled"][n])) for w in worlds]))
                                               for n in ("dtcsft", "staged", "anti")}
    if all("designs" in w for w in worlds):
        summary["designs"] = {k: dict(auc=[w["designs"][k]["auc"] for w in worlds], auc_per_tflop=[w["designs"][k]["auc_per_tflop"] for w in worlds])
                              for k in worlds[0]["designs"]}
    atomic_write_json(ROOT / "bench" / "results" / "worlds.json", dict(
        method=__doc__.strip(), audit_seeds=a.seeds, goals=GOALS, worlds=worlds, designs={k: v for k, v in summary.get("designs", {}).items()},
        summary=summary, machine=dict(cpus=os.cpu_count()), total_wall_s=round(time.perf_counter() - t0, 1)))
    print(json.dumps(summary, indent=1))
