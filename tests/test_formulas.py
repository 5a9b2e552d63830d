"""Every registered closed form: its numpy twin against mpmath at 50 digits, and sympy's own evaluation.

One parametrised test per formula of :data:`bounds.formula.FORMULAS` (PEPit's lesson: the relation is
data, one test runs the whole registry). Each formula is evaluated on its structured grid
(log-spaced values and the endpoints, filtered by its domain); every failing point is reported
with its relative error.

Tolerance: the twins are float64 evaluations of expressions with at most a few dozen operations,
each rounding with relative error u = 2^-53 ~ 1.1e-16; on the grids below the expressions are
well conditioned (no subtraction of nearly equal terms is left to floats: those cases are
evaluated in mpmath by the modules themselves), so 1e-12 leaves a factor of ~100 over
(number of operations) * u. A twin with a wrong constant or sign misses by far more.
"""

from __future__ import annotations

import importlib
import pkgutil

import mpmath
import numpy as np
import pytest
import sympy as sp

import bounds
from bounds.formula import FORMULAS, Formula, register, relative_error

TOLERANCE = 1e-12

for module in pkgutil.iter_modules(bounds.__path__):
    importlib.import_module(f"bounds.{module.name}")


def _points(formula: Formula):
    points = formula.grid()
    assert points, f"{formula.name}: the structured grid is empty (domain {formula.domain})"
    return points


def _twin_failures(formula: Formula, tolerance: float) -> list[str]:
    failures = []
    for point in _points(formula):
        exact = formula.exact(*point)
        approx = float(formula.numeric(*point))
        if not mpmath.isfinite(exact) or not np.isfinite(approx):
            failures.append(f"{point}: non-finite (twin {approx}, exact {exact})")
            continue
        error = relative_error(approx, exact)
        if error > tolerance:
            failures.append(f"{point}: twin {approx!r} vs exact {mpmath.nstr(exact, 20)} (rel. error {error:.2e})")
    return failures


