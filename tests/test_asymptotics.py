"""bounds.asymptotics: the exact alpha -> 0 floor of Analog SGD and its O(alpha) term.

Monte Carlo tolerances: a prediction is accepted when it lies within Z = 3 standard errors of the chain
mean (two-sided false-alarm rate 0.27% per comparison; the seeds are fixed, so the outcome is
deterministic); fitted lines use the 95% normal intervals of verify.sim.stats.fit_line.
"""

import dataclasses
import math

import mpmath
import numpy as np
import pytest

from bounds import symbols as S
from bounds.asymptotics import (
    ScalarAsymptotics,
    ScalarChain,
    analog_sgd_chain,
    law_moment_expressions,
    scalar_asymptotics,
    solve_scalar,
    theorem2_chain,
    vector_asymptotics,
)
from bounds.devices import AsymmetricLinearDevice, SoftBoundsDevice
from bounds.lower_bound import (
    LowerBoundConstruction,
    ratio_slope,
    stationary_point,
    stationary_ratio_first_order,
    stationary_value_derived,
)
from bounds.noise_laws import GaussianLaw, RademacherLaw, TwoPointLaw
from verify.sim.dynamics import AnalogSGD
from verify.sim.engine import simulate
from verify.sim.noise import GaussianNoise
from verify.sim.problems import QuadraticProblem, scalar_quadratic
from verify.sim.stats import fit_line

Z = 3.0
ALD = AsymmetricLinearDevice(tau=1.0)


@pytest.fixture(scope="module")
def gaussian_scalar():
    return scalar_asymptotics(ALD, GaussianLaw(s=0.5), L=1.0, w_star=0.3)


# ------------------------------------------------------------------------------------------------
# exact cross-checks
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("w_star, sigma, D", [(0.25, 0.25, 4), (-0.2, 0.1, 1)])
def test_theorem2_instance_reproduces_lower_bound(w_star, sigma, D):
    cons = LowerBoundConstruction(L=1.0, w_star=w_star, tau=1.0, sigma=sigma, D=D, alpha=0.01)
    res = solve_scalar(theorem2_chain(1.0, w_star, 1.0, sigma, D))
    assert res.unique
    assert abs(float(res.w_inf) - stationary_point(cons)) <= 1e-14
    assert math.isclose(res.limits["grad_sq"], stationary_value_derived(cons).value, rel_tol=1e-12)
    assert math.isclose(res.limits["grad_sq"], res.limits["saturation"], rel_tol=1e-12)  # constant 1, not 4
    # ratio E grad_sq / E[sigma^2 S] = 1 + (c1_grad - c1_sat)/limit alpha: the general machinery vs the
    # instance-specific derivation of bounds.lower_bound
    slope = (res.slopes["grad_sq"] - res.slopes["saturation"]) / res.limits["saturation"]
    assert math.isclose(slope, ratio_slope(cons), rel_tol=1e-10)
    assert math.isclose(slope, stationary_ratio_first_order(cons).terms["slope"], rel_tol=1e-10)


def test_rademacher_closed_form():
    # |g| < s at the root, so E|g + eps| = s and L (w - w*) + s w/tau = 0
    L, w_star, s, tau = 1.0, 0.3, 0.5, 1.0
    res = scalar_asymptotics(AsymmetricLinearDevice(tau=tau), RademacherLaw(s=s), L=L, w_star=w_star)
    with mpmath.workdps(50):
        w = mpmath.mpf(w_star) * L / (L + mpmath.mpf(s) / tau)
        assert abs(res.w_inf - w) < mpmath.mpf(10) ** -45
    assert res.unique and any("kink" in c.statement for c in res.conditions)
    # E h^2 summed over the two outcomes of h = -X - |X| x (F = 1, G = x), b' = -(L + s/tau), b'' = 0 there
    x, g = float(w) / tau, L * (float(w) - w_star)
    v = sum(0.5 * (-X - abs(X) * x) ** 2 for X in (g + s, g - s))
    var0 = v / (2 * (L + s / tau))
    assert math.isclose(res.variance_slope, var0, rel_tol=1e-12) and abs(res.mean_slope) < 1e-15
    assert math.isclose(res.slopes["grad_sq"], L * L * var0, rel_tol=1e-12)


def test_law_moments_against_quadrature():
    m, xx, _ = law_moment_expressions("gaussian")
    from bounds import symbols as S

    for g, s in [(0.3, 0.5), (-1.2, 0.7), (0.0, 2.0)]:
        for expr, fn in ((m, lambda e, g=g: abs(g + e)), (xx, lambda e, g=g: (g + e) * abs(g + e))):
            exact = mpmath.quad(lambda e, fn=fn, s=s: fn(e) * mpmath.npdf(e, 0, s), [-mpmath.inf, -g, mpmath.inf])
            assert abs(float(expr.subs({S.g: g, S.s: s})) - float(exact)) < 1e-12


