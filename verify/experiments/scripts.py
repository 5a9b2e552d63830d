r"""The paper's least-squares experiments as its official scripts run them (``NeurIPS-2024/S1``, ``S2``, ``S3.2``,
``S3.3``), described once and run on the AIHWKit-faithful tile (:mod:`verify.experiments.tile`), on
digital SGD and on dynamic (3), or in AIHWKit itself (:mod:`verify.experiments.aihwkit_backend`).

A :class:`Script` holds everything a script fixes: the data (``X``, targets ``t = X w* + b*``, drawn with numpy
from ``SeedSequence(data_seed)``, the same draws as :mod:`verify.experiments.settings` with ``source="code"``:
numpy cannot reproduce torch's ``manual_seed(42)`` stream), the model ``AnalogLinear(D, 1)`` with its digital
bias, the training loss ``c MSE`` (``c = 1`` or ``1/2``), what is logged (``loss/D``, from a fresh noisy analog
forward in S1, from a digital copy of the weights elsewhere), the budget K, and one :class:`Run` per curve
(its learning rate, the tile's rpu_config and initial weights). The script's own digital-SGD baseline and
its dynamic-(3) stand-in (``AnalogSGD_approx``) add Gaussian noise of std ``noise_std`` to every gradient
coordinate, bias included.

The figures' "asymptotic error" is S1's ``get_asymptotic_err``: the mean of the last 20 logged losses, per run
(:data:`FLOOR_STEPS`); the toolkit estimates its expectation over independent chains.

Figure 4-left has no script (S3.1 reproduces Figure 3): :func:`fig4_tau` is our choice, S1's experiment
(data, device granularity, IO, noise, logging) with the paper's taus {2, 3, 5, 10, 20, 50}, alpha = 0.1 (the
middle of Figure 1's legend), K = 500 (the panel's x-axis) and the loss logged exactly, as every S2/S3.x script
logs it.

>>> s = fig1()
>>> s.script, s.dim, [r.lr for r in s.runs], s.logged
('S1', 40, [0.2, 0.1, 0.05, 0.03], 'noisy')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bounds.devices import AsymmetricLinearDevice
from bounds.validation import SEED_LIMIT, require_array, require_instance, require_int, require_real

from ..sim.dynamics import AnalogSGD, DigitalSGD
from ..sim.engine import NonFiniteError, SimulationResult, simulate
from ..sim.noise import GaussianNoise
from ..sim.problems import QuadraticProblem
from ..sim.seeds import child_seed, root_seed, seed_record
from .settings import TILE_WORK_LIMIT, draw_data, require_steps, require_work
from .tile import LOGGED_LOSSES, PulsedTileSGD, TileConfig, require_data

__all__ = [
    "Run",
    "Script",
    "FLOOR_STEPS",
    "fig1",
    "fig3",
    "fig4_tau",
    "fig4_sigma",
    "fig4_init",
    "SCRIPTS",
    "run_tile",
    "run_digital",
    "run_dynamic3",
    "logged_values",
    "floors",
    "curve",
    "figure_data",
]

#: the script's asymptotic error: the mean of this many last logged losses (S1's get_asymptotic_err)
FLOOR_STEPS = 20
#: the data seed of every script (torch.manual_seed(42) in the scripts; numpy draws here)
DATA_SEED = 42
#: rows of every script's data set
ROWS = 100


@dataclass(frozen=True)
class Run:
    """One curve of a script: a learning rate on a tile, from an initial point."""

    label: str
    """The legend entry (e.g. "alpha=0.2", "tau=1.5")."""
    x: float | str
    """The swept value (alpha, tau, sigma^2 or the start's label)."""
    lr: float
    """Learning rate."""
    tile: TileConfig
    """The tile's rpu_config (device, IO, update)."""
    w0: np.ndarray | None = None
    """Initial analog weights and bias (D + 1,), analog weights already clipped to the device range; None: 0."""

    def __post_init__(self):
        if not isinstance(self.label, str):
            raise TypeError(f"label must be a str (the legend entry), got {self.label!r}")
        if not isinstance(self.x, str):
            object.__setattr__(self, "x", require_real("x", self.x))
        object.__setattr__(self, "lr", require_real("lr", self.lr, low=0.0, low_open=True))
        require_instance("tile", self.tile, TileConfig, "TileConfig(tau=1.0, dw_min=0.01)")
        if self.w0 is not None:
            object.__setattr__(self, "w0", require_array("w0", self.w0, ndim=1))


@dataclass(frozen=True, eq=False)
class Script:
    """An official script's experiment (module docstring)."""

    script: str
    """"S1", "S2", "S3.2", "S3.3" or "none" (Figure 4-left)."""
    figure: str
    """The figure it makes ("fig1", "fig3", "fig4-tau", "fig4-sigma", "fig4-init")."""
    inputs: np.ndarray
    """X, N x D."""
    targets: np.ndarray
    """t = X w* + b*, N."""
    loss_scale: float
    """c in the training loss c MSE."""
    logged: str
    """"noisy" (a fresh analog forward, S1) or "exact" (a digital copy of the weights)."""
    steps: int
    """K: the run logs k = 0..K."""
    runs: tuple[Run, ...]
    """One per curve."""
    noise_std: float
    """Gaussian noise std per gradient coordinate of the script's digital SGD and dynamic (3)."""
    notes: tuple[str, ...] = ()
    """Where each value comes from, and what had to be decided."""
    _problem: QuadraticProblem | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        for name in ("script", "figure"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str, got {getattr(self, name)!r}")
        X, t = require_data(self.inputs, self.targets)
        object.__setattr__(self, "inputs", X)
        object.__setattr__(self, "targets", t)
        object.__setattr__(self, "loss_scale", require_real("loss_scale", self.loss_scale, low=0.0, low_open=True))
        if not isinstance(self.logged, str) or self.logged not in LOGGED_LOSSES:
            raise ValueError(f"logged must be one of {LOGGED_LOSSES}, got {self.logged!r}")
        object.__setattr__(self, "steps", require_steps("steps", self.steps))
        runs = self.runs
        if isinstance(runs, list):
            runs = tuple(runs)
        if not isinstance(runs, tuple) or not runs or not all(isinstance(r, Run) for r in runs):
            raise TypeError(f"runs must be a non-empty tuple of Run, got {runs!r}")
        for r in runs:
            if r.w0 is not None and r.w0.shape != (X.shape[1] + 1,):
                raise ValueError(
                    f"runs: run {r.label!r} has w0 of shape {r.w0.shape}, the model has D + 1 = {X.shape[1] + 1} "
                    "parameters"
                )
        object.__setattr__(self, "runs", runs)
        object.__setattr__(self, "noise_std", require_real("noise_std", self.noise_std, low=0.0, high=1e150))
        if not isinstance(self.notes, (tuple, list)) or not all(isinstance(n, str) for n in self.notes):
            raise TypeError(f"notes must be a tuple of str, got {self.notes!r}")
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def dim(self) -> int:
        """D, the analog weights (the model has D + 1 parameters with its bias)."""
        return self.inputs.shape[1]

    @property
    def logged_divisor(self) -> float:
        """The scripts log loss / D."""
        return float(self.dim)

    def tile_dynamics(self, run: Run) -> PulsedTileSGD:
        """The AIHWKit-faithful Analog SGD of ``run``."""
        return PulsedTileSGD(
            run.tile,
            run.lr,
            self.inputs,
            self.targets,
            bias=True,
            loss_scale=self.loss_scale,
            logged=self.logged,
            logged_divisor=self.logged_divisor,
        )

    @property
    def problem(self) -> QuadraticProblem:
        """The training loss as the engine's quadratic in (W, b): f = c mean_b (X W + b - t)_b^2, f* = 0."""
        if self._problem is None:
            dyn = self.tile_dynamics(self.runs[0])
            object.__setattr__(self, "_problem", dyn.problem(f"{self.script} least squares (D = {self.dim} + bias)"))
        return self._problem

    def w0(self, run: Run) -> np.ndarray:
        """``run``'s initial (W, b)."""
        return np.zeros(self.dim + 1) if run.w0 is None else run.w0

    def run(self, label) -> Run:
        """The run called ``label``."""
        for r in self.runs:
            if r.label == label:
                return r
        raise ValueError(f"label must be one of {[r.label for r in self.runs]}, got {label!r}")


def _data(dim: int, w_std: float, a_scale: float = 1.0, bias_true: float = 0.0, seed: int = DATA_SEED):
    seed = require_int("data_seed", seed, low=0, high=SEED_LIMIT)
    X, w_star = draw_data(seed, ROWS, dim, a_std=a_scale, w_std=w_std, bias=False)
    return X, X @ w_star + bias_true


def _tile(tau: float, dw_min: float, w_noise: float, desired_bl: int, **io) -> TileConfig:
    return TileConfig(tau=tau, dw_min=dw_min, w_noise=w_noise, desired_bl=desired_bl, **io)


def fig1(data_seed: int = DATA_SEED) -> Script:
    """S1 (Figure 1): D = 40, x_true ~ N(0, 0.45^2), A ~ N(0, 1), loss MSE, logged MSE/40 from a fresh noisy
    analog forward; tau = 3, dw_min = 1e-4, desired_bl = 800, w_noise = 0.01/sqrt(40) (forward and backward),
    IO bounds 10, no noise or bound management; alpha in {0.2, 0.1, 0.05, 0.03}; K = 2500; digital SGD with
    Gaussian gradient noise of the same std."""
    X, t = _data(40, 0.45, seed=data_seed)
    noise = 0.01 / math.sqrt(40)
    runs = tuple(Run(f"alpha={a:g}", a, a, _tile(3.0, 1e-4, noise, 800)) for a in (0.2, 0.1, 0.05, 0.03))
    notes = (
        "S1's get_loss(for_training=False) is a second analog forward pass: the logged loss carries its own "
        "weight noise",
        "sto_round=True has no effect: AIHWKit rounds probabilities only with res > 0 (res = 0 here)",
    )
    return Script("S1", "fig1", X, t, 1.0, "noisy", 2500, runs, noise, notes)


def fig3(data_seed: int = DATA_SEED) -> Script:
    """S2 (Figure 3): D = 40, x_true ~ N(0, 0.3^2), A ~ N(0, 1)/2, loss MSE/2, logged (MSE/2)/40 on a digital
    copy; tau in {1, 1.5, 2, 2.5}, dw_min = tau/300, desired_bl = 5000, w_noise = 0.1/s_A (s_A the mean singular
    value of A), IO bounds 10; alpha = 0.03; K = 2500; digital SGD and dynamic (3) with noise std 0.1."""
    X, t = _data(40, 0.3, a_scale=0.5, seed=data_seed)
    s_A = float(np.linalg.svd(X, compute_uv=False).mean())
    runs = tuple(Run(f"tau={tau:g}", tau, 0.03, _tile(tau, tau / 300, 0.1 / s_A, 5000)) for tau in (1.0, 1.5, 2.0, 2.5))
    notes = (f"w_noise = 0.1/s_A = {0.1 / s_A:.4g} (S2's noise_correction, s_A = {s_A:.4g})",)
    return Script("S2", "fig3", X, t, 0.5, "exact", 2500, runs, 0.1, notes)


def fig4_tau(data_seed: int = DATA_SEED) -> Script:
    """Figure 4-left (no official script; our choice): S1's experiment with tau in {2, 3, 5, 10, 20, 50},
    alpha = 0.1, K = 500, logged exactly (as the S3.x scripts log)."""
    base = fig1(data_seed)
    tile = base.runs[0].tile
    runs = tuple(
        Run(f"tau={tau:g}", tau, 0.1, _tile(tau, tile.dw_min, tile.w_noise, tile.desired_bl))
        for tau in (2.0, 3.0, 5.0, 10.0, 20.0, 50.0)
    )
    notes = (
        "no official script (S3.1 reproduces Figure 3): S1's data, device granularity, IO and noise",
        "logged exactly on a digital copy of the weights, as every S2/S3.x script logs (S1's noisy logging is "
        "Figure 1's alone)",
        "alpha = 0.1 (the middle of Figure 1's legend; not stated) and K = 500 (the panel's x-axis)",
    )
    return Script("none", "fig4-tau", base.inputs, base.targets, 1.0, "exact", 500, runs, base.noise_std, notes)


def fig4_sigma(data_seed: int = DATA_SEED) -> Script:
    """S3.2 (Figure 4-middle): D = 50, x_true ~ N(0, 0.5^2), A ~ N(0, 1), loss MSE/2, logged (MSE/2)/50 on a
    digital copy; tau = 2, dw_min = 1e-4, desired_bl = 5000, w_noise = sigma for sigma^2 in {1e-3, 1e-2, 1e-1,
    1}, IO bounds 10; alpha = 0.1; K = 200."""
    X, t = _data(50, 0.5, seed=data_seed)
    runs = tuple(Run(f"sigma^2={v:g}", v, 0.1, _tile(2.0, 1e-4, math.sqrt(v), 5000)) for v in (1e-3, 1e-2, 1e-1, 1.0))
    notes = ("the noise is AIHWKit weight noise (w_noise = sigma), not gradient noise",)
    return Script("S3.2", "fig4-sigma", X, t, 0.5, "exact", 200, runs, 0.2 / math.sqrt(50), notes)


def fig4_init(data_seed: int = DATA_SEED) -> Script:
    """S3.3 (Figure 4-right): D = 50, x_true ~ N(0, 0.5^2), bias 0.1, A ~ N(0, 1), loss MSE, logged MSE/50 on a
    digital copy; tau = 1, dw_min = 1e-4, desired_bl = 400, w_noise = 0.01/sqrt(50), inp_bound = 1, out_bound =
    10 with AIHWKit's default noise (abs_max) and bound (iterative) management; alpha = 0.1; K = 50. Starts: every
    parameter set to c in {1e3, 1e2, 1e1, 1, 1e-2} (set_weights clips the analog weights to +-tau; the digital
    bias keeps c), and the weights after 10, 20, 30 steps of noiseless digital GD from 0."""
    X, t = _data(50, 0.5, bias_true=0.1, seed=data_seed)
    tau, lr = 1.0, 0.1
    tile = _tile(tau, 1e-4, 0.01 / math.sqrt(50), 400, inp_bound=1.0, out_bound=10.0, noise_management="abs_max")
    starts = [(f"constant {c:g}", np.append(np.full(50, min(c, tau)), c)) for c in (1e3, 1e2, 1e1, 1.0, 1e-2)]
    A1 = np.hstack([X, np.ones((ROWS, 1))])
    W = np.zeros(51)
    for n in range(1, 31):
        W = W - lr * 2.0 / ROWS * A1.T @ (A1 @ W - t)  # MSE's gradient
        if n in (10, 20, 30):
            starts.append((f"{n} digital GD steps", np.append(np.clip(W[:50], -tau, tau), W[50])))
    runs = tuple(Run(label, label, lr, tile, w0) for label, w0 in starts)
    notes = (
        "AIHWKit's set_weights clips the analog weights to [-tau, tau]; the digital bias is not clipped",
        "abs_max noise management leaves the additive-constant weight noise unchanged in output units; iterative "
        "bound management avoids output clipping",
    )
    return Script("S3.3", "fig4-init", X, t, 1.0, "exact", 50, runs, 0.01 / math.sqrt(50), notes)


#: figure name -> its experiment
SCRIPTS = {"fig1": fig1, "fig3": fig3, "fig4-tau": fig4_tau, "fig4-sigma": fig4_sigma, "fig4-init": fig4_init}


# ---------------------------------------------------------------------------------------------
# running a script's curves in the engine
# ---------------------------------------------------------------------------------------------


def _windows(steps: int) -> dict:
    return {"floor": (max(0, steps + 1 - FLOOR_STEPS), steps + 1), "end": (steps, steps + 1)}


def _check(script, run=None, tile=None) -> None:
    require_instance("script", script, Script, "fig1()")
    if run is not None:
        require_instance("run", run, Run, "fig1().runs[0]")
    if tile is not None:
        require_instance("tile", tile, TileConfig, "TileConfig(tau=1.0, dw_min=0.01)")


def _run_steps(script: Script, steps) -> int:
    return script.steps if steps is None else require_steps("steps", steps)


def _require_tile_work(script: Script, chains, steps) -> int:
    """``chains`` validated, and one run's work ``chains x steps x N x (D + 1)`` within
    :data:`~verify.experiments.settings.TILE_WORK_LIMIT`."""
    chains = require_int("chains", chains, low=1)
    N, D = script.inputs.shape
    require_work(chains * steps * N * (D + 1), TILE_WORK_LIMIT, "chain-step-row-weights", chains=chains, steps=steps)
    return chains


def _simulate(
    script: Script, dynamics, noise, w0, *, chains, seed, steps, workers, progress, what: str
) -> SimulationResult:
    """One engine run of ``script``; a divergence (NonFiniteError) becomes a ValueError naming ``what`` (the
    parameters that set the step: the run, its tile or the learning rate)."""
    steps = _run_steps(script, steps)
    chains = _require_tile_work(script, chains, steps)
    try:
        return simulate(
            script.problem,
            dynamics,
            noise,
            steps=steps,
            chains=chains,
            seed=seed,
            w0=w0,
            windows=_windows(steps),
            workers=workers,
            progress=progress,
        )
    except NonFiniteError as err:
        raise ValueError(f"{err} (at {what}, steps={steps}, chains={chains}: lower the learning rate)") from None


def run_tile(
    script: Script, run: Run, *, chains: int, seed, steps=None, tile=None, workers=None, progress=None
) -> SimulationResult:
    """``run`` on the AIHWKit-faithful tile (``tile`` replaces its TileConfig, for ablations)."""
    _check(script, run, tile)
    run = run if tile is None else Run(run.label, run.x, run.lr, tile, run.w0)
    return _simulate(
        script,
        script.tile_dynamics(run),
        None,
        script.w0(run),
        chains=chains,
        seed=seed,
        steps=steps,
        workers=workers,
        progress=progress,
        what=f"run {run.label!r} with lr={run.lr:g} on its tile",
    )


def run_digital(
    script: Script, lr: float, *, chains: int, seed, steps=None, w0=None, workers=None, progress=None
) -> SimulationResult:
    """The script's digital SGD: exact gradient of the training loss plus N(0, noise_std^2) per coordinate."""
    _check(script)
    lr = require_real("lr", lr, low=0.0, low_open=True)
    L = script.problem.smoothness
    if not lr < 2.0 / L:
        raise ValueError(f"lr must be below 2/L = {2.0 / L:.4g} (digital SGD diverges from there on), got {lr:g}")
    return _simulate(
        script,
        DigitalSGD(lr),
        GaussianNoise(script.noise_std),
        np.zeros(script.dim + 1) if w0 is None else w0,
        chains=chains,
        seed=seed,
        steps=steps,
        workers=workers,
        progress=progress,
        what=f"lr={lr:g}",
    )


def run_dynamic3(
    script: Script, run: Run, *, chains: int, seed, steps=None, workers=None, progress=None
) -> SimulationResult:
    """The script's dynamic (3) (``AnalogSGD_approx``): the ALD of bound tau = the run's on every parameter, bias
    included, with Gaussian gradient noise of std noise_std."""
    _check(script, run)
    w0 = script.w0(run)
    tau = run.tile.tau
    return _simulate(
        script,
        AnalogSGD(AsymmetricLinearDevice(tau), run.lr),
        GaussianNoise(script.noise_std),
        np.clip(w0, -tau, tau),
        chains=chains,
        seed=seed,
        steps=steps,
        workers=workers,
        progress=progress,
        what=f"run {run.label!r} with lr={run.lr:g} (dynamic (3))",
    )


def _check_result(result, script) -> None:
    require_instance("result", result, SimulationResult, "run_tile(script, run, chains=8, seed=0)")
    require_instance("script", script, Script, "fig1()")


def logged_values(result: SimulationResult, script: Script) -> tuple[np.ndarray, np.ndarray]:
    """The logged loss's chain mean and variance at every k: the tile's own logged statistic, or for digital SGD
    and dynamic (3) (which log exactly) ``f(W_k)/D``."""
    _check_result(result, script)
    if "logged" in result.statistics:
        return result.mean["logged"], result.variance["logged"]
    d = script.logged_divisor
    return result.mean["f_gap"] / d, result.variance["f_gap"] / d**2


def floors(result: SimulationResult, script: Script, window: str = "floor", exact: bool = False) -> np.ndarray:
    """Per chain, the mean of the last :data:`FLOOR_STEPS` logged losses (the run's asymptotic error); with
    ``window="end"`` the logged loss at k = K; with ``exact`` the exact loss f(W_k)/D instead of the logged one."""
    _check_result(result, script)
    if not isinstance(window, str) or window not in result.window_means:
        raise ValueError(f"window must be one of {sorted(result.window_means)}, got {window!r}")
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"exact must be a bool, got {exact!r}")
    means = result.window_means[window]
    if "logged" in means and not exact:
        return means["logged"]
    return means["f_gap"] / script.logged_divisor


def curve(result: SimulationResult, script: Script) -> tuple[np.ndarray, np.ndarray]:
    """The logged loss's chain mean at k = 0..K and its standard error."""
    _check_result(result, script)
    mean, var = logged_values(result, script)
    return mean, np.sqrt(np.maximum(var, 0.0) / result.chains)


# ---------------------------------------------------------------------------------------------
# a figure's data: every curve of the script on the tile, with the script's digital and dynamic-(3) baselines
# ---------------------------------------------------------------------------------------------


def _series(label, x, result: SimulationResult, script: Script, seed) -> dict:
    mean, sem = curve(result, script)
    return {
        "label": label,
        "x": x,
        "floor": floors(result, script),
        "end": floors(result, script, "end"),
        "exact_floor": floors(result, script, exact=True),
        "curve": mean,
        "sem": sem,
        "chains": result.chains,
        "seconds": result.seconds,
        "seed": seed_record(seed),
    }


def figure_data(
    figure: str,
    *,
    chains: int,
    seed=0,
    data_seed: int = DATA_SEED,
    steps: int | None = None,
    baselines: bool = True,
    workers=None,
    progress=None,
) -> dict:
    """Every run of ``SCRIPTS[figure]`` on the AIHWKit-faithful tile (series "analog"), each with its own seed
    (independent runs), and, with ``baselines``, the script's digital SGD (series "digital": one per learning rate
    of Figure 1, one at the figure's rate otherwise, whose ``x`` is None: tau = infinity) and dynamic (3) per run
    (series "dynamic3", Figures 1, 3 and 4-left). Per series entry: per-chain floors (last 20 logged), end values (k
    = K), exact-loss floors, the mean logged curve and its standard error, time and seed. ``steps`` overrides the
    script's K."""
    if not isinstance(figure, str) or figure not in SCRIPTS:
        raise ValueError(f"figure must be one of {sorted(SCRIPTS)}, got {figure!r}")
    chains = require_int("chains", chains, low=2)
    if not isinstance(baselines, (bool, np.bool_)):
        raise TypeError(f"baselines must be a bool, got {baselines!r}")
    script = SCRIPTS[figure](data_seed)
    _require_tile_work(script, chains, _run_steps(script, steps))
    root = root_seed(seed)
    common = dict(chains=chains, steps=steps, workers=workers, progress=progress)
    series = {"analog": [], "digital": [], "dynamic3": []}
    for i, run in enumerate(script.runs):
        s = child_seed(root, 0, i)
        series["analog"].append(_series(run.label, run.x, run_tile(script, run, seed=s, **common), script, s))
    if baselines and figure in ("fig1", "fig3", "fig4-tau"):
        lrs = [r.lr for r in script.runs] if figure == "fig1" else [script.runs[0].lr]
        for i, lr in enumerate(lrs):
            s = child_seed(root, 1, i)
            x = lr if figure == "fig1" else None  # None: tau = infinity
            series["digital"].append(_series(f"alpha={lr:g}", x, run_digital(script, lr, seed=s, **common), script, s))
        for i, run in enumerate(script.runs):
            s = child_seed(root, 2, i)
            series["dynamic3"].append(_series(run.label, run.x, run_dynamic3(script, run, seed=s, **common), script, s))
    return {
        "figure": figure,
        "script": script,
        "chains": chains,
        "seed": seed_record(root),
        "data_seed": data_seed,
        "series": series,
    }
