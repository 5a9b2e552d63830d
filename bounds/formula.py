r"""Closed-form results as data: a sympy expression with its numpy twin and its mpmath oracle.

Every closed form of ``bounds`` (an expectation, a drift, a bound's right-hand side, a constant)
is registered here once as a :class:`Formula`: the exact sympy expression, the ordered parameter
symbols, its relation to the quantity it describes and where it comes from. The fast numpy
function and the 50-digit mpmath evaluation are both lambdified from that one expression, so a
single parametrised test holds every twin to its oracle over a structured grid.

>>> from bounds import symbols as S
>>> f = Formula("example.half_square", S.g**2 / 2, (S.g,), relation="definition", source="doctest")
>>> float(f.numeric(3.0)), f.exact(3.0)
(4.5, mpf('4.5'))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

__all__ = ["Formula", "FORMULAS", "register", "relative_error", "RELATIONS"]

#: how a formula relates to the quantity it describes
RELATIONS = ("upper", "lower", "equal", "definition")

#: default structured-grid values by symbol kind (log-spaced, with the endpoints)
_POSITIVE = (1e-3, 1e-2, 0.1, 0.5, 1.0, 2.0, 10.0, 1e2, 1e3)
_REAL = (-1e2, -2.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 2.0, 1e2)
_INTEGER = (1, 2, 3, 10, 100, 10_000)
_MAX_CORNERS = 256


def _default_values(symbol: sp.Symbol) -> tuple:
    if symbol.is_integer:
        return _INTEGER
    if symbol.is_positive:
        return _POSITIVE
    if symbol.is_nonnegative:
        return (0.0,) + _POSITIVE
    return _REAL


@dataclass(frozen=True, eq=False)
class Formula:
    """One closed form: ``expr`` in the ordered ``params``, with a numeric twin and an oracle.

    ``domain`` holds sympy relations the parameters must satisfy (e.g. ``W_max < tau``);
    ``values`` overrides the structured-grid values of some parameters.
    """

    name: str
    """Registry key, ``module.result``, e.g. ``"analog_sgd.theorem1_rhs"``."""
    expr: sp.Expr
    """The exact expression."""
    params: tuple
    """Argument order of :meth:`numeric` and :meth:`exact`: every free symbol of ``expr``."""
    relation: str
    """``upper``, ``lower`` or ``equal`` (a bound or an exact value of a random quantity) or ``definition``."""
    source: str
    """Where the paper states it, e.g. ``"arXiv v1 eq. (65)"``, or ``"derived here"``."""
    domain: tuple = ()
    """Relations (sympy) that valid parameters satisfy; used to filter the test grid."""
    values: dict = field(default_factory=dict)
    """Structured-grid values for some parameters (symbol -> tuple); others get log-spaced defaults."""

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {self.relation!r}")
        object.__setattr__(self, "params", tuple(self.params))
        missing = set(self.expr.free_symbols) - set(self.params)
        if missing:
            raise ValueError(f"{self.name}: params must list every free symbol, missing {sorted(map(str, missing))}")
        object.__setattr__(self, "_numpy", sp.lambdify(self.params, self.expr, modules=["scipy", "numpy"]))
        object.__setattr__(self, "_mpmath", sp.lambdify(self.params, self.expr, modules="mpmath"))

    def numeric(self, *args):
        """The float64 twin, vectorised over broadcasting array arguments."""
        out = self._numpy(*(np.asarray(a, dtype=np.float64) for a in args))
        return (
            np.broadcast_to(out, np.broadcast_shapes(*(np.shape(a) for a in args)))
            if np.ndim(out) == 0 and any(np.ndim(a) for a in args)
            else out
        )

    def exact(self, *args, dps: int = 50):
        """The value at ``dps`` significant digits (mpmath), the floats taken as exact binary values."""
        with mpmath.workdps(dps):
            return +self._mpmath(*(mpmath.mpf(float(a)) for a in args))

    def grid(self) -> list[tuple]:
        """Structured test points: each parameter swept over its values with the others at their
        middle value, plus every corner (each parameter at an end) when there are few enough;
        points outside ``domain`` are dropped."""
        axes = [tuple(self.values.get(sym, _default_values(sym))) for sym in self.params]
        middle = [axis[len(axis) // 2] for axis in axes]
        points = {tuple(middle)}
        for i, axis in enumerate(axes):
            points.update(tuple(middle[:i] + [v] + middle[i + 1 :]) for v in axis)
        if 2 ** len(axes) <= _MAX_CORNERS:
            points.update(itertools.product(*[(axis[0], axis[-1]) for axis in axes]))
        return sorted(p for p in points if self.in_domain(p))

    def in_domain(self, point) -> bool:
        """Whether the parameter values ``point`` satisfy every relation of ``domain``."""
        subs = dict(zip(self.params, (sp.Float(v, 30) if isinstance(v, float) else sp.Integer(v) for v in point)))
        return all(bool(rel.subs(subs)) for rel in self.domain)


#: every registered formula, by name
FORMULAS: dict[str, Formula] = {}


def register(name: str, expr: sp.Expr, params, *, relation: str, source: str, domain=(), values=None) -> Formula:
    """Create a :class:`Formula` and add it to :data:`FORMULAS` (names are unique)."""
    if name in FORMULAS:
        raise ValueError(f"formula {name!r} is already registered")
    formula = Formula(name, sp.sympify(expr), tuple(params), relation, source, tuple(domain), dict(values or {}))
    FORMULAS[name] = formula
    return formula


def relative_error(approx: float, exact) -> float:
    """``|approx - exact| / |exact|`` (absolute error when exact is 0), computed in mpmath."""
    exact = mpmath.mpf(exact)
    diff = abs(mpmath.mpf(float(approx)) - exact)
    return float(diff / abs(exact)) if exact != 0 else float(diff)
