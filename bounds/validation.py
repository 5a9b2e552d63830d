"""Parameter checks shared by ``bounds`` and ``verify``.

Every public constructor and function validates its input at once and raises a
:class:`ValueError` whose message names the parameter, the allowed range and the
value it got, so that bad input never surfaces as a traceback from deep inside
numpy or as a silent NaN.

>>> require_real("tau", 2)
2.0
>>> require_real("tau", -1.0, low=0.0, low_open=True)
Traceback (most recent call last):
...
ValueError: tau must be a finite real number > 0, got -1.0
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["require_real", "require_int", "require_array", "describe_range"]


def describe_range(low=None, high=None, low_open=False, high_open=False) -> str:
    """The allowed range in words, e.g. ``"> 0"`` or ``"in [0, 1)"``."""
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def _in_range(x, low, high, low_open, high_open) -> bool:
    if low is not None and (x < low or (low_open and x == low)):
        return False
    if high is not None and (x > high or (high_open and x == high)):
        return False
    return True


def require_real(name: str, value, *, low=None, high=None, low_open=False, high_open=False) -> float:
    """Return ``value`` as a float after checking it is a finite real number in the range."""
    allowed = " ".join(filter(None, ["a finite real number", describe_range(low, high, low_open, high_open)]))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    try:
        x = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(f"{name} must be {allowed}, got an integer with {len(str(value))} digits") from None
    if not math.isfinite(x) or not _in_range(x, low, high, low_open, high_open):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return x


def require_int(name: str, value, *, low=None, high=None) -> int:
    """Return ``value`` as an int after checking it is an integer in ``[low, high]``."""
    allowed = " ".join(filter(None, ["an integer", describe_range(low, high)]))
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    n = int(value)
    if not _in_range(n, low, high, False, False):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return n


def require_array(
    name: str, value, *, shape=None, ndim=None, low=None, high=None, low_open=False, high_open=False
) -> np.ndarray:
    """Return ``value`` as a float64 array after checking shape, finiteness and range.

    ``shape`` may contain ``None`` for a free axis. The array is copied and made read-only
    so that frozen parameter objects cannot be changed behind their back.
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):  # ragged nesting, unconvertible objects
        raw = None
    if raw is None or raw.dtype.kind not in "iuf":  # rejects bool, complex, strings, objects
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        raise ValueError(f"{name} must be an array of finite real numbers, got {shown}")
    try:
        arr = np.array(raw, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"{name} must contain only finite values (an entry is too large for a float)") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None and (
        arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape))
    ):
        expected = (
            "(" + ", ".join("any" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
        )
        raise ValueError(f"{name} must have shape {expected}, got shape {arr.shape}")
    if arr.size and not np.isfinite(arr).all():
        raise ValueError(f"{name} must contain only finite values (no NaN or infinity)")
    if arr.size and (low is not None or high is not None):
        bad = ~(((arr > low) if low_open else (arr >= low)) if low is not None else np.ones(arr.shape, bool))
        if high is not None:
            bad |= ~((arr < high) if high_open else (arr <= high))
        if bad.any():
            first = float(arr[bad].flat[0])
            raise ValueError(
                f"{name} must have every entry {describe_range(low, high, low_open, high_open)}, got {first!r}"
            )
    arr.setflags(write=False)
    return arr
