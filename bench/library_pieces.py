"""Benchmark: two hand-written pieces of instr_dep against the maintained library that does the same, side by side.

The project rule: use the library unless a measurement shows the own piece is better. This script measures both pieces
in one run (CPU, a few minutes) and writes bench/results/library_pieces.json with a decision per piece.

Piece 1, padding-free packing: own (the hand-written `pack_batch`) vs `transformers.DataCollatorWithFlattening`
(defaults: return_position_ids=True, separator_id=-100, return_tensors='pt'). Batches: 8 examples each, encoded by
`encode_example` with the tiny model's character tokenizer (`load_model('tiny')`, max_length 256), carrying an `id` key
as `train_sft` hands them to its collator: 10 batches from the built-in skill world (`make_skill_world(0)` train set)
and, from ../shared/data, 6 Dolly and 4 Super-NaturalInstructions batches (20 in all; the real-data ones are skipped if
the files are missing).
 (a) tensor equality of input_ids, labels and position_ids (shape, dtype, values) on every batch;
 (b) loss of the tiny Llama (eval mode; it has no dropout) on each batch: own packed row vs the library's row
     as instr_dep would call it (`dict(collator(batch), use_cache=False)`: own pack_batch sets use_cache=False because
     transformers only finds packed sequences from position_ids when no cache is built); also reported: the library's
     raw output (no use_cache key) in eval mode and in train mode, and own packed vs padded (`pad_batch`) loss
     (token-averaged; equal up to float error iff the packed examples are kept apart), and the library's raw output
     vs the same row with a full causal mask over it (`unseparated`: examples attend to each other);
 (c) collation time per batch: both collators on the same batches, interleaved, 200 calls each per batch,
     time.perf_counter; per batch the median; reported: the median over batches and the ratio library / own;
 (d) edge behaviour, recorded as strings: an example whose first label is not -100, one without labels, an empty one,
     the extra `id` key, and whether `use_cache` is in the output.
 Decision (fixed before running): 'library' if (a) every tensor is identical on every batch, (b) the max abs loss
 difference own vs library-as-called is <= 1e-5, and (c) library median time <= 2x own; otherwise 'own'. The edge
 behaviour of (d) is reported, not scored (a guard can sit in front of either).

Piece 2, bootstrap intervals: own vs `scipy.stats.bootstrap`, on synthetic inputs with a known truth.
 - seed mean (as in `interaction_matrix(..., interval='percentile')`, seeds only): own = `E[rng.integers(0, S,
   size=(n_boot, S))].mean(1)` then `_percentile_ci`; scipy = `bootstrap((E,), np.mean, axis=0, vectorized=True,
   method='percentile' | 'BCa')`. E: [S, 10, 10] per-seed effects, every cell N(mu_cell, sd_cell) with known mu_cell;
   S in {4, 8}; n_resamples 2000 (the default n_boot); one call gives 100 cell intervals.
 - cell Spearman (as in `split_half_agreement`): own = `own_cell_boot(lambda u, v: spearmanr(u, v)[0], x, y, n_boot, rng)`
   then `np.nanpercentile`; scipy = `bootstrap((x, y), stat, paired=True, vectorized=True, ...)` with a vectorized
   Spearman (rankdata + Pearson along the axis; `scipy.stats.spearmanrho` timed too). x, y: 90 cells, bivariate normal
   with correlation r = 0.6, whose population Spearman is (6/pi) asin(r/2); n_resamples 400.
 Level 0.95. Measured:
 (a) endpoints: over 200 repetitions (new data each), |own(seed a) - scipy(seed b)| / own interval width, averaged over
     both endpoints (and cells), against the Monte Carlo yardstick |own(seed a) - own(seed c)| / width (a, b, c
     distinct: scipy with seed b draws the very indices own does with seed b, so c must differ from b); also own vs
     scipy with the SAME seed (max abs difference: the same index draws give the same interval);
 (b) time per call (median), both;
 (c) coverage of the known truth over 500 repetitions: own percentile, scipy percentile, scipy BCa (for the mean:
     S = 4 and S = 8; 100 cells per repetition), with scipy's DegenerateDataWarning / NaN endpoints counted.
 Decision (fixed before running), per use (mean, spearman): 'library' if the own-vs-scipy endpoint difference is
 <= 1.25x the own-vs-own yardstick, the coverage of scipy percentile is not below own percentile by more than 0.02 in
 any setting, and scipy's median time (for Spearman the faster vectorized statistic) is <= 3x own; else 'own'. The
 piece as a whole is 'library' if both uses are. The item-level bootstrap (`_item_boot_means`, stratified by
 category, the same draws fed through every seed) is not benchmarked: scipy.stats.bootstrap has no strata argument;
 the JSON says what it can and cannot express.

 After the first run chose the library for both pieces, instr_dep calls the library; the replaced pieces are kept
 in this file as frozen copies (`own_pack_batch`, `own_cell_boot`) so the comparison can be re-run, and the packing
 part also checks that instr_dep's `pack_batch` now returns the library's row as called (`use_cache=False` included).

    python bench/library_pieces.py            -> bench/results/library_pieces.json
"""
import math, os, platform, statistics, sys, time, warnings
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json, ConfigError

