r"""Tiki-Taka: Theorem 3 (arXiv v1 Theorem 4, App. H) and Lemmas 5-8, claims C22-C28.

Setting (``paper/reference.md`` section 4.3): both arrays are asymmetric linear devices with bound
tau and symmetric point 0; gamma = 0, one transfer per step, P_0 = 0, the gradient taken at W_k::

    (TT-P)  P_{k+1} = P_k + beta n_k - (beta/tau) |n_k| (.) P_k,        n_k = grad f(W_k) + eps_k
    (TT-W)  W_{k+1} = W_k - alpha P_{k+1} - (alpha/tau) |P_{k+1}| (.) W_k

Noise laws satisfying A3 and A5: i.i.d. coordinates, Rademacher (``eps_i = +-s``, A5 constant
``c = 1/sqrt(D)`` exactly, the largest any law can have) or Gaussian (``c = sqrt(2/(pi D))``), with
``sigma^2 = D s^2``; c comes from :func:`bounds.noise_laws.a5_constant`. Objectives are quadratics
with W* and W_0 inside the tau-box, so the proof's ``||grad f||^2 <= 4 L^2 tau^2 D`` holds.

The checks, one per claim (numbers in each result's ``details``):

* C22 (Lemma 7, (121)), upper, one case per setting: the engine's per-step chain mean of ``||P_k||_inf^2`` (K + 1 steps,
  Student t intervals made simultaneous by Bonferroni over steps and settings, see
  :func:`sup_over_steps`), normalised by ``P_max^2`` (:func:`bounds.tiki_taka.p_max_sq`), against 1.
  Two settings with beta at the largest value (119) allows and W_0 far from W* (P large). The
  exact side's counterexample to the one-step inequality (120) in the infinity norm is recomputed
  and reported; it does not decide C22, which is about (121). Control: the bound lowered to (120)'s first
  iterate x_1.
* C23 (Theorem 3, (14)), upper on the log-log slope: the statement's hypotheses (A1-A5,
  ``33 P_max^2/tau^2 < 1``, ``alpha = 1/sqrt(sigma^2 K)``, ``beta = 8 alpha L``) are met, but the
  proof's descent coefficient (138) is negative for every admissible (c, D), so the proof reaches no
  conclusion; the measured average squared gradient at four K gives the slope (:func:`loglog_fit`, a line,
  and a quadratic whose local slope decides when the line fails its lack-of-fit test, :func:`fitted_case`)
  compared with -1/2. An O(.) rate is asymptotic: a slope above -1/2 refutes it only when the runs
  are in the regime the linearised dynamics call asymptotic (:func:`time_scales`), else the verdict
  is inconclusive, with the numbers. Control: the O(1/K) rate (slope <= -1) on the same fit.
* C24 is split. C24a (asymptotic error zero), upper with a registered threshold: Tiki-Taka's stationary
  floor at three alphas (beta = 8 alpha L) divided by Analog SGD's exact alpha -> 0 floor on the same problem
  (:mod:`bounds.asymptotics`), fitted by a line in alpha; its value at alpha = 0 against 5%. Control: the same
  intercept as a lower bound at twice the threshold. C24b (the rate matches the lower bound up to constants):
  C23's measurement and rule on runs of its own.
* C25 (section 4, "P_max^2/tau^2 << W_max^2/tau^2 in practice, so Tiki-Taka's factor is milder"): the ratio
  against the threshold 1/33 that "milder" needs (the factors 1/(1 - 33 P_max^2/tau^2) and 1/(1 - W_max^2/
  tau^2)); the ratio's interval uses ``W_max^2 <= tau^2`` (Theorem 1) for its lower end and Jensen,
  ``E||W||_inf^2 >= (E||W||_inf)^2``, for its upper end. A refutation's control is the corrected statement
  (the ratio is below 1/33 in Theorem 3's regime).
* C26, C27, C28 (Lemmas 5, 6, 8): exact one-step expectations under Rademacher noise, by
  enumerating the 2^D sign patterns (:func:`rademacher_one_step`), from random states, against
  :func:`bounds.tiki_taka.lemma5_step`, :func:`~bounds.tiki_taka.lemma6_step`,
  :func:`~bounds.tiki_taka.lemma8_step`; Lemma 8 is deterministic and also checked at the exact
  side's counterexample (``sigma ||W_k||_inf^2 > tau^3 sqrt(D)``). Controls: the right side halved; for
  C28 (refuted, substantive) the corrected statement :func:`bounds.tiki_taka.lemma8_step_derived`.

Seeds: every Monte Carlo run gets the child ``SeedSequence(entropy, spawn_key + (i,))`` of the
claim's seed (:func:`child_seed`), so the same seed gives the same numbers however often a check runs.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass

import numpy as np
import scipy.stats

import bounds.tiki_taka as T
from bounds.asymptotics import scalar_asymptotics
from bounds.devices import AsymmetricLinearDevice
from bounds.noise_laws import GaussianLaw, RademacherLaw, a5_constant
from bounds.tiki_taka_asymptotics import FORMULAS_TT_ASYMPTOTIC as TT_ASYMPTOTIC
from bounds.validation import require_int, require_real

from ...sim.dynamics import TikiTaka
from ...sim.engine import SimulationResult, simulate
from ...sim.noise import GaussianNoise, RademacherNoise
from ...sim.problems import QuadraticProblem
from ...sim.seeds import child_seed, seed_record
from ...sim.stats import Estimate, fit_estimates, loglog_fit
from ..registry import Profile, claim, tolerance_of
from ..results import Case, ClaimResult, combined_result, exact_result, fitted_case
from ..verdicts import Tolerance

__all__ = [
    "sup_over_steps",
    "time_scales",
    "TimeScales",
    "NoiseSetting",
    "rademacher_patterns",
    "rademacher_one_step",
    "random_lemma_states",
    "LemmaState",
    "check_c22",
    "check_c23",
    "check_c24a",
    "check_c24b",
    "check_c25",
    "check_c26",
    "check_c27",
    "check_c28",
]

#: chains advanced together by one generator in the runs made here: fixed, so that the numbers do not
#: depend on the profile's chain count through the block layout, and so that two cores share the work
BLOCK = 500


# ---------------------------------------------------------------------------------------------
# helpers (tested in tests/test_checks_tiki_taka.py)
# ---------------------------------------------------------------------------------------------
def sup_over_steps(
    result: SimulationResult, statistic: str, level: float, families: int = 1, start: int = 0
) -> tuple[Estimate, int]:
    r"""``max_k E[X_k]`` over steps ``k >= start`` of a run, with a simultaneous interval.

    Each step's chain mean gets a Student t interval at level ``1 - (1 - level)/(n_steps families)``
    (Bonferroni over the steps and over ``families`` such maxima), so all of them hold together with
    probability >= ``level``; then ``max_k low_k <= max_k E[X_k] <= max_k high_k``. Returns the
    estimate and the step of the largest chain mean.

    >>> from types import SimpleNamespace
    >>> fake = SimpleNamespace(chains=100, mean={"x": np.array([0.0, 2.0, 1.0])},
    ...                        variance={"x": np.array([0.0, 1.0, 1.0])})
    >>> est, k = sup_over_steps(fake, "x", 0.95)
    >>> k, est.mean, est.low < 2.0 < est.high
    (1, 2.0, True)
    """
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    families = require_int("families", families, low=1)
    if result.chains < 2:
        raise ValueError(f"chains: a confidence interval needs at least 2 chains, got {result.chains}")
    mean = np.asarray(result.mean[statistic], dtype=float)[start:]
    variance = np.asarray(result.variance[statistic], dtype=float)[start:]
    if mean.size == 0:
        raise ValueError(f"start must be below the number of recorded steps {len(result.mean[statistic])}, got {start}")
    per_step = 1.0 - (1.0 - level) / (mean.size * families)
    t = float(scipy.stats.t.ppf(0.5 + per_step / 2, df=result.chains - 1))
    half = t * np.sqrt(variance / result.chains)
    k = int(np.argmax(mean))
    method = (
        f"max over {mean.size} steps of Student t intervals across {result.chains} chains, "
        f"Bonferroni over steps x {families} famil{'y' if families == 1 else 'ies'} (simultaneous)"
    )
    return Estimate(
        mean=float(mean[k]),
        low=float(np.max(mean - half)),
        high=float(np.max(mean + half)),
        n=int(result.chains),
        level=level,
        method=method,
    ), k + start


@dataclass(frozen=True)
class TimeScales:
    """Linearised time scales of Tiki-Taka on ``f = L/2 ||W - W*||^2`` near a critical point."""

    t_w: float
    """Steps for W to relax: 1/(alpha C L) with the tracking gain C = tau/E|eps_i|."""
    t_p: float
    """Steps for P to relax: tau/(beta E|eps_i|)."""
    p_abs: float
    """E|P_i| at a critical point: sqrt(2 Var/pi), Var = beta tau E[eps_i^2]/(2 E|eps_i|)."""
    bias: float
    """b = E|P_i|/(tau C L): the pull of (alpha/tau)|P| (.) W toward 0 over the drive alpha C grad f."""


def time_scales(L: float, tau: float, alpha: float, beta: float, mean_abs: float, second_moment: float) -> TimeScales:
    r"""The linearised time scales of Tiki-Taka (derived here) for a noise coordinate with
    ``E|eps_i| = mean_abs`` and ``E[eps_i^2] = second_moment``.

    Near a critical point, (TT-P) averages to ``E[P'] = P + beta g - (beta/tau) E|g + eps| P``, so P
    relaxes in ``tau/(beta E|eps|)`` steps toward ``C g`` with ``C = tau/E|eps|`` (Lemma 5's
    ``tau sqrt(D)/sigma`` for Rademacher noise); it fluctuates around it with variance
    ``beta^2 E eps^2/(2 beta E|eps|/tau)``. (TT-W) then moves W by ``-alpha C grad f`` (relaxation
    ``1/(alpha C L)``) and by ``-(alpha/tau) E|P| W``: the stationary point has
    ``grad f = -(E|P|/(tau C)) W``, and once ``b = E|P|/(tau C L) << 1`` the squared gradient is
    ``~ b^2 L^2 ||W*||^2``, proportional to beta. With ``b >~ 1`` W is pulled most of the way to 0.

    >>> ts = time_scales(L=1.0, tau=1.0, alpha=0.01, beta=0.08, mean_abs=0.5, second_moment=0.25)
    >>> round(ts.t_w), round(ts.t_p)
    (50, 25)
    """
    L, tau = require_real("L", L, low=0.0, low_open=True), require_real("tau", tau, low=0.0, low_open=True)
    alpha = require_real("alpha", alpha, low=0.0, low_open=True)
    beta = require_real("beta", beta, low=0.0, low_open=True)
    mean_abs = require_real("mean_abs", mean_abs, low=0.0, low_open=True)
    second_moment = require_real("second_moment", second_moment, low=0.0, low_open=True)
    gain = tau / mean_abs
    # E|P| and b = E|P|/(tau C L) are derived once, in bounds.tiki_taka_asymptotics
    p_abs = float(TT_ASYMPTOTIC["p_abs_leading"].numeric(beta, tau, mean_abs, math.sqrt(second_moment)))
    bias = float(TT_ASYMPTOTIC["bias_ratio"].numeric(mean_abs, p_abs, tau, L))
    return TimeScales(t_w=1.0 / (alpha * gain * L), t_p=tau / (beta * mean_abs), p_abs=p_abs, bias=bias)


@dataclass(frozen=True)
class NoiseSetting:
    """An A5 noise law for D coordinates with total variance sigma^2: the engine's law and c."""

    kind: str
    """"rademacher" or "gaussian"."""
    D: int
    sigma: float

    def __post_init__(self):
        if self.kind not in ("rademacher", "gaussian"):
            raise ValueError(f"kind must be 'rademacher' or 'gaussian', got {self.kind!r}")
        object.__setattr__(self, "D", require_int("D", self.D, low=1))
        object.__setattr__(self, "sigma", require_real("sigma", self.sigma, low=0.0, low_open=True))

    @property
    def s(self) -> float:
        """Per-coordinate scale: sigma/sqrt(D)."""
        return self.sigma / math.sqrt(self.D)

    @property
    def law(self):
        return RademacherLaw(self.s) if self.kind == "rademacher" else GaussianLaw(self.s)

    @property
    def engine_noise(self):
        return RademacherNoise(scale=self.s) if self.kind == "rademacher" else GaussianNoise(std=self.s)

    @property
    def c(self) -> float:
        """The A5 constant (bounds.noise_laws.a5_constant, A5 scaling)."""
        return a5_constant(self.law, self.D).c

    def time_scales(self, L: float, tau: float, alpha: float, beta: float) -> TimeScales:
        return time_scales(L, tau, alpha, beta, self.law.mean_abs(), self.law.second_moment())


def rademacher_patterns(D: int) -> np.ndarray:
    """All 2^D sign patterns, shape (2^D, D), each row equally likely under Rademacher noise.

    >>> rademacher_patterns(2).tolist()
    [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
    """
    D = require_int("D", D, low=1, high=16)
    return np.array(list(itertools.product((-1.0, 1.0), repeat=D)))


def rademacher_one_step(P: np.ndarray, grad: np.ndarray, beta: float, tau: float, s: float) -> np.ndarray:
    """Every outcome of one (TT-P) step from ``P`` with the gradient ``grad`` and noise ``eps = +-s``:
    shape (2^D, D), row j for the j-th sign pattern of :func:`rademacher_patterns`; the update is the
    device's own (:meth:`bounds.devices.AsymmetricLinearDevice.update`).

    >>> out = rademacher_one_step(np.zeros(1), np.zeros(1), 0.5, 1.0, 1.0)
    >>> out.ravel().tolist()             # P = 0: P' = beta eps
    [-0.5, 0.5]
    """
    P, grad = np.asarray(P, dtype=float), np.asarray(grad, dtype=float)
    patterns = rademacher_patterns(P.shape[-1])
    device = AsymmetricLinearDevice(tau=tau)
    return device.update(np.broadcast_to(P, patterns.shape), beta * (grad + s * patterns))


# ---------------------------------------------------------------------------------------------
# random states for the one-step lemmas
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LemmaState:
    """One state of the lemmas: (W_k, P_{k+1}) on f = 1/2 (W - W*)^T H (W - W*), with constants."""

    D: int
    L: float
    tau: float
    sigma: float
    H: np.ndarray
    W: np.ndarray
    W_star: np.ndarray
    P: np.ndarray
    alpha: float
    beta_frac: float
    """Where beta sits in its admissible range, in (0, 1]."""

    def f_gap(self, W) -> float:
        e = np.asarray(W) - self.W_star
        return float(0.5 * e @ self.H @ e)

    def gradient(self, W) -> np.ndarray:
        return self.H @ (np.asarray(W) - self.W_star)

    @property
    def W_next(self) -> np.ndarray:
        """(TT-W): W_{k+1} = U(W_k, -alpha P_{k+1})."""
        return AsymmetricLinearDevice(tau=self.tau).update(self.W, -self.alpha * self.P)

    def describe(self) -> dict:
        out = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in asdict(self).items()}
        out["H"] = np.round(self.H, 12).tolist()
        return out


