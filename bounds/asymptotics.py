r"""The exact small-step asymptotics of Analog SGD on quadratics: the error floor and its O(alpha) term.

Setting. ``f(W) = 1/2 (W - W*)^T H (W - W*)`` (H symmetric positive definite, f* = 0, grad f = g = H (W - W*)),
Analog SGD (3) in the compact form (7) on a device with symmetric and asymmetric parts F, G (the ALD has
F = 1, G = (w - w_sp)/tau; soft bounds are affine too), coordinate noise eps with a law of
:mod:`bounds.noise_laws`. One step is ``W' = W + alpha h(W, eps)`` with, coordinate by coordinate::

    h_i = -(g_i + eps_i) F(w_i) - |g_i + eps_i| G(w_i),

so (derived from the update rule, as in :mod:`bounds.drift`) the mean map is
``E[W'] - W = alpha b(W)``, ``b_i(W) = -[g_i F(w_i) + E|g_i + eps_i| G(w_i)]``, and
``E[h_i^2] = (F^2 + G^2)(g_i^2 + E eps_i^2) + 2 F G E[(g_i + eps_i)|g_i + eps_i|]``.

What this module computes (derived here; no claim of the paper):

* the fixed point ``W_inf`` with ``b(W_inf) = 0``. It does not depend on alpha. For a scalar chain
  ``b'(w) = -[L (F + M' G) + g F' + M G']`` with ``M(g) = E|g + eps|``; M is 1-Lipschitz (``|M'| <= 1``) and
  ``M >= |g|`` (Jensen, zero-mean noise), and for the ALD and soft bounds ``F - |G| = min(q_+, q_-) > 0``
  inside the range and ``|F'| <= G'``, so ``b' < 0``: b is strictly decreasing and the root is unique
  (checked on a grid as a :class:`~bounds.applicability.Condition`). With diagonal H the problem
  separates by coordinate, so the same argument gives uniqueness in D dimensions; for a non-diagonal H
  uniqueness is not proved here: the root is found from several starts and they must agree, and the
  Jacobian at it must be stable (both are conditions of the result);
* the limits ``||grad f(W_inf)||^2`` and ``f(W_inf) - f*`` of the stationary averages as alpha -> 0;
* the first-order term: with ``J = Db(W_inf)``, ``Q = E[h h^T](W_inf)`` and ``delta = W - W_inf`` under
  the stationary law, ``E delta delta^T = alpha Sigma_0 + O(alpha^2)`` where ``J Sigma_0 + Sigma_0 J^T + Q = 0``
  (leading order of the discrete Lyapunov equation ``Sigma = A Sigma A^T + alpha^2 Q``, ``A = I + alpha J``),
  and ``E b(W) = 0`` gives ``E delta = alpha m_0``, ``J m_0 = -1/2 b''[Sigma_0]``. Then for a smooth
  observable phi, ``E phi(W) = phi(W_inf) + c_1 alpha + O(alpha^2)`` with
  ``c_1 = grad phi . m_0 + 1/2 tr(Hess phi Sigma_0)``.

Scalar chains are solved with sympy derivatives and mpmath (50 digits, a bracketing root finder); the
D-dimensional case with scipy. The Theorem 2 instance (shared two-point noise, all coordinates equal) is a
scalar chain too: :func:`theorem2_chain`; its limit and slope reproduce :mod:`bounds.lower_bound`.

>>> from bounds.devices import AsymmetricLinearDevice
>>> from bounds.noise_laws import GaussianLaw
>>> res = scalar_asymptotics(AsymmetricLinearDevice(tau=1.0), GaussianLaw(s=0.5), L=1.0, w_star=0.3)
>>> res.unique, abs(res.residual) < 1e-40, 0.0 < res.w_inf < 0.3
(True, True, True)
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import mpmath
import numpy as np
import scipy.linalg
import scipy.optimize
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .devices import AsymmetricLinearDevice, Device
from .noise_laws import CoordinateLaw, GaussianLaw, RademacherLaw
from .validation import require_array, require_instance, require_int, require_real

__all__ = [
    "ScalarChain",
    "ScalarAsymptotics",
    "VectorAsymptotics",
    "analog_sgd_chain",
    "theorem2_chain",
    "solve_scalar",
    "scalar_asymptotics",
    "vector_asymptotics",
    "law_moment_expressions",
]

_SOURCE = "derived here: small-step expansion of Analog SGD's stationary law around the mean map's root"
_GRID = 101  #: grid points on which the scalar map's monotonicity is checked
#: the precision cap of :func:`solve_scalar`: the checks use 50 digits (compare 30); 1000 take about 2 s
MAX_DPS = 1000
_DPS_REASON = "digits of precision; the checks use 50, and 1000 take about 2 s"
#: the largest dimension :func:`vector_asymptotics` solves: every root search and the Lyapunov solve cost
#: O(D^3); D = 400 with 64 starts takes about 10 s
MAX_DIM = 400
#: the most starts of :func:`vector_asymptotics`' root search (each a scipy root search in D dimensions)
MAX_STARTS = 64


class _Unsolvable(ValueError):
    """A chain or problem whose stationary quantities cannot be computed (no root, no convergence, a value
    beyond float64); the public functions re-raise it naming their own inputs."""


def _extreme(value) -> bool:
    return isinstance(value, (int, float)) and value != 0 and not 1e-100 <= abs(value) <= 1e100


def _naming(error: Exception, **inputs) -> ValueError:
    """``error`` with the inputs of extreme magnitude (all of them when none is) named in front."""
    extreme = {k: v for k, v in inputs.items() if _extreme(v)} or inputs
    shown = ", ".join(f"{k}={v!r}" for k, v in extreme.items())
    return ValueError(f"no stationary quantities at {shown}: {error}")


# ------------------------------------------------------------------------------------------------
# per-coordinate expectations
# ------------------------------------------------------------------------------------------------


def _require_law(law) -> CoordinateLaw:
    require_instance(
        "law",
        law,
        (GaussianLaw, RademacherLaw),
        "GaussianLaw(s=0.5); state-independent and zero-mean, for Theorem 2's two-point law use theorem2_chain",
    )
    if law.is_symbolic:
        raise ValueError(f"law must have numeric parameters, got the symbolic {law!r}")
    return law


def law_moment_expressions(kind: str) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    r"""``(E|g + eps|, E[(g + eps)|g + eps|], E[(g + eps)^2])`` in g and the law's scale ``s`` (sympy).

    Gaussian (eps ~ N(0, s^2)): ``E|X| = g erf(g/(s sqrt 2)) + s sqrt(2/pi) e^{-g^2/(2 s^2)}`` (from
    :mod:`bounds.noise_laws`) and ``E[X|X|] = (g^2 + s^2) erf(g/(s sqrt 2)) + g s sqrt(2/pi) e^{-g^2/(2 s^2)}``;
    Rademacher (eps = +-s): the two-term averages.

    >>> m, xx, x2 = law_moment_expressions("rademacher")
    >>> [e.subs({S.g: 0, S.s: 1}) for e in (m, xx, x2)]
    [1, 0, 1]
    """
    if not isinstance(kind, str) or kind not in ("gaussian", "rademacher"):
        raise ValueError(f"kind must be 'gaussian' or 'rademacher', got {kind!r}")
    return _law_moment_expressions(kind)


@functools.cache
def _law_moment_expressions(kind: str) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    g, s = S.g, S.s
    if kind == "gaussian":
        m = GaussianLaw.symbolic().expected_abs_expression(g)
        xx = (g**2 + s**2) * sp.erf(g / (s * sp.sqrt(2))) + g * s * sp.sqrt(2 / sp.pi) * sp.exp(-(g**2) / (2 * s**2))
    elif kind == "rademacher":
        m = (sp.Abs(g + s) + sp.Abs(g - s)) / 2
        xx = ((g + s) * sp.Abs(g + s) + (g - s) * sp.Abs(g - s)) / 2
    return m, xx, g**2 + s**2


def _device_parts(device: Device) -> tuple[sp.Expr, sp.Expr]:
    require_instance("device", device, Device, "AsymmetricLinearDevice(tau=1.0)")
    if not (math.isfinite(device.w_min) and math.isfinite(device.w_max)):
        raise ValueError(
            f"device must have a range inside float64, got [{device.w_min}, {device.w_max}] for {device!r}"
        )
    return device.symmetric_part_expression(S.w), device.asymmetric_part_expression(S.w)


# ------------------------------------------------------------------------------------------------
# scalar chains, exact
# ------------------------------------------------------------------------------------------------


def _expression(name: str, value) -> sp.Expr:
    require_instance(name, value, sp.Expr, "a sympy expression in bounds.symbols.w")
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ValueError(f"{name} must be a finite sympy expression, got {value}")
    return value


@dataclass(frozen=True, eq=False)
class ScalarChain:
    """A scalar chain ``w' = w + alpha h(w, eps)`` given by its mean map and second moment (sympy, in S.w).

    ``drift`` is ``b(w) = E h``, ``second_moment`` is ``E h^2``, ``observables`` maps names to smooth
    functions phi(w) whose stationary means are expanded; ``values`` substitutes every other symbol;
    ``interval`` is the open range (device range) where the root is sought. Validated on construction:
    sympy expressions whose symbols other than w are all given by ``values``, finite numbers, and an
    interval ``(low, high)`` of finite floats with low < high.
    """

    drift: sp.Expr
    second_moment: sp.Expr
    observables: dict
    values: dict
    interval: tuple
    description: str = ""
    kinks: tuple = ()
    """Expressions in w whose zeros are kinks of the drift (``|.|`` of a finite law); the root must avoid them."""

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "drift", _expression("drift", self.drift))
        set_(self, "second_moment", _expression("second_moment", self.second_moment))
        require_instance("observables", self.observables, Mapping, '{"grad_sq": (S.w - 0.3)**2}')
        observables = {}
        for key, phi in self.observables.items():
            require_instance("observables", key, str, '{"grad_sq": (S.w - 0.3)**2}')
            observables[key] = _expression(f"observables[{key!r}]", phi)
        set_(self, "observables", observables)
        require_instance("values", self.values, Mapping, "{bounds.symbols.tau: 1.0}")
        values = {}
        for sym, val in self.values.items():
            require_instance("values", sym, sp.Symbol, "{bounds.symbols.tau: 1.0}")
            if isinstance(val, sp.Basic):
                if not (val.is_number and val.is_real and val.is_finite):
                    raise ValueError(f"values[{sym}] must be a finite real number, got {val}")
                values[sym] = val
            else:
                values[sym] = sp.Float(require_real(f"values[{sym}]", val), 60)
        set_(self, "values", values)
        ends = require_array("interval", self.interval, shape=(2,))
        if not ends[0] < ends[1]:
            raise ValueError(f"interval must be (low, high) with low < high, got {tuple(ends.tolist())}")
        set_(self, "interval", (float(ends[0]), float(ends[1])))
        require_instance("description", self.description, str, '"Analog SGD, ALD(tau=1)"')
        require_instance("kinks", self.kinks, (tuple, list), "(S.w - 0.5,)")
        set_(self, "kinks", tuple(_expression("kinks", k) for k in self.kinks))
        given = {S.w, *values}
        for name, expr in (
            ("drift", self.drift),
            ("second_moment", self.second_moment),
            *((f"observables[{k!r}]", e) for k, e in observables.items()),
            *(("kinks", k) for k in self.kinks),
        ):
            missing = expr.free_symbols - given
            if missing:
                raise ValueError(f"values must give every symbol of {name} but w, missing {sorted(map(str, missing))}")

    def _fn(self, expr, order=0):
        # |a| = sqrt(a^2): differentiable off a = 0 even where sympy cannot tell that a is real
        expr = expr.replace(sp.Abs, lambda a: sp.sqrt(a**2))
        e = sp.diff(expr, S.w, order) if order else expr
        # off the kinks (checked at the root) the derivative of sign is 0
        e = e.subs(self.values).replace(sp.DiracDelta, lambda *args: sp.Integer(0))
        return sp.lambdify(S.w, e, modules="mpmath")

    def _magnitude_fn(self, expr):
        """w -> the size of the terms ``expr`` sums (see :func:`_magnitude`): its evaluation at d digits is
        accurate to about 10^-d times this, however much the terms cancel."""
        return sp.lambdify(S.w, _magnitude(expr.subs(self.values)), modules="mpmath")


def _magnitude(expr: sp.Expr) -> sp.Expr:
    """An expression for the size of the terms ``expr`` is computed from: sums of absolute values in place of
    sums, products of sizes, and for a function or a negative power its value times (1 + the size of its
    argument), so that a cancellation anywhere shows as a size far above the value (a running error bound's
    leading factor, not a rigorous bound)."""
    if expr.is_Add or expr.is_Mul:
        return expr.func(*(_magnitude(a) for a in expr.args))
    if isinstance(expr, sp.Abs):
        return _magnitude(expr.args[0])
    if expr.is_Pow and expr.exp.is_number and expr.exp > 0:
        return sp.Pow(_magnitude(expr.base), expr.exp)
    if expr.args:  # a function of its arguments, or a negative or symbolic power
        return sp.Abs(expr) * (1 + sp.Add(*(_magnitude(a) for a in expr.args)))
    return sp.Abs(expr)


def _finite_float(name: str, value) -> float:
    """A float of a finite real number, or :class:`_Unsolvable` naming the quantity."""
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):  # an mpc (a square root of a negative), an mpf out of range
        raise _Unsolvable(f"the {name} is not a real number ({value})") from None
    if not math.isfinite(x):
        shown = mpmath.nstr(value, 6) if isinstance(value, mpmath.mpf) else value
        raise _Unsolvable(f"the {name} ({shown}) is beyond float64")
    return x


def _real(name: str, value, low=None) -> float:
    """A computed quantity of a result record: a finite real number (a subnormal one too: a solver's result may
    underflow below float64's normal range, unlike a parameter, which :func:`require_real` holds to it)."""
    x = require_real(name, value, low=low) if not isinstance(value, (float, np.floating)) else float(value)
    if not math.isfinite(x) or (low is not None and x < low):
        require_real(name, x, low=low)  # raises, naming ``name``
    return x


def _real_mpf(name: str, value) -> mpmath.mpf:
    if not isinstance(value, mpmath.mpf):
        value = mpmath.mpf(_real(name, value))
    if not mpmath.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value}")
    return value


