"""The 2025 paper's theorems as Bound objects (bounds.response_theory): values at known points, conditions, the
reduction to the 2024 paper's forms on the asymmetric linear device, and the derivations behind the R-claims."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from bounds import analog_sgd as AS
from bounds import response_theory as RT
from bounds import symbols as S
from bounds.devices import AsymmetricLinearDevice


# ---- Theorem 2 -------------------------------------------------------------------------------------------
def test_theorem2_step_size_solves_its_identity():
    alpha = RT.theorem2_step_size(f_gap=2.0, L=3.0, sigma=0.5, F_max=1.5, K=40)
    assert math.isclose((alpha * 1.5) ** 2 * 0.5**2 * 3.0 * 40, 2.0, rel_tol=1e-14)


def test_theorem2_at_its_step_size_is_the_first_form_at_that_step():
    args = dict(f_gap=1.3, L=2.0, sigma=0.7, F_max=1.2, K=500, S_asgd=0.05)
    rule = RT.theorem2_bound(**args)
    alpha = rule.terms["alpha"]
    explicit = RT.theorem2_bound(**args, alpha=alpha)
    assert math.isclose(rule.value, explicit.value, rel_tol=1e-13)
    assert math.isclose(rule.terms["asymptotic"], 8 * 1.2 * 0.49 * 0.05, rel_tol=1e-14)


def test_theorem2_condition_is_the_proofs_step_rule():
    ok = RT.theorem2_bound(1.0, 1.0, 1.0, F_max=1.0, K=16, S_asgd=0.0, alpha=0.25)
    bad = RT.theorem2_bound(1.0, 1.0, 1.0, F_max=1.0, K=16, S_asgd=0.0, alpha=0.3)
    assert ok.applicable and not bad.applicable
    assert "1/(4 L F_max)" in bad.status


def test_theorem2_one_step_holds_on_an_ald_coordinate_with_two_point_noise():
    """(68) against the exact expectation: ALD tau = 1 at w = 0.6, g = -0.2, noise +-0.5."""
    dev, L, alpha = AsymmetricLinearDevice(1.0), 1.0, 0.2
    F, G, g = float(dev.F(0.6)), float(dev.G(0.6)), -0.2
    lhs = 0.0
    for e in (0.5, -0.5):
        n = g + e
        d = -alpha * n * F - alpha * abs(n) * G
        lhs += 0.5 * (g * d + L / 2 * d * d)
    bound = RT.theorem2_one_step(g, F, G, 0.5, alpha, L, F_max=1.0)
    assert lhs <= bound


def test_remark1_reduces_to_the_2024_rate_with_half_the_asymptotic_term():
    """ALD: F_max = 1, R_min = 1 - W_max^2/tau^2, S_ratio = S_K; the 2024 (65) has 4 sigma^2 S_K."""
    tau, W_max, S_K = 1.0, 0.5, 0.4
    r25 = RT.remark1_bound(1.0, 2.0, 0.5, F_max=1.0, R_min=1 - W_max**2 / tau**2, K=400, S_ratio=S_K)
    r24 = AS.theorem1_bound_as_stated(1.0, 2.0, 0.5, tau=tau, W_max=W_max, K=400, S_K=S_K)
    assert math.isclose(r25.terms["rate"], r24.terms["rate"], rel_tol=1e-13)
    assert math.isclose(2 * r25.terms["asymptotic"], r24.terms["asymptotic"], rel_tol=1e-14)


# ---- Theorem 6 -------------------------------------------------------------------------------------------
def test_theorem6_133_is_the_2024_theorem9_on_the_ald():
    for f_gap, L, tau, W_max, K in ((1.0, 1.0, 1.0, 0.5, 3), (0.2, 5.0, 2.0, 1.9, 100)):
        r = 1 - W_max**2 / tau**2
        b25 = RT.theorem6_gradient_bound(f_gap, L, F_max=1.0, R_min=r, K=K).value
        b24 = AS.theorem9_bound_as_stated(f_gap, L, tau, W_max, K, alpha=1 / L).value
        assert math.isclose(b25, b24, rel_tol=1e-14)
    expr = RT.THEOREM6_133.expr.subs({RT.F_MAX: 1, RT.R_MIN: 1 - S.W_max**2 / S.tau**2})
    assert sp.simplify(expr - AS.THEOREM9_AS_STATED.expr) == 0


def test_theorem6_derived_forms_equal_the_stated_ones_at_the_proofs_steps():
    assert math.isclose(
        RT.theorem6_bound_derived(1.0, 2.0, 1.5, K=7, alpha=1 / (2 * 2.0 * 1.5)).value,
        RT.theorem6_bound(1.0, 2.0, 1.5, K=7).value,
        rel_tol=1e-14,
    )
    assert math.isclose(
        RT.theorem6_gradient_bound_derived(1.0, 2.0, 1.5, 0.5, K=7, alpha=1 / (2.0 * 1.5)).value,
        RT.theorem6_gradient_bound(1.0, 2.0, 1.5, 0.5, K=7).value,
        rel_tol=1e-14,
    )
    over = RT.theorem6_bound_derived(1.0, 2.0, 1.5, K=7, alpha=1.0)
    assert not over.applicable and math.isinf(over.value)


def test_theorem6_printed_metric_fails_where_the_steps_metric_holds():
    """ALD tau = 1, f = (1/2)(w + 0.96)^2 from w_0 = -0.9 with alpha = 1/(2 L F_max), K = 2: the metric (131)
    (minus sign) exceeds (132); the step's metric (plus sign) does not."""
    dev, L, ws, w = AsymmetricLinearDevice(1.0), 1.0, -0.96, -0.9
    alpha, K = 0.5, 2
    gap = L / 2 * (w - ws) ** 2
    minus = plus = 0.0
    for _ in range(K):
        F, G, g = float(dev.F(w)), float(dev.G(w)), L * (w - ws)
        R = F * F - G * G
        minus += (g * F - abs(g) * G) ** 2 + g * g * R
        plus += (g * F + abs(g) * G) ** 2 + g * g * R
        w = w - alpha * g * F - alpha * abs(g) * G
    bound = RT.theorem6_bound(gap, L, F_max=1.0, K=K).value
    assert minus / K > bound > plus / K


