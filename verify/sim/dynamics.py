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

from ._limits import capped_real, short

__all__ = [
    "Dynamics",
    "DigitalSGD",
    "AnalogSGD",
    "AnalogGD",
    "TikiTaka",
    "PulsedAnalogSGD",
    "PulsedTikiTaka",
    "ResidualLearning",
    "ResidualLearningV2",
    "PulsedResidualLearning",
    "PulsedResidualLearningV2",
]


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
        _set_p_array(self, "p_device", self.device, _require_device)

    def initial_state(self, W0):
        state = super().initial_state(W0)
        state["P"] = np.zeros_like(W0)
        return state

    def update(self, state, stochastic_gradient, scratch):
        _two_array_step(
            state["P"],
            state["W"],
            stochastic_gradient,
            self.beta,  # (TT-P): P_{k+1} = U_P(P_k, +beta n_k)
            -self.alpha,  # (TT-W): W_{k+1} = U(W_k, -alpha P_{k+1})
            lambda P, dP: self.p_device.apply_update(P, dP, scratch),
            lambda W, dW: self.device.apply_update(W, dW, scratch),
        )


def _two_array_step(P, W, n, p_step: float, w_step: float, apply_p, apply_w) -> None:
    """The common step of Tiki-Taka and Residual Learning, in place: ``P <- U_P(P, p_step n)`` then
    ``W <- U_W(W, w_step P)`` (n is overwritten). Tiki-Taka (2024 naming) has ``p_step = +beta``,
    ``w_step = -alpha``; Residual Learning (2025 naming, eqs. 10-11) ``p_step = -alpha``, ``w_step = +beta``."""
    n *= p_step
    apply_p(P, n)
    np.multiply(P, w_step, out=n)
    apply_w(W, n)


def _require_pulses(name: str, pulses):
    from .pulses import PulseModel

    if not isinstance(pulses, PulseModel):
        raise ValueError(
            f"{name} must be a verify.sim.pulses.PulseModel (for example "
            f"PulseModel(AsymmetricLinearDevice(tau=1.0), dw_min=1e-3)), got {short(pulses)}"
        )
    return pulses


def _set_p_array(dynamics, name: str, default, require) -> None:
    """The P array's ``name`` (``p_device`` or ``p_pulses``): W's when None, checked by ``require``, with P_0 = 0
    in its device's range."""
    if getattr(dynamics, name) is None:
        object.__setattr__(dynamics, name, default)
    value = getattr(dynamics, name)
    require(name, value)
    device = value if name == "p_device" else value.device
    if not device.w_min <= 0.0 <= device.w_max:
        raise ValueError(
            f"{name} must hold P_0 = 0 in its range, got {device!r} with range [{device.w_min:g}, {device.w_max:g}]"
        )


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
        _set_p_array(self, "p_pulses", self.pulses, _require_pulses)

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
        p_spread, w_spread = _spread_of(state, "P", self.p_pulses), _spread_of(state, "W", self.pulses)
        _two_array_step(
            state["P"],
            state["W"],
            stochastic_gradient,
            self.beta,  # (TT-P)
            -self.alpha,  # (TT-W)
            lambda P, dP: self.p_pulses.apply_update(P, dP, rng, scratch, p_spread),
            lambda W, dW: self.pulses.apply_update(W, dW, rng, scratch, w_spread),
        )


# ---------------------------------------------------------------------------------------------
# Residual Learning (the 2025 paper, arXiv 2502.06309: section 4, eqs. 10-11; section 5, eqs. 14-15)
# ---------------------------------------------------------------------------------------------

#: the statistics Residual Learning records at the mixed weight when it knows the problem
MIXED_OBSERVABLES = {
    "grad_sq_mixed": "||grad f(W_k + gamma P_k)||^2",
    "f_gap_mixed": "f(W_k + gamma P_k) - f*",
}


def _require_problem(problem, gamma: float):
    from .problems import QuadraticProblem

    if problem is None:
        if gamma != 0.0:
            raise ValueError(
                f"problem must be the QuadraticProblem being simulated when gamma != 0 (got gamma={gamma!r}): "
                "Residual Learning reads the gradient at W + gamma P, which needs the problem's Hessian"
            )
        return None
    if not isinstance(problem, QuadraticProblem):
        raise ValueError(f"problem must be a verify.sim.problems.QuadraticProblem or None, got {short(problem)}")
    return problem


