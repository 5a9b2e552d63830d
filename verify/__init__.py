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

import importlib

#: public name -> the submodule of :mod:`verify.sim` that defines it (imported on first use, so that the command
#: line starts without the numerics)
_EXPORTS = {
    **dict.fromkeys(("AnalogGD", "AnalogSGD", "DigitalSGD", "Dynamics", "TikiTaka"), "dynamics"),
    **dict.fromkeys(("STATISTICS", "NonFiniteError", "SimulationResult", "simulate"), "engine"),
    **dict.fromkeys(("GaussianNoise", "NoiseLaw", "NoNoise", "RademacherNoise", "TwoPointNoise"), "noise"),
    **dict.fromkeys(("QuadraticProblem", "least_squares", "lower_bound_instance", "scalar_quadratic"), "problems"),
    **dict.fromkeys(("Estimate", "mean_ci"), "stats"),
}


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("aimc-verify")
        except PackageNotFoundError:  # running from a source tree that was never installed
            value = "0+unknown"
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.sim.{_EXPORTS[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "__version__",
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
