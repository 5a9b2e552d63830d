r"""``python -m verify compare``: bound against measurement for parameters the user chooses.

One Monte Carlo run (:func:`verify.sim.engine.simulate`) of the chosen algorithm on the chosen problem,
then two measured quantities, each a mean across R independent chains with a Student-t interval
(:func:`verify.sim.stats.mean_ci`):

* the paper's metric ``G_K = (1/K) sum_{k<K} E||grad f(W_k)||^2`` (window ``[0, K)``);
* the error floor ``F = (1/T) sum_{K-T <= k < K} E||grad f(W_k)||^2`` over the tail window of
  ``T = ceil(tail K)`` steps, the measured stand-in for ``lim_K`` at fixed step sizes.

Beside each, every bound of :mod:`bounds` that speaks about the algorithm, with its status
(:attr:`bounds.applicability.Bound.status`: applicable, vacuous, or not applicable with the failed
condition's numbers):

=================  ===========================================================================
digital-sgd        eq. (5), ``2 Delta/(alpha K) + alpha sigma^2 L`` (:func:`bounds.analog_sgd.digital_sgd_bound`)
analog-sgd,        Theorem 1 as stated, eq. (65), and as derived
pulsed-sgd         (:func:`bounds.analog_sgd.theorem1_bound_as_stated`, ``..._derived``) with
                   ``W_max = max_{k <= K, chains} ||W_k||_inf`` measured (Assumption 4), ``S_K`` and
                   ``r_bar = (1/K) sum_{k<K} E||W_k||_inf^2/tau^2`` measured
tiki-taka          Theorem 3 as stated, (14), and from its proof, (138)
                   (:func:`bounds.tiki_taka.theorem3_rate_as_stated`, ``theorem3_rate_from_proof``),
                   c from :func:`bounds.noise_laws.a5_constant`
=================  ===========================================================================

The floor bound is the same bound at fixed step size as K -> infinity, i.e. with ``Delta = 0``
(every bound here is ``a Delta/K + b`` in Delta and K at fixed alpha): ``alpha sigma^2 L`` for (5),
``2 alpha L sigma^2/(1 - r) + 4 sigma^2 S_K`` for (65), and the proof's noise term
``16 alpha sigma L tau sqrt(D) B/A`` for (138). Theorem 3 as stated is a rate at the tuned alpha and
has no fixed-alpha floor.

Noise: ``--sigma`` is Assumption 3's total level, ``E||eps||^2 = sigma^2``; Gaussian and Rademacher
coordinates have standard deviation ``sigma/sqrt(D)``; the two-point law is Theorem 2's (eqs. 66-67).
The device is the asymmetric linear device (ALD) with bound tau. Problems start at W_0 = 0
(least squares, scalar) or at W* (Theorem 2's instance, as its construction says).

Predicted floor (Analog SGD only): ``||grad f(W_inf)||^2 + c_1 alpha`` from
:mod:`bounds.asymptotics` (derived here, O(alpha^2) remainder): the scalar chain at 30 digits for the
scalar problem with Gaussian or Rademacher noise, Theorem 2's chain for the two-point law on the scalar
(D = 1) and theorem2 problems, and the D-dimensional solver (scipy) for least squares and theorem2 with
Gaussian or Rademacher noise. Least squares with the two-point law has no prediction (the law is
state-dependent and not coordinate-separable there). The verdict says whether the measured floor's
interval contains the prediction; it tests the expansion only when the tail window is stationary.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from bounds import analog_sgd as AS
from bounds import asymptotics as ASY
from bounds import tiki_taka as TT
from bounds.applicability import Bound
from bounds.devices import AsymmetricLinearDevice
from bounds.noise_laws import GaussianLaw, RademacherLaw, a5_constant
from bounds.validation import SEED_LIMIT, require_int, require_real

from ..claims.profiles import DEFAULT_SEED
from ..experiments.settings import CELLS_LIMIT, draw_data, require_steps, require_work
from ..sim.dynamics import AnalogSGD, DigitalSGD, PulsedAnalogSGD, TikiTaka
from ..sim.engine import TRAJECTORY_MEMORY_LIMIT, NonFiniteError, simulate
from ..sim.noise import GaussianNoise, RademacherNoise, TwoPointNoise
from ..sim.problems import least_squares, lower_bound_instance, scalar_quadratic
from ..sim.seeds import root_seed
from .choices import ALGORITHMS, NOISES, PROBLEMS
from .records import require_path, save_figure

__all__ = [
    "ALGORITHMS",
    "PROBLEMS",
    "NOISES",
    "compare",
    "check_parameters",
    "validate_parameters",
    "PARAMETERS",
    "DEFAULTS",
    "format_report",
    "plot_compare",
    "report_json",
]


#: the largest D of the least-squares and theorem2 problems
MAX_DIM = 2048
_DIM_REASON = (
    "the least-squares and theorem2 problems keep a dense D x D Hessian, factorised once (D^3) and applied at every "
    "step (R D^2)"
)
#: the largest D at which the predicted floor is computed on a D-dimensional problem (its solver takes D^3 per
#: iteration: about 2 s at D = 512)
MAX_PREDICTION_DIM = 512
#: the range of compare's scales (L, tau, sigma, alpha, beta, dw_min; |w_star| up to the upper end): the run and
#: the bounds square and multiply them (sigma^2 L, tau^2, L^2 w*^2), which beyond it leave float64
SCALE_RANGE = (1e-100, 1e100)
#: the most chain-step-coordinate^2 products (R K D^2) on the dense problems: the gradient's matrix product
DENSE_WORK_LIMIT = 2**40


def _choice(name: str, value, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _scale(name: str, value) -> float:
    """A positive scale of compare within :data:`SCALE_RANGE`."""
    return require_real(name, value, low=SCALE_RANGE[0], high=SCALE_RANGE[1])


def make_problem(problem: str, *, dim: int, problem_seed: int, L: float, w_star: float):
    """The objective: Figure 1's least squares (N = 100 rows, A ~ N(0, 1), W* ~ N(0, 0.45^2), eq. 141)
    with D = ``dim`` and data seed ``problem_seed``; ``L/2 (w - w*)^2`` from w = 0; or Theorem 2's
    ``L/2 ||W - w* 1||^2`` in D = ``dim`` from W_0 = W*."""
    _choice("problem", problem, PROBLEMS)
    dim = require_int("dim", dim, low=1, high=MAX_DIM, reason=_DIM_REASON)
    problem_seed = require_int("problem_seed", problem_seed, low=0, high=SEED_LIMIT)
    if problem == "least-squares":
        A, ws = draw_data(problem_seed, 100, dim, a_std=1.0, w_std=0.45, bias=False)
        return least_squares(A, ws, name=f"least squares (D={dim}, seed={problem_seed})")
    if problem == "scalar":
        return scalar_quadratic(L, w_star, w0=0.0)
    return lower_bound_instance(L, w_star, dim)


def make_noise(noise: str, *, sigma: float, tau: float, dim: int):
    """The noise law with ``E||eps||^2 = sigma^2`` (Assumption 3).

    >>> [round(make_noise(n, sigma=0.3, tau=1.0, dim=4).total_variance(4), 12) for n in NOISES]
    [0.09, 0.09, 0.09]
    """
    _choice("noise", noise, NOISES)
    sigma = require_real("sigma", sigma, low=0.0, low_open=True)
    if noise == "gaussian":
        return GaussianNoise(sigma / math.sqrt(dim))
    if noise == "rademacher":
        return RademacherNoise(sigma / math.sqrt(dim))
    return TwoPointNoise(sigma, tau)


def _bound_row(quantity: str, measured, name: str, make, note: str = "") -> dict:
    """The row of the bound ``make()`` builds (:func:`_row`), or, where it cannot be evaluated at these numbers (its
    closed form leaves float64, say), a not-applicable row named ``name`` that says why."""
    try:
        bound = make()
    except ValueError as err:
        return {
            "quantity": quantity,
            "bound": name,
            "value": None,
            "status": f"not evaluated: {err}",
            "applicable": False,
            "failed": [],
            "verdict": "not applicable",
            "source": "",
            "note": note,
        }
    return _row(quantity, measured, bound, note)


def _raise_or(value):
    """``value``, or raise it if it is an exception (a bound whose evaluation failed, shared by two rows)."""
    if isinstance(value, BaseException):
        raise value
    return value


def _verdict(measured, bound) -> str:
    """Where the measured interval [low, high] lies relative to an upper bound."""
    if not bound.applicable:
        return "not applicable"
    if measured.high <= bound.value:
        return "holds (interval below the bound)"
    if measured.low > bound.value:
        return "violated (interval above the bound)"
    return "inconclusive (interval straddles the bound)"


def _row(quantity: str, measured, bound, note: str = "") -> dict:
    return {
        "quantity": quantity,
        "bound": bound.name,
        "value": bound.value if math.isfinite(bound.value) else None,
        "status": bound.status,
        "applicable": bound.applicable,
        "failed": [str(c) for c in bound.failed],
        "verdict": _verdict(measured, bound),
        "source": bound.source,
        "note": note,
    }


def predicted_floor(
    problem: str, prob, noise: str, *, tau: float, sigma: float, alpha: float, L: float, w_star: float
) -> Bound | str:
    """The predicted stationary E||grad f||^2 at ``alpha`` (a Bound), or a one-line reason why none is given."""
    device = AsymmetricLinearDevice(tau=tau)
    D = prob.dim
    try:
        if noise == "two-point":
            if problem == "least-squares":
                return "not computed: the two-point law on least squares is state-dependent and not separable"
            res = ASY.solve_scalar(ASY.theorem2_chain(L, w_star, tau, sigma, D), dps=30)
            return res.prediction("grad_sq", alpha)
        law = (GaussianLaw if noise == "gaussian" else RademacherLaw)(s=sigma / math.sqrt(D))
        if problem == "scalar":
            return ASY.scalar_asymptotics(device, law, L, w_star, dps=30).prediction("grad_sq", alpha)
        if D > MAX_PREDICTION_DIM:
            return (
                f"not computed: D = {D} > {MAX_PREDICTION_DIM}, where the D-dimensional solver (D^3 per iteration) "
                "would take minutes"
            )
        return ASY.vector_asymptotics(device, law, prob.hessian, prob.w_star, alpha=alpha).grad_sq
    except ValueError as err:
        return f"not computed: {err}"


def _prediction_row(measured, bound) -> dict:
    if not isinstance(bound, str) and not all(
        math.isfinite(v) for v in (bound.value, bound.terms.get("limit", math.nan), bound.terms.get("slope", math.nan))
    ):
        bound = f"not computed: the prediction is not finite here ({bound.status})"
    if isinstance(bound, str):
        return {"value": None, "limit": None, "slope": None, "verdict": bound, "status": bound, "name": None}
    inside = measured.low <= bound.value <= measured.high
    return {
        "value": bound.value,
        "limit": bound.terms["limit"],
        "slope": bound.terms["slope"],
        "status": bound.status,
        "name": bound.name,
        "source": bound.source,
        "verdict": "consistent (interval contains the prediction)"
        if inside
        else f"differs (interval {'below' if measured.high < bound.value else 'above'} the prediction)",
    }


def theorem3_feasibility(c: float, D: int) -> str:
    """Where Theorem 3's conditions can hold, whatever alpha, beta and K: its descent coefficient
    ``1 - 128/(c^2 D) - 32 P_max^2/tau^2`` must be positive, so ``c^2 D > 128``; under A5 every noise law has
    ``c <= 1/sqrt(D)`` (Jensen at g = 0, :mod:`bounds.tiki_taka`), so ``c^2 D <= 1`` and the conditions hold
    nowhere.

    >>> theorem3_feasibility(0.126, 40).startswith("nowhere")
    True
    """
    cD = c * c * D
    if cD > 128:
        return f"c^2 D = {cD:.4g} > 128: then for alpha, beta and P_max as the rows above require"
    return (
        f"nowhere: they need 1 - 128/(c^2 D) - 32 P_max^2/tau^2 > 0, i.e. c^2 D > 128, and under A5 every noise "
        f"law has c <= 1/sqrt(D), so c^2 D <= 1 (here c^2 D = {cD:.3g})"
    )


def default_alpha(L: float) -> float:
    """``compare``'s default step size: 0.05, or ``1/(2L)`` when that is smaller (stable on every problem)."""
    return min(0.05, 0.5 / L)


