"""Figure 3 reproduction (issue 5 item 4): curves, distance, PNG/PDF/CSV/JSON output, the figure command, C35."""

import csv
import json
import math
import re
import struct

import numpy as np
import pytest

from verify.cli import main
from verify.experiments.figures import Curve, curve_distance, figure3_curves
from verify.reports.figures import CSV_FIELDS, CSV_KINDS, chain_warning, make_figure, verdict_sentence

DPI = 150


def png_size(path) -> tuple[int, int]:
    """Width and height in pixels from the PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def read_csv(path) -> list[dict]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(CSV_FIELDS)  # one schema for every figure and model
        rows = list(reader)
    assert rows and {r["kind"] for r in rows} <= set(CSV_KINDS)
    return rows


def assert_plots(stem, max_width_in: float):
    """PNG and PDF with the same stem; the PNG at most ``max_width_in`` inches wide at 150 dpi."""
    png, pdf = stem.with_suffix(".png"), stem.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    width, height = png_size(png)  # the height grows with the caption under the plot
    assert max_width_in * DPI * 0.9 <= width <= max_width_in * DPI + 1, (width, height)


def covers(rows):
    return all(float(r["ci_low"]) <= float(r["mean"]) <= float(r["ci_high"]) for r in rows)


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


def test_figure_command_writes_png_pdf_and_csv(tmp_path, capsys):
    out = tmp_path / "figs"
    assert main(["figure", "fig3", "--model", "dynamic3", "--out", str(out), "--chains", "4", "--steps", "3"]) == 0
    assert_plots(out / "fig3-paper", 7.5)  # four panels, not wider than 7.5 in
    rows = read_csv(out / "fig3-paper.csv")
    assert {(r["figure"], r["model"]) for r in rows} == {("fig3", "dynamic3")}
    curves = [r for r in rows if r["kind"] == "curve"]
    assert len(curves) == (1 + 2 * 4) * 4  # digital SGD once, per tau (3) and the pulse level; K + 1 points each
    assert {r["series"] for r in curves} == {"digital", "analog", "pulsed"}
    assert covers(curves) and all(r["dw_min"] for r in curves if r["series"] == "pulsed")
    assert len([r for r in rows if r["kind"] == "end"]) == 9 and all(r["k"] == "3" for r in rows if r["kind"] == "end")
    distances = [r for r in rows if r["kind"] == "distance"]
    assert len(distances) == 8 and covers(distances) and {r["series"] for r in distances} == {"digital", "analog"}
    printed = capsys.readouterr().out
    assert "wrote" in printed and "tau=2.5" in printed and "d2/d3 = " in printed and ".pdf" in printed


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
    assert_plots(tmp_path / name, 3.5)  # a single paper-sized panel
    rows = read_csv(tmp_path / f"{name}.csv")
    floors = [r for r in rows if r["kind"] == "floor"]
    assert floors and covers(floors) and all(r["model"] == "dynamic3" and r["window"] == "5" for r in floors)
    claim_id = FLOOR_FIGURES[name][1]
    printed = capsys.readouterr().out
    assert "official code" in printed
    parts = {"fig1": ["C1a", "C1b"], "fig4-tau": ["C36a", "C36b"]}.get(name, [claim_id])
    for part in parts:  # the verdict in words: claim, verdict, model, what was measured, its interval
        assert re.search(rf"^{part} (confirmed|refuted|inconclusive) on dynamic \(3\): .+ \[.+, .+\]", printed, re.M)
    warning = [line for line in printed.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "8 chains" in warning[0] and "1000" in warning[0] and "window of 5" in warning[0]
    if name == "fig1":
        assert {r["kind"] for r in rows} >= {"slope", "intercept", "fit", "exact"}
        assert covers([r for r in rows if r["kind"] == "slope"])
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
from verify.claims.results import ClaimResult  # noqa: E402
from verify.experiments.scripts import SCRIPTS  # noqa: E402
from verify.reports.figures import EXPERIMENT_CHAINS  # noqa: E402


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_experiment_figure_is_the_default_with_curves_floors_and_verdicts(name, tmp_path, capsys):
    assert main(["figure", name, "--out", str(tmp_path), "--chains", "3", "--steps", "4"]) == 0
    assert_plots(tmp_path / name, 7.5)  # two panels, about 7.5 in wide
    rows = read_csv(tmp_path / f"{name}.csv")
    assert {r["model"] for r in rows} == {"experiment"}
    curves = [r for r in rows if r["kind"] == "curve"]
    values = [r for r in rows if r["kind"] in ("floor", "end")]
    assert {r["kind"] for r in values} == {"end" if name == "fig4-init" else "floor"}
    runs = len(SCRIPTS[name]().runs)
    assert len([r for r in values if r["series"] == "analog"]) == runs
    assert len([r for r in curves if r["series"] == "analog"]) == runs * 5  # k = 0..4 per run
    assert covers(values) and covers(curves)
    if name == "fig1":
        assert {r["series"] for r in rows if r["kind"] == "slope"} == {"analog", "digital", "dynamic3"}
    printed = capsys.readouterr().out
    assert "AIHWKit-faithful tile" in printed
    claims = {"fig1": ["C1a", "C1b"], "fig3": ["C35"], "fig4-tau": ["C36a", "C36b"], "fig4-sigma": ["C37"]}
    for cid in claims.get(name, ["C38"]):
        pattern = rf"^{cid} (confirmed|refuted|inconclusive) on the AIHWKit-faithful model: .+ \[.+, .+\]"
        assert re.search(pattern, printed, re.M), printed
    warning = [line for line in printed.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "3 chains per run" in warning[0] and "fewer than the ledger's 8" in warning[0]
    assert "K = 4 steps" in warning[0]
    assert name in FIGURE_VERDICTS


# --- what a researcher reads: verdicts in words, the chain warning, the JSON record -------------------------


def test_make_figure_writes_json_with_verdicts_values_and_the_warning(tmp_path):
    record = tmp_path / "fig4-sigma.json"
    made = make_figure("fig4-sigma", str(tmp_path / "out"), chains=3, steps=4, seed=2, json=str(record))
    assert set(made["paths"]) == {"png", "pdf", "csv", "json"} and made["paths"]["json"] == str(record)
    assert made["paths"]["pdf"].endswith("fig4-sigma.pdf") and made["paths"]["png"].endswith("fig4-sigma.png")
    text = record.read_text()
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert data["figure"] == "fig4-sigma" and data["model"] == "experiment" and data["chains"] == 3
    assert data["command"] == "figure" and data["seed"] == 2 and data["finished"] is True
    assert [r["id"] for r in data["results"]] == ["C37"]
    c37 = data["results"][0]
    assert c37["verdict"] == made["results"]["C37"].verdict and c37["details"]["deciding_case"]
    assert c37["tolerance"]["value"] == CLAIMS["C37"].tolerance.value  # filled in from the registry
    assert c37["model"].startswith("AIHWKit-faithful tile model")
    floors = [v for v in data["values"] if v["kind"] == "floor"]
    assert len([v for v in floors if v["series"] == "analog"]) == 4 and all(
        v["ci_low"] <= v["mean"] <= v["ci_high"] and v["level"] == QUICK.level for v in floors
    )
    assert not any(v["kind"] == "curve" for v in data["values"])  # curves are the CSV's
    assert data["warnings"] == [line for line in made["lines"] if line.startswith("warning:")]
    assert data["warnings"] and data["warnings"][0] in made["caption"]
    assert made["caption"].startswith("C37 ") and "deciding_case" not in made["caption"]


def test_make_figure_rejects_a_bad_json_path_before_running(tmp_path):
    with pytest.raises(ValueError, match="json"):
        make_figure("fig1", str(tmp_path), chains=2, steps=1, json=str(tmp_path / "no" / "such" / "x.json"))
    with pytest.raises(ValueError, match="json"):
        make_figure("fig1", str(tmp_path), chains=2, steps=1, json=str(tmp_path))
    assert not list(tmp_path.iterdir())  # nothing computed, nothing written


def test_chain_warning_names_what_is_short_of_the_ledger():
    quick = PROFILES["quick"]
    assert chain_warning("experiment", quick.experiment_chains) is None
    assert chain_warning("dynamic3", quick.chains, 200, "fig1") is None
    assert chain_warning("experiment", EXPERIMENT_CHAINS, SCRIPTS["fig1"]().steps, "fig1") is None
    few = chain_warning("experiment", quick.experiment_chains - 1)
    assert few.startswith("warning:") and f"fewer than the ledger's {quick.experiment_chains}" in few
    assert "may differ" in few
    short = chain_warning("dynamic3", quick.chains, 50, "fig4-tau")
    assert short.startswith("warning:") and "window of 50" in short and "chains" not in short.split(";")[0][:30]


def _result(claim_id, verdict, relation, value, low, high, theoretical, case, **details):
    return ClaimResult(
        claim_id,
        verdict,
        relation,
        value,
        low,
        high,
        theoretical,
        details={"deciding_case": case, "cases": [{"case": case, "relation": relation, **details}, {"case": "x"}]},
    )


@pytest.mark.parametrize(
    "result, model, expected",
    [
        (
            _result("C38", "confirmed", "equal", 1.02, 0.99, 1.05, 1.0, "end(constant 1)/end(constant 0.01) = 1"),
            "experiment",
            "C38 confirmed on the AIHWKit-faithful model: the ratio end(constant 1)/end(constant 0.01) (the deciding "
            "case of 2) is 1.02 [0.99, 1.05], within +-10% of 1",
        ),
        (
            _result("C36b", "refuted", "upper", 0.4, 0.3, 0.5, 0.05, "gap at tau=50 <= 0.05"),
            "dynamic3",
            "C36b refuted on dynamic (3): the relative gap to digital SGD's floor at tau=50 (the deciding case of 2) "
            "is 0.4 [0.3, 0.5], above 0.05",
        ),
        (
            _result(
                "C37",
                "inconclusive",
                "lower",
                0.2,
                -0.1,
                0.5,
                1.0,
                "floor(sigma^2=0.1) < floor(sigma^2=1)",
                quantity="ratio of independent floors",
            ),
            "experiment",
            "C37 inconclusive on the AIHWKit-faithful model: for floor(sigma^2=0.1) < floor(sigma^2=1) (the deciding "
            "case of 2), the ratio of independent floors is 0.2 [-0.1, 0.5], not clearly above 1",
        ),
    ],
)
def test_verdict_sentence_says_verdict_model_quantity_interval_and_tolerance(result, model, expected):
    assert result.tolerance is None  # as FIGURE_VERDICTS returns it: the tolerance comes from the registry
    assert verdict_sentence(result, model) == expected


def test_verdict_sentence_says_why_a_fit_decides_nothing():
    fit = {"decided_by": None, "why_inconclusive": "the line is rejected; no fitted model describes the data"}
    r = ClaimResult(
        "C1b",
        "inconclusive",
        "lower",
        1.1,
        1.0,
        1.2,
        0.25,
        details={"deciding_case": "digital: slope > 0.25", "cases": [{"case": "digital: slope > 0.25", "fit": fit}]},
    )
    text = verdict_sentence(r, "dynamic3")
    assert text.startswith("C1b inconclusive on dynamic (3): the slope of log floor vs log alpha for digital SGD is")
    assert text.endswith("no fitted model describes the data")


# --- issue 15: files written atomically, bad input refused by name -------------------------------------------


def test_json_records_are_written_atomically(tmp_path, monkeypatch):
    from verify.reports import records

    path = tmp_path / "record.json"
    records.write_json(path, {"a": 1})
    # data that cannot be serialised is refused before the file is touched
    with pytest.raises(TypeError, match="data must be JSON-serialisable"):
        records.write_json(path, {"a": object()})
    # an interruption between writing and renaming leaves the old file whole and no temporary file behind
    real_replace = records.os.replace

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(records.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        records.write_json(path, {"a": 2})
    monkeypatch.setattr(records.os, "replace", real_replace)
    assert json.loads(path.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]
    records.write_json(path, {"a": 3})
    assert json.loads(path.read_text()) == {"a": 3}
    assert path.stat().st_mode & 0o777 != 0o600  # the umask's permissions, not mkstemp's private ones


@pytest.mark.parametrize(
    "path, named",
    [(None, "path"), (0, "path"), ("", "path"), ("/proc/no/such/file.json", "path"), (".", "path")],
)
def test_write_json_refuses_paths_it_cannot_write_by_name(path, named):
    from verify.reports.records import write_json

    with pytest.raises((ValueError, TypeError), match=named):
        write_json(path, {})


def test_csv_writers_refuse_records_and_paths_by_name(tmp_path):
    from verify.reports.figures import write_experiment_csv, write_floors_csv

    with pytest.raises(TypeError, match="data"):
        write_floors_csv({"figure": "fig1"}, str(tmp_path / "x.csv"))
    with pytest.raises(TypeError, match="data"):
        write_experiment_csv([], str(tmp_path / "x.csv"))
    with pytest.raises(ValueError, match="level"):
        write_floors_csv({"figure": "fig1", "runs": []}, str(tmp_path / "x.csv"), level=1.5)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@pytest.mark.parametrize(
    "kwargs, named",
    [
        ({"name": np.zeros(2)}, "name"),
        ({"model": ["experiment"]}, "model"),
        ({"source": None}, "source"),
        ({"steps": 10**9}, "steps"),
        ({"chains": 10**9}, "chains"),
        ({"progress": 1}, "progress"),
        ({"out_dir": ""}, "out_dir"),
    ],
)
def test_make_figure_refuses_bad_arguments_by_name_before_running(kwargs, named, tmp_path):
    args = {"name": "fig4-sigma", "out_dir": str(tmp_path), "chains": 2, "steps": 2, **kwargs}
    with pytest.raises((ValueError, TypeError), match=named):
        make_figure(**args)


def test_floor_figures_refuse_work_beyond_the_budget_up_front():
    from verify.experiments.figures import figure1_floors, figure4_tau_floors

    with pytest.raises(ValueError, match=r"chains x window is too large"):
        figure1_floors(chains=10**7)
    with pytest.raises(ValueError, match="window"):
        figure4_tau_floors(chains=2, window=10**7)
    with pytest.raises(ValueError, match="level"):
        figure4_tau_floors(chains=2, window=1, level=math.nan)  # was returned in the header unchecked
    with pytest.raises(ValueError, match="data_seed"):
        figure1_floors(chains=2, window=1, data_seed=-1)