SHARED = ROOT.parent / "shared" / "data"
RULES = dict(pack_loss_tol=1e-5, pack_time_ratio=2.0, boot_noise_ratio=1.25, boot_coverage_drop=0.02, boot_time_ratio=3.0)
BATCH, MAX_LEN, TIME_REPEATS = 8, 256, 200
LEVEL, MEAN_BOOT, SPEAR_BOOT, C, N_CELLS, RHO = 0.95, 2000, 400, 10, 90, 0.6
NOISE_REPS, COVER_REPS = 200, 500

# ---------------------------------------------------------------- piece 1: packing
def encoded_batches(tok):
    "[(source, batch of 8 encoded examples with an `id` key)]: 10 skill-world batches, then 6 Dolly and 4 NatInst."
    from instr_dep.skillworld import make_skill_world
    from instr_dep.data import load_instructions
    from instr_dep.train import encode_example
    sources = [("skillworld", make_skill_world(0).train.records(), 10)]
    for name, n in (("dolly_sample.jsonl", 6), ("natinst_sample.jsonl", 4)):
        if (SHARED / name).exists(): sources.append((name, load_instructions(SHARED / name).records(), n))
    out = []
    for src, recs, n in sources:
        rng = np.random.default_rng(0)
        pick = rng.permutation(len(recs))[: n * BATCH]
        items = [dict(encode_example(tok, recs[k], MAX_LEN), id=recs[k]["id"]) for k in pick]
        out += [(src, items[b * BATCH:(b + 1) * BATCH]) for b in range(n)]
    return out

def same_tensor(a, b):
    import torch
    return a.shape == b.shape and a.dtype == b.dtype and bool(torch.equal(a, b))

