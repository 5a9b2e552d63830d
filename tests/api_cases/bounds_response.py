"""Valid calls of the response-function calculus and the new devices (bounds).

See :mod:`tests.strategies` for the contract each case is held to."""

import sympy as sp

from bounds import response as R
from bounds import symbols as S
from bounds.applicability import Condition
from bounds.devices import (
    C_LIN,
    ExponentialResponseDevice,
    LinearResponseDevice,
    PowerResponseDevice,
    define_device,
)
from bounds.noise_laws import GaussianLaw, RademacherLaw
from tests.strategies import ApiCase

CUBIC = dict(
    name="Cubic",
    q_plus=1 - (S.w / S.tau) ** 3,
    q_minus=1 + (S.w / S.tau) ** 3,
    parameters={"tau": S.tau},
    w_min=-S.tau,
    w_max=S.tau,
    constraints=(),
    defaults=None,
    doc="a cubic device",
)
POWER = PowerResponseDevice(tau=1.0, gamma=2.0)
LINEAR = LinearResponseDevice(tau=1.0, c_lin=0.3)
PENALTY = dict(device=POWER, law=RademacherLaw(0.3), L=1.0, w_star=0.3)
_HOLDS = Condition("q+ > 0", 1.0, ">", 0.0)
_ASYM = R.stationary_point(POWER, GaussianLaw(0.3), 1.0, 0.3)


def _case(name, target, valid, **options):
    return ApiCase(name, target, valid, **options)


#: one valid call per public callable
CASES: list[ApiCase] = [
    # ---- devices -------------------------------------------------------------------------------
    _case("bounds.devices.define_device", define_device, CUBIC, examples=15),
    _case("bounds.devices.LinearResponseDevice", LinearResponseDevice, dict(tau=1.0, c_lin=0.3)),
    _case("bounds.devices.PowerResponseDevice", PowerResponseDevice, dict(tau=1.0, gamma=2.0)),
    _case("bounds.devices.ExponentialResponseDevice", ExponentialResponseDevice, dict(tau=1.0, gamma=2.0)),
    _case("bounds.devices.Device.range_expressions", PowerResponseDevice.range_expressions, {}),
    # ---- calculus ------------------------------------------------------------------------------
    _case(
        "bounds.response.ResponseExpressions",
        R.ResponseExpressions,
        dict(q_plus=1 - S.w, q_minus=1 + S.w, F=1, G=S.w, R=S.w, saturation=1 - S.w**2, w_min=-1, w_max=1),
    ),
    _case("bounds.response.response_expressions", R.response_expressions, dict(device=LINEAR)),
    _case("bounds.response.accumulated_asymmetry", R.accumulated_asymmetry, dict(device=LINEAR, lower=-0.5)),
    _case(
        "bounds.response.accumulated_asymmetry_value",
        R.accumulated_asymmetry_value,
        dict(device=POWER, w=0.5, lower=-0.5, dps=20),
        examples=30,
    ),
    _case("bounds.response.symmetric_points", R.symmetric_points, dict(device=LINEAR)),
    _case("bounds.response.symmetric_point", R.symmetric_point, dict(device=LINEAR)),
    _case(
        "bounds.response.BoxExtrema",
        R.BoxExtrema,
        dict(w_lo=-0.5, w_hi=0.5, F_max=1.0, w_F_max=0.0, R_min=0.75, w_R_min=0.5, Q_max=1.5),
    ),
    _case("bounds.response.box_extrema", R.box_extrema, dict(device=POWER, w_lo=-0.5, w_hi=0.5)),
    _case("bounds.response.Definition1", R.Definition1, dict(device="a device", conditions=(_HOLDS,))),
    _case("bounds.response.definition1", R.definition1, dict(device=POWER), examples=10),
    # ---- implicit penalty ----------------------------------------------------------------------
    _case("bounds.response.stationary_chain", R.stationary_chain, dict(PENALTY), examples=30),
    _case("bounds.response.stationary_point", R.stationary_point, dict(PENALTY, dps=20), examples=20),
    _case(
        "bounds.response.penalised_gradient",
        R.penalised_gradient,
        dict(device=POWER, Sigma=0.3, L=1.0, w_star=0.3, w=0.1, dps=20),
    ),
    _case(
        "bounds.response.penalised_minimiser",
        R.penalised_minimiser,
        dict(device=POWER, Sigma=0.3, L=1.0, w_star=0.3, dps=20),
        examples=30,
    ),
    _case("bounds.response.effective_update", R.effective_update, dict(PENALTY, w=0.1, dps=20)),
    _case(
        "bounds.response.ImplicitPenalty",
        R.ImplicitPenalty,
        dict(
            Sigma=0.3,
            w_sym=0.0,
            R_prime=2.0,
            stationary=0.19,
            penalised=0.19,
            linearised=0.1875,
            linearised_printed=0.75,
            asymptotics=_ASYM,
        ),
    ),
    _case("bounds.response.implicit_penalty", R.implicit_penalty, dict(PENALTY, dps=20), examples=15),
    ApiCase(
        "bounds.response.residual_limit_gradient",
        R.residual_limit_gradient,
        dict(p_device=LinearResponseDevice(1.0, 0.3), law=GaussianLaw(0.5)),
    ),
]
#: public callables with no case, each with the reason
EXEMPT: dict[str, str] = {
    "bounds.response.NoSymmetricPointError": "an exception class: raised by symmetric_point, not called with input",
}
_ = (sp, C_LIN)
