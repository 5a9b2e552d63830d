r"""Figure 3 (section 5.1): dynamic (3) against the toolkit's earlier pulse-level stand-in, C35's second line.

C35 itself is registered and decided on the AIHWKit-faithful experiment model in
:mod:`verify.claims.checks.experiments`; :func:`dynamic3_c35` is the same check on the stand-in below, shown
beside it.

Claim C35: "Dynamic (3) reproduces AIHWKit Analog SGD for tau in {1, 1.5, 2, 2.5} much better than dynamic
(2)". AIHWKit is not a dependency; its pulsed update is replaced by the toolkit's pulse-level Analog SGD
(:class:`verify.sim.dynamics.PulsedAnalogSGD` with AIHWKit-style stochastic pulse trains, bit-length and update
management, desired_bl = the setting's 300, Delta w_min = 2 tau/300), on the paper's Figure 3 settings
(:func:`verify.experiments.settings.figure3`, alpha = 0.03 < 2/L = 0.0333: stable, alpha L = 1.80).

Quantity. For each tau the distances (:func:`verify.experiments.figures.curve_distance`, mean absolute log-ratio of the
chain-mean loss curves over k = 1..K) of digital SGD (2), d2, and of dynamic (3), d3, from the pulse-level
curve. "Much better" is read as "at least m times as close", m the claim's registered threshold (2): the case
per tau is ``Q = d2 - m d3 >= 0``, its conservative standard error ``s2 + m s3`` (Minkowski: the three runs are
independent, but the bound holds whatever their correlation) and a normal interval at the claim's level split
over the four taus (Bonferroni). Confirmed if every interval lies above 0, refuted if one lies below. The
control: if the claim is refuted, the corrected statement "(3) is much better only at tau = 1: d2 >= m d3 at
tau = 1 and d2 <= m d3 at tau >= 1.5" (the pulse-count noise of 300 states raises the pulse-level floor above
(3)'s), which must be confirmed; otherwise the nearest wrong statement, the factor doubled (``d2 - 2m d3 >= 0``),
which must be refuted. ``details`` also holds the plain ratio d2/d3 per tau and how d3 shrinks as
Delta w_min -> 0 (tau = 2.5, Delta w_min times 1, 1/4, 1/16).
"""

from __future__ import annotations

import scipy.stats

from ...experiments.figures import FIG3_COUNTING, curve_distance, figure3_curves
from ...sim.seeds import child_seed
from ...sim.stats import Estimate
from ..registry import tolerance_of
from ..results import Case, case_level, combined_result

#: base number of steps (quick profile; the full profile's step_scale 4 gives 1000); the paper plots 2500, the
#: curves settle by k ~ 100 (alpha mu = 0.107)
STEPS = 250
#: the dw_min -> 0 study: tau and the factors on the setting's Delta w_min
SHRINK_TAU = 2.5
SHRINK_SCALES = (1.0, 0.25, 0.0625)


def _difference(a: Estimate, b: Estimate, factor: float, level: float) -> Estimate:
    """a - factor b with the conservative standard error a.sem + factor b.sem and a normal interval."""
    mean = a.mean - factor * b.mean
    sem = a.sem + factor * b.sem
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    return Estimate(
        mean=mean,
        low=mean - z * sem,
        high=mean + z * sem,
        n=min(a.n, b.n),
        level=level,
        sem=sem,
        method="difference of curve distances, conservative (fully correlated) standard error, normal",
    )


def _record(e: Estimate) -> dict:
    return {"value": e.mean, "ci": [e.low, e.high], "sem": e.sem}


#: the model of :func:`dynamic3_c35`
PULSE_STAND_IN = (
    "the toolkit's combined-update pulse simulator (stand-in for AIHWKit, no weight noise), against dynamics (2) "
    "and (3), Monte Carlo"
)


def distance_cases(tau: float, d2: Estimate, d3: Estimate, much: float, level: float) -> tuple[Case, Case]:
    """C35's case at ``tau`` (``d2 - m d3 >= 0``, m = ``much``) and its nearest wrong statement (factor 2m), from
    the distances of digital SGD (2) and dynamic (3) to the reference curve."""
    case = Case(
        f"tau={tau:g}: d2 - {much:g} d3 >= 0",
        _difference(d2, d3, much, level),
        0.0,
        "lower",
        info={"d2": d2.mean, "d3": d3.mean},
    )
    wrong = Case(f"tau={tau:g}: d2 - {2 * much:g} d3 >= 0", _difference(d2, d3, 2 * much, level), 0.0, "lower")
    return case, wrong


