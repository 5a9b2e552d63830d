"""Valid calls of verify.sim and verify.claims.registry.

See :mod:`tests.strategies` for the contract each case is held to. The simulation cases are tiny (K = 5
steps, R = 2 chains), so that each draw takes milliseconds; ``run_checks`` runs one table claim (C39), whose
check takes no measurable time, and ``run_claim`` a stand-in claim whose check returns at once.
"""

import numpy as np

from bounds import AsymmetricLinearDevice, PowerStepDevice
from tests.strategies import ApiCase
from verify.claims import registry
from verify.claims.results import ClaimResult
from verify.sim import dynamics, engine, noise, problems, progress, pulses, seeds, stats

ALD = AsymmetricLinearDevice(tau=1.0)
PULSES = pulses.PulseModel(ALD, dw_min=0.01)
EST = [stats.Estimate(1.0 + 2.0 * a, 0.9, 1.1, 100, 0.95, sem=0.01) for a in (0.1, 0.2, 0.4)]
LOG_EST = [stats.Estimate(k**-0.5, 0.0, 1.0, 100, 0.95, sem=0.01 * k**-0.5) for k in (100, 400, 1600)]


def child_seed_case(seed, path):
    """``child_seed(seed, *path)``: ``path`` is the tuple of spawn-key steps (a single bad value is passed as one)."""
    return seeds.child_seed(seed, *path) if isinstance(path, (tuple, list)) else seeds.child_seed(seed, path)


def pulse_loop_case(device, W, counts, dw_min, rng, dw_min_std):
    """``pulse_loop`` on a copy of a valid ``W`` (it updates W in place); returns the updated W."""
    W = W.copy() if isinstance(W, np.ndarray) else W
    pulses.pulse_loop(device, W, counts, dw_min, rng, dw_min_std)
    return W


def claim_case(**fields):
    """``claim(...)``, then the claim it registered (if any) is removed again: the registry stays as it was."""
    before = set(registry.CLAIMS)
    try:
        return registry.claim(**fields)
    finally:
        for new in set(registry.CLAIMS) - before:
            del registry.CLAIMS[new]


def tolerance_of_case(claim_id):
    """``tolerance_of`` with the registry loaded (as when a check calls it)."""
    registry.load_claims()
    return registry.tolerance_of(claim_id)


def _stand_in_check(profile, seed):
    return ClaimResult("P97", "confirmed", "upper", empirical=1.0, ci_low=0.9, ci_high=1.1, theoretical=2.0)


STAND_IN = registry.Claim("P97", "a stand-in claim", "tests", "upper", check=_stand_in_check, model="a constant")
TINY = registry.Profile("tiny", chains=8, step_scale=1.0, fixed_level=0.95)

