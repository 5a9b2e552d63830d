r"""The 2025 paper's (arXiv 2502.06309) least-squares experiment, Figure 2, and Residual Learning's small-step floor.

**Residual Learning's floor as the steps vanish** (:func:`residual_learning_limit`; derived here, no claim of
the paper). Residual Learning (10)-(11) (:class:`verify.sim.dynamics.ResidualLearning`) on a quadratic
``f = 1/2 (W - W*)^T H (W - W*)`` with coordinate noise eps of a zero-mean law. As alpha, beta -> 0 (any fixed
gamma >= 0, Tiki-Taka's gamma = 0 included) the fluctuations of P and W are O(sqrt(alpha)) and the pair follows
the mean dynamics; at their fixed point (the root g_c is :func:`bounds.response.residual_limit_gradient`)

* (11) is stationary: ``E[P] F_W(W) - E|P| G_W(W) = 0``; inside the range ``F_W > |G_W|``, so P -> 0;
* (10) is stationary at P = 0: ``g_i F_P(0) + E|g_i + eps| G_P(0) = 0`` for every coordinate, g = grad f(W).

The map ``g -> g F_P(0) + E|g + eps| G_P(0)`` is strictly increasing (slope ``>= F_P(0) - |G_P(0)| =
min(q_+(0), q_-(0)) > 0``, as ``|d/dg E|g + eps|| <= 1``), so every coordinate's gradient tends to the same
root g_c, and ``W_inf = W* + H^{-1} g_c 1``, ``||grad f(W_inf)||^2 = D g_c^2``. With ``G_P(0) = 0`` (Assumption
5: zero-shifted P, e.g. the power and exponential responses) g_c = 0: no asymptotic error (Corollary 1). With
``G_P(0) != 0`` (the linear response with c_Lin != 0: ``F(0) = 1``, ``G(0) = -c_Lin``) g_c solves
``g = c_Lin E|g + eps|``: a floor that grows with ``|c_Lin|`` and does not depend on W* or on W's device. The
approach to the limit is O(sqrt(alpha)) in g (E|P| = O(sqrt(alpha)) biases the transfer through G_W), so the
floor is ``g_c^2 + O(sqrt(alpha))`` when g_c != 0 and O(alpha) when g_c = 0.

**Figure 2** (:data:`FIGURE2`, :func:`figure2_problem`, :func:`figure2_dynamics`, :func:`run_figure2`): the
paper's App. K.2 setting, with our decisions where it is silent (digest section 6.1 and section 8 item 33):

* stated: ``f(W) = 1/2 ||A(W - W*)||^2`` (146), D = 50, D_out = 100, A_ij ~ N(0, 1), W*_i ~ N(0, 0.5^2),
  tau = 3.5, Delta w_min = 1e-4, maximum bit length 8, the linear response with c_Lin in {0, 0.1, 0.2, 0.3} on
  every array;
* decided: one instance of A and W* from ``SeedSequence(2025)``; W_0 = P_0 = 0; AIHWKit's pulsed update
  (``stochastic_trains`` with bit-length and update management, desired BL 8:
  :class:`verify.sim.pulses.PulseModel`); Gaussian gradient noise of std 0.1 per coordinate (small enough
  that Tiki-Taka at c_Lin = 0 can reach the granularity plateau the caption describes, large enough that
  Analog SGD's implicit-penalty floor, about 0.01 E|eps|^2 here, lies above it); Analog SGD's step
  alpha = 0.002 (about 0.5/L); "Tiki-Taka" read as Residual Learning with the paper's default gamma = 0.4
  (App. K), P's step ``2 alpha/gamma`` (its slowest direction then decays at Analog SGD's linear rate
  alpha mu: the linearised pair decays at ``alpha_P gamma lambda/2`` per eigenvalue lambda) and the transfer
  rate ``beta = gamma^2 alpha_P L/4`` (the stiffest direction critically damped); K = 3000 steps (at most
  8 pulses of 1e-4 per step, weights up to ``|W*_i| ~ 1.2`` need over 1500 steps: the plotted 1000 are too few
  at these constants); the loss at the end is the mean of f over the last 300 steps.

>>> s = FIGURE2
>>> (s.dim, s.rows, s.tau, s.dw_min, s.max_bl, s.c_lins)
(50, 100, 3.5, 0.0001, 8, (0.0, 0.1, 0.2, 0.3))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bounds.devices import Device, LinearResponseDevice
from bounds.noise_laws import CoordinateLaw
from bounds.response import residual_limit_gradient
from bounds.validation import SEED_LIMIT, require_array, require_instance, require_int, require_real

from ..sim._limits import capped_int, capped_real, short
from ..sim.dynamics import PulsedAnalogSGD, PulsedResidualLearning
from ..sim.engine import SimulationResult, simulate
from ..sim.noise import NOISE_LIMIT, GaussianNoise
from ..sim.problems import QuadraticProblem, least_squares
from ..sim.pulses import PulseModel

__all__ = [
    "ResidualLimit",
    "residual_learning_limit",
    "Figure2Setting",
    "FIGURE2",
    "figure2_problem",
    "figure2_dynamics",
    "run_figure2",
    "ALGORITHMS",
    "MAX_BL",
]

#: the algorithms of Figure 2: Analog SGD and "Tiki-Taka" (Residual Learning with the setting's gamma)
ALGORITHMS = ("analog-sgd", "tiki-taka")
#: the largest bit length of a run here: pulses are applied one at a time (AIHWKit's default is 31)
MAX_BL = 1024
_BL_REASON = "pulses per update, applied one at a time; AIHWKit's default is 31"
#: the largest A (rows x D entries): 2**24 doubles, 128 MiB
MAX_ENTRIES = 2**24


# ---------------------------------------------------------------------------------------------
# Residual Learning's alpha -> 0 floor
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidualLimit:
    """Residual Learning's alpha, beta -> 0 limit on a quadratic (module docstring)."""

    gradient: float
    """g_c: every coordinate of grad f(W_inf)."""
    w_inf: np.ndarray
    """W_inf = W* + H^{-1} g_c 1, shape (D,)."""
    grad_sq: float
    """||grad f(W_inf)||^2 = D g_c^2."""
    f_gap: float
    """f(W_inf) - f* = g_c^2 1^T H^{-1} 1 / 2."""
    in_range: bool
    """Whether W_inf lies inside W's device range (the limit needs it; True when no W device was given)."""

    def __post_init__(self):
        object.__setattr__(self, "gradient", require_real("gradient", self.gradient))
        object.__setattr__(self, "w_inf", require_array("w_inf", self.w_inf, ndim=1))
        object.__setattr__(self, "grad_sq", require_real("grad_sq", self.grad_sq, low=0.0))
        object.__setattr__(self, "f_gap", require_real("f_gap", self.f_gap, low=0.0))
        if not isinstance(self.in_range, (bool, np.bool_)):
            raise TypeError(f"in_range must be a bool, got {short(self.in_range)}")
        object.__setattr__(self, "in_range", bool(self.in_range))


