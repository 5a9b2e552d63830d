r"""Figure reproductions: the paper's Figure 3 (section 5.1) on the toolkit's own pulse-level simulator.

Figure 3 compares three curves of the loss gap ``f(W_k) - f*`` on least squares
(:func:`verify.settings.figure3`), for each device bound tau in {1, 1.5, 2, 2.5}:

* digital SGD (2): ``W_{k+1} = W_k - alpha (grad f(W_k) + eps_k)``;
* Analog SGD, dynamic (3), ALD: ``W_{k+1} = W_k - alpha n_k - (alpha/tau) |n_k| (.) W_k``;
* pulse-level Analog SGD (:class:`verify.dynamics.PulsedAnalogSGD`): the update ``-alpha n_k`` applied
  by a :class:`verify.pulses.PulseModel` as pulses of size ``Delta w_min`` on the ALD (App. B), the
  stand-in for the paper's AIHWKit runs.

Every curve is the chain mean of ``f(W_k) - f*`` at each k from the engine's streamed per-step moments,
with a normal confidence band ``mean +- z sqrt(var_k/R)``.

Distance between curves (:func:`curve_distance`). For two mean curves m_X, m_P (k = 1..K; k = 0 is the
common start) the distance is the mean absolute log-ratio

    d(X, P) = (1/K) sum_{k=1}^{K} |log m_X(k) - log m_P(k)|,

0 for identical curves and about |log c| for curves a factor c apart. Its interval: by the delta method
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

import csv
import os
from dataclasses import dataclass

import numpy as np
import scipy.stats

from bounds.devices import AsymmetricLinearDevice
from bounds.validation import require_int, require_real

from .dynamics import AnalogSGD, DigitalSGD, PulsedAnalogSGD
from .engine import simulate
from .noise import GaussianNoise
from .settings import SOURCES, figure3
from .stats import Estimate

__all__ = ["Curve", "curve_distance", "pulse_model", "figure3_curves", "write_curves_csv", "plot_figure3",
           "make_figure", "FIGURES", "FIG3_COUNTING"]

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

    def band(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """The pointwise normal band ``mean +- z sem`` at ``level``."""
        z = float(scipy.stats.norm.ppf(0.5 + level / 2))
        return self.mean - z * self.sem, self.mean + z * self.sem


def _curve(label: str, tau, result, dw_min=None) -> Curve:
    mean = result.mean["f_gap"]
    var = result.variance["f_gap"] if result.variance is not None else np.zeros_like(mean)
    return Curve(label, tau, mean.copy(), np.sqrt(np.maximum(var, 0.0) / result.chains), result.chains,
                 dw_min, result.seconds)


def curve_distance(curve: Curve, reference: Curve, level: float = 0.95) -> Estimate:
    """Mean absolute log-ratio of two mean curves over k = 1..K, with its conservative interval (module doc)."""
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    if curve.mean.shape != reference.mean.shape or curve.mean.size < 2:
        raise ValueError(f"curve and reference must have the same K+1 >= 2 steps, got {curve.mean.size} "
                         f"and {reference.mean.size}")
    a, b = curve.mean[1:], reference.mean[1:]
    if not (np.all(a > 0) and np.all(b > 0)):
        raise ValueError("curve and reference must be positive at every k >= 1 (a log-ratio needs f(W_k) - f* > 0)")
    d = float(np.mean(np.abs(np.log(a) - np.log(b))))
    sbar = float(np.mean(curve.sem[1:] / a + reference.sem[1:] / b))
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    return Estimate(mean=d, low=max(0.0, d - z * sbar), high=d + z * sbar, n=min(curve.chains, reference.chains),
                    level=level, sem=sbar,
                    method="mean |log ratio| of chain-mean curves; delta method per step, fully correlated "
                           "(conservative) bound across steps and runs")


def pulse_model(tau: float, dw_min: float, desired_bl: int, counting: str = FIG3_COUNTING):
    """The pulse model of an ALD of bound tau with granularity dw_min (AIHWKit's managements on)."""
    from .pulses import PulseModel
    return PulseModel(AsymmetricLinearDevice(tau=tau), dw_min, counting=counting, desired_bl=desired_bl)


def _child(seed: np.random.SeedSequence, *path: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + path, pool_size=seed.pool_size)


def figure3_curves(source: str = "paper", *, chains: int = 1000, steps: int | None = None, seed=0,
                   taus=None, counting: str = FIG3_COUNTING, dw_min_scale: float = 1.0, data_seed: int = DATA_SEED,
                   workers: int | None = None, progress: bool | None = None) -> dict:
    """Run Figure 3's curves: digital SGD (2) once, and per tau Analog SGD (3) and pulse-level Analog SGD.

    Args:
        source: "paper" (default) or "code" settings (:func:`verify.settings.figure3`).
        chains: R per curve.
        steps: K (default the setting's, 2500).
        seed: int >= 0 or SeedSequence; run i of the figure gets its own child (independent runs).
        taus: subset of the setting's taus (default all four).
        counting: the pulse counting mode of :class:`verify.pulses.PulseModel`.
        dw_min_scale: multiplies the setting's Delta w_min (for the dw_min -> 0 study).
        data_seed: the problem's data seed.

    Returns ``{"setting", "digital": Curve, "analog": {tau: Curve}, "pulsed": {tau: Curve}, "alpha",
    "noise_std", "steps", "counting", "stability"}``.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    setting = figure3(source, seed=data_seed)
    chains = require_int("chains", chains, low=2)
    steps = setting.steps if steps is None else require_int("steps", steps, low=1)
    dw_min_scale = require_real("dw_min_scale", dw_min_scale, low=0.0, low_open=True)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(require_int("seed", seed, low=0))
    all_taus = dict(zip(setting.taus, setting.dw_min))
    if taus is None:
        taus = setting.taus
    taus = tuple(float(t) for t in taus)
    unknown = [t for t in taus if t not in all_taus]
    if unknown or not taus:
        raise ValueError(f"taus must be a non-empty subset of {setting.taus}, got {taus!r}")
    problem, alpha = setting.problem, setting.alphas[0]
    noise = GaussianNoise(setting.noise_stds[0])
    common = dict(steps=steps, chains=chains, workers=workers, progress=progress)
    digital = _curve("digital SGD (2)", None, simulate(problem, DigitalSGD(alpha), noise, seed=_child(root, 0),
                                                        **common))
    analog, pulsed = {}, {}
    for i, tau in enumerate(taus):
        analog[tau] = _curve("Analog SGD (3)", tau, simulate(problem, AnalogSGD(AsymmetricLinearDevice(tau), alpha),
                                                             noise, seed=_child(root, 1, i), **common))
        dw_min = all_taus[tau] * dw_min_scale
        model = pulse_model(tau, dw_min, setting.max_bit_length, counting)
        pulsed[tau] = _curve("pulse-level Analog SGD", tau,
                             simulate(problem, PulsedAnalogSGD(model, alpha), noise, seed=_child(root, 2, i),
                                      **common), dw_min=dw_min)
    stability = {"alpha": alpha, "L": problem.smoothness, "2/L": setting.stable_step_limit,
                 "alpha_L": alpha * problem.smoothness, "stable": not setting.unstable_alphas()}
    return {"setting": setting, "digital": digital, "analog": analog, "pulsed": pulsed, "alpha": alpha,
            "noise_std": setting.noise_stds[0], "steps": steps, "counting": counting, "stability": stability,
            "seed": {"entropy": root.entropy, "spawn_key": list(root.spawn_key)}}


def _rows(curves: dict, level: float):
    taus = list(curves["analog"])
    for tau in taus:
        for curve in (curves["digital"], curves["analog"][tau], curves["pulsed"][tau]):
            low, high = curve.band(level)
            for k in range(curve.mean.size):
                yield {"tau": tau, "curve": curve.label, "k": k, "mean_f_gap": repr(float(curve.mean[k])),
                       "band_low": repr(float(low[k])), "band_high": repr(float(high[k])),
                       "sem": repr(float(curve.sem[k])), "chains": curve.chains,
                       "dw_min": "" if curve.dw_min is None else repr(curve.dw_min)}


def write_curves_csv(curves: dict, path: str, level: float = 0.95) -> str:
    """The plotted data, one row per (tau, curve, k): mean, band at ``level``, sem, chains, dw_min."""
    fields = ["tau", "curve", "k", "mean_f_gap", "band_low", "band_high", "sem", "chains", "dw_min"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(_rows(curves, level))
    return path


def plot_figure3(curves: dict, path: str, level: float = 0.95) -> str:
    """One panel per tau: f(W_k) - f* against k, log scale, with the ``level`` bands; saved as PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    taus = list(curves["analog"])
    fig, axes = plt.subplots(1, len(taus), figsize=(4.2 * len(taus), 3.6), squeeze=False, sharey=True)
    setting = curves["setting"]
    colors = {"digital SGD (2)": "tab:blue", "Analog SGD (3)": "tab:orange", "pulse-level Analog SGD": "tab:green"}
    for ax, tau in zip(axes[0], taus):
        for curve in (curves["digital"], curves["analog"][tau], curves["pulsed"][tau]):
            k = np.arange(curve.mean.size)
            low, high = curve.band(level)
            floor = np.maximum(curve.mean.min(), 1e-300) * 1e-3
            ax.plot(k, curve.mean, color=colors[curve.label], lw=1.2, label=curve.label)
            ax.fill_between(k, np.maximum(low, floor), high, color=colors[curve.label], alpha=0.25, lw=0)
        ax.set_yscale("log")
        ax.set_title(f"tau = {tau:g}, dw_min = {curves['pulsed'][tau].dw_min:.3g}")
        ax.set_xlabel("k")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("f(W_k) - f*")
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"Figure 3 ({setting.source} settings): alpha = {curves['alpha']:g}, "
                 f"R = {curves['digital'].chains} chains, {100 * level:g}% bands", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _figure3(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
    curves = figure3_curves(source, chains=chains, steps=steps, seed=seed, progress=progress)
    stem = os.path.join(out_dir, f"fig3-{source}")
    paths = {"png": plot_figure3(curves, stem + ".png"), "csv": write_curves_csv(curves, stem + ".csv")}
    distances = {tau: {"digital (2)": curve_distance(curves["digital"], curves["pulsed"][tau]),
                       "analog (3)": curve_distance(curves["analog"][tau], curves["pulsed"][tau])}
                 for tau in curves["analog"]}
    return {"paths": paths, "curves": curves, "distances": distances}


#: figure name -> maker(out_dir, source, chains, steps, seed, progress)
FIGURES = {"fig3": _figure3}


def make_figure(name: str, out_dir: str = ".", source: str = "paper", *, chains: int = 1000,
                steps: int | None = None, seed: int = 0, progress: bool | None = None) -> dict:
    """Reproduce figure ``name`` into ``out_dir`` (created if missing): PNG and CSV of the plotted data.

    Returns ``{"paths": {"png", "csv"}, "curves", "distances"}``.
    """
    if name not in FIGURES:
        raise ValueError(f"name must be one of {sorted(FIGURES)}, got {name!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if not isinstance(out_dir, str) or not out_dir:
        raise ValueError(f"out must be a directory path, got {out_dir!r}")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:
        raise ValueError(f"out: cannot create directory {out_dir}: {err.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise ValueError(f"out: directory {out_dir} is not writable")
    return FIGURES[name](out_dir, source, require_int("chains", chains, low=2), steps,
                         require_int("seed", seed, low=0), progress)
