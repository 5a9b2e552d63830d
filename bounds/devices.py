r"""Device models: response factors, their symmetric and asymmetric parts, the compact update.

Setting (paper, section 2.2 and App. C). One analog weight ``w`` receives a requested update
``dw``. The device applies it with state-dependent response factors ``q_+(w), q_-(w) >= 0``
(eq. 6)::

    U(w, dw) = w + dw * q_+(w)   if dw >= 0,
               w + dw * q_-(w)   if dw <  0.

With the symmetric part ``F = (q_- + q_+)/2`` and the asymmetric part ``G = (q_- - q_+)/2``
this is the compact form (eq. 7), applied coordinate-wise to arrays::

    U(w, dw) = w + dw * F(w) - |dw| * G(w).

Each device is a frozen dataclass of its constants, validated on construction. Its response
factors are written once, as sympy expressions in the symbols of :mod:`bounds.symbols`
(class methods ``*_expression``); the vectorised numpy functions (``q_plus``, ``q_minus``, ``F``,
``G``, ``update``) are lambdified from those expressions, so the two cannot disagree.

Validation. The constructors and the public methods check their arguments (a ValueError or
TypeError naming the parameter) and never return NaN or an infinity: a response factor or an
update that leaves float64 (or is undefined, e.g. the power-step device outside its range) raises
a ValueError naming ``w`` (and ``dw``). The simulation engine's per-step path is not validated:
:meth:`Device.apply_update` and the private ``_evaluate``, ``_update`` and ``_saturation_degree``
take the float64 arrays the engine allocated (and keep a NaN of a diverged chain as NaN).

>>> dev = AsymmetricLinearDevice(tau=2.0)
>>> float(dev.update(1.0, 0.5))      # saturation: 1 + 0.5 * (1 - 1/2)
1.25
>>> float(dev.update(1.0, -0.5))     # fast reset: 1 - 0.5 * (1 + 1/2)
0.25
"""

from __future__ import annotations

import abc
import dataclasses
import functools
import keyword
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import scipy.optimize
import sympy as sp

from . import symbols as S
from .formula import require_expression
from .validation import require_array, require_real

__all__ = [
    "Device",
    "IdealDevice",
    "AsymmetricLinearDevice",
    "SoftBoundsDevice",
    "PowerStepDevice",
    "ExponentialStepDevice",
    "define_device",
    "LinearResponseDevice",
    "PowerResponseDevice",
    "ExponentialResponseDevice",
    "C_LIN",
    "GAMMA_RES",
]


_TINY = float(np.finfo(np.float64).tiny)