def residual_learning_limit(
    p_device: Device, law: CoordinateLaw, problem: QuadraticProblem, w_device: Device | None = None
) -> ResidualLimit:
    """Residual Learning's floor as alpha, beta -> 0 (module docstring): each coordinate's gradient tends to the
    root g_c of ``g F_P(0) + E|g + eps| G_P(0) = 0``, W to ``W* + H^{-1} g_c 1``.

    ``p_device`` holds P (it must contain 0 in its range); ``law`` is the law of every coordinate's noise (a
    numeric Gaussian or Rademacher law); ``problem`` has a positive definite Hessian; ``w_device`` (optional)
    holds W, for the range check ``in_range``.

    >>> from bounds.devices import PowerResponseDevice
    >>> from bounds.noise_laws import GaussianLaw
    >>> from verify.sim.problems import scalar_quadratic
    >>> residual_learning_limit(PowerResponseDevice(1.0, 2.0), GaussianLaw(0.5), scalar_quadratic(1.0, 0.3)).grad_sq
    0.0
    >>> lim = residual_learning_limit(LinearResponseDevice(1.0, 0.3), GaussianLaw(0.5), scalar_quadratic(1.0, 0.3))
    >>> round(lim.gradient, 6), round(lim.grad_sq, 6)
    (0.123304, 0.015204)
    """
    g = residual_limit_gradient(p_device, law)
    require_instance("problem", problem, QuadraticProblem, "scalar_quadratic(L=1.0, w_star=0.3)")
    if not problem.strong_convexity > 0.0:
        raise ValueError("problem must have a positive definite Hessian (W_inf = W* + H^{-1} g_c 1)")
    if w_device is not None:
        require_instance("w_device", w_device, Device, "LinearResponseDevice(tau=1.0, c_lin=0.3)")
    ones = np.ones(problem.dim)
    with np.errstate(all="ignore"):
        shift = np.linalg.solve(problem.hessian, ones)
        w_inf = problem.w_star + g * shift
        f_gap = 0.5 * g * g * float(ones @ shift)
        grad_sq = problem.dim * g * g
    if not (np.isfinite(w_inf).all() and math.isfinite(f_gap) and math.isfinite(grad_sq)):
        raise ValueError(f"problem is too ill-conditioned: W_inf = W* + H^-1 g_c 1 leaves float64 (g_c = {g:g})")
    inside = w_device is None or bool(((w_inf > w_device.w_min) & (w_inf < w_device.w_max)).all())
    return ResidualLimit(g, w_inf, grad_sq, f_gap, inside)


