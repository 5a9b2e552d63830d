"""Noise-law expectations and the constant c of Assumption 5 (bounds/noise_laws.py; C17, C18, C34).

Every registered closed form is held to mpmath in tests/test_formulas.py; the Gaussian
E|g + eps| is derived by integration and shown equal to the paper's eq. (46); the constant c is
checked against a brute-force minimisation, against the Jensen limit c <= 1/sqrt(D), and against
C34 as stated (which fails under A5's scaling by the factor sqrt(D)).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.optimize
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from bounds import symbols as S
from bounds.formula import FORMULAS, relative_error
from bounds.noise_laws import (
    GAUSSIAN_EXPECTED_ABS_PRINTED,
    LAWS,
    NOISE_FORMULAS,
    GaussianLaw,
    RademacherLaw,
    TwoPointLaw,
    ZeroMeanLaw,
    a5_constant,
    a5_constant_limit,
    derive_gaussian_expected_abs,
    expectation,
    gaussian_c_as_stated,
    gaussian_expected_abs_as_printed,
    gaussian_moment_expression,
    two_point_c,
    two_point_c_of_state,
    two_point_c_over_states,
)
from verify import GaussianNoise, RademacherNoise, TwoPointNoise, mean_ci

#: Twin tolerance. Each twin is a float64 evaluation of a few dozen operations, each with relative
#: rounding error u = 2^-53 ~ 1.1e-16; the worst measured error over all grids is 3.8e-14 (the
#: Gaussian excess at |g|/s = 4, whose two terms cancel by a factor ~2 (g/s)^2/2: its grid stops
#: there on purpose). 1e-12 leaves a margin of 25 over that and is far below what a wrong constant
#: or sign produces.
TWIN_TOLERANCE = 1e-12
MINE = sorted(name for name in FORMULAS if name.startswith("noise_laws."))
LEVEL = 0.999  # several Monte Carlo checks in this file: a strict level keeps false alarms rare


def law_samples():
    """One numeric instance of each law, with a few shapes of the two-point law."""
    return [GaussianLaw(0.7), RademacherLaw(1.3), TwoPointLaw(0.9, 0.2), TwoPointLaw(1.1, 0.5), TwoPointLaw(0.5, 0.93)]


# ---------------------------------------------------------------------------------------------
# the registry: every twin against mpmath at 50 digits, every oracle against sympy
# ---------------------------------------------------------------------------------------------


def test_my_formulas_are_registered():
    expected = {
        f"noise_laws.{kind}.{q}"
        for kind in LAWS
        for q in ("mean", "second_moment", "expected_abs", "expected_abs_excess", "infimum", "c_A5", "c_coordinate")
    }
    assert expected <= set(MINE), sorted(expected - set(MINE))


def test_negative_control_the_grid_check_catches_a_wrong_constant():
    """The same check, fed sqrt(2/pi) s (1 + 1e-9) for E|eps|, reports every grid point."""
    formula = NOISE_FORMULAS["gaussian"]["infimum"]
    bad = [
        pt
        for pt in formula.grid()
        if relative_error(float(formula.numeric(*pt)) * (1 + 1e-9), formula.exact(*pt)) > TWIN_TOLERANCE
    ]
    assert len(bad) == len(formula.grid())


# ---------------------------------------------------------------------------------------------
# derivations: the Gaussian folded mean and eq. (46)
# ---------------------------------------------------------------------------------------------


def test_gaussian_expected_abs_is_the_folded_normal_mean():
    derived = derive_gaussian_expected_abs()
    closed = S.s * sp.sqrt(2 / sp.pi) * sp.exp(-(S.g**2) / (2 * S.s**2)) + S.g * sp.erf(S.g / (S.s * sp.sqrt(2)))
    assert sp.simplify(derived - closed) == 0
    assert NOISE_FORMULAS["gaussian"]["expected_abs"].expr == derived


def test_gaussian_expected_abs_equals_eq_46_symbolically():
    """hyperexpand(s sqrt(2/pi) 1F1(-1/2; 1/2; -g^2/(2 s^2))) - derived expands to 0."""
    assert sp.expand(sp.hyperexpand(GAUSSIAN_EXPECTED_ABS_PRINTED) - derive_gaussian_expected_abs()) == 0


@pytest.mark.parametrize(
    "g, s", [(0.0, 1.0), (1e-3, 1.0), (-0.5, 2.0), (3.0, 0.5), (-40.0, 1.0), (1e2, 1e-1), (2.5, 1e3)]
)
def test_gaussian_expected_abs_equals_eq_46_at_50_digits(g, s):
    formula = NOISE_FORMULAS["gaussian"]["expected_abs"]
    with mpmath.workdps(50):
        printed = gaussian_expected_abs_as_printed(g, s, dps=60)
        derived = formula.exact(g, s, dps=60)
        assert abs(printed - derived) <= mpmath.mpf("1e-48") * abs(derived), (printed, derived)
        # independent oracle: numerical quadrature of E|g + eps| at 50 digits
        density = lambda x: mpmath.npdf(x, 0, s)  # noqa: E731
        cuts = [-mpmath.inf] + sorted({0.0, -g * 1.0}) + [mpmath.inf]  # the bulk and the kink
        quad = mpmath.quad(lambda x: abs(g + x) * density(x), cuts)
        assert abs(quad - derived) <= mpmath.mpf("1e-40") * abs(derived), (quad, derived)


def test_negative_control_eq_46_with_a_wrong_parameter_is_told_apart():
    """1F1(-1/2; 3/2; .) (a plausible misprint) differs from the derived value at 50 digits."""
    wrong = S.s * sp.sqrt(2 / sp.pi) * sp.hyper((-sp.Rational(1, 2),), (sp.Rational(3, 2),), -(S.g**2) / (2 * S.s**2))
    value = sp.N(wrong.subs({S.g: 1, S.s: 1}), 50)
    right = sp.N(derive_gaussian_expected_abs().subs({S.g: 1, S.s: 1}), 50)
    assert abs(value - right) > 1e-3


def test_gaussian_moments_by_integration():
    assert [gaussian_moment_expression(k) for k in range(5)] == [1, 0, S.s**2, 0, 3 * S.s**4]
    assert NOISE_FORMULAS["gaussian"]["mean"].expr == 0
    assert NOISE_FORMULAS["gaussian"]["second_moment"].expr == S.s**2


def test_gaussian_expected_abs_limits():
    """s -> 0 gives |g| (no noise); g -> +-infinity gives |g| + o(1); g = 0 gives s sqrt(2/pi)."""
    h = derive_gaussian_expected_abs()
    g_pos = sp.Symbol("g_pos", positive=True)  # test-local dummy for the one-sided limits
    assert sp.limit(h.subs(S.g, g_pos), S.s, 0, "+") == g_pos
    assert sp.limit(h.subs(S.g, -g_pos), S.s, 0, "+") == g_pos
    assert sp.limit(h.subs(S.g, g_pos) - g_pos, g_pos, sp.oo) == 0
    assert sp.simplify(h.subs(S.g, 0) - S.s * sp.sqrt(2 / sp.pi)) == 0


def test_gaussian_excess_needs_mpmath_where_floats_cancel():
    """E|g + eps| - |g| for |g| >> s: the float difference is 0 (erf rounds to 1), the mpmath value is
    positive and matches the asymptotic s sqrt(2/pi) e^{-z^2}/(2 z^2) (1 - 3/(2 z^2) + ...), z = g/(s sqrt 2),
    and the integral 2 int_g^oo (x - g) phi(x) dx at 50 digits."""
    law = GaussianLaw(1.0)
    g = 10.0
    float_difference = law.expected_abs(g) - g
    excess = law.expected_abs_excess(g)
    assert float_difference == 0.0
    with mpmath.workdps(50):
        z2 = mpmath.mpf(g) ** 2 / 2
        leading = mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(-z2) / (2 * z2)
        assert 0 < excess < leading and abs(excess / leading - 1) < 3 / (2 * z2)
    with mpmath.workdps(80):  # the quadrature itself is good to ~1e-31 at 50 digits: give it 80
        integral = 2 * mpmath.quad(lambda x: (x - g) * mpmath.npdf(x), [g, mpmath.inf])
        assert abs(excess - integral) < mpmath.mpf("1e-45") * integral
    # far out the excess is below the float range; mpmath still resolves it
    assert 0 < law.expected_abs_excess(100.0) < mpmath.mpf("1e-2000")


@pytest.mark.parametrize("law", law_samples(), ids=repr)
def test_excess_equals_expected_abs_minus_abs_g(law):
    for g in (-3.0, -0.7, -0.01, 0.0, 0.2, 1.5, 6.0):
        with mpmath.workdps(60):
            direct = NOISE_FORMULAS[law.kind]["expected_abs"].exact(g, *law._numbers(), dps=60) - abs(mpmath.mpf(g))
            assert abs(law.expected_abs_excess(g) - direct) < mpmath.mpf("1e-45"), (g, law)
        assert law.expected_abs_excess(g) >= 0  # Jensen: E|g + eps| >= |g + E eps| = |g|


# ---------------------------------------------------------------------------------------------
# the finite laws: moments (C18 per coordinate) and Lemma 4's E|g + eps| (C17)
# ---------------------------------------------------------------------------------------------


def test_two_point_law_has_zero_mean_and_variance_s2():
    """C18 per coordinate: E[eps] = 0 and E[eps^2] = s^2 = sigma^2/D for every p."""
    law = TwoPointLaw.symbolic()
    assert sp.simplify(expectation(S.eps, S.eps, law)) == 0
    assert sp.simplify(expectation(S.eps**2, S.eps, law)) == S.s**2
    assert NOISE_FORMULAS["two_point"]["second_moment"].expr == S.s**2
    state = TwoPointLaw.from_state(sigma=3.0, D=9, w=0.4, tau=1.0)
    assert state.second_moment() == pytest.approx(1.0, rel=1e-15) and state.p == pytest.approx(0.3, rel=1e-15)


def test_two_point_expected_abs_between_the_kinks_is_lemma_4():
    """C17 per coordinate: for -a <= g <= b, E|g + eps| = 2 s sqrt(p (1-p)) + (2p - 1) g (eq. 83)."""
    law = TwoPointLaw.symbolic()
    h = law.finalize(sp.Add(*(prob * (S.g + v) * sign for (v, prob), sign in zip(law.outcomes(), (1, -1)))))
    lemma4 = 2 * S.s * sp.sqrt(S.p * (1 - S.p)) + (2 * S.p - 1) * S.g
    assert sp.simplify(h - lemma4) == 0
    numeric = TwoPointLaw(0.8, 0.3)
    for g in np.linspace(-0.8 * math.sqrt(0.7 / 0.3), 0.8 * math.sqrt(0.3 / 0.7), 7):
        assert numeric.expected_abs(g) == pytest.approx(2 * 0.8 * math.sqrt(0.21) + (2 * 0.3 - 1) * g, rel=1e-14)


def test_rademacher_expected_abs_is_max_of_abs_g_and_s():
    law = RademacherLaw(0.6)
    g = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(law.expected_abs(g), np.maximum(np.abs(g), 0.6), rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# expectation()
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(LAWS))
def test_expectation_of_polynomials_uses_the_moments(kind):
    law = LAWS[kind].symbolic()
    expr = 2 + 3 * S.eps + 5 * S.eps**2
    assert sp.simplify(expectation(expr, S.eps, law) - (2 + 5 * S.s**2)) == 0


@pytest.mark.parametrize("law", law_samples(), ids=repr)
def test_expectation_of_an_affine_abs_against_quadrature(law):
    """E|a + b eps| = |b| E|a/b + eps| with b < 0, checked by direct quadrature / outcome sum in mpmath."""
    a, b = 0.3, -1.7
    value = float(expectation(sp.Abs(a + b * S.eps), S.eps, law))
    with mpmath.workdps(30):
        if isinstance(law, GaussianLaw):
            reference = mpmath.quad(
                lambda x: abs(a + b * x) * mpmath.npdf(x, 0, law.s), [-mpmath.inf, 0, a / -b, mpmath.inf]
            )
        else:
            reference = sum(float(prob) * abs(a + b * float(v)) for v, prob in law.outcomes())
    assert value == pytest.approx(float(reference), rel=1e-13)


@given(
    a=st.floats(-5, 5),
    b=st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3),
    kind=st.sampled_from(sorted(LAWS)),
    s=st.floats(0.05, 5.0),
    p=st.floats(0.02, 0.98),
)
def test_expectation_square_of_affine_is_a2_plus_b2_s2(a, b, kind, s, p):
    law = TwoPointLaw(s, p) if kind == "two_point" else LAWS[kind](s)
    value = float(expectation((a + b * S.eps) ** 2, S.eps, law))
    assert value == pytest.approx(a**2 + b**2 * s**2, rel=1e-12, abs=1e-12)


def test_expectation_is_linear_over_the_gaussian_atoms():
    law = GaussianLaw.symbolic()
    expr = S.alpha * sp.Abs(S.g + S.eps) - S.beta * S.eps**4 + S.w
    expected = S.alpha * law.expected_abs_expression(S.g) - 3 * S.beta * S.s**4 + S.w
    assert sp.simplify(expectation(expr, S.eps, law) - expected) == 0


@pytest.mark.parametrize("bad", [S.eps * sp.Abs(S.eps), sp.exp(S.eps), sp.Abs(S.eps**2 - 1), S.eps**-1])
def test_expectation_rejects_what_linearity_cannot_take(bad):
    with pytest.raises(ValueError, match="expectation under GaussianLaw handles"):
        expectation(bad, S.eps, GaussianLaw.symbolic())


def test_expectation_validates_its_arguments():
    """Wrong kinds of object are TypeErrors naming the parameter (issue 15); a string is not parsed."""
    with pytest.raises(TypeError, match="eps_symbol must be a sympy Symbol"):
        expectation(S.eps, "eps", GaussianLaw(1.0))
    with pytest.raises(TypeError, match="law must be a CoordinateLaw"):
        expectation(S.eps, S.eps, "gaussian")
    with pytest.raises(TypeError, match="expr must be a sympy expression"):
        expectation("eps**2", S.eps, GaussianLaw(1.0))


def test_zero_mean_law_keeps_expected_abs_symbolic():
    law = ZeroMeanLaw()
    assert expectation(sp.Abs(-2 * S.g - 2 * S.eps) + S.eps, S.eps, law) == 2 * S.E_abs(S.g)


# ---------------------------------------------------------------------------------------------
# the constant c of A5
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("law", law_samples(), ids=repr)
def test_infimum_matches_a_brute_force_minimisation(law):
    """The minimiser from convexity/kinks attains the infimum, and a bounded scalar search over
    [-20 s, 20 s] finds nothing lower (to its tolerance 1e-10 in g, i.e. ~1e-10 in value: slopes <= 1)."""
    k = a5_constant(law, D=1)
    scale = math.sqrt(law.second_moment())
    lo, hi = k.minimisers
    for g in (lo, hi, k.minimiser):
        assert law.expected_abs(g) == pytest.approx(k.infimum, rel=1e-14)
    found = scipy.optimize.minimize_scalar(
        law.expected_abs, bounds=(-20 * scale, 20 * scale), method="bounded", options={"xatol": 1e-12}
    )
    assert found.fun >= k.infimum * (1 - 1e-14)
    assert found.fun <= k.infimum + 1e-9 * scale
    grid = np.linspace(-20 * scale, 20 * scale, 4001)
    assert np.all(law.expected_abs(grid) >= k.infimum * (1 - 1e-14))


def test_gaussian_convexity_and_minimiser_symbolically():
    """h'' = 2 phi(g) > 0 and h'(0) = 0: the unique minimiser of the Gaussian E|g + eps| is g = 0."""
    h = derive_gaussian_expected_abs()
    density = sp.exp(-(S.g**2) / (2 * S.s**2)) / (S.s * sp.sqrt(2 * sp.pi))
    assert sp.simplify(sp.diff(h, S.g, 2) - 2 * density) == 0
    assert sp.diff(h, S.g).subs(S.g, 0) == 0


