r"""The response-function calculus of 2502.06309 for any :class:`~bounds.devices.Device`, and its implicit penalty.

Setting (2502.06309 §2-§3, App. G). A device is given by its response functions ``q_+(w)``, ``q_-(w)`` on
its range ``[w_min, w_max]`` (the paper's ``[tau_min, tau_max]``), eq. (3). From them (eq. (4), §3.1, (42)):

* ``F = (q_- + q_+)/2`` and ``G = (q_- - q_+)/2``, the symmetric and asymmetric parts;
* ``R = G/F``, the asymmetric ratio, and its antiderivative ``R_c(w) = int_{w_min}^{w} R`` (42);
* the saturation vector ``q_+ q_- = F^2 - G^2`` (App. B (17)); Assumption 3's ``R_min`` is its minimum;
* the symmetric point ``w_sym``: ``G(w_sym) = 0`` (§2);
* ``F_max`` and ``R_min = min q_+ q_-`` over a box ``[w_lo, w_hi]`` (App. B (18), App. H);
* Definition 1: positive-definiteness, differentiability, saturation ``q_+(w_max) = q_-(w_min) = 0``.

Symbolic results come from the device class's :meth:`~bounds.devices.Device.response_expressions`
(a device *class* gives expressions in its parameter symbols, an *instance* in exact rationals of its
constants: ``0.3 -> 3/10``); numbers from numpy twins and mpmath oracles lambdified from the same
expressions.

Implicit penalty (Theorem 1, Theorem 5, eqs. (42)-(50)). For ``f = (L/2)(w - w*)^2``, a device and a
zero-mean noise law with ``Sigma = E|eps|``:

(a) :func:`stationary_point`: the exact alpha -> 0 limit of Analog SGD's stationary law, the root of the
    mean map ``b(w) = -[g F(w) + E|g + eps| G(w)]``, ``g = L(w - w*)`` (from the dynamics (2)/(5); solved by
    :func:`bounds.asymptotics.solve_scalar`, with its first-order term in alpha);
(b) :func:`penalised_minimiser`: the minimiser of the paper's ``f_Sigma = f + Sigma R_c`` (47), the root of
    ``L(w - w*) + Sigma R(w) = 0`` (51); (a) and (b) differ only through ``E|g + eps| - Sigma`` (O(g^2) for
    Gaussian noise, 0 for Rademacher noise while ``|g| <= s``);
(c) :data:`LINEARISED`: the closed-form linearisation ``W_S`` of (50), as printed
    ``(f'' w* - R'(w_sym) Sigma w_sym)/(f'' - R'(w_sym) Sigma)`` and as the derivation (51)-(53) gives it,
    with plus signs (the digest's Ambiguity 13).

>>> from bounds.devices import LinearResponseDevice
>>> dev = LinearResponseDevice(tau=1.0, c_lin=0.3)
>>> round(symmetric_point(dev), 12), response_expressions(dev).G
(0.3, w - 3/10)
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field, fields

import mpmath
import numpy as np
import scipy.optimize
import sympy as sp

from . import symbols as S
from .applicability import Condition
from .asymptotics import ScalarAsymptotics, ScalarChain, analog_sgd_chain, law_moment_expressions, solve_scalar
from .devices import Device
from .formula import register, require_expression
from .noise_laws import CoordinateLaw, GaussianLaw, RademacherLaw
from .validation import require_instance, require_int, require_real

__all__ = [
    "NoSymmetricPointError",
    "ResponseExpressions",
    "response_expressions",
    "accumulated_asymmetry",
    "accumulated_asymmetry_value",
    "symmetric_points",
    "symmetric_point",
    "BoxExtrema",
    "box_extrema",
    "Definition1",
    "definition1",
    "R_PRIME",
    "LINEARISED",
    "stationary_chain",
    "stationary_point",
    "penalised_gradient",
    "penalised_minimiser",
    "effective_update",
    "ImplicitPenalty",
    "implicit_penalty",
    "residual_limit_gradient",
]

#: R'(w_sym), the slope of the asymmetric ratio at the symmetric point (Theorem 5's grad R(W_diamond))
R_PRIME = sp.Symbol("R_prime", positive=True)
#: grid points on which roots, extrema and Definition 1 are searched (then refined)
GRID = 2049
#: the precision cap of the mpmath evaluations (the checks use 30 to 50 digits)
MAX_DPS = 200
_DPS_REASON = "digits of precision; the checks use 30 to 50"
_SOURCE_G = "2502.06309 Thm 5 (48), (50)"


class NoSymmetricPointError(ValueError):
    """No symmetric point in range: ``G`` has no root in ``[w_min, w_max]``."""


# ------------------------------------------------------------------------------------------------
# devices, symbolic and numeric
# ------------------------------------------------------------------------------------------------


def _device(device, *, instance: bool = False):
    """A bounded Device instance (or, unless ``instance``, a Device subclass)."""
    if isinstance(device, type) and issubclass(device, Device) and not instance:
        cls = device
    else:
        require_instance("device", device, Device, "PowerResponseDevice(tau=1.0, gamma=2.0)")
        cls = type(device)
    if cls.range_ends is None:
        raise ValueError(f"device must have a bounded range [w_min, w_max], got {device!r} (range_ends is None)")
    return device


def _exact(value: float) -> sp.Rational:
    """The exact rational of a float's shortest repr (``0.3 -> 3/10``)."""
    return sp.Rational(repr(float(value)))


