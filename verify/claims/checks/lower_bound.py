r"""Claims C13-C18: Theorem 2 (arXiv v1 Theorem 3), the lower-bound instance of Analog SGD, and its lemmas.

The instance is run exactly as App. G.2 states it (:class:`bounds.lower_bound.LowerBoundConstruction`, run by
:mod:`verify.experiments.lower_bound`): ``f(W) = L/2 ||W - W*||^2`` with ``W* = w* 1``, ``W_0 = W*``,
Analog SGD on an ALD with bound tau, the state-dependent two-point noise ``eps_k = xi_k 1`` of (66)-(67). Parameters:
L = 1, tau = 1, D = 4, ``w* = tau/4`` (the largest the theorem allows) and sigma = 0.25 below its limit
``tau L sqrt(D)/(4 sqrt 3) = 0.2887``; every step size used satisfies
``alpha <= min{1/(2L), 1/(mu + 6 sigma/(tau sqrt D))} = 0.5``. Each check records whether the conditions hold.

* C13, C14 (Theorem 2): the ratio ``R(alpha) = E||grad f||^2 / (sigma^2 E[r/(1 - r)])`` (r = ||W||_inf^2/tau^2)
  over the stationary tail of runs at alpha = 0.02, 0.01, 0.005 (per-chain delta-method values,
  :func:`verify.experiments.lower_bound.ratio_samples`), extrapolated to alpha -> 0 by the quadratic through the three
  points with its interval (:func:`verify.experiments.lower_bound.extrapolated_estimate`; chains paired across runs).
  The theorem states 4 (the remainder is Theta(alpha)); bounds/lower_bound.py derives 1 (eq. (98) drops the
  1/2 of (97)). One set of runs serves both claims (module-level cache; see :func:`ratio_runs`).
* C15 (Lemma 2): the largest ||W_k||_inf over all chains and steps of runs at the limits w* = tau/4 and
  sigma = tau L sqrt(D)/(4 sqrt 3), against tau/2, plus Theorem 8's interval from bounds (exact).
* C16 (Lemma 3), C17 (Lemma 4), C18 (the noise's moments): exact checks via :mod:`bounds.lower_bound`;
  C18 adds a Monte Carlo of the noise law with an interval.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath
import numpy as np
import scipy.optimize
import sympy as sp

from bounds import lower_bound as lb
from bounds import symbols as S
from bounds.lower_bound import LowerBoundConstruction
from bounds.noise_laws import GaussianLaw, RademacherLaw

from ...experiments.lower_bound import TAIL, engine_inputs, extrapolated_estimate, ratio_samples, simulate_construction
from ...sim.engine import simulate
from ...sim.noise import TwoPointNoise
from ...sim.stats import mean_ci
from ..registry import Profile, claim, exact_result, interval_result
from .drift import child_seed

__all__ = [
    "CONSTRUCTION",
    "ALPHAS",
    "HORIZON",
    "BURN_IN",
    "ratio_runs",
    "max_weight",
    "mean_field_ratio",
    "noise_moments_per_chain",
    "check_c13",
    "check_c14",
    "check_c15",
    "check_c16",
    "check_c17",
    "check_c18",
]

#: the instance of C13/C14 (its alpha is replaced by each of ALPHAS)
CONSTRUCTION = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.02)
ALPHAS = (0.02, 0.01, 0.005)
HORIZON = 40.0
"""Base run length in units of 1/(alpha L): ``round(40/(alpha L))`` steps, times the profile's step scale."""
BURN_IN = 0.25
"""The first quarter of each run is discarded (>= 10/(alpha L) steps: the start is forgotten up to
exp(-10 (1 - x^2)) ~ 5e-5, see verify.experiments.lower_bound.check_stationary_ratio)."""
#: the negative control of C13/C14: a constant 25% above the derived 1
WRONG_CONSTANT = 1.25
#: the "equal" resolution of C13: the interval must be narrower than 10% of the stated 4
RTOL_C13 = 0.1
#: relative slack for comparing two float evaluations of the same threshold (Lemma 2 at its limits)
FLOAT_SLACK = 1e-12

_RUNS: dict = {}


def _conditions(cons: LowerBoundConstruction) -> list[str]:
    return [str(c) for c in cons.conditions]