def _require_range(names: str, low: float, high: float, **values) -> None:
    """The device range [low, high] must be finite (its ends are float sums of the constants)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        raise ValueError(f"{names} must keep the device range [{low:g}, {high:g}] within float64, got {shown}")


@functools.cache
def _lambdified(cls, part: str):
    """numpy function ``(w, *parameters) -> part(w)`` for ``part`` in q_plus, q_minus, F, G."""
    q_plus, q_minus = cls._response_expressions(S.w)
    expr = {
        "q_plus": q_plus,
        "q_minus": q_minus,
        "F": (q_minus + q_plus) / 2,
        "G": (q_minus - q_plus) / 2,
    }[part]
    return sp.lambdify((S.w, *cls.parameter_symbols.values()), expr, modules="numpy")


class Device(abc.ABC):
    """An analog device with response factors ``q_+`` and ``q_-`` on its range [w_min, w_max].

    Subclasses are frozen dataclasses whose fields are the device constants, listed in
    ``parameter_symbols`` (field name -> sympy symbol), and implement ``_response_expressions``
    (:meth:`response_expressions` checks its argument and calls it).
    """

    parameter_symbols: ClassVar[dict[str, sp.Symbol]] = {}
    #: the range ends ``(w_min, w_max)`` as sympy expressions in the parameter symbols (None: unbounded)
    range_ends: ClassVar[tuple[sp.Expr, sp.Expr] | None] = None
    #: whether :meth:`saturation_degree` is defined (the paper defines it for the ALD only;
    #: we extend it to the other linear device, soft bounds)
    defines_saturation: ClassVar[bool] = False

    # ---- symbolic side --------------------------------------------------------------------
    # The arguments are sympy expressions (or real numbers): see formula.require_expression.
    @classmethod
    @abc.abstractmethod
    def _response_expressions(cls, w: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
        """``(q_+(w), q_-(w))`` for a checked sympy ``w`` (each device writes its factors here)."""

    @classmethod
    def response_expressions(cls, w: sp.Expr = S.w) -> tuple[sp.Expr, sp.Expr]:
        """``(q_+(w), q_-(w))`` as sympy expressions in the class's parameter symbols.

        ``w`` is a sympy expression or a real number (TypeError/ValueError naming ``w`` otherwise).
        """
        return cls._response_expressions(require_expression("w", w))

    @classmethod
    def symmetric_part_expression(cls, w: sp.Expr = S.w) -> sp.Expr:
        """``F(w) = (q_-(w) + q_+(w)) / 2``."""
        q_plus, q_minus = cls.response_expressions(w)
        return (q_minus + q_plus) / 2

    @classmethod
    def asymmetric_part_expression(cls, w: sp.Expr = S.w) -> sp.Expr:
        """``G(w) = (q_-(w) - q_+(w)) / 2``."""
        q_plus, q_minus = cls.response_expressions(w)
        return (q_minus - q_plus) / 2

    @classmethod
    def update_expression(cls, w: sp.Expr = S.w, dw: sp.Expr = S.dw) -> sp.Expr:
        """The compact update (7): ``U(w, dw) = w + dw F(w) - |dw| G(w)``."""
        w, dw = require_expression("w", w), require_expression("dw", dw)
        return w + dw * cls.symmetric_part_expression(w) - sp.Abs(dw) * cls.asymmetric_part_expression(w)

    @classmethod
    def piecewise_update_expression(cls, w: sp.Expr = S.w, dw: sp.Expr = S.dw) -> sp.Expr:
        """The definition (6): ``w + dw q_+(w)`` if ``dw >= 0``, else ``w + dw q_-(w)``."""
        w, dw = require_expression("w", w), require_expression("dw", dw)
        q_plus, q_minus = cls.response_expressions(w)
        return sp.Piecewise((w + dw * q_plus, dw >= 0), (w + dw * q_minus, True))

    @classmethod
    def range_expressions(cls) -> tuple[sp.Expr, sp.Expr]:
        """``(w_min, w_max)`` as sympy expressions in the parameter symbols (2502.06309 [tau_min, tau_max]).

        A TypeError for a device without a bounded range (the ideal device).
        """
        if cls.range_ends is None:
            raise TypeError(f"{cls.__name__} has no bounded range (range_ends is None)")
        return cls.range_ends

    @property
    def substitutions(self) -> dict[sp.Symbol, float]:
        """Parameter symbol -> this device's value, for ``expr.subs``."""
        return {sym: getattr(self, name) for name, sym in self.parameter_symbols.items()}

    # ---- numeric side ---------------------------------------------------------------------
    # Public methods check their arguments and results; the private ones (_evaluate, _update,
    # _saturation_degree, apply_update) are the engine's unchecked per-step path.
    def _evaluate(self, part: str, w):
        """``part(w)`` (part: q_plus, q_minus, F, G) on float64 input, unchecked (engine path)."""
        w = np.asarray(w, dtype=np.float64)
        values = [getattr(self, name) for name in self.parameter_symbols]
        out = np.asarray(_lambdified(type(self), part)(w, *values), dtype=np.float64)
        if out.shape != w.shape:  # constant parts (F = 1 for the ALD) come back as scalars
            out = np.broadcast_to(out, w.shape).copy()
        return out

    def _update(self, w, dw):
        """The compact update on float64 input, unchecked (engine path)."""
        w, dw = np.broadcast_arrays(np.asarray(w, np.float64), np.asarray(dw, np.float64))
        return w + dw * self._evaluate("F", w) - np.abs(dw) * self._evaluate("G", w)

    def _finite(self, what: str, out: np.ndarray, **inputs) -> np.ndarray:
        """``out`` if every entry is finite; otherwise a ValueError naming the inputs at the first bad entry."""
        finite = np.isfinite(out)
        if finite.all():
            return out
        at = np.unravel_index(np.argmin(finite), out.shape) if out.ndim else ()
        shown = ", ".join(f"{k}={float(np.broadcast_to(v, out.shape)[at])!r}" for k, v in inputs.items())
        kind = "undefined" if np.isnan(out[at]) else "beyond float64"
        raise ValueError(
            f"{self!r}.{what} is {kind} at {shown} (the device range is [{self.w_min:g}, {self.w_max:g}]): "
            f"{' and '.join(inputs)} and the device's constants must keep it finite"
        )

    def _part(self, part: str, w):
        w = require_array("w", w)
        with np.errstate(all="ignore"):
            out = self._evaluate(part, w)
        return self._finite(f"{part}(w)", out, w=w)

    def q_plus(self, w):
        """Up-response factor ``q_+(w)``, vectorised over a real array ``w``."""
        return self._part("q_plus", w)

    def q_minus(self, w):
        """Down-response factor ``q_-(w)``, vectorised over a real array ``w``."""
        return self._part("q_minus", w)

    def F(self, w):  # noqa: N802 (the paper's name)
        """Symmetric part ``F(w) = (q_-(w) + q_+(w)) / 2``, vectorised."""
        return self._part("F", w)

    def G(self, w):  # noqa: N802 (the paper's name)
        """Asymmetric part ``G(w) = (q_-(w) - q_+(w)) / 2``, vectorised."""
        return self._part("G", w)

    def update(self, w, dw):
        """Compact update ``U(w, dw) = w + dw F(w) - |dw| G(w)``, vectorised (``w`` and ``dw`` broadcast)."""
        w, dw = require_array("w", w), require_array("dw", dw)
        try:
            shape = np.broadcast_shapes(w.shape, dw.shape)
        except ValueError:
            raise ValueError(f"w and dw must broadcast to one shape, got shapes {w.shape} and {dw.shape}") from None
        with np.errstate(all="ignore"):
            out = self._update(w, dw)
        return self._finite("update(w, dw)", out.reshape(shape), w=w, dw=dw)

    def apply_update(self, W: np.ndarray, dW: np.ndarray, scratch: np.ndarray) -> None:
        """In place: ``W <- U(W, dW)``. Overwrites ``dW`` and ``scratch`` (same shape as W).

        Engine-internal and unchecked: the arrays are the float64 arrays the engine allocated
        (validated at ``simulate()``); use :meth:`update` for a checked, out-of-place update.
        """
        np.abs(dW, out=scratch)
        scratch *= self._evaluate("G", W)
        dW *= self._evaluate("F", W)
        W += dW
        W -= scratch

    @property
    @abc.abstractmethod
    def w_min(self) -> float:
        """Lower end of the device's bounded range."""

    @property
    @abc.abstractmethod
    def w_max(self) -> float:
        """Upper end of the device's bounded range."""

    @property
    def symmetric_point(self) -> float:
        """w_sp with G(w_sp) = 0, found as the root of the increasing function G on the range."""
        with np.errstate(all="ignore"):
            return scipy.optimize.brentq(lambda x: float(self._evaluate("G", x)), self.w_min, self.w_max, xtol=1e-15)

    def saturation_degree(self, row_max, row_min) -> np.ndarray:
        """Per chain, the saturation degree given each chain's largest and smallest weight.

        Defined where :attr:`defines_saturation` is True (the ALD and soft bounds); the others raise
        a TypeError. ``row_max`` and ``row_min`` are real arrays of one shape (or broadcasting);
        a result beyond float64 raises a ValueError naming them.
        """
        if not self.defines_saturation:
            raise TypeError(
                f"{type(self).__name__} defines no saturation degree (only devices with defines_saturation, "
                "the AsymmetricLinearDevice and SoftBoundsDevice, do)"
            )
        row_max, row_min = require_array("row_max", row_max), require_array("row_min", row_min)
        try:
            np.broadcast_shapes(row_max.shape, row_min.shape)
        except ValueError:
            raise ValueError(
                f"row_max and row_min must broadcast to one shape, got shapes {row_max.shape} and {row_min.shape}"
            ) from None
        with np.errstate(all="ignore"):
            out = np.asarray(self._saturation_degree(row_max, row_min), dtype=np.float64)
        return self._finite("saturation_degree", out, row_max=row_max, row_min=row_min)

    def _saturation_degree(self, row_max: np.ndarray, row_min: np.ndarray) -> np.ndarray:
        """:meth:`saturation_degree` on float64 arrays, unchecked (engine path; NaN stays NaN)."""
        raise TypeError(f"{type(self).__name__} defines no saturation degree")


