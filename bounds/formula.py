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
import numbers
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from .validation import require_array, require_finite_value, require_int, require_real

__all__ = ["Formula", "FORMULAS", "register", "relative_error", "require_expression", "RELATIONS", "MAX_DPS"]

#: the largest precision :meth:`Formula.exact` works at: 1000 digits take well under a second
#: for any registered formula, far more than any check needs (50)
MAX_DPS = 1000

#: how a formula relates to the quantity it describes
RELATIONS = ("upper", "lower", "equal", "definition")

#: default structured-grid values by symbol kind (log-spaced, with the endpoints)
_POSITIVE = (1e-3, 1e-2, 0.1, 0.5, 1.0, 2.0, 10.0, 1e2, 1e3)
_REAL = (-1e2, -2.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 2.0, 1e2)
_INTEGER = (1, 2, 3, 10, 100, 10_000)
_MAX_CORNERS = 256


def _shown(value) -> str:
    text = (
        repr(value)
        if not isinstance(value, int) or abs(value) < 10**30
        else f"an integer with {len(str(abs(value)))} digits"
    )
    return text if len(text) <= 80 else text[:77] + "..."


def require_expression(name: str, value, *, real: bool = True) -> sp.Expr:
    """Return ``value`` as a sympy expression: a sympy ``Expr`` free of ``nan``, ``oo`` and ``zoo``
    (and, with ``real``, not provably non-real), or a real number (an integer exactly, a float as a
    finite normal float64, see :func:`~bounds.validation.require_real`).

    A string is refused rather than parsed (``sympify`` would evaluate it), as is any other object:
    TypeError for the wrong kind, ValueError for a non-finite or non-real expression, each naming ``name``.

    >>> require_expression("w", 0.5), require_expression("w", 10**20)
    (0.500000000000000, 100000000000000000000)
    """
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr) or getattr(value, "is_Matrix", False):
            raise TypeError(f"{name} must be a sympy expression (sympy.Expr) or a real number, got {_shown(value)}")
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise ValueError(f"{name} must be a finite sympy expression (no nan, oo or zoo), got {_shown(value)}")
        if real and value.is_real is False:  # an assumptions query: skipped for the registry's own formulas
            raise ValueError(f"{name} must be a real sympy expression, got {_shown(value)}")
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a sympy expression (sympy.Expr) or a real number, got {_shown(value)}")
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    return sp.Float(require_real(name, value))


