r"""Pulse updates (paper App. B, eqs. 15-20): the n-pulse composition in closed form and its error.

Setting. A device with response factors ``q_+(w), q_-(w)`` (:mod:`bounds.devices`) changes its weight
only by pulses of granularity ``dw_min > 0``. One pulse of sign ``s`` is (15)::

    U_p(w, +) = w + dw_min q_+(w),        U_p(w, -) = w - dw_min q_-(w).

A requested update ``dw`` is applied as ``n`` pulses of sign ``s = sign(dw)``; the paper takes
``n = BL = ceil(|dw|/dw_min)`` (16), so that ``|BL dw_min - |dw|| <= dw_min`` (17), and claims (18)-(19)::

    U_p^BL(w, s) = w + dw q_s(w) + O(dw_min) + O(dw^2)                           (19)

and, for the ALD (``|q'_s| = 1/tau``, ``q''_s = 0``), (20)::

    |U_p^BL(w, s) - U(w, dw)| <= dw_min/tau + dw_min^2 BL(BL-1)/(2 tau) <= dw_min/tau + dw^2/(2 tau).

Closed form (derived here). For the soft-bounds device (21), and hence for the ALD
(``tau_max = tau, tau_min = -tau``), one pulse is affine in ``u = w - w_sp`` with fixed point at the
bound ``b_s`` of its side (``b_+ = tau_max``, ``b_- = tau_min``)::

    u' - b_s = r_s (u - b_s),     r_+ = 1 - dw_min/tau_max,     r_- = 1 + dw_min/tau_min,

so n pulses approach the bound geometrically::

    U_p^n(w, s) = w_sp + b_s + r_s^n (w - w_sp - b_s).

:func:`composition_proof` proves this for symbolic ``n`` by induction (base ``n = 0`` and the step
``U_p(U_p^n) = U_p^{n+1}`` both cancel exactly) and, independently, by composing (15) ``n = 1..6``
times.

Exact error for the ALD (derived here). With ``a = dw_min/tau``, ``x = |dw|/tau`` and ``U = w + dw q_s(w)``
(6), both sides share the fixed point, so::

    U_p^n(w, s) - U(w, dw) = -tau q_s(w) [((1 - a)^n - (1 - n a)) - (n a - x)].

For ``0 < a <= 1`` the first bracket lies in ``[0, n(n-1)a^2/2]`` and, with ``n = BL``, the second in
``[0, a)``; they have opposite signs, so::

    |U_p^BL - U| <= q_s(w) max(dw_min, dw_min^2 BL(BL-1)/(2 tau)).                 (corrected 20)

Since ``q_s(w)`` reaches 2 at the far end of the range, the first term is up to ``2 dw_min``, not
``dw_min/tau``: (20) as printed fails whenever ``q_s(w) > 1/tau`` and ``dw`` is just above a multiple of
``dw_min`` (e.g. ``w = -tau``, ``dw = 1.01 dw_min``, ``tau = 1``: error ~ 2 dw_min, bound ~ dw_min). Its
second inequality also fails: ``BL(BL-1) dw_min^2 > dw^2`` for ``dw = 1.01 dw_min`` (BL = 2).

>>> import sympy as sp
>>> from bounds import symbols as S
>>> e = composition_expression("ald", +1, n_pulses)
>>> sp.simplify(e.subs(n_pulses, 1) - (S.w + dw_min * (1 - (S.w - S.w_sp) / S.tau)))
0
>>> all(c["outcome"] == "proved" for c in composition_proof())
True
"""

from __future__ import annotations

import numbers

import numpy as np
import sympy as sp

from . import symbols as S
from .devices import AsymmetricLinearDevice, SoftBoundsDevice
from .formula import register, require_expression
from .validation import require_array, require_finite_value, require_int

__all__ = [
    "dw_min",
    "n_pulses",
    "single_pulse_expression",
    "composition_expression",
    "composition_proof",
    "ald_error_expression",
    "ald_bound_expression",
    "ald_bound_intermediate_expression",
    "ald_corrected_bound_expression",
    "first_order_expression",
    "DEVICE_KINDS",
    "snap_to_integer",
    "pulse_ratio",
    "bit_length",
    "FORMULAS_PULSES",
]