def ratio_runs(profile: Profile, seed: np.random.SeedSequence) -> dict:
    """The runs of C13/C14 at each of :data:`ALPHAS`: per-chain ratio values, the whole-run ratio, the steps
    and the seeds. Cached by (chains, step scale, seed): C13 and C14 share one set of runs.

    Run j uses the seed ``child_seed(seed, j)``; ``profile.chains`` chains and
    ``profile.steps(round(HORIZON/(alpha L)))`` steps, the tail window being the last three quarters.
    """
    key = (profile.chains, profile.step_scale, seed.entropy, tuple(seed.spawn_key), seed.pool_size)
    if key in _RUNS:
        return _RUNS[key]
    samples, whole, steps, starts, seeds, predictions, seconds = [], [], [], [], [], [], 0.0
    for j, alpha in enumerate(ALPHAS):
        cons = dataclasses.replace(CONSTRUCTION, alpha=alpha)
        n_steps = profile.steps(int(round(HORIZON / (alpha * cons.L))))
        start = int(round(BURN_IN * n_steps))
        run_seed = child_seed(seed, j)
        result = simulate_construction(cons, steps=n_steps, burn_in=start, chains=profile.chains, seed=run_seed)
        samples.append(ratio_samples(result, cons.sigma, TAIL))
        all_means = result.window_means["all"]
        whole.append(float(np.mean(all_means["grad_sq"]) / (cons.sigma**2 * np.mean(all_means["saturation"]))))
        steps.append(n_steps)
        starts.append(start)
        seeds.append(list(run_seed.spawn_key))
        predictions.append(lb.stationary_ratio_first_order(cons).value)
        seconds += result.seconds
    runs = {
        "samples": samples,
        "whole_run_ratio": whole,
        "steps": steps,
        "burn_in": starts,
        "seeds": seeds,
        "first_order": predictions,
        "seconds": seconds,
    }
    _RUNS[key] = runs
    return runs


def _shared_seed(seed: np.random.SeedSequence) -> np.random.SeedSequence:
    """C13's seed for the root entropy of ``seed`` (verify.claims.claim_seed("C13", entropy)): C14 measures
    on C13's runs, so the two claims report the same numbers."""
    return np.random.SeedSequence(seed.entropy, spawn_key=tuple(b"C13"), pool_size=seed.pool_size)


def _ratio_details(profile: Profile, runs: dict, seed: np.random.SeedSequence) -> dict:
    level = profile.level
    per_alpha = []
    for alpha, values, first, whole, n, start, key in zip(
        ALPHAS,
        runs["samples"],
        runs["first_order"],
        runs["whole_run_ratio"],
        runs["steps"],
        runs["burn_in"],
        runs["seeds"],
    ):
        est = mean_ci(values, level=level)
        per_alpha.append(
            {
                "alpha": alpha,
                "ratio": est.mean,
                "ci": [est.low, est.high],
                "derived_first_order_1_plus_c1_alpha": first,
                "covers_first_order": est.covers(first),
                "whole_run_ratio_from_k0": whole,
                "steps": n,
                "tail": [start, n],
                "seed_spawn_key": key,
            }
        )
    cons = CONSTRUCTION
    return {
        "construction": {
            "L": cons.L,
            "w_star": cons.w_star,
            "tau": cons.tau,
            "sigma": cons.sigma,
            "D": cons.D,
            "W_0": "W*",
            "noise": "two-point law (66)-(67), eps_k = xi_k 1",
        },
        "conditions": {f"alpha={a:g}": _conditions(dataclasses.replace(cons, alpha=a)) for a in ALPHAS},
        "applicable": all(dataclasses.replace(cons, alpha=a).applicable for a in ALPHAS),
        "quantity": (
            "R(alpha) = mean_chains(tail avg ||grad f||^2) / (sigma^2 mean_chains(tail avg r/(1 - r))), "
            "r = ||W_k||_inf^2/tau^2; extrapolated to alpha -> 0 by the quadratic through the 3 step sizes "
            "(verify.experiments.lower_bound.extrapolated_estimate, chains paired across runs). The tail window "
            "[K/4, K) leaves out the transient from W_0 = W*, an O(1/(alpha K)) term of the paper's "
            "(1/K) sum_{k<K}; the whole-run ratios from k = 0 are listed per alpha"
        ),
        "per_alpha": per_alpha,
        "chains": profile.chains,
        "runs_seed_entropy": seed.entropy,
        "runs_seed_spawn_key": list(seed.spawn_key),
        "simulation_seconds": runs["seconds"],
        "stated_constant": float(lb.STATED_CONSTANT),
        "derived_constant": float(lb.DERIVED_CONSTANT),
        "derived_slope_c1": lb.ratio_slope(cons),
        "why": (
            "bounds.lower_bound.derivation_steps: (98) writes sqrt(p(1-p)) = sqrt(1 - x^2), dropping the 1/2 "
            "of (97); its noise term is doubled, (99) doubles the stationary gradient and (100) quadruples "
            "the value: 4 sigma^2 S instead of sigma^2 S"
        ),
    }


