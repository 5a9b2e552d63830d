r"""One of the paper's least-squares experiments in the toolkit's AIHWKit-faithful tile model and in AIHWKit
itself, side by side (``python -m verify crosscheck NAME``).

For every run (curve) of :data:`verify.experiments.scripts.SCRIPTS` ``[figure]`` the report holds

* the **floors** (the script's asymptotic error, the mean of the last
  :data:`verify.experiments.scripts.FLOOR_STEPS` logged losses): the numpy model's over ``chains`` independent
  chains (:func:`verify.experiments.scripts.run_tile`, numpy ``SeedSequence`` seeds) and AIHWKit's over
  ``seeds`` independent torch seeds (:func:`verify.experiments.aihwkit_backend.run_many`), each a mean with its
  Student-t interval (:func:`verify.sim.stats.mean_ci`);
* their **ratio** model / AIHWKit with a delta-method interval
  (:func:`verify.sim.stats.ratio_of_independent_means`);
* the **curve distance** of the two mean logged-loss curves, the mean ``|log ratio|`` over k = 1..K
  (:func:`verify.experiments.figures.curve_distance`).

:func:`reference_crosscheck` compares the model with the AIHWKit runs committed in ``tests/data``
(``aihwkit_floors.csv``, ``aihwkit_curves.csv``, written by ``tests/data/make_aihwkit_references.py``) instead of
live AIHWKit; the curve distance then runs over the CSV's k grid (k >= 1). Both return the same structure,
which :func:`format_crosscheck` renders. This module measures; it passes no verdict.
"""

from __future__ import annotations

import csv
import math
import time
from pathlib import Path

import numpy as np

from bounds.validation import require_instance, require_int, require_real

from ..claims.verdicts import Tolerance, decide
from ..experiments import aihwkit_backend as backend
from ..experiments.aihwkit_backend import AIHWKitUnavailable
from ..experiments.figures import Curve, curve_distance
from ..experiments.scripts import FLOOR_STEPS, SCRIPTS, Script, _require_tile_work, curve, floors, run_tile
from ..experiments.settings import require_steps
from ..sim.seeds import child_seed, root_seed, seed_record
from ..sim.stats import Estimate, mean_ci, ratio_of_independent_means

__all__ = [
    "AIHWKitUnavailable",
    "FLOOR_TOLERANCE",
    "CURVE_TOLERANCE",
    "VALIDATED_FIGURES",
    "validate",
    "format_validation",
    "REFERENCE_DIR",
    "FLOORS_CSV",
    "CURVES_CSV",
    "crosscheck",
    "reference_crosscheck",
    "format_crosscheck",
]

#: where the committed AIHWKit reference runs live (the repository's tests/data)
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
FLOORS_CSV = "aihwkit_floors.csv"
CURVES_CSV = "aihwkit_curves.csv"
MAKE_REFERENCES = "tests/data/make_aihwkit_references.py"


#: the experiment model matches AIHWKit when, for every run, the ratio of the floors is 1 within this band
#: (equivalence test), fixed before the first comparison
FLOOR_TOLERANCE = Tolerance(
    0.25,
    "the figures are log plots over four or more decades, where 25% is a tenth of a decade, below what they resolve, "
    "and below any effect a claim turns on (C1's slope band 0.25 over the 6.7x range of alphas is a factor 1.6)",
)
#: ... and the mean ``|log ratio|`` of the mean logged-loss curves is at most this (its interval's upper end)
CURVE_TOLERANCE = Tolerance(0.25, "as the floors: a factor e^0.25 = 1.28 on average along the curve", "threshold")
#: the figures whose scripts the model is validated on in the ledger (S1 and S2 are the issue's acceptance)
VALIDATED_FIGURES = ("fig1", "fig3", "fig4-tau", "fig4-sigma", "fig4-init")


_RUN_KEYS = ("label", "model_floor", "aihwkit_floor", "ratio", "curve_distance")


