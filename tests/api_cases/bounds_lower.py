"""Valid calls of bounds: lower_bound, asymptotics.

See :mod:`tests.strategies` for the contract each case is held to.

The functions of :mod:`bounds.lower_bound` that take a ``construction`` are called through
:func:`_on_construction`: besides ``construction`` itself, the case lists the construction's six fields,
and the target builds the construction from them unless ``construction`` was replaced by a bad value. So a
bad or extreme field (``tau=1e308``, ``w_star=1e-300``) that the constructor accepts reaches the function,
which must then refuse it by name or return a finite result.
"""

import mpmath
import numpy as np
import sympy as sp

from bounds import asymptotics as asy
from bounds import lower_bound as lb
from bounds import symbols as S
from bounds.applicability import Bound, Condition
from bounds.devices import AsymmetricLinearDevice
from bounds.noise_laws import GaussianLaw
from tests.strategies import ApiCase

#: the construction of the module's doctests (every condition holds)
FIELDS = dict(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4, alpha=0.01)
CONS = lb.LowerBoundConstruction(**FIELDS)


def _on_construction(fn):
    """``fn(construction, **rest)``, on a construction built from the fields unless ``construction`` was
    replaced (then on the replacement, a bad value)."""

    def call(construction, L, w_star, tau, sigma, D, alpha, **rest):
        if construction is CONS:
            construction = lb.LowerBoundConstruction(L=L, w_star=w_star, tau=tau, sigma=sigma, D=D, alpha=alpha)
        return fn(construction, **rest)

    call.__name__ = fn.__name__
    return call


def _construction_case(fn, **rest) -> ApiCase:
    return ApiCase(f"bounds.lower_bound.{fn.__name__}", _on_construction(fn), {"construction": CONS, **FIELDS, **rest})


def _method(name: str, argument: str, value) -> ApiCase:
    def call(**kwargs):
        return getattr(CONS, name)(**kwargs)

    return ApiCase(f"bounds.lower_bound.LowerBoundConstruction.{name}", call, {argument: value})


# the asymptotics: a scalar chain (cheap: analog SGD with Gaussian noise) and hand-built results
ALD = AsymmetricLinearDevice(tau=1.0)
LAW = GaussianLaw(s=0.5)
CHAIN = asy.analog_sgd_chain(ALD, LAW, 1.0, 0.3)
_HOLDS = Condition("b'(w_inf) < 0 (linearised chain stable)", -1.0, "<", 0.0)
SCALAR = asy.ScalarAsymptotics(
    w_inf=mpmath.mpf("0.2"),
    residual=mpmath.mpf(0),
    limits={"grad_sq": 0.01, "f_gap": 0.005},
    slopes={"grad_sq": 0.5, "f_gap": 0.25},
    variance_slope=0.1,
    mean_slope=0.0,
    derivative=-1.0,
    conditions=(_HOLDS,),
)
_VECTOR_FIELDS = dict(
    W_inf=np.array([0.2]),
    grad_sq=Bound("grad_sq", "equal", 0.01, (_HOLDS,), terms={"limit": 0.01, "slope": 0.5}),
    f_gap=Bound("f_gap", "equal", 0.005, (_HOLDS,), terms={"limit": 0.005, "slope": 0.25}),
    jacobian=np.array([[-1.0]]),
    noise_covariance=np.array([[0.25]]),
    covariance_slope=np.array([[0.125]]),
    mean_slope=np.array([0.0]),
    residual=0.0,
    conditions=(_HOLDS,),
)
VECTOR = asy.VectorAsymptotics(**_VECTOR_FIELDS)


def _prediction(observable, alpha):
    return SCALAR.prediction(observable, alpha)


def _discrete_covariance(alpha):
    return VECTOR.discrete_covariance(alpha)