def _substitutions(device) -> dict:
    if isinstance(device, type):
        return {}
    return {sym: _exact(getattr(device, name)) for name, sym in device.parameter_symbols.items()}


@functools.cache
def _class_parts(cls) -> dict[str, sp.Expr]:
    q_plus, q_minus = cls.response_expressions(S.w)
    F, G = cls.symmetric_part_expression(S.w), cls.asymmetric_part_expression(S.w)
    return {"q_plus": q_plus, "q_minus": q_minus, "F": F, "G": G, "R": G / F, "saturation": q_plus * q_minus}


@functools.cache
def _lambdified(cls, part: str, modules: str):
    return sp.lambdify((S.w, *cls.parameter_symbols.values()), _class_parts(cls)[part], modules=modules)


@functools.cache
def _derivative(cls, subs_key: tuple, part: str, order: int):
    """mpmath function of w: the ``order``-th derivative of ``part`` with the constants substituted exactly
    first (so ``(1 - w)^2`` differentiates to ``-2 (1 - w)``, not ``-gamma (1 - w)^gamma/(1 - w)``); ``|u|`` is
    differentiated as ``sqrt(u^2)``, so a kink gives 0/0."""
    x = sp.Symbol("x")  # no assumptions: sympy would turn sqrt(w^2) back into |w| for a real w
    expr = _class_parts(cls)[part].subs(dict(subs_key)).subs(S.w, x).replace(sp.Abs, lambda a: sp.sqrt(a**2))
    return sp.lambdify(x, sp.diff(expr, x, order), modules="mpmath")


def _key(device) -> tuple:
    return tuple(sorted(_substitutions(device).items(), key=lambda kv: kv[0].name))


def _numpy(device, part: str, w):
    """``part`` on float64 ``w``; non-finite where undefined."""
    values = [getattr(device, name) for name in device.parameter_symbols]
    w = np.asarray(w, dtype=np.float64)
    with np.errstate(all="ignore"):
        out = np.asarray(_lambdified(type(device), part, "numpy")(w, *values), dtype=np.float64)
    return np.broadcast_to(out, w.shape).copy() if out.shape != w.shape else out


def _mp(device, part: str, w, order: int = 0):
    """``part`` (or its ``order``-th derivative) at ``w`` in mpmath (the current precision); raises on a pole."""
    if order:
        return _derivative(type(device), _key(device), part, order)(mpmath.mpf(w))
    values = [mpmath.mpf(getattr(device, name)) for name in device.parameter_symbols]
    return _lambdified(type(device), part, "mpmath")(mpmath.mpf(w), *values)


def _dps(dps) -> int:
    return require_int("dps", dps, low=15, high=MAX_DPS, reason=_DPS_REASON)


@dataclass(frozen=True)
class ResponseExpressions:
    """q+, q-, F, G, R = G/F and the saturation vector q+ q- (sympy, in ``bounds.symbols.w``) and the range."""

    q_plus: sp.Expr
    q_minus: sp.Expr
    F: sp.Expr
    G: sp.Expr
    R: sp.Expr
    saturation: sp.Expr
    w_min: sp.Expr
    w_max: sp.Expr

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, require_expression(f.name, getattr(self, f.name)))


def response_expressions(device) -> ResponseExpressions:
    """The calculus's expressions for a Device class (its parameter symbols) or instance (exact rationals).

    F = (q- + q+)/2, G = (q- - q+)/2 (4); R = G/F (§3.1); saturation = q+ q- (App. B (17)).

    >>> from bounds.devices import AsymmetricLinearDevice
    >>> e = response_expressions(AsymmetricLinearDevice)
    >>> e.F, sp.simplify(e.R - (S.w - S.w_sp) / S.tau)
    (1, 0)
    """
    device = _device(device)
    subs = _substitutions(device)
    parts = {k: sp.cancel(v.subs(subs)) if subs else v for k, v in _class_parts(_cls(device)).items()}
    low, high = (end.subs(subs) for end in _cls(device).range_expressions())
    return ResponseExpressions(**parts, w_min=low, w_max=high)