def edge_cases(own, lib, batch):
    "What each collator does with awkward input, as strings."
    def run(f, b):
        try:
            r = f(b)
            return r
        except Exception as e: return f"raises {type(e).__name__}: {str(e)[:120]}"
    def desc(r, what):
        if isinstance(r, str): return r
        return what(r)
    out = {}
    bad = [dict(x) for x in batch]
    bad[1] = dict(bad[1], labels=[bad[1]["input_ids"][0]] + bad[1]["labels"][1:])
    start = len(bad[0]["input_ids"])
    lab = lambda r: (f"returns; label at that example's first token = {int(r['labels'][0, start])} "
                     f"(was {bad[1]['labels'][0]}): the supervised token is silently masked"
                     if int(r['labels'][0, start]) == -100 else f"returns; label kept = {int(r['labels'][0, start])}")
    out["first_label_not_masked"] = dict(own=desc(run(own, bad), lab), library=desc(run(lib, bad), lab))
    nolab = [{k: v for k, v in x.items() if k != "labels"} for x in batch]
    nl = lambda r: (f"returns; labels = input_ids shifted with separator at each start: "
                    f"{bool((r['labels'][0, 1:len(batch[0]['input_ids'])] == r['input_ids'][0, 1:len(batch[0]['input_ids'])]).all())}"
                    if "labels" in r else "returns, no labels")
    out["no_labels"] = dict(own=desc(run(own, nolab), nl), library=desc(run(lib, nolab), nl))
    empty = [dict(x) for x in batch]
    empty[2] = dict(empty[2], input_ids=[], labels=[])
    n_tok = sum(len(x["input_ids"]) for x in empty)
    em = lambda r: f"returns a row of {r['input_ids'].shape[1]} tokens (all {n_tok}); the empty example is dropped silently"
    out["empty_example"] = dict(own=desc(run(own, empty), em), library=desc(run(lib, empty), em))
    r_own, r_lib = own(batch), lib(batch)
    out["extra_id_key"] = dict(own=f"ignored; output keys {sorted(r_own)}", library=f"ignored; output keys {sorted(r_lib)}")
    out["use_cache_in_output"] = dict(own=str(r_own.get("use_cache")), library=str(r_lib.get("use_cache", "absent")))
    return out

# The hand-written pieces as they were before this bench chose the library (kept here, frozen, so the comparison can
# be re-run; instr_dep itself now calls the library).
def own_pack_batch(batch):
    import torch
    ids = torch.tensor([t for b in batch for t in b["input_ids"]], dtype=torch.long)[None]
    lab = torch.tensor([t for b in batch for t in b["labels"]], dtype=torch.long)[None]
    pos = torch.tensor([k for b in batch for k in range(len(b["input_ids"]))], dtype=torch.long)[None]
    for b in batch:
        if b["labels"][0] != -100:
            raise ConfigError("packing needs every example to start with a masked (prompt) token")
    return dict(input_ids=ids, labels=lab, position_ids=pos, use_cache=False)

def own_cell_boot(stat, x, y, n_boot, rng):
    out = []
    for _ in range(n_boot):
        k = rng.integers(0, len(x), len(x))
        out.append(stat(x[k], y[k]))
    return out