def _require_symbol(name: str, value) -> sp.Symbol:
    if not isinstance(value, sp.Symbol):
        raise TypeError(f"{name} must be a sympy Symbol, got {_shown(value)}")
    return value


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
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string (e.g. 'module.result'), got {_shown(self.name)}")
        object.__setattr__(self, "expr", require_expression("expr", self.expr, real=False))
        if isinstance(self.params, (str, bytes)) or not isinstance(self.params, (tuple, list)):
            raise TypeError(f"params must be a tuple of sympy Symbols, got {_shown(self.params)}")
        params = tuple(_require_symbol(f"params[{i}]", p) for i, p in enumerate(self.params))
        if len(set(params)) != len(params):
            raise ValueError(f"params must not repeat a symbol, got {params}")
        object.__setattr__(self, "params", params)
        if not isinstance(self.relation, str) or self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {_shown(self.relation)}")
        if not isinstance(self.source, str):
            raise TypeError(f"source must be a string (where the paper states it), got {_shown(self.source)}")
        if isinstance(self.domain, (str, bytes)) or not isinstance(self.domain, (tuple, list)):
            raise TypeError(f"domain must be a tuple of sympy relations, got {_shown(self.domain)}")
        for i, rel in enumerate(self.domain):
            if not isinstance(rel, sp.logic.boolalg.Boolean):
                raise TypeError(f"domain[{i}] must be a sympy relation (e.g. W_max < tau), got {_shown(rel)}")
        object.__setattr__(self, "domain", tuple(self.domain))
        if not isinstance(self.values, dict):
            raise TypeError(f"values must be a dict (sympy Symbol -> tuple of numbers), got {_shown(self.values)}")
        for sym, axis in self.values.items():
            _require_symbol("values' keys", sym)
            if isinstance(axis, (str, bytes)) or not isinstance(axis, (tuple, list)) or not axis:
                raise TypeError(f"values[{sym}] must be a non-empty tuple of real numbers, got {_shown(axis)}")
            for v in axis:
                if isinstance(v, bool) or not isinstance(v, numbers.Real):
                    raise TypeError(f"values[{sym}] must hold real numbers, got {_shown(v)}")
                require_real(f"values[{sym}]", v)
        missing = set(self.expr.free_symbols) - set(self.params)
        if missing:
            raise ValueError(f"{self.name}: params must list every free symbol, missing {sorted(map(str, missing))}")
        object.__setattr__(self, "_numpy", sp.lambdify(self.params, self.expr, modules=["scipy", "numpy"]))
        object.__setattr__(self, "_mpmath", sp.lambdify(self.params, self.expr, modules="mpmath"))

    def numeric(self, *args):
        """The float64 twin, vectorised over broadcasting array arguments.

        Each argument must be finite (named by its symbol otherwise); a value that leaves float64
        (overflow, or 0/0 at extreme inputs) raises a ValueError naming the inputs there.
        """
        arrays = self._arguments(args)
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays))
        except ValueError:
            shapes = ", ".join(f"{sym}: {a.shape}" for sym, a in zip(self.params, arrays))
            raise ValueError(f"{self.name}: the arguments' shapes do not broadcast ({shapes})") from None
        with np.errstate(all="ignore"):
            out = self._numpy(*arrays)
        if np.ndim(out) == 0 and shape:
            out = np.broadcast_to(out, shape)
        finite = np.isfinite(out)
        if not np.all(finite):
            at = np.unravel_index(np.argmin(finite), np.shape(out)) if np.ndim(out) else ()
            inputs = {str(sym): float(np.broadcast_to(a, shape)[at]) for sym, a in zip(self.params, arrays)}
            require_finite_value(self.name, np.asarray(out)[at], **inputs)
        return out

    def value(self, *args, inputs: dict | None = None) -> float:
        """One float64 value at scalar ``args``. Where it is not finite (an overflow at extreme
        inputs), a ValueError names ``inputs`` (public parameter name -> value; by default the
        formula's symbols), so a public function's message uses its own parameter names."""
        arrays = self._arguments(args)
        if any(a.ndim for a in arrays):
            raise ValueError(f"{self.name}.value takes scalars; use numeric() for arrays")
        with np.errstate(all="ignore"):
            out = float(self._numpy(*arrays))
        if inputs is None:
            inputs = {str(sym): float(a) for sym, a in zip(self.params, arrays)}
        return require_finite_value(self.name, out, **inputs)

    def exact(self, *args, dps: int = 50):
        """The value at ``dps`` significant digits (mpmath), the floats taken as exact binary values.

        Each argument is one finite real number (named by its symbol otherwise); ``dps`` is at most
        :data:`MAX_DPS`. A value that is undefined there (a division by zero, a complex or infinite
        result) raises a ValueError naming the inputs.
        """
        dps = require_int("dps", dps, low=15, high=MAX_DPS, reason="digits of precision")
        if len(args) != len(self.params):
            self._arguments(args)  # the TypeError on the count
        values = [float(require_array(str(sym), a, shape=())) for sym, a in zip(self.params, args)]
        return self._exact(values, dps)

    def _exact(self, values, dps: int):
        """:meth:`exact` on checked floats, at any ``dps`` (for callers that add guard digits)."""
        with mpmath.workdps(dps):
            try:
                value = +self._mpmath(*(mpmath.mpf(v) for v in values))
            except ZeroDivisionError:
                value = mpmath.nan
            if isinstance(value, (int, float)) and not isinstance(value, bool):  # a constant piece
                value = mpmath.mpf(value)
        if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
            inputs = {str(sym): v for sym, v in zip(self.params, values)}
            shown = ", ".join(f"{k}={v!r}" for k, v in inputs.items())
            raise ValueError(f"{self.name} is undefined (evaluates to {value}) at {shown}: outside its domain")
        return value

    def _arguments(self, args) -> list:
        if len(args) != len(self.params):
            raise TypeError(
                f"{self.name} takes {len(self.params)} arguments ({', '.join(map(str, self.params))}), got {len(args)}"
            )
        return [require_array(str(sym), a) for sym, a in zip(self.params, args)]

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
        """Whether the parameter values ``point`` (one real number per parameter) satisfy every
        relation of ``domain``."""
        if (
            isinstance(point, (str, bytes))
            or not isinstance(point, (tuple, list, np.ndarray))
            or getattr(point, "ndim", 1) != 1
        ):
            raise TypeError(f"point must be a tuple of {len(self.params)} real numbers, got {_shown(point)}")
        if len(point) != len(self.params):
            raise ValueError(f"point must hold {len(self.params)} numbers (one per parameter), got {len(point)}")
        subs = {}
        for i, (sym, v) in enumerate(zip(self.params, point)):
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise TypeError(f"point[{i}] must be a real number, got {_shown(v)}")
            subs[sym] = (
                sp.Integer(int(v)) if isinstance(v, numbers.Integral) else sp.Float(require_real(f"point[{i}]", v), 30)
            )
        return all(bool(rel.subs(subs)) for rel in self.domain)


#: every registered formula, by name
FORMULAS: dict[str, Formula] = {}


def register(name: str, expr: sp.Expr, params, *, relation: str, source: str, domain=(), values=None) -> Formula:
    """Create a :class:`Formula` and add it to :data:`FORMULAS` (names are unique)."""
    formula = Formula(name, expr, params, relation, source, domain, {} if values is None else values)
    if name in FORMULAS:
        raise ValueError(f"name {name!r} is already registered (formula names are unique)")
    FORMULAS[name] = formula
    return formula


def relative_error(approx: float, exact) -> float:
    """``|approx - exact| / |exact|`` (absolute error when exact is 0), computed in mpmath.

    ``exact`` is a real number or an mpmath ``mpf``; a relative error beyond float64 (an ``exact``
    that is tiny next to ``approx``) raises a ValueError naming both.
    """
    approx = require_real("approx", approx)
    if isinstance(exact, mpmath.mpf):
        if not mpmath.isfinite(exact):
            raise ValueError(f"exact must be a finite real number, got {exact!r}")
    else:
        exact = require_real("exact", exact)
    exact = mpmath.mpf(exact)
    diff = abs(mpmath.mpf(approx) - exact)
    error = diff / abs(exact) if exact != 0 else diff
    if error > mpmath.mpf(np.finfo(np.float64).max):
        return require_finite_value("the relative error", np.inf, approx=approx, exact=exact)
    return float(error)