def test_vector_matches_scalar_and_separates(gaussian_scalar):
    law = GaussianLaw(s=0.5)
    one = vector_asymptotics(ALD, law, [[1.0]], [0.3])
    assert abs(one.W_inf[0] - float(gaussian_scalar.w_inf)) < 1e-13
    assert math.isclose(one.grad_sq.terms["slope"], gaussian_scalar.slopes["grad_sq"], rel_tol=1e-9)
    assert math.isclose(one.f_gap.terms["limit"], gaussian_scalar.limits["f_gap"], rel_tol=1e-12)
    # leading order of the discrete Lyapunov equation is the continuous one
    assert np.allclose(one.discrete_covariance(1e-5) / 1e-5, one.covariance_slope, rtol=1e-4)
    # diagonal H separates: the sum of two scalar problems
    other = scalar_asymptotics(ALD, law, L=2.0, w_star=-0.4)
    two = vector_asymptotics(ALD, law, np.diag([1.0, 2.0]), [0.3, -0.4], alpha=0.01)
    assert two.grad_sq.applicable and any("diagonal" in c.statement for c in two.conditions)
    for key, bound in (("grad_sq", two.grad_sq), ("f_gap", two.f_gap)):
        assert math.isclose(bound.terms["limit"], gaussian_scalar.limits[key] + other.limits[key], rel_tol=1e-10)
        assert math.isclose(bound.terms["slope"], gaussian_scalar.slopes[key] + other.slopes[key], rel_tol=1e-8)


def test_soft_bounds_reduces_to_ald():
    law = GaussianLaw(s=0.4)
    a = scalar_asymptotics(AsymmetricLinearDevice(tau=1.5, w_sp=0.1), law, L=2.0, w_star=0.5)
    b = scalar_asymptotics(SoftBoundsDevice(tau_max=1.5, tau_min=-1.5, w_sp=0.1), law, L=2.0, w_star=0.5)
    with mpmath.workdps(50):
        assert abs(a.w_inf - b.w_inf) < mpmath.mpf(10) ** -40
    assert math.isclose(a.slopes["grad_sq"], b.slopes["grad_sq"], rel_tol=1e-12)
    c = scalar_asymptotics(SoftBoundsDevice(tau_max=1.0, tau_min=-0.7), law, L=2.0, w_star=0.3)
    assert c.unique and 0.0 < float(c.w_inf) < 0.3


# ------------------------------------------------------------------------------------------------
# Monte Carlo
# ------------------------------------------------------------------------------------------------


def _tail_run(problem, alpha, rate, noise, chains, seed, relax=5.0, length=30.0):
    tc = 1.0 / (alpha * rate)
    burn, n = int(relax * tc), int(length * tc)
    res = simulate(
        problem,
        AnalogSGD(ALD, alpha),
        noise,
        steps=burn + n,
        chains=chains,
        seed=seed,
        windows={"tail": (burn, burn + n)},
        progress=False,
    )
    return res


def test_scalar_gaussian_floor_against_monte_carlo(gaussian_scalar):
    r = gaussian_scalar
    lim, c1 = r.limits["grad_sq"], r.slopes["grad_sq"]
    alphas = (0.02, 0.01, 0.005)
    problem = scalar_quadratic(1.0, 0.3, float(r.w_inf))
    ests = [
        _tail_run(problem, a, -r.derivative, GaussianNoise(0.5), 4000, 100 + i).estimate("grad_sq", "tail")
        for i, a in enumerate(alphas)
    ]
    rel = []
    for a, e in zip(alphas, ests):
        assert abs(e.mean - (lim + c1 * a)) <= Z * e.sem, (a, str(e), lim + c1 * a)  # limit + c1 alpha fits
        assert abs(e.mean - lim) > Z * e.sem  # the limit alone does not
        rel.append(abs(e.mean - lim) / lim)
    assert rel[0] > rel[1] > rel[2]  # the floor approaches the limit as alpha shrinks
    # the line's intervals at the same Z = 3 (level 99.73%) as the pointwise checks
    intercept, slope = fit_line(alphas, [e.mean for e in ests], [e.sem for e in ests], level=0.9973)
    assert intercept.covers(lim) and slope.covers(c1)
    # negative controls: the limit times 1.1, and the paper's 4 sigma^2 S at the floor (S = r/(1 - r))
    rr = float(r.w_inf) ** 2
    assert not intercept.covers(1.1 * lim)
    assert not intercept.covers(4 * 0.5**2 * rr / (1 - rr))


