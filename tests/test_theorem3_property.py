"""Theorem 3 (Tiki-Taka; arXiv v1 Theorem 4) and Lemma 7 as properties over admissible parameters.

Hypothesis draws parameters that satisfy the theorem's assumptions by construction:

* ``theorem3_constants``: L, tau, sigma log-uniform over several decades, D in 1..10^4, and an A5
  constant c in (0, 1/sqrt(D)] (A5 with A3 forces c <= 1/sqrt(D): any larger c belongs to no noise
  law), either from a concrete law (Rademacher: 1/sqrt(D); Gaussian: sqrt(2/(pi D))) or a fraction
  of the limit;
* ``lemma7_runs``: a small engine instance, D in 1..3, sigma set so that P_max^2/tau^2 lies in
  [0.05, 0.9] (the bound is below the trivial tau^2 and P relaxes within the run), a quadratic with
  W* and W_0 in the tau-box
  (so ||grad f||^2 <= 4 L^2 tau^2 D, which the proof of Lemma 7 uses), Rademacher or Gaussian noise
  with c from :func:`bounds.noise_laws.a5_constant`, and beta a fraction of the largest value (119)
  allows.

Properties:

1. the exact side reports applicability consistently: Lemma 7's conditions are exactly (119) and
   A5-consistency, recomputed here from the printed inequalities; P_max^2 is vacuous exactly when it
   reaches tau^2; Theorem 3's saturation condition holds exactly when sigma^2 exceeds
   1353 L^2 tau^2 D/c^2, and then the rate factor is 1/(1 - 33 P_max^2/tau^2);
2. the proof's descent condition (138) fails at every admissible draw (coefficient <= -127), so
   Theorem 3 as stated is never applicable through its proof;
3. a short engine run keeps the measured max_k E||P_k||_inf^2 (upper end of a simultaneous
   interval) below P_max^2 whenever Lemma 7's conditions hold.

The whole file runs in a few seconds under the ``ci`` profile (tests/conftest.py).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import bounds.tiki_taka as T
from bounds.devices import AsymmetricLinearDevice
from verify.claims.checks.tiki_taka import NoiseSetting, sup_over_steps
from verify.sim.dynamics import TikiTaka
from verify.sim.engine import simulate
from verify.sim.problems import QuadraticProblem


# ---------------------------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------------------------
def _log_uniform(low_exp: float, high_exp: float):
    return st.floats(low_exp, high_exp).map(lambda e: 10.0**e)


@st.composite
def theorem3_constants(draw):
    """(L, tau, D, sigma, c) satisfying A1-A5's numeric side: all positive, c <= 1/sqrt(D)."""
    L, tau, sigma = draw(_log_uniform(-4, 2)), draw(_log_uniform(-2, 2)), draw(_log_uniform(-3, 6))
    D = draw(st.one_of(st.integers(1, 16), st.integers(1, 10**4)))
    kind = draw(st.sampled_from(["rademacher", "gaussian", "fraction"]))
    if kind == "fraction":
        c = draw(st.floats(1e-4, 1.0)) / math.sqrt(D)
    else:
        c = NoiseSetting(kind, D, 1.0).c  # c does not depend on sigma (A5 scaling)
    return L, tau, D, sigma, c


@st.composite
def lemma7_runs(draw):
    """A small Tiki-Taka instance meeting Lemma 7's hypotheses, with the run length it needs."""
    D = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["rademacher", "gaussian"]))
    L, tau = draw(_log_uniform(-2, 0)), draw(_log_uniform(-0.3, 0.3))
    # sigma through the target P_max^2/tau^2 in [0.05, 0.9]: a bound below the trivial tau^2
    # (non-vacuous), and P's relaxation time (>= 123/(c^2 D target) steps at the (119) limit) short
    target = draw(_log_uniform(math.log10(0.05), math.log10(0.9)))
    c = NoiseSetting(kind, D, 1.0).c  # c does not depend on sigma (A5 scaling)
    sigma = math.sqrt(41 * L**2 * tau**2 * D / (c**2 * target))
    noise = NoiseSetting(kind, D, sigma)
    beta = draw(st.floats(0.5, 1.0)) * min(cond.rhs for cond in T.lemma7_conditions(1.0, L, tau, D, sigma, c))
    w_star = np.array(draw(st.lists(st.floats(-0.9, 0.9), min_size=D, max_size=D))) * tau
    w0 = np.array(draw(st.lists(st.floats(-0.9, 0.9), min_size=D, max_size=D))) * tau
    seed = draw(st.integers(0, 2**32 - 1))
    return L, tau, D, sigma, noise, beta, w_star, w0, seed


