"""Calibration of the verdict machinery on truth-known instances (``slow``: ``python -m pytest -m slow``).

A statement known to be true must not come out refuted more often than the family level allows. Each root seed
re-draws every random number of:

* digital SGD's stationary floor on Figure 1's problem against its exact value (:func:`digital_floor`), an
  equivalence test with a 5% band (the tolerance of an "approximately" statement);
* the registered claims whose statements are exact and true on their instances: the digital SGD bound (C2),
  the expected drifts (C19-C21, exact one-step expectations) and the predicted Analog SGD floor (P1).

With intervals at the Bonferroni level over the m registered claims, the chance that a root seed refutes any of
these k claims is at most 0.05 k/m, and the digital floor's interval adds 1 - level; over ``SEEDS`` seeds the
number of seeds with a false refutation is then stochastically below Binomial(SEEDS, 0.05). The test fails
when that count is improbable under it (upper tail below 1%).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from verify.claims import PROFILES, claim_seed, load_claims, run_claim
from verify.claims.registry import DEFAULT_SEED
from verify.claims.verdicts import Tolerance, decide
from verify.experiments.figures import digital_floor, stationary_floors
from verify.experiments.settings import figure1
from verify.sim.dynamics import DigitalSGD
from verify.sim.noise import GaussianNoise
from verify.sim.stats import mean_ci

SEEDS = 20
TRUE_CLAIMS = ("C2", "C19", "C20", "C21", "P1")
FIVE_PERCENT = Tolerance(0.05, "calibration instance: an 'approximately' statement read as within 5%")


def digital_floor_verdict(seed: int, level: float) -> str:
    setting = figure1("code")
    problem, alpha, std = setting.problem, max(setting.alphas), setting.noise_stds[0]
    burn = int(np.ceil(8.0 / (alpha * problem.strong_convexity)))
    run = stationary_floors(
        problem,
        [("digital", DigitalSGD(alpha), burn, alpha)],
        GaussianNoise(std),
        window=200,
        chains=1000,
        seeds=np.random.SeedSequence(seed),
        progress=False,
    )[0]
    return decide(mean_ci(run["floor"], level), digital_floor(problem, alpha, std), "equal", tolerance=FIVE_PERCENT)


def false_refutations(seeds: int = SEEDS) -> dict:
    """Per root seed, which truth-known statements came out refuted."""
    claims, quick = load_claims(), PROFILES["quick"]
    out = {}
    for i in range(seeds):
        entropy = DEFAULT_SEED + 1 + i
        refuted = [c for c in TRUE_CLAIMS if run_claim(claims[c], quick, claim_seed(c, entropy)).verdict == "refuted"]
        if digital_floor_verdict(entropy, quick.level) == "refuted":
            refuted.append("digital floor")
        out[entropy] = refuted
    return out


@pytest.mark.slow
def test_false_refutation_rate_is_within_the_family_level():
    found = false_refutations()
    bad = sum(1 for refuted in found.values() if refuted)
    tail = scipy.stats.binom.sf(bad - 1, SEEDS, 0.05) if bad else 1.0
    print(
        f"\nfalse refutations: {bad} of {SEEDS} root seeds ({bad / SEEDS:.1%}); P(>= {bad} | 5%) = {tail:.3g}; {found}"
    )
    assert tail >= 0.01, found