def test_two_point_slopes_between_the_kinks():
    """Slopes -1, 2p - 1, +1 of the two-point E|g + eps|: the kink analysis of the argument."""
    law = TwoPointLaw.symbolic()
    (a, _), (minus_b, _) = law.outcomes()
    h = sp.Add(*(prob * sp.Abs(S.g + v) for v, prob in law.outcomes()))
    probes = {"left": -a - 1, "middle": (-a - minus_b) / 2, "right": -minus_b + 1}
    slopes = {k: law.finalize(sp.simplify(sp.diff(h, S.g).subs(S.g, v))) for k, v in probes.items()}
    assert sp.simplify(slopes["left"] + 1) == 0 and sp.simplify(slopes["right"] - 1) == 0
    assert sp.simplify(slopes["middle"] - (2 * S.p - 1)) == 0


@pytest.mark.parametrize("D", [1, 2, 10, 784])
def test_c34_gaussian_holds_only_in_the_coordinate_scaling(D):
    """FINDING (C34): under A5 (E[eps_i^2] <= sigma^2/D) the Gaussian gives c = sqrt(2/(pi D)), not
    sqrt(2/pi); App. D.2 takes sigma^2 = E[eps_i^2], where sqrt(2/pi) is exact (not approximate)."""
    law = GaussianLaw(0.37)
    as_stated = gaussian_c_as_stated().value
    a5 = a5_constant(law, D)
    coordinate = a5_constant(law, D, scaling="coordinate")
    assert a5.c == pytest.approx(math.sqrt(2 / (math.pi * D)), rel=1e-15)
    assert coordinate.c == pytest.approx(as_stated, rel=1e-15)
    assert a5.c * math.sqrt(D) == pytest.approx(as_stated, rel=1e-15)
    assert a5.bound.applicable  # sigma^2 = D E[eps_i^2] meets A5's condition
    assert coordinate.bound.applicable == (D == 1)  # sigma^2 = E[eps_i^2] violates it for D > 1
    if D > 1:  # the stated value is then too large by sqrt(D)
        assert as_stated > a5.c * 1.4


