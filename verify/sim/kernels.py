r"""Fused per-step kernels of the Monte Carlo engine, compiled with numba.

The engine's numpy path makes one pass over a block's (n, D) arrays for every arithmetic operation and
draws its noise through numpy's array API; here one compiled loop per step draws each coordinate's noise,
forms ``n_k = grad f(W_k) + eps_k`` and applies the whole update, and one more computes the step's
statistics. The numbers are the numpy path's, bit for bit:

* the random streams are the same: numba's ``Generator`` methods run numpy's own algorithms on the block's
  ``PCG64`` state, and the kernels draw in the order numpy fills its arrays (the noise in the block's
  column-major memory order, stochastic-rounding uniforms in row-major order); the pulse trains' counts come
  from :mod:`verify.sim.sampling` on both paths;
* the arithmetic is the numpy path's, operation by operation in the same order (no fast-math, no fused
  multiply-add), and the pulse level's ``1 - r^|n|`` comes from a table that numpy computed, for counts up to
  :data:`FRACTION_TABLE` (and up to ``desired_bl`` with pulse trains); a larger count (deterministic or
  stochastic-rounding counting with ``|dW| > 4096 dw_min``) takes the C library's ``expm1``, which may differ
  from numpy's vectorised one in the last bit.

``simulate(..., fused=False)`` runs the numpy path, and ``tests/test_kernels.py`` holds the two to this.

Why numba: it compiles plain Python loops over numpy arrays, releases the GIL (``nogil``) so the engine's
threads scale, runs ``numpy.random.Generator`` with numpy's streams, and caches compiled code on disk
(``cache=True``: about 5 s of compilation once per installation, then about 0.1 s to load). Cython or C
would need a build step the project does not have; JAX or PyTorch would change the random streams and add a
large dependency.

Scope (:func:`fused_step` returns None otherwise and the engine keeps its numpy path): Digital SGD, Analog
SGD/GD and Tiki-Taka on the asymmetric linear device, and pulse-level Analog SGD and Tiki-Taka on the ALD
through the closed form (no cycle-to-cycle noise, no device-to-device spread), with Gaussian, Rademacher or
no noise.
"""

from __future__ import annotations

import functools
import math

import numba
import numpy as np

from bounds.devices import AsymmetricLinearDevice
from bounds.pulses import ULPS

from .dynamics import AnalogGD, AnalogSGD, DigitalSGD, PulsedAnalogSGD, PulsedTikiTaka, TikiTaka
from .noise import GaussianNoise, NoNoise, RademacherNoise
from .pulses import COUNTING_MODES, PulseModel
from .sampling import binomial, btpe

__all__: list[str] = []

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")
#: the per-coordinate helpers, compiled into their callers
_inline = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")

_EPS = float(np.finfo(np.float64).eps)
_NO_NOISE, _GAUSSIAN, _RADEMACHER = 0, 1, 2
_DETERMINISTIC, _ROUNDING, _TRAINS = 0, 1, 2  # indices in COUNTING_MODES


# ---------------------------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------------------------


@_jit
def residual(W, w_star, out):
    """``out = W - w*`` (rows are chains)."""
    n, d = W.shape
    for j in range(d):
        c = w_star[j]
        for i in range(n):
            out[i, j] = W[i, j] - c


@_jit
def _row_dot(A, B, out):
    """``out[i] = sum_j A[i, j] B[i, j]``, summed over j in order."""
    n, d = A.shape
    for i in range(n):
        out[i] = A[i, 0] * B[i, 0]
    for j in range(1, d):
        for i in range(n):
            out[i] += A[i, j] * B[i, j]


@_jit
def _row_range(W, row_max, row_min):
    """``max_j W[i, j]`` and ``min_j W[i, j]`` (NaN entries skipped)."""
    n, d = W.shape
    for i in range(n):
        row_max[i] = row_min[i] = W[i, 0]
    for j in range(1, d):
        for i in range(n):
            w = W[i, j]
            row_max[i] = w if w > row_max[i] else row_max[i]
            row_min[i] = w if w < row_min[i] else row_min[i]