#: one valid call per public callable
CASES: list[ApiCase] = [
    # ---- bounds.lower_bound -------------------------------------------------------------------
    ApiCase("bounds.lower_bound.LowerBoundConstruction", lb.LowerBoundConstruction, dict(FIELDS)),
    _method("objective", "W", np.full((2, 4), 0.1)),
    _method("gradient", "W", np.full(4, -0.3)),
    _method("probability", "w", np.array([0.1, -0.2])),
    _method("xi_plus", "w", np.array([0.1, -0.2])),
    _method("xi_minus", "w", 0.3),
    _method("next_weights", "w", np.array([0.1, 0.2, 0.3])),
    _construction_case(lb.theorem2_as_stated, S_K=0.05),
    _construction_case(lb.theorem2_derived, S_K=0.05),
    _construction_case(lb.stationary_value_as_stated),
    _construction_case(lb.stationary_value_derived),
    _construction_case(lb.stationary_point),
    _construction_case(lb.stationary_point_exact, dps=30),
    _construction_case(lb.ratio_slope),
    _construction_case(lb.stationary_ratio_first_order),
    _construction_case(lb.lemma2_bound),
    _construction_case(lb.theorem8_interval),
    _construction_case(lb.theorem8_bound),
    _construction_case(lb.lemma3_bound_as_stated),
    _construction_case(lb.lemma3_bound),
    _construction_case(lb.lemma4_interval),
    ApiCase("bounds.lower_bound.abs_moment", lb.abs_moment, dict(g=0.1, w=0.2, tau=1.0, sigma=0.5, D=1)),
    ApiCase("bounds.lower_bound.lemma4_value", lb.lemma4_value, dict(g=0.1, w=0.2, tau=1.0, sigma=0.5, D=1)),
    ApiCase(
        "bounds.lower_bound.DerivationStep",
        lb.DerivationStep,
        dict(
            label="(97b)",
            statement="2p - 1 = -w/tau",
            printed=-S.w / S.tau,
            implied=2 * (1 - S.w / S.tau) / 2 - 1,
            derived=-S.w / S.tau,
            follows=True,
            correct=True,
        ),
    ),
    # ---- bounds.asymptotics -------------------------------------------------------------------
    ApiCase(
        "bounds.asymptotics.ScalarChain",
        asy.ScalarChain,
        dict(
            drift=CHAIN.drift,
            second_moment=CHAIN.second_moment,
            observables=dict(CHAIN.observables),
            values={S.L: 1.0},
            interval=(-1.0, 1.0),
            description="analog SGD, ALD(tau=1), N(0, 0.25)",
            kinks=(S.w - sp.Rational(1, 2),),
        ),
    ),
    ApiCase(
        "bounds.asymptotics.ScalarAsymptotics",
        asy.ScalarAsymptotics,
        {f: getattr(SCALAR, f) for f in SCALAR.__dataclass_fields__},
    ),
    ApiCase("bounds.asymptotics.ScalarAsymptotics.prediction", _prediction, dict(observable="grad_sq", alpha=0.01)),
    ApiCase("bounds.asymptotics.VectorAsymptotics", asy.VectorAsymptotics, dict(_VECTOR_FIELDS)),
    ApiCase("bounds.asymptotics.VectorAsymptotics.discrete_covariance", _discrete_covariance, dict(alpha=0.01)),
    ApiCase("bounds.asymptotics.law_moment_expressions", asy.law_moment_expressions, dict(kind="gaussian")),
    ApiCase("bounds.asymptotics.analog_sgd_chain", asy.analog_sgd_chain, dict(device=ALD, law=LAW, L=1.0, w_star=0.3)),
    ApiCase(
        "bounds.asymptotics.theorem2_chain",
        asy.theorem2_chain,
        dict(L=1.0, w_star=0.25, tau=1.0, sigma=0.25, D=4),
    ),
    ApiCase("bounds.asymptotics.solve_scalar", asy.solve_scalar, dict(chain=CHAIN, dps=20)),
    ApiCase(
        "bounds.asymptotics.scalar_asymptotics",
        asy.scalar_asymptotics,
        dict(device=ALD, law=LAW, L=1.0, w_star=0.3, dps=20),
    ),
    ApiCase(
        "bounds.asymptotics.vector_asymptotics",
        asy.vector_asymptotics,
        dict(device=ALD, law=LAW, hessian=np.array([[2.0, 0.5], [0.5, 1.0]]), w_star=[0.3, -0.2], alpha=0.01, starts=4),
    ),
    # ---- derivations cached with functools.cache (no arguments: one call, result checked) -----
    ApiCase("bounds.lower_bound.lemma3_constant", lb.lemma3_constant, {}, examples=1),
    ApiCase("bounds.lower_bound.noise_moments", lb.noise_moments, {}, examples=1),
    ApiCase("bounds.lower_bound.derivation_steps", lb.derivation_steps, {}, examples=1),
]
#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {}
