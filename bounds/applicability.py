r"""A bound's value together with the conditions under which the paper states it.

Every bound function of ``bounds`` returns a :class:`Bound`: the number, its relation to the
quantity it bounds, and one :class:`Condition` per hypothesis of the theorem that can be checked
from the parameters (a step-size rule, ``W_max < tau``, ``33 P_max^2/tau^2 < 1``...), each with
its two sides as numbers. Hypotheses on the problem itself (smoothness with constant L, the noise
variance) cannot be checked from numbers and are listed in ``assumes``: the caller vouches for
them. A caller can then tell a bound that holds from one that is not applicable (a condition
fails) or vacuous (no better than what is known anyway, e.g. ``||P||_inf^2 <= tau^2``).

>>> b = Bound("demo", "upper", 0.5, (Condition("alpha <= 1/(2L)", 0.1, "<=", 0.25),), source="doctest")
>>> b.applicable, b.status
(True, 'applicable')
>>> Bound("demo", "upper", 2.0, (Condition("alpha <= 1/(2L)", 0.5, "<=", 0.25),), source="doctest").status
'not applicable: alpha <= 1/(2L) fails (0.5 <= 0.25)'
"""

from __future__ import annotations

import math
import numbers
import operator
from dataclasses import dataclass, field

__all__ = ["Condition", "Bound"]

_COMPARE = {"<": operator.lt, "<=": operator.le, "==": operator.eq, ">=": operator.ge, ">": operator.gt}


def _shown(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"an integer with {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _string(name: str, value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {_shown(value)}")
    return value


def _number(name: str, value, *, infinite: bool) -> float:
    """``value`` as a float: a real number (not a bool), never NaN; infinite only if ``infinite``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_shown(value)}")
    try:
        x = float(value)
    except (OverflowError, ValueError, TypeError):  # an int beyond float64
        x = (math.inf if value > 0 else -math.inf) if isinstance(value, numbers.Integral) else math.nan
        if math.isnan(x) or not infinite:
            raise ValueError(f"{name} must be a real number within float64, got {_shown(value)}") from None
    if math.isnan(x) or (math.isinf(x) and not infinite):
        allowed = "a real number, not NaN" if infinite else "a finite real number"
        raise ValueError(f"{name} must be {allowed}, got {x}")
    return x


@dataclass(frozen=True)
class Condition:
    """One checkable hypothesis ``lhs <relation> rhs``, e.g. ``alpha <= 1/(2L)`` as ``0.1 <= 0.25``."""

    statement: str
    """The hypothesis as the paper writes it, e.g. ``"alpha <= 1/(2L)"``."""
    lhs: float
    relation: str
    """One of ``<``, ``<=``, ``==``, ``>=``, ``>``."""
    rhs: float
    source: str = ""
    """Where the paper states it, e.g. ``"Theorem 1 statement"`` or ``"proof, before (61)"``."""
    holds: bool = field(init=False)

    def __post_init__(self):
        _string("statement", self.statement)
        if not isinstance(self.relation, str) or self.relation not in _COMPARE:
            raise ValueError(f"relation must be one of {sorted(_COMPARE)}, got {_shown(self.relation)}")
        lhs = _number(f"lhs (of {self.statement!r})", self.lhs, infinite=False)
        rhs = _number(f"rhs (of {self.statement!r})", self.rhs, infinite=False)
        _string("source", self.source)
        object.__setattr__(self, "lhs", lhs)
        object.__setattr__(self, "rhs", rhs)
        object.__setattr__(self, "holds", bool(_COMPARE[self.relation](lhs, rhs)))

    def __str__(self) -> str:
        return f"{self.statement} {'holds' if self.holds else 'fails'} ({self.lhs:.6g} {self.relation} {self.rhs:.6g})"


@dataclass(frozen=True)
class Bound:
    """A theorem's value for concrete parameters, with its conditions.

    ``value`` may be infinite or of the wrong sign only when a condition fails (a denominator
    ``1 - W_max^2/tau^2 <= 0`` comes with the failing condition ``W_max < tau``); anything else is
    a bug and raises at construction, so no meaningless bound is ever returned silently. The same
    holds for ``terms``: real numbers, never NaN, infinite only when a condition fails. Every field
    is checked on construction (a TypeError or ValueError naming it).
    """

    name: str
    relation: str
    """``upper``, ``lower`` or ``equal``: how ``value`` relates to the quantity."""
    value: float
    conditions: tuple = ()
    """The checkable hypotheses, as :class:`Condition` objects."""
    source: str = ""
    assumes: tuple = ()
    """Hypotheses on the problem the caller vouches for (e.g. ``"A1: f is L-smooth"``)."""
    terms: dict = field(default_factory=dict)
    """Named parts of ``value`` (e.g. ``{"rate": ..., "asymptotic": ...}``)."""
    trivial: float | None = None
    """For an upper bound, a value known to hold anyway; a bound at or above it is vacuous."""

    def __post_init__(self):
        _string("name", self.name)
        if not isinstance(self.relation, str) or self.relation not in ("upper", "lower", "equal"):
            raise ValueError(f"relation must be 'upper', 'lower' or 'equal', got {_shown(self.relation)}")
        object.__setattr__(self, "value", _number(f"{self.name}: value", self.value, infinite=True))
        object.__setattr__(self, "conditions", _sequence("conditions", self.conditions, Condition, "Condition objects"))
        _string("source", self.source)
        object.__setattr__(self, "assumes", _sequence("assumes", self.assumes, str, "strings"))
        if not isinstance(self.terms, dict):
            raise TypeError(f"terms must be a dict (name -> real number), got {_shown(self.terms)}")
        terms = {}
        for key, term in self.terms.items():
            _string("terms' keys", key)
            terms[key] = _number(f"{self.name}: terms[{key!r}]", term, infinite=True)
        if self.trivial is not None:
            object.__setattr__(self, "trivial", _number("trivial", self.trivial, infinite=False))
        meaningless = math.isinf(self.value) or (self.relation == "upper" and self.value < 0)
        if meaningless and self.applicable:
            raise ValueError(f"{self.name}: value {self.value} although every condition holds")
        infinite = [key for key, x in terms.items() if math.isinf(x)]
        if infinite and self.applicable:
            raise ValueError(f"{self.name}: terms[{infinite[0]!r}] is infinite although every condition holds")

    @property
    def failed(self) -> tuple:
        """The conditions that fail."""
        return tuple(c for c in self.conditions if not c.holds)

    @property
    def applicable(self) -> bool:
        """Every checkable condition holds."""
        return not self.failed

    @property
    def vacuous(self) -> bool:
        """An applicable upper bound no better than the known ``trivial`` one."""
        return self.applicable and self.relation == "upper" and self.trivial is not None and self.value >= self.trivial

    @property
    def status(self) -> str:
        """``applicable``, ``vacuous (...)`` or ``not applicable: <the failing conditions>``."""
        if not self.applicable:
            return "not applicable: " + "; ".join(map(str, self.failed))
        if self.vacuous:
            return f"vacuous ({self.value:.6g} >= the trivial {self.trivial:.6g})"
        return "applicable"

    def __str__(self) -> str:
        return f"{self.name}: {self.relation} {self.value:.6g} [{self.status}]"


def _sequence(name: str, value, cls, what: str) -> tuple:
    """``value`` as a tuple of ``cls`` instances (a TypeError naming ``name`` otherwise)."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (tuple, list)):
        raise TypeError(f"{name} must be a tuple of {what}, got {_shown(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, cls):
            raise TypeError(f"{name} must be a tuple of {what}; {name}[{i}] is {_shown(item)}")
    return tuple(value)
