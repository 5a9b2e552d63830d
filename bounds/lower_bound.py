r"""Theorem 2 (arXiv v1 Theorem 3): the lower-bound instance of Analog SGD, and Lemmas 2-4 (App. G.2).

Setting (App. G.2). ``f(W) = L/2 ||W - W*||^2`` on R^D with ``W* = w* 1`` (so f* = 0, grad f = L (W - W*),
mu = L), started at ``W_0 = W*``, held on an ALD with bound tau and symmetric point 0. The noise is
``eps_k = xi_k 1`` with the state-dependent two-point law (66)-(67): with ``p_k = (1 - w_k/tau)/2`` and
``s = sigma/sqrt(D)``,

    xi_k = + s sqrt((1 - p_k)/p_k)  with probability p_k,      xi_k = - s sqrt(p_k/(1 - p_k))  otherwise,

so E[eps] = 0 and E||eps||^2 = sigma^2 exactly (C18). The paper assumes w.l.o.g. ``|w*| <= tau/4`` and
``sigma <= tau L sqrt(D)/(4 sqrt 3)``, and the step size ``alpha <= min{1/(2L), 1/(mu + 6 sigma/(tau sqrt D))}``.

Algorithm. Analog SGD (3): ``W_{k+1} = W_k - alpha (grad f(W_k) + eps_k) - (alpha/tau)|grad f(W_k) + eps_k| (.) W_k``.
All coordinates stay equal, ``W_k = w_k 1``, so one scalar chain describes the run.

Claim (equal; arXiv v1 Theorem 3, eq. (10), proof (95)-(101)): on this instance
``(1/K) sum_{k<K} E||grad f(W_k)||^2 = 4 sigma^2 S_K + Theta(alpha)``; hence the 4 sigma^2 S_K of Theorem 1
"cannot be improved". The Theta(alpha) remainder has no stated constant: it is not evaluable, and
:func:`theorem2_as_stated` returns the alpha -> 0 part only.

What the derivation gives (this module derives every step with sympy, see :func:`derivation_steps`):

* the mean step, from the update rule and Lemma 4, is
  ``E[w_{k+1}] - w_k = -alpha (1 - x^2) g - alpha s x sqrt(1 - x^2)`` with ``g = L (w - w*)``, ``x = w/tau``;
* (95) and (97) are right, but (98) uses ``sqrt(p(1-p)) = sqrt(1 - x^2)``, dropping the 1/2 of (97): the
  noise term of (98) is twice the true one. (99) and (100) follow correctly from the wrong (98), so the
  stationary gradient is ``-(sigma/sqrt(1 - r)) (w/tau)/sqrt(D)`` (not 2 sigma), and the asymptotic value is
  ``sigma^2 S_K + O(alpha)``, not ``4 sigma^2 S_K``: the instance shows that the constant of Theorem 1 is at
  least 1, not that 4 is unimprovable;
* the fixed point w_bar of the mean dynamics (:func:`stationary_point`) lies between 0 and w*, and the
  ratio of the stationary E||grad f||^2 to sigma^2 E[S] is ``1 + c_1 alpha + O(alpha^2)`` with
  ``c_1 = L (c^3 - eta (1 + 4 x^2)) / (2 x^2 c^3)``, ``x = w_bar/tau``, ``c = sqrt(1 - x^2)``,
  ``eta = sigma/(sqrt(D) L tau)`` (:func:`ratio_slope`, derived from the small-step expansion of the
  stationary law);
* Lemma 2 holds: Theorem 8's interval is ``w* -+ sqrt(3) sigma/(L sqrt D)``, inside [-tau/2, tau/2] exactly
  under the two w.l.o.g. conditions; Lemma 3 holds with the tight constant ``4/sqrt(3) = 2.309...`` in
  place of 3; Lemma 4 is exact summation over the two-point law, valid exactly when
  ``-xi+ <= g <= -xi-`` (it fails outside, e.g. g = 2, p = 1/2, s = 1 gives 1 instead of 2).

>>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
>>> cons.applicable
True
>>> theorem2_as_stated(cons, S_K=0.05).value / theorem2_derived(cons, S_K=0.05).value
4.0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.optimize
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .devices import AsymmetricLinearDevice
from .formula import register
from .saturation import SATURATION_TERM
from .validation import require_array, require_instance, require_int, require_memory, require_real

__all__ = [
    "LowerBoundConstruction",
    "DerivationStep",
    "theorem2_as_stated",
    "theorem2_derived",
    "stationary_value_as_stated",
    "stationary_value_derived",
    "stationary_point",
    "stationary_point_exact",
    "ratio_slope",
    "stationary_ratio_first_order",
    "lemma2_bound",
    "theorem8_interval",
    "theorem8_bound",
    "lemma3_constant",
    "lemma3_bound_as_stated",
    "lemma3_bound",
    "abs_moment",
    "lemma4_value",
    "lemma4_interval",
    "noise_moments",
    "derivation_steps",
    "STATED_CONSTANT",
    "DERIVED_CONSTANT",
]

# ------------------------------------------------------------------------------------------------
# the instance's symbols and the two-point law
# ------------------------------------------------------------------------------------------------

_x = S.w / S.tau  #: normalised weight
_s = S.sigma / sp.sqrt(S.D)  #: per-coordinate noise scale
_c = sp.sqrt(1 - _x**2)  #: sqrt(1 - w^2/tau^2)
_g = S.L * (S.w - S.w_star)  #: one gradient coordinate, L (w - w*)
_p = (1 - _x) / 2  #: eq. (67)

# The law in p and q = 1 - p, two positive symbols, so that sqrt(q/p) = sqrt(q)/sqrt(p) splits and the
# exact sums simplify; ``p + q = 1`` is used only where said.
_XI_PLUS_PQ = _s * sp.sqrt(S.lb_q / S.p)  # eq. (66), up branch
_XI_MINUS_PQ = -_s * sp.sqrt(S.p / S.lb_q)  # eq. (66), down branch


def _pq_to_w(expr: sp.Expr) -> sp.Expr:
    """p, q -> (1 -+ w/tau)/2, using sqrt(p) sqrt(q) = sqrt(1 - w^2/tau^2)/2 (eq. 97, checked in
    :func:`derivation_steps`) so that the result is written in sqrt(1 - w^2/tau^2)."""
    expr = sp.expand(sp.sympify(expr)).subs(sp.sqrt(S.p), _c / (2 * sp.sqrt(S.lb_q)))
    return sp.expand(expr.subs({S.p: _p, S.lb_q: 1 - _p}))


def _collect_in_g(expr: sp.Expr) -> sp.Expr:
    """Write an expression in w, w* as a polynomial in g = L (w - w*) with factored coefficients
    (no cancellation of w against w* left to floats)."""
    expr = sp.expand(expr.subs(S.w_star, S.w - S.g / S.L))
    terms = sp.collect(expr, S.g, evaluate=False)
    return sp.Add(*(sp.factor(coeff) * power for power, coeff in terms.items())).subs(S.g, _g)


def _rationalise(expr: sp.Expr) -> sp.Expr:
    """Substitute ``w = tau (u^2 - 1)/(u^2 + 1)`` (u = sqrt((1 + x)/(1 - x)) > 0), ``p = 1/(1 + u^2)``,
    ``q = u^2/(1 + u^2)``: every square root of the two-point law becomes rational, so ``cancel`` decides
    identities exactly."""
    u = S.lb_u
    expr = sp.sympify(expr).subs({S.p: 1 / (1 + u**2), S.lb_q: u**2 / (1 + u**2)})
    expr = expr.subs(S.w, S.tau * (u**2 - 1) / (u**2 + 1))
    expr = expr.replace(
        lambda e: e.is_Pow and e.exp.is_Rational and e.exp.q == 2, lambda e: sp.Pow(sp.factor(sp.cancel(e.base)), e.exp)
    )
    return sp.cancel(expr)


def _identical(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether a and b are equal for every admissible state (|w| < tau, p in (0, 1)), decided exactly."""
    return _rationalise(sp.sympify(a) - sp.sympify(b)) == 0


# structured-grid values: weights inside the device range, noise and curvature on log scales
_W_VALUES = (-0.999, -0.75, -0.5, -0.1, -1e-3, 0.0, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.999)
_TAU_VALUES = (0.5, 1.0, 2.0, 4.0, 1e3)
_INSIDE = (S.w**2 < S.tau**2,)

PROBABILITY = register(
    "lower_bound.probability",
    _p,
    (S.w, S.tau),
    relation="definition",
    source="arXiv v1 eq. (67)",
    domain=_INSIDE,
    values={S.w: _W_VALUES, S.tau: _TAU_VALUES},
)
XI_PLUS = register(
    "lower_bound.xi_plus",
    _s * sp.sqrt((1 - _p) / _p),
    (S.w, S.tau, S.sigma, S.D),
    relation="definition",
    source="arXiv v1 eq. (66), up branch",
    domain=_INSIDE,
    values={S.w: _W_VALUES, S.tau: _TAU_VALUES},
)
XI_MINUS = register(
    "lower_bound.xi_minus",
    -_s * sp.sqrt(_p / (1 - _p)),
    (S.w, S.tau, S.sigma, S.D),
    relation="definition",
    source="arXiv v1 eq. (66), down branch",
    domain=_INSIDE,
    values={S.w: _W_VALUES, S.tau: _TAU_VALUES},
)