class _ResidualLearning(Dynamics):
    r"""What the four Residual Learning dynamics share: the gradient read at the mixed weight, the two-array
    step of (10)-(11), the buffered threshold transfer of (14)-(15), validation and the observables.

    Subclasses are frozen dataclasses with the fields ``alpha`` (P's step, the paper's alpha), ``beta`` (the
    transfer rate), ``gamma``, ``problem`` and implement :meth:`_apply_p`, :meth:`_apply_w`."""

    #: the arrays of the algorithm (W first); the pulse-level classes add their spread arrays
    _arrays: ClassVar = ("W", "P")
    alpha: float
    beta: float
    gamma: float
    problem: object

    @property
    def state_names(self) -> tuple[str, ...]:
        return self._arrays

    def _check_rates(self) -> None:
        object.__setattr__(self, "alpha", require_real("alpha", self.alpha, low=0.0, low_open=True))
        object.__setattr__(self, "beta", require_real("beta", self.beta, low=0.0, low_open=True))
        object.__setattr__(self, "gamma", require_real("gamma", self.gamma, low=0.0))
        object.__setattr__(self, "problem", _require_problem(self.problem, self.gamma))

    @property
    def observables(self) -> dict[str, str]:
        """``grad_sq_mixed`` and ``f_gap_mixed`` (at W_k + gamma P_k) when the problem is given, else none."""
        return dict(MIXED_OBSERVABLES) if self.problem is not None else {}

    def _check_dim(self, W0: np.ndarray) -> None:
        if self.problem is not None and W0.shape[-1] != self.problem.dim:
            raise ValueError(
                f"problem must be the problem being simulated: its D = {self.problem.dim} differs from "
                f"w0's {W0.shape[-1]} coordinates"
            )

    def observe(self, state, name, out, rng):
        if name not in self.observables:
            super().observe(state, name, out, rng)
        mixed = state["P"] * self.gamma
        mixed += state["W"]
        residual = self.problem.residual(mixed)
        grad = self.problem.hessian_product(residual)
        if name == "grad_sq_mixed":
            np.einsum("ij,ij->i", grad, grad, out=out)
        else:
            np.einsum("ij,ij->i", residual, grad, out=out)
            out *= 0.5

    def _mix(self, state, n: np.ndarray, scratch: np.ndarray) -> None:
        """``n <- n + gamma H P``: the stochastic gradient at ``W + gamma P`` (f is quadratic; eps unchanged)."""
        if self.gamma != 0.0:
            self.problem.hessian_product(state["P"], out=scratch)
            scratch *= self.gamma
            n += scratch

    def _apply_p(self, state, dP, scratch, rng) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _apply_w(self, state, dW, scratch, rng) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, state, stochastic_gradient, scratch, rng=None):
        if self.needs_rng and rng is None:
            raise ValueError("rng must be a numpy.random.Generator: this dynamic's update is random")
        self._mix(state, stochastic_gradient, scratch)
        _two_array_step(
            state["P"],
            state["W"],
            stochastic_gradient,
            -self.alpha,  # (10): P_{k+1} = U_P(P_k, -alpha n(W_k + gamma P_k))
            self.beta,  # (11): W_{k+1} = U_W(W_k, +beta P_{k+1})
            lambda P, dP: self._apply_p(state, dP, scratch, rng),
            lambda W, dW: self._apply_w(state, dW, scratch, rng),
        )


