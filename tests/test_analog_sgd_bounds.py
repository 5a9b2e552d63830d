"""Theorem 1 (Analog SGD, v1 Thm 2), digital SGD (5) and Analog GD (v1 Thm 9): bounds/analog_sgd.py.

What is checked, and how:

* (the numpy twins of the module's registered formulas are held to mpmath in tests/test_formulas.py);
* the derivation: the proof chain (59)-(63) rebuilt with sympy from the ALD update, compared with
  the printed (61), (63), (64), (65), and the step-size identity of (65);
* the tau -> oo limits against the digital bound (5);
* hypothesis properties: each bound function's applicability equals the paper's conditions,
  recomputed here from the raw parameters, and its value equals an independent float evaluation
  of the printed formula;
* exact checks (no sampling): one-step inequalities under two-point noise, Theorem 1 on all
  2^K noise paths of a scalar run, the Theorem 9 counterexample for (53);
* one Monte Carlo check with confidence intervals: on Theorem 2's instance the asymptotic error
  is sigma^2 S, the derived constant, not the 4 sigma^2 S of (65) (with a negative control).

Tolerances: closed-form twins at 1e-12 relative (float64, a few dozen operations each, no
cancellation on the grids: u = 1.1e-16 times a factor ~1e4 of headroom); exact-path inequalities at
1e-12 relative (sums of at most 2^12 float64 terms).
"""

from __future__ import annotations

import functools
import math
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from bounds import analog_sgd as A
from bounds import symbols as S
from bounds.devices import AsymmetricLinearDevice
from bounds.formula import FORMULAS
from bounds.saturation import SATURATION_BOUND_ATTAINED, amplification_sum

#: the public functions refuse subnormal inputs (issue 15's numeric policy), so no draw is subnormal
_floats = functools.partial(st.floats, allow_subnormal=False)

MY_FORMULAS = sorted(n for n in FORMULAS if n.split(".")[0] in ("analog_sgd", "digital_sgd", "analog_gd"))
r = S.W_max**2 / S.tau**2


# ---------------------------------------------------------------------------------------------
# numeric twins
# ---------------------------------------------------------------------------------------------


def test_every_formula_of_the_module_is_covered():
    assert len(MY_FORMULAS) == 14, MY_FORMULAS


# ---------------------------------------------------------------------------------------------
# derivation of (59)-(65)
# ---------------------------------------------------------------------------------------------


def test_derivation_identities_hold_exactly():
    step = A.derive_analog_sgd_step()
    assert sp.cancel(step["identity"]) == 0
    assert sp.cancel(step["young"]) == 0
    assert sp.cancel(step["noise_coefficient"] - step["noise_coefficient_nonneg"]) == 0
    # the update is the paper's (3) for one coordinate
    n = S.g + S.eps
    assert sp.simplify(step["update"] - (-S.alpha * n - S.alpha / S.tau * sp.Abs(n) * S.w)) == 0
    gd = A.derive_analog_sgd_step(noise=False)
    assert sp.cancel(gd["identity"]) == 0


def test_derived_one_step_matches_63_except_the_variance_constant():
    """(61)+(63) and the derivation differ only in alpha^2 L sigma^2 vs alpha^2 L sigma^2/(2(1 - alpha L))."""
    diff = sp.cancel(A.ONE_STEP_DERIVED.expr - A.ONE_STEP_63.expr)
    expected = S.alpha**2 * S.L * S.sigma**2 * (1 / (2 * (1 - S.alpha * S.L)) - 1)
    assert sp.cancel(diff - expected) == 0
    # <= 0 exactly when alpha L <= 1/2: the proof's alpha <= 1/(2L) before (61)
    assert sp.solve(sp.Eq(1 / (2 * (1 - S.alpha * S.L)), 1), S.alpha) == [1 / (2 * S.L)]


def test_printed_64_has_four_times_the_saturation_noise_term_of_63():
    noise_63 = A.ONE_STEP_63.expr.coeff(S.sgd_W_inf, 2).coeff(S.sigma, 2)
    noise_64 = sp.expand(A.ONE_STEP_64.expr).coeff(S.sgd_W_inf, 2).coeff(S.sigma, 2)
    noise_derived = sp.expand(A.ONE_STEP_DERIVED.expr).coeff(S.sgd_W_inf, 2).coeff(S.sigma, 2)
    assert sp.simplify(noise_64 / noise_63) == 4
    assert sp.simplify(noise_derived - noise_63) == 0
    # the other parts of (64) are those of (63)
    rest = sp.expand(A.ONE_STEP_64.expr - A.ONE_STEP_63.expr)
    assert sp.simplify(rest - (noise_64 - noise_63) * S.sigma**2 * S.sgd_W_inf**2) == 0


