r"""The paper's experimental claims on its Figures 1, 3 and 4 (C1a, C1b, C35, C36a, C36b, C37, C38), decided on
the AIHWKit-faithful experiment model, and where Figure 1's plateau comes from (P4).

The figures are AIHWKit runs of the official scripts. Each claim here is decided on those scripts' experiments
(:mod:`verify.experiments.scripts`) run on the AIHWKit-faithful tile (:mod:`verify.experiments.tile`: per-row
stochastic pulse trains with bit-length and update management, forward weight noise, IO bounds, soft-bounds
device, digital bias), which is validated against committed AIHWKit 1.1.0 references (``tests/data/aihwkit_*``,
``python -m verify crosscheck``). Each verdict also carries, as a second line, the same claim decided on the
paper's dynamic (3) with Gaussian gradient noise (:mod:`verify.claims.checks.figures` and
:mod:`~verify.claims.checks.figure3`): the gap between the two is itself a finding.

The figures' "final" or "asymptotic" error is S1's own definition, the mean of the last 20 logged losses of a
run (:data:`verify.experiments.scripts.FLOOR_STEPS`), except for Figure 4-right, whose claim compares where the
curves end after the plotted K = 50 steps: there it is the logged loss at k = K (a 20-step mean would cover the
last 40% of that run, transients included). Every run has its own seed (independent runs): orderings compare
independent means (ratio, delta method), each interval at the claim's level split over its cases (Bonferroni).
Thresholds are the claims' registered ones, unchanged from the dynamic-(3) checks.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import scipy.stats

from ...experiments.figures import Curve, curve_distance
from ...experiments.scripts import SCRIPTS, figure_data, run_tile
from ...sim.seeds import child_seed, seed_record
from ...sim.stats import Estimate, loglog_fit, mean_ci, ratio_of_independent_means
from ..registry import DEFAULT_SEED, claim, claim_seed, tolerance_of
from ..results import Case, case_level, combined_result, second_line
from ..verdicts import Tolerance
from .figure3 import PULSE_STAND_IN, _difference, distance_cases, dynamic3_c35
from .figures import MODEL as DYNAMIC3_MODEL
from .figures import c1_results, dynamic3_c1a, dynamic3_c1b, dynamic3_c36a, dynamic3_c36b, dynamic3_c37, dynamic3_c38

#: the model every check here is decided on
MODEL = (
    "AIHWKit-faithful tile model (verify.experiments.tile: per-row pulse trains, weight noise, IO bounds, "
    "soft bounds, digital bias) on the official scripts' experiments, validated against AIHWKit 1.1.0, Monte Carlo"
)

#: what these verdicts depend on beyond the evidence
DEPENDS = (
    "the experiment model (validated against AIHWKit 1.1.0 references within the crosscheck tolerance) and numpy "
    "data of the scripts' distributions (torch's seed-42 draws cannot be reproduced)"
)


@functools.lru_cache(maxsize=8)
def _cached(figure: str, profile, entropy, spawn_key) -> dict:
    seed = np.random.SeedSequence(entropy, spawn_key=spawn_key)
    return figure_data(figure, chains=profile.experiment_chains, seed=child_seed(seed, 1))


def _data(figure: str, profile, seed) -> dict:
    """The figure's data for ``profile`` and ``seed``, computed once for all claims that use it."""
    return _cached(figure, profile, seed.entropy, tuple(seed.spawn_key))


#: figure -> the claim whose seed its data are made with
FIGURE_CLAIMS = {"fig1": "C1", "fig3": "C35", "fig4-tau": "C36", "fig4-sigma": "C37", "fig4-init": "C38"}


def experiment_data(figure: str, profile, entropy: int = DEFAULT_SEED) -> dict:
    """The experiment model's data of ``figure`` that its claims are decided on (cached: the same object the checks
    of ``profile`` and root ``entropy`` use)."""
    return _data(figure, profile, claim_seed(FIGURE_CLAIMS[figure], entropy))


def _floor_rows(entries: list[dict], level: float, key: str = "floor") -> list[dict]:
    rows = []
    for e in entries:
        est = mean_ci(e[key], level)
        rows.append({"run": e["label"], "value": est.mean, "ci": [est.low, est.high], "seconds": e["seconds"]})
    return rows


def _common(data: dict, level: float) -> dict:
    script = data["script"]
    return {
        "experiment": {
            "script": script.script,
            "figure": script.figure,
            "D": script.dim,
            "steps": script.steps,
            "loss": f"{script.loss_scale:g} x MSE over {script.inputs.shape[0]} rows, logged / {script.dim}",
            "logged": script.logged,
            "notes": list(script.notes),
            "runs": [{"run": r.label, "lr": r.lr, "tile": repr(r.tile)} for r in script.runs],
        },
        "chains": data["chains"],
        "seed": data["seed"],
        "case_level": level,
        "analog_floors": _floor_rows(data["series"]["analog"], level),
        "digital_floors": _floor_rows(data["series"]["digital"], level),
    }


