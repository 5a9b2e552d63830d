"""The dynamics: each update against its equation written out independently, and the limits that tie
them together (tau -> infinity gives digital SGD; the ideal device gives digital SGD exactly)."""

import numpy as np
import pytest

from bounds import AsymmetricLinearDevice, IdealDevice, SoftBoundsDevice
from verify import AnalogGD, AnalogSGD, DigitalSGD, GaussianNoise, TikiTaka, least_squares, simulate

RNG = np.random.default_rng(2024)
R, D = 7, 5


def arrays(scale=0.5):
    return scale * RNG.uniform(-1, 1, (R, D)), RNG.standard_normal((R, D))


def step(dynamics, state, n):
    """One update on copies; returns the new state."""
    state = {name: np.array(value, order="F") for name, value in state.items()}
    dynamics.update(state, np.array(n, order="F"), np.empty((R, D), order="F"))
    return state


def test_digital_sgd_is_eq_2():
    W, n = arrays()
    np.testing.assert_array_equal(step(DigitalSGD(0.3), {"W": W}, n)["W"], W - 0.3 * n)


@pytest.mark.parametrize("w_sp", [0.0, 0.25])
def test_analog_sgd_on_the_ald_is_eq_3(w_sp):
    """W' = W - alpha n - (alpha/tau)|n| (.) (W - w_sp), eq. (3) with the symmetric point of (8)."""
    tau, alpha = 1.5, 0.2
    W, n = arrays()
    expected = W - alpha * n - (alpha / tau) * np.abs(n) * (W - w_sp)
    new = step(AnalogSGD(AsymmetricLinearDevice(tau, w_sp), alpha), {"W": W}, n)["W"]
    np.testing.assert_allclose(new, expected, rtol=0, atol=1e-15)  # a few roundings of |W| <= 0.5 apart


def test_analog_sgd_on_any_device_is_the_compact_form_7():
    device = SoftBoundsDevice(tau_max=2.0, tau_min=-0.5, w_sp=0.1)
    alpha = 0.1
    W, n = arrays(0.4)
    dW = -alpha * n
    q_up, q_down = 1 - (W - 0.1) / 2.0, 1 - (W - 0.1) / -0.5  # eq. (21), typed here
    expected = np.where(dW >= 0, W + dW * q_up, W + dW * q_down)  # the definition (6)
    # rounding is relative to the operands (|W| <= 0.4), not to a result that may nearly cancel
    np.testing.assert_allclose(step(AnalogSGD(device, alpha), {"W": W}, n)["W"], expected, rtol=0, atol=1e-15)


def test_tiki_taka_is_tt_p_then_tt_w():
    tau, alpha, beta = 2.0, 0.1, 0.3
    W, n = arrays()
    P = 0.3 * RNG.uniform(-1, 1, (R, D))
    P_next = P + beta * n - (beta / tau) * np.abs(n) * P  # (TT-P)
    W_next = W - alpha * P_next - (alpha / tau) * np.abs(P_next) * W  # (TT-W), gradient at W_k
    new = step(TikiTaka(AsymmetricLinearDevice(tau), alpha, beta), {"W": W, "P": P}, n)
    np.testing.assert_allclose(new["P"], P_next, rtol=0, atol=1e-15)  # operands are O(1)
    np.testing.assert_allclose(new["W"], W_next, rtol=0, atol=1e-15)


def test_tiki_taka_starts_with_p_zero():
    state = TikiTaka(AsymmetricLinearDevice(1.0), 0.1, 0.1).initial_state(np.full((R, D), 0.5))
    np.testing.assert_array_equal(state["P"], 0.0)


def problem_and_noise():
    rng = np.random.default_rng(7)
    return least_squares(rng.standard_normal((12, 4)) / np.sqrt(12), 0.4 * rng.standard_normal(4)), GaussianNoise(0.1)


def run(dynamics, **kwargs):
    problem, noise = problem_and_noise()
    return simulate(problem, dynamics, noise, steps=200, chains=16, seed=9, trajectories=True, **kwargs)


def test_analog_sgd_with_infinite_tau_is_digital_sgd():
    """tau = 1e12: the asymmetric term (alpha/tau)|n| W is ~1e-12 of the step, so the paths agree to
    that relative size, step for step on the same noise."""
    digital = run(DigitalSGD(0.1)).trajectories["W"]
    analog = run(AnalogSGD(AsymmetricLinearDevice(1e12), 0.1)).trajectories["W"]
    np.testing.assert_allclose(analog, digital, rtol=1e-9, atol=1e-12)
    # negative control: a finite tau is told apart at the same tolerance
    finite = run(AnalogSGD(AsymmetricLinearDevice(3.0), 0.1)).trajectories["W"]
    assert not np.allclose(finite, digital, rtol=1e-9, atol=1e-12)


def test_analog_sgd_with_the_ideal_device_is_digital_sgd_exactly():
    digital = run(DigitalSGD(0.1)).trajectories["W"]
    ideal = run(AnalogSGD(IdealDevice(), 0.1)).trajectories["W"]
    np.testing.assert_array_equal(ideal, digital)


def test_analog_gd_is_noiseless_analog_sgd():
    problem, _ = problem_and_noise()
    device = AsymmetricLinearDevice(1.0)
    gd = simulate(problem, AnalogGD(device, 0.1), steps=50, chains=2, seed=0, trajectories=True)
    sgd = simulate(problem, AnalogSGD(device, 0.1), None, steps=50, chains=2, seed=0, trajectories=True)
    np.testing.assert_array_equal(gd.trajectories["W"], sgd.trajectories["W"])
    assert np.all(gd.variance["grad_sq"] == 0.0)  # identical chains


def test_analog_gd_descends_monotonically_with_small_steps():
    """Theorem 9's key step (57): f(W_{k+1}) <= f(W_k) - (alpha/2)(1 - ||W_k||^2/tau^2)||grad||^2
    for alpha <= 1/L, so f decreases along Analog GD."""
    problem, _ = problem_and_noise()
    result = simulate(
        problem, AnalogGD(AsymmetricLinearDevice(2.0), 1 / problem.smoothness), steps=100, chains=1, seed=0
    )
    gap = result.mean["f_gap"]
    assert np.all(np.diff(gap) <= 0.0)