@pytest.mark.parametrize("law", law_samples(), ids=repr)
@pytest.mark.parametrize("D", [1, 3, 100])
def test_a5_inequality_holds_with_the_computed_c_and_no_larger(law, D):
    k = a5_constant(law, D)
    g = np.linspace(-10, 10, 2001) * math.sqrt(law.second_moment())
    assert np.all(law.expected_abs(g) >= k.c * k.sigma * (1 - 1e-14))
    # negative control: 1% more than c violates the inequality at the minimiser
    assert law.expected_abs(k.minimiser) < 1.01 * k.c * k.sigma


@given(
    kind=st.sampled_from(sorted(LAWS)),
    s=st.floats(1e-3, 1e3),
    p=st.floats(1e-3, 0.999),
    D=st.integers(1, 10_000),
    scaling=st.sampled_from(["A5", "coordinate"]),
)
def test_jensen_limit_holds_for_every_law(kind, s, p, D, scaling):
    """c sigma <= E|eps| <= sqrt(E eps^2) <= sigma/sqrt(D) (A5), so c <= 1/sqrt(D); <= 1 (coordinate)."""
    law = TwoPointLaw(s, p) if kind == "two_point" else LAWS[kind](s)
    k = a5_constant(law, D, scaling)
    limit = a5_constant_limit(D, scaling).value
    assert k.c <= limit * (1 + 1e-14)
    assert k.infimum <= law.mean_abs() * (1 + 1e-14) <= math.sqrt(law.second_moment()) * (1 + 1e-13)