def _float_dict(name: str, value) -> dict:
    require_instance(name, value, Mapping, '{"grad_sq": 0.01}')
    out = {}
    for key, x in value.items():
        require_instance(name, key, str, '{"grad_sq": 0.01}')
        out[key] = _real(f"{name}[{key!r}]", x)
    return out


def _conditions(value) -> tuple:
    require_instance("conditions", value, (tuple, list), "(Condition('b(w_max) < 0', -1.0, '<', 0.0),)")
    for c in value:
        require_instance("conditions", c, Condition, "(Condition('b(w_max) < 0', -1.0, '<', 0.0),)")
    return tuple(value)


@dataclass(frozen=True)
class ScalarAsymptotics:
    """The alpha -> 0 floor of a scalar chain and its first-order term, at ``dps`` digits.

    Built by :func:`solve_scalar`; validated on construction (finite numbers, the same observables in
    ``limits`` and ``slopes``, Condition objects)."""

    w_inf: object
    """The root of the mean map (mpmath mpf)."""
    residual: object
    """b(w_inf) (mpmath, evaluated at 2 dps + 10 digits so that cancellation in b cannot hide a wrong root)."""
    limits: dict
    """observable -> phi(w_inf) (float)."""
    slopes: dict
    """observable -> c_1 in E phi = phi(w_inf) + c_1 alpha + O(alpha^2) (float)."""
    variance_slope: float
    """``Sigma_0 = lim E(w - w_inf)^2 / alpha = E h^2 / (2 |b'|)``."""
    mean_slope: float
    """m_0 = lim E(w - w_inf) / alpha = -b'' Sigma_0/(2 b')."""
    derivative: float
    """b'(w_inf) < 0."""
    conditions: tuple
    """Uniqueness and stability, as Condition objects."""

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "w_inf", _real_mpf("w_inf", self.w_inf))
        set_(self, "residual", _real_mpf("residual", self.residual))
        set_(self, "limits", _float_dict("limits", self.limits))
        set_(self, "slopes", _float_dict("slopes", self.slopes))
        if set(self.slopes) != set(self.limits):
            raise ValueError(
                f"slopes must have the observables of limits {sorted(self.limits)}, got {sorted(self.slopes)}"
            )
        for name in ("variance_slope", "mean_slope", "derivative"):
            set_(self, name, _real(name, getattr(self, name)))
        set_(self, "conditions", _conditions(self.conditions))

    @property
    def unique(self) -> bool:
        return all(c.holds for c in self.conditions)

    def prediction(self, observable: str, alpha: float) -> Bound:
        """``E phi = phi(w_inf) + c_1 alpha`` as an ``equal`` Bound (O(alpha^2) remainder assumed)."""
        if not isinstance(observable, str) or observable not in self.limits:
            raise ValueError(f"observable must be one of {sorted(self.limits)}, got {observable!r}")
        alpha = require_real("alpha", alpha, low=0.0)
        limit, slope = self.limits[observable], self.slopes[observable]
        value = limit + slope * alpha
        if not math.isfinite(value):
            raise ValueError(
                f"alpha is too large: phi(w_inf) + c_1 alpha = {limit:g} + {slope:g} alpha leaves float64 "
                f"at alpha={alpha!r}"
            )
        return Bound(
            f"stationary E[{observable}] to first order in alpha",
            "equal",
            value,
            self.conditions,
            source=_SOURCE,
            assumes=("O(alpha^2) remainder", "the chain stays in the device range"),
            terms={"limit": limit, "slope": slope},
        )


