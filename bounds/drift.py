r"""Expected one-step drift of Analog SGD and Tiki-Taka on the ALD (claims C19, C20, C21; eqs. 11-13).

Setting (section 4). Both arrays are asymmetric linear devices (ALD) with bound tau; W's symmetric
point is a general ``w_sp`` (the paper takes 0), P's is 0. One coordinate, gradient coordinate g,
noise coordinate eps with zero mean. The update rules, taken from
:meth:`bounds.devices.AsymmetricLinearDevice.update_expression` (the compact form (7)):

* Analog SGD (3):  ``W' = U(W, -alpha (g + eps))``;
* Tiki-Taka (TT-P) ``P' = U_P(P, beta (g + eps))`` (w_sp = 0), then (TT-W) ``W' = U(W, -alpha P')``.

Taking the expectation over eps with :func:`bounds.noise_laws.expectation` gives, for ANY
zero-mean law (derived with :class:`~bounds.noise_laws.ZeroMeanLaw`, ``h(g) = E|g + eps|``)::

    E[W'] - W           = -alpha g      - (alpha/tau)      (W - w_sp) h(g)            (Analog SGD)
    E[W'] - W  (P = 0)  = -alpha beta g - (alpha beta/tau) (W - w_sp) h(g)            (Tiki-Taka)
    E[P']               =  P + beta g   - (beta/tau) P h(g)                           (Tiki-Taka, P)

At a critical point (g = 0) these are the paper's (11), (12), (13) with ``E|eps|`` for h(0), up to
``W -> W - w_sp``: the drift pulls W toward the symmetric point, which is 0 in the paper. The Analog
SGD drift is proportional to alpha, the Tiki-Taka drift to alpha beta, and both vanish with the
noise (h(0) = E|eps| -> 0). For each law of :mod:`bounds.noise_laws` the closed forms are registered
(``drift.<quantity>.<law>``), together with the printed forms and the generic forms in the symbols
``h_abs = E|g + eps|`` and ``m_abs = E|eps|``.

Inputs (issue 15): ``law`` of the wrong type is a TypeError naming it; a drift, a term or a
condition side that leaves float64 at extreme inputs raises a ValueError naming them, so no NaN or
infinity hides in a result's ``terms``.

>>> from bounds.noise_laws import RademacherLaw
>>> analog_sgd_drift(RademacherLaw(1.0), 0.5, alpha=0.1, tau=1.0).value    # -(alpha/tau) s w
-0.05
"""

from __future__ import annotations

import functools
import numbers

import mpmath
import numpy as np
import sympy as sp

from . import symbols as S
from .applicability import Bound, Condition
from .devices import AsymmetricLinearDevice
from .formula import Formula, register
from .noise_laws import LAWS, CoordinateLaw, TwoPointLaw, ZeroMeanLaw, expectation
from .validation import require_finite_value, require_instance, require_int, require_real

__all__ = [
    "analog_sgd_step_expression",
    "tiki_taka_p_step_expression",
    "tiki_taka_w_step_expression",
    "analog_sgd_drift_expression",
    "tiki_taka_drift_expression",
    "tiki_taka_p_mean_expression",
    "structured",
    "analog_sgd_drift",
    "analog_sgd_drift_as_printed",
    "tiki_taka_drift",
    "tiki_taka_drift_as_printed",
    "tiki_taka_p_mean",
    "tiki_taka_p_mean_as_printed",
    "DRIFT_FORMULAS",
    "PRINTED",
    "QUANTITIES",
]

#: quantity -> (what it is, the law-free parameters of its registered closed form, in order)
QUANTITIES = {
    "analog_sgd": ("E[W_{k+1}] - W_k of Analog SGD", (S.alpha, S.tau, S.g, S.w, S.w_sp)),
    "tiki_taka": ("E[W_{k+1}] - W_k of Tiki-Taka with P_k = 0", (S.alpha, S.beta, S.tau, S.g, S.w, S.w_sp)),
    "tiki_taka_p_mean": ("E[P_{k+1}] of Tiki-Taka", (S.beta, S.tau, S.g, S.P)),
}


# ---------------------------------------------------------------------------------------------
# the update rules, from the device model
# ---------------------------------------------------------------------------------------------


