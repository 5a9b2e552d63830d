"""Upper limits on the simulation layer's arguments, checked after their usual ranges.

A value below its range gets :mod:`bounds.validation`'s message (``dim must be an integer >= 1, got 0``);
a value above a cap gets the cap with its reason (``dim must be an integer in [1, 4096] (a dense D x D
Hessian ...), got 5000``).
"""

from __future__ import annotations

import numbers

import numpy as np

from bounds.validation import describe_range, require_array, require_int, require_real

__all__: list[str] = []


def short(value) -> str:
    """``repr(value)`` cut to 80 characters, for error messages."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def capped_int(name: str, value, *, low: int, high: int, reason: str) -> int:
    """:func:`require_int` with ``low``; above ``high`` the cap and its ``reason`` are named."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > high:
        return require_int(name, value, low=low, high=high, reason=reason)
    return require_int(name, value, low=low)


def capped_real(name: str, value, *, low: float, high: float, reason: str, low_open: bool = False) -> float:
    """:func:`require_real` with ``low``; above ``high`` the cap and its ``reason`` are named."""
    x = require_real(name, value, low=low, low_open=low_open)
    if x > high:
        allowed = describe_range(low, high, low_open, False)
        raise ValueError(f"{name} must be a finite real number {allowed} ({reason}), got {x!r}")
    return x


def capped_array(name: str, value, *, low: float, high: float, reason: str) -> np.ndarray:
    """:func:`require_array` with every entry ``>= low``; an entry above ``high`` gets the cap and its reason."""
    arr = require_array(name, value, low=low)
    if arr.size and arr.max() > high:
        raise ValueError(
            f"{name} must have every entry {describe_range(low, high)} ({reason}), got {float(arr.max())!r}"
        )
    return arr
