r"""Saturation: the amplification factor S_K of Theorem 1 and its bound (C10).

Setting: Analog SGD on an ALD with bound tau and w_sp = 0 (Theorem 1, arXiv v1 Theorem 2, eq. 9).
With ``r_k = ||W_k||_inf^2 / tau^2`` the paper defines, with K + 1 terms over K,

    S_K := (1/K) sum_{k=0}^{K} r_k / (1 - r_k),

and states (C10) ``S_K <= (W_max^2/tau^2) / (1 - W_max^2/tau^2)`` under A4 (``||W_k||_inf <= W_max
< tau``). Because of the K + 1 terms the tight bound is ``(K + 1)/K`` times that: a run that sits at
``||W_k||_inf = W_max`` for every k attains it, so C10 as printed fails by the factor (K + 1)/K.
The rate of Theorem 1 carries the amplification factor ``1/(1 - W_max^2/tau^2)``.

The closed forms depend on ``W_max/tau`` only, so they are evaluated at ``(W_max/tau, 1)``: any
finite ``W_max`` and ``tau`` give a finite value while A4 holds (no overflow in ``W_max^2``). Where
A4 fails the bounds are infinite and not applicable (their condition ``A4: W_max < tau`` fails);
:func:`saturation_term` and :func:`amplification_sum` take only values below tau (A4), since the
term r/(1 - r) is infinite from tau on.

>>> round(amplification_sum([0.5, 0.5, 0.5], tau=1.0), 12)    # K = 2: 3 terms of 1/3, over 2
0.5
>>> saturation_bound(0.5, 1.0).value, saturation_bound_attained(0.5, 1.0, K=2).value
(0.3333333333333333, 0.5)
"""

from __future__ import annotations

import numpy as np

from . import symbols as S
from .applicability import Bound, Condition
from .formula import register
from .validation import require_array, require_int, require_real

__all__ = [
    "saturation_term",
    "amplification_sum",
    "amplification_factor",
    "saturation_bound",
    "saturation_bound_attained",
    "SATURATION_TERM",
    "AMPLIFICATION_FACTOR",
    "SATURATION_BOUND",
    "SATURATION_BOUND_ATTAINED",
]

_ratio = S.W_max**2 / S.tau**2

SATURATION_TERM = register(
    "saturation.term",
    _ratio / (1 - _ratio),
    (S.W_max, S.tau),
    relation="definition",
    source="arXiv v1 Theorem 2 (S_K summand)",
    domain=(S.W_max < S.tau,),
)
AMPLIFICATION_FACTOR = register(
    "saturation.amplification_factor",
    1 / (1 - _ratio),
    (S.W_max, S.tau),
    relation="definition",
    source="arXiv v1 Theorem 2, eq. (9)",
    domain=(S.W_max < S.tau,),
)
SATURATION_BOUND = register(
    "saturation.bound_as_stated",
    _ratio / (1 - _ratio),
    (S.W_max, S.tau),
    relation="upper",
    source="arXiv v1 Theorem 2 (C10)",
    domain=(S.W_max < S.tau,),
)
SATURATION_BOUND_ATTAINED = register(
    "saturation.bound_attained",
    (S.K + 1) / S.K * _ratio / (1 - _ratio),
    (S.W_max, S.tau, S.K),
    relation="upper",
    source="derived here from the K+1-term definition of S_K",
    domain=(S.W_max < S.tau,),
)


def saturation_term(w_inf, tau: float) -> np.ndarray:
    """``r/(1 - r)`` with ``r = ||W||_inf^2/tau^2``, vectorised over ``w_inf`` in ``[0, tau)`` (A4).

    The term is infinite from ``||W||_inf = tau`` on, so such a value is refused (a ValueError
    naming ``w_inf``) rather than returned as inf.

    >>> saturation_term([0.0, 0.6, 0.75], tau=1.0).tolist()
    [0.0, 0.5625, 1.2857142857142858]
    """
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w_inf = require_array("w_inf", w_inf, low=0.0)
    if w_inf.size and not (w_inf < tau).all():
        raise ValueError(
            f"w_inf must have every entry < tau = {tau!r} (A4: the term r/(1 - r) is infinite from tau on), "
            f"got {float(w_inf[w_inf >= tau].flat[0])!r}"
        )
    with np.errstate(under="ignore"):  # (w_inf/tau)^2 below the normal range is 0 to within rounding
        r = np.square(w_inf / tau)
    return r / (1.0 - r)


