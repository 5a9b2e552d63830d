r"""The training dynamics, advancing R independent chains at once as (R, D) arrays.

Each dynamic maps the stochastic gradient ``n_k = grad f(W_k) + eps_k`` to the next state, in place:

* :class:`DigitalSGD` (2): ``W_{k+1} = W_k - alpha n_k``.
* :class:`AnalogSGD` (3) through the compact form (7): ``W_{k+1} = U(W_k, -alpha n_k)`` for any
  device; for the ALD this is ``W_k - alpha n_k - (alpha/tau) |n_k| (.) W_k``.
* :class:`AnalogGD`: Analog SGD with exact gradients (Theorem 9, App. F).
* :class:`TikiTaka` with gamma = 0 and a transfer every step (section 4)::

      (TT-P)  P_{k+1} = U_P(P_k, +beta n_k)       = P_k + beta n_k - (beta/tau)|n_k| (.) P_k
      (TT-W)  W_{k+1} = U_W(W_k, -alpha P_{k+1})  = W_k - alpha P_{k+1} - (alpha/tau)|P_{k+1}| (.) W_k

  with P_0 = 0 and the gradient taken at W_k.
* :class:`PulsedAnalogSGD` and :class:`PulsedTikiTaka`: the same algorithms on the pulse level
  (paper App. B, eqs. 15-18): every requested device update dW is applied by a
  :class:`verify.sim.pulses.PulseModel` as n pulses ``w <- w + dw_min q_+(w)`` or ``w - dw_min q_-(w)``,
  with n drawn from the block's generator (``needs_rng = True``), so that
  ``W_{k+1} = U_p^n(W_k, sign(dW))``, which is (3) to first order in dw_min (eq. 19).

>>> from bounds import AsymmetricLinearDevice
>>> dyn = AnalogSGD(AsymmetricLinearDevice(tau=2.0), alpha=0.5)
>>> W = np.array([[1.0]]); n = np.array([[-1.0]])     # dW = +0.5 pushes W away from 0
>>> dyn.update({"W": W}, n, np.empty((1, 1))); W
array([[1.25]])
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from bounds.devices import Device
from bounds.validation import require_real

from ._limits import short

__all__ = ["Dynamics", "DigitalSGD", "AnalogSGD", "AnalogGD", "TikiTaka", "PulsedAnalogSGD", "PulsedTikiTaka"]


def _require_device(name: str, device) -> Device:
    if not isinstance(device, Device):
        raise ValueError(
            f"{name} must be a bounds.devices.Device (for example AsymmetricLinearDevice(tau=...)), got {short(device)}"
        )
    return device


def _require_in_range(name: str, values: np.ndarray, device: Device) -> None:
    low, high = device.w_min, device.w_max
    bad = (values < low) | (values > high)
    if np.any(bad):
        raise ValueError(
            f"{name} must lie in the device range [{low:g}, {high:g}] of {device!r}, "
            f"got an entry {values[bad].flat[0]!r}"
        )


class Dynamics(abc.ABC):
    """An optimisation algorithm acting on the arrays named in ``state_names``."""

    #: the arrays the algorithm carries, W first
    state_names: ClassVar[tuple[str, ...]] = ("W",)
    #: True for algorithms defined without gradient noise (the engine then refuses a noise law)
    noiseless: ClassVar[bool] = False
    #: True for algorithms whose update is itself random: the engine then calls
    #: ``update(state, n_k, scratch, rng=generator)`` with the chain block's numpy Generator
    needs_rng: ClassVar[bool] = False
    #: extra per-chain statistics the engine records at every W_k: name -> what it measures (see :meth:`observe`)
    observables: ClassVar[dict[str, str]] = {}
    #: step size of W
    alpha: float
    #: the device that holds W (None for digital weights)
    device: Device | None

    def check_initial_point(self, W0: np.ndarray) -> None:
        """Raise ValueError unless W_0 lies in the range of the device holding W."""
        if self.device is not None:
            _require_in_range("w0", W0, self.device)

    def initial_state(self, W0: np.ndarray) -> dict[str, np.ndarray]:
        """The state at k = 0 from W_0 (an (R, D) array that becomes the state's W)."""
        self.check_initial_point(W0)
        return {"W": W0}

    def observe(self, state: dict[str, np.ndarray], name: str, out: np.ndarray, rng) -> None:
        """Write observable ``name`` of each chain at the current state into ``out`` (shape (R,))."""
        raise NotImplementedError(f"{type(self).__name__} defines no observable {name!r}")

    @abc.abstractmethod
    def update(self, state: dict[str, np.ndarray], stochastic_gradient: np.ndarray, scratch: np.ndarray) -> None:
        """Advance ``state`` by one step in place, given n_k = grad f(W_k) + eps_k.

        Overwrites ``stochastic_gradient`` and ``scratch``.
        """


@dataclass(frozen=True)
class DigitalSGD(Dynamics):
    """Digital SGD (2): W_{k+1} = W_k - alpha (grad f(W_k) + eps_k)."""

    alpha: float
    """Step size. Must be > 0."""

    device: ClassVar[None] = None

    def __post_init__(self):
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))

    def update(self, state, stochastic_gradient, scratch):
        stochastic_gradient *= self.alpha
        state["W"] -= stochastic_gradient