@pytest.mark.parametrize("D", [1, 4, 50])
def test_rademacher_attains_the_jensen_limit(D):
    assert a5_constant(RademacherLaw(2.5), D).c == pytest.approx(a5_constant_limit(D).value, rel=1e-15)
    assert a5_constant(RademacherLaw(2.5), D, "coordinate").c == 1.0


def test_theorem_3_window_is_empty_under_a5():
    """FINDING: (140)'s factor 1 - 128/(c^2 D) - 32 P_max^2/tau^2 needs c^2 D > 128, but c <= 1/sqrt(D)
    under A5 makes c^2 D <= 1, so 1 - 128/(c^2 D) <= -127 for EVERY law and D."""
    for D in (1, 10, 10_000):
        c = a5_constant_limit(D).value
        assert 1 - 128 / (c**2 * D) <= -127 + 1e-9
        assert 1 - 128 / (a5_constant(GaussianLaw(1.0), D).c ** 2 * D) == pytest.approx(1 - 64 * math.pi, rel=1e-14)


def test_two_point_c_depends_on_the_state():
    """c(p) = sqrt(min(p,1-p)/max(p,1-p))/sqrt(D); over Lemma 2's states |w| <= tau/2 the minimum is
    1/sqrt(3 D) at |w| = tau/2; at w = 0 (p = 1/2) it is the Rademacher value 1/sqrt(D)."""
    D = 5
    for p in (0.01, 0.25, 0.4, 0.5, 0.75, 0.99):
        assert two_point_c(p, D) == pytest.approx(math.sqrt(min(p, 1 - p) / max(p, 1 - p) / D), rel=1e-14)
    for x in (-0.9, -0.5, 0.0, 0.3, 0.5):
        assert two_point_c_of_state(x, D) == pytest.approx(two_point_c((1 - x) / 2, D), rel=1e-14)
    worst = two_point_c_over_states(D)
    assert worst.c == pytest.approx(1 / math.sqrt(3 * D), rel=1e-14)
    states = np.linspace(-0.5, 0.5, 1001)
    assert min(two_point_c_of_state(x, D) for x in states) == pytest.approx(worst.c, rel=1e-14)
    assert two_point_c_of_state(0.0, D) == pytest.approx(1 / math.sqrt(D), rel=1e-14)
    x = sp.Symbol("x_pos", positive=True)  # test-local: d c/d|x| < 0 on (0, 1)
    c_of_x = sp.sqrt((1 - x) / (1 + x))
    assert sp.simplify(sp.diff(c_of_x, x) + 1 / ((1 + x) ** 2 * c_of_x)) == 0