@_inline
def _maximum(a, b):
    """``np.maximum(a, b)``: NaN if either is."""
    if a != a or b != b:
        return np.nan
    return a if a >= b else b


@_jit
def statistics(
    W, residual, grad, P, with_p, ald, w_sp, tau, grad_sq, f_gap, w_inf, saturation, row_max, row_min, p_inf_sq
):
    """Per chain: ``||g||^2``, ``<r, g>/2``, ``||W||_inf`` (and ``max_j W``, ``min_j W``), with ``with_p``
    ``||P||_inf^2``, and for an ALD (``ald``) the saturation term ``s^2/(1 - s^2)``, ``s = ||W - w_sp||_inf/tau``
    (+inf once s >= 1), as the engine's numpy code computes them. A NaN in W makes its chain's ``||g||^2`` NaN (its
    own gradient coordinate at least reads it), which the engine reports; the row's maximum and minimum skip it."""
    n, d = W.shape
    _row_dot(grad, grad, grad_sq)  # one compiled loop per statistic, each vectorised over the chains
    _row_dot(residual, grad, f_gap)
    _row_range(W, row_max, row_min)
    if with_p:
        for i in range(n):
            p_inf_sq[i] = abs(P[i, 0])
        for j in range(1, d):
            for i in range(n):
                a = abs(P[i, j])
                p_inf_sq[i] = a if a > p_inf_sq[i] or a != a else p_inf_sq[i]
    for i in range(n):
        f_gap[i] *= 0.5
        w_inf[i] = _maximum(row_max[i], -row_min[i])
        if with_p:
            p_inf_sq[i] *= p_inf_sq[i]
        if ald:
            degree = _maximum(row_max[i] - w_sp, w_sp - row_min[i]) / tau
            term = degree * degree
            rest = 1.0 - term
            saturation[i] = term / rest if rest > 0.0 else (np.inf if rest <= 0.0 else np.nan)


@_jit
def standard_normals(out, rng):
    """Fill ``out`` (any layout) with standard normals in its memory order: ``rng.standard_normal(out=out)``'s
    numbers, drawn the way the kernels draw their noise (the benchmark's second reference)."""
    flat = out.reshape(-1) if out.flags.c_contiguous else out.T.reshape(-1)
    for i in range(flat.shape[0]):
        flat[i] = rng.standard_normal()


# ---------------------------------------------------------------------------------------------
# noise and the compact update of the ALD
# ---------------------------------------------------------------------------------------------


@_inline
def _noisy(g, kind, scale, rng):
    """``n = g + eps``: Gaussian ``z std`` (z standard normal), Rademacher ``copysign(scale, u - 1/2)``."""
    if kind == _GAUSSIAN:
        z = rng.standard_normal()
        z *= scale
        return z + g
    if kind == _RADEMACHER:
        u = rng.random() - 0.5
        return math.copysign(scale, u) + g
    return g


@_inline
def _ald(w, dw, w_sp, inv_tau):
    """The ALD's compact update ``w + dw - |dw| (w - w_sp)/tau``, in the numpy path's order."""
    if w_sp == 0.0:
        s = abs(dw) * w
    else:
        s = (w - w_sp) * abs(dw)
    s *= inv_tau
    return w + (dw - s)


@_jit
def sgd_step(W, grad, kind, scale, alpha, analog, w_sp, inv_tau, rng):
    """One step of Digital SGD (``analog`` False: ``W - alpha n``) or Analog SGD on the ALD
    (``U(W, -alpha n)``), with ``n`` drawn coordinate by coordinate in column-major order."""
    n, d = W.shape
    for j in range(d):
        s = scale[j]
        for i in range(n):
            noisy = _noisy(grad[i, j], kind, s, rng)
            if analog:
                W[i, j] = _ald(W[i, j], noisy * -alpha, w_sp, inv_tau)
            else:
                W[i, j] -= noisy * alpha