def packing():
    import torch
    from transformers import DataCollatorWithFlattening
    from instr_dep.models import load_model
    from instr_dep.train import pack_batch as instr_dep_pack, pad_batch
    pack_batch = own_pack_batch
    model, tok = load_model("tiny", device="cpu", seed=0)
    model.eval()
    lib = DataCollatorWithFlattening(return_tensors="pt")
    as_called = lambda b: dict(lib(b), use_cache=False)
    batches = encoded_batches(tok)
    eq, rows = {k: True for k in ("input_ids", "labels", "position_ids")}, []
    now_library = True
    for src, b in batches:
        o, l = pack_batch(b), lib(b)
        for k in eq: eq[k] &= same_tensor(o[k], l[k])
        ours = instr_dep_pack(b)
        now_library &= all(same_tensor(ours[k], as_called(b)[k]) for k in eq) and ours.get("use_cache") is False
        with torch.no_grad():
            loss_own = model(**o).loss.item()
            loss_lib = model(**as_called(b)).loss.item()
            loss_raw = model(**l).loss.item()
            loss_pad = model(**pad_batch(b, tok.pad_token_id), use_cache=False).loss.item()
            loss_joint = model(**l, attention_mask=torch.ones_like(l["input_ids"]), use_cache=False).loss.item()
            model.train(); loss_raw_train = model(**l).loss.item(); model.eval()
        rows.append(dict(source=src, tokens=int(o["input_ids"].shape[1]), own=loss_own, library=loss_lib,
                         library_raw_eval=loss_raw, library_raw_train=loss_raw_train, padded=loss_pad,
                         unseparated=loss_joint))
    d = lambda k1, k2: max(abs(r[k1] - r[k2]) for r in rows)
    times = {"own": [], "library": []}
    for _, b in batches:
        t = {"own": [], "library": []}
        for _ in range(TIME_REPEATS):
            for name, f in (("own", pack_batch), ("library", lib)):
                t0 = time.perf_counter(); f(b); t[name].append(time.perf_counter() - t0)
        for k in t: times[k].append(statistics.median(t[k]))
    med = {k: statistics.median(v) * 1e6 for k, v in times.items()}
    res = dict(
        batches=len(batches), by_source={s: sum(1 for x, _ in batches if x == s) for s in dict.fromkeys(x for x, _ in batches)},
        tokens_per_batch=dict(min=min(r["tokens"] for r in rows), median=statistics.median(r["tokens"] for r in rows),
                              max=max(r["tokens"] for r in rows)),
        attn_implementation=model.config._attn_implementation,
        tensors_identical=eq,
        instr_dep_pack_batch_is_library_as_called=now_library,
        max_abs_loss_diff=dict(own_vs_library_as_called=d("own", "library"), own_vs_library_raw_eval=d("own", "library_raw_eval"),
                               own_vs_library_raw_train=d("own", "library_raw_train"), own_packed_vs_padded=d("own", "padded"),
                               library_raw_eval_vs_unseparated=d("library_raw_eval", "unseparated")),
        mean_loss=dict(own=float(np.mean([r["own"] for r in rows])), padded=float(np.mean([r["padded"] for r in rows])),
                       library_raw_eval=float(np.mean([r["library_raw_eval"] for r in rows]))),
        time_us_per_batch=dict(own=round(med["own"], 1), library=round(med["library"], 1),
                               ratio_library_over_own=round(med["library"] / med["own"], 3)),
        edge_cases=edge_cases(pack_batch, lib, batches[0][1]),
        per_batch=rows)
    ok = (all(eq.values()) and res["max_abs_loss_diff"]["own_vs_library_as_called"] <= RULES["pack_loss_tol"]
          and res["time_us_per_batch"]["ratio_library_over_own"] <= RULES["pack_time_ratio"])
    res["decision"] = "library" if ok else "own"
    return res

# ---------------------------------------------------------------- piece 2: bootstrap
def own_mean_ci(E, rng):
    from instr_dep.interaction import _percentile_ci
    S = len(E)
    boot = E[rng.integers(0, S, size=(MEAN_BOOT, S))].mean(1)
    return _percentile_ci(boot, LEVEL)

def scipy_mean_ci(E, rng, method="percentile"):
    from scipy.stats import bootstrap
    r = bootstrap((E,), np.mean, axis=0, vectorized=True, n_resamples=MEAN_BOOT, confidence_level=LEVEL,
                  method=method, rng=rng)
    return r.confidence_interval.low, r.confidence_interval.high

def own_spear_ci(x, y, rng):
    from scipy.stats import spearmanr
    b = own_cell_boot(lambda u, v: spearmanr(u, v)[0], x, y, SPEAR_BOOT, rng)
    return tuple(np.nanpercentile(b, [100 * (1 - LEVEL) / 2, 100 * (1 + LEVEL) / 2]))

def spear_vec(u, v, axis=-1):
    "Spearman along `axis` (average ranks for ties, as scipy.stats.spearmanr)."
    from scipy.stats import rankdata
    ru, rv = rankdata(u, axis=axis), rankdata(v, axis=axis)
    ru = ru - ru.mean(axis, keepdims=True); rv = rv - rv.mean(axis, keepdims=True)
    return (ru * rv).sum(axis) / np.sqrt((ru ** 2).sum(axis) * (rv ** 2).sum(axis))

def spear_rho(u, v, axis=-1):
    from scipy.stats import spearmanrho
    return spearmanrho(u, v, axis=axis).statistic