# ------------------------------------------------------------------------------------------------
# Lemma 4: E|g + xi| by exact summation, and the paper's (83)
# ------------------------------------------------------------------------------------------------

_G_VALUES = (-10.0, -2.0, -0.5, -0.1, 0.0, 0.1, 0.5, 2.0, 10.0)
_LEMMA4_REGION = (S.g >= -XI_PLUS.expr, S.g <= -XI_MINUS.expr)

ABS_MOMENT = register(
    "lower_bound.abs_moment",
    _p * sp.Abs(S.g + XI_PLUS.expr) + (1 - _p) * sp.Abs(S.g + XI_MINUS.expr),
    (S.g, S.w, S.tau, S.sigma, S.D),
    relation="equal",
    source="derived here: exact sum of |g + xi| over the two-point law (66)-(67)",
    domain=_INSIDE,
    values={S.g: _G_VALUES, S.w: _W_VALUES, S.tau: _TAU_VALUES},
)
LEMMA4_ABS_MOMENT = register(
    "lower_bound.lemma4_abs_moment",
    2 * _s * sp.sqrt(_p * (1 - _p)) + (2 * _p - 1) * S.g,
    (S.g, S.w, S.tau, S.sigma, S.D),
    relation="equal",
    source="arXiv v1 Lemma 4, eq. (83)",
    domain=_INSIDE + _LEMMA4_REGION,
    values={S.g: _G_VALUES, S.w: _W_VALUES, S.tau: _TAU_VALUES},
)

# the exact sum on Lemma 4's region, where g + xi+ >= 0 >= g + xi-, in p and q
_LEMMA4_SUM_PQ = S.p * (S.g + _XI_PLUS_PQ) - S.lb_q * (S.g + _XI_MINUS_PQ)
_LEMMA4_PRINTED_PQ = 2 * _s * sp.sqrt(S.p * S.lb_q) + (S.p - S.lb_q) * S.g  # (83) with 1 - p = q, 2p - 1 = p - q

# ------------------------------------------------------------------------------------------------
# the mean dynamics of one coordinate, derived from the update rule (3)
# ------------------------------------------------------------------------------------------------

_UPDATE = AsymmetricLinearDevice.update_expression(S.w, S.dw).subs(S.w_sp, 0)  # w + dw - |dw| w/tau, eq. (8)
# on Lemma 4's region dw = -alpha (g + xi+) <= 0 on the up branch and dw = -alpha (g + xi-) >= 0 on the down one
_STEP_PLUS_PQ = (_UPDATE.subs(sp.Abs(S.dw), -S.dw).subs(S.dw, -S.alpha * (_g + _XI_PLUS_PQ)) - S.w) / S.alpha
_STEP_MINUS_PQ = (_UPDATE.subs(sp.Abs(S.dw), S.dw).subs(S.dw, -S.alpha * (_g + _XI_MINUS_PQ)) - S.w) / S.alpha
# E[w'] - w = p (w'_+ - w) + q (w'_- - w), using p + q = 1
_DRIFT_PQ = S.alpha * (S.p * _STEP_PLUS_PQ + S.lb_q * _STEP_MINUS_PQ)
_DRIFT = _collect_in_g(_pq_to_w(_DRIFT_PQ))
_SECOND_MOMENT = _pq_to_w(S.p * _STEP_PLUS_PQ**2 + S.lb_q * _STEP_MINUS_PQ**2)  # E[((w' - w)/alpha)^2]

_DRIFT_PARAMS = (S.w, S.w_star, S.L, S.tau, S.sigma, S.D, S.alpha)
_DRIFT_DOMAIN = _INSIDE + tuple(rel.subs(S.g, _g) for rel in _LEMMA4_REGION)
_DRIFT_VALUES = {
    S.w: _W_VALUES,
    S.w_star: (-0.25, -0.1, 0.0, 0.1, 0.25, 0.5),
    S.tau: _TAU_VALUES,
    S.L: (0.1, 1.0, 10.0),
    S.sigma: (0.1, 1.0, 10.0),
    S.alpha: (1e-3, 0.01, 0.1),
}

MEAN_DRIFT = register(
    "lower_bound.mean_drift",
    _DRIFT,
    _DRIFT_PARAMS,
    relation="equal",
    source="derived here: E[w_{k+1}] - w_k from (3) with the two-point law, on Lemma 4's region",
    domain=_DRIFT_DOMAIN,
    values=_DRIFT_VALUES,
)

# (98) as printed, per coordinate: E[g_{k+1}] - g_k, with grad f = g 1 and W = w 1
_GRADIENT_DRIFT_PRINTED = (
    -S.alpha * S.L * (1 - _x**2) * S.g - 2 * S.alpha * S.L * S.sigma / (S.tau * sp.sqrt(S.D)) * _c * S.w
)
GRADIENT_DRIFT_AS_STATED = register(
    "lower_bound.gradient_drift_as_stated",
    _GRADIENT_DRIFT_PRINTED.subs(S.g, _g),
    _DRIFT_PARAMS,
    relation="equal",
    source="arXiv v1 eq. (98)",
    domain=_DRIFT_DOMAIN,
    values=_DRIFT_VALUES,
)
GRADIENT_DRIFT = register(
    "lower_bound.gradient_drift",
    _collect_in_g(S.L * _DRIFT),
    _DRIFT_PARAMS,
    relation="equal",
    source="derived here: L times the mean drift (grad f is affine)",
    domain=_DRIFT_DOMAIN,
    values=_DRIFT_VALUES,
)

# the fixed point: E[w'] - w = -alpha sqrt(1 - x^2) * residual
FIXED_POINT_RESIDUAL = register(
    "lower_bound.fixed_point_residual",
    _collect_in_g(sp.expand(-_DRIFT / (S.alpha * _c))),
    (S.w, S.w_star, S.L, S.tau, S.sigma, S.D),
    relation="definition",
    source="derived here: the mean drift is -alpha sqrt(1 - w^2/tau^2) times this",
    domain=_INSIDE,
    values=_DRIFT_VALUES,
)


def _stationary_gradient(gradient_drift_in_g: sp.Expr) -> sp.Expr:
    """The gradient coordinate g at which a gradient drift, linear in g, vanishes."""
    (root,) = sp.solve(gradient_drift_in_g, S.g)
    return sp.factor(root)


_STATIONARY_G_PRINTED = _stationary_gradient(_GRADIENT_DRIFT_PRINTED)
_STATIONARY_G = _stationary_gradient(sp.expand(S.L * _DRIFT.subs(S.w_star, S.w - S.g / S.L)))
STATIONARY_GRADIENT_AS_STATED = register(
    "lower_bound.stationary_gradient_as_stated",
    _STATIONARY_G_PRINTED,
    (S.w, S.tau, S.sigma, S.D),
    relation="equal",
    source="arXiv v1 eq. (99), solved from (98)",
    domain=_INSIDE,
    values={S.w: _W_VALUES, S.tau: _TAU_VALUES},
)
STATIONARY_GRADIENT = register(
    "lower_bound.stationary_gradient",
    _STATIONARY_G,
    (S.w, S.tau, S.sigma, S.D),
    relation="equal",
    source="derived here: the zero of the derived gradient drift",
    domain=_INSIDE,
    values={S.w: _W_VALUES, S.tau: _TAU_VALUES},
)


def _grad_sq_in_r(stationary_g: sp.Expr) -> sp.Expr:
    """||grad f||^2 = D g^2 at w = tau sqrt(r), i.e. r = ||W||_inf^2/tau^2 (eq. 101)."""
    return sp.factor(sp.cancel(S.D * stationary_g**2).subs(S.w, S.tau * sp.sqrt(S.lb_r)))


_R_VALUES = {S.lb_r: (0.0, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.9, 0.999)}
STATIONARY_GRAD_SQ_AS_STATED = register(
    "lower_bound.stationary_grad_sq_as_stated",
    _grad_sq_in_r(_STATIONARY_G_PRINTED),
    (S.lb_r, S.sigma),
    relation="equal",
    source="arXiv v1 eqs. (99)-(101)",
    domain=(S.lb_r < 1,),
    values=_R_VALUES,
)
STATIONARY_GRAD_SQ = register(
    "lower_bound.stationary_grad_sq",
    _grad_sq_in_r(_STATIONARY_G),
    (S.lb_r, S.sigma),
    relation="equal",
    source="derived here: the stationary gradient squared, in r = w_bar^2/tau^2",
    domain=(S.lb_r < 1,),
    values=_R_VALUES,
)

