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
