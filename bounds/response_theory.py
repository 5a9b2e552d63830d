r"""The 2025 paper's theorems with their constants and conditions (arXiv 2502.06309 v3, Wu, Xiao, Gokmen,
Fagbohungbe, Chen): Analog SGD (Theorem 2, (68)-(69), Remark 1 (71)), Analog GD (Theorem 6, (132)-(133)),
Residual Learning (Theorem 3, (85)-(90)), Corollary 1's mixing coefficient and Lemma 3's constant.

Setting (the paper's section 2). Each weight sits on an element with response functions ``q_+`` (up pulses) and
``q_-`` (down pulses); ``F = (q_- + q_+)/2`` and ``G = (q_- - q_+)/2`` (4), so the update (5) is
``W_{k+1} = W_k + dW (.) F(W_k) - |dW| (.) G(W_k)``, and Analog SGD (2) takes ``dW = -alpha grad f(W_k; xi_k)``.
``F_max`` bounds F from above (Lemma 2); the *saturation vector* ``R(W) = q_+(W) (.) q_-(W) = F^2 - G^2`` (61)
is bounded below by ``R_min > 0`` (Assumption 3). Assumptions 1-2: f is L-smooth, bounded below by f*, the
stochastic gradient unbiased with ``E||grad f(W; xi) - grad f(W)||^2 <= sigma^2``. Write ``Delta = f(W_0) - f*``.

What the paper states, as registered here (``*_AS_STATED``, the constants of its appendix):

* Theorem 2 (69): ``(1/K) sum E[||grad f (.) F + |grad f| (.) G||^2 + 4 ||grad f||^2_{R(W_k)}]
  <= 8 F_max Delta/(alpha K) + 8 alpha L F_max^3 sigma^2 + 8 F_max sigma^2 S^ASGD_K``, with the proof's step size
  ``alpha = (1/F_max) sqrt(Delta/(sigma^2 L K))`` giving ``16 F_max^2 sqrt(Delta sigma^2 L/K) + 8 F_max sigma^2
  S^ASGD_K``; ``S^ASGD_K = (1/K) sum_{k<K} ||G(W_k)/sqrt(F(W_k))||^2_inf``. The proof needs ``alpha <= 1/(4 L F_max)``
  (it prints the implied inequality as "1/(2 alpha) - L F_max <= 1/(4 alpha)"; it is ">=").
  Its one-step inequality (68), per coordinate of an L-smooth f (a sum over coordinates gives the vector form,
  since every sigma^2 term has a non-negative coefficient):
  ``E f(W_{k+1}) - f(W_k) <= -(alpha/(2 F_max)) g^2 (F^2 - G^2) + alpha^2 L F_max^2 s^2 + alpha s^2 G^2/F
  - (alpha/(8 F_max)) (g F + |g| G)^2`` with s^2 the coordinate's noise variance.
* Remark 1 (71): ``(1/K) sum ||grad f(W_k)||^2 <= (4 F_max^2/R_min) sqrt(Delta sigma^2 L/K) + 2 F_max sigma^2
  (1/K) sum_{k<K} ||G/sqrt F||^2_inf/min{R(W_k)}``; for the ALD (F = 1, G = W/tau, F_max = 1, R_min = 1 -
  W_max^2/tau^2) this is ``4 sqrt(...)/(1 - W_max^2/tau^2) + 2 sigma^2 S_K``, which the paper calls "exactly the
  result in [21]" although the 2024 paper's (65) has ``4 sigma^2 S_K`` (see :mod:`bounds.analog_sgd`).
* Theorem 6 (132): noiseless Analog GD, ``(1/K) sum_{k<K} (||grad f (.) F - |grad f| (.) G||^2 +
  ||grad f||^2_{R(W_k)}) <= 8 L Delta F_max^2/K`` (the proof's alpha = 1/(2 L F_max)); (133):
  ``(1/K) sum ||grad f(W_k)||^2 <= 2 L Delta F_max^2/(K R_min)`` (the proof's alpha = 1/(L F_max)). For the ALD
  (133) is the 2024 paper's Theorem 9 (53) exactly.
* Theorem 3 (85)-(90): with ``beta = alpha mu gamma^{3/2} sqrt(R_W R_P)/(16 sqrt(2) F_max^3)`` (85) (R_W a lower
  bound of min{R(W_k)}, R_P = R^RL_min of min{R(P_k)}), the Lyapunov constant ``C = 10 beta F_max^2/(alpha R_P
  gamma)`` (80), ``V_0 <= (1 + 2C/mu) Delta`` (89, with P_0 = 0) and ``alpha = (1/F_max) sqrt(V_0/(sigma^2 L K))``:
  ``E^RL_K <= 8 F_max (V_0/(alpha K) + 3 alpha L F_max^2 sigma^2) + 24 F_max sigma^2 S^RL_K
  = 32 F_max^2 sqrt(V_0 sigma^2 L/K) + 24 F_max sigma^2 S^RL_K`` (88), stated as O(F_max^2 sqrt(...)) in (90).
* Corollary 1: with Assumption 5 (G(0) = 0), ``gamma >= Omega(R_min^{-1/5})`` gives exact convergence; the
  exponent comes from (129), ``min{R(W_k)} gamma^3 >= 1/gamma^2``.
* Lemma 3 (30): ``|dW F - |dW| G - (dW' F - |dW'| G)| <= F_max |dW - dW'|`` per coordinate.

What the derivations here give (numbers in ``tests/test_response_theory.py`` and the R-claims):

1. Lemma 3's constant is wrong: the increment ``dW -> dW F - |dW| G`` is piecewise linear with slopes ``q_+``
   (dW >= 0) and ``q_-`` (dW < 0), so its Lipschitz constant is ``max{q_+, q_-} = F + |G|``, not F_max
   (:func:`lemma3_bound_derived`). The ALD at w = tau/2 has ``q_-`` = 1.5 > F_max = 1.
2. Theorem 6's metric (131) prints ``grad f (.) F - |grad f| (.) G``; the step of Analog GD is
   ``-alpha (grad f (.) F + |grad f| (.) G)``, and only with the plus sign does (132) follow. With it, (134)
   gives, for any ``alpha < 1/(L F_max)``, ``(1/K) sum (||grad f (.) F + |grad f| (.) G||^2 + ||grad f||^2_R)
   <= 2 F_max Delta/(alpha (1 - alpha L F_max) K)`` (:func:`theorem6_bound_derived`), which is (132) at
   alpha = 1/(2 L F_max); (133) follows from (139) for ``alpha <= 1/(L F_max)`` as ``2 F_max Delta/(alpha K R_min)``
   (:func:`theorem6_gradient_bound_derived`), equal to (133) at alpha = 1/(L F_max).

Inputs (the project's numeric policy, :mod:`bounds.validation`): every parameter is validated by name; a closed
form that leaves float64 at extreme inputs raises a ValueError naming them. A :class:`Bound` is infinite only where
a condition fails.

>>> b = theorem2_bound(f_gap=1.0, L=1.0, sigma=1.0, F_max=1.0, K=100, S_asgd=0.0)
>>> round(b.value, 12) == round(16 * (1.0 / 100) ** 0.5, 12), b.applicable
(True, True)
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .formula import register
from .validation import require_finite_value, require_int, require_real

__all__ = [
    # closed forms
    "F_MAX",
    "R_MIN",
    "R_W",
    "R_P",
    "GAMMA",
    "S_ASGD",
    "S_RATIO",
    "S_RL",
    "F_LOCAL",
    "G_LOCAL",
    "THEOREM2_STEP_SIZE",
    "THEOREM2_AS_STATED",
    "THEOREM2_STATEMENT_STEP",
    "THEOREM2_ONE_STEP",
    "REMARK1_AS_STATED",
    "REMARK1_FIRST_FORM",
    "THEOREM6_132",
    "THEOREM6_141",
    "THEOREM6_133",
    "THEOREM6_143",
    "THEOREM3_BETA",
    "THEOREM3_LYAPUNOV_C",
    "THEOREM3_V0",
    "THEOREM3_STEP_SIZE",
    "THEOREM3_RATE_88",
    "THEOREM3_AT_STEP",
    "COROLLARY1_GAMMA",
    "LEMMA3_AS_STATED",
    "LEMMA3_DERIVED",
    # functions
    "theorem2_step_size",
    "theorem2_bound",
    "theorem2_one_step",
    "remark1_bound",
    "theorem6_bound",
    "theorem6_bound_derived",
    "theorem6_gradient_bound",
    "theorem6_gradient_bound_derived",
    "theorem3_beta",
    "theorem3_bound",
    "corollary1_gamma_threshold",
    "lemma3_increment_difference",
    "lemma3_bound",
    "lemma3_bound_derived",
]

# ---------------------------------------------------------------------------------------------
# symbols of the 2025 paper (the shared ones come from bounds.symbols)
# ---------------------------------------------------------------------------------------------
F_MAX = sp.Symbol("F_max", positive=True)  #: Lemma 2: ||F(W)||_inf <= F_max
R_MIN = sp.Symbol("R_min", positive=True)  #: Assumption 3 / Remark 1: ``min{q_+(W_k) q_-(W_k)} >= R_min``
R_W = sp.Symbol("R_W", positive=True)  #: Theorem 3: a lower bound of min{R(W_k)} (the main array)
R_P = sp.Symbol("R_RL_min", positive=True)  #: Theorem 3: R^RL_min, a lower bound of min{R(P_k)} (residual array)
GAMMA = sp.Symbol("gamma", positive=True)  #: Residual Learning's mixing coefficient, W_bar = W + gamma P
S_ASGD = sp.Symbol("S_ASGD", nonnegative=True)  #: (1/K) sum_{k<K} ||G(W_k)/sqrt(F(W_k))||^2_inf
S_RATIO = sp.Symbol("S_ratio", nonnegative=True)  #: Remark 1: (1/K) sum_{k<K} ||G/sqrt F||^2_inf/min{R(W_k)}
S_RL = sp.Symbol("S_RL", nonnegative=True)  #: (1/K) sum_k ||G(P_k)/sqrt(F(P_k))||^2_inf
F_LOCAL = sp.Symbol("F", positive=True)  #: F at one coordinate of W_k
G_LOCAL = sp.Symbol("G", real=True)  #: G at one coordinate of W_k
_DW2 = sp.Symbol("Delta_w_prime", real=True)  #: Lemma 3's second update dW'

_D, _L, _sig, _K, _a = S.f_gap, S.L, S.sigma, S.K, S.alpha
_F, _R = F_MAX, R_MIN
_ROOT = sp.sqrt(_D * _sig**2 * _L / _K)

# ---------------------------------------------------------------------------------------------
# Theorem 2, (68)-(69), Remark 1 (71)
# ---------------------------------------------------------------------------------------------
_THEOREM_GRID = {_K: (1, 10, 100, 10_000)}

THEOREM2_STEP_SIZE = register(
    "response_theory.theorem2_step_size",
    sp.sqrt(_D / (_sig**2 * _L * _K)) / _F,
    (_D, _sig, _L, _K, _F),
    relation="definition",
    source="2502.06309 App. H, after (69): alpha = (1/F_max) sqrt((f(W_0) - f*)/(sigma^2 L K))",
    values=_THEOREM_GRID,
)
THEOREM2_AS_STATED = register(
    "response_theory.theorem2_as_stated",
    8 * _F * _D / (_a * _K) + 8 * _a * _L * _F**3 * _sig**2 + 8 * _F * _sig**2 * S_ASGD,
    (_D, _L, _sig, _F, _K, _a, S_ASGD),
    relation="upper",
    source="2502.06309 App. H (69), second line (any alpha <= 1/(4 L F_max))",
    values=_THEOREM_GRID,
)
THEOREM2_STATEMENT_STEP = register(
    "response_theory.theorem2_statement_step",
    16 * _F**2 * _ROOT + 8 * _F * _sig**2 * S_ASGD,
    (_D, _L, _sig, _F, _K, S_ASGD),
    relation="upper",
    source="2502.06309 App. H (69), last line (alpha = (1/F_max) sqrt(Delta/(sigma^2 L K)))",
    values=_THEOREM_GRID,
)
_g, _Fl, _Gl, _s = S.g, F_LOCAL, G_LOCAL, S.s
THEOREM2_ONE_STEP = register(
    "response_theory.theorem2_one_step",
    -_a / (2 * _F) * _g**2 * (_Fl**2 - _Gl**2)
    + _a**2 * _L * _F**2 * _s**2
    + _a * _s**2 * _Gl**2 / _Fl
    - _a / (8 * _F) * (_g * _Fl + sp.Abs(_g) * _Gl) ** 2,
    (_g, _Fl, _Gl, _s, _a, _L, _F),
    relation="upper",
    source="2502.06309 App. H (68), one coordinate: a bound on E f(W_{k+1}) - f(W_k)",
    # values where no two terms nearly cancel (the twin test compares relative errors)
    values={
        _g: (0.0, 0.5, 3.0),
        _Fl: (0.5, 1.0),
        _Gl: (-0.25, 0.0, 0.25),
        _s: (0.1, 2.0),
        _a: (0.01, 0.1),
        _L: (1.0, 10.0),
        _F: (1.0, 4.0),
    },
)
REMARK1_AS_STATED = register(
    "response_theory.remark1_as_stated",
    4 * _F**2 / _R * _ROOT + 2 * _F * _sig**2 * S_RATIO,
    (_D, _L, _sig, _F, _R, _K, S_RATIO),
    relation="upper",
    source="2502.06309 App. H Remark 1 (71); App. B (20)",
    values=_THEOREM_GRID,
)
REMARK1_FIRST_FORM = register(
    "response_theory.remark1_first_form",
    2 * _F * _D / (_a * _K * _R) + 2 * _a * _L * _F**3 * _sig**2 / _R + 2 * _F * _sig**2 * S_RATIO,
    (_D, _L, _sig, _F, _R, _K, _a, S_RATIO),
    relation="upper",
    source="2502.06309 (70) divided by alpha R_min/(2 F_max) and averaged (equals (71) at Theorem 2's alpha)",
    values=_THEOREM_GRID,
)

# ---------------------------------------------------------------------------------------------
# Theorem 6 (Analog GD), (132), (133), the proof's (141), (143)
# ---------------------------------------------------------------------------------------------
THEOREM6_132 = register(
    "response_theory.theorem6_132",
    8 * _L * _D * _F**2 / _K,
    (_D, _L, _F, _K),
    relation="upper",
    source="2502.06309 App. J Theorem 6 (132)",
    values=_THEOREM_GRID,
)
THEOREM6_141 = register(
    "response_theory.theorem6_141",
    2 * _F * _D / (_a * (1 - _a * _L * _F) * _K),
    (_D, _L, _F, _K, _a),
    relation="upper",
    source="2502.06309 App. J (141), first bound (alpha < 1/(L F_max)); the metric with the step's sign",
    domain=(_a * _L * _F < 1,),
    values={**_THEOREM_GRID, _a: (1e-3, 1e-2, 0.1, 0.5), _L: (1e-3, 0.1, 1.0), _F: (1e-3, 0.1, 1.0)},
)
THEOREM6_133 = register(
    "response_theory.theorem6_133",
    2 * _L * _D * _F**2 / (_K * _R),
    (_D, _L, _F, _R, _K),
    relation="upper",
    source="2502.06309 App. J Theorem 6 (133)",
    values=_THEOREM_GRID,
)
THEOREM6_143 = register(
    "response_theory.theorem6_143",
    2 * _F * _D / (_a * _K * _R),
    (_D, _F, _R, _K, _a),
    relation="upper",
    source="2502.06309 App. J (143), first bound (alpha <= 1/(L F_max))",
    values=_THEOREM_GRID,
)

# ---------------------------------------------------------------------------------------------
# Theorem 3 (Residual Learning), (80), (85), (88)-(90); Corollary 1 (129)
# ---------------------------------------------------------------------------------------------
_mu, _gam = S.mu, GAMMA
_BETA_OVER_ALPHA = _mu * _gam ** sp.Rational(3, 2) * sp.sqrt(R_W * R_P) / (16 * sp.sqrt(2) * _F**3)
THEOREM3_BETA = register(
    "response_theory.theorem3_beta",
    _a * _BETA_OVER_ALPHA,
    (_a, _mu, _gam, _F, R_W, R_P),
    relation="definition",
    source="2502.06309 App. I (85): beta = alpha mu gamma^{3/2} sqrt(min{R(W_k)} R^RL_min)/(16 sqrt(2) F_max^3)",
)
THEOREM3_LYAPUNOV_C = register(
    "response_theory.theorem3_lyapunov_c",
    sp.simplify(10 * _BETA_OVER_ALPHA * _F**2 / (R_P * _gam)),
    (_mu, _gam, _F, R_W, R_P),
    relation="definition",
    source="2502.06309 App. I (80): C = 10 beta F_max^2/(alpha R^RL_min gamma), with beta of (85)",
)
_C = THEOREM3_LYAPUNOV_C.expr
THEOREM3_V0 = register(
    "response_theory.theorem3_v0",
    (1 + 2 * _C / _mu) * _D,
    (_D, _mu, _gam, _F, R_W, R_P),
    relation="upper",
    source="2502.06309 App. I (89): V_0 <= (1 + 2C/mu)(f(W_0) - f*) (with P_0 = 0)",
)
_V0 = S.tt_V0
THEOREM3_STEP_SIZE = register(
    "response_theory.theorem3_step_size",
    sp.sqrt(_V0 / (_sig**2 * _L * _K)) / _F,
    (_V0, _sig, _L, _K, _F),
    relation="definition",
    source="2502.06309 App. I before (88): alpha = O((1/F_max) sqrt(V_0/(sigma^2 L K))), constant 1",
    values=_THEOREM_GRID,
)
THEOREM3_RATE_88 = register(
    "response_theory.theorem3_rate_88",
    8 * _F * (_V0 / (_a * _K) + 3 * _a * _L * _F**2 * _sig**2) + 24 * _F * _sig**2 * S_RL,
    (_V0, _L, _sig, _F, _K, _a, S_RL),
    relation="upper",
    source="2502.06309 App. I (88), second line",
    values=_THEOREM_GRID,
)
THEOREM3_AT_STEP = register(
    "response_theory.theorem3_at_step",
    32 * _F**2 * sp.sqrt(_V0 * _sig**2 * _L / _K) + 24 * _F * _sig**2 * S_RL,
    (_V0, _L, _sig, _F, _K, S_RL),
    relation="upper",
    source="2502.06309 App. I (88) at alpha = (1/F_max) sqrt(V_0/(sigma^2 L K)) (the O(.) of (88), (90) is 32)",
    values=_THEOREM_GRID,
)
COROLLARY1_GAMMA = register(
    "response_theory.corollary1_gamma",
    _R ** sp.Rational(-1, 5),
    (_R,),
    relation="definition",
    source="2502.06309 Corollary 1 and (129): gamma >= R_min^{-1/5} (min{R(W_k)} gamma^3 >= 1/gamma^2)",
)

# ---------------------------------------------------------------------------------------------
# Lemma 3 (30): as stated and derived
# ---------------------------------------------------------------------------------------------
LEMMA3_AS_STATED = register(
    "response_theory.lemma3_as_stated",
    _F * sp.Abs(S.dw - _DW2),
    (_F, S.dw, _DW2),
    relation="upper",
    source="2502.06309 App. E Lemma 3 (30), one coordinate, S = 1",
)
LEMMA3_DERIVED = register(
    "response_theory.lemma3_derived",
    (_Fl + sp.Abs(_Gl)) * sp.Abs(S.dw - _DW2),
    (_Fl, _Gl, S.dw, _DW2),
    relation="upper",
    source="derived here: slopes q_+ = F - G (dW >= 0) and q_- = F + G (dW < 0); max{q_+, q_-} = F + |G|",
)

# ---------------------------------------------------------------------------------------------
# evaluation helpers
# ---------------------------------------------------------------------------------------------
#: public parameter names of the formula symbols (error messages use the public names)
_NAMES = {
    "Delta_f": "f_gap",
    "F_max": "F_max",
    "R_min": "R_min",
    "R_W": "R_min_W",
    "R_RL_min": "R_min_P",
    "S_ASGD": "S_asgd",
    "S_ratio": "S_ratio",
    "S_RL": "S_rl",
    "s": "sigma",
    "g": "grad",
    "Delta_w": "dw",
    "Delta_w_prime": "dw_prime",
    "V_0": "V0",
}
_TINY = float(np.finfo(np.float64).tiny)
_A1 = "Assumption 1: f is L-smooth and bounded below by f*"
_A2 = "Assumption 2: E grad f(W; xi) = grad f(W), E||grad f(W; xi) - grad f(W)||^2 <= sigma^2"
_A3 = "Assumption 3: min{q_+(W_k) q_-(W_k)} >= R_min > 0 for every k"
_LEMMA2 = "Lemma 2: ||F(W_k)||_inf <= F_max for every k"


def _evaluate(formula, *args) -> float:
    names = [_NAMES.get(str(sym), str(sym)) for sym in formula.params]
    return formula.value(*args, inputs=dict(zip(names, args)))


def _finite(what: str, value, **inputs) -> float:
    """A float64 intermediate (a condition's side): finite, else a ValueError naming ``inputs``."""
    return require_finite_value(what, value, **inputs)


def _quotient(what: str, num: float, den: float, **inputs) -> float:
    """``num/den`` in float64 (a zero ``den`` from an underflow gives inf, refused naming ``inputs``)."""
    with np.errstate(all="ignore"):
        value = np.float64(num) / np.float64(den)
    return _finite(what, value, **inputs)


def _positive(name: str, value) -> float:
    return require_real(name, value, low=0.0, low_open=True)


def _nonneg(name: str, value) -> float:
    return require_real(name, value, low=0.0)


def _step_condition(alpha: float, L: float, F_max: float, factor: float, source: str) -> Condition:
    limit = _quotient(f"1/({factor:g} L F_max)", 1.0, factor * L * F_max, L=L, F_max=F_max)
    return Condition(f"alpha <= 1/({factor:g} L F_max)", alpha, "<=", limit, source=source)


def _step_or_rule(alpha, rule, what: str, **inputs) -> tuple[float, bool]:
    """``(alpha, is_rule)``: the given step size, or the paper's rule (refusing an underflowing one)."""
    if alpha is not None:
        return _positive("alpha", alpha), False
    value = _evaluate(rule, *inputs.values())
    if value < _TINY:
        shown = ", ".join(f"{k}={v!r}" for k, v in inputs.items())
        raise ValueError(f"{', '.join(inputs)} give {what} = {value!r}, below float64's normal range, at {shown}")
    return value, True


# ---------------------------------------------------------------------------------------------
# Theorem 2 and Remark 1
# ---------------------------------------------------------------------------------------------


def theorem2_step_size(f_gap: float, L: float, sigma: float, F_max: float, K: int) -> float:
    """Theorem 2's step size ``alpha = (1/F_max) sqrt(Delta/(sigma^2 L K))`` (App. H, after (69)).

    Identity: ``(alpha F_max)^2 sigma^2 L K = Delta``. The proof needs ``alpha <= 1/(4 L F_max)``, i.e.
    ``K >= 16 Delta L/sigma^2``.

    Args: f_gap > 0, L > 0, sigma > 0, F_max > 0, K >= 1.

    >>> theorem2_step_size(2.0, 1.0, 1.0, 2.0, 8)      # sqrt(2/8)/2
    0.25
    """
    f_gap, L, sigma, F_max = (
        _positive(n, v) for n, v in (("f_gap", f_gap), ("L", L), ("sigma", sigma), ("F_max", F_max))
    )
    K = require_int("K", K, low=1)
    return _evaluate(THEOREM2_STEP_SIZE, f_gap, sigma, L, K, F_max)


def theorem2_bound(
    f_gap: float, L: float, sigma: float, F_max: float, K: int, S_asgd: float, alpha: float | None = None
) -> Bound:
    r"""Theorem 2 (Analog SGD, general response) with the appendix's constants, (69), as stated.

    Setting: Assumptions 1-3, Lemma 2 (F <= F_max). Algorithm: Analog SGD (2), K steps from W_0. Claim (upper,
    (69))::

        (1/K) sum_k E[||grad f (.) F + |grad f| (.) G||^2 + 4 ||grad f||^2_{R(W_k)}]
            <= 8 F_max Delta/(alpha K) + 8 alpha L F_max^3 sigma^2 + 8 F_max sigma^2 S^ASGD_K

    and, at ``alpha = (1/F_max) sqrt(Delta/(sigma^2 L K))``, ``16 F_max^2 sqrt(Delta sigma^2 L/K) + 8 F_max sigma^2
    S^ASGD_K``. Condition: ``alpha <= 1/(4 L F_max)`` (the proof, before (68)). The main text's metric
    ``(1/K) sum ||grad f||^2`` is at most this bound over ``4 R_min`` (Assumption 3).

    Args:
        f_gap: f(W_0) - f* (> 0 when alpha is None, else >= 0).
        L, F_max: > 0.
        sigma: > 0 when alpha is None, else >= 0.
        K: >= 1.
        S_asgd: the amplification factor S^ASGD_K >= 0.
        alpha: step size > 0; None: the proof's rule :func:`theorem2_step_size`.

    Terms: ``rate`` and ``asymptotic`` (``8 F_max sigma^2 S^ASGD_K``), ``alpha``.

    >>> theorem2_bound(1.0, 1.0, 1.0, F_max=1.0, K=16, S_asgd=0.0, alpha=0.25).value   # 8/(0.25*16) + 8*0.25
    4.0
    """
    L, F_max = _positive("L", L), _positive("F_max", F_max)
    K = require_int("K", K, low=1)
    S_asgd = _nonneg("S_asgd", S_asgd)
    if alpha is None:
        f_gap, sigma = _positive("f_gap", f_gap), _positive("sigma", sigma)
    else:
        f_gap, sigma = _nonneg("f_gap", f_gap), _nonneg("sigma", sigma)
    alpha, rule = _step_or_rule(
        alpha, THEOREM2_STEP_SIZE, "the step size", f_gap=f_gap, sigma=sigma, L=L, K=K, F_max=F_max
    )
    if rule:
        value = _evaluate(THEOREM2_STATEMENT_STEP, f_gap, L, sigma, F_max, K, S_asgd)
    else:
        value = _evaluate(THEOREM2_AS_STATED, f_gap, L, sigma, F_max, K, alpha, S_asgd)
    asymptotic = _finite(
        "8 F_max sigma^2 S_asgd", 8 * F_max * sigma * sigma * S_asgd, F_max=F_max, sigma=sigma, S_asgd=S_asgd
    )
    return Bound(
        "Theorem 2 (2502.06309), (69) as stated",
        "upper",
        value,
        (_step_condition(alpha, L, F_max, 4, "2502.06309 App. H, before (68)"),),
        source=(THEOREM2_STATEMENT_STEP if rule else THEOREM2_AS_STATED).source,
        assumes=(_A1, _A2, _A3, _LEMMA2),
        terms={"rate": max(value - asymptotic, 0.0), "asymptotic": asymptotic, "alpha": alpha},
    )


def theorem2_one_step(grad: float, F: float, G: float, sigma: float, alpha: float, L: float, F_max: float) -> float:
    r"""Theorem 2's one-step inequality (68), one coordinate: the bound on ``E f(W_{k+1}) - f(W_k)`` (a float: the
    bound is on a difference, negative where the step descends).

    Setting: one coordinate of an L-smooth f (the smoothness inequality (57) splits into coordinates), gradient
    coordinate ``grad``, response parts ``F = F(w) > 0`` and ``G = G(w)`` at the coordinate's weight, noise of
    variance ``sigma^2`` on it. Algorithm: one Analog SGD step. Claim (upper, (68))::

        -(alpha/(2 F_max)) grad^2 (F^2 - G^2) + alpha^2 L F_max^2 sigma^2 + alpha sigma^2 G^2/F
            - (alpha/(8 F_max)) (grad F + |grad| G)^2

    under ``alpha <= 1/(4 L F_max)`` (before (68)), ``F <= F_max`` (Lemma 2) and ``|G| <= F`` (Assumption 3:
    ``q_+`` ``q_-`` = F^2 - G^2 >= 0); these are not checked here (the R17 check keeps its grid inside them).

    >>> round(theorem2_one_step(0.0, 1.0, 0.0, 1.0, 0.1, 1.0, 1.0), 15)   # only alpha^2 L F_max^2 sigma^2
    0.01
    """
    grad = require_real("grad", grad)
    F, F_max = _positive("F", F), _positive("F_max", F_max)
    G = require_real("G", G)
    sigma, alpha, L = _nonneg("sigma", sigma), _positive("alpha", alpha), _positive("L", L)
    return _evaluate(THEOREM2_ONE_STEP, grad, F, G, sigma, alpha, L, F_max)


def remark1_bound(
    f_gap: float,
    L: float,
    sigma: float,
    F_max: float,
    R_min: float,
    K: int,
    S_ratio: float,
    alpha: float | None = None,
) -> Bound:
    r"""Remark 1 (71): Theorem 2 without saturation, on the main text's metric, as stated.

    Setting: Assumptions 1-3 with ``min{R(W_k)} >= R_min > 0`` for every k, Lemma 2. Algorithm: Analog SGD.
    Claim (upper, (71))::

        (1/K) sum_k E||grad f(W_k)||^2 <= (4 F_max^2/R_min) sqrt(Delta sigma^2 L/K) + 2 F_max sigma^2 S_ratio

    with ``S_ratio = (1/K) sum_{k<K} ||G(W_k)/sqrt(F(W_k))||^2_inf / min{R(W_k)}``; with ``alpha`` given, the
    first form ``2 F_max Delta/(alpha K R_min) + 2 alpha L F_max^3 sigma^2/R_min + 2 F_max sigma^2 S_ratio``. For the
    ALD (F_max = 1, R_min = 1 - W_max^2/tau^2) the rate part is the 2024 paper's (65) and the asymptotic part is
    ``2 sigma^2 S_K`` (the 2024 paper: ``4 sigma^2 S_K``). Condition: ``alpha <= 1/(4 L F_max)``. The per-step
    division by min{R(W_k)} is the paper's; (70) only justifies the uniform R_min before telescoping.

    Args: as :func:`theorem2_bound`, with ``R_min`` > 0 and ``S_ratio`` >= 0.

    >>> remark1_bound(1.0, 1.0, 1.0, F_max=1.0, R_min=0.5, K=100, S_ratio=0.0).value   # 4/0.5 * 0.1
    0.8
    """
    L, F_max, R_min = _positive("L", L), _positive("F_max", F_max), _positive("R_min", R_min)
    K = require_int("K", K, low=1)
    S_ratio = _nonneg("S_ratio", S_ratio)
    if alpha is None:
        f_gap, sigma = _positive("f_gap", f_gap), _positive("sigma", sigma)
    else:
        f_gap, sigma = _nonneg("f_gap", f_gap), _nonneg("sigma", sigma)
    alpha, rule = _step_or_rule(
        alpha, THEOREM2_STEP_SIZE, "the step size", f_gap=f_gap, sigma=sigma, L=L, K=K, F_max=F_max
    )
    if rule:
        value = _evaluate(REMARK1_AS_STATED, f_gap, L, sigma, F_max, R_min, K, S_ratio)
    else:
        value = _evaluate(REMARK1_FIRST_FORM, f_gap, L, sigma, F_max, R_min, K, alpha, S_ratio)
    asymptotic = _finite(
        "2 F_max sigma^2 S_ratio", 2 * F_max * sigma * sigma * S_ratio, F_max=F_max, sigma=sigma, S_ratio=S_ratio
    )
    return Bound(
        "Remark 1 (2502.06309), (71) as stated",
        "upper",
        value,
        (_step_condition(alpha, L, F_max, 4, "2502.06309 App. H, before (68)"),),
        source=REMARK1_AS_STATED.source,
        assumes=(_A1, _A2, _A3, _LEMMA2),
        terms={"rate": max(value - asymptotic, 0.0), "asymptotic": asymptotic, "alpha": alpha},
    )


# ---------------------------------------------------------------------------------------------
# Theorem 6 (Analog GD)
# ---------------------------------------------------------------------------------------------
_ASSUMES_GD = ("Assumption 1: f is L-smooth and bounded below by f*", "exact gradients", _LEMMA2)


def _gd_inputs(f_gap, L, F_max, K):
    return _nonneg("f_gap", f_gap), _positive("L", L), _positive("F_max", F_max), require_int("K", K, low=1)


def theorem6_bound(f_gap: float, L: float, F_max: float, K: int) -> Bound:
    r"""Theorem 6 (132), Analog GD, as stated: ``E^AGD_K <= 8 L Delta F_max^2/K``.

    Setting: Assumption 1, exact gradients, Lemma 2. Algorithm: Analog GD, ``W_{k+1} = W_k - alpha grad f (.) F
    - alpha |grad f| (.) G`` with the proof's ``alpha = 1/(2 L F_max)``. Claim (upper, (132)) on the metric (131),
    ``(1/K) sum_{k<K} (||grad f (.) F - |grad f| (.) G||^2 + ||grad f||^2_{R(W_k)})``. The proof bounds the step
    ``||W_{k+1} - W_k||^2 = alpha^2 ||grad f (.) F + |grad f| (.) G||^2``: with the metric's minus sign (131)
    does not follow (see :func:`theorem6_bound_derived`).

    >>> theorem6_bound(1.0, 2.0, F_max=1.0, K=4).value
    4.0
    """
    f_gap, L, F_max, K = _gd_inputs(f_gap, L, F_max, K)
    value = _evaluate(THEOREM6_132, f_gap, L, F_max, K)
    return Bound(
        "Theorem 6 (2502.06309), (132) as stated",
        "upper",
        value,
        (),
        source=THEOREM6_132.source,
        assumes=_ASSUMES_GD + ("alpha = 1/(2 L F_max) (the proof, (141))",),
        terms={"rate": value, "asymptotic": 0.0},
    )


def theorem6_bound_derived(f_gap: float, L: float, F_max: float, K: int, alpha: float) -> Bound:
    r"""Theorem 6's (132) as the proof (134)-(141) gives it, for any ``alpha < 1/(L F_max)``.

    Setting and algorithm as :func:`theorem6_bound`. Claim (upper, derived here from (134), (137), (139))::

        (1/K) sum_{k<K} (||grad f (.) F + |grad f| (.) G||^2 + ||grad f||^2_{R(W_k)})
            <= 2 F_max Delta/(alpha (1 - alpha L F_max) K)

    with the plus sign of the actual step; at alpha = 1/(2 L F_max) it is (132). Condition: ``alpha < 1/(L F_max)``.

    >>> theorem6_bound_derived(1.0, 2.0, 1.0, K=4, alpha=0.25).value == theorem6_bound(1.0, 2.0, 1.0, K=4).value
    True
    """
    f_gap, L, F_max, K = _gd_inputs(f_gap, L, F_max, K)
    alpha = _positive("alpha", alpha)
    limit = _quotient("1/(L F_max)", 1.0, L * F_max, L=L, F_max=F_max)
    condition = Condition("alpha < 1/(L F_max)", alpha, "<", limit, source="derived: (140)'s coefficient > 0")
    if condition.holds and not alpha * L * F_max < 1.0:
        raise ValueError(f"alpha, L and F_max put alpha L F_max on its limit 1 in float64, at alpha={alpha!r}, L={L!r}")
    value = _evaluate(THEOREM6_141, f_gap, L, F_max, K, alpha) if condition.holds else math.inf
    return Bound(
        "Theorem 6 (2502.06309), (141) derived",
        "upper",
        value,
        (condition,),
        source=THEOREM6_141.source,
        assumes=_ASSUMES_GD,
        terms={"rate": value, "asymptotic": 0.0},
    )


def theorem6_gradient_bound(f_gap: float, L: float, F_max: float, R_min: float, K: int) -> Bound:
    r"""Theorem 6 (133), as stated: ``(1/K) sum_{k<K} ||grad f(W_k)||^2 <= 2 L Delta F_max^2/(K R_min)``.

    Setting: as :func:`theorem6_bound`, with ``min_k min{q_+(W_k) q_-(W_k)} >= R_min > 0``. Algorithm: Analog GD
    with the proof's ``alpha = 1/(L F_max)``. For the ALD (F_max = 1, R_min = 1 - W_max^2/tau^2) this is the 2024
    paper's Theorem 9 (53), :func:`bounds.analog_sgd.theorem9_bound_as_stated`, exactly.

    >>> theorem6_gradient_bound(1.0, 1.0, F_max=1.0, R_min=0.75, K=2).value    # 2/(2*0.75)
    1.3333333333333333
    """
    f_gap, L, F_max, K = _gd_inputs(f_gap, L, F_max, K)
    R_min = _positive("R_min", R_min)
    value = _evaluate(THEOREM6_133, f_gap, L, F_max, R_min, K)
    return Bound(
        "Theorem 6 (2502.06309), (133) as stated",
        "upper",
        value,
        (),
        source=THEOREM6_133.source,
        assumes=_ASSUMES_GD + ("min_k min{q_+(W_k) q_-(W_k)} >= R_min", "alpha = 1/(L F_max) (the proof, (143))"),
        terms={"rate": value, "asymptotic": 0.0},
    )


def theorem6_gradient_bound_derived(f_gap: float, L: float, F_max: float, R_min: float, K: int, alpha: float) -> Bound:
    r"""Theorem 6's (133) as the proof gives it: ``2 F_max Delta/(alpha K R_min)`` for ``alpha <= 1/(L F_max)``
    ((139) with (140)'s coefficient >= 0; equal to (133) at alpha = 1/(L F_max)).

    >>> d = theorem6_gradient_bound_derived(1.0, 1.0, 1.0, 0.75, K=2, alpha=1.0).value
    >>> d == theorem6_gradient_bound(1.0, 1.0, 1.0, 0.75, K=2).value
    True
    """
    f_gap, L, F_max, K = _gd_inputs(f_gap, L, F_max, K)
    R_min, alpha = _positive("R_min", R_min), _positive("alpha", alpha)
    limit = _quotient("1/(L F_max)", 1.0, L * F_max, L=L, F_max=F_max)
    condition = Condition("alpha <= 1/(L F_max)", alpha, "<=", limit, source="derived: (140)'s coefficient >= 0")
    value = _evaluate(THEOREM6_143, f_gap, F_max, R_min, K, alpha)
    return Bound(
        "Theorem 6 (2502.06309), (143) derived",
        "upper",
        value,
        (condition,),
        source=THEOREM6_143.source,
        assumes=_ASSUMES_GD + ("min_k min{q_+(W_k) q_-(W_k)} >= R_min",),
        terms={"rate": value, "asymptotic": 0.0},
    )


# ---------------------------------------------------------------------------------------------
# Theorem 3 (Residual Learning) and Corollary 1
# ---------------------------------------------------------------------------------------------


def theorem3_beta(alpha: float, mu: float, gamma: float, F_max: float, R_min_W: float, R_min_P: float) -> float:
    """Theorem 3's transfer rate (85): ``beta = alpha mu gamma^{3/2} sqrt(R_W R_P)/(16 sqrt(2) F_max^3)``.

    ``R_min_W`` bounds min{R(W_k)} from below (the paper uses min{R(W_k)} itself, which depends on k), ``R_min_P``
    is R^RL_min. The main text's ``beta = O(alpha gamma^{3/2})``.

    Args: all > 0.

    >>> round(theorem3_beta(1.0, 1.0, 1.0, 1.0, 1.0, 1.0) * 16 * 2**0.5, 12)
    1.0
    """
    values = dict(alpha=alpha, mu=mu, gamma=gamma, F_max=F_max, R_min_W=R_min_W, R_min_P=R_min_P)
    args = [_positive(name, v) for name, v in values.items()]
    return _evaluate(THEOREM3_BETA, *args)


def theorem3_bound(
    f_gap: float,
    L: float,
    sigma: float,
    mu: float,
    gamma: float,
    F_max: float,
    R_min_W: float,
    R_min_P: float,
    K: int,
    S_rl: float,
) -> Bound:
    r"""Theorem 3 (Residual Learning) with the appendix's constants, (85)-(90).

    Setting: Assumptions 1-4 (mu-strongly convex f), Lemma 2, ``min{R(W_k)} >= R_min_W``, ``min{R(P_k)} >=
    R_min_P`` (R^RL_min), P_0 = 0. Algorithm: Residual Learning (10)-(11) with ``beta`` of (85)
    (:func:`theorem3_beta`) and ``alpha = (1/F_max) sqrt(V_0/(sigma^2 L K))``, ``V_0 = (1 + 2C/mu) Delta`` (89),
    ``C = 10 beta F_max^2/(alpha R_min_P gamma)`` (80). Claim (upper, (88)-(90)) on the metric (87)::

        E^RL_K <= 32 F_max^2 sqrt(V_0 sigma^2 L/K) + 24 F_max sigma^2 S^RL_K.

    Conditions (the proof's): ``F_max/(alpha gamma R_min_P) >= 1`` ((77)(a)), ``2 gamma R_min_W <= F_max^4``
    ((82)(a)), ``alpha <= 1/(4 L F_max)`` (Lemma 5) and ``beta <= gamma/(2 F_max)`` (Lemma 6); and the ones the
    derivation here finds the steps need: ``alpha <= 1/(8 L F_max)`` (Lemma 5's (100)), ``beta <= gamma/(4 F_max)``
    (Lemma 6's (110)) and ``R_min_P > 1/2`` (the coefficient of ||P_k - P*(W_k)||^2 in (84) is
    ``alpha mu^2 gamma^2 (2 R_min_P - 1)/(16 F_max)``). Several constants of the chain are inconsistent (the R-claims
    R29-R41), so the bound is the paper's, not a derived one.

    Terms: ``rate``, ``asymptotic`` (``24 F_max sigma^2 S^RL_K``), ``V0``, ``alpha``, ``beta``.

    >>> b = theorem3_bound(1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1.0, 0.9, K=10**6, S_rl=0.0)
    >>> round(b.terms["V0"], 6) > 1.0
    True
    """
    values = dict(f_gap=f_gap, L=L, sigma=sigma, mu=mu, gamma=gamma, F_max=F_max, R_min_W=R_min_W, R_min_P=R_min_P)
    f_gap, L, sigma, mu, gamma, F_max, R_min_W, R_min_P = (_positive(n, v) for n, v in values.items())
    K = require_int("K", K, low=1)
    S_rl = _nonneg("S_rl", S_rl)
    V0 = _evaluate(THEOREM3_V0, f_gap, mu, gamma, F_max, R_min_W, R_min_P)
    alpha, _ = _step_or_rule(None, THEOREM3_STEP_SIZE, "the step size", V0=V0, sigma=sigma, L=L, K=K, F_max=F_max)
    beta = theorem3_beta(alpha, mu, gamma, F_max, R_min_W, R_min_P)
    value = _evaluate(THEOREM3_AT_STEP, V0, L, sigma, F_max, K, S_rl)
    asymptotic = _finite(
        "24 F_max sigma^2 S_rl", 24 * F_max * sigma * sigma * S_rl, F_max=F_max, sigma=sigma, S_rl=S_rl
    )
    inputs = dict(alpha=alpha, gamma=gamma, R_min_P=R_min_P)
    ratio = _quotient("F_max/(alpha gamma R_min_P)", F_max, alpha * gamma * R_min_P, F_max=F_max, **inputs)
    with np.errstate(all="ignore"):
        f4 = _finite("F_max^4", np.float64(F_max) ** 4, F_max=F_max)
    side = _finite("2 gamma R_min_W", 2 * gamma * R_min_W, gamma=gamma, R_min_W=R_min_W)
    over = _quotient("gamma/F_max", gamma, F_max, gamma=gamma, F_max=F_max)
    conditions = (
        Condition("F_max/(alpha gamma R^RL_min) >= 1", ratio, ">=", 1.0, source="2502.06309 (77)(a)"),
        Condition("2 gamma min{R(W_k)} <= F_max^4", side, "<=", f4, source="2502.06309 (82)(a)"),
        _step_condition(alpha, L, F_max, 4, "2502.06309 Lemma 5 proof, (102)"),
        Condition("beta <= gamma/(2 F_max)", beta, "<=", over / 2, source="2502.06309 Lemma 6 proof, (111)"),
        _step_condition(alpha, L, F_max, 8, "derived: (100) -> (102) needs it"),
        Condition("beta <= gamma/(4 F_max)", beta, "<=", over / 4, source="derived: (110) -> (111) needs it"),
        Condition("R^RL_min > 1/2", R_min_P, ">", 0.5, source="derived: (84)'s coefficient with beta of (85)"),
    )
    return Bound(
        "Theorem 3 (2502.06309), (88)-(90) with the appendix's constants",
        "upper",
        value,
        conditions,
        source=THEOREM3_AT_STEP.source,
        assumes=(_A1, _A2, "Assumption 4: f is mu-strongly convex", _LEMMA2, "P_0 = 0"),
        terms={"rate": max(value - asymptotic, 0.0), "asymptotic": asymptotic, "V0": V0, "alpha": alpha, "beta": beta},
    )


def corollary1_gamma_threshold(R_min: float) -> float:
    """Corollary 1's mixing-coefficient threshold ``R_min^{-1/5}`` ((129): ``R_min gamma^3 >= 1/gamma^2``).

    The corollary states ``gamma >= Omega(R_min^{-1/5})``; the constant hidden in Omega (which the proof needs to
    depend on sigma^2, L_S, mu, F_max and R^RL_min as well) is taken as 1.

    >>> corollary1_gamma_threshold(1 / 32)
    2.0
    """
    R_min = _positive("R_min", R_min)
    return _evaluate(COROLLARY1_GAMMA, R_min)


# ---------------------------------------------------------------------------------------------
# Lemma 3
# ---------------------------------------------------------------------------------------------


def _lemma3_inputs(F, G, dw, dw_prime):
    F = _positive("F", F)
    G = require_real("G", G)
    dw, dw_prime = require_real("dw", dw), require_real("dw_prime", dw_prime)
    return F, G, dw, dw_prime


def lemma3_increment_difference(F: float, G: float, dw: float, dw_prime: float) -> float:
    """The left side of Lemma 3 (30) at one coordinate: ``|dw F - |dw| G - (dw' F - |dw'| G)|``.

    >>> lemma3_increment_difference(1.0, 0.5, 0.0, -1.0)     # the ALD at w = tau/2: ``q_-`` = 1.5
    1.5
    """
    F, G, dw, dw_prime = _lemma3_inputs(F, G, dw, dw_prime)
    with np.errstate(all="ignore"):
        value = abs((dw - dw_prime) * F - (abs(dw) - abs(dw_prime)) * G)
    return _finite("the increment difference", value, F=F, G=G, dw=dw, dw_prime=dw_prime)


def lemma3_bound(F: float, G: float, dw: float, dw_prime: float, F_max: float) -> Bound:
    r"""Lemma 3 (30), as stated, one coordinate: ``|dw F - |dw| G - (dw' F - |dw'| G)| <= F_max |dw - dw'|``.

    Conditions (the proof's): ``F <= F_max`` (Lemma 2) and ``|G| <= F``. The claim is false: the valid constant is
    ``max{q_+, q_-} = F + |G|`` (:func:`lemma3_bound_derived`).

    >>> lemma3_bound(1.0, 0.5, 0.0, -1.0, F_max=1.0).value     # below the true 1.5
    1.0
    """
    F, G, dw, dw_prime = _lemma3_inputs(F, G, dw, dw_prime)
    F_max = _positive("F_max", F_max)
    value = _evaluate(LEMMA3_AS_STATED, F_max, dw, dw_prime)
    return Bound(
        "Lemma 3 (2502.06309), (30) as stated",
        "upper",
        value,
        (
            Condition("F <= F_max", F, "<=", F_max, source="Lemma 2"),
            Condition("|G| <= F", abs(G), "<=", F, source="proof of Lemma 3, before (32)"),
        ),
        source=LEMMA3_AS_STATED.source,
    )


def lemma3_bound_derived(F: float, G: float, dw: float, dw_prime: float) -> Bound:
    r"""Lemma 3 corrected: ``|dw F - |dw| G - (dw' F - |dw'| G)| <= (F + |G|) |dw - dw'|``, and ``F + |G| =
    max{q_+, q_-}`` is the smallest constant (attained with dw' = 0 and dw of the sign whose slope is larger).

    Condition: ``|G| <= F`` (both responses non-negative).

    >>> lemma3_bound_derived(1.0, 0.5, 0.0, -1.0).value
    1.5
    """
    F, G, dw, dw_prime = _lemma3_inputs(F, G, dw, dw_prime)
    value = _evaluate(LEMMA3_DERIVED, F, G, dw, dw_prime)
    return Bound(
        "Lemma 3 (2502.06309), derived constant max{q_+, q_-}",
        "upper",
        value,
        (Condition("|G| <= F", abs(G), "<=", F, source="q_+ = F - G >= 0 and q_- = F + G >= 0"),),
        source=LEMMA3_DERIVED.source,
    )
