"""The engine's compiled kernels (verify.sim.kernels) and the pulse counts' Binomial sampler (verify.sim.sampling).

The kernels must give the numpy path's numbers bit for bit (same random streams, same arithmetic), fail the
same way on a diverging run, and not depend on the number of threads; the sampler must draw the Binomial law
(a chi-square goodness-of-fit test at a fixed level, with a negative control it must reject).
"""

import numpy as np
import pytest
from scipy import stats

from bounds.devices import AsymmetricLinearDevice, PowerResponseDevice, SoftBoundsDevice
from verify.experiments.settings import figure1
from verify.sim import kernels
from verify.sim.dynamics import (
    AnalogGD,
    AnalogSGD,
    DigitalSGD,
    PulsedAnalogSGD,
    PulsedTikiTaka,
    TikiTaka,
)
from verify.sim.engine import NonFiniteError, simulate
from verify.sim.noise import GaussianNoise, NoNoise, RademacherNoise, TwoPointNoise
from verify.sim.problems import least_squares, scalar_quadratic
from verify.sim.pulses import PulseModel
from verify.sim.sampling import binomial_block

PROBLEM = figure1().problem
ALPHA = 0.5 / PROBLEM.smoothness
ALD = AsymmetricLinearDevice(tau=3.0)
SHIFTED = AsymmetricLinearDevice(tau=3.0, w_sp=0.1)


def _pulsed(device=ALD, dw_min=1e-3, **options):
    return PulseModel(device, dw_min, **options)


FUSED = {
    "digital": (DigitalSGD(ALPHA), GaussianNoise(0.01)),
    "analog-sgd": (AnalogSGD(ALD, ALPHA), GaussianNoise(0.01)),
    "analog-sgd-w_sp-rademacher": (AnalogSGD(SHIFTED, ALPHA), RademacherNoise(0.01)),
    "analog-sgd-per-coordinate-std": (AnalogSGD(ALD, ALPHA), GaussianNoise(np.linspace(0.0, 0.02, 40))),
    "analog-gd": (AnalogGD(ALD, ALPHA), None),
    "tiki-taka": (TikiTaka(ALD, ALPHA, beta=0.1), GaussianNoise(0.01)),
    "tiki-taka-own-p-device": (TikiTaka(ALD, ALPHA, beta=0.1, p_device=SHIFTED), GaussianNoise(0.02)),
    "pulsed-trains-bl31": (PulsedAnalogSGD(_pulsed(counting="stochastic_trains"), ALPHA), GaussianNoise(0.01)),
    "pulsed-trains-bl800": (
        PulsedAnalogSGD(_pulsed(counting="stochastic_trains", desired_bl=800), ALPHA),
        GaussianNoise(0.01),
    ),
    "pulsed-trains-no-management": (
        PulsedAnalogSGD(_pulsed(counting="stochastic_trains", bl_management=False, update_management=False), ALPHA),
        GaussianNoise(0.01),
    ),
    "pulsed-rounding": (PulsedAnalogSGD(_pulsed(counting="stochastic_rounding"), ALPHA), GaussianNoise(0.01)),
    "pulsed-deterministic-w_sp": (
        PulsedAnalogSGD(_pulsed(SHIFTED, 1e-2, counting="deterministic"), ALPHA),
        RademacherNoise(0.01),
    ),
    "pulsed-overshooting": (PulsedAnalogSGD(_pulsed(AsymmetricLinearDevice(tau=0.5), 0.6), 0.05), GaussianNoise(0.1)),
    "pulsed-tiki-taka": (PulsedTikiTaka(_pulsed(counting="stochastic_trains"), ALPHA, beta=0.1), GaussianNoise(0.01)),
}


def _run(dynamics, noise, fused, **options):
    settings = dict(steps=30, chains=37, seed=11, chains_per_block=16, windows={"all": (0, 30), "tail": (20, 31)})
    return simulate(PROBLEM, dynamics, noise, fused=fused, **(settings | options))


