"""Residual Learning (the 2025 paper's eqs. 10-11, 14-15): each update against its equation written out here,
gamma = 0 against Tiki-Taka bit for bit, the pulse level, the small-step limit, Figure 2's setting, validation."""

import numpy as np
import pytest

from bounds import AsymmetricLinearDevice
from bounds.devices import ExponentialResponseDevice, LinearResponseDevice, PowerResponseDevice
from bounds.noise_laws import GaussianLaw, RademacherLaw
from verify.experiments.response import (
    FIGURE2,
    Figure2Setting,
    figure2_dynamics,
    figure2_problem,
    residual_learning_limit,
    run_figure2,
)
from verify.sim.dynamics import (
    PulsedResidualLearning,
    PulsedResidualLearningV2,
    PulsedTikiTaka,
    ResidualLearning,
    ResidualLearningV2,
    TikiTaka,
)
from verify.sim.engine import simulate
from verify.sim.noise import GaussianNoise
from verify.sim.problems import QuadraticProblem, least_squares, scalar_quadratic
from verify.sim.pulses import PulseModel

RNG = np.random.default_rng(2025)
R, D = 6, 4
POWER = PowerResponseDevice(tau=1.0, gamma=2.0)
LIN = LinearResponseDevice(tau=1.0, c_lin=0.3)


def problem():
    rng = np.random.default_rng(11)
    return least_squares(rng.standard_normal((10, D)) / np.sqrt(10), 0.4 * rng.standard_normal(D))


def step(dynamics, state, n, rng=None):
    state = {name: np.array(value, order="F") for name, value in state.items()}
    kwargs = {"rng": rng} if rng is not None else {}
    dynamics.update(state, np.array(n, order="F"), np.empty((R, D), order="F"), **kwargs)
    return state


def compact(device, w, dw):
    """U(w, dw) = w + dw F(w) - |dw| G(w), typed from F and G."""
    return w + dw * device.F(w) - np.abs(dw) * device.G(w)


# ---- gamma = 0 is Tiki-Taka ------------------------------------------------------------------------------------


@pytest.mark.parametrize("device", [AsymmetricLinearDevice(1.0), POWER, ExponentialResponseDevice(1.0, 2.0)])
def test_gamma_zero_is_tiki_taka_bit_for_bit(device):
    """RL(alpha=a, beta=b) with gamma = 0 is TikiTaka(alpha=b, beta=a) (2024 naming) on a mirror-symmetric P
    device: the same W at every step, bit for bit, and P negated (RL's P is the residual, -TT's accumulator)."""
    p, noise = problem(), GaussianNoise(0.3)
    common = dict(steps=60, chains=5, seed=4, trajectories=True, progress=False)
    tt = simulate(p, TikiTaka(device, alpha=0.05, beta=0.2), noise, **common)
    rl = simulate(p, ResidualLearning(device, alpha=0.2, beta=0.05), noise, **common)
    np.testing.assert_array_equal(rl.trajectories["W"], tt.trajectories["W"])
    np.testing.assert_array_equal(rl.trajectories["P"], -tt.trajectories["P"])
    assert np.abs(rl.trajectories["P"]).max() > 0


def test_gamma_zero_is_tiki_taka_on_the_pulse_level():
    p, noise = problem(), GaussianNoise(0.3)
    pm = PulseModel(POWER, dw_min=0.01)
    common = dict(steps=40, chains=4, seed=8, trajectories=True, progress=False)
    tt = simulate(p, PulsedTikiTaka(pm, alpha=0.05, beta=0.2), noise, **common)
    rl = simulate(p, PulsedResidualLearning(pm, alpha=0.2, beta=0.05), noise, **common)
    np.testing.assert_array_equal(rl.trajectories["W"], tt.trajectories["W"])
    np.testing.assert_array_equal(rl.trajectories["P"], -tt.trajectories["P"])


