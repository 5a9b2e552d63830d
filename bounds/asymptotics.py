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
from dataclasses import dataclass, field

import mpmath
import numpy as np
import scipy.linalg
import scipy.optimize
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .devices import AsymmetricLinearDevice, Device, SoftBoundsDevice
from .noise_laws import CoordinateLaw, GaussianLaw, RademacherLaw
from .validation import require_array, require_int, require_real

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


# ------------------------------------------------------------------------------------------------
# per-coordinate expectations
# ------------------------------------------------------------------------------------------------


def _require_law(law) -> CoordinateLaw:
    if not isinstance(law, (GaussianLaw, RademacherLaw)):
        raise ValueError(
            f"law must be a bounds.noise_laws.GaussianLaw or RademacherLaw (state-independent, "
            f"zero-mean); for Theorem 2's two-point law use theorem2_chain; got {law!r}"
        )
    return law


@functools.cache
def law_moment_expressions(kind: str) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    r"""``(E|g + eps|, E[(g + eps)|g + eps|], E[(g + eps)^2])`` in g and the law's scale ``s`` (sympy).

    Gaussian (eps ~ N(0, s^2)): ``E|X| = g erf(g/(s sqrt 2)) + s sqrt(2/pi) e^{-g^2/(2 s^2)}`` (from
    :mod:`bounds.noise_laws`) and ``E[X|X|] = (g^2 + s^2) erf(g/(s sqrt 2)) + g s sqrt(2/pi) e^{-g^2/(2 s^2)}``;
    Rademacher (eps = +-s): the two-term averages.

    >>> m, xx, x2 = law_moment_expressions("rademacher")
    >>> [e.subs({S.g: 0, S.s: 1}) for e in (m, xx, x2)]
    [1, 0, 1]
    """
    g, s = S.g, S.s
    if kind == "gaussian":
        m = GaussianLaw.symbolic().expected_abs_expression(g)
        xx = (g**2 + s**2) * sp.erf(g / (s * sp.sqrt(2))) + g * s * sp.sqrt(2 / sp.pi) * sp.exp(-(g**2) / (2 * s**2))
    elif kind == "rademacher":
        m = (sp.Abs(g + s) + sp.Abs(g - s)) / 2
        xx = ((g + s) * sp.Abs(g + s) + (g - s) * sp.Abs(g - s)) / 2
    else:
        raise ValueError(f"kind must be 'gaussian' or 'rademacher', got {kind!r}")
    return m, xx, g**2 + s**2


def _device_parts(device: Device) -> tuple[sp.Expr, sp.Expr]:
    if not isinstance(device, (AsymmetricLinearDevice, SoftBoundsDevice)):
        raise ValueError(f"device must be an AsymmetricLinearDevice or SoftBoundsDevice, got {device!r}")
    return device.symmetric_part_expression(S.w), device.asymmetric_part_expression(S.w)


# ------------------------------------------------------------------------------------------------
# scalar chains, exact
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ScalarChain:
    """A scalar chain ``w' = w + alpha h(w, eps)`` given by its mean map and second moment (sympy, in S.w).

    ``drift`` is ``b(w) = E h``, ``second_moment`` is ``E h^2``, ``observables`` maps names to smooth
    functions phi(w) whose stationary means are expanded; ``values`` substitutes every other symbol;
    ``interval`` is the open range (device range) where the root is sought.
    """

    drift: sp.Expr
    second_moment: sp.Expr
    observables: dict
    values: dict
    interval: tuple
    description: str = ""
    kinks: tuple = ()
    """Expressions in w whose zeros are kinks of the drift (``|.|`` of a finite law); the root must avoid them."""

    def _fn(self, expr, order=0):
        # |a| = sqrt(a^2): differentiable off a = 0 even where sympy cannot tell that a is real
        expr = expr.replace(sp.Abs, lambda a: sp.sqrt(a**2))
        e = sp.diff(expr, S.w, order) if order else expr
        # off the kinks (checked at the root) the derivative of sign is 0
        e = e.subs(self.values).replace(sp.DiracDelta, lambda *args: sp.Integer(0))
        extra = e.free_symbols - {S.w}
        if extra:
            raise ValueError(f"values must give every symbol but w, missing {sorted(map(str, extra))}")
        return sp.lambdify(S.w, e, modules="mpmath")