@dataclass(frozen=True)
class AnalogSGD(Dynamics):
    """Analog SGD (3): ``W_{k+1} = W_k + dW (.) F(W_k) - |dW| (.) G(W_k)`` with ``dW = -alpha n_k``."""

    device: Device
    """The device that holds W."""
    alpha: float
    """Step size. Must be > 0."""

    def __post_init__(self):
        _require_device("device", self.device)
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))

    def update(self, state, stochastic_gradient, scratch):
        stochastic_gradient *= -self.alpha
        self.device.apply_update(state["W"], stochastic_gradient, scratch)


@dataclass(frozen=True)
class AnalogGD(AnalogSGD):
    """Analog GD: Analog SGD with the exact gradient, eps_k = 0 (Theorem 9, App. F)."""

    noiseless: ClassVar = True


@dataclass(frozen=True)
class TikiTaka(Dynamics):
    """Tiki-Taka with gamma = 0 and one transfer per step: (TT-P) then (TT-W), P_0 = 0."""

    device: Device
    """The device that holds W."""
    alpha: float
    """Transfer step size (into W). Must be > 0."""
    beta: float
    """Step size of the auxiliary array P. Must be > 0."""
    p_device: Device | None = None
    """The device that holds P; None means the same device as W (the paper's setting)."""

    state_names: ClassVar = ("W", "P")

    def __post_init__(self):
        _require_device("device", self.device)
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))
        object.__setattr__(self, "beta", require_real("beta", self.beta, low=0.0, low_open=True))
        if self.p_device is None:
            object.__setattr__(self, "p_device", self.device)
        _require_device("p_device", self.p_device)
        if not self.p_device.w_min <= 0.0 <= self.p_device.w_max:
            raise ValueError(
                f"p_device must hold P_0 = 0 in its range, got {self.p_device!r} "
                f"with range [{self.p_device.w_min:g}, {self.p_device.w_max:g}]"
            )

    def initial_state(self, W0):
        state = super().initial_state(W0)
        state["P"] = np.zeros_like(W0)
        return state

    def update(self, state, stochastic_gradient, scratch):
        P, W = state["P"], state["W"]
        stochastic_gradient *= self.beta
        self.p_device.apply_update(P, stochastic_gradient, scratch)  # (TT-P)
        np.multiply(P, -self.alpha, out=stochastic_gradient)
        self.device.apply_update(W, stochastic_gradient, scratch)  # (TT-W)


def _require_pulses(name: str, pulses):
    from .pulses import PulseModel

    if not isinstance(pulses, PulseModel):
        raise ValueError(
            f"{name} must be a verify.sim.pulses.PulseModel (for example "
            f"PulseModel(AsymmetricLinearDevice(tau=1.0), dw_min=1e-3)), got {short(pulses)}"
        )
    return pulses


def _spread_state(prefix: str, pulses, shape, rng) -> dict[str, np.ndarray]:
    """Each weight's own device parameters (device-to-device spread), as state arrays ``<prefix>_<name>``."""
    return {f"{prefix}_{name}": value for name, value in pulses.device_spread(shape, rng).items()}


def _spread_of(state, prefix: str, pulses):
    """The spread arrays of ``prefix`` in ``state`` for ``PulseModel.apply_update`` (None without spread)."""
    return {name: state[f"{prefix}_{name}"] for name in pulses.SPREAD_NAMES} if pulses.has_spread else None


def _spread_names(prefix: str, pulses) -> tuple[str, ...]:
    return tuple(f"{prefix}_{name}" for name in pulses.SPREAD_NAMES) if pulses.has_spread else ()