@_jit
def tiki_taka_step(W, P, grad, kind, scale, alpha, beta, w_sp, inv_tau, p_sp, p_inv_tau, rng):
    """One step of Tiki-Taka on the ALD: ``P <- U_P(P, beta n)``, then ``W <- U_W(W, -alpha P)``."""
    n, d = W.shape
    for j in range(d):
        s = scale[j]
        for i in range(n):
            p = _ald(P[i, j], _noisy(grad[i, j], kind, s, rng) * beta, p_sp, p_inv_tau)
            P[i, j] = p
            W[i, j] = _ald(W[i, j], p * -alpha, w_sp, inv_tau)


# ---------------------------------------------------------------------------------------------
# the pulse level (closed form of the ALD)
# ---------------------------------------------------------------------------------------------


@_inline
def _ratio(a, dw_min):
    """``a/dw_min`` snapped to the nearest integer within ULPS ulps (verify.sim.pulses._ratio)."""
    ratio = a / dw_min
    nearest = np.rint(ratio)
    if abs(ratio - nearest) <= ULPS * _EPS * max(abs(nearest), 1.0):
        return nearest
    return ratio


@_inline
def _min1(x):
    """``min(1, x)`` that keeps NaN (as ``np.minimum``)."""
    return 1.0 if x > 1.0 else x


@_jit
def _pulse(X, dX, largest, model, fraction, rng):
    """``X <- U_p^{|n|}(X, sign dX)`` with n counted from the requested update ``dX``; ``largest[i]`` is
    ``max_j |dX[i, j]|`` (NaN for a row with NaN), which sets the row's bit length (``stochastic_trains``).

    ``model`` is (counting, dw_min, desired_bl, bl_management, update_management, w_sp + tau, w_sp - tau,
    log r, r) as floats, with ``r = 1 - dw_min/tau``; ``fraction[k] = 1 - r^k`` for the first k (numpy's
    values). Stochastic rounding draws its uniforms in row-major order (as ``Generator.random(shape)``), the
    pulse trains their counts in column-major order, as :func:`verify.sim.sampling.binomial_block` does."""
    counting, dw_min, desired_bl = int(model[0]), model[1], model[2]
    up, down, log_r, r, table = model[5], model[6], model[7], model[8], fraction.shape[0]
    n, d = X.shape
    if counting != _TRAINS:
        for i in range(n):
            for j in range(d):
                ratio = _ratio(abs(dX[i, j]), dw_min)
                if counting == _DETERMINISTIC:
                    magnitude = np.ceil(ratio)
                else:
                    magnitude = np.floor(ratio)
                    if rng.random() < ratio - magnitude:
                        magnitude += 1.0
                dx = dX[i, j]
                if dx == 0.0:  # no pulse (the numpy path adds a zero)
                    continue
                # 1 - r^|n| from the table while |n| is in it, else -expm1(|n| log r) (1 - r^|n| once a pulse
                # overshoots); NaN stays NaN. Scalars only here: an array handed to a compiled helper costs a
                # reference count at every weight
                if magnitude < table:
                    f = fraction[int(magnitude)]
                elif log_r == log_r:
                    f = -math.expm1(magnitude * log_r)
                else:
                    f = 1.0 - r**magnitude
                x = X[i, j]
                X[i, j] = x + ((up if dx > 0.0 else down) - x) * f
        return
    bl_management, update_management = model[3] != 0.0, model[4] != 0.0
    # per row: the bit length BL, the factor 1/c and the factor p_d of p = min(1, |dx| (1/c)) p_d
    rows = np.empty((3, n))
    for i in range(n):
        m = largest[i]
        bl = desired_bl
        if bl_management:
            bl = np.ceil(_ratio(m, dw_min))
            bl = min(bl if bl >= 1.0 else 1.0, desired_bl)  # fmax: a NaN row gets BL = 1
        rows[0, i], rows[1, i], rows[2, i] = bl, 1.0 / (dw_min * bl), 1.0
        if not update_management:
            tiny = 2.2250738585072014e-308
            rows[1, i] = 1.0 / math.sqrt((m if m > tiny or m != m else tiny) * dw_min * bl)
            rows[2, i] = _min1(math.sqrt(m / (dw_min * bl)))
    for j in range(d):
        for i in range(n):
            dx = dX[i, j]
            p = _min1(abs(dx) * rows[1, i]) * rows[2, i]
            u = rng.random()
            bl = rows[0, i]
            k = (1.0 if u < p else 0.0) if bl == 1.0 else binomial(bl, p, u)
            if k != k and p == p:  # n min(p, 1 - p) > 30
                k = btpe(bl, p, rng)
            x = X[i, j]
            if p == p:  # k <= BL <= desired_bl: in the table
                X[i, j] = x + ((up if dx > 0.0 and k > 0.0 else down) - x) * fraction[int(k)]
            else:  # a NaN update
                X[i, j] = np.nan


