"""Numerics: problems, noise laws, dynamics, the Monte Carlo engine, statistics, command line.

Quick start::

    from bounds import AsymmetricLinearDevice
    from verify import AnalogSGD, GaussianNoise, scalar_quadratic, simulate

    problem = scalar_quadratic(L=1.0, w_star=0.5)
    result = simulate(problem, AnalogSGD(AsymmetricLinearDevice(tau=1.0), alpha=0.05),
                      GaussianNoise(std=0.3), steps=2000, chains=1000, seed=1,
                      windows={"tail": (1000, 2000)})
    print(result.estimate("grad_sq", "tail"))
"""

from .dynamics import AnalogGD, AnalogSGD, DigitalSGD, Dynamics, TikiTaka
from .engine import STATISTICS, NonFiniteError, SimulationResult, simulate
from .noise import GaussianNoise, NoiseLaw, NoNoise, RademacherNoise, TwoPointNoise
from .problems import QuadraticProblem, least_squares, lower_bound_instance, scalar_quadratic
from .stats import Estimate, mean_ci

__all__ = [
    "Dynamics", "DigitalSGD", "AnalogSGD", "AnalogGD", "TikiTaka",
    "simulate", "SimulationResult", "NonFiniteError", "STATISTICS",
    "NoiseLaw", "GaussianNoise", "RademacherNoise", "TwoPointNoise", "NoNoise",
    "QuadraticProblem", "least_squares", "scalar_quadratic", "lower_bound_instance",
    "Estimate", "mean_ci",
]