def _cls(device):
    return device if isinstance(device, type) else type(device)


@functools.cache
def _antiderivative(cls, subs_key: tuple) -> sp.Expr:
    subs = dict(subs_key)
    R = _class_parts(cls)["R"].subs(subs)
    for candidate in (sp.cancel(R), sp.simplify(R)):
        A = sp.integrate(candidate, S.w)
        if not A.has(sp.Integral):
            return A
    raise ValueError(
        f"device: sympy finds no closed form of R_c for {cls.__name__} with {dict(subs_key) or 'symbolic parameters'}"
    )


def _verified(device, A: sp.Expr, R: sp.Expr) -> None:
    """The closed-form check: dA/dw = R, symbolically or (instances) at 40 digits on interior points."""
    if sp.simplify(sp.diff(A, S.w) - R) == 0:
        return
    if not isinstance(device, type):
        lo, hi = device.w_min, device.w_max
        dA, Rf = sp.lambdify(S.w, sp.diff(A, S.w), "mpmath"), sp.lambdify(S.w, R, "mpmath")
        with mpmath.workdps(40):
            points = [mpmath.mpf(lo) + (mpmath.mpf(hi) - lo) * k / 8 for k in range(1, 8)]
            if all(abs(dA(x) - Rf(x)) <= mpmath.mpf(10) ** -30 * (1 + abs(Rf(x))) for x in points):
                return
    raise ValueError(f"device: the antiderivative sympy found for {device!r} does not differentiate back to R")


def accumulated_asymmetry(device, lower=None) -> sp.Expr:
    r"""``R_c(w) = int_{lower}^{w} R(t) dt`` in closed form (sympy), ``lower`` defaulting to ``w_min`` (42).

    For a Device class the result is in its parameter symbols (``lower`` an expression in them), for an
    instance in exact rationals (``lower`` a number in the range). The
    antiderivative is checked (its derivative must simplify to R, or match R at 40 digits on interior
    points); a ValueError naming ``device`` when sympy finds none (use :func:`accumulated_asymmetry_value`).

    >>> from bounds.devices import LinearResponseDevice
    >>> sp.factor(accumulated_asymmetry(LinearResponseDevice(tau=2.0)))   # ALD: (w^2 - tau^2)/(2 tau) (43)
    (w - 2)*(w + 2)/4
    """
    device = _device(device)
    subs = _substitutions(device)
    e = response_expressions(device)
    if lower is None:
        lower = e.w_min
    elif isinstance(device, type):
        lower = _expression_in_parameters("lower", lower, device)
    else:
        lower = _exact(_require_w("lower", device, lower))
    A = _antiderivative(_cls(device), tuple(sorted(subs.items(), key=lambda kv: kv[0].name)))
    _verified(device, A, e.R)
    # sympy integrates u'/u to log(u); log|u| has the same derivative and is real where u < 0 (u keeps its
    # sign on the range, since R = G/F is finite there)
    A = A.replace(sp.log, lambda u: sp.log(sp.Abs(u)))
    at_lower = A.subs(S.w, lower)
    if at_lower.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        at_lower = sp.limit(A, S.w, lower, "+")
    return A - at_lower


def _expression_in_parameters(name: str, value, device) -> sp.Expr:
    expr = require_expression(name, value)
    allowed = set(_cls(device).parameter_symbols.values()) if isinstance(device, type) else set()
    extra = expr.free_symbols - allowed
    if extra:
        raise ValueError(f"{name} may use only the device's parameter symbols, got {sorted(map(str, extra))}")
    return expr


def _require_w(name: str, device, w) -> float:
    w = require_real(name, w)
    if not device.w_min <= w <= device.w_max:
        raise ValueError(f"{name} must lie in the device range [{device.w_min:g}, {device.w_max:g}], got {w!r}")
    return w


def accumulated_asymmetry_value(device, w, lower=None, dps: int = 30) -> float:
    """``R_c(w) = int_lower^w G/F`` by mpmath quadrature (any device instance; ``lower`` defaults to w_min).

    >>> from bounds.devices import PowerResponseDevice
    >>> round(accumulated_asymmetry_value(PowerResponseDevice(1.0, 2.0), 0.0), 12)   # -tau ln 2 for gamma = 2
    -0.69314718056
    """
    device = _device(device, instance=True)
    w = _require_w("w", device, w)
    lower = device.w_min if lower is None else _require_w("lower", device, lower)
    with mpmath.workdps(_dps(dps)):
        value = mpmath.quad(lambda t: _mp(device, "R", t), [lower, w])
    return _finite("R_c(w)", value, device=device, w=w)