def test_gamma_zero_with_an_asymmetric_p_device_is_tiki_taka_with_the_mirrored_device():
    """The linear response mirrored (w -> -w) is c_Lin -> -c_Lin: RL with c on P is TT with -c on P."""
    p, noise = problem(), GaussianNoise(0.3)
    common = dict(steps=60, chains=5, seed=4, trajectories=True, progress=False)
    W_dev = AsymmetricLinearDevice(1.0)
    tt = simulate(p, TikiTaka(W_dev, 0.05, 0.2, p_device=LinearResponseDevice(1.0, -0.3)), noise, **common)
    rl = simulate(p, ResidualLearning(W_dev, 0.2, 0.05, p_device=LIN), noise, **common)
    np.testing.assert_allclose(rl.trajectories["W"], tt.trajectories["W"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(rl.trajectories["P"], -tt.trajectories["P"], rtol=0, atol=1e-12)


# ---- the equations ---------------------------------------------------------------------------------------------


def test_the_p_update_reads_the_gradient_at_the_mixed_weight():
    """(10) P' = U_P(P, -alpha (grad f(W + gamma P) + eps)), then (11) W' = U_W(W, beta P')."""
    p = problem()
    alpha, beta, gamma = 0.1, 0.3, 0.7
    W, P = 0.3 * RNG.uniform(-1, 1, (R, D)), 0.3 * RNG.uniform(-1, 1, (R, D))
    eps = 0.2 * RNG.standard_normal((R, D))
    n = p.gradient(W) + eps  # what the engine hands over: the gradient at W_k
    dyn = ResidualLearning(POWER, alpha, beta, gamma=gamma, p_device=LIN, problem=p)
    new = step(dyn, {"W": W, "P": P}, n)
    mixed = p.gradient(W + gamma * P) + eps
    P_next = compact(LIN, P, -alpha * mixed)
    W_next = compact(POWER, W, beta * P_next)
    np.testing.assert_allclose(new["P"], P_next, rtol=0, atol=1e-14)
    np.testing.assert_allclose(new["W"], W_next, rtol=0, atol=1e-14)
    # the gradient at W alone gives another P: the mixing matters
    assert np.abs(compact(LIN, P, -alpha * n) - P_next).max() > 1e-3


def test_the_buffer_and_the_threshold_transfer():
    """(14) H' = (1 - rho) H + rho P' (no reading noise), (15) W' = U_W(W, beta H') where |H'| > threshold."""
    p = problem()
    alpha, beta, rho, threshold = 0.1, 0.3, 0.25, 0.05
    W, P = 0.3 * RNG.uniform(-1, 1, (R, D)), 0.3 * RNG.uniform(-1, 1, (R, D))
    H = 0.1 * RNG.uniform(-1, 1, (R, D))
    n = RNG.standard_normal((R, D))
    dyn = ResidualLearningV2(POWER, alpha, beta, gamma=0.0, buffer_rate=rho, threshold=threshold)
    new = step(dyn, {"W": W, "P": P, "H": H}, n)
    P_next = compact(POWER, P, -alpha * n)
    H_next = (1 - rho) * H + rho * P_next
    transfer = np.where(np.abs(H_next) > threshold, beta * H_next, 0.0)
    np.testing.assert_allclose(new["P"], P_next, rtol=0, atol=1e-14)
    np.testing.assert_allclose(new["H"], H_next, rtol=0, atol=1e-14)
    np.testing.assert_allclose(new["W"], compact(POWER, W, transfer), rtol=0, atol=1e-14)
    assert (np.abs(H_next) <= threshold).any() and (np.abs(H_next) > threshold).any()
    np.testing.assert_array_equal(new["W"][np.abs(H_next) <= threshold], W[np.abs(H_next) <= threshold])
    assert p.dim == D


def test_a_buffer_without_memory_noise_or_threshold_is_residual_learning():
    """rho = 1, no reading noise, threshold 0: H_{k+1} = P_{k+1}, so v2 is (10)-(11) bit for bit."""
    p, noise = problem(), GaussianNoise(0.2)
    common = dict(steps=50, chains=4, seed=6, trajectories=True, progress=False)
    rl = simulate(p, ResidualLearning(POWER, 0.1, 0.2, gamma=0.4, problem=p), noise, **common)
    v2 = simulate(p, ResidualLearningV2(POWER, 0.1, 0.2, gamma=0.4, problem=p, buffer_rate=1.0), noise, **common)
    np.testing.assert_array_equal(v2.trajectories["W"], rl.trajectories["W"])
    np.testing.assert_array_equal(v2.trajectories["H"], rl.trajectories["P"])


def test_the_buffer_rate_defaults_to_beta_and_the_reading_noise_draws():
    dyn = ResidualLearningV2(POWER, 0.1, 0.2, read_noise=0.5)
    assert dyn.buffer_rate == 0.2 and dyn.threshold == 0.0 and dyn.needs_rng
    assert not ResidualLearningV2(POWER, 0.1, 0.2).needs_rng
    W, P, H = (np.zeros((R, D)) for _ in range(3))
    a = step(dyn, {"W": W, "P": P, "H": H}, np.zeros((R, D)), rng=np.random.default_rng(1))
    b = step(dyn, {"W": W, "P": P, "H": H}, np.zeros((R, D)), rng=np.random.default_rng(1))
    np.testing.assert_array_equal(a["H"], b["H"])
    assert a["H"].std() > 0.05  # rho * N(0, 0.5^2) readings
    with pytest.raises(ValueError, match="^rng must be"):
        step(dyn, {"W": W, "P": P, "H": H}, np.zeros((R, D)))


def test_the_buffers_stationary_variance():
    """With P held at 0 the buffer is an AR(1) of the readings: E H^2 = rho s^2/(2 - rho) (R10)."""
    zero = QuadraticProblem(hessian=[[0.0]], w_star=[0.0], w0=[0.0])
    rho = 0.2
    dyn = ResidualLearningV2(AsymmetricLinearDevice(100.0), 0.1, rho, read_noise=1.0, problem=zero)
    res = simulate(zero, dyn, None, steps=200, chains=4000, seed=3, progress=False)
    np.testing.assert_array_equal(res.final_state["P"], 0.0)
    assert np.mean(res.final_state["H"] ** 2) == pytest.approx(rho / (2 - rho), rel=0.08)


def test_the_mixed_observables():
    p = problem()
    gamma = 0.5
    res = simulate(
        p,
        ResidualLearning(POWER, 0.1, 0.05, gamma=gamma, problem=p),
        GaussianNoise(0.2),
        steps=30,
        chains=3,
        seed=1,
        trajectories=True,
        progress=False,
    )
    assert set(res.statistics) >= {"grad_sq_mixed", "f_gap_mixed"}
    mixed = res.trajectories["W"][-1] + gamma * res.trajectories["P"][-1]
    np.testing.assert_allclose(res.mean["grad_sq_mixed"][-1], np.mean(np.sum(p.gradient(mixed) ** 2, axis=1)))
    np.testing.assert_allclose(res.mean["f_gap_mixed"][-1], np.mean(p.objective_gap(mixed)))
    assert (
        "grad_sq_mixed"
        not in simulate(
            p, ResidualLearning(POWER, 0.1, 0.05), GaussianNoise(0.2), steps=3, chains=2, seed=1, progress=False
        ).statistics
    )


# ---- the pulse level -------------------------------------------------------------------------------------------


def test_the_pulse_level_runs_and_follows_the_expected_update_for_fine_pulses():
    """PulsedResidualLearning with a fine granularity tracks ResidualLearning (eq. (3) to first order)."""
    p, noise = problem(), GaussianNoise(0.1)
    common = dict(steps=300, chains=32, seed=5, progress=False)
    expected = simulate(p, ResidualLearning(POWER, 0.1, 0.1, gamma=0.5, problem=p), noise, **common)
    pm = PulseModel(POWER, dw_min=1e-3)
    pulsed = simulate(p, PulsedResidualLearning(pm, 0.1, 0.1, gamma=0.5, problem=p), noise, **common)
    assert pulsed.mean["f_gap"][-1] == pytest.approx(expected.mean["f_gap"][-1], rel=0.5)
    assert pulsed.mean["f_gap"][-1] < 0.1 * pulsed.mean["f_gap"][0]


def test_the_pulse_level_v2_with_spread_and_threshold():
    p = problem()
    pm = PulseModel(AsymmetricLinearDevice(1.0), dw_min=0.005, dw_min_dtod=0.2)
    dyn = PulsedResidualLearningV2(pm, 0.1, 0.05, gamma=0.4, problem=p, read_noise=0.05, buffer_rate=0.2)
    assert dyn.threshold == 0.005 and dyn.state_names[:3] == ("W", "P", "H") and "W_dw_min" in dyn.state_names
    res = simulate(p, dyn, GaussianNoise(0.1), steps=300, chains=8, seed=2, progress=False)
    assert set(res.final_state) >= {"W", "P", "H", "W_dw_min", "P_dw_min"}
    assert res.mean["f_gap"][-1] < 0.2 * res.mean["f_gap"][0]


# ---- the small-step limit --------------------------------------------------------------------------------------


def test_the_limit_vanishes_with_a_zero_shifted_p_device():
    lim = residual_learning_limit(POWER, GaussianLaw(0.5), scalar_quadratic(1.0, 0.3), POWER)
    assert lim.gradient == 0.0 and lim.grad_sq == 0.0 and lim.w_inf[0] == 0.3 and lim.in_range


@pytest.mark.parametrize("law", [GaussianLaw(0.5), RademacherLaw(0.4)])
def test_the_limit_solves_the_p_stationarity_at_zero(law):
    """g F_P(0) + E|g + eps| G_P(0) = 0 for every coordinate, W_inf = W* + H^{-1} g 1 (D dimensions)."""
    p = problem()
    lim = residual_learning_limit(LIN, law, p, LIN)
    g = lim.gradient
    assert g > 0
    assert g * float(LIN.F(0.0)) + float(law.expected_abs(g)) * float(LIN.G(0.0)) == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(p.gradient(lim.w_inf[None, :])[0], g, rtol=1e-10)
    assert lim.grad_sq == pytest.approx(D * g * g)
    assert lim.f_gap == pytest.approx(float(p.objective_gap(lim.w_inf[None, :])[0]))


def test_the_limit_grows_with_c_lin():
    floors = [
        residual_learning_limit(LinearResponseDevice(1.0, c), GaussianLaw(0.5), scalar_quadratic(1.0, 0.0)).grad_sq
        for c in (0.0, 0.1, 0.2, 0.3)
    ]
    assert floors[0] == 0.0 and all(b > a for a, b in zip(floors, floors[1:]))


def test_residual_learning_reaches_the_predicted_limit():
    """Monte Carlo at small steps with the limit point at W's symmetric point (no O(sqrt(alpha)) term)."""
    law = GaussianLaw(0.5)
    g_c = residual_learning_limit(LIN, law, scalar_quadratic(1.0, 0.0)).gradient
    w_star = 0.3 - g_c
    lim = residual_learning_limit(LIN, law, scalar_quadratic(1.0, w_star), LIN)
    start = scalar_quadratic(1.0, w_star, float(lim.w_inf[0]))
    a = 0.005
    res = simulate(
        start,
        ResidualLearning(LIN, a, a, gamma=1.0, problem=start),
        GaussianNoise(0.5),
        steps=3000,
        chains=1000,
        seed=9,
        windows={"tail": (1000, 3000)},
        progress=False,
    )
    assert res.estimate("grad_sq", "tail").mean == pytest.approx(lim.grad_sq, rel=0.08)


# ---- Figure 2 --------------------------------------------------------------------------------------------------


def test_figure2_setting_and_rates():
    p = figure2_problem()
    assert p.dim == 50 and np.array_equal(p.w0, np.zeros(50))
    np.testing.assert_array_equal(figure2_problem().hessian, p.hessian)  # one instance
    sgd, tt = figure2_dynamics("analog-sgd", 0.0), figure2_dynamics("tiki-taka", 0.2)
    assert sgd.alpha == FIGURE2.alpha and sgd.pulses.desired_bl == 8 and sgd.pulses.dw_min == 1e-4
    assert tt.pulses.device == LinearResponseDevice(3.5, 0.2) and tt.gamma == 0.4
    assert tt.alpha == pytest.approx(2 * FIGURE2.alpha / 0.4)
    assert tt.beta == pytest.approx(0.4**2 * tt.alpha * p.smoothness / 4)


def test_run_figure2_small():
    setting = Figure2Setting(dim=4, rows=8, steps=50, tail=10)
    res = run_figure2("tiki-taka", 0.1, chains=3, seed=1, setting=setting)
    assert res.windows["tail"] == (41, 51) and res.mean["f_gap"][-1] < res.mean["f_gap"][0]
    quiet = run_figure2("analog-sgd", 0.0, chains=2, seed=1, setting=setting, noise_std=0.0, dw_min=5e-5, max_bl=16)
    assert quiet.parameters["noise"] == "NoNoise()"


# ---- validation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: ResidualLearning(POWER, 0.1, 0.1, gamma=-0.5), "^gamma must be"),
        (lambda: ResidualLearning(POWER, 0.1, 0.1, gamma=0.5), "^problem must be the QuadraticProblem"),
        (lambda: ResidualLearning(POWER, 0.1, 0.1, gamma=0.5, problem="f"), "^problem must be a"),
        (lambda: ResidualLearning(POWER, 0.0, 0.1), "^alpha must be"),
        (lambda: ResidualLearning(POWER, 0.1, -1.0), "^beta must be"),
        (lambda: ResidualLearning("ALD", 0.1, 0.1), "^device must be"),
        (lambda: ResidualLearning(POWER, 0.1, 0.1, p_device=AsymmetricLinearDevice(0.5, 1.0)), "^p_device must hold"),
        (lambda: ResidualLearningV2(POWER, 0.1, 0.1, buffer_rate=1.5), "^buffer_rate must be"),
        (lambda: ResidualLearningV2(POWER, 0.1, 2.0), "^beta must be <= 1 when buffer_rate is None"),
        (lambda: ResidualLearningV2(POWER, 0.1, 0.1, threshold=-1.0), "^threshold must be"),
        (lambda: ResidualLearningV2(POWER, 0.1, 0.1, read_noise=-1.0), "^read_noise must be"),
        (lambda: PulsedResidualLearning(POWER, 0.1, 0.1), "^pulses must be"),
        (lambda: PulsedResidualLearning(PulseModel(POWER, 0.01), 0.1, 0.1, p_pulses=3), "^p_pulses must be"),
        (lambda: residual_learning_limit(POWER, GaussianLaw(0.5), "f"), "problem must be"),
        (lambda: residual_learning_limit(AsymmetricLinearDevice(0.5, 1.0), GaussianLaw(0.5), problem()), "p_device"),
        (lambda: figure2_dynamics("digital", 0.1), "^algorithm must be"),
        (lambda: figure2_dynamics("tiki-taka", 1.0), "^c_lin must be"),
        (lambda: Figure2Setting(rows=10**5, dim=4096), "^rows and dim must keep A"),
        (lambda: Figure2Setting(steps=10, tail=20), "^tail must be"),
        (lambda: run_figure2("analog-sgd", 0.0, chains=1, seed=1), "^chains must be"),
    ],
)
def test_bad_input_is_refused_by_name(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_the_problem_must_be_the_simulated_one():
    dyn = ResidualLearning(POWER, 0.1, 0.1, gamma=0.5, problem=scalar_quadratic(1.0, 0.3))
    with pytest.raises(ValueError, match="^problem must be the problem being simulated"):
        simulate(problem(), dyn, None, steps=2, chains=2, seed=1, progress=False)


def test_the_pulse_level_update_needs_a_generator():
    dyn = PulsedResidualLearning(PulseModel(POWER, 0.01), 0.1, 0.1)
    with pytest.raises(ValueError, match="^rng must be"):
        step(dyn, {"W": np.zeros((R, D)), "P": np.zeros((R, D))}, np.ones((R, D)))
