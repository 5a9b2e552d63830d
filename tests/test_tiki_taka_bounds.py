"""Theorem 3 (Tiki-Taka, arXiv v1 Theorem 4) and Lemmas 5-8: bounds/tiki_taka.py.

What is checked, and how:

* (the float64 twins of every ``tiki_taka.*`` formula are held to mpmath in tests/test_formulas.py);
* the derivations: P_max^2 is the fixed point of (120); the iterates from P_0 = 0; the constant
  chain of Lemma 7; the descent coefficient of (138); the sigma threshold; the alpha thresholds;
  the O(.) constant of (140); the slack of Lemma 8;
* the findings, with concrete numbers (see the module docstring of ``bounds.tiki_taka``);
* exact one-step expectations under Rademacher noise (each coordinate +-s with probability 1/2,
  a law with A5 constant c = 1/sqrt(D) exactly) against Lemmas 5, 6 and 7, by enumeration;
* hypothesis: applicability recomputed here from the raw parameters, independently of the module;
* a short Monte Carlo run of Tiki-Taka (verify engine) against P_max^2, with a negative control.

Tolerances are written where they are used, with their reason.
"""

from __future__ import annotations

import itertools
import math
import sys

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, event, given
from hypothesis import strategies as st

from bounds import symbols as S
from bounds import tiki_taka as T
from bounds.devices import AsymmetricLinearDevice
from bounds.formula import FORMULAS

NAMES = sorted(name for name in FORMULAS if name.startswith("tiki_taka."))


def _ald(w, dw, tau):
    """The ALD update (8), w_sp = 0, from the device model (not from the module under test)."""
    return AsymmetricLinearDevice(tau=tau).update(w, dw)


# ---------------------------------------------------------------------------------------------
# formulas: twins, oracles, negative control
# ---------------------------------------------------------------------------------------------
def test_registry_holds_the_theorem_and_lemmas():
    expected = {
        "tiki_taka.p_max_sq",
        "tiki_taka.lemma7_recursion",
        "tiki_taka.lemma7_iterate",
        "tiki_taka.lemma5_rhs",
        "tiki_taka.lemma6_rhs",
        "tiki_taka.lemma8_rhs",
        "tiki_taka.lemma8_rhs_derived",
        "tiki_taka.rate_factor",
        "tiki_taka.descent_coefficient",
        "tiki_taka.rate_as_stated",
        "tiki_taka.rate_optimal",
        "tiki_taka.rademacher_next_p_inf_sq",
    }
    assert expected <= set(NAMES), sorted(expected - set(NAMES))


# ---------------------------------------------------------------------------------------------
# item 1: P_max^2, the recursion (120), the iterates, the constant chain
# ---------------------------------------------------------------------------------------------
def test_p_max_is_the_fixed_point_of_the_recursion():
    printed = 41 * S.L**2 * S.tau**4 * S.D / (S.c**2 * S.sigma**2)
    assert sp.simplify(T.derive_p_max_fixed_point() - printed) == 0
    assert sp.simplify(T.P_MAX_SQ.expr - printed) == 0
    # the recursion maps P_max^2 to itself, for every beta
    image = T.LEMMA7_RECURSION.expr.subs(S.tt_P_inf_sq, printed)
    assert sp.simplify(image - printed) == 0
    # and a value 10% off is not fixed (negative control)
    assert (
        sp.simplify(
            T.LEMMA7_RECURSION.expr.subs(S.tt_P_inf_sq, printed * sp.Rational(11, 10)) - printed * sp.Rational(11, 10)
        )
        != 0
    )


def test_iterates_from_zero_stay_below_p_max_exactly_when_q_is_nonnegative():
    iterate = T.derive_lemma7_iterate()
    q = 1 - S.beta * S.c * S.sigma / S.tau
    # P_max^2 - x_k = P_max^2 q^k: non-negative for every k iff q >= 0
    gap = sp.powsimp(sp.simplify(T.P_MAX_SQ.expr - iterate), force=True)
    assert sp.simplify(gap - T.P_MAX_SQ.expr * q**S.K) == 0
    L, tau, D, sigma, c = 1e-2, 1.0, 4, 1.0, 0.5
    beta = 0.9 * min(cond.rhs for cond in T.lemma7_conditions(1.0, L, tau, D, sigma, c))
    pmax = T.p_max_sq(L, tau, D, sigma, c)
    xs = [T.lemma7_iterate(k, beta, L, tau, D, sigma, c) for k in (1, 10, 100, 10_000, 10**8)]
    assert all(0 < x < pmax for x in xs[:-1]) and xs == sorted(xs)  # k = 10^8: q^k underflows, x = P_max^2
    assert xs[-1] == pytest.approx(pmax, rel=1e-9)


def test_negative_q_allowed_by_119_breaks_the_step_to_121_but_only_where_p_max_is_vacuous():
    """(119) does not imply beta c sigma/tau <= 1; then x_1 > P_max^2, yet P_max^2 > 123 tau^2/c^2."""
    L, tau, D, sigma, c = 0.05, 0.5, 1, 0.01, 1.0  # c = 1/sqrt(D): Rademacher's constant
    limits = [cond.rhs for cond in T.lemma7_conditions(1.0, L, tau, D, sigma, c)]
    beta = 0.99 * min(limits)  # 0.99 * 66.67 (the 2/(3 c sigma) entry)
    assert beta * c * sigma / tau == pytest.approx(1.32, abs=1e-12)  # q = -0.32 < 0
    step = T.lemma7_step(0.0, beta, L, tau, D, sigma, c)  # x_1 from P_0 = 0
    stated = T.lemma7_p_max(beta, L, tau, D, sigma, c)
    assert stated.applicable  # (119) and A5 consistency hold
    assert step.value == pytest.approx(1.32 * stated.value, rel=1e-12) and step.value > stated.value
    assert [cond.statement for cond in step.failed] == ["beta c sigma/tau <= 1"]
    assert stated.value == pytest.approx(64.0625, rel=1e-12)  # P_max^2/tau^2 = 256.25
    assert stated.vacuous and stated.value / tau**2 > 123 / c**2
    # the symbolic statement behind it
    assert T.derive_lemma7_negative_contraction() == 123 * S.tt_u / S.c**2