@dataclass(frozen=True)
class IdealDevice(Device):
    """The ideal device of digital training: ``q_+ = q_- = 1``, so F = 1, G = 0, ``U(w, dw) = w + dw``."""

    @classmethod
    def _response_expressions(cls, w):
        return sp.Integer(1), sp.Integer(1)

    @property
    def w_min(self) -> float:
        return -np.inf

    @property
    def w_max(self) -> float:
        return np.inf

    @property
    def symmetric_point(self) -> float:
        return 0.0

    def apply_update(self, W, dW, scratch):
        W += dW


@dataclass(frozen=True)
class AsymmetricLinearDevice(Device):
    r"""Asymmetric linear device (ALD), section 2.3.

    ``q_+(w) = 1 - (w - w_sp)/tau`` and ``q_-(w) = 1 + (w - w_sp)/tau``, so ``F = 1`` and
    ``G(w) = (w - w_sp)/tau``; the update (8) is ``w + dw - |dw| (w - w_sp)/tau`` on the range
    ``[w_sp - tau, w_sp + tau]``. The paper takes ``w_sp = 0`` unless it says otherwise.
    """

    tau: float
    """Device bound: the response factors vanish at w_sp +- tau. Must be > 0."""
    w_sp: float = 0.0
    """Symmetric point: ``q_+(w_sp) = q_-(w_sp) = 1``."""

    parameter_symbols: ClassVar = {"tau": S.tau, "w_sp": S.w_sp}
    range_ends: ClassVar = (S.w_sp - S.tau, S.w_sp + S.tau)
    defines_saturation: ClassVar = True

    def __post_init__(self):
        object.__setattr__(self, "tau", require_real("tau", self.tau, low=0.0, low_open=True))
        object.__setattr__(self, "w_sp", require_real("w_sp", self.w_sp))
        _require_range("tau and w_sp", self.w_sp - self.tau, self.w_sp + self.tau, tau=self.tau, w_sp=self.w_sp)

    @classmethod
    def _response_expressions(cls, w):
        return 1 - (w - S.w_sp) / S.tau, 1 + (w - S.w_sp) / S.tau

    @classmethod
    def saturation_factor_expression(cls, w=S.w):
        """Lemma 1, saturation: ``|w_{k+1} - w_k| = |1 - |w - w_sp|/tau| |dw|`` when dw pushes w away from w_sp."""
        w = require_expression("w", w)
        return sp.Abs(1 - sp.Abs(w - S.w_sp) / S.tau)

    @classmethod
    def fast_reset_factor_expression(cls, w=S.w):
        """Lemma 1, fast reset: ``|w_{k+1} - w_k| = |1 + |w - w_sp|/tau| |dw|`` when dw pulls w toward w_sp."""
        w = require_expression("w", w)
        return sp.Abs(1 + sp.Abs(w - S.w_sp) / S.tau)

    @property
    def w_min(self) -> float:
        return self.w_sp - self.tau

    @property
    def w_max(self) -> float:
        return self.w_sp + self.tau

    @property
    def symmetric_point(self) -> float:
        return self.w_sp

    def apply_update(self, W, dW, scratch):
        """In place: ``W <- W + dW - |dW| (W - w_sp)/tau`` (five passes when w_sp = 0)."""
        if self.w_sp == 0.0:
            np.abs(dW, out=scratch)
            scratch *= W
        else:
            np.subtract(W, self.w_sp, out=scratch)
            scratch *= np.abs(dW)
        scratch *= 1.0 / self.tau
        dW -= scratch
        W += dW

    def _saturation_degree(self, row_max, row_min):
        """``||W - w_sp||_inf / tau`` per chain."""
        return np.maximum(row_max - self.w_sp, self.w_sp - row_min) / self.tau