def test_two_dimensional_nondiagonal_against_monte_carlo():
    H, Ws, alpha = np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([0.3, -0.2]), 0.01
    pred = vector_asymptotics(ALD, GaussianLaw(s=0.5), H, Ws, alpha=alpha)
    assert pred.grad_sq.applicable, pred.grad_sq.status
    rate = float(-np.linalg.eigvals(pred.jacobian).real.max())
    problem = QuadraticProblem(hessian=H, w_star=Ws, w0=pred.W_inf)
    res = _tail_run(problem, alpha, rate, GaussianNoise(0.5), 4000, 7, length=20.0)
    for key, bound in (("grad_sq", pred.grad_sq), ("f_gap", pred.f_gap)):
        e = res.estimate(key, "tail")
        assert abs(e.mean - bound.value) <= Z * e.sem, (key, str(e), bound.value)
        assert abs(e.mean - bound.terms["limit"]) > Z * e.sem
        assert abs(e.mean - 1.1 * bound.terms["limit"]) > Z * e.sem


# ------------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------------


def test_validation_errors():
    law = GaussianLaw(s=0.5)
    with pytest.raises(TypeError, match="law"):
        scalar_asymptotics(ALD, TwoPointLaw(s=0.5, p=0.3), L=1.0, w_star=0.3)
    with pytest.raises(TypeError, match="device"):
        scalar_asymptotics("ald", law, L=1.0, w_star=0.3)
    with pytest.raises(ValueError, match="L"):
        analog_sgd_chain(ALD, law, L=0.0, w_star=0.3)
    with pytest.raises(ValueError, match="w_star"):
        analog_sgd_chain(ALD, law, L=1.0, w_star=1.5)
    with pytest.raises(ValueError, match="hessian"):
        vector_asymptotics(ALD, law, [[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="hessian"):
        vector_asymptotics(ALD, law, [[-1.0]], [0.0])
    with pytest.raises(ValueError, match="w_star"):
        vector_asymptotics(ALD, law, np.eye(2), [0.0])
    with pytest.raises(ValueError, match="alpha"):
        vector_asymptotics(ALD, law, np.eye(1), [0.0], alpha=-1.0)
    with pytest.raises(ValueError, match="sigma"):
        theorem2_chain(1.0, 0.2, 1.0, 0.0, 2)
    with pytest.raises(ValueError, match="D"):
        theorem2_chain(1.0, 0.2, 1.0, 0.1, 0)
    with pytest.raises(ValueError, match="observable"):
        scalar_asymptotics(ALD, law, 1.0, 0.3).prediction("nope", 0.01)
    with pytest.raises(ValueError, match="dps"):
        solve_scalar(analog_sgd_chain(ALD, law, 1.0, 0.3), dps=5)


# ------------------------------------------------------------------------------------------------
# issue 15: bad input is refused by name, every size and precision is capped
# ------------------------------------------------------------------------------------------------


def test_issue15_precision_and_starts_are_capped_up_front():
    """solve_scalar(..., dps=10**6) and vector_asymptotics(..., starts=10**6) never answered. The caps: 1000
    digits (the checks use 50, compare 30; 1000 take ~2 s) and 64 starts (each a root search costing O(D^3))."""
    chain = analog_sgd_chain(ALD, GaussianLaw(s=0.5), 1.0, 0.3)
    with pytest.raises(ValueError, match=r"^dps must be an integer in \[15, 1000\] \(digits of precision"):
        solve_scalar(chain, dps=10**6)
    with pytest.raises(ValueError, match=r"^dps must be an integer in \[15, 1000\]"):
        scalar_asymptotics(ALD, GaussianLaw(s=0.5), 1.0, 0.3, dps=10**400)
    with pytest.raises(ValueError, match=r"^starts must be an integer in \[1, 64\] \(each start is a root search"):
        vector_asymptotics(ALD, GaussianLaw(s=0.5), [[1.0]], [0.3], starts=10**6)


def test_issue15_a_large_hessian_is_refused_before_solving():
    with pytest.raises(ValueError, match=r"^hessian must be at most 400 x 400 .* got shape \(401, 401\)"):
        vector_asymptotics(ALD, GaussianLaw(s=0.5), np.eye(401), np.zeros(401))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: solve_scalar("x"), r"^chain must be a ScalarChain"),
        (lambda: solve_scalar(None, dps=30), r"^chain must be a ScalarChain"),
        (lambda: scalar_asymptotics(None, GaussianLaw(s=0.5), 1.0, 0.3), r"^device must be a"),
        (lambda: scalar_asymptotics(ALD, 1.0, 1.0, 0.3), r"^law must be a GaussianLaw or RademacherLaw"),
        (lambda: analog_sgd_chain(ALD, "gaussian", 1.0, 0.3), r"^law must be a"),
        (lambda: vector_asymptotics(None, GaussianLaw(s=0.5), [[1.0]], [0.3]), r"^device must be a"),
        (lambda: vector_asymptotics(ALD, None, [[1.0]], [0.3]), r"^law must be a"),
    ],
)
def test_issue15_wrong_types_are_type_errors_naming_the_parameter(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_issue15_a_symbolic_law_is_refused():
    with pytest.raises(ValueError, match=r"^law must have numeric parameters"):
        analog_sgd_chain(ALD, GaussianLaw.symbolic(), 1.0, 0.3)


def test_issue15_extreme_inputs_are_refused_naming_them(gaussian_scalar):
    """Before: a float's ** raised OverflowError (s = 1e308), mpmath's root finder raised its own errors, and
    at L = 1e100 the 20-digit root equalled w* so grad_sq came back 0.0 (its true value is ~0.01): now refused,
    since b's rounding at 20 digits (terms of size L) leaves the root, and so the limit, unresolved."""
    law = GaussianLaw(s=0.5)
    with pytest.raises(ValueError, match=r"^no stationary quantities at L=1e\+100, .* is not resolved"):
        scalar_asymptotics(ALD, law, 1e100, 0.3, dps=20)
    with pytest.raises(ValueError, match=r"^no stationary quantities at L=1e\+308"):
        scalar_asymptotics(ALD, law, 1e308, 0.3, dps=20)
    with pytest.raises(ValueError, match=r"^no stationary quantities at .*law=GaussianLaw\(s=1e\+308\)"):
        vector_asymptotics(ALD, GaussianLaw(s=1e308), [[1.0]], [0.3])
    with pytest.raises(ValueError, match=r"cannot be solved at dps=50: the root is not resolved"):
        solve_scalar(theorem2_chain(0.3, 2.5e-51, 1e-50, 1e50, 1))  # returned w_inf = 0 (true: 7.5e-152)
    with pytest.raises(ValueError, match=r"^chain Theorem 2 instance .*tau=1e\+308.* cannot be solved at dps=20"):
        solve_scalar(theorem2_chain(1.0, 0.25, 1e308, 0.25, 4), dps=20)
    steep = dataclasses.replace(gaussian_scalar, slopes={k: 10.0 for k in gaussian_scalar.slopes})
    with pytest.raises(ValueError, match=r"^alpha is too large: phi\(w_inf\) \+ c_1 alpha"):
        steep.prediction("grad_sq", 1e308)
    with pytest.raises(ValueError, match=r"^observable must be one of"):
        gaussian_scalar.prediction(["grad_sq"], 0.01)


def test_issue15_discrete_covariance_refuses_an_unstable_or_overflowing_step():
    """alpha = 1.34e154 raised OverflowError (a float's alpha**2); a step with |1 + alpha J| >= 1 has no
    stationary covariance."""
    one = vector_asymptotics(ALD, GaussianLaw(s=0.5), [[1.0]], [0.3])
    with pytest.raises(ValueError, match=r"^alpha is too large: alpha J or alpha\^2 Q leaves float64"):
        one.discrete_covariance(1.3407807929942597e154)
    with pytest.raises(ValueError, match=r"^alpha must be small enough that I \+ alpha J is stable"):
        one.discrete_covariance(2.5 / abs(float(one.jacobian[0, 0])))


def test_issue15_result_records_validate_their_fields(gaussian_scalar):
    chain = analog_sgd_chain(ALD, GaussianLaw(s=0.5), 1.0, 0.3)
    fields = {name: getattr(chain, name) for name in chain.__dataclass_fields__}
    with pytest.raises(TypeError, match=r"^drift must be a Expr"):
        ScalarChain(**{**fields, "drift": None})
    with pytest.raises(ValueError, match=r"^interval must be \(low, high\) with low < high"):
        ScalarChain(**{**fields, "interval": (1.0, -1.0)})
    with pytest.raises(ValueError, match=r"^values must give every symbol of drift but w, missing \['tau'\]"):
        ScalarChain(**{**fields, "drift": S.w / S.tau})
    result = {name: getattr(gaussian_scalar, name) for name in gaussian_scalar.__dataclass_fields__}
    with pytest.raises(ValueError, match=r"^variance_slope must be a finite real number"):
        ScalarAsymptotics(**{**result, "variance_slope": float("nan")})
    with pytest.raises(ValueError, match=r"^slopes must have the observables of limits"):
        ScalarAsymptotics(**{**result, "slopes": {}})
    with pytest.raises(ValueError, match=r"^kind must be 'gaussian' or 'rademacher'"):
        law_moment_expressions(["gaussian"])