# ---------------------------------------------------------------------------------------------
# Figure 2
# ---------------------------------------------------------------------------------------------


def _noise_std(value) -> float:
    return capped_real("noise_std", value, low=0.0, high=NOISE_LIMIT, reason="so that E||eps||^2 stays in float64")


@dataclass(frozen=True)
class Figure2Setting:
    """The least-squares experiment of Figure 2 (App. K.2) with the decisions of the module docstring."""

    dim: int = 50
    """D, the number of weights."""
    rows: int = 100
    """D_out, the rows of A."""
    sigma_a: float = 1.0
    """Standard deviation of the entries of A."""
    sigma_w_star: float = 0.5
    """Standard deviation of the entries of W*."""
    tau: float = 3.5
    """The linear response's bound tau."""
    dw_min: float = 1e-4
    """Response granularity Delta w_min."""
    max_bl: int = 8
    """Maximum bit length (AIHWKit's desired_bl)."""
    c_lins: tuple = (0.0, 0.1, 0.2, 0.3)
    """The swept c_Lin."""
    noise_std: float = 0.1
    """Per-coordinate std of the Gaussian gradient noise (decided)."""
    alpha: float = 0.002
    """Analog SGD's step (decided); P's step is ``2 alpha/gamma``."""
    gamma: float = 0.4
    """"Tiki-Taka"'s mixing coefficient (the paper's App. K default)."""
    steps: int = 3000
    """K (decided)."""
    tail: int = 300
    """The final loss is the mean of f over the last ``tail`` steps."""
    instance_seed: int = 2025
    """Entropy of the SeedSequence that draws A and W*."""

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "dim", capped_int("dim", self.dim, low=1, high=4096, reason="a dense D x D Hessian"))
        set_(self, "rows", capped_int("rows", self.rows, low=1, high=MAX_ENTRIES, reason="A is stored dense"))
        if self.rows * self.dim > MAX_ENTRIES:
            raise ValueError(
                f"rows and dim must keep A (rows x dim) at most {MAX_ENTRIES} entries (stored dense), "
                f"got rows={self.rows}, dim={self.dim}"
            )
        for name in ("sigma_a", "sigma_w_star", "tau", "dw_min", "alpha", "gamma"):
            set_(self, name, require_real(name, getattr(self, name), low=0.0, low_open=True))
        set_(self, "noise_std", _noise_std(self.noise_std))
        set_(self, "max_bl", capped_int("max_bl", self.max_bl, low=1, high=MAX_BL, reason=_BL_REASON))
        if not isinstance(self.c_lins, (tuple, list)) or not self.c_lins:
            raise ValueError(f"c_lins must be a non-empty tuple of numbers in (-1, 1), got {short(self.c_lins)}")
        set_(
            self,
            "c_lins",
            tuple(require_real("c_lins", c, low=-1.0, high=1.0, low_open=True, high_open=True) for c in self.c_lins),
        )
        set_(self, "steps", require_int("steps", self.steps, low=1, high=10**7))
        set_(self, "tail", require_int("tail", self.tail, low=1, high=self.steps))
        set_(self, "instance_seed", require_int("instance_seed", self.instance_seed, low=0, high=SEED_LIMIT))


