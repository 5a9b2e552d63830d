r"""Pulse-level updates (paper App. B): a requested update applied as discrete pulses.

A requested update ``dW`` (an (R, D) array, one chain per row) is turned into signed pulse counts ``n``
(:meth:`PulseModel.pulse_counts`), and each weight then receives ``|n|`` pulses of sign ``sign(n)``, each
one (15) ``w <- w + dw_min q_+(w)`` or ``w <- w - dw_min q_-(w)`` at the current w
(:meth:`PulseModel.apply_update`). Pulse-count laws:

* ``deterministic``: ``|n| = BL = ceil(|dW|/dw_min)`` (16).
* ``stochastic_rounding``: ``|n| = floor(|dW|/dw_min) + Bernoulli(frac)``, so ``E|n| = |dW|/dw_min`` and
  ``Var|n| = frac (1 - frac)``.
* ``stochastic_trains`` (AIHWKit's default pulsed update, written from its documented law): for an
  outer-product update ``lr d x^T`` two Bernoulli streams of length BL with per-slot probabilities
  ``A|x_j|`` and ``B|d_i|`` (clipped to 1) coincide ``|n|`` times, so ``|n| ~ Binomial(BL, p_x p_d)``.
  A vector problem has no separate x and d. *Decision:* each chain's rank-one update is taken to have
  ``lr max|x| max|d| = m := max_j |dW_j|``, every weight being its own 1x1 outer product in it:

  - bit-length management: ``BL = min(ceil(m/dw_min), desired_bl)`` (at least 1); else ``BL = desired_bl``;
  - update management (``A max|x| = B max|d| = sqrt(m/(dw_min BL))``): ``p = min(1, |dW_j|/(dw_min BL))``,
    so ``E|n| = |dW_j|/dw_min`` whenever nothing is clipped;
  - without it ``A = B = sqrt(lr/(dw_min BL))`` needs x and d: we take ``lr = 1``,
    ``x_j = |dW_j|/sqrt(m)`` and ``d = sqrt(m)``, so ``p_x = min(1, |dW_j|/sqrt(m dw_min BL))`` and
    ``p_d = min(1, sqrt(m/(dw_min BL)))``; the count is ``Binomial(BL, p_x p_d)`` (the streams are
    independent slot by slot, so coincidences are i.i.d. Bernoulli(p_x p_d)).

  The counts are drawn by :mod:`verify.sim.sampling` (exact, from one uniform per weight).

  The sign is ``sign(dW)``.

Applying the counts. For the ALD and the soft-bounds device without cycle-to-cycle noise, n pulses cost
O(1) through the closed form of :mod:`bounds.pulses`, ``w <- w + (w_sp + b_s - w)(1 - r_s^n)``, with
``1 - r^n = -expm1(n log1p(-dw_min/|b_s|))`` for accuracy when ``r`` is close to 1. Otherwise (other devices,
or ``dw_min_std > 0``: each pulse scaled by ``1 + dw_min_std xi``, ``xi ~ N(0, 1)``) the pulses are applied
one at a time, vectorised, up to the largest ``|n|`` of the batch.

>>> from bounds import AsymmetricLinearDevice
>>> model = PulseModel(AsymmetricLinearDevice(tau=1.0), dw_min=0.25, counting="deterministic")
>>> W = np.array([[0.0]]); model.apply_update(W, np.array([[0.3]]), None, np.empty((1, 1))); W
array([[0.4375]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bounds.devices import AsymmetricLinearDevice, Device, SoftBoundsDevice
from bounds.pulses import ULPS, bit_length
from bounds.validation import require_array, require_instance, require_real

from ._limits import capped_int, capped_real, short
from .sampling import binomial_block

__all__ = ["PulseModel", "COUNTING_MODES", "pulse_loop"]

COUNTING_MODES = ("deterministic", "stochastic_rounding", "stochastic_trains")

#: the most pulses one weight receives in one update on the pulse-by-pulse path (and the largest ``desired_bl``):
#: each pulse is a pass over the whole batch, so a step asking for more would not finish in reasonable time
MAX_PULSES = 10**6
#: the largest relative spread (``dw_min_std``, ``dw_min_dtod``, ``bound_dtod``): AIHWKit's defaults are 0.3 and
#: below; at 10 a pulse's size is mostly noise (46% of the pulses flip sign)
MAX_SPREAD = 10.0
_EPS = np.finfo(np.float64).eps


def _ratio(abs_dw: np.ndarray, dw_min) -> np.ndarray:
    """``|dW|/dw_min`` snapped to integers within :data:`bounds.pulses.ULPS` ulps (as
    :func:`bounds.pulses.pulse_ratio`, without its argument checks: this runs at every step)."""
    ratio = abs_dw / dw_min
    nearest = np.rint(ratio)
    close = np.abs(ratio - nearest) <= ULPS * _EPS * np.maximum(np.abs(nearest), 1.0)
    return np.where(close, nearest, ratio)


def _side_bounds(device: Device):
    """(b_+, b_-) offsets from w_sp for devices with a closed form, else None."""
    if isinstance(device, AsymmetricLinearDevice):
        return device.tau, -device.tau
    if isinstance(device, SoftBoundsDevice):
        return device.tau_max, device.tau_min
    return None


def pulse_loop(
    device: Device, W: np.ndarray, counts: np.ndarray, dw_min: float, rng=None, dw_min_std: float = 0.0
) -> None:
    """In place: apply ``|counts|`` pulses of sign ``sign(counts)`` one at a time (the reference path).

    Pulse k (k = 0, 1, ...) acts on the entries with ``|counts| > k``; with ``dw_min_std > 0`` its size is
    ``dw_min (1 + dw_min_std xi)``, one ``xi ~ N(0, 1)`` per entry and pulse.

    ``W`` is a float64 numpy array of finite values (updated in place); ``counts`` integers of the same
    shape, at most :data:`MAX_PULSES` in magnitude; ``dw_min`` a number > 0 or an array of them shaped like W;
    ``rng`` a ``numpy.random.Generator`` when ``dw_min_std > 0``.

    >>> from bounds import AsymmetricLinearDevice
    >>> W = np.zeros(2); pulse_loop(AsymmetricLinearDevice(1.0), W, np.array([2.0, -1.0]), 0.5); W
    array([ 0.75, -0.5 ])
    """
    require_instance("device", device, Device, "AsymmetricLinearDevice(tau=1.0)")
    if not isinstance(W, np.ndarray) or W.dtype != np.float64 or not W.flags.writeable:
        raise TypeError(f"W must be a writable float64 numpy array (it is updated in place), got {short(W)}")
    require_array("W", W)
    counts = require_array("counts", counts)
    if counts.size and np.abs(counts).max() > MAX_PULSES:
        raise ValueError(f"counts must have every |entry| <= {MAX_PULSES} (pulses applied one at a time)")
    if counts.shape != W.shape:
        raise ValueError(f"counts must have W's shape {W.shape}, got shape {counts.shape}")
    if not np.array_equal(counts, np.rint(counts)):
        raise ValueError("counts must hold whole numbers of pulses")
    if np.ndim(dw_min) == 0:
        dw_min = require_real("dw_min", dw_min, low=0.0, low_open=True)
    else:
        dw_min = require_array("dw_min", dw_min, shape=W.shape, low=0.0)
    dw_min_std = capped_real("dw_min_std", dw_min_std, low=0.0, high=MAX_SPREAD, reason="a relative spread")
    if dw_min_std > 0.0 and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator when dw_min_std > 0, got {short(rng)}")
    with np.errstate(all="ignore"):
        _pulse_loop(device, W, counts, dw_min, rng, dw_min_std)
    if not np.isfinite(W).all():
        raise ValueError(
            f"dw_min={short(dw_min)} and dw_min_std={dw_min_std!r} are too large for the device: W left float64's range"
        )


def _pulse_loop(device: Device, W: np.ndarray, counts: np.ndarray, dw_min, rng, dw_min_std: float) -> None:
    """:func:`pulse_loop` without its argument checks (the engine's path, at every step).

    A non-finite count (a diverged update) makes its weight NaN, for the engine to report; a finite count above
    :data:`MAX_PULSES` is refused, naming dw_min."""
    magnitude = np.abs(counts)
    up = counts > 0
    top = float(magnitude.max()) if magnitude.size else 0.0
    if not top <= MAX_PULSES:
        finite = np.isfinite(magnitude)
        if not finite.all():
            W[~finite] = np.nan
            magnitude = np.where(finite, magnitude, 0.0)
            top = float(magnitude.max())
        if top > MAX_PULSES:
            raise ValueError(
                f"dw_min is too small for the requested updates: one weight needs {top:.3g} pulses in one step, more "
                f"than the {MAX_PULSES} applied one at a time (raise dw_min or lower the step size)"
            )
    for k in range(int(top)):
        active = magnitude > k
        step = np.where(up, device._evaluate("q_plus", W), -device._evaluate("q_minus", W))
        step *= dw_min
        if dw_min_std > 0.0:
            step *= 1.0 + dw_min_std * rng.standard_normal(W.shape)
        W += np.where(active, step, 0.0)


@dataclass(frozen=True)
class PulseModel:
    """How a device turns a requested update into pulses: granularity, count law, managements, noise."""

    device: Device
    """The device whose response factors ``q_+``, ``q_-`` set each pulse (15)."""
    dw_min: float
    """Pulse granularity Delta w_min. Must be > 0."""
    counting: str = "stochastic_rounding"
    """``deterministic`` (16), ``stochastic_rounding`` or ``stochastic_trains`` (see the module docstring)."""
    desired_bl: int = 31
    """Largest bit length of a pulse train (``stochastic_trains``). In [1, :data:`MAX_PULSES`]."""
    bl_management: bool = True
    """``stochastic_trains``: BL = min(ceil(max|dW|/dw_min), desired_bl) per chain, else desired_bl."""
    update_management: bool = True
    """``stochastic_trains``: balance the two streams' probabilities (see the module docstring)."""
    dw_min_std: float = 0.0
    """Cycle-to-cycle relative noise of each pulse's size. In [0, :data:`MAX_SPREAD`]."""
    dw_min_dtod: float = 0.0
    """Device-to-device spread: each weight's own granularity is ``dw_min max(0, 1 + dw_min_dtod xi)``,
    ``xi ~ N(0, 1)`` drawn once per weight (:meth:`device_spread`); pulse counts still use the nominal
    dw_min, as a controller that does not know each device would. In [0, :data:`MAX_SPREAD`]."""
    bound_dtod: float = 0.0
    """Device-to-device spread of the bounds: each weight's ``b_+`` and ``b_-`` (offsets of the bounds from
    w_sp) are scaled by ``max(0.05, 1 + bound_dtod xi)``, independently. ALD and soft bounds only. In
    [0, :data:`MAX_SPREAD`]."""

    def __post_init__(self):
        if not isinstance(self.device, Device):
            raise ValueError(f"device must be a bounds.devices.Device, got {short(self.device)}")
        object.__setattr__(self, "dw_min", require_real("dw_min", self.dw_min, low=0.0, low_open=True))
        if not isinstance(self.counting, str) or self.counting not in COUNTING_MODES:
            raise ValueError(f"counting must be one of {COUNTING_MODES}, got {short(self.counting)}")
        bl_reason = "a pulse train's slots; AIHWKit's default is 31"
        desired_bl = capped_int("desired_bl", self.desired_bl, low=1, high=MAX_PULSES, reason=bl_reason)
        object.__setattr__(self, "desired_bl", desired_bl)
        for name in ("bl_management", "update_management"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be a bool, got {short(getattr(self, name))}")
            object.__setattr__(self, name, bool(getattr(self, name)))
        reason = "a relative spread; AIHWKit's defaults are 0.3 and below"
        for name in ("dw_min_std", "dw_min_dtod", "bound_dtod"):  # relative spreads: 1 + spread xi scales a pulse
            value = capped_real(name, getattr(self, name), low=0.0, high=MAX_SPREAD, reason=reason)
            object.__setattr__(self, name, value)
        if self.bound_dtod > 0.0 and _side_bounds(self.device) is None:
            raise ValueError(f"bound_dtod > 0 needs an AsymmetricLinearDevice or SoftBoundsDevice, got {self.device!r}")

    #: names of the per-weight device parameters that :meth:`device_spread` draws
    SPREAD_NAMES = ("dw_min", "b_up", "b_down")

    @property
    def has_spread(self) -> bool:
        """Whether weights differ from device to device (``dw_min_dtod`` or ``bound_dtod`` > 0)."""
        return self.dw_min_dtod > 0.0 or self.bound_dtod > 0.0

    def device_spread(self, shape, rng) -> dict[str, np.ndarray]:
        """Each weight's own ``dw_min``, ``b_up``, ``b_down``, drawn once (empty without spread).

        >>> from bounds import AsymmetricLinearDevice
        >>> m = PulseModel(AsymmetricLinearDevice(1.0), 0.01, dw_min_dtod=0.3)
        >>> s = m.device_spread((2, 3), np.random.default_rng(0)); sorted(s), bool(np.all(s["b_up"] == 1.0))
        (['b_down', 'b_up', 'dw_min'], True)
        """
        if not self.has_spread:
            return {}
        rng = self._require_rng(rng)
        bounds_ = _side_bounds(self.device) or (np.nan, np.nan)  # unused by the loop path
        return {
            "dw_min": self.dw_min * np.maximum(0.0, 1.0 + self.dw_min_dtod * rng.standard_normal(shape)),
            "b_up": bounds_[0] * np.maximum(0.05, 1.0 + self.bound_dtod * rng.standard_normal(shape)),
            "b_down": bounds_[1] * np.maximum(0.05, 1.0 + self.bound_dtod * rng.standard_normal(shape)),
        }

    @property
    def closed_form(self) -> bool:
        """Whether n pulses are applied in O(1) (ALD or soft bounds, no cycle-to-cycle noise)."""
        return self.dw_min_std == 0.0 and _side_bounds(self.device) is not None

    def _require_rng(self, rng):
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                f"rng must be a numpy.random.Generator for counting={self.counting!r}"
                f"{' or dw_min_std > 0' if self.dw_min_std else ''}, got {rng!r}"
            )
        return rng

    def pulse_counts(self, dW: np.ndarray, rng) -> np.ndarray:
        """Signed pulse counts (integer-valued floats), same shape as ``dW`` (rows are chains)."""
        dW = np.asarray(dW, dtype=np.float64)
        ratio = _ratio(np.abs(dW), self.dw_min)
        if self.counting == "deterministic":
            magnitude = np.ceil(ratio)
        elif self.counting == "stochastic_rounding":
            rng = self._require_rng(rng)
            magnitude = np.floor(ratio)
            magnitude += rng.random(dW.shape) < (ratio - magnitude)
        else:
            rng = self._require_rng(rng)
            magnitude = self._train_counts(np.abs(dW), rng)
        return np.copysign(magnitude, dW) * (dW != 0)

    def _train_counts(self, absdW: np.ndarray, rng) -> np.ndarray:
        matrix = absdW.reshape(-1, absdW.shape[-1]) if absdW.ndim else absdW.reshape(1, 1)
        m = matrix.max(axis=1, keepdims=True)
        if self.bl_management:
            # fmax/fmin: a NaN row (a diverged update) gets BL = 1; its NaN entries are marked below
            bl = np.fmin(np.fmax(np.ceil(_ratio(m, self.dw_min)), 1.0), float(self.desired_bl))
        else:
            bl = np.full_like(m, float(self.desired_bl))
        if self.update_management:
            p = np.minimum(1.0, matrix * (1.0 / (self.dw_min * bl)))
        else:
            scale = np.sqrt(np.maximum(m, np.finfo(float).tiny) * self.dw_min * bl)
            p = np.minimum(1.0, matrix * (1.0 / scale)) * np.minimum(1.0, np.sqrt(m / (self.dw_min * bl)))
        counts = np.empty(p.shape)  # NaN where the update is (a diverged chain), for the engine to report
        binomial_block(np.ascontiguousarray(bl[:, 0]), p, rng, counts)
        return counts.reshape(absdW.shape)

    def apply_update(self, W: np.ndarray, dW: np.ndarray, rng, scratch: np.ndarray, spread=None) -> None:
        """In place: ``W <- U_p^{|n|}(W, sign n)`` with ``n = pulse_counts(dW, rng)``, rows being chains.

        Overwrites ``dW`` and ``scratch``. ALD / soft bounds without noise: the closed form
        ``w + (w_sp + b_s - w)(1 - r_s^|n|)``; otherwise the pulse-by-pulse loop up to ``max |n|``.
        ``spread`` holds each weight's own ``dw_min``, ``b_up``, ``b_down`` (:meth:`device_spread`);
        None or empty means every weight is the nominal device.
        """
        counts = self.pulse_counts(dW, rng)
        dw_min = spread["dw_min"] if spread else self.dw_min
        if not self.closed_form:
            if self.dw_min_std > 0.0:
                rng = self._require_rng(rng)
            _pulse_loop(self.device, W, counts, dw_min, rng, self.dw_min_std)
            return
        b_up, b_down = (spread["b_up"], spread["b_down"]) if spread else _side_bounds(self.device)
        w_sp = self.device.w_sp
        up = counts > 0
        # scratch <- 1 - r_s^|n|: -expm1(|n| log r_s) while 0 < r_s, the plain power once a pulse overshoots
        r = np.where(up, 1.0 - dw_min / b_up, 1.0 + dw_min / b_down)
        np.abs(counts, out=scratch)
        if np.all(r > 0.0):
            scratch *= np.where(up, np.log1p(-dw_min / b_up), np.log1p(dw_min / b_down))
            np.expm1(scratch, out=scratch)
            np.negative(scratch, out=scratch)
        else:
            np.subtract(1.0, r**scratch, out=scratch)
        # dW <- (w_sp + b_s - W)
        np.copyto(dW, np.where(up, w_sp + b_up, w_sp + b_down))
        dW -= W
        dW *= scratch
        W += dW


def first_order_remainder(device: Device, w, dw, dw_min: float, n=None) -> np.ndarray:
    r"""``U_p^n(w, s) - (w + dw q_s(w))`` for the ALD or soft bounds, evaluated without cancellation.

    ``n`` defaults to ``BL = ceil(|dw|/dw_min)`` (16); ``s = sign(dw)``. With ``b_s`` the bound of the side,
    ``a = dw_min/|b_s|`` and ``A(n, a) = (1 - a)^n - (1 - n a) = expm1(n log1p(-a)) + n a >= 0``::

        U_p^n(w, s) - U(w, dw) = s q_s(w) [(n dw_min - |dw|) - |b_s| A(n, a)].

    (Both sides share the fixed point w_sp + b_s; see :mod:`bounds.pulses`.) Requires ``dw_min < |b_s|``.
    """
    bounds_ = _side_bounds(device)
    if bounds_ is None:
        raise ValueError(f"device must be an AsymmetricLinearDevice or SoftBoundsDevice, got {device!r}")
    w, dw = np.broadcast_arrays(np.asarray(w, np.float64), np.asarray(dw, np.float64))
    n = bit_length(dw, dw_min) if n is None else np.broadcast_to(np.asarray(n, np.float64), w.shape)
    up = dw >= 0
    b = np.where(up, bounds_[0], -bounds_[1])
    a = dw_min / b
    A = np.expm1(n * np.log1p(-a)) + n * a
    q = np.where(up, device.q_plus(w), device.q_minus(w))
    return np.where(up, 1.0, -1.0) * q * ((n * dw_min - np.abs(dw)) - b * A)
