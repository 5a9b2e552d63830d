r"""Figure reproductions as files: PNG and PDF plots, one CSV table schema for every figure, and optionally a JSON
record, with the verdicts of the figure's claims taken from the claim layer on the same data, so a figure and its
check cannot disagree.

Two models (``make_figure(model=...)``):

* ``experiment`` (the default): the official script's experiment on the AIHWKit-faithful tile
  (:func:`verify.experiments.scripts.figure_data`), plotted as the paper does, the logged loss against k for
  every run with the script's digital SGD (and dynamic (3)) beside it, next to the asymptotic errors (the mean
  of the last 20 logged losses; Figure 4-right: the loss at k = K) with their intervals; verdicts from
  :data:`verify.claims.checks.experiments.FIGURE_VERDICTS`.
* ``dynamic3``: the paper's dynamic (3) with Gaussian gradient noise (:mod:`verify.experiments.figures`):
  Figure 3's curves against the toolkit's earlier pulse stand-in, the stationary floors of Figures 1 and 4;
  verdicts from :data:`verify.claims.checks.figures.FLOOR_VERDICTS`.

Every plot is paper-sized (a single panel about 3.5 x 2.8 in, two panels about 7.5 x 3 in, Figure 3's four
panels 7.5 in wide; 150 dpi), labelled in matplotlib's mathtext (no TeX installation needed), with its legend
outside the axes and a caption below that says in plain words what each verdict rests on
(:func:`verdict_sentence`). Intervals are at the level of the ledger's (the quick profile's Bonferroni level).

The CSV schema (:data:`CSV_FIELDS`) is the same for every figure and model, one row per plotted number:

============  ===================================================================================================
column        meaning
============  ===================================================================================================
figure        ``fig1``, ``fig3``, ``fig4-tau``, ``fig4-sigma`` or ``fig4-init``
model         ``experiment`` or ``dynamic3``
series        ``analog`` (the AIHWKit-faithful tile on the experiment model, Analog SGD (3) on dynamic (3)),
              ``digital`` (digital SGD (2)), ``dynamic3`` (dynamic (3) beside the tile), ``pulsed`` (the
              pulse-level stand-in of dynamic (3)'s Figure 3)
run           the run's label (``alpha=0.2``, ``tau=1.5``, ``constant 0.01``, ...)
x             the swept value (alpha, tau, sigma^2; ``inf`` for digital SGD against tau; the start's label)
kind          see :data:`CSV_KINDS`
k             the iteration (``curve`` rows only)
mean, sem     the chain mean and its standard error
ci_low/high   the interval at ``level`` (curves: the pointwise normal band)
level         the interval's confidence level
chains        chains behind the number
burn_in       dynamic (3)'s floors: steps before the averaging window
window        dynamic (3)'s floors: the averaging window (steps)
dw_min        the pulse granularity of a pulse-level curve
============  ===================================================================================================

Empty cells mark what does not apply. :func:`make_figure` ``json=FILE`` also writes the figure's verdicts
(:meth:`verify.claims.results.ClaimResult.to_json`) and every non-curve row (floors with their intervals, fits,
distances) as JSON, in the envelope of every command's record (:mod:`verify.reports.records`).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import textwrap

import numpy as np
import scipy.stats

from bounds.validation import SEED_LIMIT, require_int, require_real

from ..claims.checks.experiments import FIGURE_VERDICTS
from ..claims.checks.experiments import MODEL as EXPERIMENT_MODEL
from ..claims.checks.figures import FLOOR_VERDICTS, WINDOW
from ..claims.checks.figures import MODEL as DYNAMIC3_MODEL
from ..claims.profiles import DEFAULT_SEED
from ..claims.registry import CLAIMS, PROFILES, tolerance_of
from ..claims.results import ClaimResult
from ..experiments.figures import FLOOR_FIGURES, FLOOR_WINDOW, curve_distance, figure3_curves, floor_estimates
from ..experiments.scripts import FLOOR_STEPS, SCRIPTS, figure_data
from ..experiments.settings import SOURCES, require_steps
from ..sim.stats import loglog_fit, mean_ci
from .records import envelope, require_path, save_figure, write_json, write_text

__all__ = [
    "write_curves_csv",
    "plot_figure3",
    "write_floors_csv",
    "plot_floors",
    "write_experiment_csv",
    "plot_experiment",
    "verdict_sentence",
    "chain_warning",
    "make_figure",
    "FIGURES",
    "MODELS",
    "MODEL_NAMES",
    "EXPERIMENT_CHAINS",
    "CSV_FIELDS",
    "CSV_KINDS",
    "FORMATS",
]

#: the columns of every figure's CSV file (module doc)
CSV_FIELDS = (
    "figure",
    "model",
    "series",
    "run",
    "x",
    "kind",
    "k",
    "mean",
    "sem",
    "ci_low",
    "ci_high",
    "level",
    "chains",
    "burn_in",
    "window",
    "dw_min",
)

#: what a CSV row holds, by its ``kind``
CSV_KINDS = {
    "curve": "the chain mean at iteration k with its pointwise band (the left panel, Figure 3)",
    "floor": "a run's asymptotic error: the mean of the last 20 logged losses (experiment model) or the "
    "stationary floor averaged over the window after the burn-in (dynamic (3))",
    "end": "a run's value at k = K (Figure 4-right on the experiment model; the last point of Figure 3's curves)",
    "slope": "the fitted slope of log floor against log alpha (Figure 1), with its interval",
    "intercept": "the fitted intercept of log floor against log alpha (Figure 1), with its interval",
    "fit": "the fitted line's floor at x (Figure 1)",
    "exact": "digital SGD's exact stationary floor at x (Figure 1 on dynamic (3))",
    "distance": "mean absolute log-ratio of a curve to the pulse-level curve over k = 1..K (Figure 3 on dynamic (3))",
}

#: the file formats every plot is saved in (same stem)
FORMATS = ("png", "pdf")

#: the models a figure can be made on
MODELS = ("experiment", "dynamic3")

#: how a verdict names its model in words
MODEL_NAMES = {"experiment": "the AIHWKit-faithful model", "dynamic3": "dynamic (3)"}

#: default chains per run of the experiment model's figures
EXPERIMENT_CHAINS = 16

_DPI = 150
_CAPTION_SIZE = 6.5
_STYLE = {
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "legend.handlelength": 2.2,
    "lines.linewidth": 1.1,
    "lines.markersize": 4,
    "errorbar.capsize": 3,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.5,
    "savefig.dpi": _DPI,
    "pdf.fonttype": 42,
}
_FIGURE_TITLES = {
    "fig1": "Figure 1",
    "fig3": "Figure 3",
    "fig4-tau": "Figure 4 (left)",
    "fig4-sigma": "Figure 4 (middle)",
    "fig4-init": "Figure 4 (right)",
}
_X_LABELS = {"alpha": r"step size $\alpha$", "tau": r"device bound $\tau$", "sigma^2": r"noise variance $\sigma^2$"}
_SYMBOLS = {"alpha": r"\alpha", "tau": r"\tau", "sigma^2": r"\sigma^2"}


def _level() -> float:
    return PROFILES["quick"].level


def _pct(level: float) -> str:
    return f"{100 * level:.4g}%"


# ---------------------------------------------------------------------------------------------
# words: verdicts, warnings, labels
# ---------------------------------------------------------------------------------------------


def _math_label(label: str) -> str:
    """``alpha=0.2`` -> ``$\\alpha = 0.2$`` (mathtext); other labels unchanged.

    >>> _math_label("sigma^2=0.01"), _math_label("constant 0.01")
    ('$\\\\sigma^2 = 0.01$', 'constant 0.01')
    """
    m = re.fullmatch(r"(alpha|tau|sigma\^2)=(.+)", str(label))
    if m is None:
        return str(label)
    value = "\\infty" if m.group(2) in ("inf", "infinity") else m.group(2)
    return f"${_SYMBOLS[m.group(1)]} = {value}$"


def _interval(mean, low, high) -> str:
    """``mean [low, high]`` with 3 significant digits, more where fewer would print the ends alike.

    >>> _interval(0.99012, 0.98877, 0.99147), _interval(0.9904, 0.99012, 0.99068)
    ('0.99 [0.989, 0.991]', '0.9904 [0.9901, 0.9907]')
    """
    if None in (mean, low, high):
        return f"{mean} [{low}, {high}]"
    for digits in range(3, 7):
        texts = [f"{v:.{digits}g}" for v in (mean, low, high)]
        if len(set(texts)) == 3 or low == high:
            break
    return f"{texts[0]} [{texts[1]}, {texts[2]}]"


def _tolerance_record(result) -> dict | None:
    """The result's registered tolerance record, from the registry when ``result.tolerance`` is None."""
    if result.tolerance is not None:
        return result.tolerance
    found = CLAIMS.get(result.id)
    return found.tolerance.record() if found is not None and found.tolerance is not None else None


