r"""``python -m verify sweep``: :func:`~verify.reports.compare.compare` over a grid of parameters, here or on a Dask
cluster, as one labelled dataset (xarray, written as netCDF).

A sweep (:class:`Sweep`) is its axes (parameter -> values; the grid is every combination), its fixed parameters and
its root seed; the parameters are compare's (:data:`verify.reports.compare.PARAMETERS`), and every value and every
point is checked up front as compare checks it. It is read from a TOML file (:func:`load_sweep`)::

    seed = 20241212                 # optional, the root seed (default 20241212)
    [axes]
    algorithm = ["analog-sgd", "tiki-taka"]
    tau = [0.5, 1.0, 2.0]
    [fixed]
    problem = "scalar"
    steps = 2000
    chains = 500

or from the command line (``--axis tau=0.5,1,2 --set steps=2000``).

**Seeds.** A point's seed derives from the point alone: ``SeedSequence(seed, spawn_key=(k,))`` with ``k`` the first
64 bits of the SHA-256 of the point's canonical JSON (all of compare's parameters, defaults filled in, normalised by
:func:`~verify.reports.compare.validate_parameters`). It depends neither on the worker nor on the point's place in
the grid: adding a value to an axis leaves every other point's seed, and result, as it was.

**Resuming.** Each finished point is written at once, atomically, to ``OUT.parts/<k as 16 hex digits>.json``; a
rerun with the same ``OUT`` loads the parts of its points (refusing one of another root seed) and computes only the
missing ones. A point that fails (compare refuses the combination, or the run diverges) is kept too, with why.

**The dataset** has one dimension per axis (coordinates: the axis values, in the given order) and per point:
``floor``, ``floor_low``, ``floor_high`` and ``avg_grad_sq`` (the same with ``_low``/``_high``): compare's measured
floor and average with their intervals; ``predicted_floor``; ``floor_bound`` (the smallest applicable bound on the
floor) with its ``floor_bound_name`` and ``floor_bound_verdict``; ``floor_over_bound``, ``floor_over_predicted``;
``alpha_run``, ``beta_run`` (the step sizes used, defaults resolved); ``seconds``; ``bounds`` (every bound row, as
JSON text); ``parameters`` (the point's canonical JSON); ``seed_spawn_key`` (k, in decimal). A NaN is never silent:
``status`` (``ok`` or ``failed: why``) explains the measured values, ``floor_bound_status`` the bound's and its
ratio's, ``predicted_status`` the prediction's and its ratio's (the attribute ``nan_explained_by`` maps them). The
attributes hold the description (JSON), the root seed and the seed rule, tool, version, git commit, the versions of
numpy, scipy, xarray, dask and numba, and the start and finish times. ``xarray.open_dataset(OUT).to_dataframe()``
gives one row per point.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import os
import time
from collections.abc import Callable

import numpy as np
import tomllib

from bounds.validation import SEED_LIMIT, require_int

from ..claims.profiles import DEFAULT_SEED
from ..sim._limits import short
from .cluster import distribute, require_scheduler, require_workers
from .compare import DEFAULTS, PARAMETERS, check_parameters, compare, validate_parameters
from .records import TOOL, _now, git_commit, require_path, save_figure, write_file, write_json

__all__ = [
    "MAX_POINTS",
    "Sweep",
    "SweepInterrupted",
    "load_sweep",
    "parse_assignment",
    "run_sweep",
    "plot_sweep",
]

#: the most points of one sweep
MAX_POINTS = 10_000
_POINTS_REASON = "each point is one Monte Carlo run and one file in OUT.parts; split a larger grid into several sweeps"
#: the version of the part files' layout
PART_FORMAT = 1
_NUMBERS = (
    ("floor", ("measured", "floor")),
    ("avg_grad_sq", ("measured", "avg_grad_sq")),
)
#: which status variable explains a NaN of each numeric variable
NAN_EXPLAINED_BY = {
    **{f"{q}{side}": "status" for q, _ in _NUMBERS for side in ("", "_low", "_high")},
    "alpha_run": "status",
    "beta_run": "status; also NaN for every algorithm but tiki-taka, which alone has a beta",
    "seconds": "status",
    "floor_bound": "floor_bound_status",
    "floor_over_bound": "floor_bound_status",
    "predicted_floor": "predicted_status",
    "floor_over_predicted": "predicted_status",
}


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep, after its finished points were saved; the message says how many and how to resume."""