def scipy_spear_ci(x, y, rng, method="percentile", stat=spear_vec):
    from scipy.stats import bootstrap
    r = bootstrap((x, y), stat, paired=True, vectorized=True, n_resamples=SPEAR_BOOT, confidence_level=LEVEL,
                  method=method, rng=rng)
    return r.confidence_interval.low, r.confidence_interval.high

def rel_diff(a, b, width):
    "Mean over endpoints (and cells) of |a - b| / width."
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.concatenate([np.ravel(np.abs(a[0] - b[0]) / width), np.ravel(np.abs(a[1] - b[1]) / width)])
    return float(np.nanmean(v))

def covered(ci, truth):
    lo, hi = np.asarray(ci[0]), np.asarray(ci[1])
    return ((lo <= truth) & (truth <= hi)).ravel()

def timed(f, *a, **k):
    t0 = time.perf_counter(); r = f(*a, **k); return r, time.perf_counter() - t0

def mean_case(S):
    "Endpoints, time and coverage of the seed-mean percentile bootstrap for S seeds."
    from scipy.stats import DegenerateDataWarning
    data_rng = np.random.default_rng(1000 + S)
    mu = data_rng.normal(0, 1, size=(C, C)); sd = data_rng.uniform(0.5, 2.0, size=(C, C))
    d_ls, d_oo, same, t = [], [], 0.0, {"own": [], "scipy_percentile": [], "scipy_bca": []}
    hits = {"own_percentile": [], "scipy_percentile": [], "scipy_bca": []}
    degenerate = nan_bca = 0
    for rep in range(COVER_REPS):
        E = mu + sd * data_rng.standard_normal((S, C, C))
        own_a, dt = timed(own_mean_ci, E, np.random.default_rng(2 * rep)); t["own"].append(dt)
        sp_b, dt = timed(scipy_mean_ci, E, np.random.default_rng(2 * rep + 1)); t["scipy_percentile"].append(dt)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            bca, dt = timed(scipy_mean_ci, E, np.random.default_rng(2 * rep + 1), "BCa"); t["scipy_bca"].append(dt)
        degenerate += sum(issubclass(x.category, DegenerateDataWarning) for x in w)
        nan_bca += int(np.isnan(bca[0]).sum() + np.isnan(bca[1]).sum())
        hits["own_percentile"].append(covered(own_a, mu)); hits["scipy_percentile"].append(covered(sp_b, mu))
        hits["scipy_bca"].append(covered(bca, mu))
        if rep < NOISE_REPS:
            own_b = own_mean_ci(E, np.random.default_rng(10**6 + rep))
            sp_a = scipy_mean_ci(E, np.random.default_rng(2 * rep))
            width = own_a[1] - own_a[0]
            d_ls.append(rel_diff(own_a, sp_b, width)); d_oo.append(rel_diff(own_a, own_b, width))
            same = max(same, float(np.max(np.abs(np.subtract(own_a, sp_a)))))
    return dict(S=S, cells_per_rep=C * C, n_resamples=MEAN_BOOT,
                endpoint_rel_diff=dict(own_vs_scipy=float(np.mean(d_ls)), own_vs_own_yardstick=float(np.mean(d_oo)),
                                       ratio=float(np.mean(d_ls) / np.mean(d_oo)), same_seed_max_abs_diff=same),
                time_ms_per_call={k: round(statistics.median(v) * 1e3, 3) for k, v in t.items()},
                coverage={k: round(float(np.mean(np.concatenate(v))), 4) for k, v in hits.items()},
                reps=COVER_REPS, bca_degenerate_warnings=degenerate, bca_nan_endpoints=nan_bca)

