"""The performance benchmark: engine throughput against the cost of the noise it must draw.

Throughput is counted in chain-coordinate-steps per second (R * D * K / seconds) for the full
engine (streamed statistics included) on the Figure 1 least-squares problem (paper setting,
D = 40) with Gaussian noise and the asymmetric linear device, tau = 3. The reference is the
rate at which numpy's Generator (PCG64, as in the engine) draws the same float64 standard
normals, in the engine's block shape, on one thread: one normal per coordinate-step is the least
any exact simulator of this noise must draw, so the ratio measures everything else the engine
does. Each rate is the median of ``repeats`` timings.

The step sizes are alpha = 1/(2L) and, for Tiki-Taka, beta = 0.1: the paper's Figure 1 step sizes
diverge on the paper's problem (alpha L > 2), and the speed of a step does not depend on them.

The pulse-level Analog SGD (:class:`verify.sim.dynamics.PulsedAnalogSGD`) is timed on the same
problem with Delta w_min = 1e-3 and AIHWKit-style stochastic pulse trains (bit-length and update
management) at desired_bl = 31 (AIHWKit's default) and 800 (Figure 1's). It has no target: its ratio
to the normal-drawing rate is reported as measured (each step also draws the Binomial pulse counts).
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from bounds.devices import AsymmetricLinearDevice
from bounds.validation import require_int, require_memory

from ..experiments.settings import STEPS_LIMIT, STEPS_REASON, figure1, require_steps, require_work
from ..sim.dynamics import AnalogSGD, PulsedAnalogSGD, TikiTaka
from ..sim.engine import _default_block_size, simulate
from ..sim.noise import GaussianNoise

__all__ = ["run_benchmark", "normal_draw_rate", "TARGETS", "PULSE_DW_MIN", "PULSE_BIT_LENGTHS"]

#: workload -> least acceptable ratio to the normal-drawing rate
TARGETS = {"analog-sgd": 0.6, "tiki-taka": 0.5}
#: the pulse-level workloads: granularity and AIHWKit desired_bl values; no target
PULSE_DW_MIN = 1e-3
PULSE_BIT_LENGTHS = (31, 800)
#: the most standard normals :func:`normal_draw_rate` draws (about 1e8 a second on one thread: a few minutes)
NORMALS_LIMIT = 2**34
#: the most chain-steps :func:`run_benchmark` times per workload (chains x steps x repeats, D = 40; each of the 4
#: engine workloads runs them at up to two worker counts, the pulse-level ones at about 4e6 chain-coordinate-steps
#: a second): about 4.5 times the default's, a quarter of an hour
BENCH_LIMIT = 2**24
_REPEATS_REASON = "each repeat times every workload once more"


def normal_draw_rate(chains: int, dim: int, steps: int, repeats: int) -> float:
    """Standard normals per second drawn on one thread, in blocks of the engine's shape.

    At most :data:`NORMALS_LIMIT` normals in all (``repeats x steps x chains x dim``), a block of at most
    :data:`bounds.validation.MEMORY_LIMIT` bytes, and at most :data:`~verify.experiments.settings.STEPS_LIMIT`
    steps and blocks per repeat."""
    chains = require_int("chains", chains, low=1)
    dim = require_int("dim", dim, low=1)
    steps = require_steps("steps", steps)
    repeats = require_int("repeats", repeats, low=1, high=1000, reason=_REPEATS_REASON)
    block = min(_default_block_size(dim), chains)
    require_memory("dim", 8 * block * dim, f"a block of {block} x {dim} normals")
    n_blocks = -(-chains // block)
    if steps * n_blocks > STEPS_LIMIT:
        raise ValueError(
            f"chains x steps is too large: chains={chains} ({n_blocks} blocks) and steps={steps} make "
            f"{steps * n_blocks} draws per repeat, more than {STEPS_LIMIT} ({STEPS_REASON})"
        )
    require_work(
        repeats * steps * n_blocks * block * dim,
        NORMALS_LIMIT,
        "normals",
        chains=chains,
        dim=dim,
        steps=steps,
        repeats=repeats,
    )
    buffer = np.empty((block, dim), order="F")
    rng = np.random.Generator(np.random.PCG64(0))
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(steps * n_blocks):
            rng.standard_normal(out=buffer)
        rates.append(steps * n_blocks * block * dim / max(time.perf_counter() - started, 1e-9))
    return statistics.median(rates)


def run_benchmark(
    chains: int = 4096,
    steps: int = 300,
    repeats: int = 3,
    workers: int | None = None,
    progress: bool | None = None,
    report=print,
) -> list[dict]:
    """Time the workloads; return one dict per workload (throughput, ratio, target, ...).

    ``chains x steps x repeats`` is at most :data:`BENCH_LIMIT` (a quarter of an hour), ``workers`` at most 1024
    threads; ``report`` is called with each printed line."""
    chains = require_int("chains", chains, low=1)
    steps = require_steps("steps", steps)
    repeats = require_int("repeats", repeats, low=1, high=1000, reason=_REPEATS_REASON)
    require_work(
        chains * steps * repeats,
        BENCH_LIMIT,
        "chain-steps of D = 40 per workload",
        chains=chains,
        steps=steps,
        repeats=repeats,
    )
    default_workers = os.cpu_count() or 1
    workers = (
        default_workers
        if workers is None
        else require_int("workers", workers, low=1, high=1024, reason="threads advancing blocks of chains")
    )
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None, got {progress!r}")
    if not callable(report):
        raise TypeError(f"report must be a callable taking one line of text (e.g. print), got {report!r}")
    setting = figure1()
    problem = setting.problem
    device = AsymmetricLinearDevice(tau=setting.taus[0])
    noise = GaussianNoise(std=setting.noise_stds[0])
    alpha = 0.5 / problem.smoothness
    from ..sim.pulses import PulseModel

    dynamics = {"analog-sgd": AnalogSGD(device, alpha), "tiki-taka": TikiTaka(device, alpha, beta=0.1)}
    for bl in PULSE_BIT_LENGTHS:
        model = PulseModel(device, PULSE_DW_MIN, counting="stochastic_trains", desired_bl=bl)
        dynamics[f"pulsed-sgd-bl{bl}"] = PulsedAnalogSGD(model, alpha)
    cells = chains * problem.dim * steps

    reference = normal_draw_rate(chains, problem.dim, steps, repeats)
    rows = [
        {
            "workload": "normal-draws",
            "workers": 1,
            "throughput": reference,
            "ratio": 1.0,
            "target": None,
            "meets_target": None,
        }
    ]
    report(f"{'workload':<16}{'workers':>8}{'chain-coord-steps/s':>22}{'ratio':>8}  target")
    report(f"{'normal-draws':<16}{1:>8}{reference:>22.3e}{1.0:>8.2f}")
    worker_counts = sorted({workers, 1}, reverse=True)
    for name, dyn in dynamics.items():
        for n_workers in worker_counts:
            times = []
            for repeat in range(repeats):
                result = simulate(
                    problem, dyn, noise, steps=steps, chains=chains, seed=repeat, workers=n_workers, progress=progress
                )
                times.append(result.seconds)
            throughput = cells / max(statistics.median(times), 1e-9)
            ratio = throughput / reference
            target = TARGETS.get(name)
            meets = None if target is None else bool(ratio >= target)
            rows.append(
                {
                    "workload": name,
                    "workers": n_workers,
                    "throughput": throughput,
                    "ratio": ratio,
                    "target": target,
                    "meets_target": meets,
                }
            )
            verdict = "(no target)" if target is None else f">={target} {'ok' if meets else 'BELOW'}"
            report(f"{name:<16}{n_workers:>8}{throughput:>22.3e}{ratio:>8.2f}  {verdict}")
    common = {
        "unit": "chain-coordinate-steps per second",
        "reference": "numpy PCG64 standard normals, one thread",
        "reference_rate": reference,
        "chains": chains,
        "dimension": problem.dim,
        "steps": steps,
        "repeats": repeats,
        "problem": problem.name,
        "alpha": alpha,
        "cpu_count": default_workers,
    }
    for row in rows:
        if row["workload"].startswith("pulsed-sgd-bl"):
            row.update(
                dw_min=PULSE_DW_MIN,
                counting="stochastic_trains",
                desired_bl=int(row["workload"][len("pulsed-sgd-bl") :]),
            )
    return [{**row, **common} for row in rows]