def solve_scalar(chain: ScalarChain, dps: int = 50) -> ScalarAsymptotics:
    """Root, uniqueness checks and first-order expansion of a :class:`ScalarChain` (mpmath at ``dps`` digits,
    15 to :data:`MAX_DPS`).

    A chain whose mean map does not change sign on its interval, whose root the solver does not find, whose
    root or limits ``dps`` digits do not resolve to 12 significant digits (a large curvature L puts the root
    within L^-1 of w*; a large noise makes b cancel; more digits resolve them), or whose stationary quantities
    leave float64 (they are returned as floats) is refused with a ValueError naming ``chain`` and ``dps``."""
    require_instance(
        "chain", chain, ScalarChain, "analog_sgd_chain(AsymmetricLinearDevice(1.0), GaussianLaw(0.5), 1.0, 0.3)"
    )
    dps = require_int("dps", dps, low=15, high=MAX_DPS, reason=_DPS_REASON)
    try:
        return _solve_scalar(chain, dps)
    except _Unsolvable as err:
        raise ValueError(str(err)) from None


#: the significant digits every limit of :func:`solve_scalar` must have (the checks compare at 1e-12)
_LIMIT_DIGITS = 12


def _solve_scalar(chain: ScalarChain, dps: int) -> ScalarAsymptotics:
    try:
        return _solve_scalar_at(chain, dps)
    except _Unsolvable as err:
        raise _Unsolvable(
            f"chain {chain.description or '(no description)'} cannot be solved at dps={dps}: {err}"
        ) from None


