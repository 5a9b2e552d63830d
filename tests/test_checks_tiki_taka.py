"""Helper logic of verify/claims/checks/tiki_taka.py (claims C22-C28): intervals over steps, the log-log
slope and fit, fitted cases, the linearised time scales, exact Rademacher enumeration, the Lemma 8 instance;
and each check's control at a small fixed-level profile (properties, not pinned verdicts).

The claims also run in tests/test_claims.py (registry-wide); these tests pin the pieces the
verdicts rest on, each against an independent computation. Tolerances are written where used.
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.stats

import bounds.tiki_taka as T
from bounds.devices import AsymmetricLinearDevice
from verify.claims.checks import tiki_taka as C
from verify.claims.results import fitted_case
from verify.sim.dynamics import TikiTaka
from verify.sim.engine import simulate
from verify.sim.noise import RademacherNoise
from verify.sim.problems import QuadraticProblem
from verify.sim.stats import Estimate, loglog_fit, loglog_slope


# ---------------------------------------------------------------------------------------------
# sup_over_steps: simultaneous intervals
# ---------------------------------------------------------------------------------------------
def _fake(mean, variance, chains=50):
    return SimpleNamespace(
        chains=chains, mean={"x": np.asarray(mean, float)}, variance={"x": np.asarray(variance, float)}
    )


def test_sup_over_steps_takes_the_max_of_bonferroni_t_intervals():
    mean, var, R = [0.0, 1.0, 3.0, 2.5], [0.0, 1.0, 4.0, 9.0], 50
    est, k = C.sup_over_steps(_fake(mean, var, R), "x", 0.95, families=2)
    t = scipy.stats.t.ppf(1 - 0.05 / (2 * 4 * 2), df=R - 1)  # two-sided, 4 steps x 2 families
    half = t * np.sqrt(np.array(var) / R)
    assert k == 2 and est.mean == 3.0
    assert est.low == pytest.approx(np.max(np.array(mean) - half), rel=1e-14)
    assert est.high == pytest.approx(np.max(np.array(mean) + half), rel=1e-14)  # step 3's wide interval wins
    late, k_late = C.sup_over_steps(_fake(mean, var, R), "x", 0.95, start=3)
    assert k_late == 3 and late.mean == 2.5


def test_sup_over_steps_covers_the_true_maximum_at_its_level():
    # 400 replications of 20 steps x 30 chains of N(mu_k, 1): the simultaneous interval must cover
    # max mu_k at least ~90% of the time (nominal 90%; Bonferroni is conservative)
    rng = np.random.default_rng(5)
    mu = np.linspace(0.0, 1.0, 20)
    hits = 0
    for _ in range(400):
        x = mu[:, None] + rng.standard_normal((20, 30))
        est, _ = C.sup_over_steps(_fake(x.mean(axis=1), x.var(axis=1, ddof=1), 30), "x", 0.90)
        hits += est.low <= mu.max() <= est.high
    assert hits >= 0.9 * 400 - 3 * math.sqrt(400 * 0.09)  # 3 binomial standard deviations of slack


def test_sup_over_steps_rejects_bad_input():
    with pytest.raises(ValueError, match="^chains"):
        C.sup_over_steps(_fake([1.0], [0.0], chains=1), "x", 0.95)
    with pytest.raises(ValueError, match="^start"):
        C.sup_over_steps(_fake([1.0, 2.0], [0.0, 0.0]), "x", 0.95, start=2)


# ---------------------------------------------------------------------------------------------
# loglog_slope
# ---------------------------------------------------------------------------------------------
def _est(mean, rel_sem=0.01):
    return Estimate(mean, mean * 0.9, mean * 1.1, 100, 0.95, sem=rel_sem * mean)


def test_loglog_slope_recovers_a_power_law_and_is_scale_free():
    ks = [250, 1000, 4000, 16000]
    for exponent in (-1.0, -0.5, -0.25, 0.0):
        est = loglog_slope(ks, [_est(3.0 * k**exponent) for k in ks], 0.95)
        assert est.mean == pytest.approx(exponent, abs=1e-12)
        # metamorphic: multiplying every mean (and sem) by 7 leaves the slope and its error unchanged
        scaled = loglog_slope(ks, [_est(21.0 * k**exponent) for k in ks], 0.95)
        assert scaled.mean == pytest.approx(est.mean, abs=1e-12) and scaled.sem == pytest.approx(est.sem, rel=1e-12)


def test_loglog_slope_error_through_two_points_is_the_delta_method():
    e1, e2 = Estimate(2.0, 0, 0, 10, 0.95, sem=0.02), Estimate(1.0, 0, 0, 10, 0.95, sem=0.03)
    est = loglog_slope([100, 400], [e1, e2], 0.95)
    assert est.mean == pytest.approx(math.log(0.5) / math.log(4.0), rel=1e-12)
    assert est.sem == pytest.approx(math.hypot(0.02 / 2.0, 0.03 / 1.0) / math.log(4.0), rel=1e-12)
    assert est.high - est.mean == pytest.approx(scipy.stats.norm.ppf(0.975) * est.sem, rel=1e-12)


def test_loglog_fit_reports_lack_of_fit_and_a_curved_fit_takes_over():
    ks = [250, 1000, 4000, 16000]
    # log y = -0.2 log K - 0.03 (log K)^2: curved in log-log; 0.1% standard errors
    ests = [_est(math.exp(-0.2 * math.log(k) - 0.03 * math.log(k) ** 2), rel_sem=1e-3) for k in ks]
    line, quad = loglog_fit(ks, ests, 0.99), loglog_fit(ks, ests, 0.99, degree=2)
    assert not line.fits() and quad.fits()
    case = fitted_case("x", line, "slope", -0.5, "upper", curved=quad)
    assert case.info["fit"]["decided_by"] == "curved" and case.verdict_override is None
    # the local slope -0.2 - 0.06 log K runs from -0.53 to -0.78 over the range: below -0.5 only in part
    assert case.estimate.low < -0.7 and -0.6 < case.estimate.high < -0.5
    alone = fitted_case("x", line, "slope", -0.5, "upper")
    assert alone.verdict == "inconclusive" and alone.info["fit"]["decided_by"] is None


def test_loglog_slope_rejects_bad_input():
    with pytest.raises(ValueError, match="^ks and estimates"):
        loglog_slope([100], [_est(1.0)], 0.95)
    with pytest.raises(ValueError, match="^estimates must"):
        loglog_slope([100, 200], [_est(1.0), Estimate(-1.0, 0, 0, 1, 0.95, sem=0.1)], 0.95)
    with pytest.raises(ValueError, match="^ks must"):
        loglog_slope([100, 100], [_est(1.0), _est(2.0)], 0.95)


# ---------------------------------------------------------------------------------------------
# time_scales: the linearised regime diagnostics of C23
# ---------------------------------------------------------------------------------------------
def test_time_scales_scaling_laws():
    base = C.time_scales(L=0.5, tau=2.0, alpha=0.01, beta=0.02, mean_abs=0.3, second_moment=0.1)
    more_beta = C.time_scales(L=0.5, tau=2.0, alpha=0.01, beta=0.08, mean_abs=0.3, second_moment=0.1)
    more_alpha = C.time_scales(L=0.5, tau=2.0, alpha=0.04, beta=0.02, mean_abs=0.3, second_moment=0.1)
    assert more_beta.bias == pytest.approx(2.0 * base.bias, rel=1e-12)  # b ~ sqrt(beta)
    assert more_beta.t_p == pytest.approx(base.t_p / 4, rel=1e-12) and more_beta.t_w == base.t_w
    assert more_alpha.t_w == pytest.approx(base.t_w / 4, rel=1e-12) and more_alpha.bias == base.bias
    # Rademacher noise: C = tau/E|eps| is Lemma 5's tau sqrt(D)/sigma
    D, sigma, tau, L, alpha = 4, 2.0, 1.5, 0.3, 0.01
    s = sigma / math.sqrt(D)
    ts = C.time_scales(L, tau, alpha, 0.1, mean_abs=s, second_moment=s**2)
    assert ts.t_w == pytest.approx(1.0 / (alpha * (tau * math.sqrt(D) / sigma) * L), rel=1e-12)


def test_time_scales_stationary_p_matches_the_engine_at_a_critical_point():
    # W_0 = W* = 0 and alpha tiny: W stays at the critical point; E[P^2] after many relaxation times
    # of P should match beta tau E eps^2/(2 E|eps|) up to O(beta s/tau) = 2% and Monte Carlo error
    tau, s, beta = 1.0, 0.5, 0.04
    scales = C.time_scales(L=1.0, tau=tau, alpha=1e-9, beta=beta, mean_abs=s, second_moment=s**2)
    K = int(10 * scales.t_p)
    problem = QuadraticProblem(hessian=np.eye(1), w_star=np.zeros(1), w0=np.zeros(1))
    result = simulate(
        problem,
        TikiTaka(AsymmetricLinearDevice(tau=tau), alpha=1e-9, beta=beta),
        RademacherNoise(s),
        steps=K,
        chains=400,
        seed=3,
        windows={"tail": (K // 2, K + 1)},
    )
    measured = result.estimate("p_inf_sq", "tail").mean  # D = 1: ||P||_inf^2 = P^2
    assert measured == pytest.approx(scales.p_abs**2 * math.pi / 2, rel=0.06)


# ---------------------------------------------------------------------------------------------
# exact Rademacher enumeration against the exact side
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("D, p, beta, sigma", [(1, 0.5, 0.1, 1.0), (3, 0.2, 0.05, 2.0), (6, 0.9, 0.01, 0.5)])
def test_enumeration_matches_the_exact_infinity_norm_formula(D, p, beta, sigma):
    outcomes = C.rademacher_one_step(np.full(D, p), np.zeros(D), beta, 1.0, sigma / math.sqrt(D))
    assert outcomes.shape == (2**D, D)
    enumerated = float(np.mean(np.max(outcomes**2, axis=1)))
    # sums of at most 64 terms of size <= 1: absolute error ~1e-15
    assert enumerated == pytest.approx(T.rademacher_next_p_inf_sq(p, beta, 1.0, D, sigma), rel=1e-12, abs=1e-14)


def test_patterns_are_all_sign_vectors_once():
    patterns = C.rademacher_patterns(3)
    assert {tuple(row) for row in patterns} == set(itertools.product((-1.0, 1.0), repeat=3))


def test_noise_setting_constants():
    assert C.NoiseSetting("rademacher", 4, 2.0).c == pytest.approx(0.5, rel=1e-15)
    assert C.NoiseSetting("gaussian", 8, 2.0).c == pytest.approx(math.sqrt(2 / (math.pi * 8)), rel=1e-14)
    with pytest.raises(ValueError, match="^kind must"):
        C.NoiseSetting("cauchy", 1, 1.0)


# ---------------------------------------------------------------------------------------------
# random states and the Lemma 8 instance
# ---------------------------------------------------------------------------------------------
def test_random_states_satisfy_the_lemmas_assumptions():
    for s in C.random_lemma_states(np.random.default_rng(0), 200):
        assert np.max(np.abs(s.W)) < s.tau  # A4: ||W_k||_inf <= W_max < tau
        assert np.max(np.abs(s.W_star)) <= s.tau and np.max(np.abs(s.P)) <= s.tau
        assert np.linalg.eigvalsh(s.H)[-1] == pytest.approx(s.L, rel=1e-10)  # A1 with constant L
        assert np.linalg.eigvalsh(s.H)[0] >= -1e-12 * s.L
        assert 0 < s.alpha <= s.sigma / (6 * s.L * s.tau * math.sqrt(s.D)) * (1 + 1e-12)


def test_lemma8_instance_attains_the_exact_sides_minimal_slack():
    cx = C.C28_COUNTEREXAMPLE
    for D, sigma in ((1, 2.0), (4, 4.0)):
        state = C._lemma8_instance(D, cx["L"], cx["tau"], sigma, cx["alpha"], cx["w"], cx["p"])
        args, f_next = C._lemma8_args(state)
        rhs = T.lemma8_step(*args, cx["alpha"], cx["L"], cx["tau"], D, sigma).value
        slack = T.lemma8_min_slack(cx["p"], cx["w"], cx["alpha"], cx["tau"], D, sigma)
        assert rhs - f_next == pytest.approx(slack, rel=1e-9)  # terms ~1e-2, float64 rounding
        assert slack < 0


IDS = ("C22", "C23", "C24a", "C24b", "C25", "C26", "C27", "C28")


def test_claims_are_registered_with_their_relations_models_and_tolerances():
    from verify.claims.registry import CLAIMS

    assert {cid: CLAIMS[cid].relation for cid in IDS} == dict.fromkeys(IDS, "upper")
    assert "C24" not in CLAIMS  # split into C24a (zero floor) and C24b (rate)
    assert all(CLAIMS[cid].model for cid in IDS)
    assert CLAIMS["C25"].tolerance.value == pytest.approx(1 / 33) and CLAIMS["C25"].tolerance.scale == "threshold"
    assert CLAIMS["C24a"].tolerance.scale == "threshold"
    assert all(CLAIMS[cid].intended is None for cid in IDS)  # C25 and C28 are substantive


@pytest.fixture(scope="module")
def results():
    from verify.claims.registry import CLAIMS, Profile, claim_seed, run_claim

    profile = Profile("test", chains=1000, step_scale=1.0, fixed_level=1 - 0.05 / 60)
    return {cid: run_claim(CLAIMS[cid], profile, claim_seed(cid)) for cid in IDS}


@pytest.mark.parametrize("cid", IDS)
def test_each_control_comes_out_as_it_must(results, cid):
    r = results[cid]
    assert r.control_as_expected, (cid, r.verdict, r.negative_control)
    if r.verdict == "refuted":
        assert r.negative_control["role"] == "corrected statement" and r.kind == "refuted"
    else:
        assert r.negative_control["role"] == "nearest wrong statement" and r.negative_control["margin"]


def test_fitted_claims_report_their_fit(results):
    for cid in ("C23", "C24a", "C24b"):
        fit = results[cid].details["fit"]
        assert fit["line"]["dof"] >= 1 and "p_value" in fit["line"]
    # the rate claims have four K: a quadratic is fitted and takes over when the line fails
    assert results["C23"].details["fit"]["curved"]["model"] == "quadratic"


def test_rate_claims_are_withheld_outside_the_linearised_regime(results):
    for cid in ("C23", "C24b"):
        r = results[cid]
        if not r.details["regime"]["asymptotic"]:
            assert r.verdict == "inconclusive"
