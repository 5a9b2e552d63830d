r"""The Monte Carlo engine: K steps of R independent chains, with streamed statistics.

:func:`simulate` advances R chains of a dynamic on a problem under a noise law. The chains are
cut into blocks of ``chains_per_block``; each block owns a random generator seeded by the child
``SeedSequence(entropy, spawn_key + (b,))`` of the run's seed and is advanced as (n, D) arrays
through all K steps. Blocks run in parallel threads (numpy releases the GIL in its kernels; BLAS is
pinned to one thread so that results do not depend on the number of workers). The same seed gives
bit-identical results, whatever ``workers`` is, and chain r's path depends only on the seed, the
block size and r, so adding chains never changes the ones already there. A dynamic whose update is itself random
(``needs_rng = True``, the pulse-level ones) draws from the block's generator after that step's noise,
so it too is reproducible from the seed alone.

Each step runs through compiled kernels (:mod:`verify.sim.kernels`, numba): one pass for the statistics,
and, for the dynamics and noise laws they cover (Digital, Analog SGD and Tiki-Taka on the ALD, their pulse
levels; Gaussian, Rademacher or no noise), one fused pass that draws the noise and applies the update; the
rest (the gradient's matrix product, other dynamics) is numpy's. ``fused=False`` runs the numpy path
throughout, with the same numbers bit for bit.

At every k = 0..K the engine records, per chain, at the iterate W_k:

==============  ===================================================================================
``grad_sq``     ``||grad f(W_k)||^2``
``f_gap``       ``f(W_k) - f*``
``w_inf``       ``||W_k||_inf``
``saturation``  ``s_k^2 / (1 - s_k^2)`` with the saturation degree ``s_k = ||W_k - w_sp||_inf / tau`` of the
                device holding W (+inf once s_k >= 1); only for devices that define it (ALD, soft bounds)
``p_inf_sq``    ``||P_k||_inf^2``, for Tiki-Taka
==============  ===================================================================================

and any statistics the dynamics itself defines (``dynamics.observables``: name -> description; the
engine calls ``dynamics.observe(state, name, out, rng)`` at each W_k, before the step's update draws),

and streams (i) their chain mean and across-chain variance at every step and (ii) per chain, their
time average over each requested window [start, stop) of step indices. Memory is O(R D + K), not
O(K R D), unless ``trajectories=True``.

The paper's metric (1/K) sum_{k<K} E||grad f(W_k)||^2 is the window (0, K) (the default, named
"all"); S_K = (1/K) sum_{k=0}^{K} (...) is the window (0, K+1) times (K+1)/K.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from bounds.devices import AsymmetricLinearDevice
from bounds.validation import MEMORY_LIMIT as _SHARED_MEMORY_LIMIT
from bounds.validation import SEED_LIMIT, require_array, require_int

from . import kernels
from ._limits import short
from .dynamics import Dynamics
from .noise import NoiseLaw, NoNoise
from .problems import QuadraticProblem
from .progress import ProgressBar
from .stats import Estimate, mean_ci

__all__ = ["simulate", "SimulationResult", "NonFiniteError", "STATISTICS"]

#: statistic name -> what it measures at the iterate W_k
STATISTICS = {
    "grad_sq": "||grad f(W_k)||^2",
    "f_gap": "f(W_k) - f*",
    "w_inf": "||W_k||_inf",
    "saturation": "s_k^2/(1 - s_k^2), s_k = ||W_k - w_sp||_inf/tau",
    "p_inf_sq": "||P_k||_inf^2",
}

#: a run whose arrays (streamed results, blocks, trajectories) would need more bytes than this is refused
#: before anything is allocated (the toolkit's limit on one call, :data:`bounds.validation.MEMORY_LIMIT`)
MEMORY_LIMIT = _SHARED_MEMORY_LIMIT
#: a trajectory request larger than this many bytes is refused
TRAJECTORY_MEMORY_LIMIT = 2 * 1024**3
#: the most work one run may take, in chain-coordinate-steps ``(K + 1) R D`` (plus about 2048 for each block of
#: chains and step, its fixed per-step cost): about five hours at the engine's ~6e7 a second on one core; the
#: paper's checks stay below 1e11 even in the ``full`` profile
WORK_LIMIT = 2**40


class NonFiniteError(FloatingPointError):
    """A chain produced NaN or infinity; ``step`` and ``chain`` say where it first appeared."""

    def __init__(self, step: int, chain: int, statistic: str, value: float):
        self.step, self.chain, self.statistic, self.value = step, chain, statistic, value
        what = "a non-finite value" if not np.isfinite(value) else "a value that overflows its average"
        super().__init__(
            f"the simulation produced {what} at step {step} (chain {chain}): "
            f"{STATISTICS.get(statistic, statistic)} = {value:g}; the iterates diverged or left the device's range "
            "(is the step size too large for the problem's smoothness L?)"
        )


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What :func:`simulate` measured. Arrays indexed by step have K+1 entries, k = 0..K."""

    steps: int
    """K."""
    chains: int
    """R."""
    statistics: tuple[str, ...]
    """The recorded statistics (keys of :data:`STATISTICS`)."""
    mean: dict[str, np.ndarray]
    """statistic -> chain mean at each step, shape (K+1,)."""
    variance: dict[str, np.ndarray] | None
    """statistic -> across-chain sample variance (ddof=1) at each step; None when R = 1."""
    windows: dict[str, tuple[int, int]]
    """window name -> (start, stop), half-open range of step indices."""
    window_means: dict[str, dict[str, np.ndarray]]
    """window name -> statistic -> per-chain time average over the window, shape (R,)."""
    final_state: dict[str, np.ndarray]
    """state name ("W", "P") -> its value at step K, shape (R, D)."""
    trajectories: dict[str, np.ndarray] | None
    """state name -> values at every step, shape (K+1, R, D); None unless requested."""
    seed: dict
    """How to reproduce the run: SeedSequence entropy and spawn key, block size, bit generator."""
    parameters: dict = field(default_factory=dict)
    """Problem, dynamics and noise law, as text."""
    seconds: float = 0.0
    """Wall-clock time of the run."""

    def estimate(self, statistic: str, window: str = "all", level: float = 0.95) -> Estimate:
        """Mean over chains of the per-chain time average of ``statistic`` over ``window``, with its CI."""
        if not isinstance(window, str) or window not in self.window_means:
            raise ValueError(f"window must be one of {sorted(self.window_means)}, got {window!r}")
        if not isinstance(statistic, str) or statistic not in self.statistics:
            raise ValueError(f"statistic must be one of {list(self.statistics)}, got {statistic!r}")
        if self.chains < 2:
            raise ValueError(
                f"chains: a confidence interval needs at least 2 independent chains, this run has {self.chains}"
            )
        return mean_ci(self.window_means[window][statistic], level=level)