# r/(1 - r) = S_K (the saturation term of bounds.saturation): the value is linear in it, so averaging over
# k turns it into S_K exactly
(_R_OF_S,) = sp.solve(SATURATION_TERM.expr.subs(S.W_max, S.tau * sp.sqrt(S.lb_r)) - S.S_K, S.lb_r)
THEOREM2_AS_STATED = register(
    "lower_bound.theorem2_as_stated",
    sp.factor(sp.cancel(STATIONARY_GRAD_SQ_AS_STATED.expr.subs(S.lb_r, _R_OF_S))),
    (S.sigma, S.S_K),
    relation="equal",
    source="arXiv v1 Theorem 3, eqs. (10), (100)",
)
THEOREM2_DERIVED = register(
    "lower_bound.theorem2_derived",
    sp.factor(sp.cancel(STATIONARY_GRAD_SQ.expr.subs(S.lb_r, _R_OF_S))),
    (S.sigma, S.S_K),
    relation="equal",
    source="derived here: (95)-(100) with the 1/2 of (97) kept",
)

#: the constant in front of sigma^2 S_K: as stated (4) and as derived (1)
STATED_CONSTANT = sp.cancel(THEOREM2_AS_STATED.expr / (S.sigma**2 * S.S_K))
DERIVED_CONSTANT = sp.cancel(THEOREM2_DERIVED.expr / (S.sigma**2 * S.S_K))

# ------------------------------------------------------------------------------------------------
# the O(alpha) remainder: small-step expansion of the stationary law
# ------------------------------------------------------------------------------------------------


def _reduce(expr: sp.Expr) -> sp.Expr:
    """Normalise (w = tau x, sigma = eta L tau sqrt(D), sqrt(1 - x^2) = c) and reduce modulo c^2 = 1 - x^2."""
    X, C, eta = S.x, S.lb_c, S.lb_eta
    expr = sp.sympify(expr).subs({S.w: S.tau * X, S.sigma: eta * S.L * S.tau * sp.sqrt(S.D)})

    def to_c(power):  # (k (1 - x^2))^(n/2) -> k^(n/2) c^n, for k free of x
        ratio = sp.cancel(power.base / (1 - X**2))
        return power if ratio.has(X) else sp.Pow(ratio, power.exp) * C ** (2 * power.exp)

    expr = expr.replace(lambda e: e.is_Pow and e.exp.is_Rational and e.exp.q == 2 and e.base.has(X), to_c)
    numerator, denominator = sp.fraction(sp.cancel(sp.together(expr)))
    relation = X**2 + C**2 - 1  # eliminate x^2: a rational function of c (and odd powers of x)
    return sp.factor(sp.cancel(sp.rem(sp.expand(numerator), relation, X) / sp.rem(sp.expand(denominator), relation, X)))


def _restore_x(expr: sp.Expr) -> sp.Expr:
    """Write every factor c^2 - 1 of numerator and denominator as -x^2 (so that floats never form 1 - c^2)."""
    X, C = S.x, S.lb_c

    def pull(polynomial):
        power = 0
        while True:
            quotient, remainder = sp.div(polynomial, C**2 - 1, C)
            if remainder != 0:
                return sp.factor(polynomial) * (-(X**2)) ** power
            polynomial, power = quotient, power + 1

    numerator, denominator = sp.fraction(sp.cancel(expr))
    return pull(sp.expand(numerator)) / pull(sp.expand(denominator))


def _derive_ratio_slope() -> sp.Expr:
    r"""c_1 in R(alpha) = E_pi[||grad f||^2] / E_pi[sigma^2 s/(1 - s)] = 1 + c_1 alpha + O(alpha^2).

    The chain is ``w' = w + alpha h(w, xi)`` with mean ``b(w) = E h`` (the derived drift over alpha) and
    ``v(w) = E h^2``. With ``delta = w - w_bar`` under the stationary law, ``E b(w) = 0`` and
    ``E[(delta + alpha h)^2] = E[delta^2]`` give ``E delta^2 = alpha v/(2|b'|) + O(alpha^2)`` and
    ``E delta = -(b''/(2 b')) E delta^2 + O(alpha^2)``; then for smooth phi
    ``E phi(w) = phi(w_bar) + phi' E delta + phi''/2 E delta^2 + O(alpha^2)``. The numerator
    ``N = D g^2`` and the denominator ``Q = sigma^2 x^2/(1 - x^2)`` are equal at w_bar, so
    ``c_1 = [(N' - Q') E delta + (N'' - Q'') E delta^2/2] / (alpha Q)`` at w_bar, written in w_bar by
    eliminating w* through the fixed-point equation.
    """
    b = _DRIFT / S.alpha
    numerator = S.D * _g**2
    denominator = S.sigma**2 * SATURATION_TERM.expr.subs(S.W_max, S.w)
    (w_star_at_fixed_point,) = sp.solve(FIXED_POINT_RESIDUAL.expr, S.w_star)
    at = {S.w_star: w_star_at_fixed_point}
    b1, b2 = (_reduce(sp.diff(b, S.w, k).subs(at)) for k in (1, 2))
    v = _reduce(_SECOND_MOMENT.subs(at))
    d1 = _reduce((sp.diff(numerator, S.w) - sp.diff(denominator, S.w)).subs(at))
    d2 = _reduce((sp.diff(numerator, S.w, 2) - sp.diff(denominator, S.w, 2)).subs(at))
    q = _reduce(denominator.subs(at))
    var = v / (2 * (-b1))  # E delta^2 / alpha
    mean = -b2 * var / (2 * b1)  # E delta / alpha
    slope = _restore_x(_reduce(sp.together((d1 * mean + d2 * var / 2) / q)))
    back = {S.x: S.w / S.tau, S.lb_c: _c, S.lb_eta: _s / (S.L * S.tau)}
    return slope.subs(back)


RATIO_SLOPE = register(
    "lower_bound.ratio_slope",
    _derive_ratio_slope(),
    (S.w, S.L, S.tau, S.sigma, S.D),
    relation="equal",
    source="derived here: small-step expansion of the stationary law; w is the fixed point w_bar",
    domain=(S.w**2 > 0,) + _INSIDE,
    values={
        S.w: (-0.9, -0.25, -1e-3, 1e-3, 0.1, 0.2, 0.25, 0.5, 0.9, 0.999),
        S.tau: _TAU_VALUES,
        S.sigma: (1e-3, 0.1, 0.25, 1.0, 10.0),
        S.L: (0.1, 1.0, 10.0),
    },
)

# ------------------------------------------------------------------------------------------------
# the theorem's conditions
# ------------------------------------------------------------------------------------------------

STEP_SIZE_LIMIT = register(
    "lower_bound.step_size_limit",
    sp.Min(1 / (2 * S.L), 1 / (S.mu + 6 * S.sigma / (S.tau * sp.sqrt(S.D)))),
    (S.L, S.mu, S.tau, S.sigma, S.D),
    relation="definition",
    source="arXiv v1 Theorem 3 (App. G.2)",
    domain=(S.mu <= S.L,),
)
W_STAR_LIMIT = register(
    "lower_bound.w_star_limit", S.tau / 4, (S.tau,), relation="definition", source="App. G.2 (w.l.o.g.)"
)
SIGMA_LIMIT = register(
    "lower_bound.sigma_limit",
    S.tau * S.L * sp.sqrt(S.D) / (4 * sp.sqrt(3)),
    (S.tau, S.L, S.D),
    relation="definition",
    source="App. G.2 (w.l.o.g.)",
)

# ------------------------------------------------------------------------------------------------
# Lemma 3 (Lipschitz noise) and Lemma 2 (bounded weights through Theorem 8)
# ------------------------------------------------------------------------------------------------

_HALF = sp.Rational(1, 2)
_G_PLUS = sp.sqrt((1 + S.x) / (1 - S.x))  # xi+ = s g_+(w/tau)
_G_MINUS = sp.sqrt((1 - S.x) / (1 + S.x))  # xi- = -s g_-(w/tau)


def _max_on_half_interval(expr: sp.Expr) -> sp.Expr:
    """max over |x| <= 1/2 of a nonnegative expr whose square is rational in x: the endpoints and the
    interior critical points of the square (roots of a polynomial), exactly."""
    square = sp.cancel(sp.expand(expr**2))
    numerator, _ = sp.fraction(sp.cancel(sp.diff(square, S.x)))
    critical = [root for root in sp.Poly(numerator, S.x).real_roots() if -_HALF <= root <= _HALF]
    candidates = {-_HALF, _HALF, *critical}
    return sp.sqrt(sp.Max(*(sp.cancel(square.subs(S.x, point)) for point in candidates)))


@functools.cache
def lemma3_constant() -> sp.Expr:
    """The exact ``max_{|x| <= 1/2} max(|g_+'(x)|, |g_-'(x)|)`` (the paper bounds it by 3).

    Setting: Lemma 3 (App. G.2), ``g_+(x) = sqrt((1 + x)/(1 - x))``, ``g_-(x) = 1/g_+(x)``. Equal, derived
    here: ``g_+'(x) = (1 - x)^(-3/2) (1 + x)^(-1/2) > 0`` is increasing on [-1/2, 1/2], so the maximum is
    at x = 1/2 (and at x = -1/2 for ``g_-``): ``4/sqrt(3)``.

    >>> lemma3_constant() == 4 * sp.sqrt(3) / 3
    True
    """
    return sp.radsimp(sp.Max(*(_max_on_half_interval(sp.diff(gfun, S.x)) for gfun in (_G_PLUS, _G_MINUS))))


