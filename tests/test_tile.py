"""The AIHWKit-faithful tile (issue 13): validation, the per-row pulse law, the closed-form composition against a
pulse-by-pulse loop, the logged loss, and the scripts' experiments."""

import math

import numpy as np
import pytest

from verify.experiments import scripts
from verify.experiments.tile import PulsedTileSGD, TileConfig
from verify.sim.engine import simulate

CFG = TileConfig(tau=1.0, dw_min=0.01, w_noise=0.0, desired_bl=31)


def tile(cfg=CFG, lr=0.1, n=5, dim=3, seed=0, **kw):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, dim))
    return PulsedTileSGD(cfg, lr, X, X @ rng.standard_normal(dim) * 0.3, **kw)


# ---------------------------------------------------------------------------------------------
# bad input names the parameter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, named",
    [
        (lambda: TileConfig(tau=0.0, dw_min=0.1), "tau"),
        (lambda: TileConfig(tau=1.0, dw_min=1.0), "dw_min"),
        (lambda: TileConfig(tau=1.0, dw_min=0.1, w_noise=-1), "w_noise"),
        (lambda: TileConfig(tau=1.0, dw_min=0.1, noise_management="max"), "noise_management"),
        (lambda: TileConfig(tau=1.0, dw_min=0.1, desired_bl=0), "desired_bl"),
        (lambda: TileConfig(tau=1.0, dw_min=0.1, pulsed="yes"), "pulsed"),
        (lambda: PulsedTileSGD(CFG, 0.0, np.ones((2, 2)), np.ones(2)), "lr"),
        (lambda: PulsedTileSGD(CFG, 0.1, np.ones((2, 2)), np.ones(3)), "targets"),
        (lambda: PulsedTileSGD(CFG, 0.1, np.ones((2, 2)), np.ones(2), logged="loud"), "logged"),
        (lambda: PulsedTileSGD(CFG, 0.1, np.ones((2, 2)), np.ones(2), loss_scale=0), "loss_scale"),
    ],
)
def test_bad_arguments_name_the_parameter(make, named):
    with pytest.raises(ValueError, match=named):
        make()


def test_a_config_of_the_wrong_type_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="config must be a TileConfig"):
        PulsedTileSGD("cfg", 0.1, np.ones((2, 2)), np.ones(2))


def test_initial_analog_weights_must_lie_in_the_device_range_but_the_bias_need_not():
    dyn = tile()
    dyn.check_initial_point(np.array([[0.5, -1.0, 1.0, 100.0]]))  # the digital bias is unbounded
    with pytest.raises(ValueError, match="w0"):
        dyn.check_initial_point(np.array([[1.5, 0.0, 0.0, 0.0]]))


def test_update_needs_a_generator():
    with pytest.raises(ValueError, match="rng"):
        tile().update({"W": np.zeros((1, 4))}, None, None)


# ---------------------------------------------------------------------------------------------
# the per-row pulse law (AIHWKit's bit-length and update management, shared d-bits)
# ---------------------------------------------------------------------------------------------


def _law(x, d, lr, dw_min, desired_bl):
    """BL, p_x (D,), p_d of one row, from AIHWKit's formulas written out."""
    x = np.abs(np.asarray(x, float))
    k = lr * x.max() * abs(d) / dw_min
    bl = min(max(math.ceil(round(k, 9)), 1), desired_bl)
    if k <= desired_bl:
        return bl, math.sqrt(k / bl) * x / x.max(), math.sqrt(k / bl)
    return bl, x / x.max(), min(1.0, k / bl)


