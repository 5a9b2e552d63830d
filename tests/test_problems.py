"""Objectives and the figures' settings."""

import numpy as np
import pytest

from verify import QuadraticProblem, least_squares, lower_bound_instance, scalar_quadratic
from verify.experiments.settings import SETTINGS, figure1, figure4_init

RNG = np.random.default_rng(3)


def test_least_squares_objective_gradient_and_constants():
    A, w_star = RNG.standard_normal((9, 4)), RNG.standard_normal(4)
    problem = least_squares(A, w_star, scale=0.25)
    W = RNG.standard_normal((6, 4))
    direct = 0.25 * np.sum(((W - w_star) @ A.T) ** 2, axis=1)  # f = c ||A(W - W*)||^2, typed here
    np.testing.assert_allclose(problem.objective_gap(W), direct, rtol=1e-12)
    np.testing.assert_allclose(problem.gradient(W), 0.5 * (W - w_star) @ A.T @ A, rtol=1e-12, atol=1e-14)
    eigenvalues = np.linalg.eigvalsh(0.5 * A.T @ A)
    assert problem.smoothness == pytest.approx(eigenvalues[-1], rel=1e-12)
    assert problem.strong_convexity == pytest.approx(eigenvalues[0], rel=1e-12)
    np.testing.assert_array_equal(problem.w0, 0.0)


def test_gradient_is_the_derivative_of_the_objective():
    """Central differences: error O(h^2 f''') = 0 for a quadratic, so only rounding (~eps f / h) remains."""
    problem = least_squares(RNG.standard_normal((8, 3)), RNG.standard_normal(3))
    W, h = RNG.standard_normal((1, 3)), 1e-5
    numeric = [(problem.objective_gap(W + h * e) - problem.objective_gap(W - h * e))[0] / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(problem.gradient(W)[0], numeric, rtol=1e-7)


@pytest.mark.parametrize("order", ["C", "F"])
def test_residual_into_a_buffer_of_either_memory_order(order):
    problem = least_squares(RNG.standard_normal((5, 3)), RNG.standard_normal(3))
    W = np.asarray(RNG.standard_normal((4, 3)), order=order)
    out = np.empty((4, 3), order=order)
    for _ in range(2):  # the second call reuses the cached copy of W*
        np.testing.assert_array_equal(problem.residual(W, out=out), W - problem.w_star)


def test_isotropic_problems_take_the_fast_path_with_the_same_result():
    problem = lower_bound_instance(L=2.0, w_star=0.3, dim=4)
    dense = QuadraticProblem(hessian=2.0 * np.eye(4) + 1e-300 * (1 - np.eye(4)), w_star=problem.w_star, w0=problem.w0)
    assert problem._isotropic == 2.0 and dense._isotropic is None
    W = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(problem.gradient(W), dense.gradient(W), rtol=1e-15)
    np.testing.assert_array_equal(problem.w0, np.full(4, 0.3))
    np.testing.assert_array_equal(problem.w_star, problem.w0)
    assert problem.initial_gap() == 0.0


def test_scalar_quadratic():
    problem = scalar_quadratic(L=3.0, w_star=-0.2, w0=0.4)
    assert problem.dim == 1 and problem.smoothness == problem.strong_convexity == 3.0
    assert problem.initial_gap() == pytest.approx(1.5 * 0.6**2, rel=1e-14)


@pytest.mark.parametrize("name", sorted(SETTINGS))
@pytest.mark.parametrize("source", ["paper", "code"])
def test_every_setting_is_well_formed_and_reproducible(name, source):
    setting = SETTINGS[name](source)
    again = SETTINGS[name](source)
    other = SETTINGS[name](source, seed=7)
    np.testing.assert_array_equal(setting.problem.hessian, again.problem.hessian)
    assert not np.array_equal(setting.problem.hessian, other.problem.hessian)
    assert setting.source == source and setting.notes
    assert len(setting.dw_min) == len(setting.taus)
    assert all(np.all(np.abs(w0) <= max(setting.taus)) for w0 in setting.initial_points.values())
    assert setting.problem.dim == (40 if name in ("fig1", "fig3", "fig4-tau") else 50) + (source == "code")


def test_code_setting_has_a_bias_column_and_mean_loss():
    paper, code = figure1("paper"), figure1("code")
    # same draws of A and W*; the code adds a bias weight (true value 0) and averages over N = 100 rows
    np.testing.assert_allclose(code.problem.hessian[:40, :40], paper.problem.hessian / 50, rtol=1e-12)
    np.testing.assert_allclose(code.problem.hessian[40, 40], 2.0, rtol=1e-15)
    assert code.problem.w_star[40] == 0.0


def test_paper_figure1_step_sizes_exceed_the_stability_limit_of_its_objective():
    """A finding, recorded as a fact: with f = 1/2 ||A(W - W*)||^2 and A ~ N(0, 1) of size 100 x 40
    (eq. 141, App. I.1), L is about 240, so every step size of Figure 1's legend has alpha > 2/L and
    digital GD diverges; the code's mean-squared loss (L about 4.8) is stable for all of them."""
    paper, code = figure1("paper"), figure1("code")
    assert 200 < paper.problem.smoothness < 300
    assert paper.unstable_alphas() == paper.alphas
    assert code.unstable_alphas() == ()


def test_figure4_init_clips_the_constants_to_the_device_range():
    starts = figure4_init("code").initial_points
    for label in ("constant 1000", "constant 100", "constant 10", "constant 1"):
        np.testing.assert_array_equal(starts[label], 1.0)
    np.testing.assert_array_equal(starts["constant 0.01"], 0.01)
    assert {"10 digital GD steps", "20 digital GD steps", "30 digital GD steps"} <= set(starts)