def _require_result(result, name: str = "result") -> dict:
    """``result`` if it has the shape of a :func:`crosscheck` / :func:`reference_crosscheck` result (a TypeError
    naming ``name`` otherwise): a dict with ``figure`` and ``runs``, each run with a label and four Estimates."""
    ok = isinstance(result, dict) and isinstance(result.get("figure"), str) and isinstance(result.get("runs"), list)
    ok = ok and all(isinstance(r, dict) and all(k in r for k in _RUN_KEYS) for r in result["runs"])
    ok = ok and all(isinstance(r[k], Estimate) for r in result["runs"] for k in _RUN_KEYS[1:])
    if not ok:
        shown = repr(result) if len(repr(result)) <= 80 else repr(result)[:77] + "..."
        raise TypeError(
            f"{name} must be a crosscheck() or reference_crosscheck() result (a dict with figure and runs, each run "
            f"with {', '.join(_RUN_KEYS)}), got {shown}"
        )
    return result


def validate(result: dict) -> dict:
    """Verdicts on a :func:`crosscheck` or :func:`reference_crosscheck` result: per run, ``floor`` (the ratio model
    / AIHWKit equal to 1 within :data:`FLOOR_TOLERANCE`, equivalence test at the result's level) and ``curve`` (the
    curve distance's interval below :data:`CURVE_TOLERANCE`); ``verdict`` is confirmed when every one is, refuted
    when one is refuted, else inconclusive."""
    _require_result(result)
    rows, verdicts = [], []
    for r in result["runs"]:
        floor = decide(r["ratio"], 1.0, "equal", tolerance=FLOOR_TOLERANCE)
        shape = decide(r["curve_distance"], CURVE_TOLERANCE.value, "upper")
        rows.append({"label": r["label"], "floor": floor, "curve": shape})
        verdicts += [floor, shape]
    if all(v == "confirmed" for v in verdicts):
        overall = "confirmed"
    elif "refuted" in verdicts:
        overall = "refuted"
    else:
        overall = "inconclusive"
    return {"figure": result["figure"], "verdict": overall, "runs": rows}