def test_derived_theorem1_equals_its_closed_form():
    closed = (
        2 * S.f_gap / (S.alpha * S.K) + S.alpha * S.L * S.sigma**2 / (1 - S.alpha * S.L) + S.sigma**2 * S.sgd_r_bar
    ) / (1 - r)
    assert sp.simplify(A.THEOREM1_DERIVED.expr - closed) == 0
    assert sp.simplify(A.THEOREM1_ASYMPTOTIC_DERIVED.expr - S.sigma**2 * S.sgd_r_bar / (1 - r)) == 0


def test_telescoping_the_printed_64_gives_4_sigma2_r_bar_over_1_minus_r_not_S_K():
    """Even from (64), a valid telescoping yields 4 sigma^2 r_bar/(1 - r), with r = W_max^2/tau^2 outside."""
    from_64 = A.telescope(A.ONE_STEP_64.expr)
    expected = (
        2 * S.f_gap / (S.alpha * S.K * (1 - r))
        + 2 * S.alpha * S.L * S.sigma**2 / (1 - r)
        + 4 * S.sigma**2 * S.sgd_r_bar / (1 - r)
    )
    assert sp.simplify(from_64 - expected) == 0


def test_paper_step_of_dividing_before_telescoping_fails_on_numbers():
    """sum_k (F_k - F_{k+1})/(1 - r_k) <= F_0/(1 - r) is what the paper's division needs; it fails when
    f rises at a low-saturation step and falls at a high-saturation one (F_k = f(W_k) - f* >= 0)."""
    F = [1.0, 5.0, 0.0]  # f(W_0) - f*, f(W_1) - f*, f(W_2) - f*
    r_k = [0.0, 0.9]  # ||W_k||_inf^2/tau^2 at k = 0, 1 (A4 with r = 0.9)
    lhs = sum((F[k] - F[k + 1]) / (1 - r_k[k]) for k in range(2))
    rhs = F[0] / (1 - max(r_k))
    assert (round(lhs, 12), round(rhs, 12)) == (46.0, 10.0)
    assert lhs > rhs
    # the valid order (lower 1 - r_k to 1 - r, then telescope) gives sum_k (F_k - F_{k+1}) <= F_0
    assert sum(F[k] - F[k + 1] for k in range(2)) <= F[0]


def _saturation_pair(r_seq, tau=1.0):
    """(r_bar, S_K) of one saturation sequence r_0..r_K (r_k = ||W_k||_inf^2/tau^2): K terms vs K + 1 terms."""
    r_seq = np.asarray(r_seq, float)
    return float(r_seq[:-1].mean()), amplification_sum(tau * np.sqrt(r_seq), tau)


@given(
    r_max=_floats(0.0, 0.75),
    fracs=st.lists(_floats(0.0, 1.0), min_size=2, max_size=40),
    alpha_frac=_floats(0.01, 1.0),
    f_gap=_floats(0.0, 10.0),
    sigma=_floats(0.01, 10.0),
)
def test_derived_bound_implies_the_stated_one_when_r_at_most_3_4(r_max, fracs, alpha_frac, f_gap, sigma):
    """For alpha <= 1/(2L) and r = W_max^2/tau^2 <= 3/4: sigma^2 r_bar/(1 - r) <= 4 sigma^2 r_bar <= 4 sigma^2 S_K,
    so the valid derivation implies (65) for every saturation sequence r_0..r_K in [0, r]."""
    r_max = math.sqrt(r_max) ** 2  # r as the bound recomputes it from W_max = sqrt(r) (else r_0 = r can exceed it)
    r_seq = [f * r_max for f in fracs]
    r_bar, S_K = _saturation_pair(r_seq)
    assume(all(x == 0 or x >= sys.float_info.min for x in (r_bar, S_K)))  # subnormal inputs are refused
    K, L, W_max = len(fracs) - 1, 1.0, math.sqrt(r_max)
    kwargs = dict(f_gap=f_gap, L=L, sigma=sigma, tau=1.0, W_max=W_max, K=K, alpha=alpha_frac * 0.5 / L)
    derived = A.theorem1_bound_derived(mean_saturation=r_bar, **kwargs)
    stated = A.theorem1_bound_as_stated(S_K=S_K, **kwargs)
    assert derived.applicable and stated.applicable
    assert derived.value <= stated.value * (1 + 1e-12)