def tiki_taka_beta(prob, alpha: float, tau: float, sigma: float, beta: float | None) -> tuple[float, str]:
    """Tiki-Taka's P step and a note: the statement's ``8 alpha L`` unless ``beta G_0`` would exceed ``tau/2``
    (``G_0 = ||grad f(W_0)||_inf + 3 sigma/sqrt(D)``, the size of P's first updates), then ``tau/(2 G_0)``; a given
    ``beta`` is kept if ``beta G_0 <= tau``, else refused with the admissible range."""
    D = prob.dim
    G0 = float(np.max(np.abs(prob.gradient(prob.w0[None, :])))) + 3.0 * sigma / math.sqrt(D)
    if beta is not None:
        beta = require_real("beta", beta, low=0.0, low_open=True)
        if beta * G0 > tau:
            raise ValueError(
                f"beta must keep P's updates inside the device range, beta (||grad f(W_0)||_inf + 3 sigma/sqrt(D)) "
                f"<= tau: beta <= {tau / G0:.4g} here (G_0 = {G0:.4g}, tau = {tau:g}); got {beta:g}"
            )
        return beta, ""
    stated = TT.beta_statement(alpha, prob.smoothness)
    if stated * G0 <= tau / 2:
        return stated, ""
    lowered = tau / (2 * G0)
    return lowered, (
        f"beta lowered from the statement's 8 alpha L = {stated:.4g} to tau/(2 G_0) = {lowered:.4g} "
        f"(G_0 = {G0:.4g}): with 8 alpha L, P's first updates leave the device range and Tiki-Taka diverges"
    )


