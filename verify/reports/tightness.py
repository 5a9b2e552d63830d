r"""How tight is the paper? The predicted Analog SGD error floor divided by the paper's value.

Deterministic: no Monte Carlo. Every number comes from :mod:`bounds`.

Analog SGD (Theorem 1). On ``f = L/2 (w - w*)^2`` with an ALD of bound tau (w_sp = 0) and coordinate noise
of scale sigma (Gaussian or Rademacher, so ``E eps^2 = sigma^2``), the stationary average of
``||grad f||^2`` tends, as alpha -> 0, to ``||grad f(W_inf)||^2`` at the root W_inf of the mean map
(:func:`bounds.asymptotics.scalar_asymptotics`, derived here). The chain concentrates at W_inf, so the
paper's S_K tends to ``r/(1 - r)``, ``r = ||W_inf||_inf^2/tau^2`` (:func:`bounds.saturation.saturation_term`;
the (K + 1)/K factor tends to 1), and Theorem 1's asymptotic term is
``4 sigma^2 S`` (:func:`bounds.analog_sgd.theorem1_asymptotic_error_as_stated` with that S). The row's
``ratio`` is predicted / paper: an upper bound is respected iff ratio <= 1; a small ratio means loose.

Theorem 2's construction (:mod:`bounds.lower_bound`: shared two-point noise, W = w 1 in D dimensions). The
mean dynamics' fixed point w_bar is :func:`bounds.lower_bound.stationary_point`; the predicted value is
``D L^2 (w_bar - w*)^2`` and the stated one ``4 sigma^2 S`` with ``S = x^2/(1 - x^2)``, x = w_bar/tau
(:func:`bounds.lower_bound.theorem2_as_stated`). The derivation (:func:`bounds.lower_bound.theorem2_derived`)
gives constant 1, so the ratio is 1/4 at every parameter.

>>> rows = tightness_rows(taus=(1.0,), sigmas=(0.3,), w_stars=(0.3,), laws=("gaussian",), theorem2_dims=(4,))
>>> [r["setting"] for r in rows]
['analog-sgd', 'theorem2']
>>> abs(rows[1]["ratio"] - 0.25) < 1e-12
True
"""

from __future__ import annotations

import math

import numpy as np

from bounds import analog_sgd as AS
from bounds import lower_bound as LB
from bounds.asymptotics import scalar_asymptotics
from bounds.devices import AsymmetricLinearDevice
from bounds.noise_laws import GaussianLaw, RademacherLaw
from bounds.saturation import saturation_term
from bounds.validation import require_finite_value, require_int, require_real

__all__ = ["LAWS", "DEFAULT_GRID", "LEDGER_GRID", "analog_sgd_row", "theorem2_row", "tightness_rows", "format_markdown"]

LAWS = {"gaussian": GaussianLaw, "rademacher": RademacherLaw}
#: the grid of the ledger and notebook 06 (fast: about 0.1 s a point)
DEFAULT_GRID = {
    "taus": (0.5, 1.0, 2.0),
    "sigmas": (0.1, 0.3),
    "w_stars": (0.2, 0.4),
    "laws": ("gaussian", "rademacher"),
    "theorem2_dims": (4, 16),
}
#: the smaller grid the ledger section uses (about 1 s)
LEDGER_GRID = {
    "taus": (0.5, 1.0, 2.0),
    "sigmas": (0.3,),
    "w_stars": (0.2, 0.4),
    "laws": ("gaussian", "rademacher"),
    "theorem2_dims": (4,),
}
_DPS = 30
#: the most grid points :func:`tightness_rows` computes (about 0.05 s each: a few minutes)
MAX_POINTS = 4096


def _law(law) -> str:
    if not isinstance(law, str) or law not in LAWS:
        raise ValueError(f"law must be one of {', '.join(LAWS)}, got {law!r}")
    return law


def _finite(row: dict, what: str, **inputs) -> dict:
    """``row`` if every number in it is finite; else a ValueError naming ``inputs`` (the closed forms left float64)."""
    for key, value in row.items():
        if isinstance(value, float):
            require_finite_value(f"{what}'s {key}", value, **inputs)
    return row


def _computed(what: str, compute, *args, **inputs):
    """``compute(*args)``, with a ValueError raised inside it (a closed form or a solver that fails at these inputs)
    re-raised naming ``inputs``."""
    try:
        return compute(*args)
    except ValueError as err:
        shown = ", ".join(f"{k}={v!r}" for k, v in inputs.items())
        raise ValueError(f"{what} at {shown}: {err}") from None


