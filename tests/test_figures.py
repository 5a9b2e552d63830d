"""Figure 3 reproduction (issue 5 item 4): curves, distance, PNG/CSV output, the figure command, C35."""

import csv

import numpy as np
import pytest

from verify.cli import main
from verify.experiments.figures import Curve, curve_distance, figure3_curves
from verify.reports.figures import make_figure


def curve(values, sem=0.0, chains=100):
    values = np.asarray(values, dtype=float)
    return Curve("c", None, values, np.full(values.shape, sem), chains)


def test_distance_is_the_mean_absolute_log_ratio_with_a_covering_interval():
    a, b = curve([1.0, 2.0, 4.0, 1.0]), curve([1.0, 1.0, 1.0, 2.0])
    d = curve_distance(a, b)
    assert d.mean == pytest.approx(np.mean(np.abs(np.log([2.0, 4.0, 0.5]))))
    assert d.low == d.high == d.mean  # no sampling error
    noisy = curve_distance(curve([1.0, 2.0, 2.0], sem=0.1), curve([1.0, 2.0, 2.0], sem=0.1), level=0.95)
    assert noisy.mean == 0.0 and noisy.low == 0.0 and noisy.high == pytest.approx(1.959964 * 0.1, rel=1e-5)


@pytest.mark.parametrize(
    "a, b, named",
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], "same K"),
        ([1.0, 0.0], [1.0, 1.0], "positive"),
    ],
)
def test_distance_rejects_bad_curves(a, b, named):
    with pytest.raises(ValueError, match=named):
        curve_distance(curve(a), curve(b))


def test_curves_have_the_figure_shape_and_are_reproducible():
    kw = dict(chains=6, steps=4, seed=3, taus=(1.0, 2.5))
    one, two = figure3_curves(**kw), figure3_curves(**kw)
    assert list(one["analog"]) == list(one["pulsed"]) == [1.0, 2.5]
    assert one["pulsed"][2.5].dw_min == pytest.approx(2 * 2.5 / 300) and one["stability"]["stable"]
    for c in [one["digital"], *one["analog"].values(), *one["pulsed"].values()]:
        assert c.mean.shape == c.sem.shape == (5,) and c.chains == 6
    np.testing.assert_array_equal(one["pulsed"][1.0].mean, two["pulsed"][1.0].mean)
    code = figure3_curves("code", chains=3, steps=2, seed=0, taus=(1.0,))
    assert code["pulsed"][1.0].dw_min == pytest.approx(1 / 300)


@pytest.mark.parametrize(
    "kwargs, named",
    [
        ({"source": "book"}, "source"),
        ({"taus": (3.0,)}, "taus"),
        ({"chains": 1}, "chains"),
        ({"dw_min_scale": 0.0}, "dw_min_scale"),
    ],
)
def test_curves_reject_bad_arguments(kwargs, named):
    with pytest.raises(ValueError, match=named):
        figure3_curves(**{"chains": 4, "steps": 2, **kwargs})


def test_figure_command_writes_png_and_csv(tmp_path, capsys):
    out = tmp_path / "figs"
    assert main(["figure", "fig3", "--model", "dynamic3", "--out", str(out), "--chains", "4", "--steps", "3"]) == 0
    png, table = out / "fig3-paper.png", out / "fig3-paper.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 4 * 3 * 4  # taus x curves x (K + 1)
    assert {r["curve"] for r in rows} == {"digital SGD (2)", "Analog SGD (3)", "pulse-level Analog SGD"}
    for r in rows:
        assert float(r["band_low"]) <= float(r["mean_f_gap"]) <= float(r["band_high"])
    printed = capsys.readouterr().out
    assert "wrote" in printed and "tau=2.5" in printed


def test_make_figure_rejects_unknown_names():
    with pytest.raises(ValueError, match="name"):
        make_figure("fig9")


