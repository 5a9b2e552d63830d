r"""Per-coordinate noise laws: E[eps], E[eps^2], E|g + eps|, and the constant c of Assumption 5.

Setting. The stochastic gradient is ``grad f(W_k) + eps_k`` (section 1.1); under Assumption 5 the
coordinates ``eps_i`` are i.i.d. with zero mean, ``E[eps_i^2] <= sigma^2/D`` and
``E|g + eps_i| >= c sigma`` for every real g. Three per-coordinate laws are modelled, each a frozen
dataclass whose moments are sympy expressions (derived here, registered with numeric twins):

* :class:`GaussianLaw`: ``eps ~ N(0, s^2)``; ``E|g + eps|`` is derived by integrating against the
  density and equals the paper's eq. (46), ``s sqrt(2/pi) 1F1(-1/2; 1/2; -g^2/(2 s^2))``;
* :class:`RademacherLaw`: ``eps = +-s`` with probability 1/2 each;
* :class:`TwoPointLaw`: Theorem 2's law (eqs. 66-67), ``eps = s sqrt((1-p)/p)`` w.p. p and
  ``-s sqrt(p/(1-p))`` w.p. 1 - p, with the state-dependent ``p = (1 - w/tau)/2`` and
  ``s = sigma/sqrt(D)`` (:meth:`TwoPointLaw.from_state`).

:func:`expectation` takes the expectation of a sympy expression in ``eps``: an exact sum over the
outcomes for the finite laws; for the Gaussian (and the symbolic :class:`ZeroMeanLaw`), linearity
over the atoms ``eps^k`` and ``|a + b eps|``.

The constant c (:func:`a5_constant`) is ``inf_g E|g + eps_i| / sigma``. ``g -> E|g + eps|`` is
convex (an average of the convex ``|g + e|``) and is minimised where ``-g`` is a median of eps.
Two scalings of sigma are offered: ``"A5"`` (``sigma^2 = D E[eps_i^2]``, the tightest sigma allowed
by A5's variance condition) and ``"coordinate"`` (``sigma^2 = E[eps_i^2]``, as App. D.2 computes).
By Jensen, ``c sigma <= E|eps_i| <= sqrt(E eps_i^2) <= sigma/sqrt(D)``: under A5 every law has
``c <= 1/sqrt(D)`` (:func:`a5_constant_limit`), so App. D.2's ``c = sqrt(2/pi)`` (C34) holds only
in the coordinate scaling; under A5 the Gaussian gives ``sqrt(2/(pi D))``.

>>> law = RademacherLaw(1.0)
>>> float(law.expected_abs(0.5)), a5_constant(law, 4).c       # E|g + eps| = max(|g|, s); c = 1/sqrt(D)
(1.0, 0.5)
"""

from __future__ import annotations

import abc
import functools
import math
from dataclasses import dataclass
from typing import ClassVar

import mpmath
import numpy as np
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .formula import MAX_DPS, Formula, register, require_expression
from .validation import require_array, require_finite_value, require_instance, require_int, require_real

__all__ = [
    "CoordinateLaw",
    "GaussianLaw",
    "RademacherLaw",
    "TwoPointLaw",
    "ZeroMeanLaw",
    "LAWS",
    "SCALINGS",
    "expectation",
    "A5Constant",
    "a5_constant",
    "a5_constant_limit",
    "gaussian_c_as_stated",
    "two_point_c",
    "two_point_c_of_state",
    "two_point_c_over_states",
    "derive_gaussian_expected_abs",
    "gaussian_moment_expression",
    "gaussian_expected_abs_as_printed",
    "GAUSSIAN_EXPECTED_ABS_PRINTED",
    "NOISE_FORMULAS",
]

#: the two ways of tying sigma to the per-coordinate law (see the module docstring)
SCALINGS = ("A5", "coordinate")
_HALF = sp.Rational(1, 2)
#: the highest Gaussian moment E[eps^k] derived on request: (k-1)!! s^k has ~k log10(k)/2 digits, and
#: the toolkit's expectations need k <= 4; 1000 answers in well under a second
MAX_MOMENT = 1000
_TINY = float(np.finfo(np.float64).tiny)
#: beyond |g|/s = this, the Gaussian excess is evaluated by its asymptotic series (mpmath's erfc
#: cannot take arguments beyond ~1e76, and the series converges at once there)
_SERIES_FROM = mpmath.mpf(10) ** 50
#: scales s whose square is a normal float64 (with room): the twins are evaluated at s directly
_MODERATE = (1e-150, 1e150)


# ---------------------------------------------------------------------------------------------
# Gaussian derivations (integration against the density)
# ---------------------------------------------------------------------------------------------


def _gaussian_density(scale: sp.Expr = S.s) -> sp.Expr:
    """The N(0, scale^2) density in the variable ``eps``."""
    return sp.exp(-(S.eps**2) / (2 * scale**2)) / (scale * sp.sqrt(2 * sp.pi))


def gaussian_moment_expression(k: int) -> sp.Expr:
    """E[eps^k] for eps ~ N(0, s^2), integrated against the density (s = the symbol ``S.s``).

    Setting: one Gaussian noise coordinate. Equal (exact), derived here. ``k`` is an integer in
    ``[0, MAX_MOMENT]``.

    >>> gaussian_moment_expression(2), gaussian_moment_expression(3), gaussian_moment_expression(4)
    (s**2, 0, 3*s**4)
    """
    k = require_int("k", k, low=0, high=MAX_MOMENT, reason="the order of a moment the toolkit derives")
    return _gaussian_moment(k)


@functools.cache
def _gaussian_moment(k: int) -> sp.Expr:
    return sp.factor(sp.integrate(S.eps**k * _gaussian_density(), (S.eps, -sp.oo, sp.oo)))


@functools.cache
def derive_gaussian_expected_abs() -> sp.Expr:
    """E|g + eps| for eps ~ N(0, s^2), derived by integration (the folded-normal mean).

    Setting: one Gaussian noise coordinate, a fixed real shift g. The integral is split at
    eps = -g, where ``|g + eps|`` changes sign::

        E|g + eps| = int_{-g}^{oo} (g + eps) phi - int_{-oo}^{-g} (g + eps) phi
                   = s sqrt(2/pi) exp(-g^2/(2 s^2)) + g erf(g/(s sqrt 2)).

    Equal (exact); it equals the paper's eq. (46) (App. D.2), see :data:`GAUSSIAN_EXPECTED_ABS_PRINTED`.

    >>> expr = derive_gaussian_expected_abs()
    >>> sp.expand(expr.subs(S.g, -S.g) - expr)      # even in g
    0
    """
    integrand = (S.g + S.eps) * _gaussian_density()
    above = sp.integrate(integrand, (S.eps, -S.g, sp.oo), conds="none")
    below = sp.integrate(integrand, (S.eps, -sp.oo, -S.g), conds="none")
    return sp.expand((above - below).rewrite(sp.erf))


