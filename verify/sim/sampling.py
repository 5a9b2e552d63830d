r"""Exact Binomial draws for the pulse counts, compiled with numba (one law for the engine's kernels and for
:meth:`verify.sim.pulses.PulseModel.pulse_counts`).

``Binomial(n, p)`` with ``s = min(p, 1 - p)`` and ``q = 1 - s``, from one uniform ``u``
(``Generator.random``, drawn for every entry, so that the stream does not depend on the values):

* n = 1: the Bernoulli comparison ``u < p``;
* ``n s <= 30``: inversion, the least k with ``u <= P(0) + ... + P(k)``, where ``P(0) = q^n``,
  ``P(1) = n s q^(n-1)``, ``P(2) = n (n - 1) s^2 q^(n-2)/2`` (compared at once) and then
  ``P(k) = P(k - 1) (n - k + 1) s / (k q)`` (capped at n against rounding), and ``n - k`` when ``p > 1/2``;
* ``n s > 30``: numpy's BTPE (``Generator.binomial``).

All three are exact up to the floating-point rounding of the probabilities (relative 1e-15).
:func:`binomial_block` draws a whole array in column-major order, as the engine's pulse kernel does.

Why not ``Generator.binomial`` throughout: numpy's inversion recomputes ``exp``, ``log`` and ``sqrt`` set-up
values whenever n or p changes, which on the pulse level is at every weight, so it cost more than the rest of
a step together; this inversion takes ``q^(n-2)`` by repeated squaring (n <= 64),
settles most draws by three comparisons without a branch, and multiplies by tabulated 1/k.
It draws other numbers than numpy's for the same seed: the pulse-level results of the ``stochastic_trains``
counting changed with it (issue 17; the ledger was re-decided on the new streams).

>>> import numpy as np
>>> counts = np.empty((2, 2))
>>> p = np.array([[0.0, 1.0], [0.5, 0.25]])
>>> binomial_block(np.array([1.0, 31.0]), p, np.random.default_rng(0), counts)
>>> counts[0].tolist(), bool(((0 <= counts[1]) & (counts[1] <= 31)).all())
([0.0, 1.0], True)
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__: list[str] = []  # the engine's and PulseModel's internals (unchecked, compiled)

#: ``n min(p, 1 - p)`` above which numpy's BTPE is used (numpy's own switch point)
INVERSION_LIMIT = 30.0
#: 1/k for the inversion's recurrence (k below this; a division past it)
_INVERSE = 1.0 / np.arange(1, 257, dtype=np.float64)
#: the largest n whose ``q^n`` is taken by repeated squaring (about n ulps of error) rather than exp/log1p
_SQUARING_LIMIT = 64


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _power(q, n):
    """``q^n`` for a whole number n >= 0 by repeated squaring."""
    result, base, e = 1.0, q, int(n)
    while e > 0:
        if e & 1:
            result *= base
        base *= base
        e >>= 1
    return result


@numba.njit(cache=True, nogil=True, error_model="numpy")
def btpe(n, p, rng):
    """``Binomial(n, p)`` by numpy's BTPE (``Generator.binomial``), drawn for ``s = min(p, 1 - p)`` and flipped back
    when ``p > 1/2``, as :func:`binomial` does: the draw it leaves to its caller (NaN) when ``n s > 30``."""
    s = 1.0 - p if p > 0.5 else p
    k = float(rng.binomial(np.int64(n), s))
    return n - k if p > 0.5 else k


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def binomial(n, p, u):
    """One ``Binomial(n, p)`` draw as a float (n a whole number >= 0 as a float, 0 <= p <= 1) from the uniform
    ``u`` in [0, 1); NaN when ``n min(p, 1 - p) > 30``, where the caller draws :func:`btpe` instead. (It takes no
    generator: passing one into a compiled function costs a reference count per call, at every weight.)"""
    if p <= 0.0 or n == 0.0:
        return 0.0
    if p >= 1.0:
        return n
    if n == 1.0:  # Bernoulli
        return 1.0 if u < p else 0.0
    s = 1.0 - p if p > 0.5 else p
    if n * s > INVERSION_LIMIT:
        return np.nan
    q = 1.0 - s
    # P(0), P(1), P(2) from a = q^(n-2), without a division, and their sums, compared without branches (most draws
    # end there)
    a = _power(q, n - 2.0) if n <= _SQUARING_LIMIT else math.exp((n - 2.0) * math.log1p(-s))
    p0 = q * q * a
    p1 = n * s * q * a
    term = n * (n - 1.0) * 0.5 * s * s * a
    c1 = p0 + p1
    total = c1 + term
    j = int(u > p0) + int(u > c1) + int(u > total)
    whole = int(n)
    if j == 3 and whole > 2:  # u > P(0) + P(1) + P(2): the search goes on from k = 3
        ratio = s / q
        j = 2
        tabulated = min(whole, _INVERSE.shape[0])
        while u > total and j < tabulated:
            j += 1
            term *= (whole - j + 1) * _INVERSE[j - 1] * ratio
            total += term
        while u > total and j < whole:  # past the table of 1/k: a count above 256 at a mean of at most 30
            j += 1
            term *= (whole - j + 1) / j * ratio
            total += term
    k = float(min(j, whole))  # capped at n against rounding
    return n - k if p > 0.5 else k


@numba.njit(cache=True, nogil=True, error_model="numpy")
def binomial_block(n, p, rng, out):
    """``out[i, j] = Binomial(n[i], p[i, j])`` in column-major order, each from one uniform drawn first (then
    BTPE's own numbers, where ``n min(p, 1 - p) > 30``); NaN where p is NaN."""
    rows, cols = p.shape
    for j in range(cols):
        for i in range(rows):
            x = p[i, j]
            u = rng.random()
            if x != x:
                out[i, j] = np.nan
            else:
                k = binomial(n[i], x, u)
                out[i, j] = btpe(n[i], x, rng) if k != k else k
