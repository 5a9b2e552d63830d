"""The AIHWKit backend and the crosscheck report, without AIHWKit: the backend imports without torch, says why
it cannot run and how to install it, rejects what AIHWKit cannot express, and the crosscheck raises a clear
error; the report renders, and the comparison with the committed reference runs works (tests/data)."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from verify.experiments import aihwkit_backend as backend
from verify.experiments.scripts import SCRIPTS
from verify.experiments.tile import TileConfig
from verify.reports import crosscheck as cc
from verify.sim.stats import Estimate, mean_ci, ratio_of_independent_means

ROOT = Path(__file__).resolve().parent.parent
HAS_AIHWKIT = backend.available()
TILE = TileConfig(tau=1.0, dw_min=1e-3)


@pytest.fixture
def no_aihwkit(monkeypatch):
    """AIHWKit missing, whatever is installed."""
    monkeypatch.setattr(backend, "_missing", lambda: ["torch", "aihwkit"])


def test_backend_and_report_import_without_torch():
    """Neither module imports torch or aihwkit at import time (they are imported inside the functions)."""
    code = (
        "import sys\n"
        "import verify.experiments.aihwkit_backend as b, verify.reports.crosscheck\n"
        "b.available(); b.unavailable_reason(); b.versions() if not b.available() else None\n"
        "print(sorted(m for m in ('torch', 'aihwkit') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


@pytest.mark.skipif(HAS_AIHWKIT, reason="AIHWKit is installed here")
def test_aihwkit_is_unavailable_in_the_project_environment():
    assert backend.available() is False
    reason = backend.unavailable_reason()
    assert "\n" not in reason and "README" in reason and "'AIHWKit' recipe" in reason
    assert f"aihwkit=={backend.AIHWKIT_VERSION}" in reason and f"torch=={backend.TORCH_VERSION}" in reason


def test_unavailable_reason_names_the_recipe(no_aihwkit):
    assert not backend.available()
    reason = backend.unavailable_reason()
    assert reason.startswith("AIHWKit is not installed") and "README's 'AIHWKit' recipe" in reason
    assert "pip install --no-deps aihwkit==1.1.0" in reason


def test_versions_name_numpy():
    v = backend.versions()
    assert set(v) == {"aihwkit", "torch", "numpy"} and v["numpy"] == np.__version__


@pytest.mark.parametrize("name", ["pulsed", "per_sample"])
def test_rpu_config_rejects_what_aihwkit_cannot_express(name):
    tile = TileConfig(tau=1.0, dw_min=1e-3, **{name: False})
    with pytest.raises(ValueError, match=name):
        backend.rpu_config(tile)


def test_rpu_config_rejects_a_non_tile():
    with pytest.raises(ValueError, match="tile"):
        backend.rpu_config({"tau": 1.0})


def test_rpu_config_without_aihwkit_says_why(no_aihwkit):
    with pytest.raises(backend.AIHWKitUnavailable, match="README") as info:
        backend.rpu_config(TILE)
    assert isinstance(info.value, ImportError)


def test_run_script_checks_its_arguments():
    script = SCRIPTS["fig4-init"]()
    with pytest.raises(ValueError, match="script"):
        backend.run_script("fig4-init", script.runs[0], 0)
    with pytest.raises(ValueError, match="run"):
        backend.run_script(script, "alpha=0.1", 0)
    with pytest.raises(ValueError, match="seed"):
        backend.run_script(script, script.runs[0], -1)
    with pytest.raises(ValueError, match="steps"):
        backend.run_script(script, script.runs[0], 0, steps=0)
    with pytest.raises(ValueError, match="seeds"):
        backend.run_many(script, script.runs[0], [])


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"x": [[1.0]]}, "x"),
        ({"lr": 0.0}, "lr"),
        ({"dw_min": -1e-3}, "dw_min"),
        ({"desired_bl": 0}, "desired_bl"),
        ({"trials": 0}, "trials"),
        ({"seed": -2}, "seed"),
    ],
)
def test_pulse_counts_checks_its_arguments(kwargs, name):
    args = {"x": [1.0, 0.5], "d": 0.3, "lr": 0.01, "dw_min": 1e-3, "desired_bl": 31, "trials": 10, "seed": 0}
    with pytest.raises(ValueError, match=name):
        backend.pulse_counts(**{**args, **kwargs})


def test_pulse_counts_without_aihwkit_says_why(no_aihwkit):
    with pytest.raises(backend.AIHWKitUnavailable, match="README"):
        backend.pulse_counts([1.0], 2.0, 0.01, 1e-3, 31, trials=10, seed=0)


def test_crosscheck_without_aihwkit_raises_the_clear_error(no_aihwkit):
    with pytest.raises(cc.AIHWKitUnavailable) as info:
        cc.crosscheck("fig4-init", seeds=2, chains=4)
    assert str(info.value) == backend.unavailable_reason()


@pytest.mark.parametrize(
    "kwargs, name",
    [({"figure": "fig2"}, "figure"), ({"chains": 1}, "chains"), ({"seeds": 1}, "seeds"), ({"steps": 0}, "steps")],
)
def test_crosscheck_checks_its_arguments_first(no_aihwkit, kwargs, name):
    args = {"figure": "fig4-init", "seeds": 2, "chains": 4}
    with pytest.raises(ValueError, match=name):
        cc.crosscheck(**{**args, **kwargs})


def _hand_made() -> dict:
    model, aihwkit = mean_ci([1.0, 1.2, 1.1, 0.9]), mean_ci([2.0, 2.2, 1.8])
    curve = Estimate(mean=0.25, low=0.2, high=0.3, n=3, level=0.95)
    row = {"label": "alpha=0.1", "x": 0.1, "model_floor": model, "aihwkit_floor": aihwkit, "curve_distance": curve}
    row["ratio"] = ratio_of_independent_means(model, aihwkit, 0.95)
    return {
        "figure": "fig1",
        "script": "S1",
        "source": "aihwkit",
        "steps": 2500,
        "level": 0.95,
        "model": {"chains": 4},
        "aihwkit": {"kind": "AIHWKit (live)", "seeds": 3},
        "runs": [row],
    }


def test_format_crosscheck_renders_a_hand_made_result():
    text = cc.format_crosscheck(_hand_made())
    lines = text.splitlines()
    assert lines[0].startswith("crosscheck fig1 (script S1, K = 2500)") and "4 chains" in lines[0]
    assert "3 seeds" in lines[0] and "95% intervals" in lines[0]
    header = next(line for line in lines if line.startswith("run"))
    assert all(c in header for c in ("floor, numpy model", "floor, AIHWKit", "model / AIHWKit", "curve distance"))
    row = next(line for line in lines if line.startswith("alpha=0.1"))
    assert "1.05 [" in row and "2 [" in row and "0.525 [" in row and "0.25 [0.2, 0.3]" in row
    # the columns line up: every cell of the row starts where its header does
    assert row.index("1.05 [") == header.index("floor, numpy model")
    assert row.index("0.25 [") == header.index("curve distance")


def _finite(e: Estimate) -> bool:
    return all(math.isfinite(v) for v in (e.mean, e.low, e.high))


def test_reference_crosscheck_compares_the_model_with_the_committed_runs():
    result = cc.reference_crosscheck("fig4-init", chains=6, seed=3)
    script = SCRIPTS["fig4-init"]()
    assert result["figure"] == "fig4-init" and result["source"] == "reference" and result["steps"] == script.steps
    assert [r["label"] for r in result["runs"]] == [r.label for r in script.runs]
    assert result["k"][0] == 0 and result["k"][-1] == script.steps
    assert result["model"]["chains"] == 6 and result["aihwkit"]["seeds"] >= 2
    for r in result["runs"]:
        for key in ("model_floor", "aihwkit_floor", "ratio", "curve_distance"):
            assert isinstance(r[key], Estimate) and _finite(r[key]), (r["label"], key)
        assert r["model_floor"].n == 6 and r["model_floor"].mean > 0 and r["aihwkit_floor"].mean > 0
        assert r["ratio"].mean == pytest.approx(r["model_floor"].mean / r["aihwkit_floor"].mean)
        assert r["curve_distance"].mean >= 0
    assert "fig4-init" in cc.format_crosscheck(result)
    # the same seed gives the same numbers
    again = cc.reference_crosscheck("fig4-init", chains=6, seed=3)
    assert [r["model_floor"].mean for r in again["runs"]] == [r["model_floor"].mean for r in result["runs"]]


def test_reference_csvs_cover_every_run_of_every_figure():
    floors = (cc.REFERENCE_DIR / cc.FLOORS_CSV).read_text().splitlines()
    curves = (cc.REFERENCE_DIR / cc.CURVES_CSV).read_text().splitlines()
    for lines in (floors, curves):
        assert lines[0].startswith("# aihwkit ") and "command:" in lines[0] and "seeds:" in lines[0]
    labels = {tuple(line.split(",")[:2]) for line in floors[2:]}
    assert labels == {(name, r.label) for name, make in SCRIPTS.items() for r in make().runs}


def test_reference_crosscheck_without_the_files_names_the_script(tmp_path):
    # a folder without the reference files is bad input: a ValueError naming directory (issue 15), with the fix
    with pytest.raises(ValueError, match="directory: .*make_aihwkit_references.py"):
        cc.reference_crosscheck("fig4-init", chains=4, directory=tmp_path)


def test_reference_crosscheck_without_the_figure_says_so(tmp_path):
    for name in (cc.FLOORS_CSV, cc.CURVES_CSV):
        header = (cc.REFERENCE_DIR / name).read_text().splitlines()[:2]
        (tmp_path / name).write_text("\n".join(header) + "\n")
    with pytest.raises(ValueError, match="fig4-init"):
        cc.reference_crosscheck("fig4-init", chains=4, directory=tmp_path)


# --- the command ----------------------------------------------------------------------------------------------


def test_crosscheck_command_says_in_one_line_that_aihwkit_is_missing(no_aihwkit, capsys):
    from verify.cli import main

    assert main(["crosscheck", "fig1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "AIHWKit is not installed" in err[0] and "--reference" in err[0]


def test_crosscheck_command_compares_with_the_references(capsys):
    from verify.cli import main

    assert main(["crosscheck", "fig4-init", "--reference", "--chains", "2"]) == 0
    out = capsys.readouterr().out
    assert "constant 1000" in out and "match (fig4-init): " in out and "reference CSV" in out


def test_crosscheck_command_rejects_unknown_figures(capsys):
    from verify.cli import main

    try:
        code = main(["crosscheck", "fig9"])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2 and "NAME" in capsys.readouterr().err


# --- issue 15: bad input refused by name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, named",
    [
        (lambda: cc.reference_crosscheck(np.zeros(2)), "figure"),  # was an unhashable-type TypeError
        (lambda: cc.reference_crosscheck("fig4-init", chains=10**12), "chains"),
        (lambda: cc.reference_crosscheck("fig4-init", directory=3.5), "directory"),
        (lambda: cc.reference_crosscheck("fig4-init", directory="/no/such/folder"), "directory"),
        (lambda: cc.reference_crosscheck("fig4-init", data={"figure": "fig4-init"}), "data"),
        (lambda: cc.reference_crosscheck("fig4-init", progress="yes"), "progress"),
        (lambda: cc.crosscheck("fig4-init", seeds=10**9), "seeds"),
        (lambda: cc.crosscheck("fig4-init", steps=10**12), "steps"),
        (lambda: cc.validate({"figure": "fig1"}), "result"),
        (lambda: cc.format_crosscheck(None), "result"),
        (lambda: cc.format_validation("x"), "results"),
    ],
)
def test_issue15_crosscheck_refuses_bad_input_by_name(call, named):
    with pytest.raises((ValueError, TypeError), match=named):
        call()


@pytest.mark.parametrize(
    "profile, entropy, named", [("fast", 1, "profile"), (None, 1, "profile"), ("quick", -1, "entropy")]
)
def test_issue15_validation_results_refuses_its_arguments_before_running(profile, entropy, named):
    from verify.reports.ledger import validation_results

    with pytest.raises(ValueError, match=named):
        validation_results(profile, entropy)


def test_issue15_reference_crosscheck_on_given_data_takes_each_run_tau():
    from verify.experiments.scripts import figure_data

    data = figure_data("fig4-init", chains=2, seed=0, progress=False)
    result = cc.reference_crosscheck("fig4-init", data=data)
    assert [r["tau"] for r in result["runs"]] == [r.tile.tau for r in SCRIPTS["fig4-init"]().runs]