@_jit
def _requested(grad, kind, scale, step, rng, dX, largest):
    """The requested update ``dX = step n`` with ``n = grad + eps`` (the noise drawn in column-major order), and
    each row's ``max_j |dX[i, j]|`` in ``largest``."""
    n, d = dX.shape
    for j in range(d):
        s = scale[j]
        for i in range(n):
            dx = _noisy(grad[i, j], kind, s, rng) * step
            dX[i, j] = dx
            largest[i] = _larger(largest[i], dx, j)


@_jit
def pulsed_sgd_step(W, grad, kind, scale, alpha, model, fraction, rng, dW, largest):
    """One step of pulse-level Analog SGD: the noise (column-major), then the pulse counts and their
    closed-form application (``dW`` and ``largest`` are overwritten)."""
    _requested(grad, kind, scale, -alpha, rng, dW, largest)
    _pulse(W, dW, largest, model, fraction, rng)


@_jit
def pulsed_tiki_taka_step(
    W, P, grad, kind, scale, alpha, beta, w_model, w_fraction, p_model, p_fraction, rng, dX, largest
):
    """One step of pulse-level Tiki-Taka: P's pulses for ``beta n``, then W's for ``-alpha P`` (``dX`` and
    ``largest`` are overwritten)."""
    _requested(grad, kind, scale, beta, rng, dX, largest)
    _pulse(P, dX, largest, p_model, p_fraction, rng)
    n, d = W.shape
    for j in range(d):
        for i in range(n):
            dx = P[i, j] * -alpha
            dX[i, j] = dx
            largest[i] = _larger(largest[i], dx, j)
    _pulse(W, dX, largest, w_model, w_fraction, rng)


@_inline
def _larger(m, dx, j):
    """The running ``max_j |dx|`` of a row (restarted at j = 0), NaN once any entry is NaN."""
    a = abs(dx)
    if j == 0 or a != a:
        return a
    return a if a > m else m


# ---------------------------------------------------------------------------------------------
# choosing the kernel of a run
# ---------------------------------------------------------------------------------------------


def _noise(noise, dim: int):
    """(kind, per-coordinate scale of shape (D,)) of a supported noise law, else None."""
    if isinstance(noise, NoNoise):
        return _NO_NOISE, np.zeros(dim)
    if isinstance(noise, GaussianNoise):
        return _GAUSSIAN, np.ascontiguousarray(np.broadcast_to(np.asarray(noise.std, np.float64), (dim,)))
    if isinstance(noise, RademacherNoise):
        return _RADEMACHER, np.full(dim, float(noise.scale))
    return None


def _ald_parameters(device):
    """(w_sp, 1/tau) of an ALD, else None."""
    if type(device) is AsymmetricLinearDevice:
        return float(device.w_sp), 1.0 / device.tau
    return None


#: pulse counts below this (and up to desired_bl with pulse trains) take ``1 - r^|n|`` from a table made by numpy
#: (the numpy path's values, bit for bit)
FRACTION_TABLE = 4096


