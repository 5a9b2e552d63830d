"""Noise laws: their moments, checked with confidence intervals, each with a negative control."""

import numpy as np
import pytest

from verify import GaussianNoise, NoNoise, RademacherNoise, TwoPointNoise, mean_ci

LEVEL = 0.999  # several moment checks run here; a strict level keeps false alarms rare (Bonferroni-style)


def draws(law, W, n_rows, seed=0):
    """n_rows independent draws of eps at state W (broadcast to every row)."""
    W = np.broadcast_to(np.asarray(W, float), (n_rows, np.shape(W)[-1]))
    zeros = np.zeros(W.shape)
    return law.perturb(zeros, W, np.random.default_rng(seed), np.empty(W.shape))


def assert_moment(samples, expected, label):
    """The CI of the mean of ``samples`` covers ``expected`` and excludes 5% off (negative control)."""
    estimate = mean_ci(samples, LEVEL)
    assert estimate.covers(expected), f"{label}: {estimate} misses {expected}"
    if expected != 0:
        for wrong in (0.95 * expected, 1.05 * expected):
            assert not estimate.covers(wrong), f"{label}: {estimate} cannot reject {wrong}"


def test_gaussian_moments_per_coordinate():
    std = np.array([0.1, 1.0, 3.0])
    eps = draws(GaussianNoise(std), np.zeros(3), 200_000)
    for i, s in enumerate(std):
        assert mean_ci(eps[:, i], LEVEL).covers(0.0)
        assert_moment(eps[:, i] ** 2, s**2, f"E[eps_{i}^2]")
    assert GaussianNoise(std).total_variance(3) == pytest.approx(np.sum(std**2), rel=1e-15)
    assert GaussianNoise(0.5).total_variance(4) == pytest.approx(1.0, rel=1e-15)


def test_gaussian_adds_to_the_gradient():
    grad = np.arange(6.0).reshape(2, 3)
    out = GaussianNoise(0.0).perturb(grad, grad, np.random.default_rng(0), np.empty((2, 3)))
    np.testing.assert_array_equal(out, grad)


def test_rademacher_takes_two_values_with_equal_probability():
    eps = draws(RademacherNoise(0.7), np.zeros(4), 100_000)
    np.testing.assert_array_equal(np.abs(eps), 0.7)
    assert_moment((eps > 0).ravel().astype(float), 0.5, "P(eps > 0)")
    assert RademacherNoise(0.7).total_variance(4) == pytest.approx(4 * 0.49, rel=1e-15)


TAU, SIGMA = 2.0, 0.8
STATES = np.array([-0.5, 0.2, 0.6, 1.8]) * TAU / 2  # p from 0.625 to 0.05 (p = 1/2 makes eps^2 constant)


@pytest.mark.parametrize("shared", [True, False])
def test_two_point_law_has_mean_zero_and_variance_sigma2_over_d(shared):
    """C18: E[eps] = 0 and E[eps_i^2] = sigma^2/D at every state, so E||eps||^2 = sigma^2."""
    dim = len(STATES)
    law = TwoPointNoise(SIGMA, TAU, shared=shared)
    eps = draws(law, STATES, 400_000, seed=1)
    for i, w in enumerate(STATES):
        assert mean_ci(eps[:, i], LEVEL).covers(0.0), f"E[eps] at w = {w}"
        assert_moment(eps[:, i] ** 2, SIGMA**2 / dim, f"E[eps^2] at w = {w}")
    assert law.total_variance(dim) == SIGMA**2


def test_two_point_values_and_probability():
    """eps = +s sqrt((1-p)/p) w.p. p = (1 - w/tau)/2, else -s sqrt(p/(1-p)) (eqs. 66-67)."""
    w, dim = 0.6, 4
    p = 0.5 * (1 - w / TAU)
    s = SIGMA / np.sqrt(dim)
    eps = draws(TwoPointNoise(SIGMA, TAU), np.full(dim, w), 100_000, seed=2)
    up, down = s * np.sqrt((1 - p) / p), -s * np.sqrt(p / (1 - p))
    assert set(np.unique(eps)) == {up, down}
    assert_moment((eps[:, 0] == up).astype(float), p, "P(eps = xi+)")


def test_two_point_shared_draw_is_one_value_per_chain_when_coordinates_are_equal():
    eps = draws(TwoPointNoise(SIGMA, TAU, shared=True), np.full(5, 0.3), 1000, seed=3)
    np.testing.assert_array_equal(eps, np.broadcast_to(eps[:, :1], eps.shape))
    independent = draws(TwoPointNoise(SIGMA, TAU, shared=False), np.full(5, 0.3), 1000, seed=3)
    assert not np.array_equal(independent, np.broadcast_to(independent[:, :1], independent.shape))


def test_two_point_at_the_bound_is_zero_not_nan():
    """At w = +-tau one branch has probability 0 and the other the value 0."""
    eps = draws(TwoPointNoise(SIGMA, TAU), np.array([TAU, -TAU]), 100)
    np.testing.assert_array_equal(eps, 0.0)


def test_no_noise_returns_the_gradient_itself():
    grad = np.ones((2, 2))
    assert NoNoise().perturb(grad, grad, None, np.empty((2, 2))) is grad
    assert NoNoise().total_variance(7) == 0.0
