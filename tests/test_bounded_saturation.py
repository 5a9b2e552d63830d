"""Bounded saturation, arXiv v1 Theorems 5-8 (App. D.1): bounds/bounded_saturation.py.

Every check here is exact and deterministic: Analog GD / Analog SGD iterated with the ALD's update
(:meth:`bounds.devices.AsymmetricLinearDevice.update`) on strongly convex problems, with every
sample sequence enumerated where the theorem quantifies over samples. No sampling, so no
confidence intervals; each check has a negative control showing it can fail.

Tolerance for "iterate <= bound": 1e-12 relative (the iterates are a few hundred float64 updates
of O(1) numbers; the bounds are one or two float operations).
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bounds import bounded_saturation as B
from bounds.devices import AsymmetricLinearDevice
from bounds.formula import FORMULAS

#: the public functions refuse subnormal inputs (issue 15's numeric policy), so no draw is subnormal
_floats = functools.partial(st.floats, allow_subnormal=False)

TOL = 1e-12
MY_FORMULAS = sorted(n for n in FORMULAS if n.startswith("bounded_saturation."))


# ---------------------------------------------------------------------------------------------
# numeric twins
# ---------------------------------------------------------------------------------------------


def test_every_formula_of_the_module_is_covered():
    assert len(MY_FORMULAS) == 8, MY_FORMULAS


# ---------------------------------------------------------------------------------------------
# exact iterations
# ---------------------------------------------------------------------------------------------


def _scalar_gradient(w, a, L, mu):
    """f'(w) for f(w) = mu/2 (w - a)^2 + (L - mu) log cosh(w - a): f'' in [mu, L], minimiser a."""
    return mu * (w - a) + (L - mu) * np.tanh(w - a)


def _scalar_run(w0, minimisers, L, mu, alpha, tau):
    """Analog SGD (Analog GD when one minimiser) with sample sequence ``minimisers``; returns w_0..w_K."""
    dev = AsymmetricLinearDevice(tau)
    w, path = float(w0), [float(w0)]
    for a in minimisers:
        with np.errstate(over="ignore", invalid="ignore"):
            w = float(dev.update(w, -alpha * _scalar_gradient(w, a, L, mu)))
        path.append(w)
    return np.array(path)


def _between(x, a, b):
    return min(a, b) - TOL <= x <= max(a, b) + TOL


def test_theorem6_min_fails_at_k0_and_max_holds():
    """w_0 = 0.5, w* = 0.1, L = mu = 1, alpha = 1/4, tau = 1: |w_0| = 0.5 > min{0.5, 0.1} = 0.1."""
    path = _scalar_run(0.5, [0.1] * 50, 1.0, 1.0, 0.25, 1.0)
    stated = B.theorem6_bound_as_stated(0.5, 0.1, L=1.0, alpha=0.25)
    derived = B.theorem6_bound_derived(0.5, 0.1, L=1.0, alpha=0.25, tau=1.0)
    assert stated.applicable and derived.applicable
    assert np.abs(path).max() == 0.5 > stated.value == 0.1
    assert (np.abs(path[1:]) > stated.value).all()  # every k, not only k = 0
    assert round(path[1], 12) == 0.35
    assert np.abs(path).max() <= derived.value


@given(
    L=_floats(0.1, 10.0),
    mu_frac=_floats(0.01, 1.0),
    alpha_frac=_floats(0.01, 1.0),
    w0=_floats(-1.0, 1.0),
    w_star=_floats(-1.0, 1.0),
)
def test_theorem6_derived_monotone_and_bounded_on_exact_runs(L, mu_frac, alpha_frac, w0, w_star):
    tau, mu, alpha = 1.0, mu_frac * L, alpha_frac * 0.5 / L
    bound = B.theorem6_bound_derived(w0, w_star, L, alpha, tau)
    assert bound.applicable
    path = _scalar_run(w0, [w_star] * 200, L, mu, alpha, tau)
    for k in range(len(path) - 1):
        assert _between(path[k + 1], path[k], w_star), (k, path[k], path[k + 1])  # monotone toward w*
    assert np.abs(path).max() <= bound.value * (1 + TOL)
    stated = B.theorem6_bound_as_stated(w0, w_star, L, alpha)
    assert stated.value <= bound.value
    if abs(w_star) < abs(w0):
        assert np.abs(path).max() > stated.value  # the printed min fails (at k = 0 already)