def amplification_sum(w_inf, tau: float) -> float:
    """S_K from the sequence ``||W_0||_inf, ..., ||W_K||_inf`` (K + 1 values, K >= 1), over K.

    Identity: a sequence that stays at 0 gives S_K = 0.

    >>> amplification_sum(np.zeros(11), tau=2.0)
    0.0

    Every value must be below tau (A4), see :func:`saturation_term`.
    """
    terms = saturation_term(w_inf, tau)
    if terms.ndim != 1 or terms.size < 2:
        raise ValueError(f"w_inf must be a sequence ||W_0||_inf .. ||W_K||_inf with K >= 1, got shape {terms.shape}")
    return float(terms.sum() / (terms.size - 1))


def _a4(W_max: float, tau: float) -> Condition:
    return Condition("A4: W_max < tau", W_max, "<", tau, source="Assumption 4")


def _at_ratio(formula, W_max: float, tau: float, *rest) -> float:
    """A closed form in ``W_max/tau`` only, at ``(W_max/tau, 1)``: finite while ``W_max < tau``; inf otherwise."""
    if not W_max < tau:
        return np.inf
    with np.errstate(under="ignore"):
        return float(formula.numeric(W_max / tau, 1.0, *rest))


def amplification_factor(W_max: float, tau: float) -> Bound:
    """The rate's amplification ``1/(1 - W_max^2/tau^2)`` (Theorem 1), >= 1 when A4 holds.

    >>> amplification_factor(0.5, 1.0).value
    1.3333333333333333
    """
    W_max = require_real("W_max", W_max, low=0.0)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    value = _at_ratio(AMPLIFICATION_FACTOR, W_max, tau)
    return Bound(
        "amplification factor 1/(1 - W_max^2/tau^2)",
        "equal",
        value,
        (_a4(W_max, tau),),
        source=AMPLIFICATION_FACTOR.source,
    )


def saturation_bound(W_max: float, tau: float) -> Bound:
    """C10 as stated: ``S_K <= (W_max^2/tau^2)/(1 - W_max^2/tau^2)`` under A4 (arXiv v1 Theorem 2).

    Upper bound; the paper's normalisation (K + 1 terms over K) makes it fail by (K + 1)/K for a
    run at W_max throughout: see :func:`saturation_bound_attained`.
    """
    W_max = require_real("W_max", W_max, low=0.0)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    value = _at_ratio(SATURATION_BOUND, W_max, tau)
    return Bound("S_K bound as stated (C10)", "upper", value, (_a4(W_max, tau),), source=SATURATION_BOUND.source)


def saturation_bound_attained(W_max: float, tau: float, K: int) -> Bound:
    """The tight bound ``S_K <= (K + 1)/K * (W_max^2/tau^2)/(1 - W_max^2/tau^2)`` under A4.

    Derived here: each of the K + 1 terms is at most the term at W_max, and a run with
    ``||W_k||_inf = W_max`` for all k attains it.

    >>> b = saturation_bound_attained(0.5, 1.0, K=4)
    >>> abs(b.value - amplification_sum([0.5] * 5, tau=1.0)) < 1e-15
    True
    """
    W_max = require_real("W_max", W_max, low=0.0)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    K = require_int("K", K, low=1)
    value = _at_ratio(SATURATION_BOUND_ATTAINED, W_max, tau, K)
    return Bound(
        "S_K bound with the K+1-term normalisation",
        "upper",
        value,
        (_a4(W_max, tau),),
        source=SATURATION_BOUND_ATTAINED.source,
    )