#: The paper's eq. (46): E|g + eps| = s sqrt(2/pi) 1F1(-1/2; 1/2; -g^2/(2 s^2)) (App. D.2, with its
#: sigma written s here). Kept as a sympy expression; it has no float twin (sympy cannot lambdify
#: ``hyper`` to numpy) and is evaluated with mpmath by :func:`gaussian_expected_abs_as_printed`.
GAUSSIAN_EXPECTED_ABS_PRINTED = S.s * sp.sqrt(2 / sp.pi) * sp.hyper((-_HALF,), (_HALF,), -(S.g**2) / (2 * S.s**2))
_PRINTED_MPMATH = sp.lambdify((S.g, S.s), GAUSSIAN_EXPECTED_ABS_PRINTED, modules="mpmath")


def gaussian_expected_abs_as_printed(g: float, s: float, dps: int = 50):
    """The paper's eq. (46), ``s sqrt(2/pi) 1F1(-1/2; 1/2; -g^2/(2 s^2))``, in mpmath at ``dps`` digits.

    Setting: eps ~ N(0, s^2) (App. D.2). Equal to E|g + eps| as stated in eq. (46); the derived
    closed form (:func:`derive_gaussian_expected_abs`) agrees with it.

    Args:
        g: the shift, a finite real number.
        s: the standard deviation, > 0.
        dps: decimal digits of the mpmath evaluation, in [15, MAX_DPS].

    >>> abs(gaussian_expected_abs_as_printed(0.0, 2.0) - 2 * mpmath.sqrt(2 / mpmath.pi)) < 1e-15   # 1F1(.; .; 0) = 1
    True
    """
    g = require_real("g", g)
    s = require_real("s", s, low=0.0, low_open=True)
    dps = require_int("dps", dps, low=15, high=MAX_DPS, reason="digits of precision")
    with mpmath.workdps(dps):
        return +_PRINTED_MPMATH(mpmath.mpf(g), mpmath.mpf(s))


# ---------------------------------------------------------------------------------------------
# the laws
# ---------------------------------------------------------------------------------------------


def _check_parameter(name: str, value, *, low=None, high=None, low_open=False, high_open=False):
    """A float in range, or a sympy expression (for the symbolic laws) that is not provably out of range."""
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr) or value.is_real is False:
            raise ValueError(f"{name} must be a real number or a real sympy expression, got {value!r}")
        if value.is_number:
            try:
                number = float(value)
            except (TypeError, ValueError):  # zoo, or a number sympy cannot decide is real
                raise ValueError(f"{name} must be a real number or a real sympy expression, got {value!r}") from None
            return _check_parameter(name, number, low=low, high=high, low_open=low_open, high_open=high_open)
        if low is not None and (value < low) is sp.true or high is not None and (value > high) is sp.true:
            raise ValueError(f"{name} must lie in the law's range, got {value!r}")
        return value
    return require_real(name, value, low=low, high=high, low_open=low_open, high_open=high_open)


