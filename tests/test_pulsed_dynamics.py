"""Pulse-level Analog SGD and Tiki-Taka (issue 5 item 3): validation, the engine's generator, eq. (20)."""

import numpy as np
import pytest

from bounds import AsymmetricLinearDevice
from verify.sim.dynamics import AnalogSGD, PulsedAnalogSGD, PulsedTikiTaka, TikiTaka
from verify.sim.engine import simulate
from verify.sim.noise import GaussianNoise
from verify.sim.problems import least_squares
from verify.sim.pulses import PulseModel

ALD = AsymmetricLinearDevice(tau=1.0)


def small_problem():
    rng = np.random.default_rng(3)
    return least_squares(rng.standard_normal((8, 3)) / 3, np.array([0.3, -0.2, 0.1]))


@pytest.mark.parametrize(
    "make, named",
    [
        (lambda: PulsedAnalogSGD(ALD, 0.1), "pulses"),
        (lambda: PulsedAnalogSGD(PulseModel(ALD, 1e-3), 0.0), "alpha"),
        (lambda: PulsedTikiTaka(PulseModel(ALD, 1e-3), 0.1, -1.0), "beta"),
        (lambda: PulsedTikiTaka(PulseModel(ALD, 1e-3), 0.1, 0.1, p_pulses="x"), "p_pulses"),
    ],
)
def test_bad_arguments_name_the_parameter(make, named):
    with pytest.raises(ValueError, match=named):
        make()


def test_update_needs_a_generator_and_the_engine_passes_one():
    dyn = PulsedAnalogSGD(PulseModel(ALD, 1e-3), 0.1)
    assert dyn.needs_rng and not AnalogSGD(ALD, 0.1).needs_rng and dyn.device is ALD
    with pytest.raises(ValueError, match="rng"):
        dyn.update({"W": np.zeros((1, 1))}, np.ones((1, 1)), np.empty((1, 1)))


def test_deterministic_counting_is_within_first_order_of_dynamic3():
    """One step, ceil counting BL = ceil(|dW|/dw_min) on the ALD: U_p^BL(w) - w = (b_s - w)(1 - r^BL) with
    r = 1 - dw_min/tau and U(w, dW) - w = (b_s - w)|dW|/tau, so with q_s = |b_s - w|/tau
    |U_p^BL - U| <= q_s (dw_min + (|dW| + dw_min)^2/(2 tau)) (eq. 20 with its factor q_s <= 2)."""
    rng = np.random.default_rng(0)
    W0 = rng.uniform(-0.9, 0.9, (50, 4))
    n = rng.standard_normal((50, 4))
    dw_min, alpha = 1e-3, 0.05
    pulsed, exact = W0.copy(), W0.copy()
    PulsedAnalogSGD(PulseModel(ALD, dw_min, counting="deterministic"), alpha).update(
        {"W": pulsed}, n.copy(), np.empty_like(W0), rng=rng
    )
    AnalogSGD(ALD, alpha).update({"W": exact}, n.copy(), np.empty_like(W0))
    q = np.where(-alpha * n > 0, ALD.tau - W0, ALD.tau + W0) / ALD.tau
    bound = q * (dw_min + np.square(alpha * np.abs(n) + dw_min) / (2 * ALD.tau))
    assert np.all(np.abs(pulsed - exact) <= bound * (1 + 1e-12))
    assert np.max(np.abs(pulsed - exact)) > 0


def test_same_seed_same_numbers_whatever_the_workers():
    problem, noise = small_problem(), GaussianNoise(0.1)
    dyn = PulsedAnalogSGD(PulseModel(ALD, 1e-2, counting="stochastic_trains", desired_bl=31), 0.1)
    runs = [
        simulate(problem, dyn, noise, steps=20, chains=40, seed=5, chains_per_block=8, workers=w) for w in (1, 2, 2)
    ]
    for other in runs[1:]:
        np.testing.assert_array_equal(runs[0].mean["f_gap"], other.mean["f_gap"])
        np.testing.assert_array_equal(runs[0].final_state["W"], other.final_state["W"])
    different = simulate(problem, dyn, noise, steps=20, chains=40, seed=6, chains_per_block=8)
    assert not np.array_equal(different.final_state["W"], runs[0].final_state["W"])


