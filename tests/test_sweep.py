"""Sweeps (verify.reports.sweep) and their distribution on Dask (verify.reports.cluster): a real LocalCluster of worker
processes against the serial run, interruption and resume, the netCDF file, seeds, bad input; ``check --scheduler``."""

import json
import os

import numpy as np
import pytest
import xarray as xr

from verify.cli import main
from verify.reports.sweep import Sweep, SweepInterrupted, load_sweep, parse_assignment, plot_sweep, run_sweep

#: tiny runs: a point takes milliseconds
TINY = {"steps": 40, "chains": 8}


def _same(a: xr.Dataset, b: xr.Dataset) -> None:
    """Every variable and coordinate equal (NaN where NaN), but ``seconds`` (the time each point took)."""
    assert set(a.data_vars) == set(b.data_vars) and set(a.coords) == set(b.coords)
    for name in [*a.coords, *a.data_vars]:
        if name == "seconds":
            continue
        x, y = a[name].values, b[name].transpose(*a[name].dims).values
        same = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
        assert same, name


@pytest.fixture(scope="module")
def address():
    """A real Dask cluster of two worker processes, one thread each, for the whole module."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def _grid() -> Sweep:
    return Sweep({"tau": [0.5, 1.0], "algorithm": ["analog-sgd", "tiki-taka", "digital-sgd"]}, TINY, seed=5)


def test_a_cluster_of_two_workers_gives_the_serial_dataset(tmp_path, address):
    serial = run_sweep(_grid(), tmp_path / "serial.nc", scheduler="serial", progress=False)
    cluster = run_sweep(_grid(), tmp_path / "cluster.nc", scheduler=address, progress=False)
    _same(serial, cluster)
    assert (serial["status"].values == "ok").all() and np.isfinite(serial["floor"].values).all()
    assert cluster.attrs["scheduler"] == address


def test_local_scheduler_starts_its_own_cluster(tmp_path):
    small = Sweep({"tau": [0.5, 1.0]}, TINY, seed=5)
    serial = run_sweep(small, tmp_path / "serial.nc", scheduler="serial", progress=False)
    local = run_sweep(small, tmp_path / "local.nc", scheduler="local", workers=2, progress=False)
    assert (local.attrs["scheduler"], local.attrs["workers"]) == ("local", "2")
    assert (local["status"].values == "ok").all() and np.isfinite(local["floor"].values).all()
    _same(serial, local)  # every variable but the timings equal, or an assertion names the first that differs


def _stop_after(n: int, done: list):
    """An ``on_point`` that keeps the points in ``done`` and acts as Ctrl-C after the n-th."""

    def on_point(point, result):
        done.append(point)
        if len(done) == n:
            raise KeyboardInterrupt

    return on_point


def test_an_interrupted_sweep_keeps_its_points_and_resumes_to_the_same_dataset(tmp_path):
    out = tmp_path / "s.nc"
    done = []
    with pytest.raises(SweepInterrupted, match="2 of 6 points kept") as stop:
        run_sweep(_grid(), out, scheduler="serial", progress=False, on_point=_stop_after(2, done))
    assert "again" in str(stop.value) and not out.exists()
    assert len(os.listdir(f"{out}.parts")) == 2
    rerun, lines = [], []
    resumed = run_sweep(
        _grid(), out, scheduler="serial", progress=False, on_point=lambda p, r: rerun.append(p), report=lines.append
    )
    assert len(rerun) == 4 and not any(p in done for p in rerun)
    assert lines == [f"resuming from {out}.parts: 2 of 6 points already done"]
    _same(resumed, run_sweep(_grid(), tmp_path / "whole.nc", scheduler="serial", progress=False))
    again = []  # a finished sweep computes nothing more
    run_sweep(_grid(), out, scheduler="serial", progress=False, on_point=lambda p, r: again.append(p))
    assert again == []


def test_the_file_opens_in_xarray_and_pandas_with_its_metadata(tmp_path):
    out = tmp_path / "s.nc"
    made = run_sweep(_grid(), out, scheduler="serial", progress=False)
    with xr.open_dataset(out) as ds:
        frame = ds.to_dataframe()
        assert len(frame) == 6 and {"floor", "floor_low", "floor_high", "floor_over_bound", "status"} <= set(frame)
        assert list(frame.index.names) == ["tau", "algorithm"]
        assert json.loads(ds.attrs["description"]) == {
            "axes": {"tau": [0.5, 1.0], "algorithm": ["analog-sgd", "tiki-taka", "digital-sgd"]},
            "fixed": TINY,
            "seed": 5,
        }
        assert ds.attrs["seed_entropy"] == "5" and "spawn_key" in ds.attrs["seed_rule"]
        packages = json.loads(ds.attrs["packages"])
        assert {"numpy", "scipy", "xarray", "dask"} <= set(packages) and ds.attrs["version"]
        _same(made, ds.load())
        # no silent NaN: each one's status variable says why
        explained = json.loads(ds.attrs["nan_explained_by"])
        nan = np.isnan(ds["beta_run"].values)
        assert (nan == (ds["algorithm"] != "tiki-taka").values[None, :]).all()  # only Tiki-Taka has a beta
        for name, by in explained.items():
            if name == "beta_run":
                continue
            status = ds[by].values
            assert all(s not in ("ok", "applicable", "") for s in status[np.isnan(ds[name].values)]), name
    tt = made.sel(tau=1.0, algorithm="tiki-taka")
    assert "Analog SGD's floor only" in str(tt["predicted_status"].values)
    assert "no applicable floor bound" in str(tt["floor_bound_status"].values)


def test_point_seeds_do_not_change_when_an_axis_grows(tmp_path):
    out = tmp_path / "s.nc"
    small = run_sweep(Sweep({"tau": [0.5, 1.0]}, TINY, seed=5), out, scheduler="serial", progress=False)
    new = []
    grown = run_sweep(
        Sweep({"tau": [0.25, 0.5, 1.0]}, TINY, seed=5),
        out,
        scheduler="serial",
        progress=False,
        on_point=lambda p, r: new.append(p["tau"]),
    )
    assert new == [0.25]  # the other two were kept
    _same(small, grown.sel(tau=[0.5, 1.0]))
    fresh = run_sweep(Sweep({"tau": [1.0, 0.5, 0.25]}, TINY, seed=5), tmp_path / "f.nc", scheduler="serial")
    _same(grown.sel(tau=[1.0, 0.5, 0.25]), fresh)  # nor with the order of the values
    assert len(set(grown["seed_spawn_key"].values)) == 3


def test_parts_of_another_seed_are_refused(tmp_path):
    out = tmp_path / "s.nc"
    run_sweep(Sweep({"tau": [0.5]}, TINY, seed=5), out, scheduler="serial", progress=False)
    with pytest.raises(ValueError, match="root seed 5, this one has 6"):
        run_sweep(Sweep({"tau": [0.5]}, TINY, seed=6), out, scheduler="serial", progress=False)


def test_a_failed_point_is_kept_with_its_reason(tmp_path):
    out = tmp_path / "s.nc"
    made = run_sweep(Sweep({"sigma": [0.1, 1e6]}, TINY, seed=1), out, scheduler="serial", progress=False)
    status = made["status"].values
    assert status[0] == "ok" and status[1].startswith("failed: ") and np.isnan(made["floor"].values[1])


@pytest.mark.parametrize(
    "axes, fixed, named",
    [
        ({"taux": [1.0]}, {}, "taux"),
        ({"tau": [1.0, -1.0]}, {}, "tau"),
        ({"tau": []}, {}, "tau"),
        ({"tau": [1.0, 1]}, {}, "twice"),
        ({"algorithm": ["analog-sgd", "adam"]}, {}, "algorithm"),
        ({"tau": [1.0]}, {"tau": 2.0}, "tau"),
        ({"seed": [1, 2]}, {}, "seed"),
        ({"alpha": [0.1, 3.0]}, {}, "alpha"),  # 3 >= 2/L: refused up front, naming the point
        ({"tau": list(np.linspace(0.1, 1, 101)), "sigma": list(np.linspace(0.1, 1, 100))}, {}, "10000"),
        ({}, {"steps": 0}, "steps"),
    ],
)
def test_bad_sweeps_are_refused_by_name(axes, fixed, named):
    with pytest.raises(ValueError, match=named) as err:
        Sweep(axes, fixed)
    assert "\n" not in str(err.value)


def test_toml_file_and_overrides(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("seed = 3\n[axes]\ntau = [0.5, 1]\nsigma = [0.1, 0.2]\n[fixed]\nsteps = 40\nchains = 8\n")
    sweep = load_sweep(path, axes={"steps": [20, 40]}, fixed={"sigma": 0.3})
    assert sweep.axes == (("tau", (0.5, 1.0)), ("steps", (20, 40))) and sweep.fixed == {"chains": 8, "sigma": 0.3}
    assert sweep.seed == 3 and load_sweep(path, seed=9).seed == 9
    path.write_text("[axes]\ntau = [0.5]\n[fixd]\nsteps = 4\n")
    with pytest.raises(ValueError, match="fixd"):
        load_sweep(path)
    assert parse_assignment("alpha=default", axis=False) == ("alpha", None)
    with pytest.raises(ValueError, match="steps"):
        parse_assignment("steps=1.5", axis=False)


def test_plots(tmp_path):
    one = run_sweep(_grid(), tmp_path / "a.nc", scheduler="serial", progress=False)
    assert os.path.getsize(plot_sweep(one, str(tmp_path / "lines.png"))) > 0
    two = run_sweep(Sweep({"tau": [0.5, 1.0], "sigma": [0.1, 0.2]}, TINY), tmp_path / "b.nc", scheduler="serial")
    assert os.path.getsize(plot_sweep(two, str(tmp_path / "heat.png"))) > 0
    with pytest.raises(ValueError, match="variables"):
        plot_sweep(two, str(tmp_path / "x.png"), variables=["status"])


def test_cli_sweep_writes_the_dataset_and_the_plot(tmp_path, capsys):
    config = tmp_path / "s.toml"
    config.write_text("[axes]\ntau = [0.5, 1.0]\n[fixed]\nsteps = 40\nchains = 8\n")
    out, plot = tmp_path / "s.nc", tmp_path / "s.png"
    argv = ["sweep", str(config), "--axis", "algorithm=analog-sgd,digital-sgd", "--out", str(out)]
    assert main([*argv, "--scheduler", "serial", "--plot", str(plot)]) == 0
    printed = capsys.readouterr().out
    assert "4 point(s) over tau, algorithm" in printed and plot.exists()
    with xr.open_dataset(out) as ds:
        assert ds.sizes == {"tau": 2, "algorithm": 2}


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--axis", "tau=1,-1"], "--axis"),
        (["--axis", "tau"], "--axis"),
        (["--axis", "bogus=1"], "--axis"),
        (["--set", "steps=x"], "--set"),
        (["--scheduler", "nowhere"], "--scheduler"),
        (["--workers", "0"], "--workers"),
        (["--axis", "alpha=0.1,3"], "--axis"),
        (["{tmp}/missing.toml"], "CONFIG"),
    ],
)
def test_cli_sweep_refuses_bad_arguments_in_one_line(tmp_path, capsys, argv, named):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        status = main(["sweep", *argv, "--out", str(tmp_path / "s.nc"), "--scheduler", "serial"])
    except SystemExit as stop:
        status = stop.code
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and named in err[0], err


def test_cli_sweep_interrupted_says_how_to_resume(tmp_path, capsys, monkeypatch):
    from verify.reports import sweep as module

    real = module._run_point
    calls = []

    def interrupt_second(*args):
        if calls:
            raise KeyboardInterrupt
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(module, "_run_point", interrupt_second)
    argv = ["sweep", "--axis", "tau=0.5,1", "--set", "steps=40", "--set", "chains=8", "--out", str(tmp_path / "s.nc")]
    assert main([*argv, "--scheduler", "serial"]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 of 2 points kept" in err[0]


def test_check_on_a_cluster_gives_the_serial_results(tmp_path, address):
    ids = ["C5", "C9", "C39", "C45"]
    serial, cluster = tmp_path / "serial.json", tmp_path / "cluster.json"
    assert main(["check", *ids, "--json", str(serial)]) == 0
    assert main(["check", *ids, "--json", str(cluster), "--scheduler", address]) == 0
    a, b = (json.loads(p.read_text())["results"] for p in (serial, cluster))
    for record in a + b:
        record.pop("seconds")
    assert [r["id"] for r in b] == ids and a == b
    assert b[1]["empirical"] is not None and b[1]["details"]["seed_entropy"] == 20241212


def test_claim_results_survive_pickling():
    import pickle

    from verify.claims.registry import run_checks

    (result,) = run_checks(["C39"], progress=False)
    assert pickle.loads(pickle.dumps(result)) == result


@pytest.mark.slow
def test_a_hundred_point_sweep_interrupted_resumed_on_a_cluster_and_serially(tmp_path):
    sweep = Sweep({"tau": list(np.geomspace(0.5, 4.0, 10)), "sigma": list(np.geomspace(0.05, 0.5, 10))}, TINY, seed=7)
    out = tmp_path / "c.nc"
    with pytest.raises(SweepInterrupted):
        run_sweep(sweep, out, scheduler="local", workers=2, progress=False, on_point=_stop_after(40, []))
    kept = len(os.listdir(f"{out}.parts"))
    assert kept == 40  # the tasks still running were cancelled
    rest = []
    cluster = run_sweep(sweep, out, scheduler="local", workers=2, progress=False, on_point=lambda p, r: rest.append(p))
    assert len(rest) == 100 - kept
    _same(cluster, run_sweep(sweep, tmp_path / "s.nc", scheduler="serial", progress=False))