LEMMA3_CONSTANT_AS_STATED = register(
    "lower_bound.lemma3_constant_as_stated", sp.Integer(3), (), relation="upper", source="arXiv v1 Lemma 3 (proof)"
)
LEMMA3_CONSTANT = register(
    "lower_bound.lemma3_constant",
    lemma3_constant(),
    (),
    relation="equal",
    source="derived here: max of |g_+-'| on |x| <= 1/2",
)
LEMMA3_LIPSCHITZ_AS_STATED = register(
    "lower_bound.lemma3_lipschitz_as_stated",
    LEMMA3_CONSTANT_AS_STATED.expr * _s / S.tau,
    (S.tau, S.sigma, S.D),
    relation="upper",
    source="arXiv v1 Lemma 3",
)
LEMMA3_LIPSCHITZ = register(
    "lower_bound.lemma3_lipschitz",
    LEMMA3_CONSTANT.expr * _s / S.tau,
    (S.tau, S.sigma, S.D),
    relation="upper",
    source="derived here: the tight Lipschitz constant of xi+- in w on |w| <= tau/2",
)

LEMMA2_W_MAX = register("lower_bound.lemma2_w_max", S.tau / 2, (S.tau,), relation="upper", source="arXiv v1 Lemma 2")
# while |w| <= tau/2 the noise satisfies |xi| <= s sup_{|x| <= 1/2} g_+(x) (g_+ increases; g_-(x) = g_+(-x))
_XI_SUP = _s * _max_on_half_interval(_G_PLUS)
THEOREM8_LOWER = register(
    "lower_bound.theorem8_lower",
    S.w_star - _XI_SUP / S.L,
    (S.w_star, S.L, S.sigma, S.D),
    relation="lower",
    source="arXiv v1 Theorem 8 (42) on the instance: min{w_0, inf w*_xi}, w_0 = w*, |w| <= tau/2",
)
THEOREM8_UPPER = register(
    "lower_bound.theorem8_upper",
    S.w_star + _XI_SUP / S.L,
    (S.w_star, S.L, S.sigma, S.D),
    relation="upper",
    source="arXiv v1 Theorem 8 (42) on the instance: max{w_0, sup w*_xi}, w_0 = w*, |w| <= tau/2",
)


# ------------------------------------------------------------------------------------------------
# the construction
# ------------------------------------------------------------------------------------------------


def _inside_tau(name: str, value, tau: float) -> float:
    """``value`` as a float strictly inside (-tau, tau); the message names both (either may be the bad one)."""
    x = require_real(name, value)
    if not -tau < x < tau:
        raise ValueError(
            f"{name} must lie strictly inside (-tau, tau) = ({-tau:g}, {tau:g}), got {name}={x!r}, tau={tau!r}"
        )
    return x


def _value(formula, *args) -> float:
    return float(formula.numeric(*args))


#: the construction's parameters, in the order of its fields
_FIELDS = ("L", "w_star", "tau", "sigma", "D", "alpha")
#: the precision cap of :func:`stationary_point_exact`: the checks use 50 digits; 1000 take ~0.2 s
MAX_DPS = 1000
#: brentq's absolute tolerance: the smallest positive float, so that its relative tolerance (4 eps) decides even
#: for roots of tiny magnitude (w* = 1e-300 is a valid construction)
_XTOL = float(np.finfo(float).smallest_subnormal)
_EXAMPLE = "LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)"


def _outside(cons, what: str, reason) -> ValueError:
    """The error for a construction whose ``what`` cannot be evaluated in float64 (or at all): it names the
    construction's parameters of extreme magnitude (outside 1e-100 to 1e100), or all of them when none is."""
    fields = {name: getattr(cons, name) for name in _FIELDS}
    extreme = {k: v for k, v in fields.items() if v != 0 and not 1e-100 <= abs(v) <= 1e100} or fields
    shown = ", ".join(f"{k}={v!r}" for k, v in extreme.items())
    return ValueError(
        f"construction with {shown} is outside the range where {what} can be evaluated in float64 ({reason})"
    )


def _at(cons, what: str, formula, *args) -> float:
    """``formula`` at ``args`` (derived from ``cons``), or :func:`_outside`'s error if it leaves float64."""
    try:
        return float(formula.numeric(*args))
    except ValueError as err:
        raise _outside(cons, what, err) from None


@dataclass(frozen=True)
class LowerBoundConstruction:
    r"""The instance of Theorem 2 (arXiv v1 Theorem 3, App. G.2), validated on construction.

    ``f(W) = L/2 ||W - W*||^2`` on R^D, ``W* = w* 1``, ``W_0 = W*``, mu = L; Analog SGD with step alpha on an
    ALD with bound tau (w_sp = 0); noise ``eps_k = xi_k 1`` with the two-point law (66)-(67).
    The theorem's hypotheses are :attr:`conditions` (checked, not enforced): a run outside them is legal
    but not covered by the theorem.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> bool(cons.probability(0.0) == 0.5), cons.dim, cons.mu
    (True, 4, 1.0)
    """

    L: float
    """Smoothness and strong-convexity constant (mu = L). Must be > 0."""
    w_star: float
    """The common coordinate of W*. Must satisfy ``|w*| < tau`` (the law needs p in (0, 1) at W_0 = W*)."""
    tau: float
    """ALD bound. Must be > 0."""
    sigma: float
    """Noise level, E||eps||^2 = sigma^2. Must be > 0."""
    D: int
    """Number of weights. Must be >= 1."""
    alpha: float
    """Step size. Must be > 0."""

    def __post_init__(self):
        object.__setattr__(self, "L", require_real("L", self.L, low=0.0, low_open=True))
        tau = require_real("tau", self.tau, low=0.0, low_open=True)
        object.__setattr__(self, "tau", tau)
        object.__setattr__(self, "w_star", _inside_tau("w_star", self.w_star, tau))
        object.__setattr__(self, "sigma", require_real("sigma", self.sigma, low=0.0, low_open=True))
        object.__setattr__(self, "D", require_int("D", self.D, low=1))
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))
        self.conditions  # noqa: B018 (refuses, naming the parameters, a construction whose limits overflow)

    # ---- the objective and the device ---------------------------------------------------------
    @property
    def dim(self) -> int:
        """D, the number of weights."""
        return self.D

    @property
    def mu(self) -> float:
        """Strong-convexity constant: mu = L for f = L/2 ||W - W*||^2."""
        return self.L

    @property
    def noise_scale(self) -> float:
        """s = sigma/sqrt(D), the per-coordinate noise scale."""
        return self.sigma / math.sqrt(self.D)

    @property
    def device(self) -> AsymmetricLinearDevice:
        """The ALD holding W (w_sp = 0)."""
        return AsymmetricLinearDevice(self.tau)

    @property
    def W_star(self) -> np.ndarray:
        """W* = w* 1, shape (D,) (refused, before allocating, when D float64s exceed the memory limit)."""
        require_memory("D", 8 * self.D, f"W* = w* 1 with D = {self.D} entries")
        return np.full(self.D, self.w_star)

    @property
    def W0(self) -> np.ndarray:
        """W_0 = W*, shape (D,)."""
        return self.W_star

    def _weights(self, W) -> np.ndarray:
        W = require_array("W", W)
        if W.ndim == 0 or W.shape[-1] != self.D:
            raise ValueError(f"W must be an array whose last axis has length D = {self.D}, got shape {W.shape}")
        return W

    def _finite(self, what: str, out, **inputs):
        if not np.all(np.isfinite(out)):
            shown = ", ".join(f"{k}={v}" for k, v in inputs.items())
            raise ValueError(f"{what} overflows float64 at {shown}: its entries are too large for this construction")
        return out

    def objective(self, W) -> np.ndarray:
        """f(W) = L/2 ||W - W*||^2 over the last axis; ``W`` a finite array whose last axis has length D."""
        W = self._weights(W)
        with np.errstate(all="ignore"):
            out = 0.5 * self.L * np.sum(np.square(W - self.w_star), axis=-1)
        return self._finite("f(W)", out, W=f"max |W| = {np.max(np.abs(W)):g}", L=self.L)

    def gradient(self, W) -> np.ndarray:
        """grad f(W) = L (W - W*); ``W`` a finite array whose last axis has length D."""
        W = self._weights(W)
        with np.errstate(all="ignore"):
            out = self.L * (W - self.w_star)
        return self._finite("grad f(W)", out, W=f"max |W| = {np.max(np.abs(W)):g}", L=self.L)

    # ---- the noise law ----------------------------------------------------------------------------
    def _state(self, w) -> np.ndarray:
        w = require_array("w", w)
        if not np.all(np.abs(w) < self.tau):
            raise ValueError(f"w must lie strictly inside (-tau, tau) = ({-self.tau:g}, {self.tau:g}), got {w!r}")
        return w

    def probability(self, w) -> np.ndarray:
        """p = (1 - w/tau)/2, the probability of the up branch xi+ (eq. 67)."""
        return PROBABILITY.numeric(self._state(w), self.tau)

    def xi_plus(self, w) -> np.ndarray:
        """xi+ = (sigma/sqrt D) sqrt((1 - p)/p) (eq. 66)."""
        return XI_PLUS.numeric(self._state(w), self.tau, self.sigma, self.D)

    def xi_minus(self, w) -> np.ndarray:
        """xi- = -(sigma/sqrt D) sqrt(p/(1 - p)) (eq. 66)."""
        return XI_MINUS.numeric(self._state(w), self.tau, self.sigma, self.D)

    def next_weights(self, w) -> tuple[np.ndarray, np.ndarray]:
        """The two possible w_{k+1} from w_k = w: after xi+ (probability p) and after xi- (update (3)).

        ``w``: finite states strictly inside (-tau, tau), any shape."""
        w = self._state(w)
        device = self.device
        steps = []
        for xi in (self.xi_plus(w), self.xi_minus(w)):
            with np.errstate(all="ignore"):
                dw = -self.alpha * (self.L * (w - self.w_star) + xi)
            steps.append(self._finite("the requested update -alpha (g + xi)", dw, alpha=self.alpha, L=self.L))
        return tuple(self._finite("w_{k+1}", device.update(w, dw), alpha=self.alpha) for dw in steps)

    # ---- the hypotheses ---------------------------------------------------------------------------
    @property
    def step_size_limit(self) -> float:
        """min{1/(2L), 1/(mu + 6 sigma/(tau sqrt D))} with mu = L."""
        return _at(self, "the step-size limit", STEP_SIZE_LIMIT, self.L, self.mu, self.tau, self.sigma, self.D)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The theorem's checkable hypotheses, each with its two sides as numbers."""
        return (
            Condition(
                "alpha <= min{1/(2L), 1/(mu + 6 sigma/(tau sqrt D))}",
                self.alpha,
                "<=",
                self.step_size_limit,
                source=STEP_SIZE_LIMIT.source,
            ),
            Condition(
                "|w*| <= tau/4",
                abs(self.w_star),
                "<=",
                _at(self, "the limit on |w*|", W_STAR_LIMIT, self.tau),
                source=W_STAR_LIMIT.source,
            ),
            Condition(
                "sigma <= tau L sqrt(D)/(4 sqrt 3)",
                self.sigma,
                "<=",
                _at(self, "the limit on sigma", SIGMA_LIMIT, self.tau, self.L, self.D),
                source=SIGMA_LIMIT.source,
            ),
        )

    @property
    def failed(self) -> tuple[Condition, ...]:
        """The conditions that fail."""
        return tuple(cond for cond in self.conditions if not cond.holds)

    @property
    def applicable(self) -> bool:
        """Every condition holds."""
        return not self.failed


