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
from bounds.validation import require_int

from ..experiments.settings import figure1
from ..sim.dynamics import AnalogSGD, PulsedAnalogSGD, TikiTaka
from ..sim.engine import _default_block_size, simulate
from ..sim.noise import GaussianNoise

__all__ = ["run_benchmark", "normal_draw_rate", "TARGETS", "PULSE_DW_MIN", "PULSE_BIT_LENGTHS"]

#: workload -> least acceptable ratio to the normal-drawing rate
TARGETS = {"analog-sgd": 0.6, "tiki-taka": 0.5}
#: the pulse-level workloads: granularity and AIHWKit desired_bl values; no target
PULSE_DW_MIN = 1e-3
PULSE_BIT_LENGTHS = (31, 800)


def normal_draw_rate(chains: int, dim: int, steps: int, repeats: int) -> float:
    """Standard normals per second drawn on one thread, in blocks of the engine's shape."""
    block = min(_default_block_size(dim), chains)
    buffer = np.empty((block, dim), order="F")
    rng = np.random.Generator(np.random.PCG64(0))
    n_blocks = -(-chains // block)
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(steps * n_blocks):
            rng.standard_normal(out=buffer)
        rates.append(steps * n_blocks * block * dim / (time.perf_counter() - started))
    return statistics.median(rates)


def run_benchmark(
    chains: int = 4096,
    steps: int = 300,
    repeats: int = 3,
    workers: int | None = None,
    progress: bool | None = None,
    report=print,
) -> list[dict]:
    """Time the workloads; return one dict per workload (throughput, ratio, target, ...)."""
    chains = require_int("chains", chains, low=1)
    steps = require_int("steps", steps, low=1)
    repeats = require_int("repeats", repeats, low=1)
    default_workers = os.cpu_count() or 1
    workers = default_workers if workers is None else require_int("workers", workers, low=1)
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
            throughput = cells / statistics.median(times)
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