def test_two_point_state_formula_is_the_clean_form():
    expr = NOISE_FORMULAS["two_point"]["c_A5_state"].expr
    for x in (-0.7, -0.2, 0.0, 0.4, 0.95):
        clean = math.sqrt((1 - abs(x)) / (1 + abs(x)) / 3)
        assert float(expr.subs({S.x: x, S.D: 3})) == pytest.approx(clean, rel=1e-14)


# ---------------------------------------------------------------------------------------------
# the samplers of verify.sim.noise map onto the laws
# ---------------------------------------------------------------------------------------------


def test_coordinate_law_of_each_sampler():
    assert GaussianNoise(0.4).coordinate_law() == GaussianLaw(0.4)
    assert GaussianNoise(np.array([0.1, 0.2])).coordinate_law(1) == GaussianLaw(0.2)
    assert RademacherNoise(0.3).coordinate_law() == RademacherLaw(0.3)
    law = TwoPointNoise(sigma=2.0, tau=1.5).coordinate_law(0.3, 16)
    assert law == TwoPointLaw(0.5, 0.5 * (1 - 0.3 / 1.5))
    for noise, dim in ((GaussianNoise(0.4), 7), (RademacherNoise(0.3), 7)):
        assert dim * noise.coordinate_law().second_moment() == pytest.approx(noise.total_variance(dim), rel=1e-15)
    with pytest.raises(ValueError, match="index must name a coordinate"):
        GaussianNoise(np.array([0.1, 0.2])).coordinate_law()
    with pytest.raises(ValueError, match="std of this coordinate is 0"):
        GaussianNoise(0.0).coordinate_law()
    with pytest.raises(ValueError, match="w must be a finite real number in"):
        TwoPointNoise(sigma=1.0, tau=1.0).coordinate_law(1.0, 4)