def _require_construction(construction) -> LowerBoundConstruction:
    return require_instance("construction", construction, LowerBoundConstruction, _EXAMPLE)


_ASSUMES = (
    "A1-A3 hold by construction (f is L-smooth; E eps = 0, E||eps||^2 = sigma^2, see noise_moments)",
    "A4 holds with W_max = tau/2 by Lemma 2 (lemma2_bound)",
)

# ------------------------------------------------------------------------------------------------
# the theorem: stated and derived values
# ------------------------------------------------------------------------------------------------


def theorem2_as_stated(construction: LowerBoundConstruction, S_K: float) -> Bound:
    """Theorem 2 as stated: ``(1/K) sum E||grad f(W_k)||^2 = 4 sigma^2 S_K + Theta(alpha)``.

    Setting: the instance of App. G.2 (:class:`LowerBoundConstruction`). Algorithm: Analog SGD (3).
    Claim: equal, arXiv v1 Theorem 3, eq. (10) (from (99)-(100)). The Theta(alpha) remainder has no
    stated constant and is not evaluable: the value is ``4 sigma^2 S_K``, the alpha -> 0 part. The
    derivation gives sigma^2 S_K instead (:func:`theorem2_derived`).

    Args:
        construction: the instance (its conditions become the Bound's).
        S_K: the run's amplification factor (bounds.saturation.amplification_sum), >= 0.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.5, D=16, alpha=0.01)
    >>> theorem2_as_stated(cons, S_K=0.0).value
    0.0
    """
    cons = _require_construction(construction)
    S_K = require_real("S_K", S_K, low=0.0)
    value = _value(THEOREM2_AS_STATED, cons.sigma, S_K)
    return Bound(
        "Theorem 2 (v1 Thm 3) as stated: 4 sigma^2 S_K + Theta(alpha)",
        "equal",
        value,
        cons.conditions,
        source=THEOREM2_AS_STATED.source,
        assumes=_ASSUMES + ("Theta(alpha) remainder: no constant stated, not evaluable",),
        terms={"asymptotic": value},
    )


def theorem2_derived(construction: LowerBoundConstruction, S_K: float) -> Bound:
    """Theorem 2 as derived here: ``(1/K) sum E||grad f(W_k)||^2 = sigma^2 S_K + O(alpha)``.

    Setting and algorithm as :func:`theorem2_as_stated`. Claim: equal, derived here from (95)-(100) with
    ``sqrt(p(1-p)) = sqrt(1 - w^2/tau^2)/2`` of (97) carried into (98) (the paper drops the 1/2). The
    remainder is ``c_1 alpha sigma^2 S + O(alpha^2)`` at stationarity (:func:`ratio_slope`).

    Args: as :func:`theorem2_as_stated`.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.5, D=16, alpha=0.01)
    >>> theorem2_derived(cons, S_K=1.0).value == cons.sigma ** 2
    True
    """
    cons = _require_construction(construction)
    S_K = require_real("S_K", S_K, low=0.0)
    value = _value(THEOREM2_DERIVED, cons.sigma, S_K)
    return Bound(
        "Theorem 2 (v1 Thm 3) derived: sigma^2 S_K + O(alpha)",
        "equal",
        value,
        cons.conditions,
        source=THEOREM2_DERIVED.source,
        assumes=_ASSUMES + ("O(alpha) remainder: see ratio_slope",),
        terms={"asymptotic": value},
    )


def stationary_point(construction: LowerBoundConstruction) -> float:
    """The fixed point w_bar of the mean dynamics ``E[w_{k+1}] - w_k = 0`` (float64, Brent's method).

    Setting: the instance; the mean drift is ``-alpha sqrt(1 - x^2) (L (w - w*) sqrt(1 - x^2) + s x)``
    (derived, on Lemma 4's region). Equal, derived here: the root is unique in (-tau, tau) and lies
    between 0 and w* (the residual is increasing there and has one sign outside). w_bar does not depend
    on alpha. It is found as ``w_bar = y w*`` with y in (0, 1) the root of the residual divided by L w*,
    ``(y - 1) sqrt(1 - (x* y)^2) + eta y`` (x* = w*/tau, eta = sigma/(sqrt(D) L tau)), which stays in
    float64's range at every scale of the parameters.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> w_bar = stationary_point(cons)
    >>> abs(float(FIXED_POINT_RESIDUAL.numeric(w_bar, 0.25, 1.0, 1.0, 0.25, 4))) < 1e-15
    True
    """
    cons = _require_construction(construction)
    if cons.w_star == 0.0:
        return 0.0
    what = "the fixed point"
    x_star = cons.w_star / cons.tau  # |x*| < 1; if it underflows, sqrt(1 - (x* y)^2) = 1 to float64 anyway
    with np.errstate(all="ignore"):
        eta = cons.sigma / cons.L / cons.tau / math.sqrt(cons.D)
    if not math.isfinite(eta):  # refused before scipy: the residual below would not be finite
        raise _outside(cons, what, f"eta = sigma/(sqrt(D) L tau) = {eta}")

    def residual(y):  # FIXED_POINT_RESIDUAL / (L w*) at w = y w*; -1 at y = 0, eta >= 0 at y = 1
        return (y - 1.0) * math.sqrt(1.0 - (x_star * y) ** 2) + eta * y

    try:
        y = scipy.optimize.brentq(residual, 0.0, 1.0, xtol=_XTOL, rtol=4 * np.finfo(float).eps, maxiter=500)
    except RuntimeError as err:  # no convergence in 500 iterations
        raise _outside(cons, what, err) from None
    w_bar = y * cons.w_star
    if w_bar != 0 and abs(w_bar) < np.finfo(float).tiny:
        raise _outside(cons, what, f"w_bar = {w_bar!r} is below float64's normal range")
    return w_bar