def _with_second(result, second) -> object:
    result.second_model = second_line(second, DYNAMIC3_MODEL)
    return result


# ---------------------------------------------------------------------------------------------
# C1: Figure 1, the floor against alpha
# ---------------------------------------------------------------------------------------------


def _slope_fits(entries: list[dict], level: float):
    xs, ests = [e["x"] for e in entries], [mean_ci(e["floor"], level) for e in entries]
    return loglog_fit(xs, ests, level), loglog_fit(xs, ests, level, degree=2) if len(entries) >= 4 else None


def c1_verdicts(data: dict, level: float) -> dict:
    """C1a (analog slope of log floor against log alpha = 0 within the registered band) and C1b (digital slope
    above its threshold) from :func:`~verify.experiments.scripts.figure_data` of ``fig1`` (independent runs; the
    line, else the quadratic's local slope, else inconclusive). Controls as on dynamic (3): slope = 2 x band for
    C1a (corrected statement if refuted: the floor falls, slope > C1b's threshold); threshold 1 + 2 x band for
    C1b."""
    analog, digital = data["series"]["analog"], data["series"]["digital"]
    fits = {"analog": _slope_fits(analog, level), "digital": _slope_fits(digital, level)}
    common = _common(data, level)
    a = [mean_ci(e["floor"], level).mean for e in analog]
    d = [mean_ci(e["floor"], level).mean for e in digital]
    common["analog_over_digital"] = {e["label"]: x / y for e, x, y in zip(analog, a, d)}
    common["exact_loss_floors"] = _floor_rows(analog, level, "exact_floor")
    return c1_results(fits, common, on="on the experiment model ")


_C1_SOURCE = "Section 1, Fig. 1 (v1)"


@claim(
    "C1a",
    "Lowering alpha does not lower Analog SGD's final error (Fig. 1, AIHWKit): the slope of log floor against "
    "log alpha is 0.",
    _C1_SOURCE,
    "equal",
    model=MODEL,
    depends=DEPENDS,
    tolerance=Tolerance(
        0.25,
        "'does not lower' against digital's 'falls with alpha' (floor ~ alpha, slope 1): a slope within a quarter "
        "of the digital exponent of 0",
        "absolute",
    ),
    quantity="slope of log floor against log alpha (Analog SGD) vs 0",
)
def check_c1a(profile, seed):
    """S1 on the experiment model: the mean of the last 20 logged losses at alpha in {0.2, 0.1, 0.05, 0.03},
    slope of log floor against log alpha (:func:`c1_verdicts`); second line: dynamic (3)."""
    result = c1_verdicts(_data("fig1", profile, seed), profile.level)["C1a"]
    return _with_second(result, dynamic3_c1a(profile, seed))


@claim(
    "C1b",
    "Digital SGD's final error falls with alpha (Fig. 1): the slope of log floor against log alpha is positive, "
    "beyond C1a's band around 0.",
    _C1_SOURCE,
    "lower",
    model=MODEL,
    depends=DEPENDS,
    tolerance=Tolerance(
        0.25, "'falls with alpha': the slope exceeds the 0.25 that C1a reads as 'does not lower'", "threshold"
    ),
    quantity="slope of log floor against log alpha (digital SGD) vs 0.25 (C1a's band)",
)
def check_c1b(profile, seed):
    """S1's digital SGD (Gaussian gradient noise of std 0.01/sqrt(40)): the mean of the last 20 logged losses per
    alpha, slope of log floor against log alpha (:func:`c1_verdicts`); second line: dynamic (3)'s protocol."""
    result = c1_verdicts(_data("fig1", profile, seed), profile.level)["C1b"]
    return _with_second(result, dynamic3_c1b(profile, seed))


# ---------------------------------------------------------------------------------------------
# C35: Figure 3, dynamic (3) against AIHWKit
# ---------------------------------------------------------------------------------------------


def _curve(entry: dict, tau=None) -> Curve:
    return Curve(entry["label"], tau, entry["curve"], entry["sem"], entry["chains"], seconds=entry["seconds"])