@pytest.mark.parametrize(
    "noise, W",
    [(GaussianNoise(0.8), 0.0), (RademacherNoise(0.8), 0.0), (TwoPointNoise(sigma=1.6, tau=1.0, shared=False), 0.6)],
)
def test_expected_abs_matches_the_sampler(noise, W):
    """Monte Carlo of E|g + eps| from verify's sampler: the CI covers the law's value; the same check
    rejects the value 5% off (negative control)."""
    dim, rows, g = 4, 100_000, 0.3
    state = np.full((rows, dim), W)
    eps = noise.perturb(np.full((rows, dim), g), state, np.random.default_rng(7), np.empty((rows, dim)))
    law = noise.coordinate_law(W, dim) if isinstance(noise, TwoPointNoise) else noise.coordinate_law()
    estimate = mean_ci(np.abs(eps).mean(axis=1), LEVEL)
    exact = law.expected_abs(g)
    assert estimate.covers(exact), f"{estimate} misses {exact}"
    for wrong in (0.95 * exact, 1.05 * exact):
        assert not estimate.covers(wrong), f"{estimate} cannot reject {wrong}"


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: GaussianLaw(-1.0), "s must be a finite real number > 0"),
        (lambda: RademacherLaw(0.0), "s must be a finite real number > 0"),
        (lambda: TwoPointLaw(1.0, 1.0), r"p must be a finite real number in \(0, 1\)"),
        (lambda: TwoPointLaw.from_state(1.0, 0, 0.0, 1.0), "D must be an integer >= 1"),
        (lambda: a5_constant(GaussianLaw(1.0), 2, scaling="paper"), "scaling must be one of"),
        (lambda: a5_constant(GaussianLaw.symbolic(), 2), "is symbolic"),
        (lambda: a5_constant_limit(0), "D must be an integer >= 1"),
        (lambda: two_point_c_over_states(3, x_max=1.0), r"x_max must be a finite real number in \[0, 1\)"),
        (lambda: GaussianLaw(1.0).expected_abs([0.0, np.nan]), "g must contain only finite values"),
        (lambda: gaussian_expected_abs_as_printed(0.0, -1.0), "s must be a finite real number > 0"),
    ],
)
def test_invalid_inputs_name_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_wrong_kind_of_law_is_a_type_error():
    with pytest.raises(TypeError, match="law must be a GaussianLaw"):
        a5_constant("gaussian", 2)