@dataclass(frozen=True)
class SoftBoundsDevice(Device):
    r"""Linear-step (soft-bounds) device, eq. (21).

    ``q_+(w) = 1 - (w - w_sp)/tau_max`` and ``q_-(w) = 1 - (w - w_sp)/tau_min`` with
    ``tau_min < 0 < tau_max``, so (22) ``F(w) = 1 - (1/tau_max + 1/tau_min)(w - w_sp)/2`` and
    ``G(w) = (q_- - q_+)/2 = +(1/tau_max - 1/tau_min)(w - w_sp)/2``; the paper prints (23) with a
    leading minus, which is a sign slip (at ``tau_max = -tau_min = tau`` it would give ``-w/tau``, not
    the ALD's ``G = w/tau``). The range is ``[w_sp + tau_min, w_sp + tau_max]``;
    ``tau_max = tau, tau_min = -tau`` is the ALD.
    """

    tau_max: float
    """Offset of the upper bound from the symmetric point. Must be > 0."""
    tau_min: float
    """Offset of the lower bound from the symmetric point. Must be < 0."""
    w_sp: float = 0.0
    """Symmetric point."""

    parameter_symbols: ClassVar = {"tau_max": S.tau_max, "tau_min": S.tau_min, "w_sp": S.w_sp}
    range_ends: ClassVar = (S.w_sp + S.tau_min, S.w_sp + S.tau_max)
    defines_saturation: ClassVar = True

    def __post_init__(self):
        object.__setattr__(self, "tau_max", require_real("tau_max", self.tau_max, low=0.0, low_open=True))
        try:
            tau_min = require_real("tau_min", self.tau_min, high=0.0, high_open=True)
        except ValueError as err:
            raise ValueError(
                f"{err} (the symmetric point w_sp must lie inside the device range [w_sp + tau_min, w_sp + tau_max])"
            ) from None
        object.__setattr__(self, "tau_min", tau_min)
        object.__setattr__(self, "w_sp", require_real("w_sp", self.w_sp))
        _require_range(
            "tau_max, tau_min and w_sp",
            self.w_sp + self.tau_min,
            self.w_sp + self.tau_max,
            tau_max=self.tau_max,
            tau_min=self.tau_min,
            w_sp=self.w_sp,
        )

    @classmethod
    def _response_expressions(cls, w):
        return 1 - (w - S.w_sp) / S.tau_max, 1 - (w - S.w_sp) / S.tau_min

    @property
    def w_min(self) -> float:
        return self.w_sp + self.tau_min

    @property
    def w_max(self) -> float:
        return self.w_sp + self.tau_max

    @property
    def symmetric_point(self) -> float:
        return self.w_sp

    def _saturation_degree(self, row_max, row_min):
        """Per chain, the largest distance from w_sp as a fraction of the bound on that side."""
        return np.maximum((row_max - self.w_sp) / self.tau_max, (row_min - self.w_sp) / self.tau_min)


