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

__all__ = ["Dynamics", "DigitalSGD", "AnalogSGD", "AnalogGD", "TikiTaka"]


def _require_device(name: str, device) -> Device:
    if not isinstance(device, Device):
        raise ValueError(f"{name} must be a bounds.devices.Device (for example AsymmetricLinearDevice(tau=...)), "
                         f"got {device!r}")
    return device


def _require_in_range(name: str, values: np.ndarray, device: Device) -> None:
    low, high = device.w_min, device.w_max
    bad = (values < low) | (values > high)
    if np.any(bad):
        raise ValueError(f"{name} must lie in the device range [{low:g}, {high:g}] of {device!r}, "
                         f"got an entry {values[bad].flat[0]!r}")


class Dynamics(abc.ABC):
    """An optimisation algorithm acting on the arrays named in ``state_names``."""

    #: the arrays the algorithm carries, W first
    state_names: ClassVar[tuple[str, ...]] = ("W",)
    #: True for algorithms defined without gradient noise (the engine then refuses a noise law)
    noiseless: ClassVar[bool] = False
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

    @abc.abstractmethod
    def update(self, state: dict[str, np.ndarray], stochastic_gradient: np.ndarray,
               scratch: np.ndarray) -> None:
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
    """Analog SGD (3): W_{k+1} = W_k + dW (.) F(W_k) - |dW| (.) G(W_k) with dW = -alpha n_k."""

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
            raise ValueError(f"p_device must hold P_0 = 0 in its range, got {self.p_device!r} "
                             f"with range [{self.p_device.w_min:g}, {self.p_device.w_max:g}]")

    def initial_state(self, W0):
        state = super().initial_state(W0)
        state["P"] = np.zeros_like(W0)
        return state

    def update(self, state, stochastic_gradient, scratch):
        P, W = state["P"], state["W"]
        stochastic_gradient *= self.beta
        self.p_device.apply_update(P, stochastic_gradient, scratch)      # (TT-P)
        np.multiply(P, -self.alpha, out=stochastic_gradient)
        self.device.apply_update(W, stochastic_gradient, scratch)        # (TT-W)
