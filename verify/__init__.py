"""Numerics on top of :mod:`bounds`, in layers that follow the data flow; each imports only the layers
below it (import-linter contracts in ``pyproject.toml``, checked by ``tests/test_architecture.py``)::

    verify.cli          the command line (python -m verify, aimc-verify)
    verify.reports      ledger, figure plots and CSV, compare, tightness table, bench
    verify.claims       claim registry, verdict rules, per-theme checks
    verify.experiments  the papers' setups and the computations behind their figures
    verify.sim          problems, noise laws, dynamics, pulse model, Monte Carlo engine, estimates
    bounds              (ground floor, never imports verify) exact mathematics

The simulation layer's public names are importable from ``verify`` itself.

Quick start::

    from bounds import AsymmetricLinearDevice
    from verify import AnalogSGD, GaussianNoise, scalar_quadratic, simulate

    problem = scalar_quadratic(L=1.0, w_star=0.5)
    result = simulate(problem, AnalogSGD(AsymmetricLinearDevice(tau=1.0), alpha=0.05),
                      GaussianNoise(std=0.3), steps=2000, chains=1000, seed=1,
                      windows={"tail": (1000, 2000)})
    print(result.estimate("grad_sq", "tail"))
"""

from .sim.dynamics import AnalogGD, AnalogSGD, DigitalSGD, Dynamics, TikiTaka
from .sim.engine import STATISTICS, NonFiniteError, SimulationResult, simulate
from .sim.noise import GaussianNoise, NoiseLaw, NoNoise, RademacherNoise, TwoPointNoise
from .sim.problems import QuadraticProblem, least_squares, lower_bound_instance, scalar_quadratic
from .sim.stats import Estimate, mean_ci

__all__ = [
    "Dynamics",
    "DigitalSGD",
    "AnalogSGD",
    "AnalogGD",
    "TikiTaka",
    "simulate",
    "SimulationResult",
    "NonFiniteError",
    "STATISTICS",
    "NoiseLaw",
    "GaussianNoise",
    "RademacherNoise",
    "TwoPointNoise",
    "NoNoise",
    "QuadraticProblem",
    "least_squares",
    "scalar_quadratic",
    "lower_bound_instance",
    "Estimate",
    "mean_ci",
]
