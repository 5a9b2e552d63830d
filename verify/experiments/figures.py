r"""The computations behind the paper's figures: Figure 3's loss curves (section 5.1) on the toolkit's own
pulse-level simulator, and the stationary error floors of Figures 1 and 4. Plots and CSV files are
:mod:`verify.reports.figures`'s.

Figure 3 compares three curves of the loss gap ``f(W_k) - f*`` on least squares
(:func:`verify.experiments.settings.figure3`), for each device bound tau in {1, 1.5, 2, 2.5}:

* digital SGD (2): ``W_{k+1} = W_k - alpha (grad f(W_k) + eps_k)``;
* Analog SGD, dynamic (3), ALD: ``W_{k+1} = W_k - alpha n_k - (alpha/tau) |n_k| (.) W_k``;
* pulse-level Analog SGD (:class:`verify.sim.dynamics.PulsedAnalogSGD`): the update ``-alpha n_k`` applied
  by a :class:`verify.sim.pulses.PulseModel` as pulses of size ``Delta w_min`` on the ALD (App. B), the
  stand-in for the paper's AIHWKit runs.

Every curve is the chain mean of ``f(W_k) - f*`` at each k from the engine's streamed per-step moments,
with a normal confidence band ``mean +- z sqrt(var_k/R)``.

Distance between curves (:func:`curve_distance`). For two mean curves m_X, m_P (k = 1..K; k = 0 is the
common start) the distance is the mean absolute log-ratio::

    d(X, P) = (1/K) sum_{k=1}^{K} |log m_X(k) - log m_P(k)|,

0 for identical curves and about ``|log c|`` for curves a factor c apart. Its interval: by the delta method
``log m_X(k)`` has standard error ``s_X(k) = sqrt(var_X(k)/R_X)/m_X(k)``; whatever the correlation between
the runs and across k (Minkowski), the error of d is at most ``(1/K) sum_k |e_k|`` with ``sd(e_k) <=
s_X(k) + s_P(k)``, and a weighted mean of ``|e_k|`` is dominated (in convex order) by the fully
correlated case, whose two-sided ``level`` bound is ``z sbar``, ``sbar = (1/K) sum_k (s_X(k) + s_P(k))``.
The interval ``d +- z sbar`` is therefore conservative; it is clipped at 0.

>>> c = Curve("x", None, np.array([1.0, 2.0, 2.0]), np.array([0.0, 0.01, 0.01]), chains=100)
>>> d = curve_distance(c, Curve("y", None, np.array([1.0, 1.0, 1.0]), np.zeros(3), chains=100))
>>> round(d.mean, 10), round(d.sem, 10)                  # log 2, and sbar = 0.01/2
(0.6931471806, 0.005)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.stats

from bounds.devices import AsymmetricLinearDevice
from bounds.validation import (
    SEED_LIMIT,
    require_array,
    require_finite_value,
    require_instance,
    require_int,
    require_real,
)

from ..sim.dynamics import AnalogSGD, DigitalSGD, PulsedAnalogSGD
from ..sim.engine import NonFiniteError, simulate
from ..sim.noise import GaussianNoise, NoiseLaw
from ..sim.problems import QuadraticProblem
from ..sim.seeds import child_seed, root_seed, seed_record
from ..sim.stats import Estimate, loglog_fit, mean_ci
from .settings import CELLS_LIMIT, SETTINGS, SOURCES, STEPS_LIMIT, STEPS_REASON, figure3, require_steps, require_work

__all__ = [
    "Curve",
    "curve_distance",
    "pulse_model",
    "figure3_curves",
    "FIG3_COUNTING",
    "burn_in",
    "digital_floor",
    "stationary_floors",
    "floor_setting",
    "floor_estimates",
    "floor_slopes",
    "figure1_floors",
    "figure4_tau_floors",
    "figure4_sigma_floors",
    "figure4_init_floors",
    "FLOOR_WINDOW",
    "FLOOR_FIGURES",
]

#: pulse counting of the Figure 3 pulse-level runs: AIHWKit's stochastic pulse trains with bit-length and
#: update management (the paper's runs use AIHWKit's default pulsed update), desired_bl = the setting's bit length
FIG3_COUNTING = "stochastic_trains"

#: default data seed of the figure's least-squares problem (the official code's torch seed, as in settings)
DATA_SEED = 42


@dataclass(frozen=True, eq=False)
class Curve:
    """One plotted curve: the chain mean of f(W_k) - f* at k = 0..K and its standard error."""

    label: str
    """What produced it (e.g. "Analog SGD (3)")."""
    tau: float | None
    """The device bound (None for digital SGD)."""
    mean: np.ndarray
    """Chain mean of f(W_k) - f*, shape (K+1,)."""
    sem: np.ndarray
    """Standard error of ``mean``, sqrt(var_k/R), shape (K+1,)."""
    chains: int
    """R."""
    dw_min: float | None = None
    """Pulse granularity (pulse-level curves only)."""
    seconds: float = 0.0
    """Wall-clock time of the run."""

    def __post_init__(self):
        if not isinstance(self.label, str):
            raise TypeError(f"label must be a str, got {self.label!r}")
        if self.tau is not None:
            object.__setattr__(self, "tau", require_real("tau", self.tau, low=0.0, low_open=True))
        mean = require_array("mean", self.mean, ndim=1)
        if mean.size < 1:
            raise ValueError("mean must hold at least one value (k = 0)")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "sem", require_array("sem", self.sem, shape=mean.shape, low=0.0))
        object.__setattr__(self, "chains", require_int("chains", self.chains, low=1))
        if self.dw_min is not None:
            object.__setattr__(self, "dw_min", require_real("dw_min", self.dw_min, low=0.0, low_open=True))
        object.__setattr__(self, "seconds", require_real("seconds", self.seconds, low=0.0))

    def band(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """The pointwise normal band ``mean +- z sem`` at ``level``."""
        z = float(scipy.stats.norm.ppf(0.5 + level / 2))
        return self.mean - z * self.sem, self.mean + z * self.sem


def _curve(label: str, tau, result, dw_min=None) -> Curve:
    mean = result.mean["f_gap"]
    var = result.variance["f_gap"] if result.variance is not None else np.zeros_like(mean)
    return Curve(
        label, tau, mean.copy(), np.sqrt(np.maximum(var, 0.0) / result.chains), result.chains, dw_min, result.seconds
    )


def curve_distance(curve: Curve, reference: Curve, level: float = 0.95) -> Estimate:
    """Mean absolute log-ratio of two mean curves over k = 1..K, with its conservative interval (module doc)."""
    require_instance("curve", curve, Curve, 'Curve("x", None, mean, sem, chains=100)')
    require_instance("reference", reference, Curve, 'Curve("y", None, mean, sem, chains=100)')
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    if curve.mean.shape != reference.mean.shape or curve.mean.size < 2:
        raise ValueError(
            f"curve and reference must have the same K+1 >= 2 steps, got {curve.mean.size} and {reference.mean.size}"
        )
    a, b = curve.mean[1:], reference.mean[1:]
    if not (np.all(a > 0) and np.all(b > 0)):
        raise ValueError("curve and reference must be positive at every k >= 1 (a log-ratio needs f(W_k) - f* > 0)")
    with np.errstate(all="ignore"):
        d = float(np.mean(np.abs(np.log(a) - np.log(b))))
        sbar = float(np.mean(curve.sem[1:] / a + reference.sem[1:] / b))
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    for what, value in (("the curve distance", d), ("its standard error", sbar)):
        require_finite_value(what, value, curve=curve.label, reference=reference.label)
    return Estimate(
        mean=d,
        low=max(0.0, d - z * sbar),
        high=d + z * sbar,
        n=min(curve.chains, reference.chains),
        level=level,
        sem=sbar,
        method="mean |log ratio| of chain-mean curves; delta method per step, fully correlated "
        "(conservative) bound across steps and runs",
    )


def pulse_model(tau: float, dw_min: float, desired_bl: int, counting: str = FIG3_COUNTING):
    """The pulse model of an ALD of bound tau with granularity dw_min (AIHWKit's managements on)."""
    from ..sim.pulses import COUNTING_MODES, PulseModel

    tau = require_real("tau", tau, low=0.0, low_open=True)
    dw_min = require_real("dw_min", dw_min, low=0.0, low_open=True)
    if not isinstance(counting, str) or counting not in COUNTING_MODES:
        raise ValueError(f"counting must be one of {COUNTING_MODES}, got {counting!r}")
    return PulseModel(AsymmetricLinearDevice(tau=tau), dw_min, counting=counting, desired_bl=desired_bl)


def _source(source) -> str:
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    return source


def _data_seed(data_seed) -> int:
    return require_int("data_seed", data_seed, low=0, high=SEED_LIMIT)


def figure3_curves(
    source: str = "paper",
    *,
    chains: int = 1000,
    steps: int | None = None,
    seed=0,
    taus=None,
    counting: str = FIG3_COUNTING,
    dw_min_scale: float = 1.0,
    data_seed: int = DATA_SEED,
    workers: int | None = None,
    progress: bool | None = None,
) -> dict:
    """Run Figure 3's curves: digital SGD (2) once, and per tau Analog SGD (3) and pulse-level Analog SGD.

    Args:
        source: "paper" (default) or "code" settings (:func:`verify.experiments.settings.figure3`).
        chains: R per curve.
        steps: K (default the setting's, 2500).
        seed: int >= 0 or SeedSequence; run i of the figure gets its own child (independent runs).
        taus: subset of the setting's taus (default all four).
        counting: the pulse counting mode of :class:`verify.sim.pulses.PulseModel`.
        dw_min_scale: multiplies the setting's Delta w_min (for the dw_min -> 0 study).
        data_seed: the problem's data seed.

    Returns ``{"setting", "digital": Curve, "analog": {tau: Curve}, "pulsed": {tau: Curve}, "alpha",
    "noise_std", "steps", "counting", "stability"}``.
    """
    source = _source(source)
    data_seed = _data_seed(data_seed)
    setting = figure3(source, seed=data_seed)
    chains = require_int("chains", chains, low=2)
    steps = setting.steps if steps is None else require_steps("steps", steps)
    all_taus = dict(zip(setting.taus, setting.dw_min))
    if taus is None:
        taus = setting.taus
    if isinstance(taus, (str, bytes)) or not isinstance(taus, (tuple, list, np.ndarray)):
        raise ValueError(f"taus must be a non-empty subset of {setting.taus}, got {taus!r}")
    taus = tuple(np.asarray(taus, dtype=object).ravel().tolist())
    if not taus or any(isinstance(t, bool) or not isinstance(t, (int, float)) or t not in all_taus for t in taus):
        raise ValueError(f"taus must be a non-empty subset of {setting.taus}, got {taus!r}")
    taus = tuple(float(t) for t in taus)
    # dw_min_scale multiplies Delta w_min, which must stay below the smallest tau for a pulse to fit the range
    limit = min(all_taus[t] / t for t in taus)
    dw_min_scale = require_real("dw_min_scale", dw_min_scale, low=0.0, high=1.0 / limit, low_open=True, high_open=True)
    from ..sim.pulses import COUNTING_MODES

    if not isinstance(counting, str) or counting not in COUNTING_MODES:
        raise ValueError(f"counting must be one of {COUNTING_MODES}, got {counting!r}")
    root = root_seed(seed)
    problem, alpha = setting.problem, setting.alphas[0]
    require_work(
        (1 + 2 * len(taus)) * chains * (steps + 1) * problem.dim,
        CELLS_LIMIT,
        "chain-coordinate-steps",
        f" over {1 + 2 * len(taus)} runs",
        chains=chains,
        steps=steps,
    )
    noise = GaussianNoise(setting.noise_stds[0])
    common = dict(steps=steps, chains=chains, workers=workers, progress=progress)
    digital = _curve(
        "digital SGD (2)", None, simulate(problem, DigitalSGD(alpha), noise, seed=child_seed(root, 0), **common)
    )
    analog, pulsed = {}, {}
    for i, tau in enumerate(taus):
        analog[tau] = _curve(
            "Analog SGD (3)",
            tau,
            simulate(
                problem, AnalogSGD(AsymmetricLinearDevice(tau), alpha), noise, seed=child_seed(root, 1, i), **common
            ),
        )
        dw_min = all_taus[tau] * dw_min_scale
        model = pulse_model(tau, dw_min, setting.max_bit_length, counting)
        pulsed[tau] = _curve(
            "pulse-level Analog SGD",
            tau,
            simulate(problem, PulsedAnalogSGD(model, alpha), noise, seed=child_seed(root, 2, i), **common),
            dw_min=dw_min,
        )
    stability = {
        "alpha": alpha,
        "L": problem.smoothness,
        "2/L": setting.stable_step_limit,
        "alpha_L": alpha * problem.smoothness,
        "stable": not setting.unstable_alphas(),
    }
    return {
        "setting": setting,
        "digital": digital,
        "analog": analog,
        "pulsed": pulsed,
        "alpha": alpha,
        "noise_std": setting.noise_stds[0],
        "steps": steps,
        "counting": counting,
        "stability": stability,
        "seed": {"entropy": root.entropy, "spawn_key": list(root.spawn_key)},
    }


# ---------------------------------------------------------------------------------------------
# Figures 1 and 4: stationary error floors (C1, C36, C37, C38)
# ---------------------------------------------------------------------------------------------

#: the window (steps) after the burn-in over which each chain's floor is averaged
FLOOR_WINDOW = 200


def burn_in(alpha: float, mu: float) -> int:
    """Steps for the slowest mode (contraction 1 - alpha mu per step) to settle: ``ceil(8/(alpha mu))``, after
    which its bias sits within e^-8 of its stationary value."""
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    mu = require_real("mu", mu, low=0.0, low_open=True)
    with np.errstate(all="ignore"):
        steps = np.float64(8.0) / (np.float64(alpha) * np.float64(mu))
    return int(np.ceil(require_finite_value("the burn-in 8/(alpha mu)", steps, alpha=alpha, mu=mu)))


def digital_floor(problem, alpha: float, std: float) -> float:
    r"""Digital SGD's exact stationary ``E f(W) - f*`` on a quadratic with N(0, std^2 I) gradient noise.

    ``e_{k+1} = (I - alpha H) e_k - alpha xi_k``; in H's eigenbasis the stationary variance of mode i is
    ``alpha^2 s^2/(1 - (1 - alpha lambda_i)^2) = alpha s^2/(lambda_i (2 - alpha lambda_i))``, so
    ``E f = 1/2 sum_i lambda_i var_i = (alpha s^2/4) sum_i 1/(1 - alpha lambda_i/2)`` (stable: alpha L < 2).

    >>> from verify.sim.problems import scalar_quadratic
    >>> round(digital_floor(scalar_quadratic(L=1.0, w_star=0.0), 0.1, 1.0), 12)     # (0.1/4)/(1 - 0.05)
    0.026315789474
    """
    require_instance("problem", problem, QuadraticProblem, "verify.sim.problems.scalar_quadratic(L=1.0, w_star=0.0)")
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    std = require_real("std", std, low=0.0)
    lam = np.linalg.eigvalsh(problem.hessian)
    with np.errstate(all="ignore"):
        top = alpha * float(lam.max())
        if not top < 2:
            raise ValueError(f"alpha must be below 2/L = {2 / lam.max():.4g} for a stationary floor, got {alpha}")
        floor = np.float64(alpha) * np.float64(std) ** 2 / 4 * np.sum(1.0 / (1.0 - alpha * lam / 2))
    return require_finite_value("digital SGD's stationary floor", floor, alpha=alpha, std=std)


def _floor_run(run) -> tuple:
    from ..sim.dynamics import Dynamics

    if not isinstance(run, tuple) or len(run) != 4:
        raise TypeError(f"runs must hold (label, dynamics, burn, x) tuples, got {run!r}")
    label, dynamics, burn, x = run
    if not isinstance(label, str):
        raise TypeError(f"runs: a label must be a str, got {label!r}")
    require_instance("runs", dynamics, Dynamics, "verify.sim.dynamics.AnalogSGD(device, alpha)")
    burn = require_steps("runs", burn, low=0)
    if x is not None and not isinstance(x, str):  # None: no finite swept value (digital SGD against tau)
        x = require_real("runs", x)
    return label, dynamics, burn, x


def _require_floor_work(problem, burns, window: int, chains: int) -> None:
    """The runs' steps (burn-in + window) and chain-coordinate-steps within the budget (:mod:`.settings`)."""
    if max(burns) + window > STEPS_LIMIT:
        raise ValueError(
            f"window is too large: the longest run takes burn-in {max(burns)} + window {window} steps, more than "
            f"{STEPS_LIMIT} ({STEPS_REASON})"
        )
    cells = sum(chains * (burn + window + 1) * problem.dim for burn in burns)
    require_work(cells, CELLS_LIMIT, "chain-coordinate-steps", " (burn-in included)", chains=chains, window=window)


def stationary_floors(
    problem, runs, noise, *, window: int, chains: int, seeds, w0=None, workers=None, progress=None
) -> list[dict]:
    r"""Per-chain stationary error floors: for each ``(label, dynamics, burn, x)`` in ``runs``, run
    K = burn + window steps and average ``f(W_k) - f*`` over k = burn..K in each chain,

        floor_r = (1/(window + 1)) sum_{k=burn}^{K} (f(W_k^{(r)}) - f*),

    i.i.d. across chains r, so a Student-t interval over them is valid. ``seeds``: one SeedSequence for all
    runs (common random numbers: paired comparisons) or a list with one per run (independent runs). Runs
    start at ``w0`` (default W*: the floor does not depend on the start, which C38 checks).
    """
    require_instance("problem", problem, QuadraticProblem, "verify.sim.problems.scalar_quadratic(L=1.0, w_star=0.0)")
    if not isinstance(runs, (list, tuple)) or not runs:
        raise TypeError(f"runs must be a non-empty list of (label, dynamics, burn, x) tuples, got {runs!r}")
    runs = [_floor_run(r) for r in runs]
    require_instance("noise", noise, NoiseLaw, "verify.sim.noise.GaussianNoise(0.1)")
    window = require_steps("window", window)
    chains = require_int("chains", chains, low=2)
    if isinstance(seeds, np.random.SeedSequence):
        seeds = [seeds] * len(runs)
    if not isinstance(seeds, (list, tuple)) or not all(isinstance(s, np.random.SeedSequence) for s in seeds):
        raise TypeError(f"seeds must be one SeedSequence or a list of one per run, got {seeds!r}")
    if len(seeds) != len(runs):
        raise ValueError(f"seeds must be one SeedSequence or one per run, got {len(seeds)} for {len(runs)} runs")
    _require_floor_work(problem, [burn for _, _, burn, _ in runs], window, chains)
    out = []
    for (label, dynamics, burn, x), seed in zip(runs, seeds):
        K = burn + window
        try:
            res = simulate(
                problem,
                dynamics,
                noise,
                steps=K,
                chains=chains,
                seed=seed,
                w0=problem.w_star if w0 is None else w0,
                windows={"tail": (burn, K + 1)},
                workers=workers,
                progress=progress,
            )
        except NonFiniteError as err:
            raise ValueError(
                f"{err} (the run {label!r} of runs, with its noise, window={window}, chains={chains})"
            ) from None
        out.append(
            {
                "label": label,
                "x": x,
                "floor": res.window_means["tail"]["f_gap"],
                "burn_in": burn,
                "K": K,
                "seconds": res.seconds,
                "seed": seed_record(seed),
            }
        )
    return out


def floor_setting(name: str, source: str = "paper", data_seed: int = DATA_SEED):
    """The setting of floor figure ``name``; where the paper's step size exceeds 2/L (digital GD diverges, as it
    does for every least-squares figure with eq. 141's unnormalised loss), the official code's. Returns
    ``(setting, note)``."""
    if not isinstance(name, str) or name not in ("fig1", "fig4-tau", "fig4-sigma", "fig4-init"):
        raise ValueError(f"name must be one of fig1, fig4-tau, fig4-sigma, fig4-init, got {name!r}")
    source = _source(source)
    data_seed = _data_seed(data_seed)
    setting = SETTINGS[name](source, data_seed)
    if source == "paper" and setting.unstable_alphas():
        note = (
            f"paper settings put alpha = {setting.unstable_alphas()} above 2/L = {setting.stable_step_limit:.3g} "
            f"(digital GD diverges): the official code's settings are used"
        )
        return SETTINGS[name]("code", data_seed), note
    return setting, ""


def _floor_inputs(name, source, chains, window, seed, level, data_seed) -> tuple:
    """A floor figure's inputs, validated: ``(setting, note, chains, window, level, root seed)``."""
    setting, note = floor_setting(name, source, data_seed)
    chains, window = require_int("chains", chains, low=2), require_steps("window", window)
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    return setting, note, chains, window, level, root_seed(seed)


def _header(setting, note, root, chains, window, level) -> dict:
    return {
        "setting": setting,
        "source_used": setting.source,
        "source_note": note,
        "chains": chains,
        "window": window,
        "level": level,
        "seed": seed_record(root),
    }


def floor_estimates(runs: list[dict], level: float) -> list[Estimate]:
    """Each run's floor as a chain mean with its Student-t interval at ``level``."""
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    return [mean_ci(floor, level) for floor in _run_field(runs, "floor")]


def _run_field(runs, key: str) -> list:
    """``r[key]`` for every run record of ``runs`` (a non-empty list of dicts, as :func:`stationary_floors`
    returns), or a ValueError naming ``runs``."""
    if not isinstance(runs, (list, tuple)) or not runs or not all(isinstance(r, dict) and key in r for r in runs):
        raise ValueError(
            f"runs must be a non-empty list of run records with {key!r} (stationary_floors'), got {runs!r}"[:300]
        )
    if key == "floor":
        return [require_array("runs", r["floor"], ndim=1) for r in runs]
    return [r[key] for r in runs]


def floor_slopes(runs: list[dict], level: float) -> dict:
    r"""Per series, the weighted line (:func:`verify.sim.stats.loglog_fit`) through ``(log x_j, log m_j)`` for the
    runs' floors ``m_j`` (chain means) with delta-method standard errors ``sem_j/m_j``: the exponent b of
    ``floor ~ x^b`` with its normal interval at ``level``. The runs must be independent. Returns
    ``{series: (intercept, slope)}``."""
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    series, xs, ests = _run_field(runs, "series"), _run_field(runs, "x"), floor_estimates(runs, level)
    fits = {}
    for name in dict.fromkeys(series):
        if not isinstance(name, str):
            raise ValueError(f"runs: a run's series must be a str, got {name!r}")
        pick = [i for i, s in enumerate(series) if s == name]
        try:
            line = loglog_fit([xs[i] for i in pick], [ests[i] for i in pick], level)
        except (ValueError, TypeError) as err:
            raise ValueError(f"runs: the floors of series {name!r} cannot be fitted: {err}") from None
        fits[name] = (line.value_at(0.0), line.slope_at(0.0))
    return fits


def figure1_floors(
    source: str = "paper",
    *,
    chains: int = 1000,
    window: int = FLOOR_WINDOW,
    seed=0,
    level: float = 0.95,
    data_seed: int = DATA_SEED,
    workers=None,
    progress=None,
) -> dict:
    r"""Figure 1 (C1): stationary floors of Analog SGD (3) (tau = 3) and digital SGD (2) at each alpha, and the
    slope of ``log floor`` against ``log alpha``.

    Every run has its own seed (independent), so the weighted line fit (:func:`verify.sim.stats.fit_line`) through
    ``y_j = log mean floor_j`` with delta-method standard errors ``sem_j/mean_j`` is valid: slope b in
    ``floor ~ alpha^b``. Digital SGD's exact floor (:func:`digital_floor`) is ``Theta(alpha)`` (b near 1); the
    paper's claim is that Analog SGD's does not fall with alpha (b near 0).

    Returns the header (setting, seeds, ...) with ``runs`` (per-chain floors; series "analog" and "digital",
    x = alpha), ``fits`` ({series: (intercept, slope)} at ``level``) and ``digital_exact`` (floor per alpha and
    the slope of the exact floors).
    """
    setting, note, chains, window, level, root = _floor_inputs("fig1", source, chains, window, seed, level, data_seed)
    problem, tau, std = setting.problem, setting.taus[0], setting.noise_stds[0]
    mu = problem.strong_convexity
    alphas = sorted(setting.alphas, reverse=True)
    series = {"analog": lambda a: AnalogSGD(AsymmetricLinearDevice(tau), a), "digital": DigitalSGD}
    _require_floor_work(problem, [burn_in(a, mu) for a in alphas] * len(series), window, chains)
    runs = []
    for j, (name, make) in enumerate(series.items()):
        part = stationary_floors(
            problem,
            [(f"{name} alpha={a:g}", make(a), burn_in(a, mu), a) for a in alphas],
            GaussianNoise(std),
            window=window,
            chains=chains,
            seeds=[child_seed(root, j, i) for i in range(len(alphas))],
            workers=workers,
            progress=progress,
        )
        for r in part:
            r["series"] = name
        runs += part
    fits = floor_slopes(runs, level)
    exact = [digital_floor(problem, a, std) for a in alphas]
    return {
        **_header(setting, note, root, chains, window, level),
        "figure": "fig1",
        "x_name": "alpha",
        "tau": tau,
        "alphas": alphas,
        "runs": runs,
        "fits": fits,
        "digital_exact": {"floors": exact, "slope": float(np.polyfit(np.log(alphas), np.log(exact), 1)[0])},
    }


def figure4_tau_floors(
    source: str = "paper",
    *,
    chains: int = 1000,
    window: int = FLOOR_WINDOW,
    seed=0,
    level: float = 0.95,
    data_seed: int = DATA_SEED,
    workers=None,
    progress=None,
) -> dict:
    """Figure 4 left (C36): stationary floors of Analog SGD for tau in {2, 3, 5, 10, 20, 50} and of digital SGD (tau =
    infinity: its run's ``x`` is None), alpha = 0.1, on Figure 1's problem (the panel has no official script: the
    paper's taus on the Figure 1 problem, :func:`verify.experiments.settings.figure4_tau`). All runs share one seed
    (common random numbers), so adjacent floors are compared by paired per-chain differences."""
    setting, note, chains, window, level, root = _floor_inputs(
        "fig4-tau", source, chains, window, seed, level, data_seed
    )
    problem, alpha = setting.problem, setting.alphas[0]
    burn = burn_in(alpha, problem.strong_convexity)
    spec = [(f"tau={t:g}", AnalogSGD(AsymmetricLinearDevice(t), alpha), burn, t) for t in setting.taus]
    spec.append(("digital", DigitalSGD(alpha), burn, None))  # x None: tau = infinity
    _require_floor_work(problem, [burn] * len(spec), window, chains)
    runs = stationary_floors(
        problem,
        spec,
        GaussianNoise(setting.noise_stds[0]),
        window=window,
        chains=chains,
        seeds=child_seed(root, 0),
        workers=workers,
        progress=progress,
    )
    for r in runs:
        r["series"] = "digital" if r["label"] == "digital" else "analog"
    return {
        **_header(setting, note, root, chains, window, level),
        "figure": "fig4-tau",
        "x_name": "tau",
        "alpha": alpha,
        "burn_in": burn,
        "runs": runs,
        "panel_note": "no official script for this panel: the paper's taus on the Figure 1 problem",
    }


def figure4_sigma_floors(
    source: str = "paper",
    *,
    chains: int = 1000,
    window: int = FLOOR_WINDOW,
    seed=0,
    level: float = 0.95,
    data_seed: int = DATA_SEED,
    workers=None,
    progress=None,
) -> dict:
    """Figure 4 middle (C37): stationary floors of Analog SGD (tau = 2, alpha = 0.1) for Gaussian gradient noise
    of variance sigma^2 in {1e-3, 1e-2, 1e-1, 1} per coordinate; one seed for all runs (the same standard-normal
    draws scaled by sigma: paired comparisons)."""
    setting, note, chains, window, level, root = _floor_inputs(
        "fig4-sigma", source, chains, window, seed, level, data_seed
    )
    problem, alpha, tau = setting.problem, setting.alphas[0], setting.taus[0]
    burn = burn_in(alpha, problem.strong_convexity)
    _require_floor_work(problem, [burn] * len(setting.noise_stds), window, chains)
    runs = []
    for std in setting.noise_stds:
        runs += stationary_floors(
            problem,
            [(f"sigma^2={std**2:.3g}", AnalogSGD(AsymmetricLinearDevice(tau), alpha), burn, std**2)],
            GaussianNoise(std),
            window=window,
            chains=chains,
            seeds=child_seed(root, 0),
            workers=workers,
            progress=progress,
        )
        runs[-1]["series"] = "analog"
    return {
        **_header(setting, note, root, chains, window, level),
        "figure": "fig4-sigma",
        "x_name": "sigma^2",
        "alpha": alpha,
        "tau": tau,
        "burn_in": burn,
        "runs": runs,
    }


def figure4_init_floors(
    source: str = "paper",
    *,
    chains: int = 1000,
    window: int = FLOOR_WINDOW,
    seed=0,
    level: float = 0.95,
    data_seed: int = DATA_SEED,
    workers=None,
    progress=None,
) -> dict:
    r"""Figure 4 right (C38): stationary floors of Analog SGD (tau = 1, alpha = 0.1) from each of the figure's
    distinct starts (identical starts after clipping to [-tau, tau] are run once and listed in ``aliases``),
    each with its own seed (independent runs) and a burn-in long enough to forget the start,
    ``8/(alpha mu) + ln(max(f(W_0), F)/F)/(2 alpha mu)`` with F digital SGD's exact floor."""
    setting, note, chains, window, level, root = _floor_inputs(
        "fig4-init", source, chains, window, seed, level, data_seed
    )
    problem, alpha, tau, std = setting.problem, setting.alphas[0], setting.taus[0], setting.noise_stds[0]
    mu = problem.strong_convexity
    guess = digital_floor(problem, alpha, std)
    distinct, aliases = {}, {}
    for label, w0 in setting.initial_points.items():
        key = np.asarray(w0).tobytes()
        if key in distinct:
            aliases.setdefault(distinct[key][0], []).append(label)
        else:
            distinct[key] = (label, np.asarray(w0, dtype=float))
    starts = []
    for label, w0 in distinct.values():
        f0 = float(problem.objective_gap(w0[None, :])[0])
        burn = burn_in(alpha, mu) + int(np.ceil(max(np.log(max(f0, guess) / guess), 0.0) / (2 * alpha * mu)))
        starts.append((label, w0, f0, burn))
    _require_floor_work(problem, [burn for *_, burn in starts], window, chains)
    runs = []
    for i, (label, w0, f0, burn) in enumerate(starts):
        out = stationary_floors(
            problem,
            [(label, AnalogSGD(AsymmetricLinearDevice(tau), alpha), burn, label)],
            GaussianNoise(std),
            window=window,
            chains=chains,
            seeds=[child_seed(root, i)],
            w0=w0,
            workers=workers,
            progress=progress,
        )[0]
        out.update(f0=f0, series="analog", aliases=aliases.get(label, []))
        runs.append(out)
    return {
        **_header(setting, note, root, chains, window, level),
        "figure": "fig4-init",
        "x_name": "start",
        "alpha": alpha,
        "tau": tau,
        "runs": runs,
        "aliases": aliases,
        "reference": "constant 0.01",
        "w_star_outside_device_range": int(np.sum(np.abs(problem.w_star) > tau)),
    }


#: floor figure name -> (compute function, the claim it checks)
FLOOR_FIGURES = {
    "fig1": (figure1_floors, "C1"),
    "fig4-tau": (figure4_tau_floors, "C36"),
    "fig4-sigma": (figure4_sigma_floors, "C37"),
    "fig4-init": (figure4_init_floors, "C38"),
}
