r"""Noise laws: the stochastic gradient is the true gradient plus additive noise, grad f(W_k) + eps_k.

Each law fills an (R, D) array with ``grad + eps`` for R chains at once, drawing from a
``numpy.random.Generator``. ``total_variance(W)`` is E||eps||^2 (the sigma^2 of Assumption 3).

* :class:`GaussianNoise`: eps_i ~ N(0, std_i^2), independent.
* :class:`RademacherNoise`: eps_i = +-scale with probability 1/2 each, independent.
* :class:`TwoPointNoise`: Theorem 2's state-dependent law (eqs. 66-67).
* :class:`NoNoise`: eps = 0 (Analog GD).

>>> rng = np.random.default_rng(0)
>>> out = RademacherNoise(scale=0.5).perturb(np.zeros((2, 3)), np.zeros((2, 3)), rng, np.empty((2, 3)))
>>> np.unique(np.abs(out)).tolist()
[0.5]
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

import numpy as np

from bounds.validation import require_int, require_real

from ._limits import capped_array, capped_real

__all__ = ["NoiseLaw", "GaussianNoise", "RademacherNoise", "TwoPointNoise", "NoNoise"]

#: the largest noise scale (std, scale, sigma): E||eps||^2, a sum of D squares, stays within float64 for every D
#: a problem may have (:data:`verify.sim.problems.MAX_DIM`); a run with more noise overflows at its first step
NOISE_LIMIT = 1e150
_NOISE_REASON = "so that E||eps||^2 stays within float64"


class NoiseLaw(abc.ABC):
    """A law of eps_k given the state W_k."""

    @abc.abstractmethod
    def perturb(self, grad: np.ndarray, W: np.ndarray, rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
        """Return an array holding grad + eps for each chain (rows of ``grad``).

        The result is written to ``out`` (same shape as ``grad``) except for laws that add
        nothing, which return ``grad`` itself. ``grad`` is not modified.
        """

    @abc.abstractmethod
    def total_variance(self, dim: int) -> float:
        """E||eps||^2 for D = ``dim`` coordinates (sigma^2 in Assumption 3)."""

    def check_dim(self, dim: int) -> None:  # noqa: B027 (a hook: most laws act on any dim)
        """Raise ValueError if the law cannot act on ``dim`` coordinates."""


@dataclass(frozen=True, eq=False)
class GaussianNoise(NoiseLaw):
    """eps_i ~ N(0, std_i^2), independent across coordinates, chains and steps."""

    std: float | np.ndarray
    """Per-coordinate standard deviation: one number for all coordinates, or shape (D,). In [0, :data:`NOISE_LIMIT`]."""

    def __post_init__(self):
        std = capped_array("std", self.std, low=0.0, high=NOISE_LIMIT, reason=_NOISE_REASON)
        if std.ndim > 1:
            raise ValueError(f"std must be a number or a vector of shape (D,), got shape {std.shape}")
        object.__setattr__(self, "std", float(std) if std.ndim == 0 else std)

    def check_dim(self, dim):
        if np.ndim(self.std) == 1 and len(self.std) != dim:
            raise ValueError(
                f"std must have shape ({dim},) to match the problem's D = {dim}, got shape {np.shape(self.std)}"
            )

    def perturb(self, grad, W, rng, out):
        rng.standard_normal(out=out)
        out *= self.std
        out += grad
        return out

    def total_variance(self, dim):
        self.check_dim(dim)
        return float(np.sum(np.broadcast_to(np.square(self.std), (dim,))))

    def coordinate_law(self, index: int | None = None):
        """The law of one coordinate as :class:`bounds.noise_laws.GaussianLaw` (for the exact expectations).

        ``index`` picks the coordinate when ``std`` is a vector; with one std for all coordinates it
        may be omitted. A coordinate with std 0 has no such law (A5 needs non-zero noise).

        >>> GaussianNoise(0.5).coordinate_law()
        GaussianLaw(s=0.5)
        """
        from bounds.noise_laws import GaussianLaw

        if np.ndim(self.std) == 0:
            if index is not None:
                require_int("index", index, low=0)
            std = float(self.std)
        else:
            if index is None:
                raise ValueError(f"index must name a coordinate (0 .. {len(self.std) - 1}) when std is a vector")
            std = float(self.std[require_int("index", index, low=0, high=len(self.std) - 1)])
        if std == 0.0:
            raise ValueError("std of this coordinate is 0: a GaussianLaw needs s > 0 (no noise has no law to take)")
        return GaussianLaw(std)


@dataclass(frozen=True)
class RademacherNoise(NoiseLaw):
    """eps_i = +scale or -scale with probability 1/2 each, independent."""

    scale: float
    """Magnitude of every noise coordinate. Must be in (0, :data:`NOISE_LIMIT`]."""

    def __post_init__(self):
        object.__setattr__(
            self,
            "scale",
            capped_real("scale", self.scale, low=0.0, high=NOISE_LIMIT, reason=_NOISE_REASON, low_open=True),
        )

    def perturb(self, grad, W, rng, out):
        rng.random(out=out)
        out -= 0.5
        np.copysign(self.scale, out, out=out)
        out += grad
        return out

    def total_variance(self, dim):
        return dim * self.scale**2

    def coordinate_law(self):
        """The law of one coordinate as :class:`bounds.noise_laws.RademacherLaw`.

        >>> RademacherNoise(0.7).coordinate_law()
        RademacherLaw(s=0.7)
        """
        from bounds.noise_laws import RademacherLaw

        return RademacherLaw(self.scale)


@dataclass(frozen=True)
class TwoPointNoise(NoiseLaw):
    r"""Theorem 2's state-dependent two-point law (eqs. 66-67), coordinate-wise.

    With ``p = (1 - w/tau)/2`` for a coordinate at weight ``w`` and ``s = sigma/sqrt(D)``::

        eps = + s sqrt((1 - p)/p)   with probability p,
        eps = - s sqrt(p/(1 - p))   with probability 1 - p,

    so E[eps] = 0 and E[eps^2] = s^2, hence E||eps||^2 = sigma^2 exactly. ``shared=True`` (the
    paper's eps_k = xi_k 1) draws one uniform per chain and step for all coordinates, which gives
    the same xi_k on every coordinate whenever the coordinates are equal, as in the construction;
    ``shared=False`` draws independently per coordinate. Needs ``|w| <= tau``; a state outside makes
    p leave [0, 1] and the engine stops with a non-finite value.
    """

    sigma: float
    """Total noise level: E||eps||^2 = sigma^2. Must be in (0, :data:`NOISE_LIMIT`]."""
    tau: float
    """The device bound that enters p = (1 - w/tau)/2. Must be > 0."""
    shared: bool = True
    """One draw per chain for all coordinates (the paper's construction) or one per coordinate."""

    def __post_init__(self):
        object.__setattr__(
            self,
            "sigma",
            capped_real("sigma", self.sigma, low=0.0, high=NOISE_LIMIT, reason=_NOISE_REASON, low_open=True),
        )
        object.__setattr__(self, "tau", require_real("tau", self.tau, low=0.0, low_open=True))
        if not isinstance(self.shared, bool):
            raise ValueError(f"shared must be True or False, got {self.shared!r}")

    def probability(self, W: np.ndarray) -> np.ndarray:
        """p = (1 - w/tau)/2, coordinate-wise."""
        return 0.5 * (1.0 - np.asarray(W) / self.tau)

    def perturb(self, grad, W, rng, out):
        n_chains, dim = grad.shape
        scale = self.sigma / np.sqrt(dim)
        p = self.probability(W)
        u = rng.random((n_chains, 1)) if self.shared else rng.random((n_chains, dim))
        with np.errstate(divide="ignore", invalid="ignore"):
            up = u < p
            # each branch's magnitude is finite wherever that branch can be drawn (p > 0, resp. p < 1)
            magnitude = np.where(up, np.sqrt((1.0 - p) / p), -np.sqrt(p / (1.0 - p)))
        np.multiply(magnitude, scale, out=out)
        out += grad
        return out

    def total_variance(self, dim):
        return self.sigma**2

    def coordinate_law(self, w: float, dim: int):
        """The law of a coordinate at weight ``w`` among ``dim`` as :class:`bounds.noise_laws.TwoPointLaw`.

        ``p = (1 - w/tau)/2`` and ``s = sigma/sqrt(dim)`` (eqs. 66-67); needs ``|w| < tau``. This is the
        marginal law of each coordinate; with ``shared=True`` the coordinates are not independent.

        >>> TwoPointNoise(sigma=2.0, tau=1.0).coordinate_law(0.5, 4)
        TwoPointLaw(s=1.0, p=0.25)
        """
        from bounds.noise_laws import TwoPointLaw

        dim = require_int("dim", dim, low=1)
        w = require_real("w", w, low=-self.tau, high=self.tau, low_open=True, high_open=True)
        return TwoPointLaw.from_state(self.sigma, dim, w, self.tau)


@dataclass(frozen=True)
class NoNoise(NoiseLaw):
    """eps = 0: deterministic gradients (Analog GD, Theorem 9 / App. F)."""

    def perturb(self, grad, W, rng, out):
        return grad

    def total_variance(self, dim):
        return 0.0
