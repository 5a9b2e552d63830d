r"""C34: the constant c of Assumption 5 for Gaussian noise (App. D.2).

Setting. A5 asks for coordinates eps_i of the noise that are i.i.d., zero-mean, with ``E[eps_i^2] <= sigma^2/D``
and ``E|g + eps_i| >= c sigma`` for every real g. App. D.2 computes, for a scalar ``eps ~ N(0, sigma^2)``, the
folded-normal mean (46) and concludes "c = sqrt(2/pi)" (approximately, as a bound on an approximation).

The best constant is ``c = inf_g E|g + eps_i| / sigma``; for a Gaussian coordinate of standard deviation s the
infimum is at g = 0 and equals ``s sqrt(2/pi)`` exactly (:func:`bounds.noise_laws.a5_constant`). What c comes
out depends on how sigma relates to s, and A5 fixes that relation:

* A5 scaling: ``E[eps_i^2] = s^2 <= sigma^2/D``; the tightest sigma is ``s sqrt(D)``, so ``c = sqrt(2/(pi D))``,
  and no admissible sigma gives more. Jensen gives ``c <= 1/sqrt(D)`` for every law
  (:func:`bounds.noise_laws.a5_constant_limit`), which is below sqrt(2/pi) for every D >= 2.
* App. D.2's (coordinate) scaling: ``sigma = s`` gives ``c = sqrt(2/pi)``, but then ``E[eps_i^2] = sigma^2``
  violates A5's ``E[eps_i^2] <= sigma^2/D`` by the factor D whenever D > 1.

So "Gaussian noise satisfies A5 with c ~ sqrt(2/pi)" holds at D = 1 only. A Monte Carlo estimate of
``E|g + eps_i|/sigma`` on a grid of g cross-checks the exact values.

Verdict (relation "lower", exact): confirmed if the best constant at D = :data:`HEADLINE_D` reaches the stated
sqrt(2/pi) less the registered tolerance ("~" read as "approximately", 5%), refuted otherwise. A refutation is
substantive (no typo: the factor sqrt(D) changes P_max^2 by D), so its control is the corrected statement
``c = sqrt(2/(pi D))``, which must hold exactly (to :data:`RTOL_EXACT`) for every D of the table and be
confirmed by the Monte Carlo estimate at g = 0 within the same tolerance. The nearest wrong statement (the
control of a confirmation) is the exact c times (1 + 2 x tolerance).
"""

from __future__ import annotations

import math

import numpy as np

from bounds.noise_laws import GaussianLaw, a5_constant, a5_constant_limit, gaussian_c_as_stated

from ...sim.noise import GaussianNoise
from ...sim.seeds import child_seed
from ...sim.stats import mean_ci
from ..registry import Profile, claim, tolerance_of
from ..results import ClaimResult, exact_result
from ..verdicts import Tolerance, decide

__all__ = ["check_c34", "gaussian_c_table", "monte_carlo_c"]

#: the dimensions reported; the headline is HEADLINE_D
DIMENSIONS = (1, 2, 4, 10, 100, 1000)
HEADLINE_D = 4
#: the shifts g (in units of the coordinate standard deviation s) of the Monte Carlo cross-check
G_GRID = (0.0, 0.25, 0.5, 1.0, 2.0)
#: float64 rounding slack of the exact comparison c_A5 == sqrt(2/(pi D)) (a few ulps of numbers ~1)
RTOL_EXACT = 1e-12


def gaussian_c_table(sigma: float = 1.0, dims=DIMENSIONS) -> list[dict]:
    """Per D: the exact c under A5's scaling and under App. D.2's, with A5's variance condition for each."""
    stated = gaussian_c_as_stated().value
    rows = []
    for D in dims:
        s = sigma / math.sqrt(D)  # A5-tight: E[eps_i^2] = sigma^2/D
        a5 = a5_constant(GaussianLaw(s), D, "A5")
        coordinate = a5_constant(GaussianLaw(sigma), D, "coordinate")
        rows.append(
            {
                "D": D,
                "c_A5": a5.c,
                "c_A5_over_stated": a5.c / stated,
                "c_limit_any_law": a5_constant_limit(D).value,
                "c_coordinate": coordinate.c,
                "coordinate_scaling_status": coordinate.bound.status,
                "A5_scaling_status": a5.bound.status,
                "stated_c_valid_under_A5": a5.c >= stated,
            }
        )
    return rows


def monte_carlo_c(
    chains: int, draws: int, D: int, seed: np.random.SeedSequence, level: float, sigma: float = 1.0
) -> dict:
    """Estimate ``E|g + eps_i|/sigma`` with eps_i ~ N(0, sigma^2/D) (A5-tight) for g in :data:`G_GRID` (times s).

    Each chain draws ``draws`` noise vectors of D coordinates (verify.sim.noise.GaussianNoise); its mean of
    ``|g + eps_i|/sigma`` over them is one i.i.d. sample; Student t intervals across chains.
    """
    s = sigma / math.sqrt(D)
    noise = GaussianNoise(s)
    rng = np.random.default_rng(seed)
    zeros = np.zeros((chains, D))
    eps = np.empty((chains, D))
    sums = np.zeros((len(G_GRID), chains))
    for _ in range(draws):
        noise.perturb(zeros, zeros, rng, eps)
        for j, g in enumerate(G_GRID):
            sums[j] += np.abs(g * s + eps).mean(axis=1)
    estimates = [mean_ci(sums[j] / (draws * sigma), level) for j in range(len(G_GRID))]
    return {
        "g_over_s": list(G_GRID),
        "estimates": estimates,
        "chains": chains,
        "draws_per_chain": draws,
        "coordinates": D,
        "s": s,
        "sigma": sigma,
    }