def format_validation(results: list[dict]) -> str:
    """The ledger's validation section: per figure and run, the floors, their ratio and the curve distance with
    the verdicts against :data:`FLOOR_TOLERANCE` and :data:`CURVE_TOLERANCE`."""
    if not isinstance(results, (list, tuple)):
        raise TypeError(f"results must be a list of crosscheck results, got {results!r}"[:200])
    for result in results:
        _require_result(result, "results")
        if not isinstance(result.get("script"), str):
            raise TypeError("results must be crosscheck results, each with its script's name")
    out = [
        "## Validation of the experiment model against AIHWKit",
        "",
        "The experimental claims (C1, C35-C38, P4, P5) are decided on the AIHWKit-faithful tile model",
        "(`verify/experiments/tile.py`), compared here with AIHWKit 1.1.0 runs of the same scripts committed in",
        "`tests/data/` (`tests/data/make_aihwkit_references.py`; `python -m verify crosscheck NAME` reruns AIHWKit",
        f"live). The model matches when every floor ratio is 1 within {FLOOR_TOLERANCE.value:g} (equivalence test: "
        f"{FLOOR_TOLERANCE.reason}) and every curve distance (mean |log ratio| of the mean logged-loss curves) is",
        f"at most {CURVE_TOLERANCE.value:g}. Intervals at the ledger's per-claim level; the model's side is the runs",
        "the claims were decided on (the quick profile's 8 chains per run leave some intervals too wide to decide:",
        "`python -m pytest -m slow tests/test_experiment_validation.py` decides S2 and Figure 4 with 32-64 chains).",
        "",
        "| figure | run | floor, model | floor, AIHWKit | model / AIHWKit | floor verdict | curve distance | curve "
        "verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        verdicts = {v["label"]: v for v in validate(result)["runs"]}
        for r in result["runs"]:
            v = verdicts[r["label"]]
            out.append(
                f"| {result['figure']} ({result['script']}) | {r['label']} | {_estimate(r['model_floor'])} | "
                f"{_estimate(r['aihwkit_floor'])} | {_estimate(r['ratio'])} | {v['floor']} | "
                f"{_estimate(r['curve_distance'])} | {v['curve']} |"
            )
    summary = ", ".join(f"{r['figure']} {validate(r)['verdict']}" for r in results)
    out += ["", f"Overall: {summary}.", ""]
    return "\n".join(out)


def _script(figure) -> Script:
    if not isinstance(figure, str) or figure not in SCRIPTS:
        raise ValueError(f"figure must be one of {sorted(SCRIPTS)}, got {figure!r}")
    return SCRIPTS[figure]()


def _model_runs(script: Script, chains: int, seed, steps, progress, grid=None) -> tuple[list, dict]:
    """Per run: the numpy model's floor estimate, its mean curve (on ``grid`` if given) and the seconds taken."""
    root = root_seed(seed)
    out = []
    for i, run in enumerate(script.runs):
        result = run_tile(script, run, chains=chains, seed=child_seed(root, i), steps=steps, progress=progress)
        mean, sem = curve(result, script)
        if grid is not None:
            mean, sem = mean[grid], sem[grid]
        out.append((floors(result, script), Curve("numpy tile model", run.tile.tau, mean, sem, chains), result.seconds))
    return out, {"kind": "numpy tile model", "chains": chains, "seed": seed_record(root)}


def _row(run, model_floors, model_curve: Curve, aihwkit_floors, aihwkit_curve: Curve, level: float) -> dict:
    model = mean_ci(model_floors, level)
    aihwkit = mean_ci(aihwkit_floors, level)
    return {
        "label": run.label,
        "x": run.x,
        "tau": run.tile.tau,
        "lr": run.lr,
        "model_floor": model,
        "aihwkit_floor": aihwkit,
        "ratio": ratio_of_independent_means(model, aihwkit, level),
        "curve_distance": curve_distance(model_curve, aihwkit_curve, level),
    }


def _common(figure, chains, seed, level, progress, steps=None):
    script = _script(figure)
    chains = require_int("chains", chains, low=2)
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    root_seed(seed)  # validates
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {progress!r}")
    steps = script.steps if steps is None else require_steps("steps", steps)
    _require_tile_work(script, chains, steps)
    return script, chains, level, steps


def crosscheck(
    figure: str, *, seeds: int = 8, chains: int = 64, seed=0, steps=None, progress=None, level: float = 0.95
) -> dict:
    """``figure``'s runs on the numpy tile model (``chains`` chains from numpy seed ``seed``) and in AIHWKit
    (torch seeds 0..seeds-1), compared (module doc). Raises :class:`AIHWKitUnavailable` (message:
    :func:`verify.experiments.aihwkit_backend.unavailable_reason`) when AIHWKit is not installed."""
    script, chains, level, steps = _common(figure, chains, seed, level, progress, steps)
    seeds = require_int("seeds", seeds, low=2, high=10**4, reason="each seed is a full AIHWKit training run")
    if not backend.available():
        raise AIHWKitUnavailable(backend.unavailable_reason())
    start = time.perf_counter()
    model_runs, model_info = _model_runs(script, chains, seed, steps, progress)
    rows = []
    for run, (model_floors, model_curve, _) in zip(script.runs, model_runs):
        logged = backend.run_many(script, run, range(seeds), steps=steps, progress=progress)
        tail = logged[:, max(0, steps + 1 - FLOOR_STEPS) :]
        sem = logged.std(axis=0, ddof=1) / math.sqrt(seeds)
        aihwkit_curve = Curve("AIHWKit", run.tile.tau, logged.mean(axis=0), sem, seeds)
        rows.append(_row(run, model_floors, model_curve, tail.mean(axis=1), aihwkit_curve, level))
    return {
        "figure": script.figure,
        "script": script.script,
        "source": "aihwkit",
        "steps": steps,
        "level": level,
        "model": model_info,
        "aihwkit": {"kind": "AIHWKit (live)", "seeds": seeds, "versions": backend.versions()},
        "k": np.arange(steps + 1),
        "runs": rows,
        "seconds": time.perf_counter() - start,
    }


def _read_csv(path: Path) -> tuple[str, list[dict]]:
    """The comment lines (joined) and the rows of a reference CSV."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: regenerate it with {MAKE_REFERENCES} (AIHWKit needed)")
    with path.open(newline="") as f:
        lines = f.read().splitlines()
    comments = [line.lstrip("# ").rstrip() for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if line and not line.startswith("#")))
    return " | ".join(comments), rows


def reference_crosscheck(
    figure: str, *, chains: int = 64, seed=0, progress=None, level: float = 0.95, directory=None, data=None
) -> dict:
    """As :func:`crosscheck`, with AIHWKit's side read from the committed reference runs (``directory``, default
    :data:`REFERENCE_DIR`): floors per torch seed from ``aihwkit_floors.csv``, the mean curve with its standard
    error (std/sqrt(seeds)) from ``aihwkit_curves.csv``; the curve distance runs over the CSV's k grid. ``data``:
    the model's runs already made (:func:`verify.experiments.scripts.figure_data` of ``figure``, e.g. the claim
    checks'), used instead of new runs."""
    script, chains, level, _ = _common(figure, chains, seed, level, progress)
    if directory is not None and (not isinstance(directory, (str, Path)) or not str(directory)):
        raise TypeError(f"directory must be a folder path (str) or None, got {directory!r}")
    directory = REFERENCE_DIR if directory is None else Path(directory)
    if not directory.is_dir():
        raise ValueError(f"directory {str(directory)!r} is not a folder holding {FLOORS_CSV} and {CURVES_CSV}")
    try:
        floor_header, floor_rows = _read_csv(directory / FLOORS_CSV)
        curve_header, curve_rows = _read_csv(directory / CURVES_CSV)
    except FileNotFoundError as err:
        raise ValueError(f"directory: {err}") from None
    floor_rows = [r for r in floor_rows if r["figure"] == script.figure]
    curve_rows = [r for r in curve_rows if r["figure"] == script.figure]
    start = time.perf_counter()
    per_run = {}
    for run in script.runs:
        fl = np.array([float(r["floor"]) for r in floor_rows if r["run"] == run.label])
        cr = sorted(
            (int(r["k"]), float(r["mean"]), float(r["std"]), int(r["seeds"]))
            for r in curve_rows
            if r["run"] == run.label
        )
        if fl.size < 2 or not cr or not np.all(np.isfinite(fl)):
            raise ValueError(
                f"the reference CSVs in {directory} lack {script.figure} {run.label!r}: regenerate them "
                f"with {MAKE_REFERENCES}"
            )
        per_run[run.label] = (fl, cr)
    grid = np.array([k for k, *_ in next(iter(per_run.values()))[1]])
    if grid[0] != 0 or grid[-1] != script.steps:
        raise ValueError(
            f"the reference curves of {script.figure} must run from k = 0 to K = {script.steps}, "
            f"got k = {grid[0]}..{grid[-1]}"
        )
    if data is None:
        model_runs, model_info = _model_runs(script, chains, seed, None, progress, grid=grid)
    else:
        model_runs, model_info = _given_runs(data, script, grid)
    rows = []
    for run, (model_floors, model_curve, _) in zip(script.runs, model_runs):
        fl, cr = per_run[run.label]
        ks = np.array([k for k, *_ in cr])
        if not np.array_equal(ks, grid):
            raise ValueError(f"the reference curves of {script.figure} must share one k grid ({run.label!r} differs)")
        mean = np.array([m for _, m, _, _ in cr])
        sem = np.array([s / math.sqrt(n) for _, _, s, n in cr])
        aihwkit_curve = Curve("AIHWKit (reference CSV)", run.tile.tau, mean, sem, int(cr[0][3]))
        rows.append(_row(run, model_floors, model_curve, fl, aihwkit_curve, level))
    return {
        "figure": script.figure,
        "script": script.script,
        "source": "reference",
        "steps": script.steps,
        "level": level,
        "model": model_info,
        "aihwkit": {
            "kind": "AIHWKit (reference CSV)",
            "seeds": int(min(r["aihwkit_floor"].n for r in rows)),
            "files": [str(directory / FLOORS_CSV), str(directory / CURVES_CSV)],
            "header": floor_header or curve_header,
        },
        "k": grid,
        "runs": rows,
        "seconds": time.perf_counter() - start,
    }