#: the response granularity Delta w_min of one pulse (15)
dw_min = sp.Symbol("Delta_w_min", positive=True)
#: the number of pulses n (the bit length BL of (16) when ``n = ceil(|dw|/dw_min)``)
n_pulses = sp.Symbol("n", integer=True, nonnegative=True)

#: a ratio |dw|/dw_min within this many ulps of an integer is that integer (a pulse is never gained or lost to
#: the rounding of the division: 0.02/0.001 = 20.000000000000004 in binary floating point)
ULPS = 8
#: the largest n that :func:`composition_proof` composes explicitly: the composed expression grows with
#: every pulse and its cancellation with it (n = 10 takes about a second, 20 minutes); the induction
#: proof covers every n anyway
MAX_EXPLICIT = 10


def snap_to_integer(ratio) -> np.ndarray:
    """``ratio`` (finite reals) with values within :data:`ULPS` ulps of an integer replaced by that integer."""
    return _snap(require_array("ratio", ratio))


def _snap(ratio: np.ndarray) -> np.ndarray:
    """:func:`snap_to_integer` on a finite float64 array, unchecked."""
    nearest = np.rint(ratio)
    close = np.abs(ratio - nearest) <= ULPS * np.finfo(np.float64).eps * np.maximum(np.abs(nearest), 1.0)
    return np.where(close, nearest, ratio)


def pulse_ratio(dw, step: float) -> np.ndarray:
    """``|dw|/step`` (``step`` = dw_min > 0), exact at integers (:func:`snap_to_integer`).

    >>> float(pulse_ratio(0.02, 0.001)), float(pulse_ratio(0.3, 0.1))
    (20.0, 3.0)

    ``dw`` and ``step`` are real arrays that broadcast, every ``step`` > 0; a ratio beyond float64
    raises a ValueError naming both.
    """
    dw = require_array("dw", dw)
    step = require_array("step", step, low=0.0, low_open=True)
    try:
        np.broadcast_shapes(dw.shape, step.shape)
    except ValueError:
        raise ValueError(f"dw and step must broadcast to one shape, got shapes {dw.shape} and {step.shape}") from None
    with np.errstate(all="ignore"):
        ratio = np.abs(dw) / step
    finite = np.isfinite(ratio)
    if not finite.all():
        at = np.unravel_index(np.argmin(finite), ratio.shape)
        shown = {k: float(np.broadcast_to(v, ratio.shape)[at]) for k, v in (("dw", dw), ("step", step))}
        require_finite_value("|dw|/step", np.inf, **shown)
    return _snap(ratio)


def bit_length(dw, step: float) -> np.ndarray:
    """``BL = ceil(|dw|/dw_min)`` (16), exact at multiples of dw_min (:func:`pulse_ratio`).

    >>> float(bit_length(0.02, 0.001)), float(bit_length(0.020001, 0.001)), float(bit_length(0.0, 0.001))
    (20.0, 21.0, 0.0)
    """
    return np.ceil(pulse_ratio(dw, step))


#: devices with a closed-form n-pulse composition, by short name
DEVICE_KINDS = {"ald": AsymmetricLinearDevice, "soft_bounds": SoftBoundsDevice}


def _require_kind(kind) -> str:
    if not isinstance(kind, str) or kind not in DEVICE_KINDS:
        raise ValueError(f"kind must be one of {sorted(DEVICE_KINDS)}, got {kind!r}"[:200])
    return kind


def _require_sign(sign) -> int:
    if isinstance(sign, bool) or not isinstance(sign, numbers.Real) or sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1, got {sign!r}"[:200])
    return int(sign)


def _bound_and_ratio(kind: str, sign: int):
    """(b_s, r_s): the fixed point offset of the side and the contraction ratio of one pulse."""
    kind, sign = _require_kind(kind), _require_sign(sign)
    if kind == "ald":
        b = S.tau if sign > 0 else -S.tau
    else:
        b = S.tau_max if sign > 0 else S.tau_min
    return b, 1 - dw_min / b if sign > 0 else 1 + dw_min / b


