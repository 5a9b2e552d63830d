r"""Bounded saturation (A4) from strong convexity: arXiv v1 Theorems 5-8 (App. D.1), as evaluable Bounds.

Setting: Analog GD / Analog SGD on ALDs with bound tau and w_sp = 0,
``W_{k+1} = W_k - alpha g_k - (alpha/tau)|g_k| (.) W_k``, where g_k is the gradient of f (Analog GD)
or of a sampled f(.; xi_k) (Analog SGD under A7). Each function returns a :class:`Bound` on
``sup_k ||W_k||_inf`` (Theorems 5-7) or on ``|w_k|`` with the interval for w_k in ``terms`` (Theorem 8), with its
checkable conditions.

What the paper states:

* Thm 5 (Analog GD; A1, A6): ``||W_k||_inf <= (L/mu)||W_0 - W*|| + ||W*||_inf`` (28).
* Thm 6 (scalar Analog GD; A1, A6, alpha <= 1/(2L)): w_k moves monotonically from w_0 to w*, and
  ``|w_k| <= min{|w_0|, |w*|}``.
* Thm 7 (Analog SGD; A7, every f(.; xi) L-smooth and mu-strongly convex):
  ``||W_k||_inf <= (L/mu) sup_xi ||W_0 - W*_xi|| + sup_xi ||W*_xi||_inf`` (39).
* Thm 8 (scalar): ``min{w_0, inf_xi w*_xi} <= w_k <= max{w_0, sup_xi w*_xi}`` (42).

What the derivation gives (per coordinate the ALD scales the step by ``1 + sign(g) w/tau`` in
[0, 2] when ``|w| <= tau``; with ``g = h (w - w*)``, h in [mu, L], this gives
``w_{k+1} - w* = (1 - alpha h (1 + sign(g) w_k/tau))(w_k - w*)`` with a factor in [0, 1] for
alpha <= 1/(2L)):

* Thm 6: monotone from w_0 to w* indeed, hence ``|w_k| <= max{|w_0|, |w*|}``: the printed min
  fails already at k = 0 whenever ``|w*| < |w_0|``. The argument needs ``|w_0|, |w*| <= tau`` (the
  factor is negative outside the box); with ``|w*| > tau`` the iterates can overshoot and diverge.
* Thm 8: the same step, sample by sample, keeps w_k in the hull of w_0 and the w*_xi, provided the
  hull lies in [-tau, tau] and alpha <= 1/(2L).
* Thm 5: Analog GD with alpha <= 1/L descends, ``f(W_{k+1}) <= f(W_k) - (alpha/2)(1 - ||W_k||_inf^2/tau^2)
  ||grad f(W_k)||^2`` (see :mod:`bounds.analog_sgd`), as long as ``||W_k||_inf <= tau``. Then
  ``(mu/2)||W_k - W*||^2 <= f(W_k) - f* <= f(W_0) - f* <= (L/2)||W_0 - W*||^2``, so
  ``||W_k||_inf <= sqrt(L/mu)||W_0 - W*|| + ||W*||_inf``, by induction as long as this value is <= tau.
  Without such a condition the statement fails: at alpha = 1/L (Thm 9's rule) a scalar run
  leaves the box and diverges.

Inputs (issue 15): every parameter is validated by name; a value that leaves float64 at extreme
inputs (``||W_0 - W*||``, ``L/mu``) raises a ValueError naming them: every bound returned is finite.

>>> theorem6_bound_as_stated(w0=0.5, w_star=0.1, L=1.0, alpha=0.25).value    # but |w_0| = 0.5
0.1
>>> theorem6_bound_derived(w0=0.5, w_star=0.1, L=1.0, alpha=0.25, tau=1.0).value
0.5
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .formula import register
from .validation import require_array, require_finite_value, require_real

__all__ = [
    "theorem5_bound_as_stated",
    "theorem5_bound_derived",
    "theorem6_bound_as_stated",
    "theorem6_bound_derived",
    "theorem7_bound_as_stated",
    "theorem8_bound_as_stated",
    "theorem8_bound_derived",
    "THEOREM5_AS_STATED",
    "THEOREM5_DERIVED",
    "THEOREM6_AS_STATED",
    "THEOREM6_DERIVED",
    "THEOREM7_AS_STATED",
    "THEOREM8_LOWER",
    "THEOREM8_UPPER",
    "THEOREM8_ABS",
]

_MU_L = (S.mu <= S.L,)
_grid_L_mu = {S.L: (1e-2, 0.1, 1.0, 2.0, 10.0, 1e2), S.mu: (1e-3, 1e-2, 0.1, 0.5, 1.0)}

THEOREM5_AS_STATED = register(
    "bounded_saturation.theorem5_as_stated",
    S.L / S.mu * S.bs_R0 + S.bs_Ws_inf,
    (S.L, S.mu, S.bs_R0, S.bs_Ws_inf),
    relation="upper",
    source="arXiv v1 Theorem 5, eq. (28)",
    domain=_MU_L,
    values=_grid_L_mu,
)
THEOREM5_DERIVED = register(
    "bounded_saturation.theorem5_derived",
    sp.sqrt(S.L / S.mu) * S.bs_R0 + S.bs_Ws_inf,
    (S.L, S.mu, S.bs_R0, S.bs_Ws_inf),
    relation="upper",
    source="derived here: descent of Analog GD (alpha <= 1/L) + strong convexity, iterates in the box",
    domain=_MU_L,
    values=_grid_L_mu,
)
THEOREM6_AS_STATED = register(
    "bounded_saturation.theorem6_as_stated",
    sp.Min(sp.Abs(S.bs_w0), sp.Abs(S.w_star)),
    (S.bs_w0, S.w_star),
    relation="upper",
    source="arXiv v1 Theorem 6: |w_k| <= min{|w_0|, |w*|}",
)
THEOREM6_DERIVED = register(
    "bounded_saturation.theorem6_derived",
    sp.Max(sp.Abs(S.bs_w0), sp.Abs(S.w_star)),
    (S.bs_w0, S.w_star),
    relation="upper",
    source="derived here from Theorem 6's monotonicity: |w_k| <= max{|w_0|, |w*|}",
)
THEOREM7_AS_STATED = register(
    "bounded_saturation.theorem7_as_stated",
    S.L / S.mu * S.bs_R0 + S.bs_Ws_inf,
    (S.L, S.mu, S.bs_R0, S.bs_Ws_inf),
    relation="upper",
    source="arXiv v1 Theorem 7, eq. (39) (R_0, W_star_inf are sups over xi)",
    domain=_MU_L,
    values=_grid_L_mu,
)
THEOREM8_LOWER = register(
    "bounded_saturation.theorem8_lower",
    sp.Min(S.bs_w0, S.bs_ws_lo),
    (S.bs_w0, S.bs_ws_lo),
    relation="lower",
    source="arXiv v1 Theorem 8, eq. (42): w_k >= min{w_0, inf_xi w*_xi}",
)
THEOREM8_UPPER = register(
    "bounded_saturation.theorem8_upper",
    sp.Max(S.bs_w0, S.bs_ws_hi),
    (S.bs_w0, S.bs_ws_hi),
    relation="upper",
    source="arXiv v1 Theorem 8, eq. (42): w_k <= max{w_0, sup_xi w*_xi}",
)
THEOREM8_ABS = register(
    "bounded_saturation.theorem8_abs",
    sp.Max(sp.Abs(sp.Min(S.bs_w0, S.bs_ws_lo)), sp.Abs(sp.Max(S.bs_w0, S.bs_ws_hi))),
    (S.bs_w0, S.bs_ws_lo, S.bs_ws_hi),
    relation="upper",
    source="arXiv v1 Theorem 8, eq. (42), as a bound on |w_k|",
    domain=(S.bs_ws_lo <= S.bs_ws_hi,),
)

_ASSUMES_5 = ("A1: f is L-smooth", "A6: f is mu-strongly convex with minimiser W*", "Analog GD on ALDs, w_sp = 0")
_ASSUMES_7 = (
    "A7: eps = grad f(W; xi) - grad f(W)",
    "every f(.; xi) is L-smooth and mu-strongly convex with minimiser W*_xi",
    "Analog SGD on ALDs, w_sp = 0",
)


def _evaluate(formula, *args, names) -> float:
    """The float64 twin at ``args`` (validated already); a value beyond float64 (an overflow at
    extreme inputs) raises a ValueError naming the inputs by ``names``."""
    return formula.value(*args, inputs=dict(zip(names, args)))


def _norm2(v) -> float:
    """Euclidean norm without under- or overflow of the squares (math.hypot scales)."""
    return float(math.hypot(*np.ravel(v)))


def _distance(W0: np.ndarray, W_star: np.ndarray, star_name: str) -> float:
    """``||W0 - W_star||_2``, refused (naming W0 and ``star_name``) where it leaves float64."""
    with np.errstate(over="ignore"):
        difference = W0 - W_star
    return require_finite_value(f"||W0 - {star_name}||_2", _norm2(difference), W0=W0, **{star_name: W_star})


#: how the error messages name the inputs of Theorems 5 and 7's closed forms
_NAMES_5 = ("L", "mu", "||W0 - W_star||_2", "||W_star||_inf")
_NAMES_7 = ("L", "mu", "max_i ||W0 - W_star_samples[i]||_2", "max |W_star_samples|")


def _mu_le_L(mu: float, L: float) -> Condition:
    return Condition("mu <= L", mu, "<=", L, source="A1 and A6 together (a function with both needs mu <= L)")


def _positive(name, value):
    return require_real(name, value, low=0.0, low_open=True)


def _vector_inputs(W0, W_star):
    W0 = require_array("W0", W0, ndim=1)
    if W0.size < 1:
        raise ValueError("W0 must have at least one coordinate, got shape (0,)")
    W_star = require_array("W_star", W_star, ndim=1)
    if W_star.shape != W0.shape:
        raise ValueError(f"W_star must have the shape of W0, {W0.shape}, got shape {W_star.shape}")
    return W0, W_star


def theorem5_bound_as_stated(L: float, mu: float, W0, W_star) -> Bound:
    r"""Bounded saturation of Analog GD under strong convexity: arXiv v1 Theorem 5, eq. (28), as stated (C30).

    Setting: A1 (L-smooth), A6 (mu-strongly convex, minimiser W*), ALDs with w_sp = 0.
    Algorithm: Analog GD. Claim (upper, eq. (28)): ``sup_k ||W_k||_inf <= (L/mu)||W_0 - W*||_2 + ||W*||_inf``.
    The paper states no step-size or box condition; the only checkable one is ``mu <= L``. The
    claim fails without a condition (see :func:`theorem5_bound_derived` and the tests).

    Args: L > 0; mu > 0; W0, W_star: arrays of shape (D,).

    >>> theorem5_bound_as_stated(1.0, 1.0, [0.3, 0.0], [0.0, 0.4]).value     # 1 * 0.5 + 0.4
    0.9
    """
    L, mu = _positive("L", L), _positive("mu", mu)
    W0, W_star = _vector_inputs(W0, W_star)
    R0 = _distance(W0, W_star, "W_star")
    value = _evaluate(THEOREM5_AS_STATED, L, mu, R0, np.abs(W_star).max(), names=_NAMES_5)
    return Bound(
        "Theorem 5 (v1), eq. (28) as stated",
        "upper",
        value,
        (_mu_le_L(mu, L),),
        source=THEOREM5_AS_STATED.source,
        assumes=_ASSUMES_5,
    )


def theorem5_bound_derived(L: float, mu: float, W0, W_star, tau: float, alpha: float) -> Bound:
    r"""Bounded saturation of Analog GD under strong convexity, as derived here (Theorem 5 corrected).

    Setting: A1, A6 (read as ``f(W) - f* >= (mu/2)||W - W*||^2``), ALDs with bound tau, w_sp = 0.
    Algorithm: Analog GD with step alpha. Claim (upper, derived here from the descent inequality (57)
    and strong convexity)::

        sup_k ||W_k||_inf <= B := sqrt(L/mu) ||W_0 - W*||_2 + ||W*||_inf

    under ``alpha <= 1/L`` (descent) and ``B <= tau`` (keeps every iterate in the box, where (57)
    descends; induction on k). B is at most the paper's (28) since sqrt(L/mu) <= L/mu.

    Args: L > 0; mu > 0; W0, W_star: arrays of shape (D,); tau > 0; alpha > 0.

    >>> theorem5_bound_derived(4.0, 1.0, [0.3], [0.0], tau=1.0, alpha=0.25).value   # sqrt(4) * 0.3
    0.6
    """
    L, mu, tau, alpha = _positive("L", L), _positive("mu", mu), _positive("tau", tau), _positive("alpha", alpha)
    W0, W_star = _vector_inputs(W0, W_star)
    R0 = _distance(W0, W_star, "W_star")
    value = _evaluate(THEOREM5_DERIVED, L, mu, R0, np.abs(W_star).max(), names=_NAMES_5)
    conditions = (
        _mu_le_L(mu, L),
        Condition("alpha <= 1/L", alpha, "<=", 1.0 / L, source="derived: descent inequality (57)"),
        Condition(
            "sqrt(L/mu)||W_0 - W*|| + ||W*||_inf <= tau",
            value,
            "<=",
            tau,
            source="derived: keeps W_k in the box where (57) descends",
        ),
    )
    return Bound(
        "Theorem 5 (v1), derived",
        "upper",
        value,
        conditions,
        source=THEOREM5_DERIVED.source,
        assumes=_ASSUMES_5,
        trivial=tau,
    )


def _scalar_inputs(w0, w_star, L, alpha):
    return (require_real("w0", w0), require_real("w_star", w_star), _positive("L", L), _positive("alpha", alpha))


def _half_step(alpha: float, L: float) -> Condition:
    return Condition("alpha <= 1/(2L)", alpha, "<=", 0.5 / L, source="Theorem 6 statement")


def theorem6_bound_as_stated(w0: float, w_star: float, L: float, alpha: float) -> Bound:
    r"""Scalar Analog GD: arXiv v1 Theorem 6 as stated, ``|w_k| <= min{|w_0|, |w*|}`` (C31).

    Setting: D = 1, A1, A6, ALD with w_sp = 0. Algorithm: Analog GD. Claim (upper, Thm 6): w_k moves
    monotonically from w_0 to w* and ``|w_k| <= min{|w_0|, |w*|}`` for alpha <= 1/(2L). The min is
    wrong (k = 0 already has ``|w_0|``): see :func:`theorem6_bound_derived`.

    Args: w0, w_star real; L > 0; alpha > 0.

    >>> theorem6_bound_as_stated(-0.2, 0.5, L=1.0, alpha=0.5).value
    0.2
    """
    w0, w_star, L, alpha = _scalar_inputs(w0, w_star, L, alpha)
    value = _evaluate(THEOREM6_AS_STATED, w0, w_star, names=("w0", "w_star"))
    return Bound(
        "Theorem 6 (v1) as stated",
        "upper",
        value,
        (_half_step(alpha, L),),
        source=THEOREM6_AS_STATED.source,
        assumes=_ASSUMES_5,
    )


def theorem6_bound_derived(w0: float, w_star: float, L: float, alpha: float, tau: float) -> Bound:
    r"""Scalar Analog GD: the bound Theorem 6's monotonicity gives, ``|w_k| <= max{|w_0|, |w*|}``.

    Setting: D = 1, A1, A6, ALD with bound tau, w_sp = 0. Algorithm: Analog GD. Claim (upper, derived
    here): ``w_{k+1} - w* = (1 - alpha h_k (1 + sign(g_k) w_k/tau))(w_k - w*)`` with h_k in [mu, L], a
    factor in [0, 1] when alpha <= 1/(2L) and ``|w_k| <= tau``; so w_k stays between w_0 and w* and
    ``|w_k| <= max{|w_0|, |w*|}``. Conditions: alpha <= 1/(2L), ``|w_0| <= tau``, ``|w*| <= tau``.

    Args: w0, w_star real; L > 0; alpha > 0; tau > 0.

    >>> theorem6_bound_derived(-0.2, 0.5, L=1.0, alpha=0.5, tau=1.0).value
    0.5
    """
    w0, w_star, L, alpha = _scalar_inputs(w0, w_star, L, alpha)
    tau = _positive("tau", tau)
    value = _evaluate(THEOREM6_DERIVED, w0, w_star, names=("w0", "w_star"))
    conditions = (
        _half_step(alpha, L),
        Condition("|w_0| <= tau", abs(w0), "<=", tau, source="derived: response factor 1 +- w/tau >= 0"),
        Condition("|w*| <= tau", abs(w_star), "<=", tau, source="derived: iterates between w_0 and w* stay in the box"),
    )
    return Bound(
        "Theorem 6 (v1), derived",
        "upper",
        value,
        conditions,
        source=THEOREM6_DERIVED.source,
        assumes=_ASSUMES_5,
        trivial=tau,
    )


def _sample_minimisers(name: str, samples, dim: int | None = None) -> np.ndarray:
    arr = require_array(name, samples, ndim=2 if dim is not None else 1)
    if arr.shape[0] < 1 or (dim is not None and arr.shape[1] != dim):
        expected = f"(m, {dim}) with m >= 1 ({dim} = the length of W0)" if dim is not None else "(m,) with m >= 1"
        raise ValueError(f"{name} must have shape {expected}, got shape {arr.shape}")
    return arr


def theorem7_bound_as_stated(L: float, mu: float, W0, W_star_samples) -> Bound:
    r"""Bounded saturation of Analog SGD with per-sample strong convexity: arXiv v1 Theorem 7, eq. (39) (C32).

    Setting: A7, every f(.; xi) L-smooth and mu-strongly convex with minimiser W*_xi, ALDs with
    w_sp = 0. Algorithm: Analog SGD with samples xi_k. Claim (upper, eq. (39)):
    ``sup_k ||W_k||_inf <= (L/mu) sup_xi ||W_0 - W*_xi||_2 + sup_xi ||W*_xi||_inf``.
    The support of xi is given as the rows of ``W_star_samples``. Checkable condition: mu <= L. With
    a single sample this is Theorem 5 and fails the same way without a step/box condition.

    Args: L > 0; mu > 0; W0 shape (D,); W_star_samples shape (m, D), m >= 1.

    >>> theorem7_bound_as_stated(1.0, 1.0, [0.0], [[0.1], [-0.3]]).value      # 1 * 0.3 + 0.3
    0.6
    """
    L, mu = _positive("L", L), _positive("mu", mu)
    W0 = require_array("W0", W0, ndim=1)
    if W0.size < 1:
        raise ValueError("W0 must have at least one coordinate, got shape (0,)")
    samples = _sample_minimisers("W_star_samples", W_star_samples, W0.size)
    R0 = max(_distance(W0, row, "W_star_samples") for row in samples)
    value = _evaluate(THEOREM7_AS_STATED, L, mu, R0, np.abs(samples).max(), names=_NAMES_7)
    return Bound(
        "Theorem 7 (v1), eq. (39) as stated",
        "upper",
        value,
        (_mu_le_L(mu, L),),
        source=THEOREM7_AS_STATED.source,
        assumes=_ASSUMES_7,
    )


def _theorem8(w0, samples, conditions, suffix, assumes) -> Bound:
    low, high = float(samples.min()), float(samples.max())
    lo = _evaluate(THEOREM8_LOWER, w0, low, names=("w0", "min(w_star_samples)"))
    hi = _evaluate(THEOREM8_UPPER, w0, high, names=("w0", "max(w_star_samples)"))
    value = _evaluate(THEOREM8_ABS, w0, low, high, names=("w0", "min(w_star_samples)", "max(w_star_samples)"))
    return Bound(
        f"Theorem 8 (v1), {suffix}",
        "upper",
        value,
        conditions,
        source=THEOREM8_ABS.source,
        assumes=assumes,
        terms={"lower": lo, "upper": hi},
    )


def theorem8_bound_as_stated(w0: float, w_star_samples, L: float, alpha: float) -> Bound:
    r"""Scalar Analog SGD under A7: arXiv v1 Theorem 8, eq. (42), as stated (C33).

    Setting: D = 1, A7, every f(.; xi) L-smooth and mu-strongly convex with minimiser w*_xi; ALD,
    w_sp = 0. Algorithm: Analog SGD. Claim (eq. (42)): ``min{w_0, inf_xi w*_xi} <= w_k <= max{w_0,
    sup_xi w*_xi}``. Returned as an upper bound on ``|w_k|`` (the larger modulus of the two ends),
    with the interval itself in ``terms["lower"]`` and ``terms["upper"]`` (an interval end may be
    negative, which a :class:`Bound` of relation upper cannot hold). Condition: alpha <= 1/(2L)
    (Theorem 6's rule, which the proof applies sample by sample).

    Args: w0 real; w_star_samples: the support of w*_xi, shape (m,), m >= 1; L > 0; alpha > 0.

    >>> b = theorem8_bound_as_stated(0.2, [-0.1, 0.4], L=1.0, alpha=0.5)
    >>> b.terms["lower"], b.terms["upper"], b.value
    (-0.1, 0.4, 0.4)
    """
    w0, L, alpha = require_real("w0", w0), _positive("L", L), _positive("alpha", alpha)
    samples = _sample_minimisers("w_star_samples", w_star_samples)
    return _theorem8(w0, samples, (_half_step(alpha, L),), "as stated", _ASSUMES_7)


def theorem8_bound_derived(w0: float, w_star_samples, L: float, alpha: float, tau: float) -> Bound:
    r"""Scalar Analog SGD under A7: Theorem 8's interval with the conditions its proof needs.

    Setting as :func:`theorem8_bound_as_stated`, ALD bound tau. Claim (derived here): each step is a
    Theorem 6 step toward w*_{xi_k}, ``w_{k+1} - w*_xi = (1 - alpha h (1 + sign(g) w_k/tau))(w_k - w*_xi)``
    with a factor in [0, 1], so w_{k+1} lies between w_k and w*_xi, and by induction in the hull of
    w_0 and the w*_xi: the same interval (``terms``) and the same bound on ``|w_k|``. Conditions:
    alpha <= 1/(2L), and the hull in [-tau, tau] (``|w_0| <= tau`` and ``sup_xi |w*_xi| <= tau``); without
    the latter a run can overshoot and leave the interval.

    Args: as :func:`theorem8_bound_as_stated`, plus tau > 0.

    >>> derived = theorem8_bound_derived(0.2, [-0.1, 0.4], 1.0, 0.5, tau=1.0)
    >>> derived.value == theorem8_bound_as_stated(0.2, [-0.1, 0.4], 1.0, 0.5).value
    True
    """
    w0, L, alpha, tau = require_real("w0", w0), _positive("L", L), _positive("alpha", alpha), _positive("tau", tau)
    samples = _sample_minimisers("w_star_samples", w_star_samples)
    conditions = (
        _half_step(alpha, L),
        Condition("|w_0| <= tau", abs(w0), "<=", tau, source="derived: response factor 1 +- w/tau >= 0"),
        Condition(
            "sup_xi |w*_xi| <= tau",
            float(np.abs(samples).max()),
            "<=",
            tau,
            source="derived: the hull of w_0 and the w*_xi lies in the box",
        ),
    )
    return _theorem8(w0, samples, conditions, "derived", _ASSUMES_7)
