r"""Claims of our own, P1-P3: the exact small-step floor of Analog SGD and Tiki-Taka's order.

Not statements of the paper: predictions of :mod:`bounds.asymptotics` and :mod:`bounds.tiki_taka_asymptotics`,
checked with the same verdict machinery (fitted quantities decided by :func:`verify.claims.verdicts.decide_fit`
with the registered tolerance, a control with power).

Monte Carlo setup (as validated in tests/test_asymptotics.py): f = L/2 (w - w*)^2 on an asymmetric linear device,
chains started at the predicted root W_inf, burn-in of ``RELAX`` relaxation times ``t_c = 1/(alpha |b'(W_inf)|)``
then a window of ``LENGTH`` relaxation times; each chain's time average of ||grad f||^2 over the window is one
sample. Runs at the step sizes :data:`ALPHAS` are independent (one child seed each).

* P1: per case, the weighted line through the measured floors at :data:`ALPHAS` (:func:`verify.sim.stats.
  fit_estimates`, with its chi-square lack-of-fit test) extrapolated to alpha = 0, against the predicted limit
  ||grad f(W_inf)||^2: "equal" within the registered relative tolerance, one case per noise setting (Bonferroni
  over the cases); inconclusive for a case whose line is rejected. Control: the limit x (1 + 2 x tolerance).
* P2: the slopes of the same procedure's lines (its own runs, from P2's seed) against the predicted
  first-order coefficient c_1, "equal" within P2's tolerance (read from "to first order"). Control: c_1 x
  (1 + 2 x tolerance).
* P3: Tiki-Taka at fixed small alpha: the log-log slope of the measured floor E||grad f||^2 in beta against the
  slope of :func:`bounds.tiki_taka_asymptotics.tiki_taka_floor` through the same points (bias O(beta) plus
  variance O(alpha): the predicted slope is a little under 1), "equal" within an absolute tolerance of half the
  distance to the rival slope 1/2; the measured / predicted floors are recorded. Control: the slope 1/2 that the
  O(alpha sqrt(beta)) drift of E|P| alone would suggest.
"""

from __future__ import annotations

import numpy as np

from bounds.asymptotics import scalar_asymptotics
from bounds.devices import AsymmetricLinearDevice
from bounds.noise_laws import GaussianLaw, RademacherLaw
from bounds.tiki_taka_asymptotics import tiki_taka_floor

from ...sim.dynamics import AnalogSGD, TikiTaka
from ...sim.engine import simulate
from ...sim.noise import GaussianNoise, RademacherNoise
from ...sim.problems import scalar_quadratic
from ...sim.seeds import child_seed
from ...sim.stats import Estimate, fit_estimates, loglog_fit
from ..registry import Profile, claim, tolerance_of
from ..results import case_level, combined_result, fitted_case
from ..verdicts import Tolerance

__all__ = ["CASES", "ALPHAS", "stationary_estimates", "analog_sgd_lines", "check_p1", "check_p2", "check_p3"]

#: (name, L, w*, tau, law kind, s): cases of tau, sigma (s), W* and noise law
CASES = (
    ("gaussian s=0.5 w*=0.3 tau=1", 1.0, 0.3, 1.0, "gaussian", 0.5),
    ("rademacher s=0.4 w*=-0.4 tau=1", 1.0, -0.4, 1.0, "rademacher", 0.4),
    ("gaussian s=0.3 w*=0.5 L=2 tau=1.5", 2.0, 0.5, 1.5, "gaussian", 0.3),
)
ALPHAS = (0.02, 0.01, 0.005)
RELAX, LENGTH = 5.0, 30.0
"""Burn-in and window in relaxation times: the start W_inf is off the stationary mean by O(alpha), and
exp(-5) of that is left; 30 relaxation times give ~15 effectively independent values per chain."""

TT_ALPHA, TT_BETAS, TT_LAW, TT_L, TT_W_STAR, TT_TAU = 0.001, (0.05, 0.025, 0.0125), GaussianLaw(1.0), 1.0, 0.5, 1.0
TT_BURN, TT_LENGTH = 4.0, 8.0
"""In units of W's time scale t_w = m/(alpha tau L) (as in tests/test_tiki_taka_asymptotics.py)."""
P3_RIVAL = 0.5
"""The log-log slope of the rival order O(sqrt(beta)) that P3 rules out."""