def c35_verdicts(data: dict, level: float) -> dict:
    """C35 from ``figure_data("fig3")``: per tau the distances (mean |log ratio| of the logged-loss curves over
    k = 1..K) of digital SGD (2), d2, and of dynamic (3), d3, from the experiment model's curve; the case is
    ``d2 - m d3 >= 0`` (m the registered "much better" factor), its conservative interval at the claim's level
    split over the four taus. Controls: the factor 2m (nearest wrong statement); if refuted, the corrected
    statement "(3) is closer than (2) at every tau" (d2 - d3 >= 0)."""
    much = tolerance_of("C35").value
    analog, dyn3 = data["series"]["analog"], data["series"]["dynamic3"]
    digital = _curve(data["series"]["digital"][0])
    level_c = case_level(level, len(analog))
    cases, controls, corrected, rows = [], [], [], []
    for tile, d3_entry in zip(analog, dyn3):
        tau = tile["x"]
        reference = _curve(tile, tau)
        d2 = curve_distance(digital, reference, level_c)
        d3 = curve_distance(_curve(d3_entry, tau), reference, level_c)
        case, wrong = distance_cases(tau, d2, d3, much, level_c)
        cases.append(case)
        controls.append(wrong)
        corrected.append(Case(f"tau={tau:g}: d2 - d3 >= 0", _difference(d2, d3, 1.0, level_c), 0.0, "lower"))
        rows.append(
            {
                "tau": tau,
                "d2_digital_vs_experiment": {"value": d2.mean, "ci": [d2.low, d2.high]},
                "d3_dynamic3_vs_experiment": {"value": d3.mean, "ci": [d3.low, d3.high]},
                "ratio_d2_over_d3": d2.mean / d3.mean,
                "final_logged": {
                    "experiment": float(tile["curve"][-1]),
                    "dynamic3": float(d3_entry["curve"][-1]),
                    "digital": float(digital.mean[-1]),
                },
            }
        )
    details = {
        **_common(data, level_c),
        "distance": "mean |log ratio| of chain-mean logged losses over k = 1..K (conservative interval)",
        "much_better_factor": much,
        "per_tau": rows,
    }
    ratios = ", ".join(f"tau={r['tau']:g}: {r['ratio_d2_over_d3']:.3g}" for r in rows)
    result = combined_result(
        "C35",
        "scaling",
        cases,
        controls,
        wrong_statement=f"dynamic (3) is at least {2 * much:g} times as close to AIHWKit's curve as (2), every tau",
        margin=f"'much better' factor {much:g} doubled",
        corrected_cases=corrected,
        corrected_statement="dynamic (3) is closer to AIHWKit's curve than digital SGD (2) at every tau",
        details=details,
        supports=f"the distance ratios d2/d3 on the experiment model are {ratios}",
    )
    return {"C35": result}


@claim(
    "C35",
    "Dynamic (3) reproduces AIHWKit Analog SGD for tau in {1, 1.5, 2, 2.5} much better than dynamic (2)",
    "Sec. 5.1 (v1), Fig. 3",
    "scaling",
    model=MODEL + ", against dynamics (2) and (3)",
    depends=DEPENDS + "; the reading of 'much better'",
    tolerance=Tolerance(2.0, "'much better': at least twice as close to the AIHWKit curve", "threshold"),
    quantity="the deciding tau's d2 - 2 d3 (curve distances of dynamics (2), (3) to the AIHWKit model) vs 0",
)
def check_c35(profile, seed):
    """S2 (Figure 3) on the experiment model against the script's digital SGD (2) and dynamic (3) (noise std
    0.1), K = 2500 (:func:`c35_verdicts`); second line: the toolkit's earlier pulse-level stand-in."""
    result = c35_verdicts(_data("fig3", profile, seed), profile.level)["C35"]
    result.second_model = second_line(dynamic3_c35(profile, seed), PULSE_STAND_IN)
    return result


# ---------------------------------------------------------------------------------------------
# C36, C37: Figure 4 left and middle, orderings of independent runs
# ---------------------------------------------------------------------------------------------


def _ordered(entries: list[dict], level: float, increasing: bool, threshold: float, control_factor):
    """Cases "floor_i < floor_{i+1}" (``increasing``) or ">": the ratio of the claimed larger to the claimed
    smaller independent mean above 1 + ``threshold``; controls: that ratio at least ``control_factor(i)`` (skipped
    where None)."""
    cases, controls = [], []
    for i in range(len(entries) - 1):
        small, big = (entries[i], entries[i + 1]) if increasing else (entries[i + 1], entries[i])
        rel = "<" if increasing else ">"
        name = f"floor({entries[i]['label']}) {rel} floor({entries[i + 1]['label']})"
        ratio = ratio_of_independent_means(mean_ci(big["floor"], level), mean_ci(small["floor"], level), level)
        cases.append(Case(name, ratio, 1.0 + threshold, "lower", info={"quantity": "ratio of independent floors"}))
        factor = control_factor(i)
        if factor is not None:
            controls.append(Case(f"{name} by a factor >= {factor:g}", ratio, factor, "lower"))
    return cases, controls


