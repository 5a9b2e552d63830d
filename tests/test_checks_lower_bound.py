"""Helper logic of verify/claims/checks/lower_bound.py (C13-C18) and verify/claims/checks/drift.py (C19-C21).

The registry-wide test (every claim in the quick profile, its negative control refuted) lives in
tests/test_claims.py; these are focused checks of the helpers, each well under a second.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from bounds import lower_bound as lb
from bounds.devices import AsymmetricLinearDevice
from bounds.drift import tiki_taka_p_mean
from bounds.noise_laws import GaussianLaw, RademacherLaw, TwoPointLaw
from verify import GaussianNoise, TikiTaka, TwoPointNoise, simulate
from verify.claims.checks import drift as drift_checks
from verify.claims.checks import lower_bound as lb_checks
from verify.claims.registry import CLAIMS, Profile, claim_seed, run_claim
from verify.experiments.lower_bound import engine_inputs
from verify.sim.seeds import child_seed

TINY = Profile("tiny", chains=64, step_scale=0.05, fixed_level=0.95)


def test_child_seed_is_stable_and_leaves_the_parent_untouched():
    parent = np.random.SeedSequence(7, spawn_key=(1, 2))
    first = child_seed(parent, 3)
    again = child_seed(parent, 3)
    assert first.spawn_key == again.spawn_key == (1, 2, 3) and first.entropy == 7
    assert parent.n_children_spawned == 0
    assert np.array_equal(first.generate_state(4), again.generate_state(4))


def test_constructions_satisfy_the_theorem_conditions():
    """C13/C14 and C15 run the instance inside its conditions (C15 exactly at the sigma and w* limits)."""
    for alpha in lb_checks.ALPHAS:
        assert dataclasses.replace(lb_checks.CONSTRUCTION, alpha=alpha).applicable
    cons = lb_checks.LEMMA2_CONSTRUCTION
    assert cons.applicable
    assert cons.sigma == cons.conditions[2].rhs and cons.w_star == cons.tau / 4
    beyond = dataclasses.replace(cons, sigma=1.01 * cons.sigma)
    assert [c.statement for c in beyond.failed] == ["sigma <= tau L sqrt(D)/(4 sqrt 3)"]


def test_max_weight_equals_the_maximum_of_one_long_trajectory_segmentwise():
    """Chunked runs: the max over segments is the max over the concatenated trajectory, and each segment
    starts where the previous one ended (checked by rerunning the segments by hand)."""
    cons = dataclasses.replace(lb_checks.CONSTRUCTION, alpha=0.1)
    seed = np.random.SeedSequence(11)
    largest = lb_checks.max_weight(cons, steps=25, chains=8, seed=seed, chunk=10)
    inputs = engine_inputs(cons)
    W, by_hand = None, 0.0
    for i, n in enumerate((10, 10, 5)):
        r = simulate(
            inputs.problem,
            inputs.dynamics,
            inputs.noise,
            steps=n,
            chains=8,
            seed=child_seed(seed, i),
            w0=W,
            trajectories=True,
        )
        by_hand = max(by_hand, float(np.abs(r.trajectories["W"]).max()))
        W = r.final_state["W"]
    assert largest == by_hand
    assert cons.w_star <= largest < cons.tau / 2


def test_ratio_runs_are_cached_and_reproducible():
    seed = np.random.SeedSequence(3, spawn_key=(9,))
    first = lb_checks.ratio_runs(TINY, seed)
    assert lb_checks.ratio_runs(TINY, np.random.SeedSequence(3, spawn_key=(9,))) is first
    lb_checks._ratio_runs.cache_clear()
    again = lb_checks.ratio_runs(TINY, seed)
    assert again is not first
    for a, b in zip(first["samples"], again["samples"]):
        np.testing.assert_array_equal(a, b)
    assert first["steps"] == [TINY.steps(int(round(40 / a))) for a in lb_checks.ALPHAS]


def test_c14_measures_on_the_runs_of_c13():
    seed = np.random.SeedSequence(5, spawn_key=tuple(b"C14"))
    assert lb_checks._shared_seed(seed).spawn_key == tuple(b"C13")
    assert lb_checks._shared_seed(seed).entropy == 5
    assert claim_seed("C14a").spawn_key == claim_seed("C14b").spawn_key


SMALL = Profile("small", chains=200, step_scale=0.5, fixed_level=1 - 0.05 / 57)


def test_ratio_claims_fit_and_controls():
    """C13 and C14b refuted with the corrected constant 1 confirmed (the control); C14a's order confirmed with its
    nearest wrong statement (no positive Theta(alpha) term) refuted; the fits' chi2/dof and p are recorded."""
    results = {cid: run_claim(CLAIMS[cid], SMALL, claim_seed(cid)) for cid in ("C13", "C14a", "C14b")}
    for cid, result in results.items():
        fit = result.details["fit"]
        assert {"chi2", "dof", "p_value", "chi2_per_dof"} <= set(fit["line"]) and fit["curved"]["dof"] == 1
        assert result.control_as_expected, (cid, result.negative_control)
    for cid in ("C13", "C14b"):
        assert results[cid].verdict == "refuted" and results[cid].kind == "refuted"
        assert results[cid].negative_control["role"] == "corrected statement"
    assert results["C14a"].verdict == "confirmed"
    assert results["C13"].empirical == results["C14b"].empirical  # the same runs