@given(
    d=st.integers(1, 10**4),
    t=st.floats(0.01, 1.0),
    x=st.floats(1.0 + 1e-6, 1.5),
    r_tau=st.floats(0.01, 1.0),
    v=st.floats(0.0, 100.0),
    w=st.floats(0.01, 1.0),
)
def test_whenever_119_allows_negative_q_the_bound_is_vacuous(d, t, x, r_tau, v, w):
    """Draw inside the region where (119) holds and x = beta c sigma/tau > 1 (the region is
    parametrised so that every draw lands in it): there P_max^2/tau^2 > 123/c^2."""
    c = t / math.sqrt(d)
    tau = r_tau * 2 / (3 * x)  # (111) second entry: x tau <= 2/3
    sigma = w * c**2 / (2 * x + 24 * x**2 * (1 + v) / d)  # (111) first entry, given the third
    L = math.sqrt(3 * x * sigma**2 * (1 + v) / d) / tau  # (119) third entry: L^2 tau^2 D >= 3 x sigma^2
    beta = x * tau / (c * sigma)
    conditions = T.lemma7_conditions(beta, L, tau, d, sigma, c)
    assume(all(abs(cond.lhs - cond.rhs) > 1e-9 * cond.rhs for cond in conditions))
    assert all(cond.holds for cond in conditions), [str(cond) for cond in conditions]
    assert not T.lemma7_step(0.0, beta, L, tau, d, sigma, c).applicable  # q < 0 is flagged
    assert T.p_max_sq(L, tau, d, sigma, c) / tau**2 > 123 / c**2 * (1 - 1e-12)


def test_constant_chain_needs_d_squared_and_119_has_d():
    chain = T.derive_lemma7_chain()
    assert sp.simplify(chain["sum"] - 41 * S.beta * S.L**2 * S.tau**3 * S.D / (S.c * S.sigma)) == 0
    assert sp.simplify(chain["beta_max"] - S.L**2 * S.tau**3 * S.D**2 / (3 * S.c * S.sigma**3)) == 0
    assert chain["ratio"] == S.D
    # numbers: D = 100, a beta between the two thresholds
    L, tau, D, sigma, c = 1.0, 1.0, 100, 10.0, 0.1
    third = T.lemma7_conditions(1.0, L, tau, D, sigma, c)[2].rhs  # L^2 tau^3 D/(3 c sigma^3)
    exact = T.lemma7_chain_beta_max(L, tau, D, sigma, c)
    assert third == pytest.approx(1 / 3, rel=1e-12) and exact == pytest.approx(100 / 3, rel=1e-12)
    beta = 1.0  # fails (119)'s third entry, yet the chain holds
    assert 3 * beta**2 * sigma**2 / D <= beta * L**2 * tau**3 * D / (c * sigma)  # 3 <= 100
    assert not T.lemma7_conditions(beta, L, tau, D, sigma, c)[2].holds
    # negative control: 10% above the exact threshold the chain's inequality fails
    beta = 1.1 * exact
    assert 3 * beta**2 * sigma**2 / D > beta * L**2 * tau**3 * D / (c * sigma)
    # at D = 1 the two thresholds coincide
    assert T.lemma7_chain_beta_max(L, tau, 1, sigma, c) == T.lemma7_conditions(1.0, L, tau, 1, sigma, c)[2].rhs


# ---------------------------------------------------------------------------------------------
# (120) for the infinity norm: exact counterexample, by formula and by enumeration
# ---------------------------------------------------------------------------------------------
def _rademacher_outcomes(P, g, beta, tau, s):
    """The two per-coordinate outcomes of (TT-P) for eps_i = +s and -s (each with probability 1/2)."""
    return np.stack([_ald(P, beta * (g + e), tau) for e in (s, -s)])


def _enumerated_e_max_sq(outcomes: np.ndarray) -> float:
    """E max_i p_i'^2 over all 2^D equally likely sign patterns."""
    d = outcomes.shape[1]
    squares = outcomes**2
    total = sum(squares[list(bits), range(d)].max() for bits in itertools.product((0, 1), repeat=d))
    return total / 2**d


def test_lemma7_one_step_inequality_fails_for_the_infinity_norm():
    D, tau, sigma, L, p, beta = 10, 1.0, 1.0, 1e-3, 0.5, 1e-5
    c = T.c_max(D)  # Rademacher: E|g + eps_i| = max(|g|, s) >= s = sigma/sqrt(D)
    step = T.lemma7_step(p**2, beta, L, tau, D, sigma, c)
    assert step.applicable, step.status
    exact = T.rademacher_next_p_inf_sq(p, beta, tau, D, sigma)
    enumerated = _enumerated_e_max_sq(_rademacher_outcomes(np.full(D, p), np.zeros(D), beta, tau, sigma / math.sqrt(D)))
    assert exact == pytest.approx(enumerated, rel=1e-13)  # formula vs brute force (1024 patterns)
    # (120) promises a strict decrease below ||P||_inf^2 = 0.25; the max square increases
    assert step.value == pytest.approx(0.2499992224, rel=1e-9)
    assert exact == pytest.approx(0.2500015750, rel=1e-9)
    assert step.value < p**2 < exact
    # the same sign at 50 digits
    with mpmath.workdps(50):
        lhs = T.RADEMACHER_NEXT_P_INF_SQ.exact(p, beta, tau, D, sigma)
        rhs = T.LEMMA7_RECURSION.exact(p**2, beta, L, tau, D, sigma, c)
        assert lhs - rhs > mpmath.mpf("2.3e-6")
    # negative control: per coordinate, the same step obeys (120)
    outcomes = _rademacher_outcomes(np.full(D, p), np.zeros(D), beta, tau, sigma / math.sqrt(D))
    assert np.all((outcomes**2).mean(axis=0) <= step.value)