# ---------------------------------------------------------------------------------------------
# 1-2: applicability, recomputed from the printed inequalities
# ---------------------------------------------------------------------------------------------
@given(theorem3_constants(), st.floats(1e-3, 2.0))
def test_lemma7_applicability_and_vacuity_are_reported_consistently(constants, beta_scale):
    L, tau, D, sigma, c = constants
    limits = (
        c * tau / (2 * (4 * L**2 * tau**2 + sigma**2)),
        2 / (3 * c * sigma),
        L**2 * tau**3 * D / (3 * c * sigma**3),
    )  # (111) and (119), as printed
    beta = beta_scale * min(limits)
    bound = T.lemma7_p_max(beta, L, tau, D, sigma, c)
    p_max_sq = 41 * L**2 * tau**4 * D / (c**2 * sigma**2)  # (121), as printed
    assert math.isclose(bound.value, p_max_sq, rel_tol=1e-12)
    assert bound.applicable == (beta_scale <= 1.0)  # c <= 1/sqrt(D) by construction
    if bound.applicable:
        assert bound.vacuous == (p_max_sq >= tau**2)


@given(theorem3_constants(), st.integers(1, 10**8), _log_uniform(-6, 3))
def test_theorem3_conditions_saturation_threshold_and_descent(constants, K, f_gap):
    L, tau, D, sigma, c = constants
    stated = T.theorem3_rate_as_stated(K, f_gap, L, tau, D, sigma, c)
    failed = {cond.statement for cond in stated.failed}
    ratio = 33 * 41 * L**2 * tau**2 * D / (c**2 * sigma**2)  # 33 P_max^2/tau^2
    saturated = not ratio < 1
    if not math.isclose(ratio, 1.0, rel_tol=1e-9):  # away from the boundary
        assert ("33 P_max^2/tau^2 < 1" in failed) == saturated
        assert (sigma**2 > T.sigma_sq_threshold(L, tau, D, c)) == (not saturated)
    # the proof's descent coefficient (138) is <= -127 for every admissible draw: never applicable
    assert T.descent_coefficient(L, tau, D, sigma, c) <= -127 * (1 - 1e-12)
    assert "1 - 128/(c^2 D) - 32 P_max^2/tau^2 > 0" in failed and not stated.applicable
    factor = T.rate_factor(L, tau, D, sigma, c)
    if saturated:
        assert math.isinf(factor.value) and not factor.applicable
    else:
        assert math.isclose(factor.value, 1 / (1 - ratio), rel_tol=1e-9)
        assert math.isclose(
            stated.value, 8 * math.sqrt(2) * math.sqrt(f_gap * sigma**2 * L / K) / (1 - ratio), rel_tol=1e-9
        )


# ---------------------------------------------------------------------------------------------
# 3: the engine against Lemma 7's P_max^2
# ---------------------------------------------------------------------------------------------
@settings(max_examples=25)
@given(lemma7_runs())
def test_measured_p_inf_sq_stays_below_p_max_whenever_lemma7_applies(run):
    L, tau, D, sigma, noise, beta, w_star, w0, seed = run
    bound = T.lemma7_p_max(beta, L, tau, D, sigma, noise.c)
    assert bound.applicable and not bound.vacuous, bound.status
    # long enough for P to rise to its stationary size (3 relaxation times tau/(beta E|eps|)), capped
    t_p = tau / (beta * noise.law.mean_abs())
    K = int(min(max(3 * t_p, 50), 1500))
    problem = QuadraticProblem(hessian=L * np.eye(D), w_star=w_star, w0=w0)
    result = simulate(
        problem,
        TikiTaka(AsymmetricLinearDevice(tau=tau), alpha=beta / (8 * L), beta=beta),
        noise.engine_noise,
        steps=K,
        chains=64,
        seed=seed,
    )
    est, _ = sup_over_steps(result, "p_inf_sq", level=0.99)
    assert est.high <= bound.value, (est, bound)