def _finite(what: str, value, **inputs) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        x = math.nan
    if not math.isfinite(x):
        shown = ", ".join(f"{k}={v!r}" for k, v in inputs.items())
        raise ValueError(f"{what} is not a finite real number at {shown}")
    return x


# ------------------------------------------------------------------------------------------------
# symmetric point, extrema over a box
# ------------------------------------------------------------------------------------------------


def symmetric_points(device) -> tuple[float, ...]:
    """Every root of G in ``[w_min, w_max]`` found on a :data:`GRID`-point grid (sign changes and exact zeros,
    refined by Brent's method to float64); a root where G touches 0 without changing sign between grid points
    may be missed."""
    device = _device(device, instance=True)
    grid = np.linspace(device.w_min, device.w_max, GRID)
    values = _numpy(device, "G", grid)
    if not np.isfinite(values).all():
        bad = grid[~np.isfinite(values)][0]
        raise ValueError(f"device: G(w) is not finite at w={bad!r} in the range of {device!r}")
    roots = [float(x) for x, v in zip(grid, values) if v == 0.0]
    for i in np.flatnonzero(values[:-1] * values[1:] < 0):
        fn = lambda x: float(_numpy(device, "G", x))  # noqa: E731
        roots.append(scipy.optimize.brentq(fn, grid[i], grid[i + 1], xtol=1e-300, rtol=4 * np.finfo(float).eps))
    return tuple(sorted(roots))


def symmetric_point(device) -> float:
    """The symmetric point ``w_sym``, ``G(w_sym) = 0`` (§2): the one root of G in the range.

    :class:`NoSymmetricPointError` ("no symmetric point in range") when G has none there; a ValueError
    listing them when there are several.
    """
    roots = symmetric_points(device)
    if not roots:
        G = _numpy(device, "G", np.array([device.w_min, device.w_max]))
        raise NoSymmetricPointError(
            f"no symmetric point in range: G has no root in [{device.w_min:g}, {device.w_max:g}] for {device!r} "
            f"(G = {G[0]:.6g} and {G[1]:.6g} at the ends)"
        )
    if len(roots) > 1:
        raise ValueError(f"device {device!r} has several symmetric points {roots}; use symmetric_points")
    return roots[0]


@dataclass(frozen=True)
class BoxExtrema:
    """Extrema over ``[w_lo, w_hi]``: ``F_max`` (App. H), ``R_min = min q+ q-`` (Assumption 3, App. B (18)),
    ``Q_max = max(q+, q-)`` (the valid constant of Lemma 3, digest R6), with where they are attained."""

    w_lo: float
    w_hi: float
    F_max: float
    w_F_max: float
    R_min: float
    w_R_min: float
    Q_max: float

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, require_real(f.name, getattr(self, f.name)))
        if not self.w_lo <= self.w_hi:
            raise ValueError(f"w_lo must be <= w_hi, got w_lo={self.w_lo!r}, w_hi={self.w_hi!r}")


def _extremum(device, part: str, lo: float, hi: float, sign: float) -> tuple[float, float]:
    """``max`` (sign = 1) or ``min`` (sign = -1) of ``part`` on [lo, hi]: grid, then bounded refinement."""
    grid = np.linspace(lo, hi, GRID)
    values = sign * _numpy(device, part, grid)
    if not np.isfinite(values).all():
        bad = grid[~np.isfinite(values)][0]
        raise ValueError(f"device: {part}(w) is not finite at w={bad!r} in [{lo:g}, {hi:g}] for {device!r}")
    i = int(np.argmax(values))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, GRID - 1)]
    best_w, best = float(grid[i]), float(values[i])
    if b > a:
        res = scipy.optimize.minimize_scalar(
            lambda x: -sign * float(_numpy(device, part, x)), bounds=(a, b), method="bounded", options={"xatol": 1e-14}
        )
        if np.isfinite(res.fun) and -res.fun > best:
            best_w, best = float(res.x), float(-res.fun)
    return sign * best, best_w


