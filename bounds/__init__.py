"""Exact mathematics of analog training: devices, updates, drift, saturation, bounds.

No randomness here and no import of :mod:`verify`; :mod:`verify` imports this package for the
theoretical side of every check.
"""

from . import devices
from .devices import *  # noqa: F403 - the device classes are the package's public face

__all__ = devices.__all__