@dataclass(frozen=True)
class PulsedAnalogSGD(Dynamics):
    r"""Analog SGD on the pulse level: ``W_{k+1} = U_p^{n_k}(W_k, sign(dW_k))`` with ``dW_k = -alpha n_k``.

    The requested update dW = -alpha (grad f(W_k) + eps_k) is handed to ``pulses.apply_update``, which
    applies, per weight, n pulses of size dw_min in the direction of dW (each at the current w:
    ``w + dw_min q_+(w)`` or ``w - dw_min q_-(w)``), n counted by the model's mode (stochastic
    rounding, pulse trains, ...). ``E[n dw_min] ~ |dW|``, so this is dynamic (3) up to O(dw_min) + O(dW^2)
    per step (eq. 19). With device-to-device spread in the pulse model, each weight's own dw_min and
    bounds are drawn once at k = 0 and carried in the state (``W_dw_min``, ``W_b_up``, ``W_b_down``).
    """

    pulses: object
    """The :class:`verify.sim.pulses.PulseModel` (device, dw_min, pulse counting)."""
    alpha: float
    """Step size. Must be > 0."""

    needs_rng: ClassVar = True

    def __post_init__(self):
        _require_pulses("pulses", self.pulses)
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))

    @property
    def device(self) -> Device:
        """The device that holds W (the pulse model's)."""
        return self.pulses.device

    @property
    def state_names(self) -> tuple[str, ...]:
        return ("W",) + _spread_names("W", self.pulses)

    def initial_state(self, W0, rng=None):
        return {**super().initial_state(W0), **_spread_state("W", self.pulses, W0.shape, rng)}

    def update(self, state, stochastic_gradient, scratch, rng=None):
        if rng is None:
            raise ValueError("rng must be a numpy.random.Generator: pulse-level updates are random")
        stochastic_gradient *= -self.alpha
        self.pulses.apply_update(state["W"], stochastic_gradient, rng, scratch, _spread_of(state, "W", self.pulses))


@dataclass(frozen=True)
class PulsedTikiTaka(Dynamics):
    r"""Tiki-Taka (gamma = 0, a transfer every step) on the pulse level, P_0 = 0::

        (TT-P)  P_{k+1} = U_p^{m_k}(P_k, sign(+beta n_k))        through p_pulses
        (TT-W)  W_{k+1} = U_p^{n_k}(W_k, sign(-alpha P_{k+1}))   through pulses

    with pulse counts m_k, n_k drawn by the pulse models (first P's, then W's, from the same generator).
    """

    pulses: object
    """The :class:`verify.sim.pulses.PulseModel` of the array W."""
    alpha: float
    """Transfer step size (into W). Must be > 0."""
    beta: float
    """Step size of the auxiliary array P. Must be > 0."""
    p_pulses: object = None
    """The pulse model of P; None means the same as W's (the paper's setting)."""

    needs_rng: ClassVar = True

    def __post_init__(self):
        _require_pulses("pulses", self.pulses)
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))
        object.__setattr__(self, "beta", require_real("beta", self.beta, low=0.0, low_open=True))
        if self.p_pulses is None:
            object.__setattr__(self, "p_pulses", self.pulses)
        _require_pulses("p_pulses", self.p_pulses)
        p_device = self.p_pulses.device
        if not p_device.w_min <= 0.0 <= p_device.w_max:
            raise ValueError(
                f"p_pulses must hold P_0 = 0 in its device's range, got {p_device!r} "
                f"with range [{p_device.w_min:g}, {p_device.w_max:g}]"
            )

    @property
    def device(self) -> Device:
        """The device that holds W."""
        return self.pulses.device

    @property
    def state_names(self) -> tuple[str, ...]:
        return ("W", "P") + _spread_names("W", self.pulses) + _spread_names("P", self.p_pulses)

    def initial_state(self, W0, rng=None):
        state = {**super().initial_state(W0), "P": np.zeros_like(W0)}
        state.update(_spread_state("W", self.pulses, W0.shape, rng))
        state.update(_spread_state("P", self.p_pulses, W0.shape, rng))
        return state

    def update(self, state, stochastic_gradient, scratch, rng=None):
        if rng is None:
            raise ValueError("rng must be a numpy.random.Generator: pulse-level updates are random")
        P, W = state["P"], state["W"]
        stochastic_gradient *= self.beta
        self.p_pulses.apply_update(
            P, stochastic_gradient, rng, scratch, _spread_of(state, "P", self.p_pulses)
        )  # (TT-P)
        np.multiply(P, -self.alpha, out=stochastic_gradient)
        self.pulses.apply_update(W, stochastic_gradient, rng, scratch, _spread_of(state, "W", self.pulses))  # (TT-W)
