"Property-based checks of the mix LP: every solution is a valid mix within its constraints, never worse than the baseline mix, and optimal."
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from scipy.optimize import linprog

from instr_dep.core import ConfigError
from instr_dep.selection import optimise_mix

@st.composite
def problems(draw):
    C = draw(st.integers(2, 7))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    G = rng.normal(0, 0.5, (C, C)); np.fill_diagonal(G, 1.0)
    alpha = rng.dirichlet(np.ones(C))
    delta = draw(st.one_of(st.none(), st.floats(0.0, 0.5)))
    tau = draw(st.one_of(st.none(), st.floats(0.0, 0.5)))
    return G, alpha, delta, tau

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_solution_is_a_valid_mix_at_least_as_good_as_alpha(p):
    G, alpha, delta, tau = p
    labels = [f"c{k}" for k in range(len(alpha))]
    r = optimise_mix(G, alpha, labels=labels, delta=delta, tau=tau)
    w = r.w
    assert abs(w.sum() - 1) < 1e-8 and (w >= -1e-12).all()
    if delta is not None: assert (np.abs(w - alpha) <= delta + 1e-7).all()
    if tau is not None: assert np.abs(w - alpha).sum() <= 2 * tau + 1e-7
    c = G.T @ alpha
    assert r.objective >= r.baseline_objective - 1e-7           # alpha itself is always feasible here (HiGHS tolerance 1e-7)
    # optimal: matches a plain dense formulation solved independently
    C = len(alpha)
    lb = np.zeros(C) if delta is None else np.clip(alpha - delta, 0, None)
    ub = np.ones(C) if delta is None else alpha + delta
    if tau is None:
        ref = linprog(-c, A_eq=np.ones((1, C)), b_eq=[1], bounds=list(zip(lb, ub)), method="highs")
    else:
        A_ub = np.block([[np.eye(C), -np.eye(C)], [-np.eye(C), -np.eye(C)], [np.zeros((1, C)), np.ones((1, C))]])
        ref = linprog(np.r_[-c, np.zeros(C)], A_ub=A_ub, b_ub=np.r_[alpha, -alpha, 2 * tau], A_eq=np.r_[np.ones(C), np.zeros(C)][None],
                      b_eq=[1], bounds=list(zip(lb, ub)) + [(0, None)] * C, method="highs")
    assert ref.status == 0
    assert abs(r.objective - (-ref.fun)) < 1e-7

@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6), st.integers(0, 1000), st.integers(50, 500))
def test_integer_counts_sum_to_the_size(C, seed, N):
    rng = np.random.default_rng(seed)
    G = rng.normal(0, 0.5, (C, C)); np.fill_diagonal(G, 1.0)
    alpha = rng.dirichlet(np.ones(C))
    r = optimise_mix(G, alpha, labels=[f"c{k}" for k in range(C)], delta=0.2, size=N, integer=True)
    assert sum(r.counts.values()) == N and min(r.counts.values()) >= 0

def test_nan_and_inf_gamma_are_refused_with_the_category():
    G = np.eye(3); G[1, 0] = np.nan
    with pytest.raises(Exception, match=r"NaN in the rows of \['b'\]"): optimise_mix(G, [1/3] * 3, labels=["a", "b", "c"])
    G = np.eye(3); G[2, 1] = np.inf
    with pytest.raises(Exception, match="infinite values"): optimise_mix(G, [1/3] * 3, labels=["a", "b", "c"])

def test_negative_size_and_unknown_category():
    G = np.eye(2)
    with pytest.raises(ConfigError, match="size must be > 0"): optimise_mix(G, [0.5, 0.5], labels=["a", "b"], size=-1)
    with pytest.raises(ConfigError, match="unknown category"): optimise_mix(G, [0.5, 0.5], labels=["a", "b"], min_share={"z": 0.1})