def _deciding(result) -> tuple[str, dict]:
    label = result.details.get("deciding_case", "")
    for case in result.details.get("cases", []):
        if case.get("case") == label:
            return label, case
    return label, {}


_CASE = re.compile(r"(?:(?P<where>[^:]+): )?(?P<lhs>.+?) (?P<op><=|>=|=|<|>) (?P<rhs>\S+)")


def _subject(label: str, case: dict, cases: int) -> str:
    """What the deciding case measures, in words."""
    m = _CASE.fullmatch(label)
    if m is None:
        return f"the deciding case ({label})"
    where, lhs, op, rhs = m.group("where"), m.group("lhs"), m.group("op"), m.group("rhs")
    of = f" (the deciding case of {cases})" if cases > 1 else ""
    if lhs == "slope":
        series = {"analog": "Analog SGD", "digital": "digital SGD"}.get(where or "", where or "")
        text = "the slope of log floor vs log alpha" + (f" for {series}" if series else "")
        if (case.get("fit") or {}).get("decided_by") == "curved":
            text += " (the quadratic fit's local slope: its chi^2 test rejects the straight line)"
        return text
    if lhs.startswith("d2 - "):
        return (
            f"at {where}{of}, {lhs} (d2, d3: the distances of digital SGD (2) and dynamic (3) from the reference "
            "curve, mean |log ratio|)"
        )
    if op in "<>" and not _is_number(rhs):
        quantity = str(case.get("quantity", "ratio of the floors")).split(", > 0 claimed")[0]
        return f"for {lhs} {op} {rhs}{of}, the {quantity}"
    if lhs.startswith("gap at "):
        return f"the relative gap to digital SGD's floor at {lhs[len('gap at ') :]}{of}"
    if "/" in lhs:
        return f"the ratio {lhs}{of}"
    return f"{label}{of}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _relation(verdict: str, relation: str, theoretical, tolerance: dict | None) -> str:
    """Where the interval lies against the statement, in words."""
    th = "?" if theoretical is None else f"{theoretical:g}"
    if relation == "equal" and tolerance is not None and tolerance.get("scale") in ("relative", "absolute"):
        value = tolerance["value"]
        band = f"+-{100 * value:g}%" if tolerance["scale"] == "relative" else f"+-{value:g}"
        return {
            "confirmed": f"within {band} of {th}",
            "refuted": f"outside {band} of {th}",
        }.get(verdict, f"overlapping the edge of {band} around {th}")
    if relation == "lower":
        return {"confirmed": f"above {th}", "refuted": f"below {th}"}.get(verdict, f"not clearly above {th}")
    if relation == "upper":
        return {"confirmed": f"below {th}", "refuted": f"above {th}"}.get(verdict, f"not clearly below {th}")
    return f"against {th}"


def verdict_sentence(result, model: str = "experiment") -> str:
    """One claim's verdict in plain words from its :class:`~verify.claims.results.ClaimResult`: the verdict, the
    ``model`` it was decided on (a key of :data:`MODEL_NAMES` or a description), what the deciding case measures,
    the empirical value with its interval and where it lies against the statement (the registered tolerance from
    ``result.tolerance``, or from the registry when the result was computed outside
    :func:`~verify.claims.registry.run_claim`).

    >>> from verify.claims.results import ClaimResult
    >>> r = ClaimResult("C1a", "confirmed", "equal", 0.05, -0.02, 0.12, 0.0,
    ...                 details={"deciding_case": "analog: slope = 0",
    ...                          "cases": [{"case": "analog: slope = 0", "relation": "equal"}]},
    ...                 tolerance={"value": 0.25, "scale": "absolute", "reason": "...", "text": "+-0.25"})
    >>> print(textwrap.fill(verdict_sentence(r), 100))
    C1a confirmed on the AIHWKit-faithful model: the slope of log floor vs log alpha for Analog SGD is
    0.05 [-0.02, 0.12], within +-0.25 of 0
    """
    if not isinstance(result, ClaimResult):
        raise TypeError(f"result must be a ClaimResult, got {_shown(result)}")
    if not isinstance(model, str):
        raise TypeError(f"model must be a str ({', '.join(MODELS)} or a description), got {_shown(model)}")
    where = MODEL_NAMES.get(model, model)
    head = f"{result.id} {result.verdict} on {where}"
    if result.empirical is None:
        reason = result.details.get("reason") or ", ".join(result.details.get("failed_conditions", []))
        return f"{head}" + (f": {reason}" if reason else "")
    label, case = _deciding(result)
    cases = len(result.details.get("cases", [])) or 1
    relation = case.get("relation", result.relation)
    subject = _subject(label, case, cases) if label else "the estimate"
    text = (
        f"{head}: {subject} is {_interval(result.empirical, result.ci_low, result.ci_high)}, "
        f"{_relation(result.verdict, relation, result.theoretical, _tolerance_record(result))}"
    )
    fit = case.get("fit") or {}
    if result.verdict == "inconclusive" and fit and fit.get("decided_by") is None and fit.get("why_inconclusive"):
        text += f"; {fit['why_inconclusive']}"
    return text