_QUARTIC = sp.Poly(sp.expand(S.tau**2 * ((FIXED_POINT_RESIDUAL.expr - _s * _x) ** 2 - (_s * _x) ** 2)), S.w)
_QUARTIC_COEFFS = sp.lambdify((S.w_star, S.L, S.tau, S.sigma, S.D), _QUARTIC.all_coeffs(), modules="mpmath")
#: the registered forms evaluated in mpmath at the 50-digit fixed point
_RATIO_SLOPE_MPMATH = sp.lambdify(RATIO_SLOPE.params, RATIO_SLOPE.expr, modules="mpmath")
#: the stationary values' forms in mpmath, by formula name
_MPMATH = {
    f.name: sp.lambdify(f.params, f.expr, modules="mpmath") for f in (STATIONARY_GRAD_SQ_AS_STATED, STATIONARY_GRAD_SQ)
}


def stationary_point_exact(construction: LowerBoundConstruction, dps: int = 50):
    """w_bar at ``dps`` digits (at most :data:`MAX_DPS`), as the root in [min(0, w*), max(0, w*)] of the quartic
    ``tau^2 [(L (w - w*) sqrt(1 - x^2))^2 - (s x)^2] = 0`` (the squared fixed-point equation; its other
    real roots lie outside that interval). An oracle independent of :func:`stationary_point`.

    The quartic is written in ``y = w/w*`` (so its root lies in (0, 1) at any scale of w* and tau) and solved
    by Newton's method safeguarded with bisection, in mpmath at ``dps + 10`` digits.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> abs(float(stationary_point_exact(cons)) - stationary_point(cons)) < 1e-16
    True
    """
    cons = _require_construction(construction)
    dps = require_int("dps", dps, low=15, high=MAX_DPS, reason="digits of precision; the checks use 50")
    if cons.w_star == 0.0:
        return mpmath.mpf(0)
    with mpmath.workdps(dps + 10):
        tau, w_star, L = (mpmath.mpf(v) for v in (cons.tau, cons.w_star, cons.L))
        # the quartic at tau = 1 in x = w/tau (the same roots in x), then in y = x/x* scaled to P(0) = 1
        x_star = w_star / tau
        a = _QUARTIC_COEFFS(x_star, L, mpmath.mpf(1), mpmath.mpf(cons.sigma) / tau, cons.D)  # highest power first
        n = len(a) - 1
        b = [a[i] * x_star ** (n - i) / a[n] for i in range(n + 1)]  # P(0) = 1 > 0 > P(1) = -(s x*/(L x*))^2
        eta = mpmath.mpf(cons.sigma) / (mpmath.sqrt(cons.D) * L * tau)
        y, low, high = 1 / (1 + eta), mpmath.mpf(0), mpmath.mpf(1)  # the root when sqrt(1 - x^2) = 1
        eps = mpmath.mpf(2) ** (-mpmath.mp.prec + 8)
        for _ in range(20 * mpmath.mp.prec):  # bisection alone needs prec steps per binade of y
            value, slope = mpmath.polyval(b, y, derivative=True)
            if value == 0:
                break
            low, high = (y, high) if value > 0 else (low, y)
            new = y - value / slope if slope != 0 else low
            if not low < new < high:
                new = (low + high) / 2
            done = abs(new - y) <= eps * abs(new)
            y = new
            if done:
                break
        else:
            raise _outside(cons, "the fixed-point quartic's root", "Newton's method did not converge")
    with mpmath.workdps(dps):
        return +(y * w_star)


def _stationary(cons: LowerBoundConstruction, what: str, formula) -> tuple[float, float]:
    """``(value, r)``: ``formula`` in (r, sigma) at r = w_bar^2/tau^2, both in mpmath from the 50-digit fixed point
    (in float64, 1 - r loses every digit when |w*| is within an ulp or so of tau), then rounded to float64."""
    with mpmath.workdps(60):
        r = (stationary_point_exact(cons, dps=50) / mpmath.mpf(cons.tau)) ** 2
        value = _MPMATH[formula.name](r, mpmath.mpf(cons.sigma))
    out = float(value) if isinstance(value, mpmath.mpf) else math.nan
    if not math.isfinite(out):
        raise _outside(cons, what, f"{formula.name} = {mpmath.nstr(value, 6)} at r = {mpmath.nstr(r, 6)}")
    return out, float(r)


def stationary_value_as_stated(construction: LowerBoundConstruction) -> Bound:
    """``||grad f(W_bar)||^2`` as (99)-(100) give it: ``4 sigma^2 r/(1 - r)``, r = w_bar^2/tau^2.

    Setting: the instance at the fixed point w_bar of the mean dynamics. Claim: equal up to O(alpha),
    arXiv v1 eqs. (99)-(101). (The derivation gives a quarter of it: :func:`stationary_value_derived`.)
    Evaluated in mpmath at :func:`stationary_point_exact` and rounded to float64 (a value beyond float64 is
    refused, naming the construction's parameters).

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> stationary_value_as_stated(cons).value == 4 * stationary_value_derived(cons).value
    True
    """
    cons = _require_construction(construction)
    value, r = _stationary(cons, "the stated stationary value", STATIONARY_GRAD_SQ_AS_STATED)
    return Bound(
        "||grad f(W_bar)||^2 as stated (99)-(100): 4 sigma^2 r/(1 - r)",
        "equal",
        value,
        cons.conditions,
        source=STATIONARY_GRAD_SQ_AS_STATED.source,
        assumes=_ASSUMES,
        terms={"r": r},
    )


def stationary_value_derived(construction: LowerBoundConstruction) -> Bound:
    """``||grad f(W_bar)||^2 = sigma^2 r/(1 - r)`` at the fixed point, r = w_bar^2/tau^2 (derived here).

    Setting as :func:`stationary_value_as_stated`. Claim: equal, derived here from the mean drift; it is
    the alpha -> 0 limit of the stationary E||grad f||^2 (the chain concentrates at w_bar). Evaluated as
    :func:`stationary_value_as_stated` is.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> w_bar = stationary_point(cons)
    >>> abs(stationary_value_derived(cons).value - float(cons.objective(np.full(4, w_bar))) * 2) < 1e-15
    True
    """
    cons = _require_construction(construction)
    value, r = _stationary(cons, "the derived stationary value", STATIONARY_GRAD_SQ)
    return Bound(
        "||grad f(W_bar)||^2 derived: sigma^2 r/(1 - r)",
        "equal",
        value,
        cons.conditions,
        source=STATIONARY_GRAD_SQ.source,
        assumes=_ASSUMES,
        terms={"r": r},
    )


def ratio_slope(construction: LowerBoundConstruction) -> float:
    """c_1 in ``E_pi||grad f||^2 / (sigma^2 E_pi[r/(1 - r)]) = 1 + c_1 alpha + O(alpha^2)``.

    Setting: the instance's stationary law pi (all coordinates equal, r = w^2/tau^2). Claim: equal,
    derived here (small-step expansion, :data:`RATIO_SLOPE`):
    ``c_1 = L (c^3 - eta (1 + 4 x^2))/(2 x^2 c^3)`` with x = w_bar/tau, c = sqrt(1 - x^2),
    eta = sigma/(sqrt(D) L tau). Needs w* != 0 (at w* = 0 both sides are O(alpha)). Evaluated in mpmath at
    :func:`stationary_point_exact` (in float64 the form cancels and underflows at extreme parameters) and
    rounded to float64; a value beyond float64 is refused, naming the construction's parameters.

    >>> cons = LowerBoundConstruction(L=2.0, w_star=0.2, tau=1.0, sigma=0.1, D=1, alpha=0.01)
    >>> x = stationary_point(cons); c = (1 - x * x) ** 0.5; eta = 0.1 / 2.0
    >>> abs(ratio_slope(cons) - 2.0 * (c**3 - eta * (1 + 4 * x * x)) / (2 * x * x * c**3)) < 1e-9
    True
    """
    cons = _require_construction(construction)
    if cons.w_star == 0.0:
        raise ValueError("w_star must be nonzero for the ratio: at w* = 0 the stationary value is 0 + O(alpha)")
    # the registered form in mpmath at the 50-digit fixed point: in float64 it cancels (c^3 against eta (1 + 4 x^2)
    # when eta is near 1 and x is small; 1 - x^2 when |w*| is near tau) and its tau^2 and w^2 underflow
    what = "the ratio slope c_1"
    with mpmath.workdps(60):
        w_bar = stationary_point_exact(cons, dps=50)
        try:
            exact = _RATIO_SLOPE_MPMATH(w_bar, *(mpmath.mpf(v) for v in (cons.L, cons.tau, cons.sigma)), cons.D)
        except ZeroDivisionError as err:
            raise _outside(cons, what, err) from None
    value = float(exact) if isinstance(exact, mpmath.mpf) else math.nan
    if not math.isfinite(value):
        raise _outside(cons, what, f"c_1 = {mpmath.nstr(exact, 6)} at w_bar = {mpmath.nstr(w_bar, 6)}")
    return value


