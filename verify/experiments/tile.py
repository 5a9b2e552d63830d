r"""An AIHWKit-faithful analog tile: one ``AnalogLinear(D, 1)`` layer trained by AIHWKit's Analog SGD, for R
independent chains at once (the model behind the paper's Figures 1, 3 and 4).

What one training step does, as AIHWKit 1.1.0 does it on a single-output layer with a bias (read in its
source; ``verify/experiments/aihwkit_backend.py`` runs the same step in AIHWKit itself):

1. **Forward** over the full batch of N rows ``x_b`` (D inputs each), in the tile's IO: inputs clipped to
   ``+-inp_bound``; the analog product ``W x_b`` plus *weight noise* of type additive-constant, an output
   referred Gaussian of standard deviation ``w_noise ||x_b||_2``, drawn afresh for every row and every
   pass; the result clipped to ``+-out_bound``; then the **digital bias** b is added (AIHWKit's default
   ``digital_bias=True``: the bias is an ordinary torch parameter). With ``abs_max`` noise management the
   inputs are scaled by ``1/max|x_b|`` before the product and the output scaled back: the additive-constant
   weight noise scales with them, so only the bounds see the scaling.
2. **Loss and error**: ``loss = c mean_b (y_b - t_b)^2`` (``c = 1`` for ``MSELoss``, ``1/2`` where the script
   halves it), so the error fed back to the tile is ``d_b = 2c (y_b - t_b)/N``. The backward MVM (with its
   own weight noise) only produces the gradient with respect to the inputs, which a single layer does not
   use.
3. **Digital bias**: plain SGD, ``b <- b - lr sum_b d_b``.
4. **Pulsed update, one rank-one update per row** ``-lr d_b x_b^T``, in row order. For row b, with
   ``m_x = max_j |x_bj|`` and ``m_d = |d_b|``:

   * bit length (update BL management): with ``k = lr m_x m_d / dw_min`` (the requested pulses of the
     largest entry), ``BL = min(ceil(k), desired_bl)``, at least 1 (``ceil`` exact at multiples,
     :func:`bounds.pulses.snap_to_integer`);
   * probabilities (update management, ``um_grad_scale = 1``): with ``k' = min(k, BL)``,
     ``p_xj = sqrt(k'/BL) |x_bj|/m_x`` for the inputs and ``p_d = min(1, k/sqrt(k' BL))`` for the error.
     While ``k <= desired_bl``, ``BL p_xj p_d = lr |x_bj d_b|/dw_min`` (the requested number of pulses) and
     ``max_j p_xj = p_d``; beyond it AIHWKit clips the error's side: ``p_xj = |x_bj|/m_x``, ``p_d = min(1,
     k/BL)``. The update uses the layer's original (unclipped) input. ``sto_round`` rounds these
     probabilities only when a resolution ``res > 0`` is set; the scripts leave ``res = 0``, so it has no
     effect;
   * stochastic pulse trains: BL slots; slot t carries a d-bit ``~ Bernoulli(p_d)`` shared by the row of
     weights and an x-bit ``~ Bernoulli(p_xj)`` per input; weight j receives a pulse where both are on. So
     ``m ~ Binomial(BL, p_d)`` d-bits are on and, given m, ``n_j ~ Binomial(m, p_xj)`` independently over j:
     the exact joint law of the counts (they are correlated through m), of sign ``-sign(d_b x_bj)``;
   * the soft-bounds device (``SoftBoundsReferenceDevice`` with ``w_max = -w_min = tau``, no variations,
     reference 0): an up pulse ``w <- w + dw_min (1 - w/tau)``, a down pulse ``w <- w - dw_min (1 + w/tau)``.
     Both are affine with the same ratio ``r = 1 - dw_min/tau``, so n pulses of sign s give
     ``w <- r^n w + s tau (1 - r^n)`` and the N rows compose in closed form:
     ``w_N = (prod_b r_b) w_0 + sum_b s_b tau (1 - r_b) prod_{b' > b} r_{b'}``, evaluated with cumulative
     sums of ``n_b log r``.

The state W of a chain is the D analog weights followed by the digital bias (when the layer has one): the
engine's quadratic is ``f(W) = c mean_b (A_1 W - t)_b^2`` with ``A_1 = [X, 1]``.

>>> import numpy as np
>>> cfg = TileConfig(tau=1.0, dw_min=0.25, w_noise=0.0)
>>> X, t = np.array([[1.0]]), np.array([1.0])
>>> dyn = PulsedTileSGD(cfg, lr=0.5, inputs=X, targets=t, bias=False)
>>> W = np.zeros((1, 1)); dyn.update({"W": W}, None, None, rng=np.random.default_rng(0)); W
array([[0.68359375]])

(d = 2(0 - 1) = -2, so ``lr |x d| = 1 = 4 dw_min``: BL = 4 slots with p_x = p_d = 1, four up pulses,
w = 1 - 0.75^4.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from bounds.pulses import _snap  # the unchecked snap_to_integer: this is the engine's hot path
from bounds.validation import require_array, require_instance, require_int, require_real

from ..sim.dynamics import Dynamics
from ..sim.problems import QuadraticProblem, least_squares

__all__ = ["TileConfig", "PulsedTileSGD", "NOISE_MANAGEMENTS", "LOGGED_LOSSES", "require_data"]

NOISE_MANAGEMENTS = ("none", "abs_max")
#: how a script logs its loss: "exact" (on a digital copy of the weights) or "noisy" (a fresh analog forward)
LOGGED_LOSSES = ("exact", "noisy")


_BL_REASON = "AIHWKit's desired_bl is a 32-bit integer"


@dataclass(frozen=True)
class TileConfig:
    """The rpu_config of one analog tile: device, forward IO and update parameters (AIHWKit's names)."""

    tau: float
    """Device bounds: w_max = tau, w_min = -tau. Must be > 0."""
    dw_min: float
    """Pulse granularity. Must be in (0, tau)."""
    w_noise: float = 0.0
    """Additive-constant weight noise of the forward pass (output std w_noise ||x||). Must be >= 0."""
    inp_bound: float = 10.0
    """Input clipping bound. Must be > 0."""
    out_bound: float = 10.0
    """Output clipping bound of the analog product. Must be > 0."""
    noise_management: str = "none"
    """"none", or "abs_max" with iterative bound management (AIHWKit's defaults): inputs scaled by 1/max|x|
    before the product and the output scaled back, which leaves the additive-constant weight noise unchanged in
    output units, and a clipped product repeated at a smaller scale, so that nothing is clipped."""
    desired_bl: int = 31
    """Largest pulse train. Must be in [1, 2**31 - 1] (AIHWKit's desired_bl is a 32-bit integer)."""
    pulsed: bool = True
    """False: the requested update -lr d_b x_b^T is applied exactly through the device (6), no pulses."""
    per_sample: bool = True
    """False: the batch's summed update -lr sum_b d_b x_b^T is pulsed as one rank-one-like update per weight
    (each weight its own 1x1 outer product, the toolkit's earlier pulse model)."""

    def __post_init__(self):
        object.__setattr__(self, "tau", require_real("tau", self.tau, low=0.0, low_open=True))
        object.__setattr__(
            self, "dw_min", require_real("dw_min", self.dw_min, low=0.0, high=self.tau, low_open=True, high_open=True)
        )
        object.__setattr__(self, "w_noise", require_real("w_noise", self.w_noise, low=0.0))
        object.__setattr__(self, "inp_bound", require_real("inp_bound", self.inp_bound, low=0.0, low_open=True))
        object.__setattr__(self, "out_bound", require_real("out_bound", self.out_bound, low=0.0, low_open=True))
        if not isinstance(self.noise_management, str) or self.noise_management not in NOISE_MANAGEMENTS:
            raise ValueError(f"noise_management must be one of {NOISE_MANAGEMENTS}, got {self.noise_management!r}")
        desired_bl = require_int("desired_bl", self.desired_bl, low=1, high=2**31 - 1, reason=_BL_REASON)
        object.__setattr__(self, "desired_bl", desired_bl)
        for name in ("pulsed", "per_sample"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be a bool, got {getattr(self, name)!r}")


#: up to this many on-slots, coincidences are drawn slot by slot (:func:`_coincidences`)
SLOT_BY_SLOT = 8


def _coincidences(rng: np.random.Generator, m: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial(m, p) draws (float) for m on-slots (shape (R, N, 1)) and probabilities p (R, N, D). While no m
    exceeds :data:`SLOT_BY_SLOT`, slot t < m contributes a Bernoulli(p) x-bit, as in the pulse train itself
    (cheaper than numpy's per-entry sampler near a floor, where m is small); otherwise numpy's sampler."""
    slots = int(m.max()) if m.size else 0
    if slots > SLOT_BY_SLOT:
        return rng.binomial(np.broadcast_to(m.astype(np.int64), p.shape), p).astype(np.float64)
    out = np.zeros(p.shape)
    for t in range(slots):
        out += (rng.random(p.shape) < p) & (t < m)
    return out


def require_data(inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    """The training data as (N x D inputs, N targets), checked: N, D >= 1, finite, rows of finite norm."""
    X = require_array("inputs", inputs, ndim=2)
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"inputs must be an N x D matrix with N, D >= 1, got shape {X.shape}")
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(X, axis=1)
    if not np.all(np.isfinite(norms)):
        raise ValueError("inputs must have rows of finite norm (entries of magnitude below about 1e150)")
    t = require_array("targets", targets, ndim=1)
    if t.shape[0] != X.shape[0]:
        raise ValueError(f"targets must have one entry per row of inputs ({X.shape[0]}), got {t.shape[0]}")
    return X, t


@dataclass(frozen=True, eq=False)
class PulsedTileSGD(Dynamics):
    """AIHWKit's Analog SGD on one AnalogLinear(D, 1) tile with a digital bias (module docstring), full batch."""

    config: TileConfig
    """The tile's device, IO and update parameters."""
    lr: float
    """Learning rate. Must be > 0."""
    inputs: np.ndarray
    """The N x D inputs X (the batch: every step uses all rows)."""
    targets: np.ndarray
    """The N targets t."""
    bias: bool = True
    """Whether the layer has a (digital) bias, the last coordinate of W."""
    loss_scale: float = 1.0
    """c in loss = c mean_b (y_b - t_b)^2 (1 for MSELoss, 0.5 for MSELoss/2). Must be > 0."""
    logged: str = "exact"
    """The logged metric's forward pass: "exact" or "noisy" (:data:`LOGGED_LOSSES`)."""
    logged_divisor: float = 1.0
    """The script logs loss / logged_divisor (the scripts divide by D). Must be > 0."""

    needs_rng: ClassVar = True
    device: ClassVar[None] = None
    #: extra per-chain statistics the engine records (:mod:`verify.sim.engine`)
    observables: ClassVar[dict[str, str]] = {"logged": "the script's logged loss at W_k"}
    _x: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        require_instance("config", self.config, TileConfig, "TileConfig(tau=1.0, dw_min=0.01)")
        object.__setattr__(self, "lr", require_real("lr", self.lr, low=0.0, low_open=True))
        X, t = require_data(self.inputs, self.targets)
        object.__setattr__(self, "inputs", X)
        object.__setattr__(self, "targets", t)
        object.__setattr__(self, "loss_scale", require_real("loss_scale", self.loss_scale, low=0.0, low_open=True))
        object.__setattr__(
            self, "logged_divisor", require_real("logged_divisor", self.logged_divisor, low=0.0, low_open=True)
        )
        if not isinstance(self.logged, str) or self.logged not in LOGGED_LOSSES:
            raise ValueError(f"logged must be one of {LOGGED_LOSSES}, got {self.logged!r}")
        if not isinstance(self.bias, (bool, np.bool_)):
            raise ValueError(f"bias must be a bool, got {self.bias!r}")
        cfg = self.config
        x = np.clip(X, -cfg.inp_bound, cfg.inp_bound) if cfg.noise_management == "none" else X
        object.__setattr__(self, "_x", x)
        object.__setattr__(self, "_x_norm", np.linalg.norm(x, axis=1))
        # the update sees the layer's original input X = self.inputs (AIHWKit stores it before the forward's clipping)
        x_max = np.abs(X).max(axis=1)
        object.__setattr__(self, "_update_x_max", x_max)
        object.__setattr__(self, "_update_x_rel", np.abs(X) / np.where(x_max > 0, x_max, 1.0)[:, None])
        object.__setattr__(self, "_x_sign", np.sign(X))
        # abs_max noise management comes with AIHWKit's default iterative bound management, which repeats a
        # clipped product at a smaller input scale: no output is clipped
        object.__setattr__(self, "_out_bound", np.inf if cfg.noise_management == "abs_max" else cfg.out_bound)
        object.__setattr__(self, "_log_r", np.log1p(-cfg.dw_min / cfg.tau))

    @property
    def analog_dim(self) -> int:
        """D, the number of analog weights."""
        return self.inputs.shape[1]

    @property
    def dim(self) -> int:
        """The state's width: D, plus 1 for the bias."""
        return self.analog_dim + int(self.bias)

    def problem(self, name: str = "AnalogLinear least squares") -> QuadraticProblem:
        """The quadratic the tile trains: f(W) = c mean_b (A_1 W - t)_b^2 with A_1 = [X, 1] (exact loss; the
        targets must be realisable, t = A_1 W* for the W* given by least squares)."""
        A = np.hstack([self.inputs, np.ones((self.inputs.shape[0], 1))]) if self.bias else self.inputs
        w_star, *_ = np.linalg.lstsq(A, self.targets, rcond=None)
        return least_squares(A, w_star, scale=self.loss_scale / A.shape[0], name=name)

    def check_initial_point(self, W0):
        analog = W0[..., : self.analog_dim]
        tau = self.config.tau
        if np.any(np.abs(analog) > tau):
            raise ValueError(
                f"w0: analog weights must lie in the device range [-{tau:g}, {tau:g}] (AIHWKit clips "
                f"them at set_weights), got an entry {analog[np.abs(analog) > tau].flat[0]!r}"
            )

    def initial_state(self, W0, rng=None):
        self.check_initial_point(W0)
        return {"W": W0}

    # -- one forward pass ---------------------------------------------------------------------------

    def forward(self, W: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
        """Outputs y (R, N) of the analog layer at W, with fresh weight noise (none if rng is None)."""
        cfg, D = self.config, self.analog_dim
        y = W[:, :D] @ self._x.T
        if rng is not None and cfg.w_noise > 0:
            y += (cfg.w_noise * self._x_norm) * rng.standard_normal(y.shape)
        np.clip(y, -self._out_bound, self._out_bound, out=y)
        if self.bias:
            y += W[:, D : D + 1]
        return y

    def observe(self, state, name: str, out: np.ndarray, rng) -> None:
        """The logged loss at W_k: c mean_b (y_b - t_b)^2 / logged_divisor, y from an exact or noisy forward."""
        W = state["W"]
        if self.logged == "exact":
            y = W[:, : self.analog_dim] @ self.inputs.T
            if self.bias:
                y += W[:, self.analog_dim :]
        else:
            y = self.forward(W, rng)
        y -= self.targets
        np.einsum("ij,ij->i", y, y, out=out)
        out *= self.loss_scale / (y.shape[1] * self.logged_divisor)

    # -- one training step --------------------------------------------------------------------------

    def update(self, state, stochastic_gradient, scratch, rng=None):
        """One step: noisy forward, error d, digital bias SGD, per-row pulsed updates (module docstring).
        The engine's stochastic gradient is not used: the tile makes its own from the data."""
        if rng is None:
            raise ValueError("rng must be a numpy.random.Generator: the tile's forward noise and pulses are random")
        W, D, cfg = state["W"], self.analog_dim, self.config
        y = self.forward(W, rng)
        y -= self.targets
        d = y
        d *= 2.0 * self.loss_scale / y.shape[1]  # (R, N): the error fed back per row
        if self.bias:
            W[:, D] -= self.lr * d.sum(axis=1)
        analog = W[:, :D]
        if not cfg.per_sample:
            self._apply(analog, -self.lr * (d @ self.inputs), rng)
        elif not cfg.pulsed:  # each row's -lr d_b x_b^T through (6): w <- (1 - |dw|/tau) w + dw
            dw = -self.lr * d[:, :, None] * self.inputs[None]  # (R, N, D)
            self._compose(analog, np.log1p(-np.abs(dw) / cfg.tau), dw)
        else:
            self._pulse_rows(analog, d, rng)
        W[:, :D] = analog

    @staticmethod
    def _compose(analog: np.ndarray, log_r: np.ndarray, offsets: np.ndarray) -> None:
        """In place over the rows b = 0..N-1 in order: ``w <- r_b w + o_b``, given ``log r_b`` and ``o_b`` (R, N, D)
        as ``w_N = E_0 w_0 + sum_b o_b E_{b+1}`` with ``E_b = prod_{b' >= b} r_b'`` (``E_N = 1``). Overwrites
        ``offsets``."""
        E = np.exp(np.cumsum(log_r[:, ::-1], axis=1))[:, ::-1]  # E_b
        offsets[:, :-1] *= E[:, 1:]
        analog *= E[:, 0]
        analog += offsets.sum(axis=1)

    def _apply(self, analog: np.ndarray, dW: np.ndarray, rng) -> None:
        """One requested update dW per weight, through the device: exactly (6) if not pulsed, else as
        min(ceil(|dW|/dw_min), desired_bl)-slot trains with update management (each weight its own 1x1
        outer product)."""
        cfg, tau = self.config, self.config.tau
        if not cfg.pulsed:
            analog += dW - np.abs(dW) * analog / tau
            return
        ratio = np.abs(dW) / cfg.dw_min
        diverged = np.isnan(ratio)  # a diverged chain: no pulses, the engine stops the run on its NaN
        ratio[diverged] = 0.0
        bl = np.clip(np.ceil(_snap(ratio)), 1, cfg.desired_bl)
        p = np.minimum(1.0, np.abs(dW) / (cfg.dw_min * bl))
        p[diverged] = 0.0
        n = rng.binomial(bl.astype(np.int64), p).astype(np.float64)
        r_n = np.exp(n * self._log_r)
        analog *= r_n
        analog += np.sign(dW) * tau * (1.0 - r_n)

    def row_counts(self, d: np.ndarray, rng) -> np.ndarray:
        """Pulse counts (R, N, D), unsigned, of the N rows' trains for errors ``d`` (R, N) (module docstring)."""
        cfg = self.config
        k = self.lr * self._update_x_max * np.abs(d)  # (R, N), in units of dw_min below
        k /= cfg.dw_min
        k[np.isnan(k)] = 0.0  # a diverged chain: no pulses, the engine stops the run on its NaN
        bl = np.clip(np.ceil(_snap(k)), 1, cfg.desired_bl)
        k_clipped = np.minimum(k, bl)
        with np.errstate(divide="ignore", invalid="ignore"):
            p_d = np.minimum(1.0, k / np.sqrt(k_clipped * bl))
            p_x = np.sqrt(k_clipped / bl)[:, :, None] * self._update_x_rel[None]  # (R, N, D)
        p_d[k == 0] = 0.0
        p_x[k == 0] = 0.0
        m = rng.binomial(bl.astype(np.int64), p_d).astype(np.float64)  # (R, N) d-bits on
        return _coincidences(rng, m[:, :, None], p_x)

    def apply_counts(self, analog: np.ndarray, counts: np.ndarray, d: np.ndarray) -> None:
        """In place: row b's ``counts`` (R, N, D) pulses of sign ``-sign(d_b x_bj)`` on the soft-bounds device, rows in
        order, each ``w <- r^n w + s tau (1 - r^n)``. Overwrites ``counts``."""
        counts *= self._log_r
        offsets = -np.expm1(counts)
        offsets *= -self.config.tau * np.sign(d)[:, :, None]
        offsets *= self._x_sign
        self._compose(analog, counts, offsets)

    def _pulse_rows(self, analog: np.ndarray, d: np.ndarray, rng) -> None:
        """The N rows' pulse trains, drawn at once and composed in closed form (module docstring)."""
        self.apply_counts(analog, self.row_counts(d, rng), d)