def test_registry_is_populated():
    prefixes = {name.split(".")[0] for name in FORMULAS}
    assert "saturation" in prefixes, sorted(prefixes)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_numeric_twin_matches_mpmath_at_50_digits(name):
    failures = _twin_failures(FORMULAS[name], TOLERANCE)
    assert not failures, f"{name}: {len(failures)} grid point(s) off:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_mpmath_oracle_matches_sympy_evalf(name):
    """The oracle path (lambdify to mpmath) against sympy's own arbitrary-precision evaluation."""
    formula = FORMULAS[name]
    points = _points(formula)
    for point in points[:: max(1, len(points) // 12)]:  # a spread of at most ~12 points
        subs = {sym: sp.Float(float(v), 60) for sym, v in zip(formula.params, point)}  # the exact binary value
        by_sympy = formula.expr.evalf(40, subs=subs)
        assert by_sympy.is_number and by_sympy.is_real, f"{name}: sympy gives {by_sympy} at {point}"
        with mpmath.workdps(50):
            oracle, other = formula.exact(*point), mpmath.mpf(str(by_sympy))
            error = abs(oracle - other) / (abs(other) if other else 1)
        assert error < 1e-30, f"{name} at {point}: mpmath {oracle} vs sympy {by_sympy} (rel. error {error})"


def test_negative_control_a_wrong_twin_is_caught():
    """The same check rejects a twin whose constant is off in the 9th digit."""
    from bounds import symbols as S

    right = register(
        "test_negative_control.right", S.W_max**2 / S.tau**2, (S.W_max, S.tau), relation="definition", source="test"
    )
    try:
        wrong = Formula("test_negative_control.wrong", right.expr, right.params, "definition", "test")
        object.__setattr__(wrong, "_numpy", lambda w, t: (1 + 1e-9) * w**2 / t**2)
        assert not _twin_failures(right, TOLERANCE)
        failures = _twin_failures(wrong, TOLERANCE)
        assert len(failures) == len(wrong.grid()), failures
    finally:
        del FORMULAS["test_negative_control.right"]


# ---------------------------------------------------------------------------------------------
# issue 15: the registry's entry points and Bound/Condition refuse bad input by name
# ---------------------------------------------------------------------------------------------
from bounds import symbols as S  # noqa: E402
from bounds.applicability import Bound, Condition  # noqa: E402
from bounds.formula import MAX_DPS, require_expression  # noqa: E402
from bounds.saturation import SATURATION_TERM  # noqa: E402


def test_issue15_relative_error_refuses_nan_by_name():
    """Reproducer: ``relative_error(nan, 1.5)`` returned nan."""
    with pytest.raises(ValueError, match="^approx must be a finite real number, got nan"):
        relative_error(float("nan"), 1.5)
    with pytest.raises(ValueError, match="^exact must be a finite real number"):
        relative_error(1.0, mpmath.mpf("inf"))
    with pytest.raises(ValueError, match=r"the relative error is beyond float64 .* at approx=1e\+308"):
        relative_error(1e308, mpmath.mpf("1e-400"))


def test_issue15_numeric_and_exact_name_their_arguments_by_symbol():
    with pytest.raises(ValueError, match="^W_max must be an array of finite real numbers, got None"):
        SATURATION_TERM.numeric(None, 1.0)
    with pytest.raises(ValueError, match=r"saturation\.term is beyond float64 .* at W_max=1\.0, tau=1\.0"):
        SATURATION_TERM.numeric(1.0, 1.0)  # r/(1 - r) at r = 1
    with pytest.raises(ValueError, match=r"saturation\.term is undefined \(evaluates to nan\) at W_max=1\.0, tau=1\.0"):
        SATURATION_TERM.exact(1.0, 1.0)  # was mpmath's ZeroDivisionError
    with pytest.raises(ValueError, match=r"^tau must have shape \(\), got shape \(2,\)"):
        SATURATION_TERM.exact(0.5, [1.0, 2.0])
    with pytest.raises(ValueError, match=rf"^dps must be an integer in \[15, {MAX_DPS}\] \(digits of precision\)"):
        SATURATION_TERM.exact(0.5, 1.0, dps=10**6)
    with pytest.raises(TypeError, match=r"takes 2 arguments \(W_max, tau\), got 1"):
        SATURATION_TERM.numeric(0.5)


def test_issue15_formula_fields_and_registration_are_checked():
    for kwargs, error, match in (
        (dict(expr="g**2"), TypeError, "^expr must be a sympy expression"),
        (dict(expr=S.g / 0), ValueError, "^expr must be a finite sympy expression"),
        (dict(params=(S.g, "s")), TypeError, r"^params\[1\] must be a sympy Symbol"),
        (dict(params=()), ValueError, "params must list every free symbol"),
        (dict(relation="bound"), ValueError, "^relation must be one of"),
        (dict(domain=(0.5,)), TypeError, r"^domain\[0\] must be a sympy relation"),
        (dict(values={S.g: (float("nan"),)}), ValueError, r"^values\[g\] must be a finite real number"),
        (dict(name=None), TypeError, "^name must be a non-empty string"),
    ):
        args = dict(name="test_issue15.f", expr=S.g**2, params=(S.g,), relation="definition", source="test")
        with pytest.raises(error, match=match):
            register(**{**args, **kwargs})
        assert "test_issue15.f" not in FORMULAS
    with pytest.raises(ValueError, match="^name 'saturation.term' is already registered"):
        register("saturation.term", S.g, (S.g,), relation="definition", source="test")
    with pytest.raises(ValueError, match="^point must hold 2 numbers"):
        SATURATION_TERM.in_domain((0.5,))
    with pytest.raises(TypeError, match=r"^point\[1\] must be a real number"):
        SATURATION_TERM.in_domain((0.5, None))


def test_issue15_require_expression():
    assert require_expression("w", 2) == sp.Integer(2) and require_expression("w", S.w) is S.w
    for bad, error in (("w", TypeError), (None, TypeError), ([1.0], TypeError), (True, TypeError)):
        with pytest.raises(error, match="^w must be a sympy expression"):
            require_expression("w", bad)
    for bad in (float("nan"), sp.zoo, sp.I * 2, 1e-320):
        with pytest.raises(ValueError, match="^w must be"):
            require_expression("w", bad)


def test_issue15_bound_and_condition_fields_are_checked():
    """Reproducer: ``Bound(..., conditions=(0.5,))`` was accepted and broke later (AttributeError in .applicable)."""
    holds = Condition("a <= b", 0.1, "<=", 0.25)
    fails = Condition("a <= b", 0.5, "<=", 0.25)
    with pytest.raises(TypeError, match=r"^conditions must be a tuple of Condition objects; conditions\[0\] is 0\.5"):
        Bound("demo", "upper", 1.0, (0.5,))
    with pytest.raises(TypeError, match="^conditions must be a tuple of Condition objects, got 0.5"):
        Bound("demo", "upper", 1.0, 0.5)
    with pytest.raises(ValueError, match=r"^demo: terms\['rate'\] must be a real number, not NaN"):
        Bound("demo", "upper", 1.0, (fails,), terms={"rate": float("nan")})
    with pytest.raises(ValueError, match=r"^demo: terms\['rate'\] is infinite although every condition holds"):
        Bound("demo", "upper", 1.0, (holds,), terms={"rate": float("inf")})
    with pytest.raises(ValueError, match="^demo: value must be a real number, not NaN"):
        Bound("demo", "upper", float("nan"), (fails,))
    with pytest.raises(ValueError, match="^demo: value inf although every condition holds"):
        Bound("demo", "upper", 10**400, (holds,))  # an int beyond float64 is +inf: only when not applicable
    with pytest.raises(TypeError, match="^demo: value must be a real number, got '1.0'"):
        Bound("demo", "upper", "1.0", (holds,))
    with pytest.raises(TypeError, match="^assumes must be a tuple of strings"):
        Bound("demo", "upper", 1.0, (holds,), assumes="A1")
    with pytest.raises(ValueError, match="^trivial must be a finite real number"):
        Bound("demo", "upper", 1.0, (holds,), trivial=float("inf"))
    not_applicable = Bound("demo", "upper", float("inf"), (fails,), terms={"rate": float("inf"), "D": 4})
    assert not not_applicable.applicable and not_applicable.terms == {"rate": float("inf"), "D": 4}
    with pytest.raises(ValueError, match=r"^lhs \(of 'a <= b'\) must be a finite real number, got nan"):
        Condition("a <= b", float("nan"), "<=", 1.0)
    with pytest.raises(ValueError, match=r"^rhs \(of 'a <= b'\) must be a finite real number"):
        Condition("a <= b", 0.0, "<=", float("inf"))
    with pytest.raises(ValueError, match="^relation must be one of"):
        Condition("a <= b", 0.0, ["<="], 1.0)
    with pytest.raises(TypeError, match="^statement must be a string"):
        Condition(None, 0.0, "<=", 1.0)