def random_lemma_states(rng: np.random.Generator, n: int, max_dim: int = 5) -> list[LemmaState]:
    r"""``n`` random states over wide ranges: D in 1..``max_dim``, tau in [0.1, 10], sigma in [0.01, 100],
    L in [1e-3, 30] (log-uniform); H a random PSD matrix with largest eigenvalue L (diagonal half
    the time); ||W_k||_inf <= W_max < tau (A4) with W_max/tau uniform in [0, 0.99]; W* in the box,
    or W* = W_k (a critical point) with probability 1/4; P_{k+1} uniform in the box times 1, 0.1
    or 0.01; alpha log-uniform below min(1, sigma/(6 L tau sqrt D)) ((137)); beta_frac uniform.
    """
    n = require_int("n", n, low=1)
    states = []
    for _ in range(n):
        D = int(rng.integers(1, max_dim + 1))
        tau, sigma, L = 10 ** rng.uniform(-1, 1), 10 ** rng.uniform(-2, 2), 10 ** rng.uniform(-3, 1.5)
        h = rng.uniform(0.0, L, D)
        h[0] = L
        if D > 1 and rng.random() < 0.5:
            Q, _ = np.linalg.qr(rng.standard_normal((D, D)))
            H = (Q * h) @ Q.T
            H = 0.5 * (H + H.T)
        else:
            H = np.diag(h)
        w_max = rng.uniform(0.0, 0.99) * tau
        W = rng.uniform(-w_max, w_max, D)
        W_star = W.copy() if rng.random() < 0.25 else rng.uniform(-tau, tau, D)
        P = rng.uniform(-tau, tau, D) * rng.choice([1.0, 0.1, 0.01])
        alpha = 10 ** rng.uniform(-4, 0) * min(1.0, sigma / (6 * L * tau * math.sqrt(D)))
        states.append(LemmaState(D, L, tau, sigma, H, W, W_star, P, alpha, float(rng.uniform(1e-3, 1.0))))
    return states