def test_derived_bound_does_not_imply_the_stated_one_beyond_r_3_4():
    """r_0 = r = 0.9025 (W_max = 0.95 tau) once, then r_k = 0.01 for k = 1..K, K = 10^4: r_bar/(1 - r)
    = 0.1035 > 4 S_K = 0.0441, so the valid chain gives a larger bound than (65) and cannot prove it."""
    K = 10_000
    r_seq = [0.9025] + [0.01] * K
    r_bar, S_K = _saturation_pair(r_seq)
    kwargs = dict(f_gap=1e-3, L=1.0, sigma=1.0, tau=1.0, W_max=0.95, K=K, alpha=1e-3)
    derived = A.theorem1_bound_derived(mean_saturation=r_bar, **kwargs)
    stated = A.theorem1_bound_as_stated(S_K=S_K, **kwargs)
    assert (round(derived.terms["asymptotic"], 4), round(stated.terms["asymptotic"], 4)) == (0.1035, 0.0441)
    assert derived.value > 1.5 * stated.value


def test_statement_step_size_turns_65_into_its_second_form():
    rule = A.STEP_SIZE_RULE.expr
    first = A.THEOREM1_AS_STATED.expr.subs(S.alpha, rule)
    assert sp.simplify(first - A.THEOREM1_STATEMENT_STEP.expr) == 0


def test_digital_bound_5_from_the_descent_lemma():
    derived = A.DIGITAL_SGD_DERIVED.expr
    closed = (2 * S.f_gap / S.K + S.L * S.alpha**2 * S.sigma**2) / (S.alpha * (2 - S.alpha * S.L))
    assert sp.simplify(derived - closed) == 0
    gap = sp.factor(A.DIGITAL_SGD_AS_STATED.expr - derived)
    # (5) - derived = (2 Delta/K + L alpha^2 sigma^2)(1 - alpha L)/(alpha (2 - alpha L)): >= 0 iff alpha <= 1/L
    assert sp.simplify(gap - closed * (1 - S.alpha * S.L)) == 0


def test_theorem9_derivation_is_58_and_53_only_at_alpha_1_over_L():
    assert sp.simplify(A.THEOREM9_DERIVED.expr - A.THEOREM9_PROOF_58.expr) == 0
    assert sp.solve(sp.Eq(A.THEOREM9_PROOF_58.expr, A.THEOREM9_AS_STATED.expr), S.alpha) == [1 / S.L]


# ---------------------------------------------------------------------------------------------
# tau -> infinity
# ---------------------------------------------------------------------------------------------


def _limit(expr):
    return sp.simplify(sp.limit(expr, S.tau, sp.oo))


def test_limit_of_65_is_twice_the_variance_term_of_5():
    stated = A.THEOREM1_AS_STATED.expr.subs(S.S_K, SATURATION_BOUND_ATTAINED.expr)
    lim = _limit(stated)
    assert sp.simplify(lim - (2 * S.f_gap / (S.alpha * S.K) + 2 * S.alpha * S.L * S.sigma**2)) == 0
    digital = A.DIGITAL_SGD_AS_STATED.expr
    assert sp.simplify(lim - digital - S.alpha * S.L * S.sigma**2) == 0
    assert sp.simplify((lim - 2 * S.f_gap / (S.alpha * S.K)) / (digital - 2 * S.f_gap / (S.alpha * S.K))) == 2


def test_limit_at_the_statement_step_size_is_4_vs_3_sqrt():
    stated = A.THEOREM1_STATEMENT_STEP.expr.subs(S.S_K, SATURATION_BOUND_ATTAINED.expr)
    root = sp.sqrt(S.f_gap * S.sigma**2 * S.L / S.K)
    assert sp.simplify(_limit(stated) - 4 * root) == 0
    digital = A.DIGITAL_SGD_AS_STATED.expr.subs(S.alpha, A.STEP_SIZE_RULE.expr)
    assert sp.simplify(digital - 3 * root) == 0


def test_limit_of_the_derived_bound():
    derived = A.THEOREM1_DERIVED.expr.subs(S.sgd_r_bar, r)
    lim = _limit(derived)
    assert sp.simplify(lim - (2 * S.f_gap / (S.alpha * S.K) + S.alpha * S.L * S.sigma**2 / (1 - S.alpha * S.L))) == 0
    assert _limit(A.THEOREM1_ASYMPTOTIC_DERIVED.expr.subs(S.sgd_r_bar, r)) == 0
    assert _limit(A.THEOREM1_ASYMPTOTIC_AS_STATED.expr.subs(S.S_K, SATURATION_BOUND_ATTAINED.expr)) == 0