def gamma_same_seed_check(S=6):
    "Γ intervals (rows over their diagonal) of the percentile path: own vs scipy with a Γ statistic, same seed."
    from scipy.stats import bootstrap
    from instr_dep.interaction import _percentile_ci
    rng = np.random.default_rng(7)
    E = (np.eye(C) * 3 + rng.normal(0, 0.3, (C, C))) + rng.normal(0, 0.5, (S, C, C))
    boot = E[np.random.default_rng(0).integers(0, S, size=(MEAN_BOOT, S))].mean(1)
    g_boot = boot / np.einsum("bii->bi", boot)[:, :, None]
    own = _percentile_ci(np.where(np.isfinite(g_boot), g_boot, np.nan), LEVEL)
    def gamma(e, axis=-1):
        m = np.mean(e, axis=axis)
        return m / np.einsum("ii...->i...", m)[:, None]
    r = bootstrap((E,), gamma, axis=0, vectorized=True, n_resamples=MEAN_BOOT, method="percentile",
                  rng=np.random.default_rng(0), confidence_level=LEVEL)
    return float(max(np.max(np.abs(own[0] - r.confidence_interval.low)), np.max(np.abs(own[1] - r.confidence_interval.high))))

def spearman_case():
    from scipy.stats import DegenerateDataWarning
    truth = 6 / math.pi * math.asin(RHO / 2)
    data_rng = np.random.default_rng(99)
    cov = np.array([[1, RHO], [RHO, 1]])
    d_ls, d_oo, same, same_rho = [], [], 0.0, 0.0
    t = {"own": [], "scipy_percentile": [], "scipy_percentile_spearmanrho": [], "scipy_percentile_unvectorized": [],
         "scipy_bca": []}
    hits = {"own_percentile": [], "scipy_percentile": [], "scipy_bca": []}
    degenerate = nan_bca = 0
    for rep in range(COVER_REPS):
        x, y = data_rng.multivariate_normal([0, 0], cov, size=N_CELLS).T
        own_a, dt = timed(own_spear_ci, x, y, np.random.default_rng(2 * rep)); t["own"].append(dt)
        sp_b, dt = timed(scipy_spear_ci, x, y, np.random.default_rng(2 * rep + 1)); t["scipy_percentile"].append(dt)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            bca, dt = timed(scipy_spear_ci, x, y, np.random.default_rng(2 * rep + 1), "BCa"); t["scipy_bca"].append(dt)
        degenerate += sum(issubclass(q.category, DegenerateDataWarning) for q in w)
        nan_bca += int(np.isnan(bca[0]) + np.isnan(bca[1]))
        for k, ci in (("own_percentile", own_a), ("scipy_percentile", sp_b), ("scipy_bca", bca)):
            hits[k].append(covered(ci, truth))
        if rep < NOISE_REPS:
            own_b = own_spear_ci(x, y, np.random.default_rng(10**6 + rep))
            sp_a = scipy_spear_ci(x, y, np.random.default_rng(2 * rep))
            width = own_a[1] - own_a[0]
            d_ls.append(rel_diff(own_a, sp_b, width)); d_oo.append(rel_diff(own_a, own_b, width))
            same = max(same, float(np.max(np.abs(np.subtract(own_a, sp_a)))))
        if rep < 20:
            from scipy.stats import spearmanr, bootstrap
            rho_ci, dt = timed(scipy_spear_ci, x, y, np.random.default_rng(2 * rep), stat=spear_rho)
            t["scipy_percentile_spearmanrho"].append(dt)
            same_rho = max(same_rho, float(np.max(np.abs(np.subtract(own_a, rho_ci)))))
            t0 = time.perf_counter()
            bootstrap((x, y), lambda u, v: spearmanr(u, v)[0], paired=True, vectorized=False, n_resamples=SPEAR_BOOT,
                      method="percentile", rng=np.random.default_rng(0))
            t["scipy_percentile_unvectorized"].append(time.perf_counter() - t0)
    return dict(cells=N_CELLS, population_spearman=truth, pearson=RHO, n_resamples=SPEAR_BOOT,
                endpoint_rel_diff=dict(own_vs_scipy=float(np.mean(d_ls)), own_vs_own_yardstick=float(np.mean(d_oo)),
                                       ratio=float(np.mean(d_ls) / np.mean(d_oo)), same_seed_max_abs_diff=same,
                                       same_seed_max_abs_diff_spearmanrho_stat=same_rho),
                time_ms_per_call={k: round(statistics.median(v) * 1e3, 3) for k, v in t.items()},
                coverage={k: round(float(np.mean(np.concatenate(v))), 4) for k, v in hits.items()},
                reps=COVER_REPS, bca_degenerate_warnings=degenerate, bca_nan_endpoints=nan_bca)