# ---------------------------------------------------------------------------------------------
# issue 15: extreme scales computed or refused by name, symbolic laws say they have no numbers,
# every size argument capped
# ---------------------------------------------------------------------------------------------


def test_issue15_tiny_gaussian_scale_is_computed_by_scaling():
    """Reproducers: ``GaussianLaw(1e-300).expected_abs(0.0)`` and ``.mean_abs()`` were nan (s^2 underflowed);
    the twins are now evaluated at s = 1 and scaled, so the values are right (s sqrt(2/pi) ~ 8e-301)."""
    law = GaussianLaw(1e-300)
    exact = 1e-300 * math.sqrt(2 / math.pi)
    assert law.mean_abs() == pytest.approx(exact, rel=4e-16)
    assert law.expected_abs(0.0) == pytest.approx(exact, rel=4e-16)
    assert law.infimum() == pytest.approx(exact, rel=4e-16)
    np.testing.assert_allclose(law.expected_abs([1e308, -0.5]), [1e308, 0.5], rtol=4e-16)  # |g| >> s: |g|
    # a moderate scale still uses the twin directly, unchanged
    assert GaussianLaw(2.0).expected_abs(0.3) == float(NOISE_FORMULAS["gaussian"]["expected_abs"].numeric(0.3, 2.0))


def test_issue15_subnormal_scale_and_results_outside_the_normal_range_are_refused_naming_s():
    """``GaussianLaw(1e-320)`` is refused (subnormal); a result that itself leaves float64's normal range
    (s^2 for s = 1e-300 or 1e200, a two-point infimum below 1e-308) names the law's parameters."""
    with pytest.raises(ValueError, match=r"^s must be 0 or of magnitude >= 2\.23e-308"):
        GaussianLaw(1e-320)
    for law in (GaussianLaw(1e-300), RademacherLaw(1e200)):
        with pytest.raises(ValueError, match=r"E\[eps\^2\] of \w+ is .* at s=.*leaves float64's normal range"):
            law.second_moment()
    with pytest.raises(ValueError, match=r"at s=1e-300, p=1e-300: .* so s and p must be less extreme"):
        TwoPointLaw(1e-300, 1e-300).infimum()
    with pytest.raises(ValueError, match="the minimiser of TwoPointLaw .* s and p must be less extreme"):
        TwoPointLaw(1e-300, 1e-300).minimisers()
    with pytest.raises(ValueError, match="E|g + eps| of GaussianLaw"):
        GaussianLaw(2.3e-308).mean_abs()  # 1.8e-308: subnormal


def test_issue15_the_symbolic_law_has_no_numeric_value():
    """Reproducer: ``ZeroMeanLaw().expected_abs(0.2)`` raised KeyError('zero_mean')."""
    for call in (
        lambda: ZeroMeanLaw().expected_abs(0.2),
        lambda: ZeroMeanLaw().mean_abs(),
        lambda: ZeroMeanLaw().second_moment(),
        lambda: ZeroMeanLaw().expected_abs_excess(0.2),
    ):
        with pytest.raises(ValueError, match="ZeroMeanLaw is symbolic and has no numeric value"):
            call()
    with pytest.raises(ValueError, match="is symbolic; numeric evaluation needs float parameters"):
        GaussianLaw.symbolic().expected_abs(0.2)
    assert ZeroMeanLaw(1e200).second_moment_expression() == sp.Float(1e200) ** 2  # no OverflowError


