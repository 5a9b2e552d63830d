r"""Tiki-Taka near a critical point: the fixed point of its mean dynamics and the order of its floor.

Setting: one coordinate; W and P on asymmetric linear devices with bound tau (W's symmetric point
w_sp, P's 0); f = L/2 (W - W*)^2 so g = L (W - W*); eps zero mean with ``m = E|eps|`` and
``s^2 = E[eps^2]``. The update rules are :mod:`bounds.drift`'s (reused, not retyped):
``P' = U_P(P, beta (g + eps))`` (TT-P), then ``W' = U(W, -alpha P')`` (TT-W).

Results, all derived symbolically below from those update rules:

1. *Mean map at a critical point.* At g = 0, P = 0: ``E[P'] = 0`` but
   ``E[W'] - W = -(alpha beta/tau) m (W* - w_sp)`` (eq. (12)), so (W*, 0) is a fixed point of the
   joint mean dynamics only when W* = w_sp (or m = 0): a drift O(alpha beta E|eps|).
2. *P is not 0 at stationarity.* At g = 0, ``P' = (1 - beta|eps|/tau) P + beta eps`` exactly. Its
   stationary mean is 0 and (Lyapunov, exact for every zero-mean law, the cross term vanishing since
   E[P] = 0)::

       E[P^2] = beta tau^2 s^2 / (2 m tau - beta s^2)  ~  beta tau s^2 / (2 m)     (beta -> 0)

   so ``E|P| ~ sqrt(2 E[P^2]/pi) = s sqrt(beta tau/(pi m))`` (P is a sum of ~tau/(beta m) small
   independent kicks: Gaussian as beta -> 0).
3. *The true W-drift* at stationary P is ``-(alpha/tau) E|P'| (W - w_sp) = O(alpha sqrt(beta))``, not
   the O(alpha beta) of (12) at P = 0: larger by ``~ s sqrt(tau/(pi m beta)) / m``.
4. *The floor.* Averaging W's drift over P's stationary law (P tracks ``tau g/m`` with E|P'| = p_abs)
   gives the fixed point ``W_inf - W* = -b (W* - w_sp)/(1 + b)`` with ``b = m p_abs/(tau^2 L)``:
   ``||grad f(W_inf)||^2 = L^2 b^2 (W* - w_sp)^2/(1 + b)^2 ~ beta m s^2 (W* - w_sp)^2/(pi tau^3)``
   (order beta, independent of L and alpha), plus W's own fluctuation, whose linearised
   variance gives ``E||grad f||^2`` an extra ``alpha tau L s^2/(2 m)`` (order alpha, independent of beta;
   valid for time-scale separation, t_p = tau/(beta m) << t_w = m/(alpha tau L)).
   The floor is O(beta) + O(alpha): it vanishes as alpha, beta -> 0 at those orders.
   Two corrections change the constants, not the orders (:func:`tiki_taka_floor` applies both):
   E|P'| is the folded-normal mean of N(P_bar, V), and P_bar^2/V -> 2 (W* - w_sp)^2/(pi tau^2) does
   not vanish with beta; and when t_p is not << t_w, P's fluctuation (an OU process) drives W with
   the factor t_w/(t_w + t_p) on the variance term.

:func:`verify.claims.checks.tiki_taka.time_scales` computes the same ``p_abs`` and ``b`` from the leading
order; this module is meant as their one home (it derives them and has the exact E[P^2]).

Inputs (issue 15): ``law`` of the wrong type is a TypeError naming it; a value that leaves float64
at extreme inputs raises a ValueError naming them. :func:`stationary_p_second_moment` is infinite
(documented) exactly where its condition fails: the recursion has no stationary second moment.

>>> from bounds.noise_laws import RademacherLaw
>>> round(stationary_p_second_moment(RademacherLaw(1.0), beta=0.1, tau=1.0).value, 6)   # 0.1/(2 - 0.1)
0.052632
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .drift import structured, tiki_taka_p_step_expression, tiki_taka_w_step_expression
from .formula import register
from .noise_laws import CoordinateLaw, GaussianLaw, RademacherLaw, ZeroMeanLaw, expectation
from .validation import require_finite_value, require_instance, require_real

__all__ = [
    "critical_point_mean_map",
    "derive_p_second_moment",
    "derive_floor",
    "FORMULAS_TT_ASYMPTOTIC",
    "stationary_p_second_moment",
    "stationary_w_drift",
    "tiki_taka_floor",
    "P_sq",
    "p_abs",
    "b",
]

P_sq = sp.Symbol("P_sq_stat", nonnegative=True)  #: stationary E[P^2]
p_abs = sp.Symbol("p_abs", positive=True)  #: stationary E|P'|
b = sp.Symbol("b_tt", positive=True)  #: floor bias ratio m p_abs/(tau^2 L)


def critical_point_mean_map() -> dict:
    r"""The mean map of (W, P) at g = 0, P = 0, from :func:`bounds.drift.structured` (h(0) = m_abs).

    Returns ``{"p_mean": E[P'], "w_drift": E[W'] - W, "fixed_point_condition": w_drift == 0}``.

    >>> mm = critical_point_mean_map()
    >>> mm["p_mean"], sp.factor(mm["w_drift"])
    (0, -alpha*beta*m_abs*(w - w_sp)/tau)
    >>> sp.solve(mm["fixed_point_condition"], S.w)      # (W*, 0) is fixed only at W* = w_sp
    [w_sp]
    """
    at = {S.g: 0, S.h_abs: S.m_abs}
    p_mean = structured("tiki_taka_p_mean").subs(at).subs(S.P, 0)
    w_drift = structured("tiki_taka").subs(at)
    return {"p_mean": sp.simplify(p_mean), "w_drift": w_drift, "fixed_point_condition": sp.Eq(w_drift, 0)}


@functools.cache
def derive_p_second_moment() -> sp.Expr:
    r"""Stationary E[P^2] at g = 0 for any zero-mean law (m_abs = E|eps|, s^2 = E[eps^2]), exact.

    Squares (TT-P) at g = 0, takes E over eps (independent of P) with E[P] = 0 (the stationary
    mean: E[P'] = (1 - beta m/tau) E[P]), then solves E[P'^2] = E[P^2].

    >>> derive_p_second_moment()
    -beta*s**2*tau**2/(beta*s**2 - 2*m_abs*tau)
    """
    step = tiki_taka_p_step_expression().subs(S.g, 0)
    sq = sp.expand(step**2)
    # terms in P^1 carry E[P] = 0 (independent of eps), whatever their eps-factor (eps|eps| included)
    sq = sq.subs(S.P**2, P_sq)
    sq = sp.expand(sq.subs(S.P, 0))
    mean = expectation(sq, S.eps, ZeroMeanLaw()).subs(S.E_abs(0), S.m_abs)
    (solution,) = sp.solve(sp.Eq(mean, P_sq), P_sq)
    return sp.factor(solution)


@functools.cache
def derive_floor() -> dict:
    r"""The W fixed point of the P-averaged mean dynamics, in ``p_abs = E|P'|``, and the floor.

    P's stationary mean given g solves E[P'] = P (from :func:`bounds.drift.structured`, h -> m):
    ``P_bar = tau g/m``. (TT-W) averaged with E[P'] = P_bar and E|P'| = p_abs gives the W drift;
    its root with g = L (W - W*) is W_inf.

    >>> fl = derive_floor()
    >>> fl["p_bar"]
    g*tau/m_abs
    >>> sp.factor(fl["w_inf"] - S.w_star)
    m_abs*p_abs*(w_sp - w_star)/(L*tau**2 + m_abs*p_abs)
    """
    p_bar = sp.solve(sp.Eq(structured("tiki_taka_p_mean").subs(S.h_abs, S.m_abs), S.P), S.P)[0]
    pn = sp.Symbol("p_next", real=True)
    drift = sp.expand(tiki_taka_w_step_expression(pn) - S.w).subs(sp.Abs(pn), p_abs)
    drift = drift.subs(pn, p_bar).subs(S.g, S.L * (S.w - S.w_star))
    (w_inf,) = sp.solve(sp.Eq(drift, 0), S.w)
    grad = sp.factor(S.L * (w_inf - S.w_star))
    return {"p_bar": p_bar, "w_drift": drift, "w_inf": w_inf, "grad": grad, "grad_sq": sp.factor(grad**2)}


def _leading_p_abs() -> sp.Expr:
    """sqrt(2/pi) sqrt(leading E[P^2]): the Gaussian limit of E|P| as beta -> 0."""
    leading = sp.limit(derive_p_second_moment() / S.beta, S.beta, 0) * S.beta
    return sp.sqrt(2 / sp.pi) * sp.sqrt(leading)


_P_DOMAIN = (S.beta * S.s**2 < 2 * S.m_abs * S.tau,)
#: grid: m_abs = E|eps| > 0 (it divides), and W* never equal to w_sp (their difference is the whole bias)
_M = (S.m_abs > 0,)
_V = {S.w_star: (-2.0, -0.3, 0.7, 2.0), S.w_sp: (-0.5, 0.0, 0.5), S.w: (-0.9, -0.2, 0.3, 0.8)}


def _register() -> dict:
    exact = derive_p_second_moment()
    leading = sp.limit(exact / S.beta, S.beta, 0) * S.beta
    pa = _leading_p_abs()
    floor = derive_floor()
    b_expr = S.m_abs * p_abs / (S.tau**2 * S.L)
    grad_sq_b = S.L**2 * b**2 * (S.w_star - S.w_sp) ** 2 / (1 + b) ** 2
    assert sp.simplify(floor["grad_sq"] - grad_sq_b.subs(b, b_expr)) == 0
    bias_leading = sp.limit(grad_sq_b.subs(b, b_expr.subs(p_abs, pa)) / S.beta, S.beta, 0) * S.beta
    src = "derived here"
    out = {
        "p_second_moment": register(
            "tt_asym.p_second_moment",
            exact,
            (S.beta, S.tau, S.m_abs, S.s),
            relation="equal",
            source=src + ": exact Lyapunov at g = 0",
            domain=_P_DOMAIN,
        ),
        "p_second_moment_leading": register(
            "tt_asym.p_second_moment_leading",
            leading,
            (S.beta, S.tau, S.m_abs, S.s),
            relation="equal",
            source=src + ": leading order as beta -> 0",
            domain=_M,
        ),
        "p_abs_leading": register(
            "tt_asym.p_abs_leading",
            pa,
            (S.beta, S.tau, S.m_abs, S.s),
            relation="equal",
            source=src + ": Gaussian limit sqrt(2 E[P^2]/pi)",
            domain=_M,
        ),
        "w_drift_stationary": register(
            "tt_asym.w_drift_stationary",
            -(S.alpha / S.tau) * pa * (S.w - S.w_sp),
            (S.alpha, S.beta, S.tau, S.m_abs, S.s, S.w, S.w_sp),
            relation="equal",
            source=src + ": E[W'] - W at g = 0, stationary P, leading order",
            domain=_M,
            values=_V,
        ),
        "bias_ratio": register(
            "tt_asym.bias_ratio", b_expr, (S.m_abs, p_abs, S.tau, S.L), relation="definition", source=src
        ),
        "grad_sq_bias": register(
            "tt_asym.grad_sq_bias",
            grad_sq_b,
            (S.L, b, S.w_star, S.w_sp),
            relation="equal",
            source=src + ": ||grad f(W_inf)||^2 of the P-averaged mean dynamics",
            values=_V,
        ),
        "grad_sq_bias_leading": register(
            "tt_asym.grad_sq_bias_leading",
            bias_leading,
            (S.beta, S.m_abs, S.s, S.tau, S.w_star, S.w_sp),
            relation="equal",
            source=src + ": leading order in beta",
            values=_V,
        ),
        "grad_sq_variance": register(
            "tt_asym.grad_sq_variance",
            S.alpha * S.tau * S.L * S.s**2 / (2 * S.m_abs),
            (S.alpha, S.tau, S.L, S.s, S.m_abs),
            relation="equal",
            source=src + ": L^2 Var(W), linearised, t_p << t_w, leading order in alpha",
            domain=_M,
        ),
        "grad_sq_variance_ou": register(
            "tt_asym.grad_sq_variance_ou",
            S.alpha
            * S.tau
            * S.L
            * S.s**2
            / (2 * S.m_abs)
            * (S.beta * S.m_abs / S.tau)
            / (S.beta * S.m_abs / S.tau + S.alpha * S.tau * S.L / S.m_abs),
            (S.alpha, S.beta, S.tau, S.L, S.s, S.m_abs),
            relation="equal",
            source=src + ": L^2 Var(W) with P's fluctuation an OU process of rate beta m/tau driving W, "
            "whose rate is alpha tau L/m (factor t_w/(t_w + t_p))",
            domain=_M,
        ),
    }
    for law in (GaussianLaw.symbolic(), RademacherLaw.symbolic()):
        expr = sp.simplify(exact.subs(S.m_abs, law.mean_abs_expression()))
        out[f"p_second_moment.{law.kind}"] = register(
            f"tt_asym.p_second_moment.{law.kind}",
            expr,
            (S.beta, S.tau, S.s),
            relation="equal",
            source=src + f": exact Lyapunov at g = 0, {law.kind} noise",
            domain=(S.beta * S.s**2 < 2 * law.mean_abs_expression() * S.tau,),
        )
    return out


#: name -> registered Formula
FORMULAS_TT_ASYMPTOTIC = _register()


def _law(law) -> CoordinateLaw:
    require_instance("law", law, CoordinateLaw, "bounds.noise_laws.GaussianLaw(1.0)")
    if isinstance(law, ZeroMeanLaw) or law.is_symbolic:
        raise ValueError(f"law must be a numeric bounds.noise_laws.CoordinateLaw (e.g. GaussianLaw(1.0)), got {law!r}")
    return law


def _moments(law):
    """(E|eps|, E[eps^2]) of a numeric law (a law whose moments leave float64 is refused by
    :mod:`bounds.noise_laws`, naming its parameter)."""
    return float(law.mean_abs()), float(law.second_moment())


def _num(name: str, *args, inputs: dict) -> float:
    """The registered formula ``name`` in float64 at ``args`` (validated already); a value beyond
    float64 (an overflow at extreme inputs) raises a ValueError naming ``inputs`` (public name -> value)."""
    formula = FORMULAS_TT_ASYMPTOTIC[name]
    return formula.value(*args, inputs=inputs)


def _law_inputs(m: float, s2: float) -> dict:
    """How error messages show the law's moments (they enter every formula)."""
    return {"the law's E|eps|": m, "the law's E[eps^2]": s2}


def stationary_p_second_moment(law: CoordinateLaw, *, beta: float, tau: float) -> Bound:
    r"""Stationary E[P^2] of Tiki-Taka's P at a critical point: ``beta tau^2 s^2/(2 m tau - beta s^2)``.

    Setting: (TT-P) on an ALD with bound tau, g = 0, eps ~ ``law`` (m = E|eps|, s^2 = E[eps^2]).
    Claim: equal (exact for the unclipped recursion), derived here. ``terms`` holds the leading
    order ``beta tau s^2/(2m)`` and ``p_abs`` ~ sqrt(2 E[P^2]/pi) (beta -> 0).

    >>> from bounds.noise_laws import GaussianLaw
    >>> r = stationary_p_second_moment(GaussianLaw(1.0), beta=0.01, tau=1.0)
    >>> abs(r.value / r.terms["leading"] - 1) < 0.01
    True
    """
    law = _law(law)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    m, s2 = _moments(law)
    s = math.sqrt(s2)
    inputs = {"beta": beta, "tau": tau, **_law_inputs(m, s2)}
    lhs = require_finite_value("beta E[eps^2]", beta * s2, **inputs)
    rhs = require_finite_value("2 tau E|eps|", 2 * tau * m, **inputs)
    cond = Condition(
        "beta E[eps^2] < 2 tau E|eps| (the recursion's second moment contracts)",
        lhs,
        "<",
        rhs,
        source="derived here",
    )
    value = _num("p_second_moment", beta, tau, m, s, inputs=inputs) if cond.holds else math.inf
    return Bound(
        "stationary E[P^2] of Tiki-Taka at a critical point",
        "equal",
        value,
        (cond,),
        source=FORMULAS_TT_ASYMPTOTIC["p_second_moment"].name,
        assumes=(f"eps has the law {law!r}", "grad f = 0"),
        terms={
            "leading": _num("p_second_moment_leading", beta, tau, m, s, inputs=inputs),
            "p_abs": _num("p_abs_leading", beta, tau, m, s, inputs=inputs),
        },
    )


def stationary_w_drift(
    law: CoordinateLaw, w: float, *, alpha: float, beta: float, tau: float, w_sp: float = 0.0
) -> Bound:
    r"""E[W'] - W at a critical point with P at stationarity: ``-(alpha/tau) E|P'| (w - w_sp)``, O(alpha sqrt(beta)).

    Equal to leading order in beta (E|P'| -> sqrt(2 E[P^2]/pi)). ``terms["at_P0"]`` is eq. (12)'s
    ``-(alpha beta/tau) m (w - w_sp)``, for comparison.
    """
    law = _law(law)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w, w_sp = require_real("w", w), require_real("w_sp", w_sp)
    m, s2 = _moments(law)
    inputs = {"alpha": alpha, "beta": beta, "tau": tau, "w": w, "w_sp": w_sp, **_law_inputs(m, s2)}
    value = _num("w_drift_stationary", alpha, beta, tau, m, math.sqrt(s2), w, w_sp, inputs=inputs)
    at_p0 = -(mpmath.mpf(alpha) * beta / tau) * m * (mpmath.mpf(w) - w_sp)  # no overflow before the product
    return Bound(
        "Tiki-Taka W drift at stationary P (g = 0)",
        "equal",
        value,
        (),
        source=FORMULAS_TT_ASYMPTOTIC["w_drift_stationary"].name,
        terms={"at_P0": require_finite_value("the drift (12) at P = 0", float(at_p0), **inputs)},
    )


def _self_consistent_gradient(L, w_star, w_sp, tau, m, V, inputs: dict) -> float:
    """g = L (W_inf - W*) at the root of tau L (w - w*)/m + E|P_bar(w) + X| (w - w_sp)/tau, X ~ N(0, V).

    The residual changes sign between w_sp and w* (it has the sign of w - w_sp at w = w* and of
    w - w* at w = w_sp); where float64 cannot evaluate it (extreme inputs) a ValueError names ``inputs``.
    """
    if w_star == w_sp:
        return 0.0
    from scipy.optimize import brentq
    from scipy.special import erf

    def folded(mu):
        return np.sqrt(2 * V / np.pi) * np.exp(-mu * mu / (2 * V)) + mu * erf(mu / np.sqrt(2 * V))

    def residual(w):
        w = np.float64(w)
        with np.errstate(all="ignore"):
            return float(tau * L * (w - w_star) / m + folded(tau * L * (w - w_star) / m) * (w - w_sp) / tau)

    def refuse():
        shown = ", ".join(f"{key}={value!r}" for key, value in inputs.items())
        return ValueError(f"the floor's fixed point cannot be located in float64 at {shown} (extreme inputs)")

    low, high = min(w_sp, w_star), max(w_sp, w_star)
    ends = residual(low), residual(high)
    if not all(math.isfinite(r) for r in ends) or np.sign(ends[0]) * np.sign(ends[1]) > 0:
        raise refuse()
    try:
        w_inf = brentq(residual, low, high, xtol=1e-15, rtol=1e-15, maxiter=500)
    except (ValueError, RuntimeError):  # a NaN residual inside the bracket, or no convergence
        raise refuse() from None
    return L * (w_inf - w_star)


def tiki_taka_floor(
    law: CoordinateLaw, *, L: float, w_star: float, alpha: float, beta: float, tau: float, w_sp: float = 0.0
) -> Bound:
    r"""Predicted stationary E||grad f(W)||^2 of Tiki-Taka on f = L/2 (w - w*)^2: bias + variance.

    ``bias = L^2 b^2 (w* - w_sp)^2/(1 + b)^2`` with ``b = m p_abs/(tau^2 L)`` (order beta) and
    ``variance = alpha tau L s^2/(2 m)`` (order alpha) times ``t_w/(t_w + t_p)`` (P's fluctuation as an
    OU process driving W; 1 when the scales separate). The value's bias term solves the fixed point
    self-consistently: P given W is ~ N(P_bar, V) with P_bar = tau g/m and V the exact E[P^2]
    (:func:`stationary_p_second_moment`), so E|P'| is the folded-normal mean
    ``sqrt(2V/pi) exp(-P_bar^2/2V) + P_bar erf(P_bar/sqrt(2V))``, not sqrt(2V/pi): P_bar^2/V tends to
    ``2 (W* - w_sp)^2/(pi tau^2)``, a constant, so the correction does not vanish with beta (it
    changes the constant, not the order). ``terms["bias_naive"]`` is the registered formula with
    p_abs = sqrt(2V/pi) at leading-order V. Equal to leading order in alpha and beta; the condition
    records the time-scale separation t_p < t_w it assumes.

    >>> from bounds.noise_laws import GaussianLaw
    >>> r = tiki_taka_floor(GaussianLaw(1.0), L=1.0, w_star=0.0, alpha=0.01, beta=0.1, tau=1.0)
    >>> r.terms["bias"] == 0.0 and abs(r.terms["variance_separated"] - 0.01 / (2 * math.sqrt(2 / math.pi))) < 1e-15
    True
    """
    law = _law(law)
    L = require_real("L", L, low=0.0, low_open=True)
    w_star, w_sp = require_real("w_star", w_star), require_real("w_sp", w_sp)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    m, s2 = _moments(law)
    s = math.sqrt(s2)
    inputs = {"L": L, "w_star": w_star, "alpha": alpha, "beta": beta, "tau": tau, "w_sp": w_sp}
    inputs |= _law_inputs(m, s2)
    pa = _num("p_abs_leading", beta, tau, m, s, inputs=inputs)
    ratio = _num("bias_ratio", m, pa, tau, L, inputs=inputs)
    leading = _num("grad_sq_bias", L, ratio, w_star, w_sp, inputs=inputs)
    var_separated = _num("grad_sq_variance", alpha, tau, L, s, m, inputs=inputs)
    var = _num("grad_sq_variance_ou", alpha, beta, tau, L, s, m, inputs=inputs)
    p_var = stationary_p_second_moment(law, beta=beta, tau=tau)
    if not p_var.applicable:
        raise ValueError(
            f"beta and tau: the P recursion has no stationary second moment at beta={beta!r}, tau={tau!r} "
            f"({p_var.status})"
        )
    g_inf = _self_consistent_gradient(L, w_star, w_sp, tau, m, p_var.value, inputs)
    with np.errstate(all="ignore"):
        bias = np.float64(g_inf) * g_inf
        t_p, t_w = np.float64(tau) / (np.float64(beta) * m), np.float64(m) / (np.float64(alpha) * tau * L)
    bias = require_finite_value("the floor's bias term", bias, **inputs)
    t_p = require_finite_value("t_p = tau/(beta m)", t_p, **inputs)
    t_w = require_finite_value("t_w = m/(alpha tau L)", t_w, **inputs)
    return Bound(
        "Tiki-Taka floor E||grad f||^2",
        "equal",
        require_finite_value("the floor", bias + var, **inputs),
        (Condition("t_p = tau/(beta m) < t_w = m/(alpha tau L)", t_p, "<", t_w, source="derived here"),),
        source="tt_asym.grad_sq_bias + tt_asym.grad_sq_variance",
        terms={
            "bias": bias,
            "variance": var,
            "variance_separated": var_separated,
            "bias_naive": leading,
            "b": ratio,
            "p_abs": pa,
            "bias_leading": _num("grad_sq_bias_leading", beta, m, s, tau, w_star, w_sp, inputs=inputs),
        },
    )