def analog_sgd_step_expression() -> sp.Expr:
    """Analog SGD (3) on an ALD with symmetric point w_sp: ``W' = U(w, -alpha (g + eps))``.

    >>> step = analog_sgd_step_expression().subs({S.w_sp: 0, S.eps: 0, S.g: -1})     # the request +alpha
    >>> sp.expand(step - (S.w + S.alpha * (1 - S.w / S.tau)))                        # is damped by q_+(w)
    0
    """
    return AsymmetricLinearDevice.update_expression(S.w, -S.alpha * (S.g + S.eps))


def tiki_taka_p_step_expression() -> sp.Expr:
    """(TT-P) on an ALD with symmetric point 0: ``P' = U_P(P, beta (g + eps))``.

    >>> tiki_taka_p_step_expression().subs(S.P, 0)          # from P_k = 0 the update is exact
    beta*(epsilon + g)
    """
    return AsymmetricLinearDevice.update_expression(S.P, S.beta * (S.g + S.eps)).subs(S.w_sp, 0)


def tiki_taka_w_step_expression(p_next: sp.Expr | None = None) -> sp.Expr:
    """(TT-W) on an ALD with symmetric point w_sp: ``W' = U(w, -alpha P')``; P' defaults to (TT-P).

    >>> tiki_taka_w_step_expression(sp.Integer(0))           # no transfer, no change
    w
    """
    p_next = tiki_taka_p_step_expression() if p_next is None else _real_expression("p_next", p_next)
    return AsymmetricLinearDevice.update_expression(S.w, -S.alpha * p_next)