def box_extrema(device, w_lo=None, w_hi=None) -> BoxExtrema:
    """F_max, R_min = min q+ q- and Q_max over the box ``[w_lo, w_hi]`` (default: the device range).

    >>> from bounds.devices import LinearResponseDevice
    >>> b = box_extrema(LinearResponseDevice(tau=1.0), -0.5, 0.5)
    >>> b.F_max, round(b.R_min, 12)          # ALD: F = 1, min q+ q- = 1 - W_max^2/tau^2 (18)
    (1.0, 0.75)
    """
    device = _device(device, instance=True)
    lo = device.w_min if w_lo is None else _require_w("w_lo", device, w_lo)
    hi = device.w_max if w_hi is None else _require_w("w_hi", device, w_hi)
    if not lo <= hi:
        raise ValueError(f"w_lo must be <= w_hi, got w_lo={lo!r}, w_hi={hi!r}")
    F_max, w_F = _extremum(device, "F", lo, hi, 1.0)
    R_min, w_R = _extremum(device, "saturation", lo, hi, -1.0)
    Q_max = max(_extremum(device, part, lo, hi, 1.0)[0] for part in ("q_plus", "q_minus"))
    return BoxExtrema(lo, hi, F_max, w_F, R_min, w_R, Q_max)


# ------------------------------------------------------------------------------------------------
# Definition 1
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition1:
    """Definition 1 membership (2502.06309 §2): each condition as a :class:`~bounds.applicability.Condition`."""

    device: str
    conditions: tuple

    def __post_init__(self):
        require_instance("device", self.device, str, "repr(PowerResponseDevice(1.0, 2.0))")
        require_instance("conditions", self.conditions, (tuple, list), "(Condition('q+ > 0', 1.0, '>', 0.0),)")
        for c in self.conditions:
            require_instance("conditions", c, Condition, "(Condition('q+ > 0', 1.0, '>', 0.0),)")
        object.__setattr__(self, "conditions", tuple(self.conditions))

    @property
    def holds(self) -> bool:
        return all(c.holds for c in self.conditions)

    @property
    def failed(self) -> tuple[str, ...]:
        """The statements of the conditions that fail."""
        return tuple(c.statement for c in self.conditions if not c.holds)


def _derivative_failures(device, part: str, points) -> int:
    """How many of ``points`` have no finite (one-sided at the ends) derivative of ``part`` (mpmath, 30 digits)."""
    bad = 0
    with mpmath.workdps(30):
        for x in points:
            try:
                value = mpmath.mpmathify(_mp(device, part, x, order=1))
                ok = isinstance(value, mpmath.mpf) and mpmath.isfinite(value)
            except (ZeroDivisionError, ValueError, TypeError):
                ok = False
            bad += not ok
    return bad


def _end_value(device, part: str, end) -> float:
    """``part`` at a range end, exactly where sympy decides it (an exact zero is 0.0), else at 50 digits."""
    e = response_expressions(device)
    value = sp.simplify(getattr(e, part).subs(S.w, getattr(e, end)))
    if value == 0:
        return 0.0
    with mpmath.workdps(50):
        v = mpmath.mpmathify(sp.N(value, 50)) if value.is_number else mpmath.nan
    return _finite(f"{part}({end})", v, device=device)


def definition1(device) -> Definition1:
    """Check Definition 1 for a device instance on its range ``[w_min, w_max]``:

    * positive-definiteness: ``min q+ > 0`` over the grid points below ``w_max`` and ``min q- > 0`` above
      ``w_min`` (:data:`GRID` points, refined);
    * differentiability: the symbolic derivative of q+ and q- is finite at every grid point, both ends
      included (one-sided there); ``|.|`` is differentiated as ``sqrt(.^2)``, so a kink on the grid fails;
    * saturation: ``q+(w_max) = 0`` and ``q-(w_min) = 0`` (exactly, by sympy; else at 50 digits).

    >>> from bounds.devices import PowerResponseDevice
    >>> definition1(PowerResponseDevice(tau=1.0, gamma=0.5)).failed
    ('q+ and q- differentiable on [w_min, w_max]',)
    """
    device = _device(device, instance=True)
    lo, hi = device.w_min, device.w_max
    grid = np.linspace(lo, hi, GRID)
    source = "2502.06309 Definition 1"
    plus_min = _min_on(device, "q_plus", grid[:-1])
    minus_min = _min_on(device, "q_minus", grid[1:])
    bad = sum(_derivative_failures(device, part, grid) for part in ("q_plus", "q_minus"))
    conditions = (
        Condition("q+(w) > 0 for w < w_max (positive-definiteness)", plus_min, ">", 0.0, source=source),
        Condition("q-(w) > 0 for w > w_min (positive-definiteness)", minus_min, ">", 0.0, source=source),
        Condition("q+ and q- differentiable on [w_min, w_max]", float(bad), "==", 0.0, source=source),
        Condition("q+(w_max) = 0 (saturation)", _end_value(device, "q_plus", "w_max"), "==", 0.0, source=source),
        Condition("q-(w_min) = 0 (saturation)", _end_value(device, "q_minus", "w_min"), "==", 0.0, source=source),
    )
    return Definition1(repr(device), conditions)


