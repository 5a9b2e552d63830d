"""Expected drift of Analog SGD and Tiki-Taka (bounds/drift.py; claims C19, C20, C21, eqs. 11-13).

The closed forms are derived from the device's update rule with the exact expectation of
bounds.noise_laws, compared with the printed (11)-(13), checked for their scaling in alpha and beta
and their noiseless limit, and held to a one-step Monte Carlo of the engine (verify.simulate) with
confidence intervals across chains, each with a negative control (a drift 10% off is rejected).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from bounds import AsymmetricLinearDevice
from bounds import symbols as S
from bounds.drift import (
    DRIFT_FORMULAS,
    PRINTED,
    QUANTITIES,
    analog_sgd_drift,
    analog_sgd_drift_as_printed,
    analog_sgd_drift_expression,
    structured,
    tiki_taka_drift,
    tiki_taka_drift_as_printed,
    tiki_taka_drift_expression,
    tiki_taka_p_mean,
    tiki_taka_p_mean_as_printed,
    tiki_taka_p_mean_expression,
)
from bounds.formula import FORMULAS
from bounds.noise_laws import LAWS, GaussianLaw, RademacherLaw, TwoPointLaw, ZeroMeanLaw
from verify import AnalogSGD, GaussianNoise, RademacherNoise, TikiTaka, TwoPointNoise, least_squares, mean_ci, simulate

MINE = sorted(name for name in FORMULAS if name.startswith("drift."))
LEVEL = 0.999  # five Monte Carlo comparisons here: a strict level keeps false alarms rare
WRONG = (0.9, 1.1)  # negative controls: a drift 10% off
HALF_WIDTH = 0.03  # the CI half-width must stay below 3% of the drift, well under the 10% of the controls


def symbolic_laws():
    return [cls.symbolic() for cls in LAWS.values()]


# ---------------------------------------------------------------------------------------------
# the registry
# ---------------------------------------------------------------------------------------------


def test_every_quantity_and_law_is_registered():
    for quantity in QUANTITIES:
        for variant in (quantity, f"{quantity}_critical"):
            assert set(DRIFT_FORMULAS[variant]) >= {"generic", *LAWS}, variant
    assert {
        "drift.analog_sgd.as_printed",
        "drift.tiki_taka.as_printed",
        "drift.tiki_taka_p_mean.as_printed",
        "drift.analog_sgd_critical.two_point_state",
    } <= set(MINE)


# ---------------------------------------------------------------------------------------------
# derivation: direct expectation = structured form = printed form (at w_sp = 0)
# ---------------------------------------------------------------------------------------------

_DIRECT = {
    "analog_sgd": analog_sgd_drift_expression,
    "tiki_taka": tiki_taka_drift_expression,
    "tiki_taka_p_mean": tiki_taka_p_mean_expression,
}


@pytest.mark.parametrize("quantity", sorted(QUANTITIES))
@pytest.mark.parametrize("law", symbolic_laws(), ids=lambda law: law.kind)
def test_direct_expectation_equals_the_registered_form(quantity, law):
    direct = _DIRECT[quantity](law)
    assert sp.simplify(direct - DRIFT_FORMULAS[quantity][law.kind].expr) == 0


@pytest.mark.parametrize("quantity", sorted(QUANTITIES))
def test_generic_form_holds_for_any_zero_mean_law(quantity):
    direct = sp.expand(_DIRECT[quantity](ZeroMeanLaw()))
    assert sp.expand(direct - structured(quantity).subs(S.h_abs, S.E_abs(S.g))) == 0


@pytest.mark.parametrize("quantity", sorted(QUANTITIES))
@pytest.mark.parametrize("law", symbolic_laws(), ids=lambda law: law.kind)
def test_derived_critical_drift_equals_the_printed_form_at_symmetric_point_zero(quantity, law):
    """(11), (12), (13) hold exactly with E|eps| of the law, when w_sp = 0 (the paper's convention)."""
    derived = DRIFT_FORMULAS[f"{quantity}_critical"][law.kind].expr.subs(S.w_sp, 0)
    printed = PRINTED[quantity].expr.subs(S.m_abs, law.mean_abs_expression())
    assert sp.simplify(derived - printed) == 0


@pytest.mark.parametrize("quantity", ["analog_sgd", "tiki_taka"])
def test_with_a_nonzero_symmetric_point_the_drift_pulls_toward_it(quantity):
    """For w_sp != 0 the derived drift is -(.) E|eps| (W - w_sp), not -(.) E|eps| W as printed: the two
    differ by (.) E|eps| w_sp. Numbers: Gaussian s = 1, alpha = 0.1, beta = 0.5, tau = 1, W = w_sp = 0.3."""
    generic = DRIFT_FORMULAS[f"{quantity}_critical"]["generic"].expr
    printed = PRINTED[quantity].expr
    difference = sp.factor(generic - printed)
    factor = S.alpha if quantity == "analog_sgd" else S.alpha * S.beta
    assert sp.simplify(difference - factor * S.m_abs * S.w_sp / S.tau) == 0
    law, kwargs = GaussianLaw(1.0), dict(alpha=0.1, tau=1.0)
    if quantity == "tiki_taka":
        kwargs["beta"] = 0.5
    derive = analog_sgd_drift if quantity == "analog_sgd" else tiki_taka_drift
    printed_fn = analog_sgd_drift_as_printed if quantity == "analog_sgd" else tiki_taka_drift_as_printed
    step = 0.1 if quantity == "analog_sgd" else 0.1 * 0.5
    assert derive(law, 0.3, w_sp=0.3, **kwargs).value == 0.0  # at its symmetric point W does not drift
    assert printed_fn(law, 0.3, **kwargs).value == pytest.approx(-step * math.sqrt(2 / math.pi) * 0.3, rel=1e-14)


def test_drift_scales_with_alpha_and_alpha_beta():
    """C19/C20: the Analog SGD drift / alpha is free of alpha; the Tiki-Taka drift / (alpha beta) is free of
    alpha and beta (for every law, general g); (13): (E[P'] - P)/beta is free of beta."""
    for law in symbolic_laws() + [ZeroMeanLaw()]:
        analog = sp.simplify(_DIRECT["analog_sgd"](law) / S.alpha)
        tiki = sp.simplify(_DIRECT["tiki_taka"](law) / (S.alpha * S.beta))
        p_step = sp.simplify((_DIRECT["tiki_taka_p_mean"](law) - S.P) / S.beta)
        assert not analog.has(S.alpha)
        assert not tiki.has(S.alpha) and not tiki.has(S.beta)
        assert not p_step.has(S.beta)
        assert sp.simplify(tiki - analog) == 0  # same drift per unit step: alpha -> alpha beta


@pytest.mark.parametrize("quantity", sorted(QUANTITIES))
@pytest.mark.parametrize("law", symbolic_laws(), ids=lambda law: law.kind)
def test_critical_drift_vanishes_with_the_noise(quantity, law):
    """At g = 0 the drift (and E[P'] - P) tends to 0 as s -> 0 (p fixed for the two-point law)."""
    expr = DRIFT_FORMULAS[f"{quantity}_critical"][law.kind].expr
    if quantity == "tiki_taka_p_mean":
        expr = expr - S.P
    assert sp.limit(expr, S.s, 0, "+") == 0


@pytest.mark.parametrize("sign", [1, -1])
def test_noise_induced_drift_vanishes_with_the_noise_for_any_gradient(sign):
    """Off a critical point, E[W'] - U(W, -alpha g) -> 0 as s -> 0 (Gaussian: g of either sign)."""
    g = sign * sp.Symbol("g_pos", positive=True)  # test-local one-sided gradient
    law = GaussianLaw.symbolic()
    drift = DRIFT_FORMULAS["analog_sgd"][law.kind].expr.subs(S.g, g)
    noiseless = AsymmetricLinearDevice.update_expression(S.w, -S.alpha * g) - S.w
    assert sp.limit(drift - noiseless, S.s, 0, "+") == 0


def test_two_point_state_drift_is_the_term_of_eq_95():
    """With p = (1 - w/tau)/2 and s = sigma/sqrt(D): -(2 alpha sigma/(tau sqrt D)) sqrt(p(1-p)) w (95) =
    -(alpha sigma/(tau sqrt D)) sqrt(1 - w^2/tau^2) w (97)."""
    expr = DRIFT_FORMULAS["analog_sgd_critical"]["two_point_state"].expr
    p = (1 - S.w / S.tau) / 2
    eq95 = -(2 * S.alpha * S.sigma / (S.tau * sp.sqrt(S.D))) * sp.sqrt(p * (1 - p)) * S.w
    for values in (
        {S.alpha: 0.1, S.tau: 1.0, S.sigma: 2.0, S.D: 4, S.w: 0.3},
        {S.alpha: 0.02, S.tau: 3.0, S.sigma: 0.5, S.D: 100, S.w: -2.5},
    ):
        assert float(expr.subs(values)) == pytest.approx(float(eq95.subs(values)), rel=1e-14)
    law = TwoPointLaw.from_state(sigma=2.0, D=4, w=0.3, tau=1.0)
    assert analog_sgd_drift(law, 0.3, alpha=0.1, tau=1.0).value == pytest.approx(
        float(expr.subs({S.alpha: 0.1, S.tau: 1.0, S.sigma: 2.0, S.D: 4, S.w: 0.3})), rel=1e-14
    )


# ---------------------------------------------------------------------------------------------
# the numeric functions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("law", [GaussianLaw(0.8), RademacherLaw(0.5), TwoPointLaw(0.6, 0.3)], ids=repr)
def test_terms_add_up_to_the_drift(law):
    b = analog_sgd_drift(law, 0.4, alpha=0.05, tau=1.2, g=0.3, w_sp=-0.1)
    assert b.terms["deterministic"] + b.terms["noise_induced"] == pytest.approx(b.value, rel=1e-13)
    t = tiki_taka_drift(law, 0.4, alpha=0.05, beta=0.2, tau=1.2, g=0.3, w_sp=-0.1)
    assert t.terms["deterministic"] + t.terms["noise_induced"] == pytest.approx(t.value, rel=1e-13)
    q = tiki_taka_p_mean(law, -0.3, beta=0.2, tau=1.2, g=0.3)
    assert q.terms["deterministic"] + q.terms["noise_induced"] == pytest.approx(q.value, rel=1e-13)
    assert b.applicable and t.applicable and q.applicable


def test_p_mean_at_the_contraction_zero_is_exact():
    """With beta E|eps| = tau the factor of (13) vanishes: the mpmath evaluation returns 0, not 1e-16."""
    assert tiki_taka_p_mean(TwoPointLaw(1.0, 0.5), 0.7, beta=1.0, tau=1.0).value == 0.0
    assert tiki_taka_p_mean_as_printed(RademacherLaw(2.0), 0.7, beta=0.5, tau=1.0).value == 0.0


def test_outside_the_device_range_the_condition_fails():
    b = analog_sgd_drift(GaussianLaw(1.0), 1.5, alpha=0.1, tau=1.0)
    assert not b.applicable and "inside the device range" in b.status


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: analog_sgd_drift(GaussianLaw(1.0), 0.1, alpha=0.0, tau=1.0), "alpha must be a finite real number > 0"),
        (lambda: analog_sgd_drift(GaussianLaw.symbolic(), 0.1, alpha=0.1, tau=1.0), "law must be a numeric"),
        (lambda: tiki_taka_drift(RademacherLaw(1.0), 0.1, alpha=0.1, beta=-1.0, tau=1.0), "beta must be"),
        (lambda: tiki_taka_p_mean(RademacherLaw(1.0), math.nan, beta=0.1, tau=1.0), "P must be a finite real"),
        (lambda: structured("sgd"), "quantity must be one of"),
    ],
)
def test_invalid_inputs_name_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("law", ["gaussian", None, 1.0, GaussianLaw])
def test_a_law_of_the_wrong_type_is_a_type_error_naming_law(law):
    """Issue 15: a law of the wrong type is a TypeError naming ``law``."""
    with pytest.raises(TypeError, match="^law must be a CoordinateLaw"):
        tiki_taka_p_mean(law, 0.1, beta=0.1, tau=1.0)