@pytest.mark.parametrize("d, desired_bl", [(0.3, 31), (3.0, 31), (30.0, 31)])
def test_row_counts_follow_the_shared_bit_law(d, desired_bl):
    """Mean BL p_x p_d, variance of a Binomial(BL, p_x p_d), covariance BL p_d (1 - p_d) p_xi p_xj between weights
    of one row (they share the d-bits): within 5 standard errors over 20000 draws."""
    x = np.array([1.0, 0.5, -0.25, 0.1])
    lr, dw_min = 0.01, 1e-3
    cfg = TileConfig(tau=1e3, dw_min=dw_min, desired_bl=desired_bl)
    dyn = PulsedTileSGD(cfg, lr, x[None], np.zeros(1), bias=False)
    draws = 20000
    counts = dyn.row_counts(np.full((draws, 1), d), np.random.default_rng(5))[:, 0]  # (draws, D)
    bl, px, pd = _law(x, d, lr, dw_min, desired_bl)
    p = px * pd
    mean, var = bl * p, bl * p * (1 - p)
    assert np.all(np.abs(counts.mean(0) - mean) <= 5 * np.sqrt(var / draws) + 1e-12)
    cov = np.cov(counts.T)
    expected_cov = bl * pd * (1 - pd) * np.outer(px, px)
    np.fill_diagonal(expected_cov, var)
    scale = np.sqrt(np.outer(var, var) * 2 / draws) + 1e-9  # sd of a sample covariance, roughly
    assert np.all(np.abs(cov - expected_cov) <= 5 * scale + 1e-9)


def test_exact_multiple_gives_exactly_that_many_pulses():
    """lr |x d| = 0.02 = 20 dw_min: BL = 20, p_x = p_d = 1, 20 pulses every time (not Binomial(21, 20/21))."""
    cfg = TileConfig(tau=1e3, dw_min=1e-3, desired_bl=31)
    dyn = PulsedTileSGD(cfg, 0.01, np.array([[1.0]]), np.zeros(1), bias=False)
    counts = dyn.row_counts(np.full((1000, 1), 2.0), np.random.default_rng(0))
    assert np.all(counts == 20)


# ---------------------------------------------------------------------------------------------
# the closed-form composition against pulse-by-pulse application
# ---------------------------------------------------------------------------------------------


def test_apply_counts_equals_pulse_by_pulse_soft_bounds():
    rng = np.random.default_rng(2)
    cfg = TileConfig(tau=0.7, dw_min=0.05)
    dyn = PulsedTileSGD(cfg, 0.1, rng.standard_normal((6, 3)), np.zeros(6), bias=False)
    W = rng.uniform(-0.6, 0.6, (4, 3))
    d = rng.standard_normal((4, 6))
    counts = rng.integers(0, 9, (4, 6, 3)).astype(float)
    expected = W.copy()
    for r in range(4):
        for b in range(6):
            for j in range(3):
                down = np.sign(d[r, b] * dyn.inputs[b, j]) > 0
                for _ in range(int(counts[r, b, j])):
                    w = expected[r, j]
                    expected[r, j] = w - 0.05 * (1 + w / 0.7) if down else w + 0.05 * (1 - w / 0.7)
    got = W.copy()
    dyn.apply_counts(got, counts.copy(), d)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-13)


def test_exact_per_row_updates_equal_a_row_loop():
    rng = np.random.default_rng(3)
    cfg = TileConfig(tau=2.0, dw_min=0.01, pulsed=False)
    X, t = rng.standard_normal((7, 3)), rng.standard_normal(7)
    dyn = PulsedTileSGD(cfg, 0.05, X, t, bias=True, loss_scale=0.5)
    W = rng.uniform(-1, 1, (2, 4))
    expected = W.copy()
    d = 2 * 0.5 * (expected[:, :3] @ X.T + expected[:, 3:] - t) / 7
    expected[:, 3] -= 0.05 * d.sum(1)
    for b in range(7):
        dw = -0.05 * d[:, b : b + 1] * X[b]
        expected[:, :3] += dw - np.abs(dw) * expected[:, :3] / 2.0
    dyn.update({"W": W}, None, None, rng=np.random.default_rng(0))
    np.testing.assert_allclose(W, expected, rtol=0, atol=1e-13)


