"""The Monte Carlo engine: calibration against an exact value, determinism, streaming, memory."""

import tracemalloc

import numpy as np
import pytest

from bounds import AsymmetricLinearDevice
from verify import (
    AnalogGD,
    AnalogSGD,
    DigitalSGD,
    GaussianNoise,
    NonFiniteError,
    RademacherNoise,
    TikiTaka,
    least_squares,
    scalar_quadratic,
    simulate,
)
from verify.experiments.settings import figure1

ALD = AsymmetricLinearDevice(tau=1.0)


def stationary_grad_sq(alpha, L, sigma):
    """Digital SGD on f = L/2 (w - w*)^2 with N(0, sigma^2) noise: e' = (1 - alpha L) e - alpha sigma z,
    so Var e = alpha sigma^2 / (L (2 - alpha L)) and E[grad^2] = L^2 Var e = alpha L sigma^2 / (2 - alpha L)."""
    return alpha * L * sigma**2 / (2 - alpha * L)


@pytest.mark.parametrize("alpha, L, sigma", [(0.5, 1.0, 1.0), (0.3, 5.0, 0.2)])
def test_calibration_digital_sgd_stationary_gradient(alpha, L, sigma):
    """The CI of the stationary E[grad^2] covers the exact value and excludes a value 5% off."""
    exact = stationary_grad_sq(alpha, L, sigma)
    burn_in = 200  # the start w0 = w* relaxes as (1 - alpha L)^(2k) <= 0.5^400: negligible
    result = simulate(
        scalar_quadratic(L, w_star=0.3),
        DigitalSGD(alpha),
        GaussianNoise(sigma),
        steps=3000,
        chains=2000,
        seed=11,
        windows={"stationary": (burn_in, 3000)},
    )
    estimate = result.estimate("grad_sq", "stationary", level=0.99)
    assert estimate.covers(exact), f"{estimate} does not cover the exact {exact}"
    for wrong in (0.95 * exact, 1.05 * exact):  # negative control
        assert not estimate.covers(wrong), f"{estimate} cannot tell {exact} from {wrong}"
    # the per-step chain means agree too (f_gap = grad^2/(2L) exactly for the scalar quadratic)
    np.testing.assert_allclose(result.mean["f_gap"], result.mean["grad_sq"] / (2 * L), rtol=1e-12)


def fig1_run(**kwargs):
    setting = figure1()
    problem = setting.problem
    options = dict(steps=40, chains=300, seed=5, chains_per_block=64, windows={"all": (0, 40), "tail": (20, 41)})
    options.update(kwargs)
    dynamics = options.pop("dynamics", TikiTaka(AsymmetricLinearDevice(3.0), 0.5 / problem.smoothness, 0.1))
    return problem, simulate(problem, dynamics, GaussianNoise(0.01), **options)


def assert_same_result(a, b):
    for name in a.mean:
        np.testing.assert_array_equal(a.mean[name], b.mean[name])
        np.testing.assert_array_equal(a.variance[name], b.variance[name])
    for window in a.window_means:
        for name in a.window_means[window]:
            np.testing.assert_array_equal(a.window_means[window][name], b.window_means[window][name])
    for name in a.final_state:
        np.testing.assert_array_equal(a.final_state[name], b.final_state[name])


def test_same_seed_gives_bit_identical_results_whatever_the_workers():
    _, first = fig1_run(workers=1)
    _, again = fig1_run(workers=1)
    _, threaded = fig1_run(workers=3)
    assert_same_result(first, again)
    assert_same_result(first, threaded)
    assert first.seed == {"entropy": 5, "spawn_key": [], "chains_per_block": 64, "bit_generator": "PCG64"}


def test_different_seeds_give_different_results():
    _, first = fig1_run(seed=5)
    _, other = fig1_run(seed=6)
    assert not np.array_equal(first.final_state["W"], other.final_state["W"])


