"""Figure reproductions as files: PNG plots and CSV tables, with the verdict of the figure's claim taken from the
claim layer on the same data, so a figure and its check cannot disagree.

Two models (``make_figure(model=...)``):

* ``experiment`` (the default): the official script's experiment on the AIHWKit-faithful tile
  (:func:`verify.experiments.scripts.figure_data`), plotted as the paper does, the logged loss against k for
  every run with the script's digital SGD (and dynamic (3)) beside it, next to the asymptotic errors (the mean
  of the last 20 logged losses; Figure 4-right: the loss at k = K) with their intervals; verdicts from
  :data:`verify.claims.checks.experiments.FIGURE_VERDICTS`.
* ``dynamic3``: the paper's dynamic (3) with Gaussian gradient noise (:mod:`verify.experiments.figures`):
  Figure 3's curves against the toolkit's earlier pulse stand-in, the stationary floors of Figures 1 and 4;
  verdicts from :data:`verify.claims.checks.figures.FLOOR_VERDICTS`.
"""

from __future__ import annotations

import csv
import os
import textwrap

import numpy as np

from bounds.validation import require_int

from ..claims.checks.experiments import FIGURE_VERDICTS
from ..claims.checks.figures import FLOOR_VERDICTS
from ..claims.registry import PROFILES
from ..experiments.figures import FLOOR_FIGURES, FLOOR_WINDOW, curve_distance, figure3_curves, floor_estimates
from ..experiments.scripts import SCRIPTS, figure_data
from ..experiments.settings import SOURCES
from ..sim.stats import mean_ci

__all__ = [
    "write_curves_csv",
    "plot_figure3",
    "write_floors_csv",
    "plot_floors",
    "write_experiment_csv",
    "plot_experiment",
    "make_figure",
    "FIGURES",
    "MODELS",
    "EXPERIMENT_CHAINS",
]