def test_limit_of_analog_gd_bounds():
    assert sp.simplify(_limit(A.THEOREM9_PROOF_58.expr) - A.DIGITAL_SGD_AS_STATED.expr.subs(S.sigma, 0)) == 0
    assert sp.simplify(_limit(A.THEOREM9_AS_STATED.expr) - 2 * S.f_gap * S.L / S.K) == 0


# ---------------------------------------------------------------------------------------------
# hypothesis: conditions recomputed from the raw parameters
# ---------------------------------------------------------------------------------------------

pos = _floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)
small_pos = _floats(1e-2, 1e2, allow_nan=False, allow_infinity=False)
#: W_max/tau; values below 1e-100 become 0, so that W_max, r = (W_max/tau)^2 and r_bar stay normal floats
ratio = _floats(0.0, 1.5, allow_nan=False).map(lambda w: 0.0 if w < 1e-100 else w)
Ks = st.integers(1, 10**6)


def _away(x, y):
    """Skip draws within float rounding of a condition's boundary (the two sides are computed differently)."""
    return abs(x - y) > 1e-9 * max(abs(x), abs(y), 1e-300)


def _rel(rr):
    """Relative tolerance of an independent float evaluation: 1 - W_max^2/tau^2 amplifies rounding by 1/(1 - r)."""
    return 1e-12 + 1e-14 / max(1 - rr, 1e-300)


def _check(bound, expected_conditions):
    assert bound.applicable == all(expected_conditions)
    if bound.applicable:
        assert math.isfinite(bound.value) and bound.value >= 0


@given(
    f_gap=pos,
    L=small_pos,
    sigma=pos,
    tau=small_pos,
    w=ratio,
    K=Ks,
    alpha=st.none() | _floats(1e-4, 10.0),
    S_K=st.none() | _floats(0.0, 1e3),
)
def test_theorem1_as_stated_conditions(f_gap, L, sigma, tau, w, K, alpha, S_K):
    W_max = w * tau
    a = math.sqrt(f_gap / (sigma**2 * L * K)) if alpha is None else alpha / L
    assume(_away(a * L, 1.0) and _away(2 * a * L, 1.0) and _away(W_max, tau))
    b = A.theorem1_bound_as_stated(f_gap, L, sigma, tau, W_max, K, alpha=None if alpha is None else a, S_K=S_K)
    _check(b, [a <= 1 / L, a <= 1 / (2 * L), W_max < tau])
    assert b.assumes and set(b.terms) >= {"rate", "asymptotic"}
    if W_max < tau:
        rr = (W_max / tau) ** 2
        s_k = (K + 1) / K * rr / (1 - rr) if S_K is None else S_K
        printed = 2 * f_gap / (a * K * (1 - rr)) + 2 * a * L * sigma**2 / (1 - rr) + 4 * sigma**2 * s_k
        assert b.value == pytest.approx(printed, rel=_rel(rr))
        assert b.terms["asymptotic"] == pytest.approx(4 * sigma**2 * s_k, rel=_rel(rr))


@given(
    f_gap=pos,
    L=small_pos,
    sigma=pos,
    tau=small_pos,
    w=ratio,
    K=Ks,
    alpha=st.none() | _floats(1e-4, 10.0),
    frac=st.none() | _floats(0.0, 1.2),
)
def test_theorem1_derived_conditions(f_gap, L, sigma, tau, w, K, alpha, frac):
    W_max = w * tau
    a = math.sqrt(f_gap / (sigma**2 * L * K)) if alpha is None else alpha / L
    rr = (W_max / tau) ** 2
    r_bar = None if frac is None else min(frac * rr, 0.999)
    assume(_away(a * L, 1.0) and _away(W_max, tau) and (r_bar is None or _away(r_bar, rr)))
    assume(r_bar is None or r_bar == 0 or r_bar >= sys.float_info.min)  # subnormal inputs are refused
    b = A.theorem1_bound_derived(
        f_gap, L, sigma, tau, W_max, K, alpha=None if alpha is None else a, mean_saturation=r_bar
    )
    _check(b, [a < 1 / L, W_max < tau, True if r_bar is None else r_bar <= rr])
    if b.applicable:
        rb = rr if r_bar is None else r_bar
        closed = (2 * f_gap / (a * K) + a * L * sigma**2 / (1 - a * L) + sigma**2 * rb) / (1 - rr)
        assert b.value == pytest.approx(closed, rel=_rel(rr))


