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

from bounds.validation import require_array, require_instance, require_int, require_real

from ._limits import short

__all__ = [
    "Estimate",
    "mean_ci",
    "PolynomialFit",
    "fit_polynomial",
    "fit_line",
    "fit_estimates",
    "extrapolate_to_zero",
    "loglog_fit",
    "loglog_slope",
    "ratio_of_means",
    "ratio_of_independent_means",
]


_OPEN_UNIT = dict(low=0.0, high=1.0, low_open=True, high_open=True)


def _number(name: str, value, *, infinite: bool = False, low=None) -> float:
    """A real number (subnormals included: a measured value may be that small), never NaN; infinite only
    where ``infinite`` (an interval's unbounded side); ``>= low`` where given."""
    allowed = "a real number (+-inf for an unbounded side)" if infinite else "a finite real number"
    if low is not None:
        allowed += f" >= {low:g}"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be {allowed}, got {short(value)}")
    try:
        x = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be {allowed}, got an integer with {len(str(abs(value)))} digits") from None
    if math.isnan(x) or (math.isinf(x) and not infinite) or (low is not None and not x >= low):
        raise ValueError(f"{name} must be {allowed}, got {x!r}")
    return x


@dataclass(frozen=True)
class Estimate:
    """A mean with its two-sided confidence interval [low, high].

    ``mean`` is finite; ``low`` and ``high`` are real numbers, and may be infinite only for a side the
    interval leaves unbounded (documented where a check builds such an interval); none is ever NaN.
    """

    mean: float
    low: float
    high: float
    n: int
    level: float
    method: str = "Student t interval across independent chains"
    sem: float | None = None
    """Standard error of ``mean``, where known (finite, >= 0)."""

    def __post_init__(self):
        object.__setattr__(self, "mean", _number("mean", self.mean))
        object.__setattr__(self, "low", _number("low", self.low, infinite=True))
        object.__setattr__(self, "high", _number("high", self.high, infinite=True))
        object.__setattr__(self, "n", require_int("n", self.n, low=0))
        object.__setattr__(self, "level", require_real("level", self.level, **_OPEN_UNIT))
        if not isinstance(self.method, str):
            raise TypeError(f"method must be a str (how the interval was made), got {short(self.method)}")
        if self.sem is not None:
            object.__setattr__(self, "sem", _number("sem", self.sem, low=0.0))

    def covers(self, value: float) -> bool:
        """Whether ``value`` lies in the confidence interval."""
        return self.low <= value <= self.high

    @property
    def half_width(self) -> float:
        return 0.5 * (self.high - self.low)

    def __str__(self) -> str:
        return f"{self.mean:.6g} [{self.low:.6g}, {self.high:.6g}] ({100 * self.level:.4g}%, n={self.n})"


def _quantile(law, level: float, **df) -> float:
    """The two-sided quantile of ``law`` at ``level``: ``ppf(0.5 + level/2)``, or ``isf((1 - level)/2)`` where
    ``0.5 + level/2`` rounds to 1 (a level within 1e-16 of 1)."""
    q = float(law.ppf(0.5 + level / 2, **df))
    return q if math.isfinite(q) else float(law.isf((1.0 - level) / 2, **df))


def _interval(mean: float, sem: float, quantile: float, what: str, names: str) -> tuple[float, float]:
    """``mean -+ quantile sem``, refusing (naming the inputs ``names``) an end beyond float64."""
    with np.errstate(all="ignore"):
        half = quantile * sem
        low, high = mean - half, mean + half
    if not (math.isfinite(mean) and math.isfinite(sem) and math.isfinite(low) and math.isfinite(high)):
        raise ValueError(
            f"{names} are too large: the {what} (mean {mean:g}, standard error {sem:g}) leaves float64's range"
        )
    return low, high