@pytest.mark.parametrize("name", FUSED)
def test_the_fused_kernels_give_the_numpy_paths_numbers_bit_for_bit(name):
    dynamics, noise = FUSED[name]
    assert kernels.fused_step(dynamics, noise or NoNoise(), PROBLEM.dim) is not None
    fused, numpy_path = _run(dynamics, noise, True), _run(dynamics, noise, False)
    for key in numpy_path.final_state:
        np.testing.assert_array_equal(fused.final_state[key], numpy_path.final_state[key])
    for statistic in numpy_path.statistics:
        np.testing.assert_array_equal(fused.mean[statistic], numpy_path.mean[statistic])
        np.testing.assert_array_equal(fused.variance[statistic], numpy_path.variance[statistic])
        for window in numpy_path.windows:
            np.testing.assert_array_equal(
                fused.window_means[window][statistic], numpy_path.window_means[window][statistic]
            )
    # the run moved: a kernel that did nothing would fail here
    assert not np.array_equal(fused.final_state["W"], np.broadcast_to(PROBLEM.w0, fused.final_state["W"].shape))


def test_pulse_counts_past_the_table_agree_to_an_ulp():
    """Counts above kernels.FRACTION_TABLE take ``-expm1(|n| log r)`` from the C library, numpy from its own
    vectorised expm1: the two may differ in the last bit (deterministic counting, so no later draw depends on it)."""
    dynamics = PulsedAnalogSGD(_pulsed(dw_min=1e-7, counting="deterministic"), ALPHA)
    fused, numpy_path = _run(dynamics, GaussianNoise(0.01), True), _run(dynamics, GaussianNoise(0.01), False)
    assert np.abs(fused.final_state["W"]).max() > 0.1  # counts of thousands of pulses did move W
    np.testing.assert_allclose(fused.final_state["W"], numpy_path.final_state["W"], rtol=0, atol=1e-14)


@pytest.mark.parametrize("name", ["analog-sgd", "pulsed-trains-bl31", "pulsed-tiki-taka"])
def test_the_fused_kernels_do_not_depend_on_the_number_of_threads(name):
    dynamics, noise = FUSED[name]
    one, two = _run(dynamics, noise, True, workers=1), _run(dynamics, noise, True, workers=3)
    np.testing.assert_array_equal(one.final_state["W"], two.final_state["W"])
    np.testing.assert_array_equal(one.mean["grad_sq"], two.mean["grad_sq"])


NUMPY_ONLY = {
    "soft-bounds device": (AnalogSGD(SoftBoundsDevice(tau_max=1.0, tau_min=-2.0), 0.1), GaussianNoise(0.01)),
    "power response": (AnalogSGD(PowerResponseDevice(tau=1.0, gamma=2.0), 0.1), GaussianNoise(0.01)),
    "two-point noise": (AnalogSGD(ALD, 0.1), TwoPointNoise(sigma=0.1, tau=3.0)),
    "device-to-device spread": (PulsedAnalogSGD(_pulsed(dw_min_dtod=0.3), 0.1), GaussianNoise(0.01)),
    "cycle-to-cycle noise": (PulsedAnalogSGD(_pulsed(dw_min_std=0.3), 0.1), GaussianNoise(0.01)),
}


@pytest.mark.parametrize("name", NUMPY_ONLY)
def test_dynamics_the_kernels_do_not_cover_take_the_numpy_path(name):
    dynamics, noise = NUMPY_ONLY[name]
    assert kernels.fused_step(dynamics, noise, 1) is None
    result = simulate(scalar_quadratic(L=1.0, w_star=0.3), dynamics, noise, steps=5, chains=4, seed=0)
    assert np.isfinite(result.mean["grad_sq"]).all()


@pytest.mark.parametrize(
    "dynamics",
    [DigitalSGD(2.5), AnalogSGD(AsymmetricLinearDevice(tau=1e6), 2.5)],
    ids=["digital", "analog"],
)
def test_a_diverging_run_fails_at_the_same_step_and_chain_on_both_paths(dynamics):
    data = np.random.default_rng(1).standard_normal((20, 8))
    problem = least_squares(data, np.zeros(8))  # alpha = 2.5 is far above 2/L: the iterates blow up
    errors = []
    for fused in (True, False):
        with pytest.raises(NonFiniteError) as caught:
            simulate(problem, dynamics, GaussianNoise(0.1), steps=3000, chains=6, seed=2, fused=fused)
        errors.append((caught.value.step, caught.value.chain, caught.value.statistic))
    assert errors[0] == errors[1]