def _canonical(point: dict) -> str:
    """The point's canonical JSON: every compare parameter (defaults filled in), normalised, keys sorted."""
    return json.dumps({**DEFAULTS, **point}, sort_keys=True, separators=(",", ":"))


def _spawn_key(canonical: str) -> int:
    """k: the first 64 bits of the SHA-256 of the canonical JSON."""
    return int(hashlib.sha256(canonical.encode()).hexdigest()[:16], 16)


def _kind(name: str):
    """The type of a parameter's values, from compare's default (None: a real with a computed default)."""
    default = DEFAULTS[name]
    return float if default is None else type(default)


def _value(name: str, text: str):
    """A command-line value of parameter ``name`` as its kind (``default`` or ``none``: None for alpha and beta)."""
    kind = _kind(name)
    if DEFAULTS[name] is None and text.strip().lower() in ("default", "none"):
        return None
    if kind is str:
        return text.strip()
    try:
        return kind(text)
    except ValueError:
        return text  # compare's check says what is allowed and what it got


def _require_name(where: str, name) -> str:
    if not isinstance(name, str) or name not in PARAMETERS:
        raise ValueError(
            f"{where}: {short(name)} is not a sweep parameter (one of {', '.join(PARAMETERS)}; the point seeds "
            "derive from the sweep's seed)"
        )
    return name


def _checked_value(where: str, name: str, value):
    """``value`` of parameter ``name`` checked alone and normalised (a ValueError naming ``where`` and ``name``)."""
    if isinstance(value, (list, tuple, dict, set)):
        raise ValueError(f"{where}: {name} must be one value, got {short(value)}")
    try:
        return check_parameters(**{name: value})[name]
    except (ValueError, TypeError) as err:
        raise ValueError(f"{where}: {err}") from None


@dataclasses.dataclass(frozen=True)
class Sweep:
    """A grid of :func:`~verify.reports.compare.compare` runs: ``axes`` (a dict, or pairs, of parameter -> list of
    values, in the order the dataset's dimensions take), ``fixed`` (parameter -> value) and ``seed`` (the root entropy,
    an int in [0, 2**128 - 1]). Every name, every value and every point of the grid is checked on construction (a
    ValueError naming ``axes`` or ``fixed`` and the parameter), and the grid has at most :data:`MAX_POINTS` points."""

    axes: tuple
    fixed: dict
    seed: int = DEFAULT_SEED

    def __post_init__(self):
        axes, fixed = self.axes, self.fixed
        if isinstance(axes, dict):
            axes = tuple(axes.items())
        if not isinstance(axes, (list, tuple)) or not all(isinstance(a, (list, tuple)) and len(a) == 2 for a in axes):
            raise TypeError(f"axes must be a dict (or pairs) of parameter -> list of values, got {short(self.axes)}")
        if not isinstance(fixed, dict):
            raise TypeError(f"fixed must be a dict of parameter -> value, got {short(fixed)}")
        normal = []
        for name, values in axes:
            name = _require_name("axes", name)
            if not isinstance(values, (list, tuple)) or not values:
                raise ValueError(f"axes: {name} must have a non-empty list of values, got {short(values)}")
            if len(values) > MAX_POINTS:
                raise ValueError(f"axes: {name} has {len(values)} values > {MAX_POINTS} ({_POINTS_REASON})")
            if DEFAULTS[name] is None and any(v is None for v in values):
                raise ValueError(f"axes: {name} values must be numbers (leave {name} out for its default)")
            checked = tuple(_checked_value("axes", name, v) for v in values)
            if len(set(checked)) != len(checked):
                raise ValueError(f"axes: {name} lists a value twice: {short(list(values))}")
            normal.append((name, checked))
        names = [name for name, _ in normal]
        if len(set(names)) != len(names):
            raise ValueError(f"axes: a parameter is listed twice: {', '.join(names)}")
        fixed = {_require_name("fixed", n): _checked_value("fixed", n, v) for n, v in fixed.items()}
        both = sorted(set(names) & set(fixed))
        if both:
            raise ValueError(f"fixed: {', '.join(both)} is also an axis; set it in one place")
        seed = require_int("seed", self.seed, low=0, high=SEED_LIMIT)
        count = math.prod(len(values) for _, values in normal)
        if count > MAX_POINTS:
            raise ValueError(
                f"axes: the grid has {count} points > {MAX_POINTS} ({_POINTS_REASON}): "
                + " x ".join(f"{len(v)} {n}" for n, v in normal)
            )
        object.__setattr__(self, "axes", tuple(normal))
        object.__setattr__(self, "fixed", fixed)
        object.__setattr__(self, "seed", seed)
        for point in self.points():  # the checks of compare that need the parameters together
            try:
                validate_parameters(**point)
            except (ValueError, TypeError) as err:
                where = ", ".join(f"{n}={point[n]!r}" for n in names)
                raise ValueError(f"axes: {err} (at the point {where})" if where else f"fixed: {err}") from None

    def points(self) -> list[dict]:
        """Every point's parameters (the fixed ones and one value of each axis), the last axis varying fastest."""
        names = [name for name, _ in self.axes]
        return [
            {**self.fixed, **dict(zip(names, values))}
            for values in itertools.product(*(values for _, values in self.axes))
        ]

    def description(self) -> dict:
        """The sweep as JSON-ready data: axes (in order), fixed parameters, root seed."""
        return {"axes": {name: list(values) for name, values in self.axes}, "fixed": self.fixed, "seed": self.seed}