def _pulse_parameters(model: PulseModel):
    """(settings, fraction table) of a closed-form pulse model on the ALD without spread (see :func:`_pulse`),
    else None."""
    if type(model.device) is not AsymmetricLinearDevice or model.has_spread or not model.closed_form:
        return None
    tau, w_sp, dw_min = model.device.tau, model.device.w_sp, model.dw_min
    # both sides have |b_s| = tau: r = 1 - dw_min/tau, log r = log1p(-dw_min/tau), as PulseModel.apply_update
    r = 1.0 - dw_min / tau
    counts = np.arange(max(FRACTION_TABLE, model.desired_bl + 1), dtype=np.float64)
    if r > 0.0:
        log_r = float(np.log1p(-dw_min / tau))
        fraction = -np.expm1(counts * log_r)
    else:
        log_r, fraction = np.nan, 1.0 - r**counts
    counting = float(COUNTING_MODES.index(model.counting))
    settings = [counting, dw_min, model.desired_bl, model.bl_management, model.update_management]
    return np.array([*settings, w_sp + tau, w_sp - tau, log_r, r], dtype=np.float64), fraction


class FusedStep:
    """A run's fused update. ``bind(state, grad, rng, work, scratch)`` gives a block's step: a function of no
    arguments that advances that block by one step in place, drawing the noise and any pulse counts from ``rng``
    (``work`` and ``scratch``: (n, D) arrays it may overwrite); the same numbers as ``noise.perturb`` followed by
    ``dynamics.update``."""

    def __init__(self, kernel, arguments, states):
        self._kernel, self._arguments, self._states = kernel, arguments, states

    def bind(self, state, grad, rng, work, scratch):
        arrays = [state[name] for name in self._states]
        return functools.partial(self._kernel, *arrays, grad, *self._arguments(rng, work, scratch))


def fused_step(dynamics, noise, dim: int) -> FusedStep | None:
    """The fused update of ``dynamics`` under ``noise`` (a :class:`FusedStep`), or None where the engine's
    numpy path must run (a device, noise law or pulse model the kernels do not cover)."""
    law = _noise(noise, dim)
    if law is None:
        return None
    kind, scale = law
    if type(dynamics) is DigitalSGD:
        alpha = dynamics.alpha
        return FusedStep(sgd_step, lambda rng, work, scratch: (kind, scale, alpha, False, 0.0, 0.0, rng), ("W",))
    if type(dynamics) in (AnalogSGD, AnalogGD):
        ald = _ald_parameters(dynamics.device)
        if ald is None:
            return None
        alpha = dynamics.alpha
        return FusedStep(sgd_step, lambda rng, work, scratch: (kind, scale, alpha, True, *ald, rng), ("W",))
    if type(dynamics) is TikiTaka:
        ald, p_ald = _ald_parameters(dynamics.device), _ald_parameters(dynamics.p_device)
        if ald is None or p_ald is None:
            return None
        a, b = dynamics.alpha, dynamics.beta
        return FusedStep(tiki_taka_step, lambda rng, work, scratch: (kind, scale, a, b, *ald, *p_ald, rng), ("W", "P"))
    if type(dynamics) is PulsedAnalogSGD:
        model = _pulse_parameters(dynamics.pulses)
        if model is None:
            return None
        a = dynamics.alpha
        return FusedStep(
            pulsed_sgd_step, lambda rng, work, scratch: (kind, scale, a, *model, rng, work, scratch[:, 0]), ("W",)
        )
    if type(dynamics) is PulsedTikiTaka:
        w_model, p_model = _pulse_parameters(dynamics.pulses), _pulse_parameters(dynamics.p_pulses)
        if w_model is None or p_model is None:
            return None
        a, b = dynamics.alpha, dynamics.beta
        return FusedStep(
            pulsed_tiki_taka_step,
            lambda rng, work, scratch: (kind, scale, a, b, *w_model, *p_model, rng, work, scratch[:, 0]),
            ("W", "P"),
        )
    return None