def chain_warning(model: str, chains: int, steps: int | None = None, name: str | None = None) -> str | None:
    """A ``warning:`` line when a figure's verdicts rest on fewer chains than the ledger's (the quick profile's
    ``experiment_chains`` per run on the experiment model, its ``chains`` on dynamic (3)), or on a shorter run (a
    budget K below the script's, a floor window below dynamic (3)'s); None otherwise.

    >>> print(chain_warning("experiment", 16))
    None
    >>> chain_warning("dynamic3", 100).startswith("warning: the verdicts rest on 100 chains")
    True
    """
    if not isinstance(model, str) or model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {_shown(model)}")
    chains = require_int("chains", chains, low=1)
    steps = None if steps is None else require_int("steps", steps, low=1)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a figure name (str) or None, got {_shown(name)}")
    quick = PROFILES["quick"]
    need = quick.experiment_chains if model == "experiment" else quick.chains
    parts = []
    if chains < need:
        unit = " per run" if model == "experiment" else ""
        parts.append(f"{chains} chains{unit}, fewer than the ledger's {need} (quick profile)")
    if steps is not None and name is not None:
        if model == "experiment" and name in SCRIPTS and steps < SCRIPTS[name]().steps:
            parts.append(f"K = {steps} steps instead of the script's {SCRIPTS[name]().steps}")
        if model == "dynamic3" and name in FLOOR_FIGURES and steps < quick.steps(WINDOW):
            parts.append(f"a floor window of {steps} steps instead of the ledger's {quick.steps(WINDOW)}")
    if not parts:
        return None
    return (
        f"warning: the verdicts rest on {' and '.join(parts)}; they may differ from the ledger's "
        "(paper_checks.md, python -m verify check)"
    )


# ---------------------------------------------------------------------------------------------
# CSV and JSON: one schema
# ---------------------------------------------------------------------------------------------


def _row(**values) -> dict:
    if values.get("series") == "digital" and "x" in values and values["x"] is None:
        values["x"] = math.inf  # digital SGD against tau: tau = infinity (the data say None)
    return {f: values.get(f) for f in CSV_FIELDS}