def analog_sgd_row(tau: float, sigma: float, w_star: float, law: str = "gaussian", L: float = 1.0) -> dict:
    """Predicted floor ``||grad f(W_inf)||^2`` / Theorem 1's ``4 sigma^2 S`` with S at W_inf (scalar, ALD).

    >>> r = analog_sgd_row(1.0, 0.3, 0.3)
    >>> 0 < r["w_inf"] < 0.3 and r["ratio"] > 0 and r["unique"]
    True
    """
    law = _law(law)
    tau = require_real("tau", tau, low=0.0, low_open=True)
    sigma = require_real("sigma", sigma, low=0.0, low_open=True)
    L = require_real("L", L, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star, low=-tau, high=tau, low_open=True, high_open=True)
    inputs = dict(tau=tau, sigma=sigma, w_star=w_star, L=L)

    def compute():
        res = scalar_asymptotics(AsymmetricLinearDevice(tau=tau), LAWS[law](s=sigma), L, w_star, dps=_DPS)
        w_inf = float(res.w_inf)
        S = float(saturation_term([abs(w_inf)], tau)[0])
        return res, w_inf, S, AS.theorem1_asymptotic_error_as_stated(sigma, tau, abs(w_inf), K=1, S_K=S)

    res, w_inf, S, paper = _computed("the Analog SGD row", compute, **inputs)
    predicted = float(res.limits["grad_sq"])
    with np.errstate(all="ignore"):
        ratio = float(np.float64(predicted) / paper.value) if paper.value > 0 else math.inf
    return _finite(
        {
            "setting": "analog-sgd",
            "law": law,
            "tau": tau,
            "sigma": sigma,
            "w_star": w_star,
            "D": 1,
            "L": L,
            "w_inf": w_inf,
            "S": S,
            "predicted": predicted,
            "slope": res.slopes["grad_sq"],
            "paper": paper.value,
            "paper_name": paper.name,
            "ratio": ratio,
            "unique": res.unique,
        },
        "the Analog SGD row",
        **inputs,
    )


def theorem2_row(tau: float, sigma: float, w_star: float, D: int, L: float = 1.0) -> dict:
    """Theorem 2's construction: ``D L^2 (w_bar - w*)^2`` / the stated ``4 sigma^2 S``, S at w_bar.

    The construction's own hypotheses (``|w*| <= tau/4``, sigma small) are reported in ``hypotheses_hold``;
    the fixed point and the ratio are defined beyond them.

    >>> round(theorem2_row(1.0, 0.3, 0.2, 4)["ratio"], 12)
    0.25
    """
    tau = require_real("tau", tau, low=0.0, low_open=True)
    sigma = require_real("sigma", sigma, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star, low=-tau, high=tau, low_open=True, high_open=True)
    D = require_int("D", D, low=1)
    L = require_real("L", L, low=0.0, low_open=True)
    inputs = dict(tau=tau, sigma=sigma, w_star=w_star, D=D, L=L)

    def compute():
        cons = LB.LowerBoundConstruction(L=L, w_star=w_star, tau=tau, sigma=sigma, D=D, alpha=1e-3)
        w_bar = LB.stationary_point(cons)
        S = float(saturation_term([abs(w_bar)], tau)[0])
        return cons, w_bar, S, LB.theorem2_as_stated(cons, S)

    cons, w_bar, S, stated = _computed("the Theorem 2 row", compute, **inputs)
    with np.errstate(all="ignore"):
        predicted = float(D * np.square(np.float64(cons.L) * (w_bar - cons.w_star)))
        ratio = float(np.float64(predicted) / stated.value) if stated.value > 0 else math.inf
    return _finite(
        {
            "setting": "theorem2",
            "law": "two-point",
            "tau": tau,
            "sigma": cons.sigma,
            "w_star": cons.w_star,
            "D": D,
            "L": cons.L,
            "w_inf": w_bar,
            "S": S,
            "predicted": predicted,
            "slope": None,
            "paper": stated.value,
            "paper_name": stated.name,
            "ratio": ratio,
            "unique": True,
            "hypotheses_hold": cons.applicable,
        },
        "the Theorem 2 row",
        **inputs,
    )


