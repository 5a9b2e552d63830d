"""``python -m verify compare``: the report, its bounds' statuses, bad input, plot and JSON."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from verify.cli.arguments import Parser
from verify.cli.compare import add_parser, run
from verify.reports import compare as compare_module
from verify.reports.bench import normal_draw_rate, run_benchmark
from verify.reports.compare import compare


def _parse(argv):
    parser = Parser(prog="aimc-verify")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    add_parser(commands)
    return parser.parse_args(argv)


TINY = ["--steps", "60", "--chains", "40", "--seed", "3"]


@pytest.mark.parametrize(
    "algorithm, names",
    [
        ("digital-sgd", ["digital SGD, eq. (5)"]),
        ("analog-sgd", ["eq. (65) as stated", "Theorem 1 (v1 Thm 2), derived", "W_max = ", "S_K = "]),
        ("pulsed-sgd", ["eq. (65) as stated", "the pulse level differs by O(dw_min"]),
        ("tiki-taka", ["Theorem 3 rate (14) as stated", "Theorem 3 rate from the proof (138)", "c = "]),
    ],
)
def test_each_algorithm_prints_measurements_beside_its_bounds(algorithm, names, capsys):
    args = _parse(["compare", "--algorithm", algorithm] + TINY)
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"root seed 3\n{algorithm} on scalar quadratic")
    assert "avg ||grad f||^2 over k < K" in out and "floor: avg over tail k in [30, 60)" in out
    assert "[avg_grad_sq]" in out and "[floor]" in out
    for name in names:
        assert name in out


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--tail", "2"], "--tail"),
        (["--chains", "1"], "--chains"),
        (["--alpha", "-0.1"], "--alpha"),
        (["--algorithm", "adam"], "--algorithm"),
        (["--noise", "cauchy"], "--noise"),
        (["--sigma", "nan"], "--sigma"),
    ],
)
def test_a_bad_argument_is_one_line_naming_it(argv, named, capsys):
    with pytest.raises(SystemExit) as exit_:
        _parse(["compare"] + argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"argument {named}" in err


def test_bad_input_found_while_running_is_a_one_line_value_error():
    # too many iterates to follow for W_max: refused before the run
    with pytest.raises(ValueError, match=r"^chains x steps x dim is too large: measuring W_max") as info:
        run(_parse(["compare", "--steps", "100000", "--chains", "100000"]))
    assert "\n" not in str(info.value)
    # a step size at which digital GD diverges (alpha L = 83 on Figure 1's least squares) is refused before the run,
    # in one line naming L
    with pytest.raises(ValueError, match="2/L") as info:
        run(
            _parse(
                [
                    "compare",
                    "--algorithm",
                    "digital-sgd",
                    "--problem",
                    "least-squares",
                    "--dim",
                    "10",
                    "--alpha",
                    "0.5",
                    "--steps",
                    "50",
                    "--chains",
                    "4",
                ]
            )
        )
    assert "\n" not in str(info.value)


def test_a_bound_that_does_not_apply_is_reported_with_its_numbers(capsys):
    report = compare(algorithm="analog-sgd", alpha=0.6, steps=60, chains=40, seed=3)
    stated = [r for r in report["bounds"] if "as stated" in r["bound"]]
    assert stated and all(not r["applicable"] and r["verdict"] == "not applicable" for r in stated)
    assert "alpha <= 1/(2L) fails (0.6 <= 0.5)" in stated[0]["failed"]
    args = _parse(["compare", "--alpha", "0.6"] + TINY)
    args.run(args)
    assert "not applicable: alpha <= 1/(2L) fails (0.6 <= 0.5)" in capsys.readouterr().out
    # Theorem 3's descent condition A > 0 fails for every admissible c (bounds.tiki_taka.derive_descent_sign)
    report = compare(algorithm="tiki-taka", steps=60, chains=40, seed=3)
    proof = next(r for r in report["bounds"] if "(138)" in r["bound"] and r["quantity"] == "avg_grad_sq")
    assert any(f.startswith("1 - 128/(c^2 D) - 32 P_max^2/tau^2 > 0 fails (-") for f in proof["failed"])


def test_digital_floor_covers_the_stationary_value_and_the_bound_holds():
    """Scalar digital SGD, g_k = L(w_k - w*): at stationarity E g^2 = alpha L s^2/(2 - alpha L)
    (Var w = alpha^2 s^2/(1 - (1 - alpha L)^2)); the transient (1 - alpha L)^(2k) is < 1e-20 in the tail."""
    alpha, L, sigma = 0.05, 1.0, 0.3
    report = compare(
        algorithm="digital-sgd", L=L, sigma=sigma, alpha=alpha, steps=2000, chains=400, seed=11, level=0.999
    )
    floor = report["measured"]["floor"]
    exact = alpha * L * sigma**2 / (2 - alpha * L)
    assert floor.low <= exact <= floor.high
    limit = next(r for r in report["bounds"] if r["quantity"] == "floor")
    assert limit["value"] == pytest.approx(alpha * sigma**2 * L) and limit["verdict"].startswith("holds")


def test_same_seed_same_numbers_and_the_outputs(tmp_path, capsys):
    a = compare(algorithm="analog-sgd", steps=40, chains=20, seed=5)
    b = compare(algorithm="analog-sgd", steps=40, chains=20, seed=5)
    assert (
        a["measured"]["avg_grad_sq"] == b["measured"]["avg_grad_sq"]
        and a["measured"]["W_max"] == b["measured"]["W_max"]
    )
    png, js = tmp_path / "c.png", tmp_path / "c.json"
    args = _parse(
        [
            "compare",
            "--problem",
            "theorem2",
            "--dim",
            "3",
            "--noise",
            "two-point",
            "--plot",
            str(png),
            "--json",
            str(js),
        ]
        + TINY
    )
    assert args.run(args) == 0
    assert png.stat().st_size > 0
    record = json.loads(js.read_text())
    assert record["tool"] == "aimc-verify" and record["command"] == "compare" and record["seed"] == 3
    data = record["results"]
    assert data["parameters"]["D"] == 3 and data["parameters"]["f_gap"] == 0.0
    m = data["measured"]["avg_grad_sq"]
    assert m["low"] <= m["mean"] <= m["high"] and m["n"] == 40
    assert all(r["value"] is None or math.isfinite(r["value"]) for r in data["bounds"])


def test_analog_sgd_prints_the_predicted_floor_beside_the_measured_one(capsys):
    """Scalar ALD, Gaussian noise, alpha = 0.02: the limit + c1 alpha of bounds.asymptotics lies in the
    tail-window interval (measured 0.01086 [0.01071, 0.01101] vs 0.010876 at K=2000, R=400, seed 0)."""
    report = compare(algorithm="analog-sgd", alpha=0.02, steps=2000, chains=400, seed=0, level=0.999)
    pf, floor = report["measured"]["predicted_floor"], report["measured"]["floor"]
    assert pf["limit"] < pf["value"] and floor.low <= pf["value"] <= floor.high
    assert pf["verdict"].startswith("consistent")
    args = _parse(["compare", "--noise", "two-point"] + TINY)
    args.run(args)
    assert "predicted floor (limit + c1 alpha, bounds.asymptotics): " in capsys.readouterr().out
    none = compare(
        algorithm="analog-sgd",
        problem="least-squares",
        dim=3,
        noise="two-point",
        alpha=1e-3,
        steps=20,
        chains=4,
        seed=1,
    )["measured"]["predicted_floor"]
    assert none["value"] is None and none["verdict"].startswith("not computed")


# --- several algorithms at once, stable defaults (issue 14) ------------------------------------------------------


def test_alpha_at_or_above_two_over_L_is_refused_naming_L():
    with pytest.raises(ValueError, match=r"alpha must be below 2/L = 0\.00833.*L = 240"):
        compare(algorithm="digital-sgd", problem="least-squares", alpha=0.01, steps=5, chains=2)


def test_default_alpha_is_stable_on_every_problem():
    from verify.reports.compare import default_alpha

    assert default_alpha(1.0) == 0.05 and default_alpha(240.0) == pytest.approx(1 / 480)


def test_tiki_taka_default_beta_keeps_p_in_range_and_says_so():
    report = compare(algorithm="tiki-taka", problem="least-squares", steps=30, chains=4, seed=1)
    p = report["parameters"]
    assert p["beta"] < 8 * p["alpha"] * p["L"] and "lowered" in p["beta_note"]
    assert np.isfinite(report["measured"]["floor"].mean)
    with pytest.raises(ValueError, match="beta <= "):
        compare(algorithm="tiki-taka", problem="least-squares", beta=1.0, steps=5, chains=2)


def test_compare_many_shares_the_seed_and_the_command_overlays_them(tmp_path, capsys):
    from verify.reports.compare import compare_many

    a, b = compare_many(["digital-sgd", "analog-sgd"], steps=20, chains=8, seed=3)
    assert a["seed"]["entropy"] == b["seed"]["entropy"] == 3
    with pytest.raises(ValueError, match="once"):
        compare_many(["digital-sgd", "digital-sgd"], steps=2, chains=2)
    png, js = tmp_path / "m.png", tmp_path / "m.json"
    argv = ["compare", "--algorithm", "analog-sgd,tiki-taka,digital-sgd", "--problem", "least-squares"]
    args = _parse(argv + ["--steps", "40", "--chains", "8", "--plot", str(png), "--json", str(js)])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "digital reference floor" in out and "predicted floor" in out and "2/L" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    record = json.loads(js.read_text())
    assert [r["parameters"]["algorithm"] for r in record["results"]] == ["analog-sgd", "tiki-taka", "digital-sgd"]


def test_algorithm_option_rejects_unknown_names_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "verify", "compare", "--algorithm", "analog-sgd,adam"], capture_output=True, text=True
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "--algorithm" in done.stderr


# --- issue 15: every parameter refused by name before the run, no warnings, no other exception types -----------


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"tau": 1e308}, "tau"),  # was an OverflowError (tau**2 in r_bar)
        ({"sigma": 1e308}, "sigma"),  # was numpy warnings, then an error naming the noise law's std
        ({"problem": "theorem2", "dim": 10**6}, "dim"),  # was a MemoryError (a dense D x D Hessian)
        ({"problem": "least-squares", "dim": 10**9}, "dim"),  # ran on
        ({"L": 1e-320}, "L"),
        ({"w_star": math.nan}, "w_star"),
        ({"steps": 10**12}, "steps"),
        ({"chains": 10**9, "steps": 10**3}, "chains"),
        ({"problem": "least-squares", "dim": 2048, "chains": 10**4, "steps": 10**4}, "dim"),
        ({"problem_seed": -1}, "problem_seed"),
        ({"beta": math.inf}, "beta"),
        ({"dw_min": "x"}, "dw_min"),
        ({"level": 1.0}, "level"),
        ({"noise": np.zeros(2)}, "noise"),
        ({"progress": "yes"}, "progress"),
    ],
)
def test_issue15_bad_parameters_are_refused_by_name_without_warnings(changes, named):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((ValueError, TypeError), match=rf"\b{named}\b") as info:
            compare(**{"steps": 4, "chains": 2, **changes})
    assert "\n" not in str(info.value)


def test_issue15_divergence_is_a_value_error_naming_the_parameters():
    # sigma = 100 with tau = 1: the ALD's steps exceed its range and the chain diverges
    with pytest.raises(ValueError, match=r"diverged.*tau=1, sigma=100"):
        compare(sigma=100.0, steps=1000, chains=2)


def test_issue15_report_rows_hold_no_infinity():
    report = compare(algorithm="tiki-taka", steps=20, chains=4, seed=3)
    for row in report["bounds"]:
        assert row["value"] is None or math.isfinite(row["value"])
        assert row["applicable"] or row["value"] is None
    with pytest.raises(TypeError, match="report"):
        compare_module.format_report({"parameters": {}})
    with pytest.raises(ValueError, match="path"):
        compare_module.plot_compare(report, "/proc/no/such/plot.png")


@pytest.mark.parametrize(
    "call, named",
    [
        (lambda: run_benchmark(chains=10**12, steps=2, repeats=1, report=print), "chains"),  # ran on
        (lambda: run_benchmark(chains=64, steps=10**7, repeats=1, report=print), "steps"),
        (lambda: run_benchmark(chains=64, steps=2, repeats=10**6, report=print), "repeats"),
        (lambda: run_benchmark(chains=64, steps=2, repeats=1, report=None), "report"),
        (lambda: normal_draw_rate(chains=10**12, dim=40, steps=2, repeats=1), "chains"),
        (lambda: normal_draw_rate(chains=2, dim=10**12, steps=2, repeats=1), "dim"),
        (lambda: normal_draw_rate(chains=0, dim=4, steps=2, repeats=1), "chains"),  # was a ZeroDivisionError
    ],
)
def test_issue15_bench_refuses_sizes_by_name_before_running(call, named):
    with pytest.raises((ValueError, TypeError), match=rf"\b{named}\b"):
        call()