def stationary_ratio_first_order(construction: LowerBoundConstruction) -> Bound:
    """``E_pi||grad f||^2 / (sigma^2 E_pi[S]) = 1 + c_1 alpha + O(alpha^2)`` (equal, derived here).

    Setting: the stationary law of the instance's run at step alpha (:func:`ratio_slope`). The paper's
    statement corresponds to the constant 4 (:data:`STATED_CONSTANT`) with a Theta(alpha) remainder.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> b = stationary_ratio_first_order(cons)
    >>> b.value == 1 + b.terms["slope"] * cons.alpha
    True
    """
    cons = _require_construction(construction)
    slope = ratio_slope(cons)
    value = float(DERIVED_CONSTANT) + slope * cons.alpha
    if not math.isfinite(value):
        raise _outside(cons, "1 + c_1 alpha", f"c_1 = {slope!r}, alpha = {cons.alpha!r}")
    return Bound(
        "stationary ratio E||grad f||^2/(sigma^2 E S), to first order in alpha",
        "equal",
        value,
        cons.conditions,
        source=RATIO_SLOPE.source,
        assumes=_ASSUMES + ("O(alpha^2) remainder",),
        terms={"slope": slope},
    )


# ------------------------------------------------------------------------------------------------
# the lemmas
# ------------------------------------------------------------------------------------------------


def lemma2_bound(construction: LowerBoundConstruction) -> Bound:
    """Lemma 2: ``||W_k||_inf <= W_max := tau/2`` for every k, so A4 holds.

    Setting: the instance. Claim: upper, arXiv v1 Lemma 2 (proof via Theorem 8). Derived here: while
    ``|w_k| <= tau/2``, ``|xi_k| <= sqrt(3) s`` and one step moves w toward w*_xi = w* - xi/L without
    overshoot (factor ``1 - alpha L (1 +- x)`` in [0, 1) for alpha <= 1/(2L)), so w_{k+1} stays in
    Theorem 8's interval ``[w* - sqrt(3) s/L, w* + sqrt(3) s/L]`` (:func:`theorem8_interval`), which lies in
    [-tau/2, tau/2] exactly when ``|w*| + sqrt(3) sigma/(L sqrt D) <= tau/2``: implied by the two w.l.o.g.
    conditions (with equality at both limits). Conditions: the construction's.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> lemma2_bound(cons).value == cons.tau / 2
    True
    """
    cons = _require_construction(construction)
    return Bound(
        "Lemma 2: ||W_k||_inf <= tau/2",
        "upper",
        _at(cons, "Lemma 2's bound", LEMMA2_W_MAX, cons.tau),
        cons.conditions,
        source=LEMMA2_W_MAX.source,
        assumes=("W_k = w_k 1 (shared noise, equal coordinates)",),
        trivial=cons.tau,
    )


def theorem8_interval(construction: LowerBoundConstruction) -> tuple[float, float]:
    """Theorem 8's interval for the instance: ``min{w_0, inf w*_xi} <= w_k <= max{w_0, sup w*_xi}``.

    Setting: the instance, w*_xi = w* - xi/L (eq. 68), w_0 = w*, xi ranging over its values on
    ``|w| <= tau/2`` (Lemma 2's induction hypothesis). Claim: lower and upper end, arXiv v1 Theorem 8 (42):
    ``(w* - sqrt(3) sigma/(L sqrt D), w* + sqrt(3) sigma/(L sqrt D))``; it needs alpha <= 1/(2L) (see
    :func:`theorem8_bound`, which carries the condition). Returns the two ends (they may be negative).

    >>> lo, hi = theorem8_interval(LowerBoundConstruction(L=1.0, w_star=0.0, tau=1.0, sigma=0.25, D=3, alpha=0.01))
    >>> abs(lo + hi) < 1e-15 and hi > 0
    True
    """
    cons = _require_construction(construction)
    args = (cons.w_star, cons.L, cons.sigma, cons.D)
    lower = _at(cons, "Theorem 8's interval", THEOREM8_LOWER, *args)
    upper = _at(cons, "Theorem 8's interval", THEOREM8_UPPER, *args)
    return lower, upper


def theorem8_bound(construction: LowerBoundConstruction) -> Bound:
    """``||W_k||_inf <= max(|lower|, |upper|)`` of :func:`theorem8_interval` (upper, arXiv v1 Theorem 8 on the
    instance), under alpha <= 1/(2L). Lemma 2 is this bound being at most tau/2.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> theorem8_bound(cons).value == max(abs(end) for end in theorem8_interval(cons))
    True
    """
    cons = _require_construction(construction)
    lower, upper = theorem8_interval(cons)
    half_step = Condition("alpha <= 1/(2L)", cons.alpha, "<=", 0.5 / cons.L, source="Theorems 6 and 8 hypothesis")
    return Bound(
        "Theorem 8 on the instance: ||W_k||_inf <= max |end|",
        "upper",
        max(abs(lower), abs(upper)),
        (half_step,),
        source=THEOREM8_UPPER.source,
        terms={"lower": lower, "upper": upper},
        trivial=cons.tau,
    )


def lemma3_bound_as_stated(construction: LowerBoundConstruction) -> Bound:
    """Lemma 3 as stated: ``|xi+-_{k+1} - xi+-_k| <= (3 sigma/(tau sqrt D)) |w_{k+1} - w_k|``.

    Setting: the instance, both states in ``|w| <= tau/2`` (Lemma 2). Claim: upper, arXiv v1 Lemma 3; the value
    is the Lipschitz constant. It holds, not tightly: :func:`lemma3_bound` has the exact constant.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> lemma3_bound_as_stated(cons).value == 3 * 0.25 / 2
    True
    """
    cons = _require_construction(construction)
    return Bound(
        "Lemma 3 as stated: Lipschitz constant 3 sigma/(tau sqrt D)",
        "upper",
        _at(cons, "Lemma 3's constant", LEMMA3_LIPSCHITZ_AS_STATED, cons.tau, cons.sigma, cons.D),
        cons.conditions,
        source=LEMMA3_LIPSCHITZ_AS_STATED.source,
        assumes=("|w_k|, |w_{k+1}| <= tau/2 (Lemma 2)",),
    )


def lemma3_bound(construction: LowerBoundConstruction) -> Bound:
    """Lemma 3, tight: ``|xi+-(w') - xi+-(w)| <= (4/sqrt(3)) (sigma/(tau sqrt D)) |w' - w|`` on ``|w|, |w'| <= tau/2``.

    Setting as :func:`lemma3_bound_as_stated`. Claim: upper, derived here (mean-value theorem with the exact
    ``max |g_+-'| = 4/sqrt(3)``, :func:`lemma3_constant`; attained as w, w' -> +-tau/2).

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> lemma3_bound(cons).value < lemma3_bound_as_stated(cons).value
    True
    """
    cons = _require_construction(construction)
    return Bound(
        "Lemma 3 derived: Lipschitz constant (4/sqrt 3) sigma/(tau sqrt D)",
        "upper",
        _at(cons, "Lemma 3's constant", LEMMA3_LIPSCHITZ, cons.tau, cons.sigma, cons.D),
        cons.conditions,
        source=LEMMA3_LIPSCHITZ.source,
        assumes=("|w_k|, |w_{k+1}| <= tau/2 (Lemma 2)",),
    )


def _law_inputs(g, w, tau, sigma, D):
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w = _inside_tau("w", w, tau)
    return (
        require_real("g", g),
        w,
        tau,
        require_real("sigma", sigma, low=0.0, low_open=True),
        require_int("D", D, low=1),
    )


def abs_moment(g: float, w: float, tau: float, sigma: float, D: int) -> float:
    """``E|g + xi|`` under the two-point law at state w, by exact summation (equal, derived here).

    Setting: one coordinate of the instance's noise (66)-(67), any real g.

    >>> abs_moment(0.0, 0.0, 1.0, 1.0, 1)     # p = 1/2, xi = +-1
    1.0
    """
    return _value(ABS_MOMENT, *_law_inputs(g, w, tau, sigma, D))


def lemma4_value(g: float, w: float, tau: float, sigma: float, D: int) -> Bound:
    """Lemma 4: ``E|g + xi| = (2 sigma/sqrt D) sqrt(p(1 - p)) + (2p - 1) g``, p = (1 - w/tau)/2.

    Setting: one coordinate of the instance's noise at state w, gradient coordinate g. Claim: equal,
    arXiv v1 Lemma 4, eq. (83), under ``-xi+ <= g <= -xi-`` (the conditions). Outside that region the
    formula is wrong (:func:`abs_moment` is the exact value).

    >>> b = lemma4_value(0.1, 0.2, 1.0, 0.5, 1)
    >>> b.applicable and abs(b.value - abs_moment(0.1, 0.2, 1.0, 0.5, 1)) < 1e-15
    True
    """
    args = _law_inputs(g, w, tau, sigma, D)
    g, w, tau, sigma, D = args
    conditions = (
        Condition("-xi+ <= g", -_value(XI_PLUS, w, tau, sigma, D), "<=", g, source="Lemma 4 (proof)"),
        Condition("g <= -xi-", g, "<=", -_value(XI_MINUS, w, tau, sigma, D), source="Lemma 4 (proof)"),
    )
    return Bound(
        "Lemma 4: E|g + xi| = 2 s sqrt(p(1-p)) + (2p - 1) g",
        "equal",
        _value(LEMMA4_ABS_MOMENT, *args),
        conditions,
        source=LEMMA4_ABS_MOMENT.source,
    )