class CoordinateLaw(abc.ABC):
    """The law of one noise coordinate ``eps_i`` (zero mean), numeric or symbolic.

    Subclasses are frozen dataclasses. Their closed forms are registered formulas in
    :data:`NOISE_FORMULAS` (``kind -> quantity -> Formula``); the instance methods substitute the
    instance's parameters (``*_expression``) or evaluate the numeric twins (the others).

    Numbers. Every law's first parameter ``s`` is a scale (eps/s has a law free of s). For ``s``
    outside ``[1e-150, 1e150]``, where the twins' ``s^2`` would leave float64, the numeric methods
    evaluate the twins at ``s = 1`` and scale the result (``E|g + eps| = s E|g/s + eps/s|``), so
    ``GaussianLaw(1e-300).mean_abs()`` is ``1e-300 sqrt(2/pi)``. Any normal float64 ``s`` is
    accepted; a result that itself leaves float64's normal range (``E[eps^2] = s^2`` for
    ``s = 1e-200`` or ``1e200``) raises a ValueError naming the law's parameters: no method
    returns 0 for a positive quantity, a subnormal, inf or NaN. The symbolic laws
    (:class:`ZeroMeanLaw`, or sympy parameters) have no numbers: a ValueError says so.
    """

    #: registry key of the law, e.g. ``"gaussian"``
    kind: ClassVar[str]
    #: the law's parameters: field name -> sympy symbol of the registered formulas
    parameter_symbols: ClassVar[dict]
    #: why the infimum of g -> E|g + eps| is where :meth:`minimisers` says
    argument: ClassVar[str]

    # ---- symbolic side --------------------------------------------------------------------
    @classmethod
    def symbolic(cls) -> CoordinateLaw:
        """The law with its parameters left as the symbols of :mod:`bounds.symbols`."""
        return cls(*cls.parameter_symbols.values())

    @property
    def is_symbolic(self) -> bool:
        """Whether any parameter is a sympy expression rather than a float."""
        return any(isinstance(getattr(self, name), sp.Basic) for name in self.parameter_symbols)

    @property
    def substitutions(self) -> dict:
        """Formula symbol -> this law's value."""
        return {sym: getattr(self, name) for name, sym in self.parameter_symbols.items()}

    def _expression(self, quantity: str, g=None) -> sp.Expr:
        expr = NOISE_FORMULAS[self.kind][quantity].expr.subs(self.substitutions)
        return expr if g is None else expr.subs(S.g, g)

    def mean_expression(self) -> sp.Expr:
        """E[eps]."""
        return self._expression("mean")

    def second_moment_expression(self) -> sp.Expr:
        """E[eps^2]."""
        return self._expression("second_moment")

    def expected_abs_expression(self, g: sp.Expr = S.g) -> sp.Expr:
        """E|g + eps| as a function of the shift g (a sympy expression or a real number)."""
        return self._expression("expected_abs", require_expression("g", g))

    def mean_abs_expression(self) -> sp.Expr:
        """E|eps| (E|g + eps| at g = 0), taken with :func:`expectation` so the finite laws simplify."""
        return expectation(sp.Abs(S.eps), S.eps, self)

    def infimum_expression(self) -> sp.Expr:
        """inf over g of E|g + eps|."""
        return self._expression("infimum")

    def finalize(self, expr: sp.Expr) -> sp.Expr:
        """Undo internal helper symbols in an expectation (the two-point law's ``q = 1 - p``)."""
        return require_expression("expr", expr)

    def atom_expectation(self, atom: sp.Expr, eps_symbol: sp.Symbol) -> sp.Expr:
        """E[atom] for an atom free of constants: ``1``, ``eps^k`` or ``|a + b eps|``.

        The finite laws take any atom (the exact sum over their outcomes); the Gaussian and the
        zero-mean law those three forms (linearity), a ValueError for any other.
        """
        atom, eps_symbol = _atom_arguments(atom, eps_symbol)
        return self.finalize(sp.Add(*(prob * atom.subs(eps_symbol, value) for value, prob in self.outcomes())))

    # ---- numeric side ---------------------------------------------------------------------
    def _numbers(self) -> tuple:
        if self.is_symbolic:
            raise ValueError(f"{self!r} is symbolic; numeric evaluation needs float parameters")
        return tuple(getattr(self, name) for name in self.parameter_symbols)

    def _twin(self, quantity: str, *leading):
        numbers = self._numbers()
        return NOISE_FORMULAS[self.kind][quantity].numeric(*leading, *numbers)

    def _scaled(self, quantity: str, power: int, *leading):
        """``quantity`` (homogeneous of degree ``power`` in s, ``leading`` of degree 1), by the twin:
        directly for a moderate scale, else at ``s = 1`` times ``s**power`` (s^2 leaves float64 for
        |s| outside about 1e-154..1e154, and the twins square s)."""
        s, *shape = self._numbers()
        formula = NOISE_FORMULAS[self.kind][quantity]
        if _MODERATE[0] <= s <= _MODERATE[1]:
            return formula.numeric(*leading, s, *shape)
        with np.errstate(all="ignore"):
            unit = formula.numeric(*(x / s for x in leading), 1.0, *shape)
            return unit * np.float64(s) ** power

    def _normal(self, what: str, value, **inputs):
        """``value`` (a float or array of a positive quantity) if every entry is a normal float64;
        otherwise a ValueError naming the law's parameters (and ``inputs``)."""
        arr = np.asarray(value, dtype=np.float64)
        bad = ~(np.isfinite(arr) & (np.abs(arr) >= _TINY))
        if bad.any():
            at = np.unravel_index(np.argmax(bad), arr.shape) if arr.ndim else ()
            shown = {**dict(zip(self.parameter_symbols, self._numbers()))}
            shown.update({k: float(np.broadcast_to(v, arr.shape)[at]) for k, v in inputs.items()})
            listed = ", ".join(f"{k}={v!r}" for k, v in shown.items())
            raise ValueError(
                f"{what} of {type(self).__name__} is {float(arr[at])!r} at {listed}: it leaves float64's normal "
                f"range ({_TINY:.3g} to {np.finfo(np.float64).max:.3g}), so {' and '.join(shown)} must be less extreme"
            )
        return value

    def mean(self) -> float:
        """E[eps] (registered twin): 0 for every law."""
        return float(self._twin("mean"))

    def second_moment(self) -> float:
        """E[eps^2] (registered twin), ``s^2``; a ValueError naming s where s^2 leaves float64's normal range."""
        return self._normal("E[eps^2]", float(self._scaled("second_moment", 2)))

    def expected_abs(self, g=0.0):
        """E|g + eps|, vectorised over ``g`` (registered twin, scaled for an extreme s; no cancellation).

        ``g`` is a real number or array of finite reals; the value lies in ``[max(|g|, inf E|.|),
        |g| + E|eps|]``, and a value beyond float64 raises a ValueError naming g and the law's parameters.
        """
        g_arr = require_array("g", g)
        s = self._numbers()[0]
        with np.errstate(all="ignore"):
            # |g|/s beyond float64 (only for a tiny s): the excess over |g| is below |g| 2^-1000, so the value is |g|
            finite = np.isfinite(g_arr / s)
            scaled = np.asarray(self._scaled("expected_abs", 1, np.where(finite, g_arr, 0.0)), dtype=np.float64)
            out = np.where(finite, scaled, np.abs(g_arr))
        out = self._normal("E|g + eps|", out, g=g_arr)
        return float(out) if out.ndim == 0 else out

    def mean_abs(self) -> float:
        """E|eps|."""
        return float(self.expected_abs(0.0))

    def expected_abs_excess(self, g: float, dps: int = 50):
        """``E|g + eps| - |g| >= 0`` as an ``mpmath.mpf``, evaluated in mpmath at ``dps`` digits.

        In floats the difference cancels when ``|g|`` >> the noise scale (and underflows for the
        Gaussian once (g/s)^2/2 > 745), so it is always evaluated in mpmath, with extra digits
        for the cancellation that remains in the registered form (for the Gaussian beyond
        ``|g|/s = 1e50``, by the asymptotic series of the Mills ratio instead, which has none).
        ``dps`` is in ``[15, MAX_DPS]``.
        """
        g = require_real("g", g)
        dps = require_int("dps", dps, low=15, high=MAX_DPS, reason="digits of precision")
        numbers = self._numbers()
        with mpmath.workdps(30):
            ratio = abs(mpmath.mpf(g)) / mpmath.mpf(numbers[0])  # |g| over the scale s
        if self.kind == "gaussian" and ratio > _SERIES_FROM:
            return _gaussian_excess_series(g, numbers[0], dps)
        extra = 10 + int(2 * mpmath.log10(1 + min(ratio, _SERIES_FROM)))
        value = NOISE_FORMULAS[self.kind]["expected_abs_excess"]._exact([g, *numbers], dps + extra)
        with mpmath.workdps(dps):
            return +value

    def infimum(self) -> float:
        """inf over g of E|g + eps| (registered twin, scaled for an extreme s)."""
        return self._normal("inf_g E|g + eps|", float(self._scaled("infimum", 1)))

    @abc.abstractmethod
    def minimisers(self) -> tuple[float, float]:
        """``(lo, hi)``: E|g + eps| attains its infimum exactly for g in [lo, hi]."""

    def minimiser(self) -> float:
        """A shift g attaining the infimum: the midpoint of :meth:`minimisers`."""
        lo, hi = self.minimisers()
        return 0.5 * lo + 0.5 * hi


