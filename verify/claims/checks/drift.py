r"""Claims C19-C21: the expected one-step drift at a critical point (arXiv v1 section 4, eqs. 11-13).

Setting. ``f(W) = 1/2 ||W - W*||^2`` on D = 16 coordinates with ``W* = (0.3 ... 0.9) tau`` (one sign, so the
per-coordinate drifts do not cancel in their average), both arrays ALDs with tau = 1 and symmetric point 0,
Gaussian gradient noise eps_i ~ N(0, 1) (the law of App. D.2). Each chain is started at a critical point,
W_0 = W* (so grad f(W_0) = 0), and advanced ONE step by the engine (:func:`verify.sim.engine.simulate`, steps=1);
the per-chain sample is the coordinate average of ``X_1 - X_0``. Chains are i.i.d., so the Student t
interval of their mean (:func:`verify.sim.stats.mean_ci`) is an interval for the expected drift averaged over the
coordinates, which is compared with the printed formula averaged the same way.

* C19 (11): Analog SGD, ``E[W_1] - W_0 = -(alpha/tau) E|eps| W_0``;
* C20 (12): Tiki-Taka from P_0 = 0, ``E[W_1] - W_0 = -(alpha beta/tau) E|eps| W_0``;
* C21 (13): Tiki-Taka's auxiliary array from P_0 != 0 (W_0 = W*), ``E[P_1] - P_0 = -(beta/tau) E|eps| P_0``:
  the increment is checked, not E[P_1] itself, which is dominated by P_0 and would make a relative
  tolerance meaningless.

The printed values come from :mod:`bounds.drift` (``*_as_printed``, eq. (11)-(13) with E|eps| of the law),
and the derived drift (``analog_sgd_drift`` etc., exact expectation of the update rule) is recorded next to
them; the two coincide at symmetric point 0 (tests/test_drift.py proves it symbolically).

Budget. A one-step run is cheap, so the profile's step budget buys independent replicates: each run has
``profile.chains * profile.steps(16)`` chains (16000 in the quick profile, 512000 in the full one).

Verdict. Relation "equal" with the registered tolerance (:func:`verify.claims.registry.tolerance_of`; 5% of the
stated drift, relative): the printed formula is an exact identity, measured by Monte Carlo, so the tolerance is
the resolution at which "=" is decided (an equivalence test, :func:`verify.claims.verdicts.decide`): confirmed
when every run's interval lies inside the band, refuted when one lies entirely outside. The scaling part of each
claim ("O(alpha)", "O(alpha beta)", and (13)'s increment proportional to beta) is checked by more runs at halved
step sizes, each compared with the stated drift at its own step size (a relative band, so this is the same as
comparing drift/alpha with the stated drift/alpha). All intervals of a claim share the claim's level by
Bonferroni (:func:`verify.claims.results.case_level`). Control (the nearest wrong statement): every run against
the stated drift times (1 + 2 x tolerance), which the runs must refute.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bounds.devices import AsymmetricLinearDevice
from bounds.drift import (
    analog_sgd_drift,
    analog_sgd_drift_as_printed,
    tiki_taka_drift,
    tiki_taka_drift_as_printed,
    tiki_taka_p_mean,
    tiki_taka_p_mean_as_printed,
)

from ...sim.dynamics import AnalogSGD, TikiTaka
from ...sim.engine import simulate
from ...sim.noise import GaussianNoise
from ...sim.problems import least_squares
from ...sim.seeds import child_seed
from ...sim.stats import mean_ci
from ..registry import Profile, claim, tolerance_of
from ..results import Case, ClaimResult, case_level, combined_result
from ..verdicts import Tolerance

__all__ = [
    "TAU",
    "ALPHA",
    "BETA",
    "D",
    "W_STAR",
    "P_START",
    "NOISE_STD",
    "BASE_REPLICATES",
    "TikiTakaFromP",
    "one_step_increments",
    "check_c19",
    "check_c20",
    "check_c21",
]

TAU = 1.0
ALPHA = 0.1
BETA = 0.5
D = 16
W_STAR = np.linspace(0.3, 0.9, D) * TAU
"""The critical point W_0 = W* (all of one sign, inside the device range)."""
P_START = np.linspace(-0.9, -0.3, D) * TAU
"""P_0 for C21 (inside P's range [-tau, tau])."""
NOISE_STD = 1.0
BASE_REPLICATES = 16
"""Chains per profile chain: the one-step runs use ``profile.chains * profile.steps(16)`` chains."""


@dataclass(frozen=True)
class TikiTakaFromP(TikiTaka):
    """Tiki-Taka whose auxiliary array starts at ``P0`` instead of 0 (for eq. (13), which is about a
    general P_k); the update rule is :class:`verify.sim.dynamics.TikiTaka`'s, unchanged."""

    P0: tuple = ()
    """P_0, one value per coordinate (inside P's device range)."""

    def __post_init__(self):
        super().__post_init__()
        P0 = np.asarray(self.P0, dtype=np.float64)
        if P0.ndim != 1 or P0.size == 0 or not np.all(np.isfinite(P0)):
            raise ValueError(f"P0 must be a non-empty vector of finite values, got {self.P0!r}")
        if np.any(P0 < self.p_device.w_min) or np.any(P0 > self.p_device.w_max):
            raise ValueError(f"P0 must lie in P's device range [{self.p_device.w_min:g}, {self.p_device.w_max:g}]")
        object.__setattr__(self, "P0", tuple(float(v) for v in P0))

    def initial_state(self, W0):
        state = super().initial_state(W0)
        if W0.shape[1] != len(self.P0):
            raise ValueError(f"P0 has {len(self.P0)} entries, the problem has D = {W0.shape[1]}")
        state["P"] = np.tile(np.asarray(self.P0), (W0.shape[0], 1))
        return state


def one_step_increments(dynamics, noise, *, chains: int, seed, state: str = "W", w_star=W_STAR) -> np.ndarray:
    """Per chain, the coordinate average of ``X_1 - X_0`` (X = ``state``) after one engine step from the
    critical point W_0 = W* of ``f = 1/2 ||W - W*||^2``.

    >>> from bounds.devices import AsymmetricLinearDevice
    >>> x = one_step_increments(AnalogSGD(AsymmetricLinearDevice(1.0), 0.1), GaussianNoise(1.0), chains=4, seed=1)
    >>> x.shape
    (4,)
    """
    w_star = np.asarray(w_star, dtype=np.float64)
    problem = least_squares(np.eye(w_star.size), w_star, w0=w_star, name="1/2 ||W - W*||^2 at W_0 = W*")
    result = simulate(problem, dynamics, noise, steps=1, chains=chains, seed=seed)
    if state == "W":
        start = np.broadcast_to(w_star, result.final_state["W"].shape)
    else:
        start = np.broadcast_to(np.asarray(dynamics.P0), result.final_state[state].shape)
    return (result.final_state[state] - start).mean(axis=1)


def _drift_check(
    claim_id: str, profile: Profile, seed, runs, *, unit_name: str, statement: str, extra: dict
) -> ClaimResult:
    """Run each ``(label, dynamics, state, stated, derived, unit)`` of ``runs`` (the first is the main one) and
    decide every run's interval against its stated value with the claim's tolerance (one :class:`Case` each);
    the control moves every stated value by twice the tolerance."""
    tolerance = tolerance_of(claim_id)
    wrong_factor = 1.0 + 2.0 * tolerance.value
    chains = profile.chains * profile.steps(BASE_REPLICATES)
    level = case_level(profile.level, len(runs))
    noise = GaussianNoise(NOISE_STD)
    cases, control_cases = [], []
    for j, (label, dynamics, state, stated, derived, unit) in enumerate(runs):
        run_seed = child_seed(seed, j)
        estimate = mean_ci(one_step_increments(dynamics, noise, chains=chains, seed=run_seed, state=state), level=level)
        info = {
            f"increment/{unit_name}": estimate.mean / unit,
            f"stated/{unit_name}": stated / unit,
            f"derived/{unit_name}": derived / unit,
            "derived": derived,
            "seed_spawn_key": list(run_seed.spawn_key),
        }
        cases.append(Case(label, estimate, stated, "equal", tolerance=tolerance, info=info, primary=j == 0))
        control_cases.append(Case(label, estimate, wrong_factor * stated, "equal", tolerance=tolerance))
    details = {
        "setting": (
            f"f = 1/2 ||W - W*||^2, D = {D}, W_0 = W* = linspace(0.3, 0.9, {D}) tau (grad f(W_0) = 0), "
            f"ALD tau = {TAU} (symmetric point 0), eps_i ~ N(0, {NOISE_STD}^2); one engine step per chain; "
            "per-chain sample = coordinate average of X_1 - X_0"
        ),
        "main_run": runs[0][0],
        "chains_per_run": chains,
        "runs": len(runs),
        "level_per_interval": level,
        "stated_value": runs[0][3],
        "derived_value": runs[0][4],
        "derived_minus_stated": runs[0][4] - runs[0][3],
        **extra,
    }
    return combined_result(
        claim_id,
        "equal",
        cases,
        control_cases,
        wrong_statement=f"{statement}, times {wrong_factor:g}",
        margin=f"the stated drift x (1 + 2 x {tolerance.value:g}) in every run",
        details=details,
        supports="; ".join(f"{c.label}: measured {c.estimate} against the stated {c.theoretical:.6g}" for c in cases),
    )


#: what the drift claims' evidence is taken on
MODEL = (
    "one step of the update rule on asymmetric linear devices (tau = 1, symmetric point 0) from a critical point, "
    "the toolkit's engine (verify.sim.engine), Gaussian noise, Monte Carlo over independent chains"
)


def _law():
    return GaussianNoise(NOISE_STD).coordinate_law()


@claim(
    "C19",
    "At a critical point the Analog SGD drift is E[W_{k+1}] - W_k = -(alpha/tau) E|eps_k| (.) W_k = O(alpha)",
    "Sec. 4, eq. (11) (v1)",
    "equal",
    model=MODEL,
    tolerance=Tolerance(
        0.05,
        "'=': (11) is an exact identity (no higher-order term at symmetric point 0), measured by Monte Carlo; "
        "decided at a resolution of 5% of the stated drift, fixed in advance (finer than the factor beta "
        "that separates (11) from (12), the contrast the paper draws from it)",
    ),
    quantity="the deciding run's mean one-step E[W_1] - W_0 (coordinate average) vs the stated -(alpha/tau) E|eps| W_0",
)
def check_c19(profile: Profile, seed: np.random.SeedSequence):
    """C19: one Analog SGD step from W_0 = W*, at alpha = 0.1 (main) and 0.05 (scaling)."""
    law, device = _law(), AsymmetricLinearDevice(TAU)
    runs = []
    for alpha in (ALPHA, ALPHA / 2):
        stated = float(np.mean([analog_sgd_drift_as_printed(law, w, alpha=alpha, tau=TAU).value for w in W_STAR]))
        derived = float(np.mean([analog_sgd_drift(law, w, alpha=alpha, tau=TAU).value for w in W_STAR]))
        runs.append((f"alpha={alpha:g}", AnalogSGD(device, alpha), "W", stated, derived, alpha))
    return _drift_check(
        "C19",
        profile,
        seed,
        runs,
        unit_name="alpha",
        statement="E[W_1] - W_0 = -(alpha/tau) E|eps| W_0",
        extra={"alpha": ALPHA, "tau": TAU, "E_abs_eps": law.mean_abs()},
    )


@claim(
    "C20",
    "At a critical point with P_k = 0 the Tiki-Taka drift is E[W_{k+1}] - W_k = -(alpha beta/tau) E|eps_k| "
    "(.) W_k = O(alpha beta)",
    "Sec. 4, eq. (12) (v1)",
    "equal",
    model=MODEL,
    tolerance=Tolerance(
        0.05,
        "'=': (12) is an exact identity at P_k = 0, measured by Monte Carlo; decided at a resolution of 5% of "
        "the stated drift, fixed in advance (finer than the factor beta it is contrasted with in (11))",
    ),
    quantity="the deciding run's mean one-step E[W_1] - W_0 (coordinate average) "
    "vs the stated -(alpha beta/tau) E|eps| W_0",
)
def check_c20(profile: Profile, seed: np.random.SeedSequence):
    """C20: one Tiki-Taka step from W_0 = W*, P_0 = 0, at (alpha, beta) = (0.1, 0.5) (main), (0.05, 0.5)
    and (0.1, 0.25) (scaling in alpha and in beta)."""
    law, device = _law(), AsymmetricLinearDevice(TAU)
    runs = []
    for alpha, beta in ((ALPHA, BETA), (ALPHA / 2, BETA), (ALPHA, BETA / 2)):
        stated = float(
            np.mean([tiki_taka_drift_as_printed(law, w, alpha=alpha, beta=beta, tau=TAU).value for w in W_STAR])
        )
        derived = float(np.mean([tiki_taka_drift(law, w, alpha=alpha, beta=beta, tau=TAU).value for w in W_STAR]))
        runs.append(
            (f"alpha={alpha:g},beta={beta:g}", TikiTaka(device, alpha, beta), "W", stated, derived, alpha * beta)
        )
    return _drift_check(
        "C20",
        profile,
        seed,
        runs,
        unit_name="(alpha beta)",
        statement="E[W_1] - W_0 = -(alpha beta/tau) E|eps| W_0 (P_0 = 0)",
        extra={"alpha": ALPHA, "beta": BETA, "tau": TAU, "E_abs_eps": law.mean_abs()},
    )


@claim(
    "C21",
    "With grad f = 0, E[P_{k+1}] = (1 - (beta/tau) E|eps_k|) (.) P_k",
    "Sec. 4, eq. (13) (v1)",
    "equal",
    model=MODEL,
    tolerance=Tolerance(
        0.05,
        "'=': (13) is an exact identity when grad f = 0, measured by Monte Carlo on the increment E[P_1] - P_0; "
        "decided at a resolution of 5% of the stated increment, fixed in advance (as for (11) and (12))",
    ),
    quantity="the deciding run's mean one-step E[P_1] - P_0 (coordinate average) vs the stated -(beta/tau) E|eps| P_0",
)
def check_c21(profile: Profile, seed: np.random.SeedSequence):
    """C21: one (TT-P) step from P_0 = linspace(-0.9, -0.3) tau at W_0 = W* (grad f = 0); the increment
    E[P_1] - P_0 at beta = 0.5 (main) and 0.25 (scaling)."""
    law, device = _law(), AsymmetricLinearDevice(TAU)
    runs = []
    for beta in (BETA, BETA / 2):
        stated = float(np.mean([tiki_taka_p_mean_as_printed(law, P, beta=beta, tau=TAU).value - P for P in P_START]))
        derived = float(np.mean([tiki_taka_p_mean(law, P, beta=beta, tau=TAU).value - P for P in P_START]))
        runs.append(
            (f"beta={beta:g}", TikiTakaFromP(device, ALPHA, beta, P0=tuple(P_START)), "P", stated, derived, beta)
        )
    return _drift_check(
        "C21",
        profile,
        seed,
        runs,
        unit_name="beta",
        statement="E[P_1] - P_0 = -(beta/tau) E|eps| P_0 (grad f = 0)",
        extra={
            "alpha": ALPHA,
            "beta": BETA,
            "tau": TAU,
            "E_abs_eps": law.mean_abs(),
            "P_0": "linspace(-0.9, -0.3, 16) tau",
            "measured": "E[P_1] - P_0 (the increment; E[P_1] itself is dominated by P_0)",
        },
    )