@claim(
    "C13",
    "On the constructed instance, (1/K) sum E||grad f(W_k)||^2 = 4 sigma^2 S_K + Theta(alpha)",
    "Thm 3 (v1), eq. (10); App. G.2 (95)-(101)",
    "equal",
)
def check_c13(profile: Profile, seed: np.random.SeedSequence):
    """C13: the alpha -> 0 limit of R(alpha) against the stated 4 (equal, rtol 0.1)."""
    runs = ratio_runs(profile, seed)
    est = extrapolated_estimate(runs["samples"], ALPHAS, order=0, level=profile.level)
    details = _ratio_details(profile, runs, seed)
    details["derived_constant_covered"] = est.covers(float(lb.DERIVED_CONSTANT))
    details["interval_method"] = (
        "Student t over chains of sum_j a_j u_ij (a_j: weights of the quadratic through "
        "the 3 step sizes at alpha = 0; u_ij: delta-method per-chain ratio values)"
    )
    return interval_result(
        "C13",
        "equal",
        est,
        float(lb.STATED_CONSTANT),
        rtol=RTOL_C13,
        details=details,
        wrong=WRONG_CONSTANT,
        wrong_statement=f"the alpha -> 0 constant is {WRONG_CONSTANT} (25% above the derived 1)",
        supports=(
            f"(1/K) sum E||grad f||^2 = sigma^2 S_K + Theta(alpha): the alpha -> 0 ratio is {est.mean:.4f} "
            f"[{est.low:.4f}, {est.high:.4f}] ({profile.level:.4%}), covering the derived constant 1 and "
            "excluding 4; the derivation's (98) drops the 1/2 of (97)"
        ),
    )


def mean_field_ratio(law, x: float) -> float:
    """``g^2 / (s^2 x^2/(1 - x^2))`` at the root g of ``g = -x E|g + eps|`` (s^2 = E eps^2, 0 < x < 1).

    Derived here: at a fixed point of the mean Analog SGD dynamics (alpha -> 0) each coordinate has
    ``g = -(w/tau) E|g + eps|`` and ``E|g + eps| <= sqrt(g^2 + s^2)`` (Jensen), so ``g^2 <= s^2 r/(1 - r)``:
    the ratio is at most 1 for every law, with equality when |g + eps| is constant (the two-point law at the
    instance's fixed point).

    >>> round(mean_field_ratio(RademacherLaw(1.0), 0.5), 12)   # E|g + eps| = max(|g|, 1): g = -0.5
    0.75
    """
    if not 0.0 < x < 1.0:
        raise ValueError(f"x must lie in (0, 1), got {x!r}")
    s2 = float(law.second_moment())
    bound = 10.0 * (math.sqrt(s2) + 1.0) / (1.0 - x)
    g = scipy.optimize.brentq(lambda v: v + x * float(law.expected_abs(v)), -bound, 0.0, xtol=1e-15, rtol=1e-14)
    return g * g / (s2 * x * x / (1.0 - x * x))


