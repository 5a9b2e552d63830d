"""The claims of verify/claims/checks/drift.py (C19-C21), noise_constant.py (C34) and asymptotics.py (P1-P3)
at a small fixed-level profile: registry data and each check's control (properties, not pinned verdicts).

The helpers are tested in tests/test_checks_lower_bound.py (drift), tests/test_checks_devices.py (the
noise constant) and tests/test_asymptotics.py (the predictions).
"""

from __future__ import annotations

import math

import pytest

import verify.claims.checks.asymptotics  # noqa: F401  (registers P1-P3)
import verify.claims.checks.drift  # noqa: F401  (registers C19-C21)
import verify.claims.checks.noise_constant  # noqa: F401  (registers C34)
from verify.claims.registry import CLAIMS, Profile, claim_seed, run_claim

IDS = ("C19", "C20", "C21", "C34", "P1", "P2", "P3")
PROFILE = Profile("test", chains=1000, step_scale=1.0, fixed_level=1 - 0.05 / 60)


@pytest.fixture(scope="module")
def results():
    return {cid: run_claim(CLAIMS[cid], PROFILE, claim_seed(cid)) for cid in IDS}


def test_registry_data():
    for cid in IDS:
        c = CLAIMS[cid]
        assert c.model and c.tolerance is not None and c.tolerance.reason
        assert c.intended is None  # C34 is substantive; the rest are not errata
    assert {CLAIMS[c].relation for c in ("C19", "C20", "C21", "P1", "P2", "P3")} == {"equal"}
    assert CLAIMS["P3"].tolerance.scale == "absolute"


@pytest.mark.parametrize("cid", IDS)
def test_each_control_comes_out_as_it_must(results, cid):
    r = results[cid]
    assert r.control_as_expected, (cid, r.verdict, r.negative_control)
    if r.verdict == "refuted":
        assert r.negative_control["role"] == "corrected statement"
    else:
        assert r.negative_control["role"] == "nearest wrong statement" and r.negative_control["margin"]


def test_drift_identities_are_decided_and_their_control_has_power(results):
    # the identities are exact at symmetric point 0: never refuted; the control (stated x (1 + 2 tol)) is
    for cid in ("C19", "C20", "C21"):
        r = results[cid]
        assert r.verdict != "refuted"
        assert r.negative_control["verdict"] == "refuted"
        assert len(r.details["cases"]) >= 2  # the scaling runs at halved step sizes


def test_c34_is_a_substantive_refutation_whose_corrected_constant_is_confirmed(results):
    r = results["C34"]
    assert r.verdict == "refuted" and r.kind == "refuted"
    assert r.empirical == pytest.approx(math.sqrt(2 / (math.pi * 4)), rel=1e-12)
    assert r.negative_control["verdict"] == "confirmed"


def test_fitted_p_claims_report_chi2_per_case(results):
    for cid in ("P1", "P2"):
        fits = results[cid].details["fit"]
        assert len(fits) == 3 and all(f["line"]["dof"] == 1 for f in fits.values())
    assert results["P3"].details["fit"]["line"]["chi2_per_dof"] > 0