def mean_ci(samples, level: float = 0.95) -> Estimate:
    """Mean of i.i.d. ``samples`` with a Student-t interval at confidence ``level``.

    Computed on samples scaled by their largest magnitude, so any finite samples give a finite mean and
    standard error; an interval end beyond float64 (samples near 1e308 spread over both signs) is refused.
    """
    level = require_real("level", level, **_OPEN_UNIT)
    x = require_array("samples", samples).ravel()
    if x.size < 2:
        raise ValueError(f"samples must hold at least 2 independent values for an interval, got {x.size}")
    scale = float(np.max(np.abs(x)))
    if not 1e-150 <= scale <= 1e150:  # only extreme samples are scaled: the usual ones keep their exact digits
        y = x / scale if scale > 0 else x
        mean = float(y.mean()) * scale if scale > 0 else 0.0
        with np.errstate(over="ignore"):
            sem = float(y.std(ddof=1)) * scale / math.sqrt(x.size) if scale > 0 else 0.0
    else:
        mean = float(x.mean())
        sem = float(x.std(ddof=1)) / math.sqrt(x.size)
    t = _quantile(scipy.stats.t, level, df=x.size - 1)
    low, high = _interval(mean, sem, t, "confidence interval", "samples")
    return Estimate(mean=mean, low=low, high=high, n=int(x.size), level=level, sem=sem)


@dataclass(frozen=True)
class PolynomialFit:
    r"""A weighted least-squares polynomial ``y = sum_i c_i x^i`` through independent values with standard errors,
    with its goodness of fit.

    ``chi2 = sum_j (y_j - p(x_j))^2/sem_j^2`` on ``dof = points - (degree + 1)`` degrees of freedom; ``p_value``
    is ``P(chi2_dof >= chi2)``. When ``chi2/dof > 1`` the points scatter more than their standard errors say
    (a missing model term, or underestimated errors), and the coefficients' covariance is scaled by
    ``scale = chi2/dof`` (as ``scipy.optimize.curve_fit(absolute_sigma=False)`` does, and with the normal
    quantiles of the Particle Data Group's scale factor); ``scale = 1`` otherwise. ``p_value`` says whether the
    model fits at all: :meth:`fits` compares it with ``1 - level``.
    """

    degree: int
    coefficients: np.ndarray
    covariance: np.ndarray
    """Of the coefficients, already multiplied by ``scale``."""
    chi2: float
    dof: int
    p_value: float
    scale: float
    xs: np.ndarray
    level: float
    n: int

    def fits(self) -> bool:
        """Whether the model survives the chi-square lack-of-fit test at ``1 - level`` (always, with no dof)."""
        return self.dof == 0 or self.p_value >= 1.0 - self.level

    @property
    def reduced_chi2(self) -> float:
        return self.chi2 / self.dof if self.dof else float("nan")

    def describe(self) -> str:
        kind = {1: "line", 2: "quadratic"}.get(self.degree, f"degree-{self.degree} polynomial")
        if not self.dof:
            return f"weighted least-squares {kind} through {self.xs.size} points (no dof left for a fit test)"
        scaled = f", covariance scaled by chi2/dof = {self.scale:.3g}" if self.scale > 1 else ""
        return (
            f"weighted least-squares {kind} through {self.xs.size} points, chi2/dof = {self.chi2:.3g}/{self.dof} "
            f"(p = {self.p_value:.3g}){scaled}"
        )

    def record(self) -> dict:
        return {
            "model": {1: "line", 2: "quadratic"}.get(self.degree, f"degree {self.degree}"),
            "chi2": self.chi2,
            "dof": self.dof,
            "chi2_per_dof": self.reduced_chi2 if self.dof else None,
            "p_value": self.p_value,
            "covariance_scale": self.scale,
            "fits": self.fits(),
        }

    def _estimate(self, value: float, var: float, what: str) -> Estimate:
        z = _quantile(scipy.stats.norm, self.level)
        sem = math.sqrt(max(var, 0.0)) if math.isfinite(var) else math.inf
        low, high = _interval(float(value), sem, z, f"fit's {what}", "x and the fit's coefficients")
        return Estimate(
            mean=float(value),
            low=low,
            high=high,
            n=self.n,
            level=self.level,
            sem=sem,
            method=f"{self.describe()}, {what}",
        )

    def value_at(self, x: float) -> Estimate:
        """``p(x)`` with its normal interval (delta method: ``v^T C v``, ``v = (1, x, x^2, ...)``)."""
        x = require_real("x", x)
        with np.errstate(all="ignore"):
            v = np.power(x, np.arange(self.degree + 1))
            return self._estimate(v @ self.coefficients, v @ self.covariance @ v, f"value at {x:g}")

    def slope_at(self, x: float) -> Estimate:
        """``p'(x)`` with its normal interval."""
        x = require_real("x", x)
        i = np.arange(self.degree + 1)
        with np.errstate(all="ignore"):
            v = np.where(i > 0, i * np.power(x, np.maximum(i - 1, 0)), 0.0)
            return self._estimate(v @ self.coefficients, v @ self.covariance @ v, f"slope at {x:g}")

    def slope_envelope(self) -> Estimate:
        """The local slope over the fitted range: mean at the middle, interval from the smallest lower to the
        largest upper end of the slope intervals at the two ends of the range (a line: its slope)."""
        if self.degree == 1:
            return self.slope_at(0.0)
        ends = [self.slope_at(x) for x in (self.xs.min(), self.xs.max())]
        mid = self.slope_at(0.5 * (self.xs.min() + self.xs.max()))
        return Estimate(
            mean=mid.mean,
            low=min(e.low for e in ends),
            high=max(e.high for e in ends),
            n=self.n,
            level=self.level,
            sem=max(e.sem for e in ends),
            method=f"{self.describe()}, local slope over [{self.xs.min():.4g}, {self.xs.max():.4g}]",
        )


