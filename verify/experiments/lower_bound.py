r"""The lower-bound instance of Theorem 2 (arXiv v1 Theorem 3) as an engine run, and its stationary ratio.

:func:`engine_inputs` turns a :class:`bounds.lower_bound.LowerBoundConstruction` into what
:func:`verify.sim.engine.simulate` runs: the objective ``L/2 ||W - W*||^2`` started at W* (
:func:`verify.sim.problems.lower_bound_instance`), Analog SGD on an ALD with bound tau, and the
two-point noise with one draw per chain and step for all coordinates (``TwoPointNoise(shared=True)``,
the paper's ``eps_k = xi_k 1``), so the coordinates stay equal.

The checked quantity is the ratio, over a tail window of a run long enough to be stationary::

    R(alpha) = mean over chains of (1/|window|) sum_k ||grad f(W_k)||^2
               / (sigma^2 * mean over chains of (1/|window|) sum_k r_k/(1 - r_k)),   r_k = ||W_k||_inf^2/tau^2,

i.e. the measured average squared gradient over sigma^2 S on the same window. The paper states that it
tends to 4 as alpha -> 0 (Theorem 2: 4 sigma^2 S_K + Theta(alpha)); the derivation in
:mod:`bounds.lower_bound` gives ``1 + c_1 alpha + O(alpha^2)``. :func:`check_stationary_ratio` measures R
at several step sizes with delta-method intervals (Student t across chains, :func:`verify.sim.stats.mean_ci`)
and extrapolates to alpha -> 0 by the polynomial through all the measured points, whose interval comes
from the same per-chain combination.

>>> from bounds.lower_bound import LowerBoundConstruction
>>> inputs = engine_inputs(LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01))
>>> inputs.problem.dim, inputs.noise.shared, inputs.dynamics.alpha
(4, True, 0.01)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from bounds.devices import AsymmetricLinearDevice
from bounds.lower_bound import (
    DERIVED_CONSTANT,
    STATED_CONSTANT,
    LowerBoundConstruction,
    ratio_slope,
    stationary_ratio_first_order,
)
from bounds.validation import (
    SEED_LIMIT,
    require_array,
    require_instance,
    require_int,
    require_real,
)

from ..sim.dynamics import AnalogSGD
from ..sim.engine import NonFiniteError, SimulationResult, simulate
from ..sim.noise import TwoPointNoise
from ..sim.problems import QuadraticProblem, lower_bound_instance
from ..sim.stats import Estimate, mean_ci
from .settings import CELLS_LIMIT, STEPS_LIMIT, STEPS_REASON, require_steps, require_work

__all__ = [
    "EngineInputs",
    "engine_inputs",
    "simulate_construction",
    "ratio_samples",
    "ratio_estimate",
    "extrapolation_weights",
    "extrapolated_estimate",
    "RatioCheck",
    "check_stationary_ratio",
    "TAIL",
]

#: the name of the stationary window in runs made here
TAIL = "tail"


@dataclass(frozen=True)
class EngineInputs:
    """What :func:`verify.sim.engine.simulate` needs for one construction."""

    problem: QuadraticProblem
    """f(W) = L/2 ||W - W*||^2, W* = w* 1, W_0 = W*."""
    dynamics: AnalogSGD
    """Analog SGD with step alpha on AsymmetricLinearDevice(tau)."""
    noise: TwoPointNoise
    """The two-point law (66)-(67), one draw per chain and step (shared=True)."""

    def __post_init__(self):
        require_instance("problem", self.problem, QuadraticProblem, "lower_bound_instance(L, w_star, D)")
        require_instance("dynamics", self.dynamics, AnalogSGD, "AnalogSGD(AsymmetricLinearDevice(tau), alpha)")
        require_instance("noise", self.noise, TwoPointNoise, "TwoPointNoise(sigma, tau, shared=True)")


def _require_construction(construction) -> LowerBoundConstruction:
    example = "LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)"
    return require_instance("construction", construction, LowerBoundConstruction, example)


def engine_inputs(construction: LowerBoundConstruction) -> EngineInputs:
    """The engine's problem, dynamics and noise law for ``construction``.

    >>> from bounds.lower_bound import LowerBoundConstruction
    >>> cons = LowerBoundConstruction(L=2.0, w_star=0.1, tau=1.0, sigma=0.25, D=3, alpha=0.05)
    >>> inputs = engine_inputs(cons)
    >>> inputs.problem.smoothness == cons.L and inputs.noise.total_variance(3) == cons.sigma**2
    True
    """
    cons = _require_construction(construction)
    return EngineInputs(
        problem=lower_bound_instance(cons.L, cons.w_star, cons.D),
        dynamics=AnalogSGD(AsymmetricLinearDevice(cons.tau), cons.alpha),
        noise=TwoPointNoise(cons.sigma, cons.tau, shared=True),
    )


def simulate_construction(
    construction: LowerBoundConstruction, *, steps: int, burn_in: int, chains: int, seed=None, **options
) -> SimulationResult:
    """Run the construction for ``steps`` steps; the window ``"tail"`` is [burn_in, steps) and ``"all"`` is
    [0, steps), the paper's (1/K) sum_{k<K}. Other options go to :func:`verify.sim.engine.simulate`.

    Identity: the run starts at W_0 = W*, so the gradient at step 0 is zero in every chain.

    >>> from bounds.lower_bound import LowerBoundConstruction
    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.05)
    >>> float(simulate_construction(cons, steps=20, burn_in=5, chains=8, seed=1).mean["grad_sq"][0])
    0.0
    """
    cons = _require_construction(construction)
    steps = require_steps("steps", steps, low=2)
    burn_in = require_int("burn_in", burn_in, low=0, high=steps - 1)
    chains = require_int("chains", chains, low=1)
    require_work(chains * (steps + 1) * cons.D, CELLS_LIMIT, "chain-coordinate-steps", chains=chains, steps=steps)
    inputs = engine_inputs(cons)
    try:
        return simulate(
            inputs.problem,
            inputs.dynamics,
            inputs.noise,
            steps=steps,
            chains=chains,
            seed=seed,
            windows={TAIL: (burn_in, steps), "all": (0, steps)},
            **options,
        )
    except NonFiniteError as err:
        raise ValueError(
            f"{err} (construction with alpha={cons.alpha:g}, L={cons.L:g}, tau={cons.tau:g}, sigma={cons.sigma:g}: "
            f"a smaller alpha keeps the run in range; steps={steps}, chains={chains})"
        ) from None


def ratio_samples(result: SimulationResult, sigma: float, window: str = TAIL) -> np.ndarray:
    """Per-chain linearised values of the ratio R = mean(N)/mean(Q) over ``window``.

    N_i is chain i's time average of ||grad f||^2 and Q_i = sigma^2 times its time average of
    r/(1 - r). The values ``u_i = R + (N_i - R Q_i)/mean(Q)`` have mean exactly R, and their Student t
    interval is the delta-method interval of the ratio of means (the chains are i.i.d.).

    Identity: the values average to the ratio of the means exactly.

    >>> from bounds.lower_bound import LowerBoundConstruction
    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.05)
    >>> result = simulate_construction(cons, steps=200, burn_in=50, chains=16, seed=1)
    >>> tail = result.window_means[TAIL]
    >>> ratio = tail["grad_sq"].mean() / (0.25**2 * tail["saturation"].mean())
    >>> bool(np.isclose(ratio_samples(result, 0.25).mean(), ratio, rtol=1e-13))
    True
    """
    sigma = require_real("sigma", sigma, low=0.0, low_open=True)
    require_instance(
        "result", result, SimulationResult, "simulate_construction(cons, steps=200, burn_in=50, chains=16)"
    )
    if not isinstance(window, str) or window not in result.window_means:
        raise ValueError(f"window must be one of {sorted(result.window_means)}, got {window!r}")
    if "saturation" not in result.statistics or "grad_sq" not in result.statistics:
        raise ValueError("result must come from a run on a device that defines saturation (the ALD)")
    numerator = result.window_means[window]["grad_sq"]
    with np.errstate(all="ignore"):
        denominator = np.float64(sigma) ** 2 * result.window_means[window]["saturation"]
        scale = float(np.mean(denominator))
        if not np.isfinite(scale) or scale <= 0.0:
            raise ValueError(
                f"sigma={sigma!r}: the mean of sigma^2 r/(1 - r) over {window!r} is {scale}: the ratio is undefined"
            )
        ratio = float(np.mean(numerator)) / scale
        values = ratio + (numerator - ratio * denominator) / scale
    if not np.all(np.isfinite(values)):
        raise ValueError(f"sigma={sigma!r}: the ratio's per-chain values leave float64's range at this sigma")
    return values


def ratio_estimate(result: SimulationResult, sigma: float, window: str = TAIL, level: float = 0.95) -> Estimate:
    """R over ``window`` with its delta-method interval (:func:`ratio_samples`).

    >>> from bounds.lower_bound import LowerBoundConstruction
    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.05)
    >>> est = ratio_estimate(simulate_construction(cons, steps=200, burn_in=50, chains=16, seed=1), 0.25)
    >>> est.low < est.mean < est.high
    True
    """
    return mean_ci(ratio_samples(result, sigma, window), level=level)


def extrapolation_weights(alphas, order: int = 0) -> np.ndarray:
    """Weights a_j with ``sum_j a_j P(alpha_j) = [alpha^order] P`` (the coefficient of alpha^order) for every
    polynomial P of degree < len(alphas): the rows of the inverse Vandermonde matrix. ``order=0`` gives
    P(0), the extrapolation that cancels the O(alpha), ..., O(alpha^(n-1)) terms; ``order=1`` the slope.

    >>> extrapolation_weights([0.02, 0.01, 0.005]).round(12).tolist()
    [0.333333333333, -2.0, 2.666666666667]
    """
    alphas = _require_alphas(alphas)
    order = require_int("order", order, low=0, high=alphas.size - 1)
    vandermonde = np.vander(alphas / alphas.max(), increasing=True)  # scaled: the powers stay in [0, 1]
    with np.errstate(all="ignore"):
        condition = np.linalg.cond(vandermonde)
    if not condition < 1e12:
        raise ValueError(
            f"alphas must be spread enough for a stable polynomial through them (the Vandermonde system's condition "
            f"number is {condition:.3g} > 1e12), got {alphas.tolist()}"
        )
    with np.errstate(all="ignore"):
        weights = np.linalg.solve(vandermonde.T, np.eye(alphas.size)[order]) / alphas.max() ** order
    if not np.all(np.isfinite(weights)):
        raise ValueError(f"alphas={alphas.tolist()} with order={order}: the weights leave float64's range")
    return weights


#: the most step sizes an extrapolation runs through: beyond a few, the polynomial through them is ill-conditioned
MAX_ALPHAS = 16


def _require_alphas(alphas) -> np.ndarray:
    if isinstance(alphas, (int, float, np.floating, np.integer)) and not isinstance(alphas, bool):
        alphas = [alphas]
    alphas = require_array("alphas", alphas, ndim=1, low=0.0, low_open=True)
    if not 1 <= alphas.size <= MAX_ALPHAS:
        raise ValueError(
            f"alphas must hold 1 to {MAX_ALPHAS} step sizes (a polynomial through more is ill-conditioned), "
            f"got {alphas.size}"
        )
    for a in alphas:
        require_real("alphas", a, low=0.0, low_open=True)  # no subnormals
    if np.unique(alphas).size != alphas.size:
        raise ValueError(f"alphas must be distinct, got {alphas.tolist()}")
    return alphas


def extrapolated_estimate(samples, alphas, order: int = 0, level: float = 0.95) -> Estimate:
    """The coefficient of alpha^order of the polynomial through the R(alpha_j), with its interval
    (``order=0``: R at alpha -> 0; ``order=1``: the slope), as ``sum_j a_j R(alpha_j)``
    (:func:`extrapolation_weights`).

    ``samples[j]`` are the per-chain values of the run at alphas[j] (:func:`ratio_samples`), all with the
    same number of chains. The runs are independent and chains within a run are i.i.d., so pairing chain
    i of every run gives i.i.d. values ``z_i = sum_j a_j u_ij`` whose Student t interval is that of the
    combination.

    Identity: with a single alpha, order 0 is the plain mean.

    >>> extrapolated_estimate([[1.0, 2.0, 3.0]], [0.01]).mean
    2.0
    """
    weights = extrapolation_weights(alphas, order)
    if isinstance(samples, (list, tuple)) and not all(np.ndim(s) == 1 for s in samples):
        raise ValueError("samples must hold one equal-length vector of per-chain values per entry of alphas")
    samples = require_array("samples", samples, ndim=2)
    if samples.shape[0] != weights.size:
        raise ValueError(
            f"samples must hold one vector of per-chain values per entry of alphas ({weights.size}), got "
            f"{samples.shape[0]}"
        )
    with np.errstate(all="ignore"):
        combined = weights @ samples
    if not np.all(np.isfinite(combined)):
        raise ValueError("samples: the weighted combination leaves float64's range (values too large)")
    return mean_ci(combined, level=level)


@dataclass(frozen=True)
class RatioCheck:
    """The stationary ratio measured at several step sizes, against the stated and derived constants."""

    construction: LowerBoundConstruction
    """The instance (its alpha is replaced by each of :attr:`alphas`)."""
    alphas: tuple
    estimates: tuple
    """Measured R(alpha) per alpha (:class:`verify.sim.stats.Estimate`, delta-method interval)."""
    first_order: tuple
    """Derived ``1 + c_1 alpha`` per alpha (bounds.lower_bound.stationary_ratio_first_order)."""
    extrapolated: Estimate
    """R at alpha -> 0 by polynomial extrapolation through all the measured points."""
    slope: Estimate | None
    """The alpha-coefficient of that polynomial (None with a single alpha)."""
    derived_slope: float
    """c_1 derived here (bounds.lower_bound.ratio_slope)."""
    stated: float
    """The constant the paper states (4)."""
    derived: float
    """The constant derived here (1)."""
    steps: tuple
    burn_in: tuple
    chains: int
    seeds: tuple
    """The engine's seed record of each run."""
    seconds: float

    @property
    def verdict(self) -> str:
        """``refuted`` when the alpha -> 0 interval excludes the stated constant, ``confirmed`` when it
        covers it, never anything else (the stated value is a point)."""
        return "confirmed" if self.extrapolated.covers(self.stated) else "refuted"


