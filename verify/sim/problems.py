r"""Objectives: quadratics f(W) = 1/2 (W - W*)^T H (W - W*), with f* = 0 and grad f(W) = H (W - W*).

Every problem of the paper's theory and least-squares experiments is of this form:

* least squares ``f(W) = c ||A (W - W*)||^2`` (eq. 141 has c = 1/2), so ``H = 2c A^T A``;
* the scalar quadratic ``f(w) = L/2 (w - w*)^2``;
* the lower-bound instance of Theorem 2: ``f(W) = L/2 ||W - W*||^2`` with ``W* = w* 1``, started at
  ``W_0 = W*``.

Arrays of chains are ``(R, D)``: one row per chain. The functions accept any memory order; the
engine passes column-major (Fortran-ordered) arrays, for which the per-chain reductions are fast.

>>> p = scalar_quadratic(L=2.0, w_star=0.5)
>>> p.gradient(np.array([[1.5]]))
array([[2.]])
>>> p.smoothness, p.strong_convexity
(2.0, 2.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bounds.validation import require_array, require_real

from ._limits import capped_int

__all__ = ["QuadraticProblem", "least_squares", "scalar_quadratic", "lower_bound_instance"]

#: the largest D of a problem: H is stored dense (D x D doubles, 128 MiB at the cap), its eigenvalues take
#: O(D^3) and every step of a run O(R D^2); the paper's problems have D <= 100
MAX_DIM = 4096
_DIM_REASON = f"a dense D x D Hessian: {MAX_DIM**2 * 8 // 2**20} MiB and O(D^3) eigenvalues at the cap"


def _require_name(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (a short description for reports), got {name!r}"[:200])
    return name


def _start_values(hessian: np.ndarray, w_star: np.ndarray, w0: np.ndarray) -> tuple[float, float]:
    """(f(w0) - f*, ||grad f(w0)||^2), NaN or inf where float64 overflows."""
    with np.errstate(all="ignore"):
        residual = w0 - w_star
        grad = hessian @ residual
        return float(0.5 * (residual @ grad)), float(grad @ grad)


def _require_finite_start(values: tuple[float, float], names: str) -> None:
    """Refuse inputs at which f(w0) or ||grad f(w0)||^2 leaves float64: a run records both at k = 0."""
    if not all(np.isfinite(values)):
        raise ValueError(
            f"{names} are too large: f(w0) - f* = {values[0]:g} and ||grad f(w0)||^2 = {values[1]:g} at the initial "
            "point must be finite in float64 (keep |H (w0 - w*)| below about 1e150)"
        )


@dataclass(frozen=True, eq=False)
class QuadraticProblem:
    """f(W) = 1/2 (W - W*)^T H (W - W*) with H symmetric positive semidefinite; f* = 0.

    ``w0`` is the setting's initial point, used when a run names none.
    """

    hessian: np.ndarray
    """H, shape (D, D), symmetric positive semidefinite."""
    w_star: np.ndarray
    """A minimiser W*, shape (D,)."""
    w0: np.ndarray
    """Default initial point W_0, shape (D,)."""
    name: str = "quadratic"
    """Short description used in reports."""
    _isotropic: float | None = field(init=False, repr=False, default=None)
    _tiles: dict = field(init=False, repr=False, default_factory=dict)
    _eigenvalues: np.ndarray = field(init=False, repr=False, default=None)

    def __post_init__(self):
        shape = np.shape(self.hessian) if isinstance(self.hessian, np.ndarray) else None
        if shape is not None and len(shape) == 2 and max(shape) > MAX_DIM:  # before copying it
            raise ValueError(f"hessian must be at most {MAX_DIM} x {MAX_DIM} ({_DIM_REASON}), got shape {shape}")
        hessian = require_array("hessian", self.hessian, ndim=2)
        d = hessian.shape[0]
        if hessian.shape != (d, d) or d < 1:
            raise ValueError(f"hessian must be a square (D, D) matrix with D >= 1, got shape {hessian.shape}")
        if d > MAX_DIM:
            raise ValueError(
                f"hessian must be at most {MAX_DIM} x {MAX_DIM} ({_DIM_REASON}), got shape {hessian.shape}"
            )
        w_star = require_array("w_star", self.w_star)
        if w_star.shape != (d,):
            raise ValueError(f"w_star must have shape ({d},), got shape {w_star.shape} (the hessian's D is {d})")
        w0 = require_array("w0", self.w0)
        if w0.shape != (d,):
            raise ValueError(f"w0 must have shape ({d},), got shape {w0.shape} (the hessian's D is {d})")
        _require_name(self.name)
        diagonal = np.diagonal(hessian)
        if np.count_nonzero(hessian) == np.count_nonzero(diagonal):  # diagonal: no O(D^3) eigensolver
            eigenvalues = np.sort(diagonal)
        else:
            with np.errstate(all="ignore"):
                symmetric = np.allclose(hessian, hessian.T, rtol=1e-12, atol=0.0)
            if not symmetric:
                raise ValueError("hessian must be symmetric")
            with np.errstate(all="ignore"):
                eigenvalues = np.linalg.eigvalsh(hessian)
            if not np.isfinite(eigenvalues).all():
                raise ValueError("hessian is too large: its eigenvalues overflow float64")
        if eigenvalues[0] < -1e-12 * max(1.0, abs(eigenvalues[-1])):
            raise ValueError(f"hessian must be positive semidefinite, got smallest eigenvalue {eigenvalues[0]:g}")
        _require_finite_start(_start_values(hessian, w_star, w0), "hessian, w_star and w0")
        object.__setattr__(self, "hessian", hessian)
        object.__setattr__(self, "w_star", w_star)
        object.__setattr__(self, "w0", w0)
        if np.all(diagonal == diagonal[0]) and np.count_nonzero(hessian) == np.count_nonzero(diagonal):
            object.__setattr__(self, "_isotropic", float(diagonal[0]))
        object.__setattr__(self, "_eigenvalues", eigenvalues)

    @property
    def dim(self) -> int:
        """D, the number of weights."""
        return self.hessian.shape[0]

    @property
    def smoothness(self) -> float:
        """L = largest eigenvalue of H (Assumption 1)."""
        return float(max(self._eigenvalues[-1], 0.0))

    @property
    def strong_convexity(self) -> float:
        """mu = smallest eigenvalue of H (Assumption 6; 0 if H is singular)."""
        return float(max(self._eigenvalues[0], 0.0))

    def residual(self, W: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """W - W* for each row of W, shape (R, D)."""
        if out is None:
            return np.subtract(W, self.w_star)
        # subtracting a same-shaped copy of W* is about 3x faster than broadcasting it
        key = (out.shape, out.flags.f_contiguous)
        tile = self._tiles.get(key)
        if tile is None:
            tile = self._tiles[key] = np.array(np.broadcast_to(self.w_star, out.shape), order="F" if key[1] else "C")
        return np.subtract(W, tile, out=out)

    def hessian_product(self, E: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """E H for each row of E: the gradient when E = W - W*."""
        if self._isotropic is not None:
            return np.multiply(E, self._isotropic, out=out)
        return np.matmul(E, self.hessian, out=out)

    def gradient(self, W: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """grad f(W) = (W - W*) H for each row of W, shape (R, D)."""
        return self.hessian_product(self.residual(W), out=out)

    def objective_gap(self, W: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """f(W) - f* = 1/2 <W - W*, (W - W*) H> per row, shape (R,)."""
        E = self.residual(W)
        out = np.einsum("ij,ij->i", E, self.hessian_product(E), out=out)
        out *= 0.5
        return out

    def initial_gap(self) -> float:
        """f(W_0) - f* at the default initial point."""
        return float(self.objective_gap(self.w0[None, :])[0])


def least_squares(A, w_star, *, scale: float = 0.5, w0=None, name: str = "least squares") -> QuadraticProblem:
    """f(W) = scale * ||A (W - W*)||^2, i.e. H = 2 scale A^T A (eq. 141 has scale = 1/2).

    ``w0`` defaults to zeros, the initialisation of the paper's least-squares experiments. D is at most
    :data:`MAX_DIM` (H = 2 scale A^T A is stored dense).
    """
    if isinstance(A, np.ndarray) and A.ndim == 2 and A.shape[1] > MAX_DIM:  # before copying it
        raise ValueError(f"A must have at most {MAX_DIM} columns (D; {_DIM_REASON}), got shape {A.shape}")
    A = require_array("A", A, ndim=2)
    if A.shape[1] < 1:
        raise ValueError(f"A must have at least one column (D >= 1), got shape {A.shape}")
    if A.shape[1] > MAX_DIM:
        raise ValueError(f"A must have at most {MAX_DIM} columns (D; {_DIM_REASON}), got shape {A.shape}")
    scale = require_real("scale", scale, low=0.0, low_open=True)
    d = A.shape[1]
    w_star = require_array("w_star", w_star)
    if w_star.shape != (d,):
        raise ValueError(f"w_star must have shape ({d},), got shape {w_star.shape} (A has D = {d} columns)")
    w0 = np.zeros(d) if w0 is None else require_array("w0", w0)
    if w0.shape != (d,):
        raise ValueError(f"w0 must have shape ({d},), got shape {w0.shape} (A has D = {d} columns)")
    _require_name(name)
    with np.errstate(all="ignore"):
        hessian = 2.0 * scale * (A.T @ A)
    if not np.isfinite(hessian).all():
        raise ValueError("A and scale are too large: 2 scale A^T A overflows float64")
    _require_finite_start(_start_values(hessian, w_star, w0), "A, scale, w_star and w0")
    return QuadraticProblem(hessian=hessian, w_star=w_star, w0=w0, name=name)


def scalar_quadratic(L: float, w_star: float = 0.0, w0: float | None = None) -> QuadraticProblem:
    """f(w) = L/2 (w - w*)^2 on R (D = 1); ``w0`` defaults to w*."""
    L = require_real("L", L, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star)
    w0 = w_star if w0 is None else require_real("w0", w0)
    _require_finite_start(_start_values(np.array([[L]]), np.array([w_star]), np.array([w0])), "L, w_star and w0")
    return QuadraticProblem(hessian=[[L]], w_star=[w_star], w0=[w0], name=f"scalar quadratic (L={L:g})")


def lower_bound_instance(L: float, w_star: float, dim: int) -> QuadraticProblem:
    """Theorem 2's instance (App. G.2): f(W) = L/2 ||W - W*||^2 with W* = w* 1 and W_0 = W*.

    The theorem's further conditions (``|w*| <= tau/4``, sigma <= tau L sqrt(D)/(4 sqrt 3), the step
    size, the two-point noise) belong to the run, not to the objective. ``dim`` is at most :data:`MAX_DIM`.
    """
    L = require_real("L", L, low=0.0, low_open=True)
    w_star = require_real("w_star", w_star)
    dim = capped_int("dim", dim, low=1, high=MAX_DIM, reason=_DIM_REASON)
    center = np.full(dim, w_star)
    hessian = np.zeros((dim, dim))
    np.fill_diagonal(hessian, L)
    return QuadraticProblem(
        hessian=hessian, w_star=center, w0=center, name=f"Theorem 2 instance (L={L:g}, w*={w_star:g}, D={dim})"
    )
