"""Valid calls of bounds: devices, noise_laws, applicability, saturation, pulses, formula, validation.

See :mod:`tests.strategies` for the contract each case is held to.

Methods are called on an object built from the case's own parameters (``lambda tau, w_sp, w:
AsymmetricLinearDevice(tau, w_sp).q_plus(w)``), so an extreme constant that the constructor accepts
(``tau=1e-300``, ``s=1e300``) reaches the method, which must then refuse it by name or return a
finite result. The helpers of :mod:`bounds.validation` take the parameter's name as their first
argument; it is held fixed and the message names it (``aliases``).
"""

import sympy as sp

from bounds import formula as F
from bounds import noise_laws as N
from bounds import pulses as P
from bounds import saturation as SAT
from bounds import symbols as S
from bounds import validation as V
from bounds.applicability import Bound, Condition
from bounds.devices import (
    AsymmetricLinearDevice,
    ExponentialStepDevice,
    IdealDevice,
    PowerStepDevice,
    SoftBoundsDevice,
)
from tests.strategies import ApiCase

ALD = dict(tau=1.0, w_sp=0.0)
SOFT = dict(tau_max=2.0, tau_min=-1.5, w_sp=0.25)
STEP = dict(tau_max=1.0, tau_min=-1.0, gamma_plus=1.5, gamma_minus=0.5)
TWO_POINT = dict(s=1.0, p=0.25)
HOLDS = Condition("alpha <= 1/(2L)", 0.1, "<=", 0.25, source="doctest")
A5 = N.a5_constant(N.GaussianLaw(1.0), 4)


def _register_and_forget(name, expr, params, relation, source, domain, values):
    """``register`` a formula, then take it out of the registry again (the case runs many times)."""
    known = isinstance(name, str) and name in F.FORMULAS
    formula = F.register(name, expr, params, relation=relation, source=source, domain=domain, values=values)
    if not known:
        del F.FORMULAS[name]
    return formula


def _case(name, target, valid, **options):
    return ApiCase(name, target, valid, **options)