def test_the_subnormal_tau_of_issue_15_is_refused():
    """Issue 15: ``tau=1e-320`` hid a NaN in ``terms``; subnormal inputs are now refused by name."""
    with pytest.raises(ValueError, match=r"^tau must be 0 or of magnitude >= 2.23e-308"):
        analog_sgd_drift(GaussianLaw(1.0), 0.5, alpha=0.2, tau=1e-320)


#: extreme but accepted inputs: where the drift or a term leaves float64 the call must name an input
_EXTREMES = (1e308, -1e308, 1e-300, 2.3e-308, 0.0, 1.0)


@pytest.mark.parametrize("name", ["analog_sgd_drift", "tiki_taka_drift", "tiki_taka_p_mean"])
def test_no_nan_hides_in_the_terms_at_extreme_inputs(name):
    """Each input, and each pair of inputs other than g, set to extreme values gives a finite value
    and finite terms, or a ValueError naming a changed input (the contract of tests/strategies.py on
    a deterministic grid; g's extremes cost ~0.3 s each in mpmath, so g is varied alone)."""
    import itertools

    from tests.api_cases.bounds_theorems import CASES
    from tests.strategies import check_outcome

    (case,) = [c for c in CASES if c.name == f"bounds.drift.{name}"]
    numbers = [p for p in case.valid if p != "law"]
    for first, value in itertools.product(numbers, _EXTREMES):
        check_outcome(case, {first: value})
    for first, second in itertools.combinations([p for p in numbers if p != "g"], 2):
        for a, b in itertools.product(_EXTREMES[:4], repeat=2):
            check_outcome(case, {first: a, second: b})


