r"""Tiki-Taka: Theorem 3 (arXiv v1 Theorem 4, App. H) and Lemmas 5-8, with explicit constants.

Setting: A1 (L-smooth f), A2 (f >= f*), A3 (E eps = 0, E||eps||^2 <= sigma^2), A4 (||W_k||_inf <=
W_max < tau) and A5 (coordinates of eps i.i.d., E[eps_i^2] <= sigma^2/D, E|g + eps_i| >= c sigma for
every real g); both arrays are asymmetric linear devices with bound tau and symmetric point 0.

Algorithm (gamma = 0, one transfer per step, P_0 = 0), with the gradient taken at W_k::

    (TT-P)  P_{k+1} = P_k + beta (grad f(W_k) + eps_k) - (beta/tau) |grad f(W_k) + eps_k| (.) P_k
    (TT-W)  W_{k+1} = W_k - alpha P_{k+1} - (alpha/tau) |P_{k+1}| (.) W_k

Claims (arXiv v1 numbering, as in ``paper/reference.md``):

* Lemma 7 (C22), upper: with P_0 = 0 and beta under (119),
  ``E||P_k||_inf^2 <= P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2)`` (121), from the one-step
  inequality (120) ``E||P_{k+2}||_inf^2 <= (1 - beta c sigma/tau) ||P_{k+1}||_inf^2
  + 41 beta L^2 tau^3 D/(c sigma)``.
* Theorem 3 (C23), upper: if ``33 P_max^2/tau^2 < 1`` the average squared gradient is
  ``O(sqrt((f(W_0) - f*) sigma^2 L/K) / (1 - 33 P_max^2/tau^2))`` (14); the proof goes through
  the descent inequality (138) with the coefficient ``1 - 128/(c^2 D) - 32 P_max^2/tau^2``.
* Lemmas 5, 6, 8 (C26-C28): one-step inequalities (102), Lemma 6 under (111), (128).

What the derivations here find (numbers in ``tests/test_tiki_taka_bounds.py``):

1. P_max^2 is the fixed point of (120), and (120) with P_0 = 0 gives ``x_k = P_max^2 (1 - q^k)``
   with ``q = 1 - beta c sigma/tau``: below P_max^2 for every k only if ``q >= 0``. (119) does not
   force ``q >= 0``, but when ``q < 0`` it forces ``P_max^2 > 123 tau^2/c^2``: vacuous.
2. The constant chain of Lemma 7 needs ``beta <= L^2 tau^3 D^2/(3 c sigma^3)``; the third entry of
   (119) has D, not D^2: stricter by the factor D, so sufficient, not an error.
3. (120) is false for the infinity norm: an expectation of a maximum is not the maximum of the
   expectations. At a critical point with ``P = p 1`` and Rademacher noise (c = 1/sqrt(D)
   exactly) :func:`rademacher_next_p_inf_sq` exceeds the right side of (120) under (119).
4. A5 with A3 forces ``c <= 1/sqrt(D)`` (Jensen at g = 0), so ``128/(c^2 D) >= 128`` and the
   coefficient of (138) is at most -127 for EVERY admissible (c, D): the proof's descent never
   holds, and "D sufficiently large" cannot help because c scales as 1/sqrt(D).
5. ``33 P_max^2/tau^2 < 1`` is ``sigma^2 > 1353 L^2 tau^2 D/c^2 >= 1353 L^2 tau^2 D^2``.
6. The window (137) and (111)/(119) with the proof's beta = 8 alpha L tau^2 D/sigma^2 are all upper
   limits on alpha, so they hold together for every alpha in (0, :func:`alpha_max`]: never empty.
   The statement's beta = 8 alpha L equals the proof's only when sigma^2 = tau^2 D.
7. Lemma 8 (128) as printed is false when ``sigma ||W_k||_inf^2 > tau^3 sqrt(D)``. In place of its
   term ``alpha ||P_{k+1}||^2`` the derivation gives
   ``(alpha sigma/(tau sqrt D)) (||W_k||_inf^2/tau^2) ||P_{k+1}||^2``, which is tight
   (:func:`lemma8_min_slack`).
8. Optimising alpha in the telescoped (138) gives ``alpha* = sqrt(V_0/(8 L tau^2 D B K))`` and the
   rate ``8 sqrt(2) sqrt(V_0 sigma^2 L B/K)/A``. The printed (139), ``alpha = sqrt(V_0/(sigma^2 L^2 D B K))``,
   is a different choice: ``alpha*/alpha_139 = sigma sqrt(L)/(2 sqrt(2) tau)``, not a constant.

Inputs (issue 15): every parameter is validated by name (``c`` included: ``c=None`` is refused);
a closed form that leaves float64 at extreme inputs raises a ValueError naming them
(``p_max_sq(L=1e308, ...)``), so every number returned is finite; a :class:`Bound` carries an
infinite value only where a condition fails (``rate_factor`` when ``33 P_max^2/tau^2 >= 1``).
No function loops over ``k``, ``K`` or ``D``: the Lemma 7 iterate is a closed form in k.

>>> round(p_max_sq(L=1.0, tau=1.0, D=1, sigma=41**0.5, c=1.0), 12)      # 41 L^2 tau^4 D/(c^2 sigma^2)
1.0
>>> descent_coefficient(L=1e-3, tau=1.0, D=100, sigma=1.0, c=0.1) <= -127    # c sqrt(D) = 1
True
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from . import symbols as S
from .applicability import Bound, Condition
from .devices import AsymmetricLinearDevice
from .formula import register
from .validation import require_finite_value, require_int, require_real

__all__ = [
    # formulas
    "C_MAX",
    "LEMMA7_RECURSION",
    "P_MAX_SQ",
    "P_MAX_SQ_PRINTED",
    "LEMMA7_ITERATE",
    "LEMMA6_BETA_MAX_A",
    "LEMMA6_BETA_MAX_B",
    "LEMMA7_BETA_MAX_C",
    "LEMMA7_CHAIN_BETA_MAX",
    "RADEMACHER_NEXT_P_INF_SQ",
    "LEMMA5_RHS",
    "LEMMA6_RHS",
    "LEMMA8_RHS",
    "LEMMA8_RHS_DERIVED",
    "LEMMA8_MIN_SLACK",
    "SATURATION_RATIO",
    "RATE_FACTOR",
    "SIGMA_SQ_THRESHOLD",
    "DESCENT_COEFFICIENT",
    "NOISE_FACTOR",
    "BETA_STATEMENT",
    "BETA_PROOF",
    "WINDOW_ALPHA_MAX",
    "WINDOW_BETA_HIGH",
    "ALPHA_MAX_WINDOW_NONEMPTY",
    "ALPHA_MAX_LEMMA6_A",
    "ALPHA_MAX_LEMMA6_B",
    "ALPHA_MAX_LEMMA7_C",
    "RATE_FROM_DESCENT",
    "ALPHA_OPTIMAL",
    "RATE_OPTIMAL",
    "ALPHA_PROOF_139",
    "RATE_AS_STATED",
    # derivations
    "derive_p_max_fixed_point",
    "derive_lemma7_iterate",
    "derive_lemma7_negative_contraction",
    "derive_lemma7_chain",
    "derive_descent_sign",
    "derive_sigma_threshold",
    "derive_alpha_thresholds",
    "derive_rate_constant",
    "derive_lemma8_slack",
    "derive_rademacher_next_p_inf_sq",
    # numbers and bounds
    "c_max",
    "a5_consistency",
    "lemma6_conditions",
    "lemma7_conditions",
    "window_conditions",
    "beta_statement",
    "beta_proof",
    "p_max_sq",
    "lemma7_iterate",
    "lemma7_chain_beta_max",
    "lemma7_p_max",
    "lemma7_p_max_derived",
    "lemma7_step",
    "rademacher_next_p_inf_sq",
    "lemma5_step",
    "lemma6_step",
    "lemma8_step",
    "lemma8_step_derived",
    "lemma8_min_slack",
    "saturation_ratio",
    "rate_factor",
    "sigma_sq_threshold",
    "descent_coefficient",
    "noise_factor",
    "alpha_thresholds",
    "alpha_max",
    "alpha_optimal",
    "alpha_proof_139",
    "theorem3_rate_from_proof",
    "theorem3_rate_as_stated",
]

_L, _tau, _D, _sigma, _c = S.L, S.tau, S.D, S.sigma, S.c
_alpha, _beta, _K = S.alpha, S.beta, S.K
_CONSTANTS = (_L, _tau, _D, _sigma, _c)
_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64

#: the tracking scale C of Lemma 5: P tracks C grad f
_C_TRACK = _tau * sp.sqrt(_D) / _sigma

# ---------------------------------------------------------------------------------------------
# structured-grid values and domains (see bounds.formula.Formula.grid)
# ---------------------------------------------------------------------------------------------
#: c sqrt(D) <= 1 is forced by A3 + A5, so c is swept over small values (middle 0.05)
_C_VALUES = (1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.3, 1.0)
_A5_DOMAIN = (_c**2 * _D <= 1,)
#: sigma large enough that 33 P_max^2/tau^2 < 1 holds around the grid's middle
_SIGMA_LARGE = (1.0, 1e2, 1e3, 1e4, 1e5, 1e6)
_CV = {_c: _C_VALUES}


def _ald(w, dw):
    """The ALD update (8) with symmetric point 0, from :mod:`bounds.devices`."""
    return AsymmetricLinearDevice.update_expression(w, dw).subs(S.w_sp, 0)


# ---------------------------------------------------------------------------------------------
# A5 with A3: c <= 1/sqrt(D)
# ---------------------------------------------------------------------------------------------
C_MAX = register(
    "tiki_taka.c_max",
    1 / sp.sqrt(_D),
    (_D,),
    relation="upper",
    source="derived here: A5 at g = 0, Jensen and A3 give c sigma <= E|eps_i| <= sigma/sqrt(D)",
)

# ---------------------------------------------------------------------------------------------
# Lemma 7: the recursion (120), its fixed point (121), its iterates
# ---------------------------------------------------------------------------------------------
_q7 = 1 - _beta * _c * _sigma / _tau  # contraction factor of (120)
_b7 = 41 * _beta * _L**2 * _tau**3 * _D / (_c * _sigma)  # additive term of (120)
LEMMA7_RECURSION = register(
    "tiki_taka.lemma7_recursion",
    _q7 * S.tt_P_inf_sq + _b7,
    (S.tt_P_inf_sq, _beta) + _CONSTANTS,
    relation="upper",
    source="arXiv v1 Lemma 7, eq. (120)",
    domain=_A5_DOMAIN,
    values=_CV,
)

#: (121) as printed
P_MAX_SQ_PRINTED = 41 * _L**2 * _tau**4 * _D / (_c**2 * _sigma**2)


def derive_p_max_fixed_point() -> sp.Expr:
    """The fixed point of (120): the x solving ``x = (1 - beta c sigma/tau) x + 41 beta L^2 tau^3 D/(c sigma)``.

    Equal to the printed P_max^2 of (121); beta cancels.

    >>> sp.simplify(derive_p_max_fixed_point() - P_MAX_SQ_PRINTED)
    0
    """
    (root,) = sp.solve(sp.Eq(S.tt_P_inf_sq, LEMMA7_RECURSION.expr), S.tt_P_inf_sq)
    return sp.factor(root)


P_MAX_SQ = register(
    "tiki_taka.p_max_sq",
    derive_p_max_fixed_point(),
    _CONSTANTS,
    relation="upper",
    source="arXiv v1 Lemma 7, eq. (121); derived here as the fixed point of (120)",
    domain=_A5_DOMAIN,
    values=_CV,
)


def derive_lemma7_iterate() -> sp.Expr:
    """The k-th iterate ``x_k`` of (120) taken with equality, from ``x_0 = 0`` (P_0 = 0).

    ``x_k = P_max^2 (1 - q^k)`` with ``q = 1 - beta c sigma/tau``; x_k <= P_max^2 for every k iff
    ``q^k >= 0``, i.e. for all k iff ``q >= 0``.

    >>> sp.simplify(derive_lemma7_iterate().subs(S.K, 1) - _b7)    # x_1 = the additive term
    0
    >>> stable = sp.powsimp(sp.expand_func(LEMMA7_ITERATE.expr).rewrite(sp.Pow), force=True)
    >>> sp.simplify(derive_lemma7_iterate() - stable)         # the registered, stable form
    0
    """
    x = sp.Function("x")
    solution = sp.rsolve(x(S.tt_k + 1) - _q7 * x(S.tt_k) - _b7, x(S.tt_k), {x(0): 0})
    return sp.simplify(solution.subs(S.tt_k, _K))


#: the iterate for 0 < q < 1, written ``P_max^2 (1 - q^k) = -P_max^2 expm1(k log1p(q - 1))`` (equal to
#: :func:`derive_lemma7_iterate`): no overflow for large k, no cancellation for q near 1. For q < 0
#: only k = 1 is needed (x_1 = the additive term of (120), :data:`LEMMA7_RECURSION` at 0).
LEMMA7_ITERATE = register(
    "tiki_taka.lemma7_iterate",
    P_MAX_SQ.expr * -expm1(_K * log1p(-_beta * _c * _sigma / _tau)),
    (_K, _beta) + _CONSTANTS,
    relation="upper",
    source="derived here: (120) iterated from P_0 = 0",
    domain=_A5_DOMAIN + (_beta * _c * _sigma / _tau < 1,),
    values={_c: _C_VALUES, _K: (1, 2, 3, 10, 100), _beta: (1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1.0)},
)


def derive_lemma7_negative_contraction() -> sp.Expr:
    """Why a negative q is harmless: ``beta c sigma/tau > 1`` with ``beta <= L^2 tau^3 D/(3 c sigma^3)``
    (third entry of (119)) gives ``L^2 tau^2 D/sigma^2 > 3``, hence ``P_max^2/tau^2 > 123/c^2``.

    Returned: ``P_max^2/tau^2 - 123/c^2`` with ``L^2 tau^2 D/sigma^2 = 3 (1 + u)``, u >= 0 (the two
    conditions force ``L^2 tau^2 D/(3 sigma^2) >= beta c sigma/tau > 1``); it is ``123 u/c^2 >= 0``.

    >>> derive_lemma7_negative_contraction()
    123*u/c**2
    """
    l_sq_tau_sq_d_over_sigma_sq = 3 * (1 + S.tt_u)
    ratio = P_MAX_SQ.expr / _tau**2
    ratio = ratio.subs(_L, sp.sqrt(l_sq_tau_sq_d_over_sigma_sq * _sigma**2 / (_tau**2 * _D)))
    return sp.simplify(ratio - 123 / _c**2)


LEMMA6_BETA_MAX_A = register(
    "tiki_taka.lemma6_beta_max_a",
    _c * _tau / (2 * (4 * _L**2 * _tau**2 + _sigma**2)),
    (_L, _tau, _sigma, _c),
    relation="definition",
    source="arXiv v1 Lemma 6, (111), first entry; Lemma 7, (119)",
    values=_CV,
)
LEMMA6_BETA_MAX_B = register(
    "tiki_taka.lemma6_beta_max_b",
    2 / (3 * _c * _sigma),
    (_sigma, _c),
    relation="definition",
    source="arXiv v1 Lemma 6, (111), second entry; Lemma 7, (119)",
    values=_CV,
)
LEMMA7_BETA_MAX_C = register(
    "tiki_taka.lemma7_beta_max_c",
    _L**2 * _tau**3 * _D / (3 * _c * _sigma**3),
    _CONSTANTS,
    relation="definition",
    source="arXiv v1 Lemma 7, (119), third entry",
    domain=_A5_DOMAIN,
    values=_CV,
)


def derive_lemma7_chain() -> dict:
    """The constant chain of Lemma 7: ``10 beta tau/(c sigma) * 4 L^2 tau^2 D`` plus the term
    ``3 beta^2 sigma^2/D``, bounded by ``beta L^2 tau^3 D/(c sigma)``, gives ``41 beta L^2 tau^3 D/(c sigma)``.

    Returns ``{"sum": 40 + 1 part, "beta_max": the exact beta-threshold of the second inequality,
    "ratio": beta_max / (third entry of (119))}``; the ratio is D: (119) is stricter by D.

    >>> derive_lemma7_chain()["ratio"]
    D
    """
    first = 10 * _beta * _tau / (_c * _sigma) * 4 * _L**2 * _tau**2 * _D
    second_bound = _beta * _L**2 * _tau**3 * _D / (_c * _sigma)
    # 3 beta^2 sigma^2/D <= beta L^2 tau^3 D/(c sigma)  <=>  beta <= threshold  (beta > 0)
    (threshold,) = sp.solve(sp.Eq(3 * _beta**2 * _sigma**2 / _D, second_bound), _beta)
    return {
        "sum": sp.factor(first + second_bound),
        "beta_max": sp.factor(threshold),
        "ratio": sp.simplify(threshold / LEMMA7_BETA_MAX_C.expr),
    }


LEMMA7_CHAIN_BETA_MAX = register(
    "tiki_taka.lemma7_chain_beta_max",
    derive_lemma7_chain()["beta_max"],
    _CONSTANTS,
    relation="definition",
    source="derived here: 3 beta^2 sigma^2/D <= beta L^2 tau^3 D/(c sigma) in the chain of Lemma 7",
    domain=_A5_DOMAIN,
    values=_CV,
)


# ---------------------------------------------------------------------------------------------
# (120) fails for the infinity norm: an exact counterexample
# ---------------------------------------------------------------------------------------------
def derive_rademacher_next_p_inf_sq() -> sp.Expr:
    """Exact ``E||P_{k+2}||_inf^2`` at a critical point (grad f = 0) from ``P_{k+1} = p 1``, p >= 0,
    under Rademacher noise ``eps_i = +-s`` (s = sigma/sqrt(D), independent, probability 1/2 each).

    (TT-P) moves each coordinate independently to ``up = p + beta s (1 - p/tau)`` or
    ``down = p - beta s (1 + p/tau)``; ``up^2 - down^2 = 4 beta s p (1 - beta s/tau) >= 0`` when
    ``beta s <= tau``, so the maximum square is up^2 unless all D coordinates go down (probability
    2^-D). This law satisfies A3 and A5 with c = 1/sqrt(D) exactly (``E|g + eps_i| = max(|g|, s)``).

    >>> sp.simplify(derive_rademacher_next_p_inf_sq().subs(S.D, 1)
    ...             - (_ald(S.P, _beta * _sigma)**2 + _ald(S.P, -_beta * _sigma)**2) / 2)
    0
    """
    s = _sigma / sp.sqrt(_D)
    up = _ald(S.P, _beta * s)  # (TT-P) with g = 0, eps_i = +s
    down = _ald(S.P, -_beta * s)  # eps_i = -s
    all_down = sp.Integer(2) ** (-_D)
    return (1 - all_down) * up**2 + all_down * down**2


RADEMACHER_NEXT_P_INF_SQ = register(
    "tiki_taka.rademacher_next_p_inf_sq",
    derive_rademacher_next_p_inf_sq(),
    (S.P, _beta, _tau, _D, _sigma),
    relation="equal",
    source="derived here from (TT-P): exact E||P'||_inf^2, P = p 1, grad f = 0, Rademacher noise",
    domain=(S.P >= 0, S.P <= _tau, _beta * _sigma / sp.sqrt(_D) <= _tau),
    values={S.P: (0.0, 1e-3, 0.1, 0.5, 1.0, 2.0), _beta: (1e-6, 1e-4, 1e-3, 1e-2, 0.1)},
)

# ---------------------------------------------------------------------------------------------
# Lemmas 5, 6, 8: right-hand sides as printed, Lemma 8 as derived
# ---------------------------------------------------------------------------------------------
LEMMA5_RHS = register(
    "tiki_taka.lemma5_rhs",
    (1 - _beta * _sigma / (_tau * sp.sqrt(_D))) * S.tt_track_sq
    + 4 * _L**2 * _tau**3 * _D ** sp.Rational(3, 2) / (_beta * _sigma**3) * S.tt_dW_sq
    + 4 * _beta * _sigma / (_tau * sp.sqrt(_D)) * S.tt_P_sq
    + 4 * _beta * sp.sqrt(_D) / (_tau * _sigma) * S.tt_P_inf_sq * S.tt_grad_sq
    + 2 * _beta**2 * _sigma**2,
    (S.tt_track_sq, S.tt_dW_sq, S.tt_P_sq, S.tt_P_inf_sq, S.tt_grad_sq, _beta, _L, _tau, _D, _sigma),
    relation="upper",
    source="arXiv v1 Lemma 5, eq. (102)",
    domain=(_beta * _sigma <= _tau * sp.sqrt(_D),),
)
LEMMA6_RHS = register(
    "tiki_taka.lemma6_rhs",
    (1 - _beta * _c * _sigma / (2 * _tau)) * S.tt_P_sq
    + 4 * _beta * _tau / (_c * _sigma) * S.tt_grad_sq
    + 4 * _L**2 * _beta * _tau / (_c * _sigma) * S.tt_dW_sq
    + 3 * _beta**2 * _sigma**2,
    (S.tt_P_sq, S.tt_grad_sq, S.tt_dW_sq, _beta, _L, _tau, _sigma, _c),
    relation="upper",
    source="arXiv v1 Lemma 6",
    domain=(_beta * _c * _sigma <= 2 * _tau,),
    values=_CV,
)

_gamma8 = _alpha * _C_TRACK  # the Young weight that makes (128)'s coefficients
_LEMMA8_COMMON = (
    S.tt_gap
    - _gamma8 / 2 * S.tt_grad_sq
    - (1 / (2 * _gamma8) - _L / 2) * S.tt_dW_sq
    + _alpha / _C_TRACK * S.tt_track_sq
)
_LEMMA8_PARAMS = (S.tt_gap, S.tt_grad_sq, S.tt_dW_sq, S.tt_track_sq, S.tt_P_sq, _alpha, _L, _tau, _D, _sigma)
LEMMA8_RHS = register(
    "tiki_taka.lemma8_rhs",
    _LEMMA8_COMMON + _alpha * S.tt_P_sq,
    _LEMMA8_PARAMS,
    relation="upper",
    source="arXiv v1 Lemma 8, eq. (128), for f(W_{k+1}) - f*",
    values={S.tt_gap: (1e2, 1e3, 1e4), _alpha: (1e-4, 1e-3, 1e-2)},
)
LEMMA8_RHS_DERIVED = register(
    "tiki_taka.lemma8_rhs_derived",
    _LEMMA8_COMMON + _alpha / _C_TRACK * S.W_max**2 / _tau**2 * S.tt_P_sq,
    _LEMMA8_PARAMS + (S.W_max,),
    relation="upper",
    source="derived here from A1 and (TT-W): (128) with alpha ||P||^2 replaced by "
    "(alpha sigma/(tau sqrt D)) (W_max^2/tau^2) ||P||^2",
    domain=(S.W_max <= _tau,),
    values={S.tt_gap: (1e2, 1e3, 1e4), _alpha: (1e-4, 1e-3, 1e-2)},
)


def derive_lemma8_slack() -> sp.Expr:
    """Smallest slack ``RHS(128) - (f(W_{k+1}) - f*)`` over the gradient, on the instance
    ``f = L/2 ||W - W*||^2`` with all coordinates equal (W = w 1, P = P 1, W* = w* 1), w* free.

    The slack is a concave-up quadratic in g = L(w - w*); its minimum is
    ``alpha D P^2 (1 - sigma w^2/(tau^3 sqrt D))``: negative, so (128) false, once
    ``sigma w^2 > tau^3 sqrt(D)``. The derived right side (:data:`LEMMA8_RHS_DERIVED` with
    ``W_max = |w|``) has minimum slack exactly 0: it is tight.

    >>> sp.simplify(derive_lemma8_slack() - _alpha * _D * S.P**2 * (1 - _sigma * S.w**2 / (_tau**3 * sp.sqrt(_D))))
    0
    """
    w_new = _ald(S.w, -_alpha * S.P)  # (TT-W), one coordinate
    grad = S.g  # L (w - w*), free through w*
    w_star = S.w - grad / _L
    gap_old = _D * _L / 2 * (S.w - w_star) ** 2
    gap_new = _D * _L / 2 * (w_new - w_star) ** 2
    subs = {
        S.tt_gap: gap_old,
        S.tt_grad_sq: _D * grad**2,
        S.tt_dW_sq: _D * (w_new - S.w) ** 2,
        S.tt_track_sq: _D * (S.P - _C_TRACK * grad) ** 2,
        S.tt_P_sq: _D * S.P**2,
    }
    slack = sp.expand(LEMMA8_RHS.expr.subs(subs) - gap_new)
    (g_min,) = sp.solve(sp.diff(slack, grad), grad)
    return sp.factor(sp.simplify(slack.subs(grad, g_min)))


LEMMA8_MIN_SLACK = register(
    "tiki_taka.lemma8_min_slack",
    derive_lemma8_slack(),
    (S.P, S.w, _alpha, _tau, _D, _sigma),
    relation="equal",
    source="derived here: min over grad f of RHS(128) - f(W_{k+1}) + f*, quadratic instance",
    domain=(S.w**2 <= _tau**2,),
    values={S.w: (-1.0, -0.5, 0.0, 0.5, 0.9, 1.0)},
)

# ---------------------------------------------------------------------------------------------
# Theorem 3: saturation condition, rate factor, descent coefficient, step sizes, rates
# ---------------------------------------------------------------------------------------------
SATURATION_RATIO = register(
    "tiki_taka.saturation_ratio",
    sp.factor(33 * P_MAX_SQ.expr / _tau**2),
    _CONSTANTS,
    relation="definition",
    source="arXiv v1 Theorem 4: 33 P_max^2/tau^2",
    domain=_A5_DOMAIN,
    values=_CV,
)
RATE_FACTOR = register(
    "tiki_taka.rate_factor",
    1 / (1 - SATURATION_RATIO.expr),
    _CONSTANTS,
    relation="definition",
    source="arXiv v1 Theorem 4, eq. (14): 1/(1 - 33 P_max^2/tau^2)",
    domain=_A5_DOMAIN + (SATURATION_RATIO.expr < sp.Rational(9, 10),),
    values={_c: _C_VALUES, _sigma: _SIGMA_LARGE},
)


def derive_sigma_threshold() -> sp.Expr:
    """``33 P_max^2/tau^2 < 1``  <=>  ``sigma^2 > threshold``; the threshold is 1353 L^2 tau^2 D/c^2,
    at least 1353 L^2 tau^2 D^2 because c^2 <= 1/D.

    >>> derive_sigma_threshold()
    1353*D*L**2*tau**2/c**2
    """
    (root,) = sp.solve(sp.Eq(SATURATION_RATIO.expr, 1), _sigma)
    return sp.factor(root**2)


SIGMA_SQ_THRESHOLD = register(
    "tiki_taka.sigma_sq_threshold",
    derive_sigma_threshold(),
    (_L, _tau, _D, _c),
    relation="definition",
    source="derived here: 33 P_max^2/tau^2 < 1 iff sigma^2 > this",
    domain=_A5_DOMAIN,
    values=_CV,
)

DESCENT_COEFFICIENT = register(
    "tiki_taka.descent_coefficient",
    1 - 128 / (_c**2 * _D) - 32 * P_MAX_SQ.expr / _tau**2,
    _CONSTANTS,
    relation="definition",
    source="arXiv v1 eq. (138): 1 - 128/(c^2 D) - 32 P_max^2/tau^2",
    domain=_A5_DOMAIN,
    values=_CV,
)
NOISE_FACTOR = register(
    "tiki_taka.noise_factor",
    1 + 16 / (_c * sp.sqrt(_D)),
    (_D, _c),
    relation="definition",
    source="arXiv v1 eq. (138): 1 + 16/(c sqrt D)",
    domain=_A5_DOMAIN,
    values=_CV,
)


def derive_descent_sign() -> dict:
    """With ``c sqrt(D) = 1/(1 + u)``, u >= 0 (every c that A3 + A5 allow), the coefficient of (138)
    is ``-127 - (nonnegative)``: ``{"coefficient": A(u), "excess": -127 - A(u), "nonnegative": bool}``.

    >>> derive_descent_sign()["nonnegative"]
    True
    """
    a = DESCENT_COEFFICIENT.expr.subs(_c, 1 / ((1 + S.tt_u) * sp.sqrt(_D)))
    excess = sp.expand(-127 - a)
    return {"coefficient": sp.expand(a), "excess": excess, "nonnegative": bool(excess.is_nonnegative)}


BETA_STATEMENT = register(
    "tiki_taka.beta_statement",
    8 * _alpha * _L,
    (_alpha, _L),
    relation="definition",
    source="arXiv v1 Theorem 4 statement: beta = 8 alpha L",
)
BETA_PROOF = register(
    "tiki_taka.beta_proof",
    8 * _alpha * _L * _tau**2 * _D / _sigma**2,
    (_alpha, _L, _tau, _D, _sigma),
    relation="definition",
    source="arXiv v1 before (138), and the lower end of the window (137)",
)
WINDOW_ALPHA_MAX = register(
    "tiki_taka.window_alpha_max",
    _sigma / (6 * _L * _tau * sp.sqrt(_D)),
    (_L, _tau, _D, _sigma),
    relation="definition",
    source="arXiv v1 (137): alpha <= sigma/(6 L tau sqrt D)",
)
WINDOW_BETA_HIGH = register(
    "tiki_taka.window_beta_high",
    _c**2 * _sigma**4 / (64 * _alpha * _L * _tau**4 * _D),
    (_alpha,) + _CONSTANTS,
    relation="definition",
    source="arXiv v1 (137): beta <= c^2 sigma^4/(64 alpha L tau^4 D)",
    domain=_A5_DOMAIN,
    values=_CV,
)


def derive_alpha_thresholds() -> dict:
    """Every condition of (137), (111) and (119) with the proof's beta = 8 alpha L tau^2 D/sigma^2,
    solved for alpha: each is ``alpha <= threshold`` with a positive threshold, so all hold together
    exactly on (0, min of the thresholds]: the window is never empty.

    >>> all(t.is_positive for t in derive_alpha_thresholds().values())
    True
    """
    beta = BETA_PROOF.expr
    out = {"window alpha <= sigma/(6 L tau sqrt D)": WINDOW_ALPHA_MAX.expr}
    for name, upper in (
        ("window beta_low <= beta_high", WINDOW_BETA_HIGH.expr),
        ("(111) beta <= c tau/(2(4 L^2 tau^2 + sigma^2))", LEMMA6_BETA_MAX_A.expr),
        ("(111) beta <= 2/(3 c sigma)", LEMMA6_BETA_MAX_B.expr),
        ("(119) beta <= L^2 tau^3 D/(3 c sigma^3)", LEMMA7_BETA_MAX_C.expr),
    ):
        (root,) = sp.solve(sp.Eq(beta, upper), _alpha)  # alpha > 0: the positive root only
        out[name] = sp.factor(root)
    return out


_THRESHOLDS = derive_alpha_thresholds()
ALPHA_MAX_WINDOW_NONEMPTY = register(
    "tiki_taka.alpha_max_window_nonempty",
    _THRESHOLDS["window beta_low <= beta_high"],
    _CONSTANTS,
    relation="definition",
    source="derived here: (137) is non-empty iff alpha <= this",
    domain=_A5_DOMAIN,
    values=_CV,
)
ALPHA_MAX_LEMMA6_A = register(
    "tiki_taka.alpha_max_lemma6_a",
    _THRESHOLDS["(111) beta <= c tau/(2(4 L^2 tau^2 + sigma^2))"],
    _CONSTANTS,
    relation="definition",
    source="derived here: (111) first entry with the proof's beta",
    domain=_A5_DOMAIN,
    values=_CV,
)
ALPHA_MAX_LEMMA6_B = register(
    "tiki_taka.alpha_max_lemma6_b",
    _THRESHOLDS["(111) beta <= 2/(3 c sigma)"],
    _CONSTANTS,
    relation="definition",
    source="derived here: (111) second entry with the proof's beta",
    domain=_A5_DOMAIN,
    values=_CV,
)
ALPHA_MAX_LEMMA7_C = register(
    "tiki_taka.alpha_max_lemma7_c",
    _THRESHOLDS["(119) beta <= L^2 tau^3 D/(3 c sigma^3)"],
    _CONSTANTS,
    relation="definition",
    source="derived here: (119) third entry with the proof's beta",
    domain=_A5_DOMAIN,
    values=_CV,
)

_A = DESCENT_COEFFICIENT.expr
_B = NOISE_FACTOR.expr
#: (138) summed over k < K gives (A alpha tau sqrt(D)/(2 sigma)) sum ||grad||^2 <= V_0 + 8 K alpha^2 L tau^2 D B;
#: dividing by K and the coefficient: rate(alpha) = (_X/alpha + _Y alpha)/A
_X = 2 * _sigma * S.tt_V0 / (_tau * sp.sqrt(_D) * _K)
_Y = 2 * _sigma / (_tau * sp.sqrt(_D)) * 8 * _L * _tau**2 * _D * _B
RATE_FROM_DESCENT = register(
    "tiki_taka.rate_from_descent",
    (_X / _alpha + _Y * _alpha) / _A,
    (_alpha, S.tt_V0, _K) + _CONSTANTS,
    relation="upper",
    source="derived here: (138) summed over k < K, divided by K (alpha tau sqrt(D) A/(2 sigma)), V_K >= 0",
    domain=_A5_DOMAIN,
    values=_CV,
)


def derive_rate_constant() -> dict:
    """Minimise :data:`RATE_FROM_DESCENT` over alpha (for A > 0, the proof's premise, A factors out):
    ``{"alpha": alpha*, "rate": rate at alpha*, "alpha_139": (139) as printed (constant 1),
    "rate_139": the rate at that alpha}``.

    ``rate = 8 sqrt(2) sqrt(V_0 sigma^2 L B/K)/A``: the O(.) constant of (140) is 8 sqrt(2).

    >>> d = derive_rate_constant()
    >>> sp.simplify((d["rate"] / (sp.sqrt(S.tt_V0 * _sigma**2 * _L * _B / _K) / _A))**2)    # (8 sqrt 2)^2
    128
    """
    (alpha_opt,) = sp.solve(sp.diff(_X / _alpha + _Y * _alpha, _alpha), _alpha)
    alpha_opt = sp.powsimp(sp.factor(alpha_opt))
    alpha_139 = sp.sqrt(S.tt_V0 / (_sigma**2 * _L**2 * _D * _B * _K))
    rate = RATE_FROM_DESCENT.expr
    return {
        "alpha": alpha_opt,
        "rate": sp.factor(rate.subs(_alpha, alpha_opt)),
        "alpha_139": alpha_139,
        "rate_139": rate.subs(_alpha, alpha_139),
    }


_RATE = derive_rate_constant()
ALPHA_OPTIMAL = register(
    "tiki_taka.alpha_optimal",
    _RATE["alpha"],
    (S.tt_V0, _K, _L, _tau, _D, _c),
    relation="definition",
    source="derived here: the alpha minimising the telescoped (138)",
    domain=_A5_DOMAIN,
    values=_CV,
)
RATE_OPTIMAL = register(
    "tiki_taka.rate_optimal",
    _RATE["rate"],
    (S.tt_V0, _K) + _CONSTANTS,
    relation="upper",
    source="derived here: the telescoped (138) at the optimal alpha; (140) with its constant 8 sqrt(2)",
    domain=_A5_DOMAIN,
    values=_CV,
)
ALPHA_PROOF_139 = register(
    "tiki_taka.alpha_proof_139",
    _RATE["alpha_139"],
    (S.tt_V0, _K, _L, _D, _sigma, _c),
    relation="definition",
    source="arXiv v1 eq. (139), O(.) constant taken as 1",
    domain=_A5_DOMAIN,
    values=_CV,
)
RATE_AS_STATED = register(
    "tiki_taka.rate_as_stated",
    8 * sp.sqrt(2) * sp.sqrt(S.f_gap * _sigma**2 * _L / _K) * RATE_FACTOR.expr,
    (S.f_gap, _K) + _CONSTANTS,
    relation="upper",
    source="arXiv v1 Theorem 4, eq. (14), with the constant 8 sqrt(2) of the proof (138)-(140)",
    domain=RATE_FACTOR.domain,
    values={_c: _C_VALUES, _sigma: _SIGMA_LARGE},
)


# ---------------------------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------------------------
def _pos(name, value):
    return require_real(name, value, low=0.0, low_open=True)


def _nonneg(name, value):
    return require_real(name, value, low=0.0)


def _constants(L, tau, D, sigma):
    """The four problem constants, validated."""
    return _pos("L", L), _pos("tau", tau), require_int("D", D, low=1), _pos("sigma", sigma)


def _constants_c(L, tau, D, sigma, c):
    """The four problem constants and A5's c, each validated (c is required: None is refused)."""
    return _constants(L, tau, D, sigma) + (_pos("c", c),)


#: the public parameter name of a formula symbol, where the two differ (error messages use the former)
_NAMES = {
    "Delta_f": "f_gap",
    "V_0": "V0",
    "P_sq": "p_sq",
    "P_inf_sq": "p_inf_sq",
    "dW_sq": "dw_sq",
    "gap_k": "gap",
    "W_max": "w_inf",
    "P": "p",
}


def _num(formula, *args, names=None) -> float:
    """``formula`` in float64 at ``args`` (already validated); a value beyond float64 (an overflow at
    extreme inputs) raises a ValueError naming the public parameters (``names``, default: the
    formula's symbols translated by :data:`_NAMES`)."""
    names = names or [_NAMES.get(str(sym), str(sym)) for sym in formula.params]
    return formula.value(*args, inputs=dict(zip(names, args)))


def _tau_sq(tau: float) -> float:
    """tau^2, the trivial bound on ||P||_inf^2 (Theorem 1), refused where it leaves float64."""
    return require_finite_value("tau^2", tau * tau, tau=tau)


def _q_rate(beta: float, c: float, sigma: float, tau: float) -> float:
    """``beta c sigma/tau``, 1 - q of (120), refused where it leaves float64."""
    return require_finite_value("beta c sigma/tau", beta * c * sigma / tau, beta=beta, c=c, sigma=sigma, tau=tau)


def _default_beta(what: str, beta: float, **inputs) -> float:
    """A step size computed from ``inputs``: refused (naming them) where it underflows below float64's
    normal range, since the conditions on it would then compare rounding noise."""
    _require_relation("the default beta", f"{what} >= {_TINY:.3g} (a normal float64)", beta >= _TINY, **inputs)
    return beta


def _require_relation(name: str, statement: str, holds: bool, **inputs) -> None:
    """Refuse ``name`` where the relation ``statement`` fails, naming every parameter in it."""
    if not holds:
        shown = ", ".join(f"{key}={value!r}" for key, value in inputs.items())
        raise ValueError(f"{name} must satisfy {statement}, got {shown}")


# ---------------------------------------------------------------------------------------------
# conditions
# ---------------------------------------------------------------------------------------------
def c_max(D: int) -> float:
    """The largest A5 constant any noise law can have: ``c <= 1/sqrt(D)`` (upper).

    Setting: A3 and A5. Claim (derived here): A5 at g = 0 and Jensen give
    ``c sigma <= E|eps_i| <= sqrt(E eps_i^2) <= sigma/sqrt(D)``.

    >>> c_max(4)
    0.5
    """
    return _num(C_MAX, require_int("D", D, low=1))


def a5_consistency(c: float, D: int) -> Condition:
    """The Condition ``c <= 1/sqrt(D)`` that flags inputs no noise law satisfies (A5 with A3, Jensen).

    >>> a5_consistency(0.5, 4).holds, a5_consistency(0.6, 4).holds
    (True, False)
    """
    c, D = _pos("c", c), require_int("D", D, low=1)
    return Condition(
        "c <= 1/sqrt(D) (A5 with A3, Jensen)", c, "<=", c_max(D), source="derived here: A5 at g = 0, Jensen, A3"
    )


def lemma6_conditions(beta: float, L: float, tau: float, sigma: float, c: float) -> tuple:
    """The step-size condition (111) of Lemma 6, ``beta <= min{c tau/(2(4 L^2 tau^2 + sigma^2)), 2/(3 c sigma)}``,
    as two Conditions.

    >>> [cond.holds for cond in lemma6_conditions(1e-3, 1.0, 1.0, 1.0, 0.5)]
    [True, True]
    """
    beta, L, tau, sigma, c = _pos("beta", beta), _pos("L", L), _pos("tau", tau), _pos("sigma", sigma), _pos("c", c)
    return (
        Condition(
            "beta <= c tau/(2(4 L^2 tau^2 + sigma^2))",
            beta,
            "<=",
            _num(LEMMA6_BETA_MAX_A, L, tau, sigma, c),
            source="Lemma 6, (111)",
        ),
        Condition("beta <= 2/(3 c sigma)", beta, "<=", _num(LEMMA6_BETA_MAX_B, sigma, c), source="Lemma 6, (111)"),
    )


def lemma7_conditions(beta: float, L: float, tau: float, D: int, sigma: float, c: float) -> tuple:
    """The step-size condition (119) of Lemma 7: (111) and ``beta <= L^2 tau^3 D/(3 c sigma^3)``.

    >>> len(lemma7_conditions(1e-3, 1.0, 1.0, 4, 1.0, 0.5))
    3
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    beta = _pos("beta", beta)
    return lemma6_conditions(beta, L, tau, sigma, c) + (
        Condition(
            "beta <= L^2 tau^3 D/(3 c sigma^3)",
            beta,
            "<=",
            _num(LEMMA7_BETA_MAX_C, L, tau, D, sigma, c),
            source="Lemma 7, (119)",
        ),
    )


def window_conditions(alpha: float, beta: float, L: float, tau: float, D: int, sigma: float, c: float) -> tuple:
    """The step-size window (137): ``alpha <= sigma/(6 L tau sqrt D)`` and
    ``8 alpha L tau^2 D/sigma^2 <= beta <= c^2 sigma^4/(64 alpha L tau^4 D)``.

    >>> all(cond.holds for cond in window_conditions(1e-4, beta_proof(1e-4, 1.0, 1.0, 4, 10.0), 1.0, 1.0, 4, 10.0, 0.5))
    True
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    alpha, beta = _pos("alpha", alpha), _pos("beta", beta)
    return (
        Condition(
            "alpha <= sigma/(6 L tau sqrt D)", alpha, "<=", _num(WINDOW_ALPHA_MAX, L, tau, D, sigma), source="(137)"
        ),
        Condition("beta >= 8 alpha L tau^2 D/sigma^2", beta, ">=", beta_proof(alpha, L, tau, D, sigma), source="(137)"),
        Condition(
            "beta <= c^2 sigma^4/(64 alpha L tau^4 D)",
            beta,
            "<=",
            _num(WINDOW_BETA_HIGH, alpha, L, tau, D, sigma, c),
            source="(137)",
        ),
    )


def beta_statement(alpha: float, L: float) -> float:
    """The statement's choice ``beta = 8 alpha L`` (Theorem 3, arXiv v1 Theorem 4).

    >>> beta_statement(0.5, 0.25)
    1.0
    """
    return _num(BETA_STATEMENT, _pos("alpha", alpha), _pos("L", L))


def beta_proof(alpha: float, L: float, tau: float, D: int, sigma: float) -> float:
    """The proof's choice ``beta = 8 alpha L tau^2 D/sigma^2`` (before (138)); equals
    :func:`beta_statement` exactly when ``sigma^2 = tau^2 D``.

    >>> beta_proof(0.5, 0.25, 1.0, 4, 2.0) == beta_statement(0.5, 0.25)
    True
    """
    L, tau, D, sigma = _constants(L, tau, D, sigma)
    return _num(BETA_PROOF, _pos("alpha", alpha), L, tau, D, sigma)


# ---------------------------------------------------------------------------------------------
# Lemma 7
# ---------------------------------------------------------------------------------------------
def p_max_sq(L: float, tau: float, D: int, sigma: float, c: float) -> float:
    """``P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2)`` (Lemma 7, (121)), the fixed point of (120).

    >>> p_max_sq(2.0, 1.0, 1, 1.0, 1.0) == 4 * p_max_sq(1.0, 1.0, 1, 1.0, 1.0)
    True
    """
    return _num(P_MAX_SQ, *_constants_c(L, tau, D, sigma, c))


def lemma7_iterate(k: int, beta: float, L: float, tau: float, D: int, sigma: float, c: float) -> float:
    """``x_k = P_max^2 (1 - q^k)``, q = 1 - beta c sigma/tau: (120) iterated with equality from P_0 = 0.

    Requires ``beta c sigma/tau < 1`` (0 < q); for q <= 0, x_1 is :func:`lemma7_step` at 0.

    >>> x = lemma7_iterate(1, 0.01, 1.0, 1.0, 1, 1.0, 1.0)
    >>> abs(x - 0.01 * p_max_sq(1.0, 1.0, 1, 1.0, 1.0)) < 1e-12    # x_1 = P_max^2 beta c sigma/tau
    True
    """
    k = require_int("k", k, low=0)
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    beta = _pos("beta", beta)
    _require_relation(
        "beta", "beta c sigma/tau < 1 (0 < q)", beta * c * sigma / tau < 1.0, beta=beta, c=c, sigma=sigma, tau=tau
    )
    return _num(LEMMA7_ITERATE, k, beta, L, tau, D, sigma, c, names=("k", "beta", "L", "tau", "D", "sigma", "c"))


def lemma7_chain_beta_max(L: float, tau: float, D: int, sigma: float, c: float) -> float:
    """The exact condition ``beta <= L^2 tau^3 D^2/(3 c sigma^3)`` under which
    ``3 beta^2 sigma^2/D <= beta L^2 tau^3 D/(c sigma)`` (the 41 of Lemma 7); D times the third
    entry of (119).

    >>> lemma7_chain_beta_max(1.0, 1.0, 3, 1.0, 1.0)
    3.0
    """
    return _num(LEMMA7_CHAIN_BETA_MAX, *_constants_c(L, tau, D, sigma, c))


_LEMMA7_ASSUMES = (
    "A1: f is L-smooth",
    "A3: E eps = 0, E||eps||^2 <= sigma^2",
    "A5: i.i.d. coordinates, E eps_i^2 <= sigma^2/D, E|g + eps_i| >= c sigma",
    "||grad f(W_k)||^2 <= 4 L^2 tau^2 D (a critical point in the tau-box; used by the proof)",
)


def lemma7_p_max(beta: float, L: float, tau: float, D: int, sigma: float, c: float) -> Bound:
    """Lemma 7 (C22) as stated: ``E||P_k||_inf^2 <= P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2)`` for all k,
    upper, arXiv v1 (121), under (119) and P_0 = 0.

    Setting: A1, A3, A5; Tiki-Taka (TT-P) from P_0 = 0. Trivial bound: tau^2 (Theorem 1, C8,
    when ||beta (grad f + eps)||_inf <= tau). Conditions: (119) and ``c <= 1/sqrt(D)``.

    >>> b = lemma7_p_max(1e-9, 1e-3, 1.0, 4, 10.0, 0.5)
    >>> b.applicable, b.value == p_max_sq(1e-3, 1.0, 4, 10.0, 0.5)
    (True, True)
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    beta = _pos("beta", beta)
    return Bound(
        "Lemma 7: E||P_k||_inf^2 <= P_max^2 (as stated)",
        "upper",
        p_max_sq(L, tau, D, sigma, c),
        lemma7_conditions(beta, L, tau, D, sigma, c) + (a5_consistency(c, D),),
        source=P_MAX_SQ.source,
        assumes=_LEMMA7_ASSUMES,
        terms={"P_max^2": p_max_sq(L, tau, D, sigma, c)},
        trivial=_tau_sq(tau),
    )


def lemma7_p_max_derived(beta: float, L: float, tau: float, D: int, sigma: float, c: float) -> Bound:
    """Lemma 7 as the derivation supports it: ``E||P_k||_inf^2 <= D P_max^2``, upper, derived here.

    Setting and algorithm as :func:`lemma7_p_max`. (120) read per coordinate,
    ``E[p_i'^2] <= (1 - beta c sigma/tau) p_i^2 + 41 beta L^2 tau^3 D/(c sigma)`` (what the proof's
    scalar steps give; exact Rademacher searches find no violation, but it is not proved here and
    is listed in ``assumes``), iterates to ``E[p_{k,i}^2] <= P_max^2`` when
    ``q = 1 - beta c sigma/tau >= 0``; the infinity norm then needs the sum over coordinates,
    ``E max_i p_i^2 <= sum_i E p_i^2``: the factor D. The extra condition is ``beta c sigma/tau <= 1``.

    >>> b = lemma7_p_max_derived(1e-9, 1e-3, 1.0, 4, 10.0, 0.5)
    >>> b.value == 4 * lemma7_p_max(1e-9, 1e-3, 1.0, 4, 10.0, 0.5).value
    True
    """
    stated = lemma7_p_max(beta, L, tau, D, sigma, c)
    beta, L, tau, D, sigma, c = float(beta), float(L), float(tau), int(D), float(sigma), float(c)
    value = require_finite_value("D P_max^2", D * stated.value, L=L, tau=tau, D=D, sigma=sigma, c=c)
    q_condition = Condition(
        "beta c sigma/tau <= 1 (q >= 0: (120) iterates below its fixed point)",
        _q_rate(beta, c, sigma, tau),
        "<=",
        1.0,
        source="derived here from (120) with P_0 = 0",
    )
    return Bound(
        "Lemma 7: E||P_k||_inf^2 <= D P_max^2 (derived)",
        "upper",
        value,
        stated.conditions + (q_condition,),
        source="derived here: per-coordinate (120), summed",
        assumes=_LEMMA7_ASSUMES
        + (
            "per-coordinate (120): E[p_i'^2] <= (1 - beta c sigma/tau) p_i^2 "
            "+ 41 beta L^2 tau^3 D/(c sigma) (not proved here)",
        ),
        terms={"P_max^2": stated.value, "D": D},
        trivial=_tau_sq(tau),
    )


def lemma7_step(p_inf_sq: float, beta: float, L: float, tau: float, D: int, sigma: float, c: float) -> Bound:
    """Lemma 7's one-step inequality (120) as stated, upper, for ``E||P_{k+2}||_inf^2`` given
    ``||P_{k+1}||_inf^2 = p_inf_sq``: ``(1 - beta c sigma/tau) p_inf_sq + 41 beta L^2 tau^3 D/(c sigma)``.

    Setting: A1, A3, A5; one (TT-P) step with the gradient at W_{k+1}. Conditions: (119),
    ``c <= 1/sqrt(D)``, ``||P_{k+1}||_inf <= tau`` (Theorem 1, used by the proof) and
    ``beta c sigma/tau <= 1`` (derived: else the right side can be negative). The inequality is
    FALSE in general: see :func:`rademacher_next_p_inf_sq`.

    >>> x1 = lemma7_iterate(1, 1e-9, 1e-3, 1.0, 4, 10.0, 0.5)      # from P_0 = 0, one step
    >>> abs(lemma7_step(0.0, 1e-9, 1e-3, 1.0, 4, 10.0, 0.5).value - x1) <= 1e-15 * x1
    True
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    beta, p_inf_sq = _pos("beta", beta), _nonneg("p_inf_sq", p_inf_sq)
    conditions = lemma7_conditions(beta, L, tau, D, sigma, c) + (
        a5_consistency(c, D),
        Condition("||P_{k+1}||_inf^2 <= tau^2 (Theorem 1)", p_inf_sq, "<=", _tau_sq(tau), source="proof of Lemma 6/7"),
        Condition("beta c sigma/tau <= 1", _q_rate(beta, c, sigma, tau), "<=", 1.0, source="derived here"),
    )
    value = _num(LEMMA7_RECURSION, p_inf_sq, beta, L, tau, D, sigma, c)
    return Bound(
        "Lemma 7 step (120)",
        "upper",
        value,
        conditions,
        source=LEMMA7_RECURSION.source,
        assumes=_LEMMA7_ASSUMES,
        trivial=_tau_sq(tau),
    )


def rademacher_next_p_inf_sq(p: float, beta: float, tau: float, D: int, sigma: float) -> float:
    """Exact ``E||P_{k+2}||_inf^2`` from ``P_{k+1} = p 1`` at a critical point, Rademacher noise
    ``eps_i = +-sigma/sqrt(D)`` (a law with c = 1/sqrt(D)), equal; derived here from (TT-P).

    Requires ``0 <= p <= tau`` and ``beta sigma/sqrt(D) <= tau``. For D = 1 it is the average of the
    two squared outcomes.

    >>> rademacher_next_p_inf_sq(0.5, 0.1, 1.0, 1, 1.0) == (0.5 + 0.1 * 0.5)**2 / 2 + (0.5 - 0.1 * 1.5)**2 / 2
    True
    """
    tau, D, sigma = _pos("tau", tau), require_int("D", D, low=1), _pos("sigma", sigma)
    p, beta = _nonneg("p", p), _pos("beta", beta)
    _require_relation("p", "p <= tau", p <= tau, p=p, tau=tau)
    ratio = beta * sigma / (tau * math.sqrt(D))
    _require_relation("beta", "beta sigma/sqrt(D) <= tau", ratio <= 1.0, beta=beta, sigma=sigma, tau=tau, D=D)
    return _num(RADEMACHER_NEXT_P_INF_SQ, p, beta, tau, D, sigma)


# ---------------------------------------------------------------------------------------------
# Lemmas 5, 6, 8
# ---------------------------------------------------------------------------------------------
def lemma5_step(
    track_sq: float,
    dw_sq: float,
    p_sq: float,
    p_inf_sq: float,
    grad_sq: float,
    beta: float,
    L: float,
    tau: float,
    D: int,
    sigma: float,
) -> Bound:
    """Lemma 5 (C26), tracking, upper, arXiv v1 (102): ``E||P_{k+2} - C grad f(W_{k+1})||^2`` with
    ``C = tau sqrt(D)/sigma`` is at most ``(1 - beta sigma/(tau sqrt D)) track_sq
    + 4 L^2 tau^3 D^{3/2}/(beta sigma^3) dw_sq + 4 beta sigma/(tau sqrt D) p_sq
    + 4 beta sqrt(D)/(tau sigma) p_inf_sq grad_sq + 2 beta^2 sigma^2``.

    Setting: A1, A3; one (TT-P) step. Args: ``track_sq = ||P_{k+1} - C grad f(W_k)||^2``,
    ``dw_sq = ||W_{k+1} - W_k||^2``, ``p_sq = ||P_{k+1}||^2``, ``p_inf_sq = ||P_{k+1}||_inf^2``,
    ``grad_sq = ||grad f(W_k)||^2``. Conditions: the contraction factor is non-negative (implicit),
    and ``p_inf_sq <= p_sq <= D p_inf_sq`` (norm consistency).

    >>> lemma5_step(0, 0, 0, 0, 0, 0.1, 1.0, 1.0, 1, 1.0).value == 2 * 0.1**2    # only 2 beta^2 sigma^2
    True
    """
    L, tau, D, sigma = _constants(L, tau, D, sigma)
    beta = _pos("beta", beta)
    track_sq, dw_sq, p_sq = _nonneg("track_sq", track_sq), _nonneg("dw_sq", dw_sq), _nonneg("p_sq", p_sq)
    p_inf_sq, grad_sq = _nonneg("p_inf_sq", p_inf_sq), _nonneg("grad_sq", grad_sq)
    conditions = (
        Condition(
            "beta sigma/(tau sqrt D) <= 1",
            require_finite_value(
                "beta sigma/(tau sqrt D)", beta * sigma / (tau * math.sqrt(D)), beta=beta, sigma=sigma, tau=tau, D=D
            ),
            "<=",
            1.0,
            source="implicit in (102): non-negative contraction factor",
        ),
        Condition("||P||_inf^2 <= ||P||^2", p_inf_sq, "<=", p_sq, source="norm consistency"),
        Condition(
            "||P||^2 <= D ||P||_inf^2",
            p_sq,
            "<=",
            require_finite_value("D p_inf_sq", D * p_inf_sq, D=D, p_inf_sq=p_inf_sq),
            source="norm consistency",
        ),
    )
    value = _num(LEMMA5_RHS, track_sq, dw_sq, p_sq, p_inf_sq, grad_sq, beta, L, tau, D, sigma)
    return Bound(
        "Lemma 5 step (102)",
        "upper",
        value,
        conditions,
        source=LEMMA5_RHS.source,
        assumes=("A1: f is L-smooth", "A3: E eps = 0, E||eps||^2 <= sigma^2"),
    )


def lemma6_step(
    p_sq: float, grad_sq: float, dw_sq: float, beta: float, L: float, tau: float, D: int, sigma: float, c: float
) -> Bound:
    """Lemma 6 (C27), upper: ``E||P_{k+2}||^2 <= (1 - beta c sigma/(2 tau)) p_sq
    + 4 beta tau/(c sigma) grad_sq + 4 L^2 beta tau/(c sigma) dw_sq + 3 beta^2 sigma^2`` under (111).

    Setting: A1, A3, A5; one (TT-P) step. Args: ``p_sq = ||P_{k+1}||^2``,
    ``grad_sq = ||grad f(W_k)||^2``, ``dw_sq = ||W_{k+1} - W_k||^2``. Conditions: (111),
    ``c <= 1/sqrt(D)``, ``p_sq <= D tau^2`` (Theorem 1, used by the proof). Under them the right side
    is non-negative (``x - 1 <= 12 x^2`` with x = beta c sigma/(2 tau)).

    >>> lemma6_step(0, 0, 0, 0.1, 1.0, 1.0, 1, 1.0, 1.0).value == 3 * 0.1**2
    True
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    beta = _pos("beta", beta)
    p_sq, grad_sq, dw_sq = _nonneg("p_sq", p_sq), _nonneg("grad_sq", grad_sq), _nonneg("dw_sq", dw_sq)
    conditions = lemma6_conditions(beta, L, tau, sigma, c) + (
        a5_consistency(c, D),
        Condition(
            "||P_{k+1}||^2 <= D tau^2 (Theorem 1)",
            p_sq,
            "<=",
            require_finite_value("D tau^2", D * tau * tau, D=D, tau=tau),
            source="proof of Lemma 6",
        ),
    )
    value = _num(LEMMA6_RHS, p_sq, grad_sq, dw_sq, beta, L, tau, sigma, c)
    return Bound("Lemma 6 step", "upper", value, conditions, source=LEMMA6_RHS.source, assumes=_LEMMA7_ASSUMES[:3])


def _lemma8_conditions(gap, grad_sq, dw_sq, p_sq, alpha, L):
    return (
        Condition(
            "||grad f(W_k)||^2 <= 2 L (f(W_k) - f*) (A1, A2)",
            grad_sq,
            "<=",
            require_finite_value("2 L gap", 2 * L * gap, L=L, gap=gap),
            source="consequence of A1 and A2",
        ),
        Condition(
            "||W_{k+1} - W_k||^2 <= 4 alpha^2 ||P_{k+1}||^2 ((TT-W), ||W_k||_inf <= tau)",
            dw_sq,
            "<=",
            require_finite_value("4 alpha^2 p_sq", 4 * alpha * alpha * p_sq, alpha=alpha, p_sq=p_sq),
            source="consequence of (TT-W) and Theorem 1",
        ),
    )


def lemma8_step(
    gap: float,
    grad_sq: float,
    dw_sq: float,
    track_sq: float,
    p_sq: float,
    alpha: float,
    L: float,
    tau: float,
    D: int,
    sigma: float,
) -> Bound:
    """Lemma 8 (C28) as stated, upper, arXiv v1 (128), for ``f(W_{k+1}) - f*``:
    ``gap - (alpha tau sqrt D/(2 sigma)) grad_sq - (sigma/(2 alpha tau sqrt D) - L/2) dw_sq
    + (alpha sigma/(tau sqrt D)) track_sq + alpha p_sq``.

    Setting: A1, A4; one (TT-W) step. Args: ``gap = f(W_k) - f*``, ``grad_sq = ||grad f(W_k)||^2``,
    ``dw_sq = ||W_{k+1} - W_k||^2``, ``track_sq = ||P_{k+1} - (tau sqrt D/sigma) grad f(W_k)||^2``,
    ``p_sq = ||P_{k+1}||^2``. Conditions: input consistency (A1 + A2, (TT-W)) and a non-negative
    right side (f(W_{k+1}) - f* >= 0). FALSE when ``sigma ||W_k||_inf^2 > tau^3 sqrt(D)``: see
    :func:`lemma8_min_slack` and :func:`lemma8_step_derived`.

    >>> lemma8_step(1.0, 0, 0, 0, 0, 0.1, 1.0, 1.0, 1, 1.0).value    # nothing moves: f stays
    1.0
    """
    L, tau, D, sigma = _constants(L, tau, D, sigma)
    alpha = _pos("alpha", alpha)
    args = (
        _nonneg("gap", gap),
        _nonneg("grad_sq", grad_sq),
        _nonneg("dw_sq", dw_sq),
        _nonneg("track_sq", track_sq),
        _nonneg("p_sq", p_sq),
    )
    value = _num(LEMMA8_RHS, *args, alpha, L, tau, D, sigma)
    conditions = _lemma8_conditions(args[0], args[1], args[2], args[4], alpha, L) + (
        Condition("right side >= 0 (f(W_{k+1}) - f* >= 0)", value, ">=", 0.0, source="A2"),
    )
    return Bound(
        "Lemma 8 step (128) as stated",
        "upper",
        value,
        conditions,
        source=LEMMA8_RHS.source,
        assumes=("A1: f is L-smooth", "A4: ||W_k||_inf <= W_max < tau"),
    )


def lemma8_step_derived(
    gap: float,
    grad_sq: float,
    dw_sq: float,
    track_sq: float,
    p_sq: float,
    alpha: float,
    L: float,
    tau: float,
    D: int,
    sigma: float,
    w_inf: float,
) -> Bound:
    """Lemma 8 as derived here, upper, for ``f(W_{k+1}) - f*``: (128) with ``alpha p_sq`` replaced by
    ``(alpha sigma/(tau sqrt D)) (w_inf^2/tau^2) p_sq``, w_inf = ||W_k||_inf.

    Derivation: A1 gives ``f(W') <= f(W) + <grad, dW> + L/2 ||dW||^2``; with
    ``gamma = alpha tau sqrt(D)/sigma``, ``<grad, y> = ||gamma grad + y||^2/(2 gamma) - gamma/2 ||grad||^2
    - ||y||^2/(2 gamma)``, and ``gamma grad + dW = -alpha (u + v)``, ``u = P - C grad``,
    ``v = |P| (.) W/tau``, ``||u + v||^2 <= 2||u||^2 + 2||v||^2``, ``||v||^2 <= (w_inf^2/tau^2)||P||^2``.
    Tight: :func:`lemma8_min_slack` is 0 for the derived form.

    >>> d = lemma8_step_derived(1.0, 0, 0, 0, 1.0, 0.1, 1.0, 1.0, 1, 1.0, w_inf=1.0)
    >>> s = lemma8_step(1.0, 0, 0, 0, 1.0, 0.1, 1.0, 1.0, 1, 1.0)
    >>> d.value == s.value    # sigma w_inf^2 = tau^3 sqrt(D): the two coincide
    True
    """
    L, tau, D, sigma = _constants(L, tau, D, sigma)
    alpha = _pos("alpha", alpha)
    w_inf = _nonneg("w_inf", w_inf)
    _require_relation("w_inf", "w_inf <= tau", w_inf <= tau, w_inf=w_inf, tau=tau)
    args = (
        _nonneg("gap", gap),
        _nonneg("grad_sq", grad_sq),
        _nonneg("dw_sq", dw_sq),
        _nonneg("track_sq", track_sq),
        _nonneg("p_sq", p_sq),
    )
    value = _num(LEMMA8_RHS_DERIVED, *args, alpha, L, tau, D, sigma, w_inf)
    conditions = _lemma8_conditions(args[0], args[1], args[2], args[4], alpha, L) + (
        Condition("right side >= 0 (f(W_{k+1}) - f* >= 0)", value, ">=", 0.0, source="A2"),
    )
    return Bound(
        "Lemma 8 step (derived)",
        "upper",
        value,
        conditions,
        source=LEMMA8_RHS_DERIVED.source,
        assumes=("A1: f is L-smooth", "||W_k||_inf = w_inf <= tau"),
    )


def lemma8_min_slack(p: float, w: float, alpha: float, tau: float, D: int, sigma: float) -> float:
    """The smallest slack of (128) over the gradient, on ``f = L/2 ||W - W*||^2`` with equal coordinates
    (W = w 1, P = p 1): ``alpha D p^2 (1 - sigma w^2/(tau^3 sqrt D))``, equal (derived here);
    negative means (128) is violated there.

    >>> lemma8_min_slack(1.0, 1.0, 0.1, 1.0, 1, 1.0) == 0      # sigma w^2 = tau^3 sqrt(D): zero slack
    True
    """
    tau, D, sigma, alpha = _pos("tau", tau), require_int("D", D, low=1), _pos("sigma", sigma), _pos("alpha", alpha)
    p, w = require_real("p", p), require_real("w", w)
    _require_relation("w", "|w| <= tau", abs(w) <= tau, w=w, tau=tau)
    return _num(LEMMA8_MIN_SLACK, p, w, alpha, tau, D, sigma)


# ---------------------------------------------------------------------------------------------
# Theorem 3
# ---------------------------------------------------------------------------------------------
def saturation_ratio(L: float, tau: float, D: int, sigma: float, c: float) -> float:
    """``33 P_max^2/tau^2 = 1353 L^2 tau^2 D/(c^2 sigma^2)`` (Theorem 3's saturation measure).

    >>> saturation_ratio(1.0, 1.0, 1, 1353**0.5, 1.0)
    1.0
    """
    return _num(SATURATION_RATIO, *_constants_c(L, tau, D, sigma, c))


def _saturation_condition(L, tau, D, sigma, c) -> Condition:
    return Condition(
        "33 P_max^2/tau^2 < 1", saturation_ratio(L, tau, D, sigma, c), "<", 1.0, source="arXiv v1 Theorem 4 statement"
    )


def _descent_condition(L, tau, D, sigma, c) -> Condition:
    return Condition(
        "1 - 128/(c^2 D) - 32 P_max^2/tau^2 > 0",
        descent_coefficient(L, tau, D, sigma, c),
        ">",
        0.0,
        source="arXiv v1 (138)",
    )


def rate_factor(L: float, tau: float, D: int, sigma: float, c: float) -> Bound:
    """Theorem 3's amplification ``1/(1 - 33 P_max^2/tau^2)`` (equal), >= 1 under ``33 P_max^2/tau^2 < 1``.

    >>> rate_factor(1.0, 1.0, 1, 2 * 1353**0.5, 1.0).value     # ratio 1/4
    1.3333333333333333
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    condition = _saturation_condition(L, tau, D, sigma, c)
    value = _num(RATE_FACTOR, L, tau, D, sigma, c) if condition.holds else math.inf
    return Bound(
        "Theorem 3 rate factor 1/(1 - 33 P_max^2/tau^2)", "equal", value, (condition,), source=RATE_FACTOR.source
    )


def sigma_sq_threshold(L: float, tau: float, D: int, c: float) -> float:
    """``33 P_max^2/tau^2 < 1`` iff ``sigma^2 >`` this ``= 1353 L^2 tau^2 D/c^2`` (>= 1353 L^2 tau^2 D^2
    for every admissible c).

    >>> sigma_sq_threshold(1.0, 1.0, 1, 1.0)
    1353.0
    """
    return _num(SIGMA_SQ_THRESHOLD, _pos("L", L), _pos("tau", tau), require_int("D", D, low=1), _pos("c", c))


def descent_coefficient(L: float, tau: float, D: int, sigma: float, c: float) -> float:
    """The coefficient ``A = 1 - 128/(c^2 D) - 32 P_max^2/tau^2`` of (138); the proof needs A > 0,
    and A <= -127 whenever ``c <= 1/sqrt(D)`` (:func:`derive_descent_sign`).

    >>> descent_coefficient(1e-9, 1.0, 256, 1.0, 1.0) > 0       # only with an impossible c (c^2 D = 256)
    True
    """
    return _num(DESCENT_COEFFICIENT, *_constants_c(L, tau, D, sigma, c))


def noise_factor(D: int, c: float) -> float:
    """``B = 1 + 16/(c sqrt D)`` of (138) and (140); B >= 17 for every admissible c.

    >>> noise_factor(4, 0.5)
    17.0
    """
    return _num(NOISE_FACTOR, require_int("D", D, low=1), _pos("c", c))


def alpha_thresholds(L: float, tau: float, D: int, sigma: float, c: float) -> dict:
    """Each condition of (137), (111), (119) with the proof's beta, as an upper limit on alpha
    (name -> limit); all are positive (:func:`derive_alpha_thresholds`).

    >>> t = alpha_thresholds(1.0, 1.0, 4, 10.0, 0.5)
    >>> min(t.values()) == alpha_max(1.0, 1.0, 4, 10.0, 0.5)
    True
    """
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    return {
        "window alpha <= sigma/(6 L tau sqrt D)": _num(WINDOW_ALPHA_MAX, L, tau, D, sigma),
        "window beta_low <= beta_high": _num(ALPHA_MAX_WINDOW_NONEMPTY, L, tau, D, sigma, c),
        "(111) beta <= c tau/(2(4 L^2 tau^2 + sigma^2))": _num(ALPHA_MAX_LEMMA6_A, L, tau, D, sigma, c),
        "(111) beta <= 2/(3 c sigma)": _num(ALPHA_MAX_LEMMA6_B, L, tau, D, sigma, c),
        "(119) beta <= L^2 tau^3 D/(3 c sigma^3)": _num(ALPHA_MAX_LEMMA7_C, L, tau, D, sigma, c),
    }


def alpha_max(L: float, tau: float, D: int, sigma: float, c: float) -> float:
    """The largest alpha for which the proof's beta = 8 alpha L tau^2 D/sigma^2 meets (137), (111) and
    (119) together; every alpha in (0, alpha_max] does (all conditions are upper limits on alpha).

    >>> a = alpha_max(1.0, 1.0, 4, 10.0, 0.5)
    >>> all(cond.holds for cond in window_conditions(a, beta_proof(a, 1.0, 1.0, 4, 10.0), 1.0, 1.0, 4, 10.0, 0.5))
    True
    """
    return min(alpha_thresholds(L, tau, D, sigma, c).values())


def alpha_optimal(V0: float, K: int, L: float, tau: float, D: int, c: float) -> float:
    """The alpha minimising the telescoped (138): ``sqrt(V_0/(8 L tau^2 D B K))``, derived here.

    >>> alpha_optimal(8.0 * 17, 1, 1.0, 1.0, 1, 1.0)      # B = 17 at c sqrt(D) = 1
    1.0
    """
    return _num(
        ALPHA_OPTIMAL,
        _pos("V0", V0),
        require_int("K", K, low=1),
        _pos("L", L),
        _pos("tau", tau),
        require_int("D", D, low=1),
        _pos("c", c),
    )


def alpha_proof_139(V0: float, K: int, L: float, D: int, sigma: float, c: float) -> float:
    """(139) as printed with O(.) constant 1: ``alpha = sqrt(V_0/(sigma^2 L^2 D B K))``.

    >>> alpha_proof_139(17.0, 1, 1.0, 1, 1.0, 1.0)
    1.0
    """
    return _num(
        ALPHA_PROOF_139,
        _pos("V0", V0),
        require_int("K", K, low=1),
        _pos("L", L),
        require_int("D", D, low=1),
        _pos("sigma", sigma),
        _pos("c", c),
    )


def theorem3_rate_from_proof(
    K: int, V0: float, alpha: float, L: float, tau: float, D: int, sigma: float, c: float, beta: float | None = None
) -> Bound:
    """Theorem 3 (C23) as its proof gives it, upper: (138) telescoped,
    ``(1/K) sum_{k<K} E||grad f(W_k)||^2 <= 2 sigma V_0/(alpha tau sqrt(D) A K)
    + 16 alpha sigma L tau sqrt(D) B/A`` with A, B of (138).

    Setting: A1-A5, Tiki-Taka from P_0 = 0, V_0 the Lyapunov function (133) at k = 0 (>= f(W_0) - f*).
    ``beta`` defaults to the proof's 8 alpha L tau^2 D/sigma^2. Conditions: (137), (119),
    ``c <= 1/sqrt(D)`` and A > 0 (138), which no admissible (c, D) meets.

    >>> theorem3_rate_from_proof(100, 1.0, 1e-4, 1e-3, 1.0, 4, 10.0, 0.5).applicable
    False
    """
    K, V0 = require_int("K", K, low=1), _pos("V0", V0)
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    alpha = _pos("alpha", alpha)
    if beta is None:
        beta = _default_beta(
            "beta_proof(alpha, L, tau, D, sigma)",
            beta_proof(alpha, L, tau, D, sigma),
            alpha=alpha,
            L=L,
            tau=tau,
            D=D,
            sigma=sigma,
        )
    else:
        beta = _pos("beta", beta)
    descent = _descent_condition(L, tau, D, sigma, c)
    conditions = (
        window_conditions(alpha, beta, L, tau, D, sigma, c)
        + lemma7_conditions(beta, L, tau, D, sigma, c)
        + (a5_consistency(c, D), descent)
    )
    a, b = descent.lhs, noise_factor(D, c)
    if descent.holds:
        value = _num(RATE_FROM_DESCENT, alpha, V0, K, L, tau, D, sigma, c)
        inputs = {"K": K, "V0": V0, "alpha": alpha, "L": L, "tau": tau, "D": D, "sigma": sigma, "c": c}
        with np.errstate(all="ignore"):
            descent_term = 2 * np.float64(sigma) * V0 / (np.float64(alpha) * tau * math.sqrt(D) * a * K)
            noise_term = 16 * np.float64(alpha) * sigma * L * tau * math.sqrt(D) * b / a
        terms = {
            "A": a,
            "B": b,
            "descent": require_finite_value("the descent term of (138)", descent_term, **inputs),
            "noise": require_finite_value("the noise term of (138)", noise_term, **inputs),
        }
    else:
        value, terms = math.inf, {"A": a, "B": b}
    return Bound(
        "Theorem 3 rate from the proof (138)",
        "upper",
        value,
        conditions,
        source=RATE_FROM_DESCENT.source,
        assumes=("A1", "A2", "A3", "A4", "A5", "V_0 >= f(W_0) - f* is the Lyapunov function (133)"),
        terms=terms,
    )


def theorem3_rate_as_stated(
    K: int,
    f_gap: float,
    L: float,
    tau: float,
    D: int,
    sigma: float,
    c: float,
    alpha: float | None = None,
    beta: float | None = None,
) -> Bound:
    """Theorem 3 (C23) as stated, upper, arXiv v1 (14), with the proof's constant 8 sqrt(2):
    ``8 sqrt(2) sqrt((f(W_0) - f*) sigma^2 L/K) / (1 - 33 P_max^2/tau^2)``.

    Setting: A1-A5, Tiki-Taka from P_0 = 0. Conditions: ``33 P_max^2/tau^2 < 1`` (statement),
    ``c <= 1/sqrt(D)``, and the proof's descent condition (138) ``A > 0`` (never met by admissible
    inputs, :func:`derive_descent_sign`); with ``alpha`` given, also (137) and (119) at ``beta``
    (default the statement's 8 alpha L).

    >>> b = theorem3_rate_as_stated(100, 1.0, 1e-3, 1.0, 4, 10.0, 0.5)
    >>> b.applicable, [cond.statement for cond in b.failed]
    (False, ['1 - 128/(c^2 D) - 32 P_max^2/tau^2 > 0'])
    """
    K, f_gap = require_int("K", K, low=1), _pos("f_gap", f_gap)
    L, tau, D, sigma, c = _constants_c(L, tau, D, sigma, c)
    saturation = _saturation_condition(L, tau, D, sigma, c)
    conditions = (saturation, a5_consistency(c, D), _descent_condition(L, tau, D, sigma, c))
    if alpha is not None:
        alpha = _pos("alpha", alpha)
        if beta is None:
            beta = _default_beta("beta_statement(alpha, L) = 8 alpha L", beta_statement(alpha, L), alpha=alpha, L=L)
        else:
            beta = _pos("beta", beta)
        conditions += window_conditions(alpha, beta, L, tau, D, sigma, c) + lemma7_conditions(beta, L, tau, D, sigma, c)
    value = _num(RATE_AS_STATED, f_gap, K, L, tau, D, sigma, c) if saturation.holds else math.inf
    return Bound(
        "Theorem 3 rate (14) as stated",
        "upper",
        value,
        conditions,
        source=RATE_AS_STATED.source,
        assumes=("A1", "A2", "A3", "A4", "A5"),
        terms={"rate_factor": rate_factor(L, tau, D, sigma, c).value},
    )