#: each parameter's own check (range, type, choice), the value normalised
_CHECKS = {
    "algorithm": lambda v: _choice("algorithm", v, ALGORITHMS),
    "problem": lambda v: _choice("problem", v, PROBLEMS),
    "dim": lambda v: require_int("dim", v, low=1, high=MAX_DIM, reason=_DIM_REASON),
    "problem_seed": lambda v: require_int("problem_seed", v, low=0, high=SEED_LIMIT),
    "L": lambda v: _scale("L", v),
    "w_star": lambda v: require_real("w_star", v, low=-SCALE_RANGE[1], high=SCALE_RANGE[1]),
    "tau": lambda v: _scale("tau", v),
    "sigma": lambda v: _scale("sigma", v),
    "alpha": lambda v: None if v is None else _scale("alpha", v),
    "beta": lambda v: None if v is None else _scale("beta", v),
    "steps": lambda v: require_steps("steps", v),
    "chains": lambda v: require_int("chains", v, low=2),
    "noise": lambda v: _choice("noise", v, NOISES),
    "tail": lambda v: require_real("tail", v, low=0.0, high=1.0, low_open=True),
    "dw_min": lambda v: _scale("dw_min", v),
    "level": lambda v: require_real("level", v, low=0.0, high=1.0, low_open=True, high_open=True),
}