def _gaussian_excess_series(g: float, s: float, dps: int):
    """``E|g + eps| - |g|`` for eps ~ N(0, s^2) and ``u = |g|/s > 1e50``: ``s sqrt(2/pi) e^{-u^2/2}
    sum_{k>=1} (-1)^{k-1} (2k-1)!! u^{-2k}`` (the asymptotic series of ``sqrt(2/pi) e^{-u^2/2} - u
    erfc(u/sqrt 2)``; its terms shrink by ``(2k+1)/u^2 < 1e-99`` each, so the error after the last
    term kept is below ``10^-(dps + 10)`` of the sum)."""
    with mpmath.workdps(dps + 10):
        u = abs(mpmath.mpf(g)) / mpmath.mpf(s)
        x = 1 / u**2
        total, term, k = mpmath.mpf(0), x, 1
        tolerance = mpmath.mpf(10) ** (-(dps + 10))
        while abs(term) > tolerance * abs(total) or total == 0:
            total += term
            term = -term * (2 * k + 1) * x
            k += 1
        value = mpmath.mpf(s) * mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(-(u**2) / 2) * total
    with mpmath.workdps(dps):
        return +value


def _atom_arguments(atom, eps_symbol) -> tuple:
    atom = require_expression("atom", atom)
    if not isinstance(eps_symbol, sp.Symbol):
        raise TypeError(f"eps_symbol must be a sympy Symbol, got {eps_symbol!r}"[:200])
    return atom, eps_symbol


def _linear_expectation(law: CoordinateLaw, expr: sp.Expr, eps_symbol: sp.Symbol) -> sp.Expr:
    """Linearity: expand, split each term into (factor free of eps) * atom, take E of the atoms."""
    total = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(expr)):
        coefficient, atom = term.as_independent(eps_symbol, as_Add=False)
        total += coefficient * law.atom_expectation(atom, eps_symbol)
    return total


def _affine_abs(atom: sp.Expr, eps_symbol: sp.Symbol, law: CoordinateLaw):
    """``(a, b)`` for an atom ``|a + b eps|`` with a, b free of eps and b != 0, else None."""
    if not isinstance(atom, sp.Abs):
        return None
    inner = atom.args[0]
    slope = sp.diff(inner, eps_symbol)
    if slope.has(eps_symbol) or slope == 0:
        return None
    return sp.expand(inner - slope * eps_symbol), slope


def _unsupported(law: CoordinateLaw, atom: sp.Expr, eps_symbol) -> ValueError:
    return ValueError(
        f"expectation under {type(law).__name__} handles sums of (factor free of {eps_symbol}) "
        f"times 1, {eps_symbol}**k or |a + b*{eps_symbol}| (a, b free of {eps_symbol}); "
        f"got the term (atom) {atom}"
    )


@dataclass(frozen=True)
class GaussianLaw(CoordinateLaw):
    """eps ~ N(0, s^2): the Gaussian noise of App. D.2 and of the experiments."""

    s: float
    """Standard deviation. Must be > 0 (A5 needs non-zero noise)."""

    kind: ClassVar = "gaussian"
    parameter_symbols: ClassVar = {"s": S.s}
    argument: ClassVar = (
        "g -> E|g + eps| is convex (an average of the convex |g + e|) and even (eps is "
        "symmetric), so it is minimised at g = 0 (the median of -eps), where it equals "
        "E|eps| = s sqrt(2/pi); its second derivative 2 phi(g) > 0 makes 0 the only minimiser"
    )

    def __post_init__(self):
        object.__setattr__(self, "s", _check_parameter("s", self.s, low=0.0, low_open=True))

    def atom_expectation(self, atom, eps_symbol):
        atom, eps_symbol = _atom_arguments(atom, eps_symbol)
        if atom == 1:
            return sp.Integer(1)
        if atom == eps_symbol:
            return gaussian_moment_expression(1).subs(S.s, self.s)
        if isinstance(atom, sp.Pow) and atom.base == eps_symbol and atom.exp.is_Integer and atom.exp >= 0:
            if atom.exp > MAX_MOMENT:
                raise ValueError(
                    f"atom {eps_symbol}**k must have k <= {MAX_MOMENT} (the order of a moment the toolkit "
                    f"derives), got k = {atom.exp}"
                )
            return gaussian_moment_expression(int(atom.exp)).subs(S.s, self.s)
        affine = _affine_abs(atom, eps_symbol, self)
        if affine is None:
            raise _unsupported(self, atom, eps_symbol)
        a, b = affine
        return sp.Abs(b) * self.expected_abs_expression(a / b)

    def minimisers(self):
        self._numbers()
        return (0.0, 0.0)


@dataclass(frozen=True)
class RademacherLaw(CoordinateLaw):
    """eps = +s or -s with probability 1/2 each."""

    s: float
    """Magnitude. Must be > 0."""

    kind: ClassVar = "rademacher"
    parameter_symbols: ClassVar = {"s": S.s}
    argument: ClassVar = (
        "E|g + eps| = (|g + s| + |g - s|)/2 = max(|g|, s) is piecewise linear and convex with "
        "kinks at g = -s and g = s (slopes -1, 0, +1), so its infimum s is attained on the "
        "whole interval [-s, s] (every median of -eps)"
    )

    def __post_init__(self):
        object.__setattr__(self, "s", _check_parameter("s", self.s, low=0.0, low_open=True))

    def outcomes(self) -> tuple:
        """``((value, probability), ...)`` as sympy expressions."""
        return ((self.s * sp.Integer(1), _HALF), (-self.s * sp.Integer(1), _HALF))

    def minimisers(self):
        (s,) = self._numbers()
        return (-s, s)


