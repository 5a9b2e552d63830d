"""The response-function calculus (bounds.response), the 2025 paper's devices and the one-definition factory."""

from __future__ import annotations

import pickle

import mpmath
import numpy as np
import pytest
import sympy as sp

from bounds import symbols as S
from bounds.asymptotics import scalar_asymptotics
from bounds.devices import (
    C_LIN,
    AsymmetricLinearDevice,
    ExponentialResponseDevice,
    LinearResponseDevice,
    PowerResponseDevice,
    SoftBoundsDevice,
    define_device,
)
from bounds.noise_laws import GaussianLaw, RademacherLaw
from bounds.response import (
    LINEARISED,
    R_PRIME,
    NoSymmetricPointError,
    accumulated_asymmetry,
    accumulated_asymmetry_value,
    box_extrema,
    definition1,
    effective_update,
    implicit_penalty,
    penalised_gradient,
    penalised_minimiser,
    response_expressions,
    stationary_point,
    symmetric_point,
    symmetric_points,
)
from verify.sim.dynamics import AnalogSGD
from verify.sim.engine import simulate
from verify.sim.noise import RademacherNoise
from verify.sim.problems import scalar_quadratic

GAMMAS = (0.5, 1.0, 2.0, 4.0)


# ---- the ALD and the linear device with bias ----------------------------------------------------------
def test_ald_calculus_symbolic():
    """c_Lin = 0: F = 1, G = R = w/tau, R_c = w^2/(2 tau) + const, saturation 1 - w^2/tau^2."""
    e = response_expressions(LinearResponseDevice)
    ald = {C_LIN: 0}
    assert sp.simplify(e.F.subs(ald)) == 1
    assert sp.simplify(e.G.subs(ald) - S.w / S.tau) == 0
    assert sp.simplify(e.R.subs(ald) - S.w / S.tau) == 0
    assert sp.simplify(e.saturation.subs(ald) - (1 - S.w**2 / S.tau**2)) == 0
    Rc = accumulated_asymmetry(AsymmetricLinearDevice).subs(S.w_sp, 0)
    assert sp.simplify(Rc - S.w**2 / (2 * S.tau)).free_symbols <= {S.tau}  # w^2/(2 tau) + const
    assert sp.simplify(Rc - (S.w**2 - S.tau**2) / (2 * S.tau)) == 0  # lower limit tau_min = -tau (43)