@dataclass(frozen=True)
class _BoundedStepDevice(Device):
    """Common constants of the power- and exponential-step devices, on the range [tau_min, tau_max]."""

    tau_max: float
    """Upper bound of the weight range."""
    tau_min: float
    """Lower bound of the weight range. Must be < tau_max."""
    gamma_plus: float = 1.0
    """Up-response shape constant. Must be > 0."""
    gamma_minus: float = 1.0
    """Down-response shape constant. Must be > 0."""

    parameter_symbols: ClassVar = {
        "tau_max": S.tau_max,
        "tau_min": S.tau_min,
        "gamma_plus": S.gamma_plus,
        "gamma_minus": S.gamma_minus,
    }
    range_ends: ClassVar = (S.tau_min, S.tau_max)

    def __post_init__(self):
        tau_max = require_real("tau_max", self.tau_max)
        object.__setattr__(self, "tau_max", tau_max)
        try:
            tau_min = require_real("tau_min", self.tau_min, high=tau_max, high_open=True)
        except ValueError as err:
            raise ValueError(f"{err} (the range is [tau_min, tau_max], tau_max = {tau_max!r})") from None
        object.__setattr__(self, "tau_min", tau_min)
        for name in ("gamma_plus", "gamma_minus"):
            object.__setattr__(self, name, require_real(name, getattr(self, name), low=0.0, low_open=True))
        width = self.tau_max - self.tau_min
        if not math.isfinite(width) or width < _TINY:
            raise ValueError(
                f"tau_max and tau_min must span a width tau_max - tau_min that is a normal float64 "
                f"(between {_TINY:.3g} and {np.finfo(np.float64).max:.3g}), got tau_max={self.tau_max!r}, "
                f"tau_min={self.tau_min!r}"
            )

    @property
    def w_min(self) -> float:
        return self.tau_min

    @property
    def w_max(self) -> float:
        return self.tau_max