def use_decision(cases, time_key):
    "Rule of the docstring for one use (one or more settings)."
    noise = all(c["endpoint_rel_diff"]["ratio"] <= RULES["boot_noise_ratio"] for c in cases)
    cover = all(c["coverage"]["scipy_percentile"] >= c["coverage"]["own_percentile"] - RULES["boot_coverage_drop"] for c in cases)
    speed = all(min(c["time_ms_per_call"][k] for k in time_key) <= RULES["boot_time_ratio"] * c["time_ms_per_call"]["own"]
                for c in cases)
    return dict(endpoints_within_noise=noise, coverage_not_worse=cover, time_within_limit=speed,
                decision="library" if noise and cover and speed else "own")

def bootstrap_piece():
    mean = [mean_case(S) for S in (4, 8)]
    spear = spearman_case()
    dm = use_decision(mean, ["scipy_percentile"])
    ds = use_decision([spear], ["scipy_percentile", "scipy_percentile_spearmanrho"])
    return dict(
        seed_mean=dict(cases=mean, gamma_same_seed_max_abs_diff=gamma_same_seed_check(), **dm),
        cell_spearman=dict(case=spear, **ds),
        item_bootstrap=dict(
            benchmarked=False,
            scipy_can_express=("no, not as one call: scipy.stats.bootstrap(data, statistic, *, n_resamples, batch, vectorized, "
                               "paired, axis, confidence_level, alternative, method, bootstrap_result, rng) has no strata "
                               "argument; with paired=True it draws one index vector over the whole sample, so a "
                               "within-category resample needs one call per category (which then cannot pass one "
                               "statistic through Γ across categories), and the same item draws cannot be shared with "
                               "the effects_from_means step of every seed; _item_boot_means stays own."),
        ),
        decision="library" if dm["decision"] == ds["decision"] == "library" else "own",
        decision_by_use=dict(seed_mean=dm["decision"], cell_spearman=ds["decision"]))

if __name__ == "__main__":
    import torch, scipy, transformers
    t0 = time.perf_counter()
    pack = packing()
    t_pack = time.perf_counter() - t0
    boot = bootstrap_piece()
    out = dict(
        method=__doc__.strip(), rules=RULES,
        machine=dict(cpus=os.cpu_count(), torch_threads=torch.get_num_threads(), python=platform.python_version(),
                     torch=torch.__version__, transformers=transformers.__version__, scipy=scipy.__version__,
                     numpy=np.__version__),
        packing=pack, bootstrap=boot, wall_s=dict(packing=round(t_pack, 1), total=round(time.perf_counter() - t0, 1)))
    out["decisions"] = dict(packing=pack["decision"], bootstrap=boot["decision"],
                            bootstrap_by_use=boot["decision_by_use"], item_bootstrap="own (not expressible)")
    short = {k: v for k, v in pack.items() if k != "per_batch"}
    print("== packing ==");   print(__import__("json").dumps(short, indent=1, default=str))
    print("== bootstrap ==");  print(__import__("json").dumps(boot, indent=1, default=str))
    print("== decisions ==", out["decisions"], "wall", out["wall_s"])
    atomic_write_json(ROOT / "bench" / "results" / "library_pieces.json", out)
