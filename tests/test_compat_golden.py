"""The released re-proportioning procedure, re-implemented here independently in plain torch as the authors' release
runs it (../shared/METHOD.md section 3), against instr_dep's compatibility mode: signs and counts on 60 random Γ."""
import numpy as np
import pytest
import torch

from instr_dep.selection import compat_mix

def release_loop(G, alpha, faithful=True):
    "The release, step for step: nn.Parameter over alpha's storage, Adam lr 1e-4, <= 2000 steps, stop at min(w) < 1e-5."
    a = torch.tensor(alpha, dtype=torch.float32)
    original = {k: float(x) for k, x in enumerate(alpha)}                  # the release keeps the originals in a dict
    weight = torch.nn.Parameter(a if faithful else a.clone())              # faithful: shares a's storage
    opt = torch.optim.Adam([weight], lr=1e-4)
    Gt = torch.tensor(G, dtype=torch.float32)
    for _ in range(2000):
        loss = -(a @ Gt @ weight) / weight.sum()
        opt.zero_grad(); loss.backward(); opt.step()
        if weight.min().item() < 1e-5: break
    w = (weight.detach() / weight.detach().sum() * float(sum(alpha))).numpy()
    dele = [k for k in original if original[k] > w[k]]
    add = [k for k in original if original[k] < w[k]]
    return dele, add

def release_counts(dele, add, counts, pool):
    budget = int(0.03 * sum(counts))
    new = list(counts)
    removed = 0
    for k in dele:
        r = max(0, min(counts[k] - 5, budget // len(dele))); new[k] -= r; removed += r
    per = removed // len(add) if add else 0
    got = {k: min(pool[k] - 1, per) for k in add}
    left = removed - sum(got.values())
    while left > 0 and any(got[k] < pool[k] - 1 for k in add):
        for k in add:
            if left and got[k] < pool[k] - 1: got[k] += 1; left -= 1
    for k in add: new[k] += got[k]
    return new

@pytest.mark.parametrize("faithful", [True, False])
def test_compat_mode_is_the_release(faithful):
    rng = np.random.default_rng(2024)
    signs_agree = counts_agree = 0
    for trial in range(60):
        C = int(rng.integers(5, 31))
        G = rng.normal(0, 0.6, (C, C)); np.fill_diagonal(G, 1.0)
        counts = rng.integers(20, 400, C)
        pool = rng.integers(0, 300, C)
        labels = [f"k{c}" for c in range(C)]
        res = compat_mix(G, dict(zip(labels, counts.tolist())), dict(zip(labels, pool.tolist())), labels=labels, faithful=faithful)
        dele, add = release_loop(G, counts / counts.sum(), faithful)
        mine_down = sorted(labels.index(l) for l in res["down"]); mine_up = sorted(labels.index(l) for l in res["up"])
        signs_agree += (mine_down == sorted(dele)) and (mine_up == sorted(add))
        counts_agree += [res["target"][l] for l in labels] == release_counts(dele, add, counts.tolist(), pool.tolist())
    assert signs_agree >= 59 and counts_agree >= 59, (signs_agree, counts_agree)     # float32 ties may differ once