#: the setting of Figure 2 as run here
FIGURE2 = Figure2Setting()


def figure2_problem(setting: Figure2Setting = FIGURE2) -> QuadraticProblem:
    """``f(W) = 1/2 ||A(W - W*)||^2`` (146) with A and W* drawn from ``SeedSequence(setting.instance_seed)``
    (A first), W_0 = 0.

    >>> p = figure2_problem(); p.dim, round(p.smoothness, 2)
    (50, 271.63)
    """
    require_instance("setting", setting, Figure2Setting, "FIGURE2")
    rng = np.random.default_rng(np.random.SeedSequence(setting.instance_seed))
    A = setting.sigma_a * rng.standard_normal((setting.rows, setting.dim))
    w_star = setting.sigma_w_star * rng.standard_normal(setting.dim)
    return least_squares(A, w_star, scale=0.5, name=f"Figure 2 least squares (D={setting.dim}, D_out={setting.rows})")


def _rates(setting: Figure2Setting, problem: QuadraticProblem) -> tuple[float, float]:
    """(P's step, transfer rate) of "Tiki-Taka": ``2 alpha/gamma`` and ``gamma^2 alpha_P L/4``."""
    alpha_p = 2.0 * setting.alpha / setting.gamma
    return alpha_p, setting.gamma**2 * alpha_p * problem.smoothness / 4.0


def figure2_dynamics(
    algorithm: str,
    c_lin: float,
    setting: Figure2Setting = FIGURE2,
    *,
    dw_min: float | None = None,
    max_bl: int | None = None,
):
    """The pulse-level dynamic of ``algorithm`` (one of :data:`ALGORITHMS`) on the linear response with
    ``c_lin`` (every array), with the setting's granularity and bit length unless ``dw_min`` / ``max_bl`` say
    otherwise.

    >>> figure2_dynamics("tiki-taka", 0.1).gamma
    0.4
    """
    require_instance("setting", setting, Figure2Setting, "FIGURE2")
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {ALGORITHMS}, got {short(algorithm)}")
    c_lin = require_real("c_lin", c_lin, low=-1.0, high=1.0, low_open=True, high_open=True)
    dw_min = setting.dw_min if dw_min is None else require_real("dw_min", dw_min, low=0.0, low_open=True)
    max_bl = setting.max_bl if max_bl is None else capped_int("max_bl", max_bl, low=1, high=MAX_BL, reason=_BL_REASON)
    pulses = PulseModel(
        LinearResponseDevice(setting.tau, c_lin), dw_min=dw_min, counting="stochastic_trains", desired_bl=max_bl
    )
    if algorithm == "analog-sgd":
        return PulsedAnalogSGD(pulses, setting.alpha)
    problem = figure2_problem(setting)
    alpha_p, beta = _rates(setting, problem)
    return PulsedResidualLearning(pulses, alpha_p, beta, gamma=setting.gamma, problem=problem)


def run_figure2(
    algorithm: str,
    c_lin: float,
    *,
    chains: int,
    seed,
    setting: Figure2Setting = FIGURE2,
    noise_std: float | None = None,
    dw_min: float | None = None,
    max_bl: int | None = None,
) -> SimulationResult:
    """One curve of Figure 2: ``algorithm`` at ``c_lin``, K = ``setting.steps`` steps of ``chains`` chains from
    ``seed`` (int or SeedSequence), with the window ``"tail"`` (the last ``setting.tail`` steps, k = K - tail + 1
    .. K). ``noise_std``, ``dw_min``, ``max_bl`` override the setting's (e.g. the noiseless runs of the plateau
    check)."""
    require_instance("setting", setting, Figure2Setting, "FIGURE2")
    chains = capped_int("chains", chains, low=2, high=10**5, reason="about 1 ms per step for 64 chains")
    std = setting.noise_std if noise_std is None else _noise_std(noise_std)
    dynamics = figure2_dynamics(algorithm, c_lin, setting, dw_min=dw_min, max_bl=max_bl)
    K = setting.steps
    return simulate(
        figure2_problem(setting),
        dynamics,
        GaussianNoise(std) if std > 0.0 else None,
        steps=K,
        chains=chains,
        seed=seed,
        windows={"tail": (K - setting.tail + 1, K + 1)},
        progress=False,
    )