@given(
    p=st.floats(0.0, 1.0, allow_subnormal=False),  # subnormal inputs are refused (issue 15)
    beta=st.floats(1e-6, 0.5),
    d=st.integers(1, 8),
    sigma=st.floats(0.1, 2.0),
)
def test_rademacher_formula_equals_enumeration(p, beta, d, sigma):
    tau = 1.0
    assume(beta * sigma / math.sqrt(d) <= tau)
    outcomes = _rademacher_outcomes(np.full(d, p), np.zeros(d), beta, tau, sigma / math.sqrt(d))
    enumerated = _enumerated_e_max_sq(outcomes)
    formula = T.rademacher_next_p_inf_sq(p, beta, tau, d, sigma)
    # float sums of at most 256 terms of size <= 4: absolute error well below 1e-12
    assert formula == pytest.approx(enumerated, rel=1e-12, abs=1e-14)


# ---------------------------------------------------------------------------------------------
# Lemmas 5, 6 and per-coordinate 7 against exact Rademacher expectations (no violation found)
# ---------------------------------------------------------------------------------------------
_state = st.fixed_dictionaries(
    {
        "d": st.integers(1, 5),
        "e_tau": st.floats(-1, 1),
        "e_sigma": st.floats(-2, 2),
        "e_l": st.floats(-3, 1.5),
        "frac_beta": st.floats(1e-3, 1.0),
        "e_alpha": st.floats(-4, 0),
        "seed": st.integers(0, 2**32 - 1),
        "p_scale": st.sampled_from([1.0, 0.1, 0.01]),
        "at_optimum": st.booleans(),
    }
)


def _draw_state(v):
    rng = np.random.default_rng(v["seed"])
    d, tau, sigma, L = v["d"], 10 ** v["e_tau"], 10 ** v["e_sigma"], 10 ** v["e_l"]
    h = rng.uniform(0, L, d)
    h[0] = L  # diagonal Hessian, largest eigenvalue L
    W = rng.uniform(-tau, tau, d)
    W_star = W.copy() if v["at_optimum"] else rng.uniform(-tau, tau, d)
    P = rng.uniform(-tau, tau, d) * v["p_scale"]
    alpha = 10 ** v["e_alpha"] * min(1.0, sigma / (6 * L * tau * math.sqrt(d)))
    W_next = _ald(W, -alpha * P, tau)  # (TT-W)
    return d, tau, sigma, L, h, W, W_star, P, alpha, W_next


@given(_state)
def test_lemma6_and_per_coordinate_lemma7_hold_for_exact_rademacher_expectations(v):
    d, tau, sigma, L, h, W, W_star, P, alpha, W_next = _draw_state(v)
    c = 1 / math.sqrt(d)
    beta = v["frac_beta"] * min(
        c * tau / (2 * (4 * L**2 * tau**2 + sigma**2)), 2 / (3 * c * sigma), L**2 * tau**3 * d / (3 * c * sigma**3)
    )
    g0, g1 = h * (W - W_star), h * (W_next - W_star)
    outcomes = _rademacher_outcomes(P, g1, beta, tau, sigma / math.sqrt(d))
    e_p_sq = float((outcomes**2).mean(axis=0).sum())
    lemma6 = T.lemma6_step(float(P @ P), float(g0 @ g0), float(np.sum((W_next - W) ** 2)), beta, L, tau, d, sigma, c)
    assert lemma6.applicable, lemma6.status
    # rounding: both sides are sums of a few dozen terms of size <= the right side
    assert e_p_sq <= lemma6.value * (1 + 1e-12) + 1e-300
    b7 = 41 * beta * L**2 * tau**3 * d / (c * sigma)
    per_coordinate = (outcomes**2).mean(axis=0)
    assert np.all(per_coordinate <= ((1 - beta * c * sigma / tau) * P**2 + b7) * (1 + 1e-12))


@given(_state)
def test_lemma5_holds_for_exact_rademacher_expectations(v):
    d, tau, sigma, L, h, W, W_star, P, alpha, W_next = _draw_state(v)
    beta = v["frac_beta"] * tau * math.sqrt(d) / sigma  # contraction factor in [0, 1)
    C = tau * math.sqrt(d) / sigma
    g0, g1 = h * (W - W_star), h * (W_next - W_star)
    outcomes = _rademacher_outcomes(P, g1, beta, tau, sigma / math.sqrt(d))
    lhs = float(((outcomes - C * g1) ** 2).mean(axis=0).sum())
    bound = T.lemma5_step(
        float(np.sum((P - C * g0) ** 2)),
        float(np.sum((W_next - W) ** 2)),
        float(P @ P),
        float(np.max(P**2)),
        float(g0 @ g0),
        beta,
        L,
        tau,
        d,
        sigma,
    )
    assume(bound.applicable)  # the norm-consistency conditions hold for real states
    assert lhs <= bound.value * (1 + 1e-12) + 1e-300


# ---------------------------------------------------------------------------------------------
# Lemma 8: the printed (128) fails when sigma ||W||_inf^2 > tau^3 sqrt(D); the derived form holds
# ---------------------------------------------------------------------------------------------
def _lemma8_instance(D, L, tau, sigma, alpha, w, p):
    """f = L/2 ||W - W*||^2, W = w 1, P = p 1, with W* placed where the slack of (128) is smallest."""
    C = tau * math.sqrt(D) / sigma
    g = (p - abs(p) * w / tau) / C  # u = v in the derivation: P - C g = |P| W/tau
    W, P = np.full(D, w), np.full(D, p)
    W_star = W - g / L
    W_next = _ald(W, -alpha * P, tau)
    gap = L / 2 * np.sum((W - W_star) ** 2)
    gap_next = L / 2 * np.sum((W_next - W_star) ** 2)
    grad = L * (W - W_star)
    args = (gap, float(grad @ grad), float(np.sum((W_next - W) ** 2)), float(np.sum((P - C * grad) ** 2)), float(P @ P))
    return gap_next, args


