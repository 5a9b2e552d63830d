"""Helper logic of the Theorem 1 / Analog GD checks (verify/claims/checks/analog_sgd.py) and the figure checks
(verify/claims/checks/figures.py): tracked runs, ratio intervals, case combination, the problems' constructions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bounds import saturation as SAT
from bounds.devices import AsymmetricLinearDevice
from bounds.drift import analog_sgd_drift
from bounds.noise_laws import GaussianLaw
from verify.claims import Profile
from verify.claims.checks import analog_sgd as C
from verify.claims.checks import figures as F
from verify.claims.registry import CLAIMS, claim_seed, run_claim
from verify.claims.results import Case, case_level, combine, combined_result
from verify.sim.dynamics import AnalogGD, AnalogSGD
from verify.sim.engine import simulate
from verify.sim.noise import GaussianNoise, NoNoise
from verify.sim.problems import scalar_quadratic
from verify.sim.seeds import child_seed
from verify.sim.stats import Estimate, mean_ci, ratio_of_independent_means, ratio_of_means

TINY = Profile("tiny", chains=8, step_scale=1.0, fixed_level=0.95)
#: the quick profile's chains at a fixed per-interval level (Bonferroni over 57 claims)
QUICK = Profile("quick", chains=1000, step_scale=1.0, fixed_level=1 - 0.05 / 57)


# ---------------------------------------------------------------------------------------------
# tracked runs
# ---------------------------------------------------------------------------------------------


def test_segmented_run_equals_one_segment_on_a_deterministic_run():
    """Cutting a noiseless run into segments changes nothing: same window means, same extremes."""
    p = C.small_least_squares()
    dyn = AnalogGD(AsymmetricLinearDevice(1.0), 0.3)
    W0 = np.array([[0.9, -0.9, 0.5, 0.0], [-0.2, 0.4, 0.0, 0.7]])
    windows = {"all": (0, 37), "tail": (20, 38), "S_K": (0, 38)}
    seed = np.random.SeedSequence(1)
    one = C.run_tracked(p, dyn, NoNoise(), steps=37, chains=2, seed=seed, windows=windows, w0=W0)
    cut = C.run_tracked(
        p, dyn, NoNoise(), steps=37, chains=2, seed=seed, windows=windows, w0=W0, memory=8 * 2 * 4 * 6
    )  # 5 steps per segment
    assert one.segments == 1 and cut.segments == 8
    for name in windows:
        for stat in one.window_means[name]:
            np.testing.assert_allclose(cut.window_means[name][stat], one.window_means[name][stat], rtol=1e-13)
    np.testing.assert_array_equal(cut.w_inf_max, one.w_inf_max)
    np.testing.assert_array_equal(cut.w_inf_step_max, one.w_inf_step_max)
    np.testing.assert_allclose(cut.w_inf_sq_mean, one.w_inf_sq_mean, rtol=1e-13)


def test_tracked_extremes_match_the_trajectory():
    p = scalar_quadratic(1.0, 0.5, 0.0)
    dyn, noise = AnalogSGD(AsymmetricLinearDevice(1.0), 0.1), GaussianNoise(0.3)
    seed = np.random.SeedSequence(7, spawn_key=(3,))
    run = C.run_tracked(p, dyn, noise, steps=50, chains=16, seed=seed, windows={"all": (0, 50)})
    ref = simulate(p, dyn, noise, steps=50, chains=16, seed=child_seed(seed, 0), trajectories=True)
    W = ref.trajectories["W"][:, :, 0]
    np.testing.assert_array_equal(run.w_inf_max, np.abs(W).max(axis=0))
    np.testing.assert_array_equal(run.w_low, W.min(axis=0))
    np.testing.assert_array_equal(run.w_high, W.max(axis=0))
    assert run.W_max == np.abs(W).max()
    np.testing.assert_allclose(run.w_inf_sq_mean, np.square(W).mean(axis=1), rtol=1e-12)
    np.testing.assert_array_equal(run.per_chain("grad_sq"), ref.window_means["all"]["grad_sq"])


def test_S_K_has_K_plus_one_terms_over_K():
    """A run that stays at w* = 0.5 (no noise) has S_K = (K+1)/K * r/(1 - r)."""
    p = scalar_quadratic(1.0, 0.5)
    run = C.run_tracked(
        p,
        AnalogGD(AsymmetricLinearDevice(1.0), 0.1),
        NoNoise(),
        steps=4,
        chains=1,
        seed=np.random.SeedSequence(0),
        windows={"S_K": (0, 5)},
    )
    assert run.S_K()[0] == pytest.approx(SAT.saturation_bound_attained(0.5, 1.0, 4).value, rel=1e-14)


def test_child_seed_does_not_consume_the_parent():
    seed = np.random.SeedSequence(5, spawn_key=(1,))
    a, b = child_seed(seed, 2, 3), child_seed(seed, 2, 3)
    assert a.spawn_key == b.spawn_key == (1, 2, 3) and a.generate_state(2).tolist() == b.generate_state(2).tolist()
    assert seed.n_children_spawned == 0


def test_deterministic_path_cuts_before_overflow():
    """Analog GD at alpha = 1/L from -0.9 toward 0.9 (tau = 1) diverges; the path stops before the overflow."""
    p = scalar_quadratic(1.0, 0.9, -0.9)
    path, diverged = C._deterministic_path(p, AnalogGD(AsymmetricLinearDevice(1.0), 1.0), p.w0, 50)
    assert diverged is not None and np.isfinite(path).all()
    assert path[1, 0, 0] == pytest.approx(2.52) and path[2, 0, 0] == pytest.approx(-3.1824)


def test_exceedance_reports_first_step_and_leaving_the_box():
    row = C._exceedance(np.array([0.5, 0.9, 1.5, 3.0]), 2.0, None)
    assert row["first_exceeding_step"] == 3 and row["first_exceeding_value"] == 3.0
    assert row["left_device_range_at_step"] == 2 and row["sup_w_inf"] == 3.0
    assert C._exceedance(np.array([0.5]), 2.0, 4)["sup_w_inf"] == math.inf


# ---------------------------------------------------------------------------------------------
# intervals and their combination
# ---------------------------------------------------------------------------------------------


def test_ratio_of_means_delta_method():
    rng = np.random.default_rng(0)
    a, b = rng.normal(2.0, 0.1, 400), rng.normal(4.0, 0.2, 400)
    e = ratio_of_means(a, b, level=0.95)
    R = a.mean() / b.mean()
    z = (a - R * b) / b.mean()
    assert e.mean == pytest.approx(R) and e.sem == pytest.approx(z.std(ddof=1) / 20)
    const = ratio_of_means(a, np.full_like(a, 4.0), level=0.9)
    ref = mean_ci(a / 4.0, level=0.9)
    assert const.low == pytest.approx(ref.low) and const.high == pytest.approx(ref.high)
    with pytest.raises(ValueError):
        ratio_of_means(a, -b, level=0.95)


def test_ratio_of_independent_means():
    a = Estimate(2.0, 1.9, 2.1, 100, 0.95, sem=0.05)
    b = Estimate(4.0, 3.9, 4.1, 100, 0.95, sem=0.1)
    r = ratio_of_independent_means(a, b, 0.95)
    assert r.mean == 0.5 and r.sem == pytest.approx(0.5 * math.hypot(0.025, 0.025))


def _est(mean, half):
    return Estimate(mean, mean - half, mean + half, 100, 0.95, sem=half / 2)


def test_combine_rules_and_deciding_case():
    ok = Case("ok", _est(0.5, 0.1), 1.0, "upper")
    tight = Case("tight", _est(0.85, 0.1), 1.0, "upper")
    unsure = Case("unsure", _est(1.0, 0.1), 1.0, "upper")
    bad = Case("bad", _est(1.5, 0.1), 1.0, "upper")
    worse = Case("worse", _est(3.0, 0.1), 1.0, "upper")
    assert combine([ok, tight]) == ("confirmed", tight)
    assert combine([ok, unsure, tight]) == ("inconclusive", unsure)
    assert combine([ok, bad, unsure, worse]) == ("refuted", worse)
    side = Case("side", _est(0.01, 0.005), 0.0, "lower", primary=False)
    assert combine([ok, side])[1] is ok


def test_combined_result_carries_the_combined_verdicts():
    cases = [Case("a", _est(0.5, 0.1), 1.0, "upper"), Case("b", _est(0.7, 0.1), 1.0, "upper")]
    controls = [Case("a", _est(0.5, 0.1), 0.55, "upper"), Case("b", _est(0.7, 0.1), 0.3, "upper")]
    res = combined_result("C0", "scaling", cases, controls, wrong_statement="halved", margin="x 1/2", details={"x": 1})
    assert res.verdict == "confirmed" and res.relation == "scaling" and res.empirical == 0.7
    assert res.negative_control["verdict"] == "refuted" and res.negative_control["deciding_case"] == "b"
    assert res.control_as_expected and res.negative_control["margin"] == "x 1/2"
    assert [c["case"] for c in res.details["cases"]] == ["a", "b"] and res.details["x"] == 1


def test_case_level_is_bonferroni():
    assert case_level(0.99, 4) == pytest.approx(0.9975)


# ---------------------------------------------------------------------------------------------
# constructions
# ---------------------------------------------------------------------------------------------


def test_rademacher_minimisers_give_the_noisy_gradients():
    """grad f(W; xi) = H (W - W*_xi) = grad f(W) + eps for every sign vector eps (A7 exactly)."""
    p = C._quadratic_2d(1.0, 0.5, 0.6, [0.3, -0.2], [-0.4, 0.5])
    assert p.smoothness == pytest.approx(1.0) and p.strong_convexity == pytest.approx(0.5)
    s, W = 0.05, np.array([0.1, 0.7])
    mins = C._rademacher_minimisers(p, s)
    eps = {tuple(np.round(p.hessian @ (W - m) - p.gradient(W[None, :])[0], 12)) for m in mins}
    assert eps == {(a, b) for a in (-s, s) for b in (-s, s)}


def test_drift_balance_point_zeroes_the_drift():
    p = scalar_quadratic(1.0, 0.5)
    w = C._drift_balance_point(p, 0.1)[0]
    assert 0.0 < w < 0.5
    d = analog_sgd_drift(GaussianLaw(0.1), w, alpha=1.0, tau=1.0, g=w - 0.5).value
    assert abs(d) < 1e-10


def test_small_least_squares_is_fixed():
    a, b = C.small_least_squares(), C.small_least_squares()
    np.testing.assert_array_equal(a.hessian, b.hessian)
    assert np.abs(a.w_star).max() == 0.5


def test_c10_run_at_W_max_attains_the_corrected_bound():
    run, problem, noise, alpha = C._exact_saturation_run(10, 4, np.random.SeedSequence(3))
    assert run.W_max == 0.5 and alpha <= 0.5 / problem.smoothness
    np.testing.assert_allclose(run.S_K(), 1.1 * SAT.saturation_bound(0.5, 1.0).value, rtol=1e-13)


# ---------------------------------------------------------------------------------------------
# figure helpers
# ---------------------------------------------------------------------------------------------


def test_relative_difference_sign_and_scale():
    a, b = np.array([2.0, 3.0, 4.0]), np.array([1.0, 1.0, 1.0])
    e = F._relative_difference(a, b, 0.95)
    assert e.mean == pytest.approx(2.0)


def test_burn_in_and_digital_floor_guess():
    assert F._burn_in(0.1, 0.2) == 400
    p = scalar_quadratic(1.0, 0.0)
    # digital SGD on L/2 w^2: E w^2 = alpha s^2/(L (2 - alpha L)), E f = L/2 E w^2
    assert F._digital_floor_guess(p, 0.5, 0.1) == pytest.approx(0.5 * 0.5 * 0.01 / 1.5)


@pytest.mark.parametrize("claim_id", ["C29a", "C29b", "C30", "C31", "C32", "C33"])
def test_exact_checks_run_in_a_tiny_profile_and_their_controls_have_power(claim_id):
    """Confirmed -> the nearest wrong statement is refuted; refuted -> the corrected statement is confirmed."""
    res = run_claim(CLAIMS[claim_id], TINY, claim_seed(claim_id))
    assert res.verdict in ("confirmed", "refuted") and res.control_as_expected, res.negative_control
    assert res.model and res.negative_control["role"] == (
        "corrected statement" if res.verdict == "refuted" else "nearest wrong statement"
    )


def test_slips_are_errata_and_substantive_refutations_are_not():
    """C10 and C29a are registered slips whose intended statement the same runs confirm; C30 has no intended."""
    for claim_id, kind in (("C29a", "erratum"), ("C30", "refuted")):
        res = run_claim(CLAIMS[claim_id], TINY, claim_seed(claim_id))
        assert res.verdict == "refuted" and res.kind == kind
    c10 = run_claim(CLAIMS["C10"], Profile("small", chains=50, step_scale=0.2, fixed_level=0.99), claim_seed("C10"))
    assert c10.verdict == "refuted" and c10.kind == "erratum" and "(K+1)/K" in c10.details["intended"]


@pytest.mark.parametrize("claim_id", ["C2", "C11a", "C11b", "C12"])
def test_monte_carlo_controls_have_power_at_the_quick_profile(claim_id):
    res = run_claim(CLAIMS[claim_id], QUICK, claim_seed(claim_id))
    assert res.control_as_expected, (res.verdict, res.negative_control)
    if claim_id in ("C11a", "C11b", "C12"):  # fitted: the chi2 of each line is reported
        assert all("chi2" in f["line"] for f in res.details["fit"].values())


def test_c12_is_refuted_and_the_drift_balance_statement_confirmed():
    res = run_claim(CLAIMS["C12"], QUICK, claim_seed("C12"))
    assert res.verdict == "refuted" and res.kind == "refuted"
    assert res.negative_control["role"] == "corrected statement" and res.negative_control["verdict"] == "confirmed"


def test_c11_parts_share_their_runs():
    a = C._c11_data(TINY, *_key(claim_seed("C11a")))
    assert a is C._c11_data(TINY, *_key(claim_seed("C11b")))


def _key(seed):
    return seed.entropy, tuple(seed.spawn_key)