class _Buffered:
    r"""Residual Learning v2's transfer (section 5): a digital buffer and a threshold.

    ``H_{k+1} = (1 - rho) H_k + rho (P_{k+1} + eps_{k+1})`` (14), eps_{k+1} ~ N(0, read_noise^2) i.i.d. (the
    reading noise of P), then (15) ``W_{k+1} = U_W(W_k, beta H_{k+1})`` on the coordinates with
    ``|[H_{k+1}]_i| > threshold`` only (the others are not transferred this step; H is a moving average and is
    not reset). *Decisions* (the paper under-specifies the rule, digest section 8 items 7 and 32): rho defaults
    to beta (the paper writes beta in both (14) and (15)); "an element greater than Delta w_min" is read per
    coordinate and in absolute value; H_0 = 0."""

    _arrays: ClassVar = ("W", "P", "H")
    read_noise: float
    buffer_rate: float | None
    threshold: float | None

    def _check_buffer(self, threshold_default: float | None = None) -> None:
        from .noise import NOISE_LIMIT

        reason = "so that the reading noise stays within float64"
        object.__setattr__(
            self, "read_noise", capped_real("read_noise", self.read_noise, low=0.0, high=NOISE_LIMIT, reason=reason)
        )
        if self.buffer_rate is None:  # the paper's single beta: rho = beta must lie in (0, 1]
            if self.beta > 1.0:
                raise ValueError(
                    f"beta must be <= 1 when buffer_rate is None (the buffer's rate rho in (14) is then beta), "
                    f"got {self.beta!r}"
                )
            rate = self.beta
        else:
            rate = require_real("buffer_rate", self.buffer_rate, low=0.0, high=1.0, low_open=True)
        object.__setattr__(self, "buffer_rate", rate)
        threshold = threshold_default if self.threshold is None else self.threshold
        object.__setattr__(self, "threshold", require_real("threshold", threshold, low=0.0))

    def update(self, state, stochastic_gradient, scratch, rng=None):
        if self.needs_rng and rng is None:
            raise ValueError("rng must be a numpy.random.Generator: this dynamic's update is random")
        n = stochastic_gradient
        self._mix(state, n, scratch)
        n *= -self.alpha
        self._apply_p(state, n, scratch, rng)  # (10)
        P, H = state["P"], state["H"]
        if self.read_noise > 0.0:
            rng.standard_normal(out=n)
            n *= self.read_noise
            n += P
        else:
            np.copyto(n, P)
        H *= 1.0 - self.buffer_rate  # (14)
        n *= self.buffer_rate
        H += n
        np.multiply(H, self.beta, out=n)  # (15), where |H| > threshold
        if self.threshold > 0.0:
            n[np.abs(H) <= self.threshold] = 0.0
        self._apply_w(state, n, scratch, rng)


@dataclass(frozen=True)
class ResidualLearning(_ResidualLearning):
    r"""Residual Learning (the 2025 paper's eqs. 10-11) on the expected-update level, P_0 = 0::

        (10)  P_{k+1} = U_P(P_k, -alpha n_k),   n_k = grad f(W_k + gamma P_k) + eps_k
        (11)  W_{k+1} = U_W(W_k, +beta P_{k+1})

    with ``U(w, dw) = w + dw F(w) - |dw| G(w)`` of each array's device. **Names follow the 2025 paper**:
    alpha is P's step and beta the transfer rate, the reverse of :class:`TikiTaka`'s; P stores the residual
    (about ``(W* - W)/gamma``), the negative of Tiki-Taka's gradient accumulator. Hence with gamma = 0 and a
    P device that is its own mirror image (``q_+(-p) = q_-(p)``: the ALD with w_sp = 0, power and exponential
    responses) ``ResidualLearning(d, alpha=a, beta=b)`` is ``TikiTaka(d, alpha=b, beta=a)`` bit for bit in W,
    with P negated; for any other P device it is Tiki-Taka with the mirrored device on P.

    The engine hands over ``grad f(W_k) + eps_k``; the gradient at the mixed weight is obtained by adding
    ``gamma H P_k`` (f is quadratic), so ``problem`` must be the problem being simulated when gamma != 0
    (a state-dependent noise law is drawn at W_k). With ``problem`` given the run also records
    ``grad_sq_mixed`` and ``f_gap_mixed`` at ``W_k + gamma P_k`` (the paper's convergence metric (12)).
    """

    device: Device
    """The device that holds W."""
    alpha: float
    """Step size of the residual array P (the paper's alpha). Must be > 0."""
    beta: float
    """Transfer rate into W (the paper's beta). Must be > 0."""
    gamma: float = 0.0
    """Mixing coefficient: the gradient is read at W + gamma P. Must be >= 0 (0: Tiki-Taka)."""
    p_device: Device | None = None
    """The device that holds P; None means the same device as W (the paper's setting)."""
    problem: object = None
    """The :class:`verify.sim.problems.QuadraticProblem` being simulated (needed when gamma != 0)."""

    def __post_init__(self):
        _require_device("device", self.device)
        self._check_rates()
        _set_p_array(self, "p_device", self.device, _require_device)

    def initial_state(self, W0, rng=None):
        self._check_dim(W0)
        state = super().initial_state(W0)
        for name in self._arrays[1:]:
            state[name] = np.zeros_like(W0)
        return state

    def _apply_p(self, state, dP, scratch, rng):
        self.p_device.apply_update(state["P"], dP, scratch)

    def _apply_w(self, state, dW, scratch, rng):
        self.device.apply_update(state["W"], dW, scratch)