def check_parameters(**parameters) -> dict:
    """Each of the given :func:`compare` parameters checked on its own (its type, range or choices; a ValueError or
    TypeError naming it otherwise) and normalised: reals as float, counts as int, ``alpha``/``beta`` None for their
    defaults. The checks that need several parameters together are :func:`validate_parameters`'.

    >>> check_parameters(tau=2, steps=10)
    {'tau': 2.0, 'steps': 10}
    """
    unknown = [name for name in parameters if name not in _CHECKS]
    if unknown:
        raise TypeError(f"{unknown[0]} is not a parameter of compare (they are {', '.join(_CHECKS)})")
    return {name: _CHECKS[name](value) for name, value in parameters.items()}


def _set_up(p: dict) -> dict:
    """The checks of checked parameters ``p`` together (work and memory caps, alpha below 2/L, Tiki-Taka's beta)
    and what they build: the problem, the noise law, the step sizes used."""
    problem, steps, chains, tau = p["problem"], p["steps"], p["chains"], p["tau"]
    D = 1 if problem == "scalar" else p["dim"]
    require_work(chains * (steps + 1) * D, CELLS_LIMIT, "chain-coordinate-steps", chains=chains, steps=steps, dim=D)
    if problem != "scalar":
        require_work(
            chains * steps * D * D,
            DENSE_WORK_LIMIT,
            "products with the dense Hessian",
            chains=chains,
            steps=steps,
            dim=D,
        )
    analog = p["algorithm"] in ("analog-sgd", "pulsed-sgd")
    if analog and 8 * (steps + 1) * chains * D > TRAJECTORY_MEMORY_LIMIT:
        raise ValueError(
            f"chains x steps x dim is too large: measuring W_max keeps every iterate, (K+1) R D = "
            f"{(steps + 1) * chains * D} doubles > {TRAJECTORY_MEMORY_LIMIT // 8}; lower chains, steps or dim"
        )
    prob = make_problem(problem, dim=p["dim"], problem_seed=p["problem_seed"], L=p["L"], w_star=p["w_star"])
    D, Lf = prob.dim, prob.smoothness
    alpha = default_alpha(Lf) if p["alpha"] is None else p["alpha"]
    if not alpha < 2.0 / Lf:
        raise ValueError(
            f"alpha must be below 2/L = {2.0 / Lf:.4g} on this problem (L = {Lf:.4g}): digital GD diverges from "
            f"there on; got {alpha:g} (the default is min(0.05, 1/(2L)) = {default_alpha(Lf):.4g})"
        )
    law = make_noise(p["noise"], sigma=p["sigma"], tau=tau, dim=D)
    beta, beta_note = p["beta"], ""
    if p["algorithm"] == "tiki-taka":
        beta, beta_note = tiki_taka_beta(prob, alpha, tau, math.sqrt(law.total_variance(D)), beta)
    return {"problem": prob, "law": law, "alpha": alpha, "beta": beta, "beta_note": beta_note, "analog": analog}


def validate_parameters(**parameters) -> dict:
    """:func:`compare`'s keyword parameters (all but ``seed`` and ``progress``; the others take compare's defaults)
    checked exactly as :func:`compare` checks them, without running the Monte Carlo (a ValueError or TypeError naming
    the parameter otherwise); returns all of them normalised (reals as float, counts as int; ``alpha`` and ``beta`` as
    given, None for their defaults): the same dict for equal parameters.

    >>> validate_parameters(tau=2, steps=10)["tau"]
    2.0
    """
    checked = check_parameters(**{**DEFAULTS, **parameters})
    _set_up(checked)
    return checked