@pytest.mark.parametrize("D, sigma", [(1, 2.0), (4, 4.0)])
def test_lemma8_as_printed_is_violated(D, sigma):
    L, tau, alpha, w, p = 1.0, 1.0, 0.01, 0.9, 0.5  # sigma w^2/(tau^3 sqrt D) = 1.62
    gap_next, args = _lemma8_instance(D, L, tau, sigma, alpha, w, p)
    stated = T.lemma8_step(*args, alpha, L, tau, D, sigma)
    assert stated.applicable, stated.status
    slack = T.lemma8_min_slack(p, w, alpha, tau, D, sigma)  # alpha D p^2 (1 - 1.62) = -0.00155 D
    assert slack == pytest.approx(-0.00155 * D, rel=1e-9)
    assert gap_next - stated.value == pytest.approx(-slack, rel=1e-9)
    if D == 1:
        assert gap_next == pytest.approx(0.004095125, rel=1e-12)
        assert stated.value == pytest.approx(0.002545125, rel=1e-12)
    assert gap_next > stated.value
    # the derived form is tight here: equality up to rounding (terms of size ~1e-2, u ~ 1e-16)
    derived = T.lemma8_step_derived(*args, alpha, L, tau, D, sigma, w_inf=abs(w))
    assert derived.applicable and derived.value == pytest.approx(gap_next, rel=1e-9)
    # negative control: below the threshold (w = 0.5: sigma w^2/(tau^3 sqrt D) = 0.5) the printed form holds
    gap_next, args = _lemma8_instance(D, L, tau, sigma, alpha, 0.5, p)
    assert gap_next <= T.lemma8_step(*args, alpha, L, tau, D, sigma).value


@given(
    d=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
    e_tau=st.floats(-1, 1),
    e_sigma=st.floats(-2, 2),
    e_alpha=st.floats(-4, 0),
    e_l=st.floats(-2, 2),
)
def test_lemma8_derived_holds_on_random_quadratics(d, seed, e_tau, e_sigma, e_alpha, e_l):
    rng = np.random.default_rng(seed)
    tau, sigma, alpha = 10**e_tau, 10**e_sigma, 10**e_alpha
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    H = Q @ np.diag(rng.uniform(0, 10**e_l, d)) @ Q.T
    H = (H + H.T) / 2
    L = float(np.linalg.eigvalsh(H)[-1])
    assume(L > 0)
    W, W_star, P = rng.uniform(-tau, tau, (3, d))
    W_next = _ald(W, -alpha * P, tau)
    f = lambda V: 0.5 * (V - W_star) @ H @ (V - W_star)  # noqa: E731
    grad = H @ (W - W_star)
    C = tau * math.sqrt(d) / sigma
    args = (
        f(W),
        float(grad @ grad),
        float(np.sum((W_next - W) ** 2)),
        float(np.sum((P - C * grad) ** 2)),
        float(P @ P),
    )
    bound = T.lemma8_step_derived(*args, alpha, L, tau, d, sigma, w_inf=float(np.max(np.abs(W))))
    # rounding: the right side is a sum of five terms; allow 1e-12 of their total magnitude
    scale = (
        args[0] + alpha * C / 2 * args[1] + (1 / (2 * alpha * C) + L / 2) * args[2] + alpha / C * (args[3] + args[4])
    )
    assert f(W_next) <= bound.value + 1e-12 * scale


# ---------------------------------------------------------------------------------------------
# item 4 (a): the descent coefficient of (138) is <= -127 for every admissible (c, D)
# ---------------------------------------------------------------------------------------------
def test_descent_coefficient_is_negative_for_every_admissible_c_symbolically():
    sign = T.derive_descent_sign()
    assert sign["nonnegative"] is True  # -127 - A(u) >= 0 for u >= 0
    assert sp.expand(sign["coefficient"] + 127 + sign["excess"]) == 0
    # at c sqrt(D) = 1 and L -> 0 the coefficient is exactly -127
    assert sign["coefficient"].subs({S.tt_u: 0, S.L: 0}) == -127


def test_descent_coefficient_numbers_for_common_laws_and_large_d():
    for D in (1, 10, 100, 10**4, 10**6):
        gaussian = math.sqrt(2 / math.pi) / math.sqrt(D)  # E|eps_i| / sigma for Gaussian coordinates
        rademacher = 1 / math.sqrt(D)
        assert T.descent_coefficient(1e-6, 1.0, D, 1e4, gaussian) == pytest.approx(1 - 64 * math.pi, rel=1e-6)
        assert T.descent_coefficient(1e-6, 1.0, D, 1e4, rademacher) == pytest.approx(-127.0, rel=1e-6)
    b = T.theorem3_rate_as_stated(10**6, 1.0, 1e-6, 1.0, 100, 1e4, 0.1)
    assert [cond.statement for cond in b.failed] == ["1 - 128/(c^2 D) - 32 P_max^2/tau^2 > 0"]
    assert b.failed[0].lhs == pytest.approx(-127.0, rel=1e-6)
    # negative control: an impossible c (c^2 D = 256) makes the coefficient positive, and the
    # A5-consistency condition flags it
    inconsistent = T.theorem3_rate_as_stated(10**6, 1.0, 1e-6, 1.0, 256, 1e4, 1.0)
    assert T.descent_coefficient(1e-6, 1.0, 256, 1e4, 1.0) == pytest.approx(0.5, rel=1e-6)
    assert [cond.statement for cond in inconsistent.failed] == ["c <= 1/sqrt(D) (A5 with A3, Jensen)"]