@dataclass(frozen=True)
class TwoPointLaw(CoordinateLaw):
    r"""Theorem 2's two-point law (eqs. 66-67): mean 0, variance s^2, skewed by p.

    ``eps = +s sqrt((1 - p)/p)`` with probability p and ``-s sqrt(p/(1 - p))`` with probability 1 - p.
    In the lower-bound instance ``p = (1 - w/tau)/2`` depends on the weight and ``s = sigma/sqrt(D)``
    (:meth:`from_state`).
    """

    s: float
    """Scale: E[eps^2] = s^2. Must be > 0."""
    p: float
    """Probability of the positive outcome, in (0, 1)."""

    kind: ClassVar = "two_point"
    parameter_symbols: ClassVar = {"s": S.s, "p": S.p}
    argument: ClassVar = (
        "E|g + eps| = p|g + a| + (1-p)|g - b| (a = s sqrt((1-p)/p), b = s sqrt(p/(1-p))) is "
        "piecewise linear and convex with kinks at g = -a and g = b and slopes -1, 2p-1, +1; "
        "for p < 1/2 the middle slope is negative and the minimum is at the kink g = b, "
        "for p > 1/2 at g = -a (the median of -eps), for p = 1/2 on [-s, s]; the value is "
        "s sqrt(min(p, 1-p)/max(p, 1-p))"
    )

    def __post_init__(self):
        object.__setattr__(self, "s", _check_parameter("s", self.s, low=0.0, low_open=True))
        object.__setattr__(self, "p", _check_parameter("p", self.p, low=0.0, high=1.0, low_open=True, high_open=True))

    @classmethod
    def from_state(cls, sigma: float, D: int, w: float, tau: float) -> TwoPointLaw:
        """The law at a coordinate with weight ``w``: ``p = (1 - w/tau)/2``, ``s = sigma/sqrt(D)`` (66-67).

        Args:
            sigma: total noise level, E||eps||^2 = sigma^2; > 0.
            D: number of coordinates, >= 1.
            w: the weight, ``|w| < tau`` (so that p lies in (0, 1)).
            tau: the device bound, > 0.

        >>> law = TwoPointLaw.from_state(sigma=2.0, D=4, w=0.5, tau=1.0)
        >>> law.s, law.p, law.second_moment()
        (1.0, 0.25, 1.0)
        """
        sigma = require_real("sigma", sigma, low=0.0, low_open=True)
        D = require_int("D", D, low=1)
        tau = require_real("tau", tau, low=0.0, low_open=True)
        w = require_real("w", w, low=-tau, high=tau, low_open=True, high_open=True)
        s = sigma / math.sqrt(D)
        if s < _TINY:
            raise ValueError(f"sigma and D must give s = sigma/sqrt(D) >= {_TINY:.3g} (a normal float64), got {s!r}")
        return cls(s, 0.5 * (1.0 - w / tau))  # |w| < tau in floats keeps |w/tau| <= 1 - 2^-53: p in (0, 1)

    @staticmethod
    def state_substitution() -> dict:
        """The symbolic state map of eqs. (66-67): ``p -> (1 - w/tau)/2``, ``s -> sigma/sqrt(D)``."""
        return {S.p: (1 - S.w / S.tau) / 2, S.s: S.sigma / sp.sqrt(S.D)}

    @property
    def _q(self):
        """1 - p; the positive helper symbol ``q`` while p is the symbol ``p`` (so roots split cleanly)."""
        return S.q if self.p == S.p else 1 - self.p

    def outcomes(self) -> tuple:
        """``((value, probability), ...)`` as sympy expressions (in p and q = 1 - p when symbolic)."""
        p, q = sp.sympify(self.p), sp.sympify(self._q)
        return ((self.s * sp.sqrt(q) / sp.sqrt(p), p), (-self.s * sp.sqrt(p) / sp.sqrt(q), q))

    def finalize(self, expr):
        expr = require_expression("expr", expr)
        return expr.subs(S.q, 1 - S.p) if self.p == S.p else expr

    def minimisers(self):
        s, p = self._numbers()
        if p == 0.5:
            return (-s, s)
        # the kink b = s sqrt(p/(1-p)) (p < 1/2) or -a = -s sqrt((1-p)/p) (p > 1/2), kept within float64
        kink = s * math.sqrt(p / (1.0 - p)) if p < 0.5 else -s * math.sqrt((1.0 - p) / p)
        self._normal("the minimiser", kink)
        return (kink, kink)


@dataclass(frozen=True)
class ZeroMeanLaw(CoordinateLaw):
    """Any zero-mean law with E[eps^2] = s^2, symbolically: E|g + eps| stays the function ``S.E_abs(g)``.

    Used to derive what holds for every law (the drift's structure); it has no numbers.
    """

    s: sp.Expr = S.s
    """Root mean square of eps."""

    kind: ClassVar = "zero_mean"
    parameter_symbols: ClassVar = {"s": S.s}
    argument: ClassVar = "no closed form: E|g + eps| is the unspecified convex function E_abs(g)"

    def __post_init__(self):
        object.__setattr__(self, "s", _check_parameter("s", self.s, low=0.0, low_open=True))

    def mean_expression(self):
        return sp.Integer(0)

    def second_moment_expression(self):
        return sp.sympify(self.s) ** 2

    def expected_abs_expression(self, g=S.g):
        return S.E_abs(require_expression("g", g))

    def infimum_expression(self):
        raise ValueError("ZeroMeanLaw has no closed-form infimum")

    def atom_expectation(self, atom, eps_symbol):
        atom, eps_symbol = _atom_arguments(atom, eps_symbol)
        if atom == 1:
            return sp.Integer(1)
        if atom == eps_symbol:
            return sp.Integer(0)
        if atom == eps_symbol**2:
            return self.s**2
        affine = _affine_abs(atom, eps_symbol, self)
        if affine is None:
            raise _unsupported(self, atom, eps_symbol)
        a, b = affine
        return sp.Abs(b) * S.E_abs(sp.simplify(a / b))

    def minimisers(self):
        raise ValueError("ZeroMeanLaw is symbolic and has no numeric minimiser")

    def _numbers(self):
        raise ValueError(
            "ZeroMeanLaw is symbolic and has no numeric value (E|g + eps| is the unspecified function "
            "E_abs(g)); numeric evaluation needs a GaussianLaw, RademacherLaw or TwoPointLaw"
        )


#: the concrete laws by kind
LAWS = {cls.kind: cls for cls in (GaussianLaw, RademacherLaw, TwoPointLaw)}


def expectation(expr, eps_symbol: sp.Symbol, law: CoordinateLaw) -> sp.Expr:
    """E[expr] over ``eps_symbol`` distributed as ``law`` (the other symbols held fixed).

    Setting: one noise coordinate. Finite laws (Rademacher, two-point): the exact sum
    ``sum_j P(eps = v_j) expr(v_j)``. Gaussian and :class:`ZeroMeanLaw`: linearity over the atoms
    ``1``, ``eps^k`` (Gaussian: integrated moments; zero-mean law: k <= 2) and ``|a + b eps|`` with
    a, b free of eps (``= |b| E|a/b + eps|``); any other dependence on eps raises ValueError.
    Equal (exact).

    Args:
        expr: a sympy expression (or something sympify accepts).
        eps_symbol: the sympy symbol standing for the noise coordinate.
        law: a :class:`CoordinateLaw`, numeric or symbolic.

    >>> law = RademacherLaw.symbolic()
    >>> expectation(S.eps**2 + 3 * S.eps + 1, S.eps, law)      # E[eps^2] + 3 E[eps] + 1
    s**2 + 1
    """
    if not isinstance(eps_symbol, sp.Symbol):
        raise TypeError(f"eps_symbol must be a sympy Symbol, got {eps_symbol!r}"[:200])
    require_instance("law", law, CoordinateLaw, "bounds.noise_laws.GaussianLaw(1.0)")
    expr = require_expression("expr", expr)
    if hasattr(law, "outcomes"):
        result = sp.Add(*(prob * expr.subs(eps_symbol, value) for value, prob in law.outcomes()))
    else:
        result = _linear_expectation(law, expr, eps_symbol)
    return law.finalize(result)