def test_seed_sequence_is_not_consumed():
    """Passing the same SeedSequence twice gives the same run (the engine never calls spawn on it)."""
    seed = np.random.SeedSequence(123)
    _, first = fig1_run(seed=seed)
    _, again = fig1_run(seed=seed)
    assert_same_result(first, again)


def test_adding_chains_keeps_the_existing_ones():
    _, small = fig1_run(chains=128)
    _, large = fig1_run(chains=300)
    np.testing.assert_array_equal(small.final_state["W"], large.final_state["W"][:128])
    np.testing.assert_array_equal(small.window_means["tail"]["grad_sq"], large.window_means["tail"]["grad_sq"][:128])


def test_streamed_statistics_equal_those_recomputed_from_trajectories():
    """Per-step means and variances (merged over uneven blocks) and window means, recomputed from
    the stored iterates, equal what the engine streamed."""
    problem, result = fig1_run(trajectories=True, chains=301, chains_per_block=37)
    W, P = result.trajectories["W"], result.trajectories["P"]  # (K+1, R, D)
    assert W.shape == (41, 301, problem.dim)
    np.testing.assert_array_equal(W[0], np.broadcast_to(problem.w0, W[0].shape))
    np.testing.assert_array_equal(W[-1], result.final_state["W"])
    E = W - problem.w_star
    grad = E @ problem.hessian
    per_step = {
        "grad_sq": np.sum(grad**2, axis=2),
        "f_gap": 0.5 * np.sum(E * grad, axis=2),
        "w_inf": np.abs(W).max(axis=2),
        "saturation": (np.abs(W).max(axis=2) / 3.0) ** 2 / (1 - (np.abs(W).max(axis=2) / 3.0) ** 2),
        "p_inf_sq": np.abs(P).max(axis=2) ** 2,
    }
    assert set(result.statistics) == set(per_step)
    for name, values in per_step.items():  # rtol: summation order differs (float64 rounding)
        np.testing.assert_allclose(result.mean[name], values.mean(axis=1), rtol=1e-10, err_msg=name)
        # a variance is only known to about eps * mean^2 (cancellation), hence the absolute floor
        np.testing.assert_allclose(
            result.variance[name],
            values.var(axis=1, ddof=1),
            rtol=1e-8,
            atol=1e-12 * np.max(values.mean(axis=1) ** 2),
            err_msg=name,
        )
        for window, (start, stop) in result.windows.items():
            np.testing.assert_allclose(
                result.window_means[window][name],
                values[start:stop].mean(axis=0),
                rtol=1e-10,
                err_msg=f"{name} over {window}",
            )


def test_memory_does_not_grow_with_the_number_of_steps():
    """Streaming keeps memory O(R D + K): ten times the steps costs far less than keeping iterates."""
    problem = figure1().problem
    dynamics = AnalogSGD(AsymmetricLinearDevice(3.0), 0.5 / problem.smoothness)

    def peak(steps):
        tracemalloc.start()
        simulate(problem, dynamics, GaussianNoise(0.01), steps=steps, chains=512, seed=0, workers=1)
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak_bytes

    short, long = peak(100), peak(1000)
    iterates = 900 * 512 * problem.dim * 8  # what keeping the extra iterates would cost
    assert long - short < 0.05 * iterates, (short, long)


def test_trajectories_are_off_by_default_and_streams_have_k_plus_one_entries():
    _, result = fig1_run()
    assert result.trajectories is None
    assert all(values.shape == (41,) for values in result.mean.values())
    assert all(values.shape == (300,) for values in result.window_means["all"].values())


def test_statistics_depend_on_the_dynamics():
    problem = scalar_quadratic(1.0)
    digital = simulate(problem, DigitalSGD(0.1), GaussianNoise(0.1), steps=5, chains=4, seed=0)
    analog = simulate(problem, AnalogSGD(ALD, 0.1), GaussianNoise(0.1), steps=5, chains=4, seed=0)
    assert digital.statistics == ("grad_sq", "f_gap", "w_inf")
    assert analog.statistics == ("grad_sq", "f_gap", "w_inf", "saturation")