# ---------------------------------------------------------------------------------------------
# C22: Lemma 7, E||P_k||_inf^2 <= P_max^2
# ---------------------------------------------------------------------------------------------
#: (name, noise kind, D, L, tau, sigma, Hessian kind); beta = the largest value (119) allows,
#: alpha = beta/(8 L) (the statement's tie), W* = tau/2, W_0 = -0.9 tau (P driven by a large gradient)
C22_SETTINGS = (
    ("Rademacher, D=4, H = L I", "rademacher", 4, 0.1, 1.0, 4.0, "isotropic"),
    ("Gaussian, D=8, random H", "gaussian", 8, 0.1, 1.0, 8.0, "random"),
)
C22_STEPS = 5000
#: the exact side's counterexample to (120) in the infinity norm (tests/test_tiki_taka_bounds.py)
C22_COUNTEREXAMPLE = {"D": 10, "tau": 1.0, "sigma": 1.0, "L": 1e-3, "p": 0.5, "beta": 1e-5}


def _hessian(kind: str, D: int, L: float, rng: np.random.Generator) -> np.ndarray:
    if kind == "isotropic":
        return L * np.eye(D)
    A = rng.standard_normal((D, D))
    H = A @ A.T
    H = 0.5 * (H + H.T)
    return H * (L / np.linalg.eigvalsh(H)[-1])


