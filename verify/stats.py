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

__all__ = ["Estimate", "mean_ci", "extrapolate_to_zero"]


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
        return f"{self.mean:.6g} [{self.low:.6g}, {self.high:.6g}] ({self.level:.0%}, n={self.n})"


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


def extrapolate_to_zero(xs, estimates, level: float = 0.95) -> Estimate:
    r"""The value at x = 0 of the line fitted to independent estimates ``y_j`` at ``x_j``.

    For "equal up to Theta(alpha)" claims: ``y(alpha) = y_0 + b alpha + o(alpha)``, measured at
    several step sizes by independent runs. Weighted least squares with weights ``1/sem_j^2``
    gives ``y_0`` with variance ``sum w x^2 / (sum w sum w x^2 - (sum w x)^2)``; the interval is
    normal (each ``sem_j`` comes from many chains). The fit's chi-square and its p-value are in
    ``method``, so a curved dependence (o(alpha) not negligible) is visible.

    >>> ests = [Estimate(1.0 + 2.0 * a, 0, 0, 100, 0.95, sem=0.01) for a in (0.1, 0.2, 0.4)]
    >>> round(extrapolate_to_zero([0.1, 0.2, 0.4], ests).mean, 12)
    1.0
    """
    level = require_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    x = require_array("xs", xs, ndim=1)
    if x.size < 2 or len(estimates) != x.size:
        raise ValueError(f"xs and estimates must have the same length >= 2, got {x.size} and {len(estimates)}")
    if any(not isinstance(e, Estimate) or e.sem is None or not e.sem > 0 for e in estimates):
        raise ValueError("estimates must be Estimate objects with a positive standard error (sem)")
    y = np.array([e.mean for e in estimates])
    w = 1.0 / np.square([e.sem for e in estimates])
    sw, swx, swxx, swy, swxy = w.sum(), (w * x).sum(), (w * x * x).sum(), (w * y).sum(), (w * x * y).sum()
    det = sw * swxx - swx**2
    if not det > 0:
        raise ValueError("xs must hold at least two different values")
    intercept, slope = (swxx * swy - swx * swxy) / det, (sw * swxy - swx * swy) / det
    sem = math.sqrt(swxx / det)
    chi2 = float((w * np.square(y - intercept - slope * x)).sum())
    dof = x.size - 2
    fit = f", chi2 = {chi2:.3g} on {dof} dof (p = {scipy.stats.chi2.sf(chi2, dof):.3g})" if dof else ""
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    return Estimate(mean=float(intercept), low=float(intercept - z * sem), high=float(intercept + z * sem),
                    n=int(sum(e.n for e in estimates)), level=level, sem=sem,
                    method=f"weighted least-squares line through {x.size} step sizes, value at 0{fit}")
