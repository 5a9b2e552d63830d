"""Valid calls of verify.experiments and verify.reports.

See :mod:`tests.strategies` for the contract each case is held to.

The entry points that run the Monte Carlo engine get tiny valid calls (2 chains, a few steps, a 3 x 2 data set
where a script is needed) and fewer draws (``examples``); the record formatters get a minimal record of the
kind our own code makes. Functions that write files run inside a temporary folder (:func:`_in_tmp`), so that a
drawn relative path such as ``"x"`` lands there, never in the working tree.
"""

import atexit
import contextlib
import functools
import shutil
import tempfile

import matplotlib.figure
import numpy as np

from bounds.devices import AsymmetricLinearDevice
from bounds.lower_bound import LowerBoundConstruction
from tests.strategies import ApiCase
from verify.claims.registry import load_claims
from verify.claims.results import ClaimResult
from verify.experiments import figures as EF
from verify.experiments import lower_bound as LB
from verify.experiments import scripts as SC
from verify.experiments import settings as ST
from verify.experiments import tile as TL
from verify.reports import bench, cluster, compare, crosscheck, ledger, records, sweep, tightness
from verify.reports import figures as RF
from verify.sim.dynamics import AnalogSGD
from verify.sim.noise import GaussianNoise
from verify.sim.problems import scalar_quadratic
from verify.sim.stats import Estimate

# ---------------------------------------------------------------------------------------------------------------
# fixtures: small objects of every kind the entry points take
# ---------------------------------------------------------------------------------------------------------------

_TMP = tempfile.mkdtemp(prefix="api-cases-")
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)


def _in_tmp(function):
    """``function`` run with the temporary folder as the working directory (drawn relative paths land there)."""

    @functools.wraps(function)
    def run(**kwargs):
        with contextlib.chdir(_TMP):
            return function(**kwargs)

    return run


def _quiet(line):
    """A ``report`` callable that prints nothing."""


X = np.array([[1.0, 0.5], [-0.5, 1.0], [0.25, -1.0]])
T = np.array([0.5, -0.25, 1.0])
TILE = TL.TileConfig(tau=1.0, dw_min=0.01, w_noise=0.01)
RUN = SC.Run("alpha=0.1", 0.1, 0.1, TILE)
SCRIPT = SC.Script("S-test", "fig-test", X, T, 1.0, "exact", 4, (RUN,), 0.01, ("a test script",))
TILE_RESULT = SC.run_tile(SCRIPT, RUN, chains=2, seed=0, steps=3, progress=False)
PROBLEM = scalar_quadratic(L=1.0, w_star=0.0)
CONSTRUCTION = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=2, alpha=0.05)
INPUTS = LB.engine_inputs(CONSTRUCTION)
LB_RESULT = LB.simulate_construction(CONSTRUCTION, steps=20, burn_in=5, chains=4, seed=1, progress=False)
CURVE = EF.Curve("x", 1.0, np.array([1.0, 0.5, 0.25]), np.array([0.0, 0.01, 0.01]), chains=4)
REFERENCE = EF.Curve("y", None, np.array([1.0, 0.4, 0.2]), np.array([0.0, 0.01, 0.01]), chains=4)
FLOOR_RUNS = [
    {"series": "analog", "label": "alpha=0.1", "x": 0.1, "burn_in": 2, "floor": np.array([1.0, 1.2, 0.9])},
    {"series": "analog", "label": "alpha=0.2", "x": 0.2, "burn_in": 2, "floor": np.array([2.0, 2.1, 1.8])},
]
FLOOR_DATA = {
    "figure": "fig4-sigma",
    "x_name": "sigma^2",
    "window": 2,
    "chains": 3,
    "source_used": "code",
    "runs": FLOOR_RUNS,
}
CURVES = EF.figure3_curves(chains=2, steps=2, taus=(1.0,), progress=False)
EXPERIMENT_DATA = SC.figure_data("fig4-sigma", chains=2, steps=2, baselines=False, progress=False)
COMPARE_REPORT = compare.compare(chains=2, steps=4, progress=False)
EST = Estimate(1.0, 0.9, 1.1, 8, 0.95, sem=0.05)
CROSSCHECK_RESULT = {
    "figure": "fig1",
    "script": "S1",
    "source": "reference",
    "steps": 4,
    "level": 0.95,
    "model": {"kind": "numpy tile model", "chains": 8},
    "aihwkit": {"kind": "AIHWKit (reference CSV)", "seeds": 8},
    "runs": [{"label": "alpha=0.1", "model_floor": EST, "aihwkit_floor": EST, "ratio": EST, "curve_distance": EST}],
}
CLAIM_RESULT = ClaimResult(
    "C1a",
    "confirmed",
    "equal",
    0.05,
    -0.02,
    0.12,
    0.0,
    details={"deciding_case": "analog: slope = 0", "cases": [{"case": "analog: slope = 0", "relation": "equal"}]},
)
CLAIMS_ONE = {"C1a": load_claims()["C1a"]}
TIGHTNESS_ROW = tightness.analog_sgd_row(1.0, 0.3, 0.3)
RECORD = f"{_TMP}/record.json"
FIGURE = matplotlib.figure.Figure(figsize=(1, 1))
records.write_json(RECORD, records.envelope("check", [], profile="quick", seed=1))
SWEEP = sweep.Sweep({"tau": [0.5, 1.0]}, {"steps": 4, "chains": 2}, seed=0)
SWEEP_DATASET = sweep.run_sweep(SWEEP, f"{_TMP}/sweep.nc", scheduler="serial", progress=False)
SWEEP_TOML = f"{_TMP}/sweep.toml"
records.write_text(SWEEP_TOML, "seed = 1\n[axes]\ntau = [0.5, 1.0]\n[fixed]\nsteps = 4\nchains = 2\n")