def compare(
    *,
    algorithm: str = "analog-sgd",
    problem: str = "scalar",
    dim: int = 40,
    problem_seed: int = 42,
    L: float = 1.0,
    w_star: float = 0.5,
    tau: float = 1.0,
    sigma: float = 0.3,
    alpha: float | None = None,
    beta: float | None = None,
    steps: int = 1000,
    chains: int = 1000,
    noise: str = "gaussian",
    seed: int = DEFAULT_SEED,
    tail: float = 0.5,
    dw_min: float = 1e-3,
    level: float = 0.95,
    progress: bool | None = None,
) -> dict:
    r"""Run the Monte Carlo and set each applicable bound beside the measurement (module docstring).

    Args:
        algorithm: one of :data:`ALGORITHMS`. problem: one of :data:`PROBLEMS`.
        dim: D (least squares, theorem2). problem_seed: least-squares data seed.
        L, w_star: scalar and theorem2 objectives. tau: ALD bound. sigma: E||eps||^2 = sigma^2.
        alpha: step size (Tiki-Taka: the transfer step); default ``min(0.05, 1/(2L))``, stable on every
            built-in problem; refused at or above ``2/L`` (digital GD on the quadratic diverges there).
            beta: Tiki-Taka's P step, default the statement's ``8 alpha L``, lowered where needed so that
            ``beta G_0 <= tau/2`` with ``G_0 = ||grad f(W_0)||_inf + 3 sigma/sqrt(D)`` (P's updates must stay
            inside the device range, else the ALD's response turns negative and P diverges); a given beta with
            ``beta G_0 > tau`` is refused with that range. steps: K. chains: R >= 2. noise: one of :data:`NOISES`.
        seed: SeedSequence entropy, an int >= 0 (default the command line's, DEFAULT_SEED), or a
            ``numpy.random.SeedSequence`` (a sweep's point seed).
            tail: floor window fraction in (0, 1]. dw_min: pulse size (pulsed-sgd). level: confidence
            level of the intervals.

    Returns a dict: ``parameters``, ``measured`` (``avg_grad_sq``, ``floor``: dicts mean/low/high/n;
    ``W_max``, ``S_K``, ``r_bar`` where measured), ``bounds`` (one row per bound: quantity, value,
    status, failed conditions, verdict), ``curve`` (per-step mean and sem of ||grad f||^2), ``seed``.
    """
    from ..experiments.figures import Curve
    from ..sim.pulses import PulseModel

    parameters = check_parameters(**{k: v for k, v in locals().items() if k in PARAMETERS})
    seed = root_seed(seed)
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {progress!r}")
    setup = _set_up(parameters)
    L, w_star, tau, dw_min, steps, chains, tail, level = (
        parameters[k] for k in ("L", "w_star", "tau", "dw_min", "steps", "chains", "tail", "level")
    )
    prob, law, alpha, beta, beta_note = (setup[k] for k in ("problem", "law", "alpha", "beta", "beta_note"))
    D, Lf, sigma, analog = prob.dim, prob.smoothness, math.sqrt(law.total_variance(prob.dim)), setup["analog"]
    device = AsymmetricLinearDevice(tau=tau)
    if algorithm == "digital-sgd":
        dynamics = DigitalSGD(alpha)
    elif algorithm == "analog-sgd":
        dynamics = AnalogSGD(device, alpha)
    elif algorithm == "pulsed-sgd":
        dynamics = PulsedAnalogSGD(PulseModel(device, dw_min), alpha)
    else:
        dynamics = TikiTaka(device, alpha, beta)
    T = max(1, math.ceil(tail * steps))
    windows = {"all": (0, steps), "tail": (steps - T, steps), "S_K": (0, steps + 1)}
    try:
        result = simulate(
            prob,
            dynamics,
            law,
            steps=steps,
            chains=chains,
            seed=seed,
            windows=windows,
            trajectories=analog,
            progress=progress,
        )
    except NonFiniteError as err:  # divergence: the parameters together are outside what the run can follow
        raise ValueError(
            f"{err} (at algorithm={algorithm}, problem={problem}, dim={D}, L={L:g}, w_star={w_star:g}, tau={tau:g}, "
            f"sigma={sigma:g}, alpha={alpha:g}, beta={beta}, dw_min={dw_min:g}, steps={steps}, chains={chains}: "
            "lower sigma or alpha, or raise tau)"
        ) from None
    avg, floor = result.estimate("grad_sq", "all", level), result.estimate("grad_sq", "tail", level)
    f_gap = prob.initial_gap()
    measured = {"avg_grad_sq": avg, "floor": floor}
    rows = []
    limit_note = "fixed-alpha limit K -> inf (Delta = 0)"
    if algorithm == "digital-sgd":
        name = "digital SGD, eq. (5)"
        rows.append(_bound_row("avg_grad_sq", avg, name, lambda: AS.digital_sgd_bound(f_gap, Lf, sigma, steps, alpha)))
        rows.append(
            _bound_row("floor", floor, name, lambda: AS.digital_sgd_bound(0.0, Lf, sigma, steps, alpha), limit_note)
        )
    elif analog:
        W = result.trajectories["W"]
        W_max = float(max(W.max(), -W.min()))
        var = result.variance["w_inf"]
        w_inf_sq = np.square(result.mean["w_inf"]) + var * (chains - 1) / chains  # E||W_k||_inf^2 per k
        r_bar = float(w_inf_sq[:steps].mean()) / tau / tau
        S_K = float(np.mean(result.window_means["S_K"]["saturation"])) * (steps + 1) / steps
        # S_K is infinite when an iterate reached the device bound: recorded as None
        measured.update(W_max=W_max, S_K=S_K if math.isfinite(S_K) else None, r_bar=r_bar)
        if algorithm == "analog-sgd":
            measured["predicted_floor"] = _prediction_row(
                floor, predicted_floor(problem, prob, noise, tau=tau, sigma=sigma, alpha=alpha, L=L, w_star=w_star)
            )
        S_arg = S_K if math.isfinite(S_K) else None
        r_arg = r_bar if r_bar < 1.0 else None
        note = (
            ""
            if algorithm == "analog-sgd"
            else f"Theorem 1 is for dynamic (3); the pulse level differs by O(dw_min = {dw_min:g})"
        )
        args = (Lf, sigma, tau, W_max, steps)
        stated, derived = "Theorem 1 (v1 Thm 2), eq. (65) as stated", "Theorem 1 (v1 Thm 2), derived"
        rows.append(
            _bound_row(
                "avg_grad_sq",
                avg,
                stated,
                lambda: AS.theorem1_bound_as_stated(f_gap, *args, alpha=alpha, S_K=S_arg),
                note,
            )
        )
        rows.append(
            _bound_row(
                "avg_grad_sq",
                avg,
                derived,
                lambda: AS.theorem1_bound_derived(f_gap, *args, alpha=alpha, mean_saturation=r_arg),
                note,
            )
        )
        rows.append(
            _bound_row(
                "floor",
                floor,
                stated,
                lambda: AS.theorem1_bound_as_stated(0.0, *args, alpha=alpha, S_K=S_arg),
                limit_note,
            )
        )
        rows.append(
            _bound_row(
                "floor",
                floor,
                derived,
                lambda: AS.theorem1_bound_derived(0.0, *args, alpha=alpha, mean_saturation=r_arg),
                limit_note,
            )
        )
    else:
        if noise == "two-point":
            measured["theorem3"] = (
                "not evaluated: the two-point law's A5 constant c depends on the state W; "
                "choose --noise gaussian or rademacher"
            )
        else:
            c = a5_constant(law.coordinate_law(), D).c
            measured["c"] = c
            measured["theorem3_where"] = theorem3_feasibility(c, D)
            gap = f_gap if f_gap > 0 else None
            if gap is None:
                measured["theorem3"] = "not evaluated: Theorem 3 needs f(W_0) - f* > 0, and W_0 = W* here"
            else:
                rows.append(
                    _bound_row(
                        "avg_grad_sq",
                        avg,
                        "Theorem 3 rate (14) as stated",
                        lambda: TT.theorem3_rate_as_stated(steps, gap, Lf, tau, D, sigma, c, alpha=alpha, beta=beta),
                        "rate at the statement's tuned alpha; conditions checked at the given alpha, beta",
                    )
                )
                try:
                    proof = TT.theorem3_rate_from_proof(steps, gap, alpha, Lf, tau, D, sigma, c, beta=beta)
                except ValueError as err:
                    proof = err
                name = "Theorem 3 rate from the proof (138)"
                rows.append(
                    _bound_row("avg_grad_sq", avg, name, lambda: _raise_or(proof), "V_0 taken as f(W_0) - f* (P_0 = 0)")
                )
                rows.append(
                    _bound_row(
                        "floor",
                        floor,
                        "Theorem 3 noise term of (138)",
                        lambda: Bound(
                            "Theorem 3 noise term of (138)",
                            "upper",
                            _raise_or(proof).terms.get("noise", math.inf),
                            proof.conditions,
                            source=proof.source,
                            assumes=proof.assumes,
                        ),
                        "16 alpha sigma L tau sqrt(D) B/A: the fixed-alpha limit",
                    )
                )
    mean, var = result.mean["grad_sq"], result.variance["grad_sq"]
    curve = Curve(
        algorithm,
        tau if algorithm != "digital-sgd" else None,
        mean.copy(),
        np.sqrt(np.maximum(var, 0.0) / chains),
        chains,
    )
    parameters = {
        "algorithm": algorithm,
        "problem": prob.name,
        "D": D,
        "L": Lf,
        "f_gap": f_gap,
        "tau": tau,
        "sigma": sigma,
        "alpha": alpha,
        "beta": beta,
        "beta_note": beta_note,
        "K": steps,
        "chains": chains,
        "noise": noise,
        "tail_window": list(windows["tail"]),
        "level": level,
        "dw_min": dw_min if algorithm == "pulsed-sgd" else None,
    }
    return {
        "parameters": parameters,
        "measured": measured,
        "bounds": rows,
        "curve": curve,
        "seed": result.seed,
        "seconds": result.seconds,
    }