def fit_polynomial(xs, ys, sems, degree: int = 1, level: float = 0.95, n: int = 0) -> PolynomialFit:
    """Weighted least squares (weights ``1/sem_j^2``) of a polynomial of ``degree`` (:class:`PolynomialFit`).

    ``n`` is the total sample count behind the points, to record.

    >>> fit = fit_polynomial([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0], [0.1] * 4)
    >>> [round(float(c), 12) for c in fit.coefficients], fit.fits(), fit.scale
    ([1.0, 2.0], True, 1.0)
    >>> bent = fit_polynomial([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 4.0, 9.0], [0.01] * 4)
    >>> bent.fits(), fit_polynomial([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 4.0, 9.0], [0.01] * 4, degree=2).fits()
    (False, True)
    """
    level = require_real("level", level, **_OPEN_UNIT)
    x = require_array("xs", xs, ndim=1)
    y = require_array("ys", ys)
    if y.shape != x.shape:
        raise ValueError(f"ys must have the shape of xs {x.shape}, got shape {y.shape}")
    se = require_array("sems", sems)
    if se.shape != x.shape:
        raise ValueError(f"sems must have the shape of xs {x.shape}, got shape {se.shape}")
    if se.size and not np.all(se >= 1e-150):  # 1/sem^2 must stay finite
        raise ValueError(
            f"sems must have every entry >= 1e-150 (weights 1/sem^2 must be finite), got {float(se.min())!r}"
        )
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree not in (1, 2, 3):
        raise ValueError(f"degree must be 1, 2 or 3, got {short(degree)}")
    degree = int(degree)
    n = require_int("n", n, low=0)
    if np.unique(x).size < degree + 1:
        raise ValueError(
            f"xs must hold at least {degree + 1} different values for a degree-{degree} fit, got {np.unique(x).size}"
        )
    with np.errstate(all="ignore"):
        V = np.vander(x, degree + 1, increasing=True)
        w = 1.0 / np.square(se)
        normal = V.T @ (w[:, None] * V)
        try:
            covariance = np.linalg.inv(normal) if np.isfinite(normal).all() else None
        except np.linalg.LinAlgError:
            covariance = None
        if covariance is not None:
            coefficients = covariance @ (V.T @ (w * y))
            chi2 = float((w * np.square(y - V @ coefficients)).sum())
    if (
        covariance is None
        or not (np.isfinite(covariance).all() and np.isfinite(coefficients).all())
        or not (math.isfinite(chi2))
    ):
        raise ValueError(
            f"xs, ys and sems give no degree-{degree} fit in float64: the weighted normal equations are singular or "
            "overflow (xs too close together or too large, or ys/sems too extreme)"
        )
    dof = x.size - (degree + 1)
    p_value = float(scipy.stats.chi2.sf(chi2, dof)) if dof else 1.0
    scale = max(1.0, chi2 / dof) if dof else 1.0
    return PolynomialFit(degree, coefficients, covariance * scale, chi2, dof, p_value, scale, x, level, n)