@given(
    e_l=st.floats(-6, 3), e_t=st.floats(-3, 3), e_s=st.floats(-3, 6), d=st.integers(1, 10**6), t=st.floats(1e-6, 1.0)
)
def test_descent_never_holds_over_wide_ranges(e_l, e_t, e_s, d, t):
    L, tau, sigma, c = 10**e_l, 10**e_t, 10**e_s, t / math.sqrt(d)
    assert T.descent_coefficient(L, tau, d, sigma, c) <= -127 * (1 - 1e-12)
    assert not T.theorem3_rate_from_proof(10, 1.0, 1e-3, L, tau, d, sigma, c).applicable


# ---------------------------------------------------------------------------------------------
# item 4 (b): 33 P_max^2/tau^2 < 1 iff sigma^2 > 1353 L^2 tau^2 D/c^2 >= 1353 L^2 tau^2 D^2
# ---------------------------------------------------------------------------------------------
def test_saturation_condition_is_a_sigma_threshold():
    assert sp.simplify(T.derive_sigma_threshold() - 1353 * S.L**2 * S.tau**2 * S.D / S.c**2) == 0
    assert 33 * 41 == 1353
    L, tau, D = 1.0, 1.0, 10
    c = T.c_max(D)
    threshold = T.sigma_sq_threshold(L, tau, D, c)
    assert threshold == pytest.approx(1353 * L**2 * tau**2 * D**2, rel=1e-12) == pytest.approx(135300.0)
    assert T.rate_factor(L, tau, D, math.sqrt(1.001 * threshold), c).applicable
    assert not T.rate_factor(L, tau, D, math.sqrt(0.999 * threshold), c).applicable
    assert T.rate_factor(L, tau, D, math.sqrt(4 * threshold), c).value == pytest.approx(4 / 3, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# item 4 (c): the step-size window is never empty; statement's beta vs the proof's
# ---------------------------------------------------------------------------------------------
def test_alpha_thresholds_are_positive_upper_limits():
    thresholds = T.derive_alpha_thresholds()
    assert len(thresholds) == 5 and all(t.is_positive for t in thresholds.values())
    assert (
        sp.simplify(
            thresholds["window beta_low <= beta_high"] - S.c * S.sigma**3 / (16 * sp.sqrt(2) * S.L * S.tau**3 * S.D)
        )
        == 0
    )


@given(
    e_l=st.floats(-3, 3),
    e_t=st.floats(-2, 2),
    e_s=st.floats(-3, 4),
    d=st.integers(1, 10**4),
    t=st.floats(1e-3, 1.0),
    u=st.floats(1e-6, 1.0),
)
def test_window_and_119_hold_together_below_alpha_max_and_not_above(e_l, e_t, e_s, d, t, u):
    L, tau, sigma, c = 10**e_l, 10**e_t, 10**e_s, t / math.sqrt(d)
    top = T.alpha_max(L, tau, d, sigma, c)
    alpha = u * top
    beta = T.beta_proof(alpha, L, tau, d, sigma)
    conditions = T.window_conditions(alpha, beta, L, tau, d, sigma, c) + T.lemma7_conditions(beta, L, tau, d, sigma, c)
    # the window's lower end is met with equality by construction (beta = the proof's beta)
    assume(
        all(
            abs(cond.lhs - cond.rhs) > 1e-9 * abs(cond.rhs)
            for cond in conditions
            if not cond.statement.startswith("beta >= 8 alpha")
        )
    )
    assert all(cond.holds for cond in conditions), [str(x) for x in conditions if not x.holds]
    # negative control: 1% above alpha_max some condition fails
    alpha = 1.01 * top
    beta = T.beta_proof(alpha, L, tau, d, sigma)
    conditions = T.window_conditions(alpha, beta, L, tau, d, sigma, c) + T.lemma7_conditions(beta, L, tau, d, sigma, c)
    assert not all(cond.holds for cond in conditions)


def test_statement_beta_differs_from_the_proof_beta():
    alpha, L, tau = 1e-4, 0.1, 1.0
    # sigma^2 = tau^2 D: the two choices coincide
    assert T.beta_proof(alpha, L, tau, 4, 2.0) == pytest.approx(T.beta_statement(alpha, L), rel=1e-15)
    # sigma^2 = 16 tau^2 D: the statement's beta is 16 times the proof's, and still in the window
    D, sigma, c = 4, 8.0, 0.5
    assert T.beta_statement(alpha, L) / T.beta_proof(alpha, L, tau, D, sigma) == pytest.approx(16.0, rel=1e-12)
    assert all(cond.holds for cond in T.window_conditions(alpha, T.beta_statement(alpha, L), L, tau, D, sigma, c))
    # sigma^2 = tau^2 D/4: the statement's beta is below the window's lower end 8 alpha L tau^2 D/sigma^2
    sigma = 1.0
    failed = [
        cond.statement
        for cond in T.window_conditions(alpha, T.beta_statement(alpha, L), L, tau, D, sigma, c)
        if not cond.holds
    ]
    assert failed == ["beta >= 8 alpha L tau^2 D/sigma^2"]


# ---------------------------------------------------------------------------------------------
# the rate: telescoped (138), its optimal alpha, the constant 8 sqrt(2), (139) as printed
# ---------------------------------------------------------------------------------------------
def test_rate_constant_and_printed_step_size():
    d = T.derive_rate_constant()
    B = 1 + 16 / (S.c * sp.sqrt(S.D))
    A = 1 - 128 / (S.c**2 * S.D) - 32 * T.P_MAX_SQ.expr / S.tau**2
    target = 8 * sp.sqrt(2) * sp.sqrt(S.tt_V0 * S.sigma**2 * S.L * B / S.K) / A
    assert sp.simplify((d["rate"] / target) ** 2) == 1
    assert sp.simplify((d["alpha"] / sp.sqrt(S.tt_V0 / (8 * S.L * S.tau**2 * S.D * B * S.K))) ** 2) == 1
    # numbers (an algebra check: A > 0 needs c^2 D > 128, i.e. an impossible c)
    V0, K, L, tau, D, sigma, c = 1.0, 10**4, 1e-3, 1.0, 256, 1e3, 1.0
    a_opt = T.alpha_optimal(V0, K, L, tau, D, c)
    rate = lambda a: float(T.RATE_FROM_DESCENT.numeric(a, V0, K, L, tau, D, sigma, c))  # noqa: E731
    best = float(T.RATE_OPTIMAL.numeric(V0, K, L, tau, D, sigma, c))
    assert rate(a_opt) == pytest.approx(best, rel=1e-12)
    assert rate(1.1 * a_opt) > best and rate(a_opt / 1.1) > best  # negative controls: 10% off
    # (139) as printed is another alpha; its rate exceeds the optimum by (2 s^2 L/tau + 16 tau)/(8 sqrt(2) s sqrt(L))
    a_139 = T.alpha_proof_139(V0, K, L, D, sigma, c)
    ratio = (2 * sigma**2 * L / tau + 16 * tau) / (8 * math.sqrt(2) * sigma * math.sqrt(L))
    assert a_139 / a_opt == pytest.approx(2 * math.sqrt(2) * tau / (sigma * math.sqrt(L)), rel=1e-12)
    assert rate(a_139) / best == pytest.approx(ratio, rel=1e-12)
    assert ratio > 1.6  # 1.6605 here


def test_rate_as_stated_carries_the_rate_factor():
    K, f_gap, L, tau, D, c = 10**6, 2.0, 1.0, 1.0, 10, 1 / math.sqrt(10)
    sigma = math.sqrt(4 * T.sigma_sq_threshold(L, tau, D, c))  # 33 P_max^2/tau^2 = 1/4
    b = T.theorem3_rate_as_stated(K, f_gap, L, tau, D, sigma, c)
    assert b.value == pytest.approx(8 * math.sqrt(2) * math.sqrt(f_gap * sigma**2 * L / K) * 4 / 3, rel=1e-12)
    assert b.terms["rate_factor"] == pytest.approx(4 / 3, rel=1e-12)
    assert not b.applicable  # the descent condition of (138)


# ---------------------------------------------------------------------------------------------
# hypothesis: applicability recomputed independently from the raw parameters
# ---------------------------------------------------------------------------------------------
def _clear(pairs) -> bool:
    """No (lhs, rhs) pair sits within 1e-9 (relative) of its boundary, where float rounding could
    make two correct implementations disagree."""
    return all(abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-300) for a, b in pairs)