def tightness_rows(
    taus=DEFAULT_GRID["taus"],
    sigmas=DEFAULT_GRID["sigmas"],
    w_stars=DEFAULT_GRID["w_stars"],
    laws=DEFAULT_GRID["laws"],
    theorem2_dims=DEFAULT_GRID["theorem2_dims"],
) -> list[dict]:
    """Analog SGD rows over taus x sigmas x w_stars x laws, then Theorem 2 rows over taus x sigmas x w_stars
    x theorem2_dims (w* >= tau skipped). Deterministic; the default grid takes about 2 s, and at most
    :data:`MAX_POINTS` points are computed."""
    positive = dict(low=0.0, low_open=True)
    taus, sigmas = _grid("taus", taus, **positive), _grid("sigmas", sigmas, **positive)
    w_stars = _grid("w_stars", w_stars)
    if isinstance(laws, str) or not isinstance(laws, (tuple, list)):
        raise TypeError(f"laws must be a tuple of law names ({', '.join(LAWS)}), got {laws!r}")
    laws = tuple(_law(law) for law in laws)
    if isinstance(theorem2_dims, (str, bytes)) or not isinstance(theorem2_dims, (tuple, list, range)):
        raise TypeError(f"theorem2_dims must be a tuple of dimensions D >= 1, got {theorem2_dims!r}")
    dims = tuple(require_int("theorem2_dims", D, low=1) for D in theorem2_dims)
    points = (len(laws) + len(dims)) * len(taus) * len(sigmas) * len(w_stars)
    if points > MAX_POINTS:
        raise ValueError(
            f"taus x sigmas x w_stars x (laws + theorem2_dims) is too large: {points} grid points, more than "
            f"{MAX_POINTS} (about 0.05 s each)"
        )
    grid = "from taus, sigmas, w_stars, laws and theorem2_dims"
    rows = []
    for law in laws:
        for tau in taus:
            for sigma in sigmas:
                for w_star in w_stars:
                    if abs(w_star) < tau:
                        rows.append(
                            _computed(f"the grid point ({grid})", analog_sgd_row, tau, sigma, w_star, law, law=law)
                        )
    for D in dims:
        for tau in taus:
            for sigma in sigmas:
                for w_star in w_stars:
                    if abs(w_star) < tau:
                        rows.append(_computed(f"the grid point ({grid})", theorem2_row, tau, sigma, w_star, D, D=D))
    return rows


def _grid(name: str, values, **bounds) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, (tuple, list, np.ndarray)):
        raise TypeError(f"{name} must be a tuple of real numbers, got {values!r}")
    values = np.asarray(values, dtype=object)
    if values.ndim != 1:
        raise ValueError(f"{name} must be a flat tuple of real numbers, got {values.tolist()!r}")
    return tuple(require_real(name, v, **bounds) for v in values.tolist())


_ROW_FIELDS = {
    "setting": str,
    "law": str,
    "tau": float,
    "sigma": float,
    "w_star": float,
    "D": int,
    "w_inf": float,
    "S": float,
    "predicted": float,
    "paper": float,
    "ratio": float,
}


def require_rows(rows) -> list:
    """``rows`` if it is a list of :func:`tightness_rows` rows (a TypeError naming ``rows`` otherwise)."""
    ok = isinstance(rows, (list, tuple)) and all(
        isinstance(r, dict)
        and all(
            k in r
            and isinstance(r[k], kind)
            and not isinstance(r[k], bool)
            and (kind is not float or math.isfinite(r[k]))
            for k, kind in _ROW_FIELDS.items()
        )
        for r in rows
    )
    if not ok:
        shown = repr(rows) if len(repr(rows)) <= 80 else repr(rows)[:77] + "..."
        raise TypeError(f"rows must be a list of tightness_rows() rows ({', '.join(_ROW_FIELDS)}), got {shown}")
    return list(rows)


def format_markdown(rows: list[dict]) -> str:
    """A markdown table: setting, law, tau, sigma, w*, D, W_inf, S, predicted, paper, ratio (``rows``: as
    :func:`tightness_rows` returns)."""
    require_rows(rows)
    lines = [
        "| setting | noise | tau | sigma | w* | D | W_inf | S at W_inf | predicted floor | paper 4 sigma^2 S "
        "| predicted / paper |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['setting']} | {r['law']} | {r['tau']:g} | {r['sigma']:g} | {r['w_star']:g} | {r['D']} | "
            f"{r['w_inf']:.5g} | {r['S']:.4g} | {r['predicted']:.4g} | {r['paper']:.4g} | {r['ratio']:.4g} |"
        )
    return "\n".join(lines)