def _run_at(alpha: float, construction, **kwargs) -> SimulationResult:
    """:func:`simulate_construction` at one of ``alphas``; a divergence names alphas."""
    try:
        return simulate_construction(construction, **kwargs)
    except ValueError as err:
        if "non-finite" in str(err) or "overflows" in str(err):
            raise ValueError(f"alphas: the run at alpha = {alpha:g} diverged: {err}") from None
        raise


def check_stationary_ratio(
    construction: LowerBoundConstruction,
    alphas,
    *,
    chains: int = 2000,
    horizon: float = 40.0,
    burn_in: float = 10.0,
    seed: int = 0,
    level: float = 0.95,
    progress: bool | None = False,
) -> RatioCheck:
    """Measure R(alpha) for each step size and extrapolate to alpha -> 0.

    Each run has ``round(horizon/(alpha L))`` steps and its tail window starts at
    ``round(burn_in/(alpha L))``: the mean dynamics contract at rate ``alpha L (1 - x^2 + eta/c) >= alpha L
    (1 - x^2)`` per step, so the start W_0 = W* is forgotten up to a factor ``exp(-burn_in (1 - x^2))``.
    Run j uses the child ``SeedSequence(seed, spawn_key=(j,))``. The intervals are at ``level``.

    Identity: with one step size the extrapolation is that run's own estimate.

    >>> from bounds.lower_bound import LowerBoundConstruction
    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.05)
    >>> check = check_stationary_ratio(cons, [0.1], chains=16, horizon=10.0, burn_in=2.0, seed=3)
    >>> check.extrapolated == check.estimates[0], check.steps, check.burn_in
    (True, (100,), (20,))
    """
    cons = _require_construction(construction)
    alphas = tuple(float(a) for a in _require_alphas(alphas))
    horizon = require_real("horizon", horizon, low=0.0, low_open=True)
    burn_in = require_real("burn_in", burn_in, low=0.0, high=horizon, high_open=True)
    chains = require_int("chains", chains, low=2)
    seed = require_int("seed", seed, low=0, high=SEED_LIMIT)
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    extrapolation_weights(alphas)  # validates alphas
    if not max(alphas) * cons.L < 1.0:
        raise ValueError(
            f"alphas must be below 1/L = {1.0 / cons.L:.4g} (the stationary ratio is an alpha -> 0 expansion, and the "
            f"run leaves the device's range at large steps), got {max(alphas):g}"
        )
    with np.errstate(all="ignore"):
        longest = horizon / (min(alphas) * cons.L)
    if not longest <= STEPS_LIMIT:
        raise ValueError(
            f"horizon is too long for alphas: horizon/(alpha L) = {longest:.3g} steps at alpha = {min(alphas):g}, "
            f"more than {STEPS_LIMIT} ({STEPS_REASON})"
        )
    cells = sum(chains * (max(2, int(round(horizon / (a * cons.L)))) + 1) * cons.D for a in alphas)
    require_work(cells, CELLS_LIMIT, "chain-coordinate-steps", " over the alphas", chains=chains, horizon=horizon)
    estimates, predictions, samples, steps, starts, seeds, seconds = [], [], [], [], [], [], 0.0
    for j, alpha in enumerate(alphas):
        run_cons = dataclasses.replace(cons, alpha=alpha)
        n_steps = max(2, int(round(horizon / (alpha * cons.L))))
        start = min(n_steps - 1, int(round(burn_in / (alpha * cons.L))))
        result = _run_at(
            alpha,
            run_cons,
            steps=n_steps,
            burn_in=start,
            chains=chains,
            seed=np.random.SeedSequence(seed, spawn_key=(j,)),
            progress=progress,
        )
        values = ratio_samples(result, cons.sigma)
        samples.append(values)
        estimates.append(mean_ci(values, level=level))
        predictions.append(stationary_ratio_first_order(run_cons).value)
        steps.append(n_steps)
        starts.append(start)
        seeds.append(result.seed)
        seconds += result.seconds
    return RatioCheck(
        construction=cons,
        alphas=alphas,
        estimates=tuple(estimates),
        first_order=tuple(predictions),
        extrapolated=extrapolated_estimate(samples, alphas, level=level),
        slope=extrapolated_estimate(samples, alphas, order=1, level=level) if len(alphas) > 1 else None,
        derived_slope=ratio_slope(cons),
        stated=float(STATED_CONSTANT),
        derived=float(DERIVED_CONSTANT),
        steps=tuple(steps),
        burn_in=tuple(starts),
        chains=int(chains),
        seeds=tuple(seeds),
        seconds=seconds,
    )