def _given_runs(data, script: Script, grid) -> tuple[list, dict]:
    """The model's side from ``data`` (:func:`verify.experiments.scripts.figure_data` of the script's figure), or a
    TypeError naming ``data``."""
    try:
        if data["figure"] != script.figure:
            raise ValueError(f"it holds figure {data['figure']!r}, not {script.figure!r}")
        entries = data["series"]["analog"]
        if len(entries) != len(script.runs):
            raise ValueError(f"it has {len(entries)} analog runs, the script {len(script.runs)}")
        runs = [
            (
                require_instance("data", e["floor"], np.ndarray),
                Curve("numpy tile model", run.tile.tau, e["curve"][grid], e["sem"][grid], e["chains"]),
                e["seconds"],
            )
            for run, e in zip(script.runs, entries)
        ]
        info = {"kind": "numpy tile model", "chains": data["chains"], "seed": data["seed"]}
    except (KeyError, TypeError, IndexError, AttributeError, ValueError) as err:
        raise TypeError(
            f"data must be figure_data({script.figure!r})'s result (None: new runs): {type(err).__name__}: {err}"
        ) from None
    return runs, info


def _estimate(e: Estimate) -> str:
    return f"{e.mean:.4g} [{e.low:.4g}, {e.high:.4g}]"