def c36_verdicts(data: dict, level: float) -> dict:
    """C36a (floors fall with tau, then digital SGD's below the largest tau's) and C36b (relative gap to digital
    SGD at tau = 50 at most the registered threshold) from ``figure_data("fig4-tau")``. Controls as on dynamic
    (3): the floor falls at least in proportion to 1/tau; no gap at tau = 50."""
    analog = data["series"]["analog"]
    digital = data["series"]["digital"][0]
    chain = [*analog, {**digital, "label": "digital"}]
    level_a = case_level(level, len(chain) - 1)
    taus = [e["x"] for e in analog]
    cases, controls = _ordered(
        chain,
        level_a,
        False,
        tolerance_of("C36a").value,
        lambda i: taus[i + 1] / taus[i] if i + 1 < len(taus) else None,
    )
    details = _common(data, level_a)
    result_a = combined_result(
        "C36a",
        "scaling",
        cases,
        controls,
        wrong_statement="the floor falls at least in proportion to 1/tau (toward 0, not toward digital SGD's)",
        margin="each step tau_i -> tau_{i+1} lowers the floor by at least the factor tau_{i+1}/tau_i",
        details=details,
        supports="some adjacent pair of floors is not ordered downwards: see the cases",
    )
    near = tolerance_of("C36b")
    last = analog[-1]
    ratio = ratio_of_independent_means(mean_ci(last["floor"], level), mean_ci(digital["floor"], level), level)
    gap = Estimate(
        mean=ratio.mean - 1,
        low=ratio.low - 1,
        high=ratio.high - 1,
        n=ratio.n,
        level=level,
        sem=ratio.sem,
        method="relative gap floor(tau)/floor(digital) - 1 of independent runs, delta method",
    )
    case_b = Case(f"gap at {last['label']} <= {near.value:g}", gap, near.value, "upper")
    ctrl_b = Case(f"gap at {last['label']} <= 0", gap, 0.0, "upper")
    fixed_b = Case(f"gap at {last['label']} >= 1", gap, 1.0, "lower")
    result_b = combined_result(
        "C36b",
        "upper",
        [case_b],
        [ctrl_b],
        wrong_statement=f"Analog SGD reaches digital SGD's floor at tau = {last['x']:g} (gap <= 0)",
        margin=f"threshold {near.value:g} lowered to 0",
        corrected_cases=[fixed_b],
        corrected_statement=f"at tau = {last['x']:g} Analog SGD's floor is still at least twice digital SGD's (gap "
        ">= 1)",
        details={**details, "case_level": level},
        supports=f"on the experiment model the floor at {last['label']} is still {gap.mean:.3g} above digital "
        "SGD's (relative gap): as tau grows the floor levels off above digital SGD's instead of approaching it",
    )
    return {"C36a": result_a, "C36b": result_b}


_C36_SOURCE = "Section 5.2, Fig. 4 left (v1)"


@claim(
    "C36a",
    "Analog SGD's asymptotic error falls as tau grows (tau in {2, 3, 5, 10, 20, 50}), down to digital SGD's "
    "(Fig. 4 left).",
    _C36_SOURCE,
    "scaling",
    model=MODEL,
    depends=DEPENDS + "; Figure 4-left has no official script (our S1-based choice, logged exactly as S3.x log)",
    tolerance=Tolerance(
        0.0, "'falls': each larger tau gives a lower floor; no size of the drop is stated", "threshold"
    ),
    quantity="the deciding pair's floor(tau_i)/floor(tau_{i+1}) (digital SGD after tau = 50) vs 1 (falls: > 1)",
)
def check_c36a(profile, seed):
    """Figure 4-left on the experiment model (S1's experiment, tau in {2, ..., 50}, alpha = 0.1, K = 500) and the
    script's digital SGD (:func:`c36_verdicts`); second line: dynamic (3)."""
    result = c36_verdicts(_data("fig4-tau", profile, seed), profile.level)["C36a"]
    return _with_second(result, dynamic3_c36a(profile, seed))


@claim(
    "C36b",
    "Analog SGD's asymptotic error approaches digital SGD's as tau grows (Fig. 4 left): at tau = 50 the floors "
    "nearly coincide.",
    _C36_SOURCE,
    "upper",
    model=MODEL,
    depends=DEPENDS + "; Figure 4-left has no official script (our S1-based choice, logged exactly as S3.x log)",
    tolerance=Tolerance(
        0.05,
        "'approaches digital SGD': at the largest tau the floor is within 5% of digital's, a difference the "
        "figure's log axis cannot show",
        "threshold",
    ),
    quantity="relative gap floor(tau = 50)/floor(digital SGD) - 1 vs 0.05 (the threshold)",
)
def check_c36b(profile, seed):
    """As C36a: the relative gap to digital SGD at tau = 50 (:func:`c36_verdicts`); second line: dynamic (3)."""
    result = c36_verdicts(_data("fig4-tau", profile, seed), profile.level)["C36b"]
    return _with_second(result, dynamic3_c36b(profile, seed))