@claim(
    "C22",
    "Lemma 7: from P_0 = 0, E||P_{k+1}||_inf^2 <= P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2) for every k",
    "Lemma 7 (v1), eqs. (120)-(121)",
    "upper",
    model="dynamic (TT) on asymmetric linear devices, the toolkit's engine, Rademacher (D = 4) and Gaussian "
    "(D = 8) noise at the largest beta (119) allows, Monte Carlo with simultaneous intervals over all steps",
    quantity="the deciding setting's max_k E||P_k||_inf^2 / P_max^2 (simultaneous interval) vs 1 (Lemma 7's bound)",
)
def check_c22(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    steps = profile.steps(C22_STEPS)
    settings, runs = [], []
    for i, (name, kind, D, L, tau, sigma, hess) in enumerate(C22_SETTINGS):
        noise = NoiseSetting(kind, D, sigma)
        c = noise.c
        beta = min(cond.rhs for cond in T.lemma7_conditions(1.0, L, tau, D, sigma, c))  # (119) with equality
        alpha = beta / (8 * L)  # beta = 8 alpha L (statement)
        bound = T.lemma7_p_max(beta, L, tau, D, sigma, c)
        rng = np.random.default_rng(child_seed(seed, 100 + i))
        H = _hessian(hess, D, L, rng)
        problem = QuadraticProblem(
            hessian=H, w_star=np.full(D, 0.5 * tau), w0=np.full(D, -0.9 * tau), name=f"quadratic, {hess} H"
        )
        run_seed = child_seed(seed, i)
        result = simulate(
            problem,
            TikiTaka(AsymmetricLinearDevice(tau=tau), alpha=alpha, beta=beta),
            noise.engine_noise,
            steps=steps,
            chains=profile.chains,
            seed=run_seed,
            chains_per_block=BLOCK,
        )
        est, k_max = sup_over_steps(result, "p_inf_sq", profile.level, families=len(C22_SETTINGS))
        x1 = T.lemma7_step(0.0, beta, L, tau, D, sigma, c).value  # (120) from P_0 = 0: the first iterate
        runs.append((est, bound.value, x1))
        settings.append(
            {
                "setting": name,
                "noise": kind,
                "D": D,
                "L": L,
                "tau": tau,
                "sigma": sigma,
                "c": c,
                "beta": beta,
                "alpha": alpha,
                "hessian": np.round(H, 12).tolist(),
                "W*": 0.5 * tau,
                "W_0": -0.9 * tau,
                "steps": steps,
                "chains": profile.chains,
                "seed": seed_record(run_seed),
                "P_max^2": bound.value,
                "lemma7_status": bound.status,
                "lemma7_conditions": [str(cond) for cond in bound.conditions],
                "max_k E||P_k||_inf^2": est.mean,
                "interval": [est.low, est.high],
                "at_step": k_max,
                "ratio_to_P_max^2": est.mean / bound.value,
                "final E||P_K||_inf^2": float(result.mean["p_inf_sq"][-1]),
                "(120) first iterate x_1": x1,
                "derived bound D P_max^2": T.lemma7_p_max_derived(beta, L, tau, D, sigma, c).value,
            }
        )
    # per setting: the simultaneous maximum normalised by P_max^2, against 1 (the settings' intervals hold
    # together: sup_over_steps splits the level over steps and settings)
    cases = [
        Case(row["setting"], _scaled(est, bound), 1.0, "upper", info={"P_max^2": bound})
        for row, (est, bound, _) in zip(settings, runs)
    ]
    # nearest wrong statement: (121) with P_max^2 replaced by the first iterate x_1 of (120), i.e. P never grows
    # past its one-step bound from P_0 = 0: normalised by x_1, the same maxima against 1
    control_cases = [
        Case(row["setting"], _scaled(est, x1), 1.0, "upper", info={"x_1": x1, "x_1 / P_max^2": x1 / bound})
        for row, (est, bound, x1) in zip(settings, runs)
    ]
    cx = C22_COUNTEREXAMPLE
    c_cx = T.c_max(cx["D"])
    step120 = T.lemma7_step(cx["p"] ** 2, cx["beta"], cx["L"], cx["tau"], cx["D"], cx["sigma"], c_cx)
    exact120 = T.rademacher_next_p_inf_sq(cx["p"], cx["beta"], cx["tau"], cx["D"], cx["sigma"])
    details = {
        "quantity": "max over k <= K of E||P_k||_inf^2 / P_max^2, per setting (theoretical: 1)",
        "settings": settings,
        "one_step_(120)_counterexample": {
            **cx,
            "c": c_cx,
            "state": "critical point, P_{k+1} = p 1, Rademacher noise",
            "(120) right side": step120.value,
            "(120) applicable": step120.applicable,
            "exact E||P_{k+2}||_inf^2": exact120,
            "||P_{k+1}||_inf^2": cx["p"] ** 2,
            "note": (
                "(120) is false for the infinity norm (E max != max E): here it promises a decrease "
                "below ||P_{k+1}||_inf^2 while the exact expectation increases (bounds.tiki_taka."
                "rademacher_next_p_inf_sq). The check of (121) stands on the measurement: the proof's "
                "step to (121) is not valid as written, the derivation supports E||P||_inf^2 <= D P_max^2 "
                "(lemma7_p_max_derived), and the measured maxima lie far below P_max^2 itself."
            ),
        },
    }
    return combined_result(
        "C22",
        "upper",
        cases,
        control_cases,
        wrong_statement="E||P_k||_inf^2 <= x_1 = 41 beta L^2 tau^3 D/(c sigma) for all k "
        "((120)'s first iterate in place of its fixed point P_max^2)",
        margin="the bound lowered from P_max^2 to (120)'s first iterate x_1 = "
        + ", ".join(f"{x1 / bound:.3g}" for _, bound, x1 in runs)
        + " P_max^2 in the two settings",
        details=details,
        supports="; ".join(f"{c.label}: max_k E||P_k||_inf^2 / P_max^2 = {c.estimate.mean:.3g}" for c in cases),
    )


def _scaled(e: Estimate, by: float) -> Estimate:
    """``e`` divided by the positive constant ``by``."""
    sem = None if e.sem is None else e.sem / by
    return Estimate(e.mean / by, e.low / by, e.high / by, e.n, e.level, method=e.method, sem=sem)


# ---------------------------------------------------------------------------------------------
# C23: Theorem 3's rate
# ---------------------------------------------------------------------------------------------
#: D = 1, Rademacher noise (c = 1 exactly), f = L/2 (w - w*)^2 with w* = 0.5, w_0 = -0.5, tau = 1;
#: sigma^2 = 2 x 1353 L^2 tau^2 D/c^2 puts 33 P_max^2/tau^2 at 1/2; alpha = 1/sqrt(sigma^2 K)
#: (the O(.) constant 1), beta = 8 alpha L. L = 0.02 makes P relax ~10x faster than W (the tracking
#: that Lemma 5 describes).
C23 = {
    "D": 1,
    "L": 0.02,
    "tau": 1.0,
    "w_star": 0.5,
    "w0": -0.5,
    "saturation": 0.5,
    "alpha_constant": 1.0,
    "K": (250, 1000, 4000, 16000),
}
#: the linearised dynamics are asymptotic when K >= 10 relaxation times of W and the bias b <= 0.1
#: (:func:`time_scales`): then the transient's share is e^-10 and the gradient floor ~ b^2 is in
#: its beta-proportional regime
C23_REGIME = {"K_over_T_W": 10.0, "bias": 0.1}


def _c23_parameters():
    D, L, tau = C23["D"], C23["L"], C23["tau"]
    c = 1.0 / math.sqrt(D)
    sigma = math.sqrt(T.sigma_sq_threshold(L, tau, D, c) / C23["saturation"])
    noise = NoiseSetting("rademacher", D, sigma)
    return D, L, tau, sigma, noise, noise.c


def _rate_measurement(profile: Profile, seed: np.random.SeedSequence, offset: int = 0) -> dict:
    """Tiki-Taka at Theorem 3's step sizes on :data:`C23`'s instance: the average squared gradient at each K of
    ``C23["K"]`` (run i from ``child_seed(seed, offset + i)``), the log-log line through them and the regime."""
    D, L, tau, sigma, noise, c = _c23_parameters()
    problem = QuadraticProblem(
        hessian=L * np.eye(D), w_star=np.full(D, C23["w_star"]), w0=np.full(D, C23["w0"]), name="scalar quadratic"
    )
    f0 = problem.initial_gap()
    g0_sq = float(np.sum(problem.gradient(problem.w0[None, :]) ** 2))
    ks = [profile.steps(k) for k in C23["K"]]
    estimates, runs = [], []
    for i, K in enumerate(ks):
        alpha = C23["alpha_constant"] / math.sqrt(sigma**2 * K)
        beta = T.beta_statement(alpha, L)
        run_seed = child_seed(seed, offset + i)
        result = simulate(
            problem,
            TikiTaka(AsymmetricLinearDevice(tau=tau), alpha=alpha, beta=beta),
            noise.engine_noise,
            steps=K,
            chains=profile.chains,
            seed=run_seed,
            chains_per_block=BLOCK,
        )
        est = result.estimate("grad_sq", "all", level=profile.level)
        stated = T.theorem3_rate_as_stated(K, f0, L, tau, D, sigma, c, alpha=alpha, beta=beta)
        scales = noise.time_scales(L, tau, alpha, beta)
        estimates.append(est)
        runs.append(
            {
                "K": K,
                "alpha": alpha,
                "beta": beta,
                "seed": seed_record(run_seed),
                "chains": profile.chains,
                "avg_grad_sq": est.mean,
                "interval": [est.low, est.high],
                "avg_grad_sq / ||grad f(W_0)||^2": est.mean / g0_sq,
                "stated bound, constant 8 sqrt 2 (proof)": stated.value,
                "measured / stated bound": est.mean / stated.value,
                "stated bound / ||grad f(W_0)||^2": stated.value / g0_sq,
                "failed conditions": [str(cond) for cond in stated.failed],
                "K / T_W": K / scales.t_w,
                "T_P / T_W": scales.t_p / scales.t_w,
                "bias b": scales.bias,
                "mean W_K": float(result.final_state["W"].mean()),
            }
        )
    asymptotic = all(r["K / T_W"] >= C23_REGIME["K_over_T_W"] and r["bias b"] <= C23_REGIME["bias"] for r in runs)
    return {
        "parameters": (D, L, tau, sigma, c),
        "ks": ks,
        "estimates": estimates,
        "runs": runs,
        "g0_sq": g0_sq,
        "line": loglog_fit(ks, estimates, profile.level),
        "curved": loglog_fit(ks, estimates, profile.level, degree=2) if len(ks) >= 4 else None,
        "asymptotic": asymptotic,
    }


def _rate_result(claim_id: str, m: dict) -> ClaimResult:
    """The verdict on Theorem 3's rate from :func:`_rate_measurement`: the log-log slope of the average squared
    gradient in K (:func:`fitted_case`, so a rejected line makes it inconclusive) against -1/2, upper; a slope
    above -1/2 refutes the asymptotic O(K^-1/2) only when every run is in the linearised regime
    (:data:`C23_REGIME`), else the verdict is inconclusive. Control: the O(1/K) rate (slope <= -1) on the same
    fit, the next faster rate, which a measurement able to decide the exponent must reject."""
    D, L, tau, sigma, c = m["parameters"]
    ks, runs, line = m["ks"], m["runs"], m["line"]
    curved = m["curved"]
    case = fitted_case("log-log slope of avg E||grad f||^2 in K", line, "slope", -0.5, "upper", curved=curved)
    slope = case.estimate
    measured_verdict = case.verdict
    if not m["asymptotic"]:
        case.verdict_override = "inconclusive"
    control_case = fitted_case(
        "the same slope against -1 (an O(1/K) rate)", line, "slope", -1.0, "upper", curved=curved
    )
    # the largest K at which b <= 0.1, from b ~ K^(-1/4) at fixed alpha constant (beta ~ K^(-1/2))
    b_last = runs[-1]["bias b"]
    k_regime = ks[-1] * (b_last / C23_REGIME["bias"]) ** 4
    vacuous_below = ks[-1] * (runs[-1]["stated bound, constant 8 sqrt 2 (proof)"] / m["g0_sq"]) ** 2
    details = {
        "hypotheses": {
            "A1-A4": f"f = L/2 (w - w*)^2, L = {L}, w* = {C23['w_star']}, w_0 = {C23['w0']}, tau = {tau}",
            "A5": f"Rademacher, c = {c:.6g} = 1/sqrt(D) (bounds.noise_laws.a5_constant)",
            "33 P_max^2/tau^2": T.saturation_ratio(L, tau, D, sigma, c),
            "sigma": sigma,
            "alpha": "1/sqrt(sigma^2 K) (O(.) constant 1)",
            "beta": "8 alpha L (statement)",
        },
        "proof": {
            "descent coefficient (138) 1 - 128/(c^2 D) - 32 P_max^2/tau^2": T.descent_coefficient(L, tau, D, sigma, c),
            "symbolic": "A <= -127 for every c <= 1/sqrt(D) (bounds.tiki_taka.derive_descent_sign)",
            "reading": "the statement's hypotheses hold, but its proof's descent step (138) never does: the "
            "proof establishes nothing, so the verdict rests on the measurement",
        },
        "runs": runs,
        "fit": case.info["fit"],
        "regime": {
            "rule": f"a slope may refute the asymptotic O(K^-1/2) only if every run has K >= "
            f"{C23_REGIME['K_over_T_W']:g} T_W and bias b <= {C23_REGIME['bias']:g} (verify.claims.checks."
            "tiki_taka.time_scales); otherwise the verdict is inconclusive",
            "asymptotic": m["asymptotic"],
            "verdict_of_slope_alone": measured_verdict,
            "K where b reaches 0.1 (b ~ K^-1/4)": k_regime,
            "stated bound (constant 8 sqrt 2) exceeds ||grad f(W_0)||^2 for K below": vacuous_below,
        },
        "finding": (
            f"at the statement's step sizes the average squared gradient falls as K^{slope.mean:.2f} "
            f"over K in [{ks[0]}, {ks[-1]}], not K^-0.5: (TT-W)'s term (alpha/tau)|P_{{k+1}}| (.) W_k "
            f"with E|P| ~ sqrt(beta tau E eps^2/E|eps|) (not beta E|eps| as in eq. 12) pulls W toward 0 "
            f"(mean W_K = {runs[-1]['mean W_K']:.3g} vs w* = {C23['w_star']}), bias b = {b_last:.3g}; "
            f"the linearised K^-1/2 regime starts near K ~ {k_regime:.2g}. The stated bound with the "
            f"proof's constant holds at every K tried but is vacuous there (above ||grad f(W_0)||^2 "
            f"for K < {vacuous_below:.2g})."
        ),
    }
    return combined_result(
        claim_id,
        "upper",
        [case],
        [control_case],
        wrong_statement="(1/K) sum E||grad f(W_k)||^2 = O(1/K) at the same step sizes (log-log slope <= -1)",
        margin="the exponent -1/2 moved to -1 (the next faster rate); decided on the same fit, where the regime "
        "rule (which only withholds a refutation of an asymptotic statement) does not apply",
        details=details,
        supports=f"slope of log avg ||grad f||^2 on log K = {slope.mean:.3g}",
    )


_THEOREM3_MODEL = (
    "dynamic (TT) at Theorem 3's step sizes (alpha = 1/sqrt(sigma^2 K), beta = 8 alpha L, 33 P_max^2/tau^2 = 1/2) "
    "on asymmetric linear devices, the toolkit's engine, D = 1 Rademacher noise, Monte Carlo at K = 250..16000"
)


@claim(
    "C23",
    "Theorem 3: under A1-A5, alpha = O(1/sqrt(sigma^2 K)), beta = 8 alpha L and 33 P_max^2/tau^2 < 1, "
    "(1/K) sum E||grad f(W_k)||^2 = O(sqrt((f(W_0) - f*) sigma^2 L/K)/(1 - 33 P_max^2/tau^2))",
    "Thm 4 (v1), eq. 14; proof (133)-(140)",
    "upper",
    model=_THEOREM3_MODEL,
    depends="the reading of O(.) as asymptotic: a finite-K slope decides only in the linearised regime (C23_REGIME)",
    quantity="log-log slope of avg E||grad f(W_k)||^2 in K at Theorem 3's step sizes vs -0.5 (the O(1/sqrt K) rate)",
)
def check_c23(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    return _rate_result("C23", _rate_measurement(profile, seed))


# ---------------------------------------------------------------------------------------------
# C24: Tiki-Taka's asymptotic error is zero
# ---------------------------------------------------------------------------------------------
#: D = 4, Gaussian noise (sigma = 1), f = L/2 ||W - W*||^2 with W* away from 0, W_0 = 0; the
#: stationary floor is the average over the second half of K(alpha) = 20/alpha steps (>= 25 relaxation
#: times of W for both algorithms)
C24 = {
    "D": 4,
    "L": 1.0,
    "tau": 1.0,
    "sigma": 1.0,
    "W*": (0.5, -0.4, 0.6, -0.3),
    "alphas": (0.005, 0.01, 0.02),
    "steps_times_alpha": 20.0,
}


def _floor_runs(problem, make_dynamics, noise, alphas, steps_times_alpha, profile, seed, offset):
    estimates, records = [], []
    for i, alpha in enumerate(alphas):
        K = profile.steps(int(round(steps_times_alpha / alpha)))
        run_seed = child_seed(seed, offset + i)
        result = simulate(
            problem,
            make_dynamics(alpha),
            noise,
            steps=K,
            chains=profile.chains,
            seed=run_seed,
            windows={"tail": (K // 2, K + 1)},
            chains_per_block=BLOCK,
        )
        est = result.estimate("grad_sq", "tail", level=profile.level)
        estimates.append(est)
        records.append(
            {
                "alpha": alpha,
                "K": K,
                "window": [K // 2, K + 1],
                "seed": seed_record(run_seed),
                "chains": profile.chains,
                "floor": est.mean,
                "sem": est.sem,
            }
        )
    return estimates, records


def _analog_sgd_limit() -> float:
    """Analog SGD's alpha -> 0 floor ||grad f(W_inf)||^2 on C24's problem, exact (bounds.asymptotics): the
    problem is separable (H = L I, i.i.d. noise coordinates, coordinate-wise device), so the floor is the sum of
    the scalar limits over the coordinates of W*."""
    noise = NoiseSetting("gaussian", C24["D"], C24["sigma"])
    device = AsymmetricLinearDevice(tau=C24["tau"])
    return float(sum(scalar_asymptotics(device, noise.law, L=C24["L"], w_star=w).limits["grad_sq"] for w in C24["W*"]))


@claim(
    "C24a",
    "Theorem 3: Tiki-Taka's asymptotic error is zero (as alpha -> 0 with beta = 8 alpha L), unlike Analog SGD's",
    "Thm 4 (v1) and Table 1",
    "upper",
    model="dynamic (TT) with beta = 8 alpha L on asymmetric linear devices, the toolkit's engine, D = 4 Gaussian "
    "noise; Monte Carlo floors at three alphas extrapolated to alpha -> 0 by a weighted line; Analog SGD's floor "
    "exact (bounds.asymptotics)",
    tolerance=Tolerance(
        0.05,
        "'asymptotic error is zero ..., unlike Analog SGD's': zero resolved as below 5% of Analog SGD's alpha -> 0 "
        "floor on the same problem (the error it is contrasted with, exact from bounds.asymptotics), fixed before "
        "the runs",
        "threshold",
    ),
    depends="the reading of 'zero' as below 5% of Analog SGD's floor, on a problem outside Theorem 3's regime",
    quantity="alpha -> 0 value (line in alpha) of Tiki-Taka's floor over Analog SGD's exact alpha -> 0 floor vs 0.05",
)
def check_c24a(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """C24a: Tiki-Taka's floor at :data:`C24`'s alphas, divided by Analog SGD's exact alpha -> 0 floor, fitted
    by a line in alpha; its intercept against the registered threshold (upper). Control: the intercept at least
    twice the threshold (lower)."""
    tolerance = tolerance_of("C24a")
    D, L, tau, sigma = C24["D"], C24["L"], C24["tau"], C24["sigma"]
    noise = NoiseSetting("gaussian", D, sigma)
    problem = QuadraticProblem(
        hessian=L * np.eye(D), w_star=np.array(C24["W*"]), w0=np.zeros(D), name="quadratic, W* away from 0"
    )
    device = AsymmetricLinearDevice(tau=tau)
    alphas = C24["alphas"]
    reference = _analog_sgd_limit()
    tt, tt_runs = _floor_runs(
        problem,
        lambda a: TikiTaka(device, alpha=a, beta=T.beta_statement(a, L)),
        noise.engine_noise,
        alphas,
        C24["steps_times_alpha"],
        profile,
        seed,
        0,
    )
    ratios = [_scaled(e, reference) for e in tt]
    line = fit_estimates(alphas, ratios, 1, profile.level)
    curved = fit_estimates(alphas, ratios, 2, profile.level) if len(alphas) >= 4 else None
    label = "Tiki-Taka's floor / Analog SGD's limit, extrapolated to alpha -> 0"
    case = fitted_case(label, line, "intercept", tolerance.value, "upper", tolerance=tolerance, curved=curved)
    control_case = fitted_case(label, line, "intercept", 2 * tolerance.value, "lower", curved=curved)
    c = noise.c
    details = {
        "problem": {"D": D, "L": L, "tau": tau, "sigma": sigma, "noise": "Gaussian", "c": c, "W*": list(C24["W*"])},
        "W_0": 0.0,
        "tiki_taka": tt_runs,
        "analog_sgd_limit (exact, bounds.asymptotics)": reference,
        "quantity": "Tiki-Taka's floor / Analog SGD's alpha -> 0 floor, line in alpha, value at alpha = 0",
        "fit": case.info["fit"],
        "theorem_regime": {
            "33 P_max^2/tau^2": T.saturation_ratio(L, tau, D, sigma, c),
            "note": "Theorem 3's hypothesis 33 P_max^2/tau^2 < 1 fails here (it needs sigma^2 > "
            f"{T.sigma_sq_threshold(L, tau, D, c):.4g}); in that regime the alpha -> 0 "
            "behaviour of the floor is out of reach of a short run (see C23: bias b ~ 1 at "
            "K = 16000), so the claim is checked where Tiki-Taka's floor is resolved",
        },
        "floor / alpha": {
            "tiki_taka": [e.mean / a for e, a in zip(tt, alphas)],
            "reading": "Tiki-Taka's floor is nearly proportional to alpha (b^2 ~ beta, time_scales); "
            "floor/alpha grows slowly as alpha falls (an alpha^(3/2) correction), which "
            "biases the straight-line intercept slightly upward",
        },
    }
    return combined_result(
        "C24a",
        "upper",
        [case],
        [control_case],
        wrong_statement=f"Tiki-Taka's alpha -> 0 floor is at least {2 * tolerance.value:g} x Analog SGD's",
        margin="twice the threshold (2 x 5% of Analog SGD's alpha -> 0 floor), as a lower bound",
        details=details,
        supports=f"Tiki-Taka's alpha -> 0 floor / Analog SGD's = {case.estimate.mean:.4g}",
    )


@claim(
    "C24b",
    "Theorem 3: Tiki-Taka's rate matches the O(sqrt(sigma^2 L/K)) lower bound up to constants",
    "Thm 4 (v1) and Table 1",
    "upper",
    model=_THEOREM3_MODEL,
    depends="the reading of O(.) as asymptotic: a finite-K slope decides only in the linearised regime (C23_REGIME)",
    quantity="log-log slope of avg E||grad f(W_k)||^2 in K at Theorem 3's step sizes vs -0.5 (the O(1/sqrt K) rate)",
)
def check_c24b(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """C24b: "matches the lower bound up to constants" is an upper bound O(K^-1/2) on the rate (the lower bound
    says no algorithm does better), so it is C23's measurement and rule, on runs of its own (C24's seed)."""
    return _rate_result("C24b", _rate_measurement(profile, seed, offset=20))


# ---------------------------------------------------------------------------------------------
# C25: P_max^2/tau^2 << W_max^2/tau^2 in practice
# ---------------------------------------------------------------------------------------------
#: practice-like: D = 4, Rademacher noise s = 0.5 (bounded, so Theorem 1 keeps ||P||, ||W|| <= tau:
#: beta (max|g| + s) = 0.08 x 2.5 <= tau), W_0 = 0 as in the paper's experiments, W* of C24
C25 = {"D": 4, "L": 1.0, "tau": 1.0, "sigma": 1.0, "W*": (0.5, -0.4, 0.6, -0.3), "alpha": 0.01, "steps": 2000}


def _ratio_estimate(p_sup: Estimate, w_sup: Estimate, tau: float, level: float) -> Estimate:
    """(sup_k E||P_k||_inf^2)/(sup_k E||W_k||_inf^2) with a conservative interval: the denominator lies
    between (sup_k E||W_k||_inf)^2 (Jensen; its lower confidence end) and tau^2 (Theorem 1)."""
    low_w = max(w_sup.low, 0.0)
    high = p_sup.high / low_w**2 if low_w > 0 else math.inf
    return Estimate(
        mean=p_sup.mean / w_sup.mean**2,
        low=p_sup.low / tau**2,
        high=high,
        n=p_sup.n,
        level=level,
        method="ratio of simultaneous maxima over steps; point value over (sup_k E||W_k||_inf)^2, "
        "interval from the denominator's range [(lower end of sup_k E||W_k||_inf)^2, tau^2]",
    )


def _c25_run(problem, noise, tau, alpha, beta, steps, profile, run_seed):
    result = simulate(
        problem,
        TikiTaka(AsymmetricLinearDevice(tau=tau), alpha=alpha, beta=beta),
        noise.engine_noise,
        steps=steps,
        chains=profile.chains,
        seed=run_seed,
        chains_per_block=BLOCK,
    )
    p_sup, k_p = sup_over_steps(result, "p_inf_sq", profile.level, families=4)
    w_sup, k_w = sup_over_steps(result, "w_inf", profile.level, families=4)
    late = max(1, steps // 2)
    p_late, _ = sup_over_steps(result, "p_inf_sq", profile.level, families=4, start=late)
    ratio = _ratio_estimate(p_sup, w_sup, tau, profile.level)
    late_ratio = _ratio_estimate(p_late, w_sup, tau, profile.level)
    record = {
        "alpha": alpha,
        "beta": beta,
        "steps": steps,
        "chains": profile.chains,
        "seed": seed_record(run_seed),
        "sup_k E||P_k||_inf^2 / tau^2": p_sup.mean / tau**2,
        "P interval": [p_sup.low, p_sup.high],
        "at step": k_p,
        "sup_k E||W_k||_inf": w_sup.mean,
        "W interval": [w_sup.low, w_sup.high],
        "W at step": k_w,
        "ratio sup E||P||^2/(sup E||W||)^2": ratio.mean,
        "ratio interval": [ratio.low, ratio.high],
        f"sup over k >= {late} of E||P_k||_inf^2 / tau^2": p_late.mean / tau**2,
        "late ratio": late_ratio.mean,
        "late ratio interval": [late_ratio.low, late_ratio.high],
    }
    return ratio, late_ratio, record


@claim(
    "C25",
    "In practice P_max^2/tau^2 << W_max^2/tau^2 (P_k -> 0 while W_k does not), so Tiki-Taka's rate "
    "factor is milder than Analog SGD's",
    "Section 4 (v1), after Thm 4",
    "upper",
    model="dynamic (TT) with beta = 8 alpha L on asymmetric linear devices, the toolkit's engine: a practice-like "
    "run (D = 4, Rademacher noise, W_0 = 0) and Theorem 3's regime (C23's instance); P_max^2 and W_max^2 measured "
    "as sup_k E||P_k||_inf^2 and sup_k E||W_k||_inf^2, Monte Carlo with simultaneous intervals",
    tolerance=Tolerance(
        1 / 33,
        "'<< ..., so Tiki-Taka's rate factor is milder': the factors are 1/(1 - 33 P_max^2/tau^2) (Thm 3) and "
        "1/(1 - W_max^2/tau^2) (Thm 2), so 'milder' needs P_max^2/W_max^2 < 1/33 (re-fixed from this wording; "
        "the former 0.1 was chosen after seeing the data)",
        "threshold",
    ),
    depends="the reading of 'in practice' (a practice-like run with W_0 = 0 and noise comparable to the "
    "gradient) and of sup_k E||.||^2 for P_max^2, W_max^2",
    quantity="sup_k E||P_k||_inf^2 / (sup_k E||W_k||_inf)^2 in a practice-like run vs 1/33 (the threshold)",
)
def check_c25(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """C25: the ratio (sup_k E||P_k||_inf^2)/(sup_k E||W_k||_inf^2) of a practice-like run against the registered
    threshold 1/33 (upper). Control: for a confirmation, the threshold halved; for a refutation, the corrected
    statement "the ratio is below 1/33 in Theorem 3's regime (noise large against the gradient)", decided by the
    same rule on C23's instance."""
    threshold = tolerance_of("C25").value
    D, L, tau, sigma = C25["D"], C25["L"], C25["tau"], C25["sigma"]
    noise = NoiseSetting("rademacher", D, sigma)
    problem = QuadraticProblem(
        hessian=L * np.eye(D), w_star=np.array(C25["W*"]), w0=np.zeros(D), name="quadratic, W* away from 0, W_0 = 0"
    )
    alpha = C25["alpha"]
    beta = T.beta_statement(alpha, L)
    ratio, late_ratio, practice = _c25_run(
        problem, noise, tau, alpha, beta, profile.steps(C25["steps"]), profile, child_seed(seed, 0)
    )
    # Theorem 3's own regime (C23's instance at K = 4000), for comparison
    D3, L3, tau3, sigma3, noise3, c3 = _c23_parameters()
    K3 = profile.steps(4000)
    alpha3 = 1.0 / math.sqrt(sigma3**2 * K3)
    problem3 = QuadraticProblem(hessian=L3 * np.eye(D3), w_star=np.full(D3, C23["w_star"]), w0=np.full(D3, C23["w0"]))
    ratio3, _, regime = _c25_run(
        problem3, noise3, tau3, alpha3, T.beta_statement(alpha3, L3), K3, profile, child_seed(seed, 1)
    )
    c = noise.c
    details = {
        "definition": f"P_max^2 and W_max^2 measured as sup_k E||P_k||_inf^2 and sup_k E||W_k||_inf^2 over the whole "
        f"run (the quantities Lemma 7 and A4 bound for all k); '<<' means a ratio below "
        f"{threshold:.4g} = 1/33 (the registered threshold)",
        "practice": {
            "D": D,
            "L": L,
            "tau": tau,
            "sigma": sigma,
            "noise": "Rademacher",
            "W*": list(C25["W*"]),
            "W_0": 0.0,
            "P_max^2/tau^2 of Lemma 7": T.p_max_sq(L, tau, D, sigma, c) / tau**2,
            "33 P_max^2/tau^2": T.saturation_ratio(L, tau, D, sigma, c),
            **practice,
        },
        "theorem_regime (C23 instance, 33 P_max^2/tau^2 = 1/2)": regime,
        "reading": (
            "P tracks C grad f with C = tau/E|eps_i|, so early on, while ||grad f|| is not small against the "
            "noise, ||P_k||_inf approaches tau whatever alpha is; P_k -> 0 holds only later (late ratio, "
            "proportional to beta). With noise large against the gradient (Theorem 3's regime) P stays small."
        ),
    }
    return combined_result(
        "C25",
        "upper",
        [Case("practice-like run", ratio, threshold, "upper")],
        [Case("practice-like run", ratio, threshold / 2, "upper")],
        wrong_statement=f"P_max^2/tau^2 <= {threshold / 2:.4g} W_max^2/tau^2 (half the threshold)",
        margin="the threshold 1/33 halved",
        corrected_cases=[Case("Theorem 3's regime (C23 instance)", ratio3, threshold, "upper")],
        corrected_statement="P_max^2/tau^2 < W_max^2/(33 tau^2) holds in Theorem 3's regime (noise large against "
        "the gradient, 33 P_max^2/tau^2 < 1), not in a practice-like run where P tracks a gradient comparable to "
        "the noise",
        details=details,
        supports=f"sup_k E||P_k||_inf^2 / (sup_k E||W_k||_inf)^2 = {ratio.mean:.3g}, interval "
        f"[{ratio.low:.3g}, {ratio.high:.3g}] (late window: {late_ratio.mean:.3g}; "
        f"Theorem 3's regime: {ratio3.mean:.3g})",
    )


# ---------------------------------------------------------------------------------------------
# C26, C27: Lemmas 5 and 6, exact Rademacher expectations from random states
# ---------------------------------------------------------------------------------------------
C26_STATES = 1500
#: rounding: both sides are sums of at most a few dozen float64 terms no larger than the right side
RTOL_EXACT = 1e-12


def _lemma5_pair(state: LemmaState) -> tuple[float, float, bool]:
    """(exact E||P_{k+2} - C grad f(W_{k+1})||^2, right side of (102), applicable)."""
    D, tau, sigma, L = state.D, state.tau, state.sigma, state.L
    beta = state.beta_frac * tau * math.sqrt(D) / sigma  # contraction factor 1 - beta sigma/(tau sqrt D) >= 0
    C = tau * math.sqrt(D) / sigma
    W_next = state.W_next
    g0, g1 = state.gradient(state.W), state.gradient(W_next)
    outcomes = rademacher_one_step(state.P, g1, beta, tau, sigma / math.sqrt(D))
    lhs = float(np.mean(np.sum((outcomes - C * g1) ** 2, axis=1)))
    bound = T.lemma5_step(
        float(np.sum((state.P - C * g0) ** 2)),
        float(np.sum((W_next - state.W) ** 2)),
        float(state.P @ state.P),
        float(np.max(state.P**2)),
        float(g0 @ g0),
        beta,
        L,
        tau,
        D,
        sigma,
    )
    return lhs, bound.value, bound.applicable


def _lemma6_pair(state: LemmaState) -> tuple[float, float, bool]:
    """(exact E||P_{k+2}||^2, right side of Lemma 6, applicable), beta inside (111), c = 1/sqrt(D)."""
    D, tau, sigma, L = state.D, state.tau, state.sigma, state.L
    c = T.c_max(D)  # Rademacher: c = 1/sqrt(D) exactly
    beta = state.beta_frac * min(cond.rhs for cond in T.lemma6_conditions(1.0, L, tau, sigma, c))
    W_next = state.W_next
    g0, g1 = state.gradient(state.W), state.gradient(W_next)
    outcomes = rademacher_one_step(state.P, g1, beta, tau, sigma / math.sqrt(D))
    lhs = float(np.mean(np.sum(outcomes**2, axis=1)))
    bound = T.lemma6_step(
        float(state.P @ state.P), float(g0 @ g0), float(np.sum((W_next - state.W) ** 2)), beta, L, tau, D, sigma, c
    )
    return lhs, bound.value, bound.applicable


def _targeted_states() -> list[LemmaState]:
    """Hand-picked corners: a critical point with P = tau 1; W at the edge of A4; beta at its maximum."""
    out = []
    for D, tau, sigma, L in ((1, 1.0, 1.0, 1.0), (3, 1.0, 0.1, 0.1), (5, 2.0, 10.0, 1.0)):
        W = np.full(D, 0.99 * tau)
        out.append(LemmaState(D, L, tau, sigma, L * np.eye(D), W, W.copy(), np.full(D, tau), 1e-3, 1.0))
        out.append(LemmaState(D, L, tau, sigma, L * np.eye(D), -W, W.copy(), np.full(D, -tau), 1e-3, 1.0))
        out.append(LemmaState(D, L, tau, sigma, L * np.eye(D), np.zeros(D), W.copy(), np.zeros(D), 1e-4, 1e-3))
    return out


def _exact_lemma_check(claim_id, pair, profile, seed, lemma, source_note):
    rng = np.random.default_rng(child_seed(seed, 0))
    states = _targeted_states() + random_lemma_states(rng, profile.steps(C26_STATES))
    worst, worst_state, violations, control_violations, skipped = 0.0, None, 0, 0, 0
    for state in states:
        lhs, rhs, applicable = pair(state)
        if not applicable:
            skipped += 1
            continue
        ratio = lhs / rhs if rhs > 0 else (math.inf if lhs > 0 else 0.0)
        if ratio > worst:
            worst, worst_state = ratio, state
        violations += lhs > rhs * (1 + RTOL_EXACT) + 1e-300
        control_violations += lhs > 0.5 * rhs * (1 + RTOL_EXACT) + 1e-300
    checked = len(states) - skipped
    details = {
        "method": "exact expectation over the 2^D Rademacher sign patterns (c = 1/sqrt(D) exactly), "
        f"{lemma}; states: 9 targeted + {len(states) - 9} random (random_lemma_states)",
        "states_checked": checked,
        "states_not_applicable": skipped,
        "violations": violations,
        "largest lhs/rhs": worst,
        "at": worst_state.describe() if worst_state else None,
        "control_violations (rhs/2)": control_violations,
        "rounding_tolerance": RTOL_EXACT,
        "seed": seed_record(child_seed(seed, 0)),
        "note": source_note,
    }
    return exact_result(
        claim_id,
        "upper",
        violations == 0,
        control_holds=control_violations == 0,
        wrong_statement=f"{lemma} with its right side halved",
        margin=f"the right side x 1/2 (the largest exact lhs/rhs found is {worst:.4g})",
        details=details,
        supports=f"{violations} of {checked} exact states violate it; largest lhs/rhs = {worst:.4g}",
        empirical=worst,
        theoretical=1.0,
    )


@claim(
    "C26",
    "Lemma 5: E||P_{k+2} - (tau sqrt D/sigma) grad f(W_{k+1})||^2 <= (1 - beta sigma/(tau sqrt D)) "
    "||P_{k+1} - (tau sqrt D/sigma) grad f(W_k)||^2 + the listed error terms (102)",
    "Lemma 5 (v1), eq. 102",
    "upper",
    model="exact expectation over all 2^D Rademacher sign patterns of one (TT-P) step (float64), at 9 targeted "
    "and 1500 random states (random_lemma_states)",
    quantity="largest exact lhs/rhs of Lemma 5 (102) over the targeted and random states vs 1 (the bound)",
)
def check_c26(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    return _exact_lemma_check(
        "C26",
        _lemma5_pair,
        profile,
        seed,
        "Lemma 5 (102)",
        "beta = beta_frac tau sqrt(D)/sigma (non-negative contraction); empirical = largest "
        "ratio of the exact left side to the right side (1 = tight)",
    )


@claim(
    "C27",
    "Lemma 6: under (111), E||P_{k+2}||^2 <= (1 - beta c sigma/(2 tau)) ||P_{k+1}||^2 "
    "+ 4 beta tau/(c sigma) ||grad f(W_k)||^2 + 4 L^2 beta tau/(c sigma) ||W_{k+1} - W_k||^2 "
    "+ 3 beta^2 sigma^2",
    "Lemma 6 (v1), (111)",
    "upper",
    model="exact expectation over all 2^D Rademacher sign patterns of one (TT-P) step (float64), at 9 targeted "
    "and 1500 random states (random_lemma_states)",
    quantity="largest exact lhs/rhs of Lemma 6 over the targeted and random states vs 1 (the bound)",
)
def check_c27(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    return _exact_lemma_check(
        "C27",
        _lemma6_pair,
        profile,
        seed,
        "Lemma 6",
        "beta = beta_frac x the (111) limit; empirical = largest ratio of the exact left side "
        "to the right side (1 = tight)",
    )


# ---------------------------------------------------------------------------------------------
# C28: Lemma 8, the descent inequality (128)
# ---------------------------------------------------------------------------------------------
#: the exact side's counterexample (tests/test_tiki_taka_bounds.py): sigma w^2/(tau^3 sqrt D) = 1.62
C28_COUNTEREXAMPLE = {"D": 1, "L": 1.0, "tau": 1.0, "sigma": 2.0, "alpha": 0.01, "w": 0.9, "p": 0.5}


def _lemma8_args(state: LemmaState):
    W_next = state.W_next
    C = state.tau * math.sqrt(state.D) / state.sigma
    grad = state.gradient(state.W)
    return (
        state.f_gap(state.W),
        float(grad @ grad),
        float(np.sum((W_next - state.W) ** 2)),
        float(np.sum((state.P - C * grad) ** 2)),
        float(state.P @ state.P),
    ), state.f_gap(W_next)


def _lemma8_instance(D, L, tau, sigma, alpha, w, p) -> LemmaState:
    """W = w 1, P = p 1, f = L/2 ||W - W*||^2 with W* where (128)'s slack is smallest (derived in
    bounds.tiki_taka.derive_lemma8_slack: P - C grad f = |P| (.) W/tau)."""
    C = tau * math.sqrt(D) / sigma
    g = (p - abs(p) * w / tau) / C
    W = np.full(D, w)
    return LemmaState(D, L, tau, sigma, L * np.eye(D), W, W - g / L, np.full(D, p), alpha, 1.0)


@claim(
    "C28",
    "Lemma 8: f(W_{k+1}) <= f(W_k) - (alpha tau sqrt D/(2 sigma)) ||grad f(W_k)||^2 - (sigma/(2 alpha tau "
    "sqrt D) - L/2) ||W_{k+1} - W_k||^2 + (alpha sigma/(tau sqrt D)) ||P_{k+1} - (tau sqrt D/sigma) grad "
    "f(W_k)||^2 + alpha ||P_{k+1}||^2",
    "Lemma 8 (v1), eq. 128",
    "upper",
    model="exact float64 evaluation of the deterministic (TT-W) step at 1500 random states and at the exact side's "
    "counterexample (bounds.tiki_taka.lemma8_step, lemma8_step_derived)",
    quantity="f(W_{k+1}) - f* at the exact side's counterexample vs the right side of (128) there",
)
def check_c28(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    cx = C28_COUNTEREXAMPLE
    state = _lemma8_instance(cx["D"], cx["L"], cx["tau"], cx["sigma"], cx["alpha"], cx["w"], cx["p"])
    args, f_next = _lemma8_args(state)
    stated = T.lemma8_step(*args, cx["alpha"], cx["L"], cx["tau"], cx["D"], cx["sigma"])
    derived = T.lemma8_step_derived(*args, cx["alpha"], cx["L"], cx["tau"], cx["D"], cx["sigma"], w_inf=abs(cx["w"]))
    consistent = all(cond.holds for cond in stated.conditions[:2])  # A1 + A2 and (TT-W) input consistency
    # random states: (128) and the derived form, deterministic (no expectation)
    rng = np.random.default_rng(child_seed(seed, 0))
    states = random_lemma_states(rng, profile.steps(C26_STATES))
    violations, predicted, derived_violations, worst = 0, 0, 0, 0.0
    for s in states:
        a, fn = _lemma8_args(s)
        rhs = T.lemma8_step(*a, s.alpha, s.L, s.tau, s.D, s.sigma).value
        w_inf = float(np.max(np.abs(s.W)))
        rhs_derived = T.lemma8_step_derived(*a, s.alpha, s.L, s.tau, s.D, s.sigma, w_inf=w_inf).value
        scale = max(abs(rhs), a[0], fn, 1e-300)
        if fn > rhs + RTOL_EXACT * scale:
            violations += 1
            worst = max(worst, (fn - rhs) / scale)
            predicted += s.sigma * w_inf**2 > s.tau**3 * math.sqrt(s.D)
        derived_violations += fn > rhs_derived + RTOL_EXACT * scale
    threshold = cx["sigma"] * cx["w"] ** 2 / (cx["tau"] ** 3 * math.sqrt(cx["D"]))
    # negative control: the derived (tight) form with its ||P||^2 term halved, at the same instance
    halved = T.lemma8_step_derived(
        args[0],
        args[1],
        args[2],
        args[3],
        args[4] / 2,
        cx["alpha"],
        cx["L"],
        cx["tau"],
        cx["D"],
        cx["sigma"],
        w_inf=abs(cx["w"]),
    ).value
    holds = f_next <= stated.value and violations == 0
    details = {
        "counterexample": {
            **cx,
            "A4": f"||W_k||_inf = {cx['w']} < tau = {cx['tau']}",
            "inputs_consistent": consistent,
            "sigma ||W_k||_inf^2/(tau^3 sqrt D)": threshold,
            "f(W_{k+1}) - f*": f_next,
            "(128) right side": stated.value,
            "derived right side (tight)": derived.value,
            "min slack over grad f (bounds.tiki_taka.lemma8_min_slack)": T.lemma8_min_slack(
                cx["p"], cx["w"], cx["alpha"], cx["tau"], cx["D"], cx["sigma"]
            ),
        },
        "random_states": {
            "checked": len(states),
            "violations of (128)": violations,
            "violations with sigma ||W_k||_inf^2 > tau^3 sqrt D": predicted,
            "largest violation / scale": worst,
            "violations of the derived form": derived_violations,
            "seed": seed_record(child_seed(seed, 0)),
        },
    }
    derived_holds = f_next <= derived.value + RTOL_EXACT * max(abs(derived.value), f_next) and derived_violations == 0
    return exact_result(
        "C28",
        "upper",
        holds,
        control_holds=f_next <= halved,
        wrong_statement="the derived form with its (alpha sigma/(tau sqrt D))(||W||_inf^2/tau^2)||P||^2 term halved",
        margin="the derived form's ||P_{k+1}||^2 term x 1/2, at the counterexample",
        corrected_holds=derived_holds,
        corrected_statement="(128) with alpha ||P_{k+1}||^2 replaced by (alpha sigma/(tau sqrt D)) "
        "(||W_k||_inf^2/tau^2) ||P_{k+1}||^2 (bounds.tiki_taka.lemma8_step_derived), at the counterexample and "
        "at every random state",
        details=details,
        supports="(128) with alpha ||P_{k+1}||^2 replaced by (alpha sigma/(tau sqrt D)) "
        "(||W_k||_inf^2/tau^2) ||P_{k+1}||^2 (bounds.tiki_taka.lemma8_step_derived: tight, "
        f"{derived_violations} violations in {len(states)} states); (128) as printed holds "
        "whenever sigma ||W_k||_inf^2 <= tau^3 sqrt(D)",
        empirical=f_next,
        theoretical=stated.value,
    )
