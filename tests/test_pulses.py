"""Pulse updates (bounds/pulses.py, verify/sim/pulses.py) and the claims C3, C4 (verify/claims/checks/pulses.py).

Tolerances: the closed form and the pulse-by-pulse loop are both float64 evaluations of at most ~100
affine steps on weights of size <= 3, so they agree to ~100 ulp(3) ~ 7e-14; 1e-12 is used. Count laws are
tested with intervals of 5 standard errors (two-sided miss probability 6e-7 per assertion).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from bounds import symbols as S
from bounds.devices import AsymmetricLinearDevice, ExponentialStepDevice, PowerStepDevice, SoftBoundsDevice
from bounds.pulses import composition_expression, composition_proof, n_pulses, single_pulse_expression
from verify.claims.checks import pulses as CP
from verify.claims.registry import CLAIMS, Profile, claim_seed, run_claim
from verify.sim.pulses import COUNTING_MODES, PulseModel, first_order_remainder, pulse_loop

CLOSED = [
    AsymmetricLinearDevice(tau=1.3, w_sp=0.1),
    SoftBoundsDevice(tau_max=1.2, tau_min=-0.7, w_sp=0.05),
    AsymmetricLinearDevice(tau=0.02),
]  # the last: dw_min > tau, one pulse overshoots the bound
Z = 5.0


def _start(device, rng, shape=(40, 9)):
    return rng.uniform(device.w_min, device.w_max, shape)


# ---- bounds: the closed form proved ------------------------------------------------------------------
def test_composition_proved_by_induction_and_explicitly():
    records = composition_proof()
    assert len(records) == 8 and all(r["outcome"] == "proved" for r in records), records


def test_wrong_closed_form_fails_the_induction_step():
    """Negative control: r^(n+1) in place of r^n is not a fixed point of the induction."""
    wrong = composition_expression("ald", 1, n_pulses + 1)
    step = single_pulse_expression("ald", 1, wrong) - composition_expression("ald", 1, n_pulses + 2)
    assert sp.simplify(step) == 0  # the step alone holds ...
    assert sp.simplify(wrong.subs(n_pulses, 0) - S.w) != 0  # ... but the base case fails


# ---- closed form vs the pulse-by-pulse loop --------------------------------------------------------------
@pytest.mark.parametrize("counting", COUNTING_MODES)
@pytest.mark.parametrize("device", CLOSED, ids=["ald", "soft_bounds", "ald_overshoot"])
def test_closed_form_matches_pulse_loop(device, counting):
    rng = np.random.default_rng(1)
    W = _start(device, rng)
    dW = rng.normal(0, 0.08, W.shape)
    dW[0, :3] = 0.0
    model = PulseModel(device, dw_min=0.01 if device.w_max - device.w_min > 0.1 else 0.03, counting=counting)
    assert model.closed_form
    fast = W.copy()
    model.apply_update(fast, dW.copy(), np.random.default_rng(7), np.empty_like(W))
    counts = model.pulse_counts(dW, np.random.default_rng(7))
    slow = W.copy()
    pulse_loop(device, slow, counts, model.dw_min)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
    assert np.all(fast[0, :3] == W[0, :3])


@pytest.mark.parametrize(
    "device",
    [
        PowerStepDevice(tau_max=1.0, tau_min=-1.0, gamma_plus=0.5, gamma_minus=2.0),
        ExponentialStepDevice(tau_max=1.0, tau_min=-1.0, gamma_plus=2.0),
    ],
)
def test_other_devices_loop_pulse_by_pulse(device):
    rng = np.random.default_rng(2)
    W = _start(device, rng, (5, 4))
    model = PulseModel(device, dw_min=0.05, counting="deterministic")
    assert not model.closed_form
    dW = np.full(W.shape, 0.04)  # one pulse each: exactly (15)
    out = W.copy()
    model.apply_update(out, dW.copy(), None, np.empty_like(W))
    np.testing.assert_allclose(out, W + 0.05 * device.q_plus(W), rtol=0, atol=1e-15)


def test_cycle_to_cycle_noise_is_seeded_and_centred():
    device = AsymmetricLinearDevice(tau=1.0)
    noisy = PulseModel(device, 0.01, "deterministic", dw_min_std=0.3)
    assert not noisy.closed_form
    W = np.zeros((2000, 3))
    dW = np.full(W.shape, 0.05)
    outs = []
    for _ in range(2):
        out = W.copy()
        noisy.apply_update(out, dW.copy(), np.random.default_rng(5), np.empty_like(W))
        outs.append(out)
    np.testing.assert_array_equal(*outs)
    exact = W.copy()
    PulseModel(device, 0.01, "deterministic").apply_update(exact, dW.copy(), None, np.empty_like(W))
    # 5 pulses, each of relative std 0.3: the mean over 6000 weights is within ~5 * 0.3 * 0.05/sqrt(5 * 6000)
    assert abs(outs[0].mean() - exact.mean()) < Z * 0.3 * 0.05 / np.sqrt(5 * outs[0].size) * 1.2


def test_remainder_formula_matches_simulation():
    rng = np.random.default_rng(3)
    for device in CLOSED[:2]:
        W = _start(device, rng)
        dW = rng.normal(0, 0.05, W.shape)
        moved = W.copy()
        PulseModel(device, 0.01, "deterministic").apply_update(moved, dW.copy(), None, np.empty_like(W))
        np.testing.assert_allclose(
            moved - device.update(W, dW), first_order_remainder(device, W, dW, 0.01), rtol=0, atol=1e-14
        )


# ---- count laws ------------------------------------------------------------------------------------------
def test_deterministic_counts_are_ceil():
    model = PulseModel(AsymmetricLinearDevice(tau=1.0), 0.1, "deterministic")
    counts = model.pulse_counts(np.array([[0.0, 0.05, -0.25, 0.3000001, -1e-9]]), None)
    np.testing.assert_array_equal(counts, [[0, 1, -3, 4, -1]])


def test_stochastic_rounding_mean_and_variance():
    model = PulseModel(AsymmetricLinearDevice(tau=1.0), 0.1, "stochastic_rounding")
    dW = np.tile([0.03, -0.27, 0.5], (200_000, 1))
    counts = model.pulse_counts(dW, np.random.default_rng(4))
    frac = np.array([0.3, 0.7, 0.0])
    mean = np.abs(dW[0]) / 0.1
    var = frac * (1 - frac)
    se = np.sqrt(var / len(dW))
    assert np.all(np.abs(np.abs(counts).mean(0) - mean) <= Z * se + 1e-12)
    np.testing.assert_allclose(np.abs(counts).var(0), var, atol=Z * np.sqrt(2 / len(dW)) * 0.25 + 1e-12)
    assert np.all(np.sign(counts)[counts != 0] == np.sign(dW)[counts != 0])


@pytest.mark.parametrize("update_management", [True, False])
@pytest.mark.parametrize("bl_management", [True, False])
def test_pulse_train_counts_are_binomial(bl_management, update_management):
    model = PulseModel(
        AsymmetricLinearDevice(tau=1.0),
        0.01,
        "stochastic_trains",
        desired_bl=31,
        bl_management=bl_management,
        update_management=update_management,
    )
    R = 100_000
    dW = np.tile([0.05, -0.02, 0.004], (R, 1))
    m = 0.05
    BL = min(np.ceil(m / 0.01), 31) if bl_management else 31
    if update_management:
        p = np.minimum(1, np.abs(dW[0]) / (0.01 * BL))
    else:
        p = np.minimum(1, np.abs(dW[0]) / np.sqrt(m * 0.01 * BL)) * min(1, np.sqrt(m / (0.01 * BL)))
    counts = np.abs(model.pulse_counts(dW, np.random.default_rng(6)))
    mean, var = BL * p, BL * p * (1 - p)
    assert np.all(np.abs(counts.mean(0) - mean) <= Z * np.sqrt(var / R) + 1e-12)
    assert np.all(np.abs(counts.var(0) - var) <= Z * np.sqrt(2 / R) * var + 1e-3)
    assert counts.max() <= BL
    if update_management and bl_management:  # unclipped: E|n| = |dW|/dw_min
        np.testing.assert_allclose(mean, np.abs(dW[0]) / 0.01)


def test_pulse_trains_truncate_at_desired_bl():
    model = PulseModel(AsymmetricLinearDevice(tau=1.0), 0.01, "stochastic_trains", desired_bl=5)
    counts = model.pulse_counts(np.full((1000, 2), 0.5), np.random.default_rng(0))
    assert np.all(counts == 5)  # p clipped to 1: the update is truncated at BL


def test_counts_are_deterministic_given_the_seed():
    model = PulseModel(SoftBoundsDevice(1.0, -1.0), 0.01, "stochastic_trains", desired_bl=31)
    dW = np.random.default_rng(0).normal(0, 0.1, (50, 6))
    a = model.pulse_counts(dW, np.random.default_rng(9))
    b = model.pulse_counts(dW, np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)
    assert np.all(a == np.round(a)) and a.dtype == np.float64 and a.shape == dW.shape


# ---- validation --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"dw_min": 0.0}, "dw_min"),
        ({"dw_min": float("nan")}, "dw_min"),
        ({"counting": "ceil"}, "counting"),
        ({"desired_bl": 0}, "desired_bl"),
        ({"desired_bl": 2.5}, "desired_bl"),
        ({"bl_management": 1}, "bl_management"),
        ({"update_management": "yes"}, "update_management"),
        ({"dw_min_std": -0.1}, "dw_min_std"),
        ({"device": "ald"}, "device"),
    ],
)
def test_validation_names_the_parameter(kwargs, name):
    args = {"device": AsymmetricLinearDevice(tau=1.0), "dw_min": 0.01, **kwargs}
    with pytest.raises(ValueError, match=name):
        PulseModel(**args)


def test_stochastic_modes_require_a_generator():
    model = PulseModel(AsymmetricLinearDevice(tau=1.0), 0.01)
    with pytest.raises(ValueError, match="rng"):
        model.pulse_counts(np.ones((1, 1)), None)


# ---- C3, C4: properties and checks --------------------------------------------------------------------------
_taus = st.floats(0.1, 10.0)
_unit = st.floats(-1.0, 1.0)


@given(tau=_taus, u=_unit, rel_min=st.floats(1e-4, 0.5), rel_dw=st.floats(-1.0, 1.0))
def test_corrected_eq20_holds(tau, u, rel_min, rel_dw):
    """|U_p^BL - U| <= q_s(w) max(dw_min, BL(BL-1) dw_min^2/(2 tau)) for the ALD (relative slack 1e-9)."""
    w, dmin, dw = u * tau, rel_min * tau, rel_dw * tau
    device = AsymmetricLinearDevice(tau=tau)
    n = np.ceil(abs(dw) / dmin)
    R = abs(float(first_order_remainder(device, w, dw, dmin)))
    q = float(device.q_plus(w) if dw >= 0 else device.q_minus(w))
    assert R <= q * max(dmin, dmin**2 * n * (n - 1) / (2 * tau)) * (1 + 1e-9) + 1e-15


@given(tau=st.floats(0.6, 10.0), k=st.integers(1, 4), f=st.floats(1e-4, 0.5), rel_min=st.floats(1e-4, 1e-2))
def test_eq20_as_printed_fails_at_the_far_end(tau, k, f, rel_min):
    """At w = -tau (q_+ = 2), dw = (k + f) dw_min: the error ~ 2 dw_min(1 - f) exceeds dw_min/tau + dw^2/(2 tau)
    once tau > 1/2 and dw_min is small (the printed first term lacks the factor q_s(w) tau)."""
    dmin = rel_min * tau
    dw = (k + f) * dmin
    assume(2 * (1 - f) * tau > 1.05 + (k + 1) ** 2 * rel_min * tau * tau)
    R = abs(float(first_order_remainder(AsymmetricLinearDevice(tau=tau), -tau, dw, dmin)))
    assert R > dmin / tau + dw**2 / (2 * tau)


def test_c4_search_finds_the_violation_and_the_corrected_bound_holds():
    found = CP.c4_search(np.random.SeedSequence(1), size=20_000)
    assert found["max_ratio"] > 2 and found["violations"] > 0
    assert found["max_ratio_corrected"] <= 1 + 1e-9
    assert abs(found["exact_ratio_at_worst"] - found["max_ratio"]) < 1e-9 * found["max_ratio"]


def test_c3_constant_bounded_and_control_grows():
    """The constant stays put; the nearest wrong exponent 1.2 makes its constant grow ~10^0.6 over the scales."""
    growth = CLAIMS["C3"].tolerance.value
    exponent = CP.c3_control_exponent(growth, 3)
    assert exponent == pytest.approx(1 + 2 * np.log10(2) / 3)
    scales = CP.c3_scales(np.random.SeedSequence(2), size=5_000, control_exponent=exponent)
    for kind in ("ald", "soft_bounds"):
        c, ctrl = scales[kind]["constant"], scales[kind]["control_constant"]
        assert max(c) / min(c) < 1.5 and max(c) <= 6.0 + 1e-9
        assert ctrl[-1] / ctrl[0] > growth


@pytest.mark.parametrize("claim_id, verdict", [("C3", "confirmed"), ("C4", "refuted")])
def test_claim_checks(claim_id, verdict):
    """C3 confirmed with its nearest wrong statement refuted; C4 refuted (substantive) with its corrected bound
    confirmed."""
    quick = Profile("quick", chains=1000, step_scale=1.0, fixed_level=1 - 0.05 / 57)
    start = time.perf_counter()
    result = run_claim(CLAIMS[claim_id], quick, claim_seed(claim_id))
    assert time.perf_counter() - start < 3.0
    assert result.id == claim_id and result.verdict == verdict and result.control_as_expected
    assert result.model == CLAIMS[claim_id].model
    if verdict == "refuted":
        assert result.negative_control["role"] == "corrected statement"
        assert result.kind == "refuted" and CLAIMS[claim_id].intended is None
        assert "corrected bound" in result.details["supports"] and result.empirical > 1
        assert result.details["max_ratio_corrected"] == pytest.approx(1.0, abs=1e-3)  # attained: tight
    else:
        assert result.negative_control["verdict"] == "refuted" and result.negative_control["margin"]


# ---------------------------------------------------------------------------------------------------------
# device-to-device spread
# ---------------------------------------------------------------------------------------------------------


def test_device_spread_is_empty_without_spread_and_has_the_stated_law():
    assert PulseModel(AsymmetricLinearDevice(1.0), 0.01).device_spread((3, 4), None) == {}
    model = PulseModel(AsymmetricLinearDevice(2.0), 0.01, dw_min_dtod=0.2, bound_dtod=0.1)
    spread = model.device_spread((400, 50), np.random.default_rng(5))
    factor = spread["dw_min"] / 0.01
    # 20000 draws: the sample mean and std of 1 + 0.2 xi are within 5 standard errors of 1 and 0.2
    assert abs(factor.mean() - 1.0) < 5 * 0.2 / np.sqrt(factor.size)
    assert abs(factor.std() - 0.2) < 5 * 0.2 / np.sqrt(2 * factor.size)
    assert np.all(spread["b_up"] > 0) and np.all(spread["b_down"] < 0)
    assert abs(spread["b_up"].mean() / 2.0 - 1.0) < 5 * 0.1 / np.sqrt(factor.size)


def test_spread_update_equals_each_weight_as_its_own_device():

    model = PulseModel(
        AsymmetricLinearDevice(1.0, w_sp=0.1), 0.02, counting="deterministic", dw_min_dtod=0.3, bound_dtod=0.2
    )
    rng = np.random.default_rng(7)
    spread = model.device_spread((3, 4), rng)
    W0 = rng.uniform(-0.5, 0.5, (3, 4))
    dW = rng.uniform(-0.3, 0.3, (3, 4))
    W = W0.copy()
    model.apply_update(W, dW.copy(), None, np.empty_like(W), spread)
    for i, j in np.ndindex(W.shape):
        own = SoftBoundsDevice(tau_max=spread["b_up"][i, j], tau_min=spread["b_down"][i, j], w_sp=0.1)
        expected = np.array([[W0[i, j]]])
        n = np.ceil(abs(dW[i, j]) / 0.02) * np.sign(dW[i, j])  # counts use the nominal dw_min
        pulse_loop(own, expected, np.array([[n]]), spread["dw_min"][i, j])
        assert W[i, j] == pytest.approx(expected[0, 0], rel=1e-12, abs=1e-14)


def test_spread_validation_names_the_parameter():

    with pytest.raises(ValueError, match="bound_dtod > 0 needs"):
        PulseModel(PowerStepDevice(1.0, -1.0), 0.01, bound_dtod=0.1)
    with pytest.raises(ValueError, match="dw_min_dtod must be a finite real number >= 0"):
        PulseModel(AsymmetricLinearDevice(1.0), 0.01, dw_min_dtod=-0.1)


def test_engine_carries_the_spread_in_the_state_deterministically():
    from verify import GaussianNoise, scalar_quadratic, simulate
    from verify.sim.dynamics import PulsedAnalogSGD

    problem, noise = scalar_quadratic(L=1.0, w_star=0.3), GaussianNoise(0.1)
    plain = PulsedAnalogSGD(PulseModel(AsymmetricLinearDevice(1.0), 0.01), alpha=0.1)
    spread = PulsedAnalogSGD(PulseModel(AsymmetricLinearDevice(1.0), 0.01, dw_min_dtod=0.3, bound_dtod=0.2), alpha=0.1)
    runs = [
        simulate(problem, dyn, noise, steps=50, chains=64, seed=3, progress=False) for dyn in (plain, spread, spread)
    ]
    assert set(runs[0].final_state) == {"W"}
    assert set(runs[1].final_state) == {"W", "W_dw_min", "W_b_up", "W_b_down"}
    for name in runs[1].final_state:
        np.testing.assert_array_equal(runs[1].final_state[name], runs[2].final_state[name])
    assert np.unique(runs[1].final_state["W_dw_min"]).size == 64  # one device per weight
    assert not np.array_equal(runs[0].final_state["W"], runs[1].final_state["W"])


# ---- issue 15: bounds.pulses refuses bad input by name and caps its loop -----------------------------------
def test_issue15_composition_proof_is_capped():
    """Reproducer: ``composition_proof(max_explicit=...)`` was unbounded (n = 20 ran for minutes)."""
    from bounds.pulses import MAX_EXPLICIT

    start = time.perf_counter()
    for bad in (10**6, MAX_EXPLICIT + 1, 0, -3, 2.5, None, True):
        with pytest.raises(ValueError, match=r"^max_explicit must be an integer"):
            composition_proof(max_explicit=bad)
    assert time.perf_counter() - start < 1.0  # refused up front
    with pytest.raises(ValueError, match=r"in \[1, 10\] \(the explicit composition grows with n"):
        composition_proof(max_explicit=11)


def test_issue15_pulse_counts_refuse_bad_input_by_name():
    from bounds.pulses import bit_length, pulse_ratio, snap_to_integer

    with pytest.raises(ValueError, match="^dw must be an array of finite real numbers"):
        bit_length(None, 0.001)
    with pytest.raises(ValueError, match="^step must have every entry > 0"):
        pulse_ratio(0.5, [0.1, 0.0])
    with pytest.raises(ValueError, match=r"\|dw\|/step is beyond float64 .* at dw=1e\+300, step=1e-300"):
        pulse_ratio([0.5, 1e300], 1e-300)
    with pytest.raises(ValueError, match="^dw and step must broadcast"):
        pulse_ratio([0.5, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="^ratio must contain only finite values"):
        snap_to_integer([1.0, float("inf")])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: single_pulse_expression(["ald"], 1), "^kind must be one of"),
        (lambda: single_pulse_expression("ald", np.array([1, -1])), r"^sign must be \+1 or -1"),
        (lambda: single_pulse_expression("ald", True), r"^sign must be \+1 or -1"),
        (lambda: single_pulse_expression("ald", 1, "w"), "^w must be a sympy expression"),
        (lambda: composition_expression("ald", 1, 2.5), "^n must be an integer >= 0"),
        (lambda: composition_expression("ald", 1, sp.Rational(1, 2)), "^n must be a non-negative integer"),
        (lambda: composition_expression("ald", 1, n_pulses, sp.nan), "^w must be a finite sympy expression"),
    ],
)
def test_issue15_symbolic_pulse_functions_name_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