def _estimate_cells(e) -> dict:
    return {"mean": e.mean, "sem": e.sem, "ci_low": e.low, "ci_high": e.high, "level": e.level}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _write_csv(rows, path: str) -> str:
    """The rows as CSV, written atomically (temporary file + rename)."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(CSV_FIELDS))
    writer.writeheader()
    for row in rows:
        writer.writerow({f: _cell(row.get(f)) for f in CSV_FIELDS})
    return write_text(path, text.getvalue())


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _require_level(level) -> float:
    return require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)


def _from_record(name: str, what: str, make, *args):
    """``make(*args)`` on a record ``name`` (``what`` made it): a malformed record's KeyError, TypeError, ... becomes a
    TypeError naming ``name``; figures a failed plot opened are closed."""
    if not isinstance(args[0], dict):
        raise TypeError(f"{name} must be {what}'s result (a dict), got {_shown(args[0])}")
    plt = _pyplot()
    before = set(plt.get_fignums())
    try:
        return make(*args)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
        if isinstance(err, ValueError) and str(err).startswith("path"):
            raise
        raise TypeError(f"{name} is not {what}'s result: {type(err).__name__}: {err}") from None
    finally:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)


def _curve_rows(curves: dict, level: float):
    """Figure 3 on dynamic (3): digital SGD (2) once, then per tau Analog SGD (3) and the pulse-level curve; per
    curve its points (``curve``), its value at k = K (``end``), and for (2) and (3) the distance to the pulse-level
    curve (``distance``)."""
    figure, alpha = "fig3", curves["alpha"]
    digital = curves["digital"]
    entries = [("digital", f"alpha={alpha:g}", math.inf, digital)]
    for tau in curves["analog"]:
        entries.append(("analog", f"tau={tau:g}", tau, curves["analog"][tau]))
        entries.append(("pulsed", f"tau={tau:g}", tau, curves["pulsed"][tau]))
    for series, run, x, curve in entries:
        low, high = curve.band(level)
        base = dict(figure=figure, model="dynamic3", series=series, run=run, x=x, chains=curve.chains)
        base["dw_min"] = curve.dw_min
        K = curve.mean.size - 1
        yield _row(
            **base, kind="end", k=K, mean=curve.mean[K], sem=curve.sem[K], ci_low=low[K], ci_high=high[K], level=level
        )
        for k in range(curve.mean.size):
            yield _row(
                **base,
                kind="curve",
                k=k,
                mean=curve.mean[k],
                sem=curve.sem[k],
                ci_low=low[k],
                ci_high=high[k],
                level=level,
            )
    for tau, pulsed in curves["pulsed"].items():
        for series, curve in (("digital", digital), ("analog", curves["analog"][tau])):
            d = curve_distance(curve, pulsed, level)
            yield _row(
                figure=figure,
                model="dynamic3",
                series=series,
                run=f"tau={tau:g}",
                x=tau,
                kind="distance",
                chains=d.n,
                **_estimate_cells(d),
            )


def write_curves_csv(curves: dict, path: str, level: float = 0.95) -> str:
    """Figure 3 on dynamic (3) (:func:`~verify.experiments.figures.figure3_curves`'s ``curves``) in the common
    schema (:data:`CSV_FIELDS`): every curve's points with their band at ``level`` (``kind = curve``), its value at
    k = K (``end``), and the distances of (2) and (3) to the pulse-level curve (``distance``)."""
    path, level = require_path("path", path), _require_level(level)
    rows = _from_record("curves", "figure3_curves", lambda c: list(_curve_rows(c, level)), curves)
    return _write_csv(rows, path)


def _floor_rows(data: dict, level: float):
    """Dynamic (3)'s floor figures: every run's floor (``floor``), the fitted lines and digital SGD's exact floors
    (Figure 1)."""
    figure = data["figure"]
    base = dict(figure=figure, model="dynamic3")
    for r, e in zip(data["runs"], floor_estimates(data["runs"], level)):
        yield _row(
            **base,
            series=r["series"],
            run=r["label"],
            x=r["x"],
            kind="floor",
            chains=e.n,
            burn_in=r["burn_in"],
            window=data["window"],
            **_estimate_cells(e),
        )
    for series, (intercept, slope) in data.get("fits", {}).items():
        yield from _fit_rows(base, series, intercept, slope, data["alphas"])
    if "digital_exact" in data:
        for a, f in zip(data["alphas"], data["digital_exact"]["floors"]):
            yield _row(**base, series="digital", run=f"alpha={a:g}", x=a, kind="exact", mean=f)


def _fit_rows(base: dict, series: str, intercept, slope, xs):
    for kind, e in (("intercept", intercept), ("slope", slope)):
        yield _row(**base, series=series, kind=kind, chains=e.n, **_estimate_cells(e))
    for x in xs:
        yield _row(
            **base,
            series=series,
            run=f"alpha={x:g}",
            x=x,
            kind="fit",
            mean=float(np.exp(intercept.mean + slope.mean * np.log(x))),
        )


def write_floors_csv(data: dict, path: str, level: float = 0.95) -> str:
    """Dynamic (3)'s floor figures in the common schema (:data:`CSV_FIELDS`): per run the floor's chain mean with
    its Student-t interval at ``level`` (the plotted error bar), sem, chains, burn-in and window (``kind = floor``);
    for Figure 1 also the fitted lines (``slope``, ``intercept`` with their intervals at the data's level, ``fit``:
    the fitted floor per alpha) and digital SGD's exact floors (``exact``)."""
    path, level = require_path("path", path), _require_level(level)
    rows = _from_record("data", "a floor figure (figure1_floors, ...)", lambda d: list(_floor_rows(d, level)), data)
    return _write_csv(rows, path)


def _value_key(figure: str) -> str:
    return "end" if figure == "fig4-init" else "floor"


def _experiment_fits(data: dict, level: float) -> dict:
    """Figure 1 on the experiment model: the weighted line of log floor against log alpha per series (as the
    verdicts fit it), ``{series: (intercept, slope)}``; empty where a line cannot be fitted."""
    if data["figure"] != "fig1":
        return {}
    fits = {}
    for series in ("analog", "digital", "dynamic3"):
        entries = data["series"].get(series) or []
        if len(entries) < 2:
            continue
        try:
            line = loglog_fit([e["x"] for e in entries], [mean_ci(e["floor"], level) for e in entries], level)
        except ValueError:
            continue
        fits[series] = (line.value_at(0.0), line.slope_at(0.0))
    return fits


def _experiment_rows(data: dict, level: float):
    """The experiment model: per series and run the asymptotic error (``floor``; Figure 4-right: ``end``) with its
    interval and the logged loss's mean, sem and band at every k (``curve``); Figure 1: the fitted lines."""
    key = _value_key(data["figure"])
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    for series, entries in data["series"].items():
        for e in entries:
            base = dict(
                figure=data["figure"], model="experiment", series=series, run=e["label"], x=e["x"], chains=e["chains"]
            )
            yield _row(**base, kind=key, **_estimate_cells(mean_ci(e[key], level)))
            for k, (m, s) in enumerate(zip(e["curve"], e["sem"])):
                yield _row(**base, kind="curve", k=k, mean=m, sem=s, ci_low=m - z * s, ci_high=m + z * s, level=level)
    base = dict(figure=data["figure"], model="experiment")
    alphas = [e["x"] for e in data["series"]["analog"]]
    for series, (intercept, slope) in _experiment_fits(data, level).items():
        yield from _fit_rows(base, series, intercept, slope, alphas)


def write_experiment_csv(data: dict, path: str, level: float = 0.95) -> str:
    """The experiment model's figure in the common schema (:data:`CSV_FIELDS`): per series and run the asymptotic
    error's mean and ``level`` interval (``kind = floor``, Figure 4-right ``end``), the logged loss's mean, sem and
    pointwise band at every k (``curve``); for Figure 1 the fitted lines (``slope``, ``intercept``, ``fit``)."""
    path, level = require_path("path", path), _require_level(level)
    rows = _from_record("data", "figure_data", lambda d: list(_experiment_rows(d, level)), data)
    return _write_csv(rows, path)


def _jsonable(value):
    """Plain JSON: numpy scalars and arrays as numbers and lists, infinities as ``"inf"``, NaN as null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# ---------------------------------------------------------------------------------------------
# plots
# ---------------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _stem(path: str) -> str:
    root, ext = os.path.splitext(path)
    return root if ext.lower() in tuple(f".{f}" for f in FORMATS) else path


def _wrap(caption: str, width_in: float) -> list[str]:
    """The caption as lines that fit ``width_in`` inches at the caption's font size."""
    chars = max(30, int((width_in * 72 - 14) / (0.53 * _CAPTION_SIZE)))
    lines = []
    for paragraph in caption.split("\n"):
        lines += textwrap.wrap(paragraph, chars) or [""]
    return lines


def _canvas(plt, width: float, height: float, caption: str):
    """A figure of ``width`` x (``height`` + the caption's lines) inches, constrained layout; returns the figure
    and the (sub)figure to draw the plot in."""
    lines = _wrap(caption, width) if caption else []
    cap = 0.08 + 0.118 * len(lines) if lines else 0.0
    fig = plt.figure(figsize=(width, height + cap), layout="constrained")
    if not lines:
        return fig, fig
    top, bottom = fig.subfigures(2, 1, height_ratios=[height, cap])
    text = "\n".join(lines).replace("$", r"\$").replace("+-", "\u00b1")
    bottom.text(0.015, 0.98, text, va="top", ha="left", fontsize=_CAPTION_SIZE, linespacing=1.25)
    return fig, top


def _save(fig, path: str) -> dict:
    stem = _stem(path)
    out = {}
    for fmt in FORMATS:
        out[fmt] = save_figure(fig, f"{stem}.{fmt}", dpi=_DPI)
    return out


def _plot_inputs(path, level, caption) -> tuple:
    """A plot's ``path`` (its stem must be a writable file path), ``level`` and ``caption``, validated."""
    require_path("path", path)
    require_path("path", f"{_stem(path)}.{FORMATS[0]}")
    if not isinstance(caption, str):
        raise TypeError(f"caption must be a str, got {_shown(caption)}")
    return path, _require_level(level), caption


def _band(ax, x, mean, low, high, color, alpha=0.22):
    floor = np.maximum(np.nanmin(mean[mean > 0]) if np.any(mean > 0) else 1e-300, 1e-300) * 1e-3
    ax.fill_between(x, np.maximum(low, floor), high, color=color, alpha=alpha, lw=0)


def plot_figure3(curves: dict, path: str, level: float = 0.95, caption: str = "") -> dict:
    """Figure 3 on dynamic (3): one panel per tau, f(W_k) - f* against k on a log scale, digital SGD (2), dynamic (3)
    and the pulse-level curve with their ``level`` bands; legend below the panels, ``caption`` under it. Saved as
    PNG and PDF with ``path``'s stem; returns ``{"png": ..., "pdf": ...}``."""
    path, level, caption = _plot_inputs(path, level, caption)
    return _from_record("curves", "figure3_curves", _plot_figure3, curves, path, level, caption)


def _plot_figure3(curves: dict, path: str, level: float, caption: str) -> dict:
    import matplotlib

    plt = _pyplot()
    taus = list(curves["analog"])
    colors = {"digital": "k", "analog": "C1", "pulsed": "C0"}
    names = {"digital": "digital SGD (2)", "analog": "Analog SGD (3)", "pulsed": "pulse-level Analog SGD"}
    styles = {"digital": "--", "analog": "-", "pulsed": "-"}
    with matplotlib.rc_context(_STYLE):
        fig, top = _canvas(plt, 7.5, 2.5, caption)
        axes = top.subplots(1, len(taus), sharey=True, squeeze=False)[0]
        for ax, tau in zip(axes, taus):
            for series, curve in (
                ("digital", curves["digital"]),
                ("analog", curves["analog"][tau]),
                ("pulsed", curves["pulsed"][tau]),
            ):
                k = np.arange(curve.mean.size)
                low, high = curve.band(level)
                ax.plot(k, curve.mean, styles[series], color=colors[series], lw=1.0, label=names[series])
                _band(ax, k, curve.mean, low, high, colors[series])
            ax.set_yscale("log")
            dw = curves["pulsed"][tau].dw_min
            ax.set_title(rf"$\tau = {tau:g}$, $\Delta w_{{\min}} = {dw:.3g}$")
            ax.set_xlabel(r"iteration $k$")
        axes[0].set_ylabel(r"$f(W_k) - f^*$")
        handles, labels = axes[0].get_legend_handles_labels()
        top.legend(handles, labels, loc="outside lower center", ncol=3)
        setting = curves["setting"]
        top.suptitle(
            rf"Figure 3 on dynamic (3), {setting.source} settings: $\alpha = {curves['alpha']:g}$, "
            rf"$R = {curves['digital'].chains}$ chains, {_pct(level)} bands"
        )
        paths = _save(fig, path)
    plt.close(fig)
    return paths


def _dodge(xs, i: int, n: int, log: bool = True):
    """Spread ``n`` series sharing x positions a little apart (multiplicatively on a log axis)."""
    if n <= 1:
        return np.asarray(xs, dtype=float)
    offset = (i - (n - 1) / 2) * 0.06
    xs = np.asarray(xs, dtype=float)
    return xs * np.exp(offset) if log else xs + offset * 2


def _errorbar(ax, x, ests, **kw):
    m = np.array([e.mean for e in ests])
    lo = np.array([e.low for e in ests])
    hi = np.array([e.high for e in ests])
    ax.errorbar(x, m, yerr=[np.maximum(m - lo, 0), np.maximum(hi - m, 0)], elinewidth=1.0, capthick=1.0, **kw)


def _log_ticks(ax, ticks):
    import matplotlib.ticker

    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])