def _law_and_noise(kind: str, s: float):
    if kind == "gaussian":
        return GaussianLaw(s=s), GaussianNoise(s)
    if kind == "rademacher":
        return RademacherLaw(s=s), RademacherNoise(s)
    raise ValueError(f"kind must be 'gaussian' or 'rademacher', got {kind!r}")


def stationary_estimates(
    problem, dynamics_of, noise, statistic: str, *, rate, alphas, relax, length, profile, seed, level
) -> list[tuple]:
    """Per step size alpha of ``alphas``: ``(alpha, burn, n, estimate)``, the mean of ``statistic`` over a tail of
    ``length`` time constants ``1/(alpha rate)`` after ``relax`` of them, of ``dynamics_of(alpha)`` on ``problem``
    (run j seeded ``child_seed(seed, j)``; the budgets scale with the profile)."""
    ests = []
    for j, alpha in enumerate(alphas):
        tc = 1.0 / (alpha * rate)
        burn, n = profile.steps(int(relax * tc)), profile.steps(int(length * tc))
        res = simulate(
            problem,
            dynamics_of(alpha),
            noise,
            steps=burn + n,
            chains=profile.chains,
            seed=child_seed(seed, j),
            windows={"tail": (burn, burn + n)},
            progress=False,
        )
        ests.append((alpha, burn, n, res.estimate(statistic, "tail", level)))
    return ests


def analog_sgd_lines(profile: Profile, seed: np.random.SeedSequence) -> list[dict]:
    """Per case of :data:`CASES`: the prediction, the measured floors at :data:`ALPHAS` and the fitted line
    (:class:`~verify.sim.stats.PolynomialFit` at the per-case level). P1 and P2 each run it with their own claim
    seed, so their evidence is independent (about 1.6 s in the quick profile)."""
    level = case_level(profile.level, len(CASES))
    out = []
    for i, (name, L, w_star, tau, kind, s) in enumerate(CASES):
        law, noise = _law_and_noise(kind, s)
        device = AsymmetricLinearDevice(tau=tau)
        pred = scalar_asymptotics(device, law, L=L, w_star=w_star)
        rate = -pred.derivative
        problem = scalar_quadratic(L, w_star, float(pred.w_inf))
        ests = stationary_estimates(
            problem,
            lambda alpha, device=device: AnalogSGD(device, alpha),
            noise,
            "grad_sq",
            rate=rate,
            alphas=ALPHAS,
            relax=RELAX,
            length=LENGTH,
            profile=profile,
            seed=child_seed(seed, i),
            level=level,
        )
        alphas = [a for a, *_ in ests]
        line = fit_estimates(alphas, [e for *_, e in ests], 1, level)
        curved = fit_estimates(alphas, [e for *_, e in ests], 2, level) if len(alphas) >= 4 else None
        limit, c1 = pred.limits["grad_sq"], pred.slopes["grad_sq"]
        out.append(
            {
                "case": name,
                "L": L,
                "w_star": w_star,
                "tau": tau,
                "law": kind,
                "s": s,
                "unique": pred.unique,
                "w_inf": float(pred.w_inf),
                "limit": limit,
                "c1": c1,
                "rate": rate,
                "runs": [
                    {
                        "alpha": a,
                        "burn": b,
                        "window": n,
                        "floor": e.mean,
                        "ci": [e.low, e.high],
                        "prediction_first_order": limit + c1 * a,
                        "relative_error_vs_limit": abs(e.mean - limit) / limit,
                    }
                    for a, b, n, e in ests
                ],
                "line": line,
                "curved": curved,
                "level": level,
            }
        )
    return out


def _case_details(lines) -> list[dict]:
    keep = ("case", "L", "w_star", "tau", "law", "s", "unique", "w_inf", "limit", "c1", "rate", "runs", "level")
    return [{k: c[k] for k in keep} for c in lines]