def _require_count(n) -> sp.Expr:
    """A number of pulses: a non-negative integer or a sympy expression (e.g. ``n_pulses + 1``)."""
    if not isinstance(n, sp.Basic):
        return sp.Integer(require_int("n", n, low=0))
    n = require_expression("n", n)
    if n.is_number and not (n.is_integer and n >= 0):
        raise ValueError(f"n must be a non-negative integer or a sympy expression, got {n}")
    return n


def single_pulse_expression(kind: str, sign: int, w: sp.Expr = S.w) -> sp.Expr:
    """One pulse (15): ``w + dw_min q_+(w)`` (sign +1) or ``w - dw_min q_-(w)`` (sign -1), from the
    device's own response factors."""
    _bound_and_ratio(kind, sign)
    w = require_expression("w", w)
    q_plus, q_minus = DEVICE_KINDS[kind].response_expressions(w)
    return w + dw_min * q_plus if sign > 0 else w - dw_min * q_minus


def composition_expression(kind: str, sign: int, n: sp.Expr = n_pulses, w: sp.Expr = S.w) -> sp.Expr:
    """``U_p^n(w, s) = w_sp + b_s + r_s^n (w - w_sp - b_s)``: n pulses of sign s in closed form.

    ``n`` is a non-negative integer or a sympy expression, ``w`` a sympy expression or a real number.
    """
    b, r = _bound_and_ratio(kind, sign)
    n, w = _require_count(n), require_expression("w", w)
    return S.w_sp + b + r**n * (w - S.w_sp - b)


def composition_proof(max_explicit: int = 6) -> list[dict]:
    """Prove the closed form: by induction on symbolic n, and by explicit composition for n = 1..max_explicit.

    Returns one record per (device, sign, method) with ``outcome`` ``"proved"`` or ``"failed"`` and the
    residual that had to cancel. ``max_explicit`` is in ``[1, MAX_EXPLICIT]``.
    """
    max_explicit = require_int(
        "max_explicit",
        max_explicit,
        low=1,
        high=MAX_EXPLICIT,
        reason="the explicit composition grows with n: 10 takes about a second, 20 minutes",
    )
    records = []
    for kind in DEVICE_KINDS:
        for sign in (1, -1):
            closed = composition_expression(kind, sign)
            base = sp.cancel(closed.subs(n_pulses, 0) - S.w)
            step_residual = single_pulse_expression(kind, sign, closed) - composition_expression(
                kind, sign, n_pulses + 1
            )
            step = sp.simplify(sp.powsimp(sp.expand_power_base(sp.expand(step_residual), force=False)))
            records.append(
                {
                    "device": kind,
                    "sign": sign,
                    "method": "induction (symbolic n)",
                    "outcome": "proved" if base == 0 and step == 0 else "failed",
                    "residual": f"base {base}, step {step}",
                }
            )
            composed = S.w
            residuals = []
            for n in range(1, max_explicit + 1):
                composed = single_pulse_expression(kind, sign, composed)
                residuals.append(sp.cancel(sp.expand(composed - composition_expression(kind, sign, n))))
            records.append(
                {
                    "device": kind,
                    "sign": sign,
                    "method": f"explicit n = 1..{max_explicit}",
                    "outcome": "proved" if all(r == 0 for r in residuals) else "failed",
                    "residual": str(residuals),
                }
            )
    return records


def first_order_expression(kind: str, sign: int) -> sp.Expr:
    """The first-order term of (19): ``w + dw q_s(w)``, i.e. the update (6) for dw of sign s."""
    kind, sign = _require_kind(kind), _require_sign(sign)
    q_plus, q_minus = DEVICE_KINDS[kind].response_expressions(S.w)
    return S.w + S.dw * (q_plus if sign > 0 else q_minus)


def ald_error_expression(sign: int) -> sp.Expr:
    """``U_p^n(w, s) - U(w, dw)`` for the ALD at ``w_sp = 0``, exact, in w, dw, dw_min, tau and n."""
    return (composition_expression("ald", sign) - first_order_expression("ald", sign)).subs(S.w_sp, 0)