@dataclass(frozen=True)
class PowerStepDevice(_BoundedStepDevice):
    r"""Power-step device, eq. (24), on the range [tau_min, tau_max].

    ``q_+(w) = ((tau_max - w)/(tau_max - tau_min))^gamma_plus`` and
    ``q_-(w) = ((w - tau_min)/(tau_max - tau_min))^gamma_minus``. The factors are not normalised
    (F(w_sp) != 1 in general), as in the paper's Figure 6.
    """

    @classmethod
    def _response_expressions(cls, w):
        width = S.tau_max - S.tau_min
        return ((S.tau_max - w) / width) ** S.gamma_plus, ((w - S.tau_min) / width) ** S.gamma_minus


@dataclass(frozen=True)
class ExponentialStepDevice(_BoundedStepDevice):
    r"""Exponential-step device, eqs. (25)-(26), on the range [tau_min, tau_max].

    ``q_+(w) = 1 - exp(-gamma_plus (tau_max - w)/(tau_max - tau_min))`` and
    ``q_-(w) = 1 - exp(-gamma_minus (w - tau_min)/(tau_max - tau_min))``.
    """

    @classmethod
    def _response_expressions(cls, w):
        width = S.tau_max - S.tau_min
        return (
            1 - sp.exp(-S.gamma_plus * (S.tau_max - w) / width),
            1 - sp.exp(-S.gamma_minus * (w - S.tau_min) / width),
        )


# ---- the 2025 paper's response functions (arXiv 2502.06309): one definition of q+ and q- per device ----

#: the linear device's bias c_Lin (2502.06309 §1, Figure 2): ``q+ = (1 + c_Lin)(1 - w/tau)``, ``|c_Lin| < 1``
C_LIN = sp.Symbol("c_Lin", real=True)
#: the shape constant gamma_res of the power and exponential responses (2502.06309 App. K.1 (144)-(145))
GAMMA_RES = sp.Symbol("gamma_res", positive=True)


def _require_name(value) -> str:
    if not isinstance(value, str) or not value.isidentifier() or keyword.iskeyword(value) or value.startswith("_"):
        raise ValueError(f"name must be a public Python identifier (a class name), got {value!r}")
    return value


def _require_parameters(parameters) -> dict[str, sp.Symbol]:
    """``parameters`` as an ordered dict field name -> sympy Symbol (a sequence of Symbols uses their names)."""
    if isinstance(parameters, Mapping):
        items = list(parameters.items())
    elif isinstance(parameters, Sequence) and not isinstance(parameters, str):
        items = [(getattr(sym, "name", None), sym) for sym in parameters]
    else:
        raise TypeError(
            f"parameters must be a dict (field name -> sympy Symbol) or a sequence of Symbols, got {parameters!r}"
        )
    out: dict[str, sp.Symbol] = {}
    for name, sym in items:
        if not isinstance(sym, sp.Symbol):
            raise TypeError(f"parameters must map field names to sympy Symbols, got {sym!r} for {name!r}")
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise ValueError(f"parameters: each field name must be a public Python identifier, got {name!r}")
        if sym == S.w or sym in out.values() or name in out:
            raise ValueError(f"parameters must be distinct symbols other than w, got {sym!r} for {name!r} twice")
        if sym.is_real is not True:
            raise ValueError(f"parameters: the symbol {sym!r} must be declared real (sp.Symbol(..., real=True))")
        out[name] = sym
    return out


def _require_in(what: str, expr, allowed: set) -> sp.Expr:
    expr = require_expression(what, expr)
    extra = expr.free_symbols - allowed
    if extra:
        raise ValueError(f"{what} may use only {sorted(map(str, allowed))}, got the symbols {sorted(map(str, extra))}")
    return expr


def _require_parameter_value(name: str, sym: sp.Symbol, value) -> float:
    """A real field value; > 0 for a positive symbol, >= 0 for a nonnegative one (its declared assumptions)."""
    if sym.is_positive:
        return require_real(name, value, low=0.0, low_open=True)
    if sym.is_nonnegative:
        return require_real(name, value, low=0.0)
    if sym.is_negative:
        return require_real(name, value, high=0.0, high_open=True)
    if sym.is_nonpositive:
        return require_real(name, value, high=0.0)
    return require_real(name, value)