def _line_check(claim_id: str, profile: Profile, seed, quantity: str, key: str, wrong_statement: str, what: str):
    """P1 (``quantity = "intercept"``, predicted ``key = "limit"``) and P2 (``"slope"``, ``"c1"``): one fitted case
    per noise setting against the prediction with the claim's tolerance; the control moves each prediction by
    twice the tolerance."""
    tolerance = tolerance_of(claim_id)
    wrong_factor = 1.0 + 2.0 * tolerance.value
    lines = analog_sgd_lines(profile, seed)
    cases, control_cases = [], []
    for c in lines:
        fit = dict(line=c["line"], curved=c["curved"])
        cases.append(
            fitted_case(
                c["case"],
                quantity=quantity,
                theoretical=c[key],
                relation="equal",
                tolerance=tolerance,
                info={what: c[key]},
                **fit,
            )
        )
        control_cases.append(
            fitted_case(
                c["case"],
                quantity=quantity,
                theoretical=wrong_factor * c[key],
                relation="equal",
                tolerance=tolerance,
                **fit,
            )
        )
    details = {
        "cases_setup": _case_details(lines),
        "alphas": list(ALPHAS),
        "fit": {case.label: case.info["fit"] for case in cases},
        "relative_error_shrinks_with_alpha": all(
            c["runs"][0]["relative_error_vs_limit"] > c["runs"][-1]["relative_error_vs_limit"] for c in lines
        ),
        "burn_in_relaxation_times": RELAX,
        "window_relaxation_times": LENGTH,
        "chains": profile.chains,
    }
    return combined_result(
        claim_id,
        "equal",
        cases,
        control_cases,
        wrong_statement=wrong_statement.format(factor=wrong_factor),
        margin=f"the prediction x (1 + 2 x {tolerance.value:g}) in every case",
        details=details,
        supports="; ".join(
            f"{c.label}: {quantity} {c.estimate.mean:.4g} [{c.estimate.low:.4g}, {c.estimate.high:.4g}] vs "
            f"{what} {c.theoretical:.4g}"
            for c in cases
        ),
    )


_ANALOG_MODEL = (
    "dynamic (3) (Analog SGD) on an asymmetric linear device, f = L/2 (w - w*)^2, Gaussian and Rademacher noise, "
    "the toolkit's engine, Monte Carlo floors at alpha = 0.02, 0.01, 0.005 fitted by a weighted line in alpha"
)


@claim(
    "P1",
    "Analog SGD's Monte Carlo floor E||grad f||^2 converges, as alpha -> 0, to the predicted limit "
    "||grad f(W_inf)||^2 at the root W_inf of the mean map (Gaussian and Rademacher noise, several tau, sigma, W*)",
    "derived here: bounds.asymptotics.scalar_asymptotics",
    "equal",
    model=_ANALOG_MODEL,
    tolerance=Tolerance(
        0.05,
        "'converges to the predicted limit': the limit is exact (no neglected term), so the tolerance is the "
        "resolution of the extrapolation, 5% of the limit, fixed in advance",
    ),
    quantity="the deciding case's alpha -> 0 value of the floor E||grad f||^2 (line in alpha) vs the predicted limit",
)
def check_p1(profile: Profile, seed: np.random.SeedSequence):
    """P1: per case, the line's value at alpha = 0 against the predicted limit (relative tolerance)."""
    return _line_check(
        "P1",
        profile,
        seed,
        "intercept",
        "limit",
        "the floor tends to {factor:g} x the predicted limit",
        "limit",
    )


@claim(
    "P2",
    "The O(alpha) term c_1 alpha from the linearised stationary covariance predicts the gap between "
    "Analog SGD's floor and its alpha -> 0 limit at small alpha",
    "derived here: bounds.asymptotics (Lyapunov equation of the linearised chain)",
    "equal",
    model=_ANALOG_MODEL,
    tolerance=Tolerance(
        0.2,
        "'the fitted slope equals the derived c_1 to first order': over alpha <= 0.02 the second-order term "
        "changes the fitted slope by O(alpha) relative; allowing a dimensionless second-order coefficient up to "
        "10 gives 10 x 0.02 = 20% (re-fixed from this wording; the former 50% was the precision reached)",
    ),
    quantity="the deciding case's slope in alpha of the floor E||grad f||^2 (line) vs the predicted c_1",
)
def check_p2(profile: Profile, seed: np.random.SeedSequence):
    """P2: per case, the line's slope in alpha against the predicted c_1 (relative tolerance)."""
    return _line_check(
        "P2",
        profile,
        seed,
        "slope",
        "c1",
        "the floor's O(alpha) coefficient is {factor:g} x c_1",
        "c1",
    )