def _start_labels(runs: list[dict]) -> list[str]:
    """Each start's label with the starts identical to it after clipping: ``constant 1000 (= 100, 10)``."""
    out = []
    for r in runs:
        label, aliases = r["label"], list(r.get("aliases", []))
        head = label.split(" ")[0] + " "
        if aliases and all(a.startswith(head) for a in aliases):
            aliases = [a[len(head) :] for a in aliases]
        out.append(f"{label} (= {', '.join(aliases)})" if aliases else label)
    return out


def plot_floors(data: dict, path: str, level: float = 0.95, caption: str = "") -> dict:
    """Dynamic (3)'s floors with their ``level`` intervals as error bars (Figure 1: log-log against alpha with the
    fitted lines and digital SGD's exact floors; Figure 4: against tau (digital SGD as a band), sigma^2, or the
    start, with the reference start's equivalence band); one 3.5 in panel, legend below it, ``caption`` under it.
    Saved as PNG and PDF with ``path``'s stem; returns ``{"png": ..., "pdf": ...}``."""
    path, level, caption = _plot_inputs(path, level, caption)
    return _from_record("data", "a floor figure (figure1_floors, ...)", _plot_floors, data, path, level, caption)


def _plot_floors(data: dict, path: str, level: float, caption: str) -> dict:
    import matplotlib

    plt = _pyplot()
    runs, ests = data["runs"], floor_estimates(data["runs"], level)
    colors = {"analog": "C1", "digital": "k"}
    names = {"analog": "Analog SGD (3)", "digital": "digital SGD (2)"}
    markers = {"analog": "o", "digital": "s"}
    figure = data["figure"]
    bars = f"Error bars: {_pct(level)} intervals over {data['chains']} chains per run."
    caption = f"{bars}\n{caption}" if caption else bars
    with matplotlib.rc_context(_STYLE):
        fig, top = _canvas(plt, 3.5, 3.0 if figure != "fig4-init" else 3.3, caption)
        ax = top.subplots()
        if figure == "fig4-init":
            xs = np.arange(len(runs))
            _errorbar(ax, xs, ests, fmt="o", color=colors["analog"], label=names["analog"])
            ax.set_xticks(xs, _start_labels(runs), fontsize=6, rotation=35, ha="right", rotation_mode="anchor")
            ref = [e for r, e in zip(runs, ests) if r["label"] == data["reference"]]
            if ref:
                band = tolerance_of("C38").value
                ax.axhspan(
                    (1 - band) * ref[0].mean,
                    (1 + band) * ref[0].mean,
                    color="0.8",
                    lw=0,
                    zorder=0,
                    label=f"{data['reference']} \u00b1{100 * band:g}% (C38's band)",
                )
        else:
            present = [s for s in ("analog", "digital") if any(r["series"] == s for r in runs)]
            dodge = figure == "fig1"
            for i, name in enumerate(present):
                pick = [(r, e) for r, e in zip(runs, ests) if r["series"] == name]
                if figure == "fig4-tau" and name == "digital":
                    e = pick[0][1]
                    ax.axhline(e.mean, color=colors[name], lw=1.0, ls="--", label=rf"{names[name]}, $\tau = \infty$")
                    ax.axhspan(e.low, e.high, color=colors[name], alpha=0.18, lw=0)
                    continue
                x = np.array([r["x"] for r, _ in pick], dtype=float)
                if name in data.get("fits", {}):
                    a0, b = data["fits"][name]
                    grid = np.geomspace(x.min(), x.max(), 50)
                    ax.plot(grid, np.exp(a0.mean + b.mean * np.log(grid)), color=colors[name], lw=0.8, ls="--")
                xd = _dodge(x, i, len(present)) if dodge else x
                _errorbar(ax, xd, [e for _, e in pick], fmt=markers[name], color=colors[name], label=names[name])
            if data.get("fits"):
                ax.plot([], [], color="0.4", lw=0.8, ls="--", label=r"line fit of $\log$ floor vs $\log\alpha$")
            if "digital_exact" in data:
                ax.plot(data["alphas"], data["digital_exact"]["floors"], "x", color="C3", label="digital SGD, exact")
            ticks = sorted({float(r["x"]) for r in runs if r["x"] is not None and np.isfinite(r["x"])})
            _log_ticks(ax, ticks)
            ax.set_yscale("log")
        ax.set_xlabel(_X_LABELS.get(data["x_name"], "initial point"))
        ax.set_ylabel(r"stationary $\mathbb{E}\,f(W) - f^*$")
        handles, labels = ax.get_legend_handles_labels()
        rank = {names["analog"]: 0, names["digital"]: 1}
        order = sorted(range(len(labels)), key=lambda i: (rank.get(labels[i], 2), labels[i].startswith("line fit")))
        top.legend([handles[i] for i in order], [labels[i] for i in order], loc="outside lower center", ncol=2)
        top.suptitle(f"{_FIGURE_TITLES.get(figure, figure)} on dynamic (3), {data['source_used']} settings")
        paths = _save(fig, path)
    plt.close(fig)
    return paths