def _arguments(*args):
    """A task for ``distribute`` that takes any arguments: their count."""
    return len(args)


def _write_nothing(path):
    """A ``write`` for ``records.write_file``: an empty file."""
    open(path, "wb").close()


def _crosscheck(**kwargs):
    """:func:`verify.reports.crosscheck.crosscheck`, where AIHWKit is missing: every argument is validated first,
    then :class:`AIHWKitUnavailable` says so (a documented outcome, not bad input)."""
    try:
        return crosscheck.crosscheck(**kwargs)
    except crosscheck.AIHWKitUnavailable:
        return None


# ---------------------------------------------------------------------------------------------------------------
# the cases
# ---------------------------------------------------------------------------------------------------------------

_E, _R = "verify.experiments", "verify.reports"
#: compare's valid parameters but seed and progress
_COMPARE = dict(
    algorithm="analog-sgd",
    problem="scalar",
    dim=2,
    problem_seed=42,
    L=1.0,
    w_star=0.5,
    tau=1.0,
    sigma=0.3,
    alpha=0.05,
    beta=None,
    steps=4,
    chains=2,
    noise="gaussian",
    tail=0.5,
    dw_min=1e-3,
    level=0.95,
)
_SIM = dict(chains=2, seed=0, workers=1, progress=False)