_params = st.fixed_dictionaries(
    {
        "e_l": st.floats(-4, 2),
        "e_t": st.floats(-1.5, 1.5),
        "e_s": st.floats(-3, 4),
        "d": st.integers(1, 10**4),
        "t": st.floats(1e-3, 1.5),
        "e_beta": st.floats(-14, 1),
        "e_alpha": st.floats(-8, 1),
        "K": st.integers(1, 10**6),
        "e_v": st.floats(-3, 3),
    }
)


@given(_params)
def test_lemma7_and_theorem3_applicability_recomputed_independently(v):
    L, tau, D, sigma = 10 ** v["e_l"], 10 ** v["e_t"], v["d"], 10 ** v["e_s"]
    c = v["t"] / math.sqrt(D)  # t > 1 draws inconsistent c on purpose
    beta, alpha, K, V0 = 10 ** v["e_beta"], 10 ** v["e_alpha"], v["K"], 10 ** v["e_v"]
    p_max = 41 * L**2 * tau**4 * D / (c**2 * sigma**2)
    c119 = [
        (beta, c * tau / (2 * (4 * L**2 * tau**2 + sigma**2))),
        (beta, 2 / (3 * c * sigma)),
        (beta, L**2 * tau**3 * D / (3 * c * sigma**3)),
        (c, 1 / math.sqrt(D)),
    ]
    window = [(alpha, sigma / (6 * L * tau * math.sqrt(D)))]
    beta_low, beta_high = 8 * alpha * L * tau**2 * D / sigma**2, c**2 * sigma**4 / (64 * alpha * L * tau**4 * D)
    descent = 1 - 128 / (c**2 * D) - 32 * p_max / tau**2
    assume(_clear(c119 + window + [(beta, beta_low), (beta, beta_high), (descent, 0.0), (33 * p_max / tau**2, 1.0)]))

    stated = T.lemma7_p_max(beta, L, tau, D, sigma, c)
    event(f"Lemma 7 applicable: {stated.applicable}")
    assert stated.applicable == all(a <= b for a, b in c119)
    assert math.isfinite(stated.value) and stated.value >= 0
    assert stated.value == pytest.approx(p_max, rel=1e-12)

    derived = T.lemma7_p_max_derived(beta, L, tau, D, sigma, c)
    assert derived.applicable == (stated.applicable and beta * c * sigma / tau <= 1)

    # the proof's rate at the proof's beta
    bp = 8 * alpha * L * tau**2 * D / sigma**2
    c119p = [
        (bp, c * tau / (2 * (4 * L**2 * tau**2 + sigma**2))),
        (bp, 2 / (3 * c * sigma)),
        (bp, L**2 * tau**3 * D / (3 * c * sigma**3)),
        (c, 1 / math.sqrt(D)),
    ]
    assume(_clear(c119p + [(bp, beta_high)]))
    proof = T.theorem3_rate_from_proof(K, V0, alpha, L, tau, D, sigma, c)
    expected = all(a <= b for a, b in c119p + window) and bp <= beta_high and descent > 0
    assert proof.applicable == expected
    if proof.applicable:
        assert math.isfinite(proof.value) and proof.value >= 0

    stated_rate = T.theorem3_rate_as_stated(K, V0, L, tau, D, sigma, c)
    assert stated_rate.applicable == (33 * p_max / tau**2 < 1 and c <= 1 / math.sqrt(D) and descent > 0)
    if stated_rate.applicable:
        assert math.isfinite(stated_rate.value) and stated_rate.value >= 0