class _DefinedDevice(Device):
    """Base of the classes made by :func:`define_device` (class attributes set there)."""

    _q_plus: ClassVar[sp.Expr]
    _q_minus: ClassVar[sp.Expr]
    constraints: ClassVar[tuple] = ()

    def __post_init__(self):
        for name, sym in self.parameter_symbols.items():
            object.__setattr__(self, name, _require_parameter_value(name, sym, getattr(self, name)))
        subs = self.substitutions
        shown = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.parameter_symbols)
        for rule in self.constraints:
            if rule.subs(subs) is not sp.true:
                raise ValueError(f"{type(self).__name__} needs {rule}, got {shown}")
        low, high = (float(end.subs(subs)) for end in self.range_ends)
        names = " and ".join(self.parameter_symbols) or "the constants"
        _require_range(names, low, high, **{k: getattr(self, k) for k in self.parameter_symbols})
        width = high - low
        if not math.isfinite(width) or width < _TINY:
            raise ValueError(
                f"{type(self).__name__}'s range [{low:g}, {high:g}] must have a positive width, got {shown}"
            )
        object.__setattr__(self, "_ends", (low, high))
        with np.errstate(all="ignore"):
            probe = np.array([low, (low + high) / 2, high])
            for part in ("q_plus", "q_minus"):
                if not np.isfinite(self._evaluate(part, probe)).all():
                    raise ValueError(
                        f"{type(self).__name__}'s {part}(w) must be finite on its range [{low:g}, {high:g}] "
                        f"(it is not at an end or the middle in float64), got {shown}"
                    )

    @classmethod
    def _response_expressions(cls, w):
        if w == S.w:
            return cls._q_plus, cls._q_minus
        return cls._q_plus.subs(S.w, w), cls._q_minus.subs(S.w, w)

    @property
    def w_min(self) -> float:
        return self._ends[0]

    @property
    def w_max(self) -> float:
        return self._ends[1]


def define_device(
    name: str,
    q_plus,
    q_minus,
    parameters,
    w_min,
    w_max,
    *,
    constraints=(),
    defaults=None,
    doc: str | None = None,
) -> type[Device]:
    r"""A new :class:`Device` class from ONE definition of its response functions (2502.06309 (3)).

    ``q_plus`` and ``q_minus`` are sympy expressions in :data:`bounds.symbols.w` and the
    ``parameters`` (a dict field name -> real sympy Symbol, or a sequence of Symbols named as the
    fields); ``w_min``, ``w_max`` the range ends as expressions in the parameters; ``constraints``
    sympy relations in the parameters every instance must satisfy (e.g. ``Abs(c) < 1``);
    ``defaults`` field name -> default value (trailing fields only). The class is a frozen dataclass
    whose instances check each constant (> 0 for a positive symbol, >= 0 for a nonnegative one), the
    constraints, and that the range is finite, ordered and q+- finite on it; F, G, the update, the
    engine path (``apply_update``) and the calculus of :mod:`bounds.response` follow.

    >>> import sympy as sp
    >>> from bounds.symbols import w, tau
    >>> Cubic = define_device("Cubic", 1 - (w / tau) ** 3, 1 + (w / tau) ** 3, {"tau": tau}, -tau, tau)
    >>> float(Cubic(2.0).G(1.0))
    0.125
    """
    name = _require_name(name)
    symbols = _require_parameters(parameters)
    allowed = {S.w, *symbols.values()}
    q_p = _require_in("q_plus", q_plus, allowed)
    q_m = _require_in("q_minus", q_minus, allowed)
    ends = tuple(_require_in(end, value, set(symbols.values())) for end, value in (("w_min", w_min), ("w_max", w_max)))
    if isinstance(constraints, sp.Basic):
        constraints = (constraints,)
    if not isinstance(constraints, (list, tuple)):
        raise TypeError(f"constraints must be a sympy relation or a list/tuple of them, got {constraints!r}")
    rules = []
    for rule in constraints:
        if not isinstance(rule, sp.core.relational.Relational):
            raise TypeError(f"constraints must be sympy relations (e.g. sp.Abs(c) < 1), got {rule!r}")
        extra = rule.free_symbols - set(symbols.values())
        if extra:
            raise ValueError(f"constraints may use only the parameters, got the symbols {sorted(map(str, extra))}")
        rules.append(rule)
    if defaults is None:
        defaults = {}
    if not isinstance(defaults, Mapping):
        raise TypeError(f"defaults must be a dict (field name -> value) or None, got {defaults!r}")
    defaults = dict(defaults)
    unknown = set(defaults) - set(symbols)
    if unknown:
        raise ValueError(f"defaults name fields that are not parameters: {sorted(unknown)}")
    fields, seen_default = [], False
    for field_name, sym in symbols.items():
        if field_name in defaults:
            value = _require_parameter_value(f"defaults[{field_name!r}]", sym, defaults[field_name])
            fields.append((field_name, float, dataclasses.field(default=value)))
            seen_default = True
        elif seen_default:
            raise ValueError(f"defaults must be given for trailing fields only; {field_name!r} follows a default")
        else:
            fields.append((field_name, float))
    if doc is not None and not isinstance(doc, str):
        raise TypeError(f"doc must be a string or None, got {doc!r}")
    text = doc or f"Device {name}: q_+(w) = {q_p}, q_-(w) = {q_m} on [{ends[0]}, {ends[1]}] (made by define_device)."
    namespace = {
        "__doc__": text,
        "parameter_symbols": dict(symbols),
        "_q_plus": q_p,
        "_q_minus": q_m,
        "range_ends": ends,
        "constraints": tuple(rules),
    }
    cls = dataclasses.make_dataclass(name, fields, bases=(_DefinedDevice,), frozen=True, namespace=namespace)
    cls.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)  # where it is defined (pickling)
    return cls


