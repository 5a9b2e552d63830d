"""Exact mathematics of analog training: devices, updates, drift, saturation, bounds.

No randomness here and no import of :mod:`verify`; :mod:`verify` imports this package for the
theoretical side of every check. Modules: ``devices`` (response factors, compact update),
``noise_laws`` (E|g + eps|, the constant c of A5), ``drift`` (expected drift, eqs. 11-13),
``saturation`` (S_K, C10), ``analog_sgd`` (Theorem 1, eq. 5, Analog GD), ``bounded_saturation``
(v1 Theorems 5-8), ``lower_bound`` (Theorem 2), ``tiki_taka`` (Theorem 3, Lemmas 5-8),
``pulses`` (n-pulse closed forms, eqs. 19-20), ``asymptotics`` (Analog SGD's exact floor as alpha -> 0
and its O(alpha) term), ``tiki_taka_asymptotics`` (Tiki-Taka near a critical point), with the
shared ``formula`` registry, ``applicability`` results, ``symbols`` and ``validation``.
Only the device classes are imported here; import the other modules by name.
"""

from . import devices
from .devices import *  # noqa: F403 - the device classes are the package's public face

__all__ = devices.__all__