# ---------------------------------------------------------------------------------------------
# the registered closed forms
# ---------------------------------------------------------------------------------------------

_GRID_P = (1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999)
_GRID_X = (-0.999, -0.9, -0.5, -0.1, 0.0, 0.1, 0.5, 0.9, 0.999)
#: grid of the Gaussian excess twin: |g|/s <= 4 (see the registration below)
_GRID_EXCESS_G = (-2.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 2.0)
_GRID_EXCESS_S = (0.5, 1.0, 2.0, 10.0, 1e2, 1e3)


def _finite_law_infimum(law: CoordinateLaw) -> sp.Expr:
    """inf_g E|g + eps| for a finite law: the convex piecewise-linear function is smallest at a kink
    g = -v_j (v_j an outcome), so the infimum is the Min over the kinks (s factored out, and p + q = 1
    used before q is replaced by 1 - p)."""
    h = sp.Add(*(prob * sp.Abs(S.g + value) for value, prob in law.outcomes()))
    at_kinks = [sp.simplify(sp.simplify(h.subs(S.g, -value) / S.s).subs(S.p + S.q, 1)) for value, _ in law.outcomes()]
    return law.finalize(S.s * sp.Min(*at_kinks))


def _finite_law_excess(law: CoordinateLaw) -> sp.Expr:
    """E|g + eps| - |g| for a two-outcome law ``v_up > 0 > v_down``, piecewise on the regions cut by the
    kinks -v_up < 0 < -v_down, with every |.| resolved by its sign there and p + q = 1 used. The
    pieces are free of the float cancellation of the plain difference (it is exactly 0 outside the
    kinks), so the twin is accurate everywhere."""
    (v_up, p_up), (v_down, p_down) = law.outcomes()

    def piece(sign_up, sign_down, sign_g):
        expr = p_up * sign_up * (S.g + v_up) + p_down * sign_down * (S.g + v_down) - sign_g * S.g
        return sp.factor(law.finalize(sp.expand(expr)))

    expr = sp.Piecewise(
        (piece(-1, -1, -1), S.g <= -v_up),
        (piece(1, -1, -1), S.g < 0),
        (piece(1, -1, 1), S.g < -v_down),
        (piece(1, 1, 1), True),
    )
    return law.finalize(expr)


def _derive_and_register() -> dict:
    formulas: dict = {}
    for kind, cls in LAWS.items():
        law = cls.symbolic()
        params = tuple(cls.parameter_symbols.values())
        values = {S.p: _GRID_P} if S.p in params else {}
        domain = (S.p < 1,) if S.p in params else ()
        source = (
            "derived here (exact sum over the outcomes)"
            if hasattr(law, "outcomes")
            else "derived here (integration against the N(0, s^2) density)"
        )
        if kind == "gaussian":
            mean = gaussian_moment_expression(1)
            second = gaussian_moment_expression(2)
            expected_abs = derive_gaussian_expected_abs()
            # even in g, so g erf(g k) = |g| erf(|g| k); then erf = 1 - erfc leaves no |g| - |g|
            excess = sp.expand((expected_abs.subs(S.g, sp.Abs(S.g)) - sp.Abs(S.g)).rewrite(sp.erfc))
            infimum = expected_abs.subs(S.g, 0)  # convex and even: the minimum is at g = 0
        else:
            mean = sp.simplify(expectation(S.eps, S.eps, law))
            second = sp.simplify(expectation(S.eps**2, S.eps, law))
            expected_abs = expectation(sp.Abs(S.g + S.eps), S.eps, law)
            excess = _finite_law_excess(law)
            infimum = _finite_law_infimum(law)
        entries = {
            "mean": (mean, "equal"),
            "second_moment": (second, "equal"),
            "expected_abs": (expected_abs, "equal"),
            "expected_abs_excess": (excess, "equal"),
            "infimum": (infimum, "equal"),
            "c_A5": (sp.simplify(infimum / sp.sqrt(S.D * second)), "equal"),
            "c_coordinate": (sp.simplify(infimum / sp.sqrt(second)), "equal"),
        }
        formulas[kind] = {}
        for quantity, (expr, relation) in entries.items():
            if quantity.startswith("c_"):  # c depends on the law's shape only (s cancels)
                used = ((S.D,) if quantity == "c_A5" else ()) + tuple(sym for sym in params if sym in expr.free_symbols)
            else:  # the moments take every parameter of the law, in order
                used = ((S.g,) if quantity.startswith("expected_abs") else ()) + params
            grid = dict(values)
            if kind == "gaussian" and quantity == "expected_abs_excess":
                # The float twin subtracts two terms of size ~ s exp(-z^2) (z = |g|/(s sqrt 2)) whose
                # difference is smaller by ~2 z^2, and it underflows once z^2 > ~700. Measured relative
                # error: 4e-14 at |g|/s = 4, 8e-13 at 10, 5e-11 at 30, 1 (wrong) at 38. Its test grid
                # therefore stops at |g|/s = 4; the public CoordinateLaw.expected_abs_excess always
                # evaluates it in mpmath.
                grid = {S.g: _GRID_EXCESS_G, S.s: _GRID_EXCESS_S}
            formulas[kind][quantity] = register(
                f"noise_laws.{kind}.{quantity}",
                expr,
                used,
                relation=relation,
                source=source,
                domain=domain,
                values=grid,
            )
    # the two-point constant as a function of the normalised state x = w/tau (p = (1 - x)/2)
    for scaling in SCALINGS:
        expr = formulas["two_point"][f"c_{scaling}"].expr.subs(S.p, (1 - S.x) / 2)
        expr = sp.simplify(expr)
        params = (S.x, S.D) if scaling == "A5" else (S.x,)
        formulas["two_point"][f"c_{scaling}_state"] = register(
            f"noise_laws.two_point.c_{scaling}_state",
            expr,
            params,
            relation="equal",
            source="derived here, with p = (1 - w/tau)/2 of eqs. (66-67)",
            domain=(S.x < 1, S.x > -1),
            values={S.x: _GRID_X},
        )
    # the Jensen limit: c sigma <= E|eps| <= sqrt(E eps^2) = sqrt(second), sigma^2 = D second (A5) or second
    generic = ZeroMeanLaw()
    rms = sp.sqrt(generic.second_moment_expression())
    formulas["limit"] = {
        "c_A5": register(
            "noise_laws.c_limit_A5",
            sp.simplify(rms / sp.sqrt(S.D * rms**2)),
            (S.D,),
            relation="upper",
            source="derived here (Jensen: c <= E|eps_i|/sigma <= 1/sqrt(D))",
        ),
        "c_coordinate": register(
            "noise_laws.c_limit_coordinate",
            sp.simplify(rms / rms),
            (),
            relation="upper",
            source="derived here (Jensen: c <= E|eps_i|/sigma <= 1)",
        ),
    }
    formulas["as_stated"] = {
        "gaussian_c": register(
            "noise_laws.gaussian.c_as_stated",
            sp.sqrt(2 / sp.pi),
            (),
            relation="equal",
            source="arXiv v1 App. D.2, after eq. (50) (C34: c = sqrt(2/pi))",
        ),
    }
    return formulas