# ---- Theorem 3 and Corollary 1 -------------------------------------------------------------------------
def test_theorem3_beta_and_lyapunov_constant():
    beta = RT.theorem3_beta(alpha=0.01, mu=0.5, gamma=4.0, F_max=1.0, R_min_W=0.81, R_min_P=0.64)
    assert math.isclose(beta, 0.01 * 0.5 * 8.0 * math.sqrt(0.81 * 0.64) / (16 * math.sqrt(2)), rel_tol=1e-14)
    C = RT.THEOREM3_LYAPUNOV_C.expr
    expected = 10 * RT.THEOREM3_BETA.expr / S.alpha * RT.F_MAX**2 / (RT.R_P * RT.GAMMA)
    assert sp.simplify(C - expected) == 0


def test_theorem3_bound_terms_and_the_derived_conditions():
    b = RT.theorem3_bound(1.0, 1.0, 1.0, mu=1.0, gamma=0.5, F_max=1.0, R_min_W=1.0, R_min_P=0.9, K=10**6, S_rl=0.1)
    assert b.applicable
    V0, alpha = b.terms["V0"], b.terms["alpha"]
    assert math.isclose(b.value, 32 * math.sqrt(V0 / 10**6) + 24 * 0.1, rel_tol=1e-12)
    assert math.isclose(alpha, math.sqrt(V0 / 10**6), rel_tol=1e-14)
    weak = RT.theorem3_bound(1.0, 1.0, 1.0, mu=1.0, gamma=0.5, F_max=1.0, R_min_W=1.0, R_min_P=0.4, K=10**6, S_rl=0.0)
    assert [c.statement for c in weak.failed] == ["R^RL_min > 1/2"]


def test_corollary1_threshold_meets_its_exponent():
    for R in (0.01, 0.3, 0.99):
        gamma = RT.corollary1_gamma_threshold(R)
        assert math.isclose(R * gamma**3, gamma**-2, rel_tol=1e-12)


# ---- Lemma 3 -------------------------------------------------------------------------------------------
def test_lemma3_counterexample_and_the_valid_constant():
    """ALD at w = tau/2: F = 1, G = 1/2, q_- = 3/2 > F_max = 1."""
    lhs = RT.lemma3_increment_difference(1.0, 0.5, 0.0, -1.0)
    assert lhs == 1.5 > RT.lemma3_bound(1.0, 0.5, 0.0, -1.0, F_max=1.0).value
    rng = np.random.default_rng(0)
    for _ in range(200):
        F = rng.uniform(0.1, 2.0)
        G = rng.uniform(-F, F)
        a, b = rng.normal(size=2)
        assert RT.lemma3_increment_difference(F, G, a, b) <= RT.lemma3_bound_derived(F, G, a, b).value * (1 + 1e-12)
    assert RT.lemma3_bound_derived(1.0, 0.5, 0.0, -1.0).value == lhs  # attained


def test_lemma3_conditions_flag_an_inadmissible_point():
    assert not RT.lemma3_bound(1.0, 1.5, 0.1, 0.2, F_max=1.0).applicable  # |G| > F: a negative response


# ---- input validation ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: RT.theorem2_bound(1.0, -1.0, 1.0, 1.0, 10, 0.0),
        lambda: RT.theorem2_bound(1.0, 1.0, 1.0, 1.0, 0, 0.0),
        lambda: RT.remark1_bound(1.0, 1.0, 1.0, 1.0, 0.0, 10, 0.0),
        lambda: RT.theorem3_beta(0.1, 1.0, float("nan"), 1.0, 1.0, 1.0),
        lambda: RT.corollary1_gamma_threshold(-0.5),
        lambda: RT.lemma3_bound(0.0, 0.0, 1.0, 1.0, 1.0),
    ],
)
def test_bad_inputs_are_refused(call):
    with pytest.raises(ValueError):
        call()


def test_extreme_inputs_name_their_parameters():
    with pytest.raises(ValueError, match="f_gap|L|F_max"):
        RT.theorem6_bound(1e308, 1e308, 1e308, K=1)