def test_theorem6_negative_control_overshoot_at_alpha_1_over_L():
    """The monotonicity check rejects a run outside Thm 6's step rule: alpha = 1/L overshoots w*."""
    path = _scalar_run(-0.9, [0.9] * 3, 1.0, 1.0, 1.0, 1.0)
    assert not B.theorem6_bound_derived(-0.9, 0.9, 1.0, 1.0, 1.0).applicable
    assert not _between(path[1], path[0], 0.9)
    assert round(path[1], 12) == 2.52


def test_theorems_6_and_8_need_the_minimisers_in_the_box():
    """w* = 10 > tau = 1, w_0 = 0, L = mu = 1, alpha = 1/2: w = 0, 5, -5, 40, ..., leaving Thm 8's
    interval [0, 10] at k = 2 and Thm 6's max{|w_0|, |w*|} = 10 at k = 3; the derived versions are
    not applicable (sup |w*| > tau)."""
    path = _scalar_run(0.0, [10.0] * 3, 1.0, 1.0, 0.5, 1.0)
    assert path.tolist() == [0.0, 5.0, -5.0, 40.0]
    b8 = B.theorem8_bound_as_stated(0.0, [10.0], L=1.0, alpha=0.5)
    assert b8.applicable and (b8.terms["lower"], b8.terms["upper"]) == (0.0, 10.0)
    assert path[2] < b8.terms["lower"]
    b6 = B.theorem6_bound_derived(0.0, 10.0, L=1.0, alpha=0.5, tau=1.0)
    assert abs(path[3]) > b6.value == 10.0 and not b6.applicable
    assert not B.theorem8_bound_derived(0.0, [10.0], 1.0, 0.5, tau=1.0).applicable


def test_theorem5_fails_at_alpha_1_over_L():
    """Scalar, L = mu = 1, tau = 1, w_0 = -0.9, w* = 0.9, alpha = 1/L (Thm 9's rule): (28) gives 2.7, but
    w_1 = 2.52 leaves the box and w_2 = -3.1824; the derived bound is not applicable (2.7 > tau)."""
    path = _scalar_run(-0.9, [0.9] * 4, 1.0, 1.0, 1.0, 1.0)
    stated = B.theorem5_bound_as_stated(1.0, 1.0, [-0.9], [0.9])
    assert stated.applicable and round(stated.value, 12) == 2.7
    assert round(path[2], 10) == -3.1824 and abs(path[2]) > stated.value
    derived = B.theorem5_bound_derived(1.0, 1.0, [-0.9], [0.9], tau=1.0, alpha=1.0)
    assert not derived.applicable and [c.statement for c in derived.failed] == [
        "sqrt(L/mu)||W_0 - W*|| + ||W*||_inf <= tau"
    ]


def _rotation_hessian(angles, eigenvalues):
    D = len(eigenvalues)
    Q = np.eye(D)
    for (i, j), t in zip(itertools.combinations(range(D), 2), angles):
        R = np.eye(D)
        R[[i, i, j, j], [i, j, i, j]] = [math.cos(t), -math.sin(t), math.sin(t), math.cos(t)]
        Q = Q @ R
    return Q @ np.diag(eigenvalues) @ Q.T


def _analog_gd(H, W0, W_star, alpha, tau, K):
    dev = AsymmetricLinearDevice(tau)
    W, worst = np.array(W0, float), float(np.abs(W0).max())
    for _ in range(K):
        W = dev.update(W, -alpha * (H @ (W - W_star)))
        worst = max(worst, float(np.abs(W).max()))
    return worst


@given(
    data=st.data(),
    D=st.integers(1, 3),
    L=_floats(0.1, 10.0),
    kappa=_floats(1.0, 20.0),
    alpha_frac=_floats(0.05, 1.0),
    scale=_floats(0.05, 1.0),
)
def test_theorem5_derived_holds_on_exact_runs(data, D, L, kappa, alpha_frac, scale):
    mu = L / kappa
    ev = [L, mu] + data.draw(st.lists(_floats(mu, L), min_size=max(D - 2, 0), max_size=max(D - 2, 0)))
    H = _rotation_hessian(data.draw(st.lists(_floats(0, math.pi), min_size=3, max_size=3)), ev[:D] if D > 1 else [L])
    mu_eff = mu if D > 1 else L
    coords = st.lists(_floats(-1.0, 1.0), min_size=D, max_size=D)
    W_star = np.array(data.draw(coords)) * scale
    W0 = np.array(data.draw(coords)) * scale
    alpha = alpha_frac / L
    tau = data.draw(_floats(0.2, 3.0))
    derived = B.theorem5_bound_derived(L, mu_eff, W0, W_star, tau, alpha)
    stated = B.theorem5_bound_as_stated(L, mu_eff, W0, W_star)
    assert derived.value <= stated.value * (1 + TOL)
    assume(derived.applicable)
    assert _analog_gd(H, W0, W_star, alpha, tau, 150) <= derived.value * (1 + TOL)