CASES: list[ApiCase] = [
    # --- settings
    ApiCase(
        f"{_E}.settings.Setting",
        ST.Setting,
        dict(
            figure="fig1",
            source="paper",
            problem=PROBLEM,
            taus=(1.0,),
            alphas=(0.1,),
            noise_stds=(0.01,),
            steps=10,
            dw_min=(1e-3,),
            max_bit_length=31,
            initial_points={"zeros": np.zeros(1)},
            notes=("a note",),
        ),
    ),
    ApiCase(
        f"{_E}.settings.draw_data",
        ST.draw_data,
        dict(seed=0, rows=3, dim=2, a_std=1.0, w_std=0.5, bias=True, bias_true=0.1),
    ),
    *(
        ApiCase(f"{_E}.settings.{name}", getattr(ST, name), dict(source="paper", seed=0), examples=15)
        for name in ("figure1", "figure3", "figure4_tau", "figure4_sigma", "figure4_init")
    ),
    # --- tile
    ApiCase(
        f"{_E}.tile.TileConfig",
        TL.TileConfig,
        dict(
            tau=1.0,
            dw_min=0.01,
            w_noise=0.01,
            inp_bound=10.0,
            out_bound=10.0,
            noise_management="none",
            desired_bl=31,
            pulsed=True,
            per_sample=True,
        ),
    ),
    ApiCase(f"{_E}.tile.require_data", TL.require_data, dict(inputs=X, targets=T)),
    ApiCase(
        f"{_E}.tile.PulsedTileSGD",
        TL.PulsedTileSGD,
        dict(
            config=TILE,
            lr=0.1,
            inputs=X,
            targets=T,
            bias=True,
            loss_scale=1.0,
            logged="exact",
            logged_divisor=1.0,
        ),
    ),
    # --- scripts
    ApiCase(f"{_E}.scripts.Run", SC.Run, dict(label="alpha=0.1", x=0.1, lr=0.1, tile=TILE, w0=None)),
    ApiCase(
        f"{_E}.scripts.Script",
        SC.Script,
        dict(
            script="S-test",
            figure="fig-test",
            inputs=X,
            targets=T,
            loss_scale=1.0,
            logged="exact",
            steps=4,
            runs=(RUN,),
            noise_std=0.01,
            notes=("a note",),
        ),
    ),
    *(
        ApiCase(f"{_E}.scripts.{name}", getattr(SC, name), dict(data_seed=0), examples=10)
        for name in ("fig1", "fig3", "fig4_tau", "fig4_sigma", "fig4_init")
    ),
    ApiCase(
        f"{_E}.scripts.run_tile",
        SC.run_tile,
        dict(script=SCRIPT, run=RUN, steps=2, tile=None, **_SIM),
        examples=15,
    ),
    ApiCase(f"{_E}.scripts.run_digital", SC.run_digital, dict(script=SCRIPT, lr=0.1, steps=2, w0=None, **_SIM)),
    ApiCase(f"{_E}.scripts.run_dynamic3", SC.run_dynamic3, dict(script=SCRIPT, run=RUN, steps=2, **_SIM)),
    ApiCase(f"{_E}.scripts.logged_values", SC.logged_values, dict(result=TILE_RESULT, script=SCRIPT)),
    ApiCase(f"{_E}.scripts.floors", SC.floors, dict(result=TILE_RESULT, script=SCRIPT, window="floor", exact=False)),
    ApiCase(f"{_E}.scripts.curve", SC.curve, dict(result=TILE_RESULT, script=SCRIPT)),
    ApiCase(
        f"{_E}.scripts.figure_data",
        SC.figure_data,
        dict(figure="fig4-sigma", data_seed=42, steps=2, baselines=False, **_SIM),
        examples=10,
    ),
    # --- experiments.figures
    ApiCase(
        f"{_E}.figures.Curve",
        EF.Curve,
        dict(
            label="x", tau=1.0, mean=np.array([1.0, 0.5]), sem=np.array([0.0, 0.1]), chains=4, dw_min=None, seconds=0.0
        ),
    ),
    ApiCase(f"{_E}.figures.curve_distance", EF.curve_distance, dict(curve=CURVE, reference=REFERENCE, level=0.95)),
    ApiCase(
        f"{_E}.figures.pulse_model",
        EF.pulse_model,
        dict(tau=1.0, dw_min=0.01, desired_bl=31, counting="stochastic_trains"),
    ),
    ApiCase(
        f"{_E}.figures.figure3_curves",
        EF.figure3_curves,
        dict(
            source="paper",
            steps=2,
            taus=(1.0,),
            counting="stochastic_trains",
            dw_min_scale=1.0,
            data_seed=42,
            **_SIM,
        ),
        examples=10,
    ),
    ApiCase(f"{_E}.figures.burn_in", EF.burn_in, dict(alpha=0.1, mu=0.5)),
    ApiCase(f"{_E}.figures.digital_floor", EF.digital_floor, dict(problem=PROBLEM, alpha=0.1, std=1.0)),
    ApiCase(
        f"{_E}.figures.stationary_floors",
        EF.stationary_floors,
        dict(
            problem=PROBLEM,
            runs=[("analog", AnalogSGD(AsymmetricLinearDevice(1.0), 0.1), 2, 0.1)],
            noise=GaussianNoise(0.1),
            window=2,
            chains=2,
            seeds=np.random.SeedSequence(0),
            w0=None,
            workers=1,
            progress=False,
        ),
    ),
    ApiCase(f"{_E}.figures.floor_setting", EF.floor_setting, dict(name="fig1", source="paper", data_seed=42)),
    ApiCase(f"{_E}.figures.floor_estimates", EF.floor_estimates, dict(runs=FLOOR_RUNS, level=0.95)),
    ApiCase(f"{_E}.figures.floor_slopes", EF.floor_slopes, dict(runs=FLOOR_RUNS, level=0.95)),
    *(
        ApiCase(
            f"{_E}.figures.{name}",
            getattr(EF, name),
            dict(source="paper", window=1, level=0.95, data_seed=42, **_SIM),
            examples=8,
        )
        for name in ("figure1_floors", "figure4_tau_floors", "figure4_sigma_floors", "figure4_init_floors")
    ),
    # --- experiments.lower_bound
    ApiCase(
        f"{_E}.lower_bound.EngineInputs",
        LB.EngineInputs,
        dict(problem=INPUTS.problem, dynamics=INPUTS.dynamics, noise=INPUTS.noise),
    ),
    ApiCase(f"{_E}.lower_bound.engine_inputs", LB.engine_inputs, dict(construction=CONSTRUCTION)),
    ApiCase(
        f"{_E}.lower_bound.simulate_construction",
        LB.simulate_construction,
        dict(construction=CONSTRUCTION, steps=5, burn_in=1, chains=2, seed=0),
    ),
    ApiCase(f"{_E}.lower_bound.ratio_samples", LB.ratio_samples, dict(result=LB_RESULT, sigma=0.25, window="tail")),
    ApiCase(
        f"{_E}.lower_bound.ratio_estimate",
        LB.ratio_estimate,
        dict(result=LB_RESULT, sigma=0.25, window="tail", level=0.95),
    ),
    ApiCase(f"{_E}.lower_bound.extrapolation_weights", LB.extrapolation_weights, dict(alphas=[0.02, 0.01], order=0)),
    ApiCase(
        f"{_E}.lower_bound.extrapolated_estimate",
        LB.extrapolated_estimate,
        dict(samples=[[1.0, 2.0, 3.0], [1.5, 2.5, 3.0]], alphas=[0.02, 0.01], order=0, level=0.95),
    ),
    ApiCase(
        f"{_E}.lower_bound.check_stationary_ratio",
        LB.check_stationary_ratio,
        dict(
            construction=CONSTRUCTION,
            alphas=[0.1],
            chains=2,
            horizon=1.0,
            burn_in=0.5,
            seed=0,
            level=0.95,
            progress=False,
        ),
        examples=15,
    ),
    # --- reports.bench
    ApiCase(
        f"{_R}.bench.run_benchmark",
        bench.run_benchmark,
        dict(chains=2, steps=1, repeats=1, workers=1, progress=False, report=_quiet),
        examples=10,
    ),
    ApiCase(
        f"{_R}.bench.normal_draw_rate", bench.normal_draw_rate, dict(chains=2, dim=3, steps=2, repeats=1, compiled=True)
    ),
    # --- reports.compare
    ApiCase(f"{_R}.compare.compare", compare.compare, dict(**_COMPARE, seed=0, progress=False), examples=15),
    ApiCase(f"{_R}.compare.check_parameters", compare.check_parameters, dict(tau=1.0, steps=10, algorithm="tiki-taka")),
    ApiCase(
        f"{_R}.compare.validate_parameters",
        compare.validate_parameters,
        dict(_COMPARE, algorithm="tiki-taka", problem="least-squares", dim=3, alpha=None),
    ),
    ApiCase(f"{_R}.compare.format_report", compare.format_report, dict(report=COMPARE_REPORT)),
    ApiCase(f"{_R}.compare.report_json", compare.report_json, dict(report=COMPARE_REPORT)),
    ApiCase(
        f"{_R}.compare.plot_compare",
        _in_tmp(compare.plot_compare),
        dict(report=COMPARE_REPORT, path="compare.png"),
        examples=4,
    ),
    # --- reports.cluster (a Dask cluster is started in tests/test_sweep.py; here the serial path and the checks)
    ApiCase(f"{_R}.cluster.require_scheduler", cluster.require_scheduler, dict(scheduler="tcp://127.0.0.1:8786")),
    ApiCase(f"{_R}.cluster.require_workers", cluster.require_workers, dict(workers=2)),
    ApiCase(
        f"{_R}.cluster.distribute",
        cluster.distribute,
        dict(task=_arguments, arguments=[(1, 2), (3,)], on_done=None, scheduler="serial", workers=None),
        fixed=("task", "scheduler"),
    ),
    # --- reports.sweep
    ApiCase(f"{_R}.sweep.Sweep", sweep.Sweep, dict(axes={"tau": [0.5, 1.0]}, fixed={"steps": 4, "chains": 2}, seed=0)),
    ApiCase(f"{_R}.sweep.load_sweep", sweep.load_sweep, dict(path=SWEEP_TOML, axes=None, fixed=None, seed=None)),
    ApiCase(f"{_R}.sweep.parse_assignment", sweep.parse_assignment, dict(text="tau=0.5,1", axis=True)),
    ApiCase(
        f"{_R}.sweep.run_sweep",
        _in_tmp(sweep.run_sweep),
        dict(sweep=SWEEP, out="sweep.nc", scheduler="serial", workers=None, progress=False, on_point=None, report=None),
        fixed=("scheduler",),
        examples=10,
    ),
    ApiCase(
        f"{_R}.sweep.plot_sweep",
        _in_tmp(sweep.plot_sweep),
        dict(dataset=SWEEP_DATASET, path="sweep.png", variables=("floor", "floor_over_bound")),
        examples=4,
    ),
    # --- reports.crosscheck
    ApiCase(
        f"{_R}.crosscheck.crosscheck",
        _crosscheck,
        dict(figure="fig4-sigma", seeds=2, chains=2, seed=0, steps=2, progress=False, level=0.95),
    ),
    ApiCase(
        f"{_R}.crosscheck.reference_crosscheck",
        crosscheck.reference_crosscheck,
        dict(figure="fig4-init", chains=2, seed=0, progress=False, level=0.95, directory=None, data=None),
        examples=6,
    ),
    ApiCase(f"{_R}.crosscheck.validate", crosscheck.validate, dict(result=CROSSCHECK_RESULT)),
    ApiCase(f"{_R}.crosscheck.format_validation", crosscheck.format_validation, dict(results=[CROSSCHECK_RESULT])),
    ApiCase(f"{_R}.crosscheck.format_crosscheck", crosscheck.format_crosscheck, dict(result=CROSSCHECK_RESULT)),
    # --- reports.figures
    ApiCase(
        f"{_R}.figures.write_curves_csv",
        _in_tmp(RF.write_curves_csv),
        dict(curves=CURVES, path="fig3.csv", level=0.95),
    ),
    ApiCase(
        f"{_R}.figures.plot_figure3",
        _in_tmp(RF.plot_figure3),
        dict(curves=CURVES, path="fig3", level=0.95, caption="a caption"),
        examples=3,
    ),
    ApiCase(
        f"{_R}.figures.write_floors_csv",
        _in_tmp(RF.write_floors_csv),
        dict(data=FLOOR_DATA, path="floors.csv", level=0.95),
    ),
    ApiCase(
        f"{_R}.figures.plot_floors",
        _in_tmp(RF.plot_floors),
        dict(data=FLOOR_DATA, path="floors", level=0.95, caption="a caption"),
        examples=3,
    ),
    ApiCase(
        f"{_R}.figures.write_experiment_csv",
        _in_tmp(RF.write_experiment_csv),
        dict(data=EXPERIMENT_DATA, path="experiment.csv", level=0.95),
    ),
    ApiCase(
        f"{_R}.figures.plot_experiment",
        _in_tmp(RF.plot_experiment),
        dict(data=EXPERIMENT_DATA, path="experiment", level=0.95, caption="a caption"),
        examples=3,
    ),
    ApiCase(f"{_R}.figures.verdict_sentence", RF.verdict_sentence, dict(result=CLAIM_RESULT, model="experiment")),
    ApiCase(
        f"{_R}.figures.chain_warning",
        RF.chain_warning,
        dict(model="experiment", chains=4, steps=10, name="fig4-sigma"),
    ),
    ApiCase(
        f"{_R}.figures.make_figure",
        _in_tmp(RF.make_figure),
        dict(
            name="fig4-sigma",
            out_dir="out",
            source="paper",
            model="experiment",
            chains=2,
            steps=2,
            seed=0,
            progress=False,
            json=None,
        ),
        examples=4,
    ),
    # --- reports.ledger
    ApiCase(f"{_R}.ledger.format_table", ledger.format_table, dict(results=[CLAIM_RESULT])),
    ApiCase(
        f"{_R}.ledger.format_check",
        ledger.format_check,
        dict(results=[CLAIM_RESULT], claims=CLAIMS_ONE, profile="quick", seed=1, json_path=None),
    ),
    ApiCase(
        f"{_R}.ledger.format_ledger",
        ledger.format_ledger,
        dict(claims=CLAIMS_ONE, results=[CLAIM_RESULT], command="test", profile="quick", entropy=1, validation=None),
        examples=15,
    ),
    ApiCase(f"{_R}.ledger.format_tightness", ledger.format_tightness, dict(rows=[TIGHTNESS_ROW])),
    ApiCase(
        f"{_R}.ledger.stale_claims",
        ledger.stale_claims,
        dict(committed="| C1 | a |\n| C2 | b |\n", fresh="| C1 | a |\n| C2 | c |\n"),
    ),
    # --- reports.records
    ApiCase(
        f"{_R}.records.envelope",
        records.envelope,
        dict(command="check", results=[], profile="quick", seed=1, started=None, finished=False),
    ),
    ApiCase(f"{_R}.records.write_json", _in_tmp(records.write_json), dict(path="out.json", data={"a": [1, 2.5]})),
    ApiCase(f"{_R}.records.write_text", _in_tmp(records.write_text), dict(path="out.md", text="# a\n", name="path")),
    ApiCase(f"{_R}.records.require_path", _in_tmp(records.require_path), dict(name="path", path="out.csv")),
    ApiCase(
        f"{_R}.records.write_file",
        _in_tmp(records.write_file),
        dict(path="out.bin", write=_write_nothing, name="path"),
    ),
    ApiCase(
        f"{_R}.records.save_figure",
        _in_tmp(records.save_figure),
        dict(fig=FIGURE, path="figure.png", name="path"),
        examples=10,
    ),
    ApiCase(
        f"{_R}.records.read_results",
        records.read_results,
        dict(path=RECORD, command="check", profile="quick", seed=1),
    ),
    ApiCase(f"{_R}.records.git_commit", records.git_commit, {}),
    # --- reports.tightness
    ApiCase(
        f"{_R}.tightness.analog_sgd_row",
        tightness.analog_sgd_row,
        dict(tau=1.0, sigma=0.3, w_star=0.3, law="gaussian", L=1.0),
        examples=15,
    ),
    ApiCase(
        f"{_R}.tightness.theorem2_row",
        tightness.theorem2_row,
        dict(tau=1.0, sigma=0.3, w_star=0.2, D=4, L=1.0),
        examples=15,
    ),
    ApiCase(
        f"{_R}.tightness.tightness_rows",
        tightness.tightness_rows,
        dict(taus=(1.0,), sigmas=(0.3,), w_stars=(0.3,), laws=("gaussian",), theorem2_dims=(4,)),
        examples=15,
    ),
    ApiCase(f"{_R}.tightness.format_markdown", tightness.format_markdown, dict(rows=[TIGHTNESS_ROW])),
]

#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {
    f"{_E}.lower_bound.RatioCheck": (
        "the result record of check_stationary_ratio, built only there from validated runs (its case covers it); "
        "not a user entry point"
    ),
    f"{_R}.cluster.dask_client": (
        "starts a Dask cluster (seconds) or connects to one (a timeout); its scheduler and workers are checked by "
        "require_scheduler and require_workers, whose cases cover them; pinned in tests/test_sweep.py"
    ),
    f"{_R}.sweep.SweepInterrupted": "an exception class: raised by run_sweep on Ctrl-C, not called with input",
    f"{_R}.ledger.validation_results": (
        "runs every experiment figure at a claim profile (minutes); its profile and entropy are validated up front "
        "(pinned in tests/test_crosscheck.py)"
    ),
}