@pytest.mark.parametrize("claim_id", ["C15", "C16", "C17", "C18"])
def test_lemma_claims_confirmed_with_their_nearest_wrong_statement_refuted(claim_id):
    """At the quick profile's sample size (each takes well under a second): C18's Monte Carlo needs it to tell
    1 from the nearest wrong 1.04 within its 0.02 tolerance."""
    quick = Profile("quick", chains=1000, step_scale=1.0, fixed_level=1 - 0.05 / 57)
    result = run_claim(CLAIMS[claim_id], quick, claim_seed(claim_id))
    assert result.verdict == "confirmed" and result.control_as_expected
    assert result.negative_control["verdict"] == "refuted" and result.negative_control["margin"]


@pytest.mark.parametrize("x", [0.05, 0.3, 0.6, 0.95])
def test_mean_field_ratio_is_at_most_one(x):
    """Jensen: E|g + eps| <= sqrt(g^2 + s^2) gives ratio <= 1, with equality for |g + eps| constant."""
    for law in (GaussianLaw(1.0), GaussianLaw(0.3), RademacherLaw(2.0)):
        assert 0.0 < lb_checks.mean_field_ratio(law, x) <= 1.0 + 1e-12
    assert lb_checks.mean_field_ratio(RademacherLaw(1.0), x) == pytest.approx(1 - x * x, rel=1e-10)


def test_mean_field_ratio_is_one_for_the_two_point_law_at_the_instance_fixed_point():
    """At w_bar the two-point law makes |g + xi| constant: g^2 = s^2 x^2/(1 - x^2) exactly (derived value)."""
    cons = lb_checks.CONSTRUCTION
    w_bar = lb.stationary_point(cons)
    law = TwoPointLaw.from_state(cons.sigma, cons.D, w_bar, cons.tau)
    g = cons.L * (w_bar - cons.w_star)
    x = w_bar / cons.tau
    assert g == pytest.approx(-x * float(law.expected_abs(g)), rel=1e-9)
    assert g * g / (cons.noise_scale**2 * x * x / (1 - x * x)) == pytest.approx(1.0, rel=1e-9)
    with pytest.raises(ValueError, match="x must lie"):
        lb_checks.mean_field_ratio(law, 1.0)


def test_lemma4_grid_check_separates_the_formula_from_a_one_per_mille_error():
    ok, worst = lb_checks._lemma4_matches(lb_checks.CONSTRUCTION, 1)
    assert ok and worst < 1e-40
    bad, off = lb_checks._lemma4_matches(lb_checks.CONSTRUCTION, 1.001)
    assert not bad and off > 1e-6


def test_lemma3_grid_quotient_approaches_the_exact_constant_from_below():
    q = lb_checks._max_quotient(lb_checks.CONSTRUCTION)
    assert q <= 4 / math.sqrt(3) and q == pytest.approx(4 / math.sqrt(3), rel=1e-2)


def test_noise_moments_per_chain_shared_draws_have_equal_coordinates():
    noise = TwoPointNoise(0.5, 1.0, shared=True)
    energy, first, equal = lb_checks.noise_moments_per_chain(
        noise, 0.5, chains=2000, draws=20, D=4, rng=np.random.default_rng(0)
    )
    assert equal and energy.shape == first.shape == (2000,)
    assert energy.mean() == pytest.approx(0.25, rel=0.05)
    _, _, equal = lb_checks.noise_moments_per_chain(
        TwoPointNoise(0.5, 1.0, shared=False), 0.5, chains=50, draws=5, D=4, rng=np.random.default_rng(0)
    )
    assert not equal


def test_one_step_increment_of_tiki_taka_from_p0_matches_eq_13():
    """TikiTakaFromP starts P at P0 (the engine's TikiTaka starts at 0); the one-step P increment averages
    to -(beta/tau) E|eps| P0 (eq. 13 minus P0)."""
    P0 = tuple(np.linspace(-0.9, -0.3, 16))
    dyn = drift_checks.TikiTakaFromP(AsymmetricLinearDevice(1.0), 0.1, 0.5, P0=P0)
    x = drift_checks.one_step_increments(dyn, GaussianNoise(1.0), chains=20000, seed=1, state="P")
    law = GaussianLaw(1.0)
    exact = np.mean([tiki_taka_p_mean(law, P, beta=0.5, tau=1.0).value - P for P in P0])
    assert abs(x.mean() - exact) < 5 * x.std() / math.sqrt(x.size)
    with pytest.raises(ValueError, match="P0 must lie"):
        drift_checks.TikiTakaFromP(AsymmetricLinearDevice(1.0), 0.1, 0.5, P0=(2.0,))
    assert isinstance(dyn, TikiTaka)