@claim(
    "C14",
    "With alpha = Theta(1/sqrt K) the instance's error is Omega(4 sigma^2 S_K + 1/sqrt K), so the "
    "4 sigma^2 S_K of Theorem 1 (eq. 9) cannot be improved",
    "Thm 3 (v1), eq. (10) and the remark after it",
    "lower",
)
def check_c14(profile: Profile, seed: np.random.SeedSequence):
    """C14: does the instance attain the constant 4 (lower: alpha -> 0 constant >= 4)? Same runs as C13."""
    shared = _shared_seed(seed)
    runs = ratio_runs(profile, shared)
    est = extrapolated_estimate(runs["samples"], ALPHAS, order=0, level=profile.level)
    slope = extrapolated_estimate(runs["samples"], ALPHAS, order=1, level=profile.level)
    details = _ratio_details(profile, runs, shared)
    c1 = details["derived_slope_c1"]
    per_alpha = details["per_alpha"]
    details.update(
        {
            "runs": "the runs of C13 (seeded by claim_seed('C13', entropy)), reused",
            "theta_alpha_remainder": {
                "fitted_slope": slope.mean,
                "ci": [slope.low, slope.high],
                "derived_c1": c1,
                "slope_covers_derived": slope.covers(c1),
                "slope_excludes_0": not slope.covers(0.0),
                "every_alpha_excludes_1": all(not (a["ci"][0] <= 1.0 <= a["ci"][1]) for a in per_alpha),
                "every_alpha_covers_1_plus_c1_alpha": all(a["covers_first_order"] for a in per_alpha),
                "note": (
                    "derived: the remainder is +c1 alpha sigma^2 S with c1 > 0, so with alpha = Theta(1/sqrt K) it "
                    "is Theta(1/sqrt K), as (10) says; measured: see the flags (the slope's own interval is wide in "
                    "the quick profile; 1 + c1 alpha is first order only, and at alpha = 0.02 the O(alpha^2) part, "
                    "~1e-3, can exceed the full profile's half-width)"
                ),
            },
            "order_notation": (
                "Omega(4 sigma^2 S_K) = Omega(sigma^2 S_K) in order notation, which the measured constant "
                "~1 > 0 satisfies; the claim that 4 'cannot be improved' is about the constant itself"
            ),
            "mean_field_bound": {
                "argument": (
                    "derived here (heuristic; rigorous for the strongly convex instance where the chain "
                    "concentrates as alpha -> 0): at a fixed point of the mean Analog SGD dynamics, "
                    "g_i = -(w_i/tau) E|g_i + eps_i| <= (|w_i|/tau) sqrt(g_i^2 + s_i^2), so "
                    "g_i^2 <= s_i^2 r_i/(1 - r_i) and ||grad f||^2 <= sigma^2 r/(1 - r): constant 1, "
                    "attained by the paper's two-point law (|g + xi| is constant at its fixed point)"
                ),
                "gaussian_ratio_at_x": {f"{x:g}": mean_field_ratio(GaussianLaw(1.0), x) for x in (0.1, 0.5, 0.9)},
                "rademacher_ratio_at_x": {f"{x:g}": mean_field_ratio(RademacherLaw(1.0), x) for x in (0.1, 0.5, 0.9)},
            },
            "evidence": (
                "the instance shows the constant in front of sigma^2 S_K cannot be below 1, not 4; nothing here "
                "shows 4 is needed, and the mean-field bound indicates 1 is the sharp alpha -> 0 constant"
            ),
        }
    )
    return interval_result(
        "C14",
        "lower",
        est,
        float(lb.STATED_CONSTANT),
        details=details,
        wrong=WRONG_CONSTANT,
        wrong_statement=f"the instance's alpha -> 0 constant is at least {WRONG_CONSTANT}",
        supports=(
            f"the instance attains sigma^2 S_K + Theta(alpha) (alpha -> 0 ratio {est.mean:.4f} "
            f"[{est.low:.4f}, {est.high:.4f}], fitted slope {slope.mean:.3g} vs derived c1 = {c1:.3g}): "
            "it proves only that the constant of Theorem 1's sigma^2 S_K term cannot go below 1; "
            "the gap between the upper bound's 4 and 1 is not closed by the paper"
        ),
    )


# ------------------------------------------------------------------------------------------------------------
# C15: Lemma 2
# ------------------------------------------------------------------------------------------------------------