@claim(
    "P3",
    "Tiki-Taka's floor E||grad f||^2 vanishes at the predicted order: bias O(beta) plus variance "
    "O(alpha) (bounds.tiki_taka_asymptotics.tiki_taka_floor), not O(sqrt(beta))",
    "derived here: bounds.tiki_taka_asymptotics",
    "equal",
    model="dynamic (TT) at alpha = 0.001 on an asymmetric linear device, f = L/2 (w - w*)^2, Gaussian noise, the "
    "toolkit's engine; Monte Carlo floors at beta = 0.05, 0.025, 0.0125 fitted by a weighted line in log-log",
    tolerance=Tolerance(
        0.1,
        "'at the predicted order ..., not O(sqrt(beta))': the predicted log-log slope (about 0.69 over these "
        "betas) and the rival 1/2 differ by about 0.19; the band is half of that, +-0.1 (absolute), so that the "
        "two readings cannot both be confirmed (re-fixed from the prediction; the former 10% relative was the "
        "quick profile's precision)",
        "absolute",
    ),
    quantity="log-log slope of Tiki-Taka's floor in beta vs the predicted slope (bias O(beta) + variance O(alpha))",
)
def check_p3(profile: Profile, seed: np.random.SeedSequence):
    """P3: the log-log slope of the measured floor in beta at alpha = :data:`TT_ALPHA` against the predicted
    slope, within the registered absolute tolerance; the measured / predicted floors are recorded. Control: the
    rival slope :data:`P3_RIVAL`."""
    tolerance = tolerance_of("P3")
    level = profile.level
    m = TT_LAW.mean_abs()
    t_w = m / (TT_ALPHA * TT_TAU * TT_L)
    burn, n = profile.steps(int(TT_BURN * t_w)), profile.steps(int(TT_LENGTH * t_w))
    ests, preds = [], []
    for i, beta in enumerate(TT_BETAS):
        res = simulate(
            scalar_quadratic(TT_L, TT_W_STAR),
            TikiTaka(AsymmetricLinearDevice(TT_TAU), alpha=TT_ALPHA, beta=beta),
            GaussianNoise(1.0),
            steps=burn + n,
            chains=profile.chains,
            seed=child_seed(seed, i),
            windows={"stat": (burn, burn + n + 1)},
            progress=False,
        )
        ests.append(res.estimate("grad_sq", "stat", level))
        preds.append(tiki_taka_floor(TT_LAW, L=TT_L, w_star=TT_W_STAR, alpha=TT_ALPHA, beta=beta, tau=TT_TAU))
    line = loglog_fit(TT_BETAS, ests, level)
    curved = loglog_fit(TT_BETAS, ests, level, degree=2) if len(TT_BETAS) >= 4 else None
    predicted = float(
        loglog_fit(
            TT_BETAS,
            [Estimate(p.value, 0, 0, e.n, level, sem=e.sem * p.value / e.mean) for p, e in zip(preds, ests)],
            level,
        ).coefficients[1]
    )
    label = "log-log slope of the floor in beta"
    case = fitted_case(label, line, "slope", predicted, "equal", tolerance=tolerance, curved=curved)
    control = fitted_case(label, line, "slope", P3_RIVAL, "equal", tolerance=tolerance, curved=curved)
    details = {
        "alpha": TT_ALPHA,
        "betas": list(TT_BETAS),
        "L": TT_L,
        "w_star": TT_W_STAR,
        "tau": TT_TAU,
        "law": "gaussian s=1",
        "burn": burn,
        "window": n,
        "t_w": t_w,
        "chains": profile.chains,
        "runs": [
            {
                "beta": b,
                "floor": e.mean,
                "ci": [e.low, e.high],
                "predicted": p.value,
                "bias": p.terms["bias"],
                "variance": p.terms["variance"],
                "ratio": e.mean / p.value,
                "applicable": p.applicable,
            }
            for b, e, p in zip(TT_BETAS, ests, preds)
        ],
        "predicted_slope": predicted,
        "fit": case.info["fit"],
    }
    return combined_result(
        "P3",
        "equal",
        [case],
        [control],
        wrong_statement=f"the floor falls like beta^{P3_RIVAL:g} (the order of E|P|)",
        margin=f"the rival slope {P3_RIVAL:g}, {predicted - P3_RIVAL:.3g} below the predicted {predicted:.3g}",
        details=details,
        supports=f"log-log slope in beta {case.estimate}, predicted {predicted:.4g}",
    )
