r"""Verdicts: a claim's evidence (an interval) against its statement (a value, a relation, a tolerance).

The rules (``shared/design.md``), for an estimate with confidence interval [low, high]:

* ``upper`` (the quantity is at most ``theoretical``): confirmed if ``high <= theoretical``,
  refuted if ``low > theoretical``, otherwise inconclusive;
* ``lower`` (at least): confirmed if ``low >= theoretical``, refuted if ``high < theoretical``;
* ``equal`` (equal up to a stated :class:`Tolerance`): an equivalence test (two one-sided tests) against
  the band ``[lo, hi]`` the tolerance draws around the value: confirmed if the whole interval lies inside
  the band, refuted if it lies entirely outside, inconclusive otherwise. More samples therefore decide an
  approximately true statement as confirmed, never as refuted;
* ``identity``: an exact (symbolic or exhaustive) check, confirmed or refuted outright, up to a stated
  resolution for floating-point rounding.

``not applicable`` (the statement's own conditions fail) and ``not checkable here`` (needs data
or hardware) are decided before any comparison.

Many claims are checked at once, so a nominal 95% per interval would let about one in twenty
true statements look refuted somewhere. :func:`family_level` gives the Bonferroni level that
keeps the chance of any false refutation across ``m`` interval checks at most 5%.

>>> from verify.sim.stats import Estimate
>>> est = Estimate(mean=1.0, low=0.9, high=1.1, n=100, level=0.95)
>>> decide(est, 1.2, "upper"), decide(est, 0.8, "upper"), decide(est, 1.05, "upper")
('confirmed', 'refuted', 'inconclusive')
>>> five = Tolerance(0.05, "approximately: within 5%")
>>> [decide(Estimate(m, lo, hi, 100, 0.95), 1.0, "equal", tolerance=five)
...  for m, lo, hi in ((0.99, 0.989, 0.991), (1.2, 1.1, 1.3), (1.0, 0.9, 1.1))]
['confirmed', 'refuted', 'inconclusive']
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bounds.validation import require_int, require_real

from ..sim.stats import Estimate, PolynomialFit

__all__ = ["VERDICTS", "KINDS", "RELATIONS", "Tolerance", "decide", "decide_fit", "family_level"]

#: the five verdicts, spelled as in ``check --json``
VERDICTS = ("confirmed", "refuted", "inconclusive", "not applicable", "not checkable here")

#: what a refutation is: a slip whose intended statement the same check confirms, or a substantive error
KINDS = ("erratum", "refuted")

#: how a claim's statement relates the quantity to its theoretical value
RELATIONS = ("upper", "lower", "equal", "identity", "scaling", "table", "external")


def family_level(m: int, familywise: float = 0.95) -> float:
    """Per-interval confidence level so that ``m`` intervals all hold with probability >= ``familywise``.

    Bonferroni: ``1 - (1 - familywise)/m``.

    >>> family_level(1), round(family_level(20), 6)
    (0.95, 0.9975)
    """
    m = require_int("m", m, low=1)
    familywise = require_real("familywise", familywise, low=0.0, high=1.0, low_open=True, high_open=True)
    return 1.0 - (1.0 - familywise) / m


@dataclass(frozen=True)
class Tolerance:
    """A claim's tolerance, margin or threshold, fixed from the paper's wording before any run.

    ``scale`` says how ``value`` is used: ``relative`` draws the band ``theoretical (1 -+ value)`` around a
    value, ``absolute`` the band ``theoretical -+ value``, and ``threshold`` makes ``value`` itself the number
    the check compares with (e.g. "much better" read as a ratio of at least 2). ``reason`` quotes or
    paraphrases the paper's wording that fixes it.

    >>> Tolerance(0.05, "'approximately'").band(2.0), Tolerance(0.25, "slope 'about 0'", "absolute").band(0.0)
    ((1.9, 2.1), (-0.25, 0.25))
    """

    value: float
    reason: str
    scale: str = "relative"

    def __post_init__(self):
        require_real("value", self.value, low=0.0, low_open=self.scale != "threshold")
        if self.scale not in ("relative", "absolute", "threshold"):
            raise ValueError(f"scale must be 'relative', 'absolute' or 'threshold', got {self.scale!r}")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValueError("reason must say, from the paper's wording, why this tolerance")

    def band(self, theoretical: float) -> tuple[float, float]:
        """The equivalence band around ``theoretical``."""
        if self.scale == "threshold":
            raise ValueError("a threshold draws no band: compare with its value")
        half = self.value * abs(theoretical) if self.scale == "relative" else self.value
        return theoretical - half, theoretical + half

    def describe(self) -> str:
        if self.scale == "relative":
            return f"+-{100 * self.value:g}% (relative)"
        if self.scale == "absolute":
            return f"+-{self.value:g} (absolute)"
        return f"threshold {self.value:g}"

    def record(self) -> dict:
        return {"value": self.value, "scale": self.scale, "reason": self.reason, "text": self.describe()}


def decide(estimate: Estimate, theoretical: float, relation: str, *, tolerance: Tolerance | None = None) -> str:
    """The verdict of an interval ``estimate`` against ``theoretical`` under ``relation`` (``equal`` needs its
    ``tolerance``)."""
    if not isinstance(estimate, Estimate):
        raise ValueError(f"estimate must be a verify.sim.stats.Estimate, got {type(estimate).__name__}")
    theoretical = (
        require_real("theoretical", theoretical)
        if not (isinstance(theoretical, float) and math.isinf(theoretical))
        else theoretical
    )
    if relation == "upper":
        return (
            "confirmed" if estimate.high <= theoretical else "refuted" if estimate.low > theoretical else "inconclusive"
        )
    if relation == "lower":
        return (
            "confirmed" if estimate.low >= theoretical else "refuted" if estimate.high < theoretical else "inconclusive"
        )
    if relation == "equal":
        if not isinstance(tolerance, Tolerance):
            raise ValueError(f"tolerance must be a Tolerance for an 'equal' statement, got {tolerance!r}")
        lo, hi = tolerance.band(theoretical)
        if lo <= estimate.low and estimate.high <= hi:
            return "confirmed"
        return "refuted" if estimate.high < lo or estimate.low > hi else "inconclusive"
    raise ValueError(f"relation must be 'upper', 'lower' or 'equal' for an interval, got {relation!r}")


def decide_fit(
    line: PolynomialFit,
    quantity: str,
    theoretical: float,
    relation: str,
    *,
    tolerance: Tolerance | None = None,
    curved: PolynomialFit | None = None,
) -> tuple[str, Estimate | None, dict]:
    """A verdict on a fitted ``quantity`` (``"intercept"``: the value at x = 0; ``"slope"``) that accounts for
    misfit: the line's estimate when the line passes its lack-of-fit test; else, when ``curved`` (a fit with
    curvature) passes, that model's intercept or its local slope over the fitted range
    (:meth:`~verify.sim.stats.PolynomialFit.slope_envelope`); else ``inconclusive`` (no fitted model describes
    the data, so no fitted number can decide). Returns ``(verdict, estimate, record)``; the record holds both
    fits' chi2/dof and p-values and which model decided.

    >>> from verify.sim.stats import fit_polynomial
    >>> x, se = [0.0, 1.0, 2.0, 3.0], [0.01] * 4
    >>> y = [0.0, 1.0, 4.0, 9.0]
    >>> line, quad = fit_polynomial(x, y, se, 1, 0.99), fit_polynomial(x, y, se, 2, 0.99)
    >>> decide_fit(line, "intercept", 0.0, "equal", tolerance=Tolerance(0.1, "x", "absolute"))[0]
    'inconclusive'
    >>> decide_fit(line, "intercept", 0.0, "equal", tolerance=Tolerance(0.1, "x", "absolute"), curved=quad)[0]
    'confirmed'
    """
    if quantity not in ("intercept", "slope"):
        raise ValueError(f"quantity must be 'intercept' or 'slope', got {quantity!r}")
    record = {"line": line.record(), "curved": curved.record() if curved is not None else None}
    for name, fit in (("line", line), ("curved", curved)):
        if fit is not None and fit.fits():
            est = fit.value_at(0.0) if quantity == "intercept" else fit.slope_envelope()
            record["decided_by"] = name
            return decide(est, theoretical, relation, tolerance=tolerance), est, record
    record["decided_by"] = None
    record["why_inconclusive"] = (
        f"the line is rejected (chi2/dof = {line.chi2:.3g}/{line.dof}, p = {line.p_value:.3g} < {1 - line.level:.3g})"
        + ("" if curved is None else f" and so is the curved fit (p = {curved.p_value:.3g})")
        + "; no fitted model describes the data"
    )
    est = line.value_at(0.0) if quantity == "intercept" else line.slope_envelope()
    return "inconclusive", est, record