def parse_assignment(text: str, *, axis: bool) -> tuple:
    """``NAME=V1,V2,...`` (``axis=True``: a name and a tuple of values) or ``NAME=V`` (a name and one value), each
    value as its parameter's kind and checked alone (a ValueError naming ``text`` and the parameter otherwise).

    >>> parse_assignment("tau=0.5,1", axis=True), parse_assignment("algorithm=tiki-taka", axis=False)
    (('tau', (0.5, 1.0)), ('algorithm', 'tiki-taka'))
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str NAME=VALUE, got {short(text)}")
    if not isinstance(axis, bool):
        raise TypeError(f"axis must be True or False, got {short(axis)}")
    name, sign, values = text.partition("=")
    shape = "NAME=V1,V2,..." if axis else "NAME=VALUE"
    if not sign or not name.strip():
        raise ValueError(f"text must be {shape}, got {short(text)}")
    name = _require_name("text", name.strip())
    parts = values.split(",") if axis else [values]
    if any(not p.strip() for p in parts):
        raise ValueError(f"text: {name} needs {'values, comma-separated' if axis else 'a value'}, got {short(text)}")
    checked = tuple(_checked_value("text", name, _value(name, p)) for p in parts)
    return (name, checked) if axis else (name, checked[0])


def load_sweep(path=None, *, axes=None, fixed=None, seed=None) -> Sweep:
    """The :class:`Sweep` of the TOML file ``path`` (module docstring: an optional ``seed``, tables ``[axes]`` and
    ``[fixed]``; None: no file), with ``axes`` (a dict or pairs), ``fixed`` (a dict) and ``seed`` given here replacing
    the file's, parameter by parameter: a parameter given here as an axis leaves the file's fixed ones and the other
    way round; an axis given here comes after the file's axes."""
    file_axes, file_fixed, file_seed = {}, {}, DEFAULT_SEED
    if path is not None:
        path = _toml(path)
        file_axes, file_fixed, file_seed = path.get("axes", {}), path.get("fixed", {}), path.get("seed", DEFAULT_SEED)
        if not isinstance(file_axes, dict) or not isinstance(file_fixed, dict):
            raise ValueError("path: [axes] and [fixed] must be tables of parameter = value(s)")
    axes = dict(axes or {}) if isinstance(axes, (dict, type(None))) else _pairs("axes", axes)
    if not isinstance(fixed, (dict, type(None))):
        raise TypeError(f"fixed must be a dict of parameter -> value or None, got {short(fixed)}")
    fixed = dict(fixed or {})
    merged_axes = {n: v for n, v in file_axes.items() if n not in fixed and n not in axes} | axes
    merged_fixed = {n: v for n, v in file_fixed.items() if n not in axes and n not in fixed} | fixed
    return Sweep(merged_axes, merged_fixed, file_seed if seed is None else seed)


def _pairs(name: str, value) -> dict:
    if not isinstance(value, (list, tuple)) or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in value):
        raise TypeError(f"{name} must be a dict (or pairs) of parameter -> values, or None, got {short(value)}")
    found = dict(value)
    if len(found) != len(value):
        raise ValueError(f"{name}: a parameter is listed twice")
    return found