def dynamic3_c35(profile, seed):
    """Distances of (2) and (3) from the pulse-level curve per tau on Figure 3's paper settings; "much better"
    = d2 >= m d3 for every tau (m the registered threshold). Control: refuted, "(3) is closer" (d2 >= d3 every
    tau) must be confirmed; else the factor 2m must be refuted."""
    much = tolerance_of("C35").value
    chains = profile.chains
    steps = profile.steps(STEPS)
    curves = figure3_curves("paper", chains=chains, steps=steps, seed=child_seed(seed, 0), counting=FIG3_COUNTING)
    taus = list(curves["analog"])
    level = case_level(profile.level, len(taus))
    cases, controls, corrected, rows = [], [], [], []
    for tau in taus:
        pulsed = curves["pulsed"][tau]
        d2 = curve_distance(curves["digital"], pulsed, level)
        d3 = curve_distance(curves["analog"][tau], pulsed, level)
        case, wrong = distance_cases(tau, d2, d3, much, level)
        cases.append(case)
        controls.append(wrong)
        q = case.estimate
        corrected.append(
            Case(
                f"tau={tau:g}: d2 - {much:g} d3 {'>=' if tau == 1 else '<='} 0",
                q,
                0.0,
                "lower" if tau == 1 else "upper",
            )
        )
        rows.append(
            {
                "tau": tau,
                "dw_min": pulsed.dw_min,
                "d2_digital_vs_pulse": _record(d2),
                "d3_dynamic3_vs_pulse": _record(d3),
                "ratio_d2_over_d3": d2.mean / d3.mean,
                "final_f_gap": {
                    "digital": float(curves["digital"].mean[-1]),
                    "dynamic3": float(curves["analog"][tau].mean[-1]),
                    "pulse": float(pulsed.mean[-1]),
                },
            }
        )
    shrink = figure3_curves(
        "paper",
        chains=chains,
        steps=steps,
        seed=child_seed(seed, 1),
        counting=FIG3_COUNTING,
        taus=(SHRINK_TAU,),
        dw_min_scale=SHRINK_SCALES[0],
    )
    study = []
    for i, scale in enumerate(SHRINK_SCALES):
        if i:
            shrink = figure3_curves(
                "paper",
                chains=chains,
                steps=steps,
                seed=child_seed(seed, 1 + i),
                counting=FIG3_COUNTING,
                taus=(SHRINK_TAU,),
                dw_min_scale=scale,
            )
        d3 = curve_distance(shrink["analog"][SHRINK_TAU], shrink["pulsed"][SHRINK_TAU], profile.level)
        study.append({"dw_min": shrink["pulsed"][SHRINK_TAU].dw_min, "scale": scale, "d3": _record(d3)})
    setting = curves["setting"]
    details = {
        "setting": {
            "figure": "fig3",
            "source": "paper",
            "problem": setting.problem.name,
            "D": setting.problem.dim,
            "notes": list(setting.notes),
            **curves["stability"],
            "noise_std": curves["noise_std"],
            "desired_bl": setting.max_bit_length,
        },
        "pulse_model": f"PulseModel(ALD(tau), dw_min = 2 tau/300, counting={FIG3_COUNTING!r}, desired_bl=300, "
        "bit-length and update management on)",
        "stand_in": (
            "the toolkit's pulse-level Analog SGD replaces AIHWKit; AIHWKit's forward/backward weight "
            "noise (w_noise) is not modelled: all three dynamics get the same Gaussian gradient noise"
        ),
        "chains": chains,
        "steps": steps,
        "much_better_factor": much,
        "case_level": level,
        "distance": "mean |log ratio| of chain-mean f(W_k) - f* over k = 1..K",
        "per_tau": rows,
        "dw_min_to_zero": {"tau": SHRINK_TAU, "rows": study},
        "other_settings": (
            "the official code's settings (noise std 0.1, Delta w_min = tau/300, desired_bl "
            "5000, K = 2500; too slow for this check) are run by `python -m verify figure fig3 "
            "--source code`, which prints the same distances"
        ),
        "seed": curves["seed"],
    }
    ratios = ", ".join(f"tau={r['tau']:g}: {r['ratio_d2_over_d3']:.3g}" for r in rows)
    shrink_text = ", ".join(f"{r['d3']['value']:.3g} at dw_min={r['dw_min']:.3g}" for r in study)
    supports = (
        f"(3) is closer to the pulse level than (2) is, but by the factors d2/d3 = {ratios}; at the "
        f"paper's granularity (300 states) the pulse-count noise raises the pulse-level floor above (3)'s "
        f"for tau >= 1.5, and d3 shrinks as dw_min -> 0 ({shrink_text} for tau = {SHRINK_TAU:g})"
    )
    return combined_result(
        "C35",
        "scaling",
        cases,
        controls,
        wrong_statement=f"dynamic (3) is at least {2 * much:g} times as close to the pulse level as (2), every tau",
        margin=f"'much better' factor {much:g} doubled",
        corrected_cases=corrected,
        corrected_statement=f"dynamic (3) is much better than (2) only at tau = 1: d2 >= {much:g} d3 at tau = 1, "
        f"d2 <= {much:g} d3 at tau >= 1.5",
        details=details,
        supports=supports,
    )