# ---------------------------------------------------------------------------------------------
# one step of the engine from a critical point: Monte Carlo vs the closed forms
# ---------------------------------------------------------------------------------------------

TAU, ALPHA, BETA, D, CHAINS = 1.0, 0.1, 0.5, 16, 8192
W_STAR = np.linspace(0.3, 0.9, D) * TAU  # one sign, so the per-coordinate drifts add up


def one_step(dynamics, noise, w_star=W_STAR, w0=None, seed=3, chains=CHAINS):
    """Per chain, the coordinate average of W_1 - W_0 (H = I: grad f = W - W*)."""
    problem = least_squares(np.eye(D), w_star, w0=w_star if w0 is None else w0)
    result = simulate(problem, dynamics, noise, steps=1, chains=chains, seed=seed, trajectories=True)
    W = result.trajectories["W"]
    return (W[1] - W[0]).mean(axis=1)


def assert_drift(samples, exact, label, also_reject=()):
    estimate = mean_ci(samples, LEVEL)
    assert estimate.covers(exact), f"{label}: {estimate} misses the derived drift {exact:.6g}"
    assert estimate.half_width < HALF_WIDTH * abs(exact), f"{label}: CI {estimate} too wide for the controls"
    for wrong in [factor * exact for factor in WRONG] + list(also_reject):
        assert not estimate.covers(wrong), f"{label}: {estimate} cannot reject {wrong:.6g}"
    return estimate