def test_issue15_moment_order_is_capped():
    """Reproducer: ``gaussian_moment_expression(2**31)`` never answered; k is capped at MAX_MOMENT."""
    with pytest.raises(ValueError, match=r"^k must be an integer in \[0, 1000\] \(the order of a moment"):
        gaussian_moment_expression(2**31)
    with pytest.raises(ValueError, match=r"^k must be an integer"):
        gaussian_moment_expression([2])  # was functools.cache's "unhashable type: 'list'"
    with pytest.raises(ValueError, match=r"^atom epsilon\*\*k must have k <= 1000"):
        expectation(S.eps**5000, S.eps, GaussianLaw(1.0))


def test_issue15_mpmath_evaluations_refuse_none_and_huge_precision_by_name():
    """Reproducer: mpmath's "cannot create mpf from None"; and dps had no upper bound."""
    with pytest.raises(ValueError, match="^g must be a finite real number, got None"):
        gaussian_expected_abs_as_printed(None, 1.0)
    with pytest.raises(ValueError, match="^g must be a finite real number, got None"):
        GaussianLaw(1.0).expected_abs_excess(None)
    for call in (
        lambda: gaussian_expected_abs_as_printed(0.5, 1.0, dps=10**6),
        lambda: GaussianLaw(1.0).expected_abs_excess(0.5, dps=10**6),
    ):
        with pytest.raises(ValueError, match=r"^dps must be an integer in \[15, 1000\] \(digits of precision\)"):
            call()


def test_issue15_gaussian_excess_far_out_uses_the_asymptotic_series():
    """Beyond |g|/s = 1e50 the excess comes from the Mills-ratio series (mpmath's erfc fails beyond ~1e76,
    and the extra digits would be ~2 log10(|g|/s)); where both apply they agree to 50 digits."""
    from bounds.noise_laws import _gaussian_excess_series

    law = GaussianLaw(0.5)
    for g in (1e3, -2e4, 1e6):
        direct = law.expected_abs_excess(g)
        with mpmath.workdps(50):
            assert abs(_gaussian_excess_series(g, 0.5, 50) / direct - 1) < mpmath.mpf("1e-45"), g
    far = GaussianLaw(1.0).expected_abs_excess(1e308)  # was an OverflowError from inside mpmath
    assert 0 < far < mpmath.mpf(10) ** (-(10**300))
    assert 0 < GaussianLaw(1e-300).expected_abs_excess(1.0)  # |g|/s = 1e300 (was an OverflowError)
    assert RademacherLaw(1e-300).expected_abs_excess(1e308) == 0  # outside the outcomes: exactly 0


def test_issue15_finite_laws_take_any_atom():
    """``atom_expectation`` of the finite laws was NotImplementedError; it is the exact sum over the outcomes."""
    assert float(RademacherLaw(2.0).atom_expectation(S.eps**2, S.eps)) == 4.0
    assert sp.simplify(TwoPointLaw.symbolic().atom_expectation(S.eps, S.eps)) == 0
    with pytest.raises(TypeError, match="^eps_symbol must be a sympy Symbol"):
        RademacherLaw(2.0).atom_expectation(S.eps, "eps")
    with pytest.raises(TypeError, match=r"^atom must be a sympy expression"):
        GaussianLaw(1.0).atom_expectation("eps**2", S.eps)


def test_issue15_a5_constant_fields_are_checked():
    k = a5_constant(GaussianLaw(1.0), 4)
    fields = dict(
        c=k.c,
        infimum=k.infimum,
        minimisers=k.minimisers,
        sigma_sq=k.sigma_sq,
        second_moment=k.second_moment,
        dim=k.dim,
        scaling=k.scaling,
        argument=k.argument,
        source=k.source,
    )
    for name, bad, match in (
        ("c", float("nan"), "^c must be a finite real number > 0"),
        ("minimisers", (1.0, 0.0), r"^minimisers\[1\] must be a finite real number >= 1"),
        ("minimisers", 0.5, "^minimisers must be a pair"),
        ("dim", 0, "^dim must be an integer >= 1"),
        ("scaling", ["A5"], "^scaling must be one of"),
        ("sigma_sq", float("inf"), "^sigma_sq must be a finite real number > 0"),
    ):
        with pytest.raises((ValueError, TypeError), match=match):
            type(k)(**{**fields, name: bad})
