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

import scipy.stats

from bounds.validation import require_array, require_real

__all__ = ["Estimate", "mean_ci"]


@dataclass(frozen=True)
class Estimate:
    """A mean with its two-sided confidence interval [low, high]."""

    mean: float
    low: float
    high: float
    n: int
    level: float
    method: str = "Student t interval across independent chains"

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
    return Estimate(mean=mean, low=mean - t * sem, high=mean + t * sem, n=int(x.size), level=level)