#: Lemma 2 at its limits: w* = tau/4 and sigma = tau L sqrt(D)/(4 sqrt 3); alpha = 0.1 <= 1/(2L)
#: (sigma is the construction's own limit value, so that the condition holds with equality in floats)
LEMMA2_CONSTRUCTION = dataclasses.replace(
    LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.1),
    sigma=LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.1).conditions[2].rhs,
)
#: the negative control: sigma five times its limit (the step-size condition still holds: 0.1 <= 0.188)
SIGMA_FACTOR_CONTROL = 5.0
LEMMA2_BASE_STEPS = 2000
LEMMA2_CHUNK = 250


def max_weight(cons: LowerBoundConstruction, *, steps: int, chains: int, seed, chunk: int = LEMMA2_CHUNK) -> float:
    """max over chains and k = 0..steps of ||W_k||_inf for the instance ``cons``.

    The engine streams means, not maxima, so the run is cut into segments of ``chunk`` steps kept as
    trajectories; segment i restarts from the previous one's final state with the seed ``child_seed(seed, i)``
    (a valid continuation: the chain is Markov in W and the noise depends only on W).

    >>> cons = LowerBoundConstruction(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=2, alpha=0.1)
    >>> 0.25 <= max_weight(cons, steps=20, chains=4, seed=np.random.SeedSequence(0), chunk=8) < 0.5
    True
    """
    inputs = engine_inputs(cons)
    seed = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    W, largest, done, i = None, 0.0, 0, 0
    while done < steps:
        n = min(chunk, steps - done)
        result = simulate(
            inputs.problem,
            inputs.dynamics,
            inputs.noise,
            steps=n,
            chains=chains,
            seed=child_seed(seed, i),
            w0=W,
            trajectories=True,
        )
        largest = max(largest, float(np.max(np.abs(result.trajectories["W"]))))
        W, done, i = result.final_state["W"], done + n, i + 1
    return largest


@claim(
    "C15",
    "In the instance ||W_k||_inf <= tau/2 for all k when |w*| <= tau/4 and sigma <= tau L sqrt(D)/(4 sqrt 3)",
    "Lemma 2 (v1), App. G.2",
    "upper",
)
def check_c15(profile: Profile, seed: np.random.SeedSequence):
    """C15: the largest ||W_k||_inf observed at the limits, and Theorem 8's interval, against tau/2."""
    cons = LEMMA2_CONSTRUCTION
    control = dataclasses.replace(cons, sigma=SIGMA_FACTOR_CONTROL * cons.conditions[2].rhs)
    steps = profile.steps(LEMMA2_BASE_STEPS)
    half = lb.lemma2_bound(cons).value
    observed = max_weight(cons, steps=steps, chains=profile.chains, seed=child_seed(seed, 0))
    observed_control = max_weight(control, steps=steps, chains=profile.chains, seed=child_seed(seed, 1))
    theorem8 = lb.theorem8_bound(cons)
    lower, upper = lb.theorem8_interval(cons)
    exact_ok = theorem8.applicable and theorem8.value <= half * (1 + FLOAT_SLACK)
    holds = cons.applicable and exact_ok and observed <= half
    details = {
        "construction": {
            "L": cons.L,
            "w_star": cons.w_star,
            "tau": cons.tau,
            "sigma": cons.sigma,
            "D": cons.D,
            "alpha": cons.alpha,
        },
        "conditions": _conditions(cons),
        "applicable": cons.applicable,
        "observed_max_w_inf": observed,
        "tau_over_2": half,
        "margin": half - observed,
        "theorem8_interval": [lower, upper],
        "theorem8_bound": theorem8.value,
        "theorem8_within_tau_over_2": exact_ok,
        "float_slack": f"Theorem 8's end equals tau/2 at the limits; compared with relative slack {FLOAT_SLACK}",
        "observed_within_theorem8": observed <= theorem8.value * (1 + FLOAT_SLACK),
        "steps": steps,
        "chains": profile.chains,
        "chunk": LEMMA2_CHUNK,
        "seed_spawn_keys": [list(child_seed(seed, 0).spawn_key), list(child_seed(seed, 1).spawn_key)],
        "control": {
            "sigma": control.sigma,
            "failed_conditions": [str(c) for c in control.failed],
            "observed_max_w_inf": observed_control,
            "theorem8_bound": lb.theorem8_bound(control).value,
        },
        "method": "max over all chains and steps k = 0..K of ||W_k||_inf (an almost-sure bound: one excess refutes)",
    }
    return exact_result(
        "C15",
        "upper",
        holds,
        control_holds=observed_control <= half,
        details=details,
        empirical=observed,
        theoretical=half,
        wrong_statement=(
            f"the same bound with sigma = {SIGMA_FACTOR_CONTROL:g} x its limit "
            f"({control.sigma:.4g}): ||W_k||_inf <= tau/2"
        ),
        supports=(
            f"observed max ||W_k||_inf = {observed:.6g} against tau/2 = {half:.6g}; Theorem 8's end "
            f"{theorem8.value:.6g}; conditions: {'; '.join(_conditions(cons))}"
        ),
    )


