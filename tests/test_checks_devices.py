"""Helper logic of the device and noise-constant checks (verify/claims/checks/devices.py, noise_constant.py)."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from bounds import symbols as S
from verify.claims.checks import devices as C
from verify.claims.checks import noise_constant as N
from verify.claims.registry import CLAIMS, Profile, claim_seed, run_claim


def test_check_identity_outcomes():
    assert C.check_identity(sp.Abs(-S.tau), S.tau, "abs")["outcome"] == "proved"
    out = C.check_identity(S.w * S.tau, S.w, "drop tau")
    assert out["outcome"] == "counterexample" and out["counterexample"]["value"] == "1/6"  # (3/2 - 1)/3
    unknown = sp.Symbol("not_sampled", positive=True)
    assert C.check_identity(unknown, 1, "no point covers it")["outcome"] == "undecided"
    assert C.identity_outcome([{"outcome": "proved"}, {"outcome": "undecided"}]) == "undecided"
    assert C.identity_outcome([{"outcome": "counterexample"}, {"outcome": "undecided"}]) == "counterexample"


def test_check_identity_refutes_with_exp_at_50_digits():
    """A non-rational difference (exponential step) is evaluated at 50 digits, far above rounding."""
    q_plus, _ = C.ExponentialStepDevice.response_expressions(S.w)
    out = C.check_identity(q_plus, 1 - sp.exp(-S.gamma_plus * (S.tau_max - S.w)), "width dropped")
    assert out["outcome"] == "counterexample"


def test_compact_form_proved_and_nearest_wrong_refuted():
    assert C.identity_outcome(C.compact_form_checks()) == "proved"
    near = C.compact_form_checks(C._near_compact)
    # a 1/1000 change of the |dw| G coefficient changes nothing where G = 0 (ideal device), and is caught elsewhere
    assert {c["outcome"] for c in near if c["what"].startswith("ideal")} == {"proved"}
    assert all(c["outcome"] == "counterexample" for c in near if not c["what"].startswith("ideal"))


def test_ald_checks():
    assert C.identity_outcome(C.ald_checks()) == "proved"
    assert C.identity_outcome(C.ald_checks(C._near_eq3)) == "counterexample"


QUICK = Profile("quick", chains=200, step_scale=0.2, fixed_level=1 - 0.05 / 57)


@pytest.mark.parametrize("claim_id", ["C5", "C6", "C7", "C8"])
def test_device_claims_and_their_controls(claim_id):
    """C5, C6, C8 confirmed with their nearest wrong statement refuted; C7 an erratum: refuted as printed, its
    registered intended statement (the control) proved."""
    result = run_claim(CLAIMS[claim_id], QUICK, claim_seed(claim_id))
    assert result.control_as_expected and result.model == CLAIMS[claim_id].model
    if claim_id == "C7":
        assert result.verdict == "refuted" and result.kind == "erratum"
        assert result.negative_control["statement"] == CLAIMS["C7"].intended == C.LEMMA1_INTENDED
        assert result.details["intended"] == C.LEMMA1_INTENDED
    else:
        assert result.verdict == "confirmed" and result.negative_control["verdict"] == "refuted"
        assert result.negative_control["margin"]


def test_lemma1_nearest_wrong_statement_is_refuted():
    """The intended conditions with the factors read on |w| instead of |w - w_sp| fail (only) for w_sp != 0."""
    assert C.identity_outcome(C.lemma1_symbolic(factor_on_w=True)) == "counterexample"
    tested, violations = C.lemma1_grid_violations(saturation=C._on_w(C._SAT), reset=C._on_w(C._RESET))
    assert violations and all(v["w_sp"] != "0" for v in violations)


def test_lemma1_grid():
    tested, violations = C.lemma1_grid_violations()
    assert tested > 500 and violations == []
    tested, violations = C.lemma1_grid_violations(C._paper_condition)
    assert violations and all(v["w_sp"] != "0" for v in violations)
    assert C.lemma1_grid_violations(C._paper_condition, w_sp_zero=True)[1] == []
    # the brief's counterexample, exactly
    assert C._STEP(Fraction(1, 5), Fraction(1, 10), Fraction(1), Fraction(1, 2)) == Fraction(13, 100)
    assert C._SAT(Fraction(1, 5), Fraction(1), Fraction(1, 2)) * Fraction(1, 10) == Fraction(7, 100)


def test_lemma1_symbolic():
    assert C.identity_outcome(C.lemma1_symbolic()) == "proved"
    assert C.identity_outcome(C.lemma1_symbolic(swap=True)) == "counterexample"
    assert C.identity_outcome(C.lemma1_symbolic("w", w_sp_zero=True)) == "proved"
    assert C.identity_outcome(C.lemma1_symbolic("w")) == "counterexample"


def test_bounded_weight_certificate():
    assert C._certificate_holds(C.bounded_weight_certificate(1))
    wide = C.bounded_weight_certificate(sp.Rational(11, 10))
    assert all(c["outcome"] == "proved" for c in wide)  # the identity itself holds for any step
    assert not C._certificate_holds(wide)  # but b = 1 - t >= 0 fails for t up to 11/10
    assert wide[0]["margin_at_u0_tmax"] == "-1/10"  # w = w_sp, dw = 1.1 tau lands at 1.1 tau


def test_bounded_weight_search_small():
    inside = C.bounded_weight_search(60, 40, np.random.SeedSequence(1))
    assert not inside["violations_beyond_rounding"] and inside["updates"] == 60 * 16 * 40
    outside = C.bounded_weight_search(60, 40, np.random.SeedSequence(1), max_step=1.1)
    assert outside["worst_excess_over_tau"] >= 0.09


def test_bounded_weight_search_is_reproducible():
    a = C.bounded_weight_search(24, 10, np.random.SeedSequence(7))
    b = C.bounded_weight_search(24, 10, np.random.SeedSequence(7))
    assert a == b


def test_gaussian_c_table():
    rows = {r["D"]: r for r in N.gaussian_c_table()}
    assert rows[1]["stated_c_valid_under_A5"] and rows[1]["c_A5_over_stated"] == pytest.approx(1.0, rel=1e-15)
    for D in (2, 4, 10, 100, 1000):
        assert not rows[D]["stated_c_valid_under_A5"]
        assert rows[D]["c_A5_over_stated"] == pytest.approx(D**-0.5, rel=1e-14)
        assert rows[D]["coordinate_scaling_status"].startswith("not applicable")


def test_monte_carlo_c_covers_the_exact_constant():
    mc = N.monte_carlo_c(200, 64, 4, np.random.SeedSequence(3), level=0.999)
    at_zero = mc["estimates"][0]
    assert at_zero.covers(N.gaussian_c_table(dims=(4,))[0]["c_A5"])
    assert min(mc["estimates"], key=lambda e: e.mean) is at_zero  # the infimum is at g = 0