def c37_verdicts(data: dict, level: float) -> dict:
    """C37 from ``figure_data("fig4-sigma")``: each adjacent pair of floors ordered upwards in sigma^2 (ratio of
    independent means above 1). Control: the floor grows at least twice as fast as sigma^2."""
    analog = data["series"]["analog"]
    level_c = case_level(level, len(analog) - 1)
    x = [e["x"] for e in analog]
    cases, controls = _ordered(analog, level_c, True, tolerance_of("C37").value, lambda i: 2 * x[i + 1] / x[i])
    result = combined_result(
        "C37",
        "scaling",
        cases,
        controls,
        wrong_statement="the floor grows at least twice as fast as sigma^2",
        margin="each step sigma^2_i -> sigma^2_{i+1} raises the floor by at least 2 sigma^2_{i+1}/sigma^2_i",
        details={**_common(data, level_c), "floor_over_sigma2": [e["floor"].mean() / e["x"] for e in analog]},
        supports="some adjacent pair is not ordered upwards: see the cases",
    )
    return {"C37": result}


@claim(
    "C37",
    "Analog SGD's asymptotic error grows with the noise variance sigma^2 in {1e-3, 1e-2, 1e-1, 1} (Fig. 4 middle).",
    "Section 5.2, Fig. 4 middle (v1)",
    "scaling",
    model=MODEL,
    depends=DEPENDS,
    tolerance=Tolerance(0.0, "'grows': each larger sigma^2 gives a higher floor; no size is stated", "threshold"),
    quantity="the deciding pair's floor(sigma^2_{i+1})/floor(sigma^2_i) vs 1 (grows: > 1)",
)
def check_c37(profile, seed):
    """S3.2 (Figure 4-middle) on the experiment model, w_noise = sigma in the forward pass, K = 200
    (:func:`c37_verdicts`); second line: dynamic (3) with Gaussian gradient noise of variance sigma^2."""
    result = c37_verdicts(_data("fig4-sigma", profile, seed), profile.level)["C37"]
    return _with_second(result, dynamic3_c37(profile, seed))


# ---------------------------------------------------------------------------------------------
# C38: Figure 4 right, where the curves end against the initialisation
# ---------------------------------------------------------------------------------------------


def c38_verdicts(data: dict, level: float) -> dict:
    """C38 from ``figure_data("fig4-init")``: each start's logged loss at k = K = 50 over the reference start's
    (constant 0.01), ratios of independent means, each equal to 1 within the registered relative tolerance
    (equivalence test). Control: every start's ratio is 1 + 2 x tolerance."""
    analog = data["series"]["analog"]
    ref = next(e for e in analog if e["label"] == "constant 0.01")
    others = [e for e in analog if e is not ref]
    level_c = case_level(level, len(others))
    band = tolerance_of("C38")
    ref_est = mean_ci(ref["end"], level_c)
    cases, ratios = [], {}
    for e in others:
        ratio = ratio_of_independent_means(mean_ci(e["end"], level_c), ref_est, level_c)
        ratios[e["label"]] = ratio
        cases.append(Case(f"end({e['label']})/end(constant 0.01) = 1", ratio, 1.0, "equal", tolerance=band))
    wrong = 1.0 + 2 * band.value
    controls = [
        Case(f"end({label})/end(constant 0.01) = {wrong:g}", ratio, wrong, "equal", tolerance=band)
        for label, ratio in ratios.items()
    ]
    details = {
        **_common(data, level_c),
        "statistic": "logged loss at k = K = 50 (where the figure's curves end), per chain",
        "end_values": _floor_rows(analog, level_c, "end"),
        "last_20_means": _floor_rows(analog, level_c, "floor"),
        "ratios": {lab: {"ratio": r.mean, "ci": [r.low, r.high]} for lab, r in ratios.items()},
    }
    result = combined_result(
        "C38",
        "equal",
        cases,
        controls,
        wrong_statement=f"every start ends {wrong:g} x the reference start's level",
        margin=f"ratio 1 x (1 + 2 x {band.value:g})",
        details=details,
        supports="some start ends away from the reference's level after the figure's 50 steps: see the cases",
    )
    return {"C38": result}