@dataclass(frozen=True)
class ScalarAsymptotics:
    """The alpha -> 0 floor of a scalar chain and its first-order term, at ``dps`` digits."""

    w_inf: object
    """The root of the mean map (mpmath mpf)."""
    residual: object
    """b(w_inf) (mpmath)."""
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

    @property
    def unique(self) -> bool:
        return all(c.holds for c in self.conditions)

    def prediction(self, observable: str, alpha: float) -> Bound:
        """``E phi = phi(w_inf) + c_1 alpha`` as an ``equal`` Bound (O(alpha^2) remainder assumed)."""
        if observable not in self.limits:
            raise ValueError(f"observable must be one of {sorted(self.limits)}, got {observable!r}")
        alpha = require_real("alpha", alpha, low=0.0)
        return Bound(
            f"stationary E[{observable}] to first order in alpha",
            "equal",
            self.limits[observable] + self.slopes[observable] * alpha,
            self.conditions,
            source=_SOURCE,
            assumes=("O(alpha^2) remainder", "the chain stays in the device range"),
            terms={"limit": self.limits[observable], "slope": self.slopes[observable]},
        )


def solve_scalar(chain: ScalarChain, dps: int = 50) -> ScalarAsymptotics:
    """Root, uniqueness checks and first-order expansion of a :class:`ScalarChain` (mpmath at ``dps``)."""
    if not isinstance(chain, ScalarChain):
        raise ValueError(f"chain must be a ScalarChain, got {chain!r}")
    dps = require_int("dps", dps, low=15)
    b0, b1, b2 = (chain._fn(chain.drift, k) for k in (0, 1, 2))
    v = chain._fn(chain.second_moment)
    lo, hi = (float(e) for e in chain.interval)
    with mpmath.workdps(dps):
        a, c = mpmath.mpf(lo), mpmath.mpf(hi)
        shrink = (c - a) * mpmath.mpf(10) ** (-dps // 2)
        a, c = a + shrink, c - shrink
        fa, fc = b0(a), b0(c)
        grid = [a + (c - a) * k / (_GRID - 1) for k in range(_GRID)]
        slope_max = max(b1(x) for x in grid)
        conditions = (
            Condition("b(w_min) > 0 (the mean map points inward at the lower end)", float(fa), ">", 0.0),
            Condition("b(w_max) < 0 (the mean map points inward at the upper end)", float(fc), "<", 0.0),
            Condition(
                "max over a grid of b'(w) < 0 (b strictly decreasing: the root is unique)", float(slope_max), "<", 0.0
            ),
        )
        if not (fa > 0 and fc < 0):
            raise ValueError(f"the mean map does not change sign on {chain.interval}: b = {float(fa):g}, {float(fc):g}")
        root = mpmath.findroot(b0, (a, c), solver="anderson")
        root = mpmath.findroot(b0, root)  # polish with the secant method
        d1, d2 = b1(root), b2(root)
        var0 = v(root) / (-2 * d1)
        mean0 = -d2 * var0 / (2 * d1)
        limits, slopes = {}, {}
        for name, phi in chain.observables.items():
            p0, p1, p2 = (chain._fn(phi, k) for k in (0, 1, 2))
            limits[name] = float(p0(root))
            slopes[name] = float(p1(root) * mean0 + p2(root) * var0 / 2)
        residual = b0(root)
        kink = min((abs(chain._fn(k)(root)) for k in chain.kinks), default=mpmath.inf)
    conditions += (Condition("b'(w_inf) < 0 (linearised chain stable)", float(d1), "<", 0.0),)
    if chain.kinks:
        conditions += (
            Condition("distance of the root from a kink of E|g + eps| > 0 (b smooth there)", float(kink), ">", 0.0),
        )
    return ScalarAsymptotics(root, residual, limits, slopes, float(var0), float(mean0), float(d1), conditions)


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
    w_star = require_real("w_star", w_star, low=-tau, high=tau, low_open=True, high_open=True)
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
    """:func:`solve_scalar` of :func:`analog_sgd_chain` (see the module docstring)."""
    return solve_scalar(analog_sgd_chain(device, law, L, w_star), dps=dps)


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
    """The alpha -> 0 floor of D-dimensional Analog SGD on a quadratic and its first-order term."""

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

    def discrete_covariance(self, alpha: float) -> np.ndarray:
        """The linearised chain's stationary covariance at ``alpha``: ``Sigma = A Sigma A^T + alpha^2 Q``."""
        alpha = require_real("alpha", alpha, low=0.0, low_open=True)
        A = np.eye(len(self.W_inf)) + alpha * self.jacobian
        return scipy.linalg.solve_discrete_lyapunov(A, alpha**2 * self.noise_covariance)


def vector_asymptotics(
    device: Device, law: CoordinateLaw, hessian, w_star, alpha: float = 0.0, starts: int = 8
) -> VectorAsymptotics:
    """Fixed point, limits and O(alpha) terms for D-dimensional Analog SGD with independent coordinate noise.

    ``hessian`` symmetric positive definite (D, D); ``w_star`` (D,) inside the device range; ``law`` the
    law of every coordinate; ``alpha`` where the returned Bounds are evaluated (0: the limits).
    """
    _device_parts(device)
    law = _require_law(law)
    H = require_array("hessian", hessian, ndim=2)
    D = H.shape[0]
    if H.shape != (D, D) or not np.allclose(H, H.T, rtol=0, atol=1e-12 * np.abs(H).max()):
        raise ValueError(f"hessian must be a symmetric square matrix, got shape {H.shape}")
    if np.linalg.eigvalsh(H).min() <= 0:
        raise ValueError("hessian must be positive definite")
    Ws = require_array("w_star", w_star, shape=(D,))
    if not ((Ws > device.w_min).all() and (Ws < device.w_max).all()):
        raise ValueError(f"w_star must lie inside the device range ({device.w_min:g}, {device.w_max:g})")
    alpha = require_real("alpha", alpha, low=0.0)
    starts = require_int("starts", starts, low=1)
    fn = _numeric_parts(type(device), law.kind)
    dev = [getattr(device, n) for n in type(device).parameter_symbols]
    s = law.s

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
        sol = scipy.optimize.root(b, x0, jac=jac, method="hybr", options={"xtol": 1e-14})
        if sol.success and (sol.x > device.w_min).all() and (sol.x < device.w_max).all():
            roots.append(sol.x)
    if not roots:
        raise ValueError("no root of the mean map inside the device range was found")
    W = roots[0]
    residual = float(np.abs(b(W)).max())
    distinct = 1 + sum(np.abs(r - W).max() > 1e-9 * width for r in roots[1:])
    J = jac(W)
    g, P = parts(W)
    Q = np.diag((P["F"] ** 2 + P["G"] ** 2) * P["X2"] + 2 * P["F"] * P["G"] * P["XX"])
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
    conditions = (
        Condition("||b(W_inf)||_inf <= 1e-10 (residual check)", residual, "<=", 1e-10),
        Condition("distinct roots found from the starts == 1", distinct, "==", 1),
        Condition("max Re eig J < 0 (linearised chain stable)", float(np.linalg.eigvals(J).real.max()), "<", 0.0),
    )
    if np.allclose(H, np.diag(np.diag(H)), rtol=0, atol=0):
        conditions += (Condition("H diagonal: separable, each coordinate's map strictly decreasing", 1, "==", 1),)
    assumes = ("O(alpha^2) remainder", "independent coordinate noise", "the chain stays in the device range")

    def mk(name, lim, c1):
        return Bound(
            name,
            "equal",
            lim + c1 * alpha,
            conditions,
            source=_SOURCE,
            assumes=assumes,
            terms={"limit": lim, "slope": c1, "alpha": alpha},
        )

    return VectorAsymptotics(
        W,
        mk("stationary E||grad f||^2 to first order in alpha", grad_lim, grad_c1),
        mk("stationary E[f - f*] to first order in alpha", gap_lim, gap_c1),
        J,
        Q,
        Sigma0,
        m0,
        residual,
        conditions,
    )
