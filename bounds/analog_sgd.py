r"""Theorem 1 (Analog SGD convergence, arXiv v1 Theorem 2), the digital SGD bound (5), Analog GD (v1 Thm 9).

Setting: f is L-smooth (A1) and bounded below by f* (A2); the gradient noise eps_k is zero-mean
with ``E||eps_k||^2 <= sigma^2`` (A3); the weights live on ALDs with bound tau and w_sp = 0, and
``||W_k||_inf <= W_max < tau`` for every k (A4). Write ``Delta = f(W_0) - f*`` and
``r = W_max^2/tau^2``. The metric is ``(1/K) sum_{k<K} E||grad f(W_k)||^2``.

Algorithms: digital SGD (2) ``W_{k+1} = W_k - alpha n_k`` and Analog SGD (3)
``W_{k+1} = W_k - alpha n_k - (alpha/tau)|n_k| (.) W_k`` with ``n_k = grad f(W_k) + eps_k``;
Analog GD is Analog SGD with eps_k = 0.

What the paper states (upper bounds):

* (65), Theorem 1 with explicit constants::

      2 Delta/(alpha K (1 - r)) + 2 alpha L sigma^2/(1 - r) + 4 sigma^2 S_K,

  which at the statement's step size ``alpha = sqrt(Delta/(sigma^2 L K))`` is
  ``4 sqrt(Delta sigma^2 L/K)/(1 - r) + 4 sigma^2 S_K``. Stated for alpha <= 1/L; the proof
  uses alpha <= 1/(2L) before (61).
* (5), digital SGD: ``2 Delta/(alpha K) + alpha sigma^2 L``.
* (53), Analog GD: ``2 Delta L/(K (1 - r))`` for alpha <= 1/L; its proof ends at (58),
  ``2 Delta/(alpha K (1 - r))``.

What the derivation here gives (built with sympy from the update rule of the ALD, see
:func:`derive_analog_sgd_step`): per step and per coordinate, the smoothness inequality (59),
the identity ``<g, d> = (1/2 alpha)(||d + alpha n||^2 - alpha^2 ||n||^2 - ||d||^2) - <eps, d>``,
Young's inequality on ``-<eps, d> - c||d||^2`` with ``c = (1 - alpha L)/(2 alpha)`` and the
expectation over eps give::

      E f(W_{k+1}) - f(W_k) <= -(alpha/2)(1 - ||W_k||_inf^2/tau^2)||grad f(W_k)||^2
                               + alpha^2 L sigma^2/(2(1 - alpha L)) + alpha sigma^2 ||W_k||_inf^2/(2 tau^2)

for alpha < 1/L. Compared with the paper: the variance term is at most the paper's
``alpha^2 L sigma^2`` exactly when alpha <= 1/(2L) (and (61) itself fails at alpha = 1/L, which the
statement allows: scalar f = (w + 0.5)^2/2, w = -0.6, eps = +-0.1, tau = 1 gives
E f(W_{k+1}) - f(W_k) = 0.0096 > 0.0086); the saturation-noise term is the one printed
in (63), while (64) prints ``2 alpha sigma^2 ||W_k||_inf^2/tau^2``, four times larger. Summing
needs care: the paper divides each step by ``1 - r_k`` (``r_k = ||W_k||_inf^2/tau^2``) and then
bounds ``1/(1 - r_k) <= 1/(1 - r)`` in front of ``E[f(W_k) - f(W_{k+1})]``, a term that can be
negative (and r_k is random), so the telescoping is not justified. What the chain validly gives
is to lower the left side first, ``(1 - r_k) >= (1 - r)``, then telescope::

      (1/K) sum_{k<K} E||grad f(W_k)||^2 <= [2 Delta/(alpha K) + alpha L sigma^2/(1 - alpha L)
                                              + sigma^2 r_bar] / (1 - r)

with ``r_bar = (1/K) sum_{k<K} E||W_k||_inf^2/tau^2 <= r``. The asymptotic term is
``sigma^2 r_bar/(1 - r) <= sigma^2 r/(1 - r)``: sigma^2 times the saturation factor, not
4 sigma^2. It implies the paper's (65) when alpha <= 1/(2L) and r <= 3/4 (then
``r_bar/(1 - r) <= 4 r_bar <= 4 S_K``), but not in general. The constant 1 is attained: on
Theorem 2's own instance the error tends to ``sigma^2 r/(1 - r)`` as alpha -> 0 (tests). As
tau -> oo, (65) tends to ``2 Delta/(alpha K) + 2 alpha L sigma^2``, twice the variance term of (5).

Inputs (issue 15): every parameter is validated by name; a closed form that leaves float64 at
extreme inputs raises a ValueError naming them (never a bare inf, nor Bound's "value inf although
every condition holds"). A bound is infinite only where a condition fails (``W_max >= tau``,
``alpha >= 1/L`` for the derived form, ``alpha >= 2/L`` for the derived digital bound).

>>> b = theorem1_bound_as_stated(f_gap=1.0, L=1.0, sigma=1.0, tau=2.0, W_max=1.0, K=100, S_K=0.0)
>>> round(b.value, 12) == round(4 * (1.0 / 100) ** 0.5 / (1 - 0.25), 12)   # (65), second form
True
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .devices import AsymmetricLinearDevice
from .formula import register
from .saturation import saturation_bound_attained
from .validation import require_finite_value, require_instance, require_int, require_real

__all__ = [
    "expect_noise",
    "derive_analog_sgd_step",
    "derive_digital_sgd_step",
    "telescope",
    "theorem1_step_size",
    "theorem1_bound_as_stated",
    "theorem1_bound_derived",
    "theorem1_asymptotic_error_as_stated",
    "theorem1_asymptotic_error_derived",
    "digital_sgd_bound",
    "digital_sgd_bound_derived",
    "theorem9_bound_as_stated",
    "theorem9_bound_derived",
    "STEP_SIZE_RULE",
    "THEOREM1_AS_STATED",
    "THEOREM1_STATEMENT_STEP",
    "THEOREM1_DERIVED",
    "THEOREM1_ASYMPTOTIC_AS_STATED",
    "THEOREM1_ASYMPTOTIC_DERIVED",
    "ONE_STEP_63",
    "ONE_STEP_64",
    "ONE_STEP_DERIVED",
    "DIGITAL_SGD_AS_STATED",
    "DIGITAL_SGD_DERIVED",
    "THEOREM9_AS_STATED",
    "THEOREM9_PROOF_58",
    "THEOREM9_DERIVED",
]

_r = S.W_max**2 / S.tau**2  # r = W_max^2/tau^2, the saturation degree squared
_n = S.g + S.eps  # one coordinate of the stochastic gradient n_k
_G = S.sgd_grad_sq  # ||grad f(W_k)||^2
_W = S.sgd_W_inf  # ||W_k||_inf


# ---------------------------------------------------------------------------------------------
# derivation (sympy): the one-step descent inequalities and the telescoping
# ---------------------------------------------------------------------------------------------


def expect_noise(expr: sp.Expr) -> sp.Expr:
    """E over one noise coordinate eps with E[eps] = 0 and E[eps^2] = s^2, of a polynomial in eps.

    The polynomial must have degree at most 2 in eps (A3 fixes only the first two moments).

    >>> from bounds import symbols as S
    >>> expect_noise((S.g + S.eps)**2)
    g**2 + s**2
    """
    poly = _polynomial("expr", expr, (S.eps,))
    if poly.degree() > 2:
        raise ValueError(f"expr must be a polynomial of degree <= 2 in eps, got degree {poly.degree()}")
    moments = {0: sp.Integer(1), 1: sp.Integer(0), 2: S.s**2}
    return sp.expand(sum(coeff * moments[k] for (k,), coeff in poly.terms()))


def _polynomial(name: str, expr, variables) -> sp.Poly:
    """``expr`` as a polynomial in ``variables``; a TypeError or ValueError naming ``name`` otherwise."""
    require_instance(name, expr, sp.Expr, "(S.g + S.eps)**2, a sympy expression")
    if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ValueError(f"{name} must be a finite sympy expression, got {expr}")
    try:
        return sp.Poly(sp.expand(expr), *variables)
    except sp.PolynomialError:
        names = ", ".join(map(str, variables))
        raise ValueError(f"{name} must be a polynomial in {names}, got {expr}") from None


def _coefficients(expr: sp.Expr, variables) -> dict:
    """Monomial -> coefficient of a polynomial in ``variables`` (a dict keyed by exponent tuples)."""
    return dict(sp.Poly(sp.expand(expr), *variables).terms())


def _sum_over_coordinates(per_coordinate: sp.Expr, w_sq_bound: sp.Expr, noise_sq_total: sp.Expr) -> sp.Expr:
    """Bound sum_i (a g_i^2 + b s_i^2 + c g_i^2 w_i^2 + e s_i^2 w_i^2) using w_i^2 <= W^2 and sum s_i^2 <= sigma^2.

    Checks the sign conditions that make each replacement an upper bound: c, e >= 0 (w_i^2 <= W^2)
    and the total coefficient of s_i^2 >= 0 (sum s_i^2 <= sigma^2) -- the latter as an identity
    with an expression that is a sum of non-negative terms, returned for the caller to verify.
    """
    terms = _coefficients(per_coordinate, (S.g, S.s, S.w))
    allowed = {(2, 0, 0), (0, 2, 0), (2, 0, 2), (0, 2, 2)}
    if not set(terms) <= allowed:
        raise ValueError(f"unexpected monomials in the per-coordinate bound: {sorted(set(terms) - allowed)}")
    for key in ((2, 0, 2), (0, 2, 2)):
        coeff = terms.get(key, sp.Integer(0))
        if coeff.is_nonnegative is not True:
            raise ValueError(f"coefficient {coeff} of a w_i^2 term is not provably >= 0")
    grad_coeff = terms.get((2, 0, 0), 0) + terms.get((2, 0, 2), 0) * w_sq_bound
    noise_coeff = terms.get((0, 2, 0), 0) + terms.get((0, 2, 2), 0) * w_sq_bound
    return grad_coeff * _G + noise_coeff * noise_sq_total, noise_coeff


@functools.cache
def derive_analog_sgd_step(noise: bool = True) -> dict:
    r"""Derive the one-step descent of Analog SGD (or Analog GD, ``noise=False``) with sympy.

    Setting A1, A3, ALD with w_sp = 0, ``alpha < 1/L`` (``alpha <= 1/L`` without noise). Algorithm:
    ``d = U(w, -alpha n) - w`` per coordinate, from :meth:`AsymmetricLinearDevice.update_expression`.
    Claim (upper, derived here; compare (61), (63), (64)):
    ``E f(W_{k+1}) - f(W_k) <= -(alpha/2)(1 - W_inf^2/tau^2) grad_sq + alpha^2 L sigma^2/(2(1 - alpha L))
    + alpha sigma^2 W_inf^2/(2 tau^2)``.

    Returns a dict of sympy expressions: ``update`` (d), ``asymmetric`` (X = d + alpha n),
    ``identity`` and ``young`` (each ``lhs - rhs``, zero as a rational function), ``per_coordinate`` (the
    bound on one coordinate after E), ``noise_coefficient`` (of sigma^2) with ``noise_coefficient_nonneg``
    (the same as a visibly non-negative sum), and ``one_step`` (the bound in grad_sq, W_inf, sigma).

    >>> step = derive_analog_sgd_step()
    >>> sp.cancel(step["identity"]), sp.cancel(step["young"])
    (0, 0)
    """
    alpha, L, tau, eps, g, d = S.alpha, S.L, S.tau, S.eps, S.g, S.sgd_step
    n = _n if noise else g
    update = (AsymmetricLinearDevice.update_expression(S.w, -alpha * n) - S.w).subs(S.w_sp, 0)
    asymmetric = update + alpha * n
    c = (1 - alpha * L) / (2 * alpha)
    # (59): f(W_{k+1}) - f(W_k) <= <g, d> + (L/2)||d||^2, per coordinate; the identity splits <g, d>
    smooth_rhs = g * d + L / 2 * d**2
    split = -alpha / 2 * n**2 + (d + alpha * n) ** 2 / (2 * alpha) - c * d**2 - (eps if noise else 0) * d
    identity = smooth_rhs - split
    # Young (completing the square): -eps d - c d^2 = eps^2/(4c) - c (d + eps/(2c))^2 <= eps^2/(4c) for c > 0
    young = (-eps * d - c * d**2) - (eps**2 / (4 * c) - c * (d + eps / (2 * c)) ** 2)
    if noise:
        per_point = -alpha / 2 * n**2 + asymmetric**2 / (2 * alpha) + eps**2 / (4 * c)
        per_coordinate = expect_noise(per_point)
    else:  # -c d^2 <= 0 for alpha <= 1/L is simply dropped
        per_coordinate = sp.expand(-alpha / 2 * n**2 + asymmetric**2 / (2 * alpha))
    one_step, noise_coeff = _sum_over_coordinates(per_coordinate, _W**2, S.sigma**2)
    nonneg = alpha / 2 * (_W**2 / tau**2 + alpha * L / (1 - alpha * L)) if noise else sp.Integer(0)
    return {
        "update": update,
        "asymmetric": asymmetric,
        "identity": identity,
        "young": young if noise else sp.Integer(0),
        "per_coordinate": per_coordinate,
        "noise_coefficient": noise_coeff,
        "noise_coefficient_nonneg": nonneg,
        "one_step": sp.expand(one_step),
    }


@functools.cache
def derive_digital_sgd_step() -> dict:
    r"""Derive the one-step descent of digital SGD (2) with sympy (the standard descent lemma).

    Setting A1, A3. Algorithm ``d = -alpha n``. Claim (upper, derived; [23, Thm 4.8] behind (5)):
    ``E f(W_{k+1}) - f(W_k) <= -alpha (1 - alpha L/2) grad_sq + L alpha^2 sigma^2/2``.

    >>> sp.factor(derive_digital_sgd_step()["one_step"].coeff(S.sgd_grad_sq))
    alpha*(L*alpha - 2)/2
    """
    d = -S.alpha * _n
    per_coordinate = expect_noise(S.g * d + S.L / 2 * d**2)
    one_step, noise_coeff = _sum_over_coordinates(per_coordinate, _W**2, S.sigma**2)
    return {
        "update": d,
        "per_coordinate": per_coordinate,
        "noise_coefficient": noise_coeff,
        "one_step": sp.expand(one_step),
    }


def telescope(one_step: sp.Expr) -> sp.Expr:
    r"""Sum a one-step bound ``-A(W_inf) grad_sq + V + N W_inf^2`` over k < K, the valid way.

    Setting: a one-step bound ``E f(W_{k+1}) - f(W_k) <= -A(W_inf) grad_sq + V + N W_inf^2`` with
    A decreasing in W_inf and ``W_inf = ||W_k||_inf <= W_max`` (A4). Claim (upper, derived): lower
    ``A(||W_k||_inf) >= A(W_max)`` first, then sum and telescope ``E f(W_0) - E f(W_K) <= Delta``::

        (1/K) sum_{k<K} E grad_sq_k <= (Delta/K + V + N tau^2 r_bar)/A(W_max),

    with ``r_bar = (1/K) sum_{k<K} E||W_k||_inf^2/tau^2``.

    >>> sp.simplify(telescope(derive_analog_sgd_step(noise=False)["one_step"])
    ...             - 2 * S.f_gap / (S.alpha * S.K * (1 - S.W_max**2 / S.tau**2)))
    0
    """
    require_instance("one_step", one_step, sp.Expr, "derive_analog_sgd_step()['one_step'], a sympy expression")
    if one_step.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ValueError(f"one_step must be a finite sympy expression, got {one_step}")
    expr = sp.expand(one_step)
    A = -expr.coeff(_G)
    rest = sp.expand(expr - expr.coeff(_G) * _G)
    N = rest.coeff(_W, 2)
    V = sp.expand(rest - N * _W**2)
    if V.has(_W) or N.has(_W) or A.has(_G) or A.subs(_W, S.W_max) == 0:
        raise ValueError(f"one_step must be -A(W_inf) grad_sq + V + N W_inf^2 with A != 0, got {one_step}")
    return (S.f_gap / S.K + V + N * S.tau**2 * S.sgd_r_bar) / A.subs(_W, S.W_max)


# ---------------------------------------------------------------------------------------------
# registered closed forms
# ---------------------------------------------------------------------------------------------

_ALPHA_L = (S.alpha * S.L < 1,)
_A4 = (S.W_max < S.tau,)
_grid_tau = {S.tau: (1.0, 2.0, 10.0, 1e2, 1e3), S.W_max: (0.0, 1e-3, 0.5, 0.9, 1.5)}
# one-step bounds are signed sums; keep ||W_k||_inf <= 0.9 tau on the grid (A4) so that
# 1 - W_inf^2/tau^2 >= 0.19 and float64 does not meet a cancellation the formula does not have
_one_step_domain = (S.sgd_W_inf < S.tau,)
_one_step_grid = {S.tau: (1.0, 2.0, 10.0, 1e2, 1e3), _W: (0.0, 1e-3, 0.5, 0.9)}

STEP_SIZE_RULE = register(
    "analog_sgd.theorem1_step_size",
    sp.sqrt(S.f_gap / (S.sigma**2 * S.L * S.K)),
    (S.f_gap, S.sigma, S.L, S.K),
    relation="definition",
    source="arXiv v1 Theorem 2 statement: alpha = sqrt((f(W_0) - f*)/(sigma^2 L K))",
)

THEOREM1_AS_STATED = register(
    "analog_sgd.theorem1_as_stated",
    2 * S.f_gap / (S.alpha * S.K * (1 - _r)) + 2 * S.alpha * S.L * S.sigma**2 / (1 - _r) + 4 * S.sigma**2 * S.S_K,
    (S.f_gap, S.L, S.sigma, S.tau, S.W_max, S.K, S.alpha, S.S_K),
    relation="upper",
    source="arXiv v1 eq. (65), first form",
    domain=_A4,
    values=_grid_tau,
)

THEOREM1_STATEMENT_STEP = register(
    "analog_sgd.theorem1_statement_step",
    4 * sp.sqrt(S.f_gap * S.sigma**2 * S.L / S.K) / (1 - _r) + 4 * S.sigma**2 * S.S_K,
    (S.f_gap, S.L, S.sigma, S.tau, S.W_max, S.K, S.S_K),
    relation="upper",
    source="arXiv v1 eq. (65), second form (alpha = sqrt(Delta/(sigma^2 L K)))",
    domain=_A4,
    values=_grid_tau,
)

THEOREM1_ASYMPTOTIC_AS_STATED = register(
    "analog_sgd.theorem1_asymptotic_as_stated",
    4 * S.sigma**2 * S.S_K,
    (S.sigma, S.S_K),
    relation="upper",
    source="arXiv v1 Theorem 2, eq. (9) / (65): limsup <= 4 sigma^2 S_K",
)

ONE_STEP_63 = register(
    "analog_sgd.one_step_61_63",
    -S.alpha / 2 * _G
    + S.alpha**2 * S.L * S.sigma**2
    + S.alpha / (2 * S.tau**2) * _G * _W**2
    + S.alpha * S.sigma**2 / (2 * S.tau**2) * _W**2,
    (S.alpha, S.L, S.sigma, S.tau, _W, _G),
    relation="upper",
    source="arXiv v1 eqs. (61) with (62)-(63): E f(W_{k+1}) - f(W_k) <= ...",
    domain=_one_step_domain,
    values=_one_step_grid,
)

ONE_STEP_64 = register(
    "analog_sgd.one_step_64_as_printed",
    -S.alpha / 2 * (1 - _W**2 / S.tau**2) * _G
    + S.alpha**2 * S.L * S.sigma**2
    + 2 * S.alpha * S.sigma**2 * _W**2 / S.tau**2,
    (S.alpha, S.L, S.sigma, S.tau, _W, _G),
    relation="upper",
    source="arXiv v1 eq. (64), rearranged: E f(W_{k+1}) - f(W_k) <= ...",
    domain=_one_step_domain,
    values=_one_step_grid,
)

ONE_STEP_DERIVED = register(
    "analog_sgd.one_step_derived",
    derive_analog_sgd_step()["one_step"],
    (S.alpha, S.L, S.sigma, S.tau, _W, _G),
    relation="upper",
    source="derived here from (59), the ALD update and Young's inequality (alpha < 1/L)",
    domain=_ALPHA_L + _one_step_domain,
    values={**_one_step_grid, S.alpha: (1e-3, 1e-2, 0.1, 0.5, 0.9)},
)

THEOREM1_DERIVED = register(
    "analog_sgd.theorem1_derived",
    telescope(derive_analog_sgd_step()["one_step"]),
    (S.f_gap, S.L, S.sigma, S.tau, S.W_max, S.K, S.alpha, S.sgd_r_bar),
    relation="upper",
    source="derived here: (59)-(63) with the valid telescoping (alpha < 1/L, A4)",
    domain=_A4 + _ALPHA_L + (S.sgd_r_bar <= _r,),
    values={**_grid_tau, S.sgd_r_bar: (0.0, 1e-6, 1e-4, 2.5e-3), S.alpha: (1e-3, 1e-2, 0.1, 0.5, 0.9)},
)

THEOREM1_ASYMPTOTIC_DERIVED = register(
    "analog_sgd.theorem1_asymptotic_derived",
    S.sigma**2 * S.sgd_r_bar / (1 - _r),
    (S.sigma, S.tau, S.W_max, S.sgd_r_bar),
    relation="upper",
    source="derived here: the K-independent term of analog_sgd.theorem1_derived",
    domain=_A4 + (S.sgd_r_bar <= _r,),
    values={**_grid_tau, S.sgd_r_bar: (0.0, 1e-6, 1e-4, 2.5e-3)},
)

DIGITAL_SGD_AS_STATED = register(
    "digital_sgd.bound_as_stated",
    2 * S.f_gap / (S.alpha * S.K) + S.alpha * S.sigma**2 * S.L,
    (S.f_gap, S.L, S.sigma, S.K, S.alpha),
    relation="upper",
    source="arXiv v1 eq. (5), citing [23, Thm 4.8]",
)

DIGITAL_SGD_DERIVED = register(
    "digital_sgd.bound_derived",
    telescope(derive_digital_sgd_step()["one_step"]),
    (S.f_gap, S.L, S.sigma, S.K, S.alpha),
    relation="upper",
    source="derived here: descent lemma for (2), valid for alpha < 2/L",
    domain=(S.alpha * S.L < 2,),
)

THEOREM9_AS_STATED = register(
    "analog_gd.theorem9_as_stated",
    2 * S.f_gap * S.L / (S.K * (1 - _r)),
    (S.f_gap, S.L, S.tau, S.W_max, S.K),
    relation="upper",
    source="arXiv v1 eq. (53)",
    domain=_A4,
    values=_grid_tau,
)

THEOREM9_PROOF_58 = register(
    "analog_gd.theorem9_proof_58",
    2 * S.f_gap / (S.alpha * S.K * (1 - _r)),
    (S.f_gap, S.tau, S.W_max, S.K, S.alpha),
    relation="upper",
    source="arXiv v1 eq. (58)",
    domain=_A4,
    values=_grid_tau,
)

THEOREM9_DERIVED = register(
    "analog_gd.theorem9_derived",
    telescope(derive_analog_sgd_step(noise=False)["one_step"]),
    (S.f_gap, S.tau, S.W_max, S.K, S.alpha),
    relation="upper",
    source="derived here: (59) with the ALD update, noiseless, alpha <= 1/L (equals (58))",
    domain=_A4,
    values=_grid_tau,
)


# ---------------------------------------------------------------------------------------------
# evaluation helpers
# ---------------------------------------------------------------------------------------------


#: the public parameter name of a formula symbol, where the two differ (error messages use the former)
_NAMES = {"Delta_f": "f_gap", "r_bar": "mean_saturation"}


def _evaluate(formula, *args) -> float:
    """The float64 twin at ``args`` (validated already). A value beyond float64 (an overflow at
    extreme inputs) raises a ValueError naming the public parameters; a bound that is not
    applicable gets its documented infinity from the caller, never from an overflow."""
    names = [_NAMES.get(str(sym), str(sym)) for sym in formula.params]
    return formula.value(*args, inputs=dict(zip(names, args)))


def _require_below(what: str, value: float, limit: float, **inputs) -> None:
    """Refuse inputs that meet a strict condition ``value < limit`` only up to float64 rounding (the
    condition ``alpha < 1/L`` holds but ``alpha L`` rounds to 1): the closed form divides by ``limit - value``."""
    if not value < limit:
        shown = ", ".join(f"{key}={val!r}" for key, val in inputs.items())
        raise ValueError(f"{' and '.join(inputs)} put {what} = {value!r} on its limit {limit:g} in float64, at {shown}")


def _a4(W_max: float, tau: float) -> Condition:
    return Condition("A4: W_max < tau", W_max, "<", tau, source="Assumption 4")


def _step_conditions_as_stated(alpha: float, L: float) -> tuple:
    return (
        Condition("alpha <= 1/L", alpha, "<=", 1.0 / L, source="Theorem 1 (v1 Thm 2) statement"),
        Condition("alpha <= 1/(2L)", alpha, "<=", 0.5 / L, source="proof of Theorem 1, before (61)"),
    )


_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64
_ASSUMES_SGD = ("A1: f is L-smooth", "A2: f >= f*", "A3: E[eps_k] = 0, E||eps_k||^2 <= sigma^2, i.i.d.")


def _common(f_gap, L, sigma, tau, W_max, K, alpha):
    L = require_real("L", L, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    W_max = require_real("W_max", W_max, low=0.0)
    K = require_int("K", K, low=1)
    if alpha is None:
        f_gap = require_real("f_gap", f_gap, low=0.0, low_open=True)
        sigma = require_real("sigma", sigma, low=0.0, low_open=True)
        alpha = theorem1_step_size(f_gap, L, sigma, K)
        if alpha < _TINY:  # sqrt(f_gap/(sigma^2 L K)) underflows: no bound can be evaluated at it
            raise ValueError(
                f"f_gap, sigma, L and K give the step size sqrt(f_gap/(sigma^2 L K)) = {alpha!r}, below float64's "
                f"normal range, at f_gap={f_gap!r}, sigma={sigma!r}, L={L!r}, K={K!r}: pass alpha explicitly"
            )
    else:
        f_gap = require_real("f_gap", f_gap, low=0.0)
        sigma = require_real("sigma", sigma, low=0.0)
        alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    return f_gap, L, sigma, tau, W_max, K, alpha


# ---------------------------------------------------------------------------------------------
# Theorem 1 (v1 Theorem 2)
# ---------------------------------------------------------------------------------------------


def theorem1_step_size(f_gap: float, L: float, sigma: float, K: int) -> float:
    """The statement's step size ``alpha = sqrt((f(W_0) - f*)/(sigma^2 L K))`` (v1 Theorem 2).

    Setting A1-A4; the statement asks K large enough that this alpha <= 1/L, i.e.
    ``K >= (f(W_0) - f*) L/sigma^2``. Identity: ``alpha^2 sigma^2 L K = f(W_0) - f*``.

    Args: f_gap > 0, L > 0, sigma > 0, K >= 1.

    >>> a = theorem1_step_size(2.0, 1.0, 1.0, 8)
    >>> a, a**2 * 1.0 * 1.0 * 8
    (0.5, 2.0)
    """
    f_gap = require_real("f_gap", f_gap, low=0.0, low_open=True)
    L = require_real("L", L, low=0.0, low_open=True)
    sigma = require_real("sigma", sigma, low=0.0, low_open=True)
    K = require_int("K", K, low=1)
    return _evaluate(STEP_SIZE_RULE, f_gap, sigma, L, K)


def theorem1_bound_as_stated(
    f_gap: float,
    L: float,
    sigma: float,
    tau: float,
    W_max: float,
    K: int,
    alpha: float | None = None,
    S_K: float | None = None,
) -> Bound:
    r"""Theorem 1 (arXiv v1 Theorem 2) with the proof's constants, eq. (65), as the paper states it.

    Setting: A1-A4 (L-smooth f >= f*, zero-mean noise with E||eps||^2 <= sigma^2, ALD with bound
    tau, ``||W_k||_inf <= W_max < tau``). Algorithm: Analog SGD (3), K steps from W_0.
    Claim (upper, eq. (65))::

        (1/K) sum_{k<K} E||grad f(W_k)||^2 <= 2 Delta/(alpha K (1 - r)) + 2 alpha L sigma^2/(1 - r) + 4 sigma^2 S_K

    with ``r = W_max^2/tau^2``; at ``alpha = sqrt(Delta/(sigma^2 L K))`` the first two terms are
    ``4 sqrt(Delta sigma^2 L/K)/(1 - r)``. Conditions: ``alpha <= 1/L`` (statement), ``alpha <= 1/(2L)``
    (the proof, before (61)), A4. The derivation does not support the constant 4 nor the way the
    sum is telescoped: see :func:`theorem1_bound_derived` and the module docstring.

    Args:
        f_gap: f(W_0) - f* (> 0 when alpha is None, else >= 0).
        L: smoothness constant, > 0.
        sigma: noise level, > 0 when alpha is None, else >= 0.
        tau: ALD bound, > 0.
        W_max: A4's bound on ||W_k||_inf, >= 0.
        K: number of steps, >= 1.
        alpha: step size > 0; None: the statement's rule :func:`theorem1_step_size`.
        S_K: the amplification factor (>= 0); None: its bound under A4 with the K + 1-term
            normalisation, :func:`bounds.saturation.saturation_bound_attained`.

    Terms: ``rate`` (the first two) and ``asymptotic`` (``4 sigma^2 S_K``).

    >>> b = theorem1_bound_as_stated(1.0, 1.0, 1.0, tau=1.0, W_max=0.0, K=16, alpha=0.25, S_K=0.0)
    >>> b.value == 2 * 1.0 / (0.25 * 16) + 2 * 0.25, b.applicable
    (True, True)
    """
    f_gap, L, sigma, tau, W_max, K, alpha = _common(f_gap, L, sigma, tau, W_max, K, alpha)
    if S_K is None:
        S_K = saturation_bound_attained(W_max, tau, K).value
    else:
        S_K = require_real("S_K", S_K, low=0.0)
    conditions = _step_conditions_as_stated(alpha, L) + (_a4(W_max, tau),)
    if W_max < tau:
        value = _evaluate(THEOREM1_AS_STATED, f_gap, L, sigma, tau, W_max, K, alpha, S_K)
        asymptotic = _evaluate(THEOREM1_ASYMPTOTIC_AS_STATED, sigma, S_K)
        rate = value - asymptotic
    else:
        value = rate = asymptotic = math.inf
    return Bound(
        "Theorem 1 (v1 Thm 2), eq. (65) as stated",
        "upper",
        value,
        conditions,
        source=THEOREM1_AS_STATED.source,
        assumes=_ASSUMES_SGD,
        terms={"rate": rate, "asymptotic": asymptotic},
    )


def theorem1_bound_derived(
    f_gap: float,
    L: float,
    sigma: float,
    tau: float,
    W_max: float,
    K: int,
    alpha: float | None = None,
    mean_saturation: float | None = None,
) -> Bound:
    r"""Theorem 1 (arXiv v1 Theorem 2) as the corrected proof chain (59)-(63) gives it.

    Setting: A1-A4 as in :func:`theorem1_bound_as_stated`. Algorithm: Analog SGD (3).
    Claim (upper, derived here: (59)-(63) re-derived with sympy, then telescoped validly)::

        (1/K) sum_{k<K} E||grad f(W_k)||^2
            <= [2 Delta/(alpha K) + alpha L sigma^2/(1 - alpha L) + sigma^2 r_bar]/(1 - r)

    with ``r = W_max^2/tau^2`` and ``r_bar = (1/K) sum_{k<K} E||W_k||_inf^2/tau^2 <= r``.
    Conditions: ``alpha < 1/L`` (Young's step needs ``1 - alpha L > 0``), A4, and ``r_bar <= r``
    (implied by A4). For ``alpha <= 1/(2L)`` the middle term is at most the paper's
    ``2 alpha L sigma^2/(1 - r)``.

    Args: as :func:`theorem1_bound_as_stated`, with ``mean_saturation`` = r_bar in [0, 1)
    (None: its bound ``W_max^2/tau^2``) in place of S_K.

    Terms: ``rate`` (K- or alpha-dependent part) and ``asymptotic`` (``sigma^2 r_bar/(1 - r)``).

    >>> # identity: at alpha = 1/(2L) and zero saturation it equals (65) with S_K = 0
    >>> a = theorem1_bound_derived(1.0, 2.0, 1.0, tau=1.0, W_max=0.0, K=10, alpha=0.25).value
    >>> b = theorem1_bound_as_stated(1.0, 2.0, 1.0, tau=1.0, W_max=0.0, K=10, alpha=0.25, S_K=0.0).value
    >>> abs(a - b) < 1e-15
    True
    """
    f_gap, L, sigma, tau, W_max, K, alpha = _common(f_gap, L, sigma, tau, W_max, K, alpha)
    ratio = require_finite_value("W_max^2/tau^2", (W_max / tau) * (W_max / tau), W_max=W_max, tau=tau)
    if mean_saturation is None:
        mean_saturation = ratio if W_max < tau else 0.0
    else:
        mean_saturation = require_real("mean_saturation", mean_saturation, low=0.0, high=1.0, high_open=True)
    young = Condition("alpha < 1/L", alpha, "<", 1.0 / L, source="derived: Young's inequality needs 1 - alpha L > 0")
    conditions = (
        young,
        _a4(W_max, tau),
        Condition("mean saturation r_bar <= W_max^2/tau^2", mean_saturation, "<=", ratio, source="implied by A4"),
    )
    if young.holds:
        _require_below("alpha L", alpha * L, 1.0, alpha=alpha, L=L)
    if W_max < tau and young.holds:
        value = _evaluate(THEOREM1_DERIVED, f_gap, L, sigma, tau, W_max, K, alpha, mean_saturation)
        asymptotic = _evaluate(THEOREM1_ASYMPTOTIC_DERIVED, sigma, tau, W_max, mean_saturation)
        rate = value - asymptotic
    else:
        value = rate = asymptotic = math.inf
    return Bound(
        "Theorem 1 (v1 Thm 2), derived",
        "upper",
        value,
        conditions,
        source=THEOREM1_DERIVED.source,
        assumes=_ASSUMES_SGD,
        terms={"rate": rate, "asymptotic": asymptotic},
    )


def theorem1_asymptotic_error_as_stated(
    sigma: float, tau: float, W_max: float, K: int, S_K: float | None = None
) -> Bound:
    r"""The asymptotic error of Theorem 1 as stated: ``4 sigma^2 S_K`` (eqs. (9), (65); C11).

    Setting A1-A4. Algorithm: Analog SGD. Claim (upper, v1 Theorem 2):
    ``limsup_K (1/K) sum_k E||grad f(W_k)||^2 <= 4 sigma^2 S_K`` once alpha ~ 1/sqrt(K).
    Condition: A4.

    Args: sigma >= 0; tau > 0; W_max >= 0; K >= 1; S_K >= 0 or None (its bound under A4,
    :func:`bounds.saturation.saturation_bound_attained`).

    >>> theorem1_asymptotic_error_as_stated(0.5, 1.0, 0.5, K=10, S_K=1.0).value    # 4 * 0.25 * 1
    1.0
    """
    sigma = require_real("sigma", sigma, low=0.0)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    W_max = require_real("W_max", W_max, low=0.0)
    K = require_int("K", K, low=1)
    S_K = saturation_bound_attained(W_max, tau, K).value if S_K is None else require_real("S_K", S_K, low=0.0)
    value = _evaluate(THEOREM1_ASYMPTOTIC_AS_STATED, sigma, S_K) if W_max < tau else math.inf
    return Bound(
        "Theorem 1 asymptotic error 4 sigma^2 S_K, as stated",
        "upper",
        value,
        (_a4(W_max, tau),),
        source=THEOREM1_ASYMPTOTIC_AS_STATED.source,
        assumes=_ASSUMES_SGD,
    )


def theorem1_asymptotic_error_derived(
    sigma: float, tau: float, W_max: float, mean_saturation: float | None = None
) -> Bound:
    r"""The asymptotic error the corrected derivation gives: ``sigma^2 r_bar/(1 - W_max^2/tau^2)``.

    Setting A1-A4. Algorithm: Analog SGD. Claim (upper, derived here): the K-independent term of
    :func:`theorem1_bound_derived`; with r_bar at its bound it is ``sigma^2 (W_max^2/tau^2)/(1 -
    W_max^2/tau^2)``, a quarter of the paper's ``4 sigma^2 S_K`` with S_K at the C10 bound.

    Args: sigma >= 0; tau > 0; W_max >= 0; mean_saturation in [0, 1) or None (``W_max^2/tau^2``).

    >>> d = theorem1_asymptotic_error_derived(1.0, tau=1.0, W_max=0.5).value
    >>> s = theorem1_asymptotic_error_as_stated(1.0, tau=1.0, W_max=0.5, K=1, S_K=(0.25 / 0.75)).value
    >>> abs(4 * d - s) < 1e-15
    True
    """
    sigma = require_real("sigma", sigma, low=0.0)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    W_max = require_real("W_max", W_max, low=0.0)
    ratio = require_finite_value("W_max^2/tau^2", (W_max / tau) * (W_max / tau), W_max=W_max, tau=tau)
    if mean_saturation is None:
        mean_saturation = ratio if W_max < tau else 0.0
    else:
        mean_saturation = require_real("mean_saturation", mean_saturation, low=0.0, high=1.0, high_open=True)
    conditions = (
        _a4(W_max, tau),
        Condition("mean saturation r_bar <= W_max^2/tau^2", mean_saturation, "<=", ratio, source="implied by A4"),
    )
    value = _evaluate(THEOREM1_ASYMPTOTIC_DERIVED, sigma, tau, W_max, mean_saturation) if W_max < tau else math.inf
    return Bound(
        "Theorem 1 asymptotic error, derived",
        "upper",
        value,
        conditions,
        source=THEOREM1_ASYMPTOTIC_DERIVED.source,
        assumes=_ASSUMES_SGD,
    )


# ---------------------------------------------------------------------------------------------
# digital SGD (5)
# ---------------------------------------------------------------------------------------------


def _digital_inputs(f_gap, L, sigma, K, alpha):
    return (
        require_real("f_gap", f_gap, low=0.0),
        require_real("L", L, low=0.0, low_open=True),
        require_real("sigma", sigma, low=0.0),
        require_int("K", K, low=1),
        require_real("alpha", alpha, low=0.0, low_open=True),
    )


def digital_sgd_bound(f_gap: float, L: float, sigma: float, K: int, alpha: float) -> Bound:
    r"""Digital SGD reference bound, eq. (5) (C2), as the paper states it.

    Setting: A1-A3. Algorithm: digital SGD (2). Claim (upper, eq. (5), citing [23, Thm 4.8]):
    ``(1/K) sum_{k<K} E||grad f(W_k)||^2 <= 2 Delta/(alpha K) + alpha sigma^2 L``.
    Condition: ``alpha <= 1/L`` (what the descent lemma needs to turn ``alpha(1 - alpha L/2)`` into
    ``alpha/2``; see :func:`digital_sgd_bound_derived`).

    Args: f_gap >= 0; L > 0; sigma >= 0; K >= 1; alpha > 0.

    >>> digital_sgd_bound(1.0, 1.0, 1.0, K=4, alpha=0.5).value     # 2/(0.5*4) + 0.5
    1.5
    """
    f_gap, L, sigma, K, alpha = _digital_inputs(f_gap, L, sigma, K, alpha)
    value = _evaluate(DIGITAL_SGD_AS_STATED, f_gap, L, sigma, K, alpha)
    return Bound(
        "digital SGD, eq. (5)",
        "upper",
        value,
        (Condition("alpha <= 1/L", alpha, "<=", 1.0 / L, source="derived: descent lemma for (5)"),),
        source=DIGITAL_SGD_AS_STATED.source,
        assumes=_ASSUMES_SGD,
        terms={"rate": value, "asymptotic": 0.0},
    )


def digital_sgd_bound_derived(f_gap: float, L: float, sigma: float, K: int, alpha: float) -> Bound:
    r"""Digital SGD bound from the descent lemma without rounding the constants.

    Setting: A1-A3. Algorithm: digital SGD (2). Claim (upper, derived here)::

        (1/K) sum_{k<K} E||grad f(W_k)||^2 <= (2 Delta/K + L alpha^2 sigma^2)/(alpha (2 - alpha L))

    for ``alpha < 2/L``; it is at most (5) exactly when alpha <= 1/L and equals (5) at alpha = 1/L.

    Args: as :func:`digital_sgd_bound`.

    >>> digital_sgd_bound_derived(1.0, 2.0, 1.0, K=4, alpha=0.5).value == digital_sgd_bound(1.0, 2.0, 1.0, 4, 0.5).value
    True
    """
    f_gap, L, sigma, K, alpha = _digital_inputs(f_gap, L, sigma, K, alpha)
    condition = Condition("alpha < 2/L", alpha, "<", 2.0 / L, source="derived: alpha (1 - alpha L/2) > 0")
    if condition.holds:
        _require_below("alpha L", alpha * L, 2.0, alpha=alpha, L=L)
    value = _evaluate(DIGITAL_SGD_DERIVED, f_gap, L, sigma, K, alpha) if condition.holds else math.inf
    return Bound(
        "digital SGD, descent lemma",
        "upper",
        value,
        (condition,),
        source=DIGITAL_SGD_DERIVED.source,
        assumes=_ASSUMES_SGD,
        terms={"rate": value, "asymptotic": 0.0},
    )


# ---------------------------------------------------------------------------------------------
# Analog GD (v1 Theorem 9)
# ---------------------------------------------------------------------------------------------

_ASSUMES_GD = ("A1: f is L-smooth", "A2: f >= f*", "exact gradients (eps_k = 0)")


def _gd_inputs(f_gap, L, tau, W_max, K, alpha):
    f_gap = require_real("f_gap", f_gap, low=0.0)
    L = require_real("L", L, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    W_max = require_real("W_max", W_max, low=0.0)
    K = require_int("K", K, low=1)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    conditions = (Condition("alpha <= 1/L", alpha, "<=", 1.0 / L, source="Theorem 9 statement"), _a4(W_max, tau))
    return f_gap, L, tau, W_max, K, alpha, conditions


def theorem9_bound_as_stated(f_gap: float, L: float, tau: float, W_max: float, K: int, alpha: float) -> Bound:
    r"""Analog GD, arXiv v1 Theorem 9, eq. (53) as stated (C29).

    Setting: A1, A2, A4, no noise. Algorithm: Analog GD ``W_{k+1} = W_k - alpha g_k - (alpha/tau)|g_k| (.) W_k``.
    Claim (upper, eq. (53)): ``(1/K) sum_{k<K} ||grad f(W_k)||^2 <= 2 Delta L/(K (1 - W_max^2/tau^2))``
    for alpha <= 1/L. The proof ends at (58), ``2 Delta/(alpha K (1 - r))``, which equals (53) only at
    alpha = 1/L; for smaller alpha (53) can fail (see the tests for a scalar counterexample).

    Args: f_gap >= 0; L > 0; tau > 0; W_max >= 0; K >= 1; alpha > 0.

    >>> stated = theorem9_bound_as_stated(1.0, 2.0, 1.0, 0.0, K=4, alpha=0.5)
    >>> stated.value == theorem9_bound_derived(1.0, 2.0, 1.0, 0.0, 4, 0.5).value
    True
    """
    f_gap, L, tau, W_max, K, alpha, conditions = _gd_inputs(f_gap, L, tau, W_max, K, alpha)
    value = _evaluate(THEOREM9_AS_STATED, f_gap, L, tau, W_max, K) if W_max < tau else math.inf
    return Bound(
        "Analog GD (v1 Thm 9), eq. (53) as stated",
        "upper",
        value,
        conditions,
        source=THEOREM9_AS_STATED.source,
        assumes=_ASSUMES_GD,
        terms={"rate": value, "asymptotic": 0.0},
    )


def theorem9_bound_derived(f_gap: float, L: float, tau: float, W_max: float, K: int, alpha: float) -> Bound:
    r"""Analog GD, arXiv v1 Theorem 9, as its proof gives it: eq. (58), re-derived here.

    Setting: A1, A2, A4, no noise. Algorithm: Analog GD. Claim (upper, (58), derived with sympy from
    (59) and the ALD update): ``(1/K) sum_{k<K} ||grad f(W_k)||^2 <= 2 Delta/(alpha K (1 - W_max^2/tau^2))``
    for alpha <= 1/L.

    Args: as :func:`theorem9_bound_as_stated`.

    >>> theorem9_bound_derived(1.0, 1.0, 2.0, 1.0, K=2, alpha=0.5).value     # 2/(0.5*2*0.75)
    2.6666666666666665
    """
    f_gap, L, tau, W_max, K, alpha, conditions = _gd_inputs(f_gap, L, tau, W_max, K, alpha)
    value = _evaluate(THEOREM9_DERIVED, f_gap, tau, W_max, K, alpha) if W_max < tau else math.inf
    return Bound(
        "Analog GD (v1 Thm 9), eq. (58) derived",
        "upper",
        value,
        conditions,
        source=THEOREM9_DERIVED.source,
        assumes=_ASSUMES_GD,
        terms={"rate": value, "asymptotic": 0.0},
    )
