"""The experiment model against the committed AIHWKit 1.1.0 references (issue 13): the device-level pulse law and
the scripts' floors and curves, within the tolerances registered in :mod:`verify.reports.crosscheck` (fixed before
the first comparison). No AIHWKit needed: the references are CSVs made by ``tests/data/make_aihwkit_references.py``.
"""

import csv
import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from verify.experiments.tile import PulsedTileSGD, TileConfig
from verify.reports.crosscheck import reference_crosscheck, validate

DATA = Path(__file__).parent / "data"


def _read(name):
    with (DATA / name).open(newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _law(x, d, lr, dw_min, desired_bl, k=None):
    """(BL, p_x, p_d) of one row under AIHWKit's bit-length and update management; k defaults to float64's."""
    x = np.abs(x)
    if k is None:
        k = lr * x.max() * abs(d) / dw_min
        k = round(k) if abs(k - round(k)) < 1e-9 * max(k, 1) else k
    bl = min(max(math.ceil(k), 1), desired_bl)
    kc = min(k, bl)
    return bl, math.sqrt(kc / bl) * x / x.max(), min(1.0, k / math.sqrt(kc * bl))


def _moments(bl, px, pd, signs):
    p = px * pd
    mean = signs * bl * p
    var = bl * p * (1 - p)
    cov0 = signs[0] * signs * bl * pd * (1 - pd) * px[0] * px
    cov0[0] = var[0]
    return mean, var, cov0


def _cases():
    rows = _read("aihwkit_pulse_counts.csv")
    for case in dict.fromkeys(r["case"] for r in rows):
        pick = [r for r in rows if r["case"] == case]
        r0 = pick[0]
        x = np.array([float(v) for v in r0["x"].split(";")])
        yield case, x, float(r0["d"]), float(r0["lr"]), float(r0["dw_min"]), int(r0["desired_bl"]), pick


@pytest.mark.parametrize("case, x, d, lr, dw_min, desired_bl, rows", list(_cases()), ids=lambda v: str(v)[:12])
def test_pulse_counts_match_aihwkit(case, x, d, lr, dw_min, desired_bl, rows):
    """AIHWKit's signed counts of one update (4000 trials) against the law: means, variances and covariances with
    count 0 within 5 standard errors. Case e (k = 60 exactly in float64) is AIHWKit's float32 rounding: its k =
    60.000008 gives BL = 61 and a Binomial(61, ~60/61) count where ours (exact at multiples, as the issue asks)
    applies 60 pulses; there the data are checked against the law at AIHWKit's float32 k, and ours agrees in mean."""
    trials = int(rows[0]["trials"])
    signs = -np.sign(x * d)
    got_mean = np.array([float(r["mean"]) for r in rows])
    got_var = np.array([float(r["var"]) for r in rows])
    got_cov = np.array([float(r["cov_with_0"]) for r in rows])
    k32 = float(np.float32(lr) * np.float32(np.abs(x).max()) * np.float32(abs(d)) / np.float32(dw_min))
    float32_differs = min(math.ceil(k32), desired_bl) != _law(x, d, lr, dw_min, desired_bl)[0]
    assert float32_differs == (case == "e")
    mean, var, cov = _moments(*_law(x, d, lr, dw_min, desired_bl, k32 if float32_differs else None), signs)
    se = np.sqrt(var / trials)
    assert np.all(np.abs(got_mean - mean) <= 5 * se + 1e-9), (got_mean, mean)
    assert np.all(np.abs(got_var - var) <= 5 * var * math.sqrt(2 / trials) + 0.02 * np.maximum(var, 1e-9) + 1e-9)
    se_cov = np.sqrt(var[0] * var / trials)
    assert np.all(np.abs(got_cov - cov) <= 5 * se_cov + 1e-9), (got_cov, cov)
    # and the model's own draws
    cfg = TileConfig(tau=1e6, dw_min=dw_min, desired_bl=desired_bl)
    dyn = PulsedTileSGD(cfg, lr, x[None], np.zeros(1), bias=False)
    ours = dyn.row_counts(np.full((trials, 1), d), np.random.default_rng(11))[:, 0] * signs
    assert np.all(np.abs(ours.mean(0) - got_mean) <= 5 * np.sqrt((var + ours.var(0)) / trials) + 1e-9)


#: family-wise 95% over the S1 and S2 comparisons (8 runs x floor and curve)
LEVEL = 1 - 0.05 / 16


def _failures(result, verdicts):
    return [
        (r["label"], v["floor"], v["curve"], r["ratio"].mean, r["curve_distance"].high)
        for r, v in zip(result["runs"], verdicts["runs"])
    ]


def test_model_matches_aihwkit_on_s1():
    """Every run of S1 (Figure 1): floor ratio model/AIHWKit equal to 1 within the registered 25% (equivalence
    test) and curve distance at most 0.25."""
    result = reference_crosscheck("fig1", chains=16, seed=7, level=LEVEL)
    verdicts = validate(result)
    assert verdicts["verdict"] == "confirmed", _failures(result, verdicts)


def test_model_is_not_refuted_on_s2_at_a_few_chains():
    """S2 (Figure 3) floors fluctuate over ~1000 steps, so 16 chains cannot confirm the match (the slow test runs
    64); they must not refute it."""
    result = reference_crosscheck("fig3", chains=16, seed=7, level=LEVEL)
    verdicts = validate(result)
    assert verdicts["verdict"] != "refuted", _failures(result, verdicts)


@pytest.mark.slow
def test_model_matches_aihwkit_on_s2():
    result = reference_crosscheck("fig3", chains=64, seed=7, level=LEVEL)
    verdicts = validate(result)
    assert verdicts["verdict"] == "confirmed", _failures(result, verdicts)


@pytest.mark.slow
@pytest.mark.parametrize("figure", ["fig4-tau", "fig4-sigma", "fig4-init"])
def test_model_matches_aihwkit_on_figure_4(figure):
    result = reference_crosscheck(figure, chains=32, seed=7, level=1 - 0.05 / 42)
    verdicts = validate(result)
    assert verdicts["verdict"] == "confirmed", _failures(result, verdicts)


def test_validation_rejects_a_model_off_by_the_nearest_wrong_factor():
    """Control: the same decision on the model's floors scaled by 1 + 2 x tolerance (a model 50% off) refutes."""
    result = reference_crosscheck("fig4-init", chains=4, seed=7, level=LEVEL)
    from verify.reports.crosscheck import FLOOR_TOLERANCE
    from verify.sim.stats import ratio_of_independent_means

    factor = 1 + 2 * FLOOR_TOLERANCE.value
    for r in result["runs"]:
        model = r["model_floor"]
        scaled = dataclasses.replace(
            model, mean=model.mean * factor, low=model.low * factor, high=model.high * factor, sem=model.sem * factor
        )
        r["ratio"] = ratio_of_independent_means(scaled, r["aihwkit_floor"], LEVEL)
    verdicts = validate(result)
    assert verdicts["verdict"] == "refuted" and all(v["floor"] == "refuted" for v in verdicts["runs"])