@pytest.mark.parametrize("noise", [GaussianNoise(1.0), RademacherNoise(1.0)], ids=["gaussian", "rademacher"])
def test_analog_sgd_drift_at_a_critical_point_monte_carlo(noise):
    """C19: one Analog SGD step from W_0 = W*; the CI of the mean of W_1 - W_0 covers (11)."""
    law = noise.coordinate_law()
    exact = np.mean([analog_sgd_drift(law, w, alpha=ALPHA, tau=TAU).value for w in W_STAR])
    printed = np.mean([analog_sgd_drift_as_printed(law, w, alpha=ALPHA, tau=TAU).value for w in W_STAR])
    assert printed == pytest.approx(exact, rel=1e-14)
    samples = one_step(AnalogSGD(AsymmetricLinearDevice(TAU), ALPHA), noise)
    assert_drift(samples, exact, f"Analog SGD, {law!r}")


@pytest.mark.parametrize("noise", [GaussianNoise(1.0), RademacherNoise(1.0)], ids=["gaussian", "rademacher"])
def test_tiki_taka_drift_at_a_critical_point_monte_carlo(noise):
    """C20: one Tiki-Taka step from W_0 = W*, P_0 = 0; the CI covers (12) (proportional to alpha beta)."""
    law = noise.coordinate_law()
    exact = np.mean([tiki_taka_drift(law, w, alpha=ALPHA, beta=BETA, tau=TAU).value for w in W_STAR])
    samples = one_step(TikiTaka(AsymmetricLinearDevice(TAU), ALPHA, BETA), noise, seed=5)  # not the Analog SGD draws
    estimate = assert_drift(samples, exact, f"Tiki-Taka, {law!r}")
    analog = np.mean([analog_sgd_drift(law, w, alpha=ALPHA, tau=TAU).value for w in W_STAR])
    assert not estimate.covers(analog)  # the Tiki-Taka drift is beta = 0.5 times smaller