def test_theorem5_check_negative_control():
    """The same iteration check rejects a deliberately small bound: ||W*||_inf alone (2-D, rotated H)."""
    H = _rotation_hessian([0.7, 0, 0], [1.0, 0.1])
    W0, W_star = np.array([0.5, -0.5]), np.array([0.1, 0.2])
    derived = B.theorem5_bound_derived(1.0, 0.1, W0, W_star, tau=5.0, alpha=1.0)
    worst = _analog_gd(H, W0, W_star, 1.0, 5.0, 150)
    assert derived.applicable and worst <= derived.value
    assert worst > np.abs(W_star).max() * 1.1


def _all_sample_paths(Hs, minimisers, W0, alpha, tau, K):
    """max over all m^K sample sequences and k <= K of ||W_k||_inf (Analog SGD with f(.; xi) quadratic)."""
    dev = AsymmetricLinearDevice(tau)
    W = np.array(W0, float)[None, :]
    worst = float(np.abs(W).max())
    for _ in range(K):
        nxt = [dev.update(W, -alpha * ((W - a) @ H.T)) for H, a in zip(Hs, minimisers)]
        W = np.concatenate(nxt)
        worst = max(worst, float(np.abs(W).max()))
    return worst


@settings(max_examples=25)
@given(data=st.data(), L=_floats(0.5, 2.0), kappa=_floats(1.0, 10.0), alpha_frac=_floats(0.05, 1.0))
def test_theorem7_holds_on_every_sample_sequence(data, L, kappa, alpha_frac):
    """2-D, two samples with their own rotated Hessians (eigenvalues L and L/kappa), alpha <= 1/(2L),
    W_0 and the W*_xi small enough that (39) stays inside the box; all 2^10 sequences."""
    mu = L / kappa
    Hs = [_rotation_hessian([data.draw(_floats(0, math.pi)), 0, 0], [L, mu]) for _ in range(2)]
    pts = st.lists(_floats(-0.2, 0.2), min_size=2, max_size=2)
    minimisers = np.array([data.draw(pts), data.draw(pts)])
    W0 = np.array(data.draw(pts))
    stated = B.theorem7_bound_as_stated(L, mu, W0, minimisers)
    tau = 1.0
    assume(stated.value <= tau)
    assert stated.applicable
    assert _all_sample_paths(Hs, minimisers, W0, alpha_frac * 0.5 / L, tau, 10) <= stated.value * (1 + TOL)


def test_theorem7_negative_control_single_sample_at_alpha_1_over_L():
    """The same all-sequences check rejects (39) on Theorem 5's counterexample (one sample, alpha = 1/L)."""
    stated = B.theorem7_bound_as_stated(1.0, 1.0, [-0.9], [[0.9]])
    assert stated.applicable
    assert _all_sample_paths([np.eye(1)], np.array([[0.9]]), [-0.9], 1.0, 1.0, 3) > stated.value


@given(
    L=_floats(0.1, 10.0),
    mu_frac=_floats(0.01, 1.0),
    alpha_frac=_floats(0.01, 1.0),
    w0=_floats(-1.0, 1.0),
    minimisers=st.lists(_floats(-1.0, 1.0), min_size=1, max_size=3),
    order=st.lists(st.integers(0, 2), min_size=1, max_size=60),
)
def test_theorem8_interval_holds_on_exact_runs(L, mu_frac, alpha_frac, w0, minimisers, order):
    tau, mu, alpha = 1.0, mu_frac * L, alpha_frac * 0.5 / L
    bound = B.theorem8_bound_derived(w0, minimisers, L, alpha, tau)
    assert bound.applicable
    sequence = [minimisers[i % len(minimisers)] for i in order]
    path = _scalar_run(w0, sequence, L, mu, alpha, tau)
    for k, a in enumerate(sequence):
        assert _between(path[k + 1], path[k], a)  # one Theorem 6 step toward w*_xi
    assert path.min() >= bound.terms["lower"] - TOL and path.max() <= bound.terms["upper"] + TOL
    assert np.abs(path).max() <= bound.value * (1 + TOL)