@given(_params, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_lemma_step_applicability_recomputed_independently(v, r1, r2, r3, r4, r5):
    L, tau, D, sigma = 10 ** v["e_l"], 10 ** v["e_t"], v["d"], 10 ** v["e_s"]
    c, beta, alpha = v["t"] / math.sqrt(D), 10 ** v["e_beta"], 10 ** v["e_alpha"]
    p_inf_sq = 1.2 * tau**2 * r1  # sometimes above tau^2 on purpose
    p_sq = p_inf_sq * (1 + (D - 1) * r2) * (1.2 if r5 > 0.9 else 1.0)
    grad_sq, dw_sq, track_sq, gap = 4 * L**2 * tau**2 * D * r3, 4 * alpha**2 * p_sq * r4, p_sq * r5, 10 * r1 * r3
    # subnormal inputs are refused by name (issue 15's numeric policy, pinned in test_subnormal_inputs_are_refused)
    assume(all(x == 0 or abs(x) >= sys.float_info.min for x in (p_inf_sq, p_sq, grad_sq, dw_sq, track_sq, gap)))

    c111 = [(beta, c * tau / (2 * (4 * L**2 * tau**2 + sigma**2))), (beta, 2 / (3 * c * sigma)), (c, 1 / math.sqrt(D))]
    c119 = c111 + [(beta, L**2 * tau**3 * D / (3 * c * sigma**3))]
    assume(
        _clear(
            c119
            + [
                (p_inf_sq, tau**2),
                (p_sq, D * tau**2),
                (beta * c * sigma / tau, 1.0),
                (beta * sigma / (tau * math.sqrt(D)), 1.0),
                (p_inf_sq, p_sq),
                (p_sq, D * p_inf_sq),
                (grad_sq, 2 * L * gap),
                (dw_sq, 4 * alpha**2 * p_sq),
            ]
        )
    )

    step7 = T.lemma7_step(p_inf_sq, beta, L, tau, D, sigma, c)
    event(f"Lemma 7 step applicable: {step7.applicable}")
    holds7 = all(a <= b for a, b in c119) and p_inf_sq <= tau**2 and beta * c * sigma / tau <= 1
    assert step7.applicable == holds7
    step6 = T.lemma6_step(p_sq, grad_sq, dw_sq, beta, L, tau, D, sigma, c)
    assert step6.applicable == (all(a <= b for a, b in c111) and p_sq <= D * tau**2)
    step5 = T.lemma5_step(track_sq, dw_sq, p_sq, p_inf_sq, grad_sq, beta, L, tau, D, sigma)
    assert step5.applicable == (beta * sigma / (tau * math.sqrt(D)) <= 1 and p_inf_sq <= p_sq <= D * p_inf_sq)
    C = tau * math.sqrt(D) / sigma
    rhs8 = gap - alpha * C / 2 * grad_sq - (1 / (2 * alpha * C) - L / 2) * dw_sq + alpha / C * track_sq + alpha * p_sq
    assume(_clear([(rhs8, 0.0)]))
    step8 = T.lemma8_step(gap, grad_sq, dw_sq, track_sq, p_sq, alpha, L, tau, D, sigma)
    event(f"Lemma 6/5/8 applicable: {step6.applicable}/{step5.applicable}/{step8.applicable}")
    assert step8.applicable == (grad_sq <= 2 * L * gap and dw_sq <= 4 * alpha**2 * p_sq and rhs8 >= 0)
    for bound in (step7, step6, step5, step8):
        if bound.applicable:
            assert math.isfinite(bound.value) and bound.value >= 0


# ---------------------------------------------------------------------------------------------
# inputs, trivial bounds
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: T.p_max_sq(1.0, 1.0, 0, 1.0, 0.1), "D"),
        (lambda: T.p_max_sq(1.0, 1.0, 2.5, 1.0, 0.1), "D"),
        (lambda: T.p_max_sq(1.0, 1.0, 4, 1.0, -0.1), "c"),
        (lambda: T.lemma7_p_max(float("nan"), 1.0, 1.0, 4, 1.0, 0.1), "beta"),
        (lambda: T.lemma7_step(-1.0, 1e-3, 1.0, 1.0, 4, 1.0, 0.1), "p_inf_sq"),
        (lambda: T.lemma8_step_derived(1, 0, 0, 0, 0, 0.1, 1.0, 1.0, 1, 1.0, w_inf=2.0), "w_inf"),
        (lambda: T.rademacher_next_p_inf_sq(2.0, 0.1, 1.0, 1, 1.0), "p"),
        (lambda: T.theorem3_rate_as_stated(0, 1.0, 1.0, 1.0, 4, 1.0, 0.1), "K"),
        (lambda: T.lemma7_iterate(3, 20.0, 1.0, 1.0, 1, 1.0, 0.1), "beta"),
    ],
)
def test_bad_inputs_raise_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        call()


def test_p_max_is_vacuous_when_it_exceeds_tau_squared():
    vacuous = T.lemma7_p_max(1e-9, 1.0, 1.0, 4, 1.0, 0.5)  # P_max^2 = 656 > tau^2 = 1
    assert vacuous.applicable and vacuous.vacuous and vacuous.trivial == 1.0
    useful = T.lemma7_p_max(1e-9, 1e-3, 1.0, 4, 10.0, 0.5)  # P_max^2 = 6.56e-6
    assert useful.applicable and not useful.vacuous