#: kind -> quantity -> registered :class:`~bounds.formula.Formula`; kinds ``gaussian``,
#: ``rademacher``, ``two_point`` (quantities ``mean``, ``second_moment``, ``expected_abs``,
#: ``expected_abs_excess``, ``infimum``, ``c_A5``, ``c_coordinate``; two_point also
#: ``c_A5_state``, ``c_coordinate_state`` in x = w/tau), ``limit`` and ``as_stated``
NOISE_FORMULAS: dict[str, dict[str, Formula]] = _derive_and_register()


# ---------------------------------------------------------------------------------------------
# the constant c of Assumption 5
# ---------------------------------------------------------------------------------------------


def _require_scaling(scaling) -> str:
    if not isinstance(scaling, str) or scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}, got {scaling!r}"[:200])
    return scaling


def _require_law(law) -> CoordinateLaw:
    if not isinstance(law, CoordinateLaw) or isinstance(law, ZeroMeanLaw):
        raise TypeError(f"law must be a GaussianLaw, RademacherLaw or TwoPointLaw, got {law!r}"[:200])
    law._numbers()
    return law


@dataclass(frozen=True)
class A5Constant:
    """The constant c of Assumption 5 for one law, dimension and scaling, with how it was found."""

    c: float
    """inf_g E|g + eps_i| / sigma: the largest c with E|g + eps_i| >= c sigma for every g."""
    infimum: float
    """inf_g E|g + eps_i|."""
    minimisers: tuple
    """(lo, hi): the infimum is attained exactly for g in [lo, hi]."""
    sigma_sq: float
    """sigma^2 as the scaling sets it: D E[eps_i^2] ("A5") or E[eps_i^2] ("coordinate")."""
    second_moment: float
    """E[eps_i^2]."""
    dim: int
    """D."""
    scaling: str
    """"A5" or "coordinate"."""
    argument: str
    """Why the infimum is attained at :attr:`minimisers`."""
    source: str
    """The registered formula that gave c."""

    def __post_init__(self):
        for name in ("c", "infimum"):
            object.__setattr__(self, name, require_real(name, getattr(self, name), low=0.0, low_open=True))
        if isinstance(self.minimisers, (str, bytes)) or not isinstance(self.minimisers, (tuple, list)):
            raise TypeError(f"minimisers must be a pair (lo, hi) of real numbers, got {self.minimisers!r}"[:200])
        if len(self.minimisers) != 2:
            raise ValueError(f"minimisers must be a pair (lo, hi), got {len(self.minimisers)} values")
        lo = require_real("minimisers[0]", self.minimisers[0])
        hi = require_real("minimisers[1]", self.minimisers[1], low=lo)
        object.__setattr__(self, "minimisers", (lo, hi))
        for name in ("sigma_sq", "second_moment"):
            object.__setattr__(self, name, require_real(name, getattr(self, name), low=0.0, low_open=True))
        object.__setattr__(self, "dim", require_int("dim", self.dim, low=1))
        _require_scaling(self.scaling)
        for name in ("argument", "source"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a string, got {getattr(self, name)!r}"[:200])

    @property
    def minimiser(self) -> float:
        """A minimising g (the midpoint of :attr:`minimisers`)."""
        return 0.5 * (self.minimisers[0] + self.minimisers[1])

    @property
    def sigma(self) -> float:
        return math.sqrt(self.sigma_sq)

    @property
    def bound(self) -> Bound:
        """c as a :class:`Bound` (equal), with A5's variance condition ``D E[eps_i^2] <= sigma^2``.

        Under the coordinate scaling that condition fails for every D > 1: sigma^2 = E[eps_i^2] is
        then D times too small for A5.
        """
        condition = Condition(
            "A5: E[eps_i^2] <= sigma^2/D, i.e. D E[eps_i^2] <= sigma^2",
            self.dim * self.second_moment,
            "<=",
            self.sigma_sq,
            source="Assumption 5",
        )
        return Bound(
            f"A5 constant c ({self.scaling} scaling, D = {self.dim})",
            "equal",
            self.c,
            (condition,),
            source=self.source,
            assumes=("the coordinates eps_i are i.i.d. with this law (A5)",),
            terms={"infimum": self.infimum, "minimiser": self.minimiser, "sigma": self.sigma},
        )


def a5_constant(law: CoordinateLaw, D: int, scaling: str = "A5") -> A5Constant:
    """The constant c of Assumption 5: ``c = inf_g E|g + eps_i| / sigma`` for i.i.d. coordinates ~ ``law``.

    Setting: A5 (coordinate-wise i.i.d. zero-mean noise, ``E[eps_i^2] <= sigma^2/D``,
    ``E|g + eps_i| >= c sigma`` for all g). Claim: the best (largest) c is exactly this ratio
    (equal); with ``scaling="A5"`` sigma is the smallest A5 allows, ``sigma^2 = D E[eps_i^2]``, and
    with ``"coordinate"`` it is ``sigma^2 = E[eps_i^2]`` (App. D.2's convention, C34). The infimum
    is found from convexity: see :attr:`A5Constant.argument`.

    Args:
        law: a numeric GaussianLaw, RademacherLaw or TwoPointLaw.
        D: number of coordinates, >= 1.
        scaling: "A5" or "coordinate".

    >>> k = a5_constant(GaussianLaw(3.0), D=4)
    >>> abs(k.c - math.sqrt(2 / (math.pi * 4))) < 1e-15, k.minimiser
    (True, 0.0)
    """
    law = _require_law(law)
    D = require_int("D", D, low=1)
    scaling = _require_scaling(scaling)
    formula = NOISE_FORMULAS[law.kind][f"c_{scaling}"]
    numbers = dict(zip(law.parameter_symbols.values(), law._numbers()))
    numbers[S.D] = D
    c = float(formula.numeric(*(numbers[sym] for sym in formula.params)))
    second = law.second_moment()
    sigma_sq = require_finite_value("sigma^2 = D E[eps_i^2]", D * second, D=D, law=law) if scaling == "A5" else second
    return A5Constant(
        c=c,
        infimum=law.infimum(),
        minimisers=law.minimisers(),
        sigma_sq=sigma_sq,
        second_moment=second,
        dim=D,
        scaling=scaling,
        argument=law.argument,
        source=formula.name,
    )


def a5_constant_limit(D: int, scaling: str = "A5") -> Bound:
    """Upper limit on c for ANY law: ``c <= 1/sqrt(D)`` under A5 (``c <= 1`` with sigma^2 = E[eps_i^2]).

    Setting: A5. Claim (upper), derived here. Proof: take g = 0 in ``E|g + eps_i| >= c sigma`` and
    apply Jensen's inequality (``E|X| <= sqrt(E X^2)``) and A5's variance condition::

        c sigma <= E|eps_i| <= sqrt(E[eps_i^2]) <= sigma/sqrt(D),

    so ``c <= 1/sqrt(D)``. The Rademacher law attains it (``E|g + eps| = max(|g|, s) >= s``). In the
    coordinate scaling the last step reads ``sqrt(E[eps_i^2]) = sigma``, so ``c <= 1``.

    Args:
        D: number of coordinates, >= 1.
        scaling: "A5" or "coordinate".

    >>> a5_constant_limit(4).value, a5_constant_limit(4, "coordinate").value
    (0.5, 1.0)
    """
    D = require_int("D", D, low=1)
    scaling = _require_scaling(scaling)
    formula = NOISE_FORMULAS["limit"][f"c_{scaling}"]
    value = float(formula.numeric(D)) if scaling == "A5" else float(formula.numeric())
    return Bound(
        f"c <= {'1/sqrt(D)' if scaling == 'A5' else '1'} for every law ({scaling} scaling)",
        "upper",
        value,
        (),
        source=formula.source,
        assumes=("A5 with this scaling of sigma",),
    )


def gaussian_c_as_stated() -> Bound:
    """C34 as stated: Gaussian noise satisfies A5 with ``c = sqrt(2/pi)`` (App. D.2, after eq. 50).

    Setting: eps_i ~ N(0, sigma^2) per coordinate, as App. D.2 writes it. Claim (equal, "c ~ sqrt(2/pi)").
    It is exact in the coordinate scaling (:func:`a5_constant` with ``scaling="coordinate"``);
    under A5's ``E[eps_i^2] <= sigma^2/D`` the constant is ``sqrt(2/(pi D))``.

    >>> gaussian_c_as_stated().value == a5_constant(GaussianLaw(1.0), D=1).c
    True
    """
    formula = NOISE_FORMULAS["as_stated"]["gaussian_c"]
    return Bound(
        "C34: Gaussian c = sqrt(2/pi) (as stated)",
        "equal",
        float(formula.numeric()),
        (),
        source=formula.source,
        assumes=("eps_i ~ N(0, sigma^2) per coordinate (App. D.2)",),
    )


def two_point_c(p: float, D: int, scaling: str = "A5") -> float:
    """c of the two-point law at probability p: ``sqrt(min(p, 1-p)/max(p, 1-p))/sqrt(D)`` (A5 scaling).

    Setting: eqs. (66-67), coordinates i.i.d. (``TwoPointNoise(shared=False)``). Equal, derived here;
    the scale s cancels. In the coordinate scaling drop the 1/sqrt(D).

    >>> two_point_c(0.5, 1) == 1.0, two_point_c(0.25, 3) == two_point_c(0.75, 3)
    (True, True)
    """
    p = require_real("p", p, low=0.0, high=1.0, low_open=True, high_open=True)
    D = require_int("D", D, low=1)
    scaling = _require_scaling(scaling)
    return a5_constant(TwoPointLaw(1.0, p), D, scaling).c


def two_point_c_of_state(x: float, D: int, scaling: str = "A5") -> float:
    """c of the two-point law at the normalised weight ``x = w/tau``: ``sqrt((1-|x|)/(1+|x|)/D)`` (A5).

    Setting: eqs. (66-67) with ``p = (1 - x)/2``. Equal, derived here (registered as
    ``noise_laws.two_point.c_A5_state``).

    >>> abs(two_point_c_of_state(0.5, 1) - 3 ** -0.5) < 1e-15
    True
    """
    x = require_real("x", x, low=-1.0, high=1.0, low_open=True, high_open=True)
    D = require_int("D", D, low=1)
    scaling = _require_scaling(scaling)
    formula = NOISE_FORMULAS["two_point"][f"c_{scaling}_state"]
    return float(formula.numeric(x, D) if scaling == "A5" else formula.numeric(x))


def two_point_c_over_states(D: int, x_max: float = 0.5, scaling: str = "A5") -> A5Constant:
    """The smallest c of the two-point law over the states ``|w| <= x_max tau`` (Lemma 2: x_max = 1/2).

    Setting: Theorem 2's instance, whose weights stay in ``|w| <= tau/2`` (Lemma 2). The state
    dependence p = (1 - w/tau)/2 makes c a function of w: ``c(x) = sqrt((1-|x|)/(1+|x|))/sqrt(D)``,
    which decreases in ``|x|``, so the minimum over ``|x| <= x_max`` is at ``|x| = x_max``:
    ``sqrt((1 - x_max)/(1 + x_max))/sqrt(D)``, i.e. ``1/sqrt(3 D)`` on Lemma 2's range. Equal,
    derived here. Returns the :class:`A5Constant` of the law at the worst state w = x_max tau
    (p = (1 - x_max)/2; w = -x_max tau gives the same c).

    Args:
        D: number of coordinates, >= 1.
        x_max: the range of states as a fraction of tau, in [0, 1).
        scaling: "A5" or "coordinate".

    >>> k = two_point_c_over_states(D=3)
    >>> abs(k.c - 1 / 3) < 1e-15                    # 1/sqrt(3 D) with D = 3
    True
    """
    D = require_int("D", D, low=1)
    x_max = require_real("x_max", x_max, low=0.0, high=1.0, high_open=True)
    scaling = _require_scaling(scaling)
    worst = a5_constant(TwoPointLaw(1.0, 0.5 * (1.0 - x_max)), D, scaling)
    argument = (
        f"c(x) = sqrt((1-|x|)/(1+|x|)) / sqrt(D) decreases in |x| = |w|/tau, so over |x| <= {x_max:g} it is "
        f"smallest at |x| = {x_max:g}, p = {0.5 * (1 - x_max):g} (or 1 - p); there: " + worst.argument
    )
    return A5Constant(
        c=worst.c,
        infimum=worst.infimum,
        minimisers=worst.minimisers,
        sigma_sq=worst.sigma_sq,
        second_moment=worst.second_moment,
        dim=D,
        scaling=scaling,
        argument=argument,
        source=NOISE_FORMULAS["two_point"][f"c_{scaling}_state"].name,
    )