def fit_line(xs, ys, sems, level: float = 0.95, n: int = 0) -> tuple[Estimate, Estimate]:
    r"""Weighted least-squares line ``y = a + b x`` (:func:`fit_polynomial` of degree 1): ``(intercept, slope)``
    as estimates with normal intervals at ``level``, the covariance scaled by chi2/dof where it exceeds 1; the
    fit's chi2/dof and p-value are in their ``method``. Use :func:`fit_polynomial` to see whether the line fits.

    >>> a, b = fit_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], [0.1, 0.1, 0.1])
    >>> round(a.mean, 12), round(b.mean, 12)
    (1.0, 2.0)
    """
    fit = fit_polynomial(xs, ys, sems, 1, level, n)
    return _named(fit.value_at, "xs, ys and sems", 0.0), _named(fit.slope_at, "xs, ys and sems", 0.0)


def _named(method, names: str, x: float) -> Estimate:
    """``method(x)`` of a fit, with an overflow of its interval blamed on the fit's inputs ``names``."""
    try:
        return method(x)
    except ValueError as error:
        raise ValueError(f"{names} give an interval beyond float64: {error}") from None


def extrapolate_to_zero(xs, estimates, level: float = 0.95) -> Estimate:
    r"""The value at x = 0 of the line fitted to independent estimates ``y_j`` at ``x_j`` (:func:`fit_line`).

    For "equal up to Theta(alpha)" claims: ``y(alpha) = y_0 + b alpha + o(alpha)``, measured at
    several step sizes by independent runs.

    >>> ests = [Estimate(1.0 + 2.0 * a, 0, 0, 100, 0.95, sem=0.01) for a in (0.1, 0.2, 0.4)]
    >>> round(extrapolate_to_zero([0.1, 0.2, 0.4], ests).mean, 12)
    1.0
    """
    return _named(fit_estimates(xs, estimates, level=level).value_at, "xs and estimates", 0.0)


def fit_estimates(xs, estimates, degree: int = 1, level: float = 0.95) -> PolynomialFit:
    """:func:`fit_polynomial` through independent :class:`Estimate` objects (their means and standard errors)."""
    estimates = _require_estimates(estimates)
    x = require_array("xs", xs, ndim=1)
    if len(estimates) != x.size:
        raise ValueError(f"xs and estimates must have the same length, got {x.size} and {len(estimates)}")
    return fit_polynomial(
        xs, [e.mean for e in estimates], [e.sem for e in estimates], degree, level, n=sum(e.n for e in estimates)
    )


def _require_estimates(estimates, positive_mean: bool = False) -> list:
    """``estimates`` as a list of :class:`Estimate` objects with a positive sem (and mean)."""
    what = "a positive mean and a positive sem" if positive_mean else "a positive standard error (sem)"
    if not isinstance(estimates, (list, tuple)) or not all(
        isinstance(e, Estimate) and e.sem is not None and e.sem > 0 and (e.mean > 0 or not positive_mean)
        for e in estimates
    ):
        raise ValueError(f"estimates must be a list of Estimate objects with {what}, got {short(estimates)}")
    return list(estimates)


def ratio_of_means(a, b, level: float) -> Estimate:
    r"""``mean(a)/mean(b)`` over i.i.d. chains with a delta-method Student-t interval.

    With ``R = mean(a)/mean(b)`` the linearised per-chain terms are ``(a_r - R b_r)/mean(b)``; their
    standard error is that of R. For a constant ``b`` this is the t interval of ``a/b``.

    >>> e = ratio_of_means([1.0, 2.0, 3.0], [2.0, 2.0, 2.0], level=0.95)
    >>> m = mean_ci([0.5, 1.0, 1.5], level=0.95)
    >>> round(e.mean, 12) == round(m.mean, 12) and abs(e.low - m.low) < 1e-12
    True
    """
    a, b = require_array("a", a).ravel(), require_array("b", b).ravel()
    level = require_real("level", level, **_OPEN_UNIT)
    if a.shape != b.shape or a.size < 2:
        raise ValueError(f"a and b must be per-chain samples of the same length >= 2, got {a.size} and {b.size}")
    # extreme samples are scaled by their largest magnitudes first, so that no sum overflows
    sa, sb = float(np.max(np.abs(a))), float(np.max(np.abs(b)))
    scaled = not (1e-150 <= sa <= 1e150 and 1e-150 <= sb <= 1e150)
    sa, sb = (sa if sa > 0 and scaled else 1.0), (sb if sb > 0 and scaled else 1.0)
    a1, b1 = a / sa, b / sb
    mb = float(b1.mean())
    if not mb > 0:
        raise ValueError(f"b must have a positive mean, got {mb * sb:g}")
    ratio1 = float(a1.mean()) / mb
    z = (a1 - ratio1 * b1) / mb
    with np.errstate(all="ignore"):
        factor = sa / sb
        ratio = ratio1 * factor
        sem = float(z.std(ddof=1)) / math.sqrt(a.size) * factor
    t = _quantile(scipy.stats.t, level, df=a.size - 1)
    low, high = _interval(ratio, sem, t, "ratio of means", "a and b")
    return Estimate(
        mean=ratio,
        low=low,
        high=high,
        n=int(a.size),
        level=level,
        method="ratio of chain means, delta method, Student t across independent chains",
        sem=sem,
    )