def test_fused_must_be_a_bool():
    with pytest.raises(ValueError, match="fused must be True or False"):
        simulate(PROBLEM, AnalogSGD(ALD, ALPHA), None, steps=2, chains=2, fused="yes")


# ---------------------------------------------------------------------------------------------------------------
# the Binomial sampler
# ---------------------------------------------------------------------------------------------------------------

#: the goodness-of-fit test rejects at this p-value (fixed before any run: 1e-4 over the handful of laws below)
LEVEL = 1e-4
DRAWS = 200_000


def _draws(n: int, p: float, seed: int) -> np.ndarray:
    columns = 50
    out = np.empty((DRAWS // columns, columns))
    binomial_block(np.full(out.shape[0], float(n)), np.full(out.shape, p), np.random.default_rng(seed), out)
    return out.ravel()


def _fit_p_value(sample: np.ndarray, n: int, p: float) -> float:
    """Chi-square goodness of fit of ``sample`` to Binomial(n, p), tails pooled until each bin expects >= 20."""
    support = np.arange(n + 1)
    expected = stats.binom.pmf(support, n, p) * sample.size
    observed = np.bincount(sample.astype(np.int64), minlength=n + 1).astype(float)
    keep = expected >= 20
    lo, hi = np.flatnonzero(keep)[[0, -1]]
    e = np.concatenate([[expected[: lo + 1].sum()], expected[lo + 1 : hi], [expected[hi:].sum()]])
    o = np.concatenate([[observed[: lo + 1].sum()], observed[lo + 1 : hi], [observed[hi:].sum()]])
    return float(stats.chisquare(o, e).pvalue)


LAWS = [(1, 0.3), (2, 0.5), (31, 0.12), (31, 0.84), (64, 0.4), (800, 0.01), (800, 0.3), (5000, 0.5)]


@pytest.mark.parametrize(("n", "p"), LAWS, ids=[f"n{n}-p{p}" for n, p in LAWS])
def test_the_sampler_draws_the_binomial_law(n, p):
    sample = _draws(n, p, seed=n)
    assert sample.min() >= 0 and sample.max() <= n and np.array_equal(sample, np.rint(sample))
    assert _fit_p_value(sample, n, p) > LEVEL
    # negative control: the same test rejects the law 5% off in p (its mean moves by ~20 standard errors or more)
    assert _fit_p_value(sample, n, p * 1.05 if p < 0.9 else p * 0.95) < LEVEL


def test_the_sampler_edge_cases():
    out = np.empty((3, 3))
    p = np.array([[0.0, 1.0, np.nan], [0.0, 1.0, 0.5], [1e-300, 1.0 - 1e-16, 0.5]])
    binomial_block(np.array([5.0, 0.0, 1.0]), p, np.random.default_rng(0), out)
    assert out[0, :2].tolist() == [0.0, 5.0] and np.isnan(out[0, 2])
    assert out[1].tolist() == [0.0, 0.0, 0.0]
    assert out[2, 0] == 0.0 and out[2, 1] in (0.0, 1.0) and out[2, 2] in (0.0, 1.0)


def test_the_pulse_counts_use_the_sampler():
    """PulseModel.pulse_counts (the numpy path) and the kernel share one law and one stream."""
    model = _pulsed(counting="stochastic_trains")
    dW = np.random.default_rng(3).normal(0.0, 5e-3, size=(64, 40))
    counts = model.pulse_counts(dW, np.random.default_rng(4))
    m = np.abs(dW).max(axis=1)
    bl = np.minimum(np.ceil(m / 1e-3), 31)
    expected = np.empty_like(dW)
    p = np.minimum(1.0, np.abs(dW) / (1e-3 * bl[:, None]))
    binomial_block(bl, p, np.random.default_rng(4), expected)
    np.testing.assert_array_equal(np.abs(counts), expected)