def _min_on(device, part: str, grid) -> float:
    values = _numpy(device, part, grid)
    if not np.isfinite(values).all():
        bad = grid[~np.isfinite(values)][0]
        raise ValueError(f"device: {part}(w) is not finite at w={bad!r} for {device!r}")
    return _extremum(device, part, float(grid[0]), float(grid[-1]), -1.0)[0]


# ------------------------------------------------------------------------------------------------
# the implicit penalty (Theorem 1, Theorem 5)
# ------------------------------------------------------------------------------------------------

_LINEARISED_VALUES = {
    S.L: (0.5, 1.0, 3.0),
    S.w_star: (0.3, -0.7),
    S.w_sp: (0.1, -0.2),
    R_PRIME: (0.7, 1.3),
    S.m_abs: (0.2, 0.45),
}

#: Theorem 5's linearisation W_S for D = 1 in L = f''(W*), w* = W*, w_sp = W_diamond, R_prime = R'(W_diamond),
#: m_abs = Sigma = E|eps|: ``printed`` is (50) as printed, ``derived`` the root of the linearised (51)-(53)
LINEARISED = {
    "printed": register(
        "response.linearised_point.as_printed",
        (S.L * S.w_star - R_PRIME * S.m_abs * S.w_sp) / (S.L - R_PRIME * S.m_abs),
        (S.L, S.w_star, S.w_sp, R_PRIME, S.m_abs),
        relation="equal",
        source=_SOURCE_G + " as printed",
        values=_LINEARISED_VALUES,
    ),
    "derived": register(
        "response.linearised_point.derived",
        (S.L * S.w_star + R_PRIME * S.m_abs * S.w_sp) / (S.L + R_PRIME * S.m_abs),
        (S.L, S.w_star, S.w_sp, R_PRIME, S.m_abs),
        relation="equal",
        source=_SOURCE_G + " with the sign of (47), (51): root of L(w - w*) + Sigma R'(w_sym)(w - w_sym) = 0",
        values=_LINEARISED_VALUES,
    ),
}


def _require_law(law) -> CoordinateLaw:
    require_instance("law", law, (GaussianLaw, RademacherLaw), "GaussianLaw(s=0.5)")
    if law.is_symbolic:
        raise ValueError(f"law must have numeric parameters, got the symbolic {law!r}")
    return law


def _problem(device, L, w_star) -> tuple[float, float]:
    L = require_real("L", L, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star)
    if not device.w_min < w_star < device.w_max:
        raise ValueError(
            f"w_star must lie inside the device range ({device.w_min:g}, {device.w_max:g}), got {w_star!r}"
        )
    return L, w_star


def stationary_chain(device, law, L, w_star) -> ScalarChain:
    """Analog SGD (2) on ``f = (L/2)(w - w*)^2`` with ``device`` and a Gaussian or Rademacher ``law``, as a
    :class:`~bounds.asymptotics.ScalarChain` (any bounded device; observables ``w``, ``grad_sq``, ``f_gap``):
    :func:`bounds.asymptotics.analog_sgd_chain` with the weight itself observed.

    Mean map ``b = -[g F + E|g + eps| G]`` and second moment ``(F^2 + G^2) E(g + eps)^2 + 2 F G E[(g + eps)|g +
    eps|]``, ``g = L(w - w*)``.
    """
    chain = analog_sgd_chain(_device(device, instance=True), _require_law(law), L, w_star)
    return dataclasses.replace(chain, observables={"w": S.w, **chain.observables})


def stationary_point(device, law, L, w_star, dps: int = 30) -> ScalarAsymptotics:
    """(a) The exact alpha -> 0 stationary point of Analog SGD (root ``w_inf`` of the mean map, with its
    uniqueness conditions and the O(alpha) terms of E w, E||grad f||^2, E f): :func:`bounds.asymptotics.solve_scalar`
    of :func:`stationary_chain`.

    >>> from bounds.devices import PowerResponseDevice
    >>> res = stationary_point(PowerResponseDevice(1.0, 2.0), RademacherLaw(0.5), 1.0, 0.2)
    >>> res.unique, round(float(res.w_inf), 6)
    (True, 0.100502)
    """
    chain = stationary_chain(device, law, L, w_star)
    dps = _dps(dps)
    try:
        return solve_scalar(chain, dps)
    except ValueError as err:
        raise ValueError(
            f"no stationary point at device={device!r}, law={law!r}, L={L!r}, w_star={w_star!r}: {err}"
        ) from None