def _toml(path) -> dict:
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes) or not os.fspath(path):
        raise TypeError(f"path must be a TOML file's path (str), got {short(path)}")
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise ValueError(f"path: cannot read {os.fspath(path)!r}: {err.strerror or err}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"path: {os.fspath(path)!r} is not valid TOML: {err}") from None
    unknown = sorted(set(data) - {"axes", "fixed", "seed"})
    if unknown:
        raise ValueError(f"path: unknown key(s) {', '.join(unknown)} in {os.fspath(path)!r} (seed, [axes], [fixed])")
    return data


# ---------------------------------------------------------------------------------------------------------------
# one point
# ---------------------------------------------------------------------------------------------------------------


def _run_point(point: dict, entropy: int, key: int) -> dict:
    """One point's compare run (the task a worker runs), summarised as JSON-ready data (None where not measured)."""
    started = time.perf_counter()
    try:
        report = compare(**point, seed=np.random.SeedSequence(entropy, spawn_key=(key,)), progress=False)
    except ValueError as err:  # compare refuses what it cannot run: a diverging combination, say
        return {"status": f"failed: {err}", "seconds": time.perf_counter() - started}
    return json.loads(json.dumps(_summary(report)))  # exactly what a part file gives back


def _summary(report: dict) -> dict:
    measured, parameters = report["measured"], report["parameters"]
    out = {"status": "ok", "seconds": report["seconds"]}
    for name, (group, key) in _NUMBERS:
        e = report[group][key]
        out.update({name: e.mean, f"{name}_low": e.low, f"{name}_high": e.high})
    out["alpha_run"], out["beta_run"] = parameters["alpha"], parameters["beta"]
    floor = out["floor"]
    rows = [r for r in report["bounds"] if r["quantity"] == "floor"]
    usable = [r for r in rows if r["applicable"] and r["value"] is not None and r["value"] > 0]
    if usable:
        best = min(usable, key=lambda r: r["value"])
        out.update(
            floor_bound=best["value"],
            floor_bound_name=best["bound"],
            floor_bound_status=best["status"],
            floor_bound_verdict=best["verdict"],
            floor_over_bound=floor / best["value"],
        )
    else:
        why = "; ".join(f"{r['bound']}: {r['status']}" for r in rows) or measured.get(
            "theorem3", f"compare gives no bound on the floor of {parameters['algorithm']}"
        )
        out.update(floor_bound_status=f"no applicable floor bound: {why}", floor_bound_name="", floor_bound_verdict="")
    predicted = measured.get("predicted_floor")
    if predicted is None:
        out["predicted_status"] = (
            f"no prediction: compare predicts Analog SGD's floor only, not {parameters['algorithm']}'s"
        )
    elif predicted["value"] is None or not predicted["value"] > 0:
        out["predicted_status"] = f"no prediction: {predicted['verdict']}"
    else:
        out.update(
            predicted_floor=predicted["value"],
            predicted_status=f"{predicted['status']}; {predicted['verdict']}",
            floor_over_predicted=floor / predicted["value"],
        )
    out["bounds"] = [
        {k: r[k] for k in ("quantity", "bound", "value", "status", "verdict", "note")} for r in report["bounds"]
    ]
    return out


# ---------------------------------------------------------------------------------------------------------------
# the run: parts, distribution, the dataset
# ---------------------------------------------------------------------------------------------------------------


def _part(folder: str, key: int) -> str:
    return os.path.join(folder, f"{key:016x}.json")


def _read_part(path: str, canonical: str, seed: int) -> dict | None:
    """The result kept in ``path`` for this point and root seed; None if there is none; a ValueError naming ``out``
    for a part that is not this sweep's."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise ValueError(f"out: cannot read the part {path}: {err}; delete it to compute that point again") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL or data.get("format") != PART_FORMAT:
        raise ValueError(
            f"out: {path} is not a part of an {TOOL} sweep (format {PART_FORMAT}); delete it or use another out"
        )
    theirs = data.get("seed", {}).get("entropy")
    if theirs != seed:
        raise ValueError(
            f"out: the parts in {os.path.dirname(path)} belong to a sweep of root seed {theirs}, this one has {seed}; "
            "rerun with that seed or write to another out"
        )
    if json.dumps(data.get("point"), sort_keys=True, separators=(",", ":")) != canonical:
        raise ValueError(f"out: the part {path} holds another point; delete it or write to another out")
    return data["result"]


def _versions() -> dict:
    import importlib.metadata

    found = {}
    for package in ("numpy", "scipy", "xarray", "pandas", "dask", "distributed", "numba"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def run_sweep(
    sweep: Sweep,
    out,
    *,
    scheduler: str = "local",
    workers: int | None = None,
    progress: bool | None = None,
    on_point: Callable | None = None,
    report: Callable | None = None,
):
    """Run ``sweep``'s points not yet in ``out``'s parts folder (``OUT.parts``), on ``scheduler``
    (:mod:`verify.reports.cluster`: ``"local"``, ``"serial"`` or a Dask scheduler's address; ``workers``: the local
    cluster's processes, default one per core), save each as it finishes, then write the dataset (module docstring)
    to ``out`` as netCDF, atomically, and return it (an ``xarray.Dataset``).

    ``on_point(parameters, result)`` is called here after each new point is saved (a KeyboardInterrupt from it acts
    as Ctrl-C); ``report(line)`` gets a line saying how many points were already done (default: nothing printed).
    Ctrl-C raises :class:`SweepInterrupted`, whose message counts the points kept; the same call again resumes.
    A script that runs a sweep on ``"local"`` must do it under ``if __name__ == "__main__":`` (the local cluster's
    worker processes import the script, as any Python multiprocessing does).
    """
    from ..sim.progress import ProgressBar

    if not isinstance(sweep, Sweep):
        raise TypeError(f"sweep must be a Sweep (load_sweep(...)), got {short(sweep)}")
    out = require_path("out", out)
    scheduler, workers = require_scheduler(scheduler), require_workers(workers)
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {short(progress)}")
    for name, hook in (("on_point", on_point), ("report", report)):
        if hook is not None and not callable(hook):
            raise TypeError(f"{name} must be a function or None, got {short(hook)}")
    started = _now()
    folder = out + ".parts"
    points = sweep.points()
    canon = [_canonical(p) for p in points]  # the points are normalised (Sweep)
    keys = [_spawn_key(c) for c in canon]
    if len(set(keys)) != len(keys):  # two points of one grid would share a seed (2**-64 per pair)
        raise ValueError("sweep: two points hash to one seed; change a value slightly")
    results = [None] * len(points)
    if os.path.isdir(folder):
        results = [_read_part(_part(folder, k), c, sweep.seed) for k, c in zip(keys, canon)]
    else:
        try:
            os.mkdir(folder)
        except OSError as err:
            raise ValueError(f"out: cannot make the parts folder {folder}: {err.strerror or err}") from None
    todo = [i for i, r in enumerate(results) if r is None]
    if report is not None and len(todo) < len(points):
        report(f"resuming from {folder}: {len(points) - len(todo)} of {len(points)} points already done")

    with ProgressBar(len(todo), "sweep", "point", enabled=progress) as bar:

        def save(index: int, result: dict) -> None:
            i = todo[index]
            part = {
                "tool": TOOL,
                "format": PART_FORMAT,
                "point": json.loads(canon[i]),
                "seed": {"entropy": sweep.seed, "spawn_key": [keys[i]]},
                "finished": _now(),
                "result": result,
            }
            write_json(_part(folder, keys[i]), part)
            results[i] = result
            bar.advance(1)
            if on_point is not None:
                on_point(points[i], result)

        try:
            distribute(
                _run_point,
                [(points[i], sweep.seed, keys[i]) for i in todo],
                save,
                scheduler=scheduler,
                workers=workers,
            )
        except KeyboardInterrupt:
            kept = sum(r is not None for r in results)
            raise SweepInterrupted(
                f"interrupted: {kept} of {len(points)} points kept in {folder}; run the same sweep with the same "
                f"out again to compute the other {len(points) - kept}"
            ) from None
    attrs = {
        "title": "aimc-verify sweep: compare over a grid",
        "description": json.dumps(sweep.description()),
        "seed_entropy": str(sweep.seed),
        "seed_rule": (
            "point seed = numpy.random.SeedSequence(seed_entropy, spawn_key=(k,)), k = int(sha256(canonical point "
            "JSON, the variable parameters)[:16 hex digits], 16), the variable seed_spawn_key"
        ),
        "tool": TOOL,
        "version": _tool_version(),
        "git_commit": git_commit() or "",
        "packages": json.dumps(_versions()),
        "scheduler": scheduler,
        "workers": "" if workers is None else str(workers),
        "started": started,
        "finished": _now(),
        "points": len(points),
        "nan_explained_by": json.dumps(NAN_EXPLAINED_BY),
    }
    dataset = _dataset(sweep, results, canon, keys, attrs)
    write_file(out, lambda temp: _encoded(dataset).to_netcdf(temp, engine="scipy", format="NETCDF3_64BIT"), name="out")
    return dataset


def _tool_version() -> str:
    from .. import __version__

    return __version__


_TEXT = ("status", "floor_bound_name", "floor_bound_status", "floor_bound_verdict", "predicted_status")


def _dataset(sweep: Sweep, results: list, canon: list, keys: list, attrs: dict):
    import xarray as xr

    dims = [name for name, _ in sweep.axes]
    shape = tuple(len(values) for _, values in sweep.axes)
    numeric = [f"{q}{side}" for q, _ in _NUMBERS for side in ("", "_low", "_high")]
    numeric += ["predicted_floor", "floor_bound", "floor_over_bound", "floor_over_predicted", "alpha_run"]
    numeric += ["beta_run", "seconds"]
    variables = {}
    for name in numeric:
        values = [r.get(name) for r in results]
        variables[name] = np.array([math.nan if v is None else float(v) for v in values], dtype=float)
    failed = {"floor_bound_status": "not run (see status)", "predicted_status": "not run (see status)"}
    for name in _TEXT:
        variables[name] = np.array([r.get(name, failed.get(name, "")) for r in results], dtype=object)
    variables["bounds"] = np.array([json.dumps(r.get("bounds", [])) for r in results], dtype=object)
    variables["parameters"] = np.array(canon, dtype=object)
    variables["seed_spawn_key"] = np.array([str(k) for k in keys], dtype=object)
    coords = {
        name: np.array(values, dtype=object if isinstance(values[0], str) else None) for name, values in sweep.axes
    }
    return xr.Dataset(
        {name: (dims, values.reshape(shape)) for name, values in variables.items()}, coords=coords, attrs=attrs
    )


def _encoded(dataset):
    """``dataset`` as netCDF3 can hold it: an integer axis beyond int32 (a seed, say) as decimal text."""
    changed = {}
    for name in dataset.coords:
        values = dataset[name].values
        if values.dtype.kind in "iu" and (values.min() < -(2**31) or values.max() >= 2**31):
            changed[name] = np.array([str(v) for v in values], dtype=object)
    return dataset.assign_coords(changed) if changed else dataset


# ---------------------------------------------------------------------------------------------------------------
# plots
# ---------------------------------------------------------------------------------------------------------------

#: the most panels (heatmaps) or lines of one figure
MAX_PANELS = 24
_LABELS = {
    "floor": "measured floor E||grad f||^2",
    "floor_over_bound": "floor / smallest applicable bound",
    "floor_over_predicted": "floor / predicted floor",
}


def plot_sweep(dataset, path, *, variables=("floor", "floor_over_bound", "floor_over_predicted")) -> str:
    """A figure of ``variables`` of a sweep's dataset (:func:`run_sweep`'s, or ``xarray.open_dataset`` of its file),
    saved atomically to ``path`` (PNG, PDF, ... by its extension): with two or more numeric axes, heatmaps over the
    first two (one row per variable, one column per combination of the other axes); otherwise lines over the first
    numeric axis (or the first axis), one per combination of the others, with the floor's interval as a band and 1
    marked on the ratios. A variable with no value at all says why (its status) in its panel."""
    import xarray as xr

    if not isinstance(dataset, xr.Dataset) or "floor" not in dataset or "status" not in dataset:
        raise TypeError(f"dataset must be a sweep's xarray.Dataset (run_sweep), got {short(dataset)}")
    path = require_path("path", path)
    if isinstance(variables, str) or not isinstance(variables, (list, tuple)) or not variables:
        raise TypeError(f"variables must be a non-empty list of the dataset's variables, got {short(variables)}")
    bad = [v for v in variables if not isinstance(v, str) or v not in dataset.data_vars or dataset[v].dtype.kind != "f"]
    if bad:
        raise ValueError(f"variables: {short(bad[0])} is not a numeric variable of the sweep")
    dims = list(dataset["floor"].dims)
    numeric = [d for d in dims if dataset[d].dtype.kind in "iuf" and dataset.sizes[d] > 1]
    x = numeric[0] if numeric else (dims[0] if dims else None)
    y = numeric[1] if len(numeric) > 1 else None
    others = [d for d in dims if d not in (x, y)]
    combos = [dict(zip(others, c)) for c in itertools.product(*(dataset[d].values.tolist() for d in others))]
    if len(combos) > MAX_PANELS:
        raise ValueError(
            f"dataset: {len(combos)} combinations of {', '.join(others)} > {MAX_PANELS} panels or lines; plot a "
            "selection (dataset.sel(...)) or fewer axes"
        )
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    heat = y is not None
    rows, cols = len(variables), (len(combos) if heat else 1)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols + 0.6, 2.9 * rows), squeeze=False)
    try:
        for r, name in enumerate(variables):
            for c, combo in enumerate(combos if heat else [None]):
                ax = axes[r][c]
                if heat:
                    _heatmap(fig, ax, dataset[name].sel(combo), x, y, name, combo)
                else:
                    _lines(ax, dataset, name, x, combos)
        fig.tight_layout()
        save_figure(fig, path, dpi=110)
    finally:
        plt.close(fig)
    return path


def _caption(combo: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in combo.items())


def _empty(ax, data, name) -> bool:
    """Say in the panel why ``data`` has no value at all (its status variable's first text); True if so."""
    values = np.asarray(data.values, dtype=float)
    if np.isfinite(values).any():
        return False
    ax.text(
        0.5,
        0.5,
        f"{name}: no values\n(see {NAN_EXPLAINED_BY.get(name, 'status')})",
        ha="center",
        va="center",
        fontsize=8,
        transform=ax.transAxes,
        wrap=True,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    return True


def _heatmap(fig, ax, data, x, y, name, combo):
    from matplotlib.colors import LogNorm

    ax.set_title(f"{name}" + (f" | {_caption(combo)}" if combo else ""), fontsize=8)
    if _empty(ax, data, name):
        return
    grid = data.transpose(y, x).values.astype(float)
    finite = grid[np.isfinite(grid)]
    norm = LogNorm(finite.min(), finite.max()) if finite.min() > 0 and finite.max() > finite.min() else None
    mesh = ax.pcolormesh(np.arange(grid.shape[1] + 1), np.arange(grid.shape[0] + 1), grid, norm=norm, cmap="viridis")
    fig.colorbar(mesh, ax=ax, shrink=0.8)
    for dim, set_ticks, set_labels in (
        (x, ax.set_xticks, ax.set_xticklabels),
        (y, ax.set_yticks, ax.set_yticklabels),
    ):
        labels = [f"{v:g}" if isinstance(v, float) else str(v) for v in data[dim].values.tolist()]
        set_ticks(np.arange(len(labels)) + 0.5)
        set_labels(labels, fontsize=7)
    ax.set_xlabel(x)
    ax.set_ylabel(y)


def _lines(ax, dataset, name, x, combos):
    ax.set_title(_LABELS.get(name, name), fontsize=9)
    if x is None:  # a single point
        ax.text(
            0.5, 0.5, f"{name} = {float(dataset[name].values):.4g}", ha="center", va="center", transform=ax.transAxes
        )
        return
    if _empty(ax, dataset[name], name):
        return
    xs = dataset[x].values.tolist()
    numeric = dataset[x].dtype.kind in "iuf"
    positions = np.asarray(xs, dtype=float) if numeric else np.arange(len(xs), dtype=float)
    for i, combo in enumerate(combos):
        line = dataset[name].sel(combo).values.astype(float)
        if not np.isfinite(line).any():  # nothing to draw for this combination (its status says why)
            continue
        ax.plot(positions, line, "o-", ms=3, lw=1.2, color=f"C{i % 10}", label=_caption(combo) or name)
        if name == "floor":
            low, high = (dataset[f"floor{s}"].sel(combo).values.astype(float) for s in ("_low", "_high"))
            ax.fill_between(positions, low, high, color=f"C{i % 10}", alpha=0.2, lw=0)
    if name.startswith("floor_over"):
        ax.axhline(1.0, color="k", ls=":", lw=1)
    if numeric and positions.min() > 0 and positions.max() >= 10 * positions.min():
        ax.set_xscale("log")
    if not numeric:
        ax.set_xticks(positions)
        ax.set_xticklabels([str(v) for v in xs], fontsize=7, rotation=20)
    values = dataset[name].values.astype(float)
    if np.nanmin(values) > 0:
        ax.set_yscale("log")
    ax.set_xlabel(x)
    ax.grid(True, which="both", alpha=0.3)
    if len(combos) > 1 or combos[0]:
        ax.legend(fontsize=6)