def test_combined_update_pulses_the_batch_sum():
    """per_sample=False: one train per weight for -lr sum_b d_b x_b; with a granularity far below the update the
    n = |dw|/dw_min pulses give the continuous soft-bounds flow w <- s tau + (w - s tau) exp(-|dw|/tau), s =
    sign(dw) (which is (6) to first order in dw)."""
    rng = np.random.default_rng(4)
    X, t = rng.standard_normal((5, 2)), rng.standard_normal(5)
    fine = TileConfig(tau=1.0, dw_min=1e-9, desired_bl=10**9, per_sample=False)
    dyn = PulsedTileSGD(fine, 0.1, X, t, bias=False)
    W = np.array([[0.2, -0.3]])
    d = 2 * (W @ X.T - t) / 5
    dw = -0.1 * d @ X
    expected = np.sign(dw) + (W - np.sign(dw)) * np.exp(-np.abs(dw))
    dyn.update({"W": W}, None, None, rng=np.random.default_rng(1))
    np.testing.assert_allclose(W, expected, rtol=0, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# the logged loss in the engine
# ---------------------------------------------------------------------------------------------


def test_exact_logged_loss_is_the_training_loss_over_the_divisor():
    dyn = tile(logged="exact", logged_divisor=3.0, loss_scale=0.5)
    res = simulate(dyn.problem(), dyn, None, steps=5, chains=3, seed=1, w0=np.zeros(4))
    np.testing.assert_allclose(res.mean["logged"], res.mean["f_gap"] / 3.0, rtol=1e-10, atol=1e-15)


def test_noisy_logged_loss_adds_the_weight_noise_of_a_fresh_forward():
    """E[noisy MSE] - MSE = w_noise^2 mean_b ||x_b||^2 (no clipping); at W = W*, MSE = 0."""
    cfg = TileConfig(tau=3.0, dw_min=1e-4, w_noise=0.05)
    dyn = tile(cfg, logged="noisy", n=20, dim=4)
    W = np.tile(dyn.problem().w_star, (4000, 1))
    out = np.empty(4000)
    dyn.observe({"W": W}, "logged", out, np.random.default_rng(0))
    expected = 0.05**2 * np.mean(np.sum(dyn.inputs**2, axis=1))
    assert abs(out.mean() - expected) < 5 * out.std() / np.sqrt(out.size)


# ---------------------------------------------------------------------------------------------
# the scripts
# ---------------------------------------------------------------------------------------------


def test_scripts_describe_the_official_settings():
    s1 = scripts.fig1()
    assert (s1.script, s1.dim, s1.loss_scale, s1.logged, s1.steps) == ("S1", 40, 1.0, "noisy", 2500)
    t = s1.runs[0].tile
    assert (t.tau, t.dw_min, t.desired_bl, t.w_noise) == (3.0, 1e-4, 800, 0.01 / math.sqrt(40))
    s2 = scripts.fig3()
    assert [r.tile.dw_min for r in s2.runs] == [tau / 300 for tau in (1.0, 1.5, 2.0, 2.5)]
    assert s2.loss_scale == 0.5 and s2.logged == "exact" and s2.runs[0].tile.desired_bl == 5000
    s32 = scripts.fig4_sigma()
    assert [r.tile.w_noise**2 for r in s32.runs] == pytest.approx([1e-3, 1e-2, 1e-1, 1.0])
    assert s32.loss_scale == 0.5 and s32.steps == 200
    s33 = scripts.fig4_init()
    start = s33.run("constant 1000").w0
    assert np.all(start[:50] == 1.0) and start[50] == 1000.0  # analog clipped to tau, digital bias not
    assert s33.runs[0].tile.noise_management == "abs_max" and s33.runs[0].tile.inp_bound == 1.0
    assert scripts.fig4_tau().logged == "exact"


def test_script_problem_is_the_training_loss_with_f_star_zero():
    s = scripts.fig4_init()
    p = s.problem
    assert p.dim == 51
    assert float(p.objective_gap(p.w_star[None])[0]) == pytest.approx(0.0, abs=1e-20)
    assert p.w_star[50] == pytest.approx(0.1)


def test_figure_data_is_reproducible_and_has_the_series():
    kw = dict(chains=2, seed=3, steps=4)
    one, two = scripts.figure_data("fig3", **kw), scripts.figure_data("fig3", **kw)
    assert [len(one["series"][s]) for s in ("analog", "digital", "dynamic3")] == [4, 1, 4]
    for a, b in zip(one["series"]["analog"], two["series"]["analog"]):
        np.testing.assert_array_equal(a["floor"], b["floor"])
        assert a["curve"].shape == (5,)
    with pytest.raises(ValueError, match="figure"):
        scripts.figure_data("fig9", chains=2)


# ---------------------------------------------------------------------------------------------
# issue 15: the scripts' records and entry points refuse bad input by name
# ---------------------------------------------------------------------------------------------


def _script(**changes):
    from verify.experiments.scripts import Run, Script

    run = Run("alpha=0.1", 0.1, 0.1, CFG)
    args = dict(
        script="S",
        figure="f",
        inputs=np.ones((3, 2)),
        targets=np.ones(3),
        loss_scale=1.0,
        logged="exact",
        steps=4,
        runs=(run,),
        noise_std=0.1,
    )
    return Script(**{**args, **changes})


@pytest.mark.parametrize(
    "make, named",
    [
        (lambda: _script(inputs=np.ones((3, 0))), "inputs"),  # was a reduction error deep in numpy
        (lambda: _script(logged=np.zeros(2)), "logged"),  # was "truth value of an array is ambiguous"
        (lambda: _script(steps=10**12), "steps"),
        (lambda: _script(runs=()), "runs"),
        (lambda: _script(noise_std=math.nan), "noise_std"),
        (lambda: PulsedTileSGD(CFG, 0.1, np.full((2, 2), 1e200), np.ones(2)), "inputs"),  # norms overflow
        (lambda: TileConfig(tau=1.0, dw_min=0.1, noise_management=np.zeros(2)), "noise_management"),
        (lambda: TileConfig(tau=1.0, dw_min=0.1, desired_bl=2**40), "desired_bl"),
    ],
)
def test_issue15_records_refuse_bad_fields_by_name(make, named):
    with pytest.raises((ValueError, TypeError), match=named):
        make()


def test_issue15_runs_refuse_bad_fields_and_scripts_names_data_seed():
    from verify.experiments.scripts import Run, fig1

    with pytest.raises(ValueError, match="lr"):
        Run("a", 0.1, math.nan, CFG)  # was accepted, and NaN came back from every run
    with pytest.raises(TypeError, match="tile"):
        Run("a", 0.1, 0.1, None)
    with pytest.raises(ValueError, match="data_seed"):
        fig1(-1)


def test_issue15_entry_points_refuse_before_running_and_divergence_is_named():
    from verify.experiments.scripts import Run, figure_data, run_digital, run_tile

    script = _script()
    with pytest.raises(ValueError, match="lr must be below 2/L"):
        run_digital(script, 1e6, chains=2, seed=0, steps=2)  # was a NonFiniteError after the run
    with pytest.raises(ValueError, match="figure"):
        figure_data(np.zeros(2), chains=2)  # was an unhashable-type TypeError
    with pytest.raises(ValueError, match="chains x steps is too large"):
        run_tile(script, script.runs[0], chains=10**9, seed=0, steps=10**4)
    wild = Run("huge", 1.0, 1e150, CFG)  # the digital bias explodes
    with pytest.raises(ValueError, match="run 'huge' with lr=1e\\+150"):
        run_tile(_script(runs=(wild,)), wild, chains=2, seed=0, steps=50)


def test_issue15_digital_sgd_against_tau_has_no_infinite_x():
    from verify.experiments.scripts import figure_data

    data = figure_data("fig4-tau", chains=2, steps=2, progress=False)
    assert [e["x"] for e in data["series"]["digital"]] == [None]  # tau = infinity, no inf in the data