def test_pulse_level_approaches_dynamic3_as_dw_min_shrinks():
    """Noiseless gradients, stochastic rounding: the final iterate's gap to (3) falls with dw_min."""
    problem = small_problem()
    exact = simulate(problem, AnalogSGD(ALD, 0.2), None, steps=30, chains=2, seed=1).final_state["W"][0]
    gaps = []
    for dw_min in (1e-2, 1e-4):
        pulsed = simulate(
            problem, PulsedAnalogSGD(PulseModel(ALD, dw_min), 0.2), None, steps=30, chains=64, seed=1
        ).final_state["W"]
        gaps.append(np.max(np.abs(pulsed.mean(axis=0) - exact)))
    assert gaps[1] < gaps[0] / 5 and gaps[1] < 1e-3


def test_pulsed_tiki_taka_runs_its_two_stages_through_the_pulse_models():
    w_model, p_model = PulseModel(ALD, 1e-3), PulseModel(AsymmetricLinearDevice(tau=2.0), 1e-3)
    dyn = PulsedTikiTaka(w_model, alpha=0.1, beta=0.2, p_pulses=p_model)
    state = dyn.initial_state(np.full((3, 2), 0.1))
    assert np.all(state["P"] == 0) and dyn.state_names == ("W", "P")
    n = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 3.0]])
    W, P = state["W"].copy(), np.zeros((3, 2))
    dyn.update(state, n.copy(), np.empty((3, 2)), rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)  # the same draws, by hand: P first, then W
    p_model.apply_update(P, 0.2 * n, rng, np.empty((3, 2)))
    w_model.apply_update(W, -0.1 * P, rng, np.empty((3, 2)))
    np.testing.assert_array_equal(state["P"], P)
    np.testing.assert_array_equal(state["W"], W)
    assert PulsedTikiTaka(w_model, 0.1, 0.2).p_pulses is w_model


def test_pulsed_tiki_taka_in_the_engine_tracks_tiki_taka():
    """Many fine pulses follow the flow w' = dW q_s(w), which differs from (TT-P)/(TT-W)'s Euler step by
    O(step^2/tau): the gap to Tiki-Taka is small for small step sizes and shrinks with them."""
    problem = small_problem()
    gaps = []
    for step in (0.2, 0.05):
        K = int(8 / step)
        res = simulate(problem, PulsedTikiTaka(PulseModel(ALD, 1e-5), step, step), None, steps=K, chains=8, seed=2)
        ref = simulate(problem, TikiTaka(ALD, step, step), None, steps=K, chains=2, seed=2)
        assert "p_inf_sq" in res.statistics
        gaps.append(np.max(np.abs(res.mean["f_gap"] - ref.mean["f_gap"])) / ref.mean["f_gap"][0])
    assert gaps[1] < gaps[0] / 4 and gaps[1] < 0.02, gaps


# ---------------------------------------------------------------------------------------------
# pulse counts at exact multiples of dw_min (no pulse gained to floating-point rounding)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dw, dw_min, expected", [(0.02, 0.001, 20), (0.3, 0.1, 3), (0.7, 0.1, 7), (1e-4, 1e-4, 1)])
def test_bit_length_exact_at_multiples(dw, dw_min, expected):
    from bounds.pulses import bit_length

    assert bit_length(dw, dw_min) == expected
    assert bit_length(-dw, dw_min) == expected
    assert bit_length(dw * (1 + 1e-9), dw_min) == expected + 1  # a true excess still costs a pulse


def test_trains_apply_exact_multiple_deterministically():
    """0.02/0.001: BL = 20 and p = 1, so every draw applies exactly 20 pulses (AIHWKit does); a BL of 21 would
    give a Binomial(21, 20/21) count."""
    model = PulseModel(AsymmetricLinearDevice(1.0), 0.001, counting="stochastic_trains", desired_bl=31)
    counts = model.pulse_counts(np.full((1000, 1), 0.02), np.random.default_rng(1))
    assert np.all(counts == 20)
    det = PulseModel(AsymmetricLinearDevice(1.0), 0.001, counting="deterministic")
    assert np.all(det.pulse_counts(np.array([[0.02, -0.02]]), None) == [[20, -20]])
