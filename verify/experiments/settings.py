r"""The least-squares settings of the paper's Figures 1, 3 and 4, as the paper states them or as its
official code runs them.

Each generator takes ``source="paper"`` (the default: the text of arXiv v1, eq. 141 and App. I.1)
or ``source="code"`` (the official scripts ``NeurIPS-2024/S1``-``S3.3``) and a data ``seed``. The
two differ in ways that matter:

* the paper's objective is ``f(W) = 1/2 ||A(W - W*)||^2`` (eq. 141); the code trains
  ``torch.nn.Linear(D, 1)`` *with a bias* on ``MSELoss`` (a mean over the N rows, Figures 3 and
  4-middle halve it), i.e. ``f(W) = c ||A_1 (W - W*)||^2`` with ``A_1 = [A, 1]``, D + 1 weights
  and ``c = 1/N`` or ``1/(2N)``;
* the noise levels (sigma_g) differ, see each generator.

The code's data come from ``torch.manual_seed(42)``; numpy cannot reproduce torch's stream, so
both sources draw A and W* with numpy from ``SeedSequence(seed)``, with the same distributions.
Where the paper is silent we take the code's value and say so in ``notes``.

Unit of noise: ``noise_stds`` are per-coordinate standard deviations of Gaussian gradient noise.

>>> s = figure1()
>>> s.problem.dim, s.taus, s.source
(40, (3.0,), 'paper')
>>> figure1(source="code").problem.dim      # 40 weights and a bias
41
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bounds.validation import (
    SEED_LIMIT,
    require_array,
    require_finite_value,
    require_instance,
    require_int,
    require_memory,
    require_real,
)

from ..sim.problems import QuadraticProblem, least_squares

__all__ = ["draw_data", "Setting", "figure1", "figure3", "figure4_tau", "figure4_sigma", "figure4_init", "SETTINGS"]

SOURCES = ("paper", "code")


@dataclass(frozen=True, eq=False)
class Setting:
    """One figure's experiment: the problem and the hyper-parameters it sweeps."""

    figure: str
    """Which figure (e.g. "fig1")."""
    source: str
    """"paper" or "code"."""
    problem: QuadraticProblem
    """The least-squares objective, with its initial point (zeros unless said otherwise)."""
    taus: tuple[float, ...]
    """Device bounds tau of the asymmetric linear device."""
    alphas: tuple[float, ...]
    """Step sizes."""
    noise_stds: tuple[float, ...]
    """Per-coordinate standard deviations of the Gaussian gradient noise."""
    steps: int
    """Number of gradient steps K."""
    dw_min: tuple[float, ...]
    """Pulse granularity Delta w_min, one per tau."""
    max_bit_length: int
    """Largest pulse train (AIHWKit's desired_bl)."""
    initial_points: dict
    """label -> W_0 (only Figure 4-right sweeps it; otherwise {"zeros": 0})."""
    notes: tuple[str, ...]
    """Where each value comes from, and what had to be assumed."""

    @property
    def stable_step_limit(self) -> float:
        """2/L: digital GD on this quadratic diverges for alpha > 2/L."""
        return 2.0 / self.problem.smoothness

    def __post_init__(self):
        for name in ("figure", "source"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str, got {getattr(self, name)!r}")
        _check_source(self.source)
        require_instance("problem", self.problem, QuadraticProblem, "verify.sim.problems.least_squares(A, w_star)")
        positive = dict(low=0.0, low_open=True)
        for name, bounds in (("taus", positive), ("alphas", positive), ("noise_stds", dict(low=0.0))):
            object.__setattr__(self, name, _reals(name, getattr(self, name), **bounds))
        object.__setattr__(self, "steps", require_int("steps", self.steps, low=1))
        object.__setattr__(self, "dw_min", _reals("dw_min", self.dw_min, **positive))
        if len(self.dw_min) != len(self.taus):
            raise ValueError(f"dw_min must hold one granularity per tau ({len(self.taus)}), got {len(self.dw_min)}")
        object.__setattr__(self, "max_bit_length", require_int("max_bit_length", self.max_bit_length, low=1))
        if not isinstance(self.initial_points, dict) or not self.initial_points:
            raise TypeError(f"initial_points must be a non-empty dict label -> W_0, got {self.initial_points!r}")
        points = {}
        for label, w0 in self.initial_points.items():
            if not isinstance(label, str):
                raise TypeError(f"initial_points must be keyed by str labels, got {label!r}")
            points[label] = require_array("initial_points", w0, shape=(self.problem.dim,))
        object.__setattr__(self, "initial_points", points)
        if not isinstance(self.notes, (tuple, list)) or not all(isinstance(n, str) for n in self.notes):
            raise TypeError(f"notes must be a tuple of str, got {self.notes!r}")
        object.__setattr__(self, "notes", tuple(self.notes))

    def unstable_alphas(self) -> tuple[float, ...]:
        """The setting's step sizes above 2/L (digital GD diverges with them)."""
        return tuple(a for a in self.alphas if a > self.stable_step_limit)


def _check_source(source: str) -> str:
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    return source


def _reals(name: str, values, **bounds) -> tuple[float, ...]:
    """A non-empty sequence of finite reals in range, as a tuple of floats (a ValueError naming ``name``)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (tuple, list, np.ndarray)):
        raise TypeError(f"{name} must be a non-empty tuple of real numbers, got {values!r}")
    values = tuple(require_real(name, v, **bounds) for v in np.asarray(values, dtype=object).ravel().tolist())
    if not values:
        raise ValueError(f"{name} must be a non-empty tuple of real numbers, got ()")
    return values


#: why draw_data's size is bounded by memory
_DATA_REASON = "a dense rows x dim matrix"


def draw_data(seed: int, rows: int, dim: int, a_std: float, w_std: float, bias: bool, bias_true: float = 0.0):
    """A (rows x dim) ~ N(0, a_std^2) and W* ~ N(0, w_std^2); with a bias, a ones column and W*_bias.

    ``a_std`` and ``w_std`` are standard deviations (>= 0, at most 1e150 so that the draws and their squares stay
    in float64); A may take at most :data:`bounds.validation.MEMORY_LIMIT` bytes."""
    seed = require_int("seed", seed, low=0, high=SEED_LIMIT)
    rows = require_int("rows", rows, low=1)
    dim = require_int("dim", dim, low=1)
    require_memory("rows x dim", 8 * rows * (dim + 1), f"A ({_DATA_REASON}) with rows={rows}, dim={dim}")
    a_std = require_real("a_std", a_std, low=0.0, high=1e150)
    w_std = require_real("w_std", w_std, low=0.0, high=1e150)
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be a bool, got {bias!r}")
    bias_true = require_real("bias_true", bias_true, low=-1e150, high=1e150)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    with np.errstate(all="ignore"):
        w_star = w_std * rng.standard_normal(dim)
        A = a_std * rng.standard_normal((rows, dim))
    require_finite_value("draw_data's A", float(np.abs(A).max()), a_std=a_std)
    require_finite_value("draw_data's W*", float(np.abs(w_star).max()), w_std=w_std)
    if bias:
        A = np.hstack([A, np.ones((rows, 1))])
        w_star = np.append(w_star, bias_true)
    return A, w_star


def _least_squares(
    label: str,
    source: str,
    seed: int,
    dim: int,
    a_std: float,
    w_std: float,
    code_loss_factor: float,
    bias_true: float = 0.0,
) -> QuadraticProblem:
    """N = 100 rows. paper: eq. 141's f = 1/2 ||A(W - W*)||^2. code: torch.nn.Linear(D, 1) with a
    bias on MSELoss times ``code_loss_factor``, i.e. f = (factor/N) ||A_1 (W - W*)||^2."""
    rows, paper = 100, source == "paper"
    A, w_star = draw_data(seed, rows, dim, a_std, w_std, bias=not paper, bias_true=bias_true)
    return least_squares(
        A, w_star, scale=0.5 if paper else code_loss_factor / rows, name=f"{label} least squares ({source})"
    )


def _zeros(problem: QuadraticProblem) -> dict:
    return {"zeros": np.zeros(problem.dim)}


def figure1(source: str = "paper", seed: int = 42) -> Setting:
    """Figure 1: digital vs Analog SGD at several step sizes on least squares (D = 40, N = 100).

    paper: f = 1/2 ||A(W - W*)||^2, A ~ N(0, 1), W* ~ N(0, 0.45^2), tau = 3, alphas 0.2, 0.1,
    0.05, 0.03, sigma_g = 0.01/D, Delta w_min = 1e-4, bit length 800. K = 2500 from the code.
    code (S1): a bias, f = MSE = (1/N) ||A_1 (W - W*)||^2, noise std 0.01/sqrt(40) on all 41.
    """
    source = _check_source(source)
    dim, paper = 40, source == "paper"
    problem = _least_squares("Figure 1", source, seed, dim, a_std=1.0, w_std=0.45, code_loss_factor=1.0)
    notes = (
        "K = 2500 is the code's budget; the paper does not state K",
        "sigma_g^2 = (0.01/D)^2 read as the per-coordinate variance"
        if paper
        else "noise_std = 1e-2/sqrt(40) added to every gradient coordinate (S1)",
    )
    return Setting(
        "fig1",
        source,
        problem,
        taus=(3.0,),
        alphas=(0.2, 0.1, 0.05, 0.03),
        noise_stds=(0.01 / dim if paper else 0.01 / math.sqrt(dim),),
        steps=2500,
        dw_min=(1e-4,),
        max_bit_length=800,
        initial_points=_zeros(problem),
        notes=notes,
    )


def figure3(source: str = "paper", seed: int = 42) -> Setting:
    """Figure 3: dynamics (2) and (3) against pulse-level Analog SGD (D = 40, N = 100).

    paper: f = 1/2 ||A(W - W*)||^2, A ~ N(0, 0.5^2), W* ~ N(0, 0.3) (variance 0.3),
    tau in {1, 1.5, 2, 2.5}, alpha = 3e-2, sigma_g^2 = 0.1, "2 tau/Delta w_min = 300 states",
    bit length 300, K = 2500.
    code (S2): a bias, f = MSE/2 = (1/(2N)) ||A_1 (W - W*)||^2, W* ~ N(0, 0.3^2), noise std 0.1,
    Delta w_min = tau/300 (600 states), desired_bl = 5000.
    """
    source = _check_source(source)
    paper = source == "paper"
    problem = _least_squares(
        "Figure 3", source, seed, 40, a_std=0.5, w_std=math.sqrt(0.3) if paper else 0.3, code_loss_factor=0.5
    )
    taus = (1.0, 1.5, 2.0, 2.5)
    notes = (
        "N = 100 rows as in Figure 1 and the code; the paper does not state N for Figure 3",
        "initial point 0 as in the code's init_model",
        "sigma_g^2 = 0.1 read as the per-coordinate variance" if paper else "noise_std = 0.1 (S2)",
    )
    return Setting(
        "fig3",
        source,
        problem,
        taus=taus,
        alphas=(3e-2,),
        noise_stds=(math.sqrt(0.1) if paper else 0.1,),
        steps=2500,
        dw_min=tuple(2 * t / 300 if paper else t / 300 for t in taus),
        max_bit_length=300 if paper else 5000,
        initial_points=_zeros(problem),
        notes=notes,
    )


def figure4_tau(source: str = "paper", seed: int = 42) -> Setting:
    """Figure 4, left: the tau ablation, tau in {2, 3, 5, 10, 20, 50}, K = 500.

    There is no official script for this panel (S3.1 reproduces Figure 3), so both sources use
    the paper's tau values on the Figure 1 problem of the chosen source, with Figure 1's noise,
    granularity and bit length. The step size is not stated: we use 0.1, the middle of
    Figure 1's legend.
    """
    base = figure1(source, seed)
    notes = (
        "no official script: Figure 1's problem, noise, Delta w_min and bit length",
        "alpha = 0.1 assumed (not stated in the paper)",
        "K = 500 read off the figure's x-axis",
    )
    return Setting(
        "fig4-tau",
        base.source,
        base.problem,
        taus=(2.0, 3.0, 5.0, 10.0, 20.0, 50.0),
        alphas=(0.1,),
        noise_stds=base.noise_stds,
        steps=500,
        dw_min=(1e-4,) * 6,
        max_bit_length=800,
        initial_points=base.initial_points,
        notes=notes,
    )


def figure4_sigma(source: str = "paper", seed: int = 42) -> Setting:
    """Figure 4, middle: the noise ablation, sigma^2 in {1e-3, 1e-2, 1e-1, 1}, K = 200.

    The paper states only sigma^2 and K; the rest is the code's (S3.2): D = 50, N = 100,
    A ~ N(0, 1), W* ~ N(0, 0.5^2), tau = 2, alpha = 0.1, Delta w_min = 1e-4, desired_bl = 5000.
    paper: f = 1/2 ||A(W - W*)||^2 (eq. 141). code: a bias and f = MSE/2 = (1/(2N))||A_1(W - W*)||^2
    (S3.2's get_loss halves MSELoss).
    The code injects sigma as AIHWKit weight noise in the forward and backward passes; here it is
    per-coordinate Gaussian gradient noise of variance sigma^2.
    """
    source = _check_source(source)
    problem = _least_squares("Figure 4 (sigma)", source, seed, 50, a_std=1.0, w_std=0.5, code_loss_factor=0.5)
    notes = (
        "D, N, A, W*, tau, alpha, Delta w_min from S3.2; the paper states only sigma^2 and K",
        "S3.2 uses weight noise w_noise = sigma; modelled as Gaussian gradient noise of std sigma",
    )
    return Setting(
        "fig4-sigma",
        source,
        problem,
        taus=(2.0,),
        alphas=(0.1,),
        noise_stds=tuple(math.sqrt(v) for v in (1e-3, 1e-2, 1e-1, 1.0)),
        steps=200,
        dw_min=(1e-4,),
        max_bit_length=5000,
        initial_points=_zeros(problem),
        notes=notes,
    )


def figure4_init(source: str = "paper", seed: int = 42) -> Setting:
    """Figure 4, right: the initialisation ablation, K = 50.

    The paper states only that runs from different initialisations reach the same error; the rest
    is the code's (S3.3): D = 50, N = 100, A ~ N(0, 1), W* ~ N(0, 0.5^2), tau = 1, alpha = 0.1,
    noise std 1e-2/sqrt(50), desired_bl = 400, constant initial points {1e3, 1e2, 1e1, 1, 1e-2}
    and warm starts after 10, 20, 30 steps of digital GD from 0. Constants outside the device range
    are clipped to +-tau, as AIHWKit's set_weights is believed to do (unconfirmed), so 1e3, 1e2 and
    1e1 all start at tau. paper: f = 1/2 ||A(W - W*)||^2. code: a bias with true value 0.1 and
    f = MSE = (1/N)||A_1(W - W*)||^2.
    """
    source = _check_source(source)
    tau, alpha = 1.0, 0.1
    problem = _least_squares(
        "Figure 4 (init)", source, seed, 50, a_std=1.0, w_std=0.5, code_loss_factor=1.0, bias_true=0.1
    )
    starts = {f"constant {c:g}": np.full(problem.dim, float(np.clip(c, -tau, tau))) for c in (1e3, 1e2, 1e1, 1.0, 1e-2)}
    W = np.zeros(problem.dim)
    for n in range(1, 31):
        W = W - alpha * problem.gradient(W[None, :])[0]
        if n in (10, 20, 30):
            starts[f"{n} digital GD steps"] = np.clip(W, -tau, tau)
    notes = (
        "everything but K from S3.3; the paper states only the x-axis (K = 50)",
        "initial points clipped to the device range [-tau, tau] (AIHWKit set_weights, unconfirmed)",
    )
    return Setting(
        "fig4-init",
        source,
        problem,
        taus=(tau,),
        alphas=(alpha,),
        noise_stds=(0.01 / math.sqrt(50),),
        steps=50,
        dw_min=(1e-4,),
        max_bit_length=400,
        initial_points=starts,
        notes=notes,
    )


# ---------------------------------------------------------------------------------------------
# resource limits of the experiment and report entry points (issue 15), decided up front
# ---------------------------------------------------------------------------------------------
#
# Every entry point that runs the Monte Carlo engine checks, before it allocates or loops, that its counts stay
# within what a call can finish in minutes: ``steps`` (K, a floor window, a burn-in) at most STEPS_LIMIT; the
# chain-coordinate-steps ``chains x steps x D`` (summed over a call's runs) at most CELLS_LIMIT; for the tile
# model, whose step costs ``N x (D + 1)`` per chain (N data rows), ``chains x steps x N x (D + 1)`` per run at
# most TILE_WORK_LIMIT. The messages name every parameter the product is made of, since lowering any helps.

#: the most steps (K) one run may have: ~25 us of per-step overhead, so 10**6 steps take about half a minute per
#: block of chains, and every step's moments are kept
STEPS_LIMIT = 10**6
STEPS_REASON = "about 25 us of per-step overhead and every step's moments kept: 10**6 steps take about half a minute"
#: the most chain-coordinate-steps one call may run (about 5e7 a second: a few minutes)
CELLS_LIMIT = 2**34
#: the most chain-step-row-weight products one tile-model run may take (about 1e7 a second: a few minutes)
TILE_WORK_LIMIT = 2**32


def require_steps(name: str, value, *, low: int = 1) -> int:
    """``value`` as a step count in ``[low, STEPS_LIMIT]`` (a ValueError naming ``name`` otherwise)."""
    return require_int(name, value, low=low, high=STEPS_LIMIT, reason=STEPS_REASON)


def require_work(amount: int, limit: int, unit: str, note: str = "", **counts) -> None:
    """Refuse, before running, a call whose work ``amount`` (in ``unit``) exceeds ``limit``; ``counts`` are the
    parameters it is made of, all named in the message (``note`` says what else enters ``amount``)."""
    if amount > limit:
        shown = ", ".join(f"{k}={v}" for k, v in counts.items())
        raise ValueError(
            f"{' x '.join(counts)} is too large: {shown} make {float(amount):.3g} {unit}{note}, more than the "
            f"{float(limit):.3g} a call may run (a few minutes of engine time); lower {' or '.join(counts)}"
        )


#: figure name -> generator
SETTINGS = {
    "fig1": figure1,
    "fig3": figure3,
    "fig4-tau": figure4_tau,
    "fig4-sigma": figure4_sigma,
    "fig4-init": figure4_init,
}