@pytest.mark.parametrize("tau", [0.5, 2.0, 3.5])
def test_ald_instance_closed_form_and_quadrature_agree(tau):
    dev = LinearResponseDevice(tau)
    Rc = accumulated_asymmetry(dev)
    for w in (-0.4 * tau, 0.0, 0.7 * tau):
        exact = float(Rc.subs(S.w, sp.Rational(repr(w))))
        assert exact == pytest.approx((w**2 - tau**2) / (2 * tau), rel=1e-14, abs=1e-15)
        assert accumulated_asymmetry_value(dev, w) == pytest.approx(exact, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("c", [-0.6, -0.3, 0.0, 0.3, 0.9])
def test_linear_bias_symmetric_point_is_c_tau(c):
    dev = LinearResponseDevice(tau=2.0, c_lin=c)
    assert symmetric_point(dev) == pytest.approx(2.0 * c, abs=1e-13)
    assert sp.solve(response_expressions(LinearResponseDevice).G, S.w) == [C_LIN * S.tau]
    # R_c (a log form for c != 0) against quadrature
    w = 0.5
    assert float(accumulated_asymmetry(dev).subs(S.w, sp.Rational(1, 2))) == pytest.approx(
        accumulated_asymmetry_value(dev, w), rel=1e-12, abs=1e-14
    )


def test_linear_bias_refuses_c_at_or_beyond_one():
    for c in (1.0, -1.0, 1.5):
        with pytest.raises(ValueError, match="c_lin"):
            LinearResponseDevice(1.0, c)


# ---- power and exponential responses ------------------------------------------------------------------
@pytest.mark.parametrize("cls", [PowerResponseDevice, ExponentialResponseDevice])
def test_power_and_exponential_q_at_zero_and_saturation(cls):
    e = response_expressions(cls)
    assert sp.simplify(e.q_plus.subs(S.w, 0)) == 1 and sp.simplify(e.q_minus.subs(S.w, 0)) == 1
    assert sp.simplify(e.q_plus.subs(S.w, S.tau)) == 0 and sp.simplify(e.q_minus.subs(S.w, -S.tau)) == 0
    for gamma in GAMMAS:
        dev = cls(tau=0.8, gamma=gamma)
        assert float(dev.q_plus(0.0)) == pytest.approx(1.0) and float(dev.q_minus(0.0)) == pytest.approx(1.0)
        assert float(dev.q_plus(0.8)) == 0.0 and float(dev.q_minus(-0.8)) == 0.0
        assert abs(symmetric_point(dev)) < 1e-15
        sat = [c for c in definition1(dev).conditions if "saturation" in c.statement]
        assert all(c.holds for c in sat)


def test_power_gamma_one_is_the_ald():
    p, a = PowerResponseDevice(1.5, 1.0), AsymmetricLinearDevice(1.5)
    w = np.linspace(-1.5, 1.5, 31)
    np.testing.assert_allclose(p.q_plus(w), a.q_plus(w), atol=1e-15)
    np.testing.assert_allclose(p.q_minus(w), a.q_minus(w), atol=1e-15)


def test_exponential_tends_to_the_ald():
    w = np.linspace(-1, 1, 21)
    dev = ExponentialResponseDevice(1.0, 1e-6)
    np.testing.assert_allclose(dev.G(w), w, atol=1e-5)


def test_closed_form_r_c_of_power_and_exponential():
    for dev in (PowerResponseDevice(1.0, 2.0), ExponentialResponseDevice(1.0, 2.0), SoftBoundsDevice(2.0, -1.0)):
        Rc = sp.lambdify(S.w, accumulated_asymmetry(dev), "mpmath")
        for w in (-0.5, 0.0, 0.6):
            assert float(Rc(mpmath.mpf(w))) == pytest.approx(accumulated_asymmetry_value(dev, w), rel=1e-12, abs=1e-14)
    assert sp.simplify(accumulated_asymmetry(PowerResponseDevice(1.0, 2.0)) - (sp.log(S.w**2 + 1) - sp.log(2))) == 0


def test_accumulated_asymmetry_raises_by_name_without_a_closed_form():
    with pytest.raises(ValueError, match="device: sympy finds no closed form"):
        accumulated_asymmetry(PowerResponseDevice)
    with pytest.raises(ValueError, match="lower"):
        accumulated_asymmetry(PowerResponseDevice(1.0, 2.0), lower=2.0)


# ---- box extrema --------------------------------------------------------------------------------------
@pytest.mark.parametrize("frac", [0.1, 0.5, 0.9])
def test_ald_box_extrema(frac):
    b = box_extrema(LinearResponseDevice(2.0), -2 * frac, 2 * frac)
    assert b.F_max == 1.0
    assert b.R_min == pytest.approx(1 - frac**2, abs=1e-13)
    assert b.Q_max == pytest.approx(1 + frac, abs=1e-13)


def test_box_extrema_of_power_response():
    b = box_extrema(PowerResponseDevice(1.0, 2.0), -0.5, 0.5)
    assert b.F_max == pytest.approx(1.25) and b.R_min == pytest.approx(0.75**2) and b.Q_max == pytest.approx(2.25)
    with pytest.raises(ValueError, match="w_lo"):
        box_extrema(PowerResponseDevice(1.0, 2.0), 0.5, -0.5)


# ---- Definition 1 -------------------------------------------------------------------------------------
def test_definition1_holds_for_the_paper_devices():
    for dev in (
        LinearResponseDevice(1.0, 0.3),
        PowerResponseDevice(1.0, 2.0),
        ExponentialResponseDevice(1.0, 2.0),
        AsymmetricLinearDevice(1.0, 0.2),
        SoftBoundsDevice(2.0, -1.0),
    ):
        assert definition1(dev).holds, (dev, definition1(dev).failed)


def test_definition1_catches_bad_devices():
    assert definition1(PowerResponseDevice(1.0, 0.5)).failed == ("q+ and q- differentiable on [w_min, w_max]",)
    no_saturation = define_device("NoSaturation", 1.5 - S.w / S.tau, 1 + S.w / S.tau, {"tau": S.tau}, -S.tau, S.tau)
    assert definition1(no_saturation(1.0)).failed == ("q+(w_max) = 0 (saturation)",)
    kink = define_device(
        "Kink",
        (1 - S.w / S.tau) * (1 + sp.Abs(S.w) / 10),
        (1 + S.w / S.tau) * (1 + sp.Abs(S.w) / 10),
        {"tau": S.tau},
        -S.tau,
        S.tau,
    )
    assert definition1(kink(1.0)).failed == ("q+ and q- differentiable on [w_min, w_max]",)
    negative = define_device(
        "Negative", (1 - S.w / S.tau) * (S.w + 0.5), 1 + S.w / S.tau, {"tau": S.tau}, -S.tau, S.tau
    )
    assert "q+(w) > 0 for w < w_max (positive-definiteness)" in definition1(negative(1.0)).failed


# ---- symmetric point ----------------------------------------------------------------------------------
def test_no_symmetric_point_in_range_raises():
    no_root = define_device("NoRoot", 3 - S.w, 1 + S.w / 10, {"tau": S.tau}, -S.tau, S.tau)
    with pytest.raises(NoSymmetricPointError, match="no symmetric point in range"):
        symmetric_point(no_root(1.0))
    assert symmetric_points(no_root(1.0)) == ()
    # a root outside the range only: G = w - 2 on [-1, 1]
    outside = define_device("Outside", 1 - (S.w - 2) / 3, 1 + (S.w - 2) / 3, {"tau": S.tau}, -S.tau, S.tau)
    with pytest.raises(NoSymmetricPointError):
        symmetric_point(outside(1.0))


def test_several_symmetric_points_are_listed():
    wavy = define_device(
        "Wavy", 1 - sp.sin(3 * S.w) / 2, 1 + sp.sin(3 * S.w) / 2, {"tau": S.tau}, -S.tau, S.tau
    )  # G = sin(3w)/2: roots 0, +-pi/3 in [-1.2, 1.2] for tau = 1.2
    roots = symmetric_points(wavy(1.2))
    np.testing.assert_allclose(roots, [-np.pi / 3, 0.0, np.pi / 3], atol=1e-12)
    with pytest.raises(ValueError, match="several symmetric points"):
        symmetric_point(wavy(1.2))


# ---- the factory --------------------------------------------------------------------------------------
def test_define_device_makes_a_working_device_in_the_engine():
    k = sp.Symbol("k", positive=True)
    Cubic = define_device(
        "Cubic", (1 - S.w / S.tau) * (1 + k * S.w**2), (1 + S.w / S.tau) * (1 + k * S.w**2), {"tau": S.tau, "k": k},
        -S.tau, S.tau, defaults={"k": 0.5},
    )  # fmt: skip
    dev = Cubic(1.0)
    assert dev.k == 0.5 and dev.w_min == -1.0 and dev.w_max == 1.0
    paper = PowerResponseDevice(1.0, 2.0)  # a module-level class pickles (its __module__ is where it was defined)
    assert pickle.loads(pickle.dumps(paper)) == paper
    assert float(dev.update(0.5, 0.1)) == pytest.approx(0.5 + 0.1 * (0.5 * 1.125))
    assert definition1(dev).holds and symmetric_point(dev) == 0.0
    res = simulate(
        scalar_quadratic(1.0, 0.3, 0.0), AnalogSGD(dev, 0.05), RademacherNoise(0.3), steps=4000, chains=200, seed=1,
        windows={"tail": (2000, 4000)}, progress=False,
    )  # fmt: skip
    predicted = stationary_point(dev, RademacherLaw(0.3), 1.0, 0.3).prediction("grad_sq", 0.05).value
    est = res.estimate("grad_sq", "tail", 0.999)
    assert est.mean == pytest.approx(predicted, rel=0.1)  # limit + c_1 alpha: the floor to first order
    with pytest.raises(ValueError, match="k"):
        Cubic(1.0, -1.0)
    with pytest.raises(ValueError, match="tau"):
        Cubic(0.0)


def test_define_device_checks_its_definition():
    with pytest.raises(ValueError, match="q_plus may use only"):
        define_device("X", 1 - S.w / S.tau + S.L, 1 + S.w / S.tau, {"tau": S.tau}, -S.tau, S.tau)
    with pytest.raises(ValueError, match="name"):
        define_device("not a name", 1 - S.w, 1 + S.w, {}, -1, 1)
    with pytest.raises(TypeError, match="constraints"):
        define_device("X", 1 - S.w, 1 + S.w, {}, -1, 1, constraints=[1])
    with pytest.raises(ValueError, match="trailing"):
        define_device("X", 1 - S.w / S.tau, 1 + S.w / S.tau, {"tau": S.tau, "c": C_LIN}, -S.tau, S.tau,
                      defaults={"tau": 1.0})  # fmt: skip
    empty = define_device("Empty", 1 - S.w, 1 + S.w, {}, 1, -1)
    with pytest.raises(ValueError, match="range"):
        empty()


@pytest.mark.parametrize(
    "dev", [LinearResponseDevice(1.0, 0.3), PowerResponseDevice(1.0, 2.0), ExponentialResponseDevice(1.0, 2.0)]
)
def test_new_devices_engine_path_matches_checked_update(dev):
    rng = np.random.default_rng(0)
    W = rng.uniform(-0.9, 0.9, size=(50, 1))
    dW = rng.normal(scale=0.05, size=(50, 1))
    expected = dev.update(W, dW)
    Wc, dWc = W.copy(), dW.copy()
    dev.apply_update(Wc, dWc, np.empty_like(W))
    np.testing.assert_allclose(Wc, expected, rtol=1e-15, atol=1e-15)


# ---- implicit penalty ---------------------------------------------------------------------------------
def test_stationary_point_reproduces_bounds_asymptotics_for_the_ald():
    for law in (GaussianLaw(0.5), RademacherLaw(0.4)):
        ours = stationary_point(LinearResponseDevice(1.0), law, 1.0, 0.3)
        theirs = scalar_asymptotics(AsymmetricLinearDevice(1.0), law, 1.0, 0.3)
        assert float(ours.w_inf) == pytest.approx(float(theirs.w_inf), rel=1e-20)
        assert ours.limits["grad_sq"] == pytest.approx(theirs.limits["grad_sq"], rel=1e-12)
        assert ours.slopes["grad_sq"] == pytest.approx(theirs.slopes["grad_sq"], rel=1e-10)


def test_rademacher_stationary_point_is_the_penalised_minimiser():
    """E|g + eps| = s = Sigma while |g| <= s: (a) and (b) coincide exactly."""
    for dev in (PowerResponseDevice(1.0, 2.0), ExponentialResponseDevice(1.0, 2.0), LinearResponseDevice(1.0, 0.3)):
        p = implicit_penalty(dev, RademacherLaw(0.3), 1.0, symmetric_point(dev) + 0.3)
        assert p.stationary == pytest.approx(p.penalised, abs=1e-14)
        assert abs(penalised_gradient(dev, p.Sigma, 1.0, symmetric_point(dev) + 0.3, p.penalised)) < 1e-12


def test_ald_penalty_closed_forms():
    """ALD, f = L/2 (w - w*)^2: the minimiser of (49) is L w*/(L + Sigma/tau); (50) as printed, L w*/(L - Sigma/tau)."""
    L, w_star, tau, s = 1.0, 0.3, 1.0, 0.5
    p = implicit_penalty(LinearResponseDevice(tau), RademacherLaw(s), L, w_star)
    assert p.penalised == pytest.approx(L * w_star / (L + s / tau), abs=1e-14)
    assert p.linearised == pytest.approx(L * w_star / (L + s / tau), abs=1e-14)
    assert p.linearised_printed == pytest.approx(L * w_star / (L - s / tau), abs=1e-14)
    assert penalised_minimiser(LinearResponseDevice(tau), 0.0, L, w_star) == pytest.approx(w_star)
    printed = LINEARISED["printed"].expr.subs({S.w_sp: 0, R_PRIME: 1 / S.tau})
    assert sp.simplify(printed - S.L * S.w_star / (S.L - S.m_abs / S.tau)) == 0


def test_effective_update_vanishes_at_the_stationary_point():
    dev, law = PowerResponseDevice(1.0, 2.0), GaussianLaw(0.3)
    p = implicit_penalty(dev, law, 1.0, 0.3)
    assert effective_update(dev, law, 1.0, 0.3, p.stationary) < 1e-14
    assert effective_update(dev, law, 1.0, 0.3, 0.3) == pytest.approx(law.mean_abs() * float(dev.G(0.3)))


def test_implicit_penalty_printed_singular_is_none():
    p = implicit_penalty(PowerResponseDevice(1.0, 2.0), RademacherLaw(0.5), 1.0, 0.3)  # L = R' Sigma = 1
    assert p.linearised_printed is None


def test_implicit_penalty_refuses_bad_input_by_name():
    dev = PowerResponseDevice(1.0, 2.0)
    with pytest.raises(ValueError, match="w_star"):
        implicit_penalty(dev, GaussianLaw(0.3), 1.0, 1.5)
    with pytest.raises(TypeError, match="law"):
        implicit_penalty(dev, "gaussian", 1.0, 0.3)
    with pytest.raises(ValueError, match="L"):
        implicit_penalty(dev, GaussianLaw(0.3), -1.0, 0.3)