def penalised_gradient(device, Sigma, L, w_star, w, dps: int = 30) -> float:
    """``f_Sigma'(w) = L(w - w*) + Sigma R(w)`` (51), at ``dps`` digits."""
    device = _device(device, instance=True)
    Sigma = require_real("Sigma", Sigma, low=0.0)
    L, w_star = _problem(device, L, w_star)
    w = _require_w("w", device, w)
    with mpmath.workdps(_dps(dps)):
        value = L * (mpmath.mpf(w) - w_star) + Sigma * _mp(device, "R", w)
    return _finite("f_Sigma'(w)", value, device=device, Sigma=Sigma, L=L, w_star=w_star, w=w)


def penalised_minimiser(device, Sigma, L, w_star, dps: int = 30) -> float:
    """(b) The minimiser of ``f_Sigma = (L/2)(w - w*)^2 + Sigma R_c(w)`` (47) on the range: the root of (51),
    ``L(w - w*) + Sigma R(w) = 0`` (bracketed: R(w_min) = -1 and R(w_max) = 1 for a saturating device; a
    ValueError naming the inputs when there is no sign change, or several on the grid)."""
    device = _device(device, instance=True)
    Sigma = require_real("Sigma", Sigma, low=0.0)
    L, w_star = _problem(device, L, w_star)
    dps = _dps(dps)
    grid = np.linspace(device.w_min, device.w_max, GRID)
    with np.errstate(all="ignore"):
        h = L * (grid - w_star) + Sigma * _numpy(device, "R", grid)
    changes = np.flatnonzero(np.sign(h[:-1]) * np.sign(h[1:]) <= 0)
    if len(changes) == 0 or not np.isfinite(h).all():
        raise ValueError(
            f"no minimiser of f_Sigma in range: L(w - w*) + Sigma R(w) keeps its sign for {device!r}, "
            f"Sigma={Sigma!r}, L={L!r}, w_star={w_star!r}"
        )
    if len(changes) > 1 and not (len(changes) == 2 and changes[1] == changes[0] + 1 and h[changes[1]] == 0):
        raise ValueError(
            f"several stationary points of f_Sigma for {device!r}, Sigma={Sigma!r}, L={L!r}, w_star={w_star!r}"
        )
    i = int(changes[0])
    fn = lambda x: L * (x - w_star) + Sigma * _mp(device, "R", x)  # noqa: E731
    with mpmath.workdps(dps):
        a, b = mpmath.mpf(grid[i]), mpmath.mpf(grid[i + 1])
        fa = fn(a)
        # bisection on the bracket to the working precision (robust for any scale of L and Sigma)
        for _ in range(4 * dps + 1100):  # enough halvings to resolve a root near 0 to float64
            m = (a + b) / 2
            fm = fn(m)
            if fm == 0 or b - a <= abs(m) * mpmath.eps + mpmath.mpf(10) ** (-dps - 300):
                a = b = m
                break
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
        root = (a + b) / 2
    return _finite("the minimiser of f_Sigma", root, device=device, Sigma=Sigma, L=L, w_star=w_star)


def effective_update(device, law, L, w_star, w, dps: int = 30) -> float:
    """Theorem 5's effective update ``T(w) = |E[U(w, -alpha f'(w; xi))] - w|/alpha = |g F(w) + E|g + eps| G(w)|``
    with ``g = L(w - w*)``, from the dynamics (2)/(5) (the printed (46) has ``-`` before the G term, Ambiguity 13)."""
    device = _device(device, instance=True)
    law = _require_law(law)
    L, w_star = _problem(device, L, w_star)
    w = _require_w("w", device, w)
    m = _law_abs(law.kind)
    with mpmath.workdps(_dps(dps)):
        g = L * (mpmath.mpf(w) - w_star)
        value = abs(g * _mp(device, "F", w) + m(g, mpmath.mpf(law.s)) * _mp(device, "G", w))
    return _finite("T(w)", value, device=device, law=law, L=L, w_star=w_star, w=w)


@functools.cache
def _law_abs(kind: str):
    return sp.lambdify((S.g, S.s), law_moment_expressions(kind)[0], modules="mpmath")


def _r_prime(device, w_sym: float, dps: int) -> float:
    with mpmath.workdps(dps):
        return _finite("R'(w_sym)", _mp(device, "R", w_sym, order=1), device=device)