def _script_name(script) -> str:
    """The official script's name, or what stands in for it (Figure 4-left has none)."""
    return "S1's experiment (no official script)" if script.script == "none" else script.script


_SERIES_NAMES = {"analog": "AIHWKit-faithful model", "digital": "digital SGD", "dynamic3": "dynamic (3)"}
_SERIES_STYLE = {"analog": "-", "digital": "--", "dynamic3": ":"}
_SERIES_MARKERS = {"analog": {"marker": "o"}, "digital": {"marker": "s", "mfc": "white"}, "dynamic3": {"marker": "^"}}


def plot_experiment(data: dict, path: str, level: float = 0.95, caption: str = "") -> dict:
    """The experiment model's figure, two panels 7.5 in wide. Left: the logged loss against k for every run (one
    colour per run; the AIHWKit-faithful model solid, digital SGD dashed, dynamic (3) dotted), log scale, with
    ``level`` bands. Right: each run's asymptotic error with its interval against the swept value (log-log where
    it is numeric), digital SGD and dynamic (3) beside it (Figure 1: the fitted lines; Figure 4-right: the
    reference start's equivalence band). One legend below both panels, ``caption`` under it. Saved as PNG and PDF
    with ``path``'s stem; returns ``{"png": ..., "pdf": ...}``."""
    path, level, caption = _plot_inputs(path, level, caption)
    return _from_record("data", "figure_data", _plot_experiment, data, path, level, caption)


def _plot_experiment(data: dict, path: str, level: float, caption: str) -> dict:
    import matplotlib
    from matplotlib.lines import Line2D

    plt = _pyplot()
    figure, script = data["figure"], data["script"]
    key = _value_key(figure)
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    analog = data["series"]["analog"]
    with matplotlib.rc_context(_STYLE):
        fig, top = _canvas(plt, 7.5, 3.2 if figure != "fig4-init" else 3.5, caption)
        left, right = top.subplots(1, 2)
        run_colors = {e["label"]: f"C{i % 10}" for i, e in enumerate(analog)}
        for series, entries in data["series"].items():
            for e in entries:
                k = np.arange(e["curve"].size)
                # one colour per run (Figure 1's digital runs share the alphas' labels); a lone digital run black
                color = "k" if series == "digital" and len(entries) == 1 else run_colors.get(e["label"], "k")
                left.plot(k, e["curve"], _SERIES_STYLE[series], color=color, lw=0.9)
                _band(left, k, e["curve"], e["curve"] - z * e["sem"], e["curve"] + z * e["sem"], color, alpha=0.18)
        left.set_yscale("log")
        left.set_xlabel(r"iteration $k$")
        left.set_ylabel(r"logged loss $f(W_k)/D$")
        left.set_title(f"logged loss, {_pct(level)} bands")
        numeric = figure != "fig4-init"
        present = [s for s in ("analog", "digital", "dynamic3") if data["series"].get(s)]
        fits = _experiment_fits(data, level)
        for i, series in enumerate(present):
            entries = data["series"][series]
            ests = [mean_ci(e[key], level) for e in entries]
            if figure in ("fig4-tau", "fig3") and series == "digital":
                e = ests[0]
                right.axhline(e.mean, color="k", lw=1.0, ls="--")
                right.axhspan(e.low, e.high, color="k", alpha=0.15, lw=0)
                continue
            if numeric:
                xs = _dodge([e["x"] for e in entries], i, len(present))
            else:
                xs = np.arange(len(entries)) + (i - (len(present) - 1) / 2) * 0.15
            if series in fits:
                a0, b = fits[series]
                grid = np.geomspace(min(e["x"] for e in entries), max(e["x"] for e in entries), 50)
                right.plot(grid, np.exp(a0.mean + b.mean * np.log(grid)), color="0.45", lw=0.8, ls="--", zorder=1)
            for x, e, est in zip(xs, entries, ests):
                color = "k" if series == "digital" and len(entries) == 1 else run_colors.get(e["label"], "k")
                _errorbar(right, [x], [est], color=color, ls="none", zorder=3, **_SERIES_MARKERS[series])
        if numeric:
            _log_ticks(right, sorted({float(e["x"]) for e in analog}))
            right.set_xlabel(_X_LABELS.get({"fig1": "alpha", "fig4-sigma": "sigma^2"}.get(figure, "tau")))
        else:
            right.set_xticks(
                np.arange(len(analog)),
                [e["label"] for e in analog],
                fontsize=6,
                rotation=35,
                ha="right",
                rotation_mode="anchor",
            )
            right.set_xlabel("initial point")
            ref = [e for e in analog if e["label"] == "constant 0.01"]
            if ref:
                band, m = tolerance_of("C38").value, mean_ci(ref[0][key], level).mean
                right.axhspan((1 - band) * m, (1 + band) * m, color="0.8", lw=0, zorder=0)
        if numeric:
            right.set_yscale("log")
        else:  # the ends lie within a few percent of each other: a linear axis shows the band
            right.ticklabel_format(axis="y", style="sci", scilimits=(-2, 3), useMathText=True)
        right.set_ylabel(r"$f(W_K)/D$ at $k = K$" if key == "end" else rf"mean of the last {FLOOR_STEPS} $f(W_k)/D$")
        right.set_title(("final" if key == "end" else "asymptotic") + f" error, {_pct(level)} intervals")
        handles = [Line2D([], [], color=run_colors[e["label"]], lw=1.5, label=_math_label(e["label"])) for e in analog]
        for series in present:
            style = dict(_SERIES_MARKERS[series], ls=_SERIES_STYLE[series])
            handles.append(Line2D([], [], color="0.2", ms=4, label=_SERIES_NAMES[series], **style))
        if fits:
            handles.append(
                Line2D([], [], color="0.4", ls="--", lw=0.8, label=r"line fit of $\log$ floor vs $\log\alpha$")
            )
        if not numeric:
            handles.append(
                matplotlib.patches.Patch(
                    color="0.8", label=f"constant 0.01 \u00b1{100 * tolerance_of('C38').value:g}% (C38's band)"
                )
            )
        top.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5 if len(handles) > 6 else 6))
        top.suptitle(
            f"{_FIGURE_TITLES.get(figure, figure)}: {_script_name(script)} on the AIHWKit-faithful tile, "
            f"D = {script.dim}, R = {data['chains']} chains per run"
        )
        paths = _save(fig, path)
    plt.close(fig)
    return paths