# ------------------------------------------------------------------------------------------------------------
# C16: Lemma 3
# ------------------------------------------------------------------------------------------------------------

LEMMA3_GRID = 2001


def _max_quotient(cons: LowerBoundConstruction, n: int = LEMMA3_GRID) -> float:
    """max over neighbouring grid points of |xi+-(w') - xi+-(w)|/|w' - w| on [-tau/2, tau/2], in units of
    sigma/(tau sqrt D)."""
    w = np.linspace(-cons.tau / 2, cons.tau / 2, n)
    quotients = [np.max(np.abs(np.diff(xi(w))) / np.diff(w)) for xi in (cons.xi_plus, cons.xi_minus)]
    return float(max(quotients)) / (cons.noise_scale / cons.tau)


@claim(
    "C16",
    "|xi+-_{k+1} - xi+-_k| <= (3 sigma/(tau sqrt D)) |w_{k+1} - w_k| in the instance",
    "Lemma 3 (v1), App. G.2",
    "upper",
)
def check_c16(profile: Profile, seed: np.random.SeedSequence):
    """C16: the exact Lipschitz constant of xi+- on |w| <= tau/2 (sympy) against 3, and a grid of difference
    quotients; control: the constant halved (3/2)."""
    cons = CONSTRUCTION
    tight = lb.lemma3_constant()
    stated = sp.Integer(3)
    quotient = _max_quotient(cons)

    def holds_for(constant) -> bool:
        return bool(sp.Le(tight, constant)) and quotient <= float(constant)

    details = {
        "exact_constant": str(tight),
        "exact_constant_value": float(tight),
        "stated_constant": 3,
        "grid_max_quotient_over_s_tau": quotient,
        "grid_points": LEMMA3_GRID,
        "construction": {"tau": cons.tau, "sigma": cons.sigma, "D": cons.D},
        "lipschitz_stated": lb.lemma3_bound_as_stated(cons).value,
        "lipschitz_tight": lb.lemma3_bound(cons).value,
        "note": "holds, not tightly: the exact constant 4/sqrt(3) = 2.309 (attained at |w| = tau/2) is 23% below 3",
    }
    return exact_result(
        "C16",
        "upper",
        holds_for(stated),
        control_holds=holds_for(sp.Rational(3, 2)),
        details=details,
        empirical=float(tight),
        theoretical=3.0,
        wrong_statement="the same Lipschitz bound with the constant halved: (3/2) sigma/(tau sqrt D)",
        supports=f"the exact constant is {float(tight):.6g}",
    )


# ------------------------------------------------------------------------------------------------------------
# C17: Lemma 4
# ------------------------------------------------------------------------------------------------------------

LEMMA4_GRID = 41
LEMMA4_DPS_TOLERANCE = 1e-30


def _lemma4_grid(cons: LowerBoundConstruction) -> list[tuple[float, float]]:
    """(w, g = L (w - w*)) at the interior points of a uniform grid on Lemma 4's region [a, b] of the instance
    (bounds.lower_bound.lemma4_interval). The ends are left out: a and b are float roots, which may lie an ulp
    outside the region, where (83) is off by ~1e-16."""
    a, b = lb.lemma4_interval(cons)
    return [(float(w), float(cons.L * (w - cons.w_star))) for w in np.linspace(a, b, LEMMA4_GRID + 2)[1:-1]]