@given(sigma=pos, tau=small_pos, w=ratio, K=Ks, S_K=st.none() | _floats(0.0, 1e3), frac=_floats(0.0, 1.0))
def test_asymptotic_terms_conditions(sigma, tau, w, K, S_K, frac):
    W_max = w * tau
    assume(_away(W_max, tau))
    stated = A.theorem1_asymptotic_error_as_stated(sigma, tau, W_max, K, S_K=S_K)
    _check(stated, [W_max < tau])
    rr = (W_max / tau) ** 2
    r_bar = min(frac * rr, 0.999)
    assume(r_bar == 0 or r_bar >= sys.float_info.min)  # subnormal inputs are refused
    derived = A.theorem1_asymptotic_error_derived(sigma, tau, W_max, mean_saturation=r_bar)
    _check(derived, [W_max < tau, r_bar <= rr])
    if derived.applicable:
        assert derived.value == pytest.approx(sigma**2 * r_bar / (1 - rr), rel=_rel(rr))


@given(f_gap=_floats(0.0, 1e3), L=small_pos, sigma=_floats(0.0, 1e2), K=Ks, alpha=_floats(1e-4, 10.0))
def test_digital_bounds_conditions(f_gap, L, sigma, K, alpha):
    a = alpha / L
    assume(_away(a * L, 1.0) and _away(a * L, 2.0))
    stated = A.digital_sgd_bound(f_gap, L, sigma, K, a)
    _check(stated, [a <= 1 / L])
    assert stated.value == pytest.approx(2 * f_gap / (a * K) + a * sigma**2 * L, rel=1e-12, abs=1e-300)
    derived = A.digital_sgd_bound_derived(f_gap, L, sigma, K, a)
    _check(derived, [a < 2 / L])
    if a <= 1 / L:
        assert derived.value <= stated.value * (1 + 1e-12)