CASES: list[ApiCase] = [
    # ---- applicability ------------------------------------------------------------------------
    _case(
        "bounds.applicability.Condition",
        Condition,
        dict(statement="alpha <= 1/(2L)", lhs=0.1, relation="<=", rhs=0.25, source="doctest"),
    ),
    _case(
        "bounds.applicability.Bound",
        Bound,
        dict(
            name="demo",
            relation="upper",
            value=0.5,
            conditions=(HOLDS,),
            source="doctest",
            assumes=("A1: f is L-smooth",),
            terms={"rate": 0.25},
            trivial=1.0,
        ),
    ),
    # ---- devices: constructors -----------------------------------------------------------------
    _case("bounds.devices.IdealDevice", IdealDevice, {}),
    _case("bounds.devices.AsymmetricLinearDevice", AsymmetricLinearDevice, dict(ALD)),
    _case("bounds.devices.SoftBoundsDevice", SoftBoundsDevice, dict(SOFT)),
    _case("bounds.devices.PowerStepDevice", PowerStepDevice, dict(STEP)),
    _case("bounds.devices.ExponentialStepDevice", ExponentialStepDevice, dict(STEP)),
    # ---- devices: numeric methods (on a device built from the case's constants) -----------------
    _case(
        "bounds.devices.Device.q_plus",
        lambda tau, w_sp, w: AsymmetricLinearDevice(tau, w_sp).q_plus(w),
        dict(ALD, w=[0.3, -0.5]),
    ),
    _case(
        "bounds.devices.Device.q_minus",
        lambda tau_max, tau_min, w_sp, w: SoftBoundsDevice(tau_max, tau_min, w_sp).q_minus(w),
        dict(SOFT, w=0.3),
    ),
    _case(
        "bounds.devices.Device.F",
        lambda tau_max, tau_min, gamma_plus, gamma_minus, w: PowerStepDevice(
            tau_max, tau_min, gamma_plus, gamma_minus
        ).F(w),
        dict(STEP, w=[[0.5, -0.25]]),
    ),
    _case(
        "bounds.devices.Device.G",
        lambda tau_max, tau_min, gamma_plus, gamma_minus, w: ExponentialStepDevice(
            tau_max, tau_min, gamma_plus, gamma_minus
        ).G(w),
        dict(STEP, w=0.5),
    ),
    _case(
        "bounds.devices.Device.update",
        lambda tau, w_sp, w, dw: AsymmetricLinearDevice(tau, w_sp).update(w, dw),
        dict(ALD, w=[0.5, -0.25], dw=0.1),
    ),
    _case(
        "bounds.devices.Device.saturation_degree",
        lambda tau_max, tau_min, w_sp, row_max, row_min: SoftBoundsDevice(tau_max, tau_min, w_sp).saturation_degree(
            row_max, row_min
        ),
        dict(SOFT, row_max=[1.0, 0.5], row_min=[-0.5, -1.0]),
    ),
    # ---- devices: symbolic class methods -------------------------------------------------------
    _case("bounds.devices.Device.response_expressions", AsymmetricLinearDevice.response_expressions, dict(w=S.w)),
    _case("bounds.devices.Device.symmetric_part_expression", SoftBoundsDevice.symmetric_part_expression, dict(w=S.w)),
    _case("bounds.devices.Device.asymmetric_part_expression", PowerStepDevice.asymmetric_part_expression, dict(w=0.5)),
    _case(
        "bounds.devices.Device.update_expression",
        ExponentialStepDevice.update_expression,
        dict(w=S.w, dw=S.dw),
    ),
    _case(
        "bounds.devices.Device.piecewise_update_expression",
        AsymmetricLinearDevice.piecewise_update_expression,
        dict(w=S.w, dw=-0.5),
    ),
    _case(
        "bounds.devices.AsymmetricLinearDevice.saturation_factor_expression",
        AsymmetricLinearDevice.saturation_factor_expression,
        dict(w=S.w),
    ),
    _case(
        "bounds.devices.AsymmetricLinearDevice.fast_reset_factor_expression",
        AsymmetricLinearDevice.fast_reset_factor_expression,
        dict(w=0.25),
    ),
    # ---- formula ---------------------------------------------------------------------------------
    _case(
        "bounds.formula.Formula",
        F.Formula,
        dict(
            name="demo.half_square",
            expr=S.g**2 / 2,
            params=(S.g,),
            relation="definition",
            source="test",
            domain=(S.g > -10,),
            values={S.g: (0.0, 1.0)},
        ),
    ),
    _case(
        "bounds.formula.register",
        _register_and_forget,
        dict(
            name="api_case.half_square",
            expr=S.g**2 / 2,
            params=(S.g,),
            relation="definition",
            source="test",
            domain=(),
            values={},
        ),
    ),
    _case(
        "bounds.formula.Formula.numeric",
        lambda W_max, tau: SAT.SATURATION_TERM.numeric(W_max, tau),
        dict(W_max=[0.5, 0.1], tau=1.0),
    ),
    _case(
        "bounds.formula.Formula.exact",
        lambda W_max, tau, dps: SAT.SATURATION_TERM.exact(W_max, tau, dps=dps),
        dict(W_max=0.5, tau=1.0, dps=50),
    ),
    _case(
        "bounds.formula.Formula.value",
        lambda W_max, tau: SAT.SATURATION_TERM.value(W_max, tau, inputs=dict(W_max=W_max, tau=tau)),
        dict(W_max=0.5, tau=1.0),
    ),
    _case("bounds.formula.Formula.grid", lambda: SAT.SATURATION_TERM.grid(), {}),
    _case(
        "bounds.formula.Formula.in_domain", lambda point: SAT.SATURATION_TERM.in_domain(point), dict(point=(0.5, 1.0))
    ),
    _case("bounds.formula.relative_error", F.relative_error, dict(approx=1.5, exact=1.25)),
    _case(
        "bounds.formula.require_expression",
        F.require_expression,
        dict(name="w", value=S.w),
        aliases={"value": ("w",)},
        fixed=("name",),
    ),
    # ---- noise laws: constructors and class methods ---------------------------------------------
    _case("bounds.noise_laws.GaussianLaw", N.GaussianLaw, dict(s=1.0)),
    _case("bounds.noise_laws.RademacherLaw", N.RademacherLaw, dict(s=1.0)),
    _case("bounds.noise_laws.TwoPointLaw", N.TwoPointLaw, dict(TWO_POINT)),
    _case("bounds.noise_laws.ZeroMeanLaw", N.ZeroMeanLaw, dict(s=S.s)),
    _case("bounds.noise_laws.CoordinateLaw.symbolic", lambda: N.TwoPointLaw.symbolic(), {}),
    _case(
        "bounds.noise_laws.TwoPointLaw.from_state",
        N.TwoPointLaw.from_state,
        dict(sigma=2.0, D=4, w=0.5, tau=1.0),
    ),
    _case("bounds.noise_laws.TwoPointLaw.state_substitution", N.TwoPointLaw.state_substitution, {}),
    # ---- noise laws: numeric methods (on a law built from the case's parameters) -----------------
    _case("bounds.noise_laws.CoordinateLaw.mean", lambda s, p: N.TwoPointLaw(s, p).mean(), dict(TWO_POINT)),
    _case("bounds.noise_laws.CoordinateLaw.second_moment", lambda s: N.RademacherLaw(s).second_moment(), dict(s=1.0)),
    _case(
        "bounds.noise_laws.CoordinateLaw.expected_abs",
        lambda s, g: N.GaussianLaw(s).expected_abs(g),
        dict(s=1.0, g=[0.0, 0.5, -2.0]),
    ),
    _case("bounds.noise_laws.CoordinateLaw.mean_abs", lambda s: N.GaussianLaw(s).mean_abs(), dict(s=1.0)),
    _case(
        "bounds.noise_laws.CoordinateLaw.expected_abs_excess",
        lambda s, g, dps: N.GaussianLaw(s).expected_abs_excess(g, dps),
        dict(s=1.0, g=3.0, dps=50),
        examples=15,
    ),
    _case("bounds.noise_laws.CoordinateLaw.infimum", lambda s, p: N.TwoPointLaw(s, p).infimum(), dict(TWO_POINT)),
    _case("bounds.noise_laws.CoordinateLaw.minimiser", lambda s, p: N.TwoPointLaw(s, p).minimiser(), dict(TWO_POINT)),
    _case("bounds.noise_laws.GaussianLaw.minimisers", lambda s: N.GaussianLaw(s).minimisers(), dict(s=1.0)),
    _case("bounds.noise_laws.RademacherLaw.minimisers", lambda s: N.RademacherLaw(s).minimisers(), dict(s=1.0)),
    _case("bounds.noise_laws.TwoPointLaw.minimisers", lambda s, p: N.TwoPointLaw(s, p).minimisers(), dict(TWO_POINT)),
    _case("bounds.noise_laws.ZeroMeanLaw.minimisers", lambda: N.ZeroMeanLaw().minimisers(), {}),
    # ---- noise laws: symbolic methods --------------------------------------------------------------
    _case("bounds.noise_laws.CoordinateLaw.mean_expression", lambda s: N.GaussianLaw(s).mean_expression(), dict(s=1.0)),
    _case(
        "bounds.noise_laws.CoordinateLaw.second_moment_expression",
        lambda s, p: N.TwoPointLaw(s, p).second_moment_expression(),
        dict(TWO_POINT),
    ),
    _case(
        "bounds.noise_laws.CoordinateLaw.expected_abs_expression",
        lambda s, p, g: N.TwoPointLaw(s, p).expected_abs_expression(g),
        dict(TWO_POINT, g=S.g),
    ),
    _case(
        "bounds.noise_laws.CoordinateLaw.mean_abs_expression",
        lambda s, p: N.TwoPointLaw(s, p).mean_abs_expression(),
        dict(TWO_POINT),
    ),
    _case(
        "bounds.noise_laws.CoordinateLaw.infimum_expression",
        lambda s: N.RademacherLaw(s).infimum_expression(),
        dict(s=1.0),
    ),
    _case("bounds.noise_laws.CoordinateLaw.finalize", lambda expr: N.RademacherLaw(1.0).finalize(expr), dict(expr=S.g)),
    _case(
        "bounds.noise_laws.TwoPointLaw.finalize",
        lambda expr: N.TwoPointLaw.symbolic().finalize(expr),
        dict(expr=S.q * S.s),
    ),
    _case(
        "bounds.noise_laws.CoordinateLaw.atom_expectation",
        lambda s, p, atom, eps_symbol: N.TwoPointLaw(s, p).atom_expectation(atom, eps_symbol),
        dict(TWO_POINT, atom=S.eps**3, eps_symbol=S.eps),
    ),
    _case(
        "bounds.noise_laws.GaussianLaw.atom_expectation",
        lambda s, atom, eps_symbol: N.GaussianLaw(s).atom_expectation(atom, eps_symbol),
        dict(s=1.0, atom=S.eps**4, eps_symbol=S.eps),
    ),
    _case("bounds.noise_laws.RademacherLaw.outcomes", lambda s: N.RademacherLaw(s).outcomes(), dict(s=1.0)),
    _case("bounds.noise_laws.TwoPointLaw.outcomes", lambda s, p: N.TwoPointLaw(s, p).outcomes(), dict(TWO_POINT)),
    _case(
        "bounds.noise_laws.ZeroMeanLaw.atom_expectation",
        lambda atom, eps_symbol: N.ZeroMeanLaw().atom_expectation(atom, eps_symbol),
        dict(atom=sp.Abs(S.g + 2 * S.eps), eps_symbol=S.eps),
    ),
    _case(
        "bounds.noise_laws.ZeroMeanLaw.expected_abs_expression",
        lambda g: N.ZeroMeanLaw().expected_abs_expression(g),
        dict(g=S.g),
    ),
    _case("bounds.noise_laws.ZeroMeanLaw.infimum_expression", lambda: N.ZeroMeanLaw().infimum_expression(), {}),
    _case("bounds.noise_laws.ZeroMeanLaw.mean_expression", lambda: N.ZeroMeanLaw().mean_expression(), {}),
    _case(
        "bounds.noise_laws.ZeroMeanLaw.second_moment_expression",
        lambda s: N.ZeroMeanLaw(s).second_moment_expression(),
        dict(s=S.s),
    ),
    # ---- noise laws: functions ---------------------------------------------------------------------
    _case(
        "bounds.noise_laws.A5Constant",
        N.A5Constant,
        dict(
            c=A5.c,
            infimum=A5.infimum,
            minimisers=A5.minimisers,
            sigma_sq=A5.sigma_sq,
            second_moment=A5.second_moment,
            dim=A5.dim,
            scaling=A5.scaling,
            argument=A5.argument,
            source=A5.source,
        ),
    ),
    _case("bounds.noise_laws.a5_constant", N.a5_constant, dict(law=N.GaussianLaw(1.0), D=4, scaling="A5")),
    _case("bounds.noise_laws.a5_constant_limit", N.a5_constant_limit, dict(D=4, scaling="A5")),
    _case("bounds.noise_laws.gaussian_c_as_stated", N.gaussian_c_as_stated, {}),
    _case(
        "bounds.noise_laws.expectation",
        N.expectation,
        dict(expr=S.eps**2 + 3 * S.eps + 1, eps_symbol=S.eps, law=N.RademacherLaw.symbolic()),
    ),
    _case("bounds.noise_laws.gaussian_moment_expression", N.gaussian_moment_expression, dict(k=4)),
    _case(
        "bounds.noise_laws.gaussian_expected_abs_as_printed",
        N.gaussian_expected_abs_as_printed,
        dict(g=0.5, s=2.0, dps=50),
        examples=15,
    ),
    _case("bounds.noise_laws.two_point_c", N.two_point_c, dict(p=0.25, D=3, scaling="A5")),
    _case("bounds.noise_laws.two_point_c_of_state", N.two_point_c_of_state, dict(x=0.5, D=1, scaling="A5")),
    _case("bounds.noise_laws.two_point_c_over_states", N.two_point_c_over_states, dict(D=3, x_max=0.5, scaling="A5")),
    # ---- pulses --------------------------------------------------------------------------------------
    _case("bounds.pulses.snap_to_integer", P.snap_to_integer, dict(ratio=[20.000000000000004, 2.5])),
    _case("bounds.pulses.pulse_ratio", P.pulse_ratio, dict(dw=[0.02, -0.3], step=0.001)),
    _case("bounds.pulses.bit_length", P.bit_length, dict(dw=0.020001, step=0.001)),
    _case("bounds.pulses.single_pulse_expression", P.single_pulse_expression, dict(kind="ald", sign=1, w=S.w)),
    _case(
        "bounds.pulses.composition_expression",
        P.composition_expression,
        dict(kind="soft_bounds", sign=-1, n=P.n_pulses, w=S.w),
    ),
    _case("bounds.pulses.composition_proof", P.composition_proof, dict(max_explicit=2), examples=10),
    _case("bounds.pulses.first_order_expression", P.first_order_expression, dict(kind="ald", sign=-1)),
    _case("bounds.pulses.ald_error_expression", P.ald_error_expression, dict(sign=1)),
    _case("bounds.pulses.ald_bound_expression", P.ald_bound_expression, {}),
    _case("bounds.pulses.ald_bound_intermediate_expression", P.ald_bound_intermediate_expression, {}),
    _case("bounds.pulses.ald_corrected_bound_expression", P.ald_corrected_bound_expression, dict(sign=-1)),
    # ---- saturation --------------------------------------------------------------------------------
    _case("bounds.saturation.saturation_term", SAT.saturation_term, dict(w_inf=[0.0, 0.6], tau=1.0)),
    _case("bounds.saturation.amplification_sum", SAT.amplification_sum, dict(w_inf=[0.5, 0.5, 0.5], tau=1.0)),
    _case("bounds.saturation.amplification_factor", SAT.amplification_factor, dict(W_max=0.5, tau=1.0)),
    _case("bounds.saturation.saturation_bound", SAT.saturation_bound, dict(W_max=0.5, tau=1.0)),
    _case("bounds.saturation.saturation_bound_attained", SAT.saturation_bound_attained, dict(W_max=0.5, tau=1.0, K=4)),
    # ---- validation: the parameter's name is fixed, the message names it ----------------------------
    _case(
        "bounds.validation.require_real",
        V.require_real,
        dict(name="x", value=1.0),
        aliases={"value": ("x",)},
        fixed=("name",),
    ),
    _case(
        "bounds.validation.require_int",
        V.require_int,
        dict(name="x", value=3),
        aliases={"value": ("x",)},
        fixed=("name",),
    ),
    _case(
        "bounds.validation.require_array",
        V.require_array,
        dict(name="x", value=[1.0, 2.0]),
        aliases={"value": ("x",)},
        fixed=("name",),
    ),
    _case(
        "bounds.validation.require_instance",
        V.require_instance,
        dict(name="x", value=HOLDS, cls=Condition, example="Condition('a < b', 0.1, '<', 0.2)"),
        aliases={"value": ("x",)},
        fixed=("name", "cls", "example"),
    ),
    _case(
        "bounds.validation.require_memory",
        V.require_memory,
        dict(name="x", nbytes=1024, what="the array"),
        aliases={"nbytes": ("x",)},
        fixed=("name", "what"),
    ),
    _case(
        "bounds.validation.require_finite_value",
        V.require_finite_value,
        dict(what="x", value=1.0, tau=2.0),
        aliases={"value": ("x",)},
        fixed=("what",),
    ),
    _case(
        "bounds.validation.describe_range", V.describe_range, dict(low=0.0, high=1.0, low_open=False, high_open=True)
    ),
    ApiCase("bounds.noise_laws.derive_gaussian_expected_abs", N.derive_gaussian_expected_abs, {}, examples=1),
]

#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {
    "bounds.devices.Device": "abstract base class: each concrete device's constructor has its own case",
    "bounds.noise_laws.CoordinateLaw": "abstract base class: each concrete law's constructor has its own case",
    "bounds.noise_laws.CoordinateLaw.minimisers": "abstract method: each concrete law's minimisers has its own case",
    "bounds.devices.Device.apply_update": (
        "engine-internal in-place update on arrays the engine allocates; validated at simulate()"
    ),
    "bounds.devices.AsymmetricLinearDevice.apply_update": (
        "engine-internal in-place update on arrays the engine allocates; validated at simulate()"
    ),
    "bounds.devices.IdealDevice.apply_update": (
        "engine-internal in-place update on arrays the engine allocates; validated at simulate()"
    ),
}