def format_crosscheck(result: dict) -> str:
    """A plain-text table: per run, both floors with their intervals, the ratio model/AIHWKit and the curve
    distance (mean ``|log ratio|`` of the mean curves over k >= 1)."""
    _require_result(result)
    level = result.get("level", 0.95)
    if not isinstance(level, float) or not 0 < level < 1:
        raise TypeError(f"result must hold its interval level in (0, 1), got {level!r}")
    if not isinstance(result.get("model", {}), dict) or not isinstance(result.get("aihwkit", {}), dict):
        raise TypeError("result must hold dicts under model and aihwkit")
    model = result.get("model", {})
    aihwkit = result.get("aihwkit", {})
    title = (
        f"crosscheck {result.get('figure', '?')} (script {result.get('script', '?')}, K = {result.get('steps', '?')}): "
        f"numpy tile model, {model.get('chains', '?')} chains, vs {aihwkit.get('kind', 'AIHWKit')}, "
        f"{aihwkit.get('seeds', '?')} seeds; {100 * level:g}% intervals"
    )
    columns = ["run", "floor, numpy model", "floor, AIHWKit", "model / AIHWKit", "curve distance"]
    table = [columns]
    for r in result["runs"]:
        table.append(
            [
                str(r["label"]),
                _estimate(r["model_floor"]),
                _estimate(r["aihwkit_floor"]),
                _estimate(r["ratio"]),
                _estimate(r["curve_distance"]),
            ]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    lines = [title, ""]
    for n, row in enumerate(table):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(
        f"floor: mean of the last {FLOOR_STEPS} logged losses; curve distance: mean |log(model/AIHWKit)| of the mean "
        "logged-loss curves over k >= 1"
        + (" (on the reference CSV's k grid)" if result.get("source") == "reference" else "")
    )
    if aihwkit.get("header"):
        lines.append(f"reference: {aihwkit['header']}")
    return "\n".join(lines)