@claim(
    "C38",
    "Analog SGD's asymptotic error does not depend on the initialisation (Fig. 4 right).",
    "Section 5.2, Fig. 4 right (v1)",
    "equal",
    model=MODEL,
    depends=DEPENDS,
    tolerance=Tolerance(
        0.10,
        "'does not depend on the initialization', read off Fig. 4 right's log-axis curves: floors that coincide "
        "there, within the ~10% such a plot resolves (fixed from the wording and the figure's scale; the old 5% "
        "was chosen after seeing a 1% residual)",
    ),
    quantity="the deciding start's logged loss at k = 50 over the reference start's (constant 0.01) vs 1",
)
def check_c38(profile, seed):
    """S3.3 (Figure 4-right) on the experiment model from each of the script's starts (constants, analog weights
    clipped to +-tau, digital bias not; warm starts after 10, 20, 30 digital GD steps), K = 50
    (:func:`c38_verdicts`); second line: dynamic (3)'s stationary floors."""
    result = c38_verdicts(_data("fig4-init", profile, seed), profile.level)["C38"]
    return _with_second(result, dynamic3_c38(profile, seed))


# ---------------------------------------------------------------------------------------------
# P4: where Figure 1's plateau comes from
# ---------------------------------------------------------------------------------------------

#: the decomposition's step sizes: the ends of Figure 1's legend
P4_ALPHAS = (0.2, 0.03)
#: factor switched off -> how the S1 tile is changed
P4_SWITCHES = {
    "pulses off (dw_min -> 0: exact per-row updates)": {"pulsed": False},
    "asymmetry off (tau -> infinity: 1e6)": {"tau": 1e6},
    "weight noise off (w_noise = 0)": {"w_noise": 0.0},
    "one combined update per step (not per row)": {"per_sample": False},
}


def _two_point_slope(a: Estimate, b: Estimate, xa: float, xb: float, level: float) -> Estimate:
    """The exponent of floor ~ x^s through two independent estimates: log(a/b)/log(xa/xb), delta method."""
    ratio = ratio_of_independent_means(a, b, level)
    span = np.log(xa / xb)
    mean = float(np.log(ratio.mean) / span)
    sem = float(ratio.sem / ratio.mean / abs(span))
    half = float(scipy.stats.norm.ppf(0.5 + level / 2)) * sem
    return Estimate(
        mean=mean,
        low=mean - half,
        high=mean + half,
        n=ratio.n,
        level=level,
        sem=sem,
        method=f"two-point slope log(floor ratio)/log({xa:g}/{xb:g}), delta method, normal",
    )


@functools.lru_cache(maxsize=2)
def _p4_cached(profile, entropy, spawn_key) -> dict:
    seed = np.random.SeedSequence(entropy, spawn_key=spawn_key)
    script = SCRIPTS["fig1"]()
    runs = {r.x: r for r in script.runs}
    out = {}
    for i, (name, change) in enumerate(P4_SWITCHES.items()):
        for j, alpha in enumerate(P4_ALPHAS):
            run = runs[alpha]
            tile = dataclasses.replace(run.tile, **change)
            s = child_seed(seed, 2, i, j)
            res = run_tile(script, run, chains=profile.experiment_chains, seed=s, tile=tile)
            out[name, alpha] = {
                "exact_floor": res.window_means["floor"]["f_gap"] / script.logged_divisor,
                "seconds": res.seconds,
                "seed": seed_record(s),
                "tile": repr(tile),
            }
    return out


