r"""Figure 3 (section 5.1): dynamic (3) against the pulse level, C35.

Claim C35: "Dynamic (3) reproduces AIHWKit Analog SGD for tau in {1, 1.5, 2, 2.5} much better than dynamic
(2)". AIHWKit is not a dependency; its pulsed update is replaced by the toolkit's pulse-level Analog SGD
(:class:`verify.sim.dynamics.PulsedAnalogSGD` with AIHWKit-style stochastic pulse trains, bit-length and update
management, desired_bl = the setting's 300, Delta w_min = 2 tau/300), on the paper's Figure 3 settings
(:func:`verify.experiments.settings.figure3`, alpha = 0.03 < 2/L = 0.0333: stable, alpha L = 1.80).

Quantity. For each tau the distances (:func:`verify.experiments.figures.curve_distance`, mean absolute log-ratio of the
chain-mean loss curves over k = 1..K) of digital SGD (2), d2, and of dynamic (3), d3, from the pulse-level
curve. "Much better" is read as "at least twice as close": the case per tau is
``Q = d2 - MUCH d3 >= 0`` with MUCH = 2, its conservative standard error ``s2 + MUCH s3`` (Minkowski: the
three runs are independent, but the bound holds whatever their correlation) and a normal interval at the
claim's level split over the four taus (Bonferroni). Confirmed if every interval lies above 0, refuted if one
lies below. Negative control: "(2) is at least as close as (3)", ``d3 - d2 >= 0`` per tau, must not be
confirmed. ``details`` also holds the plain ratio d2/d3 per tau and how d3 shrinks as Delta w_min -> 0
(tau = 2.5, Delta w_min times 1, 1/4, 1/16).
"""

from __future__ import annotations

import scipy.stats

from ...experiments.figures import FIG3_COUNTING, curve_distance, figure3_curves
from ...sim.stats import Estimate
from ..registry import claim
from .analog_sgd import Case, case_level, child_seed, combined_result

#: "much better" = at least this many times closer to the pulse-level curve
MUCH = 2.0
#: base number of steps (quick profile; the full profile's step_scale 4 gives 1000); the paper plots 2500, the
#: curves settle by k ~ 100 (alpha mu = 0.107)
STEPS = 250
#: chains per curve in the quick profile (kept small: pulse trains cost ~3x a dynamic (3) step)
QUICK_CHAINS = 300
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


@claim(
    "C35",
    "Dynamic (3) reproduces AIHWKit Analog SGD for tau in {1, 1.5, 2, 2.5} much better than dynamic (2)",
    "Sec. 5.1 (v1), Fig. 3",
    "scaling",
)
def check_c35(profile, seed):
    """Distances of (2) and (3) from the pulse-level curve per tau on Figure 3's paper settings; "much better"
    = d2 >= 2 d3 for every tau. Negative control: d3 >= d2 for every tau."""
    chains = QUICK_CHAINS if profile.name == "quick" else profile.chains
    steps = profile.steps(STEPS)
    curves = figure3_curves("paper", chains=chains, steps=steps, seed=child_seed(seed, 0), counting=FIG3_COUNTING)
    taus = list(curves["analog"])
    level = case_level(profile.level, len(taus))
    cases, controls, rows = [], [], []
    for tau in taus:
        pulsed = curves["pulsed"][tau]
        d2 = curve_distance(curves["digital"], pulsed, level)
        d3 = curve_distance(curves["analog"][tau], pulsed, level)
        cases.append(
            Case(
                f"tau={tau:g}: d2 - {MUCH:g} d3 >= 0",
                _difference(d2, d3, MUCH, level),
                0.0,
                "lower",
                info={"d2": d2.mean, "d3": d3.mean},
            )
        )
        controls.append(Case(f"tau={tau:g}: d3 - d2 >= 0", _difference(d3, d2, 1.0, level), 0.0, "lower"))
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
        "much_better_factor": MUCH,
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
        wrong_statement="dynamic (2) is at least as close to the pulse level as dynamic (3), every tau",
        details=details,
        supports=supports,
    )