def _solve_scalar_at(chain: ScalarChain, dps: int) -> ScalarAsymptotics:
    b0, b1, b2 = (chain._fn(chain.drift, k) for k in (0, 1, 2))
    v = chain._fn(chain.second_moment)
    lo, hi = chain.interval
    with mpmath.workdps(dps):
        try:
            a, c = mpmath.mpf(lo), mpmath.mpf(hi)
            shrink = (c - a) * mpmath.mpf(10) ** (-dps // 2)
            a, c = a + shrink, c - shrink
            fa, fc = b0(a), b0(c)
            grid = [a + (c - a) * k / (_GRID - 1) for k in range(_GRID)]
            slope_max = max(_finite_float("slope b'(w) on the grid", b1(x)) for x in grid)
        except (ZeroDivisionError, TypeError, ValueError) as err:  # a pole or a complex value inside the interval
            raise _Unsolvable(f"the mean map cannot be evaluated on the interval {chain.interval}: {err}") from None
        ends = _finite_float("mean map at the lower end", fa), _finite_float("mean map at the upper end", fc)
        conditions = (
            Condition("b(w_min) > 0 (the mean map points inward at the lower end)", ends[0], ">", 0.0),
            Condition("b(w_max) < 0 (the mean map points inward at the upper end)", ends[1], "<", 0.0),
            Condition("max over a grid of b'(w) < 0 (b strictly decreasing: the root is unique)", slope_max, "<", 0.0),
        )
        if not (fa > 0 and fc < 0):
            raise _Unsolvable(f"the mean map does not change sign on {chain.interval}: b = {ends[0]:g}, {ends[1]:g}")
        try:
            root = mpmath.findroot(b0, (a, c), solver="anderson")
            root = mpmath.findroot(b0, root)  # polish with the secant method
            if not (isinstance(root, mpmath.mpf) and a <= root <= c):
                raise ValueError(f"the root {root} left the interval")
            d1, d2 = b1(root), b2(root)
            var0 = v(root) / (-2 * d1)
            mean0 = -d2 * var0 / (2 * d1)
            # at dps digits b may cancel to 0 far from its root (terms of size sigma cancelling down to L w*):
            # the root is known to its last digit plus the step of the true residual (at twice the digits) and
            # of b's rounding noise; the root and each limit must be resolved to _LIMIT_DIGITS within that spread
            with mpmath.workdps(2 * dps + 10):
                residual = b0(root)
            noise = 10 * chain._magnitude_fn(chain.drift)(root) * mpmath.mpf(10) ** (-dps)  # b's rounding at dps
            spread = (abs(residual) + noise) / abs(d1) + abs(root) * mpmath.mpf(10) ** (-dps)
            if spread > max(abs(root) * mpmath.mpf(10) ** (-_LIMIT_DIGITS), mpmath.mpf(np.finfo(float).tiny)):
                raise _Unsolvable(
                    f"the root is not resolved: {mpmath.nstr(root, 6)} with b = {mpmath.nstr(residual, 3)} there, "
                    f"uncertain by {mpmath.nstr(spread, 3)} (the mean map cancels at {dps} digits; more digits of "
                    "precision may resolve it)"
                )
            limits, slopes = {}, {}
            for name, phi in chain.observables.items():
                p0, p1, p2 = (chain._fn(phi, k) for k in (0, 1, 2))
                at, moved = p0(root), abs(p1(root)) * spread + abs(p2(root)) * spread**2 / 2
                if moved > max(abs(at) * mpmath.mpf(10) ** (-_LIMIT_DIGITS), mpmath.mpf(np.finfo(float).tiny)):
                    raise _Unsolvable(
                        f"the limit of {name} is not resolved: the root's {dps} digits leave it uncertain by "
                        f"{mpmath.nstr(moved, 3)} against its value {mpmath.nstr(at, 3)} (the root lies too close to "
                        f"a point where {name} cancels; more digits of precision may resolve it)"
                    )
                limits[name] = _finite_float(f"limit of {name}", at)
                slopes[name] = _finite_float(f"slope of {name}", p1(root) * mean0 + p2(root) * var0 / 2)
            kink = min((abs(chain._fn(k)(root)) for k in chain.kinks), default=mpmath.inf)
        except (ZeroDivisionError, TypeError, ValueError) as err:
            if isinstance(err, _Unsolvable):
                raise
            raise _Unsolvable(f"the root search or the expansion at the root failed: {err}") from None
        derivative = _finite_float("derivative b'(w_inf)", d1)
        variance, mean = _finite_float("variance slope", var0), _finite_float("mean slope", mean0)
        if not (isinstance(residual, mpmath.mpf) and mpmath.isfinite(residual)):
            raise _Unsolvable(f"the residual b(w_inf) = {residual} is not a finite real number")
    conditions += (Condition("b'(w_inf) < 0 (linearised chain stable)", derivative, "<", 0.0),)
    if chain.kinks:
        conditions += (
            Condition(
                "distance of the root from a kink of E|g + eps| > 0 (b smooth there)",
                _finite_float("distance from a kink", kink),
                ">",
                0.0,
            ),
        )
    return ScalarAsymptotics(root, residual, limits, slopes, variance, mean, derivative, conditions)


def _observables(L, w_star, copies=1) -> dict:
    e = S.w - w_star
    return {"grad_sq": copies * (L * e) ** 2, "f_gap": copies * L * e**2 / 2}


def analog_sgd_chain(device: Device, law: CoordinateLaw, L: float, w_star: float) -> ScalarChain:
    """Analog SGD on ``f = L/2 (w - w*)^2`` with ``device`` and a Gaussian or Rademacher ``law``.

    >>> ch = analog_sgd_chain(AsymmetricLinearDevice(tau=1.0), GaussianLaw(s=0.5), 1.0, 0.3)
    >>> sorted(ch.observables)
    ['f_gap', 'grad_sq']
    """
    F, G = _device_parts(device)
    law = _require_law(law)
    L = require_real("L", L, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star)
    if not device.w_min < w_star < device.w_max:
        raise ValueError(
            f"w_star must lie inside the device range ({device.w_min:g}, {device.w_max:g}), got {w_star!r}"
        )
    m, xx, x2 = law_moment_expressions(law.kind)
    g = sp.Float(L, 60) * (S.w - sp.Float(w_star, 60))
    drift = -(g * F + m.subs(S.g, g) * G)
    second = (F**2 + G**2) * x2.subs(S.g, g) + 2 * F * G * xx.subs(S.g, g)
    vals = {**{sym: sp.Float(val, 60) for sym, val in device.substitutions.items()}, S.s: sp.Float(law.s, 60)}
    kinks = (g - vals[S.s], g + vals[S.s]) if law.kind == "rademacher" else ()
    return ScalarChain(
        drift.subs(vals),
        second.subs(vals),
        _observables(sp.Float(L, 60), sp.Float(w_star, 60)),
        {},
        (device.w_min, device.w_max),
        f"Analog SGD, {device!r}, {law!r}, L={L:g}, w*={w_star:g}",
        kinks,
    )


def theorem2_chain(L: float, w_star: float, tau: float, sigma: float, D: int) -> ScalarChain:
    """Theorem 2's instance as a scalar chain: shared two-point noise (66)-(67), W = w 1, ALD(tau, 0).

    The law depends on the state through p = (1 - w/tau)/2; the expectations are exact sums over its two
    outcomes (the ``|.|`` are kept, so the chain is valid beyond Lemma 4's region). Observables:
    ``grad_sq = D g^2``, ``f_gap = D L (w - w*)^2 / 2`` and ``saturation = sigma^2 x^2/(1 - x^2)``, x = w/tau.
    """
    from .lower_bound import PROBABILITY, XI_MINUS, XI_PLUS  # reuse the instance's law

    L = require_real("L", L, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star)
    if not -tau < w_star < tau:
        raise ValueError(
            f"w_star must lie strictly inside (-tau, tau) = ({-tau:g}, {tau:g}), got w_star={w_star!r}, tau={tau!r}"
        )
    sigma = require_real("sigma", sigma, low=0.0, low_open=True)
    D = require_int("D", D, low=1)
    F, G = _device_parts(AsymmetricLinearDevice(tau=tau))
    g = S.L * (S.w - S.w_star)
    p = PROBABILITY.expr
    hs = [-(g + xi) * F - sp.Abs(g + xi) * G for xi in (XI_PLUS.expr, XI_MINUS.expr)]
    drift = p * hs[0] + (1 - p) * hs[1]
    second = p * hs[0] ** 2 + (1 - p) * hs[1] ** 2
    vals = {
        S.L: sp.Float(L, 60),
        S.w_star: sp.Float(w_star, 60),
        S.tau: sp.Float(tau, 60),
        S.sigma: sp.Float(sigma, 60),
        S.D: D,
        S.w_sp: 0,
    }
    x = S.w / S.tau
    obs = {**_observables(S.L, S.w_star, D), "saturation": S.sigma**2 * x**2 / (1 - x**2)}
    kinks = tuple((g + xi).subs(vals) for xi in (XI_PLUS.expr, XI_MINUS.expr))
    return ScalarChain(
        drift.subs(vals),
        second.subs(vals),
        {k: e.subs(vals) for k, e in obs.items()},
        {},
        (-tau, tau),
        f"Theorem 2 instance L={L:g}, w*={w_star:g}, tau={tau:g}, sigma={sigma:g}, D={D}",
        kinks,
    )


def scalar_asymptotics(device: Device, law: CoordinateLaw, L: float, w_star: float, dps: int = 50) -> ScalarAsymptotics:
    """:func:`solve_scalar` of :func:`analog_sgd_chain` (see the module docstring); ``dps`` from 15 to
    :data:`MAX_DPS`. Inputs for which the stationary quantities cannot be computed (or leave float64) are
    refused with a ValueError naming them."""
    chain = analog_sgd_chain(device, law, L, w_star)
    dps = require_int("dps", dps, low=15, high=MAX_DPS, reason=_DPS_REASON)
    try:
        return _solve_scalar(chain, dps)
    except _Unsolvable as err:
        raise _naming(err, L=L, w_star=w_star, law=law, device=device) from None


# ------------------------------------------------------------------------------------------------
# D dimensions, scipy
# ------------------------------------------------------------------------------------------------


@functools.cache
def _numeric_parts(device_cls, law_kind):
    m, xx, x2 = law_moment_expressions(law_kind)
    F, G = device_cls.symmetric_part_expression(S.w), device_cls.asymmetric_part_expression(S.w)
    dev = tuple(device_cls.parameter_symbols.values())
    args_g, args_w = (S.g, S.s), (S.w,) + dev
    mk = lambda e, args: sp.lambdify(args, e, modules=["scipy", "numpy"])  # noqa: E731
    # Rademacher's E|g + eps| = max(|g|, s) has kinks at |g| = s: its second derivative is a DiracDelta
    # there and 0 elsewhere; the expansion holds away from the kinks, so the delta is dropped
    m2 = sp.diff(m, S.g, 2).replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    return {
        "M": mk(m, args_g),
        "M1": mk(sp.diff(m, S.g), args_g),
        "M2": mk(m2, args_g),
        "XX": mk(xx, args_g),
        "X2": mk(x2, args_g),
        "F": mk(F, args_w),
        "F1": mk(sp.diff(F, S.w), args_w),
        "F2": mk(sp.diff(F, S.w, 2), args_w),
        "G": mk(G, args_w),
        "G1": mk(sp.diff(G, S.w), args_w),
        "G2": mk(sp.diff(G, S.w, 2), args_w),
    }


@dataclass(frozen=True)
class VectorAsymptotics:
    """The alpha -> 0 floor of D-dimensional Analog SGD on a quadratic and its first-order term.

    Built by :func:`vector_asymptotics`; validated on construction (finite arrays of matching shapes,
    D <= :data:`MAX_DIM`, Bound and Condition objects)."""

    W_inf: np.ndarray
    grad_sq: Bound
    """||grad f(W_inf)||^2 + c_1 alpha (value at ``alpha``; terms: limit, slope)."""
    f_gap: Bound
    """f(W_inf) - f* + c_1 alpha."""
    jacobian: np.ndarray
    """J = Db(W_inf) (per unit alpha)."""
    noise_covariance: np.ndarray
    """Q = E[h h^T](W_inf)."""
    covariance_slope: np.ndarray
    """Sigma_0: E delta delta^T = alpha Sigma_0 + O(alpha^2)."""
    mean_slope: np.ndarray
    """m_0: E delta = alpha m_0 + O(alpha^2)."""
    residual: float
    """||b(W_inf)||_inf."""
    conditions: tuple = field(default_factory=tuple)

    def __post_init__(self):
        set_ = object.__setattr__
        W = require_array("W_inf", self.W_inf, ndim=1)
        D = W.shape[0]
        if not 1 <= D <= MAX_DIM:
            raise ValueError(f"W_inf must have 1 to {MAX_DIM} entries (the dimensions solved here), got {D}")
        set_(self, "W_inf", W)
        for name in ("grad_sq", "f_gap"):
            require_instance(name, getattr(self, name), Bound, "a Bound from vector_asymptotics")
        for name in ("jacobian", "noise_covariance", "covariance_slope"):
            set_(self, name, require_array(name, getattr(self, name), shape=(D, D)))
        set_(self, "mean_slope", require_array("mean_slope", self.mean_slope, shape=(D,)))
        set_(self, "residual", _real("residual", self.residual, low=0.0))
        set_(self, "conditions", _conditions(self.conditions))

    def discrete_covariance(self, alpha: float) -> np.ndarray:
        """The linearised chain's stationary covariance at ``alpha``: ``Sigma = A Sigma A^T + alpha^2 Q``,
        ``A = I + alpha J``. ``alpha`` > 0 and small enough that A is stable (spectral radius < 1): larger
        steps have no stationary covariance and are refused."""
        alpha = require_real("alpha", alpha, low=0.0, low_open=True)
        with np.errstate(all="ignore"):
            A = np.eye(len(self.W_inf)) + alpha * self.jacobian
            Q = (alpha * alpha) * self.noise_covariance  # a float's ** raises OverflowError
        if not (np.isfinite(A).all() and np.isfinite(Q).all()):
            raise ValueError(f"alpha is too large: alpha J or alpha^2 Q leaves float64 at alpha={alpha!r}")
        radius = float(np.abs(np.linalg.eigvals(A)).max())
        if not radius < 1:
            raise ValueError(
                f"alpha must be small enough that I + alpha J is stable (spectral radius < 1), got alpha={alpha!r} "
                f"(spectral radius {radius:.6g}): the linearised chain has no stationary covariance"
            )
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("error", scipy.linalg.LinAlgWarning)
            try:
                sigma = scipy.linalg.solve_discrete_lyapunov(A, Q)
            except (scipy.linalg.LinAlgWarning, np.linalg.LinAlgError) as err:
                raise ValueError(f"alpha={alpha!r} gives an ill-conditioned Lyapunov equation: {err}") from None
        if not np.isfinite(sigma).all():
            raise ValueError(f"alpha={alpha!r}: the stationary covariance leaves float64")
        return sigma


def vector_asymptotics(
    device: Device, law: CoordinateLaw, hessian, w_star, alpha: float = 0.0, starts: int = 8
) -> VectorAsymptotics:
    """Fixed point, limits and O(alpha) terms for D-dimensional Analog SGD with independent coordinate noise.

    ``hessian`` symmetric positive definite (D, D), D <= :data:`MAX_DIM`; ``w_star`` (D,) inside the device
    range; ``law`` the law of every coordinate; ``alpha`` where the returned Bounds are evaluated (0: the
    limits); ``starts`` (1 to :data:`MAX_STARTS`) initial points of the root search. A problem whose root is not
    found or whose stationary quantities leave float64 is refused with a ValueError naming the inputs.
    """
    _device_parts(device)
    law = _require_law(law)
    H = require_array("hessian", hessian, ndim=2)
    D = H.shape[0]
    if H.shape != (D, D) or D == 0:
        raise ValueError(f"hessian must be a symmetric square matrix, got shape {H.shape}")
    if D > MAX_DIM:
        raise ValueError(
            f"hessian must be at most {MAX_DIM} x {MAX_DIM} (each root search and the Lyapunov solve cost O(D^3); "
            f"D = {MAX_DIM} with {MAX_STARTS} starts takes about 10 s), got shape {H.shape}"
        )
    with np.errstate(all="ignore"):
        symmetric = np.allclose(H, H.T, rtol=0, atol=1e-12 * np.abs(H).max())
    if not symmetric:
        raise ValueError(f"hessian must be a symmetric square matrix, got shape {H.shape}")
    if np.linalg.eigvalsh(H).min() <= 0:
        raise ValueError("hessian must be positive definite")
    Ws = require_array("w_star", w_star, shape=(D,))
    if not ((Ws > device.w_min).all() and (Ws < device.w_max).all()):
        raise ValueError(f"w_star must lie inside the device range ({device.w_min:g}, {device.w_max:g})")
    alpha = require_real("alpha", alpha, low=0.0)
    starts = require_int(
        "starts", starts, low=1, high=MAX_STARTS, reason=f"each start is a root search costing O(D^3), D <= {MAX_DIM}"
    )
    inputs = dict(device=device, law=law, hessian=f"a {D} x {D} matrix", w_star=f"{D} entries", starts=starts)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("error", scipy.linalg.LinAlgWarning)
        try:
            found = _vector_solve(device, law, H, Ws, starts)
        except (
            _Unsolvable,
            np.linalg.LinAlgError,
            scipy.linalg.LinAlgWarning,
            OverflowError,
            ZeroDivisionError,
        ) as err:
            raise _naming(err, **inputs) from None
    W, residual, distinct, J, Q, Sigma0, m0, grad_lim, gap_lim, grad_c1, gap_c1 = found
    grad_value, gap_value = grad_lim + grad_c1 * alpha, gap_lim + gap_c1 * alpha
    if not (math.isfinite(grad_value) and math.isfinite(gap_value)):
        raise ValueError(f"alpha is too large: limit + c_1 alpha leaves float64 at alpha={alpha!r}")
    conditions = (
        Condition("||b(W_inf)||_inf <= 1e-10 (residual check)", residual, "<=", 1e-10),
        Condition("distinct roots found from the starts == 1", distinct, "==", 1),
        Condition("max Re eig J < 0 (linearised chain stable)", float(np.linalg.eigvals(J).real.max()), "<", 0.0),
    )
    if np.allclose(H, np.diag(np.diag(H)), rtol=0, atol=0):
        conditions += (Condition("H diagonal: separable, each coordinate's map strictly decreasing", 1, "==", 1),)
    assumes = ("O(alpha^2) remainder", "independent coordinate noise", "the chain stays in the device range")

    def mk(name, value, lim, c1):
        return Bound(
            name,
            "equal",
            value,
            conditions,
            source=_SOURCE,
            assumes=assumes,
            terms={"limit": lim, "slope": c1, "alpha": alpha},
        )

    return VectorAsymptotics(
        W,
        mk("stationary E||grad f||^2 to first order in alpha", grad_value, grad_lim, grad_c1),
        mk("stationary E[f - f*] to first order in alpha", gap_value, gap_lim, gap_c1),
        J,
        Q,
        Sigma0,
        m0,
        residual,
        conditions,
    )


def _vector_solve(device, law, H, Ws, starts):
    """The root, the Jacobian, the Lyapunov solution and the limits and slopes (numpy errors off; the caller
    checks nothing here is non-finite through :class:`_Unsolvable`)."""
    D = H.shape[0]
    fn = _numeric_parts(type(device), law.kind)
    # numpy scalars: a Python float's ** raises OverflowError where numpy gives inf (checked below)
    dev = [np.float64(getattr(device, n)) for n in type(device).parameter_symbols]
    s = np.float64(law.s)

    def parts(W):
        g = H @ (W - Ws)
        return g, {k: np.broadcast_to(fn[k](g, s), g.shape) for k in ("M", "M1", "M2", "XX", "X2")} | {
            k: np.broadcast_to(fn[k](W, *dev), g.shape) for k in ("F", "F1", "F2", "G", "G1", "G2")
        }

    def b(W):
        g, P = parts(W)
        return -(g * P["F"] + P["M"] * P["G"])

    def jac(W):
        g, P = parts(W)
        return -(H * (P["F"] + P["M1"] * P["G"])[:, None] + np.diag(g * P["F1"] + P["M"] * P["G1"]))

    width = device.w_max - device.w_min
    initial_points = [Ws, np.full(D, getattr(device, "w_sp", 0.0))]
    for k in range(starts - 2):
        initial_points.append(device.w_min + width * (0.25 + 0.5 * ((np.arange(D) * 0.618 + k * 0.382) % 1.0)))
    roots = []
    for x0 in initial_points[:starts]:
        if not (np.isfinite(b(x0)).all() and np.isfinite(jac(x0)).all()):
            continue
        sol = scipy.optimize.root(b, x0, jac=jac, method="hybr", options={"xtol": 1e-14})
        if sol.success and np.isfinite(sol.x).all() and (sol.x > device.w_min).all() and (sol.x < device.w_max).all():
            roots.append(sol.x)
    if not roots:
        raise _Unsolvable(
            f"no root of the mean map inside the device range was found from {starts} start(s) "
            "(more starts may find one)"
        )
    W = roots[0]
    residual = float(np.abs(b(W)).max())
    distinct = 1 + sum(np.abs(r - W).max() > 1e-9 * width for r in roots[1:])
    J = jac(W)
    g, P = parts(W)
    Q = np.diag((P["F"] ** 2 + P["G"] ** 2) * P["X2"] + 2 * P["F"] * P["G"] * P["XX"])
    if not (np.isfinite(J).all() and np.isfinite(Q).all() and math.isfinite(residual)):
        raise _Unsolvable("the Jacobian or the noise covariance at the root leaves float64")
    Sigma0 = scipy.linalg.solve_continuous_lyapunov(J, -Q)
    HS, HSH = H @ Sigma0, H @ Sigma0 @ H
    curvature = -(
        0.5 * P["M2"] * P["G"] * np.diag(HSH)
        + (P["F1"] + P["M1"] * P["G1"]) * np.diag(HS)
        + 0.5 * (g * P["F2"] + P["M"] * P["G2"]) * np.diag(Sigma0)
    )
    m0 = -np.linalg.solve(J, curvature)
    grad_lim, gap_lim = float(g @ g), float(0.5 * (W - Ws) @ g)
    grad_c1 = float(2 * (H @ g) @ m0 + np.trace(H @ H @ Sigma0))
    gap_c1 = float(g @ m0 + 0.5 * np.trace(H @ Sigma0))
    if not all(np.isfinite(x).all() for x in (Sigma0, m0, grad_lim, gap_lim, grad_c1, gap_c1)):
        raise _Unsolvable("the stationary covariance, the mean shift or the limits leave float64")
    return W, residual, distinct, J, Q, Sigma0, m0, grad_lim, gap_lim, grad_c1, gap_c1