_u = S.w / S.tau

LinearResponseDevice = define_device(
    "LinearResponseDevice",
    (1 + C_LIN) * (1 - _u),
    (1 - C_LIN) * (1 + _u),
    {"tau": S.tau, "c_lin": C_LIN},
    -S.tau,
    S.tau,
    constraints=(sp.Abs(C_LIN) < 1,),
    defaults={"c_lin": 0.0},
    doc=r"""Linear response with bias c_Lin (2502.06309 §1, Figure 2), range [-tau, tau], ``|c_lin| < 1``.

    ``q_+(w) = (1 + c_lin)(1 - w/tau)``, ``q_-(w) = (1 - c_lin)(1 + w/tau)``; symmetric point
    ``c_lin tau``; ``c_lin = 0`` is the ALD. Fields: ``tau`` (> 0), ``c_lin`` (default 0).""",
)

PowerResponseDevice = define_device(
    "PowerResponseDevice",
    (1 - _u) ** GAMMA_RES,
    (1 + _u) ** GAMMA_RES,
    {"tau": S.tau, "gamma": GAMMA_RES},
    -S.tau,
    S.tau,
    doc=r"""Power response (2502.06309 App. K.1 (144)), range [-tau, tau].

    ``q_+(w) = (1 - w/tau)^gamma``, ``q_-(w) = (1 + w/tau)^gamma``; symmetric point 0, q+-(0) = 1;
    ``gamma = 1`` is the ALD. Fields: ``tau`` (> 0), ``gamma`` (> 0).""",
)

ExponentialResponseDevice = define_device(
    "ExponentialResponseDevice",
    (sp.exp(GAMMA_RES * (1 - _u)) - 1) / (sp.exp(GAMMA_RES) - 1),
    (sp.exp(GAMMA_RES * (1 + _u)) - 1) / (sp.exp(GAMMA_RES) - 1),
    {"tau": S.tau, "gamma": GAMMA_RES},
    -S.tau,
    S.tau,
    doc=r"""Exponential response (2502.06309 App. K.1 (145)), range [-tau, tau].

    ``q_+(w) = (exp(gamma (1 - w/tau)) - 1)/(exp(gamma) - 1)``,
    ``q_-(w) = (exp(gamma (1 + w/tau)) - 1)/(exp(gamma) - 1)``; symmetric point 0,
    q+-(0) = 1; tends to the ALD as gamma -> 0. Fields: ``tau`` (> 0), ``gamma`` (> 0).""",
)