def test_single_chain_has_no_variance_and_no_interval():
    result = simulate(scalar_quadratic(1.0, 0.5, w0=0.0), AnalogGD(ALD, 0.1), steps=10, chains=1, seed=0)
    assert result.variance is None
    with pytest.raises(ValueError, match="at least 2"):
        result.estimate("grad_sq")


def test_saturation_term_is_infinite_at_the_bound_not_nan():
    """A chain sitting on the bound (s = 1) has an infinite amplification factor, reported as +inf."""
    problem = scalar_quadratic(1.0, w_star=1.0, w0=1.0)  # W* = W_0 = tau: the gradient stays 0
    result = simulate(problem, AnalogGD(ALD, 0.1), steps=3, chains=2, seed=0)
    assert np.all(np.isposinf(result.mean["saturation"]))
    assert np.all(np.isposinf(result.variance["saturation"]))
    assert np.all(result.mean["grad_sq"] == 0.0)


def test_saturation_term_formula():
    problem = scalar_quadratic(1.0, w_star=0.5, w0=0.5)  # stays at w = 0.5: s = 0.5, term = 1/3
    result = simulate(problem, AnalogGD(ALD, 0.1), steps=2, chains=2, seed=0)
    np.testing.assert_allclose(result.mean["saturation"], 1 / 3, rtol=1e-15)


def test_divergence_stops_with_the_step_named():
    """Digital GD with alpha L = 3 doubles |w - w*| each step until ||grad||^2 overflows."""
    L, alpha = 1.0, 3.0
    e, step = 1.0, 0
    while np.isfinite((L * e) * (L * e)):  # Python floats overflow to inf silently here
        e, step = (1 - alpha * L) * e, step + 1
    with pytest.raises(NonFiniteError, match=f"step {step} ") as caught:
        simulate(scalar_quadratic(L, 0.0, w0=1.0), DigitalSGD(alpha), steps=2000, chains=3, seed=0)
    assert caught.value.step == step


def test_divergence_in_a_threaded_run_reports_the_earliest_step():
    problem = scalar_quadratic(1.0, 0.0, w0=1.0)
    errors = []
    for workers in (1, 2):
        with pytest.raises(NonFiniteError) as caught:
            simulate(
                problem,
                DigitalSGD(3.0),
                RademacherNoise(0.5),
                steps=2000,
                chains=200,
                seed=1,
                chains_per_block=16,
                workers=workers,
            )
        errors.append((caught.value.step, caught.value.chain))
    assert errors[0] == errors[1]


def test_progress_bar_appears_when_asked(monkeypatch, capsys):
    monkeypatch.setattr("verify.sim.progress.DELAY_SECONDS", 0.0)
    simulate(scalar_quadratic(1.0), DigitalSGD(0.1), GaussianNoise(0.1), steps=50, chains=10, seed=0, progress=True)
    assert "chain-step" in capsys.readouterr().err


def test_least_squares_floor_of_analog_sgd_is_above_digital():
    """Sanity of the whole pipeline on a small problem: with the same noise, Analog SGD with a small
    tau settles at a higher gradient floor than digital SGD (the paper's C1 mechanism)."""
    rng = np.random.default_rng(0)
    problem = least_squares(rng.standard_normal((20, 5)) / np.sqrt(20), 0.6 * np.ones(5))
    alpha = 0.2 / problem.smoothness
    runs = {
        name: simulate(
            problem, dyn, GaussianNoise(0.05), steps=3000, chains=200, seed=3, windows={"tail": (2000, 3000)}
        )
        for name, dyn in {"digital": DigitalSGD(alpha), "analog": AnalogSGD(ALD, alpha)}.items()
    }
    digital, analog = (runs[name].estimate("grad_sq", "tail") for name in ("digital", "analog"))
    assert analog.low > digital.high, (digital, analog)