def _lemma4_matches(cons: LowerBoundConstruction, noise_factor) -> tuple[bool, float]:
    """Whether ``noise_factor * 2 s sqrt(p(1-p)) + (2p - 1) g`` equals the exact E|g + xi| (50-digit mpmath)
    at every grid point; returns (all match, worst relative error)."""
    worst = 0.0
    with mpmath.workdps(50):
        for w, g in _lemma4_grid(cons):
            args = (g, w, cons.tau, cons.sigma, cons.D)
            exact = lb.ABS_MOMENT.exact(*args)
            gradient_part = (2 * lb.PROBABILITY.exact(w, cons.tau) - 1) * mpmath.mpf(g)
            value = noise_factor * (lb.LEMMA4_ABS_MOMENT.exact(*args) - gradient_part) + gradient_part
            worst = max(worst, float(abs(value - exact) / abs(exact)))
    return worst <= LEMMA4_DPS_TOLERANCE, worst


@claim(
    "C17",
    "E|grad f(W_k) + eps_k| = (2 sigma/sqrt D) sqrt(p_k (1 - p_k)) 1 + (2 p_k - 1) grad f(W_k)",
    "Lemma 4 (v1), eq. (83)",
    "identity",
)
def check_c17(profile: Profile, seed: np.random.SeedSequence):
    """C17: (83) against the exact two-point sum, symbolically (on Lemma 4's region) and at 50 digits on a grid
    of the instance's states; the region is invariant under the step-size condition. Control: the noise term
    times 1.1."""
    cons = CONSTRUCTION
    step = lb.derivation_steps()[0]
    grid_ok, worst = _lemma4_matches(cons, 1)
    control_ok, control_worst = _lemma4_matches(cons, mpmath.mpf(11) / 10)
    a, b = lb.lemma4_interval(cons)
    states = np.linspace(a, b, 401)
    invariant = all(
        np.all((nxt >= a - FLOAT_SLACK * cons.tau) & (nxt <= b + FLOAT_SLACK * cons.tau))
        for nxt in cons.next_weights(states)
    )
    outside = lb.lemma4_value(2.0, 0.0, 1.0, 1.0, 1)
    holds = step.follows and step.correct and grid_ok and invariant
    details = {
        "symbolic": {"label": step.label, "equals_exact_sum_on_region": step.correct},
        "grid": {
            "points": LEMMA4_GRID,
            "region": [a, b],
            "ends": "excluded (float roots)",
            "worst_relative_error": worst,
            "tolerance": LEMMA4_DPS_TOLERANCE,
            "precision": "mpmath, 50 digits",
        },
        "region_invariant_under_step_size_condition": invariant,
        "conditions": _conditions(cons),
        "construction": {
            "L": cons.L,
            "w_star": cons.w_star,
            "tau": cons.tau,
            "sigma": cons.sigma,
            "D": cons.D,
            "alpha": cons.alpha,
        },
        "outside_region": {
            "g": 2.0,
            "w": 0.0,
            "s": 1.0,
            "formula": outside.value,
            "exact": lb.abs_moment(2.0, 0.0, 1.0, 1.0, 1),
            "note": "(83) needs -xi+ <= g <= -xi-; outside it the formula is wrong",
        },
        "control_worst_relative_error": control_worst,
    }
    return exact_result(
        "C17",
        "identity",
        holds,
        control_holds=control_ok,
        details=details,
        wrong_statement="E|g + xi| = 1.1 (2 sigma/sqrt D) sqrt(p(1-p)) + (2p - 1) g",
        supports=f"(83) fails on the instance's region: worst relative error {worst:.3g}",
    )


# ------------------------------------------------------------------------------------------------------------
# C18: the noise law's moments
# ------------------------------------------------------------------------------------------------------------

C18_STATES = (-0.9, -0.5, 0.0, 0.25, 0.5, 0.9)
"""States x = w/tau at which the noise is drawn (p = (1 - x)/2 from 0.05 to 0.95)."""
C18_BASE_DRAWS = 100
C18_RTOL = 0.02
C18_WRONG_FACTOR = 1.1


def noise_moments_per_chain(noise: TwoPointNoise, x: float, *, chains: int, draws: int, D: int, rng):
    """Per chain, over ``draws`` draws of eps at W = x tau 1: the averages of ||eps||^2 and of eps_1, and whether
    every draw had equal coordinates (eps = xi 1)."""
    W = np.full((chains, D), x * noise.tau)
    zero = np.zeros((chains, D))
    out = np.empty((chains, D))
    energy, first, equal = np.zeros(chains), np.zeros(chains), True
    for _ in range(draws):
        noise.perturb(zero, W, rng, out)
        energy += np.einsum("ij,ij->i", out, out)
        first += out[:, 0]
        equal = equal and bool(np.all(out == out[:, :1]))
    return energy / draws, first / draws, equal