#: compare's run parameters (all but ``seed`` and ``progress``) with their defaults, in its order
DEFAULTS = {n: p.default for n, p in inspect.signature(compare).parameters.items() if n not in ("seed", "progress")}
#: their names
PARAMETERS = tuple(DEFAULTS)


def _est(e) -> str:
    return f"{e.mean:.6g} [{e.low:.6g}, {e.high:.6g}]"


_REPORT_KEYS = ("parameters", "measured", "bounds", "curve", "seed", "seconds")


def _require_report(report) -> dict:
    """``report`` if it has the shape of :func:`compare`'s result (a TypeError naming ``report`` otherwise)."""
    from ..experiments.figures import Curve

    if (
        not isinstance(report, dict)
        or any(k not in report for k in _REPORT_KEYS)
        or not isinstance(report["parameters"], dict)
        or not isinstance(report["measured"], dict)
        or not isinstance(report["bounds"], list)
        or not isinstance(report["curve"], Curve)
    ):
        shown = repr(report) if len(repr(report)) <= 80 else repr(report)[:77] + "..."
        raise TypeError(f"report must be a result of compare() (a dict with {', '.join(_REPORT_KEYS)}), got {shown}")
    return report


def format_report(report: dict) -> str:
    """The printed table: measured values with intervals, then one line per bound."""
    return _on_report(_format_report, report)