# ---------------------------------------------------------------------------------------------
# Monte Carlo: measured E||P_k||_inf^2 against P_max^2 (Lemma 7 / C22)
# ---------------------------------------------------------------------------------------------
def test_monte_carlo_p_inf_sq_stays_below_p_max():
    from verify.sim.dynamics import TikiTaka
    from verify.sim.engine import simulate
    from verify.sim.noise import RademacherNoise
    from verify.sim.problems import QuadraticProblem

    D, L, tau, sigma = 4, 0.1, 1.0, 4.0
    c = T.c_max(D)  # Rademacher noise: c = 1/sqrt(D) exactly
    beta, alpha, K = 4e-4, 0.1, 2000
    bound = T.lemma7_p_max(beta, L, tau, D, sigma, c)
    assert bound.applicable and not bound.vacuous and bound.value == pytest.approx(0.41, rel=1e-12)
    problem = QuadraticProblem(hessian=L * np.eye(D), w_star=np.full(D, 0.5), w0=np.full(D, -0.5))
    result = simulate(
        problem,
        TikiTaka(AsymmetricLinearDevice(tau=tau), alpha=alpha, beta=beta),
        RademacherNoise(scale=sigma / math.sqrt(D)),
        steps=K,
        chains=256,
        seed=20240612,
        windows={"late": (K // 2, K + 1)},
    )
    estimate = result.estimate("p_inf_sq", "late")  # average of E||P_k||_inf^2 over k in [K/2, K]
    assert estimate.high < bound.value  # confirmed, by a factor ~500 here
    assert estimate.high < bound.value / 100
    # negative control: a bound 10% below the measured mean is rejected by the same check
    wrong = 0.9 * estimate.mean
    assert not estimate.high < wrong and estimate.low > wrong


# ---------------------------------------------------------------------------------------------
# issue 15: bad input is refused by name, never a bare inf, an OverflowError or a TypeError
# from a missing argument (the contract itself is fuzzed in tests/test_public_api.py)
# ---------------------------------------------------------------------------------------------
def test_p_max_sq_beyond_float64_names_the_extreme_input():
    """Issue 15: ``p_max_sq(L=1e308, ...)`` returned a bare inf."""
    with pytest.raises(ValueError, match=r"beyond float64 .*at L=1e\+308"):
        T.p_max_sq(L=1e308, tau=1.0, D=100, sigma=1e4, c=0.1)


def _cases_with_c():
    from tests.api_cases.bounds_theorems import CASES

    return [case for case in CASES if case.name.startswith("bounds.tiki_taka.") and "c" in case.valid]


def test_every_function_taking_c_has_a_case():
    """The 16 functions of issue 15 (and the others with a c) are all below."""
    import inspect

    taking_c = {
        name for name in T.__all__ if callable(f := getattr(T, name)) and "c" in inspect.signature(f).parameters
    }
    assert {case.name.rsplit(".", 1)[1] for case in _cases_with_c()} == taking_c
    assert len(taking_c) >= 16


@pytest.mark.parametrize("case", _cases_with_c(), ids=lambda case: case.name.rsplit(".", 1)[1])
def test_c_none_is_refused_naming_c(case):
    """Issue 15: c=None broke 16 functions with "missing 1 required positional argument"."""
    with pytest.raises(ValueError, match=r"^c must be a finite real number > 0, got None$"):
        case.target(**{**case.valid, "c": None})


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: T.p_max_sq(1.0, 1.0, 10**400, 1.0, 0.1), "D"),
        (lambda: T.lemma7_iterate(10**400, 0.01, 1.0, 1.0, 1, 1.0, 1.0), "k"),
        (lambda: T.theorem3_rate_as_stated(10**400, 1.0, 1e-3, 1.0, 4, 10.0, 0.5), "K"),
        (lambda: T.lemma7_p_max(1e-9, 1e-3, 1e200, 4, 10.0, 0.5), "tau"),  # was an OverflowError of tau**2
        # a condition side beyond float64 (D tau^2, an OverflowError of tau**2 before) names its inputs
        (lambda: T.lemma6_step(0.1, 0.1, 0.01, 1e-3, 1.0, 1e200, 4, 1.0, 0.5), "tau"),
        (lambda: T.lemma7_iterate(3, 0.01, 1.0, 1.0, 1, 1.0, c=1e308), "c"),  # a relation names all its inputs
        (lambda: T.lemma8_step_derived(1, 0, 0, 0, 0, 0.1, 1.0, tau=0.5, D=1, sigma=1.0, w_inf=0.7), "tau"),
        (lambda: T.rademacher_next_p_inf_sq(0.5, 0.1, 1.0, 1, sigma=1e300), "sigma"),
        (lambda: T.theorem3_rate_from_proof(100, 1.0, 1e-300, 1e-20, 1.0, 256, 1.0, 1.0), "alpha"),  # beta underflows
        (lambda: T.theorem3_rate_from_proof(100, 1.0, 1e-4, 1e-9, 1e-300, 256, 1.0, 1.0), "tau"),
        (lambda: T.lemma5_step(0.1, 0.01, 0.2, 0.1, 0.3, 0.1, 1.0, 1.0, 2, 2.5e-308), "sigma"),
    ],
)
def test_extreme_inputs_are_refused_by_name(call, name):
    with pytest.raises(ValueError, match=rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])"):
        call()


def test_subnormal_inputs_are_refused():
    """The numeric policy of bounds.validation: a subnormal input loses every digit in a closed form."""
    with pytest.raises(ValueError, match=r"^p_inf_sq must be 0 or of magnitude >= 2.23e-308"):
        T.lemma7_step(1e-310, 1e-9, 1e-3, 1.0, 4, 10.0, 0.5)


def test_lemma7_iterate_has_no_loop_in_k():
    """x_k is evaluated in closed form (expm1/log1p), so the largest k the integer policy allows
    answers at once and stays below P_max^2: no cap below 2**53 is needed."""
    import time

    start = time.perf_counter()
    x = T.lemma7_iterate(2**53, 0.01, 1.0, 1.0, 1, 1.0, 1.0)
    assert time.perf_counter() - start < 0.5
    assert x == pytest.approx(T.p_max_sq(1.0, 1.0, 1, 1.0, 1.0), rel=1e-15)