@pytest.mark.parametrize(
    "argv, named",
    [
        (["figure", "fig9"], "NAME"),
        (["figure", "fig3", "--source", "book"], "--source"),
        (["figure", "fig3", "--model", "pulses"], "--model"),
        (["figure", "fig3", "--chains", "0"], "--chains"),
        (["figure", "fig3", "--out", "/proc/no/such", "--chains", "2", "--steps", "1"], "out"),
    ],
)
def test_figure_command_errors_are_one_line_naming_the_argument(argv, named, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], lines


# --- Figures 1 and 4 (issue 6 item 1): floors as checks -------------------------------------------------------

import verify.claims.checks.figure3  # noqa: E402,F401  (registers C35)
from verify.claims.checks.figures import FLOOR_VERDICTS, c1_verdicts  # noqa: E402
from verify.claims.registry import CLAIMS, PROFILES, claim_seed, run_claim  # noqa: E402
from verify.experiments.figures import FLOOR_FIGURES, digital_floor, figure1_floors, floor_setting, stationary_floors  # noqa: E402
from verify.sim.stats import mean_ci  # noqa: E402

TINY = dict(chains=40, window=20, seed=5)


def test_fig1_digital_floor_matches_the_exact_stationary_value_and_its_slope_is_about_one():
    data = figure1_floors(**{**TINY, "chains": 200, "window": 100})
    assert data["source_used"] == "code" and "2/L" in data["source_note"]  # paper's alphas are unstable
    exact = dict(zip(data["alphas"], data["digital_exact"]["floors"]))
    for r in data["runs"]:
        if r["series"] == "digital":
            e = mean_ci(r["floor"], 0.999)
            assert e.covers(exact[r["x"]]), (r["label"], e, exact[r["x"]])
    slope = data["fits"]["digital"][1]
    assert 1.0 < data["digital_exact"]["slope"] < 1.2 and abs(slope.mean - data["digital_exact"]["slope"]) < 0.1


QUICK = PROFILES["quick"]  # the same object as test_claims': the figures' data are computed once per session


def test_c1_verdicts_decide_fitted_slopes_and_never_trust_a_rejected_line():
    data = figure1_floors(**TINY)
    results = c1_verdicts(data, 0.999)
    assert set(results) == {"C1a", "C1b"}
    for r in results.values():
        fit = r.details["fit"]
        assert {"line", "curved", "decided_by"} <= set(fit)
        if not fit["line"]["fits"] and not (fit["curved"] or {}).get("fits"):
            assert r.verdict == "inconclusive"  # no fitted model: no slope verdict
    # metamorphic: a synthetic flat analog floor (alpha^0) and alpha^1 digital floor confirm both parts
    rng = np.random.default_rng(0)
    flat = dict(
        data,
        runs=[
            dict(r, floor=(1.0 if r["series"] == "analog" else r["x"]) * (1 + 0.01 * rng.standard_normal(50)))
            for r in data["runs"]
        ],
    )
    for r in c1_verdicts(flat, 0.95).values():
        assert r.verdict == "confirmed" and r.control_as_expected, (r.id, r.negative_control)


@pytest.mark.parametrize("claim_id", ["C1a", "C1b", "C36a", "C36b", "C37", "C38", "C35"])
def test_figure_checks_controls_have_power_at_the_quick_profile(claim_id):
    """Confirmed -> nearest wrong statement refuted; refuted -> corrected statement confirmed; else not confirmed."""
    res = run_claim(CLAIMS[claim_id], QUICK, claim_seed(claim_id))
    assert res.control_as_expected, (res.verdict, res.negative_control)
    assert res.model and CLAIMS[claim_id].depends
    if res.verdict == "refuted":
        assert res.negative_control["role"] == "corrected statement" and res.kind == "refuted"


def test_split_figure_claims_share_their_data():
    a = run_claim(CLAIMS["C36a"], QUICK, claim_seed("C36a"))
    b = run_claim(CLAIMS["C36b"], QUICK, claim_seed("C36b"))
    assert a.details["analog_floors"] == b.details["analog_floors"]  # the experiment model's runs
    assert a.second_model["details"]["floors"] == b.second_model["details"]["floors"]  # dynamic (3)'s


