r"""2502.06309's response-function model and implicit penalty: R1-R5, R8, R11-R16.

The devices, F, G, R = G/F, R_c, the symmetric point, the box extrema, Definition 1 and the implicit penalty come
from :mod:`bounds.devices` and :mod:`bounds.response`; nothing is retyped here except the paper's printed
formulas that the checks compare against.

* Exact claims (R1-R5, R8, R11-R13) are proved with sympy (``cancel(expand(lhs - rhs)) == 0``, via
  :func:`verify.claims.checks.devices.check_identity`) or refuted by a value at an exact point; their control is
  the nearest wrong statement (a sign, a factor or an end moved), which the same procedure must refute.
* R14a (Monte Carlo): Analog SGD (2) on ``f = (L/2)(w - w*)^2`` for three devices of the paper (power and
  exponential responses with gamma_res = 2, the linear response with c_Lin = 0.3) x two noise laws (Gaussian,
  Rademacher): the long-run mean of w at alpha = 0.04, 0.02, 0.01 (chains started at the predicted point, a
  burn-in of ``RELAX`` relaxation times, a window of ``LENGTH``), extrapolated to alpha -> 0 by a weighted line,
  against the exact stationary point (a) of :func:`bounds.response.stationary_point` (the root of the expected
  update T of (46)).
* R14b (Monte Carlo, own runs): the same extrapolated mean against W_S of (50) as printed, with the tolerance
  O((W_diamond - W*)^2) read with a unit constant; its intended statement (plus signs, Ambiguity 13) is the
  control.
* R14c, R15 (exact, mpmath at 30 digits): the orders in d = W* - W_diamond of |W_S - w_inf| (printed and
  derived), ||grad f_Sigma(W_S)||, T(W_S), T(W*), T(W_diamond), as log-log slopes over d/tau = 0.2 ... 0.025.
* R16 (exact): the alpha -> 0 floor ||grad f(w_inf)||^2 as the noise scale and |W* - W_diamond| grow.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import mpmath
import numpy as np
import sympy as sp

from bounds import symbols as S
from bounds.devices import (
    C_LIN,
    AsymmetricLinearDevice,
    ExponentialResponseDevice,
    LinearResponseDevice,
    PowerResponseDevice,
    SoftBoundsDevice,
    define_device,
)
from bounds.drift import PRINTED, analog_sgd_drift_expression
from bounds.noise_laws import GaussianLaw, RademacherLaw, ZeroMeanLaw, expectation
from bounds.response import (
    LINEARISED,
    R_PRIME,
    accumulated_asymmetry,
    box_extrema,
    definition1,
    effective_update,
    implicit_penalty,
    penalised_gradient,
    response_expressions,
    stationary_point,
    symmetric_point,
)

from ...sim.dynamics import AnalogSGD
from ...sim.noise import GaussianNoise, RademacherNoise
from ...sim.problems import scalar_quadratic
from ...sim.seeds import child_seed
from ...sim.stats import fit_estimates
from ..registry import Profile, claim, tolerance_of
from ..results import ClaimResult, case_level, combined_result, exact_result, fitted_case
from ..verdicts import Tolerance
from .asymptotics import stationary_estimates
from .devices import check_identity, identity_outcome

__all__ = ["MC_CASES", "ALPHAS", "AnalogSGDMean", "GenericResponse", "R1_FAMILIES", "long_run_means", "order_slopes"]

SYMBOLIC = "symbolic (sympy) on bounds.devices / bounds.response expressions; counterexamples at exact points"
_THM5 = "2502.06309 Thm 5 (46)-(50), App. G"

#: sample points for counterexamples (by symbol name): inside every range used below
POINTS = (
    {"w": sp.Rational(1, 3), "tau": sp.Rational(3, 2), "c_Lin": sp.Rational(3, 10), "gamma_res": sp.Integer(2),
     "d": sp.Rational(1, 7), "alpha": sp.Rational(1, 10), "w_sp": sp.Rational(1, 5), "tau_max": sp.Integer(2),
     "tau_min": sp.Integer(-1)},
    {"w": sp.Rational(-1, 4), "tau": sp.Integer(1), "c_Lin": sp.Rational(-1, 5), "gamma_res": sp.Rational(1, 2),
     "d": sp.Rational(3, 5), "alpha": sp.Rational(1, 3), "w_sp": sp.Rational(-1, 2), "tau_max": sp.Rational(5, 2),
     "tau_min": sp.Rational(-3, 2)},
)  # fmt: skip

#: Monte Carlo cases of R14a/R14b: (name, device, law kind); L = 1, tau = 1, W* = W_diamond + D_MC, s = S_MC
MC_DEVICES = (
    ("power gamma_res=2", PowerResponseDevice(tau=1.0, gamma=2.0)),
    ("exponential gamma_res=2", ExponentialResponseDevice(tau=1.0, gamma=2.0)),
    ("linear c_Lin=0.3", LinearResponseDevice(tau=1.0, c_lin=0.3)),
)
MC_LAWS = ("gaussian", "rademacher")
MC_CASES = tuple((f"{name}, {kind}", dev, kind) for name, dev in MC_DEVICES for kind in MC_LAWS)
L_MC, D_MC, S_MC = 1.0, 0.3, 0.3
ALPHAS = (0.04, 0.02, 0.01)
RELAX, LENGTH = 5.0, 20.0
"""Burn-in and window in relaxation times 1/(alpha |b'(w_inf)|) (as P1): the start is off the stationary mean by
O(alpha), exp(-5) of that is left; 20 relaxation times give ~10 effectively independent values per chain."""
#: the d/tau of the order sweeps (R14c, R15)
D_SWEEP = (0.2, 0.1, 0.05, 0.025)


def _law_and_noise(kind: str, s: float):
    if kind == "gaussian":
        return GaussianLaw(s=s), GaussianNoise(s)
    return RademacherLaw(s=s), RademacherNoise(s)


@dataclass(frozen=True)
class AnalogSGDMean(AnalogSGD):
    """Analog SGD (2) that also records the weight itself (D = 1), for the long-run mean of w."""

    observables: ClassVar = {"w": "W_k (one coordinate)"}

    def observe(self, state, name, out, rng):
        out[:] = state["W"][:, 0]


# ---------------------------------------------------------------------------------------------------------
# R1: the compact form (5) reproduces (3) for any response functions
# ---------------------------------------------------------------------------------------------------------
_d_nonneg = sp.Symbol("d", nonnegative=True)
_d_pos = sp.Symbol("d", positive=True)

#: any q+, q- (undefined functions) on [tau_min, tau_max]: made with the one-definition factory
GenericResponse = define_device(
    "GenericResponse",
    sp.Function("q_p")(S.w),
    sp.Function("q_m")(S.w),
    {"tau_min": S.tau_min, "tau_max": S.tau_max},
    S.tau_min,
    S.tau_max,
    doc="Arbitrary response functions q_p(w), q_m(w) (symbolic use only).",
)
R1_FAMILIES = {
    "generic q+, q-": GenericResponse,
    "linear c_Lin (§1)": LinearResponseDevice,
    "power (144)": PowerResponseDevice,
    "exponential (145)": ExponentialResponseDevice,
    "ALD [21]": AsymmetricLinearDevice,
    "soft bounds": SoftBoundsDevice,
}


def _compact_checks(sign_g: int) -> list[dict]:
    """``w + dw F - sign_g |dw| G`` against (3) on both branches, for every family of :data:`R1_FAMILIES`."""
    out = []
    for name, cls in R1_FAMILIES.items():
        e = response_expressions(cls)
        for dw, q, branch in ((_d_nonneg, e.q_plus, "dw >= 0"), (-_d_pos, e.q_minus, "dw < 0")):
            form = S.w + dw * e.F - sign_g * sp.Abs(dw) * e.G
            out.append(check_identity(form, S.w + dw * q, f"{name}, {branch}", POINTS))
    return out


def _identity_result(claim_id, relation, checks, wrong, *, wrong_statement, margin, details) -> ClaimResult:
    outcome, control_outcome = identity_outcome(checks), identity_outcome(wrong)
    details = dict(details, proofs=checks, control_proofs=wrong)
    return exact_result(
        claim_id,
        relation,
        outcome == "proved",
        control_holds=control_outcome == "proved",
        wrong_statement=wrong_statement,
        margin=margin,
        details=details,
    )


@claim(
    "R1",
    "The analog update U_q(w, dw) = w + dw F(w) - |dw| G(w), F = (q- + q+)/2, G = (q- - q+)/2 (5), equals the "
    "pulse-response definition (3) for every w and dw",
    "2502.06309 §2 (3)-(5)",
    "identity",
    model=SYMBOLIC,
    quantity="none (sympy proof on both branches for generic q+, q- and each device family) vs none",
)
def check_r1(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R1: (5) against (3), generic q+-, and the families of the paper (each made by one definition)."""
    return _identity_result(
        "R1",
        "identity",
        _compact_checks(+1),
        _compact_checks(-1),
        wrong_statement="w + dw F + |dw| G (the G term's sign flipped)",
        margin="the asymmetric term's sign",
        details={"families": list(R1_FAMILIES)},
    )


# ---------------------------------------------------------------------------------------------------------
# R2: the linear device with bias c_Lin
# ---------------------------------------------------------------------------------------------------------
@claim(
    "R2",
    "For q+ = (1 + c_Lin)(1 - w/tau), q- = (1 - c_Lin)(1 + w/tau) the symmetric point is w_diamond = c_Lin tau, "
    "and G(0) = -c_Lin != 0 for c_Lin != 0",
    "2502.06309 §1 (Figure 2), §4 (L520)",
    "identity",
    model=SYMBOLIC,
    quantity="none (sympy: the roots of G and G(0)) vs none",
)
def check_r2(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R2: solve G = 0 symbolically (one root, c_Lin tau, inside (-tau, tau) for |c_Lin| < 1); G(0) = -c_Lin."""
    e = response_expressions(LinearResponseDevice)
    roots = sp.solve(sp.Eq(e.G, 0), S.w)
    checks = [
        {"what": "number of roots of G", "outcome": "proved" if len(roots) == 1 else "counterexample"},
        check_identity(roots[0] if roots else sp.nan, C_LIN * S.tau, "root of G = c_Lin tau", POINTS),
        check_identity(e.G.subs(S.w, 0), -C_LIN, "G(0) = -c_Lin", POINTS),
    ]
    wrong = [check_identity(roots[0] if roots else sp.nan, -C_LIN * S.tau, "root of G = -c_Lin tau", POINTS)]
    numeric = {c: symmetric_point(LinearResponseDevice(1.0, c)) for c in (-0.3, 0.1, 0.3)}
    checks.append(
        {
            "what": "numeric solver (bounds.response.symmetric_point) at tau = 1",
            "outcome": "proved" if all(abs(v - c) <= 1e-12 for c, v in numeric.items()) else "counterexample",
        }
    )
    return _identity_result(
        "R2",
        "identity",
        checks,
        wrong,
        wrong_statement="w_diamond = -c_Lin tau",
        margin="the symmetric point's sign",
        details={"roots": [str(r) for r in roots], "G": str(e.G), "numeric": {str(k): v for k, v in numeric.items()}},
    )


# ---------------------------------------------------------------------------------------------------------
# R3: the ALD's F, G, F_max and R_min
# ---------------------------------------------------------------------------------------------------------
@claim(
    "R3",
    "For the ALD (q+ = 1 - w/tau, q- = 1 + w/tau): F = 1, G = w/tau, F_max = 1, min q+ q- = 1 - ||W||_inf^2/tau^2, "
    "so R_min^ASGD = 1 - W_max^2/tau^2 over ||W||_inf <= W_max",
    "2502.06309 App. B (16)-(18)",
    "identity",
    model=SYMBOLIC + "; box extrema (bounds.response.box_extrema) at several tau, W_max",
    quantity="none (sympy proof and the box minimum at 12 digits) vs none",
)
def check_r3(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R3: the expressions of the c_Lin = 0 device; q+ q- - (1 - W_max^2/tau^2) = (W_max^2 - w^2)/tau^2 >= 0 on the
    box with equality at w = W_max; box_extrema agrees at 12 digits."""
    e = response_expressions(LinearResponseDevice)
    ald = {C_LIN: 0}
    checks = [
        check_identity(e.F.subs(ald), sp.Integer(1), "F = 1", POINTS),
        check_identity(e.G.subs(ald), S.w / S.tau, "G = w/tau", POINTS),
        check_identity(e.saturation.subs(ald), 1 - S.w**2 / S.tau**2, "q+ q- = 1 - w^2/tau^2", POINTS),
    ]
    boxes = [(tau, wmax) for tau in (0.5, 1.0, 3.5) for wmax in (0.1, 0.5, 0.9)]
    box = []
    for tau, frac in boxes:
        b = box_extrema(LinearResponseDevice(tau), -frac * tau, frac * tau)
        box.append({"tau": tau, "W_max": frac * tau, "F_max": b.F_max, "R_min": b.R_min, "printed": 1 - frac**2})
    ok = all(abs(r["F_max"] - 1) <= 1e-12 and abs(r["R_min"] - r["printed"]) <= 1e-12 for r in box)
    checks.append({"what": "box_extrema: F_max = 1 and R_min = 1 - W_max^2/tau^2", "outcome": "proved" if ok else
                   "counterexample"})  # fmt: skip
    wrong_ok = all(abs(r["R_min"] - (1 - r["W_max"] / r["tau"])) <= 1e-12 for r in box)
    wrong = [{"what": "R_min = 1 - W_max/tau", "outcome": "proved" if wrong_ok else "counterexample"}]
    return _identity_result(
        "R3",
        "identity",
        checks,
        wrong,
        wrong_statement="R_min = 1 - W_max/tau (no square)",
        margin="the exponent of W_max/tau",
        details={"boxes": box},
    )


# ---------------------------------------------------------------------------------------------------------
# R4: power and exponential responses: saturation and q(0) = 1
# ---------------------------------------------------------------------------------------------------------
def _end_checks(cls, name: str, ends: dict) -> list[dict]:
    e = response_expressions(cls)
    return [
        check_identity(sp.simplify(getattr(e, part).subs(S.w, at)), value, f"{name}: {part}({at}) = {value}", POINTS)
        for (part, at), value in ends.items()
    ]


@claim(
    "R4",
    "The power (144) and exponential (145) responses satisfy q+(tau) = 0, q-(-tau) = 0 and q+(0) = q-(0) = 1 "
    "(symmetric point 0, range [-tau, tau])",
    "2502.06309 App. K.1 (144)-(145)",
    "identity",
    model=SYMBOLIC + " (symbols tau, gamma_res > 0); Definition 1's saturation at gamma_res in {0.2, 4}",
    quantity="none (sympy proof) vs none",
)
def check_r4(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R4: the four values for both families, symbolically; symmetric point 0 numerically."""
    ends = {("q_plus", S.tau): 0, ("q_minus", -S.tau): 0, ("q_plus", 0): 1, ("q_minus", 0): 1}
    checks = _end_checks(PowerResponseDevice, "power", ends) + _end_checks(ExponentialResponseDevice, "exp", ends)
    points = {}
    for cls in (PowerResponseDevice, ExponentialResponseDevice):
        for gamma in (0.2, 4.0):
            dev = cls(tau=0.7, gamma=gamma)
            points[repr(dev)] = symmetric_point(dev)
            sat = [c for c in definition1(dev).conditions if "saturation" in c.statement]
            checks.append({"what": f"{dev!r}: Definition 1 saturation", "outcome": "proved" if all(c.holds for c in sat)
                           else "counterexample"})  # fmt: skip
    checks.append({"what": "symmetric point 0", "outcome": "proved" if all(abs(v) <= 1e-15 for v in points.values())
                   else "counterexample"})  # fmt: skip
    wrong = _end_checks(PowerResponseDevice, "power", {("q_plus", -S.tau): 0}) + _end_checks(
        ExponentialResponseDevice, "exp", {("q_plus", -S.tau): 0}
    )
    return _identity_result(
        "R4",
        "identity",
        checks,
        wrong,
        wrong_statement="q+(-tau) = 0 (the saturation at the wrong end)",
        margin="the end at which q+ vanishes",
        details={"symmetric_points": points},
    )


# ---------------------------------------------------------------------------------------------------------
# R5: Lemma 2 "a direct property from Definition 1"
# ---------------------------------------------------------------------------------------------------------
def _oscillating_device_evidence() -> dict:
    """A Definition-1 device with unbounded q+': q+- = (1 -+ w/tau)(1 + h(w)/(2 tau^2)), h = w^2 sin(1/w^2), h(0) = 0.

    |h| <= w^2 <= tau^2 keeps 1 + h/(2 tau^2) >= 1/2 (positive-definite), the factors (1 -+ w/tau) give saturation,
    h is differentiable (at 0: |h(w)/w| <= |w|), and h'(w_n) = -2 sqrt(2 pi n) at w_n = (2 pi n)^(-1/2) -> 0."""
    w, n = S.w, sp.Symbol("n", positive=True, integer=True)
    h = w**2 * sp.sin(1 / w**2)
    quotient_limit = sp.limit(h / w, w, 0)
    hp = sp.diff(h, w)
    at_n = sp.simplify(hp.subs(w, 1 / sp.sqrt(2 * sp.pi * n)))
    q_plus = (1 - w / S.tau) * (1 + h / (2 * S.tau**2))
    qp_at_n = sp.simplify(sp.diff(q_plus, w).subs(w, 1 / sp.sqrt(2 * sp.pi * n)))
    return {
        "h": str(h),
        "limit h(w)/w at 0 (h'(0))": str(quotient_limit),
        "h'(w_n)": str(at_n),
        "q+'(w_n)": str(qp_at_n),
        "q+'(w_n) as n -> oo": str(sp.limit(qp_at_n, n, sp.oo)),
        "differentiable": quotient_limit == 0,
        "unbounded": sp.limit(qp_at_n, n, sp.oo) == -sp.oo,
    }


def _derivative_sup(dev, points: int = 4001) -> float:
    """max |q+-'| over a grid of the closed range, from the exact derivative (inf where it is not finite)."""
    e = response_expressions(dev)
    grid = np.linspace(dev.w_min, dev.w_max, points)
    best = 0.0
    for part in (e.q_plus, e.q_minus):
        f = sp.lambdify(S.w, sp.diff(part, S.w), "numpy")
        with np.errstate(all="ignore"):
            v = np.abs(np.broadcast_to(np.asarray(f(grid), float), grid.shape))
        best = max(best, float(np.max(np.where(np.isfinite(v), v, np.inf))))
    return best


@claim(
    "R5",
    "Lemma 2: F is bounded (F_max) and the derivatives of q+ and q- are bounded (L_Q), as a direct property of "
    "Definition 1",
    "2502.06309 App. E Lemma 2, Definition 1",
    "upper",
    model=SYMBOLIC + "; exact derivatives of the paper's devices on their closed ranges",
    intended="Lemma 2 holds for q+ and q- continuously differentiable on the closed range [tau_min, tau_max] (then "
    "F and the derivatives are bounded by compactness); it does for the paper's linear, exponential and power "
    "(gamma_res >= 1) responses",
    quantity="none (a Definition-1 device with unbounded q+'; sup |q'| of the paper's devices) vs none",
)
def check_r5(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R5: Definition 1 asks differentiability only, so L_Q can be infinite (the oscillating device); with C^1
    response functions the bound holds (finite sup |q'| for the paper's C^1 devices). The power response with
    gamma_res = 0.5 (Figure 4, Tables 5-6) fails Definition 1 itself and has sup |q'| = inf."""
    osc = _oscillating_device_evidence()
    counterexample = bool(osc["differentiable"] and osc["unbounded"])
    c1 = [
        LinearResponseDevice(1.0, 0.0),
        LinearResponseDevice(1.0, 0.3),
        ExponentialResponseDevice(1.0, 0.2),
        ExponentialResponseDevice(1.0, 2.0),
        PowerResponseDevice(1.0, 1.0),
        PowerResponseDevice(1.0, 2.0),
        PowerResponseDevice(1.0, 3.0),
    ]
    bounded = {repr(d): {"L_Q": _derivative_sup(d), "F_max": box_extrema(d).F_max} for d in c1}
    corrected_holds = all(np.isfinite(v["L_Q"]) and np.isfinite(v["F_max"]) for v in bounded.values())
    half = PowerResponseDevice(1.0, 0.5)
    details = {
        "oscillating_device": osc,
        "c1_devices": bounded,
        "power_gamma_0.5": {"definition1_fails": list(definition1(half).failed), "L_Q": str(_derivative_sup(half))},
    }
    return exact_result(
        "R5",
        "upper",
        not counterexample,
        control_holds=False,
        wrong_statement="(not used: the claim is refuted)",
        corrected_holds=corrected_holds,
        corrected_statement="Lemma 2 for q+- continuously differentiable on the closed range",
        details=details,
        supports="Definition 1 (differentiable, not C^1) admits q+ = (1 - w/tau)(1 + w^2 sin(1/w^2)/(2 tau^2)) with "
        "q+'(w_n) -> -oo at w_n = (2 pi n)^(-1/2); power gamma_res = 0.5 has sup|q'| = inf (and fails Definition 1)",
    )


# ---------------------------------------------------------------------------------------------------------
# R8: Lemma 1, the weighted norm
# ---------------------------------------------------------------------------------------------------------
@claim(
    "R8",
    "Lemma 1: ||W||_S = ||W (.) sqrt(S)|| and ||W|| sqrt(min S) <= ||W||_S <= ||W|| sqrt(||S||_inf) for S >= 0",
    "2502.06309 App. E Lemma 1",
    "identity",
    model=SYMBOLIC + " (D = 4, S_i = m + t_i = M - u_i with t, u >= 0); 10^4 random vectors in float64",
    quantity="none (sympy proof) vs none",
)
def check_r8(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R8: ||W||_S^2 - min S ||W||^2 = sum t_i W_i^2 and max S ||W||^2 - ||W||_S^2 = sum u_i W_i^2 are sums of
    non-negative terms (sympy decides their sign); a random search confirms, and refutes the control."""
    D = 4
    W = sp.symbols("W1:5", real=True)
    t = sp.symbols("t1:5", nonnegative=True)
    u = sp.symbols("u1:5", nonnegative=True)
    m, M = sp.Symbol("m", nonnegative=True), sp.Symbol("M", nonnegative=True)
    S_low = [m + ti for ti in t]
    S_high = [M - ui for ui in u]
    norm_S = lambda Sv: sum(Sv[i] * W[i] ** 2 for i in range(D))  # noqa: E731
    identity = check_identity(norm_S(S_low), sum((W[i] * sp.sqrt(S_low[i])) ** 2 for i in range(D)), "||W||_S^2 "
                              "= ||W (.) sqrt S||^2", POINTS)  # fmt: skip
    lower = sp.expand(norm_S(S_low) - m * sum(x**2 for x in W))
    upper = sp.expand(M * sum(x**2 for x in W) - norm_S(S_high))
    checks = [
        identity,
        {"what": "||W||_S^2 - min S ||W||^2 >= 0", "expression": str(lower),
         "outcome": "proved" if lower.is_nonnegative else "undecided"},
        {"what": "max S ||W||^2 - ||W||_S^2 >= 0", "expression": str(upper),
         "outcome": "proved" if upper.is_nonnegative else "undecided"},
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    Wn, Sn = rng.normal(size=(10_000, D)), rng.exponential(size=(10_000, D))
    ws = np.sqrt((Sn * Wn**2).sum(1))
    nw = np.linalg.norm(Wn, axis=1)
    slack = 1e-12 * nw * np.sqrt(Sn.max(1))
    random_ok = bool(np.all(nw * np.sqrt(Sn.min(1)) <= ws + slack) and np.all(ws <= nw * np.sqrt(Sn.max(1)) + slack))
    checks.append({"what": "10^4 random (W, S)", "outcome": "proved" if random_ok else "counterexample"})
    wrong_ok = bool(np.all(ws <= nw * np.sqrt(Sn.min(1)) + slack))
    wrong = [{"what": "||W||_S <= ||W|| sqrt(min S) on 10^4 random (W, S)",
              "outcome": "proved" if wrong_ok else "counterexample"}]  # fmt: skip
    return _identity_result(
        "R8",
        "identity",
        checks,
        wrong,
        wrong_statement="||W||_S <= ||W|| sqrt(min S) (the bounds swapped)",
        margin="the side of the bound",
        details={"D": D},
    )


# ---------------------------------------------------------------------------------------------------------
# R11: the drift at a critical point (6)
# ---------------------------------------------------------------------------------------------------------
@claim(
    "R11",
    "At a critical point (E grad f(W; xi) = 0), E[W_{k+1}] - W_k = -alpha E|grad f(W_k; xi_k)| (.) G(W_k) (6): a "
    "drift toward the symmetric point when G is increasing (q+ decreasing, q- increasing)",
    "2502.06309 §3.1 (6), footnote 2",
    "identity",
    model=SYMBOLIC + " (any zero-mean law, generic q+-); G' on the ranges of the paper's devices (grid, exact "
    "derivative)",
    quantity="none (sympy proof of (6); the sign of G' on each range) vs none",
)
def check_r11(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R11: E[U(w, -alpha eps)] - w = -alpha E|eps| G(w) for generic q+- (bounds.noise_laws.expectation with a
    symbolic zero-mean law); min G' > 0 on the range of each paper device, so the drift points to w_diamond.
    Control: footnote 2 as printed ("G strictly monotonically decreasing") must be refuted."""
    law = ZeroMeanLaw()
    checks = []
    for name, cls in (
        ("generic", GenericResponse),
        ("power", PowerResponseDevice),
        ("linear c_Lin", LinearResponseDevice),
    ):
        step = cls.update_expression(S.w, -S.alpha * (S.g + S.eps)) - S.w
        drift = expectation(step, S.eps, law).subs(S.g, 0)
        claimed = -S.alpha * S.E_abs(0) * response_expressions(cls).G
        checks.append(check_identity(drift, claimed, f"{name}: E[W'] - W at g = 0 = -alpha E|eps| G", POINTS))
    devices = [
        PowerResponseDevice(1.0, 0.5),
        PowerResponseDevice(1.0, 2.0),
        ExponentialResponseDevice(1.0, 2.0),
        LinearResponseDevice(1.0, 0.3),
        LinearResponseDevice(1.0, -0.3),
        SoftBoundsDevice(2.0, -1.0),
    ]
    slopes = {}
    for dev in devices:
        grid = np.linspace(dev.w_min, dev.w_max, 2001)[1:-1]
        Gp = sp.lambdify(S.w, sp.diff(response_expressions(dev).G, S.w), "numpy")
        slopes[repr(dev)] = float(np.min(np.broadcast_to(np.asarray(Gp(grid), float), grid.shape)))
    increasing = all(v > 0 for v in slopes.values())
    checks.append({"what": "min G' > 0 inside each range (drift toward w_diamond)",
                   "outcome": "proved" if increasing else "counterexample"})  # fmt: skip
    decreasing = all(v < 0 for v in slopes.values())
    wrong = [{"what": "footnote 2 as printed: G strictly decreasing", "outcome": "proved" if decreasing else
              "counterexample"}]  # fmt: skip
    return _identity_result(
        "R11",
        "identity",
        checks,
        wrong,
        wrong_statement="G strictly monotonically decreasing (footnote 2 as printed)",
        margin="the direction of G's monotonicity",
        details={"min_G_prime": slopes},
    )


# ---------------------------------------------------------------------------------------------------------
# R12, R13: the ALD's R_c and penalty
# ---------------------------------------------------------------------------------------------------------
@claim(
    "R12",
    "For the ALD, R_c(W)_i = ([W]_i^2 - (tau_i^min)^2)/(2 tau) (43), and <Sigma, R_c(W)> = ||W||_Sigma^2/(2 tau) + "
    "const (44)",
    "2502.06309 App. G (42)-(44)",
    "identity",
    model=SYMBOLIC + " (bounds.response.accumulated_asymmetry, sympy integrate with its closed-form check)",
    quantity="none (sympy proof) vs none",
)
def check_r12(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R12: R_c of the ALD class (symbols tau, w_sp at 0) and of instances; the weighted sum over D = 3 differs
    from ||W||_Sigma^2/(2 tau) by a W-free constant (its gradient vanishes)."""
    Rc = accumulated_asymmetry(AsymmetricLinearDevice).subs(S.w_sp, 0)
    printed = (S.w**2 - (-S.tau) ** 2) / (2 * S.tau)
    checks = [check_identity(Rc, printed, "R_c of the ALD (lower limit tau_min = -tau)", POINTS)]
    for tau in (0.5, 2.0):
        rc = accumulated_asymmetry(LinearResponseDevice(tau))
        checks.append(check_identity(rc, printed.subs(S.tau, sp.Rational(repr(tau))), f"instance tau={tau}", POINTS))
    W = sp.symbols("W1:4", real=True)
    Sg = sp.symbols("Sigma1:4", positive=True)
    inner = sum(Sg[i] * Rc.subs(S.w, W[i]) for i in range(3))
    weighted = sum(Sg[i] * W[i] ** 2 for i in range(3)) / (2 * S.tau)
    gap = sp.simplify(inner - weighted)
    checks.append({"what": "<Sigma, R_c(W)> - ||W||_Sigma^2/(2 tau) is free of W", "gap": str(gap),
                   "outcome": "proved" if not (gap.free_symbols & set(W)) else "counterexample"})  # fmt: skip
    wrong = [check_identity(Rc, S.w**2 / S.tau - S.tau, "R_c = (w^2 - tau^2)/tau", POINTS)]
    return _identity_result(
        "R12",
        "identity",
        checks,
        wrong,
        wrong_statement="R_c(w) = (w^2 - tau^2)/tau (the factor 1/2 dropped)",
        margin="a factor 2 in R_c",
        details={"R_c": str(Rc)},
    )


@claim(
    "R13",
    "For the ALD the implicit objective is f(W) + (Sigma/(2 tau))||W||^2 (45)/(49): coefficient proportional to "
    "Sigma and to 1/tau, consistent with the 2024 paper's drift (11)",
    "2502.06309 Thm 1 (45), App. G (49)",
    "identity",
    model=SYMBOLIC + "; the exact stationary point of dynamic (2) (bounds.response.implicit_penalty)",
    quantity="none (sympy proof; stationary point vs minimiser at 30 digits) vs none",
)
def check_r13(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R13: grad of Sigma R_c = Sigma w/tau is the 2024 drift (11) over -alpha at m_abs = Sigma (both the printed
    (11) and bounds.drift's expectation at g = 0); for Rademacher noise (E|g + eps| = Sigma while |g| <= s) the
    exact stationary point of Analog SGD on the ALD is the minimiser L w*/(L + Sigma/tau) of (49)."""
    Rc = accumulated_asymmetry(AsymmetricLinearDevice).subs(S.w_sp, 0)
    penalty_grad = sp.diff(S.m_abs * Rc, S.w)
    drift_printed = PRINTED["analog_sgd"].expr
    drift_derived = analog_sgd_drift_expression(ZeroMeanLaw()).subs({S.g: 0, S.w_sp: 0}).subs(S.E_abs(0), S.m_abs)
    checks = [
        check_identity(penalty_grad, S.m_abs * S.w / S.tau, "d/dw Sigma R_c = Sigma w/tau", POINTS),
        check_identity(-S.alpha * penalty_grad, drift_printed, "2024 (11) = -alpha grad(Sigma R_c)", POINTS),
        check_identity(
            -S.alpha * penalty_grad, drift_derived, "bounds.drift at g = 0 = -alpha grad(Sigma R_c)", POINTS
        ),
    ]
    points = []
    for tau, L, w_star, s in ((1.0, 1.0, 0.3, 0.3), (2.0, 0.5, -0.6, 0.2)):
        p = implicit_penalty(LinearResponseDevice(tau), RademacherLaw(s), L, w_star)
        closed = L * w_star / (L + s / tau)
        points.append({"tau": tau, "L": L, "w_star": w_star, "s": s, "stationary": p.stationary, "closed_form": closed})
    ok = all(abs(r["stationary"] - r["closed_form"]) <= 1e-12 for r in points)
    checks.append({"what": "Analog SGD's stationary point = L w*/(L + Sigma/tau) (Rademacher)",
                   "outcome": "proved" if ok else "counterexample"})  # fmt: skip
    wrong = [check_identity(-S.alpha * sp.diff(S.m_abs * S.w**2 / S.tau, S.w), drift_printed,
                            "penalty (Sigma/tau)||W||^2", POINTS)]  # fmt: skip
    return _identity_result(
        "R13",
        "identity",
        checks,
        wrong,
        wrong_statement="the penalty (Sigma/tau)||W||^2 (the 1/2 dropped)",
        margin="a factor 2 in the penalty",
        details={"stationary_points": points},
    )


# ---------------------------------------------------------------------------------------------------------
# R14a, R14b: Monte Carlo long-run mean vs the exact stationary point and vs W_S of (50)
# ---------------------------------------------------------------------------------------------------------
def long_run_means(profile: Profile, seed: np.random.SeedSequence) -> list[dict]:
    """Per case of :data:`MC_CASES`: the exact implicit-penalty quantities and Analog SGD's long-run mean of w at
    :data:`ALPHAS` (per-case level), with the weighted line in alpha. R14a and R14b share their parent's seed
    (the registry's rule for split claims: decided on the same data), so the runs are made once per seed."""
    return _long_run_means(profile, seed.entropy, tuple(seed.spawn_key))


@functools.lru_cache(maxsize=4)
def _long_run_means(profile: Profile, entropy, spawn_key: tuple) -> list[dict]:
    seed = np.random.SeedSequence(entropy, spawn_key=spawn_key)
    level = case_level(profile.level, len(MC_CASES))
    out = []
    for i, (name, device, kind) in enumerate(MC_CASES):
        law, noise = _law_and_noise(kind, S_MC)
        w_star = symmetric_point(device) + D_MC
        pen = implicit_penalty(device, law, L_MC, w_star)
        rate = -pen.asymptotics.derivative
        problem = scalar_quadratic(L_MC, w_star, pen.stationary)
        ests = stationary_estimates(
            problem,
            lambda alpha, device=device: AnalogSGDMean(device, alpha),
            noise,
            "w",
            rate=rate,
            alphas=ALPHAS,
            relax=RELAX,
            length=LENGTH,
            profile=profile,
            seed=child_seed(seed, i),
            level=level,
        )
        line = fit_estimates([a for a, *_ in ests], [e for *_, e in ests], 1, level)
        out.append(
            {
                "case": name,
                "device": repr(device),
                "law": repr(law),
                "L": L_MC,
                "w_star": w_star,
                "w_sym": pen.w_sym,
                "Sigma": pen.Sigma,
                "R_prime": pen.R_prime,
                "stationary": pen.stationary,
                "stationary_mean_slope": pen.asymptotics.mean_slope,
                "unique": pen.asymptotics.unique,
                "penalised_minimiser": pen.penalised,
                "W_S_derived": pen.linearised,
                "W_S_printed": pen.linearised_printed,
                "runs": [
                    {"alpha": a, "burn": b, "window": n, "mean_w": e.mean, "ci": [e.low, e.high]} for a, b, n, e in ests
                ],
                "line": line,
                "level": level,
            }
        )
    return out


def _setup(lines) -> list[dict]:
    return [{k: v for k, v in c.items() if k != "line"} for c in lines]


_MC_MODEL = (
    "dynamic (2) (Analog SGD) with the power (gamma_res = 2), exponential (gamma_res = 2) and linear (c_Lin = 0.3) "
    "responses, f = (w - w*)^2/2, w* = w_diamond + 0.3 tau, Gaussian and Rademacher noise (s = 0.3), the toolkit's "
    "engine; long-run means at alpha = 0.04, 0.02, 0.01 extrapolated to alpha -> 0 by a weighted line"
)


@claim(
    "R14a",
    "Analog SGD settles (as alpha -> 0) where its expected update T(W) of (46) vanishes: the stationary point that "
    "Theorem 5's W_S approximates",
    _THM5,
    "equal",
    model=_MC_MODEL,
    tolerance=Tolerance(
        0.01,
        "the point is exact (no neglected term), so the tolerance is the resolution of the extrapolation: 1% of "
        "the device half-range tau = 1, fixed in advance (the rivals, W* and (50) as printed, are >= 0.1 away)",
        "absolute",
    ),
    quantity="the deciding case's alpha -> 0 long-run mean of w (line in alpha) vs the exact stationary point",
)
def check_r14a(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R14a: per case (3 devices x 2 laws), the line's intercept against bounds.response.stationary_point.
    Control: the stationary point moved by twice the tolerance."""
    tol = tolerance_of("R14a")
    lines = long_run_means(profile, seed)
    cases, controls = [], []
    for c in lines:
        info = {"stationary": c["stationary"], "w_star": c["w_star"], "W_S_printed": c["W_S_printed"]}
        cases.append(fitted_case(c["case"], c["line"], "intercept", c["stationary"], "equal", tolerance=tol, info=info))
        controls.append(fitted_case(c["case"], c["line"], "intercept", c["stationary"] + 2 * tol.value, "equal",
                                    tolerance=tol))  # fmt: skip
    return combined_result(
        "R14a",
        "equal",
        cases,
        controls,
        wrong_statement=f"the stationary point + {2 * tol.value:g}",
        margin=f"the exact point moved by twice the tolerance ({2 * tol.value:g})",
        details={"cases_setup": _setup(lines), "alphas": list(ALPHAS), "chains": profile.chains,
                 "burn_in_relaxation_times": RELAX, "window_relaxation_times": LENGTH},
    )  # fmt: skip


@claim(
    "R14b",
    "Theorem 5 (50) as printed: W_S = (f''(W*) W* - R'(W_diamond) Sigma W_diamond)/(f''(W*) - R'(W_diamond) Sigma) "
    "is Analog SGD's stationary point up to O((W_diamond - W*)^2)",
    _THM5,
    "equal",
    model=_MC_MODEL,
    tolerance=Tolerance(
        0.09,
        "'up to O((W_diamond - W*)^2)' read with a unit constant on the device scale: (W* - W_diamond)^2/tau = "
        "0.3^2 = 0.09 for every case",
        "absolute",
    ),
    intended="W_S = (f'' W* + R'(W_diamond) Sigma W_diamond)/(f'' + R'(W_diamond) Sigma), the root of the "
    "linearised (51) (plus signs, as (47) and (51) give)",
    quantity="the deciding case's alpha -> 0 long-run mean of w (line in alpha) vs W_S of (50)",
)
def check_r14b(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R14b: per case, the extrapolated long-run mean (own runs) against W_S as printed; the corrected W_S (plus
    signs) is the control. Where the printed denominator vanishes the case is refuted outright (no value)."""
    tol = tolerance_of("R14b")
    lines = long_run_means(profile, seed)
    cases, corrected, controls = [], [], []
    for c in lines:
        printed = c["W_S_printed"] if c["W_S_printed"] is not None else float("inf")
        cases.append(fitted_case(c["case"], c["line"], "intercept", printed, "equal", tolerance=tol,
                                 info={"W_S_derived": c["W_S_derived"], "stationary": c["stationary"]}))  # fmt: skip
        corrected.append(fitted_case(c["case"], c["line"], "intercept", c["W_S_derived"], "equal", tolerance=tol))
        controls.append(fitted_case(c["case"], c["line"], "intercept", c["W_S_derived"] + 2 * tol.value, "equal",
                                    tolerance=tol))  # fmt: skip
    return combined_result(
        "R14b",
        "equal",
        cases,
        controls,
        wrong_statement=f"the derived W_S + {2 * tol.value:g}",
        margin=f"W_S moved by twice the tolerance ({2 * tol.value:g})",
        corrected_cases=corrected,
        corrected_statement="W_S with plus signs (the root of the linearised (51))",
        details={"cases_setup": _setup(lines), "alphas": list(ALPHAS), "chains": profile.chains},
        supports="; ".join(
            f"{c['case']}: long-run mean {c['line'].coefficients[0]:.4g} vs printed {c['W_S_printed']} and derived "
            f"{c['W_S_derived']:.4g}"
            for c in lines
        ),
    )


# ---------------------------------------------------------------------------------------------------------
# R14c, R15: orders in d = W* - W_diamond (exact)
# ---------------------------------------------------------------------------------------------------------
ORDER_DEVICES = MC_DEVICES
ORDER_S = 0.3


@functools.cache
def order_slopes() -> list[dict]:
    """Per device x law: the quantities of R14c and R15 at d/tau in :data:`D_SWEEP` (L = 1, tau = 1, s = 0.3)
    and their log-log slopes between consecutive d (exact at 30 digits)."""
    out = []
    for name, device in ORDER_DEVICES:
        for kind in MC_LAWS:
            law = _law_and_noise(kind, ORDER_S)[0]
            w_sym = symmetric_point(device)
            rows = []
            for d in D_SWEEP:
                w_star = w_sym + d
                p = implicit_penalty(device, law, 1.0, w_star)
                rows.append(
                    {
                        "d": d,
                        "|W_S - w_inf| (derived)": abs(p.linearised - p.stationary),
                        "|W_S - w_inf| (printed)": abs(p.linearised_printed - p.stationary),
                        "|grad f_Sigma(W_S)|": abs(penalised_gradient(device, p.Sigma, 1.0, w_star, p.linearised)),
                        "T(W_S)": effective_update(device, law, 1.0, w_star, p.linearised),
                        "T(W*)": effective_update(device, law, 1.0, w_star, w_star),
                        "T(W_diamond)": effective_update(device, law, 1.0, w_star, w_sym),
                    }
                )
            keys = [k for k in rows[0] if k != "d"]
            slopes = {
                k: [
                    float(mpmath.log(rows[i][k] / rows[i + 1][k]) / mpmath.log(rows[i]["d"] / rows[i + 1]["d"]))
                    for i in range(len(rows) - 1)
                ]
                for k in keys
            }
            out.append({"case": f"{name}, {kind}", "rows": rows, "slopes": slopes})
    return out


def _order_cases(sweeps, key: str, exponent: float, relation: str, tol: float) -> list[dict]:
    """Per sweep: whether every local slope of ``key`` is >= exponent - tol (``lower``) or within tol of it."""
    cases = []
    for sw in sweeps:
        s = sw["slopes"][key]
        ok = min(s) >= exponent - tol if relation == "lower" else max(abs(x - exponent) for x in s) <= tol
        cases.append(
            {"case": sw["case"], "quantity": key, "slopes": s, "claimed": f"{relation} {exponent}", "holds": ok}
        )
    return cases


_ORDER_MODEL = (
    "exact stationary point of dynamic (2) and the effective update T (mpmath, 30 digits), power and exponential "
    "(gamma_res = 2) and linear (c_Lin = 0.3) responses, Gaussian and Rademacher noise (s = 0.3), "
    "d/tau = 0.2, 0.1, 0.05, 0.025"
)
_ORDER_TOL = (  # the arguments of its Tolerance, built in each claim's decorator
    0.2,
    "an O(d^k) statement read as local log-log slopes over d/tau in [0.025, 0.2]: the next-order term moves a "
    "slope by O(d/tau) <= 0.2, so a slope within 0.2 of k (at least k - 0.2 for an upper order) decides",
    "absolute",
)


@claim(
    "R14c",
    "Theorem 5: W_S of (50) as printed is within O((W_diamond - W*)^2) of Analog SGD's stationary point",
    _THM5,
    "scaling",
    model=_ORDER_MODEL,
    tolerance=Tolerance(*_ORDER_TOL),
    intended="the same with the plus-sign W_S (the root of the linearised (51))",
    quantity="local log-log slopes in d of |W_S - w_inf| vs the claimed order 2",
)
def check_r14c(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R14c: every local slope of |W_S - w_inf| must be >= 2 - 0.2; as printed it is 1 (refuted); the derived
    W_S (control) has slopes 2 (linear c_Lin) or 3 (odd R)."""
    tol = tolerance_of("R14c").value
    sweeps = order_slopes()
    printed = _order_cases(sweeps, "|W_S - w_inf| (printed)", 2.0, "lower", tol)
    derived = _order_cases(sweeps, "|W_S - w_inf| (derived)", 2.0, "lower", tol)
    wrong = _order_cases(sweeps, "|W_S - w_inf| (derived)", 4.0, "lower", tol)
    return exact_result(
        "R14c",
        "scaling",
        all(c["holds"] for c in printed),
        control_holds=all(c["holds"] for c in wrong),
        wrong_statement="|W_S - w_inf| = O(d^4) (derived W_S)",
        margin="two orders in d",
        corrected_holds=all(c["holds"] for c in derived),
        corrected_statement="|W_S - w_inf| = O(d^2) with the plus-sign W_S",
        details={
            "printed": printed,
            "derived": derived,
            "sweeps": sweeps,
            "ald_w_sym_0": {  # (50) for the ALD, R' = 1/tau: the minimiser of (49) is L w*/(L + Sigma/tau)
                k: str(sp.simplify(f.expr.subs({S.w_sp: 0, R_PRIME: 1 / S.tau}))) for k, f in LINEARISED.items()
            },
        },
        supports="; ".join(f"{c['case']}: printed slopes {[round(x, 3) for x in c['slopes']]}" for c in printed),
    )


@claim(
    "R15",
    "Theorem 5: ||grad f_Sigma(W_S)|| = O((W_diamond - W*)^2) and T(W_S) = O((W_diamond - W*)^2), while T(W*) and "
    "T(W_diamond) are of order |W_diamond - W*|",
    _THM5 + ", proof (51)-(56)",
    "scaling",
    model=_ORDER_MODEL,
    tolerance=Tolerance(*_ORDER_TOL),
    depends="W_S read with plus signs (Ambiguity 13; as printed it is refuted in R14b, R14c); T from the dynamics "
    "(2), |g F + E|g + eps| G| (the printed (46) has a minus before the G term)",
    quantity="log-log slopes in d of ||grad f_Sigma(W_S)||, T(W_S), T(W*), T(W_diamond) vs 2, 2, 1, 1 (the orders)",
)
def check_r15(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R15: the four orders on every sweep. Control: T(W*) = O(d^2) (the critical point as good as W_S) refuted."""
    tol = tolerance_of("R15").value
    sweeps = order_slopes()
    cases = (
        _order_cases(sweeps, "|grad f_Sigma(W_S)|", 2.0, "lower", tol)
        + _order_cases(sweeps, "T(W_S)", 2.0, "lower", tol)
        + _order_cases(sweeps, "T(W*)", 1.0, "equal", tol)
        + _order_cases(sweeps, "T(W_diamond)", 1.0, "equal", tol)
    )
    wrong = _order_cases(sweeps, "T(W*)", 2.0, "lower", tol)
    return exact_result(
        "R15",
        "scaling",
        all(c["holds"] for c in cases),
        control_holds=all(c["holds"] for c in wrong),
        wrong_statement="T(W*) = O(d^2) (the critical point as near-stationary as W_S)",
        margin="one order in d",
        details={"cases": cases, "sweeps": sweeps},
    )


# ---------------------------------------------------------------------------------------------------------
# R16: the asymptotic error grows with the noise and with |W* - W_diamond|
# ---------------------------------------------------------------------------------------------------------
R16_S = (0.1, 0.3, 0.9)
R16_D = (0.05, 0.15, 0.4)


@claim(
    "R16",
    "Analog SGD's asymptotic error grows with the noise (sigma^2) and with the distance of W* from W_diamond, and "
    "vanishes when W* = W_diamond",
    "2502.06309 §3.2 (Theorem 2 discussion)",
    "scaling",
    model="exact alpha -> 0 floor ||grad f(w_inf)||^2 of dynamic (2) (root of the mean map, mpmath; R14a checks it "
    "by Monte Carlo), power/exponential (gamma_res = 2) and linear (c_Lin = 0.3) responses, Gaussian and Rademacher "
    "noise, L = tau = 1",
    tolerance=Tolerance(
        0.0,
        "'grows': strictly increasing (each increment > 0); 'vanishes': T(W_diamond) = 0 exactly at W* = W_diamond",
        "threshold",
    ),  # fmt: skip
    quantity="none (signs of the increments of the exact floor over s and d; T at W* = W_diamond) vs none",
)
def check_r16(profile: Profile, seed: np.random.SeedSequence) -> ClaimResult:
    """R16: the floor over s in (0.1, 0.3, 0.9) at d = 0.2 and over d in (0.05, 0.15, 0.4) at s = 0.3, per
    device x law; at W* = W_diamond the mean map vanishes at W* (T(W*) = 0) and is strictly decreasing (the root
    is unique), so the floor is 0. Control: the floor independent of d (all increments 0) refuted."""
    rows = []
    for name, device in MC_DEVICES:
        w_sym = symmetric_point(device)
        for kind in MC_LAWS:
            in_s = [
                stationary_point(device, _law_and_noise(kind, s)[0], 1.0, w_sym + 0.2).limits["grad_sq"] for s in R16_S
            ]
            law = _law_and_noise(kind, 0.3)[0]
            in_d = [stationary_point(device, law, 1.0, w_sym + d).limits["grad_sq"] for d in R16_D]
            at_sym = effective_update(device, law, 1.0, w_sym, w_sym)
            rows.append(
                {"case": f"{name}, {kind}", "floor_vs_s": in_s, "floor_vs_d": in_d, "T_at_W*=W_diamond": at_sym}
            )
    grows = all(np.all(np.diff(r["floor_vs_s"]) > 0) and np.all(np.diff(r["floor_vs_d"]) > 0) for r in rows)
    vanishes = all(r["T_at_W*=W_diamond"] <= 1e-15 for r in rows)
    flat = all(np.allclose(np.diff(r["floor_vs_d"]), 0.0) for r in rows)
    return exact_result(
        "R16",
        "scaling",
        bool(grows and vanishes),
        control_holds=bool(flat),
        wrong_statement="the floor does not depend on |W* - W_diamond|",
        margin="any dependence on d",
        details={"s_values": list(R16_S), "d_values": list(R16_D), "rows": rows},
    )