@claim(
    "P4",
    "Figure 1's plateau (prediction, stated before the run): on the experiment model the floor of the exact loss "
    "is flat in alpha because of the pulse granularity under per-row pulse trains. Switching the pulses off makes "
    "it fall with alpha (slope > 0.25); switching off the asymmetry (tau -> infinity) or the weight noise leaves "
    "it flat (|slope| <= 0.25); one combined update per step instead of per-row trains lowers it; and the logged "
    "loss's own weight noise is a large share (> 25%) of Figure 1's logged plateau.",
    "this project: the decomposition of Figure 1's plateau",
    "equal",
    model=MODEL,
    depends=DEPENDS,
    tolerance=Tolerance(
        0.25,
        "flat against falling as C1a/C1b read Figure 1: |slope| <= 0.25 is flat, > 0.25 falls; a 'large share' is "
        "more than a quarter",
        "absolute",
    ),
    quantity="the deciding part's two-point slope of the exact-loss floor, floor ratio or noise share vs 0, 0.25 or 1",
)
def check_p4(profile, seed):
    """S1 on the experiment model at alpha = 0.2 and 0.03 (the legend's ends), one factor off at a time
    (:data:`P4_SWITCHES`): the two-point slope of the exact-loss floor (mean of the last 20 f(W_k)/40); the
    baseline is C1's own runs; the logged-loss share (logged - exact)/logged at alpha = 0.2 on the same chains.
    Nearest wrong statement: the plateau is the asymmetry's (with tau -> infinity the floor falls, slope >
    0.25)."""
    band = tolerance_of("P4")
    base = {e["x"]: e for e in _data("fig1", profile, claim_seed("C1", seed.entropy))["series"]["analog"]}
    switched = _p4_cached(profile, seed.entropy, tuple(seed.spawn_key))
    level = case_level(profile.level, 2 + len(P4_SWITCHES))
    hi, lo = P4_ALPHAS

    def slope(floor_hi, floor_lo):
        return _two_point_slope(mean_ci(floor_hi, level), mean_ci(floor_lo, level), hi, lo, level)

    slopes = {"baseline": slope(base[hi]["exact_floor"], base[lo]["exact_floor"])}
    for name in P4_SWITCHES:
        slopes[name] = slope(switched[name, hi]["exact_floor"], switched[name, lo]["exact_floor"])
    pulses, asym, noise, combined = P4_SWITCHES
    cases = [
        Case("baseline: slope = 0", slopes["baseline"], 0.0, "equal", tolerance=band),
        Case(f"{pulses}: slope > {band.value:g}", slopes[pulses], band.value, "lower"),
        Case(f"{asym}: slope = 0", slopes[asym], 0.0, "equal", tolerance=band),
        Case(f"{noise}: slope = 0", slopes[noise], 0.0, "equal", tolerance=band),
    ]
    lowered = ratio_of_independent_means(
        mean_ci(switched[combined, hi]["exact_floor"], level), mean_ci(base[hi]["exact_floor"], level), level
    )
    cases.append(Case(f"{combined}: floor/per-row floor at alpha={hi:g} < 1", lowered, 1.0, "upper"))
    logged, exact = base[hi]["floor"], base[hi]["exact_floor"]
    share = mean_ci((logged - exact) / logged.mean(), level)
    cases.append(
        Case(f"logged-loss noise share of the plateau at alpha={hi:g} > {band.value:g}", share, band.value, "lower")
    )
    controls = [Case(f"{asym}: slope > {band.value:g}", slopes[asym], band.value, "lower")]
    corrected = [
        Case(f"{pulses}: slope = 0 (the plateau survives exact updates)", slopes[pulses], 0.0, "equal", tolerance=band)
    ]
    details = {
        "alphas": list(P4_ALPHAS),
        "case_level": level,
        "chains": profile.experiment_chains,
        "quantity": "mean of the last 20 exact losses f(W_k)/40 (the logged loss without its own forward noise)",
        "slopes": {k: {"value": v.mean, "ci": [v.low, v.high]} for k, v in slopes.items()},
        "floors": {
            "baseline": {a: mean_ci(base[a]["exact_floor"], level).mean for a in P4_ALPHAS},
            **{n: {a: mean_ci(switched[n, a]["exact_floor"], level).mean for a in P4_ALPHAS} for n in P4_SWITCHES},
        },
        "logged_floor_alpha_0.2": mean_ci(logged, level).mean,
        "combined_over_per_row": {"value": lowered.mean, "ci": [lowered.low, lowered.high]},
        "seeds": {f"{n} alpha={a:g}": v["seed"] for (n, a), v in switched.items()},
    }
    return combined_result(
        "P4",
        "equal",
        cases,
        controls,
        wrong_statement="the plateau is the asymmetry's: with tau -> infinity the floor falls (slope > 0.25)",
        margin="the asymmetry case's flat band replaced by 'falls'",
        corrected_cases=corrected,
        corrected_statement="the pulses are not the plateau's cause: with exact per-row updates the floor stays "
        "flat in alpha (|slope| <= 0.25); P5 tests the hypothesis this suggests on fresh data",
        details=details,
        supports=_p4_supports(slopes, details["floors"]),
    )


def _p4_supports(slopes: dict, floors: dict) -> str:
    hi, lo = P4_ALPHAS
    base = floors["baseline"][hi]
    parts = [
        f"{name.split(' (')[0]}: slope {slopes[name].mean:.2g}, floor at alpha={hi:g} x{floors[name][hi] / base:.2g}"
        for name in P4_SWITCHES
    ]
    return (
        f"exact-loss floor {base:.3g} at alpha = {hi:g} (slope {slopes['baseline'].mean:.2g}); one factor off at a "
        "time: " + "; ".join(parts)
    )


# ---------------------------------------------------------------------------------------------
# P5: P4's lesson as a hypothesis, tested on fresh data
# ---------------------------------------------------------------------------------------------

#: the data seed of P5's fresh problem (C1 and P4 use the scripts' 42)
P5_DATA_SEED = 43