@dataclass(frozen=True)
class ResidualLearningV2(_Buffered, ResidualLearning):
    r"""Residual Learning v2 (the 2025 paper's section 5) on the expected-update level: (10), then the digital
    buffer (14) and the threshold transfer (15) of :class:`_Buffered`; H_0 = P_0 = 0. ``threshold`` defaults to
    0 here (no granularity on this level: every coordinate is transferred)."""

    read_noise: float = 0.0
    """Standard deviation of the reading noise eps of P in (14). In [0, 1e150]."""
    buffer_rate: float | None = None
    """The buffer's averaging rate rho in (14), in (0, 1]; None means beta (the paper's single beta)."""
    threshold: float | None = None
    """Transfer only coordinates with ``|H| > threshold``; None means 0. Must be >= 0."""

    def __post_init__(self):
        ResidualLearning.__post_init__(self)
        self._check_buffer(0.0)

    @property
    def needs_rng(self) -> bool:
        """Whether the update draws (the reading noise)."""
        return self.read_noise > 0.0


@dataclass(frozen=True)
class PulsedResidualLearning(_ResidualLearning):
    r"""Residual Learning (10)-(11) on the pulse level, P_0 = 0::

        (10)  P_{k+1} = U_p^{m_k}(P_k, sign(-alpha n_k))   through p_pulses, n_k at W_k + gamma P_k
        (11)  W_{k+1} = U_p^{n_k}(W_k, sign(+beta P_{k+1})) through pulses

    as :class:`PulsedTikiTaka` (pulse counts drawn by the models, first P's, then W's); names and the mixed
    gradient as in :class:`ResidualLearning`."""

    pulses: object
    """The :class:`verify.sim.pulses.PulseModel` of the array W."""
    alpha: float
    """Step size of the residual array P. Must be > 0."""
    beta: float
    """Transfer rate into W. Must be > 0."""
    gamma: float = 0.0
    """Mixing coefficient (gradient at W + gamma P). Must be >= 0."""
    p_pulses: object = None
    """The pulse model of P; None means the same as W's (the paper's setting)."""
    problem: object = None
    """The problem being simulated (needed when gamma != 0)."""

    needs_rng: ClassVar = True

    def __post_init__(self):
        _require_pulses("pulses", self.pulses)
        self._check_rates()
        _set_p_array(self, "p_pulses", self.pulses, _require_pulses)

    @property
    def device(self) -> Device:
        """The device that holds W."""
        return self.pulses.device

    @property
    def state_names(self) -> tuple[str, ...]:
        return self._arrays + _spread_names("W", self.pulses) + _spread_names("P", self.p_pulses)

    def initial_state(self, W0, rng=None):
        self._check_dim(W0)
        state = super().initial_state(W0)
        for name in self._arrays[1:]:
            state[name] = np.zeros_like(W0)
        state.update(_spread_state("W", self.pulses, W0.shape, rng))
        state.update(_spread_state("P", self.p_pulses, W0.shape, rng))
        return state

    def _apply_p(self, state, dP, scratch, rng):
        self.p_pulses.apply_update(state["P"], dP, rng, scratch, _spread_of(state, "P", self.p_pulses))

    def _apply_w(self, state, dW, scratch, rng):
        self.pulses.apply_update(state["W"], dW, rng, scratch, _spread_of(state, "W", self.pulses))


@dataclass(frozen=True)
class PulsedResidualLearningV2(_Buffered, PulsedResidualLearning):
    r"""Residual Learning v2 on the pulse level: (10) through ``p_pulses``, the buffer (14) and the threshold
    transfer (15) through ``pulses`` (:class:`_Buffered`). ``threshold`` defaults to the W pulse model's
    dw_min (the paper's "greater than the response granularity Delta w_min")."""

    read_noise: float = 0.0
    """Standard deviation of the reading noise eps of P in (14). In [0, 1e150]."""
    buffer_rate: float | None = None
    """The buffer's averaging rate rho in (14), in (0, 1]; None means beta."""
    threshold: float | None = None
    """Transfer only coordinates with ``|H| > threshold``; None means ``pulses.dw_min``. Must be >= 0."""

    def __post_init__(self):
        PulsedResidualLearning.__post_init__(self)
        self._check_buffer(self.pulses.dw_min)