def lemma4_interval(construction: LowerBoundConstruction) -> tuple[float, float]:
    """The states [a, b] on which Lemma 4's region ``-xi+(w) <= L (w - w*) <= -xi-(w)`` holds.

    Setting: the instance. Derived here: ``L (w - w*) + xi+(w)`` and ``L (w - w*) + xi-(w)`` increase in w,
    so the region is the interval between their roots; it contains W_0 = w* and the fixed point w_bar
    (where both margins equal ``s/sqrt(1 - x^2)``). Lemma 4's claim "under the step-size condition" is that
    the run never leaves it.

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
    >>> a, b = lemma4_interval(cons); bool(a < stationary_point(cons) < 0.25 < b)
    True
    """
    cons = _require_construction(construction)
    args = (cons.tau, cons.sigma, cons.D)
    what = "the margins of Lemma 4's region"

    def margin(xi):
        def at(w):
            value = cons.L * (w - cons.w_star) + _at(cons, what, xi, w, *args)  # Python floats: inf, no warning
            if not math.isfinite(value):
                raise _outside(cons, what, f"L (w - w*) + xi = {value} at w = {w!r}")
            return value

        return at

    tol = dict(xtol=_XTOL, rtol=4 * np.finfo(float).eps, maxiter=500)
    ends = []
    for xi, low, high in ((XI_PLUS, -cons.tau, cons.w_star), (XI_MINUS, cons.w_star, cons.tau)):
        f = margin(xi)
        if np.sign(f(low)) * np.sign(f(high)) > 0:  # refuses before scipy: the ends' signs are lost to rounding
            raise _outside(cons, what, f"no sign change of the margin on [{low!r}, {high!r}]")
        try:
            ends.append(scipy.optimize.brentq(f, low, high, **tol))
        except RuntimeError as err:  # no convergence in 500 iterations
            raise _outside(cons, what, err) from None
    return tuple(ends)


@functools.cache
def noise_moments() -> tuple[sp.Expr, sp.Expr]:
    """``(E[xi], E||eps||^2)`` of the two-point law by exact summation, simplified (C18).

    Setting: eqs. (66)-(67), ``eps = xi 1`` on D coordinates. Claim: equal, stated in App. G.2:
    ``E[eps] = 0`` and ``E||eps||^2 = sigma^2`` exactly, for every state (uses only p + q = 1).

    >>> noise_moments() == (0, S.sigma**2)
    True
    """
    mean = sp.simplify(S.p * _XI_PLUS_PQ + S.lb_q * _XI_MINUS_PQ)
    energy = sp.factor(sp.expand(S.D * (S.p * _XI_PLUS_PQ**2 + S.lb_q * _XI_MINUS_PQ**2)).subs(S.lb_q, 1 - S.p))
    return mean, energy


# ------------------------------------------------------------------------------------------------
# the proof (95) -> (101), step by step
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivationStep:
    """One printed step of the proof, checked exactly.

    ``follows``: the printed expression equals what the previous printed steps imply;
    ``correct``: it equals what the correct derivation (from the update rule) gives.

    >>> step = derivation_steps()[-1]                       # (100)
    >>> step.label, step.follows, step.correct, sp.factor(step.printed / step.derived)
    ('(100)', True, False, 4)
    """

    label: str
    """The equation, e.g. ``"(98)"``."""
    statement: str
    """What the step states, in words."""
    printed: sp.Expr
    """The step as printed (per coordinate, all coordinates equal)."""
    implied: sp.Expr
    """What the previous printed steps imply for the same quantity."""
    derived: sp.Expr
    """What the correct derivation gives."""
    follows: bool
    correct: bool

    def __post_init__(self):
        for name in ("label", "statement"):
            require_instance(name, getattr(self, name), str, '"(98)"')
        for name in ("printed", "implied", "derived"):
            require_instance(name, getattr(self, name), sp.Basic, "a sympy expression such as S.w / S.tau")
        for name in ("follows", "correct"):
            object.__setattr__(self, name, bool(require_instance(name, getattr(self, name), (bool, np.bool_), "True")))

    @property
    def discrepancy(self) -> sp.Expr:
        """printed - derived, simplified (0 when correct)."""
        return sp.factor(sp.simplify(self.printed - self.derived))


def _step(label, statement, printed, implied, derived) -> DerivationStep:
    return DerivationStep(
        label,
        statement,
        printed,
        implied,
        derived,
        follows=_identical(printed, implied),
        correct=_identical(printed, derived),
    )


@functools.cache
def derivation_steps() -> tuple[DerivationStep, ...]:
    """The proof of Theorem 2 (arXiv v1 (95)-(101)) re-derived step by step with sympy.

    Setting: one coordinate of the instance (W = w 1, grad f = g 1, g = L (w - w*)), on Lemma 4's region.
    Each :class:`DerivationStep` compares the printed expression with what the previous printed steps
    imply (``follows``) and with the correct derivation from the update rule (``correct``). Result:
    (95), (97), (101) are right; (98) does not follow from (95) and (97) (its noise term is doubled);
    (99) and (100) follow from (98) and inherit the factor 2 (4 after squaring).

    >>> [s.label for s in derivation_steps() if not s.follows]
    ['(98)']
    """
    p, q, g, w, alpha, L, tau = S.p, S.lb_q, S.g, S.w, S.alpha, S.L, S.tau
    drift_pq = sp.expand(alpha * (p * _STEP_PLUS_PQ + q * _STEP_MINUS_PQ))  # E w' - w, from the update rule
    # (83): Lemma 4 by exact summation on its region
    lemma4 = _step(
        "(83)",
        "Lemma 4: E|g + xi| = 2 s sqrt(p(1-p)) + (2p - 1) g on -xi+ <= g <= -xi-",
        _LEMMA4_PRINTED_PQ,
        _LEMMA4_SUM_PQ,
        _LEMMA4_SUM_PQ,
    )
    # (95): E[w' - w*] = (1 - alpha L)(w - w*) - (2 alpha s/tau) sqrt(p(1-p)) w - (alpha/tau)(2p - 1) g w
    printed95 = (
        (1 - alpha * L) * (w - S.w_star) - 2 * alpha * _s / tau * sp.sqrt(p * q) * w - alpha / tau * (p - q) * _g * w
    )
    from_rule = (w - S.w_star) + drift_pq
    brief_form = (w - S.w_star) - alpha * _g - alpha / tau * _LEMMA4_PRINTED_PQ.subs(g, _g) * w
    step95 = _step(
        "(95)",
        "E[W_{k+1} - W*] from (3) and Lemma 4",
        printed95.subs(q, 1 - p).subs(p, _p),
        brief_form.subs(q, 1 - p).subs(p, _p),
        from_rule.subs(q, 1 - p).subs(p, _p),
    )
    step97a = _step(
        "(97a)", "sqrt(p(1-p)) = sqrt(1 - w^2/tau^2)/2", _c / 2, sp.sqrt(_p * (1 - _p)), sp.sqrt(_p * (1 - _p))
    )
    step97b = _step("(97b)", "2p - 1 = -w/tau", -_x, 2 * _p - 1, 2 * _p - 1)
    # (98): E[grad f(W_{k+1})] = grad f - alpha L (1 - x^2) grad f - (2 alpha L sigma/(tau sqrt D)) sqrt(1 - x^2) W
    printed98 = _g + _GRADIENT_DRIFT_PRINTED.subs(g, _g)
    implied98 = L * (printed95.subs(sp.sqrt(p * q), _c / 2).subs({p: _p, q: 1 - _p}) - (w - S.w_star)) + _g
    step98 = _step("(98)", "E grad f(W_{k+1}) after substituting (97) into (95)", printed98, implied98, _g + L * _DRIFT)
    # (99): the fixed point of (98): grad f = -(2 sigma/sqrt(1 - x^2)) (w/tau)/sqrt(D)
    printed99 = -2 * S.sigma / _c * (w / tau) / sp.sqrt(S.D)
    step99 = _step("(99)", "grad f at the fixed point of (98)", printed99, _STATIONARY_G_PRINTED, _STATIONARY_G)
    # (101): ||W/(tau sqrt D)||^2 = ||W||_inf^2/tau^2 for W = w 1
    step101 = _step(
        "(101)", "||W/(tau sqrt D)||^2 = ||W||_inf^2/tau^2", S.D * (w / (tau * sp.sqrt(S.D))) ** 2, _x**2, _x**2
    )
    # (100): ||grad f||^2 = 4 sigma^2 r/(1 - r) + O(alpha), averaged into 4 sigma^2 S_K
    r = _x**2
    printed100 = 4 * S.sigma**2 * r / (1 - r)
    step100 = _step(
        "(100)",
        "||grad f(W_k)||^2 = 4 sigma^2 (r/(1 - r)) from (99) and (101)",
        printed100,
        sp.expand(S.D * printed99**2),
        sp.expand(S.D * _STATIONARY_G**2),
    )
    return (lemma4, step95, step97a, step97b, step98, step99, step101, step100)
