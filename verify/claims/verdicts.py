r"""Verdicts: a claim's evidence (an interval) against its statement (a value and a relation).

The rules (``shared/design.md``), for an estimate with confidence interval [low, high]:

* ``upper`` (the quantity is at most ``theoretical``): confirmed if ``high <= theoretical``,
  refuted if ``low > theoretical``, otherwise inconclusive;
* ``lower`` (at least): confirmed if ``low >= theoretical``, refuted if ``high < theoretical``;
* ``equal`` (equal, up to a stated resolution ``rtol``): refuted if the interval excludes the value;
  confirmed if it covers it and is narrow enough to tell a ``rtol`` relative difference apart
  (half-width <= ``rtol`` |value|); inconclusive if it covers it but is wider;
* ``identity``: an exact (symbolic or exhaustive) check, confirmed or refuted outright.

``not applicable`` (the statement's own conditions fail) and ``not checkable here`` (needs data
or hardware) are decided before any comparison.

Many claims are checked at once, so a nominal 95% per interval would let about one in twenty
true statements look refuted somewhere. :func:`family_level` gives the Bonferroni level that
keeps the chance of any false refutation across ``m`` interval checks at most 5%.

>>> from verify.sim.stats import Estimate
>>> est = Estimate(mean=1.0, low=0.9, high=1.1, n=100, level=0.95)
>>> decide(est, 1.2, "upper"), decide(est, 0.8, "upper"), decide(est, 1.05, "upper")
('confirmed', 'refuted', 'inconclusive')
>>> decide(est, 1.0, "equal", rtol=0.05), decide(est, 1.0, "equal", rtol=0.2)
('inconclusive', 'confirmed')
"""

from __future__ import annotations

import math

from bounds.validation import require_int, require_real

from ..sim.stats import Estimate

__all__ = ["VERDICTS", "RELATIONS", "decide", "family_level"]

#: the five verdicts, spelled as in ``check --json``
VERDICTS = ("confirmed", "refuted", "inconclusive", "not applicable", "not checkable here")

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


def decide(estimate: Estimate, theoretical: float, relation: str, *, rtol: float | None = None) -> str:
    """The verdict of an interval ``estimate`` against ``theoretical`` under ``relation``."""
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
        rtol = require_real("rtol", rtol, low=0.0, low_open=True)
        if not estimate.covers(theoretical):
            return "refuted"
        return "confirmed" if estimate.half_width <= rtol * abs(theoretical) else "inconclusive"
    raise ValueError(f"relation must be 'upper', 'lower' or 'equal' for an interval, got {relation!r}")