# ---------------------------------------------------------------------------------------------
# validation of the run's arguments
# ---------------------------------------------------------------------------------------------


def _default_block_size(dim: int) -> int:
    """A power of two near 65536/D chains (0.5 MB per state array: a block's arrays share one
    core's L2 cache), within [64, 65536]; 1024 for D = 40."""
    return int(2 ** int(np.clip(np.floor(np.log2(65536 / dim)), 6, 16)))


def _root_seed(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(require_int("seed", seed, low=0, high=SEED_LIMIT))


def _windows(windows, steps: int) -> dict[str, tuple[int, int]]:
    if windows is None:
        return {"all": (0, steps)}
    if not isinstance(windows, dict) or not windows:
        raise ValueError(f"windows must be a non-empty dict of name -> (start, stop), got {windows!r}")
    checked = {}
    for name, bounds in windows.items():
        if not isinstance(name, str):
            raise ValueError(f"windows keys must be strings (window names), got {name!r}")
        try:
            start, stop = bounds
        except (TypeError, ValueError):
            raise ValueError(f"windows[{name!r}] must be a pair (start, stop), got {bounds!r}") from None
        start = require_int(f"windows[{name!r}] start", start, low=0, high=steps)
        stop = require_int(f"windows[{name!r}] stop", stop, low=start + 1, high=steps + 1)
        checked[name] = (start, stop)
    return checked


def _statistics(dynamics: Dynamics) -> tuple[str, ...]:
    names = ["grad_sq", "f_gap", "w_inf"]
    if dynamics.device is not None and dynamics.device.defines_saturation:
        names.append("saturation")
    if "P" in dynamics.state_names:
        names.append("p_inf_sq")
    names.extend(dynamics.observables)
    return tuple(names)


# ---------------------------------------------------------------------------------------------
# one block of chains
# ---------------------------------------------------------------------------------------------


class _Moments:
    """Chain mean and sum of squared deviations (M2) per statistic and step, merged block by block
    in block order (Chan, Golub and LeVeque's pairwise update), so the result does not depend on
    which thread finished first; only blocks that finished out of order wait in memory."""

    def __init__(self, n_stats: int, n_steps: int):
        self.count = 0
        self.mean = np.zeros((n_stats, n_steps))
        self.m2 = np.zeros((n_stats, n_steps))
        self._pending: dict[int, tuple] = {}
        self._next = 0
        self._lock = threading.Lock()

    def add(self, block: int, count: int, mean: np.ndarray, m2: np.ndarray) -> None:
        with self._lock:
            self._pending[block] = (count, mean, m2)
            while self._next in self._pending:
                self._merge(*self._pending.pop(self._next))
                self._next += 1

    def _merge(self, count, mean, m2):
        if self.count == 0:
            self.count, self.mean[...], self.m2[...] = count, mean, m2
            return
        total = self.count + count
        with np.errstate(invalid="ignore"):  # inf - inf where a saturation term is infinite
            delta = mean - self.mean
            self.mean += delta * (count / total)
            self.m2 += m2 + np.square(delta) * (self.count * count / total)
        self.m2[~np.isfinite(self.mean)] = np.inf
        self.count = total


@dataclass
class _Run:
    """Everything the blocks share: the inputs and the arrays the blocks write their parts into."""

    problem: QuadraticProblem
    dynamics: Dynamics
    noise: NoiseLaw
    steps: int
    W0: np.ndarray  # (R, D)
    statistics: tuple[str, ...]
    windows: dict[str, tuple[int, int]]
    trajectories: dict[str, np.ndarray] | None
    final_state: dict[str, np.ndarray]
    window_sums: dict[str, np.ndarray]  # window -> (n_stats, R)
    moments: _Moments
    progress: ProgressBar
    fused: kernels.FusedStep | None  # the compiled update, or None for the numpy path
    failure_lock: threading.Lock = field(default_factory=threading.Lock)
    first_failure: float = np.inf  # earliest failing step seen so far
    cancelled: threading.Event = field(default_factory=threading.Event)

    def note_failure(self, step: int) -> None:
        with self.failure_lock:
            self.first_failure = min(self.first_failure, step)


class _Stop(Exception):
    """A block stops early: the run was cancelled or an earlier failure makes it moot."""


class _Block:
    """Chains [start, stop) of a run, advanced as (n, D) column-major arrays by their own generator."""

    def __init__(self, run: _Run, index: int, start: int, stop: int, seed: np.random.SeedSequence):
        self.run, self.index, self.start, self.stop = run, index, start, stop
        self.rng = np.random.Generator(np.random.PCG64(seed))
        n, dim = stop - start, run.problem.dim
        W = np.empty((n, dim), order="F")
        W[...] = run.W0[start:stop]
        # pulse-level dynamics may draw per-weight device parameters (device-to-device spread) at k = 0
        initial = (
            run.dynamics.initial_state(W, rng=self.rng)
            if getattr(run.dynamics, "needs_rng", False)
            else run.dynamics.initial_state(W)
        )
        self.state = {name: np.asfortranarray(value) for name, value in initial.items()}
        self.W = self.state["W"]
        self.grad, self.noisy, self.scratch = (np.empty((n, dim), order="F") for _ in range(3))
        self.w_star = run.problem.w_star
        self.P = self.state.get("P", self.W)  # the kernel's P (unused without one)
        self.index_of = {name: i for i, name in enumerate(run.statistics)}
        # the ALD's saturation term is computed by the statistics kernel; any other device's by its unchecked
        # per-step path (NaN of a diverged chain stays NaN)
        device = run.dynamics.device
        self.ald = (device.w_sp, device.tau) if type(device) is AsymmetricLinearDevice else None
        if "saturation" in self.index_of:
            self.saturation_degree = device._saturation_degree
        # statistics of `chunk` consecutive steps are buffered, then reduced together
        self.chunk = int(np.clip(16384 // n, 4, 256))
        self.buffer = np.empty((len(run.statistics), self.chunk, n))
        self.deviation = np.empty_like(self.buffer)  # the flush's squared deviations (no temporary per flush)
        self.row_max, self.row_min = np.empty(n), np.empty(n)
        self.mean = np.empty((len(run.statistics), run.steps + 1))
        self.m2 = np.empty_like(self.mean)

    def advance(self) -> None:
        """All K steps; then hand the per-step moments and the final state to the run."""
        run, K = self.run, self.run.steps
        needs_rng = bool(getattr(run.dynamics, "needs_rng", False))
        step = None if run.fused is None else run.fused.bind(self.state, self.grad, self.rng, self.noisy, self.scratch)
        with np.errstate(all="ignore"):  # non-finite values are caught by _flush, by step
            k_first = 0
            for k in range(K + 1):
                self._record(k, k - k_first)
                if k - k_first == self.chunk - 1 or k == K:
                    self._flush(k_first, k - k_first + 1)
                    k_first = k + 1
                if k < K and step is not None:
                    step()
                elif k < K:
                    stochastic = run.noise.perturb(self.grad, self.W, self.rng, self.noisy)
                    if needs_rng:  # pulse-level dynamics draw from the block's own generator
                        run.dynamics.update(self.state, stochastic, self.scratch, rng=self.rng)
                    else:
                        run.dynamics.update(self.state, stochastic, self.scratch)
        for name, value in self.state.items():
            run.final_state[name][self.start : self.stop] = value
        run.moments.add(self.index, self.stop - self.start, self.mean, self.m2)

    def _record(self, k: int, j: int) -> None:
        """The gradient at W_k into ``grad``, and step k's statistics into column j of the buffer."""
        run, W, grad, at = self.run, self.W, self.grad, self.index_of
        rows = self.buffer[:, j]
        residual = self.noisy  # free until the step's noise is drawn
        kernels.residual(W, self.w_star, residual)
        run.problem.hessian_product(residual, out=grad)
        unused = self.row_max  # an output the statistics kernel does not write
        kernels.statistics(
            W,
            residual,
            grad,
            self.P,
            "p_inf_sq" in at,
            self.ald is not None,
            *(self.ald or (0.0, 1.0)),
            rows[at["grad_sq"]],
            rows[at["f_gap"]],
            rows[at["w_inf"]],
            rows[at["saturation"]] if self.ald is not None else unused,
            self.row_max,
            self.row_min,
            rows[at["p_inf_sq"]] if "p_inf_sq" in at else unused,
        )
        if "saturation" in at and self.ald is None:  # the device's own saturation degree
            s = self.saturation_degree(self.row_max, self.row_min)
            term = np.square(s, out=rows[at["saturation"]])
            np.divide(term, np.subtract(1.0, term, out=s), out=term)  # NaN stays NaN
            if np.any(s <= 0.0):  # s_k >= 1: A4 fails, infinite factor
                term[s <= 0.0] = np.inf
        for name in run.dynamics.observables:
            run.dynamics.observe(self.state, name, rows[at[name]], self.rng)
        if run.trajectories is not None:
            for name, trajectory in run.trajectories.items():
                trajectory[k, self.start : self.stop] = self.state[name]

    def _flush(self, k_first: int, count: int) -> None:
        """Reduce the buffered steps k_first .. k_first+count-1: check, average, add to the windows."""
        run = self.run
        block = self.buffer[:, :count]
        block_mean = block.mean(axis=2)
        # Every statistic must stay finite, and so must its chain mean (huge finite values can
        # overflow it); only the saturation term may be +inf (a chain on the bound).
        ok = np.isfinite(block).all(axis=2) & np.isfinite(block_mean)
        if "saturation" in self.index_of:
            i = self.index_of["saturation"]
            ok[i] = ~np.isnan(block[i]).any(axis=1)
        if not ok.all():
            s, j = _first_bad(ok)
            values = block[s, j]
            bad = ~np.isfinite(values)
            chain = int(np.argmax(bad) if bad.any() else np.argmax(np.abs(values)))
            self._fail(k_first + j, chain, s, float(values[chain]))
        with np.errstate(invalid="ignore"):
            deviation = np.subtract(block, block_mean[..., None], out=self.deviation[:, :count])
            block_m2 = np.square(deviation, out=deviation).sum(axis=2)
        overflow = np.isposinf(block_m2) & np.isfinite(block_mean)  # finite values, too spread to square
        if overflow.any():
            s, j = _first_bad(~overflow)
            self._fail(k_first + j, int(np.argmax(np.abs(block[s, j]))), s, float(np.max(np.abs(block[s, j]))))
        block_m2[~np.isfinite(block_mean)] = np.inf
        self.mean[:, k_first : k_first + count] = block_mean
        self.m2[:, k_first : k_first + count] = block_m2
        for name, (w_start, w_stop) in run.windows.items():
            lo, hi = max(w_start, k_first), min(w_stop, k_first + count)
            if lo < hi:
                part = block[:, lo - k_first : hi - k_first]
                sums = run.window_sums[name][:, self.start : self.stop]
                sums += part.sum(axis=1)
                infinite = np.isposinf(sums)
                if infinite.any() and (overflow := infinite & ~np.isposinf(part).any(axis=1)).any():
                    s, chain = (int(x[0]) for x in np.nonzero(overflow))
                    self._fail(hi - 1, chain, s, float(sums[s, chain]))
        run.progress.advance((self.stop - self.start) * count)
        if run.cancelled.is_set() or k_first + count > run.first_failure:
            raise _Stop

    def _fail(self, step: int, chain: int, statistic: int, value: float):
        self.run.note_failure(step)
        raise NonFiniteError(step, self.start + chain, self.run.statistics[statistic], value)


def _first_bad(ok: np.ndarray) -> tuple[int, int]:
    """(statistic, step) of the earliest False in ``ok``, shape (statistics, steps)."""
    j = int(np.flatnonzero(~ok.all(axis=0))[0])
    return int(np.flatnonzero(~ok[:, j])[0]), j


# ---------------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------------


def simulate(
    problem: QuadraticProblem,
    dynamics: Dynamics,
    noise: NoiseLaw | None = None,
    *,
    steps: int,
    chains: int,
    seed=None,
    w0=None,
    windows=None,
    trajectories: bool = False,
    chains_per_block: int | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    fused: bool = True,
) -> SimulationResult:
    """Run ``steps`` steps of ``chains`` independent chains and return the streamed statistics.

    Args:
        problem: the objective.
        dynamics: the algorithm (:mod:`verify.sim.dynamics`).
        noise: the gradient-noise law; None means no noise.
        steps: K >= 1.
        chains: R >= 1.
        seed: int >= 0, a ``numpy.random.SeedSequence``, or None for fresh entropy (recorded in
            the result, so the run can be repeated).
        w0: initial point, shape (D,) for all chains or (R, D); default ``problem.w0``.
        windows: name -> (start, stop) half-open step ranges with 0 <= start < stop <= K + 1
            for per-chain time averages; default ``{"all": (0, K)}``.
        trajectories: also keep every iterate, shape (K+1, R, D) per state array.
        chains_per_block: chains advanced together by one generator; default a power of two
            near 65536/D.
        workers: threads advancing blocks in parallel; default min(CPU count, number of blocks).
        progress: draw a progress bar (None: only on a terminal, after a few seconds).
        fused: advance the chains with the compiled per-step kernels of :mod:`verify.sim.kernels` where they
            cover the dynamics and noise law (False: the numpy path everywhere; both give the same numbers,
            bit for bit).

    Every argument is checked before anything is allocated (a ValueError naming it): the run's arrays,
    estimated in Python integers from ``steps``, ``chains``, D and ``trajectories``, must fit in
    :data:`MEMORY_LIMIT` (4 GiB), and its work in :data:`WORK_LIMIT` (about five hours). Statistics that
    overflow at W_0 raise a ValueError naming ``w0``; a run that diverges later stops with
    :class:`NonFiniteError`.
    """
    started = time.perf_counter()
    if not isinstance(problem, QuadraticProblem):
        raise ValueError(f"problem must be a verify.sim.problems.QuadraticProblem, got {short(problem)}")
    if not isinstance(dynamics, Dynamics):
        raise ValueError(f"dynamics must be a verify.sim.dynamics.Dynamics, got {short(dynamics)}")
    noise = NoNoise() if noise is None else noise
    if not isinstance(noise, NoiseLaw):
        raise ValueError(f"noise must be a verify.sim.noise.NoiseLaw or None, got {short(noise)}")
    if dynamics.noiseless and not isinstance(noise, NoNoise):
        raise ValueError(
            f"noise must be None for {type(dynamics).__name__}, which uses exact gradients; "
            f"got {noise!r} (use AnalogSGD for noisy gradients)"
        )
    dim = problem.dim
    noise.check_dim(dim)
    steps = require_int("steps", steps, low=1)
    chains = require_int("chains", chains, low=1)
    root = _root_seed(seed)
    windows = _windows(windows, steps)
    if not isinstance(trajectories, bool):
        raise ValueError(f"trajectories must be True or False, got {short(trajectories)}")
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {short(progress)}")
    if not isinstance(fused, bool):
        raise ValueError(f"fused must be True or False, got {short(fused)}")
    block_size = (
        _default_block_size(dim)
        if chains_per_block is None
        else require_int("chains_per_block", chains_per_block, low=1)
    )
    block_size = min(block_size, chains)
    n_blocks = -(-chains // block_size)
    workers = min(os.cpu_count() or 1, n_blocks) if workers is None else require_int("workers", workers, low=1)

    statistics = _statistics(dynamics)
    n_states = len(dynamics.state_names)
    in_flight = min(workers, n_blocks)
    # bytes of every array the run allocates, in Python ints (no overflow), checked before any is made
    results = n_states * chains * dim + len(statistics) * chains * len(windows)  # final state, window sums
    # the blocks' state and scratch arrays, and their statistics (and squared deviations) over a chunk of steps
    blocks_bytes = in_flight * ((n_states + 3) * block_size * dim + 2 * len(statistics) * max(16384, 4 * block_size))
    moments = (in_flight + 1) * 2 * len(statistics) * (steps + 1)  # per-step means and M2
    paths = n_states * (steps + 1) * chains * dim if trajectories else 0
    needed = 8 * (results + blocks_bytes + moments + paths) + 1024 * n_blocks  # + each block's seed and range
    if trajectories and 8 * paths > TRAJECTORY_MEMORY_LIMIT:
        raise ValueError(
            f"trajectories=True would need {8 * paths / 1024**3:.3g} GiB for steps={steps}, chains={chains}, "
            f"D={dim}; the limit is {TRAJECTORY_MEMORY_LIMIT / 1024**3:.0f} GiB "
            "(use fewer steps or chains, or rely on the streamed statistics)"
        )
    if needed > MEMORY_LIMIT:
        hints = ["use fewer chains or steps"] + ["trajectories=False"] * trajectories
        hints += ["larger chains_per_block"] * (n_blocks > 2**16)
        raise ValueError(
            f"chains={chains} and steps={steps} are too large: with D={dim}"
            f"{' and trajectories=True' if trajectories else ''} the run would need {needed / 1024**3:.3g} GiB, "
            f"more than the {MEMORY_LIMIT / 1024**3:.0f} GiB a call may allocate ({', or '.join(hints)})"
        )
    work = (steps + 1) * (chains * dim + 2048 * n_blocks)
    if work > WORK_LIMIT:
        raise ValueError(
            f"chains={chains} and steps={steps} are too large: with D={dim} the run is about {float(work):.3g} "
            f"chain-coordinate-steps, more than the {float(WORK_LIMIT):.3g} (about five hours of engine time) a call "
            "may run (use fewer chains or steps, or split the run over seeds)"
        )
    blocks = [(start, min(start + block_size, chains)) for start in range(0, chains, block_size)]

    W0 = require_array("w0", problem.w0 if w0 is None else w0)
    if W0.shape == (dim,):
        W0 = np.broadcast_to(W0, (chains, dim))
    elif W0.shape != (chains, dim):
        raise ValueError(f"w0 must have shape ({dim},) or ({chains}, {dim}), got shape {W0.shape}")
    dynamics.check_initial_point(W0)

    traj = None
    if trajectories:
        traj = {name: np.empty((steps + 1, chains, dim)) for name in dynamics.state_names}

    with ProgressBar(
        total=(steps + 1) * chains, description=type(dynamics).__name__, unit="chain-step", enabled=progress
    ) as bar:
        run = _Run(
            problem=problem,
            dynamics=dynamics,
            noise=noise,
            steps=steps,
            W0=W0,
            statistics=statistics,
            windows=windows,
            trajectories=traj,
            final_state={name: np.empty((chains, dim)) for name in dynamics.state_names},
            window_sums={name: np.zeros((len(statistics), chains)) for name in windows},
            moments=_Moments(len(statistics), steps + 1),
            progress=bar,
            fused=kernels.fused_step(dynamics, noise, dim) if fused else None,
        )
        # block b's seed is the b-th child of the root, made explicitly so the root is never consumed
        children = [
            np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + (b,), pool_size=root.pool_size)
            for b in range(len(blocks))
        ]
        try:
            _run_blocks(run, blocks, children, in_flight)
        except NonFiniteError as err:
            if err.step == 0 and err.statistic in STATISTICS:  # at W_0 these depend on w0 and the problem only
                raise ValueError(
                    f"w0 is too large for the problem: {STATISTICS.get(err.statistic, err.statistic)} = "
                    f"{err.value:g} at the initial point (chain {err.chain}); it must be finite in float64"
                ) from err
            raise

    mean = dict(zip(statistics, run.moments.mean))
    variance = None if chains == 1 else dict(zip(statistics, run.moments.m2 / (chains - 1)))
    window_means = {
        name: {stat: run.window_sums[name][i] / (stop - start) for i, stat in enumerate(statistics)}
        for name, (start, stop) in windows.items()
    }
    return SimulationResult(
        steps=steps,
        chains=chains,
        statistics=statistics,
        mean=mean,
        variance=variance,
        windows=windows,
        window_means=window_means,
        final_state=run.final_state,
        trajectories=traj,
        seed={
            "entropy": root.entropy,
            "spawn_key": list(root.spawn_key),
            "chains_per_block": block_size,
            "bit_generator": "PCG64",
        },
        parameters={"problem": problem.name, "dimension": dim, "dynamics": repr(dynamics), "noise": repr(noise)},
        seconds=time.perf_counter() - started,
    )


def _run_blocks(run: _Run, blocks, children, workers: int) -> None:
    """Advance every block; on failure raise the earliest failing step's error (deterministically)."""
    errors: list = [None] * len(blocks)

    def work(b: int) -> None:
        try:
            _Block(run, b, *blocks[b], children[b]).advance()
        except _Stop:
            pass
        except BaseException as err:  # noqa: BLE001 - re-raised below in block order
            errors[b] = err
            if not isinstance(err, NonFiniteError):
                run.cancelled.set()

    with threadpool_limits(limits=1, user_api="blas"):
        if workers == 1:
            for b in range(len(blocks)):
                work(b)
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(work, b) for b in range(len(blocks))]
                try:
                    for future in futures:
                        future.result()
                except BaseException:
                    run.cancelled.set()
                    raise
    failures = [err for err in errors if err is not None]
    if failures:
        others = [err for err in failures if not isinstance(err, NonFiniteError)]
        if others:
            raise others[0]
        raise min(failures, key=lambda err: (err.step, err.chain))