CASES: list[ApiCase] = [
    # ---- problems -------------------------------------------------------------------------------------------
    ApiCase(
        "verify.sim.problems.QuadraticProblem",
        problems.QuadraticProblem,
        dict(hessian=np.array([[2.0, 0.5], [0.5, 1.0]]), w_star=[0.5, -0.25], w0=[0.0, 0.0], name="q"),
    ),
    ApiCase(
        "verify.sim.problems.least_squares",
        problems.least_squares,
        dict(A=[[1.0, 0.5], [0.0, 1.0], [0.3, 0.2]], w_star=[0.5, -0.2], scale=0.5, w0=None, name="ls"),
    ),
    ApiCase("verify.sim.problems.scalar_quadratic", problems.scalar_quadratic, dict(L=2.0, w_star=0.5, w0=None)),
    ApiCase("verify.sim.problems.lower_bound_instance", problems.lower_bound_instance, dict(L=1.0, w_star=0.25, dim=4)),
    # ---- noise ----------------------------------------------------------------------------------------------
    ApiCase("verify.sim.noise.GaussianNoise", noise.GaussianNoise, dict(std=0.5)),
    ApiCase("verify.sim.noise.RademacherNoise", noise.RademacherNoise, dict(scale=0.5)),
    ApiCase("verify.sim.noise.TwoPointNoise", noise.TwoPointNoise, dict(sigma=0.5, tau=1.0, shared=True)),
    ApiCase("verify.sim.noise.NoNoise", noise.NoNoise, {}),
    # ---- dynamics -------------------------------------------------------------------------------------------
    ApiCase("verify.sim.dynamics.DigitalSGD", dynamics.DigitalSGD, dict(alpha=0.1)),
    ApiCase("verify.sim.dynamics.AnalogSGD", dynamics.AnalogSGD, dict(device=ALD, alpha=0.1)),
    ApiCase("verify.sim.dynamics.AnalogGD", dynamics.AnalogGD, dict(device=ALD, alpha=0.1)),
    ApiCase("verify.sim.dynamics.TikiTaka", dynamics.TikiTaka, dict(device=ALD, alpha=0.1, beta=0.2, p_device=None)),
    ApiCase("verify.sim.dynamics.PulsedAnalogSGD", dynamics.PulsedAnalogSGD, dict(pulses=PULSES, alpha=0.1)),
    ApiCase(
        "verify.sim.dynamics.PulsedTikiTaka",
        dynamics.PulsedTikiTaka,
        dict(pulses=PULSES, alpha=0.1, beta=0.2, p_pulses=None),
    ),
    # ---- pulses ---------------------------------------------------------------------------------------------
    ApiCase(
        "verify.sim.pulses.PulseModel",
        pulses.PulseModel,
        dict(
            device=ALD,
            dw_min=0.01,
            counting="stochastic_trains",
            desired_bl=31,
            bl_management=True,
            update_management=True,
            dw_min_std=0.0,
            dw_min_dtod=0.0,
            bound_dtod=0.0,
        ),
    ),
    ApiCase(
        "verify.sim.pulses.pulse_loop",
        pulse_loop_case,
        dict(
            device=ALD,
            W=np.array([[0.1, -0.2, 0.0]]),
            counts=np.array([[3.0, -2.0, 0.0]]),
            dw_min=0.01,
            rng=np.random.default_rng(0),
            dw_min_std=0.1,
        ),
    ),
    # ---- the engine -----------------------------------------------------------------------------------------
    # A power-step device (range [-1, 1]) holds W: it has no saturation statistic, whose +inf for a chain on the
    # ALD's bound is documented (engine.STATISTICS) but not an infinity the contract knows.
    ApiCase(
        "verify.sim.engine.simulate",
        engine.simulate,
        dict(
            problem=problems.scalar_quadratic(1.0, 0.3, 0.0),
            dynamics=dynamics.AnalogSGD(PowerStepDevice(tau_max=1.0, tau_min=-1.0), 0.1),
            noise=noise.GaussianNoise(0.1),
            steps=5,
            chains=2,
            seed=0,
            w0=None,
            windows=None,
            trajectories=False,
            chains_per_block=None,
            workers=1,
            progress=False,
            fused=True,
        ),
    ),
    ApiCase(
        "verify.sim.progress.ProgressBar",
        progress.ProgressBar,
        dict(total=10, description="run", unit="step", enabled=False),
    ),
    # ---- seeds ----------------------------------------------------------------------------------------------
    ApiCase("verify.sim.seeds.root_seed", seeds.root_seed, dict(seed=5)),
    ApiCase("verify.sim.seeds.child_seed", child_seed_case, dict(seed=np.random.SeedSequence(5), path=(1, 2))),
    ApiCase("verify.sim.seeds.seed_record", seeds.seed_record, dict(seed=np.random.SeedSequence(5, spawn_key=(1,)))),
    # ---- stats ----------------------------------------------------------------------------------------------
    # low and high are not mutated: an Estimate's interval may have an infinite end (a side left unbounded,
    # documented in Estimate), an infinity the contract does not know; NaN ends are refused
    # (tests/test_validation.py::TestEstimateRecord pins that)
    ApiCase(
        "verify.sim.stats.Estimate",
        stats.Estimate,
        dict(mean=1.0, low=0.9, high=1.1, n=10, level=0.95, method="m", sem=0.05),
        fixed=("low", "high"),
    ),
    ApiCase("verify.sim.stats.mean_ci", stats.mean_ci, dict(samples=[1.0, 2.0, 3.0], level=0.95)),
    ApiCase(
        "verify.sim.stats.fit_polynomial",
        stats.fit_polynomial,
        dict(xs=[0.0, 1.0, 2.0, 3.0], ys=[1.0, 3.1, 4.9, 7.0], sems=[0.1] * 4, degree=1, level=0.95, n=0),
    ),
    ApiCase(
        "verify.sim.stats.fit_line",
        stats.fit_line,
        dict(xs=[0.0, 1.0, 2.0], ys=[1.0, 3.1, 4.9], sems=[0.1] * 3, level=0.95, n=0),
    ),
    ApiCase(
        "verify.sim.stats.fit_estimates",
        stats.fit_estimates,
        dict(xs=[0.1, 0.2, 0.4], estimates=EST, degree=1, level=0.95),
    ),
    ApiCase(
        "verify.sim.stats.extrapolate_to_zero",
        stats.extrapolate_to_zero,
        dict(xs=[0.1, 0.2, 0.4], estimates=EST, level=0.95),
    ),
    ApiCase(
        "verify.sim.stats.loglog_fit",
        stats.loglog_fit,
        dict(ks=[100, 400, 1600], estimates=LOG_EST, level=0.95, degree=1),
    ),
    ApiCase(
        "verify.sim.stats.loglog_slope", stats.loglog_slope, dict(ks=[100, 400, 1600], estimates=LOG_EST, level=0.95)
    ),
    ApiCase(
        "verify.sim.stats.ratio_of_means",
        stats.ratio_of_means,
        dict(a=[1.0, 2.0, 3.0], b=[2.0, 2.0, 2.5], level=0.95),
    ),
    ApiCase(
        "verify.sim.stats.ratio_of_independent_means",
        stats.ratio_of_independent_means,
        dict(a=EST[0], b=EST[1], level=0.95),
    ),
    # ---- the claim registry ---------------------------------------------------------------------------------
    ApiCase(
        "verify.claims.registry.Profile",
        registry.Profile,
        dict(name="p", chains=8, step_scale=1.0, familywise=0.95, fixed_level=0.95, experiment_chains=8),
    ),
    ApiCase(
        "verify.claims.registry.Claim",
        registry.Claim,
        dict(
            id="P98",
            statement="s",
            source="src",
            relation="upper",
            check=None,
            not_checkable="a reason",
            model="m",
            tolerance=None,
            intended=None,
            depends=None,
            quantity="",
        ),
    ),
    ApiCase(
        "verify.claims.registry.claim",
        claim_case,
        dict(
            id="P99",
            statement="s",
            source="src",
            relation="external",
            not_checkable="a reason",
            model="m",
            tolerance=None,
            intended=None,
            depends=None,
            quantity="",
        ),
    ),
    ApiCase("verify.claims.registry.load_claims", registry.load_claims, {}),
    ApiCase(
        "verify.claims.registry.run_claim",
        registry.run_claim,
        dict(c=STAND_IN, profile=TINY, seed=np.random.SeedSequence(3)),
    ),
    # ids is not mutated: None (one of the bad values) is its valid default, all claims, a ledger run of minutes;
    # tests/test_validation.py::TestRegistryInputs pins that bad ids are refused by name
    ApiCase(
        "verify.claims.registry.run_checks",
        registry.run_checks,
        dict(ids=["C39"], profile="quick", entropy=20241212, on_result=None, progress=False, distribute=None),
        fixed=("ids",),
    ),
    ApiCase("verify.claims.registry.claim_seed", registry.claim_seed, dict(claim_id="C5", entropy=20241212)),
    ApiCase("verify.claims.registry.tolerance_of", tolerance_of_case, dict(claim_id="C12")),
    ApiCase("verify.claims.registry.paper_of", registry.paper_of, dict(claim_id="R14a")),
    ApiCase(
        "verify.claims.registry.Paper",
        registry.Paper,
        dict(key="x2026", citation="A, B, a paper", digest="its digest", prefixes=("X",)),
    ),
]

#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {
    "verify.sim.noise.NoiseLaw": "abstract base class: its subclasses' constructors have cases",
    "verify.sim.dynamics.Dynamics": "abstract base class: its subclasses' constructors have cases",
    "verify.sim.engine.SimulationResult": (
        "the record simulate returns: built only by simulate (whose inputs have a case), never by a user"
    ),
    "verify.sim.engine.NonFiniteError": "the exception simulate raises on divergence: built by the engine only",
    "verify.sim.stats.PolynomialFit": (
        "the record fit_polynomial returns: built only by fit_polynomial (whose inputs have a case), never by a user"
    ),
}