def ald_bound_expression() -> sp.Expr:
    """The right-hand side of (20) as printed: ``dw_min/tau + dw^2/(2 tau)``."""
    return dw_min / S.tau + S.dw**2 / (2 * S.tau)


def ald_bound_intermediate_expression() -> sp.Expr:
    """The middle term of (20): ``dw_min/tau + dw_min^2 n(n-1)/(2 tau)`` with n = BL."""
    return dw_min / S.tau + dw_min**2 * n_pulses * (n_pulses - 1) / (2 * S.tau)


def ald_corrected_bound_expression(sign: int) -> sp.Expr:
    """Corrected (20), derived in the module docstring: ``q_s(w) max(dw_min, dw_min^2 n(n-1)/(2 tau))``
    (ALD, w_sp = 0, n = BL, dw_min <= tau)."""
    sign = _require_sign(sign)
    q_plus, q_minus = AsymmetricLinearDevice.response_expressions(S.w)
    q = (q_plus if sign > 0 else q_minus).subs(S.w_sp, 0)
    return q * sp.Max(dw_min, dw_min**2 * n_pulses * (n_pulses - 1) / (2 * S.tau))


# ---- the registry: numpy twins held to mpmath by tests/test_formulas.py --------------------------------
# Grid values: weights inside the range and dw_min well below tau keep the closed form well conditioned
# (r^n (w - b) is not left to cancel against b to many digits), so the registry's 1e-12 applies.
_W = (-0.9, -0.5, 0.0, 0.3, 0.8)
_TAU = (1.0, 1.5, 2.0, 2.5)
_DWMIN = (1e-3, 1e-2, 0.1)
_N = (0, 1, 2, 3, 10, 100)
_SB = {S.tau_max: (1.0, 1.5, 3.0), S.tau_min: (-2.0, -1.5, -1.0), S.w_sp: (-0.2, 0.0, 0.1)}

FORMULAS_PULSES = {}
for _kind in DEVICE_KINDS:
    for _sign, _name in ((1, "up"), (-1, "down")):
        _expr = composition_expression(_kind, _sign)
        _params = tuple(sorted(_expr.free_symbols, key=lambda s: s.name))
        FORMULAS_PULSES[f"{_kind}_{_name}"] = register(
            f"pulses.{_kind}_composition_{_name}",
            _expr,
            _params,
            relation="equal",
            source="App. B (v1), eq. 15 composed n times; closed form derived here",
            values={S.w: _W, S.tau: _TAU, dw_min: _DWMIN, n_pulses: _N, S.w_sp: (0.0, 0.1), **_SB},
        )
for _sign, _name in ((1, "up"), (-1, "down")):
    FORMULAS_PULSES[f"ald_error_{_name}"] = register(
        f"pulses.ald_error_{_name}",
        ald_error_expression(_sign),
        (S.w, S.dw, dw_min, S.tau, n_pulses),
        relation="equal",
        source="App. B (v1), eqs. 18-20; derived here",
        values={
            S.w: _W,
            S.dw: (0.0005, 0.015, 0.25) if _sign > 0 else (-0.25, -0.015, -0.0005),
            S.tau: _TAU,
            dw_min: _DWMIN,
            n_pulses: _N,
        },
    )
    FORMULAS_PULSES[f"ald_corrected_bound_{_name}"] = register(
        f"pulses.ald_corrected_bound_{_name}",
        ald_corrected_bound_expression(_sign),
        (S.w, dw_min, S.tau, n_pulses),
        relation="upper",
        source="App. B (v1), eq. 20, corrected here",
        values={S.w: _W, S.tau: _TAU, dw_min: _DWMIN, n_pulses: _N},
    )
FORMULAS_PULSES["ald_bound"] = register(
    "pulses.ald_bound_eq20",
    ald_bound_expression(),
    (dw_min, S.dw, S.tau),
    relation="upper",
    source="App. B (v1), eq. 20 (as printed)",
)
FORMULAS_PULSES["ald_bound_intermediate"] = register(
    "pulses.ald_bound_eq20_middle",
    ald_bound_intermediate_expression(),
    (dw_min, S.tau, n_pulses),
    relation="upper",
    source="App. B (v1), eq. 20 (middle term, as printed)",
)