def _lower_bound_instance_paths(alpha, K=12, L=1.0, tau=1.0):
    """Theorem 2's instance, D = 1: f(w; xi) = L/2 (w - w* + xi/L)^2 (68), w* = tau/4, the two-point
    law (66)-(67) with sigma = tau L/(4 sqrt 3), from w_0 = w*; all 2^K noise paths. Returns the largest
    distance of any w_k outside the per-path hull of w_0 and the visited w*_xi, and max |w_k|."""
    w_star, sigma = tau / 4, tau * L / (4 * math.sqrt(3))
    dev = AsymmetricLinearDevice(tau)
    W = np.array([w_star])
    lo, hi, outside, w_abs = W.copy(), W.copy(), 0.0, abs(w_star)
    for _ in range(K):
        p = 0.5 * (1 - W / tau)
        xi = np.concatenate([sigma * np.sqrt((1 - p) / p), -sigma * np.sqrt(p / (1 - p))])
        W2 = np.concatenate([W, W])
        W = dev.update(W2, -alpha * (L * (W2 - w_star) + xi))
        target = w_star - xi / L
        lo, hi = np.minimum(np.concatenate([lo, lo]), target), np.maximum(np.concatenate([hi, hi]), target)
        outside = max(outside, float(np.maximum(lo - W, W - hi).max()))
        w_abs = max(w_abs, float(np.abs(W).max()))
    return outside, w_abs


def test_theorem8_on_the_lower_bound_instance_all_paths():
    """Thm 8 path by path, and with the support w*_xi in [w* - sqrt(3) sigma/L, w* + sqrt(3) sigma/L]
    (|xi| <= sqrt(3) sigma while |w| <= tau/2): |w_k| <= tau/2, Lemma 2's W_max. alpha = min{1/(2L),
    1/(mu + 6 sigma/tau)} = 1/2. Negative control: at alpha = 0.9 > 1/(2L) the per-path check fails."""
    L, tau = 1.0, 1.0
    sigma = tau * L / (4 * math.sqrt(3))
    alpha = min(0.5 / L, 1 / (L + 6 * sigma / tau))
    support = [tau / 4 - math.sqrt(3) * sigma / L, tau / 4 + math.sqrt(3) * sigma / L]
    bound = B.theorem8_bound_derived(tau / 4, support, L, alpha, tau)
    assert bound.applicable and bound.value == pytest.approx(tau / 2, rel=1e-15)
    outside, w_abs = _lower_bound_instance_paths(alpha)
    assert outside == 0.0 and w_abs <= bound.value
    outside_bad, _ = _lower_bound_instance_paths(0.9)
    assert outside_bad > 0.05


# ---------------------------------------------------------------------------------------------
# hypothesis: conditions recomputed from the raw parameters
# ---------------------------------------------------------------------------------------------

vec = st.lists(_floats(-5.0, 5.0), min_size=1, max_size=4)


def _check(bound, expected):
    assert bound.applicable == all(expected)
    if bound.applicable:
        assert math.isfinite(bound.value) and bound.value >= 0


def _away(x, y):
    return abs(x - y) > 1e-9 * max(abs(x), abs(y), 1e-300)


@given(
    L=_floats(0.01, 100.0),
    mu=_floats(0.01, 100.0),
    W0=vec,
    data=st.data(),
    tau=_floats(0.1, 10.0),
    alpha=_floats(1e-4, 10.0),
)
def test_theorem5_conditions(L, mu, W0, data, tau, alpha):
    W_star = data.draw(st.lists(_floats(-5.0, 5.0), min_size=len(W0), max_size=len(W0)))
    d, s = math.dist(W0, W_star), max(abs(x) for x in W_star)
    value = math.sqrt(L / mu) * d + s
    assume(_away(mu, L) and _away(alpha * L, 1.0) and _away(value, tau))
    stated = B.theorem5_bound_as_stated(L, mu, W0, W_star)
    _check(stated, [mu <= L])
    assert stated.value == pytest.approx(L / mu * d + s, rel=1e-12, abs=1e-300)
    derived = B.theorem5_bound_derived(L, mu, W0, W_star, tau, alpha)
    _check(derived, [mu <= L, alpha <= 1 / L, value <= tau])
    assert derived.value == pytest.approx(value, rel=1e-12, abs=1e-300)