@claim(
    "C34",
    "Gaussian noise satisfies A5 with c ~ sqrt(2/pi)",
    "App. D.2 (v1), eqs. 46-50",
    "lower",
    model="exact evaluation (bounds.noise_laws: folded-normal mean under A5's variance scaling E[eps_i^2] <= "
    "sigma^2/D) over D = 1..1000, with a Monte Carlo cross-check of inf_g E|g + eps_i|/sigma at D = 4",
    tolerance=Tolerance(
        0.05,
        "'c ~ sqrt(2/pi)' ('approximate' in App. D.2): '~' read as approximately, the stated constant less 5%",
    ),
    depends="A5's scaling E[eps_i^2] <= sigma^2/D (App. D.2 computes with sigma^2 = E[eps_i^2], valid at D = 1 only)",
    quantity="exact best A5 constant c = inf_g E|g + eps_i|/sigma of Gaussian noise at D = 4 vs the stated sqrt(2/pi)",
)
def check_c34(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """C34: the best A5 constant of Gaussian noise, exact (bounds.noise_laws) with a Monte Carlo cross-check."""
    tolerance = tolerance_of("C34")
    stated = gaussian_c_as_stated().value
    table = gaussian_c_table()
    headline = next(row for row in table if row["D"] == HEADLINE_D)
    c_exact = headline["c_A5"]
    wrong = (1.0 + 2.0 * tolerance.value) * c_exact
    mc = monte_carlo_c(profile.chains, profile.steps(256), HEADLINE_D, child_seed(seed, 0), profile.level)
    at_zero = mc["estimates"][0]
    smallest = min(mc["estimates"], key=lambda e: e.mean)
    corrected_exact = all(
        abs(row["c_A5"] - math.sqrt(2.0 / (math.pi * row["D"]))) <= RTOL_EXACT * row["c_A5"] for row in table
    )
    corrected_mc = decide(at_zero, math.sqrt(2.0 / (math.pi * HEADLINE_D)), "equal", tolerance=tolerance)
    failing = [row["D"] for row in table if not row["stated_c_valid_under_A5"]]
    supports = (
        f"under A5 (E[eps_i^2] <= sigma^2/D) the best Gaussian constant is c = sqrt(2/(pi D)) exactly: "
        f"{c_exact:.6g} at D = {HEADLINE_D}, i.e. sqrt(2/pi)/sqrt(D); sqrt(2/pi) = {stated:.6g} holds only at "
        f"D = 1, or in App. D.2's per-coordinate scaling sigma^2 = E[eps_i^2], which violates A5's variance "
        f"condition by the factor D; no law at all reaches sqrt(2/pi) under A5 once D >= 2 (Jensen: "
        f"c <= 1/sqrt(D)). Plugging c = sqrt(2/pi) into P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2) "
        f"understates it by the factor D"
    )
    return exact_result(
        "C34",
        "lower",
        c_exact >= tolerance.band(stated)[0],
        control_holds=c_exact >= wrong,
        wrong_statement=f"Gaussian noise satisfies A5 (D = {HEADLINE_D}) with c = {1 + 2 * tolerance.value:g} "
        f"sqrt(2/(pi D)) = {wrong:.6g}",
        margin=f"the exact c x (1 + 2 x {tolerance.value:g})",
        corrected_holds=corrected_exact and corrected_mc == "confirmed",
        corrected_statement="under A5's scaling (E[eps_i^2] <= sigma^2/D) Gaussian noise satisfies A5 with "
        "c = sqrt(2/(pi D)) exactly (D = 1..1000), and the Monte Carlo inf_g E|g + eps_i|/sigma at D = 4 "
        "equals it within the tolerance",
        empirical=c_exact,
        theoretical=stated,
        supports=supports,
        details={
            "quantity": "c = inf_g E|g + eps_i| / sigma, the largest constant A5 allows (exact, bounds.noise_laws)",
            "headline_D": HEADLINE_D,
            "sigma": 1.0,
            "per_D": table,
            "D_where_stated_c_fails": failing,
            "stated_c_less_tolerance": tolerance.band(stated)[0],
            "corrected_c_exact_for_every_D": corrected_exact,
            "scaling_convention": (
                "A5 ties sigma to the coordinate variance: E[eps_i^2] <= sigma^2/D. With eps_i ~ N(0, s^2) the "
                "smallest admissible sigma is s sqrt(D), giving c = s sqrt(2/pi)/(s sqrt(D)) = sqrt(2/(pi D)). "
                "App. D.2 computes with sigma = s (a scalar eps ~ N(0, sigma^2)), which gives sqrt(2/pi) but is "
                "A5-admissible only for D = 1"
            ),
            "monte_carlo": {
                "g_over_s": mc["g_over_s"],
                "estimates": [str(e) for e in mc["estimates"]],
                "chains": mc["chains"],
                "draws_per_chain": mc["draws_per_chain"],
                "D": HEADLINE_D,
                "interval": at_zero.method,
                "level": at_zero.level,
                "smallest_at_g_over_s": mc["g_over_s"][mc["estimates"].index(smallest)],
                "at_g0_vs_corrected_c": corrected_mc,
                "at_g0_vs_stated_c": decide(at_zero, stated, "lower"),
                "at_g0_vs_wrong_c": decide(at_zero, wrong, "lower"),
            },
            "samples": mc["chains"] * mc["draws_per_chain"] * HEADLINE_D,
        },
    )
