"""Shared hypothesis strategies and the outcome contract of the public API.

Every public function of ``bounds`` and every public constructor and entry point of ``verify``
promises one of two outcomes for any input:

* a result in which no NaN hides anywhere (numbers, arrays, dataclass fields, dict values), and
  no infinity either, except where the result documents it (a :class:`bounds.applicability.Bound`
  that is not applicable may carry an infinite value; see :data:`DOCUMENTED_INFINITY`);
* a :class:`ValueError` or :class:`TypeError` whose message names a parameter it was given.

Anything else is a defect: another exception type (``OverflowError``, ``KeyError``, scipy's or
mpmath's own errors), a warning, a message that does not name the parameter, or no answer within
:data:`TIME_LIMIT` seconds (a size argument without an upper bound). :func:`check_outcome` asserts
the contract for one call; :func:`bad_values` draws the inputs that break it most often.
"""

from __future__ import annotations

import dataclasses
import math
import re
import signal
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

__all__ = [
    "ApiCase",
    "BAD_SCALARS",
    "TIME_LIMIT",
    "bad_values",
    "check_outcome",
    "changes_for",
    "non_finite_paths",
]

#: seconds a single call may take before it counts as "no answer" (every size argument is capped
#: well below what a call could take this long on)
TIME_LIMIT = 20.0


class _Opaque:
    def __repr__(self):
        return "<opaque object>"


#: the classes of bad input found by the fuzz run of issue 15: non-finite and extreme floats,
#: subnormals, integers beyond any float or int64, wrong types and wrong shapes
BAD_SCALARS = (
    math.nan,
    math.inf,
    -math.inf,
    0,
    0.0,
    -1,
    -0.5,
    0.5,
    2.5,
    1e308,
    -1e308,
    1e-320,
    -1e-320,
    1e-300,
    10**400,
    -(10**400),
    2**63,
    10**18,
    None,
    "x",
    "1.0",
    1 + 1j,
    True,
    [],
    [1.0, 2.0],
    [[1.0], [2.0, 3.0]],
    {},
    _Opaque(),
    np.float64(math.nan),
    np.array(math.inf),
    np.array([math.nan, 1.0]),
    np.zeros((2, 2)),
    np.int64(3),
)


def bad_values() -> st.SearchStrategy:
    """One bad (or edge) input: a listed one, any float (NaN and infinities included), a huge or
    negative integer, or a short string."""
    return st.one_of(
        st.sampled_from(BAD_SCALARS),
        st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
        st.integers(min_value=-(10**30), max_value=10**30) | st.sampled_from([10**100, 2**200]),
        st.text(max_size=3),
    )


@dataclass(frozen=True)
class ApiCase:
    """A public callable with a valid call: ``target(**valid)`` must succeed.

    ``aliases`` maps a parameter to other words an error message may use for it (the symbol of a
    formula, e.g. ``f_gap`` -> ``Delta_f``); ``examples`` caps the draws for a costly callable.
    """

    name: str
    target: Callable
    valid: dict
    aliases: dict = field(default_factory=dict)
    examples: int | None = None
    fixed: tuple = ()
    """Parameters not to mutate (callables, flags whose bad values are another case's business)."""

    @property
    def parameters(self) -> tuple:
        return tuple(p for p in self.valid if p not in self.fixed)


def changes_for(case: ApiCase) -> st.SearchStrategy:
    """One or two parameters of ``case`` replaced by bad values."""
    names = case.parameters
    if not names:
        return st.just({})
    count = st.integers(min_value=1, max_value=min(2, len(names)))
    return count.flatmap(
        lambda n: st.lists(st.sampled_from(names), min_size=n, max_size=n, unique=True).flatmap(
            lambda chosen: st.fixed_dictionaries({p: bad_values() for p in chosen})
        )
    )


class _TimeLimit(BaseException):
    """Raised inside the call when it runs past the limit (a BaseException, so no ``except
    Exception`` in the code under test swallows it)."""


def _alarm(signum, frame):
    raise _TimeLimit


def _call(target: Callable, kwargs: dict, limit: float):
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return target(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: results that may be infinite by their documentation: a Bound whose condition fails
#: (``Bound`` docs: "value may be infinite ... only when a condition fails") and the unbounded side
#: of an interval (``Estimate`` docs: "low and high ... may be infinite only for a side the
#: interval does not bound")
DOCUMENTED_INFINITY = ("a Bound that is not applicable", "an Estimate's unbounded side")


def non_finite_paths(value, path: str = "result", *, seen=None) -> list[str]:
    """Where NaN (anywhere) or an undocumented infinity hides in ``value``."""
    from bounds.applicability import Bound
    from verify.sim.stats import Estimate

    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    if isinstance(value, (bool, str, bytes, type(None))):
        return []
    if isinstance(value, (float, np.floating, int, np.integer)):
        x = float(value) if not isinstance(value, int) or abs(value) < 2**1000 else 0.0
        return [] if math.isfinite(x) else [f"{path} = {x}"]
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "fc":
            return []
        bad = ~np.isfinite(value)
        return [f"{path} has {int(bad.sum())} non-finite entries"] if bad.any() else []
    seen.add(id(value))
    if isinstance(value, Estimate):
        found = non_finite_paths(value.mean, f"{path}.mean", seen=seen)
        found += [f"{path}.{side} is NaN" for side in ("low", "high") if math.isnan(getattr(value, side))]
        return found
    if isinstance(value, Bound):
        found = [] if math.isfinite(value.value) or not value.applicable else [f"{path}.value = {value.value}"]
        if math.isnan(value.value):
            found.append(f"{path}.value is NaN")
        for key, term in value.terms.items():
            for hit in non_finite_paths(term, f"{path}.terms[{key!r}]", seen=seen):
                if "nan" in hit.lower() or value.applicable:
                    found.append(hit)
        return found
    if isinstance(value, dict):
        return [h for k, v in value.items() for h in non_finite_paths(v, f"{path}[{k!r}]", seen=seen)]
    if isinstance(value, (list, tuple)):
        return [h for i, v in enumerate(value) for h in non_finite_paths(v, f"{path}[{i}]", seen=seen)]
    if dataclasses.is_dataclass(value):
        return [
            h
            for f in dataclasses.fields(value)
            for h in non_finite_paths(getattr(value, f.name, None), f"{path}.{f.name}", seen=seen)
        ]
    return []


def _names(message: str, parameter: str, aliases: dict) -> bool:
    words = (parameter, *aliases.get(parameter, ()))
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", message) for w in words)


def check_outcome(case: ApiCase, changes: dict):
    """Call ``case`` with ``changes`` applied and assert the contract of this module's docstring."""
    kwargs = {**case.valid, **changes}
    shown = ", ".join(f"{k}={v!r}"[:80] for k, v in changes.items())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = _call(case.target, kwargs, TIME_LIMIT)
        except _TimeLimit:
            raise AssertionError(f"{case.name}({shown}): no answer within {TIME_LIMIT:g} s") from None
        except (ValueError, TypeError) as error:
            message = str(error)
            if changes and not any(_names(message, p, case.aliases) for p in changes):
                raise AssertionError(
                    f"{case.name}({shown}): the error does not name {' or '.join(changes)}: "
                    f"{type(error).__name__}: {message}"
                ) from error
            if isinstance(error, Warning):  # a warning turned error is not a named refusal
                raise
            return None
    hidden = non_finite_paths(result)
    assert not hidden, f"{case.name}({shown}) returned a non-finite value: {'; '.join(hidden[:3])}"
    return result
