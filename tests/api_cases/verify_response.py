"""Valid calls of Residual Learning and the 2025 paper's experiments (verify).

See :mod:`tests.strategies` for the contract each case is held to. The Figure 2 runs use a tiny setting (D = 3,
K = 5 steps) so that each draw takes milliseconds."""

import numpy as np

from bounds.devices import LinearResponseDevice, PowerResponseDevice
from bounds.noise_laws import GaussianLaw
from tests.strategies import ApiCase
from verify.experiments import response
from verify.sim import dynamics, problems, pulses

LIN = LinearResponseDevice(tau=1.0, c_lin=0.3)
POWER = PowerResponseDevice(tau=1.0, gamma=2.0)
PROBLEM = problems.scalar_quadratic(1.0, 0.3, 0.0)
PULSES = pulses.PulseModel(POWER, dw_min=0.01)
TINY = response.Figure2Setting(dim=3, rows=5, steps=5, tail=2)

#: one valid call per public callable
CASES: list[ApiCase] = [
    # ---- dynamics -------------------------------------------------------------------------------------------
    ApiCase(
        "verify.sim.dynamics.ResidualLearning",
        dynamics.ResidualLearning,
        dict(device=POWER, alpha=0.1, beta=0.05, gamma=0.5, p_device=LIN, problem=PROBLEM),
    ),
    ApiCase(
        "verify.sim.dynamics.ResidualLearningV2",
        dynamics.ResidualLearningV2,
        dict(
            device=POWER,
            alpha=0.1,
            beta=0.05,
            gamma=0.5,
            p_device=LIN,
            problem=PROBLEM,
            read_noise=0.1,
            buffer_rate=0.2,
            threshold=0.01,
        ),
    ),
    ApiCase(
        "verify.sim.dynamics.PulsedResidualLearning",
        dynamics.PulsedResidualLearning,
        dict(pulses=PULSES, alpha=0.1, beta=0.05, gamma=0.5, p_pulses=None, problem=PROBLEM),
    ),
    ApiCase(
        "verify.sim.dynamics.PulsedResidualLearningV2",
        dynamics.PulsedResidualLearningV2,
        dict(
            pulses=PULSES,
            alpha=0.1,
            beta=0.05,
            gamma=0.5,
            p_pulses=None,
            problem=PROBLEM,
            read_noise=0.1,
            buffer_rate=None,
            threshold=None,
        ),
    ),
    # ---- the small-step limit -------------------------------------------------------------------------------
    ApiCase(
        "verify.experiments.response.ResidualLimit",
        response.ResidualLimit,
        dict(gradient=0.1, w_inf=np.array([0.4]), grad_sq=0.01, f_gap=0.005, in_range=True),
    ),
    ApiCase(
        "verify.experiments.response.residual_learning_limit",
        response.residual_learning_limit,
        dict(p_device=LIN, law=GaussianLaw(0.5), problem=PROBLEM, w_device=LIN),
    ),
    # ---- Figure 2 -------------------------------------------------------------------------------------------
    ApiCase(
        "verify.experiments.response.Figure2Setting",
        response.Figure2Setting,
        dict(
            dim=50,
            rows=100,
            sigma_a=1.0,
            sigma_w_star=0.5,
            tau=3.5,
            dw_min=1e-4,
            max_bl=8,
            c_lins=(0.0, 0.3),
            noise_std=0.1,
            alpha=0.002,
            gamma=0.4,
            steps=3000,
            tail=300,
            instance_seed=2025,
        ),
    ),
    ApiCase("verify.experiments.response.figure2_problem", response.figure2_problem, dict(setting=TINY)),
    ApiCase(
        "verify.experiments.response.figure2_dynamics",
        response.figure2_dynamics,
        dict(algorithm="tiki-taka", c_lin=0.1, setting=TINY, dw_min=1e-3, max_bl=16),
    ),
    ApiCase(
        "verify.experiments.response.run_figure2",
        response.run_figure2,
        dict(
            algorithm="analog-sgd",
            c_lin=0.2,
            chains=2,
            seed=3,
            setting=TINY,
            noise_std=0.1,
            dw_min=1e-3,
            max_bl=8,
        ),
    ),
]
#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {}
