"""Figure 3 reproduction (issue 5 item 4): curves, distance, PNG/CSV output, the figure command, C35."""

import csv
import numpy as np
import pytest

from verify.cli import main
from verify.figures import Curve, curve_distance, figure3_curves, make_figure


def curve(values, sem=0.0, chains=100):
    values = np.asarray(values, dtype=float)
    return Curve("c", None, values, np.full(values.shape, sem), chains)


def test_distance_is_the_mean_absolute_log_ratio_with_a_covering_interval():
    a, b = curve([1.0, 2.0, 4.0, 1.0]), curve([1.0, 1.0, 1.0, 2.0])
    d = curve_distance(a, b)
    assert d.mean == pytest.approx(np.mean(np.abs(np.log([2.0, 4.0, 0.5]))))
    assert d.low == d.high == d.mean                       # no sampling error
    noisy = curve_distance(curve([1.0, 2.0, 2.0], sem=0.1), curve([1.0, 2.0, 2.0], sem=0.1), level=0.95)
    assert noisy.mean == 0.0 and noisy.low == 0.0 and noisy.high == pytest.approx(1.959964 * 0.1, rel=1e-5)


@pytest.mark.parametrize("a, b, named", [
    ([1.0, 2.0], [1.0, 2.0, 3.0], "same K"),
    ([1.0, 0.0], [1.0, 1.0], "positive"),
])
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


@pytest.mark.parametrize("kwargs, named", [
    ({"source": "book"}, "source"), ({"taus": (3.0,)}, "taus"), ({"chains": 1}, "chains"),
    ({"dw_min_scale": 0.0}, "dw_min_scale"),
])
def test_curves_reject_bad_arguments(kwargs, named):
    with pytest.raises(ValueError, match=named):
        figure3_curves(**{"chains": 4, "steps": 2, **kwargs})


def test_figure_command_writes_png_and_csv(tmp_path, capsys):
    out = tmp_path / "figs"
    assert main(["figure", "fig3", "--out", str(out), "--chains", "4", "--steps", "3"]) == 0
    png, table = out / "fig3-paper.png", out / "fig3-paper.csv"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 4 * 3 * 4                        # taus x curves x (K + 1)
    assert {r["curve"] for r in rows} == {"digital SGD (2)", "Analog SGD (3)", "pulse-level Analog SGD"}
    for r in rows:
        assert float(r["band_low"]) <= float(r["mean_f_gap"]) <= float(r["band_high"])
    printed = capsys.readouterr().out
    assert "wrote" in printed and "tau=2.5" in printed


def test_make_figure_rejects_unknown_names():
    with pytest.raises(ValueError, match="name"):
        make_figure("fig9")


@pytest.mark.parametrize("argv, named", [
    (["figure", "fig9"], "NAME"),
    (["figure", "fig3", "--source", "book"], "--source"),
    (["figure", "fig3", "--chains", "0"], "--chains"),
    (["figure", "fig3", "--out", "/proc/no/such", "--chains", "2", "--steps", "1"], "out"),
])
def test_figure_command_errors_are_one_line_naming_the_argument(argv, named, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:                          # argparse's own errors
        code = exit_.code
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], lines