def test_analog_sgd_drift_with_a_symmetric_point_and_off_a_critical_point_monte_carlo():
    """General g and w_sp: W_0 = W* + 0.5 s (g = 0.5 s per coordinate), symmetric point 0.2. The CI covers
    the derived drift and rejects the noiseless prediction U(W, -alpha g) - W (the noise-induced part)."""
    w_sp, s, shift = 0.2, 1.0, 0.5
    law = GaussianLaw(s)
    device = AsymmetricLinearDevice(TAU, w_sp)
    w_star = np.linspace(w_sp - 0.2, w_sp + 0.4, D)  # W_0 stays in the range [w_sp - tau, w_sp + tau]
    w0 = w_star + shift * s
    bounds_ = [analog_sgd_drift(law, w, alpha=ALPHA, tau=TAU, g=shift * s, w_sp=w_sp) for w in w0]
    exact = np.mean([b.value for b in bounds_])
    noiseless = np.mean([b.terms["deterministic"] for b in bounds_])
    samples = one_step(AnalogSGD(device, ALPHA), GaussianNoise(s), w_star=w_star, w0=w0)
    assert_drift(samples, exact, "Analog SGD off a critical point", also_reject=[noiseless])


def test_analog_sgd_drift_under_the_two_point_law_monte_carlo():
    """The state-dependent two-point law (independent coordinates): the CI covers the mean over the
    coordinates of -(alpha/tau) (sigma/sqrt D) sqrt(1 - w^2/tau^2) w."""
    sigma = 4.0
    noise = TwoPointNoise(sigma=sigma, tau=TAU, shared=False)
    w_star = np.linspace(0.25, 0.5, D) * TAU  # inside Lemma 2's range |w| <= tau/2
    exact = np.mean([analog_sgd_drift(noise.coordinate_law(w, D), w, alpha=ALPHA, tau=TAU).value for w in w_star])
    formula = DRIFT_FORMULAS["analog_sgd_critical"]["two_point_state"]
    assert exact == pytest.approx(np.mean(formula.numeric(ALPHA, TAU, sigma, D, w_star)), rel=1e-14)
    samples = one_step(AnalogSGD(AsymmetricLinearDevice(TAU), ALPHA), noise, w_star=w_star, chains=2 * CHAINS)
    assert_drift(samples, exact, "Analog SGD, two-point law")


@pytest.mark.parametrize("noise", [GaussianNoise(1.0), RademacherNoise(1.0)], ids=["gaussian", "rademacher"])
def test_tiki_taka_p_contraction_monte_carlo(noise):
    """C21 / (13): from P_k != 0 at a critical point, E[P_{k+1}] - P_k = -(beta/tau) E|eps| P_k. One (TT-P)
    step of verify.sim.dynamics.TikiTaka applied to chains with P_k set (the engine starts at P_0 = 0)."""
    law = noise.coordinate_law()
    dynamics = TikiTaka(AsymmetricLinearDevice(TAU), ALPHA, BETA)
    P0 = np.linspace(-0.9, -0.3, D) * TAU
    state = {"W": np.zeros((CHAINS, D)), "P": np.tile(P0, (CHAINS, 1))}
    rng = np.random.default_rng(11)
    stochastic = noise.perturb(np.zeros((CHAINS, D)), state["W"], rng, np.empty((CHAINS, D)))  # g = 0
    dynamics.update(state, stochastic, np.empty((CHAINS, D)))
    samples = (state["P"] - P0).mean(axis=1)
    exact = np.mean([tiki_taka_p_mean(law, P, beta=BETA, tau=TAU).value - P for P in P0])
    printed = np.mean([tiki_taka_p_mean_as_printed(law, P, beta=BETA, tau=TAU).value - P for P in P0])
    assert printed == pytest.approx(exact, rel=1e-13)
    assert_drift(samples, exact, f"Tiki-Taka P, {law!r}")