@given(
    w0=_floats(-5.0, 5.0),
    w_star=_floats(-5.0, 5.0),
    L=_floats(0.01, 100.0),
    alpha=_floats(1e-4, 10.0),
    tau=_floats(0.1, 10.0),
)
def test_theorem6_conditions(w0, w_star, L, alpha, tau):
    assume(_away(2 * alpha * L, 1.0))
    stated = B.theorem6_bound_as_stated(w0, w_star, L, alpha)
    _check(stated, [alpha <= 1 / (2 * L)])
    assert stated.value == min(abs(w0), abs(w_star))
    derived = B.theorem6_bound_derived(w0, w_star, L, alpha, tau)
    _check(derived, [alpha <= 1 / (2 * L), abs(w0) <= tau, abs(w_star) <= tau])
    assert derived.value == max(abs(w0), abs(w_star))


@given(L=_floats(0.01, 100.0), mu=_floats(0.01, 100.0), W0=vec, data=st.data())
def test_theorem7_conditions(L, mu, W0, data):
    m = data.draw(st.integers(1, 3))
    samples = [data.draw(st.lists(_floats(-5.0, 5.0), min_size=len(W0), max_size=len(W0))) for _ in range(m)]
    assume(_away(mu, L))
    b = B.theorem7_bound_as_stated(L, mu, W0, samples)
    _check(b, [mu <= L])
    expected = L / mu * max(math.dist(W0, x) for x in samples) + max(abs(v) for x in samples for v in x)
    assert b.value == pytest.approx(expected, rel=1e-12, abs=1e-300)


@given(
    w0=_floats(-5.0, 5.0),
    samples=st.lists(_floats(-5.0, 5.0), min_size=1, max_size=4),
    L=_floats(0.01, 100.0),
    alpha=_floats(1e-4, 10.0),
    tau=_floats(0.1, 10.0),
)
def test_theorem8_conditions(w0, samples, L, alpha, tau):
    assume(_away(2 * alpha * L, 1.0))
    lo, hi = min(w0, min(samples)), max(w0, max(samples))
    stated = B.theorem8_bound_as_stated(w0, samples, L, alpha)
    _check(stated, [alpha <= 1 / (2 * L)])
    derived = B.theorem8_bound_derived(w0, samples, L, alpha, tau)
    _check(derived, [alpha <= 1 / (2 * L), abs(w0) <= tau, max(abs(x) for x in samples) <= tau])
    for b in (stated, derived):
        assert (b.terms["lower"], b.terms["upper"], b.value) == (lo, hi, max(abs(lo), abs(hi)))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: B.theorem5_bound_as_stated(1.0, 0.0, [0.0], [0.0]), "mu"),
        (lambda: B.theorem5_bound_as_stated(1.0, 1.0, [0.0, 1.0], [0.0]), "W_star"),
        (lambda: B.theorem5_bound_as_stated(1.0, 1.0, [], []), "W0"),
        (lambda: B.theorem5_bound_derived(1.0, 1.0, [0.0], [0.0], tau=-1.0, alpha=0.1), "tau"),
        (lambda: B.theorem6_bound_as_stated(float("nan"), 0.0, 1.0, 0.1), "w0"),
        (lambda: B.theorem6_bound_derived(0.0, 0.0, 1.0, 0.0, 1.0), "alpha"),
        (lambda: B.theorem7_bound_as_stated(1.0, 1.0, [0.0, 0.0], [[0.0]]), "W_star_samples"),
        (lambda: B.theorem8_bound_as_stated(0.0, [], 1.0, 0.1), "w_star_samples"),
        (lambda: B.theorem8_bound_derived(0.0, [0.1], -1.0, 0.1, 1.0), "L"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------------------------------------
# issue 15: extreme inputs are refused by name (the contract is fuzzed in tests/test_public_api.py)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, name",
    [
        # ||W0 - W*|| leaves float64 (it was a silent inf, then "value inf although every condition holds")
        (lambda: B.theorem5_bound_as_stated(1.0, 1.0, [1e308, 0.0], [-1e308, 0.0]), "W0"),
        (lambda: B.theorem5_bound_as_stated(1e300, 1e-10, [1.0], [-1.0]), "L"),
        (lambda: B.theorem7_bound_as_stated(1.0, 1.0, [1e308], [[-1e308]]), "W_star_samples"),
        # a shape that does not match W0's names W0 too
        (lambda: B.theorem5_bound_derived(1.0, 1.0, [1.0, 2.0], [0.0], tau=1.0, alpha=0.1), "W0"),
        (lambda: B.theorem7_bound_as_stated(1.0, 1.0, [1.0, 2.0], [[0.1], [0.2]]), "W0"),
        (lambda: B.theorem8_bound_as_stated(0.0, 0.5, 1.0, 0.1), "w_star_samples"),
    ],
)
def test_extreme_inputs_are_refused_by_name(call, name):
    with pytest.raises(ValueError, match=rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])"):
        call()
