"""Estimates with confidence intervals across independent chains.

Chains are independent and identically distributed, so any per-chain summary (a time average
over a window, a final value) is an i.i.d. sample; its mean gets a Student-t interval.

>>> est = mean_ci([1.0, 2.0, 3.0, 4.0], level=0.95)
>>> round(est.mean, 6), round(est.low, 4), round(est.high, 4)
(2.5, 0.4457, 4.5543)
>>> est.covers(2.5), est.covers(5.0)
(True, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.stats

from bounds.validation import require_array, require_real

__all__ = ["Estimate", "mean_ci", "fit_line", "extrapolate_to_zero"]


@dataclass(frozen=True)
class Estimate:
    """A mean with its two-sided confidence interval [low, high]."""

    mean: float
    low: float
    high: float
    n: int
    level: float
    method: str = "Student t interval across independent chains"
    sem: float | None = None
    """Standard error of ``mean``, where known."""

    def covers(self, value: float) -> bool:
        """Whether ``value`` lies in the confidence interval."""
        return self.low <= value <= self.high

    @property
    def half_width(self) -> float:
        return 0.5 * (self.high - self.low)

    def __str__(self) -> str:
        return f"{self.mean:.6g} [{self.low:.6g}, {self.high:.6g}] ({100 * self.level:.4g}%, n={self.n})"


def mean_ci(samples, level: float = 0.95) -> Estimate:
    """Mean of i.i.d. ``samples`` with a Student-t interval at confidence ``level``."""
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    x = require_array("samples", samples).ravel()
    if x.size < 2:
        raise ValueError(f"samples must hold at least 2 independent values for an interval, got {x.size}")
    mean = float(x.mean())
    sem = float(x.std(ddof=1)) / math.sqrt(x.size)
    t = float(scipy.stats.t.ppf(0.5 + level / 2, df=x.size - 1))
    return Estimate(mean=mean, low=mean - t * sem, high=mean + t * sem, n=int(x.size), level=level, sem=sem)


def fit_line(xs, ys, sems, level: float = 0.95, n: int = 0) -> tuple[Estimate, Estimate]:
    r"""Weighted least-squares line ``y = a + b x`` through independent values with standard errors.

    Weights ``w_j = 1/sem_j^2``; with ``det = sum w sum w x^2 - (sum w x)^2`` the intercept has
    variance ``sum w x^2/det`` and the slope ``sum w/det``. Returns ``(intercept, slope)`` as
    estimates with normal intervals at ``level`` (each ``sem_j`` comes from many chains); the fit's
    chi-square and p-value are in their ``method``, so a curved dependence is visible. ``n`` is
    the total sample count to record.

    >>> a, b = fit_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], [0.1, 0.1, 0.1])
    >>> round(a.mean, 12), round(b.mean, 12)
    (1.0, 2.0)
    """
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    x = require_array("xs", xs, ndim=1)
    y = require_array("ys", ys, shape=x.shape)
    se = require_array("sems", sems, shape=x.shape, low=0.0, low_open=True)
    if x.size < 2:
        raise ValueError(f"xs must hold at least 2 values, got {x.size}")
    w = 1.0 / np.square(se)
    sw, swx, swxx, swy, swxy = w.sum(), (w * x).sum(), (w * x * x).sum(), (w * y).sum(), (w * x * y).sum()
    det = sw * swxx - swx**2
    if not det > 0:
        raise ValueError("xs must hold at least two different values")
    intercept, slope = (swxx * swy - swx * swxy) / det, (sw * swxy - swx * swy) / det
    chi2 = float((w * np.square(y - intercept - slope * x)).sum())
    dof = x.size - 2
    fit = f", chi2 = {chi2:.3g} on {dof} dof (p = {scipy.stats.chi2.sf(chi2, dof):.3g})" if dof else ""
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))

    def estimate(value, sem, what):
        return Estimate(
            mean=float(value),
            low=float(value - z * sem),
            high=float(value + z * sem),
            n=int(n),
            level=level,
            sem=float(sem),
            method=f"weighted least-squares line through {x.size} points, {what}{fit}",
        )

    return estimate(intercept, math.sqrt(swxx / det), "value at 0"), estimate(slope, math.sqrt(sw / det), "slope")


def extrapolate_to_zero(xs, estimates, level: float = 0.95) -> Estimate:
    r"""The value at x = 0 of the line fitted to independent estimates ``y_j`` at ``x_j`` (:func:`fit_line`).

    For "equal up to Theta(alpha)" claims: ``y(alpha) = y_0 + b alpha + o(alpha)``, measured at
    several step sizes by independent runs.

    >>> ests = [Estimate(1.0 + 2.0 * a, 0, 0, 100, 0.95, sem=0.01) for a in (0.1, 0.2, 0.4)]
    >>> round(extrapolate_to_zero([0.1, 0.2, 0.4], ests).mean, 12)
    1.0
    """
    if any(not isinstance(e, Estimate) or e.sem is None or not e.sem > 0 for e in estimates):
        raise ValueError("estimates must be Estimate objects with a positive standard error (sem)")
    if len(estimates) != np.size(xs):
        raise ValueError(f"xs and estimates must have the same length, got {np.size(xs)} and {len(estimates)}")
    intercept, _ = fit_line(
        xs, [e.mean for e in estimates], [e.sem for e in estimates], level, n=sum(e.n for e in estimates)
    )
    return intercept