@functools.lru_cache(maxsize=2)
def _p5_cached(profile, entropy, spawn_key) -> dict:
    seed = np.random.SeedSequence(entropy, spawn_key=spawn_key)
    script = SCRIPTS["fig1"](P5_DATA_SEED)
    runs = {r.x: r for r in script.runs}
    variants = {
        "baseline": {},
        "asymmetry off": {"tau": 1e6},
        "combined update": {"per_sample": False},
        "pulses off": {"pulsed": False},
    }
    out = {}
    for i, (name, change) in enumerate(variants.items()):
        for j, alpha in enumerate(P4_ALPHAS):
            if name == "asymmetry off" and alpha != P4_ALPHAS[0]:
                continue
            s = child_seed(seed, 3, i, j)
            tile = dataclasses.replace(runs[alpha].tile, **change)
            res = run_tile(script, runs[alpha], chains=profile.experiment_chains, seed=s, tile=tile)
            out[name, alpha] = {
                "exact_floor": res.window_means["floor"]["f_gap"] / script.logged_divisor,
                "seed": seed_record(s),
                "seconds": res.seconds,
            }
    return out


@claim(
    "P5",
    "Figure 1's plateau is the asymmetric device's drift under per-row updates (the hypothesis P4's measurements "
    "suggest, tested on fresh data: data seed 43, new Monte Carlo seeds): with tau -> infinity the exact-loss "
    "floor at alpha = 0.2 is at least halved; with one combined update per step it falls with alpha (slope > "
    "0.25); with exact per-row updates (no pulses) it stays flat (|slope| <= 0.25).",
    "this project: the decomposition of Figure 1's plateau",
    "scaling",
    model=MODEL,
    depends=DEPENDS,
    tolerance=Tolerance(
        0.5,
        "'the drift is the plateau's cause': removing it removes at least half of the floor (ratio <= 0.5); flat "
        "and falling as C1a/C1b read Figure 1 (0.25)",
        "threshold",
    ),
    quantity="the deciding part's floor ratio (tau -> infinity) or two-point slope of the exact-loss floor "
    "vs 0.5, 0.25 or 0",
)
def check_p5(profile, seed):
    """S1's experiment on fresh data (:data:`P5_DATA_SEED`) and seeds: the exact-loss floor at alpha = 0.2 with
    tau -> infinity over the baseline's (<= the registered 0.5), the two-point slopes (alpha = 0.2, 0.03) with a
    combined update (> 0.25, P4's band) and with exact per-row updates (= 0 within P4's band). Nearest wrong
    statement: with exact per-row updates the floor falls like digital SGD's (slope > 1 - 0.25)."""
    half, band = tolerance_of("P5"), tolerance_of("P4")
    runs = _p5_cached(profile, seed.entropy, tuple(seed.spawn_key))
    level = case_level(profile.level, 3)
    hi, lo = P4_ALPHAS

    def est(name, alpha):
        return mean_ci(runs[name, alpha]["exact_floor"], level)

    def slope(name):
        return _two_point_slope(est(name, hi), est(name, lo), hi, lo, level)

    drop = ratio_of_independent_means(est("asymmetry off", hi), est("baseline", hi), level)
    cases = [
        Case(f"tau -> infinity: floor ratio at alpha={hi:g} <= {half.value:g}", drop, half.value, "upper"),
        Case(f"combined update: slope > {band.value:g}", slope("combined update"), band.value, "lower"),
        Case("pulses off: slope = 0", slope("pulses off"), 0.0, "equal", tolerance=band),
    ]
    falls = 1.0 - band.value
    controls = [Case(f"pulses off: slope > {falls:g}", slope("pulses off"), falls, "lower")]
    details = {
        "data_seed": P5_DATA_SEED,
        "alphas": list(P4_ALPHAS),
        "case_level": level,
        "chains": profile.experiment_chains,
        "floors": {f"{n} alpha={a:g}": est(n, a).mean for (n, a) in runs},
        "seeds": {f"{n} alpha={a:g}": v["seed"] for (n, a), v in runs.items()},
    }
    return combined_result(
        "P5",
        "scaling",
        cases,
        controls,
        wrong_statement=f"with exact per-row updates the floor falls like digital SGD's (slope > {falls:g})",
        margin=f"the flat band's far side, 1 - {band.value:g}",
        corrected_cases=[Case(f"tau -> infinity: floor ratio at alpha={hi:g} < 1", drop, 1.0, "upper")],
        corrected_statement="the asymmetry contributes to the plateau (tau -> infinity lowers the floor), without "
        "being its only cause",
        details=details,
        supports="the hypothesis fails on fresh data in at least one part: see the cases",
    )


#: figure name -> verdict function (figure_data's output, level) -> {claim id: ClaimResult}, for ``verify figure``
FIGURE_VERDICTS = {
    "fig1": c1_verdicts,
    "fig3": c35_verdicts,
    "fig4-tau": c36_verdicts,
    "fig4-sigma": c37_verdicts,
    "fig4-init": c38_verdicts,
}