# ---------------------------------------------------------------------------------------------
# the makers
# ---------------------------------------------------------------------------------------------


def _complete(results: dict, model: str) -> dict:
    """Fill in what :func:`~verify.claims.registry.run_claim` would: the model and the registered tolerance."""
    for result in results.values():
        result.model = result.model or (EXPERIMENT_MODEL if model == "experiment" else DYNAMIC3_MODEL)
        if result.tolerance is None:
            result.tolerance = _tolerance_record(result)
    return results


def _verdict_lines(results: dict, model: str) -> list[str]:
    lines = []
    for result in results.values():
        lines.append(verdict_sentence(result, model))
        if result.verdict == "refuted" and result.details.get("supports"):
            lines.append(f"  the evidence supports instead: {result.details['supports']}")
    return lines


def _caption(parts: list[str]) -> str:
    return "\n".join(p for p in parts if p)


def _values(rows) -> list[dict]:
    """The non-curve rows (floors, ends, fits, distances) as JSON records without empty cells."""
    return [{k: v for k, v in r.items() if v is not None} for r in rows if r["kind"] != "curve"]


def _figure3(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
    level = _level()
    curves = figure3_curves(source, chains=chains, steps=steps, seed=seed, progress=progress)
    distances = {
        tau: {
            "digital (2)": curve_distance(curves["digital"], curves["pulsed"][tau], level),
            "analog (3)": curve_distance(curves["analog"][tau], curves["pulsed"][tau], level),
        }
        for tau in curves["analog"]
    }
    much = tolerance_of("C35").value
    ratios = ", ".join(
        f"{p['digital (2)'].mean / p['analog (3)'].mean:.3g} at tau = {tau:g}"
        for tau, p in distances.items()
        if p["analog (3)"].mean > 0
    )
    summary = (
        f"How much closer dynamic (3) is to the pulse-level curve than digital SGD (2): d2/d3 = {ratios} (d2, d3: "
        f"mean |log ratio| of their curves to the pulse-level one over k = 1..K; {_pct(level)} intervals in the CSV). "
        f"C35 reads 'much better' as d2/d3 >= {much:g}; its verdict is decided on the experiment model "
        "(python -m verify figure fig3), with this pulse-level stand-in as its second line."
    )
    setting = curves["setting"]
    header = (
        f"fig3 on dynamic (3), {setting.source} settings: digital SGD (2), Analog SGD (3) and the pulse-level "
        f"stand-in, alpha = {curves['alpha']:g}, noise std {curves['noise_std']:g}, {chains} chains, "
        f"K = {curves['steps']} steps"
    )
    caption = _caption([summary])
    stem = os.path.join(out_dir, f"fig3-{source}")
    rows = list(_curve_rows(curves, level))
    paths = {**plot_figure3(curves, stem, level, caption=caption), "csv": _write_csv(rows, stem + ".csv")}
    return {
        "paths": paths,
        "curves": curves,
        "distances": distances,
        "results": {},
        "lines": [header, summary],
        "caption": caption,
        "warnings": [],
        "values": _values(rows),
        "level": level,
    }


def _floor_figure(name: str):
    def make(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
        compute, _ = FLOOR_FIGURES[name]
        level = _level()
        window = FLOOR_WINDOW if steps is None else require_int("steps", steps, low=1)
        data = compute(source, chains=chains, window=window, seed=seed, level=level, progress=progress)
        results = _complete(FLOOR_VERDICTS[name](data, level), "dynamic3")  # {claim id (C1a, C1b, ...): result}
        warning = chain_warning("dynamic3", chains, window, name)
        verdicts = _verdict_lines(results, "dynamic3")
        notes = [note for note in (data["source_note"], data.get("panel_note", "")) if note]
        header = (
            f"{name} on dynamic (3) with Gaussian gradient noise, {data['source_used']} settings: stationary floors "
            f"over a {data['window']}-step window after the burn-in, {chains} chains per run, {_pct(level)} intervals"
        )
        caption = _caption(
            [*(v for v in verdicts if not v.startswith("  ")), warning or "", *(f"Note: {n}." for n in notes)]
        )
        stem = os.path.join(out_dir, name)
        rows = list(_floor_rows(data, level))
        paths = {**plot_floors(data, stem, level, caption=caption), "csv": _write_csv(rows, stem + ".csv")}
        lines = [header]
        lines += notes
        for series, (_, slope) in data.get("fits", {}).items():
            lines.append(
                f"{series}: slope of log floor vs log alpha {slope.mean:.4g} [{slope.low:.4g}, "
                f"{slope.high:.4g}] ({_pct(slope.level)}, weighted line)"
            )
        return _made(paths, data, results, lines + verdicts, caption, warning, rows, level)

    return make


def _made(paths, data, results, lines, caption, warning, rows, level) -> dict:
    """What a figure maker returns (:func:`make_figure`), the warning appended to the printed lines."""
    return {
        "paths": paths,
        "data": data,
        "results": results,
        "lines": [*lines, warning] if warning else lines,
        "caption": caption,
        "warnings": [warning] if warning else [],
        "values": _values(rows),
        "level": level,
    }


def _experiment_figure(name: str):
    def make(out_dir: str, source: str, chains: int, steps: int | None, seed: int, progress) -> dict:
        level = _level()
        data = figure_data(name, chains=chains, seed=seed, steps=steps, progress=progress)
        results = _complete(FIGURE_VERDICTS[name](data, level), "experiment")
        script = data["script"]
        K = data["series"]["analog"][0]["curve"].size - 1
        warning = chain_warning("experiment", chains, K, name)
        verdicts = _verdict_lines(results, "experiment")
        key = _value_key(name)
        what = "the logged loss at k = K" if key == "end" else f"the mean of the last {FLOOR_STEPS} logged losses"
        header = (
            f"{name}: {_script_name(script)} on the AIHWKit-faithful tile, {chains} chains per run, K = {K} steps; "
            f"asymptotic error = {what}, {_pct(level)} intervals"
        )
        caption = _caption([*(v for v in verdicts if not v.startswith("  ")), warning or ""])
        stem = os.path.join(out_dir, name)
        rows = list(_experiment_rows(data, level))
        paths = {**plot_experiment(data, stem, level, caption=caption), "csv": _write_csv(rows, stem + ".csv")}
        lines = [header]
        for series, entries in data["series"].items():
            for e in entries:
                est = mean_ci(e[key], level)
                lines.append(
                    f"  {_SERIES_NAMES[series]:22s} {e['label']:22s} {est.mean:.4g} [{est.low:.4g}, {est.high:.4g}]"
                )
        return _made(paths, data, results, lines + verdicts, caption, warning, rows, level)

    return make


#: model -> figure name -> maker(out_dir, source, chains, steps, seed, progress); for dynamic (3)'s floor
#: figures ``steps`` is the averaging window (default FLOOR_WINDOW), for the experiment model the budget K
FIGURES = {
    "experiment": {name: _experiment_figure(name) for name in SCRIPTS},
    "dynamic3": {"fig3": _figure3, **{name: _floor_figure(name) for name in FLOOR_FIGURES}},
}


def _json_path(path) -> str:
    if not isinstance(path, str) or not path:
        raise ValueError(f"json must be a file path, got {path!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path) or not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise ValueError(f"json: cannot write {path} (not a writable file path)")
    return path


def _write_json(made: dict, path: str, *, name, model, source, chains, steps, seed) -> str:
    """The figure's JSON record in the envelope every command writes (:func:`~verify.reports.records.envelope`):
    ``results`` holds the verdicts (:meth:`~verify.claims.results.ClaimResult.to_json`), ``values`` the plotted
    numbers other than curves (the CSV's rows), with the caption, the printed lines and the warnings."""
    extra = {
        "figure": name,
        "model": model,
        "model_description": EXPERIMENT_MODEL if model == "experiment" else DYNAMIC3_MODEL,
        "source": source if model == "dynamic3" else None,
        "chains": chains,
        "steps": steps,
        "level": made["level"],
        "files": {k: v for k, v in made["paths"].items() if k != "json"},
        "caption": made["caption"],
        "lines": made["lines"],
        "warnings": made["warnings"],
        "values": made["values"],
    }
    if "distances" in made:
        extra["distances"] = {
            f"tau={tau:g}": {
                which: {"value": d.mean, "ci": [d.low, d.high], "sem": d.sem, "level": d.level}
                for which, d in pair.items()
            }
            for tau, pair in made["distances"].items()
        }
    results = [r.to_json() for r in made["results"].values()]
    write_json(path, _jsonable(envelope("figure", results, seed=seed, finished=True, **extra)))
    return path


def make_figure(
    name: str,
    out_dir: str = ".",
    source: str = "paper",
    *,
    model: str = "experiment",
    chains: int | None = None,
    steps: int | None = None,
    seed: int = DEFAULT_SEED,
    progress: bool | None = None,
    json: str | None = None,
) -> dict:
    """Reproduce figure ``name`` into ``out_dir`` (created if missing) on ``model``: the plot as PNG and PDF, the
    plotted numbers as CSV (:data:`CSV_FIELDS`), and with ``json`` (a file path) also the verdicts and the plotted
    numbers other than curves as JSON.

    ``chains`` defaults to :data:`EXPERIMENT_CHAINS` per run on the experiment model, 1000 on dynamic (3);
    ``source`` ("paper" or "code" settings) applies to dynamic (3) only (the experiment model runs the scripts).
    Returns ``{"paths": {"png", "pdf", "csv"[, "json"]}, ...}``: ``data``, ``results`` (the verdicts of the
    figure's claims on the same data, {claim id: result}, at the quick profile's level, with the model and the
    registered tolerance filled in), ``lines`` (a summary to print: the verdicts in words and, when the verdicts
    rest on fewer chains or steps than the ledger's, a line starting with ``warning:``), ``caption``,
    ``warnings`` and ``values``; dynamic (3)'s fig3 returns ``curves`` and ``distances`` instead of ``data`` and
    no verdicts.
    """
    if not isinstance(model, str) or model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {_shown(model)}")
    if not isinstance(name, str) or name not in FIGURES[model]:
        raise ValueError(f"name must be one of {sorted(FIGURES[model])}, got {_shown(name)}")
    if chains is None:
        chains = EXPERIMENT_CHAINS if model == "experiment" else 1000
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {_shown(source)}")
    if steps is not None:
        steps = require_steps("steps", steps)
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {_shown(progress)}")
    if not isinstance(out_dir, str) or not out_dir or "\0" in out_dir:
        raise ValueError(f"out_dir must be a directory path, got {_shown(out_dir)}")
    if json is not None:
        json = _json_path(json)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:
        raise ValueError(f"out_dir: cannot create directory {out_dir}: {err.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise ValueError(f"out_dir: directory {out_dir} is not writable")
    chains = require_int("chains", chains, low=2)
    seed = require_int("seed", seed, low=0, high=SEED_LIMIT)
    made = FIGURES[model][name](out_dir, source, chains, steps, seed, progress)
    if json is not None:
        made["paths"]["json"] = _write_json(
            made, json, name=name, model=model, source=source, chains=chains, steps=steps, seed=seed
        )
    return made
