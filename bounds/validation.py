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

The numeric policy, fixed once for the whole toolkit:

* reals are finite floats; subnormal numbers (``0 < |x| < 2.2e-308``) are refused, since a closed
  form in them loses every significant digit (``GaussianLaw(1e-320).mean_abs()`` would be NaN);
* integers are at most :data:`INT_LIMIT` (``2**53``, the largest range float64 holds exactly) unless
  a caller sets its own, lower cap on a size, a precision or a loop count, with the reason;
* a closed form whose float64 value overflows (or is undefined) at finite inputs raises
  :func:`require_finite_value`'s ValueError naming the inputs, never returns inf or NaN;
* objects of the wrong class get a TypeError naming the parameter (:func:`require_instance`), and
  allocations are estimated before they are made (:func:`require_memory`).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "INT_LIMIT",
    "MEMORY_LIMIT",
    "SEED_LIMIT",
    "describe_range",
    "require_array",
    "require_finite_value",
    "require_instance",
    "require_int",
    "require_memory",
    "require_real",
]

#: the default upper bound of every integer argument: float64 holds every integer up to 2**53 exactly
INT_LIMIT = 2**53
#: the upper bound of a seed: numpy's SeedSequence entropy, recorded in full (128 bits)
SEED_LIMIT = 2**128 - 1
#: the largest single allocation a public function makes on request (bytes): 4 GiB
MEMORY_LIMIT = 4 * 2**30
_TINY = 2.2250738585072014e-308  # the smallest normal float64


def _number(x) -> str:
    if isinstance(x, numbers.Integral) and x >= 10**6:
        x = int(x)
        if x & (x - 1) == 0:
            return f"2**{x.bit_length() - 1}"
        if x & (x + 1) == 0:
            return f"2**{x.bit_length()} - 1"
        return f"{float(x):.6g}" if x < 10**300 else f"~1e{len(str(x)) - 1}"
    if isinstance(x, numbers.Integral) and x <= -(10**300):
        return f"~-1e{len(str(-int(x))) - 1}"
    return f"{float(x):g}"


def _shown(value) -> str:
    """``repr(value)``, shortened to 80 characters (a huge integer by its number of digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"an integer with {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def describe_range(low=None, high=None, low_open=False, high_open=False) -> str:
    """The allowed range in words, e.g. ``"> 0"`` or ``"in [0, 1)"``; ``low`` and ``high`` are real
    numbers or None (a TypeError naming them otherwise)."""
    for name, end in (("low", low), ("high", high)):
        if end is not None and (isinstance(end, bool) or not isinstance(end, numbers.Real)):
            raise TypeError(f"{name} must be a real number or None, got {_shown(end)}")
    for name, flag in (("low_open", low_open), ("high_open", high_open)):
        if not isinstance(flag, (bool, np.bool_)) and not (isinstance(flag, numbers.Integral) and flag in (0, 1)):
            raise TypeError(f"{name} must be True or False, got {_shown(flag)}")
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{_number(low)}, {_number(high)}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {_number(low)}"
    if high is not None:
        return f"{'<' if high_open else '<='} {_number(high)}"
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
        raise ValueError(f"{name} must be {allowed}, got {_shown(value)}")
    try:
        x = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(f"{name} must be {allowed}, got {_shown(value)}") from None
    if not math.isfinite(x) or not _in_range(x, low, high, low_open, high_open):
        raise ValueError(f"{name} must be {allowed}, got {_shown(value)}")
    if x != 0 and abs(x) < _TINY:
        raise ValueError(f"{name} must be 0 or of magnitude >= {_TINY:.3g} (a normal float64), got {x!r}")
    return x


def require_int(name: str, value, *, low=None, high=INT_LIMIT, reason: str = "") -> int:
    """Return ``value`` as an int after checking it is an integer in ``[low, high]``.

    ``high`` defaults to :data:`INT_LIMIT`; a cap on a size or a precision passes its own with the
    ``reason`` (shown in the message, e.g. "so that a call finishes in seconds").
    """
    integral = not isinstance(value, bool) and isinstance(value, numbers.Integral)
    if integral and _in_range(int(value), low, high, False, False):
        return int(value)
    # the default cap is named only when it is what the value breaks
    shown_high = None if high == INT_LIMIT and not (integral and int(value) > high) else high
    allowed = " ".join(filter(None, ["an integer", describe_range(low, shown_high)]))
    if reason:
        allowed += f" ({reason})"
    raise ValueError(f"{name} must be {allowed}, got {_shown(value)}")


def require_instance(name: str, value, cls, example: str = ""):
    """Return ``value`` after checking it is a ``cls`` (a TypeError naming ``name`` otherwise)."""
    if not isinstance(value, cls):
        kinds = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        hint = f" (e.g. {example})" if example else ""
        raise TypeError(f"{name} must be a {kinds}{hint}, got {_shown(value)}")
    return value


def require_memory(name: str, nbytes: int, what: str, limit: int = MEMORY_LIMIT) -> None:
    """Refuse, before allocating, a request whose ``what`` needs more than ``limit`` bytes."""
    number = not isinstance(nbytes, bool) and isinstance(nbytes, numbers.Real)
    if not number or (not isinstance(nbytes, numbers.Integral) and math.isnan(nbytes)) or nbytes < 0:
        raise ValueError(f"{name}: the size of {what} must be a number of bytes >= 0, got {_shown(nbytes)}")
    if nbytes > limit:
        try:
            gib = nbytes / 2**30
        except OverflowError:  # an int beyond float64
            gib = math.inf
        raise ValueError(
            f"{name} is too large: {what} would need {gib:.3g} GiB, more than the "
            f"{limit / 2**30:.3g} GiB a call may allocate"
        )


def require_finite_value(what: str, value, **inputs) -> float:
    """Return ``value`` as a float if it is finite; otherwise a ValueError naming the inputs.

    For a closed form evaluated in float64: at finite inputs a non-finite value means the result
    leaves float64's range (about 1e-308 to 1e308). The message names the inputs of extreme
    magnitude (outside 1e-100 to 1e100), or every input when none is extreme.
    """
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{what} must be a real number, got {_shown(value)}")
    try:
        x = float(value)
    except OverflowError:  # an int beyond float64
        x = math.inf
    except (TypeError, ValueError):  # None, a list, an array of several entries
        raise ValueError(f"{what} must be a real number, got {_shown(value)}") from None
    if math.isfinite(x):
        return x
    extreme = {k: v for k, v in inputs.items() if _extreme(v)} or inputs
    shown = ", ".join(f"{k}={v!r}" for k, v in extreme.items())
    raise ValueError(
        f"{what} is {'undefined' if math.isnan(x) else 'beyond float64'} (evaluates to {x}) at {shown}: "
        f"these inputs are outside the range the closed form can be evaluated in"
    )


def _extreme(v) -> bool:
    try:
        a = abs(float(v))
    except (TypeError, ValueError, OverflowError):
        return True
    return a != 0 and not 1e-100 <= a <= 1e100


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