def _on_report(make, report: dict):
    """``make(report)`` for a checked report; a malformed one is a TypeError naming ``report``."""
    _require_report(report)
    try:
        return make(report)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
        raise TypeError(f"report is not a result of compare(): {type(err).__name__}: {err}") from None


def _format_report(report: dict) -> str:
    p, m = report["parameters"], report["measured"]
    lines = [
        f"{p['algorithm']} on {p['problem']}: D={p['D']} L={p['L']:.4g} f(W0)-f*={p['f_gap']:.4g} "
        f"tau={p['tau']:g} sigma={p['sigma']:.4g} alpha={p['alpha']:g}"
        + (f" beta={p['beta']:.4g}" if p["beta"] is not None else "")
        + f" K={p['K']} R={p['chains']} noise={p['noise']}",
        f"measured ({100 * p['level']:g}% intervals across chains):",
        f"  avg ||grad f||^2 over k < K           {_est(m['avg_grad_sq'])}",
        f"  floor: avg over tail k in [{p['tail_window'][0]}, {p['tail_window'][1]})  {_est(m['floor'])}",
    ]
    for key in ("W_max", "S_K", "r_bar", "c"):
        if key in m:
            lines.append(f"  {key} = {m[key]:.6g}" if m[key] is not None else f"  {key} = inf (an iterate reached tau)")
    if "predicted_floor" in m:
        pf = m["predicted_floor"]
        if pf["value"] is None:
            lines.append(f"  predicted floor (limit + c1 alpha, bounds.asymptotics): {pf['verdict']}")
        else:
            lines.append(
                f"  predicted floor (limit + c1 alpha, bounds.asymptotics): {pf['value']:.6g} "
                f"(limit {pf['limit']:.6g}, c1 {pf['slope']:.4g}) -> {pf['verdict']}"
            )
            if pf["status"] != "applicable":
                lines.append(f"      {pf['status']}")
    if p.get("beta_note"):
        lines.append(f"  note: {p['beta_note']}")
    if "theorem3" in m:
        lines.append(f"  Theorem 3: {m['theorem3']}")
    if "theorem3_where" in m:
        lines.append(f"  where Theorem 3's conditions can hold: {m['theorem3_where']}")
    lines.append("bounds:")
    for r in report["bounds"]:
        value = f"{r['value']:.4g}" if r["applicable"] else "-"
        lines.append(f"  [{r['quantity']}] {r['bound']}: {value} -> {r['verdict']}")
        if not r["applicable"] or r["status"] != "applicable":
            lines.append(f"      {r['status']}")
        if r["note"]:
            lines.append(f"      note: {r['note']}")
    return "\n".join(lines)


def report_json(report: dict) -> dict:
    """The report as JSON-ready data (estimates as mean/low/high/n/level; non-finite bounds as null)."""
    return _on_report(_report_json, report)


def _report_json(report: dict) -> dict:
    def est(e):
        return {"mean": e.mean, "low": e.low, "high": e.high, "n": e.n, "level": e.level}

    m = {k: (est(v) if hasattr(v, "low") else v) for k, v in report["measured"].items()}
    rows = [
        {**r, "value": r["value"] if r["value"] is not None and math.isfinite(r["value"]) else None}
        for r in report["bounds"]
    ]
    return {
        "parameters": report["parameters"],
        "measured": m,
        "bounds": rows,
        "seed": report["seed"],
        "seconds": report["seconds"],
    }


def plot_compare(report: dict, path: str) -> str:
    """Per-step chain mean of ||grad f(W_k)||^2 with its pointwise band, the tail window shaded,
    and each applicable bound as a horizontal line; saved as PNG."""
    _require_report(report)
    path = require_path("path", path)
    try:
        p, curve = report["parameters"], report["curve"]
        level = require_real("report's level", p["level"], low=0.0, high=1.0, low_open=True, high_open=True)
        title = f"{p['problem']}, tau={p['tau']:g}, sigma={p['sigma']:.3g}, alpha={p['alpha']:g}, R={p['chains']}"
        label = f"{p['algorithm']}: E||grad f(W_k)||^2"
        tail = [float(t) for t in p["tail_window"]]
        lines = [
            (i, r["value"], r["quantity"], f"{r['bound']} [{r['quantity']}]")
            for i, r in enumerate(report["bounds"])
            if r["applicable"] and r["value"] is not None and math.isfinite(r["value"])
        ]
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
        raise TypeError(f"report is not a result of compare(): {type(err).__name__}: {err}") from None
    return _plot_compare(curve, level, title, label, tail, lines, path)