@given(f_gap=_floats(0.0, 1e3), L=small_pos, tau=small_pos, w=ratio, K=Ks, alpha=_floats(1e-4, 3.0))
def test_theorem9_conditions(f_gap, L, tau, w, K, alpha):
    W_max, a = w * tau, alpha / L
    assume(_away(a * L, 1.0) and _away(W_max, tau))
    stated = A.theorem9_bound_as_stated(f_gap, L, tau, W_max, K, a)
    derived = A.theorem9_bound_derived(f_gap, L, tau, W_max, K, a)
    for b in (stated, derived):
        _check(b, [a <= 1 / L, W_max < tau])
    if W_max < tau:
        assert derived.value == pytest.approx(2 * f_gap / (a * K * (1 - w**2)), rel=_rel(w**2), abs=1e-300)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: A.theorem1_bound_as_stated(1.0, 1.0, 1.0, 1.0, 0.5, 0), "K"),
        (lambda: A.theorem1_bound_as_stated(0.0, 1.0, 1.0, 1.0, 0.5, 10), "f_gap"),
        (lambda: A.theorem1_bound_as_stated(1.0, 1.0, 0.0, 1.0, 0.5, 10), "sigma"),
        (lambda: A.theorem1_bound_as_stated(1.0, -1.0, 1.0, 1.0, 0.5, 10, alpha=0.1), "L"),
        (lambda: A.theorem1_bound_as_stated(1.0, 1.0, 1.0, 1.0, 0.5, 10, S_K=-1.0), "S_K"),
        (lambda: A.theorem1_bound_derived(1.0, 1.0, 1.0, 1.0, 0.5, 10, mean_saturation=1.0), "mean_saturation"),
        (lambda: A.digital_sgd_bound(1.0, 1.0, 1.0, 10, alpha=0.0), "alpha"),
        (lambda: A.theorem9_bound_as_stated(1.0, 1.0, 0.0, 0.5, 10, 0.1), "tau"),
        (lambda: A.theorem1_step_size(1.0, 1.0, 1.0, 2.5), "K"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------------------------------------
# exact checks (expectations over finitely many noise values, no sampling)
# ---------------------------------------------------------------------------------------------


def _one_step_exact(L, tau, w, w_star, alpha, p, e_up):
    """E f(w_{k+1}) - f(w_k) for f = L/2 (w - w*)^2 under the zero-mean two-point law (p: e_up, 1-p: e_down)."""
    e_dn = -e_up * p / (1 - p)
    g = L * (w - w_star)
    dev = AsymmetricLinearDevice(tau)
    nxt = dev.update(np.array([w, w]), -alpha * (g + np.array([e_up, e_dn])))
    f = 0.5 * L * (nxt - w_star) ** 2
    return p * f[0] + (1 - p) * f[1] - 0.5 * L * (w - w_star) ** 2, g * g, p * e_up**2 + (1 - p) * e_dn**2


@given(
    alpha_L=_floats(0.01, 0.99),
    w=_floats(-1.0, 1.0),
    w_star=_floats(-1.0, 1.0),
    p=_floats(0.05, 0.95),
    e_up=_floats(0.0, 3.0),
)
def test_derived_one_step_holds_exactly_on_scalar_quadratics(alpha_L, w, w_star, p, e_up):
    L, tau = 1.0, 1.0
    drop, G, var = _one_step_exact(L, tau, w, w_star, alpha_L / L, p, e_up)
    bound = float(A.ONE_STEP_DERIVED.numeric(alpha_L / L, L, math.sqrt(var), tau, abs(w), G))
    assert drop <= bound + 1e-12 * (1 + abs(bound))


def test_one_step_negative_control_variance_term_is_needed():
    """The same exact check rejects the derived one-step bound without its variance term (at W* = 0, g = 0)."""
    drop, G, var = _one_step_exact(1.0, 1.0, 0.0, 0.0, 0.25, 0.5, 0.5)
    without_variance = float(A.ONE_STEP_DERIVED.numeric(0.25, 1.0, 0.0, 1.0, 0.0, G))
    assert drop == pytest.approx(0.5 * 0.25**2 * 0.25) and drop > without_variance


def test_61_fails_at_alpha_1_over_L_which_the_statement_allows():
    """(61) with (62) needs alpha <= 1/(2L): at alpha = 1/L, w = -0.6, w* = -0.5, eps = +-0.1 it fails."""
    L, tau, alpha, w, w_star, e = 1.0, 1.0, 1.0, -0.6, -0.5, 0.1
    drop, G, var = _one_step_exact(L, tau, w, w_star, alpha, 0.5, e)
    # (61) with the exact E||X||^2/(2 alpha) = (alpha/(2 tau^2)) E[n^2] w^2 of (62)
    rhs_61 = -alpha / 2 * G + alpha**2 * L * var + alpha / (2 * tau**2) * (G + var) * w**2
    assert (round(drop, 12), round(rhs_61, 12)) == (0.0096, 0.0086)
    assert drop > rhs_61
    # the derived bound is consistent: it needs alpha < 1/L and is infinite (not applicable) here
    assert not A.theorem1_bound_derived(1.0, L, 0.1, tau, 0.6, 10, alpha=alpha).applicable


def _all_paths(w0, w_star, L, alpha, tau, sigma, K):
    """Exact E over the 2^K paths of Rademacher noise +-sigma: (1/K) sum_{k<K} E g_k^2, W_max, S_K, r_bar."""
    dev = AsymmetricLinearDevice(tau)
    W, prob = np.array([w0]), np.array([1.0])
    grad_sq, sat, r_k, w_max = [], [], [], abs(w0)
    for k in range(K + 1):
        rk = (W / tau) ** 2
        sat.append(float(np.sum(prob * rk / (1 - rk))))
        r_k.append(float(np.sum(prob * rk)))
        w_max = max(w_max, float(np.abs(W).max()))
        if k == K:
            break
        g = L * (W - w_star)
        grad_sq.append(float(np.sum(prob * g**2)))
        W = dev.update(np.concatenate([W, W]), -alpha * (np.concatenate([g, g]) + np.repeat([sigma, -sigma], W.size)))
        prob = np.concatenate([prob, prob]) / 2
    return sum(grad_sq) / K, w_max, sum(sat) / K, sum(r_k[:K]) / K


def test_theorem1_bounds_hold_on_all_noise_paths_and_digital_5_does_not():
    """Scalar f = (w - 0.7)^2/2 started at W* = 0.7 (Delta = 0), tau = 1, +-0.2 noise, alpha = 0.1, K = 12.

    Negative control: digital SGD's (5) at the same alpha, which has no saturation term, is exceeded."""
    L, tau, w_star, sigma, alpha, K = 1.0, 1.0, 0.7, 0.2, 0.1, 12
    lhs, W_max, S_K, r_bar = _all_paths(w_star, w_star, L, alpha, tau, sigma, K)
    assert W_max < tau
    derived = A.theorem1_bound_derived(0.0, L, sigma, tau, W_max, K, alpha=alpha, mean_saturation=r_bar)
    stated = A.theorem1_bound_as_stated(0.0, L, sigma, tau, W_max, K, alpha=alpha, S_K=S_K)
    digital = A.digital_sgd_bound(0.0, L, sigma, K, alpha)
    assert derived.applicable and stated.applicable and digital.applicable
    assert lhs <= derived.value and lhs <= stated.value
    assert lhs > digital.value * 1.1, (lhs, digital.value)


def test_theorem1_derived_holds_with_a_nonzero_gap():
    L, tau, sigma, alpha, K = 1.0, 1.0, 0.3, 0.25, 10
    lhs, W_max, S_K, r_bar = _all_paths(0.6, 0.2, L, alpha, tau, sigma, K)
    f_gap = 0.5 * L * (0.6 - 0.2) ** 2
    derived = A.theorem1_bound_derived(f_gap, L, sigma, tau, W_max, K, alpha=alpha, mean_saturation=r_bar)
    assert derived.applicable and lhs <= derived.value
    assert lhs <= A.theorem1_bound_as_stated(f_gap, L, sigma, tau, W_max, K, alpha=alpha, S_K=S_K).value


def _analog_gd_scalar(w0, w_star, L, alpha, tau, K):
    dev = AsymmetricLinearDevice(tau)
    w, grads, w_max = w0, [], abs(w0)
    for _ in range(K):
        g = L * (w - w_star)
        grads.append(g * g)
        w = float(dev.update(w, -alpha * g))
        w_max = max(w_max, abs(w))
        if w_max > tau:  # left the box: A4 fails (and the run may diverge)
            return math.inf, math.inf
    return sum(grads) / K, w_max


def test_theorem9_53_fails_for_small_alpha_while_58_holds():
    """f = w^2/2 (L = 1, w* = 0), w_0 = 0.5, tau = 1, alpha = 0.01, K = 10: Analog GD iterated exactly."""
    L, tau, w0, K, alpha = 1.0, 1.0, 0.5, 10, 0.01
    lhs, W_max = _analog_gd_scalar(w0, 0.0, L, alpha, tau, K)
    f_gap = 0.5 * L * w0**2
    stated = A.theorem9_bound_as_stated(f_gap, L, tau, W_max, K, alpha)
    derived = A.theorem9_bound_derived(f_gap, L, tau, W_max, K, alpha)
    assert stated.applicable and derived.applicable and W_max == w0
    assert lhs > 6 * stated.value  # 0.2194 vs (53) = 0.0333: 6.6 times over
    assert lhs <= derived.value  # (58) = 3.33
    assert (round(lhs, 4), round(stated.value, 4), round(derived.value, 4)) == (0.2194, 0.0333, 3.3333)
    # already at K = 2: 0.2463 > (53) = 0.1667
    lhs2, _ = _analog_gd_scalar(w0, 0.0, L, alpha, tau, 2)
    assert lhs2 > A.theorem9_bound_as_stated(f_gap, L, tau, W_max, 2, alpha).value
    # at alpha = 1/L, (53) = (58) and holds
    lhs1, W_max1 = _analog_gd_scalar(w0, 0.0, L, 1.0, tau, K)
    b = A.theorem9_bound_as_stated(f_gap, L, tau, W_max1, K, 1.0)
    assert b.applicable and lhs1 <= b.value


@given(
    L=_floats(0.1, 10.0),
    alpha_L=_floats(0.01, 1.0),
    w0=_floats(-0.95, 0.95),
    w_star=_floats(-0.95, 0.95),
    K=st.integers(1, 60),
)
def test_theorem9_58_holds_on_exact_scalar_runs(L, alpha_L, w0, w_star, K):
    tau = 1.0
    lhs, W_max = _analog_gd_scalar(w0, w_star, L, alpha_L / L, tau, K)
    assume(W_max < tau)
    b = A.theorem9_bound_derived(0.5 * L * (w0 - w_star) ** 2, L, tau, W_max, K, alpha_L / L)
    assert b.applicable and lhs <= b.value * (1 + 1e-12) + 1e-300


# ---------------------------------------------------------------------------------------------
# Monte Carlo: the asymptotic constant on Theorem 2's instance
# ---------------------------------------------------------------------------------------------


def test_asymptotic_error_on_the_lower_bound_instance_is_sigma2_S_not_4_sigma2_S():
    """Theorem 2's instance (D = 1, f = L/2 (w - w*)^2, two-point noise (66)-(67)), L = tau = 1,
    w* = 0.25 = tau/4, sigma = 0.1 <= tau L/(4 sqrt 3). For alpha -> 0 the chain concentrates at the
    zero-drift point w_bar: L (w - w*) = -(w/tau) sigma/sqrt(1 - w^2/tau^2) (from Lemma 4, whose
    2 sigma sqrt(p(1-p)) = sigma sqrt(1 - w^2/tau^2)), so the error tends to sigma^2 r/(1 - r) with
    r = w_bar^2/tau^2: the derived asymptotic term, a quarter of (65)'s 4 sigma^2 S.

    The O(alpha) term (Theorem 2's Theta(alpha)) is removed by Richardson extrapolation,
    e(0) ~ 2 e(alpha/2) - e(alpha) with alpha = 0.01; its 95% interval combines the two independent
    runs' Student half-widths in quadrature (1500 chains each, so t ~ z). Each run discards the first
    half of K = 30/alpha steps (15/(alpha L) relaxation times) as burn-in. Negative controls: the
    paper's 4 sigma^2 S and a 10% larger 1.1 sigma^2 S must both fall outside the interval."""
    import scipy.optimize

    from verify.sim.dynamics import AnalogSGD
    from verify.sim.engine import simulate
    from verify.sim.noise import TwoPointNoise
    from verify.sim.problems import lower_bound_instance

    L, tau, w_star, sigma = 1.0, 1.0, 0.25, 0.1
    w_bar = scipy.optimize.brentq(
        lambda w: L * (w - w_star) + (w / tau) * sigma / math.sqrt(1 - (w / tau) ** 2), -0.99 * tau, 0.99 * tau
    )
    derived = A.theorem1_asymptotic_error_derived(sigma, tau, abs(w_bar)).value  # sigma^2 r/(1 - r)
    stated = A.theorem1_asymptotic_error_as_stated(
        sigma, tau, abs(w_bar), K=10**9, S_K=(w_bar / tau) ** 2 / (1 - (w_bar / tau) ** 2)
    ).value
    estimates = []
    for alpha, seed in ((0.01, 11), (0.005, 12)):
        K = int(30 / alpha)
        res = simulate(
            lower_bound_instance(L, w_star, 1),
            AnalogSGD(AsymmetricLinearDevice(tau), alpha),
            TwoPointNoise(sigma, tau),
            steps=K,
            chains=1500,
            seed=seed,
            w0=np.array([w_star]),
            windows={"late": (K // 2, K)},
            progress=False,
        )
        estimates.append(res.estimate("grad_sq", "late"))
    coarse, fine = estimates
    extrapolated = 2 * fine.mean - coarse.mean
    half = math.hypot(2 * fine.half_width, coarse.half_width)
    low, high = extrapolated - half, extrapolated + half
    assert low <= derived <= high, (low, derived, high)
    assert not (low <= stated <= high) and stated > high
    assert not (low <= 1.1 * derived <= high)
    assert stated == pytest.approx(4 * derived, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# issue 15: extreme inputs are refused by name (the contract is fuzzed in tests/test_public_api.py)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, name",
    [
        # were "value inf although every condition holds" from Bound, naming no input
        (lambda: A.theorem1_bound_as_stated(1e308, 1.0, 1.0, 2.0, 1.0, K=1, alpha=1e-10, S_K=0.0), "f_gap"),
        (lambda: A.theorem1_bound_derived(1.0, 1.0, 1e200, 2.0, 1.0, K=1, alpha=0.5), "sigma"),
        (lambda: A.digital_sgd_bound(1e308, 1.0, 1.0, 1, 1e-10), "f_gap"),
        (lambda: A.theorem9_bound_derived(1.0, 1.0, 1.0, 0.5, 1, 1e-308), "alpha"),
        # was an OverflowError of (W_max/tau)**2
        (lambda: A.theorem1_bound_derived(1.0, 1.0, 1.0, 1e-200, 1.0, K=1, alpha=0.5), "tau"),
        # was an OverflowError converting K to a float
        (lambda: A.theorem1_bound_as_stated(1.0, 1.0, 1.0, 2.0, 1.0, K=10**400), "K"),
        # the statement's step size underflows: no bound can be evaluated at alpha = 0
        (lambda: A.theorem1_bound_as_stated(1e-300, 1.0, 1e200, 2.0, 1.0, K=10), "sigma"),
        (lambda: A.expect_noise("eps**2"), "expr"),
        (lambda: A.expect_noise(sp.sin(S.eps)), "expr"),
        (lambda: A.telescope(None), "one_step"),
        (lambda: A.telescope(S.g), "one_step"),
    ],
)
def test_extreme_and_wrong_inputs_are_refused_by_name(call, name):
    with pytest.raises((ValueError, TypeError), match=rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])") as info:
        call()
    assert "although every condition holds" not in str(info.value)