def test_stationary_floors_common_seed_is_paired_and_bad_seeds_are_rejected():
    setting, _ = floor_setting("fig1", "code")
    p = setting.problem
    from verify.sim.dynamics import DigitalSGD
    from verify.sim.noise import GaussianNoise

    seed = np.random.SeedSequence(1)
    runs = [("a", DigitalSGD(0.1), 5, 0.1), ("b", DigitalSGD(0.1), 5, 0.1)]
    a, b = stationary_floors(p, runs, GaussianNoise(0.01), window=3, chains=4, seeds=seed)
    np.testing.assert_array_equal(a["floor"], b["floor"])
    with pytest.raises(ValueError, match="seeds"):
        stationary_floors(p, runs, GaussianNoise(0.01), window=3, chains=4, seeds=[seed])
    with pytest.raises(ValueError, match="alpha"):
        digital_floor(p, 1.0, 0.1)  # alpha above 2/L: no stationary floor


@pytest.mark.parametrize("name", ["fig1", "fig4-tau", "fig4-sigma", "fig4-init"])
def test_floor_figure_command_writes_png_csv_and_the_claims_verdict(name, tmp_path, capsys):
    argv = ["figure", name, "--model", "dynamic3", "--out", str(tmp_path), "--chains", "8", "--steps", "5"]
    assert main(argv) == 0
    png, table = tmp_path / f"{name}.png", tmp_path / f"{name}.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(table.open()))
    floors = [r for r in rows if r["quantity"] == "floor"]
    assert floors and all(float(r["ci_low"]) <= float(r["value"]) <= float(r["ci_high"]) for r in floors)
    claim_id = FLOOR_FIGURES[name][1]
    printed = capsys.readouterr().out
    assert f"{claim_id}" in printed and "official code" in printed
    parts = {"fig1": ["C1a", "C1b"], "fig4-tau": ["C36a", "C36b"]}.get(name, [claim_id])
    assert all(f"{part}: " in printed for part in parts)
    if name == "fig1":
        assert {r["quantity"] for r in rows} >= {"slope of log floor vs log alpha", "exact digital floor"}
    assert name in FLOOR_VERDICTS


@pytest.mark.parametrize(
    "kwargs, named",
    [({"chains": 1}, "chains"), ({"window": 0}, "window"), ({"seed": -1}, "seed"), ({"source": "book"}, "source")],
)
def test_floor_computes_reject_bad_arguments(kwargs, named):
    with pytest.raises(ValueError, match=named):
        figure1_floors(**{**TINY, **kwargs})


# --- the experiment model's figures (issue 13): the scripts on the AIHWKit-faithful tile ----------------------

from verify.claims.checks.experiments import FIGURE_VERDICTS  # noqa: E402
from verify.experiments.scripts import SCRIPTS  # noqa: E402


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_experiment_figure_is_the_default_with_curves_floors_and_verdicts(name, tmp_path, capsys):
    assert main(["figure", name, "--out", str(tmp_path), "--chains", "3", "--steps", "4"]) == 0
    png, table = tmp_path / f"{name}.png", tmp_path / f"{name}.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(table.open()))
    curves = [r for r in rows if r["kind"] == "curve"]
    values = [r for r in rows if r["kind"] in ("floor", "end")]
    runs = len(SCRIPTS[name]().runs)
    assert len([r for r in values if r["series"] == "analog"]) == runs
    assert len([r for r in curves if r["series"] == "analog"]) == runs * 5  # k = 0..4 per run
    assert all(float(r["ci_low"]) <= float(r["mean"]) <= float(r["ci_high"]) for r in values)
    printed = capsys.readouterr().out
    assert "AIHWKit-faithful tile" in printed
    claims = {"fig1": ["C1a", "C1b"], "fig3": ["C35"], "fig4-tau": ["C36a", "C36b"], "fig4-sigma": ["C37"]}
    assert all(f"{cid}: " in printed for cid in claims.get(name, ["C38"]))
    assert name in FIGURE_VERDICTS