def _plot_compare(curve, level, title, label, tail, lines, path) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = np.arange(curve.mean.size)
    low, high = curve.band(level)
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    tiny = max(float(np.min(curve.mean[curve.mean > 0])) if np.any(curve.mean > 0) else 1e-12, 1e-300) * 1e-3
    ax.plot(k, np.maximum(curve.mean, tiny), lw=1.2, label=label)
    ax.fill_between(k, np.maximum(low, tiny), np.maximum(high, tiny), alpha=0.25, lw=0, label=f"{100 * level:g}% band")
    ax.axvspan(*tail, color="grey", alpha=0.1, label="tail window")
    for i, value, quantity, name in lines:
        ax.axhline(value, ls="--" if quantity == "floor" else "-", color=f"C{i + 2}", lw=1, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("k")
    ax.set_ylabel("||grad f(W_k)||^2")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    try:
        save_figure(fig, path, dpi=120)
    finally:
        plt.close(fig)
    return path


# ---------------------------------------------------------------------------------------------
# several algorithms in one run
# ---------------------------------------------------------------------------------------------


def compare_many(algorithms, **parameters) -> list[dict]:
    """:func:`compare` for each of ``algorithms`` (names of :data:`ALGORITHMS`, each once) on the same problem,
    noise, step size and seed (common random numbers): one report per algorithm, in the given order."""
    if isinstance(algorithms, str) or not algorithms:
        raise ValueError(f"algorithms must be a non-empty list of {ALGORITHMS}, got {algorithms!r}")
    algorithms = [_choice("algorithm", a, ALGORITHMS) for a in algorithms]
    if len(set(algorithms)) != len(algorithms):
        raise ValueError(f"algorithms must name each algorithm once, got {algorithms}")
    return [compare(algorithm=a, **parameters) for a in algorithms]


def digital_reference(report: dict) -> float:
    """The digital-SGD reference floor at the report's step size: eq. (5)'s fixed-alpha limit ``alpha sigma^2 L``."""
    p = report["parameters"]
    return p["alpha"] * p["sigma"] ** 2 * p["L"]


def format_many(reports: list[dict]) -> str:
    """One summary table for several algorithms (the measured average and floor with intervals, the predicted floor
    where there is one, the digital reference), then each algorithm's full report."""
    p = reports[0]["parameters"]
    lines = [
        f"{p['problem']}: D={p['D']} L={p['L']:.4g} (2/L = {2 / p['L']:.4g}) tau={p['tau']:g} sigma={p['sigma']:.4g} "
        f"alpha={p['alpha']:g} K={p['K']} R={p['chains']} noise={p['noise']} ({100 * p['level']:g}% intervals)",
        f"{'algorithm':<13} {'avg ||grad f||^2 over k < K':<40} {'floor (tail window)':<40} predicted floor",
    ]
    for r in reports:
        m = r["measured"]
        pf = m.get("predicted_floor")
        predicted = f"{pf['value']:.4g}" if pf and pf["value"] is not None else "-"
        lines.append(
            f"{r['parameters']['algorithm']:<13} {_est(m['avg_grad_sq']):<40} {_est(m['floor']):<40} {predicted}"
        )
    lines.append(f"digital reference floor alpha sigma^2 L (eq. 5, K -> inf): {digital_reference(reports[0]):.4g}")
    for r in reports:
        lines += ["", format_report(r)]
    return "\n".join(lines)


def plot_many(reports: list[dict], path: str) -> str:
    """One overlay: each algorithm's per-step chain mean of ||grad f(W_k)||^2 with its band, Analog SGD's
    predicted floor and the digital reference floor as horizontal lines; saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = reports[0]["parameters"]
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for i, r in enumerate(reports):
        curve = r["curve"]
        k = np.arange(curve.mean.size)
        low, high = curve.band(p["level"])
        tiny = max(float(np.min(curve.mean[curve.mean > 0])) if np.any(curve.mean > 0) else 1e-12, 1e-300) * 1e-3
        ax.plot(k, np.maximum(curve.mean, tiny), lw=1.2, color=f"C{i}", label=r["parameters"]["algorithm"])
        ax.fill_between(k, np.maximum(low, tiny), np.maximum(high, tiny), color=f"C{i}", alpha=0.2, lw=0)
        pf = r["measured"].get("predicted_floor")
        if pf and pf["value"] is not None:
            ax.axhline(
                pf["value"], color=f"C{i}", ls="--", lw=1, label=f"{r['parameters']['algorithm']}: predicted floor"
            )
    ax.axhline(digital_reference(reports[0]), color="k", ls=":", lw=1, label=r"digital reference $\alpha\sigma^2 L$")
    ax.axvspan(*p["tail_window"], color="grey", alpha=0.1, label="tail window")
    ax.set_yscale("log")
    ax.set_xlabel(r"iteration $k$")
    ax.set_ylabel(r"$\|\nabla f(W_k)\|^2$ (chain mean)")
    ax.set_title(
        f"{p['problem']}, $\\tau$={p['tau']:g}, $\\sigma$={p['sigma']:.3g}, $\\alpha$={p['alpha']:g}, R={p['chains']}",
        fontsize=9,
    )
    ax.legend(fontsize=7, loc="upper right")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