@dataclass(frozen=True)
class ImplicitPenalty:
    """Theorem 1/5 for one device, law and quadratic: (a) ``stationary``, (b) ``penalised``, (c) ``linearised``
    (derived signs) and ``linearised_printed`` ((50) as printed; None where its denominator vanishes)."""

    Sigma: float
    """E|eps|, the first absolute moment of the noise (Theorem 1)."""
    w_sym: float
    R_prime: float
    stationary: float
    penalised: float
    linearised: float
    linearised_printed: float | None
    asymptotics: ScalarAsymptotics = field(repr=False)

    def __post_init__(self):
        object.__setattr__(self, "Sigma", require_real("Sigma", self.Sigma, low=0.0))
        for name in ("w_sym", "R_prime", "stationary", "penalised", "linearised"):
            object.__setattr__(self, name, require_real(name, getattr(self, name)))
        if self.linearised_printed is not None:
            object.__setattr__(self, "linearised_printed", require_real("linearised_printed", self.linearised_printed))
        require_instance("asymptotics", self.asymptotics, ScalarAsymptotics, "stationary_point(...)")

    @property
    def conditions(self) -> tuple:
        return self.asymptotics.conditions


def implicit_penalty(device, law, L, w_star, dps: int = 30) -> ImplicitPenalty:
    """(a), (b) and (c) side by side for ``f = (L/2)(w - w*)^2``, ``device`` and ``law`` (Sigma = E|eps|).

    >>> from bounds.devices import LinearResponseDevice
    >>> p = implicit_penalty(LinearResponseDevice(1.0), RademacherLaw(0.5), 1.0, 0.3)
    >>> round(p.stationary, 12), round(p.penalised, 12), round(p.linearised, 12), round(p.linearised_printed, 12)
    (0.2, 0.2, 0.2, 0.6)
    """
    device = _device(device, instance=True)
    law = _require_law(law)
    dps = _dps(dps)
    asym = stationary_point(device, law, L, w_star, dps)
    Sigma = law.mean_abs()
    w_sym = symmetric_point(device)
    r1 = _r_prime(device, w_sym, dps)
    args = (float(L), float(w_star), w_sym, r1, Sigma)
    printed = None
    if float(L) - r1 * Sigma != 0:
        printed = _finite("W_S as printed (50)", LINEARISED["printed"].exact(*args, dps=dps), L=L, w_star=w_star)
    return ImplicitPenalty(
        Sigma=Sigma,
        w_sym=w_sym,
        R_prime=r1,
        stationary=float(asym.w_inf),
        penalised=penalised_minimiser(device, Sigma, L, w_star, dps),
        linearised=_finite("W_S", LINEARISED["derived"].exact(*args, dps=dps), L=L, w_star=w_star),
        linearised_printed=printed,
        asymptotics=asym,
    )


def residual_limit_gradient(p_device: Device, law: CoordinateLaw) -> float:
    """Residual Learning's gradient as alpha, beta -> 0: the root g_c of ``g F_P(0) + E|g + eps| G_P(0) = 0``
    (strictly increasing in g, slope ``>= min(q_+(0), q_-(0)) > 0``), for the device ``p_device`` holding P (0 in its
    range) and a numeric Gaussian or Rademacher ``law`` of each noise coordinate. g_c = 0 exactly when G_P(0) = 0
    (Assumption 5, Corollary 1); for the linear response ``g_c = c_Lin E|g_c + eps|``
    (:mod:`verify.experiments.response` derives the fixed point).

    >>> from bounds.devices import LinearResponseDevice, PowerResponseDevice
    >>> residual_limit_gradient(PowerResponseDevice(1.0, 2.0), GaussianLaw(0.5))
    0.0
    >>> round(residual_limit_gradient(LinearResponseDevice(1.0, 0.3), GaussianLaw(0.5)), 6)
    0.123304
    """
    require_instance("p_device", p_device, Device, "LinearResponseDevice(tau=1.0, c_lin=0.3)")
    if not p_device.w_min < 0.0 < p_device.w_max:
        raise ValueError(f"p_device must have 0 inside its range (P_0 = 0), got {p_device!r}")
    require_instance("law", law, (GaussianLaw, RademacherLaw), "GaussianLaw(s=0.5)")
    if law.is_symbolic:
        raise ValueError(f"law must have numeric parameters, got the symbolic {law!r}")
    F0, G0 = float(p_device.F(0.0)), float(p_device.G(0.0))
    if G0 == 0.0:
        return 0.0
    if not F0 > abs(G0):
        raise ValueError(f"p_device must respond at 0 in both directions (q_+(0), q_-(0) > 0), got {p_device!r}")

    def phi(g: float) -> float:
        return g * F0 + float(law.expected_abs(g)) * G0

    # phi(B) >= B (F0 - |G0|) - E|eps| |G0| > 0 for B > E|eps| |G0|/(F0 - |G0|); phi(-B) < 0 likewise
    bound = 2.0 * law.mean_abs() * abs(G0) / (F0 - abs(G0))
    return float(scipy.optimize.brentq(phi, -bound, bound, xtol=1e-300, rtol=4 * np.finfo(float).eps))