def _rows(curves: dict, level: float):
    taus = list(curves["analog"])
    for tau in taus:
        for curve in (curves["digital"], curves["analog"][tau], curves["pulsed"][tau]):
            low, high = curve.band(level)
            for k in range(curve.mean.size):
                yield {
                    "tau": tau,
                    "curve": curve.label,
                    "k": k,
                    "mean_f_gap": repr(float(curve.mean[k])),
                    "band_low": repr(float(low[k])),
                    "band_high": repr(float(high[k])),
                    "sem": repr(float(curve.sem[k])),
                    "chains": curve.chains,
                    "dw_min": "" if curve.dw_min is None else repr(curve.dw_min),
                }


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
    fig.suptitle(
        f"Figure 3 ({setting.source} settings): alpha = {curves['alpha']:g}, "
        f"R = {curves['digital'].chains} chains, {100 * level:g}% bands",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _figure3(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
    curves = figure3_curves(source, chains=chains, steps=steps, seed=seed, progress=progress)
    stem = os.path.join(out_dir, f"fig3-{source}")
    paths = {"png": plot_figure3(curves, stem + ".png"), "csv": write_curves_csv(curves, stem + ".csv")}
    distances = {
        tau: {
            "digital (2)": curve_distance(curves["digital"], curves["pulsed"][tau]),
            "analog (3)": curve_distance(curves["analog"][tau], curves["pulsed"][tau]),
        }
        for tau in curves["analog"]
    }
    return {"paths": paths, "curves": curves, "distances": distances}


def _fit_rows(data: dict, level: float):
    for name, (intercept, slope) in data.get("fits", {}).items():
        for q, e in (("intercept of log floor vs log alpha", intercept), ("slope of log floor vs log alpha", slope)):
            yield {
                "series": f"fit {name}",
                "run": "",
                "x": "",
                "quantity": q,
                "value": repr(e.mean),
                "ci_low": repr(e.low),
                "ci_high": repr(e.high),
                "sem": repr(e.sem),
                "level": e.level,
            }
        for a in data["alphas"]:
            yield {
                "series": f"fit {name}",
                "run": "",
                "x": repr(a),
                "quantity": "fitted floor",
                "value": repr(float(np.exp(intercept.mean + slope.mean * np.log(a)))),
            }
    if "digital_exact" in data:
        for a, f in zip(data["alphas"], data["digital_exact"]["floors"]):
            yield {
                "series": "digital exact",
                "run": "",
                "x": repr(a),
                "quantity": "exact digital floor",
                "value": repr(f),
            }


def write_floors_csv(data: dict, path: str, level: float = 0.95) -> str:
    """Every plotted number of a floor figure, one row each: per run the floor's chain mean with its Student-t
    interval at ``level`` (the plotted error bar), sem, chains, burn-in and window; for Figure 1 also the
    fitted lines (slope, intercept with intervals at the data's level, fitted values) and digital SGD's exact
    floors."""
    fields = [
        "figure",
        "series",
        "run",
        "x",
        "quantity",
        "value",
        "ci_low",
        "ci_high",
        "sem",
        "level",
        "chains",
        "burn_in",
        "window",
    ]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, restval="")
        writer.writeheader()
        for r, e in zip(data["runs"], floor_estimates(data["runs"], level)):
            writer.writerow(
                {
                    "figure": data["figure"],
                    "series": r["series"],
                    "run": r["label"],
                    "x": r["x"],
                    "quantity": "floor",
                    "value": repr(e.mean),
                    "ci_low": repr(e.low),
                    "ci_high": repr(e.high),
                    "sem": repr(e.sem),
                    "level": level,
                    "chains": e.n,
                    "burn_in": r["burn_in"],
                    "window": data["window"],
                }
            )
        for row in _fit_rows(data, level):
            writer.writerow({"figure": data["figure"], **row})
    return path


def plot_floors(data: dict, path: str, level: float = 0.95, verdict: str = "") -> str:
    """The floors with their ``level`` intervals as error bars (Figure 1: log-log against alpha with the fitted
    lines and digital SGD's exact floors; Figure 4: against tau (digital SGD as a band), sigma^2, or the start);
    ``verdict`` goes under the title. Saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, ax = plt.subplots(figsize=(6.0, 4.4))
    runs, ests = data["runs"], floor_estimates(data["runs"], level)
    colors = {"analog": "tab:orange", "digital": "tab:blue"}
    names = {"analog": "Analog SGD (3)", "digital": "digital SGD (2)"}
    figure = data["figure"]
    if figure == "fig4-init":
        xs = np.arange(len(runs))
        ax.errorbar(
            xs,
            [e.mean for e in ests],
            yerr=[[e.mean - e.low for e in ests], [e.high - e.mean for e in ests]],
            fmt="o",
            color=colors["analog"],
            capsize=4,
            label=names["analog"],
        )
        ax.set_xticks(
            xs, [r["label"] + "".join(f"\n= {a}" for a in r["aliases"]) for r in runs], fontsize=7, rotation=20
        )
        ref = [e for r, e in zip(runs, ests) if r["label"] == data["reference"]]
        if ref:
            ax.axhspan(
                0.95 * ref[0].mean,
                1.05 * ref[0].mean,
                color="0.85",
                lw=0,
                zorder=0,
                label=f"reference ({data['reference']}) +- 5%: the equivalence margin",
            )
    for name in ("analog", "digital"):
        if figure == "fig4-init":
            break
        pick = [(r, e) for r, e in zip(runs, ests) if r["series"] == name]
        if not pick:
            continue
        if figure == "fig4-tau" and name == "digital":
            e = pick[0][1]
            ax.axhline(e.mean, color=colors[name], lw=1.2, label=f"{names[name]} (tau = inf)")
            ax.axhspan(e.low, e.high, color=colors[name], alpha=0.25, lw=0)
            continue
        x = np.array([r["x"] for r, _ in pick], dtype=float)
        m = np.array([e.mean for _, e in pick])
        label = names[name]
        if name in data.get("fits", {}):
            b = data["fits"][name][1]
            label += f": slope {b.mean:.3f} [{b.low:.3f}, {b.high:.3f}] ({100 * b.level:.4g}%)"
            a0 = data["fits"][name][0]
            grid = np.geomspace(x.min(), x.max(), 50)
            ax.plot(grid, np.exp(a0.mean + b.mean * np.log(grid)), color=colors[name], lw=0.8, ls="--")
        ax.errorbar(
            x,
            m,
            yerr=[m - [e.low for _, e in pick], [e.high for _, e in pick] - m],
            fmt="o",
            color=colors[name],
            capsize=4,
            label=label,
        )
    if "digital_exact" in data:
        ax.plot(data["alphas"], data["digital_exact"]["floors"], "x", color="k", label="digital SGD, exact floor")
    if figure != "fig4-init":
        ax.set_xscale("log")
        ax.set_yscale("log")
        ticks = sorted({float(r["x"]) for r in runs if np.isfinite(r["x"])})
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlabel(data["x_name"])
    ax.set_ylabel("stationary E f(W) - f*")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    title = (
        f"{figure} ({data['source_used']} settings): R = {data['chains']} chains, window {data['window']}, "
        f"{100 * level:g}% intervals"
    )
    ax.set_title("\n".join([title, *textwrap.wrap(verdict, 80)]), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _verdict_text(results: dict) -> str:
    """One line per figure: each claim's verdict with its deciding case."""
    return "; ".join(
        f"{cid}: {r.verdict}, deciding case {r.details['deciding_case']}: "
        f"{r.empirical:.4g} [{r.ci_low:.4g}, {r.ci_high:.4g}] vs {r.theoretical:g}"
        for cid, r in results.items()
    )


def _floor_figure(name: str):
    def make(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
        compute, _ = FLOOR_FIGURES[name]
        level = PROFILES["quick"].level
        window = FLOOR_WINDOW if steps is None else require_int("steps", steps, low=1)
        data = compute(source, chains=chains, window=window, seed=seed, level=level, progress=progress)
        results = FLOOR_VERDICTS[name](data, level)  # {claim id (C1a, C1b, ...): result}
        verdict = _verdict_text(results)
        stem = os.path.join(out_dir, name)
        paths = {"png": plot_floors(data, stem + ".png", verdict=verdict), "csv": write_floors_csv(data, stem + ".csv")}
        lines = [data["source_note"]] if data["source_note"] else []
        if name == "fig4-tau":
            lines.append(data["panel_note"])
        for series, (_, slope) in data.get("fits", {}).items():
            lines.append(
                f"{series}: slope of log floor vs log alpha {slope.mean:.4g} [{slope.low:.4g}, "
                f"{slope.high:.4g}] ({100 * slope.level:.4g}%)"
            )
        lines.append(verdict)
        return {"paths": paths, "data": data, "results": results, "lines": lines}

    return make


# ---------------------------------------------------------------------------------------------
# the experiment model's figures
# ---------------------------------------------------------------------------------------------

#: default chains per run of the experiment model's figures
EXPERIMENT_CHAINS = 16
_SERIES_NAMES = {"analog": "AIHWKit model", "digital": "digital SGD", "dynamic3": "dynamic (3)"}


def _value_key(figure: str) -> str:
    return "end" if figure == "fig4-init" else "floor"


def write_experiment_csv(data: dict, path: str, level: float = 0.95) -> str:
    """The plotted data: per series and run the logged loss's mean and sem at every k (``kind = curve``), and the
    asymptotic error's mean and ``level`` interval (``kind = floor``, k empty)."""
    key = _value_key(data["figure"])
    fields = ["figure", "series", "run", "x", "kind", "k", "mean", "sem", "ci_low", "ci_high", "chains"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for series, entries in data["series"].items():
            for e in entries:
                base = {
                    "figure": data["figure"],
                    "series": series,
                    "run": e["label"],
                    "x": e["x"],
                    "chains": e["chains"],
                }
                est = mean_ci(e[key], level)
                writer.writerow(
                    {
                        **base,
                        "kind": key,
                        "k": "",
                        "mean": repr(est.mean),
                        "sem": repr(est.sem),
                        "ci_low": repr(est.low),
                        "ci_high": repr(est.high),
                    }
                )
                for k, (m, sd) in enumerate(zip(e["curve"], e["sem"])):
                    writer.writerow(
                        {
                            **base,
                            "kind": "curve",
                            "k": k,
                            "mean": repr(float(m)),
                            "sem": repr(float(sd)),
                            "ci_low": "",
                            "ci_high": "",
                        }
                    )
    return path


def plot_experiment(data: dict, path: str, level: float = 0.95, verdict: str = "") -> str:
    """Left: the logged loss against k for every run (the AIHWKit model solid, digital SGD and dynamic (3) dashed
    and dotted), log scale, with ``level`` bands. Right: each run's asymptotic error with its interval against the
    swept value (log-log where it is numeric), digital SGD's beside it. ``verdict`` goes under the title."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    import scipy.stats

    figure, script = data["figure"], data["script"]
    key = _value_key(figure)
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4.4))
    styles = {"analog": "-", "digital": "--", "dynamic3": ":"}
    analog = data["series"]["analog"]
    for series, entries in data["series"].items():
        for i, e in enumerate(entries):
            k = np.arange(e["curve"].size)
            color = "k" if series == "digital" and len(entries) == 1 else f"C{i % 10}"
            label = f"{_SERIES_NAMES[series]} {e['label']}" if len(entries) > 1 else _SERIES_NAMES[series]
            left.plot(k, e["curve"], styles[series], color=color, lw=1.0, label=label)
            low = np.maximum(e["curve"] - z * e["sem"], e["curve"] * 1e-3)
            left.fill_between(k, low, e["curve"] + z * e["sem"], color=color, alpha=0.15, lw=0)
    left.set_yscale("log")
    left.set_xlabel("iteration k")
    left.set_ylabel(f"logged loss (loss / {script.dim})")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=6, ncol=2)
    numeric = figure != "fig4-init"
    for series, marker in (("analog", "o"), ("digital", "s")):
        entries = data["series"][series]
        if not entries:
            continue
        ests = [mean_ci(e[key], level) for e in entries]
        if figure in ("fig4-tau", "fig3") and series == "digital":
            e = ests[0]
            right.axhline(e.mean, color="k", lw=1.0, ls="--", label="digital SGD")
            right.axhspan(e.low, e.high, color="k", alpha=0.15, lw=0)
            continue
        xs = np.array([e["x"] for e in entries], dtype=float) if numeric else np.arange(len(entries))
        m = np.array([e.mean for e in ests])
        right.errorbar(
            xs,
            m,
            yerr=[m - [e.low for e in ests], [e.high for e in ests] - m],
            fmt=marker,
            color="tab:orange" if series == "analog" else "k",
            capsize=4,
            label=_SERIES_NAMES[series],
        )
    if numeric:
        right.set_xscale("log")
        ticks = sorted({float(e["x"]) for e in analog})
        right.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        right.set_xticks(ticks, [f"{t:g}" for t in ticks])
    else:
        right.set_xticks(np.arange(len(analog)), [e["label"] for e in analog], fontsize=7, rotation=20)
    right.set_yscale("log")
    right.set_xlabel({"fig1": "alpha", "fig3": "tau", "fig4-tau": "tau", "fig4-sigma": "sigma^2"}.get(figure, "start"))
    right.set_ylabel("logged loss at k = K" if key == "end" else "mean of the last 20 logged losses")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=7)
    title = (
        f"{figure} ({script.script} on the AIHWKit-faithful tile): R = {data['chains']} chains per run, "
        f"{100 * level:g}% intervals"
    )
    fig.suptitle("\n".join([title, *textwrap.wrap(verdict, 140)]), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _experiment_figure(name: str):
    def make(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
        level = PROFILES["quick"].level
        data = figure_data(name, chains=chains, seed=seed, steps=steps, progress=progress)
        results = FIGURE_VERDICTS[name](data, level)
        verdict = _verdict_text(results)
        stem = os.path.join(out_dir, name)
        paths = {
            "png": plot_experiment(data, stem + ".png", level, verdict=verdict),
            "csv": write_experiment_csv(data, stem + ".csv", level),
        }
        key = _value_key(name)
        lines = [f"{name}: {data['script'].script} on the AIHWKit-faithful tile, {chains} chains per run"]
        for series, entries in data["series"].items():
            for e in entries:
                est = mean_ci(e[key], level)
                lines.append(
                    f"  {_SERIES_NAMES[series]:14s} {e['label']:22s} {est.mean:.4g} [{est.low:.4g}, {est.high:.4g}]"
                )
        lines.append(verdict)
        return {"paths": paths, "data": data, "results": results, "lines": lines}

    return make


#: the models a figure can be made on
MODELS = ("experiment", "dynamic3")

#: model -> figure name -> maker(out_dir, source, chains, steps, seed, progress); for dynamic (3)'s floor
#: figures ``steps`` is the averaging window (default FLOOR_WINDOW), for the experiment model the budget K
FIGURES = {
    "experiment": {name: _experiment_figure(name) for name in SCRIPTS},
    "dynamic3": {"fig3": _figure3, **{name: _floor_figure(name) for name in FLOOR_FIGURES}},
}


def make_figure(
    name: str,
    out_dir: str = ".",
    source: str = "paper",
    *,
    model: str = "experiment",
    chains: int | None = None,
    steps: int | None = None,
    seed: int = 0,
    progress: bool | None = None,
) -> dict:
    """Reproduce figure ``name`` into ``out_dir`` (created if missing) on ``model``: PNG and CSV of the plotted data.

    ``chains`` defaults to :data:`EXPERIMENT_CHAINS` per run on the experiment model, 1000 on dynamic (3);
    ``source`` ("paper" or "code" settings) applies to dynamic (3) only (the experiment model runs the scripts).
    Returns ``{"paths": {"png", "csv"}, ...}``: ``data``, ``results`` (the verdicts of the figure's claims on the
    same data, {claim id: result}, at the quick profile's level) and ``lines`` (a summary to print); dynamic (3)'s
    fig3 returns ``curves`` and ``distances`` instead.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    if name not in FIGURES[model]:
        raise ValueError(f"name must be one of {sorted(FIGURES[model])}, got {name!r}")
    if chains is None:
        chains = EXPERIMENT_CHAINS if model == "experiment" else 1000
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
    return FIGURES[model][name](
        out_dir, source, require_int("chains", chains, low=2), steps, require_int("seed", seed, low=0), progress
    )