def ratio_of_independent_means(a: Estimate, b: Estimate, level: float) -> Estimate:
    """``a.mean/b.mean`` for estimates from independent runs, delta method, normal interval.

    The standard error is ``|ratio| hypot(a.sem/a.mean, b.sem/b.mean)`` (``a.sem/|b.mean|`` at ``a.mean = 0``,
    its limit); ``b.mean`` must not be 0.
    """
    for name, e in (("a", a), ("b", b)):
        require_instance(name, e, Estimate, "mean_ci(samples)")
        if e.sem is None:
            raise ValueError(f"{name} must carry its standard error (sem), got {short(e)}")
    if b.mean == 0:
        raise ValueError("b must have a non-zero mean (it is the denominator), got 0")
    level = require_real("level", level, **_OPEN_UNIT)
    ratio = a.mean / b.mean
    if a.mean != 0:
        sem = abs(ratio) * math.hypot(a.sem / a.mean, b.sem / b.mean)
    else:  # the same delta method, written without dividing by a.mean
        sem = a.sem / abs(b.mean)
    z = _quantile(scipy.stats.norm, level)
    low, high = _interval(ratio, sem, z, "ratio", "a and b")
    return Estimate(
        mean=ratio,
        low=low,
        high=high,
        n=a.n + b.n,
        level=level,
        method="ratio of two independent runs' chain means, delta method, normal interval",
        sem=sem,
    )


def loglog_fit(ks, estimates, level: float, degree: int = 1) -> PolynomialFit:
    r"""Weighted least-squares polynomial of ``log E[Y_K]`` in ``log K`` through independent estimates
    (:func:`verify.sim.stats.fit_polynomial`, with its chi-square lack-of-fit test and covariance scaled by
    chi2/dof when that exceeds 1).

    Weights ``1/se_j^2``, ``se_j = sem_j/mean_j`` (delta method for the log of a mean of many chains).

    >>> ests = [Estimate(k**-0.5, 0, 0, 100, 0.95, sem=0.01 * k**-0.5) for k in (100, 400, 1600)]
    >>> fit = loglog_fit([100, 400, 1600], ests, 0.95)
    >>> round(float(fit.coefficients[1]), 12), fit.fits()
    (-0.5, True)
    """
    x = np.log(require_array("ks", ks, ndim=1, low=0.0, low_open=True))
    estimates = _require_estimates(estimates, positive_mean=True)
    if x.size < 2 or len(estimates) != x.size:
        raise ValueError(f"ks and estimates must have the same length >= 2, got {x.size} and {len(estimates)}")
    if not np.ptp(x) > 0:
        raise ValueError(f"ks must hold at least two different values, got {short(list(ks))}")
    return fit_polynomial(
        x,
        np.log([e.mean for e in estimates]),
        [e.sem / e.mean for e in estimates],
        degree,
        level,
        n=sum(e.n for e in estimates),
    )


def loglog_slope(ks, estimates, level: float) -> Estimate:
    r"""Slope of ``log E[Y_K]`` against ``log K`` (the line of :func:`loglog_fit`) with its normal interval; the
    fit's chi2/dof and p-value are in ``method``.

    >>> ests = [Estimate(k**-0.5, 0, 0, 100, 0.95, sem=0.01 * k**-0.5) for k in (100, 400, 1600)]
    >>> round(loglog_slope([100, 400, 1600], ests, 0.95).mean, 12)
    -0.5
    """
    return loglog_fit(ks, estimates, level).slope_at(0.0)