def _real_expression(name: str, value) -> sp.Expr:
    """A real sympy expression or a finite real number, as a sympy expression (named errors otherwise)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if isinstance(value, numbers.Integral):
            return sp.Integer(require_int(name, value))
        return sp.Float(require_real(name, value))
    require_instance(name, value, sp.Expr, "S.beta * (S.g + S.eps), a sympy expression")
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or value.is_real is False:
        raise ValueError(f"{name} must be a finite real sympy expression, got {value}")
    return value


# ---------------------------------------------------------------------------------------------
# expectations
# ---------------------------------------------------------------------------------------------


def _require_law(law) -> CoordinateLaw:
    return require_instance("law", law, CoordinateLaw, "bounds.noise_laws.GaussianLaw(1.0)")


def analog_sgd_drift_expression(law: CoordinateLaw) -> sp.Expr:
    """E[W_{k+1}] - W_k of Analog SGD, taken directly with :func:`~bounds.noise_laws.expectation`.

    Setting: one ALD coordinate (symmetric point w_sp), gradient coordinate g, eps ~ ``law``.
    Equal (exact), derived here; at g = 0 and w_sp = 0 it is eq. (11).

    >>> sp.expand(analog_sgd_drift_expression(ZeroMeanLaw()))
    -alpha*g - alpha*w*E_abs(g)/tau + alpha*w_sp*E_abs(g)/tau
    """
    return expectation(analog_sgd_step_expression() - S.w, S.eps, _require_law(law))


def tiki_taka_drift_expression(law: CoordinateLaw) -> sp.Expr:
    """E[W_{k+1}] - W_k of Tiki-Taka from P_k = 0, taken directly with ``expectation``.

    Setting: (TT-P) then (TT-W), both ALDs with bound tau (P's symmetric point 0, W's w_sp),
    P_k = 0, eps ~ ``law``. Equal (exact), derived here; at g = 0 and w_sp = 0 it is eq. (12).

    >>> sp.expand(tiki_taka_drift_expression(ZeroMeanLaw()).subs(S.g, 0))
    -alpha*beta*w*E_abs(0)/tau + alpha*beta*w_sp*E_abs(0)/tau
    """
    step = tiki_taka_w_step_expression(tiki_taka_p_step_expression().subs(S.P, 0))
    return expectation(step - S.w, S.eps, _require_law(law))


def tiki_taka_p_mean_expression(law: CoordinateLaw) -> sp.Expr:
    """E[P_{k+1}] of Tiki-Taka for a general P_k, taken directly with ``expectation``.

    Setting: (TT-P) on an ALD with bound tau and symmetric point 0, eps ~ ``law``. Equal (exact),
    derived here; at g = 0 it is eq. (13).

    >>> sp.expand(tiki_taka_p_mean_expression(ZeroMeanLaw()).subs(S.g, 0))
    -P*beta*E_abs(0)/tau + P
    """
    return expectation(tiki_taka_p_step_expression(), S.eps, _require_law(law))


_DIRECT = {
    "analog_sgd": analog_sgd_drift_expression,
    "tiki_taka": tiki_taka_drift_expression,
    "tiki_taka_p_mean": tiki_taka_p_mean_expression,
}


@functools.cache
def _generic(quantity: str) -> sp.Expr:
    """The drift for any zero-mean law, as ``rest + coefficient * E_abs(g)`` with both parts factored."""
    expr = sp.expand(_DIRECT[quantity](ZeroMeanLaw()))
    parts = sp.collect(expr, S.E_abs(S.g), evaluate=False)
    if set(parts) - {S.E_abs(S.g), sp.Integer(1)}:
        raise AssertionError(f"{quantity}: the drift is not affine in E_abs(g): {expr}")
    return sp.factor(parts.get(sp.Integer(1), sp.Integer(0))) + sp.factor(parts[S.E_abs(S.g)]) * S.E_abs(S.g)


def structured(quantity: str, law: CoordinateLaw | None = None) -> sp.Expr:
    """The drift ``quantity`` for ``law`` in the form ``rest + coefficient * E|g + eps|``.

    Derived once for any zero-mean law (:class:`~bounds.noise_laws.ZeroMeanLaw`), then E|g + eps|
    is replaced by the law's derived closed form; with ``law=None`` it stays the symbol ``h_abs``.
    The tests show it equals the direct expectation under each law. Equal (exact).

    Args:
        quantity: "analog_sgd", "tiki_taka" (P_k = 0) or "tiki_taka_p_mean".
        law: a :class:`~bounds.noise_laws.CoordinateLaw`, or None.

    >>> structured("analog_sgd")
    -alpha*g - alpha*h_abs*(w - w_sp)/tau
    """
    if not isinstance(quantity, str) or quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {sorted(QUANTITIES)}, got {quantity!r}")
    expr = _generic(quantity)
    replacement = S.h_abs if law is None else _require_law(law).expected_abs_expression(S.g)
    return expr.subs(S.E_abs(S.g), replacement)


#: the paper's printed drifts at a critical point, in m_abs = E|eps| (W's symmetric point 0)
PRINTED = {
    "analog_sgd": register(
        "drift.analog_sgd.as_printed",
        -(S.alpha / S.tau) * S.m_abs * S.w,
        (S.alpha, S.tau, S.m_abs, S.w),
        relation="equal",
        source="arXiv v1 eq. (11) (C19)",
    ),
    "tiki_taka": register(
        "drift.tiki_taka.as_printed",
        -(S.alpha * S.beta / S.tau) * S.m_abs * S.w,
        (S.alpha, S.beta, S.tau, S.m_abs, S.w),
        relation="equal",
        source="arXiv v1 eq. (12) (C20)",
    ),
    "tiki_taka_p_mean": register(
        "drift.tiki_taka_p_mean.as_printed",
        (1 - (S.beta / S.tau) * S.m_abs) * S.P,
        (S.beta, S.tau, S.m_abs, S.P),
        relation="equal",
        source="arXiv v1 eq. (13) (C21)",
    ),
}


#: grid of p for the two-point drifts. p = 1/2 (the Rademacher law, registered on its own) is left
#: out: there 2 sqrt(p) sqrt(1 - p) rounds to 1 + 2^-52, and at s = beta = tau = 1 the contraction
#: factor 1 - beta E|eps|/tau of (13) is exactly 0, a cancellation no float formula avoids (the
#: public functions below evaluate in mpmath).
_GRID_P = (1e-3, 0.01, 0.1, 0.25, 0.3, 0.75, 0.9, 0.99, 0.999)


def _domain(quantity: str) -> tuple:
    if quantity == "tiki_taka_p_mean":
        return (sp.Abs(S.P) <= S.tau,)  # P inside its device range
    return (sp.Abs(S.w - S.w_sp) <= S.tau,)  # W inside its device range


def _register_all() -> dict:
    formulas: dict = {}
    for quantity, (what, base) in QUANTITIES.items():
        formulas[quantity] = {}
        formulas[f"{quantity}_critical"] = {}
        generic = structured(quantity)
        formulas[quantity]["generic"] = register(
            f"drift.{quantity}.generic",
            generic,
            base + (S.h_abs,),
            relation="equal",
            source=f"derived here: {what} for any zero-mean law, h_abs = E|g + eps|",
            domain=_domain(quantity),
        )
        critical = generic.subs({S.g: 0, S.h_abs: S.m_abs})
        formulas[f"{quantity}_critical"]["generic"] = register(
            f"drift.{quantity}_critical.generic",
            critical,
            tuple(b for b in base if b != S.g) + (S.m_abs,),
            relation="equal",
            source=f"derived here: {what} at g = 0, m_abs = E|eps|",
            domain=_domain(quantity),
        )
        for kind, cls in LAWS.items():
            law = cls.symbolic()
            law_params = tuple(cls.parameter_symbols.values())
            values = {S.p: _GRID_P} if S.p in law_params else {}
            domain = _domain(quantity) + ((S.p < 1,) if S.p in law_params else ())
            expr = structured(quantity, law)
            formulas[quantity][kind] = register(
                f"drift.{quantity}.{kind}",
                expr,
                base + law_params,
                relation="equal",
                source=f"derived here: {what}, eps ~ {cls.__name__}",
                domain=domain,
                values=values,
            )
            formulas[f"{quantity}_critical"][kind] = register(
                f"drift.{quantity}_critical.{kind}",
                critical.subs(S.m_abs, law.mean_abs_expression()),
                tuple(b for b in base if b != S.g) + law_params,
                relation="equal",
                source=f"derived here: {what} at g = 0, eps ~ {cls.__name__}",
                domain=domain,
                values=values,
            )
    # Theorem 2's instance: the two-point law at its own state, w_sp = 0 (compare (95)-(97))
    state = formulas["analog_sgd_critical"]["two_point"].expr.subs(S.w_sp, 0).subs(TwoPointLaw.state_substitution())
    formulas["analog_sgd_critical"]["two_point_state"] = register(
        "drift.analog_sgd_critical.two_point_state",
        sp.factor(sp.simplify(state)),
        (S.alpha, S.tau, S.sigma, S.D, S.w),
        relation="equal",
        source="derived here: eq. (11) under the two-point law of eqs. (66-67), p = (1 - w/tau)/2",
        domain=(sp.Abs(S.w) < S.tau,),
    )
    return formulas


#: "<quantity>" or "<quantity>_critical" -> law kind (or "generic", "two_point_state") -> Formula
DRIFT_FORMULAS: dict[str, dict[str, Formula]] = _register_all()


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------


def _numeric_law(law) -> CoordinateLaw:
    law = _require_law(law)
    if isinstance(law, ZeroMeanLaw) or law.is_symbolic:
        raise ValueError(f"law must be a numeric GaussianLaw, RademacherLaw or TwoPointLaw, got {law!r}")
    return law


def _evaluate(quantity: str, law: CoordinateLaw, inputs: dict) -> float:
    """The registered closed form at 50 digits (mpmath), rounded once: the factors (w - w_sp) and
    1 - beta E|g + eps|/tau can cancel, which the float twin would leave to rounding. ``inputs``
    maps the public parameter names to the values, in the formula's order; a value beyond float64
    raises a ValueError naming them."""
    value = float(DRIFT_FORMULAS[quantity][law.kind].exact(*inputs.values(), *law._numbers()))
    return require_finite_value(f"the {quantity} drift", value, **inputs)


def _noise_part(coefficient: mpmath.mpf, law: CoordinateLaw, g: float, inputs: dict) -> float:
    """coefficient * (E|g + eps| - |g|), both in mpmath (the excess cancels in floats, and the
    coefficient's product of the inputs may leave float64 where the product with the excess does not)."""
    excess = law.expected_abs_excess(g)
    return require_finite_value("the noise-induced part", float(coefficient * excess), **inputs)


def _noiseless(tau: float, w_sp: float, w: float, dw: float, inputs: dict, *, step: bool) -> float:
    """``U(w, dw)`` on the ALD (tau, w_sp), the update without noise (``step``: minus w); ``dw`` leaving
    float64 (``-alpha g`` at extreme inputs) or a result beyond float64 raise a ValueError naming ``inputs``."""
    require_finite_value("the requested update", dw, **inputs)
    with np.errstate(all="ignore"):
        value = float(AsymmetricLinearDevice(tau, w_sp).update(w, dw)) - (w if step else 0.0)
    return require_finite_value("the noiseless update", value, **inputs)


def _printed(quantity: str, law: CoordinateLaw, inputs: dict) -> float:
    """The printed form (11)-(13) in float64 at ``inputs`` (public names -> values, E|eps| from the law
    inserted before the last one, as the formulas order them); a value beyond float64 raises naming them."""
    *head, (_, last) = inputs.items()
    args = [value for _, value in head] + [law.mean_abs(), last]
    return PRINTED[quantity].value(*args, inputs=inputs)


def _range_condition(name: str, value: float, tau: float, **inputs) -> Condition:
    """``|value| <= tau``; a ``value`` beyond float64 (``w - w_sp`` at extreme inputs) raises naming ``inputs``."""
    value = require_finite_value(name, value, **inputs)
    return Condition(f"|{name}| <= tau (inside the device range)", abs(value), "<=", tau, source="section 2.3 (ALD)")


def analog_sgd_drift(
    law: CoordinateLaw, w: float, *, alpha: float, tau: float, g: float = 0.0, w_sp: float = 0.0
) -> Bound:
    """Expected one-step drift of Analog SGD: ``E[W_{k+1}] - W_k = -alpha g - (alpha/tau)(w - w_sp) E|g + eps|``.

    Setting: one coordinate of an ALD (bound tau, symmetric point w_sp) at weight w, gradient
    coordinate g, eps ~ ``law``. Algorithm: Analog SGD (3), ``W' = U(W, -alpha (g + eps))``.
    Claim: equal (exact), derived here from the update rule; at g = 0 and w_sp = 0 it is eq. (11),
    ``-(alpha/tau) E|eps| W_k`` (C19). ``terms`` splits it into the noiseless step
    ``U(w, -alpha g) - w`` and the noise-induced part ``-(alpha/tau)(w - w_sp)(E|g + eps| - |g|)``.

    Args:
        law: a numeric GaussianLaw, RademacherLaw or TwoPointLaw (for the two-point law of
            Theorem 2, build it at this state with ``TwoPointLaw.from_state``).
        w: the weight.
        alpha: step size, > 0.
        tau: device bound, > 0.
        g: gradient coordinate (0: a critical point).
        w_sp: the device's symmetric point.

    >>> from bounds.noise_laws import GaussianLaw
    >>> b = analog_sgd_drift(GaussianLaw(1.0), 0.5, alpha=0.2, tau=1.0)
    >>> unit = analog_sgd_drift(GaussianLaw(1.0), 0.5, alpha=1.0, tau=1.0).value
    >>> abs(b.value - 0.2 * unit) < 1e-16                                      # proportional to alpha
    True
    """
    law = _numeric_law(law)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w, g, w_sp = require_real("w", w), require_real("g", g), require_real("w_sp", w_sp)
    inputs = {"alpha": alpha, "tau": tau, "g": g, "w": w, "w_sp": w_sp}
    value = _evaluate("analog_sgd", law, inputs)
    deterministic = _noiseless(tau, w_sp, w, -alpha * g, inputs, step=True)
    coefficient = -(mpmath.mpf(alpha) / tau) * (mpmath.mpf(w) - w_sp)
    return Bound(
        "Analog SGD drift E[W_{k+1}] - W_k",
        "equal",
        value,
        (_range_condition("w - w_sp", w - w_sp, tau, w=w, w_sp=w_sp),),
        source=DRIFT_FORMULAS["analog_sgd"][law.kind].name,
        assumes=(f"eps_k has the law {law!r} (zero mean)",),
        terms={"deterministic": deterministic, "noise_induced": _noise_part(coefficient, law, g, inputs)},
    )


def analog_sgd_drift_as_printed(law: CoordinateLaw, w: float, *, alpha: float, tau: float) -> Bound:
    """Eq. (11) as printed: at a critical point, ``E[W_{k+1}] - W_k = -(alpha/tau) E|eps_k| W_k`` (C19).

    Setting: Analog SGD on an ALD with symmetric point 0, grad f(W_k) = 0. Equal. It agrees with
    :func:`analog_sgd_drift` at g = 0, w_sp = 0; for w_sp != 0 the derived drift has W_k - w_sp.

    >>> from bounds.noise_laws import GaussianLaw
    >>> law = GaussianLaw(0.3)
    >>> printed = analog_sgd_drift_as_printed(law, 0.4, alpha=0.1, tau=2.0).value
    >>> abs(printed - analog_sgd_drift(law, 0.4, alpha=0.1, tau=2.0).value) <= 1e-15 * abs(printed)
    True
    """
    law = _numeric_law(law)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w = require_real("w", w)
    value = _printed("analog_sgd", law, {"alpha": alpha, "tau": tau, "w": w})
    return Bound(
        "eq. (11) as printed",
        "equal",
        value,
        (),
        source=PRINTED["analog_sgd"].source,
        assumes=("grad f(W_k) = 0", "symmetric point 0", f"eps_k has the law {law!r}"),
    )


def tiki_taka_drift(
    law: CoordinateLaw, w: float, *, alpha: float, beta: float, tau: float, g: float = 0.0, w_sp: float = 0.0
) -> Bound:
    """Expected one-step drift of Tiki-Taka from P_k = 0: ``-alpha beta g - (alpha beta/tau)(w - w_sp) E|g + eps|``.

    Setting: W on an ALD (bound tau, symmetric point w_sp) at weight w, P on an ALD (bound tau,
    symmetric point 0) at P_k = 0, gradient coordinate g, eps ~ ``law``. Algorithm: (TT-P) then
    (TT-W). Claim: equal (exact), derived here; at g = 0 and w_sp = 0 it is eq. (12),
    ``-(alpha beta/tau) E|eps| W_k`` (C20): proportional to alpha beta.

    Args:
        law: a numeric GaussianLaw, RademacherLaw or TwoPointLaw.
        w: the weight W_k.
        alpha: transfer step size, > 0.
        beta: step size of P, > 0.
        tau: device bound of both arrays, > 0.
        g: gradient coordinate (0: a critical point).
        w_sp: W's symmetric point.

    >>> from bounds.noise_laws import RademacherLaw
    >>> law = RademacherLaw(1.0)
    >>> tt = tiki_taka_drift(law, 0.5, alpha=0.1, beta=0.5, tau=1.0).value
    >>> tt == analog_sgd_drift(law, 0.5, alpha=0.05, tau=1.0).value             # alpha beta plays alpha
    True
    """
    law = _numeric_law(law)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w, g, w_sp = require_real("w", w), require_real("g", g), require_real("w_sp", w_sp)
    inputs = {"alpha": alpha, "beta": beta, "tau": tau, "g": g, "w": w, "w_sp": w_sp}
    value = _evaluate("tiki_taka", law, inputs)
    deterministic = _noiseless(tau, w_sp, w, -alpha * beta * g, inputs, step=True)
    coefficient = -(mpmath.mpf(alpha) * beta / tau) * (mpmath.mpf(w) - w_sp)
    return Bound(
        "Tiki-Taka drift E[W_{k+1}] - W_k (P_k = 0)",
        "equal",
        value,
        (_range_condition("w - w_sp", w - w_sp, tau, w=w, w_sp=w_sp),),
        source=DRIFT_FORMULAS["tiki_taka"][law.kind].name,
        assumes=("P_k = 0", f"eps_k has the law {law!r} (zero mean)"),
        terms={
            "deterministic": deterministic,
            "noise_induced": _noise_part(coefficient, law, g, inputs),
        },
    )


def tiki_taka_drift_as_printed(law: CoordinateLaw, w: float, *, alpha: float, beta: float, tau: float) -> Bound:
    """Eq. (12) as printed: with grad f = 0, P_k = 0, ``E[W_{k+1}] - W_k = -(alpha beta/tau) E|eps_k| W_k`` (C20).

    >>> from bounds.noise_laws import GaussianLaw
    >>> law = GaussianLaw(2.0)
    >>> printed = tiki_taka_drift_as_printed(law, 0.3, alpha=0.1, beta=0.2, tau=1.0).value
    >>> abs(printed - tiki_taka_drift(law, 0.3, alpha=0.1, beta=0.2, tau=1.0).value) <= 1e-15 * abs(printed)
    True
    """
    law = _numeric_law(law)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    w = require_real("w", w)
    value = _printed("tiki_taka", law, {"alpha": alpha, "beta": beta, "tau": tau, "w": w})
    return Bound(
        "eq. (12) as printed",
        "equal",
        value,
        (),
        source=PRINTED["tiki_taka"].source,
        assumes=("grad f(W_k) = 0", "P_k = 0", "symmetric point 0", f"eps_k has the law {law!r}"),
    )


def tiki_taka_p_mean(law: CoordinateLaw, P: float, *, beta: float, tau: float, g: float = 0.0) -> Bound:
    """Expected next auxiliary weight of Tiki-Taka: ``E[P_{k+1}] = P + beta g - (beta/tau) P E|g + eps|``.

    Setting: P on an ALD with bound tau and symmetric point 0, at P_k = P; gradient coordinate g;
    eps ~ ``law``. Algorithm: (TT-P), ``P' = U_P(P, beta (g + eps))``. Claim: equal (exact), derived
    here; at g = 0 it is eq. (13), ``(1 - (beta/tau) E|eps|) P_k`` (C21).

    Args:
        law: a numeric GaussianLaw, RademacherLaw or TwoPointLaw.
        P: the auxiliary weight P_k.
        beta: step size of P, > 0.
        tau: device bound, > 0.
        g: gradient coordinate (0: a critical point).

    >>> from bounds.noise_laws import RademacherLaw
    >>> tiki_taka_p_mean(RademacherLaw(1.0), 0.5, beta=0.1, tau=1.0).value       # (1 - 0.1) * 0.5
    0.45
    """
    law = _numeric_law(law)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    P, g = require_real("P", P), require_real("g", g)
    inputs = {"beta": beta, "tau": tau, "g": g, "P": P}
    value = _evaluate("tiki_taka_p_mean", law, inputs)
    deterministic = _noiseless(tau, 0.0, P, beta * g, inputs, step=False)
    return Bound(
        "Tiki-Taka E[P_{k+1}]",
        "equal",
        value,
        (_range_condition("P", P, tau, P=P),),
        source=DRIFT_FORMULAS["tiki_taka_p_mean"][law.kind].name,
        assumes=(f"eps_k has the law {law!r} (zero mean)",),
        terms={
            "deterministic": deterministic,
            "noise_induced": _noise_part(-(mpmath.mpf(beta) / tau) * P, law, g, inputs),
        },
    )


def tiki_taka_p_mean_as_printed(law: CoordinateLaw, P: float, *, beta: float, tau: float) -> Bound:
    """Eq. (13) as printed: with grad f = 0, ``E[P_{k+1}] = (1 - (beta/tau) E|eps_k|) P_k`` (C21).

    >>> from bounds.noise_laws import GaussianLaw
    >>> law = GaussianLaw(0.5)
    >>> printed = tiki_taka_p_mean_as_printed(law, -0.2, beta=0.3, tau=1.0).value
    >>> abs(printed - tiki_taka_p_mean(law, -0.2, beta=0.3, tau=1.0).value) <= 1e-15 * abs(printed)
    True
    """
    law = _numeric_law(law)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    P = require_real("P", P)
    value = _printed("tiki_taka_p_mean", law, {"beta": beta, "tau": tau, "P": P})
    return Bound(
        "eq. (13) as printed",
        "equal",
        value,
        (),
        source=PRINTED["tiki_taka_p_mean"].source,
        assumes=("grad f(W_k) = 0", f"eps_k has the law {law!r}"),
    )