@claim(
    "C18",
    "The instance's two-point noise has E[eps] = 0 and E||eps||^2 = sigma^2",
    "Thm 3 (v1) instance, App. G.2 (66)-(67)",
    "identity",
)
def check_c18(profile: Profile, seed: np.random.SeedSequence):
    """C18: exact (sympy sums over the two outcomes) and Monte Carlo: per chain, the average over
    ``profile.steps(100)`` draws and the states :data:`C18_STATES` of ||eps||^2/sigma^2 (interval, equal to 1
    with rtol 0.02) and of xi/s (interval covering 0). Control: E||eps||^2 = 1.1 sigma^2."""
    cons = CONSTRUCTION
    noise = TwoPointNoise(cons.sigma, cons.tau, shared=True)
    mean, energy = lb.noise_moments()
    exact_mean_ok = sp.simplify(mean) == 0
    exact_energy_ok = sp.simplify(energy - S.sigma**2) == 0
    exact_control = sp.simplify(energy - sp.Rational(11, 10) * S.sigma**2) == 0
    draws = profile.steps(C18_BASE_DRAWS)
    level = 1.0 - (1.0 - profile.level) / 2  # two intervals: the energy and the mean
    rng = np.random.default_rng(child_seed(seed, 0))
    s = cons.noise_scale
    energy_samples = np.zeros(profile.chains)
    mean_samples = np.zeros(profile.chains)
    equal_coordinates = True
    for x in C18_STATES:
        energy_x, first_x, equal_x = noise_moments_per_chain(
            noise, x, chains=profile.chains, draws=draws, D=cons.D, rng=rng
        )
        energy_samples += energy_x / cons.sigma**2
        mean_samples += first_x / s
        equal_coordinates = equal_coordinates and equal_x
    energy_samples /= len(C18_STATES)
    mean_samples /= len(C18_STATES)
    energy_est = mean_ci(energy_samples, level=level)
    mean_est = mean_ci(mean_samples, level=level)
    mc_ok = energy_est.covers(1.0) and energy_est.half_width <= C18_RTOL and mean_est.covers(0.0) and equal_coordinates
    holds = bool(exact_mean_ok and exact_energy_ok and mc_ok)
    control_holds = bool(exact_control and energy_est.covers(C18_WRONG_FACTOR))
    details = {
        "exact": {
            "E_xi": str(mean),
            "E_norm_eps_sq": str(energy),
            "mean_is_0": bool(exact_mean_ok),
            "energy_is_sigma_sq": bool(exact_energy_ok),
            "method": "sympy sum over the two outcomes, p + q = 1",
        },
        "monte_carlo": {
            "states_x": list(C18_STATES),
            "draws_per_chain_and_state": draws,
            "chains": profile.chains,
            "E_norm_eps_sq_over_sigma_sq": energy_est.mean,
            "ci": [energy_est.low, energy_est.high],
            "rtol": C18_RTOL,
            "E_xi_over_s": mean_est.mean,
            "E_xi_ci": [mean_est.low, mean_est.high],
            "level_per_interval": level,
            "seed_spawn_key": list(child_seed(seed, 0).spawn_key),
            "coordinates_equal": equal_coordinates,
            "per_chain_sample": "average over draws and states of ||eps||^2/sigma^2 (resp. xi/s)",
        },
        "construction": {"tau": cons.tau, "sigma": cons.sigma, "D": cons.D},
    }
    result = exact_result(
        "C18",
        "identity",
        holds,
        control_holds=control_holds,
        details=details,
        empirical=energy_est.mean,
        theoretical=1.0,
        wrong_statement="E||eps||^2 = 1.1 sigma^2 (exact sum and the same Monte Carlo interval)",
        supports=(
            f"exact: E xi = {mean}, E||eps||^2 = {energy}; Monte Carlo E||eps||^2/sigma^2 = {energy_est}, "
            f"E xi/s = {mean_est}"
        ),
    )
    result.ci_low, result.ci_high = energy_est.low, energy_est.high
    return result
